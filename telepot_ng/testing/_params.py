"""Turn a Bot API HTTP request (query, form, JSON or multipart) into typed parameters and uploads."""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple
from urllib.parse import parse_qsl, unquote

from .._generated import spec

__all__ = ['ApiError', 'Upload', 'MethodSpec', 'METHOD_SPECS', 'decode_body', 'coerce_params']


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": code, "description": ...}``."""

    def __init__(self, code: int, description: str,
                 parameters: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        #: the client brought this on itself on purpose (its own getUpdates with timeout 0
        #: ended its long poll: how a loop wakes itself to stop); not counted as an error
        self.expected = False

    def payload(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {'ok': False, 'error_code': self.code,
                               'description': self.description}
        if self.parameters:
            out['parameters'] = self.parameters
        return out


def bad_request(text: str) -> ApiError:
    return ApiError(400, 'Bad Request: ' + text)


Handler = Callable[[Any, str, Dict[str, Any], Dict[str, 'Upload']], Any]


def handler_table() -> Tuple[Dict[str, Handler], Callable[..., Callable[[Handler], Handler]]]:
    """A method name -> handler table and the decorator ``@handles('m1', 'm2')`` filling it."""
    table: Dict[str, Handler] = {}

    def handles(*methods: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for m in methods:
                table[m] = fn
            return fn
        return deco
    return table, handles


class Upload(NamedTuple):
    """A file part of a multipart request."""
    field: str
    filename: str
    content_type: str
    data: bytes


class MethodSpec(NamedTuple):
    name: str                       # canonical spelling, e.g. 'sendMessage'
    returns: Tuple[str, ...]
    kinds: Dict[str, str]           # parameter -> int|int_or_str|bool|float|str|file|json
    required: Tuple[str, ...]


def _kind(types: Tuple[str, ...]) -> str:
    if types == ('Integer',):
        return 'int'
    if types == ('Integer', 'String'):
        return 'int_or_str'
    if types == ('Boolean',):
        return 'bool'
    if types == ('Float',):
        return 'float'
    if types == ('String',):
        return 'str'
    if 'InputFile' in types:
        return 'file'
    return 'json'


def _build() -> Dict[str, MethodSpec]:
    table = {}
    for name, (returns, params) in spec.METHODS.items():
        kinds = {p: _kind(t) for p, _, t in params}
        required = tuple(p for p, req, _ in params if req)
        table[name.lower()] = MethodSpec(name, returns, kinds, required)
    return table


METHOD_SPECS: Dict[str, MethodSpec] = _build()


# -- bodies ---------------------------------------------------------------------------------------
def _header_params(value: str) -> Tuple[str, Dict[str, str]]:
    """Split 'type/sub; a=1; b="x;y"' into ('type/sub', {'a': '1', 'b': 'x;y'})."""
    if ';' not in value and '"' not in value:     # the usual 'application/json'
        return value.strip().lower(), {}
    items: List[str] = []
    cur, quoted, escape = [], False, False
    for ch in value:
        if escape:
            cur.append(ch)
            escape = False
        elif quoted and ch == '\\':
            escape = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ';' and not quoted:
            items.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append(''.join(cur))
    params = {}
    for item in items[1:]:
        key, _, val = item.strip().partition('=')
        params[key.strip().lower()] = val.strip()
    return items[0].strip().lower(), params


def _multipart(body: bytes, boundary: str) -> Tuple[Dict[str, Any], Dict[str, Upload]]:
    fields: Dict[str, Any] = {}
    uploads: Dict[str, Upload] = {}
    if not boundary:
        raise bad_request('multipart boundary is missing')
    delim = b'\r\n--' + boundary.encode('latin-1')
    pieces = (b'\r\n' + body).split(delim)
    for piece in pieces[1:]:
        if piece.startswith(b'--'):
            break
        nl = piece.find(b'\r\n')
        if nl < 0:
            raise bad_request('malformed multipart body')
        piece = piece[nl + 2:]          # drop the rest of the boundary line
        if piece.startswith(b'\r\n'):
            raw_head, data = b'', piece[2:]
        else:
            raw_head, sep, data = piece.partition(b'\r\n\r\n')
            if not sep:
                raise bad_request('malformed multipart part')
        headers = {}
        for line in raw_head.decode('utf-8', 'replace').split('\r\n'):
            key, _, val = line.partition(':')
            headers[key.strip().lower()] = val.strip()
        _, disp = _header_params(headers.get('content-disposition', ''))
        name = disp.get('name')
        if not name:
            continue
        filename = disp.get('filename')
        if filename is None and "filename*" in disp:
            filename = disp['filename*'].split("''", 1)[-1]
            filename = unquote(filename)
        if filename is not None:
            uploads[name] = Upload(name, filename or name,
                                   headers.get('content-type', 'application/octet-stream'), data)
        else:
            fields[name] = data.decode('utf-8', 'replace')
    return fields, uploads


def decode_body(query: str, content_type: str,
                body: bytes) -> Tuple[Dict[str, Any], Dict[str, Upload], str]:
    """Return (params, uploads, encoding) where encoding is query|form|json|multipart."""
    params: Dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True)) if query else {}
    uploads: Dict[str, Upload] = {}
    encoding = 'query'
    media, extra = _header_params(content_type) if content_type else ('', {})
    if media == 'application/json' or (not media and body[:1] == b'{'):
        if body:
            try:
                # UTF-8 (as bots send it) decoded here spares json its encoding detection;
                # anything else (a BOM, UTF-16/32) still goes through that detection
                data = json.loads(body.decode() if body[:1] == b'{' and body[1:2] != b'\x00'
                                  else body)
            except ValueError:
                raise bad_request("can't parse JSON object")
            if not isinstance(data, dict):
                raise bad_request("JSON body must be an object")
            params.update(data)
        encoding = 'json'
    elif media == 'application/x-www-form-urlencoded':
        params.update(parse_qsl(body.decode('utf-8', 'replace'), keep_blank_values=True))
        encoding = 'form'
    elif media == 'multipart/form-data':
        fields, uploads = _multipart(body, extra.get('boundary', '').strip('"'))
        params.update(fields)
        encoding = 'multipart'
    return params, uploads, encoding


# -- typing ---------------------------------------------------------------------------------------
# the error Telegram gives for a parameter it cannot read as the JSON it expects
_JSON_ERRORS = {'reply_markup': "can't parse reply keyboard markup JSON object",
                'entities': "can't parse entities JSON object",
                'caption_entities': "can't parse entities JSON object"}


def json_error(name: str) -> ApiError:
    """400 for a parameter that is not the JSON object or array it must be."""
    return bad_request(_JSON_ERRORS.get(name, "can't parse %s JSON object"
                                        % name.replace('_', ' ')))


_TRUE = {'true', '1', 'yes', 'on'}
_FALSE = {'false', '0', 'no', 'off', ''}


def json_text(value: Any) -> str:
    """What Telegram makes of a JSON value given where it reads a string: its JSON text
    (``true``, ``{"a":1}``), numbers as written."""
    return json.dumps(value, ensure_ascii=False, separators=(',', ':'))


def _coerce(kind: str, name: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == 'str':
        if isinstance(value, str):
            return value
        return json_text(value)
    if not isinstance(value, str):
        if kind == 'bool' and isinstance(value, bool):
            return value
        if kind == 'int' and isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, (dict, list, bool)):
            if kind == 'int':
                raise bad_request('invalid %s specified' % name)
            if kind in ('int_or_str', 'file'):
                return json_text(value)
            if kind in ('float', 'bool'):
                raise bad_request('invalid %s specified' % name)
        if kind == 'bool' and isinstance(value, (int, float)):
            return bool(value)
        return value
    if kind == 'int' or kind == 'int_or_str':
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            if kind == 'int_or_str':
                return value
            raise bad_request('invalid %s specified' % name)
    if kind == 'bool':
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise bad_request('invalid %s specified' % name)
    if kind == 'float':
        try:
            return float(value)
        except ValueError:
            raise bad_request('invalid %s specified' % name)
    if kind == 'json':
        text = value.strip()
        if text[:1] in ('{', '[', '"') or text in ('true', 'false', 'null') or \
                text.lstrip('-').replace('.', '', 1).isdigit():
            try:
                return json.loads(text)
            except ValueError:
                raise json_error(name)
        return value
    return value   # 'file': a file_id, URL or attach://name stays a string


# required parameters for which an empty string is a meaningful value
_EMPTY_OK = frozenset({('setWebhook', 'url')})


def missing_message(name: str, kind: str) -> str:
    if name == 'text':
        return 'message text is empty'
    if kind == 'file':
        return 'there is no %s in the request' % name
    if name.endswith('_id') or name == 'chat_id':
        return '%s is empty' % name
    return 'parameter "%s" is required' % name


def coerce_params(ms: MethodSpec, params: Dict[str, Any], uploads: Dict[str, Upload]) -> None:
    """Type ``params`` in place by the spec and raise a 400 ApiError for a missing required one."""
    kinds = ms.kinds
    for name, value in params.items():
        kind = kinds.get(name)
        if kind is not None:
            params[name] = _coerce(kind, name, value)
    for name in ms.required:
        value = params.get(name)
        if (value is None or value == '' and (ms.name, name) not in _EMPTY_OK) and \
                name not in uploads:
            raise bad_request(missing_message(name, kinds[name]))

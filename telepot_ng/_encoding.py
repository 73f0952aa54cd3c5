"""The Bot API's wire format: parameters become a JSON body or a streamed multipart/form-data
body (files as parts, nested ones named ``attach://fileN``), and an answer's bytes become its
``result`` or a typed exception."""
from __future__ import annotations

import contextvars
import io
import json
import keyword
import mimetypes
import os
from typing import Any, Iterator, List, Mapping, Optional, Tuple, Union

from ._masking import mask
from .exception import BadHTTPResponse, TelegramError

#: Size of the pieces files are read and sent in.
STREAM_CHUNK = 65536
JSON_HEADERS = {'Content-Type': 'application/json'}

_PLAIN = frozenset((str, int, bool, float))
_FILE_NAME_PREFIX = 'file'
#: namedtuple field -> Telegram field, for fields named after a Python keyword (``from_``).
_KEYWORD_FIELDS = {word + '_': word for word in keyword.kwlist}


def _json_default(value: Any) -> Any:
    if hasattr(value, '_asdict'):
        return _convert(value, None)
    if hasattr(value, 'timestamp'):        # datetime: Telegram wants a Unix time
        return int(value.timestamp())
    if hasattr(value, 'value') and hasattr(type(value), '__members__'):   # Enum
        return value.value
    raise TypeError('Object of type %s is not JSON serializable' % type(value).__name__)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(',', ':'), default=_json_default).encode
_loads = json.loads

#: Set (to a two-item list) around a call whose answer's raw bytes are wanted: :func:`decode`
#: puts a successful answer's bytes and the ``result`` it returns in it (a loop journals a
#: getUpdates batch in a durable store from those bytes instead of encoding every update).
raw_answer: 'contextvars.ContextVar[Optional[List[Any]]]' = contextvars.ContextVar(
    'telepot_ng_raw_answer', default=None)


def _is_file(value: Any) -> bool:
    """Whether value is something to upload (a str is never a file: it is a file_id/URL)."""
    if isinstance(value, (bytes, bytearray, memoryview, os.PathLike)):
        return True
    if type(value) is tuple:
        return (len(value) == 2 and isinstance(value[0], str)
                and not isinstance(value[1], str) and _is_file(value[1]))
    return hasattr(value, 'read') and not isinstance(value, (str, tuple))


def _convert(value: Any, files: Optional[List[Tuple[str, Any]]]) -> Any:
    """Turn value into JSON-able data: None fields dropped, namedtuples as dicts (a keyword
    with a trailing underscore, ``from_``, becomes the keyword), nested files replaced by
    ``attach://name`` and appended to files."""
    kind = type(value)
    if kind in _PLAIN or value is None:
        return value
    if isinstance(value, Mapping):
        return {k: _convert(v, files) for k, v in value.items() if v is not None}
    if isinstance(value, tuple) and hasattr(value, '_asdict'):
        return {_KEYWORD_FIELDS.get(k, k): _convert(v, files)
                for k, v in value._asdict().items() if v is not None}
    if files is not None and _is_file(value):
        name = '%s%d' % (_FILE_NAME_PREFIX, len(files))
        files.append((name, value))
        return 'attach://' + name
    if isinstance(value, (list, tuple)):
        return [_convert(v, files) for v in value]
    return value


def _text_field(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is True or value is False:
        return 'true' if value else 'false'
    if type(value) in (int, float):
        return repr(value)
    return _dumps(value)


def encode(params: Mapping[str, Any]) -> Tuple[Any, Mapping[str, str]]:
    """Return (body, headers) for params: JSON bytes, or a re-iterable Multipart."""
    for value in params.values():
        if type(value) not in _PLAIN:
            break
    else:
        return _dumps(params).encode('utf-8'), JSON_HEADERS
    files: List[Tuple[str, Any]] = []
    top_files = []
    fields = {}
    for key, value in params.items():
        if value is None:
            continue
        if _is_file(value):
            top_files.append((key, value))
        else:
            fields[key] = _convert(value, files)
    if not files and not top_files:
        return _dumps(fields).encode('utf-8'), JSON_HEADERS
    body = Multipart(fields, top_files + files)
    return body, body.headers


class _FilePart:
    """One file to upload: its name, filename, size, and how to produce its bytes again."""

    __slots__ = ('filename', 'size', 'data', 'path', 'fileobj', 'start', 'opened')

    def __init__(self, field: str, value: Any) -> None:
        filename = None
        if type(value) is tuple:
            filename, value = value
        self.data: Optional[bytes] = None
        self.path: Optional[str] = None
        self.fileobj: Any = None
        self.opened: Any = None      # the file we opened for a path, while it is being sent
        self.start = 0
        if isinstance(value, (bytes, bytearray, memoryview)):
            self.data = bytes(value) if not isinstance(value, bytes) else value
            self.size = len(self.data)
        elif isinstance(value, os.PathLike):
            self.path = os.fspath(value)
            self.size = os.stat(self.path).st_size
            filename = filename or os.path.basename(self.path)
        else:
            if isinstance(value, io.TextIOBase):
                raise TypeError('%s: open files to upload in binary mode (\'rb\')' % field)
            name = getattr(value, 'name', None)
            if filename is None and isinstance(name, str) and not name.startswith('<'):
                filename = os.path.basename(name)
            self.size = self._measure(value)
            if self.size is None:          # not seekable: read it once, keep the bytes
                data = value.read()
                self.data = data.encode('utf-8') if isinstance(data, str) else bytes(data)
                self.size = len(self.data)
            else:
                self.fileobj = value
        self.filename = filename or field

    def _measure(self, fileobj: Any) -> Optional[int]:
        try:
            if hasattr(fileobj, 'seekable') and not fileobj.seekable():
                return None
            self.start = fileobj.tell()
            try:
                end = os.fstat(fileobj.fileno()).st_size
            except (AttributeError, OSError, ValueError):   # io.UnsupportedOperation too
                end = fileobj.seek(0, os.SEEK_END)
                fileobj.seek(self.start)
            return max(0, end - self.start)
        except (AttributeError, OSError, ValueError):
            return None

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        if self.path is not None:
            self.close()
            self.opened = open(self.path, 'rb')
            try:
                yield from _read_exactly(self.opened, self.size, self.filename)
            finally:
                self.close()
            return
        self.fileobj.seek(self.start)
        yield from _read_exactly(self.fileobj, self.size, self.filename)

    def close(self) -> None:
        opened, self.opened = self.opened, None
        if opened is not None:
            opened.close()


def _read_exactly(f: Any, size: int, filename: str) -> Iterator[bytes]:
    left = size
    while left > 0:
        chunk = f.read(min(left, STREAM_CHUNK))
        if not chunk:
            raise OSError('file %r shrank while being uploaded' % filename)
        if isinstance(chunk, str):
            raise TypeError('%r gives text: open files to upload in binary mode' % filename)
        left -= len(chunk)
        yield chunk


def _quote_header(value: str) -> str:
    return value.replace('\\', '\\\\').replace('"', '\\"').replace('\r', ' ').replace('\n', ' ')


class Multipart:
    """A multipart/form-data body with a known length, re-iterable (files are re-read from
    their start), streamed in chunks so big files are never held in memory."""

    def __init__(self, fields: Mapping[str, Any], files: List[Tuple[str, Any]]) -> None:
        boundary = os.urandom(16).hex()
        self.headers = {'Content-Type': 'multipart/form-data; boundary=' + boundary}
        self._parts: List[Tuple[bytes, Union[bytes, _FilePart]]] = []
        for name, value in fields.items():
            head = '--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n' % (
                boundary, _quote_header(name))
            self._parts.append((head.encode('utf-8'), _text_field(value).encode('utf-8')))
        for name, value in files:
            part = _FilePart(name, value)
            ctype = mimetypes.guess_type(part.filename)[0] or 'application/octet-stream'
            head = ('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                    'Content-Type: %s\r\n\r\n') % (boundary, _quote_header(name),
                                                   _quote_header(part.filename), ctype)
            self._parts.append((head.encode('utf-8'), part))
        self._tail = ('--%s--\r\n' % boundary).encode('ascii')
        self.length = len(self._tail) + sum(
            len(head) + (len(payload) if isinstance(payload, bytes) else payload.size) + 2
            for head, payload in self._parts)
        self.headers['Content-Length'] = str(self.length)

    def __len__(self) -> int:
        return self.length

    def close(self) -> None:
        """Close the files opened for pathlib.Path parts (a caller's file objects stay open)."""
        for _, payload in self._parts:
            if not isinstance(payload, bytes):
                payload.close()

    def __iter__(self) -> Iterator[bytes]:
        pending = bytearray()
        for head, payload in self._parts:
            pending += head
            if isinstance(payload, bytes):
                pending += payload
            else:
                for chunk in payload.chunks():
                    if len(pending) + len(chunk) <= STREAM_CHUNK:
                        pending += chunk
                    else:
                        if pending:
                            yield bytes(pending)
                            pending = bytearray()
                        yield chunk
            pending += b'\r\n'
            if len(pending) >= STREAM_CHUNK:
                yield bytes(pending)
                pending = bytearray()
        pending += self._tail
        yield bytes(pending)


def decode(status: int, data: bytes, headers: Any) -> Any:
    """The ``result`` of a Bot API answer, or the matching exception raised."""
    try:
        answer = _loads(data)
    except ValueError:
        raise bad_response(status, data, headers) from None
    if answer.__class__ is dict:
        ok = answer.get('ok')
        if ok is True:
            result = answer.get('result')
            box = raw_answer.get()
            if box is not None:
                box[0] = data
                box[1] = result
            return result
        if ok is False:
            description = answer.get('description')
            if isinstance(description, str):
                answer['description'] = mask(description)
            raise TelegramError.from_json(answer, status)
    raise bad_response(status, data, headers)


def bad_response(status: int, data: bytes, headers: Any) -> BadHTTPResponse:
    """The exception for an answer that is not a Bot API JSON object (token masked)."""
    text = mask(data[:2048].decode('utf-8', 'replace'))
    info = {'status': status, 'headers': {k: mask(v) for k, v in headers.items()}
            if headers is not None else {}}
    return BadHTTPResponse(status, text, info)

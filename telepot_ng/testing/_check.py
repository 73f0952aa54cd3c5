"""Hold a call to the Bot API's rules: parameter types from the spec (nested objects too),
formatted text turned into plain text + entities, and the documented limits.

``check_call(ms, params)`` works in place, before the call has any effect; it raises the
ApiError Telegram would answer with. Types, required fields and unions come from the generated
spec tables, so a method or type added to the spec is checked without a change here; the
documented limits (lengths, counts) are the table ``LIMITS`` below.
"""
from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from .._generated import spec
from .._markup import EntityParseError, parse_entities, utf16_length
from ._params import MethodSpec, bad_request, json_error

__all__ = ['check_call', 'LIMITS', 'ENTITY_TYPES', 'Invalid']

Fields = Tuple[Tuple[str, bool, Tuple[str, ...]], ...]

# MessageEntity.type values (the Bot API's MessageEntity documentation)
ENTITY_TYPES = frozenset((
    'mention', 'hashtag', 'cashtag', 'bot_command', 'url', 'email', 'phone_number', 'bold',
    'italic', 'underline', 'strikethrough', 'spoiler', 'blockquote', 'expandable_blockquote',
    'code', 'pre', 'text_link', 'text_mention', 'custom_emoji', 'date_time'))

# (method or type, field) -> (min, max, unit, description when below, description when above)
# unit: 'chars' (after entity parsing), 'bytes' (UTF-8), 'items' (array length)
LIMITS: Dict[Tuple[str, str], Tuple[int, int, str, str, str]] = {
    ('sendMessage', 'text'): (1, 4096, 'chars', 'message text is empty', 'message is too long'),
    ('editMessageText', 'text'): (1, 4096, 'chars', 'message text is empty',
                                  'message is too long'),
    ('InputTextMessageContent', 'message_text'): (1, 4096, 'chars', 'message text is empty',
                                                  'MESSAGE_TOO_LONG'),
    ('*', 'caption'): (0, 1024, 'chars', '', 'message caption is too long'),
    ('InlineKeyboardButton', 'callback_data'): (1, 64, 'bytes', 'BUTTON_DATA_INVALID',
                                                'BUTTON_DATA_INVALID'),
    ('sendMediaGroup', 'media'): (2, 10, 'items', 'media must include 2-10 items',
                                  'media must include 2-10 items'),
    ('answerInlineQuery', 'results'): (0, 50, 'items', '', 'RESULTS_TOO_MUCH'),
    ('answerCallbackQuery', 'text'): (0, 200, 'chars', '', 'MESSAGE_TOO_LONG'),
    ('sendPoll', 'question'): (1, 300, 'chars', 'POLL_QUESTION_INVALID',
                               'POLL_QUESTION_INVALID'),
    ('sendPoll', 'options'): (2, 12, 'items', 'POLL_OPTIONS_INVALID', 'POLL_OPTIONS_INVALID'),
    ('InputPollOption', 'text'): (1, 100, 'chars', 'POLL_OPTION_INVALID',
                                  'POLL_OPTION_INVALID'),
}

# InlineKeyboardButton: "exactly one of the fields other than text, icon_custom_emoji_id, and
# style must be used to specify the type of the button"
_NOT_BUTTON_ACTIONS = frozenset(('text', 'icon_custom_emoji_id', 'style'))

class Invalid(Exception):
    """A nested value that does not fit its type: ``str(e)`` says which field and why."""


# -- which fields carry formatted text -----------------------------------------------------
_FORMATTED: Dict[str, List[Tuple[str, str, str]]] = {}


def _formatted(owner: str, fields: Fields) -> List[Tuple[str, str, str]]:
    """(text field, parse_mode field, entities field) triples of a method or type: every
    ``X_parse_mode``/``parse_mode`` pairs with its text and its ``..._entities`` field."""
    found = _FORMATTED.get(owner)
    if found is not None:
        return found
    names = {f[0] for f in fields}
    found = []
    for mode in sorted(n for n in names if n.endswith('parse_mode')):
        prefix = mode[:-len('parse_mode')]
        if prefix:
            text, ents = prefix[:-1], prefix + 'entities'
        else:
            text = next((t for t in ('text', 'caption', 'message_text', 'title')
                         if t in names and (t + '_entities' in names or 'entities' in names)),
                        '')
            ents = text + '_entities' if text + '_entities' in names else 'entities'
        if text in names and ents in names:
            found.append((text, mode, ents))
    _FORMATTED[owner] = found
    return found


def _format(obj: Dict[str, Any], owner: str, fields: Fields) -> None:
    """Replace formatted text by plain text + entities, as Telegram stores it."""
    for text_f, mode_f, ents_f in _formatted(owner, fields):
        mode = obj.pop(mode_f, None)
        text = obj.get(text_f)
        if not isinstance(text, str):
            continue
        ents = obj.get(ents_f)
        if ents:               # explicit entities win over parse_mode
            ents = _explicit(text, ents)
        elif mode:
            if not isinstance(mode, str):
                raise bad_request('unsupported parse_mode')
            try:
                text, ents = parse_entities(text, mode)
            except EntityParseError as e:
                raise bad_request("can't parse entities: %s" % e)
            except ValueError:
                raise bad_request('unsupported parse_mode')
        else:
            ents = []
        text, ents = _trim(text, ents)
        obj[text_f] = text
        if ents:
            obj[ents_f] = ents
        else:
            obj.pop(ents_f, None)


def _explicit(text: str, entities: Any) -> List[Dict[str, Any]]:
    """Entities given as such: checked, clipped to the text, empty ones dropped."""
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    size = utf16_length(text)
    out = []
    for e in entities:
        if not isinstance(e, dict):
            raise bad_request("can't parse MessageEntity: MessageEntity must be an Object")
        try:
            e = _object(e, 'MessageEntity', spec.TYPES['MessageEntity'])
        except Invalid as err:
            raise bad_request("can't parse MessageEntity: %s" % err)
        if e['type'] not in ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity: Unsupported type specified")
        if e['type'] == 'text_link' and not e.get('url'):
            raise bad_request("can't parse MessageEntity: Can't find field \"url\"")
        if e['type'] == 'text_mention' and not isinstance(e.get('user'), dict):
            raise bad_request("can't parse MessageEntity: Can't find field \"user\"")
        if e['type'] == 'custom_emoji' and not e.get('custom_emoji_id'):
            raise bad_request("can't parse MessageEntity: Can't find field \"custom_emoji_id\"")
        start = max(0, e['offset'])
        end = min(size, e['offset'] + e['length'])
        if end > start:
            out.append(dict(e, offset=start, length=end - start))
    out.sort(key=lambda x: (x['offset'], -x['length']))
    return out


_BLANK = ' \t\n\r\f\v'


def _trim(text: str, entities: List[Dict[str, Any]]) -> Tuple[str, List[Dict[str, Any]]]:
    """Telegram drops leading and trailing whitespace (entities follow the text)."""
    stripped = text.strip(_BLANK)
    if stripped == text:
        return text, entities
    if not stripped:
        return '', []
    head = utf16_length(text[:len(text) - len(text.lstrip(_BLANK))])
    size = utf16_length(stripped)
    out = []
    for e in entities:
        start = max(0, e['offset'] - head)
        end = min(size, e['offset'] + e['length'] - head)
        if end > start:
            out.append(dict(e, offset=start, length=end - start))
    return stripped, out


# -- limits --------------------------------------------------------------------------------
def _limit(owner: str, name: str, value: Any) -> None:
    rule = LIMITS.get((owner, name)) or LIMITS.get(('*', name))
    if rule is None:
        return
    low, high, unit, too_few, too_many = rule
    if unit == 'items':
        if not isinstance(value, list):
            return
        size = len(value)
    elif not isinstance(value, str):
        return
    elif unit == 'bytes':
        size = len(value.encode('utf-8'))
    else:
        size = len(value)
    if size < low and too_few:
        raise bad_request(too_few)
    if size > high:
        raise bad_request(too_many)


# -- types ---------------------------------------------------------------------------------
def _type_name(value: Any) -> str:
    return {dict: 'Object', list: 'Array', str: 'String', bool: 'Boolean'}.get(
        type(value), 'Number')


def _fits_primitive(t: str, value: Any) -> bool:
    if t == 'String':
        return isinstance(value, str)
    if t == 'Integer':
        return (isinstance(value, int) and not isinstance(value, bool)) or \
            (isinstance(value, float) and value.is_integer()) or \
            (isinstance(value, str) and value.strip().lstrip('-').isdigit())
    if t == 'Float':
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        try:
            float(value)
            return isinstance(value, str)
        except (TypeError, ValueError):
            return False
    if t == 'Boolean':
        return isinstance(value, bool)
    return False


_PRIMITIVES = frozenset(('String', 'Integer', 'Float', 'Boolean'))
_WORD = {'String': 'String', 'Integer': 'Number', 'Float': 'Number', 'Boolean': 'Boolean'}


def _candidates(t: str) -> Tuple[str, ...]:
    subtypes = spec.SUBTYPES.get(t)
    return tuple(subtypes) if subtypes else (t,)


class _Plan(NamedTuple):
    """How to check a value of some spec types (computed once per types tuple)."""
    inner: Tuple[str, ...]          # element types when it may be an array
    primitives: Tuple[str, ...]     # String, Integer, Float, Boolean it may be
    objects: Tuple[str, ...]        # object types (unions expanded) it may be
    text_button: bool               # a plain string stands for a KeyboardButton
    want: str                       # the type named when it is none of them


_PLANS: Dict[Tuple[str, ...], _Plan] = {}


def _plan(types: Tuple[str, ...]) -> _Plan:
    plan = _PLANS.get(types)
    if plan is None:
        inner = tuple(t[9:] for t in types if t.startswith('Array of '))
        singles = tuple(t for t in types if not t.startswith('Array of '))
        objects = tuple(t for t in singles if t not in _PRIMITIVES)
        names = tuple(c for t in objects for c in _candidates(t) if c in spec.TYPES)
        want = 'Array' if inner and not singles else \
            _WORD.get(singles[0], 'Object') if singles else 'Array'
        plan = _PLANS[types] = _Plan(inner, tuple(t for t in singles if t in _PRIMITIVES),
                                     names, 'KeyboardButton' in objects, want)
    return plan


def _pick(names: Tuple[str, ...], value: Dict[str, Any]) -> Optional[str]:
    """Which object type of a union ``value`` is: by its fixed fields (``type``,
    ``remove_keyboard``, ...), then by the required fields it has."""
    if len(names) == 1:
        return names[0]
    fixed = [n for n in names if spec.CONSTANTS.get(n) and
             all(value.get(k) == v for k, v in spec.CONSTANTS[n])]
    pool = fixed or [n for n in names if not spec.CONSTANTS.get(n) or
                     all(k not in value for k, _ in spec.CONSTANTS[n])]
    if len(pool) == 1:
        return pool[0]
    complete = [n for n in pool if all(f in value for f, req, _ in spec.TYPES[n] if req)]
    if len(complete) >= 1:
        return complete[0]
    return None


def _value(value: Any, types: Tuple[str, ...], field: str) -> Any:
    """``value`` checked against the spec types of ``field``; objects come back as checked
    copies."""
    plan = _PLANS.get(types) or _plan(types)
    if plan.inner and isinstance(value, list):
        inner = plan.inner
        return [_value(v, inner, field) for v in value]
    for t in plan.primitives:
        if _fits_primitive(t, value):
            return value
    if isinstance(value, dict) and plan.objects:
        name = _pick(plan.objects, value)
        if name is None:
            raise Invalid('Field "%s" must be one of %s' % (field, ', '.join(plan.objects)))
        return _object(value, name, spec.TYPES[name])
    if isinstance(value, str) and plan.text_button:
        return value                      # a plain text button: Telegram accepts strings
    want = plan.want
    if want == 'Number' and plan.primitives[0] == 'Integer' and isinstance(value, float):
        want = 'Integer'
    raise Invalid('Field "%s" must be of type %s' % (field, want))


def _object(obj: Dict[str, Any], name: str, fields: Fields) -> Dict[str, Any]:
    """A copy of an object of type ``name``, checked, formatting applied, limits enforced
    (the journal keeps what the bot sent)."""
    prefix = _PREFIXES.get(name)
    if prefix is None:
        return _fields(dict(obj), name, fields)
    try:
        return _fields(dict(obj), name, fields)
    except Invalid as e:
        raise Invalid(prefix + str(e))


# what Telegram's descriptions say first for a bad button
_PREFIXES = {'InlineKeyboardButton': "can't parse inline keyboard button: ",
             'KeyboardButton': "can't parse keyboard button: "}


_STRING = ('String',)
_SHAPES: Dict[str, Tuple[Tuple[str, ...], Dict[str, Tuple[str, ...]]]] = {}


def _shape(name: str, fields: Fields) -> Tuple[Tuple[str, ...], Dict[str, Tuple[str, ...]]]:
    """(required fields, field -> types) of a method or type."""
    shape = _SHAPES.get(name)
    if shape is None:
        shape = _SHAPES[name] = (tuple(f for f, req, _ in fields if req),
                                 {f: _STRING if types == _STRING else types
                                  for f, _, types in fields})
    return shape


def _fields(obj: Dict[str, Any], name: str, fields: Fields) -> Dict[str, Any]:
    if name == 'InlineKeyboardButton':
        _button(obj)
    required, typed = _SHAPES.get(name) or _shape(name, fields)
    for field in required:
        if field not in obj:
            raise Invalid("Can't find field \"%s\"" % field)
    for field, value in obj.items():
        types = typed.get(field)
        if types is None or value is None:     # fields Telegram does not know: ignored
            continue
        if types is _STRING and value.__class__ is str:
            continue                           # the most common case, without a call
        obj[field] = _value(value, types, field)
    if _formatted(name, fields):
        _format(obj, name, fields)
    for field in _limited(name, fields):
        if field in obj:
            _limit(name, field, obj[field])
    return obj


_LIMITED: Dict[str, Tuple[str, ...]] = {}


def _limited(owner: str, fields: Fields) -> Tuple[str, ...]:
    """The fields of a method or type that LIMITS has a rule for."""
    found = _LIMITED.get(owner)
    if found is None:
        found = _LIMITED[owner] = tuple(
            f for f, _, _ in fields if (owner, f) in LIMITS or ('*', f) in LIMITS)
    return found


def _button(obj: Dict[str, Any]) -> None:
    if obj.get('callback_data') == '':
        del obj['callback_data']          # an empty callback_data is no action
    actions = []
    for k, v in obj.items():
        if k not in _NOT_BUTTON_ACTIONS and v is not None and v is not False:
            actions.append(k)
    if not actions:
        raise Invalid('Text buttons are unallowed in the inline keyboard')
    if len(actions) > 1:
        raise Invalid('exactly one of the fields %s must be used, not several'
                      % ', '.join(sorted(actions)))


# -- the call ------------------------------------------------------------------------------
def _words(name: str) -> str:
    return name.replace('_', ' ')


def _param_error(name: str, err: Invalid) -> Exception:
    detail = str(err)
    if name == 'reply_markup':
        return bad_request(detail[0].lower() + detail[1:])
    if name.endswith('entities'):
        return bad_request("can't parse MessageEntity: %s" % detail)
    return bad_request("can't parse %s: %s" % (_words(name), detail))


# reply_markup keyboards: field -> (markup type, button type, what a button may be)
_KEYBOARDS = {'inline_keyboard': ('InlineKeyboardMarkup', 'InlineKeyboardButton', (dict,),
                                  'an Object'),
              'keyboard': ('ReplyKeyboardMarkup', 'KeyboardButton', (dict, str),
                           'a String or an Object')}


def _markup(value: Any) -> None:
    """reply_markup's own shape rules, with Telegram's descriptions."""
    if not isinstance(value, dict):
        raise Invalid('Object expected as reply markup')
    for field, (markup, button, kinds, what) in _KEYBOARDS.items():
        if field not in value:
            continue
        rows = value[field]
        if not isinstance(rows, list):
            raise Invalid('Field "%s" of the %s must be an Array' % (field, markup))
        for row in rows:
            if not isinstance(row, list):
                raise Invalid('Field "%s" of the %s must be an Array of Arrays'
                              % (field, markup))
            if not all(isinstance(b, kinds) for b in row):
                raise Invalid('%s%s must be %s' % (_PREFIXES[button], button, what))
        return
    if not (value.get('remove_keyboard') is True or value.get('force_reply') is True):
        raise Invalid('Object expected as reply markup')


def check_call(ms: MethodSpec, params: Dict[str, Any]) -> Dict[str, Any]:
    """The typed parameters of a call to ``ms`` as Telegram takes them (a new dict: formatted
    text parsed, nested objects checked); raises the ApiError Telegram answers with."""
    params = dict(params)
    fields = _METHOD_FIELDS.get(ms.name) or spec.METHODS[ms.name][1]
    for name, _, types in fields:
        value = params.get(name)
        if value is None or ms.kinds.get(name) != 'json':
            continue
        if isinstance(value, str):
            # still a string: not the JSON object or array the parameter needs
            raise json_error(name)
        try:
            if name == 'reply_markup':
                _markup(value)
            params[name] = _value(value, types, name)
        except Invalid as e:
            raise _param_error(name, e)
    if _formatted(ms.name, fields):
        _format(params, ms.name, fields)
    for name in _limited(ms.name, fields):
        if name in params:
            _limit(ms.name, name, params[name])
    return params


_METHOD_FIELDS: Dict[str, Fields] = {name: fields for name, (_, fields) in spec.METHODS.items()}

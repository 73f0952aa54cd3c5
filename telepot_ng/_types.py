"""The class factory behind telepot_ng.namedtuple: one tuple class per Bot API type.

``make_type(name, doc)`` builds the class of a concrete type from ``spec.TYPES[name]``;
``make_union(name, doc)`` the class of an abstract type from ``spec.SUBTYPES[name]``.
Both are called by the generated ``_generated/types.py``.

How instances behave (see the reference of telepot_ng.namedtuple):

* They are tuples with namedtuple's interface (``_fields``, ``_field_defaults``, ``_asdict``,
  ``_replace``, ``_make``); a field named after a Python keyword gets a trailing underscore
  (``from`` -> ``from_``), and both spellings are accepted as keywords.
* Keyword construction checks required fields (TypeError naming the missing ones) except
  those whose value is fixed by the API (``type='article'``, ``force_reply=True``), which
  default to that value.  Dicts converted on the caller's behalf -- nested values, and
  ``namedtuple(dict, 'Type')`` -- are taken as Telegram sent them: a missing required field
  becomes None instead of an error.
* Nested dicts and lists become instances of the field's type; a dict given for an abstract
  type becomes the concrete type its discriminator (``type``, ``status``, ``source``) names.
* Fields this snapshot does not know (a newer Bot API, or telepot-era names such as
  ``message_text`` or ``hide_keyboard``) are kept in ``obj._extra`` (a dict), read as
  attributes (``obj.message_text``) and included by ``_asdict()``.  A variant of an abstract
  type that the snapshot does not know becomes an instance of the abstract class itself,
  whose fields are those all its variants share.
"""
from __future__ import annotations

import keyword
from types import MappingProxyType
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import _masking
from ._generated import spec

try:  # CPython's fast field accessor, the one collections.namedtuple uses
    from collections import _tuplegetter  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other interpreters
    from operator import itemgetter as _itemgetter

    def _tuplegetter(index: int, doc: str) -> Any:
        return property(_itemgetter(index), doc=doc)

__all__ = ['ApiObject', 'make_type', 'make_union', 'make_legacy_type', 'lookup',
           'TELEGRAM_NAMES']

log = _masking.logger(__name__)

#: Every class built here, by Bot API type name (concrete, abstract and legacy).
_CLASSES: Dict[str, type] = {}

_MISSING: Any = type('_Missing', (), {'__repr__': lambda self: '<required>'})()
_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})

#: telepot-era keywords that stand in for a required field of today's API.  Giving one
#: waives that field's requirement; the Bot's compat layer (_compat.py) rewrites the legacy
#: field into today's form when the object is sent.
_STANDS_IN = {
    'message_text': 'input_message_content',  # inline results before Bot API 2.0
    'thumb_url': 'thumbnail_url',             # renamed in Bot API 6.6
    'hide_keyboard': 'remove_keyboard',       # ReplyKeyboardHide of Bot API 1.x
}

#: Fields older Bot APIs had (and Telegram may still send) with the type their value
#: converts to when it is kept in ``_extra``.
_LEGACY_FIELD_TYPES = {
    'new_chat_participant': 'User', 'new_chat_member': 'User',
    'left_chat_participant': 'User', 'forward_from': 'User', 'forward_from_chat': 'Chat',
    'thumb': 'PhotoSize',
}


def _pyname(field: str) -> str:
    return field + '_' if keyword.iskeyword(field) else field


#: Python field name -> Telegram's name, for the fields whose name is a Python keyword
#: (``{'from_': 'from'}``).  The transport uses it to serialise ``_asdict()`` output.
TELEGRAM_NAMES: Dict[str, str] = {
    _pyname(f): f for fields in spec.TYPES.values() for f, _, _ in fields
    if keyword.iskeyword(f)}


def lookup(name: str) -> type:
    """The class of Bot API type ``name`` (KeyError if there is none)."""
    return _CLASSES[name]


# ------------------------------------------------------------------------ constants

_constants: Optional[Dict[str, Dict[str, Any]]] = None


def _all_constants() -> Dict[str, Dict[str, Any]]:
    """Fixed field values per type (generated: spec.CONSTANTS)."""
    global _constants
    if _constants is None:
        _constants = {k: dict(v) for k, v in spec.CONSTANTS.items()}
    return _constants


# ------------------------------------------------------------------------ conversion

def _element(type_str: str) -> Tuple[int, str]:
    depth = 0
    while type_str.startswith('Array of '):
        type_str = type_str[9:]
        depth += 1
    return depth, type_str


def _converter(types: Sequence[str]) -> Optional[Callable[[Any], Any]]:
    """A function turning a field's raw value into objects, or None for scalar fields."""
    for t in types:
        depth, name = _element(t)
        if name in spec.TYPES or name in spec.SUBTYPES:
            break
    else:
        return None

    nested = any(s.startswith('Array of ') for s in spec.SUBTYPES.get(name, ()))

    def one(v: Any) -> Any:
        if isinstance(v, dict):
            return _CLASSES[name]._from_dict(v)
        if nested and isinstance(v, list):  # RichText may be an array of RichText
            return [one(x) for x in v]
        return v

    conv = one
    for _ in range(depth):
        conv = _listing(conv)
    return conv


def _listing(conv: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def many(v: Any) -> Any:
        return [conv(x) for x in v] if isinstance(v, list) else v
    return many


_LEGACY_CONVERTERS = {k: _converter((t,)) for k, t in _LEGACY_FIELD_TYPES.items()}


class _Meta:
    """What construction needs, worked out on a class's first instance."""

    __slots__ = ('index', 'template', 'convs', 'required', 'stands_in', 'defaults')

    def __init__(self, cls: type) -> None:
        fields: Sequence[Tuple[str, bool, Tuple[str, ...]]] = cls._spec_fields
        consts = cls._constants if cls._constants is not None else \
            _all_constants().get(cls._api_name, {})
        self.index: Dict[str, int] = {}
        self.template: List[Any] = []
        convs = []
        required = []
        defaults = {}
        for i, (f, req, types) in enumerate(fields):
            py = _pyname(f)
            self.index[f] = self.index[py] = i
            if f in consts:
                value = consts[f]
                defaults[py] = value
            elif req:
                value = _MISSING
                required.append(i)
            else:
                value = None
                defaults[py] = None
            self.template.append(value)
            convs.append(_converter(types))
        self.convs = tuple(convs)
        self.required = tuple(required)
        self.stands_in = {k: self.index[v] for k, v in _STANDS_IN.items() if v in self.index}
        self.defaults = MappingProxyType(defaults)


class _FieldDefaults:
    """``cls._field_defaults`` (computed with the rest of the class metadata)."""

    def __get__(self, obj: Any, cls: type) -> Mapping[str, Any]:
        return (cls._meta or cls._prepare()).defaults


class ApiObject(tuple):
    """Base class of every Bot API namedtuple (see the module docstring)."""

    _fields: Tuple[str, ...] = ()
    _api_name = ''
    _spec_fields: Tuple[Tuple[str, bool, Tuple[str, ...]], ...] = ()
    _constants: Optional[Dict[str, Any]] = None
    _meta: Optional[_Meta] = None
    _extra: Mapping[str, Any] = _NO_EXTRA
    _field_defaults = _FieldDefaults()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._construct(args, kwargs, True)

    @classmethod
    def _prepare(cls) -> _Meta:
        meta = cls._meta = _Meta(cls)
        return meta

    @classmethod
    def _from_dict(cls, data: Mapping[str, Any]) -> Any:
        """Convert a dict as Telegram sends it (missing required fields become None)."""
        return cls._construct((), data, False)

    @classmethod
    def _construct(cls, args: Sequence[Any], kwargs: Mapping[str, Any], strict: bool) -> Any:
        meta = cls._meta or cls._prepare()
        vals = meta.template[:]
        convs = meta.convs
        index = meta.index
        if args:
            if len(args) > len(vals):
                raise TypeError('%s() takes %d positional arguments but %d were given'
                                % (cls.__name__, len(vals), len(args)))
            for i, v in enumerate(args):
                c = convs[i]
                vals[i] = v if c is None or v is None else c(v)
        extra = None
        for k, v in kwargs.items():
            i = index.get(k)
            if i is None:
                if extra is None:
                    extra = {}
                c = _LEGACY_CONVERTERS.get(k)
                extra[k] = v if c is None or v is None else c(v)
                continue
            if i < len(args):
                raise TypeError('%s() got multiple values for field %r' % (cls.__name__, k))
            c = convs[i]
            vals[i] = v if c is None or v is None else c(v)
        for i in meta.required:
            if vals[i] is _MISSING:
                cls._missing(vals, meta, extra, strict)
                break
        obj = tuple.__new__(cls, vals)
        if extra:
            obj._extra = extra
        return obj

    @classmethod
    def _missing(cls, vals: List[Any], meta: _Meta, extra: Optional[Dict[str, Any]],
                 strict: bool) -> None:
        waived = {meta.stands_in[k] for k in (extra or ()) if k in meta.stands_in}
        missing = [cls._fields[i] for i in meta.required
                   if vals[i] is _MISSING and i not in waived]
        if strict and missing:
            raise TypeError('%s() missing required field%s: %s'
                            % (cls.__name__, 's' if len(missing) > 1 else '',
                               ', '.join(repr(m) for m in missing)))
        for i in meta.required:
            if vals[i] is _MISSING:
                vals[i] = None

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Any:
        """Make an instance from a sequence of field values (no conversion, as namedtuple)."""
        obj = tuple.__new__(cls, iterable)
        if len(obj) != len(cls._fields):
            raise TypeError('%s._make: expected %d values, got %d'
                            % (cls.__name__, len(cls._fields), len(obj)))
        return obj

    def _asdict(self) -> Dict[str, Any]:
        """Fields (Python names, None included) followed by the ``_extra`` fields."""
        d = dict(zip(self._fields, self))
        if self._extra:
            d.update(self._extra)
        return d

    def _replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (values converted like the constructor's)."""
        d = self._asdict()
        d.update(changes)
        return type(self)._construct((), d, True)

    def __reduce__(self) -> Tuple[Any, ...]:
        return _restore, (type(self), tuple(self), dict(self._extra) or None)

    def __getattr__(self, name: str) -> Any:
        extra = self._extra
        if name in extra:
            return extra[name]
        raise AttributeError('%r object has no attribute %r' % (type(self).__name__, name))

    def __repr__(self) -> str:
        parts = ['%s=%r' % (f, v) for f, v in zip(self._fields, self) if v is not None]
        parts.extend('%s=%r' % kv for kv in self._extra.items())
        return '%s(%s)' % (type(self).__name__, ', '.join(parts))


def _restore(cls: type, values: Tuple[Any, ...], extra: Optional[Dict[str, Any]]) -> Any:
    obj = tuple.__new__(cls, values)
    if extra:
        obj._extra = extra
    return obj


def _new_class(name: str, fields: Tuple[Tuple[str, bool, Tuple[str, ...]], ...], doc: str,
               metaclass: type = type, constants: Optional[Dict[str, Any]] = None) -> type:
    pynames = tuple(_pyname(f) for f, _, _ in fields)
    ns: Dict[str, Any] = {
        '__doc__': doc, '__module__': 'telepot_ng.namedtuple', '__slots__': (),
        '_fields': pynames, '_spec_fields': fields, '_constants': constants, '_api_name': name,
    }
    for i, (py, (_, req, types)) in enumerate(zip(pynames, fields)):
        ns[py] = _tuplegetter(i, ' or '.join(types) + ('' if req else ', optional'))
    cls = metaclass(name, (ApiObject,), ns)
    _CLASSES[name] = cls
    return cls


def make_type(name: str, doc: str) -> type:
    """The namedtuple class of concrete Bot API type ``name`` (fields from spec.TYPES)."""
    return _new_class(name, spec.TYPES[name], doc)


def make_legacy_type(name: str, fields: Tuple[Tuple[str, bool, Tuple[str, ...]], ...],
                     doc: str, constants: Optional[Dict[str, Any]] = None) -> type:
    """A class for a type the Bot API no longer has (fields given like spec.TYPES)."""
    return _new_class(name, fields, doc, constants=constants or {})


# ------------------------------------------------------------------------ abstract types

class _UnionMeta(type):
    """Metaclass of abstract types: every variant's instance is an instance of the union."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return type.__instancecheck__(cls, obj) or isinstance(obj, cls._variants()[0])

    def __subclasscheck__(cls, sub: type) -> bool:
        return type.__subclasscheck__(cls, sub) or issubclass(sub, cls._variants()[0])


class _Union(ApiObject):
    """Base of abstract types; an instance of the abstract class itself is a variant this
    snapshot does not know (its shared fields as fields, the rest in ``_extra``)."""

    _members: Tuple[str, ...] = ()
    _choice: Optional[Tuple[Tuple[type, ...], Optional[str], Dict[Any, Tuple[type, ...]]]] = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError('%s() takes keyword arguments only' % cls.__name__)
        target = cls._pick(kwargs)
        return target._construct((), kwargs, True) if target is not None \
            else cls._construct((), kwargs, False)

    @classmethod
    def _from_dict(cls, data: Mapping[str, Any]) -> Any:
        target = cls._pick(data)
        return (target or cls)._construct((), data, False)

    @classmethod
    def _variants(cls) -> Tuple[Tuple[type, ...], Optional[str], Dict[Any, Tuple[type, ...]]]:
        """(variant classes, discriminator field or None, discriminator value -> classes)."""
        choice = cls.__dict__.get('_choice')
        if choice is None:
            classes = tuple(_CLASSES[m] for m in cls._members if m in _CLASSES)
            consts = _all_constants()
            common = None
            for c in classes:
                keys = set(consts.get(c._api_name, ()))
                common = keys if common is None else common & keys
            disc = min(common) if common else None
            by_value: Dict[Any, Tuple[type, ...]] = {}
            if disc is not None:
                for c in classes:
                    v = consts[c._api_name][disc]
                    by_value[v] = by_value.get(v, ()) + (c,)
            choice = (classes, disc, by_value)
            cls._choice = choice
        return choice

    @classmethod
    def _pick(cls, data: Mapping[str, Any]) -> Optional[type]:
        """The variant class ``data`` belongs to, or None when no variant fits."""
        classes, disc, by_value = cls._variants()
        if disc is not None:
            candidates = by_value.get(data.get(disc), ())
            if len(candidates) == 1:
                return candidates[0]
            if not candidates:
                return None
        else:
            candidates = classes
        best, best_score = None, None
        consts = _all_constants()
        for c in candidates:
            fixed = consts.get(c._api_name, {})
            if any(k in data and data[k] != v for k, v in fixed.items()):
                continue
            meta = c._meta or c._prepare()
            known = sum(1 for k in data if k in meta.index)
            complete = all(c._spec_fields[i][0] in data or _pyname(c._spec_fields[i][0]) in data
                           for i in meta.required)
            score = (complete, sum(1 for k in fixed if k in data), known)
            if best_score is None or score > best_score:
                best, best_score = c, score
        if best is None or not best_score[0]:
            return None
        return best


def make_union(name: str, doc: str) -> type:
    """The class of abstract Bot API type ``name``: calling it (or converting a dict to it)
    yields the variant named by the discriminator field; ``isinstance`` accepts variants."""
    members = tuple(m for m in spec.SUBTYPES[name] if m in spec.TYPES)
    shared = None
    for m in members:
        names = [f for f, _, _ in spec.TYPES[m]]
        shared = names if shared is None else [f for f in shared if f in names]
    first = dict((f, (f, False, t)) for f, _, t in spec.TYPES[members[0]]) if members else {}
    fields = tuple(first[f] for f in shared or ())
    pynames = tuple(_pyname(f) for f, _, _ in fields)
    ns: Dict[str, Any] = {
        '__doc__': doc, '__module__': 'telepot_ng.namedtuple', '__slots__': (),
        '_fields': pynames, '_spec_fields': fields, '_constants': {}, '_members': members,
        '_api_name': name,
    }
    for i, (py, (_, _, types)) in enumerate(zip(pynames, fields)):
        ns[py] = _tuplegetter(i, ' or '.join(types))
    cls = _UnionMeta(name, (_Union,), ns)
    _CLASSES[name] = cls
    return cls

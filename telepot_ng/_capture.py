"""Capture criteria: telepot's templates compiled into an index key plus remaining tests.

A criterion is an AND of templates (telepot 6.3 keyword form or telepot 12 list form).
One equality on a path to a scalar (``chat.id == 42``) becomes its index key, so the
microphone finds candidate listeners with a dict lookup; the rest are tests run on those
candidates only.  Telepot 12's standard-event template is indexed by (space, source id).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

__all__ = ['Capture', 'KeyCapture', 'compile_capture', 'indexable', 'criteria_templates', 'extract', 'event_source',
           'EVENT_KEY', 'MISSING', 'match']

MISSING = object()


def _pick(part: Any, key: Any) -> Any:
    if isinstance(part, dict):
        return part[key]
    return getattr(part, key)


def extract(msg: Any, path: Tuple[Any, ...]) -> Any:
    try:
        for k in path:
            msg = msg[k]
        return msg
    except (KeyError, TypeError, IndexError):
        return MISSING


def _is_regex(obj: Any) -> bool:
    return isinstance(obj, re.Pattern)


def match(data: Any, template: Any) -> bool:
    """telepot's template match: dict templates select keys (str or regex), callables test,
    anything else compares equal."""
    if isinstance(template, dict):
        if not isinstance(data, dict) and not hasattr(data, '_fields'):
            return False
        for k, v in template.items():
            if _is_regex(k):
                keys = [dk for dk in (data if isinstance(data, dict) else data._fields)
                        if isinstance(dk, str) and k.search(dk)]
                if not keys or not any(match(_pick(data, dk), v) for dk in keys):
                    return False
            else:
                try:
                    part = _pick(data, k)
                except (KeyError, AttributeError, TypeError):
                    return False
                if not match(part, v):
                    return False
        return True
    if callable(template):
        return bool(template(data))
    return data == template


EVENT_KEY = ('<event source>',)      # index path for standard events, see event_source()


def event_source(msg: Any) -> Any:
    """(space, id) of a telepot 12 standard event ``{'_flavor': {'source': {...}}}``."""
    if isinstance(msg, dict) and len(msg) == 1:
        for k, v in msg.items():
            if isinstance(k, str) and k[:1] == '_':
                try:
                    src = v['source']
                    return (src['space'], src['id'])
                except (KeyError, TypeError):
                    return MISSING
    return MISSING


def _indexable(value: Any) -> bool:
    return type(value) in (int, str, bool, float, type(None))


def indexable(value: Any, event: bool = False) -> bool:
    """Can ``value`` be an index value (``event``: an event's (space, source id))?"""
    if event:
        return type(value) is tuple and len(value) == 2 and all(map(_indexable, value))
    return _indexable(value)


class Capture:
    """One capture criterion, compiled: an optional index pair plus remaining tests."""
    __slots__ = ('raw', 'key', 'value', 'tests')

    def __init__(self, raw: Any, key: Optional[Tuple[Any, ...]], value: Any,
                 tests: List[Callable[[Any], bool]]) -> None:
        self.raw = raw          # what the user passed, for list_captures/cancel_capture
        self.key = key          # index path (or EVENT_KEY), None when unindexable
        self.value = value
        self.tests = tests      # all must pass (the index pair is not among them)

    def rest_match(self, msg: Any) -> bool:
        for t in self.tests:
            if not t(msg):
                return False
        return True

    def match(self, msg: Any) -> bool:
        if self.key is not None:
            v = event_source(msg) if self.key is EVENT_KEY else extract(msg, self.key)
            if v is MISSING or v != self.value:
                return False
        return self.rest_match(msg)


EVENT_PATTERN = re.compile('^_.+')     # the key of telepot 12's standard-event template


class KeyCapture(Capture):
    """A criterion that is only its index pair, given as a one-template list
    (``[{'chat': {'id': 42}}]``, or the standard-event template): the template is rebuilt
    when asked for rather than kept (a live handler's criteria cost a few words)."""
    __slots__ = ()

    def __init__(self, key: Tuple[Any, ...], value: Any) -> None:   # noqa: super not called
        self.key = key
        self.value = value
        self.tests = ()

    @property
    def raw(self) -> Any:              # type: ignore[override]
        if self.key is EVENT_KEY:
            space, source = self.value
            return [{EVENT_PATTERN: {'source': {'space': space, 'id': source}}}]
        node = self.value
        for k in reversed(self.key):
            node = {k: node}
        return [node]


def _path_test(path: Tuple[Any, ...], template: Any) -> Callable[[Any], bool]:
    def test(msg: Any) -> bool:
        part = msg
        try:
            for k in path:
                part = _pick(part, k)
        except (KeyError, AttributeError, TypeError, IndexError):
            return False
        return match(part, template)
    return test


def _equal_test(path: Tuple[Any, ...], value: Any) -> Callable[[Any], bool]:
    def test(msg: Any) -> bool:
        v = extract(msg, path)
        return v is not MISSING and v == value
    return test


def _flatten(template: dict, prefix: Tuple[Any, ...], pairs: list, tests: list) -> None:
    for k, v in template.items():
        if isinstance(k, str):
            path = prefix + (k,)
            if isinstance(v, dict) and v:
                _flatten(v, path, pairs, tests)
            elif not isinstance(v, dict) and not callable(v) and _indexable(v):
                pairs.append((path, v))
            else:
                tests.append(_path_test(path, v))
        else:
            tests.append(_path_test(prefix, {k: v}))


def _event_pattern(template: Any) -> Any:
    """Recognise ``{re.compile('^_.+'): {'source': {'space': S, 'id': I}}}`` (telepot 12's
    standard-event capture) so it can be indexed by (S, I)."""
    if isinstance(template, dict) and len(template) == 1:
        (k, v), = template.items()
        if _is_regex(k) and k.search('_x') and not k.search('x') and isinstance(v, dict):
            src = v.get('source')
            if isinstance(src, dict) and set(src) == {'space', 'id'}:
                if _indexable(src['space']) and _indexable(src['id']):
                    return (src['space'], src['id'])
    return MISSING


def compile_capture(raw: Any, templates: Sequence[Any], paths: Iterable[Tuple[Any, ...]]) -> Capture:
    """Compile AND-ed templates into a _Capture, choosing an index pair, preferring paths
    the microphone already indexes (fewer lookups per message)."""
    pairs: List[Tuple[Tuple[Any, ...], Any]] = []
    tests: List[Callable[[Any], bool]] = []
    event_key: Any = MISSING
    for t in templates:
        if isinstance(t, dict):
            ek = _event_pattern(t)
            if ek is not MISSING and event_key is MISSING:
                event_key = ek
                continue
            _flatten(t, (), pairs, tests)
        elif callable(t):
            tests.append(lambda msg, t=t: bool(t(msg)))
        else:
            raise TypeError('a capture template is a dict or a function, got %r' % (t,))
    if event_key is not MISSING:
        if not pairs and not tests:
            return _compact(raw, EVENT_KEY, event_key)
        return Capture(raw, EVENT_KEY, event_key,
                       [_equal_test(p, v) for p, v in pairs] + tests)
    if not pairs:
        return Capture(raw, None, None, tests)
    if len(pairs) == 1 and not tests:
        return _compact(raw, pairs[0][0], pairs[0][1])
    known = set(paths)
    chosen = next((i for i, pv in enumerate(pairs) if pv[0] in known), 0)
    rest = [_equal_test(p, v) for i, (p, v) in enumerate(pairs) if i != chosen]
    return Capture(raw, pairs[chosen][0], pairs[chosen][1], rest + tests)


def _compact(raw: Any, key: Tuple[Any, ...], value: Any) -> Capture:
    """A KeyCapture when it gives back exactly ``raw``, else an ordinary Capture."""
    cap = KeyCapture(key, value)
    if type(raw) is list and len(raw) == 1 and cap.raw == raw:
        return cap
    return Capture(raw, key, value, [])


def criteria_templates(criteria: Dict[str, Any]) -> List[Any]:
    """telepot 6.3 ``capture(chat__id=1, text=fn, _=fn)`` as telepot 12 style templates."""
    templates: List[Any] = []
    for key, template in criteria.items():
        if key == '_':
            templates.append(lambda msg, t=template: match(msg, t))
            continue
        node: Any = template
        for level in reversed(key.split('__')):
            node = {level: node}
        templates.append(node)
    return templates

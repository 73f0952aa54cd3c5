"""Delegation: routing updates to listeners and running one worker thread per seed.

* :class:`Microphone` indexes every listener's capture criteria, so delivering an update
  costs a few dict lookups however many listeners are alive (telepot copied every update
  into every listener's queue).
* :class:`Listener` waits for captured messages; matching happens when a message is sent,
  so a listener's queue only ever holds messages it captured.
* :class:`SpeakerBot` exposes a microphone; :class:`DelegatorBot` spawns delegates from seed
  functions.  A delegate runs in a *slot*: the thread plus the listeners created while
  building it or inside its thread.  When the thread ends for any reason, its listeners stop
  receiving, the slot is unregistered, and messages still queued for it are handed, in order,
  to the seed's next delegate -- all under the routing lock, so nothing is dropped into a
  dead queue and per-seed order is kept.
"""
from __future__ import annotations

import _thread
import collections
import queue as _queue_mod
import re
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from . import _masking
from .bot import Bot
from .exception import StopListening, WaitTooLong

__all__ = ['Microphone', 'Listener', 'SpeakerBot', 'DelegatorBot', 'current_bot', 'at_delegate_end',
           'origin_map']

log = _masking.logger(__name__)

_MISSING = object()
_local = threading.local()


class _Stop:
    """Queued behind a delegate's pending messages when the bot stops."""
    __slots__ = ('reason',)

    def __init__(self, reason: str) -> None:
        self.reason = reason


# ------------------------------------------------------------------------- mailboxes, waker

class _Mailbox:
    """A listener's FIFO.  Putting into it never wakes its thread directly: a sleeping
    owner is handed to the bot's :class:`_Waker`, which wakes threads a few at a time.

    Why: waking a thread per message makes every woken thread compete for the GIL with the
    dispatcher at once; with hundreds of live chats the dispatcher then runs a few
    microseconds per GIL turn (measured: 14,000 updates/s at 1,000 chats, 1,800 at
    10,000).  Deferred, bounded wakes let each woken thread drain several messages per turn.

    Producers are serialised by the microphone's lock; ``get`` is called by the owner only.
    """
    __slots__ = ('_dq', '_sem', '_sleeping', '_counted', '_waker')

    def __init__(self, waker: '_Waker') -> None:
        self._dq: collections.deque = collections.deque()
        self._sem = _thread.allocate_lock()
        self._sem.acquire()
        self._sleeping = False
        self._counted = False
        self._waker = waker

    def put(self, item: Any) -> None:
        self._dq.append(item)
        if self._sleeping:
            self._sleeping = False
            self._waker.schedule(self)

    put_nowait = put

    def get_nowait(self) -> Any:
        try:
            return self._dq.popleft()
        except IndexError:
            raise _queue_mod.Empty from None

    def get(self, block: bool = True, timeout: Optional[float] = None) -> Any:
        dq = self._dq
        try:
            return dq.popleft()
        except IndexError:
            if not block:
                raise _queue_mod.Empty from None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            self._sleeping = True
            if dq:                                  # a put raced with us
                self._sleeping = False
                try:
                    return dq.popleft()
                except IndexError:
                    continue
            self._waker.asleep(self)
            if deadline is None:
                self._sem.acquire()
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._sem.acquire(timeout=remaining):
                    self._sleeping = False
                    try:
                        return dq.popleft()
                    except IndexError:
                        raise _queue_mod.Empty from None
            self._sleeping = False
            try:
                return dq.popleft()
            except IndexError:                      # a stale wake-up: sleep again
                continue

    def qsize(self) -> int:
        return len(self._dq)

    def empty(self) -> bool:
        return not self._dq


class _Waker:
    """Wakes sleeping mailbox owners in FIFO order, keeping at most ``limit`` of them
    awake-but-not-yet-asleep-again at a time (a thread blocked in I/O for more than a
    millisecond stops counting, so slow handlers never stall the others)."""

    def __init__(self, name: str, limit: int = 16) -> None:
        self._name = name
        self._limit = limit
        self._pending: collections.deque = collections.deque()
        self._signal = _thread.allocate_lock()
        self._signal.acquire()
        self._armed = False
        self._cond = threading.Condition(threading.Lock())
        self._active = 0
        self._stopped = False
        self._thread: Optional[threading.Thread] = None
        self._start_lock = threading.Lock()

    def schedule(self, mailbox: _Mailbox) -> None:
        if self._stopped:                 # no throttling after stop(): wake directly
            try:
                mailbox._sem.release()
            except RuntimeError:
                pass
            return
        self._pending.append(mailbox)
        if not self._armed:
            self._armed = True
            if self._thread is None:
                self._start()
            try:
                self._signal.release()
            except RuntimeError:
                pass

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def asleep(self, mailbox: _Mailbox) -> None:
        if mailbox._counted:
            with self._cond:
                if mailbox._counted:
                    mailbox._counted = False
                    if self._active > 0:
                        self._active -= 1
                    if self._active <= self._limit // 2:
                        self._cond.notify()

    def _run(self) -> None:
        pending = self._pending
        limit = self._limit
        while True:
            self._signal.acquire()
            self._armed = False
            if self._stopped:
                return
            while pending:
                with self._cond:
                    if self._active >= limit and not self._cond.wait(0.001):
                        self._active = 0            # the awake ones are busy elsewhere (I/O)
                    room = max(limit - self._active, 1)
                    for _ in range(room):
                        try:
                            mb = pending.popleft()
                        except IndexError:
                            break
                        if not mb._counted:
                            mb._counted = True
                            self._active += 1
                        try:
                            mb._sem.release()
                        except RuntimeError:        # already released: it will wake anyway
                            pass

    def stop(self) -> None:
        self._stopped = True
        try:
            self._signal.release()
        except RuntimeError:
            pass
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(5)
        # whoever is still pending wakes now, so no thread sleeps forever
        while self._pending:
            mb = self._pending.popleft()
            try:
                mb._sem.release()
            except RuntimeError:
                pass


# ---------------------------------------------------------------------------------- matching

def _pick(part: Any, key: Any) -> Any:
    if isinstance(part, dict):
        return part[key]
    return getattr(part, key)


def _extract(msg: Any, path: Tuple[Any, ...]) -> Any:
    try:
        for k in path:
            msg = msg[k]
        return msg
    except (KeyError, TypeError, IndexError):
        return _MISSING


def _is_regex(obj: Any) -> bool:
    return isinstance(obj, re.Pattern)


def _match(data: Any, template: Any) -> bool:
    """telepot's template match: dict templates select keys (str or regex), callables test,
    anything else compares equal."""
    if isinstance(template, dict):
        if not isinstance(data, dict) and not hasattr(data, '_fields'):
            return False
        for k, v in template.items():
            if _is_regex(k):
                keys = [dk for dk in (data if isinstance(data, dict) else data._fields)
                        if isinstance(dk, str) and k.search(dk)]
                if not keys or not any(_match(_pick(data, dk), v) for dk in keys):
                    return False
            else:
                try:
                    part = _pick(data, k)
                except (KeyError, AttributeError, TypeError):
                    return False
                if not _match(part, v):
                    return False
        return True
    if callable(template):
        return bool(template(data))
    return data == template


_EVENT_KEY = ('<event source>',)      # index path for standard events, see _event_source()


def _event_source(msg: Any) -> Any:
    """(space, id) of a telepot 12 standard event ``{'_flavor': {'source': {...}}}``."""
    if isinstance(msg, dict) and len(msg) == 1:
        for k, v in msg.items():
            if isinstance(k, str) and k[:1] == '_':
                try:
                    src = v['source']
                    return (src['space'], src['id'])
                except (KeyError, TypeError):
                    return _MISSING
    return _MISSING


def _indexable(value: Any) -> bool:
    return type(value) in (int, str, bool, float, type(None))


class _Capture:
    """One capture criterion, compiled: an optional index pair plus remaining tests."""
    __slots__ = ('raw', 'key', 'value', 'tests')

    def __init__(self, raw: Any, key: Optional[Tuple[Any, ...]], value: Any,
                 tests: List[Callable[[Any], bool]]) -> None:
        self.raw = raw          # what the user passed, for list_captures/cancel_capture
        self.key = key          # index path (or _EVENT_KEY), None when unindexable
        self.value = value
        self.tests = tests      # all must pass (the index pair is not among them)

    def rest_match(self, msg: Any) -> bool:
        for t in self.tests:
            if not t(msg):
                return False
        return True

    def match(self, msg: Any) -> bool:
        if self.key is not None:
            v = _event_source(msg) if self.key is _EVENT_KEY else _extract(msg, self.key)
            if v is _MISSING or v != self.value:
                return False
        return self.rest_match(msg)


def _path_test(path: Tuple[Any, ...], template: Any) -> Callable[[Any], bool]:
    def test(msg: Any) -> bool:
        part = msg
        try:
            for k in path:
                part = _pick(part, k)
        except (KeyError, AttributeError, TypeError, IndexError):
            return False
        return _match(part, template)
    return test


def _equal_test(path: Tuple[Any, ...], value: Any) -> Callable[[Any], bool]:
    def test(msg: Any) -> bool:
        v = _extract(msg, path)
        return v is not _MISSING and v == value
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
    return _MISSING


def _compile(raw: Any, templates: Sequence[Any], paths: Iterable[Tuple[Any, ...]]) -> _Capture:
    """Compile AND-ed templates into a _Capture, choosing an index pair, preferring paths
    the microphone already indexes (fewer lookups per message)."""
    pairs: List[Tuple[Tuple[Any, ...], Any]] = []
    tests: List[Callable[[Any], bool]] = []
    event_key: Any = _MISSING
    for t in templates:
        if isinstance(t, dict):
            ek = _event_pattern(t)
            if ek is not _MISSING and event_key is _MISSING:
                event_key = ek
                continue
            _flatten(t, (), pairs, tests)
        elif callable(t):
            tests.append(lambda msg, t=t: bool(t(msg)))
        else:
            raise TypeError('a capture template is a dict or a function, got %r' % (t,))
    if event_key is not _MISSING:
        return _Capture(raw, _EVENT_KEY, event_key,
                        [_equal_test(p, v) for p, v in pairs] + tests)
    if not pairs:
        return _Capture(raw, None, None, tests)
    known = set(paths)
    chosen = next((pv for pv in pairs if pv[0] in known), pairs[0])
    rest = [_equal_test(p, v) for p, v in pairs if (p, v) is not chosen]
    return _Capture(raw, chosen[0], chosen[1], rest + tests)


def _criteria_templates(criteria: Dict[str, Any]) -> List[Any]:
    """telepot 6.3 ``capture(chat__id=1, text=fn, _=fn)`` as telepot 12 style templates."""
    templates: List[Any] = []
    for key, template in criteria.items():
        if key == '_':
            templates.append(lambda msg, t=template: _match(msg, t))
            continue
        node: Any = template
        for level in reversed(key.split('__')):
            node = {level: node}
        templates.append(node)
    return templates


# -------------------------------------------------------------------------------- microphone

class _Entry:
    """What the microphone holds for one listener (not the listener itself, so a dropped
    Listener can be collected)."""
    __slots__ = ('queue', 'captures', 'owner', '__weakref__')

    def __init__(self, q: Any) -> None:
        self.queue = q
        self.captures: List[_Capture] = []
        self.owner: Optional[_Slot] = None


class Microphone:
    """Delivers each message to the queues of the listeners whose captures match it.

    ``add(queue)``/``remove(queue)`` register a plain queue that receives every message
    (telepot's API).  Listeners register themselves with their capture criteria.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._raw: List[Any] = []
        self._index: Dict[Tuple[Any, ...], Dict[Any, List[Tuple[_Entry, _Capture]]]] = {}
        self._scan: List[Tuple[_Entry, _Capture]] = []
        self._entries: Dict[int, _Entry] = {}
        self._dead: collections.deque = collections.deque()   # entries of collected listeners
        self._waker = _Waker('telepot_ng-waker')

    # telepot API -----------------------------------------------------------------------
    def add(self, queue: Any) -> None:
        """Add a queue that receives every message sent."""
        with self._lock:
            if not any(q is queue for q in self._raw):
                self._raw.append(queue)

    def remove(self, queue: Any) -> None:
        """Remove a queue added with :meth:`add` (or a listener's queue)."""
        with self._lock:
            self._raw = [q for q in self._raw if q is not queue]
            for e in [e for e in self._entries.values() if e.queue is queue]:
                self._unbind(e)

    def send(self, msg: Any) -> None:
        """Put ``msg`` into the queue of every listener that captures it."""
        with self._lock:
            self._deliver(msg)

    # internals -------------------------------------------------------------------------
    def _deliver(self, msg: Any) -> int:
        """Put ``msg`` into every matching listener's queue once; returns how many.
        The caller holds the lock."""
        if self._dead:
            self._reap()
        sent: List[_Entry] = []
        for path, table in self._index.items():
            v = _event_source(msg) if path is _EVENT_KEY else _extract(msg, path)
            if v is _MISSING:
                continue
            try:
                bucket = table.get(v)
            except TypeError:           # an unhashable value: nothing can be indexed on it
                continue
            if bucket:
                for entry, cap in bucket:
                    if entry not in sent and self._test(cap, msg, True):
                        entry.queue.put(msg)
                        sent.append(entry)
        for entry, cap in self._scan:
            if entry not in sent and self._test(cap, msg, False):
                entry.queue.put(msg)
                sent.append(entry)
        for q in self._raw:
            q.put(msg)
        return len(sent)

    def _reap(self) -> None:
        while self._dead:
            self._unbind(self._dead.popleft())

    @staticmethod
    def _test(cap: _Capture, msg: Any, indexed: bool) -> bool:
        try:
            return cap.rest_match(msg) if indexed else cap.match(msg)
        except Exception:
            log.exception('a capture criterion raised on a message; treated as no match: %r',
                          cap.raw)
            return False

    def _bind(self, entry: _Entry) -> None:
        with self._lock:
            if self._dead:
                self._reap()
            self._entries[id(entry)] = entry
            self._raw = [q for q in self._raw if q is not entry.queue]
            self._index_entry(entry)

    def _unbind(self, entry: _Entry) -> None:
        with self._lock:
            if self._entries.pop(id(entry), None) is None:
                return
            self._unindex_entry(entry)

    def _index_entry(self, entry: _Entry) -> None:
        for cap in entry.captures:
            if cap.key is None:
                self._scan.append((entry, cap))
            else:
                self._index.setdefault(cap.key, {}).setdefault(cap.value, []).append((entry, cap))

    def _unindex_entry(self, entry: _Entry) -> None:
        self._scan = [ec for ec in self._scan if ec[0] is not entry]
        for cap in entry.captures:
            if cap.key is None:
                continue
            table = self._index.get(cap.key)
            if table is None:
                continue
            bucket = table.get(cap.value)
            if bucket is not None:
                bucket[:] = [ec for ec in bucket if ec[0] is not entry]
                if not bucket:
                    del table[cap.value]
            if not table:
                del self._index[cap.key]

    def _recapture(self, entry: _Entry, captures: List[_Capture]) -> None:
        with self._lock:
            bound = id(entry) in self._entries
            if bound:
                self._unindex_entry(entry)
            entry.captures = captures
            if bound:
                self._index_entry(entry)

    def _paths(self) -> List[Tuple[Any, ...]]:
        return list(self._index)


# ---------------------------------------------------------------------------------- listener

class Listener:
    """Waits for messages that match its capture criteria.

    ``Listener(mic, queue)`` as in telepot; normally obtained from
    :meth:`SpeakerBot.create_listener` or a handler's ``listener`` property.
    """

    def __init__(self, mic: Microphone, q: Any) -> None:
        self._mic = mic
        self._entry = _Entry(q)
        self._options: Dict[str, Any] = {'timeout': None}
        slot = getattr(_local, 'slot', None)
        if slot is not None and slot.mic is mic:
            self._entry.owner = slot
            slot.entries.append(self._entry)
        mic._bind(self._entry)

    def __del__(self) -> None:
        # No locking here (a collection may run inside any thread holding any lock): the
        # microphone unbinds the entry the next time it delivers or binds.
        try:
            self._mic._dead.append(self._entry)
        except Exception:      # interpreter shutdown
            pass

    @property
    def queue(self) -> Any:
        return self._entry.queue

    def set_options(self, **name_values: Any) -> None:
        """Set options; ``timeout`` (seconds, None = forever) bounds :meth:`wait`."""
        self._options.update(name_values)

    def get_options(self, *names: str) -> Tuple[Any, ...]:
        """Values of the named options, as a tuple."""
        return tuple(self._options[n] for n in names)

    def capture(self, *patterns: Any, **criteria: Any) -> None:
        """Add a capture criterion; a message matching any criterion is captured.

        telepot 6.3 form: ``capture(chat__id=123, text=lambda t: t.isdigit())`` (keys select
        parts with ``__``, ``_`` selects the whole message; values are plain values,
        functions or nested dicts; all must match).  telepot 12 form:
        ``capture([{'chat': {'id': 123}}, lambda msg: ...])`` (a list of templates, all must
        match; dict keys may be compiled regexes).
        """
        if patterns and criteria:
            raise TypeError('capture() takes a pattern list or keyword criteria, not both')
        new = list(self._entry.captures)
        if criteria:
            new.append(_compile(dict(criteria), _criteria_templates(criteria), self._mic._paths()))
        for p in patterns:
            templates = p if isinstance(p, (list, tuple)) else [p]
            new.append(_compile(p, templates, self._mic._paths()))
        if not patterns and not criteria:
            raise TypeError('capture() needs a pattern list or keyword criteria')
        self._mic._recapture(self._entry, new)

    def cancel_capture(self, *patterns: Any, **criteria: Any) -> None:
        """Remove criteria given exactly as they were given to :meth:`capture`."""
        targets = list(patterns) + ([criteria] if criteria else [])
        new = [c for c in self._entry.captures if not any(c.raw == t for t in targets)]
        self._mic._recapture(self._entry, new)

    def clear_captures(self) -> None:
        """Remove all capture criteria."""
        self._mic._recapture(self._entry, [])

    def list_captures(self) -> List[Any]:
        """The capture criteria, as given."""
        return [c.raw for c in self._entry.captures]

    def wait(self) -> Any:
        """Block until a captured message arrives and return it.

        Raises :class:`~telepot_ng.exception.WaitTooLong` after the ``timeout`` option's
        seconds without one, and :class:`~telepot_ng.exception.StopListening` when the bot
        is stopping (after every message captured before the stop was handed out).
        """
        if not self._entry.captures:
            raise RuntimeError('Listener has nothing to capture')
        timeout = self._options['timeout']
        q = self._entry.queue
        try:
            item = q.get() if timeout is None else q.get(timeout=timeout)
        except _queue_mod.Empty:
            raise WaitTooLong(timeout) from None
        if isinstance(item, _Stop):
            q.put(item)        # every later wait() stops too
            raise StopListening('stopping', item.reason)
        return item

    def close(self) -> None:
        """Stop receiving messages (also happens when a delegate's thread ends)."""
        self._mic._unbind(self._entry)


# ------------------------------------------------------------------------------- speaker bot

class SpeakerBot(Bot):
    """A Bot with a :class:`Microphone`, whose listeners capture messages sent to it."""

    def __init__(self, token: str, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._mic = Microphone()
        self._mic._waker._name = 'telepot_ng-waker-%d' % self.id

    @property
    def mic(self) -> Microphone:
        """The microphone; ``bot.mic.send(msg)`` delivers ``msg`` to matching listeners."""
        return self._mic

    def create_listener(self) -> Listener:
        """A new :class:`Listener` on this bot's microphone."""
        return Listener(self._mic, _Mailbox(self._mic._waker))


# ------------------------------------------------------------------------------------ slots

def current_bot() -> Optional['DelegatorBot']:
    """The DelegatorBot dispatching in this thread (for seed functions that need it)."""
    return getattr(_local, 'bot', None)


def at_delegate_end(fn: Callable[[], Any]) -> bool:
    """Run ``fn()`` when the delegate being built (or running) in this thread ends.

    Returns False (and does nothing) outside a delegate.
    """
    slot = getattr(_local, 'slot', None)
    if slot is None:
        return False
    slot.at_end.append(fn)
    return True


def origin_map(bot: Any) -> Dict[Any, Any]:
    """The bot's map from callback-query origin to the seed of the delegate that owns it."""
    m = getattr(bot, '_callback_origins', None)
    if m is None:
        m = bot._callback_origins = {}
    return m


class _Slot:
    """A running (or waiting) delegate: its thread, its listeners, its seed."""
    __slots__ = ('bot', 'mic', 'pattern', 'seed', 'hashable', 'entries', 'thread', 'obj',
                 'pending', 'ended', 'name', 'at_end')

    def __init__(self, bot: 'DelegatorBot', pattern: int, seed: Any, hashable: bool) -> None:
        self.bot = bot
        self.mic = bot._mic
        self.pattern = pattern
        self.seed = seed
        self.hashable = hashable
        self.entries: List[_Entry] = []
        self.thread: Optional[threading.Thread] = None
        self.obj: Any = None            # a user object with start()/is_alive()
        self.pending: Optional[List[Any]] = None   # messages waiting for a free thread
        self.ended = False
        self.name = ''
        self.at_end: List[Callable[[], Any]] = []

    def alive(self) -> bool:
        if self.pending is not None:
            return True
        if self.obj is not None:
            return bool(self.obj.is_alive())
        return not self.ended

    def __repr__(self) -> str:
        return '<delegate %s>' % (self.name or self.seed)


def _describe_target(target: Any) -> str:
    owner = getattr(target, '__self__', None)
    if owner is not None:
        return type(owner).__name__
    return getattr(target, '__name__', type(target).__name__)


class DelegatorBot(SpeakerBot):
    """A Bot that spawns delegates according to ``delegation_patterns``.

    ``DelegatorBot(token, [(seed_calculating_function, delegate_producing_function), ...])``
    with telepot's semantics: a hashable seed has at most one live delegate, an unhashable
    seed always gets a new one, ``None`` does nothing; patterns are evaluated in order.

    :param max_delegates: optional cap on live delegate threads.  At the cap, a new seed's
        messages wait, in order, until a delegate ends.
    """

    def __init__(self, token: str, delegation_patterns: Sequence[Tuple[Callable, Callable]], *,
                 max_delegates: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._patterns = [tuple(p) for p in delegation_patterns]
        for p in self._patterns:
            if len(p) != 2 or not callable(p[0]) or not callable(p[1]):
                raise TypeError('a delegation pattern is (seed_function, delegate_producer)')
        if max_delegates is not None and max_delegates < 1:
            raise ValueError('max_delegates must be at least 1')
        self._max_delegates = max_delegates
        self._lock = self._mic._lock
        self._registries: List[Dict[Any, _Slot]] = [{} for _ in self._patterns]
        self._live: Dict[int, _Slot] = {}     # id(slot) -> slot, slots with a running thread
        self._waiting: collections.deque = collections.deque()
        self._stopping: Optional[str] = None
        self._all_ended = threading.Condition(self._lock)
        self._register_stoppable(_DelegatesStopper(self))

    # dispatch ---------------------------------------------------------------------------
    def handle(self, msg: Any) -> None:
        """Deliver ``msg`` to listeners, then spawn delegates per the patterns."""
        with self._lock:
            _local.bot = self
            self._mic._deliver(msg)
            for i, (seeder, producer) in enumerate(self._patterns):
                try:
                    seed = seeder(msg)
                except Exception:
                    log.exception('seed function %r raised; message skipped for this pattern',
                                  seeder)
                    continue
                if seed is None:
                    continue
                try:
                    hash(seed)
                except TypeError:
                    self._spawn(i, seed, False, [msg])
                    continue
                slot = self._registries[i].get(seed)
                if slot is not None:
                    if slot.pending is not None:
                        slot.pending.append(msg)
                        continue
                    if slot.alive():
                        continue
                self._spawn(i, seed, True, [msg])

    @property
    def live_delegates(self) -> int:
        """Number of delegate threads currently running."""
        with self._lock:
            return len(self._live)

    # spawning ---------------------------------------------------------------------------
    def _spawn(self, i: int, seed: Any, hashable: bool, msgs: List[Any]) -> None:
        if self._max_delegates is not None and len(self._live) >= self._max_delegates:
            slot = _Slot(self, i, seed, hashable)
            slot.pending = list(msgs)
            if hashable:
                self._registries[i][seed] = slot
            self._waiting.append(slot)
            return
        slot = _Slot(self, i, seed, hashable)
        producer = self._patterns[i][1]
        previous = getattr(_local, 'slot', None)
        _local.slot = slot
        try:
            delegate = producer((self, msgs[0], seed))
        except Exception:
            log.exception('delegate producer %r raised for seed %r; message not delegated',
                          producer, seed)
            for e in slot.entries:
                self._mic._unbind(e)
            return
        finally:
            _local.slot = previous
        if not self._start(slot, delegate):
            return
        if hashable:
            self._registries[i][seed] = slot
        for m in msgs[1:]:
            self._deliver_to_slot(slot, m)
        if self._stopping is not None:
            for e in slot.entries:
                e.queue.put(_Stop(self._stopping))

    def _start(self, slot: _Slot, delegate: Any) -> bool:
        if delegate is None:
            return False
        if hasattr(delegate, 'start') and hasattr(delegate, 'is_alive'):
            if isinstance(delegate, threading.Thread):
                run = delegate.run
                delegate.run = lambda: self._run_slot(slot, run, (), {})   # type: ignore
                slot.thread = delegate
                slot.name = delegate.name
                self._live[id(slot)] = slot
            else:
                slot.obj = delegate
            delegate.start()
            return True
        if callable(delegate):
            target, args, kwargs = delegate, (), {}
        elif isinstance(delegate, tuple) and len(delegate) == 3 and callable(delegate[0]):
            target, args, kwargs = delegate[0], tuple(delegate[1]), dict(delegate[2])
        else:
            raise TypeError('a delegate is an object with start()/is_alive(), a function, or '
                            'a (function, args, kwargs) tuple; got %r' % (delegate,))
        slot.name = '%s-%s' % (_describe_target(target), slot.seed if slot.hashable else 'msg')
        slot.thread = threading.Thread(target=self._run_slot, args=(slot, target, args, kwargs),
                                       name=slot.name)
        self._launch(slot)
        return True

    def _launch(self, slot: _Slot) -> bool:
        """Start the slot's thread; when the system refuses a new thread, the slot waits
        (its listeners keep collecting messages in order) and is retried when another
        delegate ends."""
        self._live[id(slot)] = slot
        try:
            slot.thread.start()          # type: ignore[union-attr]
            return True
        except RuntimeError as e:
            del self._live[id(slot)]
            self._waiting.append(slot)
            log.warning('could not start a thread for %s (%s); it starts when another delegate '
                        'ends (consider DelegatorBot(max_delegates=...))', slot.name, e)
            return False

    def _deliver_to_slot(self, slot: _Slot, msg: Any) -> None:
        if slot.pending is not None:
            slot.pending.append(msg)
            return
        for e in slot.entries:
            if any(Microphone._test(c, msg, False) for c in e.captures):
                e.queue.put(msg)
                return
        log.debug('%r does not capture a message handed over to it; dropped', slot)

    def _run_slot(self, slot: _Slot, target: Callable, args: tuple, kwargs: dict) -> None:
        _local.slot = slot
        try:
            target(*args, **kwargs)
        except (StopListening, WaitTooLong) as e:
            log.debug('%r ended: %s', slot, type(e).__name__)
        except Exception:
            log.exception('%r raised', slot)
        finally:
            _local.slot = None
            self._end_slot(slot)

    def _end_slot(self, slot: _Slot) -> None:
        with self._lock:
            slot.ended = True
            self._live.pop(id(slot), None)
            registry = self._registries[slot.pattern]
            if slot.hashable and registry.get(slot.seed) is slot:
                del registry[slot.seed]
            leftovers: List[Any] = []
            seen = set()
            for e in slot.entries:
                self._mic._unbind(e)
                while True:
                    try:
                        item = e.queue.get_nowait()
                    except _queue_mod.Empty:
                        break
                    if isinstance(item, _Stop) or id(item) in seen:
                        continue
                    seen.add(id(item))
                    leftovers.append(item)
            slot.entries = []
            for fn in slot.at_end:
                try:
                    fn()
                except Exception:
                    log.exception('clean-up of %r raised', slot)
            slot.at_end = []
            if leftovers:
                if slot.hashable:
                    log.debug('%r ended with %d message(s) queued; handing them to its successor',
                              slot, len(leftovers))
                    self._spawn(slot.pattern, slot.seed, True, leftovers)
                else:
                    log.warning('%r ended with %d message(s) it never took; dropped',
                                slot, len(leftovers))
            while self._waiting and (self._max_delegates is None
                                     or len(self._live) < self._max_delegates):
                waiting = self._waiting.popleft()
                if waiting.pending is None:          # built, but its thread did not start
                    if not self._launch(waiting):
                        break
                    continue
                if waiting.hashable and self._registries[waiting.pattern].get(waiting.seed) is not waiting:
                    continue
                msgs, waiting.pending = waiting.pending, None
                self._spawn(waiting.pattern, waiting.seed, waiting.hashable, msgs or [])
            if not self._live and not self._waiting:
                self._all_ended.notify_all()

    # stopping ---------------------------------------------------------------------------
    def _stop_delegates(self, timeout: Optional[float], reason: str = 'bot is stopping') -> None:
        me = threading.current_thread()
        with self._lock:
            self._stopping = reason
            for slot in list(self._live.values()):
                for e in slot.entries:
                    e.queue.put(_Stop(reason))
            deadline = None if timeout is None else time.monotonic() + timeout
            while any(s.thread is not me for s in self._live.values()) or self._waiting:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    break
                self._all_ended.wait(remaining)
            stuck = [s for s in self._live.values() if s.thread is not me]
            self._stopping = None            # the bot may be started again
        if stuck:
            log.warning('%d delegate(s) still running after %.1f s: %s', len(stuck),
                        timeout or 0, ', '.join(s.name for s in stuck[:10]))
        for s in list(self._live.values()):
            if s.thread is not None and s.thread is not me:
                s.thread.join(0)
        if not stuck:
            self._mic._waker.stop()


class _DelegatesStopper:
    """Registered with Bot.stop(): closes every delegate of a DelegatorBot."""

    def __init__(self, bot: DelegatorBot) -> None:
        self._bot = bot

    def stop(self, timeout: Optional[float] = None) -> None:
        self._bot._stop_delegates(timeout)

    def __repr__(self) -> str:
        return '<delegates of %r>' % (self._bot,)

"""Delegation: routing updates to listeners and running one worker thread per seed.

* :class:`Microphone` indexes every listener's capture criteria, so delivering an update
  costs a few dict lookups however many listeners are alive (telepot copied every update
  into every listener's queue).
* :class:`Listener` waits for captured messages; matching happens when a message is sent,
  so a listener's queue only ever holds messages it captured.
* :class:`SpeakerBot` exposes a microphone; :class:`DelegatorBot` spawns delegates from seed
  functions.  A delegate runs in a *slot*: its listeners (those created while building it or
  while it runs) and what runs it.  When it ends for any reason, its listeners stop
  receiving, the slot is unregistered, and messages still queued for it are handed, in order,
  to the seed's next delegate -- all under the routing lock, so nothing is dropped into a
  dead queue and per-seed order is kept.

Handlers made by ``create_open`` (ChatHandler, UserHandler, Monitor, ...) run on the bot's
worker pool (:mod:`telepot_ng._pool`): the slot's mailbox is the unit of scheduling.  A put
into an idle handler's mailbox claims the slot and submits it; a worker runs
up to ``_THROUGHPUT`` of its messages, then releases the claim (and resubmits the slot if
more arrived), so at most one worker serves a seed at a time, in order.  Idle timeouts come
from :class:`~telepot_ng._pool.IdleTimers` (a touch per busy turn), not from blocked threads.
Other delegates (``call``, ``create_run``, threads, functions) get a thread each, as before.
"""
from __future__ import annotations

import collections
import contextvars
import queue as _queue_mod
import threading
import time
import weakref
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import _flow, _masking
from . import inflight as _inflight
from ._capture import (EVENT_KEY, MISSING, Capture, KeyCapture, compile_capture,
                       criteria_templates, event_source, extract, indexable)
from ._mailbox import EMPTY as _EMPTY, Mailbox, Waker
from ._pool import IdleTimers, WorkerPool, current_task as _pool_current_task, leave_task, \
    managed_block
from .bot import Bot
from .exception import StopListening, WaitTooLong
from .flavors import UpdateMsg
from .inflight import KeptEvent

__all__ = ['Microphone', 'Listener', 'SpeakerBot', 'DelegatorBot', 'current_bot', 'at_delegate_end',
           'origin_map']

log = _masking.logger(__name__)

_local = threading.local()
# The delegate being built or running here: per thread for delegate threads, per task for
# telepot_ng.aio's delegate tasks (a task runs in a copy of its creator's context).  A pool
# turn is not recorded here but as its worker's task (see _current_slot: setting a context
# variable and back cost a cold turn 0.25 us, a sixth of the turn).
_slot_var: 'contextvars.ContextVar[Optional[_Slot]]' = contextvars.ContextVar(
    'telepot_ng_delegate', default=None)


class _Stop:
    """Queued behind a delegate's pending messages when the bot stops."""
    __slots__ = ('reason',)

    def __init__(self, reason: str) -> None:
        self.reason = reason


# -------------------------------------------------------------------------------- microphone

class _Entry:
    """What the microphone holds for one listener (not the listener itself, so a dropped
    Listener can be collected)."""
    __slots__ = ('queue', 'captures', 'owner', '__weakref__')

    def __init__(self, q: Any) -> None:
        self.queue = q
        self.captures: List[Capture] = []
        self.owner: Optional[_Slot] = None


class Microphone:
    """Delivers each message to the queues of the listeners whose captures match it.

    ``add(queue)``/``remove(queue)`` register a plain queue that receives every message
    (telepot's API).  Listeners register themselves with their capture criteria.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._raw: List[Any] = []
        self._index: Dict[Tuple[Any, ...], Dict[Any, Any]] = {}    # see _index_entry
        self._scan: List[Tuple[_Entry, Capture]] = []
        self._entries: Dict[_Entry, None] = {}     # bound entries (a dict keeps insertion order)
        self._dead: collections.deque = collections.deque()   # entries of collected listeners
        self._waker = Waker('telepot_ng-waker')
        #: counts each copy of an update put into a listener's queue (see telepot_ng.inflight)
        self._inflight = _inflight.InFlight()
        self._ledger: Any = None      # the bot's store ledger (telepot_ng.store), if any

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
            for e in [e for e in self._entries if e.queue is queue]:
                self._unbind(e)

    def send(self, msg: Any) -> None:
        """Put ``msg`` into the queue of every listener that captures it."""
        with self._lock:
            self._deliver(msg)

    # internals -------------------------------------------------------------------------
    def _deliver(self, msg: Any) -> int:
        """Put ``msg`` into every matching listener's queue once; returns how many.
        The caller holds the lock."""
        sent: List[_Entry] = []
        self._route(msg, sent)
        return len(sent)

    def _route(self, msg: Any, sent: List[_Entry]) -> Optional['_Slot']:
        """:meth:`_deliver`, listing in ``sent`` the entries it put ``msg`` into; returns the
        delegate whose indexed listener got it last, if any (so Delegation.handle need not
        look the seed up again)."""
        if self._dead:
            self._reap()
        owner = None
        uid = _inflight.uid_of(msg)
        hold = self._inflight.hold if uid is not None else None
        ledger = self._ledger
        skip = (ledger is not None and ledger.redelivering and msg.__class__ is UpdateMsg
                and msg.redelivered)
        for path, table in self._index.items():
            v = event_source(msg) if path is EVENT_KEY else extract(msg, path)
            if v is MISSING:
                continue
            try:
                bucket = table.get(v)
            except TypeError:           # an unhashable value: nothing can be indexed on it
                continue
            if bucket is not None:
                for entry, cap in ((bucket, None),) if bucket.__class__ is _Entry else bucket:
                    if entry not in sent and (cap is None or not cap.tests
                                              or self._test(cap, msg, True)):
                        sent.append(entry)
                        if skip and entry.owner is not None and entry.owner.consumed(msg):
                            continue
                        if hold is not None:
                            hold(uid)
                        entry.queue.put(msg)
                        owner = entry.owner
        for entry, cap in self._scan:
            if entry not in sent and self._test(cap, msg, False):
                sent.append(entry)
                if skip and entry.owner is not None and entry.owner.consumed(msg):
                    continue
                if hold is not None:
                    hold(uid)
                entry.queue.put(msg)
        for q in self._raw:
            q.put(msg)
        return owner

    def _reap(self) -> None:
        while self._dead:
            entry = self._dead.popleft()
            self._unbind(entry)
            if entry.owner is None:         # a delegate's entries are emptied by its end
                self._drop_queued(entry)

    def _drop_queued(self, entry: _Entry) -> None:
        """Nobody will read ``entry``'s queue any more: its messages count as done."""
        while True:
            try:
                item = entry.queue.get_nowait()
            except (_queue_mod.Empty, AttributeError):
                return
            _inflight.release_msg(self._inflight, item)

    @staticmethod
    def _test(cap: Capture, msg: Any, indexed: bool) -> bool:
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
            self._entries[entry] = None
            if self._raw:
                self._raw = [q for q in self._raw if q is not entry.queue]
            self._index_entry(entry, entry.captures)

    def _unbind(self, entry: _Entry) -> None:
        with self._lock:
            if entry not in self._entries:
                return
            del self._entries[entry]
            self._unindex_entry(entry)

    # A bucket of the index is the listener's entry itself while one listener captures the
    # value with nothing more to test (a chat's own handler: the usual case; no object per
    # handler), else a list of (entry, capture) pairs.
    def _index_entry(self, entry: _Entry, captures: Sequence[Capture]) -> None:
        for cap in captures:
            if cap.key is None:
                self._scan.append((entry, cap))
                continue
            table = self._index.get(cap.key)
            if table is None:
                table = self._index[cap.key] = {}
            bucket = table.get(cap.value)
            if bucket is None:
                table[cap.value] = entry if not cap.tests else [(entry, cap)]
            elif bucket.__class__ is _Entry:
                table[cap.value] = [(bucket, None), (entry, cap)]
            else:
                bucket.append((entry, cap))

    def _unindex_entry(self, entry: _Entry) -> None:
        if self._scan:
            self._scan = [ec for ec in self._scan if ec[0] is not entry]
        for cap in entry.captures:
            if cap.key is None:
                continue
            table = self._index.get(cap.key)
            if table is None:
                continue
            bucket = table.get(cap.value)
            if bucket is not None:
                if bucket.__class__ is _Entry:
                    if bucket is entry:
                        del table[cap.value]
                else:
                    rest = [ec for ec in bucket if ec[0] is not entry]
                    if not rest:
                        del table[cap.value]
                    elif len(rest) == 1 and (rest[0][1] is None or not rest[0][1].tests):
                        table[cap.value] = rest[0][0]
                    else:
                        table[cap.value] = rest
            if not table:
                del self._index[cap.key]

    def _recapture(self, entry: _Entry, captures: List[Capture]) -> None:
        with self._lock:
            old = entry.captures
            if entry not in self._entries:
                entry.captures = captures
            elif captures[:len(old)] == old:           # added criteria: index just those
                entry.captures = captures
                self._index_entry(entry, captures[len(old):])
            else:
                self._unindex_entry(entry)
                entry.captures = captures
                self._index_entry(entry, captures)

    def _paths(self) -> List[Tuple[Any, ...]]:
        return list(self._index)


# ---------------------------------------------------------------------------------- listener

def _one_of(name: str, value: Any, alias: str, alias_value: Any) -> Any:
    if value is not None and alias_value is not None:
        raise TypeError('Listener() got both %s and %s' % (name, alias))
    if value is None and alias_value is None:
        raise TypeError('Listener() missing required argument: %r' % name)
    return value if value is not None else alias_value


class Listener:
    """Waits for messages that match its capture criteria.

    ``Listener(microphone, queue)`` as in telepot (telepot 12's code named them ``mic``
    and ``q``, which work as keywords too); normally obtained from
    :meth:`SpeakerBot.create_listener` or a handler's ``listener`` property.
    """

    __slots__ = ('_mic', '_entry', '_timeout', '_options', '__dict__', '__weakref__')

    def __init__(self, microphone: Optional[Microphone] = None, queue: Any = None, *,
                 mic: Optional[Microphone] = None, q: Any = None) -> None:
        if mic is None and microphone is not None:
            mic = microphone
        else:
            mic = _one_of('microphone', microphone, 'mic', mic)
        if q is None and queue is not None:
            q = queue
        else:
            q = _one_of('queue', queue, 'q', q)
        self._mic = mic
        self._entry = _Entry(q)
        self._timeout: Optional[float] = None
        self._options: Optional[Dict[str, Any]] = None      # options other than timeout
        slot = _current_slot()
        if slot is not None and slot.mic is mic:
            self._entry.owner = slot
            slot.entries.append(self._entry)
        mic._bind(self._entry)

    def __del__(self) -> None:
        # No locking here (a collection may run inside any thread holding any lock): the
        # microphone unbinds the entry the next time it delivers or binds.
        try:
            entry = self._entry
            if entry.owner is not None and entry not in self._mic._entries:
                return         # a delegate's listener: its end already unbound and emptied it
            self._mic._dead.append(entry)
        except Exception:      # interpreter shutdown
            pass

    @property
    def queue(self) -> Any:
        return self._entry.queue

    def set_options(self, **name_values: Any) -> None:
        """Set options; ``timeout`` (seconds, None = forever) bounds :meth:`wait`."""
        if 'timeout' in name_values:
            self._timeout = name_values.pop('timeout')
            owner = self._entry.owner
            if owner is not None and owner.listener is self:
                owner.timeout = self._timeout   # a pooled delegate's turns read it there
        if name_values:
            if self._options is None:
                self._options = {}
            self._options.update(name_values)

    def get_options(self, *names: str) -> Tuple[Any, ...]:
        """Values of the named options, as a tuple."""
        return tuple(self._timeout if n == 'timeout' else (self._options or {})[n]
                     for n in names)

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
        new = list(self._entry.captures)     # a new list: _recapture compares with the old
        if criteria:
            new.append(compile_capture(dict(criteria), criteria_templates(criteria), self._mic._paths()))
        for p in patterns:
            templates = p if isinstance(p, (list, tuple)) else [p]
            new.append(compile_capture(p, templates, self._mic._paths()))
        if not patterns and not criteria:
            raise TypeError('capture() needs a pattern list or keyword criteria')
        self._set_captures(new)

    def _capture_key(self, key: Tuple[Any, ...], value: Any) -> None:
        """``capture([{'chat': {'id': value}}])`` for ``key=('chat', 'id')`` (the
        standard-event template for ``key=EVENT_KEY``, ``value=(space, id)``), without
        compiling the template: what the library's own handlers capture, at spawn speed."""
        cap = KeyCapture(key, value)
        if not indexable(value, key is EVENT_KEY):
            self.capture(cap.raw)
            return
        entry = self._entry
        mic = self._mic
        with mic._lock:                 # what _set_captures does for one added criterion
            entry.captures.append(cap)
            if entry in mic._entries:
                mic._index_entry(entry, (cap,))
            owner = entry.owner
            if owner is not None:
                owner.captures_changed(entry)

    def _set_captures(self, captures: List[Capture]) -> None:
        with self._mic._lock:
            self._mic._recapture(self._entry, captures)
            owner = self._entry.owner
            if owner is not None:
                owner.captures_changed(self._entry)

    def cancel_capture(self, *patterns: Any, **criteria: Any) -> None:
        """Remove criteria given exactly as they were given to :meth:`capture`."""
        targets = list(patterns) + ([criteria] if criteria else [])
        self._set_captures([c for c in self._entry.captures
                            if not any(c.raw == t for t in targets)])

    def clear_captures(self) -> None:
        """Remove all capture criteria."""
        self._set_captures([])

    def list_captures(self) -> List[Any]:
        """The capture criteria, as given."""
        return [c.raw for c in self._entry.captures]

    def wait(self) -> Any:
        """Block until a captured message arrives and return it.

        Raises :class:`~telepot_ng.exception.WaitTooLong` after the ``timeout`` option's
        seconds without one, and :class:`~telepot_ng.exception.StopListening` when the bot
        is stopping (after every message captured before the stop was handed out).
        """
        timeout = self._wait_timeout()
        q = self._entry.queue
        try:
            item = q.get_nowait()
        except _queue_mod.Empty:
            with managed_block():            # a pool worker waiting here is replaced meanwhile
                try:
                    item = q.get() if timeout is None else q.get(timeout=timeout)
                except _queue_mod.Empty:
                    raise WaitTooLong(timeout) from None
        return self._received(item)

    def _wait_timeout(self) -> Optional[float]:
        """What every wait() does first: its timeout (and the caller is done with the
        message it had before, see telepot_ng.inflight)."""
        if not self._entry.captures:
            raise RuntimeError('Listener has nothing to capture')
        owner = self._entry.owner
        if owner is not None and owner.ledger is not None:
            # written with the done-mark of the message it had (and its idle deadline)
            owner.save_state(self._timeout)
        _inflight.finish_kept()
        return self._timeout

    def _received(self, item: Any) -> Any:
        """What every wait() does with what it got: StopListening at a stop, else the
        message (now held by the caller)."""
        if isinstance(item, _Stop):
            self._entry.queue.put(item)        # every later wait() stops too
            if self._entry.owner is not None:
                self._entry.owner.halted = True
            raise StopListening('stopping', item.reason)
        _inflight.keep(self._mic._inflight, item)
        owner = self._entry.owner
        if owner is not None and owner.ledger is not None:
            if owner.ledger.void(item):      # no longer ours to handle (see Ledger.void)
                return self.wait()
            owner.handed(item)
        return item

    def close(self) -> None:
        """Stop receiving messages (also happens when a delegate's thread ends)."""
        self._mic._unbind(self._entry)


# ------------------------------------------------------------------------------- speaker bot

class Speaker:
    """What SpeakerBot and telepot_ng.aio's share: the microphone, tied to the bot's
    in-flight counts and store, and listeners on it (whose mailbox is the kind's own)."""

    id: int
    _inflight: Any
    _ledger: Any

    def _setup_mic(self) -> None:
        self._mic = Microphone()
        self._mic._waker._name = 'telepot_ng-waker-%d' % self.id
        self._mic._inflight = self._inflight
        self._mic._ledger = self._ledger

    @property
    def mic(self) -> Microphone:
        """The microphone; ``bot.mic.send(msg)`` delivers ``msg`` to matching listeners."""
        return self._mic

    def create_listener(self) -> 'Listener':
        """A new listener on this bot's microphone."""
        return self._listener()

    def _listener(self) -> 'Listener':
        return Listener(self._mic, Mailbox(self._mic._waker))


class SpeakerBot(Speaker, Bot):
    """A Bot with a :class:`Microphone`, whose listeners capture messages sent to it."""

    def __init__(self, token: str, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._setup_mic()


# ------------------------------------------------------------------------------------ slots

def _current_slot() -> Optional['_Slot']:
    """The slot of the delegate being built or running in this thread (or task): one being
    built or run by a thread of its own is in the context variable; a pooled one's turn is
    its worker's task."""
    slot = _slot_var.get()
    if slot is None:
        task = _pool_current_task()
        if task.__class__ is _Slot:
            return task
    return slot


def current_bot() -> Optional['DelegatorBot']:
    """The DelegatorBot dispatching in this thread, or whose delegate runs in it (for seed
    functions and handlers that need it)."""
    slot = _current_slot()
    if slot is not None:
        return slot.bot
    return getattr(_local, 'bot', None)


def at_delegate_end(fn: Callable[[], Any]) -> bool:
    """Run ``fn()`` when the delegate being built (or running) in this thread ends.

    Returns False (and does nothing) outside a delegate.
    """
    slot = _current_slot()
    if slot is None:
        return False
    if slot.at_end:
        slot.at_end.append(fn)
    else:
        slot.at_end = [fn]
    return True


def origin_map(bot: Any) -> Dict[Any, Any]:
    """The bot's map from callback-query origin to the seed of the delegate that owns it."""
    m = getattr(bot, '_callback_origins', None)
    if m is None:
        m = bot._callback_origins = {}
    return m


#: Most messages a pooled handler takes in one turn on a worker before the worker moves on
#: to the next queued handler (Akka's "throughput"): higher saves switches, lower is fairer.
_THROUGHPUT = 16

# _Slot.steps: what a pooled delegate's next turn does besides its messages (0: nothing)
_OPEN = 1       # open() (its first turn)
_IDLE = 2       # the idle timer asks this turn to check for idleness (on__idle)
_LATE = 4       # revived past its idle deadline: its runner's ``late`` holds until a message

_monotonic = time.monotonic
#: [t, t + 0.001]: a recent time.monotonic(), the float object busy turns share as their
#: last_active while it is less than a millisecond old (a float of its own per turn was freed
#: at the chat's next turn: memory in no CPU cache when the chat was idle meanwhile), and
#: when it stops being that (compared as is: no float made per turn). So a turn's end may be
#: recorded up to a millisecond early: the idle checks allow for that.
_recent = [0.0, 0.0]
_kept = _inflight._kept
_FAILED = object()      # what _produce returns when the producer raised


class _Slot:
    """A running (or waiting) delegate: its thread or pool runner, its listeners, its seed."""
    # In this order on purpose: the object starts a 64-byte cache line, which holds the first
    # six fields -- what the dispatching thread reads per message (Delegation.handle,
    # Mailbox.put) -- the next line what a pooled turn reads, so a message to a chat that is
    # in no CPU cache costs each thread as few cache lines of the slot as can be (measured:
    # dispatch to all of 100,000 live chats 6.30 -> 6.00 us CPU per update against the order
    # the fields were written in)
    __slots__ = ('claim', 'pool', 'routable', 'pattern', 'seed', 'bot',
                 'mailbox', 'steps', 'ledger', 'handler', 'last_active', 'timer', 'timeout',
                 'name',
                 'pending', 'ended', 'obj', 'capturing', 'runner', 'listener', 'hashable', 'mic',
                 'entries', 'thread', 'at_end', 'listened', 'backlog', 'timer_at', 'first_msg',
                 'key', 'state', 'upto', 'lease', 'revivable', 'idle_msg', 'idle_at', 'halted')

    def __init__(self, bot: 'Delegation', pattern: int, seed: Any, hashable: bool,
                 key: Any = MISSING) -> None:
        self.bot = bot
        self.mic = bot._mic
        self.pattern = pattern
        self.seed = seed
        self.hashable = hashable
        self.entries: List[_Entry] = []
        self.thread: Any = None         # its threading.Thread (an asyncio.Task in aio)
        self.obj: Any = None            # a user object with start()/is_alive()
        self.pending: Optional[List[Any]] = None   # messages waiting for a free thread
        self.ended = False
        self.name = ''
        self.at_end: Sequence[Callable[[], Any]] = ()    # a list once there is one
        self.capturing = False     # does any of its listeners capture anything now?
        #: in its pattern's registry, started, live and capturing, nothing pending (see
        #: _reroute): a message for its seed needs nothing but the microphone's delivery
        self.routable = False
        self.listened = False      # ... or did one ever?
        self.backlog: Sequence[Any] = ()   # its seed's messages that came while it captured nothing
        self.first_msg: Any = None     # the message it was created for, until its thread runs
        # with a store (telepot_ng.store): the state's key, the state once loaded, and the
        # highest update_id handed to the delegate's code
        self.ledger = bot._ledger
        if key is MISSING:          # (else the caller has it: a seed is JSON-encoded once)
            key = self.ledger.key(pattern, seed) if self.ledger is not None and hashable else None
        self.key = key
        self.state: Any = None
        self.upto: Optional[int] = None
        # its idle deadline is kept in the store (a create_open handler, see _keep_idle):
        self.revivable = False
        self.idle_msg: Any = None       # the message it was made for, until first written
        self.idle_at: Optional[float] = None   # the deadline written (time.time())
        self.halted = False             # ended by the bot's stop: its deadline stays
        # pooled delegates only (runner is not None):
        self.runner: Any = None         # the _OpenDelegate taking the steps of its life
        self.handler: Any = None        # its handler object (the runner's obj)
        self.listener: Optional[Listener] = None
        self.timeout: Optional[float] = None    # the listener's, kept here by set_options
        self.mailbox: Any = None        # its listener's Mailbox, whose puts submit it
        #: held while it is queued on or running in the pool: taken (set) only under the
        #: routing lock, released (cleared) by its holder (see claim_and_submit)
        self.claim = False
        self.pool: Optional[WorkerPool] = None
        self.steps = 0                  # what the next turn does first (_OPEN, _IDLE, _LATE)
        self.last_active = 0.0          # monotonic time its last busy turn ended
        self.timer: Any = None          # the list of its idle deadline (see IdleTimers)
        self.timer_at = 0.0             # the last_active it was placed in that list with
        self.lease: Any = None          # the cluster lease its state was built under

    # with a store --------------------------------------------------------------------------
    def consumed(self, msg: Any) -> bool:
        """Whether this delegate's saved state already includes the redelivered ``msg``
        (its done-mark was lost, its state was not): then it does not get it again."""
        if self.key is None:
            return False
        live = self.state if self.lease == self.ledger.lease_of(msg) else None
        return self.ledger.consumed(self.key, msg, live)

    def handed(self, msg: Any) -> None:
        """``msg`` goes to the delegate's code (the state it saves next includes it).

        With a cluster store, a message handed on under another lease of its partition than
        the one the in-memory state was built under makes the delegate read its state from
        the store again: what it computed under a lost lease was never written."""
        lease = self.ledger.lease_of(msg) if self.ledger.leased else None
        if lease != self.lease:
            state = self.state
            if state is not None and self.key is not None:
                # reloaded in place: the handler keeps a reference to it (``self.state``)
                fresh = self.ledger.load(self.key)
                state._load(fresh, fresh._saved, fresh._upto)
            self.upto = None if state is None else state._upto
            # only now: the router's consumed() trusts the live state under this lease
            self.lease = lease
        uid = getattr(msg, 'update_id', None)
        if uid is not None and (self.upto is None or uid > self.upto):
            self.upto = uid

    def load_state(self) -> Any:
        """The delegate's ``state``: saved under its key (a store and a JSON seed), else a
        dict for the delegate's life."""
        if self.state is None:
            self.state = {} if self.key is None else self.ledger.load(self.key)
            saved_upto = getattr(self.state, '_upto', None)
            if saved_upto is not None and (self.upto is None or saved_upto > self.upto):
                self.upto = saved_upto      # the loaded state includes updates up to this
        return self.state

    def save_state(self, timeout: Any = MISSING, end: bool = False) -> None:
        """Queue the state, if it changed, to be written with the next done-mark -- the
        delegate is about to release what it was handed (see telepot_ng.inflight) -- and,
        for a revivable delegate, its idle deadline (``timeout`` from now; by default its
        pooled listener's) or, at its ``end``, that it has none any more."""
        key = self.key
        if key is not None:
            state = self.state
            if state is not None:
                self.ledger.stage(key, state, self.upto)
            if self.revivable:
                if timeout is MISSING and not end:      # the hot path: after each message
                    at, listener = self.idle_at, self.listener
                    if (at is not None and listener is not None
                            and listener._timeout is not None
                            and time.time() + listener._timeout <= at):
                        return          # the deadline written last still covers it
                self._keep_idle(timeout, end)
            elif timeout is not MISSING and timeout is not None and self.bot._revives:
                self._not_kept()

    def _not_kept(self) -> None:
        """Say once per pattern that these delegates' idle deadlines are not kept."""
        told = self.bot.__dict__.get('_told_not_kept')
        if told is None:
            told = self.bot.__dict__.setdefault('_told_not_kept', set())
        if self.pattern not in told:
            told.add(self.pattern)
            log.info('pattern %d: the idle timeouts of its delegates (%s) are not kept across '
                     'restarts; only create_open handlers are revived (see REFERENCE.md, '
                     'telepot_ng.store)', self.pattern, self.name or self.seed)

    def _keep_idle(self, timeout: Any, end: bool) -> None:
        """Stage the idle deadline. It is written padded (10% of the timeout, at most
        1 s) and again only once the real deadline passes the written one, so a busy chat
        does not write it with every message; after a crash it fires at most that late."""
        if end or timeout is None:
            if self.idle_at is not None and not (end and self.halted):
                self.ledger.stage_idle(self.key, None, None)    # ended: forget it
            self.idle_at = None
            if not end:
                self.revivable = False      # (no timeout any more: not kept from now on)
            return
        if timeout is MISSING:
            listener = self.listener
            timeout = listener._timeout if listener is not None else None
            if timeout is None:
                return self._keep_idle(None, False)
        due = time.time() + timeout
        at = self.idle_at
        if at is not None and due <= at:
            return
        text = None
        first = self.idle_msg
        if first is not None:
            self.idle_msg = None
            text = _ledger_mod().message_text(first)
            if text is None:
                self.revivable = False
                log.debug('%r: its first message has no JSON form; its idle deadline is not '
                          'kept across restarts', self)
                return
        elif at is None:
            self.revivable = False          # nothing stored to move
            return
        self.idle_at = due + min(timeout * 0.1, 1.0)
        self.ledger.stage_idle(self.key, self.idle_at, text)

    def captures_changed(self, entry: _Entry) -> None:
        """A listener of this delegate changed its criteria (the routing lock is held).

        A delegate that builds its listener inside its own thread (``call(func)``) captures
        nothing for a while; its seed's messages wait in ``backlog`` meanwhile and are
        delivered, in order, as soon as a listener captures them.
        """
        if entry.captures:
            self.capturing = self.listened = True
        else:
            self.capturing = any(e.captures for e in self.entries)
        self._reroute()
        if self.backlog and entry.captures:
            keep = []
            for m in self.backlog:
                if any(Microphone._test(c, m, False) for c in entry.captures):
                    entry.queue.put(m)
                else:
                    keep.append(m)
            self.backlog = keep

    def _reroute(self) -> None:
        """``pending``, ``ended``, ``obj`` or ``capturing`` changed: say again in one field
        whether a message for its seed needs more than the microphone's delivery (what
        Delegation.handle reads per message, in the slot's first cache line; the routing
        lock is held)."""
        self.routable = (self.capturing and self.hashable and self.pending is None
                         and self.obj is None and not self.ended)

    # the pooled life ------------------------------------------------------------------------
    def run(self) -> None:
        """One turn on a pool worker, which holds ``claim`` (and named its thread after the
        delegate, and has it as its current task: see _current_slot): ``open`` on the first
        turn, then up to ``_THROUGHPUT`` queued messages, or the idle step when the timer
        asked for it.

        A turn that finds one message and nothing else to do -- what most turns of a bot
        with many chats are -- takes it without the loop of :meth:`_turn` (measured,
        single-threaded: put and turn of one message 1.43 -> 1.25 us, where a busy chat's
        message inside a longer turn costs 0.85 us). The fields it reads share a cache line of the
        slot (see __slots__), and the runner's ``message`` step is inlined -- its object is
        not touched per message."""
        mailbox = self.mailbox
        item = mailbox._one
        if (item is _EMPTY or self.steps or mailbox._dq or self.ledger is not None
                or item.__class__ is _Stop):
            active = self._turn(mailbox)
            if active is None:
                return                      # it ended
        else:
            mailbox._one = _EMPTY           # (Mailbox.take, inlined)
            # (the per-message steps of _turn's loop without a store: change both together)
            try:
                try:
                    # (_OpenDelegate.message, inlined: its ``late`` is only set with _LATE)
                    self.handler.on_message(item)
                except WaitTooLong as e:    # its own listener.wait() timed out: idle
                    _flow.run(self.runner._timed_out(e))
                finally:
                    cls = item.__class__
                    if cls is UpdateMsg or cls is KeptEvent:
                        _inflight.release_msg(self.bot._inflight, item)
                    if _kept.get():
                        _inflight.finish_kept()
            except Exception as e:
                self.runner.closing(e)
                self._end_turn()
                return
            except BaseException:
                self._end_turn()
                raise
            active = True
        if active:
            now = _monotonic()
            if now > _recent[1]:
                _recent[0] = now
                _recent[1] = now + 0.001
            self.last_active = _recent[0]
            lst = self.timer
            # (IdleTimers.touch, inlined: the hot path) in its timeout's list it stays where
            # it is: the timers' thread moves it when it gets to it (and one the thread took
            # out meanwhile is put back by its timed_out())
            if lst is None:
                if self.timeout is not None:
                    self.touch()
            elif lst.timeout != self.timeout:
                self.touch()
        if mailbox._one is not _EMPTY or mailbox._dq:
            self.pool.submit(self)          # more waits: go again, still claimed
            return
        self.claim = False                  # released
        if mailbox._one is not _EMPTY or mailbox._dq:
            self.claim_and_submit()         # a put came between the test and the release

    def _turn(self, mailbox: Any) -> Optional[bool]:
        """The steps of a turn (see run): whether it was active (ran a step or handled a
        message), or None when the delegate ended in it."""
        ledger = self.ledger
        active = False
        steps = self.steps
        try:
            if steps:
                if steps & _OPEN:
                    self.steps = steps = steps & ~_OPEN
                    active = True
                    self._open_step()
                if steps & _LATE and (mailbox._one is not _EMPTY or mailbox._dq):
                    self.steps = steps = steps & ~_LATE
                    self.runner.late = False    # its idle time starts again from a message
            handler = self.handler
            n = 0
            while n < _THROUGHPUT:
                item = mailbox._one             # (Mailbox.take, inlined: the hot path)
                if item is not _EMPTY:
                    mailbox._one = _EMPTY
                else:
                    dq = mailbox._dq
                    if not dq:
                        break
                    item = dq.popleft()
                cls = item.__class__
                if cls is _Stop:
                    mailbox.unget(item)          # every later wait() stops too
                    self.halted = True
                    raise StopListening('stopping', item.reason)
                n += 1
                if ledger is not None:
                    if ledger.leased:
                        if ledger.void(item):    # no longer ours to handle (see Ledger.void)
                            _inflight.release_msg(self.bot._inflight, item)
                            continue
                        self.handed(item)
                    else:                       # (handed(), inlined: the hot path)
                        uid = getattr(item, 'update_id', None)
                        if uid is not None and (self.upto is None or uid > self.upto):
                            self.upto = uid
                try:
                    # (_OpenDelegate.message, inlined: its ``late`` was reset above)
                    handler.on_message(item)
                except WaitTooLong as e:        # its own listener.wait() timed out: idle
                    _flow.run(self.runner._timed_out(e))
                finally:
                    if ledger is not None:
                        self.save_state()
                    if cls is UpdateMsg or cls is KeptEvent:
                        _inflight.release_msg(self.bot._inflight, item)
                    if _kept.get():
                        _inflight.finish_kept()
            if n:
                active = True
            elif steps & _IDLE and mailbox.empty():
                timeout = self.listener._timeout
                if timeout is not None and _monotonic() >= self.last_active + timeout - 0.001:
                    active = True
                    self.runner.idle(timeout)     # raises to end it, returns to keep it
                    if ledger is not None:
                        self.save_state()         # kept: what on__idle changed, a new deadline
            if steps & _IDLE:
                self.steps &= ~_IDLE
        except Exception as e:
            self.runner.closing(e)
            self._end_turn()
            return None
        except BaseException:
            self._end_turn()
            raise
        return active

    def _open_step(self) -> None:
        """The first turn's ``open`` (and its first message, unless open says it took it)."""
        ledger = self.ledger
        first, self.first_msg = self.first_msg, None
        if ledger is not None and first is not None:
            self.handed(first)
        try:
            self.runner.opening()
        finally:
            if ledger is not None:
                self.save_state()
            if first is not None:
                _inflight.release_msg(self.bot._inflight, first)   # finished (see inflight)
            _inflight.finish_kept()     # and what it took with listener.wait()

    def claim_and_submit(self) -> None:
        """Unless it is claimed (queued, running, or its idle step is being queued), claim it
        and queue it on the pool: what a put into its mailbox does.

        The claim is a plain field, which one cache line of the slot holds with what a put
        reads anyway (a lock or a token list was another object, two more cache lines per
        message to a chat in no CPU cache, on both threads). It is *taken* only under the
        routing lock -- the microphone's puts hold it, others take it here -- and *released*
        only by its holder, which looks at the mailbox after releasing: a put that saw it
        still claimed left its message for that look. (Correct under the GIL, which makes
        each field store and load whole and in program order.)"""
        with self.bot._lock:
            if not self.claim and not self.ended and self.mailbox is not None \
                    and not self.mailbox.empty():
                self.claim = True
                self.pool.submit(self)

    def _end_turn(self) -> None:
        leave_task()                    # on_close ran; the clean-up runs as nobody's
        if self.ledger is not None:
            self.save_state(end=True)     # what on__idle / on_close changed
        self.bot._end_slot(self)

    def touch(self) -> None:
        """It was active: its idle timeout (its listener's) starts again."""
        timeout = self.listener._timeout
        timers = self.bot._timers
        if timeout is not None:
            if timers is None:
                timers = self.bot._idle_timers()
            timers.touch(self, timeout)
        elif self.timer is not None:
            if timers is not None:
                timers.drop(self)
            else:                   # the bot stopped (and its timers) meanwhile
                self.timer = None

    def timed_out(self) -> None:
        """Its idle deadline passed (in the idle timers' thread): when it has been idle for
        its listener's timeout, queue a run that calls ``on__idle``; else keep the deadline."""
        with self.bot._lock:            # (claims are taken under the routing lock)
            if self.ended:
                return
            if self.claim:
                # queued or running (maybe blocked in listener.wait()): it counts as active
                # now, and its turn's end touches it again
                self.last_active = _monotonic()
                self.touch()
                return
            listener = self.listener
            timeout = listener._timeout if listener is not None else None
            if timeout is not None:
                if _monotonic() >= self.last_active + timeout - 0.001:
                    self.claim = True
                    self.steps |= _IDLE
                    self.pool.submit(self)      # the run checks again
                    return
                self.touch()

    def alive(self) -> bool:
        if self.pending is not None:
            return True
        if self.obj is not None:
            return bool(self.obj.is_alive())
        return not self.ended

    def __repr__(self) -> str:
        return '<delegate %s>' % (self.name or self.seed)


def _ledger_mod() -> Any:
    from .store import _ledger
    return _ledger


def _describe_target(target: Any) -> str:
    owner = getattr(target, '__self__', None)
    if owner is not None:
        return type(owner).__name__
    return getattr(target, '__name__', type(target).__name__)


class Delegation:
    """Dispatch to delegates, shared by DelegatorBot and telepot_ng.aio's: seeds, the
    registry of live delegates, the hand-over of what a delegate leaves to its successor,
    the cap on live delegates, the in-flight references, the store's redeliveries.  A
    subclass starts delegates (:meth:`_start`, :meth:`_launch`), runs each
    (:meth:`_slot_flow`) and stops them."""

    _mic: Microphone
    _inflight: Any
    _ledger: Any
    #: whether create_open handlers' idle deadlines are kept in the store and revived
    _revives = False
    #: idle deadlines read back at start, not revived yet (see telepot_ng.store._revive)
    _revivals: Any = None

    def _setup_delegation(self, delegation_patterns: Sequence[Tuple[Callable, Callable]],
                          max_delegates: Optional[int]) -> None:
        self._patterns = [tuple(p) for p in delegation_patterns]
        for p in self._patterns:
            if len(p) != 2 or not callable(p[0]) or not callable(p[1]):
                raise TypeError('a delegation pattern is (seed_function, delegate_producer)')
        if max_delegates is not None and max_delegates < 1:
            raise ValueError('max_delegates must be at least 1')
        self._max_delegates = max_delegates
        self._lock = self._mic._lock
        self._registries: List[Dict[Any, _Slot]] = [{} for _ in self._patterns]
        self._live: Dict[_Slot, _Slot] = {}   # live delegates (running, or idle on the pool)
        self._waiting: collections.deque = collections.deque()
        self._stopping: Optional[str] = None

    # dispatch ---------------------------------------------------------------------------
    def handle(self, msg: Any) -> None:
        """Deliver ``msg`` to listeners, then spawn delegates per the patterns."""
        ledger = self._ledger
        redelivery = (ledger is not None and ledger.redelivering and msg.__class__ is UpdateMsg
                      and msg.redelivered)
        with self._lock:
            _local.bot = self
            owner = self._mic._route(msg, [])
            # the delegate the message was just put into: when it is this pattern's for this
            # seed, the registry need not be read (a dict of every live chat: for a chat in no
            # CPU cache its lookup costs two cache misses)
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
                    _inflight.hold_msg(self._inflight, msg)
                    self._spawn(i, seed, False, [msg])
                    continue
                if (owner is not None and owner.pattern == i and owner.routable
                        and owner.seed == seed):
                    slot = owner
                else:
                    slot = self._registries[i].get(seed)
                key: Any = MISSING      # the seed's StateKey once made (its JSON, encoded once)
                if redelivery:
                    if slot is None:
                        key = ledger.key(i, seed)
                    if slot.consumed(msg) if slot is not None else ledger.consumed(key, msg):
                        continue        # its saved state already includes this redelivery
                if slot is not None:
                    if slot.routable:
                        continue        # delivered above
                    if slot.pending is not None:
                        _inflight.hold_msg(self._inflight, msg)
                        slot.pending.append(msg)
                        continue
                    if (not slot.ended if slot.obj is None else slot.alive()):
                        if not slot.capturing and (slot.thread is not None
                                                   or slot.runner is not None):
                            _inflight.hold_msg(self._inflight, msg)
                            if slot.backlog:
                                slot.backlog.append(msg)      # type: ignore[union-attr]
                            else:
                                slot.backlog = [msg]
                        continue
                if self._revivals:
                    if key is MISSING:
                        key = ledger.key(i, seed)
                    if key is not None and self._revive_for(i, seed, key, msg):
                        continue    # its delegate came back for it (idle deadline kept)
                _inflight.hold_msg(self._inflight, msg)
                self._spawn(i, seed, True, [msg], key)

    @property
    def live_delegates(self) -> int:
        """Number of live delegates (running, or idle on the worker pool)."""
        with self._lock:
            return len(self._live)

    # spawning ---------------------------------------------------------------------------
    # Every message in ``msgs`` comes with one reference in self._inflight (see
    # telepot_ng.inflight): the delegate's thread holds the first until it asks for the next
    # message or ends; the others go to its listeners' queues; what is dropped is released.
    def _spawn(self, i: int, seed: Any, hashable: bool, msgs: List[Any],
               key: Any = MISSING) -> None:
        slot = _Slot(self, i, seed, hashable, key)
        if self._max_delegates is not None and len(self._live) >= self._max_delegates:
            slot.pending = list(msgs)
            slot._reroute()
            if hashable:
                self._registries[i][seed] = slot
            self._waiting.append(slot)
            return
        delegate = self._produce(slot, msgs[0], 'message not delegated')
        if delegate is _FAILED:
            self._release(msgs)
            return
        slot.first_msg = msgs[0]
        if (self._revives and slot.key is not None and getattr(delegate, 'pooled', False)
                and self._ledger.keeps_idle):
            slot.revivable = True       # its idle deadline is kept (see _Slot._keep_idle)
            slot.idle_msg = msgs[0]
        if not self._start(slot, delegate):
            self._release(msgs)
            return
        if slot.obj is not None:            # a user object runs it: its hold ends here
            slot.first_msg = None
            self._release(msgs[:1])
        self._enlist(slot, msgs[1:])

    def _produce(self, slot: _Slot, msg: Any, failing: str) -> Any:
        """What the producer of the slot's pattern makes of ``(bot, msg, seed)``, called with
        the slot current (listeners made meanwhile are its own). When it raises: logged
        (``failing`` says what follows), the slot's listeners unbound, and _FAILED."""
        producer = self._patterns[slot.pattern][1]
        previous = _slot_var.get()
        _slot_var.set(slot)
        try:
            return producer((self, msg, slot.seed))
        except Exception:
            log.exception('delegate producer %r raised for seed %r; %s', producer, slot.seed,
                          failing)
            self._unbind_all(slot)
            return _FAILED
        finally:
            _slot_var.set(previous)

    def _unbind_all(self, slot: _Slot) -> None:
        for e in slot.entries:
            self._mic._unbind(e)

    def _enlist(self, slot: _Slot, more: Sequence[Any] = ()) -> None:
        """A started delegate: registered under its seed, handed ``more`` messages, told to
        stop if the bot is stopping."""
        if slot.hashable:
            self._registries[slot.pattern][slot.seed] = slot
        for m in more:
            self._deliver_to_slot(slot, m)
        if self._stopping is not None:
            for e in slot.entries:
                e.queue.put(_Stop(self._stopping))

    # reviving delegates whose idle deadline was kept (DelegatorBot only) -----------------
    def _revive_for(self, i: int, seed: Any, key: Any, msg: Any) -> bool:
        """A message for a seed (its StateKey ``key``) with no live delegate: if the seed's
        idle deadline was kept before the restart, its delegate comes back (no ``open``)
        and gets ``msg``. The routing lock is held. At the ``max_delegates`` cap it does
        not: the message waits for a place like any new seed's, and its delegate is then
        made anew (``open`` runs; the saved state is there)."""
        due = self._revivals.take(key)
        if due is None:
            return False
        if self._max_delegates is not None and len(self._live) >= self._max_delegates:
            return False
        stored = (self._kept_messages([key]) or {}).get(key)
        if stored is None:
            return False
        slot = self._revive_slot(i, seed, key, stored, False, False, due)
        if slot is None:
            return False
        _inflight.hold_msg(self._inflight, msg)
        self._deliver_to_slot(slot, msg)
        return True

    def _kept_messages(self, keys: List[Any]) -> Optional[Dict[Any, Any]]:
        """The messages kept with the idle deadlines of ``keys`` that may be revived now,
        read back. The routing lock is held, so none of their seeds gets a delegate
        meanwhile; the caller checks that none has one. Left out: keys without a deadline
        in the store, keys with a deadline (or its removal) staged and not written yet
        (their seed had a delegate in this run, so what the store has is not a deadline
        kept before the restart); None when the store cannot be read (logged). A record
        that cannot be read back is logged and forgotten."""
        from .store._ledger import message_of
        ledger = self._ledger
        # staged ones out first, then one read: a removal staged before it is left out
        # here, one written before it is no row any more, and one staged after it is a
        # delegate's that is still registered (its end needs the routing lock we hold)
        staged = ledger.staged_idle(keys)
        todo = [k for k in keys if k not in staged]
        texts = self._kept_texts(todo) if todo else {}
        if texts is None:
            return None
        out = {}
        for key, text in texts.items():
            try:
                out[key] = message_of(text)
            except Exception as e:
                log.warning('the idle deadline of %s cannot be revived (%s); dropped', key, e)
                ledger.stage_idle(key, None, None)
        return out

    def _kept_texts(self, keys: List[Any]) -> Optional[Dict[Any, str]]:
        try:
            return self._ledger.store.idle_messages(keys)
        except Exception as e:
            log.error('could not read the idle deadlines kept in the store: %s', e)
            return None

    def _revive_slot(self, i: int, seed: Any, key: Any, msg: Any, idle_now: bool, late: bool,
                     due: float) -> Optional[_Slot]:
        """Build the delegate of ``seed`` again through its producer, ``msg`` (the message
        it was first made for) in the seed tuple, without handing ``msg`` to it: idle at
        once (``idle_now``, with ``late`` in its idle event) or waiting for a message. The
        routing lock is held. (``max_delegates`` does not hold a revived delegate back.)"""
        slot = _Slot(self, i, seed, True, key)
        delegate = self._produce(slot, msg, 'its idle deadline kept before the restart '
                                            'is dropped')
        if delegate is _FAILED or delegate is None or not getattr(delegate, 'pooled', False) \
                or not hasattr(delegate, 'life'):
            if delegate is not _FAILED:
                if delegate is not None:
                    log.warning('the delegate of seed %r is not a create_open handler any '
                                'more; its idle deadline kept before the restart is dropped',
                                seed)
                self._unbind_all(slot)
            self._ledger.stage_idle(key, None, None)
            return None
        delegate.late = late
        slot.revivable = True
        slot.idle_at = due
        self._start_revived(slot, delegate, idle_now)
        self._enlist(slot)
        return slot

    def _start_revived(self, slot: _Slot, delegate: Any, idle_now: bool) -> None:
        """Start a revived delegate (see :meth:`_revive_slot`)."""
        raise NotImplementedError

    # what the threads (or the aio tasks) supply
    def _start(self, slot: _Slot, delegate: Any) -> bool:
        """Start what the producer returned for ``slot`` (False: nothing to start)."""
        raise NotImplementedError

    def _launch(self, slot: _Slot) -> bool:
        """Start a slot built earlier whose start had to wait; False if it must wait more."""
        raise NotImplementedError

    def _unpool(self, slot: _Slot) -> None:
        """A delegate run by a worker pool ended."""

    def _delegates_changed(self) -> None:
        """Hook: none is live or waiting any more, or the bot is stopping (lock held)."""

    def _signal_stop(self, reason: str) -> None:
        """Every live delegate's listeners stop after what they have captured (lock held)."""
        self._stopping = reason
        for slot in list(self._live):
            for e in slot.entries:
                e.queue.put(_Stop(reason))

    def _others(self, me: Any, mine: Optional[_Slot] = None) -> List[_Slot]:
        """The live delegates but ``mine`` and the one run by ``me`` (a thread or task)."""
        return [s for s in self._live if s.thread is not me and s is not mine]

    def _busy(self, me: Any, mine: Optional[_Slot] = None) -> bool:
        """Whether a delegate but ``mine`` and the one run by ``me`` (the caller's thread or
        task) is live or waiting to start (without a list of 100,000)."""
        if self._waiting or len(self._live) > 2:     # (the caller is at most two of them)
            return True
        return any(s.thread is not me and s is not mine for s in self._live)

    def _deliver_to_slot(self, slot: _Slot, msg: Any) -> None:
        if slot.pending is not None:
            slot.pending.append(msg)
            return
        for e in slot.entries:
            if any(Microphone._test(c, msg, False) for c in e.captures):
                e.queue.put(msg)
                return
        if not slot.capturing and slot.thread is not None:
            slot.backlog.append(msg)        # it builds its listener in its thread
            return
        log.debug('%r does not capture a message handed over to it; dropped', slot)
        self._release([msg])

    def _release(self, msgs: List[Any]) -> None:
        for m in msgs:
            _inflight.release_msg(self._inflight, m)

    def _slot_flow(self, slot: _Slot, run: Callable[[], Any]) -> Any:
        """A delegate's life in its thread or task (a flow, see telepot_ng._flow): it holds
        the message it was made for until it asks for the next; run it, log how it ended,
        then end its slot (hand-over included), whatever happened."""
        _slot_var.set(slot)
        first, slot.first_msg = slot.first_msg, None
        if first is not None:
            _inflight.keep(self._inflight, first)
            if slot.ledger is not None:
                slot.handed(first)
        try:
            yield run()
        except (StopListening, WaitTooLong) as e:
            log.debug('%r ended: %s', slot, type(e).__name__)
        except Exception:
            log.exception('%r raised', slot)
        finally:
            _slot_var.set(None)
            if slot.ledger is not None:
                slot.save_state(end=True)
            _inflight.finish_kept()
            self._end_slot(slot)

    def _end_slot(self, slot: _Slot) -> None:
        with self._lock:
            slot.ended = True
            slot._reroute()
            self._live.pop(slot, None)
            if slot.runner is not None:
                self._unpool(slot)
            registry = self._registries[slot.pattern]
            if slot.hashable and registry.get(slot.seed) is slot:
                del registry[slot.seed]
            # a delegate that never listened was, as in telepot, assumed to take its seed's
            # messages itself; one that listened hands what it did not take to its successor
            leftovers: List[Any] = list(slot.backlog) if slot.listened else []
            if slot.backlog and not slot.listened:
                log.debug('%r never listened; %d message(s) for its seed were its own business',
                          slot, len(slot.backlog))
                self._release(slot.backlog)
            slot.backlog = ()
            if slot.first_msg is not None:      # it ended before it ever ran
                self._release([slot.first_msg])
                slot.first_msg = None
            seen = {id(m) for m in leftovers}
            for e in slot.entries:
                self._mic._unbind(e)
                while True:
                    try:
                        item = e.queue.get_nowait()
                    except _queue_mod.Empty:
                        break
                    if isinstance(item, _Stop):
                        continue
                    if id(item) in seen:
                        self._release([item])
                        continue
                    seen.add(id(item))
                    leftovers.append(item)
            slot.entries = []
            for fn in slot.at_end:
                try:
                    fn()
                except Exception:
                    log.exception('clean-up of %r raised', slot)
            slot.at_end = ()
            if leftovers:
                if slot.hashable:
                    log.debug('%r ended with %d message(s) queued; handing them to its successor',
                              slot, len(leftovers))
                    self._spawn(slot.pattern, slot.seed, True, leftovers, slot.key)
                else:
                    log.warning('%r ended with %d message(s) it never took; dropped',
                                slot, len(leftovers))
                    self._release(leftovers)
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
                waiting._reroute()
                self._spawn(waiting.pattern, waiting.seed, waiting.hashable, msgs or [],
                            waiting.key)
            if (not self._live and not self._waiting) or self._stopping is not None:
                self._delegates_changed()


class DelegatorBot(Delegation, SpeakerBot):
    """A Bot that spawns delegates according to ``delegation_patterns``.

    ``DelegatorBot(token, [(seed_calculating_function, delegate_producing_function), ...])``
    with telepot's semantics: a hashable seed has at most one live delegate, an unhashable
    seed always gets a new one, ``None`` does nothing; patterns are evaluated in order.

    :param max_delegates: optional cap on live delegates.  At the cap, a new seed's messages
        wait, in order, until a delegate ends.
    :param workers: size of the worker pool that runs ``create_open`` handlers (ChatHandler
        and the like) one message at a time; an idle handler holds no thread.  ``0`` gives
        every delegate a thread of its own, as telepot did.  The default, 16, is for a
        2-core machine whose handlers mostly wait on the network: the GIL lets only one
        worker compute at a time, so workers beyond the CPUs only pay off while others wait
        for Telegram -- at ~100 ms per call and Telegram's ~30 messages/s, about 3 calls are in
        flight on average, and 16 covers bursts, slow answers and handlers that make several
        calls; more would mostly add GIL contention and memory.  Waits the pool cannot see
        (``time.sleep``, other clients' I/O) hold a worker: raise ``workers`` for such
        handlers.
    :param max_spare_workers: a handler blocked in ``self.listener.wait()`` keeps its worker;
        the pool starts a spare worker for each such wait, up to this many (beyond it, other
        handlers queue until a wait returns, and a WARNING says so).
    """

    _revives = True

    def __init__(self, token: str, delegation_patterns: Sequence[Tuple[Callable, Callable]], *,
                 max_delegates: Optional[int] = None, workers: int = 16,
                 max_spare_workers: int = 1024, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._setup_delegation(delegation_patterns, max_delegates)
        if workers < 0 or max_spare_workers < 0:
            raise ValueError('workers and max_spare_workers cannot be negative')
        self._n_workers = workers
        self._max_spares = max_spare_workers
        self._pool: Optional[WorkerPool] = None
        self._timers: Optional[IdleTimers] = None     # pooled handlers' idle deadlines
        # (scheduler, event) of the event on the bot's scheduler that revives the delegates
        # whose kept idle deadline is due next (see _arm_revival)
        self._revival: Any = None
        self._all_ended = threading.Condition(self._lock)
        self._register_stoppable(_DelegatesStopper(self), self._STOP_DELEGATES)
        _delegator_bots.add(self)

    @property
    def worker_pool(self) -> Optional[WorkerPool]:
        """The pool running ``create_open`` handlers (None until the first one, and after
        :meth:`stop`)."""
        return self._pool

    def _get_pool(self) -> WorkerPool:
        pool = self._pool
        if pool is None:
            pool = self._pool = WorkerPool('telepot_ng-worker-%d' % self.id, self._n_workers,
                                           self._max_spares)
        return pool

    def _idle_timers(self) -> IdleTimers:
        timers = self._timers
        if timers is None:
            with self._lock:
                timers = self._timers
                if timers is None:
                    timers = self._timers = IdleTimers('telepot_ng-idle-%d' % self.id)
        return timers

    # threads and the worker pool --------------------------------------------------------
    def _start(self, slot: _Slot, delegate: Any) -> bool:
        if delegate is None:
            return False
        if self._n_workers and getattr(delegate, 'pooled', False) and self._pool_it(slot, delegate):
            return True
        if hasattr(delegate, 'start') and hasattr(delegate, 'is_alive'):
            if isinstance(delegate, threading.Thread):
                if delegate.daemon and threading.current_thread().daemon:
                    delegate.daemon = False     # inherited from a loop's thread, not wanted
                run = delegate.run
                delegate.run = lambda: self._run_slot(slot, run, (), {})   # type: ignore
                slot.thread = delegate
                slot.name = delegate.name
                self._live[slot] = slot
            else:
                slot.obj = delegate
                slot._reroute()
            delegate.start()
            return True
        if callable(delegate):
            target, args, kwargs = delegate, (), {}
        elif isinstance(delegate, tuple) and len(delegate) == 3 and callable(delegate[0]):
            target, args, kwargs = delegate[0], tuple(delegate[1]), dict(delegate[2])
        else:
            raise TypeError('a delegate is an object with start()/is_alive(), a function, or '
                            'a (function, args, kwargs) tuple; got %r' % (delegate,))
        slot.name = '%s[%s]' % (_describe_target(target), slot.seed if slot.hashable else 'msg')
        slot.thread = threading.Thread(target=self._run_slot, args=(slot, target, args, kwargs),
                                       name=slot.name, daemon=False)   # not the loop's daemon
        self._launch(slot)
        return True

    def _pool_it(self, slot: _Slot, delegate: Any, revived: Optional[bool] = None) -> bool:
        """Run an openable delegate on the pool, when its listener is an ordinary one built
        with it (else it gets a thread). A ``revived`` one (see :meth:`_revive_slot`) skips
        ``open``: it runs its idle step at once (True) or waits for a message (False)."""
        try:
            listener = delegate.obj.listener
            entry = listener._entry
        except Exception:
            return False
        mailbox = entry.queue
        if type(mailbox) is not Mailbox or entry.owner is not slot or mailbox._task is not None:
            return False
        slot.runner = delegate
        slot.handler = delegate.obj
        slot.listener = listener
        slot.timeout = listener._timeout
        slot.mailbox = mailbox
        slot.name = '%s[%s]' % (delegate.__name__, slot.seed if slot.hashable else 'msg')
        slot.claim = True                  # held: puts until its first turn only queue
        slot.steps = (_OPEN if revived is None else 0) | (_LATE if delegate.late else 0)
        pool = slot.pool = self._get_pool()
        mailbox._task = slot
        self._live[slot] = slot
        if revived is None:
            pool.submit(slot)
        elif revived:
            slot.steps |= _IDLE            # its first turn is the idle step
            slot.last_active = _monotonic() - (listener._timeout or 0) - 1.0
            pool.submit(slot)
        else:
            slot.last_active = _monotonic()
            slot.touch()
            slot.claim = False             # released: the message it is revived for submits it
        return True

    def _start_revived(self, slot: _Slot, delegate: Any, idle_now: bool) -> None:
        if self._n_workers and self._pool_it(slot, delegate, idle_now):
            return
        slot.name = '%s[%s]' % (delegate.__name__, slot.seed)
        slot.thread = threading.Thread(
            target=self._run_slot, args=(slot, lambda: _flow.run(delegate.life(idle_now)),
                                         (), {}), name=slot.name, daemon=False)
        self._launch(slot)

    def _revive_idle(self) -> int:
        """Called by a loop at start, before the redelivered updates: read the first page of
        the idle deadlines kept before the last stop (see telepot_ng.store._revive); a
        message for one of their seeds revives its delegate from now on, and once the loop
        calls :meth:`_arm_revival` (after the redelivered updates) so does its deadline. How
        many were read."""
        ledger = self._ledger
        if ledger is None or not ledger.keeps_idle:
            return 0
        from .store import StoreError
        from .store._revive import Revivals
        # what delegates that ended before now staged (their deadlines forgotten) is written
        # before the deadlines are read
        ledger.flush(5.0)
        try:
            revivals = Revivals(ledger)
        except StoreError as e:
            log.error('could not read the idle deadlines kept in the store: %s', e)
            return 0
        with self._lock:
            self._revivals = revivals if revivals else None
        if revivals:
            log.info('%d%s delegate(s) were idle when the bot last stopped: each comes back '
                     'when its idle deadline falls due, or with its next message',
                     revivals.read, ' or more' if revivals.read >= revivals.page else '')
        return revivals.read

    def _arm_revival(self, scheduler: Any = None) -> None:
        """Have the bot's scheduler (or ``scheduler``, the one whose event revived the last
        ones: a stop stops it) revive the delegates whose deadline falls due next."""
        with self._lock:
            revivals = self._revivals
            when = revivals.next_due() if revivals is not None else None
            self._cancel_revival()
            if when is not None:
                if scheduler is None:
                    scheduler = self.scheduler
                try:
                    self._revival = (scheduler, scheduler.event_at(when, self._revive_due))
                except RuntimeError:        # the scheduler was stopped with the bot
                    pass

    def _cancel_revival(self) -> None:
        old, self._revival = self._revival, None
        if old is not None:
            try:
                old[0].cancel(old[1])
            except Exception:           # it fired
                pass

    #: delegates revived per turn of the bot's scheduler, with the routing lock held (then
    #: other timers and messages go on)
    _REVIVE_BATCH = 64

    def _revive_due(self) -> None:
        """The earliest kept deadlines are due (an event of the bot's scheduler, in its
        thread): revive their delegates, which run their idle step at once."""
        from .store import StateKey
        ledger = self._ledger
        with self._lock:
            fired = self._revival       # (cancelled by the re-arming, if it is another one)
            revivals = self._revivals
            if revivals is None:
                return
            if self._revival is fired:
                self._revival = None        # it fired: nothing to cancel when re-arming
            batch = revivals.due_now(time.time(), self._REVIVE_BATCH)
            keys = [StateKey(ledger.bot_id, p, sd) for p, sd, _ in batch]
            msgs = self._kept_messages(keys) if keys else {}
            if msgs is None:                # the store cannot be read: the batch waits
                revivals.put_back(batch)
                msgs = {}
            _local.bot = self
            for key, (pattern, _seed, due) in zip(keys, batch):
                msg = msgs.get(key)
                if msg is None:
                    continue
                try:
                    i = int(pattern)
                    seeder = self._patterns[i][0]
                except (ValueError, IndexError) as e:
                    log.warning('the idle deadline of %s cannot be revived (%s); dropped',
                                key, e)
                    ledger.stage_idle(key, None, None)
                    continue
                try:
                    seed = seeder(msg)
                    hash(seed)
                except Exception:
                    seed = None
                if seed is None or ledger.key(i, seed) != key:
                    log.warning('the seed function of pattern %d no longer gives the seed of '
                                '%s for its message; its idle deadline is dropped', i, key)
                    ledger.stage_idle(key, None, None)
                    continue
                if self._registries[i].get(seed) is not None:
                    continue            # a message brought it back first
                self._revive_slot(i, seed, key, msg, True, due < revivals.started, due)
        self._arm_revival(fired[0] if fired is not None else None)

    def _launch(self, slot: _Slot) -> bool:
        """Start the slot's thread; when the system refuses a new thread, the slot waits
        (its listeners keep collecting messages in order) and is retried when another
        delegate ends."""
        self._live[slot] = slot
        try:
            slot.thread.start()          # type: ignore[union-attr]
            return True
        except RuntimeError as e:
            del self._live[slot]
            self._waiting.append(slot)
            log.warning('could not start a thread for %s (%s); it starts when another delegate '
                        'ends (consider DelegatorBot(max_delegates=...))', slot.name, e)
            return False

    def _run_slot(self, slot: _Slot, target: Callable, args: tuple, kwargs: dict) -> None:
        _flow.run(self._slot_flow(slot, lambda: target(*args, **kwargs)))

    def _delegates_changed(self) -> None:
        if len(self._live) <= 2:      # (the stopper waits for all but itself: see busy())
            self._all_ended.notify_all()

    def _unpool(self, slot: _Slot) -> None:
        """A pooled delegate ended: drop its timer and the references that tie it to its
        handler (so nothing waits for the cyclic GC)."""
        if slot.timer is not None and self._timers is not None:
            self._timers.drop(slot)
        slot.mailbox._task = None
        slot.runner = slot.handler = None
        slot.listener = None

    # stopping ---------------------------------------------------------------------------
    def _stop_delegates(self, timeout: Optional[float], reason: str = 'bot is stopping') -> None:
        me = threading.current_thread()
        mine = _current_slot()      # stop() called by a delegate

        with self._lock:
            self._revivals = None       # not revived: their deadlines stay kept for next time
            self._cancel_revival()
            self._signal_stop(reason)
            deadline = None if timeout is None else time.monotonic() + timeout
            while self._busy(me, mine):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    break
                # in slices: a second SIGINT/SIGTERM the kernel hands to another thread is
                # run by the main thread only when its wait returns (loop._exit_now)
                self._all_ended.wait(_WAIT_SLICE if remaining is None
                                     else min(remaining, _WAIT_SLICE))
            stuck = self._others(me, mine)
            self._stuck = bool(stuck)        # the exit hook gives them no second grace
            self._stopping = None            # the bot may be started again
            pool, timers = self._pool, self._timers
            if not stuck:
                self._pool = self._timers = None     # new ones start with the next handler
        if stuck:
            log.warning('%d delegate(s) still running after %.1f s: %s', len(stuck),
                        timeout or 0, ', '.join(s.name for s in stuck[:10]))
        for s in list(self._live.values()):
            if s.thread is not None and s.thread is not me:
                s.thread.join(0)
        if not stuck:
            if timers is not None:
                timers.stop()
            if pool is not None:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                if not pool.stop(remaining):
                    log.warning('%r: workers still running after the delegates ended', pool)
            self._mic._waker.stop()


_delegator_bots: 'weakref.WeakSet[DelegatorBot]' = weakref.WeakSet()
_WAIT_SLICE = 0.25      # longest single wait of a stop (see _stop_delegates)


def _stop_delegates_at_exit() -> None:
    """Delegate threads are not daemon threads: when the main thread ends, stop the
    delegates of every DelegatorBot (each handles what is queued for it first)."""
    from .loop import DEFAULT_GRACE, _exit_armed
    armed = _exit_armed()
    for bot in list(_delegator_bots):
        if bot._live or bot._waiting or getattr(bot, '_pool', None) is not None:
            # delegates still stuck after a stop already had their grace
            grace = 0.5 if getattr(bot, '_stuck', False) else DEFAULT_GRACE
            try:
                bot._stop_delegates(grace, 'the program is exiting')
                if armed and (bot._live or bot._waiting):
                    # Python would wait for them without a timeout next, deaf to a second
                    # signal the kernel hands to another thread: wait here, in slices
                    bot._stop_delegates(None, 'the program is exiting')
            except Exception:
                log.debug('stopping the delegates of %r at exit failed', bot, exc_info=True)


class _DelegatesStopper:
    """Registered with Bot.stop(): closes every delegate of a DelegatorBot (telepot_ng.aio's
    returns the awaitable its stop() awaits)."""

    def __init__(self, bot: Any) -> None:
        self._bot = bot

    def stop(self, timeout: Optional[float] = None) -> Any:
        return self._bot._stop_delegates(timeout)

    def __repr__(self) -> str:
        return '<delegates of %r>' % (self._bot,)


from . import loop as _loop    # noqa: E402  (registers the exit hook that stops delegates too)

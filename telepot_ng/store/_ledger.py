"""The bot's side of a store: done-marks, handler states in memory, timers, and what to do
when the store cannot be written.

One :class:`Ledger` per bot (``bot._ledger``). The loops call :meth:`Ledger.admit` before
confirming a batch; the bot's :class:`~telepot_ng.inflight.InFlight` (which counts who still
holds each update) tells :meth:`Ledger.done` when an update is finished; delegates
:meth:`Ledger.stage` their state just before they release a message. Writes are grouped: a
thread that finishes an update while another thread is writing leaves its mark to that
writer, which takes everything queued into its next transaction.
"""
from __future__ import annotations

import collections
import inspect
import json
import threading
import time
import uuid
from typing import Callable, Any, Deque, Dict, Iterable, List, Optional, Set, Tuple

from .. import _masking
from ..flavors import UpdateMsg, unwrap_update, update_of
from ..exception import BadFlavor
from .base import (IdleRecord, SavedState, StateKey, Store, StoreError, StoreWriteError,
                   TimerRecord)

log = _masking.logger(__name__)

#: seconds between two prunes of done update_ids
PRUNE_EVERY = 60.0
#: while the store fails, seconds between two write attempts
RETRY_EVERY = 1.0
#: seconds the writer lets done-marks gather before writing them in one transaction (a
#: done-mark waits at most this long: nothing else waits for it; under load the longer the
#: wait, the more marks share a commit and the more changes of one state share a row write)
LINGER = 0.02
_FAIL_LOG_EVERY = 30.0


_dumps = json.JSONEncoder(separators=(',', ':'), ensure_ascii=False, allow_nan=False).encode


def _fast_dumps() -> Optional[Callable[[Any], str]]:
    """``_dumps`` without its per-call set-up (the C encoder is built once, not per call:
    a handler's state is encoded every time it releases a message), or None where the C
    encoder is missing or differs. A cycle raises RecursionError instead of ValueError."""
    make = getattr(json.encoder, 'c_make_encoder', None)
    if make is None:
        return None

    def default(o: Any) -> Any:
        raise TypeError('Object of type %s is not JSON serializable' % type(o).__name__)
    try:
        enc = make(None, default, json.encoder.encode_basestring, None, ':', ',',
                   False, False, False)
        join = ''.join

        def dumps(o: Any) -> str:
            return join(enc(o, 0))
        probe = {'a': [1, 2.5, None, True, 'é"'], 'b': {}}
        if dumps(probe) != _dumps(probe):
            return None
    except Exception:       # another C signature: keep the plain encoder
        return None
    return dumps


_dumps = _fast_dumps() or _dumps


_PLAIN = frozenset([str, int, bool, type(None)])
#: value types a state can hold that cannot change in place: a state holding only these
#: changes only through its own methods, so a flag tells whether it changed
_SCALAR = frozenset([str, int, bool, float, type(None)])


def check_json(key: Any, value: Any) -> None:
    """Raise TypeError, naming ``key``, unless ``key: value`` can be stored as JSON."""
    if type(key) is not str and not isinstance(key, str):
        raise TypeError('state keys are strings (JSON object keys), not %s: %r'
                        % (type(key).__name__, key))
    if type(value) in _PLAIN:
        return
    try:
        _dumps(value)
    except (TypeError, ValueError, RecursionError) as e:
        raise TypeError('state[%r] must be JSON-serialisable (dict, list, str, int, float, '
                        'bool, None): %s' % (key, e)) from None


class State(dict):
    """A handler's (or the bot's) state: a dict whose keys are strings and whose values can
    be written as JSON. Setting anything else raises TypeError naming the key.

    Bookkeeping for the ledger: ``_saved`` is the JSON text last staged or loaded (None:
    unknown), ``_upto`` the last update it includes; ``_dirty`` says it was changed through
    its methods since it was last staged and ``_nested`` that it may hold a list or dict
    (which can change in place, unseen: such a state is compared as text instead)."""

    __slots__ = ('_saved', '_upto', '_dirty', '_nested')

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._saved: Optional[str] = '{}'
        self._upto: Optional[int] = None
        self._dirty = False
        self._nested = False
        if args or kwargs:
            self.update(*args, **kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        if key.__class__ is not str or value.__class__ not in _PLAIN:
            check_json(key, value)
            if value.__class__ not in _SCALAR:
                self._nested = True
        dict.__setitem__(self, key, value)
        self._dirty = True

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, key)
        self._dirty = True

    def pop(self, *args: Any) -> Any:
        self._dirty = True
        return dict.pop(self, *args)

    def popitem(self) -> Any:
        self._dirty = True
        return dict.popitem(self)

    def clear(self) -> None:
        self._dirty = True
        dict.clear(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def __ior__(self, other: Any) -> 'State':  # type: ignore[override]
        self.update(other)
        return self

    def __repr__(self) -> str:
        return 'State(%s)' % dict.__repr__(self)

    def _advance(self, upto: Optional[int]) -> Optional[int]:
        """The last update this state includes, now that it includes ``upto`` (None:
        nothing new): the later of the two, kept."""
        mine = self._upto
        if upto is None or (mine is not None and upto <= mine):
            return mine
        self._upto = upto
        return upto

    def _load(self, data: Dict[str, Any], text: Optional[str], upto: Optional[int]) -> None:
        """Replace the contents with ``data`` (read from the store as ``text``)."""
        dict.clear(self)
        dict.update(self, data)
        self._saved = text
        self._upto = upto
        self._dirty = False
        self._nested = any(v.__class__ not in _SCALAR for v in data.values())


def _unchanged(state: State) -> bool:
    """Whether ``state`` is certainly as last written, without encoding it: it holds
    scalars only (nothing in it can change in place), none of its methods changed it
    since, and its last text is known (``_saved`` '' asks for a write)."""
    return not state._nested and not state._dirty and bool(state._saved)


def seed_text(seed: Any) -> Optional[str]:
    """The seed as JSON text for a :class:`StateKey`, or None if it has no JSON form."""
    try:
        return _dumps(seed)
    except (TypeError, ValueError, RecursionError):
        return None


def message_text(msg: Any) -> Optional[str]:
    """The message a delegate was made for, as JSON for its idle deadline (an update as
    its Update, a scheduler event as its data), or None when it has no JSON form."""
    if msg.__class__ is UpdateMsg:
        obj: Any = update_of(msg)
    elif isinstance(msg, dict):
        obj = dict(msg)
    else:
        return None
    try:
        return _dumps(obj)
    except (TypeError, ValueError, RecursionError):     # (a cycle: RecursionError)
        return None


def message_of(text: str) -> Any:
    """The message :func:`message_text` wrote: an UpdateMsg flagged ``redelivered``, or
    an event's dict. Raises ValueError (or BadFlavor) when it cannot be read back."""
    obj = json.loads(text)
    if isinstance(obj, dict) and 'update_id' in obj:
        msg = unwrap_update(obj)
        msg._redelivered = True
        return msg
    if not isinstance(obj, dict):
        raise ValueError('not a message: %r' % (obj,))
    return obj


def _takes(fn: Callable[..., Any], name: str) -> bool:
    """Whether ``fn`` takes the keyword argument ``name``."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _encoded(staged: Any) -> Optional[SavedState]:
    """A staged state as a SavedState: a copy :meth:`Ledger.stage` queued is encoded now
    (None, logged, in the unlikely case it has no JSON form: its values were checked when
    they were set)."""
    if staged.__class__ is not tuple:
        return staged
    key, data, upto = staged
    try:
        return SavedState(key, _dumps(data), upto)
    except (TypeError, ValueError, RecursionError) as e:
        log.error('state %s not saved: %s (keep state values JSON-serialisable)', key, e)
        return None


class _Ticket:
    """One caller's update in a group commit (see :meth:`Ledger.admit_one`)."""
    __slots__ = ('update', 'done', 'new', 'error')

    def __init__(self, update: Dict[str, Any]) -> None:
        self.update = update
        self.done = False
        self.new = False
        self.error: Optional[BaseException] = None

    def result(self) -> bool:
        if self.error is not None:
            raise self.error
        return self.new


class Ledger:
    """Done-marks, handler states and timers of one bot, written to its store.

    Which updates user code still holds is counted by the bot's
    :class:`~telepot_ng.inflight.InFlight`; the ledger is told (``on_done``) when one is
    finished and queues its done-mark. Delegates :meth:`stage` their state before they
    release a message, so the state and the done-mark go into the same write.
    """

    def __init__(self, store: Store, bot_id: int, inflight: Any = None) -> None:
        store.bind(bot_id)
        self.store = store
        #: append_answer(..., decoded=True) for a store that takes it (one written against the
        #: first version of the interface does not)
        self._decoded = {'decoded': True} if _takes(store.append_answer, 'decoded') else {}
        # a cluster store's (see void() and lease_of()), looked up once: asked per message
        self._is_current = getattr(store, 'is_current', None)
        self._lease_of = getattr(store, 'lease_of', None)
        #: whether the store hands messages on under leases (void() and lease_of() can
        #: say anything but False and None): delegates skip asking otherwise
        self.leased = self._is_current is not None or self._lease_of is not None
        self.bot_id = bot_id
        self._inflight = inflight
        self._lock = threading.Lock()
        self._done: List[int] = []                    # done, not written yet
        self._done_q: Deque[int] = collections.deque()       # appended without the lock
        self._fired_q: Deque[str] = collections.deque()      # kept events handled (their ids)
        self._fired: List[str] = []                   # ... not written yet
        self._fired_writing: List[str] = []           # ... being written
        self._idle_q: Deque[IdleRecord] = collections.deque()   # idle deadlines staged
        self._idles: Dict[StateKey, IdleRecord] = {}   # ... to write with the next done-marks
        self._idles_writing: Dict[StateKey, IdleRecord] = {}   # ... being written
        #: whether delegates' idle deadlines are kept (the store can, see Store.keeps_idle)
        self.keeps_idle = bool(getattr(store, 'keeps_idle', False))
        self._states_q: Deque[SavedState] = collections.deque()
        self._states: Dict[StateKey, SavedState] = {}  # to write with the next done-marks
        self._unsaved: Dict[StateKey, SavedState] = {}  # being written (read-through)
        self._writing = False
        self._work = threading.Condition(self._lock)   # the writer waits for marks
        self._idle = threading.Condition(self._lock)   # flush() waits for the writer
        self._hurry = threading.Event()                # cuts the writer's linger short
        self._signalled = False
        self._urgent = 0
        self._closing = False
        self._writer: Optional[threading.Thread] = None
        #: seconds the writer lets done-marks gather before it writes them in one transaction
        self.linger = LINGER
        self._failing: Optional[str] = None           # the last write error while failing
        self._retry_at = 0.0
        self._fail_logged = 0.0
        self._last_prune = time.monotonic()
        self._bot_key = StateKey(bot_id, 'bot', 'null')
        self._bot_state: Optional[State] = None
        #: True while redelivered updates are being dispatched (the delegates check then
        #: whether their saved state already includes one)
        self.redelivering = False
        #: counts since start: ``admitted``, ``duplicates``, ``done``, ``writes`` (of
        #: done-marks), ``journal_writes``
        self.stats: Dict[str, int] = {'admitted': 0, 'duplicates': 0, 'done': 0, 'writes': 0,
                                      'journal_writes': 0}
        #: :meth:`admit_one` shares commits between concurrent callers (False: one commit
        #: each, for comparison in benchmarks)
        self.group_commit = True
        self._admit_cv = threading.Condition(threading.Lock())
        self._admit_queue: List['_Ticket'] = []
        self._admitting = False
        if inflight is not None:
            inflight.on_done(self.done)

    # -- journal -------------------------------------------------------------------------------
    @property
    def failing(self) -> bool:
        """True while the last write to the store failed."""
        return self._failing is not None

    def admit(self, updates: List[Dict[str, Any]], answer: Any = None,
              first: int = 0) -> Set[int]:
        """Journal ``updates`` (one write); return the ids that are new. ``answer``: the raw
        getUpdates answer whose ``result[first:]`` they are, if known. Raises
        StoreWriteError (logged here) when nothing could be written."""
        if not updates:
            return set()
        try:
            new = (self.store.append(updates) if answer is None
                   else self.store.append_answer(updates, answer, first, **self._decoded))
            self.stats['journal_writes'] += 1
        except StoreWriteError as e:
            self._failed(e, 'updates are not confirmed to Telegram until the store accepts '
                            'them again')
            raise
        self._recovered()
        self.stats['admitted'] += len(new)
        self.stats['duplicates'] += len(updates) - len(new)
        if len(new) < len(updates):
            log.debug('%d update(s) journaled before were dropped', len(updates) - len(new))
        return set(new)

    def admit_one(self, update: Dict[str, Any]) -> bool:
        """Journal one update (a webhook request's) and return whether it is new; raises
        StoreWriteError like :meth:`admit`. Group commit: callers that come while another
        caller's write is in flight wait for it and share the next write, so concurrent
        requests cost one commit, and none returns before its update is committed."""
        if not self.group_commit:
            return bool(self.admit([update]))
        ticket = _Ticket(update)
        cv = self._admit_cv
        with cv:
            self._admit_queue.append(ticket)
            while self._admitting and not ticket.done:
                cv.wait()
            if ticket.done:
                return ticket.result()
            self._admitting = True          # this caller writes for everyone queued
            batch, self._admit_queue = self._admit_queue, []
        error: Optional[BaseException] = None
        new: Set[int] = set()
        try:
            new = self.admit([t.update for t in batch])
        except BaseException as e:
            error = e
        with cv:
            for t in batch:
                uid = t.update['update_id']
                t.new = uid in new
                new.discard(uid)            # the same update twice: only the first is new
                t.error = error
                t.done = True
            self._admitting = False
            cv.notify_all()
        return ticket.result()

    def redeliveries(self) -> List[UpdateMsg]:
        """Journaled updates not done (and not being handled in this process), as messages
        with ``redelivered`` set, in update_id order."""
        out: List[UpdateMsg] = []
        broken: List[int] = []
        busy = self._inflight
        for update in self.store.pending():
            uid = update.get('update_id')
            if busy is not None and uid in busy:
                continue
            try:
                msg = unwrap_update(update)
            except BadFlavor:
                broken.append(uid)
                continue
            msg._redelivered = True
            out.append(msg)
        if broken:
            log.warning('%d journaled update(s) could not be read back; marked done', len(broken))
            self.store.mark_done(broken)
        if out:
            log.info('redelivering %d update(s) journaled but not done before the last stop',
                     len(out))
        return out

    # The hot path takes no lock: done() and stage() append to deques (atomic), and wake the
    # writer only when it is not awake already. The writer clears ``_signalled`` before it
    # drains the deques, so whatever was appended before that is in its next write, and
    # whoever appends after it sees the flag down and wakes it again.
    def done(self, uid: Any) -> None:
        """Update ``uid`` is finished (the bot's InFlight says so): queue its done-mark for
        the writer, which writes it with the states staged before it. A str ``uid`` is a
        kept scheduler event's id: its timer is deleted in that write."""
        if uid.__class__ is str:
            self._fired_q.append(uid)
        else:
            self._done_q.append(uid)
        if not self._signalled:
            self.kick()

    @property
    def inflight(self) -> Any:
        """The bot's InFlight (kept scheduler events are counted in it while handled)."""
        return self._inflight

    def stage(self, key: StateKey, state: 'State', upto: Optional[int]) -> None:
        """Queue ``state`` for the next write if it changed since it was last staged.

        A state of scalars only changes through its methods: when its flag says it did, a
        copy is queued and the writer encodes the last copy per key of its batch (one JSON
        encoding per write, not per message). Any other state is encoded now and compared
        with its last text (:meth:`snapshot`)."""
        if state._nested:
            saved: Any = self.snapshot(key, state, upto)
            if saved is None:
                return
        else:
            if not state._dirty:
                return
            state._dirty = False
            state._saved = None         # staged as a copy: its text is not known here
            saved = (key, dict.copy(state), state._advance(upto))   # encoded by the writer
        self._states_q.append(saved)
        if not self._signalled:
            self.kick()

    def stage_idle(self, key: StateKey, due: Optional[float], msg: Optional[str]) -> None:
        """Queue a delegate's idle deadline (``due`` None: forget it; ``msg`` None: keep the
        message stored with it) for the next write."""
        self._idle_q.append(IdleRecord(key, due, msg))
        if not self._signalled:
            self.kick()

    def staged_idle(self, keys: Iterable[StateKey]) -> Set[StateKey]:
        """Which of ``keys`` have an idle deadline (or its removal) staged and not written
        yet: queued, or in a write not committed yet."""
        with self._lock:
            self._take_queued()
            idles, writing = self._idles, self._idles_writing
            return {k for k in keys if k in idles or k in writing}

    def discard_states(self, which: Callable[[SavedState], bool]) -> int:
        """Drop the staged, not yet written states for which ``which`` is true (a cluster
        worker that lost a partition: they may include handling whose done-marks will not
        count, and those updates come again). Returns how many were dropped."""
        with self._lock:
            self._take_queued()
            drop = [k for k, s in self._states.items()      # (which() reads key and upto)
                    if which(s if s.__class__ is not tuple else SavedState(k, '', s[2]))]
            for k in drop:
                del self._states[k]
            gone = [k for k, s in self._unsaved.items() if which(s)]
            for k in gone:
                del self._unsaved[k]
        return len(set(drop) | set(gone))

    def kick(self) -> None:
        """Have the writer look at the queue now (e.g. for a changed ``bot.state``)."""
        with self._lock:
            if not self._signalled:
                self._wake_locked()

    def _wake_locked(self) -> None:
        self._signalled = True
        if self._writer is None or not self._writer.is_alive():
            self._closing = False
            self._writer = threading.Thread(target=self._write_loop, daemon=True,
                                            name='telepot_ng-store-%d' % self.bot_id)
            self._writer.start()
        self._work.notify()

    def _take_queued(self) -> None:
        """Move what the hot path appended into the write batch (the caller holds the lock)."""
        q = self._done_q
        if q:       # only what is there now: the hot path may append meanwhile
            pop = q.popleft
            self._done.extend([pop() for _ in range(len(q))])
        q = self._states_q
        if q:
            pop = q.popleft
            states = self._states
            for _ in range(len(q)):
                saved = pop()
                states[saved[0]] = saved
        q = self._fired_q
        while q:
            self._fired.append(q.popleft())
        q = self._idle_q
        while q:
            self._merge_idle(q.popleft())

    def _merge_idle(self, rec: IdleRecord, older: bool = False) -> None:
        """Queue ``rec`` over what is queued for its key (under it when ``older``); a
        deadline without its message keeps the message queued before it."""
        cur = self._idles.get(rec.key)
        if older:
            rec, cur = cur or rec, rec
        if cur is not None and rec.msg is None and rec.due is not None and cur.msg is not None:
            rec = IdleRecord(rec.key, rec.due, cur.msg)
        self._idles[rec.key] = rec

    def _queued(self) -> bool:
        return bool(self._done or self._states or self._done_q or self._states_q or
                    self._fired or self._fired_q or self._idles or self._idle_q or (
            self._bot_state is not None and self._bot_state_changed()))

    def _bot_state_changed(self) -> bool:
        s = self._bot_state
        if s is None or _unchanged(s):
            return False
        try:
            return _dumps(s) != s._saved
        except (TypeError, ValueError, RuntimeError):
            return True

    def _write_loop(self) -> None:
        """The writer: waits for marks, lets more gather for ``linger`` seconds (unless a
        flush is asked), writes them all in one transaction, and again."""
        while True:
            with self._lock:
                while not (self._done or self._states or self._done_q or self._states_q
                           or self._fired or self._fired_q or self._idles or self._idle_q
                           or self._signalled):
                    if self._closing:
                        self._idle.notify_all()
                        return
                    self._work.wait()
                self._signalled = False
                urgent = self._urgent or self._closing
            if not urgent and self.linger > 0:
                self._hurry.wait(self.linger)         # gather a batch (cut short by flush)
            if not self._write_once():
                self._hurry.wait(RETRY_EVERY)         # failing: try again later
            with self._lock:
                self._idle.notify_all()

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Have everything queued written now and wait for it. True when nothing is left
        queued (False: the store is failing or the time ran out)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            if not self._queued() and not self._writing:
                return True
            self._urgent += 1
            self._hurry.set()
            try:
                self._wake_locked()
                while self._queued() or self._writing or self._signalled:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return False
                    if self._failing is not None and not self._writing and not self._signalled:
                        return False
                    self._idle.wait(left if left is None or left < 0.5 else 0.5)
                return True
            finally:
                self._urgent -= 1
                if not self._urgent:
                    self._hurry.clear()

    def _write_once(self) -> bool:
        """Write what is queued in one transaction; False when the write failed."""
        bot_state = self._bot_state_snapshot()
        with self._lock:
            self._take_queued()
            done, states, fired, idle = self._done, self._states, self._fired, self._idles
            if bot_state is not None:
                states[bot_state.key] = bot_state
            if not done and not states and not fired and not idle:
                return True
            self._done, self._states, self._fired, self._idles = [], {}, [], {}
            self._fired_writing = fired
            self._idles_writing = idle
            self._unsaved.update(states)        # read through until written
            self._writing = True
        if any(st.__class__ is tuple for st in states.values()):
            # copies staged by stage(): encoded now, once per key and write, without the
            # lock (a load meanwhile reads the copy through _saved)
            encoded = {k: _encoded(st) for k, st in states.items()}
            with self._lock:
                unsaved = self._unsaved
                for k, st in states.items():
                    if unsaved.get(k) is st:
                        if encoded[k] is None:
                            del unsaved[k]
                        else:
                            unsaved[k] = encoded[k]
            states = {k: e for k, e in encoded.items() if e is not None}
        try:
            if fired or idle:
                self._mark_more(done, states, fired, idle)
            else:
                self.store.mark_done(done, states.values())
        except StoreWriteError as e:
            with self._lock:
                self._writing = False
                self._fired_writing = []
                self._idles_writing = {}
                self._done[:0] = done
                self._fired[:0] = fired
                for rec in idle.values():
                    self._merge_idle(rec, older=True)
                for k, s in states.items():
                    self._states.setdefault(k, s)
                if bot_state is not None and self._bot_state is not None:
                    self._bot_state._saved = ''     # still to be written
            self._failed(e, 'done-marks and states are kept and written when the store '
                            'accepts writes again')
            return False
        except BaseException:
            with self._lock:
                self._writing = False
                self._fired_writing = []
                self._idles_writing = {}
            raise
        self._recovered()
        self.stats['writes'] += 1
        self.stats['done'] += len(done)
        with self._lock:
            self._writing = False
            self._fired_writing = []
            self._idles_writing = {}
            for k, s in states.items():
                if self._unsaved.get(k) is s:
                    del self._unsaved[k]
        self._maybe_prune()
        return True

    def _mark_more(self, done: List[int], states: Dict[StateKey, SavedState],
                   fired: List[str], idle: Dict[StateKey, IdleRecord]) -> None:
        """The write of :meth:`_write_once` when kept events were handled or idle deadlines
        staged: in the same transaction (handled timers one by one after it with a store
        that cannot; idle deadlines are only staged for a store that keeps them)."""
        store = self.store
        if self.keeps_idle:
            store.mark_done(done, states.values(), timers=fired, idle=idle.values())
            return
        if done or states:
            store.mark_done(done, states.values())
        for tid in fired:
            store.delete_timer(tid)

    def _failed(self, e: BaseException, consequence: str) -> None:
        now = time.monotonic()
        first = self._failing is None
        self._failing = str(e)
        self._retry_at = now + RETRY_EVERY
        if first or now - self._fail_logged >= _FAIL_LOG_EVERY:
            self._fail_logged = now
            log.error('%s; %s', e, consequence)

    def _recovered(self) -> None:
        if self._failing is not None:
            self._failing = None
            log.warning('store %r accepts writes again; resuming', self.store)

    def _maybe_prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        self.prune()

    def prune(self) -> int:
        """Forget done update_ids older than the store's window; how many were forgotten."""
        try:
            n = self.store.prune(time.time() - self.store.window)
        except StoreError as e:
            log.warning('pruning the store failed: %s', e)
            return 0
        if n:
            log.debug('pruned %d done update id(s)', n)
        return n

    # -- states --------------------------------------------------------------------------------
    def key(self, pattern: Any, seed: Any) -> Optional[StateKey]:
        """The StateKey of a delegate (None when the seed has no JSON form)."""
        text = seed_text(seed)
        return None if text is None else StateKey(self.bot_id, str(pattern), text)

    def _saved(self, key: StateKey) -> Optional[SavedState]:
        with self._lock:
            self._take_queued()
            s = self._states.get(key) or self._unsaved.get(key)
        if s is not None and s.__class__ is tuple:
            s = _encoded(s)
            if s is None:
                raise StoreError('the state of %s has no JSON form' % (key,))
        if s is None:
            try:
                s = self.store.load_state(key)
            except StoreError as e:
                log.error('could not read the state of %s: %s', key, e)
                raise
        return s

    def load(self, key: StateKey) -> State:
        """The state saved under ``key`` (empty if none) as a new State."""
        s = self._saved(key)
        state = State()
        if s is not None:
            state._load(json.loads(s.data), s.data, s.upto)
        return state

    def void(self, msg: Any) -> bool:
        """Whether ``msg`` must not reach user code any more: the store says the update is
        no longer this process's to handle (a cluster worker lost the update's partition;
        another worker delivers it again). Stores without that notion never void."""
        is_current = self._is_current
        return is_current is not None and not is_current(msg)

    def lease_of(self, msg: Any) -> Any:
        """The store's lease under which ``msg`` was handed on (a cluster store's partition
        lease token), or None: a delegate's state is only valid under one lease."""
        lease_of = self._lease_of
        return None if lease_of is None else lease_of(msg)

    def consumed(self, key: Optional[StateKey], msg: Any, live: Optional[State] = None) -> bool:
        """Whether the state under ``key`` already includes the handling of the redelivered
        ``msg`` (its done-mark was lost, its state was not): then it is not handed over
        again to that delegate."""
        if key is None or not getattr(msg, 'redelivered', False):
            return False
        if live is not None:
            upto = live._upto
        else:
            s = self._saved(key)
            upto = None if s is None else s.upto
        return upto is not None and upto >= msg.update_id

    @staticmethod
    def snapshot(key: StateKey, state: State, upto: Optional[int]) -> Optional[SavedState]:
        """``state`` to write if it changed since it was last written, else None. A state
        that cannot be written as JSON is logged (naming its key) and not written."""
        try:
            text = _dumps(state)
        except (TypeError, ValueError, RecursionError) as e:
            log.error('state %s not saved: %s (keep state values JSON-serialisable)', key, e)
            return None
        if text == state._saved:
            return None
        state._saved = text
        return SavedState(key, text, state._advance(upto))

    def bot_state(self) -> State:
        """The bot-wide state (``bot.state``), loaded on first use."""
        s = self._bot_state
        if s is None:
            with self._lock:
                s = self._bot_state
            if s is None:
                s = self.load(self._bot_key)
                with self._lock:
                    if self._bot_state is None:
                        self._bot_state = s
                    s = self._bot_state
        return s

    def _bot_state_snapshot(self) -> Optional[SavedState]:
        s = self._bot_state
        if s is None or _unchanged(s):
            return None                 # (not encoded: nothing can have changed)
        s._dirty = False                # before the encoding: a change during it sets it again
        for _ in range(3):
            try:
                return self.snapshot(self._bot_key, s, None)
            except RuntimeError:        # changed size while being written out: try again
                continue
        s._dirty = True
        return None

    # -- timers --------------------------------------------------------------------------------
    def keep_timer(self, when: float, data: Any) -> Optional[str]:
        """Keep a scheduled event in the store; its id, or None when it is not kept (data
        that is not JSON, or a failed write, which is logged)."""
        try:
            text = _dumps(data)
        except (TypeError, ValueError, RecursionError):
            log.debug('scheduled event %r is not JSON: kept in memory only', data)
            return None
        tid = uuid.uuid4().hex
        try:
            self.store.set_timer(TimerRecord(tid, float(when), text))
        except StoreError as e:
            log.error('could not keep a scheduled event in the store (%s); it will not '
                      'survive a restart', e)
            return None
        return tid

    def drop_timer(self, tid: str) -> None:
        """Forget a kept event (emitted or cancelled)."""
        try:
            self.store.delete_timer(tid)
        except StoreError as e:
            log.warning('could not forget a scheduled event in the store (%s); it may fire '
                        'again after a restart', e)

    def may_fire(self, tid: str) -> bool:
        """Whether this process is to fire the kept event ``tid`` now (a cluster store says
        no when another worker owns the event's partition, or the event is gone)."""
        may_fire = getattr(self.store, 'may_fire', None)
        return may_fire is None or may_fire(tid)

    def known_timers(self, scheduler: Any, ids: Iterable[str]) -> Set[str]:
        """Which of the kept events ``ids`` this process has: pending on ``scheduler``,
        being handled, or handled with their deletion not written yet."""
        have = scheduler.kept_ids()
        busy = self._inflight
        if busy is not None:         # emitted and not finished in this process: not again
            have |= {tid for tid in ids if tid in busy}
        with self._lock:             # finished, their deletion not written yet
            have.update(self._fired)
            have.update(self._fired_q)
            have.update(self._fired_writing)
        return have

    def restore_timers(self, scheduler: Any, records: Optional[List[TimerRecord]] = None
                       ) -> int:
        """Put the kept events (``records``, default: the store's ``timers()``) that
        ``scheduler`` does not have back on it; those already due fire at once, with
        ``'late': True`` in their data. How many were restored."""
        if records is None:
            try:
                records = self.store.timers()
            except StoreError as e:
                log.error('could not read the scheduled events from the store: %s', e)
                return 0
        if not records:
            return 0
        have = self.known_timers(scheduler, [r.timer_id for r in records])
        now = time.time()
        n = 0
        for r in records:
            if r.timer_id in have:
                continue
            data = json.loads(r.data)
            if r.due < now and isinstance(data, dict):
                for inner in data.values():
                    if isinstance(inner, dict):
                        inner['late'] = True
            try:
                scheduler._insert(r.due, data, tid=r.timer_id)
            except RuntimeError:            # the scheduler was stopped meanwhile
                break
            n += 1
        if n:
            log.info('restored %d scheduled event(s) from the store', n)
        return n

    # -- life ----------------------------------------------------------------------------------
    def close(self, timeout: Optional[float] = 5.0) -> None:
        """Write what is queued and end the writer thread (it starts again with the next
        mark). Updates still held stay pending: they are redelivered at the next start."""
        if not self.flush(timeout):
            log.warning('store %r: some done-marks could not be written before closing; '
                        'those updates will be delivered again at the next start', self.store)
        with self._lock:
            self._closing = True
            self._work.notify()
            writer = self._writer
        self._hurry.set()
        if writer is not None and writer is not threading.current_thread():
            writer.join(timeout)
        self._hurry.clear()

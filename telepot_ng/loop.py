"""Update loops: get updates (long polling, or a queue fed by a webhook), put them in order,
hand each to user code exactly once, and stop cleanly.

Every loop is one pipeline, run in one thread named ``telepot_ng-<poll|queue|webhook>-<bot id>``::

    getUpdates batch -> sort, drop ids already handed on -> unwrap_update -> callback
    queue item -> decode + unwrap_update (bad items logged, skipped) -> Orderer -> callback

:class:`MessageLoop`, :class:`Webhook`, :class:`OrderedWebhook`, :func:`notify_on_message`
(``Bot.notifyOnMessage``) and :func:`message_loop` (``Bot.message_loop``) are thin
compositions of those two runners.

User code receives the object each Update carries (``update['message']``,
``update['callback_query']``, ...), as telepot did, as a
:class:`~telepot_ng.flavors.UpdateMsg`: a plain dict that also has ``update_type`` (the Update
field it came from, e.g. ``'edited_message'``) and ``update_id``.
"""
from __future__ import annotations

import atexit
import heapq
import json
import os
import queue
import random
import signal
import sys
import threading
import time
import weakref
from collections import deque
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union, cast

from . import _flow, _masking
from ._encoding import raw_answer as _raw_answer
from . import exception
from . import inflight as _inflight
from .api import deadline as _api_deadline
from .flavors import _NAMES_63, UpdateMsg, unwrap_update, update_of as _update_of

__all__ = [
    'DEFAULT_GRACE', 'CONFIRM_TIME', 'Backoff', 'Orderer', 'parse_update', 'MessageLoop', 'Webhook',
    'OrderedWebhook', 'notify_on_message', 'message_loop',
]

log = _masking.logger(__name__)

#: Seconds ``stop()`` waits for an in-flight callback when given no timeout.
DEFAULT_GRACE = 10.0
#: Seconds the final offset confirmation of a stopping poll loop may take beyond the stop's
#: timeout (``stop(timeout)`` returns within ``timeout + CONFIRM_TIME``).
CONFIRM_TIME = 1.0

Update = Dict[str, Any]
Emit = Callable[[Any], Any]


# ============================================================================================
# Input: anything a queue or a webhook may carry -> an Update dict


def _decode(data: Any) -> Dict[str, Any]:
    if data.__class__ is dict:
        return data
    if isinstance(data, (bytes, bytearray)):
        try:
            obj = json.loads(bytes(data).decode('utf-8'))
        except ValueError as e:     # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ValueError('not a JSON Update: %s' % e) from None
        except RecursionError:
            raise ValueError('not a JSON Update: nested too deeply') from None
    elif isinstance(data, str):
        try:
            obj = json.loads(data)
        except ValueError as e:
            raise ValueError('not a JSON Update: %s' % e) from None
        except RecursionError:
            raise ValueError('not a JSON Update: nested too deeply') from None
    elif isinstance(data, dict):
        obj = data
    else:
        raise ValueError('an Update is a dict, str or bytes, not %s' % type(data).__name__)
    if not isinstance(obj, dict):
        raise ValueError('an Update is a JSON object, not %s' % type(obj).__name__)
    return obj


def _unwrap(update: Dict[str, Any]) -> UpdateMsg:
    """The message user code gets for ``update``, or ValueError if it is not an Update."""
    if type(update.get('update_id')) is not int:
        raise ValueError('not an Update: no integer update_id')
    try:
        return unwrap_update(update)
    except exception.BadFlavor as e:
        raise ValueError(str(e)) from None


def parse_update(data: Any) -> Update:
    """Turn ``data`` into an Update dict, or raise ``ValueError`` saying why it is none.

    ``data`` may be a ``dict``, a JSON ``str``, or JSON ``bytes``/``bytearray`` (UTF-8). It
    must be an object with an integer ``update_id`` and one field carrying an object
    (``message``, ``callback_query``, ... or a field newer than this library).
    """
    try:
        update = _decode(data)
        _unwrap(update)
    except ValueError:
        raise
    except Exception as e:          # whatever odd input makes the decoders raise
        raise ValueError('not an Update (%s)' % type(e).__name__) from None
    return update


# ============================================================================================
# Ordering and de-duplication


class Orderer:
    """Puts updates in ``update_id`` order and drops duplicates; no threads, no I/O.

    With ``ordered=True`` (telepot's semantics): an update that follows the last one handed on
    is handed on at once; an early one (a smaller id is missing) is held until the gap fills,
    but at most ``maxhold`` seconds. A duplicate (an id handed on among the last ``window``
    ids, or held) is logged and dropped.

    Unlike telepot, nothing that arrives is lost: an id below the last one handed on that
    was never seen (it came more than ``maxhold`` late, e.g. re-sent by Telegram after a 503)
    is handed on at once, out of order, with a WARNING. And one id far ahead of the sequence
    (more than ``gap`` beyond the last one, e.g. a forged ``update_id=10**15``) is handed on
    at once without moving the sequence, so it cannot make the genuine ones look late; two
    consecutive such ids (Telegram picks a new random start after a week of silence) start a
    new sequence.

    The very first update has no predecessor to follow. telepot handed the first arrival on
    at once, so when a webhook's concurrent pushes (``max_connections`` > 1) of a backlog
    arrived out of order, the smaller ids were dropped. Here the first arrivals are held
    ``first_hold`` seconds (default ``min(maxhold, 0.5)``; 0 gives telepot's behaviour); then
    the smallest id seen starts the sequence and the rest follow the rules above.

    With ``ordered=False`` updates are handed on as they come and only exact duplicates among
    the last ``window`` ids are dropped.

    Items are handed on by calling ``emit(item)``. ``clock`` (default
    :func:`time.monotonic`) is injectable for tests.
    """

    def __init__(self, ordered: bool = True, maxhold: float = 3, *,
                 first_hold: Optional[float] = None,
                 clock: Callable[[], float] = time.monotonic, window: int = 10000,
                 gap: int = 100000) -> None:
        if maxhold is None or maxhold < 0:
            raise ValueError('maxhold must be a number >= 0, not %r' % (maxhold,))
        self.ordered = bool(ordered)
        self.maxhold = float(maxhold)
        self.first_hold = min(self.maxhold, 0.5 if first_hold is None else float(first_hold))
        self.gap = max(1, int(gap))
        self._first_due: Optional[float] = None   # deadline of the first arrivals
        self._clock = clock
        self.last_id: Optional[int] = None     #: highest update_id handed on in sequence
        self._held: List[Any] = []             # heap of (update_id, update)
        self._held_ids: set = set()
        self._deadlines: List[Any] = []        # heap of (deadline, update_id); lazily pruned
        self._recent: set = set()              # ids handed on lately (duplicate check)
        self._recent_fifo: deque = deque()
        self._window = max(1, int(window))
        self._outlier: Optional[int] = None    # the last id handed on far ahead of sequence

    def __len__(self) -> int:
        """Number of updates held."""
        return len(self._held)

    def _seen(self, uid: int) -> None:
        self._recent.add(uid)
        fifo = self._recent_fifo
        fifo.append(uid)
        if len(fifo) > self._window:
            self._recent.discard(fifo.popleft())

    def push(self, uid: int, update: Any, emit: Emit) -> bool:
        """Take update ``uid``; ``emit`` every update that is ready, in order. False when
        ``uid`` was dropped as a duplicate."""
        if uid in self._recent or uid in self._held_ids:
            log.warning('update %d received twice; the duplicate is dropped', uid)
            return False
        if not self.ordered:
            self._seen(uid)
            emit(update)
            return True
        last = self.last_id
        if last is None:
            self._hold_first(uid, update, emit)
        elif uid == last + 1:
            self.last_id = uid
            self._seen(uid)
            emit(update)
            if self._held:
                self._drain(emit)
        elif uid <= last:
            log.warning('update %d arrived after update %d was handed on (more than '
                        'maxhold=%gs late); handed on now, out of order', uid, last,
                        self.maxhold)
            self._seen(uid)
            emit(update)
        elif uid > last + self.gap:
            self._far(uid, update, emit)
        else:
            self._hold(uid, update, self._clock())
        return True

    def _far(self, uid: int, update: Any, emit: Emit) -> None:
        if self._outlier is not None and uid == self._outlier + 1:
            log.warning('updates %d and %d follow each other far ahead of update %d: '
                        'a new sequence starts at %d', self._outlier, uid, self.last_id, uid)
            self.flush(emit)
            self._outlier = None
            self.last_id = uid
        else:
            log.warning('update %d is more than %d ahead of update %d, the last in sequence; '
                        'handed on at once without moving the sequence (a forged request? '
                        'see WebhookApp secret_token)', uid, self.gap, self.last_id)
            self._outlier = uid
        self._seen(uid)
        emit(update)

    def _hold_first(self, uid: int, update: Any, emit: Emit) -> None:
        now = self._clock()
        if self._first_due is None:
            self._first_due = now + self.first_hold
        self._hold(uid, update, now)
        if self.first_hold <= 0:
            self._begin(emit)

    def _hold(self, uid: int, update: Any, now: float) -> None:
        heapq.heappush(self._held, (uid, update))
        self._held_ids.add(uid)
        heapq.heappush(self._deadlines, (now + self.maxhold, uid))

    def _begin(self, emit: Emit) -> None:
        """The first hold is over: the smallest id seen starts the sequence; held ids far
        ahead of it are handed on as outliers."""
        self._first_due = None
        start = self._held[0][0]
        self.last_id = start - 1
        far = [item for item in self._held if item[0] > start + self.gap]
        if far:
            self._held = [item for item in self._held if item[0] <= start + self.gap]
            heapq.heapify(self._held)
            for uid, update in sorted(far, key=lambda item: item[0]):
                self._held_ids.discard(uid)
                self._far(uid, update, emit)
        self._drain(emit)

    def _drain(self, emit: Emit) -> None:
        held = self._held
        last = self.last_id
        assert last is not None
        while held and held[0][0] == last + 1:
            last, update = heapq.heappop(held)
            self._held_ids.discard(last)
            self.last_id = last
            self._seen(last)
            emit(update)

    def _release_through(self, cut: float, emit: Emit) -> None:
        held = self._held
        while held and held[0][0] <= cut:
            uid, update = heapq.heappop(held)
            self._held_ids.discard(uid)
            if self.last_id is None or uid > self.last_id:
                self.last_id = uid
            self._seen(uid)
            emit(update)
        if self.last_id is not None:
            self._drain(emit)

    def expire(self, emit: Emit) -> None:
        """Hand on held updates whose ``maxhold`` is up (and every held update before them),
        giving up on the missing ids before them."""
        deadlines = self._deadlines
        if not deadlines:
            return
        now = self._clock()
        if self._first_due is not None:
            if now < self._first_due:
                return
            self._begin(emit)
        cut = None
        while deadlines and deadlines[0][0] <= now:
            _, uid = heapq.heappop(deadlines)
            if uid in self._held_ids and (cut is None or uid > cut):
                cut = uid
        if cut is None:
            return
        log.info('gave up waiting for missing update(s) between %d and %d after %gs',
                 self.last_id, cut, self.maxhold)
        self._release_through(cut, emit)

    def flush(self, emit: Emit) -> None:
        """Hand on everything held, in order (used when the loop stops)."""
        if self._held:
            self._release_through(float('inf'), emit)
        self._deadlines.clear()
        self._first_due = None

    def next_timeout(self) -> Optional[float]:
        """Seconds until the next held update is due, or None when nothing is held."""
        deadlines = self._deadlines
        while deadlines and deadlines[0][1] not in self._held_ids:
            heapq.heappop(deadlines)
        if not deadlines:
            return None
        due = deadlines[0][0] if self._first_due is None else self._first_due
        return max(0.0, due - self._clock())


def admit(item: Any, orderer: Orderer, emit: Emit, label: str, ledger: Any = None) -> None:
    """Give one queue or webhook item (str / bytes / dict, or an UpdateMsg admitted already)
    to ``orderer``; an item that is no Update is logged and skipped.  With a store, an item
    user code put into the queue is journaled now (one journaled before is dropped)."""
    if item.__class__ is UpdateMsg:
        msg = item
    else:
        try:
            msg = _unwrap(_decode(item))
        except Exception as e:      # whatever it is, it must not end the loop
            log.warning('%s: queue item skipped: %s', label,
                        e if isinstance(e, ValueError) else type(e).__name__)
            return
        if ledger is not None:
            try:
                if not _admit(ledger, msg):
                    return
            except exception.TelepotException:
                pass        # logged; handled all the same, without a journal entry
    orderer.push(cast(int, msg.update_id), msg, emit)


# ============================================================================================
# Delivery to user code


def _resolve_callback(bot: Any, callback: Any) -> Callable[[Any], Any]:
    if callback is None:
        return bot.handle
    if isinstance(callback, Mapping):
        from . import flavor_router          # telepot 12 routing table {flavor: function}
        return flavor_router(dict(callback))
    if not callable(callback):
        raise TypeError('callback must be a function or a {flavor: function} dict, not %s'
                        % type(callback).__name__)
    return callback


def _make_deliver(bot: Any, callback: Any, label: str, events: bool = False) -> Emit:
    """The last stage of every loop: call user code with a message, containing its errors.

    ``callback`` None means ``bot.handle``; a dict is a flavor routing table. With ``events``
    (the telepot 12 entry points) the bot's scheduler emits its events to the same callback,
    and events and messages reach it one at a time, as in telepot 12.  Without (telepot
    6.3's ``notifyOnMessage``) messages carry telepot 6.3's flavor names
    (:func:`~telepot_ng.flavors.use_names`).
    """
    fn = _resolve_callback(bot, callback)
    old_names = None if events else _NAMES_63
    tracker = _inflight.of(bot)
    take, release = tracker.take, tracker.release

    def deliver(msg: UpdateMsg) -> None:
        msg._names = old_names
        uid = msg.update_id
        take(uid)               # unfinished until the callback returns (see inflight)
        try:
            fn(msg)
        except Exception:
            log.exception('%s: callback raised on update %s (%s); the loop goes on',
                          label, msg.update_id, msg.update_type)
        finally:
            release(uid)

    scheduler = getattr(bot, 'scheduler', None) if events else None
    if scheduler is None or not hasattr(scheduler, 'on_event'):
        return deliver
    lock = threading.Lock()

    def deliver_locked(msg: UpdateMsg) -> None:
        with lock:
            deliver(msg)

    def on_event(data: Any) -> None:
        with lock:
            fn(data)            # the scheduler logs what this raises

    scheduler.on_event(on_event)
    return deliver_locked


# ============================================================================================
# Runners: one thread each, stoppable through bot.stop()


class Backoff:
    """Exponential backoff with jitter: the n-th consecutive failure waits a random time in
    ``[d/2, d]`` where ``d = min(cap, base * 2**n)``; :meth:`reset` after a success."""

    def __init__(self, base: float = 0.5, cap: float = 30.0,
                 rng: Optional[random.Random] = None) -> None:
        self.base = float(base)
        self.cap = float(cap)
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self) -> float:
        """Delay before the next attempt; counts one more failure."""
        d = min(self.cap, self.base * (2 ** min(self.failures, 62)))
        self.failures += 1
        return self._rng.uniform(d / 2, d)

    def reset(self) -> None:
        """Forget past failures."""
        self.failures = 0


def _bot_label(bot: Any) -> str:
    bid = getattr(bot, 'id', None)
    return str(bid) if isinstance(bid, int) else '%x' % id(bot)


_running: 'weakref.WeakSet[_Runner]' = weakref.WeakSet()
_consumers: 'weakref.WeakKeyDictionary[Any, _QueueRunner]' = weakref.WeakKeyDictionary()


def _uwsgi_threads_disabled() -> bool:
    """True when running under uWSGI without Python thread support."""
    try:
        import uwsgi  # type: ignore[import-not-found]
    except ImportError:
        return False
    opt = getattr(uwsgi, 'opt', None) or {}

    def on(name: str) -> bool:
        v = opt.get(name)
        if isinstance(v, (bytes, bytearray)):
            v = v.decode('latin-1')
        if isinstance(v, str):
            return v.strip().lower() not in ('', '0', 'false', 'no', 'off')
        return bool(v)
    return not (on('enable-threads') or on('threads'))


def _check_threads_usable() -> None:
    """Raise RuntimeError when background threads cannot run (uWSGI without threads)."""
    if _uwsgi_threads_disabled():
        raise RuntimeError(
            'telepot_ng needs Python threads, but uWSGI runs without them: updates would be '
            'accepted and never handled. Start uWSGI with --enable-threads (or --threads N).')


def _put_to_queue(q: 'queue.Queue[Any]', update: Any) -> None:
    """Put ``update`` into ``q`` (without blocking: ``queue.Full`` when full), refusing with
    RuntimeError when the loop consuming ``q`` is known and no longer takes updates."""
    consumer = _consumers.get(q)
    if consumer is not None:
        consumer.accept(update, block=False)
    else:
        q.put_nowait(update)


def _backlog(target: Any) -> Optional['tuple[int, int]']:
    """(updates accepted and not finished, the limit) for a webhook target (a Webhook or a
    queue consumed by a loop), or None when no loop is known to consume it."""
    if isinstance(target, queue.Queue):
        consumer = _consumers.get(target)
        if consumer is None:
            return None
        bot, waiting = consumer._bot, target.qsize()
    else:
        bot, q = getattr(target, '_bot', None), getattr(target, '_queue', None)
        if bot is None or q is None:
            return None
        waiting = q.qsize()
    tracker = _inflight.of(bot)
    return len(tracker) + waiting, tracker.limit


def _admit(ledger: Any, msg: UpdateMsg) -> bool:
    """Journal one update in the bot's store (concurrent callers share a commit); False
    when it was journaled before (a duplicate: drop it). Raises StoreWriteError when it
    could not be stored."""
    return ledger.admit_one(_update_of(msg))


class LoopCore:
    """What a loop of either kind (a thread here, a task in telepot_ng.aio) has: its bot,
    the deliver stage, a name ``<prefix>-<kind>-<bot id>``, the stop request (its deadline,
    and whether the loop confirms at its end) and the error that ended it.

    With a store (``bot._ledger``), updates are journaled before they are confirmed (the
    done-marks follow from the bot's InFlight), and :meth:`_redeliver_flow` hands on, before
    anything new, what the store journaled and never saw done."""

    kind = 'loop'
    prefix = 'telepot_ng'

    def __init__(self, bot: Any, deliver: Any) -> None:
        self._bot = bot
        self._ledger = getattr(bot, '_ledger', None)
        self._deliver = deliver
        self._label = '%s-%s-%s' % (self.prefix, self.kind, _bot_label(bot))
        self._stopping = False
        self._deadline: Optional[float] = None   # when stop()'s grace ends
        self._confirm_at_end = True         # False: bot.stop() confirms after the delegates
        #: the exception that ended the loop on its own (e.g. UnauthorizedError), else None
        self.error: Optional[BaseException] = None

    @property
    def name(self) -> str:
        """The loop's name (its thread's or task's), ``telepot_ng-<kind>-<bot id>``."""
        return self._label

    def _io(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Call ``fn(*args)``, store I/O (telepot_ng.aio runs it in a worker thread)."""
        return fn(*args)

    def _redeliver_flow(self) -> _flow.Flow:
        """Hand on what the store journaled and never saw done, in update_id order."""
        ledger = self._ledger
        if ledger is None:
            return
        try:
            msgs = yield self._io(ledger.redeliveries)
        except Exception as e:
            log.error('%s: could not read the updates to redeliver from the store: %s',
                      self._label, e)
            return
        revive = getattr(self._bot, '_revive_idle', None)
        if revive is not None:      # delegates idle at the last stop: an update brings one back
            revive()
        ledger.redelivering = bool(msgs)
        try:
            for msg in msgs:
                self._deliver(msg)
        finally:
            ledger.redelivering = False
        if revive is not None:      # ... or its deadline, once due
            self._bot._arm_revival()
        if hasattr(self._bot, 'scheduler'):     # scheduled events kept before the restart
            ledger.restore_timers(self._bot.scheduler)


class _Runner(LoopCore):
    """One thread that runs ``_run()``; registered with the bot so ``bot.stop()`` stops it."""

    def __init__(self, bot: Any, deliver: Emit) -> None:
        super().__init__(bot, deliver)
        self._thread: Optional[threading.Thread] = None
        self._interrupt_failed = False
        self._wakeup = threading.Event()     # set by stop(): ends waits at once
        self._done = threading.Event()

    def start(self) -> '_Runner':
        if self._thread is not None:
            raise RuntimeError('%s is already running' % self._label)
        _check_threads_usable()
        self._thread = threading.Thread(target=self._main, name=self._label, daemon=True)
        reg = getattr(self._bot, '_register_stoppable', None)
        if reg is not None:
            reg(self)
        _running.add(self)
        self._thread.start()
        return self

    def _main(self) -> None:
        try:
            self._run()
        except BaseException as e:  # a bug or SystemExit; never silent
            self.error = e
            log.critical('%s: loop ended by %s', self._label, type(e).__name__, exc_info=True)
        finally:
            _running.discard(self)
            unreg = getattr(self._bot, '_unregister_stoppable', None)
            if unreg is not None:
                unreg(self)
            self._done.set()
            log.debug('%s: ended', self._label)

    def _run(self) -> None:
        raise NotImplementedError

    def _interrupt(self, again: bool = False) -> None:
        """Hook: make the thread notice the stop request promptly (``again``: it has not
        yet, half a second later)."""

    def _idle_fetch(self) -> bool:
        """Hook: the thread is still blocked fetching (no user code runs), so stop() need
        not wait for it: what it fetches is not handed on."""
        return False

    @property
    def running(self) -> bool:
        """Whether the loop's thread is alive in this process and not asked to stop."""
        t = self._thread
        return (t is not None and not self._stopping and not self._done.is_set()
                and t.is_alive())

    @property
    def started(self) -> bool:
        return self._thread is not None

    def stop(self, timeout: Optional[float] = None, confirm: bool = True) -> None:
        """Stop fetching, let the callback in progress finish (up to ``timeout`` seconds,
        default :data:`DEFAULT_GRACE`), join the thread. Safe from inside a callback.
        (``confirm=False``: a poll loop leaves its final confirmation to ``bot.stop()``.)"""
        deadline = time.monotonic() + (DEFAULT_GRACE if timeout is None else max(0.0, timeout))
        if not self._stopping:
            self._deadline = deadline
            self._confirm_at_end = confirm
            self._stopping = True
            self._wakeup.set()
            log.debug('%s: stopping', self._label)
            try:        # a short try: stop() must not spend the handlers' grace here
                with _api_deadline(min(deadline, time.monotonic() + CONFIRM_TIME),
                                   flood_wait=False):
                    self._interrupt()
            except Exception as e:
                self._interrupt_failed = True
                log.warning('%s: could not interrupt the fetch (%s: %s)', self._label,
                            type(e).__name__, e)
        t = self._thread
        if t is None:
            self._done.set()
            return
        if t is threading.current_thread():
            self._confirm_at_end = True     # the loop ends (and confirms) after the callback
            return
        if self._confirm_at_end and self.kind == 'poll':
            deadline += CONFIRM_TIME     # the thread confirms by then
        while True:
            t.join(max(0.0, min(0.5, deadline - time.monotonic())))
            if not t.is_alive() or time.monotonic() >= deadline or (
                    self._interrupt_failed and self._idle_fetch()):
                break
            try:
                with _api_deadline(deadline, flood_wait=False):
                    self._interrupt(again=True)
            except Exception:
                log.debug('%s: could not interrupt the fetch', self._label, exc_info=True)
        if t.is_alive():
            if self._idle_fetch():
                log.info('%s: a fetch is still pending; what it brings is not handed on',
                         self._label)
            else:
                log.warning('%s: still busy %ss after stop(); it will end when its callback '
                            'returns', self._label,
                            timeout if timeout is not None else DEFAULT_GRACE)

    def join(self, timeout: Optional[float] = None) -> bool:
        """Wait until the loop has ended; True if it has."""
        return self._done.wait(timeout)

    def run(self) -> None:
        """Start, then block until the loop ends (``bot.stop()`` or a fatal error, which is
        re-raised, e.g. UnauthorizedError for a revoked token).

        Ctrl-C (SIGINT) or SIGTERM stops the whole bot cleanly (``bot.stop()``: sources,
        delegates with what is queued for them, ``on_close``, scheduler, offset confirmed),
        logs one INFO line and returns. A second signal during that stop exits the process
        at once (status 130 or 143). A SIGTERM handler is installed only in the main thread
        and only when the program has not set one, for the time of this call.
        """
        signals = _Signals()
        try:
            self.start()
            with signals:
                # Wake up now and then: a SIGINT delivered to another thread, or on Windows,
                # does not interrupt a blocked wait, but is noticed when the wait returns.
                while not self._done.wait(1.0):
                    pass
        except (KeyboardInterrupt, _StopSignal) as e:
            signals.exit_on_next()          # (already so when our handler ran)
            name = 'SIGINT' if isinstance(e, KeyboardInterrupt) else e.name
            log.info('%s: %s received: stopping (handlers get up to %gs; a second signal '
                     'exits at once)', self._label, name, DEFAULT_GRACE)
            if hasattr(self._bot, '_register_stoppable'):
                self._bot.stop(DEFAULT_GRACE)     # the whole bot, not only this loop
            else:
                self.stop()
            busy = getattr(self._bot, 'live_delegates', 0)
            if busy:
                # the process cannot end before they do: a second signal still exits
                log.warning('%s: %d delegate(s) still busy; the program ends when they do '
                            '(a second signal exits at once)', self._label, busy)
            else:
                signals.restore()
            return
        if self.error is not None:
            raise self.error


class _StopSignal(BaseException):
    """Raised in the main thread by our SIGTERM handler (never escapes ``run()``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.name = signal.Signals(signum).name


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class _Signals:
    """SIGINT and SIGTERM while ``run()`` waits, in the main thread only, for the signals
    whose handler is the default (the program's own handlers are left alone): the first
    one raises (KeyboardInterrupt, _StopSignal) after switching both to "exit at once", so
    no second signal can slip in between."""

    def __init__(self) -> None:
        self._saved: List[Any] = []

    def __enter__(self) -> '_Signals':
        if not _in_main_thread():
            return self
        for name, default in (('SIGINT', signal.default_int_handler),
                              ('SIGTERM', signal.SIG_DFL)):
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is default:
                signal.signal(signum, self._first)
                self._saved.append((signum, default))
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.restore()

    def _first(self, signum: int, frame: Any) -> None:
        self.exit_on_next()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise _StopSignal(signum)

    def exit_on_next(self) -> None:
        for signum, _ in self._saved:
            signal.signal(signum, _exit_now)

    def restore(self) -> None:
        for signum, default in self._saved:
            if signal.getsignal(signum) in (self._first, _exit_now):
                signal.signal(signum, default)
        self._saved = []


def _exit_armed() -> bool:
    """Whether a run() stopped by a signal left "a second signal exits at once" in place
    (the program waits for busy delegates)."""
    return any(getattr(signal, name, None) is not None
               and signal.getsignal(getattr(signal, name)) is _exit_now
               for name in ('SIGINT', 'SIGTERM'))


def _exit_now(signum: int, frame: Any) -> None:
    """A second SIGINT/SIGTERM while the bot stops: leave at once, without a traceback."""
    try:
        os.write(2, ('telepot_ng: %s again: exiting now\n'
                     % signal.Signals(signum).name).encode())
    finally:
        os._exit(128 + signum)


class PollState:
    """The bookkeeping of a getUpdates loop, without I/O: which offset to ask for, what the
    server is known to have been told, which updates of a batch are new, how long to wait
    after a failure.  (The caller serialises access: the threaded poller holds its lock.)"""

    def __init__(self, label: str, offset: Optional[int] = None,
                 backoff: Optional[Backoff] = None) -> None:
        self.label = label
        self.backoff = backoff or Backoff()
        self._offset = offset
        #: highest update_id handed to user code
        self.last_id: Optional[int] = offset - 1 if offset is not None else None
        self.confirmed = offset           # offset the server is known to have received

    def next_offset(self) -> Optional[int]:
        """The offset of the next getUpdates: everything handed on is done."""
        return self.last_id + 1 if self.last_id is not None else self._offset

    def mark_confirmed(self, offset: Optional[int]) -> None:
        """The server answered a getUpdates with this offset: everything before it is done."""
        if offset is not None and (self.confirmed is None or offset > self.confirmed):
            self.confirmed = offset

    def fresh(self, batch: List[Any], ascending: Optional[bool] = None) -> Iterable[Any]:
        """The updates of a getUpdates answer not handed on yet, in update_id order (others
        are logged and skipped).  The caller sets ``last_id`` as it hands each on.
        ``ascending``: whether the batch is known to be in ascending update_id order."""
        last = self.last_id
        if len(batch) > 1 and not (ascending if ascending is not None else _ascending(batch)):
            batch = sorted(batch, key=_uid_or_minus_one)
        for update in batch:
            uid = update.get('update_id') if isinstance(update, dict) else None
            if type(uid) is not int:
                log.warning('%s: getUpdates returned a non-Update; skipped', self.label)
                continue
            if last is not None and uid <= last:
                log.debug('%s: update %d already handed on; skipped', self.label, uid)
                continue
            yield update
            last = uid

    def message(self, update: Update) -> Optional[UpdateMsg]:
        """What user code gets for ``update``, or None (logged) if it is not an Update."""
        try:
            return _unwrap(update)
        except ValueError as e:
            log.warning('%s: update %d skipped: %s', self.label, update['update_id'], e)
            return None

    def failed(self, e: BaseException) -> float:
        """Log a failed getUpdates; the seconds to wait before the next."""
        delay = self.backoff.next()
        label = self.label
        if isinstance(e, exception.TooManyRequestsError):
            ra = e.retry_after
            if isinstance(ra, (int, float)) and ra > delay:
                delay = float(ra)
            log.warning('%s: flood control on getUpdates; retrying in %.1fs', label, delay)
        elif isinstance(e, exception.ConflictError):
            log.warning('%s: getUpdates conflict (%s): another instance is polling with this '
                        'token or a webhook is set (deleteWebhook removes it); retrying in '
                        '%.1fs', label, e, delay)
        elif isinstance(e, exception.BadHTTPResponse):    # e.g. a proxy's HTML error page
            log.warning('%s: getUpdates failed (BadHTTPResponse: HTTP %s); retrying in %.1fs',
                        label, e.status, delay)
        elif isinstance(e, (exception.NetworkError, exception.TelegramError)):
            log.warning('%s: getUpdates failed (%s: %s); retrying in %.1fs',
                        label, type(e).__name__, e, delay)
        else:
            log.error('%s: getUpdates raised; retrying in %.1fs', label, delay,
                      exc_info=True)
        return delay


class PollLoop:
    """The getUpdates loop, shared by the threaded poller and telepot_ng.aio's: wait while
    the bot's unfinished backlog is full, poll, hand each new update on in order, wait after
    failures; at the end wait (until the stop's deadline) for the handlers, then confirm to
    the server everything before the lowest unfinished update.  Written once as flows
    (telepot_ng._flow); each driver supplies the I/O through ``_get_updates``,
    ``_confirm_call``, ``_pause``, ``_wait_room`` and ``_wait_empty``."""

    kind = 'poll'
    _bot: Any
    _deliver: Any
    _label: str
    _stopping: bool
    _deadline: Optional[float]
    _confirm_at_end: bool
    error: Optional[BaseException]

    def __init__(self, bot: Any, deliver: Any, *, relax: float = 0.1,
                 timeout: Optional[int] = 20, offset: Optional[int] = None,
                 allowed_updates: Optional[Iterable[str]] = None, limit: Optional[int] = None,
                 backoff: Optional[Backoff] = None) -> None:
        super().__init__(bot, deliver)              # type: ignore[call-arg]  (the loop's base)
        self._relax = max(0.0, float(relax or 0))
        self._timeout = timeout
        self._allowed = list(allowed_updates) if allowed_updates is not None else None
        self._limit = limit
        self._state = PollState(self._label, offset, backoff)
        self._store_backoff = Backoff(0.2, 5.0)
        self._lock = threading.Lock()
        self._polling = False
        #: the last getUpdates answer's raw bytes and the batch decoded from them (with a
        #: store, the batch is journaled from the bytes)
        self._answer: List[Any] = [None, None]

    @property
    def last_id(self) -> Optional[int]:
        """Highest update_id handed to user code."""
        return self._state.last_id

    # the I/O
    def _get_updates(self, offset: Optional[int], limit: Optional[int],
                     timeout: Optional[int], allowed: Optional[List[str]]) -> Any:
        """A long poll, flood control left to the loop (None: stop() cut it short)."""
        raise NotImplementedError

    def _confirm_call(self, offset: int, until: float) -> Any:
        """The getUpdates that confirms ``offset``, ending by ``until``."""
        raise NotImplementedError

    def _pause(self, seconds: float) -> Any:
        """Wait, cut short by stop()."""
        raise NotImplementedError

    def _wait_room(self, tracker: _inflight.InFlight) -> Any:
        """Wait a little for the backlog to shrink."""
        raise NotImplementedError

    def _wait_empty(self, tracker: _inflight.InFlight, seconds: float) -> Any:
        """Wait up to ``seconds`` for every update to be finished."""
        raise NotImplementedError

    # the flows
    def _poll_flow(self) -> _flow.Flow:
        state = self._state
        deliver = self._deliver
        tracker = _inflight.of(self._bot)
        ledger = self._ledger
        yield from self._redeliver_flow()
        while True:
            room = yield from self._room_flow(tracker)
            limit = self._limit
            if room < (limit or 100):
                limit = room
            with self._lock:
                if self._stopping:
                    break
                offset = state.next_offset()
                self._polling = True
            try:
                batch = yield self._get_updates(offset, limit, self._timeout, self._allowed)
            except exception.UnauthorizedError as e:
                self._polled(None)
                self.error = e
                log.error('%s: Telegram rejected the bot token (%s); polling stopped. '
                          'Get a valid token from @BotFather.', self._label, e)
                return
            except Exception as e:
                self._polled(None)
                if self._stopping:
                    break
                yield self._pause(state.failed(e))
                continue
            if batch is None:          # stop() cut the long poll short: nothing handed on
                self._polled(None)
                break
            self._polled(offset)
            state.backoff.reset()
            if self._stopping:
                break           # this batch is neither handed on nor confirmed: it comes back
            if not batch:
                if self._relax:
                    yield self._pause(self._relax)
                continue
            dupes = None
            ascending = _ascending(batch)
            if ledger is not None:
                try:
                    dupes = yield self._io(self._journal, batch, state.last_id, ascending)
                except exception.TelepotException:      # StoreWriteError, logged
                    yield self._pause(self._store_backoff.next())
                    continue        # the same offset again: nothing is confirmed meanwhile
            for update in state.fresh(batch, ascending):
                uid = update['update_id']
                if dupes and uid in dupes:
                    log.debug('%s: update %d journaled before; skipped', self._label, uid)
                    state.last_id = uid
                    continue
                if self._stopping:
                    break       # the rest stays unconfirmed (and, journaled, pending)
                msg = state.message(update)
                if msg is not None:
                    deliver(msg)
                elif ledger is not None:
                    ledger.done(uid)
                state.last_id = uid
        if self._confirm_at_end:
            yield from self._finish_flow(self._deadline)

    def _journal(self, batch: List[Any], last: Optional[int],
                 ascending: Optional[bool] = None) -> Optional[set]:
        """Journal the batch's updates after ``last`` (one write); the ids of those that
        were journaled before (None: none were)."""
        n = len(batch)
        first = 0
        if ascending if ascending is not None else _ascending(batch):
            # Telegram's order: the updates to journal are a tail of the batch
            if last is not None:
                while first < n and batch[first]['update_id'] <= last:
                    first += 1
            todo = batch[first:] if first else batch
        else:
            def wanted(u: Any) -> bool:
                return (isinstance(u, dict) and type(u.get('update_id')) is int
                        and (last is None or u['update_id'] > last))
            while first < n and not wanted(batch[first]):
                first += 1
            todo = [u for u in batch[first:] if wanted(u)]
        if not todo:
            return None
        box = self._answer
        if box[1] is batch and len(todo) == n - first:
            # the batch as decoded from these bytes, and todo is its tail: journaled from them
            new = self._ledger.admit(todo, box[0], first)
        else:
            new = self._ledger.admit(todo)
        self._store_backoff.reset()
        if len(new) == len(todo):
            return None
        return {u['update_id'] for u in todo} - new

    def _polled(self, confirmed: Optional[int]) -> None:
        """A poll is over; ``confirmed`` is its offset when the server answered it."""
        with self._lock:
            self._polling = False
            self._state.mark_confirmed(confirmed)

    def _room_flow(self, tracker: _inflight.InFlight) -> _flow.Flow:
        """Wait while the unfinished backlog is at its limit (or until stopping); how many
        updates to ask for next (0: stopping)."""
        paused = False
        while not self._stopping:
            room = tracker.room()
            if room > 0:
                if paused:
                    log.info('%s: backlog down to %d; fetching again', self._label,
                             len(tracker))
                return room
            if not paused:
                paused = True
                log.info('%s: %d updates not finished by the handlers (limit %d); not '
                         'fetching more until some are', self._label, len(tracker),
                         tracker.limit)
            yield self._wait_room(tracker)
        return 0

    def _finish_flow(self, deadline: Optional[float]) -> _flow.Flow:
        """The last step of a stop: wait (until ``deadline``) for the handlers to finish what
        was taken, then confirm to the server everything before the lowest update not
        finished, so a restart gets the unfinished ones again; by ``deadline`` plus
        :data:`CONFIRM_TIME` at the latest."""
        if self.error is not None:
            return
        tracker = _inflight.of(self._bot)
        now = time.monotonic()
        if deadline is not None and deadline > now:
            yield self._wait_empty(tracker, deadline - now)
        with self._lock:
            offset = self._state.next_offset()
        low = tracker.lowest()
        if offset is not None and low is not None and low < offset:
            log.warning('%s: %s not finished; confirming only the updates before %d, so '
                        'Telegram delivers the rest again after a restart', self._label,
                        tracker.describe(), low)
            offset = low
        with self._lock:
            confirmed = self._state.confirmed
            if offset is None or (confirmed is not None and offset <= confirmed):
                return
        now = time.monotonic()
        until = now + CONFIRM_TIME if deadline is None else max(deadline, now + CONFIRM_TIME)
        try:
            yield self._confirm_call(offset, until)
        except Exception as e:
            log.warning('%s: could not confirm updates before update %d (%s); they may be '
                        'delivered again after a restart', self._label, offset, e)
            return
        self._polled(offset)
        log.debug('%s: confirmed updates before %d', self._label, offset)


class _Poller(PollLoop, _Runner):
    """Long-polls getUpdates; hands each batch to user code in this thread, then asks for
    the next batch (which confirms the previous one)."""

    def _run(self) -> None:
        _flow.run(self._poll_flow())

    def _get_updates(self, offset: Optional[int], limit: Optional[int],
                     timeout: Optional[int], allowed: Optional[List[str]]) -> Any:
        # flood control is waited out by the loop (stop() can cut that short), not in
        # the transport
        box = self._answer
        box[0] = box[1] = None
        token = _raw_answer.set(box) if self._ledger is not None else None
        try:
            with _api_deadline(None, flood_wait=False):
                return self._bot.getUpdates(offset=offset, limit=limit, timeout=timeout,
                                            allowed_updates=allowed)
        finally:
            if token is not None:
                _raw_answer.reset(token)

    def _confirm_call(self, offset: int, until: float) -> Any:
        with _api_deadline(until, flood_wait=False):
            return self._bot.getUpdates(offset=offset, limit=1, timeout=0)

    def _pause(self, seconds: float) -> None:
        self._wakeup.wait(seconds)

    def _wait_room(self, tracker: _inflight.InFlight) -> None:
        tracker.wait_room(0.25)

    def _wait_empty(self, tracker: _inflight.InFlight, seconds: float) -> None:
        tracker.wait_empty(seconds)

    def finish_stop(self, deadline: Optional[float]) -> None:
        """The last step of a stop (see :meth:`PollLoop._finish_flow`). (From a callback, the
        loop does it when the callback returns.)"""
        if self._thread is threading.current_thread():
            return
        _flow.run(self._finish_flow(deadline))

    def _idle_fetch(self) -> bool:
        return self._polling

    def _interrupt(self, again: bool = False) -> None:
        # A long poll is pending: a newer getUpdates makes Telegram answer the pending one at
        # once (409 "terminated by other getUpdates request"). It carries the same offset as the
        # pending request, so it confirms exactly what has been handed on. If it overtook the
        # long poll on its way to the server, the long poll still waits: stop() asks again.
        with self._lock:
            if not self._polling:
                return
            offset = self._state.next_offset()
        self._bot.getUpdates(offset=offset, limit=1, timeout=0)
        with self._lock:
            self._state.mark_confirmed(offset)


def _ascending(batch: List[Any]) -> bool:
    prev = None
    for u in batch:
        uid = u.get('update_id') if isinstance(u, dict) else None
        if type(uid) is not int:
            return False
        if prev is not None and uid <= prev:
            return False
        prev = uid
    return True


def _uid_or_minus_one(u: Any) -> int:
    uid = u.get('update_id') if isinstance(u, dict) else None
    return uid if type(uid) is int else -1


class _QueueRunner(_Runner):
    """Takes updates from a queue (str / bytes / dict), orders or de-duplicates them, hands
    them to user code in this thread. On stop, what is already queued is still handled."""

    kind = 'queue'

    def __init__(self, bot: Any, deliver: Emit, source: 'queue.Queue[Any]', *,
                 ordered: bool = True, maxhold: float = 3,
                 clock: Callable[[], float] = time.monotonic, kind: str = 'queue') -> None:
        self.kind = kind
        super().__init__(bot, deliver)
        self._source = source
        self._orderer = Orderer(ordered, maxhold, clock=clock)
        self._sentinel = object()
        self._accept_lock = threading.Lock()
        self._closed = False

    def start(self) -> '_Runner':
        _consumers[self._source] = self
        return super().start()

    def accept(self, update: Any, block: bool = True) -> None:
        """Queue an update for this loop, or raise RuntimeError if the loop no longer takes
        any (stopped, or its thread is not running in this process, e.g. after a fork).

        With a store, the update is journaled first (a StoreWriteError when it cannot be, so
        the webhook answers an error and Telegram sends it again) and one journaled before
        is dropped; ValueError for data that is not an Update."""
        self._check_accepting()
        if self._ledger is not None:
            # journaled outside the lock, so concurrent requests share a commit; if the loop
            # stops meanwhile, the update stays pending in the journal and the next loop
            # start hands it on (a retry of it is dropped as journaled before)
            msg = update if update.__class__ is UpdateMsg else _unwrap(_decode(update))
            if not _admit(self._ledger, msg):
                return
            update = msg
        with self._accept_lock:
            self._check_accepting()
            self._source.put(update, block)

    def _check_accepting(self) -> None:
        t = self._thread
        if self._closed or self._done.is_set() or (
                t is not None and t.ident is not None and not t.is_alive()):
            raise RuntimeError('%s is not running in process %d; update not accepted'
                               % (self._label, os.getpid()))

    def _run(self) -> None:
        q = self._source
        orderer = self._orderer
        deliver = self._deliver
        get = q.get
        _flow.run(self._redeliver_flow())
        while True:
            try:
                item = get(True, orderer.next_timeout())
            except queue.Empty:
                orderer.expire(deliver)
                continue
            if item.__class__ is UpdateMsg:         # admitted already (Webhook.feed)
                orderer.push(cast(int, item.update_id), item, deliver)
            elif self._take(item):
                break
            orderer.expire(deliver)
            if self._stopping and q.empty():
                break
        with self._accept_lock:
            self._closed = True        # from now on accept() refuses: nothing can slip in
        while True:                    # handle what was accepted before that
            try:
                item = q.get_nowait()
            except queue.Empty:
                break
            self._take(item)
        orderer.flush(deliver)

    def _take(self, item: Any) -> bool:
        """Admit one queue item into the orderer; True if it is this runner's stop token."""
        if item.__class__ is _StopToken:
            return item.sentinel is self._sentinel   # else: left by an earlier loop
        admit(item, self._orderer, self._deliver, self._label, self._ledger)
        return False

    def _interrupt(self, again: bool = False) -> None:
        if again:
            return      # the token is queued; the loop is busy with what comes before it
        try:
            self._source.put(_StopToken(self._sentinel), timeout=1.0)
        except queue.Full:
            pass    # the loop is busy draining the full queue and ends when it is empty


class _StopToken:
    """Wakes a queue runner; only the runner that owns ``sentinel`` obeys it."""
    __slots__ = ('sentinel',)

    def __init__(self, sentinel: object) -> None:
        self.sentinel = sentinel


# ============================================================================================
# The public compositions


class _Front:
    """What MessageLoop and the webhook classes share: the runner they started."""

    _runner: Optional[_Runner] = None

    def _ensure_idle(self) -> None:
        r = self._runner
        if r is not None and r.started and not r.join(0):
            raise RuntimeError('%s is already running' % r.name)

    def stop(self, timeout: Optional[float] = None) -> None:
        """Clean stop (see the module's documentation); ``bot.stop()`` does it too."""
        if self._runner is not None:
            self._runner.stop(timeout)

    @property
    def running(self) -> bool:
        """Whether the loop's thread is alive in this process and not stopping."""
        return self._runner is not None and self._runner.running

    @property
    def error(self) -> Optional[BaseException]:
        """The exception that ended the loop on its own (e.g. UnauthorizedError), or None."""
        return self._runner.error if self._runner is not None else None


class MessageLoop(_Front):
    """telepot 12's long-polling loop: ``MessageLoop(bot, handle).run_as_thread()``.

    ``handle`` is a function taking one message, a ``{flavor: function}`` routing dict, or
    None for ``bot.handle``.
    """

    def __init__(self, bot: Any, handle: Any = None) -> None:
        self._bot = bot
        _resolve_callback(bot, handle)          # a wrong kind of handle fails here
        self._handle = handle
        self._runner: Optional[_Poller] = None

    def run_as_thread(self, relax: float = 0.1, offset: Optional[int] = None,
                      timeout: int = 20, allowed_updates: Optional[Iterable[str]] = None,
                      *, limit: Optional[int] = None, backoff: Optional[Backoff] = None) -> None:
        """Start polling ``getUpdates`` in a thread and return.

        :param relax: seconds to wait after a poll that returned nothing (a batch is followed
            at once by the next poll, which confirms it).
        :param offset: first ``offset`` for getUpdates (default: whatever is pending).
        :param timeout: long-poll ``timeout`` for getUpdates, in seconds.
        :param allowed_updates: update types to receive (None: the server's setting).
        :param limit: most updates per getUpdates (1-100; None: Telegram's default, 100).
        :param backoff: failure backoff policy (default :class:`Backoff()`).
        """
        self._make(relax, offset, timeout, allowed_updates, limit, backoff).start()

    def _make(self, relax: float, offset: Optional[int], timeout: int,
              allowed_updates: Optional[Iterable[str]], limit: Optional[int],
              backoff: Optional[Backoff]) -> _Poller:
        self._ensure_idle()
        deliver = _make_deliver(self._bot, self._handle,
                                'telepot_ng-poll-%s' % _bot_label(self._bot), events=True)
        self._runner = _Poller(self._bot, deliver, relax=relax, timeout=timeout, offset=offset,
                               allowed_updates=allowed_updates, limit=limit, backoff=backoff)
        return self._runner

    def run_forever(self, relax: float = 0.1, offset: Optional[int] = None, timeout: int = 20,
                    allowed_updates: Optional[Iterable[str]] = None, *,
                    limit: Optional[int] = None, backoff: Optional[Backoff] = None) -> None:
        """Like :meth:`run_as_thread`, then block until the loop is stopped (returns), a fatal
        error ends it (raised, e.g. UnauthorizedError), or Ctrl-C (clean stop, then
        KeyboardInterrupt propagates)."""
        self._make(relax, offset, timeout, allowed_updates, limit, backoff).run()


class Webhook(_Front):
    """telepot 12's webhook consumer: your web handler calls :meth:`feed` with each Update;
    a thread hands them to ``handle`` as they come (duplicates dropped)."""

    _ordered = False

    def __init__(self, bot: Any, handle: Any = None) -> None:
        self._bot = bot
        self._queue: 'queue.Queue[Any]' = queue.Queue()
        self._deliver = _make_deliver(bot, handle, 'telepot_ng-webhook-%s' % _bot_label(bot),
                                      events=True)
        self._runner: Optional[_QueueRunner] = None

    def feed(self, data: Any) -> None:
        """Queue one Update (a dict, or JSON as str / UTF-8 bytes).

        Raises ``ValueError`` for data that is not an Update and ``RuntimeError`` once the
        loop has stopped (or its thread is not running in this process, e.g. after a fork),
        so a web handler can answer an error status and Telegram sends the update again.
        Updates fed before :meth:`run_as_thread` wait in the queue.
        """
        msg = _unwrap(_decode(data))
        r = self._runner
        if r is None:
            ledger = getattr(self._bot, '_ledger', None)
            if ledger is not None and not _admit(ledger, msg):
                return
            self._queue.put(msg)
        else:
            r.accept(msg)

    def _make(self, maxhold: float) -> _QueueRunner:
        self._ensure_idle()
        self._runner = _QueueRunner(self._bot, self._deliver, self._queue,
                                    ordered=self._ordered, maxhold=maxhold, kind='webhook')
        return self._runner

    def run_as_thread(self) -> None:
        """Start handing fed updates to ``handle`` in a thread."""
        self._make(0).start()

    def run_forever(self) -> None:
        """Like :meth:`run_as_thread`, then block until stopped (see MessageLoop.run_forever)."""
        self._make(0).run()


class OrderedWebhook(Webhook):
    """Like :class:`Webhook`, but updates are handed on in ``update_id`` order: an early one
    waits at most ``maxhold`` seconds for the missing smaller ids; an id that arrives after
    a larger one was handed on is dropped (logged)."""

    _ordered = True

    def run_as_thread(self, maxhold: float = 3) -> None:  # type: ignore[override]
        """Start the ordering delivery thread; ``maxhold`` in seconds."""
        self._make(maxhold).start()

    def run_forever(self, maxhold: float = 3) -> None:  # type: ignore[override]
        """Like :meth:`run_as_thread`, then block until stopped."""
        self._make(maxhold).run()


def _loop_for(bot: Any, callback: Any, relax: float, timeout: int, source: Any, ordered: bool,
              maxhold: float, allowed_updates: Any, events: bool) -> _Runner:
    if source is not None and not isinstance(source, queue.Queue):
        raise ValueError('source must be None (getUpdates) or a queue.Queue, not %s'
                         % type(source).__name__)
    deliver = _make_deliver(bot, callback, 'telepot_ng-%s-%s' % (
        'poll' if source is None else 'queue', _bot_label(bot)), events)
    if source is None:
        return _Poller(bot, deliver, relax=relax, timeout=timeout,
                       allowed_updates=allowed_updates)
    return _QueueRunner(bot, deliver, source, ordered=ordered, maxhold=maxhold)


def _start(runner: _Runner, run_forever: Union[bool, str]) -> _Runner:
    if not run_forever:
        return runner.start()
    if isinstance(run_forever, str):
        print(run_forever)       # telepot 12's documented "listening" banner
    runner.run()
    return runner


def notify_on_message(bot: Any, callback: Any = None, relax: float = 0.1, timeout: int = 20,
                      source: Any = None, ordered: bool = True, maxhold: float = 3,
                      run_forever: Union[bool, str] = False,
                      allowed_updates: Optional[Iterable[str]] = None) -> Any:
    """telepot 6.3's ``bot.notifyOnMessage``: start a loop that applies ``callback`` (default
    ``bot.handle``) to every message.

    ``source=None`` long-polls getUpdates (``relax``, ``timeout``, ``allowed_updates`` apply);
    a ``queue.Queue`` source yields str / bytes / dict updates (``ordered``, ``maxhold``
    apply). With ``run_forever`` it blocks (see :meth:`MessageLoop.run_forever`); otherwise it
    returns the running loop, which ``bot.stop()`` stops.
    """
    return _start(_loop_for(bot, callback, relax, timeout, source, ordered, maxhold,
                            allowed_updates, events=False), run_forever)


def message_loop(bot: Any, callback: Any = None, relax: float = 0.1, timeout: int = 20,
                 allowed_updates: Optional[Iterable[str]] = None, source: Any = None,
                 ordered: bool = True, maxhold: float = 3,
                 run_forever: Union[bool, str] = False) -> Any:
    """telepot 12's ``bot.message_loop``: :func:`notify_on_message` with telepot 12's
    parameter order; ``callback`` may be a ``{flavor: function}`` routing dict, and a string
    ``run_forever`` is printed before blocking."""
    return _start(_loop_for(bot, callback, relax, timeout, source, ordered, maxhold,
                            allowed_updates, events=True), run_forever)


def at_shutdown(fn: Callable[[], Any]) -> None:
    """Run ``fn()`` when the main thread ends, before Python waits for non-daemon threads
    (so delegate threads can be stopped rather than waited for forever); plain atexit where
    that hook does not exist."""
    register = getattr(threading, '_register_atexit', None)
    try:
        if register is not None:
            register(fn)
            return
    except RuntimeError:            # already shutting down
        pass
    atexit.register(fn)


def _stop_all_at_exit() -> None:
    """At interpreter exit, stop the bots whose loops still run (the whole ``bot.stop()``:
    delegates finish what is queued, the offset is confirmed)."""
    for r in list(_running):
        if r._stopping:
            continue            # stopped already; whatever is still busy had its grace
        try:
            if hasattr(r._bot, '_register_stoppable'):
                r._bot.stop(DEFAULT_GRACE)
            else:
                r.stop(2.0)
        except Exception:
            log.debug('stopping %s at exit failed', r.name, exc_info=True)
    delegation = sys.modules.get(__package__ + '.delegation')
    if delegation is not None:
        delegation._stop_delegates_at_exit()


at_shutdown(_stop_all_at_exit)

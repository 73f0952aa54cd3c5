"""In-flight updates: which updates a bot has taken from Telegram and not finished handling.

One :class:`InFlight` per bot (``bot.inflight``) counts *references* to each ``update_id``:

* a source (a loop) **takes** an update when it hands it to user code and **releases** it when
  the callback returns;
* whoever keeps a copy for later -- a delegate's queue, a delegate waiting for a thread, the
  delegate thread that got it from ``listener.wait()`` -- **holds** it, and releases it when
  done: a delegate thread is done with a message when it asks for the next one
  (``listener.wait()``) or ends.

An update whose count falls to zero is *finished*: the functions given to :meth:`on_done` are
called with its id, in the thread that finished it (the place for a durable store's done-mark).
So at every moment the bot knows how many updates are unhandled (:func:`len`), which ones
(:meth:`ids`) and the lowest (:meth:`lowest`):

* the loops stop fetching (polling) or answer 503 (webhook) while ``len(inflight) >= limit``
  (**bounded backlog**, default :data:`DEFAULT_LIMIT`), so what Telegram considers delivered
  can be handled within a stop's grace;
* at stop, polling confirms an offset never past :meth:`lowest`: an update not finished when
  the grace ends is delivered again after a restart (redelivery over loss), and
  ``bot.stop()`` names the unfinished ones in the log.

No threads, no I/O; all methods are thread-safe.
"""
from __future__ import annotations

import contextvars
import threading
import time
from typing import Any, Callable, Dict, List, Optional

from . import _masking
from .flavors import UpdateMsg

__all__ = ['InFlight', 'DEFAULT_LIMIT', 'of', 'KeptEvent']

log = _masking.logger(__name__)

#: Unfinished updates at which the sources stop taking more (see :class:`InFlight`): what
#: handlers that answer each update get through in the default 10 s stop grace under
#: Telegram's ~30 messages/s.
DEFAULT_LIMIT = 300


class InFlight:
    """Reference counts of the update ids a bot is handling (see the module's documentation).

    :param limit: the bounded backlog: sources take no more updates while this many are
        unfinished. Keep it below what the handlers get through in a stop's grace (one
        answer per update under Telegram's 30 messages/s, 10 s grace: 300).
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._refs: Dict[int, int] = {}
        self._cond = threading.Condition(threading.Lock())
        self._waiters = 0
        self._done: List[Callable[[int], Any]] = []

    @property
    def limit(self) -> int:
        """Most unfinished updates before the sources pause (an int >= 1)."""
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError('limit must be an int >= 1, not %r' % (value,))
        self._limit = value

    def __len__(self) -> int:
        return len(self._refs)

    def __contains__(self, uid: object) -> bool:
        return uid in self._refs

    def __repr__(self) -> str:
        return '<InFlight %d unfinished, limit %d>' % (len(self._refs), self._limit)

    # -- counting ---------------------------------------------------------------------------
    def take(self, uid: int) -> None:
        """A source hands update ``uid`` on: one reference, released when the hand-on returns."""
        with self._cond:
            self._refs[uid] = self._refs.get(uid, 0) + 1

    def hold(self, uid: int) -> None:
        """One more reference to ``uid`` (a copy kept for later); ignored for an id no source
        took (a message built by hand, a scheduler event)."""
        with self._cond:
            n = self._refs.get(uid)
            if n is not None:
                self._refs[uid] = n + 1

    def release(self, uid: int) -> None:
        """Drop one reference; at zero the update is finished and :meth:`on_done` hooks run."""
        with self._cond:
            n = self._refs.get(uid)
            if n is None:
                return
            if n > 1:
                self._refs[uid] = n - 1
                return
            del self._refs[uid]
            if self._waiters:
                self._cond.notify_all()
            hooks = self._done
        for fn in hooks:
            try:
                fn(uid)
            except Exception:
                log.exception('on_done hook %r raised for update %d', fn, uid)

    def on_done(self, fn: Callable[[int], Any]) -> None:
        """Call ``fn(update_id)`` whenever an update is finished (in the finishing thread)."""
        with self._cond:
            self._done = self._done + [fn]

    # -- asking -----------------------------------------------------------------------------
    def lowest(self) -> Optional[int]:
        """The lowest unfinished update_id, or None when all are finished (kept scheduler
        events, counted under their str ids, are not update_ids)."""
        with self._cond:
            return min((k for k in self._refs if k.__class__ is int), default=None)

    def ids(self) -> List[Any]:
        """The unfinished update_ids, ascending (then the ids of kept scheduler events)."""
        with self._cond:
            return sorted(self._refs, key=lambda k: (k.__class__ is not int, k))

    def room(self) -> int:
        """How many more updates may be taken before the limit (0 when at or over it)."""
        return max(0, self._limit - len(self._refs))

    def wait_room(self, timeout: Optional[float]) -> bool:
        """Block until fewer than ``limit`` updates are unfinished; False on timeout."""
        return self._wait(lambda: len(self._refs) < self._limit, timeout)

    def wait_empty(self, timeout: Optional[float]) -> bool:
        """Block until every update is finished; False on timeout."""
        return self._wait(lambda: not self._refs, timeout)

    def _wait(self, ready: Callable[[], bool], timeout: Optional[float]) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._waiters += 1
            try:
                while not ready():
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                return True
            finally:
                self._waiters -= 1

    def describe(self, most: int = 20) -> str:
        """The unfinished ids for a log line: ``'3 update(s): 17, 18, 40'``."""
        ids = self.ids()
        shown = ', '.join(str(i) for i in ids[:most])
        more = ' and %d more' % (len(ids) - most) if len(ids) > most else ''
        return '%d update(s): %s%s' % (len(ids), shown, more)


_create_lock = threading.Lock()


def of(bot: Any) -> InFlight:
    """The :class:`InFlight` of ``bot`` (``bot.inflight``), created on first use for any
    object that has none."""
    tracker = getattr(bot, '_inflight', None)
    if tracker is None:
        with _create_lock:
            tracker = getattr(bot, '_inflight', None)
            if tracker is None:
                tracker = InFlight()
                try:
                    bot._inflight = tracker
                except AttributeError:
                    pass
    return tracker


# -- custody of a delegate thread -------------------------------------------------------------
# A message taken out of a listener's queue is held by the thread that took it until that
# thread asks for the next message or ends. (Only UpdateMsg objects carry an update_id.)

# per thread, and per task in telepot_ng.aio (each delegate task starts with its own)
_kept: 'contextvars.ContextVar[Optional[List[Any]]]' = contextvars.ContextVar(
    'telepot_ng_kept', default=None)


class KeptEvent(dict):
    """A scheduler event kept in a bot's store, as emitted: a dict (the event's data) that
    carries its store id, so it is counted here like an update (under that str id) and
    forgotten by the store only once user code has finished with it."""
    __slots__ = ('event_id',)

    event_id: str


def uid_of(msg: Any) -> Any:
    """The id a counted message carries: an update's update_id (a message handed on by a
    loop), a kept scheduler event's str id; else None."""
    if msg.__class__ is UpdateMsg:
        return getattr(msg, 'update_id', None)
    if msg.__class__ is KeptEvent:
        return msg.event_id
    return None


def hold_msg(tracker: InFlight, msg: Any) -> None:
    """``tracker.hold`` for a message (nothing for one without an update_id)."""
    uid = uid_of(msg)
    if uid is not None:
        tracker.hold(uid)


def release_msg(tracker: InFlight, msg: Any) -> None:
    """``tracker.release`` for a message (nothing for one without an update_id)."""
    uid = uid_of(msg)
    if uid is not None:
        tracker.release(uid)


def keep(tracker: InFlight, msg: Any) -> None:
    """This thread now holds ``msg`` (its reference moved here from a queue)."""
    uid = uid_of(msg)
    if uid is not None:
        kept = _kept.get()
        if kept is None:
            kept = []
            _kept.set(kept)
        kept.append((tracker, uid))


def finish_kept() -> None:
    """This thread is done with the messages it holds: release them."""
    kept = _kept.get()
    if kept:
        _kept.set([])
        for tracker, uid in kept:
            tracker.release(uid)


def new_custody() -> None:
    """What this task holds starts empty (a task inherits its creator's context)."""
    _kept.set(None)

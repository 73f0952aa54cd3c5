"""A timer thread that emits events at given times (``bot.scheduler``, telepot 12)."""
from __future__ import annotations

import heapq
import itertools
import threading
import time
from typing import Any, Callable, List, Mapping, Optional

from . import _masking
from .exception import EventNotFound
from .inflight import KeptEvent

__all__ = ['Scheduler', 'Event']

log = _masking.logger(__name__)

_PENDING, _FIRED, _CANCELLED = 0, 1, 2


class Event:
    """A scheduled event: ``timestamp`` (time.time() based) and ``data``."""
    __slots__ = ('timestamp', 'data', '_due', '_seq', '_state', '_tid')

    def __init__(self, timestamp: float, data: Any, due: float, seq: int,
                 tid: Optional[str] = None) -> None:
        self.timestamp = timestamp
        self.data = data
        self._due = due          # time.monotonic() deadline
        self._seq = seq
        self._state = _PENDING
        self._tid = tid          # its id in the bot's store, when kept there

    def __lt__(self, other: 'Event') -> bool:
        return (self._due, self._seq) < (other._due, other._seq)

    def __repr__(self) -> str:
        return '<Event at %.3f %r>' % (self.timestamp, self.data)


class Scheduler:
    """Emits each event's data to a handler (the bot's ``handle`` by default) when due.

    A real timer: the thread sleeps until the earliest event is due (or a new earlier one
    arrives), never polling.  It starts with the first event and stops with ``bot.stop()``.
    If an event's data is callable, it is called when due and its result (unless None) is
    emitted instead.

    With a ``keeper`` (the ledger of a bot with a store), events whose data is a JSON dict
    are also kept in the store as absolute times: they survive a restart (see
    :mod:`telepot_ng.store`) and are forgotten once cancelled, or once the user code they
    were emitted to has finished with them (they reach it as a
    :class:`~telepot_ng.inflight.KeptEvent`, a dict).
    """

    def __init__(self, handler: Callable[[Any], Any], name: str = 'telepot_ng-scheduler',
                 keeper: Any = None) -> None:
        self._handler = handler
        self._keeper = keeper
        self._tids: dict = {}         # id -> Event, of the kept events pending here
        self._name = name
        self._heap: List[Event] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._thread: Optional[threading.Thread] = None
        self._stopped = False
        self._cancelled = 0

    def on_event(self, fn: Callable[[Any], Any]) -> None:
        """Set the function that receives event data."""
        self._handler = fn

    def _insert(self, when: float, data: Any, tid: Optional[str] = None) -> Event:
        if not callable(data) and not isinstance(data, Mapping):
            raise TypeError('an event is a dict such as {"_alarm": {...}} (or a function '
                            'returning one), got %s; a handler\'s self.scheduler takes '
                            '(flavor, data) tuples' % type(data).__name__)
        if self._stopped:
            raise RuntimeError('the scheduler has been stopped')
        if tid is None and self._keeper is not None and not callable(data):
            tid = self._keeper.keep_timer(when, data)
        due = time.monotonic() + (when - time.time())
        with self._cond:
            if self._stopped:
                raise RuntimeError('the scheduler has been stopped')
            if tid is not None and tid in self._tids:
                return self._tids[tid]      # restored from the store meanwhile: once is enough
            ev = Event(when, data, due, next(self._seq), tid)
            if tid is not None:
                self._tids[tid] = ev
            heapq.heappush(self._heap, ev)
            if self._heap[0] is ev:
                self._cond.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        return ev

    def event_at(self, when: float, data: Any) -> Event:
        """Emit ``data`` at the absolute time ``when`` (a time.time() timestamp)."""
        return self._insert(when, data)

    def event_later(self, delay: float, data: Any) -> Event:
        """Emit ``data`` after ``delay`` seconds."""
        return self._insert(time.time() + delay, data)

    def event_now(self, data: Any) -> Event:
        """Emit ``data`` as soon as possible."""
        return self._insert(time.time(), data)

    def cancel(self, event: Event) -> None:
        """Cancel a pending event; EventNotFound if it already fired or was cancelled."""
        with self._cond:
            if not isinstance(event, Event) or event._state != _PENDING:
                raise EventNotFound(event)
            event._state = _CANCELLED
            self._cancelled += 1
            if self._cancelled > 64 and self._cancelled > len(self._heap) // 2:
                self._heap = [e for e in self._heap if e._state == _PENDING]
                heapq.heapify(self._heap)
                self._cancelled = 0
        if event._tid is not None:
            # forgotten in the store first, then here: whoever restores the store's events
            # (a cluster worker's PartitionTimers) must not find it gone here and still there
            if self._keeper is not None:
                self._keeper.drop_timer(event._tid)
            with self._cond:
                self._tids.pop(event._tid, None)

    def kept_ids(self) -> set:
        """Ids of the store-kept events pending here."""
        with self._cond:
            return set(self._tids)

    @property
    def pending(self) -> int:
        """Number of events waiting to fire."""
        with self._cond:
            return sum(1 for e in self._heap if e._state == _PENDING)

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    while self._heap and self._heap[0]._state == _CANCELLED:
                        heapq.heappop(self._heap)
                        self._cancelled -= 1
                    if not self._heap:
                        self._cond.wait()
                        continue
                    wait = self._heap[0]._due - time.monotonic()
                    if wait <= 0:
                        ev = heapq.heappop(self._heap)
                        ev._state = _FIRED
                        break
                    self._cond.wait(wait)
            self._emit(ev)

    def _emit(self, ev: Event) -> None:
        tid = ev._tid
        if tid is not None and self._keeper is not None and not self._keeper.may_fire(tid):
            with self._cond:            # another process fires it (a cluster's partition owner)
                self._tids.pop(tid, None)
            return
        # A kept event is counted in the bot's InFlight like an update, under its id: the
        # store forgets it only once user code has finished with it (see telepot_ng.store)
        tracker = getattr(self._keeper, 'inflight', None) if tid is not None else None
        taken = False
        try:
            data = ev.data() if callable(ev.data) else ev.data
            if data is not None:
                if tracker is not None:
                    data = KeptEvent(data)
                    data.event_id = tid
                    tracker.take(tid)
                    taken = True
                self._handler(data)
        except Exception:
            log.exception('handling scheduled event %r failed', ev)
        finally:
            if tid is not None:
                with self._cond:
                    self._tids.pop(tid, None)
                if taken:
                    tracker.release(tid)      # finished here, or held by a delegate
                elif self._keeper is not None:
                    self._keeper.drop_timer(tid)    # nothing was handed on: forget it now

    def stop(self, timeout: Optional[float] = None) -> None:
        """Stop the timer thread; pending events are dropped."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
            t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)

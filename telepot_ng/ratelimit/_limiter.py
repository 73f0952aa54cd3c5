"""RateLimiter: the blocking driver of LimiterCore, used by the Transport (one per Bot)."""
from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from typing import Any, Callable, Dict, Iterator, Mapping, Optional

from .. import _masking
from ..exception import TelepotException
from ._buckets import BucketStore
from ._core import BULK, CANCELLED, GRANTED, INTERACTIVE, LimiterCore, Ticket, tickets_notify
from ._limits import RateLimits, _check
from ._methods import Scope, scope_of

__all__ = ['RateLimiter', 'RateLimitError', 'RateLimitTimeout', 'RateLimiterClosed']

log = _masking.logger(__name__)

_DEBUG_EVERY = 10.0     # seconds between DEBUG summaries while calls are waiting


class RateLimitError(TelepotException):
    """A call was not sent because of the rate limiter (nothing reached Telegram)."""

    def __init__(self, message: str, method: Optional[str] = None,
                 scope: Optional[Scope] = None) -> None:
        super().__init__(message)
        self.method = method
        self.scope = scope


class RateLimitTimeout(RateLimitError):
    """The call would have had to wait longer than its ``max_wait``."""


class RateLimiterClosed(RateLimitError):
    """The bot stopped (the transport was closed) while the call waited for its turn."""


class _Options:
    """One limiter's call options in a context (a thread, or an asyncio task)."""
    __slots__ = ('bulk', 'max_wait', 'ticket')

    def __init__(self, bulk: bool = False, max_wait: Optional[float] = None,
                 ticket: Optional[Ticket] = None) -> None:
        self.bulk, self.max_wait, self.ticket = bulk, max_wait, ticket

    def but(self, **changes: Any) -> '_Options':
        return _Options(**dict({'bulk': self.bulk, 'max_wait': self.max_wait,
                                'ticket': self.ticket}, **changes))


_NO_OPTIONS = _Options()
#: {id(limiter): _Options} of the current context: a ``pacing`` block applies to the calls of
#: its thread and, in asyncio, of its task (and the tasks it creates), never to another's.
_options: 'contextvars.ContextVar[Mapping[int, _Options]]' = contextvars.ContextVar(
    'telepot_ng_pacing', default={})


def _check_max_wait(max_wait: Optional[float]) -> None:
    if max_wait is not None and (isinstance(max_wait, bool)
                                 or not isinstance(max_wait, (int, float)) or max_wait < 0):
        raise ValueError('max_wait must be a number of seconds >= 0, got %r' % (max_wait,))


class RateLimiter:
    """Paces the calls that count against Telegram's limits (see ``COUNTED_METHODS``).

    ``acquire`` blocks the calling thread until the call may go; ``done`` reports the
    answer (and a 429's ``retry_after``). Waiting happens outside the lock; a thread named
    ``telepot_ng-ratelimit`` hands out tokens whose time has come, and exits when nothing
    waits. ``close`` fails the waiting calls with RateLimiterClosed; the limiter stays
    usable afterwards.

    :param limits: the policy (default ``RateLimits()``).
    :param store: where the token buckets live (default: in memory, this process only).
    :param clock: monotonic seconds; injectable for tests.
    """

    def __init__(self, limits: Optional[RateLimits] = None, *,
                 store: Optional[BucketStore] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = _check(limits if limits is not None else RateLimits())
        self._core = LimiterCore(self.limits, store)
        self._own_store = store is None         # share_store() may replace it
        self._clock = clock
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._thread: Optional[threading.Thread] = None
        self._due: Optional[float] = None       # when the dispatcher will poll next
        self._generation = 0                    # close() ends the dispatcher of its generation
        self._closing_at: Optional[float] = None    # set by closing(): waits end by then
        self._sleepers: set = set()                  # events of the threads waiting in _await
        self._next_debug = 0.0

    def clock(self) -> float:
        """The limiter's time (deadlines given to ``acquire`` are on it)."""
        return self._clock()

    def __repr__(self) -> str:
        return '<RateLimiter waiting=%d in_flight=%d>' % (self._core.waiting,
                                                           self._core.in_flight)

    def share_store(self, store: BucketStore) -> bool:
        """Keep the token counts in ``store`` from now on (e.g. Redis, shared by a cluster's
        workers) unless this limiter was given a store of its own or has already paced calls.
        True if it did."""
        if not isinstance(store, BucketStore):
            raise ValueError('store must be a BucketStore, got %s' % type(store).__name__)
        with self._lock:
            core = self._core
            if not self._own_store or core.chats or core.in_flight or core.waiting:
                return False
            core.store = store
            self._own_store = False
            return True

    # -- per-context options (a thread's, or an asyncio task's)

    def options(self) -> _Options:
        """The options of this context's calls: ``bulk``, ``max_wait``, ``ticket``."""
        return _options.get().get(id(self), _NO_OPTIONS)

    def _set_options(self, options: _Options) -> 'contextvars.Token[Mapping[int, _Options]]':
        return _options.set({**_options.get(), id(self): options})

    @contextlib.contextmanager
    def pacing(self, bulk: Optional[bool] = None,
               max_wait: Optional[float] = None) -> Iterator[None]:
        """Within the block, the counted calls of this thread (in asyncio: this task, and
        the tasks it creates) go in the bulk lane (``bulk=True``: after every interactive
        call) and/or raise RateLimitTimeout rather than wait more than ``max_wait`` seconds
        for their turn."""
        _check_max_wait(max_wait)
        opts = self.options()
        token = self._set_options(opts.but(
            bulk=opts.bulk if bulk is None else bool(bulk),
            max_wait=opts.max_wait if max_wait is None else float(max_wait)))
        try:
            yield
        finally:
            _options.reset(token)

    @contextlib.contextmanager
    def reserved(self, ticket: Ticket) -> Iterator[None]:
        """The next counted call of this thread with ``ticket``'s scope uses ``ticket``
        (submitted earlier with ``submit``) instead of queueing anew."""
        token = self._set_options(self.options().but(ticket=ticket))
        try:
            yield
        finally:
            unused = self.options().ticket
            _options.reset(token)
            if unused is ticket:
                self._give_back(ticket)     # no call used it: its turn goes to the next

    def _give_back(self, ticket: Ticket) -> None:
        with self._lock:
            now = self._clock()
            if ticket.state == GRANTED:
                self._core.done(ticket, now)
            else:
                self._core.cancel(ticket, now, 'unused')
            self._poll_locked()

    # -- the transport's calls

    def scope(self, method: str, params: Mapping[str, Any]) -> Optional[Scope]:
        """Where a call counts (None: it is not paced)."""
        return scope_of(method, params)

    def submit(self, scope: Scope, *, bulk: bool = False,
               notify: Optional[Callable[[Ticket], Any]] = None, data: Any = None) -> Ticket:
        """Queue a ticket without waiting; ``notify(ticket)`` is called (under the lock, so
        quickly) when it is granted or cancelled. For callers that wait their own way."""
        ticket = Ticket(scope, BULK if bulk else INTERACTIVE, notify, data)
        with self._lock:
            self._core.submit(ticket, self._clock())
            self._poll_locked()
        return ticket

    def acquire(self, scope: Scope, deadline: Optional[float] = None,
                method: Optional[str] = None) -> Ticket:
        """Wait until a call in ``scope`` may go and return its ticket (give it back with
        ``done``). ``deadline`` is a time on the limiter's clock; by default the thread's
        ``pacing(max_wait=...)`` applies."""
        ctx = self.options()
        reserved = ctx.ticket
        if reserved is not None:
            self._set_options(ctx.but(ticket=None))    # undone when reserved() ends
            if reserved.scope != scope:
                self._give_back(reserved)
                reserved = None
        if reserved is not None:
            ticket = reserved
        else:
            ticket = Ticket(scope, BULK if ctx.bulk else INTERACTIVE)
            if deadline is None and ctx.max_wait is not None:
                deadline = self._clock() + ctx.max_wait
            with self._lock:
                self._core.submit(ticket, self._clock())
                self._poll_locked()
        return self._await(ticket, deadline, method)

    def retry(self, ticket: Ticket, retry_after: float, deadline: Optional[float] = None,
              method: Optional[str] = None) -> Ticket:
        """The call of ``ticket`` got a 429: hold its scope for ``retry_after`` seconds and
        wait for the turn of the retry, ahead of the chat's later calls."""
        return self._await(self.resubmit(ticket, retry_after, ticket.notify), deadline, method)

    def resubmit(self, ticket: Ticket, retry_after: float,
                 notify: Optional[Callable[[Ticket], Any]] = None) -> Ticket:
        """:meth:`retry` for callers that wait their own way (telepot_ng.aio): hold the scope
        for ``retry_after`` seconds and queue the retry ahead of the chat's later calls;
        ``notify(ticket)`` is called when it is granted or cancelled."""
        with self._lock:
            now = self._clock()
            self._core.done(ticket, now, retry_after)
            ticket.notify = notify
            self._core.submit(ticket, now, front=True)
            self._poll_locked()
        return ticket

    def done(self, ticket: Ticket, retry_after: Optional[float] = None) -> None:
        """The call of ``ticket`` was answered (or failed); ``retry_after``: it was a 429 and
        will not be retried."""
        with self._lock:
            self._core.done(ticket, self._clock(), retry_after)
            if self._core.waiting:
                self._poll_locked()

    def _await(self, ticket: Ticket, deadline: Optional[float], method: Optional[str]) -> Ticket:
        if ticket.state == GRANTED:
            return ticket
        event = threading.Event()
        with self._lock:
            if ticket.state == GRANTED:
                return ticket
            if ticket.state != CANCELLED:
                ticket.notify = lambda t: event.set()
                self._sleepers.add(event)
        try:
            while ticket.state not in (GRANTED, CANCELLED):
                closing = self._closing_at
                until, reason = deadline, 'timeout'
                if closing is not None and (until is None or closing <= until):
                    until, reason = closing, 'closed'
                timeout = None if until is None else until - self._clock()
                if timeout is not None and timeout <= 0:
                    with self._lock:
                        if self._core.cancel(ticket, self._clock(), reason):
                            self._poll_locked()
                    break
                event.wait(timeout)
                event.clear()
        finally:
            with self._lock:
                self._sleepers.discard(event)
        if ticket.state == GRANTED:
            return ticket
        what = method or 'call'
        if ticket.reason == 'timeout':
            raise RateLimitTimeout('%s: not sent, its turn under the rate limits did not come '
                                   'within max_wait' % what, method, ticket.scope)
        raise RateLimiterClosed('%s: not sent, the bot stopped while it waited for its turn '
                                'under the rate limits' % what, method, ticket.scope)

    # -- the dispatcher

    def _poll_locked(self) -> None:
        """Grant what may go now; make sure the dispatcher wakes for the rest."""
        now = self._clock()
        granted, due = self._core.poll(now)
        tickets_notify(granted)
        if due is None:
            return
        if self._thread is None:
            self._due = due
            self._thread = threading.Thread(target=self._run, args=(self._generation,),
                                            name='telepot_ng-ratelimit', daemon=True)
            self._thread.start()
        elif self._due is None or due < self._due:
            self._due = due
            self._cond.notify()
        if log.isEnabledFor(10) and now >= self._next_debug:
            self._next_debug = now + _DEBUG_EVERY
            snap = self._core.snapshot(now, top=3)
            log.debug('rate limiter: %d waiting (%s), %d in flight; pools %s; busiest %s',
                      snap['waiting'], snap['lanes'], snap['in_flight'], snap['pools'],
                      snap['busiest'])

    def _run(self, generation: int) -> None:
        with self._cond:
            try:
                while self._generation == generation:
                    now = self._clock()
                    granted, due = self._core.poll(now)
                    tickets_notify(granted)
                    self._due = due
                    if due is None:
                        if not self._core.waiting:
                            break           # nothing waits on time: a new call restarts us
                        self._cond.wait()
                    else:
                        self._cond.wait(max(0.0, due - now))
            finally:
                if self._thread is threading.current_thread():
                    self._thread = None
                    self._due = None

    # -- introspection and closing

    def stats(self, chat_id: Any = None) -> Dict[str, Any]:
        """Waiting calls (per lane, per kind of chat), calls in flight, waits, 429s and
        holds per allowance and for the busiest chats; with ``chat_id``, that chat's."""
        from ._methods import chat_key
        with self._lock:
            now = self._clock()
            if chat_id is not None:
                return self._core.chat_snapshot(chat_key(chat_id), now)
            return self._core.snapshot(now)

    def closing(self, deadline: Optional[float]) -> None:
        """The bot is stopping: calls still waiting at ``deadline`` (on the limiter's clock)
        raise RateLimiterClosed then, and so do new calls that would wait past it, until
        ``close`` (which fails the rest at once and lifts the deadline)."""
        with self._lock:
            self._closing_at = deadline
            for event in self._sleepers:
                event.set()

    def close(self, timeout: Optional[float] = 5.0) -> None:
        """Fail every waiting call with RateLimiterClosed and stop the dispatcher thread
        (bounded by ``timeout``). Calls in flight are not affected; new calls may follow."""
        with self._lock:
            self._closing_at = None
            cancelled = self._core.cancel_all(self._clock(), 'closed')
            tickets_notify(cancelled)
            thread, self._thread, self._due = self._thread, None, None
            self._generation += 1
            self._cond.notify_all()
        if cancelled:
            log.info('rate limiter closed: %d waiting calls fail with RateLimiterClosed',
                     len(cancelled))
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

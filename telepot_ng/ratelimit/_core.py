"""The limiter's bookkeeping, without threads or clocks: who may go now, who waits, how long.

``LimiterCore`` is a state machine driven by its caller: ``submit`` a ticket, ``poll(now)``
for the tickets that may go now and the time to poll again, ``done`` when the request is
answered (with the 429's ``retry_after`` if there was one), ``cancel`` a ticket whose caller
gave up. The blocking driver (``RateLimiter``) and an asyncio driver share it unchanged.

Scheduling: every chat has a FIFO of tickets and at most one request in flight (so calls to a
chat reach Telegram in the order they were made). A chat whose head ticket could take a token
now sits in a ready heap of its allowance (global or paid) and lane, ordered by the age of
that head ticket; a chat waiting for its own bucket (or a 429's hold) sits in a timer heap
until then. ``poll`` hands out tokens of the allowance to the oldest ready chat of the
interactive lane first, then of the bulk lane: a broadcast never delays a reply, and a chat
that must wait never blocks the others.
"""
from __future__ import annotations

import collections
import heapq
from .. import _masking
from typing import Any, Callable, Deque, Dict, Iterable, List, Optional, Tuple

from ._buckets import BucketStore, MemoryBuckets
from ._limits import RateLimits, _check
from ._methods import Scope

__all__ = ['LimiterCore', 'Ticket', 'INTERACTIVE', 'BULK', 'WAITING', 'GRANTED', 'DONE',
           'CANCELLED']

log = _masking.logger(__name__)

INTERACTIVE, BULK = 0, 1
LANES = ('interactive', 'bulk')
WAITING, GRANTED, DONE, CANCELLED = 'waiting', 'granted', 'done', 'cancelled'

_NO_CHAT = ('none', None)       # calls without a known chat: FIFO, no per-chat bucket
_EVICT_EVERY = 30.0             # seconds between sweeps of idle chats and full buckets


class Ticket:
    """One call's place in the limiter. ``notify(ticket)`` (if set) is called, under the
    driver's lock, when the ticket is granted or cancelled; it must not block."""

    __slots__ = ('seq', 'scope', 'lane', 'state', 'notify', 'submitted', 'granted_at',
                 'reason', 'data')

    def __init__(self, scope: Scope, lane: int = INTERACTIVE,
                 notify: Optional[Callable[['Ticket'], Any]] = None, data: Any = None) -> None:
        self.seq = 0
        self.scope = scope
        self.lane = lane
        self.state = WAITING
        self.notify = notify
        self.submitted = 0.0
        self.granted_at = 0.0
        self.reason: Optional[str] = None
        self.data = data

    def __repr__(self) -> str:
        return '<Ticket #%d %s/%s %s %s>' % (self.seq, self.scope.chat, self.scope.pool,
                                             LANES[self.lane], self.state)


class _Stats:
    __slots__ = ('sent', 'waited', 'total_wait', 'max_wait', 'floods')

    def __init__(self) -> None:
        self.sent = self.waited = self.floods = 0
        self.total_wait = self.max_wait = 0.0

    def add(self, wait: float) -> None:
        self.sent += 1
        if wait > 0:
            self.waited += 1
            self.total_wait += wait
            if wait > self.max_wait:
                self.max_wait = wait

    def as_dict(self) -> Dict[str, Any]:
        return {'sent': self.sent, 'waited': self.waited, 'floods': self.floods,
                'mean_wait': self.total_wait / self.sent if self.sent else 0.0,
                'max_wait': self.max_wait}


class _Adaptive:
    """A scope's pace after 429s: a factor on its rates, cut by ``backoff`` on each 429 and
    climbing back linearly (to 1 over ``recovery`` seconds) once the hold is over."""

    __slots__ = ('cut', 'since')

    def __init__(self) -> None:
        self.cut: Optional[float] = None        # the reduced factor, None when at full pace
        self.since = 0.0                        # when the climb back starts

    def factor(self, now: float, recovery: float) -> float:
        cut = self.cut
        if cut is None:
            return 1.0
        if now <= self.since:
            return cut
        f = 1.0 if recovery <= 0 else cut + (now - self.since) / recovery
        if f >= 1.0:
            self.cut = None
            return 1.0
        return f

    def flooded(self, now: float, until: float, limits: RateLimits) -> None:
        current = self.factor(now, limits.recovery)
        self.cut = max(limits.min_rate, current * limits.backoff)
        self.since = max(self.since, until)


class _Chat:
    __slots__ = ('key', 'kind', 'buckets', 'queue', 'busy', 'interactive', 'version',
                 'adaptive', 'stats')

    def __init__(self, key: Tuple[str, Any], limits: RateLimits) -> None:
        self.key = key
        self.kind = key[0]
        self.queue: Deque[Ticket] = collections.deque()
        self.busy: Optional[Ticket] = None
        self.interactive = 0
        self.version = 0
        self.adaptive = _Adaptive()
        self.stats = _Stats()
        # (bucket key, nominal rate, burst): every chat has its own; a group one more
        if key == _NO_CHAT:
            self.buckets: Tuple[Tuple[Any, float, float], ...] = ()
        else:
            chat = (('chat', key[1]),) + limits.rate_burst('chat')
            self.buckets = (chat, (('group', key[1]),) + limits.rate_burst('group')) \
                if key[0] == 'group' else (chat,)

    def idle(self) -> bool:
        return not self.queue and self.busy is None and self.adaptive.cut is None


class _Pool:
    __slots__ = ('name', 'key', 'rate', 'burst', 'adaptive', 'ready', 'due', 'floods', 'stats')

    def __init__(self, name: str, limits: RateLimits) -> None:
        self.name = name
        self.key = (name,)
        self.rate, self.burst = limits.rate_burst(name)
        self.adaptive = _Adaptive()
        self.ready: Tuple[list, list] = ([], [])      # per lane: (head seq, version, chat)
        self.due = 0.0                                # no token before this
        self.floods: Deque[Tuple[float, Any]] = collections.deque()
        self.stats = _Stats()


class LimiterCore:
    """Sans-I/O limiter state. Not thread-safe: the driver serialises calls."""

    def __init__(self, limits: RateLimits, store: Optional[BucketStore] = None) -> None:
        self.limits = _check(limits)
        if store is not None and not isinstance(store, BucketStore):
            raise ValueError('store must be a BucketStore, got %s' % type(store).__name__)
        self.store = store if store is not None else MemoryBuckets()
        self.pools = {name: _Pool(name, limits) for name in ('global', 'paid')}
        self.chats: Dict[Any, _Chat] = {}
        self.timers: List[Tuple[float, int, int, _Chat]] = []   # (ready at, tiebreak, version, chat)
        self._seq = 0
        self._tiebreak = 0
        self._next_sweep = None  # type: Optional[float]
        self.waiting = 0
        self.in_flight = 0

    # -- the driver's calls

    def submit(self, ticket: Ticket, now: float, front: bool = False) -> None:
        """Queue ``ticket`` behind its chat's earlier tickets (``front``: ahead of them, for
        a retry of the call that was just in flight)."""
        if ticket.scope.pool not in self.pools:
            raise ValueError('unknown allowance %r' % (ticket.scope.pool,))
        if not front or not ticket.seq:
            self._seq += 1
            ticket.seq = self._seq
            ticket.submitted = now
        ticket.state = WAITING
        chat = self._chat(ticket.scope.chat)
        if front:
            chat.queue.appendleft(ticket)
        else:
            chat.queue.append(ticket)
        if ticket.lane == INTERACTIVE:
            chat.interactive += 1
        self.waiting += 1
        if front or len(chat.queue) == 1 or ticket.lane == INTERACTIVE:
            self._place(chat, now)

    def poll(self, now: float) -> Tuple[List[Ticket], Optional[float]]:
        """Grant what may go at ``now``; returns the granted tickets and when to poll next
        (None: nothing is waiting on time)."""
        granted: List[Ticket] = []
        timers = self.timers
        while timers and timers[0][0] <= now:
            _, _, version, chat = heapq.heappop(timers)
            if chat.version == version:
                self._place(chat, now)
        due: Optional[float] = None
        for pool in self.pools.values():
            pool_due = self._drain(pool, now, granted)
            if pool_due is not None and (due is None or pool_due < due):
                due = pool_due
        while timers and timers[0][3].version != timers[0][2]:
            heapq.heappop(timers)                      # stale entries
        if timers and (due is None or timers[0][0] < due):
            due = timers[0][0]
        if self._next_sweep is None:
            self._next_sweep = now + _EVICT_EVERY
        elif now >= self._next_sweep:
            self._sweep(now)
        return granted, due

    def done(self, ticket: Ticket, now: float, retry_after: Optional[float] = None) -> None:
        """The granted ``ticket``'s request was answered (or failed). ``retry_after``: it was
        a 429 asking to wait that long."""
        chat = self.chats.get(ticket.scope.chat or _NO_CHAT)
        if ticket.state == GRANTED:
            self.in_flight -= 1
            if chat is not None and chat.buckets:
                # the chat's buckets refill only while none of its calls is on the way
                self.store.rewind(self._claims(chat, now), now - ticket.granted_at, now)
        ticket.state = DONE
        if retry_after is not None:
            self._flooded(ticket, chat, max(0.0, float(retry_after)), now)
        if chat is not None:
            if chat.busy is ticket:
                chat.busy = None
            self._place(chat, now)

    def cancel(self, ticket: Ticket, now: float, reason: str = 'cancelled') -> bool:
        """Withdraw a waiting ticket; False if it was no longer waiting."""
        if ticket.state != WAITING:
            return False
        chat = self.chats.get(ticket.scope.chat or _NO_CHAT)
        if chat is not None:
            try:
                chat.queue.remove(ticket)
            except ValueError:
                pass
            else:
                self.waiting -= 1
                if ticket.lane == INTERACTIVE:
                    chat.interactive -= 1
                self._place(chat, now)
        ticket.state = CANCELLED
        ticket.reason = reason
        return True

    def cancel_all(self, now: float, reason: str) -> List[Ticket]:
        """Withdraw every waiting ticket (the limiter is closing)."""
        out = []
        for chat in list(self.chats.values()):
            while chat.queue:
                t = chat.queue.popleft()
                t.state = CANCELLED
                t.reason = reason
                out.append(t)
            chat.interactive = 0
            chat.version += 1
        for pool in self.pools.values():
            pool.ready = ([], [])
        self.timers = []
        self.waiting = 0
        return out

    # -- scheduling

    def _chat(self, key: Any) -> _Chat:
        key = key or _NO_CHAT
        chat = self.chats.get(key)
        if chat is None:
            chat = self.chats[key] = _Chat(key, self.limits)
        return chat

    def _claims(self, chat: _Chat, now: float) -> Tuple[Tuple[Any, float, float], ...]:
        f = chat.adaptive.factor(now, self.limits.recovery)
        if f == 1.0:
            return chat.buckets
        return tuple((key, rate * f, burst) for key, rate, burst in chat.buckets)

    def _pool_claim(self, pool: _Pool, now: float) -> Tuple[Any, float, float]:
        return (pool.key, pool.rate * pool.adaptive.factor(now, self.limits.recovery),
                pool.burst)

    def _place(self, chat: _Chat, now: float) -> None:
        """Put ``chat`` where it belongs: ready heap, timer heap, or nowhere (idle/busy)."""
        chat.version += 1
        if not chat.queue or chat.busy is not None:
            return
        claims = self._claims(chat, now)
        wait = self.store.peek(claims, now) if claims else 0.0
        if wait > 0:
            self._tiebreak += 1
            heapq.heappush(self.timers, (now + wait, self._tiebreak, chat.version, chat))
            return
        head = chat.queue[0]
        lane = INTERACTIVE if chat.interactive else BULK
        heapq.heappush(self.pools[head.scope.pool].ready[lane],
                       (head.seq, chat.version, chat))

    def _drain(self, pool: _Pool, now: float, granted: List[Ticket]) -> Optional[float]:
        """Grant tokens of ``pool`` to its ready chats, interactive lane first."""
        if now < pool.due:
            return pool.due if (pool.ready[0] or pool.ready[1]) else None
        store = self.store
        for heap in pool.ready:
            while heap:
                seq, version, chat = heap[0]
                if chat.version != version:
                    heapq.heappop(heap)
                    continue
                pool_claim = self._pool_claim(pool, now)
                wait = store.take(self._claims(chat, now) + (pool_claim,), now)
                if wait > 0:
                    pool_wait = store.peek((pool_claim,), now)
                    if pool_wait > 0:
                        pool.due = now + pool_wait
                        return pool.due
                    heapq.heappop(heap)       # the chat's own bucket (shared store): later
                    self._place(chat, now)
                    continue
                heapq.heappop(heap)
                self._grant(chat, pool, now, granted)
        return None

    def _grant(self, chat: _Chat, pool: _Pool, now: float, granted: List[Ticket]) -> None:
        t = chat.queue.popleft()
        self.waiting -= 1
        self.in_flight += 1
        if t.lane == INTERACTIVE:
            chat.interactive -= 1
        t.state = GRANTED
        t.granted_at = now
        wait = now - t.submitted
        chat.stats.add(wait)
        pool.stats.add(wait)
        if chat.key != _NO_CHAT:
            chat.busy = t
        self._place(chat, now)
        granted.append(t)

    # -- 429s

    def _flooded(self, ticket: Ticket, chat: Optional[_Chat], retry_after: float,
                 now: float) -> None:
        limits = self.limits
        until = now + retry_after
        pool = self.pools[ticket.scope.pool]
        whole = chat is None or not chat.buckets
        if not whole:
            assert chat is not None
            chat.stats.floods += 1
            self.store.hold(chat.buckets[0][0], until)
            chat.adaptive.flooded(now, until, limits)
            floods = pool.floods
            floods.append((now, chat.key))
            while floods and floods[0][0] < now - limits.global_flood_window:
                floods.popleft()
            whole = len({key for _, key in floods}) >= limits.global_flood_chats
            log.debug('429 in %s: held %.3g s, pace now %.0f%%', chat.key, retry_after,
                      100 * chat.adaptive.factor(now, limits.recovery))
        if whole:
            pool.stats.floods += 1
            self.store.hold(pool.key, until)
            pool.adaptive.flooded(now, until, limits)
            pool.due = max(pool.due, until)
            log.debug('429 for the %s allowance: everything held %.3g s, pace now %.0f%%',
                      pool.name, retry_after, 100 * pool.adaptive.factor(now, limits.recovery))

    # -- housekeeping and introspection

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + _EVICT_EVERY
        idle = [k for k, c in self.chats.items() if c.idle()]
        for k in idle:
            del self.chats[k]
        dropped = self.store.evict(now)
        if idle or dropped:
            log.debug('limiter sweep: forgot %d idle chats, %d full buckets', len(idle),
                      dropped)

    def snapshot(self, now: float, top: int = 10) -> Dict[str, Any]:
        """Queue depth, in-flight calls, waits and holds, overall and per scope."""
        limits = self.limits
        out: Dict[str, Any] = {'waiting': self.waiting, 'in_flight': self.in_flight}
        lanes = [0, 0]
        kinds: Dict[str, Dict[str, Any]] = {}
        busiest = []
        for chat in self.chats.values():
            k = kinds.setdefault(chat.kind, {'chats': 0, 'waiting': 0, 'sent': 0, 'waited': 0,
                                             'floods': 0, 'max_wait': 0.0, 'total_wait': 0.0})
            k['chats'] += 1
            k['waiting'] += len(chat.queue)
            s = chat.stats
            k['sent'] += s.sent
            k['waited'] += s.waited
            k['floods'] += s.floods
            k['total_wait'] += s.total_wait
            k['max_wait'] = max(k['max_wait'], s.max_wait)
            lanes[INTERACTIVE] += chat.interactive
            lanes[BULK] += len(chat.queue) - chat.interactive
            if chat.queue:
                busiest.append(chat)
        for k in kinds.values():
            k['mean_wait'] = k.pop('total_wait') / k['sent'] if k['sent'] else 0.0
        out['lanes'] = dict(zip(LANES, lanes))
        out['kinds'] = kinds
        out['pools'] = {
            p.name: dict(p.stats.as_dict(),
                         rate=p.rate * p.adaptive.factor(now, limits.recovery),
                         held_for=max(0.0, self.store.held_until(p.key) - now))
            for p in self.pools.values()}
        busiest.sort(key=lambda c: (-len(c.queue), c.queue[0].seq))
        out['busiest'] = [self.chat_snapshot(c.key, now) for c in busiest[:top]]
        return out

    def chat_snapshot(self, key: Any, now: float) -> Dict[str, Any]:
        chat = self.chats.get(key)
        if chat is None:
            return {'chat': key, 'waiting': 0, 'in_flight': False}
        head = chat.queue[0] if chat.queue else None
        held = max([self.store.held_until(b[0]) for b in chat.buckets] or [0.0])
        return dict(chat.stats.as_dict(), chat=key, waiting=len(chat.queue),
                    in_flight=chat.busy is not None,
                    oldest_wait=now - head.submitted if head is not None else 0.0,
                    pace=chat.adaptive.factor(now, self.limits.recovery),
                    held_for=max(0.0, held - now))


def tickets_notify(tickets: Iterable[Ticket]) -> None:
    for t in tickets:
        if t.notify is not None:
            t.notify(t)

"""Idle deadlines read back at start: which delegates come back, and when.

A bot with a store keeps, for each ``create_open`` handler with an idle timeout, when that
timeout falls due and the message the handler was made for (see
:meth:`telepot_ng.store.Store.idle`). At the next start, after the redelivered updates,
:class:`Revivals` reads the deadlines a page at a time, earliest first (keys and times
only; the next page once the page read is used up), and the bot revives each delegate
lazily -- when its deadline falls due (its idle step runs at once) or when a message for
its seed comes first -- so a bot with 100,000 idle chats builds no handler at start and
holds at most a page of deadlines in memory. While pages remain unread, a message for a
seed without a live delegate may be for one of them; a compact filter of every stored key
(about 1.25 bytes per key, built at start when the store offers :meth:`Store.idle_keys`)
answers "not kept" at once for nearly all seeds that never had one, so only the rest (and
~1% of the others) cost a read of the store.

A deadline read is a candidate, not a promise: by the time it is used, the seed may have a
delegate of this run, or had one that ended (its deadline's removal staged in the ledger,
perhaps not written yet). The bot checks when it uses one (see
``DelegatorBot._kept_messages``): no live delegate, nothing of the seed's staged
(:meth:`~telepot_ng.store._ledger.Ledger.staged_idle`), and the store still has it.
"""
from __future__ import annotations

import collections
import time
from typing import Any, Deque, Dict, List, Optional, Tuple

from .. import _masking
from .base import IdleRecord, StateKey, StoreError

log = _masking.logger(__name__)

#: deadlines read per query (the most held in memory at once)
PAGE = 1000
#: seconds before a page the store could not give is asked for again
RETRY = 5.0
#: what :meth:`Revivals.take` says for a seed whose deadline may be on a page not read yet
UNREAD = 0.0


class KeyFilter:
    """A Bloom filter of ``(pattern, seed)`` keys: :meth:`may_hold` False is certain, True
    is wrong for about 1% of the keys never added (10 bits and 4 probes per key)."""

    __slots__ = ('_bits', '_m')

    def __init__(self, keys: List[Tuple[str, str]]) -> None:
        m = self._m = max(64, 10 * len(keys))
        bits = self._bits = bytearray((m + 7) >> 3)
        for key in keys:
            h = hash(key)
            a, b = h & 0xFFFFFFFF, ((h >> 32) & 0xFFFFFFFF) | 1
            for i in range(4):
                j = (a + i * b) % m
                bits[j >> 3] |= 1 << (j & 7)

    def may_hold(self, pattern: str, seed: str) -> bool:
        h = hash((pattern, seed))
        a, b = h & 0xFFFFFFFF, ((h >> 32) & 0xFFFFFFFF) | 1
        m, bits = self._m, self._bits
        for i in range(4):
            j = (a + i * b) % m
            if not bits[j >> 3] & (1 << (j & 7)):
                return False
        return True

    @property
    def size(self) -> int:
        """Bytes held."""
        return len(self._bits)


class Revivals:
    """The idle deadlines kept before the last stop and not revived yet, read a page at a
    time in due order.

    Not thread-safe: the bot calls it under its routing lock.

    :param ledger: the bot's ledger (its store is read here).
    :param page: deadlines read per query (default :data:`PAGE`).
    """

    def __init__(self, ledger: Any, page: Optional[int] = None) -> None:
        self.ledger = ledger
        self.page = PAGE if page is None else page
        #: when the deadlines were first read: one due before this is *late*
        self.started = time.time()
        self._due: Dict[Tuple[str, str], float] = {}        # the page read, not taken yet
        self._order: Deque[Tuple[float, str, str]] = collections.deque()    # ... by due
        self._after: Optional[IdleRecord] = None    # the last deadline read
        self._more = True           # the store may have deadlines after it
        self._hold = 0.0            # nothing falls due before this (see put_back)
        #: every stored key, as a filter (None: none built, the store is asked)
        self.keys: Optional[KeyFilter] = None
        self._read()
        if self._more:
            keys = ledger.store.idle_keys()
            if keys is not None:
                self.keys = KeyFilter(keys)

    def _read(self) -> None:
        page = self.ledger.store.idle(self.page, self._after)
        self._more = len(page) >= self.page
        if page:
            self._after = page[-1]
        due, order = self._due, self._order
        for r in page:
            if r.due is not None:
                k = (r.key.pattern, r.key.seed)
                due[k] = r.due
                order.append((r.due, k[0], k[1]))

    @property
    def read(self) -> int:
        """Deadlines of the page read that are not taken yet."""
        return len(self._due)

    def __bool__(self) -> bool:
        """Whether deadlines may be left (in the page read, or in the store after it)."""
        return bool(self._due) or self._more

    def take(self, key: StateKey) -> Optional[float]:
        """The deadline of ``key``'s delegate, now being revived: when it falls due, if
        the page read has it; :data:`UNREAD` if it may be on a later page (the caller asks
        the store); None when none is kept."""
        due = self._due.pop((key.pattern, key.seed), None)
        if due is not None:
            return due
        if not self._more:
            return None
        keys = self.keys
        return UNREAD if keys is None or keys.may_hold(key.pattern, key.seed) else None

    def next_due(self) -> Optional[float]:
        """When the earliest deadline not taken yet falls due (the next page is read when
        the one read is used up; when the store cannot give it, :data:`RETRY` seconds from
        now, and it is asked again then)."""
        order, due = self._order, self._due
        while True:
            while order and due.get((order[0][1], order[0][2])) != order[0][0]:
                order.popleft()              # taken by a message meanwhile
            if order:
                return max(order[0][0], self._hold)
            if not self._more:
                return None
            try:
                self._read()
            except StoreError as e:
                log.error('could not read the idle deadlines kept in the store (%s); trying '
                          'again in %.0f s', e, RETRY)
                return time.time() + RETRY

    def put_back(self, batch: List[Tuple[str, str, float]]) -> None:
        """Deadlines :meth:`due_now` gave whose delegates could not be revived (the store
        could not be read): they come first again, :data:`RETRY` seconds from now."""
        for pattern, seed, due in reversed(batch):
            self._due[(pattern, seed)] = due
            self._order.appendleft((due, pattern, seed))
        self._hold = time.time() + RETRY

    def due_now(self, now: float, most: int) -> List[Tuple[str, str, float]]:
        """Up to ``most`` deadlines due by ``now``, earliest first, as ``(pattern, seed
        text, due)``; they are taken."""
        out = []
        while len(out) < most:
            when = self.next_due()
            if when is None or when > now:
                break
            due, pattern, seed = self._order.popleft()
            del self._due[(pattern, seed)]
            out.append((pattern, seed, due))
        return out

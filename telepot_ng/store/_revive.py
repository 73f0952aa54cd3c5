"""Idle deadlines read back at start: which delegates come back, and when.

A bot with a store keeps, for each ``create_open`` handler with an idle timeout, when that
timeout falls due and the message the handler was made for (see
:meth:`telepot_ng.store.Store.idle`). At the next start, after the redelivered updates,
:class:`Revivals` reads the deadlines (keys and times only, a page at a time, earliest
first); the bot revives each delegate lazily -- when its deadline falls due (its idle step
runs at once) or when a message for its seed comes first -- so a bot with 100,000 idle chats
builds no handler at start.
"""
from __future__ import annotations

import heapq
import time
from typing import Any, Dict, List, Optional, Set, Tuple

from .base import IdleRecord

#: deadlines read per query at start
PAGE = 5000


class Revivals:
    """The idle deadlines of delegates that are not live, by ``(pattern, seed text)``.

    Not thread-safe: the bot calls it under its routing lock.

    :param ledger: the bot's ledger (its store is read here).
    :param live: ``(pattern, seed text)`` of delegates live now (their deadline is theirs).
    """

    def __init__(self, ledger: Any, live: Set[Tuple[str, str]]) -> None:
        self.ledger = ledger
        #: when the deadlines were read: one due before this is *late*
        self.started = time.time()
        self._due: Dict[Tuple[str, str], float] = {}
        self._heap: List[Tuple[float, str, str]] = []
        after: Optional[IdleRecord] = None
        while True:
            page = ledger.store.idle(PAGE, after)
            for r in page:
                k = (r.key.pattern, r.key.seed)
                if k not in live and r.due is not None:
                    self._due[k] = r.due
                    self._heap.append((r.due, r.key.pattern, r.key.seed))
            if len(page) < PAGE:
                break
            after = page[-1]
        heapq.heapify(self._heap)      # read in order already: heapify is linear

    def __len__(self) -> int:
        return len(self._due)

    def take(self, pattern: int, seed: Any) -> Optional[float]:
        """The deadline of the seed's delegate, now being revived (None: none kept)."""
        if not self._due:
            return None
        text = self.ledger.key(pattern, seed)
        return None if text is None else self._due.pop((text.pattern, text.seed), None)

    def next_due(self) -> Optional[float]:
        """When the earliest deadline not yet revived falls due."""
        heap, due = self._heap, self._due
        while heap and due.get((heap[0][1], heap[0][2])) != heap[0][0]:
            heapq.heappop(heap)          # revived by a message meanwhile
        return heap[0][0] if heap else None

    def due_now(self, now: float, most: int) -> List[Tuple[str, str, float]]:
        """Up to ``most`` deadlines due by ``now``, earliest first, as ``(pattern, seed
        text, due)``; they are taken."""
        out = []
        while len(out) < most:
            when = self.next_due()
            if when is None or when > now:
                break
            _, pattern, seed = heapq.heappop(self._heap)
            del self._due[(pattern, seed)]
            out.append((pattern, seed, when))
        return out

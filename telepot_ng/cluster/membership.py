"""Which workers are alive, and which partitions each should own.

Workers heartbeat into a sorted set (score = when their membership expires).  Every worker
computes the same assignment from the same member list: balanced (each owns ``P // n`` or
``P // n + 1`` partitions) and sticky (rendezvous ranking: when a worker joins or leaves,
mostly the partitions that must move do).
"""
from __future__ import annotations

import time
import zlib
from typing import Any, Dict, List, Optional, Sequence

from ._keys import Keys

__all__ = ['assign', 'Membership']


def _rank(member: str, p: int) -> int:
    return zlib.crc32(('%s#%d' % (member, p)).encode('utf-8'))


def assign(members: Sequence[str], partitions: int) -> Dict[str, List[int]]:
    """Partitions per member: each partition goes to its highest-ranked member that still
    has room under the balanced quota.  Deterministic for a given member set."""
    out: Dict[str, List[int]] = {m: [] for m in sorted(set(members))}
    if not out:
        return out
    n = len(out)
    base, extra = divmod(partitions, n)
    # members that may take one more than base: the first `extra` by a stable order
    order = sorted(out)
    quota = {m: base + (1 if i < extra else 0) for i, m in enumerate(order)}
    for p in range(partitions):
        for m in sorted(out, key=lambda m: _rank(m, p), reverse=True):
            if len(out[m]) < quota[m]:
                out[m].append(p)
                break
    return out


class Membership:
    """One worker's heartbeat in the member set, and the live member list."""

    def __init__(self, redis: Any, keys: Keys, member: str, ttl: float) -> None:
        self._r = redis
        self._key = keys.members
        self.member = member
        self.ttl = ttl
        #: ``time.time()`` when the soonest other member's heartbeat runs out unless renewed
        #: (as of the last :meth:`heartbeat`; None: no other member)
        self.next_expiry: Optional[float] = None

    def heartbeat(self) -> List[str]:
        """Refresh this member, drop expired ones, return the live members (sorted)."""
        now = time.time()
        pipe = self._r.pipeline(transaction=True)
        pipe.zadd(self._key, {self.member: now + self.ttl})
        pipe.zremrangebyscore(self._key, '-inf', now)
        pipe.zrange(self._key, 0, -1, withscores=True)
        members = [(m.decode() if isinstance(m, bytes) else m, score)
                   for m, score in pipe.execute()[2]]
        self.next_expiry = min((score for m, score in members if m != self.member),
                               default=None)
        return sorted(m for m, _ in members)

    def leave(self) -> None:
        self._r.zrem(self._key, self.member)

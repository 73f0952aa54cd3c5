"""Token buckets behind a small storage interface (in memory here; shared elsewhere later).

A bucket is identified by a key (a tuple such as ``('chat', 42)`` or ``('global',)``) and
holds ``tokens`` refilled at a ``rate`` up to a ``burst``, plus a ``held_until`` time before
which it gives nothing (a 429's ``retry_after``). The rate and burst travel with each claim,
so the store keeps only the counters: a store shared by several processes (Redis, a Lua
script doing the same arithmetic) needs no configuration of its own.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = ['Claim', 'BucketStore', 'MemoryBuckets']

_FULL = 1.0 - 1e-9      # a token, give or take floating-point rounding

#: ``(key, rate per second, burst)``: one token asked of one bucket.
Claim = Tuple[Any, float, float]


class BucketStore:
    """Where token counts live. Implementations must make ``take`` atomic.

    Times are the limiter's clock (seconds, any origin, the same for all callers).
    """

    def take(self, claims: Sequence[Claim], now: float) -> float:
        """Take one token from every bucket in ``claims``, or from none of them.

        Returns 0.0 when taken, else the seconds until all of them could give one (assuming
        no one else takes meanwhile).
        """
        raise NotImplementedError

    def peek(self, claims: Sequence[Claim], now: float) -> float:
        """What ``take`` would answer, without taking anything."""
        raise NotImplementedError

    def rewind(self, claims: Sequence[Claim], seconds: float, now: float) -> None:
        """Take back ``seconds`` of refill from these buckets: a call's time on the way.

        Used for chats, which have one call in flight at a time: their buckets then refill
        only between an answer and the next call, so however the network delays each request,
        Telegram never sees two of a chat's calls closer together than the rate allows."""
        raise NotImplementedError

    def hold(self, key: Any, until: float) -> None:
        """Give nothing from ``key`` before ``until``; a hold only ever gets longer."""
        raise NotImplementedError

    def held_until(self, key: Any) -> float:
        """When the hold on ``key`` ends (0.0: not held)."""
        raise NotImplementedError

    def evict(self, now: float) -> int:
        """Forget buckets that are full again and not held (they would start full anyway).
        Returns how many were dropped. (A shared store may do this with expiry times.)"""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class MemoryBuckets(BucketStore):
    """Buckets in a dict, for one process. Not locked: the limiter calls it under its lock."""

    __slots__ = ('_b',)

    def __init__(self) -> None:
        # key -> [tokens, stamp, held_until, rate, burst] (rate and burst of the last claim)
        self._b: Dict[Any, List[float]] = {}

    def _level(self, key: Any, rate: float, burst: float, now: float) -> List[float]:
        b = self._b.get(key)
        if b is None:
            b = self._b[key] = [burst, now, 0.0, rate, burst]
        else:
            if now > b[1]:
                b[0] = min(burst, b[0] + (now - b[1]) * rate)
                b[1] = now
            b[3], b[4] = rate, burst
        return b

    def peek(self, claims: Sequence[Claim], now: float) -> float:
        wait = 0.0
        for key, rate, burst in claims:
            b = self._b.get(key)
            if b is None:
                continue                  # a new bucket starts full
            held = b[2] - now
            tokens = b[0] if now <= b[1] else min(burst, b[0] + (now - b[1]) * rate)
            short = (1.0 - tokens) / rate if tokens < _FULL else 0.0
            wait = max(wait, held, short)
        return wait

    def take(self, claims: Sequence[Claim], now: float) -> float:
        wait = 0.0
        levels = []
        for key, rate, burst in claims:
            b = self._level(key, rate, burst, now)
            levels.append(b)
            if b[2] > now:
                wait = max(wait, b[2] - now)
            if b[0] < _FULL:
                wait = max(wait, (1.0 - b[0]) / rate)
        if wait > 0.0:
            return wait
        for b in levels:
            b[0] -= 1.0
        return 0.0

    def rewind(self, claims: Sequence[Claim], seconds: float, now: float) -> None:
        if seconds <= 0:
            return
        for key, rate, burst in claims:
            b = self._level(key, rate, burst, now)
            b[0] -= seconds * rate

    def hold(self, key: Any, until: float) -> None:
        b = self._b.get(key)
        if b is None:
            self._b[key] = [1.0, until, until, 0.0, 1.0]
        elif until > b[2]:
            b[2] = until
            if until > b[1]:
                # the hold spends the burst: one token when it ends, then the plain rate
                b[0], b[1] = 1.0, until

    def held_until(self, key: Any) -> float:
        b = self._b.get(key)
        return b[2] if b is not None else 0.0

    def evict(self, now: float) -> int:
        drop = []
        for key, b in self._b.items():
            if b[2] <= now and (b[3] <= 0 or b[0] + (now - b[1]) * b[3] >= b[4]):
                drop.append(key)
        for key in drop:
            del self._b[key]
        return len(drop)

    def __len__(self) -> int:
        return len(self._b)

    def tokens(self, key: Any, rate: float, burst: float, now: float) -> Optional[float]:
        """Tokens left in ``key`` now (None if the bucket is not kept: it is full)."""
        if key not in self._b:
            return None
        return self._level(key, rate, burst, now)[0]

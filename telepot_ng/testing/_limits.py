"""Telegram's flood limits (token buckets per chat, per group, overall) and network latency.

Both are off unless configured: ``FakeTelegram(rate_limits=True, latency=0.05, jitter=0.01)``.
"""
from __future__ import annotations

import math
import random
import time
from typing import Any, Callable, Dict, FrozenSet, NamedTuple, Optional, Tuple, Union

from .._generated import spec

__all__ = ['RateLimits', 'FloodGate', 'Latency', 'LIMITED_METHODS']

# Methods that post new messages: what Telegram's per-chat, per-group and overall limits count.
# Derived from the spec, so a new send* method is limited without a code change.
_POSTS = ('Message', 'Array of Message', 'MessageId', 'Array of MessageId')
LIMITED_METHODS: FrozenSet[str] = frozenset(
    name for name, (returns, _) in spec.METHODS.items()
    if returns[0] in _POSTS and name.startswith(('send', 'forward', 'copy')))


class RateLimits(NamedTuple):
    """The numbers the fake enforces (messages per second and the burst a bucket holds)."""
    chat_rate: float = 1.0            # any chat: about one message per second...
    chat_burst: int = 3               # ... with short bursts allowed
    group_rate: float = 20 / 60.0     # groups, supergroups, channels: 20 per minute
    group_burst: int = 20
    overall_rate: float = 30.0        # the whole bot: about 30 per second
    overall_burst: int = 30
    paid_rate: float = 1000.0         # overall, for calls with allow_paid_broadcast=True
    paid_burst: int = 1000

    @classmethod
    def from_option(cls, value: Union[bool, Dict[str, Any], None]) -> Optional['RateLimits']:
        """``True`` -> the defaults, a dict -> the defaults with those numbers changed,
        ``False``/``None`` -> no limits. Raises ValueError for unknown keys or bad numbers."""
        if value is None or value is False:
            return None
        if value is True:
            return cls()
        if not isinstance(value, dict):
            raise ValueError('rate_limits must be true, false or an object of numbers')
        unknown = set(value) - set(cls._fields)
        if unknown:
            raise ValueError('unknown rate limit(s): %s (known: %s)'
                             % (', '.join(sorted(unknown)), ', '.join(cls._fields)))
        limits = cls()._replace(**value)
        for name in cls._fields:
            number = getattr(limits, name)
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number <= 0:
                raise ValueError('rate limit %s must be a positive number' % name)
            if name.endswith('_burst') and number < 1:
                raise ValueError('rate limit %s must be at least 1' % name)
        return limits


class _Buckets:
    """Token buckets (GCRA) keyed by scope: ``wait(key, now)`` is 0 when a message may go."""

    __slots__ = ('interval', 'tolerance', 'tat', '_sweep')

    def __init__(self, rate: float, burst: float) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval
        self.tat: Dict[Any, float] = {}        # theoretical arrival time per key
        self._sweep = 0

    def wait(self, key: Any, now: float) -> float:
        tat = self.tat.get(key)
        if tat is None:
            return 0.0
        return max(0.0, tat - self.tolerance - now)

    def take(self, key: Any, now: float) -> None:
        tat = self.tat.get(key, now)
        self.tat[key] = (tat if tat > now else now) + self.interval
        self._sweep += 1
        if self._sweep >= 4096:               # forget buckets that have refilled
            self._sweep = 0
            self.tat = {k: t for k, t in self.tat.items() if t > now}


class FloodGate:
    """Decides whether a message-posting call is over a limit, and counts the 429s it caused."""

    def __init__(self, limits: RateLimits,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._chat = _Buckets(limits.chat_rate, limits.chat_burst)
        self._group = _Buckets(limits.group_rate, limits.group_burst)
        self._overall = _Buckets(limits.overall_rate, limits.overall_burst)
        self._paid = _Buckets(limits.paid_rate, limits.paid_burst)
        self.refused = 0
        self.refused_by_chat: Dict[Any, int] = {}
        self.refused_by_scope: Dict[str, int] = {'chat': 0, 'group': 0, 'overall': 0}

    def check(self, chat_key: Any, is_group: bool, paid: bool) -> Tuple[int, str]:
        """(0, '') and the message is counted; or (retry_after seconds, scope) and nothing is
        counted except the refusal."""
        now = self.clock()
        overall = self._paid if paid else self._overall
        scope, wait = 'overall', overall.wait(None, now)
        w = self._chat.wait(chat_key, now)
        if w > wait:
            scope, wait = 'chat', w
        if is_group:
            w = self._group.wait(chat_key, now)
            if w > wait:
                scope, wait = 'group', w
        if wait > 0.0:
            self.refused += 1
            self.refused_by_chat[chat_key] = self.refused_by_chat.get(chat_key, 0) + 1
            self.refused_by_scope[scope] += 1
            return max(1, math.ceil(wait)), scope
        overall.take(None, now)
        self._chat.take(chat_key, now)
        if is_group:
            self._group.take(chat_key, now)
        return 0, ''

    def counts(self) -> Dict[str, Any]:
        return {'total': self.refused, 'by_scope': dict(self.refused_by_scope),
                'by_chat': [[k, n] for k, n in self.refused_by_chat.items()]}


class Latency:
    """A simulated round trip: ``delay()`` is ``latency`` plus a uniform draw within ±``jitter``."""

    __slots__ = ('latency', 'jitter', 'rng')

    def __init__(self, latency: float, jitter: float, seed: Optional[int] = None) -> None:
        if latency < 0 or jitter < 0:
            raise ValueError('latency and jitter must not be negative')
        self.latency = float(latency)
        self.jitter = float(jitter)
        self.rng = random.Random(seed)

    def delay(self) -> float:
        if not self.jitter:
            return self.latency
        return max(0.0, self.latency + self.rng.uniform(-self.jitter, self.jitter))

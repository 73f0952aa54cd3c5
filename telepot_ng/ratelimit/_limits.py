"""RateLimits: Telegram's limits as one frozen value (the policy the limiter enforces)."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ['RateLimits']


@dataclass(frozen=True)
class RateLimits:
    """How fast the bot may send, per scope. Rates are messages per second; a burst is how
    many may go at once after a quiet spell (the token bucket's size).

    Defaults follow Telegram's FAQ: about one message a second per chat (short bursts
    allowed), at most 20 a minute in a group, supergroup or channel, about 30 a second in
    total, and up to 1,000 a second for calls with ``allow_paid_broadcast=True``. The overall
    burst is kept small on purpose: the server sees the calls after a network delay that
    varies, and the slack between our burst and Telegram's absorbs it.

    :param chat_rate: per chat, any chat.
    :param chat_burst: per chat, any chat.
    :param group_rate: per group, supergroup or channel (negative ``chat_id`` or ``@name``),
        on top of the per-chat limit.
    :param group_burst: per group, supergroup or channel.
    :param global_rate: all counted calls together (paid broadcasts excepted).
    :param global_burst: all counted calls together.
    :param paid_rate: calls made with ``allow_paid_broadcast=True``, together.
    :param paid_burst: calls made with ``allow_paid_broadcast=True``, together.
    :param backoff: on a 429 the scope's rate is multiplied by this (0 < backoff <= 1) ...
    :param recovery: ... and climbs back to its configured value over this many seconds
        (from zero; linearly), starting when the ``retry_after`` is over.
    :param min_rate: fraction of the configured rate below which backoff never goes.
    :param global_flood_chats: this many different chats answered 429 within
        ``global_flood_window`` seconds means the overall limit was hit: everything pauses.
    :param global_flood_window: see ``global_flood_chats``.
    """

    chat_rate: float = 1.0
    chat_burst: float = 3
    group_rate: float = 20 / 60
    group_burst: float = 20
    global_rate: float = 30.0
    global_burst: float = 5
    paid_rate: float = 1000.0
    paid_burst: float = 30
    backoff: float = 0.5
    recovery: float = 60.0
    min_rate: float = 0.1
    global_flood_chats: int = 3
    global_flood_window: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError('RateLimits.%s must be a number, got %s'
                                 % (f.name, type(value).__name__))
            if not math.isfinite(value):
                raise ValueError('RateLimits.%s must be finite, got %r' % (f.name, value))
            if f.name.endswith('_rate') and value <= 0:
                raise ValueError('RateLimits.%s must be > 0, got %r' % (f.name, value))
            if f.name.endswith('_burst') and value < 1:
                raise ValueError('RateLimits.%s must be >= 1, got %r' % (f.name, value))
        if not 0 < self.backoff <= 1:
            raise ValueError('RateLimits.backoff must be within (0, 1], got %r' % self.backoff)
        if not 0 < self.min_rate <= 1:
            raise ValueError('RateLimits.min_rate must be within (0, 1], got %r'
                             % self.min_rate)
        if self.recovery < 0:
            raise ValueError('RateLimits.recovery must be >= 0, got %r' % self.recovery)
        if self.global_flood_chats < 1 or int(self.global_flood_chats) != self.global_flood_chats:
            raise ValueError('RateLimits.global_flood_chats must be a whole number >= 1, got %r'
                             % self.global_flood_chats)
        if self.global_flood_window <= 0:
            raise ValueError('RateLimits.global_flood_window must be > 0, got %r'
                             % self.global_flood_window)

    def scaled(self, factor: float) -> 'RateLimits':
        """The same limits with every rate multiplied by ``factor`` (bursts unchanged):
        for tests and benchmarks that compress time."""
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor <= 0:
            raise ValueError('factor must be a positive number, got %r' % (factor,))
        return replace(self, **{f.name: getattr(self, f.name) * factor
                                for f in fields(self) if f.name.endswith('_rate')
                                and f.name != 'min_rate'})

    def rate_burst(self, kind: str) -> 'tuple[float, float]':
        """``(rate, burst)`` of a bucket kind: chat, group, global or paid."""
        return getattr(self, kind + '_rate'), getattr(self, kind + '_burst')


def _check(limits: Any) -> RateLimits:
    if not isinstance(limits, RateLimits):
        raise ValueError('rate limits must be a RateLimits, got %s' % type(limits).__name__)
    return limits

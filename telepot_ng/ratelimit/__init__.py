"""Telegram's rate limits, kept in the transport: as fast as Telegram allows, without 429s.

``RateLimits`` (a frozen value: rates and bursts per private chat, per group, overall and for
paid broadcasts) is the policy; ``RateLimiter`` (a service, one per Bot) applies it in front
of every HTTP request that counts (``COUNTED_METHODS``, decided from the spec). A call waits
in its own thread until it may go; calls to one chat go in the order they were made, one at a
time; the interactive lane goes before the bulk lane (``bot.broadcast``,
``bot.pacing(bulk=True)``). A 429 holds only its chat (everything only when several chats are
refused at once, or the call had no chat) for ``retry_after``, cuts the scope's rate and lets
it climb back. The bookkeeping is ``LimiterCore`` (no threads, no clock), shared with other
drivers; token counts live behind ``BucketStore`` (in memory by default).

On by default: ``Bot(token)`` paces with ``RateLimits()``; ``Bot(token, rate_limits=None)``
turns pacing off; ``rate_limits=RateLimits(global_rate=25)`` changes a number;
``rate_limits=RateLimiter(...)`` supplies the service (e.g. with another store).
"""
from ._buckets import BucketStore, Claim, MemoryBuckets
from ._core import BULK, INTERACTIVE, LimiterCore, Ticket
from ._limiter import RateLimiter, RateLimiterClosed, RateLimitError, RateLimitTimeout
from ._limits import RateLimits
from ._methods import COUNTED_METHODS, Scope, chat_key, scope_of

__all__ = ['RateLimits', 'RateLimiter', 'RateLimitError', 'RateLimitTimeout',
           'RateLimiterClosed', 'COUNTED_METHODS', 'Scope', 'scope_of', 'chat_key',
           'LimiterCore', 'Ticket', 'INTERACTIVE', 'BULK', 'BucketStore', 'MemoryBuckets',
           'Claim', 'limiter_from']


def limiter_from(rate_limits: object) -> 'RateLimiter | None':
    """The RateLimiter a ``rate_limits`` option asks for: a RateLimits (a new limiter), a
    RateLimiter (itself), None (no pacing). Anything else: ValueError."""
    if rate_limits is None:
        return None
    if isinstance(rate_limits, RateLimiter):
        return rate_limits
    if isinstance(rate_limits, RateLimits):
        return RateLimiter(rate_limits)
    raise ValueError('rate_limits must be a RateLimits, a RateLimiter or None, got %s'
                     % type(rate_limits).__name__)

"""Partition leases: who may consume a partition now, fenced by an epoch.

A lease is a Redis key holding ``owner|epoch`` with a time to live.  Taking a free lease
increments the partition's epoch counter, so every holder has a number no earlier holder
had.  Every acknowledgement a worker makes runs in a script that first checks that the
lease still holds *its* ``owner|epoch``: a worker that was paused past its lease (GC, SIGSTOP)
and resumes can no longer acknowledge, write state, or mark updates done.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Optional, Tuple

from ._keys import Keys

__all__ = ['Lease', 'LeaseTable']

# {epoch, -2} when taken (or already ours: extended), {-1, the holder's PTTL} when held
_ACQUIRE = """
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if sep and string.sub(cur, 1, sep - 1) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return {tonumber(string.sub(cur, sep + 1)), -2}
  end
  return {-1, redis.call('PTTL', KEYS[1])}
end
local e = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. e, 'PX', ARGV[2])
return {e, -2}
"""

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class Lease:
    """One holder's claim on one partition: ``expires`` is a local ``time.monotonic()``
    deadline, set a safety margin before the server would let the key expire."""
    partition: int
    owner: str
    epoch: int
    expires: float

    @property
    def token(self) -> str:
        """The value the lease key holds while this lease is valid."""
        return '%s|%d' % (self.owner, self.epoch)

    def valid(self, now: Optional[float] = None) -> bool:
        """Whether this holder may still act, by its own clock (a paused process's clock
        runs on, so after a pause past the TTL this is False before anything else is done)."""
        return (time.monotonic() if now is None else now) < self.expires

    def remaining(self) -> float:
        """Seconds this holder may still act, by its own clock (0 when it may not)."""
        return max(0.0, self.expires - time.monotonic())


class LeaseTable:
    """Takes, renews and gives back partition leases for one owner.

    :param ttl: lease time to live in seconds; a dead owner's partitions are taken over
        after at most this long.
    :param margin: fraction of ``ttl`` a holder stops acting before its lease would expire on
        the server (covers clock-rate differences and the renew round trip).
    """

    def __init__(self, redis: Any, keys: Keys, owner: str, ttl: float = 5.0,
                 margin: float = 0.2) -> None:
        if ttl <= 0:
            raise ValueError('lease ttl must be positive')
        if not 0 <= margin < 1:
            raise ValueError('margin is a fraction of ttl in [0, 1)')
        self._r = redis
        self._keys = keys
        self.owner = owner
        self.ttl = float(ttl)
        self._safe = self.ttl * (1 - margin)
        self._acquire = redis.register_script(_ACQUIRE)
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    @property
    def _ttl_ms(self) -> int:
        return max(1, int(self.ttl * 1000))

    def acquire(self, partition: int) -> Optional[Lease]:
        """The lease on ``partition`` if it was free (or already ours), else None."""
        return self.grab(partition)[0]

    def grab(self, partition: int) -> Tuple[Optional[Lease], Optional[float]]:
        """``(lease, None)`` if the lease on ``partition`` was free (or already ours), else
        ``(None, seconds until the holder's lease runs out unless renewed)`` -- one round
        trip either way."""
        start = time.monotonic()
        epoch, left = self._acquire(keys=[self._keys.lease(partition),
                                          self._keys.epoch(partition)],
                                    args=[self.owner, self._ttl_ms])
        epoch, left = int(epoch), int(left)
        if epoch < 0:
            return None, (left / 1000.0 if left >= 0 else None)
        return Lease(partition, self.owner, epoch, start + self._safe), None

    def renew(self, lease: Lease) -> Optional[Lease]:
        """A renewed copy of ``lease``, or None if it was lost (expired or taken over)."""
        start = time.monotonic()
        ok = self._renew(keys=[self._keys.lease(lease.partition)],
                         args=[lease.token, self._ttl_ms])
        if not ok:
            return None
        return Lease(lease.partition, lease.owner, lease.epoch, start + self._safe)

    def release(self, lease: Lease) -> bool:
        """Give ``lease`` back so another owner may take it at once; False if already lost."""
        return bool(self._release(keys=[self._keys.lease(lease.partition)], args=[lease.token]))

    def expires_in(self, partition: int) -> Optional[float]:
        """Seconds until the lease on ``partition`` runs out on the server unless its holder
        renews it (None: nobody holds it)."""
        ms = int(self._r.pttl(self._keys.lease(partition)))
        return ms / 1000.0 if ms >= 0 else None

    def holder(self, partition: int) -> Optional[str]:
        """The ``owner|epoch`` currently holding ``partition`` (for introspection)."""
        v = self._r.get(self._keys.lease(partition))
        return v.decode() if isinstance(v, bytes) else v

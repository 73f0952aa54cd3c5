"""The rate limiter's token buckets in Redis: one budget for all the workers of a cluster.

:class:`RedisBuckets` is a :class:`~telepot_ng.ratelimit.BucketStore` whose counts live in
Redis, so N worker processes (each with its own :class:`~telepot_ng.ratelimit.RateLimiter`)
together stay within Telegram's global, per-chat and per-group limits.  A bot whose store is
a :class:`~telepot_ng.cluster.store.ClusterStore` uses it automatically.

* **One round trip per send.** ``take`` is one Lua script that refills, checks and takes a
  token from every bucket of the call (chat, group, global or paid) atomically, on the
  server's clock, and answers how long until each bucket gives its next token.  Those answers
  are cached, so ``peek`` (the limiter's "when could this chat go?") costs nothing; a chat's
  ``rewind`` (its call's time on the way) rides along with the next ``take``.
* **429s hold for everyone.** ``hold`` writes the hold into the bucket: every worker's next
  ``take`` on that chat (or on the whole allowance) waits it out.
* **Redis lost.** The first failure is logged once (WARNING); the worker then paces itself
  in memory at 1/N of the global and paid budgets (N: the live workers last seen), tries
  Redis again every ``retry_every`` seconds and says so (INFO) when it is back.  No call
  fails because of it.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .. import _masking
from ..ratelimit import BucketStore, Claim, MemoryBuckets

__all__ = ['RedisBuckets']

log = _masking.logger(__name__)

# KEYS: the claims' buckets, then the buckets to rewind.
# ARGV: number of claims, '1' to take ('0' to look), (rate, burst) per claim,
#       (rate, burst, seconds) per rewind.
# Returns {taken (0/1), µs until each claim's bucket gives a token (after this take)}.
_TAKE = """
local tm = redis.call('TIME')
local now = tonumber(tm[1]) + tonumber(tm[2]) / 1000000
local nc = tonumber(ARGV[1])
local function level(key, rate, burst)
  local v = redis.call('HMGET', key, 't', 's', 'h')
  local t, s, h = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]) or 0
  if t == nil then
    t, s = burst, now
  elseif now > s then
    t = math.min(burst, t + (now - s) * rate)
    s = now
  end
  return t, s, h
end
local function save(key, t, s, h, rate, burst)
  redis.call('HSET', key, 't', tostring(t), 's', tostring(s), 'h', tostring(h))
  local ttl = (burst - t) / rate
  if s > now then ttl = ttl + (s - now) end
  if h > now and h - now > ttl then ttl = h - now end
  redis.call('PEXPIRE', key, math.ceil(ttl * 1000) + 1000)
end
local function wait(t, h, rate)
  local w = 0
  if h > now then w = h - now end
  if t < 1 - 1e-9 and (1 - t) / rate > w then w = (1 - t) / rate end
  return w
end
local a = 3 + 2 * nc
for j = nc + 1, #KEYS do
  local rate, burst, secs = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  local t, s, h = level(KEYS[j], rate, burst)
  save(KEYS[j], t - secs * rate, s, h, rate, burst)
end
local out = {0}
local ts, ss, hs = {}, {}, {}
local free = true
for i = 1, nc do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local t, s, h = level(KEYS[i], rate, burst)
  ts[i], ss[i], hs[i] = t, s, h
  local w = wait(t, h, rate)
  if w > 0 then free = false end
  out[i + 1] = w
end
if ARGV[2] == '1' and free then
  out[1] = 1
  for i = 1, nc do
    local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
    save(KEYS[i], ts[i] - 1, ss[i], hs[i], rate, burst)
    out[i + 1] = wait(ts[i] - 1, hs[i], rate)
  end
end
for i = 2, #out do out[i] = math.ceil(out[i] * 1000000) end
return out
"""

# KEYS[1]: the bucket; ARGV[1]: seconds from now.  The hold spends the burst (one token when
# it ends, then the plain rate), as in MemoryBuckets.  Returns nothing.
_HOLD = """
local tm = redis.call('TIME')
local now = tonumber(tm[1]) + tonumber(tm[2]) / 1000000
local u = now + tonumber(ARGV[1])
local v = redis.call('HMGET', KEYS[1], 't', 's', 'h')
local t, s, h = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]) or 0
if t == nil then
  t, s, h = 1, u, u
elseif u > h then
  h = u
  if u > s then t, s = 1, u end
else
  return 0
end
redis.call('HSET', KEYS[1], 't', tostring(t), 's', tostring(s), 'h', tostring(h))
redis.call('PEXPIRE', KEYS[1], math.ceil((u - now + 3600) * 1000))
return 1
"""

# KEYS[1]: the bucket.  Returns µs until its hold ends (0: not held).
_HELD = """
local tm = redis.call('TIME')
local now = tonumber(tm[1]) + tonumber(tm[2]) / 1000000
local h = tonumber(redis.call('HGET', KEYS[1], 'h') or '0') or 0
if h <= now then return 0 end
return math.ceil((h - now) * 1000000)
"""

_POOLS = ('global', 'paid')


def quick_client(redis: Any, timeout: float) -> Any:
    """A client to the same server as ``redis`` with short socket timeouts: the limiter asks
    under its lock, and must fall back quickly when Redis does not answer."""
    pool = redis.connection_pool
    kwargs = dict(pool.connection_kwargs)
    kwargs['socket_timeout'] = timeout
    if 'socket_connect_timeout' in kwargs or 'host' in kwargs:
        kwargs['socket_connect_timeout'] = timeout
    kwargs.pop('health_check_interval', None)
    cls = type(redis)
    return cls(connection_pool=type(pool)(connection_class=pool.connection_class, **kwargs))


class RedisBuckets(BucketStore):
    """Token buckets shared through Redis by every limiter with the same ``prefix``.

    :param redis: a redis-py client (a second one with short timeouts is made from it).
    :param prefix: key prefix (a cluster's namespace); buckets are ``<prefix>:{rl}:<scope>``.
    :param members_key: the cluster's member set (a sorted set scored by expiry), read now
        and then to know N, the live workers, for the fallback pace.
    :param workers: N until the member set has been read (or without one).
    :param timeout: seconds a Redis call may take before the limiter falls back.
    :param retry_every: seconds between attempts to reach Redis again while falling back.
    :param clock: the limiter's clock (monotonic seconds), to turn hold deadlines into delays.
    """

    def __init__(self, redis: Any, prefix: str, *, members_key: Optional[str] = None,
                 workers: int = 1, timeout: float = 0.5, retry_every: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if workers < 1:
            raise ValueError('workers must be at least 1')
        self._r = quick_client(redis, timeout)
        self.prefix = prefix
        self.members_key = members_key
        self.workers = workers
        self.retry_every = retry_every
        self.clock = clock
        self._take = self._r.register_script(_TAKE)
        self._hold = self._r.register_script(_HOLD)
        self._held = self._r.register_script(_HELD)
        self._lock = threading.Lock()
        self._until: Dict[Any, float] = {}     # key -> no token before (limiter's clock)
        self._rewinds: List[Tuple[Any, float, float, float]] = []
        self._fallback: Optional[MemoryBuckets] = None
        self._retry_at = 0.0
        self._count_at = 0.0
        #: round trips made, and takes refused (a wait answered): for benchmarks
        self.round_trips = 0

    def __repr__(self) -> str:
        return '<RedisBuckets %s%s>' % (self.prefix, ' (falling back)' if self._fallback else '')

    @property
    def falling_back(self) -> bool:
        """Whether Redis is unreachable and this process paces itself in memory."""
        return self._fallback is not None

    def name(self, key: Any) -> str:
        """The Redis key of bucket ``key`` (a tuple such as ``('chat', 42)``)."""
        return '%s:{rl}:%s' % (self.prefix, ':'.join(str(k) for k in key))

    # -- falling back ----------------------------------------------------------------------
    def _local(self, claims: Sequence[Claim]) -> Tuple[Claim, ...]:
        """``claims`` at this process's share of the overall budgets."""
        n = self.workers
        if n <= 1:
            return tuple(claims)
        return tuple((k, r / n, max(1.0, b / n)) if k[0] in _POOLS else (k, r, b)
                     for k, r, b in claims)

    def _redis_ok(self, now: float) -> bool:
        """Whether to ask Redis now (not falling back, or time to try it again)."""
        return self._fallback is None or now >= self._retry_at

    def _lost(self, e: BaseException, now: float) -> None:
        self._retry_at = now + self.retry_every
        if self._fallback is None:
            self._fallback = MemoryBuckets()
            log.warning('rate limiter: Redis did not answer (%s); pacing this worker on its own '
                        'at 1/%d of the overall budget until Redis is back', e, self.workers)

    def _back(self) -> None:
        if self._fallback is not None:
            self._fallback = None
            log.info('rate limiter: Redis answers again; budgets are shared again')

    def _count_workers(self, now: float) -> None:
        if self.members_key is None or now < self._count_at:
            return
        self._count_at = now + 10.0
        n = self._r.zcount(self.members_key, time.time(), '+inf')
        self.round_trips += 1
        self.workers = max(1, int(n))

    # -- BucketStore -----------------------------------------------------------------------
    def _script(self, claims: Sequence[Claim], take: bool, now: float) -> Tuple[bool, List[int]]:
        keys = [self.name(k) for k, _r, _b in claims]
        args: List[Any] = [len(claims), '1' if take else '0']
        for _k, rate, burst in claims:
            args += [repr(float(rate)), repr(float(burst))]
        rewinds, self._rewinds = self._rewinds, []
        for k, rate, burst, secs in rewinds:
            keys.append(self.name(k))
            args += [repr(float(rate)), repr(float(burst)), repr(float(secs))]
        try:
            reply = self._take(keys=keys, args=args)
        except BaseException:
            self._rewinds[:0] = rewinds
            raise
        self.round_trips += 1
        until = self._until
        waits = [int(w) for w in reply[1:]]
        for (k, _r, _b), w in zip(claims, waits):
            if w > 0:
                until[k] = now + w / 1e6
            else:
                until.pop(k, None)
        return bool(reply[0]), waits

    def take(self, claims: Sequence[Claim], now: float) -> float:
        with self._lock:
            if self._redis_ok(now):
                try:
                    taken, waits = self._script(claims, True, now)
                except Exception as e:
                    self._lost(e, now)
                else:
                    self._back()
                    if now >= self._count_at:
                        try:
                            self._count_workers(now)
                        except Exception:
                            pass
                    if taken:
                        return 0.0
                    return max(max(waits, default=0) / 1e6, 1e-6)
            assert self._fallback is not None
            return self._fallback.take(self._local(claims), now)

    def peek(self, claims: Sequence[Claim], now: float) -> float:
        with self._lock:
            if self._fallback is not None:
                return self._fallback.peek(self._local(claims), now)
            until = self._until
            return max([until.get(k, 0.0) - now for k, _r, _b in claims] + [0.0])

    def rewind(self, claims: Sequence[Claim], seconds: float, now: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            if self._fallback is not None:
                self._fallback.rewind(self._local(claims), seconds, now)
                return
            self._rewinds.extend((k, r, b, seconds) for k, r, b in claims)

    def hold(self, key: Any, until: float) -> None:
        with self._lock:
            now = self.clock()
            if until > self._until.get(key, 0.0):
                self._until[key] = until
            if self._fallback is not None:
                self._fallback.hold(key, until)
            if not self._redis_ok(now):
                return
            try:
                self._hold(keys=[self.name(key)], args=[repr(max(0.0, until - now))])
                self.round_trips += 1
            except Exception as e:
                self._lost(e, now)
                assert self._fallback is not None
                self._fallback.hold(key, until)
            else:
                self._back()

    def held_until(self, key: Any) -> float:
        with self._lock:
            now = self.clock()
            if self._redis_ok(now):
                try:
                    left = int(self._held(keys=[self.name(key)]))
                    self.round_trips += 1
                except Exception as e:
                    self._lost(e, now)
                else:
                    return now + left / 1e6 if left > 0 else 0.0
            assert self._fallback is not None
            return self._fallback.held_until(key)

    def evict(self, now: float) -> int:
        """Forget cached waits that are over, write pending rewinds, re-count the workers
        (Redis expires full buckets itself). Returns the cache entries dropped."""
        with self._lock:
            until = self._until
            gone = [k for k, t in until.items() if t <= now]
            for k in gone:
                del until[k]
            if self._fallback is not None:
                self._fallback.evict(now)
            if self._redis_ok(now):
                try:
                    if self._rewinds:
                        self._script((), False, now)
                    self._count_workers(now)
                except Exception as e:
                    self._lost(e, now)
                else:
                    self._back()
            return len(gone)

    def close(self) -> None:
        """Close the connections of its own client."""
        try:
            self._r.close()
        except Exception:
            pass

    def __len__(self) -> int:
        return len(self._until) + (len(self._fallback) if self._fallback is not None else 0)

"""Partition streams: append updates, read them as the partition's one consumer, and
acknowledge them fenced by the reader's lease.

Each partition is one Redis stream with one consumer group and one consumer name.  Only the
lease holder reads, so the consumer's pending entries list (PEL) is exactly "taken by an
owner, not finished": a new owner re-reads it from ``0`` in stream order before reading new
entries (``>``).  A finished entry is acknowledged *and deleted* in one script that first
checks the lease, records the update_id as done (the dedupe window) and writes handler state:
a stream holds only unfinished updates, and a fenced-out owner changes nothing.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._keys import CONSUMER, GROUP, Keys

__all__ = ['Entry', 'Streams', 'DEDUPE_WINDOW']

#: Seconds an update_id is remembered as done.  Telegram keeps an unconfirmed update for
#: 24 hours, so a redelivery can come at most that late.
DEDUPE_WINDOW = 24 * 3600.0

_ACK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[3])
local now = ARGV[2]
for i = 0, n - 1 do
  local eid = ARGV[5 + 2 * i]
  local uid = ARGV[6 + 2 * i]
  redis.call('XACK', KEYS[2], ARGV[4], eid)
  redis.call('XDEL', KEYS[2], eid)
  if uid ~= '' then redis.call('ZADD', KEYS[3], now, uid) end
end
local base = 5 + 2 * n
local m = tonumber(ARGV[base])
for i = 0, m - 1 do
  local f = ARGV[base + 1 + 2 * i]
  local v = ARGV[base + 2 + 2 * i]
  if v == '' then redis.call('HDEL', KEYS[4], f) else redis.call('HSET', KEYS[4], f, v) end
end
return 1
"""


@dataclass(frozen=True)
class Entry:
    """One update read from a partition stream."""
    partition: int
    entry_id: str
    update_id: int
    update: Dict[str, Any] = field(compare=False)
    redelivered: bool = False


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else v


class Streams:
    """Stream operations of one cluster namespace with ``partitions`` partitions."""

    def __init__(self, redis: Any, keys: Keys, partitions: int) -> None:
        if partitions < 1:
            raise ValueError('partitions must be at least 1')
        self._r = redis
        self.keys = keys
        self.partitions = partitions
        self._ack = redis.register_script(_ACK)

    # set-up -------------------------------------------------------------------------------
    def ensure(self) -> None:
        """Create every partition's stream and consumer group (idempotent) and check that
        the namespace was set up with the same number of partitions."""
        r = self._r
        r.hsetnx(self.keys.meta, 'partitions', self.partitions)
        have = int(_s(r.hget(self.keys.meta, 'partitions')))
        if have != self.partitions:
            raise ValueError('this cluster namespace %r has %d partitions, not %d'
                             % (self.keys.prefix, have, self.partitions))
        for p in range(self.partitions):
            try:
                r.xgroup_create(self.keys.stream(p), GROUP, id='0', mkstream=True)
            except Exception as e:          # BUSYGROUP: exists already
                if 'BUSYGROUP' not in str(e):
                    raise

    # ingress ------------------------------------------------------------------------------
    def append(self, batch: Sequence[Tuple[int, Mapping[str, Any]]]) -> None:
        """Append ``(partition, update)`` pairs in one round trip; raises on any failure
        (the caller then does not confirm the batch, and Telegram keeps it)."""
        if not batch:
            return
        pipe = self._r.pipeline(transaction=False)
        for p, update in batch:
            pipe.xadd(self.keys.stream(p), {'id': update['update_id'],
                                            'u': json.dumps(update, separators=(',', ':'))})
        pipe.execute()

    # consumer -----------------------------------------------------------------------------
    def read(self, p: int, cursor: str, count: int = 100,
             block: Optional[int] = None) -> List[Entry]:
        """Entries of partition ``p`` after ``cursor`` in the consumer's PEL (a stream id,
        ``'0'`` from the start), or new ones (``'>'``, waiting up to ``block`` ms)."""
        reply = self._r.xreadgroup(GROUP, CONSUMER, {self.keys.stream(p): cursor},
                                   count=count, block=block)
        out: List[Entry] = []
        pending = cursor != '>'
        for _stream, entries in reply or ():
            for eid, fields in entries:
                eid = _s(eid)
                if not fields:                # deleted while pending: nothing to deliver
                    continue
                f = {_s(k): v for k, v in fields.items()}
                update = json.loads(_s(f['u']))
                out.append(Entry(p, eid, int(_s(f['id'])), update, pending))
        return out

    def done_ids(self, p: int, update_ids: Iterable[int]) -> List[bool]:
        """For each update_id, whether it is marked done in partition ``p``."""
        ids = list(update_ids)
        if not ids:
            return []
        pipe = self._r.pipeline(transaction=False)
        for uid in ids:
            pipe.zscore(self.keys.done(p), uid)
        return [s is not None for s in pipe.execute()]

    def ack(self, token: str, p: int, entries: Sequence[Tuple[str, Optional[int]]],
            state: Optional[Mapping[str, Optional[str]]] = None) -> bool:
        """Acknowledge and delete ``(entry_id, update_id)`` entries, mark their update_ids
        done and write ``state`` fields (JSON text; None deletes), all in one script that
        first checks the lease still holds ``token``.  False: fenced out, nothing changed."""
        args: List[Any] = [token, int(time.time() * 1000), len(entries), GROUP]
        for eid, uid in entries:
            args += [eid, '' if uid is None else uid]
        items = list((state or {}).items())
        args.append(len(items))
        for k, v in items:
            args += [k, '' if v is None else v]
        k = self.keys
        return bool(self._ack(keys=[k.lease(p), k.stream(p), k.done(p), k.states], args=args))

    def prune_done(self, p: int, older_than: float = DEDUPE_WINDOW) -> int:
        """Forget done update_ids older than ``older_than`` seconds; returns how many."""
        cut = int((time.time() - older_than) * 1000)
        return int(self._r.zremrangebyscore(self.keys.done(p), '-inf', cut))

    def load_state(self, field_name: str) -> Optional[str]:
        """A handler state written by :meth:`ack` (or None)."""
        v = self._r.hget(self.keys.states, field_name)
        return _s(v) if v is not None else None

    def backlog(self, p: int) -> int:
        """Entries in partition ``p``'s stream (unfinished updates: finished ones are deleted)."""
        return int(self._r.xlen(self.keys.stream(p)))

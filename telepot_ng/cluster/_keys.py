"""Redis key names of one cluster (a namespace), hash-tagged per partition.

A partition's stream, lease, epoch counter and done-set share the hash tag ``{p<N>}``; the
acknowledgement script also writes the one states hash, so the cluster needs a single Redis
server (or a primary with replicas), not a Redis Cluster.
"""
from __future__ import annotations

from dataclasses import dataclass

GROUP = 'telepot_ng'        # the one consumer group of every partition stream
CONSUMER = 'owner'          # the one consumer name: whoever holds the lease reads as it


@dataclass(frozen=True)
class Keys:
    """Key names under ``prefix`` (default ``telepot_ng:<bot id>``)."""
    prefix: str

    def stream(self, p: int) -> str:
        return '%s:{p%d}:updates' % (self.prefix, p)

    def lease(self, p: int) -> str:
        return '%s:{p%d}:lease' % (self.prefix, p)

    def epoch(self, p: int) -> str:
        return '%s:{p%d}:epoch' % (self.prefix, p)

    def done(self, p: int) -> str:
        return '%s:{p%d}:done' % (self.prefix, p)

    def timer_data(self, p: int) -> str:
        """Partition ``p``'s scheduled events: id -> ``[due, data]`` (JSON)."""
        return '%s:{p%d}:timers' % (self.prefix, p)

    def timer_due(self, p: int) -> str:
        """Partition ``p``'s scheduled events by due time (a sorted set)."""
        return '%s:{p%d}:timers-due' % (self.prefix, p)


    @property
    def members(self) -> str:
        return '%s:members' % self.prefix

    @property
    def meta(self) -> str:
        return '%s:meta' % self.prefix

    @property
    def states(self) -> str:
        """One hash of every handler state (field ``pattern|seed``)."""
        return '%s:states' % self.prefix

    @property
    def bot_state(self) -> str:
        """``bot.state``, one field per top-level key (JSON text): merged per key."""
        return '%s:botstate' % self.prefix

"""Scheduled events in a cluster: kept in Redis per partition, fired by the partition's owner.

``bot.scheduler.event_at/event_later`` (and a handler's ``self.scheduler``) in a cluster
worker keep each event with the partition of its source chat
(:func:`~telepot_ng.cluster.partition.event_partition`), so it fires on the worker that
serves the chat's updates.  A :class:`PartitionTimers` per worker reads, every ``every``
seconds, the events of the partitions it serves that are due within ``horizon`` seconds and
puts those it does not have on the bot's scheduler: events a worker that died or gave the
partition up had scheduled, and events scheduled by a process that does not serve their
partition (which does not fire them itself).  An event fires at least once: it is deleted
from Redis after its handler returned; one already due when it is picked up (after a
failover) fires at once with ``'late': True`` in its data.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Optional

from .. import _masking
from ..store import StoreError

__all__ = ['PartitionTimers']

log = _masking.logger(__name__)


class PartitionTimers:
    """Picks up the events of the partitions ``bot``'s cluster store serves.

    :param bot: a bot whose store is a :class:`~telepot_ng.cluster.store.ClusterStore`.
    :param every: seconds between two reads.
    :param horizon: events due within this many seconds are put on the scheduler.
    """

    def __init__(self, bot: Any, every: float = 1.0, horizon: float = 3.0) -> None:
        from .run import cluster_store_of
        self.bot = bot
        self.store = cluster_store_of(bot)
        self.every = every
        self.horizon = horizon
        self._cond = threading.Condition()
        self._thread: Optional[threading.Thread] = None
        self._failing = False

    def own(self, partition: int) -> None:
        """Serve ``partition``'s events (read them at once)."""
        self.store.own(partition)
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name='telepot_ng-cluster-timers')
                self._thread.start()
            self._cond.notify()

    def disown(self, partition: int) -> None:
        """Stop serving ``partition``'s events (those on the scheduler no longer fire here)."""
        self.store.disown(partition)

    def poll(self) -> int:
        """Put the owned partitions' events due within the horizon on the scheduler; how
        many were new here."""
        store, ledger = self.store, self.bot._ledger
        owned = store.owned
        if not owned:
            return 0
        ids = store.due_timer_ids(owned, time.time() + self.horizon)
        if not ids:
            return 0
        scheduler = self.bot.scheduler
        # what this process has (pending, being handled, or handled and its deletion not
        # written yet), known before the events are read: one read after could miss it
        fresh = set(ids) - ledger.known_timers(scheduler, ids)
        if not fresh:
            return 0
        records = store.partition_timers(owned, fresh)
        return ledger.restore_timers(scheduler, records) if records else 0

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self.store.owned:
                    self._thread = None
                    return
            try:
                self.poll()
                if self._failing:
                    self._failing = False
                    log.info('scheduled events: Redis answers again')
            except StoreError as e:
                if not self._failing:
                    self._failing = True
                    log.warning('scheduled events: cannot read them (%s); retrying', e)
            except RuntimeError:            # the scheduler was stopped with the bot
                with self._cond:
                    self._thread = None
                return
            with self._cond:
                self._cond.wait(self.every)

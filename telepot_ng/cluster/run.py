"""Run a bot as a cluster worker or an ingress, in this process.

* :func:`worker` feeds the bot (a :class:`~telepot_ng.DelegatorBot` whose ``store`` is a
  ``redis://`` URL) from its share of the partitions.  Each update goes through the bot's
  ``handle`` exactly as a polling loop would hand it; it is acknowledged when the bot's
  :class:`~telepot_ng.inflight.InFlight` says user code finished with it, together with
  the handler states it changed.
* :func:`ingress` polls Telegram with the bot's token and appends every batch to the
  partition streams before confirming it.  (For webhooks, mount
  ``WebhookApp(Ingress(...))`` in any WSGI server instead.)
"""
from __future__ import annotations

import threading
import time
from typing import Any, Optional

from .. import _masking
from ..exception import BadFlavor
from ..flavors import unwrap_update
from .streams import Entry
from .store import ClusterStore
from .timers import PartitionTimers
from .worker import PartitionWorker, Ticket

__all__ = ['BotSink', 'worker', 'ingress', 'cluster_store_of']

log = _masking.logger(__name__)


def cluster_store_of(bot: Any) -> ClusterStore:
    """The bot's :class:`ClusterStore`, or TypeError saying how to give it one."""
    store = getattr(bot, 'store', None)
    if not isinstance(store, ClusterStore):
        raise TypeError("a cluster bot needs store='redis://host:port/db' (it has %r)"
                        % (store,))
    return store


class BotSink:
    """Hands a worker's updates to a bot, one partition's updates in order; the bot's
    store acknowledges each when user code has finished with it."""

    #: seconds :meth:`begin` waits for user code still busy with a lost lease's updates
    settle_timeout = 30.0

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.store = cluster_store_of(bot)
        self.inflight = bot.inflight
        #: fires the scheduled events of the partitions this worker serves
        self.timers = PartitionTimers(bot)
        # a worker redelivers whenever it takes a partition over, not only at start: let the
        # bot check every redelivered update against the saved states (Ledger.consumed)
        bot._ledger.redelivering = True

    def deliver(self, entry: Entry, ticket: Ticket) -> None:
        uid = entry.update_id
        try:
            msg = unwrap_update(entry.update)
        except BadFlavor as e:
            log.warning('partition %d: update %d skipped: %s', entry.partition, uid, e)
            ticket.done(None)
            return
        msg._redelivered = entry.redelivered
        msg._origin = ticket
        if not self.store.claim(ticket):
            ticket.finished(False)           # the partition is being given up: not handed on
            return
        self.inflight.take(uid)
        try:
            self.bot.handle(msg)
        except Exception:
            log.exception('handling update %d raised', uid)
        finally:
            self.inflight.release(uid)

    def forget(self, partition: int) -> None:
        """The partition was lost or handed over: drop its tickets (what is still queued for
        user code is voided; see ``Ledger.void``); its scheduled events are the next
        owner's to fire."""
        self.timers.disown(partition)
        self.store.forget(partition)

    def begin(self, partition: int, stop: threading.Event) -> None:
        """Before this process reads ``partition`` under a new lease: wait until user code
        is done with what it was handed under an earlier one, then drop the states staged
        from that and not written (refused by the fence).  Delegates read their state
        from Redis again on their next message (``_Slot.handed``)."""
        deadline = time.monotonic() + self.settle_timeout
        while not self.store.settle(partition, 0.2):
            if stop.is_set():
                return
            if time.monotonic() < deadline:
                continue
            log.warning('partition %d: updates handed on under an earlier lease are still in '
                        'user code after %.0fs; serving it anyway', partition,
                        self.settle_timeout)
            break
        self.bot._ledger.discard_states(self.store.stale(partition))
        self.timers.own(partition)


def worker(bot: Any, *, lease_ttl: float = 5.0, member: Optional[str] = None,
           max_inflight: int = 1000) -> PartitionWorker:
    """A started :class:`PartitionWorker` feeding ``bot``; ``w.stop()`` then ``bot.stop()``
    end it cleanly (see :func:`serve`)."""
    store = cluster_store_of(bot)
    w = PartitionWorker(store.redis, store.keys, store.partitions, BotSink(bot),
                        lease_ttl=lease_ttl, member=member, max_inflight=max_inflight)
    return w.start()


def ingress(bot: Any, **loop_options: Any) -> Any:
    """Start polling with ``bot``'s token into the cluster (``bot`` has the cluster store);
    returns the loop (``MessageLoop``), whose ``stop()`` confirms what was appended."""
    cluster_store_of(bot)
    from ..loop import MessageLoop

    def nothing(msg: Any) -> None:      # never called: the store hands nothing on locally
        pass
    loop = MessageLoop(bot, nothing)
    loop.run_as_thread(**loop_options)
    return loop

"""A worker process's side of the cluster: take a fair share of the partitions, read each
owned partition in order, hand its updates to the bot, acknowledge them when finished.

The worker owns a partition only while it holds the partition's lease (:mod:`.lease`).  A
partition consumer checks its lease before handing each update on; a lease it could not renew
in time stops the consumer, and whatever it had not finished is re-read by the next owner
from the stream's pending list, in order, before anything new.
"""
from __future__ import annotations

import itertools
import os
import socket
import threading
import time
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol

from .. import _masking
from ..loop import Backoff
from ._keys import Keys
from .lease import Lease, LeaseTable
from .membership import Membership, assign
from .streams import Entry, Streams

__all__ = ['Sink', 'Ticket', 'CallbackSink', 'PartitionWorker']

log = _masking.logger(__name__)

#: update_ids a partition consumer remembers as handed on (beyond that, the done-set answers)
_SEEN_MAX = 20000

#: seconds the control loop wakes after a heartbeat or lease it waits for has run out
_LATE = 0.005



class Ticket:
    """One update a worker handed to a sink.  The sink finishes it exactly once: with
    :meth:`done` (acknowledge it, fenced by the lease, and write ``state``), or, when the
    acknowledgement was made elsewhere (a store's batched write), with :meth:`finished`."""

    __slots__ = ('entry', '_consumer', '_over')

    def __init__(self, entry: Entry, consumer: '_Consumer') -> None:
        self.entry = entry
        self._consumer = consumer
        self._over = False

    @property
    def partition(self) -> int:
        return self.entry.partition

    @property
    def token(self) -> str:
        """The lease token acknowledgements must carry."""
        return self._consumer.lease.token

    def live(self) -> bool:
        """Whether its partition consumer still runs (it stops when the lease is lost)."""
        return not self._consumer.stop_event.is_set()

    def done(self, state: Optional[Mapping[str, Optional[str]]] = None) -> bool:
        """Acknowledge the update (and write ``state``) unless the lease was lost; True if
        recorded."""
        c, e = self._consumer, self.entry
        ok = False
        try:
            ok = c.w.streams.ack(self.token, c.p, [(e.entry_id, e.update_id)], state)
        except Exception as ex:
            log.warning('partition %d: could not mark update %d done (%s); it will be '
                        'delivered again', c.p, e.update_id, ex)
        self.finished(ok)
        return ok

    def finished(self, ok: bool) -> None:
        """The update is over for this worker (``ok``: its done-mark was recorded)."""
        if self._over:
            return
        self._over = True
        c = self._consumer
        with c.cond:
            c.inflight -= 1
            c.cond.notify_all()
        if not ok:
            log.warning('partition %d: lease lost before update %d was marked done; the next '
                        'owner delivers it again', c.p, self.entry.update_id)
        c.w._on_done(self.entry, ok)


class Sink(Protocol):
    """Where a worker hands updates: ``deliver(entry, ticket)`` must finish the ticket once
    the update is handled (``ticket.done(state)``).  ``forget(partition)`` drops whatever the
    sink still holds for a partition that was lost or given up."""

    def deliver(self, entry: Entry, ticket: Ticket) -> None: ...

    def forget(self, partition: int) -> None: ...

    def begin(self, partition: int, stop: threading.Event) -> None: ...


class CallbackSink:
    """Runs ``callback(update_dict, entry)`` in the partition's consumer thread, then marks
    the update done: updates of one partition run one at a time, in order."""

    def __init__(self, callback: Callable[[Dict[str, Any], Entry], Any]) -> None:
        self._cb = callback

    def deliver(self, entry: Entry, ticket: Ticket) -> None:
        try:
            self._cb(entry.update, entry)
        except Exception:
            log.exception('callback raised on update %d; marked done', entry.update_id)
        ticket.done(None)

    def forget(self, partition: int) -> None:
        pass

    def begin(self, partition: int, stop: threading.Event) -> None:
        pass


class _Consumer:
    """Reads one owned partition in its own thread."""

    def __init__(self, worker: 'PartitionWorker', lease: Lease) -> None:
        self.w = worker
        self.lease = lease
        self.p = lease.partition
        self.stop_event = threading.Event()
        self.handoff_by: Optional[float] = None
        self.inflight = 0
        self.cond = threading.Condition()
        self.thread = threading.Thread(
            target=self._run, name='telepot_ng-cluster-%s-p%d' % (worker.member, self.p),
            daemon=True)

    def _may_act(self) -> bool:
        """Wait while the lease is not known to be valid (the control thread renews it or
        gives the partition up); False once this consumer is to stop."""
        while not self.stop_event.is_set():
            if self.lease.valid():
                return True
            if self.w._stop.is_set():        # nobody renews it any more
                return False
            with self.cond:
                self.cond.wait(0.02)
        return False

    def _run(self) -> None:
        w, p = self.w, self.p
        cursor = '0'                          # the pending list first: unfinished by the last owner
        backoff = Backoff(base=0.05, cap=2.0)
        w.sink.begin(p, self.stop_event)      # e.g. wait for what an earlier lease handed on
        while self._may_act():
            with self.cond:
                while self.inflight >= w.max_inflight and not self.stop_event.is_set():
                    self.cond.wait(0.1)
            if not self._may_act():
                break
            try:
                block = None
                if cursor == '>':
                    # the server ends the wait before the lease can run out there: a read
                    # still waiting when another worker takes the partition over would
                    # put new entries into the pending list behind the new owner's back
                    left = self.lease.remaining()
                    if left <= 0.01:
                        continue
                    block = max(1, int(min(w.poll_block, left) * 1000))
                entries = w.streams.read(p, cursor, count=w.batch, block=block)
                backoff.reset()
            except Exception as e:
                if self.stop_event.is_set():
                    break
                delay = backoff.next()
                log.warning('partition %d: reading failed (%s); retrying in %.2fs', p, e, delay)
                self.stop_event.wait(delay)
                # the server may have run the read and lost only its answer: what it gave us
                # is in our pending list now, so read that again from the start
                cursor = '0'
                continue
            if cursor != '>':
                if not entries:
                    cursor = '>'
                    continue
                cursor = entries[-1].entry_id
            if entries:
                self._hand_on(entries)

    def _hand_on(self, entries: List[Entry]) -> None:
        w, p = self.w, self.p
        try:
            done_flags = w.streams.done_ids(p, [e.update_id for e in entries])
        except Exception:
            done_flags = [False] * len(entries)
        for e, was_done in zip(entries, done_flags):
            if not self._may_act():
                return       # stopping: the rest stays pending for the partition's next reader
            seen = w._seen.setdefault(p, {})
            first = seen.get(e.update_id)
            if first == e.entry_id:
                continue                              # re-read from the pending list: ours already
            if was_done or first is not None:         # a second copy (Telegram or ingress retry)
                w.streams.ack(self.lease.token, p, [(e.entry_id, None)])
                log.debug('partition %d: update %d already handled; dropped', p, e.update_id)
                continue
            seen[e.update_id] = e.entry_id
            if len(seen) > _SEEN_MAX:                 # older ones are in the done-set in Redis
                for uid in list(itertools.islice(seen, len(seen) - _SEEN_MAX // 2)):
                    del seen[uid]
            with self.cond:
                self.inflight += 1
            w.sink.deliver(e, Ticket(e, self))


class PartitionWorker:
    """Owns a balanced share of a cluster's partitions and feeds them to a :class:`Sink`.

    :param redis: a redis-py client.
    :param keys: the cluster namespace.
    :param partitions: number of partitions (fixed per namespace).
    :param sink: where updates go.
    :param lease_ttl: seconds a dead worker's partitions stay unserved, at most.
    """

    def __init__(self, redis: Any, keys: Keys, partitions: int, sink: Sink, *,
                 lease_ttl: float = 5.0, member: Optional[str] = None, batch: int = 100,
                 max_inflight: int = 1000, poll_block: float = 0.5) -> None:
        self.member = member or '%s-%d-%s' % (socket.gethostname(), os.getpid(),
                                              uuid.uuid4().hex[:6])
        self.streams = Streams(redis, keys, partitions)
        self.leases = LeaseTable(redis, keys, self.member, ttl=lease_ttl)
        self.membership = Membership(redis, keys, self.member, ttl=lease_ttl)
        self.sink = sink
        self.batch = batch
        self.max_inflight = max_inflight
        self.poll_block = poll_block
        self.tick = lease_ttl / 4
        #: seconds a partition being handed to another worker waits for its unfinished updates
        self.handoff_grace = 2 * lease_ttl
        self._consumers: Dict[int, _Consumer] = {}
        #: per partition, update_id -> stream entry id handed on under the current lease (in
        #: order): a re-read of the same entry is skipped, a second copy of the update dropped
        self._seen: Dict[int, Dict[int, str]] = {}
        self._stop = threading.Event()
        self._draining = False
        self._thread: Optional[threading.Thread] = None
        self.owned_changed = threading.Condition()
        self.on_done: Optional[Callable[[Entry, bool], None]] = None

    # lifecycle ----------------------------------------------------------------------------
    def start(self) -> 'PartitionWorker':
        self.streams.ensure()
        self._thread = threading.Thread(target=self._control, daemon=True,
                                        name='telepot_ng-cluster-%s' % self.member)
        self._thread.start()
        return self

    def stop(self, timeout: Optional[float] = 10.0) -> None:
        """Stop reading, wait (up to ``timeout``) until what was handed on is finished --
        the leases are still renewed meanwhile, so its done-marks count -- then give the
        leases back so the other workers take the partitions over at once."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self._draining = True
        consumers = list(self._consumers.values())
        for c in consumers:
            c.stop_event.set()
        for c in consumers:
            with c.cond:
                c.cond.notify_all()
                while c.inflight and c.lease.valid():
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        break
                    c.cond.wait(0.05 if left is None else min(0.05, left))
            c.thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        self._stop.set()
        if self._thread is not None:
            self._thread.join(None if deadline is None else max(0.1, deadline - time.monotonic()))
        unfinished = sum(c.inflight for c in consumers)
        if unfinished:
            log.warning('cluster worker %s: %d update(s) not finished at stop; the next owner '
                        'delivers them again', self.member, unfinished)
        for p in list(self._consumers):
            self._drop(p, None, release=True, wait=False)
        try:
            self.membership.leave()
        except Exception:
            pass

    @property
    def owned(self) -> List[int]:
        """Partitions this worker consumes now."""
        return sorted(self._consumers)

    # control loop -------------------------------------------------------------------------
    def _control(self) -> None:
        backoff = Backoff(base=0.1, cap=2.0)
        while not self._stop.is_set():
            try:
                wait = self._step()
                backoff.reset()
            except Exception as e:
                wait = backoff.next()
                log.warning('cluster worker %s: coordination failed (%s); retrying in %.2fs',
                            self.member, e, wait)
            self._stop.wait(wait)

    def _step(self) -> float:
        """One round of coordination; returns the seconds until the next is due: a tick, or
        sooner when another member's heartbeat or a wanted partition's lease runs out then
        (a dead worker's partitions are taken over as soon as its lease is gone, not up
        to a tick later)."""
        if self._draining:               # stopping: keep what we hold alive, take nothing new
            for p, c in list(self._consumers.items()):
                renewed = self.leases.renew(c.lease)
                if renewed is not None:
                    c.lease = renewed
            return self.tick
        wake = self.tick
        members = self.membership.heartbeat()
        expiry = self.membership.next_expiry
        if expiry is not None:
            wake = min(wake, max(0.0, expiry - time.time()) + _LATE)
        if self.member not in members:
            members.append(self.member)
        mine = set(assign(members, self.streams.partitions).get(self.member, ()))
        for p, c in list(self._consumers.items()):
            if p not in mine or c.handoff_by is not None:
                # handing over: read nothing more, keep the lease while what was handed on
                # finishes (bounded), then give it back so the new owner starts at once
                if c.handoff_by is None:
                    c.handoff_by = time.monotonic() + self.handoff_grace
                    c.stop_event.set()
                    with c.cond:
                        c.cond.notify_all()
                if (c.inflight == 0 and not c.thread.is_alive()) or \
                        time.monotonic() >= c.handoff_by:
                    self._drop(p, None, release=True, wait=False)
                    continue
            if not c.thread.is_alive() and not c.stop_event.is_set():
                self._drop(p, None, release=False)
                continue
            renewed = self.leases.renew(c.lease)      # the server decides, not our clock
            if renewed is None:
                log.warning('cluster worker %s: lost the lease on partition %d (another worker '
                            'may have taken it over)', self.member, p)
                self._drop(p, None, release=False)
            else:
                c.lease = renewed
        for p in sorted(mine - set(self._consumers)):
            lease, left = self.leases.grab(p)
            if lease is not None:
                self._take(lease)
                continue
            if left is not None:            # held by another: perhaps a dead worker
                wake = min(wake, left + _LATE)
        return wake

    def _take(self, lease: Lease) -> None:
        c = _Consumer(self, lease)
        self._consumers[lease.partition] = c
        self._seen[lease.partition] = {}
        log.info('cluster worker %s: serving partition %d (epoch %d)', self.member,
                 lease.partition, lease.epoch)
        c.thread.start()
        with self.owned_changed:
            self.owned_changed.notify_all()

    def _drop(self, p: int, deadline: Optional[float], release: bool, wait: bool = True) -> None:
        c = self._consumers.pop(p, None)
        if c is None:
            return
        c.stop_event.set()
        with c.cond:
            c.cond.notify_all()
            while wait and c.inflight and release and c.lease.valid() and (
                    deadline is None or time.monotonic() < deadline):
                c.cond.wait(0.05 if deadline is None else max(0.0, min(
                    0.05, deadline - time.monotonic())))
        self.sink.forget(p)
        if release:
            try:
                self.leases.release(c.lease)
            except Exception:
                pass
        self._seen.pop(p, None)
        log.info('cluster worker %s: gave up partition %d', self.member, p)
        with self.owned_changed:
            self.owned_changed.notify_all()

    def _on_done(self, e: Entry, ok: bool) -> None:
        cb = self.on_done
        if cb is not None:
            cb(e, ok)

"""A worker process's side of the cluster: take a fair share of the partitions, read each
owned partition in order, hand its updates to the bot, acknowledge them when finished.

The worker owns a partition only while it holds the partition's lease (:mod:`.lease`).  A
partition consumer checks its lease before handing each update on; a lease it could not renew
in time stops the consumer, and whatever it had not finished is re-read by the next owner
from the stream's pending list, in order, before anything new.
"""
from __future__ import annotations

import logging
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

__all__ = ['Sink', 'CallbackSink', 'PartitionWorker']

log = _masking.logger(__name__)

Done = Callable[[Optional[Mapping[str, Optional[str]]]], bool]


class Sink(Protocol):
    """Where a worker hands updates: ``deliver(entry, done)`` must call ``done(state)`` once
    the update is finished (``state``: handler-state fields to write with the done-mark, or
    None).  ``done`` returns False when the lease was lost meanwhile (nothing was recorded).
    ``forget(partition)`` drops whatever the sink still holds for a partition that was lost."""

    def deliver(self, entry: Entry, done: Done) -> None: ...

    def forget(self, partition: int) -> None: ...


class CallbackSink:
    """Runs ``callback(update_dict, entry)`` in the partition's consumer thread, then marks
    the update done: updates of one partition run one at a time, in order."""

    def __init__(self, callback: Callable[[Dict[str, Any], Entry], Any]) -> None:
        self._cb = callback

    def deliver(self, entry: Entry, done: Done) -> None:
        try:
            self._cb(entry.update, entry)
        except Exception:
            log.exception('callback raised on update %d; marked done', entry.update_id)
        done(None)

    def forget(self, partition: int) -> None:
        pass


class _Consumer:
    """Reads one owned partition in its own thread."""

    def __init__(self, worker: 'PartitionWorker', lease: Lease) -> None:
        self.w = worker
        self.lease = lease
        self.p = lease.partition
        self.stop_event = threading.Event()
        self.inflight = 0
        self.cond = threading.Condition()
        self.thread = threading.Thread(
            target=self._run, name='telepot_ng-cluster-%s-p%d' % (worker.member, self.p),
            daemon=True)

    def _may_act(self) -> bool:
        return not self.stop_event.is_set() and self.lease.valid()

    def _run(self) -> None:
        w, p = self.w, self.p
        cursor = '0'                          # the pending list first: unfinished by the last owner
        backoff = Backoff(base=0.05, cap=2.0)
        while self._may_act():
            with self.cond:
                while self.inflight >= w.max_inflight and self._may_act():
                    self.cond.wait(0.1)
            if not self._may_act():
                break
            try:
                block = None if cursor != '>' else int(w.poll_block * 1000)
                entries = w.streams.read(p, cursor, count=w.batch, block=block)
                backoff.reset()
            except Exception as e:
                if self.stop_event.is_set():
                    break
                delay = backoff.next()
                log.warning('partition %d: reading failed (%s); retrying in %.2fs', p, e, delay)
                self.stop_event.wait(delay)
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
                return
            if was_done or e.update_id in w._seen.get(p, ()):   # a redelivery of a finished one
                w.streams.ack(self.lease.token, p, [(e.entry_id, None)])
                log.debug('partition %d: update %d already handled; dropped', p, e.update_id)
                continue
            w._seen.setdefault(p, set()).add(e.update_id)
            with self.cond:
                self.inflight += 1
            w.sink.deliver(e, self._done_for(e))

    def _done_for(self, e: Entry) -> Done:
        def done(state: Optional[Mapping[str, Optional[str]]] = None) -> bool:
            ok = False
            try:
                ok = self.lease.valid() and self.w.streams.ack(
                    self.lease.token, self.p, [(e.entry_id, e.update_id)], state)
            except Exception as ex:
                log.warning('partition %d: could not mark update %d done (%s); it will be '
                            'delivered again', self.p, e.update_id, ex)
            finally:
                with self.cond:
                    self.inflight -= 1
                    self.cond.notify_all()
                self.w._on_done(e, ok)
            if not ok:
                log.warning('partition %d: lease lost before update %d was marked done; the '
                            'next owner delivers it again', self.p, e.update_id)
            return ok
        return done


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
        self._consumers: Dict[int, _Consumer] = {}
        self._seen: Dict[int, set] = {}
        self._stop = threading.Event()
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
        """Stop consuming, let in-flight updates finish (up to ``timeout``), give leases back."""
        self._stop.set()
        deadline = None if timeout is None else time.monotonic() + timeout
        if self._thread is not None:
            self._thread.join(timeout)
        for p in list(self._consumers):
            self._drop(p, deadline, release=True)
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
                self._step()
                backoff.reset()
                wait = self.tick
            except Exception as e:
                wait = backoff.next()
                log.warning('cluster worker %s: coordination failed (%s); retrying in %.2fs',
                            self.member, e, wait)
                self._drop_expired()
            self._stop.wait(wait)

    def _step(self) -> None:
        members = self.membership.heartbeat()
        if self.member not in members:
            members.append(self.member)
        mine = set(assign(members, self.streams.partitions).get(self.member, ()))
        for p, c in list(self._consumers.items()):
            if p not in mine:
                self._drop(p, time.monotonic() + self.tick, release=True)
                continue
            if not c.thread.is_alive() and not c.stop_event.is_set():
                self._drop(p, None, release=False)
                continue
            renewed = self.leases.renew(c.lease) if c.lease.valid() else None
            if renewed is None:
                log.warning('cluster worker %s: lost the lease on partition %d', self.member, p)
                self._drop(p, None, release=False)
            else:
                c.lease = renewed
        for p in sorted(mine - set(self._consumers)):
            lease = self.leases.acquire(p)
            if lease is not None:
                self._take(lease)

    def _drop_expired(self) -> None:
        for p, c in list(self._consumers.items()):
            if not c.lease.valid():
                self._drop(p, None, release=False)

    def _take(self, lease: Lease) -> None:
        c = _Consumer(self, lease)
        self._consumers[lease.partition] = c
        self._seen[lease.partition] = set()
        log.info('cluster worker %s: serving partition %d (epoch %d)', self.member,
                 lease.partition, lease.epoch)
        c.thread.start()
        with self.owned_changed:
            self.owned_changed.notify_all()

    def _drop(self, p: int, deadline: Optional[float], release: bool) -> None:
        c = self._consumers.pop(p, None)
        if c is None:
            return
        c.stop_event.set()
        with c.cond:
            c.cond.notify_all()
            while c.inflight and release and c.lease.valid() and (
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
        s = self._seen.get(e.partition)
        if s is not None:          # finished: the done-set in Redis answers for it from now on
            s.discard(e.update_id)
        cb = self.on_done
        if cb is not None:
            cb(e, ok)

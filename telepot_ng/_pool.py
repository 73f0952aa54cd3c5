"""A bounded pool of worker threads for tasks that are submitted at most once at a time
(a delegate's mailbox), with managed blocking: a worker that announces a long wait is
replaced for its duration, and the extra worker retires when it returns.

The pool knows nothing about delegates.  A task is any object with ``run()``; whoever
submits it guarantees it is not submitted again before that ``run()`` returned (the
delegation layer does this with a per-delegate claim lock), so one task never runs on two
workers at once.

Workers start lazily, up to ``size`` busy ones; a worker idle for ``keepalive`` seconds
retires, so an idle bot holds no worker threads.  Submitting wakes at most one parked worker,
and only when no other woken worker is still on its way to the queue: a woken worker that
finds more work queued wakes the next one.  So the thread that submits (the update loop)
pays for one wake per idle-to-busy transition of the pool, not one per message.
"""
from __future__ import annotations

import _thread
import collections
import contextlib
import itertools
import threading
from typing import Any, Iterator, List, Optional

from . import _masking

__all__ = ['WorkerPool', 'managed_block']

log = _masking.logger(__name__)

_current = threading.local()      # .worker: the _Worker running in this thread, if any


class _Worker:
    __slots__ = ('pool', 'thread', 'wake', 'name')

    def __init__(self, pool: 'WorkerPool', name: str) -> None:
        self.pool = pool
        self.name = name
        self.wake = _thread.allocate_lock()
        self.wake.acquire()
        self.thread: Optional[threading.Thread] = None


class WorkerPool:
    """Runs submitted tasks on at most ``size`` busy workers (plus one spare per worker
    blocked in :func:`managed_block`, at most ``max_spares``)."""

    def __init__(self, name: str, size: int, max_spares: int = 1024,
                 keepalive: float = 10.0) -> None:
        if size < 1:
            raise ValueError('a worker pool needs at least one worker')
        self.name = name
        self.size = size
        self.max_spares = max(0, max_spares)
        self.keepalive = keepalive
        self._runq: collections.deque = collections.deque()
        self._idle: List[_Worker] = []       # parked workers, most recently parked last
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._workers = 0                   # live worker threads
        self._blocked = 0                   # workers inside managed_block()
        self._waking = 0                    # woken (or new) workers not yet at the queue
        self._cap = size                    # size + spares for blocked workers (_recap)
        self._numbers = itertools.count(1)
        self._stopping = False
        self._warned = False
        self.peak_workers = 0

    # submitting ------------------------------------------------------------------------
    def submit(self, task: Any) -> None:
        """Queue ``task``; a parked or new worker picks it up."""
        self._runq.append(task)
        # cheap unlocked test first: a worker already on its way to the queue will wake the
        # next one if it finds more work (see _work), and busy workers come back to it
        if not self._waking and (self._idle or self._workers < self._cap
                                 or self._blocked > self.max_spares):
            self._kick()

    def _recap(self) -> None:
        """How many workers may live now (the lock is held)."""
        self._cap = self.size + min(self._blocked, self.max_spares)

    def _kick(self) -> None:
        with self._lock:
            if self._waking or not self._runq or self._stopping:
                return
            if self._idle:
                w = self._idle.pop()
                self._waking += 1
                w.wake.release()
                return
            if self._workers < self._cap:
                self._start_worker()
            elif self._blocked > self.max_spares and not self._warned:
                self._warned = True
                log.warning('%s: %d workers are blocked waiting (listener.wait()) and the '
                            'limit of %d spare workers is reached; other delegates wait until '
                            'one returns (DelegatorBot(max_spare_workers=...) raises the limit)',
                            self.name, self._blocked, self.max_spares)

    def _start_worker(self) -> None:
        """Start a worker (the lock is held)."""
        w = _Worker(self, '%s-%d' % (self.name, next(self._numbers)))
        t = threading.Thread(target=self._work, args=(w,), name=w.name, daemon=False)
        w.thread = t
        self._workers += 1
        self._waking += 1
        try:
            t.start()
        except RuntimeError as e:           # the system refused a thread
            self._workers -= 1
            self._waking -= 1
            log.warning('%s: could not start another worker (%s); %d keep going, and the '
                        'next submission tries again', self.name, e, self._workers)
            return
        self.peak_workers = max(self.peak_workers, self._workers)

    # the workers ------------------------------------------------------------------------
    def _work(self, w: _Worker) -> None:
        _current.worker = w
        runq = self._runq
        me = w.thread
        with self._lock:
            self._waking -= 1
        try:
            while True:
                try:
                    task = runq.popleft()
                except IndexError:
                    if not self._park(w):
                        return
                    continue
                if runq and not self._waking and (self._idle or self._workers < self._cap):
                    self._kick()                # more queued: wake the next worker
                try:
                    task.run()
                except BaseException:           # a task's own errors are its business
                    log.exception('%s: a task raised', w.name)
                if self._workers > self._cap and self._retire(w):
                    return
        finally:
            _current.worker = None
            if me is not None:
                me.name = w.name

    def _retire(self, w: _Worker) -> bool:
        with self._lock:
            if self._workers <= self._cap and not self._stopping:
                return False
            self._workers -= 1
            self._changed.notify_all()
            return True

    def _park(self, w: _Worker) -> bool:
        """Wait for work; False when the worker retires instead."""
        t = w.thread
        if t is not None and t._name != w.name:     # idle: no longer serving anybody
            t.name = w.name
        with self._lock:
            if self._stopping or self._workers > self._cap:
                self._workers -= 1
                self._changed.notify_all()
                return False
            self._idle.append(w)
        # park first, then look again: a submit that did not see us parked is seen here
        if self._runq:
            with self._lock:
                if w in self._idle:
                    self._idle.remove(w)
                    return True
            w.wake.acquire()                    # somebody woke us meanwhile: take it
        elif not w.wake.acquire(timeout=self.keepalive):
            with self._lock:
                if w in self._idle:             # nobody woke us: retire
                    self._idle.remove(w)
                    self._workers -= 1
                    self._changed.notify_all()
                    return False
            w.wake.acquire()                    # woken just as the keep-alive ended
        with self._lock:
            self._waking -= 1
            if self._stopping and not self._runq:
                self._workers -= 1
                self._changed.notify_all()
                return False
        return True

    # managed blocking -------------------------------------------------------------------
    def _enter_block(self) -> None:
        with self._lock:
            self._blocked += 1
            self._recap()
        if self._runq and not self._waking:
            self._kick()                        # the queue must not wait for this block

    def _leave_block(self) -> None:
        with self._lock:
            self._blocked -= 1
            self._recap()

    # stopping ---------------------------------------------------------------------------
    @property
    def workers(self) -> int:
        """Live worker threads."""
        return self._workers

    def stop(self, timeout: Optional[float] = None) -> bool:
        """Let every worker finish and exit (what is queued runs first); True when all did.
        A worker calling this is not waited for (it exits after its task)."""
        me = getattr(_current, 'worker', None)
        with self._lock:
            self._stopping = True
            for w in self._idle:
                self._waking += 1
                w.wake.release()
            self._idle = []
            own = 1 if me is not None and me.pool is self else 0
            return self._changed.wait_for(lambda: self._workers <= own, timeout)

    def __repr__(self) -> str:
        return '<WorkerPool %s: %d workers (%d blocked), %d queued>' % (
            self.name, self._workers, self._blocked, len(self._runq))


def current_pool() -> Optional[WorkerPool]:
    """The pool whose worker is running this code, if any."""
    w = getattr(_current, 'worker', None)
    return None if w is None else w.pool


@contextlib.contextmanager
def managed_block() -> Iterator[None]:
    """Wrap a wait that may last: on a pool worker, the pool may start a spare worker for
    its duration (so queued delegates keep running); elsewhere it does nothing."""
    w = getattr(_current, 'worker', None)
    if w is None:
        yield
        return
    pool = w.pool
    pool._enter_block()
    try:
        yield
    finally:
        pool._leave_block()

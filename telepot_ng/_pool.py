"""A bounded pool of worker threads for tasks that are submitted at most once at a time
(a delegate's mailbox), with managed blocking: a worker that announces a long wait is
replaced for its duration, and the extra worker retires when it returns.

The pool knows nothing about delegates.  A task is any object with ``run()`` and ``name``
(the worker's thread is called by that name while it runs the task, and the task is its
:func:`current_task`); whoever submits it guarantees it is not submitted again before that
``run()`` returned (the delegation layer does this with a per-delegate claim), so one task
never runs on two workers at once.

Workers start lazily, up to ``size`` busy ones; a worker idle for ``keepalive`` seconds
retires, so an idle bot holds no worker threads.  Submitting wakes at most one parked worker,
and only when no other woken worker is still on its way to the queue (a woken worker that
finds more work queued wakes the next one) and tasks do not already wait behind busy
workers (those come back to the queue; a worker that parks ends that state, so the next
submit wakes it rather than leaving its task to the watchdog, and so does the watchdog when
it finds the queue empty -- workers blocked in long waits never park).  So the thread that submits
(the update loop) pays for one wake per idle-to-busy transition of the pool, not one per
message.

Only ``active`` workers are woken to run Python at a time (the GIL runs one thread at a
time: more only fight over it -- measured, 16 workers on a CPU-bound dispatch ran at less
than half the rate of one).  A worker stops counting as active while it waits in
:func:`managed_block`.  While tasks are queued, a watchdog looks every millisecond and
wakes another worker, up to ``size``, when no worker has started a task since its last look
(the active ones are blocked in something the pool cannot see -- the same rule as
:class:`~telepot_ng._mailbox.Waker`) or when workers wait on the network (a Bot API call
marks its worker with :func:`io_begin`) so that fewer than ``active`` run Python: handlers
whose calls take a fraction of a millisecond keep tasks starting, and without the second
rule only ``active`` of their calls would ever be in flight (measured, echo storm: 2,703 ->
3,008 replies/s, the thread-per-handler code before the pool 3,080).
"""
from __future__ import annotations

import _thread
import collections
import contextlib
import itertools
import os
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

from . import _masking

__all__ = ['WorkerPool', 'IdleTimers', 'managed_block', 'io_begin', 'io_end', 'current_task',
           'leave_task']

log = _masking.logger(__name__)

_current = threading.local()      # .worker: the _Worker running in this thread, if any


class _Worker:
    __slots__ = ('pool', 'thread', 'wake', 'name', 'io', 'task')

    def __init__(self, pool: 'WorkerPool', name: str) -> None:
        self.pool = pool
        self.name = name
        self.io = False         # waiting on the network (see io_begin)
        self.task: Any = None   # the task it is running (see current_task)
        self.wake = _thread.allocate_lock()
        self.wake.acquire()
        self.thread: Optional[threading.Thread] = None


class _WorkerThread(threading.Thread):
    """A worker's thread: its ``name`` is the name of the task it is running (what logging's
    ``threadName`` and ``threading.current_thread().name`` show), else the worker's own.

    Read when asked rather than stored per task: a store per task took a reference to the
    task's name, an object of its own per delegate, in no CPU cache when a worker serves a
    chat that was idle."""

    _worker: '_Worker'

    @property                                   # type: ignore[override]
    def name(self) -> str:
        task = self._worker.task
        return self._name if task is None else task.name

    @name.setter
    def name(self, name: str) -> None:
        self._name = str(name)


class WorkerPool:
    """Runs submitted tasks on at most ``size`` busy workers (plus one spare per worker
    blocked in :func:`managed_block`, at most ``max_spares``)."""

    def __init__(self, name: str, size: int, max_spares: int = 1024,
                 keepalive: float = 10.0, active: Optional[int] = None) -> None:
        if size < 1:
            raise ValueError('a worker pool needs at least one worker')
        self.name = name
        self.size = size
        #: workers woken to run at once (more only while the running ones are blocked)
        self.active = min(size, active if active is not None else max(2, os.cpu_count() or 1))
        self.max_spares = max(0, max_spares)
        self.keepalive = keepalive
        self._runq: collections.deque = collections.deque()
        self._idle: List[_Worker] = []       # parked workers, most recently parked last
        self._live: List[_Worker] = []       # every live worker (the watchdog looks at .io)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._workers = 0                   # live worker threads
        self._blocked = 0                   # workers inside managed_block()
        self._waking = 0                    # woken (or new) workers not yet at the queue
        self._cap = size                    # size + spares for blocked workers (_recap)
        self._numbers = itertools.count(1)
        self._watching = False              # the watchdog is on
        #: tasks wait behind busy workers (no worker could be woken for them): submits leave
        #: them to those workers and the watchdog; cleared by a worker that parks, and by
        #: the watchdog when it finds the queue empty
        self._saturated = False
        self._watch_wake = _thread.allocate_lock()
        self._watch_wake.acquire()
        self._watchdog: Optional[threading.Thread] = None
        self._stopping = False
        self._warned = False
        self.peak_workers = 0

    # submitting ------------------------------------------------------------------------
    def submit(self, task: Any) -> None:
        """Queue ``task``; a parked or new worker picks it up."""
        self._runq.append(task)
        # cheap unlocked tests first: a worker already on its way to the queue will wake the
        # next one if it finds more work (see _work), and when tasks already wait behind busy
        # workers those come back to them (and the watchdog looks after them)
        if not self._waking and not self._saturated:
            self._more()

    def _more(self) -> None:
        """Tasks are queued: wake or start a worker if the rules allow, else have the
        watchdog look after them."""
        if (self._idle or self._workers < self._cap) and self._running() < self.active \
                and self._kick():
            return
        self._saturated = True
        if not self._watching:
            self._watch()
        if self._blocked > self.max_spares and not self._warned:
            self._kick()

    def _running(self) -> int:
        """Workers running a task and not waiting in managed_block() (approximate)."""
        return self._workers - len(self._idle) - self._blocked - self._waking

    def _recap(self) -> None:
        """How many workers may live now (the lock is held)."""
        self._cap = self.size + min(self._blocked, self.max_spares)

    def _kick(self, force: bool = False) -> bool:
        """Wake or start one worker; True if one is on its way to the queue."""
        with self._lock:
            if self._waking or not self._runq or self._stopping:
                return True
            if not force and self._running() >= self.active:
                return False
            if self._idle:
                w = self._idle.pop()
                self._waking += 1
                w.wake.release()
                return True
            if self._workers < self._cap:
                return self._start_worker()
            if self._blocked > self.max_spares and not self._warned:
                self._warned = True
                log.warning('%s: %d workers are blocked waiting (listener.wait()) and the '
                            'limit of %d spare workers is reached; other delegates wait until '
                            'one returns (DelegatorBot(max_spare_workers=...) raises the limit)',
                            self.name, self._blocked, self.max_spares)
            return False

    def _start_worker(self) -> bool:
        """Start a worker (the lock is held)."""
        w = _Worker(self, '%s-%d' % (self.name, next(self._numbers)))
        t = _WorkerThread(target=self._work, args=(w,), name=w.name, daemon=False)
        t._worker = w
        w.thread = t
        self._workers += 1
        self._waking += 1
        self._live.append(w)
        try:
            t.start()
        except RuntimeError as e:           # the system refused a thread
            self._workers -= 1
            self._waking -= 1
            self._live.remove(w)
            log.warning('%s: could not start another worker (%s); %d keep going, and the '
                        'next submission tries again', self.name, e, self._workers)
            return False
        self.peak_workers = max(self.peak_workers, self._workers)
        return True

    # the workers ------------------------------------------------------------------------
    def _work(self, w: _Worker) -> None:
        _current.worker = w
        runq = self._runq
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
                if runq and not self._waking and not self._saturated:
                    self._more()                # more queued: wake the next worker
                w.task = task                   # (also what its thread's name says)
                try:
                    task.run()
                except BaseException:           # a task's own errors are its business
                    log.exception('%s: a task raised', w.name)
                w.task = task = None            # (a parked worker keeps no task alive)
                if self._workers > self._cap and self._retire(w):
                    return
        finally:
            _current.worker = None
            w.task = None
            with self._lock:
                if w in self._live:
                    self._live.remove(w)

    def _retire(self, w: _Worker) -> bool:
        with self._lock:
            if self._workers <= self._cap and not self._stopping:
                return False
            self._workers -= 1
            self._changed.notify_all()
            return True

    def _park(self, w: _Worker) -> bool:
        """Wait for work; False when the worker retires instead."""
        with self._lock:
            if self._stopping or self._workers > self._cap:
                self._workers -= 1
                self._changed.notify_all()
                return False
            self._idle.append(w)
            self._saturated = False             # a submit from now on wakes a worker
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

    # the watchdog -----------------------------------------------------------------------
    def _watch(self) -> None:
        """Tasks wait behind busy workers: have the watchdog look every millisecond."""
        with self._lock:
            if self._watching or self._stopping:
                return
            self._watching = True
            if self._watchdog is None:
                t = threading.Thread(target=self._watch_loop, name=self.name + '-watchdog',
                                     daemon=True)        # it runs no user code
                self._watchdog = t
                t.start()
            else:
                self._watch_wake.release()

    def _watch_loop(self) -> None:
        runq = self._runq
        last: Any = None
        while not self._stopping:
            try:
                head = runq[0]
            except IndexError:
                head = None
            if head is not None:
                # the task at the head of the queue is the one it was a tick ago: no task
                # started meanwhile (a task is queued at most once at a time, so the workers
                # would have taken it; counting starts instead costs the workers a write per
                # task to memory the submitting thread reads)
                if not self._waking and (head is last or self._io_bound()):
                    # the running workers are blocked in something the pool cannot see; or
                    # some wait on the network, so fewer than ``active`` run Python: let one
                    # more run (up to size)
                    self._kick(force=True)
                last = head
                time.sleep(0.001)
                continue
            with self._lock:
                if self._runq:
                    continue
                self._watching = False
                # the queue drained: no task waits behind busy workers any more. (Workers
                # blocked for long never park, so without this, submits would go on
                # leaving their tasks to a watchdog that no longer looks.)
                self._saturated = False
            if self._runq:
                self._more()            # a submit that came before the line above left it
            last = None
            woken = self._watch_wake.acquire(timeout=self.keepalive)
            if not woken and not self._stopping:
                with self._lock:
                    if not self._watching:          # nothing to watch for a while: retire
                        self._watchdog = None
                        return
                self._watch_wake.acquire()          # re-armed as we timed out
        with self._lock:
            self._watchdog = None

    def _io_bound(self) -> bool:
        """Whether workers wait on the network (io_begin) so that fewer than ``active``
        run Python."""
        io = 0
        for w in self._live:
            if w.io:
                io += 1
        return io > 0 and self._running() - io < self.active

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
            watchdog = self._watchdog
            if watchdog is not None:
                try:
                    self._watch_wake.release()
                except RuntimeError:
                    pass
            for w in self._idle:
                self._waking += 1
                w.wake.release()
            self._idle = []
            own = 1 if me is not None and me.pool is self else 0
            done = self._changed.wait_for(lambda: self._workers <= own, timeout)
        if watchdog is not None:
            watchdog.join(timeout)
        return done

    def __repr__(self) -> str:
        return '<WorkerPool %s: %d workers (%d blocked), %d queued>' % (
            self.name, self._workers, self._blocked, len(self._runq))


class _Deadlines(collections.OrderedDict):
    """The tasks of one timeout value, least recently touched first."""
    __slots__ = ('timeout',)        # (read by every busy turn: a slot is the quicker read)

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout


class IdleTimers:
    """Idle deadlines of many tasks, cheap to keep moving: a task ``touch``-ed at the end of
    each busy turn is due ``timeout`` seconds after its ``last_active`` (monotonic) unless
    touched again; one thread calls ``task.timed_out()`` when it is.

    Per timeout value, an ordered dict holds the tasks by ``timer_at``, the ``last_active``
    they were placed with, oldest first. A busy turn only sets ``last_active`` (nothing is
    moved, pushed or cancelled per message); the thread, finding at the head a task whose
    ``last_active`` moved past its ``timer_at``, moves it to the end then -- at most once per
    timeout for a busy task -- so the first task whose place is current is the next to come
    due (``last_active`` only grows, and the order of ``timer_at`` is the order of the dict).
    ``task.timer`` is the dict the task is in (None: none).  The thread removes a due task
    before calling ``timed_out()``, which either queues the idle step or touches it again.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._lists: Dict[float, _Deadlines] = {}
        self._cond = threading.Condition(threading.Lock())
        self._thread: Optional[threading.Thread] = None
        self._stopped = False

    def touch(self, task: Any, timeout: float) -> None:
        """``task`` was active (its ``last_active`` is set): due ``timeout`` from then.
        (A task already in that timeout's list stays where it is -- the thread moves it when
        it gets there -- so a caller that sees ``task.timer.timeout == timeout`` may skip
        this call: a task the thread took out meanwhile is touched by its ``timed_out()``.)"""
        lst = self._lists.get(timeout)
        if lst is None:
            lst = self._new_list(timeout)
        old = task.timer
        if old is lst and task in lst:
            return                      # in place: the thread moves it when it gets there
        if old is not None and old is not lst:
            old.pop(task, None)         # its timeout changed
        task.timer = lst
        task.timer_at = task.last_active
        lst[task] = None
        lst.move_to_end(task)           # (if it was still there after all)
        if len(lst) == 1:               # the thread may sleep past this one's deadline
            with self._cond:
                self._cond.notify()

    def drop(self, task: Any) -> None:
        """``task`` ended: no deadline any more."""
        lst = task.timer
        if lst is not None:
            task.timer = None
            lst.pop(task, None)

    @property
    def pending(self) -> int:
        """Tasks with a deadline."""
        return sum(len(lst) for lst in list(self._lists.values()))

    def _new_list(self, timeout: float) -> _Deadlines:
        with self._cond:
            if self._stopped:
                raise RuntimeError('the idle timers have been stopped')
            lst = self._lists.get(timeout)
            if lst is None:
                lst = self._lists[timeout] = _Deadlines(timeout)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()        # it runs no user code (timed_out() only queues)
            return lst

    def _run(self) -> None:
        cond = self._cond
        while True:
            due = []
            with cond:
                while not due:
                    if self._stopped:
                        return
                    now = time.monotonic()
                    wait: Optional[float] = None
                    for timeout, lst in list(self._lists.items()):
                        while lst:
                            try:
                                task = next(iter(lst))
                            except (StopIteration, RuntimeError):   # changed meanwhile
                                break
                            last = task.last_active
                            if last != task.timer_at:       # active since it was placed
                                try:
                                    lst.move_to_end(task)
                                except KeyError:            # dropped meanwhile
                                    continue
                                task.timer_at = last
                                continue
                            left = last + timeout - now
                            if left > 0.001:
                                wait = left if wait is None else min(wait, left)
                                break
                            if lst.pop(task, 0) is None:
                                if task.timer is lst:
                                    task.timer = None
                                due.append(task)
                    if not due:
                        cond.wait(wait)
            for task in due:
                try:
                    task.timed_out()
                except Exception:
                    log.exception('%s: an idle check raised', self.name)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
            t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(5)


def io_begin() -> Optional[_Worker]:
    """This thread is about to wait on the network (a Bot API call; its GIL is let go): on
    a pool worker, the watchdog may let another worker run meanwhile, so handlers that spend
    their time in requests overlap them.  Returns what :func:`io_end` takes.  (Cheaper than
    :func:`managed_block`, which takes the pool's lock and may wake a worker at once: here
    the watchdog looks at most once a millisecond, while tasks wait.)"""
    w = getattr(_current, 'worker', None)
    if w is not None:
        w.io = True
    return w


def io_end(w: Optional[_Worker]) -> None:
    """The wait :func:`io_begin` announced is over."""
    if w is not None:
        w.io = False


def current_task() -> Any:
    """The task a pool worker is running in this thread (None elsewhere, or after the task
    called :func:`leave_task`)."""
    w = getattr(_current, 'worker', None)
    return None if w is None else w.task


def leave_task() -> None:
    """The running task's own work is over: what it runs from now on (its clean-up) runs
    as no task's (:func:`current_task` is None)."""
    w = getattr(_current, 'worker', None)
    if w is not None:
        w.task = None


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

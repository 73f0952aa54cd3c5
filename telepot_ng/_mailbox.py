"""How delegate threads sleep and wake: a FIFO mailbox per listener and a waker that
releases sleeping threads a few at a time."""
from __future__ import annotations

import _thread
import collections
import queue as _queue_mod
import threading
import time
from typing import Any, Optional

__all__ = ['Mailbox', 'Waker', 'EMPTY']


class Mailbox:
    """A listener's FIFO.  Putting into it never wakes its thread directly: a sleeping
    owner is handed to the bot's :class:`Waker`, which wakes threads a few at a time.

    Why: waking a thread per message makes every woken thread compete for the GIL with the
    dispatcher at once; with hundreds of live chats the dispatcher then runs a few
    microseconds per GIL turn (measured: 14,000 updates/s at 1,000 chats, 1,800 at
    10,000).  Deferred, bounded wakes let each woken thread drain several messages per turn.

    A mailbox may instead belong to a delegate run by a worker pool (``_task``): a put then
    submits the delegate to the pool unless it is already queued or running (it is
    claimed: see ``_Slot.claim_and_submit``).  A pool worker blocked in ``get`` is woken through the waker as above.

    Most mailboxes hold at most one message at a time (a handler is idle between the
    messages of its chat), so the oldest message waits in a one-item slot, ``_one``, and a
    deque is allocated only when a second message arrives while one waits (a deque is ~600
    bytes and a tracked object; measured: 100,000 chats each getting a message made 100,000
    of them).  Order: a put fills ``_one`` only when ``_one`` and the deque are both empty,
    so what ``_one`` holds is older than everything in the deque, and the owner takes
    ``_one`` first.  Until a deque is needed ``_dq`` is an empty stand-in, so readers must
    look ``_dq`` up afresh.

    Four fields, so a mailbox is one 64-byte block of memory, one cache line (what a message
    to a chat that is in no CPU cache costs both the thread that puts and the one that
    takes): ``_wait`` is the waker until the first blocking ``get`` makes it the
    :class:`_Sleep` that says whether the owner sleeps, with its lock (most pooled handlers
    never block).

    Producers: the microphone's puts hold the routing lock; other threads may put too (a
    user thread filling a handler's queue). A put's test-and-store steps contain no call at
    which CPython switches threads except the deque's creation, after which it looks again.
    ``get`` is called by the owner only.
    """
    __slots__ = ('_one', '_dq', '_task', '_wait')

    def __init__(self, waker: 'Waker') -> None:
        self._one: Any = EMPTY
        self._dq: Any = _NO_ITEMS
        self._task: Any = None
        self._wait: Any = waker

    def put(self, item: Any) -> None:
        dq = self._dq
        if self._one is EMPTY and not dq:
            self._one = item
        else:
            if dq is _NO_ITEMS:
                new = collections.deque()
                # look again: another producer thread may have made one while this one was
                # made (a thread switch can come at that call); both must append to one
                dq = self._dq
                if dq is _NO_ITEMS:
                    dq = self._dq = new
            dq.append(item)
        wait = self._wait
        if wait.__class__ is _Sleep and wait.sleeping:
            wait.sleeping = False
            wait.waker.schedule(wait)
        else:
            task = self._task
            if task is not None and not task.claim:
                # (task.claim_and_submit(), inlined for the microphone, which holds the
                # routing lock the claim is taken under)
                if task.bot._lock._is_owned():
                    task.claim = True
                    task.pool.submit(task)
                else:
                    task.claim_and_submit()

    put_nowait = put

    def take(self) -> Any:
        """The oldest item, or :data:`EMPTY` (the owner only)."""
        item = self._one
        if item is not EMPTY:
            self._one = EMPTY           # a put sees _one full until now: it used the deque
            return item
        dq = self._dq
        return dq.popleft() if dq else EMPTY

    def unget(self, item: Any) -> None:
        """Put back what the owner took last: it comes out first again."""
        dq = self._dq
        if dq is _NO_ITEMS:
            dq = self._dq = collections.deque()
        dq.appendleft(item)             # puts go to the deque from now on (not empty)
        one = self._one
        if one is not EMPTY:            # put after ``item`` was taken: it comes after it
            self._one = EMPTY
            dq.insert(1, one)

    def get_nowait(self) -> Any:
        item = self.take()
        if item is EMPTY:
            raise _queue_mod.Empty
        return item

    def get(self, block: bool = True, timeout: Optional[float] = None) -> Any:
        item = self.take()
        if item is not EMPTY:
            return item
        if not block:
            raise _queue_mod.Empty
        wait = self._wait
        if wait.__class__ is not _Sleep:
            wait = self._wait = _Sleep(wait)
        sem = wait.sem
        waker = wait.waker
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait.sleeping = True
            if self._one is not EMPTY or self._dq:     # a put raced with us
                wait.sleeping = False
                item = self.take()
                if item is EMPTY:
                    continue
                return item
            waker.asleep(wait)
            if deadline is None:
                sem.acquire()
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sem.acquire(timeout=remaining):
                    wait.sleeping = False
                    item = self.take()
                    if item is EMPTY:
                        raise _queue_mod.Empty
                    return item
            wait.sleeping = False
            item = self.take()
            if item is not EMPTY:
                return item
            # a stale wake-up: sleep again

    def qsize(self) -> int:
        return len(self._dq) + (self._one is not EMPTY)

    def empty(self) -> bool:
        return self._one is EMPTY and not self._dq


class _Sleep:
    """How a mailbox's owner sleeps in ``get``: ``sleeping`` while it waits on ``sem`` (a
    put wakes it through ``waker``); ``counted`` while the waker counts it awake."""
    __slots__ = ('sleeping', 'sem', 'counted', 'waker')

    def __init__(self, waker: 'Waker') -> None:
        self.sleeping = False
        self.sem = _thread.allocate_lock()
        self.sem.acquire()
        self.counted = False
        self.waker = waker


#: The contents of a mailbox nothing was ever put into (shared, always empty): an empty
#: tuple, whose length and truth are C's (a mailbox's deque is looked at after every message
#: and at every turn's end); read it only after testing that it is not empty.
_NO_ITEMS: Any = ()

#: What :meth:`Mailbox.take` returns when the mailbox is empty (and what ``_one`` holds then).
EMPTY: Any = object()


class Waker:
    """Wakes sleeping mailbox owners in FIFO order, keeping at most ``limit`` of them
    awake-but-not-yet-asleep-again at a time (a thread blocked in I/O for more than a
    millisecond stops counting, so slow handlers never stall the others)."""

    def __init__(self, name: str, limit: int = 16) -> None:
        self._name = name
        self._limit = limit
        self._pending: collections.deque = collections.deque()
        self._signal = _thread.allocate_lock()
        self._signal.acquire()
        self._armed = False
        self._cond = threading.Condition(threading.Lock())
        self._active = 0
        self._stopped = False
        self._thread: Optional[threading.Thread] = None
        self._start_lock = threading.Lock()

    def schedule(self, sleep: _Sleep) -> None:
        if self._stopped:                 # no throttling after stop(): wake directly
            try:
                sleep.sem.release()
            except RuntimeError:
                pass
            return
        self._pending.append(sleep)
        if not self._armed:
            self._armed = True
            if self._thread is None:
                self._start()
            try:
                self._signal.release()
            except RuntimeError:
                pass

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def asleep(self, sleep: _Sleep) -> None:
        if sleep.counted:
            with self._cond:
                if sleep.counted:
                    sleep.counted = False
                    if self._active > 0:
                        self._active -= 1
                    if self._active <= self._limit // 2:
                        self._cond.notify()

    def _run(self) -> None:
        pending = self._pending
        limit = self._limit
        while True:
            self._signal.acquire()
            self._armed = False
            if self._stopped:
                return
            while pending:
                with self._cond:
                    if self._active >= limit and not self._cond.wait(0.001):
                        self._active = 0            # the awake ones are busy elsewhere (I/O)
                    room = max(limit - self._active, 1)
                    for _ in range(room):
                        try:
                            sleep = pending.popleft()
                        except IndexError:
                            break
                        if not sleep.counted:
                            sleep.counted = True
                            self._active += 1
                        try:
                            sleep.sem.release()
                        except RuntimeError:        # already released: it will wake anyway
                            pass

    def stop(self) -> None:
        self._stopped = True
        try:
            self._signal.release()
        except RuntimeError:
            pass
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(5)
        # whoever is still pending wakes now, so no thread sleeps forever
        while self._pending:
            sleep = self._pending.popleft()
            try:
                sleep.sem.release()
            except RuntimeError:
                pass

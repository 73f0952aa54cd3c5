"""Listeners and delegates as asyncio tasks: telepot_ng.delegation's microphone, capture
index, seeds, registry and hand-over (the same code), with a mailbox awaited by a task
instead of a thread and a task per delegate."""
from __future__ import annotations

import asyncio
import collections
import inspect
import queue as _queue_mod
from typing import Any, Callable, Optional, Sequence, Tuple

from .. import _flow, _masking, inflight
from .._mailbox import Mailbox as _SyncMailbox
from ..delegation import (Delegation, Listener as _SyncListener, Microphone, Speaker,
                          _DelegatesStopper, _describe_target, _Slot)
from ..exception import WaitTooLong
from .bot import Bot, Quiet

__all__ = ['Mailbox', 'Listener', 'Microphone', 'SpeakerBot', 'DelegatorBot']

log = _masking.logger(__name__)


def _wake(fut: 'asyncio.Future[None]') -> None:
    if not fut.done():
        fut.set_result(None)


class Mailbox(_SyncMailbox):
    """A listener's FIFO, awaited by its delegate's task: telepot_ng's mailbox (its deque
    made by the first put, ``get_nowait``, ``qsize``, ``empty``) whose ``put`` (from the
    event loop's thread: the microphone delivers there) wakes the waiting task."""
    __slots__ = ('_waiter',)

    def __init__(self) -> None:
        super().__init__(None)                      # no waker: no thread sleeps here
        self._waiter: Optional['asyncio.Future[None]'] = None

    def put(self, item: Any) -> None:
        dq = self._dq
        if not dq.__class__ is collections.deque:
            dq = self._dq = collections.deque()
        dq.append(item)
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            _wake(waiter)

    put_nowait = put

    async def get(self, block: bool = True,            # type: ignore[override]
                  timeout: Optional[float] = None) -> Any:
        """The next item; ``queue.Empty`` after ``timeout`` seconds without one."""
        if self._dq:
            return self._dq.popleft()
        if not block:
            raise _queue_mod.Empty
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self._dq:
            if deadline is not None and loop.time() >= deadline:
                raise _queue_mod.Empty
            waiter = self._waiter = loop.create_future()
            timer = None if deadline is None else loop.call_at(deadline, _wake, waiter)
            try:
                await waiter
            finally:
                if timer is not None:
                    timer.cancel()
                if self._waiter is waiter:
                    self._waiter = None
        return self._dq.popleft()


class Listener(_SyncListener):
    """telepot_ng.delegation.Listener whose :meth:`wait` is a coroutine."""

    async def wait(self) -> Any:          # type: ignore[override]
        """Wait for a captured message and return it: WaitTooLong after the ``timeout``
        option's seconds without one, StopListening when the bot stops."""
        timeout = self._wait_timeout()
        try:
            item = await self._entry.queue.get(True, timeout)
        except _queue_mod.Empty:
            raise WaitTooLong(timeout) from None
        return self._received(item)


class SpeakerBot(Speaker, Bot):
    """An aio Bot with a :class:`~telepot_ng.delegation.Microphone` (``mic``), whose
    listeners (``create_listener()``: an aio :class:`Listener`) capture messages sent to it."""

    def __init__(self, token: str, loop: Optional[asyncio.AbstractEventLoop] = None,
                 **kwargs: Any) -> None:
        super().__init__(token, loop, **kwargs)
        self._setup_mic()

    def _listener(self) -> Listener:
        return Listener(self._mic, Mailbox())


class DelegatorBot(Delegation, SpeakerBot):
    """An aio Bot that runs a task per delegate: ``DelegatorBot(token, [(seed_function,
    coroutine_producing_function), ...])`` with telepot's seed semantics.  A producer
    returns a coroutine object (telepot_ng.aio.delegate's do), or a function run in the
    delegate's task.

    Messages are delivered to the delegates' listeners as they arrive; each delegate takes
    its own in order, delegates run concurrently; what a delegate leaves when it ends goes
    to the next delegate of its seed.

    :param max_delegates: optional cap on live delegate tasks; at the cap a new seed's
        messages wait, in order, until a delegate ends.
    """

    def __init__(self, token: str, delegation_patterns: Sequence[Tuple[Callable, Callable]],
                 loop: Optional[asyncio.AbstractEventLoop] = None, *,
                 max_delegates: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(token, loop, **kwargs)
        self._setup_delegation(delegation_patterns, max_delegates)
        self._ended = Quiet()
        self._register_stoppable(_DelegatesStopper(self), self._STOP_DELEGATES)

    # tasks ------------------------------------------------------------------------------
    def _start(self, slot: _Slot, delegate: Any) -> bool:
        if delegate is None:
            return False
        if inspect.isawaitable(delegate):
            work, target = delegate, delegate
        elif callable(delegate):
            work, target = _flow.call(delegate), delegate
        elif isinstance(delegate, tuple) and len(delegate) == 3 and callable(delegate[0]):
            work = _flow.call(delegate[0], *delegate[1], **dict(delegate[2]))
            target = delegate[0]
        else:
            raise TypeError('a delegate is a coroutine, a function, or a (function, args, '
                            'kwargs) tuple; got %r' % (delegate,))
        name = getattr(target, '__qualname__', None) or _describe_target(target)
        slot.name = '%s[%s]' % (name, slot.seed if slot.hashable else 'msg')
        return self._launch_task(slot, work)

    def _launch_task(self, slot: _Slot, work: Any) -> bool:
        slot.obj = None
        slot._reroute()
        self._live[slot] = slot
        slot.thread = asyncio.get_running_loop().create_task(self._run_slot(slot, work),
                                                              name=slot.name)
        return True

    def _launch(self, slot: _Slot) -> bool:
        return True               # a task always starts: no slot waits for one

    def _all_ended(self) -> None:
        self._ended.poke()

    async def _run_slot(self, slot: _Slot, work: Any) -> None:
        inflight.new_custody()                 # in this task's own context
        await _flow.arun(self._slot_flow(slot, lambda: work))

    # stopping ---------------------------------------------------------------------------
    async def _stop_delegates(self, timeout: Optional[float],
                              reason: str = 'bot is stopping') -> None:
        me = asyncio.current_task()
        with self._lock:
            self._signal_stop(reason)
        await self._ended.until(lambda: not self._busy(me), timeout)
        stuck = [s.thread for s in self._live.values() if s.thread is not me]
        self._stopping = None                 # the bot may be started again
        if stuck:
            log.warning('%d delegate task(s) still running after %.1f s; cancelled: %s',
                        len(stuck), timeout or 0,
                        ', '.join(t.get_name() for t in stuck[:10]))
            for t in stuck:
                t.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)

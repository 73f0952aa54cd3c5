"""Update loops for telepot_ng.aio: get updates (long polling, a webhook's feed, or an
``asyncio.Queue``), put them in order, hand each to user code exactly once, stop cleanly.

The bookkeeping is telepot_ng.loop's (PollState, Orderer, admit, Backoff): only the waiting
differs.  A handler that is a plain function is called in the loop (a DelegatorBot's
``handle`` dispatches there); one that returns an awaitable (``async def``) runs as a task,
the messages of one chat one after another and different chats concurrently.  Stopping
(``await bot.stop()``, ``await loop.stop()``, SIGTERM, or Ctrl-C in a loop run with
``run_forever``) stops fetching, confirms what was handed on to Telegram, and lets the
running handlers finish.
"""
from __future__ import annotations

import asyncio
import collections
import inspect
import signal
import threading
import time
from typing import Any, Callable, Deque, Dict, Iterable, List, Optional, Set

from .. import _flow, _masking
from .._encoding import raw_answer as _raw_answer
from .. import inflight as _inflight
from ..api import deadline as _api_deadline
from ..flavors import _NAMES_63
from ..loop import (CONFIRM_TIME, DEFAULT_GRACE, Backoff, LoopCore, Orderer, PollLoop,
                    _admit, _bot_label, _decode, _resolve_callback, _unwrap, admit)
from ..loop import _Front as _SyncFront
from ..scheduler import Scheduler
from .bot import Quiet

__all__ = ['MessageLoop', 'Webhook', 'OrderedWebhook', 'DEFAULT_GRACE']

log = _masking.logger(__name__)


# ============================================================================================
# Delivery: plain functions in the loop, coroutines as tasks, one chat at a time


def lane_key(msg: Any) -> Any:
    """The chat a message belongs to (its handlers run one after another), or None."""
    try:
        chat = msg.get('chat')
        if chat is None:
            m = msg.get('message')
            chat = m.get('chat') if isinstance(m, dict) else None
        if chat is not None:
            return chat['id']
        user = msg.get('from') or msg.get('user')
        return ('user', user['id']) if user is not None else None
    except (AttributeError, KeyError, TypeError):
        return None


class Lanes:
    """Runs awaitables handed in for one key one after another, keys concurrently; errors
    are logged.  ``join()`` waits for everything handed in (nothing is dropped at a stop)."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._lanes: Dict[Any, Deque[Any]] = {}
        self._tasks: Set['asyncio.Task[None]'] = set()
        self._idle = Quiet()

    def __len__(self) -> int:
        return len(self._tasks)

    def push(self, key: Any, work: Any, msg: Any, done: Callable[[], Any]) -> None:
        """Run ``work`` after the key's earlier ones; then call ``done()``."""
        lane = self._lanes.get(key) if key is not None else None
        if lane is not None:
            lane.append((work, msg, done))
            return
        lane = collections.deque([(work, msg, done)])
        if key is not None:
            self._lanes[key] = lane
        task = asyncio.get_running_loop().create_task(self._drain(key, lane))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: 'asyncio.Task[None]') -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.poke()

    async def _drain(self, key: Any, lane: Deque[Any]) -> None:
        try:
            while lane:
                work, msg, done = lane[0]
                try:
                    await work
                except Exception:
                    log.exception('%s: handler raised on update %s (%s); the loop goes on',
                                  self._label, getattr(msg, 'update_id', None),
                                  getattr(msg, 'update_type', None))
                finally:
                    done()
                lane.popleft()
        finally:
            if key is not None and self._lanes.get(key) is lane:
                del self._lanes[key]
            for work, _, done in list(lane)[1:] if lane else ():   # cancelled: never ran
                close = getattr(work, 'close', None)
                if close is not None:
                    close()
                done()

    async def join(self, timeout: Optional[float]) -> None:
        """Wait until every handler handed in has run; cancel what still runs after
        ``timeout`` seconds (logged)."""
        if not await self._idle.until(lambda: not self._tasks, timeout):
            tasks = list(self._tasks)
            log.warning('%s: %d handler task(s) still running after %ss; cancelled',
                        self._label, len(tasks), timeout)
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


class _Deliver:
    """The last stage of every loop: user code gets the message, which is unfinished (see
    telepot_ng.inflight) until the callback returns -- or, for a coroutine, until it is
    done; errors are contained."""

    def __init__(self, bot: Any, callback: Any, label: str, events: bool) -> None:
        self.fn = _resolve_callback(bot, callback)
        self.label = label
        self.lanes = Lanes(label)
        self.names = None if events else _NAMES_63     # telepot 6.3's flavor names
        self.tracker = _inflight.of(bot)

    def __call__(self, msg: Any) -> None:
        msg._names = self.names
        uid = msg.update_id
        tracker = self.tracker
        tracker.take(uid)
        try:
            result = self.fn(msg)
        except Exception:
            log.exception('%s: callback raised on update %s (%s); the loop goes on',
                          self.label, uid, msg.update_type)
            tracker.release(uid)
            return
        if inspect.isawaitable(result):
            self.lanes.push(lane_key(msg), result, msg, lambda: tracker.release(uid))
        else:
            tracker.release(uid)

    def event(self, data: Any) -> None:
        """A scheduler event (telepot 12): to the same handler, in the event loop."""
        try:
            result = self.fn(data)
        except Exception:
            log.exception('%s: handling a scheduled event raised', self.label)
            return
        if inspect.isawaitable(result):
            self.lanes.push(None, result, data, lambda: None)


# ============================================================================================
# Sources


class _Source(LoopCore):
    """One task that fetches updates for a bot; registered so ``bot.stop()`` stops it."""

    prefix = 'telepot_ng-aio'

    def __init__(self, bot: Any, deliver: _Deliver) -> None:
        super().__init__(bot, deliver)
        self._task: Optional['asyncio.Task[None]'] = None
        self._wakeup: Optional[asyncio.Event] = None

    @property
    def running(self) -> bool:
        t = self._task
        return t is not None and not t.done() and not self._stopping

    def start(self) -> '_Source':
        if self._task is not None and not self._task.done():
            raise RuntimeError('%s is already running' % self._label)
        self._stopping = False
        self._wakeup = asyncio.Event()
        self._bot._register_stoppable(self, self._bot._STOP_SOURCES)
        self._task = asyncio.get_running_loop().create_task(self._main(), name=self._label)
        return self

    async def _main(self) -> None:
        try:
            await self._run()
        except asyncio.CancelledError:
            raise
        except Exception as e:          # a bug; never silent
            self.error = e
            log.critical('%s: loop ended by %s', self._label, type(e).__name__, exc_info=True)
        finally:
            log.debug('%s: ended', self._label)

    async def _run(self) -> None:
        raise NotImplementedError

    def _io(self, fn: Callable[..., Any], *args: Any) -> Any:
        return asyncio.to_thread(fn, *args)     # store I/O off the event loop

    async def _sleep(self, seconds: float) -> None:
        """Sleep, cut short by stop()."""
        assert self._wakeup is not None
        try:
            await asyncio.wait_for(self._wakeup.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    def _interrupt(self) -> None:
        """Hook: make the task notice the stop request now."""

    async def stop(self, timeout: Optional[float] = None, confirm: bool = True) -> None:
        """Stop fetching, let the running handlers finish (up to ``timeout`` seconds,
        default :data:`DEFAULT_GRACE`; then they are cancelled), and (a poll loop, unless
        ``confirm`` is false: then ``bot.stop()`` does it after the delegates) confirm what
        was handled."""
        deadline = time.monotonic() + (DEFAULT_GRACE if timeout is None else max(0.0, timeout))
        if not self._stopping:
            self._deadline = deadline
            self._confirm_at_end = confirm
            self._stopping = True
            log.debug('%s: stopping', self._label)
            if self._wakeup is not None:
                self._wakeup.set()
            self._interrupt()
        task = self._task
        if task is not None and task is not asyncio.current_task():
            wait = deadline + (CONFIRM_TIME if self._confirm_at_end and self.kind == 'poll'
                               else 0) - time.monotonic()
            try:
                await asyncio.wait_for(asyncio.shield(task), max(0.0, wait))
            except asyncio.TimeoutError:
                log.warning('%s: still busy after stop(); cancelled', self._label)
                task.cancel()
        self._bot._unregister_stoppable(self)
        await self._deliver.lanes.join(max(0.0, deadline - time.monotonic()))

    async def wait(self) -> None:
        """Until the loop has stopped and its handlers have finished; re-raises a fatal
        error (e.g. UnauthorizedError).  Cancelled (asyncio.run's Ctrl-C), it stops the bot
        cleanly first (``await bot.stop()``: this loop confirms, delegates finish)."""
        assert self._task is not None
        try:
            with _stop_on_signals(self):
                await asyncio.shield(self._task)
            await self._deliver.lanes.join(DEFAULT_GRACE)
        except asyncio.CancelledError:
            await self._bot.stop()
            raise
        if self.error is not None:
            raise self.error


class _Poller(PollLoop, _Source):
    """Long-polls getUpdates (telepot_ng.loop.PollLoop's flow); hands each batch on in the
    loop, then asks for the next (which confirms the previous one).  stop() cancels the long
    poll in flight: what it would have brought comes again."""

    _fetch: Optional['asyncio.Future[Any]'] = None    # the getUpdates in flight

    async def _run(self) -> None:
        await _flow.arun(self._poll_flow())

    async def _get_updates(self, offset: Optional[int], limit: Optional[int],
                           timeout: Optional[int], allowed: Optional[List[str]]) -> Any:
        box = self._answer
        box[0] = box[1] = None
        token = _raw_answer.set(box) if self._ledger is not None else None
        try:
            with _api_deadline(None, flood_wait=False):  # the fetch task copies this context
                fetch = self._fetch = asyncio.ensure_future(self._bot.getUpdates(
                    offset=offset, limit=limit, timeout=timeout, allowed_updates=allowed))
        finally:
            if token is not None:
                _raw_answer.reset(token)
        try:
            return await fetch
        except asyncio.CancelledError:
            if self._stopping and fetch.cancelled():
                return None             # stop() cut the long poll short
            raise
        finally:
            self._fetch = None

    async def _confirm_call(self, offset: int, until: float) -> Any:
        with _api_deadline(until, flood_wait=False):
            return await self._bot.getUpdates(offset=offset, limit=1, timeout=0)

    def _pause(self, seconds: float) -> Any:
        return self._sleep(seconds)

    def _wait_room(self, tracker: Any) -> Any:
        return self._sleep(0.05)

    async def _wait_empty(self, tracker: Any, seconds: float) -> None:
        end = time.monotonic() + seconds
        while len(tracker) and time.monotonic() < end:
            await asyncio.sleep(0.01)

    async def finish_stop(self, deadline: Optional[float]) -> None:
        """The last step of ``bot.stop()``: wait (until ``deadline``) for the handlers, then
        confirm what they finished (telepot_ng.loop.PollLoop's flow)."""
        await _flow.arun(self._finish_flow(deadline))

    def _interrupt(self) -> None:
        fetch = self._fetch
        if fetch is not None and not fetch.done():
            fetch.cancel()              # the long poll ends; what it held comes again


class _Feed(_Source):
    """Updates fed by a webhook (:meth:`feed`) or pulled from an ``asyncio.Queue``, put in
    order (or de-duplicated) by an Orderer and handed on in the loop."""

    kind = 'webhook'

    def __init__(self, bot: Any, deliver: _Deliver, *, ordered: bool, maxhold: float,
                 source: Optional['asyncio.Queue[Any]'] = None) -> None:
        if source is not None:
            self.kind = 'queue'
        super().__init__(bot, deliver)
        self._orderer = Orderer(ordered, maxhold)
        self._runner = source
        self._timer: Optional[asyncio.TimerHandle] = None
        self._early: List[Any] = []

    def feed(self, data: Any) -> None:
        """Take one Update (dict, JSON str or UTF-8 bytes): ValueError if it is none,
        RuntimeError once the loop has stopped."""
        msg = _unwrap(_decode(data))
        if self._ledger is not None and not _admit(self._ledger, msg):
            return                           # journaled before: a duplicate
        if self._task is None:
            self._early.append(msg)          # fed before the loop runs: kept in order
            return
        if self._stopping or self._task.done():
            raise RuntimeError('%s is not running; update not accepted' % self._label)
        self._admit(msg)

    def _admit(self, item: Any) -> None:
        admit(item, self._orderer, self._deliver, self._label, self._ledger)
        self._arm()

    def _arm(self) -> None:
        due = self._orderer.next_timeout()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if due is not None:
            self._timer = asyncio.get_running_loop().call_later(due, self._expire)

    def _expire(self) -> None:
        self._timer = None
        self._orderer.expire(self._deliver)
        self._arm()

    async def _run(self) -> None:
        await _flow.arun(self._redeliver_flow())
        early, self._early = self._early, []
        for msg in early:
            self._admit(msg)
        q = self._runner
        if q is None:
            await self._wakeup.wait()       # type: ignore[union-attr]
        else:
            get = None
            stopped = asyncio.ensure_future(self._wakeup.wait())    # type: ignore[union-attr]
            try:
                while not self._stopping:
                    get = asyncio.ensure_future(q.get())
                    await asyncio.wait((get, stopped), return_when=asyncio.FIRST_COMPLETED)
                    if get.done():
                        self._admit(get.result())
                        get = None
            finally:
                stopped.cancel()
                if get is not None:
                    get.cancel()
            while not q.empty():             # what was queued before the stop
                self._admit(q.get_nowait())
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._orderer.flush(self._deliver)


# ============================================================================================
# SIGINT / SIGTERM


class _stop_on_signals:
    """While a loop runs in the main thread's event loop, SIGTERM (and SIGINT, unless
    asyncio.run handles it) stops the bot cleanly -- loops confirm what they handed on,
    handlers finish -- then ends the program as the signal would: SystemExit for SIGTERM,
    KeyboardInterrupt for SIGINT."""

    def __init__(self, source: _Source) -> None:
        self._runner = source
        self._installed: List[int] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def __enter__(self) -> '_stop_on_signals':
        if threading.current_thread() is not threading.main_thread():
            return self
        loop = self._loop = asyncio.get_running_loop()
        for sig, default in ((signal.SIGTERM, signal.SIG_DFL),
                             (signal.SIGINT, signal.default_int_handler)):
            try:
                if signal.getsignal(sig) is not default:
                    continue            # the program (or asyncio.run) handles it
                loop.add_signal_handler(sig, self._signalled, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                continue                # not on this platform / loop
            self._installed.append(sig)
        return self

    def __exit__(self, *exc: Any) -> None:
        for sig in self._installed:
            try:
                self._loop.remove_signal_handler(sig)        # type: ignore[union-attr]
            except Exception:
                pass
        self._installed = []

    def _signalled(self, sig: int) -> None:
        log.info('%s: %s received; stopping', self._runner.name, signal.Signals(sig).name)
        assert self._loop is not None
        self._loop.create_task(self._stop_then_exit(sig))

    async def _stop_then_exit(self, sig: int) -> None:
        bot = self._runner._bot
        try:
            await bot.stop()
        finally:
            # raised from a task, SystemExit and KeyboardInterrupt end loop.run_forever() and
            # asyncio.run() as the signal would have
            if sig == signal.SIGINT:
                raise KeyboardInterrupt
            raise SystemExit(0)


# ============================================================================================
# The public compositions


class _Front(_SyncFront):
    """What MessageLoop and the webhook classes share: the source they started
    (``running`` and ``error`` as telepot_ng.loop's)."""

    _runner: Optional[_Source] = None

    def _ensure_idle(self) -> None:
        s = self._runner
        if s is not None and s._task is not None and not s._task.done():
            raise RuntimeError('%s is already running' % s.name)

    async def stop(self, timeout: Optional[float] = None) -> None:   # type: ignore[override]
        """Clean stop (see the module's documentation); ``await bot.stop()`` does it too."""
        if self._runner is not None:
            await self._runner.stop(timeout)


def _deliverer(bot: Any, handle: Any, kind: str, events: bool) -> _Deliver:
    deliver = _Deliver(bot, handle, 'telepot_ng-aio-%s-%s' % (kind, _bot_label(bot)), events)
    if events:
        scheduler = getattr(bot, 'scheduler', None)
        if scheduler is not None and hasattr(scheduler, 'on_event'):
            scheduler.on_event(deliver.event)
    return deliver


class MessageLoop(_Front):
    """telepot 12's ``MessageLoop(bot, handle)``: ``await loop.run_forever()`` (or
    ``loop.create_task(MessageLoop(bot, handle).run_forever())``) long-polls getUpdates.

    ``handle`` is a function or coroutine function taking one message, a ``{flavor:
    function}`` routing dict, or None for ``bot.handle``.
    """

    def __init__(self, bot: Any, handle: Any = None) -> None:
        self._bot = bot
        _resolve_callback(bot, handle)          # a wrong kind of handle fails here
        self._handle = handle
        self._runner: Optional[_Poller] = None

    def run_as_task(self, relax: float = 0.1, offset: Optional[int] = None, timeout: int = 20,
                    allowed_updates: Optional[Iterable[str]] = None, *,
                    limit: Optional[int] = None,
                    backoff: Optional[Backoff] = None) -> 'asyncio.Task[None]':
        """Start polling in a task of the running loop and return the task; parameters as
        :meth:`telepot_ng.loop.MessageLoop.run_as_thread`."""
        self._ensure_idle()
        self._runner = _Poller(self._bot, _deliverer(self._bot, self._handle, 'poll', True),
                               relax=relax, timeout=timeout, offset=offset,
                               allowed_updates=allowed_updates, limit=limit, backoff=backoff)
        return self._runner.start()._task      # type: ignore[return-value]

    async def run_forever(self, relax: float = 0.1, offset: Optional[int] = None,
                          timeout: int = 20, allowed_updates: Optional[Iterable[str]] = None,
                          *, limit: Optional[int] = None,
                          backoff: Optional[Backoff] = None) -> None:
        """Poll until stopped (``await bot.stop()``, SIGTERM, Ctrl-C); a fatal error (e.g.
        UnauthorizedError) is raised."""
        self.run_as_task(relax, offset, timeout, allowed_updates, limit=limit, backoff=backoff)
        assert self._runner is not None
        await self._runner.wait()


class Webhook(_Front):
    """telepot 12's webhook consumer: your web handler calls :meth:`feed` with each Update;
    ``await webhook.run_forever()`` hands them to ``handle`` as they come (duplicates
    dropped)."""

    _ordered = False

    def __init__(self, bot: Any, handle: Any = None) -> None:
        self._bot = bot
        self._deliver = _deliverer(bot, handle, 'webhook', True)
        self._runner: Optional[_Feed] = _Feed(bot, self._deliver, ordered=self._ordered,
                                              maxhold=0)

    def feed(self, data: Any) -> None:
        """Hand one Update (a dict, or JSON as str / UTF-8 bytes) to the loop: ValueError
        for data that is not an Update, RuntimeError once the loop has stopped (so the web
        handler can answer an error status and Telegram sends it again).  Updates fed before
        :meth:`run_forever` wait."""
        assert self._runner is not None
        self._runner.feed(data)

    def _begin(self, maxhold: float) -> _Feed:
        self._ensure_idle()
        source = self._runner
        assert source is not None
        if source._task is not None:                  # ran before: a new one, same handler
            source = self._runner = _Feed(self._bot, self._deliver, ordered=self._ordered,
                                          maxhold=maxhold)
        source._orderer = Orderer(self._ordered, maxhold)
        source.start()
        return source

    def run_as_task(self) -> 'asyncio.Task[None]':
        """Start handing fed updates on; returns the task."""
        return self._begin(0)._task            # type: ignore[return-value]

    async def run_forever(self) -> None:
        """Hand fed updates on until stopped."""
        await self._begin(0).wait()


class OrderedWebhook(Webhook):
    """Like :class:`Webhook`, in ``update_id`` order: an early update waits at most
    ``maxhold`` seconds for the missing smaller ids."""

    _ordered = True

    def run_as_task(self, maxhold: float = 3) -> 'asyncio.Task[None]':  # type: ignore[override]
        return self._begin(maxhold)._task      # type: ignore[return-value]

    async def run_forever(self, maxhold: float = 3) -> None:  # type: ignore[override]
        await self._begin(maxhold).wait()


async def run_loop(bot: Any, handler: Any = None, *, relax: float = 0.1, timeout: int = 20,
                   source: Any = None, ordered: bool = True, maxhold: float = 3,
                   allowed_updates: Optional[Iterable[str]] = None,
                   events: bool = True) -> None:
    """``bot.message_loop()`` / ``bot.messageLoop()``: getUpdates (``source`` None) or an
    ``asyncio.Queue`` of str / bytes / dict updates (``ordered``, ``maxhold``), until the
    bot stops."""
    if source is not None and not isinstance(source, asyncio.Queue):
        raise ValueError('source must be None (getUpdates) or an asyncio.Queue, not %s'
                         % type(source).__name__)
    kind = 'poll' if source is None else 'queue'
    deliver = _deliverer(bot, handler, kind, events)
    runner: _Source
    if source is None:
        runner = _Poller(bot, deliver, relax=relax, timeout=timeout,
                         allowed_updates=allowed_updates)
    else:
        runner = _Feed(bot, deliver, ordered=ordered, maxhold=maxhold, source=source)
    runner.start()
    await runner.wait()


# ============================================================================================
# The scheduler


def scheduler_for(bot: Any) -> Any:
    """The aio bot's scheduler: telepot_ng.scheduler's timer, whose events are handed to
    the event loop."""
    return _LoopScheduler(bot, asyncio.get_running_loop())


class _LoopScheduler(Scheduler):
    """A :class:`telepot_ng.scheduler.Scheduler` (its timer thread) whose events go to the
    event loop: to the running message loop's handler, else to ``bot.handle``."""

    def __init__(self, bot: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._bot, self._loop = bot, loop
        self._target: Optional[Callable[[Any], Any]] = None
        self._tasks: Set['asyncio.Task[Any]'] = set()
        super().__init__(self._hand_over, name='telepot_ng-aio-scheduler-%s' % _bot_label(bot))

    def on_event(self, fn: Callable[[Any], Any]) -> None:
        self._target = fn

    def _hand_over(self, data: Any) -> None:        # in the timer thread
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._in_loop, data)

    def _in_loop(self, data: Any) -> None:
        fn = self._target or self._bot.handle
        try:
            result = fn(data)
        except Exception:
            log.exception('%r: handling a scheduled event raised', self._bot)
            return
        if inspect.isawaitable(result):
            task = self._loop.create_task(result)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

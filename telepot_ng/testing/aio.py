"""Run telepot_ng.aio bots from ordinary (synchronous) tests: an event loop in a thread.

    from telepot_ng.testing.aio import AioRunner

    def test_counter(fake_telegram):
        with AioRunner() as run:
            bot = run.bot(fake_telegram, telepot_ng.aio.DelegatorBot, patterns)
            run.start(telepot_ng.aio.loop.MessageLoop(bot).run_forever())
            alice = fake_telegram.user('Alice')
            alice.says('hi')
            assert alice.reply().text == '1'

No pytest-asyncio needed: the test talks to the fake (which blocks) while the bot runs in the
runner's loop.  ``run.call(coro)`` awaits a coroutine there and returns its result; leaving
the ``with`` stops the bots made by ``run.bot()`` (``await bot.stop()``: loops confirm, handlers
finish), cancels what is left and closes the loop.  The ``aio_runner`` fixture of the pytest
plugin is one of these.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Awaitable, Callable, List, Optional

__all__ = ['AioRunner']


class AioRunner:
    """An asyncio event loop running in a thread named ``telepot_ng-aio-runner``."""

    def __init__(self, timeout: float = 30.0) -> None:
        #: seconds :meth:`call` waits by default
        self.timeout = timeout
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._bots: List[Any] = []
        self._started: List['concurrent.futures.Future[Any]'] = []

    def __enter__(self) -> 'AioRunner':
        ready = threading.Event()

        def main() -> None:
            loop = self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=main, name='telepot_ng-aio-runner', daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError('the event loop did not start')
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def call(self, awaitable: Awaitable[Any], timeout: Optional[float] = None) -> Any:
        """Await ``awaitable`` in the loop; return its result (or raise its exception)."""
        return self.start(awaitable).result(self.timeout if timeout is None else timeout)

    def start(self, awaitable: Awaitable[Any]) -> 'concurrent.futures.Future[Any]':
        """Run ``awaitable`` as a task of the loop; returns a concurrent Future of it."""
        assert self.loop is not None, 'use AioRunner in a with statement'

        async def main() -> Any:
            return await awaitable
        future = asyncio.run_coroutine_threadsafe(main(), self.loop)
        self._started.append(future)
        return future

    def run(self, fn: Callable[[], Any], timeout: Optional[float] = None) -> Any:
        """Call ``fn()`` in the loop's thread (to build objects that belong to the loop)."""
        async def main() -> Any:
            return fn()
        return self.call(main(), timeout)

    def bot(self, fake: Any, cls: Any = None, *args: Any, **kwargs: Any) -> Any:
        """A telepot_ng.aio bot (``cls``, default ``telepot_ng.aio.Bot``, with ``args`` after
        the token) pointed at the FakeTelegram ``fake``; stopped when the runner closes."""
        if cls is None:
            from telepot_ng.aio import Bot as cls
        bot = cls(fake.token, *args, base_url=fake.base_url, **kwargs)
        self._bots.append(bot)
        return bot

    def close(self, timeout: float = 10.0) -> None:
        """Stop the bots, cancel what still runs, stop the loop and join its thread."""
        loop, thread = self.loop, self._thread
        if loop is None or thread is None:
            return
        bots, self._bots = self._bots, []

        async def finish() -> None:
            for bot in bots:
                try:
                    await bot.stop(5.0)
                except Exception:           # pragma: no cover - reported by the test
                    pass
            me = asyncio.current_task()
            rest = [t for t in asyncio.all_tasks() if t is not me]
            for t in rest:
                t.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        try:
            asyncio.run_coroutine_threadsafe(finish(), loop).result(timeout)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
            self.loop = self._thread = None

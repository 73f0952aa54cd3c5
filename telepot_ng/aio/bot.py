"""telepot_ng.aio's Bot: every Bot API method as a coroutine, the same call forms, results
and errors as telepot_ng.Bot (the parameters are handled by the very same code)."""
from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, List, Mapping, Optional

from .. import _flow, _masking
from .._generated.aio_methods import AsyncBotMethods
from ..bot import BotCore, _check_method_name, prepare_params

__all__ = ['Bot']

log = _masking.logger(__name__)

class Quiet:
    """Waits until a condition holds, woken by :meth:`poke` when it may (an asyncio.Event
    made only while someone waits)."""
    __slots__ = ('_event',)

    def __init__(self) -> None:
        self._event: Optional[asyncio.Event] = None

    def poke(self) -> None:
        if self._event is not None:
            self._event.set()

    async def until(self, done: Callable[[], bool], timeout: Optional[float]) -> bool:
        """True once ``done()``; False when ``timeout`` seconds passed first."""
        async def wait() -> None:
            while not done():
                self._event = asyncio.Event()
                try:
                    await self._event.wait()
                finally:
                    self._event = None
        try:
            await asyncio.wait_for(wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True


class Bot(BotCore, AsyncBotMethods):
    """An asyncio Telegram bot: ``await bot.sendMessage(chat_id, 'hi')``.

    Every Bot API method is a coroutine method under its API name and a snake_case alias,
    with telepot_ng.Bot's signatures, results (plain dicts) and exceptions.  Use a bot from
    the event loop that runs it; its HTTP session belongs to that loop.

    :param token: the token @BotFather gave.
    :param loop: telepot's ``loop`` argument; kept for compatibility (the bot uses the loop it
        is running in).
    :param base_url: root of the Bot API server (default ``https://api.telegram.org`` or
        ``$TELEPOT_NG_API_URL``).
    :param base_file_url: root for downloads when it differs.
    :param store: a durable store, as for :class:`telepot_ng.Bot` (its reads and writes are
        made from the event loop).
    :param transport_options: passed to :class:`telepot_ng.aio.api.Transport`.
    """

    def __init__(self, token: str, loop: Optional[asyncio.AbstractEventLoop] = None, *,
                 base_url: Optional[str] = None, base_file_url: Optional[str] = None,
                 store: Any = None, **transport_options: Any) -> None:
        from .api import Transport
        self._set_token(token)
        self._init_lifecycle(store)
        self._loop = loop
        self._transport = Transport(token, base_url=base_url, base_file_url=base_file_url,
                                    **transport_options)
        self._file_chunk_size = 65536

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop: the one given, else the running one, else asyncio's current one."""
        if self._loop is not None:
            return self._loop
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.get_event_loop_policy().get_event_loop()

    @property
    def Answerer(self) -> type:   # noqa: N802  (what AnswererMixin builds for this bot)
        from .helper import Answerer
        return Answerer

    # ------------------------------------------------------------------ calling the API

    def _api(self, method: str, args: tuple, params: Dict[str, Any],
             kwargs: Dict[str, Any]) -> Any:
        return self._transport.request(method, prepare_params(method, args, params, kwargs))

    async def call(self, method: str, **params: Any) -> Any:
        """Call any Bot API method by name: ``await bot.call('sendMessage', chat_id=42,
        text='hi')``.  Parameters with value None are left out."""
        return await self._api(_check_method_name(method), (), {}, params)

    async def downloadFile(self, file_id: str, dest: Any,
                           progress: Optional[Callable[[int, Optional[int]], Any]] = None) -> int:
        """Download a file to ``dest`` (a path or a binary file object); returns its size.
        See :meth:`telepot_ng.Bot.downloadFile`."""
        f = await self.getFile(file_id)
        path = f.get('file_path') if isinstance(f, Mapping) else None
        if not path:
            from ..exception import TelegramError
            raise TelegramError('getFile returned no file_path for this file', None, f)
        return await self._transport.download(path, dest, chunk_size=self._file_chunk_size,
                                              progress=progress)

    download_file = downloadFile

    async def broadcast(self, chat_ids: Any, method: str = 'sendMessage',
                        **options: Any) -> Any:
        """Call ``method`` for every chat in ``chat_ids`` as fast as the rate limits allow,
        in the bulk lane (replies to users go first), and return a
        :class:`~telepot_ng.broadcast.BroadcastReport` of per-chat outcomes; resumable with
        ``progress=``. See :func:`telepot_ng.broadcast.broadcast_async`."""
        from ..broadcast import broadcast_async
        return await broadcast_async(self, chat_ids, method, **options)

    # ------------------------------------------------------------------ receiving updates

    async def handle(self, msg: Dict[str, Any]) -> None:
        """Default handler of the message loops: ``on_chat_message``, ``on_callback_query``,
        ... (plain or ``async def``) by flavor, as :meth:`telepot_ng.Bot.handle`."""
        fn = self._handler_for(msg)
        if fn is not None:
            await _flow.call(fn, msg)

    def message_loop(self, handler: Any = None, relax: float = 0.1, timeout: int = 20,
                     allowed_updates: Optional[List[str]] = None, source: Any = None,
                     ordered: bool = True, maxhold: float = 3) -> Any:
        """telepot 12: a coroutine that gets updates (getUpdates, or an ``asyncio.Queue``
        ``source``) and hands each message to ``handler`` (default ``self.handle``; a
        ``{flavor: function}`` dict routes by flavor) until the bot stops.
        ``loop.create_task(bot.message_loop(handle))``."""
        from .loop import run_loop
        return run_loop(self, handler, relax=relax, timeout=timeout, source=source,
                        ordered=ordered, maxhold=maxhold, allowed_updates=allowed_updates,
                        events=True)

    def messageLoop(self, handler: Any = None, source: Any = None, ordered: bool = True,
                    maxhold: float = 3, relax: float = 0.1, timeout: int = 20,
                    allowed_updates: Optional[List[str]] = None) -> Any:
        """telepot 6.3's coroutine of the same loop (telepot 6.3's parameter order)."""
        from .loop import run_loop
        return run_loop(self, handler, relax=relax, timeout=timeout, source=source,
                        ordered=ordered, maxhold=maxhold, allowed_updates=allowed_updates,
                        events=False)

    def notifyOnMessage(self, callback: Any = None, relax: float = 0.1, timeout: int = 20,
                        source: Any = None, ordered: bool = True, maxhold: float = 3,
                        allowed_updates: Optional[List[str]] = None) -> 'asyncio.Task[Any]':
        """telepot 6.3's name: start :meth:`messageLoop` as a task of the running loop and
        return the task (``await bot.stop()`` ends it)."""
        return asyncio.get_running_loop().create_task(self.messageLoop(
            callback, source=source, ordered=ordered, maxhold=maxhold, relax=relax,
            timeout=timeout, allowed_updates=allowed_updates))

    @property
    def scheduler(self) -> Any:
        """The bot's scheduler (telepot 12): events it emits reach the running message loop's
        handler, or :meth:`handle`, in the event loop."""
        if self._scheduler is None:
            from .loop import scheduler_for
            self._scheduler = scheduler_for(self)
            self._register_stoppable(self._scheduler, self._STOP_SCHEDULER)
        return self._scheduler

    # ------------------------------------------------------------------ lifecycle

    async def stop(self, timeout: Optional[float] = 10.0) -> None:
        """Stop everything this bot started, as :meth:`telepot_ng.Bot.stop` does (the same
        steps): message loops stop fetching; delegates handle what is queued for them, then
        ``on_close`` (those still running after ``timeout`` are cancelled, logged); the
        scheduler stops; polling confirms what was handled; the HTTP session closes."""
        await _flow.arun(self._stop_flow(timeout))

    async def __aenter__(self) -> 'Bot':
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

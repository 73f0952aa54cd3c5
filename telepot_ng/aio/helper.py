"""Handlers and contexts for telepot_ng.aio delegates.

The classes are telepot_ng.helper's own (one implementation): ``ChatHandler``,
``UserHandler``, ``Monitor``, ... work with an aio bot as they are, their methods may be
``async def`` (``async def on_chat_message(self, msg)``, ``await self.sender.sendMessage(...)``,
``msg = await self.listener.wait()``) and are awaited by telepot_ng.aio.delegate's
producers.  Only what waits differs: :class:`Listener` (``await listener.wait()``),
:class:`Answerer` (a task per inline query) and :class:`Router` (``await router.route(msg)``).
"""
from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, Optional

from .. import _flow, _masking
from .. import helper as _helper
from ..exception import IdleTerminate, StopListening, WaitTooLong
from ..helper import (Administrator, AnswererMixin, CallbackQueryCoordinator,
                      CallbackQueryOriginContext, CallbackQueryOriginHandler, ChatContext,
                      ChatHandler, DefaultRouterMixin, Editor, IdleEventCoordinator,
                      IdleTerminateMixin, InlineUserHandler, InterceptCallbackQueryMixin,
                      InvoiceContext, InvoiceHandler, ListenerContext, Monitor, SafeDict,
                      Sender, StandardEventMixin, StandardEventScheduler, UserContext,
                      UserHandler, answer_arguments, openable)
from .delegation import Listener, Mailbox, Microphone

__all__ = list(_helper.__all__) + ['Mailbox']

log = _masking.logger(__name__)


class Answerer(_helper.Answerer):
    """At most one computation per user for inline queries, as a task: a newer query from
    the same user cancels the computation still running for the older one.

    ``Answerer(bot, compute)`` + ``answer(inline_query)`` (telepot 6.3: ``compute(query)``)
    or ``Answerer(bot)`` + ``answer(inline_query, compute_fn, *args, **kwargs)`` (telepot 12).
    ``compute`` may be a function or a coroutine function; its result is passed to
    ``answerInlineQuery`` as :class:`telepot_ng.helper.Answerer` describes.  The ``loop``
    argument of telepot's signatures is accepted and not needed.
    """

    def __init__(self, bot: Any, compute: Any = None,
                 loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        if isinstance(compute, asyncio.AbstractEventLoop):   # telepot 12: Answerer(bot, loop)
            compute = None
        super().__init__(bot, compute)
        self._working: Dict[Any, 'asyncio.Task[None]'] = {}

    def answer(self, inline_query: Dict[str, Any],         # type: ignore[override]
               compute_fn: Optional[Callable] = None,
               *compute_args: Any, **compute_kwargs: Any) -> 'asyncio.Task[None]':
        """Compute and send the answer in a new task (returned); cancels the user's
        previous one."""
        user, fn, args, kwargs = self._job(inline_query, compute_fn, compute_args,
                                           compute_kwargs)
        previous = self._working.get(user)
        if previous is not None:
            previous.cancel()
        task = asyncio.get_running_loop().create_task(
            self._work(inline_query, fn, args, kwargs), name='answerer-%s' % user)
        self._working[user] = task
        task.add_done_callback(lambda t: self._working.get(user) is t
                               and self._working.pop(user))
        return task

    async def _work(self, query: Dict[str, Any], fn: Callable,  # type: ignore[override]
                    args: tuple, kwargs: dict) -> None:
        try:
            result = await _flow.call(fn, *args, **kwargs)
            args, kwargs = answer_arguments(result)
            await self._bot.answerInlineQuery(query['id'], *args, **kwargs)
        except Exception:
            log.exception('answering inline query %s failed', query.get('id'))


class Router(_helper.Router):
    """telepot_ng.helper.Router whose :meth:`route` is a coroutine: the handler (a function
    or a coroutine function) is awaited when it returns an awaitable."""

    async def route(self, msg: Any, *aa: Any, **kw: Any) -> Any:   # type: ignore[override]
        return await _flow.call(super().route, msg, *aa, **kw)

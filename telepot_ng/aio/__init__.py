"""telepot_ng.aio: the asyncio mirror of telepot_ng (telepot's ``telepot.aio``).

``Bot`` has every Bot API method as a coroutine (``await bot.sendMessage(chat_id, 'hi')``);
``SpeakerBot`` and ``DelegatorBot`` add listeners and a task per delegate; ``aio.helper``,
``aio.delegate``, ``aio.loop`` and ``aio.routing`` mirror their telepot_ng namesakes.  The
parameter handling, capture criteria, routing, delegation bookkeeping, ordering and HTTP
policy are telepot_ng's own code: only the waiting differs.  Needs ``pip install
telepot-ng[aio]`` (aiohttp).
"""
from __future__ import annotations

from typing import Any

from ..flavors import flavor
from .bot import Bot
from .delegation import DelegatorBot, SpeakerBot

__all__ = ['Bot', 'SpeakerBot', 'DelegatorBot', 'flavor_router']

_SUBMODULES = frozenset(['api', 'delegate', 'helper', 'loop', 'routing'])


def flavor_router(routing_table: dict) -> Any:
    """A coroutine function routing a message by flavor through ``routing_table``
    (``{'chat': on_chat, 'callback_query': on_query, ...}``; functions or coroutine
    functions), as telepot 12's ``telepot.aio.flavor_router``."""
    from .helper import Router
    return Router(flavor, routing_table).route


def __getattr__(name: str) -> Any:
    """``telepot_ng.aio.helper`` etc. without importing them first, as telepot programs do."""
    if name in _SUBMODULES:
        import importlib
        return importlib.import_module('.' + name, __name__)
    raise AttributeError('module %r has no attribute %r' % (__name__, name))

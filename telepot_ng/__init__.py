"""telepot_ng: thread-based Telegram bots in telepot's style, on today's Bot API.

``Bot`` wraps every Bot API method; ``SpeakerBot`` and ``DelegatorBot`` add telepot's
listeners and per-chat delegates; ``glance``/``flavor``/``flance`` read messages.
"""
from . import _masking, exception
from .bot import Bot
from .delegation import DelegatorBot, SpeakerBot
from .flavors import (AliasedStr, UpdateMsg, all_content_types, canonical_name, chat_flavors,
                      flance, flavor, fleece, glance, glance2, inline_flavors, is_event,
                      message_identifier, origin_identifier, peel, unwrap_update)

__version__ = '0.1.0'

_log = _masking.logger(__name__)


def flavor_router(routing_table: dict):
    """A function routing a message by flavor through ``routing_table`` (telepot 12):
    ``{'chat': on_chat, 'callback_query': on_query, ...}``; key ``None`` is the default.

    A flavor the table does not mention (and no ``None`` default) is ignored with a DEBUG
    log line: today's Bot API delivers kinds of updates telepot 12 never saw.
    """
    from .helper import Router, _lookup
    router = Router(flavor, routing_table)

    def route(msg, *args, **kwargs):
        table = router.routing_table
        if None not in table and _lookup(table, flavor(msg)) is None:
            _log.debug('no handler for %s messages in the routing table; ignored', flavor(msg))
            return None
        return router.route(msg, *args, **kwargs)
    route.router = router
    return route


_SUBMODULES = frozenset(['aio', 'api', 'delegate', 'delegation', 'helper', 'loop', 'namedtuple',
                         'routing', 'scheduler', 'testing', 'text', 'webhook'])


def __getattr__(name: str):
    """``telepot_ng.helper`` etc. without importing them first, as telepot programs do
    (``class C(telepot.helper.ChatHandler)`` after a plain ``import telepot``)."""
    if name in _SUBMODULES:
        import importlib
        return importlib.import_module('.' + name, __name__)
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


__all__ = [
    'Bot', 'SpeakerBot', 'DelegatorBot', 'flavor', 'glance', 'glance2', 'flance', 'fleece',
    'peel', 'is_event', 'message_identifier', 'origin_identifier', 'flavor_router',
    'all_content_types', 'chat_flavors', 'inline_flavors', 'UpdateMsg', 'unwrap_update',
    'AliasedStr', 'canonical_name',
    'exception', '__version__',
]

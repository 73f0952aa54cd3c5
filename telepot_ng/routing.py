"""Key functions and routing tables for :class:`telepot_ng.helper.Router` (telepot 12).

A key function maps a message to a routing key, optionally followed by positional and
keyword arguments for the handler: ``key``, ``(key,)``, ``(key, args)`` or
``(key, args, kwargs)``.  When a message has no key (not a command, no regex match), key
functions here return ``(None,)`` as the key, which is distinct from the routing table's
``None`` default entry, so the default handler is used.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, Optional, Sequence, Tuple, Union

from .flavors import all_content_types, glance

__all__ = ['by_content_type', 'by_command', 'by_chat_command', 'by_text', 'by_data',
           'by_regex', 'process_key', 'lower_key', 'upper_key', 'make_routing_table',
           'make_content_type_routing_table']

KeyFunction = Callable[[Any], Any]
_NO_KEY = (None,)


def by_content_type() -> KeyFunction:
    """Key = the chat message's content type; argument = that content
    (``('photo', (msg['photo'],))``)."""
    def key(msg):
        content_type = glance(msg, flavor='chat')[0]
        return content_type, (msg[content_type],)
    return key


def by_command(extractor: Callable[[Any], str], prefix: Union[str, Sequence[str]] = ('/',),
               separator: str = ' ', pass_args: bool = False,
               bot_username: Optional[str] = None) -> KeyFunction:
    """Key = the command at the head of ``extractor(msg)`` (without its prefix and without a
    trailing ``@botname``, which Telegram adds in groups); with ``pass_args`` the words after
    it are passed as one list argument.

    :param bot_username: when given, a command addressed to another bot
        (``/start@OtherBot``) is not a command for this one.
    """
    prefixes = tuple(prefix) if isinstance(prefix, (tuple, list)) else (prefix,)
    own = bot_username.lstrip('@').lower() if bot_username else None

    def key(msg):
        text = extractor(msg)
        if not isinstance(text, str):
            return _NO_KEY,
        for px in prefixes:
            if text.startswith(px):
                chunks = text[len(px):].split(separator)
                command, at, target = chunks[0].partition('@')
                if at and own is not None and target.lower() != own:
                    return _NO_KEY,
                return command, ((chunks[1:],) if pass_args else ())
        return _NO_KEY,
    return key


def by_chat_command(prefix: Union[str, Sequence[str]] = ('/',), separator: str = ' ',
                    pass_args: bool = False, bot_username: Optional[str] = None) -> KeyFunction:
    """:func:`by_command` on a chat message's ``text`` (or ``caption``)."""
    return by_command(lambda msg: msg.get('text', msg.get('caption')), prefix, separator,
                      pass_args, bot_username)


def by_text() -> KeyFunction:
    """Key = the message's ``text``."""
    return lambda msg: msg['text']


def by_data() -> KeyFunction:
    """Key = a callback query's ``data``."""
    return lambda msg: msg['data']


def by_regex(extractor: Callable[[Any], str], regex: Union[str, 're.Pattern[str]'],
             key: Union[int, str, Tuple[Any, ...]] = 1) -> KeyFunction:
    """Key = ``match.group(key)`` of ``regex`` searched in ``extractor(msg)``; argument = the
    match object."""
    pattern = re.compile(regex) if isinstance(regex, str) else regex
    groups = key if isinstance(key, tuple) else (key,)

    def keyfn(msg):
        text = extractor(msg)
        match = pattern.search(text) if isinstance(text, str) else None
        if match is None:
            return _NO_KEY,
        return match.group(*groups), (match,)
    return keyfn


def process_key(processor: Callable[[Any], Any], fn: KeyFunction) -> KeyFunction:
    """A key function whose key is ``processor(fn(msg)'s key)``."""
    def key(*aa, **kw):
        k = fn(*aa, **kw)
        if isinstance(k, (tuple, list)):
            return (processor(k[0]),) + tuple(k[1:])
        return processor(k)
    return key


def _method(name: str) -> Callable[[Any], Any]:
    def apply(key):
        try:
            return getattr(key, name)()
        except AttributeError:
            return key
    return apply


def lower_key(fn: KeyFunction) -> KeyFunction:
    """``fn`` with its key lower-cased (non-strings untouched)."""
    return process_key(_method('lower'), fn)


def upper_key(fn: KeyFunction) -> KeyFunction:
    """``fn`` with its key upper-cased (non-strings untouched)."""
    return process_key(_method('upper'), fn)


def make_routing_table(obj: Any, keys: Iterable[Any], prefix: str = 'on_') -> Dict[Any, Callable]:
    """``{key: obj.<prefix><key>}`` for each key, looked up when called (so ``obj`` defines
    only the methods it needs).  A key may be ``(key, handler)`` or ``(key,)``."""
    def late(name):
        return lambda *aa, **kw: getattr(obj, prefix + name)(*aa, **kw)

    table: Dict[Any, Callable] = {}
    for k in keys:
        if k is None or k == (None,):
            raise ValueError('the default entry (key None) needs its function: (None, handler)')
        if isinstance(k, tuple):
            if len(k) == 2:
                table[k[0]] = k[1]
            elif len(k) == 1:
                table[k[0]] = late(k[0])
            else:
                raise ValueError('a routing key is key, (key,) or (key, handler): %r' % (k,))
        else:
            table[k] = late(k)
    return table


def make_content_type_routing_table(obj: Any, prefix: str = 'on_') -> Dict[Any, Callable]:
    """A routing table for every content type: ``{'text': obj.on_text, 'photo': ...}``."""
    return make_routing_table(obj, [str(t) for t in all_content_types], prefix)

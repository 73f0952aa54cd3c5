"""Seed functions and coroutine-producing functions for telepot_ng.aio's DelegatorBot.

The seed functions and pair producers are telepot_ng.delegate's own; the producers here
return coroutine objects, which the DelegatorBot runs as tasks.  ``create_open`` drives the
same life of an openable delegate as the threaded one (``telepot_ng.delegate``'s flows),
awaiting whatever ``open``/``on_message``/``on__idle``/``on_close`` and ``listener.wait()``
return when it is awaitable.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import _flow
from .. import delegate as _delegate
from ..delegate import (_OpenDelegate, chain, include_callback_query_chat_id,
                        intercept_callback_query_origin, pair, pave_event_space, per_application,
                        per_callback_query_chat_id, per_callback_query_origin, per_chat_id,
                        per_chat_id_except, per_chat_id_in, per_event_source_id, per_from_id,
                        per_from_id_except, per_from_id_in, per_inline_from_id,
                        per_inline_from_id_except, per_inline_from_id_in, per_invoice_payload,
                        per_message, until)

__all__ = list(_delegate.__all__)          # the same names, these producers


def _named(coro: Any, name: str) -> Any:
    coro.__qualname__ = name            # the delegate task is named after it
    return coro


def call(corofunc: Callable, *args: Any, **kwargs: Any) -> Callable:
    """Producer: the coroutine ``corofunc(seed_tuple, *args, **kwargs)`` (a plain function
    is run in the delegate's task)."""
    def producer(seed_tuple):
        return _named(_flow.call(corofunc, seed_tuple, *args, **kwargs),
                      getattr(corofunc, '__qualname__', 'call'))
    return producer


def create_run(cls: type, *args: Any, **kwargs: Any) -> Callable:
    """Producer: build ``cls(seed_tuple, *args, **kwargs)`` and run its ``run()`` (a
    coroutine method, or a plain one)."""
    def producer(seed_tuple):
        return _named(_flow.call(cls(seed_tuple, *args, **kwargs).run), cls.__name__)
    return producer


def create_open(cls: type, *args: Any, **kwargs: Any) -> Callable:
    """Producer: build ``cls(seed_tuple, *args, **kwargs)`` and drive it as
    :func:`telepot_ng.delegate.create_open` does (``open``, ``on_message`` for each captured
    message, ``on__idle``, ``on_close``), awaiting its coroutine methods."""
    def producer(seed_tuple):
        life = _OpenDelegate(cls(seed_tuple, *args, **kwargs), seed_tuple).life()
        return _named(_flow.arun(life), cls.__name__)
    return producer

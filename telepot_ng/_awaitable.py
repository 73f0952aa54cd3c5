"""How telepot_ng.aio's Bot gets every Bot API method without a second copy of them: each
generated method of :class:`~telepot_ng._generated.methods.BotMethods` made a coroutine
method with the same signature and docstring (the generated ``aio_methods`` module lists
them), and the aliases pointed at those."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Callable, Coroutine, TypeVar

__all__ = ['awaitable', 'realias']

_R = TypeVar('_R')

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec
    _P = ParamSpec('_P')
    _S = TypeVar('_S')


def awaitable(fn: 'Callable[Concatenate[_S, _P], _R]'
              ) -> 'Callable[Concatenate[_S, _P], Coroutine[Any, Any, _R]]':
    """The coroutine method of a generated Bot method: awaiting it awaits what the bot's
    ``_api`` returned for the call."""
    async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await fn(self, *args, **kwargs)
    return functools.update_wrapper(method, fn)  # type: ignore[return-value]


def realias(cls: type, base: type) -> type:
    """Point each alias ``base`` defines (``send_message = sendMessage``, telepot's old
    names) at ``cls``'s method of the aliased name."""
    for alias, fn in list(vars(base).items()):
        name = getattr(fn, '__name__', alias)
        if callable(fn) and name != alias and name in vars(cls):
            setattr(cls, alias, vars(cls)[name])
    return cls

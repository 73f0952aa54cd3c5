"""Flows: logic written once as a generator, run by a threaded or an asyncio driver.

A flow makes each call into user code (or a listener) itself and yields what the call
returned; the driver sends the outcome back.  The threaded driver sends the value straight
back; the asyncio driver awaits it first when it is awaitable (a coroutine method), and
throws what the await raised into the flow at the same point.  So ``on_message`` may be a
plain method or an ``async def`` and the flow's ``try``/``except`` sees the same thing.
"""
from __future__ import annotations

import inspect
from typing import Any, Generator

__all__ = ['run', 'arun', 'call']

Flow = Generator[Any, Any, Any]


def run(flow: Flow) -> Any:
    """Drive ``flow`` in this thread; returns what it returns."""
    try:
        value = next(flow)
        while True:
            value = flow.send(value)
    except StopIteration as done:
        return done.value


async def arun(flow: Flow) -> Any:
    """Drive ``flow`` in a task, awaiting each awaitable it yields.  What an await raises
    is thrown into the flow, cancellation included (which flows catching ``Exception`` let
    through, running their ``finally`` clauses)."""
    value: Any = None
    error: Any = None
    while True:
        try:
            step = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as done:
            return done.value
        error = None
        if inspect.isawaitable(step):
            try:
                value = await step
            except BaseException as e:
                value, error = None, e
        else:
            value = step


async def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, awaited when it returns an awaitable (telepot's ``_yell``)."""
    result = fn(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result

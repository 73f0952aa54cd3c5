"""A fake Telegram Bot API server and simulated users, for testing bots offline.

    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg:
        bot = tg.bot()
        alice = tg.user('Alice')
        alice.says('hi')
        reply = alice.reply(timeout=5)

Names are imported lazily so that ``import telepot_ng.testing`` (and the pytest plugin) stay light.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ['FakeTelegram', 'Call', 'SimUser', 'SimGroup', 'SimChannel', 'FakeServer',
           'DEFAULT_TOKEN', 'RateLimits']

_WHERE = {'FakeTelegram': 'fake', 'Call': 'fake', 'SimUser': 'users', 'SimGroup': 'users',
          'SimChannel': 'users', 'FakeServer': 'server', 'DEFAULT_TOKEN': 'server',
          'RateLimits': '_limits'}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError('module %r has no attribute %r' % (__name__, name))
    value = getattr(importlib.import_module('.' + module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted(list(globals()) + __all__)

"""pytest plugin (entry point ``telepot_ng``): the ``fake_telegram`` fixture.

    def test_echo(fake_telegram):
        bot = fake_telegram.bot()
        ...

Options come from a marker: ``@pytest.mark.fake_telegram(process=True, seed=1)`` passes its
keyword arguments to ``FakeTelegram``. The server is imported only when the fixture is used.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

__all__ = ['fake_telegram']


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        'markers', 'fake_telegram(**options): keyword arguments for the fake_telegram fixture')


@pytest.fixture
def fake_telegram(request: Any) -> Iterator[Any]:
    """A started ``telepot_ng.testing.FakeTelegram``, closed after the test."""
    from telepot_ng.testing.fake import FakeTelegram
    marker = request.node.get_closest_marker('fake_telegram')
    options = dict(marker.kwargs) if marker is not None else {}
    with FakeTelegram(**options) as tg:
        yield tg


@pytest.fixture
def aio_runner() -> Iterator[Any]:
    """A started ``telepot_ng.testing.aio.AioRunner`` (an event loop in a thread) for
    telepot_ng.aio bots; its bots are stopped and its loop closed after the test."""
    from telepot_ng.testing.aio import AioRunner
    with AioRunner() as runner:
        yield runner

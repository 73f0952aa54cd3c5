"""Shared fixtures: a Bot whose transport records calls instead of doing HTTP."""
from __future__ import annotations

import threading
from typing import Any, Dict, List, Tuple

import pytest

TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'


class RecordingTransport:
    """Stands in for telepot_ng.api.Transport: records (method, params), returns canned results."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, Dict[str, Any]]] = []
        self.results: Dict[str, Any] = {}
        self.lock = threading.Lock()

    def request(self, method: str, params: Dict[str, Any]) -> Any:
        with self.lock:
            self.calls.append((method, dict(params)))
        result = self.results.get(method, True)
        return result(params) if callable(result) else result

    def download(self, file_path, dest, chunk_size=65536, progress=None):
        with self.lock:
            self.calls.append(('<download>', {'file_path': file_path, 'dest': dest}))
        return 0

    def close(self) -> None:
        pass

    @property
    def last(self) -> Tuple[str, Dict[str, Any]]:
        return self.calls[-1]


@pytest.fixture
def recorder() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def rbot(recorder):
    """A telepot_ng.Bot whose every API call lands in ``recorder``."""
    from telepot_ng import Bot
    bot = Bot(TOKEN, base_url='http://127.0.0.1:9')
    bot._transport = recorder
    return bot

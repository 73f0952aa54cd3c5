"""Support for the loop tests (no tests here): an in-process getUpdates server that stands in
for the transport, with Telegram's semantics (offset confirms, long poll, a newer poll ends the
older one with 409) and scripted faults; and a recorder of what user code received."""
from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Dict, List, Optional

from telepot_ng import exception

TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'
WAIT = 10.0          # upper bound for every wait in these tests; reached only on failure


def text_update(uid: int, chat_id: int = 1, text: Optional[str] = None) -> Dict[str, Any]:
    return {'update_id': uid,
            'message': {'message_id': uid, 'date': 0, 'text': text or 'm%d' % uid,
                        'chat': {'id': chat_id, 'type': 'private'},
                        'from': {'id': chat_id, 'is_bot': False, 'first_name': 'U'}}}


def tg_error(code: int, description: str, **parameters: Any) -> exception.TelegramError:
    data: Dict[str, Any] = {'ok': False, 'error_code': code, 'description': description}
    if parameters:
        data['parameters'] = parameters
    return exception.TelegramError.from_json(data)


class ScriptedTelegram:
    """Transport stand-in answering getUpdates from ``pending``; other methods return True.

    ``faults`` holds exceptions raised by the next getUpdates calls, one per call.
    ``calls`` records (monotonic time, params) of every getUpdates.
    """

    def __init__(self) -> None:
        self.pending: List[Dict[str, Any]] = []
        self.faults: deque = deque()
        self.calls: List[Any] = []
        self.cond = threading.Condition()
        self._generation = 0
        self.polling = threading.Event()       # set while a long poll waits
        self.ignore_offset = False
        self.overtaken = 0     # this many newer calls fail to end a pending long poll

    def add(self, *updates: Dict[str, Any]) -> None:
        with self.cond:
            self.pending.extend(updates)
            self.cond.notify_all()

    def offsets(self) -> List[Any]:
        with self.cond:
            return [p.get('offset') for _, p in self.calls]

    def request(self, method: str, params: Dict[str, Any]) -> Any:
        if method != 'getUpdates':
            return True
        with self.cond:
            self.calls.append((time.monotonic(), dict(params)))
            if self.faults:
                raise self.faults.popleft()
            offset = params.get('offset')
            if offset and not self.ignore_offset:
                self.pending = [u for u in self.pending if u['update_id'] >= offset]
            if self.overtaken and params.get('timeout') == 0:
                self.overtaken -= 1                # as if it reached the server first
                return [dict(u) for u in self.pending[:params.get('limit') or 100]]
            self._generation += 1
            me = self._generation
            self.cond.notify_all()                 # an older long poll ends with 409
            limit = params.get('limit') or 100
            deadline = time.monotonic() + (params.get('timeout') or 0)
            while not self.pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.polling.set()
                self.cond.wait(left)
                if self._generation != me:
                    self.polling.clear()
                    raise tg_error(409, 'Conflict: terminated by other getUpdates request; '
                                        'make sure that only one bot instance is running')
            self.polling.clear()
            return [dict(u) for u in self.pending[:limit]]

    def close(self) -> None:
        pass


class Received:
    """A callback recording what user code got; ``wait_for(n)`` blocks until n arrived."""

    def __init__(self) -> None:
        self.msgs: List[Any] = []
        self.cond = threading.Condition()
        self.threads: List[str] = []

    def __call__(self, msg: Any) -> None:
        with self.cond:
            self.msgs.append(msg)
            self.threads.append(threading.current_thread().name)
            self.cond.notify_all()

    @property
    def ids(self) -> List[int]:
        with self.cond:
            return [m.update_id for m in self.msgs]

    def wait_for(self, n: int, timeout: float = WAIT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len(self.msgs) >= n, timeout)


class Gate(Received):
    """Records like Received, and blocks on update ``at`` until ``release`` is set."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, msg: Any) -> None:
        super().__call__(msg)
        if getattr(msg, 'update_id', None) == self.at:
            self.entered.set()
            self.release.wait(WAIT)


def stop_when(got: Received, n: int, stop: Any) -> threading.Thread:
    """A started thread that calls ``stop(WAIT)`` once ``got`` has ``n`` messages."""
    def run() -> None:
        got.wait_for(n)
        stop(WAIT)
    t = threading.Thread(target=run, name='test-stopper')
    t.start()
    return t


def make_bot(server: Any = None) -> Any:
    from telepot_ng import Bot
    bot = Bot(TOKEN, base_url='http://127.0.0.1:9')
    bot._transport = server if server is not None else ScriptedTelegram()
    return bot

"""The fake's update delivery: getUpdates long polling, conflicts, allowed_updates, webhooks."""
from __future__ import annotations

import asyncio
import gc
import http.server
import json
import logging
import socket
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

import pytest

from telepot_ng.testing import FakeTelegram
from telepot_ng.testing.server import DEFAULT_TOKEN, FakeServer

from .test_testing_server import Raw, json_request, raw_socket, read_responses

WAIT = 5.0
CONFLICT = ('Conflict: terminated by other getUpdates request; make sure that only one bot '
            'instance is running')


def msg_update(text: str, chat: int = 9) -> Dict[str, Any]:
    return {'message': {'message_id': 1, 'date': 0, 'text': text,
                        'chat': {'id': chat, 'type': 'private', 'first_name': 'U'}}}


@pytest.fixture
def raw(fake_telegram):
    client = Raw(fake_telegram)
    yield client
    client.close()


def in_thread(fn, *args) -> Tuple[threading.Thread, List[Any]]:
    out: List[Any] = []
    t = threading.Thread(target=lambda: out.append(fn(*args)), name='test-poller')
    t.start()
    return t, out


# -- getUpdates -----------------------------------------------------------------------------------
def test_long_poll_returns_as_soon_as_an_update_arrives(fake_telegram):
    client = Raw(fake_telegram)
    t0 = time.monotonic()
    t, out = in_thread(client.call, 'getUpdates', {'timeout': 30})
    assert fake_telegram.wait_polling(WAIT)
    uid = fake_telegram.push_update(msg_update('wake'))
    t.join(WAIT)
    client.close()
    assert not t.is_alive()
    status, answer = out[0]
    assert status == 200 and [u['update_id'] for u in answer['result']] == [uid]
    assert time.monotonic() - t0 < 10            # far below the 30 s timeout


def test_long_poll_times_out_empty(raw):
    t0 = time.monotonic()
    assert raw.ok('getUpdates', {'timeout': 0.2}) == []
    assert 0.15 < time.monotonic() - t0 < 3


def test_offset_confirms_and_drops_earlier_updates(fake_telegram, raw):
    ids = fake_telegram.push_updates([msg_update(str(i)) for i in range(3)])
    assert ids == sorted(ids) and len(set(ids)) == 3
    got = raw.ok('getUpdates')
    assert [u['update_id'] for u in got] == ids
    assert [u['update_id'] for u in raw.ok('getUpdates')] == ids       # not confirmed yet
    assert [u['update_id'] for u in raw.ok('getUpdates', {'offset': ids[1]})] == ids[1:]
    assert raw.ok('getUpdates', {'offset': ids[-1] + 1}) == []
    assert fake_telegram.counters()['pending_updates'] == 0
    # the confirmed ones never come back
    assert raw.ok('getUpdates', {'offset': 0}) == []


def test_negative_offset_and_limit(fake_telegram, raw):
    ids = fake_telegram.push_updates([msg_update(str(i)) for i in range(5)])
    assert [u['update_id'] for u in raw.ok('getUpdates', {'limit': 2})] == ids[:2]
    assert [u['update_id'] for u in raw.ok('getUpdates', {'offset': -2})] == ids[3:]
    assert [u['update_id'] for u in raw.ok('getUpdates')] == ids[3:]     # earlier forgotten


def test_getupdates_results_are_recorded(fake_telegram, raw):
    ids = fake_telegram.push_updates([msg_update('a'), msg_update('b')])
    raw.ok('getUpdates', {'timeout': 1})
    call, = fake_telegram.requests('getUpdates')
    assert call.result == ids


def test_allowed_updates(fake_telegram, raw):
    cb = {'callback_query': {'id': '1', 'from': {'id': 9, 'is_bot': False, 'first_name': 'U'},
                             'chat_instance': '1', 'data': 'x'}}
    member = {'chat_member': {'chat': {'id': -5, 'type': 'group', 'title': 'G'}}}
    fake_telegram.push_updates([msg_update('dropped later'), cb])
    assert raw.ok('getUpdates', {'allowed_updates': ['callback_query']})[0]['callback_query']
    fake_telegram.push_updates([msg_update('not allowed'), cb])
    got = raw.ok('getUpdates', {'offset': 0})
    assert [list(u)[1] for u in got] == ['callback_query', 'callback_query']
    # an empty list means the default set, which leaves out chat_member
    raw.ok('getUpdates', {'offset': got[-1]['update_id'] + 1, 'allowed_updates': []})
    fake_telegram.push_updates([member, msg_update('back')])
    assert [list(u)[1] for u in raw.ok('getUpdates')] == ['message']
    # form-encoded JSON arrays work too
    raw.call('getUpdates', {'allowed_updates': ['chat_member', 'message'], 'offset': -1},
             encoding='form')
    fake_telegram.push_updates([member])
    assert list(raw.ok('getUpdates')[-1])[1] == 'chat_member'


def test_concurrent_getupdates_conflict(fake_telegram):
    first, second = Raw(fake_telegram), Raw(fake_telegram)
    t, out = in_thread(first.call, 'getUpdates', {'timeout': 30})
    assert fake_telegram.wait_polling(WAIT)
    status, answer = second.call('getUpdates', {'timeout': 0})
    t.join(WAIT)
    first.close()
    second.close()
    assert status == 200
    assert out[0] == (409, {'ok': False, 'error_code': 409, 'description': CONFLICT})


def test_getupdates_conflicts_with_a_webhook(fake_telegram, raw):
    assert raw.ok('setWebhook', {'url': 'http://127.0.0.1:9/hook'}) is True
    status, answer = raw.call('getUpdates')
    assert status == 409 and 'webhook is active' in answer['description']
    assert raw.ok('setWebhook', {'url': ''}) is True       # url='' removes it
    assert raw.ok('getUpdates') == []
    raw.ok('setWebhook', {'url': 'http://127.0.0.1:9/hook'})
    assert raw.ok('deleteWebhook') is True
    assert raw.ok('getWebhookInfo')['url'] == ''
    assert raw.ok('getUpdates') == []


# -- webhooks -------------------------------------------------------------------------------------
class Receiver:
    """A tiny webhook receiver: answers with scripted statuses, records what it got."""

    def __init__(self, statuses: List[int] = (), reply: bytes = b'') -> None:
        self.statuses = list(statuses)
        self.reply = reply
        self.got: List[Tuple[int, Dict[str, str], Dict[str, Any]]] = []
        self.cond = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers['Content-Length']))
                with receiver.cond:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.got.append((status, dict(self.headers), json.loads(body)))
                    receiver.cond.notify_all()
                data = receiver.reply if status == 200 else b'nope'
                self.send_response(status)
                self.send_header('Content-Length', str(len(data)))
                self.send_header('Content-Type', 'application/json')
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d/hook' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name='test-webhook')
        self.thread.start()

    def wait(self, n: int) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: len(self.got) >= n, WAIT)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(WAIT)


@pytest.fixture
def receiver_factory():
    made: List[Receiver] = []

    def make(*args: Any, **kw: Any) -> Receiver:
        made.append(Receiver(*args, **kw))
        return made[-1]
    yield make
    for r in made:
        r.close()


def test_webhook_push_with_secret_token(fake_telegram, raw, receiver_factory):
    rx = receiver_factory()
    raw.ok('setWebhook', {'url': rx.url, 'secret_token': 's3cret',
                          'allowed_updates': ['message']})
    uid = fake_telegram.push_update(msg_update('pushed'))
    assert rx.wait(1)
    status, headers, body = rx.got[0]
    assert headers['X-Telegram-Bot-Api-Secret-Token'] == 's3cret'
    assert headers['Content-Type'] == 'application/json'
    assert body['update_id'] == uid and body['message']['text'] == 'pushed'
    info = raw.ok('getWebhookInfo')
    assert info['url'] == rx.url and info['allowed_updates'] == ['message']
    assert info['has_custom_certificate'] is False


def test_webhook_retries_failures_in_update_id_order(fake_telegram, raw, receiver_factory):
    rx = receiver_factory(statuses=[500, 502, 200, 503, 200])
    raw.ok('setWebhook', {'url': rx.url})
    ids = fake_telegram.push_updates([msg_update('one'), msg_update('two')])
    assert rx.wait(5)
    delivered = [body['update_id'] for status, _, body in rx.got if status == 200]
    attempts = [body['update_id'] for _, _, body in rx.got]
    assert delivered == ids                                   # once each, in order
    assert attempts == [ids[0], ids[0], ids[0], ids[1], ids[1]]
    info = raw.ok('getWebhookInfo')
    assert info['last_error_message'] == 'Wrong response from the webhook: 503'
    assert info['last_error_date'] > 0


def test_webhook_unreachable_then_deleted(fake_telegram, raw):
    fake_telegram.configure(webhook_retry_base=0.01, webhook_retry_max=0.02)
    raw.ok('setWebhook', {'url': 'http://127.0.0.1:1/nothing-listens'})
    fake_telegram.push_update(msg_update('stuck'))
    info = raw.ok('getWebhookInfo')
    assert info['pending_update_count'] == 1
    raw.ok('deleteWebhook', {'drop_pending_updates': True})
    assert raw.ok('getWebhookInfo') == {'url': '', 'has_custom_certificate': False,
                                        'pending_update_count': 0}


def test_webhook_reply_runs_a_method(fake_telegram, raw, receiver_factory):
    reply = json.dumps({'method': 'sendMessage', 'chat_id': 9, 'text': 'from the reply'})
    rx = receiver_factory(reply=reply.encode())
    raw.ok('setWebhook', {'url': rx.url})
    fake_telegram.push_update(msg_update('hi'))
    call, = fake_telegram.wait_for_sent('sendMessage', chat_id=9, timeout=WAIT)
    assert call.text == 'from the reply' and call.http_method == 'WEBHOOK-REPLY'


def test_set_webhook_drop_pending_and_bad_url(fake_telegram, raw):
    fake_telegram.push_updates([msg_update('old')])
    raw.ok('setWebhook', {'url': 'http://127.0.0.1:1/x', 'drop_pending_updates': True})
    assert raw.ok('getWebhookInfo')['pending_update_count'] == 0
    status, answer = raw.call('setWebhook', {'url': 'ftp://nope'})
    assert status == 400


# -- races at request arrival (in-process server on this test's own event loop) -------------------
# A long poll must be in place the moment its request is parsed: an update pushed, or a newer
# getUpdates parsed, in the same event-loop iteration (before any task has run) must end it.
POLL = '/bot%s/getUpdates' % DEFAULT_TOKEN
PROMPT = 5.0          # a 30 s long poll that is ended must answer far sooner than this


async def read_answer(reader: asyncio.StreamReader) -> Tuple[int, Dict[str, Any]]:
    head = await reader.readuntil(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    length = next(int(l.split(':', 1)[1]) for l in lines if l.lower().startswith('content-length'))
    return int(lines[0].split()[1]), json.loads(await reader.readexactly(length))


def run_on_fresh_server(scenario, **options: Any) -> Any:
    """Run ``await scenario(server, port)`` against a FakeServer on a new event loop; afterwards
    the server is stopped and no task may be left on the loop."""
    loop_errors: List[Dict[str, Any]] = []

    async def main() -> Any:
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: loop_errors.append(ctx))
        server = FakeServer(DEFAULT_TOKEN, **options)
        port = await server.start()
        try:
            return await asyncio.wait_for(scenario(server, port), 60)
        finally:
            await asyncio.wait_for(server.stop(), WAIT)
            left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert left == []

    result = asyncio.run(main())
    gc.collect()
    assert loop_errors == []
    return result


def test_update_pushed_as_the_long_poll_is_parsed_ends_it():
    async def scenario(server: FakeServer, port: int) -> None:
        handle = server.http.handler

        def push_right_after_getupdates(req):
            answer = handle(req)
            if req.path == POLL:                     # same callback: no task has run yet
                server.updates.push(msg_update('in the gap'))
            return answer
        server.http.handler = push_right_after_getupdates
        reader, writer = await asyncio.open_connection('127.0.0.1', port)
        offset = 0
        for _ in range(20):
            t0 = time.monotonic()
            writer.write(json_request(POLL, {'timeout': 30, 'offset': offset}))
            status, answer = await asyncio.wait_for(read_answer(reader), PROMPT)
            assert time.monotonic() - t0 < PROMPT
            assert status == 200
            texts = [u['message']['text'] for u in answer['result']]
            assert texts == ['in the gap']
            offset = answer['result'][-1]['update_id'] + 1
        writer.close()

    run_on_fresh_server(scenario)


def test_newer_getupdates_parsed_in_the_same_instant_ends_the_older_with_409():
    async def scenario(server: FakeServer, port: int) -> None:
        older, newer = [await asyncio.open_connection('127.0.0.1', port) for _ in range(2)]
        for i in range(20):
            # written back to back: the server reads both in one loop iteration
            older[1].write(json_request(POLL, {'timeout': 30}))
            newer[1].write(json_request(POLL, {'timeout': 30}))
            status, answer = await asyncio.wait_for(read_answer(older[0]), PROMPT)
            assert (status, answer['description']) == (409, CONFLICT), i
            assert await server.updates.wait_polling(PROMPT)     # the newer one still waits
            server.updates.push(msg_update('wake %d' % i))
            status, answer = await asyncio.wait_for(read_answer(newer[0]), PROMPT)
            assert status == 200
            assert [u['message']['text'] for u in answer['result']] == ['wake %d' % i]
            server.updates.drop_all()
        for _, writer in (older, newer):
            writer.close()

    run_on_fresh_server(scenario)


def test_newer_getupdates_right_after_a_long_poll_ends_it_through_fake_telegram(fake_telegram):
    """The same race across threads, as bots meet it: a second getUpdates sent right after the
    first one's bytes are written (whichever loop iteration reads them)."""
    first, second = raw_socket(fake_telegram), raw_socket(fake_telegram)
    try:
        for i in range(50):
            first.sendall(json_request(POLL, {'timeout': 30}))
            second.sendall(json_request(POLL, {'timeout': 0}))
            t0 = time.monotonic()
            (s1, b1, _), = read_responses(first, 1)
            (s2, b2, _), = read_responses(second, 1)
            assert (s1, json.loads(b1)['description']) == (409, CONFLICT), i
            assert s2 == 200 and time.monotonic() - t0 < PROMPT
    finally:
        first.close()
        second.close()


# -- webhook workers end with the webhook -----------------------------------------------------------
class _Silent(asyncio.Protocol):
    """A webhook receiver that reads a push and never answers it (a push stays in flight)."""

    def __init__(self, got: asyncio.Event, lost: List[bool]) -> None:
        self.got, self.lost = got, lost

    def data_received(self, data: bytes) -> None:
        self.got.set()

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        self.lost.append(True)


@pytest.mark.filterwarnings('error')
@pytest.mark.parametrize('how', ['deleteWebhook', 'setWebhook', 'reset', 'stop'])
def test_ending_a_webhook_with_a_push_in_flight_finishes_its_workers(how):
    async def scenario(server: FakeServer, port: int) -> None:
        got, lost = asyncio.Event(), []
        silent = await asyncio.get_running_loop().create_server(
            lambda: _Silent(got, lost), '127.0.0.1', 0)
        hook = 'http://127.0.0.1:%d/hook' % silent.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection('127.0.0.1', port)

        async def call(method: str, params: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
            writer.write(json_request('/bot%s/%s' % (DEFAULT_TOKEN, method), params))
            return await asyncio.wait_for(read_answer(reader), PROMPT)

        assert (await call('setWebhook', {'url': hook, 'max_connections': 3}))[0] == 200
        server.updates.push(msg_update('in flight'))
        await asyncio.wait_for(got.wait(), PROMPT)
        workers = [t for t in asyncio.all_tasks()
                   if t.get_coro().__qualname__ == '_Webhook._worker']
        assert len(workers) == 3
        if how == 'deleteWebhook':
            assert (await call('deleteWebhook', {}))[0] == 200
        elif how == 'setWebhook':          # replaced: the new webhook's workers take over
            assert (await call('setWebhook', {'url': 'http://127.0.0.1:1/elsewhere'}))[0] == 200
        elif how == 'reset':
            assert await server.control('reset', {}) is True
        if how != 'stop':
            # answered only once the old workers have finished and closed their connections
            assert all(t.done() for t in workers)
            assert lost == [True]
        writer.close()
        silent.close()
        if how == 'stop':
            await server.stop()
            assert all(t.done() for t in workers)

    run_on_fresh_server(scenario)


@pytest.mark.filterwarnings('error')
def test_delete_webhook_with_a_push_in_flight_then_close_fake_telegram(caplog):
    """Through FakeTelegram's own thread, closed right after deleteWebhook: nothing may be left
    running when its loop is closed ('Task was destroyed but it is pending', 'Event loop is
    closed' from a worker finishing too late, an unclosed transport)."""
    listener = socket.create_server(('127.0.0.1', 0))
    listener.settimeout(WAIT)
    got = threading.Event()
    accepted: List[socket.socket] = []

    def accept() -> None:
        conn, _ = listener.accept()
        accepted.append(conn)
        conn.settimeout(WAIT)
        conn.recv(65536)
        got.set()                                  # and never answer

    t = threading.Thread(target=accept, name='test-silent-webhook')
    t.start()
    tg = FakeTelegram().start()
    try:
        raw = Raw(tg)
        raw.ok('setWebhook', {'url': 'http://127.0.0.1:%d/' % listener.getsockname()[1]})
        tg.push_update(msg_update('in flight'))
        assert got.wait(WAIT)
        assert raw.ok('deleteWebhook') is True
        raw.close()
    finally:
        tg.close()
        t.join(WAIT)
        listener.close()
    gc.collect()
    try:
        assert accepted[0].recv(1) == b''            # the fake closed the push's connection
    finally:
        accepted[0].close()
    assert not [r for r in caplog.records if r.name == 'asyncio' or r.levelno >= logging.ERROR]

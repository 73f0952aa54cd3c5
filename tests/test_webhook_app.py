"""telepot_ng.webhook.WebhookApp: called directly, and hosted in a real WSGI server that the
fake Telegram server pushes updates to through setWebhook."""
from __future__ import annotations

import io
import json
import logging
import queue
import socketserver
import sys
import threading
import types
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from telepot_ng import loop, webhook
from telepot_ng.loop import OrderedWebhook, Webhook
from telepot_ng.webhook import WebhookApp

from .test_loop_support import WAIT, Received, make_bot, text_update


def call(app, method='POST', body=b'', headers=None, length=True, **environ):
    env = {'REQUEST_METHOD': method, 'wsgi.input': io.BytesIO(body), 'REMOTE_ADDR': '127.0.0.1',
           'PATH_INFO': '/hook'}
    if length:
        env['CONTENT_LENGTH'] = str(len(body))
    for k, v in (headers or {}).items():
        env['HTTP_' + k.upper().replace('-', '_')] = v
    env.update(environ)
    seen = {}

    def start_response(status, hdrs):
        seen['status'], seen['headers'] = status, dict(hdrs)

    out = b''.join(app(env, start_response))
    assert int(seen['headers']['Content-Length']) == len(out)
    return int(seen['status'].split()[0]), seen['headers'], out


def body(uid=1):
    return json.dumps(text_update(uid)).encode()


@pytest.fixture
def q():
    return queue.Queue()


def test_post_of_an_update_is_queued_and_answered_200(q):
    app = WebhookApp(q)
    status, _, out = call(app, body=body(7))
    assert status == 200 and out == b''
    assert q.get_nowait() == text_update(7)


@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'])
def test_only_post_is_allowed(q, method):
    status, headers, _ = call(WebhookApp(q), method=method, body=body())
    assert status == 405 and headers['Allow'] == 'POST'
    assert q.empty()


def test_secret_token_is_checked_in_constant_time(q, monkeypatch):
    compared = []
    real = webhook.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(webhook.hmac, 'compare_digest', spy)
    app = WebhookApp(q, secret_token='s3cret_-X')
    assert call(app, body=body(1))[0] == 403                       # missing
    assert call(app, body=body(2), headers={'X-Telegram-Bot-Api-Secret-Token': 's3cret'})[0] == 403
    assert call(app, body=body(3), headers={'X-Telegram-Bot-Api-Secret-Token': 's3cret_-X'})[0] == 200
    assert [u['update_id'] for u in (q.get_nowait(),)] == [3] and q.empty()
    assert compared == [(b's3cret', b's3cret_-X'), (b's3cret_-X', b's3cret_-X')]


@pytest.mark.parametrize('secret', ['', 'has space', 'x' * 257, 'ünï', 42])
def test_invalid_secret_token_is_rejected_at_construction(q, secret):
    with pytest.raises(ValueError):
        WebhookApp(q, secret_token=secret)


def test_body_size_limit(q):
    app = WebhookApp(q, max_body_size=100)
    big = json.dumps({'update_id': 1, 'message': {'text': 'x' * 200}}).encode()
    assert call(app, body=big)[0] == 413
    ok = json.dumps({'update_id': 2, 'message': {'text': 'x'}}).encode()
    assert len(ok) <= 100 and call(app, body=ok)[0] == 200
    assert q.qsize() == 1


def test_length_required_unless_the_server_terminates_the_input(q):
    app = WebhookApp(q, max_body_size=300)
    assert len(body(2)) < 300
    assert call(app, body=body(1), length=False)[0] == 411
    assert call(app, body=body(2), length=False, **{'wsgi.input_terminated': True})[0] == 200
    big = b'{"update_id": 3, "message": {"t": "' + b'x' * 400 + b'"}}'
    assert call(app, body=big, length=False, **{'wsgi.input_terminated': True})[0] == 413
    assert q.qsize() == 1


@pytest.mark.parametrize('data', [b'{"update_id": 1, "mess', b'\xff\xfe', b'[]', b'null',
                                  b'{"message": {}}', b'{"update_id": 9}', b''])
def test_invalid_json_or_non_update_is_400(q, data):
    assert call(WebhookApp(q), body=data)[0] == 400
    assert q.empty()


def test_bad_content_length_is_400_and_short_body_is_400(q):
    app = WebhookApp(q)
    assert call(app, body=body(), CONTENT_LENGTH='abc')[0] == 400
    assert call(app, body=body(), CONTENT_LENGTH='-1')[0] == 400
    assert call(app, body=body(), CONTENT_LENGTH=str(len(body()) + 10))[0] == 400
    assert q.empty()


def test_target_must_be_a_queue_or_have_feed():
    with pytest.raises(TypeError):
        WebhookApp([])


def test_full_queue_answers_503_so_telegram_retries():
    q = queue.Queue(maxsize=1)
    app = WebhookApp(q)
    assert call(app, body=body(1))[0] == 200
    assert call(app, body=body(2))[0] == 503


def test_stopped_consumer_answers_503():
    bot = make_bot()
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q)
    app = WebhookApp(q)
    assert call(app, body=body(1))[0] == 200
    assert got.wait_for(1)
    bot.stop(WAIT)
    assert call(app, body=body(2))[0] == 503      # would never be handled: Telegram keeps it


@pytest.mark.parametrize('cls', [Webhook, OrderedWebhook])
def test_feed_target(cls):
    bot = make_bot()
    got = Received()
    hook = cls(bot, got)
    app = WebhookApp(hook)
    hook.run_as_thread()
    assert call(app, body=body(1))[0] == 200
    assert call(app, body=b'{"update_id": 2}')[0] == 400
    assert got.wait_for(1)
    hook.stop(WAIT)
    assert call(app, body=body(3))[0] == 503
    assert got.ids == [1]


def test_target_that_raises_unexpectedly_answers_500(caplog):
    class Broken:
        def feed(self, data):
            raise KeyError('bug')

    assert call(WebhookApp(Broken()), body=body())[0] == 500
    assert 'target failed' in caplog.text


# ------------------------------------------------------------------------------ uWSGI

@pytest.mark.parametrize('opt,ok', [
    ({}, False),
    ({'enable-threads': b'false'}, False),
    ({'enable-threads': True}, True),
    ({'enable-threads': b'1'}, True),
    ({'threads': b'4'}, True),
])
def test_uwsgi_without_threads_fails_loudly_at_start_up(monkeypatch, q, opt, ok):
    monkeypatch.setitem(sys.modules, 'uwsgi', types.SimpleNamespace(opt=opt))
    bot = make_bot()
    if ok:
        WebhookApp(q)
        runner = bot.notifyOnMessage(Received(), source=queue.Queue())
        runner.stop(WAIT)
    else:
        with pytest.raises(RuntimeError, match='enable-threads'):
            WebhookApp(q)
        with pytest.raises(RuntimeError, match='enable-threads'):
            bot.notifyOnMessage(Received(), source=queue.Queue())
        with pytest.raises(RuntimeError, match='enable-threads'):
            Webhook(bot, Received()).run_as_thread()
    assert not loop._running or all(r.running for r in loop._running)


# ------------------------------------------------------------------------------ hosted, fake Telegram

class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = False
    block_on_close = True          # server_close() joins the request threads
    request_queue_size = 64        # 8 concurrent pushes must not overflow the listen backlog


@pytest.fixture
def serve():
    servers = []

    def start(app):
        httpd = make_server('127.0.0.1', 0, app, server_class=_ThreadingWSGIServer,
                            handler_class=_Quiet)
        t = threading.Thread(target=httpd.serve_forever, args=(0.05,), name='test-wsgi',
                             daemon=True)
        t.start()
        servers.append((httpd, t))
        return 'http://127.0.0.1:%d/hook' % httpd.server_port

    yield start
    for httpd, t in servers:
        httpd.shutdown()
        httpd.server_close()
        t.join(WAIT)


@pytest.fixture(scope='module')
def tg():
    from telepot_ng.testing import FakeTelegram
    with FakeTelegram(webhook_retry_base=0.01, webhook_retry_max=0.05) as fake:
        yield fake


@pytest.fixture
def fresh(tg):
    tg.reset()
    tg.configure(webhook_retry_base=0.01, webhook_retry_max=0.05)
    return tg


def test_fake_telegram_pushes_through_setwebhook_to_notify_on_message(fresh, serve):
    tg = fresh
    bot = tg.bot()
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q)
    url = serve(WebhookApp(q, secret_token='s3cret'))
    bot.setWebhook(url, secret_token='s3cret')
    alice = tg.user('Alice')
    for i in range(20):
        alice.says('hello %d' % i)
    assert got.wait_for(20)
    assert [m['text'] for m in got.msgs] == ['hello %d' % i for i in range(20)]
    assert all(m.update_type == 'message' for m in got.msgs)
    bot.deleteWebhook()


class _Signal(logging.Handler):
    def __init__(self, needle):
        super().__init__()
        self.needle, self.event = needle, threading.Event()

    def emit(self, record):
        if self.needle in record.getMessage():
            self.event.set()


def test_wrong_secret_is_refused_and_telegram_keeps_the_update(fresh, serve):
    tg = fresh
    bot = tg.bot()
    q = queue.Queue()
    url = serve(WebhookApp(q, secret_token='right'))
    refused = _Signal('wrong secret token')
    logging.getLogger('telepot_ng.webhook').addHandler(refused)
    try:
        bot.setWebhook(url, secret_token='wrong')
        tg.user('Bob').says('hi')
        assert refused.event.wait(WAIT)
    finally:
        logging.getLogger('telepot_ng.webhook').removeHandler(refused)
    bot.deleteWebhook()
    assert q.empty()
    assert [u['message']['text'] for u in bot.getUpdates()] == ['hi']   # still pending


def test_ordered_webhook_behind_a_threaded_server_keeps_update_order(fresh, serve):
    tg = fresh
    bot = tg.bot()
    got = Received()
    hook = OrderedWebhook(bot, got)
    hook.run_as_thread(maxhold=5)
    url = serve(WebhookApp(hook))
    bot.setWebhook(url, max_connections=8)        # 8 concurrent pushes: arrival order varies
    users = [tg.user('U%d' % i) for i in range(4)]
    with tg.batch():
        for i in range(100):
            users[i % 4].says('m%d' % i)
    assert got.wait_for(100)
    ids = got.ids
    assert ids == sorted(ids) and len(set(ids)) == 100
    assert [m['text'] for m in got.msgs] == ['m%d' % i for i in range(100)]
    bot.deleteWebhook()


def test_loop_thread_missing_in_this_process_answers_503(caplog):
    """After a fork (gunicorn --preload), the loop object exists but its thread does not."""
    bot = make_bot()
    hook = OrderedWebhook(bot, Received())
    hook.run_as_thread()
    real = hook._runner._thread
    gone = threading.Thread(target=lambda: None)   # what a forked child sees: a dead thread
    gone.start()
    gone.join()
    hook._runner._thread = gone
    try:
        assert not hook.running
        assert call(WebhookApp(hook), body=body(1))[0] == 503
        assert 'not running in process' in caplog.text
    finally:
        hook._runner._thread = real
        bot.stop(WAIT)

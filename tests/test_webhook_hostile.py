"""Issue 13, cases 4-6 (the WSGI app under a real wsgiref server) and 8 (garbled answers):
hostile or broken input never ends a source, an update answered 200 is delivered, one
forged update_id cannot silence the bot, errors say maybe_sent and hide credentials."""
from __future__ import annotations

import base64
import http.client
import http.server
import json
import logging
import queue
import threading
import urllib.parse

import pytest

from telepot_ng import exception, loop
from telepot_ng.loop import Webhook
from telepot_ng.webhook import WebhookApp

from .test_loop_support import WAIT, Received, make_bot, text_update
from .test_webhook_app import serve  # noqa: F401  (fixture: the app under wsgiref)

DEEP = b'[' * 1000 + b']' * 1000
SECRET = 'hook-secret-1'


@pytest.fixture
def bot():
    from .test_loop_support import ScriptedTelegram
    b = make_bot(ScriptedTelegram())
    yield b
    b.stop(WAIT)


def post(url, data):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    try:
        if not isinstance(data, bytes):
            data = json.dumps(data).encode()
        conn.request('POST', parts.path, data, {'Content-Type': 'application/json',
                                                'X-Telegram-Bot-Api-Secret-Token': SECRET})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


# ------------------------------------------------------------------------------ case 4

def test_deeply_nested_json_is_a_400_and_the_app_keeps_serving(serve, bot):  # noqa: F811
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q)
    url = serve(WebhookApp(q, secret_token=SECRET))
    assert post(url, DEEP) == 400                   # was 500: RecursionError escaped
    assert post(url, text_update(1)) == 200
    assert got.wait_for(1)


def test_deeply_nested_json_in_a_queue_is_skipped_and_the_loop_goes_on(bot, caplog):
    q = queue.Queue()
    got = Received()
    ml = bot.notifyOnMessage(got, source=q)
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        q.put(DEEP)
        q.put(DEEP.decode())
        q.put(text_update(1))
        assert got.wait_for(1)                      # was: the loop ended, 1 never came
    assert ml.running
    assert 'queue item skipped: not a JSON Update: nested too deeply' in caplog.text


# ------------------------------------------------------------------------------ case 5

def test_an_update_refused_with_503_and_sent_again_later_is_delivered(serve, bot):  # noqa: F811
    q = queue.Queue(maxsize=1)
    got = Received()
    release = threading.Event()

    def handle(msg):
        got(msg)
        if msg.update_id == 1:
            release.wait(WAIT)

    bot.notifyOnMessage(handle, source=q, maxhold=0.2)
    url = serve(WebhookApp(q, secret_token=SECRET))
    assert post(url, text_update(1)) == 200
    assert got.wait_for(1)                          # 1 is in the callback
    assert post(url, text_update(2)) == 200         # 2 fills the queue
    assert post(url, text_update(3)) == 503         # Telegram keeps 3 and sends it later
    release.set()
    assert got.wait_for(2)
    assert post(url, text_update(4)) == 200         # handed on after maxhold: 3 is missing
    assert got.wait_for(3)
    assert post(url, text_update(3)) == 200         # Telegram's retry
    assert got.wait_for(4), got.ids                 # was: dropped as late after its 200
    assert got.ids == [1, 2, 4, 3]


def test_a_gap_filled_after_maxhold_is_delivered(serve, bot):  # noqa: F811
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q, maxhold=0.2)
    url = serve(WebhookApp(q, secret_token=SECRET))
    for uid in (10, 12):
        assert post(url, text_update(uid)) == 200
    assert got.wait_for(2)                          # 12 after maxhold, 11 given up
    assert post(url, text_update(11)) == 200
    assert got.wait_for(3), got.ids                 # was: answered 200, then dropped
    assert post(url, text_update(11)) == 200        # a real duplicate is still dropped
    assert post(url, text_update(13)) == 200
    assert got.wait_for(4)
    assert got.ids == [10, 12, 11, 13]


def test_webhook_answers_503_while_the_backlog_is_at_its_limit(serve, bot):  # noqa: F811
    got = Received()
    release = threading.Event()

    def handle(msg):
        got(msg)
        release.wait(WAIT)

    bot.inflight.limit = 3
    hook = Webhook(bot, handle)
    url = serve(WebhookApp(hook, secret_token=SECRET))
    hook.run_as_thread()
    assert post(url, text_update(1)) == 200
    assert got.wait_for(1)
    assert post(url, text_update(2)) == 200
    assert post(url, text_update(3)) == 200
    assert post(url, text_update(4)) == 503         # 1 in the callback + 2 queued = 3
    release.set()
    assert got.wait_for(3)
    assert bot.inflight.wait_empty(WAIT)
    assert post(url, text_update(4)) == 200
    assert got.wait_for(4)


# ------------------------------------------------------------------------------ case 6

def test_one_forged_far_update_id_does_not_silence_the_bot(serve, bot, caplog):  # noqa: F811
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q, maxhold=0.2)
    with caplog.at_level(logging.WARNING, logger='telepot_ng.webhook'):
        app = WebhookApp(q)                         # no secret_token: warned once, now
    url = serve(app)
    for uid in range(1, 6):
        assert post(url, text_update(uid)) == 200
    assert got.wait_for(5)
    assert post(url, text_update(10 ** 15)) == 200  # the forged one
    assert got.wait_for(6)
    for uid in range(6, 106):
        assert post(url, text_update(uid)) == 200
    assert got.wait_for(106), len(got.ids)          # was: 0 of the 100 delivered
    assert got.ids == list(range(1, 6)) + [10 ** 15] + list(range(6, 106))
    assert len([r for r in caplog.records if 'without secret_token' in r.getMessage()]) == 1


# ------------------------------------------------------------------------------ case 8

def test_a_garbled_answer_says_the_request_may_have_reached_telegram(fake_telegram):
    bot = fake_telegram.bot()
    alice = fake_telegram.user('Alice')
    fake_telegram.fail('sendMessage', 'server_error', status=502)
    with pytest.raises(exception.BadHTTPResponse) as info:
        bot.sendMessage(alice.id, 'hi')
    assert info.value.maybe_sent is True
    assert 'may have reached Telegram' in str(info.value)


class _EchoingProxy(http.server.BaseHTTPRequestHandler):
    """A broken proxy: answers every request with a 502 page quoting its request headers."""

    def do_POST(self):
        page = ('<html><body>502 Bad Gateway<pre>%s</pre></body></html>'
                % str(self.headers)).encode()
        self.send_response(502)
        self.send_header('Content-Type', 'text/html')
        self.send_header('Content-Length', str(len(page)))
        self.send_header('X-Echo-Auth', self.headers.get('Proxy-Authorization', ''))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args):
        pass


def test_a_proxys_credentials_never_appear_in_the_error_or_the_log(caplog):
    from telepot_ng import api
    from .test_loop_support import TOKEN
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _EchoingProxy)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    user, password = 'carol', 'pr0xy-Passw0rd'
    value = base64.b64encode(('%s:%s' % (user, password)).encode()).decode()
    try:
        transport = api.Transport(TOKEN, base_url='http://127.0.0.1:9',
                                  proxy='http://127.0.0.1:%d' % server.server_port,
                                  proxy_basic_auth=(user, password))
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(exception.BadHTTPResponse) as info:
                transport.request('sendMessage', {'chat_id': 1, 'text': 'hi'})
            logging.getLogger('telepot_ng.api').error('failed: %s', info.value)
        e = info.value
        texts = [str(e), repr(e), e.text, repr(e.response), caplog.text]
        for text in texts:
            assert value not in text and password not in text, text
        assert 'Basic ***' in e.text                # the page did quote it
        assert e.maybe_sent is True
    finally:
        server.shutdown()
        server.server_close()
        t.join(WAIT)

"""Transport against real HTTP servers on 127.0.0.1 started by the tests: the default
http.client pool (keep-alive, stale connections, the cap), timeouts, dropped connections,
downloads, HTTPS verification, proxies, and token masking in real urllib3/requests logs."""
import base64
import http.client
import http.server
import io
import json
import logging
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import traceback
import tracemalloc
import urllib.parse
import warnings

import pytest
import requests

from telepot_ng import _http, _masking, api
from telepot_ng import exception as E

TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1'
SECRET = TOKEN.split(':')[1]
WAIT = 10  # seconds: upper bound for every event wait; never reached when things work


class LocalServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 serving in a thread of its own until stop()."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, handler):
        super().__init__(('127.0.0.1', 0), handler)
        self.thread = threading.Thread(target=self.serve_forever, name='test-%s' % handler.__name__,
                                       kwargs={'poll_interval': 0.05})
        self.thread.start()

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.server_port

    def stop(self):
        self.shutdown()
        self.server_close()
        self.thread.join(WAIT)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):   # clients that hung up: fine
            super().handle_error(request, client_address)


class QuietHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Server(LocalServer):
    """Keep-alive HTTP/1.1 server whose answers the test decides (``behave``); counts
    connections and records requests."""

    def __init__(self):
        self.lock = threading.Condition()
        self.connections = 0
        self.requests = []              # (method name or path, headers, body)
        self.closed = threading.Event()  # set whenever the server closed a connection
        self.behave = lambda handler, name, body: handler.reply({'ok': True, 'result': name})
        super().__init__(Handler)

    def count(self, name):
        with self.lock:
            return sum(1 for r in self.requests if r[0] == name)

    def wait_for(self, predicate):
        with self.lock:
            return self.lock.wait_for(predicate, WAIT)

    def shutdown_request(self, request):
        super().shutdown_request(request)
        self.closed.set()


class Handler(QuietHandler):
    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1
            self.server.lock.notify_all()

    def _handle(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length)
        name = self.path.rsplit('/', 1)[1] if self.command == 'POST' else self.path
        with self.server.lock:
            self.server.requests.append((name, dict(self.headers), body))
            self.server.lock.notify_all()
        self.server.behave(self, name, body)

    do_POST = do_GET = _handle

    def reply(self, obj, status=200, raw=None, headers=()):
        data = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header('Content-Length', str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def drop(self, reset=False):
        """Close the connection without answering (optionally with a TCP reset)."""
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack('ii', 1, 0))
        self.close_connection = True


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture
def make_transport(server):
    made = []

    def make(**kw):
        kw.setdefault('base_url', server.url)
        # these tests are about the HTTP pool (many calls to one chat at full speed), not
        # about pacing: the rate limiter is off unless a test turns it on
        kw.setdefault('rate_limits', None)
        t = api.Transport(TOKEN, **kw)
        made.append(t)
        return t
    yield make
    for t in made:
        t.close()


def send(t, method='sendMessage', **params):
    return t.request(method, params or {'chat_id': 1, 'text': 'hi'})


# -- keep-alive pool ---------------------------------------------------------------------------

def test_sequential_requests_reuse_one_connection(server, make_transport):
    t = make_transport()
    for i in range(20):
        assert send(t) == 'sendMessage'
    assert server.connections == 1
    assert len(server.requests) == 20
    name, headers, body = server.requests[0]
    assert headers['Content-Type'] == 'application/json'
    assert json.loads(body) == {'chat_id': 1, 'text': 'hi'}


def test_concurrent_callers_share_the_pool_without_a_socket_per_call(server, make_transport):
    t = make_transport()
    errors = []

    def worker():
        try:
            for _ in range(15):
                assert send(t) == 'sendMessage'
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, name='test-caller-%d' % i) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(WAIT)
    assert not errors
    assert len(server.requests) == 120
    assert 1 <= server.connections <= 8


@pytest.mark.parametrize('check', ['tcp-state', 'poll'])
def test_connection_closed_by_server_is_detected_before_reuse(server, make_transport,
                                                              monkeypatch, check):
    if check == 'poll':
        monkeypatch.setattr(_http, '_TCP_INFO', None)
    elif _http._TCP_INFO is None:
        pytest.skip('TCP_INFO is Linux only')

    def close_after_answer(handler, name, body):
        handler.reply({'ok': True, 'result': name})   # no "Connection: close" header...
        handler.close_connection = True                # ...but the server closes it anyway
    server.behave = close_after_answer
    t = make_transport()
    assert send(t) == 'sendMessage'
    assert server.closed.wait(WAIT)
    server.closed.clear()
    # a sendMessage is never re-sent after it may have arrived, so success here proves the
    # dead connection was noticed before anything was written to it
    assert send(t) == 'sendMessage'
    assert server.connections == 2
    assert server.count('sendMessage') == 2


def test_idle_too_long_connection_is_not_reused(server, make_transport, monkeypatch):
    t = make_transport()
    send(t)
    monkeypatch.setattr(_http.ConnectionPool, 'idle_timeout', 0.0)
    send(t)
    assert server.connections == 2


def answer_once_set(release):
    """A server behaviour that holds every answer until ``release`` is set."""
    def behave(handler, name, body):
        release.wait(WAIT)
        handler.reply({'ok': True, 'result': name})
    return behave


def test_pool_cap_makes_callers_wait_instead_of_failing(server, make_transport):
    release = threading.Event()
    server.behave = answer_once_set(release)
    t = make_transport(pool_size=2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(send(t)), name='test-cap-%d' % i)
               for i in range(3)]
    for th in threads:
        th.start()
    assert server.wait_for(lambda: len(server.requests) == 2)
    pool = t._backend._pools[t._api]
    deadline = time.monotonic() + WAIT
    while pool._waiters != 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert pool._waiters == 1                 # the third caller waits for a connection
    assert len(server.requests) == 2
    release.set()
    for th in threads:
        th.join(WAIT)
    assert results == ['sendMessage'] * 3
    assert server.connections == 2


def test_pool_timeout_raises_a_network_timeout_that_was_not_sent(server, make_transport):
    release = threading.Event()
    server.behave = answer_once_set(release)
    t = make_transport(pool_size=1, pool_timeout=0.1)
    first = threading.Thread(target=send, args=(t,), name='test-holder')
    first.start()
    try:
        assert server.wait_for(lambda: len(server.requests) == 1)
        with pytest.raises(E.NetworkTimeout) as info:
            send(t)
        assert info.value.maybe_sent is False
    finally:
        release.set()
        first.join(WAIT)
    assert len(server.requests) == 1


def closed_port_url():
    """The URL of a port on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return 'http://127.0.0.1:%d' % s.getsockname()[1]


def test_connection_refused_is_not_sent(make_transport):
    t = make_transport(base_url=closed_port_url())
    with pytest.raises(E.NetworkError) as info:
        send(t)
    assert info.value.maybe_sent is False
    assert isinstance(info.value.cause, ConnectionRefusedError)


# -- timeouts and dropped connections ------------------------------------------------------------

def delayed(seconds):
    def behave(handler, name, body):
        threading.Event().wait(seconds)          # the server is deliberately slow
        handler.reply({'ok': True, 'result': name})
    return behave


def test_get_updates_read_timeout_is_extended_by_its_long_poll(server, make_transport):
    server.behave = delayed(0.6)
    t = make_transport(read_timeout=0.3)
    assert t.request('getUpdates', {'offset': 1, 'timeout': 1}) == 'getUpdates'
    with pytest.raises(E.NetworkTimeout) as info:
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert info.value.maybe_sent is True
    assert 'read timed out' in str(info.value)
    assert server.count('sendMessage') == 1


@pytest.mark.parametrize('reset', [False, True])
def test_dropped_after_sending_is_maybe_sent_and_not_resent(server, make_transport, reset):
    server.behave = lambda handler, name, body: handler.drop(reset)
    t = make_transport()
    with pytest.raises(E.NetworkError) as info:
        send(t)
    assert type(info.value) is E.NetworkError
    assert info.value.maybe_sent is True
    assert server.count('sendMessage') == 1
    assert SECRET not in str(info.value)


def test_dropped_read_only_call_is_retried_once(server, make_transport):
    def drop_first(handler, name, body):
        if server.count(name) == 1:
            handler.drop()
        else:
            handler.reply({'ok': True, 'result': {'id': 1}})
    server.behave = drop_first
    t = make_transport()
    assert t.request('getMe', {}) == {'id': 1}
    assert server.count('getMe') == 2


def test_typed_errors_and_non_json_through_http_client(server, make_transport):
    def behave(handler, name, body):
        if name == 'blocked':
            handler.reply({'ok': False, 'error_code': 403,
                           'description': 'Forbidden: bot was blocked by the user'}, status=403)
        else:
            handler.reply(None, status=502, raw=b'<html>502 Bad Gateway</html>',
                          headers=[('Content-Type', 'text/html')])
    server.behave = behave
    t = make_transport()
    with pytest.raises(E.BotWasBlockedError):
        t.request('blocked', {})
    with pytest.raises(E.BadHTTPResponse) as info:
        t.request('gateway', {})
    assert info.value.status == 502 and 'Bad Gateway' in info.value.text
    assert server.connections == 1           # error answers keep the connection usable


def test_multipart_upload_through_http_client(server, make_transport, tmp_path):
    path = tmp_path / 'photo.jpg'
    path.write_bytes(os.urandom(300000))
    t = make_transport()
    t.request('sendPhoto', {'chat_id': 1, 'photo': path, 'caption': 'c'})
    name, headers, body = server.requests[0]
    assert headers['Content-Type'].startswith('multipart/form-data; boundary=')
    assert int(headers['Content-Length']) == len(body)
    assert path.read_bytes() in body
    assert 'Transfer-Encoding' not in headers


# -- downloads -----------------------------------------------------------------------------------

def serve_file(data, chunked=False, cut_at=None):
    def behave(handler, name, body):
        if handler.command != 'GET':
            return handler.reply({'ok': True, 'result': True})
        handler.send_response(200)
        if chunked:
            handler.send_header('Transfer-Encoding', 'chunked')
        else:
            handler.send_header('Content-Length', str(len(data)))
        handler.end_headers()
        payload = data if cut_at is None else data[:cut_at]
        step = 65536
        for i in range(0, len(payload), step):
            piece = payload[i:i + step]
            if chunked:
                handler.wfile.write(b'%x\r\n%s\r\n' % (len(piece), piece))
            else:
                handler.wfile.write(piece)
        if chunked and cut_at is None:
            handler.wfile.write(b'0\r\n\r\n')
        if cut_at is not None:
            handler.close_connection = True
    return behave


def test_download_to_path_and_file_object(server, make_transport, tmp_path):
    data = os.urandom(700000)
    server.behave = serve_file(data)
    t = make_transport()
    progress = []
    target = tmp_path / 'out.bin'
    assert t.download('documents/file_7.bin', target, chunk_size=100000,
                      progress=lambda done, total: progress.append((done, total))) == len(data)
    assert target.read_bytes() == data
    assert progress[-1] == (len(data), len(data)) and len(progress) >= 7
    assert server.requests[0][0] == '/file/bot%s/documents/file_7.bin' % TOKEN
    out = io.BytesIO()
    assert t.download('documents/file_7.bin', out) == len(data)
    assert out.getvalue() == data
    assert server.connections == 1             # downloads reuse the pooled connection


def test_download_chunked_answer_has_unknown_total(server, make_transport):
    data = os.urandom(200000)
    server.behave = serve_file(data, chunked=True)
    t = make_transport()
    totals = set()
    out = io.BytesIO()
    assert t.download('a.bin', out, progress=lambda done, total: totals.add(total)) == len(data)
    assert out.getvalue() == data and totals == {None}


def test_download_streams_without_holding_the_file(server, make_transport, tmp_path):
    size = 24 * 1024 * 1024
    block = os.urandom(65536)
    data = block * (size // len(block))
    server.behave = serve_file(data)
    t = make_transport()
    target = tmp_path / 'big.bin'
    tracemalloc.start()
    try:
        t.download('videos/big.mp4', target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert target.stat().st_size == size
    assert peak < 4 * 1024 * 1024, peak       # a few chunks, never the file


def test_interrupted_download_removes_the_partial_file(server, make_transport, tmp_path):
    server.behave = serve_file(os.urandom(500000), cut_at=200000)
    t = make_transport()
    target = tmp_path / 'partial.bin'
    with pytest.raises(E.NetworkError) as info:
        t.download('a.bin', target)
    assert info.value.method == 'download'
    assert not target.exists()
    assert SECRET not in str(info.value)
    out = io.BytesIO()                          # a file object is the caller's: kept as is
    with pytest.raises(E.NetworkError):
        t.download('a.bin', out)


def test_download_of_absolute_local_path_copies_from_disk(server, make_transport, tmp_path):
    source = tmp_path / 'bot-api-server' / TOKEN / 'documents' / 'file_3.pdf'
    source.parent.mkdir(parents=True)
    source.write_bytes(b'local server file' * 1000)
    t = make_transport()
    progress = []
    target = tmp_path / 'copy.pdf'
    assert t.download(str(source), target,
                      progress=lambda d, total: progress.append((d, total))) == 17000
    assert target.read_bytes() == source.read_bytes()
    assert progress[-1] == (17000, 17000)
    out = io.BytesIO()
    assert t.download(str(source), out) == 17000 and out.getvalue() == source.read_bytes()
    assert t.download(str(source), source) == 17000          # onto itself: left intact
    assert source.read_bytes() == b'local server file' * 1000
    assert server.requests == []


def test_download_of_absolute_path_missing_here_goes_over_http(server, make_transport):
    server.behave = serve_file(b'remote')
    t = make_transport()
    out = io.BytesIO()
    t.download('/var/lib/telegram-bot-api/%s/photos/file_1.jpg' % TOKEN, out)
    assert out.getvalue() == b'remote'
    assert server.requests[0][0] == ('/file/bot%s/var/lib/telegram-bot-api/%s/photos/file_1.jpg'
                                     % (TOKEN, TOKEN))


# -- HTTPS ---------------------------------------------------------------------------------------

@pytest.fixture
def tls_server(tmp_path):
    if not shutil.which('openssl'):
        pytest.skip('openssl command not available to make a test certificate')
    cert, key = tmp_path / 'cert.pem', tmp_path / 'key.pem'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', str(key), '-out',
                    str(cert), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext',
                    'subjectAltName=IP:127.0.0.1'], check=True, capture_output=True)
    s = Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    s.socket = context.wrap_socket(s.socket, server_side=True)
    s.cert = str(cert)
    yield s
    s.stop()


def test_https_rejects_an_unverified_certificate(tls_server):
    t = api.Transport(TOKEN, base_url='https://127.0.0.1:%d' % tls_server.server_port)
    with pytest.raises(E.NetworkError) as info:
        send(t)
    assert info.value.maybe_sent is False
    assert isinstance(info.value.cause, ssl.SSLCertVerificationError)
    assert tls_server.requests == []


def test_https_keep_alive_with_a_trusted_certificate(tls_server, monkeypatch):
    context = ssl.create_default_context(cafile=tls_server.cert)
    monkeypatch.setattr(_http, '_ssl_context', lambda: context)
    # unpaced: Telegram's ~1 message/s per chat only made the 5 calls take 2 s
    t = api.Transport(TOKEN, base_url='https://127.0.0.1:%d' % tls_server.server_port,
                      rate_limits=None)
    try:
        for _ in range(5):
            assert send(t) == 'sendMessage'
    finally:
        t.close()
    assert tls_server.connections == 1


# -- proxies ---------------------------------------------------------------------------------------

class ForwardProxy(LocalServer):
    """An HTTP forward proxy: takes absolute-URI requests, demands basic auth when given
    credentials, forwards to the origin and relays the answer."""

    def __init__(self, credentials=None):
        self.credentials = credentials
        self.seen = []            # (absolute URI, Proxy-Authorization header)
        super().__init__(ProxyHandler)


class ProxyHandler(QuietHandler):
    def _forward(self):
        auth = self.headers.get('Proxy-Authorization')
        self.server.seen.append((self.path, auth))
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        if self.server.credentials:
            expected = 'Basic ' + base64.b64encode(
                ('%s:%s' % self.server.credentials).encode()).decode()
            if auth != expected:
                self.send_response(407)
                self.send_header('Content-Length', '0')
                self.end_headers()
                return
        target = urllib.parse.urlsplit(self.path)
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=WAIT)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ('proxy-authorization', 'proxy-connection', 'connection')}
        upstream.request(self.command, target.path, body or None, headers)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        self.send_response(answer.status)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET = _forward


@pytest.fixture
def proxy():
    p = ForwardProxy(credentials=('alice', 's3cret'))
    yield p
    p.stop()


def test_requests_go_through_the_proxy_with_basic_auth(server, proxy, make_transport):
    t = make_transport(proxy=proxy.url, proxy_basic_auth=('alice', 's3cret'))
    assert send(t) == 'sendMessage'
    assert t._backend.name == 'urllib3'
    uri, auth = proxy.seen[0]
    assert uri == '%s/bot%s/sendMessage' % (server.url, TOKEN)
    assert auth == 'Basic ' + base64.b64encode(b'alice:s3cret').decode()
    assert server.count('sendMessage') == 1
    out = io.BytesIO()
    server.behave = serve_file(b'file through proxy')
    t.download('docs/x.txt', out)
    assert out.getvalue() == b'file through proxy'
    assert proxy.seen[-1][0].endswith('/file/bot%s/docs/x.txt' % TOKEN)


def test_proxy_credentials_in_the_url_work_too(server, proxy, make_transport):
    t = make_transport(proxy='http://alice:s3cret@127.0.0.1:%d' % proxy.server_port)
    assert send(t) == 'sendMessage'
    assert proxy.seen[0][1] == 'Basic ' + base64.b64encode(b'alice:s3cret').decode()


def test_session_backend_uses_the_proxy(server, proxy, make_transport):
    t = make_transport(session=requests.Session(), proxy=proxy.url,
                       proxy_basic_auth=('alice', 's3cret'))
    assert send(t) == 'sendMessage'
    assert proxy.seen and proxy.seen[0][1].startswith('Basic ')


def test_set_proxy_applies_to_existing_and_new_transports(server, proxy, make_transport):
    existing = make_transport()
    assert send(existing) == 'sendMessage'
    assert proxy.seen == []
    try:
        api.set_proxy(proxy.url, ('alice', 's3cret'))
        assert send(existing) == 'sendMessage'
        assert send(make_transport()) == 'sendMessage'
        assert len(proxy.seen) == 2
        own = make_transport(session=requests.Session())    # has its own way out
        send(own)
        assert len(proxy.seen) == 2
    finally:
        api.set_proxy(None)
    send(existing)
    assert len(proxy.seen) == 2
    assert server.count('sendMessage') == 5


def test_bad_proxy_settings_fail_early():
    with pytest.raises(ValueError, match='proxy scheme'):
        api.Transport(TOKEN, proxy='ftp://127.0.0.1:1')
    with pytest.raises(ValueError):
        api.set_proxy('gopher://x')


def test_socks_proxy_without_pysocks_says_what_to_install():
    try:
        import socks  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip('PySocks is installed')
    with pytest.raises(ImportError, match=r'pip install telepot-ng\[socks\]'):
        api.Transport(TOKEN, proxy='socks5://127.0.0.1:1080')
    with pytest.raises(ImportError, match=r'telepot-ng\[socks\]'):
        api.set_proxy('socks5h://127.0.0.1:1080')


# -- the token in logs and warnings ------------------------------------------------------------

def test_no_token_in_debug_logs_of_any_backend(server, proxy, make_transport, caplog):
    caplog.set_level(logging.DEBUG)
    server.behave = lambda handler, name, body: (
        handler.drop() if name == 'drop' else handler.reply({'ok': True, 'result': name}))
    transports = [make_transport(), make_transport(session=requests.Session()),
                  make_transport(proxy=proxy.url, proxy_basic_auth=('alice', 's3cret'))]
    for t in transports:
        send(t)
        with pytest.raises(E.NetworkError):
            t.request('drop', {})
    formatter = logging.Formatter()
    text = '\n'.join(formatter.format(r) for r in caplog.records)
    assert SECRET not in text
    # urllib3 logged the request lines, masked rather than suppressed
    assert any(r.name.startswith('urllib3') and '/bot123456789:***/sendMessage' in r.getMessage()
               for r in caplog.records)


def test_log_filter_masks_messages_args_and_tracebacks(caplog):
    api.Transport(TOKEN)
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger('urllib3.connectionpool')
    logger.debug('url %s', '/bot%s/getMe' % TOKEN)
    try:
        raise ValueError('bad url http://x/bot%s/getMe' % TOKEN)
    except ValueError:
        logging.getLogger('requests').exception('failed for %s', TOKEN)
    text = '\n'.join(logging.Formatter().format(r) for r in caplog.records)
    assert SECRET not in text
    assert text.count('123456789:***') >= 3


def test_mask_hides_registered_and_token_shaped_strings():
    api.Transport(TOKEN)
    assert api.mask('x /bot%s/y' % TOKEN) == 'x /bot123456789:***/y'
    assert SECRET not in api.mask('secret alone: ' + SECRET)
    assert SECRET not in api.mask('quoted: 123456789%3A' + SECRET)
    unknown = '987654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ'
    assert api.mask(unknown) == '987654321:***'
    assert api.mask('chat 12:30 ok') == 'chat 12:30 ok'
    short = api.Transport('42:abc')
    assert api.mask('/bot42:abc/getMe') == '/bot42:***/getMe' and 'abc' in api.mask('abc')
    short.close()


def test_warnings_are_masked():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        _masking.install()
        warnings.warn('connecting to https://host/bot%s/getMe' % TOKEN)
    assert len(caught) == 1
    text = str(caught[0].message)
    assert 'bot123456789:***' in text and SECRET not in text


def test_unreachable_proxy_is_not_sent(server, make_transport):
    t = make_transport(proxy=closed_port_url())
    with pytest.raises(E.NetworkError) as info:
        send(t)
    assert info.value.maybe_sent is False
    assert SECRET not in str(info.value)
    assert server.requests == []


def test_read_timeout_through_proxy_is_maybe_sent(server, proxy, make_transport):
    server.behave = delayed(0.6)
    t = make_transport(proxy=proxy.url, proxy_basic_auth=('alice', 's3cret'), read_timeout=0.2)
    with pytest.raises(E.NetworkTimeout) as info:
        send(t)
    assert info.value.maybe_sent is True
    printed = ''.join(traceback.format_exception(type(info.value), info.value,
                                                 info.value.__traceback__))
    assert SECRET not in printed
    assert server.wait_for(lambda: server.count('sendMessage') == 1)

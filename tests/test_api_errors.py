"""Transport error paths through the requests backend and `responses`: typed Telegram errors,
non-JSON answers, network failures (never re-sending what may have arrived), flood-control
retries, and the token kept out of every exception."""
import io
import json
import logging
import re
import threading
import traceback

import pytest
import requests
import responses
import urllib3

from telepot_ng import _masking, api
from telepot_ng import exception as E

TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1'
SECRET = TOKEN.split(':')[1]
BASE = 'http://api.test'
URL = re.compile(r'http://api\.test/bot.*')


def method_url(method):
    return '%s/bot%s/%s' % (BASE, TOKEN, method)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class FakeWait:
    """Stands in for Transport._wait: records the delays instead of sleeping."""

    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)
        return False


# The flood-control tests here pin the transport's own 429 waits (Transport._wait), which is
# what runs without the rate limiter; hence rate_limits=None. With the limiter (the default)
# the limiter holds the chat instead: tests/test_ratelimit_transport.py.
@pytest.fixture
def transport():
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(),
                      max_flood_retries=3, max_flood_wait=60, rate_limits=None)
    t._wait = FakeWait()
    yield t
    t.close()


def assert_clean(error):
    """No trace of the token in the exception, its chain, their reprs or the traceback."""
    text = ''.join(traceback.format_exception(type(error), error, error.__traceback__))
    for e in _masking.walk_exceptions(error):
        text += str(e) + repr(e) + repr(getattr(e, 'args', ''))
        for attr in ('url', 'request', 'response'):
            obj = getattr(e, attr, None)
            text += str(obj) + str(getattr(obj, 'url', ''))
    assert SECRET not in text
    assert TOKEN not in text
    return text


def telegram_answer(status, description, **parameters):
    body = {'ok': False, 'error_code': status, 'description': description}
    if parameters:
        body['parameters'] = parameters
    return dict(status=status, json=body)


# -- answers -----------------------------------------------------------------------------------

def test_ok_answer_returns_result_as_plain_data(transport, rsps):
    result = {'message_id': 5, 'chat': {'id': 1, 'type': 'private'}, 'entities': [{'x': 1}]}
    rsps.add(responses.POST, method_url('sendMessage'), json={'ok': True, 'result': result})
    assert transport.request('sendMessage', {'chat_id': 1, 'text': 'x'}) == result
    rsps.add(responses.POST, method_url('close'), json={'ok': True})
    assert transport.request('close', {}) is None


@pytest.mark.parametrize('status, description, parameters, cls', [
    (401, 'Unauthorized', {}, E.UnauthorizedError),
    (403, 'Forbidden: bot was kicked from the supergroup chat', {}, E.BotWasKickedError),
    (403, 'Forbidden: bot was blocked by the user', {}, E.BotWasBlockedError),
    (429, 'Too Many Requests: retry after 3', {'retry_after': 3}, E.TooManyRequestsError),
    (400, 'Bad Request: group chat was upgraded to a supergroup chat',
     {'migrate_to_chat_id': -1001}, E.MigratedToSupergroupChatError),
    (400, 'Bad Request: not enough rights to send photos to the chat', {},
     E.NotEnoughRightsError),
    (409, 'Conflict: terminated by other getUpdates request', {}, E.ConflictError),
    (400, 'Bad Request: message text is empty', {}, E.TelegramError),
])
def test_ok_false_raises_the_typed_error(rsps, status, description, parameters, cls):
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), retry_on_flood=False, rate_limits=None)
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(status, description, **parameters))
    with pytest.raises(E.TelegramError) as info:
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    error = info.value
    assert type(error) is cls
    assert error.error_code == status
    assert error.description == description
    assert dict(error.parameters) == parameters
    assert error.json['ok'] is False
    assert_clean(error)
    assert len(rsps.calls) == 1


def test_non_json_gateway_page_raises_bad_http_response(transport, rsps):
    page = '<html><head><title>502 Bad Gateway</title></head><body>' + 'x' * 3000 + '</body>'
    rsps.add(responses.POST, method_url('getMe'), status=502, body=page,
             content_type='text/html')
    with pytest.raises(E.BadHTTPResponse) as info:
        transport.request('getMe', {})
    error = info.value
    assert error.status == 502
    assert error.text.startswith('<html><head><title>502 Bad Gateway')
    assert len(error.text) <= 503
    assert error.response['status'] == 502
    assert error.response['headers']['Content-Type'].startswith('text/html')
    assert len(rsps.calls) == 1


@pytest.mark.parametrize('body', [b'[1, 2]', b'"ok"', b'{"result": 1}', b'', b'\xff\xfe',
                                  b'{"ok": "yes"}'])
def test_json_that_is_no_bot_api_answer_raises_bad_http_response(transport, rsps, body):
    rsps.add(responses.POST, method_url('getMe'), status=200, body=body)
    with pytest.raises(E.BadHTTPResponse) as info:
        transport.request('getMe', {})
    assert info.value.status == 200


def test_token_in_an_error_page_is_masked(transport, rsps):
    rsps.add(responses.POST, method_url('getMe'), status=404,
             body='<p>No route for /bot%s/getMe</p>' % TOKEN)
    with pytest.raises(E.BadHTTPResponse) as info:
        transport.request('getMe', {})
    assert '/bot123456789:***/getMe' in info.value.text
    assert_clean(info.value)


# -- network failures --------------------------------------------------------------------------

def realistic_connection_error(kind):
    """The exception chain requests raises, URL (and so token) included, as in real life."""
    path = '/bot%s/sendMessage' % TOKEN
    pool = urllib3.HTTPConnectionPool('api.test', 80)
    if kind == 'refused':
        reason = urllib3.exceptions.NewConnectionError(
            pool, 'Failed to establish a new connection: [Errno 111] Connection refused')
        wrapped = urllib3.exceptions.MaxRetryError(pool, path, reason)
        error = requests.exceptions.ConnectionError(wrapped)
    elif kind == 'connect-timeout':
        reason = urllib3.exceptions.ConnectTimeoutError(pool, 'timed out connecting to %s' % path)
        wrapped = urllib3.exceptions.MaxRetryError(pool, path, reason)
        error = requests.exceptions.ConnectTimeout(wrapped)
    elif kind == 'read-timeout':
        wrapped = urllib3.exceptions.ReadTimeoutError(pool, path, 'Read timed out.')
        error = requests.exceptions.ReadTimeout(wrapped)
    else:   # dropped after the request was written
        reason = urllib3.exceptions.ProtocolError(
            'Connection aborted.', ConnectionResetError(104, 'reset while reading ' + path))
        error = requests.exceptions.ConnectionError(reason)
    prepared = requests.Request('POST', BASE + path).prepare()
    error.request = prepared
    return error


@pytest.mark.parametrize('kind, cls, maybe_sent', [
    ('refused', E.NetworkError, False),
    ('connect-timeout', E.NetworkTimeout, False),
    ('read-timeout', E.NetworkTimeout, True),
    ('dropped', E.NetworkError, True),
])
def test_network_failures_are_typed_scrubbed_and_not_resent(transport, rsps, kind, cls,
                                                            maybe_sent):
    rsps.add(responses.POST, method_url('sendMessage'), body=realistic_connection_error(kind))
    rsps.add(responses.POST, method_url('sendMessage'), json={'ok': True, 'result': 'SECOND'})
    with pytest.raises(E.NetworkError) as info:
        transport.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    error = info.value
    assert type(error) is cls
    assert error.maybe_sent is maybe_sent
    assert error.method == 'sendMessage'
    assert isinstance(error.cause, requests.exceptions.RequestException)
    assert error.__cause__ is error.cause
    text = assert_clean(error)
    assert '123456789:***' in text          # masked, not deleted: the bot id stays readable
    assert len(rsps.calls) == 1             # a sendMessage is never silently sent twice
    assert ('may have reached Telegram' in str(error)) is maybe_sent


def test_read_only_get_method_is_retried_once_after_a_dropped_connection(transport, rsps):
    rsps.add(responses.POST, method_url('getChat'), body=realistic_connection_error('dropped'))
    rsps.add(responses.POST, method_url('getChat'), json={'ok': True, 'result': {'id': 1}})
    assert transport.request('getChat', {'chat_id': 1}) == {'id': 1}
    assert len(rsps.calls) == 2


def test_read_only_retry_happens_only_once(transport, rsps):
    for _ in range(3):
        rsps.add(responses.POST, method_url('getMe'), body=realistic_connection_error('dropped'))
    with pytest.raises(E.NetworkError):
        transport.request('getMe', {})
    assert len(rsps.calls) == 2


def test_read_timeout_is_not_retried_even_for_get(transport, rsps):
    rsps.add(responses.POST, method_url('getUpdates'),
             body=realistic_connection_error('read-timeout'))
    rsps.add(responses.POST, method_url('getUpdates'), json={'ok': True, 'result': []})
    with pytest.raises(E.NetworkTimeout) as info:
        transport.request('getUpdates', {'timeout': 1})
    assert info.value.maybe_sent is True
    assert len(rsps.calls) == 1


def test_plain_connection_error_without_detail_counts_as_maybe_sent(transport, rsps):
    rsps.add(responses.POST, method_url('sendMessage'),
             body=requests.exceptions.ConnectionError('something broke'))
    with pytest.raises(E.NetworkError) as info:
        transport.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert info.value.maybe_sent is True


def test_real_connection_refused_chain_is_scrubbed():
    # a real failure through real requests/urllib3 (nothing listens on the port)
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    t = api.Transport(TOKEN, base_url='http://127.0.0.1:%d' % port, session=requests.Session(),
                      connect_timeout=2)
    with pytest.raises(E.NetworkError) as info:
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert info.value.maybe_sent is False
    assert type(info.value) is E.NetworkError
    assert_clean(info.value)


# -- flood control (429) ----------------------------------------------------------------------

def test_flood_wait_then_success(transport, rsps, caplog):
    caplog.set_level(logging.DEBUG)
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 4', retry_after=4))
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 2', retry_after=2))
    rsps.add(responses.POST, method_url('sendMessage'), json={'ok': True, 'result': 'sent'})
    assert transport.request('sendMessage', {'chat_id': 1, 'text': 'x'}) == 'sent'
    assert transport._wait.delays == [4.0, 2.0]
    assert len(rsps.calls) == 3
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING
                and r.name == 'telepot_ng.api']
    assert len(warnings) == 2
    assert 'sendMessage' in warnings[0].getMessage() and '4' in warnings[0].getMessage()
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_flood_retries_are_bounded_by_count(rsps):
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), max_flood_retries=2, rate_limits=None)
    t._wait = FakeWait()
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 1', retry_after=1))
    with pytest.raises(E.TooManyRequestsError) as info:
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert info.value.retry_after == 1
    assert t._wait.delays == [1.0, 1.0]
    assert len(rsps.calls) == 3


def test_flood_retries_are_bounded_by_total_wait(rsps):
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), max_flood_retries=10,
                      max_flood_wait=5, rate_limits=None)
    t._wait = FakeWait()
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 3', retry_after=3))
    with pytest.raises(E.TooManyRequestsError):
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert t._wait.delays == [3.0]            # a second 3 s would pass the 5 s cap
    assert len(rsps.calls) == 2


def test_flood_wait_longer_than_the_cap_raises_at_once(rsps):
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), max_flood_wait=10, rate_limits=None)
    t._wait = FakeWait()
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 3600', retry_after=3600))
    with pytest.raises(E.TooManyRequestsError):
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert t._wait.delays == [] and len(rsps.calls) == 1


def test_flood_retry_off_switch(rsps):
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), retry_on_flood=False, rate_limits=None)
    t._wait = FakeWait()
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 1', retry_after=1))
    with pytest.raises(E.TooManyRequestsError):
        t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert t._wait.delays == [] and len(rsps.calls) == 1


def test_429_without_retry_after_is_raised(transport, rsps):
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests'))
    with pytest.raises(E.TooManyRequestsError):
        transport.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    assert transport._wait.delays == [] and len(rsps.calls) == 1


def test_flood_retry_resends_the_same_multipart_body(transport, rsps):
    bodies = []

    def answer(request):
        bodies.append(b''.join(request.body))
        if len(bodies) == 1:
            return 429, {}, json.dumps({'ok': False, 'error_code': 429,
                                        'description': 'Too Many Requests: retry after 1',
                                        'parameters': {'retry_after': 1}})
        return 200, {}, json.dumps({'ok': True, 'result': True})

    rsps.add_callback(responses.POST, method_url('sendDocument'), callback=answer)
    f = io.BytesIO(b'document bytes ' * 1000)
    assert transport.request('sendDocument', {'chat_id': 1, 'document': f}) is True
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert b'document bytes document bytes' in bodies[1]


def test_close_cuts_a_flood_wait_short(rsps):
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), max_flood_wait=600, rate_limits=None)
    waiting = threading.Event()
    real_wait = t._wait

    def observed_wait(seconds):
        waiting.set()
        return real_wait(seconds)

    t._wait = observed_wait
    rsps.add(responses.POST, method_url('sendMessage'),
             **telegram_answer(429, 'Too Many Requests: retry after 300', retry_after=300))
    outcome = []

    def call():
        try:
            t.request('sendMessage', {'chat_id': 1, 'text': 'x'})
        except Exception as e:
            outcome.append(e)

    worker = threading.Thread(target=call, name='test-flood-waiter', daemon=True)
    worker.start()
    assert waiting.wait(10)
    t.close()
    worker.join(10)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], E.TooManyRequestsError)
    assert len(rsps.calls) == 1


# -- downloads through requests --------------------------------------------------------------

def file_url(path):
    return '%s/file/bot%s/%s' % (BASE, TOKEN, path)


def test_download_to_file_object_with_progress(transport, rsps):
    data = bytes(range(256)) * 1000
    rsps.add(responses.GET, file_url('documents/file_1.bin'), body=data,
             headers={'Content-Length': str(len(data))})
    out = io.BytesIO()
    seen = []
    size = transport.download('documents/file_1.bin', out, chunk_size=10000,
                              progress=lambda done, total: seen.append((done, total)))
    assert size == len(data) and out.getvalue() == data
    assert seen[-1] == (len(data), len(data))
    assert len(seen) >= 2 and all(b > a for (a, _), (b, _) in zip(seen, seen[1:]))


def test_download_error_answers(transport, rsps, tmp_path):
    rsps.add(responses.GET, file_url('missing.jpg'), status=404,
             json={'ok': False, 'error_code': 404, 'description': 'Not Found'})
    target = tmp_path / 'x.jpg'
    with pytest.raises(E.TelegramError) as info:
        transport.download('missing.jpg', target)
    assert info.value.error_code == 404
    assert not target.exists()
    rsps.add(responses.GET, file_url('gateway.jpg'), status=502, body='<html>bad</html>')
    with pytest.raises(E.BadHTTPResponse):
        transport.download('gateway.jpg', target)
    assert not target.exists()


def test_download_connection_failure(transport, rsps, tmp_path):
    rsps.add(responses.GET, file_url('a.jpg'), body=realistic_connection_error('refused'))
    rsps.add(responses.GET, file_url('a.jpg'), body=realistic_connection_error('refused'))
    with pytest.raises(E.NetworkError) as info:
        transport.download('a.jpg', tmp_path / 'a.jpg')
    assert info.value.method == 'download'
    assert_clean(info.value)
    assert not (tmp_path / 'a.jpg').exists()

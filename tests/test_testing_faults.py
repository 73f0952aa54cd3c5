"""Fault injection in the fake: flood, server errors, API errors, dropped connections, delays."""
from __future__ import annotations

import http.client
import json
import time

import pytest

from .test_testing_server import Raw, json_request, raw_socket, read_responses

SEND = {'chat_id': 5, 'text': 'hi'}


@pytest.fixture
def raw(fake_telegram):
    client = Raw(fake_telegram)
    yield client
    client.close()


def test_flood_n_times_then_ok(fake_telegram, raw):
    fake_telegram.fail('sendMessage', 'flood', times=2, retry_after=7)
    for _ in range(2):
        status, answer = raw.call('sendMessage', SEND)
        assert (status, answer) == (429, {'ok': False, 'error_code': 429,
                                          'description': 'Too Many Requests: retry after 7',
                                          'parameters': {'retry_after': 7}})
    assert raw.ok('sendMessage', SEND)['text'] == 'hi'
    calls = fake_telegram.requests('sendMessage')
    assert [c.status for c in calls] == [429, 429, 200]
    assert [c.fault for c in calls] == ['flood', 'flood', None]
    assert len(fake_telegram.sent('sendMessage')) == 1
    assert fake_telegram.counters()['totals']['faults'] == 2


def test_server_error_has_an_html_body(raw, fake_telegram):
    fake_telegram.fail('getMe', 'server_error', status=503)
    status, body, res = raw.request('GET', '/bot%s/getMe' % raw.tg.token)
    assert status == 503 and res.getheader('Content-Type') == 'text/html'
    assert body.startswith(b'<html>') and b'503 Service Unavailable' in body
    assert raw.ok('getMe')['is_bot'] is True


def test_api_error_with_description_and_chat_filter(fake_telegram, raw):
    fake_telegram.fail('sendMessage', 'error', status=403, chat_id=5, times=None,
                       probability=1.0, description='Forbidden: bot was blocked by the user')
    for _ in range(2):
        assert raw.call('sendMessage', SEND) == (403, {
            'ok': False, 'error_code': 403, 'description': 'Forbidden: bot was blocked by the user'})
    assert raw.ok('sendMessage', {'chat_id': 6, 'text': 'other chat'})
    fake_telegram.clear_faults()
    assert raw.ok('sendMessage', SEND)
    fake_telegram.fail('*', 'error')                   # any method, default 400
    status, answer = raw.call('getMe')
    assert status == 400 and answer['description'].startswith('Bad Request')


def test_dropped_connection(fake_telegram, raw):
    fake_telegram.fail('sendMessage', 'drop')
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        raw.call('sendMessage', SEND)
    raw.close()
    again = Raw(fake_telegram)
    assert again.ok('sendMessage', SEND)['text'] == 'hi'
    again.close()
    assert [c.fault for c in fake_telegram.requests('sendMessage')] == ['drop', None]
    # the dropped request was read in full: its parameters are on record
    assert fake_telegram.requests('sendMessage')[0].params == SEND


def test_delayed_response_does_not_block_other_connections(fake_telegram, raw):
    fake_telegram.fail('sendMessage', 'delay', delay=0.5)
    path = '/bot%s/sendMessage' % fake_telegram.token
    with raw_socket(fake_telegram) as sock:
        t0 = time.monotonic()
        sock.sendall(json_request(path, SEND))
        assert raw.ok('getMe')['is_bot']             # answered meanwhile, on another connection
        sock.setblocking(False)
        with pytest.raises(BlockingIOError):         # ... while the delayed answer is pending
            sock.recv(1)
        sock.setblocking(True)
        (status, body, _), = read_responses(sock, 1)
        assert time.monotonic() - t0 >= 0.45
    assert status == 200 and json.loads(body)['result']['text'] == 'hi'
    delayed, = fake_telegram.requests('sendMessage')
    assert delayed.fault == 'delay' and delayed.ok


def test_probability_is_deterministic_with_a_seed(fake_telegram, raw):
    def run() -> list:
        fake_telegram.clear_faults()
        fake_telegram.seed(1234)
        fake_telegram.fail('getMe', 'error', probability=0.5)
        return [raw.call('getMe')[0] for _ in range(30)]
    first, second = run(), run()
    assert first == second
    assert 5 < first.count(400) < 25


def test_bad_fault_arguments(fake_telegram):
    with pytest.raises(ValueError):
        fake_telegram.fail('getMe', 'meteor')
    with pytest.raises(ValueError):
        fake_telegram.fail('getMe', 'flood', probability=2)

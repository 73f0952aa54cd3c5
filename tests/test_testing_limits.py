"""The fake's switchable rate limits (429 with retry_after, counted) and network latency."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from telepot_ng.testing import FakeTelegram, RateLimits
from telepot_ng.testing._limits import LIMITED_METHODS, FloodGate, Latency

from .test_testing_server import Raw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_methods_limited_are_the_message_posting_ones_from_the_spec():
    for name in ('sendMessage', 'sendPhoto', 'sendMediaGroup', 'copyMessage', 'forwardMessages',
                 'sendDice', 'sendPoll'):
        assert name in LIMITED_METHODS
    for name in ('getMe', 'getUpdates', 'editMessageText', 'sendChatAction', 'deleteMessage',
                 'answerCallbackQuery'):
        assert name not in LIMITED_METHODS


def test_per_chat_bucket_allows_a_burst_then_one_per_interval():
    clock = Clock()
    gate = FloodGate(RateLimits(chat_rate=1.0, chat_burst=3), clock)
    assert [gate.check(7, False, False) for _ in range(3)] == [(0, '')] * 3
    assert gate.check(7, False, False) == (1, 'chat')
    assert gate.check(8, False, False) == (0, '')           # another chat has its own bucket
    clock.now += 1.0
    assert gate.check(7, False, False) == (0, '')
    assert gate.check(7, False, False) == (1, 'chat')
    assert gate.counts() == {'total': 2, 'by_scope': {'chat': 2, 'group': 0, 'overall': 0},
                             'by_chat': [[7, 2]]}


def test_a_refused_message_has_no_effect_on_the_buckets():
    clock = Clock()
    gate = FloodGate(RateLimits(chat_rate=0.5, chat_burst=1), clock)
    assert gate.check(1, False, False) == (0, '')
    for _ in range(50):                          # hammering does not push the deadline back
        assert gate.check(1, False, False) == (2, 'chat')
    clock.now += 2.0
    assert gate.check(1, False, False) == (0, '')


def test_groups_have_twenty_per_minute():
    clock = Clock()
    gate = FloodGate(RateLimits(chat_burst=1000, chat_rate=1000.0), clock)
    for _ in range(20):
        assert gate.check(-5, True, False) == (0, '')
    assert gate.check(-5, True, False) == (3, 'group')      # one more every 3 s
    assert gate.check(5, False, False) == (0, '')            # a private chat is not a group
    clock.now += 3.0
    assert gate.check(-5, True, False) == (0, '')


def test_overall_limit_and_paid_broadcast():
    clock = Clock()
    gate = FloodGate(RateLimits(overall_rate=30.0, overall_burst=30), clock)
    for chat in range(30):
        assert gate.check(chat, False, False) == (0, '')
    assert gate.check(99, False, False) == (1, 'overall')
    # allow_paid_broadcast: up to 1000/s, past the 30/s overall limit
    for chat in range(100, 1100):
        assert gate.check(chat, False, True) == (0, '')
    assert gate.check(2000, False, True) == (1, 'overall')
    assert gate.counts()['by_scope'] == {'chat': 0, 'group': 0, 'overall': 2}


def test_rate_limits_option_values():
    assert RateLimits.from_option(False) is None and RateLimits.from_option(None) is None
    assert RateLimits.from_option(True) == RateLimits()
    assert RateLimits.from_option({'overall_rate': 5}).overall_rate == 5
    with pytest.raises(ValueError, match='unknown rate limit'):
        RateLimits.from_option({'per_chat': 1})
    with pytest.raises(ValueError, match='positive'):
        RateLimits.from_option({'chat_rate': 0})
    with pytest.raises(ValueError):
        RateLimits.from_option('yes')


def test_over_the_limit_answers_429_and_has_no_effect():
    with FakeTelegram(rate_limits=RateLimits(chat_rate=0.01, chat_burst=2)) as tg:
        raw = Raw(tg)
        try:
            for text in ('one', 'two'):
                assert raw.ok('sendMessage', {'chat_id': 5, 'text': text})['text'] == text
            status, answer = raw.call('sendMessage', {'chat_id': 5, 'text': 'three'})
            assert (status, answer) == (429, {
                'ok': False, 'error_code': 429,
                'description': 'Too Many Requests: retry after 100',
                'parameters': {'retry_after': 100}})
            # no effect: the message was not stored, no message_id used up
            assert [c.text for c in tg.sent('sendMessage')] == ['one', 'two']
            assert tg.message(5, 3) is None
            assert raw.ok('sendMessage', {'chat_id': 6, 'text': 'x'})['message_id'] == 1
            assert raw.ok('getMe')['is_bot']                       # not a message
            assert raw.call('sendMessage', {'chat_id': 5, 'text': 'four'})[0] == 429
            assert tg.requests('sendMessage')[-1].status == 429
            assert tg.rate_limited() == {'total': 2, 'by_scope': {'chat': 2, 'group': 0,
                                                                  'overall': 0},
                                         'by_chat': {5: 2}}
            assert tg.counters()['rate_limited'] == 2
        finally:
            raw.close()


def test_paid_broadcast_in_the_fake():
    with FakeTelegram(rate_limits={'overall_rate': 0.01, 'overall_burst': 1}) as tg:
        bot = tg.bot()
        bot.sendMessage(1, 'a')
        raw = Raw(tg)
        try:
            assert raw.call('sendMessage', {'chat_id': 2, 'text': 'b'})[0] == 429
            assert raw.ok('sendMessage', {'chat_id': 2, 'text': 'b',
                                          'allow_paid_broadcast': True})
        finally:
            raw.close()
        assert tg.rate_limited()['by_scope']['overall'] == 1


def test_off_by_default(fake_telegram):
    # the bot's own pacing (telepot_ng.ratelimit) is off: this is about the fake alone
    bot = fake_telegram.bot(rate_limits=None)
    for i in range(40):
        bot.sendMessage(-100, str(i))
    assert fake_telegram.rate_limited()['total'] == 0
    assert len(fake_telegram.sent('sendMessage')) == 40


def test_configure_refuses_bad_numbers(fake_telegram):
    with pytest.raises(ValueError, match='unknown rate limit'):
        fake_telegram.configure(rate_limits={'chats': 1})
    with pytest.raises(ValueError, match='latency'):
        fake_telegram.configure(latency=-1)


def test_latency_is_added_to_bot_api_answers_only():
    with FakeTelegram(latency=0.4) as tg:
        raw = Raw(tg)
        try:
            t0 = time.monotonic()
            raw.ok('getMe')
            took = time.monotonic() - t0
            t0 = time.monotonic()
            tg.counters()                       # control operations are not delayed
            control = time.monotonic() - t0
        finally:
            raw.close()
    assert took >= 0.4
    assert control < 0.4


def test_jitter_draws_around_the_latency():
    lat = Latency(0.05, 0.02, seed=3)
    draws = [lat.delay() for _ in range(200)]
    assert all(0.03 <= d <= 0.07 for d in draws)
    assert max(draws) - min(draws) > 0.02
    assert Latency(0.05, 0.0).delay() == 0.05
    with pytest.raises(ValueError):
        Latency(-0.1, 0)


def test_server_cli_rate_limits():
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0',
                             '--rate-limits', json.dumps({'chat_burst': 1, 'chat_rate': 0.5})],
                            stdout=subprocess.PIPE, env=env, text=True)
    try:
        port = int(proc.stdout.readline().split()[1])
        with FakeTelegram(connect=('127.0.0.1', port)) as tg:
            raw = Raw(tg)
            try:
                assert raw.ok('sendMessage', {'chat_id': 5, 'text': 'a'})
                status, answer = raw.call('sendMessage', {'chat_id': 5, 'text': 'b'})
                assert status == 429 and answer['parameters'] == {'retry_after': 2}
            finally:
                raw.close()
            assert tg.rate_limited()['by_chat'] == {5: 1}
            tg._control('shutdown')
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()

"""The rate limiter in the transport, against the fake Telegram with its own rate limits on.

Real threads and real time, with the limits scaled up so each test takes well under a
second or two; the assertions are lower bounds (pacing happened) and outcomes (no 429, nothing
lost or sent twice), never tight upper bounds on timing.
"""
from __future__ import annotations

import json
import threading
import time

import pytest

import telepot_ng
from telepot_ng import exception as E
from telepot_ng.broadcast import FileProgress, MemoryProgress
from telepot_ng.ratelimit import (RateLimiter, RateLimiterClosed, RateLimits, RateLimitTimeout)
from telepot_ng.testing import FakeTelegram

WAIT = 20.0


def fake_limits(limits: RateLimits) -> dict:
    """The fake's rate limits with the same numbers as the bot's limiter, but for the overall
    burst, which is Telegram's 30: the limiter's smaller one leaves room for network jitter."""
    return {'chat_rate': limits.chat_rate, 'chat_burst': limits.chat_burst,
            'group_rate': limits.group_rate, 'group_burst': limits.group_burst,
            'overall_rate': limits.global_rate, 'overall_burst': 30,
            'paid_rate': limits.paid_rate, 'paid_burst': limits.paid_burst}


@pytest.fixture
def tg():
    with FakeTelegram() as fake:
        yield fake


def run_threads(targets, name='test-sender'):
    errors = []

    def wrap(fn):
        def run():
            try:
                fn()
            except BaseException as e:        # reported below
                errors.append(e)
        return run
    threads = [threading.Thread(target=wrap(fn), name='%s-%d' % (name, i))
               for i, fn in enumerate(targets)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(WAIT)
    assert not any(th.is_alive() for th in threads)
    return errors


# -- construction ------------------------------------------------------------------------------

def test_the_limiter_is_on_by_default_and_can_be_turned_off_or_configured(tg):
    assert isinstance(tg.bot().rate_limiter, RateLimiter)
    assert tg.bot().rate_limiter.limits == RateLimits()
    assert tg.bot(rate_limits=None).rate_limiter is None
    assert tg.bot(rate_limits=None).rate_limit_stats() == {}
    mine = RateLimits(global_rate=25)
    assert tg.bot(rate_limits=mine).rate_limiter.limits.global_rate == 25
    shared = RateLimiter(mine)
    assert tg.bot(rate_limits=shared).rate_limiter is shared


@pytest.mark.parametrize('bad', ['fast', 30, {'global_rate': 30}, True])
def test_a_limiter_of_the_wrong_type_is_refused(bad):
    with pytest.raises(ValueError) as info:
        telepot_ng.Bot('123:abc', rate_limits=bad)
    assert 'rate_limits' in str(info.value)


# -- pacing against a fake that enforces the same limits --------------------------------------

CHATTY = RateLimits(chat_rate=20, chat_burst=2, group_rate=10, group_burst=3,
                    global_rate=200, global_burst=5)


@pytest.mark.parametrize('paced', [True, False])
def test_paced_calls_get_no_429_and_unpaced_ones_do(paced):
    with FakeTelegram(rate_limits=fake_limits(CHATTY)) as tg:
        bot = tg.bot(rate_limits=CHATTY if paced else None, retry_on_flood=False)
        chats = [1001, 1002, -2001]

        def sender(chat):
            def send():
                for i in range(8):
                    try:
                        bot.sendMessage(chat, 'm%d' % i)
                    except E.TooManyRequestsError:
                        if paced:
                            raise
            return send
        started = time.monotonic()
        errors = run_threads([sender(c) for c in chats for _ in range(2)])
        elapsed = time.monotonic() - started
        refused = tg.rate_limited()['total']
        if paced:
            assert not errors and refused == 0, tg.rate_limited()
            assert len(tg.sent('sendMessage')) == 48
            # 16 to the group at 10/s after a burst of 3
            assert elapsed >= (16 - 3) / 10 - 0.05
        else:
            assert refused > 0      # the fake does enforce these limits


def test_a_429_holds_only_its_chat_and_the_call_is_sent_once(tg):
    bot = tg.bot()
    tg.fail('sendMessage', 'flood', chat_id=501, retry_after=1)
    times = {}

    def to(chat):
        def send():
            t0 = time.monotonic()
            bot.sendMessage(chat, 'hello %d' % chat)
            times[chat] = time.monotonic() - t0
        return send
    first = threading.Thread(target=to(501), name='test-flooded')
    first.start()
    deadline = time.monotonic() + WAIT
    while not tg.requests('sendMessage') and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not run_threads([to(502), to(503)])
    first.join(WAIT)
    assert times[501] >= 1.0                          # held for retry_after
    assert times[502] < 0.9 and times[503] < 0.9      # other chats were not held
    assert len(tg.sent('sendMessage', chat_id=501)) == 1
    stats = bot.rate_limit_stats(501)
    assert stats['floods'] == 1 and stats['pace'] < 1.0


def test_max_wait_raises_instead_of_waiting_and_sends_nothing(tg):
    bot = tg.bot(rate_limits=RateLimits(chat_rate=0.1, chat_burst=1))
    bot.sendMessage(7, 'first')
    t0 = time.monotonic()
    with bot.pacing(max_wait=0.2):
        with pytest.raises(RateLimitTimeout) as info:
            bot.sendMessage(7, 'second')
    assert 0.15 <= time.monotonic() - t0 < 5
    assert 'sendMessage' in str(info.value) and 'max_wait' in str(info.value)
    assert [c.text for c in tg.sent('sendMessage', chat_id=7)] == ['first']
    bot.sendMessage(8, 'another chat goes at once')
    assert bot.rate_limit_stats()['waiting'] == 0


def test_a_call_waiting_when_the_bot_stops_raises_and_stop_is_bounded(tg):
    bot = tg.bot(rate_limits=RateLimits(chat_rate=0.01, chat_burst=1))
    bot.sendMessage(9, 'first')
    errors = []

    def second():
        try:
            bot.sendMessage(9, 'second')
        except Exception as e:
            errors.append(e)
    th = threading.Thread(target=second, name='test-waiter')
    th.start()
    deadline = time.monotonic() + WAIT
    while bot.rate_limit_stats()['waiting'] != 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.monotonic()
    bot.stop(timeout=0.5)
    th.join(WAIT)
    assert time.monotonic() - t0 < 3
    assert len(errors) == 1 and isinstance(errors[0], RateLimiterClosed)
    assert 'stopped' in str(errors[0])
    assert [c.text for c in tg.sent('sendMessage', chat_id=9)] == ['first']
    # the bot is usable again afterwards
    bot.sendMessage(10, 'after stop')


def test_replies_go_before_a_broadcast_backlog(tg):
    limits = RateLimits(global_rate=40, global_burst=1)
    bot = tg.bot(rate_limits=limits)
    report = {}
    bulk = threading.Thread(target=lambda: report.update(
        r=bot.broadcast(range(2000, 2080), 'sendMessage', text='news')), name='test-bulk')
    bulk.start()
    deadline = time.monotonic() + WAIT
    while len(tg.sent('sendMessage')) < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.monotonic()
    bot.sendMessage(42, 'a reply')
    reply_wait = time.monotonic() - t0
    bulk.join(WAIT)
    assert report['r'].counts['sent'] == 80
    assert reply_wait < 0.5               # the backlog was ~1.5 s of sends at 40/s
    pos = [c.chat_id for c in tg.sent('sendMessage')].index(42)
    assert pos < 40


# -- broadcast --------------------------------------------------------------------------------

def test_broadcast_reports_each_chats_outcome(tg):
    bot = tg.bot(rate_limits=RateLimits().scaled(20))
    tg.fail('sendMessage', 'error', chat_id=3003, status=403, times=5,
            description='Forbidden: bot was blocked by the user')
    tg.fail('sendMessage', 'error', chat_id=3004, status=400, times=5,
            description='Bad Request: chat not found')
    tg.fail('sendMessage', 'error', chat_id=3005, status=403, times=5,
            description='Forbidden: user is deactivated')
    chats = [3001, 3002, 3003, 3004, 3005, (3006, {'text': 'just for you'})]
    seen = []
    report = bot.broadcast(chats, 'sendMessage', text='hello all',
                           on_outcome=lambda i, c, o, r: seen.append((c, o)))
    assert report.counts['sent'] == 3 and report.complete
    assert report.chats('blocked') == [3003]
    assert report.chats('not_found') == [3004]
    assert report.chats('forbidden') == [3005]
    assert sorted(seen) == sorted((c, o) for c, o, _ in report.outcomes.values())
    assert [c.text for c in tg.sent('sendMessage', chat_id=3006)] == ['just for you']
    assert report.results[0]['chat']['id'] == 3001


def test_broadcast_keeps_each_chats_order(tg):
    bot = tg.bot(rate_limits=RateLimits().scaled(50))
    items = [(c, {'text': 'n%d' % i}) for i in range(4) for c in (4001, 4002, -4003)]
    report = bot.broadcast(items, workers=8)
    assert report.counts['sent'] == 12
    for c in (4001, 4002, -4003):
        assert [m.text for m in tg.sent('sendMessage', chat_id=c)] == ['n0', 'n1', 'n2', 'n3']


def test_broadcast_resumes_without_sending_anything_twice(tg, tmp_path):
    bot = tg.bot(rate_limits=RateLimits().scaled(50))
    path = tmp_path / 'progress.jsonl'
    chats = list(range(5001, 5011))
    # an earlier run delivered the first four, and died with the fifth in flight
    with open(path, 'w') as f:
        for i, c in enumerate(chats[:5]):
            f.write(json.dumps({'i': i, 'chat': c, 's': 'sending'}) + '\n')
            if i < 4:
                f.write(json.dumps({'i': i, 'chat': c, 's': 'sent'}) + '\n')
        f.write('{"i": 9, "ch')                         # a line torn by the crash
    report = bot.broadcast(chats, text='hi', progress=FileProgress(path))
    assert report.skipped == 4
    assert report.chats('unknown') == [5005]           # may have arrived: not sent again
    assert report.chats('sent') == chats[5:]
    assert {c.chat_id for c in tg.sent('sendMessage')} == set(chats[5:])
    again = bot.broadcast(chats, text='hi', progress=FileProgress(path))
    assert again.skipped == 10 and again.counts['sent'] == 0
    assert len(tg.sent('sendMessage')) == 5


def test_a_broadcast_stopped_with_the_bot_resumes_where_it_stopped(tg):
    bot = tg.bot(rate_limits=RateLimits(global_rate=50, global_burst=1))
    progress = MemoryProgress()
    chats = list(range(6001, 6101))
    out = {}
    th = threading.Thread(target=lambda: out.update(r=bot.broadcast(chats, text='x',
                                                                   progress=progress)),
                          name='test-broadcast')
    th.start()
    deadline = time.monotonic() + WAIT
    while len(tg.sent('sendMessage')) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    bot.stop(timeout=0.2)
    th.join(WAIT)
    first = out['r']
    assert 0 < first.counts['sent'] < 100 and first.counts['not_sent'] > 0
    assert not first.complete
    second = bot.broadcast(chats, text='x', progress=progress)
    assert second.complete and second.skipped == first.counts['sent']
    per_chat = {}
    for c in tg.sent('sendMessage'):
        per_chat[c.chat_id] = per_chat.get(c.chat_id, 0) + 1
    assert per_chat == {c: 1 for c in chats}          # everyone once, nobody twice


def test_broadcast_refuses_bad_options(tg):
    bot = tg.bot()
    for bad in (dict(workers=0), dict(window=0), dict(progress={})):
        with pytest.raises(ValueError):
            bot.broadcast([1], text='x', **bad)


CHILD = r'''
import sys
import telepot_ng
from telepot_ng.ratelimit import RateLimits
base_url, token, path = sys.argv[1:4]
bot = telepot_ng.Bot(token, base_url=base_url, store=path,
                     rate_limits=RateLimits(global_rate=100, global_burst=1))
print('READY', flush=True)
report = bot.broadcast(range(7001, 7301), 'sendMessage', text='news', progress='news')
print('DONE', report.counts, flush=True)
'''


def test_a_broadcast_killed_mid_way_resumes_from_the_store_without_duplicates(tg, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    path = str(tmp_path / 'bot.sqlite3')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen([sys.executable, '-c', CHILD, tg.base_url, tg.token, path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert child.stdout.readline().strip() == b'READY'
        deadline = time.monotonic() + WAIT
        while len(tg.sent('sendMessage')) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(WAIT)
    first = len(tg.sent('sendMessage'))
    assert 60 <= first < 300
    bot = tg.bot(store=path, rate_limits=RateLimits().scaled(100))
    report = bot.broadcast(range(7001, 7301), 'sendMessage', text='news', progress='news')
    assert report.skipped >= first - 16             # at most the calls in flight are unknown
    per_chat = {}
    for c in tg.sent('sendMessage'):
        per_chat[c.chat_id] = per_chat.get(c.chat_id, 0) + 1
    assert max(per_chat.values()) == 1                      # nobody got it twice
    unknown = set(report.chats('unknown'))
    assert len(unknown) <= 16
    assert set(per_chat) | unknown == set(range(7001, 7301))   # everyone else got it
    assert report.complete

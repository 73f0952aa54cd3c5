"""The rate limiter's budgets shared by a cluster's workers (telepot_ng.cluster.buckets).

Two bots of one token, each with its own limiter, on one real redis-server, send together to
the fake Telegram with its rate limits on.  With the shared buckets (automatic with a
ClusterStore) they get no 429; each pacing only itself, they exceed the limits (which shows
the test can fail).  Limits are scaled up so each case takes about two seconds.
"""
from __future__ import annotations

import logging
import threading
import time

import pytest

from telepot_ng import exception as E
from telepot_ng.cluster.buckets import RedisBuckets
from telepot_ng.cluster.store import ClusterStore
from telepot_ng.ratelimit import MemoryBuckets, RateLimiter, RateLimits
from telepot_ng.testing import FakeTelegram

from .redisproc import own_redis, redis_server, redis_url  # noqa: F401  (fixtures)
from .test_ratelimit_transport import fake_limits, run_threads

# overall 60/s, a chat 10/s after a burst of 2
LIMITS = RateLimits(chat_rate=10, chat_burst=2, group_rate=10, group_burst=3,
                    global_rate=60, global_burst=5)


def _bots(tg, redis_url, shared):
    bots = []
    for _ in range(2):
        if shared:
            bot = tg.bot(store=ClusterStore.from_url(redis_url), rate_limits=LIMITS,
                         retry_on_flood=False)
            assert isinstance(bot.rate_limiter._core.store, RedisBuckets)
        else:
            bot = tg.bot(rate_limits=LIMITS, retry_on_flood=False)
            assert isinstance(bot.rate_limiter._core.store, MemoryBuckets)
        bots.append(bot)
    return bots


@pytest.mark.parametrize('shared', [True, False], ids=['shared', 'each-alone'])
def test_two_workers_together_stay_within_the_limits_only_when_sharing(redis_url, shared):
    with FakeTelegram(rate_limits=fake_limits(LIMITS)) as tg:
        bots = _bots(tg, redis_url, shared)
        refused = []

        def sender(bot, chats):
            def send():
                for chat in chats:
                    try:
                        bot.sendMessage(chat, 'x')
                    except E.TooManyRequestsError:
                        refused.append(chat)
            return send
        # each bot: 40 messages to its own 40 chats (the global budget) and 8 to one chat
        # both write to (the per-chat budget), two threads each
        own = [[1000 * (b + 1) + i for i in range(t, 40, 2)] for b in range(2) for t in range(2)]
        hot = [[77] * 4 for _ in range(4)]
        started = time.monotonic()
        errors = run_threads([sender(bots[i // 2], own[i]) for i in range(4)] +
                             [sender(bots[i // 2], hot[i]) for i in range(4)])
        elapsed = time.monotonic() - started
        assert not errors
        counts = tg.rate_limited()
        if shared:
            assert counts['total'] == 0 and not refused, counts
            assert len(tg.sent('sendMessage')) == 96
            # 96 calls at 60/s after a burst of 5; 16 to chat 77 at 10/s after a burst of 2
            assert elapsed >= (96 - 5) / 60 - 0.1
        else:
            # each bot alone keeps its own pace, so together they go twice as fast
            assert counts['total'] > 0
            assert counts['by_chat'].get(77, 0) > 0 or counts['by_scope']['overall'] > 0


def test_a_429_seen_by_one_worker_holds_the_chat_for_all(redis_url):
    with FakeTelegram() as tg:
        a, b = (tg.bot(store=ClusterStore.from_url(redis_url), rate_limits=LIMITS)
                for _ in range(2))
        tg.fail('sendMessage', 'flood', chat_id=502, retry_after=1, times=1)
        seen = threading.Event()

        def flooded():
            a.sendMessage(502, 'a')
            seen.set()
        th = threading.Thread(target=flooded, name='test-flooded')
        th.start()
        deadline = time.monotonic() + 10
        while not a.rate_limiter.stats(502).get('floods') and time.monotonic() < deadline:
            time.sleep(0.005)                   # until worker a has seen its 429
        t1 = time.monotonic()
        b.sendMessage(502, 'b')                 # the other worker waits out a's hold
        waited = time.monotonic() - t1
        th.join(10)
        assert seen.is_set()
        assert waited >= 0.6, waited
        t2 = time.monotonic()
        b.sendMessage(503, 'c')                 # other chats are not held
        assert time.monotonic() - t2 < 0.5
        assert b.rate_limiter.stats(502)['held_for'] == 0.0
        assert tg.rate_limited()['total'] == 0


def test_redis_lost_the_limiter_paces_alone_logs_once_and_comes_back(own_redis, caplog):
    with FakeTelegram(rate_limits=fake_limits(LIMITS)) as tg:
        store = ClusterStore.from_url(own_redis.url)
        bot = tg.bot(store=store, rate_limits=LIMITS, retry_on_flood=False)
        buckets = bot.rate_limiter._core.store
        buckets.retry_every = 0.2
        # two live workers in the member set: alone, this one takes half the overall budget
        store.redis.zadd(store.keys.members, {'w1': time.time() + 60, 'w2': time.time() + 60})
        bot.sendMessage(1, 'before')
        own_redis.stop()
        caplog.set_level(logging.INFO, logger='telepot_ng.cluster.buckets')
        t0 = time.monotonic()
        for i in range(20):                       # 20 chats: only the overall budget paces
            bot.sendMessage(100 + i, 'during')
        elapsed = time.monotonic() - t0
        assert buckets.falling_back and buckets.workers == 2
        # alone at half the overall budget: 30/s after a burst of 2 (5 / 2)
        assert elapsed >= (20 - 3) / 30 - 0.05, elapsed
        lost = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(lost) == 1 and 'Redis did not answer' in lost[0].getMessage()
        own_redis.start()
        time.sleep(0.25)
        bot.sendMessage(2, 'after')
        assert not buckets.falling_back
        assert any('answers again' in r.getMessage() for r in caplog.records)
        assert len(tg.sent('sendMessage')) == 22 and tg.rate_limited()['total'] == 0


def test_a_limiter_with_its_own_store_keeps_it(redis_url):
    mine = MemoryBuckets()
    limiter = RateLimiter(LIMITS, store=mine)
    with FakeTelegram() as tg:
        bot = tg.bot(store=ClusterStore.from_url(redis_url), rate_limits=limiter)
        assert bot.rate_limiter._core.store is mine
        assert tg.bot(store=ClusterStore.from_url(redis_url), rate_limits=None
                      ).rate_limiter is None

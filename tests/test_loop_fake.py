"""Polling loops against the fake Telegram server over real HTTP: faults injected by the
server, every update type, clean stop and restart."""
from __future__ import annotations

import logging
import time

import pytest

from telepot_ng import Bot, exception
from telepot_ng._generated import spec
from telepot_ng.loop import Backoff, MessageLoop

from .test_loop_support import WAIT, Received

FAST = Backoff(base=0.01, cap=0.05)


@pytest.fixture(scope='module')
def tg():
    from telepot_ng.testing import FakeTelegram
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fresh(tg):
    tg.reset()
    return tg


def texts(got):
    return [m['text'] for m in got.msgs]


# Updates are queued on the fake before each loop starts: the loop sees them in several
# batches (limit), with server-side faults drawn at random (seeded) between them.

def test_polling_through_server_faults_delivers_everything_once_in_order(fresh, caplog):
    tg = fresh
    bot = tg.bot(retry_on_flood=False)        # the loop itself must cope with 429
    alice, bob = tg.user('Alice'), tg.user('Bob')
    with tg.batch():
        for i in range(60):
            (alice if i % 2 else bob).says('m%d' % i)
    tg.seed(11)
    tg.fail('getUpdates', 'server_error', probability=0.3)      # nginx 502 HTML page
    tg.fail('getUpdates', 'drop', probability=0.1)              # connection closed, no answer
    tg.fail('getUpdates', 'error', probability=0.2, status=409,
            description='Conflict: terminated by other getUpdates request')
    tg.fail('getUpdates', 'flood', times=1, retry_after=1)
    got = Received()
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        MessageLoop(bot, got).run_as_thread(timeout=5, limit=7, backoff=FAST)
        assert got.wait_for(60)
    tg.clear_faults()
    bot.stop(5)
    assert texts(got) == ['m%d' % i for i in range(60)]
    assert len(set(got.ids)) == 60 and got.ids == sorted(got.ids)
    for what in ('BadHTTPResponse: HTTP 502', 'conflict', 'flood control'):
        assert what in caplog.text, what
    assert tg.token not in caplog.text and tg.token.split(':')[1] not in caplog.text
    faults = [c for c in tg.requests('getUpdates') if c.fault]
    assert len(faults) >= 4


def test_clean_stop_confirms_and_a_restarted_bot_sees_no_repeats(fresh):
    tg = fresh
    alice = tg.user('Alice')
    with tg.batch():
        for i in range(5):
            alice.says('first %d' % i)
    bot = tg.bot()
    got = Received()
    bot.notifyOnMessage(got, timeout=20)
    assert got.wait_for(5)
    assert tg.wait_polling(WAIT)                  # in a 20 s long poll
    t0 = time.monotonic()
    bot.stop(5)
    assert time.monotonic() - t0 < 2              # the long poll was interrupted
    last = got.ids[-1]
    polls = tg.requests('getUpdates')
    assert polls[-1].params.get('offset') == last + 1

    alice.says('second')
    bot2 = tg.bot()
    again = Received()
    bot2.message_loop(again, timeout=20)
    assert again.wait_for(1)
    bot2.stop(5)
    assert texts(again) == ['second']


def test_every_update_type_reaches_user_code_through_polling(fresh):
    tg = fresh
    kinds = list(spec.UPDATE_TYPES)
    bot = tg.bot()
    bot.getUpdates(timeout=0, allowed_updates=kinds)   # Telegram keeps only allowed kinds
    tg.push_updates([{kind: {'id': str(i), 'probe': kind}} for i, kind in enumerate(kinds)])
    got = Received()
    MessageLoop(bot, got).run_as_thread(timeout=5, allowed_updates=kinds)
    assert got.wait_for(len(kinds))
    bot.stop(5)
    assert [m.update_type for m in got.msgs] == kinds
    assert all(m['probe'] == m.update_type for m in got.msgs)


def test_revoked_token_stops_the_loop_with_unauthorized(fresh, caplog):
    tg = fresh
    bad = '111111:' + 'A' * 35
    bot = Bot(bad, base_url=tg.base_url)
    ml = MessageLoop(bot, Received())
    with caplog.at_level(logging.DEBUG, logger='telepot_ng'):
        with pytest.raises(exception.UnauthorizedError):
            ml.run_forever(timeout=5, backoff=FAST)
    assert 'rejected the bot token' in caplog.text
    assert 'A' * 35 not in caplog.text
    bot.stop(1)

"""telepot_ng.aio with the rooms the threaded bot has: the rate limiter (the same
RateLimiter decides; a paced call awaits its turn in its task) and the durable store
(journal before confirm, done-marks, redelivery first, dedupe, ``bot.state``)."""
from __future__ import annotations

import asyncio
import time

import pytest

import telepot_ng.aio
from telepot_ng import exception as E
from telepot_ng.ratelimit import RateLimiter, RateLimits
from telepot_ng.store import StateKey
from telepot_ng.testing import FakeTelegram

from .test_ratelimit_transport import CHATTY, fake_limits
from .test_store import BOT_ID, _after_a_crash, _update

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize('paced', [True, False])
def test_paced_coroutines_get_no_429_and_unpaced_ones_do(paced):
    with FakeTelegram(rate_limits=fake_limits(CHATTY)) as tg:
        async def main():
            async with telepot_ng.aio.Bot(tg.token, base_url=tg.base_url, retry_on_flood=False,
                                          rate_limits=CHATTY if paced else None) as bot:
                assert isinstance(bot.rate_limiter, RateLimiter) is paced

                async def sender(chat):
                    refused = 0
                    for i in range(8):
                        try:
                            await bot.sendMessage(chat, 'm%d' % i)
                        except E.TooManyRequestsError:
                            refused += 1
                    return refused
                t0 = time.monotonic()
                refused = await asyncio.gather(*[sender(c) for c in (1001, 1002, -2001)
                                                 for _ in range(2)])
                return sum(refused), time.monotonic() - t0, bot.rate_limit_stats()
        refused, elapsed, stats = asyncio.run(main())
        if paced:
            assert refused == 0 and tg.rate_limited()['total'] == 0, tg.rate_limited()
            assert len(tg.sent('sendMessage')) == 48
            assert elapsed >= (16 - 3) / 10 - 0.05       # 16 to the group at 10/s, burst 3
            assert stats
        else:
            assert refused > 0 and tg.rate_limited()['total'] > 0


def test_a_429_on_a_paced_call_holds_its_chat_and_is_sent_once():
    with FakeTelegram() as tg:
        tg.fail('sendMessage', 'flood', times=1, retry_after=1, chat_id=1001)

        async def main():
            async with telepot_ng.aio.Bot(tg.token, base_url=tg.base_url,
                                          rate_limits=RateLimits()) as bot:
                first = asyncio.ensure_future(bot.sendMessage(1001, 'held'))
                await asyncio.sleep(0.2)
                other = await bot.sendMessage(1002, 'not held')   # another chat goes on
                return await first, other, time.monotonic()
        held, other, _ = asyncio.run(main())
        assert held['text'] == 'held' and other['text'] == 'not held'
        assert [c.text for c in tg.sent(chat_id=1001)] == ['held']


def test_the_store_redelivers_first_dedupes_and_keeps_state(tmp_path):
    path = str(tmp_path / 's.db')
    with FakeTelegram() as tg:
        expected = _after_a_crash(tg, path)
        got = []

        async def main():
            bot = telepot_ng.aio.Bot(tg.token, base_url=tg.base_url, store=path)
            done = asyncio.Event()

            async def handle(msg):
                got.append((msg['text'], msg.redelivered))
                bot.state['seen'] = bot.state.get('seen', 0) + 1
                if len(got) == 4:
                    done.set()
            task = asyncio.ensure_future(bot.message_loop(handle))
            await asyncio.wait_for(done.wait(), 10)
            await bot.stop()
            await task
            return bot
        bot = asyncio.run(main())
        assert got == expected
        assert bot.store.counts()['pending'] == 0
        assert bot.store.load_state(StateKey(BOT_ID, 'bot', 'null')).data == '{"seen":4}'
        assert tg.counters()['pending_updates'] == 0
        bot.store.close()


def test_a_delegate_state_survives_in_the_store(tmp_path):
    path = str(tmp_path / 's.db')
    from telepot_ng.aio.delegate import create_open, per_chat_id
    from telepot_ng.aio.helper import ChatHandler

    class Counter(ChatHandler):
        async def on_chat_message(self, msg):
            self.state['n'] = self.state.get('n', 0) + 1
            await self.sender.sendMessage('%d' % self.state['n'])

    for first, expected in ((700000001, ['1', '2']), (700000003, ['3', '4'])):  # a restart
        with FakeTelegram() as tg:               # (a new fake: the same update ids again)
            tg.push_updates([_update(first + i, chat=77, text=t) for i, t in enumerate('ab')])

            async def main():
                bot = telepot_ng.aio.DelegatorBot(tg.token, [
                    (per_chat_id(), create_open(Counter, timeout=30))],
                    base_url=tg.base_url, store=path)
                task = asyncio.ensure_future(bot.message_loop())
                await asyncio.get_running_loop().run_in_executor(
                    None, lambda: tg.wait_for_sent(chat_id=77, count=2))
                await bot.stop()
                await task
                bot.store.close()
            asyncio.run(main())
            assert [c.text for c in tg.sent(chat_id=77)] == expected, first


# -- pacing blocks and broadcast, as on the threaded bot ---------------------------------------

def test_a_pacing_block_is_this_tasks_only():
    # one limiter; a bulk block's calls go after every interactive call that is waiting, and a
    # max_wait block refuses a call whose turn is too far: each for its own task only
    from telepot_ng.ratelimit import RateLimitTimeout
    with FakeTelegram() as tg:
        async def main():
            async with telepot_ng.aio.Bot(tg.token, base_url=tg.base_url, rate_limits=RateLimits(
                    global_rate=10, global_burst=1)) as bot:
                async def bulk_calls():
                    with bot.pacing(bulk=True):
                        return [asyncio.ensure_future(bot.sendMessage(5000 + i, 'bulk'))
                                for i in range(12)]
                bulk = await bulk_calls()
                # made outside the block: interactive (the tasks above copied the block's
                # context when they were made; this task's is back to normal)
                replies = [asyncio.ensure_future(bot.sendMessage(6000 + i, 'reply'))
                           for i in range(3)]
                await asyncio.sleep(0)          # all 15 queued, in this order
                hurried = None
                with bot.pacing(max_wait=0.01):     # 3 replies ahead at 10/s: too long
                    try:
                        await bot.sendMessage(7000, 'no time')
                    except RateLimitTimeout as e:
                        hurried = e
                await asyncio.gather(*bulk, *replies)
                assert bot.rate_limiter.options().bulk is False   # nothing leaked out
                assert bot.rate_limiter.options().max_wait is None
                return hurried
        hurried = asyncio.run(main())
        assert isinstance(hurried, RateLimitTimeout), hurried
        texts = [c.text for c in tg.sent('sendMessage')]
        assert texts.count('bulk') == 12 and 'no time' not in texts
        # the replies overtook the bulk calls queued before them (only the first bulk call,
        # granted the burst token at once, went first)
        assert max(i for i, t in enumerate(texts) if t == 'reply') <= 4, texts


def test_an_aio_broadcast_reports_outcomes_keeps_order_and_resumes(tmp_path):
    from telepot_ng.broadcast import FileProgress
    path = tmp_path / 'progress.jsonl'
    with FakeTelegram() as tg:
        tg.fail('sendMessage', 'error', chat_id=8003, status=403, times=5,
                description='Forbidden: bot was blocked by the user')
        items = [(c, {'text': 'n%d' % i}) for i in range(3) for c in (8001, 8002, 8003)]

        async def main():
            async with telepot_ng.aio.Bot(tg.token, base_url=tg.base_url,
                                          rate_limits=RateLimits().scaled(50)) as bot:
                seen = []
                first = await bot.broadcast(items, progress=FileProgress(path),
                                            on_outcome=lambda i, c, o, r: seen.append(o))
                again = await bot.broadcast(items, progress=FileProgress(path))
                return first, again, seen
        first, again, seen = asyncio.run(main())
        assert first.counts['sent'] == 6 and first.counts['blocked'] == 3 and first.complete
        assert sorted(seen) == sorted(o for _, o, _ in first.outcomes.values())
        for c in (8001, 8002):
            assert [m.text for m in tg.sent('sendMessage', chat_id=c)] == ['n0', 'n1', 'n2']
        assert again.skipped == 9 and again.counts['sent'] == 0     # nothing sent twice
        assert len(tg.sent('sendMessage')) == 6


def test_an_aio_broadcast_stopped_with_the_bot_reports_the_rest_not_sent():
    with FakeTelegram() as tg:
        async def main():
            bot = telepot_ng.aio.Bot(tg.token, base_url=tg.base_url,
                                     rate_limits=RateLimits(global_rate=50, global_burst=1))
            job = asyncio.ensure_future(bot.broadcast(range(9001, 9101), text='x'))
            while len(tg.sent('sendMessage')) < 10:
                await asyncio.sleep(0.01)
            await bot.stop(timeout=0.2)
            return await asyncio.wait_for(job, 10)
        report = asyncio.run(main())
        sent, unknown = report.counts['sent'], report.counts['unknown']
        # a call in flight when the stop cancelled it may have reached Telegram: 'unknown'
        assert unknown <= 1, report.counts
        assert 0 < sent < 100 and report.counts['not_sent'] == 100 - sent - unknown, \
            report.counts
        assert sent <= len(tg.sent('sendMessage')) <= sent + unknown

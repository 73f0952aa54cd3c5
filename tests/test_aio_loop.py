"""telepot_ng.aio's update loops against the fake Telegram server: long polling, webhook
feeds, asyncio.Queue sources, the scheduler, and clean stops that confirm what was handed
on -- with the threaded loops' bookkeeping (PollState, Orderer)."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import telepot_ng
import telepot_ng.aio
from telepot_ng import exception
from telepot_ng.aio.delegate import create_open, per_chat_id
from telepot_ng.aio.helper import ChatHandler
from telepot_ng.aio.loop import MessageLoop, OrderedWebhook, Webhook
from telepot_ng.testing import FakeTelegram

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytestmark = pytest.mark.timeout(90)


def texts(tg, user):
    return [c.text for c in tg.sent(chat_id=user)]


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.01)


# ------------------------------------------------------------------------- long polling

def test_message_loop_async_handler_keeps_each_chats_order(fake_telegram, aio_runner):
    tg = fake_telegram
    # unpaced: Telegram's ~1 message/s per chat held the 10 echoes of each chat ~7 s and
    # made the handlers take turns; without it they overlap, as order must survive
    bot = aio_runner.bot(tg, rate_limits=None)
    seen = []

    async def handle(msg):
        await asyncio.sleep(0.001 * (msg['message_id'] % 3))     # uneven work
        seen.append((msg['chat']['id'], msg['text']))
        await bot.sendMessage(msg['chat']['id'], 'echo ' + msg['text'])

    users = [tg.user('U%d' % i) for i in range(8)]
    with tg.batch():
        for n in range(10):
            for u in users:
                u.says(str(n))
    aio_runner.start(MessageLoop(bot, handle).run_forever())
    tg.wait_for_sent(count=80, timeout=20)
    for u in users:
        assert texts(tg, u) == ['echo %d' % n for n in range(10)]
        assert [t for c, t in seen if c == u.id] == [str(n) for n in range(10)]
    aio_runner.call(bot.stop())
    assert tg.counters()['pending_updates'] == 0


def test_bot_message_loop_with_a_delegator_bot_counter(fake_telegram, aio_runner):
    class Counter(ChatHandler):
        def __init__(self, seed_tuple, timeout):
            super().__init__(seed_tuple, timeout)
            self._count = 0

        async def on_chat_message(self, msg):
            self._count += 1
            await self.sender.sendMessage('%d %s' % (self._count, msg['text']))

    tg = fake_telegram
    bot = aio_runner.bot(tg, telepot_ng.aio.DelegatorBot,
                         [(per_chat_id(), create_open(Counter, timeout=10))])
    aio_runner.start(bot.message_loop())
    alice, bob = tg.user('Alice'), tg.user('Bob')
    for t in 'abc':
        alice.says(t)
        bob.says(t.upper())
    tg.wait_for_sent(count=6)
    assert texts(tg, alice) == ['1 a', '2 b', '3 c']
    assert texts(tg, bob) == ['1 A', '2 B', '3 C']


def test_handle_routes_by_flavor_to_plain_and_coroutine_methods(fake_telegram, aio_runner):
    tg = fake_telegram
    got = []

    class MyBot(telepot_ng.aio.Bot):
        async def on_chat_message(self, msg):
            await self.sendMessage(msg['chat']['id'], 'chat ' + msg['text'])

        def on_callback_query(self, msg):
            got.append(msg['data'])

    bot = aio_runner.bot(tg, MyBot)
    aio_runner.start(bot.message_loop())
    alice = tg.user('Alice')
    alice.says('hi')
    assert alice.reply().text == 'chat hi'
    sent = tg.sent(chat_id=alice)[0]
    alice.clicks(tg.message(alice, sent.result['message_id']), 'b1') \
        if hasattr(alice, 'clicks') else tg.push_update(
            {'callback_query': {'id': 'q', 'from': {'id': alice.id, 'is_bot': False,
                                                    'first_name': 'A'},
                                'chat_instance': 'c', 'data': 'b1'}})
    wait_until(lambda: got == ['b1'])


def test_routing_table_and_errors_in_handlers_do_not_stop_the_loop(fake_telegram, aio_runner):
    tg = fake_telegram
    bot = aio_runner.bot(tg)

    async def on_chat(msg):
        if msg['text'] == 'boom':
            raise RuntimeError('handler bug')
        await bot.sendMessage(msg['chat']['id'], 'ok ' + msg['text'])

    aio_runner.start(bot.message_loop({'chat': on_chat}))
    alice = tg.user('Alice')
    alice.says('boom')
    alice.says('after')
    assert alice.reply().text == 'ok after'


def test_stop_confirms_what_was_handed_on_and_lets_handlers_finish(fake_telegram, aio_runner):
    tg = fake_telegram
    bot = aio_runner.bot(tg)
    started = []

    async def slow(msg):
        started.append(msg['text'])
        await asyncio.sleep(0.3)
        await bot.sendMessage(msg['chat']['id'], 'done ' + msg['text'])

    loop = MessageLoop(bot, slow)
    aio_runner.start(loop.run_forever())
    alice = tg.user('Alice')
    alice.says('x')
    wait_until(lambda: started)
    aio_runner.call(bot.stop())
    assert texts(tg, alice) == ['done x']            # the running handler finished
    assert tg.counters()['pending_updates'] == 0     # and its update was confirmed
    assert not loop.running


def test_a_revoked_token_ends_run_forever_with_the_error(fake_telegram, aio_runner):
    tg = fake_telegram
    tg.fail('getUpdates', 'error', status=401, description='Unauthorized', times=None,
            probability=1.0)
    bot = aio_runner.bot(tg)
    with pytest.raises(exception.UnauthorizedError):
        aio_runner.call(MessageLoop(bot, lambda m: None).run_forever(), timeout=10)


def test_poll_failures_back_off_and_recover(fake_telegram, aio_runner):
    tg = fake_telegram
    tg.fail('getUpdates', 'server_error', times=2)
    bot = aio_runner.bot(tg)
    got = []
    aio_runner.start(MessageLoop(bot, lambda m: got.append(m['text'])).run_forever(relax=0))
    tg.user('Alice').says('through')
    wait_until(lambda: got == ['through'], 20)


# ------------------------------------------------------------------------- webhooks, queues

def update(uid, chat=1, text=None):
    return {'update_id': uid, 'message': {'message_id': uid, 'date': 0, 'text': text or str(uid),
                                          'chat': {'id': chat, 'type': 'private'}}}


def test_ordered_webhook_puts_feeds_in_order_and_gives_up_after_maxhold():
    async def main():
        bot = telepot_ng.aio.Bot('123:' + 'a' * 35)
        got = []
        hook = OrderedWebhook(bot, lambda msg: got.append(msg.update_id))
        hook.feed(update(10))                       # before the loop runs: kept
        task = asyncio.ensure_future(hook.run_forever(maxhold=0.2))
        await asyncio.sleep(0.6)                    # the first hold
        for uid in (12, 11, 11, 14, b'bad', json.dumps(update(13))):
            try:
                hook.feed(uid if not isinstance(uid, int) else update(uid))
            except ValueError:
                got.append('rejected')
        await asyncio.sleep(0.01)
        hook.feed(update(16))                       # 15 never comes
        await asyncio.sleep(0.4)
        await bot.stop()
        await task
        with pytest.raises(RuntimeError):
            hook.feed(update(17))
        return got
    assert asyncio.run(main()) == [10, 11, 12, 'rejected', 13, 14, 16]


def test_webhook_hands_on_as_fed_and_drops_duplicates():
    async def main():
        bot = telepot_ng.aio.Bot('123:' + 'a' * 35)
        got = []

        async def handle(msg):
            got.append(msg.update_id)
        hook = Webhook(bot, handle)
        task = asyncio.ensure_future(hook.run_forever())
        await asyncio.sleep(0)
        for uid in (5, 3, 5, 4):
            hook.feed(update(uid, chat=uid))
        await bot.stop()
        await task
        return got
    assert sorted(asyncio.run(main())) == [3, 4, 5]


def test_message_loop_from_an_asyncio_queue_in_order():
    async def main():
        bot = telepot_ng.aio.Bot('123:' + 'a' * 35)
        q = asyncio.Queue()
        got = []
        for uid in (1, 3, 2):
            q.put_nowait(update(uid))
        task = asyncio.ensure_future(bot.messageLoop(lambda m: got.append(m.update_id),
                                                     source=q, maxhold=1))
        await asyncio.sleep(0.7)
        q.put_nowait(json.dumps(update(4)).encode())
        await asyncio.sleep(0.05)
        await bot.stop()
        await task
        return got
    assert asyncio.run(main()) == [1, 2, 3, 4]


def test_scheduled_events_come_back_to_the_handler(fake_telegram, aio_runner):
    tg = fake_telegram
    bot = aio_runner.bot(tg)
    got = []

    async def handle(msg):
        if telepot_ng.is_event(msg):
            got.append(msg)
            return
        bot.scheduler.event_later(0.05, {'_alarm': {'text': msg['text']}})

    aio_runner.start(bot.message_loop(handle))
    tg.user('Alice').says('wake me')
    wait_until(lambda: got == [{'_alarm': {'text': 'wake me'}}])


# ------------------------------------------------------------------------- signals

SCRIPT = textwrap.dedent('''
    import asyncio, sys
    import telepot_ng.aio
    from telepot_ng.aio.loop import MessageLoop

    bot = telepot_ng.aio.Bot(sys.argv[1])

    async def handle(msg):
        print('got', msg['text'], flush=True)
        # busy until the test, having sent its signal, says 'go' (a line on stdin)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        await bot.sendMessage(msg['chat']['id'], 'finished ' + msg['text'])

    if sys.argv[2] == 'asyncio.run':
        asyncio.run(MessageLoop(bot, handle).run_forever())
    else:                                       # telepot 12's way
        loop = asyncio.get_event_loop()
        loop.create_task(bot.message_loop(handle))
        loop.run_forever()
''')


@pytest.mark.parametrize('style, sig, code', [
    ('asyncio.run', signal.SIGTERM, 0),
    ('asyncio.run', signal.SIGINT, -signal.SIGINT),     # KeyboardInterrupt, as Ctrl-C ends
    ('run_forever', signal.SIGTERM, 0),
    ('run_forever', signal.SIGINT, -signal.SIGINT),
])
def test_a_signal_stops_cleanly_confirming_the_offset(style, sig, code, tmp_path):
    script = tmp_path / 'bot.py'
    script.write_text(SCRIPT)
    with FakeTelegram() as tg:
        env = dict(os.environ, PYTHONPATH=ROOT, TELEPOT_NG_API_URL=tg.base_url)
        proc = subprocess.Popen([sys.executable, str(script), tg.token, style], env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            tg.wait_polling(15)
            alice = tg.user('Alice')
            alice.says('one')
            assert proc.stdout.readline().strip() == 'got one'
            proc.send_signal(sig)                    # while the handler is busy
            # it stays busy until 'go' (before: a fixed 1 s, which a loaded box could spend
            # before the signal was even sent); the loop gets 0.3 s to take the signal first
            time.sleep(0.3)
            out, err = proc.communicate('go\n', timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == code, err
        assert texts(tg, alice) == ['finished one']
        assert tg.counters()['pending_updates'] == 0, 'the update was not confirmed'
        assert tg.token.split(':')[1] not in err
        assert 'Unclosed' not in err and 'never awaited' not in err, err

"""telepot_ng.aio.Bot: every Bot API method as a coroutine from the one generator, the same
parameter handling as telepot_ng.Bot, the same errors, flood waits, downloads and masking,
over aiohttp against the fake Telegram server."""
from __future__ import annotations

import asyncio
import inspect
import io
import logging

import pytest

import telepot_ng
import telepot_ng.aio
from telepot_ng import exception
from telepot_ng._codegen.__main__ import load_spec, snake
from telepot_ng.aio import Bot
from telepot_ng.ratelimit import RateLimiterClosed
from telepot_ng.testing import FakeTelegram

from .conftest import TOKEN, RecordingTransport

SPEC = load_spec()
pytestmark = pytest.mark.timeout(60)


# ------------------------------------------------------------------ the generated surface

def test_every_method_is_a_coroutine_method_with_the_threaded_signature():
    assert len(SPEC['methods']) >= 180
    for name in SPEC['methods']:
        fn = getattr(Bot, name)
        assert inspect.iscoroutinefunction(fn), name
        assert getattr(Bot, snake(name)) is fn, name
        assert inspect.signature(fn) == inspect.signature(getattr(telepot_ng.Bot, name)), name
        assert fn.__doc__ == getattr(telepot_ng.Bot, name).__doc__
    # telepot's old names point at today's methods, as coroutines
    assert Bot.kickChatMember is Bot.banChatMember
    assert inspect.iscoroutinefunction(Bot.getChatMembersCount)


class AsyncRecorder(RecordingTransport):
    """RecordingTransport for an aio bot: the same record, awaited."""

    async def request(self, method, params):      # type: ignore[override]
        return super().request(method, params)

    async def close(self):                        # type: ignore[override]
        pass


def both_bots():
    sync = telepot_ng.Bot(TOKEN, base_url='http://127.0.0.1:9')
    sync._transport = RecordingTransport()
    aio = Bot(TOKEN, base_url='http://127.0.0.1:9')
    aio._transport = AsyncRecorder()
    return sync, aio


CALLS = [
    ('sendMessage', (42, 'hi'), {'parse_mode': 'HTML'}),
    ('sendMessage', (42, 'hi', 'Markdown', True), {}),                # telepot 6.3 positional
    ('editMessageText', ((42, 7), 'new'), {}),                         # telepot msg_identifier
    ('editMessageText', (('inline-1',), 'new'), {'reply_markup': None}),
    ('forwardMessage', (42, 43, 7), {}),
    ('answerCallbackQuery', ('q1',), {'text': 'ok', 'show_alert': True}),
    ('kickChatMember', (42, 9), {}),
    ('sendMessage', (), {'chat_id': 42, 'text': 'x', 'disable_web_page_preview': True}),
]


@pytest.mark.parametrize('method, args, kwargs', CALLS)
def test_calls_send_exactly_what_the_threaded_bot_sends(method, args, kwargs):
    sync, aio = both_bots()
    getattr(sync, method)(*args, **kwargs)
    asyncio.run(getattr(aio, method)(*args, **kwargs))
    assert aio._transport.calls == sync._transport.calls
    assert aio._transport.calls[0][1]          # something was sent


def test_bad_calls_raise_the_same_errors_when_awaited():
    sync, aio = both_bots()
    with pytest.raises(TypeError) as s:
        sync.sendMessage()                          # type: ignore[call-arg]
    with pytest.raises(TypeError):
        asyncio.run(aio.sendMessage())              # type: ignore[call-arg]
    with pytest.raises(TypeError) as a:
        asyncio.run(aio.sendMessage(42, 'x', 'HTML', text='twice'))
    with pytest.raises(TypeError) as s:
        sync.sendMessage(42, 'x', 'HTML', text='twice')
    assert str(a.value) == str(s.value)
    with pytest.raises(ValueError):
        asyncio.run(aio.call('no such method!'))
    assert aio._transport.calls == sync._transport.calls == []


# ------------------------------------------------------------------ against the fake

@pytest.fixture
def tg():
    with FakeTelegram() as fake:
        yield fake


def run(tg, body, **bot_options):
    async def main():
        async with Bot(tg.token, base_url=tg.base_url, **bot_options) as bot:
            return await body(bot)
    return asyncio.run(main())


def test_round_trips_return_plain_dicts(tg):
    alice = tg.user('Alice')

    async def body(bot):
        me = await bot.getMe()
        sent = await bot.sendMessage(alice.id, 'hello', parse_mode='HTML')
        by_name = await bot.call('sendMessage', chat_id=alice.id, text='again')
        return me, sent, by_name
    me, sent, by_name = run(tg, body)
    assert me['is_bot'] is True and type(me) is dict
    assert sent['text'] == 'hello' and sent['chat']['id'] == alice.id
    assert by_name['text'] == 'again'
    assert [c.text for c in tg.sent(chat_id=alice)] == ['hello', 'again']


def test_concurrent_calls_share_one_session(tg):
    alice = tg.user('Alice')

    async def body(bot):
        sent = await asyncio.gather(*[bot.sendMessage(alice.id, str(i)) for i in range(50)])
        return sent, bot._transport._backend._own
    # without the pacing (Telegram's ~1 message/s per chat made these 50 calls take ~47 s,
    # one after the other): all 50 are in flight at once on the one session
    sent, session = run(tg, body, rate_limits=None)
    assert sorted(int(m['text']) for m in sent) == list(range(50))
    assert session is not None and session.closed          # stop() closed it


def test_telegram_errors_are_typed_and_mask_the_token(tg):
    tg.fail('sendMessage', 'error', status=403,
            description='Forbidden: bot was blocked by the user (bot%s)' % tg.token)

    async def body(bot):
        with pytest.raises(exception.TelegramError) as e:
            await bot.sendMessage(tg.user('Alice').id, 'blocked')
        return e.value
    err = run(tg, body)
    assert isinstance(err, exception.BotWasBlockedError) and err.error_code == 403
    secret = tg.token.split(':')[1]
    assert secret not in str(err) and secret not in repr(err)


def test_network_failure_names_no_token_and_is_typed():
    async def body():
        async with Bot(TOKEN, base_url='http://127.0.0.1:9', connect_timeout=2) as bot:
            with pytest.raises(exception.NetworkError) as e:
                await bot.sendMessage(1, 'x')
            return e.value
    err = asyncio.run(body())
    assert err.maybe_sent is False                   # the connection was refused
    text = '%s %r %r %s' % (err, err, err.cause, err.__cause__)
    assert TOKEN.split(':')[1] not in text


def test_flood_control_is_waited_out_then_retried(tg, caplog):
    alice = tg.user('Alice')
    tg.fail('sendMessage', 'flood', times=1, retry_after=1)
    caplog.set_level(logging.WARNING)

    async def body(bot):
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        sent = await bot.sendMessage(alice.id, 'after the wait')
        return sent, loop.time() - t0
    sent, took = run(tg, body)
    assert sent['text'] == 'after the wait' and took >= 0.9
    assert 'flood control' in caplog.text
    assert len(tg.requests('sendMessage')) == 2


def test_stop_cuts_a_flood_wait_short(tg):
    tg.fail('sendMessage', 'flood', times=1, retry_after=30)
    alice = tg.user('Alice')

    async def body(bot):
        call = asyncio.ensure_future(bot.sendMessage(alice.id, 'x'))
        while not tg.requests('sendMessage'):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        t0 = asyncio.get_running_loop().time()
        await bot.stop()
        # paced (the default): the retry's turn is cancelled; unpaced: the wait is cut
        with pytest.raises((exception.TooManyRequestsError, RateLimiterClosed)):
            await call
        return asyncio.get_running_loop().time() - t0
    assert run(tg, body) < 5


def test_read_only_calls_are_retried_once_after_a_dropped_connection(tg):
    tg.fail('getMe', 'drop', times=1)
    tg.fail('sendMessage', 'drop', times=1)
    alice = tg.user('Alice')

    async def body(bot):
        me = await bot.getMe()
        with pytest.raises(exception.NetworkError) as e:
            await bot.sendMessage(alice.id, 'maybe arrived')
        return me, e.value
    me, err = run(tg, body)
    assert me['is_bot'] and err.maybe_sent is True
    assert len(tg.requests('getMe')) == 2 and len(tg.requests('sendMessage')) == 1


def test_uploads_and_downloads(tg, tmp_path):
    alice = tg.user('Alice')
    data = bytes(range(256)) * 1000
    path = tmp_path / 'in.bin'
    path.write_bytes(data)

    async def body(bot):
        sent = await bot.sendDocument(alice.id, path)
        file_id = sent['document']['file_id']
        buf = io.BytesIO()
        seen = []
        size = await bot.downloadFile(file_id, buf, progress=lambda d, t: seen.append((d, t)))
        out = tmp_path / 'out.bin'
        await bot.download_file(file_id, str(out))
        return size, buf.getvalue(), out.read_bytes(), seen
    size, got, on_disk, seen = run(tg, body)
    assert size == len(data) and got == data and on_disk == data
    assert seen[-1] == (len(data), len(data))


def test_a_bot_works_again_in_a_new_event_loop(tg):
    alice = tg.user('Alice')
    bot = Bot(tg.token, base_url=tg.base_url)

    async def send(text):
        try:
            return await bot.sendMessage(alice.id, text)
        finally:
            await bot.stop()
    assert asyncio.run(send('one'))['text'] == 'one'
    assert asyncio.run(send('two'))['text'] == 'two'


def test_the_token_is_never_in_a_repr():
    bot = Bot(TOKEN)
    assert TOKEN not in repr(bot) and TOKEN not in repr(bot._transport)
    assert repr(bot) == '<Bot id=123456789>'

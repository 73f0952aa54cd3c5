"""aiogram as documented (it has no rate limiter): send one message after another, wait
``1 / 30`` s between them (scaled like the fake's limits: Telegram's ~30 messages a second),
and on ``TelegramRetryAfter`` sleep ``retry_after`` and send again. Users are answered by a
Dispatcher handler."""
import asyncio
import time

import _rl

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter


def main():
    opts = _rl.options()
    session = AiohttpSession(api=TelegramAPIServer.from_base(opts.api))
    bot = Bot(opts.token, session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message):
        await message.answer(_rl.reply_text(message.text or ''))
    _rl.ready_then_wait_go()

    async def run():
        if opts.busy:
            asyncio.ensure_future(dp.start_polling(bot, polling_timeout=1,
                                                   handle_signals=False))
        started = time.monotonic()
        failed = 0
        for chat, text in opts.items:
            for _ in range(5):
                try:
                    await bot.send_message(chat, text)
                    break
                except TelegramRetryAfter as e:
                    await asyncio.sleep(e.retry_after)
                except TelegramAPIError:
                    failed += 1
                    break
            await asyncio.sleep(1 / (30 * opts.scale))
        _rl.result(started, failed=failed)
        if opts.busy:
            await asyncio.Event().wait()
    asyncio.run(run())


if __name__ == '__main__':
    main()

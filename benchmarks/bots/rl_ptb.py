"""python-telegram-bot with its AIORateLimiter (``pip install python-telegram-bot[rate-limiter]``)
as documented: overall 30/s and 20 per minute per group (scaled like the fake's limits),
``max_retries=3`` so a 429 is retried; the mass send is ``asyncio.gather`` of every
``bot.send_message`` (the limiter paces them). Users are answered by a MessageHandler."""
import asyncio
import time

import _rl

from telegram.error import RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, MessageHandler, filters


def main():
    opts = _rl.options()
    limiter = AIORateLimiter(overall_max_rate=30 * opts.scale, overall_time_period=1,
                             group_max_rate=20, group_time_period=60 / opts.scale,
                             max_retries=3)
    app = (Application.builder().token(opts.token).base_url(opts.api + '/bot')
           .rate_limiter(limiter).concurrent_updates(True).build())

    async def echo(update, context):
        await context.bot.send_message(update.effective_chat.id,
                                       _rl.reply_text(update.message.text))
    app.add_handler(MessageHandler(filters.TEXT, echo))
    _rl.ready_then_wait_go()

    async def run():
        async with app:
            await app.start()
            if opts.busy:
                await app.updater.start_polling(timeout=1)
            started = time.monotonic()
            errors = {'retry_after': 0, 'other': 0}

            async def one(chat, text):
                try:
                    await app.bot.send_message(chat, text)
                except RetryAfter:
                    errors['retry_after'] += 1
                except TelegramError:
                    errors['other'] += 1
            await asyncio.gather(*(one(c, t) for c, t in opts.items))
            _rl.result(started, errors=errors)
            if opts.busy:
                await asyncio.Event().wait()
    asyncio.run(run())


if __name__ == '__main__':
    main()

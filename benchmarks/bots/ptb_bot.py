"""python-telegram-bot's benchmark bot, written as its documentation teaches: an
``Application`` with a ``MessageHandler``; the per-chat counter lives in ``context.chat_data``
(PTB's per-chat storage); ``base_url`` points at the local server (its documented
local-Bot-API-server setting).  Updates are handled one at a time (PTB's default,
``concurrent_updates=False``).

serve:    ``application.run_polling()``; answers ``context.bot.send_message(chat_id, ...)``.
dispatch: ``await application.update_queue.put(Update.de_json(data, application.bot))``
          (its documented way to feed updates from a custom webhook).
"""
import asyncio

import _harness

from telegram import Update
from telegram.ext import Application, MessageHandler, filters


def build(opts, callback):
    application = Application.builder().token(opts.token).base_url(opts.api + '/bot').build()
    application.add_handler(MessageHandler(filters.TEXT, callback))
    return application


def main():
    opts = _harness.options()
    _harness.quiet_logging()
    if opts.mode == 'serve':
        async def echo(update, context):
            n = context.chat_data.get('count', 0) + 1
            context.chat_data['count'] = n
            if n % opts.answer_every == 0:
                await context.bot.send_message(chat_id=update.effective_chat.id,
                                               text='%d %s' % (n, update.message.text))

        application = build(opts, echo)
        _harness.ready_then_wait_go()
        application.run_polling()
        return

    tally = _harness.make_tally(opts)

    async def count(update, context):
        n = context.chat_data.get('count', 0) + 1
        context.chat_data['count'] = n
        tally.seen(n, update.message.message_id)

    application = build(opts, count)

    async def dispatch():
        async with application:
            await application.start()

            async def feed(data):
                await application.update_queue.put(Update.de_json(data, application.bot))
            await _harness.run_dispatch_async(tally, opts, feed)

    asyncio.run(dispatch())


if __name__ == '__main__':
    main()

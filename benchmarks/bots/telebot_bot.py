"""pyTelegramBotAPI's benchmark bot, written as its README teaches: a ``@bot.message_handler``
on a ``TeleBot`` (threaded by default: handlers run on a pool of 2 worker threads), with
``apihelper.API_URL`` pointed at the local server (its documented way to use another
Bot API server) and a per-chat counter in a dict (the library has no per-chat storage
besides its state machine).

serve:    ``bot.infinity_polling()``; answers sendMessage(chat_id, "<counter> <text>").
dispatch: ``bot.process_new_updates([Update.de_json(update)])`` (its webhook entry point).
"""
import _harness

import telebot
from telebot import apihelper, types


def main():
    opts = _harness.options()
    _harness.quiet_logging()
    apihelper.API_URL = opts.api + '/bot{0}/{1}'
    bot = telebot.TeleBot(opts.token)
    counts = {}

    if opts.mode == 'serve':
        @bot.message_handler(func=lambda message: True)
        def echo(message):
            n = counts.get(message.chat.id, 0) + 1
            counts[message.chat.id] = n
            if n % opts.answer_every == 0:
                bot.send_message(message.chat.id, '%d %s' % (n, message.text))

        _harness.ready_then_wait_go()
        bot.infinity_polling()
    else:
        tally = _harness.make_tally(opts)

        @bot.message_handler(func=lambda message: True)
        def count(message):
            n = counts.get(message.chat.id, 0) + 1
            counts[message.chat.id] = n
            tally.seen(n, message.message_id)

        _harness.run_dispatch(
            tally, opts, lambda u: bot.process_new_updates([types.Update.de_json(u)]))


if __name__ == '__main__':
    main()

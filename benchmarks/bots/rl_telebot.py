"""pyTelegramBotAPI with its antiflood helper, as documented: ``for chat_id, text in items:
util.antiflood(bot.send_message, chat_id, text)`` (it sleeps ``retry_after`` on a 429 and tries
again, up to 5 times). Users are answered by a message_handler (threaded TeleBot)."""
import threading
import time

import _rl

import telebot
from telebot import apihelper, util


def main():
    opts = _rl.options()
    apihelper.API_URL = opts.api + '/bot{0}/{1}'
    bot = telebot.TeleBot(opts.token)

    @bot.message_handler(func=lambda message: True)
    def echo(message):
        bot.send_message(message.chat.id, _rl.reply_text(message.text))
    if opts.busy:
        threading.Thread(target=bot.infinity_polling, kwargs={'timeout': 1},
                         daemon=True).start()
    _rl.ready_then_wait_go()
    started = time.monotonic()
    failed = 0
    for chat, text in opts.items:
        try:
            util.antiflood(bot.send_message, chat, text)
        except Exception:
            failed += 1
    _rl.result(started, failed=failed)
    if opts.busy:
        while True:
            time.sleep(3600)


if __name__ == '__main__':
    main()

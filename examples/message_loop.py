"""message_loop.py: a program in telepot 12's style (MessageLoop, a routing table, the scheduler).

Written as telepot 12 programs were: ``import telepot_ng as telepot`` is the only change
such a program needs.  ``MessageLoop(bot, {flavor: function})`` polls Telegram in a thread
and routes each message by flavor; events from ``bot.scheduler`` are routed by their
flavor too (``'_reminder'`` here), one at a time with the messages, in the same thread.

Send "/remind 10 tea" and ten seconds later the bot says "tea".

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/message_loop.py
    python examples/message_loop.py --demo      # offline: a fake Telegram and a simulated user
"""
import contextlib
import os
import sys
import time

import telepot_ng as telepot
from telepot_ng.loop import MessageLoop

bot = None      # set below: the handlers use it, as in telepot 12's examples


def on_chat_message(msg):
    content_type, chat_type, chat_id = telepot.glance(msg)
    words = msg.get('text', '').split(None, 2)
    try:
        command, seconds, text = words[0], float(words[1]), words[2]
    except (IndexError, ValueError):
        command = None
    if command != '/remind':
        bot.sendMessage(chat_id, 'Usage: /remind <seconds> <text>')
        return
    bot.scheduler.event_later(seconds, {'_reminder': {'chat_id': chat_id, 'text': text}})
    bot.sendMessage(chat_id, 'OK, in %g s.' % seconds)


def on_reminder(event):
    reminder = telepot.peel(event)                  # the event's data
    bot.sendMessage(reminder['chat_id'], 'Reminder: ' + reminder['text'])


ROUTES = {'chat': on_chat_message, '_reminder': on_reminder}


def main():
    global bot
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/message_loop.py --demo)')
    bot = telepot.Bot(token)
    MessageLoop(bot, ROUTES).run_as_thread()
    print('Listening ...')
    while 1:                    # Ctrl-C ends the program; at exit the loop stops cleanly
        time.sleep(10)


def demo():
    global bot
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg:
        bot = tg.bot()                              # a telepot_ng.Bot talking to the fake
        alice = tg.user('Alice')
        MessageLoop(bot, ROUTES).run_as_thread()
        alice.says('/remind 0.2 tea is ready')
        assert [c.text for c in alice.replies(2)] == ['OK, in 0.2 s.', 'Reminder: tea is ready']
        alice.says('hello')
        assert alice.reply().text == 'Usage: /remind <seconds> <text>'
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

"""skeleton.py: the smallest useful telepot_ng program, in telepot 6.3's style.

``notifyOnMessage()`` polls Telegram in a thread of its own and calls ``handle(msg)`` for
every message; ``glance(msg)`` gives a chat message's headline: content type, chat type and
chat id.

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/skeleton.py
    python examples/skeleton.py --demo      # offline: a fake Telegram and simulated users
"""
import contextlib
import os
import sys

import telepot_ng


class YourBot(telepot_ng.Bot):
    def handle(self, msg):
        if telepot_ng.flavor(msg) != 'chat':     # telepot 6.3's name, 'normal', works too
            return                               # not a chat message (a callback query, ...)
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        self.sendMessage(chat_id, 'That was a %s message in a %s chat.'
                         % (content_type, chat_type))


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/skeleton.py --demo)')
    bot = YourBot(token)
    print('Listening; Ctrl-C stops.')
    bot.notifyOnMessage(run_forever=True)    # Ctrl-C: the loop stops cleanly, then raises


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, YourBot(tg.token, base_url=tg.base_url) as bot:
        alice, bob = tg.user('Alice'), tg.user('Bob')
        group = tg.group('Friends', members=[alice, bob])
        bot.notifyOnMessage()
        alice.says('hello')
        assert alice.reply().text == 'That was a text message in a private chat.'
        alice.sends_photo(caption='my cat')
        assert alice.reply().text == 'That was a photo message in a private chat.'
        bob.sends(chat=group, location={'latitude': 48.86, 'longitude': 2.35})
        assert bob.reply(chat=group).text == 'That was a location message in a group chat.'
        print(tg.transcript())          # leaving the with-block stops the bot, then the fake


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

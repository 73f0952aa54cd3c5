"""counter.py: one handler per chat, each in its own thread (telepot 6.3's DelegatorBot).

``per_chat_id()`` makes the chat id the seed: the DelegatorBot keeps one live MessageCounter
per chat and hands it that chat's messages in order.  ``create_open`` runs it: ``open``,
then ``on_message`` per message.  After ``timeout`` quiet seconds its listener gives up, the
handler ends, and the chat's next message starts a new one: the count starts over.

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/counter.py
    python examples/counter.py --demo      # offline: a fake Telegram and simulated users
"""
import contextlib
import os
import sys
import time

import telepot_ng
from telepot_ng.delegate import create_open, per_chat_id
from telepot_ng.helper import ChatHandler


class MessageCounter(ChatHandler):
    def __init__(self, seed_tuple, timeout):
        super().__init__(seed_tuple, timeout)
        self._count = 0

    def on_message(self, msg):
        self._count += 1
        self.sender.sendMessage(self._count)


def make_bot(token, timeout=10, **options):
    return telepot_ng.DelegatorBot(token, [
        (per_chat_id(), create_open(MessageCounter, timeout=timeout)),
    ], **options)


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/counter.py --demo)')
    with make_bot(token) as bot:                 # bot.stop() on the way out
        print('Listening; Ctrl-C stops.')
        bot.notifyOnMessage(run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, make_bot(tg.token, timeout=0.5, base_url=tg.base_url) as bot:
        alice, bob = tg.user('Alice'), tg.user('Bob')
        bot.notifyOnMessage()
        with tg.batch():                         # sent together: both chats count at once
            for text in ('one', 'two', 'three'):
                alice.says(text)
                bob.says(text.upper())
        assert [c.text for c in alice.replies(3)] == ['1', '2', '3']
        assert [c.text for c in bob.replies(3)] == ['1', '2', '3']
        deadline = time.monotonic() + 10         # both chats are quiet: handlers time out
        while bot.live_delegates and time.monotonic() < deadline:
            time.sleep(0.05)
        assert bot.live_delegates == 0
        alice.says('still there?')
        assert alice.reply().text == '1'         # a new MessageCounter: the count restarted
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

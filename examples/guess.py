"""guess.py: a conversation written as straight-line code that waits for the next message.

Inside a handler, ``self.listener.wait()`` blocks until the chat's next message arrives (or
raises WaitTooLong when the chat stays quiet for ``timeout`` seconds), so a whole game reads
top to bottom like a console program.  Each chat plays in its own thread.

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/guess.py
    python examples/guess.py --demo      # offline: a fake Telegram and simulated users
"""
import contextlib
import os
import random
import sys

import telepot_ng
from telepot_ng.delegate import create_open, per_chat_id
from telepot_ng.exception import WaitTooLong
from telepot_ng.helper import ChatHandler


class Game(ChatHandler):
    def open(self, initial_msg, seed):
        secret = random.randint(1, 100)
        self.sender.sendMessage('I am thinking of a number from 1 to 100. Your guess?')
        tries = 0
        while True:
            msg = self.listener.wait()                 # the chat's next message
            try:
                guess = int(msg.get('text', ''))
            except ValueError:
                self.sender.sendMessage('Numbers only, please.')
                continue
            tries += 1
            if guess == secret:
                break
            self.sender.sendMessage('Too small.' if guess < secret else 'Too big.')
        self.sender.sendMessage('Correct: %d, in %d tries. Say anything to play again.'
                                % (secret, tries))
        self.close()         # ends this handler (on_close); the next message starts a new game

    def on_close(self, ex):
        if isinstance(ex, WaitTooLong):
            self.sender.sendMessage('No answer for %g s: game over.' % ex.seconds)


def make_bot(token, timeout=60, **options):
    return telepot_ng.DelegatorBot(token, [
        (per_chat_id(), create_open(Game, timeout=timeout)),
    ], **options)


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/guess.py --demo)')
    with make_bot(token) as bot:
        print('Listening; Ctrl-C stops.')
        bot.notifyOnMessage(run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    random.seed(2)
    with FakeTelegram() as tg, make_bot(tg.token, timeout=1, base_url=tg.base_url) as bot:
        alice, bob = tg.user('Alice'), tg.user('Bob')
        bot.notifyOnMessage()
        alice.says('play')
        assert alice.reply().text.startswith('I am thinking')
        low, high = 1, 100
        while True:                                    # Alice halves the range each time
            guess = (low + high) // 2
            alice.says(str(guess))
            answer = alice.reply().text
            if answer.startswith('Correct'):
                break
            low, high = (guess + 1, high) if answer == 'Too small.' else (low, guess - 1)
        bob.says('play')
        assert bob.reply().text.startswith('I am thinking')
        bob.says('fifty?')
        # then Bob says nothing more: after 1 s his game ends
        answers = [call.text for call in bob.replies(2, timeout=10)]
        assert answers == ['Numbers only, please.', 'No answer for 1 s: game over.'], answers
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

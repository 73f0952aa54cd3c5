"""The telepot_ng demo: one DelegatorBot holding conversations in several chats at once.

    python -m telepot_ng.demo                  # offline, against a fake Telegram (no token)
    TELEGRAM_BOT_TOKEN=123:ABC python -m telepot_ng.demo     # the same bot on Telegram

The bot gives every chat its own ``ChatBot``: a handler (run, one message at a time, on the
bot's worker threads) that counts the chat's messages and plays a number-guessing game on ``/guess``.  A chat quiet for
``--timeout`` seconds loses its handler (it says goodbye); the chat's next message starts a
new one.  Offline, simulated users talk to it in two private chats and a group, and the
conversation is printed as it happens.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import telepot_ng
from telepot_ng import delegation as _delegation
from telepot_ng.delegate import create_open, per_chat_id
from telepot_ng.exception import TelepotException, WaitTooLong
from telepot_ng.helper import ChatHandler

__all__ = ['ChatBot', 'make_bot', 'main']

TOKEN_ENV = 'TELEGRAM_BOT_TOKEN'
LOWEST, HIGHEST = 1, 50


# ============================================================================================
# The bot: this part is the same online and offline.

class ChatBot(ChatHandler):
    """One per chat: counts the chat's messages, plays ``/guess``.

    The DelegatorBot creates a ChatBot for a chat's first message and hands it every later
    message of that chat, in order.  After ``timeout`` idle seconds it ends (``on_close``);
    the chat's next message starts a fresh ChatBot.
    """

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], timeout: float,
                 new_rng: Callable[[int], random.Random]) -> None:
        super().__init__(seed_tuple, timeout=timeout)
        self.count = 0
        self.rng = new_rng(self.chat_id)

    def on_message(self, msg: Dict[str, Any]) -> None:
        self.count += 1
        command = msg.get('text', '').split('@')[0]       # '/guess@my_bot' in groups
        if command == '/guess':
            self.play()
        else:
            self.sender.sendMessage('%d message%s in this chat'
                                    % (self.count, '' if self.count == 1 else 's'))

    def play(self) -> None:
        """A whole game as straight-line code: each ``listener.wait()`` returns the chat's
        next message (and raises WaitTooLong when the chat stays quiet too long)."""
        secret = self.rng.randint(LOWEST, HIGHEST)
        self.sender.sendMessage('I picked a number from %d to %d. Guess!' % (LOWEST, HIGHEST))
        tries = 0
        while True:
            msg = self.listener.wait()
            self.count += 1
            text = msg.get('text', '').strip()
            if not text.isdigit():
                self.sender.sendMessage('A number, please.')
                continue
            tries += 1
            guess = int(text)
            if guess < secret:
                self.sender.sendMessage('Higher than %d.' % guess)
            elif guess > secret:
                self.sender.sendMessage('Lower than %d.' % guess)
            else:
                self.sender.sendMessage('%s got it: %d, in %d tries.'
                                        % (msg['from']['first_name'], secret, tries))
                return

    def on_close(self, ex: Exception) -> None:
        if isinstance(ex, WaitTooLong):                 # idle timeout, not the bot stopping
            self.sender.sendMessage('Quiet for %g s: leaving after %d messages.'
                                    % (ex.seconds, self.count))


def make_bot(token: str, timeout: float, new_rng: Callable[[int], random.Random],
             **bot_options: Any) -> telepot_ng.DelegatorBot:
    """The demo bot: one :class:`ChatBot` per chat."""
    return telepot_ng.DelegatorBot(token, [
        (per_chat_id(), create_open(ChatBot, timeout=timeout, new_rng=new_rng)),
    ], **bot_options)


# ============================================================================================
# Online: the bot on Telegram until Ctrl-C.

def run_online(token: str, timeout: float) -> int:
    try:
        bot = make_bot(token, timeout, lambda chat_id: random.Random())
        me = bot.getMe()
    except (ValueError, TelepotException) as e:   # a malformed token, 401, no network...
        print('Cannot start with the token in %s: %s' % (TOKEN_ENV, e), file=sys.stderr)
        return 1
    print('Running as @%s. Message it on Telegram (any message counts, /guess plays); '
          'chats idle for %g s start over. Ctrl-C stops.' % (me['username'], timeout),
          flush=True)
    try:
        bot.notifyOnMessage(run_forever=True)     # blocks; Ctrl-C stops the loop cleanly
    except KeyboardInterrupt:
        pass
    except TelepotException as e:                 # the loop ended itself (token revoked)
        print('Stopped: %s' % e, file=sys.stderr)
        return 1
    finally:
        bot.stop()                                # handlers finish, threads are joined
    print('Stopped cleanly.', flush=True)
    return 0


# ============================================================================================
# Offline: a fake Telegram, simulated users, and the conversation printed as it happens.

class _Who:
    """Which handler sent which message (the fake's journal knows what, not who): the name
    of the thread that sent it (a worker is called after the handler it serves) and which
    of that chat's handlers it was (a chat quiet for too long gets a new one)."""

    def __init__(self, bot: Any) -> None:
        self._by_message: Dict[Tuple[int, int], Tuple[str, Any]] = {}
        self._generations: Dict[Any, int] = {}
        self._per_name: Dict[str, int] = {}
        self._cond = threading.Condition()
        send = bot.sendMessage

        def spy(*args: Any, **kwargs: Any) -> Any:      # inside a handler
            sent = send(*args, **kwargs)
            # the delegate itself, not its id(): an ended one is freed at once and a new
            # one may get its address
            handler = _delegation._current_slot()
            with self._cond:
                self._by_message[sent['chat']['id'], sent['message_id']] = \
                    (threading.current_thread().name, handler)
                self._cond.notify_all()
            return sent
        bot.sendMessage = spy           # Sender looks the method up on the bot each time

    def label(self, call: Any, timeout: float = 10.0) -> str:
        key = (call.result['chat']['id'], call.result['message_id'])
        with self._cond:
            self._cond.wait_for(lambda: key in self._by_message, timeout)
            name, handler = self._by_message.get(key, ('?', None))
            if name == '?':
                return name
            if handler not in self._generations:
                self._per_name[name] = self._per_name.get(name, 0) + 1
                self._generations[handler] = self._per_name[name]
            n = self._generations[handler]
        return name + (' #%d' % n if n > 1 else '')

    @property
    def handlers(self) -> int:
        return len(self._generations)


class _Player:
    """Guesses by halving the range the bot's last answer left."""

    def __init__(self) -> None:
        self.low, self.high = LOWEST, HIGHEST

    def guess(self) -> int:
        return (self.low + self.high) // 2

    def learn(self, answer: str, guess: int) -> bool:
        """Take the bot's answer; True when the game is over."""
        if answer.startswith('Higher'):
            self.low = guess + 1
        elif answer.startswith('Lower'):
            self.high = guess - 1
        else:
            return True
        return False


class _Stage:
    """Drives the simulated users and prints what they say and what the bot answers."""

    def __init__(self, tg: Any, bot: Any) -> None:
        self.tg = tg
        self.who = _Who(bot)
        self.said = 0
        self.answered = 0
        self.seen: Dict[int, int] = {}       # chat id -> journal position of its last reply
        self.wins = 0

    @staticmethod
    def _name(chat: Any) -> str:
        return getattr(chat, 'title', None) or chat.first_name

    def scene(self, title: str) -> None:
        print('\n-- %s' % title)

    def round(self, lines: Sequence[Tuple[Any, str, Any]]) -> Dict[int, List[str]]:
        """Every ``(user, text, chat)`` at once, then each chat's replies (one per message),
        printed chat by chat; returns the replies' texts by chat id."""
        mark = self.tg.mark()
        with self.tg.batch():                     # pushed together: the chats run in parallel
            for user, text, chat in lines:
                user.says(text, chat=chat)
                where = '' if chat is None else ' @ ' + self._name(chat)
                print('%-18s: %s' % (user.first_name + where, text))
        self.said += len(lines)
        replies: Dict[int, List[str]] = {}
        chats: List[Any] = []
        for user, _, chat in lines:
            place = chat or user
            if place not in chats:
                chats.append(place)
        for place in chats:
            n = sum(1 for user, _, chat in lines if (chat or user) is place)
            replies[place.chat_id] = self._expect(place, n, since=mark)
        return replies

    def quiet(self, chats: Sequence[Any], seconds: float) -> None:
        """Nobody talks; each chat's handler times out and says goodbye."""
        for place in chats:
            self._expect(place, 1, since=self.seen[place.chat_id], timeout=seconds + 10.0)

    def _expect(self, place: Any, n: int, since: int, timeout: float = 10.0) -> List[str]:
        calls = self.tg.wait_for_sent('sendMessage', chat_id=place, count=n, since=since,
                                      timeout=timeout)[:n]
        for call in calls:
            print('  %-16s: %-44s [%s]' % ('bot -> ' + self._name(place), call.text,
                                           self.who.label(call)))
            self.wins += ' got it: ' in call.text
            self.seen[place.chat_id] = call.seq
        self.answered += len(calls)
        return [call.text for call in calls]

    def play(self, games: Sequence[Tuple[Any, Sequence[Any]]]) -> None:
        """Play ``(chat, players)`` games side by side until every one is won; players in a
        group take turns."""
        state = {id(chat): (_Player(), list(players)) for chat, players in games}
        turn = 0
        while state:
            lines, pending = [], []
            for chat, _ in games:
                if id(chat) not in state:
                    continue
                player, players = state[id(chat)]
                user = players[turn % len(players)]
                guess = player.guess()
                lines.append((user, str(guess), None if chat is user else chat))
                pending.append((chat, player, guess))
            replies = self.round(lines)
            for chat, player, guess in pending:
                if player.learn(replies[chat.chat_id][0], guess):
                    del state[id(chat)]
            turn += 1


def run_offline(timeout: float, seed: int) -> int:
    from telepot_ng.testing import FakeTelegram

    started = time.monotonic()
    with FakeTelegram() as tg:
        # the scripted conversation runs at machine speed against an unlimited fake, so
        # Telegram's pacing (20 messages a minute in the group) is off here
        bot = make_bot(tg.token, timeout, lambda chat_id: random.Random('%d:%d' % (seed, chat_id)),
                       base_url=tg.base_url, rate_limits=None)
        try:
            alice, bob, carol = tg.user('Alice'), tg.user('Bob'), tg.user('Carol')
            friends = tg.group('Friends', members=[alice, bob, carol])
            print('telepot_ng demo, offline: a fake Telegram on %s; Alice and Bob chat with the '
                  'bot in private, all three in the group Friends.' % tg.base_url)
            print('The bot: a DelegatorBot giving each chat a ChatBot of its own (idle timeout '
                  '%g s). [name] = the handler that answered.' % timeout)
            bot.notifyOnMessage()                     # long-polls the fake server
            stage = _Stage(tg, bot)

            stage.scene('everyone says hello (the group\'s two messages are counted in order)')
            stage.round([(alice, 'hi', None), (bob, 'hello bot', None),
                         (carol, 'hi all', friends), (alice, 'hey', friends)])

            stage.scene('three games at once: each chat\'s ChatBot keeps its own secret')
            stage.round([(alice, '/guess', None), (bob, '/guess', None),
                         (carol, '/guess', friends)])
            stage.play([(alice, [alice]), (bob, [bob]), (friends, [bob, carol, alice])])

            stage.scene('nobody says anything for %g s: every ChatBot times out' % timeout)
            stage.quiet([alice, bob, friends], timeout)

            stage.scene('back again: new ChatBots, counting from 1')
            stage.round([(alice, 'I am back', None), (carol, 'me too', friends)])
        finally:
            bot.stop()
    print('\nSummary: %d users, 3 chats, %d messages to the bot, %d replies from %d '
          'handlers, %d games won, %.1f s.' % (3, stage.said, stage.answered, stage.who.handlers,
                                               stage.wins, time.monotonic() - started))
    return 0


# ============================================================================================

def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog='python -m telepot_ng.demo',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description='A telepot_ng DelegatorBot: every chat gets its own handler that '
                    'counts the chat\'s messages and plays a number-guessing game (/guess).',
        epilog='Without %(env)s: runs offline. A fake Telegram server starts on 127.0.0.1,\n'
               'simulated users (Alice, Bob, Carol) talk to the bot in two private chats and\n'
               'a group, the conversation is printed as it happens, then a summary; exit 0.\n\n'
               'With %(env)s=<token from @BotFather>: runs the same bot on Telegram until\n'
               'Ctrl-C, then stops cleanly (handlers finish, the last update is confirmed).'
               % {'env': TOKEN_ENV})
    parser.add_argument('--timeout', type=float, default=None,
                        help='seconds a chat may stay quiet before its handler ends '
                             '(default: 1.5 offline, 30 on Telegram)')
    parser.add_argument('--seed', type=int, default=1,
                        help='offline: seeds the secret numbers, so runs repeat (default 1)')
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_ENV)
    if token:
        return run_online(token, 30.0 if args.timeout is None else args.timeout)
    return run_offline(1.5 if args.timeout is None else args.timeout, args.seed)


if __name__ == '__main__':
    sys.exit(main())

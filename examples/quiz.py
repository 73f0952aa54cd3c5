"""quiz.py: inline keyboards and callback queries, one quiz per chat.

Each question goes out with an inline keyboard; pressing a button sends the bot a callback
query.  ``include_callback_query_chat_id()`` routes those queries to the handler of the chat
the keyboard is in, so the quiz state lives in one object per chat.  The handler answers
the query (the little notice on the user's screen) and edits the question to show the
result.  Handlers route by flavor: ``on_chat_message``, ``on_callback_query``.

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/quiz.py
    python examples/quiz.py --demo      # offline: a fake Telegram and a simulated user
"""
import contextlib
import os
import sys

import telepot_ng
from telepot_ng.delegate import create_open, include_callback_query_chat_id, per_chat_id
from telepot_ng.helper import ChatHandler, Editor
from telepot_ng.namedtuple import InlineKeyboardButton, InlineKeyboardMarkup

QUESTIONS = [
    ('7 x 8 = ?', ['54', '56', '63'], '56'),
    ('Which planet is largest?', ['Mars', 'Jupiter', 'Venus'], 'Jupiter'),
    ('How many bits in a byte?', ['4', '8', '16'], '8'),
]


class Quiz(ChatHandler):
    def __init__(self, seed_tuple, **kwargs):
        super().__init__(seed_tuple, **kwargs)
        self.number = self.score = 0
        self.question = None                     # the message holding the open question

    def ask(self):
        text, choices, _ = QUESTIONS[self.number]
        keyboard = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text=c, callback_data=c) for c in choices]])
        self.question = self.sender.sendMessage(text, reply_markup=keyboard)

    def on_chat_message(self, msg):
        if msg.get('text') == '/quiz':
            self.number = self.score = 0
            self.ask()
        else:
            self.sender.sendMessage('Send /quiz to start a quiz.')

    def on_callback_query(self, msg):
        query_id, from_id, choice = telepot_ng.glance(msg, flavor='callback_query')
        if self.question is None or \
                telepot_ng.origin_identifier(msg) != telepot_ng.message_identifier(self.question):
            self.bot.answerCallbackQuery(query_id, text='That question is closed.')
            return
        text, _, right = QUESTIONS[self.number]
        self.score += choice == right
        self.bot.answerCallbackQuery(query_id, text='Right!' if choice == right
                                     else 'No, it is %s.' % right)
        # editing without reply_markup removes the keyboard: the question is closed
        Editor(self.bot, self.question).editMessageText('%s  You said %s.' % (text, choice))
        self.question = None
        self.number += 1
        if self.number < len(QUESTIONS):
            self.ask()
        else:
            self.sender.sendMessage('Score: %d of %d.' % (self.score, len(QUESTIONS)))


def make_bot(token, **options):
    return telepot_ng.DelegatorBot(token, [
        include_callback_query_chat_id()(per_chat_id(), create_open, Quiz, timeout=300),
    ], **options)


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/quiz.py --demo)')
    with make_bot(token) as bot:
        print('Listening; Ctrl-C stops.')
        bot.notifyOnMessage(run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, make_bot(tg.token, base_url=tg.base_url) as bot:
        alice = tg.user('Alice')
        bot.notifyOnMessage()
        alice.says('/quiz')
        question = first = alice.reply()
        for choice, notice in [('56', 'Right!'), ('Mars', 'No, it is Jupiter.'), ('8', 'Right!')]:
            mark = tg.mark()
            alice.presses(question, choice)
            [answer] = tg.wait_for_sent('answerCallbackQuery', since=mark)
            assert answer.params['text'] == notice, answer.params
            question = alice.reply()                   # the next question, or the score
        assert question.text == 'Score: 2 of 3.'
        first = tg.message(alice, first.result['message_id'])      # as it is now, edited
        assert first['text'] == '7 x 8 = ?  You said 56.' and 'reply_markup' not in first
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

"""inline.py: answer inline queries (``@yourbot some words`` typed in any chat).

An ``Answerer`` computes each answer in a thread of its own, at most one per user: when a
user types on, a computation for their older query is never sent.  ``Bot.handle`` routes
each update by flavor to ``on_inline_query``, ``on_chat_message``, ... (a flavor without a
method is ignored).  Enable inline mode for your bot with @BotFather (/setinline).

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/inline.py
    python examples/inline.py --demo      # offline: a fake Telegram and a simulated user
"""
import contextlib
import os
import sys

import telepot_ng
from telepot_ng.helper import Answerer
from telepot_ng.namedtuple import InlineQueryResultArticle, InputTextMessageContent


def article(result_id, title, text):
    content = InputTextMessageContent(message_text=text)
    return InlineQueryResultArticle(id=result_id, title=title, input_message_content=content)


def compute(inline_query):
    """Runs in the Answerer's thread; returns the results for answerInlineQuery."""
    query_id, from_id, query = telepot_ng.glance(inline_query, flavor='inline_query')
    words = query.split()
    return [article('upper', 'SHOUT IT', query.upper()),
            article('reverse', 'Backwards', query[::-1]),
            article('count', '%d words' % len(words), '"%s" has %d words' % (query, len(words)))]


class InlineBot(telepot_ng.Bot):
    def __init__(self, token, **options):
        super().__init__(token, **options)
        self.answerer = Answerer(self, compute)
        self.username = None

    def on_inline_query(self, msg):
        self.answerer.answer(msg)

    def on_chat_message(self, msg):
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        self.sendMessage(chat_id, 'Type @%s and a few words in any chat.' % self.username)


def start(bot, run_forever=False):
    bot.username = bot.getMe()['username']
    bot.notifyOnMessage(run_forever=run_forever)    # bot.handle routes by flavor


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/inline.py --demo)')
    with InlineBot(token) as bot:
        print('Listening; Ctrl-C stops.')
        start(bot, run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, InlineBot(tg.token, base_url=tg.base_url) as bot:
        alice = tg.user('Alice')
        start(bot)
        alice.says('hi')
        assert alice.reply().text == 'Type @%s and a few words in any chat.' % bot.username
        mark = tg.mark()
        alice.asks_inline('hello inline world')
        [answer] = tg.wait_for_sent('answerInlineQuery', since=mark)
        texts = [r['input_message_content']['message_text'] for r in answer.params['results']]
        assert texts == ['HELLO INLINE WORLD', 'dlrow enilni olleh',
                         '"hello inline world" has 3 words'], texts
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

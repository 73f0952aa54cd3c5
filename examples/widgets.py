"""widgets.py: a counter widget (Bot API 10.4) and ephemeral messages (Bot API 10.3).

``/counter`` sends an HTML widget that may query the bot; each press of its button reaches
the bot as a widget query (flavor ``'widget_query'``, routed to ``on_widget_query``).  The
bot answers the query and stores the new count in the widget's public data, which every
viewer sees.  ``/secret`` answers with an ephemeral message: only the user who asked sees
it, and the bot can change (``editEphemeralMessageText``) or remove it
(``deleteEphemeralMessage``) later, which ``/forget`` does.  A command the user sent
ephemerally (only the bot sees it) gets an ephemeral reply to it.

    TELEGRAM_BOT_TOKEN=<token from @BotFather> python examples/widgets.py
    python examples/widgets.py --demo      # offline: a fake Telegram and a simulated user
"""
import contextlib
import os
import sys
import threading

import telepot_ng

# The widget's page; how its script sends the bot a query ('inc') and reads its public data
# is Telegram's widget API (core.telegram.org/bots/widgets), left out of this sketch.
COUNTER_HTML = '<button id="inc">+1</button> <span id="count">0</span>'


class WidgetBot(telepot_ng.Bot):
    def __init__(self, token, **options):
        super().__init__(token, **options)
        self.counts = {}                  # (chat_id, message_id) -> count
        self.secrets = {}                 # user id -> ephemeral_message_id
        self.lock = threading.Lock()

    def on_chat_message(self, msg):
        content_type, chat_type, chat_id = telepot_ng.glance(msg)
        user_id = msg['from']['id']
        text = msg.get('text', '')
        if text == '/counter':
            sent = self.sendWidget(chat_id, COUNTER_HTML, height=80, public_data='0',
                                   allow_queries=True, caption='Press +1')
            with self.lock:
                self.counts[chat_id, sent['message_id']] = 0
        elif text == '/secret':
            only_you = {'receiver_user_id': user_id}
            reply = {'ephemeral_message_id': msg['ephemeral_message_id']} \
                if 'ephemeral_message_id' in msg else None
            sent = self.sendMessage(chat_id, 'Your code is 4217.', reply_parameters=reply,
                                    ephemeral_message_parameters=only_you)
            self.secrets[user_id] = sent['ephemeral_message_id']
        elif text == '/forget' and user_id in self.secrets:
            eid = self.secrets.pop(user_id)
            self.editEphemeralMessageText(chat_id, user_id, eid, text='Your code was used.')
            self.deleteEphemeralMessage(chat_id, user_id, eid)
            self.sendMessage(chat_id, 'Forgotten.')
        else:
            self.sendMessage(chat_id, 'Send /counter or /secret.')

    def on_widget_query(self, query):
        query_id, from_id, data = telepot_ng.glance(query, flavor='widget_query')
        key = (query['chat']['id'], query['message_id'])
        with self.lock:
            if data != 'inc' or key not in self.counts:
                count = None
            else:
                self.counts[key] += 1
                count = self.counts[key]
        if count is None:
            self.answerWidgetQuery(query_id, data='unknown')
            return
        self.answerWidgetQuery(query_id, data=str(count))
        self.editMessageWidgetData(chat_id=key[0], message_id=key[1], public_data=str(count))


def make_bot(token, **options):
    return WidgetBot(token, **options)


def main():
    token = os.environ.get('TELEGRAM_BOT_TOKEN') or sys.exit(
        'Set TELEGRAM_BOT_TOKEN (or try: python examples/widgets.py --demo)')
    with make_bot(token) as bot:
        print('Listening; Ctrl-C stops.')
        bot.notifyOnMessage(run_forever=True)


def demo():
    from telepot_ng.testing import FakeTelegram

    with FakeTelegram() as tg, make_bot(tg.token, base_url=tg.base_url) as bot:
        alice = tg.user('Alice')
        bot.notifyOnMessage()
        alice.says('/counter')
        widget = alice.reply()
        for _ in range(3):
            mark = tg.mark()
            alice.queries_widget(widget, 'inc')
            tg.wait_for_sent('editMessageWidgetData', since=mark)
        assert tg.message(alice, widget.result['message_id'])['widget']['public_data'] == '3'
        mark = tg.mark()
        alice.says_ephemeral('/secret')
        [secret] = tg.wait_for_sent('sendMessage', since=mark)
        assert secret.result['receiver_user']['id'] == alice.id
        assert secret.result['message_id'] == 0           # outside the chat's history
        alice.says('/forget')
        assert alice.reply().text == 'Forgotten.'
        print(tg.transcript())


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):      # Ctrl-C: stop quietly
        demo() if sys.argv[1:] == ['--demo'] else main()

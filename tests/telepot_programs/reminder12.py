"""A telepot 12 program written for these tests: a handler per chat that adds one route
('_remind') to its router and relies on the others; run with tests/telepot_programs/run.py.

    /remind <seconds> <text>    -> a reminder after that many seconds
    /count                      -> how many chat messages of each flavor this bot routed
    anything else               -> an inline keyboard whose button is answered
"""
import sys
import time

import telepot
from telepot.delegate import create_open, include_callback_query_chat_id, pave_event_space, \
    per_chat_id
from telepot.loop import MessageLoop
from telepot.namedtuple import InlineKeyboardButton, InlineKeyboardMarkup

counts = {'chat': 0, 'callback_query': 0}      # keyed by telepot 12's flavor names


class Reminder(telepot.helper.ChatHandler):
    def __init__(self, *args, **kwargs):
        super(Reminder, self).__init__(*args, **kwargs)
        self.router.routing_table['_remind'] = self.on__remind

    def on_chat_message(self, msg):
        counts[telepot.flavor(msg)] += 1
        words = msg.get('text', '').split(' ', 2)
        if words[0] == '/remind' and len(words) == 3:
            self.scheduler.event_later(float(words[1]), ('_remind', {'text': words[2]}))
            self.sender.sendMessage('OK, in %s s' % words[1])
        elif words[0] == '/count':
            self.sender.sendMessage('chat %(chat)d, callback_query %(callback_query)d' % counts)
        else:
            self.sender.sendMessage('Press', reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text='Me', callback_data='me')]]))

    def on_callback_query(self, msg):
        counts[telepot.flavor(msg)] += 1
        query_id, from_id, data = telepot.glance(msg, flavor='callback_query')
        self.bot.answerCallbackQuery(query_id, text='You pressed %s' % data)

    def on__remind(self, event):
        self.sender.sendMessage('Reminder: ' + telepot.peel(event)['text'])


bot = telepot.DelegatorBot(sys.argv[1], [
    include_callback_query_chat_id(pave_event_space())(
        per_chat_id(), create_open, Reminder, timeout=30),
])
MessageLoop(bot).run_as_thread()
print('Listening ...')
while 1:
    time.sleep(10)

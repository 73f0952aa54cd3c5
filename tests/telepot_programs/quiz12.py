"""A telepot 12 program written for these tests: a ChatHandler offers a keyboard and
closes; the keyboard's callback queries go to a CallbackQueryOriginHandler (seed: the
origin tuple) that edits the message per answer and, once idle, edits in the score;
run with tests/telepot_programs/run.py."""
import sys
import time

import telepot
from telepot.delegate import create_open, pave_event_space, per_callback_query_origin, \
    per_chat_id
from telepot.loop import MessageLoop
from telepot.namedtuple import InlineKeyboardButton, InlineKeyboardMarkup

QUESTIONS = [('2 + 2', '4', '5'), ('3 x 3', '9', '6')]


def keyboard(*choices):
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=c, callback_data=c) for c in choices]])


class Starter(telepot.helper.ChatHandler):
    def on_chat_message(self, msg):
        self.sender.sendMessage('Ready?', reply_markup=keyboard('go'))
        self.close()


class Quizzer(telepot.helper.CallbackQueryOriginHandler):
    def __init__(self, *args, **kwargs):
        super(Quizzer, self).__init__(*args, **kwargs)
        self.asked = -1
        self.right = 0

    def on_callback_query(self, msg):
        query_id, from_id, data = telepot.glance(msg, flavor='callback_query')
        self.bot.answerCallbackQuery(query_id)
        if self.asked >= 0 and data == QUESTIONS[self.asked][1]:
            self.right += 1
        self.asked += 1
        if self.asked < len(QUESTIONS):
            question, good, bad = QUESTIONS[self.asked]
            self.editor.editMessageText(question + ' = ?', reply_markup=keyboard(good, bad))
        else:
            self.editor.editMessageText('Done', reply_markup=None)

    def on__idle(self, event):
        self.editor.editMessageText('Score: %d/%d' % (self.right, len(QUESTIONS)))
        self.close()


bot = telepot.DelegatorBot(sys.argv[1], [
    pave_event_space()(per_chat_id(), create_open, Starter, timeout=3),
    pave_event_space()(per_callback_query_origin(), create_open, Quizzer, timeout=0.5),
])
MessageLoop(bot).run_as_thread()
print('Listening ...')
while 1:
    time.sleep(10)

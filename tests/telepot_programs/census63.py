"""A telepot 6.3 program written for these tests: a Bot subclass whose handle() counts
updates by flavor and content type in dicts keyed by telepot 6.3's names; run with
tests/telepot_programs/run.py.  '/census' answers with the counts."""
import sys

import telepot


class Census(telepot.Bot):
    def __init__(self, *args, **kwargs):
        super(Census, self).__init__(*args, **kwargs)
        self.flavors = {'normal': 0, 'inline_query': 0, 'chosen_inline_result': 0}
        self.kinds = {'text': 0, 'new_chat_participant': 0, 'left_chat_participant': 0}

    def handle(self, msg):
        flavor = telepot.flavor(msg)
        self.flavors[flavor] += 1
        if flavor == 'normal':
            content_type, chat_type, chat_id = telepot.glance(msg)
            if content_type in self.kinds:
                self.kinds[content_type] += 1
            if msg.get('text') == '/census':
                self.sendMessage(chat_id, 'normal %d, inline %d; text %d, joined %d, left %d' % (
                    self.flavors['normal'], self.flavors['inline_query'], self.kinds['text'],
                    self.kinds['new_chat_participant'], self.kinds['left_chat_participant']))
        elif flavor == 'inline_query':
            query_id, from_id, query = telepot.glance(msg, flavor=flavor)
            self.answerInlineQuery(query_id, [])


bot = Census(sys.argv[1])
bot.notifyOnMessage(run_forever=True)

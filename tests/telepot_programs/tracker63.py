"""A telepot 6.3 program written for these tests: one UserHandler per user (6.3's
positional timeout) counting that user's messages per flavor in a dict keyed by 6.3's names,
answering inline queries with 6.3-style results; run with tests/telepot_programs/run.py.
'/stats' answers with the user's counts."""
import sys

import telepot
from telepot.delegate import create_open, per_from_id


class Tracker(telepot.helper.UserHandler):
    def __init__(self, seed_tuple, timeout):
        super(Tracker, self).__init__(seed_tuple, timeout)
        self.counts = {'normal': 0, 'inline_query': 0, 'chosen_inline_result': 0}

    def on_message(self, msg):
        flavor = telepot.flavor(msg)
        self.counts[flavor] += 1
        if flavor == 'normal' and msg.get('text') == '/stats':
            self.sender.sendMessage('%(normal)d normal, %(inline_query)d inline, '
                                    '%(chosen_inline_result)d chosen' % self.counts)
        elif flavor == 'inline_query':
            query_id, from_id, query = telepot.glance(msg, flavor=flavor)
            self.bot.answerInlineQuery(query_id, [
                {'type': 'article', 'id': 'up', 'title': query.upper(),
                 'message_text': query.upper()}])


bot = telepot.DelegatorBot(sys.argv[1], [(per_from_id(), create_open(Tracker, timeout=20))])
bot.notifyOnMessage(run_forever=True)

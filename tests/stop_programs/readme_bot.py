"""The README's kind of bot, for the stop/signal tests: a DelegatorBot with one handler per
chat that answers every message with its text (after HANDLER_SECONDS; a text starting with
'stuck' takes 60 s), in one of the run_forever forms.

    python tests/stop_programs/readme_bot.py FORM [HANDLER_SECONDS]

FORM: notify (bot.notifyOnMessage(run_forever=True)), message_loop
(bot.message_loop(run_forever=True)), MessageLoop (MessageLoop(bot).run_forever()), with
(the last inside ``with bot:``), own_sigterm (notify, with the program's own SIGTERM handler).
Environment: TELEGRAM_BOT_TOKEN, TELEPOT_NG_API_URL (the fake), GRACE (seconds,
loop.DEFAULT_GRACE), LIMIT (bot.inflight.limit). Logs go to stderr; 'READY' on stdout once
the bot polls.
"""
import logging
import os
import signal
import sys
import time

import telepot_ng
from telepot_ng import helper, loop
from telepot_ng.delegate import create_open, per_chat_id

form = sys.argv[1]
delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format='%(asctime)s %(levelname)s %(name)s %(message)s')
if 'GRACE' in os.environ:
    loop.DEFAULT_GRACE = float(os.environ['GRACE'])


class Echo(helper.ChatHandler):
    def on_chat_message(self, msg):
        print('HANDLING', msg['text'], flush=True)
        if msg['text'].startswith('stuck'):
            time.sleep(60)
        elif delay:
            time.sleep(delay)
        self.sender.sendMessage(msg['text'])


patterns = [(per_chat_id(), create_open(Echo, timeout=60))]
try:        # the fake does not pace; Telegram's rate limits are not what these tests test
    bot = telepot_ng.DelegatorBot(os.environ['TELEGRAM_BOT_TOKEN'], patterns, rate_limits=None)
except TypeError:           # a version without a rate limiter
    bot = telepot_ng.DelegatorBot(os.environ['TELEGRAM_BOT_TOKEN'], patterns)
if 'LIMIT' in os.environ and hasattr(bot, 'inflight'):
    bot.inflight.limit = int(os.environ['LIMIT'])
print('READY', flush=True)

if form == 'own_sigterm':
    def own(signum, frame):
        print('OWN HANDLER', flush=True)
        os._exit(3)
    signal.signal(signal.SIGTERM, own)
    form = 'notify'

if form == 'notify':
    bot.notifyOnMessage(run_forever=True)
elif form == 'message_loop':
    bot.message_loop(run_forever=True)
elif form == 'MessageLoop':
    telepot_ng.loop.MessageLoop(bot).run_forever()
elif form == 'with':
    with bot:
        bot.message_loop(run_forever=True)
else:
    raise SystemExit('unknown form %r' % form)
print('RETURNED', flush=True)

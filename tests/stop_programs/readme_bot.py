"""The README's kind of bot, for the stop/signal tests: a DelegatorBot with one handler per
chat that answers every message with its text (after HANDLER_SECONDS; a text starting with
'stuck' takes 60 s), in one of the run_forever forms.

    python tests/stop_programs/readme_bot.py FORM [HANDLER_SECONDS]

FORM: notify (bot.notifyOnMessage(run_forever=True)), message_loop
(bot.message_loop(run_forever=True)), MessageLoop (MessageLoop(bot).run_forever()), with
(the last inside ``with bot:``), own_sigterm (notify, with the program's own SIGTERM handler).
Environment: TELEGRAM_BOT_TOKEN, TELEPOT_NG_API_URL (the fake), GRACE (seconds,
loop.DEFAULT_GRACE), LIMIT (bot.inflight.limit), RELAY (when set, a line 'SIGNAME FUNCTION'
on stdin makes a thread other than the main one send SIGNAME to itself once the main thread
is inside FUNCTION: the kernel may hand a process's signal to any of its threads). Logs go
to stderr; 'READY' on stdout once the bot polls.
"""
import logging
import os
import signal
import sys
import threading
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


def relay():
    main = threading.main_thread().ident
    for line in sys.stdin:
        name, function = line.split()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            frame = sys._current_frames().get(main)
            while frame is not None and frame.f_code.co_name != function:
                frame = frame.f_back
            if frame is not None:
                break
            time.sleep(0.01)
        time.sleep(1.0)                 # (let it settle into its wait)
        print('RELAYING', name, flush=True)
        signal.pthread_kill(threading.get_ident(), getattr(signal, name))


if os.environ.get('RELAY'):
    threading.Thread(target=relay, name='signal-relay', daemon=True).start()
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

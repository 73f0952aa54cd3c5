"""The bot process of tests/test_store_crash.py: a DelegatorBot with a SQLite store whose
per-chat handlers count messages in ``self.state`` and log every delivery to a file.

    python tests/_store_crash_bot.py poll|webhook|timers STORE LOG BASE_URL [PORT]

Each delivery appends one line ``chat update_id count_before redelivered`` with one
``os.write`` on an O_APPEND file: a line is either wholly there or absent after a SIGKILL.
SIGTERM stops the bot cleanly (exit status 0).
"""
import os
import signal
import sys
import threading

import telepot_ng
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.helper import ChatHandler
from telepot_ng.loop import MessageLoop, Webhook
from telepot_ng.testing import DEFAULT_TOKEN

mode, store, logpath, base_url = sys.argv[1:5]
fd = os.open(logpath, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


class Counter(ChatHandler):
    def on_chat_message(self, msg):
        n = self.state.get('n', 0)
        os.write(fd, b'%d %d %d %d\n' % (msg['chat']['id'], msg.update_id, n, msg.redelivered))
        self.state['n'] = n + 1


class Idler(ChatHandler):
    """Mode ``timers``: 'alarm' schedules an alarm whose first handling never finishes (the
    process is killed in it); idleness is logged. Lines: ``alarm LATE`` / ``idle CHAT LATE``."""
    def on_chat_message(self, msg):
        os.write(fd, b'msg %d\n' % msg['chat']['id'])
        if msg['text'] == 'alarm':
            self.scheduler.event_later(0.2, ('_alarm', {}))

    def on__alarm(self, event):
        late = event['_alarm'].get('late', False)
        os.write(fd, b'alarm %d\n' % late)
        if not late:
            threading.Event().wait(60)      # killed while handling it

    def on__idle(self, event):
        os.write(fd, b'idle %d %d\n' % (self.chat_id, event['_idle'].get('late', False)))
        self.close()


bot = telepot_ng.DelegatorBot(
    DEFAULT_TOKEN, [pave_event_space()(per_chat_id(), create_open,
                                       Idler if mode == 'timers' else Counter,
                                       timeout=1 if mode == 'timers' else 2)],
    base_url=base_url, store=store)
stopped = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stopped.set())
if mode != 'webhook':
    MessageLoop(bot).run_as_thread(timeout=1)
else:
    from wsgiref.simple_server import WSGIRequestHandler, make_server
    from telepot_ng.webhook import WebhookApp

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass
    hook = Webhook(bot)
    hook.run_as_thread()
    server = make_server('127.0.0.1', int(sys.argv[5]), WebhookApp(hook, secret_token='crash-test'),
                         handler_class=Quiet)
    threading.Thread(target=server.serve_forever, name='wsgi', daemon=True).start()
print('READY', flush=True)
stopped.wait()
if mode == 'webhook':
    server.shutdown()
bot.stop()

"""telepot_ng's benchmark bot, written as its README teaches: a DelegatorBot with one
ChatHandler per chat (per-chat state lives in the handler), driven by MessageLoop.

serve:    answers every message with sendMessage(chat_id, "<per-chat counter> <text>").
dispatch: ``bot.handle(msg)`` for already-received messages; the ChatHandlers only count.
"""
import _harness

import telepot_ng
import telepot_ng.helper
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.loop import MessageLoop


class Echo(telepot_ng.helper.ChatHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._count = 0

    def on_chat_message(self, msg):
        self._count += 1
        self.sender.sendMessage('%d %s' % (self._count, msg['text']))


class Counter(telepot_ng.helper.ChatHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._count = 0

    def on_chat_message(self, msg):
        self._count += 1
        tally.seen(self._count, msg['message_id'])


def main():
    global tally
    opts = _harness.options()
    _harness.quiet_logging()
    handler = Echo if opts.mode == 'serve' else Counter
    patterns = [
        pave_event_space()(per_chat_id(), create_open, handler, timeout=opts.handler_timeout)]
    try:                # no pacing: the fake enforces no limits here
        bot = telepot_ng.DelegatorBot(opts.token, patterns, base_url=opts.api, rate_limits=None)
    except TypeError:   # a checkout from before the limiter (bench_pool.py --compare)
        bot = telepot_ng.DelegatorBot(opts.token, patterns, base_url=opts.api)
    if opts.mode == 'serve':
        _harness.ready_then_wait_go()
        MessageLoop(bot).run_forever()
    else:
        tally = _harness.make_tally(opts)
        _harness.run_dispatch(tally, opts, lambda u: bot.handle(u['message']))


tally = None

if __name__ == '__main__':
    main()

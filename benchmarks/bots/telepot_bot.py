"""telepot 12.7's benchmark bot, written as telepot's documentation teaches: a DelegatorBot
with one ChatHandler per chat (``pave_event_space()(per_chat_id(), create_open, ...)``),
driven by MessageLoop.

Two changes are needed to run it here, and only these:
* Python 3.10 removed ``collections.Hashable``, which telepot 12.7's DelegatorBot uses:
  it is put back (as ``collections.abc.Hashable``) before telepot is imported;
* telepot 12.7 has no setting for the API server: ``telepot.api._methodurl`` is replaced
  so requests go to the local fake server instead of api.telegram.org.
"""
import collections
import collections.abc

if not hasattr(collections, 'Hashable'):           # removed in Python 3.10
    collections.Hashable = collections.abc.Hashable

import _harness

import telepot
import telepot.api
import telepot.helper
from telepot.delegate import create_open, pave_event_space, per_chat_id
from telepot.loop import MessageLoop


class Echo(telepot.helper.ChatHandler):
    def __init__(self, *args, **kwargs):
        super(Echo, self).__init__(*args, **kwargs)
        self._count = 0

    def on_chat_message(self, msg):
        self._count += 1
        self.sender.sendMessage('%d %s' % (self._count, msg['text']))


class Counter(telepot.helper.ChatHandler):
    def __init__(self, *args, **kwargs):
        super(Counter, self).__init__(*args, **kwargs)
        self._count = 0

    def on_chat_message(self, msg):
        self._count += 1
        tally.seen(self._count, msg['message_id'])


def main():
    global tally
    opts = _harness.options()
    _harness.quiet_logging()
    api = opts.api

    def methodurl(req, **user_kw):
        token, method, params, files = req
        return '%s/bot%s/%s' % (api, token, method)
    telepot.api._methodurl = methodurl

    handler = Echo if opts.mode == 'serve' else Counter
    bot = telepot.DelegatorBot(opts.token, [
        pave_event_space()(per_chat_id(), create_open, handler, timeout=opts.handler_timeout),
    ])
    if opts.mode == 'serve':
        _harness.ready_then_wait_go()
        MessageLoop(bot).run_forever()
    else:
        tally = _harness.make_tally(opts)
        _harness.run_dispatch(tally, opts, lambda u: bot.handle(u['message']))


tally = None

if __name__ == '__main__':
    main()

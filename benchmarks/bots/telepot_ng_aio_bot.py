"""telepot_ng.aio's benchmark bot, written as its REFERENCE teaches: an aio DelegatorBot with
one ChatHandler per chat whose ``async def on_chat_message`` awaits the reply (per-chat state
lives in the handler), driven by ``await MessageLoop(bot).run_forever()``.

serve:    answers every message with sendMessage(chat_id, "<per-chat counter> <text>").
dispatch: ``bot.handle(msg)`` for already-received messages; the handlers only count: the
          threaded bot's ``Counter`` (a plain method runs as it is in an aio handler).

The rate limiter is off (``rate_limits=None``), as for the threaded bot: these workloads
measure the library against a fake server that enforces no limits, beside libraries that do
not pace (with Telegram's pace, 20,000 replies take 11 minutes whatever the library).
"""
import asyncio

import _harness
import telepot_ng_bot       # the threaded twin: its Counter and tally

import telepot_ng.aio
import telepot_ng.aio.helper
from telepot_ng.aio.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.aio.loop import MessageLoop


class Echo(telepot_ng.aio.helper.ChatHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._count = 0

    async def on_chat_message(self, msg):
        self._count += 1
        await self.sender.sendMessage('%d %s' % (self._count, msg['text']))


async def serve(opts, bot):
    _harness.ready_then_wait_go()
    await MessageLoop(bot).run_forever()


async def dispatch(opts, bot):
    tally = telepot_ng_bot.tally = _harness.make_tally(opts)

    async def feed(update):
        bot.handle(update['message'])
        if not update['update_id'] % 64:
            await asyncio.sleep(0)          # let the handlers' tasks run
    await _harness.run_dispatch_async(tally, opts, feed)


async def run(opts):
    pattern = pave_event_space()(per_chat_id(), create_open,
                                 Echo if opts.mode == 'serve' else telepot_ng_bot.Counter,
                                 timeout=opts.handler_timeout)
    bot = telepot_ng.aio.DelegatorBot(opts.token, [pattern], base_url=opts.api,
                                      rate_limits=None)
    await (serve if opts.mode == 'serve' else dispatch)(opts, bot)


if __name__ == '__main__':
    options = _harness.options()
    _harness.quiet_logging()
    asyncio.run(run(options))

"""telepot_ng: its rate limiter on (the library's defaults, scaled like the fake's limits),
``bot.broadcast(items)`` for the mass send, a DelegatorBot with one ChatHandler per chat
answering users."""
import time

import _rl

import telepot_ng
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.helper import ChatHandler
from telepot_ng.ratelimit import RateLimits


class Echo(ChatHandler):
    def on_chat_message(self, msg):
        self.sender.sendMessage(_rl.reply_text(msg.get('text', '')))


def main():
    opts = _rl.options()
    limits = RateLimits().scaled(opts.scale)
    bot = telepot_ng.DelegatorBot(opts.token, [
        pave_event_space()(per_chat_id(types=['private']), create_open, Echo, timeout=600)],
        base_url=opts.api, rate_limits=limits)
    if opts.busy:
        bot.message_loop(timeout=1)
    items = [(c, {'text': t}) for c, t in opts.items]
    _rl.ready_then_wait_go()
    started = time.monotonic()
    report = bot.broadcast(items, 'sendMessage', workers=64)
    _rl.result(started, counts=report.counts, stats=bot.rate_limit_stats()['pools']['global'])
    if opts.busy:
        while True:
            time.sleep(3600)


if __name__ == '__main__':
    main()

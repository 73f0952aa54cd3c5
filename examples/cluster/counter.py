"""cluster/counter.py: the same DelegatorBot on many processes, partitioned by chat on Redis.

Each chat's count lives in ``self.state``, which the cluster store keeps in Redis: whichever
worker process owns the chat's partition continues it, also after another worker died.

    redis-server --port 6379 --save '' &
    export TELEGRAM_BOT_TOKEN=<token from @BotFather> REDIS_URL=redis://127.0.0.1:6379/0
    python -m telepot_ng.cluster ingress examples.cluster.counter:make_bot &
    python -m telepot_ng.cluster worker examples.cluster.counter:make_bot &
    python -m telepot_ng.cluster worker examples.cluster.counter:make_bot &
    python -m telepot_ng.cluster status examples.cluster.counter:make_bot

``TELEGRAM_API`` (optional) points the bot at another Bot API server, e.g. a fake one.
"""
import os

import telepot_ng
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.helper import ChatHandler


class Counter(ChatHandler):
    def on_chat_message(self, msg):
        self.state['n'] = self.state.get('n', 0) + 1
        self.sender.sendMessage('message %d in this chat' % self.state['n'])


def make_bot():
    options = {}
    if os.environ.get('TELEGRAM_API'):
        options['base_url'] = os.environ['TELEGRAM_API']
    return telepot_ng.DelegatorBot(
        os.environ['TELEGRAM_BOT_TOKEN'],
        [pave_event_space()(per_chat_id(), create_open, Counter, timeout=60)],
        store=os.environ.get('REDIS_URL', 'redis://127.0.0.1:6379/0'), **options)

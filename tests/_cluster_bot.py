"""The bot module of the cluster tests: a DelegatorBot on a Redis cluster store whose
per-chat handlers count messages in ``self.state`` and log every delivery.

Configured by the environment (so that every process runs this same module unchanged):
``TPNG_REDIS`` (URL), ``TPNG_FAKE`` (the fake Telegram's base URL), ``TPNG_LOG`` (the delivery
log; each line ``pid chat update_id count_before redelivered``, one ``os.write`` on an
O_APPEND file, so a line is whole or absent after a SIGKILL), ``TPNG_PARTITIONS`` and
``TPNG_WORK_MS`` (CPU burnt per message).
"""
import os
import time

import telepot_ng
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.helper import ChatHandler
from telepot_ng.testing import DEFAULT_TOKEN

_fd = os.open(os.environ['TPNG_LOG'], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
_work = float(os.environ.get('TPNG_WORK_MS', '0')) / 1000.0


class Counter(ChatHandler):
    def on_chat_message(self, msg):
        n = self.state.get('n', 0)
        if _work:
            end = time.process_time() + _work
            while time.process_time() < end:
                pass
        os.write(_fd, b'%d %d %d %d %d\n' % (os.getpid(), msg['chat']['id'], msg.update_id, n,
                                            msg.redelivered))
        self.state['n'] = n + 1


def make():
    from telepot_ng.cluster.store import ClusterStore
    store = ClusterStore.from_url(os.environ['TPNG_REDIS'],
                                  partitions=int(os.environ.get('TPNG_PARTITIONS', '8')),
                                  socket_timeout=float(os.environ.get('TPNG_SOCKET_TIMEOUT', '10')))
    return telepot_ng.DelegatorBot(
        DEFAULT_TOKEN, [pave_event_space()(per_chat_id(), create_open, Counter, timeout=30)],
        base_url=os.environ['TPNG_FAKE'], store=store, rate_limits=None)

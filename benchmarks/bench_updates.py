"""Update loop throughput: updates/s handed to a no-op callback.

Run:  python benchmarks/bench_updates.py                 (defaults below, 5 runs each)
      python benchmarks/bench_updates.py --runs 3 --queue-updates 100000 --poll-updates 20000

Scenarios (each run is timed until the callback has seen the last update):

* queue, unordered        ``bot.notifyOnMessage(cb, source=q, ordered=False)``; after one
                          warm-up update, the queue gets all Update dicts at once (what
                          WebhookApp puts in it), as if they had piled up;
* queue, ordered          same with ``ordered=True``, updates in order (nothing is held);
* queue, ordered shuffled ``ordered=True``, ids shuffled within windows of 16, so the
                          re-orderer holds and releases constantly (maxhold never reached);
* queue, JSON bytes       ``ordered=True``, the queue holds raw request bodies (bytes);
* queue, live producer    ``ordered=True``, another thread puts the dicts while the loop
                          runs (every update is a cross-thread hand-off, as under a webhook);
* polling                 ``MessageLoop(bot, cb).run_as_thread()`` against the fake Telegram
                          server running in another process, with ``--poll-updates`` updates
                          queued there before the loop starts (getUpdates, 100 per call).

The median, min and max of the runs are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from telepot_ng import Bot  # noqa: E402
from telepot_ng.loop import MessageLoop  # noqa: E402

TOKEN = '123456789:AAbenchmarkTOKENxxxxxxxxxxxxxxxxxxx'


def message_update(uid: int) -> dict:
    chat = 1000 + uid % 50
    return {'update_id': uid,
            'message': {'message_id': uid, 'date': 1700000000, 'text': 'hello %d' % uid,
                        'chat': {'id': chat, 'type': 'private', 'first_name': 'User'},
                        'from': {'id': chat, 'is_bot': False, 'first_name': 'User',
                                 'language_code': 'en'}}}


class Counter:
    """A no-op callback that sets an event when it has seen ``n`` updates."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.count = 0
        self.first = threading.Event()
        self.done = threading.Event()

    def __call__(self, msg: object) -> None:
        self.count += 1
        if self.count == 1:
            self.first.set()
        if self.count == self.n:
            self.done.set()

    def rate(self, bot: Bot, t0: float, n: int) -> float:
        """Wait for the last update; stop the bot; updates/s for ``n`` updates since ``t0``."""
        if not self.done.wait(300):
            raise RuntimeError('only %d of %d updates arrived' % (self.count, self.n))
        elapsed = time.perf_counter() - t0
        bot.stop(5)
        return n / elapsed


def run_queue(n: int, ordered: bool, shuffle: bool = False, as_bytes: bool = False,
              live: bool = False) -> float:
    ids = list(range(2, n + 2))
    if shuffle:
        rnd = random.Random(1)
        for i in range(0, n, 16):
            window = ids[i:i + 16]
            rnd.shuffle(window)
            ids[i:i + 16] = window
    items = [message_update(uid) for uid in ids]
    if as_bytes:
        items = [json.dumps(u).encode() for u in items]
    q: 'queue.Queue[object]' = queue.Queue()
    bot = Bot(TOKEN, base_url='http://127.0.0.1:9')
    cb = Counter(n + 1)
    bot.notifyOnMessage(cb, source=q, ordered=ordered, maxhold=60)
    # warm-up: update 1 starts the sequence (the re-orderer holds the first arrival briefly)
    q.put(message_update(1))
    cb.first.wait(10)
    t0 = time.perf_counter()
    if live:
        producer = threading.Thread(target=lambda: [q.put(u) for u in items])
        producer.start()
    else:                       # all at once, as if they had piled up while the loop was busy
        with q.mutex:
            q.queue.extend(items)
            q.unfinished_tasks += len(items)
            q.not_empty.notify()
    return cb.rate(bot, t0, n)


def run_poll(tg: object, n: int) -> float:
    tg.reset()                                              # type: ignore[attr-defined]
    for start in range(0, n, 2000):
        tg.push_updates([{k: v for k, v in message_update(0).items() if k != 'update_id'}
                         for _ in range(min(2000, n - start))])  # type: ignore[attr-defined]
    bot = Bot(TOKEN, base_url=tg.base_url)                  # type: ignore[attr-defined]
    cb = Counter(n)
    t0 = time.perf_counter()
    MessageLoop(bot, cb).run_as_thread(timeout=10)
    return cb.rate(bot, t0, n)


def report(name: str, rates: list) -> None:
    print('%-26s %10s updates/s   (median of %d; min %s, max %s)' % (
        name, format(int(statistics.median(rates)), ','), len(rates),
        format(int(min(rates)), ','), format(int(max(rates)), ',')))
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--queue-updates', type=int, default=200000)
    ap.add_argument('--poll-updates', type=int, default=20000)
    ap.add_argument('--only', choices=['queue', 'poll'], default=None)
    args = ap.parse_args()
    if args.runs < 3:
        ap.error('--runs must be at least 3 (medians)')
    print('command: python %s' % ' '.join([os.path.relpath(sys.argv[0])] + sys.argv[1:]))
    print('python %s on %s, %d CPUs' % (sys.version.split()[0], sys.platform, os.cpu_count()))

    if args.only in (None, 'queue'):
        n = args.queue_updates
        for name, kw in [('queue, unordered', dict(ordered=False)),
                         ('queue, ordered', dict(ordered=True)),
                         ('queue, ordered shuffled', dict(ordered=True, shuffle=True)),
                         ('queue, ordered JSON bytes', dict(ordered=True, as_bytes=True)),
                         ('queue, live producer', dict(ordered=True, live=True))]:
            report(name, [run_queue(n, **kw) for _ in range(args.runs)])

    if args.only in (None, 'poll'):
        from telepot_ng.testing import FakeTelegram
        with FakeTelegram(TOKEN, process=True) as tg:
            report('polling (fake, %s)' % format(args.poll_updates, ','),
                   [run_poll(tg, args.poll_updates) for _ in range(args.runs)])


if __name__ == '__main__':
    main()

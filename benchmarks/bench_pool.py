"""Idle handlers and churn on the worker pool (issue 17), in one process, no HTTP.

Run:  python benchmarks/bench_pool.py                    (100,000 idle handlers, 200,000 churn)
      python benchmarks/bench_pool.py --idle 20000 --churn 40000     (a quick look)

1. **Idle handlers**: ``--idle`` chats each send one message to a DelegatorBot whose
   ChatHandler (``pave_event_space()(per_chat_id(), create_open, ..., timeout=600)``, the
   benchmark bot's set-up) counts it; all stay alive and idle.  Figures: spawn rate (chats /
   seconds from the first ``handle`` until every handler handled its message), OS threads of
   the process, RSS per handler above the bot with one live handler.
2. **Churn**: ``--churn`` more chats, in waves of ``--wave``, each chat one message, handlers
   with a ``--churn-timeout`` idle timeout.  After the last wave the handlers time out; the
   figures are taken again once ``live_delegates`` is 0 and the pool's idle workers retired:
   threads, RSS, and Python's allocated memory blocks (``sys.getallocatedblocks()``, exact
   where RSS keeps freed arenas) against the baseline taken before the churn.

Prints the command, the machine's load average before and after, and the figures.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import telepot_ng  # noqa: E402
import telepot_ng.helper  # noqa: E402
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id  # noqa: E402

TOKEN = '123456789:AAFakeTokenForTelepotNgTestsOnly0000'


def status(field: str) -> int:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def loadavg() -> str:
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


class Opened:
    """Counts handlers that handled their first message."""

    def __init__(self) -> None:
        self.n = 0
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)

    def add(self) -> None:
        with self.cond:
            self.n += 1
            self.cond.notify_all()

    def wait(self, n: int, timeout: float = 600.0) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: self.n >= n, timeout)


opened = Opened()


class Idle(telepot_ng.helper.ChatHandler):
    def on_chat_message(self, msg):
        opened.add()


def message(chat: int) -> dict:
    return {'message_id': 1, 'date': 1700000000, 'text': 't1',
            'chat': {'id': chat, 'type': 'private', 'first_name': 'U'},
            'from': {'id': chat, 'is_bot': False, 'first_name': 'U'}}


def snapshot() -> dict:
    gc.collect()
    return {'rss_kb': status('VmRSS'), 'threads': status('Threads'),
            'blocks': sys.getallocatedblocks()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--idle', type=int, default=100000)
    ap.add_argument('--churn', type=int, default=200000)
    ap.add_argument('--wave', type=int, default=20000)
    ap.add_argument('--churn-timeout', type=float, default=0.5)
    args = ap.parse_args()
    print('command: python %s' % ' '.join([os.path.relpath(sys.argv[0])] + sys.argv[1:]))
    print('python %s, %d CPUs, load average before: %s' % (
        sys.version.split()[0], os.cpu_count(), loadavg()))

    # 1. idle handlers
    bot = telepot_ng.DelegatorBot(TOKEN, [
        pave_event_space()(per_chat_id(), create_open, Idle, timeout=600)],
        base_url='http://127.0.0.1:9')
    msgs = [message(10000001 + i) for i in range(args.idle + 1)]
    bot.handle(msgs[0])
    opened.wait(1)
    base = snapshot()
    t0, c0 = time.perf_counter(), time.process_time()
    for m in msgs[1:]:
        bot.handle(m)
    opened.wait(args.idle + 1)
    spawn_s, spawn_cpu = time.perf_counter() - t0, time.process_time() - c0
    live = snapshot()
    print('\n1. %s idle ChatHandlers (timeout 600 s, event space, one message each)'
          % format(args.idle, ','))
    print('   spawn rate: %s handlers/s (%.2f s; CPU %.1f us per handler)' % (
        format(int(args.idle / spawn_s), ','), spawn_s, spawn_cpu * 1e6 / args.idle))
    print('   OS threads: %d (bot with one live handler: %d); pool workers now: %d' % (
        live['threads'], base['threads'], bot.worker_pool.workers))
    print('   RSS: %s KB -> %s KB = %.2f KB per handler above the bot with one handler' % (
        format(base['rss_kb'], ','), format(live['rss_kb'], ','),
        (live['rss_kb'] - base['rss_kb']) / args.idle))
    print('   live delegates: %s' % format(bot.live_delegates, ','))
    t = time.perf_counter()
    bot.stop(600)
    print('   stop() with %s live handlers: %.2f s (each gets StopListening and on_close)' % (
        format(args.idle, ','), time.perf_counter() - t))
    del msgs

    # 2. churn
    opened.n = 0
    bot = telepot_ng.DelegatorBot(TOKEN, [
        pave_event_space()(per_chat_id(), create_open, Idle, timeout=args.churn_timeout)],
        base_url='http://127.0.0.1:9')
    bot.handle(message(1))
    opened.wait(1)
    deadline = time.monotonic() + 60
    while bot.live_delegates and time.monotonic() < deadline:
        time.sleep(0.05)
    base = snapshot()
    peak = dict(base)
    t0 = time.perf_counter()
    done = 1
    chat = 20000001
    while done - 1 < args.churn:
        n = min(args.wave, args.churn - (done - 1))
        for _ in range(n):
            bot.handle(message(chat))
            chat += 1
        done += n
        opened.wait(done)
        now = snapshot()
        peak = {k: max(peak[k], now[k]) for k in peak}
    fed = time.perf_counter() - t0
    while bot.live_delegates:                   # every handler times out
        time.sleep(0.05)
    ended = time.perf_counter() - t0
    pool = bot.worker_pool
    deadline = time.monotonic() + pool.keepalive + 30
    while (pool.workers or pool._watchdog is not None) and time.monotonic() < deadline:
        time.sleep(0.1)                         # idle workers retire after the keep-alive
    after = snapshot()
    print('\n2. churn: %s chats in waves of %s, one message each, idle timeout %g s' % (
        format(args.churn, ','), format(args.wave, ','), args.churn_timeout))
    print('   fed in %.1f s; all timed out %.1f s after the start' % (fed, ended))
    print('   %-22s %12s %12s %12s' % ('', 'baseline', 'peak', 'after'))
    for k, label in (('threads', 'OS threads'), ('rss_kb', 'RSS KB'),
                     ('blocks', 'allocated blocks')):
        print('   %-22s %12s %12s %12s' % (label, format(base[k], ','), format(peak[k], ','),
                                           format(after[k], ',')))
    print('   live delegates after: %d; idle-timer events pending: %d' % (
        bot.live_delegates, bot._timers.pending if bot._timers else 0))
    print('\nload average after: %s' % loadavg())
    bot.stop(10)


if __name__ == '__main__':
    main()

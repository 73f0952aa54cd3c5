"""What sharing the limiter's budgets through Redis costs (telepot_ng.cluster.buckets).

    python benchmarks/bench_shared_limiter.py            # 5 interleaved runs
    python benchmarks/bench_shared_limiter.py --runs 3 --calls 2000

Starts its own redis-server (``--redis-server`` to point at the binary) and the fake Telegram
in a process of its own (no rate limits, no latency: the ceiling, where the limiter's cost
shows most).  Side by side, interleaved, medians of ``--runs``:

1. **take**: ``BucketStore.take`` for a chat + the global allowance, in memory vs one Lua
   script round trip to Redis: calls/s and µs per call;
2. **send**: one bot sending ``--calls`` sendMessage to 100 chats from 8 threads, with limits
   too high to ever wait (so only the bookkeeping is measured): limiter in memory vs shared on
   Redis vs no limiter; calls/s, and Redis round trips per call;
3. **together**: two bots of one token (two workers) sending at once against a fake that
   enforces 100 messages/s overall: the rate they reach together and the 429s, with the
   budget shared on Redis vs each limiter alone.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

import redis  # noqa: E402

from telepot_ng.cluster.buckets import RedisBuckets  # noqa: E402
from telepot_ng.cluster.store import ClusterStore  # noqa: E402
from telepot_ng.ratelimit import MemoryBuckets, RateLimiter, RateLimits  # noqa: E402
from telepot_ng.testing import FakeTelegram  # noqa: E402

HIGH = RateLimits(chat_rate=1e6, chat_burst=1e6, group_rate=1e6, group_burst=1e6,
                  global_rate=1e6, global_burst=1e6, paid_rate=1e6, paid_burst=1e6)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_redis(binary: str):
    port, d = free_port(), tempfile.mkdtemp(prefix='bench-redis-')
    proc = subprocess.Popen([binary, '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                             '--appendonly', 'no', '--dir', d], stdout=subprocess.DEVNULL)
    url = 'redis://127.0.0.1:%d/0' % port
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            return proc, d, url
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def run_timed(threads) -> float:
    """Start ``threads``, wait for them; the seconds it took."""
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0


def bench_take(store, n: int) -> float:
    claims = ((('chat', 1), 1e6, 1e6), (('global',), 1e6, 1e6))
    t0 = time.perf_counter()
    for i in range(n):
        store.take(claims, time.monotonic())
    return n / (time.perf_counter() - t0)


def bench_send(tg, make_bot, calls: int, threads: int = 8):
    bot = make_bot()
    per = calls // threads

    def send(t):
        for i in range(per):
            bot.sendMessage(10 + (t * per + i) % 100, 'x')
    bot.sendMessage(1, 'warm')
    rate = per * threads / run_timed([threading.Thread(target=send, args=(t,))
                                      for t in range(threads)])
    store = bot.rate_limiter._core.store if bot.rate_limiter is not None else None
    trips = getattr(store, 'round_trips', 0) / (per * threads + 1)
    bot.stop(2)
    return rate, trips


def bench_together(url: str, shared: bool, per_bot: int = 150, rate: float = 100.0):
    """Two bots of one token send ``per_bot`` messages each to their own chats, 4 threads
    each, against a fake enforcing ``rate``/s overall: combined rate and 429s."""
    limits = RateLimits(global_rate=rate, global_burst=5)
    fake_limits = {'overall_rate': rate, 'overall_burst': 30}
    with FakeTelegram(process=True, rate_limits=fake_limits) as tg:
        bots = []
        for _ in range(2):
            if shared:
                bots.append(tg.bot(store=ClusterStore.from_url(url), rate_limits=limits,
                                   retry_on_flood=False))
            else:
                bots.append(tg.bot(rate_limits=RateLimiter(limits), retry_on_flood=False))
        refused = [0]

        def send(bot, chats):
            for c in chats:
                try:
                    bot.sendMessage(c, 'x')
                except Exception:
                    refused[0] += 1
        threads = [threading.Thread(target=send, args=(bots[b], range(
            10000 * (b + 1) + t, 10000 * (b + 1) + per_bot, 4))) for b in range(2)
            for t in range(4)]
        elapsed = run_timed(threads)
        sent = len(tg.sent('sendMessage'))
        out = (sent / elapsed, tg.rate_limited()['total'], sent)
        for b in bots:
            b.stop(2)
        redis.Redis.from_url(url).flushall()
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--takes', type=int, default=5000)
    ap.add_argument('--calls', type=int, default=2000)
    ap.add_argument('--redis-server', default=shutil.which('redis-server') or
                    '/usr/bin/redis-server')
    args = ap.parse_args()
    proc, d, url = start_redis(args.redis_server)
    try:
        r = redis.Redis.from_url(url)
        takes = {'memory': [], 'redis': []}
        sends = {'no limiter': [], 'memory': [], 'redis': []}
        trips = []
        with FakeTelegram(process=True) as tg:
            def redis_bot():
                return tg.bot(store=ClusterStore.from_url(url), rate_limits=HIGH)
            makers = {'no limiter': lambda: tg.bot(rate_limits=None),
                      'memory': lambda: tg.bot(rate_limits=RateLimiter(HIGH)),
                      'redis': redis_bot}
            for run in range(args.runs):
                takes['memory'].append(bench_take(MemoryBuckets(), args.takes))
                takes['redis'].append(bench_take(RedisBuckets(r, 'bench:%d' % run),
                                                 args.takes))
                for name, make in makers.items():
                    rate, t = bench_send(tg, make, args.calls)
                    sends[name].append(rate)
                    if name == 'redis':
                        trips.append(t)
        print('command: python benchmarks/bench_shared_limiter.py --runs %d --takes %d '
              '--calls %d' % (args.runs, args.takes, args.calls))
        print('load average at the end: %s' % (os.getloadavg(),))
        m = {k: statistics.median(v) for k, v in takes.items()}
        print('take (chat + global), medians of %d interleaved runs:' % args.runs)
        for k, v in m.items():
            print('  %-10s %9.0f takes/s  %7.1f µs each' % (k, v, 1e6 / v))
        s = {k: statistics.median(v) for k, v in sends.items()}
        print('send (%d sendMessage, 8 threads, 100 chats, fake in its own process):'
              % args.calls)
        for k, v in s.items():
            print('  %-10s %7.0f calls/s  %.2fx of no limiter' % (k, v, v / s['no limiter']))
        print('  redis round trips per call (median): %.2f' % statistics.median(trips))
        together = {True: [], False: []}
        for run in range(args.runs):
            for shared in (True, False):
                together[shared].append(bench_together(url, shared))
        print('two bots of one token, 150 messages each to their own chats, fake enforcing '
              '100/s overall (limiters at 100/s, burst 5):')
        for shared, rows in together.items():
            print('  %-22s %6.1f msgs/s together (median), 429s per run: %s, delivered: %s'
                  % ('shared on Redis' if shared else 'each limiter alone',
                     statistics.median(r[0] for r in rows), [r[1] for r in rows],
                     [r[2] for r in rows]))
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    main()

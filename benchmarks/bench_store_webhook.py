"""Webhook requests with the SQLite store: group commit on vs off, side by side.

Run:  python benchmarks/bench_store_webhook.py                 (defaults below, 3 interleaved runs)
      python benchmarks/bench_store_webhook.py --runs 5 --requests 4000 --threads 1,8,32

Each run: a ``Bot`` with a fresh SQLite store, a ``Webhook`` loop (its handler does nothing)
and a ``WebhookApp``; ``--threads`` client threads call the WSGI app directly (as a threaded
WSGI server's request threads do; no HTTP, which costs the same either way) until
``--requests`` updates were answered 200. Every answer 200 comes after the update's journal
commit. Printed per configuration (``synchronous`` NORMAL / FULL, threads, group commit on
/ off): requests answered per second, journal commits per second and requests per journal
commit (done-mark commits, written by the store's writer thread in both cases, are not
counted). Configurations alternate within each run, each on/off pair back to back; medians
with min-max, and the median of the paired on/off ratios (the disk's fsync time varies a lot
on a shared machine: compare within a pair).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import telepot_ng  # noqa: E402
from telepot_ng.loop import Webhook  # noqa: E402
from telepot_ng.testing import DEFAULT_TOKEN  # noqa: E402
from telepot_ng.webhook import WebhookApp  # noqa: E402


def _body(uid: int) -> bytes:
    chat = 1000 + uid % 50
    return json.dumps({'update_id': uid, 'message': {
        'message_id': uid, 'date': 1700000000, 'text': 'm%d' % uid,
        'chat': {'id': chat, 'type': 'private', 'first_name': 'U'},
        'from': {'id': chat, 'is_bot': False, 'first_name': 'U'}}}).encode()


def one_run(tmp: str, n: int, threads: int, sync: str, group: bool) -> Dict[str, float]:
    path = os.path.join(tmp, 'hook.sqlite3')
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    from telepot_ng.store import SQLiteStore
    store = SQLiteStore(path, synchronous=sync)
    bot = telepot_ng.Bot(DEFAULT_TOKEN, store=store, base_url='http://127.0.0.1:9')
    bot.inflight.limit = n + 1           # the handler keeps up; never answer 503 here
    ledger = bot._ledger
    ledger.group_commit = group
    hook = Webhook(bot, lambda msg: None)
    app = WebhookApp(hook, secret_token='bench')
    hook.run_as_thread()
    bodies = [_body(i + 1) for i in range(n)]
    nxt = iter(range(n))
    lock = threading.Lock()
    bad: List[str] = []

    def client() -> None:
        status: List[str] = []
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                return
            body = bodies[i]
            app({'REQUEST_METHOD': 'POST', 'CONTENT_LENGTH': str(len(body)),
                 'wsgi.input': io.BytesIO(body),
                 'HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN': 'bench'},
                lambda s, h: status.append(s))
            if not status[-1].startswith('200'):
                bad.append(status[-1])
    before = ledger.stats['journal_writes']
    workers = [threading.Thread(target=client, name='client-%d' % k) for k in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    commits = ledger.stats['journal_writes'] - before
    bot.stop()
    store.close()
    if bad:
        raise SystemExit('requests not answered 200: %s' % bad[:5])
    return {'rps': n / elapsed, 'cps': commits / elapsed, 'per_commit': n / max(commits, 1)}


def _spread(values: List[float], fmt: str = '{:,.0f}') -> str:
    if len(values) == 1:
        return fmt.format(values[0])
    return '%s [%s–%s]' % (fmt.format(statistics.median(values)), fmt.format(min(values)),
                           fmt.format(max(values)))


def main() -> None:
    ap = argparse.ArgumentParser(prog='python benchmarks/bench_store_webhook.py',
                                 description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--requests', type=int, default=3000, help='requests per configuration')
    ap.add_argument('--threads', default='1,16', help='client thread counts, comma-separated')
    ap.add_argument('--sync', default='NORMAL,FULL', help='synchronous settings')
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(',')]
    syncs = [s.strip().upper() for s in args.sync.split(',')]
    configs = [(s, t, g) for s in syncs for t in threads for g in (False, True)]
    results: Dict[Any, List[Dict[str, float]]] = {c: [] for c in configs}
    tmp = tempfile.mkdtemp(prefix='bench-store-webhook-')
    try:
        for _ in range(args.runs):
            for c in configs:
                results[c].append(one_run(tmp, args.requests, c[1], c[0], c[2]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('command: python benchmarks/bench_store_webhook.py ' + ' '.join(sys.argv[1:]))
    print('python %s, SQLite %s, %s, load average %s' % (
        platform.python_version(), __import__('sqlite3').sqlite_version, platform.machine(),
        ' '.join('%.2f' % x for x in os.getloadavg())))
    print('%d requests per configuration, %d runs (medians [min–max])\n' % (args.requests,
                                                                           args.runs))
    print('| synchronous | threads | group commit | requests/s | journal commits/s | '
          'requests per commit | requests/s on/off (paired) |')
    print('|---|---|---|---|---|---|---|')
    for s in syncs:
        for t in threads:
            # each run's on/off pair ran back to back: the median of the paired ratios
            ratio = statistics.median(a['rps'] / b['rps'] for a, b in
                                      zip(results[(s, t, True)], results[(s, t, False)]))
            for g in (False, True):
                rs = results[(s, t, g)]
                print('| %s | %d | %s | %s | %s | %s | %s |' % (
                    s, t, 'on' if g else 'off', _spread([r['rps'] for r in rs]),
                    _spread([r['cps'] for r in rs]),
                    _spread([r['per_commit'] for r in rs], '{:.1f}'),
                    '%.2fx' % ratio if g else ''))


if __name__ == '__main__':
    main()

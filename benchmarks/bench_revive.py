"""Idle deadlines kept before a restart (issue 15): what they cost at start and meanwhile.

Run:  python benchmarks/bench_revive.py                       (this checkout, 5 runs)
      python benchmarks/bench_revive.py --compare before=/tmp/old-checkout --runs 5

Two figures per checkout (``--compare NAME=PATH`` adds another checkout's telepot_ng; its
runs are interleaved with this one's, each run in a fresh process):

* start     ``Revivals`` built over an SQLite store holding ``--kept`` idle deadlines (all
            due in an hour): what a bot's start spends reading them, before it polls.
* spawn     new seeds per second: ``DelegatorBot.handle`` of ``--seeds`` messages from as
            many new chats (pooled ``ChatHandler``s, the store on), with the ``--kept``
            deadlines pending (not revived yet) and with none kept; the ratio says what the
            pending revivals cost a new seed.

Medians with min-max. The store lives in a temporary directory; nothing is sent anywhere.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BOT_ID = 123456789
TOKEN = '%d:bench' % BOT_ID


def _store(path: str, kept: int) -> None:
    from telepot_ng.store import IdleRecord, SQLiteStore, StateKey
    s = SQLiteStore(path)
    s.bind(BOT_ID)
    now = time.time()
    msg = ('{"update_id":%d,"message":{"message_id":1,"date":1,"chat":{"id":%d,'
           '"type":"private"}}}')
    s.mark_done([], idle=[IdleRecord(StateKey(BOT_ID, '0', str(10 ** 9 + c)), now + 3600 + c,
                                     msg % (c + 1, 10 ** 9 + c)) for c in range(kept)])
    s.close()


def _one(what: str, kept: int, seeds: int) -> float:
    """One measurement in this process: seconds (start) or seeds per second (spawn)."""
    import telepot_ng
    from telepot_ng.delegate import create_open, per_chat_id
    from telepot_ng.flavors import unwrap_update
    from telepot_ng.helper import ChatHandler
    from telepot_ng.store import SQLiteStore
    from telepot_ng.store._ledger import Ledger
    from telepot_ng.store._revive import Revivals
    path = os.path.join(tempfile.mkdtemp(prefix='bench-revive-'), 'bot.sqlite3')
    _store(path, kept)
    if what == 'start':
        store = SQLiteStore(path)
        ledger = Ledger(store, BOT_ID)
        t = time.perf_counter()
        try:
            Revivals(ledger)
        except TypeError:                   # before the paging: Revivals(ledger, live)
            Revivals(ledger, set())
        elapsed = time.perf_counter() - t
        store.close()
        return elapsed

    class Handler(ChatHandler):
        def on_chat_message(self, msg: dict) -> None:
            pass

    bot = telepot_ng.DelegatorBot(TOKEN, [(per_chat_id(), create_open(Handler, timeout=3600))],
                                  store=path, base_url='http://127.0.0.1:9')
    bot._revive_idle()
    msgs = [unwrap_update({'update_id': i + 1, 'message': {
        'message_id': 1, 'date': 1, 'text': 'x', 'chat': {'id': i + 1, 'type': 'private'}}})
        for i in range(seeds)]
    t = time.perf_counter()
    for m in msgs:
        bot.handle(m)
    rate = seeds / (time.perf_counter() - t)
    bot.stop(60)
    bot.store.close()
    return rate


def _run(checkout: str, what: str, kept: int, seeds: int) -> float:
    env = dict(os.environ, PYTHONPATH=checkout)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), '--one', what,
                          '--kept', str(kept), '--seeds', str(seeds)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _cell(values: list, fmt: str) -> str:
    return '%s [%s-%s]' % (fmt.format(statistics.median(values)), fmt.format(min(values)),
                           fmt.format(max(values)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kept', type=int, default=100000, help='idle deadlines kept')
    ap.add_argument('--seeds', type=int, default=10000, help='new chats per spawn run')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--compare', action='append', default=[], metavar='NAME=PATH',
                    help='another checkout (its root, holding telepot_ng/)')
    ap.add_argument('--one', choices=['start', 'spawn', 'spawn0'], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        kept = 0 if args.one == 'spawn0' else args.kept
        print(json.dumps(_one(args.one.rstrip('0'), kept, args.seeds)))
        return
    checkouts = [('this', ROOT)] + [tuple(c.split('=', 1)) for c in args.compare]
    res: dict = {name: {'start': [], 'spawn': [], 'spawn0': []} for name, _ in checkouts}
    for _ in range(args.runs):
        for what in ('start', 'spawn', 'spawn0'):
            for name, path in checkouts:
                res[name][what].append(_run(path, what, args.kept, args.seeds))
    print('command: python benchmarks/bench_revive.py ' + ' '.join(sys.argv[1:]))
    print('%s, %d CPUs, load %.1f at the end' % (time.strftime('%Y-%m-%d %H:%M UTC',
                                                             time.gmtime()),
                                                 os.cpu_count() or 0, os.getloadavg()[0]))
    print()
    print('| checkout | start with %s kept (s) | new seeds/s, %s kept pending | none kept | '
          'ratio |' % (format(args.kept, ','), format(args.kept, ',')))
    print('|---|---|---|---|---|')
    for name, _ in checkouts:
        r = res[name]
        print('| %s | %s | %s | %s | %.2f |' % (
            name, _cell(r['start'], '{:.3f}'), _cell(r['spawn'], '{:,.0f}'),
            _cell(r['spawn0'], '{:,.0f}'),
            statistics.median(r['spawn']) / statistics.median(r['spawn0'])))


if __name__ == '__main__':
    main()

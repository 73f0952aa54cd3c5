"""The durable store's cost: the same bots with the SQLite store off and on, side by side.

Run:  python benchmarks/bench_store.py                     (defaults below, 3 interleaved runs)
      python benchmarks/bench_store.py --runs 5 --echo 4000 --dispatch 20000 --growth 1000000

Workloads (the bot runs in its own process, the fake Telegram server in another; this process
queues the updates, starts the bot and times it):

The bot runs with ``rate_limits=None``: this measures the store, not Telegram's pace.

* echo storm   ``DelegatorBot`` + one ``ChatHandler`` per chat (``--chats``) answering every
               message with ``sendMessage``; its counter lives in ``self.state``. Timed from
               the bot's loop start until the fake has recorded every reply.
* dispatch     the same bot, but the handlers only count (``self.state['n'] += 1``, no
               request): getUpdates -> journal -> delegates -> done-marks and states. Timed
               from the loop start until the last message was counted.
* growth       ``SQLiteStore`` alone: ``--growth`` updates journaled in batches of 100 (as
               the polling loop does: each batch's getUpdates answer kept whole) and
               marked done, the clock advancing so that they span 48 hours (so pruning of the
               24 h dedupe window, once a simulated minute as the bot does, is exercised);
               the file size (database + WAL) is printed along the way, and once more for
               the same count all inside the window (nothing prunable).

For each run with the store: commits (write transactions) per second of the run, and fsync /
fdatasync calls counted by ``strace -f -c`` in one extra, untimed run per workload (when
strace is installed). Off and on runs alternate; medians are printed with min-max.

The peers (``--peers``, default python-telegram-bot, pyTelegramBotAPI and aiogram, none of
which has a durable store) run in the same rounds, interleaved with telepot_ng's runs, each in
its own virtual environment (``benchmarks/.venvs``, made on first use as ``run.py`` does) with
the bots of ``run.py`` against a second fake server:

* echo         ``bots/<peer>_bot.py --mode serve``, the same messages (``--echo`` over
               ``--chats``), timed until the server has every reply (run.py's echo storm);
* dispatch     the same serve bot with ``--answer-every <messages per chat>``: it polls the
               ``--dispatch`` updates and counts them, answering each chat once, after its
               last message (``--chats`` requests in all); timed until the server has those
               answers. So the peers, like telepot_ng's dispatch rows, go through getUpdates
               (run.py's dispatch workload feeds them in-process instead).

The last table puts telepot_ng with the store beside the fastest correct peer (issue 15's
target: at least 70% of store-off and still at least 2x the fastest peer).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from telepot_ng.testing import DEFAULT_TOKEN, FakeTelegram  # noqa: E402


# -- the bot process ------------------------------------------------------------------------------

def bot_main(mode: str, api: str, store: Optional[str], expect: int) -> None:
    import threading
    import telepot_ng
    import telepot_ng.helper
    from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
    from telepot_ng.loop import MessageLoop

    counted = [0]
    lock = threading.Lock()
    done = threading.Event()
    started = [0.0]

    class Echo(telepot_ng.helper.ChatHandler):
        def on_chat_message(self, msg):
            n = self.state['n'] = self.state.get('n', 0) + 1
            self.sender.sendMessage('%d %s' % (n, msg['text']))

    class Count(telepot_ng.helper.ChatHandler):
        def on_chat_message(self, msg):
            self.state['n'] = self.state.get('n', 0) + 1
            with lock:
                counted[0] += 1
                if counted[0] == expect:
                    done.set()

    handler = Echo if mode == 'echo' else Count
    bot = telepot_ng.DelegatorBot(
        DEFAULT_TOKEN, [pave_event_space()(per_chat_id(), create_open, handler, timeout=60)],
        base_url=api, store=store or None,
        rate_limits=None)     # the store's cost, not Telegram's pace (30 messages/s)
    print('READY', flush=True)
    sys.stdin.readline()                     # GO
    started[0] = time.perf_counter()
    cpu0 = os.times()
    MessageLoop(bot).run_as_thread(timeout=1)
    if mode == 'echo':
        sys.stdin.readline()                 # the parent saw every reply
    else:
        done.wait(300)
    elapsed = time.perf_counter() - started[0]
    cpu1 = os.times()
    bot.stop()
    s = bot.store
    stats = {'elapsed': elapsed, 'commits': s.stats['commits'] if s is not None else 0,
             'cpu': (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
             'ledger': dict(bot._ledger.stats) if bot._ledger is not None else {}}
    if s is not None:
        s.close()
    print('STATS ' + json.dumps(stats), flush=True)


# -- the driver -----------------------------------------------------------------------------------

def updates(n: int, chats: int) -> List[Dict[str, Any]]:
    out = []
    for i in range(n):
        chat = 5000 + i % chats
        out.append({'message': {'message_id': i + 1, 'date': 1700000000, 'text': 'm%d' % i,
                                'chat': {'id': chat, 'type': 'private', 'first_name': 'U'},
                                'from': {'id': chat, 'is_bot': False, 'first_name': 'U'}}})
    return out


def one_run(tg: FakeTelegram, mode: str, n: int, chats: int, store: Optional[str],
            strace: Optional[str] = None, root: str = ROOT) -> Dict[str, Any]:
    tg.reset()
    batch = updates(n, chats)
    for i in range(0, n, 2000):
        tg.push_updates(batch[i:i + 2000])
    cmd = [sys.executable, os.path.join(root, 'benchmarks', 'bench_store.py'), '--bot', mode,
           '--api', tg.base_url, '--store', store or '', '--expect', str(n)]
    if strace:
        cmd = ['strace', '-f', '-c', '-e', 'trace=fsync,fdatasync', '-o', strace] + cmd
    env = dict(os.environ, PYTHONPATH=root)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                            text=True)
    assert proc.stdout.readline().strip() == 'READY'
    mark = tg.mark()
    t0 = time.perf_counter()
    proc.stdin.write('GO\n')
    proc.stdin.flush()
    if mode == 'echo':
        tg.wait_for_sent('sendMessage', count=n, since=mark, timeout=300)
        wall = time.perf_counter() - t0
        proc.stdin.write('STOP\n')
        proc.stdin.flush()
    out = proc.stdout.read()
    proc.wait(60)
    stats = json.loads(out.split('STATS ', 1)[1])
    if mode != 'echo':
        wall = stats['elapsed']
    stats['rate'] = n / wall
    stats['wall'] = wall
    stats['commits_per_s'] = stats['commits'] / wall
    stats['cpu_us'] = stats['cpu'] / n * 1e6
    if store:
        stats['bytes'] = sum(os.path.getsize(p) for p in (store, store + '-wal')
                             if os.path.exists(p))
    return stats


def fsyncs(path: str) -> Optional[int]:
    total = 0
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[-1] in ('fsync', 'fdatasync'):
                total += int(parts[3])
    return total


class Peers:
    """The peer libraries' bots (run.py's), each in its venv, against a fake server of their
    own; ``run(name, mode, n, chats)`` is one run's figures (``rate``, ``ok``)."""

    def __init__(self, names: List[str], tmp: str) -> None:
        sys.path.insert(0, os.path.join(ROOT, 'benchmarks'))
        sys.path.insert(1, os.path.join(ROOT, 'benchmarks', 'bots'))
        import _envs
        import _procs
        import _workloads
        self._w = _workloads
        self.tmp = tmp
        self.peers = {name: _envs.PEERS[name] for name in names}
        self.python = {name: _envs.peer_python(peer, sys.executable)
                       for name, peer in self.peers.items()}
        self.server = _procs.FakeServer()
        self.labels = {name: peer.label for name, peer in self.peers.items()}
        self._n = 0

    def run(self, name: str, mode: str, n: int, chats: int) -> Dict[str, Any]:
        self._n += 1
        log = os.path.join(self.tmp, 'peer-%s-%s-%d.log' % (name, mode, self._n))
        peer, python = self.peers[name], self.python[name]
        per_chat = max(1, n // chats)
        # dispatch: polling too, each chat answered once, after its last message
        return self._w.serve_run(peer, python, self.server, chats, per_chat, 60.0, 300.0, log,
                                 every=1 if mode == 'echo' else per_chat)

    def close(self) -> None:
        self.server.close()


def workload(tg: FakeTelegram, mode: str, n: int, chats: int, runs: int,
             tmp: str, peers: Optional[Peers] = None,
             baseline: Optional[str] = None) -> Dict[str, Any]:
    res: Dict[str, List[Dict[str, Any]]] = {'off': [], 'on': []}
    names = list(peers.peers) if peers is not None else []
    if baseline:
        names.insert(0, 'baseline')
    for name in names:
        res[name] = []
    for r in range(runs):
        order = ['off', 'on'] + names
        shift = r % len(order)                  # a different one first in every round
        for variant in order[shift:] + order[:shift]:
            if variant in ('off', 'on', 'baseline'):
                store = os.path.join(tmp, '%s-%s-%d.sqlite3' % (mode, variant, r)) \
                    if variant != 'off' else None
                res[variant].append(one_run(tg, mode, n, chats, store, root=(
                    baseline if variant == 'baseline' else ROOT)))
            else:
                res[variant].append(peers.run(variant, mode, n, chats))   # type: ignore
            x = res[variant][-1]
            print('  %s run %d %-8s %8.0f/s%s' % (
                mode, r + 1, variant, x['rate'], '' if x.get('ok', True) else ' (FAILED)'),
                flush=True)
    extra: Dict[str, Any] = {}
    if shutil.which('strace'):
        trace = os.path.join(tmp, 'strace-%s.txt' % mode)
        one_run(tg, mode, n, chats, os.path.join(tmp, '%s-strace.sqlite3' % mode), trace)
        extra['fsyncs'] = fsyncs(trace)
    return {'runs': res, **extra}


def med(values: List[float]) -> str:
    return '%s (%s-%s)' % (f'{statistics.median(values):,.0f}', f'{min(values):,.0f}',
                           f'{max(values):,.0f}')


def row_is_not(best: Any, name: str) -> bool:
    return best is None or best[1] != name


def growth(total: int, tmp: str) -> List[str]:
    from telepot_ng.store import SQLiteStore
    rows = []
    for label, span in (('spread over 48 h (24 h window pruned)', 48 * 3600.0),
                        ('all within 24 h (nothing prunable)', 0.0)):
        path = os.path.join(tmp, 'growth-%d.sqlite3' % len(rows))
        now = [1_000_000.0]
        step = span / total
        s = SQLiteStore(path, clock=lambda: now[0])
        last_prune = now[0]
        checkpoints = {total // 10 * k for k in range(1, 11)}
        sizes = []
        t0 = time.perf_counter()
        uid = 1
        while uid <= total:
            batch = [{'update_id': u, 'message': {'message_id': u, 'date': 1700000000,
                                                  'chat': {'id': u % 50, 'type': 'private'},
                                                  'text': 'message %d' % u}}
                     for u in range(uid, min(uid + 100, total + 1))]
            # as the polling loop journals a batch: its getUpdates answer, kept whole
            s.append_answer(batch, json.dumps({'ok': True, 'result': batch}).encode(), 0,
                            decoded=True)
            s.mark_done([u['update_id'] for u in batch])
            uid += len(batch)
            now[0] += step * len(batch)
            if now[0] - last_prune >= 60:
                s.prune(now[0] - s.window)
                last_prune = now[0]
            if uid - 1 in checkpoints:
                size = sum(os.path.getsize(p) for p in (path, path + '-wal') if os.path.exists(p))
                sizes.append((uid - 1, size, s.counts()['done']))
        elapsed = time.perf_counter() - t0
        s.close()
        rows.append('%s, %s updates in %.0f s (%s commits/s):' % (
            label, f'{total:,}', elapsed, f'{2 * total / 100 / elapsed:,.0f}'))
        rows.append('  updates    file (db+wal)   ids kept')
        for n, size, kept in sizes:
            rows.append('  %9s  %10.1f MB  %9s' % (f'{n:,}', size / 1e6, f'{kept:,}'))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(prog='python benchmarks/bench_store.py',
                                 description=__doc__.split('\n')[0])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--chats', type=int, default=100)
    ap.add_argument('--echo', type=int, default=4000, help='messages in the echo storm')
    ap.add_argument('--dispatch', type=int, default=20000, help='updates in the dispatch run')
    ap.add_argument('--growth', type=int, default=1000000, help='updates for the growth run '
                    '(0: skip)')
    ap.add_argument('--baseline', help='another checkout of telepot_ng (e.g. a `git worktree` '
                    'of an older commit): its store-on runs are interleaved as "baseline"')
    ap.add_argument('--peers', default='ptb,telebot,aiogram,aiogram-seq',
                    help='peer libraries to run alongside, as run.py names them ("": none)')
    ap.add_argument('--bot', help=argparse.SUPPRESS)
    ap.add_argument('--api', help=argparse.SUPPRESS)
    ap.add_argument('--store', help=argparse.SUPPRESS)
    ap.add_argument('--expect', type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.bot:
        bot_main(a.bot, a.api, a.store, a.expect)
        return
    print('$ python benchmarks/bench_store.py ' + ' '.join(sys.argv[1:]))
    print('%s, %s, %d CPUs, Python %s, load average %s' % (
        time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), platform.platform(), os.cpu_count(),
        platform.python_version(), ' '.join('%.1f' % x for x in os.getloadavg())))
    tmp = tempfile.mkdtemp(prefix='bench_store-')
    results = {}
    peers = None
    try:
        if a.peers.strip():
            peers = Peers([p.strip() for p in a.peers.split(',') if p.strip()], tmp)
        with FakeTelegram(process=True) as tg:
            for mode, n in (('echo', a.echo), ('dispatch', a.dispatch)):
                if n:
                    results[mode] = workload(tg, mode, n, a.chats, a.runs, tmp, peers,
                                             a.baseline)
        print()
        print('| workload | store off (/s) | store on (/s) | on/off | bot CPU µs/update off, on '
              '(off/on) | commits/s (on) | fsyncs (one run) | file after run |')
        print('|---|---|---|---|---|---|---|---|')
        for mode, r in results.items():
            off = [x['rate'] for x in r['runs']['off']]
            on = [x['rate'] for x in r['runs']['on']]
            ratio = statistics.median(on) / statistics.median(off)
            commits = [x['commits_per_s'] for x in r['runs']['on']]
            size = statistics.median(x['bytes'] for x in r['runs']['on']) / 1e6
            cpu_off = statistics.median(x['cpu_us'] for x in r['runs']['off'])
            cpu_on = statistics.median(x['cpu_us'] for x in r['runs']['on'])
            print('| %s, %s updates, %d chats | %s | %s | %.0f%% | %.0f, %.0f (%.0f%%) | %s | %s '
                  '| %.1f MB |' % (
                      mode, f'{(a.echo if mode == "echo" else a.dispatch):,}', a.chats,
                      med(off), med(on), 100 * ratio, cpu_off, cpu_on, 100 * cpu_off / cpu_on,
                      med(commits), r.get('fsyncs', 'n/a'), size))
        if peers is not None:
            print()
            print('| workload | telepot_ng store on (/s) | fastest peer, no store (/s) | on / '
                  'peer | target 2x | other peers (/s) |')
            print('|---|---|---|---|---|---|')
            for mode, r in results.items():
                on = statistics.median(x['rate'] for x in r['runs']['on'])
                rows = []
                for name in peers.peers:
                    xs = r['runs'][name]
                    ok = all(x.get('ok') for x in xs)
                    rows.append((statistics.median(x['rate'] for x in xs) if ok else 0.0,
                                 name, xs, ok))
                rows.sort(reverse=True)
                best = next((row for row in rows if row[3]), None)
                others = ', '.join('%s %s%s' % (peers.labels[name], med([x['rate'] for x in xs]),
                                                '' if ok else ' FAILED')
                                   for _, name, xs, ok in rows if row_is_not(best, name))
                if best is None:
                    print('| %s | %s | no correct peer | | | %s |' % (mode, f'{on:,.0f}', others))
                    continue
                ratio = on / best[0]
                print('| %s%s | %s | %s: %s | %.2fx | %s | %s |' % (
                    mode, ' (polling, handlers only count)' if mode == 'dispatch' else '',
                    f'{on:,.0f}', peers.labels[best[1]], med([x['rate'] for x in best[2]]), ratio,
                    'MET' if ratio >= 2 else 'MISSED', others))
        if a.baseline:
            print()
            print('| workload | baseline %s, store on (/s) | this tree, store on (/s) | this / '
                  'baseline | baseline on/off | bot CPU µs/update baseline, this |' % a.baseline)
            print('|---|---|---|---|---|---|')
            for mode, r in results.items():
                base = [x['rate'] for x in r['runs']['baseline']]
                on = [x['rate'] for x in r['runs']['on']]
                off = statistics.median(x['rate'] for x in r['runs']['off'])
                print('| %s | %s | %s | %.2fx | %.0f%% | %.0f, %.0f |' % (
                    mode, med(base), med(on), statistics.median(on) / statistics.median(base),
                    100 * statistics.median(base) / off,
                    statistics.median(x['cpu_us'] for x in r['runs']['baseline']),
                    statistics.median(x['cpu_us'] for x in r['runs']['on'])))
        print('\nload average after: %s' % ' '.join('%.1f' % x for x in os.getloadavg()))
        if a.growth:
            print()
            for line in growth(a.growth, tmp):
                print(line)
    finally:
        if peers is not None:
            peers.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()

"""The worker pool's targets (issue 17), side by side with other checkouts, in one run.

Run:  python benchmarks/bench_pool.py                  (~18 min: the table, the CPU cost, then sections 1-2)
      python benchmarks/bench_pool.py --sections cost --compare start=/tmp/start   (~3 min)
      python benchmarks/bench_pool.py --compare prepool=/tmp/prepool@10000 --runs 3
      python benchmarks/bench_pool.py --sections table --runs 1 --echo-runs 1   (a quick look)

**The table** (``--sections table``): for this checkout and each ``--compare NAME=PATH``
(another checkout of this repository, e.g. ``git worktree add /tmp/prepool <commit>``), runs
interleaved run by run (A B C A B C ...), each in its own process with that checkout on
``PYTHONPATH`` and this checkout's benchmark bot (``bots/telepot_ng_bot.py``):

* dispatch only (``--mode dispatch``, no HTTP): 10 / 1,000 / 10,000 / 100,000 live chats, the
  100,000 updates to all of them and to 1,000 of them; updates/s and the process's CPU per
  update, and the ratio to the 10-chat row (target: within 20%, i.e. >= 0.80);
* from the 100,000-chat warm-up (one message per chat spawns its ChatHandler, timeout 600 s):
  spawn rate (target >= 20,000 handlers/s), KB of RSS per idle handler (<= 3) and the
  process's OS threads afterwards (<= 64);
* echo storm (run.py's: 20,000 messages over 500 chats against the fake Telegram in its own
  process, sendMessage per message): replies/s, the bot's CPU ms per reply, and whether every
  chat's replies came complete and in order (target: not slower than the pre-pool code).

**CPU per message, one thread on one core** (``--sections cost``, ``--cost-runs``): for each
checkout, interleaved, ``bots/turn_cost.py`` dispatches batches with ``bot.handle`` and runs the
queued turns itself (no worker threads, no GIL hand-overs): busy chats (10, up to 16 messages
a turn), one message per turn in cache (100 chats), one message per turn to chats in no CPU
cache (100,000); the minimum of the runs, split into dispatch and turns, and the 10-chat
figure over the 100,000-chat one.  On this machine the dispatch table's cold rows vary by up
to 50% between identical runs; these less (the host's noise only adds CPU: the least of the
runs is the figure).

Then, for this checkout only, in this process (``--sections idle,churn``):

1. **Idle handlers**: ``--idle`` chats each send one message to a DelegatorBot whose
   ChatHandler (``pave_event_space()(per_chat_id(), create_open, ..., timeout=600)``, the
   benchmark bot's set-up) counts it; all stay alive and idle.  Figures: spawn rate (chats /
   seconds from the first ``handle`` until every handler handled its message), OS threads of
   the process, RSS per handler above the bot with one live handler, and how long stop() takes.
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
import json
import os
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

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


def idle_section(args: argparse.Namespace) -> None:
    """1. idle handlers (this checkout, in this process)"""
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


def churn_section(args: argparse.Namespace) -> None:
    """2. churn (this checkout, in this process)"""
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
    print('   live delegates after: %d; idle deadlines pending: %d' % (
        bot.live_delegates, bot._timers.pending if bot._timers else 0))
    bot.stop(10)


# -- the table: checkouts side by side ---------------------------------------------------------

#: (live chats, chats the timed updates go to) of the dispatch rows; the first is the reference
DISPATCH_ROWS = [(10, 10), (1000, 1000), (10000, 10000), (10000, 1000), (100000, 1000),
                 (100000, 100000)]


def _env(path: str) -> dict:
    return dict(os.environ, PYTHONPATH=path, PYTHONWARNINGS='ignore')


def dispatch_once(path: str, chats: int, busy: int, updates: int, cap: float) -> dict:
    updates = max(busy, updates - updates % busy)      # a multiple of busy, at least one each
    cmd = [sys.executable, os.path.join(HERE, 'bots', 'telepot_ng_bot.py'), '--mode', 'dispatch',
           '--api', 'http://127.0.0.1:9', '--chats', str(chats), '--busy-chats', str(busy),
           '--updates', str(updates), '--cap', str(cap)]
    res = subprocess.run(cmd, capture_output=True, text=True, env=_env(path),
                         cwd=os.path.join(HERE, 'bots'), timeout=3 * cap + 300)
    for line in res.stdout.splitlines():
        if line.startswith('RESULT '):
            r = json.loads(line[7:])
            r['ok'] = r['complete'] and r['warm_complete'] and r['violations'] == 0
            r['us_per_update'] = r['cpu'] * 1e6 / max(1, r['counted'])
            r['spawn_rate'] = chats / r['warm_s'] if r['warm_s'] else 0.0
            r['kb_per_handler'] = (r['rss_after_warm_kb'] - r['rss_before_warm_kb']) / chats
            return r
    return {'ok': False, 'rate': 0.0, 'error': res.stderr[-300:]}


def echo_once(path: str, server: object, log_path: str) -> dict:
    import _workloads
    from _envs import PEERS
    old = os.environ.get('PYTHONPATH')
    os.environ['PYTHONPATH'] = path         # the bot process inherits it
    try:
        r = _workloads.serve_run(PEERS['telepot_ng'], sys.executable, server, 500, 40, 60.0,
                                 120.0, log_path)
    finally:
        if old is None:
            del os.environ['PYTHONPATH']
        else:
            os.environ['PYTHONPATH'] = old
    r['ms_per_reply'] = r['cpu'] * 1e3 / max(1, r['received'])
    return r


def table_section(args: argparse.Namespace) -> None:
    sys.path.insert(0, HERE)
    sys.path.insert(1, os.path.join(HERE, 'bots'))
    from _report import _med, _spread as _cell     # median [min-max] cells, as run.py's
    checkouts = [(name, os.path.abspath(path)) for name, path, _ in args.compare] + \
        [('this checkout', ROOT)]
    most = {name: most for name, _, most in args.compare}
    names = [n for n, _ in checkouts]
    disp: dict = {(n, c, b): [] for n in names for c, b in DISPATCH_ROWS}
    echo: dict = {n: [] for n in names}
    logs = os.path.join(HERE, 'results', 'pool-' + time.strftime('%Y%m%d-%H%M%S'))
    os.makedirs(logs, exist_ok=True)
    loads = [loadavg()]
    for run in range(args.runs):
        for chats, busy in DISPATCH_ROWS:
            for name, path in checkouts:
                if chats > most.get(name, chats):
                    continue                # (a thread per handler: not 100,000 of them)
                r = dispatch_once(path, chats, busy, args.updates, args.cap)
                disp[(name, chats, busy)].append(r)
                print('  dispatch %-14s %6d live, to %6d: %9s updates/s %s' % (
                    name, chats, busy, format(int(r.get('rate', 0)), ','),
                    '' if r.get('ok') else 'FAILED %s' % r.get('error', '')),
                    file=sys.stderr, flush=True)
        loads.append(loadavg())
    if args.echo_runs:
        from _procs import FakeServer
        server = FakeServer()
        try:
            for run in range(args.echo_runs):
                for name, path in checkouts:
                    r = echo_once(path, server, os.path.join(
                        logs, 'echo-%s-%d.log' % (name.replace(' ', '_'), run + 1)))
                    echo[name].append(r)
                    print('  echo     %-14s %9s replies/s %s' % (
                        name, format(int(r['rate']), ','), '' if r['ok'] else 'FAILED'),
                        file=sys.stderr, flush=True)
                loads.append(loadavg())
        finally:
            server.close()
    loads.append(loadavg())

    print('\n## Worker pool targets (issue 17)\n')
    print('- command: `%s`' % args.command)
    print('- %s UTC; python %s, %d CPUs; load average (1, 5, 15 min) over the run: %s' % (
        time.strftime('%Y-%m-%d %H:%M', time.gmtime()), sys.version.split()[0],
        os.cpu_count(), ' -> '.join(loads)))
    print('- checkouts: %s; every cell: median [min-max] of %d runs, checkouts interleaved '
          'run by run' % ('; '.join('%s = %s' % (n, p) for n, p in checkouts), args.runs))
    print('\n| figure | target | %s |' % ' | '.join(names))
    print('|---|---|%s' % ('---|' * len(names)))
    ref = {n: _med(disp[(n, 10, 10)], 'rate') for n in names}
    if not args.runs:
        print('| dispatch | | %s |' % ' | '.join('not run' for n in names))
    for chats, busy in DISPATCH_ROWS if args.runs else ():
        label = 'dispatch: %s live chats, updates to %s' % (
            format(chats, ','), 'all' if busy == chats else format(busy, ','))
        cells = []
        for n in names:
            runs = disp[(n, chats, busy)]
            if not runs:
                cells.append('not run')
                continue
            ratio = _med(runs, 'rate') / ref[n] if ref[n] else 0.0
            cells.append('%s/s, %.1f us CPU/update%s%s' % (
                _cell(runs, 'rate', '{:,.0f}'), _med(runs, 'us_per_update'),
                '' if (chats, busy) == DISPATCH_ROWS[0] else ', **%.2f** of 10 chats' % ratio,
                '' if all(r.get('ok') for r in runs) else ' FAILED'))
        print('| %s | %s | %s |' % (label, 'reference' if (chats, busy) == DISPATCH_ROWS[0]
                                    else '>= 0.80 of 10 chats', ' | '.join(cells)))
    warm = {n: disp[(n, 100000, 1000)] + disp[(n, 100000, 100000)] for n in names}
    for label, target, key, fmt in (
            ('spawn rate (100,000 handlers, warm-up)', '>= 20,000/s', 'spawn_rate', '{:,.0f}/s'),
            ('RSS per idle handler', '<= 3 KB', 'kb_per_handler', '{:.2f} KB'),
            ('OS threads, 100,000 live handlers', '<= 64', 'threads', '{:.0f}')):
        print('| %s | %s | %s |' % (label, target,
                                    ' | '.join(_cell(warm[n], key, fmt) for n in names)))
    if args.echo_runs:
        for label, key, fmt in (('echo storm: replies/s', 'rate', '{:,.0f}'),
                                ('echo storm: bot CPU per reply', 'ms_per_reply', '{:.3f} ms')):
            print('| %s | not slower than pre-pool | %s |' % (
                label, ' | '.join(_cell(echo[n], key, fmt) for n in names)))
        print('| echo storm: every chat complete, in order | yes | %s |' % ' | '.join(
            '%d/%d runs' % (sum(1 for r in echo[n] if r['ok']), len(echo[n])) for n in names))
    print('\nlogs: %s' % os.path.relpath(logs))


COST_ROWS = [(10, 1000, 'busy chats: 10, up to 16 messages a turn'),
             (100, 100, 'one message a turn, in cache: 100 chats'),
             (100000, 1000, 'one message a turn, in no cache: 100,000 chats')]


def cost_once(path: str, chats: int, batch: int) -> dict:
    cmd = [sys.executable, os.path.join(HERE, 'bots', 'turn_cost.py'), '--chats', str(chats),
           '--batch', str(batch)]
    res = subprocess.run(cmd, capture_output=True, text=True, env=_env(path), timeout=600)
    for line in res.stdout.splitlines():
        if line.startswith('COST '):
            return json.loads(line[5:])
    raise SystemExit('turn_cost.py failed for %s: %s' % (path, res.stderr[-500:]))


def cost_section(args: argparse.Namespace) -> None:
    checkouts = [(name, os.path.abspath(path)) for name, path, _ in args.compare] + \
        [('this checkout', ROOT)]
    got: dict = {(n, c): [] for n, _ in checkouts for c, _, _ in COST_ROWS}
    for run in range(args.cost_runs):
        for chats, batch, _ in COST_ROWS:
            for name, path in checkouts:
                r = cost_once(path, chats, batch)
                got[(name, chats)].append(r)
                print('  cost     %-14s %6d chats: %.3f us/message' % (name, chats, r['us']),
                      file=sys.stderr, flush=True)
    print('\n## CPU per message, one thread on one core (bots/turn_cost.py)\n')
    print('- command: `%s`; %s UTC; the least of %d runs per cell, checkouts interleaved; '
          'us per message: all (dispatch + turns)' % (
              args.command, time.strftime('%Y-%m-%d %H:%M', time.gmtime()), args.cost_runs))
    names = [n for n, _ in checkouts]
    print('\n| messages | %s |' % ' | '.join(names))
    print('|---|%s' % ('---|' * len(names)))
    best = {k: min(v, key=lambda r: r['us']) for k, v in got.items()}
    for chats, _, label in COST_ROWS:
        print('| %s | %s |' % (label, ' | '.join(
            '%.2f (%.2f + %.2f)' % (best[(n, chats)]['us'], best[(n, chats)]['dispatch_us'],
                                    best[(n, chats)]['turns_us']) for n in names)))
    print('| busy / no cache (the dispatch target, >= 0.80, as CPU) | %s |' % ' | '.join(
        '**%.2f**' % (best[(n, 10)]['us'] / best[(n, 100000)]['us']) for n in names))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sections', default='table,cost,idle,churn',
                    help='comma-separated: table, cost, idle, churn')
    ap.add_argument('--compare', action='append', default=[], metavar='NAME=PATH[@N]',
                    help='another checkout for the table (repeatable); @N: its dispatch rows '
                         'only up to N live chats (code with a thread per handler)')
    ap.add_argument('--runs', type=int, default=3,
                    help='dispatch runs per checkout and row (0: none)')
    ap.add_argument('--echo-runs', type=int, default=3, help='echo runs per checkout (0: none)')
    ap.add_argument('--cost-runs', type=int, default=5, help='cost runs per checkout and row')
    ap.add_argument('--updates', type=int, default=100000, help='timed updates per dispatch run')
    ap.add_argument('--cap', type=float, default=20.0, help='dispatch: most seconds of feeding')
    ap.add_argument('--idle', type=int, default=100000)
    ap.add_argument('--churn', type=int, default=200000)
    ap.add_argument('--wave', type=int, default=20000)
    ap.add_argument('--churn-timeout', type=float, default=0.5)
    args = ap.parse_args()
    compare = []
    for c in args.compare:
        name, eq, path = c.partition('=')
        path, at, most = path.partition('@')
        if not eq or not name or not path or (at and not most.isdigit()):
            ap.error('--compare takes NAME=PATH or NAME=PATH@MOST_CHATS')
        compare.append((name, path, int(most) if at else 10 ** 9))
    args.compare = compare
    args.command = 'python %s' % ' '.join([os.path.relpath(sys.argv[0])] + sys.argv[1:])
    sections = [x.strip() for x in args.sections.split(',') if x.strip()]
    print('command: %s' % args.command)
    print('python %s, %d CPUs, load average before: %s' % (
        sys.version.split()[0], os.cpu_count(), loadavg()))
    if 'table' in sections:
        table_section(args)
    if 'cost' in sections:
        cost_section(args)
    if 'idle' in sections:
        idle_section(args)
    if 'churn' in sections:
        churn_section(args)
    print('\nload average after: %s' % loadavg())


if __name__ == '__main__':
    main()

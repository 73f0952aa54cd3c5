"""telepot_ng side by side with telepot, pyTelegramBotAPI, python-telegram-bot and aiogram.

    python benchmarks/run.py                                   # everything, 3 runs (~20-25 min)
    python benchmarks/run.py --peers telepot_ng,ptb --workloads echo --runs 3
    python benchmarks/run.py --scale 0.1 --runs 1              # a quick smoke check, no figures

Each library is installed into its own virtual environment under benchmarks/.venvs (made on
the first run, then reused), its bot runs in its own process, the fake Telegram server in
another, and this process only queues messages and checks the replies. Prints markdown
tables (with the command, date and machine) and writes results.json, results.md and
chart.png into benchmarks/results/<date-time>/. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, 'bots'))

import _envs  # noqa: E402
from _envs import DEFAULT_PEERS, PEERS  # noqa: E402

WORKLOADS = ['capacity', 'ceiling', 'dispatch', 'echo', 'many']
STACKS = ['http.client', 'urllib3', 'requests', 'telepot_ng']


def parse(argv: List[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog='python benchmarks/run.py',
                                 description=__doc__.split('\n')[0])
    ap.add_argument('--peers', default=','.join(DEFAULT_PEERS),
                    help='comma-separated, from: %s' % ', '.join(PEERS))
    ap.add_argument('--workloads', default=','.join(WORKLOADS),
                    help='comma-separated, from: %s' % ', '.join(WORKLOADS))
    ap.add_argument('--runs', type=int, default=3, help='runs per figure (medians need >= 3)')
    ap.add_argument('--scale', type=float, default=1.0,
                    help='multiply every message count by this (quick checks)')
    ap.add_argument('--echo-cap', type=float, default=60.0,
                    help='seconds an echo-storm run may take before it counts as unfinished')
    ap.add_argument('--many-cap', type=float, default=90.0)
    ap.add_argument('--dispatch-cap', type=float, default=20.0,
                    help='seconds of feeding (and of warm-up) in a dispatch run')
    ap.add_argument('--ceiling-seconds', type=float, default=2.0)
    ap.add_argument('--python', default=None,
                    help='interpreter for the virtual environments (default: this one)')
    ap.add_argument('--out', default=None, help='results directory')
    ap.add_argument('--no-chart', action='store_true')
    ap.add_argument('--replot', metavar='DIR', default=None,
                    help='only re-print the tables and redraw the chart of an earlier run')
    args = ap.parse_args(argv)
    args.peers = [p.strip() for p in args.peers.split(',') if p.strip()]
    args.workloads = [w.strip() for w in args.workloads.split(',') if w.strip()]
    for p in args.peers:
        if p not in PEERS:
            ap.error('unknown peer %r (known: %s)' % (p, ', '.join(PEERS)))
    for w in args.workloads:
        if w not in WORKLOADS:
            ap.error('unknown workload %r (known: %s)' % (w, ', '.join(WORKLOADS)))
    if args.runs < 1:
        ap.error('--runs must be at least 1')
    return args


def machine(python: str) -> Dict[str, Any]:
    model = ''
    try:
        with open('/proc/cpuinfo') as f:
            model = next((l.split(':', 1)[1].strip() for l in f if l.startswith('model name')), '')
    except OSError:
        pass
    mem = 0
    try:
        with open('/proc/meminfo') as f:
            mem = int(next(l for l in f if l.startswith('MemTotal')).split()[1]) // 1024
    except (OSError, StopIteration):
        pass
    return {'cpus': os.cpu_count(), 'cpu_model': model, 'memory_mb': mem, 'load': loadavg(),
            'platform': platform.platform(), 'python': _envs.python_tag(python),
            'python_full': platform.python_version()}


def loadavg() -> str:
    try:
        with open('/proc/loadavg') as f:
            return ' '.join(f.read().split()[:3])
    except OSError:
        return '?'


def say(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def main(argv: List[str]) -> None:
    args = parse(argv)
    base = args.python or os.environ.get('BENCH_BASE_PYTHON') or sys.executable
    if os.environ.get('BENCH_DRIVER') != '1':
        # Re-run this script in the benchmark's own venv (telepot_ng + matplotlib).
        python = _envs.driver_python(base)
        env = dict(os.environ, BENCH_DRIVER='1', BENCH_BASE_PYTHON=base,
                   BENCH_COMMAND=' '.join(['python', 'benchmarks/run.py'] + argv))
        os.execve(python, [python, os.path.abspath(__file__)] + argv, env)
    if args.replot:
        with open(os.path.join(args.replot, 'results.json')) as f:
            res = json.load(f)
        args.dispatch_cap = res['meta'].get('dispatch_cap', args.dispatch_cap)
        publish(res, args, args.replot)
        return
    run(args, base, os.environ.get('BENCH_COMMAND', 'python benchmarks/run.py'))


def run(args: argparse.Namespace, base: str, command: str) -> None:
    import _report
    import _workloads as W
    from _procs import FakeServer

    started = datetime.datetime.now()
    out = args.out or os.path.join(HERE, 'results', started.strftime('%Y%m%d-%H%M%S'))
    logs = os.path.join(out, 'logs')
    os.makedirs(logs, exist_ok=True)
    pythons = {name: _envs.peer_python(PEERS[name], base) for name in args.peers}
    ng_python = _envs.ensure('telepot_ng', PEERS['telepot_ng'].requirements, base) \
        if 'ceiling' in args.workloads else None
    meta = {'command': command, 'date': started.strftime('%Y-%m-%d %H:%M'),
            'dispatch_cap': args.dispatch_cap,
            'machine': machine(base), 'runs': args.runs, 'scale': args.scale,
            'peers': {n: PEERS[n].label for n in args.peers},
            'notes': {n: PEERS[n].note for n in args.peers}}
    res: Dict[str, Any] = {'meta': meta}
    # --scale shrinks (or grows) message counts; the numbers of chats stay as in issue 9
    echo_chats, echo_per = 500, max(1, round(40 * args.scale))
    many_chats = max(1, round(5000 * args.scale))
    disp_updates = max(10000, round(100000 * args.scale))

    server = FakeServer()
    say('fake Telegram server on port %d; results in %s' % (server.port, os.path.relpath(out)))
    t_start = time.time()
    try:
        if 'capacity' in args.workloads:
            server.control('configure', journal_limit=1000)
            res['capacity'] = {}
            for r in range(args.runs):
                for conns in (1, 8):
                    one = W.capacity_run(server, conns, 3.0)
                    res['capacity'].setdefault('%d' % conns, []).append(one)
                    say('capacity  %d connection(s) run %d: %s req/s' % (
                        conns, r + 1, format(one['rate'], ',.0f')))
            server.control('configure', journal_limit=None)

        if 'ceiling' in args.workloads:
            server.control('configure', journal_limit=1000)
            res['ceiling'] = {}
            for r in range(args.runs):
                for threads in (1, 4, 16):
                    for stack in STACKS:
                        one = W.ceiling_run(ng_python, server, stack, threads, args.ceiling_seconds)
                        res['ceiling'].setdefault('%s@%d' % (stack, threads), []).append(one)
                        say('ceiling   %-11s %2d thread(s) run %d: %s calls/s' % (
                            stack, threads, r + 1, format(one['rate'], ',.0f')))
            server.control('configure', journal_limit=None)

        if 'dispatch' in args.workloads:
            plan = []
            for name in args.peers:
                if name == 'aiogram-seq':
                    continue            # no polling here: the same entry point as aiogram
                if name == 'telepot_ng':
                    # 10 / 1,000 / 10,000 live chats; 10,000 live chats of which 1,000 get the
                    # updates (issue 9's "updates over 1,000 chats"), and of which only 10 do
                    # (routing cost against the number of idle handlers); 100,000 live chats
                    # with the updates to 1,000 of them and to all (issue 17)
                    plan += [(name, 10, 10), (name, 1000, 1000), (name, 10000, 10000),
                             (name, 10000, 1000), (name, 10000, 10), (name, 100000, 1000),
                             (name, 100000, 100000)]
                else:
                    plan.append((name, 1000, 1000))
            res['dispatch'] = {}
            for r in range(args.runs):
                for name, chats, busy in plan:
                    upd = disp_updates - disp_updates % busy
                    key = _report.dispatch_key(name, chats, busy)
                    one = W.dispatch_run(PEERS[name], pythons[name], server, chats, busy, upd,
                                         args.dispatch_cap, os.path.join(
                                             logs, 'dispatch-%s-%d.log' % (key.replace('/', '-'),
                                                                           r + 1)))
                    res['dispatch'].setdefault(key, []).append(one)
                    say('dispatch  %-20s run %d: %s updates/s%s' % (
                        key, r + 1, format(one.get('rate', 0), ',.0f'),
                        '' if one.get('ok') else '  FAILED'))
            res['dispatch_updates'] = disp_updates

        for workload, chats, per, timeout, cap in (
                ('echo', echo_chats, echo_per, 60.0, args.echo_cap),
                ('many', many_chats, 1, 600.0, args.many_cap)):
            if workload not in args.workloads:
                continue
            res[workload] = {}
            for r in range(args.runs):
                for name in args.peers:
                    one = W.serve_run(PEERS[name], pythons[name], server, chats, per, timeout,
                                      cap, os.path.join(logs, '%s-%s-%d.log' % (workload, name, r + 1)))
                    res[workload].setdefault(name, []).append(one)
                    say('%-9s %-12s run %d: %s replies/s in %.2f s%s' % (
                        workload, name, r + 1, format(one['rate'], ',.0f'), one['elapsed'],
                        '' if one['ok'] else '  FAILED'))
            res[workload + '_size'] = [chats, per]
    finally:
        server.close()
    meta['minutes'] = (time.time() - t_start) / 60.0
    meta['load_after'] = loadavg()
    publish(res, args, out)


def publish(res: Dict[str, Any], args: argparse.Namespace, out: str) -> None:
    """Print the tables; write results.md, results.json and chart.png into ``out``."""
    import _report
    meta = res['meta']
    lines = render(res, args)
    text = '\n'.join(lines)
    print(text)
    with open(os.path.join(out, 'results.md'), 'w') as f:
        f.write(text + '\n')
    with open(os.path.join(out, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1)
    if not args.no_chart:
        png = os.path.join(out, 'chart.png')
        m = meta['machine']
        err = _report.chart(res, png, '%s, %d CPUs, Python %s, median of %d runs' % (
            meta['date'], m['cpus'], m['python'], meta['runs']))
        say('chart: %s' % (os.path.relpath(png) if err is None else 'not drawn: ' + err))
    say('results: %s' % os.path.relpath(out))


def render(res: Dict[str, Any], args: argparse.Namespace) -> List[str]:
    import _report
    meta = res['meta']
    m = meta['machine']
    lines = ['## Benchmarks', '',
             '- command: `%s`' % meta['command'],
             '- date: %s (%.0f minutes)' % (meta['date'], meta.get('minutes', 0)),
             '- machine: %s, %d CPUs (%s), %s MB RAM; Python %s in every venv' % (
                 m['platform'], m['cpus'], m['cpu_model'] or 'unknown CPU',
                 format(m['memory_mb'], ','), m['python']),
             '- load average (1, 5, 15 min) before: %s; after: %s (other work on the machine '
             'skews every figure)' % (m['load'], meta.get('load_after', '?')),
             '- every figure: median [min–max] of %d run%s, libraries interleaved run by run; '
             'CPU and peak RSS are the bot process\'s (from /proc)' % (
                 meta['runs'], '' if meta['runs'] == 1 else 's')]
    if meta['runs'] < 3:
        lines.append('- **fewer than 3 runs: a smoke check, not a figure**')
    if meta['scale'] != 1.0:
        lines.append('- **--scale %g: workloads are not the standard ones**' % meta['scale'])
    lines += ['', 'Libraries (each in its own venv, its bot written as its docs teach):', '']
    lines += ['- %s: %s' % (meta['peers'][n], meta['notes'][n]) for n in meta['peers']]
    cap = res.get('capacity')
    if cap:
        lines += ['', 'Fake Telegram server capacity (its own process; sendMessage answered, '
                  'bench_fake_server.py clients in another process): %s' % '; '.join(
                      '%s connection%s: %s req/s' % (k, '' if k == '1' else 's',
                                                     _report._spread(v)) for k, v in cap.items())]
    if 'echo' in res:
        c, p = res['echo_size']
        lines += [''] + _report.serve_table(
            '### 1. Echo storm: %s messages queued over %s private chats (%d each), bot '
            'long-polls and answers sendMessage(chat_id, "<per-chat counter> <text>")' % (
                format(c * p, ','), format(c, ','), p), res['echo'], many=False)
    if 'dispatch' in res:
        upd = res['dispatch_updates']
        lines += [''] + _report.dispatch_table(
            '### 2. Dispatch only: %s already-received updates handed to the in-process entry '
            'point; per-chat handlers only count' % format(upd, ','), res['dispatch'], upd,
            args.dispatch_cap)
        lines += [''] + _report.delegation_table(res['dispatch'])
    if 'many' in res:
        c, _ = res['many_size']
        lines += [''] + _report.serve_table(
            '### 3. Many chats: %s chats send one message each; handlers stay alive' % format(c, ','),
            res['many'], many=True)
    if 'ceiling' in res:
        lines += ['', '### 4. HTTP ceiling: the same sendMessage loop on a bare HTTP stack '
                  '(telepot_ng\'s venv), against the same server', '']
        lines += _report.ceiling_table(res['ceiling'], [1, 4, 16])
    t = _report.targets(res)
    if t:
        lines += ['', '### Targets (issues 6 and 9)', ''] + t
    return lines


if __name__ == '__main__':
    main(sys.argv[1:])

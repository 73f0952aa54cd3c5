"""Telegram's rate limits: telepot_ng's limiter side by side with what the peers offer.

    python benchmarks/bench_ratelimit.py                      # everything, 3 runs, x10 limits
    python benchmarks/bench_ratelimit.py --peers telepot_ng --runs 1 --busy-only

Against the fake Telegram (in its own process) with Telegram's limits ON and a realistic
network latency, each library's client (in its own process and virtual environment) sends a
broadcast of 3,000 messages to 1,000 private chats plus 300 to 10 groups, the way its
documentation teaches for mass sending:

1. **broadcast**: total time against the theoretical minimum under the fake's limits, 429s
   received, messages lost, duplicated, or out of order within a chat;
2. **busy**: the same broadcast while 200 users each send 5 messages (at random moments over the
   broadcast's minimum duration) and expect an answer: reply latency p50/p99 (from the update
   being available to the reply reaching the fake), replies missing.

Telegram's limits are scaled up uniformly by ``--scale`` (default 10: 300 messages/s overall,
10/s per chat, 200/min per group; bursts unchanged) for both the fake and the clients, so a run
takes ~11 s instead of ~110 s; every figure is reported against the minimum of the same
scaled limits. Runs are interleaved (peer A, B, C, then again) and medians are printed.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)

import _envs  # noqa: E402
from _procs import stop_process  # noqa: E402

from telepot_ng.testing import FakeTelegram  # noqa: E402

PEERS = {
    'telepot_ng': ('telepot_ng (this repo): RateLimiter on by default + bot.broadcast',
                   None, None),
    'ptb': ('python-telegram-bot 22.8: AIORateLimiter(max_retries=3) + asyncio.gather',
            'ptb-rl', ('python-telegram-bot[rate-limiter]==22.8',)),
    'telebot': ('pyTelegramBotAPI 4.37.1: util.antiflood in a loop',
                'telebot', ('pyTelegramBotAPI==4.37.1',)),
    'aiogram': ('aiogram 3.31.0: a loop, sleep 1/30 s, TelegramRetryAfter -> sleep, retry',
                'aiogram', ('aiogram==3.31.0',)),
}
PRIVATE, PER_PRIVATE, GROUPS, PER_GROUP = 1000, 3, 10, 30
USERS, PER_USER = 200, 5

# the fake's defaults (telepot_ng.testing.RateLimits): Telegram's published limits
FAKE = {'chat_rate': 1.0, 'chat_burst': 3, 'group_rate': 20 / 60.0, 'group_burst': 20,
        'overall_rate': 30.0, 'overall_burst': 30, 'paid_rate': 1000.0, 'paid_burst': 1000}


def plan() -> List[List[Any]]:
    """(chat_id, text) for every broadcast message; each chat's messages spread evenly over
    the list (text ``b<chat>_<k>``: unique, and k gives the chat's order)."""
    chats = [(10000001 + i, PER_PRIVATE) for i in range(PRIVATE)] + \
            [(-1000000001 - i, PER_GROUP) for i in range(GROUPS)]
    keyed = []
    for chat, n in chats:
        for k in range(n):
            keyed.append(((k + 0.5) / n, chat, k))
    keyed.sort()
    return [[chat, 'b%d_%d' % (chat, k)] for _, chat, k in keyed]


def fake_limits(scale: float) -> Dict[str, float]:
    return {k: (v * scale if k.endswith('_rate') else v) for k, v in FAKE.items()}


def minimum(n_messages: int, scale: float) -> float:
    """Seconds the fake's overall limit needs for ``n_messages`` (its burst goes at once).
    The per-chat and per-group limits allow this plan in less (groups: ~9 s at x10)."""
    lim = fake_limits(scale)
    return max(0.0, (n_messages - lim['overall_burst']) / lim['overall_rate'])


def pct(values: List[float], q: float) -> float:
    if not values:
        return float('nan')
    values = sorted(values)
    i = min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))
    return values[i]


def client_cmd(peer: str, python: str) -> List[str]:
    return [python, os.path.join(HERE, 'bots', 'rl_%s.py' % peer)]


def run_once(peer: str, python: str, args: argparse.Namespace, busy: bool, seed: int,
             plan_path: str, items: List[List[Any]], log) -> Dict[str, Any]:
    scale = args.scale
    out: Dict[str, Any] = {'peer': peer, 'busy': busy}
    with FakeTelegram(process=True, rate_limits=fake_limits(scale), latency=args.latency,
                      jitter=args.jitter, seed=seed) as tg:
        users = [tg.user('U%d' % i) for i in range(USERS)] if busy else []
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.path.join(HERE, 'bots')]))
        cmd = client_cmd(peer, python) + ['--api', tg.base_url, '--token', tg.token,
                                          '--plan', plan_path, '--scale', str(scale)]
        if busy:
            cmd.append('--busy')
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=log, text=True, env=env, cwd=os.path.join(HERE, 'bots'))
        try:
            line = proc.stdout.readline()
            if line.strip() != 'READY':
                raise SystemExit('%s did not start: %r (see the log)' % (peer, line))
            mark = tg.mark()
            said: List[str] = []
            talker = None
            if busy:
                rng = random.Random(seed)
                span = minimum(len(items), scale) * 0.9
                schedule = sorted((rng.uniform(0, span), u, j) for u in range(USERS)
                                  for j in range(PER_USER))

                def talk() -> None:
                    t0 = time.monotonic()
                    for at, u, j in schedule:
                        delay = t0 + at - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                        text = 'u%dm%d' % (u, j)
                        users[u].says(text)
                        said.append(text)
                talker = threading.Thread(target=talk, name='bench-users', daemon=True)
            proc.stdin.write('GO\n')
            proc.stdin.flush()
            if talker is not None:
                talker.start()
            deadline = time.monotonic() + args.cap
            result = None
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                if not line:
                    break
                if line.startswith('RESULT '):
                    result = json.loads(line[7:])
                    break
            out['client'] = result
            out['finished'] = result is not None
            if talker is not None:
                talker.join(args.cap)
                want = {'r ' + t for t in said}
                end = time.monotonic() + 30
                while time.monotonic() < end:
                    got = {c.text for c in tg.sent('sendMessage', since=mark)
                           if (c.text or '').startswith('r ')}
                    if want <= got:
                        break
                    time.sleep(0.5)
        finally:
            stop_process(proc)
        calls = tg.requests('sendMessage', since=mark)
        limited = tg.rate_limited()
        updates = tg.updates() if busy else []
    # -- figures
    ok = [c for c in calls if c.ok]
    bcast = [c for c in calls if (c.text or '').startswith('b')]
    bok = [c for c in ok if (c.text or '').startswith('b')]
    per_text: Dict[str, int] = {}
    for c in bok:
        per_text[c.text] = per_text.get(c.text, 0) + 1
    texts = {t for _, t in items}
    out['sent_ok'] = len(bok)
    out['lost'] = len(texts - set(per_text))
    out['duplicated'] = sum(n - 1 for n in per_text.values() if n > 1)
    order_bad = 0
    last: Dict[Any, int] = {}
    for c in sorted(bok, key=lambda c: c.seq):
        k = int(c.text.split('_')[1])
        if k < last.get(c.chat_id, -1):
            order_bad += 1
        last[c.chat_id] = k
    out['out_of_order'] = order_bad
    out['429s'] = limited['total']
    out['429s_by_scope'] = limited['by_scope']
    if bcast:
        first = min(c.time for c in bcast)
        end = max(c.time for c in bok) if bok else first
        out['span'] = end - first
        replies_in = [c for c in ok if (c.text or '').startswith('r ') and first <= c.time <= end]
        out['minimum'] = minimum(len(items) + len(replies_in), scale)
        out['vs_minimum'] = out['span'] / out['minimum'] if out['minimum'] else float('nan')
    if busy:
        asked = {}
        for rec in updates:
            msg = rec['update'].get('message') or {}
            if msg.get('text', '').startswith('u'):
                asked[msg['text']] = rec['time']
        answered: Dict[str, float] = {}
        for c in ok:
            if (c.text or '').startswith('r ') and c.text[2:] not in answered:
                answered[c.text[2:]] = c.time
        lat = [answered[t] - asked[t] for t in asked if t in answered]
        out['replies_missing'] = len(set(asked) - set(answered))
        out['reply_p50'] = pct(lat, 0.5)
        out['reply_p99'] = pct(lat, 0.99)
        out['reply_max'] = max(lat) if lat else float('nan')
    return out


def med(runs: List[Dict[str, Any]], key: str) -> float:
    vals = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    return statistics.median(vals) if vals else float('nan')


def table(results: List[Dict[str, Any]], peers: List[str], busy: bool, cap: float) -> str:
    rows = ['| library | runs | broadcast time (s) | minimum (s) | time / minimum | 429s | '
            'not delivered | duplicated | out of order |' + (' reply p50 (s) | reply p99 (s) | replies missing |'
                                               if busy else ''),
            '|---|---|---|---|---|---|---|---|---|' + ('---|---|---|' if busy else '')]
    for p in peers:
        runs = [r for r in results if r['peer'] == p and r['busy'] == busy]
        if not runs:
            continue
        capped = sum(1 for r in runs if not r.get('finished'))
        row = '| %s | %d | %.1f%s | %.1f | %.3f | %d | %d | %d | %d |' % (
            PEERS[p][0], len(runs), med(runs, 'span'),
            ' (stopped at the %g s cap in %d run%s)' % (cap, capped, 's' if capped > 1 else '')
            if capped else '', med(runs, 'minimum'),
            med(runs, 'vs_minimum'), med(runs, '429s'), med(runs, 'lost'),
            med(runs, 'duplicated'), med(runs, 'out_of_order'))
        if busy:
            row += ' %.3f | %.3f | %d |' % (med(runs, 'reply_p50'), med(runs, 'reply_p99'),
                                           med(runs, 'replies_missing'))
        rows.append(row)
    return '\n'.join(rows)


def main(argv: List[str] = None) -> int:
    ap = argparse.ArgumentParser(prog='python benchmarks/bench_ratelimit.py',
                                 description=__doc__.split('\n')[0])
    ap.add_argument('--peers', default=','.join(PEERS))
    ap.add_argument('--runs', type=int, default=3, help='runs of telepot_ng per workload')
    ap.add_argument('--peer-runs', type=int, default=1,
                    help='runs of each other library per workload (theirs are long: the '
                         'sequential ones need ~200 s a run)')
    ap.add_argument('--scale', type=float, default=10.0,
                    help='multiply Telegram\'s rates by this, for the fake and the clients')
    ap.add_argument('--latency', type=float, default=0.05, help='seconds per Bot API answer')
    ap.add_argument('--jitter', type=float, default=0.02, help='± seconds on the latency')
    ap.add_argument('--cap', type=float, default=240.0,
                    help='seconds a broadcast may take; what is not delivered by then counts '
                         'as not delivered (the table says so)')
    ap.add_argument('--broadcast-only', action='store_true')
    ap.add_argument('--busy-only', action='store_true')
    ap.add_argument('--python', default=sys.executable)
    ap.add_argument('--out', default=None)
    args = ap.parse_args(argv)
    peers = [p.strip() for p in args.peers.split(',') if p.strip()]
    for p in peers:
        if p not in PEERS:
            ap.error('unknown peer %r (known: %s)' % (p, ', '.join(PEERS)))
    modes = [False, True]
    if args.broadcast_only:
        modes = [False]
    if args.busy_only:
        modes = [True]
    stamp = datetime.datetime.utcnow().strftime('%Y%m%d-%H%M%S')
    out_dir = args.out or os.path.join(HERE, 'results', 'ratelimit-' + stamp)
    os.makedirs(out_dir, exist_ok=True)
    log = open(os.path.join(out_dir, 'clients.log'), 'a')
    pythons = {}
    for p in peers:
        env, reqs = PEERS[p][1], PEERS[p][2]
        pythons[p] = args.python if env is None else _envs.ensure(env, reqs, args.python)
    items = plan()
    plan_path = os.path.join(out_dir, 'plan.json')
    with open(plan_path, 'w') as f:
        json.dump(items, f)
    command = 'python benchmarks/bench_ratelimit.py ' + ' '.join(argv or sys.argv[1:])
    print('# %s\n\n%s UTC, %s, %d CPUs, load average %s\n' % (
        command.strip(), stamp, platform.platform(), os.cpu_count(),
        ' '.join('%.2f' % x for x in os.getloadavg())))
    print('Fake Telegram (own process) with limits x%g: %s; latency %.3g s ± %.3g s. '
          'Broadcast: %d messages to %d private chats (%d each) + %d to %d groups (%d each)%s.\n'
          % (args.scale, fake_limits(args.scale), args.latency, args.jitter, len(items),
             PRIVATE, PER_PRIVATE, GROUPS * PER_GROUP, GROUPS, PER_GROUP,
             '' if modes == [False] else '; busy: %d users x %d messages during it'
             % (USERS, PER_USER)))
    results = []
    for run in range(max(args.runs, args.peer_runs)):
        for busy in modes:
            for p in peers:
                if run >= (args.runs if p == 'telepot_ng' else args.peer_runs):
                    continue
                t0 = time.monotonic()
                r = run_once(p, pythons[p], args, busy, seed=run, plan_path=plan_path,
                             items=items, log=log)
                r['wall'] = time.monotonic() - t0
                results.append(r)
                print('  run %d %-10s %-9s span %.1f s (min %.1f), 429s %d, lost %d, dup %d%s'
                      % (run + 1, p, 'busy' if busy else 'broadcast', r.get('span', 0),
                         r.get('minimum', 0), r['429s'], r['lost'], r['duplicated'],
                         ', reply p50 %.3f p99 %.3f missing %d' % (
                             r['reply_p50'], r['reply_p99'], r['replies_missing'])
                         if busy else ''), file=sys.stderr, flush=True)
                with open(os.path.join(out_dir, 'results.json'), 'w') as f:
                    json.dump(results, f, indent=1)
    text = []
    for busy in modes:
        text.append('## %s\n\n%s\n' % (
            'Busy bot: the broadcast while %d users x %d messages expect replies'
            % (USERS, PER_USER) if busy else 'Broadcast alone', table(results, peers, busy, args.cap)))
    text.append('Medians of the runs shown, interleaved (telepot_ng %d, the others %d). Time: '
                'first broadcast request to last '
                'delivered one, on the fake\'s clock; minimum: (messages - overall burst) / '
                'overall rate, replies sent meanwhile included. Reply latency: the update '
                'available to the reply reaching the fake.' % (args.runs, args.peer_runs))
    print('\n'.join(text))
    with open(os.path.join(out_dir, 'results.md'), 'w') as f:
        f.write('# %s\n\n' % command.strip() + '\n'.join(text) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())

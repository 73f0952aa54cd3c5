"""One run of each workload, returning a dict of figures (``ok`` False when a run broke the
rules: a reply missing, twice or out of order, or the run not finishing in its time cap)."""
from __future__ import annotations

import collections
import json
import multiprocessing
import os
import statistics
import subprocess
import time
from typing import Any, Dict, List

import _harness
from _envs import HERE, Peer
from _procs import Bot, FakeServer, Sampler, machine_busy, proc_stats
from bench_fake_server import TOKEN, _client_process


# -- echo storm and many chats: a long-polling bot against the fake server -----------------------

def check_replies(calls: List[Dict[str, Any]], chats: List[int],
                  per_chat: int, every: int = 1) -> Dict[str, int]:
    """Compare each chat's replies, in the order the server received them, with
    ``expected_reply(1..per_chat)``."""
    got: Dict[Any, List[str]] = collections.defaultdict(list)
    for c in calls:
        got[c.get('chat_id')].append(c['params'].get('text'))
    wanted = [_harness.expected_reply(k) for k in range(every, per_chat + 1, every)]
    out = {'received': len(calls), 'missing': 0, 'duplicates': 0, 'out_of_order': 0,
           'wrong': 0, 'bad_chats': 0, 'not_prefix': 0}
    known = set(chats)
    for chat in chats:
        replies = got.get(chat, [])
        if replies == wanted:
            continue
        out['bad_chats'] += 1
        if replies != wanted[:len(replies)]:
            out['not_prefix'] += 1          # something wrong besides replies still to come
        counts = collections.Counter(replies)
        out['missing'] += sum(1 for w in wanted if w not in counts)
        out['duplicates'] += sum(n - 1 for n in counts.values() if n > 1)
        out['wrong'] += sum(n for r, n in counts.items() if r not in wanted)
        seen = [r for r in replies if r in wanted]
        out['out_of_order'] += sum(1 for a, b in zip(seen, seen[1:])
                                   if wanted.index(a) > wanted.index(b))
    out['wrong'] += sum(len(v) for k, v in got.items() if k not in known)
    return out


def serve_run(peer: Peer, python: str, server: FakeServer, chats: int, per_chat: int,
              handler_timeout: float, cap: float, log_path: str,
              every: int = 1) -> Dict[str, Any]:
    """Queue ``chats * per_chat`` messages, let the bot poll, time until every reply arrived
    (``every``: the bot answers only each chat's every-th message; the rate is still
    messages/s)."""
    server.control('reset')
    ids = _harness.chat_ids(chats)
    updates = _harness.storm(ids, per_chat)
    for u in updates:
        del u['update_id']                      # the server numbers them
    total = len(updates)
    answers = chats * (per_chat // every)
    args = ['--mode', 'serve', '--api', server.api, '--token', TOKEN,
            '--handler-timeout', str(handler_timeout), '--answer-every', str(every)]
    if peer.variant:
        args += ['--variant', peer.variant]
    bot = Bot(python, peer.bot, args, log_path)
    try:
        bot.wait_ready()
        ready = proc_stats(bot.pid)
        server.push(updates)
        since = server.control('counters')['seq']
        bot0, srv0, all0 = proc_stats(bot.pid), proc_stats(server.proc.pid), machine_busy()
        sampler = Sampler(bot.pid)
        t0 = time.time()
        bot.go()
        complete, calls = server.wait_calls('sendMessage', answers, since, t0 + cap)
        bot1, srv1, all1 = proc_stats(bot.pid), proc_stats(server.proc.pid), machine_busy()
        threads = sampler.stop()
        alive = bot.proc.poll() is None
    finally:
        bot.close()
    end = max((c['time'] for c in calls), default=t0) if complete else t0 + cap
    elapsed = max(end - t0, 1e-9)
    check = check_replies(calls, ids, per_chat, every)
    in_order = check['not_prefix'] == 0 and check['wrong'] == 0
    ok = complete and alive and check['bad_chats'] == 0 and check['wrong'] == 0
    with open(log_path, errors='replace') as f:
        problems = sum(1 for line in f if 'WARNING' in line or 'ERROR' in line
                       or line.startswith('Traceback'))
    return {'ok': ok, 'complete': complete, 'crashed': not alive, 'total': total,
            'in_order_but_unfinished': not complete and alive and in_order,
            'log_problems': problems,
            'elapsed': elapsed, 'rate': len(calls) * every / elapsed,
            'cpu': bot1['cpu'] - bot0['cpu'], 'peak_rss_kb': bot1['peak_rss_kb'],
            'ready_rss_kb': ready['rss_kb'],
            'threads': threads, 'server_cpu': srv1['cpu'] - srv0['cpu'],
            'other_cpu': max(0.0, (all1 - all0) - (bot1['cpu'] - bot0['cpu'])
                             - (srv1['cpu'] - srv0['cpu'])), **check,
            'log': os.path.relpath(log_path, HERE) if os.path.getsize(log_path) else ''}


# -- dispatch only: the library's in-process entry point --------------------------------------------

def dispatch_run(peer: Peer, python: str, server: FakeServer, chats: int, busy: int,
                 updates: int, cap: float, log_path: str) -> Dict[str, Any]:
    args = ['--mode', 'dispatch', '--api', server.api, '--token', TOKEN, '--chats', str(chats),
            '--busy-chats', str(busy), '--updates', str(updates), '--cap', str(cap)]
    if peer.variant:
        args += ['--variant', peer.variant]
    bot = Bot(python, peer.bot, args, log_path)
    try:
        line = bot.result_line(2 * cap + 180)
    finally:
        bot.close()
    if line is None:
        return {'ok': False, 'complete': False, 'rate': 0.0, 'error': 'no result',
                'log': os.path.relpath(log_path, HERE)}
    r = json.loads(line)
    r['ok'] = r['complete'] and r['warm_complete'] and r['violations'] == 0
    r['in_order_but_unfinished'] = not r['ok'] and r['violations'] == 0
    r['log'] = os.path.relpath(log_path, HERE) if os.path.getsize(log_path) else ''
    return r


# -- HTTP ceiling ------------------------------------------------------------------------------------

def ceiling_run(python: str, server: FakeServer, stack: str, threads: int,
                seconds: float) -> Dict[str, Any]:
    cmd = [python, os.path.join(HERE, 'http_ceiling.py'), '--api', server.api, '--token', TOKEN,
           '--stack', stack, '--threads', str(threads), '--seconds', str(seconds)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120)
    for line in res.stdout.splitlines():
        if line.startswith('RESULT '):
            r = json.loads(line[7:])
            r['ok'] = True
            return r
    return {'ok': False, 'rate': 0.0, 'error': res.stderr[-500:]}


# -- the fake server's own capacity (bench_fake_server.py's clients) ------------------------------

def capacity_run(server: FakeServer, connections: int, seconds: float) -> Dict[str, Any]:
    """sendMessage requests/s the server answers to ``connections`` keep-alive connections
    driven by another process (``bench_fake_server._client_process``)."""
    results: multiprocessing.Queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_client_process,
                                   args=(server.port, connections, seconds, results))
    srv0 = proc_stats(server.proc.pid)
    proc.start()
    total = results.get(timeout=seconds + 60)
    proc.join()
    srv1 = proc_stats(server.proc.pid)
    return {'ok': True, 'rate': total / seconds, 'server_cpu': srv1['cpu'] - srv0['cpu']}


def summary(values: List[float]) -> Dict[str, float]:
    return {'median': statistics.median(values), 'min': min(values), 'max': max(values)}

"""The cluster (issue 18): scaling over worker processes, the cost of going through Redis,
and failover after a SIGKILL -- real redis-server, real processes, the fake Telegram in its own.

Run:  python benchmarks/bench_cluster.py                       (all three, 3 runs each, ~6 min)
      python benchmarks/bench_cluster.py --only failover --runs 5

Every process runs this same module as its bot (``python -m telepot_ng.cluster worker
bench_cluster:make``, from benchmarks/): a ``DelegatorBot`` with one ``ChatHandler`` per chat
keeping its counter in ``self.state``, ``rate_limits=None`` (the cluster's pace, not
Telegram's).  A handler appends ``pid chat update_id count_before redelivered time_us`` to a
log (one ``os.write`` on an O_APPEND file: whole lines, even across a SIGKILL).

1. **scaling** -- 1, 2 and 4 worker processes and one ingress; each message burns ``--work-ms``
   (2 ms) of CPU in the handler.  ``--scale-updates`` updates over ``--chats`` chats are pushed
   once the workers share the partitions evenly.  Figures: updates/s from the first handled
   update to the last, and the per-chat check (each chat's updates handled in update_id order,
   each exactly once, its counter never skipping).  The box has 2 cores, and the ingress, the
   fake and Redis run on them too: that caps the scaling, not the cluster.
2. **echo** -- an echo storm (every message answered with sendMessage, the counter in the
   text) through ingress + 2 workers, against the single-process bot (the same bot on a
   ``MessageLoop``) with no store and with its SQLite store; runs interleaved.  Figures:
   replies/s (push to last reply), CPU per update of all the bot's processes (ingress,
   workers and redis-server for the cluster), and latency with no queue: ``--paced``
   messages pushed one at a time at ``--pace``/s, each from its push to its reply (the fake's
   clock), median and p95.
3. **failover** -- 2 workers (``--lease-ttl``, default 5 s), a ``--failover-updates`` storm
   (20,000) over ``--chats`` chats; once a quarter is handled, one worker is SIGKILLed.
   Figures: lost (never handled), handled twice with different counts (a finished update
   handled again), per-chat order of first deliveries, each chat's saved counter, updates
   delivered again (at least once across a crash: what the dead worker had not marked
   done), and for each partition the dead worker held, the time from the kill to its first
   handled update on the survivor; target: at most the lease time + 1 s.

Prints the command, the machine and load average before and after, each run, and the medians.
"""
from __future__ import annotations

import argparse
import collections
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# -- the bot (every process of a run imports this module) ----------------------------------------

def make(store: Any = 'cluster') -> Any:
    """The benchmark bot, configured by ``BENCH_*`` environment variables; its store is the
    cluster store at ``BENCH_REDIS`` unless given (None: no store, a path: SQLite)."""
    import telepot_ng
    from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
    from telepot_ng.helper import ChatHandler
    from telepot_ng.testing import DEFAULT_TOKEN

    echo = os.environ.get('BENCH_MODE') == 'echo'
    work = float(os.environ.get('BENCH_WORK_MS', '0')) / 1000.0
    log = os.environ.get('BENCH_LOG')
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if log else None
    pid = os.getpid()

    class Handler(ChatHandler):
        def on_chat_message(self, msg):
            n = self.state.get('n', 0)
            if work:
                end = time.process_time() + work
                while time.process_time() < end:
                    pass
            if echo:
                self.sender.sendMessage('%d %s' % (n + 1, msg['text']))
            if fd is not None:
                os.write(fd, b'%d %d %d %d %d %d\n' % (
                    pid, msg['chat']['id'], msg.update_id, n, msg.redelivered,
                    time.time_ns() // 1000))
            self.state['n'] = n + 1

    if store == 'cluster':
        from telepot_ng.cluster.store import ClusterStore
        store = ClusterStore.from_url(os.environ['BENCH_REDIS'],
                                      partitions=int(os.environ['BENCH_PARTITIONS']))
    return telepot_ng.DelegatorBot(
        DEFAULT_TOKEN, [pave_event_space()(per_chat_id(), create_open, Handler, timeout=600)],
        base_url=os.environ['BENCH_API'], store=store, rate_limits=None)


def single_main(store: str) -> None:
    """The single-process bot: the same bot on a MessageLoop (``store``: '' or a file)."""
    from telepot_ng.loop import MessageLoop
    bot = make(store or None)
    loop = MessageLoop(bot)
    loop.run_as_thread(timeout=5)
    print('READY', flush=True)
    sys.stdin.readline()
    loop.stop()
    bot.stop(10)


# -- the driver ----------------------------------------------------------------------------------

def loadavg() -> str:
    return ' '.join('%.1f' % x for x in os.getloadavg())


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process so far (0 once it is gone)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
    except (OSError, IndexError, ValueError):
        return 0.0


def message(chat: int, i: int, text: str) -> Dict[str, Any]:
    return {'message': {'message_id': i + 1, 'date': 1700000000, 'text': text,
                        'chat': {'id': chat, 'type': 'private', 'first_name': 'U'},
                        'from': {'id': chat, 'is_bot': False, 'first_name': 'U'}}}


def updates(n: int, chats: int, tag: str = 'm') -> List[Dict[str, Any]]:
    return [message(5000 + i % chats, i, '%s%d' % (tag, i)) for i in range(n)]


def push(tg: Any, ups: List[Dict[str, Any]]) -> List[int]:
    ids: List[int] = []
    for i in range(0, len(ups), 2000):
        ids += tg.push_updates(ups[i:i + 2000])
    return ids


class Run:
    """The processes of one cluster run: workers and an ingress on a fresh namespace."""

    def __init__(self, redis_srv: Any, api: str, tmp: str, partitions: int,
                 mode: str = 'count', work_ms: float = 0.0, lease_ttl: float = 5.0) -> None:
        import redis
        self.redis_srv = redis_srv
        self.r = redis.Redis.from_url(redis_srv.url)
        self.r.flushall()
        self.partitions = partitions
        self.lease_ttl = lease_ttl
        self.log = os.path.join(tmp, 'log-%d' % time.monotonic_ns())
        self.env = dict(os.environ, BENCH_REDIS=redis_srv.url, BENCH_API=api, BENCH_LOG=self.log,
                        BENCH_PARTITIONS=str(partitions), BENCH_MODE=mode,
                        BENCH_WORK_MS=str(work_ms),
                        PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        if mode == 'echo':
            del self.env['BENCH_LOG']
        self.workers: List[subprocess.Popen] = []
        self.ingress: Optional[subprocess.Popen] = None
        from telepot_ng.cluster._keys import Keys
        from telepot_ng.testing import DEFAULT_TOKEN
        self.keys = Keys('telepot_ng:%s' % DEFAULT_TOKEN.split(':')[0])

    def _spawn(self, *args: str) -> List[subprocess.Popen]:
        return [subprocess.Popen([sys.executable, '-m', 'telepot_ng.cluster', '--log-level',
                                  'ERROR'] + list(args), cwd=HERE, env=self.env,
                                 stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)]

    @staticmethod
    def _ready(procs: List[subprocess.Popen]) -> None:
        for p in procs:
            line = p.stdout.readline()
            if not line.startswith(b'READY'):
                raise SystemExit('a cluster process did not start (exit %s)' % p.poll())

    def start(self, workers: int) -> None:
        procs: List[subprocess.Popen] = []
        for _ in range(workers):
            procs += self._spawn('worker', 'bench_cluster:make', '--lease-ttl',
                                 str(self.lease_ttl))
        self._ready(procs)
        self.workers = procs
        ing = self._spawn('ingress', 'bench_cluster:make', '--poll-timeout', '5')
        self._ready(ing)
        self.ingress = ing[0]
        self.wait_balanced()

    def owners(self) -> Dict[int, Optional[int]]:
        """partition -> pid of the worker holding its lease (None: free)."""
        out: Dict[int, Optional[int]] = {}
        for p in range(self.partitions):
            v = self.r.get(self.keys.lease(p))
            out[p] = int(v.decode().split('|')[0].rsplit('-', 2)[1]) if v else None
        return out

    def wait_balanced(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        pids = {p.pid for p in self.workers}
        while True:
            owners = self.owners()
            counts = collections.Counter(owners.values())
            if None not in counts and set(counts) == pids and \
                    max(counts.values()) - min(counts.values()) <= 1:
                return
            if time.monotonic() > deadline:
                raise SystemExit('the workers did not share the partitions: %r' % counts)
            time.sleep(0.05)

    def procs(self) -> Dict[str, List[int]]:
        """pids whose CPU is the cluster's, by role."""
        return {'ingress': [self.ingress.pid] if self.ingress else [],
                'workers': [p.pid for p in self.workers], 'redis': [self.redis_srv.proc.pid]}

    def rows(self) -> List[Tuple[int, ...]]:
        if not os.path.exists(self.log):
            return []
        with open(self.log, 'rb') as f:
            return [tuple(int(x) for x in line.split()) for line in f
                    if line.endswith(b'\n') and len(line.split()) == 6]

    def handled(self) -> int:
        return len({r[2] for r in self.rows()})

    def wait_handled(self, n: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.handled() < n:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        everyone = self.workers + ([self.ingress] if self.ingress else [])
        for p in everyone:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in everyone:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
            p.stdout.close()
        self.r.close()


def check(rows: List[Tuple[int, ...]], ids: List[int], chats: int) -> Dict[str, int]:
    """The guarantees, from the delivery log: lost, finished-twice, chats out of order."""
    by_uid: Dict[int, List[Tuple[int, ...]]] = collections.defaultdict(list)
    for row in rows:
        by_uid[row[2]].append(row)
    lost = sum(1 for u in ids if u not in by_uid)
    twice = sum(1 for rs in by_uid.values() if len({r[3] for r in rs}) > 1)
    per_chat: Dict[int, List[Tuple[int, int]]] = collections.defaultdict(list)
    seen = set()
    for row in rows:
        if row[2] not in seen:              # first deliveries, in the order they were handled
            seen.add(row[2])
            per_chat[row[1]].append((row[2], row[3]))
    disorder = sum(1 for got in per_chat.values()
                   if [u for u, _ in got] != sorted(u for u, _ in got)
                   or [n for _, n in got] != list(range(len(got))))
    return {'lost': lost, 'twice': twice, 'disorder': disorder,
            'again': sum(len(rs) - 1 for rs in by_uid.values()),
            'chats': len(per_chat) if len(per_chat) != chats else 0}


def verdict(c: Dict[str, int]) -> str:
    bad = ['%s %d' % (k, v) for k, v in (('lost', c['lost']), ('finished twice', c['twice']),
                                          ('chats out of order', c['disorder']),
                                          ('wrong chat count', c['chats'])) if v]
    return 'ok' if not bad else 'FAILED: ' + ', '.join(bad)


def med(values: List[float], fmt: str = '{:,.0f}') -> str:
    if not values:
        return '-'
    if len(values) == 1:
        return fmt.format(values[0])
    return '%s (%s-%s)' % (fmt.format(statistics.median(values)), fmt.format(min(values)),
                           fmt.format(max(values)))


# -- 1. scaling -----------------------------------------------------------------------------------

def scaling(a: Any, srv: Any, tg: Any, tmp: str) -> List[str]:
    res: Dict[int, List[Dict[str, Any]]] = {k: [] for k in (1, 2, 4)}
    for r in range(a.runs):
        order = [1, 2, 4] if r % 2 == 0 else [4, 2, 1]
        for k in order:
            tg.reset()
            run = Run(srv, tg.base_url, tmp, a.partitions, work_ms=a.work_ms,
                      lease_ttl=a.lease_ttl)
            try:
                run.start(k)
                ids = push(tg, updates(a.scale_updates, a.chats))
                complete = run.wait_handled(len(ids), 300)
                rows = run.rows()
            finally:
                run.close()
            t = sorted(row[5] for row in rows)
            rate = (len(t) - 1) / ((t[-1] - t[0]) / 1e6) if len(t) > 1 else 0.0
            c = check(rows, ids, a.chats)
            res[k].append({'rate': rate, 'check': c, 'complete': complete})
            print('  scaling run %d, %d worker(s): %8.0f updates/s  %s' % (
                r + 1, k, rate, verdict(c)), flush=True)
    one = statistics.median(x['rate'] for x in res[1])
    lines = ['| workers | updates/s | vs 1 worker | per-chat order, exactly once |',
             '|---|---|---|---|']
    for k, runs in res.items():
        rates = [x['rate'] for x in runs]
        ok = all(verdict(x['check']) == 'ok' and x['complete'] for x in runs)
        lines.append('| %d | %s | %.2fx | %s |' % (
            k, med(rates), statistics.median(rates) / one,
            'ok, %d runs' % len(runs) if ok else
            '; '.join(verdict(x['check']) for x in runs)))
    return lines


# -- 2. echo: cluster against one process ---------------------------------------------------------

class Single:
    """The single-process bot (``store``: '' for none, or an SQLite file)."""

    def __init__(self, api: str, store: str) -> None:
        env = dict(os.environ, BENCH_API=api, BENCH_MODE='echo',
                   PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        env.pop('BENCH_LOG', None)
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), '--single',
                                      store], env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=HERE)
        if not self.proc.stdout.readline().startswith(b'READY'):
            raise SystemExit('the single-process bot did not start')

    def procs(self) -> Dict[str, List[int]]:
        return {'bot': [self.proc.pid]}

    def close(self) -> None:
        try:
            self.proc.stdin.write(b'STOP\n')
            self.proc.stdin.flush()
            self.proc.wait(30)
        except Exception:
            self.proc.kill()
            self.proc.wait(5)
        self.proc.stdin.close()
        self.proc.stdout.close()


def echo_once(tg: Any, bot: Any, n: int, chats: int, paced: int, pace: float) -> Dict[str, Any]:
    tg.wait_polling(30)
    mark = tg.mark()
    roles = bot.procs()
    cpu0 = {role: sum(map(cpu_of, pids)) for role, pids in roles.items()}
    t0 = time.time()
    push(tg, updates(n, chats, 's'))
    calls = tg.wait_for_sent('sendMessage', count=n, since=mark, timeout=300)
    wall = max(c.time for c in calls) - t0
    parts = {role: 1000 * (sum(map(cpu_of, pids)) - cpu0[role]) / n
             for role, pids in roles.items()}
    per_chat: Dict[Any, List[str]] = collections.defaultdict(list)
    for c in calls:
        per_chat[c.chat_id].append(c.text)
    bad = 0
    for texts in per_chat.values():
        nums = [int(t.split()[0]) for t in texts]
        order = [int(t.split()[1][1:]) for t in texts]
        bad += nums != list(range(1, len(nums) + 1)) or order != sorted(order)
    # latency with no queue: one message at a time, each to a chat of its own
    mark = tg.mark()
    for i in range(paced):
        tg.push_updates([message(900000 + i, 0, 'p%d' % i)])
        time.sleep(1.0 / pace)
    replies = tg.wait_for_sent('sendMessage', count=paced, since=mark, timeout=120)
    pushed = {rec['update']['message']['text']: rec['time'] for rec in tg.updates(since=mark)
              if 'message' in rec.get('update', {})}
    lat = sorted((c.time - pushed[c.text.split()[1]]) * 1000 for c in replies)
    return {'rate': n / wall, 'cpu_ms': sum(parts.values()), 'parts': parts,
            'bad': bad + (len(calls) != n),
            'p50': statistics.median(lat), 'p95': lat[int(0.95 * (len(lat) - 1))]}


def echo(a: Any, srv: Any, tg: Any, tmp: str) -> List[str]:
    variants = ['cluster', 'single, no store', 'single, SQLite store']
    res: Dict[str, List[Dict[str, Any]]] = {v: [] for v in variants}
    for r in range(a.runs):
        for v in variants[r % 3:] + variants[:r % 3]:
            tg.reset()
            bot: Any
            if v == 'cluster':
                bot = Run(srv, tg.base_url, tmp, a.partitions, mode='echo',
                          lease_ttl=a.lease_ttl)
                try:
                    bot.start(2)
                except BaseException:
                    bot.close()
                    raise
            else:
                store = os.path.join(tmp, 'single-%d.sqlite3' % r) if 'SQLite' in v else ''
                bot = Single(tg.base_url, store)
            try:
                out = echo_once(tg, bot, a.echo_updates, a.chats, a.paced, a.pace)
            finally:
                bot.close()
            res[v].append(out)
            print('  echo run %d, %-21s %6.0f replies/s  %.3f ms CPU/update (%s)  latency p50 '
                  '%.1f ms p95 %.1f ms  %s' % (
                      r + 1, v + ':', out['rate'], out['cpu_ms'],
                      ', '.join('%s %.3f' % kv for kv in out['parts'].items()), out['p50'],
                      out['p95'], 'ok' if not out['bad'] else 'FAILED'), flush=True)
    lines = ['| bot | replies/s | CPU per update, ms (all its processes) | latency p50, ms | '
             'latency p95, ms | replies in order, counters right |', '|---|---|---|---|---|---|']
    for v in variants:
        runs = res[v]
        lines.append('| %s | %s | %s | %s | %s | %s |' % (
            v, med([x['rate'] for x in runs]), med([x['cpu_ms'] for x in runs], '{:.3f}'),
            med([x['p50'] for x in runs], '{:.1f}'), med([x['p95'] for x in runs], '{:.1f}'),
            'ok, %d runs' % len(runs) if not any(x['bad'] for x in runs) else 'FAILED'))
    lines.append('')
    lines.append('cluster CPU per update by process, ms: ' + ', '.join(
        '%s %.3f' % (role, statistics.median(x['parts'][role] for x in res['cluster']))
        for role in ('ingress', 'workers', 'redis')) + ' (the 2 workers together)')
    cl = {k: statistics.median(x[k] for x in res['cluster']) for k in ('cpu_ms', 'p50', 'rate')}
    for v in variants[1:]:
        s = {k: statistics.median(x[k] for x in res[v]) for k in ('cpu_ms', 'p50', 'rate')}
        lines.append('')
        lines.append('cluster against %s: +%.3f ms CPU per update (%.1fx), +%.1f ms latency, '
                     '%.0f%% of its replies/s' % (v, cl['cpu_ms'] - s['cpu_ms'],
                                                  cl['cpu_ms'] / s['cpu_ms'], cl['p50'] - s['p50'],
                                                  100 * cl['rate'] / s['rate']))
    return lines


# -- 3. failover ----------------------------------------------------------------------------------

def failover_once(a: Any, srv: Any, tg: Any, tmp: str) -> Dict[str, Any]:
    from telepot_ng.cluster.partition import partition_of
    tg.reset()
    run = Run(srv, tg.base_url, tmp, a.partitions, lease_ttl=a.lease_ttl)
    try:
        run.start(2)
        victim = run.workers[0]
        ups = updates(a.failover_updates, a.chats)
        ids = push(tg, ups)
        part_of_chat = {5000 + c: partition_of(ups[c], a.partitions) for c in range(a.chats)}
        run.wait_handled(len(ids) // 4, 120)
        owners = run.owners()
        victim.send_signal(signal.SIGKILL)
        killed = time.time()
        victim.wait(10)
        dead = sorted(p for p, pid in owners.items() if pid == victim.pid)
        complete = run.wait_handled(len(ids), 300)
        rows = run.rows()
        expected = collections.Counter(u['message']['chat']['id'] for u in ups)
        deadline = time.monotonic() + 10   # the last states follow the log by a moment
        while True:
            counts = saved_counts(run)
            if counts == expected or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    finally:
        run.close()
    first_after: Dict[int, float] = {}
    for row in rows:
        p = part_of_chat[row[1]]
        t = row[5] / 1e6
        if p in dead and t > killed and p not in first_after:
            first_after[p] = t - killed
    c = check(rows, ids, a.chats)
    wrong = sum(1 for chat, n in expected.items() if counts.get(chat) != n)
    gaps = [first_after.get(p, float('inf')) for p in dead]
    return {'check': c, 'complete': complete, 'wrong_counts': wrong, 'gaps': gaps,
            'dead': len(dead), 'max_gap': max(gaps) if gaps else float('inf')}


def saved_counts(run: Run) -> Dict[int, int]:
    import json
    out = {}
    for k, v in run.r.hgetall(run.keys.states).items():
        if not k.startswith(b'bot|'):
            out[json.loads(k.split(b'|', 1)[1])] = json.loads(json.loads(v)[1])['n']
    return out


def failover(a: Any, srv: Any, tg: Any, tmp: str) -> List[str]:
    runs = []
    for r in range(a.runs):
        out = failover_once(a, srv, tg, tmp)
        runs.append(out)
        print('  failover run %d: %d partitions of the killed worker served again after %s s '
              '(target %.1f s); %s, %d delivered again, %d wrong saved counters' % (
                  r + 1, out['dead'], ', '.join('%.2f' % g for g in sorted(out['gaps'])),
                  a.lease_ttl + 1, verdict(out['check']), out['check']['again'],
                  out['wrong_counts']), flush=True)
    gaps = [g for x in runs for g in x['gaps']]
    worst = [x['max_gap'] for x in runs]
    ok = all(verdict(x['check']) == 'ok' and x['complete'] and not x['wrong_counts']
             for x in runs)
    return ['| lease | runs | kill -> partition served again, s: median (min-max) over all '
            'partitions | slowest partition per run, s | target | lost / finished twice / '
            'out of order / wrong counters | delivered again (median) |',
            '|---|---|---|---|---|---|---|',
            '| %.1f s | %d | %s | %s | <= %.1f s %s | %s | %.0f |' % (
                a.lease_ttl, len(runs), med(gaps, '{:.2f}'),
                ', '.join('%.2f' % w for w in worst), a.lease_ttl + 1,
                'met' if max(worst) <= a.lease_ttl + 1 else '**missed**',
                '0 / 0 / 0 / 0' if ok else '; '.join(
                    '%s, %d wrong counters' % (verdict(x['check']), x['wrong_counts'])
                    for x in runs),
                statistics.median(x['check']['again'] for x in runs))]


def main() -> None:
    ap = argparse.ArgumentParser(prog='python benchmarks/bench_cluster.py',
                                 description=__doc__.split('\n')[0])
    ap.add_argument('--only', choices=['scaling', 'echo', 'failover'], action='append')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--partitions', type=int, default=16)
    ap.add_argument('--chats', type=int, default=1000)
    ap.add_argument('--lease-ttl', type=float, default=5.0)
    ap.add_argument('--work-ms', type=float, default=2.0, help='CPU per message (scaling)')
    ap.add_argument('--scale-updates', type=int, default=4000)
    ap.add_argument('--echo-updates', type=int, default=4000)
    ap.add_argument('--paced', type=int, default=200, help='messages of the latency run')
    ap.add_argument('--pace', type=float, default=40.0, help='their rate, per second')
    ap.add_argument('--failover-updates', type=int, default=20000)
    ap.add_argument('--single', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.single is not None:
        single_main(a.single)
        return
    from tests.redisproc import RedisProcess
    from telepot_ng.testing import FakeTelegram
    print('$ python benchmarks/bench_cluster.py ' + ' '.join(sys.argv[1:]))
    print('%s, %s, %d CPUs, Python %s, load average %s' % (
        time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), platform.platform(), os.cpu_count(),
        platform.python_version(), loadavg()), flush=True)
    tmp = tempfile.mkdtemp(prefix='bench_cluster-')
    srv = RedisProcess().start()
    out: List[Tuple[str, List[str]]] = []
    try:
        with FakeTelegram(process=True) as tg:
            for name, fn, title in (
                    ('scaling', scaling, '1. scaling: %d updates over %d chats, %.1f ms CPU per '
                     'message, %d partitions' % (a.scale_updates, a.chats, a.work_ms,
                                                  a.partitions)),
                    ('echo', echo, '2. echo storm: %d updates over %d chats; latency: %d '
                     'messages at %.0f/s' % (a.echo_updates, a.chats, a.paced, a.pace)),
                    ('failover', failover, '3. failover: SIGKILL 1 of 2 workers during %d '
                     'updates over %d chats, lease %.1f s' % (a.failover_updates, a.chats,
                                                             a.lease_ttl))):
                if a.only and name not in a.only:
                    continue
                print(title, flush=True)
                out.append((title, fn(a, srv, tg, tmp)))
    finally:
        srv.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    for title, lines in out:
        print(title)
        print()
        print('\n'.join(lines))
        print()
    print('This machine has %d CPUs: more worker processes than that share them with the '
          'ingress, redis-server and the fake, so the scaling stops there.' % os.cpu_count())
    print('load average after: %s' % loadavg())


if __name__ == '__main__':
    main()

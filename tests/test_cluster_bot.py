"""A DelegatorBot on the cluster: ingress and worker processes against a real redis-server
and the fake Telegram.  Crash claims are made by SIGKILLing and SIGSTOPping real processes.

Checked from the bots' delivery log (``pid chat update_id count_before redelivered``) and the
Redis store afterwards:
* every update is handled at least once, and per chat first deliveries are in update_id order;
* no finished update is handled again: every delivery of one update sees the same saved
  count (the done-mark and the state are one fenced write).  (A second delivery is not
  always flagged ``redelivered``: an append that timed out during an outage may have been
  made, and the ingress appends the batch again -- a second copy of the update.);
* each chat's counter in ``self.state`` ends exactly at the chat's number of messages.
"""
from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import redis

import telepot_ng
from telepot_ng.cluster import run as cluster_run
from telepot_ng.cluster.store import ClusterStore
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.helper import ChatHandler
from telepot_ng.store import StoreOpenError
from telepot_ng.testing import DEFAULT_TOKEN, FakeTelegram

from .redisproc import own_redis, redis_server, redis_url  # noqa: F401  (fixtures)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _updates(n, chats, start=0):
    out = []
    for i in range(start, start + n):
        chat = 5000 + (i % chats)
        out.append({'message': {'message_id': i + 1, 'date': 1700000000, 'text': 'm%d' % i,
                                'chat': {'id': chat, 'type': 'private', 'first_name': 'U'},
                                'from': {'id': chat, 'is_bot': False, 'first_name': 'U'}}})
    return out


def _wait(cond, timeout=60.0, what='condition'):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(0.05)


# ------------------------------------------------------------------------------ in-process

def test_unreachable_redis_is_a_clear_error_at_start():
    with pytest.raises(StoreOpenError, match='cannot reach Redis at redis://\\*\\*\\*@127.0.0.1:1'):
        telepot_ng.DelegatorBot(DEFAULT_TOKEN, [], store='redis://:hunter22@127.0.0.1:1/0')


def test_a_bot_without_a_cluster_store_is_refused():
    bot = telepot_ng.DelegatorBot(DEFAULT_TOKEN, [])
    with pytest.raises(TypeError, match="store='redis://"):
        cluster_run.worker(bot)


def test_ingress_and_two_workers_in_one_process(redis_url):
    log = []
    lock = threading.Lock()

    class Counter(ChatHandler):
        def on_chat_message(self, msg):
            n = self.state.get('n', 0)
            with lock:
                log.append((self.bot.name, msg['chat']['id'], msg.update_id, n))
            self.state['n'] = n + 1

    with FakeTelegram() as tg:
        def make(name):
            b = telepot_ng.DelegatorBot(
                DEFAULT_TOKEN, [pave_event_space()(per_chat_id(), create_open, Counter,
                                                   timeout=30)],
                base_url=tg.base_url, rate_limits=None,
                store=ClusterStore.from_url(redis_url, partitions=4))
            b.name = name
            return b
        front, b1, b2 = make('ingress'), make('w1'), make('w2')
        w1 = cluster_run.worker(b1, lease_ttl=1.0)
        w2 = cluster_run.worker(b2, lease_ttl=1.0)
        loop = cluster_run.ingress(front, timeout=1)
        try:
            _wait(lambda: len(w1.owned) == 2 and len(w2.owned) == 2, 10, 'a balanced split')
            tg.push_updates(_updates(400, 20))
            _wait(lambda: len(log) >= 400, 30, '400 deliveries')
        finally:
            loop.stop()
            for w, b in ((w1, b1), (w2, b2)):
                w.stop(5)
                b.stop(5)
            front.stop(5)
    per_chat = collections.defaultdict(list)
    for name, chat, uid, n in log:
        per_chat[chat].append((uid, n, name))
    assert len(log) == 400                               # exactly once while processes live
    assert {name for name, *_ in log} == {'w1', 'w2'}     # both workers served
    for chat, rows in per_chat.items():
        assert [u for u, _, _ in rows] == sorted(u for u, _, _ in rows)
        assert [n for _, n, _ in rows] == list(range(20))
        assert len({name for *_, name in rows}) == 1       # a chat lives in one partition
    r = redis.Redis.from_url(redis_url)
    states = r.hgetall('telepot_ng:%s:states' % DEFAULT_TOKEN.split(':')[0])
    counts = sorted(json.loads(json.loads(v)[1])['n'] for k, v in states.items()
                    if not k.startswith(b'bot|'))
    assert counts == [20] * 20


# ------------------------------------------------------------------------------ processes

class Cluster:
    """Ingress and worker processes of tests/_cluster_bot.py."""

    def __init__(self, tmp_path, redis_url, fake_url, partitions=8, work_ms=0):
        self.log = str(tmp_path / 'deliveries.log')
        self.env = dict(os.environ, TPNG_REDIS=redis_url, TPNG_FAKE=fake_url, TPNG_LOG=self.log,
                        TPNG_PARTITIONS=str(partitions), TPNG_WORK_MS=str(work_ms))
        self.env['PYTHONPATH'] = ROOT + (os.pathsep + self.env['PYTHONPATH']
                                         if self.env.get('PYTHONPATH') else '')
        self.procs = []

    def spawn(self, *args):
        err = open(self.log + '.%s-%d.err' % (args[0], len(self.procs)), 'wb')
        p = subprocess.Popen([sys.executable, '-m', 'telepot_ng.cluster', '--log-level',
                              'WARNING'] + list(args), cwd=ROOT, env=self.env,
                             stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=err)
        err.close()
        p.stderr_path = err.name
        line = p.stdout.readline()
        assert line.startswith(b'READY'), 'process %s did not start (exit %s)' % (args, p.poll())
        self.procs.append(p)
        return p

    @staticmethod
    def stderr(p):
        with open(p.stderr_path, 'rb') as f:
            return f.read().decode(errors='replace')

    def worker(self, ttl=1.0):
        return self.spawn('worker', 'tests._cluster_bot:make', '--lease-ttl', str(ttl))

    def ingress(self):
        return self.spawn('ingress', 'tests._cluster_bot:make', '--poll-timeout', '1')

    def rows(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, 'rb') as f:     # (a line being appended may be read in part)
            return [tuple(int(x) for x in line.split()) for line in f
                    if line.endswith(b'\n') and len(line.split()) == 5]

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.terminate()
        for p in self.procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)


def _check(rows, n_updates, chats):
    """The guarantees (module docstring); returns {pid: deliveries}."""
    by_uid = collections.defaultdict(list)
    first = {}
    for pid, chat, uid, n, again in rows:
        by_uid[uid].append((n, again, pid))
        first.setdefault(uid, (chat, len(first)))
    assert len(by_uid) == n_updates, 'lost: %d' % (n_updates - len(by_uid))
    for uid, seen in by_uid.items():
        assert len({n for n, _, _ in seen}) == 1, 'update %d counted twice: %s' % (uid, seen)
    per_chat = collections.defaultdict(list)
    for uid, (chat, order) in sorted(first.items(), key=lambda kv: kv[1][1]):
        per_chat[chat].append(uid)
    for chat, uids in per_chat.items():
        assert uids == sorted(uids), 'chat %d out of order' % chat
    assert len(per_chat) == chats
    return collections.Counter(pid for pid, *_ in rows)


def _settled_counts(redis_url, expected, timeout=30.0):
    """The chats' saved counters once they reach ``expected`` (done-marks and states are
    written just after the handler returns, so the last ones may trail the log by a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        counts = _final_counts(redis_url)
        if counts == expected or time.monotonic() > deadline:
            return counts
        time.sleep(0.05)


def _final_counts(redis_url):
    r = redis.Redis.from_url(redis_url)
    states = r.hgetall('telepot_ng:%s:states' % DEFAULT_TOKEN.split(':')[0])
    return {json.loads(k.split(b'|', 1)[1]): json.loads(json.loads(v)[1])['n']
            for k, v in states.items() if not k.startswith(b'bot|')}


@pytest.fixture
def fake():
    with FakeTelegram(process=True) as tg:
        yield tg


def test_worker_sigkilled_mid_storm_loses_nothing_and_counts_exactly(tmp_path, redis_url, fake):
    c = Cluster(tmp_path, redis_url, fake.base_url, partitions=8, work_ms=1)
    try:
        a, b = c.worker(), c.worker()
        c.ingress()
        ups = _updates(3000, 40)
        fake.push_updates(ups)
        _wait(lambda: sum(1 for r in c.rows() if r[0] == a.pid) >= 300, 60, 'A to work')
        a.kill()                                    # SIGKILL: nothing released, nothing flushed
        a.wait(10)
        killed_at = time.monotonic()
        _wait(lambda: len({r[2] for r in c.rows()}) >= 3000, 90, 'every update')
        rows = c.rows()
        by_pid = _check(rows, 3000, 40)
        assert set(by_pid) == {a.pid, b.pid}
        expected = {5000 + i: 75 for i in range(40)}
        assert _settled_counts(redis_url, expected) == expected
        assert time.monotonic() - killed_at < 60
    finally:
        c.close()


def test_worker_paused_past_its_lease_hands_nothing_on_after_it_resumes(tmp_path, redis_url, fake):
    c = Cluster(tmp_path, redis_url, fake.base_url, partitions=4)
    try:
        a, b = c.worker(ttl=1.0), c.worker(ttl=1.0)
        c.ingress()
        fake.push_updates(_updates(400, 20))
        _wait(lambda: len({r[2] for r in c.rows()}) >= 400, 60, 'the first 400')
        a.send_signal(signal.SIGSTOP)               # A freezes, holding half the partitions
        fake.push_updates(_updates(400, 20, start=400))
        _wait(lambda: len({r[2] for r in c.rows()}) >= 800, 60, 'B to serve all partitions')
        paused_rows = len(c.rows())
        a.send_signal(signal.SIGCONT)               # A wakes up long after its leases ran out
        fake.push_updates(_updates(200, 20, start=800))
        _wait(lambda: len({r[2] for r in c.rows()}) >= 1000, 60, 'the last 200')
        rows = c.rows()
        _check(rows, 1000, 20)
        # A handed on nothing of what arrived while it was frozen (B had its partitions)
        late_a = [r for r in rows[paused_rows:] if r[0] == a.pid and r[2] <= 800]
        assert late_a == []
        expected = {5000 + i: 50 for i in range(20)}
        assert _settled_counts(redis_url, expected) == expected
    finally:
        c.close()


def test_redis_unavailable_for_10s_loses_nothing_and_finishes_nothing_twice(tmp_path, own_redis,
                                                                             fake):
    """A network partition: Redis stopped (SIGSTOP: it answers nothing) for 10 s, longer than
    every lease.  The ingress confirms nothing meanwhile (Telegram keeps the updates), the
    workers retry with backoff, and afterwards everything is handled, nothing finished twice."""
    c = Cluster(tmp_path, own_redis.url, fake.base_url, partitions=4)
    c.env['TPNG_SOCKET_TIMEOUT'] = '2'
    try:
        workers = c.worker(ttl=1.0), c.worker(ttl=1.0)
        c.ingress()
        fake.push_updates(_updates(300, 10))
        _wait(lambda: len({r[2] for r in c.rows()}) >= 100, 60, 'the first deliveries')
        _wait(lambda: fake.counters()['pending_updates'] == 0, 60, 'the first 300 confirmed')
        own_redis.proc.send_signal(signal.SIGSTOP)  # a network partition: Redis answers nothing
        fake.push_updates(_updates(300, 10, start=300))
        time.sleep(10)      # the outage itself (not a synchronisation): longer than the leases
        unconfirmed = fake.counters()['pending_updates']
        own_redis.proc.send_signal(signal.SIGCONT)
        assert unconfirmed == 300           # the ingress confirmed none of them meanwhile
        _wait(lambda: len({r[2] for r in c.rows()}) >= 600, 90, 'every update after the outage')
        _check(c.rows(), 600, 10)
        expected = {5000 + i: 60 for i in range(10)}
        assert _settled_counts(own_redis.url, expected) == expected
        for w in workers:                   # they failed, waited and tried again
            assert 'retrying in' in c.stderr(w)
    finally:
        c.close()


def test_cli_with_redis_unreachable_says_so_and_exits(tmp_path):
    env = dict(os.environ, TPNG_REDIS='redis://:hunter22@127.0.0.1:1/0',
               TPNG_FAKE='http://127.0.0.1:9', TPNG_LOG=str(tmp_path / 'log'),
               PYTHONPATH=ROOT)
    p = subprocess.run([sys.executable, '-m', 'telepot_ng.cluster', 'worker',
                        'tests._cluster_bot:make'], cwd=ROOT, env=env, capture_output=True,
                       timeout=60)
    assert p.returncode == 2
    err = p.stderr.decode()
    assert err.startswith('python -m telepot_ng.cluster: cannot reach Redis at '
                          'redis://***@127.0.0.1:1/0')
    assert 'Traceback' not in err and 'hunter22' not in err


def test_webhook_ingress_answers_503_while_redis_is_silent_and_a_retried_update_is_handled_once(
        own_redis):
    """Telegram's retry after a 503 can make a second copy (the timed-out append ran when
    Redis came back): the worker hands the update on once."""
    from telepot_ng.cluster._keys import Keys
    from telepot_ng.cluster.ingress import Ingress
    from telepot_ng.cluster.worker import CallbackSink, PartitionWorker
    from telepot_ng.webhook import WebhookApp

    from .test_webhook_app import call

    keys = Keys('t')
    r = redis.Redis.from_url(own_redis.url, socket_timeout=2.0)   # ample for a loaded box
    app = WebhookApp(Ingress(r, keys, 4), secret_token='s3cret')

    def post(uid):
        body = json.dumps(dict(_updates(1, 1, start=uid)[0], update_id=uid)).encode()
        return call(app, body=body, headers={'X-Telegram-Bot-Api-Secret-Token': 's3cret'})[0]

    assert post(1) == 200
    own_redis.proc.send_signal(signal.SIGSTOP)
    try:
        assert post(2) == 503                    # not appended as far as the ingress knows
    finally:
        own_redis.proc.send_signal(signal.SIGCONT)
    assert post(2) == 200                        # Telegram delivers it again
    got = []
    w = PartitionWorker(redis.Redis.from_url(own_redis.url), keys, 4,
                        CallbackSink(lambda u, e: got.append(u['update_id'])), lease_ttl=2.0)
    w.start()
    try:
        _wait(lambda: len(got) >= 2 and all(w.streams.backlog(p) == 0 for p in range(4)), 30,
              'both updates handled and every copy acknowledged')
    finally:
        w.stop(5)
    assert got == [1, 2]

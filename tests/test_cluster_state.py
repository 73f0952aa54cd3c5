"""bot.state across a cluster's workers (telepot_ng.cluster.botstate), on a real redis-server:
writes merged per key, refresh() and the atomic update()."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
import redis

import telepot_ng
from telepot_ng.cluster import botstate
from telepot_ng.cluster.store import ClusterStore

from .redisproc import own_redis, redis_server, redis_url  # noqa: F401  (fixtures)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = '123:abc'

WRITER = r'''
import sys, time, redis
import telepot_ng
from telepot_ng.cluster import botstate
from telepot_ng.cluster.store import ClusterStore
url, name, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
bot = telepot_ng.Bot('123:abc', store=ClusterStore.from_url(url), rate_limits=None)
bot.state                                   # loaded before the other process writes
r = redis.Redis.from_url(url)
r.incr('test:ready')
while int(r.get('test:ready')) < 2:
    time.sleep(0.002)
for i in range(n):
    if mode == 'keys':
        bot.state['%s-%d' % (name, i)] = i
        if i % 3 == 0:
            del bot.state['%s-%d' % (name, i)]
        assert bot._ledger.flush(10)        # each change written, interleaved with the other
    else:
        botstate.update(bot, 'count', lambda v: v + 1, default=0)
bot.stop(5)
'''


def _run_two(url, n, mode):
    env = dict(os.environ, PYTHONPATH=ROOT)
    procs = [subprocess.Popen([sys.executable, '-c', WRITER, url, name, str(n), mode], env=env,
                              stderr=subprocess.PIPE)
             for name in ('a', 'b')]
    for p in procs:
        _out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()


def _bot(url):
    return telepot_ng.Bot(TOKEN, store=ClusterStore.from_url(url), rate_limits=None)


def test_two_processes_writing_different_keys_lose_nothing(redis_url):
    _run_two(redis_url, 60, 'keys')
    reader = _bot(redis_url)
    try:
        expected = {'%s-%d' % (name, i): i for name in 'ab' for i in range(60) if i % 3}
        assert dict(reader.state) == expected
    finally:
        reader.stop(5)


def test_two_processes_counting_with_update_count_every_step(redis_url):
    _run_two(redis_url, 25, 'update')
    r = redis.Redis.from_url(redis_url)
    assert json.loads(r.hget('telepot_ng:123:botstate', 'count')) == 50


def test_refresh_brings_other_workers_keys_and_keeps_unwritten_local_ones(redis_url):
    a, b = _bot(redis_url), _bot(redis_url)
    try:
        a.state['x'] = 1
        a.state['gone'] = True
        assert a._ledger.flush(5)
        assert dict(b.state) == {'x': 1, 'gone': True}      # b loads after a wrote
        b.state['y'] = [2]
        a.state['x'] = 10
        del a.state['gone']
        assert a._ledger.flush(5)
        botstate.refresh(b)
        assert dict(b.state) == {'x': 10, 'y': [2]}
        botstate.refresh(a)
        assert dict(a.state) == {'x': 10, 'y': [2]}
        a.state['y'].append(3)          # in place, in a list that came with the refresh
        assert a._ledger.flush(5)
        assert botstate.refresh(b)['y'] == [2, 3]
        # the same key written by both: the later write wins, in every worker after refresh
        a.state['x'] = 'a'
        assert a._ledger.flush(5)
        b.state['x'] = 'b'
        botstate.refresh(b)
        botstate.refresh(a)
        assert a.state['x'] == b.state['x'] == 'b'
        assert botstate.update(a, 'x', lambda v: v + '!') == 'b!'
        assert b.state['x'] == 'b'                           # until b refreshes
        assert botstate.refresh(b)['x'] == 'b!'
    finally:
        a.stop(5)
        b.stop(5)


# ------------------------------------------------------------------------ scheduled events

def _updates(chats):
    return [{'message': {'message_id': i + 1, 'date': 1700000000, 'text': 'alarm',
                         'chat': {'id': c, 'type': 'private', 'first_name': 'U'},
                         'from': {'id': c, 'is_bot': False, 'first_name': 'U'}}}
            for i, c in enumerate(chats)]


def _wait(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(0.02)


def test_scheduled_events_move_with_their_partition_and_fire_once(redis_url):
    from telepot_ng.cluster import run as cluster_run
    from telepot_ng.cluster.partition import partition_for
    from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
    from telepot_ng.helper import ChatHandler
    from telepot_ng.testing import FakeTelegram
    fired, lock = [], threading.Lock()
    delay, space = 2.0, []

    class Alarm(ChatHandler):
        def on_chat_message(self, msg):
            self.scheduler.event_later(delay, ('_alarm', {'chat': self.chat_id}))

        def on__alarm(self, event):
            with lock:
                fired.append((self.bot.name, self.chat_id, event['_alarm'].get('late', False),
                              time.monotonic()))
                space.append(event['_alarm']['source']['space'])

    # one pattern for all: its event space is the same, as in processes running one module
    pattern = [pave_event_space()(per_chat_id(), create_open, Alarm, timeout=30)]
    with FakeTelegram() as tg:
        def make(name):
            b = telepot_ng.DelegatorBot(
                tg.token, pattern, base_url=tg.base_url, rate_limits=None,
                store=ClusterStore.from_url(redis_url, partitions=4))
            b.name = name
            return b
        front, b1, b2 = make('ingress'), make('w1'), make('w2')
        r = redis.Redis.from_url(redis_url)
        due_keys = [front.store.keys.timer_due(p) for p in range(4)]

        def kept():
            return sum(r.zcard(k) for k in due_keys)
        w1 = cluster_run.worker(b1, lease_ttl=1.0)
        w2 = cluster_run.worker(b2, lease_ttl=1.0)
        loop = cluster_run.ingress(front, timeout=1)
        workers = [w1, w2]
        try:
            _wait(lambda: len(w1.owned) == 2 and len(w2.owned) == 2, 10, 'a balanced split')
            chats = list(range(7001, 7013))
            on_w1 = [c for c in chats if partition_for(c, 4) in w1.owned]
            assert on_w1 and len(on_w1) < len(chats)
            tg.push_updates(_updates(chats))
            _wait(lambda: kept() == 12, 10, '12 kept events')
            w1.stop(5)                  # w1's partitions (and their events) go to w2
            stopped = time.monotonic()
            _wait(lambda: len(fired) == 12, 15, '12 alarms')
            time.sleep(0.5)             # nothing more comes (b1 still has its copies)
            assert sorted(c for _, c, _, _ in fired) == chats         # each exactly once
            assert all(name == 'w2' for name, _, _, t in fired if t > stopped)
            assert {c for name, c, _, _ in fired if name == 'w2'} >= set(on_w1)
            assert kept() == 0                                        # deleted once fired
            # events kept by a process that does not serve their partition (b2, its worker
            # stopped) and due while nobody serves it fire late on the next owner, once
            w2.stop(5)
            del fired[:]
            events = [b2.scheduler.event_later(
                0.2, {'_alarm': {'source': {'space': space[0], 'id': c}, 'chat': c}})
                for c in chats[:5]]
            _wait(lambda: kept() == 5, 10, '5 kept events')
            b2.scheduler.cancel(events[4])                  # cancelled: never fires
            _wait(lambda: kept() == 4, 10, 'the cancelled event deleted')
            time.sleep(0.5)
            assert fired == []
            w3 = cluster_run.worker(b1, lease_ttl=1.0)
            workers.append(w3)
            _wait(lambda: len(fired) == 4, 15, '4 late alarms')
            time.sleep(0.3)
            assert sorted((name, c, late) for name, c, late, _ in fired) == \
                [('w1', c, True) for c in chats[:4]]
            assert kept() == 0
        finally:
            loop.stop()
            for w in workers:
                w.stop(5)
            for b in (b1, b2, front):
                b.stop(5)


def test_a_broadcast_progress_is_refused_in_a_cluster_store(redis_url):
    # a cluster store keeps only states written with an update's done-mark: progress kept
    # there would be lost and a resumed broadcast would message everyone again
    bot = _bot(redis_url)
    try:
        with pytest.raises(ValueError, match='cluster store'):
            bot.broadcast([1, 2], text='x', progress='news')
    finally:
        bot.store.close()

"""PartitionWorker against a real redis-server: balanced ownership, in-order delivery,
failover of a dead worker's partitions with their unfinished updates first."""
from __future__ import annotations

import threading
import time

import redis

from telepot_ng.cluster._keys import Keys
from telepot_ng.cluster.membership import assign
from telepot_ng.cluster.partition import partition_of
from telepot_ng.cluster.streams import Streams
from telepot_ng.cluster.worker import CallbackSink, PartitionWorker

from .redisproc import redis_server, redis_url  # noqa: F401  (fixtures)

P = 4


def _u(uid, chat):
    return {'update_id': uid, 'message': {'message_id': uid, 'text': str(uid),
                                          'chat': {'id': chat, 'type': 'private'}}}


def _feed(r, updates):
    s = Streams(r, Keys('t'), P)
    s.ensure()
    s.append([(partition_of(u, P), u) for u in updates])


def _wait(cond, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_two_workers_split_partitions_and_keep_per_chat_order(redis_url):
    r = redis.Redis.from_url(redis_url)
    got = {}
    lock = threading.Lock()

    def cb(update, entry):
        m = update['message']
        with lock:
            got.setdefault(m['chat']['id'], []).append(update['update_id'])

    # leases long enough that a loaded machine does not let one lapse (not a failover test)
    ws = [PartitionWorker(redis.Redis.from_url(redis_url), Keys('t'), P, CallbackSink(cb),
                          lease_ttl=4.0, member='w%d' % i).start() for i in range(2)]
    try:
        assert _wait(lambda: sorted(ws[0].owned + ws[1].owned) == list(range(P))
                     and len(ws[0].owned) == 2)
        ups = [_u(i, 1 + i % 10) for i in range(1, 501)]
        _feed(r, ups)
        assert _wait(lambda: sum(map(len, got.values())) == 500)
        for chat, ids in got.items():
            assert ids == sorted(ids) and len(ids) == 50
        assert all(Streams(r, Keys('t'), P).backlog(p) == 0 for p in range(P))
    finally:
        for w in ws:
            w.stop(5)


def test_dead_workers_unfinished_updates_are_redelivered_first_in_order(redis_url):
    r = redis.Redis.from_url(redis_url)
    release = threading.Event()
    first = []

    def stuck(update, entry):            # worker A takes updates but never finishes them
        first.append(update['update_id'])
        release.wait(30)

    a = PartitionWorker(redis.Redis.from_url(redis_url), Keys('t'), 1, CallbackSink(stuck),
                        lease_ttl=0.6, member='A', max_inflight=1)
    Streams(r, Keys('t'), 1).ensure()
    a.start()
    assert _wait(lambda: a.owned == [0])
    Streams(r, Keys('t'), 1).append([(0, _u(i, 5)) for i in range(1, 21)])
    assert _wait(lambda: first == [1])
    # A "dies": its control thread stops renewing (as after SIGKILL, nothing is released)
    a._stop.set()
    a._thread.join(5)

    seen = []
    b = PartitionWorker(redis.Redis.from_url(redis_url), Keys('t'), 1,
                        CallbackSink(lambda u, e: seen.append((u['update_id'], e.redelivered))),
                        lease_ttl=4.0, member='B')
    b.start()
    try:
        assert _wait(lambda: len(seen) == 20)
        assert [u for u, _ in seen] == list(range(1, 21))
        assert seen[0] == (1, True)                 # the one A held comes back, marked
        # A wakes up: its lease is gone, so its late done-mark is refused
        release.set()
        assert _wait(lambda: not a._consumers[0].thread.is_alive())
        assert Streams(r, Keys('t'), 1).done_ids(0, [1]) == [True]   # B's, not A's
    finally:
        release.set()
        b.stop(5)
        a.stop(1)


def test_control_wakes_when_a_dead_workers_heartbeat_or_lease_runs_out(redis_url):
    """Failover waits for the dead worker's lease, not also for the survivor's next tick."""
    r = redis.Redis.from_url(redis_url)
    keys = Keys('t')
    w = PartitionWorker(r, keys, 2, CallbackSink(lambda u, e: None), lease_ttl=8.0, member='A')
    assert w.tick == 2.0
    w.streams.ensure()
    theirs = assign(['A', 'B'], 2)['B'][0]
    r.zadd(keys.members, {'B': time.time() + 0.5})      # B: a heartbeat about to run out
    r.set(keys.lease(theirs), 'B|1', px=800)            # and a lease it will not renew
    try:
        wait = w._step()
        assert w.owned == [1 - theirs]
        assert 0 < wait <= 0.51                  # when B's heartbeat runs out, not in 2 s
        r.zrem(keys.members, 'B')                # ... it did: B's partition is A's to take
        sent = []
        real = r.execute_command
        r.execute_command = lambda *a, **kw: sent.append(a[0]) or real(*a, **kw)
        wait = w._step()
        del r.execute_command
        assert w.owned == [1 - theirs]           # not yet: B's lease still holds
        assert 0 < wait <= 0.81                  # when it runs out
        assert 'PTTL' not in sent                # told by the failed grab itself
        r.delete(keys.lease(theirs))
        assert w._step() == w.tick
        assert w.owned == [0, 1]
    finally:
        w.stop(5)

"""Partition keys and fenced leases against a real redis-server."""
from __future__ import annotations

import time

import pytest
import redis

from telepot_ng.cluster._keys import Keys
from telepot_ng.cluster.lease import LeaseTable
from telepot_ng.cluster.partition import partition_key, partition_of

from .redisproc import redis_server, redis_url  # noqa: F401  (fixtures)


def _msg(chat, user=None, kind='message'):
    m = {'message_id': 1, 'chat': {'id': chat, 'type': 'private' if chat > 0 else 'group'}}
    if user is not None:
        m['from'] = {'id': user, 'is_bot': False, 'first_name': 'u'}
    return {'update_id': 1, kind: m}


def test_partition_key_chat_user_and_object():
    assert partition_key(_msg(-5, 7)) == -5
    assert partition_key(_msg(-5, 7), by='user') == 7
    cq = {'update_id': 2, 'callback_query': {'id': 'q', 'from': {'id': 9},
                                             'message': {'chat': {'id': -3}}}}
    assert partition_key(cq) == -3
    assert partition_key(cq, by='user') == 9
    inline = {'update_id': 3, 'inline_query': {'id': 'i', 'from': {'id': 11}, 'query': ''}}
    assert partition_key(inline) == 11
    poll = {'update_id': 4, 'poll': {'id': 'p1', 'question': 'q'}}
    assert partition_key(poll) == 'p1'
    with pytest.raises(ValueError):
        partition_key(poll, by='seed')


def test_partition_of_is_stable_and_spreads():
    # the same key always maps to the same partition (CRC-32: identical in every process)
    assert partition_of(_msg(123456), 8) == partition_of(_msg(123456, 5), 8)
    seen = {partition_of(_msg(c), 8) for c in range(1, 200)}
    assert seen == set(range(8))
    with pytest.raises(ValueError):
        partition_of(_msg(1), 0)


def test_lease_is_exclusive_and_fenced_by_epoch(redis_url):
    r = redis.Redis.from_url(redis_url)
    keys = Keys('t')
    a = LeaseTable(r, keys, 'A', ttl=0.5)
    b = LeaseTable(r, keys, 'B', ttl=0.5)
    la = a.acquire(3)
    assert la is not None and la.epoch == 1
    assert b.acquire(3) is None                      # held by A
    assert a.acquire(3).epoch == 1                   # A again: same epoch, extended
    deadline = time.monotonic() + 5
    lb = None
    while lb is None and time.monotonic() < deadline:   # A stops renewing: B gets it
        lb = b.acquire(3)
        if lb is None:
            time.sleep(0.05)
    assert lb is not None and lb.epoch == 2
    assert a.renew(la) is None                       # A's old lease is fenced out
    assert not a.release(la)
    assert b.holder(3) == 'B|2'
    assert b.release(lb) and b.holder(3) is None
    assert a.acquire(3).epoch == 3


def test_lease_local_validity_runs_out_before_server_expiry(redis_url):
    r = redis.Redis.from_url(redis_url)
    t = LeaseTable(r, Keys('t'), 'A', ttl=1.0, margin=0.2)
    lease = t.acquire(0)
    assert lease.valid()
    assert not lease.valid(now=lease.expires)
    assert lease.expires - time.monotonic() <= 0.8 + 1e-3
    with pytest.raises(ValueError):
        LeaseTable(r, Keys('t'), 'A', ttl=0)


def test_assignment_is_balanced_and_mostly_sticky():
    from telepot_ng.cluster.membership import assign
    a = assign(['w1', 'w2'], 16)
    assert sorted(a['w1'] + a['w2']) == list(range(16))
    assert {len(v) for v in a.values()} == {8}
    b = assign(['w1', 'w2', 'w3'], 16)
    assert sorted(sum(b.values(), [])) == list(range(16))
    assert sorted(len(v) for v in b.values()) == [5, 5, 6]
    # w3 joining takes partitions; w1 and w2 keep most of theirs
    moved = sum(1 for m in ('w1', 'w2') for p in a[m] if p not in b[m])
    assert moved <= 8
    assert assign([], 4) == {}
    assert assign(['w1', 'w2', 'w3'], 16) == b          # deterministic


def test_membership_expires_dead_members(redis_url):
    from telepot_ng.cluster.membership import Membership
    r = redis.Redis.from_url(redis_url)
    a = Membership(r, Keys('t'), 'A', ttl=0.3)
    b = Membership(r, Keys('t'), 'B', ttl=30)
    a.heartbeat()
    assert b.heartbeat() == ['A', 'B']
    deadline = time.monotonic() + 5
    while b.heartbeat() != ['B'] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b.heartbeat() == ['B']
    b.leave()
    assert Membership(r, Keys('t'), 'C', ttl=30).heartbeat() == ['C']


def test_a_failed_grab_says_when_the_holders_lease_runs_out_in_one_round_trip(redis_url):
    r = redis.Redis.from_url(redis_url)
    keys = Keys('g')
    a = LeaseTable(r, keys, 'A', ttl=2.0)
    b = LeaseTable(r, keys, 'B', ttl=2.0)
    lease, left = a.grab(5)
    assert lease is not None and lease.epoch == 1 and left is None
    assert b.grab(5)[0] is None             # (loads the script)
    sent = []
    real = r.execute_command
    r.execute_command = lambda *args, **kw: sent.append(args[0]) or real(*args, **kw)
    lease, left = b.grab(5)
    assert lease is None and 1.0 < left <= 2.0
    assert sent == ['EVALSHA']              # one round trip (was: the script, then PTTL)
    assert b.acquire(5) is None and a.acquire(5).epoch == 1

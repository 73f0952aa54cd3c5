"""Partition streams against a real redis-server: append, read, pending re-read, fenced ack."""
from __future__ import annotations

import json

import pytest
import redis

from telepot_ng.cluster._keys import Keys
from telepot_ng.cluster.lease import LeaseTable
from telepot_ng.cluster.streams import Streams

from .redisproc import redis_server, redis_url  # noqa: F401  (fixtures)


def _u(uid, chat=1):
    return {'update_id': uid, 'message': {'message_id': uid, 'chat': {'id': chat, 'type': 'private'},
                                          'text': str(uid)}}


@pytest.fixture
def setup(redis_url):
    r = redis.Redis.from_url(redis_url)
    s = Streams(r, Keys('t'), 4)
    s.ensure()
    yield r, s
    r.close()


def test_append_read_pending_and_fenced_ack(setup):
    r, s = setup
    s.append([(1, _u(i)) for i in range(1, 6)])
    new = s.read(1, '>', count=3)
    assert [e.update_id for e in new] == [1, 2, 3] and not any(e.redelivered for e in new)
    # an owner that died: the next owner re-reads the PEL in order, marked redelivered
    again = s.read(1, '0', count=10)
    assert [e.update_id for e in again] == [1, 2, 3] and all(e.redelivered for e in again)
    assert s.read(1, again[-1].entry_id) == []          # paged to the end of the PEL
    assert [e.update_id for e in s.read(1, '>')] == [4, 5]

    leases = LeaseTable(r, s.keys, 'A', ttl=5)
    lease = leases.acquire(1)
    assert s.ack(lease.token, 1, [(again[0].entry_id, 1)],
                 state={'chat:1': json.dumps({'n': 1})})
    assert s.done_ids(1, [1, 2]) == [True, False]
    assert json.loads(s.load_state('chat:1')) == {'n': 1}
    assert [e.update_id for e in s.read(1, '0')] == [2, 3, 4, 5]
    assert s.backlog(1) == 4                            # the finished entry is deleted

    # a stale token changes nothing: no ack, no done-mark, no state
    stale = lease.token.replace('|1', '|0')
    assert not s.ack(stale, 1, [(again[1].entry_id, 2)], state={'chat:1': '{"n": 99}'})
    assert s.done_ids(1, [2]) == [False]
    assert json.loads(s.load_state('chat:1')) == {'n': 1}
    assert s.ack(lease.token, 1, [], state={'chat:1': None})
    assert s.load_state('chat:1') is None


def test_partition_count_is_fixed_per_namespace(setup):
    r, s = setup
    with pytest.raises(ValueError, match='has 4 partitions, not 8'):
        Streams(r, Keys('t'), 8).ensure()
    Streams(r, Keys('t'), 4).ensure()                   # idempotent


def test_prune_done(setup):
    r, s = setup
    lease = LeaseTable(r, s.keys, 'A').acquire(0)
    s.append([(0, _u(7))])
    e = s.read(0, '>')[0]
    assert s.ack(lease.token, 0, [(e.entry_id, 7)])
    assert s.prune_done(0, older_than=3600) == 0
    assert s.prune_done(0, older_than=-1) == 1
    assert s.done_ids(0, [7]) == [False]

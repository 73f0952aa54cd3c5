"""The re-orderer and update parsing of telepot_ng.loop: pure logic, a fake clock, no threads."""
from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings, strategies as st

from telepot_ng.loop import Backoff, Orderer, parse_update


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def u(uid, **extra):
    d = {'update_id': uid, 'message': {'message_id': uid, 'chat': {'id': 1, 'type': 'private'},
                                       'date': 0, 'text': str(uid)}}
    d.update(extra)
    return d


def ids(updates):
    return [x['update_id'] for x in updates]


# ------------------------------------------------------------------------------ parse_update

@pytest.mark.parametrize('data', [
    {'update_id': 5, 'message': {}},
    '{"update_id": 5, "message": {}}',
    b'{"update_id": 5, "message": {}}',
    bytearray(b'{"update_id": 5, "message": {}}'),
    '{"update_id": 5, "message": {"text": "caf\\u00e9"}}',
])
def test_parse_update_accepts_dict_str_bytes(data):
    assert parse_update(data)['update_id'] == 5


def test_parse_update_decodes_bytes_as_utf8():
    assert parse_update('{"update_id": 1, "message": {"text": "é☃"}}'.encode('utf-8')
                        )['message']['text'] == 'é☃'


@pytest.mark.parametrize('data', [
    '{"update_id": 5', b'\xff\xfe{', 'null', '[1, 2]', '{"message": {}}',
    '{"update_id": "5"}', '{"update_id": true}', {'update_id': 1.5}, 42, None, ['x'],
    {'update_id': 3}, {'update_id': 4, 'message': 'not an object'},
])
def test_parse_update_rejects_non_updates(data):
    with pytest.raises(ValueError):
        parse_update(data)


def test_parse_update_returns_the_same_dict():
    d = {'update_id': 1, 'message': {}}
    assert parse_update(d) is d


# ------------------------------------------------------------------------------ Orderer, ordered

def make(maxhold=3.0, first_hold=0):
    clock = Clock()
    return Orderer(True, maxhold, first_hold=first_hold, clock=clock), clock, []


def test_in_order_updates_are_not_held():
    o, clock, out = make()
    for i in (7, 8, 9):
        o.push(i, u(i), out.append)
        assert ids(out)[-1] == i          # handed on during the push itself
    assert len(o) == 0 and o.next_timeout() is None


def test_first_arrivals_are_held_briefly_then_handed_on_in_order():
    o, clock, out = make(maxhold=3, first_hold=None)
    assert o.first_hold == 0.5
    o.push(1002, u(1002), out.append)
    o.push(1000, u(1000), out.append)      # concurrent webhook pushes: a smaller id after
    clock.now += 0.49
    o.push(1001, u(1001), out.append)
    o.expire(out.append)
    assert out == [] and o.next_timeout() == pytest.approx(0.01)
    clock.now += 0.01
    o.expire(out.append)
    assert ids(out) == [1000, 1001, 1002]
    o.push(1003, u(1003), out.append)      # from now on, in order means at once
    assert ids(out)[-1] == 1003


def test_a_gap_in_the_first_arrivals_still_gets_its_maxhold():
    o, clock, out = make(maxhold=3, first_hold=0.5)
    o.push(1000, u(1000), out.append)
    o.push(1003, u(1003), out.append)
    clock.now += 0.5
    o.expire(out.append)
    assert ids(out) == [1000]                    # 1003 keeps waiting for 1001 and 1002
    assert o.next_timeout() == pytest.approx(2.5)
    clock.now += 1
    o.push(1001, u(1001), out.append)
    assert ids(out) == [1000, 1001]
    clock.now += 1.5
    o.expire(out.append)                         # 1003's maxhold is up: 1002 is given up
    assert ids(out) == [1000, 1001, 1003]


def test_first_hold_zero_is_telepots_first_update_rule(caplog):
    o = Orderer(True, 3, first_hold=0, clock=Clock())
    out = []
    o.push(1000, u(1000), out.append)
    assert ids(out) == [1000]
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        o.push(999, u(999), out.append)
    # telepot dropped 999; here it is handed on, out of order, and said so
    assert ids(out) == [1000, 999] and 'update 999 arrived after update 1000' in caplog.text


def test_first_hold_never_exceeds_maxhold():
    assert Orderer(True, 0.2).first_hold == 0.2
    assert Orderer(True, 3, first_hold=7).first_hold == 3


def test_gap_is_filled_before_maxhold():
    o, clock, out = make()
    o.push(1, u(1), out.append)
    o.push(3, u(3), out.append)
    o.push(4, u(4), out.append)
    assert ids(out) == [1]
    assert o.next_timeout() == pytest.approx(3.0)
    clock.now += 1
    o.push(2, u(2), out.append)
    assert ids(out) == [1, 2, 3, 4]
    assert o.next_timeout() is None


def test_held_update_released_after_maxhold_and_late_one_handed_on_out_of_order(caplog):
    o, clock, out = make(maxhold=2)
    o.push(1, u(1), out.append)
    o.push(3, u(3), out.append)
    clock.now += 1.999
    o.expire(out.append)
    assert ids(out) == [1]
    clock.now += 0.001
    o.expire(out.append)
    assert ids(out) == [1, 3]
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        o.push(2, u(2), out.append)          # too late: 3 was handed on
        o.push(2, u(2), out.append)          # ... and now a duplicate
    assert ids(out) == [1, 3, 2]
    assert 'update 2 arrived after update 3' in caplog.text
    assert 'update 2 received twice' in caplog.text


def test_expiry_of_a_later_id_releases_smaller_held_ids_first():
    o, clock, out = make(maxhold=3)
    o.push(1, u(1), out.append)
    o.push(5, u(5), out.append)              # held, deadline t+3
    clock.now += 2
    o.push(3, u(3), out.append)              # held, deadline t+5
    clock.now += 1
    o.expire(out.append)                  # 5 is due: 3 must go before it
    assert ids(out) == [1, 3, 5]
    o.push(6, u(6), out.append)
    assert ids(out) == [1, 3, 5, 6]


def test_expiry_then_contiguous_updates_follow():
    o, clock, out = make(maxhold=1)
    o.push(1, u(1), out.append)
    o.push(4, u(4), out.append)
    o.push(3, u(3), out.append)
    clock.now += 1
    o.expire(out.append)
    assert ids(out) == [1, 3, 4]


def test_duplicates_dropped_both_delivered_and_held(caplog):
    o, clock, out = make()
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        o.push(1, u(1), out.append)
        o.push(1, u(1), out.append)
        o.push(3, u(3), out.append)
        o.push(3, u(3), out.append)
        o.push(2, u(2), out.append)
    assert ids(out) == [1, 2, 3]
    assert caplog.text.count('twice') + caplog.text.count('already handed on') == 2


def test_flush_hands_on_everything_held_in_order():
    o, clock, out = make()
    o.push(1, u(1), out.append)
    for i in (9, 4, 6):
        o.push(i, u(i), out.append)
    o.flush(out.append)
    assert ids(out) == [1, 4, 6, 9]
    assert len(o) == 0 and o.next_timeout() is None


def test_maxhold_zero_never_holds_past_next_expire():
    o, clock, out = make(maxhold=0)
    o.push(1, u(1), out.append)
    o.push(3, u(3), out.append)
    assert o.next_timeout() == 0
    o.expire(out.append)
    assert ids(out) == [1, 3]


def test_negative_maxhold_rejected():
    with pytest.raises(ValueError):
        Orderer(True, -1)


# ------------------------------------------------------------------------------ Orderer, unordered

def test_unordered_hands_on_at_once_and_drops_exact_duplicates():
    out = []
    o = Orderer(False, 3, window=3)
    for i in (5, 3, 4, 3, 9):
        o.push(i, u(i), out.append)
    assert ids(out) == [5, 3, 4, 9]
    for i in (10, 11, 12):               # 3 falls out of the window of remembered ids
        o.push(i, u(i), out.append)
    o.push(3, u(3), out.append)
    assert ids(out)[-1] == 3


# ------------------------------------------------------------------------------ property test

arrivals = st.lists(
    st.tuples(st.integers(1, 30),                               # update_id
              st.floats(0, 2.5, allow_nan=False)),              # delay since previous arrival
    min_size=1, max_size=60)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(arrivals, st.sampled_from([0.0, 0.5, 1.0, 3.0]), st.sampled_from([None, 0.0, 0.2]))
def test_orderer_keeps_its_promises(events, maxhold, first_hold):
    clock = Clock()
    o = Orderer(True, maxhold, first_hold=first_hold, clock=clock)
    delivered = []            # (update_id, arrived_at, delivered_at)
    arrived_at = {}

    def emit(update):
        delivered.append((update['update_id'], arrived_at[id(update)], clock.now))

    def advance_to(t):
        # the runner waits exactly next_timeout() between expiries; model that precisely
        while True:
            nt = o.next_timeout()
            if nt is None or clock.now + nt > t:
                break
            clock.now += nt
            o.expire(emit)
        clock.now = t

    t = clock.now
    expected = set()
    for uid, delay in events:
        t += delay
        advance_to(t)
        upd = u(uid)
        arrived_at[id(upd)] = t
        last = o.last_id
        in_order = last is not None and uid == last + 1
        expected.add(uid)               # every id that arrives is handed on, once
        before = len(delivered)
        o.push(uid, upd, emit)
        o.expire(emit)
        if in_order or (last is None and o.first_hold == 0):
            # nothing in order is held at all (nor the first one, with first_hold=0)
            assert len(delivered) > before and delivered[before][0] == uid
            assert delivered[before][2] == t
    advance_to(t + maxhold + 1)
    assert len(o) == 0

    got = [d[0] for d in delivered]
    late = {b for i, b in enumerate(got) if i and b < max(got[:i])}
    in_sequence = [g for g in got if g not in late]
    assert all(a < b for a, b in zip(in_sequence, in_sequence[1:])), got   # in order ...
    for uid, arrived, at in delivered:
        if uid in late:
            assert at == arrived            # ... but for late ones, handed on on arrival
    assert len(got) == len(set(got))                            # nothing twice
    assert set(got) == expected                                 # nothing lost
    for uid, arrived, at in delivered:
        assert at - arrived <= maxhold + 1e-9, (uid, arrived, at)   # held <= maxhold


# ------------------------------------------------------------------------------ Backoff

def test_backoff_grows_exponentially_with_jitter_up_to_a_cap_and_resets():
    import random
    b = Backoff(base=1, cap=8, rng=random.Random(7))
    delays = [b.next() for _ in range(7)]
    for n, d in enumerate(delays):
        top = min(8, 2 ** n)
        assert top / 2 <= d <= top
    assert len(set(delays)) == len(delays)     # jittered, not constant
    b.reset()
    assert 0.5 <= b.next() <= 1

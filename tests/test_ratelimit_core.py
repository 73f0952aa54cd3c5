"""The limiter's bookkeeping (LimiterCore) on virtual time: no threads, no sleeping."""
from __future__ import annotations

import heapq
import math

import pytest

from telepot_ng.ratelimit import (BULK, COUNTED_METHODS, INTERACTIVE, LimiterCore, MemoryBuckets,
                                  RateLimits, Scope, Ticket, chat_key, scope_of)

PRIVATE = lambda i: Scope(('private', i), 'global')          # noqa: E731
GROUP = lambda i: Scope(('group', -i), 'global')             # noqa: E731


class Sim:
    """Drives a LimiterCore as a driver would: poll when asked, finish each granted request
    ``rtt`` later (optionally with a 429), record who went when."""

    def __init__(self, limits: RateLimits, rtt: float = 0.0) -> None:
        self.core = LimiterCore(limits)
        self.now = 0.0
        self.rtt = rtt
        self.sent = []              # (time, ticket)
        self.events = []            # (time, n, kind, payload)
        self.n = 0
        self.floods = {}            # ticket.data -> retry_after for its first send

    def at(self, t, fn):
        self.n += 1
        heapq.heappush(self.events, (t, self.n, fn))

    def submit(self, scope, lane=INTERACTIVE, data=None, t=None):
        ticket = Ticket(scope, lane, data=data)
        if t is None:
            self.core.submit(ticket, self.now)
        else:
            self.at(t, lambda: self.core.submit(ticket, self.now))
        return ticket

    def _granted(self, tickets):
        for ticket in tickets:
            self.sent.append((self.now, ticket))
            retry_after = self.floods.pop(ticket.data, None)
            self.at(self.now + self.rtt, lambda t=ticket, r=retry_after: self._finish(t, r))

    def _finish(self, ticket, retry_after):
        self.core.done(ticket, self.now, retry_after)
        if retry_after is not None:
            self.core.submit(ticket, self.now, front=True)

    def run(self, until=1e9):
        while True:
            granted, due = self.core.poll(self.now)
            self._granted(granted)
            nxt = [e[0] for e in self.events[:1]]
            if due is not None:
                nxt.append(due)
            if not nxt or min(nxt) > until:
                return
            self.now = max(self.now, min(nxt))
            while self.events and self.events[0][0] <= self.now:
                heapq.heappop(self.events)[2]()

    def times(self, pred=lambda t: True):
        return [round(at, 6) for at, t in self.sent if pred(t)]


FAST = RateLimits(chat_rate=1.0, chat_burst=3, group_rate=20 / 60, group_burst=20,
                  global_rate=30.0, global_burst=5)


# -- the policy value ------------------------------------------------------------------------

@pytest.mark.parametrize('bad', [
    dict(chat_rate=0), dict(global_rate=-1), dict(paid_rate=float('nan')),
    dict(group_rate=float('inf')), dict(chat_burst=0.5), dict(global_burst=True),
    dict(chat_rate='1'), dict(backoff=0), dict(backoff=1.5), dict(min_rate=0),
    dict(recovery=-1), dict(global_flood_chats=0), dict(global_flood_chats=1.5),
    dict(global_flood_window=0)])
def test_bad_numbers_are_refused_at_construction(bad):
    with pytest.raises(ValueError) as info:
        RateLimits(**bad)
    assert next(iter(bad)) in str(info.value)


def test_limits_are_frozen_and_scale_rates_only():
    limits = RateLimits()
    with pytest.raises(Exception):
        limits.chat_rate = 5            # type: ignore[misc]
    x10 = limits.scaled(10)
    assert x10.global_rate == 300 and x10.chat_rate == 10 and x10.group_rate == pytest.approx(200 / 60)
    assert x10.global_burst == limits.global_burst and x10.min_rate == limits.min_rate
    with pytest.raises(ValueError):
        limits.scaled(0)


def test_core_refuses_a_policy_or_store_of_the_wrong_type():
    with pytest.raises(ValueError):
        LimiterCore({'chat_rate': 1})              # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LimiterCore(RateLimits(), store={})        # type: ignore[arg-type]


# -- which calls count -----------------------------------------------------------------------

def test_counted_methods_come_from_the_spec():
    for m in ('sendMessage', 'sendPhoto', 'sendMediaGroup', 'copyMessage', 'forwardMessages',
              'editMessageText', 'editMessageReplyMarkup', 'setGameScore', 'sendPoll'):
        assert m in COUNTED_METHODS, m
    for m in ('getUpdates', 'getMe', 'getChat', 'answerCallbackQuery', 'answerInlineQuery',
              'sendChatAction', 'sendMessageDraft', 'setWebhook', 'banChatMember',
              'deleteMessage', 'getUserPersonalChatMessages', 'pinChatMessage'):
        assert m not in COUNTED_METHODS, m


def test_scope_of_a_call():
    assert scope_of('getMe', {}) is None
    assert scope_of('sendMessage', {'chat_id': 7, 'text': 'x'}) == Scope(('private', 7), 'global')
    assert scope_of('sendMessage', {'chat_id': '-1001', 'text': 'x'}) == \
        Scope(('group', -1001), 'global')
    assert scope_of('sendMessage', {'chat_id': '@News', 'text': 'x'}) == \
        Scope(('group', '@news'), 'global')
    assert scope_of('sendMessage', {'chat_id': 7, 'allow_paid_broadcast': True}).pool == 'paid'
    assert scope_of('editMessageText', {'inline_message_id': 'abc', 'text': 'x'}) == \
        Scope(None, 'global')
    assert chat_key(True) is None


# -- pacing ----------------------------------------------------------------------------------

def test_one_chat_gets_its_burst_then_its_rate():
    sim = Sim(FAST)
    for i in range(6):
        sim.submit(PRIVATE(1), data=i)
    sim.run()
    assert sim.times() == [0, 0, 0, 1, 2, 3]
    assert [t.data for _, t in sim.sent] == list(range(6))


def test_a_group_keeps_both_its_chat_and_its_group_limit():
    sim = Sim(FAST)
    for i in range(40):
        sim.submit(GROUP(5), data=i)
    sim.run()
    times = sim.times()
    # 3 at once, then one a second (the chat's limit) until the group's 20 are spent, then
    # as the group's bucket refills (one every 3 s)
    assert times[:4] == [0, 0, 0, 1]
    assert all(b - a >= 1 - 1e-9 for a, b in zip(times[3:], times[4:]))
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            assert j - i + 1 <= 20 + (times[j] - times[i]) / 3 + 1e-6
    assert times[-1] - times[-2] == pytest.approx(3.0)


def test_the_overall_rate_is_never_exceeded_and_is_reached():
    sim = Sim(FAST)
    for c in range(300):
        sim.submit(PRIVATE(c + 1))
    sim.run()
    times = [at for at, _ in sim.sent]
    assert len(times) == 300
    # never more than burst + rate * T in any window of T seconds
    for i in range(len(times)):
        for j in (i + 5, i + 30, i + 100):
            if j < len(times):
                assert j - i + 1 <= FAST.global_burst + FAST.global_rate * (times[j] - times[i]) + 1e-6
    assert times[-1] == pytest.approx((300 - FAST.global_burst) / FAST.global_rate, rel=1e-6)


def test_one_busy_chat_never_blocks_the_others():
    sim = Sim(FAST)
    for i in range(10):
        sim.submit(PRIVATE(1), data=('a', i))
    b = sim.submit(PRIVATE(2), data='b', t=0.5)
    sim.run()
    at = dict((t.data, when) for when, t in sim.sent)
    assert at['b'] == 0.5                 # not behind chat 1's seven remaining calls
    assert [t.data for _, t in sim.sent if t.data != 'b'] == [('a', i) for i in range(10)]


def test_calls_to_one_chat_go_one_at_a_time_in_order():
    sim = Sim(RateLimits(chat_rate=100, chat_burst=100), rtt=0.2)
    for i in range(5):
        sim.submit(PRIVATE(1), data=i)
    sim.run()
    assert sim.times() == [0, 0.2, 0.4, 0.6, 0.8]      # each after the previous answer
    assert [t.data for _, t in sim.sent] == list(range(5))


def test_interactive_calls_go_before_a_bulk_backlog():
    sim = Sim(FAST)
    for c in range(300):
        sim.submit(PRIVATE(1000 + c), BULK, data='bulk')
    reply = sim.submit(PRIVATE(1), INTERACTIVE, data='reply', t=2.0)
    sim.run()
    at = [when for when, t in sim.sent if t.data == 'reply']
    assert at and at[0] <= 2.0 + 1 / FAST.global_rate + 1e-9
    bulk = sim.times(lambda t: t.data == 'bulk')
    assert len(bulk) == 300 and bulk[-1] <= (300 + 1 - FAST.global_burst) / FAST.global_rate + 1e-6


def test_a_chat_with_a_reply_queued_behind_its_bulk_call_is_served_in_the_interactive_lane():
    sim = Sim(FAST)
    for c in range(100):
        sim.submit(PRIVATE(1000 + c), BULK, data='bulk')
    sim.submit(PRIVATE(1), BULK, data='own bulk', t=1.0)
    sim.submit(PRIVATE(1), INTERACTIVE, data='reply', t=1.0)
    sim.run()
    order = [t.data for _, t in sim.sent if t.scope.chat == ('private', 1)]
    assert order == ['own bulk', 'reply']                 # per chat order is kept...
    at = dict((t.data, when) for when, t in sim.sent)
    assert at['reply'] <= 1.0 + 2 / FAST.global_rate + 1e-9   # ...and neither waited behind the rest


def test_paid_broadcast_has_its_own_allowance():
    sim = Sim(FAST)
    for c in range(200):
        sim.submit(Scope(('private', c + 1), 'paid'))
    sim.run()
    assert sim.times()[-1] <= (200 - FAST.paid_burst) / FAST.paid_rate + 1e-6


def test_cancel_withdraws_a_waiting_call_only():
    sim = Sim(FAST)
    tickets = [sim.submit(PRIVATE(1), data=i) for i in range(5)]
    sim.run(until=0.5)
    assert sim.core.cancel(tickets[0], sim.now) is False        # already granted
    assert sim.core.cancel(tickets[3], sim.now) is True
    assert tickets[3].state == 'cancelled'
    sim.run()
    assert [t.data for _, t in sim.sent] == [0, 1, 2, 4]
    assert sim.times()[-1] == 1.0


# -- 429s ------------------------------------------------------------------------------------

def test_a_429_holds_only_its_chat_for_retry_after_and_retries_first():
    sim = Sim(FAST, rtt=0.05)
    sim.floods['a0'] = 5
    for i in range(3):
        sim.submit(PRIVATE(1), data='a%d' % i)
    for c in range(20):
        sim.submit(PRIVATE(100 + c), data='other', t=1.0)
    sim.run()
    a = [(round(when, 3), t.data) for when, t in sim.sent if t.scope.chat == ('private', 1)]
    assert a[0] == (0, 'a0')
    assert a[1][1] == 'a0' and a[1][0] == pytest.approx(5.05)      # held for retry_after
    assert [d for _, d in a] == ['a0', 'a0', 'a1', 'a2']
    others = sim.times(lambda t: t.data == 'other')
    assert len(others) == 20 and max(others) < 2.0                 # not held


def test_the_hold_is_not_lifted_by_a_completion_or_a_shorter_backoff():
    # PTB's two regressions: a hold ended early by an unrelated request finishing, or by a
    # shorter retry_after arriving later
    limits = RateLimits(chat_rate=100, chat_burst=100)
    core = LimiterCore(limits)
    a, b = Ticket(PRIVATE(1)), Ticket(PRIVATE(1))
    core.submit(a, 0.0)
    granted, _ = core.poll(0.0)
    assert granted == [a]
    core.done(a, 0.1, retry_after=10)
    core.submit(b, 0.1)
    c = Ticket(PRIVATE(1))
    # a shorter 429 for the same chat later on must not shorten the 10 s hold
    core.submit(c, 0.2)
    chat = core.chats[('private', 1)]
    core._flooded(c, chat, 1.0, 0.2)
    core._place(chat, 0.2)                 # the chat is looked at afresh after the 429
    granted, due = core.poll(5.0)
    assert granted == [] and due == pytest.approx(10.1)
    granted, _ = core.poll(10.1)
    assert granted == [b]


def test_429s_in_several_chats_at_once_hold_everything():
    sim = Sim(FAST, rtt=0.01)
    for c in range(3):
        sim.floods['x%d' % c] = 4
        sim.submit(PRIVATE(c + 1), data='x%d' % c)
    for c in range(10):
        sim.submit(PRIVATE(100 + c), data='later', t=0.5)
    sim.run()
    later = sim.times(lambda t: t.data == 'later')
    assert min(later) >= 4.0 and sim.core.pools['global'].stats.floods == 1


def test_a_429_on_a_call_without_a_chat_holds_everything():
    sim = Sim(FAST, rtt=0.01)
    sim.floods['inline'] = 2
    sim.submit(Scope(None, 'global'), data='inline')
    sim.submit(PRIVATE(9), data='later', t=0.5)
    sim.run()
    assert sim.times(lambda t: t.data == 'later')[0] >= 2.0


def test_the_rate_drops_after_a_429_and_creeps_back():
    limits = RateLimits(chat_rate=10, chat_burst=1, backoff=0.5, recovery=10)
    sim = Sim(limits, rtt=0.0)
    sim.floods['first'] = 1
    sim.submit(PRIVATE(1), data='first')
    for i in range(5):
        sim.submit(PRIVATE(1), data=i)
    sim.run()
    times = sim.times()
    gaps = [b - a for a, b in zip(times[2:], times[3:])]
    assert all(g > 0.1 + 1e-6 for g in gaps)       # slower than 10/s right after the hold
    pace = sim.core.chats[('private', 1)].adaptive
    assert pace.factor(sim.now, limits.recovery) < 1.0
    assert pace.factor(sim.now + 10, limits.recovery) == 1.0   # back to full pace later


# -- housekeeping and introspection ----------------------------------------------------------

def test_idle_chats_and_full_buckets_are_forgotten():
    sim = Sim(FAST)
    for c in range(50):
        sim.submit(PRIVATE(c + 1))
    sim.run()
    assert len(sim.core.chats) == 50
    sim.core.poll(sim.now + 1)            # arms the sweep
    sim.core.poll(sim.now + 100)
    assert len(sim.core.chats) == 0
    assert len(sim.core.store) == 0


def test_snapshot_reports_depth_waits_and_holds():
    sim = Sim(FAST, rtt=0.01)
    sim.floods['a'] = 3
    sim.submit(PRIVATE(1), data='a')
    for i in range(4):
        sim.submit(PRIVATE(2), BULK, data=i)
    sim.run(until=0.1)
    snap = sim.core.snapshot(sim.now)
    assert snap['waiting'] == 2 and snap['lanes'] == {'interactive': 1, 'bulk': 1}
    assert snap['kinds']['private']['chats'] == 2
    assert snap['kinds']['private']['floods'] == 1
    one = sim.core.chat_snapshot(('private', 1), sim.now)
    assert one['held_for'] == pytest.approx(3 - (sim.now - 0.01), abs=0.02)
    assert one['waiting'] == 1 and one['pace'] == 0.5
    assert snap['busiest'][0]['chat'] in (('private', 1), ('private', 2))


def test_memory_buckets_take_all_or_nothing():
    store = MemoryBuckets()
    a, b = ('a', 1.0, 1), ('b', 1.0, 2)
    assert store.take((a, b), 0.0) == 0.0
    assert store.take((a, b), 0.0) == pytest.approx(1.0)     # a is empty: nothing taken
    assert store.take((b,), 0.0) == 0.0                       # b still had its second token
    store.hold('b', 5.0)
    store.hold('b', 2.0)                                      # a hold only gets longer
    assert store.held_until('b') == 5.0
    assert store.peek((b,), 4.0) == pytest.approx(1.0)
    assert store.take((b,), 5.0) == 0.0

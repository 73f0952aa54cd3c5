"""The worker pool that runs create_open handlers: idle handlers hold no thread, one worker
per handler at a time and in order, straight-line listener.wait() with spare workers (and
their cap), idle timeouts from the timer, thread-local context and names, workers=0."""
from __future__ import annotations

import gc
import logging
import threading
import time

import pytest

from telepot_ng.delegate import call, create_open, pave_event_space, per_chat_id
from telepot_ng.delegation import at_delegate_end, current_bot
from telepot_ng.exception import IdleTerminate, StopListening, WaitTooLong
from telepot_ng.helper import ChatHandler

from .test_delegation import WAIT, Collector, chat_msg, make_bot


def wait_until(predicate, timeout=WAIT):
    """Poll a condition the code under test reaches asynchronously (worker retirement)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def handler_threads(prefix):
    return [t for t in threading.enumerate() if t.name.startswith(prefix)]


def test_idle_handlers_hold_no_threads():
    got = Collector()

    class Idle(ChatHandler):
        def on_chat_message(self, msg):
            got.add(self.chat_id)

    before = threading.active_count()
    bot = make_bot([(per_chat_id(), create_open(Idle, timeout=60))], workers=4)
    for c in range(3000):
        bot.handle(chat_msg(c, 1))
    got.wait_count(3000)
    assert bot.live_delegates == 3000
    # the pool's workers and the idle timer: nothing per handler
    assert threading.active_count() - before <= 4 + 2
    assert bot.worker_pool.workers <= 4
    assert not [t for t in threading.enumerate() if t.name.startswith('Idle[')
                and t.name not in ('Idle[%d]' % c for c in range(3000))]
    bot.stop(WAIT)
    assert bot.live_delegates == 0 and bot.worker_pool is None
    assert wait_until(lambda: threading.active_count() <= before + 1)   # + the waker


def test_one_worker_per_handler_at_a_time_in_order():
    inside = {}
    overlaps = []
    got = Collector()
    lock = threading.Lock()

    class Exclusive(ChatHandler):
        def on_chat_message(self, msg):
            with lock:
                if inside.get(self.chat_id):
                    overlaps.append(self.chat_id)
                inside[self.chat_id] = True
            time.sleep(0)                          # let other workers run meanwhile
            got.add(self.chat_id, msg['message_id'])
            with lock:
                inside[self.chat_id] = False

    bot = make_bot([(per_chat_id(), create_open(Exclusive, timeout=60))], workers=8)
    for n in range(200):
        for c in range(5):
            bot.handle(chat_msg(c, n))
    items = got.wait_count(1000)
    bot.stop(WAIT)
    assert overlaps == []
    for c in range(5):
        assert [n for cc, n in items if cc == c] == list(range(200))


def test_a_busy_handler_does_not_starve_another_on_one_worker():
    """Throughput: a worker takes at most a batch of one handler's messages, then moves on."""
    got = Collector()
    gate = threading.Event()

    class Fair(ChatHandler):
        def on_chat_message(self, msg):
            gate.wait(WAIT)
            got.add(self.chat_id, msg['message_id'])

    bot = make_bot([(per_chat_id(), create_open(Fair, timeout=60))], workers=1)
    for n in range(100):
        bot.handle(chat_msg(1, n))
    bot.handle(chat_msg(2, 0))
    gate.set()
    items = got.wait_count(101)
    bot.stop(WAIT)
    assert items.index((2, 0)) < 50


def test_context_and_thread_name_inside_a_pooled_handler():
    seen = Collector()
    ended = threading.Event()

    class Ctx(ChatHandler):
        def on_chat_message(self, msg):
            seen.add(current_bot() is self.bot, threading.current_thread().name,
                     at_delegate_end(ended.set))
            if msg['text'] == 'bye':
                self.close()

    bot = make_bot([(per_chat_id(), create_open(Ctx, timeout=60))], workers=2)
    bot.handle(chat_msg(-100123, 1))
    [(is_bot, name, registered)] = seen.wait_count(1)
    assert is_bot and name == 'Ctx[-100123]' and registered
    bot.handle(chat_msg(-100123, 2, 'bye'))
    assert ended.wait(WAIT)
    # outside a handler the context is gone, and an idle worker is named after its pool
    outside = []
    t = threading.Thread(target=lambda: outside.append((current_bot(),
                                                        at_delegate_end(lambda: None))))
    t.start()
    t.join(WAIT)
    assert outside == [(None, False)]
    assert wait_until(lambda: not handler_threads('Ctx['))
    assert all(t.name.startswith('telepot_ng-worker-') for t in handler_threads('telepot_ng-worker'))
    bot.stop(WAIT)


def test_straight_line_wait_gets_a_spare_worker_that_retires():
    """workers=1: a handler waiting in listener.wait() must not block the other chats; the
    spare started for it retires once the wait returns."""
    got = Collector()
    waiting = threading.Event()

    class Talk(ChatHandler):
        def on_chat_message(self, msg):
            if msg['text'] == 'ask':
                waiting.set()
                answer = self.listener.wait()
                got.add(self.chat_id, 'answer', answer['text'])
            else:
                got.add(self.chat_id, msg['text'])

    bot = make_bot([(per_chat_id(), create_open(Talk, timeout=60))], workers=1)
    bot.handle(chat_msg(1, 1, 'ask'))
    assert waiting.wait(WAIT)
    for c in range(2, 12):                       # other chats are served meanwhile
        bot.handle(chat_msg(c, 1, 'hi'))
    got.wait_count(10)
    pool = bot.worker_pool
    assert pool.workers == 2 and pool._blocked == 1
    bot.handle(chat_msg(1, 2, '42'))
    assert got.wait_count(11)[-1] == (1, 'answer', '42')
    assert wait_until(lambda: pool.workers == 1)
    bot.stop(WAIT)


def test_spare_workers_are_capped_with_one_warning(caplog):
    got = Collector()
    waiting = Collector()

    class Talk(ChatHandler):
        def on_chat_message(self, msg):
            if msg['text'] == 'ask':
                waiting.add(self.chat_id)
                got.add(self.chat_id, self.listener.wait()['text'])
            else:
                got.add(self.chat_id, msg['text'])

    bot = make_bot([(per_chat_id(), create_open(Talk, timeout=60))], workers=1,
                   max_spare_workers=1)
    with caplog.at_level(logging.WARNING, logger='telepot_ng'):
        bot.handle(chat_msg(1, 1, 'ask'))
        bot.handle(chat_msg(2, 1, 'ask'))
        waiting.wait_count(2)                     # one worker plus the one spare, both waiting
        # and, as when this thread is slow, the watchdog no longer looks (the queue drained)
        assert wait_until(lambda: not bot.worker_pool._watching)
        bot.handle(chat_msg(3, 1, 'ask'))
        bot.handle(chat_msg(4, 1, 'hi'))
        assert wait_until(lambda: any('spare workers is reached' in r.getMessage()
                                      for r in caplog.records))
        assert bot.worker_pool.workers == 2 and got.items == []
        bot.handle(chat_msg(1, 2, 'one'))         # chat 1 returns: its worker serves 3, 4
        waiting.wait_count(3)
        bot.handle(chat_msg(2, 2, 'two'))
        bot.handle(chat_msg(3, 2, 'three'))
        items = got.wait_count(4)
        bot.stop(WAIT)
    assert sorted(items) == [(1, 'one'), (2, 'two'), (3, 'three'), (4, 'hi')]
    warnings = [r for r in caplog.records if 'spare workers is reached' in r.getMessage()]
    assert len(warnings) == 1


def test_idle_timeouts_come_from_the_timer_and_on_idle_may_keep_the_handler():
    idles = Collector()
    closed = Collector()

    class Patient(ChatHandler):
        def on_chat_message(self, msg):
            pass

        def on__idle(self, event):
            idles.add(self.chat_id, event['_idle']['seconds'])
            if len([i for i in idles.items if i[0] == self.chat_id]) == 2:
                raise IdleTerminate(event['_idle']['seconds'])

        def on_close(self, ex):
            closed.add(self.chat_id, type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Patient, timeout=0.05))], workers=2)
    for c in range(20):
        bot.handle(chat_msg(c, 1))
    items = closed.wait_count(20)
    assert sorted(items) == [(c, 'IdleTerminate') for c in range(20)]
    assert sorted(idles.items) == sorted([(c, 0.05) for c in range(20)] * 2)
    assert bot.live_delegates == 0 and bot._registries[0] == {}
    # no thread per handler waited for those timeouts
    assert not handler_threads('Patient[')
    assert bot._timers is not None and bot._timers.pending == 0
    bot.stop(WAIT)


def test_a_message_restarts_the_idle_timeout():
    closed = Collector()

    class Quiet(ChatHandler):
        def on_chat_message(self, msg):
            pass

        def on_close(self, ex):
            closed.add(time.monotonic(), type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Quiet, timeout=0.3))], workers=2)
    t0 = time.monotonic()
    bot.handle(chat_msg(1, 1))
    for n in range(2, 6):
        time.sleep(0.1)
        bot.handle(chat_msg(1, n))
    last = time.monotonic()
    [(when, name)] = closed.wait_count(1)
    assert name == 'IdleTerminate'
    assert when >= last + 0.3 - 0.01 and when - t0 > 0.6
    bot.stop(WAIT)


def test_stop_reaches_idle_and_waiting_pooled_handlers():
    closes = Collector()
    waiting = threading.Event()

    class Waits(ChatHandler):
        def on_chat_message(self, msg):
            if self.chat_id == 1:
                waiting.set()
                self.listener.wait()

        def on_close(self, ex):
            closes.add(self.chat_id, type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Waits, timeout=60))], workers=2)
    bot.handle(chat_msg(1, 1))
    for c in range(2, 6):
        bot.handle(chat_msg(c, 1))
    assert waiting.wait(WAIT)
    bot.stop(WAIT)
    assert sorted(closes.items) == [(c, 'StopListening') for c in range(1, 6)]
    assert bot.live_delegates == 0
    assert not handler_threads('telepot_ng-worker-') and not handler_threads('Waits[')


def test_the_bot_serves_again_after_stop():
    got = Collector()

    class Again(ChatHandler):
        def on_chat_message(self, msg):
            got.add(msg['message_id'])

    bot = make_bot([(per_chat_id(), create_open(Again, timeout=60))], workers=2)
    bot.handle(chat_msg(1, 1))
    got.wait_count(1)
    bot.stop(WAIT)
    bot.handle(chat_msg(1, 2))
    assert got.wait_count(2) == [(1,), (2,)]
    bot.stop(WAIT)


def test_workers_0_gives_each_handler_its_own_thread():
    names = Collector()
    gate = threading.Event()

    class Own(ChatHandler):
        def on_chat_message(self, msg):
            names.add(threading.current_thread().name)
            gate.wait(WAIT)

    bot = make_bot([(per_chat_id(), create_open(Own, timeout=60))], workers=0)
    for c in range(3):
        bot.handle(chat_msg(c, 1))
    names.wait_count(3)
    assert sorted(t.name for t in handler_threads('Own[')) == ['Own[0]', 'Own[1]', 'Own[2]']
    assert bot.worker_pool is None
    gate.set()
    bot.stop(WAIT)


def test_custom_delegates_keep_their_own_threads():
    names = Collector()

    def conversation(seed_tuple):
        names.add(threading.current_thread().name, current_bot() is seed_tuple[0])

    bot = make_bot([(per_chat_id(), call(conversation))], workers=4)
    bot.handle(chat_msg(7, 1))
    assert names.wait_count(1) == [('conversation[7]', True)]
    assert bot.worker_pool is None
    bot.stop(WAIT)


def test_invalid_pool_sizes():
    with pytest.raises(ValueError):
        make_bot([], workers=-1)
    with pytest.raises(ValueError):
        make_bot([], max_spare_workers=-1)


def test_stop_listening_from_a_pooled_wait_after_stop_is_raised_again():
    """A handler that catches StopListening and waits again gets it again (as in a thread)."""
    seen = Collector()
    waiting = threading.Event()

    class Stubborn(ChatHandler):
        def on_chat_message(self, msg):
            waiting.set()
            for _ in range(2):
                try:
                    self.listener.wait()
                except StopListening as e:
                    seen.add(e.reason)

    bot = make_bot([(per_chat_id(), create_open(Stubborn, timeout=60))], workers=1)
    bot.handle(chat_msg(1, 1))
    assert waiting.wait(WAIT)
    bot.stop(WAIT)
    assert seen.items == [('bot is stopping',), ('bot is stopping',)]


def test_wait_too_long_inside_on_message_closes_the_handler():
    closed = Collector()

    class Impatient(ChatHandler):
        def on_chat_message(self, msg):
            self.listener.wait()

        def on_close(self, ex):
            closed.add(type(ex))

    bot = make_bot([(per_chat_id(), create_open(Impatient, timeout=0.05))], workers=1)
    bot.handle(chat_msg(1, 1))
    [(exc,)] = closed.wait_count(1)
    assert issubclass(exc, WaitTooLong)
    bot.stop(WAIT)


def test_workers_blocked_where_the_pool_cannot_see_are_replaced_up_to_size():
    """Only `active` workers are woken at once; when they block in something the pool
    cannot see (here a barrier, like a slow Bot API call), the watchdog lets more run, up to
    `workers`: four handlers meet at a barrier that needs all four at once."""
    barrier = threading.Barrier(4)
    met = Collector()

    class Meet(ChatHandler):
        def on_chat_message(self, msg):
            barrier.wait(WAIT)
            met.add(self.chat_id)

    bot = make_bot([(per_chat_id(), create_open(Meet, timeout=60))], workers=4)
    pool = bot._get_pool()
    assert pool.active == 2
    for c in range(4):
        bot.handle(chat_msg(c, 1))
    assert sorted(met.wait_count(4)) == [(0,), (1,), (2,), (3,)]
    assert not barrier.broken
    bot.stop(WAIT)


def test_handlers_that_timed_out_leave_nothing_behind():
    """After a churn of short-lived handlers nothing of them stays: no live delegate, no
    registry or index entry, no timer event, no listener entry waiting to be reaped."""
    closed = Collector()

    class Brief(ChatHandler):
        def on_chat_message(self, msg):
            pass

        def on_close(self, ex):
            closed.add(self.chat_id)

    bot = make_bot([(per_chat_id(), create_open(Brief, timeout=0.02))], workers=2)
    for c in range(300):
        bot.handle(chat_msg(c, 1))
    closed.wait_count(300)
    assert wait_until(lambda: bot.live_delegates == 0)
    gc.collect()
    assert bot._registries[0] == {} and bot._mic._entries == {}
    assert all(not table for table in bot._mic._index.values())
    assert len(bot._mic._dead) == 0            # dead handlers' entries were not left to reap
    assert bot._timers.pending == 0
    bot.stop(WAIT)


# -- issue 17, speed: the one-item mailbox slot, the idle timers' lists, singleton buckets --

def test_mailbox_one_item_slot_keeps_fifo_order():
    from telepot_ng._mailbox import _NO_ITEMS, EMPTY, Mailbox, Waker

    box = Mailbox(Waker('test-waker'))
    box.put('a')
    assert box._one == 'a' and box._dq is _NO_ITEMS      # one message: no deque
    assert box.qsize() == 1 and not box.empty()
    assert box.take() == 'a' and box.take() is EMPTY and box.empty()
    box.put('b')
    box.put('c')                       # a second one while one waits: the deque
    assert box.take() == 'b'
    box.put('d')                       # the slot is free but older ones wait in the deque
    box.put('e')
    assert [box.get_nowait() for _ in range(3)] == ['c', 'd', 'e']
    # unget: what the owner took last comes out first, before what came meanwhile
    box.put('f')
    f = box.take()
    box.put('g')                       # into the free slot: newer than f
    box.unget(f)
    box.put('h')
    assert [box.take() for _ in range(3)] == ['f', 'g', 'h'] and box.take() is EMPTY
    box.put('i')
    box.put('j')
    assert box.take() == 'i'
    j = box.take()                     # from the deque, now empty
    box.put('k')                       # into the slot
    box.put('l')                       # into the deque
    box.unget(j)
    assert [box.take() for _ in range(3)] == ['j', 'k', 'l'] and box.take() is EMPTY


def test_mailbox_order_with_a_producer_thread_racing_the_owner():
    import sys

    from telepot_ng._mailbox import EMPTY, Mailbox, Waker

    box = Mailbox(Waker('test-waker'))
    n = 20000
    got = []
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)        # as many thread switches inside put/take as possible
    try:
        producer = threading.Thread(target=lambda: [box.put(i) for i in range(n)])
        producer.start()
        while len(got) < n:
            item = box.take()
            if item is not EMPTY:
                got.append(item)
            elif not producer.is_alive() and box.empty():
                break
        producer.join(WAIT)
    finally:
        sys.setswitchinterval(old)
    assert got == list(range(n))


def test_mailbox_producer_threads_racing_to_make_the_deque_lose_nothing(monkeypatch):
    """Producers other than the microphone (user threads putting into a handler's queue) do
    not hold the routing lock: two that find the slot full at once both make the deque -- a
    thread switch can come at that call -- and must still append to one deque. Here the
    deque's creation waits until both producers are inside it."""
    import collections
    import types

    import telepot_ng._mailbox as mailbox_mod

    both_inside = threading.Barrier(2)

    def deque_made_slowly(*args):
        d = collections.deque(*args)
        both_inside.wait(WAIT)
        return d

    box = mailbox_mod.Mailbox(mailbox_mod.Waker('test-waker'))
    monkeypatch.setattr(mailbox_mod, 'collections', types.SimpleNamespace(
        deque=deque_made_slowly))
    box.put('first')                    # the slot is full: the next puts need the deque
    producers = [threading.Thread(target=box.put, args=(k,)) for k in ('a', 'b')]
    for t in producers:
        t.start()
    for t in producers:
        t.join(WAIT)
    assert not both_inside.broken
    items = [box.take() for _ in range(box.qsize())]
    assert items[0] == 'first' and sorted(items[1:]) == ['a', 'b']


def test_a_handler_getting_one_message_at_a_time_allocates_no_deque():
    from telepot_ng._mailbox import _NO_ITEMS

    got = Collector()

    class One(ChatHandler):
        def on_chat_message(self, msg):
            got.add(msg['message_id'])

    bot = make_bot([(per_chat_id(), create_open(One, timeout=60))], workers=2)
    for n in range(1, 6):
        bot.handle(chat_msg(1, n))
        got.wait_count(n)
    slot = bot._registries[0][1]
    assert slot.mailbox._dq is _NO_ITEMS and got.items == [(n,) for n in range(1, 6)]
    bot.stop(WAIT)


def test_the_idle_deadline_follows_a_changed_timeout():
    closed = Collector()

    handled = Collector()

    class Shorter(ChatHandler):
        def on_chat_message(self, msg):
            if msg['message_id'] == 2:          # a later turn: its deadline is in a list
                self.listener.set_options(timeout=0.05)
            handled.add(self.chat_id)

        def on_close(self, ex):
            closed.add(self.chat_id, type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Shorter, timeout=600))], workers=2)
    for n in (1, 2):
        bot.handle(chat_msg(1, n))
        bot.handle(chat_msg(2, n))
        handled.wait_count(2 * n)
        assert wait_until(lambda: all(s.timer is not None
                                      for s in bot._registries[0].values()))  # turns ended
    assert sorted(closed.wait_count(2)) == [(1, 'IdleTerminate'), (2, 'IdleTerminate')]
    assert bot._timers.pending == 0
    bot.stop(WAIT)


def test_a_busy_handler_past_its_timeout_is_looked_at_again_not_in_a_loop(monkeypatch):
    from telepot_ng import delegation

    looks = []
    original = delegation._Slot.timed_out

    def counted(slot):
        looks.append(time.monotonic())
        original(slot)

    monkeypatch.setattr(delegation._Slot, 'timed_out', counted)
    release = threading.Event()
    closed = Collector()

    started = threading.Event()

    first = threading.Event()

    class Busy(ChatHandler):
        def on_chat_message(self, msg):
            first.set()
            if msg['message_id'] == 2:  # a later turn, with a deadline in the idle timers
                started.set()
                release.wait(WAIT)      # busy for many timeouts (a wait the pool cannot see)

        def on_close(self, ex):
            closed.add(type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Busy, timeout=0.05))], workers=2)
    bot.handle(chat_msg(1, 1))
    assert first.wait(WAIT)
    assert wait_until(lambda: bot._registries[0][1].timer is not None)   # its turn ended
    bot.handle(chat_msg(1, 2))
    assert started.wait(WAIT)
    time.sleep(0.4)                      # 8 timeouts while it is busy
    release.set()
    assert closed.wait_count(1) == [('IdleTerminate',)]
    # looked at about once per timeout while busy (a re-check without a new deadline spins)
    assert 1 <= len(looks) <= 30
    bot.stop(WAIT)


def test_index_buckets_with_one_and_several_listeners():
    bot = make_bot([])
    a, b = bot.create_listener(), bot.create_listener()
    a.capture([{'chat': {'id': 7}}])
    table = bot._mic._index[('chat', 'id')]
    assert table[7] is a._entry                 # one listener, nothing to test: its entry
    b.capture([{'chat': {'id': 7}}])
    assert isinstance(table[7], list) and len(table[7]) == 2
    bot.mic.send(chat_msg(7, 1))
    assert a.queue.get_nowait()['message_id'] == 1 and b.queue.get_nowait()['message_id'] == 1
    a.close()
    assert table[7] is b._entry
    bot.mic.send(chat_msg(7, 2))
    assert a.queue.empty() and b.queue.get_nowait()['message_id'] == 2
    # a criterion with a test beside its index pair: a list even for one listener
    a = bot.create_listener()
    a.capture([{'chat': {'id': 7}, 'text': lambda t: t == 'y'}])
    assert isinstance(table[7], list) and len(table[7]) == 2
    bot.mic.send(chat_msg(7, 3, text='n'))
    bot.mic.send(chat_msg(7, 4, text='y'))
    assert a.queue.get_nowait()['message_id'] == 4 and a.queue.empty()
    assert [b.queue.get_nowait()['message_id'] for _ in range(2)] == [3, 4]
    b.close()
    assert isinstance(table[7], list) and table[7][0][0] is a._entry
    a.close()
    assert bot._mic._index == {}


def test_a_handler_that_stops_the_bot_and_drops_its_timeout_ends_cleanly(caplog):
    """A handler stops the bot in the last message of a full turn (its idle timers are
    gone when that turn ends) having set its timeout to None: the end of its turn drops its
    deadline without the stopped timers (it raised AttributeError in the worker, and the
    handler was never closed) and its on_close runs."""
    from telepot_ng.delegation import _THROUGHPUT
    closed = Collector()
    stopped = threading.Event()
    go = threading.Event()
    last = _THROUGHPUT + 1          # turn 2 takes messages 2..last: a full turn

    class Stopper(ChatHandler):
        def on_chat_message(self, msg):
            if msg['message_id'] == 2:
                go.wait(WAIT)                   # until all the turn's messages are queued
            if msg['message_id'] == last:
                self.listener.set_options(timeout=None)
                self.bot.stop(WAIT)
                stopped.set()

        def on_close(self, ex):
            closed.add(self.chat_id, type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Stopper, timeout=600))], workers=2)
    bot.handle(chat_msg(1, 1))
    assert wait_until(lambda: bot._registries[0][1].timer is not None)     # turn 1 ended
    with caplog.at_level(logging.ERROR, logger='telepot_ng'):
        for n in range(2, last + 1):
            bot.handle(chat_msg(1, n))
        go.set()
        assert stopped.wait(WAIT)
        assert closed.wait_count(1) == [(1, 'StopListening')]
    assert not [r for r in caplog.records if 'raised' in r.getMessage()]
    assert wait_until(lambda: bot.live_delegates == 0)


def test_idle_timers_busy_head_does_not_delay_the_next_deadline():
    """A task active since it was placed stays in place (a busy turn only sets
    ``last_active``); when the timers' thread reaches it, it moves it to the end and fires
    the next one on time: B (idle) fires before A (busy, placed first), A only a timeout
    after its last activity."""
    from telepot_ng._pool import IdleTimers

    fired = []
    done = threading.Event()

    class Task:
        def __init__(self, name):
            self.name, self.timer, self.timer_at = name, None, 0.0
            self.last_active = time.monotonic()

        def timed_out(self):
            fired.append((self.name, time.monotonic()))
            if len(fired) == 2:
                done.set()

    timers = IdleTimers('test-idle-timers')
    try:
        a = Task('A')
        timers.touch(a, 1.0)
        b = Task('B')
        timers.touch(b, 1.0)
        lst = a.timer
        assert list(lst) == [a, b]
        time.sleep(0.2)                 # (A's activity, a fifth of a timeout later)
        a.last_active = time.monotonic()
        timers.touch(a, 1.0)            # what a busy turn's end does: A stays in place
        assert list(lst) == [a, b] and a.timer_at < a.last_active
        assert done.wait(WAIT)
        (first, t1), (second, t2) = fired
        assert (first, second) == ('B', 'A')
        assert t1 >= b.last_active + 0.999 and t1 < a.last_active + 1.0
        assert t2 >= a.last_active + 0.999
    finally:
        timers.stop()


def test_handlers_waiting_on_bot_api_calls_overlap_them():
    """A handler's Bot API call lets its worker's GIL go: the pool lets more workers run
    while some wait on the network, so short calls that keep tasks starting (the
    watchdog's no-progress rule never fires) still overlap: 300 chats' handlers, each call
    a loopback round trip well under the watchdog's millisecond, overlap beyond the 2
    active workers."""
    from telepot_ng import DelegatorBot
    from telepot_ng.testing import FakeTelegram

    inflight = [0, 0]           # now, peak
    lock = threading.Lock()
    done = threading.Event()
    replied = []

    class Replier(ChatHandler):
        def on_chat_message(self, msg):
            with lock:
                inflight[0] += 1
                inflight[1] = max(inflight[1], inflight[0])
            try:
                self.sender.sendMessage('ok')
            finally:
                with lock:
                    inflight[0] -= 1
                    replied.append(self.chat_id)
                    if len(replied) == 300:
                        done.set()

    with FakeTelegram() as tg:
        bot = DelegatorBot(tg.token, [pave_event_space()(per_chat_id(), create_open, Replier,
                                                         timeout=10)],
                           base_url=tg.base_url, rate_limits=None)
        try:
            for chat in range(300):
                bot.handle(chat_msg(1000 + chat, 1))
            assert done.wait(WAIT)
            assert sorted(replied) == list(range(1000, 1300))
            # measured: 16 (all the workers); 3 without (the active 2, and now and then one
            # more when the no-progress rule fired)
            assert inflight[1] >= 8, inflight
            assert bot._pool.peak_workers <= bot._pool.size + bot._pool.max_spares
        finally:
            bot.stop()


def test_puts_from_threads_without_the_routing_lock_claim_a_handler_once():
    """A pooled handler's queue is filled by user threads (which do not hold the routing lock
    a claim is taken under) while the bot dispatches into it too and its turns end: every
    message once, in each producer's order, and never two workers in the handler at once."""
    import sys

    got = Collector()
    lock = threading.Lock()
    inside = [0]
    overlaps = []
    ready = threading.Event()
    queues = []

    class Exclusive(ChatHandler):
        def on_chat_message(self, msg):
            if not queues:
                queues.append(self.listener.queue)
                ready.set()
            with lock:
                inside[0] += 1
                if inside[0] > 1:
                    overlaps.append(msg['message_id'])
            got.add(msg['from']['id'], msg['message_id'])
            with lock:
                inside[0] -= 1

    bot = make_bot([(per_chat_id(), create_open(Exclusive, timeout=60))], workers=4)
    bot.handle(chat_msg(1, 0, user=0))
    assert ready.wait(WAIT)
    n = 3000
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)        # thread switches inside put, claim and release
    try:
        producers = [threading.Thread(target=lambda k=k: [queues[0].put(chat_msg(1, i, user=k))
                                                           for i in range(1, n + 1)])
                     for k in (1, 2, 3)]
        for t in producers:
            t.start()
        for i in range(1, n + 1):
            bot.handle(chat_msg(1, i, user=0))
        for t in producers:
            t.join(WAIT)
        got.wait_count(4 * n + 1)
    finally:
        sys.setswitchinterval(old)
    # the handler is idle: a put from a user thread alone must have it run
    t = threading.Thread(target=queues[0].put, args=(chat_msg(1, n + 1, user=1),))
    t.start()
    t.join(WAIT)
    items = got.wait_count(4 * n + 2)
    bot.stop(WAIT)
    assert overlaps == []
    assert len(items) == 4 * n + 2
    for k in range(4):
        assert [m for u, m in items if u == k] == list(range(0 if k == 0 else 1,
                                                             n + (2 if k == 1 else 1)))


def test_neither_the_microphone_nor_a_parked_worker_keeps_an_ended_delegate():
    """handle() learns whose listener the microphone put a message into (to skip the
    registry), and a worker's loop holds the task it ran: neither reference outlives its
    use, so a delegate that ended is collectable at once (fails when a parked worker keeps
    its last task, or the microphone keeps its last delegate)."""
    got = Collector()

    class Once(ChatHandler):
        def on_chat_message(self, msg):
            got.add(msg['message_id'])
            self.close()

    bot = make_bot([(per_chat_id(), create_open(Once, timeout=60))], workers=2)
    bot.handle(chat_msg(1, 1))
    bot.handle(chat_msg(1, 2))          # its delegate is live: delivered by the microphone
    got.wait_count(2)
    assert wait_until(lambda: bot.live_delegates == 0)
    gc.collect()
    assert [o for o in gc.get_objects() if type(o).__name__ == '_Slot' and o.bot is bot] == []
    bot.stop(WAIT)


def test_a_task_submitted_after_the_workers_parked_wakes_one_without_the_watchdog():
    """Tasks that waited behind busy workers leave the pool in that state; once the workers
    drained the queue and parked, the next submit must wake one itself -- not leave its task
    for the watchdog's next look (a millisecond or more later, during which the submitting
    thread runs ahead of the workers). The watchdog is kept from acting here, so a submit
    that leaves the task to it never runs it."""
    from telepot_ng._pool import WorkerPool

    pool = WorkerPool('test-pool', size=2, active=2)
    pool._watch_loop = lambda: None         # a watchdog that never looks
    gate = threading.Event()
    started = threading.Barrier(3)
    ran = []

    class Task:
        def __init__(self, name, block=False):
            self.name = name
            self.block = block
            self.done = threading.Event()

        def run(self):
            if self.block:
                started.wait(WAIT)
                gate.wait(WAIT)
            ran.append(self.name)
            self.done.set()

    busy = [Task('busy-%d' % i, block=True) for i in range(2)]
    for t in busy:
        pool.submit(t)
    started.wait(WAIT)                  # both workers are inside a task
    behind = Task('behind')
    pool.submit(behind)                 # no worker to wake: it waits behind them
    gate.set()
    assert behind.done.wait(WAIT)       # the busy workers come back to it
    deadline = time.monotonic() + WAIT
    while len(pool._idle) < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(pool._idle) == 2         # both parked: the queue is empty
    later = [Task('later-%d' % i) for i in range(3)]
    for t in later:
        pool.submit(t)
        assert t.done.wait(WAIT), 'a submit left its task to the watchdog'
    assert sorted(ran[:3]) == ['behind', 'busy-0', 'busy-1']
    assert ran[3:] == ['later-0', 'later-1', 'later-2']
    assert pool.stop(WAIT)


def test_a_task_submitted_while_every_worker_is_blocked_gets_a_spare():
    """Tasks that waited behind a busy worker leave the pool in that state; when the workers
    then block for long (managed waits: they never park) and the queue drains, the
    watchdog stops looking. A later submit must still wake or start a worker -- with spares
    allowed, a message for another chat must not wait until a blocked handler returns."""
    from telepot_ng._pool import WorkerPool, managed_block

    pool = WorkerPool('test-pool', size=1, active=1)
    a_in, a_go, b_in, release = (threading.Event() for _ in range(4))

    class Task:
        def __init__(self, name, body):
            self.name = name
            self.body = body
            self.done = threading.Event()

        def run(self):
            self.body()
            self.done.set()

    def a_body():
        a_in.set()
        a_go.wait(WAIT)                 # busy, not blocked where the pool can see
        with managed_block():
            release.wait(WAIT)

    def b_body():
        with managed_block():
            b_in.set()
            release.wait(WAIT)

    a, b = Task('a', a_body), Task('b', b_body)
    pool.submit(a)
    assert a_in.wait(WAIT)
    pool.submit(b)                      # behind the one busy worker
    assert pool._saturated
    a_go.set()                          # a's block lets a spare start for b
    assert b_in.wait(WAIT)
    assert wait_until(lambda: not pool._watching)     # the queue drained: the watchdog rests
    c = Task('c', lambda: None)
    pool.submit(c)
    assert c.done.wait(WAIT), 'a task waited for a blocked worker to return'
    assert not a.done.is_set() and not b.done.is_set()
    release.set()
    assert a.done.wait(WAIT) and b.done.wait(WAIT)
    assert pool.stop(WAIT)

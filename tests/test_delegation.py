"""Delegation core: telepot 6.3 semantics, per-chat order, hand-over at a handler's end,
release of dead handlers, errors, the thread cap, and a clean stop."""
from __future__ import annotations

import gc
import logging
import queue
import random
import re
import threading
import time
import weakref

import pytest

import telepot_ng
from telepot_ng import DelegatorBot, SpeakerBot
from telepot_ng.delegate import (call, create_open, create_run, per_application, per_chat_id,
                                 per_chat_id_except, per_chat_id_in, per_from_id,
                                 per_inline_from_id, per_message)
from telepot_ng._capture import Capture as _Capture
from telepot_ng.delegation import Microphone
from telepot_ng.exception import IdleTerminate, StopListening, WaitTooLong
from telepot_ng.helper import ChatHandler, Listener, Monitor, UserHandler, openable

from .conftest import TOKEN, RecordingTransport

WAIT = 10.0


def make_bot(patterns, **kw):
    bot = DelegatorBot(TOKEN, patterns, base_url='http://127.0.0.1:9', **kw)
    bot._transport = RecordingTransport()
    return bot


def chat_msg(chat_id, n, text='x', chat_type='private', user=None):
    return {'message_id': n, 'date': 0, 'text': text,
            'chat': {'id': chat_id, 'type': chat_type},
            'from': {'id': user if user is not None else chat_id, 'is_bot': False,
                     'first_name': 'U'}}


class Collector:
    """Thread-safe record of (chat, message_id, handler generation) with a wait."""

    def __init__(self):
        self.cond = threading.Condition()
        self.items = []

    def add(self, *item):
        with self.cond:
            self.items.append(item)
            self.cond.notify_all()

    def wait_count(self, n, timeout=WAIT):
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.items) >= n, timeout), \
                'only %d of %d arrived' % (len(self.items), n)
            return list(self.items)


# ------------------------------------------------------------------------ telepot 6.3 program

def test_the_63_message_counter_runs_unchanged():
    """The counter from the telepot 6.3 reference, verbatim apart from the import."""
    class MessageCounter(telepot_ng.helper.ChatHandler):
        def __init__(self, seed_tuple, timeout):
            super(MessageCounter, self).__init__(seed_tuple, timeout)
            self._count = 0

        def on_message(self, msg):
            self._count += 1
            self.sender.sendMessage(self._count)

    bot = make_bot([(per_chat_id(), create_open(MessageCounter, timeout=10))])
    for n in range(1, 6):
        bot.handle(chat_msg(1, n))
        bot.handle(chat_msg(2, n))
    bot.stop(WAIT)
    sent = [(p['chat_id'], p['text']) for m, p in bot._transport.calls if m == 'sendMessage']
    assert [t for c, t in sent if c == 1] == [1, 2, 3, 4, 5]
    assert [t for c, t in sent if c == 2] == [1, 2, 3, 4, 5]


def test_per_chat_order_across_many_concurrent_chats():
    got = Collector()

    class Recorder(ChatHandler):
        def on_message(self, msg):
            got.add(self.chat_id, msg['message_id'])

    bot = make_bot([(per_chat_id(), create_open(Recorder, timeout=30))])
    chats, per = 200, 30
    rnd = random.Random(7)
    order = [c for c in range(chats) for _ in range(per)]
    rnd.shuffle(order)
    counters = {}
    for c in order:
        counters[c] = counters.get(c, 0) + 1
        bot.handle(chat_msg(c, counters[c]))
    items = got.wait_count(chats * per)
    bot.stop(WAIT)
    by_chat = {}
    for c, n in items:
        by_chat.setdefault(c, []).append(n)
    assert len(by_chat) == chats
    for c, ns in by_chat.items():
        assert ns == list(range(1, per + 1)), c
    assert bot.live_delegates == 0


# ------------------------------------------------------------------------------- seed rules

def test_seed_semantics_hashable_unhashable_none_and_order():
    calls = []
    lock = threading.Lock()

    def producer(tag):
        def make(seed_tuple):
            bot, msg, seed = seed_tuple
            with lock:
                calls.append((tag, msg['message_id'], repr(seed)))
            return lambda: None          # a function delegate that ends at once
        return make

    bot = make_bot([
        (lambda msg: None, producer('none')),
        (lambda msg: [], producer('list')),
        (lambda msg: 'same', producer('hashable')),
    ])
    block = threading.Event()
    bot._patterns[2] = (lambda msg: 'same',
                        lambda st: (calls.append(('hashable', st[1]['message_id'], "'same'")),
                                    (block.wait, (WAIT,), {}))[1])
    for n in range(3):
        bot.handle(chat_msg(1, n))
    block.set()
    bot.stop(WAIT)
    assert [c for c in calls if c[0] == 'none'] == []
    assert [c[1] for c in calls if c[0] == 'list'] == [0, 1, 2]       # always new
    assert [c[1] for c in calls if c[0] == 'hashable'] == [0]         # one live delegate


def test_hashable_seed_gets_a_new_delegate_once_the_old_one_ended():
    done = []

    def make(seed_tuple):
        return lambda: done.append(seed_tuple[1]['message_id'])

    bot = make_bot([(per_application(), make)])
    bot.handle(chat_msg(1, 1))
    deadline = time.monotonic() + WAIT
    while bot.live_delegates and time.monotonic() < deadline:
        time.sleep(0.001)
    bot.handle(chat_msg(1, 2))
    bot.stop(WAIT)
    assert done == [1, 2]


def test_delegate_forms():
    results = Collector()

    class T(threading.Thread):
        def __init__(self, seed_tuple):
            super().__init__()
            self.seed = seed_tuple[2]

        def run(self):
            results.add('thread', self.seed)

    class Obj:
        def __init__(self, seed):
            self.seed, self.started = seed, False

        def start(self):
            self.started = True
            results.add('object', self.seed)

        def is_alive(self):
            return False

    def func(seed_tuple, extra, kw=None):
        results.add('tuple', seed_tuple[2], extra, kw)

    bot = make_bot([
        (lambda m: 'a', lambda st: T(st)),
        (lambda m: 'b', lambda st: Obj(st[2])),
        (lambda m: 'c', lambda st: (lambda: results.add('function', st[2]))),
        (lambda m: 'd', call(func, 'X', kw='K')),
    ])
    bot.handle(chat_msg(1, 1))
    items = results.wait_count(4)
    bot.stop(WAIT)
    assert sorted(items) == sorted([('thread', 'a'), ('object', 'b'), ('function', 'c'),
                                    ('tuple', 'd', 'X', 'K')])


def test_seed_functions_of_the_63_reference():
    m = chat_msg(5, 1)
    assert per_chat_id()(m) == 5
    assert per_chat_id_in({5})(m) == 5 and per_chat_id_in({6})(m) is None
    assert per_chat_id_except({5})(m) is None and per_chat_id_except({6})(m) == 5
    assert per_from_id()(m) == 5
    q = {'id': 'q', 'from': {'id': 9}, 'query': 'x', 'offset': ''}
    assert per_inline_from_id()(q) == 9 and per_inline_from_id()(m) is None
    assert per_chat_id()(q) is None          # no KeyError: not a chat message
    assert per_message()(m) == [] and per_application()(m) == 1


def test_create_run_and_user_loop_with_wait():
    got = Collector()

    class Conversation:
        def __init__(self, seed_tuple):
            self.bot, msg, self.seed = seed_tuple
            self.listener = self.bot.create_listener()
            self.listener.capture(chat__id=msg['chat']['id'])

        def run(self):
            got.add('first')
            got.add(self.listener.wait()['text'])
            got.add(self.listener.wait()['text'])

    bot = make_bot([(per_chat_id(), create_run(Conversation))])
    bot.handle(chat_msg(1, 1, 'hello'))
    bot.handle(chat_msg(1, 2, 'second'))
    bot.handle(chat_msg(1, 3, 'third'))
    items = got.wait_count(3)
    bot.stop(WAIT)
    assert items == [('first',), ('second',), ('third',)]


# -------------------------------------------------------------------------------- listeners

def test_listener_capture_forms_and_options():
    mic = Microphone()
    q = queue.Queue()
    ln = Listener(mic, q)
    with pytest.raises(RuntimeError):
        ln.wait()
    ln.capture(chat__id=7)
    ln.capture(chat={'id': 8}, text=lambda t: t.isdigit())
    ln.capture(_=lambda msg: msg.get('special') is True)
    ln.capture([{'from': {'id': 99}}, lambda msg: 'text' in msg])
    ln.capture([{re.compile('^cap'): 'tion'}])
    assert len(ln.list_captures()) == 5
    mic.send(chat_msg(7, 1))                        # chat__id
    mic.send(chat_msg(8, 2, 'abc'))                 # AND fails
    mic.send(chat_msg(8, 3, '123'))                 # both match
    mic.send({'special': True})                     # whole message
    mic.send(chat_msg(1, 4, 'x', user=99))          # telepot 12 list
    mic.send({'caption': 'tion'})                   # regex key
    mic.send({'chat': 'not a dict'})                # never an error
    assert [q.get_nowait().get('message_id', 'S') for _ in range(5)] == [1, 3, 'S', 4, 'S']
    assert q.empty()
    ln.cancel_capture(chat__id=7)
    mic.send(chat_msg(7, 5))
    assert q.empty()
    ln.set_options(timeout=0.01)
    assert ln.get_options('timeout') == (0.01,)
    with pytest.raises(WaitTooLong):
        ln.wait()
    ln.clear_captures()
    assert ln.list_captures() == []


def test_a_failing_criterion_is_logged_and_treated_as_no_match(caplog):
    mic = Microphone()
    q = queue.Queue()
    ln = Listener(mic, q)
    ln.capture(_=lambda msg: 1 / 0)
    ln.capture(chat__id=1)
    with caplog.at_level(logging.ERROR, logger='telepot_ng.delegation'):
        mic.send(chat_msg(2, 2))          # only the failing criterion applies
        mic.send(chat_msg(1, 1))
    assert q.get_nowait()['message_id'] == 1
    assert q.empty()
    assert any('capture criterion raised' in r.getMessage() for r in caplog.records)


def test_microphone_raw_queues():
    mic = Microphone()
    q1, q2 = queue.Queue(), queue.Queue()
    mic.add(q1)
    mic.add(q2)
    mic.send({'a': 1})
    mic.remove(q2)
    mic.send({'a': 2})
    assert [q1.get_nowait()['a'], q1.get_nowait()['a']] == [1, 2]
    assert q2.get_nowait() == {'a': 1} and q2.empty()


def test_speaker_bot_listeners():
    bot = SpeakerBot(TOKEN, base_url='http://127.0.0.1:9')
    ln = bot.create_listener()
    ln.capture(chat__id=3)
    ln.set_options(timeout=WAIT)
    result = []
    t = threading.Thread(target=lambda: result.append(ln.wait()))
    t.start()
    bot.mic.send(chat_msg(4, 1))
    bot.mic.send(chat_msg(3, 2))
    t.join(WAIT)
    assert [m['message_id'] for m in result] == [2]


def test_routing_cost_does_not_grow_with_live_handlers(monkeypatch):
    """With 2,000 live chat handlers, delivering one message evaluates one capture."""
    class Idle(ChatHandler):
        def on_message(self, msg):
            pass

    bot = make_bot([(per_chat_id(), create_open(Idle, timeout=60))])
    for c in range(2000):
        bot.handle(chat_msg(c, 1))
    deadline = time.monotonic() + WAIT
    while bot.live_delegates < 2000 and time.monotonic() < deadline:
        time.sleep(0.005)
    evaluated = []
    real_rest, real_match = _Capture.rest_match, _Capture.match
    monkeypatch.setattr(_Capture, 'rest_match', lambda self, m: evaluated.append(1) or real_rest(self, m))
    monkeypatch.setattr(_Capture, 'match', lambda self, m: evaluated.append(1) or real_match(self, m))
    assert bot._mic._deliver(chat_msg(1234, 2)) == 1       # reached its one listener
    # a criterion that is only its index pair needs no test after the lookup
    assert len(evaluated) <= 1
    assert bot._mic._scan == []
    bot.stop(WAIT)


# ------------------------------------------------------------------ hand-over at a handler's end

def test_messages_queued_when_a_handler_closes_go_to_its_successor_in_order():
    """The handler closes after every message while more are already queued for its chat:
    each queued message must be handled by the chat's next handler, in order, once."""
    got = Collector()
    generations = iter(range(1000))
    gate = threading.Event()

    class OneShot(ChatHandler):
        def __init__(self, seed_tuple, timeout):
            super().__init__(seed_tuple, timeout)
            self.gen = next(generations)

        def on_message(self, msg):
            gate.wait(WAIT)                 # hold the first handler until all are queued
            got.add(msg['message_id'], self.gen)
            self.close()

    bot = make_bot([(per_chat_id(), create_open(OneShot, timeout=30))])
    for n in range(10):
        bot.handle(chat_msg(1, n))
    gate.set()
    items = got.wait_count(10)
    bot.stop(WAIT)
    assert [n for n, g in items] == list(range(10))
    assert len({g for n, g in items}) == 10          # ten generations, one message each


def test_timeout_race_loses_nothing():
    """Messages arrive around the moment handlers time out; every message is handled
    exactly once and in order per chat, whichever handler generation takes it."""
    got = Collector()

    class Short(ChatHandler):
        def on_message(self, msg):
            got.add(self.chat_id, msg['message_id'])

    bot = make_bot([(per_chat_id(), create_open(Short, timeout=0.005))])
    rnd = random.Random(3)
    total = 0
    for round_ in range(40):
        for c in range(5):
            bot.handle(chat_msg(c, round_))
            total += 1
        time.sleep(rnd.uniform(0.0, 0.01))      # drive arrivals across the timeout edge
    items = got.wait_count(total)
    bot.stop(WAIT)
    for c in range(5):
        assert [n for cc, n in items if cc == c] == list(range(40))
    assert len(items) == total


def test_dead_handlers_are_released_at_once_without_the_cyclic_gc():
    refs = []
    ended = threading.Event()

    class Brief(ChatHandler):
        def __init__(self, seed_tuple, timeout):
            super().__init__(seed_tuple, timeout)
            refs.append(weakref.ref(self))

        def on_message(self, msg):
            self.close()

        def on_close(self, ex):
            ended.set()

    gc.disable()
    try:
        bot = make_bot([(per_chat_id(), create_open(Brief, timeout=30))])
        bot.handle(chat_msg(1, 1))
        assert ended.wait(WAIT)
        deadline = time.monotonic() + WAIT
        while bot.live_delegates and time.monotonic() < deadline:
            time.sleep(0.001)
        for t in threading.enumerate():
            if t.name.startswith('Brief['):
                t.join(WAIT)
        assert bot.live_delegates == 0
        assert bot._registries[0] == {}
        assert bot._mic._index == {} and bot._mic._entries == {}
        assert refs and refs[0]() is None, 'handler kept alive by a reference cycle'
    finally:
        gc.enable()
    bot.stop(WAIT)


# ------------------------------------------------------------------------------------ errors

def test_a_handler_error_goes_to_on_close_and_the_log_and_spares_other_chats(caplog):
    closed = Collector()
    got = Collector()

    class Fragile(ChatHandler):
        def on_message(self, msg):
            if msg['text'] == 'boom':
                raise ValueError('boom!')
            got.add(self.chat_id, msg['message_id'])

        def on_close(self, ex):
            closed.add(self.chat_id, type(ex).__name__)

    bot = make_bot([(per_chat_id(), create_open(Fragile, timeout=30))])
    with caplog.at_level(logging.DEBUG, logger='telepot_ng'):
        bot.handle(chat_msg(1, 1, 'boom'))
        bot.handle(chat_msg(2, 1))
        bot.handle(chat_msg(2, 2))
        assert closed.wait_count(1) == [(1, 'ValueError')]
        got.wait_count(2)
        bot.stop(WAIT)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info and 'boom!' in str(errors[0].exc_info[1])
    assert got.items == [(2, 1), (2, 2)]


def test_a_normal_timeout_is_debug_not_error(caplog):
    closed = Collector()

    class Quiet(ChatHandler):
        def on_message(self, msg):
            pass

        def on_close(self, ex):
            closed.add(type(ex))

    bot = make_bot([(per_chat_id(), create_open(Quiet, timeout=0.01))])
    with caplog.at_level(logging.DEBUG, logger='telepot_ng'):
        bot.handle(chat_msg(1, 1))
        [(exc_type,)] = closed.wait_count(1)
    bot.stop(WAIT)
    assert issubclass(exc_type, WaitTooLong) and issubclass(exc_type, IdleTerminate)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# ------------------------------------------------------------------------- cap, names, stop

def test_thread_cap_queues_new_seeds_in_order():
    got = Collector()
    live = []
    lock = threading.Lock()
    peak = [0]

    class Capped(ChatHandler):
        def on_message(self, msg):
            with lock:
                live.append(1)
                peak[0] = max(peak[0], len(live))
            time.sleep(0.002)
            got.add(self.chat_id, msg['message_id'])
            with lock:
                live.pop()
            self.close()

    bot = make_bot([(per_chat_id(), create_open(Capped, timeout=30))], max_delegates=3)
    for n in range(4):
        for c in range(12):
            bot.handle(chat_msg(c, n))
    items = got.wait_count(48)
    bot.stop(WAIT)
    assert peak[0] <= 3
    for c in range(12):
        assert [n for cc, n in items if cc == c] == [0, 1, 2, 3]


def test_threads_are_named_after_their_seed():
    names = Collector()

    class Named(ChatHandler):
        def on_message(self, msg):
            names.add(threading.current_thread().name)

    bot = make_bot([(per_chat_id(), create_open(Named, timeout=30))])
    bot.handle(chat_msg(-100123, 1))
    assert names.wait_count(1) == [('Named[-100123]',)]
    bot.stop(WAIT)


def test_stop_drains_queued_messages_then_closes_with_a_reason():
    got = Collector()
    closes = Collector()
    gate = threading.Event()

    class Slow(ChatHandler):
        def on_message(self, msg):
            gate.wait(WAIT)
            got.add(msg['message_id'])

        def on_close(self, ex):
            closes.add(type(ex).__name__, getattr(ex, 'reason', None))

    bot = make_bot([(per_chat_id(), create_open(Slow, timeout=60))])
    for n in range(5):
        bot.handle(chat_msg(1, n))
    stopper = threading.Thread(target=bot.stop, args=(WAIT,))
    stopper.start()
    gate.set()
    stopper.join(WAIT)
    assert not stopper.is_alive()
    assert [n for (n,) in got.items] == [0, 1, 2, 3, 4]
    assert closes.items == [('StopListening', 'bot is stopping')]
    assert bot.live_delegates == 0
    assert not [t for t in threading.enumerate() if t.name.startswith('Slow[')]


def test_stop_from_inside_a_handler_does_not_deadlock():
    done = threading.Event()

    class Stopper(ChatHandler):
        def on_message(self, msg):
            self.bot.stop(1.0)
            done.set()

    bot = make_bot([(per_chat_id(), create_open(Stopper, timeout=30))])
    bot.handle(chat_msg(1, 1))
    assert done.wait(WAIT)


def test_monitor_and_user_handler_and_openable():
    seen = Collector()

    class Printer(Monitor):
        def __init__(self, seed_tuple):
            super().__init__(seed_tuple, [{'_': lambda msg: True}])

        def on_message(self, msg):
            seen.add('monitor', msg.get('message_id', msg.get('id')))

    class PerUser(UserHandler):
        def __init__(self, seed_tuple, timeout):
            super().__init__(seed_tuple, timeout)

        def on_message(self, msg):
            seen.add('user', self.user_id, msg.get('message_id', msg.get('id')))

    @openable
    class Bare:
        def __init__(self, seed_tuple):
            self._listener = seed_tuple[0].create_listener()
            self._listener.capture(chat__id=1)

        @property
        def listener(self):
            return self._listener

        def on_message(self, msg):
            seen.add('bare', msg['message_id'])
            self.close(code=3, reason='done')

    bot = make_bot([(lambda m: 1, create_open(Printer)),
                    (per_from_id(), create_open(PerUser, timeout=30)),
                    (per_chat_id(), create_open(Bare))])
    bot.handle(chat_msg(1, 10))
    bot.handle({'id': 'iq', 'from': {'id': 1}, 'query': 'q', 'offset': ''})
    items = seen.wait_count(5)
    bot.stop(WAIT)
    assert ('monitor', 10) in items and ('monitor', 'iq') in items
    assert ('user', 1, 10) in items and ('user', 1, 'iq') in items
    assert ('bare', 10) in items
    assert Bare.close.__doc__ and hasattr(Bare, 'on_close') and hasattr(Bare, 'open')
    with pytest.raises(StopListening) as e:
        Bare.close(object(), code=1, reason='r')
    assert (e.value.code, e.value.reason) == (1, 'r')


def test_a_refused_thread_is_retried_and_loses_nothing(monkeypatch):
    """When the system refuses a new thread, the delegate waits with its messages queued
    and starts once another delegate ends (a thread per delegate: workers=0)."""
    got = Collector()
    first_running = threading.Event()
    release = threading.Event()

    class H(ChatHandler):
        def on_message(self, msg):
            got.add(self.chat_id, msg['message_id'])
            if self.chat_id == 1:
                first_running.set()
                release.wait(WAIT)
                self.close()

    bot = make_bot([(per_chat_id(), create_open(H, timeout=30))], workers=0)
    bot.handle(chat_msg(1, 1))
    assert first_running.wait(WAIT)
    real_start = threading.Thread.start
    refusals = []

    def refuse_once(self):
        if self.name.startswith('H[2]') and not refusals:
            refusals.append(self.name)
            raise RuntimeError("can't start new thread")
        return real_start(self)
    monkeypatch.setattr(threading.Thread, 'start', refuse_once)
    bot.handle(chat_msg(2, 1))
    bot.handle(chat_msg(2, 2))
    assert refusals == ['H[2]']
    release.set()                            # chat 1's delegate ends -> chat 2's starts
    items = got.wait_count(3)
    bot.stop(WAIT)
    assert [n for c, n in items if c == 2] == [1, 2]


def test_a_delegate_building_its_listener_in_its_own_thread_loses_nothing():
    """call(func): the listener appears only once the thread runs; messages for the seed that
    arrive before it captures anything wait for it, in order."""
    got = Collector()
    started = threading.Event()
    may_listen = threading.Event()

    def conversation(seed_tuple):
        bot, msg, seed = seed_tuple
        got.add(msg['message_id'])
        started.set()
        may_listen.wait(WAIT)                  # messages 2 and 3 arrive before the listener
        listener = bot.create_listener()
        listener.capture(chat__id=seed)
        listener.set_options(timeout=WAIT)
        for _ in range(2):
            got.add(listener.wait()['message_id'])

    bot = make_bot([(per_chat_id(), call(conversation))])
    bot.handle(chat_msg(1, 1))
    assert started.wait(WAIT)
    bot.handle(chat_msg(1, 2))
    bot.handle(chat_msg(1, 3))
    may_listen.set()
    assert got.wait_count(3) == [(1,), (2,), (3,)]
    bot.stop(WAIT)


def test_stop_order_and_one_deadline():
    order = []

    class Stoppable:
        def __init__(self, name):
            self.name = name

        def stop(self, timeout):
            order.append((self.name, timeout is not None and timeout <= 5.0))

    bot = make_bot([])
    bot._stoppables.clear()
    _ = bot.scheduler
    bot._register_stoppable(Stoppable('delegates'), bot._STOP_DELEGATES)
    bot._register_stoppable(Stoppable('loop-1'))
    bot._register_stoppable(Stoppable('loop-2'))
    bot._stoppables.insert(0, (bot._STOP_SCHEDULER, Stoppable('scheduler')))
    bot.stop(5.0)
    assert [n for n, _ in order] == ['loop-2', 'loop-1', 'delegates', 'scheduler']
    assert all(ok for _, ok in order)
    # the bot is usable afterwards: a new scheduler starts with the next event
    fired = threading.Event()
    bot.handle = lambda event: fired.set()
    bot.scheduler.event_now({'_x': {}})
    assert fired.wait(WAIT)
    bot.stop(WAIT)

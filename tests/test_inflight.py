"""bot.inflight: which updates user code has not finished, through loops and delegates."""
from __future__ import annotations

import queue
import threading

import pytest

from telepot_ng import DelegatorBot, helper
from telepot_ng.delegate import create_open, per_chat_id
from telepot_ng.inflight import InFlight

from .test_loop_support import TOKEN, WAIT, text_update


def test_references_count_and_the_done_hook_runs_at_zero():
    t = InFlight(limit=2)
    done = []
    t.on_done(done.append)
    t.hold(7)                       # nobody took 7: ignored
    assert len(t) == 0
    t.take(5)
    t.take(3)
    t.hold(5)
    assert t.ids() == [3, 5] and t.lowest() == 3 and t.room() == 0
    assert not t.wait_room(0)
    t.release(5)
    assert 5 in t and done == []
    t.release(3)
    assert t.lowest() == 5 and t.room() == 1 and done == [3]
    t.release(5)
    assert len(t) == 0 and t.lowest() is None and done == [3, 5]
    assert t.wait_empty(0)
    t.release(5)                    # one too many: ignored
    with pytest.raises(ValueError):
        t.limit = 0


def test_wait_room_wakes_when_an_update_finishes():
    t = InFlight(limit=1)
    t.take(1)
    woke = []
    th = threading.Thread(target=lambda: woke.append(t.wait_room(WAIT)))
    th.start()
    t.release(1)
    th.join(WAIT)
    assert woke == [True]


def test_a_delegate_holds_its_message_until_it_asks_for_the_next():
    entered = threading.Event()
    go = threading.Event()

    class Handler(helper.ChatHandler):
        def on_chat_message(self, msg):
            if msg['text'] == 'block':
                entered.set()
                go.wait(WAIT)

    bot = DelegatorBot(TOKEN, [(per_chat_id(), create_open(Handler, timeout=WAIT))],
                       base_url='http://127.0.0.1:9')
    q = queue.Queue()
    try:
        bot.notifyOnMessage(source=q, ordered=False)
        q.put(text_update(10, chat_id=1, text='block'))
        q.put(text_update(11, chat_id=1))
        q.put(text_update(12, chat_id=2))
        assert entered.wait(WAIT)
        # 10 is in its handler, 11 queued behind it; 12 is handled (chat 2 has its own)
        assert bot.inflight.wait_empty(0) is False
        assert bot.inflight._wait(lambda: sorted(bot.inflight._refs) == [10, 11], WAIT), \
            bot.inflight.ids()
        assert bot.inflight.lowest() == 10
        go.set()
        assert bot.inflight.wait_empty(WAIT), bot.inflight.ids()
    finally:
        go.set()
        bot.stop(WAIT)


@pytest.mark.parametrize('workers', [0, 16])
def test_delegates_do_not_inherit_the_loops_daemon_status(workers):
    seen = []
    done = threading.Event()

    class Handler(helper.ChatHandler):
        def on_chat_message(self, msg):
            seen.append(threading.current_thread().daemon)
            done.set()

    bot = DelegatorBot(TOKEN, [(per_chat_id(), create_open(Handler, timeout=WAIT))],
                       base_url='http://127.0.0.1:9', workers=workers)
    q = queue.Queue()
    try:
        loop = bot.notifyOnMessage(source=q)
        assert loop._thread.daemon
        q.put(text_update(1))
        assert done.wait(WAIT)
    finally:
        bot.stop(WAIT)
    assert seen == [False]          # the loop's thread is a daemon; its delegates are not

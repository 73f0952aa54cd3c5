"""Long polling: exactly once, in order, through failures; backoff; 401; clean stop."""
from __future__ import annotations

import logging
import signal
import threading
import time

import pytest

from telepot_ng import exception, loop
from telepot_ng._generated import spec
from telepot_ng.loop import Backoff, MessageLoop

from .test_loop_support import (WAIT, Gate, Received, ScriptedTelegram, make_bot, stop_when,
                                text_update, tg_error)

FAST = dict(base=0.001, cap=0.004)


@pytest.fixture
def server():
    return ScriptedTelegram()


@pytest.fixture
def bot(server):
    b = make_bot(server)
    yield b
    b.stop(2)


class SpyBackoff(Backoff):
    """Records the failure count each time the loop asks for a delay."""

    def __init__(self):
        super().__init__(**FAST)
        self.seen = []
        self.cond = threading.Condition()

    def next(self):
        with self.cond:
            self.seen.append(self.failures)
            self.cond.notify_all()
        return super().next()

    def wait_for(self, n):
        with self.cond:
            return self.cond.wait_for(lambda: len(self.seen) >= n, WAIT)


def start(bot, callback, **kw):
    ml = MessageLoop(bot, callback)
    kw.setdefault('backoff', Backoff(**FAST))
    ml.run_as_thread(**kw)
    return ml


def test_updates_reach_callback_once_in_order_in_a_named_thread(bot, server):
    got = Received()
    server.add(*(text_update(i) for i in range(1, 251)))
    start(bot, got, timeout=5)
    assert got.wait_for(250)
    assert got.ids == list(range(1, 251))
    assert set(got.threads) == {'telepot_ng-poll-123456789'}
    assert got.msgs[0].update_type == 'message' and got.msgs[0]['text'] == 'm1'
    # batches of 100 were confirmed by the next call's offset
    assert server.offsets()[:4] == [None, 101, 201, 251]


def test_unsorted_batch_is_sorted_and_stale_ids_never_repeat(bot, server):
    got = Received()
    server.ignore_offset = True               # a misbehaving server repeats what it sent
    server.add(text_update(3), text_update(1), text_update(2))
    start(bot, got, timeout=0, relax=0.01)
    assert got.wait_for(3)
    server.add(text_update(4))
    assert got.wait_for(4)
    n = len(server.calls)
    with server.cond:
        server.cond.wait_for(lambda: len(server.calls) > n + 3, WAIT)
    assert got.ids == [1, 2, 3, 4]


def test_callback_that_raises_is_logged_and_the_loop_moves_on(bot, server, caplog):
    got = Received()

    def cb(msg):
        got(msg)
        if msg.update_id % 2:
            raise RuntimeError('boom %d' % msg.update_id)

    server.add(*(text_update(i) for i in range(1, 6)))
    with caplog.at_level(logging.ERROR, logger='telepot_ng.loop'):
        start(bot, cb, timeout=5)
        assert got.wait_for(5)
        server.add(text_update(6))
        assert got.wait_for(6)
    assert got.ids == [1, 2, 3, 4, 5, 6]          # nothing came back, nothing skipped
    errors = [r for r in caplog.records if 'callback raised' in r.getMessage()]
    assert len(errors) == 3 and all(r.exc_info and 'boom' in str(r.exc_info[1]) for r in errors)
    assert 7 in server.offsets() or server.offsets()[-1] == 7


@pytest.mark.parametrize('fault', [
    exception.NetworkError('connection refused', maybe_sent=False, method='getUpdates'),
    exception.NetworkTimeout('read timed out', maybe_sent=True, method='getUpdates'),
    exception.BadHTTPResponse(502, '<html><body>502 Bad Gateway</body></html>'),
    exception.BadHTTPResponse(500, '<html>Internal Server Error</html>'),
    tg_error(409, 'Conflict: terminated by other getUpdates request'),
    tg_error(400, 'Bad Request: something odd'),
    ValueError('a bug somewhere below'),
], ids=['network', 'timeout', '502html', '500html', '409', '400', 'unexpected'])
def test_failures_are_retried_and_nothing_is_lost_or_repeated(bot, server, fault, caplog):
    got = Received()
    server.add(*(text_update(i) for i in range(1, 4)))
    server.faults.extend([fault, fault])
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        start(bot, got, timeout=5)
        assert got.wait_for(3)
        server.faults.append(fault)
        server.add(text_update(4), text_update(5))
        assert got.wait_for(5)
    assert got.ids == [1, 2, 3, 4, 5]
    assert 'retrying in' in caplog.text


def test_many_updates_through_random_faults_arrive_exactly_once_in_order(bot, server):
    import random
    rnd = random.Random(5)
    kinds = [exception.NetworkError('reset'), exception.BadHTTPResponse(502, '<html/>'),
             tg_error(409, 'Conflict: terminated by other getUpdates request'),
             tg_error(429, 'Too Many Requests: retry after 0', retry_after=0)]
    got = Received()

    def cb(msg):
        got(msg)
        if rnd.random() < 0.1:
            raise RuntimeError('handler bug')

    start(bot, cb, timeout=5)
    for chunk in range(20):
        for _ in range(rnd.randrange(3)):
            server.faults.append(rnd.choice(kinds))
        server.add(*(text_update(chunk * 25 + i) for i in range(1, 26)))
    assert got.wait_for(500)
    assert got.ids == list(range(1, 501))


def test_429_waits_retry_after(bot, server):
    got = Received()
    server.faults.append(tg_error(429, 'Too Many Requests: retry after 0.3', retry_after=0.3))
    server.add(text_update(1))
    start(bot, got, timeout=5)
    assert got.wait_for(1)
    (t0, _), (t1, _) = server.calls[:2]
    assert t1 - t0 >= 0.3


def test_backoff_grows_per_failure_and_resets_after_success(bot, server):
    spy = SpyBackoff()
    got = Received()
    net = exception.NetworkError('down')
    server.faults.extend([net, net, net])
    server.add(text_update(1))
    start(bot, got, timeout=5, backoff=spy)
    assert got.wait_for(1)
    assert server.polling.wait(WAIT)
    server.faults.extend([net, net])      # hit the two polls after update 2
    server.add(text_update(2))
    assert spy.wait_for(5)
    server.add(text_update(3))
    assert got.wait_for(3)
    assert spy.seen == [0, 1, 2, 0, 1]
    assert got.ids == [1, 2, 3]


def test_401_stops_the_loop_with_a_clear_error(bot, server, caplog):
    server.faults.append(tg_error(401, 'Unauthorized'))
    ml = MessageLoop(bot, Received())
    with caplog.at_level(logging.ERROR, logger='telepot_ng.loop'):
        with pytest.raises(exception.UnauthorizedError):
            ml.run_forever(timeout=5, backoff=Backoff(**FAST))
    assert isinstance(ml.error, exception.UnauthorizedError)
    assert not ml.running
    assert len(server.calls) == 1                       # no spinning, no confirm attempt
    rec = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert rec and 'rejected the bot token' in rec[0].getMessage()
    assert bot._token not in caplog.text


def test_relax_only_after_an_empty_poll(bot, server):
    got = Received()
    server.add(text_update(1))
    start(bot, got, timeout=0, relax=0.3)
    assert got.wait_for(1)
    with server.cond:
        assert server.cond.wait_for(lambda: len(server.calls) >= 3, WAIT)
    (t0, _), (t1, _), (t2, _) = server.calls[:3]
    assert t1 - t0 < 0.3          # the batch was followed at once by the confirming poll
    assert t2 - t1 >= 0.3         # that poll was empty: relax


def test_allowed_updates_and_timeout_are_passed(bot, server):
    got = Received()
    server.add(text_update(1))
    start(bot, got, timeout=7, allowed_updates=['message', 'poll'])
    assert got.wait_for(1)
    params = server.calls[0][1]
    assert params['timeout'] == 7 and params['allowed_updates'] == ['message', 'poll']


def test_every_update_type_reaches_user_code_with_its_update_type(bot, server):
    got = Received()
    payloads = {}
    for i, kind in enumerate(spec.UPDATE_TYPES, 1):
        payloads[kind] = {'id': str(i), 'sample_of': kind}
        server.add({'update_id': i, kind: payloads[kind]})
    start(bot, got, timeout=5)
    assert got.wait_for(len(spec.UPDATE_TYPES))
    assert [m.update_type for m in got.msgs] == list(spec.UPDATE_TYPES)
    for m in got.msgs:
        assert dict(m) == payloads[m.update_type]


# ------------------------------------------------------------------------------ clean stop

def test_stop_interrupts_a_long_poll_promptly_and_confirms(bot, server):
    got = Received()
    server.add(text_update(1), text_update(2))
    ml = start(bot, got, timeout=30)
    assert got.wait_for(2)
    assert server.polling.wait(WAIT)              # now in a 30 s long poll
    t0 = time.monotonic()
    bot.stop(5)
    assert time.monotonic() - t0 < 2
    assert not ml.running
    assert ml._runner.join(0)
    assert server.offsets()[-1] == 3              # everything handed on is confirmed
    assert server.pending == []


def test_stop_asks_again_when_its_interrupt_overtook_the_long_poll(bot, server):
    got = Received()
    server.add(text_update(1))
    ml = start(bot, got, timeout=30)
    assert got.wait_for(1) and server.polling.wait(WAIT)
    server.overtaken = 1
    t0 = time.monotonic()
    ml.stop(5)
    assert time.monotonic() - t0 < 2
    assert ml._runner.join(0) and server.overtaken == 0


def test_stop_lets_the_callback_finish_and_leaves_the_rest_for_the_next_run(bot, server):
    got = Gate(at=2)
    server.add(*(text_update(i) for i in range(1, 6)))
    ml = start(bot, got, timeout=5)
    assert got.entered.wait(WAIT)
    stopper = threading.Thread(target=bot.stop, args=(WAIT,))
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive()                     # waiting for the callback in progress
    got.release.set()
    stopper.join(WAIT)
    assert not stopper.is_alive() and not ml.running
    assert got.ids == [1, 2]
    assert server.offsets()[-1] == 3              # confirmed exactly what was handed on

    # a restarted bot gets the rest, and nothing twice
    again = Received()
    bot2 = make_bot(server)
    MessageLoop(bot2, again).run_as_thread(timeout=5)
    assert again.wait_for(3)
    bot2.stop(5)
    assert again.ids == [3, 4, 5]


def test_stop_from_inside_a_callback_does_not_deadlock(bot, server):
    got = Received()
    done = threading.Event()

    def cb(msg):
        got(msg)
        if msg.update_id == 2:
            bot.stop()
            done.set()

    server.add(*(text_update(i) for i in range(1, 5)))
    ml = start(bot, cb, timeout=5)
    assert done.wait(WAIT)
    assert ml._runner.join(WAIT)
    assert got.ids == [1, 2]
    assert server.offsets()[-1] == 3


def test_stop_grace_period_is_bounded(bot, server, caplog):
    stuck = Gate(at=1)
    server.add(text_update(1), text_update(2))
    ml = start(bot, stuck, timeout=5)
    assert stuck.entered.wait(WAIT)
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        ml.stop(0.2)
    assert 0.2 <= time.monotonic() - t0 < 2
    assert 'still busy' in caplog.text
    stuck.release.set()                           # the handler ends on its own terms...
    assert ml._runner.join(WAIT)                  # ...then the loop ends and confirms
    assert server.offsets()[-1] == 2


def test_restart_after_clean_stop_sees_no_repeats(bot, server):
    got = Received()
    server.add(*(text_update(i) for i in range(1, 4)))
    ml = start(bot, got, timeout=5)
    assert got.wait_for(3)
    ml.stop(5)
    server.add(text_update(4))
    again = Received()
    bot2 = make_bot(server)
    MessageLoop(bot2, again).run_as_thread(timeout=5)
    assert again.wait_for(1)
    bot2.stop(5)
    assert again.ids == [4]


def test_ctrl_c_in_run_forever_stops_the_bot_cleanly_and_returns(bot, server, caplog):
    got = Received()
    server.add(text_update(1))
    ml = MessageLoop(bot, got)

    def interrupt():
        if got.wait_for(1) and server.polling.wait(WAIT):
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)  # Ctrl-C

    t = threading.Thread(target=interrupt)
    t.start()
    with caplog.at_level(logging.INFO, logger='telepot_ng.loop'):
        ml.run_forever(timeout=30)                  # returns: no KeyboardInterrupt traceback
    t.join(WAIT)
    assert not ml.running and ml._runner.join(0)
    assert server.offsets()[-1] == 2
    assert [r.getMessage() for r in caplog.records if 'SIGINT received' in r.getMessage()]


def test_run_forever_returns_when_stopped_by_bot_stop(bot, server):
    got = Received()
    server.add(text_update(1))
    t = stop_when(got, 1, bot.stop)
    bot.notifyOnMessage(got, timeout=30, run_forever=True)    # returns, no exception
    t.join(WAIT)
    assert got.ids == [1]


def test_loop_ends_at_interpreter_exit_hook(bot, server):
    got = Received()
    server.add(text_update(1))
    ml = start(bot, got, timeout=30)
    assert got.wait_for(1) and server.polling.wait(WAIT)
    loop._stop_all_at_exit()
    assert ml._runner.join(0)
    assert server.offsets()[-1] == 2


def test_bot_stop_forgets_ended_loops(bot, server):
    server.add(text_update(1))
    got = Received()
    ml = start(bot, got, timeout=5)
    assert got.wait_for(1)
    ml.stop(5)
    assert ml._runner not in bot._stoppables


def test_notify_on_message_defaults_to_bot_handle(server):
    from telepot_ng import Bot

    got = Received()

    class MyBot(Bot):
        def handle(self, msg):
            got(msg)

    b = MyBot('123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', base_url='http://127.0.0.1:9')
    b._transport = server
    server.add(text_update(1))
    b.notifyOnMessage(timeout=5)
    assert got.wait_for(1)
    b.stop(5)
    assert got.ids == [1]


def test_message_loop_routes_by_flavor(bot, server):
    chats, queries = Received(), Received()
    server.add(text_update(1),
               {'update_id': 2, 'callback_query': {'id': 'q', 'chat_instance': 'c', 'data': 'x',
                                                   'from': {'id': 1, 'is_bot': False,
                                                            'first_name': 'U'}}},
               {'update_id': 3, 'poll': {'id': 'p', 'question': '?', 'options': []}})
    bot.message_loop({'chat': chats, 'callback_query': queries}, timeout=5)
    assert chats.wait_for(1) and queries.wait_for(1)
    assert chats.ids == [1] and queries.ids == [2]


def test_invalid_source_is_rejected(bot):
    with pytest.raises(ValueError):
        bot.notifyOnMessage(print, source=[1, 2])


def test_run_as_thread_twice_is_an_error(bot, server):
    ml = start(bot, Received(), timeout=5)
    with pytest.raises(RuntimeError):
        ml.run_as_thread()

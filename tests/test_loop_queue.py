"""Queue sources: notifyOnMessage(source=queue), Webhook, OrderedWebhook."""
from __future__ import annotations

import json
import logging
import queue
import threading
import time

import pytest

from telepot_ng._generated import spec
from telepot_ng.loop import OrderedWebhook, Webhook

from .test_loop_support import WAIT, Gate, Received, make_bot, stop_when, text_update


@pytest.fixture
def bot():
    b = make_bot()
    yield b
    b.stop(2)


def test_queue_takes_str_bytes_and_dict(bot):
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q)
    q.put(json.dumps(text_update(1)))
    q.put(json.dumps(text_update(2, text='café ☃')).encode('utf-8'))
    q.put(text_update(3))
    assert got.wait_for(3)
    assert got.ids == [1, 2, 3]
    assert got.msgs[1]['text'] == 'café ☃'
    assert set(got.threads) == {'telepot_ng-queue-123456789'}


@pytest.mark.parametrize('ordered', [True, False])
def test_bad_items_are_logged_and_skipped_and_the_loop_lives_on(bot, caplog, ordered):
    q = queue.Queue()
    got = Received()
    bad = ['{"update_id": 2, "mess', b'\xff\xfe\x00', 'null', '[1,2]', 42, None, object(),
           {'message': {}}, {'update_id': 'x'}, {'update_id': 3},
           {'update_id': 4, 'message': 'not an object'}, '{"no": "id"}']
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        bot.notifyOnMessage(got, source=q, ordered=ordered)
        q.put(text_update(1))
        for item in bad:
            q.put(item)
        q.put(text_update(2))
        assert got.wait_for(2)
    assert got.ids == [1, 2]
    skipped = [r for r in caplog.records if 'skipped' in r.getMessage()]
    assert len(skipped) == len(bad)


@pytest.mark.parametrize('ordered', [True, False])
def test_duplicates_are_dropped(bot, caplog, ordered):
    q = queue.Queue()
    got = Received()
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        bot.notifyOnMessage(got, source=q, ordered=ordered)
        for i in (1, 2, 2, 1, 3, 3):
            q.put(text_update(i))
        q.put(text_update(4))
        assert got.wait_for(4)
    assert got.ids == [1, 2, 3, 4]
    assert caplog.text.count('dropped') == 3


def test_unordered_hands_on_in_arrival_order(bot):
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q, ordered=False)
    for i in (5, 3, 9, 4):
        q.put(text_update(i))
    assert got.wait_for(4)
    assert got.ids == [5, 3, 9, 4]


def test_ordered_fills_gaps_and_does_not_hold_what_is_in_order(bot):
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q, maxhold=60)
    for i in (1, 2, 3):
        q.put(text_update(i))
    assert got.wait_for(3, timeout=WAIT)          # long before maxhold: nothing was held
    for i in (6, 5, 4):
        q.put(text_update(i))
    assert got.wait_for(6, timeout=WAIT)
    assert got.ids == [1, 2, 3, 4, 5, 6]


def test_ordered_holds_at_most_maxhold_then_hands_the_late_one_on_out_of_order(bot, caplog):
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q, maxhold=0.2)
    q.put(text_update(1))
    assert got.wait_for(1)
    t0 = time.monotonic()
    q.put(text_update(3))
    assert got.wait_for(2)
    held = time.monotonic() - t0
    assert 0.2 <= held < WAIT
    with caplog.at_level(logging.WARNING, logger='telepot_ng.loop'):
        q.put(text_update(2))                     # arrives after 3 was handed on
        q.put(text_update(4))
        assert got.wait_for(4)
    assert got.ids == [1, 3, 2, 4]                # telepot dropped 2
    assert 'update 2 arrived after update 3' in caplog.text


def test_callback_errors_are_logged_with_traceback(bot, caplog):
    q = queue.Queue()
    got = Received()

    def cb(msg):
        got(msg)
        raise KeyError('oops')

    with caplog.at_level(logging.ERROR, logger='telepot_ng.loop'):
        bot.notifyOnMessage(cb, source=q)
        q.put(text_update(1))
        q.put(text_update(2))
        assert got.wait_for(2)
        bot.stop(WAIT)
    errs = [r for r in caplog.records if 'callback raised' in r.getMessage()]
    assert len(errs) == 2 and all(r.exc_info for r in errs)


def test_every_update_type_reaches_user_code_with_its_update_type(bot):
    q = queue.Queue()
    got = Received()
    bot.notifyOnMessage(got, source=q)
    kinds = list(spec.UPDATE_TYPES) + ['some_future_update']
    for i, kind in enumerate(kinds, 1):
        q.put(json.dumps({'update_id': i, kind: {'id': i, 'kind': kind}}))
    assert got.wait_for(len(kinds))
    assert [m.update_type for m in got.msgs] == kinds
    assert all(m['kind'] == m.update_type and m.update_id == m['id'] for m in got.msgs)


def test_stop_handles_what_was_queued_and_joins(bot):
    q = queue.Queue()
    got = Gate(at=1)
    runner = bot.notifyOnMessage(got, source=q)
    for i in range(1, 6):
        q.put(text_update(i))
    assert got.entered.wait(WAIT)
    stopper = threading.Thread(target=bot.stop, args=(WAIT,))
    stopper.start()
    got.release.set()
    stopper.join(WAIT)
    assert not stopper.is_alive() and runner.join(0)
    assert got.ids == [1, 2, 3, 4, 5]         # accepted before the stop: handled


def test_stop_flushes_held_updates(bot):
    q = queue.Queue()
    got = Received()
    runner = bot.notifyOnMessage(got, source=q, maxhold=60)
    q.put(text_update(1))
    q.put(text_update(5))
    assert got.wait_for(1)
    bot.stop(WAIT)
    assert runner.join(0)
    assert got.ids == [1, 5]


def test_stop_from_inside_a_callback(bot):
    q = queue.Queue()
    got = Received()

    def cb(msg):
        got(msg)
        bot.stop()

    runner = bot.notifyOnMessage(cb, source=q)
    q.put(text_update(1))
    assert runner.join(WAIT)
    assert got.ids == [1]


def test_a_new_loop_on_the_same_queue_ignores_the_old_stop_token(bot):
    q = queue.Queue()
    first = bot.notifyOnMessage(Received(), source=q)
    first.stop(WAIT)
    got = Received()
    second = bot.notifyOnMessage(got, source=q)
    q.put(text_update(1))
    assert got.wait_for(1)
    assert second.running


def test_run_forever_on_a_queue_returns_after_stop(bot):
    q = queue.Queue()
    got = Received()
    q.put(text_update(1))
    t = stop_when(got, 1, bot.stop)
    bot.notifyOnMessage(got, source=q, run_forever=True)
    t.join(WAIT)
    assert got.ids == [1]


def test_message_loop_prints_a_run_forever_banner(bot, capsys):
    q = queue.Queue()
    threading.Timer(0.05, bot.stop).start()
    bot.message_loop(Received(), source=q, run_forever='Listening ...')
    assert capsys.readouterr().out == 'Listening ...\n'


# ------------------------------------------------------------------------------ telepot 12 classes

@pytest.mark.parametrize('cls', [Webhook, OrderedWebhook])
def test_webhook_feed_before_and_after_start(bot, cls):
    got = Received()
    hook = cls(bot, got)
    hook.feed(json.dumps(text_update(1)))              # before run_as_thread: waits
    hook.feed(json.dumps(text_update(2)).encode())
    hook.run_as_thread()
    hook.feed(text_update(3))
    assert got.wait_for(3)
    assert got.ids == [1, 2, 3]
    assert set(got.threads) == {'telepot_ng-webhook-123456789'}
    assert hook.running


@pytest.mark.parametrize('cls', [Webhook, OrderedWebhook])
def test_webhook_feed_rejects_bad_data_and_refuses_after_stop(bot, cls):
    got = Received()
    hook = cls(bot, got)
    hook.run_as_thread()
    with pytest.raises(ValueError):
        hook.feed('{"update_id": 1')
    with pytest.raises(ValueError):
        hook.feed({'message': {}})
    hook.feed(text_update(1))
    assert got.wait_for(1)
    bot.stop(WAIT)
    assert not hook.running
    with pytest.raises(RuntimeError):
        hook.feed(text_update(2))                  # not silently queued forever


def test_webhook_whose_thread_died_refuses_updates(bot, caplog):
    got = Received()

    def fatal(msg):
        got(msg)
        raise SystemExit(3)

    hook = Webhook(bot, fatal)
    hook.run_as_thread()
    with caplog.at_level(logging.CRITICAL, logger='telepot_ng.loop'):
        hook.feed(text_update(1))
        assert got.wait_for(1)
        assert hook._runner.join(WAIT)
    assert 'loop ended by SystemExit' in caplog.text
    with pytest.raises(RuntimeError):
        hook.feed(text_update(2))


def test_ordered_webhook_orders_with_maxhold(bot):
    got = Received()
    hook = OrderedWebhook(bot, got)
    hook.run_as_thread(maxhold=0.1)
    hook.feed(text_update(10))
    hook.feed(text_update(12))
    hook.feed(text_update(11))
    hook.feed(text_update(14))
    assert got.wait_for(4)
    assert got.ids == [10, 11, 12, 14]


def test_webhook_routing_table(bot):
    chats, polls = Received(), Received()
    hook = Webhook(bot, {'chat': chats, 'poll': polls})
    hook.run_as_thread()
    hook.feed(text_update(1))
    hook.feed({'update_id': 2, 'poll': {'id': 'p', 'question': 'q?', 'options': []}})
    assert chats.wait_for(1) and polls.wait_for(1)
    assert chats.ids == [1] and polls.ids == [2]


def test_webhook_run_forever_returns_after_stop(bot):
    got = Received()
    hook = OrderedWebhook(bot, got)
    hook.feed(text_update(1))
    t = stop_when(got, 1, hook.stop)
    hook.run_forever(maxhold=1)
    t.join(WAIT)
    assert got.ids == [1]


def test_telepot12_scheduler_events_reach_the_loop_handle_one_at_a_time(bot):
    """telepot 12 sent bot.scheduler events to the loop's handle, serialized with messages."""
    entered, release = threading.Event(), threading.Event()
    active, overlaps, seen = [], [], Received()

    def handle(msg):
        if active:
            overlaps.append(msg)
        active.append(msg)
        try:
            if isinstance(msg, dict) and msg.get('text') == 'm1':
                entered.set()
                release.wait(WAIT)
        finally:
            active.pop()
        seen(msg)

    hook = Webhook(bot, handle)
    hook.run_as_thread()
    hook.feed(text_update(1))
    assert entered.wait(WAIT)
    bot.scheduler.event_now({'_alarm': 'ring'})
    assert not seen.wait_for(1, timeout=0.2)      # the event waits for the message's handler
    release.set()
    with seen.cond:
        assert seen.cond.wait_for(lambda: len(seen.msgs) == 2, WAIT)
    assert seen.msgs[1] == {'_alarm': 'ring'} and overlaps == []


def test_notify_on_message_leaves_the_scheduler_alone(bot):
    bot.notifyOnMessage(Received(), source=queue.Queue())
    assert bot._scheduler is None

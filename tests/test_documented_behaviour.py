"""What REFERENCE.md and README promise about stopping, the scheduler, idle handlers,
Listener and handler signatures, and the fake's DelegatorBot, holds."""
from __future__ import annotations

import inspect
import queue
import threading

import pytest

import telepot_ng
from telepot_ng.delegate import create_open, per_chat_id
from telepot_ng.delegation import Listener, Microphone
from telepot_ng.exception import ConflictError
from telepot_ng.helper import ChatHandler, UserHandler

from .test_delegation import WAIT, Collector, chat_msg
from .test_telepot12 import make_bot


# --------------------------------------------------------------------- the fake and a stop

def test_a_clean_stop_is_no_failed_getupdates_in_the_transcript(fake_telegram):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    bot.message_loop(lambda msg: bot.sendMessage(msg['chat']['id'], 'ok'))
    alice.says('hi')
    assert alice.reply().text == 'ok'
    assert tg.wait_polling(WAIT)                 # a long poll is pending: stop() must end it
    bot.stop(WAIT)
    assert tg.transcript() == 'Alice: hi\nbot -> Alice: ok'
    assert tg.counters()['totals']['errors'] == 0
    woken = [c for c in tg.requests('getUpdates') if c.status == 409]
    assert len(woken) == 1 and woken[0].expected       # Telegram's answer, marked as expected


def test_a_real_conflict_still_shows(fake_telegram):
    tg = fake_telegram
    bot = tg.bot()
    bot.message_loop(lambda msg: None)
    assert tg.wait_polling(WAIT)
    other = tg.bot(read_timeout=5)
    try:
        other.getUpdates(timeout=1)              # a second instance long-polls
    except ConflictError:
        pass                                     # ... and the first one's retry ends it
    bot.stop(WAIT)
    assert '409 Conflict: terminated by other getUpdates request' in tg.transcript()
    assert tg.counters()['totals']['errors'] >= 1


def test_a_pushed_query_can_be_answered_once(fake_telegram):
    """A raw update pushed with push_update() (an inline message's button, which simulated
    users cannot press) carries a query the bot can answer, as a real one, once."""
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    tg.push_update({'callback_query': {'id': 'cq-1', 'from': alice.user, 'chat_instance': 'c',
                                       'inline_message_id': 'IM-1', 'data': 'yes'}})
    update = bot.getUpdates()[0]
    assert bot.answerCallbackQuery(update['callback_query']['id'], text='Ok') is True
    with pytest.raises(telepot_ng.exception.TelegramError, match='query ID is invalid'):
        bot.answerCallbackQuery('cq-1')


def test_the_fake_builds_a_delegator_bot_and_stops_it_when_it_closes():
    from telepot_ng.testing import FakeTelegram
    closed = Collector()

    class Counter(ChatHandler):
        def __init__(self, seed_tuple, timeout):
            super().__init__(seed_tuple, timeout)
            self.n = 0

        def on_chat_message(self, msg):
            self.n += 1
            self.sender.sendMessage(str(self.n))

        def on_close(self, ex):
            closed.add(type(ex).__name__)

    with FakeTelegram() as tg:
        bot = tg.delegator_bot([(per_chat_id(), create_open(Counter, timeout=60))])
        assert isinstance(bot, telepot_ng.DelegatorBot)
        bot.message_loop()
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('a')
        bob.says('b')
        alice.says('c')
        assert [c.text for c in tg.wait_for_sent(chat_id=alice, count=2)] == ['1', '2']
        assert bob.reply().text == '1'
        assert bot.live_delegates == 2
    assert closed.wait_count(2) == [('StopListening',), ('StopListening',)]
    assert bot.live_delegates == 0
    assert not [t for t in threading.enumerate() if t.name.startswith('telepot_ng-poll')]


# ---------------------------------------------------------------------------- scheduler

def test_the_scheduler_after_stop():
    got = queue.Queue()
    bot = telepot_ng.Bot('123:ABC', base_url='http://127.0.0.1:9')
    bot.handle = got.put
    old = bot.scheduler
    old.event_now({'_a': 1})
    assert got.get(timeout=WAIT) == {'_a': 1}
    bot.stop(WAIT)
    with pytest.raises(RuntimeError, match='stopped'):
        old.event_now({'_a': 2})                 # the object stays stopped
    assert bot.scheduler is not old              # bot.scheduler is a new one ...
    bot.scheduler.event_now({'_a': 3})           # ... so a restarted bot has events
    assert got.get(timeout=WAIT) == {'_a': 3}
    bot.stop(WAIT)


# ------------------------------------------------------------------ on__idle, both places

class Conversation(ChatHandler):
    """Straight-line code: asks, then waits on its listener inside on_chat_message."""
    log = None

    def on_chat_message(self, msg):
        if msg['text'] == 'ask':
            self.log.add('asked', id(self))
            answer = self.listener.wait()        # times out: nobody answers
            self.log.add('answered', answer['text'])
        else:
            self.log.add('message', msg['text'], id(self))

    def on_close(self, ex):
        self.log.add('closed', type(ex).__name__)


def _run_conversation(handler_cls, workers):
    log = Collector()
    handler_cls.log = log
    bot = make_bot([(per_chat_id(), create_open(handler_cls, timeout=0.2))], workers=workers)
    return bot, log


@pytest.mark.parametrize('workers', [16, 0], ids=['pool', 'thread-per-handler'])
def test_on_idle_decides_when_a_wait_in_user_code_times_out(workers):
    class Patient(Conversation):
        def on__idle(self, event):
            self.log.add('idle', event['_idle']['seconds'])
            if len([i for i in self.log.items if i[0] == 'idle']) >= 2:
                self.close()

    bot, log = _run_conversation(Patient, workers)
    try:
        bot.handle(chat_msg(1, 1, text='ask'))
        items = log.wait_count(2)
        assert items[1] == ('idle', 0.2)         # on__idle ran, and the handler stayed:
        bot.handle(chat_msg(1, 2, text='hello'))
        items = log.wait_count(5)
        assert items[2][:2] == ('message', 'hello') and items[2][2] == items[0][1]
        assert items[3:] == [('idle', 0.2), ('closed', 'StopListening')]
    finally:
        bot.stop(WAIT)


@pytest.mark.parametrize('workers', [16, 0], ids=['pool', 'thread-per-handler'])
def test_by_default_a_wait_in_user_code_that_times_out_ends_the_handler(workers):
    bot, log = _run_conversation(Conversation, workers)
    try:
        bot.handle(chat_msg(1, 1, text='ask'))
        assert log.wait_count(2)[1] == ('closed', 'IdleTerminate')
    finally:
        bot.stop(WAIT)


# ------------------------------------------------------------------- names and signatures

def test_listener_parameter_names():
    mic = Microphone()
    for make in (lambda q: Listener(mic, q), lambda q: Listener(microphone=mic, queue=q),
                 lambda q: Listener(mic=mic, q=q)):
        q = queue.Queue()
        listener = make(q)
        listener.capture(chat__id=1)
        mic.send(chat_msg(1, 1))
        assert listener.wait()['message_id'] == 1 and listener.queue is q
    with pytest.raises(TypeError, match='both microphone and mic'):
        Listener(mic, queue.Queue(), mic=mic)
    with pytest.raises(TypeError, match="'queue'"):
        Listener(mic)


def test_handlers_show_their_real_signature():
    chat = inspect.signature(ChatHandler).parameters
    assert list(chat)[:2] == ['seed_tuple', 'include_callback_query']
    for name in ('timeout', 'event_space', 'intercept_callback_query'):
        assert chat[name].kind is inspect.Parameter.KEYWORD_ONLY and chat[name].default is None
    user = inspect.signature(UserHandler).parameters
    assert list(user)[:3] == ['seed_tuple', 'include_callback_query', 'flavors']
    assert user['flavors'].default == ['chat', 'inline_query', 'chosen_inline_result']
    assert 'timeout' in user and 'event_space' in user


def test_both_generations_call_forms_still_build_the_same_handlers():
    bot = make_bot([])
    h63 = ChatHandler((bot, chat_msg(1, 1), 1), 10)
    h12 = ChatHandler((bot, chat_msg(1, 1), 1), timeout=10)
    assert h63.listener.get_options('timeout') == h12.listener.get_options('timeout') == (10,)
    with pytest.raises(TypeError, match='timeout twice'):
        ChatHandler((bot, chat_msg(1, 1), 1), 10, timeout=5)
    u63 = UserHandler((bot, chat_msg(1, 1), 1), 20)       # 6.3: every flavor of the user
    u12 = UserHandler((bot, chat_msg(1, 1), 1), timeout=20)
    poll_answer_like = {'poll_id': 'p', 'option_ids': [0], 'from': {'id': 1}}
    assert len(u63.listener.list_captures()) == 1              # just {'from': {'id': 1}}
    assert len(u12.listener.list_captures()[0]) == 2           # ... and the flavor test
    assert poll_answer_like['from']['id'] == u63.user_id


@pytest.mark.parametrize('workers', [16, 0], ids=['pool', 'thread-per-handler'])
def test_a_handler_with_a_tuple_seed_closes_cleanly_on_stop(workers):
    """A CallbackQueryOriginHandler's seed is an origin tuple (telepot 12's quiz.py): the
    bot's stop must reach its on_close, promptly."""
    from telepot_ng.delegate import pave_event_space, per_callback_query_origin
    from telepot_ng.helper import CallbackQueryOriginHandler

    from .test_telepot12 import callback_query
    got = Collector()

    class Quiz(CallbackQueryOriginHandler):
        def on_callback_query(self, msg):
            got.add('query', self.origin)

        def on_close(self, ex):
            got.add('closed', type(ex).__name__)

    bot = make_bot([pave_event_space()(per_callback_query_origin(), create_open, Quiz,
                                       timeout=30)], workers=workers)
    bot.handle(callback_query(2, 50, 'x'))
    assert got.wait_count(1) == [('query', (2, 50))]
    bot.stop(WAIT)
    assert got.wait_count(2)[1] == ('closed', 'StopListening')
    assert bot.live_delegates == 0

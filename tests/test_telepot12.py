"""The telepot 12 layer: event spaces, scheduler, idle timeouts, callback-query routing,
routing helpers, Editor/Administrator/Answerer -- on the same delegation core as 6.3."""
from __future__ import annotations

import gc
import logging
import re
import threading
import time
import weakref

import pytest

import telepot_ng
from telepot_ng import DelegatorBot, flavor_router, message_identifier
from telepot_ng.delegate import (create_open, include_callback_query_chat_id,
                                 intercept_callback_query_origin, pave_event_space,
                                 per_callback_query_origin, per_chat_id, per_invoice_payload,
                                 chain, until, pair, per_event_source_id)
from telepot_ng.delegation import origin_map
from telepot_ng.exception import EventNotFound, IdleTerminate
from telepot_ng.helper import (Administrator, Answerer, CallbackQueryOriginHandler,
                               ChatHandler, Editor, InvoiceHandler, Router, Sender, UserHandler)
from telepot_ng.routing import (by_chat_command, by_command, by_content_type, by_data,
                                by_regex, by_text, lower_key, make_content_type_routing_table,
                                make_routing_table, upper_key)

from .conftest import TOKEN, RecordingTransport
from .test_delegation import WAIT, Collector, chat_msg


def make_bot(patterns, **kw):
    bot = DelegatorBot(TOKEN, patterns, base_url='http://127.0.0.1:9', **kw)
    rec = RecordingTransport()
    counter = iter(range(1000, 100000))

    def sent(params):
        return {'message_id': next(counter), 'date': 0,
                'chat': {'id': params['chat_id'], 'type': 'private'}, 'text': params.get('text')}
    rec.results['sendMessage'] = sent
    bot._transport = rec
    return bot


def callback_query(chat_id, message_id, data='d', user=7):
    return {'id': 'cq%d' % message_id, 'from': {'id': user, 'is_bot': False, 'first_name': 'U'},
            'chat_instance': 'ci', 'data': data,
            'message': {'message_id': message_id, 'date': 0,
                        'chat': {'id': chat_id, 'type': 'private'}}}


# ------------------------------------------------------------------------- the 12 counter

def test_telepot12_counter_with_event_space_and_idle_timeout():
    closes = Collector()

    class MessageCounter(telepot_ng.helper.ChatHandler):
        def __init__(self, *args, **kwargs):
            super(MessageCounter, self).__init__(*args, **kwargs)
            self._count = 0

        def on_chat_message(self, msg):
            self._count += 1
            self.sender.sendMessage(self._count)

        def on_close(self, ex):
            closes.add(type(ex).__name__, ex.seconds)

    bot = make_bot([pave_event_space()(per_chat_id(), create_open, MessageCounter, timeout=0.05)])
    bot.handle(chat_msg(1, 1))
    bot.handle(chat_msg(1, 2))
    assert closes.wait_count(1) == [('IdleTerminate', 0.05)]
    bot.handle(chat_msg(1, 3))                  # a new handler: the count starts over
    assert closes.wait_count(2)[1] == ('IdleTerminate', 0.05)
    bot.stop(WAIT)
    texts = [p['text'] for m, p in bot._transport.calls if m == 'sendMessage']
    assert texts == [1, 2, 1]


def test_on_idle_override_keeps_the_handler_alive():
    events = Collector()

    class Patient(ChatHandler):
        def on_chat_message(self, msg):
            events.add('msg', msg['message_id'])
            if msg['text'] == 'bye':
                self.close()

        def on__idle(self, event):
            events.add('idle', event['_idle']['seconds'], event['_idle']['source']['id'])

        def on_close(self, ex):
            events.add('close', type(ex).__name__)

    bot = make_bot([pave_event_space()(per_chat_id(), create_open, Patient, timeout=0.02)])
    bot.handle(chat_msg(5, 1))
    events.wait_count(3)                     # msg + at least two idle events
    bot.handle(chat_msg(5, 2, 'bye'))
    with events.cond:
        assert events.cond.wait_for(lambda: ('close', 'StopListening') in events.items, WAIT)
    bot.stop(WAIT)
    items = events.items
    assert items[0] == ('msg', 1)
    assert ('idle', 0.02, 5) in items and ('msg', 2) in items


# ------------------------------------------------------------------------------ scheduler

def test_handler_scheduler_events_come_back_to_the_handler():
    got = Collector()

    class Alarm(ChatHandler):
        def on_chat_message(self, msg):
            if msg['text'] == 'set':
                self.scheduler.event_later(0.02, ('_alarm', {'n': 1}))
                self.scheduler.event_now(('_alarm', {'n': 0}))
                cancelled = self.scheduler.event_later(0.01, ('_alarm', {'n': 'never'}))
                self.scheduler.cancel(cancelled)
                with pytest.raises(EventNotFound):
                    self.scheduler.cancel(cancelled)

        def on__alarm(self, event):
            got.add(event['_alarm']['n'], event['_alarm']['source']['id'])

    bot = make_bot([pave_event_space()(per_chat_id(), create_open, Alarm, timeout=30)])
    bot.handle(chat_msg(9, 1, 'set'))
    assert got.wait_count(2) == [(0, 9), (1, 9)]
    bot.stop(WAIT)
    assert ('never', 9) not in got.items


def test_an_event_for_an_ended_handler_spawns_a_new_one_as_telepot12_did():
    got = Collector()

    class Leaver(ChatHandler):
        def on_chat_message(self, msg):
            self.scheduler.event_later(0.05, ('_later', {}))
            self.close()

        def on__later(self, event):
            got.add('event', self.chat_id, event['_later']['source']['id'])

    bot = make_bot([pave_event_space()(per_chat_id(), create_open, Leaver, timeout=30)])
    bot.handle(chat_msg(3, 1))
    assert got.wait_count(1) == [('event', 3, 3)]
    bot.stop(WAIT)


def test_bot_scheduler_is_a_timer_that_stops_with_the_bot():
    bot = make_bot([])
    fired = Collector()
    bot.handle = lambda event: fired.add(time.monotonic(), event)
    t0 = time.monotonic()
    sched = bot.scheduler
    sched.event_later(0.06, {'_b': 2})
    sched.event_at(time.time() + 0.03, {'_a': 1})
    data = lambda: {'_c': 3}
    sched.event_later(0.09, data)
    got = fired.wait_count(3)
    assert [e for _, e in got] == [{'_a': 1}, {'_b': 2}, {'_c': 3}]
    assert got[0][0] - t0 >= 0.03 - 0.005
    with pytest.raises(TypeError, match='flavor, data'):
        sched.event_now(('_alarm', {}))             # the handler-scheduler form, by mistake
    thread = sched._thread
    assert thread is not None and thread.is_alive()
    bot.stop(WAIT)
    assert not thread.is_alive()


# ---------------------------------------------------------------------- callback queries

def test_include_callback_query_chat_id_routes_queries_to_the_chat_handler():
    got = Collector()

    class Quiz(ChatHandler):
        def on_chat_message(self, msg):
            got.add('chat', msg['message_id'])

        def on_callback_query(self, msg):
            got.add('callback', msg['data'])

    bot = make_bot([include_callback_query_chat_id(pave_event_space())(
        per_chat_id(), create_open, Quiz, timeout=30)])
    bot.handle(chat_msg(4, 1))
    bot.handle(callback_query(4, 77, data='yes'))
    assert got.wait_count(2) == [('chat', 1), ('callback', 'yes')]
    assert len(bot._registries[0]) == 1             # no second handler was spawned
    bot.stop(WAIT)


def test_intercept_callback_query_origin_routes_to_the_sender_and_cleans_up():
    got = Collector()
    keyboard = {'inline_keyboard': [[{'text': 'A', 'callback_data': 'a'}]]}

    class Asker(ChatHandler):
        def on_chat_message(self, msg):
            if msg['text'] == 'ask':
                sent = self.sender.sendMessage('Pick', reply_markup=keyboard)
                got.add('sent', sent['message_id'])
            else:
                self.close()

        def on_callback_query(self, msg):
            got.add('callback', msg['data'], msg['message']['message_id'])

    bot = make_bot([intercept_callback_query_origin(pave_event_space())(
        per_chat_id(types=['private']), create_open, Asker, timeout=30)])
    bot.handle(chat_msg(8, 1, 'ask'))
    [(_, sent_id)] = got.wait_count(1)
    assert origin_map(bot) == {(8, sent_id): 8}
    # the query comes from a group the handler never saw: only the origin map routes it
    q = callback_query(8, sent_id, data='a')
    q['message']['chat']['type'] = 'group'
    bot.handle(q)
    assert got.wait_count(2)[1] == ('callback', 'a', sent_id)
    bot.handle(chat_msg(8, 2, 'bye'))
    deadline = time.monotonic() + WAIT
    while origin_map(bot) and time.monotonic() < deadline:
        time.sleep(0.002)
    assert origin_map(bot) == {}
    bot.stop(WAIT)
    other = make_bot([])
    assert origin_map(other) == {}                 # per bot, not module-global


def test_callback_query_origin_handler_and_editor():
    got = Collector()

    class Votes(CallbackQueryOriginHandler):
        def on_callback_query(self, msg):
            got.add(self.origin, msg['data'])
            self.editor.editMessageText('voted %s' % msg['data'])

    bot = make_bot([pave_event_space()(per_callback_query_origin(), create_open, Votes,
                                       timeout=30)])
    bot.handle(callback_query(2, 50, 'x'))
    bot.handle(callback_query(2, 50, 'y'))
    bot.handle(callback_query(2, 51, 'z'))
    items = got.wait_count(3)
    bot.stop(WAIT)
    assert [d for o, d in items if o == (2, 50)] == ['x', 'y']
    edits = [p for m, p in bot._transport.calls if m == 'editMessageText']
    assert {'chat_id': 2, 'message_id': 50, 'text': 'voted x'} in edits


def test_invoice_handler_follows_one_payload():
    got = Collector()

    class Shop(InvoiceHandler):
        def on_shipping_query(self, msg):
            got.add('shipping', self.payload)

        def on_pre_checkout_query(self, msg):
            got.add('checkout', self.payload)

        def on_chat_message(self, msg):
            got.add('paid', msg['successful_payment']['invoice_payload'])
            self.close()

    user = {'id': 1, 'is_bot': False, 'first_name': 'U'}
    bot = make_bot([pave_event_space()(per_invoice_payload(), create_open, Shop, timeout=30)])
    bot.handle({'id': 's1', 'from': user, 'invoice_payload': 'P1',
                'shipping_address': {'country_code': 'NL'}})
    bot.handle({'id': 'p1', 'from': user, 'currency': 'EUR', 'total_amount': 100,
                'invoice_payload': 'P1'})
    bot.handle({'message_id': 3, 'date': 0, 'chat': {'id': 1, 'type': 'private'},
                'successful_payment': {'currency': 'EUR', 'total_amount': 100,
                                       'invoice_payload': 'P1',
                                       'telegram_payment_charge_id': 't',
                                       'provider_payment_charge_id': 'p'}})
    assert got.wait_count(3) == [('shipping', 'P1'), ('checkout', 'P1'), ('paid', 'P1')]
    bot.stop(WAIT)


# ------------------------------------------------------------------------- no ref cycles

def test_telepot12_handlers_are_freed_as_soon_as_they_end():
    refs = []
    ended = threading.Event()

    class Full(ChatHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            refs.append(weakref.ref(self))

        def on_chat_message(self, msg):
            self.sender.sendMessage('hi', reply_markup={'inline_keyboard': [[
                {'text': 'a', 'callback_data': 'a'}]]})
            self.scheduler.event_later(30, ('_x', {}))
            self.close()

        def on_close(self, ex):
            ended.set()

    gc.disable()
    try:
        bot = make_bot([intercept_callback_query_origin(
            include_callback_query_chat_id(pave_event_space()))(
            per_chat_id(), create_open, Full, timeout=30)])
        bot.handle(chat_msg(1, 1))
        assert ended.wait(WAIT)
        for t in threading.enumerate():
            if t.name.startswith('Full-'):
                t.join(WAIT)
        assert refs[0]() is None, 'a reference cycle keeps the handler alive'
    finally:
        gc.enable()
    bot.stop(WAIT)


# ---------------------------------------------------------------------------- Bot.handle

def test_bot_handle_routes_by_flavor():
    got = Collector()

    class MyBot(telepot_ng.Bot):
        def on_chat_message(self, msg):
            got.add('chat', msg['message_id'])

        def on_callback_query(self, msg):
            got.add('callback', msg['data'])

        def on_inline_query(self, msg):
            got.add('inline', msg['query'])

    bot = MyBot(TOKEN, base_url='http://127.0.0.1:9')
    bot.handle(chat_msg(1, 5))
    bot.handle(callback_query(1, 6, 'd'))
    bot.handle({'id': 'i', 'from': {'id': 1}, 'query': 'qq', 'offset': ''})
    bot.handle({'id': 'p', 'question': 'Q?', 'options': [], 'total_voter_count': 0,
                'is_closed': False, 'is_anonymous': True, 'type': 'regular',
                'allows_multiple_answers': False})          # no on_poll: ignored
    assert got.items == [('chat', 5), ('callback', 'd'), ('inline', 'qq')]


def test_flavor_router_and_router_keys():
    got = []
    route = flavor_router({'chat': lambda m: got.append('chat'),
                           'inline_query': lambda m: got.append('inline')})
    route(chat_msg(1, 1))
    route({'id': 'i', 'from': {'id': 1}, 'query': 'q', 'offset': ''})
    assert got == ['chat', 'inline']
    r = Router(lambda m: (m['k'], (m['a'],), {'kw': m['b']}),
               {'x': lambda m, a, kw: got.append((a, kw)), None: lambda m, *a, **k: got.append('default')})
    r.route({'k': 'x', 'a': 1, 'b': 2})
    r.route({'k': 'zzz', 'a': 1, 'b': 2})
    assert got[-2:] == [(1, 2), 'default']
    with pytest.raises(RuntimeError):
        Router(lambda m: 'nope', {}).route({})
    # flavor_router ignores flavors its table does not name (telepot 12 never saw polls)
    assert route({'poll_id': 'p', 'option_ids': [0], 'user': {'id': 1}}) is None


# ------------------------------------------------------------------------------- routing

def test_routing_key_functions():
    cmd = by_chat_command(pass_args=True)
    assert cmd({'text': '/start a b'}) == ('start', (['a', 'b'],))
    assert cmd({'text': '/start@MyBot x'}) == ('start', (['x'],))
    assert cmd({'text': 'hello'}) == ((None,),)
    mine = by_chat_command(bot_username='MyBot')
    assert mine({'text': '/go@mybot'}) == ('go', ())
    assert mine({'text': '/go@OtherBot'}) == ((None,),)
    assert by_command(lambda m: m['data'], prefix='!')({'data': '!x'}) == ('x', ())
    assert by_text()({'text': 't'}) == 't' and by_data()({'data': 'd'}) == 'd'
    k, (m,) = by_regex(lambda m: m['text'], r'(\d+) apples')({'text': 'I have 12 apples'})
    assert k == '12' and m.group(0) == '12 apples'
    assert by_regex(lambda m: m['text'], 'x(y)')({'text': 'none'}) == ((None,),)
    assert lower_key(by_text())({'text': 'ABC'}) == 'abc'
    assert upper_key(by_chat_command())({'text': '/go'}) == ('GO', ())
    ct = by_content_type()
    photo = [{'file_id': 'f', 'file_unique_id': 'u', 'width': 1, 'height': 1}]
    assert ct({'message_id': 1, 'chat': {'id': 1, 'type': 'private'}, 'date': 0,
               'photo': photo, 'caption': 'c'}) == ('photo', (photo,))


def test_routing_tables():
    class Obj:
        def on_start(self, msg):
            return 'started'

        def on_text(self, msg, text):
            return 'text:' + text

    table = make_routing_table(Obj(), ['start', ('stop', lambda m: 'stopped'), ('help',)])
    assert table['start']({}) == 'started' and table['stop']({}) == 'stopped'
    with pytest.raises(AttributeError):
        table['help']({})
    router = Router(by_content_type(), make_content_type_routing_table(Obj()))
    assert router.route(chat_msg(1, 1, 'hey')) == 'text:hey'
    assert 'photo' in make_content_type_routing_table(Obj())
    with pytest.raises(ValueError):
        make_routing_table(Obj(), [None])
    assert make_routing_table(Obj(), [(None, len)])[None] is len


# --------------------------------------------------------------------------- proxies

def test_sender_administrator_editor_are_derived_from_the_spec(monkeypatch):
    from telepot_ng._generated import spec
    chat_first = [m for m, (_, fields) in spec.METHODS.items()
                  if [f[0] for f in fields if f[1]][:1] == ['chat_id']]
    assert len(chat_first) == 89      # Bot API 10.3 (87) + sendWidget, sendSharedWidget
    for m in chat_first:
        assert callable(getattr(Sender, m)), m
    assert hasattr(Administrator, 'banChatMember') and hasattr(Administrator, 'kickChatMember')
    assert not hasattr(Administrator, 'sendMessage')
    for m in ('editMessageText', 'editMessageCaption', 'editMessageReplyMarkup',
              'editMessageMedia', 'deleteMessage', 'stopPoll', 'setGameScore'):
        assert callable(getattr(Editor, m)), m
    assert not hasattr(Editor, 'forwardMessage') and not hasattr(Editor, 'copyMessage')

    bot = telepot_ng.Bot(TOKEN, base_url='http://127.0.0.1:9')
    bot._transport = rec = RecordingTransport()
    Sender(bot, 5).sendMessage('hi', 'Markdown')
    assert rec.last == ('sendMessage', {'chat_id': 5, 'text': 'hi', 'parse_mode': 'Markdown'})
    Sender(bot, 5).send_photo('PHOTO_ID', caption='c')
    assert rec.last == ('sendPhoto', {'chat_id': 5, 'photo': 'PHOTO_ID', 'caption': 'c'})
    Administrator(bot, -100).getChatMemberCount()
    assert rec.last == ('getChatMemberCount', {'chat_id': -100})
    Editor(bot, (5, 9)).editMessageText('new')
    assert rec.last == ('editMessageText', {'chat_id': 5, 'message_id': 9, 'text': 'new'})
    Editor(bot, 'INL').editMessageReplyMarkup(reply_markup={'inline_keyboard': []})
    assert rec.last == ('editMessageReplyMarkup', {'inline_message_id': 'INL',
                                                   'reply_markup': {'inline_keyboard': []}})
    Editor(bot, chat_msg(5, 10)).deleteMessage()
    assert rec.last == ('deleteMessage', {'chat_id': 5, 'message_id': 10})
    with pytest.raises(TypeError):
        Editor(bot, ('INL',)).deleteMessage()
    bot.editMessageText(message_identifier(chat_msg(5, 11)), 'telepot 12 form')
    assert rec.last == ('editMessageText', {'chat_id': 5, 'message_id': 11,
                                            'text': 'telepot 12 form'})


def test_answerer_both_forms_and_superseded_answers_are_never_sent():
    bot = telepot_ng.Bot(TOKEN, base_url='http://127.0.0.1:9')
    bot._transport = rec = RecordingTransport()
    release_first = threading.Event()
    started_first = threading.Event()

    def compute(q):
        if q['query'] == 'slow':
            started_first.set()
            release_first.wait(WAIT)
        return [{'type': 'article', 'id': q['query'], 'title': q['query'],
                 'input_message_content': {'message_text': q['query']}}]

    answerer = Answerer(bot, compute)                 # telepot 6.3 form
    user = {'id': 42, 'is_bot': False, 'first_name': 'U'}
    t1 = answerer.answer({'id': 'q1', 'from': user, 'query': 'slow', 'offset': ''})
    assert started_first.wait(WAIT)
    t2 = answerer.answer({'id': 'q2', 'from': user, 'query': 'fast', 'offset': ''})
    t2.join(WAIT)
    release_first.set()
    t1.join(WAIT)
    answered = [p['inline_query_id'] for m, p in rec.calls if m == 'answerInlineQuery']
    assert answered == ['q2']

    a12 = Answerer(bot)                               # telepot 12 form
    a12.answer({'id': 'q3', 'from': user, 'query': 'x', 'offset': ''},
               lambda word, n: ([{'type': 'article', 'id': word, 'title': word,
                                  'input_message_content': {'message_text': word}}], n),
               'w', 7).join(WAIT)
    method, params = rec.last
    assert method == 'answerInlineQuery' and params['inline_query_id'] == 'q3'
    assert params['cache_time'] == 7


def test_handler_constructor_forms():
    bot = make_bot([])
    seed = (bot, chat_msg(3, 1), 3)
    h63 = ChatHandler(seed, 10)
    assert h63.listener.get_options('timeout') == (10,)
    h12 = ChatHandler(seed, include_callback_query=True, timeout=5)
    assert h12.listener.get_options('timeout') == (5,)
    assert len(h12.listener.list_captures()) == 2
    h12b = ChatHandler(seed, True)
    assert len(h12b.listener.list_captures()) == 2
    u63 = UserHandler(seed, 10, 'all')
    assert u63.user_id == 3 and u63.listener.get_options('timeout') == (10,)
    u12 = UserHandler(seed, timeout=3, flavors=['chat'])
    assert u12.listener.get_options('timeout') == (3,)
    with pytest.raises(TypeError):
        ChatHandler(seed, 10, timeout=5)
    bot.stop(WAIT)


def test_seeder_composition():
    a = lambda m: m.get('a')
    b = lambda m: m.get('b')
    assert chain(a, b)({'b': 2}) == 2 and chain(a, b)({'a': 1, 'b': 2}) == 1
    assert until(lambda s: s == 2, [a, b])({'a': 1, 'b': 2}) == 2
    seeder, producer = pair([a, b], lambda x: ('made', x), 'X')
    assert seeder({'b': 5}) == 5 and producer == ('made', 'X')
    s1, p1 = pave_event_space()(a, lambda **kw: kw)
    assert 'event_space' in p1
    ev = {'_e': {'source': {'space': p1['event_space'], 'id': 77}}}
    assert s1(ev) == 77 and per_event_source_id(-1)(ev) is None


def test_telepot12_exceptions_exist():
    from telepot_ng import exception as e
    for name in ('TelepotException', 'BadFlavor', 'BadHTTPResponse', 'EventNotFound',
                 'WaitTooLong', 'IdleTerminate', 'StopListening', 'TelegramError',
                 'UnauthorizedError', 'BotWasKickedError', 'BotWasBlockedError',
                 'TooManyRequestsError', 'MigratedToSupergroupChatError',
                 'NotEnoughRightsError'):
        assert issubclass(getattr(e, name), e.TelepotException), name
    assert issubclass(e.IdleTerminate, e.WaitTooLong)


def test_routing_tables_keyed_by_old_names_still_route():
    got = []
    route = flavor_router({'normal': lambda m: got.append('63-normal')})
    route(chat_msg(1, 1))
    r = Router(by_content_type(), {'new_chat_participant': lambda m, members: got.append(len(members))})
    r.route({'message_id': 2, 'date': 0, 'chat': {'id': 1, 'type': 'group'},
             'new_chat_members': [{'id': 5, 'is_bot': False, 'first_name': 'N'}]})
    assert got == ['63-normal', 1]


def test_nested_legacy_preview_flag_in_inline_results(rbot, recorder):
    rbot.answerInlineQuery('q', [{'type': 'article', 'id': '1', 'title': 'T',
                                  'input_message_content': {'message_text': 'hi',
                                                            'disable_web_page_preview': True}}])
    content = recorder.last[1]['results'][0]['input_message_content']
    assert content == {'message_text': 'hi', 'link_preview_options': {'is_disabled': True}}

"""Drop-in compatibility details: a handler's router starts with telepot 12's flavor routes,
and the flavor names a program sees follow the telepot generation whose entry point it uses."""
from __future__ import annotations

import logging
import pickle
import queue

import pytest

import telepot_ng
from telepot_ng import flavor, glance, unwrap_update
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.flavors import _UPDATE_FLAVOR, use_names
from telepot_ng.helper import ChatHandler

from .test_delegation import WAIT, Collector, chat_msg
from .test_telepot12 import callback_query, make_bot


def update(msg, kind='message', uid=1):
    return unwrap_update({'update_id': uid, kind: msg})


# ------------------------------------------------------------------------- flavor names

def test_63_names_hash_as_the_old_names_and_equal_the_new():
    msg = use_names(update(chat_msg(1, 1)), '6.3')
    f = flavor(msg)
    assert str(f) == 'normal' and hash(f) == hash('normal')
    assert f == 'chat' and f == 'normal' and 'chat' == f and f != 'inline_query'
    assert {'normal': 1}[f] == 1
    assert glance(msg) == ('text', 'private', 1)
    assert glance(msg, flavor=f) == ('text', 'private', 1)
    assert telepot_ng.canonical_name(f) == 'chat'
    assert pickle.loads(pickle.dumps(f)) == 'chat'


def test_12_names_are_todays():
    msg = update(chat_msg(1, 1))
    assert str(flavor(msg)) == 'chat' and {'chat': 1}[flavor(msg)] == 1
    assert str(flavor(use_names(update(chat_msg(1, 1)), '12'))) == 'chat'
    assert str(flavor(chat_msg(1, 1))) == 'chat'          # a plain dict: today's names


def test_63_content_type_names():
    joined = dict(chat_msg(-5, 1, chat_type='group'), new_chat_members=[{'id': 2}])
    del joined['text']
    left = dict(joined, left_chat_member={'id': 2})
    del left['new_chat_members']
    old, new = use_names(update(joined), '6.3'), update(joined, uid=2)
    assert str(glance(old)[0]) == 'new_chat_participant'
    assert {'new_chat_participant': 1}[glance(old)[0]] == 1
    assert glance(old)[0] == 'new_chat_members' and glance(old)[0] == 'new_chat_member'
    assert str(glance(new)[0]) == 'new_chat_members'
    assert str(glance(use_names(update(left), '6.3'))[0]) == 'left_chat_participant'
    # other flavors are named alike in both generations
    cq = use_names(update(callback_query(1, 2), 'callback_query'), '6.3')
    assert str(flavor(cq)) == 'callback_query'


def test_use_names_refuses_an_unknown_generation():
    with pytest.raises(ValueError, match="'6.3' or '12'"):
        use_names(update(chat_msg(1, 1)), '7')
    plain = chat_msg(1, 1)
    assert use_names(plain, '6.3') is plain and str(flavor(plain)) == 'chat'


@pytest.mark.parametrize('entry', ['notifyOnMessage', 'message_loop'])
def test_the_entry_point_decides_the_names(entry):
    bot = telepot_ng.Bot('123:ABC', base_url='http://127.0.0.1:9')
    seen = queue.Queue()
    q = queue.Queue()
    getattr(bot, entry)(lambda msg: seen.put(flavor(msg)), source=q, ordered=False)
    try:
        q.put({'update_id': 7, 'message': chat_msg(1, 1)})
        f = seen.get(timeout=WAIT)
    finally:
        bot.stop(WAIT)
    assert str(f) == ('normal' if entry == 'notifyOnMessage' else 'chat')
    assert f == 'chat' and f == 'normal'


# ------------------------------------------------------------------------ default router

def test_a_handler_router_starts_with_every_flavor_route():
    bot = make_bot([])
    handler = ChatHandler((bot, chat_msg(1, 1), 1))
    table = handler.router.routing_table
    flavors = {str(f) for f in _UPDATE_FLAVOR.values()}
    assert flavors | {'_idle'} == set(table)
    for f in ('chat', 'callback_query', 'inline_query', 'chosen_inline_result',
              'shipping_query', 'pre_checkout_query', 'poll_answer', 'my_chat_member'):
        assert f in table


def test_adding_one_route_keeps_the_others():
    got = Collector()

    class Alarm(ChatHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.router.routing_table['_alarm'] = self.on__alarm

        def on_chat_message(self, msg):
            got.add('chat', msg['message_id'])
            if msg['text'] == 'set':
                self.scheduler.event_now(('_alarm', {'n': msg['message_id']}))

        def on_callback_query(self, msg):
            got.add('callback_query', msg['message']['message_id'])

        def on__alarm(self, event):
            got.add('_alarm', event['_alarm']['n'])

    bot = make_bot([pave_event_space()(per_chat_id(), create_open, Alarm, timeout=WAIT)])
    try:
        bot.handle(chat_msg(1, 1, text='set'))
        assert got.wait_count(2) == [('chat', 1), ('_alarm', 1)]
    finally:
        bot.stop(WAIT)


def test_replacing_one_route_and_routing_old_keys():
    bot = make_bot([])
    seen = []

    class H(ChatHandler):
        def on_chat_message(self, msg):
            seen.append('method')

    h = H((bot, chat_msg(1, 1), 1))
    h.on_message(update(chat_msg(1, 1)))
    h.router.routing_table['chat'] = lambda msg: seen.append('replaced')
    h.on_message(update(chat_msg(1, 2)))
    h.on_message(use_names(update(chat_msg(1, 3)), '6.3'))       # 'normal' finds 'chat'
    assert seen == ['method', 'replaced', 'replaced']
    del h.router.routing_table['chat']
    h.router.routing_table['normal'] = lambda msg: seen.append('normal')   # a 6.3-style key
    h.on_message(update(chat_msg(1, 4)))
    assert seen[-1] == 'normal'


def test_a_flavor_without_a_method_is_logged_once_and_ignored(caplog):
    bot = make_bot([])
    h = ChatHandler((bot, chat_msg(1, 1), 1))
    h.router                                     # the filled table, not the fast path
    poll = update({'poll_id': 'p', 'option_ids': [0], 'user': {'id': 1}}, 'poll_answer')
    with caplog.at_level(logging.WARNING, logger='telepot_ng.helper'):
        assert h.on_message(poll) is None
        assert h.on_message(poll) is None
    assert [r.getMessage() for r in caplog.records].count(
        'ChatHandler has no on_poll_answer(); poll_answer messages are ignored') <= 1


def test_a_custom_key_function_uses_the_table_as_telepot_does():
    bot = make_bot([])
    h = ChatHandler((bot, chat_msg(1, 1), 1))
    h.router.key_function = lambda msg: msg['text']
    h.router.routing_table = {'a': lambda msg: 'A'}
    assert h.on_message(chat_msg(1, 2, text='a')) == 'A'
    with pytest.raises(RuntimeError, match="No handler for key: 'b'"):
        h.on_message(chat_msg(1, 3, text='b'))

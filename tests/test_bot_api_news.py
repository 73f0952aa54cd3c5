"""What Bot API 10.3 and the 10.4/10.5 supplement change for users: getMe's shape, the new
update kinds through flavor/glance and the loops, and the new methods against the fake."""
from __future__ import annotations

import os
import threading

import pytest

from telepot_ng import DelegatorBot, flavor, glance
from telepot_ng import namedtuple as nt
from telepot_ng._compat import flatten_bot_info
from telepot_ng._generated import spec
from telepot_ng.delegate import create_open, per_application, per_chat_id
from telepot_ng.exception import TelegramError
from telepot_ng.helper import ChatHandler, Monitor

from .test_flavors import _expected_flavor, _realistic
from .test_webhook_app import serve  # noqa: F401  (a fixture)

USER_10_4 = {'id': 42, 'is_bot': True, 'first_name': 'B', 'username': 'b_bot',
             'can_join_groups': True, 'supports_inline_queries': False}
FLAT_10_5 = dict(USER_10_4, active_usernames=['b_bot'], has_topic_sidebar=True)
NESTED = {'user': {'id': 42, 'is_bot': True, 'first_name': 'B', 'username': 'b_bot'},
          'can_join_groups': True, 'supports_inline_queries': False,
          'active_usernames': ['b_bot']}


@pytest.mark.parametrize('answer', [USER_10_4, FLAT_10_5, NESTED], ids=['user', 'flat', 'nested'])
def test_getme_reads_the_same_whichever_shape_the_server_sends(rbot, recorder, answer):
    recorder.results['getMe'] = answer
    for me in (rbot.getMe(), rbot.get_me(), rbot.call('getMe')):
        assert (me['id'], me['username'], me['first_name']) == (42, 'b_bot', 'B')
        assert me['can_join_groups'] is True and me['supports_inline_queries'] is False
        # telepot-era code builds a User namedtuple from it: bot-only fields stay readable
        user = nt.User(**me)
        assert user.id == 42 and user.can_join_groups is True
        assert nt.BotFullInfo(**me).can_join_groups is True


def test_flatten_leaves_other_shapes_alone():
    assert flatten_bot_info(True) is True
    assert flatten_bot_info(FLAT_10_5) is FLAT_10_5
    odd = {'user': 'not a dict'}
    assert flatten_bot_info(odd) is odd
    flat = flatten_bot_info({'bot': {'id': 1, 'first_name': 'x'}, 'first_name': 'top'})
    assert flat['id'] == 1 and flat['first_name'] == 'top'


# ------------------------------------------------------------------ update kinds in the loops

WAIT = 15.0
KINDS = list(spec.UPDATE_TYPES)


class Seen:
    """(update_type, flavor, glance) of what user code got, with a wait."""

    def __init__(self):
        self.cond = threading.Condition()
        self.items = []

    def add(self, f, msg):
        with self.cond:
            self.items.append((msg.update_type, str(f), glance(msg, flavor=f)))
            self.cond.notify_all()

    def wait(self, n):
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.items) >= n, WAIT), " ".join(k for k, _, _ in self.items)
            return list(self.items)


def unpaced(tg):
    """A Bot on the fake without the pacing of Telegram's limits: these tests check the
    rules the fake enforces, which the pacing (tested in test_ratelimit_*) only made wait
    (a group's 20 messages a minute cost test_ephemeral_rules 5 s)."""
    return tg.bot(rate_limits=None)


def _push_every_kind(tg, bot):
    bot.getUpdates(timeout=0, allowed_updates=KINDS)      # Telegram keeps only allowed kinds
    tg.push_updates([{kind: _realistic(kind)} for kind in KINDS])


def test_the_new_kinds_are_in_the_tables():
    for kind in ('subscription', 'stopped_message_generation', 'widget_query',
                 'shared_widget_query'):
        assert kind in KINDS
    assert len(KINDS) == 29


def test_every_update_kind_routes_by_flavor_through_message_loop(fake_telegram):
    """message_loop with a telepot 12 routing table keyed by every flavor: each kind
    reaches the function of its flavor once, in order, and glances without error."""
    tg = fake_telegram
    seen = Seen()
    flavors = {_expected_flavor(k) for k in KINDS}
    table = {f: (lambda f: lambda msg: seen.add(f, msg))(f) for f in flavors}
    bot = unpaced(tg)
    _push_every_kind(tg, bot)
    bot.message_loop(table, timeout=5, allowed_updates=KINDS)
    got = seen.wait(len(KINDS))
    bot.stop(5)
    assert [k for k, _, _ in got] == KINDS
    assert all(f == _expected_flavor(k) for k, f, _ in got)


def test_every_update_kind_reaches_a_delegate_routed_by_flavor(fake_telegram):
    """DelegatorBot: one Monitor capturing everything; its DefaultRouterMixin calls
    on_<flavor> (on_chat_message for messages) for every kind."""
    tg = fake_telegram
    seen = Seen()

    class Everything(Monitor):
        def __getattr__(self, name):
            if name.startswith('on_'):
                f = 'chat' if name == 'on_chat_message' else name[3:]
                return lambda msg: seen.add(f, msg)
            raise AttributeError(name)

    bot = DelegatorBot(tg.token, [(per_application(), create_open(
        Everything, capture=[{'_': lambda msg: True}]))], base_url=tg.base_url)
    _push_every_kind(tg, bot)
    bot.message_loop(timeout=5, allowed_updates=KINDS)
    got = seen.wait(len(KINDS))
    bot.stop(5)
    assert [k for k, _, _ in got] == KINDS
    assert all(f == _expected_flavor(k) for k, f, _ in got)


def test_every_update_kind_round_trips_through_a_webhook(fake_telegram, serve):
    """Telegram (the fake) POSTs each kind to the WSGI app; the queue-fed loop routes it."""
    import queue

    from telepot_ng.webhook import WebhookApp
    tg = fake_telegram
    seen = Seen()
    q = queue.Queue()
    bot = unpaced(tg)
    table = {f: (lambda f: lambda msg: seen.add(f, msg))(f)
             for f in {_expected_flavor(k) for k in KINDS}}
    bot.message_loop(table, source=q)
    bot.setWebhook(serve(WebhookApp(q)), allowed_updates=KINDS)
    tg.push_updates([{kind: _realistic(kind)} for kind in KINDS])
    got = seen.wait(len(KINDS))
    bot.deleteWebhook()
    bot.stop(5)
    assert [k for k, _, _ in got] == KINDS
    assert all(f == _expected_flavor(k) for k, f, _ in got)


def test_chat_scoped_new_kinds_reach_the_chat_handler(fake_telegram):
    """A widget query and a stopped generation carry their chat: per_chat_id hands them
    to that chat's ChatHandler, as messages from that chat."""
    tg = fake_telegram
    seen = Seen()

    class Chat(ChatHandler):
        def on_chat_message(self, msg):
            seen.add('chat', msg)

        def on_widget_query(self, msg):
            seen.add('widget_query', msg)
            self.bot.answerWidgetQuery(msg['id'], data='ok')

        def on_stopped_message_generation(self, msg):
            seen.add('stopped_message_generation', msg)

    bot = DelegatorBot(tg.token, [(per_chat_id(), create_open(Chat, timeout=30))],
                       base_url=tg.base_url)
    alice = tg.user('Alice')
    widget = bot.sendWidget(alice.id, '<b>w</b>', allow_queries=True)
    bot.notifyOnMessage()
    alice.says('hi')
    alice.queries_widget(widget, 'go')
    bot.sendMessageDraft(alice.id, 77, text='Thinking', can_stop=True)
    alice.stops_generation(77)
    got = seen.wait(3)
    tg.wait_for_sent('answerWidgetQuery')
    bot.stop(5)
    assert [(k, g) for k, _, g in got] == [
        ('message', ('text', 'private', alice.id)),
        ('widget_query', (got[1][2][0], alice.id, 'go')),
        ('stopped_message_generation', (alice.id, 77))]


# ------------------------------------------------------------------ the fake: ephemeral messages

def test_ephemeral_messages_live_outside_the_chat_and_can_be_edited_and_deleted(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice, bob = tg.user('Alice'), tg.user('Bob')
    group = tg.group('G', members=[alice, bob])
    only_bob = {'receiver_user_id': bob.id}
    e = bot.sendMessage(group.id, 'psst', ephemeral_message_parameters=only_bob)
    assert (e['message_id'], e['receiver_user']['id'], e['text']) == (0, bob.id, 'psst')
    normal = bot.sendMessage(group.id, 'everyone')
    assert normal['message_id'] == 1                       # the ephemeral took no message_id
    e2 = bot.sendPhoto(group.id, 'https://x/p.jpg', caption='c',
                       ephemeral_message_parameters=only_bob)
    assert e2['ephemeral_message_id'] == e['ephemeral_message_id'] + 1 and 'photo' in e2
    eid = e['ephemeral_message_id']
    assert bot.editEphemeralMessageText(group.id, bob.id, eid, text='psst!') is True
    assert bot.editEphemeralMessageReplyMarkup(
        group.id, bob.id, eid, reply_markup={'inline_keyboard': [[
            {'text': 'ok', 'callback_data': 'ok'}]]}) is True
    assert bot.editEphemeralMessageCaption(group.id, bob.id, e2['ephemeral_message_id'],
                                           caption='new') is True
    assert bot.editEphemeralMessageMedia(group.id, bob.id, e2['ephemeral_message_id'], {
        'type': 'photo', 'media': 'https://x/q.jpg'}) is True
    with pytest.raises(TelegramError, match='not modified'):
        bot.editEphemeralMessageText(group.id, bob.id, eid, text='psst!',
                                     reply_markup={'inline_keyboard': [[
                                         {'text': 'ok', 'callback_data': 'ok'}]]})
    with pytest.raises(TelegramError, match='ephemeral message not found'):
        bot.editEphemeralMessageText(group.id, alice.id, eid, text='wrong receiver')
    assert bot.deleteEphemeralMessage(group.id, bob.id, eid) is True
    with pytest.raises(TelegramError, match='ephemeral message not found'):
        bot.deleteEphemeralMessage(group.id, bob.id, eid)
    assert 'bot -> G (ephemeral for Bob): psst' in tg.transcript()


def test_ephemeral_rules(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice, carol = tg.user('Alice'), tg.user('Carol')
    group = tg.group('G', members=[alice])
    channel = tg.channel('News')
    cases = [
        (group.id, {'receiver_user_id': carol.id}, 'not a member'),
        (group.id, {'receiver_user_id': 999}, 'receiver user not found'),
        # refused by the fake's spec-typed parameter check, before the ephemeral rules
        (group.id, {}, 'Can\'t find field "receiver_user_id"'),
        (group.id, {'receiver_user_id': alice.id, 'callback_query_id': '1'},
         'callback query not found'),
        (group.id, {'receiver_user_id': alice.id, 'replace_callback_query_message': True},
         'needs callback_query_id'),
        (channel.id, {'receiver_user_id': alice.id}, "can't be sent to channels"),
    ]
    for chat_id, params, error in cases:
        with pytest.raises(TelegramError, match=error):
            bot.sendMessage(chat_id, 'x', ephemeral_message_parameters=params)
    # an ephemeral command from a user: only an ephemeral message may reply to it
    cmd = alice.says_ephemeral('/secret', chat=group)
    assert cmd['message_id'] == 0 and cmd['receiver_user']['id'] == bot.id
    reply = {'ephemeral_message_id': cmd['ephemeral_message_id']}
    with pytest.raises(TelegramError, match='must be an ephemeral message'):
        bot.sendMessage(group.id, 'x', reply_parameters=reply)
    answer = bot.sendMessage(group.id, 'only you', reply_parameters=reply,
                             ephemeral_message_parameters={'receiver_user_id': alice.id})
    assert answer['reply_to_message']['text'] == '/secret'
    with pytest.raises(TelegramError, match='not found'):
        bot.sendMessage(group.id, 'x', reply_parameters={'ephemeral_message_id': 99},
                        ephemeral_message_parameters={'receiver_user_id': alice.id})


def test_ephemeral_answer_to_a_callback_query(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice = tg.user('Alice')
    msg = bot.sendMessage(alice.id, 'q', reply_markup={'inline_keyboard': [[
        {'text': 'b', 'callback_data': 'b'}]]})
    query = alice.presses(msg, 'b')
    e = bot.sendMessage(alice.id, 'in place', ephemeral_message_parameters={
        'receiver_user_id': alice.id, 'callback_query_id': query['id'],
        'replace_callback_query_message': True})
    assert e['ephemeral_message_id'] >= 1


def test_buttons_of_an_ephemeral_message(fake_telegram):
    """Only the receiver can press them; the answer edits the ephemeral message, since
    replace_callback_query_message is refused for queries from ephemeral messages."""
    tg = fake_telegram
    bot = unpaced(tg)
    alice, bob = tg.user('Alice'), tg.user('Bob')
    group = tg.group('G', members=[alice, bob])
    e = bot.sendMessage(group.id, 'Sure?', ephemeral_message_parameters={
        'receiver_user_id': alice.id}, reply_markup={'inline_keyboard': [[
            {'text': 'Yes', 'callback_data': 'yes'}]]})
    with pytest.raises(Exception, match='no ephemeral message'):
        bob.presses(e, 'yes')
    query = alice.presses(e, 'yes')
    assert query['message']['ephemeral_message_id'] == e['ephemeral_message_id']
    with pytest.raises(TelegramError, match='must be False'):
        bot.sendMessage(group.id, 'Done', ephemeral_message_parameters={
            'receiver_user_id': alice.id, 'callback_query_id': query['id'],
            'replace_callback_query_message': True})
    assert bot.editEphemeralMessageText(group.id, alice.id, e['ephemeral_message_id'],
                                        text='Done') is True
    assert 'Alice presses [yes] on ephemeral #%d' % e['ephemeral_message_id'] in \
        tg.transcript()


# ---------------------------------------------------------------------------- the fake: widgets

def test_widget_limits(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice = tg.user('Alice')
    group = tg.group('G', members=[alice])
    with pytest.raises(TelegramError, match='only to private chats'):
        bot.sendWidget(group.id, '<b>x</b>')
    with pytest.raises(TelegramError, match='html'):
        bot.sendWidget(alice.id, '')
    with pytest.raises(TelegramError, match='32768 bytes'):
        bot.sendWidget(alice.id, 'a' * 32769)
    noise = os.urandom(6000).hex()          # 12000 bytes that compress only to about 6000
    with pytest.raises(TelegramError, match='compressed'):
        bot.sendWidget(alice.id, noise)
    with pytest.raises(TelegramError, match='1024 bytes'):
        bot.sendWidget(alice.id, '<b>x</b>', public_data='é' * 513)
    w = bot.sendWidget(alice.id, '<b>x</b>', width=10, height=9999, chat_data='c',
                       caption='cap')
    assert w['widget'] == {'html': '<b>x</b>', 'width': 200, 'height': 600, 'chat_data': 'c'}
    assert w['has_protected_content'] is True and w['caption'] == 'cap'
    with pytest.raises(TelegramError, match='no widget'):
        bot.editMessageWidgetData(chat_id=alice.id, message_id=bot.sendMessage(
            alice.id, 'text')['message_id'], public_data='x')
    assert bot.editMessageWidgetData(chat_id=alice.id, message_id=w['message_id'],
                                     public_data='p', chat_data='') is True
    assert tg.message(alice, w['message_id'])['widget'] == {
        'html': '<b>x</b>', 'width': 200, 'height': 600, 'public_data': 'p'}
    assert bot.editMessageWidgetData(inline_message_id='inl', public_data='p') is True


def test_widget_queries_are_answered_once_and_limited(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice = tg.user('Alice')
    quiet = bot.sendWidget(alice.id, '<b>no queries</b>')
    with pytest.raises(Exception, match='no widget that takes queries'):
        alice.queries_widget(quiet, 'x')
    w = bot.sendWidget(alice.id, '<b>q</b>', allow_queries=True)
    q = alice.queries_widget(w, 'x', query_type='sign_data')
    assert (q['type'], q['message_id'], q['chat']['id']) == ({'type': 'sign_data'},
                                                            w['message_id'], alice.id)
    assert flavor(q) == 'widget_query'                      # recognised without update_type
    with pytest.raises(TelegramError, match='1024 bytes'):
        bot.answerWidgetQuery(q['id'], data='x' * 1025)
    assert bot.answerWidgetQuery(q['id'], data='done') is True
    with pytest.raises(TelegramError, match='query ID is invalid'):
        bot.answerWidgetQuery(q['id'])
    for _ in range(3):                                      # 1 + 4 = 5 in 5 seconds
        alice.queries_widget(w, 'y')
    alice.queries_widget(w, 'y')
    with pytest.raises(Exception, match='5 widget queries per 5 seconds'):
        alice.queries_widget(w, 'z')


def test_widget_query_must_be_answered_within_15_seconds(fake_telegram, monkeypatch):
    from telepot_ng.testing import _additions
    tg = fake_telegram
    bot = unpaced(tg)
    alice = tg.user('Alice')
    q = alice.queries_widget(bot.sendWidget(alice.id, '<b>q</b>', allow_queries=True), 'x')
    monkeypatch.setattr(_additions, 'WIDGET_QUERY_WINDOW', -1.0)   # the fake runs in-process
    with pytest.raises(TelegramError, match='too old'):
        bot.answerWidgetQuery(q['id'])


def test_shared_widgets(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice, bob = tg.user('Alice'), tg.user('Bob')
    first = bot.sendWidget(alice.id, '<b>score</b>', is_shared=True, allow_queries=True,
                           public_data='0')
    wid = first['widget']['id']
    second = bot.sendSharedWidget(bob.id, wid, chat_data='bob', caption='Shared')
    assert second['widget'] == {'html': '<b>score</b>', 'id': wid, 'public_data': '0',
                                'chat_data': 'bob'}
    with pytest.raises(TelegramError, match='shared widget not found'):
        bot.sendSharedWidget(bob.id, 'nope')
    assert bot.editSharedWidgetData(wid, '1', cache_time=5) is True
    for who, msg in ((alice, first), (bob, second)):       # every copy shows the new data
        assert tg.message(who, msg['message_id'])['widget']['public_data'] == '1'
    with pytest.raises(TelegramError, match='retry after'):   # at most once per second
        tg.bot(retry_on_flood=False).editSharedWidgetData(wid, '2')
    with pytest.raises(TelegramError, match='cache_time'):
        bot.editSharedWidgetData(wid, '2', cache_time=4)
    q = bob.queries_widget(widget_id=wid, data='tap')
    assert flavor(q) == 'shared_widget_query' and q['widget_id'] == wid
    assert bot.answerWidgetQuery(q['id'], data='ok') is True
    assert 'Bob queries shared widget %s: tap' % wid in tg.transcript()


def test_settings_change_what_getme_answers(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    me = bot.getMe()
    assert me['active_usernames'] == [me['username']] and me['can_join_groups'] is True
    assert bot.setMySettings(can_join_groups=False, inline_query_placeholder='Search...',
                             has_topic_sidebar=True, callback_query_mode='Auto') is True
    me = bot.getMe()
    assert (me['can_join_groups'], me['inline_query_placeholder'], me['has_topic_sidebar']) == \
        (False, 'Search...', True)
    assert bot.setMySettings(inline_query_placeholder='') is True
    assert 'inline_query_placeholder' not in bot.getMe()
    with pytest.raises(TelegramError, match='denominator'):
        bot.setMySettings(inline_feedback_share_denominator=7)
    assert bot.getChatShareThemeBackdrops() == {}


def test_subscription_and_stopped_generation_updates(fake_telegram):
    tg = fake_telegram
    bot = unpaced(tg)
    alice = tg.user('Alice')
    sub = alice.subscription_changes('gold', 'canceled')
    assert glance(sub, flavor='subscription') == (alice.id, 'gold', 'canceled')
    with pytest.raises(Exception, match="'canceled', 'active' or 'failed'"):
        alice.subscription_changes('gold', 'paused')
    with pytest.raises(Exception, match='no draft 5'):
        alice.stops_generation(5)
    assert bot.sendMessageDraft(alice.id, 5, text='Thinking') is True
    with pytest.raises(Exception, match='without can_stop'):
        alice.stops_generation(5)
    assert bot.sendMessageDraft(alice.id, 5, text='Thinking...', can_stop=True,
                                message_thread_id=3) is True
    stop = alice.stops_generation(5)
    assert glance(stop, flavor='stopped_message_generation', long=True) == (alice.id, 5, 3)
    with pytest.raises(Exception, match='no draft 5'):          # pressed once
        alice.stops_generation(5)
    with pytest.raises(TelegramError, match='non-zero'):
        bot.sendMessageDraft(alice.id, 0, text='x')
    group = tg.group('G', members=[alice])
    with pytest.raises(TelegramError, match='private chats'):
        bot.sendMessageDraft(group.id, 1, text='x')


# ------------------------------------------------------------------------------------ text

# entity types Telegram finds in plain text by itself: rendered as the text they cover
AUTO_DETECTED = {'mention', 'hashtag', 'cashtag', 'bot_command', 'url', 'email', 'phone_number'}


@pytest.mark.parametrize('kind', spec.ENTITY_TYPES)
def test_text_renders_every_entity_type_of_the_spec(kind):
    """A spec with an entity type telepot_ng.text does not know fails here: the formatting
    ones must produce markup in all three renderers, the auto-detected ones plain text."""
    from telepot_ng import text
    entity = {'type': kind, 'offset': 0, 'length': 4, 'url': 'https://e.x/',
              'user': {'id': 5, 'is_bot': False, 'first_name': 'U'}, 'language': 'py',
              'custom_emoji_id': '77', 'unix_time': 1700000000, 'date_time_format': 'r'}
    outputs = [text.apply_entities_as_html('word', [entity]),
               text.apply_entities_as_markdown_v2('word', [entity])]
    if kind in ('bold', 'italic', 'code', 'pre', 'text_link', 'text_mention'):
        outputs.append(text.apply_entities_as_markdown('word', [entity]))
    for out in outputs:
        assert 'word' in out
        assert (out == 'word') == (kind in AUTO_DETECTED), (kind, out)

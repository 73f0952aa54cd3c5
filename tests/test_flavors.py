"""telepot_ng.flavors: flavor / glance / flance, both name generations, update unwrapping."""
from __future__ import annotations

import copy
import pickle

import pytest

from telepot_ng import flavors as F
from telepot_ng._generated import spec
from telepot_ng.exception import BadFlavor
from telepot_ng.flavors import (AliasedStr, UpdateMsg, all_content_types, canonical_name,
                                chat_flavors, flance, flavor, fleece, glance, glance2,
                                inline_flavors, is_event, message_identifier,
                                origin_identifier, peel, unwrap_update)

from .test_namedtuple import sample

USER = {'id': 11, 'is_bot': False, 'first_name': 'Ann'}
CHAT = {'id': -100, 'type': 'supergroup', 'title': 'G'}


def message(**content):
    m = {'message_id': 3, 'date': 1700000000, 'chat': dict(CHAT), 'from': dict(USER)}
    m.update(content or {'text': 'hi'})
    return m


INLINE = {'id': 'iq', 'from': USER, 'query': 'cats', 'offset': '10'}
CHOSEN = {'result_id': 'r1', 'from': USER, 'query': 'cats', 'inline_message_id': 'im'}
CALLBACK = {'id': 'cb', 'from': USER, 'chat_instance': 'ci', 'data': 'yes',
            'message': message()}
SHIPPING = {'id': 'sq', 'from': USER, 'invoice_payload': 'p',
            'shipping_address': {'country_code': 'DE', 'state': '', 'city': 'B',
                                 'street_line1': 's', 'street_line2': '', 'post_code': '1'}}
PRECHECKOUT = {'id': 'pq', 'from': USER, 'currency': 'XTR', 'total_amount': 5,
               'invoice_payload': 'p'}
MEMBER_UPDATE = {'chat': CHAT, 'from': USER, 'date': 9,
                 'old_chat_member': {'status': 'left', 'user': USER},
                 'new_chat_member': {'status': 'member', 'user': USER}}


# ------------------------------------------------------------------------ names

def test_chat_flavor_equals_every_generations_name():
    f = flavor(message())
    assert f == 'chat' and f == 'normal' and f == 'message'
    assert 'normal' == f and 'message' == f and 'chat' == f
    assert not (f != 'normal') and f != 'inline_query'
    assert f in ['normal'] and f in ('message', 'x') and f in chat_flavors
    assert 'normal' in chat_flavors
    assert isinstance(f, str) and str(f) == 'chat' and repr(f) == "'chat'"
    assert {'chat': 1}[f] == 1                      # hashes as its canonical name
    assert f.startswith('c')


def test_renamed_content_types_equal_their_old_names():
    ct, _, _ = glance(message(new_chat_members=[USER], new_chat_member=USER,
                              new_chat_participant=USER))
    assert ct == 'new_chat_members' == ct
    assert ct == 'new_chat_member' and ct == 'new_chat_participant'
    ct, _, _ = glance(message(left_chat_member=USER, left_chat_participant=USER))
    assert ct == 'left_chat_member' and ct == 'left_chat_participant'
    assert 'new_chat_member' in all_content_types and 'new_chat_participant' in all_content_types


def test_old_only_messages_get_todays_name():
    ct, _, _ = glance(message(new_chat_participant=USER))      # a telepot 6.3 era fixture
    assert str(ct) == 'new_chat_members' and ct == 'new_chat_participant'
    ct, _, _ = glance(message(voice_chat_started={}))
    assert str(ct) == 'video_chat_started'


def test_aliased_str_behaviour():
    a = AliasedStr('x', ['old'])
    assert a == 'old' and a == AliasedStr('x') and a != 'y' and a != 3
    assert (a == 3) is False
    assert pickle.loads(pickle.dumps(a)) == 'old'
    assert canonical_name('normal') == 'chat' and canonical_name('message') == 'chat'
    assert canonical_name('new_chat_participant') == 'new_chat_members'
    assert canonical_name('poll') == 'poll'


# ------------------------------------------------------------------------ flavors

PLAIN = [
    (message(), 'chat'),
    (INLINE, 'inline_query'),
    (CHOSEN, 'chosen_inline_result'),
    (CALLBACK, 'callback_query'),
    (SHIPPING, 'shipping_query'),
    (PRECHECKOUT, 'pre_checkout_query'),
    (MEMBER_UPDATE, 'chat_member'),
]


@pytest.mark.parametrize('msg,expected', PLAIN)
def test_flavor_of_plain_dicts(msg, expected):
    assert flavor(msg) == expected


def _realistic(kind):
    """The object an Update of this kind carries, built from the spec's fields."""
    type_name = dict((f, t[0]) for f, _, t in spec.TYPES['Update'])[kind]
    obj = sample(type_name)
    if type_name == 'Message':
        obj['chat'] = dict(CHAT)
        obj['text'] = 'hi'
    return obj


def _expected_flavor(kind):
    types = dict((f, t) for f, _, t in spec.TYPES['Update'])
    return 'chat' if types[kind] == ('Message',) else kind


@pytest.mark.parametrize('kind', spec.UPDATE_TYPES)
def test_every_update_kind_unwraps_to_its_flavor(kind):
    update = {'update_id': 77, kind: _realistic(kind)}
    msg = unwrap_update(update)
    assert type(msg) is UpdateMsg and isinstance(msg, dict)
    assert msg == update[kind]
    assert (msg.update_type, msg.update_id) == (kind, 77)
    assert flavor(msg) == _expected_flavor(kind)
    f, headline = flance(msg)
    assert f == _expected_flavor(kind) and isinstance(headline, tuple)
    assert glance(msg, flavor=f, long=True)[:len(headline)] == headline


@pytest.mark.parametrize('kind', spec.UPDATE_TYPES)
def test_every_update_kind_is_recognised_without_update_type(kind):
    expected = _expected_flavor(kind)
    if kind == 'my_chat_member':
        expected = 'chat_member'                   # a bare dict cannot tell them apart
    assert flavor(_realistic(kind)) == expected


def test_flavor_signatures_use_fields_of_their_types():
    types = dict((f, t[0]) for f, _, t in spec.TYPES['Update'])
    for f, keys in F._SIGNATURES:
        fields = {name for name, _, _ in spec.TYPES[types[str(f)]]}
        assert set(keys) <= fields, f


def test_my_chat_member_told_from_chat_member_by_update_type():
    mine = unwrap_update({'update_id': 1, 'my_chat_member': MEMBER_UPDATE})
    theirs = unwrap_update({'update_id': 2, 'chat_member': MEMBER_UPDATE})
    assert flavor(mine) == 'my_chat_member' and flavor(theirs) == 'chat_member'
    assert glance(mine, flavor='my_chat_member') == (-100, 11, 'member')


def test_edited_and_business_messages_are_chat_with_their_update_type():
    for kind in ('edited_message', 'channel_post', 'edited_channel_post', 'business_message',
                 'edited_business_message', 'guest_message'):
        msg = unwrap_update({'update_id': 1, kind: message()})
        assert flavor(msg) == 'chat' and msg.update_type == kind


def test_newer_update_kinds_get_through():
    msg = unwrap_update({'update_id': 5, 'scheduled_message': message()})
    assert msg.update_type == 'scheduled_message' and flavor(msg) == 'chat'
    msg = unwrap_update({'update_id': 6, 'star_rain': {'amount': 3}})
    assert flavor(msg) == 'star_rain'


def test_known_field_wins_over_unknown_and_spec_order_decides():
    msg = unwrap_update({'zzz_new': {'a': 1}, 'update_id': 1, 'message': message()})
    assert msg.update_type == 'message'
    msg = unwrap_update({'update_id': 1, 'callback_query': CALLBACK, 'message': message()})
    assert msg.update_type == 'message'


def test_events():
    ev = {'_idle': {'seconds': 10}}
    assert flavor(ev) == '_idle' and is_event(ev)
    assert peel(ev) == {'seconds': 10}
    assert fleece(ev) == ('_idle', {'seconds': 10})
    assert not is_event(message())
    assert not is_event(INLINE)


# ------------------------------------------------------------------------ errors

def test_unrecognisable_dicts_raise_bad_flavor_naming_what_is_missing():
    with pytest.raises(BadFlavor) as info:
        flavor({'foo': 1, 'bar': 2})
    assert info.value.offender == {'foo': 1, 'bar': 2}
    assert 'message_id' in str(info.value) and 'bar, foo' in str(info.value)
    with pytest.raises(BadFlavor, match='unwrap_update'):
        flavor({'update_id': 1, 'message': message()})
    with pytest.raises(BadFlavor, match='not a message'):
        flavor([1, 2])
    with pytest.raises(BadFlavor):
        flavor({'text': 'lonely'})                     # one key, but not an event


def test_non_updates_raise_bad_flavor():
    with pytest.raises(BadFlavor, match='field besides update_id'):
        unwrap_update({'update_id': 1})
    with pytest.raises(BadFlavor, match="no 'update_id'"):
        unwrap_update({'message': message()})
    with pytest.raises(BadFlavor, match='not an object'):
        unwrap_update({'update_id': 1, 'message': 'text'})
    with pytest.raises(BadFlavor, match='not a dict'):
        unwrap_update('{"update_id": 1}')
    with pytest.raises(BadFlavor):
        unwrap_update({})


def test_glance_errors():
    with pytest.raises(BadFlavor, match='knows no flavor'):
        glance(message(), flavor='nonsense')
    with pytest.raises(BadFlavor, match="lacks field 'id'"):
        glance(message(), flavor='inline_query')
    with pytest.raises(BadFlavor, match="'chat'"):
        glance(INLINE)


# ------------------------------------------------------------------------ glance

def test_glance_chat_short_and_long_and_63_spellings():
    m = message(text='hey')
    assert glance(m) == ('text', 'supergroup', -100)
    assert glance(m, flavor='normal') == ('text', 'supergroup', -100)
    assert glance(m, long=True) == ('text', 'supergroup', -100, 1700000000, 3)
    assert glance2(m, 'normal', True) == glance(m, long=True)
    assert flance(m) == ('chat', ('text', 'supergroup', -100))


@pytest.mark.parametrize('content_type', spec.MESSAGE_CONTENT_TYPES)
def test_every_content_type(content_type):
    types = dict((f, t[0]) for f, _, t in spec.TYPES['Message'])
    t = types[content_type]
    value = True if t == 'Boolean' else 1 if t == 'Integer' else 's' if t == 'String' else \
        [sample(t[9:])] if t.startswith('Array of ') else sample(t)
    ct, _, _ = glance(message(**{content_type: value}))
    assert ct == content_type


def test_content_type_priority():
    photo = [{'file_id': 'f', 'file_unique_id': 'u', 'width': 1, 'height': 1}]
    assert glance(message(photo=photo, caption='look'))[0] == 'photo'
    assert glance(message(animation=sample('Animation'), document=sample('Document')))[0] \
        == 'animation'
    assert glance(message(venue=sample('Venue'), location=sample('Location')))[0] == 'venue'
    assert glance(message(text='t', entities=[]))[0] == 'text'


def test_content_types_follow_the_spec_and_are_message_fields():
    assert list(all_content_types) == list(spec.MESSAGE_CONTENT_TYPES)
    fields = {f for f, _, _ in spec.TYPES['Message']}
    assert set(spec.MESSAGE_CONTENT_TYPES) <= fields


def test_unknown_and_missing_content():
    assert glance(message(hologram={'x': 1}))[0] == 'hologram'
    m = message()
    del m['text']
    assert glance(m)[0] == 'unsupported'


@pytest.mark.parametrize('chat_type', spec.CHAT_TYPES)
def test_every_chat_type(chat_type):
    m = message()
    m['chat']['type'] = chat_type
    assert glance(m)[1] == chat_type


def test_glance_telepot_tuples():
    assert glance(INLINE, flavor='inline_query') == ('iq', 11, 'cats')
    assert glance(INLINE, flavor='inline_query', long=True) == ('iq', 11, 'cats', '10')
    assert glance(CHOSEN, flavor='chosen_inline_result') == ('r1', 11, 'cats')
    assert glance(CALLBACK, flavor='callback_query') == ('cb', 11, 'yes')
    game = dict(CALLBACK, game_short_name='g')
    del game['data']
    assert glance(game, flavor='callback_query') == ('cb', 11, None)
    assert glance(SHIPPING, flavor='shipping_query') == ('sq', 11, 'p')
    assert glance(PRECHECKOUT, flavor='pre_checkout_query') == ('pq', 11, 'p')
    assert glance(PRECHECKOUT, flavor='pre_checkout_query', long=True) == \
        ('pq', 11, 'p', 'XTR', 5)


def test_glance_new_flavors():
    poll = {'id': 'p', 'question': 'Q?', 'options': [], 'total_voter_count': 4,
            'is_closed': False, 'type': 'regular'}
    assert glance(poll, 'poll') == ('p', 'Q?', 4)
    assert glance(poll, 'poll', long=True) == ('p', 'Q?', 4, False, 'regular')
    assert glance({'poll_id': 'p', 'user': USER, 'option_ids': [1]}, 'poll_answer') == \
        ('p', 11, [1])
    assert glance({'poll_id': 'p', 'voter_chat': CHAT, 'option_ids': []}, 'poll_answer') == \
        ('p', -100, [])
    assert glance(MEMBER_UPDATE, 'chat_member', long=True) == (-100, 11, 'member', 'left', 11, 9)
    join = {'chat': CHAT, 'from': USER, 'user_chat_id': 11, 'date': 8, 'bio': 'b'}
    assert glance(join, 'chat_join_request') == (-100, 11, 11)
    assert glance(join, 'chat_join_request', long=True) == (-100, 11, 11, 8, 'b')
    reaction = {'chat': CHAT, 'message_id': 3, 'date': 2, 'actor_chat': CHAT,
                'old_reaction': [], 'new_reaction': [{'type': 'emoji', 'emoji': '👍'}]}
    assert glance(reaction, 'message_reaction') == (-100, 3, reaction['new_reaction'])
    assert glance(reaction, 'message_reaction', long=True)[3:] == ([], -100, 2)
    count = {'chat': CHAT, 'message_id': 3, 'date': 2, 'reactions': []}
    assert glance(count, 'message_reaction_count', long=True) == (-100, 3, [], 2)
    boost = {'chat': CHAT, 'boost': {'boost_id': 'b', 'add_date': 1, 'expiration_date': 2,
                                     'source': {'source': 'premium', 'user': USER}}}
    assert glance(boost, 'chat_boost') == (-100, 'b', 'premium')
    assert glance(boost, 'chat_boost', long=True)[3:] == (1, 2)
    removed = {'chat': CHAT, 'boost_id': 'b', 'remove_date': 3, 'source': {'source': 'gift_code'}}
    assert glance(removed, 'removed_chat_boost', long=True) == (-100, 'b', 'gift_code', 3)
    conn = {'id': 'bc', 'user': USER, 'user_chat_id': 11, 'date': 1, 'is_enabled': True}
    assert glance(conn, 'business_connection') == ('bc', 11, True)
    assert glance(conn, 'business_connection', long=True) == ('bc', 11, True, 11, 1)
    deleted = {'business_connection_id': 'bc', 'chat': CHAT, 'message_ids': [1, 2]}
    assert glance(deleted, 'deleted_business_messages') == ('bc', -100, [1, 2])
    assert glance({'from': USER, 'paid_media_payload': 'x'}, 'purchased_paid_media') == (11, 'x')
    assert glance({'user': USER, 'bot': dict(USER, id=99, is_bot=True)}, 'managed_bot') == \
        (11, 99)


# ------------------------------------------------------------------------ identifiers

def test_message_and_origin_identifiers():
    assert message_identifier(message()) == (-100, 3)
    assert message_identifier(CHOSEN) == ('im',)
    with pytest.raises(ValueError, match='inline_message_id'):
        message_identifier(INLINE)
    assert origin_identifier(CALLBACK) == (-100, 3)
    assert origin_identifier({'id': 'c', 'inline_message_id': 'im'}) == ('im',)
    with pytest.raises(ValueError):
        origin_identifier({'id': 'c'})


def test_inline_flavors():
    assert inline_flavors == ['inline_query', 'chosen_inline_result']
    assert flavor(INLINE) in inline_flavors and flavor(CHOSEN) in inline_flavors


# ------------------------------------------------------------------------ UpdateMsg

def test_update_msg_copies_and_pickles():
    msg = unwrap_update({'update_id': 9, 'edited_message': message()})
    for clone in (copy.copy(msg), copy.deepcopy(msg), pickle.loads(pickle.dumps(msg))):
        assert type(clone) is UpdateMsg and clone == msg
        assert (clone.update_type, clone.update_id) == ('edited_message', 9)
    assert type(dict(msg)) is dict
    assert not hasattr(msg, '__dict__')             # __slots__: no per-message dict

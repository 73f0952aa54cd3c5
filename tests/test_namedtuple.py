"""telepot_ng.namedtuple: a class for every Bot API type, conversion both ways, legacy names."""
from __future__ import annotations

import copy
import keyword
import pickle
from typing import Any, Dict

import pytest

from telepot_ng import _compat
from telepot_ng import namedtuple as nt
from telepot_ng._generated import spec
from telepot_ng._types import TELEGRAM_NAMES, _all_constants

_SCALARS = {'Integer': 7, 'String': 's', 'Boolean': True, 'Float': 1.5, 'InputFile': 'file-id'}


def sample(type_name: str, full: bool = False, depth: int = 0) -> Dict[str, Any]:
    """A dict shaped like Telegram's JSON for ``type_name``: required fields, plus optional
    ones near the top when ``full``; an abstract type gives its first variant."""
    if type_name in spec.SUBTYPES:
        type_name = next(t for t in spec.SUBTYPES[type_name] if t in spec.TYPES)
    fixed = _all_constants().get(type_name, {})
    d: Dict[str, Any] = {}
    for field, required, types in spec.TYPES[type_name]:
        if not (required or (full and depth < 2)):
            continue
        d[field] = fixed[field] if field in fixed else _value(types[0], full, depth + 1)
    return d


def _value(t: str, full: bool, depth: int) -> Any:
    if t.startswith('Array of '):
        return [_value(t[9:], full, depth)]
    if t in _SCALARS or 'String' in spec.SUBTYPES.get(t, ()):   # RichText may be a string
        return _SCALARS.get(t, 's')
    return sample(t, full, depth)


def to_telegram(obj: Any) -> Any:
    """What the transport sends for ``obj``: None dropped, ``from_`` back to ``from``."""
    if isinstance(obj, tuple) and hasattr(obj, '_asdict'):
        obj = obj._asdict()
    if isinstance(obj, dict):
        return {TELEGRAM_NAMES.get(k, k): to_telegram(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [to_telegram(v) for v in obj]
    return obj


def assert_converted(obj: Any) -> None:
    """No dict is left anywhere inside ``obj`` (every object became a namedtuple)."""
    if isinstance(obj, list):
        for v in obj:
            assert_converted(v)
    else:
        assert not isinstance(obj, dict), obj
        if isinstance(obj, nt.ApiObject):
            for v in obj:
                assert_converted(v)


MSG = {
    'message_id': 5, 'date': 1700000000, 'text': 'hello',
    'from': {'id': 11, 'is_bot': False, 'first_name': 'Ann'},
    'chat': {'id': 11, 'type': 'private', 'first_name': 'Ann'},
    'entities': [{'type': 'bold', 'offset': 0, 'length': 5}],
    'photo': [{'file_id': 'a', 'file_unique_id': 'A', 'width': 90, 'height': 90},
              {'file_id': 'b', 'file_unique_id': 'B', 'width': 800, 'height': 800}],
    'reply_to_message': {'message_id': 4, 'date': 1, 'chat': {'id': 11, 'type': 'private'}},
}


# ------------------------------------------------------------------------ every type

def test_a_class_for_every_type_of_the_snapshot():
    names = list(spec.TYPES) + list(spec.SUBTYPES)
    assert len(names) == 400 + len(spec.SUPPLEMENT['types'])     # Bot API 10.3 + supplement
    for name in names:
        cls = getattr(nt, name)
        assert name in nt.__all__
        assert issubclass(cls, tuple) and issubclass(cls, nt.ApiObject)
        assert cls.__module__ == 'telepot_ng.namedtuple'
    for name, fields in spec.TYPES.items():
        expected = tuple(f + '_' if keyword.iskeyword(f) else f for f, _, _ in fields)
        assert getattr(nt, name)._fields == expected


@pytest.mark.parametrize('name', sorted(spec.TYPES))
def test_every_type_converts_and_serialises_back(name):
    data = sample(name, full=True)
    obj = nt.namedtuple(data, name)
    assert type(obj) is getattr(nt, name)
    assert_converted(obj)
    assert to_telegram(obj) == data
    assert getattr(nt, name)(**data) == obj          # keyword construction agrees


def test_every_variant_of_every_abstract_type_is_dispatched():
    for union, variants in spec.SUBTYPES.items():
        ucls = getattr(nt, union)
        for variant in variants:
            if variant not in spec.TYPES:
                continue                               # 'String' / 'Array of RichText'
            obj = nt.namedtuple(sample(variant), union)
            assert type(obj).__name__ == variant, (union, variant)
            assert isinstance(obj, ucls)
            assert issubclass(type(obj), ucls)


def test_constant_fields_default_to_their_value():
    assert nt.ForceReply() == (True, None, None)
    assert nt.ReplyKeyboardRemove().remove_keyboard is True
    art = nt.InlineQueryResultArticle(id='1', title='t', input_message_content=
                                      nt.InputTextMessageContent(message_text='x'))
    assert art.type == 'article'
    assert nt.ChatMemberBanned._field_defaults['status'] == 'kicked'
    assert nt.InaccessibleMessage._field_defaults['date'] == 0
    assert nt.InlineQueryResultCachedAudio(id='1', audio_file_id='f').type == 'audio'


def test_missing_required_fields_raise_naming_them():
    with pytest.raises(TypeError,
                       match="User\\(\\) missing required fields: 'is_bot', 'first_name'"):
        nt.User(id=1)
    with pytest.raises(TypeError, match="'title'"):
        nt.InlineQueryResultArticle(id='1', input_message_content={'message_text': 'x'})


def test_received_dicts_are_lenient_about_missing_required_fields():
    u = nt.namedtuple({'id': 3}, 'User')
    assert (u.id, u.is_bot, u.first_name) == (3, None, None)
    m = nt.Message(**{'message_id': 1, 'date': 2, 'chat': {'id': 3}})   # chat.type missing
    assert m.chat.type is None


# ------------------------------------------------------------------------ telepot's uses

def test_telepot_63_conversion_examples():
    ntuple1 = nt.Message(**MSG)
    ntuple2 = nt.namedtuple(MSG, 'Message')
    assert ntuple1 == ntuple2
    assert ntuple1.from_.id == MSG['from']['id']
    assert ntuple2.chat.id == MSG['chat']['id']
    assert nt.User(**MSG['from']) == nt.namedtuple(MSG['from'], 'User')
    assert nt.Chat(**MSG['chat']) == nt.namedtuple(MSG['chat'], 'Chat')
    assert ntuple1.text == 'hello' and ntuple1.audio is None


def test_nested_conversion():
    m = nt.Message(**MSG)
    assert isinstance(m.from_, nt.User) and m.from_.first_name == 'Ann'
    assert [type(p) for p in m.photo] == [nt.PhotoSize, nt.PhotoSize]
    assert m.photo[1].width == 800
    assert isinstance(m.entities[0], nt.MessageEntity)
    assert isinstance(m.reply_to_message, nt.Message) and m.reply_to_message.message_id == 4
    kb = nt.InlineKeyboardMarkup(inline_keyboard=[[{'text': 'a', 'callback_data': 'x'}],
                                                  [nt.InlineKeyboardButton(text='b', url='u')]])
    assert [[type(b) for b in row] for row in kb.inline_keyboard] == \
        [[nt.InlineKeyboardButton], [nt.InlineKeyboardButton]]
    photos = nt.UserProfilePhotos(total_count=1, photos=[[MSG['photo'][0]]])
    assert isinstance(photos.photos[0][0], nt.PhotoSize)


def test_abstract_fields_become_the_right_variant():
    cq = {'id': '1', 'from': MSG['from'], 'chat_instance': 'c',
          'message': {'message_id': 1, 'chat': {'id': 1, 'type': 'private'}, 'date': 0}}
    assert type(nt.CallbackQuery(**cq).message) is nt.InaccessibleMessage
    cq['message']['date'] = 5
    assert type(nt.CallbackQuery(**cq).message) is nt.Message
    upd = nt.ChatMemberUpdated(**{
        'chat': {'id': 1, 'type': 'group'}, 'from': MSG['from'], 'date': 1,
        'old_chat_member': {'status': 'left', 'user': MSG['from']},
        'new_chat_member': {'status': 'kicked', 'user': MSG['from'], 'until_date': 0}})
    assert type(upd.old_chat_member) is nt.ChatMemberLeft
    assert type(upd.new_chat_member) is nt.ChatMemberBanned
    assert isinstance(upd.new_chat_member, nt.ChatMember)
    # same discriminator value, told apart by fields
    assert type(nt.InlineQueryResult(type='audio', id='1', audio_file_id='f')) is \
        nt.InlineQueryResultCachedAudio
    assert type(nt.InlineQueryResult(type='audio', id='1', audio_url='u', title='t')) is \
        nt.InlineQueryResultAudio
    assert type(nt.InputMessageContent(latitude=1.0, longitude=2.0)) is \
        nt.InputLocationMessageContent
    assert type(nt.InputMessageContent(latitude=1.0, longitude=2.0, title='t', address='a')) \
        is nt.InputVenueMessageContent
    rich = nt.RichBlockParagraph(type='paragraph', text=['plain', {'type': 'bold', 'text': 'b'}])
    assert rich.text[0] == 'plain' and type(rich.text[1]) is nt.RichTextBold


def test_keyword_from_and_from_underscore_both_accepted():
    a = nt.CallbackQuery(id='1', chat_instance='c', **{'from': MSG['from']})
    b = nt.CallbackQuery(id='1', chat_instance='c', from_=MSG['from'])
    assert a == b and a.from_.id == 11
    assert 'from_' in a._asdict()
    assert TELEGRAM_NAMES == {'from_': 'from'}


# ------------------------------------------------------------------------ forward compatibility

def test_unknown_fields_are_kept_in_extra():
    data = dict(MSG, brand_new_field={'x': 1}, another=2)
    m = nt.Message(**data)
    assert m._extra == {'brand_new_field': {'x': 1}, 'another': 2}
    assert m.brand_new_field == {'x': 1}
    assert m._asdict()['another'] == 2
    assert to_telegram(m) == data
    assert nt.User(**MSG['from'])._extra == {}
    with pytest.raises(AttributeError):
        m.no_such_field
    assert 'another=2' in repr(m)


def test_unknown_variant_becomes_an_instance_of_the_abstract_class():
    r = nt.namedtuple({'type': 'fire', 'intensity': 3}, 'ReactionType')
    assert type(r) is nt.ReactionType and r.type == 'fire' and r.intensity == 3
    assert to_telegram(r) == {'type': 'fire', 'intensity': 3}
    upd = nt.MessageReactionUpdated(**{
        'chat': {'id': 1, 'type': 'group'}, 'message_id': 1, 'date': 1,
        'old_reaction': [], 'new_reaction': [{'type': 'emoji', 'emoji': '👍'},
                                             {'type': 'future', 'x': 1}]})
    assert [type(r) for r in upd.new_reaction] == [nt.ReactionTypeEmoji, nt.ReactionType]
    cm = nt.ChatMember(status='superadmin', user=MSG['from'])
    assert type(cm) is nt.ChatMember and cm.status == 'superadmin'
    assert isinstance(cm.user, nt.User)


def test_telegram_era_fields_convert_in_extra():
    m = nt.Message(**dict(MSG, new_chat_participant=MSG['from'], new_chat_member=MSG['from'],
                          new_chat_members=[MSG['from']]))
    assert isinstance(m.new_chat_participant, nt.User)
    assert m.new_chat_member.first_name == 'Ann'
    assert isinstance(m.new_chat_members[0], nt.User)


# ------------------------------------------------------------------------ legacy names

def test_reply_keyboard_hide_of_telepot_63():
    hide = nt.ReplyKeyboardHide()
    assert hide.hide_keyboard is True and hide.selective is None
    assert _compat.fix_reply_markup(hide) == {'remove_keyboard': True, 'selective': None}
    assert 'ReplyKeyboardHide' in nt.__all__


def test_legacy_inline_result_fields_are_carried_and_translated():
    art = nt.InlineQueryResultArticle(id='xyz', title='ZZZZZ', message_text='Good night',
                                      parse_mode='HTML', disable_web_page_preview=True)
    assert art.input_message_content is None
    assert art.message_text == 'Good night'
    assert _compat.fix_inline_result(art) == {
        'type': 'article', 'id': 'xyz', 'title': 'ZZZZZ',
        'input_message_content': {'message_text': 'Good night', 'parse_mode': 'HTML',
                                  'link_preview_options': {'is_disabled': True}}}
    photo = nt.InlineQueryResultPhoto(id='999', photo_url='p', thumb_url='t')
    assert photo.thumbnail_url is None and photo.thumb_url == 't'
    assert _compat.fix_inline_result(photo) == {'type': 'photo', 'id': '999',
                                                'photo_url': 'p', 'thumbnail_url': 't'}


def test_bot_sends_namedtuples_as_todays_api(rbot, recorder):
    rbot.sendMessage(5, 'x', reply_markup=nt.ReplyKeyboardHide())
    assert to_telegram(recorder.last[1]['reply_markup']) == {'remove_keyboard': True}
    rbot.answerInlineQuery('q', [nt.InlineQueryResultArticle(id='a', title='A',
                                                            message_text='hi')])
    assert to_telegram(recorder.last[1]['results']) == [
        {'type': 'article', 'id': 'a', 'title': 'A',
         'input_message_content': {'message_text': 'hi'}}]
    rbot.sendMessage(5, 'x', reply_markup=nt.ForceReply())
    assert to_telegram(recorder.last[1]['reply_markup']) == {'force_reply': True}


# ------------------------------------------------------------------------ namedtuple protocol

def test_namedtuple_protocol():
    u = nt.User(id=1, is_bot=False, first_name='A')
    assert u._replace(first_name='B').first_name == 'B'
    assert nt.User._make(list(u)) == u
    assert dict(nt.User._field_defaults)['last_name'] is None
    assert 'id' not in nt.User._field_defaults
    m = nt.Message(**dict(MSG, extra_thing=1))
    m2 = m._replace(text='bye')
    assert m2.text == 'bye' and m2.extra_thing == 1 and isinstance(m2.chat, nt.Chat)
    with pytest.raises(TypeError):
        nt.User._make([1])


def test_pickle_and_copy_keep_everything():
    m = nt.Message(**dict(MSG, extra_thing=[1]))
    for clone in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m), copy.copy(m)):
        assert clone == m and type(clone) is nt.Message
        assert clone._extra == {'extra_thing': [1]}
    r = nt.namedtuple({'type': 'fire'}, 'ReactionType')
    assert pickle.loads(pickle.dumps(r)) == r


def test_positional_construction():
    u = nt.User(1, False, 'A')
    assert u == nt.User(id=1, is_bot=False, first_name='A')
    with pytest.raises(TypeError, match='multiple values'):
        nt.User(1, False, 'A', id=2)
    with pytest.raises(TypeError, match='positional'):
        nt.PhotoSize(*range(10))
    with pytest.raises(TypeError, match='keyword'):
        nt.ChatMember('member')


def test_namedtuple_function_errors():
    with pytest.raises(ValueError, match='NoSuchType'):
        nt.namedtuple({}, 'NoSuchType')
    with pytest.raises(TypeError):
        nt.namedtuple([1], 'User')
    assert nt.namedtuple(MSG['from'], nt.User) == nt.User(**MSG['from'])

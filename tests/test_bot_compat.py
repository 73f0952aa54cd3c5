"""telepot 6.3 and telepot 12 call forms produce the right request on today's Bot API."""
from __future__ import annotations

import collections

import pytest

from telepot_ng import Bot

from .conftest import TOKEN


def test_63_positional_parse_mode(rbot, recorder):
    rbot.sendMessage(5, '*hi*', 'Markdown')
    assert recorder.last == ('sendMessage', {'chat_id': 5, 'text': '*hi*', 'parse_mode': 'Markdown'})


def test_63_full_positional_send_message(rbot, recorder):
    rbot.sendMessage(5, 'x', None, True, 77, {'hide_keyboard': True})
    assert recorder.last[1] == {
        'chat_id': 5, 'text': 'x', 'link_preview_options': {'is_disabled': True},
        'reply_parameters': {'message_id': 77}, 'reply_markup': {'remove_keyboard': True}}


def test_12_positional_order_is_recognised_by_types(rbot, recorder):
    # telepot 12: (chat_id, text, parse_mode, disable_web_page_preview, disable_notification,
    #              reply_to_message_id, reply_markup)
    rbot.sendMessage(5, 'x', 'HTML', None, True, 9)
    assert recorder.last[1] == {'chat_id': 5, 'text': 'x', 'parse_mode': 'HTML',
                                'disable_notification': True, 'reply_parameters': {'message_id': 9}}


def test_63_keyword_forms(rbot, recorder):
    rbot.sendMessage(5, 'x', parse_mode='HTML', disable_web_page_preview=True,
                     reply_to_message_id=3, reply_markup={'force_reply': True})
    assert recorder.last[1] == {
        'chat_id': 5, 'text': 'x', 'parse_mode': 'HTML',
        'link_preview_options': {'is_disabled': True}, 'reply_parameters': {'message_id': 3},
        'reply_markup': {'force_reply': True}}


def test_legacy_preview_flag_merges_into_given_options(rbot, recorder):
    rbot.sendMessage(5, 'x', link_preview_options={'url': 'https://e.org'},
                     disable_web_page_preview=True)
    assert recorder.last[1]['link_preview_options'] == {'url': 'https://e.org', 'is_disabled': True}


def test_hide_keyboard_namedtuple_becomes_remove_keyboard(rbot, recorder):
    Hide = collections.namedtuple('ReplyKeyboardHide', 'hide_keyboard selective')
    rbot.sendMessage(5, 'x', reply_markup=Hide(True, None))
    assert recorder.last[1]['reply_markup'] == {'remove_keyboard': True, 'selective': None}


def test_set_webhook_without_url_cancels(rbot, recorder):
    rbot.setWebhook()
    assert recorder.last == ('setWebhook', {'url': ''})
    rbot.setWebhook('https://h.example/hook', 'CERT')
    assert recorder.last == ('setWebhook', {'url': 'https://h.example/hook', 'certificate': 'CERT'})


def test_get_updates_positional(rbot, recorder):
    rbot.getUpdates(10, 50, 20)
    assert recorder.last == ('getUpdates', {'offset': 10, 'limit': 50, 'timeout': 20})


@pytest.mark.parametrize('call,expected', [
    (lambda b: b.sendAudio(1, 'A', 30), {'duration': 30}),                    # 6.3: duration
    (lambda b: b.sendAudio(1, 'A', 'cap'), {'caption': 'cap'}),               # 12: caption
    (lambda b: b.sendVideo(1, 'V', 5, 'cap'), {'duration': 5, 'caption': 'cap'}),       # 6.3
    (lambda b: b.sendVideo(1, 'V', 5, 640, 480), {'duration': 5, 'width': 640, 'height': 480}),
    (lambda b: b.sendPhoto(1, 'P', 'c', 4), {'caption': 'c', 'reply_parameters': {'message_id': 4}}),
    (lambda b: b.sendPhoto(1, 'P', 'c', 'HTML'), {'caption': 'c', 'parse_mode': 'HTML'}),
    (lambda b: b.sendSticker(1, 'S', 8), {'reply_parameters': {'message_id': 8}}),
    (lambda b: b.sendSticker(1, 'S', True), {'disable_notification': True}),
    (lambda b: b.sendLocation(1, 1.5, 2.5, 8), {'reply_parameters': {'message_id': 8}}),  # 6.3 wins
    (lambda b: b.sendLocation(1, 1.5, 2.5, 60, True), {'live_period': 60, 'disable_notification': True}),
    (lambda b: b.sendVoice(1, 'O', 7), {'duration': 7}),
    (lambda b: b.sendVoice(1, 'O', 'cap'), {'caption': 'cap'}),
])
def test_conflicting_positional_orders(rbot, recorder, call, expected):
    call(rbot)
    params = recorder.last[1]
    for k, v in expected.items():
        assert params[k] == v
    assert set(params) - {'chat_id', 'audio', 'video', 'photo', 'sticker', 'voice',
                          'latitude', 'longitude'} == set(expected)


def test_message_identifier_forms(rbot, recorder):
    rbot.editMessageText((7, 99), 'new')
    assert recorder.last == ('editMessageText', {'chat_id': 7, 'message_id': 99, 'text': 'new'})
    rbot.editMessageText('INLINE', 'new', 'HTML')
    assert recorder.last == ('editMessageText', {'inline_message_id': 'INLINE', 'text': 'new',
                                                 'parse_mode': 'HTML'})
    rbot.editMessageText(('INLINE',), 'new')
    assert recorder.last[1] == {'inline_message_id': 'INLINE', 'text': 'new'}
    rbot.editMessageText('new', chat_id=7, message_id=99, parse_mode='HTML')
    assert recorder.last[1] == {'chat_id': 7, 'message_id': 99, 'text': 'new', 'parse_mode': 'HTML'}
    rbot.editMessageText(text='new', chat_id=7, message_id=99)        # today's form
    assert recorder.last == ('editMessageText', {'chat_id': 7, 'message_id': 99, 'text': 'new'})
    rbot.editMessageReplyMarkup((7, 99), {'inline_keyboard': []})
    assert recorder.last[1] == {'chat_id': 7, 'message_id': 99, 'reply_markup': {'inline_keyboard': []}}
    rbot.editMessageLiveLocation((7, 99), 1.0, 2.0)
    assert recorder.last[1] == {'chat_id': 7, 'message_id': 99, 'latitude': 1.0, 'longitude': 2.0}
    rbot.editMessageLiveLocation(1.0, 2.0, chat_id=7, message_id=99)
    assert recorder.last[1] == {'chat_id': 7, 'message_id': 99, 'latitude': 1.0, 'longitude': 2.0}
    rbot.setGameScore(5, 100, (7, 99))
    assert recorder.last[1] == {'user_id': 5, 'score': 100, 'chat_id': 7, 'message_id': 99}
    rbot.getGameHighScores(5, ('INL',))
    assert recorder.last[1] == {'user_id': 5, 'inline_message_id': 'INL'}


def test_delete_message_both_forms(rbot, recorder):
    rbot.deleteMessage((7, 99))
    assert recorder.last == ('deleteMessage', {'chat_id': 7, 'message_id': 99})
    rbot.deleteMessage(7, 99)
    assert recorder.last == ('deleteMessage', {'chat_id': 7, 'message_id': 99})
    n = len(recorder.calls)
    with pytest.raises(TypeError, match="message_id"):
        rbot.deleteMessage(7)
    assert len(recorder.calls) == n


def test_bad_identifier_is_a_clear_error(rbot, recorder):
    with pytest.raises(ValueError, match='identifier'):
        rbot.editMessageText((1, 2, 3), 'x')


def test_too_many_positionals_and_duplicates_raise_before_sending(rbot, recorder):
    with pytest.raises(TypeError, match='positional'):
        rbot.sendMessage(1, 'x', 'HTML', True, True, 5, {}, 'extra')
    with pytest.raises(TypeError, match='multiple values'):
        rbot.sendMessage(1, 'x', 'HTML', parse_mode='Markdown')
    with pytest.raises(TypeError):
        rbot.getChat(1, 2)          # no legacy order: Python's own error
    assert recorder.calls == []


def test_renamed_methods(rbot, recorder):
    rbot.kickChatMember(-100, 5, 1700000000)
    assert recorder.last == ('banChatMember', {'chat_id': -100, 'user_id': 5, 'until_date': 1700000000})
    rbot.getChatMembersCount(-100)
    assert recorder.last == ('getChatMemberCount', {'chat_id': -100})
    rbot.kick_chat_member(-100, 5)
    assert recorder.last[0] == 'banChatMember'


def test_restrict_chat_member_old_flags(rbot, recorder):
    rbot.restrictChatMember(-100, 5, 0, True, False)
    method, p = recorder.last
    assert method == 'restrictChatMember'
    assert p['until_date'] == 0
    assert p['permissions']['can_send_messages'] is True
    assert p['permissions']['can_send_photos'] is False
    assert 'can_send_media_messages' not in p and 'can_send_media_messages' not in p['permissions']


def test_inline_results_in_old_shapes(rbot, recorder):
    Article = collections.namedtuple('InlineQueryResultArticle', 'type id title message_text')
    rbot.answerInlineQuery('q1', [
        {'type': 'article', 'id': 'abc', 'title': 'ABC', 'message_text': 'Good morning'},
        Article('article', 'xyz', 'ZZZZZ', 'Good night'),
        {'type': 'photo', 'id': '1', 'photo_url': 'u', 'thumb_url': 't'},
    ], 10, True, None, 'Start', 'deep')
    method, p = recorder.last
    assert p['results'] == [
        {'type': 'article', 'id': 'abc', 'title': 'ABC',
         'input_message_content': {'message_text': 'Good morning'}},
        {'type': 'article', 'id': 'xyz', 'title': 'ZZZZZ',
         'input_message_content': {'message_text': 'Good night'}},
        {'type': 'photo', 'id': '1', 'photo_url': 'u', 'thumbnail_url': 't'}]
    assert p['cache_time'] == 10 and p['is_personal'] is True
    assert p['button'] == {'text': 'Start', 'start_parameter': 'deep'}


def test_sticker_methods_of_telepot_12(rbot, recorder):
    rbot.uploadStickerFile(5, b'PNG')
    assert recorder.last == ('uploadStickerFile', {'user_id': 5, 'sticker': b'PNG',
                                                   'sticker_format': 'static'})
    rbot.createNewStickerSet(5, 'set_by_bot', 'Title', b'PNG', '\U0001F600\U0001F601')
    p = recorder.last[1]
    assert p['stickers'] == [{'sticker': b'PNG', 'format': 'static',
                              'emoji_list': ['\U0001F600', '\U0001F601']}]
    rbot.addStickerToSet(5, 'set_by_bot', b'PNG', '\U0001F600')
    assert recorder.last[1]['sticker'] == {'sticker': b'PNG', 'format': 'static',
                                           'emoji_list': ['\U0001F600']}


def test_thumb_becomes_thumbnail(rbot, recorder):
    rbot.sendDocument(1, 'D', thumb=b'JPG')
    assert recorder.last[1] == {'chat_id': 1, 'document': 'D', 'thumbnail': b'JPG'}


def test_call_by_name(rbot, recorder):
    assert rbot.call('sendMessage', chat_id=1, text='x', parse_mode=None) is True
    assert recorder.last == ('sendMessage', {'chat_id': 1, 'text': 'x'})
    rbot.call('someMethodFromTheFuture', a=1)
    assert recorder.last == ('someMethodFromTheFuture', {'a': 1})
    for bad in ('../getMe', 'get Me', '', 'x' * 100):
        with pytest.raises(ValueError):
            rbot.call(bad)


@pytest.mark.parametrize('token', ['', 'abc', '123', '123:', ':abc', '12a:xyz', '123:abc def',
                                   '123:abc/..'])
def test_malformed_token_is_rejected_without_echoing_it(token):
    with pytest.raises(ValueError) as e:
        Bot(token)
    if len(token) > 3:
        assert token not in str(e.value)


def test_repr_never_shows_the_token(rbot):
    assert TOKEN not in repr(rbot) and TOKEN.split(':')[1] not in repr(rbot)
    assert repr(rbot) == '<Bot id=123456789>'
    assert rbot.id == 123456789


def test_download_file_uses_get_file_path(rbot, recorder, tmp_path):
    recorder.results['getFile'] = {'file_id': 'F', 'file_path': 'documents/file_1.txt'}
    rbot.downloadFile('F', str(tmp_path / 'x'))
    assert recorder.calls[-2] == ('getFile', {'file_id': 'F'})
    assert recorder.calls[-1][1]['file_path'] == 'documents/file_1.txt'
    assert Bot.download_file is Bot.downloadFile

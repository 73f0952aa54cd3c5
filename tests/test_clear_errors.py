"""Mistakes a newcomer makes end in a clear error, not in a silent send or an endless loop."""
from __future__ import annotations

import logging
import pathlib
import queue

import pytest

import telepot_ng
from telepot_ng.exception import TelegramError

WAIT = 10.0


# ---------------------------------------------------------------------------------- token

@pytest.mark.parametrize('padding', ['\n', '\r\n', ' ', '\t'])
def test_a_token_read_from_a_file_works(fake_telegram, padding):
    tg = fake_telegram
    bot = telepot_ng.Bot(padding + tg.token + padding, base_url=tg.base_url)
    try:
        assert bot.getMe()['id'] == bot.id
        alice = tg.user('Alice')
        seen = queue.Queue()
        bot.message_loop(lambda msg: seen.put(msg['text']))
        alice.says('hi')
        assert seen.get(timeout=WAIT) == 'hi'
        assert tg.counters()['totals']['errors'] == 0
    finally:
        bot.stop(WAIT)


@pytest.mark.parametrize('token, shown', [('123:AB C', "' ' at position 6"),
                                          ('123:AB\nC', "'\\n' at position 6"),
                                          ('123:ABC\x00', "'\\x00' at position 7")])
def test_whitespace_inside_a_token_is_refused_naming_it(token, shown):
    with pytest.raises(ValueError) as info:
        telepot_ng.Bot(token)
    assert shown in str(info.value) and 'AB' not in str(info.value)


def test_a_trailing_newline_does_not_pass_the_shape_check():
    with pytest.raises(ValueError, match='malformed'):
        telepot_ng.Bot('123:ABC\n:')


# ------------------------------------------------------------------------------- keywords

def test_a_misspelt_keyword_is_a_type_error_and_nothing_is_sent(fake_telegram):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    with pytest.raises(TypeError, match=r"sendMessage\(\) got an unexpected keyword argument "
                                        r"'parse_mod'; did you mean 'parse_mode'\?"):
        bot.sendMessage(alice.id, '<b>x</b>', parse_mod='HTML')
    with pytest.raises(TypeError, match="did you mean 'disable_notification'"):
        bot.send_message(alice.id, 'x', disable_notifications=True)
    with pytest.raises(TypeError, match="did you mean 'caption'"):
        bot.call('sendPhoto', chat_id=alice.id, photo='AgAD', captoin='x')
    assert tg.requests('sendMessage') == [] and tg.requests('sendPhoto') == []


def test_an_unknown_keyword_far_from_any_is_sent_and_logged_once(fake_telegram, caplog):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    with caplog.at_level(logging.WARNING, logger='telepot_ng.bot'):
        bot.sendMessage(alice.id, 'a', quantum_flux=1)
        bot.sendMessage(alice.id, 'b', quantum_flux=2)
    lines = [r.getMessage() for r in caplog.records if 'quantum_flux' in r.getMessage()]
    assert len(lines) == 1 and 'sendMessage()' in lines[0] and 'sent as is' in lines[0]
    assert [c.params.get('quantum_flux') for c in tg.requests('sendMessage')] == [1, 2]


def test_telepots_old_keywords_are_not_typos(fake_telegram, caplog):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    first = bot.sendMessage(alice.id, 'first')
    with caplog.at_level(logging.WARNING, logger='telepot_ng.bot'):
        bot.sendMessage(alice.id, 'x', disable_web_page_preview=True,
                        reply_to_message_id=first['message_id'])
    assert not [r for r in caplog.records if 'not a parameter' in r.getMessage()]
    call = tg.requests('sendMessage')[-1]
    assert call.params['reply_parameters']['message_id'] == first['message_id']


# ---------------------------------------------------------------------------- local files

def test_a_local_path_given_as_str_gets_an_error_saying_how_to_upload(fake_telegram, tmp_path):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    photo = tmp_path / 'photo.jpg'
    photo.write_bytes(b'\xff\xd8\xff\xe0fake')
    with pytest.raises(TelegramError) as info:
        bot.sendPhoto(alice.id, str(photo))
    text = str(info.value)
    assert info.value.error_code == 400 and 'wrong file identifier' in info.value.description
    assert 'a str is sent to Telegram as a file_id or an HTTP URL' in text
    assert "open(%r, 'rb')" % str(photo) in text and 'pathlib.Path(' in text
    # what the hint says works
    assert bot.sendPhoto(alice.id, pathlib.Path(photo))['photo']
    with open(photo, 'rb') as f:
        assert bot.sendPhoto(alice.id, f)['photo']


def test_no_hint_when_the_str_is_no_local_file(fake_telegram):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    with pytest.raises(TelegramError) as info:
        bot.sendPhoto(alice.id, 'no/such/photo.jpg')
    assert info.value.hint is None and 'file_id' not in str(info.value).split('400)')[1]


# ------------------------------------------------------------------- message identifiers

def test_edit_methods_take_the_message_dict_the_library_returned(fake_telegram):
    tg = fake_telegram
    bot, alice = tg.bot(), tg.user('Alice')
    sent = bot.sendMessage(alice.id, 'one', reply_markup={
        'inline_keyboard': [[{'text': 'x', 'callback_data': 'x'}]]})
    assert bot.editMessageText(sent, 'two')['text'] == 'two'
    assert bot.editMessageText(sent, text='three')['text'] == 'three'
    assert tg.message(alice, sent['message_id'])['text'] == 'three'
    bot.editMessageReplyMarkup(sent, reply_markup={
        'inline_keyboard': [[{'text': 'y', 'callback_data': 'y'}]]})
    assert bot.deleteMessage(sent) is True
    assert tg.message(alice, sent['message_id']) is None


def test_a_dict_that_is_no_message_points_to_the_identifier_functions(fake_telegram):
    bot = fake_telegram.bot()
    query = {'id': '1', 'chat_instance': 'c', 'from': {'id': 1}, 'data': 'x'}
    with pytest.raises(ValueError, match=r'origin_identifier\(query\)'):
        bot.editMessageText(query, 'x')
    with pytest.raises(ValueError, match=r'message_identifier\(msg\)'):
        bot.editMessageText({'text': 'x'}, 'x')
    assert fake_telegram.requests('editMessageText') == []

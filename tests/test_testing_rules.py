"""The fake holds calls to Telegram's rules: formatting, parameter types, documented limits and
state errors, each answered with Telegram's status and description."""
from __future__ import annotations

import json

import pytest

from telepot_ng.testing import DEFAULT_TOKEN

from .test_testing_server import Raw

BOT_ID = int(DEFAULT_TOKEN.split(':')[0])


@pytest.fixture
def raw(fake_telegram):
    client = Raw(fake_telegram)
    yield client
    client.close()


def refused(raw, method, params, status=400, **kw):
    code, answer = raw.call(method, params, **kw)
    assert code == status and answer['ok'] is False and answer['error_code'] == status, answer
    return answer['description']


# -- formatting ------------------------------------------------------------------------------
def test_html_is_parsed_into_text_and_entities(fake_telegram, raw):
    msg = raw.ok('sendMessage', {'chat_id': 5, 'text': 'Hi <b>bold</b> &amp; <i>it</i>',
                                 'parse_mode': 'HTML'})
    assert msg['text'] == 'Hi bold & it'
    assert msg['entities'] == [{'type': 'bold', 'offset': 3, 'length': 4},
                               {'type': 'italic', 'offset': 10, 'length': 2}]
    assert fake_telegram.message(5, msg['message_id']) == msg
    # the journal keeps what the bot sent
    assert fake_telegram.sent('sendMessage')[-1].text == 'Hi <b>bold</b> &amp; <i>it</i>'


@pytest.mark.parametrize('mode, text, description', [
    ('HTML', '<b>x</b', 'Unclosed end tag at byte offset 4'),
    ('HTML', 'a <br> b', 'Unsupported start tag "br" at byte offset 2'),
    ('MarkdownV2', 'a.b', "Character '.' is reserved and must be escaped with the preceding "
                          "'\\'"),
    ('Markdown', 'snake_case', "Can't find end of the entity starting at byte offset 5"),
])
def test_malformed_markup_is_refused(raw, mode, text, description):
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': text, 'parse_mode': mode}) == \
        "Bad Request: can't parse entities: " + description
    assert refused(raw, 'sendPhoto', {'chat_id': 5, 'photo': 'https://e.com/a.jpg',
                                      'caption': text, 'parse_mode': mode}) == \
        "Bad Request: can't parse entities: " + description


def test_unknown_parse_mode(raw):
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x', 'parse_mode': 'RTF'}) == \
        'Bad Request: unsupported parse_mode'


def test_captions_and_media_group_captions_are_parsed(raw):
    msg = raw.ok('sendPhoto', {'chat_id': 5, 'photo': 'https://e.com/a.jpg',
                               'caption': '*big*', 'parse_mode': 'MarkdownV2'})
    assert (msg['caption'], msg['caption_entities']) == (
        'big', [{'type': 'bold', 'offset': 0, 'length': 3}])
    msgs = raw.ok('sendMediaGroup', {'chat_id': 5, 'media': [
        {'type': 'photo', 'media': 'https://e.com/1.jpg', 'caption': '<u>one</u>',
         'parse_mode': 'HTML'},
        {'type': 'photo', 'media': 'https://e.com/2.jpg'}]})
    assert msgs[0]['caption'] == 'one'
    assert msgs[0]['caption_entities'] == [{'type': 'underline', 'offset': 0, 'length': 3}]


def test_explicit_entities_are_checked_clipped_and_win_over_parse_mode(raw):
    msg = raw.ok('sendMessage', {'chat_id': 5, 'text': '<b>x</b>', 'parse_mode': 'HTML',
                                 'entities': [{'type': 'italic', 'offset': 0, 'length': 99}]})
    assert msg['text'] == '<b>x</b>'
    assert msg['entities'] == [{'type': 'italic', 'offset': 0, 'length': 8}]
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x', 'entities': [
        {'type': 'blink', 'offset': 0, 'length': 1}]}) == \
        "Bad Request: can't parse MessageEntity: Unsupported type specified"
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x', 'entities': [
        {'type': 'bold', 'offset': 'a', 'length': 1}]}) == \
        'Bad Request: can\'t parse MessageEntity: Field "offset" must be of type Number'
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x', 'entities': 'bold'},
                   encoding='form') == "Bad Request: can't parse entities JSON object"


def test_text_is_trimmed_and_must_not_be_empty(raw):
    msg = raw.ok('sendMessage', {'chat_id': 5, 'text': '  <b>hi</b>\n', 'parse_mode': 'HTML'})
    assert msg['text'] == 'hi' and msg['entities'] == [{'type': 'bold', 'offset': 0,
                                                        'length': 2}]
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': ' \n '}) == \
        'Bad Request: message text is empty'
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': '<i></i>',
                                        'parse_mode': 'HTML'}) == \
        'Bad Request: message text is empty'


def test_text_length_counts_after_parsing(raw):
    assert raw.ok('sendMessage', {'chat_id': 5, 'text': '<b>%s</b>' % ('a' * 4096),
                                  'parse_mode': 'HTML'})['text'] == 'a' * 4096
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'a' * 4097}) == \
        'Bad Request: message is too long'
    raw.ok('sendDocument', {'chat_id': 5, 'document': 'https://e.com/a.pdf',
                            'caption': 'c' * 1024})
    assert refused(raw, 'sendDocument', {'chat_id': 5, 'document': 'https://e.com/a.pdf',
                                         'caption': 'c' * 1025}) == \
        'Bad Request: message caption is too long'


def test_edit_with_parse_mode_and_not_modified(raw):
    msg = raw.ok('sendMessage', {'chat_id': 5, 'text': 'plain'})
    edited = raw.ok('editMessageText', {'chat_id': 5, 'message_id': msg['message_id'],
                                        'text': '<b>plain</b>', 'parse_mode': 'HTML'})
    assert edited['text'] == 'plain' and edited['entities'][0]['type'] == 'bold'
    assert refused(raw, 'editMessageText', {'chat_id': 5, 'message_id': msg['message_id'],
                                            'text': '*plain*', 'parse_mode': 'MarkdownV2'}) \
        .startswith('Bad Request: message is not modified')


# -- parameter types ---------------------------------------------------------------------------
def test_a_json_value_for_a_string_parameter_becomes_its_json_text(raw):
    # Telegram reads every parameter as a string: an object arrives as its JSON text
    msg = raw.ok('sendMessage', {'chat_id': 5, 'text': {'text': 'hi'}})
    assert msg['text'] == '{"text":"hi"}'


def test_reply_markup_must_be_a_markup_object(raw):
    send = {'chat_id': 5, 'text': 'x'}
    assert refused(raw, 'sendMessage', dict(send, reply_markup='kb')) == \
        "Bad Request: can't parse reply keyboard markup JSON object"
    assert refused(raw, 'sendMessage', dict(send, reply_markup=[1])) == \
        'Bad Request: object expected as reply markup'
    assert refused(raw, 'sendMessage', dict(send, reply_markup={'inline_keyboard': 'x'})) == \
        'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
    assert refused(raw, 'sendMessage', dict(send, reply_markup={'keyboard': ['a']})) == \
        'Bad Request: field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
    # plain strings are buttons of a reply keyboard
    msg = raw.ok('sendMessage', dict(send, reply_markup={'keyboard': [['a', {'text': 'b'}]],
                                                          'resize_keyboard': True}))
    assert 'reply_markup' not in msg          # only inline keyboards show in the Message


def test_inline_buttons_need_exactly_one_action(raw):
    send = {'chat_id': 5, 'text': 'x'}

    def keyboard(*buttons):
        return dict(send, reply_markup={'inline_keyboard': [list(buttons)]})

    assert refused(raw, 'sendMessage', keyboard({'text': 'a'})) == \
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the " \
        "inline keyboard"
    assert refused(raw, 'sendMessage', keyboard({'text': 'a', 'callback_data': ''})) == \
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the " \
        "inline keyboard"
    assert 'exactly one' in refused(raw, 'sendMessage', keyboard(
        {'text': 'a', 'callback_data': 'x', 'url': 'https://e.com'}))
    assert refused(raw, 'sendMessage', keyboard({'text': 1, 'callback_data': 'x'})) == \
        'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String'
    assert refused(raw, 'sendMessage', keyboard({'callback_data': 'x'})) == \
        'Bad Request: can\'t parse inline keyboard button: Can\'t find field "text"'
    raw.ok('sendMessage', keyboard({'text': 'a', 'url': 'https://e.com', 'style': 'primary'}))


def test_callback_data_is_1_to_64_bytes(raw):
    def send(data):
        return {'chat_id': 5, 'text': 'x',
                'reply_markup': {'inline_keyboard': [[{'text': 'a', 'callback_data': data}]]}}

    raw.ok('sendMessage', send('d' * 64))
    assert refused(raw, 'sendMessage', send('d' * 65)) == 'Bad Request: BUTTON_DATA_INVALID'
    assert refused(raw, 'sendMessage', send('é' * 33)) == 'Bad Request: BUTTON_DATA_INVALID'


def test_nested_objects_are_checked_against_the_spec(raw):
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x',
                                        'reply_parameters': {'message_id': 'first'}}) == \
        'Bad Request: can\'t parse reply parameters: Field "message_id" must be of type Number'
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x',
                                        'link_preview_options': {'is_disabled': 'yes'}}) == \
        'Bad Request: can\'t parse link preview options: Field "is_disabled" must be of type ' \
        'Boolean'
    photo = {'type': 'photo', 'media': 'https://e.com/1.jpg'}
    assert refused(raw, 'sendMediaGroup', {'chat_id': 5, 'media': [photo, {'type': 'photo'}]}) \
        == 'Bad Request: can\'t parse media: Can\'t find field "media"'
    assert refused(raw, 'sendMediaGroup', {'chat_id': 5, 'media': [photo, dict(
        photo, type='hologram')]}).startswith("Bad Request: can't parse media:")


def test_media_groups_have_2_to_10_items(raw):
    photo = {'type': 'photo', 'media': 'https://e.com/1.jpg'}
    assert refused(raw, 'sendMediaGroup', {'chat_id': 5, 'media': [photo]}) == \
        'Bad Request: media must include 2-10 items'
    assert refused(raw, 'sendMediaGroup', {'chat_id': 5, 'media': [photo] * 11}) == \
        'Bad Request: media must include 2-10 items'
    assert len(raw.ok('sendMediaGroup', {'chat_id': 5, 'media': [photo] * 10})) == 10


def test_at_most_50_inline_results(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    query = alice.asks_inline('q')
    result = {'type': 'article', 'id': '1', 'title': 't',
              'input_message_content': {'message_text': '<b>x</b>', 'parse_mode': 'HTML'}}
    assert refused(raw, 'answerInlineQuery', {'inline_query_id': query['id'],
                                              'results': [result] * 51}) == \
        'Bad Request: RESULTS_TOO_MUCH'
    assert refused(raw, 'answerInlineQuery', {'inline_query_id': query['id'], 'results': [
        dict(result, input_message_content={'message_text': '<b>', 'parse_mode': 'HTML'})]}) \
        .startswith("Bad Request: can't parse entities:")
    assert raw.ok('answerInlineQuery', {'inline_query_id': query['id'],
                                        'results': [result] * 50}) is True


def test_journal_keeps_the_raw_parameters_of_a_refused_call(fake_telegram, raw):
    refused(raw, 'sendMessage', {'chat_id': 5, 'text': '<b>', 'parse_mode': 'HTML'})
    call = fake_telegram.requests('sendMessage')[-1]
    assert call.params['text'] == '<b>' and call.status == 400
    assert json.loads(json.dumps(call.params))['parse_mode'] == 'HTML'


def test_poll_and_callback_answer_limits(fake_telegram, raw):
    options = [{'text': 'a'}, {'text': 'b'}]
    raw.ok('sendPoll', {'chat_id': 5, 'question': 'q' * 300, 'options': options})
    assert refused(raw, 'sendPoll', {'chat_id': 5, 'question': 'q' * 301,
                                     'options': options}) == 'Bad Request: POLL_QUESTION_INVALID'
    assert refused(raw, 'sendPoll', {'chat_id': 5, 'question': 'q', 'options': options[:1]}) \
        == 'Bad Request: POLL_OPTIONS_INVALID'
    assert refused(raw, 'sendPoll', {'chat_id': 5, 'question': 'q', 'options': [
        {'text': 'a' * 101}, {'text': 'b'}]}) == 'Bad Request: POLL_OPTION_INVALID'
    alice = fake_telegram.user('Alice')
    msg = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'x', 'reply_markup': {
        'inline_keyboard': [[{'text': 'a', 'callback_data': 'a'}]]}})
    query = alice.presses(msg, 'a')
    assert refused(raw, 'answerCallbackQuery', {'callback_query_id': query['id'],
                                                'text': 't' * 201}) == \
        'Bad Request: MESSAGE_TOO_LONG'
    assert raw.ok('answerCallbackQuery', {'callback_query_id': query['id'], 'text': 't' * 200})


# -- state errors ------------------------------------------------------------------------------
def test_missing_messages_and_chats(raw):
    assert refused(raw, 'editMessageText', {'chat_id': 5, 'message_id': 99, 'text': 'x'}) == \
        'Bad Request: message to edit not found'
    assert refused(raw, 'deleteMessage', {'chat_id': 5, 'message_id': 99}) == \
        'Bad Request: message to delete not found'
    assert refused(raw, 'sendMessage', {'chat_id': 5, 'text': 'x',
                                        'reply_parameters': {'message_id': 99}}) == \
        'Bad Request: message to be replied not found'
    assert raw.ok('sendMessage', {'chat_id': 5, 'text': 'x', 'reply_parameters': {
        'message_id': 99, 'allow_sending_without_reply': True}})
    assert refused(raw, 'sendMessage', {'chat_id': '@nobody_here', 'text': 'x'}) == \
        'Bad Request: chat not found'


@pytest.mark.fake_telegram(strict_chats=True)
def test_unknown_chat_ids_with_strict_chats(raw):
    assert refused(raw, 'sendMessage', {'chat_id': 777, 'text': 'x'}) == \
        'Bad Request: chat not found'


def test_blocked_user_is_403(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    alice.blocks_bot()
    assert refused(raw, 'sendMessage', {'chat_id': alice.id, 'text': 'x'}, 403) == \
        'Forbidden: bot was blocked by the user'
    alice.unblocks_bot()
    assert raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'x'})


def test_group_migrated_to_a_supergroup(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    group = fake_telegram.group('Old', members=[alice])
    mark = fake_telegram.mark()
    supergroup = group.migrates()
    assert supergroup.id < -1000000000000
    kinds = [u['update']['message'] for u in fake_telegram.updates(since=mark)]
    assert kinds[0]['migrate_to_chat_id'] == supergroup.id
    assert kinds[0]['chat']['id'] == group.id and kinds[0]['from']['id'] == alice.id
    assert kinds[1]['migrate_from_chat_id'] == group.id
    assert kinds[1]['chat'] == {'id': supergroup.id, 'type': 'supergroup', 'title': 'Old'}
    status, answer = raw.call('sendMessage', {'chat_id': group.id, 'text': 'x'})
    assert (status, answer) == (400, {
        'ok': False, 'error_code': 400,
        'description': 'Bad Request: group chat was upgraded to a supergroup chat',
        'parameters': {'migrate_to_chat_id': supergroup.id}})
    assert raw.ok('sendMessage', {'chat_id': supergroup.id, 'text': 'x'})['chat']['type'] == \
        'supergroup'
    alice.says('still here', chat=supergroup)          # members moved along


def test_bot_removed_from_a_group_or_leaving_it(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    group = fake_telegram.group('G', members=[alice])
    update = group.removes_bot(by=alice)
    assert update['old_chat_member']['status'] == 'administrator'
    assert update['new_chat_member']['status'] == 'kicked'
    assert update['new_chat_member']['user']['id'] == BOT_ID
    assert refused(raw, 'sendMessage', {'chat_id': group.id, 'text': 'x'}, 403) == \
        'Forbidden: bot was kicked from the group chat'
    assert refused(raw, 'getChat', {'chat_id': group.id}, 403) == \
        'Forbidden: bot was kicked from the group chat'
    group.adds_bot(by=alice)
    assert raw.ok('sendMessage', {'chat_id': group.id, 'text': 'x'})
    assert raw.ok('leaveChat', {'chat_id': group.id}) is True
    assert refused(raw, 'sendMessage', {'chat_id': group.id, 'text': 'x'}, 403) == \
        'Forbidden: bot is not a member of the group chat'
    assert refused(raw, 'leaveChat', {'chat_id': alice.id}).startswith('Bad Request')


def test_bot_without_admin_rights(fake_telegram, raw):
    alice, bob = fake_telegram.user('Alice'), fake_telegram.user('Bob')
    group = fake_telegram.group('G', members=[alice, bob], supergroup=True)
    raw.ok('banChatMember', {'chat_id': group.id, 'user_id': bob.id})
    update = group.demotes_bot()
    assert (update['old_chat_member']['status'], update['new_chat_member']['status']) == \
        ('administrator', 'member')
    assert raw.ok('getChatMember', {'chat_id': group.id, 'user_id': BOT_ID})['status'] == \
        'member'
    assert refused(raw, 'banChatMember', {'chat_id': group.id, 'user_id': bob.id}) == \
        'Bad Request: not enough rights to restrict/unrestrict chat member'
    own = raw.ok('sendMessage', {'chat_id': group.id, 'text': 'mine'})  # members may post
    theirs = alice.says('hi', chat=group)
    assert refused(raw, 'deleteMessage', {'chat_id': group.id,
                                          'message_id': theirs['message_id']}) == \
        "Bad Request: message can't be deleted"
    assert raw.ok('deleteMessage', {'chat_id': group.id, 'message_id': own['message_id']})
    group.promotes_bot()
    assert raw.ok('deleteMessage', {'chat_id': group.id, 'message_id': theirs['message_id']})
    channel = fake_telegram.channel('News')
    channel.demotes_bot()
    assert refused(raw, 'sendMessage', {'chat_id': channel.id, 'text': 'x'}) == \
        'Bad Request: need administrator rights in the channel chat'


def test_callback_queries_are_answered_once_and_while_fresh(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    msg = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'x', 'reply_markup': {
        'inline_keyboard': [[{'text': 'a', 'callback_data': 'a'}]]}})
    first = alice.presses(msg, 'a')
    assert raw.ok('answerCallbackQuery', {'callback_query_id': first['id']}) is True
    too_old = 'Bad Request: query is too old and response timeout expired or query ID is invalid'
    assert refused(raw, 'answerCallbackQuery', {'callback_query_id': first['id']}) == too_old
    fake_telegram.configure(query_timeout=0.0)         # (a fresh world) every query is stale
    alice = fake_telegram.user('Alice')
    msg = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'x', 'reply_markup': {
        'inline_keyboard': [[{'text': 'a', 'callback_data': 'a'}]]}})
    late = alice.presses(msg, 'a')
    assert refused(raw, 'answerCallbackQuery', {'callback_query_id': late['id']}) == too_old
    query = alice.asks_inline('q')
    assert refused(raw, 'answerInlineQuery', {'inline_query_id': query['id'],
                                              'results': []}) == too_old


# -- files -------------------------------------------------------------------------------------
@pytest.mark.fake_telegram(upload_limit=1000, download_limit=100)
def test_upload_and_download_size_limits(fake_telegram, raw):
    status, answer = raw.call('sendDocument', {'chat_id': 5}, encoding='multipart',
                              files={'document': ('a.bin', b'x' * 1001, 'application/pdf')})
    assert (status, answer) == (413, {'ok': False, 'error_code': 413,
                                      'description': 'Request Entity Too Large'})
    assert fake_telegram.requests('sendDocument')[-1].status == 413
    doc = raw.ok('sendDocument', {'chat_id': 5}, encoding='multipart',
                 files={'document': ('a.bin', b'x' * 1000, 'application/pdf')})['document']
    assert refused(raw, 'getFile', {'file_id': doc['file_id']}) == 'Bad Request: file is too big'
    small = fake_telegram.user('Alice').sends_document(b'y' * 100)['document']
    assert raw.ok('getFile', {'file_id': small['file_id']})['file_size'] == 100


def test_default_file_limits_and_local_mode(fake_telegram, tmp_path):
    from telepot_ng.testing.server import FILE_LIMITS
    assert FILE_LIMITS[False] == (50 * 1024 * 1024, 20 * 1024 * 1024)
    assert FILE_LIMITS[True] == (2000 * 1024 * 1024, None)
    local = tmp_path / 'report.txt'
    local.write_bytes(b'local bytes')
    raw = Raw(fake_telegram)
    try:
        assert refused(raw, 'sendDocument', {'chat_id': 5, 'document': local.as_uri()}) == \
            'Bad Request: wrong file identifier/HTTP URL specified'
        fake_telegram.configure(local_mode=True, download_limit=5)
        assert refused(raw, 'sendDocument', {'chat_id': 5, 'document': 'file:///no/such'}) == \
            'Bad Request: wrong file identifier/HTTP URL specified'
        doc = raw.ok('sendDocument', {'chat_id': 5, 'document': local.as_uri()})['document']
        assert doc['file_name'] == 'report.txt'
        assert fake_telegram.file_bytes(doc['file_id']) == b'local bytes'
        assert refused(raw, 'getFile', {'file_id': doc['file_id']}) == \
            'Bad Request: file is too big'
        fake_telegram.configure(local_mode=True, download_limit=None)
        doc = raw.ok('sendDocument', {'chat_id': 5, 'document': local.as_uri()})['document']
        assert raw.ok('getFile', {'file_id': doc['file_id']})['file_size'] == 11
    finally:
        raw.close()

"""Transport encoding, through the requests backend and `responses`: JSON bodies, multipart
with every file form, attach:// naming, namedtuples, timeouts handed to the backend."""
import collections
import datetime
import email.parser
import email.policy
import enum
import io
import json
import os

import pytest
import requests
import responses

from telepot_ng import _encoding, api

TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1'
BASE = 'http://api.test'


@pytest.fixture
def transport():
    t = api.Transport(TOKEN, base_url=BASE, session=requests.Session(), read_timeout=7.0,
                      connect_timeout=3.0)
    yield t
    t.close()


@pytest.fixture
def server():
    """Answers every POST with ok/True and records (method, content type, body bytes)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        seen = []

        def answer(request):
            body = request.body
            if body is not None and not isinstance(body, (bytes, str)):
                body = b''.join(body)
            if isinstance(body, str):
                body = body.encode()
            seen.append((request.url.rsplit('/', 1)[1], request.headers.get('Content-Type'),
                         body, request))
            return 200, {}, json.dumps({'ok': True, 'result': True})

        rsps.add_callback(responses.POST, __import__('re').compile(r'http://api\.test/.*'),
                          callback=answer)
        rsps.seen = seen
        yield rsps


def parse_multipart(content_type, body):
    """{name: (filename, content_type, payload bytes)} of a multipart/form-data body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b'Content-Type: ' + content_type.encode() + b'\r\n\r\n' + body)
    assert message.is_multipart()
    parts = {}
    for part in message.iter_parts():
        name = part.get_param('name', header='content-disposition')
        assert name not in parts, 'duplicate part %s' % name
        parts[name] = (part.get_filename(), part.get_content_type(),
                       part.get_payload(decode=True))
    return parts


def fields(parts):
    return {name: payload.decode() for name, (filename, _, payload) in parts.items()
            if filename is None}


# -- JSON bodies ---------------------------------------------------------------------------

def test_plain_params_are_one_compact_json_body(transport, server):
    assert transport.request('sendMessage', {'chat_id': 5, 'text': 'héllo ✓',
                                             'disable_notification': True}) is True
    method, ctype, body, request = server.seen[0]
    assert method == 'sendMessage'
    assert ctype == 'application/json'
    assert body == '{"chat_id":5,"text":"héllo ✓","disable_notification":true}'.encode()
    assert request.url == '%s/bot%s/sendMessage' % (BASE, TOKEN)


def test_nested_objects_drop_none_recursively(transport, server):
    markup = {'inline_keyboard': [[{'text': 'a', 'callback_data': 'x', 'url': None}]],
              'resize_keyboard': None}
    transport.request('sendMessage', {'chat_id': 1, 'text': 't', 'reply_markup': markup,
                                      'entities': [{'type': 'bold', 'offset': 0, 'length': 1,
                                                    'url': None}]})
    sent = json.loads(server.seen[0][2])
    assert sent['reply_markup'] == {'inline_keyboard': [[{'text': 'a', 'callback_data': 'x'}]]}
    assert sent['entities'] == [{'type': 'bold', 'offset': 0, 'length': 1}]


Button = collections.namedtuple('InlineKeyboardButton', 'text url callback_data')
Markup = collections.namedtuple('InlineKeyboardMarkup', 'inline_keyboard')
Origin = collections.namedtuple('MessageOrigin', 'type from_ date sender_chat')


def test_namedtuples_become_objects_without_none_and_with_from(transport, server):
    markup = Markup(inline_keyboard=[[Button('Go', None, 'go'), Button('Site', 'https://x.y', None)]])
    origin = Origin('user', {'id': 7, 'is_bot': False, 'first_name': 'A'}, 100, None)
    transport.request('sendMessage', {'chat_id': 1, 'text': 't', 'reply_markup': markup,
                                      'extra': origin})
    sent = json.loads(server.seen[0][2])
    assert sent['reply_markup'] == {'inline_keyboard': [[{'text': 'Go', 'callback_data': 'go'},
                                                         {'text': 'Site', 'url': 'https://x.y'}]]}
    assert sent['extra'] == {'type': 'user', 'from': {'id': 7, 'is_bot': False,
                                                      'first_name': 'A'}, 'date': 100}


Underscored = collections.namedtuple('Underscored', 'from_ class_ data_ file_id_ type')


def test_only_keyword_fields_lose_their_trailing_underscore(transport, server):
    value = Underscored(from_=1, class_=2, data_=3, file_id_=4, type='t')
    expected = {'from': 1, 'class': 2, 'data_': 3, 'file_id_': 4, 'type': 't'}
    transport.request('sendMessage', {'chat_id': 1, 'text': 't', 'extra': value})
    assert json.loads(server.seen[0][2])['extra'] == expected
    # the same in a multipart body, and a plain dict's keys are never renamed
    transport.request('sendDocument', {'chat_id': 1, 'document': b'x', 'extra': value,
                                       'plain': {'from_': 5}})
    parts = parse_multipart(server.seen[1][1], server.seen[1][2])
    assert json.loads(parts['extra'][2]) == expected
    assert json.loads(parts['plain'][2]) == {'from_': 5}


def test_tuples_and_lists_of_strings_stay_lists(transport, server):
    transport.request('getUpdates', {'allowed_updates': ('message', 'callback_query')})
    assert json.loads(server.seen[0][2]) == {'allowed_updates': ['message', 'callback_query']}


def test_datetime_and_enum_values_are_converted(transport, server):
    class Mode(enum.Enum):
        HTML = 'HTML'
    when = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    transport.request('banChatMember', {'chat_id': 1, 'user_id': 2, 'until_date': when,
                                        'parse_mode': Mode.HTML})
    sent = json.loads(server.seen[0][2])
    assert sent == {'chat_id': 1, 'user_id': 2, 'until_date': int(when.timestamp()),
                    'parse_mode': 'HTML'}


def test_unserialisable_value_raises_type_error(transport, server):
    with pytest.raises(TypeError, match='object'):
        transport.request('sendMessage', {'chat_id': 1, 'text': object()})
    assert server.seen == []


@pytest.mark.parametrize('value', ['AgACAgIAAxkBAAIB', 'https://example.com/cat.jpg',
                                   'attach://file0'])
def test_strings_are_sent_as_is_never_as_files(transport, server, value):
    transport.request('sendPhoto', {'chat_id': 1, 'photo': value})
    method, ctype, body, _ = server.seen[0]
    assert ctype == 'application/json'
    assert json.loads(body) == {'chat_id': 1, 'photo': value}


def test_media_group_of_file_ids_stays_json(transport, server):
    media = [{'type': 'photo', 'media': 'id1', 'caption': None}, {'type': 'photo', 'media': 'id2'}]
    transport.request('sendMediaGroup', {'chat_id': 1, 'media': media})
    assert server.seen[0][1] == 'application/json'
    assert json.loads(server.seen[0][2])['media'] == [{'type': 'photo', 'media': 'id1'},
                                                      {'type': 'photo', 'media': 'id2'}]


def test_get_updates_read_timeout_follows_long_poll(transport, server):
    transport.request('getUpdates', {'offset': 5, 'timeout': 20})
    transport.request('sendMessage', {'chat_id': 1, 'text': 'x'})
    transport.request('sendDocument', {'chat_id': 1, 'document': b'x'})
    timeouts = [call[3].req_kwargs['timeout'] for call in server.seen]
    assert timeouts[0] == (3.0, 27.0)
    assert timeouts[1] == (3.0, 7.0)
    assert timeouts[2] == (3.0, api._UPLOAD_MIN_READ_TIMEOUT)


# -- multipart -------------------------------------------------------------------------------

def test_every_top_level_file_form(transport, server, tmp_path):
    on_disk = tmp_path / 'report.pdf'
    on_disk.write_bytes(b'%PDF-1.4 pdf bytes')
    named = tmp_path / 'clip.mp4'
    named.write_bytes(b'mp4 bytes')
    with open(named, 'rb') as opened:
        transport.request('sendWhatever', {
            'chat_id': -100, 'caption': 'c', 'has_spoiler': False,
            'reply_markup': {'inline_keyboard': [[{'text': 'k', 'url': None,
                                                   'callback_data': 'd'}]]},
            'raw': b'raw bytes',
            'barr': bytearray(b'bytearray'),
            'mview': memoryview(b'memoryview'),
            'path': on_disk,
            'fileobj': opened,
            'pair_bytes': ('cat.jpg', b'jpeg bytes'),
            'pair_file': ('renamed.png', io.BytesIO(b'png bytes')),
            'stream': io.BytesIO(b'anonymous stream'),
        })
        assert not opened.closed                      # the caller's file is left open
    method, ctype, body, _ = server.seen[0]
    assert ctype.startswith('multipart/form-data; boundary=')
    parts = parse_multipart(ctype, body)
    assert fields(parts) == {'chat_id': '-100', 'caption': 'c', 'has_spoiler': 'false',
                             'reply_markup': '{"inline_keyboard":[[{"text":"k",'
                                             '"callback_data":"d"}]]}'}
    assert parts['raw'] == ('raw', 'application/octet-stream', b'raw bytes')
    assert parts['barr'][2] == b'bytearray'
    assert parts['mview'][2] == b'memoryview'
    assert parts['path'] == ('report.pdf', 'application/pdf', b'%PDF-1.4 pdf bytes')
    assert parts['fileobj'] == ('clip.mp4', 'video/mp4', b'mp4 bytes')
    assert parts['pair_bytes'] == ('cat.jpg', 'image/jpeg', b'jpeg bytes')
    assert parts['pair_file'] == ('renamed.png', 'image/png', b'png bytes')
    assert parts['stream'] == ('stream', 'application/octet-stream', b'anonymous stream')


def test_file_object_is_sent_from_its_current_position(transport, server):
    f = io.BytesIO(b'HEADERpayload')
    f.seek(6)
    transport.request('sendDocument', {'chat_id': 1, 'document': f})
    parts = parse_multipart(server.seen[0][1], server.seen[0][2])
    assert parts['document'][2] == b'payload'


def test_non_seekable_stream_is_read_once(transport, server):
    class Pipe:
        def __init__(self):
            self.reads = 0

        def read(self, n=-1):
            self.reads += 1
            return b'' if self.reads > 1 else b'from a pipe'

    pipe = Pipe()
    transport.request('sendDocument', {'chat_id': 1, 'document': pipe})
    parts = parse_multipart(server.seen[0][1], server.seen[0][2])
    assert parts['document'][2] == b'from a pipe'
    assert pipe.reads == 1


def test_path_is_opened_and_closed_by_the_transport(transport, server, tmp_path, monkeypatch):
    target = tmp_path / 'a.txt'
    target.write_bytes(b'text')
    opened = []
    real_open = open

    def spy_open(file, mode='r', *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        if os.fspath(file) == os.fspath(target):
            opened.append(f)
        return f

    monkeypatch.setattr('builtins.open', spy_open)
    transport.request('sendDocument', {'chat_id': 1, 'document': target})
    assert opened and all(f.closed for f in opened)


def test_filename_with_quotes_is_escaped(transport, server):
    transport.request('sendDocument', {'chat_id': 1, 'document': ('my "best" file.txt', b'x')})
    parts = parse_multipart(server.seen[0][1], server.seen[0][2])
    assert parts['document'][0] == 'my "best" file.txt'


def test_media_group_files_get_unique_attach_names(transport, server, tmp_path):
    video = tmp_path / 'v.mp4'
    video.write_bytes(b'video')
    media = [
        {'type': 'photo', 'media': b'photo one', 'caption': 'first', 'parse_mode': None},
        {'type': 'photo', 'media': 'AgACfileid'},
        {'type': 'video', 'media': video, 'thumbnail': ('t.jpg', b'thumb'),
         'cover': io.BytesIO(b'cover')},
    ]
    transport.request('sendMediaGroup', {'chat_id': 1, 'media': media})
    parts = parse_multipart(server.seen[0][1], server.seen[0][2])
    sent = json.loads(fields(parts)['media'])
    assert sent[1] == {'type': 'photo', 'media': 'AgACfileid'}
    assert sent[0] == {'type': 'photo', 'media': sent[0]['media'], 'caption': 'first'}
    names = [sent[0]['media'], sent[2]['media'], sent[2]['thumbnail'], sent[2]['cover']]
    assert all(n.startswith('attach://') for n in names)
    names = [n[len('attach://'):] for n in names]
    assert len(set(names)) == 4
    assert parts[names[0]][2] == b'photo one'
    assert parts[names[1]][:2] == ('v.mp4', 'video/mp4') and parts[names[1]][2] == b'video'
    assert parts[names[2]] == ('t.jpg', 'image/jpeg', b'thumb')
    assert parts[names[3]][2] == b'cover'
    assert set(parts) == {'chat_id', 'media', *names}


def test_top_level_thumbnail_and_nested_objects_together(transport, server):
    transport.request('sendVideo', {'chat_id': 1, 'video': b'v', 'thumbnail': ('t.jpg', b't'),
                                    'cover': 'https://example.com/c.jpg'})
    parts = parse_multipart(server.seen[0][1], server.seen[0][2])
    assert parts['video'][2] == b'v' and parts['thumbnail'][2] == b't'
    assert fields(parts)['cover'] == 'https://example.com/c.jpg'


InputMediaPhoto = collections.namedtuple('InputMediaPhoto', 'type media caption')


@pytest.mark.parametrize('method, params, locate', [
    # editMessageMedia: one InputMedia object
    ('editMessageMedia', {'chat_id': 1, 'message_id': 2,
                          'media': {'type': 'document', 'media': b'DOC',
                                    'thumbnail': b'THUMB'}},
     lambda o: [o['media']['media'], o['media']['thumbnail']]),
    # addStickerToSet: InputSticker
    ('addStickerToSet', {'user_id': 1, 'name': 'set',
                         'sticker': {'sticker': b'STK', 'format': 'static', 'emoji_list': ['x']}},
     lambda o: [o['sticker']['sticker']]),
    # createNewStickerSet: list of InputSticker
    ('createNewStickerSet', {'user_id': 1, 'name': 'set', 'title': 'T',
                             'stickers': [{'sticker': b'S1', 'format': 'static'},
                                          {'sticker': 'fileid', 'format': 'static'},
                                          {'sticker': b'S2', 'format': 'static'}]},
     lambda o: [o['stickers'][0]['sticker'], o['stickers'][2]['sticker']]),
    # setMyProfilePhoto / InputProfilePhoto
    ('setBusinessAccountProfilePhoto', {'business_connection_id': 'b',
                                        'photo': {'type': 'static', 'photo': b'PHOTO'}},
     lambda o: [o['photo']['photo']]),
    # postStory: InputStoryContent
    ('postStory', {'business_connection_id': 'b', 'active_period': 86400,
                   'content': {'type': 'video', 'video': b'STORY', 'cover_frame_timestamp': 1.5}},
     lambda o: [o['content']['video']]),
    # sendPaidMedia: InputPaidMedia list
    ('sendPaidMedia', {'chat_id': 1, 'star_count': 5,
                       'media': [{'type': 'video', 'media': b'PAID', 'cover': b'COVER'}]},
     lambda o: [o['media'][0]['media'], o['media'][0]['cover']]),
    # namedtuples holding files
    ('sendMediaGroup', {'chat_id': 1, 'media': [InputMediaPhoto('photo', b'NT', None)]},
     lambda o: [o['media'][0]['media']]),
])
def test_nested_files_in_input_objects(transport, server, method, params, locate):
    transport.request(method, params)
    ctype, body = server.seen[0][1], server.seen[0][2]
    parts = parse_multipart(ctype, body)
    text = fields(parts)
    decoded = {k: (json.loads(v) if v[:1] in '[{' else v) for k, v in text.items()}
    references = locate(decoded)
    assert references and all(r.startswith('attach://') for r in references)
    payloads = [parts[r[len('attach://'):]][2] for r in references]
    originals = []

    def collect(value):
        if isinstance(value, bytes):
            originals.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                collect(v)
    collect(params)
    assert sorted(payloads) == sorted(originals)
    assert 'caption' not in json.dumps(decoded) or method != 'sendMediaGroup'


def test_multipart_streams_big_files_in_chunks(tmp_path):
    big = tmp_path / 'big.bin'
    size = 3 * 1024 * 1024 + 17
    with open(big, 'wb') as f:
        f.write(os.urandom(size))
    body, headers = _encoding.encode({'chat_id': 1, 'document': big})
    chunks = list(body)
    assert len(chunks) > 40
    assert max(len(c) for c in chunks) <= 2 * 65536
    total = sum(len(c) for c in chunks)
    assert total == len(body) == int(headers['Content-Length'])
    parts = parse_multipart(headers['Content-Type'], b''.join(chunks))
    assert parts['document'][2] == big.read_bytes()
    body.close()


def test_multipart_body_can_be_iterated_again_identically(tmp_path):
    f = io.BytesIO(b'0123456789' * 10000)
    path = tmp_path / 'p.bin'
    path.write_bytes(b'path bytes')
    body, headers = _encoding.encode({'chat_id': 1, 'document': f, 'thumbnail': path})
    first = b''.join(body)
    second = b''.join(body)
    assert first == second and len(first) == len(body)


def test_file_that_shrinks_during_upload_fails_instead_of_corrupting(tmp_path):
    path = tmp_path / 'shrinks.bin'
    path.write_bytes(b'x' * 1000)
    body, _ = _encoding.encode({'chat_id': 1, 'document': path})
    path.write_bytes(b'x' * 10)
    with pytest.raises(OSError, match='shrank'):
        b''.join(body)
    body.close()


def test_url_building_with_base_paths_and_env(monkeypatch):
    monkeypatch.setenv(api.API_URL_ENV, 'http://127.0.0.1:8081/prefix/')
    t = api.Transport(TOKEN, session=requests.Session())
    assert t.base_url == 'http://127.0.0.1:8081/prefix'
    assert t._prefix == '/prefix/bot%s/' % TOKEN
    assert t._file_prefix == '/prefix/file/bot%s/' % TOKEN
    t2 = api.Transport(TOKEN, base_url='https://example.org', base_file_url='http://files.local')
    assert t2.base_url == 'https://example.org' and t2.base_file_url == 'http://files.local'
    monkeypatch.delenv(api.API_URL_ENV)
    assert api.Transport(TOKEN).base_url == api.DEFAULT_API_URL
    with pytest.raises(ValueError):
        api.Transport(TOKEN, base_url='ftp://example.org')


def test_repr_shows_no_token():
    t = api.Transport(TOKEN, base_url=BASE)
    assert TOKEN not in repr(t) and TOKEN.split(':')[1] not in repr(t)
    assert 'api.test' in repr(t)


def test_text_mode_file_is_refused(transport, server, tmp_path):
    path = tmp_path / 'notes.txt'
    path.write_text('hello')
    with open(path) as text_file:
        with pytest.raises(TypeError, match='binary mode'):
            transport.request('sendDocument', {'chat_id': 1, 'document': text_file})
    assert server.seen == []

"""The fake Telegram server over raw HTTP: HTTP/1.1 handling, request encodings, API semantics."""
from __future__ import annotations

import http.client
import json
import socket
import uuid
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode

import pytest

from telepot_ng._generated import spec
from telepot_ng.testing.server import DEFAULT_TOKEN

TOKEN = DEFAULT_TOKEN


def _flat(params: Dict[str, Any]) -> Dict[str, str]:
    """Form/query/multipart values: nested objects JSON-serialised, as bots send them."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}


def multipart(params: Dict[str, Any],
              files: Dict[str, Tuple[str, bytes, str]]) -> Tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = []
    for k, v in _flat(params).items():
        out.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                    % (boundary, k, v)).encode())
    for field, (name, data, ctype) in files.items():
        out.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                    'Content-Type: %s\r\n\r\n' % (boundary, field, name, ctype)).encode()
                   + data + b'\r\n')
    out.append(('--%s--\r\n' % boundary).encode())
    return b''.join(out), 'multipart/form-data; boundary=' + boundary


class Raw:
    """A raw HTTP/1.1 client on one keep-alive connection to the fake."""

    def __init__(self, tg: Any, timeout: float = 10.0) -> None:
        self.tg = tg
        self.conn = http.client.HTTPConnection('127.0.0.1', tg.port, timeout=timeout)

    def close(self) -> None:
        self.conn.close()

    def request(self, verb: str, path: str, body: Optional[bytes] = None,
                headers: Optional[Dict[str, str]] = None) -> Tuple[int, bytes, Any]:
        self.conn.request(verb, path, body, headers or {})
        res = self.conn.getresponse()
        return res.status, res.read(), res

    def call(self, method: str, params: Optional[Dict[str, Any]] = None, *,
             encoding: str = 'json', files: Optional[Dict[str, Tuple[str, bytes, str]]] = None,
             token: str = TOKEN) -> Tuple[int, Dict[str, Any]]:
        params = params or {}
        path = '/bot%s/%s' % (token, method)
        if encoding == 'query':
            status, body, _ = self.request('GET', path + ('?' + urlencode(_flat(params))
                                                          if params else ''))
        elif encoding == 'form':
            status, body, _ = self.request('POST', path, urlencode(_flat(params)).encode(),
                                           {'Content-Type': 'application/x-www-form-urlencoded'})
        elif encoding == 'multipart':
            data, ctype = multipart(params, files or {})
            status, body, _ = self.request('POST', path, data, {'Content-Type': ctype})
        else:
            status, body, _ = self.request('POST', path, json.dumps(params).encode(),
                                           {'Content-Type': 'application/json'})
        return status, json.loads(body)

    def ok(self, method: str, params: Optional[Dict[str, Any]] = None, **kw: Any) -> Any:
        status, answer = self.call(method, params, **kw)
        assert status == 200 and answer['ok'], answer
        return answer['result']


@pytest.fixture
def raw(fake_telegram):
    client = Raw(fake_telegram)
    yield client
    client.close()


def read_responses(sock: socket.socket, n: int) -> List[Tuple[int, bytes, Dict[str, str]]]:
    """Read ``n`` Content-Length framed responses from a raw socket."""
    buf = b''
    out = []
    while len(out) < n:
        end = buf.find(b'\r\n\r\n')
        if end >= 0:
            lines = buf[:end].decode('latin-1').split('\r\n')
            headers = {k.lower(): v.strip() for k, _, v in (l.partition(':') for l in lines[1:])}
            length = int(headers.get('content-length', 0))
            if len(buf) >= end + 4 + length:
                out.append((int(lines[0].split()[1]), buf[end + 4:end + 4 + length], headers))
                buf = buf[end + 4 + length:]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return out


def raw_socket(tg: Any) -> socket.socket:
    return socket.create_connection(('127.0.0.1', tg.port), timeout=10)


def json_request(path: str, params: Dict[str, Any], extra: str = '') -> bytes:
    body = json.dumps(params).encode()
    return (('POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
             'Content-Length: %d\r\n%s\r\n' % (path, len(body), extra)).encode() + body)


# -- HTTP/1.1 ------------------------------------------------------------------------------------
def test_keep_alive_connection_ids(fake_telegram, raw):
    raw.ok('getMe')
    raw.ok('getMe')
    other = Raw(fake_telegram)
    other.ok('getMe')
    other.close()
    conns = [c.connection for c in fake_telegram.requests('getMe')]
    assert conns[0] == conns[1] != conns[2]


def test_pipelined_requests_answered_in_order(fake_telegram):
    path = '/bot%s/sendMessage' % TOKEN
    with raw_socket(fake_telegram) as sock:
        sock.sendall(b''.join(json_request(path, {'chat_id': 7, 'text': 'm%d' % i})
                              for i in range(5)))
        answers = read_responses(sock, 5)
    texts = [json.loads(body)['result']['text'] for _, body, _ in answers]
    ids = [json.loads(body)['result']['message_id'] for _, body, _ in answers]
    assert texts == ['m0', 'm1', 'm2', 'm3', 'm4']
    assert ids == sorted(ids) and len(set(ids)) == 5


def test_pipelined_request_waits_behind_a_long_poll(fake_telegram):
    """A request pipelined behind a long poll is answered after it, on the same connection."""
    path = '/bot%s/' % TOKEN
    with raw_socket(fake_telegram) as sock:
        sock.sendall(json_request(path + 'getUpdates', {'timeout': 5})
                     + json_request(path + 'getMe', {}))
        assert fake_telegram.wait_polling(5)
        fake_telegram.push_update({'message': {'message_id': 1, 'date': 0, 'text': 'x',
                                               'chat': {'id': 9, 'type': 'private'}}})
        (s1, b1, _), (s2, b2, _) = read_responses(sock, 2)
    assert json.loads(b1)['result'][0]['message']['text'] == 'x'
    assert json.loads(b2)['result']['is_bot'] is True


def test_chunked_request_body(fake_telegram):
    body = json.dumps({'chat_id': 3, 'text': 'chunky'}).encode()
    parts = [body[:5], body[5:17], body[17:]]
    chunked = b''.join(b'%x\r\n%s\r\n' % (len(p), p) for p in parts) + b'0\r\n\r\n'
    head = ('POST /bot%s/sendMessage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
            'Transfer-Encoding: chunked\r\n\r\n' % TOKEN).encode()
    with raw_socket(fake_telegram) as sock:
        sock.sendall(head + chunked[:9])          # split mid-chunk across writes
        sock.sendall(chunked[9:])
        (status, answer, _), = read_responses(sock, 1)
    assert status == 200
    assert json.loads(answer)['result']['text'] == 'chunky'


def test_expect_100_continue(fake_telegram):
    path = '/bot%s/sendMessage' % TOKEN
    req = json_request(path, {'chat_id': 3, 'text': 'hi'}, 'Expect: 100-continue\r\n')
    head, body = req.split(b'\r\n\r\n', 1)
    with raw_socket(fake_telegram) as sock:
        sock.sendall(head + b'\r\n\r\n')
        assert sock.recv(100).startswith(b'HTTP/1.1 100 Continue\r\n\r\n')
        sock.sendall(body)
        (status, _, _), = read_responses(sock, 1)
    assert status == 200


def test_connection_close_and_http10(fake_telegram):
    for extra, version in (('Connection: close\r\n', 'HTTP/1.1'), ('', 'HTTP/1.0')):
        req = json_request('/bot%s/getMe' % TOKEN, {}, extra).replace(b'HTTP/1.1', version.encode())
        with raw_socket(fake_telegram) as sock:
            sock.sendall(req)
            (status, _, headers), = read_responses(sock, 1)
            assert status == 200 and headers.get('connection') == 'close'
            assert sock.recv(10) == b''                     # the server closed it


def test_malformed_request_gets_400_and_close(fake_telegram):
    with raw_socket(fake_telegram) as sock:
        sock.sendall(b'NONSENSE\r\n\r\n')
        (status, _, _), = read_responses(sock, 1)
        assert status == 400
        assert sock.recv(10) == b''


def test_oversized_head_gets_431(fake_telegram):
    with raw_socket(fake_telegram) as sock:
        sock.sendall(b'GET /x HTTP/1.1\r\nX-Big: ' + b'a' * 70000 + b'\r\n')
        (status, _, _), = read_responses(sock, 1)
    assert status == 431


# -- request encodings ---------------------------------------------------------------------------
@pytest.mark.parametrize('encoding', ['query', 'form', 'json', 'multipart'])
def test_every_encoding_decodes_to_typed_params(fake_telegram, raw, encoding):
    markup = {'inline_keyboard': [[{'text': 'A', 'callback_data': 'a'}]]}
    result = raw.ok('sendMessage', {'chat_id': 42, 'text': 'hé', 'reply_markup': markup,
                                    'disable_notification': True}, encoding=encoding)
    assert result['reply_markup'] == markup and result['text'] == 'hé'
    call, = fake_telegram.sent('sendMessage')
    assert call.encoding == encoding
    assert call.params == {'chat_id': 42, 'text': 'hé', 'reply_markup': markup,
                           'disable_notification': True}


def test_method_names_are_case_insensitive(fake_telegram, raw):
    for name in ('SENDMESSAGE', 'sendmessage', 'SendMessage'):
        raw.ok(name, {'chat_id': 1, 'text': name})
    assert [c.method for c in fake_telegram.sent()] == ['sendMessage'] * 3


def test_wrong_token_is_401(fake_telegram, raw):
    for token in ('123456789:wrong', 'garbage'):
        status, answer = raw.call('getMe', token=token)
        assert (status, answer) == (401, {'ok': False, 'error_code': 401,
                                          'description': 'Unauthorized'})
    status, body, _ = raw.request('GET', '/file/bot123:wrong/photos/file_1.jpg')
    assert status == 401
    assert fake_telegram.requests() == []


def test_unknown_method_and_path_are_404(raw):
    assert raw.call('noSuchMethod') == (404, {'ok': False, 'error_code': 404,
                                              'description': 'Not Found'})
    status, body, _ = raw.request('GET', '/elsewhere')
    assert status == 404


def test_missing_required_parameters_are_400_for_every_method(raw):
    checked = 0
    for name, (_, params) in spec.METHODS.items():
        required = [p for p, req, _ in params if req]
        if not required:
            continue
        status, answer = raw.call(name, {})
        assert status == 400, (name, answer)
        assert answer['description'].startswith('Bad Request: ')
        assert required[0] in answer['description'], (name, answer)
        checked += 1
    assert checked > 120


def test_specific_missing_parameter_messages(raw):
    assert raw.call('sendMessage', {'chat_id': 1})[1]['description'] == \
        'Bad Request: message text is empty'
    assert raw.call('sendMessage', {'chat_id': 1, 'text': ''})[1]['description'] == \
        'Bad Request: message text is empty'
    assert raw.call('sendMessage', {'text': 'x'})[1]['description'] == \
        'Bad Request: chat_id is empty'
    assert raw.call('sendPhoto', {'chat_id': 1})[1]['description'] == \
        'Bad Request: there is no photo in the request'


def test_unparsable_values_are_400(raw):
    status, answer = raw.call('sendMessage', {'chat_id': 1, 'text': 'x', 'reply_markup': '{bad'},
                              encoding='form')
    assert (status, answer['description']) == (
        400, "Bad Request: can't parse reply keyboard markup JSON object")
    status, answer = raw.call('getUpdates', {'limit': 'many'}, encoding='query')
    assert status == 400
    status, body, _ = raw.request('POST', '/bot%s/getMe' % TOKEN, b'{not json',
                                  {'Content-Type': 'application/json'})
    assert status == 400


def _sample(ptype: Tuple[str, ...], name: str, ctx: Dict[str, Any]) -> Any:
    t = ptype[0]
    if name in ctx and not (isinstance(ctx[name], str) and t in spec.TYPES):
        return ctx[name]
    if t == 'Integer':
        return 1
    if t == 'Float':
        return 1.5
    if t == 'Boolean':
        return True
    if t == 'String':
        return 'x'
    if t.startswith('Array of'):
        return []
    return _sample_object(t)


def _sample_object(t: str) -> Dict[str, Any]:
    """A valid object of spec type ``t`` (the first kind of a union): its required fields."""
    name = (spec.SUBTYPES.get(t) or (t,))[0]
    obj = {f: _sample(types, f, {}) if not types[0].startswith('Array of ') else
           [_sample((types[0][9:],), f, {})] for f, req, types in spec.TYPES[name] if req}
    obj.update(spec.CONSTANTS.get(name, ()))
    return obj


def test_every_spec_method_answers_with_required_parameters(fake_telegram, raw):
    """Each method (10.3 and supplement), given its required parameters, answers a plausible result."""
    alice = fake_telegram.user('Alice')
    msg = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'base',
                                 'reply_markup': {'inline_keyboard': [[{'text': 'b',
                                                                        'callback_data': 'b'}]]}})
    poll = raw.ok('sendPoll', {'chat_id': alice.id, 'question': 'q',
                               'options': [{'text': 'a'}, {'text': 'b'}]})
    doc = raw.ok('sendDocument', {'chat_id': alice.id}, encoding='multipart',
                 files={'document': ('a.txt', b'abc', 'text/plain')})
    ctx = {'chat_id': alice.id, 'from_chat_id': alice.id, 'user_id': alice.id,
           'message_id': msg['message_id'], 'message_ids': [msg['message_id']],
           'file_id': doc['document']['file_id'], 'url': '', 'sticker': 'CAAC',
           'media': [{'type': 'photo', 'media': doc['document']['file_id']}] * 2,
           'results': [], 'commands': [], 'options': [{'text': 'a'}, {'text': 'b'}],
           'prices': [{'label': 'x', 'amount': 1}]}
    failures = {}
    for name, (returns, params) in spec.METHODS.items():
        if name in ('getUpdates', 'logOut', 'close', 'answerCallbackQuery', 'answerInlineQuery',
                    'deleteMessage', 'deleteMessages', 'editMessageMedia',
                    'leaveChat'):      # groups only (test_testing_rules)
            continue
        args = {p: _sample(t, p, ctx) for p, req, t in params if req}
        if returns == ('Message', 'Boolean'):     # the chat_id+message_id form of the target
            args.update((p, ctx[p]) for p, _, _ in params if p in ('chat_id', 'message_id'))
        if name == 'stopPoll':
            args['message_id'] = poll['message_id']
        if name == 'editMessageText':
            args['text'] = 'edited'
        if name == 'editMessageCaption':
            continue    # the base message has no caption
        if name == 'editMessageReplyMarkup':
            args['reply_markup'] = {'inline_keyboard': [[{'text': 'c', 'callback_data': 'c'}]]}
        files = {p: ('f.bin', b'data', 'application/octet-stream')
                 for p, req, t in params if req and 'InputFile' in t}
        for p in files:
            args.pop(p, None)
        status, answer = raw.call(name, args, encoding='multipart' if files else 'json',
                                  files=files)
        if status != 200:
            failures[name] = answer
            continue
        result = answer['result']
        if returns[0] == 'Boolean':
            assert result is True, name
        elif returns[0] == 'Message':
            assert 'message_id' in result, name
        elif returns[0].startswith('Array of'):
            assert isinstance(result, list), name
        elif returns[0] in spec.TYPES:
            required = [f for f, req, _ in spec.TYPES[returns[0]] if req]
            assert all(f in result for f in required), (name, result)
    # the generic ones must all pass; a few special ones legitimately refuse these arguments
    # (the ephemeral and widget ones need an existing ephemeral message, widget or query:
    # tests/test_bot_api_news.py calls them with real ones)
    assert set(failures) <= {'editMessageChecklist', 'stopMessageLiveLocation',
                             'editEphemeralMessageText', 'editEphemeralMessageMedia',
                             'editEphemeralMessageCaption', 'editEphemeralMessageReplyMarkup',
                             'deleteEphemeralMessage', 'answerWidgetQuery', 'sendSharedWidget',
                             'editMessageWidgetData', 'editSharedWidgetData'}, failures
    for name, answer in failures.items():
        assert answer['error_code'] == 400, (name, answer)      # a clean refusal


# -- semantics -----------------------------------------------------------------------------------
def test_message_ids_increase_per_chat(fake_telegram, raw):
    alice, bob = fake_telegram.user('Alice'), fake_telegram.user('Bob')
    ids: Dict[int, List[int]] = {alice.id: [], bob.id: []}
    for i in range(6):
        chat = alice if i % 2 else bob
        ids[chat.id].append(raw.ok('sendMessage', {'chat_id': chat.id, 'text': str(i)})
                            ['message_id'])
    alice.says('in between')
    ids[alice.id].append(raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'x'})['message_id'])
    assert ids[bob.id] == [1, 2, 3]
    assert ids[alice.id] == [1, 2, 3, 5]        # 4 was Alice's own message


def test_sent_message_shape(fake_telegram, raw):
    alice = fake_telegram.user('Alice', username='alice')
    m = raw.ok('sendMessage', {'chat_id': '@alice', 'text': 'hi',
                               'entities': [{'type': 'bold', 'offset': 0, 'length': 2}]})
    assert m['from'] == {'id': 123456789, 'is_bot': True, 'first_name': 'Fake Bot',
                         'username': 'fake_123456789_bot'}
    assert m['chat'] == {'id': alice.id, 'type': 'private', 'first_name': 'Alice',
                         'username': 'alice'}
    assert isinstance(m['date'], int) and m['entities'][0]['type'] == 'bold'
    assert fake_telegram.sent('sendMessage', chat_id=alice)[0].chat_id == alice.id


def test_upload_then_get_file_then_download(fake_telegram, raw):
    payload = bytes(range(256)) * 40
    doc = raw.ok('sendDocument', {'chat_id': 5, 'caption': 'report',
                                  'reply_markup': {'inline_keyboard': []}},
                 encoding='multipart', files={'document': ('report.pdf', payload,
                                                           'application/pdf')})
    d = doc['document']
    assert d['file_name'] == 'report.pdf' and d['file_size'] == len(payload)
    assert d['mime_type'] == 'application/pdf' and doc['caption'] == 'report'
    assert d['file_id'] and d['file_unique_id']
    call, = fake_telegram.sent('sendDocument')
    assert call.files == [{'field': 'document', 'file_name': 'report.pdf',
                           'content_type': 'application/pdf', 'size': len(payload)}]
    f = raw.ok('getFile', {'file_id': d['file_id']})
    assert f['file_size'] == len(payload) and f['file_path'].startswith('documents/')
    status, body, res = raw.request('GET', '/file/bot%s/%s' % (TOKEN, f['file_path']))
    assert status == 200 and body == payload
    assert res.getheader('Content-Type') == 'application/pdf'
    assert raw.request('GET', '/file/bot%s/documents/nope' % TOKEN)[0] == 404
    assert raw.call('getFile', {'file_id': 'nope'})[0] == 400
    # the same file_id can be sent again without an upload
    again = raw.ok('sendDocument', {'chat_id': 6, 'document': d['file_id']})
    assert again['document']['file_id'] == d['file_id']
    assert raw.call('sendDocument', {'chat_id': 6, 'document': 'unknown-id'})[0] == 400


def test_photo_has_photo_sizes(fake_telegram, raw):
    m = raw.ok('sendPhoto', {'chat_id': 5}, encoding='multipart',
               files={'photo': ('p.jpg', b'\xff\xd8' + b'x' * 3000, 'image/jpeg')})
    sizes = m['photo']
    assert len(sizes) == 3
    assert [s['width'] for s in sizes] == sorted(s['width'] for s in sizes)
    assert all({'file_id', 'file_unique_id', 'width', 'height', 'file_size'} <= set(s)
               for s in sizes)
    assert sizes[-1]['file_size'] == 3002
    for s in sizes:        # every size can be fetched
        assert raw.ok('getFile', {'file_id': s['file_id']})['file_path'].startswith('photos/')


def test_media_group_with_attachments(fake_telegram, raw):
    media = [{'type': 'photo', 'media': 'attach://one', 'caption': 'first'},
             {'type': 'document', 'media': 'attach://two'}]
    msgs = raw.ok('sendMediaGroup', {'chat_id': 8, 'media': media}, encoding='multipart',
                  files={'one': ('1.jpg', b'11', 'image/jpeg'),
                         'two': ('2.txt', b'222', 'text/plain')})
    assert len(msgs) == 2
    assert msgs[0]['media_group_id'] == msgs[1]['media_group_id']
    assert msgs[1]['message_id'] == msgs[0]['message_id'] + 1
    assert msgs[0]['caption'] == 'first' and msgs[1]['document']['file_name'] == '2.txt'
    status, answer = raw.call('sendMediaGroup', {'chat_id': 8, 'media': [media[0]] * 2},
                              encoding='json')
    assert status == 400 and 'attached' in answer['description']


def test_edit_and_delete(fake_telegram, raw):
    m = raw.ok('sendMessage', {'chat_id': 5, 'text': 'v1',
                               'reply_markup': {'inline_keyboard': [[{'text': 'k',
                                                                      'callback_data': 'k'}]]}})
    ref = {'chat_id': 5, 'message_id': m['message_id']}
    e = raw.ok('editMessageText', dict(ref, text='v2'))
    assert e['text'] == 'v2' and 'edit_date' in e and 'reply_markup' not in e
    assert fake_telegram.message(5, m['message_id'])['text'] == 'v2'
    status, answer = raw.call('editMessageText', dict(ref, text='v2'))
    assert status == 400 and 'message is not modified' in answer['description']
    assert raw.call('editMessageText', {'chat_id': 5, 'message_id': 999, 'text': 'z'})[1][
        'description'] == 'Bad Request: message to edit not found'
    assert raw.ok('editMessageText', {'inline_message_id': 'abc', 'text': 'z'}) is True
    markup = {'inline_keyboard': [[{'text': 'n', 'callback_data': 'n'}]]}
    assert raw.ok('editMessageReplyMarkup', dict(ref, reply_markup=markup))['reply_markup'] == \
        markup
    assert raw.ok('deleteMessage', ref) is True
    assert raw.call('deleteMessage', ref)[1]['description'] == \
        'Bad Request: message to delete not found'
    assert fake_telegram.message(5, m['message_id']) is None


def test_users_messages_cannot_be_edited_by_the_bot(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    m = alice.says('mine')
    status, answer = raw.call('editMessageText', {'chat_id': alice.id,
                                                  'message_id': m['message_id'], 'text': 'x'})
    assert status == 400 and "can't be edited" in answer['description']


def test_forward_and_copy(fake_telegram, raw):
    alice, bob = fake_telegram.user('Alice'), fake_telegram.user('Bob')
    m = alice.says('original')
    f = raw.ok('forwardMessage', {'chat_id': bob.id, 'from_chat_id': alice.id,
                                  'message_id': m['message_id']})
    assert f['text'] == 'original' and f['chat']['id'] == bob.id
    assert f['forward_origin']['sender_user']['id'] == alice.id
    c = raw.ok('copyMessage', {'chat_id': bob.id, 'from_chat_id': alice.id,
                               'message_id': m['message_id']})
    assert c == {'message_id': f['message_id'] + 1}
    assert fake_telegram.message(bob, c['message_id'])['text'] == 'original'
    assert 'forward_origin' not in fake_telegram.message(bob, c['message_id'])
    assert raw.call('forwardMessage', {'chat_id': bob.id, 'from_chat_id': alice.id,
                                       'message_id': 77})[1]['description'] == \
        'Bad Request: message to forward not found'
    ids = raw.ok('copyMessages', {'chat_id': bob.id, 'from_chat_id': alice.id,
                                  'message_ids': [m['message_id']]})
    assert ids == [{'message_id': c['message_id'] + 1}]


def test_replies(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    m = alice.says('question')
    r = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'answer',
                               'reply_parameters': {'message_id': m['message_id']}})
    assert r['reply_to_message']['text'] == 'question'
    legacy = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'a2',
                                    'reply_to_message_id': m['message_id']}, encoding='form')
    assert legacy['reply_to_message']['message_id'] == m['message_id']
    assert raw.call('sendMessage', {'chat_id': alice.id, 'text': 'x',
                                    'reply_parameters': {'message_id': 999}})[1][
        'description'] == 'Bad Request: message to be replied not found'


def test_queries_answered_once(fake_telegram, raw):
    alice = fake_telegram.user('Alice')
    m = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'pick',
                               'reply_markup': {'inline_keyboard': [[{'text': 'Yes',
                                                                      'callback_data': 'y'}]]}})
    q = alice.presses(m, 'y')
    assert raw.ok('answerCallbackQuery', {'callback_query_id': q['id'], 'text': 'ok'}) is True
    assert raw.call('answerCallbackQuery', {'callback_query_id': q['id']})[0] == 400
    assert raw.call('answerCallbackQuery', {'callback_query_id': 'bogus'})[0] == 400
    iq = alice.asks_inline('cats')
    assert raw.ok('answerInlineQuery', {'inline_query_id': iq['id'], 'results': []}) is True
    assert raw.call('answerInlineQuery', {'inline_query_id': iq['id'], 'results': []})[0] == 400


def test_chat_information(fake_telegram, raw):
    alice, bob = fake_telegram.user('Alice'), fake_telegram.user('Bob')
    group = fake_telegram.group('Friends', members=[alice, bob])
    chat = raw.ok('getChat', {'chat_id': group.id})
    assert chat['id'] == group.id and chat['type'] == 'group' and chat['title'] == 'Friends'
    assert 'accent_color_id' in chat and 'max_reaction_count' in chat
    assert raw.ok('getChatMemberCount', {'chat_id': group.id}) == 3
    assert raw.ok('getChatMember', {'chat_id': group.id, 'user_id': alice.id})['status'] == \
        'member'
    carol = fake_telegram.user('Carol')
    assert raw.ok('getChatMember', {'chat_id': group.id, 'user_id': carol.id})['status'] == 'left'
    channel = fake_telegram.channel('News', username='newsroom')
    post = raw.ok('sendMessage', {'chat_id': '@newsroom', 'text': 'extra'})
    assert post['chat']['id'] == channel.id and post['sender_chat']['id'] == channel.id
    assert 'from' not in post
    raw.ok('setMyCommands', {'commands': [{'command': 'start', 'description': 'Start'}]})
    assert raw.ok('getMyCommands') == [{'command': 'start', 'description': 'Start'}]


def test_strict_chats(fake_telegram, raw):
    assert raw.ok('sendMessage', {'chat_id': 55, 'text': 'lenient'})['chat']['id'] == 55
    fake_telegram.configure(strict_chats=True)
    assert raw.call('sendMessage', {'chat_id': 56, 'text': 'x'})[1]['description'] == \
        'Bad Request: chat not found'
    assert raw.call('sendMessage', {'chat_id': '@nobody', 'text': 'x'})[0] == 400

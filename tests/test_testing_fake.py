"""FakeTelegram's user-facing API: simulated users, the journal, process/remote modes, the fixture."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest

from telepot_ng.testing import FakeTelegram, SimGroup, SimUser

from .test_testing_server import Raw, read_responses

KEYBOARD = {'inline_keyboard': [[{'text': 'Yes', 'callback_data': 'yes'},
                                 {'text': 'No', 'callback_data': 'no'}]]}


def fake_threads():
    return [t for t in threading.enumerate() if t.name.startswith('telepot_ng.testing')]


def echo_once(tg: FakeTelegram) -> None:
    """Play a bot over raw HTTP: answer every pending text message with 'echo: <text>'."""
    client = Raw(tg)
    for update in client.ok('getUpdates', {'timeout': 1}):
        msg = update.get('message')
        if msg and 'text' in msg:
            client.ok('sendMessage', {'chat_id': msg['chat']['id'], 'text': 'echo: ' + msg['text'],
                                      'reply_markup': KEYBOARD})
        client.ok('getUpdates', {'offset': update['update_id'] + 1})
    client.close()


def test_conversation_and_transcript(fake_telegram):
    tg = fake_telegram
    alice, bob = tg.user('Alice'), tg.user('Bob')
    group = tg.group('Friends', members=[alice, bob])
    assert isinstance(alice, SimUser) and isinstance(group, SimGroup)
    assert alice.chat_id == alice.id > 0 and group.id < 0
    m = alice.says('hi')
    assert m['text'] == 'hi' and m['chat']['id'] == alice.id and m['from']['first_name'] == 'Alice'
    bob.says('/start', chat=group)
    echo_once(tg)
    reply = alice.reply(timeout=5)
    assert reply.text == 'echo: hi' and reply.chat_id == alice.id
    assert reply.result['message_id'] == m['message_id'] + 1
    replies = tg.wait_for_sent('sendMessage', chat_id=group, count=1, timeout=5)
    assert replies[0].text == 'echo: /start'
    query = alice.presses(reply, 'yes')
    assert query['data'] == 'yes' and query['message']['message_id'] == reply.result['message_id']
    assert tg.transcript().splitlines() == [
        'Alice: hi', 'Bob @ Friends: /start', 'bot -> Alice: echo: hi',
        'bot -> Friends: echo: /start', 'Alice presses [yes] on #%d' % reply.result['message_id']]


def test_presses_checks_the_current_keyboard(fake_telegram):
    tg = fake_telegram
    alice = tg.user('Alice')
    raw = Raw(tg)
    m = raw.ok('sendMessage', {'chat_id': alice.id, 'text': 'q', 'reply_markup': KEYBOARD})
    assert alice.presses(m, 'No')['data'] == 'no'           # by button text too
    with pytest.raises(ValueError, match='no button'):
        alice.presses(m, 'maybe')
    raw.ok('editMessageReplyMarkup', {'chat_id': alice.id, 'message_id': m['message_id']})
    with pytest.raises(ValueError):
        alice.presses(m, 'yes')                              # the keyboard is gone
    raw.close()


def test_user_actions_become_updates(fake_telegram):
    tg = fake_telegram
    alice, bob = tg.user('Alice', username='alice'), tg.user('Bob')
    group = tg.group('Club', members=[alice], supergroup=True)
    channel = tg.channel('News', username='news')
    first = alice.says('typo')
    alice.edits(first, 'fixed')
    alice.sends_photo(b'JPEG', caption='look')
    doc = alice.sends_document(b'%PDF', file_name='a.pdf')
    alice.sends(location={'latitude': 1.5, 'longitude': 2.5})
    alice.asks_inline('cats')
    alice.chooses_inline_result('r1', query='cats')
    bob.joins(group)
    bob.says('hello club', chat=group)
    bob.leaves(group)
    post = channel.posts('breaking')
    channel.edits_post(post, 'breaking (updated)')
    alice.blocks_bot()
    kinds = [list(r['update'])[1] for r in tg.updates()]
    assert kinds == ['message', 'edited_message', 'message', 'message', 'message',
                     'inline_query', 'chosen_inline_result', 'message', 'chat_member', 'message',
                     'message', 'chat_member', 'channel_post', 'edited_channel_post',
                     'my_chat_member']
    assert tg.file_bytes(doc['document']['file_id']) == b'%PDF'
    assert doc['document']['file_name'] == 'a.pdf'
    # chat_member is not in the default allowed_updates: recorded but not queued
    raw = Raw(tg)
    queued = [list(u)[1] for u in raw.ok('getUpdates')]
    assert 'chat_member' not in queued and queued.count('message') == 7
    assert post['sender_chat']['id'] == channel.id and 'from' not in post
    status, answer = raw.call('sendMessage', {'chat_id': alice.id, 'text': 'still there?'})
    assert (status, answer['description']) == (403, 'Forbidden: bot was blocked by the user')
    with pytest.raises(ValueError, match='not a member'):
        bob.says('let me in', chat=group)
    with pytest.raises(ValueError, match='own messages'):
        bob.edits(first, 'hijack')
    raw.close()


def test_raw_updates_teach_the_world(fake_telegram):
    tg = fake_telegram
    uid = tg.push_update({'message': {'message_id': 40, 'date': 1, 'text': 'raw',
                                      'from': {'id': 77, 'is_bot': False, 'first_name': 'Raw'},
                                      'chat': {'id': 77, 'type': 'private', 'first_name': 'Raw'}}})
    assert uid > 0
    raw = Raw(tg)
    r = raw.ok('sendMessage', {'chat_id': 77, 'text': 're', 'reply_parameters': {'message_id': 40}})
    assert r['message_id'] == 41 and r['reply_to_message']['text'] == 'raw'
    assert r['chat']['first_name'] == 'Raw'
    raw.close()
    with pytest.raises(ValueError):
        tg.push_update({'update_id': 'x', 'message': {}})


def test_wait_for_sent_blocks_until_the_bot_sends(fake_telegram):
    tg = fake_telegram
    alice = tg.user('Alice')
    alice.says('ping')
    t = threading.Thread(target=echo_once, args=(tg,), name='test-bot')
    t.start()
    calls = tg.wait_for_sent(chat_id=alice, count=1, timeout=5)
    t.join(5)
    assert calls[0].text == 'echo: ping'
    assert tg.sent('sendMessage', text='echo: ping')[0].seq == calls[0].seq
    assert tg.sent('sendMessage', text='other') == []


def test_wait_for_sent_timeout_explains(fake_telegram):
    tg = fake_telegram
    t0 = time.monotonic()
    with pytest.raises(TimeoutError, match='1 sendMessage call'):
        tg.wait_for_sent('sendMessage', count=1, timeout=0.1)
    assert time.monotonic() - t0 < 3


def test_since_counts_from_a_mark(fake_telegram):
    tg = fake_telegram
    raw = Raw(tg)
    raw.ok('sendMessage', {'chat_id': 1, 'text': 'before'})
    mark = tg.mark()
    raw.ok('sendMessage', {'chat_id': 1, 'text': 'after'})
    assert [c.text for c in tg.sent(since=mark)] == ['after']
    assert [c.text for c in tg.wait_for_sent(since=mark)] == ['after']
    raw.close()


def test_batch_sends_actions_in_one_go(fake_telegram):
    tg = fake_telegram
    users = [tg.user('U%d' % i) for i in range(5)]
    before = tg.counters()['totals']['updates']
    with tg.batch():
        for i in range(100):
            assert users[i % 5].says('m%d' % i) is None
        assert tg.counters()['totals']['updates'] == before        # nothing pushed yet
    texts = [r['update']['message']['text'] for r in tg.updates()]
    assert texts == ['m%d' % i for i in range(100)]


def test_reset_and_configure(fake_telegram):
    tg = fake_telegram
    tg.user('Alice').says('x')
    tg.configure(bot_name='Renamed', bot_username='renamed_bot')
    raw = Raw(tg)
    assert raw.ok('getMe')['username'] == 'renamed_bot'
    raw.ok('sendMessage', {'chat_id': 1, 'text': 'x'})
    tg.reset()
    assert tg.counters()['seq'] == 0 and tg.updates() == []
    assert raw.ok('getMe')['first_name'] == 'Renamed'     # options survive a reset
    raw.close()
    with pytest.raises(ValueError, match='unknown option'):
        tg.configure(colour='blue')


def test_bot_factory_points_at_the_fake(fake_telegram):
    bot = fake_telegram.bot()     # stopped and closed by the fake's close()
    assert bot.getMe()['username'] == 'fake_123456789_bot'
    alice = fake_telegram.user('Alice')
    bot.sendMessage(alice.chat_id, 'through the real Bot')
    assert fake_telegram.wait_for_sent(chat_id=alice)[0].text == 'through the real Bot'


def test_close_joins_the_thread_and_frees_the_port():
    tg = FakeTelegram().start()
    port = tg.port
    assert any(str(port) in t.name for t in fake_threads())
    tg.close()
    assert fake_threads() == []
    with pytest.raises(ConnectionRefusedError):
        import socket
        socket.create_connection(('127.0.0.1', port), timeout=2).close()
    with pytest.raises(RuntimeError):
        tg.port


def test_close_does_not_wait_for_idle_client_connections():
    """A client's idle keep-alive connection (a bot's pool, a test's socket) is closed by the
    server, not waited for (asyncio's Server.wait_closed waits for them since 3.12.1)."""
    tg = FakeTelegram().start()
    idle = socket.create_connection(('127.0.0.1', tg.port), timeout=10)
    try:
        idle.sendall(b'GET /bot%s/getMe HTTP/1.1\r\nHost: x\r\n\r\n' % tg.token.encode())
        (status, _, _), = read_responses(idle, 1)
        assert status == 200                    # answered, and kept alive: now idle
        closer = threading.Thread(target=tg.close, name='test-closer', daemon=True)
        closer.start()
        closer.join(10)
        assert not closer.is_alive()
        try:
            assert idle.recv(1) == b''          # the server closed our connection...
        except ConnectionResetError:
            pass                                # ...or aborted it
    finally:
        idle.close()
    assert fake_threads() == []


def test_process_mode_round_trip():
    with FakeTelegram(process=True, bot_name='Remote Bot') as tg:
        proc = tg._link.process
        assert fake_threads() == []                       # nothing runs in this process
        alice = tg.user('Alice')
        alice.says('over there')
        echo_once(tg)
        assert alice.reply(timeout=5).text == 'echo: over there'
        raw = Raw(tg)
        assert raw.ok('getMe')['first_name'] == 'Remote Bot'
        tg.fail('getMe', 'error', status=403, description='Forbidden: nope')
        assert raw.call('getMe')[0] == 403
        raw.close()
        assert 'Alice: over there' in tg.transcript()
    assert proc.returncode == 0


def test_connect_to_a_server_started_by_hand():
    proc = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0',
                             '--token', '42:abc'], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith('READY ')
        tg = FakeTelegram('42:abc', connect=('127.0.0.1', int(line.split()[1]))).start()
        raw = Raw(tg)
        assert raw.ok('getMe', token='42:abc')['id'] == 42
        raw.close()
        tg._control('shutdown')
        tg.close()
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


@pytest.mark.fake_telegram(bot_name='Marked Bot', seed=3)
def test_fixture_takes_marker_options(fake_telegram):
    assert isinstance(fake_telegram, FakeTelegram)
    raw = Raw(fake_telegram)
    assert raw.ok('getMe')['first_name'] == 'Marked Bot'
    raw.close()


def test_plugin_is_import_light():
    code = ('import sys, telepot_ng.testing.plugin; '
            'print(any(m.startswith(("telepot_ng.testing.server", "telepot_ng.testing.fake", '
            '"telepot_ng.testing._")) for m in sys.modules))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == 'False', out.stderr

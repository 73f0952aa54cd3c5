"""Real telepot programs, unchanged but for the import, hold scripted conversations with
several simulated users on a FakeTelegram, and the replies are what a telepot user sees.

Each program runs in its own process through ``tests/telepot_programs/run.py``, which makes
``import telepot`` give telepot_ng (the one change a telepot user makes).  The programs
themselves are telepot's published examples (https://github.com/nickoala/telepot, MIT
licence), pinned below by path, commit and size.  They are not copied into this
repository: put them under ``$TELEPOT_CORPUS`` (default ``tests/telepot_programs/corpus``)
at the same paths -- e.g. ``git clone https://github.com/nickoala/telepot`` and point
``TELEPOT_CORPUS`` at the clone -- and these tests run them; without them the tests skip.
Programs written in telepot's style for this repository (``tests/telepot_programs/*.py``)
are driven the same way and always run.

Every wait is on an event (a reply the fake records, a line the program prints); nothing
sleeps hoping the bot is done.
"""
from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from typing import Any, Dict, Iterator, List, Optional

import pytest

from telepot_ng.testing import FakeTelegram

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUNNER = os.path.join(HERE, 'telepot_programs', 'run.py')
CORPUS = os.environ.get('TELEPOT_CORPUS') or os.path.join(HERE, 'telepot_programs', 'corpus')
WAIT = 10.0

#: telepot's examples: path in nickoala/telepot -> (commit, size in characters, generation)
ORIGINALS: Dict[str, Any] = {
    'examples/counter.py': ('3e77e8b38851ccabb97efb47f24b054497701a16', 670, '6.3'),
    'examples/tracker.py': ('3e77e8b38851ccabb97efb47f24b054497701a16', 1381, '6.3'),
    'examples/chat/counter.py': ('34bcfe4b28f29d059433e98016cf8e763a0ff80d', 760, '12'),
    'examples/chat/guess.py': ('34bcfe4b28f29d059433e98016cf8e763a0ff80d', 1905, '12'),
    'examples/chat/chatbox_nodb.py': ('34bcfe4b28f29d059433e98016cf8e763a0ff80d', 6192, '12'),
    'examples/event/alarm.py': ('fcad57d936a3c327b48133e5b6d8112801f90d21', 2442, '12'),
    'examples/callback/vote.py': ('29d8235414c4534d5fa28854b62d72ee8e043efe', 4835, '12'),
    'examples/callback/lover.py': ('29d8235414c4534d5fa28854b62d72ee8e043efe', 3046, '12'),
    'examples/callback/quiz.py': ('4d2198ed9045d219d0e2e990ea0e9bdce96e7ada', 2934, '12'),
    'examples/callback/datecalc.py': ('29d8235414c4534d5fa28854b62d72ee8e043efe', 6148, '12'),
    'examples/simple/skeleton_route.py': ('1dbcc7b118dbfd9fadf53feabe4ddf917c512450', 5685, '12'),
    # telepot 12's asyncio twins (telepot.aio -> telepot_ng.aio): the same conversations
    'examples/chat/countera.py': ('34bcfe4b28f29d059433e98016cf8e763a0ff80d', 866, '12 aio'),
    'examples/chat/guessa.py': ('34bcfe4b28f29d059433e98016cf8e763a0ff80d', 2037, '12 aio'),
    'examples/event/alarma.py': ('fcad57d936a3c327b48133e5b6d8112801f90d21', 2532, '12 aio'),
    'examples/callback/lovera.py': ('29d8235414c4534d5fa28854b62d72ee8e043efe', 3221, '12 aio'),
    'examples/callback/quiza.py': ('4d2198ed9045d219d0e2e990ea0e9bdce96e7ada', 3064, '12 aio'),
    'examples/simple/skeletona.py': ('34bcfe4b28f29d059433e98016cf8e763a0ff80d', 477, '12 aio'),
}

#: a threaded example and its asyncio twin, for the tests that hold one conversation with both
def twins(path: str) -> Any:
    return pytest.mark.parametrize('path', [path, path.replace('.py', 'a.py')],
                                   ids=['threads', 'aio'])


class Program:
    """A telepot program running in a child process against ``tg``; its stdout is read
    line by line so a test can wait for what it prints."""

    def __init__(self, path: str, tg: FakeTelegram, args: List[str] = ()) -> None:
        env = dict(os.environ, TELEPOT_NG_API_URL=tg.base_url, PYTHONUNBUFFERED='1')
        env['PYTHONPATH'] = ROOT + (os.pathsep + env['PYTHONPATH'] if env.get('PYTHONPATH') else '')
        env.pop('TELEGRAM_BOT_TOKEN', None)
        self.proc = subprocess.Popen([sys.executable, RUNNER, path, tg.token] + list(args), env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=os.path.dirname(path))
        self.lines: 'queue.Queue[Optional[str]]' = queue.Queue()
        self.out: List[str] = []
        self.err: List[str] = []
        self._readers = [threading.Thread(target=self._read, args=(self.proc.stdout, True),
                                          name='program-stdout'),
                         threading.Thread(target=self._read, args=(self.proc.stderr, False),
                                          name='program-stderr')]
        for t in self._readers:
            t.start()

    def _read(self, stream: Any, is_out: bool) -> None:
        for line in stream:
            (self.out if is_out else self.err).append(line)
            if is_out:
                self.lines.put(line.rstrip('\n'))
        if is_out:
            self.lines.put(None)

    def printed(self, predicate: Any, timeout: float = WAIT) -> str:
        """Wait for a printed line satisfying ``predicate`` (a str: contained in the line)."""
        test = (lambda line: predicate in line) if isinstance(predicate, str) else predicate
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError('nothing printed matched %r; stdout: %r; stderr: %s'
                                     % (predicate, self.out, ''.join(self.err)[-2000:]))
            if line is None:
                raise AssertionError('the program ended; stderr: %s' % ''.join(self.err)[-3000:])
            if test(line):
                return line

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(WAIT)
        for t in self._readers:
            t.join(WAIT)

    @property
    def stderr(self) -> str:
        return ''.join(self.err)


@contextlib.contextmanager
def running(path: str, tolerate: str = '', args: List[str] = ()) -> Iterator[Any]:
    """A FakeTelegram and ``path`` running against it (``args`` after the token); yields
    (tg, program).  At the end the program must not have logged an error or a traceback
    while it served (except for errors that mention ``tolerate``)."""
    with FakeTelegram() as tg:
        prog = Program(path, tg, args)
        try:
            if not tg.wait_polling(WAIT):
                raise AssertionError('the program never polled; stderr: %s' % prog.stderr)
            yield tg, prog
            served = prog.stderr
        finally:
            prog.stop()
    if tolerate and tolerate in served:
        return
    assert 'Traceback' not in served and 'ERROR' not in served, served


def original(path: str) -> str:
    commit, size, _ = ORIGINALS[path]
    full = os.path.join(CORPUS, path)
    if not os.path.exists(full):
        pytest.skip('telepot example %s (nickoala/telepot@%s) is not under TELEPOT_CORPUS=%s'
                    % (path, commit[:7], CORPUS))
    with open(full, encoding='utf-8') as f:
        text = f.read()
    if len(text) != size:
        pytest.skip('%s is not the pinned version (%d characters, expected %d)'
                    % (path, len(text), size))
    return full


def texts(calls: List[Any]) -> List[Any]:
    return [c.text for c in calls]


# ------------------------------------------------------------------------- telepot 6.3


def test_63_counter_counts_per_chat():
    with running(original('examples/counter.py')) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        for n in (1, 2, 3):
            alice.says('hi')
            assert alice.reply().text == str(n)
            if n < 3:
                bob.says('yo')
                assert bob.reply().text == str(n)


def test_63_tracker_counts_flavors_in_a_dict_keyed_normal():
    # telepot 6.3 keyed its dict by 'normal': notifyOnMessage's messages carry 6.3's names
    with running(original('examples/tracker.py')) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('hello')
        assert prog.printed('%d : normal +1 : 1, 0, 0' % alice.id)
        bob.says('hello')
        assert prog.printed('%d : normal +1 : 1, 0, 0' % bob.id)
        alice.asks_inline('abc')
        assert prog.printed('%d : inline_query +1 : 1, 1, 0' % alice.id)
        answer = tg.wait_for_sent('answerInlineQuery')[0]
        assert answer.params['results'][0]['id'] == 'abc'
        assert answer.params['results'][0]['input_message_content'] == {
            'message_text': 'Good morning'}
        alice.chooses_inline_result('abc', query='abc')
        assert prog.printed('%d : chosen_inline_result +1 : 1, 1, 1' % alice.id)
        alice.says('again')
        assert prog.printed('%d : normal +1 : 2, 1, 1' % alice.id)


# -------------------------------------------------------------------------- telepot 12


@twins('examples/chat/counter.py')
def test_12_counter_counts_per_chat_in_groups_too(path):
    with running(original(path)) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        group = tg.group('Club', [alice, bob])
        alice.says('a')
        assert alice.reply().text == '1'
        alice.says('b', chat=group)
        assert alice.reply(chat=group).text == '1'
        bob.says('c', chat=group)
        assert bob.reply(chat=group).text == '2'
        alice.says('d')
        assert alice.reply().text == '2'


def _play_guess(tg: FakeTelegram, user: Any) -> int:
    """Binary search against the bot's hints; returns the number of guesses."""
    user.says('start')
    assert user.reply().text == 'Guess my number'
    user.says('forty')
    assert user.reply().text == 'Give me a number, please.'
    low, high, n = 0, 99, 0
    while True:
        guess = (low + high) // 2
        n += 1
        user.says(str(guess))
        hint = user.reply().text
        if hint == 'Correct!':
            return n
        assert hint in ('larger', 'smaller')
        if hint == 'larger':
            low = guess + 1
        else:
            high = guess - 1
        assert low <= high and n < 10


@twins('examples/chat/guess.py')
def test_12_guess_plays_two_games_at_once(path):
    with running(original(path)) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        results = {}
        threads = [threading.Thread(target=lambda u=u: results.__setitem__(u.id, _play_guess(tg, u)))
                   for u in (alice, bob)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(results) == sorted([alice.id, bob.id])
        alice.says('again')                 # a new game starts
        assert alice.reply().text == 'Guess my number'


def test_12_chatbox_owner_reads_what_others_left():
    # the fake numbers users from 1000001: the first one made is the owner
    with running(original('examples/chat/chatbox_nodb.py'), args=['1000001']) as (tg, prog):
        owner, alice, bob = tg.user('Owner'), tg.user('Alice'), tg.user('Bob')
        assert owner.id == 1000001
        owner.says('/unread')
        assert owner.reply().text == 'No unread messages'
        alice.says('hello?')
        assert alice.reply().text == 'Hello!'             # a newcomer's welcome (own thread)
        assert prog.printed('CustomThread starting ...')
        alice.says('anyone there?')
        bob.says('question')
        assert bob.reply().text == 'Hello!'
        assert prog.printed("Storing message: {'message_id'") and prog.printed('question')
        owner.says('/unread')
        assert owner.reply().text == 'ID: %d\n2 unread\nID: %d\n1 unread' % (alice.id, bob.id)
        owner.says('/next')
        read = texts(owner.replies(3))
        assert read == ['From ID: %d' % alice.id, 'hello?', 'anyone there?']
        owner.says('/Next')
        assert texts(owner.replies(2)) == ['From ID: %d' % bob.id, 'question']
        owner.says('what')
        assert owner.reply().text == "I don't understand"
        alice.says('again')                               # stored, and no second welcome
        assert prog.printed('again')
        assert [c.text for c in tg.sent('sendMessage', chat_id=alice)] == ['Hello!']


@twins('examples/event/alarm.py')
def test_12_alarm_adds_a_route_and_keeps_the_chat_route(path):
    # the handler adds '_alarm' to its router; 'chat' must keep routing
    with running(original(path)) as (tg, prog):
        assert prog.printed('Listening ...')
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('soon')
        assert alice.reply().text == 'Not a number. No alarm set.'
        alice.says('0.3')
        bob.says('0.1')
        assert alice.reply().text == 'Got it. Alarm is set at 0.3 seconds from now.'
        assert bob.reply().text == 'Got it. Alarm is set at 0.1 seconds from now.'
        assert texts(tg.wait_for_sent(chat_id=alice, since=alice.last_seq, count=2,
                                      timeout=WAIT))[1] == 'Beep beep, time to wake up!'
        assert texts(tg.wait_for_sent(chat_id=bob, since=bob.last_seq, count=2,
                                      timeout=WAIT))[1] == 'Beep beep, time to wake up!'
        assert prog.printed("'_alarm'")


def test_12_vote_in_a_group_until_everyone_voted():
    with running(original('examples/callback/vote.py')) as (tg, prog):
        alice, bob, carol = tg.user('Alice'), tg.user('Bob'), tg.user('Carol')
        group = tg.group('Voters', [alice, bob])
        alice.says('/vote', chat=group)
        ballot = alice.reply(chat=group)
        assert ballot.text == "Let's Vote ..."
        alice.presses(ballot, 'yes')
        assert tg.wait_for_sent('answerCallbackQuery', since=alice.last_seq)[0].params['text'] == 'Ok'
        alice.presses(ballot, 'no')
        assert tg.wait_for_sent('answerCallbackQuery', since=alice.last_seq)[0].params[
            'text'] == 'You have already voted yes'
        bob.says('/vote', chat=group)
        assert bob.reply(chat=group).text == 'Voting still in progress'
        bob.presses(ballot, 'no')
        result = [c for c in tg.wait_for_sent('sendMessage', chat_id=group, since=bob.last_seq)]
        assert result[0].text == 'Everyone has voted:\nYes: 1\nNo: 1\nSilent: 0'
        assert tg.message(group, ballot.result['message_id']).get('reply_markup') is None
        carol.says('/vote')                 # a private chat: not for this bot
        assert tg.requests('sendMessage', since=carol.last_seq) == []


@twins('examples/callback/lover.py')
def test_12_lover_keeps_asking_until_yes(path):
    with running(original(path)) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('hi')
        first = alice.reply()
        assert first.text == '1. Would you marry me?'
        bob.says('hey')
        assert bob.reply().text == '1. Would you marry me?'
        alice.presses(first, 'no')
        assert tg.wait_for_sent('answerCallbackQuery', since=alice.last_seq)[0].params[
            'text'] == 'Ok. But I am going to keep asking.'
        second = alice.reply()
        assert second.text == '2. Would you marry me?'
        assert tg.message(alice, first.result['message_id']).get('reply_markup') is None
        alice.presses(second, 'yes')
        assert alice.reply().text == 'Thank you!'
        alice.says('hi again')              # a new handler remembers the count
        assert alice.reply().text == '3. Would you marry me?'


@twins('examples/callback/quiz.py')
def test_12_quiz_hands_the_keyboard_to_an_origin_handler(path):
    with running(original(path)) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('quiz me')
        start = alice.reply()
        assert start.text == 'Press START to do some math ...'
        bob.says('me too')
        assert bob.reply().text == 'Press START to do some math ...'
        alice.presses(start, 'start')
        edit = tg.wait_for_sent('editMessageText', since=alice.last_seq)[0]
        assert edit.text.endswith(' = ?') and len(edit.params['reply_markup'][
            'inline_keyboard'][0]) == 5
        x, sign, y = edit.text[:-4].split()
        answer = {'+': int(x) + int(y), '-': int(x) - int(y), 'x': int(x) * int(y)}[sign]
        alice.presses(start, str(answer))
        assert tg.wait_for_sent('editMessageText', since=alice.last_seq)[0].text.endswith(' = ?')


def test_12_skeleton_route_with_a_flavor_routing_dict():
    with running(original('examples/simple/skeleton_route.py')) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('c')
        reply = alice.reply()
        assert reply.text == 'Custom keyboard with various buttons'
        assert reply.params['reply_markup']['keyboard'][1][1]['request_location'] is True
        bob.says('i')
        keyboard = bob.reply()
        assert keyboard.text == 'Inline keyboard with various buttons'
        bob.presses(keyboard, 'notification')
        assert tg.wait_for_sent('answerCallbackQuery', since=bob.last_seq)[0].params[
            'text'] == 'Notification at top of screen'
        bob.presses(keyboard, 'edit')
        tg.wait_for_sent('editMessageText', since=bob.last_seq)
        assert tg.message(bob, keyboard.result['message_id'])['text'] == 'NEW MESSAGE HERE!!!!!'
        alice.says('h')
        assert alice.reply().params['reply_markup'] == {'remove_keyboard': True}
        alice.asks_inline('photo p')
        answer = tg.wait_for_sent('answerInlineQuery', since=alice.last_seq)[0]
        assert [r['type'] for r in answer.params['results']] == ['photo', 'photo']
        assert answer.params['results'][0]['thumbnail_url'].startswith('https://')
        alice.chooses_inline_result('12345', query='photo p')
        assert prog.printed('Chosen Inline Result: 12345 %d photo p' % alice.id)


def _inline_press(tg: FakeTelegram, user: Any, inline_message_id: str, data: str) -> int:
    """``user`` presses a button of an inline message (the fake's presses() knows chat
    messages only, so the update is pushed as Telegram would send it)."""
    return tg.push_update({'callback_query': {
        'id': 'cq-%s-%s' % (user.id, data), 'from': user.user, 'chat_instance': 'ci-1',
        'inline_message_id': inline_message_id, 'data': data}})


def test_12_datecalc_inline_ballot_routed_back_to_its_user_handler():
    with running(original('examples/callback/datecalc.py')) as (tg, prog):
        alice, bob, carol = tg.user('Alice'), tg.user('Bob'), tg.user('Carol')
        alice.asks_inline('mon')
        assert prog.printed('Ballot initialized.')
        answer = tg.wait_for_sent('answerInlineQuery', since=alice.last_seq)[0]
        results = answer.params['results']
        assert [r['title'].split()[-1] for r in results] == ['Monday'] * 3
        assert results[0]['reply_markup']['inline_keyboard'][0][0]['callback_data'] == 'yes'
        alice.chooses_inline_result(results[0]['id'], query='mon', inline_message_id='IM-1')
        # the handler takes the chosen result's keyboard as its own when it handles it; its
        # next message shows that happened (a handler's messages come in order)
        alice.asks_inline('tue')
        assert prog.printed(' tue')
        mark = tg.mark()
        _inline_press(tg, bob, 'IM-1', 'yes')
        _inline_press(tg, carol, 'IM-1', 'no')
        _inline_press(tg, bob, 'IM-1', 'no')
        answers = tg.wait_for_sent('answerCallbackQuery', count=3, since=mark)
        assert [a.params['text'] for a in answers] == ['Ok', 'Ok', 'You have already voted yes']


# ------------------------------------------------ programs written for these tests (always run)

def mine(name: str) -> str:
    return os.path.join(HERE, 'telepot_programs', name)


def test_mine_12_reminder_router_keeps_its_flavor_routes():
    with running(mine('reminder12.py')) as (tg, prog):
        assert prog.printed('Listening ...')
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('/remind 0.2 tea')
        assert alice.reply().text == 'OK, in 0.2 s'
        bob.says('hello')
        keyboard = bob.reply()
        assert keyboard.text == 'Press'
        bob.presses(keyboard, 'me')
        assert tg.wait_for_sent('answerCallbackQuery', since=bob.last_seq)[0].params[
            'text'] == 'You pressed me'
        assert texts(tg.wait_for_sent(chat_id=alice, count=2, since=alice.last_seq))[1] == \
            'Reminder: tea'
        bob.says('/count')
        assert bob.reply().text == 'chat 3, callback_query 1'


def test_mine_63_census_dicts_keyed_by_63_names():
    with running(mine('census63.py')) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        group = tg.group('Club', [alice])
        alice.says('hi')
        bob.joins(group)
        bob.leaves(group)
        alice.asks_inline('q')
        tg.wait_for_sent('answerInlineQuery', since=alice.last_seq)
        alice.says('/census', chat=group)
        assert alice.reply(chat=group).text == 'normal 4, inline 1; text 2, joined 1, left 1'


def test_mine_63_tracker_user_handlers_count_by_63_names():
    with running(mine('tracker63.py')) as (tg, prog):
        alice, bob = tg.user('Alice'), tg.user('Bob')
        group = tg.group('Club', [alice, bob])
        alice.says('hi')
        alice.says('there', chat=group)          # a UserHandler follows its user anywhere
        bob.says('/stats')
        assert bob.reply().text == '1 normal, 0 inline, 0 chosen'
        alice.asks_inline('shout')
        answer = tg.wait_for_sent('answerInlineQuery', since=alice.last_seq)[0]
        assert answer.params['results'][0]['input_message_content'] == {
            'message_text': 'SHOUT'}
        alice.chooses_inline_result('up', query='shout')
        alice.says('/stats')
        assert alice.reply().text == '3 normal, 1 inline, 1 chosen'


def test_mine_12_quiz_origin_handlers_with_tuple_seeds():
    with running(mine('quiz12.py')) as (tg, prog):
        assert prog.printed('Listening ...')
        alice, bob = tg.user('Alice'), tg.user('Bob')
        alice.says('quiz')
        bob.says('quiz')
        a_kb, b_kb = alice.reply(), bob.reply()
        assert a_kb.text == b_kb.text == 'Ready?'
        for user, kb, answers in ((alice, a_kb, ['4', '9']), (bob, b_kb, ['5', '9'])):
            user.presses(kb, 'go')
            assert tg.wait_for_sent('editMessageText', chat_id=user,
                                    since=user.last_seq)[0].text == '2 + 2 = ?'
            user.presses(kb, answers[0])
            assert tg.wait_for_sent('editMessageText', chat_id=user,
                                    since=user.last_seq)[0].text == '3 x 3 = ?'
            user.presses(kb, answers[1])
            assert tg.wait_for_sent('editMessageText', chat_id=user,
                                    since=user.last_seq)[0].text == 'Done'
        # idle for 0.5 s: each origin handler edits in its score and closes
        assert tg.wait_for_sent('editMessageText', chat_id=alice, since=alice.last_seq,
                                count=2)[1].text == 'Score: 2/2'
        assert tg.wait_for_sent('editMessageText', chat_id=bob, since=bob.last_seq,
                                count=2)[1].text == 'Score: 1/2'


def test_12_aio_skeleton_prints_each_flavor():
    with running(original('examples/simple/skeletona.py')) as (tg, prog):
        alice = tg.user('Alice')
        alice.says('hello')
        assert prog.printed("chat ('text', 'private', %d)" % alice.id)
        alice.asks_inline('abc')
        assert prog.printed('inline_query (')

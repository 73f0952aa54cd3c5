"""The durable store (issue 15): the SQLite store's journal, states and timers, the faults a
bot reports at start or survives while running, redelivery and dedupe through real loops."""
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

import telepot_ng
from telepot_ng.loop import Webhook
from telepot_ng.store import (NotAStoreError, SavedState, SQLiteStore, StateKey, Store,
                              StoreError, StoreLockedError, StoreOpenError, StoreVersionError,
                              StoreWriteError, TimerRecord, open_store)
from telepot_ng.store._ledger import State
from telepot_ng.testing import DEFAULT_TOKEN, FakeTelegram
from telepot_ng.webhook import WebhookApp

BOT_ID = int(DEFAULT_TOKEN.split(':')[0])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _collector(n):
    """(ids handed to the callback, an Event set after ``n`` of them, the callback)."""
    got = []
    enough = threading.Event()

    def handle(msg):
        got.append(msg.update_id)
        if len(got) == n:
            enough.set()
    return got, enough, handle


def _update(uid, chat=7, text='hi'):
    return {'update_id': uid, 'message': {'message_id': uid, 'date': 1700000000, 'text': text,
                                          'chat': {'id': chat, 'type': 'private'},
                                          'from': {'id': chat, 'is_bot': False,
                                                   'first_name': 'U'}}}


# ------------------------------------------------------------------------------ the SQLite store

@pytest.mark.parametrize('json1', [True, False], ids=['json_each', 'executemany'])
def test_journal_appends_once_and_lists_pending_in_order(tmp_path, json1):
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        assert s._json          # SQLite >= 3.38; the other path serves older ones
        s._json = json1
        assert isinstance(s, Store)
        assert s.append([_update(5), _update(3)]) == [5, 3]
        assert s.append([_update(3), _update(4)]) == [4]          # 3 is journaled already
        assert [u['update_id'] for u in s.pending()] == [3, 4, 5]
        key = StateKey(BOT_ID, '0', '7')
        s.mark_done([4], [SavedState(key, '{"n": 1}', 4)])
        assert [u['update_id'] for u in s.pending()] == [3, 5]
        assert s.append([_update(4)]) == []                       # done: never new again
        assert s.load_state(key) == SavedState(key, '{"n": 1}', 4)
        assert s.pending()[0] == _update(3)
        assert s.stats['commits'] == 4


def _statements(store):
    """A list that collects the SQL statements ``store`` runs from now on."""
    seen = []
    store._db.set_trace_callback(seen.append)
    return seen


@pytest.mark.parametrize('json1', [True, False], ids=['json_each', 'per-key'])
def test_keyed_reads_take_one_statement_for_all_keys(tmp_path, json1):
    """idle_messages and load_states read many keys in one statement (one per key without
    SQLite's JSON functions); the answer is the same either way."""
    from telepot_ng.store import IdleRecord
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        s._json = json1
        keys = [StateKey(BOT_ID, '0', str(c)) for c in range(300)]
        s.mark_done([], [SavedState(k, '{"n":%d}' % i, None) for i, k in enumerate(keys)
                         if i % 2],
                    idle=[IdleRecord(k, 100.0 + i, '{"c":%d}' % i) for i, k in enumerate(keys)
                          if i % 3])
        ran = _statements(s)
        msgs = s.idle_messages(keys)
        states = s.load_states(keys)
        assert msgs == {k: '{"c":%d}' % i for i, k in enumerate(keys) if i % 3}
        assert states == {k: SavedState(k, '{"n":%d}' % i, None) for i, k in enumerate(keys)
                          if i % 2}
        assert len(ran) == (2 if json1 else 600)
        assert s.idle_messages([]) == {} and s.load_states([]) == {}


def test_prune_forgets_old_done_ids_but_still_refuses_them(tmp_path):
    now = [1000.0]
    with SQLiteStore(str(tmp_path / 's.db'), clock=lambda: now[0], window=60) as s:
        s.append([_update(i) for i in range(1, 11)])
        s.mark_done(range(1, 6))
        now[0] = 2000.0
        s.mark_done([6])
        assert s.prune(1500.0) == 5
        assert s.counts() == {'pending': 4, 'done': 1, 'states': 0, 'timers': 0, 'idle': 0}
        assert s.append([_update(3), _update(11)]) == [11]        # 3 is below the pruned ids
    with SQLiteStore(str(tmp_path / 's.db')) as s:                # remembered across opens
        assert s.append([_update(2)]) == []


def test_done_bodies_are_compacted_in_the_done_marks_transaction(tmp_path):
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        s.append([_update(i) for i in range(1, 1201)])
        s.mark_done(range(1, 1001))
        assert s.stats['commits'] == 2          # the compaction went with the done-marks
        assert s._db.execute('SELECT count(*) FROM journal').fetchone()[0] == 200
        assert [u['update_id'] for u in s.pending()] == list(range(1001, 1201))


def test_timers_are_kept_earliest_first(tmp_path):
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        s.set_timer(TimerRecord('b', 20.0, '{"_b": {}}'))
        s.set_timer(TimerRecord('a', 10.0, '{"_a": {}}'))
        assert [t.timer_id for t in s.timers()] == ['a', 'b']
        s.delete_timer('a')
        s.delete_timer('unknown')
        assert s.timers() == [TimerRecord('b', 20.0, '{"_b": {}}')]


def test_failed_write_stores_nothing(tmp_path):
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        s.append([_update(1)])
        _fill(s)
        with pytest.raises(StoreWriteError, match='full'):
            s.append([_update(i, text='x' * 4000) for i in range(2, 200)])
        with pytest.raises(StoreWriteError):
            s.mark_done([1], [SavedState(StateKey(1, '0', '1'), json.dumps('y' * 100000), 1)])
        _unfill(s)
        assert [u['update_id'] for u in s.pending()] == [1]
        assert s.load_state(StateKey(1, '0', '1')) is None


def _answer(updates):
    return json.dumps({'ok': True, 'result': updates}).encode()


def test_journal_takes_bodies_from_the_getupdates_answer(tmp_path, monkeypatch):
    """A polled batch is journaled from the answer's bytes (no encoding in Python): the
    bodies read back are the updates, whether or not their ids are consecutive."""
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        monkeypatch.setattr(s, '_insert_many', None)     # the encoding path must not run
        batch = [_update(i, text='caf\u00e9 %d' % i) for i in (10, 11, 12, 13)]
        assert s.append_answer(batch[1:], _answer(batch), 1) == [11, 12, 13]
        gaps = [_update(i) for i in (20, 22, 25)]
        assert s.append_answer(gaps, _answer(gaps)) == [20, 22, 25]
        assert s.stats['commits'] == 2 and s.stats['rollbacks'] == 0
        assert s.pending() == batch[1:] + gaps
        assert s.pending()[0]['message']['text'] == 'caf\u00e9 11'


def test_a_decoded_answer_is_journaled_whole_and_kept_until_all_its_updates_are_done(tmp_path):
    """The loop's batch (decoded from the answer's bytes, new, consecutive ids) is one row
    holding the bytes: pending, dedupe, counts, compaction and pruning read through it."""
    now = [1000.0]
    with SQLiteStore(str(tmp_path / 's.db'), clock=lambda: now[0], window=60) as s:
        batch = [_update(i, text='b%d' % i) for i in range(9, 15)]
        assert s.append_answer(batch[1:], _answer(batch), 1, decoded=True) == list(range(10, 15))
        assert s._db.execute('SELECT first, last, at FROM answer').fetchall() == [(10, 14, 1)]
        assert s._db.execute('SELECT count(*) FROM journal').fetchone()[0] == 0
        assert s.append([_update(15)]) == [15]                  # a row of its own
        assert s.append_answer(batch[2:], _answer(batch), 2, decoded=True) == []   # seen
        s.mark_done([10, 12])
        assert s.pending() == [batch[2], batch[4], batch[5], _update(15)]
        assert s.counts()['pending'] == 4
        # gaps or ids journaled before: one checked row per update, as without `decoded`
        gaps = [_update(20), _update(22)]
        assert s.append_answer(gaps, _answer(gaps), decoded=True) == [20, 22]
        assert s._db.execute('SELECT count(*) FROM answer').fetchone()[0] == 1
        s._compact(s._db, 0)                                    # not all done: kept
        assert s._db.execute('SELECT count(*) FROM answer').fetchone()[0] == 1
        # the done ids of a half-done answer are pruned: its undone updates become rows
        now[0] = 2000.0
        s.mark_done([11])
        assert s.prune(1500.0) == 1                           # 10 (11 is recent)
        assert s._db.execute('SELECT count(*) FROM answer').fetchone()[0] == 0
        assert s.pending() == [batch[4], batch[5], _update(15), _update(20), _update(22)]
        assert s.append([_update(13)]) == []                    # still journaled
        s.mark_done([13, 14])
        assert s.append_answer([_update(30)], _answer([_update(30)]), decoded=True) == [30]
        s.mark_done([30])
        s._compact(s._db, 0)                                    # all done: the row goes
        assert s._db.execute('SELECT count(*) FROM answer').fetchone()[0] == 0
        assert [u['update_id'] for u in s.pending()] == [15, 20, 22]
    with SQLiteStore(str(tmp_path / 's.db')) as s:              # its ids stay known
        assert s.append_answer([_update(30)], _answer([_update(30)]), decoded=True) == []
        assert s._top == 30


def test_journal_encodes_what_the_answer_does_not_give(tmp_path):
    """An answer SQLite cannot read, one that does not hold the updates, or a batch with
    ids journaled before: the updates themselves are journaled, each once."""
    with SQLiteStore(str(tmp_path / 's.db')) as s:
        assert s.append_answer([_update(1)], b'\xff') == [1]
        assert s.append_answer([_update(2)], _answer([_update(2)])[:-3]) == [2]
        assert s.append_answer([_update(3), _update(4)], _answer([_update(3)])) == [3, 4]
        again = [_update(4), _update(5)]
        assert s.append_answer(again, _answer(again)) == [5]
        stale = [_update(6), _update(7)]
        assert s.append_answer(stale, _answer([_update(7), _update(6)])) == [6, 7]
        assert s.pending() == [_update(i) for i in range(1, 8)]


def test_a_polled_batch_is_journaled_from_the_answer(tmp_path):
    """Through the loop: the journal holds the updates as Telegram sent them, taken from the
    getUpdates answer's bytes."""
    calls = []

    class Spy(SQLiteStore):
        def append(self, updates):
            calls.append('append')
            return super().append(updates)

        def append_answer(self, updates, answer, first=0, **kw):
            calls.append(('append_answer', type(answer), first, kw))
            return super().append_answer(updates, answer, first, **kw)
    store = Spy(str(tmp_path / 's.db'))
    with FakeTelegram() as tg:
        tg.push_updates([_update(700 + i, text='\u00fcber %d' % i) for i in range(5)])
        got, enough, handle = _collector(5)
        bot = tg.bot(store=store)
        msgs = []
        bot.message_loop(lambda msg: (msgs.append(dict(msg)), handle(msg)))
        assert enough.wait(10)
        bot.stop()
        assert calls and all(c == ('append_answer', bytes, 0, {'decoded': True})
                             for c in calls), calls
        # kept whole: one row per answer, its bytes as received
        bodies = [u for body, at in store._db.execute(
            'SELECT body, at FROM answer ORDER BY first') for u in json.loads(body)['result'][at:]]
        assert [b['update_id'] for b in bodies] == got
        assert [b['message'] for b in bodies] == msgs
        assert store.counts()['pending'] == 0
    store.close()


def _fill(store):
    """Make the store's file full: SQLite refuses to grow it (SQLITE_FULL), as on a full disk."""
    db = store._db
    pages = db.execute('PRAGMA page_count').fetchone()[0]
    db.execute('PRAGMA max_page_count=%d' % pages)


def _unfill(store):
    store._db.execute('PRAGMA max_page_count=1073741823')


# ------------------------------------------------------------------------------ faults at start

def test_unopenable_paths_fail_at_start_before_polling(tmp_path):
    with pytest.raises(StoreOpenError, match='does not exist'):
        telepot_ng.DelegatorBot(DEFAULT_TOKEN, [], store=str(tmp_path / 'no' / 'bot.db'),
                                base_url='http://127.0.0.1:9')
    with pytest.raises(StoreOpenError, match='directory'):
        telepot_ng.Bot(DEFAULT_TOKEN, store=str(tmp_path))


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    junk = tmp_path / 'junk.db'
    junk.write_bytes(b'this is not a database at all' * 100)
    with pytest.raises(NotAStoreError, match='not a telepot_ng store'):
        SQLiteStore(str(junk))
    other = tmp_path / 'other.db'
    db = sqlite3.connect(str(other))
    db.execute('CREATE TABLE t (x)')
    db.commit()
    db.close()
    with pytest.raises(NotAStoreError, match='another program'):
        telepot_ng.Bot(DEFAULT_TOKEN, store=str(other))
    assert issubclass(NotAStoreError, telepot_ng.exception.TelepotException)


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = str(tmp_path / 's.db')
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute('PRAGMA user_version=99')
    db.close()
    with pytest.raises(StoreVersionError, match='version 99'):
        SQLiteStore(path)
    db = sqlite3.connect(path)
    assert db.execute('PRAGMA user_version').fetchone()[0] == 99
    db.close()


def test_a_store_locked_by_another_process_is_refused(tmp_path):
    path = str(tmp_path / 's.db')
    holder = subprocess.Popen(
        [sys.executable, '-c', 'import sys; from telepot_ng.store import SQLiteStore; '
         's = SQLiteStore(sys.argv[1]); print("READY", flush=True); sys.stdin.read()', path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT))
    try:
        assert holder.stdout.readline().strip() == b'READY'
        with pytest.raises(StoreLockedError, match='another process'):
            telepot_ng.Bot(DEFAULT_TOKEN, store=path)
    finally:
        holder.stdin.close()
        holder.wait(10)
        holder.stdout.close()
    telepot_ng.Bot(DEFAULT_TOKEN, store=path).store.close()     # free again once it exited


def test_another_bots_store_is_refused(tmp_path):
    path = str(tmp_path / 's.db')
    telepot_ng.Bot(DEFAULT_TOKEN, store=path).store.close()
    with pytest.raises(NotAStoreError, match='belongs to bot %d' % BOT_ID):
        telepot_ng.Bot('42:' + 'A' * 35, store=path)


def test_open_store_picks_the_implementation(tmp_path):
    s = SQLiteStore(str(tmp_path / 's.db'))
    assert open_store(s) is s
    s.close()
    with pytest.raises(ValueError, match='unknown store URL scheme'):
        open_store('ftp://x/y')
    with pytest.raises(TypeError):
        open_store(42)
    with pytest.raises(ValueError, match='synchronous'):
        open_store(str(tmp_path / 't.db'), synchronous='SOMETIMES')


# ------------------------------------------------------------------------------ states

def test_state_takes_json_values_only_and_names_the_key():
    s = State()
    s['n'] = 1
    s.update(a=[1, 'x', None], b={'c': True})
    with pytest.raises(TypeError, match=r"state\['when'\] must be JSON"):
        s['when'] = object()
    with pytest.raises(TypeError, match='keys are strings'):
        s[1] = 2
    with pytest.raises(TypeError, match=r"state\['f'\]"):
        s.setdefault('f', {1.5, 2})
    loop = []
    loop.append(loop)
    with pytest.raises(TypeError, match=r"state\['loop'\]"):
        s['loop'] = loop
    with pytest.raises(TypeError, match=r"state\['nan'\]"):
        s['nan'] = [float('nan')]
    assert dict(s) == {'n': 1, 'a': [1, 'x', None], 'b': {'c': True}}


def test_without_a_store_state_is_a_plain_dict():
    bot = telepot_ng.Bot(DEFAULT_TOKEN)
    assert bot.state == {} and type(bot.state) is dict and bot.store is None

    class Own(telepot_ng.Bot):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self.state = 'mine'               # a program's own attribute still works
    assert Own(DEFAULT_TOKEN).state == 'mine'


# ------------------------------------------------------------------------------ through the loops

def _journal_crashed(path, updates, done=()):
    """A store as a crashed bot left it: ``updates`` journaled, ``done`` marked done."""
    with SQLiteStore(path) as s:
        s.bind(BOT_ID)
        s.append(updates)
        s.mark_done(done)


def _after_a_crash(tg, path):
    """A store a crashed bot left (4 journaled, the 2nd done), and Telegram redelivering what
    was never confirmed plus a new update; what the next run must hand on, in order."""
    first = 800000001
    _journal_crashed(path, [_update(first + i, text='old%d' % i) for i in range(4)],
                     done=[first + 1])
    tg.push_updates([_update(first + i, text='old%d' % i) for i in range(4)] +
                    [_update(first + 4, text='new')])
    return [('old0', True), ('old2', True), ('old3', True), ('new', False)]


def test_redelivery_comes_first_flagged_and_done_ids_never_again(tmp_path):
    path = str(tmp_path / 's.db')
    with FakeTelegram() as tg:
        expected = _after_a_crash(tg, path)
        got = []
        five = threading.Event()
        bot = tg.bot(store=path)

        def handle(msg):
            got.append((msg['text'], msg.redelivered))
            bot.state['seen'] = bot.state.get('seen', 0) + 1
            if len(got) == 4:
                five.set()
        bot.message_loop(handle)
        assert five.wait(10)
        bot.stop()
        assert got == expected
        assert bot.store.counts()['pending'] == 0
        assert bot.store.load_state(StateKey(BOT_ID, 'bot', 'null')).data == '{"seen":4}'
        bot.store.close()


def test_store_full_stops_confirming_and_resumes(tmp_path, caplog):
    path = str(tmp_path / 's.db')
    with FakeTelegram() as tg:
        bot = tg.bot(store=path)
        got, arrived, handle = _collector(3)
        bot.message_loop(handle, timeout=1)
        assert tg.wait_polling(5)
        _fill(bot.store)
        mark = tg.mark()
        with caplog.at_level(logging.ERROR, logger='telepot_ng'):
            big = dict(_update(0, text='x' * 6000)['message'])   # needs new pages
            ids = tg.push_updates([{'message': big}] * 3)
            # the loop tries again and again, confirming nothing
            tg.wait_for_sent('getUpdates', count=4, since=mark, timeout=10, ok=True)
        assert got == []
        offsets = [c.params.get('offset') for c in tg.requests('getUpdates')]
        assert all(o is None or o <= ids[0] for o in offsets)
        assert 'write failed' in caplog.text and 'not confirmed' in caplog.text
        _unfill(bot.store)
        assert arrived.wait(10)
        assert got == ids
        bot.stop()
        assert tg.counters()['pending_updates'] == 0     # confirmed once stored
        assert bot.store.counts()['pending'] == 0
        bot.store.close()


def _post(app, update):
    body = json.dumps(update).encode()
    import io
    status = []
    app({'REQUEST_METHOD': 'POST', 'CONTENT_LENGTH': str(len(body)),
         'wsgi.input': io.BytesIO(body)}, lambda s, h: status.append(s))
    return int(status[0].split()[0])


def test_webhook_answers_200_only_once_stored(tmp_path):
    path = str(tmp_path / 's.db')
    bot = telepot_ng.Bot(DEFAULT_TOKEN, store=path, base_url='http://127.0.0.1:9')
    got, two, handle = _collector(2)
    hook = Webhook(bot, handle)
    app = WebhookApp(hook)
    hook.run_as_thread()
    try:
        _fill(bot.store)
        assert _post(app, _update(10, text='x' * 6000)) == 503     # not stored: retried
        _unfill(bot.store)
        assert bot.store.counts()['pending'] == 0
        assert _post(app, _update(10)) == 200
        assert _post(app, _update(10)) == 200           # a retry of a stored one: dropped
        assert _post(app, _update(11)) == 200
        assert two.wait(5)
    finally:
        bot.stop()
    assert got == [10, 11]
    assert bot.store.counts() == {'pending': 0, 'done': 2, 'states': 0, 'timers': 0, 'idle': 0}
    bot.store.close()


# ------------------------------------------------------------------------------ timers

def test_scheduled_events_survive_a_restart_and_late_ones_say_so(tmp_path):
    path = str(tmp_path / 's.db')
    with FakeTelegram() as tg:
        bot = tg.bot(store=path)
        now = time.time()
        bot.scheduler.event_at(now + 0.2, {'_soon': {'n': 1}})
        bot.scheduler.event_at(now + 0.6, {'_later': {'n': 2}})
        gone = bot.scheduler.event_at(now + 0.4, {'_cancelled': {}})
        bot.scheduler.event_at(now + 0.3, lambda: {'_in_memory_only': {}})
        bot.scheduler.cancel(gone)
        assert len(bot.store.timers()) == 2
        bot.stop()                    # pending events are dropped from memory, kept on disk
        bot.store.close()
        time.sleep(0.3)               # the first is due while no bot runs

        bot = tg.bot(store=path)
        got = []
        both = threading.Event()

        def handle(msg):
            got.append((dict(msg), time.time() - now))
            if len(got) == 2:
                both.set()
        bot.message_loop(handle)
        assert both.wait(5)
        bot.stop()
        assert [g[0] for g in got] == [{'_soon': {'n': 1, 'late': True}}, {'_later': {'n': 2}}]
        assert got[1][1] >= 0.6 - 0.05
        assert bot.store.timers() == []           # forgotten once emitted
        bot.store.close()


class _Alarm(telepot_ng.helper.ChatHandler):
    fired = []

    def on_chat_message(self, msg):
        self.state['armed'] = msg['text']
        self.scheduler.event_later(0.2, ('_alarm', {'text': msg['text']}))

    def on__alarm(self, event):
        _Alarm.fired.append((self.chat_id, event['_alarm']['text'],
                             event['_alarm'].get('late', False), dict(self.state)))


def test_a_handlers_timer_fires_after_a_restart_with_its_state(tmp_path):
    from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
    from telepot_ng.loop import MessageLoop
    path = str(tmp_path / 's.db')
    pattern = [pave_event_space()(per_chat_id(), create_open, _Alarm, timeout=10)]
    _Alarm.fired = []
    with FakeTelegram() as tg:
        bot = telepot_ng.DelegatorBot(tg.token, pattern, base_url=tg.base_url, store=path)
        MessageLoop(bot).run_as_thread()
        tg.push_updates([{'message': _update(0, chat=5, text='wake me')['message']}])
        deadline = time.time() + 5
        while not bot.store.timers() and time.time() < deadline:
            time.sleep(0.01)
        bot.stop(0.05)                # before the alarm is due
        bot.store.close()
        assert _Alarm.fired == []
        time.sleep(0.3)
        bot = telepot_ng.DelegatorBot(tg.token, pattern, base_url=tg.base_url, store=path)
        MessageLoop(bot).run_as_thread()
        deadline = time.time() + 5
        while not _Alarm.fired and time.time() < deadline:
            time.sleep(0.01)
        bot.stop()
        bot.store.close()
    assert _Alarm.fired == [(5, 'wake me', True, {'armed': 'wake me'})]


class _Counting(telepot_ng.helper.ChatHandler):
    def on_chat_message(self, msg):
        self.state['n'] = self.state.get('n', 0) + 1
        self.sender.sendMessage('%d' % self.state['n'])


@pytest.mark.parametrize('workers', [0, 4])
def test_handler_state_outlives_idle_timeouts_and_restarts(tmp_path, workers):
    from telepot_ng.delegate import create_open, per_chat_id
    from telepot_ng.loop import MessageLoop
    path = str(tmp_path / 's.db')
    pattern = [(per_chat_id(), create_open(_Counting, timeout=0.2))]
    with FakeTelegram() as tg:
        alice, bob = tg.user('Alice'), tg.user('Bob')

        def replies(user, since):
            return [c.text for c in tg.sent('sendMessage', chat_id=user, since=since)]

        def start():
            bot = telepot_ng.DelegatorBot(tg.token, pattern, base_url=tg.base_url,
                                          store=path, workers=workers)
            MessageLoop(bot).run_as_thread()
            return bot
        bot = start()
        mark = tg.mark()
        alice.says('a')
        alice.says('b')
        bob.says('c')
        tg.wait_for_sent('sendMessage', count=3, since=mark)
        deadline = time.time() + 5
        while bot.live_delegates and time.time() < deadline:
            time.sleep(0.02)       # both idle out (timeout 0.2 s)
        assert bot.live_delegates == 0
        mark = tg.mark()
        alice.says('d')
        tg.wait_for_sent('sendMessage', count=1, since=mark)
        assert replies(alice, mark) == ['3']       # a new delegate, the same state
        bot.stop()
        bot.store.close()
        bot = start()                               # a restart
        mark = tg.mark()
        bob.says('e')
        alice.says('f')
        tg.wait_for_sent('sendMessage', count=2, since=mark)
        assert replies(bob, mark) == ['2'] and replies(alice, mark) == ['4']
        bot.stop()
        bot.store.close()


def test_store_progress_reads_the_store_a_page_at_a_time(tmp_path):
    """A broadcast's StoreProgress asks the store for a page of items at once, not for
    each item; what it reads (and records since) is what get() answers."""
    from telepot_ng.broadcast import StoreProgress

    class Counting(SQLiteStore):
        calls = {'load_state': 0, 'load_states': 0}

        def load_state(self, key):
            self.calls['load_state'] += 1
            return super().load_state(key)

        def load_states(self, keys):
            self.calls['load_states'] += 1
            return super().load_states(keys)

    with Counting(str(tmp_path / 's.db')) as store:
        first = StoreProgress(store, 'news', BOT_ID)
        for i in range(0, 2500, 3):
            first.record(i, 7000 + i, 'sent' if i % 2 else 'sending', None)
        again = StoreProgress(store, 'news', BOT_ID)          # a resumed run
        got = [again.get(i) for i in range(2500)]
        assert got == [((7000 + i, 'sent' if i % 2 else 'sending') if i % 3 == 0 else None)
                       for i in range(2500)]
        assert store.calls == {'load_state': 0, 'load_states': 3}
        again.record(2499, 9499, 'failed', 'detail')
        assert again.get(2499) == (9499, 'failed')
        assert StoreProgress(store, 'news', BOT_ID).get(2499) == (9499, 'failed')
        assert StoreProgress(store, 'other', BOT_ID).get(0) is None


def test_bot_state_is_encoded_only_when_it_may_have_changed(tmp_path, monkeypatch):
    """Writes that do not touch a bot.state of scalars do not encode it (each write did);
    a change through its methods is written, and once it holds a list, a change inside the
    list is noticed at the next write."""
    from telepot_ng.store import _ledger
    with SQLiteStore(str(tmp_path / 's.db')) as store:
        ledger = _ledger.Ledger(store, BOT_ID)
        state = ledger.bot_state()
        state['n'] = 1
        assert ledger.flush(5)
        encoded = []
        real = _ledger._dumps
        monkeypatch.setattr(_ledger, '_dumps', lambda o: (encoded.append(o is state), real(o))[1])

        def written():
            return json.loads(store.load_state(StateKey(BOT_ID, 'bot', 'null')).data)

        for uid in range(1, 21):                    # 20 writes of done-marks only
            ledger.done(uid)
            assert ledger.flush(5)
        assert store.counts()['done'] == 20 and not any(encoded)
        state['n'] = 2
        assert ledger.flush(5) and written() == {'n': 2}
        state['l'] = [1]
        ledger.done(21)
        assert ledger.flush(5) and written() == {'n': 2, 'l': [1]}
        state['l'].append(2)                        # in place: no method of the state saw it
        ledger.done(22)
        assert ledger.flush(5) and written() == {'n': 2, 'l': [1, 2]}
        ledger.close()



def test_a_message_with_no_json_form_has_no_text_even_a_cycle():
    """A scheduler event kept in memory only (a cycle inside it) reaching a handler with an
    idle timeout: its idle deadline is not kept, and nothing raises."""
    from telepot_ng.store._ledger import message_text
    cyclic: dict = {'_alarm': {}}
    cyclic['_alarm']['again'] = cyclic
    assert message_text(cyclic) is None
    assert message_text({'_alarm': {'at': {1, 2}}}) is None
    assert message_text({'_alarm': {'n': 1}}) == '{"_alarm":{"n":1}}'

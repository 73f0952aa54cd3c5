"""The store's gaps closed (issue 15): idle deadlines of create_open handlers survive a
restart, a scheduler event is forgotten only once its handler finished with it, and
concurrent webhook requests share a journal commit. Real SQLite files on disk; the SIGKILL
side is in tests/test_store_crash.py."""
import json
import sqlite3
import threading
import time

import pytest

import telepot_ng
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id
from telepot_ng.helper import ChatHandler
from telepot_ng.loop import MessageLoop, Webhook
from telepot_ng.store import SQLiteStore
from telepot_ng.testing import DEFAULT_TOKEN, FakeTelegram
from telepot_ng.webhook import WebhookApp

from .test_store import _post


def _message(chat, text):
    return {'message': {'message_id': 1, 'date': 1700000000, 'text': text,
                        'chat': {'id': chat, 'type': 'private', 'first_name': 'U'},
                        'from': {'id': chat, 'is_bot': False, 'first_name': 'U'}}}


def _until(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.01)


class _Sleepy(ChatHandler):
    log = []

    def open(self, msg, seed):
        _Sleepy.log.append(('open', self.chat_id))

    def on_chat_message(self, msg):
        self.state['n'] = self.state.get('n', 0) + 1
        _Sleepy.log.append(('msg', self.chat_id, msg['text'], msg.redelivered))

    def on__idle(self, event):
        _Sleepy.log.append(('idle', self.chat_id, event['_idle'].get('late', False),
                            dict(self.state)))
        self.close()


T = 1.5         # the handlers' idle timeout


@pytest.mark.parametrize('workers', [4, 0], ids=['pool', 'threads'])
def test_idle_deadlines_survive_a_restart(tmp_path, workers):
    """Chat 1's deadline passes while the bot is down: its handler comes back at start and
    is told it is idle, late. Chat 2's is still ahead: it fires on time. Chat 3 writes
    again before its deadline: its handler comes back for the message; so does chat 4's
    for an update journaled and not done (redelivered). None is opened again, none gets
    its old message again, each has its state."""
    path = str(tmp_path / 'bot.sqlite3')
    pattern = [(per_chat_id(), create_open(_Sleepy, timeout=T))]
    _Sleepy.log = []
    log = _Sleepy.log

    def start():
        bot = telepot_ng.DelegatorBot(tg.token, pattern, base_url=tg.base_url, store=path,
                                      workers=workers)
        MessageLoop(bot).run_as_thread(timeout=1)
        return bot

    with FakeTelegram() as tg:
        bot = start()
        t0 = time.time()
        tg.push_updates([_message(1, 'a')])
        _until(lambda: len(log) == 2)
        time.sleep(1.3)               # chat 2's and 3's deadlines are well after chat 1's
        tg.push_updates([_message(2, 'b'), _message(3, 'c'), _message(4, 'e')])
        _until(lambda: len(log) == 8)
        bot.stop()                    # a stop ends the handlers but keeps their deadlines
        assert bot.store.counts()['idle'] == 4
        bot.store.append([dict(_message(4, 'f'), update_id=10 ** 9)])  # as if not handled
        bot.store.close()
        assert sorted(e for e in log if e[0] == 'open') == [('open', 1), ('open', 2),
                                                            ('open', 3), ('open', 4)]
        del log[:]
        _until(lambda: time.time() > t0 + T + 0.3)     # chat 1's deadline has passed
        bot = start()
        tg.push_updates([_message(3, 'd')])
        _until(lambda: len([e for e in log if e[0] == 'idle']) == 4, timeout=15)
        bot.stop()
        assert bot.store.counts()['idle'] == 0
        bot.store.close()
    assert ('idle', 1, True, {'n': 1}) in log
    assert ('idle', 2, False, {'n': 1}) in log
    assert ('idle', 3, False, {'n': 2}) in log
    assert ('idle', 4, False, {'n': 2}) in log
    assert sorted(e for e in log if e[0] in ('open', 'msg')) == [('msg', 3, 'd', False),
                                                                 ('msg', 4, 'f', True)]


class _Alarmed(ChatHandler):
    started = threading.Event()
    go = threading.Event()

    def on_chat_message(self, msg):
        self.scheduler.event_later(0.05, ('_alarm', {}))

    def on__alarm(self, event):
        _Alarmed.started.set()
        _Alarmed.go.wait(10)


def test_a_kept_event_is_forgotten_only_once_its_handler_finished(tmp_path):
    path = str(tmp_path / 'bot.sqlite3')
    pattern = [pave_event_space()(per_chat_id(), create_open, _Alarmed, timeout=30)]
    _Alarmed.started.clear()
    _Alarmed.go.clear()
    with FakeTelegram() as tg:
        bot = telepot_ng.DelegatorBot(tg.token, pattern, base_url=tg.base_url, store=path)
        MessageLoop(bot).run_as_thread(timeout=1)
        try:
            tg.push_updates([_message(5, 'wake me')])
            assert _Alarmed.started.wait(10)
            time.sleep(0.1)       # (the old code deleted it once routed, before this)
            assert len(bot.store.timers()) == 1       # handed to the handler, not finished
            assert bot._ledger.flush(5)
            assert len(bot.store.timers()) == 1
            _Alarmed.go.set()
            _until(lambda: bot._ledger.flush(5) and not bot.store.timers())
        finally:
            _Alarmed.go.set()
            bot.stop()
            bot.store.close()


class _BlockingStore(SQLiteStore):
    """Its first append waits until ``release`` is set; appends are recorded."""

    def __init__(self, path):
        super().__init__(path)
        self.appends = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def append(self, updates):
        self.appends.append([u['update_id'] for u in updates])
        if len(self.appends) == 1:
            self.entered.set()
            self.release.wait(10)
        return super().append(updates)


def test_concurrent_webhook_requests_share_a_commit_and_wait_for_it(tmp_path):
    store = _BlockingStore(str(tmp_path / 'bot.sqlite3'))
    bot = telepot_ng.Bot(DEFAULT_TOKEN, store=store, base_url='http://127.0.0.1:9')
    got = []
    hook = Webhook(bot, lambda msg: got.append(msg.update_id))
    app = WebhookApp(hook, secret_token='s')
    hook.run_as_thread()
    statuses = {}

    def post(uid, n):
        statuses[n] = _post(lambda e, s: app(dict(e, HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN='s'), s),
                            dict(_message(7, 'x'), update_id=uid))
    try:
        first = threading.Thread(target=post, args=(10, 0))
        first.start()
        assert store.entered.wait(5)          # its commit is in flight
        others = [threading.Thread(target=post, args=(uid, n))
                  for n, uid in enumerate([11, 12, 12], 1)]
        for t in others:
            t.start()
        time.sleep(0.2)
        assert all(t.is_alive() for t in [first] + others), 'answered before the commit'
        assert statuses == {}
        store.release.set()
        for t in [first] + others:
            t.join(5)
        assert statuses == {0: 200, 1: 200, 2: 200, 3: 200}
        assert store.appends == [[10], [11, 12, 12]]     # the three waiting shared one
        _until(lambda: len(got) == 3)
    finally:
        store.release.set()
        bot.stop()
    assert sorted(got) == [10, 11, 12]         # the duplicate was dropped
    assert store.counts()['pending'] == 0
    store.close()


@pytest.mark.parametrize('version, dropped', [(1, ('idle', 'answer')), (2, ('answer',))])
def test_an_older_store_gets_the_new_tables(tmp_path, version, dropped):
    """Version 1 had no idle deadlines, version 2 no whole answers in the journal: opening
    such a file adds what it lacks and marks it with the current version."""
    path = str(tmp_path / 'old.sqlite3')
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    for table in dropped:
        db.execute('DROP TABLE %s' % table)
    db.execute('PRAGMA user_version=%d' % version)
    db.commit()
    db.close()
    with SQLiteStore(path) as s:
        assert s.counts()['idle'] == 0 and s.counts()['pending'] == 0
    db = sqlite3.connect(path)
    assert db.execute('PRAGMA user_version').fetchone()[0] == 3
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            } >= {'idle', 'answer', 'journal'}
    db.close()


class _Paged(SQLiteStore):
    """Records how many deadlines each ``idle()`` call returned."""

    def __init__(self, path):
        super().__init__(path)
        self.pages = []

    def idle(self, limit, after=None):
        page = super().idle(limit, after)
        self.pages.append(len(page))
        return page


class _Revived(ChatHandler):
    made = []           # chat ids, in the order their handlers were built
    log = []

    def __init__(self, seed_tuple, **kwargs):
        super().__init__(seed_tuple, **kwargs)
        _Revived.made.append(self.chat_id)

    def open(self, msg, seed):
        _Revived.log.append(('open', self.chat_id))

    def on_chat_message(self, msg):
        _Revived.log.append(('msg', self.chat_id, msg['text']))

    def on__idle(self, event):
        _Revived.log.append(('idle', self.chat_id, event['_idle'].get('late', False)))
        self.close()


def test_kept_deadlines_are_read_a_page_at_a_time_and_revive_in_due_order(tmp_path):
    """3,500 kept deadlines: 2,000 past (revived at start, in due order), 1,500 ahead. The
    store is asked for a page of 1,000 at a time, the next only once the one read is used
    up; a message for a seed on a page not read yet still brings its handler back (no
    open), as does one for a seed on the page read."""
    from telepot_ng.store import IdleRecord, StateKey
    from telepot_ng.store._revive import PAGE
    assert PAGE == 1000
    path = str(tmp_path / 'bot.sqlite3')
    now = time.time()
    chats = list(range(1, 3501))
    rank = {c: (c * 7919) % 3500 for c in chats}         # due order unlike the chat ids
    due = {c: (now - 3600 + rank[c] * 0.01 if rank[c] < 2000 else now + 600 + rank[c])
           for c in chats}
    with FakeTelegram() as tg:
        bot_id = int(tg.token.split(':')[0])
        with SQLiteStore(path) as s:
            s.bind(bot_id)
            s.mark_done([], idle=[IdleRecord(StateKey(bot_id, '0', str(c)), due[c], json.dumps(
                dict(update_id=c, **_message(c, 'first')))) for c in chats])
        _Revived.made, _Revived.log = [], []
        log = _Revived.log
        store = _Paged(path)
        bot = telepot_ng.DelegatorBot(tg.token, [(per_chat_id(), create_open(_Revived,
                                                                          timeout=60))],
                                      base_url=tg.base_url, store=store)
        MessageLoop(bot).run_as_thread(timeout=1)
        try:
            _until(lambda: len(log) == 2000, timeout=30)
            by_due = sorted(chats, key=lambda c: due[c])
            on_page_3, on_page_4 = by_due[2500], by_due[3400]
            keyed = []          # seeds whose StateKey was made (their JSON encoded)
            real_key = bot._ledger.key
            bot._ledger.key = lambda p, seed: keyed.append(seed) or real_key(p, seed)
            tg.push_updates([_message(on_page_3, 'a'), _message(on_page_4, 'b'),
                             _message(5000, 'new')])
            _until(lambda: len(log) == 2004)
            bot._ledger.key = real_key
            assert store.pages == [1000, 1000, 1000]     # page 4 was never read
        finally:
            bot.stop()
    assert keyed == [on_page_3, on_page_4, 5000]       # once per new seed
    assert _Revived.made == by_due[:2000] + [on_page_3, on_page_4, 5000]
    assert sorted(log[:2000]) == sorted(('idle', c, True) for c in by_due[:2000])
    assert sorted(log[2000:]) == sorted([('msg', on_page_3, 'a'), ('msg', on_page_4, 'b'),
                                         ('open', 5000), ('msg', 5000, 'new')])
    assert store.counts()['idle'] == 1501     # the closed ones' deadlines are forgotten
    store.close()


class _Failing(SQLiteStore):
    """Its done-mark writes fail while ``fail`` is set."""
    fail = False

    def mark_done(self, *args, **kwargs):
        if self.fail:
            from telepot_ng.store import StoreWriteError
            raise StoreWriteError('disk full (test)')
        return super().mark_done(*args, **kwargs)


class _Bye(ChatHandler):
    log = []

    def open(self, msg, seed):
        _Bye.log.append(('open', self.chat_id))

    def on_chat_message(self, msg):
        _Bye.log.append(('msg', self.chat_id, msg['text']))
        if msg['text'] == 'bye':
            self.close()

    def on_close(self, ex):
        _Bye.log.append(('close', self.chat_id))


def test_a_seed_whose_handler_ended_in_this_run_is_not_revived_from_its_stale_row(
        tmp_path, monkeypatch):
    """While kept deadlines remain on pages not read yet, a message for a seed with no
    live handler asks the store. A handler of this run that ended left its deadline's
    removal staged, not written (the store fails writes): its row in the store is not a
    deadline kept before the restart, and its next message opens a new handler."""
    from telepot_ng.store import IdleRecord, StateKey
    from telepot_ng.store import _revive
    monkeypatch.setattr(_revive, 'PAGE', 1)
    path = str(tmp_path / 'bot.sqlite3')
    _Bye.log = []
    log = _Bye.log
    with FakeTelegram() as tg:
        bot_id = int(tg.token.split(':')[0])
        with SQLiteStore(path) as s:
            s.bind(bot_id)
            s.mark_done([], idle=[IdleRecord(StateKey(bot_id, '0', str(c)), time.time() + 600,
                                             json.dumps(dict(update_id=c, **_message(c, 'x'))))
                                  for c in (1, 2)])
        store = _Failing(path)
        bot = telepot_ng.DelegatorBot(tg.token, [(per_chat_id(), create_open(_Bye, timeout=60))],
                                      base_url=tg.base_url, store=store)
        MessageLoop(bot).run_as_thread(timeout=1)
        try:
            tg.push_updates([_message(7, 'hi')])
            _until(lambda: log == [('open', 7), ('msg', 7, 'hi')])
            _until(lambda: bot._ledger.flush(5) and store.counts()['idle'] == 3)   # 7's row
            store.fail = True
            tg.push_updates([_message(7, 'bye')])
            _until(lambda: ('close', 7) in log)
            assert bot._revivals                   # chat 2's deadline is on a page not read
            tg.push_updates([_message(7, 'again')])
            _until(lambda: ('msg', 7, 'again') in log)
            assert log[2:] == [('msg', 7, 'bye'), ('close', 7), ('open', 7), ('msg', 7, 'again')]
            store.fail = False
            _until(lambda: bot._ledger.flush(5))
        finally:
            store.fail = False
            bot.stop()
    assert store.counts()['idle'] == 3          # 1, 2 and the new handler of chat 7
    store.close()


def test_revivals_read_pages_in_due_order_and_retry_a_page_the_store_refused(tmp_path,
                                                                             monkeypatch):
    from telepot_ng.store import IdleRecord, StateKey, StoreError
    from telepot_ng.store import _revive
    from telepot_ng.store._ledger import Ledger
    with _Paged(str(tmp_path / 's.db')) as store:
        ledger = Ledger(store, 1)
        store.mark_done([], idle=[IdleRecord(StateKey(1, '0', str(c)), 100.0 + (c * 7) % 10,
                                             '{}') for c in range(10)])
        revivals = _revive.Revivals(ledger, page=4)
        assert store.pages == [4] and revivals.read == 4
        assert revivals.take(StateKey(1, '0', '3')) == 101.0           # on the page read
        assert revivals.take(StateKey(1, '0', '2')) == _revive.UNREAD  # maybe on a later one
        got = revivals.due_now(200.0, 3)
        assert got == [('0', '0', 100.0), ('0', '6', 102.0), ('0', '9', 103.0)]
        assert store.pages == [4]

        def refuse(limit, after=None):
            raise StoreError('locked (test)')
        monkeypatch.setattr(store, 'idle', refuse)
        before = time.time()
        assert before + _revive.RETRY - 1 < revivals.next_due() < time.time() + _revive.RETRY + 1
        assert revivals.due_now(200.0, 10) == []
        monkeypatch.undo()
        rest = revivals.due_now(200.0, 10)
        assert [r[2] for r in rest] == sorted(r[2] for r in rest)
        assert [r[1] for r in rest] == ['2', '5', '8', '1', '4', '7']
        assert store.pages == [4, 4, 2] and not revivals


def test_a_new_seed_is_known_unkept_without_a_store_read_while_pages_remain(tmp_path):
    """While kept deadlines remain on pages not read yet, a filter of every stored key
    (built at start) answers "not kept" for a seed that never had one without asking the
    store; a stored seed on a later page still comes back for a read. A store that does not
    offer its keys is asked every time, as before."""
    from telepot_ng.store import IdleRecord, StateKey
    from telepot_ng.store._ledger import Ledger
    from telepot_ng.store._revive import UNREAD, Revivals

    class NoKeys(SQLiteStore):
        def idle_keys(self):
            return None

    path = str(tmp_path / 'bot.sqlite3')
    with SQLiteStore(path) as s:
        s.bind(7)
        s.mark_done([], idle=[IdleRecord(StateKey(7, '0', str(c)), 1000.0 + c, '{}')
                              for c in range(2500)])
    for cls, unkept in ((SQLiteStore, None), (NoKeys, UNREAD)):
        store = cls(path)
        ledger = Ledger(store, 7)
        try:
            revivals = Revivals(ledger, page=1000)
            assert revivals.read == 1000 and revivals
            assert (revivals.keys is not None) == (cls is SQLiteStore)
            assert revivals.take(StateKey(7, '0', '2100')) == UNREAD     # on a page not read
            assert revivals.take(StateKey(7, '0', '5')) == 1005.0        # on the page read
            wrong = [c for c in range(10000, 12000)
                     if revivals.take(StateKey(7, '0', str(c))) is not unkept]
            if cls is SQLiteStore:
                assert len(wrong) < 100, len(wrong)     # the filter's ~1% "maybe"
            else:
                assert wrong == []
        finally:
            ledger.close()
            store.close()


class _Capped(ChatHandler):
    live = [0, 0]       # now, most at once
    log = []
    lock = threading.Lock()

    def open(self, msg, seed):
        with _Capped.lock:
            _Capped.live[0] += 1
            _Capped.live[1] = max(_Capped.live)
        _Capped.log.append(('open', self.chat_id, dict(self.state)))

    def on_chat_message(self, msg):
        self.state['n'] = self.state.get('n', 0) + 1
        _Capped.log.append(('msg', self.chat_id, msg['text']))
        if msg['text'] == 'bye':
            self.close()

    def on_close(self, ex):
        with _Capped.lock:
            _Capped.live[0] -= 1


def test_max_delegates_holds_a_kept_seed_back_at_the_cap(tmp_path):
    """max_delegates=1, chat 1 live; chat 2's idle deadline was kept before the restart
    (its state n=5). A message for chat 2 at the cap waits; when chat 1 closes, chat 2's
    delegate is made anew (open, with its saved state) and gets it. Never two at once."""
    from telepot_ng.store import IdleRecord, SavedState, StateKey
    path = str(tmp_path / 'bot.sqlite3')
    _Capped.live[:] = [0, 0]
    _Capped.log = []
    log = _Capped.log
    with FakeTelegram() as tg:
        bot_id = int(tg.token.split(':')[0])
        key = StateKey(bot_id, '0', '2')
        with SQLiteStore(path) as s:
            s.bind(bot_id)
            s.mark_done([], [SavedState(key, '{"n": 5}', None)], idle=[IdleRecord(
                key, time.time() + 600, json.dumps(dict(update_id=1, **_message(2, 'x'))))])
        bot = telepot_ng.DelegatorBot(
            tg.token, [pave_event_space()(per_chat_id(), create_open, _Capped, timeout=60)],
            base_url=tg.base_url, store=path, max_delegates=1)
        MessageLoop(bot).run_as_thread(timeout=1)
        try:
            tg.push_updates([_message(1, 'hi')])
            _until(lambda: ('msg', 1, 'hi') in log)
            tg.push_updates([_message(2, 'later')])
            _until(lambda: bot._registries[0].get(2) is not None)    # waiting for a place
            assert ('msg', 2, 'later') not in log and bot.live_delegates == 1
            tg.push_updates([_message(1, 'bye')])
            _until(lambda: ('msg', 2, 'later') in log)
        finally:
            bot.stop()
    assert _Capped.live[1] == 1, _Capped.live
    assert log == [('open', 1, {}), ('msg', 1, 'hi'), ('msg', 1, 'bye'),
                   ('open', 2, {'n': 5}), ('msg', 2, 'later')]


class _Keeps(ChatHandler):
    idled = threading.Event()

    def on_chat_message(self, msg):
        pass

    def on__idle(self, event):
        self.state['idle'] = self.state.get('idle', 0) + 1
        _Keeps.idled.set()               # returns: the handler stays


def test_a_handler_kept_by_on_idle_saves_its_state_and_a_new_deadline(tmp_path):
    """A pooled handler whose on__idle returns stays: what on__idle changed and its next
    idle deadline are written then, not left for its next message (after a restart the
    old, passed deadline would run on__idle again, late)."""
    from telepot_ng.store import StateKey
    path = str(tmp_path / 'bot.sqlite3')
    _Keeps.idled.clear()
    with FakeTelegram() as tg:
        bot = telepot_ng.DelegatorBot(
            tg.token, [pave_event_space()(per_chat_id(), create_open, _Keeps, timeout=0.3)],
            base_url=tg.base_url, store=path)
        MessageLoop(bot).run_as_thread(timeout=1)
        try:
            tg.push_updates([_message(9, 'hi')])
            assert _Keeps.idled.wait(10)
            _until(lambda: bot._ledger.flush(5) and bot.store.load_state(
                StateKey(bot._ledger.bot_id, '0', '9')) is not None)
            after_idle = time.time()
            saved = bot.store.load_state(StateKey(bot._ledger.bot_id, '0', '9'))
            assert json.loads(saved.data)['idle'] >= 1
            (rec,) = bot.store.idle(10)
            assert rec.due > after_idle - 0.05       # a deadline after the idle step
        finally:
            bot.stop()


def test_deadlines_whose_delegates_could_not_be_revived_come_first_again_later(tmp_path):
    """The bot could not read the kept messages of a due batch (the store failed): the
    batch is put back, nothing falls due for RETRY seconds, then the same deadlines come
    first, with their own due times (not lost for the rest of the run)."""
    from telepot_ng.store import IdleRecord, StateKey
    from telepot_ng.store import _revive
    from telepot_ng.store._ledger import Ledger
    with SQLiteStore(str(tmp_path / 's.db')) as store:
        ledger = Ledger(store, 1)
        store.mark_done([], idle=[IdleRecord(StateKey(1, '0', str(c)), 100.0 + c, '{}')
                                  for c in range(6)])
        revivals = _revive.Revivals(ledger)
        got = revivals.due_now(200.0, 3)
        assert got == [('0', '0', 100.0), ('0', '1', 101.0), ('0', '2', 102.0)]
        before = time.time()
        revivals.put_back(got)
        assert revivals.due_now(200.0, 10) == []
        assert before + _revive.RETRY - 1 < revivals.next_due() < time.time() + _revive.RETRY + 1
        later = time.time() + _revive.RETRY + 1
        assert revivals.due_now(later, 10) == got + [('0', '3', 103.0), ('0', '4', 104.0),
                                                       ('0', '5', 105.0)]
        ledger.close()

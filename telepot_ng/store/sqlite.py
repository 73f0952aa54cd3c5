"""The default store: one SQLite file, through the standard library's ``sqlite3``.

How it writes:

* one connection, used under a lock by every thread; ``isolation_level=None`` so no
  transaction is opened behind our back, and every write is ``BEGIN IMMEDIATE ... COMMIT``
  (the write lock is taken before anything is read, so a write never fails half-way with
  SQLITE_BUSY);
* WAL journal mode with ``locking_mode=EXCLUSIVE``: the file is locked for this process
  while it is open, so a second bot process on the same file gets
  :class:`~telepot_ng.store.StoreLockedError` at start instead of corrupting the journal;
* ``synchronous=NORMAL`` by default: a commit survives the process being killed (the WAL
  is written before COMMIT returns) but the last commits may roll back on a power loss or
  OS crash. ``synchronous='FULL'`` fsyncs the WAL on every commit to survive those too, at
  the cost of one fsync per commit;
* the schema version is kept in ``PRAGMA user_version`` and the file is marked as ours in
  ``PRAGMA application_id``; a newer version or another program's database is refused.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .. import _masking
from .base import (NotAStoreError, SavedState, StateKey, Store, StoreError, StoreLockedError,
                   StoreOpenError, StoreVersionError, StoreWriteError, TimerRecord,
                   IdleRecord, DEDUPE_WINDOW)

__all__ = ['SQLiteStore', 'SCHEMA_VERSION', 'APPLICATION_ID']

log = _masking.logger(__name__)

#: Schema version written to ``PRAGMA user_version`` (2: idle deadlines; 3: whole getUpdates
#: answers in the journal; an older file gets the new tables when opened).
SCHEMA_VERSION = 3
#: ``PRAGMA application_id`` of a telepot_ng store ('tpng').
APPLICATION_ID = 0x74706E67

_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE journal (      -- updates journaled (a done one's row goes at the next compaction)
    update_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL         -- the Update as JSON
);
CREATE TABLE done (         -- ids marked done, kept for the dedupe window
    update_id INTEGER PRIMARY KEY,
    at REAL NOT NULL           -- when it was marked done
);
CREATE TABLE state (
    bot_id INTEGER NOT NULL, pattern TEXT NOT NULL, seed TEXT NOT NULL,
    data TEXT NOT NULL, upto INTEGER, at REAL NOT NULL,
    PRIMARY KEY (bot_id, pattern, seed)
) WITHOUT ROWID;
CREATE TABLE timer (id TEXT PRIMARY KEY, due REAL NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX timer_due ON timer(due);
"""
# added in schema version 2
_SCHEMA_2 = """
CREATE TABLE idle (         -- delegates' idle deadlines (schema version 2)
    bot_id INTEGER NOT NULL, pattern TEXT NOT NULL, seed TEXT NOT NULL,
    due REAL NOT NULL,         -- when the idle timeout falls due (time.time())
    msg TEXT NOT NULL,         -- the message the delegate was created for, as JSON
    PRIMARY KEY (bot_id, pattern, seed)
) WITHOUT ROWID;
CREATE INDEX idle_due ON idle(due, pattern, seed);
"""
# added in schema version 3
_SCHEMA_3 = """
CREATE TABLE answer (       -- getUpdates answers journaled whole (schema version 3): the
    first INTEGER PRIMARY KEY, -- updates result[at:] of body have the ids first..last, one
    last INTEGER NOT NULL,     -- each (an answer goes once all of them are done)
    at INTEGER NOT NULL,
    body BLOB NOT NULL         -- the answer's bytes, as received
);
"""

_SYNCHRONOUS = ('OFF', 'NORMAL', 'FULL', 'EXTRA')
#: done-marks between two compactions of the journal (dropping done updates' bodies)
_COMPACT_EVERY = 1000
_encode = json.JSONEncoder(separators=(',', ':'), ensure_ascii=False).encode


#: answers of which some update is not done yet (first, last, at, body), first first
_ANSWERS_NOT_DONE = ('SELECT first, last, at, body FROM answer WHERE (SELECT count(*) FROM '
                     'done WHERE update_id BETWEEN first AND last) < last - first + 1')
#: delete the answers up to ?1 whose updates are all done
_DELETE_DONE_ANSWERS = ('DELETE FROM answer WHERE first <= ?1 AND (SELECT count(*) FROM done '
                        'WHERE update_id BETWEEN first AND last) = last - first + 1')


class _NotFromAnswer(Exception):
    """A getUpdates answer's text did not give the updates decoded from it (rolled back)."""


def _busy(e: BaseException) -> bool:
    text = str(e).lower()
    return 'locked' in text or 'busy' in text


class SQLiteStore(Store):
    """A :class:`~telepot_ng.store.Store` in one SQLite file (created when missing).

    :param path: the file (``':memory:'`` for a store that dies with the process, for tests).
    :param synchronous: ``'NORMAL'`` (default: survives a killed process) or ``'FULL'``
        (also survives a power loss; one fsync per commit).
    :param window: seconds done update_ids are remembered (default 24 h).
    :param clock: ``time.time`` (injectable for tests and benchmarks).

    Raises :class:`~telepot_ng.store.StoreOpenError`, :class:`NotAStoreError`,
    :class:`StoreVersionError` or :class:`StoreLockedError` when the file cannot serve as
    this bot's store.
    """

    def __init__(self, path: Any, *, synchronous: str = 'NORMAL', window: float = DEDUPE_WINDOW,
                 clock: Callable[[], float] = time.time) -> None:
        sync = str(synchronous).upper()
        if sync not in _SYNCHRONOUS:
            raise ValueError('synchronous must be one of %s, not %r'
                             % (', '.join(_SYNCHRONOUS), synchronous))
        if not window > 0:
            raise ValueError('window must be a positive number of seconds')
        self.path = os.fspath(path)
        self.window = float(window)
        self.synchronous = sync
        self._clock = clock
        self._lock = threading.Lock()
        self._bot_id: Optional[int] = None
        self._pruned_upto = 0
        self._compacted_upto = 0
        self._since_compact = 0
        self._top = 0                 # highest update_id ever journaled or done (cached)
        self._json = False            # SQLite has json_each and ->> (3.38+)
        #: counts since open: ``commits`` (write transactions) and ``rollbacks``
        self.stats: Dict[str, int] = {'commits': 0, 'rollbacks': 0}
        self._db: Optional[sqlite3.Connection] = self._open()

    def __repr__(self) -> str:
        return '<SQLiteStore %r%s>' % (self.path, '' if self._db is not None else ' closed')

    # -- opening ------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        path = self.path
        if path != ':memory:':
            if os.path.isdir(path):
                raise StoreOpenError('store path %r is a directory' % path)
            parent = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(parent):
                raise StoreOpenError('cannot create store %r: directory %r does not exist'
                                     % (path, parent))
        try:
            db = sqlite3.connect(path, timeout=0.2, isolation_level=None,
                                 check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreOpenError('cannot open store %r: %s' % (path, e)) from None
        try:
            self._prepare(db)
        except BaseException:
            db.close()
            raise
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        path = self.path
        try:
            db.execute('PRAGMA locking_mode=EXCLUSIVE')
            app_id = db.execute('PRAGMA application_id').fetchone()[0]
            version = db.execute('PRAGMA user_version').fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as e:
            if _busy(e):
                raise StoreLockedError('store %r is in use by another process (another bot '
                                       'running on it?)' % path) from None
            if isinstance(e, sqlite3.OperationalError) and 'unable to open' in str(e):
                raise StoreOpenError('cannot open store %r: %s' % (path, e)) from None
            raise NotAStoreError('%r is not a telepot_ng store (%s)' % (path, e)) from None
        if tables and app_id != APPLICATION_ID:
            raise NotAStoreError('%r is an SQLite database of another program, not a '
                                 'telepot_ng store' % path)
        if version > SCHEMA_VERSION:
            raise StoreVersionError('store %r has schema version %d, written by a newer '
                                    'telepot_ng; this version reads up to %d'
                                    % (path, version, SCHEMA_VERSION))
        try:
            mode = db.execute('PRAGMA journal_mode=WAL').fetchone()[0]
            if path != ':memory:' and str(mode).lower() != 'wal':
                raise StoreOpenError('store %r: cannot switch to WAL mode (got %s)'
                                     % (path, mode))
            db.execute('PRAGMA synchronous=%s' % self.synchronous)
            db.execute('BEGIN IMMEDIATE')     # takes (and, in EXCLUSIVE mode, keeps) the lock
            try:
                if not tables or version < SCHEMA_VERSION:
                    new = ((_SCHEMA if not tables else '') + (_SCHEMA_2 if version < 2 else '')
                           + _SCHEMA_3)
                    for stmt in new.split(';'):
                        if stmt.strip():
                            db.execute(stmt)
                    if not tables:
                        db.execute('PRAGMA application_id=%d' % APPLICATION_ID)
                    db.execute('PRAGMA user_version=%d' % SCHEMA_VERSION)
                row = db.execute("SELECT v FROM meta WHERE k='pruned_upto'").fetchone()
                self._pruned_upto = int(row[0]) if row else 0
                try:
                    db.execute("SELECT value ->> 0 FROM json_each('[1]')").fetchone()
                    self._json = True
                except sqlite3.OperationalError:
                    self._json = False
                self._top = max(self._pruned_upto,
                                db.execute('SELECT max(update_id) FROM journal').fetchone()[0] or 0,
                                db.execute('SELECT max(update_id) FROM done').fetchone()[0] or 0,
                                db.execute('SELECT max(last) FROM answer').fetchone()[0] or 0)
                row = db.execute("SELECT v FROM meta WHERE k='bot_id'").fetchone()
                self._bot_id = int(row[0]) if row else None
                db.execute('COMMIT')
            except BaseException:
                db.execute('ROLLBACK')
                raise
        except StoreError:
            raise
        except sqlite3.DatabaseError as e:
            if _busy(e):
                raise StoreLockedError('store %r is in use by another process (another bot '
                                       'running on it?)' % path) from None
            if isinstance(e, sqlite3.OperationalError):
                raise StoreOpenError('cannot open store %r: %s' % (path, e)) from None
            raise NotAStoreError('%r is not a telepot_ng store (%s)' % (path, e)) from None

    def bind(self, bot_id: int) -> None:
        """Tie the store to one bot: a store already used by another bot is refused."""
        with self._lock:
            if self._bot_id is not None and self._bot_id != bot_id:
                raise NotAStoreError('store %r belongs to bot %d, not to bot %d'
                                     % (self.path, self._bot_id, bot_id))
            if self._bot_id is None:
                self._write(lambda db: db.execute(
                    "INSERT OR REPLACE INTO meta(k, v) VALUES ('bot_id', ?)", (str(bot_id),)))
                self._bot_id = bot_id

    # -- plumbing -----------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        db = self._db
        if db is None:
            raise StoreError('store %r is closed' % self.path)
        return db

    def _write(self, body: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``body`` in one write transaction (the caller holds the lock)."""
        db = self._conn()
        try:
            db.execute('BEGIN IMMEDIATE')
        except sqlite3.Error as e:
            raise StoreWriteError('store %r: cannot start a write: %s' % (self.path, e)) from None
        try:
            result = body(db)
            db.execute('COMMIT')
        except BaseException as e:
            self.stats['rollbacks'] += 1
            try:
                if db.in_transaction:
                    db.execute('ROLLBACK')
            except sqlite3.Error:
                log.debug('rollback failed', exc_info=True)
            if isinstance(e, sqlite3.Error):
                raise StoreWriteError('store %r: write failed: %s' % (self.path, e)) from None
            raise
        self.stats['commits'] += 1
        return result

    # -- journal ------------------------------------------------------------------------------
    def append(self, updates: Sequence[Mapping[str, Any]]) -> List[int]:
        return self._append(updates, None)

    def append_answer(self, updates: Sequence[Mapping[str, Any]], answer: Any,
                      first: int = 0, *, decoded: bool = False) -> List[int]:
        """As :meth:`append`; the bodies are taken from ``answer`` (the getUpdates answer
        whose ``result[first:]`` the updates are), without encoding them in Python (which
        holds the GIL): when the caller ``decoded`` them from it and their ids are new and
        consecutive (as Telegram numbers them) the answer is kept whole, one row; else, when
        SQLite has JSON functions, one row per update is cut from it and checked."""
        if decoded and updates and isinstance(answer, (bytes, str)):
            ids = [u['update_id'] for u in updates]
            lo, hi = ids[0], ids[-1]
            if hi - lo == len(ids) - 1 and ids == list(range(lo, hi + 1)):
                with self._lock:
                    if lo > self._top and lo > self._pruned_upto:
                        body = answer if isinstance(answer, bytes) else answer.encode('utf-8')
                        db = self._conn()
                        try:        # one statement, a transaction of its own
                            db.execute('INSERT INTO answer(first, last, at, body) '
                                       'VALUES (?, ?, ?, ?)', (lo, hi, first, body))
                        except sqlite3.Error as e:
                            self.stats['rollbacks'] += 1
                            raise StoreWriteError('store %r: write failed: %s'
                                                  % (self.path, e)) from None
                        self.stats['commits'] += 1
                        self._top = hi
                        return ids
        if self._json:
            try:
                text = answer if isinstance(answer, str) else str(answer, 'utf-8')
            except (TypeError, ValueError):
                pass
            else:
                try:
                    return self._append(updates, (text, first))
                except _NotFromAnswer:
                    pass
        return self._append(updates, None)

    def _append(self, updates: Sequence[Mapping[str, Any]],
                answer: Optional[Tuple[str, int]]) -> List[int]:
        if not updates:
            return []
        ids = [u['update_id'] for u in updates]
        lo, hi = min(ids), max(ids)

        def body(db: sqlite3.Connection) -> List[int]:
            seen: set = set()
            if lo <= self._top:         # else all are above anything ever journaled
                seen.update(r[0] for r in db.execute(
                    'SELECT update_id FROM journal WHERE update_id BETWEEN ? AND ?', (lo, hi)))
                seen.update(r[0] for r in db.execute(
                    'SELECT update_id FROM done WHERE update_id BETWEEN ? AND ?', (lo, hi)))
                for a, b in db.execute('SELECT first, last FROM answer WHERE first <= ? AND '
                                       'last >= ?', (hi, lo)):
                    seen.update(range(max(a, lo), min(b, hi) + 1))
            cutoff = self._pruned_upto
            fresh = []
            for u in updates:
                uid = u['update_id']
                if uid > cutoff and uid not in seen:
                    seen.add(uid)
                    fresh.append(u)
            if fresh and answer is not None and len(fresh) == len(updates):
                try:
                    n = self._insert_answer(db, answer[0], answer[1], ids)
                except sqlite3.Error:   # not JSON to SQLite (NaN), an id twice
                    n = -1
                if n != len(ids):
                    raise _NotFromAnswer()      # rolled back; the caller encodes them
            elif fresh:
                self._insert_many(db, 'INSERT INTO journal(update_id, body) ',
                                  "json_extract(value, '$.update_id'), value", fresh,
                                  [(u['update_id'], _encode(u)) for u in fresh]
                                  if not self._json else None)
            return [u['update_id'] for u in fresh]
        with self._lock:
            if answer is not None and lo > self._top and lo > self._pruned_upto:
                # all new: one INSERT, a transaction of its own (one step, the GIL let go
                # once: the loop waits for it before it confirms the batch)
                if self._journal_new(answer, ids, lo, hi):
                    return ids
                answer = None
            new = self._write(body)
            if hi > self._top:
                self._top = hi          # only once the write is committed
            return new

    def _journal_new(self, answer: Tuple[str, int], ids: List[int], lo: int, hi: int) -> bool:
        """Journal ``ids`` (``lo``..``hi``, above anything journaled) from the answer's text
        in one statement; False when it did not give exactly them (nothing is left)."""
        db = self._conn()
        try:
            n = self._insert_answer(db, answer[0], answer[1], ids)
        except sqlite3.Error:       # not JSON to SQLite, an id twice, a write error: the
            return False            # statement did nothing; the full write tries again
        if n == len(ids):
            self.stats['commits'] += 1
            self._top = hi
            return True
        if n > 0:                   # never seen: the rows go again
            self._write(lambda db: db.execute(
                'DELETE FROM journal WHERE update_id BETWEEN ? AND ?', (lo, hi)))
        return False

    @staticmethod
    def _insert_answer(db: sqlite3.Connection, answer: str, first: int, ids: List[int]) -> int:
        """Insert the updates ``ids``, which are ``result[first:]`` of the getUpdates
        answer's text, from that text; how many rows were inserted."""
        n = len(ids)
        last = first + n - 1
        if ids[-1] - ids[0] == n - 1 and ids == list(range(ids[0], ids[0] + n)):
            # consecutive ids (as Telegram numbers them): an update's id from its index (the
            # first's and the last's checked: an answer that is not the batch's inserts less)
            return db.execute("INSERT INTO journal(update_id, body) SELECT ?1 + key, value "
                              "FROM json_each(?2, '$.result') WHERE key BETWEEN ?3 AND ?4 "
                              "AND (key NOT IN (?3, ?4) OR value ->> 'update_id' = ?1 + key)",
                              (ids[0] - first, answer, first, last)).rowcount
        return db.execute("INSERT INTO journal(update_id, body) SELECT value ->> 'update_id', "
                          "value FROM json_each(?, '$.result') WHERE key BETWEEN ? AND ?",
                          (answer, first, last)).rowcount

    keeps_idle = True

    def mark_done(self, update_ids: Iterable[int], states: Iterable[SavedState] = (), *,
                  timers: Iterable[str] = (), idle: Iterable[IdleRecord] = ()) -> None:
        now = self._clock()
        done = list(update_ids)
        latest: Dict[StateKey, SavedState] = {}
        for s in states:
            latest[s.key] = s
        rows = [(s.key.bot_id, s.key.pattern, s.key.seed, s.data, s.upto, now)
                for s in latest.values()]
        fired = [(t,) for t in timers]
        idle = list(idle)
        if not done and not rows and not fired and not idle:
            return

        def body(db: sqlite3.Connection) -> None:
            if done:
                if self._json:
                    db.execute('INSERT OR IGNORE INTO done(update_id, at) SELECT value, ? '
                               'FROM json_each(?)', (now, _encode(done)))
                else:
                    db.executemany('INSERT OR IGNORE INTO done(update_id, at) VALUES (?, ?)',
                                   [(uid, now) for uid in done])
            if rows:
                self._insert_many(db, 'INSERT OR REPLACE INTO state(bot_id, pattern, seed, '
                                  'data, upto, at) ',
                                  "value ->> 0, value ->> 1, value ->> 2, value ->> 3, "
                                  "value ->> 4, value ->> 5", rows,
                                  rows if not self._json else None)
            if fired:
                db.executemany('DELETE FROM timer WHERE id = ?', fired)
            for r in idle:
                self._write_idle(db, r)
            if compact:
                compacted[0] = self._compact(db, self._compacted_upto)
        compacted: List[Optional[int]] = [None]
        with self._lock:
            compact = self._since_compact + len(done) >= _COMPACT_EVERY
            self._write(body)
            self._since_compact += len(done)
            if compact:
                self._since_compact = 0
                if compacted[0] is not None:
                    self._compacted_upto = compacted[0]

    @staticmethod
    def _write_idle(db: sqlite3.Connection, r: IdleRecord) -> None:
        k = r.key
        if r.due is None:
            db.execute('DELETE FROM idle WHERE bot_id = ? AND pattern = ? AND seed = ?',
                       (k.bot_id, k.pattern, k.seed))
        elif r.msg is None:             # moves a deadline stored with its message before
            db.execute('UPDATE idle SET due = ? WHERE bot_id = ? AND pattern = ? AND seed = ?',
                       (r.due, k.bot_id, k.pattern, k.seed))
        else:
            db.execute('INSERT OR REPLACE INTO idle(bot_id, pattern, seed, due, msg) '
                       'VALUES (?, ?, ?, ?, ?)', (k.bot_id, k.pattern, k.seed, r.due, r.msg))

    def _insert_many(self, db: sqlite3.Connection, head: str, columns: str, items: list,
                     rows: Optional[list]) -> None:
        """``head`` + the rows: with SQLite's JSON functions one statement over a JSON array
        of ``items`` (one step, one GIL release, instead of one per row), else
        executemany over ``rows``."""
        if rows is None:
            db.execute(head + 'SELECT ' + columns + ' FROM json_each(?)', (_encode(items),))
        else:
            db.executemany(head + 'VALUES (%s)' % ', '.join('?' * len(rows[0])), rows)

    @staticmethod
    def _compact(db: sqlite3.Connection, mark: int) -> Optional[int]:
        """Drop the journal rows of done updates (their ids stay in ``done``), in the
        done-marks' transaction every ``_COMPACT_EVERY`` marks; only ids done above ``mark``
        (the last compaction's) are looked at. The new mark, or None."""
        top = db.execute('SELECT max(update_id) FROM done').fetchone()[0]
        if top is None or top <= mark:
            return None
        db.execute('DELETE FROM journal WHERE update_id IN (SELECT update_id FROM done '
                   'WHERE update_id > ?)', (mark,))
        db.execute(_DELETE_DONE_ANSWERS, (top,))
        return top

    def pending(self) -> List[Dict[str, Any]]:
        with self._lock:
            db = self._conn()
            rows = db.execute(
                'SELECT body FROM journal WHERE NOT EXISTS (SELECT 1 FROM done '
                'WHERE done.update_id = journal.update_id) ORDER BY update_id').fetchall()
            out = [json.loads(r[0]) for r in rows]
            answers = self._answers_pending(db)
        if answers:
            out.extend(answers)
            out.sort(key=lambda u: u['update_id'])
        return out

    @staticmethod
    def _answers_pending(db: sqlite3.Connection, upto: Optional[int] = None
                         ) -> List[Dict[str, Any]]:
        """The updates of journaled answers (all of them, or those whose first id is at most
        ``upto``) not marked done. An answer that cannot be read any more is logged and
        skipped."""
        out: List[Dict[str, Any]] = []
        rows = db.execute(_ANSWERS_NOT_DONE + ('' if upto is None else ' AND first <= ?'),
                          () if upto is None else (upto,)).fetchall()
        for first, last, at, body in rows:
            done = {r[0] for r in db.execute(
                'SELECT update_id FROM done WHERE update_id BETWEEN ? AND ?', (first, last))}
            try:
                result = json.loads(body)['result'][at:at + last - first + 1]
                ids = [u['update_id'] for u in result]
            except (ValueError, TypeError, KeyError, IndexError) as e:
                log.error('journaled getUpdates answer of updates %d..%d cannot be read (%s); '
                          'they are not delivered again', first, last, e)
                continue
            if ids != list(range(first, last + 1)):
                log.error('journaled getUpdates answer of updates %d..%d holds other updates; '
                          'they are not delivered again', first, last)
                continue
            out.extend(u for u in result if u['update_id'] not in done)
        return out

    def prune(self, before: float) -> int:
        def body(db: sqlite3.Connection) -> int:
            # ids are marked done in about increasing order: the prunable ones come first
            row = db.execute('SELECT update_id FROM done WHERE at >= ? ORDER BY update_id '
                             'LIMIT 1', (before,)).fetchone()
            if row is None:
                cut = db.execute('SELECT max(update_id) + 1 FROM done').fetchone()[0]
                if cut is None:
                    return 0
            else:
                cut = row[0]
            top = db.execute('SELECT max(update_id) FROM done WHERE update_id < ? AND at < ?',
                             (cut, before)).fetchone()[0]
            if top is None:
                return 0
            # an answer with updates still not done whose done ids are about to be
            # forgotten: its updates not done become rows of their own; then they all go
            left = self._answers_pending(db, top)
            if left:
                db.executemany('INSERT OR IGNORE INTO journal(update_id, body) VALUES (?, ?)',
                               [(u['update_id'], _encode(u)) for u in left])
            db.execute('DELETE FROM answer WHERE first <= ?', (top,))
            db.execute('DELETE FROM journal WHERE update_id IN (SELECT update_id FROM done '
                       'WHERE update_id < ? AND at < ?)', (cut, before))
            n = db.execute('DELETE FROM done WHERE update_id < ? AND at < ?',
                           (cut, before)).rowcount
            if top > self._pruned_upto:
                db.execute("INSERT OR REPLACE INTO meta(k, v) VALUES ('pruned_upto', ?)",
                           (str(top),))
                self._pruned_upto = top
            return n
        with self._lock:
            return self._write(body)

    def idle(self, limit: int, after: Optional[IdleRecord] = None) -> List[IdleRecord]:
        bot_id = self._bot_id
        with self._lock:
            db = self._conn()
            if after is None:
                rows = db.execute('SELECT pattern, seed, due FROM idle WHERE bot_id = ? '
                                  'ORDER BY due, pattern, seed LIMIT ?',
                                  (bot_id, limit)).fetchall()
            else:
                rows = db.execute('SELECT pattern, seed, due FROM idle WHERE bot_id = ? AND '
                                  '(due, pattern, seed) > (?, ?, ?) ORDER BY due, pattern, seed '
                                  'LIMIT ?', (bot_id, after.due, after.key.pattern,
                                              after.key.seed, limit)).fetchall()
        return [IdleRecord(StateKey(bot_id, p, sd), due, None) for p, sd, due in rows]

    def idle_keys(self) -> Optional[List[Tuple[str, str]]]:
        with self._lock:
            return self._conn().execute('SELECT pattern, seed FROM idle WHERE bot_id = ?',
                                        (self._bot_id,)).fetchall()

    def idle_messages(self, keys: Sequence[StateKey]) -> Dict[StateKey, str]:
        with self._lock:
            rows = self._select_keyed('t.msg', 'idle', keys)
        return {keys[i]: msg for i, msg in rows}

    def _select_keyed(self, columns: str, table: str, keys: Sequence[StateKey]) -> List[tuple]:
        """``(i, *columns)`` for each row of ``table`` (as ``t``) whose key is ``keys[i]``
        (the caller holds the lock): with SQLite's JSON functions one statement over a JSON
        array of the keys (one step, one GIL release), else (or for one key) one query per
        key."""
        if not keys:
            return []
        db = self._conn()
        if self._json and len(keys) > 1:
            return db.execute('SELECT j.key, %s FROM json_each(?) AS j JOIN %s AS t ON '
                              't.bot_id = j.value ->> 0 AND t.pattern = j.value ->> 1 AND '
                              't.seed = j.value ->> 2' % (columns, table),
                              (_encode(keys),)).fetchall()
        sql = ('SELECT %s FROM %s AS t WHERE t.bot_id = ? AND t.pattern = ? AND t.seed = ?'
               % (columns, table))
        out = []
        for i, k in enumerate(keys):
            row = db.execute(sql, k).fetchone()
            if row is not None:
                out.append((i,) + tuple(row))
        return out

    def counts(self) -> Dict[str, int]:
        """Rows per kind: ``pending``, ``done`` (remembered ids), ``states``, ``timers``,
        ``idle`` (deadlines)."""
        with self._lock:
            db = self._conn()
            pending = db.execute('SELECT count(*) FROM journal WHERE NOT EXISTS (SELECT 1 '
                                 'FROM done WHERE done.update_id = journal.update_id)'
                                 ).fetchone()[0]
            pending += db.execute('SELECT coalesce(sum(last - first + 1 - (SELECT count(*) '
                                  'FROM done WHERE update_id BETWEEN first AND last)), 0) '
                                  'FROM answer').fetchone()[0]
            done = db.execute('SELECT count(*) FROM done').fetchone()[0]
            states = db.execute('SELECT count(*) FROM state').fetchone()[0]
            timers = db.execute('SELECT count(*) FROM timer').fetchone()[0]
            idle = db.execute('SELECT count(*) FROM idle').fetchone()[0]
        return {'pending': pending, 'done': done, 'states': states, 'timers': timers,
                'idle': idle}

    # -- states -------------------------------------------------------------------------------
    def load_state(self, key: StateKey) -> Optional[SavedState]:
        with self._lock:
            row = self._conn().execute(
                'SELECT data, upto FROM state WHERE bot_id = ? AND pattern = ? AND seed = ?',
                (key.bot_id, key.pattern, key.seed)).fetchone()
        return None if row is None else SavedState(key, row[0], row[1])

    def load_states(self, keys: Sequence[StateKey]) -> Dict[StateKey, SavedState]:
        """The states saved under ``keys`` (those that have one), read in one statement."""
        with self._lock:
            rows = self._select_keyed('t.data, t.upto', 'state', keys)
        return {keys[i]: SavedState(keys[i], data, upto) for i, data, upto in rows}

    # -- timers -------------------------------------------------------------------------------
    def set_timer(self, timer: TimerRecord) -> None:
        with self._lock:
            self._write(lambda db: db.execute(
                'INSERT OR REPLACE INTO timer(id, due, data) VALUES (?, ?, ?)',
                (timer.timer_id, timer.due, timer.data)))

    def delete_timer(self, timer_id: str) -> None:
        with self._lock:
            self._write(lambda db: db.execute('DELETE FROM timer WHERE id = ?', (timer_id,)))

    def timers(self) -> List[TimerRecord]:
        with self._lock:
            rows = self._conn().execute('SELECT id, due, data FROM timer ORDER BY due').fetchall()
        return [TimerRecord(*r) for r in rows]

    # -- life ---------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            db, self._db = self._db, None
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                log.warning('closing store %r failed', self.path, exc_info=True)

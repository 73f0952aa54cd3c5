"""The store interface: what a durable store keeps for a bot, and the errors it raises.

A store keeps three things for one bot:

* a **journal** of updates: :meth:`Store.append` records a batch of updates in one atomic
  write before they are confirmed to Telegram; :meth:`Store.mark_done` records that updates
  were handled (together with the handler states they changed, in the same atomic write);
  :meth:`Store.pending` lists what was journaled and not done (redelivered on start);
  :meth:`Store.prune` forgets done updates older than the dedupe window;
* **handler states**: a JSON text per :class:`StateKey` (:meth:`Store.load_state`), written
  only through :meth:`Store.mark_done`;
* **timers**: scheduled events as absolute times (:meth:`Store.set_timer`,
  :meth:`Store.delete_timer`, :meth:`Store.timers`); a handled one is deleted by
  :meth:`Store.mark_done` (``timers=``) in the write of the done-marks handled with it;
* **idle deadlines** (stores with :attr:`Store.keeps_idle`): per delegate seed, when its
  idle timeout falls due (an absolute time) and the message it was created for, written by
  :meth:`Store.mark_done` (``idle=``) and read back on start (:meth:`Store.idle`,
  :meth:`Store.idle_messages`) to revive the delegate.

Values cross this interface as plain data (ints, floats, JSON texts), never as Python
objects, so an implementation over another database (Redis) is a translation of a handful
of methods. Every method may be called from any thread; the implementation serialises them.
"""
from __future__ import annotations

import abc
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ..exception import TelepotException

__all__ = ['Store', 'StateKey', 'SavedState', 'TimerRecord', 'IdleRecord', 'DEDUPE_WINDOW',
           'StoreError',
           'StoreOpenError', 'NotAStoreError', 'StoreVersionError', 'StoreLockedError',
           'StoreWriteError']

#: Seconds a done update_id is remembered (Telegram keeps undelivered updates 24 hours).
DEDUPE_WINDOW = 24 * 3600.0


class StateKey(NamedTuple):
    """Where a handler's state lives: the bot, the delegation pattern (its index as text, or
    ``'bot'`` for the bot-wide ``bot.state``) and the seed (as JSON text)."""
    bot_id: int
    pattern: str
    seed: str


class SavedState(NamedTuple):
    """A state to write: its key, its value as JSON text, and the highest update_id whose
    handling it includes (None: not tied to an update)."""
    key: StateKey
    data: str
    upto: Optional[int]


class TimerRecord(NamedTuple):
    """A scheduled event: its id, when it is due (a ``time.time()`` timestamp) and its data
    as JSON text."""
    timer_id: str
    due: float
    data: str


class IdleRecord(NamedTuple):
    """A delegate's idle deadline: its state's key, when its idle timeout falls due (a
    ``time.time()`` timestamp; None: forget the deadline) and the message it was created
    for as JSON text (an Update, or a scheduler event's data; None: keep the one stored)."""
    key: StateKey
    due: Optional[float]
    msg: Optional[str]


class StoreError(TelepotException):
    """A store could not be used. Raised by :func:`~telepot_ng.store.open_store` (and so by
    ``Bot(..., store=...)``) before anything is polled, or by a write while running."""


class StoreOpenError(StoreError):
    """The store's path cannot be opened or created (missing directory, no permission)."""


class NotAStoreError(StoreError):
    """The file exists but is not a telepot_ng store (not SQLite, or another program's
    database, or another bot's store)."""


class StoreVersionError(StoreError):
    """The store was written by a newer telepot_ng (its schema version is higher than this
    version knows); it is left untouched."""


class StoreLockedError(StoreError):
    """Another process (another bot) has the store open."""


class StoreWriteError(StoreError):
    """A write failed (disk full, I/O error): nothing of it was stored."""


class Store(abc.ABC):
    """What every store implements. See the module documentation and REFERENCE.md."""

    #: seconds a done update_id is remembered; :meth:`prune` is called with ``now - window``
    window: float = DEDUPE_WINDOW
    #: True when :meth:`mark_done` takes ``timers`` and ``idle`` and :meth:`idle` /
    #: :meth:`idle_messages` are implemented (else handled timers are deleted one by one
    #: after the done-marks, and idle deadlines are not kept)
    keeps_idle: bool = False

    @abc.abstractmethod
    def append(self, updates: Sequence[Mapping[str, Any]]) -> List[int]:
        """Journal ``updates`` (Update dicts with an integer ``update_id``) in one atomic
        write and return the update_ids that were new, in the order given.

        An update_id already journaled (pending or done), or at or below the highest id
        ever pruned, is not new and is not written again. Raises :class:`StoreWriteError`
        when the write failed; then nothing was journaled.
        """

    def append_answer(self, updates: Sequence[Mapping[str, Any]], answer: Any,
                      first: int = 0, *, decoded: bool = False) -> List[int]:
        """As :meth:`append`, for ``updates`` that are ``result[first:]`` of ``answer``, the
        raw JSON (bytes or text) of the getUpdates answer they were decoded from: a store
        may take their bodies from it rather than encode each update again. ``decoded``:
        the caller decoded ``updates`` from these very bytes, so they are known to match
        (a store may then keep the answer as it is, unchecked). This default calls
        :meth:`append`."""
        return self.append(updates)

    @abc.abstractmethod
    def mark_done(self, update_ids: Iterable[int], states: Iterable[SavedState] = (), *,
                  timers: Iterable[str] = (), idle: Iterable[IdleRecord] = ()) -> None:
        """In one atomic write: mark ``update_ids`` done (their bodies may be dropped, their
        ids are remembered for the dedupe window), save ``states`` (the last one per key
        wins), delete the handled ``timers`` (ids) and save or forget the ``idle`` deadlines
        (in order; a record without ``msg`` only moves an existing deadline). Raises
        :class:`StoreWriteError` when the write failed; then nothing of it was written.
        ``timers`` and ``idle`` are only given to a store with :attr:`keeps_idle`."""

    @abc.abstractmethod
    def pending(self) -> List[Dict[str, Any]]:
        """Journaled updates not marked done, as Update dicts, in update_id order."""

    @abc.abstractmethod
    def prune(self, before: float) -> int:
        """Forget done updates marked done before ``before`` (a ``time.time()`` timestamp),
        remembering the highest id forgotten; return how many were forgotten."""

    @abc.abstractmethod
    def load_state(self, key: StateKey) -> Optional[SavedState]:
        """The state saved under ``key``, or None."""

    def load_states(self, keys: Sequence[StateKey]) -> Dict[StateKey, SavedState]:
        """The states saved under ``keys`` (those that have one). This default calls
        :meth:`load_state` per key; a store may read them all at once."""
        out: Dict[StateKey, SavedState] = {}
        for k in keys:
            s = self.load_state(k)
            if s is not None:
                out[k] = s
        return out

    @abc.abstractmethod
    def set_timer(self, timer: TimerRecord) -> None:
        """Save (or replace) a timer."""

    @abc.abstractmethod
    def delete_timer(self, timer_id: str) -> None:
        """Forget a timer (no error if unknown)."""

    @abc.abstractmethod
    def timers(self) -> List[TimerRecord]:
        """All saved timers, earliest first."""

    def idle(self, limit: int, after: Optional[IdleRecord] = None) -> List[IdleRecord]:
        """Up to ``limit`` idle deadlines, earliest first, after ``after`` (the last one of
        the previous page) -- without their messages (``msg`` None)."""
        return []

    def idle_messages(self, keys: Sequence[StateKey]) -> Dict[StateKey, str]:
        """The messages stored with the idle deadlines of ``keys`` (those that have one)."""
        return {}

    def idle_keys(self) -> Optional[List[Tuple[str, str]]]:
        """Every ``(pattern, seed)`` with an idle deadline of this bot, in any order (read
        once at start into a compact filter: a new seed without one is then known at once),
        or None when the store does not offer it (then each new seed is looked up while
        deadlines remain unread)."""
        return None

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store (files, locks, connections). Idempotent."""

    def bind(self, bot_id: int) -> None:
        """Called once by the bot that uses the store; a store may refuse (NotAStoreError)
        to serve a second bot."""

    def __enter__(self) -> 'Store':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

"""Broadcast: one Bot API call to many chats, as fast as the rate limits allow, resumable.

``bot.broadcast(chat_ids, 'sendMessage', text='...')`` queues every chat in the rate
limiter's bulk lane (so replies to users who are talking to the bot now go first), sends with
a few worker threads as tokens come, and returns a :class:`BroadcastReport` with each chat's
outcome: ``sent``, ``blocked`` (403: the user blocked the bot), ``forbidden`` (other 403s:
kicked, deactivated), ``not_found`` (400 chat not found), ``failed`` (another error),
``unknown`` (the request may have reached Telegram but no answer came: never re-sent), or
``not_sent`` (nothing reached Telegram: the bot stopped, the flood retries ran out; a resumed
broadcast sends these).

Progress is pluggable (:class:`BroadcastProgress`): in memory by default, the bot's durable
store (``progress='<job name>'`` with ``Bot(token, store=...)``: :class:`StoreProgress`), or a
JSON-lines file (:class:`FileProgress`); a broadcast interrupted by a crash resumes from the
last two. Before each call
its intent is recorded; a call whose intent is on record but whose outcome is not (the process
died while it was in flight) is reported ``unknown`` on resume and not sent again, so nothing
is ever delivered twice.
"""
from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple,
                    Union)

from . import _masking
from .exception import (BotWasBlockedError, NetworkError, TelegramError, TelepotException,
                        TooManyRequestsError)
from .ratelimit import RateLimiterClosed, RateLimitError

__all__ = ['broadcast', 'broadcast_async', 'BroadcastReport', 'BroadcastProgress', 'MemoryProgress',
           'FileProgress', 'StoreProgress', 'OUTCOMES']

log = _masking.logger(__name__)

#: The outcomes a chat can have; all but ``not_sent`` are final (a resume skips them).
OUTCOMES = ('sent', 'blocked', 'forbidden', 'not_found', 'failed', 'unknown', 'not_sent')
_FINAL = frozenset(OUTCOMES) - {'not_sent'}
_SENDING = 'sending'


class BroadcastProgress:
    """Where a broadcast records what it did, item by item (an item is a position in
    ``chat_ids``). Implement ``get`` and ``record``; both may be called from any thread."""

    def get(self, index: int) -> Optional[Tuple[Any, str]]:
        """``(chat_id, state)`` recorded for item ``index``, or None; a state is an outcome
        or ``'sending'`` (the call was about to be made)."""
        raise NotImplementedError

    def record(self, index: int, chat_id: Any, state: str, detail: Optional[str]) -> None:
        """Remember an item's new state (durably, for a resumable progress)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release files; called when the broadcast ends."""


class MemoryProgress(BroadcastProgress):
    """Progress in a dict: a broadcast stopped by ``bot.stop()`` can be resumed in the same
    process by passing the same object again (not across a crash)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.items: Dict[int, Tuple[Any, str]] = {}

    def get(self, index: int) -> Optional[Tuple[Any, str]]:
        with self._lock:
            return self.items.get(index)

    def record(self, index: int, chat_id: Any, state: str, detail: Optional[str]) -> None:
        with self._lock:
            self.items[index] = (chat_id, state)


class FileProgress(BroadcastProgress):
    """Progress as JSON lines appended to ``path`` (one line per state change, flushed to the
    operating system at once, so it survives the process being killed; ``fsync=True`` also
    survives a power cut, at a disk sync per line). Resume a broadcast by running it again
    with the same path and the same ``chat_ids``."""

    def __init__(self, path: Union[str, 'os.PathLike[str]'], fsync: bool = False) -> None:
        self.path = os.fspath(path)
        self.fsync = fsync
        self._lock = threading.Lock()
        self._file: Any = None
        self._loaded: Optional[Dict[int, Tuple[Any, str]]] = None

    def get(self, index: int) -> Optional[Tuple[Any, str]]:
        if self._loaded is None:
            self._loaded = self.load()          # what earlier runs recorded
        return self._loaded.get(index)

    def load(self) -> Dict[int, Tuple[Any, str]]:
        """Everything recorded in the file: ``{index: (chat_id, last state)}``."""
        out: Dict[int, Tuple[Any, str]] = {}
        try:
            with open(self.path, 'rb') as f:
                for line in f:
                    try:
                        rec = json.loads(line)
                        out[int(rec['i'])] = (rec['chat'], str(rec['s']))
                    except (ValueError, KeyError, TypeError):
                        continue           # a line torn by a crash: ignore it
        except FileNotFoundError:
            pass
        return out

    def record(self, index: int, chat_id: Any, state: str, detail: Optional[str]) -> None:
        rec = {'i': index, 'chat': chat_id, 's': state}
        if detail:
            rec['d'] = detail
        line = (json.dumps(rec) + '\n').encode()
        with self._lock:
            if self._file is None:
                self._file = open(self.path, 'ab+')
                end = self._file.seek(0, os.SEEK_END)
                if end > 0:
                    self._file.seek(end - 1)
                    if self._file.read(1) != b'\n':
                        line = b'\n' + line        # end a line torn by a crash first
            self._file.write(line)
            self._file.flush()
            if self.fsync:
                os.fsync(self._file.fileno())

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


class StoreProgress(BroadcastProgress):
    """Progress in a durable store (:mod:`telepot_ng.store`), one handler-state row per item
    under the pattern ``'broadcast:<job>'``, each written atomically before the next step.
    ``bot.broadcast(..., progress='<job>')`` uses the bot's own store this way. What earlier
    runs recorded is read a page of ``PAGE`` items at a time (one store read per page)."""

    #: items whose recorded states are read from the store at once
    PAGE = 1000

    def __init__(self, store: Any, job: str, bot_id: int = 0) -> None:
        from .store import Store
        if not isinstance(store, Store):
            raise ValueError('store must be a telepot_ng.store.Store, got %s'
                             % type(store).__name__)
        if not isinstance(job, str) or not job:
            raise ValueError('job must be a non-empty name, got %r' % (job,))
        cluster = sys.modules.get('telepot_ng.cluster.store')
        if cluster is not None and isinstance(store, cluster.ClusterStore):
            # a cluster store keeps only states written with their update's done-mark: this
            # progress would record nothing, and a resumed broadcast would send it all again
            raise ValueError('a broadcast\'s progress cannot be kept in a cluster store; pass '
                             'a FileProgress (or a BroadcastProgress of your own) instead')
        self.store, self.job, self.bot_id = store, job, int(bot_id)
        self._lock = threading.Lock()
        self._page = -1                 # the page of items read last ...
        self._read: Dict[int, Tuple[Any, str]] = {}     # ... and what it holds

    def _key(self, index: int) -> Any:
        from .store import StateKey
        return StateKey(self.bot_id, 'broadcast:' + self.job, str(index))

    def get(self, index: int) -> Optional[Tuple[Any, str]]:
        page = index // self.PAGE
        with self._lock:
            if page != self._page:
                first = page * self.PAGE
                keys = [self._key(i) for i in range(first, first + self.PAGE)]
                read = {}
                for key, saved in self.store.load_states(keys).items():
                    rec = json.loads(saved.data)
                    read[int(key.seed)] = (rec['chat'], rec['s'])
                self._page, self._read = page, read
            return self._read.get(index)

    def record(self, index: int, chat_id: Any, state: str, detail: Optional[str]) -> None:
        from .store import SavedState
        rec = {'chat': chat_id, 's': state}
        if detail:
            rec['d'] = detail
        self.store.mark_done((), [SavedState(self._key(index), json.dumps(rec), None)])
        with self._lock:
            if index // self.PAGE == self._page:
                self._read[index] = (chat_id, state)


class BroadcastReport:
    """What a broadcast did: ``outcomes`` maps each item's index to ``(chat_id, outcome,
    detail)``; ``counts`` totals them; ``elapsed`` is seconds; ``skipped`` counts items a
    resumed run found already done."""

    def __init__(self) -> None:
        self.outcomes: Dict[int, Tuple[Any, str, Optional[str]]] = {}
        self.skipped = 0
        self.elapsed = 0.0
        self.results: Dict[int, Any] = {}

    @property
    def counts(self) -> Dict[str, int]:
        out = {k: 0 for k in OUTCOMES}
        for _, outcome, _ in self.outcomes.values():
            out[outcome] += 1
        return out

    def chats(self, outcome: str) -> List[Any]:
        """The chat ids whose outcome is ``outcome``, in the order given."""
        return [c for _, (c, o, _) in sorted(self.outcomes.items()) if o == outcome]

    @property
    def complete(self) -> bool:
        """True when no item is left ``not_sent``."""
        return all(o != 'not_sent' for _, o, _ in self.outcomes.values())

    def __repr__(self) -> str:
        counts = ', '.join('%s=%d' % kv for kv in self.counts.items() if kv[1])
        return '<BroadcastReport %s skipped=%d %.3g s>' % (counts or 'nothing', self.skipped,
                                                           self.elapsed)


def _classify(error: BaseException) -> Tuple[str, str]:
    if isinstance(error, BotWasBlockedError):
        return 'blocked', str(error)
    if isinstance(error, TooManyRequestsError) or isinstance(error, RateLimitError):
        return 'not_sent', str(error)
    if isinstance(error, TelegramError):
        text = str(error)
        if error.error_code == 403:
            return 'forbidden', text
        if 'chat not found' in text.lower() or 'user not found' in text.lower():
            return 'not_found', text
        return 'failed', text
    if isinstance(error, NetworkError):
        return ('unknown' if error.maybe_sent else 'not_sent'), str(error)
    return 'failed', '%s: %s' % (type(error).__name__, error)


def _items(chat_ids: Iterable[Any]) -> Iterator[Tuple[int, Any, Mapping[str, Any]]]:
    for i, item in enumerate(chat_ids):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
            yield i, item[0], item[1]
        else:
            yield i, item, {}


class _Run:
    """One broadcast's bookkeeping, shared by the threaded and the asyncio driver: the checks,
    the progress, which items to send, and each item's outcome."""

    def __init__(self, bot: Any, method: str, progress: Union[BroadcastProgress, str, None],
                 workers: int, window: int,
                 on_outcome: Optional[Callable[[int, Any, str, Any], Any]],
                 params: Mapping[str, Any]) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError('workers must be a whole number >= 1, got %r' % (workers,))
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise ValueError('window must be a whole number >= 1, got %r' % (window,))
        if not isinstance(method, str) or not method:
            raise ValueError('method must be a Bot API method name, got %r' % (method,))
        call = getattr(bot, method, None)
        if not callable(call):
            call = lambda **p: bot.call(method, **p)     # noqa: E731 - a method newer than us
        self.call = call
        self.method = method
        self.own_progress = progress is None
        if isinstance(progress, str):
            store = getattr(bot, 'store', None)
            if store is None:
                raise ValueError('progress=%r names a job in the bot\'s store, but the bot has '
                                 'no store (Bot(token, store=path)); pass a FileProgress instead'
                                 % (progress,))
            progress = StoreProgress(store, progress, getattr(bot, 'id', 0))
        progress = progress if progress is not None else MemoryProgress()
        if not isinstance(progress, BroadcastProgress):
            raise ValueError('progress must be a BroadcastProgress, got %s'
                             % type(progress).__name__)
        self.progress: BroadcastProgress = progress
        self.on_outcome = on_outcome
        self.params = params
        self.report = BroadcastReport()
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def pending(self, chat_ids: Iterable[Any]) -> Iterator[Tuple[int, Any, Dict[str, Any]]]:
        """``(index, chat_id, params)`` of each item to send, in order; items an earlier run
        finished are skipped, and those it left in flight are reported ``unknown``."""
        for index, chat_id, extra in _items(chat_ids):
            if self.stopped.is_set():
                # the bot is stopping: what is left is reported, not recorded (a resumed
                # run sends it)
                with self.lock:
                    self.report.outcomes[index] = (chat_id, 'not_sent', 'the bot stopped')
                continue
            before = self.progress.get(index)
            if before is not None and before[1] in _FINAL:
                self.report.skipped += 1
                continue
            if before is not None and before[1] == _SENDING:
                # in flight when the last run died: it may have been delivered
                self.finish(index, chat_id, 'unknown', 'in flight when an earlier run stopped',
                            None)
                continue
            p = dict(self.params)
            p.update(extra)
            p['chat_id'] = chat_id
            yield index, chat_id, p

    def sending(self, index: int, chat_id: Any) -> None:
        """The item's call is about to be made (recorded first: never sent twice)."""
        self.progress.record(index, chat_id, _SENDING, None)

    def failed(self, index: int, chat_id: Any, error: Exception) -> None:
        if isinstance(error, TelepotException):
            outcome, detail = _classify(error)
            if isinstance(error, RateLimiterClosed):
                self.stopped.set()
        else:           # a bug or a bad parameter: reported per chat
            outcome, detail = 'failed', '%s: %s' % (type(error).__name__, error)
        self.finish(index, chat_id, outcome, detail, error)

    def finish(self, index: int, chat_id: Any, outcome: str, detail: Optional[str],
               value: Any) -> None:
        self.progress.record(index, chat_id, outcome, detail)
        with self.lock:
            self.report.outcomes[index] = (chat_id, outcome, detail)
            if outcome == 'sent':
                self.report.results[index] = value
        if self.on_outcome is not None:
            try:
                self.on_outcome(index, chat_id, outcome, value)
            except Exception:
                log.exception('broadcast: on_outcome raised; going on')

    def end(self) -> BroadcastReport:
        if self.own_progress:
            self.progress.close()
        self.report.elapsed = time.monotonic() - self.started
        log.info('broadcast of %s: %r', self.method, self.report)
        return self.report


def broadcast(bot: Any, chat_ids: Iterable[Any], method: str = 'sendMessage', *,
              progress: Union[BroadcastProgress, str, None] = None, workers: int = 16,
              window: int = 1000,
              on_outcome: Optional[Callable[[int, Any, str, Any], Any]] = None,
              **params: Any) -> BroadcastReport:
    """Call ``method`` with ``params`` for every chat in ``chat_ids`` and report each outcome.

    An item of ``chat_ids`` is a chat id, or ``(chat_id, {param: value})`` for parameters of
    that chat only. Calls go in the rate limiter's bulk lane, at most ``window`` queued at
    once, sent by ``workers`` threads (enough to keep the allowance busy through network
    round trips). ``on_outcome(index, chat_id, outcome, result_or_error)`` is called as each
    finishes. Without a rate limiter (``rate_limits=None``) the workers send as fast as they
    can. See the module documentation for outcomes and ``progress``.
    """
    run = _Run(bot, method, progress, workers, window, on_outcome, params)
    limiter = getattr(getattr(bot, '_transport', None), 'limiter', None)
    jobs: 'queue.Queue[Any]' = queue.Queue()
    room = threading.Semaphore(window)

    def send(job: Tuple[int, Any, Dict[str, Any], Any]) -> None:
        index, chat_id, p, ticket = job
        try:
            if ticket is not None and ticket.state == 'cancelled':
                run.stopped.set()
                run.finish(index, chat_id, 'not_sent', 'the bot stopped before its turn', None)
                return
            run.sending(index, chat_id)
            try:
                if ticket is not None:
                    with limiter.reserved(ticket):             # type: ignore[union-attr]
                        result = run.call(**p)
                else:
                    result = run.call(**p)
            except Exception as e:
                run.failed(index, chat_id, e)
            else:
                run.finish(index, chat_id, 'sent', None, result)
        finally:
            room.release()

    def work() -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            send(job)

    threads = [threading.Thread(target=work, name='telepot_ng-broadcast-%d' % (n + 1),
                                daemon=True) for n in range(workers)]
    for th in threads:
        th.start()
    try:
        for index, chat_id, p in run.pending(chat_ids):
            room.acquire()
            scope = limiter.scope(method, p) if limiter is not None else None
            if scope is not None:
                # granted (or cancelled) tickets go to the workers, in the limiter's order
                limiter.submit(scope, bulk=True,                 # type: ignore[union-attr]
                               notify=lambda t: jobs.put(t.data + (t,)),
                               data=(index, chat_id, p))
            else:
                jobs.put((index, chat_id, p, None))
    finally:
        for _ in range(window):
            room.acquire()                  # every queued call has finished
        for _ in threads:
            jobs.put(None)
        for th in threads:
            th.join()
        run.end()
    return run.report


async def broadcast_async(bot: Any, chat_ids: Iterable[Any], method: str = 'sendMessage', *,
                          progress: Union[BroadcastProgress, str, None] = None,
                          workers: int = 16, window: int = 1000,
                          on_outcome: Optional[Callable[[int, Any, str, Any], Any]] = None,
                          **params: Any) -> BroadcastReport:
    """:func:`broadcast` for a :class:`telepot_ng.aio.Bot` (``await bot.broadcast(...)``):
    the same items, outcomes, progress and resume; each call is a task in the bulk lane, at
    most ``window`` at once, so per-chat order is the order given (``workers`` is accepted
    for the same signature and has no role: the HTTP session's pool bounds the requests in
    flight). ``progress`` and ``on_outcome`` are called from the event loop. A cancelled
    broadcast reports its calls in flight ``unknown`` (a resumed run does not send them)."""
    import asyncio
    run = _Run(bot, method, progress, workers, window, on_outcome, params)
    room = asyncio.Semaphore(window)
    tasks: set = set()

    async def send(index: int, chat_id: Any, p: Dict[str, Any]) -> None:
        try:
            run.sending(index, chat_id)
            try:
                with bot.pacing(bulk=True):
                    result = await run.call(**p)
            except asyncio.CancelledError:
                run.finish(index, chat_id, 'unknown', 'cancelled while in flight', None)
                raise
            except Exception as e:
                run.failed(index, chat_id, e)
            else:
                run.finish(index, chat_id, 'sent', None, result)
        finally:
            room.release()

    try:
        for index, chat_id, p in run.pending(chat_ids):
            await room.acquire()
            task = asyncio.ensure_future(send(index, chat_id, p))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        run.end()
    return run.report

"""The Bot: every Bot API method, telepot's call forms, downloads, loops and a clean stop."""
from __future__ import annotations

import difflib
import os
import re
import threading
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from . import _flow, _masking
from . import _compat
from ._generated import spec as _spec
from ._generated.methods import BotMethods
from .exception import TelegramError

__all__ = ['Bot']

log = _masking.logger(__name__)

_TOKEN_RE = re.compile(r'^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$')
_METHOD_NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_]{0,63}$')


def _positional_names(method: str) -> Tuple[str, ...]:
    """Names of the positional parameters of a generated method, in signature order."""
    fields = _spec.METHODS[method][1]
    relaxed = _compat.RELAXED_REQUIRED.get(method, {})
    required = [f[0] for f in fields if f[1] and f[0] not in relaxed]
    return tuple(required + [f[0] for f in fields if f[0] in relaxed])


_POSITIONAL: Dict[str, Tuple[str, ...]] = {m: _positional_names(m) for m in _spec.METHODS}
_REQUIRED: Dict[str, Tuple[str, ...]] = {
    m: tuple(f[0] for f in fields if f[1]) for m, (_, fields) in _spec.METHODS.items()}
_PARAM_TYPES: Dict[str, Dict[str, Tuple[bool, Tuple[str, ...]]]] = {}
# parameters whose values may need rewriting even in a call that uses only today's names
_ALWAYS_TRANSLATE = frozenset(['reply_markup', 'results', 'result'])


def _param_types(method: str) -> Dict[str, Tuple[bool, Tuple[str, ...]]]:
    table = _PARAM_TYPES.get(method)
    if table is None:
        table = {name: (req, types) for name, req, types in _spec.METHODS[method][1]}
        _PARAM_TYPES[method] = table
    return table


def _check_token(token: Any) -> str:
    """The token, without the surrounding whitespace a token read from a file or an
    environment variable often carries; ValueError (never echoing it) when malformed."""
    if not isinstance(token, str):
        raise TypeError('the bot token must be a str, got %s' % type(token).__name__)
    token = token.strip()
    inner = [i for i, c in enumerate(token) if c.isspace() or not c.isprintable()]
    if inner:
        raise ValueError('malformed bot token: it contains whitespace or a control character '
                         '(%r at position %d of %d); a token is "<digits>:<letters, digits, '
                         '- or _>" as @BotFather gives it'
                         % (token[inner[0]], inner[0], len(token)))
    if not _TOKEN_RE.fullmatch(token):
        # Never echo the token: describe its shape instead.
        raise ValueError('malformed bot token: expected "<digits>:<letters, digits, - or _>" as '
                         '@BotFather gives it (got %d characters%s)'
                         % (len(token), ', no ":"' if ':' not in token else ''))
    return token


#: names of telepot's call forms, translated by _compat to today's (never typos)
_LEGACY_NAMES = frozenset(_compat.LEGACY_PARAM_TYPES) | frozenset(
    n for orders in _compat.LEGACY_ORDERS.values() for o in orders if o for n in o)
_logged_unknown: set = set()


def _check_keywords(method: str, kwargs: Mapping[str, Any]) -> None:
    """A keyword that is no parameter of ``method`` in the spec: TypeError when it is close
    to one (a typo: ``parse_mod``); otherwise it is sent as is (a newer Bot API may know
    it), logged once per method and name."""
    if method not in _spec.METHODS:
        return                           # a method newer than this library: nothing to check
    table = _param_types(method)
    if kwargs.keys() <= table.keys():
        return                           # the usual case: every keyword is a parameter
    for k in kwargs:
        if k in table or k in _LEGACY_NAMES:
            continue
        close = difflib.get_close_matches(k, list(table), n=1, cutoff=0.8)
        if close:
            raise TypeError('%s() got an unexpected keyword argument %r; did you mean %r?'
                            % (method, k, close[0]))
        if (method, k) not in _logged_unknown:
            _logged_unknown.add((method, k))
            log.warning('%s(): %r is not a parameter of this method in Bot API %s; sent as is',
                        method, k, _spec.API_VERSION)


def _file_params(method: str) -> List[str]:
    return [n for n, (_, types) in _param_types(method).items() if 'InputFile' in types]


def _local_file_hint(method: str, params: Mapping[str, Any]) -> Optional[str]:
    """Why a 400 may have happened: a str naming a local file was sent as a file_id/URL."""
    for name in _file_params(method):
        value = params.get(name)
        if isinstance(value, str) and '://' not in value and os.path.isfile(value):
            return ('%s=%r is a local file, but a str is sent to Telegram as a file_id or an '
                    'HTTP URL. To upload the file, pass it opened: %s=open(%r, \'rb\') or '
                    '%s=pathlib.Path(%r)' % (name, value, name, value, name, value))
    return None


def _check_method_name(method: Any) -> str:
    if not isinstance(method, str) or not _METHOD_NAME_RE.match(method):
        raise ValueError('not a Bot API method name: %r' % (method,))
    return method


def prepare_params(method: str, args: tuple, params: Dict[str, Any],
                   kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The parameters a generated method's call sends: telepot's positional forms remapped,
    None values left out, extra keywords checked and added, legacy names and values
    translated, relaxed required parameters defaulted.  Pure: the threaded Bot and
    telepot_ng.aio's both use it."""
    remapped = False
    relaxed = _compat.RELAXED_REQUIRED.get(method)
    if args or (relaxed and any(params[k] is None for k in relaxed)):
        remapped = _remap(method, args, params)
    p = {k: v for k, v in params.items() if v is not None}
    if kwargs:
        _check_keywords(method, kwargs)
        for k, v in kwargs.items():
            if v is not None:
                p[k] = v
    if remapped or kwargs or not _ALWAYS_TRANSLATE.isdisjoint(p):
        _compat.translate(method, p)
    if relaxed:
        for k, default in relaxed.items():
            if k not in p and default is not None:
                p[k] = default
    if remapped or relaxed:
        missing = [k for k in _REQUIRED.get(method, ()) if k not in p]
        if missing:
            raise TypeError('%s() missing required argument%s: %s'
                            % (method, 's' if len(missing) > 1 else '',
                               ', '.join(repr(m) for m in missing)))
    return p


def _remap(method: str, args: tuple, params: Dict[str, Any]) -> bool:
    names = _POSITIONAL[method]
    positional = [params[n] for n in names] + list(args)
    while positional and positional[-1] is None:
        positional.pop()
    if not args and not (positional and (isinstance(positional[0], (tuple, list))
                                         or _compat.is_message_dict(positional[0]))):
        return False          # an ordinary call of today's signature
    keyed_identifier = any(params.get(k) is not None
                           for k in ('chat_id', 'message_id', 'inline_message_id')
                           if k not in names)
    mapped = _compat.remap(method, positional, _param_types(method),
                           skip_identifier=keyed_identifier)
    for n in names:
        params[n] = None
    for k, v in mapped.items():
        if params.get(k) is not None:
            raise TypeError('%s() got multiple values for argument %r' % (method, k))
        params[k] = v
    return True


def with_hint(method: str, params: Mapping[str, Any], error: TelegramError) -> TelegramError:
    """``error`` (of the call of ``method`` with ``params``), with a hint when a 400 may come
    from a local file path sent as a str."""
    if error.error_code == 400 and method in _spec.METHODS:
        hint = _local_file_hint(method, params)
        if hint:
            error.hint = hint
    return error


def fix_result(method: str, result: Any) -> Any:
    """The result as telepot_ng returns it (a few methods' results are mended)."""
    fix = _compat.RESULT_FIXES.get(method)
    return result if fix is None else fix(result)


def handler_name(msg: Any) -> Tuple[str, str]:
    """(flavor, name of the Bot method that handles it): ``on_chat_message`` for chat
    messages, ``on_<flavor>`` for the others."""
    from .flavors import canonical_name, flavor
    f = canonical_name(flavor(msg))
    return f, 'on_chat_message' if f == 'chat' else 'on_' + f


class _StateAttribute:
    """``obj.state``, made on first use by ``obj._make_state()`` and then kept in the
    instance (a program that assigns its own ``self.state`` simply replaces it)."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = obj._make_state()
        obj.__dict__['state'] = value
        return value


class BotCore:
    """What the threaded Bot and telepot_ng.aio's Bot share: the token and identity, the
    handler lookup.  Calls go through :func:`prepare_params`, then the transport."""

    _token: str
    _id: int

    def _set_token(self, token: str) -> str:
        token = self._token = _check_token(token)
        self._id = int(token.split(':', 1)[0])
        return token

    @property
    def id(self) -> int:
        """The bot's user id (the digits before the colon of its token)."""
        return self._id

    def __repr__(self) -> str:
        return '<%s id=%d>' % (type(self).__name__, self._id)

    def _handler_for(self, msg: Any) -> Any:
        """The ``on_<flavor>`` method for ``msg``, or None (logged) when there is none."""
        f, name = handler_name(msg)
        fn = getattr(self, name, None)
        if fn is None:
            log.debug('%r: no %s() for a %s message; ignored', self, name, f)
        return fn

    # ------------------------------------------------------------------ lifecycle

    # what stop() stops first: update sources, then delegates, then the scheduler
    _STOP_SOURCES, _STOP_DELEGATES, _STOP_SCHEDULER = 0, 1, 2
    _stoppables: List[Any]
    _stoppables_lock: Any
    _scheduler: Any
    _inflight: Any
    _transport: Any

    def _init_lifecycle(self, store: Any) -> None:
        from .inflight import InFlight
        self._stoppables = []
        self._stoppables_lock = threading.Lock()
        self._scheduler = None
        self._inflight = InFlight()
        self._ledger: Any = None
        if store is not None:
            from .store import open_store
            from .store._ledger import Ledger
            opened = open_store(store)
            try:
                self._ledger = Ledger(opened, self._id, self._inflight)
            except BaseException:
                if opened is not store:
                    opened.close()
                raise

    def _share_rate_limits(self) -> None:
        """With a store that shares token buckets (a cluster's), let the limiter use them:
        then all the processes of one bot stay within Telegram's limits together."""
        shared = getattr(self.store, 'shared_buckets', None)
        limiter = getattr(self._transport, 'limiter', None)
        if shared is not None and limiter is not None:
            limiter.share_store(shared())

    @property
    def store(self) -> Any:
        """The bot's :class:`~telepot_ng.store.Store`, or None."""
        return self._ledger.store if self._ledger is not None else None

    def _make_state(self) -> Any:
        return self._ledger.bot_state() if self._ledger is not None else {}

    state = _StateAttribute()

    @property
    def inflight(self) -> Any:
        """The bot's :class:`~telepot_ng.inflight.InFlight`: the updates taken from Telegram
        and not yet finished by user code; its ``limit`` bounds that backlog."""
        return self._inflight

    def _register_stoppable(self, obj: Any, rank: int = _STOP_SOURCES) -> None:
        """Remember something with ``stop(timeout)`` for :meth:`stop`; ``rank`` orders the
        stopping (sources, delegates, scheduler; most recent first within a rank)."""
        with self._stoppables_lock:
            self._stoppables.append((rank, obj))

    def _unregister_stoppable(self, obj: Any) -> None:
        with self._stoppables_lock:
            self._stoppables = [(r, o) for r, o in self._stoppables if o is not obj]

    @property
    def rate_limiter(self) -> Any:
        """The :class:`~telepot_ng.ratelimit.RateLimiter` pacing this bot's calls (None when
        the bot was made with ``rate_limits=None``)."""
        return getattr(self._transport, 'limiter', None)

    def rate_limit_stats(self, chat_id: Any = None) -> Dict[str, Any]:
        """The limiter's state: calls waiting per lane and kind of chat, in flight, waits,
        429s and holds per allowance and for the busiest chats; with ``chat_id``, that
        chat's. Empty when the bot has no limiter."""
        limiter = getattr(self._transport, 'limiter', None)
        return limiter.stats(chat_id) if limiter is not None else {}

    def _stop_flow(self, timeout: Optional[float]) -> Any:
        """What stop() does, as a flow (telepot_ng._flow): the threaded Bot runs it, the aio
        Bot awaits each step (its sources, delegates and transport stop with coroutines)."""
        with self._stoppables_lock:
            ordered = [o for _, o in sorted(enumerate(self._stoppables),
                                            key=lambda io: (io[1][0], -io[0]))]
            items = [o for _, o in ordered]
            self._stoppables = [(r, o) for r, o in self._stoppables
                                if r == self._STOP_DELEGATES]      # a DelegatorBot is reusable
            if self._scheduler is not None:
                self._scheduler = None        # a new one starts with the next event
        from . import inflight
        inflight.finish_kept()      # called from a handler: it is done with its message
        deadline = None if timeout is None else time.monotonic() + timeout
        limiter = getattr(self._transport, 'limiter', None)
        if limiter is not None and deadline is not None:
            # a handler waiting for its turn under the rate limits gives up by the deadline
            limiter.closing(limiter.clock() + timeout)
        finishers = []
        for obj in items:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            finish = getattr(obj, 'finish_stop', None)     # a source that confirms at the end
            try:
                if finish is not None:
                    yield obj.stop(remaining, confirm=False)
                    finishers.append(finish)
                else:
                    yield obj.stop(remaining)
            except Exception:
                log.exception('%r: error while stopping %r', self, obj)
        for finish in finishers:
            try:
                yield finish(deadline)
            except Exception:
                log.exception('%r: error while confirming updates', self)
        if len(self._inflight):
            log.warning('%r: stopped with %s not finished by the handlers', self,
                        self._inflight.describe())
        if self._ledger is not None:        # done-marks and states still queued
            self._ledger.close(None if deadline is None
                               else max(1.0, deadline - time.monotonic()))
        # idle connections are closed and any flood-control wait is cut short; the bot can
        # still make calls afterwards (connections reopen on demand)
        yield self._transport.close()

    def pacing(self, bulk: Optional[bool] = None, max_wait: Optional[float] = None) -> Any:
        """A context manager: within it, this thread's (in telepot_ng.aio: this task's)
        counted calls go in the bulk lane (``bulk=True``: after every interactive call)
        and/or raise :class:`~telepot_ng.ratelimit.RateLimitTimeout` instead of waiting more
        than ``max_wait`` seconds for their turn. Does nothing when the bot has no limiter."""
        limiter = getattr(self._transport, 'limiter', None)
        if limiter is None:
            import contextlib
            return contextlib.nullcontext()
        return limiter.pacing(bulk=bulk, max_wait=max_wait)


class Bot(BotCore, BotMethods):
    """A synchronous, thread-safe Telegram bot.

    Every Bot API method is a method of this class under its API name (``sendMessage``) and a
    snake_case alias (``send_message``).  Results are plain dicts, lists and scalars as
    Telegram returns them.  Failures raise :mod:`telepot_ng.exception` types.

    :param token: the token @BotFather gave (``<digits>:<chars>``).
    :param base_url: root of the Bot API server (default ``https://api.telegram.org``, or the
        ``TELEPOT_NG_API_URL`` environment variable when set); for a self-hosted Bot API server
        or the fake one in :mod:`telepot_ng.testing`.
    :param base_file_url: root for file downloads when it differs from ``base_url``.
    :param store: a durable store for the bot's loops (see :mod:`telepot_ng.store`): a file
        path (SQLite), a URL, or a :class:`~telepot_ng.store.Store`. With one, updates are
        journaled before they are confirmed, marked done once handled, redelivered after a
        crash, and ``bot.state`` (and a handler's ``self.state``) survive restarts. A store
        that cannot be used raises a :class:`~telepot_ng.store.StoreError` here.
    :param transport_options: passed to :class:`telepot_ng.api.Transport` (timeouts, pool size,
        proxy, requests session, flood-wait policy).
    """

    def __init__(self, token: str, *, base_url: Optional[str] = None,
                 base_file_url: Optional[str] = None, store: Any = None,
                 **transport_options: Any) -> None:
        from .api import Transport  # the transport is the only place HTTP happens

        token = self._set_token(token)
        self._init_lifecycle(store)
        self._transport = Transport(token, base_url=base_url, base_file_url=base_file_url,
                                    **transport_options)
        self._share_rate_limits()
        self._file_chunk_size = 65536

    # ------------------------------------------------------------------ calling the API

    def _api(self, method: str, args: tuple, params: Dict[str, Any],
             kwargs: Dict[str, Any]) -> Any:
        p = prepare_params(method, args, params, kwargs)
        try:
            result = self._transport.request(method, p)
        except TelegramError as e:
            raise with_hint(method, p, e)
        return fix_result(method, result)

    def call(self, method: str, **params: Any) -> Any:
        """Call any Bot API method by name, including methods newer than this library.

        ``bot.call('sendMessage', chat_id=42, text='hi')`` is ``bot.sendMessage(42, 'hi')``.
        Parameters with value None are left out.
        """
        return self._api(_check_method_name(method), (), {}, params)

    # ------------------------------------------------------------------ files

    def downloadFile(self, file_id: str, dest: Any, progress: Optional[Callable[[int, Optional[int]], Any]] = None
                     ) -> int:
        """Download a file to ``dest`` (a path or a binary file object); returns bytes written.

        The file is streamed in chunks; when ``dest`` is a path, a partial file is removed if
        the download fails.  ``progress(done, total)`` is called after each chunk (``total`` may
        be None).  Works with a local Bot API server that answers absolute file paths.
        """
        f = self.getFile(file_id)
        path = f.get('file_path') if isinstance(f, Mapping) else None
        if not path:
            from .exception import TelegramError
            raise TelegramError('getFile returned no file_path for this file', None, f)
        return self._transport.download(path, dest, chunk_size=self._file_chunk_size,
                                        progress=progress)

    download_file = downloadFile

    # ------------------------------------------------------------------ rate limits

    def broadcast(self, chat_ids: Any, method: str = 'sendMessage', **options: Any) -> Any:
        """Call ``method`` for every chat in ``chat_ids`` as fast as the rate limits allow,
        in the bulk lane (replies to users go first), and return a
        :class:`~telepot_ng.broadcast.BroadcastReport` of per-chat outcomes (sent, blocked,
        not_found ...). ``progress=FileProgress(path)`` makes it resumable; ``workers``,
        ``window`` and ``on_outcome`` tune it; other keywords are the method's parameters.
        See :func:`telepot_ng.broadcast.broadcast`."""
        from .broadcast import broadcast
        return broadcast(self, chat_ids, method, **options)

    # ------------------------------------------------------------------ receiving updates

    def handle(self, msg: Dict[str, Any]) -> None:
        """Default callback of the message loops: route ``msg`` by flavor to ``on_<flavor>``.

        Chat messages go to ``on_chat_message``; other flavors to ``on_<flavor>`` (e.g.
        ``on_callback_query``, ``on_inline_query``, ``on_poll_answer``).  Subclass and define
        the methods you need, or override ``handle`` itself (telepot 6.3 style).
        """
        fn = self._handler_for(msg)
        if fn is not None:
            fn(msg)

    def notifyOnMessage(self, callback: Optional[Callable[[Dict[str, Any]], Any]] = None,
                        relax: float = 0.1, timeout: int = 20, source: Any = None,
                        ordered: bool = True, maxhold: float = 3, run_forever: bool = False,
                        allowed_updates: Optional[List[str]] = None) -> Any:
        """Start receiving updates and apply ``callback`` (default ``self.handle``) to each.

        telepot 6.3's entry point; see :func:`telepot_ng.loop.notify_on_message`.
        """
        from . import loop
        return loop.notify_on_message(self, callback, relax=relax, timeout=timeout,
                                      source=source, ordered=ordered, maxhold=maxhold,
                                      run_forever=run_forever, allowed_updates=allowed_updates)

    def message_loop(self, callback: Any = None, relax: float = 0.1, timeout: int = 20,
                     allowed_updates: Optional[List[str]] = None, source: Any = None,
                     ordered: bool = True, maxhold: float = 3,
                     run_forever: Union[bool, str] = False) -> Any:
        """telepot 12's entry point; ``callback`` may be a flavor routing dict.

        See :func:`telepot_ng.loop.message_loop`.
        """
        from . import loop
        return loop.message_loop(self, callback, relax=relax, timeout=timeout,
                                 allowed_updates=allowed_updates, source=source,
                                 ordered=ordered, maxhold=maxhold, run_forever=run_forever)

    @property
    def scheduler(self) -> Any:
        """The bot's :class:`~telepot_ng.scheduler.Scheduler`: events it emits go to
        :meth:`handle` (a timer thread, started with the first event, stopped by
        :meth:`stop`)."""
        if self._scheduler is None:
            from .scheduler import Scheduler
            with self._stoppables_lock:
                if self._scheduler is None:
                    self._scheduler = Scheduler(lambda event: self.handle(event),
                                                name='telepot_ng-scheduler-%d' % self._id,
                                                keeper=self._ledger)
                    self._stoppables.append((self._STOP_SCHEDULER, self._scheduler))
        return self._scheduler

    # ------------------------------------------------------------------ lifecycle

    def stop(self, timeout: Optional[float] = 10.0) -> None:
        """Stop everything this bot started: update loops first (they stop fetching), then
        delegates (each handles what is queued for it, then ``on_close`` runs), then the
        scheduler; then polling confirms what was handled and idle HTTP connections close.

        Handlers get up to ``timeout`` seconds in all; the final confirmation gets what is
        left of it, and at least :data:`~telepot_ng.loop.CONFIRM_TIME` seconds, so ``stop``
        returns within ``timeout + CONFIRM_TIME`` (plus a connect time when the connection
        to Telegram has to be reopened). Updates still unfinished then are named in a
        WARNING; polling does not confirm them, so Telegram delivers them again after a
        restart. ``with Bot(token) as bot:`` calls it on exit."""
        _flow.run(self._stop_flow(timeout))

    def __enter__(self) -> 'Bot':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

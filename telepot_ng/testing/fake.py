"""FakeTelegram: start (in a thread or another process) and drive the fake Telegram server."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import json
import os
import selectors
import subprocess
import sys
import threading
import time
from typing import Any, Dict, Iterator, List, Optional, Union

from .. import _masking
from ._limits import RateLimits
from .server import DEFAULT_TOKEN, FakeServer
from .users import Chatish, SimChannel, SimGroup, SimUser, chat_id_of

log = _masking.logger(__name__)

__all__ = ['FakeTelegram', 'Call', 'DEFAULT_TOKEN']


class Call:
    """One request the bot made, as the fake recorded it."""

    __slots__ = ('seq', 'method', 'params', 'files', 'time', 'connection', 'status', 'ok',
                 'result', 'error', 'fault', 'chat_id', 'encoding', 'http_method', 'expected')

    def __init__(self, rec: Dict[str, Any]) -> None:
        for name in self.__slots__:
            setattr(self, name, rec.get(name))
        self.params = self.params or {}
        self.files = self.files or []

    @property
    def text(self) -> Optional[str]:
        """The text or caption the call sent, if any."""
        return self.params.get('text', self.params.get('caption'))

    def __repr__(self) -> str:
        return 'Call(#%s %s chat_id=%r status=%s%s)' % (
            self.seq, self.method, self.chat_id, self.status,
            ' text=%r' % self.text if self.text is not None else '')


class _Local:
    """Reaches a FakeServer running in this process, on an event loop in its own thread."""

    def __init__(self, token: str, host: str, port: int) -> None:
        self.server = FakeServer(token)
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: Optional[BaseException] = None
        self.port = 0
        self.thread = threading.Thread(target=self._run, args=(host, port),
                                       name='telepot_ng.testing:fake-telegram', daemon=True)
        self.thread.start()
        self._ready.wait()
        if self._error is not None:
            self.thread.join()
            raise self._error
        self.thread.name = 'telepot_ng.testing:fake-telegram:%d' % self.port

    def _run(self, host: str, port: int) -> None:
        loop = self.loop
        asyncio.set_event_loop(loop)
        try:
            self.port = loop.run_until_complete(self.server.start(host, port))
        except BaseException as e:   # reported to the starting thread
            self._error = e
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self.server.stop())
            # as asyncio.run() does: whatever is left (a connection being accepted) ends here
            left = asyncio.all_tasks(loop)
            for task in left:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def call(self, op: str, body: bytes, timeout: float) -> 'tuple[int, bytes]':
        fut = asyncio.run_coroutine_threadsafe(self.server.control_bytes(op, body), self.loop)
        return fut.result(timeout)

    def close(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()


class _Remote:
    """Reaches a fake server over HTTP (one keep-alive connection per calling thread)."""

    def __init__(self, host: str, port: int, process: Optional[subprocess.Popen] = None) -> None:
        self.host = host
        self.port = port
        self.process = process
        self._local = threading.local()
        self._conns: List[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, 'conn', None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    def call(self, op: str, body: bytes, timeout: float) -> 'tuple[int, bytes]':
        for attempt in (1, 2):
            conn = self._conn()
            try:
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)
                conn.request('POST', '/_fake/' + op, body,
                             {'Content-Type': 'application/json'})
                res = conn.getresponse()
                return res.status, res.read()
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                if attempt == 2:
                    raise
        raise AssertionError('unreachable')  # pragma: no cover

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                self.call('shutdown', b'{}', 5.0)
            except (OSError, http.client.HTTPException):
                pass
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
        if self.process is not None:
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            if self.process.stdout is not None:
                self.process.stdout.close()


def child_env(**extra: str) -> Dict[str, str]:
    """The environment for a child Python process that must import this telepot_ng (its
    folder first on PYTHONPATH), plus ``extra``."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, **extra)
    env['PYTHONPATH'] = root + (os.pathsep + env['PYTHONPATH'] if env.get('PYTHONPATH') else '')
    return env


def _spawn(token: str, host: str, port: int, timeout: float = 30.0) -> '_Remote':
    env = child_env()
    proc = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server', '--host', host,
                             '--port', str(port), '--token', token],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    line = b''
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while not line.endswith(b'\n'):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                break
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                break
            line += chunk
    if not line.startswith(b'READY '):
        proc.kill()
        proc.wait()
        proc.stdout.close()
        raise RuntimeError('the fake Telegram server process did not start')
    return _Remote(host, int(line.split()[1]), proc)


def _wire_options(options: Dict[str, Any]) -> Dict[str, Any]:
    """Options as JSON carries them (a RateLimits becomes the dict of its numbers)."""
    limits = options.get('rate_limits')
    if isinstance(limits, RateLimits):
        options = dict(options, rate_limits=limits._asdict())
    return options


def _stop_bot(bot: Any) -> None:
    """Stop what a Bot started and close its HTTP connections."""
    try:
        bot.stop(5.0)            # also closes the bot's idle HTTP connections
    except Exception:
        log.exception('could not stop a bot made by FakeTelegram.bot()')


class FakeTelegram:
    """A fake Telegram Bot API server on 127.0.0.1, with simulated users and a request journal.

    ``FakeTelegram()`` runs the server on an event loop in a thread of this process;
    ``FakeTelegram(process=True)`` runs it in a child process (so it does not share the bot's GIL);
    ``FakeTelegram(connect=(host, port))`` drives a server already running elsewhere. The API is the
    same in all three: everything goes through the server's control operations.

    Options (keywords, also for configure()) include ``rate_limits`` (``True`` for Telegram's
    limits, or a dict changing some numbers of ``RateLimits``: over a limit a message-posting
    call gets 429 ``Too Many Requests: retry after N`` and has no effect), ``latency`` (seconds
    added to every Bot API answer) and ``jitter`` (± seconds drawn uniformly per answer).
    """

    def __init__(self, token: str = DEFAULT_TOKEN, *, process: bool = False,
                 connect: Optional['tuple[str, int]'] = None, host: str = '127.0.0.1',
                 port: int = 0, **options: Any) -> None:
        self.token = token
        self.host = host if connect is None else connect[0]
        self._process = process
        self._connect = connect
        self._want_port = port
        self._options = _wire_options(options)
        self._link: Union[_Local, _Remote, None] = None
        self._batch = threading.local()
        self._bots: List[Any] = []

    # -- life ---------------------------------------------------------------------------------
    def start(self) -> 'FakeTelegram':
        """Start the server (``with FakeTelegram() as tg`` does this for you)."""
        if self._link is not None:
            return self
        if self._connect is not None:
            self._link = _Remote(self._connect[0], self._connect[1])
        elif self._process:
            self._link = _spawn(self.token, self.host, self._want_port)
        else:
            self._link = _Local(self.token, self.host, self._want_port)
        try:
            if self._options:
                self._control('configure', **self._options)
            else:
                self._control('ping')
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Stop the bots made by bot(), then the server (or the child process); join threads."""
        bots, self._bots = self._bots, []
        for bot in bots:
            _stop_bot(bot)
        link, self._link = self._link, None
        if link is not None:
            link.close()

    def __enter__(self) -> 'FakeTelegram':
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        where = 'stopped' if self._link is None else 'on port %d' % self.port
        return '<FakeTelegram %s>' % where

    @property
    def port(self) -> int:
        if self._link is None:
            raise RuntimeError('FakeTelegram is not started')
        return self._link.port

    @property
    def base_url(self) -> str:
        """The server's root URL, e.g. ``http://127.0.0.1:PORT`` (Bot API at /bot<token>/...)."""
        return 'http://%s:%d' % (self.host, self.port)

    @property
    def api_url(self) -> str:
        """``base_url + '/bot' + token``: method URLs are ``api_url + '/sendMessage'``."""
        return '%s/bot%s' % (self.base_url, self.token)

    @property
    def file_url(self) -> str:
        """``base_url + '/file/bot' + token``: files download from ``file_url + '/' + path``."""
        return '%s/file/bot%s' % (self.base_url, self.token)

    def bot(self, **kwargs: Any) -> Any:
        """A ``telepot_ng.Bot`` pointed at this fake (keyword arguments go to Bot).

        The fake stops it (and closes its connections) when the fake closes."""
        import telepot_ng
        return self._own(telepot_ng.Bot(self.token, base_url=self.base_url, **kwargs))

    def delegator_bot(self, delegation_patterns: List[Any], **kwargs: Any) -> Any:
        """A ``telepot_ng.DelegatorBot`` pointed at this fake (keyword arguments go to
        DelegatorBot); like :meth:`bot`, stopped -- its loops, delegates and scheduler --
        when the fake closes."""
        import telepot_ng
        return self._own(telepot_ng.DelegatorBot(self.token, delegation_patterns,
                                                 base_url=self.base_url, **kwargs))

    def _own(self, bot: Any) -> Any:
        self._bots.append(bot)
        return bot

    # -- control plumbing ---------------------------------------------------------------------
    def _control(self, op: str, _timeout: float = 30.0, **args: Any) -> Any:
        if self._link is None:
            raise RuntimeError('FakeTelegram is not started')
        body = json.dumps(args).encode()
        status, data = self._link.call(op, body, _timeout)
        answer = json.loads(data)
        if not answer.get('ok'):
            raise ValueError(answer.get('description', 'control operation failed'))
        return answer['result']

    def _act(self, action: Dict[str, Any]) -> Optional[List[Dict[str, Any]]]:
        pending = getattr(self._batch, 'actions', None)
        if pending is not None:
            pending.append(action)
            return None
        return self._control('act', actions=[action])[0]

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Collect the simulated users' actions of this thread and send them in one go at exit.

        Inside the block, actions return None (their updates are not pushed yet)."""
        if getattr(self._batch, 'actions', None) is not None:
            yield
            return
        self._batch.actions = []
        try:
            yield
            actions = self._batch.actions
        finally:
            self._batch.actions = None
        if actions:
            self._control('act', actions=actions)

    # -- the world ----------------------------------------------------------------------------
    def user(self, first_name: str, last_name: Optional[str] = None,
             username: Optional[str] = None, language_code: Optional[str] = 'en') -> SimUser:
        """A new simulated user, with a private chat with the bot."""
        info = self._control('new_user', first_name=first_name, last_name=last_name,
                             username=username, language_code=language_code)
        return SimUser(self, info)

    def group(self, title: str, members: 'List[SimUser]' = (), *,  # type: ignore[assignment]
              supergroup: bool = False, username: Optional[str] = None,
              is_forum: bool = False) -> SimGroup:
        """A new group (or supergroup) with the bot and ``members`` in it."""
        chat = self._control('new_chat', chat_type='supergroup' if supergroup else 'group',
                             title=title, username=username, is_forum=is_forum,
                             members=[m.id for m in members])
        return SimGroup(self, chat)

    def channel(self, title: str, username: Optional[str] = None) -> SimChannel:
        """A new channel where the bot is an administrator."""
        return SimChannel(self, self._control('new_chat', chat_type='channel', title=title,
                                              username=username))

    def push_update(self, update: Dict[str, Any]) -> int:
        """Queue a raw update (update_id is assigned if missing); return its update_id."""
        return self.push_updates([update])[0]

    def push_updates(self, updates: List[Dict[str, Any]]) -> List[int]:
        """Queue raw updates in order; return their update_ids."""
        return [r['update_id'] for r in self._control('push_updates', updates=list(updates))]

    def message(self, chat: Chatish, message_id: int) -> Optional[Dict[str, Any]]:
        """The current version of a stored message (after edits), or None if deleted/unknown."""
        return self._control('message', chat_id=chat_id_of(chat), message_id=message_id)

    def file_bytes(self, file_id: str) -> bytes:
        """The content of a stored file (uploaded by the bot or sent by a simulated user)."""
        return base64.b64decode(self._control('file', file_id=file_id)['data'])

    # -- the journal --------------------------------------------------------------------------
    def sent(self, method: Optional[str] = None, chat_id: Any = None, since: int = 0,
             ok: Optional[bool] = True, **params: Any) -> List[Call]:
        """Calls recorded so far (see wait_for_sent for the filters)."""
        recs = self._control('calls', method=method, chat_id=chat_id_of(chat_id), since=since,
                             ok=ok, params=params or None)
        return [Call(r) for r in recs]

    def requests(self, method: str = '*', since: int = 0) -> List[Call]:
        """Every recorded request, failed ones included (``method`` '*' for all methods)."""
        return self.sent(method, since=since, ok=None)

    def wait_for_sent(self, method: Optional[str] = None, chat_id: Any = None, count: int = 1,
                      timeout: float = 5.0, since: int = 0, ok: Optional[bool] = True,
                      **params: Any) -> List[Call]:
        """Block until ``count`` matching calls are recorded; return all that match.

        ``method``: a Bot API method (any case), '*' for any, None for any method that sends a
        message. ``chat_id``: a number, '@username' or a simulated user/group/channel. ``since``:
        a journal position (see mark()) to count from. ``ok``: True successful calls only (the
        default), False failed ones, None both. Other keywords must equal the call's parameters.
        Raises TimeoutError naming what was seen instead.
        """
        answer = self._control('wait', _timeout=timeout + 30.0, method=method,
                               chat_id=chat_id_of(chat_id), count=count, timeout=timeout,
                               since=since, ok=ok, params=params or None)
        calls = [Call(r) for r in answer['calls']]
        if not answer['complete']:
            seen = self.requests(since=since)[-5:]
            raise TimeoutError('waited %.3gs for %d %s call(s)%s; matched %d. Last requests: %r'
                               % (timeout, count, answer['method'] or 'message-sending',
                                  ' to chat %r' % (chat_id_of(chat_id),) if chat_id else '',
                                  len(calls), seen))
        return calls

    def wait_polling(self, timeout: float = 5.0) -> bool:
        """Block until the bot has a getUpdates long poll waiting (its loop is up); False if it
        had none within ``timeout``."""
        return self._control('wait_polling', _timeout=timeout + 30.0, timeout=timeout)

    def mark(self) -> int:
        """The journal's current position, for ``since=`` filters."""
        return self._control('counters')['seq']

    def counters(self) -> Dict[str, Any]:
        """Totals: requests, errors, faults, updates; per-method successful calls; pending;
        ``rate_limited``: the 429s the rate limits answered."""
        return self._control('counters')

    def rate_limited(self) -> Dict[str, Any]:
        """The 429s sent by the rate limits (``rate_limits=True``): ``{'total': n,
        'by_scope': {'chat': n, 'group': n, 'overall': n}, 'by_chat': {chat_id: n}}``.

        ``by_scope`` says which limit refused (the one that would have been over longest)."""
        out = self._control('rate_limited')
        out['by_chat'] = {k: n for k, n in out['by_chat']}
        return out

    def updates(self, since: int = 0) -> List[Dict[str, Any]]:
        """The updates pushed so far (journal records with 'seq', 'time' and 'update')."""
        return self._control('updates', since=since)

    def transcript(self, since: int = 0) -> str:
        """Who said what and what the bot answered, one line per event."""
        return self._control('transcript', since=since)

    # -- behaviour ----------------------------------------------------------------------------
    def fail(self, method: str, kind: str, *, times: Optional[int] = None,
             probability: Optional[float] = None, chat_id: Any = None, retry_after: int = 1,
             status: Optional[int] = None, description: Optional[str] = None,
             delay: float = 0.0) -> int:
        """Inject a fault into calls of ``method`` ('*' for all); return the rule's id.

        ``kind``: 'flood' (429 with retry_after), 'server_error' (5xx with an HTML body, status
        default 502), 'error' (4xx JSON with ``description``; status default 400), 'drop' (close
        the connection without answering), 'delay' (answer normally after ``delay`` seconds).
        ``times`` limits how often it fires (default 1 unless a ``probability`` is given);
        ``probability`` draws from the seeded generator (see seed()).
        """
        return self._control('fail', method=method, kind=kind, times=times,
                             probability=probability, chat_id=chat_id_of(chat_id),
                             retry_after=retry_after, status=status, description=description,
                             delay=delay)

    def clear_faults(self, rule_id: Optional[int] = None) -> None:
        """Remove one fault rule, or all of them."""
        self._control('clear_faults', rule_id=rule_id)

    def seed(self, seed: Optional[int]) -> None:
        """Reseed the random generator behind fault probabilities and dice."""
        self._control('seed', seed=seed)

    def configure(self, **options: Any) -> None:
        """Change options (and start a fresh world): bot_name, bot_username, strict_chats, seed,
        webhook_retry_base, webhook_retry_max, webhook_timeout, journal_limit, rate_limits,
        latency, jitter (see the constructor)."""
        self._control('configure', **_wire_options(options))

    def reset(self) -> None:
        """Forget everything: users, chats, messages, files, updates, webhook, journal, faults."""
        self._control('reset')

"""The HTTP transport to the Bot API: the only place where telepot_ng talks HTTP.

``Transport.request(method, params)`` encodes the parameters, sends them through a backend,
decodes the answer, maps failures to typed exceptions, waits out flood control (429) and
retries once what provably never arrived. ``Transport.download`` streams a file to a path or
a binary file object. The pieces live in private modules: ``_encoding`` (the wire format),
``_http`` (the http.client pool and the urllib3/requests backends) and ``_masking`` (keeping
the token out of texts, logs and exceptions).
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import threading
import time
from typing import IO, Any, Callable, Iterator, List, Mapping, Optional, Tuple, Union
from urllib.parse import quote

from . import _flow, _masking, _pool
from ._encoding import STREAM_CHUNK, Multipart, bad_response, decode, encode
from ._http import Backend, Failure, open_backend, proxy_parts, split_root
from ._masking import mask, register_token, scrub
from .exception import NetworkError, NetworkTimeout, TooManyRequestsError
from .ratelimit import RateLimiter, RateLimits, limiter_from

__all__ = ['Transport', 'set_proxy', 'mask', 'deadline', 'DEFAULT_API_URL', 'API_URL_ENV',
           'DEFAULT_RATE_LIMITS']

log = _masking.logger(__name__)

#: The Bot API server used when neither ``base_url`` nor the environment says otherwise.
DEFAULT_API_URL = 'https://api.telegram.org'
#: Environment variable that, when set, replaces DEFAULT_API_URL (read at construction).
API_URL_ENV = 'TELEPOT_NG_API_URL'

_UPLOAD_MIN_READ_TIMEOUT = 120.0  # Telegram may take long to answer after a big upload
_ERROR_BODY_LIMIT = 65536
_PATH_SAFE = "/:@!$&'()*+,;=~"   # characters left as they are in a file path URL

#: What ``Transport(rate_limits=...)`` is when not given: Telegram's published limits.
DEFAULT_RATE_LIMITS = RateLimits()


# --------------------------------------------------------------------------------------------
# The global proxy (telepot's set_proxy) and the Transport.

_global_proxy: Tuple[Optional[str], Optional[Tuple[str, str]]] = (None, None)
_proxy_generation = 0


def set_proxy(url: Optional[str], basic_auth: Optional[Tuple[str, str]] = None) -> None:
    """Send Bot API requests through a proxy: ``http://``, ``https://``, or ``socks5://``,
    ``socks5h://``, ``socks4://`` (needs ``pip install telepot-ng[socks]``).

    Applies to every Transport (so every Bot) not given its own ``proxy`` or ``session``,
    existing ones included from their next request. ``basic_auth`` is a
    ``(username, password)`` pair. ``set_proxy(None)`` goes back to direct connections.
    """
    global _global_proxy, _proxy_generation
    if url:
        proxy_parts(url, basic_auth)     # validate now, not at the next request
    _global_proxy = (url or None, tuple(basic_auth) if basic_auth else None)  # type: ignore
    _proxy_generation += 1


# (deadline, wait out flood control?) of the calls made here: per thread, and per task in
# telepot_ng.aio (a context variable)
_limits: 'contextvars.ContextVar[Optional[Tuple[Optional[float], bool]]]' = \
    contextvars.ContextVar('telepot_ng_deadline', default=None)


@contextlib.contextmanager
def deadline(when: Optional[float], *, flood_wait: bool = True) -> Iterator[None]:
    """Within the block, requests made by this thread end by ``when`` (a
    :func:`time.monotonic` time; None: no bound): the read timeout is cut to the time left,
    and a flood-control wait (429) that would end later is not waited out (the
    TooManyRequestsError is raised). ``flood_wait=False`` raises every 429 at once.

    The loops use it so that ``stop(timeout)`` keeps its time limit; connecting is still
    bounded by ``connect_timeout`` only.
    """
    token = _limits.set((when, flood_wait))
    try:
        yield
    finally:
        _limits.reset(token)


class _Download:
    """Where a download goes: a path (opened here, removed on failure) or a file object."""

    def __init__(self, dest: Union[str, 'os.PathLike[str]', IO[bytes]]) -> None:
        self.path = os.fspath(dest) if isinstance(dest, (str, os.PathLike)) else None
        self.file: Any = open(self.path, 'wb') if self.path is not None else dest

    def finish(self, ok: bool) -> None:
        if self.path is None:
            return
        self.file.close()
        if not ok:
            try:
                os.unlink(self.path)
            except OSError:
                pass


def _copy_chunks(chunks: Iterator[bytes], dest: Any, total: Optional[int],
                 progress: Optional[Callable[[int, Optional[int]], Any]]) -> int:
    done = 0
    write = dest.write
    for chunk in chunks:
        write(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return done


class TransportCore:
    """What the threaded Transport and telepot_ng.aio's share, with no I/O of its own: the
    server roots and paths, the timeouts, and the policy of one call (:meth:`_call`: decode
    the answer, wait out flood control, retry once what provably never arrived) and of a
    download (:meth:`_download`) as flows (telepot_ng._flow) that each driver runs with
    its own I/O (the ``_send_once``, ``_open_stream``, ``_next_chunk`` and ``_wait`` hooks)."""

    def __init__(self, token: str, *, base_url: Optional[str] = None,
                 base_file_url: Optional[str] = None, connect_timeout: float = 10.0,
                 read_timeout: float = 30.0, pool_size: int = 256,
                 pool_timeout: Optional[float] = None, proxy: Optional[str] = None,
                 proxy_basic_auth: Optional[Tuple[str, str]] = None, session: Any = None,
                 retry_on_flood: bool = True, max_flood_retries: int = 3,
                 max_flood_wait: float = 60.0, rate_limits: Any = DEFAULT_RATE_LIMITS) -> None:
        if not isinstance(token, str) or not token:
            raise ValueError('token must be a non-empty string')
        register_token(token)
        if pool_size < 1:
            raise ValueError('pool_size must be at least 1')
        self._limiter: Optional[RateLimiter] = limiter_from(rate_limits)
        root = (base_url or os.environ.get(API_URL_ENV) or DEFAULT_API_URL).rstrip('/')
        file_root = (base_file_url or root).rstrip('/')
        self.base_url, self.base_file_url = root, file_root
        self._api, api_path = split_root(root)
        self._files, file_path = split_root(file_root)
        self._prefix = '%s/bot%s/' % (api_path, token)
        self._file_prefix = '%s/file/bot%s/' % (file_path, token)
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        self.pool_size, self.pool_timeout = pool_size, pool_timeout
        self.retry_on_flood = retry_on_flood
        self.max_flood_retries, self.max_flood_wait = max_flood_retries, max_flood_wait
        self._open(proxy, proxy_basic_auth, session)

    def _open(self, proxy: Optional[str], proxy_basic_auth: Optional[Tuple[str, str]],
              session: Any) -> None:
        """Hook: set up the I/O (backends, proxies, a caller's session)."""
        raise NotImplementedError

    @property
    def limiter(self) -> Optional[RateLimiter]:
        """The RateLimiter pacing this transport's calls (None: no pacing)."""
        return self._limiter

    def _encode(self, method: str, params: Mapping[str, Any]
                ) -> Tuple[Any, Mapping[str, str], float]:
        """(body, headers, read timeout) of a call: getUpdates waits its long-poll timeout
        more, uploads at least 120 s."""
        body, headers = encode(params)
        read_timeout = self.read_timeout
        if method == 'getUpdates':
            read_timeout += float(params.get('timeout') or 0)
        elif body.__class__ is Multipart:
            read_timeout = max(read_timeout, _UPLOAD_MIN_READ_TIMEOUT)
        return body, headers, read_timeout

    # hooks: the I/O, which the threaded Transport does and the aio one returns awaitables for
    def _send_once(self, path: str, body: Any, headers: Mapping[str, str],
                   read_timeout: float) -> Any:
        """One exchange: ``(status, data, headers)``, or raises Failure."""
        raise NotImplementedError

    def _open_stream(self, path: str) -> Any:
        """A download answer (``status``, ``headers``, ``chunks(size)``, ``close()``)."""
        raise NotImplementedError

    def _next_chunk(self, chunks: Any) -> Any:
        """The next chunk of ``chunks``, None at the end; raises Failure."""
        raise NotImplementedError

    def _wait(self, seconds: float) -> Any:
        """Wait out flood control; True if close() cut the wait short."""
        raise NotImplementedError

    def _pace(self, scope: Any, until: Optional[float], method: str) -> Any:
        """Wait for the call's turn under the rate limits; its ticket."""
        raise NotImplementedError

    def _repace(self, ticket: Any, delay: float, method: str) -> Any:
        """A 429 on a paced call: the limiter holds the scope for ``delay`` and gives the
        retry its turn (ahead of the chat's later calls); the new ticket."""
        raise NotImplementedError

    def _call(self, method: str, body: Any, headers: Mapping[str, str],
              read_timeout: float, scope: Any) -> '_flow.Flow':
        """One call's policy, as a flow (see telepot_ng._flow): wait for its turn under the
        rate limits (``scope``: where it counts, None: not paced), then
        :meth:`_exchange_flow`; the limiter hears how it went."""
        if scope is None:
            return (yield from self._exchange_flow(method, body, headers, read_timeout, None))
        limiter = self._limiter
        assert limiter is not None
        limits = _limits.get()      # a deadline(...) block bounds the wait
        until = None
        if limits is not None and limits[0] is not None:
            until = limiter.clock() + (limits[0] - time.monotonic())
        box = [(yield self._pace(scope, until, method))]
        try:
            return (yield from self._exchange_flow(method, body, headers, read_timeout, box))
        finally:
            if box[0] is not None:
                limiter.done(box[0])

    def _exchange_flow(self, method: str, body: Any, headers: Mapping[str, str],
                       read_timeout: float, ticket: Optional[list]) -> '_flow.Flow':
        """Send until there is an answer: decode it, wait out flood control (429), retry once
        what provably never arrived.  Returns the decoded result; raises the typed
        exception.  ``ticket``: a one-item list holding the rate limiter's ticket of a paced
        call."""
        path = self._prefix + method
        flood_retries = 0
        waited = 0.0
        network_retried = False
        limits = _limits.get()
        if limits is not None and limits[0] is not None:
            read_timeout = min(read_timeout, max(0.05, limits[0] - time.monotonic()))
        while True:
            try:
                answer = yield self._send_once(path, body, headers, read_timeout)
            except Failure as f:
                failure = f
            else:
                try:
                    return decode(*answer)
                except TooManyRequestsError as e:
                    delay = self._flood_delay(e, flood_retries, waited)
                    if delay is None or (limits is not None and (
                            not limits[1] or (limits[0] is not None
                                              and time.monotonic() + delay > limits[0]))):
                        if ticket is not None and isinstance(e.retry_after, (int, float)):
                            self._limiter.done(ticket[0], e.retry_after)   # type: ignore
                            ticket[0] = None
                        raise
                    flood_retries += 1
                    waited += delay
                    log.warning('%s: flood control, waiting %.3g s (retry %d of at most %d)',
                                method, delay, flood_retries, self.max_flood_retries)
                    if ticket is not None:
                        held, ticket[0] = ticket[0], None
                        ticket[0] = yield self._repace(held, delay, method)
                        continue
                    if (yield self._wait(delay)):
                        raise        # close() was called while waiting
                    continue
            # Re-send only what provably never arrived (a dead pooled connection caught
            # while writing), or a read-only get* call; never a send* that may have arrived.
            if not network_retried and (failure.stale or (
                    failure.maybe_sent and not failure.timeout and method.startswith('get'))) \
                    and (limits is None or limits[0] is None or time.monotonic() < limits[0]):
                network_retried = True
                log.debug('%s: %s, retrying once', method, failure.what)
                continue
            raise _network_error(method, failure)

    def _flood_delay(self, error: TooManyRequestsError, retries: int,
                     waited: float) -> Optional[float]:
        delay = error.retry_after
        if (not self.retry_on_flood or not isinstance(delay, (int, float)) or delay < 0
                or retries >= self.max_flood_retries or waited + delay > self.max_flood_wait):
            return None
        return float(delay)

    def _download(self, file_path: str, dest: Any, chunk_size: int,
                  progress: Optional[Callable[[int, Optional[int]], Any]]) -> '_flow.Flow':
        """A download, as a flow: open the stream (a GET: repeated once if it failed), check
        the answer, stream the body to ``dest``; returns its size."""
        if os.path.isabs(file_path) and os.path.isfile(file_path):
            return _copy_local(file_path, dest, chunk_size, progress)
        path = self._download_path(file_path)
        retried = False
        while True:
            try:
                stream = yield self._open_stream(path)
            except Failure as f:
                if retried or f.timeout:
                    raise _network_error('download', f)
                retried = True              # a GET: safe to repeat once
            else:
                break
        try:
            if stream.status != 200:
                try:
                    data = yield from self._read(stream.chunks(STREAM_CHUNK), None,
                                                 _ERROR_BODY_LIMIT)
                except Failure as f:
                    raise _network_error('download', f)
                decode(stream.status, data, stream.headers)
                raise bad_response(stream.status, data, stream.headers)
            length = stream.headers.get('Content-Length')
            total = int(length) if length and length.isdigit() else None
            target = _Download(dest)
            ok = False
            try:
                size = yield from self._read(stream.chunks(chunk_size), target.file, None,
                                             total, progress)
                if total is not None and size != total:
                    raise Failure(OSError('got %d of %d bytes' % (size, total)),
                                  'download incomplete', maybe_sent=True)
                ok = True
            except Failure as f:
                failure = f
            finally:
                target.finish(ok)
            if not ok:
                raise _network_error('download', failure)
            return size
        finally:
            stream.close()

    def _read(self, chunks: Any, dest: Any, limit: Optional[int], total: Optional[int] = None,
              progress: Optional[Callable[[int, Optional[int]], Any]] = None) -> '_flow.Flow':
        """Read ``chunks`` to their end (or ``limit`` bytes): written to ``dest`` (returns the
        size), or, with ``dest`` None, returned as bytes."""
        got: List[bytes] = []
        done = 0
        write = got.append if dest is None else dest.write
        while limit is None or done < limit:
            chunk = yield self._next_chunk(chunks)
            if chunk is None:
                break
            write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        return b''.join(got) if dest is None else done

    def _download_path(self, file_path: str) -> str:
        return self._file_prefix + quote(file_path.lstrip('/'), safe=_PATH_SAFE)



class Transport(TransportCore):
    """Sends Bot API requests for one token; thread-safe, one per Bot.

    :param token: the bot token (never shown in messages, reprs or logs).
    :param base_url: server root, default ``https://api.telegram.org`` or ``$TELEPOT_NG_API_URL``;
        methods are called at ``{base_url}/bot{token}/{method}``.
    :param base_file_url: root for downloads (default: base_url):
        ``{base_file_url}/file/bot{token}/{file_path}``.
    :param connect_timeout: seconds to establish a connection.
    :param read_timeout: seconds to wait for an answer (``getUpdates`` adds its ``timeout``;
        uploads wait at least 120 s).
    :param pool_size: most simultaneous connections per server; more callers wait.
    :param pool_timeout: seconds a caller waits for a free connection (None: as long as needed).
    :param proxy: ``http(s)://`` or ``socks5(h)://``/``socks4://`` proxy URL for this
        transport; None follows ``set_proxy()``.
    :param proxy_basic_auth: ``(username, password)`` for the proxy.
    :param session: a ``requests.Session`` to send through instead of the built-in pool.
    :param retry_on_flood: on 429, wait ``retry_after`` seconds and try again.
    :param max_flood_retries: at most this many such retries for one call.
    :param max_flood_wait: at most this many seconds waited in total for one call; a wait that
        would go past it raises ``TooManyRequestsError`` at once.
    :param rate_limits: pace the calls that count against Telegram's limits
        (:mod:`telepot_ng.ratelimit`): a ``RateLimits`` (default: ``RateLimits()``,
        Telegram's published limits), a ``RateLimiter`` to use, or None for no pacing.
    """

    def _open(self, proxy: Optional[str], proxy_basic_auth: Optional[Tuple[str, str]],
              session: Any) -> None:
        self._session = session
        self._proxy: Tuple[Optional[str], Optional[Tuple[str, str]]] = (proxy, proxy_basic_auth)
        self._follows_global_proxy = proxy is None and session is None
        if proxy:
            proxy_parts(proxy, proxy_basic_auth)    # fail now on a bad scheme / no PySocks
        self._lock = threading.Lock()
        self._backend: Optional[Backend] = None
        self._backend_generation = -1
        self._wake = threading.Event()

    def __repr__(self) -> str:
        backend = self._backend.name if self._backend is not None else 'unopened'
        return '<Transport %s backend=%s>' % (mask(self.base_url), backend)

    # -- backend selection

    def _current_backend(self) -> Backend:
        backend = self._backend
        if backend is None or (self._follows_global_proxy
                               and self._backend_generation != _proxy_generation):
            backend = self._open_backend()
        return backend

    def _open_backend(self) -> Backend:
        with self._lock:
            generation = _proxy_generation
            backend, old = self._backend, None
            if backend is None or (self._follows_global_proxy
                                   and self._backend_generation != generation):
                proxy, auth = _global_proxy if self._follows_global_proxy else self._proxy
                new = open_backend(self._session, proxy, auth, self.connect_timeout,
                                   self.pool_size, self.pool_timeout)
                old, self._backend, self._backend_generation = backend, new, generation
                backend = new
        if old is not None:
            old.close()
        return backend

    # -- requests

    def request(self, method: str, params: Mapping[str, Any]) -> Any:
        """Call Bot API ``method`` with ``params`` (None values already removed) and return
        the ``result`` of the answer as plain JSON data.

        Raises a TelegramError subclass for ``ok: false``, BadHTTPResponse for a non-JSON
        answer, NetworkError/NetworkTimeout when no answer arrived.
        """
        limiter = self._limiter
        scope = limiter.scope(method, params) if limiter is not None else None
        body, headers, read_timeout = self._encode(method, params)
        if body.__class__ is Multipart:
            try:
                return _flow.run(self._call(method, body, headers, read_timeout, scope))
            finally:
                body.close()
        return _flow.run(self._call(method, body, headers, read_timeout, scope))

    def _pace(self, scope: Any, until: Optional[float], method: str) -> Any:
        return self._limiter.acquire(scope, until, method=method)     # type: ignore

    def _repace(self, ticket: Any, delay: float, method: str) -> Any:
        return self._limiter.retry(ticket, delay, method=method)      # type: ignore

    def _send_once(self, path: str, body: Any, headers: Mapping[str, str],
                   read_timeout: float) -> Any:
        w = _pool.io_begin()        # a pool worker waiting here lets another one run
        try:
            return self._current_backend().send(self._api, path, body, headers, read_timeout)
        finally:
            _pool.io_end(w)

    def _open_stream(self, path: str) -> Any:
        return self._current_backend().open_stream(self._files, path, self.read_timeout)

    def _next_chunk(self, chunks: Any) -> Any:
        return next(chunks, None)

    def _wait(self, seconds: float) -> bool:
        """Sleep for a flood wait; True if close() interrupted it."""
        return self._wake.wait(seconds)

    # -- downloads

    def download(self, file_path: str, dest: Union[str, 'os.PathLike[str]', IO[bytes]], *,
                 chunk_size: int = 65536,
                 progress: Optional[Callable[[int, Optional[int]], Any]] = None) -> int:
        """Save the file at ``file_path`` (from getFile) to ``dest`` and return its size.

        ``dest`` is a path (a partial file is removed on failure) or a binary file object.
        The body is streamed in ``chunk_size`` pieces; ``progress(bytes_so_far, total)`` is
        called after each (total None when unknown). An absolute ``file_path`` (a local Bot API
        server in ``--local`` mode) that exists on this machine is copied from disk.
        """
        return _flow.run(self._download(file_path, dest, chunk_size, progress))

    def close(self) -> None:
        """Close idle connections and cut short any flood-control wait in progress; calls
        waiting for their turn under the rate limits raise RateLimiterClosed.

        The transport stays usable: a later request opens new connections.
        """
        wake, self._wake = self._wake, threading.Event()
        wake.set()
        if self._limiter is not None:
            self._limiter.close()
        with self._lock:
            backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()


def _copy_local(source: str, dest: Any, chunk_size: int,
                progress: Optional[Callable[[int, Optional[int]], Any]]) -> int:
    """Copy a file a local Bot API server left on this machine."""
    total = os.path.getsize(source)
    if isinstance(dest, (str, os.PathLike)) and os.path.exists(dest) \
            and os.path.samefile(source, dest):
        return total
    with open(source, 'rb') as f:
        target = _Download(dest)
        ok = False
        try:
            size = _copy_chunks(iter(lambda: f.read(chunk_size), b''), target.file, total,
                                progress)
            ok = True
        finally:
            target.finish(ok)
    return size


def _network_error(method: str, failure: Failure) -> NetworkError:
    cause = scrub(failure.cause)
    detail = mask(str(cause)) or type(cause).__name__
    cls = NetworkTimeout if failure.timeout else NetworkError
    message = '%s: %s (%s)%s' % (method, failure.what, detail,
                                 '; the request may have reached Telegram'
                                 if failure.maybe_sent else '')
    return cls(message, maybe_sent=failure.maybe_sent, method=method, cause=cause)

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
import os
import threading
import time
from typing import IO, Any, Callable, Iterator, Mapping, Optional, Tuple, Union
from urllib.parse import quote

from . import _masking
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


_limits = threading.local()


@contextlib.contextmanager
def deadline(when: Optional[float], *, flood_wait: bool = True) -> Iterator[None]:
    """Within the block, requests made by this thread end by ``when`` (a
    :func:`time.monotonic` time; None: no bound): the read timeout is cut to the time left,
    and a flood-control wait (429) that would end later is not waited out (the
    TooManyRequestsError is raised). ``flood_wait=False`` raises every 429 at once.

    The loops use it so that ``stop(timeout)`` keeps its time limit; connecting is still
    bounded by ``connect_timeout`` only.
    """
    previous = getattr(_limits, 'value', None)
    _limits.value = (when, flood_wait)
    try:
        yield
    finally:
        _limits.value = previous


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


class Transport:
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

    @property
    def limiter(self) -> Optional[RateLimiter]:
        """The RateLimiter pacing this transport's calls (None: no pacing)."""
        return self._limiter

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
        body, headers = encode(params)
        read_timeout = self.read_timeout
        if method == 'getUpdates':
            read_timeout += float(params.get('timeout') or 0)
        elif body.__class__ is Multipart:
            read_timeout = max(read_timeout, _UPLOAD_MIN_READ_TIMEOUT)
        if body.__class__ is Multipart:
            try:
                return self._paced(method, body, headers, read_timeout, scope)
            finally:
                body.close()
        return self._paced(method, body, headers, read_timeout, scope)

    def _paced(self, method: str, body: Any, headers: Mapping[str, str],
               read_timeout: float, scope: Any) -> Any:
        if scope is None:
            return self._send(method, body, headers, read_timeout, None)
        limiter = self._limiter
        assert limiter is not None
        limits = getattr(_limits, 'value', None)      # a deadline(...) block bounds the wait
        until = None
        if limits is not None and limits[0] is not None:
            until = limiter.clock() + (limits[0] - time.monotonic())
        box = [limiter.acquire(scope, until, method=method)]
        try:
            return self._send(method, body, headers, read_timeout, box)
        finally:
            if box[0] is not None:
                limiter.done(box[0])

    def _send(self, method: str, body: Any, headers: Mapping[str, str],
              read_timeout: float, ticket: Optional[list]) -> Any:
        """Send until there is an answer: flood waits and one safe network retry included.
        ``ticket``: a one-item list holding the rate limiter's ticket of a paced call."""
        path = self._prefix + method
        flood_retries = 0
        waited = 0.0
        network_retried = False
        limits = getattr(_limits, 'value', None)
        if limits is not None and limits[0] is not None:
            read_timeout = min(read_timeout, max(0.05, limits[0] - time.monotonic()))
        while True:
            try:
                status, data, resp_headers = self._current_backend().send(
                    self._api, path, body, headers, read_timeout)
            except Failure as f:
                failure = f
            else:
                try:
                    return decode(status, data, resp_headers)
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
                        # the limiter holds the scope for the delay and gives the retry its
                        # turn (ahead of the chat's later calls); close() ends the wait
                        held, ticket[0] = ticket[0], None
                        ticket[0] = self._limiter.retry(held, delay,   # type: ignore
                                                        method=method)
                        continue
                    if self._wait(delay):
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
        if os.path.isabs(file_path) and os.path.isfile(file_path):
            return self._copy_local(file_path, dest, chunk_size, progress)
        path = self._file_prefix + quote(file_path.lstrip('/'), safe=_PATH_SAFE)
        retried = False
        while True:
            try:
                stream = self._current_backend().open_stream(self._files, path,
                                                             self.read_timeout)
            except Failure as f:
                failure = f
            else:
                break
            if retried or failure.timeout:
                raise _network_error('download', failure)
            retried = True              # a GET: safe to repeat once
        try:
            if stream.status != 200:
                data = None
                try:
                    data = b''.join(_take(stream.chunks(STREAM_CHUNK), _ERROR_BODY_LIMIT))
                except Failure as f:
                    failure = f
                if data is None:
                    raise _network_error('download', failure)
                decode(stream.status, data, stream.headers)
                raise bad_response(stream.status, data, stream.headers)
            length = stream.headers.get('Content-Length')
            total = int(length) if length and length.isdigit() else None
            target = _Download(dest)
            ok = False
            try:
                size = _copy_chunks(stream.chunks(chunk_size), target.file, total, progress)
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

    def _copy_local(self, source: str, dest: Any, chunk_size: int,
                    progress: Optional[Callable[[int, Optional[int]], Any]]) -> int:
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


def _take(chunks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    got = 0
    for chunk in chunks:
        yield chunk
        got += len(chunk)
        if got >= limit:
            return


def _network_error(method: str, failure: Failure) -> NetworkError:
    cause = scrub(failure.cause)
    detail = mask(str(cause)) or type(cause).__name__
    cls = NetworkTimeout if failure.timeout else NetworkError
    message = '%s: %s (%s)%s' % (method, failure.what, detail,
                                 '; the request may have reached Telegram'
                                 if failure.maybe_sent else '')
    return cls(message, maybe_sent=failure.maybe_sent, method=method, cause=cause)

"""The three interchangeable ways a request reaches the server — a keep-alive pool over
http.client (the default), urllib3 through a proxy, a caller's requests.Session — each turning
(origin, path, body, headers, timeout) into (status, body, headers) or a classified Failure.

A backend has ``name``, ``send(origin, path, body, headers, read_timeout)``,
``open_stream(origin, path, read_timeout)`` (a download answer with ``status``, ``headers``,
``chunks(size)`` and ``close()``) and ``close()``. urllib3 and requests are imported only when
their backend is built.
"""
from __future__ import annotations

import http.client
import select
import socket
import ssl
import sys
import threading
import time
from collections import deque
from typing import Any, Callable, Deque, Iterator, List, Mapping, NamedTuple, Optional, Tuple, Union
from urllib.parse import quote, unquote, urlsplit

from ._masking import mask, register_secret, walk_exceptions

_GET_HEADERS: Mapping[str, str] = {}
_ONE_WRITE_MAX = 65536     # bodies up to this size go out in the same send() as the head


class Origin(NamedTuple):
    scheme: str
    host: str
    port: int
    url: str       # scheme://netloc, for the backends that take full URLs


def split_root(root: str) -> Tuple[Origin, str]:
    """(origin, path prefix) of a server root URL such as ``https://host:8081/prefix``."""
    parts = urlsplit(root)
    scheme = parts.scheme.lower()
    if scheme not in ('http', 'https') or not parts.hostname:
        raise ValueError('base URL must be http(s)://host[:port][/path], got %r' % mask(root))
    port = parts.port or (443 if scheme == 'https' else 80)
    return Origin(scheme, parts.hostname, port, '%s://%s' % (scheme, parts.netloc)), \
        parts.path.rstrip('/')


class Failure(Exception):
    """Internal: an exchange failed. maybe_sent: the request may have reached the server;
    stale: a reused keep-alive connection turned out dead before the request got through."""

    def __init__(self, cause: BaseException, what: str, *, maybe_sent: bool,
                 timeout: bool = False, stale: bool = False) -> None:
        super().__init__(what)
        self.cause, self.what = cause, what
        self.maybe_sent, self.timeout, self.stale = maybe_sent, timeout, stale


_TIMEOUTS = (socket.timeout, TimeoutError)

if hasattr(select, 'poll'):
    def _is_readable(sock: socket.socket) -> bool:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
else:  # pragma: no cover - Windows
    def _is_readable(sock: socket.socket) -> bool:
        return bool(select.select([sock], [], [], 0)[0])

# On Linux the TCP state says it without a poll() (which releases the GIL: with many threads
# that costs a thread switch per request): once the server closed (FIN) or reset the
# connection, it is no longer ESTABLISHED.
_TCP_INFO = getattr(socket, 'TCP_INFO', None) if sys.platform.startswith('linux') else None
_TCP_ESTABLISHED = 1


def _is_dead(sock: socket.socket) -> bool:
    """Whether an idle keep-alive connection was closed (FIN) or reset by the server.
    Elsewhere than Linux: whether it is readable, which an idle connection never is."""
    if _TCP_INFO is not None:
        try:
            return sock.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, 1)[0] != _TCP_ESTABLISHED
        except OSError:
            pass
    return _is_readable(sock)


_ssl_context_cache: List[ssl.SSLContext] = []


def _ssl_context() -> ssl.SSLContext:
    """A verifying client context: the system CAs plus certifi's when installed."""
    if not _ssl_context_cache:
        context = ssl.create_default_context()
        try:
            import certifi
            context.load_verify_locations(certifi.where())
        except (ImportError, OSError):
            pass
        _ssl_context_cache.append(context)
    return _ssl_context_cache[0]


class _OneWrite:
    """http.client writes the request head and body with two send() calls; for a small
    body, one write is cheaper for both ends (half the syscalls and wake-ups)."""

    _buffer: List[bytes]

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if (message_body.__class__ is bytes and len(message_body) <= _ONE_WRITE_MAX
                and not encode_chunked):
            self._buffer.extend((b'', message_body))
            request = b'\r\n'.join(self._buffer)
            del self._buffer[:]
            self.send(request)  # type: ignore[attr-defined]
        else:
            super()._send_output(message_body, encode_chunked)  # type: ignore[misc]


class _HTTPConnection(_OneWrite, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_OneWrite, http.client.HTTPSConnection):
    pass


class ConnectionPool:
    """Keep-alive http.client connections to one origin: a LIFO stack of idle connections,
    new ones opened on demand up to maxsize, callers waiting when all are busy.

    The idle stack is a deque, whose append/pop are atomic, so taking and returning a
    connection needs no lock; the lock and condition serve only creation and waiting.
    (A waiter registers itself before looking at the stack, a releaser pushes before
    looking for waiters: one of the two always sees the other.)
    """

    idle_timeout = 50.0    # drop connections idle longer than this (servers close them)

    def __init__(self, origin: Origin, connect_timeout: float, maxsize: int,
                 wait_timeout: Optional[float]) -> None:
        self.origin = origin
        self._connect_timeout = connect_timeout
        self._maxsize = maxsize
        self._wait_timeout = wait_timeout
        self._cond = threading.Condition(threading.Lock())
        self._idle: Deque[Tuple[http.client.HTTPConnection, float]] = deque()
        self._count = 0        # connections in existence (idle + busy), under the lock
        self._waiters = 0
        self._closed = False

    def _new(self) -> http.client.HTTPConnection:
        o = self.origin
        if o.scheme == 'https':
            return _HTTPSConnection(o.host, o.port, timeout=self._connect_timeout,
                                    context=_ssl_context())
        return _HTTPConnection(o.host, o.port, timeout=self._connect_timeout)

    def acquire(self) -> Tuple[http.client.HTTPConnection, bool]:
        """Return (connection, reused). A new connection is not yet connected."""
        while True:
            try:
                conn, since = self._idle.pop()
            except IndexError:
                item = self._wait_or_reserve()
                if item is None:
                    return self._new(), False
                conn, since = item
            if (time.monotonic() - since < self.idle_timeout and conn.sock is not None
                    and not _is_dead(conn.sock)):
                return conn, True
            self.release(conn, False)

    def _wait_or_reserve(self) -> Optional[Tuple[http.client.HTTPConnection, float]]:
        """An idle connection, or None after reserving room for a new one; waits when full."""
        deadline = None
        with self._cond:
            self._waiters += 1
            try:
                while True:
                    try:
                        return self._idle.pop()
                    except IndexError:
                        pass
                    if self._count < self._maxsize:
                        self._count += 1
                        return None
                    remaining = None
                    if self._wait_timeout is not None:
                        now = time.monotonic()
                        deadline = deadline or now + self._wait_timeout
                        remaining = deadline - now
                        if remaining <= 0:
                            raise Failure(TimeoutError('all %d connections are busy'
                                                       % self._maxsize),
                                          'no free connection', maybe_sent=False, timeout=True)
                    self._cond.wait(remaining)
            finally:
                self._waiters -= 1

    def release(self, conn: http.client.HTTPConnection, keep: bool) -> None:
        if keep and not self._closed:
            self._idle.append((conn, time.monotonic()))
            if self._waiters:
                with self._cond:
                    self._cond.notify()
            if self._closed:           # close() ran meanwhile: do not leave it behind
                self._drain()
            return
        conn.close()
        with self._cond:
            self._count -= 1
            if self._waiters:
                self._cond.notify()

    def _drain(self) -> None:
        while True:
            try:
                conn, _ = self._idle.pop()
            except IndexError:
                return
            self.release(conn, False)

    def close(self) -> None:
        self._closed = True
        self._drain()
        with self._cond:
            self._cond.notify_all()


def _lost(e: BaseException, what: str, timed_out: str = 'read timed out') -> Failure:
    """The Failure for an error after the request was written: the server may have acted."""
    if isinstance(e, _TIMEOUTS):
        return Failure(e, timed_out, maybe_sent=True, timeout=True)
    return Failure(e, what, maybe_sent=True)


_LOST = (OSError, http.client.HTTPException)   # what http.client raises when the wire fails


class _HTTPClientStream:
    def __init__(self, pool: ConnectionPool, conn: http.client.HTTPConnection,
                 resp: http.client.HTTPResponse) -> None:
        self._pool, self._conn, self._resp = pool, conn, resp
        self.status, self.headers = resp.status, resp.msg

    def chunks(self, size: int) -> Iterator[bytes]:
        read = self._resp.read
        while True:
            try:
                chunk = read(size)
            except _LOST as e:
                raise _lost(e, 'connection lost')
            if not chunk:
                missing = self._resp.length     # http.client returns b'' on an early EOF
                if missing:
                    raise _lost(http.client.IncompleteRead(b'', missing), 'connection lost')
                return
            yield chunk

    def close(self) -> None:
        resp, self._resp = self._resp, None
        if resp is not None:
            keep = resp.isclosed() and not resp.will_close   # fully read
            resp.close()
            self._pool.release(self._conn, keep)


class _HTTPClientBackend:
    """The default backend: a ConnectionPool per origin, http.client on the wire."""

    name = 'http.client'

    def __init__(self, connect_timeout: float, pool_size: int,
                 pool_timeout: Optional[float]) -> None:
        self._args = (connect_timeout, pool_size, pool_timeout)
        self._pools: dict = {}
        self._lock = threading.Lock()
        self._closed = False

    def _pool(self, origin: Origin) -> ConnectionPool:
        pool = self._pools.get(origin)
        if pool is None:
            with self._lock:
                pool = self._pools.get(origin)
                if pool is None:
                    pool = self._pools[origin] = ConnectionPool(origin, *self._args)
                    if self._closed:        # a straggler after close(): keep nothing idle
                        pool.close()
        return pool

    def _exchange(self, conn: http.client.HTTPConnection, reused: bool, method: str,
                  path: str, body: Any, headers: Mapping[str, str],
                  read_timeout: float) -> http.client.HTTPResponse:
        if conn.sock is None:
            try:
                conn.connect()
            except _TIMEOUTS as e:
                raise Failure(e, 'connect timed out', maybe_sent=False, timeout=True)
            except OSError as e:
                raise Failure(e, 'connection failed', maybe_sent=False)
        if conn.sock.gettimeout() != read_timeout:
            conn.sock.settimeout(read_timeout)
        try:
            conn.request(method, path, body, headers)
        except _LOST as e:
            # the request was not completely written: the server cannot have acted on it
            raise Failure(e, 'sending failed', maybe_sent=False, stale=reused,
                          timeout=isinstance(e, _TIMEOUTS))
        try:
            return conn.getresponse()
        except _LOST as e:
            raise _lost(e, 'connection lost while waiting for the answer',
                        'read timed out after %g s' % read_timeout)

    def send(self, origin: Origin, path: str, body: Any, headers: Mapping[str, str],
             read_timeout: float) -> Tuple[int, bytes, Any]:
        pool = self._pool(origin)
        conn, reused = pool.acquire()
        keep = False
        try:
            resp = self._exchange(conn, reused, 'POST', path, body, headers, read_timeout)
            try:
                data = resp.read()
            except _LOST as e:
                raise _lost(e, 'connection lost while reading the answer')
            keep = not resp.will_close
            return resp.status, data, resp.msg
        finally:
            pool.release(conn, keep)

    def open_stream(self, origin: Origin, path: str, read_timeout: float) -> _HTTPClientStream:
        pool = self._pool(origin)
        conn, reused = pool.acquire()
        try:
            resp = self._exchange(conn, reused, 'GET', path, None, _GET_HEADERS,
                                  read_timeout)
        except BaseException:
            pool.release(conn, False)
            raise
        return _HTTPClientStream(pool, conn, resp)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
        for pool in pools:
            pool.close()


def _classify_library_error(e: BaseException) -> Tuple[bool, bool]:
    """(maybe_sent, timeout) for an exception from urllib3 or requests."""
    from urllib3 import exceptions as u3
    unsent_timeout = (u3.ConnectTimeoutError, u3.EmptyPoolError)
    unsent = (u3.NewConnectionError, ConnectionRefusedError, socket.gaierror,
              u3.LocationValueError, u3.ProxySchemeUnknown)
    timeout = False
    for x in walk_exceptions(e):
        if isinstance(x, unsent):
            return False, False
        if isinstance(x, unsent_timeout):
            return False, True
        if isinstance(x, (u3.ReadTimeoutError,) + _TIMEOUTS):
            timeout = True
    return True, timeout


def _classify_requests_error(e: BaseException) -> Tuple[bool, bool]:
    """(maybe_sent, timeout) for an exception from requests."""
    import requests
    if isinstance(e, requests.exceptions.ConnectTimeout):
        return False, True
    if isinstance(e, requests.exceptions.ReadTimeout):
        return True, True
    if isinstance(e, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                      requests.exceptions.MissingSchema, requests.exceptions.InvalidHeader)):
        return False, False
    return _classify_library_error(e)


def proxy_parts(proxy: str, basic_auth: Optional[Tuple[str, str]]
                ) -> Tuple[str, str, Optional[Tuple[str, str]]]:
    """(scheme, proxy URL without credentials, credentials from basic_auth or the URL);
    ValueError for a scheme no backend speaks, ImportError for SOCKS without PySocks."""
    parts = urlsplit(proxy)
    scheme = parts.scheme.lower()
    if scheme not in ('http', 'https', 'socks4', 'socks4a', 'socks5', 'socks5h'):
        raise ValueError('unsupported proxy scheme %r (use http, https, socks4, socks5 or '
                         'socks5h)' % scheme)
    if parts.username is not None:
        basic_auth = basic_auth or (unquote(parts.username), unquote(parts.password or ''))
        netloc = parts.netloc.rpartition('@')[2]
        proxy = parts._replace(netloc=netloc).geturl()
    if scheme.startswith('socks'):
        _require_socks()
    if basic_auth:
        _register_proxy_auth(basic_auth[0], basic_auth[1])
    return scheme, proxy, tuple(basic_auth) if basic_auth else None  # type: ignore[return-value]


def _register_proxy_auth(user: str, password: str) -> None:
    """Keep the proxy's credentials out of error texts and logs: the password, the
    ``user:password`` pair and its base64 form (the Proxy-Authorization value)."""
    import base64
    pair = '%s:%s' % (user, password)
    register_secret(password)
    register_secret(pair)
    register_secret(base64.b64encode(pair.encode('latin-1', 'replace')).decode('ascii'))


def _require_socks() -> None:
    try:
        import socks  # noqa: F401  (PySocks)
    except ImportError:
        raise ImportError('SOCKS proxies need PySocks: pip install telepot-ng[socks]') from None


class _LibraryStream:
    """A download answer from urllib3 or requests: status, headers, chunks, close."""

    def __init__(self, status: int, headers: Any, pieces: Callable[[int], Iterator[bytes]],
                 classify: Callable[[BaseException], Tuple[bool, bool]],
                 close: Callable[[], Any]) -> None:
        self.status, self.headers = status, headers
        self._pieces, self._classify, self.close = pieces, classify, close

    def chunks(self, size: int) -> Iterator[bytes]:
        try:
            yield from self._pieces(size)
        except Exception as e:
            timeout = self._classify(e)[1]
            raise Failure(e, 'download interrupted', maybe_sent=True, timeout=timeout)


class _LibraryBackend:
    """What the urllib3 and requests backends share: full URLs, one library call per
    exchange, the library's errors classified into a Failure."""

    name = ''
    _what = 'request failed'                  # how a failed exchange is described
    _errors: Tuple[type, ...] = ()            # the library's exceptions to classify
    _classify: Callable[[BaseException], Tuple[bool, bool]]

    def _call(self, method: str, url: str, body: Any, headers: Mapping[str, str],
              read_timeout: float, stream: bool) -> Any:
        """The library's response (streamed: its body is not read yet)."""
        raise NotImplementedError

    def _answer(self, resp: Any) -> Tuple[int, bytes, Any]:
        raise NotImplementedError

    def _stream(self, resp: Any) -> _LibraryStream:
        raise NotImplementedError

    def _open(self, method: str, origin: Origin, path: str, body: Any,
              headers: Mapping[str, str], read_timeout: float, stream: bool) -> Any:
        try:
            return self._call(method, origin.url + path, body, headers, read_timeout, stream)
        except self._errors as e:
            sent, timeout = self._classify(e)
            raise Failure(e, self._what, maybe_sent=sent, timeout=timeout)

    def send(self, origin: Origin, path: str, body: Any, headers: Mapping[str, str],
             read_timeout: float) -> Tuple[int, bytes, Any]:
        return self._answer(self._open('POST', origin, path, body, headers, read_timeout,
                                       False))

    def open_stream(self, origin: Origin, path: str, read_timeout: float) -> _LibraryStream:
        return self._stream(self._open('GET', origin, path, None, _GET_HEADERS, read_timeout,
                                       True))

    def close(self) -> None:
        """Nothing of ours to close."""


class _Urllib3Backend(_LibraryBackend):
    """Backend for proxies: urllib3's ProxyManager (HTTP/HTTPS) or SOCKSProxyManager."""

    name = 'urllib3'
    _what = 'request through proxy failed'
    _classify = staticmethod(_classify_library_error)

    def __init__(self, proxy: str, basic_auth: Optional[Tuple[str, str]], connect_timeout: float,
                 pool_size: int, pool_timeout: Optional[float]) -> None:
        import urllib3
        self._urllib3 = urllib3
        self._errors = (urllib3.exceptions.HTTPError, OSError)
        scheme, url, auth = proxy_parts(proxy, basic_auth)
        kw = dict(num_pools=4, maxsize=pool_size, block=True, retries=False,
                  ssl_context=_ssl_context())
        if scheme.startswith('socks'):
            from urllib3.contrib.socks import SOCKSProxyManager
            user, password = auth or (None, None)
            self._manager = SOCKSProxyManager(url, username=user, password=password, **kw)
        else:
            headers = urllib3.make_headers(proxy_basic_auth='%s:%s' % auth) if auth else None
            self._manager = urllib3.ProxyManager(url, proxy_headers=headers, **kw)
        self._connect_timeout, self._pool_timeout = connect_timeout, pool_timeout

    def _call(self, method: str, url: str, body: Any, headers: Mapping[str, str],
              read_timeout: float, stream: bool) -> Any:
        timeout = self._urllib3.Timeout(connect=self._connect_timeout, read=read_timeout)
        return self._manager.urlopen(method, url, body=body, headers=dict(headers),
                                     timeout=timeout, retries=False, redirect=False,
                                     preload_content=not stream,
                                     pool_timeout=self._pool_timeout)

    def _answer(self, resp: Any) -> Tuple[int, bytes, Any]:
        return resp.status, resp.data, resp.headers

    def _stream(self, resp: Any) -> _LibraryStream:
        def close() -> None:
            if not resp.closed:     # not read to the end: the connection cannot be reused
                resp.close()
            resp.release_conn()
        return _LibraryStream(resp.status, resp.headers, resp.stream, self._classify, close)

    def close(self) -> None:
        self._manager.clear()


class _RequestsBackend(_LibraryBackend):
    """Backend over a caller's requests.Session (custom adapters, corporate setups, tests);
    the session belongs to the caller and is left open."""

    name = 'requests'
    _classify = staticmethod(_classify_requests_error)

    def __init__(self, session: Any, proxy: Optional[str], basic_auth: Optional[Tuple[str, str]],
                 connect_timeout: float) -> None:
        import requests
        self._errors = (requests.exceptions.RequestException,)
        self._session = session
        self._connect_timeout = connect_timeout
        self._proxies = None
        if proxy:
            scheme, url, auth = proxy_parts(proxy, basic_auth)
            if auth:
                parts = urlsplit(url)
                netloc = '%s:%s@%s' % (quote(auth[0], safe=''), quote(auth[1], safe=''),
                                       parts.netloc)
                url = parts._replace(netloc=netloc).geturl()
            self._proxies = {'http': url, 'https': url}

    def _call(self, method: str, url: str, body: Any, headers: Mapping[str, str],
              read_timeout: float, stream: bool) -> Any:
        return self._session.request(method, url, data=body, headers=headers,
                                     timeout=(self._connect_timeout, read_timeout),
                                     proxies=self._proxies, allow_redirects=False,
                                     stream=stream)

    def _answer(self, resp: Any) -> Tuple[int, bytes, Any]:
        return resp.status_code, resp.content, resp.headers

    def _stream(self, resp: Any) -> _LibraryStream:
        return _LibraryStream(resp.status_code, resp.headers, resp.iter_content,
                              self._classify, resp.close)


Backend = Union[_HTTPClientBackend, _Urllib3Backend, _RequestsBackend]


def open_backend(session: Any, proxy: Optional[str], basic_auth: Optional[Tuple[str, str]],
                 connect_timeout: float, pool_size: int,
                 pool_timeout: Optional[float]) -> Backend:
    """The backend for these settings: over the caller's requests session when given, else
    urllib3 through the proxy when there is one, else the http.client pool."""
    if session is not None:
        return _RequestsBackend(session, proxy, basic_auth, connect_timeout)
    if proxy:
        return _Urllib3Backend(proxy, basic_auth, connect_timeout, pool_size, pool_timeout)
    return _HTTPClientBackend(connect_timeout, pool_size, pool_timeout)

"""A small asyncio HTTP/1.1 server (keep-alive, chunked bodies, pipelining) and client."""
from __future__ import annotations

import asyncio
import functools
import itertools
import ssl
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Tuple, Union
from urllib.parse import urlsplit

from .. import _masking

log = _masking.logger(__name__)

__all__ = ['HttpRequest', 'HttpResponse', 'HttpServer', 'HttpClient', 'HttpError', 'DROP']

MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024
_PAUSE_AT = 4 * 1024 * 1024

_REASONS = {
    100: 'Continue', 200: 'OK', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized',
    403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
    411: 'Length Required', 413: 'Request Entity Too Large', 429: 'Too Many Requests',
    431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
    502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}


class HttpError(Exception):
    """A malformed request or response; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class HttpRequest:
    """One parsed request; ``headers`` has lower-case names."""

    __slots__ = ('method', 'path', 'query', 'version', 'headers', 'body', 'conn_id', 'keep_alive')

    def __init__(self, method: str, path: str, query: str, version: str,
                 headers: Dict[str, str], body: bytes, conn_id: int, keep_alive: bool) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.conn_id = conn_id
        self.keep_alive = keep_alive


class HttpResponse:
    """What to answer; ``DROP`` closes the connection without answering."""

    __slots__ = ('status', 'body', 'content_type', 'headers')

    def __init__(self, status: int, body: bytes = b'', content_type: str = 'application/json',
                 headers: Optional[List[Tuple[str, str]]] = None) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers

    def encode(self, keep_alive: bool, head_only: bool = False) -> bytes:
        lines = ['HTTP/1.1 %d %s' % (self.status, _REASONS.get(self.status, 'Unknown')),
                 'Server: telepot_ng-fake-telegram',
                 'Content-Type: ' + self.content_type,
                 'Content-Length: %d' % len(self.body)]
        if self.headers:
            lines.extend('%s: %s' % kv for kv in self.headers)
        if not keep_alive:
            lines.append('Connection: close')
        head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
        return head if head_only else head + self.body


DROP = HttpResponse(0)

Handler = Callable[[HttpRequest], Union[HttpResponse, Awaitable[HttpResponse]]]


def parse_head(head: bytes) -> Tuple[str, Dict[str, str]]:
    """Split a message head into its start line and lower-cased headers (repeats joined by ', ')."""
    try:
        text = head.decode('latin-1')
    except Exception:  # pragma: no cover - latin-1 decodes any bytes
        raise HttpError(400, 'undecodable head')
    lines = text.split('\r\n')
    headers: Dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(':')
        if not sep or not name or name != name.strip():
            raise HttpError(400, 'malformed header line')
        name = name.lower()
        value = value.strip()
        headers[name] = headers[name] + ', ' + value if name in headers else value
    return lines[0], headers


def _content_length(headers: Dict[str, str]) -> int:
    raw = headers.get('content-length')
    if raw is None:
        return 0
    if not raw.isdigit():
        raise HttpError(400, 'bad Content-Length')
    return int(raw)


class _ChunkedBody:
    """Incremental decoder of a chunked body; ``feed`` returns bytes consumed or -1 if incomplete."""

    __slots__ = ('parts', 'size', 'done', 'limit')

    def __init__(self, limit: int = MAX_BODY) -> None:
        self.parts: List[bytes] = []
        self.size = 0
        self.done = False
        self.limit = limit

    def feed(self, buf: bytearray, start: int) -> int:
        pos = start
        while True:
            eol = buf.find(b'\r\n', pos)
            if eol < 0:
                if len(buf) - pos > 1024:
                    raise HttpError(400, 'bad chunk size line')
                return pos - start if pos > start else -1
            size_text = bytes(buf[pos:eol]).split(b';', 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise HttpError(400, 'bad chunk size')
            if size == 0:
                end = buf.find(b'\r\n\r\n', eol)   # optional trailers, then an empty line
                if buf[eol:eol + 4] == b'\r\n\r\n':
                    end = eol
                if end < 0:
                    return pos - start if pos > start else -1
                self.done = True
                return end + 4 - start
            if len(buf) < eol + 2 + size + 2:
                return pos - start if pos > start else -1
            data_start = eol + 2
            self.parts.append(bytes(buf[data_start:data_start + size]))
            self.size += size
            if self.size > self.limit:
                raise HttpError(413, 'body too large')
            if buf[data_start + size:data_start + size + 2] != b'\r\n':
                raise HttpError(400, 'bad chunk terminator')
            pos = data_start + size + 2


class _Connection(asyncio.Protocol):
    """One client connection: parses requests in order and answers them in the same order."""

    def __init__(self, server: 'HttpServer') -> None:
        self.server = server
        self.loop = server.loop
        self.transport: Optional[asyncio.Transport] = None
        self.buf = bytearray()
        self.busy = False
        self.closed = False
        self.paused = False
        self.id = 0
        self._head: Optional[Tuple[str, str, str, str, Dict[str, str], bool]] = None
        self._chunked: Optional[_ChunkedBody] = None
        self._task: Optional['asyncio.Future[HttpResponse]'] = None

    # -- asyncio.Protocol ---------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.id = next(self.server._ids)
        self.server._conns.add(self)
        if self.server._stopping:       # accepted just before the server stopped
            self._close(abort=True)

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        self.closed = True
        self.server._conns.discard(self)
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.busy:
            self._process()
        elif len(self.buf) > _PAUSE_AT and not self.paused:
            self.paused = True
            self.transport.pause_reading()  # type: ignore[union-attr]

    def eof_received(self) -> Optional[bool]:
        if not self.busy and not self.buf:
            return False   # close
        return True        # answer what is in flight, then close

    # -- request handling ---------------------------------------------------------------------
    def _process(self) -> None:
        while not self.busy and not self.closed:
            try:
                req = self._parse()
            except HttpError as e:
                body = ('{"ok":false,"error_code":%d,"description":"%s"}'
                        % (e.status, _REASONS.get(e.status, 'Bad Request'))).encode()
                self._write(HttpResponse(e.status, body), False)
                return
            if req is None:
                if self.paused:
                    self.paused = False
                    self.transport.resume_reading()  # type: ignore[union-attr]
                return
            try:
                result = self.server.handler(req)
            except Exception:
                log.exception('fake telegram handler failed')
                result = HttpResponse(500, b'{"ok":false,"error_code":500,'
                                           b'"description":"Internal Server Error"}')
            if isinstance(result, HttpResponse):
                self._write(result, req.keep_alive, req.method == 'HEAD')
            else:
                # The handler has already done (and registered) everything that must happen
                # when the request arrives; the task only waits for the answer.
                self.busy = True
                task = asyncio.ensure_future(result, loop=self.loop)
                self._task = task
                self.server._tasks.add(task)
                task.add_done_callback(functools.partial(self._finish, req))
                return

    def _finish(self, req: HttpRequest, task: 'asyncio.Future[HttpResponse]') -> None:
        self.server._tasks.discard(task)
        self._task = None
        if task.cancelled():
            self._close()
            return
        exc = task.exception()
        if exc is None:
            result = task.result()
        else:
            log.error('fake telegram handler failed', exc_info=exc)
            result = HttpResponse(500, b'{"ok":false,"error_code":500,'
                                       b'"description":"Internal Server Error"}')
        self.busy = False
        if not self.closed:
            self._write(result, req.keep_alive, req.method == 'HEAD')
            self._process()

    def _write(self, res: HttpResponse, keep_alive: bool, head_only: bool = False) -> None:
        if self.closed:
            return
        if res is DROP:
            self._close(abort=True)
            return
        self.transport.write(res.encode(keep_alive, head_only))  # type: ignore[union-attr]
        if not keep_alive:
            self._close()

    def _close(self, abort: bool = False) -> None:
        if not self.closed:
            self.closed = True
            self.busy = True    # parse nothing more
            if abort:
                self.transport.abort()  # type: ignore[union-attr]
            else:
                self.transport.close()  # type: ignore[union-attr]

    def _parse(self) -> Optional[HttpRequest]:
        buf = self.buf
        if self._head is None:
            if not buf:
                return None
            # tolerate blank lines between pipelined requests
            while buf[:2] == b'\r\n':
                del buf[:2]
            end = buf.find(b'\r\n\r\n')
            if end < 0:
                if len(buf) > MAX_HEAD:
                    raise HttpError(431, 'head too large')
                return None
            start_line, headers = parse_head(bytes(buf[:end]))
            del buf[:end + 4]
            parts = start_line.split(' ')
            if len(parts) != 3 or not parts[2].startswith('HTTP/1.'):
                raise HttpError(400, 'bad request line')
            method, target, version = parts
            path, _, query = target.partition('?')
            conn = headers.get('connection', '').lower()
            if version == 'HTTP/1.0':
                keep_alive = 'keep-alive' in conn
            else:
                keep_alive = 'close' not in conn
            self._head = (method, path, query, version, headers, keep_alive)
            if 'chunked' in headers.get('transfer-encoding', '').lower():
                self._chunked = _ChunkedBody(self.server.max_body)
            elif _content_length(headers) > self.server.max_body:
                raise HttpError(413, 'body too large')
            if headers.get('expect', '').lower() == '100-continue':
                self.transport.write(b'HTTP/1.1 100 Continue\r\n\r\n')  # type: ignore[union-attr]
        method, path, query, version, headers, keep_alive = self._head
        if self._chunked is not None:
            used = self._chunked.feed(buf, 0)
            if used > 0:
                del buf[:used]
            if not self._chunked.done:
                return None
            body = b''.join(self._chunked.parts)
            self._chunked = None
        else:
            length = _content_length(headers)
            if len(buf) < length:
                return None
            body = bytes(buf[:length])
            del buf[:length]
        self._head = None
        return HttpRequest(method, path, query, version, headers, body, self.id, keep_alive)


class HttpServer:
    """Serve ``handler`` on host:port inside the running event loop."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]
        self._server: Optional[asyncio.AbstractServer] = None
        self._conns: Set[_Connection] = set()
        self._tasks: Set['asyncio.Future[HttpResponse]'] = set()
        self._ids = itertools.count(1)
        self.max_body = MAX_BODY       # larger bodies: 413 before they are read
        self._stopping = False
        self.port = 0

    async def start(self, host: str = '127.0.0.1', port: int = 0) -> int:
        self.loop = asyncio.get_running_loop()
        self._server = await self.loop.create_server(lambda: _Connection(self), host, port,
                                                     reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        self._stopping = True
        server, self._server = self._server, None
        if server is not None:
            server.close()
        # connections first: since 3.12.1, wait_closed() also waits until they are gone
        for conn in list(self._conns):
            conn._close(abort=True)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if server is not None:
            await server.wait_closed()
        await asyncio.sleep(0)   # let transports finish closing


class HttpClient:
    """A keep-alive client for POSTing to one origin (used to push webhook updates)."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise ValueError('unsupported webhook URL')
        self.https = parts.scheme == 'https'
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.target = (parts.path or '/') + ('?' + parts.query if parts.query else '')
        self.timeout = timeout
        self._reader: Optional[asyncio.StreamReader] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self._closing: Optional[asyncio.StreamWriter] = None

    async def post(self, body: bytes, headers: Dict[str, str]) -> Tuple[int, bytes]:
        """POST ``body``; return (status, response body). Raises OSError/HttpError/TimeoutError."""
        try:
            return await asyncio.wait_for(self._post(body, headers), self.timeout)
        except BaseException:
            self.close()
            raise

    async def _post(self, body: bytes, headers: Dict[str, str]) -> Tuple[int, bytes]:
        for attempt in (1, 2):
            fresh = self._writer is None
            if fresh:
                ctx: Any = None
                if self.https:   # local test receivers use self-signed certificates
                    ctx = ssl.create_default_context()
                    ctx.check_hostname = False
                    ctx.verify_mode = ssl.CERT_NONE
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port,
                                                                           ssl=ctx)
            lines = ['POST %s HTTP/1.1' % self.target, 'Host: %s:%d' % (self.host, self.port),
                     'Content-Length: %d' % len(body)]
            lines.extend('%s: %s' % kv for kv in headers.items())
            try:
                self._writer.write(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body)  # type: ignore[union-attr]
                return await self._read_response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if fresh or attempt == 2:
                    raise
        raise AssertionError('unreachable')  # pragma: no cover

    async def _read_response(self) -> Tuple[int, bytes]:
        reader = self._reader
        assert reader is not None
        head = await reader.readuntil(b'\r\n\r\n')
        status_line, headers = parse_head(head[:-4])
        parts = status_line.split(' ', 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise HttpError(502, 'bad status line')
        status = int(parts[1])
        if 'chunked' in headers.get('transfer-encoding', '').lower():
            chunks = []
            while True:
                size = int((await reader.readuntil(b'\r\n')).split(b';', 1)[0].strip(), 16)
                if size == 0:
                    while (await reader.readuntil(b'\r\n')) != b'\r\n':
                        pass
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            body = b''.join(chunks)
        elif 'content-length' in headers:
            body = await reader.readexactly(_content_length(headers))
        else:
            body = await reader.read()
            headers['connection'] = 'close'
        if 'close' in headers.get('connection', '').lower():
            self.close()
        return status, body

    def close(self) -> None:
        """Close the connection (abort it if a request is still being written)."""
        writer = self._writer
        if writer is not None:
            if writer.transport.get_write_buffer_size():
                writer.transport.abort()
            else:
                writer.close()
            self._closing = writer
        self._reader = self._writer = None

    async def aclose(self) -> None:
        """Close the connection and wait until its socket is closed."""
        self.close()
        writer, self._closing = self._closing, None
        if writer is not None:
            try:
                await writer.wait_closed()
            except Exception:     # the connection had failed: it is closed all the same
                pass

"""The asyncio backend: an aiohttp ClientSession turning (origin, path, body, headers,
timeout) into (status, body, headers) or a classified Failure — the awaitable twin of the
backends in telepot_ng._http, with the same contract (``send``, ``open_stream``, ``close``).

aiohttp was chosen over httpx by measurement (setup.cfg, the ``aio`` extra).  It is imported
when the first backend is built, so ``import telepot_ng.aio`` works without it.
"""
from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Dict, Mapping, Optional, Tuple

from .._encoding import Multipart
from .._http import Failure, Origin, _ssl_context, proxy_parts

__all__ = ['AiohttpBackend', 'require_aiohttp']

_EXTRA = 'telepot_ng.aio needs aiohttp: pip install telepot-ng[aio]'


def require_aiohttp() -> Any:
    try:
        import aiohttp
    except ImportError:
        raise ImportError(_EXTRA) from None
    return aiohttp


def _classify(aiohttp: Any, e: BaseException) -> Tuple[bool, bool, str]:
    """(maybe_sent, timeout, what) for an exception from an aiohttp exchange."""
    if isinstance(e, aiohttp.ConnectionTimeoutError):       # pool wait or connect
        return False, True, 'connect timed out'
    if isinstance(e, (aiohttp.ClientConnectorError, aiohttp.InvalidURL)):
        return False, False, 'connection failed'
    if isinstance(e, (aiohttp.ServerTimeoutError, asyncio.TimeoutError)):
        return True, True, 'read timed out'
    if isinstance(e, aiohttp.ServerDisconnectedError):
        return True, False, 'connection lost while waiting for the answer'
    return True, False, 'connection lost'


async def _body(multipart: Multipart) -> AsyncIterator[bytes]:
    for chunk in multipart:
        yield chunk


class _Stream:
    """A download answer: status, headers, ``chunks(size)`` (an async iterator), close()."""

    def __init__(self, backend: 'AiohttpBackend', resp: Any) -> None:
        self._backend, self._resp = backend, resp
        self.status, self.headers = resp.status, resp.headers

    async def chunks(self, size: int) -> AsyncIterator[bytes]:
        read = self._resp.content.read
        while True:
            try:
                chunk = await read(size)
            except self._backend._errors as e:
                raise self._backend._failure(e, 'download interrupted') from None
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        resp, self._resp = self._resp, None
        if resp is not None:
            if resp.content.at_eof():
                resp.release()                 # read to the end: the connection is reused
            else:
                resp.close()


class AiohttpBackend:
    """One aiohttp ClientSession per event loop (made at the first request in a loop), or a
    caller's ``session``, which is left open."""

    name = 'aiohttp'

    def __init__(self, connect_timeout: float, pool_size: int, pool_timeout: Optional[float],
                 proxy: Optional[str] = None, basic_auth: Optional[Tuple[str, str]] = None,
                 session: Any = None) -> None:
        aiohttp = self._aiohttp = require_aiohttp()
        self._errors = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
        self._connect_timeout = connect_timeout
        self._pool_size, self._pool_timeout = pool_size, pool_timeout
        self._session = session
        self._own: Any = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._timeouts: Dict[float, Any] = {}
        self._urls: Dict[Tuple[Origin, str], Any] = {}
        self._proxy: Optional[str] = None
        self._proxy_auth: Any = None
        if proxy:
            scheme, url, auth = proxy_parts(proxy, basic_auth)
            if scheme not in ('http', 'https'):
                raise ValueError('telepot_ng.aio supports http(s):// proxies, not %s' % scheme)
            self._proxy = url
            self._proxy_auth = aiohttp.BasicAuth(*auth) if auth else None

    def _client(self) -> Any:
        if self._session is not None:
            return self._session
        loop = asyncio.get_running_loop()
        own = self._own
        if own is None or own.closed or self._loop is not loop:
            aiohttp = self._aiohttp
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=_ssl_context())
            own = self._own = aiohttp.ClientSession(connector=connector, auto_decompress=False)
            self._loop = loop
        return own

    def _timeout(self, read_timeout: float) -> Any:
        t = self._timeouts.get(read_timeout)
        if t is None:
            pool = self._pool_timeout
            t = self._timeouts[read_timeout] = self._aiohttp.ClientTimeout(
                total=None, connect=None if pool is None else pool + self._connect_timeout,
                sock_connect=self._connect_timeout, sock_read=read_timeout)
        return t

    def _url(self, origin: Origin, path: str) -> Any:
        key = (origin, path)
        url = self._urls.get(key)
        if url is None:
            from yarl import URL                 # aiohttp's URL type: parse each path once
            url = URL(origin.url + path, encoded=True)
            if len(self._urls) < 1024:
                self._urls[key] = url
        return url

    def _failure(self, e: BaseException, what: Optional[str] = None) -> Failure:
        sent, timeout, description = _classify(self._aiohttp, e)
        return Failure(e, what or description, maybe_sent=sent, timeout=timeout)

    async def send(self, origin: Origin, path: str, body: Any, headers: Mapping[str, str],
                   read_timeout: float) -> Tuple[int, bytes, Any]:
        data = _body(body) if body.__class__ is Multipart else body
        try:
            async with self._client().post(self._url(origin, path), data=data, headers=headers,
                                           timeout=self._timeout(read_timeout),
                                           proxy=self._proxy, proxy_auth=self._proxy_auth,
                                           allow_redirects=False) as resp:
                return resp.status, await resp.read(), resp.headers
        except self._errors as e:
            raise self._failure(e) from None

    async def open_stream(self, origin: Origin, path: str, read_timeout: float) -> _Stream:
        try:
            resp = await self._client().get(self._url(origin, path),
                                            timeout=self._timeout(read_timeout),
                                            proxy=self._proxy, proxy_auth=self._proxy_auth,
                                            allow_redirects=False)
        except self._errors as e:
            raise self._failure(e) from None
        return _Stream(self, resp)

    async def close(self) -> None:
        own, self._own = self._own, None
        if own is not None and not own.closed:
            try:
                await own.close()
            except RuntimeError:                  # its loop is gone: nothing left to close
                pass

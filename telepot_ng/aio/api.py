"""The asyncio transport: telepot_ng.api's call and download policy (one implementation,
:class:`telepot_ng.api.TransportCore`), driven with awaitable I/O over aiohttp."""
from __future__ import annotations

import asyncio
from typing import IO, Any, AsyncIterator, Callable, Mapping, Optional, Tuple, Union

from .. import _flow
from .._encoding import Multipart
from ..api import TransportCore, _global_proxy, mask
from ._http import AiohttpBackend

__all__ = ['Transport']


async def _anext(chunks: AsyncIterator[bytes]) -> Optional[bytes]:
    try:
        return await chunks.__anext__()
    except StopAsyncIteration:
        return None


class _Granted:
    """Waits in a task for a rate limiter's ticket (the limiter calls this object, maybe
    from its dispatcher thread, when the ticket is granted or cancelled)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._future: 'asyncio.Future[None]' = loop.create_future()

    def __call__(self, ticket: Any) -> None:
        self._loop.call_soon_threadsafe(self._set)

    def _set(self) -> None:
        if not self._future.done():
            self._future.set_result(None)

    async def wait(self, limiter: Any, ticket: Any, until: Optional[float], method: str) -> Any:
        """The ticket once granted; RateLimitTimeout at ``until`` (the limiter's clock) or
        RateLimiterClosed when the limiter closes; a cancelled task gives its turn back."""
        from ..ratelimit import RateLimiterClosed, RateLimitTimeout
        from ..ratelimit._core import CANCELLED, GRANTED
        try:
            while ticket.state not in (GRANTED, CANCELLED):
                timeout = None if until is None else until - limiter.clock()
                if timeout is not None and timeout <= 0:
                    with limiter._lock:
                        if limiter._core.cancel(ticket, limiter.clock(), 'timeout'):
                            limiter._poll_locked()
                    break
                try:
                    await asyncio.wait_for(asyncio.shield(self._future), timeout)
                except asyncio.TimeoutError:
                    pass
                self._future = self._loop.create_future()
        except asyncio.CancelledError:
            limiter.done(ticket) if ticket.state == GRANTED else limiter._give_back(ticket)
            raise
        if ticket.state == GRANTED:
            return ticket
        if ticket.reason == 'timeout':
            raise RateLimitTimeout('%s: not sent, its turn under the rate limits did not come '
                                   'in time' % method, method, ticket.scope)
        raise RateLimiterClosed('%s: not sent, the bot stopped while it waited for its turn '
                                'under the rate limits' % method, method, ticket.scope)


class Transport(TransportCore):
    """Sends Bot API requests for one token from coroutines; one per telepot_ng.aio Bot.

    The parameters are :class:`telepot_ng.api.Transport`'s, except that ``session`` is an
    ``aiohttp.ClientSession`` of the caller's (left open) and proxies are ``http(s)://``
    (this transport, or ``telepot_ng.api.set_proxy()`` when none is given here).
    """

    def _open(self, proxy: Optional[str], proxy_basic_auth: Optional[Tuple[str, str]],
              session: Any) -> None:
        if proxy is None and session is None:
            proxy, proxy_basic_auth = _global_proxy
        self._backend = AiohttpBackend(self.connect_timeout, self.pool_size, self.pool_timeout,
                                       proxy, proxy_basic_auth, session)
        self._wake: Optional[asyncio.Event] = None

    def __repr__(self) -> str:
        return '<aio.Transport %s backend=%s>' % (mask(self.base_url), self._backend.name)

    async def request(self, method: str, params: Mapping[str, Any]) -> Any:
        """Call Bot API ``method`` with ``params`` (None values already removed); returns
        the ``result``.  Raises what :meth:`telepot_ng.api.Transport.request` raises."""
        limiter = self._limiter
        scope = limiter.scope(method, params) if limiter is not None else None
        body, headers, read_timeout = self._encode(method, params)
        try:
            return await _flow.arun(self._call(method, body, headers, read_timeout, scope))
        finally:
            if body.__class__ is Multipart:
                body.close()

    async def download(self, file_path: str, dest: Union[str, Any, IO[bytes]], *,
                       chunk_size: int = 65536,
                       progress: Optional[Callable[[int, Optional[int]], Any]] = None) -> int:
        """Save the file at ``file_path`` to ``dest`` (a path or a binary file object);
        returns its size.  See :meth:`telepot_ng.api.Transport.download`."""
        return await _flow.arun(self._download(file_path, dest, chunk_size, progress))

    # the I/O of the flows
    def _send_once(self, path: str, body: Any, headers: Mapping[str, str],
                   read_timeout: float) -> Any:
        return self._backend.send(self._api, path, body, headers, read_timeout)

    def _open_stream(self, path: str) -> Any:
        return self._backend.open_stream(self._files, path, self.read_timeout)

    def _next_chunk(self, chunks: Any) -> Any:
        return _anext(chunks)

    async def _pace(self, scope: Any, until: Optional[float], method: str) -> Any:
        limiter = self._limiter
        assert limiter is not None
        options = limiter.options()        # this task's bot.pacing(...) block, if any
        if until is None and options.max_wait is not None:
            until = limiter.clock() + options.max_wait
        granted = _Granted(asyncio.get_running_loop())
        ticket = limiter.submit(scope, bulk=options.bulk, notify=granted)
        return await granted.wait(limiter, ticket, until, method)

    async def _repace(self, ticket: Any, delay: float, method: str) -> Any:
        limiter = self._limiter
        assert limiter is not None
        granted = _Granted(asyncio.get_running_loop())
        limiter.resubmit(ticket, delay, notify=granted)
        return await granted.wait(limiter, ticket, None, method)

    async def _wait(self, seconds: float) -> bool:
        if self._wake is None:
            self._wake = asyncio.Event()
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except asyncio.TimeoutError:
            return False
        return True

    async def close(self) -> None:
        """Close the connections and cut short any flood-control wait; a later request
        opens new ones."""
        wake, self._wake = self._wake, None
        if wake is not None:
            wake.set()
        if self._limiter is not None:
            self._limiter.close()
        await self._backend.close()

"""Pending updates and their two ways out: getUpdates long polling and webhook pushes."""
from __future__ import annotations

import asyncio
import collections
import functools
import json
import time
from typing import (Any, Callable, Deque, Dict, Generator, List, NamedTuple, Optional, Set,
                    Tuple)

from .. import _masking
from .._generated import spec
from ._http import HttpClient
from ._params import ApiError, bad_request

log = _masking.logger(__name__)

__all__ = ['UpdateQueue', 'Encoded', 'Deferred', 'update_kind', 'DEFAULT_ALLOWED']

DEFAULT_ALLOWED = frozenset(spec.UPDATE_TYPES) - {'chat_member', 'message_reaction',
                                                   'message_reaction_count'}
_CONFLICT_POLL = ('Conflict: terminated by other getUpdates request; '
                  'make sure that only one bot instance is running')
_CONFLICT_HOOK = ("Conflict: can't use getUpdates method while webhook is active; "
                  "use deleteWebhook to delete the webhook first")
_SUPERSEDED = object()      # what a long poll's future gets when a newer getUpdates ends it
_WOKEN = object()           # ... when that getUpdates has timeout 0 (the bot waking its poll)


def update_kind(update: Dict[str, Any]) -> Optional[str]:
    for kind in spec.UPDATE_TYPES:
        if kind in update:
            return kind
    return None


class Deferred:
    """An answer that is ready once ``future`` is done: awaiting it gives ``then(future.result())``.

    Handlers return it instead of a coroutine, so that the state it waits on is registered at
    once, when the request is parsed, and nothing is left to clean up when the request is
    cancelled before its task ever ran."""

    __slots__ = ('future', 'then')

    def __init__(self, future: 'asyncio.Future[Any]', then: Callable[[Any], Any]) -> None:
        self.future = future
        self.then = then

    def __await__(self) -> Generator[Any, None, Any]:
        value = yield from self.future.__await__()
        return self.then(value)


class Encoded(NamedTuple):
    """A getUpdates answer, already encoded, and the update_ids it carries."""
    body: bytes
    update_ids: List[int]


class _Entry:
    __slots__ = ('update_id', 'kind', 'data')

    def __init__(self, update_id: int, kind: Optional[str], data: bytes) -> None:
        self.update_id = update_id
        self.kind = kind
        self.data = data


def _current_task() -> Optional['asyncio.Task[Any]']:
    try:
        return asyncio.current_task()
    except RuntimeError:        # no running loop (a reset from outside the server's loop)
        return None


class UpdateQueue:
    """Updates waiting for the bot, in update_id order, delivered by getUpdates or a webhook."""

    def __init__(self, first_update_id: int = 800000001,
                 retiring: Optional[Set['asyncio.Task[None]']] = None) -> None:
        self.pending: Deque[_Entry] = collections.deque()
        self.next_id = first_update_id
        self.allowed: frozenset = DEFAULT_ALLOWED
        self.allowed_list: Optional[List[str]] = None
        self.delivered = 0
        self._poller: Optional[asyncio.Future] = None
        self._arrived: Optional[asyncio.Event] = None
        self._polling: Optional[asyncio.Event] = None
        self.webhook: Optional[_Webhook] = None
        # webhook workers cancelled but not finished yet (may be shared by several queues)
        self.retiring: Set['asyncio.Task[None]'] = set() if retiring is None else retiring
        # webhook settings, read by the pusher
        self.retry_base = 0.05
        self.retry_max = 1.0
        self.webhook_timeout = 10.0
        self.on_webhook_reply: Optional[Callable[[Dict[str, Any]], None]] = None

    # -- in -----------------------------------------------------------------------------------
    def push(self, update: Dict[str, Any]) -> Tuple[Dict[str, Any], bool]:
        """Queue an update (update_id assigned when missing); return it and whether it is queued."""
        if 'update_id' not in update:
            update = {'update_id': self.next_id, **update}
        uid = update['update_id']
        if not isinstance(uid, int):
            raise bad_request('update_id must be an integer')
        self.next_id = max(self.next_id, uid + 1)
        kind = update_kind(update)
        if kind is not None and kind not in self.allowed:
            return update, False
        entry = _Entry(uid, kind, json.dumps(update, separators=(',', ':')).encode())
        if self.pending and self.pending[-1].update_id > uid:
            items = sorted([*self.pending, entry], key=lambda e: e.update_id)
            self.pending = collections.deque(items)
        else:
            self.pending.append(entry)
        self._wake()
        return update, True

    def _wake(self) -> None:
        if self._poller is not None:
            self._end_poll(self._poller, None)
        if self._arrived is not None:
            self._arrived.set()

    def set_allowed(self, allowed: Any) -> None:
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise bad_request("can't parse allowed_updates JSON array")
        self.allowed_list = allowed
        self.allowed = frozenset(allowed) if allowed else DEFAULT_ALLOWED
        self.pending = collections.deque(e for e in self.pending
                                         if e.kind is None or e.kind in self.allowed)

    def drop_all(self) -> None:
        self.pending.clear()

    def reset(self) -> None:
        self.stop_webhook()
        self.pending.clear()
        self.allowed, self.allowed_list = DEFAULT_ALLOWED, None
        self.delivered = 0
        if self._poller is not None:
            self._end_poll(self._poller, None)

    # -- out: getUpdates ----------------------------------------------------------------------
    def _confirm(self, offset: int) -> None:
        pending = self.pending
        if offset > 0:
            while pending and pending[0].update_id < offset:
                pending.popleft()
        elif offset < 0:
            while len(pending) > -offset:
                pending.popleft()

    def _body(self, limit: int) -> Encoded:
        entries = [e for _, e in zip(range(limit), self.pending)]
        self.delivered += len(entries)
        return Encoded(b'{"ok":true,"result":[' + b','.join(e.data for e in entries) + b']}',
                       [e.update_id for e in entries])

    def get_updates(self, params: Dict[str, Any]) -> Any:
        """The response body for getUpdates now, or a Deferred one (long poll).

        A long poll is registered here, synchronously, so an update pushed or a newer getUpdates
        arriving before the request's task first runs still ends it."""
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_HOOK)
        offset = params.get('offset') or 0
        limit = params.get('limit') or 100
        timeout = params.get('timeout') or 0
        if not (isinstance(offset, int) and isinstance(limit, int) and
                isinstance(timeout, (int, float))):     # the fake also takes float timeouts
            raise bad_request('invalid getUpdates parameters')
        limit = min(max(limit, 1), 100)
        self.set_allowed(params.get('allowed_updates'))
        self._confirm(offset)
        if self._poller is not None:
            self._end_poll(self._poller, _SUPERSEDED if timeout > 0 else _WOKEN)
        if self.pending or not timeout > 0:
            return self._body(limit)
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        timer = loop.call_later(min(timeout, 1e9), self._end_poll, fut, None)
        fut.add_done_callback(functools.partial(self._poll_done, timer))
        self._poller = fut
        self._polling_event().set()
        return Deferred(fut, functools.partial(self._poll_answer, limit))

    def _end_poll(self, fut: 'asyncio.Future[Any]', value: Any) -> None:
        """End a long poll: woken (None) or superseded by a newer getUpdates."""
        if self._poller is fut:
            self._poller = None
            self._polling_event().clear()
        if not fut.done():
            fut.set_result(value)

    def _poll_done(self, timer: asyncio.TimerHandle, fut: 'asyncio.Future[Any]') -> None:
        timer.cancel()
        if self._poller is fut:          # cancelled: the client went away
            self._poller = None
            self._polling_event().clear()

    def _poll_answer(self, limit: int, value: Any) -> Encoded:
        if value is _SUPERSEDED or value is _WOKEN:
            e = ApiError(409, _CONFLICT_POLL)      # what Telegram answers either way
            e.expected = value is _WOKEN
            raise e
        if self.webhook is not None:
            return Encoded(b'{"ok":true,"result":[]}', [])
        return self._body(limit)

    def _polling_event(self) -> asyncio.Event:
        if self._polling is None:
            self._polling = asyncio.Event()
        return self._polling

    async def wait_polling(self, timeout: float) -> bool:
        """Wait until a getUpdates long poll is waiting; False if none did within ``timeout``."""
        try:
            await asyncio.wait_for(self._polling_event().wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    # -- out: webhook -------------------------------------------------------------------------
    def set_webhook(self, url: str, secret_token: Optional[str], max_connections: Optional[int],
                    ip_address: Optional[str], has_certificate: bool) -> None:
        self.stop_webhook()
        if not url:
            return
        try:
            HttpClient(url, 1.0)
        except ValueError:
            raise bad_request('bad webhook: An HTTPS URL must be provided for webhook')
        self.webhook = _Webhook(self, url, secret_token, max_connections or 1, ip_address,
                                has_certificate)
        self.webhook.start()
        self._wake()   # a waiting getUpdates ends

    def stop_webhook(self) -> None:
        """Remove the webhook; its workers are cancelled (see ``settled`` to wait for them)."""
        hook, self.webhook = self.webhook, None
        if hook is None:
            return
        for task in hook.stop():
            if not task.done():
                self.retiring.add(task)
                task.add_done_callback(self.retiring.discard)

    def settled(self, value: Any) -> Any:
        """``value``, once the cancelled webhook workers have finished (a Deferred if some have
        not). From inside a worker (a webhook reply), ``value`` at once: it cannot wait for
        itself, and the rest are awaited by the next reset or the server's stop."""
        current = _current_task()
        if not self.retiring or current in self.retiring:
            return value
        done = asyncio.shield(asyncio.gather(*self.retiring, return_exceptions=True))
        return Deferred(done, lambda _: value)

    async def settle(self) -> None:
        """Wait until every cancelled webhook worker has finished."""
        while self.retiring:
            await asyncio.gather(*self.retiring, return_exceptions=True)

    def webhook_info(self) -> Dict[str, Any]:
        hook = self.webhook
        info: Dict[str, Any] = {'url': hook.url if hook else '',
                                'has_custom_certificate': bool(hook and hook.has_certificate),
                                'pending_update_count': len(self.pending)}
        if hook is not None:
            if hook.ip_address:
                info['ip_address'] = hook.ip_address
            if hook.last_error_date:
                info['last_error_date'] = hook.last_error_date
                info['last_error_message'] = hook.last_error_message
            info['max_connections'] = hook.max_connections
            if self.allowed_list is not None:
                info['allowed_updates'] = self.allowed_list
        return info

    async def next_for_push(self, in_flight: Set[int]) -> _Entry:
        """The first pending update that no pusher is delivering; waits for one."""
        if self._arrived is None:
            self._arrived = asyncio.Event()
        while True:
            for entry in self.pending:
                if entry.update_id not in in_flight:
                    return entry
            self._arrived.clear()
            await self._arrived.wait()

    def pushed(self, entry: _Entry) -> None:
        try:
            self.pending.remove(entry)
        except ValueError:
            return    # dropped meanwhile
        self.delivered += 1


class _Webhook:
    """Pushes pending updates to a URL with ``max_connections`` workers, retrying with backoff."""

    def __init__(self, queue: UpdateQueue, url: str, secret: Optional[str], max_connections: int,
                 ip_address: Optional[str], has_certificate: bool) -> None:
        self.queue = queue
        self.url = url
        self.secret = secret
        self.max_connections = max(1, min(int(max_connections), 100))
        self.ip_address = ip_address
        self.has_certificate = has_certificate
        self.last_error_date = 0
        self.last_error_message = ''
        self.in_flight: Set[int] = set()
        self.tasks: List[asyncio.Task] = []
        self.stopped = False

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(self._worker()) for _ in range(self.max_connections)]

    def stop(self) -> List['asyncio.Task[None]']:
        """Cancel the workers (a push in flight is abandoned); return their tasks."""
        self.stopped = True     # also checked: asyncio.wait_for can swallow a cancellation
        for task in self.tasks:
            task.cancel()
        return self.tasks

    async def _worker(self) -> None:
        client = HttpClient(self.url, self.queue.webhook_timeout)
        headers = {'Content-Type': 'application/json'}
        if self.secret:
            headers['X-Telegram-Bot-Api-Secret-Token'] = self.secret
        try:
            while not self.stopped:
                entry = await self.queue.next_for_push(self.in_flight)
                self.in_flight.add(entry.update_id)
                try:
                    await self._deliver(client, entry, headers)
                finally:
                    self.in_flight.discard(entry.update_id)
        finally:
            await client.aclose()

    async def _deliver(self, client: HttpClient, entry: _Entry, headers: Dict[str, str]) -> None:
        attempt = 0
        while True:
            try:
                status, body = await client.post(entry.data, headers)
                if 200 <= status < 300:
                    self.queue.pushed(entry)
                    self._reply(body)
                    return
                error = 'Wrong response from the webhook: %d' % status
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
                error = 'Connection failed: %s' % (type(e).__name__,)
            self.last_error_date = int(time.time())
            self.last_error_message = error
            log.debug('webhook push of update %d failed: %s', entry.update_id, error)
            if self.stopped or entry not in self.queue.pending:
                return
            delay = min(self.queue.retry_base * (2 ** attempt), self.queue.retry_max)
            attempt += 1
            await asyncio.sleep(delay)

    def _reply(self, body: bytes) -> None:
        """A webhook may answer with a method call in its response body, as Telegram allows."""
        if not body or body[:1] != b'{' or self.queue.on_webhook_reply is None:
            return
        try:
            payload = json.loads(body)
        except ValueError:
            return
        if isinstance(payload, dict) and isinstance(payload.get('method'), str):
            self.queue.on_webhook_reply(payload)

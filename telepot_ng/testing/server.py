"""The fake Telegram server: Bot API and file routes, the /_fake/ control operations, and its CLI.

Run it in its own process with::

    python -m telepot_ng.testing.server --host 127.0.0.1 --port 0 --token TOKEN

It prints ``READY <port>`` once listening; drive it with ``FakeTelegram(connect=...)`` or over
HTTP (``POST /_fake/<operation>`` with a JSON object of arguments).
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import inspect
import json
import logging
import random
import signal
import sys
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Union

from .. import _masking
from ._acts import ActionError, perform
from ._botapi import BotApi
from ._check import check_call
from ._faults import Faults
from . import _http
from ._http import HttpRequest, HttpResponse, HttpServer
from ._journal import Journal, call_matcher, canonical_method, transcript
from ._limits import LIMITED_METHODS, FloodGate, Latency, RateLimits
from ._params import METHOD_SPECS, ApiError, Upload, coerce_params, decode_body
from ._updates import Encoded, UpdateQueue
from ._world import World

log = _masking.logger(__name__)

__all__ = ['FakeServer', 'DEFAULT_TOKEN', 'main']

DEFAULT_TOKEN = '123456789:AAFakeTokenForTelepotNgTestsOnly0000'

_UNAUTHORIZED = HttpResponse(401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}')
_NOT_FOUND = HttpResponse(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')

# what FakeServer.configure accepts, with defaults
OPTIONS: Dict[str, Any] = {
    'bot_name': 'Fake Bot', 'bot_username': None, 'strict_chats': False, 'seed': None,
    'webhook_retry_base': 0.05, 'webhook_retry_max': 1.0, 'webhook_timeout': 10.0,
    'journal_limit': None, 'rate_limits': False, 'latency': 0.0, 'jitter': 0.0,
    'query_timeout': 15.0, 'local_mode': False, 'upload_limit': None, 'download_limit': None,
}

_MB = 1024 * 1024
# file sizes the Bot API allows: uploads and getFile downloads, and with a local Bot API server
FILE_LIMITS = {False: (50 * _MB, 20 * _MB), True: (2000 * _MB, None)}
_TOO_LARGE = HttpResponse(413, b'{"ok":false,"error_code":413,'
                               b'"description":"Request Entity Too Large"}')


#: Update kinds the bot answers by id (answerCallbackQuery, answerInlineQuery, ...).
_QUERY_KINDS = ('callback_query', 'inline_query', 'shipping_query', 'pre_checkout_query')


class ControlError(Exception):
    """A control operation the server refuses (unknown operation, bad arguments)."""


_encode = json.JSONEncoder(separators=(',', ':'), ensure_ascii=False).encode   # built once


def _dumps(obj: Any) -> bytes:
    return _encode(obj).encode()


_CONTROL_ERRORS = (ControlError, ActionError, ApiError, ValueError, TypeError, KeyError)


def _control_failed(e: Exception) -> HttpResponse:
    text = e.description if isinstance(e, ApiError) else str(e)
    return HttpResponse(400, _dumps({'ok': False, 'error': type(e).__name__,
                                     'description': text}))


class FakeServer:
    """All the fake's state and behaviour behind one HTTP port; runs inside one event loop."""

    def __init__(self, token: str = DEFAULT_TOKEN, **options: Any) -> None:
        self.token = token
        self.options = dict(OPTIONS)
        self.http = HttpServer(self.handle)
        self.on_shutdown: Optional[Callable[[], None]] = None
        self._retiring: Set['asyncio.Task[None]'] = set()    # webhook workers still finishing
        self.configure(**options)

    # -- state --------------------------------------------------------------------------------
    def configure(self, **options: Any) -> None:
        unknown = set(options) - set(OPTIONS)
        if unknown:
            raise ControlError('unknown option(s): %s' % ', '.join(sorted(unknown)))
        RateLimits.from_option(options.get('rate_limits'))      # bad numbers: refused here
        Latency(options.get('latency') or 0.0, options.get('jitter') or 0.0)
        self.options.update(options)
        self._build()

    def _build(self) -> None:
        """(Re)create the whole state from the options: a fresh world."""
        o = self.options
        old = getattr(self, 'updates', None)
        if old is not None:
            old.reset()
        self.rng = random.Random(o['seed'])
        self.world = World(self.token, o['bot_name'], o['bot_username'], o['strict_chats'])
        self.updates = UpdateQueue(retiring=self._retiring)
        self.updates.retry_base = o['webhook_retry_base']
        self.updates.retry_max = o['webhook_retry_max']
        self.updates.webhook_timeout = o['webhook_timeout']
        self.updates.on_webhook_reply = self._webhook_reply
        self.journal = Journal(o['journal_limit'])
        self.faults = Faults(o['seed'])
        self.api = BotApi(self.world, self.updates, self.rng)
        self.world.query_timeout = float(o['query_timeout'])
        upload, download = FILE_LIMITS[bool(o['local_mode'])]
        self.upload_limit = o['upload_limit'] if o['upload_limit'] is not None else upload
        self.world.download_limit = o['download_limit'] if o['download_limit'] is not None \
            else download
        self.world.local_mode = bool(o['local_mode'])
        self.http.max_body = max(_http.MAX_BODY, self.upload_limit + _MB)
        limits = RateLimits.from_option(o['rate_limits'])
        self.flood: Optional[FloodGate] = FloodGate(limits) if limits is not None else None
        self.latency: Optional[Latency] = Latency(o['latency'] or 0.0, o['jitter'] or 0.0,
                                                  o['seed']) \
            if o['latency'] or o['jitter'] else None

    async def start(self, host: str = '127.0.0.1', port: int = 0) -> int:
        return await self.http.start(host, port)

    async def stop(self) -> None:
        """Stop pushing and serving; return once every task of the server has finished."""
        self.updates.reset()
        await self.updates.settle()
        await self.http.stop()

    # -- HTTP ---------------------------------------------------------------------------------
    def handle(self, req: HttpRequest) -> Union[HttpResponse, Awaitable[HttpResponse]]:
        path = req.path
        if path.startswith('/_fake/') and req.method == 'POST':
            return self._control_http(path[7:], req.body)     # never delayed
        if path.startswith('/bot'):
            res = self._bot_request(req)
        elif path.startswith('/file/bot'):
            res = self._file_request(req)
        else:
            res = _NOT_FOUND
        if self.latency is not None:
            return self._late(res, self.latency.delay())
        return res

    @staticmethod
    async def _late(res: Union[HttpResponse, Awaitable[HttpResponse]],
                    delay: float) -> HttpResponse:
        """The answer, ``delay`` seconds later (the call took effect when it arrived)."""
        if not isinstance(res, HttpResponse):
            res = await res
        await asyncio.sleep(delay)
        return res

    def _file_request(self, req: HttpRequest) -> HttpResponse:
        token, _, file_path = req.path[9:].partition('/')
        if token != self.token:
            return _UNAUTHORIZED
        rec = self.world.file_paths.get(file_path)
        if rec is None:
            return _NOT_FOUND
        return HttpResponse(200, rec.data, rec.mime_type)

    def _chat_key(self, chat_id: Any) -> Any:
        if isinstance(chat_id, str) and chat_id.startswith('@'):
            return self.world.usernames.get(chat_id[1:].lower(), chat_id)
        return chat_id

    def _bot_request(self, req: HttpRequest) -> Union[HttpResponse, Awaitable[HttpResponse]]:
        token, sep, method = req.path[4:].partition('/')
        if token != self.token:
            return _UNAUTHORIZED
        ms = METHOD_SPECS.get(method.lower())
        if ms is None:
            return _NOT_FOUND
        rec: Dict[str, Any] = {'time': time.time(), 'method': ms.name, 'params': {}, 'files': [],
                               'connection': req.conn_id, 'http_method': req.method}
        try:
            params, uploads, rec['encoding'] = decode_body(
                req.query, req.headers.get('content-type', ''), req.body)
            rec['params'] = params
            if uploads:
                rec['files'] = [{'field': u.field, 'file_name': u.filename,
                                 'content_type': u.content_type, 'size': len(u.data)}
                                for u in uploads.values()]
                if any(len(u.data) > self.upload_limit for u in uploads.values()):
                    rec.update(status=413, ok=False, error='Request Entity Too Large')
                    self.journal.record_call(rec)
                    return _TOO_LARGE
            coerce_params(ms, params, uploads)
            rec['chat_id'] = self._chat_key(params.get('chat_id'))
            params = check_call(ms, params)        # the journal keeps what the bot sent
            rule = self.faults.pick(ms.name, rec['chat_id']) if self.faults.rules else None
            if rule is not None:
                rec['fault'] = rule.kind
                if rule.kind != 'delay':
                    res = rule.response()
                    rec.update(status=res.status, ok=False, error=rule.kind)
                    self.journal.record_call(rec)
                    return res
            if self.flood is not None and ms.name in LIMITED_METHODS:
                self._flood_check(rec['chat_id'], params)
            if rule is not None:
                return self._delayed(rule.delay, ms, params, uploads, rec)
            result = self.api.call(ms, params, uploads)
        except ApiError as e:
            return self._error(e, rec)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            # parameters of the wrong shape deep inside a value: still the client's fault
            log.warning('fake telegram could not handle a %s call', ms.name, exc_info=True)
            return self._error(ApiError(400, 'Bad Request: invalid parameters'), rec)
        if inspect.isawaitable(result):
            return self._awaited(result, rec)
        return self._ok(result, rec)

    def _flood_check(self, chat_key: Any, params: Dict[str, Any]) -> None:
        """Raise Telegram's 429 if this message would go over a rate limit."""
        if isinstance(chat_key, int):
            is_group = chat_key < 0
        else:       # an unresolved @username: a public group or channel
            is_group = True
        retry_after, scope = self.flood.check(  # type: ignore[union-attr]
            chat_key, is_group, params.get('allow_paid_broadcast') is True)
        if retry_after:
            raise ApiError(429, 'Too Many Requests: retry after %d' % retry_after,
                           {'retry_after': retry_after})

    async def _delayed(self, delay: float, ms: Any, params: Dict[str, Any],
                       uploads: Dict[str, Upload], rec: Dict[str, Any]) -> HttpResponse:
        await asyncio.sleep(delay)
        try:
            result = self.api.call(ms, params, uploads)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as e:
            return self._error(e, rec)
        return self._ok(result, rec)

    async def _awaited(self, pending: Awaitable[Any], rec: Dict[str, Any]) -> HttpResponse:
        try:
            result = await pending
        except ApiError as e:
            return self._error(e, rec)
        return self._ok(result, rec)

    def _ok(self, result: Any, rec: Dict[str, Any]) -> HttpResponse:
        if isinstance(result, Encoded):
            body = result.body
            rec['result'] = result.update_ids
        else:
            body = _dumps({'ok': True, 'result': result})
            rec['result'] = result
        rec['status'] = 200
        rec['ok'] = True
        self.journal.record_call(rec)
        return HttpResponse(200, body)

    def _error(self, e: ApiError, rec: Dict[str, Any]) -> HttpResponse:
        rec.update(status=e.code, ok=False, error=e.description)
        if e.expected:
            rec['expected'] = True
        self.journal.record_call(rec)
        return HttpResponse(e.code, _dumps(e.payload()))

    def _webhook_reply(self, payload: Dict[str, Any]) -> None:
        """Run a method call a webhook answered with (recorded like any call, connection 0)."""
        payload = dict(payload)
        method = str(payload.pop('method'))
        ms = METHOD_SPECS.get(method.lower())
        rec: Dict[str, Any] = {'time': time.time(), 'method': ms.name if ms else method,
                               'params': payload, 'files': [], 'connection': 0,
                               'http_method': 'WEBHOOK-REPLY', 'encoding': 'json'}
        if ms is None:
            self._error(ApiError(404, 'Not Found'), rec)
            return
        try:
            coerce_params(ms, payload, {})
            rec['chat_id'] = self._chat_key(payload.get('chat_id'))
            result = self.api.call(ms, check_call(ms, payload), {})
            if inspect.isawaitable(result):
                raise ApiError(400, 'Bad Request: method is not available in a webhook reply')
        except ApiError as e:
            self._error(e, rec)
            return
        self._ok(result, rec)

    # -- control ------------------------------------------------------------------------------
    def _control_http(self, op: str, body: bytes) -> Union[HttpResponse, Awaitable[HttpResponse]]:
        """Run control operation ``op`` with JSON arguments; answer {"ok": ..., ...} JSON.

        Operations that do not wait run at once, while the request is parsed."""
        try:
            args = json.loads(body) if body else {}
            if not isinstance(args, dict):
                raise ControlError('arguments must be a JSON object')
            fn = self._control_fn(op)
            if inspect.iscoroutinefunction(fn):
                return self._control_later(fn, args)
            result = fn(**args)
        except _CONTROL_ERRORS as e:
            return _control_failed(e)
        return HttpResponse(200, _dumps({'ok': True, 'result': result}))

    async def _control_later(self, fn: Callable[..., Awaitable[Any]],
                             args: Dict[str, Any]) -> HttpResponse:
        try:
            result = await fn(**args)
        except _CONTROL_ERRORS as e:
            return _control_failed(e)
        return HttpResponse(200, _dumps({'ok': True, 'result': result}))

    def _control_fn(self, op: str) -> Callable[..., Any]:
        fn = getattr(self, '_op_' + op, None) if op.isidentifier() else None
        if fn is None:
            raise ControlError('unknown control operation %r' % op)
        return fn

    async def control(self, op: str, args: Dict[str, Any]) -> Any:
        """Run control operation ``op`` with ``args``; its result (errors are raised)."""
        result = self._control_fn(op)(**args)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def control_bytes(self, op: str, body: bytes) -> 'tuple[int, bytes]':
        """Run control operation ``op`` with JSON arguments; answer (status, JSON body)."""
        answer = self._control_http(op, body)
        if not isinstance(answer, HttpResponse):
            answer = await answer
        return answer.status, answer.body

    def _push(self, kind: str, payload: Any) -> Dict[str, Any]:
        update, queued = self.updates.push({kind: payload} if kind else payload)
        rec = self.journal.record_update(update)
        return {'update_id': update['update_id'], 'queued': queued, 'seq': rec['seq'],
                'kind': kind, 'payload': payload}

    def _op_ping(self) -> Dict[str, Any]:
        return {'token_ok': True, 'bot': self.world.bot_user}

    async def _op_configure(self, **options: Any) -> Dict[str, Any]:
        self.configure(**options)
        await self.updates.settle()
        return self.options

    async def _op_reset(self) -> bool:
        self._build()
        await self.updates.settle()
        return True

    def _op_new_user(self, first_name: str, last_name: Optional[str] = None,
                     username: Optional[str] = None,
                     language_code: Optional[str] = 'en') -> Dict[str, Any]:
        return self.world.new_user(first_name, last_name, username, language_code)

    def _op_new_chat(self, chat_type: str, title: str, username: Optional[str] = None,
                     members: Optional[List[int]] = None, is_forum: bool = False) -> Dict[str, Any]:
        if chat_type not in ('group', 'supergroup', 'channel'):
            raise ControlError('chat_type must be group, supergroup or channel')
        unknown = [m for m in members or () if m not in self.world.users]
        if unknown:
            raise ControlError('unknown member(s): %r' % unknown)
        return self.world.new_chat(chat_type, title, username, members or (), is_forum)

    def _op_act(self, actions: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
        """Perform simulated users' actions; each gives the list of updates it pushed."""
        return [[self._push(kind, payload) for kind, payload in perform(self.world, action)]
                for action in actions]

    def _op_push_updates(self, updates: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        out = []
        for update in updates:
            if not isinstance(update, dict):
                raise ControlError('an update must be a JSON object')
            self.world.learn(update)
            for kind in _QUERY_KINDS:      # a pushed query can be answered, as a real one
                query = update.get(kind)
                if isinstance(query, dict) and isinstance(query.get('id'), str):
                    self.world.add_query(query['id'], kind)
            out.append(self._push('', update))
        return out

    def _op_calls(self, method: Optional[str] = None, chat_id: Any = None, since: int = 0,
                  ok: Optional[bool] = True, params: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        match = call_matcher(method, self._chat_key(chat_id), since, ok, params)
        return self.journal.select(match)

    async def _op_wait(self, count: int = 1, timeout: float = 5.0, method: Optional[str] = None,
                       chat_id: Any = None, since: int = 0, ok: Optional[bool] = True,
                       params: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        match = call_matcher(method, self._chat_key(chat_id), since, ok, params)
        found = await self.journal.wait(match, int(count), float(timeout))
        return {'complete': len(found) >= count, 'calls': found,
                'method': canonical_method(method)}

    async def _op_wait_polling(self, timeout: float = 5.0) -> bool:
        return await self.updates.wait_polling(float(timeout))

    def _op_updates(self, since: int = 0) -> List[Dict[str, Any]]:
        return [r for r in self.journal.records if r['type'] == 'update' and r['seq'] > since]

    def _op_counters(self) -> Dict[str, Any]:
        out = self.journal.snapshot()
        out['pending_updates'] = len(self.updates.pending)
        out['delivered_updates'] = self.updates.delivered
        out['rate_limited'] = self.flood.refused if self.flood is not None else 0
        return out

    def _op_rate_limited(self) -> Dict[str, Any]:
        if self.flood is None:
            return {'total': 0, 'by_scope': {'chat': 0, 'group': 0, 'overall': 0},
                    'by_chat': []}
        return self.flood.counts()

    def _op_transcript(self, since: int = 0) -> str:
        return transcript([r for r in self.journal.records if r['seq'] > since], self.world)

    def _op_message(self, chat_id: Any, message_id: int) -> Optional[Dict[str, Any]]:
        return self.world.message(self._chat_key(chat_id), message_id)

    def _op_file(self, file_id: str) -> Dict[str, Any]:
        rec = self.world.files.get(file_id)
        if rec is None:
            raise ControlError('unknown file_id %r' % file_id)
        return {'file_name': rec.file_name, 'mime_type': rec.mime_type,
                'file_path': rec.file_path, 'data': base64.b64encode(rec.data).decode()}

    def _op_fail(self, method: str, kind: str, **options: Any) -> int:
        return self.faults.add(method, kind, **options)

    def _op_clear_faults(self, rule_id: Optional[int] = None) -> bool:
        self.faults.clear(rule_id)
        return True

    def _op_faults(self) -> List[Dict[str, Any]]:
        return [r.as_dict() for r in self.faults.rules]

    def _op_seed(self, seed: Optional[int]) -> bool:
        self.rng.seed(seed)
        self.faults.seed(seed)
        return True

    def _op_shutdown(self) -> bool:
        if self.on_shutdown is None:
            raise ControlError('this server is not shut down remotely')
        asyncio.get_running_loop().call_soon(self.on_shutdown)
        return True


# -- command line ---------------------------------------------------------------------------------
async def _serve(args: argparse.Namespace) -> None:
    options: Dict[str, Any] = {}
    if args.rate_limits is not None:
        options['rate_limits'] = json.loads(args.rate_limits)
    if args.latency or args.jitter:
        options.update(latency=args.latency, jitter=args.jitter)
    server = FakeServer(args.token, **options)
    port = await server.start(args.host, args.port)
    done = asyncio.Event()
    server.on_shutdown = done.set
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, done.set)
        except (NotImplementedError, RuntimeError):   # pragma: no cover - Windows
            pass
    print('READY %d' % port, flush=True)
    await done.wait()
    await server.stop()


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point of ``python -m telepot_ng.testing.server``."""
    parser = argparse.ArgumentParser(prog='python -m telepot_ng.testing.server',
                                     description='Run the fake Telegram Bot API server.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port')
    parser.add_argument('--token', default=DEFAULT_TOKEN)
    parser.add_argument('--log-level', default='WARNING')
    parser.add_argument('--rate-limits', nargs='?', const='true', default=None, metavar='JSON',
                        help="enforce Telegram's rate limits; optionally a JSON object changing "
                             'some numbers, e.g. \'{"overall_rate": 100}\'')
    parser.add_argument('--latency', type=float, default=0.0,
                        help='seconds added to every Bot API answer')
    parser.add_argument('--jitter', type=float, default=0.0,
                        help='± seconds of uniform jitter on the latency')
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    asyncio.run(_serve(args))


if __name__ == '__main__':
    main()

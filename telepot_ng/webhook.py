"""A WSGI application that receives Telegram's webhook requests and hands each Update to a
queue or a :class:`~telepot_ng.loop.Webhook`, answering at once.

Mount it in any WSGI server or framework::

    from telepot_ng.loop import OrderedWebhook
    from telepot_ng.webhook import WebhookApp

    hook = OrderedWebhook(bot, handle)
    app = WebhookApp(hook, secret_token='s3cret')      # a WSGI callable
    hook.run_as_thread()
    bot.setWebhook('https://example.com/hook', secret_token='s3cret')

Under uWSGI the loops need Python threads: ``WebhookApp`` (like every loop) raises
RuntimeError at start-up when uWSGI runs without ``--enable-threads`` / ``--threads``, instead
of accepting updates that no thread would ever handle.
"""
from __future__ import annotations

import hmac
import queue
import re
from typing import Any, Callable, Iterable, List, Optional, Tuple

from . import _masking
from ._masking import register_secret
from .loop import _backlog, _check_threads_usable, _put_to_queue, parse_update
from .store.base import StoreError

__all__ = ['WebhookApp', 'DEFAULT_MAX_BODY_SIZE', 'SECRET_HEADER']

log = _masking.logger(__name__)

#: Largest request body accepted by default (bytes); Telegram's updates are far smaller.
DEFAULT_MAX_BODY_SIZE = 1 << 20
#: The header in which Telegram repeats ``setWebhook``'s ``secret_token``.
SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token'
_SECRET_ENVIRON = 'HTTP_' + SECRET_HEADER.upper().replace('-', '_')
_SECRET_RE = re.compile(r'^[A-Za-z0-9_-]{1,256}$')

StartResponse = Callable[..., Any]

_STATUS = {200: '200 OK', 400: '400 Bad Request', 403: '403 Forbidden',
           405: '405 Method Not Allowed', 411: '411 Length Required',
           413: '413 Payload Too Large', 500: '500 Internal Server Error',
           503: '503 Service Unavailable'}


class WebhookApp:
    """WSGI callable for Telegram's webhook requests.

    :param target: where updates go: a ``queue.Queue`` (the ``source`` of
        ``bot.notifyOnMessage``) or an object with ``feed(update)`` (:class:`Webhook`,
        :class:`OrderedWebhook`).
    :param secret_token: when set, requests must carry it in the
        ``X-Telegram-Bot-Api-Secret-Token`` header (compared in constant time), else 403.
        Give the same value to ``bot.setWebhook(..., secret_token=...)``.
    :param max_body_size: larger bodies get 413 without being read.

    Answers: 405 for anything but POST; 403 for a missing or wrong secret; 411 without a
    Content-Length; 413 for a body over the limit; 400 for a body that is not a JSON Update;
    503 when the target no longer takes updates (its loop stopped, is not running in this
    process, or the queue is full), when the bot's store could not journal it, or when the
    bot's unfinished backlog (queued plus not yet handled, see :mod:`telepot_ng.inflight`)
    has reached ``bot.inflight.limit``, so Telegram delivers the update again later; 200 as
    soon as the update is queued (with a store: journaled and committed; an update journaled
    before gets 200 and is dropped). Handling happens later, in the loop's thread. An update
    answered 200 is always handed to user code (see :class:`~telepot_ng.loop.Orderer`).

    Without ``secret_token`` anyone who finds the URL can post updates the bot will handle
    as Telegram's (forged messages, forged ids); a WARNING says so once, at construction.
    """

    def __init__(self, target: Any, secret_token: Optional[str] = None,
                 max_body_size: int = DEFAULT_MAX_BODY_SIZE) -> None:
        feed = getattr(target, 'feed', None)
        if callable(feed):
            self._put: Callable[[Any], None] = feed
        elif isinstance(target, queue.Queue):
            self._put = lambda update: _put_to_queue(target, update)
        else:
            raise TypeError('target must be a queue.Queue or have a feed() method, not %s'
                            % type(target).__name__)
        if secret_token is not None and (not isinstance(secret_token, str)
                                         or not _SECRET_RE.match(secret_token)):
            raise ValueError('secret_token must be 1-256 characters A-Z, a-z, 0-9, _ or -')
        if not isinstance(max_body_size, int) or max_body_size < 1:
            raise ValueError('max_body_size must be a positive number of bytes')
        _check_threads_usable()
        self.target = target
        self.max_body_size = max_body_size
        self._secret = secret_token.encode('ascii') if secret_token is not None else None
        if secret_token is None:
            log.warning('WebhookApp without secret_token: any request to its URL is taken as '
                        'an update from Telegram. Set WebhookApp(..., secret_token=S) and '
                        'bot.setWebhook(url, secret_token=S).')
        else:
            register_secret(secret_token)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        status = self._handle(environ)
        body = b'' if status == 200 else _STATUS[status].encode('ascii')
        headers: List[Tuple[str, str]] = [('Content-Type', 'text/plain; charset=utf-8'),
                                          ('Content-Length', str(len(body)))]
        if status == 405:
            headers.append(('Allow', 'POST'))
        start_response(_STATUS[status], headers)
        return [body]

    def _handle(self, environ: dict) -> int:
        if environ.get('REQUEST_METHOD') != 'POST':
            return 405
        if self._secret is not None:
            given = environ.get(_SECRET_ENVIRON)
            if given is None or not hmac.compare_digest(given.encode('latin-1'), self._secret):
                log.warning('webhook request from %s refused: %s secret token',
                            environ.get('REMOTE_ADDR', '?'),
                            'no' if given is None else 'wrong')
                return 403
        body = self._read_body(environ)
        if isinstance(body, int):
            return body
        try:
            update = parse_update(body)
        except ValueError as e:
            log.warning('webhook request from %s refused: %s',
                        environ.get('REMOTE_ADDR', '?'), e)
            return 400
        backlog = _backlog(self.target)
        if backlog is not None and backlog[0] >= backlog[1]:
            log.warning('webhook: update %d refused (503): %d updates not handled yet (limit '
                        '%d); Telegram will send it again', update['update_id'], *backlog)
            return 503
        try:
            self._put(update)
        except (RuntimeError, queue.Full, StoreError) as e:
            log.error('webhook: update %d not accepted (%s); Telegram will send it again',
                      update['update_id'], str(e) or 'the queue is full')
            return 503
        except ValueError as e:
            log.warning('webhook: update %d refused by the target: %s', update['update_id'], e)
            return 400
        except Exception:
            log.exception('webhook: the target failed on update %d', update['update_id'])
            return 500
        return 200

    def _read_body(self, environ: dict) -> Any:
        """The request body, or the error status to answer."""
        stream = environ.get('wsgi.input')
        raw = environ.get('CONTENT_LENGTH')
        limit = self.max_body_size
        if raw in (None, ''):
            if stream is None or not environ.get('wsgi.input_terminated'):
                return 411
            data = stream.read(limit + 1)            # chunked: the server ends the stream
            return 413 if len(data) > limit else data
        try:
            length = int(raw)
        except ValueError:
            return 400
        if length < 0:
            return 400
        if length > limit:
            return 413
        chunks = []
        left = length
        while left > 0 and stream is not None:
            chunk = stream.read(left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left > 0:
            return 400                                # the client sent less than it said
        return b''.join(chunks)

"""Keeps bot tokens out of everything telepot_ng lets out: texts, log records, warnings and
exception chains.

Every Transport registers its token here; ``mask()`` hides the registered tokens (and anything
shaped like one) in a text. Each module of the package gets its logger from ``logger()``,
which carries the masking filter (a logger's filters do not apply to its children, so every
module's logger needs its own); the loggers of urllib3 and requests, and
``warnings.showwarning``, get it once the first token is registered.
"""
from __future__ import annotations

import logging
import re
import threading
import warnings
from typing import Any, Iterator, Tuple
from urllib.parse import quote

_replacements: Tuple[Tuple[str, str], ...] = ()
_registry_lock = threading.Lock()
_TOKEN_SHAPE = re.compile(r'(\d{3,})(:|%3[Aa])[A-Za-z0-9_-]{30,}')
#: Loggers outside the package that may see a request URL.
_LIBRARY_LOGGERS = ('urllib3', 'urllib3.connectionpool', 'urllib3.poolmanager',
                    'urllib3.connection', 'urllib3.response', 'urllib3.util.retry',
                    'urllib3.contrib.socks', 'requests', 'py.warnings',
                    # telepot_ng.aio: aiohttp's client, and asyncio's reports of failed tasks
                    'aiohttp.client', 'aiohttp.internal', 'asyncio')


def mask(text: Any) -> str:
    """Return ``str(text)`` with every bot token hidden (``123456:***``).

    Hides the tokens of every Transport created in this process (also URL-encoded, and
    their secret part alone), and anything shaped like a real token.
    """
    if not isinstance(text, str):
        text = str(text)
    for needle, replacement in _replacements:
        if needle in text:
            text = text.replace(needle, replacement)
    if ':' in text or '%3' in text:
        text = _TOKEN_SHAPE.sub(r'\1\2***', text)
    return text


def register_token(token: str) -> None:
    """Make mask() hide ``token`` from now on (and install the maskers outside the package)."""
    bot_id, _, secret = token.partition(':')
    pairs = {token: bot_id + ':***', quote(token, safe=''): bot_id + '%3A***'}
    if len(secret) >= 16:          # long enough to be unmistakable on its own
        pairs[secret] = '***'
    _register(pairs)


def register_secret(secret: str, *, min_length: int = 8) -> None:
    """Make mask() hide ``secret`` (a proxy password, a webhook secret token) from now on,
    also URL-quoted; secrets shorter than ``min_length`` are not masked alone (they would
    mask ordinary words)."""
    if isinstance(secret, str) and len(secret) >= min_length:
        _register({secret: '***', quote(secret, safe=''): '***'})


def _register(pairs: dict) -> None:
    """Add text -> replacement pairs to what mask() replaces (longest first)."""
    global _replacements
    with _registry_lock:
        known = dict(_replacements)
        if all(k in known for k in pairs):
            return
        known.update(pairs)
        _replacements = tuple(sorted(known.items(), key=lambda kv: -len(kv[0])))
        install()


class _MaskFilter(logging.Filter):
    """Masks tokens in a log record's message, traceback and stack (runs only for records
    that are actually emitted, so it costs nothing while DEBUG is off)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


#: The one filter instance, on every logger that gets one.
mask_filter = _MaskFilter()


def logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` carrying the masking filter: every telepot_ng module gets
    its logger here (``log = _masking.logger(__name__)``)."""
    log = logging.getLogger(name)
    if mask_filter not in log.filters:
        log.addFilter(mask_filter)
    return log


def install() -> None:
    """Add the mask filter to the urllib3/requests loggers and wrap warnings.showwarning
    (once per replacement: whoever wraps ours later is wrapped in turn, never looped)."""
    for name in _LIBRARY_LOGGERS:
        logger(name)
    show = warnings.showwarning
    if getattr(show, '_telepot_ng_masks', False):
        return

    def showwarning(message: Any, category: Any, filename: str, lineno: int,
                    file: Any = None, line: Any = None) -> None:
        text = str(message)
        masked = mask(text)
        show(masked if masked != text else message, category, filename, lineno, file, line)

    showwarning._telepot_ng_masks = True  # type: ignore[attr-defined]
    warnings.showwarning = showwarning


def walk_exceptions(exc: BaseException) -> Iterator[BaseException]:
    """Every exception reachable from exc: itself, its cause/context, exceptions in its args
    and in the attributes where urllib3/requests keep the wrapped error."""
    seen = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        for linked in (e.__cause__, e.__context__, getattr(e, 'reason', None),
                       getattr(e, 'original_error', None), *e.args):
            if isinstance(linked, BaseException):
                todo.append(linked)


def scrub(exc: BaseException) -> BaseException:
    """Mask tokens in place in exc and everything it links to (args, URLs, filenames)."""
    for e in walk_exceptions(exc):
        try:
            e.args = tuple(mask(a) if isinstance(a, str) else a for a in e.args)
        except Exception:
            pass
        for attr in ('url', 'filename', 'filename2', 'strerror'):
            value = getattr(e, attr, None)
            if isinstance(value, str):
                _set_quietly(e, attr, mask(value))
        for attr in ('request', 'response'):       # requests keeps its PreparedRequest here
            obj = getattr(e, attr, None)
            if isinstance(getattr(obj, 'url', None), str):
                _set_quietly(obj, 'url', mask(obj.url))
    return exc


def _set_quietly(obj: Any, attr: str, value: Any) -> None:
    try:
        setattr(obj, attr, value)
    except Exception:
        pass

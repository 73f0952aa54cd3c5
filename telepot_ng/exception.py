"""Exceptions raised by telepot_ng, under telepot's names, all deriving from TelepotException.

Hierarchy::

    TelepotException
    ├── BadFlavor(offender, reason=None)
    ├── BadHTTPResponse(status, text, response)      non-JSON answer (e.g. an nginx 502 page)
    ├── EventNotFound(event)
    ├── WaitTooLong(seconds)
    │   └── IdleTerminate
    ├── StopListening(code, reason)
    ├── NetworkError(message, maybe_sent=...)         the request failed on the wire
    │   └── NetworkTimeout                            ... because a timeout expired
    └── TelegramError(description, error_code, json)  Telegram answered ``ok: false``
        ├── UnauthorizedError          BotWasKickedError     BotWasBlockedError
        ├── TooManyRequestsError       MigratedToSupergroupChatError
        ├── NotEnoughRightsError       ConflictError

No exception built here ever contains the bot token: the transport scrubs every text it puts in.
"""
from __future__ import annotations

import re
import reprlib
from typing import Any, Iterator, Mapping, Optional, Tuple, Type

__all__ = [
    'TelepotException', 'BadFlavor', 'BadHTTPResponse', 'EventNotFound', 'WaitTooLong',
    'IdleTerminate', 'StopListening', 'NetworkError', 'NetworkTimeout', 'TelegramError',
    'UnauthorizedError', 'BotWasKickedError', 'BotWasBlockedError', 'TooManyRequestsError',
    'MigratedToSupergroupChatError', 'NotEnoughRightsError', 'ConflictError',
]

#: Longest response text kept by BadHTTPResponse.
TEXT_LIMIT = 500


class TelepotException(Exception):
    """Base class of every exception raised by telepot_ng."""


class BadFlavor(TelepotException):
    """A message of an unknown flavor was handed to a flavor-specific function.

    ``offender`` is the object; ``reason``, when given, is a short text saying what is wrong
    with it, and is what ``str()`` shows (the offender itself, often a whole message, is
    never printed in full).
    """

    def __init__(self, offender: Any, reason: Optional[str] = None) -> None:
        if reason is None:
            super().__init__(offender)
        else:
            super().__init__(offender, reason)

    @property
    def offender(self) -> Any:
        """The object whose flavor could not be determined."""
        return self.args[0]

    @property
    def reason(self) -> Optional[str]:
        """What is wrong with the offender, or None."""
        return self.args[1] if len(self.args) > 1 else None

    def __str__(self) -> str:
        reason = self.reason
        if reason is not None:
            return str(reason)
        return 'no known flavor: %s' % reprlib.repr(self.offender)


class BadHTTPResponse(TelepotException):
    """The server answered with something that is not a Bot API JSON object.

    Seen with a bad gateway (an HTML error page from a proxy) or a server that is not a
    Bot API server. ``text`` is the body decoded as UTF-8, cut to 500 characters;
    ``response`` is a dict with the ``status`` and the response ``headers``.

    ``maybe_sent`` (as on :class:`NetworkError`) is True: an answer came back, so the
    request reached some server, and Telegram may have acted on it (a gateway's 502 page
    can come after Telegram sent the message); do not re-send a ``send*`` call blindly.
    """

    maybe_sent = True

    def __init__(self, status: int, text: str, response: Any = None) -> None:
        if isinstance(text, str) and len(text) > TEXT_LIMIT:
            text = text[:TEXT_LIMIT] + '...'
        super().__init__(status, text, response)

    @property
    def status(self) -> int:
        """The HTTP status code."""
        return self.args[0]

    @property
    def text(self) -> str:
        """The response body as text, truncated to about 500 characters."""
        return self.args[1]

    @property
    def response(self) -> Any:
        """What is known of the response (``{'status': ..., 'headers': {...}}``) or None."""
        return self.args[2]

    def __str__(self) -> str:
        return 'HTTP %s: %s (the request may have reached Telegram)' % (self.status, self.text)


class EventNotFound(TelepotException):
    """A scheduled event to cancel was not found (it has run or was cancelled)."""

    def __init__(self, event: Any) -> None:
        super().__init__(event)

    @property
    def event(self) -> Any:
        """The event that was looked for."""
        return self.args[0]


class WaitTooLong(TelepotException):
    """Nothing arrived within the allowed number of seconds."""

    def __init__(self, seconds: Optional[float] = None) -> None:
        super().__init__(seconds)

    @property
    def seconds(self) -> Optional[float]:
        """How long was waited."""
        return self.args[0]


class IdleTerminate(WaitTooLong):
    """A delegate was idle for too long and is being terminated."""


class StopListening(TelepotException):
    """Raised inside a handler to make it stop; ``code`` and ``reason`` say why."""

    def __init__(self, code: Any = None, reason: Any = None) -> None:
        super().__init__(code, reason)

    @property
    def code(self) -> Any:
        return self.args[0]

    @property
    def reason(self) -> Any:
        return self.args[1]


class NetworkError(TelepotException):
    """A request failed in the network: no usable HTTP answer came back.

    ``maybe_sent`` tells whether Telegram may have received (and acted on) the request:
    False means it provably never left this machine (connection refused, DNS failure,
    connect timeout, failure while writing), so sending it again cannot duplicate anything.
    True means it was fully written and the answer was lost (read timeout, connection
    dropped), so a ``sendMessage`` may have been delivered. ``method`` is the Bot API
    method (or ``'download'``). The underlying exception is kept as ``__cause__``
    (also ``.cause``), scrubbed of the token.
    """

    def __init__(self, message: str, *, maybe_sent: bool = False, method: Optional[str] = None,
                 cause: Optional[BaseException] = None) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent
        self.method = method
        if cause is not None:
            self.__cause__ = cause

    @property
    def cause(self) -> Optional[BaseException]:
        """The lower-level exception (from http.client, urllib3, requests or the OS)."""
        return self.__cause__

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type, args: tuple, state: dict) -> BaseException:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class NetworkTimeout(NetworkError):
    """A timeout expired: connecting (``maybe_sent`` False), waiting for a pooled
    connection (False) or reading the answer (True)."""


class TelegramError(TelepotException):
    """Telegram answered ``ok: false``.

    Before raising a plain TelegramError, the subclass that matches the answer is looked for
    (the deepest first): a subclass matches when one of its ``DESCRIPTION_PATTERNS``
    (case-insensitive regular expressions) is found in the description, or, failing any
    description match, when the error code is in its ``ERROR_CODES``. Define your own
    subclass with these attributes and it is picked up too. (A subclass may also list
    ``PARAMETERS``: it matches when one of them is present in the answer's ``parameters``.)
    """

    DESCRIPTION_PATTERNS: Tuple[str, ...] = ()
    ERROR_CODES: Tuple[int, ...] = ()
    PARAMETERS: Tuple[str, ...] = ()

    #: What the library adds to Telegram's description when it sees a likely cause (a str
    #: naming a local file sent as a file_id, ...); shown by ``str()``.  None otherwise.
    hint: Optional[str] = None

    def __init__(self, description: str, error_code: int, json: Any = None) -> None:
        super().__init__(description, error_code, json)

    @property
    def description(self) -> str:
        """Telegram's description, e.g. ``'Forbidden: bot was blocked by the user'``."""
        return self.args[0]

    @property
    def error_code(self) -> int:
        """Telegram's error code (an HTTP status such as 400, 403, 429)."""
        return self.args[1]

    @property
    def json(self) -> Any:
        """The whole JSON answer as a dict."""
        return self.args[2]

    @property
    def parameters(self) -> Mapping[str, Any]:
        """The answer's ``parameters`` object (ResponseParameters), ``{}`` when absent."""
        data = self.args[2]
        params = data.get('parameters') if isinstance(data, Mapping) else None
        return params if isinstance(params, Mapping) else {}

    @property
    def retry_after(self) -> Optional[float]:
        """Seconds to wait before repeating the request (flood control), or None."""
        return self.parameters.get('retry_after')

    @property
    def migrate_to_chat_id(self) -> Optional[int]:
        """The supergroup a group was migrated to, or None."""
        return self.parameters.get('migrate_to_chat_id')

    def __str__(self) -> str:
        text = '%s (error_code %s)' % (self.description, self.error_code)
        return text if self.hint is None else '%s. %s' % (text, self.hint)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], status: Optional[int] = None) -> 'TelegramError':
        """Build the most specific TelegramError for an ``ok: false`` answer.

        ``status`` (the HTTP status) stands in for a missing ``error_code``.
        """
        description = data.get('description')
        if not isinstance(description, str):
            description = '' if description is None else str(description)
        error_code = data.get('error_code', status)
        params = data.get('parameters')
        if not isinstance(params, Mapping):
            params = {}
        candidates = list(_subclasses_deepest_first(TelegramError))
        for sub in candidates:
            for pattern in sub.__dict__.get('DESCRIPTION_PATTERNS', ()):
                if re.search(pattern, description, re.IGNORECASE):
                    return sub(description, error_code, data)
        for sub in candidates:
            own = sub.__dict__
            if error_code in own.get('ERROR_CODES', ()) or any(
                    params.get(name) is not None for name in own.get('PARAMETERS', ())):
                return sub(description, error_code, data)
        return TelegramError(description, error_code, data)


def _subclasses_deepest_first(cls: type) -> Iterator[Type[TelegramError]]:
    for sub in cls.__subclasses__():
        yield from _subclasses_deepest_first(sub)
        yield sub


class UnauthorizedError(TelegramError):
    """The token is wrong or was revoked (401)."""
    DESCRIPTION_PATTERNS = ('unauthorized',)
    ERROR_CODES = (401,)


class BotWasKickedError(TelegramError):
    """The bot was removed from the group or channel (403)."""
    DESCRIPTION_PATTERNS = (r'bot.*kicked',)


class BotWasBlockedError(TelegramError):
    """The user blocked the bot (403)."""
    DESCRIPTION_PATTERNS = (r'bot.*blocked',)


class TooManyRequestsError(TelegramError):
    """Flood control (429); ``retry_after`` says how long to wait."""
    DESCRIPTION_PATTERNS = (r'too *many *requests',)
    ERROR_CODES = (429,)


class MigratedToSupergroupChatError(TelegramError):
    """The group became a supergroup; ``migrate_to_chat_id`` is its new id."""
    DESCRIPTION_PATTERNS = (r'migrated.*supergroup *chat', r'upgraded to a supergroup')
    PARAMETERS = ('migrate_to_chat_id',)


class NotEnoughRightsError(TelegramError):
    """The bot lacks the administrator right the request needs (400)."""
    DESCRIPTION_PATTERNS = (r'not *enough *rights',)


class ConflictError(TelegramError):
    """409: another ``getUpdates`` is running for this token, or a webhook is set."""
    DESCRIPTION_PATTERNS = (r'^conflict\b',)
    ERROR_CODES = (409,)

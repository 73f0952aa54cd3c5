"""Handlers and contexts for delegates: the building blocks of per-chat / per-user bots.

Both telepot generations' forms work on one set of classes: ``ChatHandler(seed_tuple,
timeout)`` (6.3) and ``ChatHandler(seed_tuple, include_callback_query=False, timeout=...,
event_space=...)`` (12) build the same object; the idle timeout is the listener's wait
timeout either way, reported to ``on__idle`` (12) whose default raises ``IdleTerminate`` --
a ``WaitTooLong`` (6.3).
"""
from __future__ import annotations

import inspect
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _masking
from . import flavors as _flavors
from . import bot as _bot_module
from ._generated import spec as _spec
from ._capture import EVENT_KEY
from .delegation import Listener, Microphone, _current_slot, at_delegate_end, origin_map
from .exception import IdleTerminate, StopListening, WaitTooLong
from .flavors import chat_flavors, flavor, inline_flavors, message_identifier

__all__ = [
    'Microphone', 'Listener', 'Sender', 'Administrator', 'Editor', 'Answerer',
    'ListenerContext', 'ChatContext', 'UserContext', 'CallbackQueryOriginContext',
    'InvoiceContext', 'Monitor', 'ChatHandler', 'UserHandler', 'InlineUserHandler',
    'CallbackQueryOriginHandler', 'InvoiceHandler', 'Router', 'DefaultRouterMixin',
    'StandardEventScheduler', 'StandardEventMixin', 'IdleEventCoordinator',
    'IdleTerminateMixin', 'CallbackQueryCoordinator', 'InterceptCallbackQueryMixin',
    'AnswererMixin', 'SafeDict', 'openable', 'StopListening', 'WaitTooLong',
    'IdleTerminate',
]

log = _masking.logger(__name__)

# capture paths of the handlers below (shared tuples: a live handler stores only its value)
_CHAT_ID, _FROM_ID, _MESSAGE_CHAT_ID = ('chat', 'id'), ('from', 'id'), ('message', 'chat', 'id')


# ------------------------------------------------------------------- proxies (from the spec)

def _chat_first_methods() -> List[str]:
    return [m for m, names in _bot_module._POSITIONAL.items() if names[:1] == ('chat_id',)]


def _identifier_methods() -> Tuple[List[str], List[str]]:
    """(methods addressing a message by chat_id + message_id, methods taking an
    inline_message_id), derived from the spec: a message identifier names *the* message the
    method acts on, so methods that also take a ``from_chat_id`` (forward/copy) are out."""
    by_chat, by_inline = [], []
    for name, (_, fields) in _spec.METHODS.items():
        params = {f[0] for f in fields}
        if {'chat_id', 'message_id'} <= params and 'from_chat_id' not in params:
            by_chat.append(name)
        if 'inline_message_id' in params:
            by_inline.append(name)
    return by_chat, by_inline


_snake = _bot_module._compat.snake


def _chat_proxy(name: str) -> Callable:
    def method(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._bot, name)(self._chat_id, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = 'bot.%s(chat_id, ...) with this object\'s chat_id.' % name
    return method


class _ChatProxy:
    __slots__ = ('_bot', '_chat_id')

    def __init__(self, bot: Any, chat_id: Union[int, str]) -> None:
        self._bot = bot
        self._chat_id = chat_id

    @property
    def chat_id(self) -> Union[int, str]:
        return self._chat_id

    def __repr__(self) -> str:
        return '<%s chat_id=%r>' % (type(self).__name__, self._chat_id)


class Sender(_ChatProxy):
    """``Sender(bot, chat_id)``: every Bot API method whose first parameter is ``chat_id``,
    with that chat filled in -- ``sender.sendMessage('hi')``."""
    __slots__ = ()


class Administrator(_ChatProxy):
    """``Administrator(bot, chat_id)``: the chat-management methods (everything whose first
    parameter is ``chat_id`` except sending, forwarding and copying) for one chat."""
    __slots__ = ()


_SEND_PREFIXES = ('send', 'forward', 'copy')
for _name in _chat_first_methods():
    for _alias in (_name, _snake(_name)):
        setattr(Sender, _alias, _chat_proxy(_name))
        if not _name.startswith(_SEND_PREFIXES):
            setattr(Administrator, _alias, _chat_proxy(_name))
for _old, _new in _bot_module._compat.METHOD_ALIASES.items():
    if hasattr(Administrator, _new):
        setattr(Administrator, _old, _chat_proxy(_new))


def _edit_proxy(name: str, by_chat: bool, by_inline: bool) -> Callable:
    def method(self, *args: Any, **kwargs: Any) -> Any:
        ident = self._ident
        if len(ident) == 2:
            if not by_chat:
                raise TypeError('%s() does not take a (chat_id, message_id) identifier' % name)
            kwargs.setdefault('chat_id', ident[0])
            kwargs.setdefault('message_id', ident[1])
        else:
            if not by_inline:
                raise TypeError('%s() does not work on inline messages' % name)
            kwargs.setdefault('inline_message_id', ident[0])
        return getattr(self._bot, name)(*args, **kwargs)
    method.__name__ = name
    method.__doc__ = 'bot.%s(...) on this object\'s message.' % name
    return method


class Editor:
    """``Editor(bot, msg_identifier)``: every method that acts on one message (edit*,
    deleteMessage, stopPoll, pinChatMessage, setMessageReaction, setGameScore, ...) with
    the message filled in.  ``msg_identifier`` is ``(chat_id, message_id)``,
    ``(inline_message_id,)``, an inline_message_id string, or a message dict."""
    __slots__ = ('_bot', '_ident')

    def __init__(self, bot: Any, msg_identifier: Any) -> None:
        if isinstance(msg_identifier, dict):
            msg_identifier = message_identifier(msg_identifier)
        if isinstance(msg_identifier, str):
            msg_identifier = (msg_identifier,)
        ident = tuple(msg_identifier)
        if len(ident) not in (1, 2):
            raise ValueError('a message identifier is (chat_id, message_id) or '
                             '(inline_message_id,)')
        self._bot = bot
        self._ident = ident

    @property
    def msg_identifier(self) -> Tuple[Any, ...]:
        return self._ident

    def __repr__(self) -> str:
        return '<Editor %r>' % (self._ident,)


_BY_CHAT, _BY_INLINE = _identifier_methods()
for _name in sorted(set(_BY_CHAT) | set(_BY_INLINE)):
    _fn = _edit_proxy(_name, _name in _BY_CHAT, _name in _BY_INLINE)
    setattr(Editor, _name, _fn)
    setattr(Editor, _snake(_name), _fn)
del _name, _alias, _old, _new, _fn


# -------------------------------------------------------------------------------- answerer

class Answerer:
    """At most one computation per user for inline queries.

    ``Answerer(bot, compute)`` + ``answer(inline_query)`` (telepot 6.3: ``compute(query)``)
    or ``Answerer(bot)`` + ``answer(inline_query, compute_fn, *args, **kwargs)`` (telepot 12:
    ``compute_fn(*args, **kwargs)``).  The result is passed to ``answerInlineQuery``: a list
    of results, a tuple (results, positional args...), or a dict of keyword arguments.  A
    computation superseded by a newer query from the same user never has its answer sent.
    """

    def __init__(self, bot: Any, compute: Optional[Callable] = None) -> None:
        self._bot = bot
        self._compute = compute
        self._current: Dict[Any, object] = {}
        self._lock = threading.Lock()

    def answer(self, inline_query: Dict[str, Any], compute_fn: Optional[Callable] = None,
               *compute_args: Any, **compute_kwargs: Any) -> threading.Thread:
        """Compute and send the answer in a new thread; returns that thread."""
        user, fn, args, kwargs = self._job(inline_query, compute_fn, compute_args,
                                           compute_kwargs)
        ticket = object()
        with self._lock:
            self._current[user] = ticket
        t = threading.Thread(target=self._work, args=(user, ticket, inline_query, fn, args, kwargs),
                             name='answerer-%s' % user)
        t.start()
        return t

    def _job(self, inline_query: Dict[str, Any], compute_fn: Optional[Callable],
             args: tuple, kwargs: Dict[str, Any]) -> Tuple[Any, Callable, tuple, Dict[str, Any]]:
        """(user, function, args, kwargs) of one answer: telepot 12's ``compute_fn(*args,
        **kwargs)``, else telepot 6.3's ``compute(inline_query)``."""
        if compute_fn is None:
            if self._compute is None:
                raise TypeError('answer() needs compute_fn (or Answerer(bot, compute))')
            return inline_query['from']['id'], self._compute, (inline_query,), {}
        return inline_query['from']['id'], compute_fn, args, kwargs

    def _superseded(self, user: Any, ticket: object, finish: bool = False) -> bool:
        with self._lock:
            mine = self._current.get(user) is ticket
            if mine and finish:
                del self._current[user]
            return not mine

    def _work(self, user: Any, ticket: object, query: Dict[str, Any], fn: Callable,
              args: tuple, kwargs: dict) -> None:
        try:
            if self._superseded(user, ticket):
                return
            result = fn(*args, **kwargs)
            if self._superseded(user, ticket, finish=True):
                log.debug('inline query %s superseded; answer dropped', query.get('id'))
                return
            args, kwargs = answer_arguments(result)
            self._bot.answerInlineQuery(query['id'], *args, **kwargs)
        except Exception:
            log.exception('answering inline query %s failed', query.get('id'))
        finally:
            with self._lock:
                if self._current.get(user) is ticket:
                    del self._current[user]


def answer_arguments(result: Any) -> Tuple[tuple, Dict[str, Any]]:
    """The answerInlineQuery arguments (after the query id) for what a compute function
    returned: a list of results, a tuple (results, positional args...), or a dict of keyword
    arguments."""
    if isinstance(result, list):
        return (result,), {}
    if isinstance(result, tuple):
        return result, {}
    if isinstance(result, dict):
        return (), result
    raise ValueError('compute function returned %s; expected a list, tuple or dict'
                     % type(result).__name__)


# --------------------------------------------------------------------------------- routing

class Router:
    """Map a message to a handler with a key function and a routing table.

    ``key_function(msg)`` returns a key, or ``(key,)``, ``(key, args)``,
    ``(key, args, kwargs)``; the ``None`` key of the table is the default handler.
    """

    def __init__(self, key_function: Callable[[Any], Any], routing_table: Dict[Any, Callable]) -> None:
        self.key_function = key_function
        self.routing_table = routing_table

    def map(self, msg: Any) -> Any:
        """The routing-table entry for ``msg`` (KeyError when absent)."""
        k = self.key_function(msg)
        key = k[0] if isinstance(k, (tuple, list)) else k
        fn = _lookup(self.routing_table, key)
        if fn is None:
            raise KeyError(key)
        return fn

    def route(self, msg: Any, *aa: Any, **kw: Any) -> Any:
        """Call the handler for ``msg`` with the extra arguments the key function gave."""
        k = self.key_function(msg)
        if isinstance(k, (tuple, list)):
            k = tuple(k)
            key = k[0]
            args = tuple(k[1]) if len(k) > 1 else ()
            kwargs = dict(k[2]) if len(k) > 2 else {}
        else:
            key, args, kwargs = k, (), {}
        fn = _lookup(self.routing_table, key)
        if fn is None:
            if None in self.routing_table:
                fn = self.routing_table[None]
            else:
                raise RuntimeError('No handler for key: %r, and default handler not defined'
                                   % (key,))
        return fn(msg, *args, **kwargs)


def _lookup(table: Dict[Any, Callable], key: Any) -> Optional[Callable]:
    """``table[key]``, also under the older names of a flavor or content type (a table
    written for telepot 6.3 keyed by ``'normal'`` still routes chat messages)."""
    try:
        return table[key]
    except (KeyError, TypeError):
        pass
    for alias in getattr(key, 'aliases', ()):
        if alias in table:
            return table[alias]
    return None


_warned_missing: set = set()


def _flavor_method_name(f: str) -> str:
    return 'on_chat_message' if f == 'chat' else 'on_' + f


#: flavor -> handler method, keyed by the (shared) objects flavor() returns, so a lookup is
#: an identity hit; events are added as they come
_METHOD_NAMES: Dict[str, str] = {}


def _method_name(f: str) -> str:
    name = _METHOD_NAMES.get(f)
    if name is None:
        name = _METHOD_NAMES[f] = _flavor_method_name(_flavors.canonical_name(f))
    return name


def _default_flavors() -> List[str]:
    """The keys of a handler's default routing table: every flavor an Update of this Bot
    API can carry (derived from the spec, in its order) and ``'_idle'``."""
    return list(dict.fromkeys(str(f) for f in _flavors._UPDATE_FLAVOR.values())) + ['_idle']


class _FlavorRoute:
    """A default routing-table entry: calls ``obj.on_<flavor>`` looked up at call time, so
    a subclass defines only the methods it needs; a missing one is logged once."""
    __slots__ = ('obj', 'flavor', 'name')

    def __init__(self, obj: Any, flavor: str) -> None:
        self.obj = obj
        self.flavor = flavor
        self.name = _flavor_method_name(flavor)

    def __call__(self, msg: Any, *args: Any, **kwargs: Any) -> Any:
        fn = getattr(self.obj, self.name, None)
        if fn is None:
            return _missing(self.obj, self.flavor)
        return fn(msg, *args, **kwargs)

    def __repr__(self) -> str:
        return '<route to %s.%s>' % (type(self.obj).__name__, self.name)


def _missing(obj: Any, f: str) -> None:
    key = (type(obj), f)
    if key not in _warned_missing:
        _warned_missing.add(key)
        log.warning('%s has no %s(); %s messages are ignored', type(obj).__name__,
                    _flavor_method_name(f), f)
    return None


class DefaultRouterMixin:
    """``on_message(msg)`` routes by flavor to ``on_chat_message``, ``on_callback_query``,
    ``on_inline_query``, ``on_chosen_inline_result``, ``on_shipping_query``,
    ``on_pre_checkout_query``, ``on_poll_answer``, ... and events to ``on__<name>``
    (``on__idle``).  A flavor without a method is logged once and ignored.

    ``router`` is telepot 12's: its routing table starts with an entry for every flavor
    (every flavor of this Bot API, and ``'_idle'``), so ``self.router.routing_table['_alarm'] = self.on__alarm``
    adds one route and keeps the others."""

    _router: Optional[Router] = None
    #: set by InterceptCallbackQueryMixin: a chosen inline result is noted before routing
    _callback_query_coordinator: Any = None

    @property
    def router(self) -> Router:
        """A Router keyed by flavor, its table filled with the flavor routes; change
        ``router.routing_table`` (or ``key_function``) to route your own way."""
        if self._router is None:
            self._router = Router(flavor, {f: _FlavorRoute(self, f) for f in _default_flavors()})
        return self._router

    def on_message(self, msg: Any) -> Any:
        if self._callback_query_coordinator is not None:
            self._note_chosen_inline_result(msg)    # type: ignore[attr-defined]
        router = self._router
        if router is None:                 # nobody touched the router: the fast path
            f = flavor(msg)
            fn = getattr(self, _method_name(f), None)
            return _missing(self, _flavors.canonical_name(f)) if fn is None else fn(msg)
        if router.key_function is flavor:
            table = router.routing_table
            f = flavor(msg)
            if _lookup(table, f) is None and None not in table:
                # a flavor or event nobody routed: on_<flavor> if defined, as without a router
                f = _flavors.canonical_name(f)
                fn = getattr(self, _flavor_method_name(f), None)
                return _missing(self, f) if fn is None else fn(msg)
        return router.route(msg)


# ------------------------------------------------------------------------------- contexts

class ListenerContext:
    """``ListenerContext(bot, context_id)``: exposes ``bot``, ``id``, a ``listener`` and
    ``state``.

    ``state`` is a dict. In a delegate of a bot with a store it is the delegate's saved
    state: JSON values only (anything else raises TypeError naming the key), written with
    the done-mark of the message that changed it, and there again for the next delegate of
    the same seed (after an idle timeout or a restart). Otherwise it is a plain dict for the
    delegate's life. A program that assigns ``self.state`` itself keeps its own value.
    """

    def __init__(self, bot: Any, context_id: Any, *args: Any, **kwargs: Any) -> None:
        self._bot = bot
        self._id = context_id
        self._listener = bot.create_listener()
        self._slot = _current_slot()
        super().__init__(*args, **kwargs)

    def _make_state(self) -> Any:
        slot = self.__dict__.get('_slot')
        return slot.load_state() if slot is not None else {}

    state = _bot_module._StateAttribute()

    @property
    def bot(self) -> Any:
        return self._bot

    @property
    def id(self) -> Any:
        return self._id

    @property
    def listener(self) -> Listener:
        return self._listener


class _TargetContext(ListenerContext):
    """A context addressed to one chat (a group, or a user's private chat)."""

    def __init__(self, bot: Any, context_id: Any, target: Any = None, *args: Any,
                 **kwargs: Any) -> None:
        super().__init__(bot, context_id, *args, **kwargs)
        self._target = context_id if target is None else target

    @property
    def sender(self) -> Sender:
        """A :class:`Sender` for this chat."""
        return Sender(self.bot, self._target)


class ChatContext(_TargetContext):
    """``ChatContext(bot, context_id, chat_id=context_id)``: adds ``chat_id``, ``sender``
    and ``administrator``."""

    @property
    def chat_id(self) -> Any:
        return self._target

    @property
    def administrator(self) -> Administrator:
        """An :class:`Administrator` for this chat."""
        return Administrator(self.bot, self._target)


class UserContext(_TargetContext):
    """``UserContext(bot, context_id, user_id=context_id)``: adds ``user_id`` and a
    ``sender`` to the user's private chat."""

    @property
    def user_id(self) -> Any:
        return self._target


class CallbackQueryOriginContext(ListenerContext):
    """Context of one callback-query origin: ``origin`` and an ``editor`` on it."""

    @property
    def origin(self) -> Tuple[Any, ...]:
        return self._id

    @property
    def editor(self) -> Editor:
        return Editor(self.bot, self._id)


class InvoiceContext(ListenerContext):
    """Context of one invoice: ``payload``."""

    @property
    def payload(self) -> Any:
        return self._id


# --------------------------------------------------------------------------------- openable

def openable(cls: type) -> type:
    """Class decorator filling in what :func:`~telepot_ng.delegate.create_open` needs:
    ``open`` (does nothing), ``on_message`` (NotImplementedError), ``on_close`` (logs
    unexpected exceptions; normal ends at DEBUG), ``close(code=None, reason=None)`` and a
    ``listener`` property (NotImplementedError)."""

    def open(self, initial_msg, seed):
        return None

    def on_message(self, msg):
        raise NotImplementedError('%s must implement on_message()' % type(self).__name__)

    def on_close(self, ex):
        if isinstance(ex, (WaitTooLong, StopListening)):
            log.debug('%s closed: %s', type(self).__name__, type(ex).__name__)
        # other exceptions were logged with their traceback by create_open

    def close(self, code=None, reason=None):
        """End this delegate: raises StopListening(code, reason).  telepot 12's
        ``close(ex)`` form re-raises the exception given."""
        if isinstance(code, BaseException):
            raise code
        raise StopListening(code, reason)

    def listener(self):
        raise NotImplementedError()

    for name, fn in (('open', open), ('on_message', on_message), ('on_close', on_close),
                     ('close', close)):
        if getattr(cls, name, None) is None:
            setattr(cls, name, fn)
    if getattr(cls, 'listener', None) is None:
        cls.listener = property(listener)
    return cls


# ------------------------------------------------------------------ events, idle, callbacks

class StandardEventScheduler:
    """A handler's view of the bot's scheduler: events are ``{'_flavor': {'source':
    {'space': event_space, 'id': source_id}, ...data}}`` and come back to this handler."""

    def __init__(self, scheduler: Any, event_space: Any, source_id: Any) -> None:
        self._base = scheduler
        self._event_space = event_space
        self._source_id = source_id

    @property
    def event_space(self) -> Any:
        return self._event_space

    def configure(self, listener: Listener) -> None:
        """Make ``listener`` capture this source's events."""
        listener._capture_key(EVENT_KEY, (self._event_space, self._source_id))

    def make_event_data(self, flavor: str, data: Dict[str, Any]) -> Dict[str, Any]:
        if not flavor.startswith('_'):
            raise ValueError('an event flavor starts with an underscore, got %r' % flavor)
        d = {'source': {'space': self._event_space, 'id': self._source_id}}
        d.update(data)
        return {flavor: d}

    def event_at(self, when: float, data_tuple: Tuple[str, Dict[str, Any]]) -> Any:
        """Emit ``(flavor, data)`` at the absolute time ``when``; returns the event."""
        return self._base.event_at(when, self.make_event_data(*data_tuple))

    def event_later(self, delay: float, data_tuple: Tuple[str, Dict[str, Any]]) -> Any:
        """Emit ``(flavor, data)`` after ``delay`` seconds; returns the event."""
        return self._base.event_later(delay, self.make_event_data(*data_tuple))

    def event_now(self, data_tuple: Tuple[str, Dict[str, Any]]) -> Any:
        """Emit ``(flavor, data)`` as soon as possible; returns the event."""
        return self._base.event_now(self.make_event_data(*data_tuple))

    def cancel(self, event: Any) -> None:
        """Cancel an event (EventNotFound if it already fired or was cancelled)."""
        self._base.cancel(event)


_NO_EVENTS = object()


class StandardEventMixin:
    """Gives a context ``self.scheduler`` (a :class:`StandardEventScheduler`, made when
    first used: a handler that never schedules costs no scheduler object)."""

    _event_space: Any = _NO_EVENTS
    _scheduler: Optional[StandardEventScheduler] = None

    def _setup_events(self, event_space: Any) -> None:
        self._event_space = event_space
        # what StandardEventScheduler.configure does
        self.listener._capture_key(EVENT_KEY, (event_space, self.id))

    @property
    def scheduler(self) -> StandardEventScheduler:
        s = self._scheduler
        if s is None:
            if self._event_space is _NO_EVENTS:
                self._setup_events(None)
            s = self._scheduler = StandardEventScheduler(self.bot.scheduler, self._event_space,
                                                         self.id)
        return s


class IdleEventCoordinator:
    """telepot 12's idle timer, kept for programs that touch it.  The timer is the
    listener's wait timeout, so every captured message restarts it; ``refresh()`` exists
    for compatibility and does nothing more."""

    def __init__(self, listener: Listener, timeout: Optional[float]) -> None:
        self._listener = listener
        self._timeout_seconds = timeout

    def refresh(self) -> None:
        """Nothing to do: the timeout restarts with each captured message."""

    def augment_on_message(self, handler: Callable) -> Callable:
        return handler

    def augment_on_close(self, handler: Callable) -> Callable:
        return handler


class IdleTerminateMixin:
    """``on__idle(event)`` raises IdleTerminate: a delegate idle for ``timeout`` seconds
    ends.  Override ``on__idle`` to do something else (returning keeps it alive)."""

    _idle_coordinator: Optional[IdleEventCoordinator] = None

    def _setup_idle(self, timeout: Optional[float]) -> None:
        self.listener.set_options(timeout=timeout)

    @property
    def idle_event_coordinator(self) -> IdleEventCoordinator:
        return self._idle_event_coordinator

    @property
    def _idle_event_coordinator(self) -> IdleEventCoordinator:
        """(telepot 12's attribute, made when first used: most handlers never touch it)"""
        c = self._idle_coordinator
        if c is None:
            c = self._idle_coordinator = IdleEventCoordinator(self.listener,
                                                              self.listener._timeout)
        return c

    @_idle_event_coordinator.setter
    def _idle_event_coordinator(self, value: IdleEventCoordinator) -> None:
        self._idle_coordinator = value

    def on__idle(self, event: Dict[str, Any]) -> None:
        raise IdleTerminate(event['_idle']['seconds'])


def _has_callback_data(markup: Any) -> bool:
    if isinstance(markup, tuple) and hasattr(markup, '_asdict'):
        markup = markup._asdict()
    if not isinstance(markup, dict):
        return False
    for row in markup.get('inline_keyboard') or ():
        for button in row:
            if isinstance(button, tuple) and hasattr(button, '_asdict'):
                button = button._asdict()
            if isinstance(button, dict) and button.get('callback_data') is not None:
                return True
    return False


def _origin_template(origin: Tuple[Any, ...]) -> List[Any]:
    is_callback = lambda v: True   # noqa: E731  (only callback queries have chat_instance)
    if len(origin) == 2:
        return [{'message': {'chat': {'id': origin[0]}, 'message_id': origin[1]},
                 'chat_instance': is_callback}]
    return [{'inline_message_id': origin[0], 'chat_instance': is_callback}]


class CallbackQueryCoordinator:
    """Captures callback queries on the messages a delegate sent with inline keyboards.

    The origin map is the bot's (``telepot_ng.delegation.origin_map(bot)``), so callback
    queries are routed to the delegate in O(1); a delegate's origins are removed when it
    ends.
    """

    def __init__(self, id: Any, origin_set: Optional[set], enable_chat: Any, enable_inline: Any,
                 listener: Optional[Listener] = None, bot: Any = None) -> None:
        self._id = id
        self._origin_set = origin_set if origin_set is not None else set()
        self._enable_chat = bool(enable_chat)
        self._enable_inline = bool(enable_inline)
        self._chat_notify = enable_chat if callable(enable_chat) else None
        self._inline_notify = enable_inline if callable(enable_inline) else None
        self._listener = listener
        self._bot = bot

    def configure(self, listener: Listener) -> None:
        self._listener = listener

    @staticmethod
    def _rectify(ident: Any) -> Tuple[Any, ...]:
        if isinstance(ident, tuple):
            if len(ident) in (1, 2):
                return ident
            raise ValueError('a message identifier is (chat_id, message_id) or '
                             '(inline_message_id,)')
        return (ident,)

    def capture_origin(self, msg_identifier: Any, notify: bool = True) -> None:
        origin = self._rectify(msg_identifier)
        if origin in self._origin_set:
            return
        self._origin_set.add(origin)
        if self._listener is not None:
            self._listener.capture(_origin_template(origin))
        if self._bot is not None:
            origin_map(self._bot)[origin] = self._id
        notifier = self._chat_notify if len(origin) == 2 else self._inline_notify
        if notify and notifier:
            notifier(origin, self._id, True)

    def uncapture_origin(self, msg_identifier: Any, notify: bool = True) -> None:
        origin = self._rectify(msg_identifier)
        if origin not in self._origin_set:
            return
        self._origin_set.discard(origin)
        if self._listener is not None:
            self._listener.cancel_capture(*[c for c in self._listener.list_captures()
                                            if _same_origin_capture(c, origin)])
        if self._bot is not None:
            m = origin_map(self._bot)
            if m.get(origin) == self._id:
                del m[origin]
        notifier = self._chat_notify if len(origin) == 2 else self._inline_notify
        if notify and notifier:
            notifier(origin, self._id, False)

    def release_all(self) -> None:
        """Forget every origin (called when the delegate ends)."""
        for origin in list(self._origin_set):
            self.uncapture_origin(origin, notify=False)

    def _sent(self, aa: tuple, kw: dict, sent: Any) -> Any:
        if self._enable_chat and _has_callback_data(kw.get('reply_markup')) \
                and isinstance(sent, dict):
            self.capture_origin(message_identifier(sent))
        return sent

    def _edited(self, aa: tuple, kw: dict, edited: Any) -> Any:
        ident = _edit_identifier(aa, kw)
        if ident is not None and ((edited is True and self._enable_inline)
                                  or (isinstance(edited, dict) and self._enable_chat)):
            if _has_callback_data(kw.get('reply_markup')):
                self.capture_origin(ident)
            else:
                self.uncapture_origin(ident)
        return edited

    def augment_send(self, send_func: Callable) -> Callable:
        """``send_func`` recording the origin of an inline keyboard it sends (the answer of a
        telepot_ng.aio bot is awaited first)."""
        return _after(send_func, self._sent)

    def augment_edit(self, edit_func: Callable) -> Callable:
        """``edit_func`` capturing (or releasing) the origin of the message it edits."""
        return _after(edit_func, self._edited)

    def augment_bot(self, bot: Any) -> Any:
        return _CoordinatedBot(bot, self)


def _after(func: Callable, then: Callable[[tuple, dict, Any], Any]) -> Callable:
    """``func`` followed by ``then(args, kwargs, result)``; when ``func`` returns an awaitable
    (a telepot_ng.aio bot method), an awaitable that does the same once it is awaited."""
    def augmented(*aa: Any, **kw: Any) -> Any:
        result = func(*aa, **kw)
        if inspect.isawaitable(result):
            return _then(result, aa, kw, then)
        return then(aa, kw, result)
    return augmented


async def _then(result: Any, aa: tuple, kw: dict, then: Callable[[tuple, dict, Any], Any]) -> Any:
    return then(aa, kw, await result)


def _same_origin_capture(raw: Any, origin: Tuple[Any, ...]) -> bool:
    try:
        t = raw[0]
    except (TypeError, IndexError, KeyError):
        return False
    if len(origin) == 2:
        m = t.get('message') if isinstance(t, dict) else None
        return isinstance(m, dict) and m.get('message_id') == origin[1] \
            and m.get('chat') == {'id': origin[0]}
    return isinstance(t, dict) and t.get('inline_message_id') == origin[0]


def _edit_identifier(aa: tuple, kw: dict) -> Optional[Tuple[Any, ...]]:
    if aa and isinstance(aa[0], (tuple, str)):
        return aa[0] if isinstance(aa[0], tuple) else (aa[0],)
    if kw.get('inline_message_id') is not None:
        return (kw['inline_message_id'],)
    if kw.get('chat_id') is not None and kw.get('message_id') is not None:
        return kw['chat_id'], kw['message_id']
    return None


class _CoordinatedBot:
    """The bot seen by a handler that intercepts callback queries: send*/copy* and edit*
    methods record the origins of inline keyboards; everything else is the bot itself."""

    def __init__(self, bot: Any, coordinator: CallbackQueryCoordinator) -> None:
        self._real_bot = bot
        self._coordinator = coordinator

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._real_bot, name)
        if callable(attr):
            if name.startswith(('send', 'copy')) and name != 'sendChatAction':
                return self._coordinator.augment_send(attr)
            if name.startswith('edit'):
                return self._coordinator.augment_edit(attr)
        return attr

    def __repr__(self) -> str:
        return repr(self._real_bot)


class InterceptCallbackQueryMixin:
    """Installs a :class:`CallbackQueryCoordinator`: ``self.bot`` becomes a proxy whose send
    and edit methods capture callback queries on inline keyboards they send; the real bot
    stays reachable as ``self.real_bot``."""

    _callback_query_coordinator: Optional[CallbackQueryCoordinator] = None

    def _setup_intercept(self, intercept_callback_query: Any) -> None:
        if isinstance(intercept_callback_query, tuple):
            enable_chat, enable_inline = intercept_callback_query
        else:
            enable_chat = enable_inline = intercept_callback_query
        real = self._bot
        cqc = CallbackQueryCoordinator(self.id, set(), enable_chat, enable_inline,
                                       self.listener, real)
        self._callback_query_coordinator = cqc
        self._real_bot = real
        self._bot = cqc.augment_bot(real)
        at_delegate_end(cqc.release_all)

    @property
    def real_bot(self) -> Any:
        return getattr(self, '_real_bot', self._bot)

    @property
    def callback_query_coordinator(self) -> Optional[CallbackQueryCoordinator]:
        return self._callback_query_coordinator

    def _note_chosen_inline_result(self, msg: Any) -> None:
        cqc = self._callback_query_coordinator
        if cqc is not None and cqc._enable_inline and 'inline_message_id' in msg \
                and flavor(msg) == 'chosen_inline_result':
            cqc.capture_origin(msg['inline_message_id'])


class AnswererMixin:
    """Gives a context ``self.answerer`` (an :class:`Answerer` on its bot)."""

    _answerer: Optional[Answerer] = None

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            # the bot's own kind: threads for telepot_ng.Bot, tasks for telepot_ng.aio's
            self._answerer = getattr(self.bot, 'Answerer', Answerer)(self.bot)
        return self._answerer


class SafeDict(dict):
    """A dict whose item get/set/delete are serialised by a lock (telepot 12 name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()

    def __getitem__(self, key: Any) -> Any:
        with self._lock:
            return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        with self._lock:
            super().__delitem__(key)


# --------------------------------------------------------------------------------- handlers

def _is_63_timeout(value: Any) -> bool:
    """telepot 6.3 passed ``timeout`` as the second positional argument where telepot 12
    passes ``include_callback_query``: a number there (not a bool) is 6.3's timeout."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _63_timeout(value: Any, timeout: Optional[float], cls_name: str) -> Optional[float]:
    if timeout is not None:
        raise TypeError('%s got timeout twice (telepot 6.3 passed it second, positionally)'
                        % cls_name)
    return value


class _Handler(DefaultRouterMixin, StandardEventMixin, IdleTerminateMixin,
               InterceptCallbackQueryMixin):
    """Shared set-up of the handler classes."""

    def _setup(self, timeout: Optional[float], event_space: Any,
               intercept_callback_query: Any) -> None:
        """What telepot 12's mixins did with the handler keywords (every handler class
        takes ``timeout``, ``event_space`` and ``intercept_callback_query``)."""
        self._setup_idle(timeout)
        if event_space is not None:
            self._setup_events(event_space)
        if intercept_callback_query:
            self._setup_intercept(intercept_callback_query)


@openable
class Monitor(ListenerContext, DefaultRouterMixin):
    """A delegate capturing what ``capture`` lists and never timing out.

    ``Monitor(seed_tuple, capture)`` where ``capture`` is a list of criteria: dicts of
    telepot 6.3 keyword criteria (``{'_': lambda msg: True}``) or telepot 12 pattern lists.
    """

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], capture: Sequence[Any],
                 **kwargs: Any) -> None:
        bot, initial_msg, seed = seed_tuple
        super().__init__(bot, seed)
        for c in capture:
            if isinstance(c, dict) and all(isinstance(k, str) for k in c) \
                    and not _looks_like_template(c):
                self.listener.capture(**c)
            else:
                self.listener.capture(c)


def _looks_like_template(d: Dict[str, Any]) -> bool:
    """A dict with '__'-free keys whose values are dicts reads the same either way;
    keyword criteria are recognised by '__' paths or the '_' key."""
    return not any(k == '_' or '__' in k for k in d) and all(isinstance(v, dict) for v in d.values())


@openable
class ChatHandler(ChatContext, _Handler):
    """A delegate for one chat; its listener captures that chat's messages.

    ``ChatHandler(seed_tuple, timeout)`` (telepot 6.3: a number second is the timeout) or
    ``ChatHandler(seed_tuple, include_callback_query=False, timeout=None, event_space=None,
    intercept_callback_query=None)`` (telepot 12).
    """

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], include_callback_query: Any = False,
                 *, timeout: Optional[float] = None, event_space: Any = None,
                 intercept_callback_query: Any = None, **kwargs: Any) -> None:
        bot, initial_msg, seed = seed_tuple
        if _is_63_timeout(include_callback_query):
            timeout = _63_timeout(include_callback_query, timeout, 'ChatHandler')
            include_callback_query = False
        chat_id = _chat_id_of(initial_msg, seed)
        super().__init__(bot, seed, chat_id, **kwargs)
        self.listener._capture_key(_CHAT_ID, self.chat_id)        # [{'chat': {'id': ...}}]
        if include_callback_query:
            self.listener._capture_key(_MESSAGE_CHAT_ID, self.chat_id)
        self._setup(timeout, event_space, intercept_callback_query)


def _chat_id_of(msg: Any, seed: Any) -> Any:
    try:
        return msg['chat']['id']
    except (KeyError, TypeError):
        try:
            return msg['message']['chat']['id']     # a callback query
        except (KeyError, TypeError):
            return seed                             # an event: seed is the chat id


#: UserHandler's default flavors (telepot 12): chat messages, inline queries and results
_USER_FLAVORS: List[Any] = list(chat_flavors) + list(inline_flavors)


@openable
class UserHandler(UserContext, _Handler):
    """A delegate for one user; its listener captures that user's messages of the given
    flavors.

    ``UserHandler(seed_tuple, timeout, flavors='all')`` (telepot 6.3: a number second is the
    timeout, and the flavors default to all) or ``UserHandler(seed_tuple,
    include_callback_query=False, flavors=chat_flavors + inline_flavors, timeout=None,
    event_space=None, intercept_callback_query=None)`` (telepot 12).
    """

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], include_callback_query: Any = False,
                 flavors: Any = _USER_FLAVORS, *, timeout: Optional[float] = None,
                 event_space: Any = None, intercept_callback_query: Any = None,
                 **kwargs: Any) -> None:
        bot, initial_msg, seed = seed_tuple
        if include_callback_query is None or _is_63_timeout(include_callback_query):
            timeout = _63_timeout(include_callback_query, timeout, 'UserHandler')
            include_callback_query = False
            if flavors is _USER_FLAVORS:
                flavors = 'all'
        try:
            user_id = initial_msg['from']['id']
        except (KeyError, TypeError):
            user_id = seed
        super().__init__(bot, seed, user_id, **kwargs)
        if flavors == 'all':
            self.listener._capture_key(_FROM_ID, self.user_id)      # [{'from': {'id': ...}}]
        else:
            wanted = list(flavors)
            self.listener.capture([{'from': {'id': self.user_id}},
                                   lambda msg: flavor(msg) in wanted])
        if include_callback_query:
            self.listener._capture_key(_MESSAGE_CHAT_ID, self.user_id)
        self._setup(timeout, event_space, intercept_callback_query)


class InlineUserHandler(UserHandler):
    """A UserHandler for a user's inline queries and chosen inline results."""

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], **kwargs: Any) -> None:
        kwargs['flavors'] = list(inline_flavors)
        super().__init__(seed_tuple, **kwargs)


@openable
class CallbackQueryOriginHandler(CallbackQueryOriginContext, _Handler):
    """A delegate for the callback queries of one origin message (seed:
    ``per_callback_query_origin()``)."""

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], *, timeout: Optional[float] = None,
                 event_space: Any = None, intercept_callback_query: Any = None,
                 **kwargs: Any) -> None:
        bot, initial_msg, seed = seed_tuple
        super().__init__(bot, seed, **kwargs)
        self.listener.capture(_origin_template(tuple(seed)))
        self._setup(timeout, event_space, intercept_callback_query)


@openable
class InvoiceHandler(InvoiceContext, _Handler):
    """A delegate for one invoice payload: its shipping and pre-checkout queries and the
    ``successful_payment`` message (seed: ``per_invoice_payload()``)."""

    def __init__(self, seed_tuple: Tuple[Any, Any, Any], *, timeout: Optional[float] = None,
                 event_space: Any = None, intercept_callback_query: Any = None,
                 **kwargs: Any) -> None:
        bot, initial_msg, seed = seed_tuple
        super().__init__(bot, seed, **kwargs)
        self.listener.capture([{'invoice_payload': self.payload}])
        self.listener.capture([{'successful_payment': {'invoice_payload': self.payload}}])
        self._setup(timeout, event_space, intercept_callback_query)

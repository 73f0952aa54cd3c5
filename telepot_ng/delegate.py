"""Seed functions and delegate producers for :class:`telepot_ng.DelegatorBot`.

A *seed function* maps a message to a seed (None: not for this pattern).  A *delegate
producer* takes ``(bot, msg, seed)`` and returns a delegate.  Pair producers
(``pave_event_space()``, ``include_callback_query_chat_id()``,
``intercept_callback_query_origin()``) compose a seed function and a producer the way
telepot 12 did.
"""
from __future__ import annotations

import itertools
import threading
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

from . import _flow, _masking
from .delegation import current_bot, origin_map
from .exception import BadFlavor, IdleTerminate, StopListening, WaitTooLong
from .flavors import chat_flavors, flavor, inline_flavors, is_event, peel

__all__ = [
    'per_chat_id', 'per_chat_id_in', 'per_chat_id_except',
    'per_from_id', 'per_from_id_in', 'per_from_id_except',
    'per_inline_from_id', 'per_inline_from_id_in', 'per_inline_from_id_except',
    'per_application', 'per_message', 'per_event_source_id', 'per_callback_query_chat_id',
    'per_callback_query_origin', 'per_invoice_payload',
    'call', 'create_run', 'create_open', 'until', 'chain', 'pair',
    'pave_event_space', 'include_callback_query_chat_id', 'intercept_callback_query_origin',
]

log = _masking.logger(__name__)

Seeder = Callable[[Any], Any]


def _none_on_error(fn: Seeder) -> Seeder:
    """Messages without the selected fields simply have no seed."""
    def seeder(msg: Any) -> Any:
        try:
            return fn(msg)
        except (KeyError, TypeError, BadFlavor):
            return None
    seeder.__name__ = getattr(fn, '__name__', 'seeder')
    return seeder


def _types_ok(types: Any, chat_type: Any) -> bool:
    return types == 'all' or chat_type in types


# ------------------------------------------------------------------------ per chat / per user

def per_chat_id(types: Union[str, Sequence[str]] = 'all') -> Seeder:
    """Seed = ``msg['chat']['id']`` for messages in chats of the given types."""
    def per_chat_id(msg):
        chat = msg['chat']
        return chat['id'] if _types_ok(types, chat['type']) else None
    return _none_on_error(per_chat_id)


def per_chat_id_in(s: Iterable[Any], types: Union[str, Sequence[str]] = 'all') -> Seeder:
    """Seed = chat id, only for chat ids in ``s``."""
    ids = s if isinstance(s, (set, frozenset)) else set(s)

    def per_chat_id_in(msg):
        chat = msg['chat']
        return chat['id'] if chat['id'] in ids and _types_ok(types, chat['type']) else None
    return _none_on_error(per_chat_id_in)


def per_chat_id_except(s: Iterable[Any], types: Union[str, Sequence[str]] = 'all') -> Seeder:
    """Seed = chat id, only for chat ids not in ``s``."""
    ids = s if isinstance(s, (set, frozenset)) else set(s)

    def per_chat_id_except(msg):
        chat = msg['chat']
        return chat['id'] if chat['id'] not in ids and _types_ok(types, chat['type']) else None
    return _none_on_error(per_chat_id_except)


_USER_FLAVORS = tuple(chat_flavors) + tuple(inline_flavors)


def _flavor_ok(flavors: Any, msg: Any) -> bool:
    return flavors == 'all' or flavor(msg) in flavors


def per_from_id(flavors: Union[str, Sequence[str]] = _USER_FLAVORS) -> Seeder:
    """Seed = ``msg['from']['id']`` for messages of the given flavors."""
    def per_from_id(msg):
        return msg['from']['id'] if _flavor_ok(flavors, msg) else None
    return _none_on_error(per_from_id)


def per_from_id_in(s: Iterable[Any], flavors: Union[str, Sequence[str]] = _USER_FLAVORS) -> Seeder:
    """Seed = from id, only for ids in ``s``."""
    ids = s if isinstance(s, (set, frozenset)) else set(s)

    def per_from_id_in(msg):
        uid = msg['from']['id']
        return uid if uid in ids and _flavor_ok(flavors, msg) else None
    return _none_on_error(per_from_id_in)


def per_from_id_except(s: Iterable[Any],
                       flavors: Union[str, Sequence[str]] = _USER_FLAVORS) -> Seeder:
    """Seed = from id, only for ids not in ``s``."""
    ids = s if isinstance(s, (set, frozenset)) else set(s)

    def per_from_id_except(msg):
        uid = msg['from']['id']
        return uid if uid not in ids and _flavor_ok(flavors, msg) else None
    return _none_on_error(per_from_id_except)


def per_inline_from_id() -> Seeder:
    """Seed = from id, for inline queries and chosen inline results only."""
    return per_from_id(flavors=inline_flavors)


def per_inline_from_id_in(s: Iterable[Any]) -> Seeder:
    """Like :func:`per_inline_from_id`, only for ids in ``s``."""
    return per_from_id_in(s, flavors=inline_flavors)


def per_inline_from_id_except(s: Iterable[Any]) -> Seeder:
    """Like :func:`per_inline_from_id`, only for ids not in ``s``."""
    return per_from_id_except(s, flavors=inline_flavors)


def per_application() -> Seeder:
    """Seed = 1 always: one delegate for the whole application."""
    return lambda msg: 1


def per_message(flavors: Union[str, Sequence[str]] = 'all') -> Seeder:
    """An unhashable seed for every message of the given flavors: a new delegate each time."""
    return _none_on_error(lambda msg: [] if _flavor_ok(flavors, msg) else None)


def per_event_source_id(event_space: Any) -> Seeder:
    """Seed = an event's source id, for events of ``event_space``."""
    def per_event_source_id(event):
        if not is_event(event):
            return None
        source = peel(event)['source']
        return source['id'] if source['space'] == event_space else None
    return _none_on_error(per_event_source_id)


def per_callback_query_chat_id(types: Union[str, Sequence[str]] = 'all') -> Seeder:
    """Seed = the chat id of the message a callback query came from."""
    def per_callback_query_chat_id(msg):
        if flavor(msg) == 'callback_query' and 'message' in msg:
            chat = msg['message']['chat']
            if _types_ok(types, chat['type']):
                return chat['id']
        return None
    return _none_on_error(per_callback_query_chat_id)


def per_callback_query_origin(origins: Union[str, Sequence[str]] = 'all') -> Seeder:
    """Seed = the origin of a callback query: ``(chat_id, message_id)`` or
    ``(inline_message_id,)``, for the origin types given (``chat``, ``inline``)."""
    def per_callback_query_origin(msg):
        if flavor(msg) != 'callback_query':
            return None
        if 'inline_message_id' in msg:
            return (msg['inline_message_id'],) if origins == 'all' or 'inline' in origins else None
        if 'message' in msg and (origins == 'all' or 'chat' in origins):
            return msg['message']['chat']['id'], msg['message']['message_id']
        return None
    return _none_on_error(per_callback_query_origin)


def per_invoice_payload() -> Seeder:
    """Seed = the invoice payload of shipping/pre-checkout queries and of the
    ``successful_payment`` message that follows."""
    def per_invoice_payload(msg):
        if 'successful_payment' in msg:
            return msg['successful_payment']['invoice_payload']
        if 'invoice_payload' in msg and flavor(msg) in ('shipping_query', 'pre_checkout_query'):
            return msg['invoice_payload']
        return None
    return _none_on_error(per_invoice_payload)


# ---------------------------------------------------------------------------- producers

def call(func: Callable, *args: Any, **kwargs: Any) -> Callable:
    """Producer: run ``func(seed_tuple, *args, **kwargs)`` in the delegate's thread."""
    def producer(seed_tuple):
        return func, (seed_tuple,) + args, kwargs
    return producer


def create_run(cls: type, *args: Any, **kwargs: Any) -> Callable:
    """Producer: build ``cls(seed_tuple, *args, **kwargs)`` and run its ``run()`` method."""
    def producer(seed_tuple):
        return cls(seed_tuple, *args, **kwargs).run
    return producer


def _idle_event(obj: Any, seconds: Any, late: bool = False) -> dict:
    scheduler = getattr(obj, 'scheduler', None)
    space = getattr(scheduler, 'event_space', None)
    event = {'_idle': {'source': {'space': space, 'id': getattr(obj, 'id', None)},
                       'seconds': seconds}}
    if late:
        event['_idle']['late'] = True
    return event


class _OpenDelegate:
    """What :func:`create_open`'s producer returns: a handler object and the steps of its
    life -- :meth:`opening`, ``obj.on_message`` per message, :meth:`idle` when its listener's
    timeout passes, :meth:`closing` at the end.

    A :class:`~telepot_ng.DelegatorBot` with workers takes these steps one message at a
    time on its worker pool (an idle handler has no thread); calling the object instead runs
    the whole life in the calling thread (``listener.wait()`` between messages), which is
    what a bot without workers does.
    """
    __slots__ = ('obj', 'seed_tuple', '__name__', 'late')
    pooled = True               # a DelegatorBot may run it on its workers (and revive it)

    def __init__(self, obj: Any, seed_tuple: Tuple[Any, Any, Any]) -> None:
        self.obj = obj
        self.seed_tuple: Any = seed_tuple
        self.__name__ = type(obj).__name__
        #: revived after a restart past its idle deadline: its next idle event says so
        self.late = False

    @property
    def __self__(self) -> Any:          # telepot_ng names a delegate after its handler class
        return self.obj

    # Each step is written once, as a flow (telepot_ng._flow): the pool and a delegate thread
    # run it with _flow.run, a telepot_ng.aio delegate task with _flow.arun, which awaits the
    # handler's coroutine methods.

    def opening(self) -> None:
        """``open(msg, seed)``; unless it returns true, the first message goes to
        ``on_message`` too.  (The flow :meth:`_opening`, called directly as in
        :meth:`message`: it runs once per spawned handler.)"""
        bot, msg, seed = self.seed_tuple
        self.seed_tuple = (None, None, seed)   # the first message (and bot) not kept alive
        if not self.obj.open(msg, seed):
            self.message(msg)

    def message(self, msg: Any) -> None:
        """``on_message(msg)``.  The handler's listener times out the same way wherever it
        waits: a WaitTooLong escaping ``on_message`` (its own ``self.listener.wait()`` in
        straight-line code timed out) goes to :meth:`idle` like a timeout between messages;
        if ``on__idle`` returns, the handler stays and waits for its next message.

        (The flow :meth:`_message` called directly: this runs once per message on the pool,
        and driving a generator costs more than the handler's own work.)"""
        self.late = False           # its idle time starts again from this message
        try:
            self.obj.on_message(msg)
        except WaitTooLong as e:
            _flow.run(self._timed_out(e))

    def idle(self, seconds: Any) -> None:
        """The listener stayed quiet for ``seconds``: ``on__idle`` (which may raise
        IdleTerminate, or return to keep the handler); WaitTooLong when it has none."""
        _flow.run(self._idle(seconds))

    def closing(self, e: BaseException) -> None:
        """The handler ends because of ``e``: log (DEBUG for a normal end, with the traceback
        otherwise) and call ``on_close(e)``."""
        _flow.run(self._closing(e))

    def __call__(self) -> None:
        """The whole life in this thread."""
        _flow.run(self.life())

    def _opening(self) -> _flow.Flow:
        bot, msg, seed = self.seed_tuple
        self.seed_tuple = (None, None, seed)   # the first message (and bot) not kept alive
        if not (yield self.obj.open(msg, seed)):
            yield from self._message(msg)

    def _message(self, msg: Any) -> _flow.Flow:
        self.late = False           # its idle time starts again from this message
        try:
            yield self.obj.on_message(msg)
        except WaitTooLong as e:
            yield from self._timed_out(e)

    def _timed_out(self, e: WaitTooLong) -> _flow.Flow:
        if isinstance(e, IdleTerminate):      # on__idle's verdict, or the handler's own
            raise e
        yield from self._idle(getattr(e, 'seconds', None))

    def _idle(self, seconds: Any) -> _flow.Flow:
        late, self.late = self.late, False
        on_idle = getattr(self.obj, 'on__idle', None)
        if on_idle is None:
            raise WaitTooLong(seconds)
        yield on_idle(_idle_event(self.obj, seconds, late))

    def _closing(self, e: BaseException) -> _flow.Flow:
        seed = self.seed_tuple[2]       # a seed may itself be a tuple (an origin)
        if isinstance(e, (WaitTooLong, StopListening)):
            log.debug('%s %r closing: %s %s', self.__name__, seed, type(e).__name__, e)
        else:
            log.error('%s %r raised; closing it', self.__name__, seed, exc_info=e)
        try:
            yield self.obj.on_close(e)
        except Exception:
            log.exception('%s.on_close() raised', self.__name__)

    def life(self, revived: Optional[bool] = None) -> _flow.Flow:
        """The whole life (open, each captured message, idleness, close) as one flow.
        A delegate revived after a restart (``revived`` not None, see
        :mod:`telepot_ng.store`) skips ``open`` and starts idle: at once when ``revived``
        is true, else waiting for its next message."""
        obj = self.obj
        try:
            if revived is None:
                yield from self._opening()
            listener = obj.listener
            if revived:
                yield from self._idle(listener.get_options('timeout')[0])
            while True:
                try:
                    msg = yield listener.wait()
                except WaitTooLong as e:
                    yield from self._idle(getattr(e, 'seconds', None))
                    continue          # on__idle() returned: the delegate stays
                yield from self._message(msg)
        except Exception as e:
            yield from self._closing(e)

    def __repr__(self) -> str:
        return '<%s of %r>' % (type(self).__name__, self.obj)


def _open_loop(obj: Any, seed_tuple: Tuple[Any, Any, Any]) -> None:
    """The life of an openable delegate in the calling thread (see :class:`_OpenDelegate`)."""
    _OpenDelegate(obj, seed_tuple)()


def create_open(cls: type, *args: Any, **kwargs: Any) -> Callable:
    """Producer: build ``cls(seed_tuple, *args, **kwargs)`` and drive it: ``open(msg, seed)``
    (unless it returns true, the first message also goes to ``on_message``), then
    ``on_message`` for every message its listener captures, ``on__idle`` (if defined) when
    the listener's timeout passes, and ``on_close(exception)`` at the end.

    On a :class:`~telepot_ng.DelegatorBot` with workers (the default) these calls run on the
    bot's worker pool, one message at a time per handler and in order; an idle handler holds
    no thread.  A handler that calls ``self.listener.wait()`` keeps its worker while it waits
    (the pool starts a spare meanwhile).

    Exits that are part of normal life (timeout, ``close()``, the bot stopping) are logged at
    DEBUG; any other exception is logged with its traceback and passed to ``on_close``.
    """
    def producer(seed_tuple):
        return _OpenDelegate(cls(seed_tuple, *args, **kwargs), seed_tuple)
    return producer


# ------------------------------------------------------------------ composing seed functions

def until(condition: Callable[[Any], bool], fns: Sequence[Seeder]) -> Seeder:
    """The first seed from ``fns`` that satisfies ``condition`` (else None)."""
    def until(msg):
        for fn in fns:
            seed = fn(msg)
            if condition(seed):
                return seed
        return None
    return until


def chain(*fns: Seeder) -> Seeder:
    """The first non-None seed from ``fns``."""
    return until(lambda seed: seed is not None, fns)


def _seeders(seeders: Any) -> List[Seeder]:
    return list(seeders) if isinstance(seeders, (list, tuple)) else [seeders]


def pair(seeders: Any, delegator_factory: Callable, *args: Any, **kwargs: Any
         ) -> Tuple[Seeder, Callable]:
    """``(seed function, delegator_factory(*args, **kwargs))``; several seed functions are
    chained."""
    fns = _seeders(seeders)
    return (chain(*fns) if len(fns) > 1 else fns[0]), delegator_factory(*args, **kwargs)


_event_spaces = itertools.count(1)
_event_spaces_lock = threading.Lock()


def pave_event_space(fn: Callable = pair) -> Callable:
    """Pair producer giving the seed function and the delegates one event space, so a
    delegate's scheduled events (``self.scheduler.event_later(...)``) come back to it."""
    with _event_spaces_lock:
        event_space = next(_event_spaces)

    def p(seeders, delegator_factory, *args, **kwargs):
        return fn(_seeders(seeders) + [per_event_source_id(event_space)],
                  delegator_factory, *args, event_space=event_space, **kwargs)
    return p


def include_callback_query_chat_id(fn: Callable = pair,
                                   types: Union[str, Sequence[str]] = 'all') -> Callable:
    """Pair producer that also routes callback queries to the delegate of the chat where
    the query's message is (``include_callback_query=True`` for the handler)."""
    def p(seeders, delegator_factory, *args, **kwargs):
        return fn(_seeders(seeders) + [per_callback_query_chat_id(types=types)],
                  delegator_factory, *args, include_callback_query=True, **kwargs)
    return p


def intercept_callback_query_origin(fn: Callable = pair,
                                    origins: Union[str, Sequence[str]] = 'all') -> Callable:
    """Pair producer that routes callback queries to the delegate which sent (or edited)
    the message carrying the inline keyboard.

    The origin map lives on each bot (not in a module global) and a delegate's origins are
    removed when it ends.
    """
    origin_seed = per_callback_query_origin(origins=origins)
    enable = (origins == 'all' or 'chat' in origins, origins == 'all' or 'inline' in origins)

    def per_intercepted_origin(msg):
        origin = origin_seed(msg)
        if origin is None:
            return None
        bot = current_bot()
        return None if bot is None else origin_map(bot).get(origin)

    def p(seeders, delegator_factory, *args, **kwargs):
        return fn(_seeders(seeders) + [per_intercepted_origin], delegator_factory,
                  *args, intercept_callback_query=enable, **kwargs)
    return p

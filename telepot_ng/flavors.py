"""What kind of object a message is (flavor), its headline (glance), and update unwrapping.

Flavors are telepot 12's names ('chat', 'callback_query', 'inline_query', ...) extended to
every object an Update of Bot API 10.3 (and the 10.4 widget queries) can carry; for
everything but chat messages the flavor is the Update field name ('poll_answer',
'my_chat_member', 'chat_boost', 'widget_query', ...).
Names from older telepot generations compare equal through :class:`AliasedStr`:
``flavor(msg) == 'normal'`` (telepot 6.3) and ``== 'message'`` hold for chat messages, and
``'new_chat_participant'`` / ``'new_chat_member'`` match today's ``'new_chat_members'``.
Which spelling a name *hashes* as follows the telepot generation whose entry point handed
the message out (:func:`use_names`): ``notifyOnMessage``'s messages say ``'normal'``, so a
telepot 6.3 program's dict keyed ``'normal'`` finds them; everything else says ``'chat'``.
"""
from __future__ import annotations

from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

from ._generated import spec

__all__ = [
    'AliasedStr', 'UpdateMsg', 'unwrap_update', 'flavor', 'glance', 'glance2', 'flance',
    'is_event', 'peel', 'fleece', 'message_identifier', 'origin_identifier',
    'canonical_name', 'use_names', 'all_content_types', 'chat_flavors', 'inline_flavors',
]


class AliasedStr(str):
    """A str that also equals the older names in ``.aliases``.

    ``AliasedStr('chat', ('normal', 'message')) == 'normal'`` is True and so is
    ``'normal' == ...`` (the subclass's ``__eq__`` wins), so comparisons, ``in`` on lists and
    tuples, and ``startswith`` work as before.  Hashing stays that of the canonical name:
    a dict or set keyed by an *old* name does not find it -- normalise such keys with
    :func:`canonical_name` first.
    """

    aliases: FrozenSet[str]

    def __new__(cls, value: str, aliases: Iterable[str] = ()) -> 'AliasedStr':
        self = super().__new__(cls, value)
        self.aliases = frozenset(aliases)
        return self

    def __eq__(self, other: object) -> Any:
        if isinstance(other, str):
            return str.__eq__(self, other) or str.__str__(other) in self.aliases
        return NotImplemented

    def __ne__(self, other: object) -> Any:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = str.__hash__

    def __reduce__(self) -> Tuple[Any, ...]:
        return AliasedStr, (str(self), tuple(sorted(self.aliases)))


# ---------------------------------------------------------------------------- names

#: Older names of flavors and content types -> today's name.
_OLD_NAMES: Dict[str, str] = {
    'normal': 'chat', 'message': 'chat',                         # telepot 6.3 (and its docs)
    'new_chat_participant': 'new_chat_members',                  # Bot API 1.x / telepot 6.3
    'new_chat_member': 'new_chat_members',                       # Bot API 3.0 / telepot 12
    'left_chat_participant': 'left_chat_member',                 # Bot API 1.x / telepot 6.3
    'user_shared': 'users_shared',                               # Bot API 6.5 - 6.9
    'voice_chat_scheduled': 'video_chat_scheduled',              # Bot API 5.x
    'voice_chat_started': 'video_chat_started',
    'voice_chat_ended': 'video_chat_ended',
    'voice_chat_participants_invited': 'video_chat_participants_invited',
}

_NAMES: Dict[str, AliasedStr] = {}


def _name(value: str) -> AliasedStr:
    """The shared AliasedStr for ``value`` (made once; flavor() returns these objects)."""
    n = _NAMES.get(value)
    if n is None:
        n = _NAMES[value] = AliasedStr(value, [o for o, new in _OLD_NAMES.items() if new == value])
    return n


def canonical_name(name: str) -> str:
    """Today's name of a flavor or content type given by any of its names
    (``'normal'`` -> ``'chat'``, ``'new_chat_participant'`` -> ``'new_chat_members'``)."""
    return _OLD_NAMES.get(name, str(name))


CHAT = _name('chat')

#: Update field -> flavor of the object it carries (every Message field -> 'chat').
_UPDATE_FLAVOR: Dict[str, AliasedStr] = {
    f: CHAT if types == ('Message',) else _name(f)
    for f, _, types in spec.TYPES['Update'] if f != 'update_id'}

#: Content types in glance() priority order (a photo with a caption is 'photo').
all_content_types: List[AliasedStr] = [_name(t) for t in spec.MESSAGE_CONTENT_TYPES]
_CONTENT_RANK: Dict[str, int] = {t: i for i, t in enumerate(spec.MESSAGE_CONTENT_TYPES)}
_MESSAGE_FIELDS = frozenset(f for f, _, _ in spec.TYPES['Message'])

chat_flavors: List[AliasedStr] = [CHAT]
inline_flavors: List[AliasedStr] = [_name('inline_query'), _name('chosen_inline_result')]

#: Structural recognition of objects that come without an update_type, in checking order:
#: (flavor, keys that must all be present).  Chat messages are recognised before this.
_SIGNATURES: Tuple[Tuple[AliasedStr, Tuple[str, ...]], ...] = tuple(
    (_name(f), keys) for f, keys in (
        ('message_reaction', ('message_id', 'new_reaction')),
        ('message_reaction_count', ('message_id', 'reactions')),
        ('widget_query', ('id', 'chat_instance', 'type', 'data')),
        ('shared_widget_query', ('id', 'widget_id', 'type', 'data')),
        ('callback_query', ('id', 'chat_instance')),
        ('chosen_inline_result', ('result_id', 'query')),
        ('inline_query', ('id', 'query', 'offset')),
        ('shipping_query', ('id', 'shipping_address')),
        ('pre_checkout_query', ('id', 'total_amount')),
        ('poll_answer', ('poll_id', 'option_ids')),
        ('poll', ('id', 'question', 'options')),
        ('chat_member', ('old_chat_member', 'new_chat_member')),
        ('chat_join_request', ('chat', 'user_chat_id')),
        ('business_connection', ('id', 'user_chat_id', 'is_enabled')),
        ('deleted_business_messages', ('business_connection_id', 'message_ids')),
        ('chat_boost', ('chat', 'boost')),
        ('removed_chat_boost', ('boost_id', 'remove_date')),
        ('purchased_paid_media', ('paid_media_payload',)),
        ('managed_bot', ('user', 'bot')),
        ('subscription', ('user', 'invoice_payload', 'state')),
        ('stopped_message_generation', ('chat', 'draft_id')),
    ))


def _bad(offender: Any, reason: str) -> Exception:
    from .exception import BadFlavor
    return BadFlavor(offender, reason)


def _describe(obj: Any) -> str:
    if isinstance(obj, Mapping):
        keys = sorted(str(k) for k in obj)
        shown = ', '.join(keys[:8]) + (', ...' if len(keys) > 8 else '')
        return 'a dict with keys [%s]' % shown
    return 'a %s' % type(obj).__name__


# ---------------------------------------------------------------------------- updates

class UpdateMsg(dict):
    """The object an Update carries, as handed to user code: a plain dict (telepot's
    custom) that also tells which Update field it came from.

    ``update_type`` is that field's name (``'message'``, ``'edited_message'``,
    ``'business_message'``, ``'my_chat_member'``, ...) and ``update_id`` the Update's id;
    ``redelivered`` is True for an update a bot with a store delivers again after a restart.
    Copies made with ``dict(msg)`` are plain dicts without them.
    """

    __slots__ = ('update_type', 'update_id', '_names', '_redelivered', '_origin')
    # _origin: what handed it on, when the store needs to know (a cluster worker's ticket)

    update_type: str
    update_id: Optional[int]

    @property
    def redelivered(self) -> bool:
        """True when this update was handed to user code before (by a process that stopped
        or died before the update was done) and comes again from the bot's store."""
        try:
            return self._redelivered
        except AttributeError:
            return False


_UPDATE_RANK = {f: i for i, f in enumerate(spec.UPDATE_TYPES)}


def unwrap_update(update: Mapping[str, Any]) -> UpdateMsg:
    """The object ``update`` carries, as an :class:`UpdateMsg`.

    The carrying field is the one key besides ``update_id`` (when several are present the
    first in spec order wins; a key this Bot API snapshot does not know is accepted, so a
    newer API's update kinds get through).  Raises ``BadFlavor`` naming what is missing
    when ``update`` is not an Update.
    """
    if type(update) is not dict and not isinstance(update, Mapping):
        raise _bad(update, 'not an Update: %s, not a dict' % _describe(update))
    kind = None
    for k in update:
        if k != 'update_id':
            if kind is None or _UPDATE_RANK.get(k, 999) < _UPDATE_RANK.get(kind, 999):
                kind = k
    if kind is None or 'update_id' not in update:
        raise _bad(update, 'not an Update: %s has no %s' % (
            _describe(update), "'update_id'" if kind is not None
            else 'field besides update_id' if 'update_id' in update
            else "'update_id' and no update field"))
    inner = update[kind]
    if type(inner) is not dict and not isinstance(inner, Mapping):
        raise _bad(update, 'not an Update: its %r field is %s, not an object'
                   % (kind, _describe(inner)))
    msg = UpdateMsg(inner)
    msg.update_type = kind
    msg.update_id = update['update_id']
    msg._names = None
    return msg


def update_of(msg: UpdateMsg) -> Dict[str, Any]:
    """The Update dict ``msg`` was unwrapped from (what :func:`unwrap_update` was given,
    as a new dict around a copy of the object)."""
    return {'update_id': msg.update_id, msg.update_type: dict(msg)}


# ---------------------------------------------------------------------------- generations

#: telepot 6.3's names for today's flavors and content types.  Each is an AliasedStr that
#: hashes (and prints) as the old name and still equals today's name.
_NAMES_63: Dict[str, AliasedStr] = {
    new: AliasedStr(old, [new] + [o for o, n in _OLD_NAMES.items() if n == new and o != old])
    for old, new in (('normal', 'chat'), ('new_chat_participant', 'new_chat_members'),
                     ('left_chat_participant', 'left_chat_member'))}

#: The telepot generations whose names a message can carry (see :func:`use_names`).
_GENERATIONS = ('6.3', '12')


def use_names(msg: Any, generation: str) -> Any:
    """Make :func:`flavor`, :func:`glance` and :func:`flance` name ``msg`` (an
    :class:`UpdateMsg`) as telepot ``generation`` did: ``'6.3'`` gives ``'normal'`` for chat
    messages and ``'new_chat_participant'`` / ``'left_chat_participant'`` for those content
    types, so a dict keyed by those names finds them; ``'12'`` gives today's names (the
    default).  Either way the names compare equal to all their spellings.  Update loops call
    this: ``notifyOnMessage`` (telepot 6.3's entry point) names its messages the 6.3 way.
    Returns ``msg``; anything but an UpdateMsg is returned untouched."""
    if generation not in _GENERATIONS:
        raise ValueError('generation is %s, not %r' % (' or '.join(map(repr, _GENERATIONS)),
                                                        generation))
    if type(msg) is UpdateMsg or isinstance(msg, UpdateMsg):
        msg._names = _NAMES_63 if generation == '6.3' else None
    return msg


def _named(msg: Any, name: AliasedStr) -> AliasedStr:
    """``name`` as ``msg``'s generation spells it."""
    names = getattr(msg, '_names', None)
    if names is None:
        return name
    return names.get(name, name)


# ---------------------------------------------------------------------------- flavor

def flavor(msg: Mapping[str, Any]) -> AliasedStr:
    """The flavor of a message or event.

    'chat' for messages (also equal to 'normal' and 'message'); 'callback_query',
    'inline_query', 'chosen_inline_result', 'shipping_query', 'pre_checkout_query'; for the
    other update kinds the Update field name ('poll', 'poll_answer', 'my_chat_member',
    'chat_member', 'chat_join_request', 'message_reaction', 'message_reaction_count',
    'chat_boost', 'removed_chat_boost', 'business_connection',
    'deleted_business_messages', 'purchased_paid_media', 'managed_bot', 'subscription',
    'stopped_message_generation', 'widget_query', 'shared_widget_query'); for an event
    ``{'_name': data}`` its key.  An :class:`UpdateMsg` is told by its ``update_type``
    (which is how 'my_chat_member' differs from 'chat_member'; a plain dict of that shape is
    'chat_member').  Raises ``BadFlavor`` naming what is missing when ``msg`` is none of these.
    """
    if type(msg) is UpdateMsg:
        f = _UPDATE_FLAVOR.get(msg.update_type)
        if f is not None:
            if f is CHAT:
                try:
                    names = msg._names
                except AttributeError:      # an UpdateMsg made elsewhere: today's names
                    return f
                if names is not None:
                    return names['chat']
            return f
    elif type(msg) is not dict and not isinstance(msg, Mapping):
        raise _bad(msg, 'no flavor: %s is not a message (a dict)' % _describe(msg))
    if 'message_id' in msg and 'chat' in msg and 'new_reaction' not in msg \
            and 'reactions' not in msg and 'chat_instance' not in msg:
        return _named(msg, CHAT)
    for f, keys in _SIGNATURES:
        for k in keys:
            if k not in msg:
                break
        else:
            return f
    if len(msg) == 1:
        key = next(iter(msg))
        if isinstance(key, str) and key.startswith('_'):
            return _name(key)
    if type(msg) is UpdateMsg:         # an update kind newer than this snapshot
        return _name(msg.update_type)
    if 'update_id' in msg:
        reason = 'no flavor: this is a whole Update; unwrap it first with unwrap_update()'
    else:
        reason = ('no flavor: %s -- not a message (no message_id and chat), not an event '
                  '(one key starting with _), and not any object an Update carries'
                  % _describe(msg))
    raise _bad(msg, reason)


def is_event(msg: Mapping[str, Any]) -> bool:
    """Whether ``msg`` is an event (``{'_name': data}``): its flavor starts with '_'."""
    return flavor(msg).startswith('_')


def peel(event: Mapping[str, Any]) -> Any:
    """The content of an event ``{'_name': data}`` -> ``data``."""
    for v in event.values():
        return v
    raise _bad(event, 'not an event: an empty dict')


def fleece(event: Mapping[str, Any]) -> Tuple[AliasedStr, Any]:
    """``(flavor(event), peel(event))``."""
    return flavor(event), peel(event)


# ---------------------------------------------------------------------------- glance

def _content_type(msg: Mapping[str, Any]) -> str:
    best = None
    rank = 1 << 30
    for k in msg:
        r = _CONTENT_RANK.get(k)
        if r is not None and r < rank:
            best, rank = k, r
    if best is not None:
        return all_content_types[rank]
    for k in msg:                      # telepot-era fields, still sent by Telegram
        if k in _OLD_NAMES:
            return _name(_OLD_NAMES[k])
    for k in msg:                      # a content type newer than this snapshot
        if k not in _MESSAGE_FIELDS:
            return _name(k) if isinstance(k, str) else str(k)
    return _name('unsupported')


def _actor(obj: Mapping[str, Any], user_key: str, chat_key: str) -> Any:
    who = obj.get(user_key) or obj.get(chat_key)
    return who['id'] if who else None


def _g_chat(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    chat = m['chat']
    ct = _content_type(m)
    if getattr(m, '_names', None) is not None:
        ct = _named(m, ct)
    if long:
        return ct, chat['type'], chat['id'], m['date'], m['message_id']
    return ct, chat['type'], chat['id']


def _g_callback_query(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['id'], m['from']['id'], m.get('data')


def _g_inline_query(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['id'], m['from']['id'], m['query'], m['offset']
    return m['id'], m['from']['id'], m['query']


def _g_chosen_inline_result(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['result_id'], m['from']['id'], m['query']


def _g_shipping_query(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['id'], m['from']['id'], m['invoice_payload']


def _g_pre_checkout_query(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['id'], m['from']['id'], m['invoice_payload'], m['currency'], m['total_amount']
    return m['id'], m['from']['id'], m['invoice_payload']


def _g_poll(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['id'], m['question'], m['total_voter_count'], m['is_closed'], m['type']
    return m['id'], m['question'], m['total_voter_count']


def _g_poll_answer(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['poll_id'], _actor(m, 'user', 'voter_chat'), m['option_ids']


def _g_chat_member(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    new = m['new_chat_member']
    if long:
        return (m['chat']['id'], new['user']['id'], new['status'],
                m['old_chat_member']['status'], m['from']['id'], m['date'])
    return m['chat']['id'], new['user']['id'], new['status']


def _g_chat_join_request(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['chat']['id'], m['from']['id'], m['user_chat_id'], m['date'], m.get('bio')
    return m['chat']['id'], m['from']['id'], m['user_chat_id']


def _g_message_reaction(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return (m['chat']['id'], m['message_id'], m['new_reaction'], m['old_reaction'],
                _actor(m, 'user', 'actor_chat'), m['date'])
    return m['chat']['id'], m['message_id'], m['new_reaction']


def _g_message_reaction_count(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['chat']['id'], m['message_id'], m['reactions'], m['date']
    return m['chat']['id'], m['message_id'], m['reactions']


def _g_chat_boost(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    b = m['boost']
    if long:
        return (m['chat']['id'], b['boost_id'], b['source']['source'], b['add_date'],
                b['expiration_date'])
    return m['chat']['id'], b['boost_id'], b['source']['source']


def _g_removed_chat_boost(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['chat']['id'], m['boost_id'], m['source']['source'], m['remove_date']
    return m['chat']['id'], m['boost_id'], m['source']['source']


def _g_business_connection(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['id'], m['user']['id'], m['is_enabled'], m['user_chat_id'], m['date']
    return m['id'], m['user']['id'], m['is_enabled']


def _g_deleted_business_messages(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['business_connection_id'], m['chat']['id'], m['message_ids']


def _g_purchased_paid_media(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['from']['id'], m['paid_media_payload']


def _g_managed_bot(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['user']['id'], m['bot']['id']


def _g_widget_query(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        kind = m['type']
        return m['id'], m['from']['id'], m['data'], kind.get('type') if isinstance(
            kind, Mapping) else kind, m.get('widget_id')
    return m['id'], m['from']['id'], m['data']


def _g_subscription(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    return m['user']['id'], m['invoice_payload'], m['state']


def _g_stopped_message_generation(m: Mapping[str, Any], long: bool) -> Tuple[Any, ...]:
    if long:
        return m['chat']['id'], m['draft_id'], m.get('message_thread_id')
    return m['chat']['id'], m['draft_id']


_GLANCERS = {
    'chat': _g_chat,
    'callback_query': _g_callback_query,
    'inline_query': _g_inline_query,
    'chosen_inline_result': _g_chosen_inline_result,
    'shipping_query': _g_shipping_query,
    'pre_checkout_query': _g_pre_checkout_query,
    'poll': _g_poll,
    'poll_answer': _g_poll_answer,
    'chat_member': _g_chat_member,
    'my_chat_member': _g_chat_member,
    'chat_join_request': _g_chat_join_request,
    'message_reaction': _g_message_reaction,
    'message_reaction_count': _g_message_reaction_count,
    'chat_boost': _g_chat_boost,
    'removed_chat_boost': _g_removed_chat_boost,
    'business_connection': _g_business_connection,
    'deleted_business_messages': _g_deleted_business_messages,
    'purchased_paid_media': _g_purchased_paid_media,
    'managed_bot': _g_managed_bot,
    'subscription': _g_subscription,
    'widget_query': _g_widget_query,
    'shared_widget_query': _g_widget_query,
    'stopped_message_generation': _g_stopped_message_generation,
}


def glance(msg: Mapping[str, Any], flavor: str = 'chat', long: bool = False) -> Tuple[Any, ...]:
    """Headline information about ``msg`` of the given ``flavor`` (default 'chat', which
    telepot 6.3's 'normal' also names); ``long=True`` gives a longer tuple for some flavors.
    The tuple of every flavor is listed in the reference.  Raises ``BadFlavor`` for a flavor
    glance does not know, or when ``msg`` lacks a field its flavor always has.
    """
    fn = _GLANCERS.get(_OLD_NAMES.get(flavor, flavor))
    if fn is None:
        raise _bad(flavor, 'glance() knows no flavor %r' % (flavor,))
    try:
        return fn(msg, long)
    except (KeyError, TypeError) as e:
        what = ("field %s" % e) if isinstance(e, KeyError) else 'the expected structure'
        raise _bad(msg, 'glance(flavor=%r): %s lacks %s' % (str(flavor), _describe(msg), what)
                   ) from None


#: telepot 6.3's earlier name of :func:`glance`.
glance2 = glance


def flance(msg: Mapping[str, Any], long: bool = False) -> Tuple[AliasedStr, Tuple[Any, ...]]:
    """``(flavor(msg), glance(msg, flavor(msg), long))``."""
    f = flavor(msg)
    return f, glance(msg, flavor=f, long=long)


# ---------------------------------------------------------------------------- identifiers

def message_identifier(msg: Mapping[str, Any]) -> Tuple[Any, ...]:
    """The identifier to edit ``msg`` with (``bot.editMessageText(ident, ...)``):
    ``(chat_id, message_id)`` for a chat message, ``(inline_message_id,)`` for a chosen
    inline result or anything else carrying an inline_message_id.  ValueError otherwise."""
    if 'chat' in msg and 'message_id' in msg:
        return msg['chat']['id'], msg['message_id']
    if 'inline_message_id' in msg:
        return msg['inline_message_id'],
    raise ValueError('no message identifier: %s has neither chat and message_id nor '
                     'inline_message_id' % _describe(msg))


def origin_identifier(msg: Mapping[str, Any]) -> Tuple[Any, ...]:
    """The identifier of the message a callback query came from: ``(chat_id, message_id)``
    or ``(inline_message_id,)``.  ValueError when the query has neither."""
    if 'message' in msg:
        return msg['message']['chat']['id'], msg['message']['message_id']
    if 'inline_message_id' in msg:
        return msg['inline_message_id'],
    raise ValueError('no origin: %s has neither message nor inline_message_id'
                     % _describe(msg))

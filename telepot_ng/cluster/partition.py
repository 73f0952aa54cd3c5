"""Which partition an update belongs to.

Every update of one chat (or, with ``by='user'``, of one user) lands in the same partition,
so one worker at a time sees them, in the order Telegram sent them.

How it relates to the seed functions of :mod:`telepot_ng.delegate`:

* ``by='chat'`` (default) keeps the order of everything a ``per_chat_id``,
  ``per_callback_query_chat_id`` or ``per_chat_id_in/except`` handler sees.  In private chats
  the chat id is the user id, so ``per_from_id`` handlers of private-chat bots are in order too.
* ``by='user'`` keeps the order of everything one user does, in all chats: choose it when the
  bot's handlers are ``per_from_id``/``per_inline_from_id`` and users talk to it in groups.
* Updates that carry neither a chat nor a user (``poll``, a few service updates) are keyed by
  their own object id (or go to partition 0): they have no per-chat order to keep.
"""
from __future__ import annotations

import zlib
from typing import Any, Mapping, Optional

__all__ = ['partition_key', 'partition_of', 'partition_for', 'event_partition']

_BY = ('chat', 'user')


def _payload(update: Mapping[str, Any]) -> Any:
    for k, v in update.items():
        if k != 'update_id' and isinstance(v, dict):
            return v
    return None


def _chat_id(obj: Mapping[str, Any]) -> Optional[int]:
    chat = obj.get('chat')
    if isinstance(chat, dict) and 'id' in chat:
        return chat['id']
    msg = obj.get('message')           # callback_query, and anything that wraps a message
    if isinstance(msg, dict):
        chat = msg.get('chat')
        if isinstance(chat, dict) and 'id' in chat:
            return chat['id']
    return None


def _user_id(obj: Mapping[str, Any]) -> Optional[int]:
    for field in ('from', 'user', 'sender_user'):
        user = obj.get(field)
        if isinstance(user, dict) and 'id' in user:
            return user['id']
    return None


def partition_key(update: Mapping[str, Any], by: str = 'chat') -> Any:
    """The value that decides ``update``'s partition: a chat id, a user id, or an object id.

    :param by: ``'chat'`` (the chat, else the user) or ``'user'`` (the user, else the chat).
    """
    if by not in _BY:
        raise ValueError("by is 'chat' or 'user', not %r" % (by,))
    obj = _payload(update)
    if obj is None:
        return None
    first, second = (_chat_id, _user_id) if by == 'chat' else (_user_id, _chat_id)
    key = first(obj)
    if key is None:
        key = second(obj)
    if key is None:
        key = obj.get('id')
    return key


def partition_of(update: Mapping[str, Any], partitions: int, by: str = 'chat') -> int:
    """The partition (``0 <= p < partitions``) that ``update`` is appended to.

    A stable hash (CRC-32 of the key's text), the same in every process and Python version.
    """
    if partitions < 1:
        raise ValueError('partitions must be at least 1')
    return partition_for(partition_key(update, by), partitions)


def partition_for(key: Any, partitions: int) -> int:
    """The partition of a partition key (a chat or user id; None: partition 0)."""
    if key is None:
        return 0
    return zlib.crc32(str(key).encode('utf-8')) % partitions


def event_partition(data: Any, partitions: int) -> int:
    """The partition of a scheduled event: that of its source (``{'_flavor': {'source':
    {'id': seed}}}``, as a handler's ``self.scheduler`` makes it), else of a ``chat`` it
    names, else partition 0.  A ``per_chat_id`` handler's events go where its chat's
    updates go, so the worker that owns the chat fires them."""
    if isinstance(data, Mapping):
        for inner in data.values():
            if not isinstance(inner, Mapping):
                continue
            for field in ('source', 'chat'):
                obj = inner.get(field)
                if isinstance(obj, Mapping) and obj.get('id') is not None:
                    return partition_for(obj['id'], partitions)
    return 0

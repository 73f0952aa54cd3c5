"""Namedtuple classes for every Bot API type, plus telepot's ``namedtuple(dict, type)``.

``Message(**msg)`` and ``namedtuple(msg, 'Message')`` turn a received dict into a tuple
with every field present (None when absent), nested objects converted
(``.chat.id``, ``.from_.first_name``, lists of ``PhotoSize``).  The classes also build
objects to send: ``ForceReply()``, ``InlineKeyboardMarkup(inline_keyboard=[[...]])``,
``InlineQueryResultArticle(id=..., title=..., input_message_content=...)``.  Fields
unknown to this Bot API snapshot are kept in ``obj._extra``; see the reference for the
rules (telepot_ng/_types.py implements them).
"""
from __future__ import annotations

import builtins
from typing import Any, Mapping, Union

from ._generated import types as _generated_types
from ._generated.types import *  # noqa: F401,F403 - every Bot API type
from ._types import ApiObject, lookup, make_legacy_type

#: telepot 6.3's name for Bot API 1.x's keyboard-hiding markup; sent as today's
#: ``ReplyKeyboardRemove`` (``hide_keyboard`` becomes ``remove_keyboard``).
ReplyKeyboardHide = make_legacy_type(
    'ReplyKeyboardHide',
    (('hide_keyboard', True, ('Boolean',)), ('selective', False, ('Boolean',))),
    'Hides a custom keyboard (telepot 6.3 / Bot API 1.x name of ReplyKeyboardRemove).',
    constants={'hide_keyboard': True})


def namedtuple(data: Mapping[str, Any], type: Union[str, type]) -> Any:
    """Convert ``data`` (a dict as Telegram sends it) to the namedtuple of ``type``.

    ``type`` is a Bot API type name such as ``'Message'`` (or the class itself).  Missing
    required fields become None instead of raising; unknown fields go to ``_extra``.
    """
    if isinstance(type, str):
        try:
            cls = lookup(type)
        except KeyError:
            raise ValueError('%r is not a Bot API type' % type) from None
    elif isinstance(type, builtins.type) and issubclass(type, ApiObject):
        cls = type
    else:
        raise TypeError('type must be a Bot API type name or class, not %r' % (type,))
    if not isinstance(data, Mapping):
        raise TypeError('namedtuple() converts a dict, not %s' % builtins.type(data).__name__)
    return cls._from_dict(data)


__all__ = list(_generated_types.__all__) + ['ReplyKeyboardHide', 'ApiObject', 'namedtuple']

"""Which Bot API calls count against Telegram's message limits, decided from the spec tables.

Telegram's limits are on *messages*: what appears in a chat. So a method counts when, by the
spec, it puts a message into a chat or changes one already there:

* **send** -- it returns ``Message``, ``Array of Message``, ``MessageId`` or
  ``Array of MessageId`` (sendMessage, sendPhoto ..., forwardMessage(s), copyMessage(s),
  sendMediaGroup, sendPoll, sendInvoice, sendGame ...): counts in its chat and overall
  (or in the paid allowance when called with ``allow_paid_broadcast=True``).
* **edit** -- it returns ``Message`` (or ``True`` for inline messages) and is not a getter:
  editMessageText/Caption/Media/ReplyMarkup/LiveLocation/Checklist, stopMessageLiveLocation,
  setGameScore. Edits count like sends (Telegram floods edits the same way); an edit by
  ``inline_message_id`` has no chat known to the bot and counts overall only.

Everything else goes out at once, and why:

* **updates and webhooks** (getUpdates, setWebhook, ...): not messages; holding the long
  poll back would only delay what users sent.
* **getters** (``get*``, including getUserPersonalChatMessages which returns messages it
  reads): read-only, never shown to anyone, not under the message limits.
* **answers to queries** (answerCallbackQuery, answerInlineQuery, answerShippingQuery,
  answerPreCheckoutQuery, answerWebAppQuery, ...): they reply to a query the user is
  waiting on, with a short deadline of Telegram's own (a callback answer is expected within
  seconds, a pre-checkout within 10 s); they are not chat messages, so queueing them behind
  a broadcast would only break them.
* **chat actions and drafts** (sendChatAction, sendMessageDraft, sendRichMessageDraft):
  transient status, not messages; they return ``True``.
* **administration** (ban/restrict/promote, invite links, chat settings, pins, deletions,
  reactions, stickers, stories, gifts, business, payments bookkeeping, bot settings):
  not messages in a chat; Telegram has no published limit for them.

A 429 on an uncounted call is still honoured by the transport (it waits ``retry_after``).
"""
from __future__ import annotations

from typing import Any, FrozenSet, Mapping, NamedTuple, Optional, Tuple

from .._generated import spec

__all__ = ['COUNTED_METHODS', 'Scope', 'scope_of']

_SENDS = frozenset(['Message', 'Array of Message', 'MessageId', 'Array of MessageId'])


def _counted(methods: Mapping[str, Any]) -> FrozenSet[str]:
    out = set()
    for name, (returns, _params) in methods.items():
        if name.startswith('get'):
            continue
        if not _SENDS.isdisjoint(returns):
            out.add(name)
    return frozenset(out)


#: Bot API methods the limiter paces (see the module's docstring for the rule).
COUNTED_METHODS: FrozenSet[str] = _counted(spec.METHODS)


class Scope(NamedTuple):
    """Where one call counts: its chat (a key such as ``('private', 42)`` or
    ``('group', -100123)``, or None when no chat is known) and its overall allowance
    (``'global'`` or ``'paid'``)."""
    chat: Optional[Tuple[str, Any]]
    pool: str


def chat_key(chat_id: Any) -> Optional[Tuple[str, Any]]:
    """The limiter's key for a ``chat_id`` value: private chats are positive integers,
    groups, supergroups and channels negative integers or ``@username``."""
    if isinstance(chat_id, bool):
        return None
    if isinstance(chat_id, int):
        return ('private', chat_id) if chat_id > 0 else ('group', chat_id)
    if isinstance(chat_id, str):
        s = chat_id.strip()
        digits = s[1:] if s[:1] == '-' else s
        if digits.isdigit():
            return chat_key(int(s))
        if s:
            return ('group', s.lower())
    return None


def scope_of(method: str, params: Mapping[str, Any]) -> Optional[Scope]:
    """The scope a call counts in, or None when the method is not counted."""
    if method not in COUNTED_METHODS:
        return None
    pool = 'paid' if params.get('allow_paid_broadcast') is True else 'global'
    return Scope(chat_key(params.get('chat_id')), pool)

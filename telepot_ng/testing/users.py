"""Simulated users, groups and channels: small objects whose actions become updates for the bot."""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

if TYPE_CHECKING:   # pragma: no cover
    from .fake import Call, FakeTelegram

__all__ = ['SimUser', 'SimGroup', 'SimChannel', 'chat_id_of']

Chatish = Union['SimUser', 'SimGroup', 'SimChannel', Dict[str, Any], int, str, None]


def chat_id_of(chat: Any) -> Any:
    """The chat id of a simulated user/group/channel, a Chat or Message dict, or an id."""
    if isinstance(chat, (SimUser, SimGroup, SimChannel)):
        return chat.chat_id
    if isinstance(chat, dict):
        inner = chat.get('chat')
        return inner['id'] if isinstance(inner, dict) else chat.get('id')
    return chat


def _message_ref(message: Any) -> 'tuple[Any, Any]':
    """(chat id, message_id) of a Message dict, or of a Call whose result is one."""
    msg = getattr(message, 'result', message)
    if not isinstance(msg, dict) or 'message_id' not in msg or 'chat' not in msg:
        raise TypeError('expected a Message dict (or a Call that returned one)')
    return msg['chat']['id'], msg['message_id']


def _file(kind: str, data: bytes, file_name: str, mime_type: Optional[str]) -> Dict[str, Any]:
    return {'kind': kind, 'data': base64.b64encode(data).decode(), 'file_name': file_name,
            'mime_type': mime_type or ''}


class _Actor:
    def __init__(self, tg: 'FakeTelegram') -> None:
        self.tg = tg
        self.last_seq = 0    # journal position of this actor's last update

    def _do(self, do: str, **fields: Any) -> Any:
        """Perform an action; return the payload of its first update (None inside tg.batch())."""
        pushed = self.tg._act(dict(fields, do=do))
        if pushed is None:
            return None
        self.last_seq = pushed[-1]['seq']
        return pushed[0]['payload']


class SimUser(_Actor):
    """A simulated user; their private chat with the bot has ``chat_id == id``."""

    def __init__(self, tg: 'FakeTelegram', user: Dict[str, Any]) -> None:
        super().__init__(tg)
        self.user = user
        self.id: int = user['id']
        self.chat_id: int = user['id']
        self.first_name: str = user['first_name']
        self.username: Optional[str] = user.get('username')

    def __repr__(self) -> str:
        return '<SimUser %s id=%d>' % (self.first_name, self.id)

    def says(self, text: str, chat: Chatish = None, reply_to: Any = None,
             entities: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
        """Send a text message (to the bot privately, or in ``chat``); return the Message."""
        return self._do('says', user=self.id, chat=chat_id_of(chat) or self.id, text=text,
                        entities=entities,
                        reply_to=None if reply_to is None else _message_ref(reply_to)[1])

    def sends(self, chat: Chatish = None, **content: Any) -> Dict[str, Any]:
        """Send a message with raw content fields, e.g. ``sends(location={...})``."""
        return self._do('says', user=self.id, chat=chat_id_of(chat) or self.id, content=content)

    def sends_photo(self, data: bytes = b'\xff\xd8\xff\xe0fake-jpeg', caption: Optional[str] = None,
                    chat: Chatish = None, file_name: str = 'photo.jpg') -> Dict[str, Any]:
        """Send a photo (stored, so the bot can getFile and download it)."""
        return self._do('says', user=self.id, chat=chat_id_of(chat) or self.id, caption=caption,
                        file=_file('photo', data, file_name, 'image/jpeg'))

    def sends_document(self, data: bytes, file_name: str = 'file.txt',
                       mime_type: Optional[str] = None, caption: Optional[str] = None,
                       chat: Chatish = None) -> Dict[str, Any]:
        """Send a document (stored, so the bot can getFile and download it)."""
        return self._do('says', user=self.id, chat=chat_id_of(chat) or self.id, caption=caption,
                        file=_file('document', data, file_name, mime_type))

    def sends_file(self, kind: str, data: bytes, file_name: str = '', caption: Optional[str] = None,
                   chat: Chatish = None, mime_type: Optional[str] = None) -> Dict[str, Any]:
        """Send media of ``kind``: audio, video, voice, animation, video_note, sticker, ..."""
        return self._do('says', user=self.id, chat=chat_id_of(chat) or self.id, caption=caption,
                        file=_file(kind, data, file_name, mime_type))

    def edits(self, message: Any, text: str) -> Dict[str, Any]:
        """Edit one of this user's messages; the bot gets an edited_message."""
        chat, mid = _message_ref(message)
        return self._do('edits', user=self.id, chat=chat, message_id=mid, text=text)

    def presses(self, message: Any, button: str) -> Dict[str, Any]:
        """Press the inline button with this callback_data (or text) under a bot message.

        ``message`` is the Message dict (or the Call of the send that returned it); the button is
        looked up in the message's current keyboard. An ephemeral message's buttons can be
        pressed only by its receiver. Returns the CallbackQuery."""
        chat, mid = _message_ref(message)
        eid = getattr(message, 'result', message).get('ephemeral_message_id')
        return self._do('presses', user=self.id, chat=chat, message_id=mid, button=button,
                        ephemeral_message_id=eid)

    def asks_inline(self, query: str, offset: str = '',
                    chat_type: Optional[str] = 'sender') -> Dict[str, Any]:
        """Type ``@bot query``; the bot gets an inline_query. Returns the InlineQuery."""
        return self._do('asks_inline', user=self.id, query=query, offset=offset,
                        chat_type=chat_type)

    def chooses_inline_result(self, result_id: str, query: str = '',
                              inline_message_id: Optional[str] = None) -> Dict[str, Any]:
        """Pick an inline result; the bot gets a chosen_inline_result."""
        return self._do('chooses_inline_result', user=self.id, result_id=result_id, query=query,
                        inline_message_id=inline_message_id)

    def says_ephemeral(self, text: str, chat: Chatish = None) -> Dict[str, Any]:
        """Send an ephemeral message only the bot sees (Bot API 10.3): the bot gets a
        message with ``message_id`` 0 and an ``ephemeral_message_id`` it can answer with an
        ephemeral reply (``reply_parameters={'ephemeral_message_id': ...}``) for 15 s."""
        return self._do('says_ephemeral', user=self.id, chat=chat_id_of(chat) or self.id,
                        text=text)

    def queries_widget(self, message: Any = None, data: str = 'ping', *,
                       widget_id: Optional[str] = None, query_type: str = 'data'
                       ) -> Dict[str, Any]:
        """Make the widget in ``message`` (sent with ``allow_queries=True``) query the bot: a
        widget_query update.  With ``widget_id`` instead, a shared widget queries it: a
        shared_widget_query.  ``data`` is 1-64 bytes; at most 5 queries per 5 seconds."""
        if widget_id is not None:
            return self._do('queries_widget', user=self.id, widget_id=widget_id, data=data,
                            query_type=query_type)
        chat, mid = _message_ref(message)
        return self._do('queries_widget', user=self.id, chat=chat, message_id=mid, data=data,
                        query_type=query_type)

    def stops_generation(self, draft_id: int, chat: Chatish = None) -> Dict[str, Any]:
        """Press "stop" on the draft the bot is streaming with sendMessageDraft (or
        sendRichMessageDraft) and ``can_stop=True``: a stopped_message_generation update.
        ``ValueError`` when the chat shows no such draft (unknown, older than 30 s, or sent
        without ``can_stop``)."""
        return self._do('stops_generation', user=self.id, chat=chat_id_of(chat) or self.id,
                        draft_id=draft_id)

    def subscription_changes(self, payload: str, state: str) -> Dict[str, Any]:
        """Cancel (``'canceled'``), re-enable (``'active'``) or fail to pay (``'failed'``) a
        subscription to the bot: a subscription update."""
        return self._do('subscription', user=self.id, payload=payload, state=state)

    def joins(self, group: Chatish) -> Dict[str, Any]:
        """Join a group (a new_chat_members message, then a chat_member update)."""
        return self._do('joins', user=self.id, chat=chat_id_of(group))

    def leaves(self, group: Chatish) -> Dict[str, Any]:
        """Leave a group (a left_chat_member message, then a chat_member update)."""
        return self._do('leaves', user=self.id, chat=chat_id_of(group))

    def blocks_bot(self) -> Dict[str, Any]:
        """Block the bot: a my_chat_member update; sends to this user then fail with 403."""
        return self._do('blocks_bot', user=self.id)

    def unblocks_bot(self) -> Dict[str, Any]:
        """Unblock the bot (a my_chat_member update)."""
        return self._do('unblocks_bot', user=self.id)

    def replies(self, count: int = 1, timeout: float = 5.0, chat: Chatish = None) -> List['Call']:
        """Wait for ``count`` messages the bot sent to this user's chat (or ``chat``) since this
        user's last action; return them."""
        return self.tg.wait_for_sent(None, chat_id=chat_id_of(chat) or self.chat_id, count=count,
                                     timeout=timeout, since=self.last_seq)

    def reply(self, timeout: float = 5.0, chat: Chatish = None) -> 'Call':
        """The first message the bot sent to this chat after this user's last action."""
        return self.replies(1, timeout, chat)[0]


class _SimChat(_Actor):
    def __init__(self, tg: 'FakeTelegram', chat: Dict[str, Any]) -> None:
        super().__init__(tg)
        self.chat = chat
        self.id: int = chat['id']
        self.chat_id: int = chat['id']
        self.title: str = chat['title']

    def __repr__(self) -> str:
        return '<%s %s id=%d>' % (type(self).__name__, self.title, self.id)

    def _bot(self, do: str, by: Optional[SimUser]) -> Dict[str, Any]:
        return self._do(do, chat=self.id, user=by.id if by is not None else None)

    def removes_bot(self, by: Optional[SimUser] = None) -> Dict[str, Any]:
        """Remove the bot (a my_chat_member update); then the bot's calls for this chat get
        403 ``Forbidden: bot was kicked from the <type> chat``. ``by``: who did it (default:
        a member)."""
        return self._bot('removes_bot', by)

    def adds_bot(self, by: Optional[SimUser] = None) -> Dict[str, Any]:
        """Add the bot back as a plain member (a my_chat_member update)."""
        return self._bot('adds_bot', by)

    def demotes_bot(self, by: Optional[SimUser] = None) -> Dict[str, Any]:
        """Make the bot a plain member: methods that need administrator rights then answer
        400 (in a channel, so does posting)."""
        return self._bot('demotes_bot', by)

    def promotes_bot(self, by: Optional[SimUser] = None) -> Dict[str, Any]:
        """Make the bot an administrator again (a my_chat_member update)."""
        return self._bot('promotes_bot', by)


class SimGroup(_SimChat):
    """A simulated group or supergroup the bot belongs to (as an administrator, unless
    demoted)."""

    def add(self, user: SimUser) -> Dict[str, Any]:
        """``user`` joins this group."""
        return user.joins(self)

    def migrates(self, by: Optional[SimUser] = None) -> Optional['SimGroup']:
        """Upgrade this group to a supergroup: the bot gets a ``migrate_to_chat_id`` message
        here and a ``migrate_from_chat_id`` one in the supergroup, and calls for this group's
        id then answer 400 ``group chat was upgraded to a supergroup chat`` with
        ``parameters.migrate_to_chat_id``. Returns the supergroup (None inside tg.batch())."""
        first = self._bot('migrates', by)
        if first is None:
            return None
        return SimGroup(self.tg, {'id': first['migrate_to_chat_id'], 'type': 'supergroup',
                                  'title': self.title})


class SimChannel(_SimChat):
    """A simulated channel; its posts reach the bot as channel_post updates."""

    def posts(self, text: Optional[str] = None, **content: Any) -> Dict[str, Any]:
        """Publish a post (text, or raw content fields); return the Message."""
        fields: Dict[str, Any] = {'chat': self.id, 'content': content}
        if text is not None:
            fields['text'] = text
        return self._do('posts', **fields)

    def edits_post(self, message: Any, text: str) -> Dict[str, Any]:
        """Edit a post; the bot gets an edited_channel_post."""
        return self._do('edits_post', chat=self.id, message_id=_message_ref(message)[1],
                        text=text)

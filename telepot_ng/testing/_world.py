"""The fake Telegram's world: the bot, users, chats, messages and files, with their ids."""
from __future__ import annotations

import itertools
import mimetypes
import time
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from ._objects import plausible
from ._params import ApiError, bad_request

__all__ = ['World', 'FileRecord', 'MEDIA_KINDS']

# message field / send parameter -> (spec type, file_path folder, default extension, id prefix)
MEDIA_KINDS: Dict[str, Tuple[str, str, str, str]] = {
    'photo': ('PhotoSize', 'photos', '.jpg', 'AgAC'),
    'document': ('Document', 'documents', '', 'BQAC'),
    'audio': ('Audio', 'music', '.mp3', 'CQAC'),
    'video': ('Video', 'videos', '.mp4', 'BAAC'),
    'animation': ('Animation', 'animations', '.mp4', 'CgAC'),
    'voice': ('Voice', 'voice', '.oga', 'AwAC'),
    'video_note': ('VideoNote', 'video_notes', '.mp4', 'DQAC'),
    'sticker': ('Sticker', 'stickers', '.webp', 'CAAC'),
    'live_photo': ('LivePhoto', 'live_photos', '.mp4', 'EgAC'),
}
_PHOTO_SIZES = ((90, 68), (320, 240), (1280, 960))


class FileRecord:
    """A stored file: its ids, the path it is downloaded from, and its bytes."""

    __slots__ = ('file_id', 'file_unique_id', 'file_path', 'data', 'file_name', 'mime_type', 'kind')

    def __init__(self, file_id: str, file_unique_id: str, file_path: str, data: bytes,
                 file_name: str, mime_type: str, kind: str) -> None:
        self.file_id = file_id
        self.file_unique_id = file_unique_id
        self.file_path = file_path
        self.data = data
        self.file_name = file_name
        self.mime_type = mime_type
        self.kind = kind

    def as_file(self, file_id: Optional[str] = None) -> Dict[str, Any]:
        """The Bot API ``File`` object for getFile."""
        return {'file_id': file_id or self.file_id, 'file_unique_id': self.file_unique_id,
                'file_size': len(self.data), 'file_path': self.file_path}


class World:
    """Accounts, chats, stored messages and files. Message dicts are never mutated once stored."""

    def __init__(self, token: str, bot_name: str = 'Fake Bot',
                 bot_username: Optional[str] = None, strict_chats: bool = False) -> None:
        head = token.split(':', 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456789
        username = bot_username or 'fake_%d_bot' % self.bot_id
        # getMe's answer: a BotFullInfo (Bot API 10.5), flat, so it is also the User of 10.4
        self.bot_user: Dict[str, Any] = {
            'id': self.bot_id, 'is_bot': True, 'first_name': bot_name,
            'username': username, 'active_usernames': [username],
            'can_join_groups': True, 'can_read_all_group_messages': False,
            'supports_inline_queries': True, 'can_connect_to_business': False,
            'has_main_web_app': False,
        }
        self.strict_chats = strict_chats
        self.users: Dict[int, Dict[str, Any]] = {self.bot_id: self._public_user(self.bot_user)}
        self.chats: Dict[int, Dict[str, Any]] = {}
        self.members: Dict[int, Set[int]] = {}
        self.usernames: Dict[str, int] = {}
        self.blocked: Set[int] = set()
        self.migrated: Dict[int, int] = {}        # group id -> the supergroup it became
        self.bot_gone: Dict[int, str] = {}        # chat id -> 'kicked' or 'left'
        self.not_admin: Set[int] = set()          # groups/channels where the bot is no admin
        self.query_timeout = 15.0                 # seconds a callback/inline query stays fresh
        self.download_limit: Optional[int] = 20 * 1024 * 1024    # getFile; None: no limit
        self.local_mode = False                   # a local Bot API server: file:// uploads
        self.messages: Dict[Tuple[int, int], Dict[str, Any]] = {}
        self.inline_messages: Dict[str, Dict[str, Any]] = {}
        self.files: Dict[str, FileRecord] = {}
        self.file_paths: Dict[str, FileRecord] = {}
        self.queries: Dict[str, str] = {}          # callback/inline query id -> kind
        self.answered: Set[str] = set()
        self.state: Dict[str, Any] = {}           # what set* methods stored, for their get*
        # ephemeral messages (Bot API 10.3), seen only by their receiver and the bot:
        # (chat_id, receiver user id, ephemeral_message_id) -> Message
        self.ephemeral: Dict[Tuple[int, int, int], Dict[str, Any]] = {}
        self._next_ephemeral: Dict[int, int] = {}
        self.ephemeral_queries: Set[str] = set()    # callback queries from ephemeral messages
        self.widgets: Dict[str, Dict[str, Any]] = {}      # shared widgets (10.4) by widget_id
        self.drafts: Dict[Tuple[int, Any], Dict[str, Any]] = {}   # (chat_id, draft_id) -> draft
        self.query_times: Dict[str, float] = {}            # query id -> when it was made
        self._next_mid: Dict[int, int] = {}
        self._user_ids = itertools.count(1000001)
        self._group_ids = itertools.count(4000001)
        self._super_ids = itertools.count(1000000001)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._media_groups = itertools.count(1)

    # -- accounts and chats -------------------------------------------------------------------
    @staticmethod
    def _public_user(user: Dict[str, Any]) -> Dict[str, Any]:
        keys = ('id', 'is_bot', 'first_name', 'last_name', 'username', 'language_code')
        return {k: user[k] for k in keys if k in user}

    def new_user(self, first_name: str, last_name: Optional[str] = None,
                 username: Optional[str] = None, language_code: Optional[str] = 'en',
                 is_bot: bool = False, user_id: Optional[int] = None) -> Dict[str, Any]:
        """Create a user (and the private chat with the bot); return the User object."""
        uid = user_id if user_id is not None else next(self._user_ids)
        user: Dict[str, Any] = {'id': uid, 'is_bot': is_bot, 'first_name': first_name}
        if last_name:
            user['last_name'] = last_name
        if username:
            user['username'] = username
        if language_code:
            user['language_code'] = language_code
        self._remember_user(user)
        chat = {'id': uid, 'type': 'private', 'first_name': first_name}
        if last_name:
            chat['last_name'] = last_name
        if username:
            chat['username'] = username
        self._remember_chat(chat)
        return user

    def new_chat(self, chat_type: str, title: str, username: Optional[str] = None,
                 members: Iterable[int] = (), is_forum: bool = False) -> Dict[str, Any]:
        """Create a group, supergroup or channel the bot belongs to; return the Chat object."""
        if chat_type == 'group':
            cid = -next(self._group_ids)
        elif chat_type in ('supergroup', 'channel'):
            cid = -(1000000000000 + next(self._super_ids))
        else:
            raise bad_request('unknown chat type %r' % chat_type)
        chat: Dict[str, Any] = {'id': cid, 'type': chat_type, 'title': title}
        if username:
            chat['username'] = username
        if is_forum:
            chat['is_forum'] = True
        self._remember_chat(chat)
        self.members[cid] = set(members) | {self.bot_id}
        return chat

    def _remember_user(self, user: Dict[str, Any]) -> None:
        self.users[user['id']] = user
        if user.get('username'):
            self.usernames.setdefault(user['username'].lower(), user['id'])

    def _remember_chat(self, chat: Dict[str, Any]) -> None:
        self.chats[chat['id']] = chat
        self.members.setdefault(chat['id'], {self.bot_id})
        if chat.get('username'):
            self.usernames[chat['username'].lower()] = chat['id']

    def chat(self, ref: Any) -> Dict[str, Any]:
        """The Chat for a chat_id (number or '@username'); 400 'chat not found' otherwise."""
        if isinstance(ref, str):
            if ref.startswith('@'):
                cid = self.usernames.get(ref[1:].lower())
                if cid is None or cid not in self.chats:
                    raise bad_request('chat not found')
                return self.chats[cid]
            try:
                ref = int(ref)
            except ValueError:
                raise bad_request('chat not found')
        if not isinstance(ref, int) or isinstance(ref, bool):
            raise bad_request('chat not found')
        if ref in self.migrated:
            raise ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat',
                           {'migrate_to_chat_id': self.migrated[ref]})
        chat = self.chats.get(ref)
        if chat is None:
            if self.strict_chats or ref == 0:
                raise bad_request('chat not found')
            if ref > 0:
                self.new_user('User %d' % ref, user_id=ref)
            else:
                kind = 'supergroup' if str(ref).startswith('-100') else 'group'
                self._remember_chat({'id': ref, 'type': kind, 'title': 'Chat %d' % ref})
            chat = self.chats[ref]
        return chat

    def writable_chat(self, ref: Any) -> Dict[str, Any]:
        """Like chat(), plus the answers for a chat the bot cannot post in: a user who
        blocked it (403), a group it was removed from or left (403), a channel where it is
        not an administrator (400)."""
        chat = self.chat(ref)
        if chat['id'] in self.blocked:
            raise ApiError(403, 'Forbidden: bot was blocked by the user')
        self.member_chat(chat)
        if chat['type'] == 'channel' and chat['id'] in self.not_admin:
            raise bad_request('need administrator rights in the channel chat')
        return chat

    def member_chat(self, chat: Dict[str, Any]) -> Dict[str, Any]:
        """403 unless the bot is still in ``chat``."""
        gone = self.bot_gone.get(chat['id'])
        if gone == 'kicked':
            raise ApiError(403, 'Forbidden: bot was kicked from the %s chat' % chat['type'])
        if gone is not None:
            raise ApiError(403, 'Forbidden: bot is not a member of the %s chat' % chat['type'])
        return chat

    def bot_status(self, chat: Dict[str, Any]) -> str:
        """The bot's ChatMember status in ``chat``."""
        if chat['type'] == 'private':
            return 'member'
        gone = self.bot_gone.get(chat['id'])
        if gone is not None:
            return gone
        return 'member' if chat['id'] in self.not_admin else 'administrator'

    def migrate(self, group: Dict[str, Any]) -> Dict[str, Any]:
        """Upgrade a group to a supergroup (a new chat id, same members); return it."""
        if group['type'] != 'group':
            raise ValueError('only a group can be upgraded to a supergroup')
        new = self.new_chat('supergroup', group.get('title', ''),
                            members=self.members.get(group['id'], ()))
        self.migrated[group['id']] = new['id']
        if group['id'] in self.not_admin:
            self.not_admin.add(new['id'])
        return new

    def chat_name(self, chat_id: Any) -> str:
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            return str(chat_id)
        return chat.get('title') or chat.get('first_name') or str(chat_id)

    def user_name(self, user: Optional[Dict[str, Any]]) -> str:
        if not user:
            return '?'
        if user.get('id') == self.bot_id:
            return 'bot'
        return user.get('first_name') or str(user.get('id'))

    def learn(self, obj: Any) -> None:
        """Register the users, chats and messages a raw update mentions."""
        if isinstance(obj, dict):
            chat = obj.get('chat')
            if isinstance(chat, dict) and isinstance(chat.get('id'), int) and \
                    chat['id'] not in self.chats and 'type' in chat:
                self._remember_chat(dict(chat))
            sender = obj.get('from')
            if isinstance(sender, dict) and isinstance(sender.get('id'), int) and \
                    sender['id'] not in self.users:
                self._remember_user(dict(sender))
            if isinstance(chat, dict) and isinstance(obj.get('message_id'), int) and 'date' in obj:
                cid, mid = chat.get('id'), obj['message_id']
                if isinstance(cid, int):
                    self.messages.setdefault((cid, mid), obj)
                    if mid >= self._next_mid.get(cid, 1):
                        self._next_mid[cid] = mid + 1
            for value in obj.values():
                if isinstance(value, (dict, list)):
                    self.learn(value)
        elif isinstance(obj, list):
            for value in obj:
                self.learn(value)

    # -- messages -----------------------------------------------------------------------------
    def add_message(self, chat: Dict[str, Any], content: Dict[str, Any], *,
                    sender: Optional[Dict[str, Any]] = None,
                    reply_to: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Store a new message in ``chat`` with the chat's next message_id and return it."""
        cid = chat['id']
        mid = self._next_mid.get(cid, 1)
        self._next_mid[cid] = mid + 1
        msg: Dict[str, Any] = {'message_id': mid}
        if chat['type'] == 'channel':
            msg['sender_chat'] = chat
        elif sender is not None:
            msg['from'] = sender
        msg['chat'] = chat
        msg['date'] = int(time.time())
        if reply_to is not None:
            msg['reply_to_message'] = {k: v for k, v in reply_to.items()
                                       if k != 'reply_to_message'}
        msg.update(content)
        self.messages[(cid, mid)] = msg
        return msg

    def message(self, chat_id: int, message_id: Any) -> Optional[Dict[str, Any]]:
        if not isinstance(message_id, int):
            return None
        return self.messages.get((chat_id, message_id))

    def replace_message(self, msg: Dict[str, Any]) -> None:
        self.messages[(msg['chat']['id'], msg['message_id'])] = msg

    def delete_message(self, chat_id: int, message_id: Any) -> bool:
        return self.messages.pop((chat_id, message_id), None) is not None \
            if isinstance(message_id, int) else False

    def add_ephemeral(self, chat: Dict[str, Any], content: Dict[str, Any], *,
                      sender: Dict[str, Any], receiver: Dict[str, Any],
                      reply_to: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Store an ephemeral message for ``receiver`` in ``chat``: message_id 0 and the
        chat's next ephemeral_message_id, as Telegram numbers them."""
        cid = chat['id']
        eid = self._next_ephemeral.get(cid, 1)
        self._next_ephemeral[cid] = eid + 1
        msg: Dict[str, Any] = {'message_id': 0, 'ephemeral_message_id': eid, 'from': sender,
                               'chat': chat, 'date': int(time.time()), 'receiver_user': receiver}
        if reply_to is not None:
            msg['reply_to_message'] = {k: v for k, v in reply_to.items()
                                       if k != 'reply_to_message'}
        msg.update(content)
        self.ephemeral[(cid, receiver['id'], eid)] = msg
        return msg

    def media_group_id(self) -> str:
        return '%d' % (13000000000000000 + next(self._media_groups))

    # -- queries ------------------------------------------------------------------------------
    def new_query_id(self, kind: str) -> str:
        qid = '%d' % (4400000000000000000 + next(self._query_ids))
        self.add_query(qid, kind)
        return qid

    def add_query(self, qid: str, kind: str) -> None:
        """A query the bot may answer from now on (made now; a known id is left alone)."""
        if qid not in self.queries:
            self.queries[qid] = kind
            self.query_times[qid] = time.monotonic()

    def answer_query(self, kind: str, qid: Any) -> None:
        """Mark a query answered: once only, and for callback and inline queries only while
        fresh (``query_timeout`` seconds)."""
        qid = str(qid)
        if self.queries.get(qid) != kind or qid in self.answered or (
                kind in ('callback_query', 'inline_query') and
                time.monotonic() - self.query_times.get(qid, 0.0) > self.query_timeout):
            raise bad_request('query is too old and response timeout expired or query ID is invalid')
        self.answered.add(qid)

    # -- files --------------------------------------------------------------------------------
    def store_file(self, kind: str, data: bytes, file_name: str = '',
                   mime_type: str = '') -> FileRecord:
        """Keep ``data`` as a file of ``kind`` (a MEDIA_KINDS key) and return its record."""
        _, folder, ext, prefix = MEDIA_KINDS.get(kind, MEDIA_KINDS['document'])
        n = next(self._file_ids)
        if not ext:
            ext = '.' + file_name.rsplit('.', 1)[1] if '.' in file_name else ''
        if not mime_type:
            mime_type = mimetypes.guess_type(file_name or 'x' + ext)[0] or 'application/octet-stream'
        rec = FileRecord('%sAgADfake%06dx' % (prefix, n), 'AQADfake%06d' % n,
                         '%s/file_%d%s' % (folder, n, ext), data, file_name, mime_type, kind)
        self.files[rec.file_id] = rec
        self.file_paths[rec.file_path] = rec
        return rec

    def media_object(self, kind: str, rec: FileRecord, **fields: Any) -> Any:
        """The message field value for ``rec`` sent as ``kind`` (a PhotoSize list for photos)."""
        if kind == 'photo':
            sizes = []
            for i, (w, h) in enumerate(_PHOTO_SIZES):
                fid = rec.file_id if i == len(_PHOTO_SIZES) - 1 else '%s_%d' % (rec.file_id, w)
                self.files.setdefault(fid, rec)
                big = fid == rec.file_id
                size = len(rec.data) if big else max(1, len(rec.data) * w // 1280)
                uid = rec.file_unique_id if big else '%s_%d' % (rec.file_unique_id, w)
                sizes.append({'file_id': fid, 'file_unique_id': uid,
                              'file_size': size, 'width': w, 'height': h})
            return sizes
        type_name = MEDIA_KINDS.get(kind, MEDIA_KINDS['document'])[0]
        extra: Dict[str, Any] = {'file_id': rec.file_id, 'file_unique_id': rec.file_unique_id}
        if kind in ('document', 'audio', 'video', 'animation') and rec.file_name:
            extra['file_name'] = rec.file_name
        if kind not in ('sticker', 'video_note', 'live_photo'):
            extra['mime_type'] = rec.mime_type
        extra['file_size'] = len(rec.data)
        extra.update(fields)
        return plausible(type_name, **extra)

    def dump_messages(self, chat_id: int) -> List[Dict[str, Any]]:
        return [m for (cid, _), m in sorted(self.messages.items()) if cid == chat_id]

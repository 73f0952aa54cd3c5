"""The Bot API methods' semantics against the fake world: what each call does and returns."""
from __future__ import annotations

import os
import random
import time
import urllib.parse
from typing import Any, Dict, List, Optional, Tuple

from . import _additions
from ._objects import plausible
from ._params import MethodSpec, Upload, bad_request, handler_table
from ._updates import UpdateQueue
from ._world import MEDIA_KINDS, FileRecord, World

__all__ = ['BotApi']

_HANDLERS, _handles = handler_table()


# content copied when a message is forwarded or copied (everything but identity and context)
_NOT_CONTENT = frozenset(('message_id', 'from', 'sender_chat', 'chat', 'date', 'reply_to_message',
                          'edit_date', 'forward_origin', 'message_thread_id', 'reply_markup',
                          'is_topic_message', 'via_bot', 'author_signature'))
# methods that need the bot to be an administrator of a group or channel, with what Telegram
# answers when it is not (see each method's documentation: "The bot must be an administrator")
_RESTRICT = 'not enough rights to restrict/unrestrict chat member'
_INVITE = 'not enough rights to manage chat invite link'
ADMIN_RIGHTS: Dict[str, str] = {
    'banChatMember': _RESTRICT, 'unbanChatMember': _RESTRICT, 'restrictChatMember': _RESTRICT,
    'banChatSenderChat': _RESTRICT, 'unbanChatSenderChat': _RESTRICT,
    'promoteChatMember': 'not enough rights to promote chat member',
    'setChatAdministratorCustomTitle': 'not enough rights to change custom title',
    'setChatPermissions': 'not enough rights to change chat permissions',
    'exportChatInviteLink': _INVITE, 'createChatInviteLink': _INVITE,
    'editChatInviteLink': _INVITE, 'revokeChatInviteLink': _INVITE,
    'createChatSubscriptionInviteLink': _INVITE, 'editChatSubscriptionInviteLink': _INVITE,
    'approveChatJoinRequest': 'not enough rights', 'declineChatJoinRequest': 'not enough rights',
    'setChatPhoto': 'not enough rights to change chat photo',
    'deleteChatPhoto': 'not enough rights to change chat photo',
    'setChatTitle': 'not enough rights to change chat title',
    'setChatDescription': 'not enough rights to change chat description',
    'pinChatMessage': 'not enough rights to manage pinned messages in the chat',
    'unpinChatMessage': 'not enough rights to manage pinned messages in the chat',
    'unpinAllChatMessages': 'not enough rights to manage pinned messages in the chat',
    'setChatStickerSet': 'not enough rights to change chat sticker set',
    'deleteChatStickerSet': 'not enough rights to change chat sticker set',
}
_MEDIA_METHODS = {'send' + ''.join(p.capitalize() for p in kind.split('_')): kind
                  for kind in MEDIA_KINDS}


class BotApi:
    """Answers one Bot API call: ``call(spec, params, uploads)`` -> result, or raises ApiError."""

    def __init__(self, world: World, updates: UpdateQueue, rng: random.Random) -> None:
        self.world = world
        self.updates = updates
        self.rng = rng

    def call(self, ms: MethodSpec, params: Dict[str, Any], uploads: Dict[str, Upload]) -> Any:
        """The result for the call (getUpdates answers pre-encoded bytes or an awaitable)."""
        world = self.world
        if (world.bot_gone or ms.name in ADMIN_RIGHTS) and params.get('chat_id') is not None:
            self._rights(ms.name, params['chat_id'])
        handler = _HANDLERS.get(ms.name)
        if handler is not None:
            return handler(self, ms.name, params, uploads)
        if ms.returns == ('Message', 'Boolean'):      # acts on an existing (maybe inline) message
            if params.get('inline_message_id'):
                return True
            chat = self.world.chat(params.get('chat_id'))
            msg = self.world.message(chat['id'], params.get('message_id'))
            if msg is None:
                raise bad_request('message not found')
            return msg
        if ms.name in _MEDIA_METHODS or ms.returns[0] == 'Message':
            return self._send(ms.name, params, uploads)
        if ms.returns[0] == 'Boolean':
            if 'chat_id' in params:
                self.world.chat(params['chat_id'])
            return True
        return plausible(ms.returns[0])

    # -- helpers ------------------------------------------------------------------------------
    def _rights(self, method: str, ref: Any) -> None:
        """403 in a chat the bot is no longer in; 400 where the method needs administrator
        rights the bot does not have."""
        chat = self.world.member_chat(self.world.chat(ref))
        need = ADMIN_RIGHTS.get(method)
        if need is not None and chat['type'] != 'private' and chat['id'] in self.world.not_admin:
            raise bad_request(need)

    def _file(self, kind: str, value: Any, uploads: Dict[str, Upload]) -> FileRecord:
        """Resolve an InputFile-or-String parameter to a stored file."""
        world = self.world
        upload = None
        if value is None or value == '':
            upload = uploads.get(kind)
        elif isinstance(value, str) and value.startswith('attach://'):
            upload = uploads.get(value[9:])
            if upload is None:
                raise bad_request("can't find attached file %s" % value[9:])
        elif isinstance(value, str) and value.startswith('file://') and world.local_mode:
            path = urllib.parse.unquote(value[7:])
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                raise bad_request('wrong file identifier/HTTP URL specified')
            return world.store_file(kind, data, os.path.basename(path))
        elif isinstance(value, str) and value.startswith(('http://', 'https://')):
            name = value.rsplit('/', 1)[-1].split('?', 1)[0]
            return world.store_file(kind, b'', name)
        elif isinstance(value, str) and value in world.files:
            return world.files[value]
        if upload is None:
            if value is None or value == '':
                raise bad_request('there is no %s in the request' % kind)
            raise bad_request('wrong file identifier/HTTP URL specified')
        mime = upload.content_type if upload.content_type != 'application/octet-stream' else ''
        return world.store_file(kind, upload.data, upload.filename, mime)

    def _target(self, params: Dict[str, Any]) -> Tuple[Dict[str, Any], Optional[Dict[str, Any]]]:
        """The destination chat and the message replied to."""
        chat = self.world.writable_chat(params.get('chat_id'))
        reply_to = None
        rp = params.get('reply_parameters')
        mid = rp.get('message_id') if isinstance(rp, dict) else params.get('reply_to_message_id')
        if isinstance(rp, dict) and mid is None and rp.get('ephemeral_message_id') is not None:
            return chat, _additions.ephemeral_reply_target(self.world, chat, rp, params)
        if mid is not None:
            try:
                mid = int(mid)
            except (TypeError, ValueError):
                raise bad_request('invalid reply_parameters specified')
            src_chat = chat
            if isinstance(rp, dict) and rp.get('chat_id') is not None:
                src_chat = self.world.chat(rp['chat_id'])
            reply_to = self.world.message(src_chat['id'], mid)
            allow = (rp or {}).get('allow_sending_without_reply') if isinstance(rp, dict) \
                else params.get('allow_sending_without_reply')
            if reply_to is None and not allow:
                raise bad_request('message to be replied not found')
        return chat, reply_to

    def _post(self, chat: Dict[str, Any], content: Dict[str, Any], params: Dict[str, Any],
              reply_to: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        if params.get('message_thread_id'):
            content = {'message_thread_id': params['message_thread_id'],
                       'is_topic_message': True, **content}
        markup = params.get('reply_markup')
        if isinstance(markup, dict) and 'inline_keyboard' in markup:
            content['reply_markup'] = markup
        if params.get('protect_content'):
            content['has_protected_content'] = True
        sender = self.world.users[self.world.bot_id]
        if params.get('ephemeral_message_parameters') is not None:
            return _additions.post_ephemeral(self.world, chat, content, params, sender, reply_to)
        return self.world.add_message(chat, content, sender=sender, reply_to=reply_to)

    def _content(self, method: str, params: Dict[str, Any],
                 uploads: Dict[str, Upload]) -> Dict[str, Any]:
        """The Message fields a send* call produces."""
        kind = _MEDIA_METHODS.get(method)
        if kind is not None:
            rec = self._file(kind, params.get(kind), uploads)
            dims = {k: params[k] for k in ('width', 'height', 'duration', 'performer', 'title')
                    if k in params}
            content: Dict[str, Any] = {kind: self.world.media_object(kind, rec, **dims)}
            if kind == 'sticker':
                content['sticker']['emoji'] = params.get('emoji', '\U0001F642')
            return self._caption(content, params)
        if method == 'sendMessage':
            content = {'text': params['text']}
            if params.get('entities'):
                content['entities'] = params['entities']
            if params.get('link_preview_options'):
                content['link_preview_options'] = params['link_preview_options']
            return content
        if method == 'sendLocation':
            return {'location': self._location(params)}
        if method == 'sendVenue':
            location = self._location(params)
            return {'venue': {'location': location, 'title': params['title'],
                              'address': params['address']}, 'location': location}
        if method == 'sendContact':
            contact = {k: params[k] for k in ('phone_number', 'first_name', 'last_name', 'vcard')
                       if k in params}
            return {'contact': contact}
        if method == 'sendDice':
            emoji = params.get('emoji') or '\U0001F3B2'
            top = 64 if emoji == '\U0001F3B0' else 5 if emoji in ('\U0001F3C0', '\u26BD') else 6
            return {'dice': {'emoji': emoji, 'value': self.rng.randint(1, top)}}
        if method == 'sendPoll':
            options = [{'text': o.get('text', '') if isinstance(o, dict) else str(o),
                        'voter_count': 0} for o in (params.get('options') or [])]
            poll = plausible('Poll', id=self.world.new_query_id('poll'),
                             question=params['question'], options=options,
                             type=params.get('type', 'regular'),
                             is_anonymous=params.get('is_anonymous', True),
                             allows_multiple_answers=bool(params.get('allows_multiple_answers')),
                             is_closed=bool(params.get('is_closed')))
            return {'poll': poll}
        if method == 'sendGame':
            return {'game': plausible('Game', title=params['game_short_name'])}
        if method == 'sendInvoice':
            total = sum(p.get('amount', 0) for p in params.get('prices') or []
                        if isinstance(p, dict))
            return {'invoice': {'title': params['title'], 'description': params['description'],
                                'start_parameter': params.get('start_parameter', ''),
                                'currency': params['currency'], 'total_amount': total}}
        name = method[4:5].lower() + method[5:] if method.startswith('send') else method
        snake = ''.join('_' + c.lower() if c.isupper() else c for c in name)
        return {snake: {}}

    @staticmethod
    def _location(params: Dict[str, Any]) -> Dict[str, Any]:
        loc = {'latitude': params['latitude'], 'longitude': params['longitude']}
        for k in ('horizontal_accuracy', 'live_period', 'heading', 'proximity_alert_radius'):
            if k in params:
                loc[k] = params[k]
        return loc

    @staticmethod
    def _caption(content: Dict[str, Any], params: Dict[str, Any]) -> Dict[str, Any]:
        if params.get('caption'):
            content['caption'] = params['caption']
            if params.get('caption_entities'):
                content['caption_entities'] = params['caption_entities']
        return content

    def _send(self, method: str, params: Dict[str, Any],
              uploads: Dict[str, Upload]) -> Dict[str, Any]:
        chat, reply_to = self._target(params)
        return self._post(chat, self._content(method, params, uploads), params, reply_to)

    def _source(self, params: Dict[str, Any], mid: Any, what: str) -> Dict[str, Any]:
        src_chat = self.world.chat(params['from_chat_id'])
        src = self.world.message(src_chat['id'], mid)
        if src is None:
            raise bad_request('message to %s not found' % what)
        return src

    def _edit_target(self, params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The message an edit* call targets; None for inline messages."""
        if params.get('inline_message_id'):
            return None
        if params.get('chat_id') is None or params.get('message_id') is None:
            raise bad_request('message identifier is not specified')
        chat = self.world.chat(params['chat_id'])
        msg = self.world.message(chat['id'], params['message_id'])
        if msg is None:
            raise bad_request('message to edit not found')
        sender = msg.get('from') or {}
        if sender.get('id') != self.world.bot_id and chat['type'] != 'channel':
            raise bad_request("message can't be edited")
        return msg

    def _edited(self, msg: Optional[Dict[str, Any]], changes: Dict[str, Any],
                params: Dict[str, Any], store: bool = True) -> Any:
        if msg is None:
            return True
        new = dict(msg)
        for key, value in changes.items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = value
        # as at Telegram, an edit without reply_markup removes the inline keyboard
        markup = params.get('reply_markup')
        if isinstance(markup, dict) and 'inline_keyboard' in markup:
            new['reply_markup'] = markup
        else:
            new.pop('reply_markup', None)
        if {k: v for k, v in new.items() if k != 'edit_date'} == \
                {k: v for k, v in msg.items() if k != 'edit_date'}:
            raise bad_request('message is not modified: specified new message content and reply '
                              'markup are exactly the same as a current content and reply markup '
                              'of the message')
        new['edit_date'] = int(time.time())
        if store:
            self.world.replace_message(new)
        return new

    def _replace_media(self, msg: Optional[Dict[str, Any]], item: Any,
                       uploads: Dict[str, Upload]) -> Optional[Dict[str, Any]]:
        """``msg`` with its media replaced by the InputMedia ``item`` (None for None)."""
        if not isinstance(item, dict) or item.get('type') not in MEDIA_KINDS:
            raise bad_request("can't parse InputMedia JSON object")
        kind = item['type']
        rec = self._file(kind, item.get('media'), uploads)
        if msg is None:
            return None
        base = {k: v for k, v in msg.items() if k not in MEDIA_KINDS and k != 'caption'}
        base[kind] = self.world.media_object(kind, rec)
        self._caption(base, item)
        return dict(base, edit_date=int(time.time()))

    # -- method handlers ----------------------------------------------------------------------
    @_handles('getUpdates')
    def _get_updates(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        return self.updates.get_updates(params)

    @_handles('setWebhook')
    def _set_webhook(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        self.updates.set_allowed(params.get('allowed_updates'))
        if params.get('drop_pending_updates'):
            self.updates.drop_all()
        self.updates.set_webhook(params.get('url', ''), params.get('secret_token'),
                                 params.get('max_connections'), params.get('ip_address'),
                                 'certificate' in uploads or bool(params.get('certificate')))
        return self.updates.settled(True)      # answered once a replaced webhook's pushes ended

    @_handles('deleteWebhook')
    def _delete_webhook(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        if params.get('drop_pending_updates'):
            self.updates.drop_all()
        self.updates.stop_webhook()
        return self.updates.settled(True)      # answered once the pushes in flight ended

    @_handles('getWebhookInfo')
    def _webhook_info(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        return self.updates.webhook_info()

    @_handles('getMe')
    def _get_me(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        return self.world.bot_user

    @_handles('getChat')
    def _get_chat(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        chat = self.world.chat(params['chat_id'])
        return plausible('ChatFullInfo', max_reaction_count=11, **chat)

    @_handles('getChatMember')
    def _get_member(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        chat = self.world.chat(params['chat_id'])
        uid = params['user_id']
        user = self.world.users.get(uid) or {'id': uid, 'is_bot': False, 'first_name': str(uid)}
        if chat['type'] == 'private':
            status = 'member' if uid in (chat['id'], self.world.bot_id) else 'left'
        elif uid == self.world.bot_id:
            status = self.world.bot_status(chat)
        else:
            status = 'member' if uid in self.world.members.get(chat['id'], ()) else 'left'
        type_name = {'member': 'ChatMemberMember', 'left': 'ChatMemberLeft',
                     'administrator': 'ChatMemberAdministrator',
                     'kicked': 'ChatMemberBanned'}[status]
        return plausible(type_name, user=user)

    @_handles('getChatMemberCount')
    def _member_count(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> int:
        chat = self.world.chat(params['chat_id'])
        return 2 if chat['type'] == 'private' else len(self.world.members.get(chat['id'], ()))

    @_handles('getChatAdministrators')
    def _admins(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> List[Any]:
        self.world.chat(params['chat_id'])
        return [plausible('ChatMemberAdministrator', user=self.world.users[self.world.bot_id])]

    @_handles('getFile')
    def _get_file(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        rec = self.world.files.get(params['file_id'])
        if rec is None:
            raise bad_request('invalid file_id')
        limit = self.world.download_limit
        if limit is not None and len(rec.data) > limit:
            raise bad_request('file is too big')
        return rec.as_file(params['file_id'])

    @_handles('sendMediaGroup')
    def _media_group(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> List[Any]:
        media = params['media']
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request('media must include 2-10 items')
        chat, reply_to = self._target(params)
        group_id = self.world.media_group_id()
        contents = []
        for item in media:
            if not isinstance(item, dict) or item.get('type') not in MEDIA_KINDS:
                raise bad_request("can't parse InputMedia JSON object")
            kind = item['type']
            rec = self._file(kind, item.get('media'), uploads)
            content = {'media_group_id': group_id, kind: self.world.media_object(kind, rec)}
            contents.append(self._caption(content, item))
        return [self._post(chat, c, params, reply_to) for c in contents]

    @_handles('forwardMessage')
    def _forward(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        src = self._source(params, params['message_id'], 'forward')
        chat = self.world.writable_chat(params['chat_id'])
        content = {k: v for k, v in src.items() if k not in _NOT_CONTENT}
        src_chat = src['chat']
        if src_chat['type'] == 'channel':
            origin = {'type': 'channel', 'date': src['date'], 'chat': src_chat,
                      'message_id': src['message_id']}
        else:
            origin = {'type': 'user', 'date': src['date'],
                      'sender_user': src.get('from') or self.world.users[self.world.bot_id]}
        return self._post(chat, {'forward_origin': origin, **content}, params)

    @_handles('forwardMessages', 'copyMessages')
    def _many(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> List[Dict[str, int]]:
        ids = params['message_ids']
        if not isinstance(ids, list) or not ids:
            raise bad_request('message_ids must be a non-empty array')
        out = []
        for mid in ids:
            one = dict(params, message_id=mid)
            if self.world.message(self.world.chat(params['from_chat_id'])['id'], mid) is None:
                continue        # Telegram skips messages it can't find
            if params.get('remove_caption'):
                one['caption'] = None
            msg = self._forward(method, one, uploads) if method == 'forwardMessages' \
                else self._copy_message(one)
            out.append({'message_id': msg['message_id']})
        if not out:
            raise bad_request('messages to copy not found')
        return out

    def _copy_message(self, params: Dict[str, Any]) -> Dict[str, Any]:
        src = self._source(params, params['message_id'], 'copy')
        chat, reply_to = self._target(params)
        content = {k: v for k, v in src.items() if k not in _NOT_CONTENT}
        if 'caption' in params:
            content.pop('caption', None)
            content.pop('caption_entities', None)
            if params['caption'] is not None:
                self._caption(content, params)
        return self._post(chat, content, params, reply_to)

    @_handles('copyMessage')
    def _copy(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, int]:
        return {'message_id': self._copy_message(params)['message_id']}

    @_handles('editMessageText')
    def _edit_text(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        msg = self._edit_target(params)
        if msg is not None and 'text' not in msg:
            raise bad_request('there is no text in the message to edit')
        if not params.get('text'):
            raise bad_request('message text is empty')
        changes: Dict[str, Any] = {'text': params['text']}
        if params.get('entities'):
            changes['entities'] = params['entities']
        elif msg is not None and 'entities' in msg:
            changes['entities'] = None
        return self._edited(msg, changes, params)

    @_handles('editMessageCaption')
    def _edit_caption(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        msg = self._edit_target(params)
        return self._edited(msg, {'caption': params.get('caption', '')}, params)

    @_handles('editMessageMedia')
    def _edit_media(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        new = self._replace_media(self._edit_target(params), params['media'], uploads)
        if new is None:
            return True
        self.world.replace_message(new)
        return new

    @_handles('editMessageReplyMarkup')
    def _edit_markup(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        return self._edited(self._edit_target(params), {}, params)

    @_handles('editMessageLiveLocation')
    def _edit_location(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        msg = self._edit_target(params)
        return self._edited(msg, {'location': self._location(params)}, params)

    @_handles('stopMessageLiveLocation')
    def _stop_location(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        msg = self._edit_target(params)
        if msg is None:
            return True
        loc = dict(msg.get('location') or {})
        loc.pop('live_period', None)
        return self._edited(msg, {'location': loc}, params)

    @_handles('stopPoll')
    def _stop_poll(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        msg = self._edit_target(params)
        if msg is None or 'poll' not in msg:
            raise bad_request('message with poll to stop not found')
        poll = dict(msg['poll'], is_closed=True)
        self.world.replace_message(dict(msg, poll=poll))
        return poll

    @_handles('deleteMessage')
    def _delete(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        chat = self.world.chat(params['chat_id'])
        msg = self.world.message(chat['id'], params['message_id'])
        if msg is not None and chat['type'] in ('group', 'supergroup') and \
                chat['id'] in self.world.not_admin and \
                (msg.get('from') or {}).get('id') != self.world.bot_id:
            raise bad_request("message can't be deleted")    # others' messages need rights
        if not self.world.delete_message(chat['id'], params['message_id']):
            raise bad_request('message to delete not found')
        return True

    @_handles('leaveChat')
    def _leave(self, method: str, params: Dict[str, Any],
               uploads: Dict[str, Upload]) -> bool:
        chat = self.world.chat(params['chat_id'])
        if chat['type'] == 'private':
            raise bad_request('chat member status can\'t be changed in private chats')
        self.world.bot_gone[chat['id']] = 'left'
        return True

    @_handles('deleteMessages')
    def _delete_many(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        chat = self.world.chat(params['chat_id'])
        for mid in params['message_ids'] or []:
            self.world.delete_message(chat['id'], mid)
        return True

    @_handles('answerCallbackQuery')
    def _answer_callback(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        self.world.answer_query('callback_query', params['callback_query_id'])
        return True

    @_handles('answerInlineQuery')
    def _answer_inline(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        if not isinstance(params.get('results'), list):
            raise bad_request("can't parse inline query results JSON object")
        self.world.answer_query('inline_query', params['inline_query_id'])
        return True

    @_handles('sendChatAction')
    def _chat_action(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> bool:
        self.world.writable_chat(params['chat_id'])
        return True

    @_handles('exportChatInviteLink')
    def _export_link(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> str:
        chat = self.world.chat(params['chat_id'])
        return 'https://t.me/+fake%d' % abs(chat['id'])

    @_handles('createChatInviteLink', 'editChatInviteLink', 'revokeChatInviteLink',
              'createChatSubscriptionInviteLink', 'editChatSubscriptionInviteLink')
    def _invite_link(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Dict[str, Any]:
        chat = self.world.chat(params['chat_id'])
        link = params.get('invite_link') or 'https://t.me/+fake%d_%d' % (
            abs(chat['id']), len(self.world.state.setdefault('links', [None])))
        self.world.state['links'].append(link)
        fields = {k: params[k] for k in ('name', 'expire_date', 'member_limit') if k in params}
        return plausible('ChatInviteLink', invite_link=link,
                         creator=self.world.users[self.world.bot_id],
                         creates_join_request=bool(params.get('creates_join_request')),
                         is_revoked=False, **fields)

    @_handles('setMyCommands', 'deleteMyCommands', 'getMyCommands', 'setMyName', 'getMyName',
              'setMyDescription', 'getMyDescription', 'setMyShortDescription',
              'getMyShortDescription')
    def _bot_settings(self, method: str, params: Dict[str, Any],
            uploads: Dict[str, Upload]) -> Any:
        state = self.world.state
        if method == 'setMyCommands':
            state['commands'] = params['commands']
            return True
        if method == 'deleteMyCommands':
            state.pop('commands', None)
            return True
        if method == 'getMyCommands':
            return state.get('commands', [])
        field = {'Name': 'name', 'Description': 'description',
                 'ShortDescription': 'short_description'}[method[5:]]
        if method.startswith('set'):
            state[field] = params.get(field, '')
            return True
        return {field: state.get(field, self.world.bot_user['first_name'] if field == 'name'
                                 else '')}


_HANDLERS.update(_additions.HANDLERS)     # ephemeral messages, widgets, bot settings

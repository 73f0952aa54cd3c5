"""Simulated users' actions, turned into the updates Telegram would send the bot."""
from __future__ import annotations

import base64
import functools
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import _additions
from ._objects import plausible
from ._world import MEDIA_KINDS, World

__all__ = ['ActionError', 'perform']


class ActionError(ValueError):
    """An action that makes no sense (unknown user, a button that isn't there, ...)."""


Act = Callable[[World, Dict[str, Any]], Tuple[str, Dict[str, Any]]]
_ACTS: Dict[str, Act] = {}


def _act(name: str) -> Callable[[Act], Act]:
    def deco(fn: Act) -> Act:
        _ACTS[name] = fn
        return fn
    return deco


def perform(world: World, action: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    """The (update kind, payload) pairs one action produces, in order."""
    name = action.get('do')
    fn = _ACTS.get(name) if isinstance(name, str) else None
    if fn is None:
        raise ActionError('unknown action %r' % (name,))
    out = fn(world, action)
    return out if isinstance(out, list) else [out]


def _user(world: World, action: Dict[str, Any]) -> Dict[str, Any]:
    user = world.users.get(action.get('user'))  # type: ignore[arg-type]
    if user is None:
        raise ActionError('unknown user %r' % (action.get('user'),))
    return user


def _chat(world: World, action: Dict[str, Any], default: Optional[int] = None) -> Dict[str, Any]:
    cid = action.get('chat', default)
    chat = world.chats.get(cid)  # type: ignore[arg-type]
    if chat is None:
        raise ActionError('unknown chat %r' % (cid,))
    return chat


def _message(world: World, chat: Dict[str, Any], mid: Any) -> Dict[str, Any]:
    msg = world.message(chat['id'], mid)
    if msg is None:
        raise ActionError('no message %r in chat %r' % (mid, chat['id']))
    return msg


def _member_update(world: World, chat: Dict[str, Any], actor: Dict[str, Any],
                   subject: Dict[str, Any], old: str, new: str) -> Dict[str, Any]:
    names = {'member': 'ChatMemberMember', 'left': 'ChatMemberLeft', 'kicked': 'ChatMemberBanned',
             'administrator': 'ChatMemberAdministrator'}
    return {'chat': chat, 'from': actor, 'date': int(time.time()),
            'old_chat_member': plausible(names[old], user=subject),
            'new_chat_member': plausible(names[new], user=subject)}


def _content(world: World, action: Dict[str, Any]) -> Dict[str, Any]:
    content = dict(action.get('content') or {})
    if 'text' in action:
        content['text'] = action['text']
        if action.get('entities'):
            content['entities'] = action['entities']
    file = action.get('file')
    if file:
        kind = file.get('kind', 'document')
        if kind not in MEDIA_KINDS:
            raise ActionError('unknown media kind %r' % kind)
        rec = world.store_file(kind, base64.b64decode(file.get('data', '')),
                               file.get('file_name', ''), file.get('mime_type', ''))
        content[kind] = world.media_object(kind, rec)
    if action.get('caption'):
        content['caption'] = action['caption']
    if not content:
        raise ActionError('a message needs text or content')
    return content


def _edit(world: World, msg: Dict[str, Any], action: Dict[str, Any]) -> Dict[str, Any]:
    new = dict(msg, edit_date=int(time.time()))
    new.update(_content(world, action))
    world.replace_message(new)
    return new


@_act('says')
def _says(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    chat = _chat(world, action, user['id'])
    if chat['type'] != 'private' and user['id'] not in world.members.get(chat['id'], ()):
        raise ActionError('%s is not a member of %s' % (user['first_name'], chat.get('title')))
    reply_to = None
    if action.get('reply_to') is not None:
        reply_to = _message(world, chat, action['reply_to'])
    msg = world.add_message(chat, _content(world, action), sender=user, reply_to=reply_to)
    return 'message', msg


@_act('edits')
def _edits(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    chat = _chat(world, action, user['id'])
    msg = _message(world, chat, action.get('message_id'))
    if (msg.get('from') or {}).get('id') != user['id']:
        raise ActionError('%s can only edit their own messages' % user['first_name'])
    return 'edited_message', _edit(world, msg, action)


@_act('posts')
def _posts(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    chat = _chat(world, action)
    if chat['type'] != 'channel':
        raise ActionError('only channels have posts')
    return 'channel_post', world.add_message(chat, _content(world, action))


@_act('edits_post')
def _edits_post(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    msg = _message(world, _chat(world, action), action.get('message_id'))
    return 'edited_channel_post', _edit(world, msg, action)


@_act('presses')
def _presses(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    chat = _chat(world, action)
    eid = action.get('ephemeral_message_id')
    if eid is not None:              # only its receiver sees an ephemeral message
        msg = world.ephemeral.get((chat['id'], user['id'], eid))
        if msg is None:
            raise ActionError('%s has no ephemeral message %r in chat %r'
                              % (user['first_name'], eid, chat['id']))
    else:
        msg = _message(world, chat, action.get('message_id'))
    wanted = action.get('button')
    rows = (msg.get('reply_markup') or {}).get('inline_keyboard') or []
    buttons = [b for row in rows for b in row if isinstance(b, dict)]
    hit = next((b for b in buttons if b.get('callback_data') == wanted), None) or \
        next((b for b in buttons if b.get('text') == wanted and 'callback_data' in b), None)
    if hit is None:
        offered = [b.get('callback_data', b.get('text')) for b in buttons]
        raise ActionError('message %s has no button %r (buttons: %r)'
                          % (msg['message_id'], wanted, offered))
    query = {'id': world.new_query_id('callback_query'), 'from': user, 'message': msg,
             'chat_instance': str(7046000000000000000 + abs(chat['id'])),
             'data': hit['callback_data']}
    if eid is not None:
        world.ephemeral_queries.add(query['id'])
    return 'callback_query', query


@_act('asks_inline')
def _asks_inline(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    query = {'id': world.new_query_id('inline_query'), 'from': user,
             'query': action.get('query', ''), 'offset': action.get('offset', '')}
    if action.get('chat_type'):
        query['chat_type'] = action['chat_type']
    return 'inline_query', query


@_act('chooses_inline_result')
def _chooses(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    result = {'result_id': str(action.get('result_id', '')), 'from': user,
              'query': action.get('query', '')}
    if action.get('inline_message_id'):
        result['inline_message_id'] = action['inline_message_id']
    return 'chosen_inline_result', result


def _membership(world: World, action: Dict[str, Any],
                joins: bool) -> List[Tuple[str, Dict[str, Any]]]:
    """A user joins or leaves: the service message (not in channels), then chat_member."""
    user = _user(world, action)
    chat = _chat(world, action)
    members = world.members.setdefault(chat['id'], set())
    if joins:
        members.add(user['id'])
    else:
        members.discard(user['id'])
    old, new = ('left', 'member') if joins else ('member', 'left')
    out = [('chat_member', _member_update(world, chat, user, user, old, new))]
    if chat['type'] != 'channel':
        service = {'new_chat_members': [user]} if joins else {'left_chat_member': user}
        out.insert(0, ('message', world.add_message(chat, service, sender=user)))
    return out


@_act('joins')
def _joins(world: World, action: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    return _membership(world, action, True)


@_act('leaves')
def _leaves(world: World, action: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    return _membership(world, action, False)


def _block(world: World, action: Dict[str, Any], blocks: bool) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    if blocks:
        world.blocked.add(user['id'])
    else:
        world.blocked.discard(user['id'])
    old, new = ('member', 'kicked') if blocks else ('kicked', 'member')
    bot = world.users[world.bot_id]
    return 'my_chat_member', _member_update(world, world.chats[user['id']], user, bot, old, new)


@_act('blocks_bot')
def _blocks(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    return _block(world, action, True)


@_act('unblocks_bot')
def _unblocks(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    return _block(world, action, False)


def _group_actor(world: World, action: Dict[str, Any], chat: Dict[str, Any]) -> Dict[str, Any]:
    """The user doing something to a group: ``user`` if given, else one of its members."""
    if action.get('user') is not None:
        return _user(world, action)
    others = sorted(m for m in world.members.get(chat['id'], ()) if m != world.bot_id)
    return world.users[others[0]] if others else world.users[world.bot_id]


@_act('migrates')
def _migrates(world: World, action: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    """A group is upgraded to a supergroup: a ``migrate_to_chat_id`` message in the group
    and a ``migrate_from_chat_id`` message in the new supergroup."""
    chat = _chat(world, action)
    if chat['type'] != 'group':
        raise ActionError('only a group (not a %s) can be upgraded' % chat['type'])
    actor = _group_actor(world, action, chat)
    new = world.migrate(chat)
    return [('message', world.add_message(chat, {'migrate_to_chat_id': new['id']},
                                          sender=actor)),
            ('message', world.add_message(new, {'migrate_from_chat_id': chat['id']},
                                          sender=actor))]


def _bot_member(world: World, action: Dict[str, Any], new: str) -> Tuple[str, Dict[str, Any]]:
    """The bot's status in a group or channel changes: a my_chat_member update."""
    chat = _chat(world, action)
    if chat['type'] == 'private':
        raise ActionError('use blocks_bot / unblocks_bot for a private chat')
    actor = _group_actor(world, action, chat)
    old = world.bot_status(chat)
    cid = chat['id']
    if new in ('kicked', 'left'):
        world.bot_gone[cid] = new
    else:
        world.bot_gone.pop(cid, None)
        if new == 'administrator':
            world.not_admin.discard(cid)
        else:
            world.not_admin.add(cid)
    bot = world.users[world.bot_id]
    return 'my_chat_member', _member_update(world, chat, actor, bot, old, new)


# removes_bot, adds_bot, promotes_bot, demotes_bot: the bot's new status in the chat
for _name, _status in (('removes_bot', 'kicked'), ('adds_bot', 'member'),
                       ('promotes_bot', 'administrator'), ('demotes_bot', 'member')):
    _ACTS[_name] = functools.partial(_bot_member, new=_status)


# ------------------------------------------------------------------ Bot API 10.3 / 10.4 kinds

@_act('says_ephemeral')
def _says_ephemeral(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    """A message only the bot sees (an ephemeral command, 10.3): message_id 0 and an
    ephemeral_message_id the bot can reply to within 15 seconds."""
    user = _user(world, action)
    chat = _chat(world, action, user['id'])
    if chat['type'] != 'private' and user['id'] not in world.members.get(chat['id'], ()):
        raise ActionError('%s is not a member of %s' % (user['first_name'], chat.get('title')))
    msg = world.add_ephemeral(chat, _content(world, action), sender=user,
                              receiver=world.users[world.bot_id])
    return 'message', msg


@_act('queries_widget')
def _queries_widget(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    msg = None
    if action.get('widget_id') is None:
        msg = _message(world, _chat(world, action, user['id']), action.get('message_id'))
    try:
        return _additions.widget_query(world, user, msg, action.get('widget_id'),
                                       str(action.get('data', '')),
                                       action.get('query_type') or 'data')
    except ValueError as e:
        raise ActionError(str(e)) from None


@_act('stops_generation')
def _stops_generation(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    chat = _chat(world, action, user['id'])
    try:
        thread = _additions.stop_draft(world, chat['id'], action.get('draft_id'))
    except ValueError as e:
        raise ActionError(str(e)) from None
    stopped: Dict[str, Any] = {'chat': chat, 'draft_id': action['draft_id']}
    if thread:
        stopped['message_thread_id'] = thread
    return 'stopped_message_generation', stopped


@_act('subscription')
def _subscription(world: World, action: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    user = _user(world, action)
    if action.get('state') not in ('canceled', 'active', 'failed'):
        raise ActionError("a subscription state is 'canceled', 'active' or 'failed', not %r"
                          % (action.get('state'),))
    return 'subscription', {'user': user, 'invoice_payload': str(action.get('payload', '')),
                            'state': action['state']}

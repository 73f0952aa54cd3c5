"""The fake's Bot API 10.3-10.5 additions: ephemeral messages, widgets and bot settings.

Ephemeral messages (10.3) are messages only their receiver and the bot see: a send* call with
``ephemeral_message_parameters`` stores one (message_id 0, the chat's next
``ephemeral_message_id``, ``receiver_user``) apart from the chat's history, the
``editEphemeralMessage*`` methods change it and ``deleteEphemeralMessage`` removes it.
Message drafts (10.1) offering a stop button (``can_stop``, 10.3) are what a simulated
user's "stop" (a stopped_message_generation update) refers to.
Widgets (10.4) are HTML widgets in messages: ``sendWidget`` checks Telegram's limits (private
chats, html size, data sizes) and stores a ``widget`` message, shared widgets can be re-sent
by id and updated everywhere at once, and widget queries from simulated users must be
answered within 15 seconds.  ``setMySettings`` (10.5) changes what ``getMe`` answers.
Rules whose values Telegram has not published are marked "assumed" below.
"""
from __future__ import annotations

import time
import zlib
from typing import Any, Dict, List, Optional, Tuple

from ._objects import plausible
from ._params import ApiError, bad_request, handler_table

__all__ = ['HANDLERS', 'post_ephemeral', 'ephemeral_reply_target', 'widget_query',
           'stop_draft']

HANDLERS, _handles = handler_table()

EPHEMERAL_REPLY_WINDOW = 15.0     # seconds an ephemeral message can be replied to
WIDGET_QUERY_WINDOW = 15.0        # seconds a widget query can be answered
WIDGET_HTML_MAX = 32768           # bytes of html ...
WIDGET_HTML_ZLIB_MAX = 4096       # ... and after zlib at level 9
WIDGET_DATA_MAX = 1024            # bytes of public_data / chat_data / answer data
WIDGET_HEIGHT = (50, 600)         # height is clamped to this range
WIDGET_MIN_WIDTH = 200            # width is clamped from this (to the bubble width: assumed 480)
WIDGET_MAX_WIDTH = 480
WIDGET_QUERIES_PER_USER = (5, 5.0)        # at most 5 queries per 5 seconds per user
SHARED_PUBLIC_DATA_INTERVAL = 1.0         # shared widget public data: once per second


def _size(value: Any) -> int:
    return len(value.encode('utf-8')) if isinstance(value, str) else len(str(value))


def _check_data(params: Dict[str, Any], *names: str) -> None:
    for name in names:
        if name in params and _size(params[name]) > WIDGET_DATA_MAX:
            raise bad_request('%s must not be longer than %d bytes' % (name, WIDGET_DATA_MAX))


# ------------------------------------------------------------------------ ephemeral messages

def _receiver(world: Any, chat: Dict[str, Any], user_id: Any) -> Dict[str, Any]:
    user = world.users.get(user_id) if isinstance(user_id, int) else None
    if user is None or user_id == world.bot_id:
        raise bad_request('receiver user not found')
    in_chat = user_id == chat['id'] if chat['type'] == 'private' else \
        user_id in world.members.get(chat['id'], ())
    if not in_chat:
        raise bad_request('receiver user is not a member of the chat')
    return user


def post_ephemeral(world: Any, chat: Dict[str, Any], content: Dict[str, Any],
                   params: Dict[str, Any], sender: Dict[str, Any],
                   reply_to: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """A send* call with ephemeral_message_parameters: store and return the ephemeral message."""
    eph = params['ephemeral_message_parameters']
    if not isinstance(eph, dict):
        raise bad_request("can't parse ephemeral message parameters JSON object")
    if chat['type'] == 'channel':
        raise bad_request("ephemeral messages can't be sent to channels")
    if eph.get('receiver_user_id') is None:
        raise bad_request('receiver_user_id is required in ephemeral_message_parameters')
    receiver = _receiver(world, chat, eph['receiver_user_id'])
    qid = eph.get('callback_query_id')
    if qid is not None and world.queries.get(str(qid)) != 'callback_query':
        raise bad_request('callback query not found')
    if eph.get('replace_callback_query_message'):
        if qid is None:
            raise bad_request('replace_callback_query_message needs callback_query_id')
        if str(qid) in world.ephemeral_queries:
            raise bad_request('replace_callback_query_message must be False for callback '
                              'queries from ephemeral messages; edit the message with '
                              'editEphemeralMessage* instead')
    return world.add_ephemeral(chat, content, sender=sender, receiver=receiver,
                               reply_to=reply_to)


def ephemeral_reply_target(world: Any, chat: Dict[str, Any], rp: Dict[str, Any],
                           params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The ephemeral message ``reply_parameters.ephemeral_message_id`` names (replies to it
    must be ephemeral themselves and sent within 15 seconds)."""
    if params.get('ephemeral_message_parameters') is None:
        raise bad_request('a reply to an ephemeral message must be an ephemeral message')
    eid = rp['ephemeral_message_id']
    found = [m for (cid, _, e), m in world.ephemeral.items() if cid == chat['id'] and e == eid]
    if not found:
        if rp.get('allow_sending_without_reply'):
            return None
        raise bad_request('message to be replied not found')
    if time.time() - found[0]['date'] > EPHEMERAL_REPLY_WINDOW:
        raise bad_request('ephemeral message can be replied to only within %d seconds'
                          % EPHEMERAL_REPLY_WINDOW)
    return found[0]


def _ephemeral(api: Any, params: Dict[str, Any]) -> Tuple[Tuple[int, int, int], Dict[str, Any]]:
    chat = api.world.chat(params['chat_id'])
    key = (chat['id'], params['receiver_user_id'], params['ephemeral_message_id'])
    msg = api.world.ephemeral.get(key)
    if msg is None:
        raise bad_request('ephemeral message not found')
    return key, msg


@_handles('editEphemeralMessageText', 'editEphemeralMessageCaption',
          'editEphemeralMessageMedia', 'editEphemeralMessageReplyMarkup')
def _edit_ephemeral(api: Any, method: str, params: Dict[str, Any],
                    uploads: Dict[str, Any]) -> bool:
    key, msg = _ephemeral(api, params)
    changes: Dict[str, Any] = {}
    if method == 'editEphemeralMessageText':
        if not params.get('text') and params.get('rich_message') is None:
            raise bad_request('message text is empty')
        if 'text' not in msg and 'rich_message' not in msg:
            raise bad_request('there is no text in the message to edit')
        if params.get('text'):
            changes['text'] = params['text']
            changes['entities'] = params.get('entities')
        else:
            changes['rich_message'] = params['rich_message']
    elif method == 'editEphemeralMessageCaption':
        changes['caption'] = params.get('caption') or None
        changes['caption_entities'] = params.get('caption_entities')
    elif method == 'editEphemeralMessageMedia':
        api.world.ephemeral[key] = api._replace_media(msg, params['media'], uploads)
        return True
    api.world.ephemeral[key] = api._edited(msg, changes, params, store=False)
    return True


@_handles('deleteEphemeralMessage')
def _delete_ephemeral(api: Any, method: str, params: Dict[str, Any],
                      uploads: Dict[str, Any]) -> bool:
    key, _ = _ephemeral(api, params)
    del api.world.ephemeral[key]
    return True


# ------------------------------------------------------------------- drafts (10.1, 10.3)

DRAFT_LIFETIME = 30.0             # a draft is a 30-second preview


@_handles('sendMessageDraft', 'sendRichMessageDraft')
def _send_draft(api: Any, method: str, params: Dict[str, Any],
                uploads: Dict[str, Any]) -> bool:
    chat = api.world.writable_chat(params.get('chat_id'))
    if chat['type'] != 'private':
        raise bad_request('message drafts can be sent only to private chats')
    if not params.get('draft_id'):
        raise bad_request('draft_id must be non-zero')
    api.world.drafts[chat['id'], params['draft_id']] = {
        'can_stop': bool(params.get('can_stop')), 'at': time.monotonic(),
        'thread': params.get('message_thread_id')}
    return True


def stop_draft(world: Any, chat_id: int, draft_id: Any) -> Optional[int]:
    """A user presses "stop" on the bot's draft: its message_thread_id, or ValueError when
    the chat shows no live draft with that id offering the button (``can_stop``)."""
    draft = world.drafts.get((chat_id, draft_id))
    if draft is None or time.monotonic() - draft['at'] > DRAFT_LIFETIME:
        raise ValueError('the bot shows no draft %r in chat %r' % (draft_id, chat_id))
    if not draft['can_stop']:
        raise ValueError('draft %r was sent without can_stop: there is no stop button'
                         % (draft_id,))
    del world.drafts[chat_id, draft_id]
    return draft['thread']


# ---------------------------------------------------------------------------------- widgets

def _widget(params: Dict[str, Any]) -> Dict[str, Any]:
    html = params.get('html')
    if not isinstance(html, str) or not html:
        raise bad_request('widget html is empty')
    raw = html.encode('utf-8')
    if len(raw) > WIDGET_HTML_MAX:
        raise bad_request('widget html must not be longer than %d bytes' % WIDGET_HTML_MAX)
    if len(zlib.compress(raw, 9)) > WIDGET_HTML_ZLIB_MAX:
        raise bad_request('widget html must not exceed %d bytes when compressed'
                          % WIDGET_HTML_ZLIB_MAX)
    _check_data(params, 'public_data', 'chat_data')
    widget: Dict[str, Any] = {'html': html}
    if params.get('width') is not None:
        widget['width'] = min(max(int(params['width']), WIDGET_MIN_WIDTH), WIDGET_MAX_WIDTH)
    if params.get('height') is not None:
        widget['height'] = min(max(int(params['height']), WIDGET_HEIGHT[0]), WIDGET_HEIGHT[1])
    for k in ('public_data', 'chat_data'):
        if params.get(k):
            widget[k] = params[k]
    return widget


def _widget_message(api: Any, params: Dict[str, Any], widget: Dict[str, Any],
                    allow_queries: bool) -> Dict[str, Any]:
    chat, reply_to = api._target(params)
    if chat['type'] != 'private':
        raise bad_request('widgets can be sent only to private chats')
    content = api._caption({'widget': widget}, params)
    # sent widgets always have protected content
    msg = api._post(chat, dict(content, has_protected_content=True), params, reply_to)
    if allow_queries:
        api.world.state.setdefault('widget_queries_allowed', set()).add(
            (chat['id'], msg['message_id']))
    return msg


@_handles('sendWidget')
def _send_widget(api: Any, method: str, params: Dict[str, Any],
                 uploads: Dict[str, Any]) -> Dict[str, Any]:
    widget = _widget(params)
    if params.get('is_shared'):
        wid = 'w%d' % (len(api.world.widgets) + 1)
        widget['id'] = wid
        api.world.widgets[wid] = {'html': widget['html'], 'public_data':
                                  widget.get('public_data', ''), 'changed': 0.0,
                                  'allow_queries': bool(params.get('allow_queries'))}
    return _widget_message(api, params, widget, bool(params.get('allow_queries')))


@_handles('sendSharedWidget')
def _send_shared_widget(api: Any, method: str, params: Dict[str, Any],
                        uploads: Dict[str, Any]) -> Dict[str, Any]:
    shared = api.world.widgets.get(params.get('widget_id'))
    if shared is None:
        raise bad_request('shared widget not found')
    _check_data(params, 'chat_data')
    widget = {'html': shared['html'], 'id': params['widget_id']}
    if shared['public_data']:
        widget['public_data'] = shared['public_data']
    if params.get('chat_data'):
        widget['chat_data'] = params['chat_data']
    return _widget_message(api, params, widget, shared['allow_queries'])


def _set_data(widget: Dict[str, Any], params: Dict[str, Any], *names: str) -> Dict[str, Any]:
    new = dict(widget)
    for name in names:
        if name in params:               # "" removes, omitted keeps
            if params[name]:
                new[name] = params[name]
            else:
                new.pop(name, None)
    return new


@_handles('editMessageWidgetData')
def _edit_widget_data(api: Any, method: str, params: Dict[str, Any],
                      uploads: Dict[str, Any]) -> bool:
    _check_data(params, 'public_data', 'chat_data')
    msg = api._edit_target(params)
    if msg is None:                      # an inline message: nothing stored to change
        return True
    if 'widget' not in msg:
        raise bad_request('there is no widget in the message to edit')
    wid = msg['widget'].get('id')
    if wid is not None and 'public_data' in params:
        _touch_shared(api.world.widgets[wid])
        api.world.widgets[wid]['public_data'] = params['public_data']
    api.world.replace_message(dict(msg, widget=_set_data(msg['widget'], params, 'public_data',
                                                         'chat_data')))
    return True


def _touch_shared(shared: Dict[str, Any]) -> None:
    now = time.monotonic()
    wait = shared['changed'] + SHARED_PUBLIC_DATA_INTERVAL - now
    if wait > 0:
        raise ApiError(429, 'Too Many Requests: retry after 1', {'retry_after': 1})
    shared['changed'] = now


@_handles('editSharedWidgetData')
def _edit_shared_widget_data(api: Any, method: str, params: Dict[str, Any],
                             uploads: Dict[str, Any]) -> bool:
    shared = api.world.widgets.get(params.get('widget_id'))
    if shared is None:
        raise bad_request('shared widget not found')
    _check_data(params, 'public_data')
    cache = params.get('cache_time')
    if cache is not None and not 5 <= int(cache) <= 3600:
        raise bad_request('cache_time must be between 5 and 3600')
    _touch_shared(shared)
    shared['public_data'] = params.get('public_data') or ''
    for key, msg in list(api.world.messages.items()):     # every copy shows the new data
        if (msg.get('widget') or {}).get('id') == params['widget_id']:
            api.world.messages[key] = dict(msg, widget=_set_data(msg['widget'], params,
                                                                 'public_data'))
    return True


@_handles('answerWidgetQuery')
def _answer_widget_query(api: Any, method: str, params: Dict[str, Any],
                         uploads: Dict[str, Any]) -> bool:
    qid = str(params.get('widget_query_id'))
    _check_data(params, 'data')
    kind = api.world.queries.get(qid)
    if kind not in ('widget_query', 'shared_widget_query'):
        raise bad_request('query is too old and response timeout expired or query ID is invalid')
    made = api.world.query_times.get(qid, 0.0)
    if time.monotonic() - made > WIDGET_QUERY_WINDOW:
        raise bad_request('query is too old and response timeout expired or query ID is invalid')
    api.world.answer_query(kind, qid)
    api.world.state.setdefault('widget_answers', {})[qid] = params.get('data', '')
    return True


@_handles('getChatShareThemeBackdrops')
def _backdrops(api: Any, method: str, params: Dict[str, Any],
               uploads: Dict[str, Any]) -> Dict[str, Any]:
    return plausible('ChatShareThemeBackdrops')


def widget_query(world: Any, user: Dict[str, Any], msg: Optional[Dict[str, Any]],
                 widget_id: Optional[str], data: str,
                 query_type: str) -> Tuple[str, Dict[str, Any]]:
    """The (update kind, WidgetQuery or SharedWidgetQuery) a user's widget sends the bot.
    ValueError when the widget takes no queries or the user exceeds 5 queries in 5 seconds."""
    if not 1 <= _size(data) <= 64:
        raise ValueError('widget query data must be 1-64 bytes')
    if msg is not None:
        allowed = world.state.get('widget_queries_allowed', set())
        if 'widget' not in msg or (msg['chat']['id'], msg['message_id']) not in allowed:
            raise ValueError('message %s has no widget that takes queries' % msg['message_id'])
        kind = 'widget_query'
        _count_query(world, user)
        query: Dict[str, Any] = {
            'id': world.new_query_id(kind), 'from': user,
            'chat_instance': str(7046000000000000000 + abs(msg['chat']['id'])),
            'type': {'type': query_type}, 'data': data, 'chat': msg['chat'],
            'message_id': msg['message_id'], 'chat_type': msg['chat']['type']}
        if msg['widget'].get('id'):
            query['widget_id'] = msg['widget']['id']
        return kind, query
    shared = world.widgets.get(widget_id)
    if shared is None or not shared['allow_queries']:
        raise ValueError('no shared widget %r that takes queries' % (widget_id,))
    kind = 'shared_widget_query'
    _count_query(world, user)
    return kind, {'id': world.new_query_id(kind), 'from': user, 'widget_id': widget_id,
                  'type': {'type': query_type}, 'data': data}


def _count_query(world: Any, user: Dict[str, Any]) -> None:
    now = time.monotonic()
    times = world.state.setdefault('widget_query_times', {})
    recent: List[float] = [t for t in times.get(user['id'], [])
                           if now - t < WIDGET_QUERIES_PER_USER[1]]
    if len(recent) >= WIDGET_QUERIES_PER_USER[0]:
        raise ValueError('a user can send at most %d widget queries per %g seconds'
                         % WIDGET_QUERIES_PER_USER)
    times[user['id']] = recent + [now]


# ----------------------------------------------------------------------------- bot settings

_SETTINGS_IN_GETME = ('supports_inline_queries', 'inline_query_placeholder',
                      'needs_inline_query_location', 'can_join_groups',
                      'can_read_all_group_messages', 'can_connect_to_business', 'can_manage_bots',
                      'supports_guest_queries', 'supports_join_request_queries',
                      'has_topics_enabled', 'allows_users_to_create_topics', 'has_topic_sidebar')


@_handles('setMySettings')
def _set_my_settings(api: Any, method: str, params: Dict[str, Any],
                     uploads: Dict[str, Any]) -> bool:
    share = params.get('inline_feedback_share_denominator')
    if share is not None and share not in (0, 1, 10, 100, 1000):
        raise bad_request('inline_feedback_share_denominator must be 0, 1, 10, 100 or 1000')
    me = api.world.bot_user
    for name in _SETTINGS_IN_GETME:
        if name in params:
            if params[name] == '' and name == 'inline_query_placeholder':
                me.pop(name, None)       # "" restores the default
            else:
                me[name] = params[name]
    for name in ('inline_feedback_share_denominator', 'can_communicate_with_bots',
                 'callback_query_mode'):
        if name in params:
            api.world.state.setdefault('settings', {})[name] = params[name]
    return True

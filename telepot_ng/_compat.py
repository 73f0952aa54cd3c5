"""Legacy call forms: telepot 6.3 / telepot 12 positional orders and renamed parameters.

One table drives two things: the code generator (which methods accept extra
positional arguments) and the runtime (how those arguments and parameters that
Telegram has since renamed are mapped onto today's Bot API).

Rules, in the order they apply to a call:

1. ``remap`` -- a call that passes more positional arguments than today's
   required parameters (or passes a message-identifier tuple where telepot 12
   put one) is read with telepot's positional order.  Where telepot 6.3 and 12
   disagree, the first order whose values fit the parameter types wins; 6.3 is
   tried first because its reference is the contract.
2. ``translate`` -- parameters that no longer exist are rewritten to their
   current form (``disable_web_page_preview`` -> ``link_preview_options``,
   ``reply_to_message_id`` -> ``reply_parameters``, ``hide_keyboard`` ->
   ``remove_keyboard``, ``thumb`` -> ``thumbnail``, ...).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Mapping, MutableMapping, Optional, Sequence, Tuple

# --------------------------------------------------------------------------------------------
# Positional orders.  Each entry: (telepot 6.3 order, telepot 12 order); either may be None.

_O = Tuple[str, ...]

LEGACY_ORDERS: Dict[str, Tuple[Optional[_O], ...]] = {
    'getUpdates': (
        ('offset', 'limit', 'timeout'),
        ('offset', 'limit', 'timeout', 'allowed_updates')),
    'setWebhook': (
        ('url', 'certificate'),
        ('url', 'certificate', 'max_connections', 'allowed_updates')),
    'sendMessage': (
        ('chat_id', 'text', 'parse_mode', 'disable_web_page_preview', 'reply_to_message_id',
         'reply_markup'),
        ('chat_id', 'text', 'parse_mode', 'disable_web_page_preview', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'forwardMessage': (
        ('chat_id', 'from_chat_id', 'message_id'),
        ('chat_id', 'from_chat_id', 'message_id', 'disable_notification')),
    'sendPhoto': (
        ('chat_id', 'photo', 'caption', 'reply_to_message_id', 'reply_markup'),
        ('chat_id', 'photo', 'caption', 'parse_mode', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendAudio': (
        ('chat_id', 'audio', 'duration', 'performer', 'title', 'reply_to_message_id',
         'reply_markup'),
        ('chat_id', 'audio', 'caption', 'parse_mode', 'duration', 'performer', 'title',
         'disable_notification', 'reply_to_message_id', 'reply_markup')),
    'sendDocument': (
        ('chat_id', 'document', 'reply_to_message_id', 'reply_markup'),
        ('chat_id', 'document', 'caption', 'parse_mode', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendSticker': (
        ('chat_id', 'sticker', 'reply_to_message_id', 'reply_markup'),
        ('chat_id', 'sticker', 'disable_notification', 'reply_to_message_id', 'reply_markup')),
    'sendVideo': (
        ('chat_id', 'video', 'duration', 'caption', 'reply_to_message_id', 'reply_markup'),
        ('chat_id', 'video', 'duration', 'width', 'height', 'caption', 'parse_mode',
         'supports_streaming', 'disable_notification', 'reply_to_message_id', 'reply_markup')),
    'sendVoice': (
        ('chat_id', 'voice', 'duration', 'reply_to_message_id', 'reply_markup'),
        ('chat_id', 'voice', 'caption', 'parse_mode', 'duration', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendVideoNote': (
        None,
        ('chat_id', 'video_note', 'duration', 'length', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendMediaGroup': (
        None,
        ('chat_id', 'media', 'disable_notification', 'reply_to_message_id')),
    'sendLocation': (
        ('chat_id', 'latitude', 'longitude', 'reply_to_message_id', 'reply_markup'),
        ('chat_id', 'latitude', 'longitude', 'live_period', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendVenue': (
        None,
        ('chat_id', 'latitude', 'longitude', 'title', 'address', 'foursquare_id',
         'disable_notification', 'reply_to_message_id', 'reply_markup')),
    'sendContact': (
        None,
        ('chat_id', 'phone_number', 'first_name', 'last_name', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendGame': (
        None,
        ('chat_id', 'game_short_name', 'disable_notification', 'reply_to_message_id',
         'reply_markup')),
    'sendInvoice': (
        None,
        ('chat_id', 'title', 'description', 'payload', 'provider_token', 'start_parameter',
         'currency', 'prices', 'provider_data', 'photo_url', 'photo_size', 'photo_width',
         'photo_height', 'need_name', 'need_phone_number', 'need_email',
         'need_shipping_address', 'is_flexible', 'disable_notification',
         'reply_to_message_id', 'reply_markup')),
    'sendChatAction': (('chat_id', 'action'), None),
    'getUserProfilePhotos': (('user_id', 'offset', 'limit'), None),
    'banChatMember': (None, ('chat_id', 'user_id', 'until_date')),
    'restrictChatMember': (
        None,
        ('chat_id', 'user_id', 'until_date', 'can_send_messages', 'can_send_media_messages',
         'can_send_other_messages', 'can_add_web_page_previews')),
    'promoteChatMember': (
        None,
        ('chat_id', 'user_id', 'can_change_info', 'can_post_messages', 'can_edit_messages',
         'can_delete_messages', 'can_invite_users', 'can_restrict_members',
         'can_pin_messages', 'can_promote_members')),
    'setChatDescription': (None, ('chat_id', 'description')),
    'pinChatMessage': (None, ('chat_id', 'message_id', 'disable_notification')),
    'answerCallbackQuery': (
        None, ('callback_query_id', 'text', 'show_alert', 'url', 'cache_time')),
    'answerShippingQuery': (
        None, ('shipping_query_id', 'ok', 'shipping_options', 'error_message')),
    'answerPreCheckoutQuery': (None, ('pre_checkout_query_id', 'ok', 'error_message')),
    'editMessageText': (
        None,
        ('msg_identifier', 'text', 'parse_mode', 'disable_web_page_preview', 'reply_markup')),
    'editMessageCaption': (
        None, ('msg_identifier', 'caption', 'parse_mode', 'reply_markup')),
    'editMessageReplyMarkup': (None, ('msg_identifier', 'reply_markup')),
    'editMessageLiveLocation': (
        None, ('msg_identifier', 'latitude', 'longitude', 'reply_markup')),
    'stopMessageLiveLocation': (None, ('msg_identifier', 'reply_markup')),
    'deleteMessage': (None, ('msg_identifier',)),
    'uploadStickerFile': (None, ('user_id', 'png_sticker')),
    'createNewStickerSet': (
        None,
        ('user_id', 'name', 'title', 'png_sticker', 'emojis', 'contains_masks',
         'mask_position')),
    'addStickerToSet': (None, ('user_id', 'name', 'png_sticker', 'emojis', 'mask_position')),
    'answerInlineQuery': (
        ('inline_query_id', 'results', 'cache_time', 'is_personal', 'next_offset'),
        ('inline_query_id', 'results', 'cache_time', 'is_personal', 'next_offset',
         'switch_pm_text', 'switch_pm_parameter')),
    'setGameScore': (
        None,
        ('user_id', 'score', 'game_message_identifier', 'force', 'disable_edit_message')),
    'getGameHighScores': (None, ('user_id', 'game_message_identifier')),
}

#: Required parameters (today's API) that may be left out of the signature because a
#: legacy form supplies them another way.  Maps method -> {parameter: default}.
RELAXED_REQUIRED: Dict[str, Dict[str, Any]] = {
    'deleteMessage': {'message_id': None},   # deleteMessage((chat_id, message_id))
    'setWebhook': {'url': ''},               # setWebhook() removes the webhook (telepot 6.3)
    'uploadStickerFile': {'sticker_format': 'static'},   # uploadStickerFile(user_id, png_sticker)
}

#: Methods Telegram renamed; the old names stay callable on Bot.
METHOD_ALIASES: Dict[str, str] = {
    'kickChatMember': 'banChatMember',
    'getChatMembersCount': 'getChatMemberCount',
}

# Parameters that exist only in legacy forms, with the Python types their values take.
_IDENTIFIER = 'identifier'
_FILE = 'file'
LEGACY_PARAM_TYPES: Dict[str, Any] = {
    'msg_identifier': _IDENTIFIER,
    'game_message_identifier': _IDENTIFIER,
    'disable_web_page_preview': bool,
    'reply_to_message_id': int,
    'allow_sending_without_reply': bool,
    'switch_pm_text': str,
    'switch_pm_parameter': str,
    'png_sticker': _FILE,
    'emojis': str,
    'contains_masks': bool,
    'thumb': _FILE,
    'can_send_media_messages': bool,
    'can_send_other_messages': bool,
    'can_add_web_page_previews': bool,
    'can_send_messages': bool,
    'provider_token': str,
    'start_parameter': str,
}

def snake(name: str) -> str:
    """``sendMessage`` -> ``send_message``."""
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


_SCALARS = {'Integer': int, 'String': str, 'Boolean': bool, 'Float': (int, float)}


def _fits(value: Any, kind: Any) -> bool:
    """Whether ``value`` could be an argument of a parameter of this kind (None always fits)."""
    if value is None:
        return True
    if kind is bool:
        return type(value) is bool
    if kind is int:
        return isinstance(value, int) and type(value) is not bool
    if kind is str:
        return isinstance(value, str)
    if kind is _IDENTIFIER:
        return isinstance(value, (tuple, list, str)) or is_message_dict(value)
    if isinstance(kind, tuple):            # spec types of a parameter
        for t in kind:
            if t == 'Boolean' and type(value) is bool:
                return True
            if t == 'Integer' and isinstance(value, int) and type(value) is not bool:
                return True
            if t == 'Float' and isinstance(value, (int, float)) and type(value) is not bool:
                return True
            if t == 'String' and isinstance(value, str):
                return True
            if t not in _SCALARS:        # objects, arrays, files: anything non-scalar fits
                if not isinstance(value, (bool, int, float)):
                    return True
        return False
    return True


def _param_kind(method: str, name: str, spec_params: Mapping[str, Tuple[bool, Tuple[str, ...]]]):
    if name in LEGACY_PARAM_TYPES:
        return LEGACY_PARAM_TYPES[name]
    p = spec_params.get(name)
    return p[1] if p is not None else None


def legacy_positional_count(method: str) -> int:
    """Longest legacy positional order of ``method`` (0 when it has none)."""
    return max((len(o) for o in LEGACY_ORDERS.get(method, ()) if o), default=0)


def remap(method: str, positional: Sequence[Any], spec_params: Mapping[str, Tuple[bool, Tuple[str, ...]]],
          skip_identifier: bool = False) -> Dict[str, Any]:
    """Map positional values onto names using telepot's legacy order(s) for ``method``.

    With ``skip_identifier`` (the message was identified by keywords), an order that starts
    with a message identifier is read without it: ``editMessageText('new', chat_id=1,
    message_id=2)``.
    """
    orders = [o for o in LEGACY_ORDERS.get(method, ()) if o]
    if skip_identifier:
        orders = [o[1:] if o[0] == 'msg_identifier' else o for o in orders]
    usable = [o for o in orders if len(o) >= len(positional)]
    if not usable:
        longest = max((len(o) for o in orders), default=0)
        raise TypeError('%s() takes at most %d positional arguments (%d given)'
                        % (method, longest, len(positional)))
    chosen = usable[0]
    for order in usable:
        if all(_fits(v, _param_kind(method, n, spec_params)) for n, v in zip(order, positional)):
            chosen = order
            break
    return dict(zip(chosen, positional))


# --------------------------------------------------------------------------------------------
# Translation of parameters that Telegram has renamed or restructured.

def _as_dict(obj: Any) -> Any:
    if isinstance(obj, tuple) and hasattr(obj, '_asdict'):
        return obj._asdict()
    return obj


def split_identifier(ident: Any) -> Dict[str, Any]:
    """telepot 12 message identifier -> today's parameters.

    ``(chat_id, message_id)`` -> chat_id/message_id; ``(inline_message_id,)`` or a plain
    string -> inline_message_id.
    """
    if isinstance(ident, (tuple, list)):
        if len(ident) == 2:
            return {'chat_id': ident[0], 'message_id': ident[1]}
        if len(ident) == 1:
            return {'inline_message_id': ident[0]}
        raise ValueError('a message identifier is (chat_id, message_id) or (inline_message_id,), '
                         'got a %d-tuple' % len(ident))
    if isinstance(ident, str):
        return {'inline_message_id': ident}
    if isinstance(ident, Mapping):
        if is_message_dict(ident):
            if 'chat' in ident and 'message_id' in ident:
                return {'chat_id': ident['chat']['id'], 'message_id': ident['message_id']}
            return {'inline_message_id': ident['inline_message_id']}
        keys = sorted(str(k) for k in ident)
        raise ValueError(
            'a message identifier is (chat_id, message_id), (inline_message_id,) or the Message '
            'dict a send method returned; got a dict with keys [%s]%s' % (
                ', '.join(keys[:8]) + (', ...' if len(keys) > 8 else ''),
                ' -- for the message a callback query came from use '
                'telepot_ng.origin_identifier(query)' if 'chat_instance' in ident else
                ' -- telepot_ng.message_identifier(msg) gives the identifier of a message'))
    raise ValueError('a message identifier is (chat_id, message_id), (inline_message_id,) or a '
                     'Message dict, got %s' % type(ident).__name__)


def is_message_dict(obj: Any) -> bool:
    """Whether ``obj`` is a dict that identifies a message: a Message (``chat`` and
    ``message_id``) or anything with an ``inline_message_id``."""
    if not isinstance(obj, Mapping):
        return False
    chat = obj.get('chat')
    return (isinstance(chat, Mapping) and 'id' in chat and 'message_id' in obj) \
        or isinstance(obj.get('inline_message_id'), str)


def _merge_obj(params: MutableMapping[str, Any], key: str, extra: Dict[str, Any]) -> None:
    cur = _as_dict(params.get(key))
    merged = dict(cur) if isinstance(cur, Mapping) else {}
    for k, v in extra.items():
        merged.setdefault(k, v)
    params[key] = merged


def fix_reply_markup(markup: Any) -> Any:
    """``hide_keyboard`` (Bot API 1.x) became ``remove_keyboard``."""
    m = _as_dict(markup)
    if isinstance(m, Mapping) and 'hide_keyboard' in m:
        m = {('remove_keyboard' if k == 'hide_keyboard' else k): v for k, v in m.items()}
        return m
    return markup


_RESULT_RENAMES = {'thumb_url': 'thumbnail_url', 'thumb_width': 'thumbnail_width',
                   'thumb_height': 'thumbnail_height', 'thumb_mime_type': 'thumbnail_mime_type'}
_CONTENT_KEYS = ('message_text', 'parse_mode', 'disable_web_page_preview')


def fix_inline_result(result: Any) -> Any:
    """Inline results written for old APIs: ``message_text`` -> ``input_message_content``,
    ``thumb_*`` -> ``thumbnail_*``."""
    r = _as_dict(result)
    if not isinstance(r, Mapping):
        return result
    content_in = _as_dict(r.get('input_message_content'))
    old_content = isinstance(content_in, Mapping) and 'disable_web_page_preview' in content_in
    needs = any(k in r for k in _RESULT_RENAMES) or 'message_text' in r or old_content
    if not needs:
        return result
    if old_content:
        fixed = {k: v for k, v in content_in.items()
                 if k != 'disable_web_page_preview' and v is not None}
        if content_in['disable_web_page_preview'] is not None:
            fixed.setdefault('link_preview_options',
                             {'is_disabled': bool(content_in['disable_web_page_preview'])})
        r = dict(r)
        r['input_message_content'] = fixed
    out = {}
    content = {}
    for k, v in r.items():
        if v is None:
            continue
        if k in _RESULT_RENAMES:
            out[_RESULT_RENAMES[k]] = v
        elif k in _CONTENT_KEYS and 'message_text' in r:
            if k == 'disable_web_page_preview':
                content['link_preview_options'] = {'is_disabled': bool(v)}
            else:
                content[k] = v
        else:
            out[k] = v
    if content and 'input_message_content' not in out:
        out['input_message_content'] = content
    return out


def _fix_results(params: MutableMapping[str, Any], key: str) -> None:
    v = params[key]
    if isinstance(v, (list, tuple)) and not hasattr(v, '_asdict'):
        params[key] = [fix_inline_result(x) for x in v]
    else:
        params[key] = fix_inline_result(v)


def _input_sticker(params: MutableMapping[str, Any]) -> Dict[str, Any]:
    sticker: Dict[str, Any] = {'sticker': params.pop('png_sticker'), 'format': 'static'}
    emojis = params.pop('emojis', None)
    if emojis:
        sticker['emoji_list'] = [e for e in emojis] if isinstance(emojis, str) else list(emojis)
    mask = params.pop('mask_position', None)
    if mask is not None:
        sticker['mask_position'] = mask
    return sticker


def translate(method: str, params: MutableMapping[str, Any]) -> None:
    """Rewrite legacy parameters in ``params`` (in place) to today's Bot API."""
    for key in ('msg_identifier', 'game_message_identifier'):
        if key in params:
            ident = params.pop(key)
            for k, v in split_identifier(ident).items():
                if params.get(k) is None:
                    params[k] = v
    if 'disable_web_page_preview' in params:
        flag = params.pop('disable_web_page_preview')
        if flag is not None:
            _merge_obj(params, 'link_preview_options', {'is_disabled': bool(flag)})
    if 'reply_to_message_id' in params:
        mid = params.pop('reply_to_message_id')
        extra: Dict[str, Any] = {'message_id': mid}
        if 'allow_sending_without_reply' in params:
            extra['allow_sending_without_reply'] = params.pop('allow_sending_without_reply')
        if mid is not None:
            _merge_obj(params, 'reply_parameters', extra)
    if 'thumb' in params:
        params.setdefault('thumbnail', params.pop('thumb'))
    if 'switch_pm_text' in params or 'switch_pm_parameter' in params:
        text = params.pop('switch_pm_text', None)
        start = params.pop('switch_pm_parameter', None)
        if text is not None:
            button = {'text': text}
            if start is not None:
                button['start_parameter'] = start
            params.setdefault('button', button)
    if method == 'restrictChatMember':
        perms = {k: params.pop(k) for k in ('can_send_messages', 'can_send_media_messages',
                                            'can_send_other_messages', 'can_add_web_page_previews')
                 if k in params}
        if perms:
            permissions: Dict[str, Any] = {}
            if 'can_send_messages' in perms:
                permissions['can_send_messages'] = perms['can_send_messages']
            media = perms.get('can_send_media_messages')
            if media is not None:
                for k in ('can_send_audios', 'can_send_documents', 'can_send_photos',
                          'can_send_videos', 'can_send_video_notes', 'can_send_voice_notes'):
                    permissions[k] = media
            if 'can_send_other_messages' in perms:
                permissions['can_send_other_messages'] = perms['can_send_other_messages']
            if 'can_add_web_page_previews' in perms:
                permissions['can_add_web_page_previews'] = perms['can_add_web_page_previews']
            _merge_obj(params, 'permissions', permissions)
    if 'png_sticker' in params:
        if method == 'uploadStickerFile':
            params['sticker'] = params.pop('png_sticker')
            params.setdefault('sticker_format', 'static')
        elif method == 'createNewStickerSet':
            masks = params.pop('contains_masks', None)
            params.setdefault('stickers', [_input_sticker(params)])
            if masks:
                params.setdefault('sticker_type', 'mask')
        elif method == 'addStickerToSet':
            params.setdefault('sticker', _input_sticker(params))
    if params.get('reply_markup') is not None:
        params['reply_markup'] = fix_reply_markup(params['reply_markup'])
    for key in ('results', 'result'):
        if params.get(key) is not None and method in ('answerInlineQuery', 'answerWebAppQuery',
                                                       'savePreparedInlineMessage'):
            _fix_results(params, key)


# --------------------------------------------------------------------------------------------
# Results whose shape Telegram changed.

def flatten_bot_info(result: Any) -> Any:
    """getMe's result in one shape whichever Bot API version answered.

    Up to Bot API 10.4 getMe returns a User (``id``, ``first_name``, ``username`` and the
    bot-only fields ``can_join_groups``, ``supports_inline_queries``, ...).  Bot API 10.5
    returns a ``BotFullInfo``, documented flat: the same keys plus new ones
    (``active_usernames``, ``inline_query_placeholder``, ...), so code reading the old keys
    keeps working.  Should a server nest the account as ``{'user': {...}, <bot fields>}`` (or
    ``'bot'``), the nested keys are copied to the top level, where old code reads them;
    top-level keys win and the nested object stays under its key.
    """
    if isinstance(result, dict) and 'id' not in result:
        for key in ('user', 'bot'):
            inner = result.get(key)
            if isinstance(inner, dict) and 'id' in inner:
                flat = dict(inner)
                flat.update(result)
                return flat
    return result


#: method -> function applied to its result before the caller sees it.
RESULT_FIXES: Dict[str, Any] = {'getMe': flatten_bot_info}

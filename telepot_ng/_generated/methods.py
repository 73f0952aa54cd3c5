# GENERATED FILE -- DO NOT EDIT.
# Source: telepot_ng/_codegen/botapi.json (Bot API 10.3, August 24, 2026)
# and botapi-supplement.json (Bot API 10.4 of November 9, 2026, Bot API 10.5 of November 22, 2026).
# Regenerate with: python -m telepot_ng._codegen

"""Every Bot API method as a Python method (mixed into telepot_ng.Bot)."""
from typing import Any, Dict, List, Optional, Union

from .._typing import InputFileLike, JSONObject


class BotMethods:
    """Bot API 10.3 methods and the 10.4/10.5 methods of the supplement.  Each returns the ``result`` of
    Telegram's answer as plain dicts/lists/scalars; parameters are documented at
    core.telegram.org/bots/api."""

    __slots__ = ()

    def _api(self, method: str, args: tuple, params: Dict[str, Any],
             kwargs: Dict[str, Any]) -> Any:  # pragma: no cover - provided by Bot
        raise NotImplementedError

    def getUpdates(
            self,
            *args: Any,
            offset: Optional[int] = None,
            limit: Optional[int] = None,
            timeout: Optional[int] = None,
            allowed_updates: Optional[List[str]] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to receive incoming updates using long polling (wiki). Returns an
        Array of Update objects.

        See: https://core.telegram.org/bots/api#getupdates
        """
        return self._api('getUpdates', args, {
            'offset': offset, 'limit': limit, 'timeout': timeout, 'allowed_updates':
            allowed_updates
        }, kwargs)

    def setWebhook(
            self,
            url: Optional[str] = None,
            *args: Any,
            certificate: Optional[InputFileLike] = None,
            ip_address: Optional[str] = None,
            max_connections: Optional[int] = None,
            allowed_updates: Optional[List[str]] = None,
            drop_pending_updates: Optional[bool] = None,
            secret_token: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to specify a URL and receive incoming updates via an outgoing
        webhook. Whenever there is an update for the bot, we will send an HTTPS POST request
        to the specified URL, containing a JSON-serialized Update. In case of an
        unsuccessful request (a request with response HTTP status code different from 2XY),
        we will repeat the request and give up after a reasonable amount of attempts.
        Returns True on success.

        See: https://core.telegram.org/bots/api#setwebhook
        """
        return self._api('setWebhook', args, {
            'url': url, 'certificate': certificate, 'ip_address': ip_address,
            'max_connections': max_connections, 'allowed_updates': allowed_updates,
            'drop_pending_updates': drop_pending_updates, 'secret_token': secret_token
        }, kwargs)

    def deleteWebhook(self, *, drop_pending_updates: Optional[bool] = None, **kwargs: Any) -> bool:
        """Use this method to remove webhook integration if you decide to switch back to
        getUpdates. Returns True on success.

        See: https://core.telegram.org/bots/api#deletewebhook
        """
        return self._api('deleteWebhook', (), {
            'drop_pending_updates': drop_pending_updates
        }, kwargs)

    def getWebhookInfo(self, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get current webhook status. Requires no parameters. On success,
        returns a WebhookInfo object. If the bot is using getUpdates, will return an object
        with the url field empty.

        See: https://core.telegram.org/bots/api#getwebhookinfo
        """
        return self._api('getWebhookInfo', (), {}, kwargs)

    def getMe(self, **kwargs: Any) -> Dict[str, Any]:
        """A simple method for testing your bot's authentication token. Requires no parameters.
        Returns basic information about the bot in form of a BotFullInfo object (a User
        before Bot API 10.5).

        See: https://core.telegram.org/bots/api#getme
        """
        return self._api('getMe', (), {}, kwargs)

    def logOut(self, **kwargs: Any) -> bool:
        """Use this method to log out from the cloud Bot API server before launching the bot
        locally. You must log out the bot before running it locally, otherwise there is no
        guarantee that the bot will receive updates. After a successful call, you can
        immediately log in on a local server, but will not be able to log in back to the
        cloud Bot API server for 10 minutes. Returns True on success. Requires no
        parameters.

        See: https://core.telegram.org/bots/api#logout
        """
        return self._api('logOut', (), {}, kwargs)

    def close(self, **kwargs: Any) -> bool:
        """Use this method to close the bot instance before moving it from one local server to
        another. You need to delete the webhook before calling this method to ensure that
        the bot isn't launched again after server restart. The method will return error 429
        in the first 10 minutes after the bot is launched. Returns True on success. Requires
        no parameters.

        See: https://core.telegram.org/bots/api#close
        """
        return self._api('close', (), {}, kwargs)

    def sendMessage(
            self,
            chat_id: Union[int, str],
            text: str,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            parse_mode: Optional[str] = None,
            entities: Optional[List[JSONObject]] = None,
            link_preview_options: Optional[JSONObject] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send text messages. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendmessage
        """
        return self._api('sendMessage', args, {
            'chat_id': chat_id, 'text': text, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'parse_mode':
            parse_mode, 'entities': entities, 'link_preview_options':
            link_preview_options, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def forwardMessage(
            self,
            chat_id: Union[int, str],
            from_chat_id: Union[int, str],
            message_id: int,
            *args: Any,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            video_start_timestamp: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to forward messages of any kind. Service messages and messages with
        protected content can't be forwarded. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#forwardmessage
        """
        return self._api('forwardMessage', args, {
            'chat_id': chat_id, 'from_chat_id': from_chat_id, 'message_id': message_id,
            'message_thread_id': message_thread_id, 'direct_messages_topic_id':
            direct_messages_topic_id, 'video_start_timestamp': video_start_timestamp,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters
        }, kwargs)

    def forwardMessages(
            self,
            chat_id: Union[int, str],
            from_chat_id: Union[int, str],
            message_ids: List[int],
            *,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to forward multiple messages of any kind. If some of the specified
        messages can't be found or forwarded, they are skipped. Service messages and
        messages with protected content can't be forwarded. Album grouping is kept for
        forwarded messages. On success, an Array of MessageId of the sent messages is
        returned.

        See: https://core.telegram.org/bots/api#forwardmessages
        """
        return self._api('forwardMessages', (), {
            'chat_id': chat_id, 'from_chat_id': from_chat_id, 'message_ids':
            message_ids, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'disable_notification': disable_notification, 'protect_content':
            protect_content
        }, kwargs)

    def copyMessage(
            self,
            chat_id: Union[int, str],
            from_chat_id: Union[int, str],
            message_id: int,
            *,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            video_start_timestamp: Optional[int] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to copy messages of any kind. Service messages, paid media messages,
        giveaway messages, giveaway winners messages, and invoice messages can't be copied.
        A quiz poll can be copied only if the value of the field correct_option_ids is known
        to the bot. The method is analogous to the method forwardMessage, but the copied
        message doesn't have a link to the original message. Returns the MessageId of the
        sent message on success.

        See: https://core.telegram.org/bots/api#copymessage
        """
        return self._api('copyMessage', (), {
            'chat_id': chat_id, 'from_chat_id': from_chat_id, 'message_id': message_id,
            'message_thread_id': message_thread_id, 'direct_messages_topic_id':
            direct_messages_topic_id, 'video_start_timestamp': video_start_timestamp,
            'caption': caption, 'parse_mode': parse_mode, 'caption_entities':
            caption_entities, 'show_caption_above_media': show_caption_above_media,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def copyMessages(
            self,
            chat_id: Union[int, str],
            from_chat_id: Union[int, str],
            message_ids: List[int],
            *,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            remove_caption: Optional[bool] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to copy messages of any kind. If some of the specified messages
        can't be found or copied, they are skipped. Service messages, paid media messages,
        giveaway messages, giveaway winners messages, and invoice messages can't be copied.
        A quiz poll can be copied only if the value of the field correct_option_ids is known
        to the bot. The method is analogous to the method forwardMessages, but the copied
        messages don't have a link to the original message. Album grouping is kept for
        copied messages. On success, an Array of MessageId of the sent messages is returned.

        See: https://core.telegram.org/bots/api#copymessages
        """
        return self._api('copyMessages', (), {
            'chat_id': chat_id, 'from_chat_id': from_chat_id, 'message_ids':
            message_ids, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'remove_caption': remove_caption
        }, kwargs)

    def sendPhoto(
            self,
            chat_id: Union[int, str],
            photo: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            has_spoiler: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send photos. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendphoto
        """
        return self._api('sendPhoto', args, {
            'chat_id': chat_id, 'photo': photo, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'caption':
            caption, 'parse_mode': parse_mode, 'caption_entities': caption_entities,
            'show_caption_above_media': show_caption_above_media, 'has_spoiler':
            has_spoiler, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendLivePhoto(
            self,
            chat_id: Union[int, str],
            live_photo: InputFileLike,
            photo: InputFileLike,
            *,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            has_spoiler: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send live photos. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendlivephoto
        """
        return self._api('sendLivePhoto', (), {
            'chat_id': chat_id, 'live_photo': live_photo, 'photo': photo,
            'business_connection_id': business_connection_id, 'message_thread_id':
            message_thread_id, 'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'caption':
            caption, 'parse_mode': parse_mode, 'caption_entities': caption_entities,
            'show_caption_above_media': show_caption_above_media, 'has_spoiler':
            has_spoiler, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendAudio(
            self,
            chat_id: Union[int, str],
            audio: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            duration: Optional[int] = None,
            performer: Optional[str] = None,
            title: Optional[str] = None,
            thumbnail: Optional[InputFileLike] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send audio files, if you want Telegram clients to display them in
        the music player. Your audio must be in the .MP3 or .M4A format. On success, the
        sent Message is returned. Bots can currently send audio files of up to 50 MB in
        size, this limit may be changed in the future.

        See: https://core.telegram.org/bots/api#sendaudio
        """
        return self._api('sendAudio', args, {
            'chat_id': chat_id, 'audio': audio, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'caption':
            caption, 'parse_mode': parse_mode, 'caption_entities': caption_entities,
            'duration': duration, 'performer': performer, 'title': title, 'thumbnail':
            thumbnail, 'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def sendDocument(
            self,
            chat_id: Union[int, str],
            document: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            thumbnail: Optional[InputFileLike] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            disable_content_type_detection: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send general files. On success, the sent Message is returned.
        Bots can currently send files of any type of up to 50 MB in size, this limit may be
        changed in the future.

        See: https://core.telegram.org/bots/api#senddocument
        """
        return self._api('sendDocument', args, {
            'chat_id': chat_id, 'document': document, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'thumbnail':
            thumbnail, 'caption': caption, 'parse_mode': parse_mode, 'caption_entities':
            caption_entities, 'disable_content_type_detection':
            disable_content_type_detection, 'disable_notification':
            disable_notification, 'protect_content': protect_content,
            'allow_paid_broadcast': allow_paid_broadcast, 'message_effect_id':
            message_effect_id, 'suggested_post_parameters': suggested_post_parameters,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendVideo(
            self,
            chat_id: Union[int, str],
            video: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            duration: Optional[int] = None,
            width: Optional[int] = None,
            height: Optional[int] = None,
            thumbnail: Optional[InputFileLike] = None,
            cover: Optional[InputFileLike] = None,
            start_timestamp: Optional[int] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            has_spoiler: Optional[bool] = None,
            supports_streaming: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send video files, Telegram clients support MPEG4 videos (other
        formats may be sent as Document). On success, the sent Message is returned. Bots can
        currently send video files of up to 50 MB in size, this limit may be changed in the
        future.

        See: https://core.telegram.org/bots/api#sendvideo
        """
        return self._api('sendVideo', args, {
            'chat_id': chat_id, 'video': video, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'duration':
            duration, 'width': width, 'height': height, 'thumbnail': thumbnail, 'cover':
            cover, 'start_timestamp': start_timestamp, 'caption': caption, 'parse_mode':
            parse_mode, 'caption_entities': caption_entities,
            'show_caption_above_media': show_caption_above_media, 'has_spoiler':
            has_spoiler, 'supports_streaming': supports_streaming,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def sendAnimation(
            self,
            chat_id: Union[int, str],
            animation: InputFileLike,
            *,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            duration: Optional[int] = None,
            width: Optional[int] = None,
            height: Optional[int] = None,
            thumbnail: Optional[InputFileLike] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            has_spoiler: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send animation files (GIF or H.264/MPEG-4 AVC video without
        sound). On success, the sent Message is returned. Bots can currently send animation
        files of up to 50 MB in size, this limit may be changed in the future.

        See: https://core.telegram.org/bots/api#sendanimation
        """
        return self._api('sendAnimation', (), {
            'chat_id': chat_id, 'animation': animation, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'duration':
            duration, 'width': width, 'height': height, 'thumbnail': thumbnail,
            'caption': caption, 'parse_mode': parse_mode, 'caption_entities':
            caption_entities, 'show_caption_above_media': show_caption_above_media,
            'has_spoiler': has_spoiler, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendVoice(
            self,
            chat_id: Union[int, str],
            voice: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            duration: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send audio files, if you want Telegram clients to display the
        file as a playable voice message. For this to work, your audio must be in an .OGG
        file encoded with OPUS, or in .MP3 format, or in .M4A format (other formats may be
        sent as Audio or Document). On success, the sent Message is returned. Bots can
        currently send voice messages of up to 50 MB in size, this limit may be changed in
        the future.

        See: https://core.telegram.org/bots/api#sendvoice
        """
        return self._api('sendVoice', args, {
            'chat_id': chat_id, 'voice': voice, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'caption':
            caption, 'parse_mode': parse_mode, 'caption_entities': caption_entities,
            'duration': duration, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendVideoNote(
            self,
            chat_id: Union[int, str],
            video_note: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            duration: Optional[int] = None,
            length: Optional[int] = None,
            thumbnail: Optional[InputFileLike] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send a rounded square MPEG4 video of up to 1 minute long. On
        success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendvideonote
        """
        return self._api('sendVideoNote', args, {
            'chat_id': chat_id, 'video_note': video_note, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'duration':
            duration, 'length': length, 'thumbnail': thumbnail, 'disable_notification':
            disable_notification, 'protect_content': protect_content,
            'allow_paid_broadcast': allow_paid_broadcast, 'message_effect_id':
            message_effect_id, 'suggested_post_parameters': suggested_post_parameters,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendPaidMedia(
            self,
            chat_id: Union[int, str],
            star_count: int,
            media: List[JSONObject],
            *,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            payload: Optional[str] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send paid media. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendpaidmedia
        """
        return self._api('sendPaidMedia', (), {
            'chat_id': chat_id, 'star_count': star_count, 'media': media,
            'business_connection_id': business_connection_id, 'message_thread_id':
            message_thread_id, 'direct_messages_topic_id': direct_messages_topic_id,
            'payload': payload, 'caption': caption, 'parse_mode': parse_mode,
            'caption_entities': caption_entities, 'show_caption_above_media':
            show_caption_above_media, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def sendMediaGroup(
            self,
            chat_id: Union[int, str],
            media: List[JSONObject],
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            reply_parameters: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to send a group of photos, live photos, videos, documents or audios
        as an album. Documents and audio files can be only grouped in an album with messages
        of the same type. On success, an Array of Message objects that were sent is
        returned.

        See: https://core.telegram.org/bots/api#sendmediagroup
        """
        return self._api('sendMediaGroup', args, {
            'chat_id': chat_id, 'media': media, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'reply_parameters': reply_parameters
        }, kwargs)

    def sendLocation(
            self,
            chat_id: Union[int, str],
            latitude: float,
            longitude: float,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            horizontal_accuracy: Optional[float] = None,
            live_period: Optional[int] = None,
            heading: Optional[int] = None,
            proximity_alert_radius: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send point on the map. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendlocation
        """
        return self._api('sendLocation', args, {
            'chat_id': chat_id, 'latitude': latitude, 'longitude': longitude,
            'business_connection_id': business_connection_id, 'message_thread_id':
            message_thread_id, 'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters,
            'horizontal_accuracy': horizontal_accuracy, 'live_period': live_period,
            'heading': heading, 'proximity_alert_radius': proximity_alert_radius,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def sendVenue(
            self,
            chat_id: Union[int, str],
            latitude: float,
            longitude: float,
            title: str,
            address: str,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            foursquare_id: Optional[str] = None,
            foursquare_type: Optional[str] = None,
            google_place_id: Optional[str] = None,
            google_place_type: Optional[str] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send information about a venue. On success, the sent Message is
        returned.

        See: https://core.telegram.org/bots/api#sendvenue
        """
        return self._api('sendVenue', args, {
            'chat_id': chat_id, 'latitude': latitude, 'longitude': longitude, 'title':
            title, 'address': address, 'business_connection_id': business_connection_id,
            'message_thread_id': message_thread_id, 'direct_messages_topic_id':
            direct_messages_topic_id, 'ephemeral_message_parameters':
            ephemeral_message_parameters, 'foursquare_id': foursquare_id,
            'foursquare_type': foursquare_type, 'google_place_id': google_place_id,
            'google_place_type': google_place_type, 'disable_notification':
            disable_notification, 'protect_content': protect_content,
            'allow_paid_broadcast': allow_paid_broadcast, 'message_effect_id':
            message_effect_id, 'suggested_post_parameters': suggested_post_parameters,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendContact(
            self,
            chat_id: Union[int, str],
            phone_number: str,
            first_name: str,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            last_name: Optional[str] = None,
            vcard: Optional[str] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send phone contacts. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendcontact
        """
        return self._api('sendContact', args, {
            'chat_id': chat_id, 'phone_number': phone_number, 'first_name': first_name,
            'business_connection_id': business_connection_id, 'message_thread_id':
            message_thread_id, 'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'last_name':
            last_name, 'vcard': vcard, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'suggested_post_parameters': suggested_post_parameters, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendPoll(
            self,
            chat_id: Union[int, str],
            question: str,
            options: List[JSONObject],
            *,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            question_parse_mode: Optional[str] = None,
            question_entities: Optional[List[JSONObject]] = None,
            is_anonymous: Optional[bool] = None,
            type: Optional[str] = None,
            allows_multiple_answers: Optional[bool] = None,
            allows_revoting: Optional[bool] = None,
            shuffle_options: Optional[bool] = None,
            allow_adding_options: Optional[bool] = None,
            hide_results_until_closes: Optional[bool] = None,
            members_only: Optional[bool] = None,
            country_codes: Optional[List[str]] = None,
            correct_option_ids: Optional[List[int]] = None,
            explanation: Optional[str] = None,
            explanation_parse_mode: Optional[str] = None,
            explanation_entities: Optional[List[JSONObject]] = None,
            explanation_media: Optional[JSONObject] = None,
            open_period: Optional[int] = None,
            close_date: Optional[int] = None,
            is_closed: Optional[bool] = None,
            description: Optional[str] = None,
            description_parse_mode: Optional[str] = None,
            description_entities: Optional[List[JSONObject]] = None,
            media: Optional[JSONObject] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send a native poll. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendpoll
        """
        return self._api('sendPoll', (), {
            'chat_id': chat_id, 'question': question, 'options': options,
            'business_connection_id': business_connection_id, 'message_thread_id':
            message_thread_id, 'question_parse_mode': question_parse_mode,
            'question_entities': question_entities, 'is_anonymous': is_anonymous,
            'type': type, 'allows_multiple_answers': allows_multiple_answers,
            'allows_revoting': allows_revoting, 'shuffle_options': shuffle_options,
            'allow_adding_options': allow_adding_options, 'hide_results_until_closes':
            hide_results_until_closes, 'members_only': members_only, 'country_codes':
            country_codes, 'correct_option_ids': correct_option_ids, 'explanation':
            explanation, 'explanation_parse_mode': explanation_parse_mode,
            'explanation_entities': explanation_entities, 'explanation_media':
            explanation_media, 'open_period': open_period, 'close_date': close_date,
            'is_closed': is_closed, 'description': description,
            'description_parse_mode': description_parse_mode, 'description_entities':
            description_entities, 'media': media, 'disable_notification':
            disable_notification, 'protect_content': protect_content,
            'allow_paid_broadcast': allow_paid_broadcast, 'message_effect_id':
            message_effect_id, 'reply_parameters': reply_parameters, 'reply_markup':
            reply_markup
        }, kwargs)

    def sendChecklist(
            self,
            business_connection_id: str,
            chat_id: Union[int, str],
            checklist: JSONObject,
            *,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send a checklist on behalf of a connected business account. On
        success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendchecklist
        """
        return self._api('sendChecklist', (), {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'checklist': checklist, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'message_effect_id': message_effect_id,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendDice(
            self,
            chat_id: Union[int, str],
            *,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            emoji: Optional[str] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send an animated emoji that will display a random value. On
        success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#senddice
        """
        return self._api('sendDice', (), {
            'chat_id': chat_id, 'business_connection_id': business_connection_id,
            'message_thread_id': message_thread_id, 'direct_messages_topic_id':
            direct_messages_topic_id, 'emoji': emoji, 'disable_notification':
            disable_notification, 'protect_content': protect_content,
            'allow_paid_broadcast': allow_paid_broadcast, 'message_effect_id':
            message_effect_id, 'suggested_post_parameters': suggested_post_parameters,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendMessageDraft(
            self,
            chat_id: int,
            draft_id: int,
            *,
            message_thread_id: Optional[int] = None,
            text: Optional[str] = None,
            parse_mode: Optional[str] = None,
            entities: Optional[List[JSONObject]] = None,
            can_stop: Optional[bool] = None,
            keep_on_stop: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to stream a partial message to a user while the message is being
        generated. Note that the streamed draft is ephemeral and acts as a temporary
        30-second preview - once the output is finalized, you must call sendMessage with the
        complete message to persist it in the user's chat. Returns True on success.

        See: https://core.telegram.org/bots/api#sendmessagedraft
        """
        return self._api('sendMessageDraft', (), {
            'chat_id': chat_id, 'draft_id': draft_id, 'message_thread_id':
            message_thread_id, 'text': text, 'parse_mode': parse_mode, 'entities':
            entities, 'can_stop': can_stop, 'keep_on_stop': keep_on_stop
        }, kwargs)

    def sendChatAction(
            self,
            chat_id: Union[int, str],
            action: str,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method when you need to tell the user that something is happening on the
        bot's side. The status is set for 5 seconds or less (when a message arrives from
        your bot, Telegram clients clear its typing status). Returns True on success.

        See: https://core.telegram.org/bots/api#sendchataction
        """
        return self._api('sendChatAction', args, {
            'chat_id': chat_id, 'action': action, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id
        }, kwargs)

    def setMessageReaction(
            self,
            chat_id: Union[int, str],
            message_id: int,
            *,
            reaction: Optional[List[JSONObject]] = None,
            is_big: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the chosen reactions on a message. Service messages of
        some types can't be reacted to. Automatically forwarded messages from a channel to
        its discussion group have the same available reactions as messages in the channel.
        Bots can't use paid reactions. Returns True on success.

        See: https://core.telegram.org/bots/api#setmessagereaction
        """
        return self._api('setMessageReaction', (), {
            'chat_id': chat_id, 'message_id': message_id, 'reaction': reaction,
            'is_big': is_big
        }, kwargs)

    def getUserProfilePhotos(
            self,
            user_id: int,
            *args: Any,
            offset: Optional[int] = None,
            limit: Optional[int] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get a list of profile pictures for a user. Returns a
        UserProfilePhotos object.

        See: https://core.telegram.org/bots/api#getuserprofilephotos
        """
        return self._api('getUserProfilePhotos', args, {
            'user_id': user_id, 'offset': offset, 'limit': limit
        }, kwargs)

    def getUserProfileAudios(
            self,
            user_id: int,
            *,
            offset: Optional[int] = None,
            limit: Optional[int] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get a list of profile audios for a user. Returns a
        UserProfileAudios object.

        See: https://core.telegram.org/bots/api#getuserprofileaudios
        """
        return self._api('getUserProfileAudios', (), {
            'user_id': user_id, 'offset': offset, 'limit': limit
        }, kwargs)

    def setUserEmojiStatus(
            self,
            user_id: int,
            *,
            emoji_status_custom_emoji_id: Optional[str] = None,
            emoji_status_expiration_date: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Changes the emoji status for a given user that previously allowed the bot to manage
        their emoji status via the Mini App method requestEmojiStatusAccess. Returns True on
        success.

        See: https://core.telegram.org/bots/api#setuseremojistatus
        """
        return self._api('setUserEmojiStatus', (), {
            'user_id': user_id, 'emoji_status_custom_emoji_id':
            emoji_status_custom_emoji_id, 'emoji_status_expiration_date':
            emoji_status_expiration_date
        }, kwargs)

    def getFile(self, file_id: str, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get basic information about a file and prepare it for
        downloading. For the moment, bots can download files of up to 20MB in size. On
        success, a File object is returned. The file can then be downloaded via the link
        https://api.telegram.org/file/bot<token>/<file_path>, where <file_path> is taken
        from the response. It is guaranteed that the link will be valid for at least 1 hour.
        When the link expires, a new one can be requested by calling getFile again.

        See: https://core.telegram.org/bots/api#getfile
        """
        return self._api('getFile', (), {'file_id': file_id}, kwargs)

    def banChatMember(
            self,
            chat_id: Union[int, str],
            user_id: int,
            *args: Any,
            until_date: Optional[int] = None,
            revoke_messages: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to ban a user in a group, a supergroup or a channel. In the case of
        supergroups and channels, the user will not be able to return to the chat on their
        own using invite links, etc., unless unbanned first. The bot must be an
        administrator in the chat for this to work and must have the appropriate
        administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#banchatmember
        """
        return self._api('banChatMember', args, {
            'chat_id': chat_id, 'user_id': user_id, 'until_date': until_date,
            'revoke_messages': revoke_messages
        }, kwargs)

    def unbanChatMember(
            self,
            chat_id: Union[int, str],
            user_id: int,
            *,
            only_if_banned: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to unban a previously banned user in a supergroup or channel. The
        user will not return to the group or channel automatically, but will be able to join
        via link, etc. The bot must be an administrator for this to work. By default, this
        method guarantees that after the call the user is not a member of the chat, but will
        be able to join it. So if the user is a member of the chat they will also be removed
        from the chat. If you don't want this, use the parameter only_if_banned. Returns
        True on success.

        See: https://core.telegram.org/bots/api#unbanchatmember
        """
        return self._api('unbanChatMember', (), {
            'chat_id': chat_id, 'user_id': user_id, 'only_if_banned': only_if_banned
        }, kwargs)

    def restrictChatMember(
            self,
            chat_id: Union[int, str],
            user_id: int,
            permissions: JSONObject,
            *args: Any,
            use_independent_chat_permissions: Optional[bool] = None,
            until_date: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to restrict a user in a supergroup. The bot must be an administrator
        in the supergroup for this to work and must have the appropriate administrator
        rights. Pass True for all permissions to lift restrictions from a user. Returns True
        on success.

        See: https://core.telegram.org/bots/api#restrictchatmember
        """
        return self._api('restrictChatMember', args, {
            'chat_id': chat_id, 'user_id': user_id, 'permissions': permissions,
            'use_independent_chat_permissions': use_independent_chat_permissions,
            'until_date': until_date
        }, kwargs)

    def promoteChatMember(
            self,
            chat_id: Union[int, str],
            user_id: int,
            *args: Any,
            is_anonymous: Optional[bool] = None,
            can_manage_chat: Optional[bool] = None,
            can_delete_messages: Optional[bool] = None,
            can_manage_video_chats: Optional[bool] = None,
            can_restrict_members: Optional[bool] = None,
            can_promote_members: Optional[bool] = None,
            can_change_info: Optional[bool] = None,
            can_invite_users: Optional[bool] = None,
            can_post_stories: Optional[bool] = None,
            can_edit_stories: Optional[bool] = None,
            can_delete_stories: Optional[bool] = None,
            can_send_welcome_messages: Optional[bool] = None,
            can_post_messages: Optional[bool] = None,
            can_edit_messages: Optional[bool] = None,
            can_pin_messages: Optional[bool] = None,
            can_manage_topics: Optional[bool] = None,
            can_manage_direct_messages: Optional[bool] = None,
            can_manage_tags: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to promote or demote a user in a supergroup or a channel. The bot
        must be an administrator in the chat for this to work and must have the appropriate
        administrator rights. Pass False for all boolean parameters to demote a user.
        Returns True on success.

        See: https://core.telegram.org/bots/api#promotechatmember
        """
        return self._api('promoteChatMember', args, {
            'chat_id': chat_id, 'user_id': user_id, 'is_anonymous': is_anonymous,
            'can_manage_chat': can_manage_chat, 'can_delete_messages':
            can_delete_messages, 'can_manage_video_chats': can_manage_video_chats,
            'can_restrict_members': can_restrict_members, 'can_promote_members':
            can_promote_members, 'can_change_info': can_change_info, 'can_invite_users':
            can_invite_users, 'can_post_stories': can_post_stories, 'can_edit_stories':
            can_edit_stories, 'can_delete_stories': can_delete_stories,
            'can_send_welcome_messages': can_send_welcome_messages, 'can_post_messages':
            can_post_messages, 'can_edit_messages': can_edit_messages,
            'can_pin_messages': can_pin_messages, 'can_manage_topics':
            can_manage_topics, 'can_manage_direct_messages': can_manage_direct_messages,
            'can_manage_tags': can_manage_tags
        }, kwargs)

    def setChatAdministratorCustomTitle(
            self,
            chat_id: Union[int, str],
            user_id: int,
            custom_title: str,
            **kwargs: Any,
    ) -> bool:
        """Use this method to set a custom title for an administrator in a supergroup promoted
        by the bot. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatadministratorcustomtitle
        """
        return self._api('setChatAdministratorCustomTitle', (), {
            'chat_id': chat_id, 'user_id': user_id, 'custom_title': custom_title
        }, kwargs)

    def setChatMemberTag(
            self,
            chat_id: Union[int, str],
            user_id: int,
            *,
            tag: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to set a tag for a regular member in a group or a supergroup. The
        bot must be an administrator in the chat for this to work and must have the
        can_manage_tags administrator right. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatmembertag
        """
        return self._api('setChatMemberTag', (), {
            'chat_id': chat_id, 'user_id': user_id, 'tag': tag
        }, kwargs)

    def banChatSenderChat(
            self,
            chat_id: Union[int, str],
            sender_chat_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to ban a channel chat in a supergroup or a channel. Until the chat
        is unbanned, the owner of the banned chat won't be able to send messages on behalf
        of any of their channels. The bot must be an administrator in the supergroup or
        channel for this to work and must have the appropriate administrator rights. Returns
        True on success.

        See: https://core.telegram.org/bots/api#banchatsenderchat
        """
        return self._api('banChatSenderChat', (), {
            'chat_id': chat_id, 'sender_chat_id': sender_chat_id
        }, kwargs)

    def unbanChatSenderChat(
            self,
            chat_id: Union[int, str],
            sender_chat_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to unban a previously banned channel chat in a supergroup or
        channel. The bot must be an administrator for this to work and must have the
        appropriate administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#unbanchatsenderchat
        """
        return self._api('unbanChatSenderChat', (), {
            'chat_id': chat_id, 'sender_chat_id': sender_chat_id
        }, kwargs)

    def setChatPermissions(
            self,
            chat_id: Union[int, str],
            permissions: JSONObject,
            *,
            use_independent_chat_permissions: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to set default chat permissions for all members. The bot must be an
        administrator in the group or a supergroup for this to work and must have the
        can_restrict_members administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatpermissions
        """
        return self._api('setChatPermissions', (), {
            'chat_id': chat_id, 'permissions': permissions,
            'use_independent_chat_permissions': use_independent_chat_permissions
        }, kwargs)

    def exportChatInviteLink(self, chat_id: Union[int, str], **kwargs: Any) -> str:
        """Use this method to generate a new primary invite link for a chat; any previously
        generated primary link is revoked. The bot must be an administrator in the chat for
        this to work and must have the appropriate administrator rights. Returns the new
        invite link as String on success.

        See: https://core.telegram.org/bots/api#exportchatinvitelink
        """
        return self._api('exportChatInviteLink', (), {'chat_id': chat_id}, kwargs)

    def createChatInviteLink(
            self,
            chat_id: Union[int, str],
            *,
            name: Optional[str] = None,
            expire_date: Optional[int] = None,
            member_limit: Optional[int] = None,
            creates_join_request: Optional[bool] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to create an additional invite link for a chat. The bot must be an
        administrator in the chat for this to work and must have the appropriate
        administrator rights. The link can be revoked using the method revokeChatInviteLink.
        Returns the new invite link as ChatInviteLink object.

        See: https://core.telegram.org/bots/api#createchatinvitelink
        """
        return self._api('createChatInviteLink', (), {
            'chat_id': chat_id, 'name': name, 'expire_date': expire_date,
            'member_limit': member_limit, 'creates_join_request': creates_join_request
        }, kwargs)

    def editChatInviteLink(
            self,
            chat_id: Union[int, str],
            invite_link: str,
            *,
            name: Optional[str] = None,
            expire_date: Optional[int] = None,
            member_limit: Optional[int] = None,
            creates_join_request: Optional[bool] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to edit a non-primary invite link created by the bot. The bot must
        be an administrator in the chat for this to work and must have the appropriate
        administrator rights. Returns the edited invite link as a ChatInviteLink object.

        See: https://core.telegram.org/bots/api#editchatinvitelink
        """
        return self._api('editChatInviteLink', (), {
            'chat_id': chat_id, 'invite_link': invite_link, 'name': name, 'expire_date':
            expire_date, 'member_limit': member_limit, 'creates_join_request':
            creates_join_request
        }, kwargs)

    def createChatSubscriptionInviteLink(
            self,
            chat_id: Union[int, str],
            subscription_period: int,
            subscription_price: int,
            *,
            name: Optional[str] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to create a subscription invite link for a channel chat. The bot
        must have the can_invite_users administrator rights. The link can be edited using
        the method editChatSubscriptionInviteLink or revoked using the method
        revokeChatInviteLink. Returns the new invite link as a ChatInviteLink object.

        See: https://core.telegram.org/bots/api#createchatsubscriptioninvitelink
        """
        return self._api('createChatSubscriptionInviteLink', (), {
            'chat_id': chat_id, 'subscription_period': subscription_period,
            'subscription_price': subscription_price, 'name': name
        }, kwargs)

    def editChatSubscriptionInviteLink(
            self,
            chat_id: Union[int, str],
            invite_link: str,
            *,
            name: Optional[str] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to edit a subscription invite link created by the bot. The bot must
        have the can_invite_users administrator rights. Returns the edited invite link as a
        ChatInviteLink object.

        See: https://core.telegram.org/bots/api#editchatsubscriptioninvitelink
        """
        return self._api('editChatSubscriptionInviteLink', (), {
            'chat_id': chat_id, 'invite_link': invite_link, 'name': name
        }, kwargs)

    def revokeChatInviteLink(
            self,
            chat_id: Union[int, str],
            invite_link: str,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to revoke an invite link created by the bot. If the primary link is
        revoked, a new link is automatically generated. The bot must be an administrator in
        the chat for this to work and must have the appropriate administrator rights.
        Returns the revoked invite link as ChatInviteLink object.

        See: https://core.telegram.org/bots/api#revokechatinvitelink
        """
        return self._api('revokeChatInviteLink', (), {
            'chat_id': chat_id, 'invite_link': invite_link
        }, kwargs)

    def approveChatJoinRequest(self, chat_id: Union[int, str], user_id: int, **kwargs: Any) -> bool:
        """Use this method to approve a chat join request. The bot must be an administrator in
        the chat for this to work and must have the can_invite_users administrator right.
        Returns True on success.

        See: https://core.telegram.org/bots/api#approvechatjoinrequest
        """
        return self._api('approveChatJoinRequest', (), {
            'chat_id': chat_id, 'user_id': user_id
        }, kwargs)

    def declineChatJoinRequest(self, chat_id: Union[int, str], user_id: int, **kwargs: Any) -> bool:
        """Use this method to decline a chat join request. The bot must be an administrator in
        the chat for this to work and must have the can_invite_users administrator right.
        Returns True on success.

        See: https://core.telegram.org/bots/api#declinechatjoinrequest
        """
        return self._api('declineChatJoinRequest', (), {
            'chat_id': chat_id, 'user_id': user_id
        }, kwargs)

    def answerChatJoinRequestQuery(
            self,
            chat_join_request_query_id: str,
            result: str,
            **kwargs: Any,
    ) -> bool:
        """Use this method to process a received chat join request query. Returns True on
        success.

        See: https://core.telegram.org/bots/api#answerchatjoinrequestquery
        """
        return self._api('answerChatJoinRequestQuery', (), {
            'chat_join_request_query_id': chat_join_request_query_id, 'result': result
        }, kwargs)

    def sendChatJoinRequestWebApp(
            self,
            chat_join_request_query_id: str,
            web_app_url: str,
            **kwargs: Any,
    ) -> bool:
        """Use this method to process a received chat join request query by showing a Mini App
        to the user before deciding the outcome. Call answerChatJoinRequestQuery to resolve
        the join request query based on the user interaction with the Mini App. Returns True
        on success.

        See: https://core.telegram.org/bots/api#sendchatjoinrequestwebapp
        """
        return self._api('sendChatJoinRequestWebApp', (), {
            'chat_join_request_query_id': chat_join_request_query_id, 'web_app_url':
            web_app_url
        }, kwargs)

    def setChatPhoto(self, chat_id: Union[int, str], photo: InputFileLike, **kwargs: Any) -> bool:
        """Use this method to set a new profile photo for the chat. Photos can't be changed for
        private chats. The bot must be an administrator in the chat for this to work and
        must have the appropriate administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatphoto
        """
        return self._api('setChatPhoto', (), {'chat_id': chat_id, 'photo': photo}, kwargs)

    def deleteChatPhoto(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to delete a chat photo. Photos can't be changed for private chats.
        The bot must be an administrator in the chat for this to work and must have the
        appropriate administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#deletechatphoto
        """
        return self._api('deleteChatPhoto', (), {'chat_id': chat_id}, kwargs)

    def setChatTitle(self, chat_id: Union[int, str], title: str, **kwargs: Any) -> bool:
        """Use this method to change the title of a chat. Titles can't be changed for private
        chats. The bot must be an administrator in the chat for this to work and must have
        the appropriate administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#setchattitle
        """
        return self._api('setChatTitle', (), {'chat_id': chat_id, 'title': title}, kwargs)

    def setChatDescription(
            self,
            chat_id: Union[int, str],
            *args: Any,
            description: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the description of a group, a supergroup or a channel. The
        bot must be an administrator in the chat for this to work and must have the
        appropriate administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatdescription
        """
        return self._api('setChatDescription', args, {
            'chat_id': chat_id, 'description': description
        }, kwargs)

    def pinChatMessage(
            self,
            chat_id: Union[int, str],
            message_id: int,
            *args: Any,
            business_connection_id: Optional[str] = None,
            disable_notification: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to add a message to the list of pinned messages in a chat. In
        private chats and channel direct messages chats, all non-service messages can be
        pinned. Conversely, the bot must be an administrator with the 'can_pin_messages'
        right or the 'can_edit_messages' right to pin messages in groups and channels
        respectively. Returns True on success.

        See: https://core.telegram.org/bots/api#pinchatmessage
        """
        return self._api('pinChatMessage', args, {
            'chat_id': chat_id, 'message_id': message_id, 'business_connection_id':
            business_connection_id, 'disable_notification': disable_notification
        }, kwargs)

    def unpinChatMessage(
            self,
            chat_id: Union[int, str],
            *,
            business_connection_id: Optional[str] = None,
            message_id: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to remove a message from the list of pinned messages in a chat. In
        private chats and channel direct messages chats, all messages can be unpinned.
        Conversely, the bot must be an administrator with the 'can_pin_messages' right or
        the 'can_edit_messages' right to unpin messages in groups and channels respectively.
        Returns True on success.

        See: https://core.telegram.org/bots/api#unpinchatmessage
        """
        return self._api('unpinChatMessage', (), {
            'chat_id': chat_id, 'business_connection_id': business_connection_id,
            'message_id': message_id
        }, kwargs)

    def unpinAllChatMessages(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to clear the list of pinned messages in a chat. In private chats and
        channel direct messages chats, no additional rights are required to unpin all pinned
        messages. Conversely, the bot must be an administrator with the 'can_pin_messages'
        right or the 'can_edit_messages' right to unpin all pinned messages in groups and
        channels respectively. Returns True on success.

        See: https://core.telegram.org/bots/api#unpinallchatmessages
        """
        return self._api('unpinAllChatMessages', (), {'chat_id': chat_id}, kwargs)

    def leaveChat(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method for your bot to leave a group, supergroup or channel. Returns True
        on success.

        See: https://core.telegram.org/bots/api#leavechat
        """
        return self._api('leaveChat', (), {'chat_id': chat_id}, kwargs)

    def getChat(self, chat_id: Union[int, str], **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get up-to-date information about the chat. Returns a ChatFullInfo
        object on success.

        See: https://core.telegram.org/bots/api#getchat
        """
        return self._api('getChat', (), {'chat_id': chat_id}, kwargs)

    def getChatAdministrators(
            self,
            chat_id: Union[int, str],
            *,
            return_bots: Optional[bool] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to get a list of administrators in a chat. Returns an Array of
        ChatMember objects.

        See: https://core.telegram.org/bots/api#getchatadministrators
        """
        return self._api('getChatAdministrators', (), {
            'chat_id': chat_id, 'return_bots': return_bots
        }, kwargs)

    def getChatMemberCount(self, chat_id: Union[int, str], **kwargs: Any) -> int:
        """Use this method to get the number of members in a chat. Returns Integer on success.

        See: https://core.telegram.org/bots/api#getchatmembercount
        """
        return self._api('getChatMemberCount', (), {'chat_id': chat_id}, kwargs)

    def getChatMember(
            self,
            chat_id: Union[int, str],
            user_id: int,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get information about a member of a chat. The method is only
        guaranteed to work for other users if the bot is an administrator in the chat.
        Returns a ChatMember object on success.

        See: https://core.telegram.org/bots/api#getchatmember
        """
        return self._api('getChatMember', (), {'chat_id': chat_id, 'user_id': user_id}, kwargs)

    def getUserPersonalChatMessages(
            self,
            user_id: int,
            limit: int,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to get the last messages from the personal chat (i.e., the chat
        currently added to their profile) of a given user. On success, an Array of Message
        objects is returned.

        See: https://core.telegram.org/bots/api#getuserpersonalchatmessages
        """
        return self._api('getUserPersonalChatMessages', (), {
            'user_id': user_id, 'limit': limit
        }, kwargs)

    def setChatStickerSet(
            self,
            chat_id: Union[int, str],
            sticker_set_name: str,
            **kwargs: Any,
    ) -> bool:
        """Use this method to set a new group sticker set for a supergroup. The bot must be an
        administrator in the chat for this to work and must have the appropriate
        administrator rights. Use the field can_set_sticker_set optionally returned in
        getChat requests to check if the bot can use this method. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatstickerset
        """
        return self._api('setChatStickerSet', (), {
            'chat_id': chat_id, 'sticker_set_name': sticker_set_name
        }, kwargs)

    def deleteChatStickerSet(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to delete a group sticker set from a supergroup. The bot must be an
        administrator in the chat for this to work and must have the appropriate
        administrator rights. Use the field can_set_sticker_set optionally returned in
        getChat requests to check if the bot can use this method. Returns True on success.

        See: https://core.telegram.org/bots/api#deletechatstickerset
        """
        return self._api('deleteChatStickerSet', (), {'chat_id': chat_id}, kwargs)

    def getForumTopicIconStickers(self, **kwargs: Any) -> List[Dict[str, Any]]:
        """Use this method to get custom emoji stickers, which can be used as a forum topic
        icon by any user. Requires no parameters. Returns an Array of Sticker objects.

        See: https://core.telegram.org/bots/api#getforumtopiciconstickers
        """
        return self._api('getForumTopicIconStickers', (), {}, kwargs)

    def createForumTopic(
            self,
            chat_id: Union[int, str],
            name: str,
            *,
            icon_color: Optional[int] = None,
            icon_custom_emoji_id: Optional[str] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to create a topic in a forum supergroup chat or a private chat with
        a user. In the case of a supergroup chat the bot must be an administrator in the
        chat for this to work and must have the can_manage_topics administrator right.
        Returns information about the created topic as a ForumTopic object.

        See: https://core.telegram.org/bots/api#createforumtopic
        """
        return self._api('createForumTopic', (), {
            'chat_id': chat_id, 'name': name, 'icon_color': icon_color,
            'icon_custom_emoji_id': icon_custom_emoji_id
        }, kwargs)

    def editForumTopic(
            self,
            chat_id: Union[int, str],
            message_thread_id: int,
            *,
            name: Optional[str] = None,
            icon_custom_emoji_id: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to edit name and icon of a topic in a forum supergroup chat or a
        private chat with a user. In the case of a supergroup chat the bot must be an
        administrator in the chat for this to work and must have the can_manage_topics
        administrator rights, unless it is the creator of the topic. Returns True on
        success.

        See: https://core.telegram.org/bots/api#editforumtopic
        """
        return self._api('editForumTopic', (), {
            'chat_id': chat_id, 'message_thread_id': message_thread_id, 'name': name,
            'icon_custom_emoji_id': icon_custom_emoji_id
        }, kwargs)

    def closeForumTopic(
            self,
            chat_id: Union[int, str],
            message_thread_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to close an open topic in a forum supergroup chat. The bot must be
        an administrator in the chat for this to work and must have the can_manage_topics
        administrator rights, unless it is the creator of the topic. Returns True on
        success.

        See: https://core.telegram.org/bots/api#closeforumtopic
        """
        return self._api('closeForumTopic', (), {
            'chat_id': chat_id, 'message_thread_id': message_thread_id
        }, kwargs)

    def reopenForumTopic(
            self,
            chat_id: Union[int, str],
            message_thread_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to reopen a closed topic in a forum supergroup chat. The bot must be
        an administrator in the chat for this to work and must have the can_manage_topics
        administrator rights, unless it is the creator of the topic. Returns True on
        success.

        See: https://core.telegram.org/bots/api#reopenforumtopic
        """
        return self._api('reopenForumTopic', (), {
            'chat_id': chat_id, 'message_thread_id': message_thread_id
        }, kwargs)

    def deleteForumTopic(
            self,
            chat_id: Union[int, str],
            message_thread_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to delete a forum topic along with all its messages in a forum
        supergroup chat or a private chat with a user. In the case of a supergroup chat the
        bot must be an administrator in the chat for this to work and must have the
        can_delete_messages administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#deleteforumtopic
        """
        return self._api('deleteForumTopic', (), {
            'chat_id': chat_id, 'message_thread_id': message_thread_id
        }, kwargs)

    def unpinAllForumTopicMessages(
            self,
            chat_id: Union[int, str],
            message_thread_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to clear the list of pinned messages in a forum topic in a forum
        supergroup chat or a private chat with a user. In the case of a supergroup chat the
        bot must be an administrator in the chat for this to work and must have the
        can_pin_messages administrator right in the supergroup. Returns True on success.

        See: https://core.telegram.org/bots/api#unpinallforumtopicmessages
        """
        return self._api('unpinAllForumTopicMessages', (), {
            'chat_id': chat_id, 'message_thread_id': message_thread_id
        }, kwargs)

    def editGeneralForumTopic(self, chat_id: Union[int, str], name: str, **kwargs: Any) -> bool:
        """Use this method to edit the name of the 'General' topic in a forum supergroup chat.
        The bot must be an administrator in the chat for this to work and must have the
        can_manage_topics administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#editgeneralforumtopic
        """
        return self._api('editGeneralForumTopic', (), {'chat_id': chat_id, 'name': name}, kwargs)

    def closeGeneralForumTopic(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to close an open 'General' topic in a forum supergroup chat. The bot
        must be an administrator in the chat for this to work and must have the
        can_manage_topics administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#closegeneralforumtopic
        """
        return self._api('closeGeneralForumTopic', (), {'chat_id': chat_id}, kwargs)

    def reopenGeneralForumTopic(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to reopen a closed 'General' topic in a forum supergroup chat. The
        bot must be an administrator in the chat for this to work and must have the
        can_manage_topics administrator rights. The topic will be automatically unhidden if
        it was hidden. Returns True on success.

        See: https://core.telegram.org/bots/api#reopengeneralforumtopic
        """
        return self._api('reopenGeneralForumTopic', (), {'chat_id': chat_id}, kwargs)

    def hideGeneralForumTopic(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to hide the 'General' topic in a forum supergroup chat. The bot must
        be an administrator in the chat for this to work and must have the can_manage_topics
        administrator rights. The topic will be automatically closed if it was open. Returns
        True on success.

        See: https://core.telegram.org/bots/api#hidegeneralforumtopic
        """
        return self._api('hideGeneralForumTopic', (), {'chat_id': chat_id}, kwargs)

    def unhideGeneralForumTopic(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to unhide the 'General' topic in a forum supergroup chat. The bot
        must be an administrator in the chat for this to work and must have the
        can_manage_topics administrator rights. Returns True on success.

        See: https://core.telegram.org/bots/api#unhidegeneralforumtopic
        """
        return self._api('unhideGeneralForumTopic', (), {'chat_id': chat_id}, kwargs)

    def unpinAllGeneralForumTopicMessages(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Use this method to clear the list of pinned messages in a General forum topic. The
        bot must be an administrator in the chat for this to work and must have the
        can_pin_messages administrator right in the supergroup. Returns True on success.

        See: https://core.telegram.org/bots/api#unpinallgeneralforumtopicmessages
        """
        return self._api('unpinAllGeneralForumTopicMessages', (), {'chat_id': chat_id}, kwargs)

    def answerCallbackQuery(
            self,
            callback_query_id: str,
            *args: Any,
            text: Optional[str] = None,
            show_alert: Optional[bool] = None,
            url: Optional[str] = None,
            cache_time: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to send answers to callback queries sent from inline keyboards. The
        answer will be displayed to the user as a notification at the top of the chat screen
        or as an alert. On success, True is returned.

        See: https://core.telegram.org/bots/api#answercallbackquery
        """
        return self._api('answerCallbackQuery', args, {
            'callback_query_id': callback_query_id, 'text': text, 'show_alert':
            show_alert, 'url': url, 'cache_time': cache_time
        }, kwargs)

    def answerGuestQuery(
            self,
            guest_query_id: str,
            result: JSONObject,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to reply to a received guest message. On success, a SentGuestMessage
        object is returned.

        See: https://core.telegram.org/bots/api#answerguestquery
        """
        return self._api('answerGuestQuery', (), {
            'guest_query_id': guest_query_id, 'result': result
        }, kwargs)

    def getUserChatBoosts(
            self,
            chat_id: Union[int, str],
            user_id: int,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get the list of boosts added to a chat by a user. Requires
        administrator rights in the chat. Returns a UserChatBoosts object.

        See: https://core.telegram.org/bots/api#getuserchatboosts
        """
        return self._api('getUserChatBoosts', (), {'chat_id': chat_id, 'user_id': user_id}, kwargs)

    def getBusinessConnection(self, business_connection_id: str, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get information about the connection of the bot with a business
        account. Returns a BusinessConnection object on success.

        See: https://core.telegram.org/bots/api#getbusinessconnection
        """
        return self._api('getBusinessConnection', (), {
            'business_connection_id': business_connection_id
        }, kwargs)

    def getManagedBotToken(self, user_id: int, **kwargs: Any) -> str:
        """Use this method to get the token of a managed bot. Returns the token as String on
        success.

        See: https://core.telegram.org/bots/api#getmanagedbottoken
        """
        return self._api('getManagedBotToken', (), {'user_id': user_id}, kwargs)

    def replaceManagedBotToken(self, user_id: int, **kwargs: Any) -> str:
        """Use this method to revoke the current token of a managed bot and generate a new one.
        Returns the new token as String on success.

        See: https://core.telegram.org/bots/api#replacemanagedbottoken
        """
        return self._api('replaceManagedBotToken', (), {'user_id': user_id}, kwargs)

    def getManagedBotAccessSettings(self, user_id: int, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get the access settings of a managed bot. Returns a
        BotAccessSettings object on success.

        See: https://core.telegram.org/bots/api#getmanagedbotaccesssettings
        """
        return self._api('getManagedBotAccessSettings', (), {'user_id': user_id}, kwargs)

    def setManagedBotAccessSettings(
            self,
            user_id: int,
            is_access_restricted: bool,
            *,
            added_user_ids: Optional[List[int]] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the access settings of a managed bot. Returns True on
        success.

        See: https://core.telegram.org/bots/api#setmanagedbotaccesssettings
        """
        return self._api('setManagedBotAccessSettings', (), {
            'user_id': user_id, 'is_access_restricted': is_access_restricted,
            'added_user_ids': added_user_ids
        }, kwargs)

    def setMyCommands(
            self,
            commands: List[JSONObject],
            *,
            scope: Optional[JSONObject] = None,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the list of the bot's commands. See this manual for more
        details about bot commands. Returns True on success.

        See: https://core.telegram.org/bots/api#setmycommands
        """
        return self._api('setMyCommands', (), {
            'commands': commands, 'scope': scope, 'language_code': language_code
        }, kwargs)

    def deleteMyCommands(
            self,
            *,
            scope: Optional[JSONObject] = None,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to delete the list of the bot's commands for the given scope and
        user language. After deletion, higher level commands will be shown to affected
        users. Returns True on success.

        See: https://core.telegram.org/bots/api#deletemycommands
        """
        return self._api('deleteMyCommands', (), {
            'scope': scope, 'language_code': language_code
        }, kwargs)

    def getMyCommands(
            self,
            *,
            scope: Optional[JSONObject] = None,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to get the current list of the bot's commands for the given scope
        and user language. Returns an Array of BotCommand objects. If commands aren't set,
        an empty list is returned.

        See: https://core.telegram.org/bots/api#getmycommands
        """
        return self._api('getMyCommands', (), {
            'scope': scope, 'language_code': language_code
        }, kwargs)

    def setMyName(
            self,
            *,
            name: Optional[str] = None,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the bot's name. Returns True on success.

        See: https://core.telegram.org/bots/api#setmyname
        """
        return self._api('setMyName', (), {'name': name, 'language_code': language_code}, kwargs)

    def getMyName(self, *, language_code: Optional[str] = None, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get the current bot name for the given user language. Returns
        BotName on success.

        See: https://core.telegram.org/bots/api#getmyname
        """
        return self._api('getMyName', (), {'language_code': language_code}, kwargs)

    def setMyDescription(
            self,
            *,
            description: Optional[str] = None,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the bot's description, which is shown in the chat with the
        bot if the chat is empty. Returns True on success.

        See: https://core.telegram.org/bots/api#setmydescription
        """
        return self._api('setMyDescription', (), {
            'description': description, 'language_code': language_code
        }, kwargs)

    def getMyDescription(
            self,
            *,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get the current bot description for the given user language.
        Returns BotDescription on success.

        See: https://core.telegram.org/bots/api#getmydescription
        """
        return self._api('getMyDescription', (), {'language_code': language_code}, kwargs)

    def setMyShortDescription(
            self,
            *,
            short_description: Optional[str] = None,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the bot's short description, which is shown on the bot's
        profile page and is sent together with the link when users share the bot. Returns
        True on success.

        See: https://core.telegram.org/bots/api#setmyshortdescription
        """
        return self._api('setMyShortDescription', (), {
            'short_description': short_description, 'language_code': language_code
        }, kwargs)

    def getMyShortDescription(
            self,
            *,
            language_code: Optional[str] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get the current bot short description for the given user
        language. Returns BotShortDescription on success.

        See: https://core.telegram.org/bots/api#getmyshortdescription
        """
        return self._api('getMyShortDescription', (), {'language_code': language_code}, kwargs)

    def setMyProfilePhoto(self, photo: JSONObject, **kwargs: Any) -> bool:
        """Changes the profile photo of the bot. Returns True on success.

        See: https://core.telegram.org/bots/api#setmyprofilephoto
        """
        return self._api('setMyProfilePhoto', (), {'photo': photo}, kwargs)

    def removeMyProfilePhoto(self, **kwargs: Any) -> bool:
        """Removes the profile photo of the bot. Requires no parameters. Returns True on
        success.

        See: https://core.telegram.org/bots/api#removemyprofilephoto
        """
        return self._api('removeMyProfilePhoto', (), {}, kwargs)

    def setChatMenuButton(
            self,
            *,
            chat_id: Optional[int] = None,
            menu_button: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the bot's menu button in a private chat, or the default
        menu button. Returns True on success.

        See: https://core.telegram.org/bots/api#setchatmenubutton
        """
        return self._api('setChatMenuButton', (), {
            'chat_id': chat_id, 'menu_button': menu_button
        }, kwargs)

    def getChatMenuButton(self, *, chat_id: Optional[int] = None, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get the current value of the bot's menu button in a private chat,
        or the default menu button. Returns MenuButton on success.

        See: https://core.telegram.org/bots/api#getchatmenubutton
        """
        return self._api('getChatMenuButton', (), {'chat_id': chat_id}, kwargs)

    def setMyDefaultAdministratorRights(
            self,
            *,
            rights: Optional[JSONObject] = None,
            for_channels: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the default administrator rights requested by the bot when
        it's added as an administrator to groups or channels. These rights will be suggested
        to users, but they are free to modify the list before adding the bot. Returns True
        on success.

        See: https://core.telegram.org/bots/api#setmydefaultadministratorrights
        """
        return self._api('setMyDefaultAdministratorRights', (), {
            'rights': rights, 'for_channels': for_channels
        }, kwargs)

    def getMyDefaultAdministratorRights(
            self,
            *,
            for_channels: Optional[bool] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to get the current default administrator rights of the bot. Returns
        ChatAdministratorRights on success.

        See: https://core.telegram.org/bots/api#getmydefaultadministratorrights
        """
        return self._api('getMyDefaultAdministratorRights', (), {
            'for_channels': for_channels
        }, kwargs)

    def getAvailableGifts(self, **kwargs: Any) -> Dict[str, Any]:
        """Returns the list of gifts that can be sent by the bot to users and channel chats.
        Requires no parameters. Returns a Gifts object.

        See: https://core.telegram.org/bots/api#getavailablegifts
        """
        return self._api('getAvailableGifts', (), {}, kwargs)

    def sendGift(
            self,
            gift_id: str,
            *,
            user_id: Optional[int] = None,
            chat_id: Optional[Union[int, str]] = None,
            pay_for_upgrade: Optional[bool] = None,
            text: Optional[str] = None,
            text_parse_mode: Optional[str] = None,
            text_entities: Optional[List[JSONObject]] = None,
            **kwargs: Any,
    ) -> bool:
        """Sends a gift to the given user or channel chat. The gift can't be converted to
        Telegram Stars by the receiver. Returns True on success.

        See: https://core.telegram.org/bots/api#sendgift
        """
        return self._api('sendGift', (), {
            'gift_id': gift_id, 'user_id': user_id, 'chat_id': chat_id,
            'pay_for_upgrade': pay_for_upgrade, 'text': text, 'text_parse_mode':
            text_parse_mode, 'text_entities': text_entities
        }, kwargs)

    def giftPremiumSubscription(
            self,
            user_id: int,
            month_count: int,
            star_count: int,
            *,
            text: Optional[str] = None,
            text_parse_mode: Optional[str] = None,
            text_entities: Optional[List[JSONObject]] = None,
            **kwargs: Any,
    ) -> bool:
        """Gifts a Telegram Premium subscription to the given user. Returns True on success.

        See: https://core.telegram.org/bots/api#giftpremiumsubscription
        """
        return self._api('giftPremiumSubscription', (), {
            'user_id': user_id, 'month_count': month_count, 'star_count': star_count,
            'text': text, 'text_parse_mode': text_parse_mode, 'text_entities':
            text_entities
        }, kwargs)

    def verifyUser(
            self,
            user_id: int,
            *,
            custom_description: Optional[str] = None,
            custom_description_parse_mode: Optional[str] = None,
            custom_description_entities: Optional[List[JSONObject]] = None,
            **kwargs: Any,
    ) -> bool:
        """Verifies a user on behalf of the organization which is represented by the bot.
        Returns True on success.

        See: https://core.telegram.org/bots/api#verifyuser
        """
        return self._api('verifyUser', (), {
            'user_id': user_id, 'custom_description': custom_description,
            'custom_description_parse_mode': custom_description_parse_mode,
            'custom_description_entities': custom_description_entities
        }, kwargs)

    def verifyChat(
            self,
            chat_id: Union[int, str],
            *,
            custom_description: Optional[str] = None,
            custom_description_parse_mode: Optional[str] = None,
            custom_description_entities: Optional[List[JSONObject]] = None,
            **kwargs: Any,
    ) -> bool:
        """Verifies a chat on behalf of the organization which is represented by the bot.
        Returns True on success.

        See: https://core.telegram.org/bots/api#verifychat
        """
        return self._api('verifyChat', (), {
            'chat_id': chat_id, 'custom_description': custom_description,
            'custom_description_parse_mode': custom_description_parse_mode,
            'custom_description_entities': custom_description_entities
        }, kwargs)

    def removeUserVerification(self, user_id: int, **kwargs: Any) -> bool:
        """Removes verification from a user who is currently verified on behalf of the
        organization represented by the bot. Returns True on success.

        See: https://core.telegram.org/bots/api#removeuserverification
        """
        return self._api('removeUserVerification', (), {'user_id': user_id}, kwargs)

    def removeChatVerification(self, chat_id: Union[int, str], **kwargs: Any) -> bool:
        """Removes verification from a chat that is currently verified on behalf of the
        organization represented by the bot. Returns True on success.

        See: https://core.telegram.org/bots/api#removechatverification
        """
        return self._api('removeChatVerification', (), {'chat_id': chat_id}, kwargs)

    def readBusinessMessage(
            self,
            business_connection_id: str,
            chat_id: int,
            message_id: int,
            **kwargs: Any,
    ) -> bool:
        """Marks incoming message as read on behalf of a business account. Requires the
        can_read_messages business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#readbusinessmessage
        """
        return self._api('readBusinessMessage', (), {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'message_id': message_id
        }, kwargs)

    def deleteBusinessMessages(
            self,
            business_connection_id: str,
            message_ids: List[int],
            **kwargs: Any,
    ) -> bool:
        """Delete messages on behalf of a business account. Requires the
        can_delete_sent_messages business bot right to delete messages sent by the bot
        itself, or the can_delete_all_messages business bot right to delete any message.
        Returns True on success.

        See: https://core.telegram.org/bots/api#deletebusinessmessages
        """
        return self._api('deleteBusinessMessages', (), {
            'business_connection_id': business_connection_id, 'message_ids': message_ids
        }, kwargs)

    def setBusinessAccountName(
            self,
            business_connection_id: str,
            first_name: str,
            *,
            last_name: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Changes the first and last name of a managed business account. Requires the
        can_change_name business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#setbusinessaccountname
        """
        return self._api('setBusinessAccountName', (), {
            'business_connection_id': business_connection_id, 'first_name': first_name,
            'last_name': last_name
        }, kwargs)

    def setBusinessAccountUsername(
            self,
            business_connection_id: str,
            *,
            username: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Changes the username of a managed business account. Requires the can_change_username
        business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#setbusinessaccountusername
        """
        return self._api('setBusinessAccountUsername', (), {
            'business_connection_id': business_connection_id, 'username': username
        }, kwargs)

    def setBusinessAccountBio(
            self,
            business_connection_id: str,
            *,
            bio: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Changes the bio of a managed business account. Requires the can_change_bio business
        bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#setbusinessaccountbio
        """
        return self._api('setBusinessAccountBio', (), {
            'business_connection_id': business_connection_id, 'bio': bio
        }, kwargs)

    def setBusinessAccountProfilePhoto(
            self,
            business_connection_id: str,
            photo: JSONObject,
            *,
            is_public: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Changes the profile photo of a managed business account. Requires the
        can_edit_profile_photo business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#setbusinessaccountprofilephoto
        """
        return self._api('setBusinessAccountProfilePhoto', (), {
            'business_connection_id': business_connection_id, 'photo': photo,
            'is_public': is_public
        }, kwargs)

    def removeBusinessAccountProfilePhoto(
            self,
            business_connection_id: str,
            *,
            is_public: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Removes the current profile photo of a managed business account. Requires the
        can_edit_profile_photo business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#removebusinessaccountprofilephoto
        """
        return self._api('removeBusinessAccountProfilePhoto', (), {
            'business_connection_id': business_connection_id, 'is_public': is_public
        }, kwargs)

    def setBusinessAccountGiftSettings(
            self,
            business_connection_id: str,
            show_gift_button: bool,
            accepted_gift_types: JSONObject,
            **kwargs: Any,
    ) -> bool:
        """Changes the privacy settings pertaining to incoming gifts in a managed business
        account. Requires the can_change_gift_settings business bot right. Returns True on
        success.

        See: https://core.telegram.org/bots/api#setbusinessaccountgiftsettings
        """
        return self._api('setBusinessAccountGiftSettings', (), {
            'business_connection_id': business_connection_id, 'show_gift_button':
            show_gift_button, 'accepted_gift_types': accepted_gift_types
        }, kwargs)

    def getBusinessAccountStarBalance(
            self,
            business_connection_id: str,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Returns the amount of Telegram Stars owned by a managed business account. Requires
        the can_view_gifts_and_stars business bot right. Returns StarAmount on success.

        See: https://core.telegram.org/bots/api#getbusinessaccountstarbalance
        """
        return self._api('getBusinessAccountStarBalance', (), {
            'business_connection_id': business_connection_id
        }, kwargs)

    def transferBusinessAccountStars(
            self,
            business_connection_id: str,
            star_count: int,
            **kwargs: Any,
    ) -> bool:
        """Transfers Telegram Stars from the business account balance to the bot's balance.
        Requires the can_transfer_stars business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#transferbusinessaccountstars
        """
        return self._api('transferBusinessAccountStars', (), {
            'business_connection_id': business_connection_id, 'star_count': star_count
        }, kwargs)

    def getBusinessAccountGifts(
            self,
            business_connection_id: str,
            *,
            exclude_unsaved: Optional[bool] = None,
            exclude_saved: Optional[bool] = None,
            exclude_unlimited: Optional[bool] = None,
            exclude_limited_upgradable: Optional[bool] = None,
            exclude_limited_non_upgradable: Optional[bool] = None,
            exclude_unique: Optional[bool] = None,
            exclude_from_blockchain: Optional[bool] = None,
            sort_by_price: Optional[bool] = None,
            offset: Optional[str] = None,
            limit: Optional[int] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Returns the gifts received and owned by a managed business account. Requires the
        can_view_gifts_and_stars business bot right. Returns OwnedGifts on success.

        See: https://core.telegram.org/bots/api#getbusinessaccountgifts
        """
        return self._api('getBusinessAccountGifts', (), {
            'business_connection_id': business_connection_id, 'exclude_unsaved':
            exclude_unsaved, 'exclude_saved': exclude_saved, 'exclude_unlimited':
            exclude_unlimited, 'exclude_limited_upgradable': exclude_limited_upgradable,
            'exclude_limited_non_upgradable': exclude_limited_non_upgradable,
            'exclude_unique': exclude_unique, 'exclude_from_blockchain':
            exclude_from_blockchain, 'sort_by_price': sort_by_price, 'offset': offset,
            'limit': limit
        }, kwargs)

    def getUserGifts(
            self,
            user_id: int,
            *,
            exclude_unlimited: Optional[bool] = None,
            exclude_limited_upgradable: Optional[bool] = None,
            exclude_limited_non_upgradable: Optional[bool] = None,
            exclude_from_blockchain: Optional[bool] = None,
            exclude_unique: Optional[bool] = None,
            sort_by_price: Optional[bool] = None,
            offset: Optional[str] = None,
            limit: Optional[int] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Returns the gifts owned and hosted by a user. Returns OwnedGifts on success.

        See: https://core.telegram.org/bots/api#getusergifts
        """
        return self._api('getUserGifts', (), {
            'user_id': user_id, 'exclude_unlimited': exclude_unlimited,
            'exclude_limited_upgradable': exclude_limited_upgradable,
            'exclude_limited_non_upgradable': exclude_limited_non_upgradable,
            'exclude_from_blockchain': exclude_from_blockchain, 'exclude_unique':
            exclude_unique, 'sort_by_price': sort_by_price, 'offset': offset, 'limit':
            limit
        }, kwargs)

    def getChatGifts(
            self,
            chat_id: Union[int, str],
            *,
            exclude_unsaved: Optional[bool] = None,
            exclude_saved: Optional[bool] = None,
            exclude_unlimited: Optional[bool] = None,
            exclude_limited_upgradable: Optional[bool] = None,
            exclude_limited_non_upgradable: Optional[bool] = None,
            exclude_from_blockchain: Optional[bool] = None,
            exclude_unique: Optional[bool] = None,
            sort_by_price: Optional[bool] = None,
            offset: Optional[str] = None,
            limit: Optional[int] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Returns the gifts owned by a chat. Returns OwnedGifts on success.

        See: https://core.telegram.org/bots/api#getchatgifts
        """
        return self._api('getChatGifts', (), {
            'chat_id': chat_id, 'exclude_unsaved': exclude_unsaved, 'exclude_saved':
            exclude_saved, 'exclude_unlimited': exclude_unlimited,
            'exclude_limited_upgradable': exclude_limited_upgradable,
            'exclude_limited_non_upgradable': exclude_limited_non_upgradable,
            'exclude_from_blockchain': exclude_from_blockchain, 'exclude_unique':
            exclude_unique, 'sort_by_price': sort_by_price, 'offset': offset, 'limit':
            limit
        }, kwargs)

    def convertGiftToStars(
            self,
            business_connection_id: str,
            owned_gift_id: str,
            **kwargs: Any,
    ) -> bool:
        """Converts a given regular gift to Telegram Stars. Requires the
        can_convert_gifts_to_stars business bot right. Returns True on success.

        See: https://core.telegram.org/bots/api#convertgifttostars
        """
        return self._api('convertGiftToStars', (), {
            'business_connection_id': business_connection_id, 'owned_gift_id':
            owned_gift_id
        }, kwargs)

    def upgradeGift(
            self,
            business_connection_id: str,
            owned_gift_id: str,
            *,
            keep_original_details: Optional[bool] = None,
            star_count: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Upgrades a given regular gift to a unique gift. Requires the
        can_transfer_and_upgrade_gifts business bot right. Additionally requires the
        can_transfer_stars business bot right if the upgrade is paid. Returns True on
        success.

        See: https://core.telegram.org/bots/api#upgradegift
        """
        return self._api('upgradeGift', (), {
            'business_connection_id': business_connection_id, 'owned_gift_id':
            owned_gift_id, 'keep_original_details': keep_original_details, 'star_count':
            star_count
        }, kwargs)

    def transferGift(
            self,
            business_connection_id: str,
            owned_gift_id: str,
            new_owner_chat_id: int,
            *,
            star_count: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Transfers an owned unique gift to another user. Requires the
        can_transfer_and_upgrade_gifts business bot right. Requires can_transfer_stars
        business bot right if the transfer is paid. Returns True on success.

        See: https://core.telegram.org/bots/api#transfergift
        """
        return self._api('transferGift', (), {
            'business_connection_id': business_connection_id, 'owned_gift_id':
            owned_gift_id, 'new_owner_chat_id': new_owner_chat_id, 'star_count':
            star_count
        }, kwargs)

    def postStory(
            self,
            business_connection_id: str,
            content: JSONObject,
            active_period: int,
            *,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            areas: Optional[List[JSONObject]] = None,
            post_to_chat_page: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Posts a story on behalf of a managed business account. Requires the
        can_manage_stories business bot right. Returns Story on success.

        See: https://core.telegram.org/bots/api#poststory
        """
        return self._api('postStory', (), {
            'business_connection_id': business_connection_id, 'content': content,
            'active_period': active_period, 'caption': caption, 'parse_mode':
            parse_mode, 'caption_entities': caption_entities, 'areas': areas,
            'post_to_chat_page': post_to_chat_page, 'protect_content': protect_content
        }, kwargs)

    def repostStory(
            self,
            business_connection_id: str,
            from_chat_id: int,
            from_story_id: int,
            active_period: int,
            *,
            post_to_chat_page: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Reposts a story on behalf of a business account from another business account. Both
        business accounts must be managed by the same bot, and the story on the source
        account must have been posted (or reposted) by the bot. Requires the
        can_manage_stories business bot right for both business accounts. Returns Story on
        success.

        See: https://core.telegram.org/bots/api#repoststory
        """
        return self._api('repostStory', (), {
            'business_connection_id': business_connection_id, 'from_chat_id':
            from_chat_id, 'from_story_id': from_story_id, 'active_period':
            active_period, 'post_to_chat_page': post_to_chat_page, 'protect_content':
            protect_content
        }, kwargs)

    def editStory(
            self,
            business_connection_id: str,
            story_id: int,
            content: JSONObject,
            *,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            areas: Optional[List[JSONObject]] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Edits a story previously posted by the bot on behalf of a managed business account.
        Requires the can_manage_stories business bot right. Returns Story on success.

        See: https://core.telegram.org/bots/api#editstory
        """
        return self._api('editStory', (), {
            'business_connection_id': business_connection_id, 'story_id': story_id,
            'content': content, 'caption': caption, 'parse_mode': parse_mode,
            'caption_entities': caption_entities, 'areas': areas
        }, kwargs)

    def deleteStory(self, business_connection_id: str, story_id: int, **kwargs: Any) -> bool:
        """Deletes a story previously posted by the bot on behalf of a managed business
        account. Requires the can_manage_stories business bot right. Returns True on
        success.

        See: https://core.telegram.org/bots/api#deletestory
        """
        return self._api('deleteStory', (), {
            'business_connection_id': business_connection_id, 'story_id': story_id
        }, kwargs)

    def answerWebAppQuery(
            self,
            web_app_query_id: str,
            result: JSONObject,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to set the result of an interaction with a Web App and send a
        corresponding message on behalf of the user to the chat from which the query
        originated. On success, a SentWebAppMessage object is returned.

        See: https://core.telegram.org/bots/api#answerwebappquery
        """
        return self._api('answerWebAppQuery', (), {
            'web_app_query_id': web_app_query_id, 'result': result
        }, kwargs)

    def savePreparedInlineMessage(
            self,
            user_id: int,
            result: JSONObject,
            *,
            allow_user_chats: Optional[bool] = None,
            allow_bot_chats: Optional[bool] = None,
            allow_group_chats: Optional[bool] = None,
            allow_channel_chats: Optional[bool] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Stores a message that can be sent by a user of a Mini App. Returns a
        PreparedInlineMessage object.

        See: https://core.telegram.org/bots/api#savepreparedinlinemessage
        """
        return self._api('savePreparedInlineMessage', (), {
            'user_id': user_id, 'result': result, 'allow_user_chats': allow_user_chats,
            'allow_bot_chats': allow_bot_chats, 'allow_group_chats': allow_group_chats,
            'allow_channel_chats': allow_channel_chats
        }, kwargs)

    def savePreparedKeyboardButton(
            self,
            user_id: int,
            button: JSONObject,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Stores a keyboard button that can be used by a user within a Mini App. Returns a
        PreparedKeyboardButton object.

        See: https://core.telegram.org/bots/api#savepreparedkeyboardbutton
        """
        return self._api('savePreparedKeyboardButton', (), {
            'user_id': user_id, 'button': button
        }, kwargs)

    def editMessageText(
            self,
            *args: Any,
            business_connection_id: Optional[str] = None,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            text: Optional[str] = None,
            parse_mode: Optional[str] = None,
            entities: Optional[List[JSONObject]] = None,
            link_preview_options: Optional[JSONObject] = None,
            rich_message: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to edit text, rich and game messages. On success, if the edited
        message is not an inline message, the edited Message is returned, otherwise True is
        returned. Note that business messages that were not sent by the bot and do not
        contain an inline keyboard can only be edited within 48 hours from the time they
        were sent.

        See: https://core.telegram.org/bots/api#editmessagetext
        """
        return self._api('editMessageText', args, {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'message_id': message_id, 'inline_message_id': inline_message_id, 'text':
            text, 'parse_mode': parse_mode, 'entities': entities,
            'link_preview_options': link_preview_options, 'rich_message': rich_message,
            'reply_markup': reply_markup
        }, kwargs)

    def editMessageCaption(
            self,
            *args: Any,
            business_connection_id: Optional[str] = None,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to edit captions of messages. On success, if the edited message is
        not an inline message, the edited Message is returned, otherwise True is returned.
        Note that business messages that were not sent by the bot and do not contain an
        inline keyboard can only be edited within 48 hours from the time they were sent.

        See: https://core.telegram.org/bots/api#editmessagecaption
        """
        return self._api('editMessageCaption', args, {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'message_id': message_id, 'inline_message_id': inline_message_id, 'caption':
            caption, 'parse_mode': parse_mode, 'caption_entities': caption_entities,
            'show_caption_above_media': show_caption_above_media, 'reply_markup':
            reply_markup
        }, kwargs)

    def editMessageMedia(
            self,
            media: JSONObject,
            *,
            business_connection_id: Optional[str] = None,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to edit animation, audio, document, live photo, photo, or video
        messages, or to replace a text or a rich message with a media. If a message is part
        of a message album, then it can be edited only to an audio for audio albums, only to
        a document for document albums and to a photo, a live photo, or a video otherwise.
        When an inline message is edited, a new file can't be uploaded; use a previously
        uploaded file via its file_id or specify a URL. On success, if the edited message is
        not an inline message, the edited Message is returned, otherwise True is returned.
        Note that business messages that were not sent by the bot and do not contain an
        inline keyboard can only be edited within 48 hours from the time they were sent.

        See: https://core.telegram.org/bots/api#editmessagemedia
        """
        return self._api('editMessageMedia', (), {
            'media': media, 'business_connection_id': business_connection_id, 'chat_id':
            chat_id, 'message_id': message_id, 'inline_message_id': inline_message_id,
            'reply_markup': reply_markup
        }, kwargs)

    def editMessageLiveLocation(
            self,
            latitude: float,
            longitude: float,
            *args: Any,
            business_connection_id: Optional[str] = None,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            live_period: Optional[int] = None,
            horizontal_accuracy: Optional[float] = None,
            heading: Optional[int] = None,
            proximity_alert_radius: Optional[int] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to edit live location messages. A location can be edited until its
        live_period expires or editing is explicitly disabled by a call to
        stopMessageLiveLocation. On success, if the edited message is not an inline message,
        the edited Message is returned, otherwise True is returned.

        See: https://core.telegram.org/bots/api#editmessagelivelocation
        """
        return self._api('editMessageLiveLocation', args, {
            'latitude': latitude, 'longitude': longitude, 'business_connection_id':
            business_connection_id, 'chat_id': chat_id, 'message_id': message_id,
            'inline_message_id': inline_message_id, 'live_period': live_period,
            'horizontal_accuracy': horizontal_accuracy, 'heading': heading,
            'proximity_alert_radius': proximity_alert_radius, 'reply_markup':
            reply_markup
        }, kwargs)

    def stopMessageLiveLocation(
            self,
            *args: Any,
            business_connection_id: Optional[str] = None,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to stop updating a live location message before live_period expires.
        On success, if the message is not an inline message, the edited Message is returned,
        otherwise True is returned.

        See: https://core.telegram.org/bots/api#stopmessagelivelocation
        """
        return self._api('stopMessageLiveLocation', args, {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'message_id': message_id, 'inline_message_id': inline_message_id,
            'reply_markup': reply_markup
        }, kwargs)

    def editMessageChecklist(
            self,
            business_connection_id: str,
            chat_id: Union[int, str],
            message_id: int,
            checklist: JSONObject,
            *,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to edit a checklist on behalf of a connected business account. On
        success, the edited Message is returned.

        See: https://core.telegram.org/bots/api#editmessagechecklist
        """
        return self._api('editMessageChecklist', (), {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'message_id': message_id, 'checklist': checklist, 'reply_markup':
            reply_markup
        }, kwargs)

    def editMessageReplyMarkup(
            self,
            *args: Any,
            business_connection_id: Optional[str] = None,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to edit only the reply markup of messages. On success, if the edited
        message is not an inline message, the edited Message is returned, otherwise True is
        returned. Note that business messages that were not sent by the bot and do not
        contain an inline keyboard can only be edited within 48 hours from the time they
        were sent.

        See: https://core.telegram.org/bots/api#editmessagereplymarkup
        """
        return self._api('editMessageReplyMarkup', args, {
            'business_connection_id': business_connection_id, 'chat_id': chat_id,
            'message_id': message_id, 'inline_message_id': inline_message_id,
            'reply_markup': reply_markup
        }, kwargs)

    def stopPoll(
            self,
            chat_id: Union[int, str],
            message_id: int,
            *,
            business_connection_id: Optional[str] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to stop a poll which was sent by the bot. On success, the stopped
        Poll is returned.

        See: https://core.telegram.org/bots/api#stoppoll
        """
        return self._api('stopPoll', (), {
            'chat_id': chat_id, 'message_id': message_id, 'business_connection_id':
            business_connection_id, 'reply_markup': reply_markup
        }, kwargs)

    def editEphemeralMessageText(
            self,
            chat_id: Union[int, str],
            receiver_user_id: int,
            ephemeral_message_id: int,
            *,
            text: Optional[str] = None,
            parse_mode: Optional[str] = None,
            entities: Optional[List[JSONObject]] = None,
            link_preview_options: Optional[JSONObject] = None,
            rich_message: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to edit an ephemeral text or rich message. Note that it is not
        guaranteed that the user will receive the message edit event, especially if they are
        offline. On success, True is returned.

        See: https://core.telegram.org/bots/api#editephemeralmessagetext
        """
        return self._api('editEphemeralMessageText', (), {
            'chat_id': chat_id, 'receiver_user_id': receiver_user_id,
            'ephemeral_message_id': ephemeral_message_id, 'text': text, 'parse_mode':
            parse_mode, 'entities': entities, 'link_preview_options':
            link_preview_options, 'rich_message': rich_message, 'reply_markup':
            reply_markup
        }, kwargs)

    def editEphemeralMessageMedia(
            self,
            chat_id: Union[int, str],
            receiver_user_id: int,
            ephemeral_message_id: int,
            media: JSONObject,
            *,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to edit the media of an ephemeral message. Note that it is not
        guaranteed that the user will receive the message edit event, especially if they are
        offline. On success, True is returned.

        See: https://core.telegram.org/bots/api#editephemeralmessagemedia
        """
        return self._api('editEphemeralMessageMedia', (), {
            'chat_id': chat_id, 'receiver_user_id': receiver_user_id,
            'ephemeral_message_id': ephemeral_message_id, 'media': media,
            'reply_markup': reply_markup
        }, kwargs)

    def editEphemeralMessageCaption(
            self,
            chat_id: Union[int, str],
            receiver_user_id: int,
            ephemeral_message_id: int,
            *,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to edit the caption of an ephemeral message. Note that it is not
        guaranteed that the user will receive the message edit event, especially if they are
        offline. On success, True is returned.

        See: https://core.telegram.org/bots/api#editephemeralmessagecaption
        """
        return self._api('editEphemeralMessageCaption', (), {
            'chat_id': chat_id, 'receiver_user_id': receiver_user_id,
            'ephemeral_message_id': ephemeral_message_id, 'caption': caption,
            'parse_mode': parse_mode, 'caption_entities': caption_entities,
            'show_caption_above_media': show_caption_above_media, 'reply_markup':
            reply_markup
        }, kwargs)

    def editEphemeralMessageReplyMarkup(
            self,
            chat_id: Union[int, str],
            receiver_user_id: int,
            ephemeral_message_id: int,
            *,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to edit only the reply markup of an ephemeral message. Note that it
        is not guaranteed that the user will receive the message edit event, especially if
        they are offline. On success, True is returned.

        See: https://core.telegram.org/bots/api#editephemeralmessagereplymarkup
        """
        return self._api('editEphemeralMessageReplyMarkup', (), {
            'chat_id': chat_id, 'receiver_user_id': receiver_user_id,
            'ephemeral_message_id': ephemeral_message_id, 'reply_markup': reply_markup
        }, kwargs)

    def approveSuggestedPost(
            self,
            chat_id: int,
            message_id: int,
            *,
            send_date: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to approve a suggested post in a direct messages chat. The bot must
        have the 'can_post_messages' administrator right in the corresponding channel chat.
        Returns True on success.

        See: https://core.telegram.org/bots/api#approvesuggestedpost
        """
        return self._api('approveSuggestedPost', (), {
            'chat_id': chat_id, 'message_id': message_id, 'send_date': send_date
        }, kwargs)

    def declineSuggestedPost(
            self,
            chat_id: int,
            message_id: int,
            *,
            comment: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to decline a suggested post in a direct messages chat. The bot must
        have the 'can_manage_direct_messages' administrator right in the corresponding
        channel chat. Returns True on success.

        See: https://core.telegram.org/bots/api#declinesuggestedpost
        """
        return self._api('declineSuggestedPost', (), {
            'chat_id': chat_id, 'message_id': message_id, 'comment': comment
        }, kwargs)

    def deleteMessage(
            self,
            chat_id: Union[int, str],
            message_id: Optional[int] = None,
            *args: Any,
            **kwargs: Any,
    ) -> bool:
        """Use this method to delete a message, including service messages, with the following
        limitations:

        See: https://core.telegram.org/bots/api#deletemessage
        """
        return self._api('deleteMessage', args, {
            'chat_id': chat_id, 'message_id': message_id
        }, kwargs)

    def deleteMessages(
            self,
            chat_id: Union[int, str],
            message_ids: List[int],
            **kwargs: Any,
    ) -> bool:
        """Use this method to delete multiple messages simultaneously. If some of the specified
        messages can't be found, they are skipped. Returns True on success.

        See: https://core.telegram.org/bots/api#deletemessages
        """
        return self._api('deleteMessages', (), {
            'chat_id': chat_id, 'message_ids': message_ids
        }, kwargs)

    def deleteEphemeralMessage(
            self,
            chat_id: Union[int, str],
            receiver_user_id: int,
            ephemeral_message_id: int,
            **kwargs: Any,
    ) -> bool:
        """Use this method to delete an ephemeral message. Note that it is not guaranteed that
        the user will receive the message deletion event, especially if they are offline.
        Returns True on success.

        See: https://core.telegram.org/bots/api#deleteephemeralmessage
        """
        return self._api('deleteEphemeralMessage', (), {
            'chat_id': chat_id, 'receiver_user_id': receiver_user_id,
            'ephemeral_message_id': ephemeral_message_id
        }, kwargs)

    def deleteMessageReaction(
            self,
            chat_id: Union[int, str],
            message_id: int,
            *,
            user_id: Optional[int] = None,
            actor_chat_id: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to remove a reaction from a message in a group or a supergroup chat.
        The bot must have the 'can_delete_messages' administrator right in the chat. Returns
        True on success.

        See: https://core.telegram.org/bots/api#deletemessagereaction
        """
        return self._api('deleteMessageReaction', (), {
            'chat_id': chat_id, 'message_id': message_id, 'user_id': user_id,
            'actor_chat_id': actor_chat_id
        }, kwargs)

    def deleteAllMessageReactions(
            self,
            chat_id: Union[int, str],
            *,
            user_id: Optional[int] = None,
            actor_chat_id: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to remove up to 10000 recent reactions in a group or a supergroup
        chat added by a given user or chat. The bot must have the 'can_delete_messages'
        administrator right in the chat. Returns True on success.

        See: https://core.telegram.org/bots/api#deleteallmessagereactions
        """
        return self._api('deleteAllMessageReactions', (), {
            'chat_id': chat_id, 'user_id': user_id, 'actor_chat_id': actor_chat_id
        }, kwargs)

    def sendSticker(
            self,
            chat_id: Union[int, str],
            sticker: InputFileLike,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            emoji: Optional[str] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send static .WEBP, animated .TGS, or video .WEBM stickers. On
        success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendsticker
        """
        return self._api('sendSticker', args, {
            'chat_id': chat_id, 'sticker': sticker, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters, 'emoji':
            emoji, 'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def getStickerSet(self, name: str, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get a sticker set. On success, a StickerSet object is returned.

        See: https://core.telegram.org/bots/api#getstickerset
        """
        return self._api('getStickerSet', (), {'name': name}, kwargs)

    def getCustomEmojiStickers(
            self,
            custom_emoji_ids: List[str],
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to get information about custom emoji stickers by their identifiers.
        Returns an Array of Sticker objects.

        See: https://core.telegram.org/bots/api#getcustomemojistickers
        """
        return self._api('getCustomEmojiStickers', (), {
            'custom_emoji_ids': custom_emoji_ids
        }, kwargs)

    def uploadStickerFile(
            self,
            user_id: int,
            sticker: InputFileLike,
            sticker_format: Optional[str] = None,
            *args: Any,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to upload a file with a sticker for later use in the
        createNewStickerSet, addStickerToSet, or replaceStickerInSet methods (the file can
        be used multiple times). Returns the uploaded File on success.

        See: https://core.telegram.org/bots/api#uploadstickerfile
        """
        return self._api('uploadStickerFile', args, {
            'user_id': user_id, 'sticker': sticker, 'sticker_format': sticker_format
        }, kwargs)

    def createNewStickerSet(
            self,
            user_id: int,
            name: str,
            title: str,
            stickers: List[JSONObject],
            *args: Any,
            sticker_type: Optional[str] = None,
            needs_repainting: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to create a new sticker set owned by a user. The bot will be able to
        edit the sticker set thus created. Returns True on success.

        See: https://core.telegram.org/bots/api#createnewstickerset
        """
        return self._api('createNewStickerSet', args, {
            'user_id': user_id, 'name': name, 'title': title, 'stickers': stickers,
            'sticker_type': sticker_type, 'needs_repainting': needs_repainting
        }, kwargs)

    def addStickerToSet(
            self,
            user_id: int,
            name: str,
            sticker: JSONObject,
            *args: Any,
            **kwargs: Any,
    ) -> bool:
        """Use this method to add a new sticker to a set created by the bot. Emoji sticker sets
        can have up to 200 stickers. Other sticker sets can have up to 120 stickers. Returns
        True on success.

        See: https://core.telegram.org/bots/api#addstickertoset
        """
        return self._api('addStickerToSet', args, {
            'user_id': user_id, 'name': name, 'sticker': sticker
        }, kwargs)

    def setStickerPositionInSet(self, sticker: str, position: int, **kwargs: Any) -> bool:
        """Use this method to move a sticker in a set created by the bot to a specific
        position. Returns True on success.

        See: https://core.telegram.org/bots/api#setstickerpositioninset
        """
        return self._api('setStickerPositionInSet', (), {
            'sticker': sticker, 'position': position
        }, kwargs)

    def deleteStickerFromSet(self, sticker: str, **kwargs: Any) -> bool:
        """Use this method to delete a sticker from a set created by the bot. Returns True on
        success.

        See: https://core.telegram.org/bots/api#deletestickerfromset
        """
        return self._api('deleteStickerFromSet', (), {'sticker': sticker}, kwargs)

    def replaceStickerInSet(
            self,
            user_id: int,
            name: str,
            old_sticker: str,
            sticker: JSONObject,
            **kwargs: Any,
    ) -> bool:
        """Use this method to replace an existing sticker in a sticker set with a new one. The
        method is equivalent to calling deleteStickerFromSet, then addStickerToSet, then
        setStickerPositionInSet. Returns True on success.

        See: https://core.telegram.org/bots/api#replacestickerinset
        """
        return self._api('replaceStickerInSet', (), {
            'user_id': user_id, 'name': name, 'old_sticker': old_sticker, 'sticker':
            sticker
        }, kwargs)

    def setStickerEmojiList(self, sticker: str, emoji_list: List[str], **kwargs: Any) -> bool:
        """Use this method to change the list of emoji assigned to a regular or custom emoji
        sticker. The sticker must belong to a sticker set created by the bot. Returns True
        on success.

        See: https://core.telegram.org/bots/api#setstickeremojilist
        """
        return self._api('setStickerEmojiList', (), {
            'sticker': sticker, 'emoji_list': emoji_list
        }, kwargs)

    def setStickerKeywords(
            self,
            sticker: str,
            *,
            keywords: Optional[List[str]] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change search keywords assigned to a regular or custom emoji
        sticker. The sticker must belong to a sticker set created by the bot. Returns True
        on success.

        See: https://core.telegram.org/bots/api#setstickerkeywords
        """
        return self._api('setStickerKeywords', (), {
            'sticker': sticker, 'keywords': keywords
        }, kwargs)

    def setStickerMaskPosition(
            self,
            sticker: str,
            *,
            mask_position: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the mask position of a mask sticker. The sticker must
        belong to a sticker set that was created by the bot. Returns True on success.

        See: https://core.telegram.org/bots/api#setstickermaskposition
        """
        return self._api('setStickerMaskPosition', (), {
            'sticker': sticker, 'mask_position': mask_position
        }, kwargs)

    def setStickerSetTitle(self, name: str, title: str, **kwargs: Any) -> bool:
        """Use this method to set the title of a created sticker set. Returns True on success.

        See: https://core.telegram.org/bots/api#setstickersettitle
        """
        return self._api('setStickerSetTitle', (), {'name': name, 'title': title}, kwargs)

    def setStickerSetThumbnail(
            self,
            name: str,
            user_id: int,
            format: str,
            *,
            thumbnail: Optional[InputFileLike] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to set the thumbnail of a regular or mask sticker set. The format of
        the thumbnail file must match the format of the stickers in the set. Returns True on
        success.

        See: https://core.telegram.org/bots/api#setstickersetthumbnail
        """
        return self._api('setStickerSetThumbnail', (), {
            'name': name, 'user_id': user_id, 'format': format, 'thumbnail': thumbnail
        }, kwargs)

    def setCustomEmojiStickerSetThumbnail(
            self,
            name: str,
            *,
            custom_emoji_id: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to set the thumbnail of a custom emoji sticker set. Returns True on
        success.

        See: https://core.telegram.org/bots/api#setcustomemojistickersetthumbnail
        """
        return self._api('setCustomEmojiStickerSetThumbnail', (), {
            'name': name, 'custom_emoji_id': custom_emoji_id
        }, kwargs)

    def deleteStickerSet(self, name: str, **kwargs: Any) -> bool:
        """Use this method to delete a sticker set that was created by the bot. Returns True on
        success.

        See: https://core.telegram.org/bots/api#deletestickerset
        """
        return self._api('deleteStickerSet', (), {'name': name}, kwargs)

    def sendRichMessage(
            self,
            chat_id: Union[int, str],
            rich_message: JSONObject,
            *,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            ephemeral_message_parameters: Optional[JSONObject] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send rich messages. If the message contains a block with a media
        element, then the bot must have the right to send the media to the chat. On success,
        the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendrichmessage
        """
        return self._api('sendRichMessage', (), {
            'chat_id': chat_id, 'rich_message': rich_message, 'business_connection_id':
            business_connection_id, 'message_thread_id': message_thread_id,
            'direct_messages_topic_id': direct_messages_topic_id,
            'ephemeral_message_parameters': ephemeral_message_parameters,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'suggested_post_parameters':
            suggested_post_parameters, 'reply_parameters': reply_parameters,
            'reply_markup': reply_markup
        }, kwargs)

    def sendRichMessageDraft(
            self,
            chat_id: int,
            draft_id: int,
            rich_message: JSONObject,
            *,
            message_thread_id: Optional[int] = None,
            can_stop: Optional[bool] = None,
            keep_on_stop: Optional[bool] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to stream a partial rich message to a user while the message is
        being generated. Note that the streamed draft is ephemeral and acts as a temporary
        30-second preview - once the output is finalized, you must call sendRichMessage with
        the complete message to persist it in the user's chat. Returns True on success.

        See: https://core.telegram.org/bots/api#sendrichmessagedraft
        """
        return self._api('sendRichMessageDraft', (), {
            'chat_id': chat_id, 'draft_id': draft_id, 'rich_message': rich_message,
            'message_thread_id': message_thread_id, 'can_stop': can_stop,
            'keep_on_stop': keep_on_stop
        }, kwargs)

    def answerInlineQuery(
            self,
            inline_query_id: str,
            results: List[JSONObject],
            *args: Any,
            cache_time: Optional[int] = None,
            is_personal: Optional[bool] = None,
            next_offset: Optional[str] = None,
            button: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to send answers to an inline query. On success, True is returned.

        See: https://core.telegram.org/bots/api#answerinlinequery
        """
        return self._api('answerInlineQuery', args, {
            'inline_query_id': inline_query_id, 'results': results, 'cache_time':
            cache_time, 'is_personal': is_personal, 'next_offset': next_offset,
            'button': button
        }, kwargs)

    def sendInvoice(
            self,
            chat_id: Union[int, str],
            title: str,
            description: str,
            payload: str,
            currency: str,
            prices: List[JSONObject],
            *args: Any,
            message_thread_id: Optional[int] = None,
            direct_messages_topic_id: Optional[int] = None,
            provider_token: Optional[str] = None,
            max_tip_amount: Optional[int] = None,
            suggested_tip_amounts: Optional[List[int]] = None,
            start_parameter: Optional[str] = None,
            provider_data: Optional[str] = None,
            photo_url: Optional[str] = None,
            photo_size: Optional[int] = None,
            photo_width: Optional[int] = None,
            photo_height: Optional[int] = None,
            need_name: Optional[bool] = None,
            need_phone_number: Optional[bool] = None,
            need_email: Optional[bool] = None,
            need_shipping_address: Optional[bool] = None,
            send_phone_number_to_provider: Optional[bool] = None,
            send_email_to_provider: Optional[bool] = None,
            is_flexible: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            suggested_post_parameters: Optional[JSONObject] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send invoices. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendinvoice
        """
        return self._api('sendInvoice', args, {
            'chat_id': chat_id, 'title': title, 'description': description, 'payload':
            payload, 'currency': currency, 'prices': prices, 'message_thread_id':
            message_thread_id, 'direct_messages_topic_id': direct_messages_topic_id,
            'provider_token': provider_token, 'max_tip_amount': max_tip_amount,
            'suggested_tip_amounts': suggested_tip_amounts, 'start_parameter':
            start_parameter, 'provider_data': provider_data, 'photo_url': photo_url,
            'photo_size': photo_size, 'photo_width': photo_width, 'photo_height':
            photo_height, 'need_name': need_name, 'need_phone_number':
            need_phone_number, 'need_email': need_email, 'need_shipping_address':
            need_shipping_address, 'send_phone_number_to_provider':
            send_phone_number_to_provider, 'send_email_to_provider':
            send_email_to_provider, 'is_flexible': is_flexible, 'disable_notification':
            disable_notification, 'protect_content': protect_content,
            'allow_paid_broadcast': allow_paid_broadcast, 'message_effect_id':
            message_effect_id, 'suggested_post_parameters': suggested_post_parameters,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def createInvoiceLink(
            self,
            title: str,
            description: str,
            payload: str,
            currency: str,
            prices: List[JSONObject],
            *,
            business_connection_id: Optional[str] = None,
            provider_token: Optional[str] = None,
            subscription_period: Optional[int] = None,
            max_tip_amount: Optional[int] = None,
            suggested_tip_amounts: Optional[List[int]] = None,
            provider_data: Optional[str] = None,
            photo_url: Optional[str] = None,
            photo_size: Optional[int] = None,
            photo_width: Optional[int] = None,
            photo_height: Optional[int] = None,
            need_name: Optional[bool] = None,
            need_phone_number: Optional[bool] = None,
            need_email: Optional[bool] = None,
            need_shipping_address: Optional[bool] = None,
            send_phone_number_to_provider: Optional[bool] = None,
            send_email_to_provider: Optional[bool] = None,
            is_flexible: Optional[bool] = None,
            **kwargs: Any,
    ) -> str:
        """Use this method to create a link for an invoice. Returns the created invoice link as
        String on success.

        See: https://core.telegram.org/bots/api#createinvoicelink
        """
        return self._api('createInvoiceLink', (), {
            'title': title, 'description': description, 'payload': payload, 'currency':
            currency, 'prices': prices, 'business_connection_id':
            business_connection_id, 'provider_token': provider_token,
            'subscription_period': subscription_period, 'max_tip_amount':
            max_tip_amount, 'suggested_tip_amounts': suggested_tip_amounts,
            'provider_data': provider_data, 'photo_url': photo_url, 'photo_size':
            photo_size, 'photo_width': photo_width, 'photo_height': photo_height,
            'need_name': need_name, 'need_phone_number': need_phone_number,
            'need_email': need_email, 'need_shipping_address': need_shipping_address,
            'send_phone_number_to_provider': send_phone_number_to_provider,
            'send_email_to_provider': send_email_to_provider, 'is_flexible': is_flexible
        }, kwargs)

    def answerShippingQuery(
            self,
            shipping_query_id: str,
            ok: bool,
            *args: Any,
            shipping_options: Optional[List[JSONObject]] = None,
            error_message: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """If you sent an invoice requesting a shipping address and the parameter is_flexible
        was specified, the Bot API will send an Update with a shipping_query field to the
        bot. Use this method to reply to shipping queries. On success, True is returned.

        See: https://core.telegram.org/bots/api#answershippingquery
        """
        return self._api('answerShippingQuery', args, {
            'shipping_query_id': shipping_query_id, 'ok': ok, 'shipping_options':
            shipping_options, 'error_message': error_message
        }, kwargs)

    def answerPreCheckoutQuery(
            self,
            pre_checkout_query_id: str,
            ok: bool,
            *args: Any,
            error_message: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Once the user has confirmed their payment and shipping details, the Bot API sends
        the final confirmation in the form of an Update with the field pre_checkout_query.
        Use this method to respond to such pre-checkout queries. On success, True is
        returned. Note: The Bot API must receive an answer within 10 seconds after the pre-
        checkout query was sent.

        See: https://core.telegram.org/bots/api#answerprecheckoutquery
        """
        return self._api('answerPreCheckoutQuery', args, {
            'pre_checkout_query_id': pre_checkout_query_id, 'ok': ok, 'error_message':
            error_message
        }, kwargs)

    def getMyStarBalance(self, **kwargs: Any) -> Dict[str, Any]:
        """A method to get the current Telegram Stars balance of the bot. Requires no
        parameters. On success, returns a StarAmount object.

        See: https://core.telegram.org/bots/api#getmystarbalance
        """
        return self._api('getMyStarBalance', (), {}, kwargs)

    def getStarTransactions(
            self,
            *,
            offset: Optional[int] = None,
            limit: Optional[int] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Returns the bot's Telegram Star transactions in chronological order. On success,
        returns a StarTransactions object.

        See: https://core.telegram.org/bots/api#getstartransactions
        """
        return self._api('getStarTransactions', (), {'offset': offset, 'limit': limit}, kwargs)

    def refundStarPayment(
            self,
            user_id: int,
            telegram_payment_charge_id: str,
            **kwargs: Any,
    ) -> bool:
        """Refunds a successful payment in Telegram Stars. Returns True on success.

        See: https://core.telegram.org/bots/api#refundstarpayment
        """
        return self._api('refundStarPayment', (), {
            'user_id': user_id, 'telegram_payment_charge_id': telegram_payment_charge_id
        }, kwargs)

    def editUserStarSubscription(
            self,
            user_id: int,
            telegram_payment_charge_id: str,
            is_canceled: bool,
            **kwargs: Any,
    ) -> bool:
        """Allows the bot to cancel or re-enable extension of a subscription paid in Telegram
        Stars. Returns True on success.

        See: https://core.telegram.org/bots/api#edituserstarsubscription
        """
        return self._api('editUserStarSubscription', (), {
            'user_id': user_id, 'telegram_payment_charge_id':
            telegram_payment_charge_id, 'is_canceled': is_canceled
        }, kwargs)

    def setPassportDataErrors(self, user_id: int, errors: List[JSONObject], **kwargs: Any) -> bool:
        """Informs a user that some of the Telegram Passport elements they provided contains
        errors. The user will not be able to re-submit their Passport to you until the
        errors are fixed (the contents of the field for which you returned the error must
        change). Returns True on success.

        See: https://core.telegram.org/bots/api#setpassportdataerrors
        """
        return self._api('setPassportDataErrors', (), {
            'user_id': user_id, 'errors': errors
        }, kwargs)

    def sendGame(
            self,
            chat_id: Union[int, str],
            game_short_name: str,
            *args: Any,
            business_connection_id: Optional[str] = None,
            message_thread_id: Optional[int] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send a game. On success, the sent Message is returned.

        See: https://core.telegram.org/bots/api#sendgame
        """
        return self._api('sendGame', args, {
            'chat_id': chat_id, 'game_short_name': game_short_name,
            'business_connection_id': business_connection_id, 'message_thread_id':
            message_thread_id, 'disable_notification': disable_notification,
            'protect_content': protect_content, 'allow_paid_broadcast':
            allow_paid_broadcast, 'message_effect_id': message_effect_id,
            'reply_parameters': reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def setGameScore(
            self,
            user_id: int,
            score: int,
            *args: Any,
            force: Optional[bool] = None,
            disable_edit_message: Optional[bool] = None,
            chat_id: Optional[int] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            **kwargs: Any,
    ) -> Union[Dict[str, Any], bool]:
        """Use this method to set the score of the specified user in a game message. On
        success, if the message is not an inline message, the Message is returned, otherwise
        True is returned. Returns an error, if the new score is not greater than the user's
        current score in the chat and force is False.

        See: https://core.telegram.org/bots/api#setgamescore
        """
        return self._api('setGameScore', args, {
            'user_id': user_id, 'score': score, 'force': force, 'disable_edit_message':
            disable_edit_message, 'chat_id': chat_id, 'message_id': message_id,
            'inline_message_id': inline_message_id
        }, kwargs)

    def getGameHighScores(
            self,
            user_id: int,
            *args: Any,
            chat_id: Optional[int] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            **kwargs: Any,
    ) -> List[Dict[str, Any]]:
        """Use this method to get data for high score tables. Will return the score of the
        specified user and several of their neighbors in a game. Returns an Array of
        GameHighScore objects.

        See: https://core.telegram.org/bots/api#getgamehighscores
        """
        return self._api('getGameHighScores', args, {
            'user_id': user_id, 'chat_id': chat_id, 'message_id': message_id,
            'inline_message_id': inline_message_id
        }, kwargs)

    def sendWidget(
            self,
            chat_id: Union[int, str],
            html: str,
            *,
            message_thread_id: Optional[int] = None,
            width: Optional[int] = None,
            height: Optional[int] = None,
            public_data: Optional[str] = None,
            chat_data: Optional[str] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            allow_queries: Optional[bool] = None,
            is_shared: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send an HTML widget. In production, widgets can be sent only to
        private chats, and a sent widget always has protected content, so it cannot be
        forwarded. On success, the sent Message is returned. (Bot API 10.4, from the
        supplement: no spec file covers it yet.)

        See: https://core.telegram.org/bots/api#sendwidget
        """
        return self._api('sendWidget', (), {
            'chat_id': chat_id, 'html': html, 'message_thread_id': message_thread_id,
            'width': width, 'height': height, 'public_data': public_data, 'chat_data':
            chat_data, 'caption': caption, 'parse_mode': parse_mode, 'caption_entities':
            caption_entities, 'show_caption_above_media': show_caption_above_media,
            'allow_queries': allow_queries, 'is_shared': is_shared,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def sendSharedWidget(
            self,
            chat_id: Union[int, str],
            widget_id: str,
            *,
            message_thread_id: Optional[int] = None,
            chat_data: Optional[str] = None,
            caption: Optional[str] = None,
            parse_mode: Optional[str] = None,
            caption_entities: Optional[List[JSONObject]] = None,
            show_caption_above_media: Optional[bool] = None,
            disable_notification: Optional[bool] = None,
            protect_content: Optional[bool] = None,
            allow_paid_broadcast: Optional[bool] = None,
            message_effect_id: Optional[str] = None,
            reply_parameters: Optional[JSONObject] = None,
            reply_markup: Optional[JSONObject] = None,
            **kwargs: Any,
    ) -> Dict[str, Any]:
        """Use this method to send a previously created shared widget. On success, the sent
        Message is returned. (Bot API 10.4, from the supplement: no spec file covers it
        yet.)

        See: https://core.telegram.org/bots/api#sendsharedwidget
        """
        return self._api('sendSharedWidget', (), {
            'chat_id': chat_id, 'widget_id': widget_id, 'message_thread_id':
            message_thread_id, 'chat_data': chat_data, 'caption': caption, 'parse_mode':
            parse_mode, 'caption_entities': caption_entities,
            'show_caption_above_media': show_caption_above_media,
            'disable_notification': disable_notification, 'protect_content':
            protect_content, 'allow_paid_broadcast': allow_paid_broadcast,
            'message_effect_id': message_effect_id, 'reply_parameters':
            reply_parameters, 'reply_markup': reply_markup
        }, kwargs)

    def answerWidgetQuery(
            self,
            widget_query_id: str,
            *,
            data: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to answer a widget query; it must be answered within 15 seconds and
        does not change the data of the widget. On success, True is returned. (Bot API 10.4,
        from the supplement: no spec file covers it yet.)

        See: https://core.telegram.org/bots/api#answerwidgetquery
        """
        return self._api('answerWidgetQuery', (), {
            'widget_query_id': widget_query_id, 'data': data
        }, kwargs)

    def editMessageWidgetData(
            self,
            *,
            chat_id: Optional[Union[int, str]] = None,
            message_id: Optional[int] = None,
            inline_message_id: Optional[str] = None,
            public_data: Optional[str] = None,
            chat_data: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the data of a widget in a message. Public data of a shared
        widget can be changed at most once per second. On success, True is returned. (Bot
        API 10.4, from the supplement: no spec file covers it yet.)

        See: https://core.telegram.org/bots/api#editmessagewidgetdata
        """
        return self._api('editMessageWidgetData', (), {
            'chat_id': chat_id, 'message_id': message_id, 'inline_message_id':
            inline_message_id, 'public_data': public_data, 'chat_data': chat_data
        }, kwargs)

    def editSharedWidgetData(
            self,
            widget_id: str,
            public_data: str,
            *,
            cache_time: Optional[int] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the public data of a shared widget. On success, True is
        returned. (Bot API 10.4, from the supplement: no spec file covers it yet.)

        See: https://core.telegram.org/bots/api#editsharedwidgetdata
        """
        return self._api('editSharedWidgetData', (), {
            'widget_id': widget_id, 'public_data': public_data, 'cache_time': cache_time
        }, kwargs)

    def getChatShareThemeBackdrops(self, **kwargs: Any) -> Dict[str, Any]:
        """Use this method to get the list of backdrops that can be used as the background of a
        theme of the screen for sharing a link to a user or a chat. Returns a
        ChatShareThemeBackdrops object. (Bot API 10.4, from the supplement: no spec file
        covers it yet.)

        See: https://core.telegram.org/bots/api#getchatsharethemebackdrops
        """
        return self._api('getChatShareThemeBackdrops', (), {}, kwargs)

    def setMySettings(
            self,
            *,
            supports_inline_queries: Optional[bool] = None,
            inline_query_placeholder: Optional[str] = None,
            needs_inline_query_location: Optional[bool] = None,
            inline_feedback_share_denominator: Optional[int] = None,
            can_join_groups: Optional[bool] = None,
            can_read_all_group_messages: Optional[bool] = None,
            can_connect_to_business: Optional[bool] = None,
            can_manage_bots: Optional[bool] = None,
            supports_guest_queries: Optional[bool] = None,
            supports_join_request_queries: Optional[bool] = None,
            has_topics_enabled: Optional[bool] = None,
            allows_users_to_create_topics: Optional[bool] = None,
            has_topic_sidebar: Optional[bool] = None,
            can_communicate_with_bots: Optional[bool] = None,
            callback_query_mode: Optional[str] = None,
            **kwargs: Any,
    ) -> bool:
        """Use this method to change the settings of the bot; settings that are not specified
        stay unchanged. Returns True on success. (Bot API 10.5, from the supplement: no spec
        file covers it yet.)

        See: https://core.telegram.org/bots/api#setmysettings
        """
        return self._api('setMySettings', (), {
            'supports_inline_queries': supports_inline_queries,
            'inline_query_placeholder': inline_query_placeholder,
            'needs_inline_query_location': needs_inline_query_location,
            'inline_feedback_share_denominator': inline_feedback_share_denominator,
            'can_join_groups': can_join_groups, 'can_read_all_group_messages':
            can_read_all_group_messages, 'can_connect_to_business':
            can_connect_to_business, 'can_manage_bots': can_manage_bots,
            'supports_guest_queries': supports_guest_queries,
            'supports_join_request_queries': supports_join_request_queries,
            'has_topics_enabled': has_topics_enabled, 'allows_users_to_create_topics':
            allows_users_to_create_topics, 'has_topic_sidebar': has_topic_sidebar,
            'can_communicate_with_bots': can_communicate_with_bots,
            'callback_query_mode': callback_query_mode
        }, kwargs)

    # snake_case names, and names Telegram has since changed
    get_updates = getUpdates
    set_webhook = setWebhook
    delete_webhook = deleteWebhook
    get_webhook_info = getWebhookInfo
    get_me = getMe
    log_out = logOut
    close = close
    send_message = sendMessage
    forward_message = forwardMessage
    forward_messages = forwardMessages
    copy_message = copyMessage
    copy_messages = copyMessages
    send_photo = sendPhoto
    send_live_photo = sendLivePhoto
    send_audio = sendAudio
    send_document = sendDocument
    send_video = sendVideo
    send_animation = sendAnimation
    send_voice = sendVoice
    send_video_note = sendVideoNote
    send_paid_media = sendPaidMedia
    send_media_group = sendMediaGroup
    send_location = sendLocation
    send_venue = sendVenue
    send_contact = sendContact
    send_poll = sendPoll
    send_checklist = sendChecklist
    send_dice = sendDice
    send_message_draft = sendMessageDraft
    send_chat_action = sendChatAction
    set_message_reaction = setMessageReaction
    get_user_profile_photos = getUserProfilePhotos
    get_user_profile_audios = getUserProfileAudios
    set_user_emoji_status = setUserEmojiStatus
    get_file = getFile
    ban_chat_member = banChatMember
    unban_chat_member = unbanChatMember
    restrict_chat_member = restrictChatMember
    promote_chat_member = promoteChatMember
    set_chat_administrator_custom_title = setChatAdministratorCustomTitle
    set_chat_member_tag = setChatMemberTag
    ban_chat_sender_chat = banChatSenderChat
    unban_chat_sender_chat = unbanChatSenderChat
    set_chat_permissions = setChatPermissions
    export_chat_invite_link = exportChatInviteLink
    create_chat_invite_link = createChatInviteLink
    edit_chat_invite_link = editChatInviteLink
    create_chat_subscription_invite_link = createChatSubscriptionInviteLink
    edit_chat_subscription_invite_link = editChatSubscriptionInviteLink
    revoke_chat_invite_link = revokeChatInviteLink
    approve_chat_join_request = approveChatJoinRequest
    decline_chat_join_request = declineChatJoinRequest
    answer_chat_join_request_query = answerChatJoinRequestQuery
    send_chat_join_request_web_app = sendChatJoinRequestWebApp
    set_chat_photo = setChatPhoto
    delete_chat_photo = deleteChatPhoto
    set_chat_title = setChatTitle
    set_chat_description = setChatDescription
    pin_chat_message = pinChatMessage
    unpin_chat_message = unpinChatMessage
    unpin_all_chat_messages = unpinAllChatMessages
    leave_chat = leaveChat
    get_chat = getChat
    get_chat_administrators = getChatAdministrators
    get_chat_member_count = getChatMemberCount
    get_chat_member = getChatMember
    get_user_personal_chat_messages = getUserPersonalChatMessages
    set_chat_sticker_set = setChatStickerSet
    delete_chat_sticker_set = deleteChatStickerSet
    get_forum_topic_icon_stickers = getForumTopicIconStickers
    create_forum_topic = createForumTopic
    edit_forum_topic = editForumTopic
    close_forum_topic = closeForumTopic
    reopen_forum_topic = reopenForumTopic
    delete_forum_topic = deleteForumTopic
    unpin_all_forum_topic_messages = unpinAllForumTopicMessages
    edit_general_forum_topic = editGeneralForumTopic
    close_general_forum_topic = closeGeneralForumTopic
    reopen_general_forum_topic = reopenGeneralForumTopic
    hide_general_forum_topic = hideGeneralForumTopic
    unhide_general_forum_topic = unhideGeneralForumTopic
    unpin_all_general_forum_topic_messages = unpinAllGeneralForumTopicMessages
    answer_callback_query = answerCallbackQuery
    answer_guest_query = answerGuestQuery
    get_user_chat_boosts = getUserChatBoosts
    get_business_connection = getBusinessConnection
    get_managed_bot_token = getManagedBotToken
    replace_managed_bot_token = replaceManagedBotToken
    get_managed_bot_access_settings = getManagedBotAccessSettings
    set_managed_bot_access_settings = setManagedBotAccessSettings
    set_my_commands = setMyCommands
    delete_my_commands = deleteMyCommands
    get_my_commands = getMyCommands
    set_my_name = setMyName
    get_my_name = getMyName
    set_my_description = setMyDescription
    get_my_description = getMyDescription
    set_my_short_description = setMyShortDescription
    get_my_short_description = getMyShortDescription
    set_my_profile_photo = setMyProfilePhoto
    remove_my_profile_photo = removeMyProfilePhoto
    set_chat_menu_button = setChatMenuButton
    get_chat_menu_button = getChatMenuButton
    set_my_default_administrator_rights = setMyDefaultAdministratorRights
    get_my_default_administrator_rights = getMyDefaultAdministratorRights
    get_available_gifts = getAvailableGifts
    send_gift = sendGift
    gift_premium_subscription = giftPremiumSubscription
    verify_user = verifyUser
    verify_chat = verifyChat
    remove_user_verification = removeUserVerification
    remove_chat_verification = removeChatVerification
    read_business_message = readBusinessMessage
    delete_business_messages = deleteBusinessMessages
    set_business_account_name = setBusinessAccountName
    set_business_account_username = setBusinessAccountUsername
    set_business_account_bio = setBusinessAccountBio
    set_business_account_profile_photo = setBusinessAccountProfilePhoto
    remove_business_account_profile_photo = removeBusinessAccountProfilePhoto
    set_business_account_gift_settings = setBusinessAccountGiftSettings
    get_business_account_star_balance = getBusinessAccountStarBalance
    transfer_business_account_stars = transferBusinessAccountStars
    get_business_account_gifts = getBusinessAccountGifts
    get_user_gifts = getUserGifts
    get_chat_gifts = getChatGifts
    convert_gift_to_stars = convertGiftToStars
    upgrade_gift = upgradeGift
    transfer_gift = transferGift
    post_story = postStory
    repost_story = repostStory
    edit_story = editStory
    delete_story = deleteStory
    answer_web_app_query = answerWebAppQuery
    save_prepared_inline_message = savePreparedInlineMessage
    save_prepared_keyboard_button = savePreparedKeyboardButton
    edit_message_text = editMessageText
    edit_message_caption = editMessageCaption
    edit_message_media = editMessageMedia
    edit_message_live_location = editMessageLiveLocation
    stop_message_live_location = stopMessageLiveLocation
    edit_message_checklist = editMessageChecklist
    edit_message_reply_markup = editMessageReplyMarkup
    stop_poll = stopPoll
    edit_ephemeral_message_text = editEphemeralMessageText
    edit_ephemeral_message_media = editEphemeralMessageMedia
    edit_ephemeral_message_caption = editEphemeralMessageCaption
    edit_ephemeral_message_reply_markup = editEphemeralMessageReplyMarkup
    approve_suggested_post = approveSuggestedPost
    decline_suggested_post = declineSuggestedPost
    delete_message = deleteMessage
    delete_messages = deleteMessages
    delete_ephemeral_message = deleteEphemeralMessage
    delete_message_reaction = deleteMessageReaction
    delete_all_message_reactions = deleteAllMessageReactions
    send_sticker = sendSticker
    get_sticker_set = getStickerSet
    get_custom_emoji_stickers = getCustomEmojiStickers
    upload_sticker_file = uploadStickerFile
    create_new_sticker_set = createNewStickerSet
    add_sticker_to_set = addStickerToSet
    set_sticker_position_in_set = setStickerPositionInSet
    delete_sticker_from_set = deleteStickerFromSet
    replace_sticker_in_set = replaceStickerInSet
    set_sticker_emoji_list = setStickerEmojiList
    set_sticker_keywords = setStickerKeywords
    set_sticker_mask_position = setStickerMaskPosition
    set_sticker_set_title = setStickerSetTitle
    set_sticker_set_thumbnail = setStickerSetThumbnail
    set_custom_emoji_sticker_set_thumbnail = setCustomEmojiStickerSetThumbnail
    delete_sticker_set = deleteStickerSet
    send_rich_message = sendRichMessage
    send_rich_message_draft = sendRichMessageDraft
    answer_inline_query = answerInlineQuery
    send_invoice = sendInvoice
    create_invoice_link = createInvoiceLink
    answer_shipping_query = answerShippingQuery
    answer_pre_checkout_query = answerPreCheckoutQuery
    get_my_star_balance = getMyStarBalance
    get_star_transactions = getStarTransactions
    refund_star_payment = refundStarPayment
    edit_user_star_subscription = editUserStarSubscription
    set_passport_data_errors = setPassportDataErrors
    send_game = sendGame
    set_game_score = setGameScore
    get_game_high_scores = getGameHighScores
    send_widget = sendWidget
    send_shared_widget = sendSharedWidget
    answer_widget_query = answerWidgetQuery
    edit_message_widget_data = editMessageWidgetData
    edit_shared_widget_data = editSharedWidgetData
    get_chat_share_theme_backdrops = getChatShareThemeBackdrops
    set_my_settings = setMySettings
    kickChatMember = banChatMember
    kick_chat_member = banChatMember
    getChatMembersCount = getChatMemberCount
    get_chat_members_count = getChatMemberCount

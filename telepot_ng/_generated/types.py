# GENERATED FILE -- DO NOT EDIT.
# Source: telepot_ng/_codegen/botapi.json (Bot API 10.3, August 24, 2026)
# and botapi-supplement.json (Bot API 10.4 of November 9, 2026, Bot API 10.5 of November 22, 2026).
# Regenerate with: python -m telepot_ng._codegen

"""A namedtuple class for every Bot API type (fields in spec.TYPES)."""
from .._types import make_type, make_union

Update = make_type('Update', 'This object represents an incoming update.')
WebhookInfo = make_type('WebhookInfo', 'Describes the current status of a webhook.')
User = make_type('User', 'This object represents a Telegram user or bot.')
Chat = make_type('Chat', 'This object represents a chat.')
ChatFullInfo = make_type('ChatFullInfo', 'This object contains full information about a chat.')
Message = make_type('Message', 'This object represents a message.')
MessageId = make_type('MessageId', 'This object represents a unique message identifier.')
InaccessibleMessage = make_type('InaccessibleMessage', 'This object describes a message that was deleted or is otherwise inaccessible to the bot.')
MessageEntity = make_type('MessageEntity', 'This object represents one special entity in a text message. For example, hashtags, usernames, URLs, etc.')
TextQuote = make_type('TextQuote', 'This object contains information about the quoted part of a message that is replied to by the given message.')
ExternalReplyInfo = make_type('ExternalReplyInfo', 'This object contains information about a message that is being replied to, which may come from another chat or forum topic.')
ReplyParameters = make_type('ReplyParameters', 'Describes reply parameters for the message that is being sent.')
EphemeralMessageParameters = make_type('EphemeralMessageParameters', '')
MessageOriginUser = make_type('MessageOriginUser', 'The message was originally sent by a known user.')
MessageOriginHiddenUser = make_type('MessageOriginHiddenUser', 'The message was originally sent by an unknown user.')
MessageOriginChat = make_type('MessageOriginChat', 'The message was originally sent on behalf of a chat to a group chat.')
MessageOriginChannel = make_type('MessageOriginChannel', 'The message was originally sent to a channel chat.')
PhotoSize = make_type('PhotoSize', 'This object represents one size of a photo or a file / sticker thumbnail.')
Animation = make_type('Animation', 'This object represents an animation file (GIF or H.264/MPEG-4 AVC video without sound).')
Audio = make_type('Audio', 'This object represents an audio file to be treated as music by the Telegram clients.')
Document = make_type('Document', 'This object represents a general file (as opposed to photos, voice messages and audio files).')
LivePhoto = make_type('LivePhoto', 'This object represents a live photo.')
Story = make_type('Story', 'This object represents a story.')
VideoQuality = make_type('VideoQuality', 'This object represents a video file of a specific quality.')
Video = make_type('Video', 'This object represents a video file.')
VideoNote = make_type('VideoNote', 'This object represents a video message.')
Voice = make_type('Voice', 'This object represents a voice note.')
PaidMediaInfo = make_type('PaidMediaInfo', 'Describes the paid media added to a message.')
PaidMediaLivePhoto = make_type('PaidMediaLivePhoto', 'The paid media is a live photo.')
PaidMediaPhoto = make_type('PaidMediaPhoto', 'The paid media is a photo.')
PaidMediaPreview = make_type('PaidMediaPreview', "The paid media isn't available before the payment.")
PaidMediaVideo = make_type('PaidMediaVideo', 'The paid media is a video.')
Contact = make_type('Contact', 'This object represents a phone contact.')
Dice = make_type('Dice', 'This object represents an animated emoji that displays a random value.')
Link = make_type('Link', 'Represents an HTTP link.')
PollMedia = make_type('PollMedia', 'At most one of the optional fields can be present in any given object.')
PollOption = make_type('PollOption', 'This object contains information about one answer option in a poll.')
InputPollOption = make_type('InputPollOption', 'This object contains information about one answer option in a poll to be sent.')
PollAnswer = make_type('PollAnswer', 'This object represents an answer of a user in a non-anonymous poll.')
Poll = make_type('Poll', 'This object contains information about a poll.')
ChecklistTask = make_type('ChecklistTask', 'Describes a task in a checklist.')
Checklist = make_type('Checklist', 'Describes a checklist.')
InputChecklistTask = make_type('InputChecklistTask', 'Describes a task to add to a checklist.')
InputChecklist = make_type('InputChecklist', 'Describes a checklist to create.')
Location = make_type('Location', 'This object represents a point on the map.')
Venue = make_type('Venue', 'This object represents a venue.')
WebAppData = make_type('WebAppData', 'Describes data sent from a Web App to the bot.')
ProximityAlertTriggered = make_type('ProximityAlertTriggered', 'This object represents the content of a service message, sent whenever a user in the chat triggers a proximity alert set by another user.')
MessageAutoDeleteTimerChanged = make_type('MessageAutoDeleteTimerChanged', 'This object represents a service message about a change in auto-delete timer settings.')
ManagedBotCreated = make_type('ManagedBotCreated', 'This object contains information about the bot that was created to be managed by the current bot.')
ManagedBotUpdated = make_type('ManagedBotUpdated', 'This object contains information about the creation, token update, or owner update of a bot that is managed by the current bot.')
BotSubscriptionUpdated = make_type('BotSubscriptionUpdated', 'This object contains information about changes to a user payment subscription toward the current bot.')
MessageGenerationStopped = make_type('MessageGenerationStopped', 'This object describes an update about a user stopping message generation.')
PollOptionAdded = make_type('PollOptionAdded', 'Describes a service message about an option added to a poll.')
PollOptionDeleted = make_type('PollOptionDeleted', 'Describes a service message about an option deleted from a poll.')
ChatBoostAdded = make_type('ChatBoostAdded', 'This object represents a service message about a user boosting a chat.')
BackgroundFillSolid = make_type('BackgroundFillSolid', 'The background is filled using the selected color.')
BackgroundFillGradient = make_type('BackgroundFillGradient', 'The background is a gradient fill.')
BackgroundFillFreeformGradient = make_type('BackgroundFillFreeformGradient', 'The background is a freeform gradient that rotates after every message in the chat.')
BackgroundTypeFill = make_type('BackgroundTypeFill', 'The background is automatically filled based on the selected colors.')
BackgroundTypeWallpaper = make_type('BackgroundTypeWallpaper', 'The background is a wallpaper in the JPEG format.')
BackgroundTypePattern = make_type('BackgroundTypePattern', 'The background is a .PNG or .TGV (gzipped subset of SVG with MIME type "application/x-tgwallpattern") pattern to be combined with the background fill chosen by the user.')
BackgroundTypeChatTheme = make_type('BackgroundTypeChatTheme', 'The background is taken directly from a built-in chat theme.')
ChatBackground = make_type('ChatBackground', 'This object represents a chat background.')
ChecklistTasksDone = make_type('ChecklistTasksDone', 'Describes a service message about checklist tasks marked as done or not done.')
ChecklistTasksAdded = make_type('ChecklistTasksAdded', 'Describes a service message about tasks added to a checklist.')
CommunityChatAdded = make_type('CommunityChatAdded', 'Describes a service message about a chat or a bot being added to a community.')
CommunityChatRemoved = make_type('CommunityChatRemoved', 'Describes a service message about a chat or a bot being removed from a community. Currently holds no information.')
CommunityChatJoined = make_type('CommunityChatJoined', 'Describes a service message about a chat being joined by a user from a community.')
ForumTopicCreated = make_type('ForumTopicCreated', 'This object represents a service message about a new forum topic created in the chat.')
ForumTopicClosed = make_type('ForumTopicClosed', 'This object represents a service message about a forum topic closed in the chat. Currently holds no information.')
ForumTopicEdited = make_type('ForumTopicEdited', 'This object represents a service message about an edited forum topic.')
ForumTopicReopened = make_type('ForumTopicReopened', 'This object represents a service message about a forum topic reopened in the chat. Currently holds no information.')
GeneralForumTopicHidden = make_type('GeneralForumTopicHidden', 'This object represents a service message about General forum topic hidden in the chat. Currently holds no information.')
GeneralForumTopicUnhidden = make_type('GeneralForumTopicUnhidden', 'This object represents a service message about General forum topic unhidden in the chat. Currently holds no information.')
SharedUser = make_type('SharedUser', 'This object contains information about a user that was shared with the bot using a KeyboardButtonRequestUsers button.')
UsersShared = make_type('UsersShared', 'This object contains information about the users whose identifiers were shared with the bot using a KeyboardButtonRequestUsers button.')
ChatShared = make_type('ChatShared', 'This object contains information about a chat that was shared with the bot using a KeyboardButtonRequestChat button.')
WriteAccessAllowed = make_type('WriteAccessAllowed', 'This object represents a service message about a user allowing a bot to write messages after adding it to the attachment menu, launching a Web App from a link, or accepting an explicit request from a Web App sent by the method requestWriteAccess.')
VideoChatScheduled = make_type('VideoChatScheduled', 'This object represents a service message about a video chat scheduled in the chat.')
VideoChatStarted = make_type('VideoChatStarted', 'This object represents a service message about a video chat started in the chat. Currently holds no information.')
VideoChatEnded = make_type('VideoChatEnded', 'This object represents a service message about a video chat ended in the chat.')
VideoChatParticipantsInvited = make_type('VideoChatParticipantsInvited', 'This object represents a service message about new members invited to a video chat.')
PaidMessagePriceChanged = make_type('PaidMessagePriceChanged', 'Describes a service message about a change in the price of paid messages within a chat.')
DirectMessagePriceChanged = make_type('DirectMessagePriceChanged', 'Describes a service message about a change in the price of direct messages sent to a channel chat.')
SuggestedPostApproved = make_type('SuggestedPostApproved', 'Describes a service message about the approval of a suggested post.')
SuggestedPostApprovalFailed = make_type('SuggestedPostApprovalFailed', 'Describes a service message about the failed approval of a suggested post. Currently, only caused by insufficient user funds at the time of approval.')
SuggestedPostDeclined = make_type('SuggestedPostDeclined', 'Describes a service message about the rejection of a suggested post.')
SuggestedPostPaid = make_type('SuggestedPostPaid', 'Describes a service message about a successful payment for a suggested post.')
SuggestedPostRefunded = make_type('SuggestedPostRefunded', 'Describes a service message about a payment refund for a suggested post.')
GiveawayCreated = make_type('GiveawayCreated', 'This object represents a service message about the creation of a scheduled giveaway.')
Giveaway = make_type('Giveaway', 'This object represents a message about a scheduled giveaway.')
GiveawayWinners = make_type('GiveawayWinners', 'This object represents a message about the completion of a giveaway with public winners.')
GiveawayCompleted = make_type('GiveawayCompleted', 'This object represents a service message about the completion of a giveaway without public winners.')
LinkPreviewOptions = make_type('LinkPreviewOptions', 'Describes the options used for link preview generation.')
SuggestedPostPrice = make_type('SuggestedPostPrice', 'Describes the price of a suggested post.')
SuggestedPostInfo = make_type('SuggestedPostInfo', 'Contains information about a suggested post.')
SuggestedPostParameters = make_type('SuggestedPostParameters', 'Contains parameters of a post that is being suggested by the bot.')
DirectMessagesTopic = make_type('DirectMessagesTopic', 'Describes a topic of a direct messages chat.')
UserProfilePhotos = make_type('UserProfilePhotos', "This object represent a user's profile pictures.")
UserProfileAudios = make_type('UserProfileAudios', "This object represents the audios displayed on a user's profile.")
File = make_type('File', 'This object represents a file ready to be downloaded. The file can be downloaded via the link https://api.telegram.org/file/bot<token>/<file_path>. It is guaranteed that the link will be valid for at least 1 hour. When the link expires, a new one can be requested by calling getFile.')
WebAppInfo = make_type('WebAppInfo', 'Describes a Web App.')
ReplyKeyboardMarkup = make_type('ReplyKeyboardMarkup', 'This object represents a custom keyboard with reply options (see Introduction to bots for details and examples). Not supported in channels and for messages sent on behalf of a business account.')
KeyboardButton = make_type('KeyboardButton', 'This object represents one button of the reply keyboard. At most one of the fields other than text, icon_custom_emoji_id, and style must be used to specify the type of the button. For simple text buttons, String can be used instead of this object to specify the button text.')
KeyboardButtonRequestUsers = make_type('KeyboardButtonRequestUsers', 'This object defines the criteria used to request suitable users. Information about the selected users will be shared with the bot when the corresponding button is pressed. More about requesting users: https://core.telegram.org/bots/features#chat-and-user-selection')
KeyboardButtonRequestChat = make_type('KeyboardButtonRequestChat', 'This object defines the criteria used to request a suitable chat. Information about the selected chat will be shared with the bot when the corresponding button is pressed. The bot will be granted requested rights in the chat if appropriate. More about requesting chats: https://core.telegram.org/bots/features#chat-and-user-selection.')
KeyboardButtonRequestManagedBot = make_type('KeyboardButtonRequestManagedBot', 'This object defines the parameters for the creation of a managed bot. Information about the created bot will be shared with the bot using the update managed_bot and a Message with the field managed_bot_created.')
KeyboardButtonPollType = make_type('KeyboardButtonPollType', 'This object represents type of a poll, which is allowed to be created and sent when the corresponding button is pressed.')
ReplyKeyboardRemove = make_type('ReplyKeyboardRemove', 'Upon receiving a message with this object, Telegram clients will remove the current custom keyboard and display the default letter-keyboard. By default, custom keyboards are displayed until a new keyboard is sent by a bot. An exception is made for one-time keyboards that are hidden immediately after the user presses a button (see ReplyKeyboardMarkup). Not supported in channels and for messages sent on behalf of a business account.')
InlineKeyboardMarkup = make_type('InlineKeyboardMarkup', 'This object represents an inline keyboard that appears right next to the message it belongs to.')
InlineKeyboardButton = make_type('InlineKeyboardButton', 'This object represents one button of an inline keyboard. Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used to specify the type of the button.')
LoginUrl = make_type('LoginUrl', 'This object represents a parameter of the inline keyboard button used to automatically authorize a user. It serves as a great replacement for the Telegram Login Widget when the user is coming from Telegram. All the user needs to do is tap/click a button and confirm that they want to log in:')
SwitchInlineQueryChosenChat = make_type('SwitchInlineQueryChosenChat', 'This object represents an inline button that switches the current user to inline mode in a chosen chat, with an optional default inline query.')
CopyTextButton = make_type('CopyTextButton', 'This object represents an inline keyboard button that copies specified text to the clipboard.')
DisabledButton = make_type('DisabledButton', 'This object represents a disabled button which does nothing. Currently holds no information.')
CallbackQuery = make_type('CallbackQuery', 'This object represents an incoming callback query from a callback button in an inline keyboard. If the button that originated the query was attached to a message sent by the bot, the field message will be present. If the button was attached to a message sent via the bot (in inline mode), the field inline_message_id will be present. Exactly one of the fields data or game_short_name will be present.')
ForceReply = make_type('ForceReply', "Upon receiving a message with this object, Telegram clients will display a reply interface to the user (act as if the user has selected the bot's message and tapped 'Reply'). This can be extremely useful if you want to create user-friendly step-by-step interfaces without having to sacrifice privacy mode. Not supported in channels and for messages sent on behalf of a user account.")
Community = make_type('Community', 'Represents a community (a group of chats).')
ChatPhoto = make_type('ChatPhoto', 'This object represents a chat photo.')
ChatInviteLink = make_type('ChatInviteLink', 'Represents an invite link for a chat.')
ChatAdministratorRights = make_type('ChatAdministratorRights', 'Represents the rights of an administrator in a chat.')
ChatMemberUpdated = make_type('ChatMemberUpdated', 'This object represents changes in the status of a chat member.')
ChatMemberOwner = make_type('ChatMemberOwner', 'Represents a chat member that owns the chat and has all administrator privileges.')
ChatMemberAdministrator = make_type('ChatMemberAdministrator', 'Represents a chat member that has some additional privileges.')
ChatMemberMember = make_type('ChatMemberMember', 'Represents a chat member that has no additional privileges or restrictions.')
ChatMemberRestricted = make_type('ChatMemberRestricted', 'Represents a chat member that is under certain restrictions in the chat. Supergroups only.')
ChatMemberLeft = make_type('ChatMemberLeft', "Represents a chat member that isn't currently a member of the chat, but may join it themselves.")
ChatMemberBanned = make_type('ChatMemberBanned', "Represents a chat member that was banned in the chat and can't return to the chat or view chat messages.")
ChatJoinRequest = make_type('ChatJoinRequest', 'Represents a join request sent to a chat.')
ChatPermissions = make_type('ChatPermissions', 'Describes actions that a non-administrator user is allowed to take in a chat.')
Birthdate = make_type('Birthdate', 'Describes the birthdate of a user.')
BusinessIntro = make_type('BusinessIntro', 'Contains information about the start page settings of a Telegram Business account.')
BusinessLocation = make_type('BusinessLocation', 'Contains information about the location of a Telegram Business account.')
BusinessOpeningHoursInterval = make_type('BusinessOpeningHoursInterval', 'Describes an interval of time during which a business is open.')
BusinessOpeningHours = make_type('BusinessOpeningHours', 'Describes the opening hours of a business.')
UserRating = make_type('UserRating', 'This object describes the rating of a user based on their Telegram Star spendings.')
StoryAreaPosition = make_type('StoryAreaPosition', 'Describes the position of a clickable area within a story.')
LocationAddress = make_type('LocationAddress', 'Describes the physical address of a location.')
StoryAreaTypeLocation = make_type('StoryAreaTypeLocation', 'Describes a story area pointing to a location. Currently, a story can have up to 10 location areas.')
StoryAreaTypeSuggestedReaction = make_type('StoryAreaTypeSuggestedReaction', 'Describes a story area pointing to a suggested reaction. Currently, a story can have up to 5 suggested reaction areas.')
StoryAreaTypeLink = make_type('StoryAreaTypeLink', 'Describes a story area pointing to an HTTP or tg:// link. Currently, a story can have up to 3 link areas.')
StoryAreaTypeWeather = make_type('StoryAreaTypeWeather', 'Describes a story area containing weather information. Currently, a story can have up to 3 weather areas.')
StoryAreaTypeUniqueGift = make_type('StoryAreaTypeUniqueGift', 'Describes a story area pointing to a unique gift. Currently, a story can have at most 1 unique gift area.')
StoryArea = make_type('StoryArea', 'Describes a clickable area on a story media.')
ChatLocation = make_type('ChatLocation', 'Represents a location to which a chat is connected.')
ReactionTypeEmoji = make_type('ReactionTypeEmoji', 'The reaction is based on an emoji.')
ReactionTypeCustomEmoji = make_type('ReactionTypeCustomEmoji', 'The reaction is based on a custom emoji.')
ReactionTypePaid = make_type('ReactionTypePaid', 'The reaction is paid.')
ReactionCount = make_type('ReactionCount', 'Represents a reaction added to a message along with the number of times it was added.')
MessageReactionUpdated = make_type('MessageReactionUpdated', 'This object represents a change of a reaction on a message performed by a user.')
MessageReactionCountUpdated = make_type('MessageReactionCountUpdated', 'This object represents reaction changes on a message with anonymous reactions.')
ForumTopic = make_type('ForumTopic', 'This object represents a forum topic.')
GiftBackground = make_type('GiftBackground', 'This object describes the background of a gift.')
Gift = make_type('Gift', 'This object represents a gift that can be sent by the bot.')
Gifts = make_type('Gifts', 'This object represent a list of gifts.')
UniqueGiftModel = make_type('UniqueGiftModel', 'This object describes the model of a unique gift.')
UniqueGiftSymbol = make_type('UniqueGiftSymbol', 'This object describes the symbol shown on the pattern of a unique gift.')
UniqueGiftBackdropColors = make_type('UniqueGiftBackdropColors', 'This object describes the colors of the backdrop of a unique gift.')
UniqueGiftBackdrop = make_type('UniqueGiftBackdrop', 'This object describes the backdrop of a unique gift.')
UniqueGiftColors = make_type('UniqueGiftColors', "This object contains information about the color scheme for a user's name, message replies and link previews based on a unique gift.")
UniqueGift = make_type('UniqueGift', 'This object describes a unique gift that was upgraded from a regular gift.')
GiftInfo = make_type('GiftInfo', 'Describes a service message about a regular gift that was sent or received.')
UniqueGiftInfo = make_type('UniqueGiftInfo', 'Describes a service message about a unique gift that was sent or received.')
OwnedGiftRegular = make_type('OwnedGiftRegular', 'Describes a regular gift owned by a user or a chat.')
OwnedGiftUnique = make_type('OwnedGiftUnique', 'Describes a unique gift received and owned by a user or a chat.')
OwnedGifts = make_type('OwnedGifts', 'Contains the list of gifts received and owned by a user or a chat.')
BotAccessSettings = make_type('BotAccessSettings', 'This object describes the access settings of a bot.')
AcceptedGiftTypes = make_type('AcceptedGiftTypes', 'This object describes the types of gifts that can be gifted to a user or a chat.')
StarAmount = make_type('StarAmount', 'Describes an amount of Telegram Stars.')
BotCommand = make_type('BotCommand', 'This object represents a bot command.')
BotCommandScopeDefault = make_type('BotCommandScopeDefault', 'Represents the default scope of bot commands. Default commands are used if no commands with a narrower scope are specified for the user.')
BotCommandScopeAllPrivateChats = make_type('BotCommandScopeAllPrivateChats', 'Represents the scope of bot commands, covering all private chats.')
BotCommandScopeAllGroupChats = make_type('BotCommandScopeAllGroupChats', 'Represents the scope of bot commands, covering all group and supergroup chats.')
BotCommandScopeAllChatAdministrators = make_type('BotCommandScopeAllChatAdministrators', 'Represents the scope of bot commands, covering all group and supergroup chat administrators.')
BotCommandScopeChat = make_type('BotCommandScopeChat', 'Represents the scope of bot commands, covering a specific chat.')
BotCommandScopeChatAdministrators = make_type('BotCommandScopeChatAdministrators', 'Represents the scope of bot commands, covering all administrators of a specific group or supergroup chat.')
BotCommandScopeChatMember = make_type('BotCommandScopeChatMember', 'Represents the scope of bot commands, covering a specific member of a group or supergroup chat.')
BotName = make_type('BotName', "This object represents the bot's name.")
BotDescription = make_type('BotDescription', "This object represents the bot's description.")
BotShortDescription = make_type('BotShortDescription', "This object represents the bot's short description.")
MenuButtonCommands = make_type('MenuButtonCommands', "Represents a menu button, which opens the bot's list of commands.")
MenuButtonWebApp = make_type('MenuButtonWebApp', 'Represents a menu button, which launches a Web App.')
MenuButtonDefault = make_type('MenuButtonDefault', 'Describes that no specific value for the menu button was set.')
ChatBoostSourcePremium = make_type('ChatBoostSourcePremium', 'The boost was obtained by subscribing to Telegram Premium or by gifting a Telegram Premium subscription to another user.')
ChatBoostSourceGiftCode = make_type('ChatBoostSourceGiftCode', 'The boost was obtained by the creation of Telegram Premium gift codes to boost a chat. Each such code boosts the chat 4 times for the duration of the corresponding Telegram Premium subscription.')
ChatBoostSourceGiveaway = make_type('ChatBoostSourceGiveaway', 'The boost was obtained by the creation of a Telegram Premium or a Telegram Star giveaway. This boosts the chat 4 times for the duration of the corresponding Telegram Premium subscription for Telegram Premium giveaways and prize_star_count / 500 times for one year for Telegram Star giveaways.')
ChatBoost = make_type('ChatBoost', 'This object contains information about a chat boost.')
ChatBoostUpdated = make_type('ChatBoostUpdated', 'This object represents a boost added to a chat or changed.')
ChatBoostRemoved = make_type('ChatBoostRemoved', 'This object represents a boost removed from a chat.')
ChatOwnerLeft = make_type('ChatOwnerLeft', 'Describes a service message about the chat owner leaving the chat.')
ChatOwnerChanged = make_type('ChatOwnerChanged', 'Describes a service message about an ownership change in the chat.')
UserChatBoosts = make_type('UserChatBoosts', 'This object represents a list of boosts added to a chat by a user.')
BusinessBotRights = make_type('BusinessBotRights', 'Represents the rights of a business bot.')
BusinessConnection = make_type('BusinessConnection', 'Describes the connection of the bot with a business account.')
BusinessMessagesDeleted = make_type('BusinessMessagesDeleted', 'This object is received when messages are deleted from a connected business account.')
SentWebAppMessage = make_type('SentWebAppMessage', 'Describes an inline message sent by a Web App on behalf of a user.')
SentGuestMessage = make_type('SentGuestMessage', 'Describes an inline message sent by a guest bot.')
PreparedInlineMessage = make_type('PreparedInlineMessage', 'Describes an inline message to be sent by a user of a Mini App.')
PreparedKeyboardButton = make_type('PreparedKeyboardButton', 'Describes a keyboard button to be used by a user of a Mini App.')
ResponseParameters = make_type('ResponseParameters', 'Describes why a request was unsuccessful.')
InputMediaAnimation = make_type('InputMediaAnimation', 'Represents an animation file (GIF or H.264/MPEG-4 AVC video without sound) to be sent.')
InputMediaAudio = make_type('InputMediaAudio', 'Represents an audio file to be treated as music to be sent.')
InputMediaDocument = make_type('InputMediaDocument', 'Represents a general file to be sent.')
InputMediaLink = make_type('InputMediaLink', 'Represents an HTTP link to be sent.')
InputMediaLivePhoto = make_type('InputMediaLivePhoto', 'Represents a live photo to be sent.')
InputMediaLocation = make_type('InputMediaLocation', 'Represents a location to be sent.')
InputMediaPhoto = make_type('InputMediaPhoto', 'Represents a photo to be sent.')
InputMediaSticker = make_type('InputMediaSticker', 'Represents a sticker file to be sent.')
InputMediaVenue = make_type('InputMediaVenue', 'Represents a venue to be sent.')
InputMediaVideo = make_type('InputMediaVideo', 'Represents a video to be sent.')
InputMediaVoiceNote = make_type('InputMediaVoiceNote', 'Represents a voice message file to be sent.')
InputFile = make_type('InputFile', 'This object represents the contents of a file to be uploaded. Must be posted using multipart/form-data in the usual way that files are uploaded via the browser.')
InputPaidMediaLivePhoto = make_type('InputPaidMediaLivePhoto', 'The paid media to send is a live photo.')
InputPaidMediaPhoto = make_type('InputPaidMediaPhoto', 'The paid media to send is a photo.')
InputPaidMediaVideo = make_type('InputPaidMediaVideo', 'The paid media to send is a video.')
InputProfilePhotoStatic = make_type('InputProfilePhotoStatic', 'A static profile photo in the .JPG format.')
InputProfilePhotoAnimated = make_type('InputProfilePhotoAnimated', 'An animated profile photo in the MPEG4 format.')
InputStoryContentPhoto = make_type('InputStoryContentPhoto', 'Describes a photo to post as a story.')
InputStoryContentVideo = make_type('InputStoryContentVideo', 'Describes a video to post as a story.')
Sticker = make_type('Sticker', 'This object represents a sticker.')
StickerSet = make_type('StickerSet', 'This object represents a sticker set.')
MaskPosition = make_type('MaskPosition', 'This object describes the position on faces where a mask should be placed by default.')
InputSticker = make_type('InputSticker', 'This object describes a sticker to be added to a sticker set.')
RichMessage = make_type('RichMessage', 'Rich formatted message.')
InputRichMessage = make_type('InputRichMessage', 'Describes a rich message to be sent. Exactly one of the fields html, markdown, or blocks must be used.')
InputRichMessageMedia = make_type('InputRichMessageMedia', 'Describes a media element embedded in an outgoing rich message.')
RichTextBold = make_type('RichTextBold', 'A bold text.')
RichTextItalic = make_type('RichTextItalic', 'An italicized text.')
RichTextUnderline = make_type('RichTextUnderline', 'An underlined text.')
RichTextStrikethrough = make_type('RichTextStrikethrough', 'A strikethrough text.')
RichTextSpoiler = make_type('RichTextSpoiler', 'A text covered by a spoiler.')
RichTextDateTime = make_type('RichTextDateTime', 'Formatted date and time.')
RichTextTextMention = make_type('RichTextTextMention', 'A mention of a Telegram user by their identifier.')
RichTextSubscript = make_type('RichTextSubscript', 'A subscript text.')
RichTextSuperscript = make_type('RichTextSuperscript', 'A superscript text.')
RichTextMarked = make_type('RichTextMarked', 'A marked text.')
RichTextCode = make_type('RichTextCode', 'A monowidth text.')
RichTextCustomEmoji = make_type('RichTextCustomEmoji', 'A custom emoji.')
RichTextMathematicalExpression = make_type('RichTextMathematicalExpression', 'A mathematical expression.')
RichTextUrl = make_type('RichTextUrl', 'A text with a link.')
RichTextEmailAddress = make_type('RichTextEmailAddress', 'A text with an email address.')
RichTextPhoneNumber = make_type('RichTextPhoneNumber', 'A text with a phone number.')
RichTextBankCardNumber = make_type('RichTextBankCardNumber', 'A text with a bank card number.')
RichTextMention = make_type('RichTextMention', 'A mention by a username.')
RichTextHashtag = make_type('RichTextHashtag', 'A hashtag.')
RichTextCashtag = make_type('RichTextCashtag', 'A cashtag.')
RichTextBotCommand = make_type('RichTextBotCommand', 'A bot command.')
RichTextButton = make_type('RichTextButton', 'A button.')
RichTextAnchor = make_type('RichTextAnchor', 'An anchor.')
RichTextAnchorLink = make_type('RichTextAnchorLink', 'A link to an anchor.')
RichTextReference = make_type('RichTextReference', 'A reference.')
RichTextReferenceLink = make_type('RichTextReferenceLink', 'A link to a reference.')
RichBlockCaption = make_type('RichBlockCaption', 'Caption of a rich formatted block.')
RichBlockTableCell = make_type('RichBlockTableCell', 'Cell in a table.')
RichMessageButton = make_type('RichMessageButton', 'This object represents a button in a RichMessage. Exactly one of the fields other than text and style must be used to specify the type of the button.')
RichBlockListItem = make_type('RichBlockListItem', 'An item of a list.')
RichBlockParagraph = make_type('RichBlockParagraph', 'A text paragraph, corresponding to the HTML tag <p>.')
RichBlockSectionHeading = make_type('RichBlockSectionHeading', 'A section heading, corresponding to the HTML tags <h1>, <h2>, <h3>, <h4>, <h5>, or <h6>.')
RichBlockPreformatted = make_type('RichBlockPreformatted', 'A preformatted text block, corresponding to the nested HTML tags <pre> and <code>.')
RichBlockFooter = make_type('RichBlockFooter', 'A footer, corresponding to the HTML tag <footer>.')
RichBlockDivider = make_type('RichBlockDivider', 'A divider, corresponding to the HTML tag <hr/>.')
RichBlockMathematicalExpression = make_type('RichBlockMathematicalExpression', 'A block with a mathematical expression in LaTeX format, corresponding to the custom HTML tag <tg-math-block>.')
RichBlockAnchor = make_type('RichBlockAnchor', 'A block with an anchor, corresponding to the HTML tag <a> with the attribute name.')
RichBlockList = make_type('RichBlockList', 'A list of blocks, corresponding to the HTML tag <ul> or <ol> with multiple nested tags <li>.')
RichBlockBlockQuotation = make_type('RichBlockBlockQuotation', 'A block quotation, corresponding to the HTML tag <blockquote>.')
RichBlockExpandableBlockQuotation = make_type('RichBlockExpandableBlockQuotation', 'A block quotation, corresponding to the HTML tag <blockquote> with custom attribute "expandable".')
RichBlockPullQuotation = make_type('RichBlockPullQuotation', 'A quotation with centered text, loosely corresponding to the HTML tag <aside>.')
RichBlockCollage = make_type('RichBlockCollage', 'A collage, corresponding to the custom HTML tag <tg-collage>.')
RichBlockSlideshow = make_type('RichBlockSlideshow', 'A slideshow, corresponding to the custom HTML tag <tg-slideshow>.')
RichBlockTable = make_type('RichBlockTable', 'A table, corresponding to the HTML tag <table>.')
RichBlockDetails = make_type('RichBlockDetails', 'An expandable block for details disclosure, corresponding to the HTML tag <details>.')
RichBlockMap = make_type('RichBlockMap', 'A block with a map, corresponding to the custom HTML tag <tg-map>.')
RichBlockButtons = make_type('RichBlockButtons', 'A block containing a list of buttons that are shown in one row, corresponding to the custom HTML tag <tg-button-row>.')
RichBlockAnimation = make_type('RichBlockAnimation', 'A block with an animation, corresponding to the HTML tag <video>.')
RichBlockAudio = make_type('RichBlockAudio', 'A block with a music file, corresponding to the HTML tag <audio>.')
RichBlockDocument = make_type('RichBlockDocument', 'A block with a general file, corresponding to the custom HTML tag <tg-document>.')
RichBlockPhoto = make_type('RichBlockPhoto', 'A block with a photo, corresponding to the HTML tag <img>.')
RichBlockVideo = make_type('RichBlockVideo', 'A block with a video, corresponding to the HTML tag <video>.')
RichBlockVoiceNote = make_type('RichBlockVoiceNote', 'A block with a voice note, corresponding to the HTML tag <audio>.')
RichBlockThinking = make_type('RichBlockThinking', 'A block with a "Thinking..." placeholder, corresponding to the custom HTML tag <tg-thinking>. The block may be used only in sendRichMessageDraft, therefore it can\'t be received in messages. See https://t.me/addemoji/AIActions for examples of custom emoji that are recommended for usage in the block.')
InputRichBlockListItem = make_type('InputRichBlockListItem', 'An item of a list to be sent.')
InputRichBlockParagraph = make_type('InputRichBlockParagraph', 'A text paragraph, corresponding to the HTML tag <p>.')
InputRichBlockSectionHeading = make_type('InputRichBlockSectionHeading', 'A section heading, corresponding to the HTML tags <h1>, <h2>, <h3>, <h4>, <h5>, or <h6>.')
InputRichBlockPreformatted = make_type('InputRichBlockPreformatted', 'A preformatted text block, corresponding to the nested HTML tags <pre> and <code>.')
InputRichBlockFooter = make_type('InputRichBlockFooter', 'A footer, corresponding to the HTML tag <footer>.')
InputRichBlockDivider = make_type('InputRichBlockDivider', 'A divider, corresponding to the HTML tag <hr/>.')
InputRichBlockMathematicalExpression = make_type('InputRichBlockMathematicalExpression', 'A block with a mathematical expression in LaTeX format, corresponding to the custom HTML tag <tg-math-block>.')
InputRichBlockAnchor = make_type('InputRichBlockAnchor', 'A block with an anchor, corresponding to the HTML tag <a> with the attribute name.')
InputRichBlockList = make_type('InputRichBlockList', 'A list of blocks, corresponding to the HTML tag <ul> or <ol> with multiple nested tags <li>.')
InputRichBlockBlockQuotation = make_type('InputRichBlockBlockQuotation', 'A block quotation, corresponding to the HTML tag <blockquote>.')
InputRichBlockExpandableBlockQuotation = make_type('InputRichBlockExpandableBlockQuotation', 'A block quotation, corresponding to the HTML tag <blockquote> with custom attribute "expandable".')
InputRichBlockPullQuotation = make_type('InputRichBlockPullQuotation', 'A quotation with centered text, loosely corresponding to the HTML tag <aside>.')
InputRichBlockCollage = make_type('InputRichBlockCollage', 'A collage, corresponding to the custom HTML tag <tg-collage>.')
InputRichBlockSlideshow = make_type('InputRichBlockSlideshow', 'A slideshow, corresponding to the custom HTML tag <tg-slideshow>.')
InputRichBlockTable = make_type('InputRichBlockTable', 'A table, corresponding to the HTML tag <table>.')
InputRichBlockDetails = make_type('InputRichBlockDetails', 'An expandable block for details disclosure, corresponding to the HTML tag <details>.')
InputRichBlockMap = make_type('InputRichBlockMap', "A block with a map, corresponding to the custom HTML tag <tg-map>. The map's width and height must not exceed 10000 in total. The width and height ratio must be at most 20.")
InputRichBlockButtons = make_type('InputRichBlockButtons', 'A block containing a list of buttons that are shown in one row, corresponding to the custom HTML tag <tg-button-row>.')
InputRichBlockAnimation = make_type('InputRichBlockAnimation', 'A block with an animation, corresponding to the HTML tag <video>.')
InputRichBlockAudio = make_type('InputRichBlockAudio', 'A block with a music file, corresponding to the HTML tag <audio>.')
InputRichBlockDocument = make_type('InputRichBlockDocument', 'A block with a general file, corresponding to the custom HTML tag <tg-document>.')
InputRichBlockPhoto = make_type('InputRichBlockPhoto', 'A block with a photo, corresponding to the HTML tag <img>.')
InputRichBlockVideo = make_type('InputRichBlockVideo', 'A block with a video, corresponding to the HTML tag <video>.')
InputRichBlockVoiceNote = make_type('InputRichBlockVoiceNote', 'A block with a voice note, corresponding to the HTML tag <audio>.')
InputRichBlockThinking = make_type('InputRichBlockThinking', 'A block with a "Thinking..." placeholder, corresponding to the custom HTML tag <tg-thinking>. The block may be used only in sendRichMessageDraft, therefore it can\'t be received in messages. See https://t.me/addemoji/AIActions for examples of custom emoji that are recommended for usage in the block.')
InlineQuery = make_type('InlineQuery', 'This object represents an incoming inline query. When the user sends an empty query, your bot could return some default or trending results.')
InlineQueryResultsButton = make_type('InlineQueryResultsButton', 'This object represents a button to be shown above inline query results. You must use exactly one of the optional fields.')
InlineQueryResultArticle = make_type('InlineQueryResultArticle', 'Represents a link to an article or web page.')
InlineQueryResultPhoto = make_type('InlineQueryResultPhoto', 'Represents a link to a photo. By default, this photo will be sent by the user with optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the photo.')
InlineQueryResultGif = make_type('InlineQueryResultGif', 'Represents a link to an animated GIF file. By default, this animated GIF file will be sent by the user with optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the animation.')
InlineQueryResultMpeg4Gif = make_type('InlineQueryResultMpeg4Gif', 'Represents a link to a video animation (H.264/MPEG-4 AVC video without sound). By default, this animated MPEG-4 file will be sent by the user with optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the animation.')
InlineQueryResultVideo = make_type('InlineQueryResultVideo', 'Represents a link to a page containing an embedded video player or a video file. By default, this video file will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the video.')
InlineQueryResultAudio = make_type('InlineQueryResultAudio', 'Represents a link to an MP3 audio file. By default, this audio file will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the audio.')
InlineQueryResultVoice = make_type('InlineQueryResultVoice', 'Represents a link to a voice recording in an .OGG container encoded with OPUS. By default, this voice recording will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the the voice message.')
InlineQueryResultDocument = make_type('InlineQueryResultDocument', 'Represents a link to a file. By default, this file will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the file. Currently, only .PDF and .ZIP files can be sent using this method.')
InlineQueryResultLocation = make_type('InlineQueryResultLocation', 'Represents a location on a map. By default, the location will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the location.')
InlineQueryResultVenue = make_type('InlineQueryResultVenue', 'Represents a venue. By default, the venue will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the venue.')
InlineQueryResultContact = make_type('InlineQueryResultContact', 'Represents a contact with a phone number. By default, this contact will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the contact.')
InlineQueryResultGame = make_type('InlineQueryResultGame', 'Represents a Game.')
InlineQueryResultCachedPhoto = make_type('InlineQueryResultCachedPhoto', 'Represents a link to a photo stored on the Telegram servers. By default, this photo will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the photo.')
InlineQueryResultCachedGif = make_type('InlineQueryResultCachedGif', 'Represents a link to an animated GIF file stored on the Telegram servers. By default, this animated GIF file will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with specified content instead of the animation.')
InlineQueryResultCachedMpeg4Gif = make_type('InlineQueryResultCachedMpeg4Gif', 'Represents a link to a video animation (H.264/MPEG-4 AVC video without sound) stored on the Telegram servers. By default, this animated MPEG-4 file will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the animation.')
InlineQueryResultCachedSticker = make_type('InlineQueryResultCachedSticker', 'Represents a link to a sticker stored on the Telegram servers. By default, this sticker will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the sticker.')
InlineQueryResultCachedDocument = make_type('InlineQueryResultCachedDocument', 'Represents a link to a file stored on the Telegram servers. By default, this file will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the file.')
InlineQueryResultCachedVideo = make_type('InlineQueryResultCachedVideo', 'Represents a link to a video file stored on the Telegram servers. By default, this video file will be sent by the user with an optional caption. Alternatively, you can use input_message_content to send a message with the specified content instead of the video.')
InlineQueryResultCachedVoice = make_type('InlineQueryResultCachedVoice', 'Represents a link to a voice message stored on the Telegram servers. By default, this voice message will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the voice message.')
InlineQueryResultCachedAudio = make_type('InlineQueryResultCachedAudio', 'Represents a link to an MP3 audio file stored on the Telegram servers. By default, this audio file will be sent by the user. Alternatively, you can use input_message_content to send a message with the specified content instead of the audio.')
InputTextMessageContent = make_type('InputTextMessageContent', 'Represents the content of a text message to be sent as the result of an inline query.')
InputRichMessageContent = make_type('InputRichMessageContent', 'Represents the content of a rich message to be sent as the result of an inline query.')
InputLocationMessageContent = make_type('InputLocationMessageContent', 'Represents the content of a location message to be sent as the result of an inline query.')
InputVenueMessageContent = make_type('InputVenueMessageContent', 'Represents the content of a venue message to be sent as the result of an inline query.')
InputContactMessageContent = make_type('InputContactMessageContent', 'Represents the content of a contact message to be sent as the result of an inline query.')
InputInvoiceMessageContent = make_type('InputInvoiceMessageContent', 'Represents the content of an invoice message to be sent as the result of an inline query.')
ChosenInlineResult = make_type('ChosenInlineResult', 'Represents a result of an inline query that was chosen by the user and sent to their chat partner.')
LabeledPrice = make_type('LabeledPrice', 'This object represents a portion of the price for goods or services.')
Invoice = make_type('Invoice', 'This object contains basic information about an invoice.')
ShippingAddress = make_type('ShippingAddress', 'This object represents a shipping address.')
OrderInfo = make_type('OrderInfo', 'This object represents information about an order.')
ShippingOption = make_type('ShippingOption', 'This object represents one shipping option.')
SuccessfulPayment = make_type('SuccessfulPayment', "This object contains basic information about a successful payment. Note that if the buyer initiates a chargeback with the relevant payment provider following this transaction, the funds may be debited from your balance. This is outside of Telegram's control.")
RefundedPayment = make_type('RefundedPayment', 'This object contains basic information about a refunded payment.')
ShippingQuery = make_type('ShippingQuery', 'This object contains information about an incoming shipping query.')
PreCheckoutQuery = make_type('PreCheckoutQuery', 'This object contains information about an incoming pre-checkout query.')
PaidMediaPurchased = make_type('PaidMediaPurchased', 'This object contains information about a paid media purchase.')
RevenueWithdrawalStatePending = make_type('RevenueWithdrawalStatePending', 'The withdrawal is in progress.')
RevenueWithdrawalStateSucceeded = make_type('RevenueWithdrawalStateSucceeded', 'The withdrawal succeeded.')
RevenueWithdrawalStateFailed = make_type('RevenueWithdrawalStateFailed', 'The withdrawal failed and the transaction was refunded.')
AffiliateInfo = make_type('AffiliateInfo', 'Contains information about the affiliate that received a commission via this transaction.')
TransactionPartnerUser = make_type('TransactionPartnerUser', 'Describes a transaction with a user.')
TransactionPartnerChat = make_type('TransactionPartnerChat', 'Describes a transaction with a chat.')
TransactionPartnerAffiliateProgram = make_type('TransactionPartnerAffiliateProgram', 'Describes the affiliate program that issued the affiliate commission received via this transaction.')
TransactionPartnerFragment = make_type('TransactionPartnerFragment', 'Describes a withdrawal transaction with Fragment.')
TransactionPartnerTelegramAds = make_type('TransactionPartnerTelegramAds', 'Describes a withdrawal transaction to the Telegram Ads platform.')
TransactionPartnerTelegramApi = make_type('TransactionPartnerTelegramApi', 'Describes a transaction with payment for paid broadcasting.')
TransactionPartnerOther = make_type('TransactionPartnerOther', 'Describes a transaction with an unknown source or recipient.')
StarTransaction = make_type('StarTransaction', "Describes a Telegram Star transaction. Note that if the buyer initiates a chargeback with the payment provider from whom they acquired Stars (e.g., Apple, Google) following this transaction, the refunded Stars will be deducted from the bot's balance. This is outside of Telegram's control.")
StarTransactions = make_type('StarTransactions', 'Contains a list of Telegram Star transactions.')
PassportData = make_type('PassportData', 'Describes Telegram Passport data shared with the bot by the user.')
PassportFile = make_type('PassportFile', "This object represents a file uploaded to Telegram Passport. Currently all Telegram Passport files are in JPEG format when decrypted and don't exceed 10MB.")
EncryptedPassportElement = make_type('EncryptedPassportElement', 'Describes documents or other Telegram Passport elements shared with the bot by the user.')
EncryptedCredentials = make_type('EncryptedCredentials', 'Describes data required for decrypting and authenticating EncryptedPassportElement. See the Telegram Passport Documentation for a complete description of the data decryption and authentication processes.')
PassportElementErrorDataField = make_type('PassportElementErrorDataField', "Represents an issue in one of the data fields that was provided by the user. The error is considered resolved when the field's value changes.")
PassportElementErrorFrontSide = make_type('PassportElementErrorFrontSide', 'Represents an issue with the front side of a document. The error is considered resolved when the file with the front side of the document changes.')
PassportElementErrorReverseSide = make_type('PassportElementErrorReverseSide', 'Represents an issue with the reverse side of a document. The error is considered resolved when the file with reverse side of the document changes.')
PassportElementErrorSelfie = make_type('PassportElementErrorSelfie', 'Represents an issue with the selfie with a document. The error is considered resolved when the file with the selfie changes.')
PassportElementErrorFile = make_type('PassportElementErrorFile', 'Represents an issue with a document scan. The error is considered resolved when the file with the document scan changes.')
PassportElementErrorFiles = make_type('PassportElementErrorFiles', 'Represents an issue with a list of scans. The error is considered resolved when the list of files containing the scans changes.')
PassportElementErrorTranslationFile = make_type('PassportElementErrorTranslationFile', 'Represents an issue with one of the files that constitute the translation of a document. The error is considered resolved when the file changes.')
PassportElementErrorTranslationFiles = make_type('PassportElementErrorTranslationFiles', 'Represents an issue with the translated version of a document. The error is considered resolved when a file with the document translation change.')
PassportElementErrorUnspecified = make_type('PassportElementErrorUnspecified', 'Represents an issue in an unspecified place. The error is considered resolved when new data is added.')
Game = make_type('Game', 'This object represents a game. Use BotFather to create and edit games, their short names will act as unique identifiers.')
CallbackGame = make_type('CallbackGame', 'A placeholder, currently holds no information. Use BotFather to set up your game.')
GameHighScore = make_type('GameHighScore', 'This object represents one row of the high scores table for a game.')
Widget = make_type('Widget', 'An HTML widget in a message.')
WidgetQueryType = make_type('WidgetQueryType', 'The kind of a widget query; one of WidgetQueryTypeData, WidgetQueryTypeSignData and WidgetQueryTypeSentTransaction, whose fields are not known.')
WidgetQuery = make_type('WidgetQuery', 'A query sent by a widget to the bot. Each user can send at most 5 queries per 5 seconds.')
SharedWidgetQuery = make_type('SharedWidgetQuery', 'A query sent by a shared widget to the bot.')
ChatShareThemeBackdrops = make_type('ChatShareThemeBackdrops', 'The backdrops usable as the background of the theme of a link-sharing screen.')
BotFullInfo = make_type('BotFullInfo', 'Full information about the bot, returned by getMe (which returned a User before Bot API 10.5).')

MaybeInaccessibleMessage = make_union('MaybeInaccessibleMessage', 'This object describes a message that can be inaccessible to the bot. It can be one of')
MessageOrigin = make_union('MessageOrigin', 'This object describes the origin of a message. It can be one of')
PaidMedia = make_union('PaidMedia', 'This object describes paid media. Currently, it can be one of')
InputPollMedia = make_union('InputPollMedia', 'This object represents the content of a poll description or a quiz explanation to be sent. It should be one of')
InputPollOptionMedia = make_union('InputPollOptionMedia', 'This object represents the content of a poll option to be sent. It should be one of')
BackgroundFill = make_union('BackgroundFill', 'This object describes the way a background is filled based on the selected colors. Currently, it can be one of')
BackgroundType = make_union('BackgroundType', 'This object describes the type of a background. Currently, it can be one of')
ChatMember = make_union('ChatMember', 'This object contains information about one member of a chat. Currently, the following 6 types of chat members are supported:')
StoryAreaType = make_union('StoryAreaType', 'Describes the type of a clickable area on a story. Currently, it can be one of')
ReactionType = make_union('ReactionType', 'This object describes the type of a reaction. Currently, it can be one of')
OwnedGift = make_union('OwnedGift', 'This object describes a gift received and owned by a user or a chat. Currently, it can be one of')
BotCommandScope = make_union('BotCommandScope', 'This object represents the scope to which bot commands are applied. Currently, the following 7 scopes are supported:')
MenuButton = make_union('MenuButton', "This object describes the bot's menu button in a private chat. It should be one of")
ChatBoostSource = make_union('ChatBoostSource', 'This object describes the source of a chat boost. It can be one of')
InputMedia = make_union('InputMedia', 'This object represents the content of a media message to be sent. It should be one of')
InputPaidMedia = make_union('InputPaidMedia', 'This object describes the paid media to be sent. Currently, it can be one of')
InputProfilePhoto = make_union('InputProfilePhoto', 'This object describes a profile photo to set. Currently, it can be one of')
InputStoryContent = make_union('InputStoryContent', 'This object describes the content of a story to post. Currently, it can be one of')
RichText = make_union('RichText', 'This object represents a rich formatted text. Currently, it can be either a String for plain text, an Array of RichText, or any of the following types:')
RichBlock = make_union('RichBlock', 'This object represents a block in a rich formatted message. Currently, it can be any of the following types:')
InputRichBlock = make_union('InputRichBlock', 'This object represents a block in a rich formatted message to be sent. Currently, it can be any of the following types:')
InlineQueryResult = make_union('InlineQueryResult', 'This object represents one result of an inline query. Telegram clients currently support results of the following 20 types:')
InputMessageContent = make_union('InputMessageContent', 'This object represents the content of a message to be sent as a result of an inline query. Telegram clients currently support the following types:')
RevenueWithdrawalState = make_union('RevenueWithdrawalState', 'This object describes the state of a revenue withdrawal operation. Currently, it can be one of')
TransactionPartner = make_union('TransactionPartner', 'This object describes the source of a transaction, or its recipient for outgoing transactions. Currently, it can be one of')
PassportElementError = make_union('PassportElementError', 'This object represents an error in the Telegram Passport element which was submitted that should be resolved by the user. It should be one of:')

__all__ = [
    'Update', 'WebhookInfo', 'User', 'Chat', 'ChatFullInfo', 'Message', 'MessageId',
    'InaccessibleMessage', 'MessageEntity', 'TextQuote', 'ExternalReplyInfo',
    'ReplyParameters', 'EphemeralMessageParameters', 'MessageOriginUser',
    'MessageOriginHiddenUser', 'MessageOriginChat', 'MessageOriginChannel', 'PhotoSize',
    'Animation', 'Audio', 'Document', 'LivePhoto', 'Story', 'VideoQuality', 'Video',
    'VideoNote', 'Voice', 'PaidMediaInfo', 'PaidMediaLivePhoto', 'PaidMediaPhoto',
    'PaidMediaPreview', 'PaidMediaVideo', 'Contact', 'Dice', 'Link', 'PollMedia',
    'PollOption', 'InputPollOption', 'PollAnswer', 'Poll', 'ChecklistTask', 'Checklist',
    'InputChecklistTask', 'InputChecklist', 'Location', 'Venue', 'WebAppData',
    'ProximityAlertTriggered', 'MessageAutoDeleteTimerChanged', 'ManagedBotCreated',
    'ManagedBotUpdated', 'BotSubscriptionUpdated', 'MessageGenerationStopped',
    'PollOptionAdded', 'PollOptionDeleted', 'ChatBoostAdded', 'BackgroundFillSolid',
    'BackgroundFillGradient', 'BackgroundFillFreeformGradient', 'BackgroundTypeFill',
    'BackgroundTypeWallpaper', 'BackgroundTypePattern', 'BackgroundTypeChatTheme',
    'ChatBackground', 'ChecklistTasksDone', 'ChecklistTasksAdded', 'CommunityChatAdded',
    'CommunityChatRemoved', 'CommunityChatJoined', 'ForumTopicCreated',
    'ForumTopicClosed', 'ForumTopicEdited', 'ForumTopicReopened',
    'GeneralForumTopicHidden', 'GeneralForumTopicUnhidden', 'SharedUser', 'UsersShared',
    'ChatShared', 'WriteAccessAllowed', 'VideoChatScheduled', 'VideoChatStarted',
    'VideoChatEnded', 'VideoChatParticipantsInvited', 'PaidMessagePriceChanged',
    'DirectMessagePriceChanged', 'SuggestedPostApproved', 'SuggestedPostApprovalFailed',
    'SuggestedPostDeclined', 'SuggestedPostPaid', 'SuggestedPostRefunded',
    'GiveawayCreated', 'Giveaway', 'GiveawayWinners', 'GiveawayCompleted',
    'LinkPreviewOptions', 'SuggestedPostPrice', 'SuggestedPostInfo',
    'SuggestedPostParameters', 'DirectMessagesTopic', 'UserProfilePhotos',
    'UserProfileAudios', 'File', 'WebAppInfo', 'ReplyKeyboardMarkup', 'KeyboardButton',
    'KeyboardButtonRequestUsers', 'KeyboardButtonRequestChat',
    'KeyboardButtonRequestManagedBot', 'KeyboardButtonPollType', 'ReplyKeyboardRemove',
    'InlineKeyboardMarkup', 'InlineKeyboardButton', 'LoginUrl',
    'SwitchInlineQueryChosenChat', 'CopyTextButton', 'DisabledButton', 'CallbackQuery',
    'ForceReply', 'Community', 'ChatPhoto', 'ChatInviteLink', 'ChatAdministratorRights',
    'ChatMemberUpdated', 'ChatMemberOwner', 'ChatMemberAdministrator', 'ChatMemberMember',
    'ChatMemberRestricted', 'ChatMemberLeft', 'ChatMemberBanned', 'ChatJoinRequest',
    'ChatPermissions', 'Birthdate', 'BusinessIntro', 'BusinessLocation',
    'BusinessOpeningHoursInterval', 'BusinessOpeningHours', 'UserRating',
    'StoryAreaPosition', 'LocationAddress', 'StoryAreaTypeLocation',
    'StoryAreaTypeSuggestedReaction', 'StoryAreaTypeLink', 'StoryAreaTypeWeather',
    'StoryAreaTypeUniqueGift', 'StoryArea', 'ChatLocation', 'ReactionTypeEmoji',
    'ReactionTypeCustomEmoji', 'ReactionTypePaid', 'ReactionCount',
    'MessageReactionUpdated', 'MessageReactionCountUpdated', 'ForumTopic',
    'GiftBackground', 'Gift', 'Gifts', 'UniqueGiftModel', 'UniqueGiftSymbol',
    'UniqueGiftBackdropColors', 'UniqueGiftBackdrop', 'UniqueGiftColors', 'UniqueGift',
    'GiftInfo', 'UniqueGiftInfo', 'OwnedGiftRegular', 'OwnedGiftUnique', 'OwnedGifts',
    'BotAccessSettings', 'AcceptedGiftTypes', 'StarAmount', 'BotCommand',
    'BotCommandScopeDefault', 'BotCommandScopeAllPrivateChats',
    'BotCommandScopeAllGroupChats', 'BotCommandScopeAllChatAdministrators',
    'BotCommandScopeChat', 'BotCommandScopeChatAdministrators',
    'BotCommandScopeChatMember', 'BotName', 'BotDescription', 'BotShortDescription',
    'MenuButtonCommands', 'MenuButtonWebApp', 'MenuButtonDefault',
    'ChatBoostSourcePremium', 'ChatBoostSourceGiftCode', 'ChatBoostSourceGiveaway',
    'ChatBoost', 'ChatBoostUpdated', 'ChatBoostRemoved', 'ChatOwnerLeft',
    'ChatOwnerChanged', 'UserChatBoosts', 'BusinessBotRights', 'BusinessConnection',
    'BusinessMessagesDeleted', 'SentWebAppMessage', 'SentGuestMessage',
    'PreparedInlineMessage', 'PreparedKeyboardButton', 'ResponseParameters',
    'InputMediaAnimation', 'InputMediaAudio', 'InputMediaDocument', 'InputMediaLink',
    'InputMediaLivePhoto', 'InputMediaLocation', 'InputMediaPhoto', 'InputMediaSticker',
    'InputMediaVenue', 'InputMediaVideo', 'InputMediaVoiceNote', 'InputFile',
    'InputPaidMediaLivePhoto', 'InputPaidMediaPhoto', 'InputPaidMediaVideo',
    'InputProfilePhotoStatic', 'InputProfilePhotoAnimated', 'InputStoryContentPhoto',
    'InputStoryContentVideo', 'Sticker', 'StickerSet', 'MaskPosition', 'InputSticker',
    'RichMessage', 'InputRichMessage', 'InputRichMessageMedia', 'RichTextBold',
    'RichTextItalic', 'RichTextUnderline', 'RichTextStrikethrough', 'RichTextSpoiler',
    'RichTextDateTime', 'RichTextTextMention', 'RichTextSubscript', 'RichTextSuperscript',
    'RichTextMarked', 'RichTextCode', 'RichTextCustomEmoji',
    'RichTextMathematicalExpression', 'RichTextUrl', 'RichTextEmailAddress',
    'RichTextPhoneNumber', 'RichTextBankCardNumber', 'RichTextMention', 'RichTextHashtag',
    'RichTextCashtag', 'RichTextBotCommand', 'RichTextButton', 'RichTextAnchor',
    'RichTextAnchorLink', 'RichTextReference', 'RichTextReferenceLink',
    'RichBlockCaption', 'RichBlockTableCell', 'RichMessageButton', 'RichBlockListItem',
    'RichBlockParagraph', 'RichBlockSectionHeading', 'RichBlockPreformatted',
    'RichBlockFooter', 'RichBlockDivider', 'RichBlockMathematicalExpression',
    'RichBlockAnchor', 'RichBlockList', 'RichBlockBlockQuotation',
    'RichBlockExpandableBlockQuotation', 'RichBlockPullQuotation', 'RichBlockCollage',
    'RichBlockSlideshow', 'RichBlockTable', 'RichBlockDetails', 'RichBlockMap',
    'RichBlockButtons', 'RichBlockAnimation', 'RichBlockAudio', 'RichBlockDocument',
    'RichBlockPhoto', 'RichBlockVideo', 'RichBlockVoiceNote', 'RichBlockThinking',
    'InputRichBlockListItem', 'InputRichBlockParagraph', 'InputRichBlockSectionHeading',
    'InputRichBlockPreformatted', 'InputRichBlockFooter', 'InputRichBlockDivider',
    'InputRichBlockMathematicalExpression', 'InputRichBlockAnchor', 'InputRichBlockList',
    'InputRichBlockBlockQuotation', 'InputRichBlockExpandableBlockQuotation',
    'InputRichBlockPullQuotation', 'InputRichBlockCollage', 'InputRichBlockSlideshow',
    'InputRichBlockTable', 'InputRichBlockDetails', 'InputRichBlockMap',
    'InputRichBlockButtons', 'InputRichBlockAnimation', 'InputRichBlockAudio',
    'InputRichBlockDocument', 'InputRichBlockPhoto', 'InputRichBlockVideo',
    'InputRichBlockVoiceNote', 'InputRichBlockThinking', 'InlineQuery',
    'InlineQueryResultsButton', 'InlineQueryResultArticle', 'InlineQueryResultPhoto',
    'InlineQueryResultGif', 'InlineQueryResultMpeg4Gif', 'InlineQueryResultVideo',
    'InlineQueryResultAudio', 'InlineQueryResultVoice', 'InlineQueryResultDocument',
    'InlineQueryResultLocation', 'InlineQueryResultVenue', 'InlineQueryResultContact',
    'InlineQueryResultGame', 'InlineQueryResultCachedPhoto', 'InlineQueryResultCachedGif',
    'InlineQueryResultCachedMpeg4Gif', 'InlineQueryResultCachedSticker',
    'InlineQueryResultCachedDocument', 'InlineQueryResultCachedVideo',
    'InlineQueryResultCachedVoice', 'InlineQueryResultCachedAudio',
    'InputTextMessageContent', 'InputRichMessageContent', 'InputLocationMessageContent',
    'InputVenueMessageContent', 'InputContactMessageContent',
    'InputInvoiceMessageContent', 'ChosenInlineResult', 'LabeledPrice', 'Invoice',
    'ShippingAddress', 'OrderInfo', 'ShippingOption', 'SuccessfulPayment',
    'RefundedPayment', 'ShippingQuery', 'PreCheckoutQuery', 'PaidMediaPurchased',
    'RevenueWithdrawalStatePending', 'RevenueWithdrawalStateSucceeded',
    'RevenueWithdrawalStateFailed', 'AffiliateInfo', 'TransactionPartnerUser',
    'TransactionPartnerChat', 'TransactionPartnerAffiliateProgram',
    'TransactionPartnerFragment', 'TransactionPartnerTelegramAds',
    'TransactionPartnerTelegramApi', 'TransactionPartnerOther', 'StarTransaction',
    'StarTransactions', 'PassportData', 'PassportFile', 'EncryptedPassportElement',
    'EncryptedCredentials', 'PassportElementErrorDataField',
    'PassportElementErrorFrontSide', 'PassportElementErrorReverseSide',
    'PassportElementErrorSelfie', 'PassportElementErrorFile', 'PassportElementErrorFiles',
    'PassportElementErrorTranslationFile', 'PassportElementErrorTranslationFiles',
    'PassportElementErrorUnspecified', 'Game', 'CallbackGame', 'GameHighScore', 'Widget',
    'WidgetQueryType', 'WidgetQuery', 'SharedWidgetQuery', 'ChatShareThemeBackdrops',
    'BotFullInfo', 'MaybeInaccessibleMessage', 'MessageOrigin', 'PaidMedia',
    'InputPollMedia', 'InputPollOptionMedia', 'BackgroundFill', 'BackgroundType',
    'ChatMember', 'StoryAreaType', 'ReactionType', 'OwnedGift', 'BotCommandScope',
    'MenuButton', 'ChatBoostSource', 'InputMedia', 'InputPaidMedia', 'InputProfilePhoto',
    'InputStoryContent', 'RichText', 'RichBlock', 'InputRichBlock', 'InlineQueryResult',
    'InputMessageContent', 'RevenueWithdrawalState', 'TransactionPartner',
    'PassportElementError',
]

"""telepot_ng.exception: telepot's names and attributes, subclass selection, pickling."""
import pickle

import pytest

from telepot_ng import exception as E


def _answer(description, code, **parameters):
    data = {'ok': False, 'error_code': code, 'description': description}
    if parameters:
        data['parameters'] = parameters
    return data


@pytest.mark.parametrize('description, code, parameters, expected', [
    ('Unauthorized', 401, {}, E.UnauthorizedError),
    ('Forbidden: bot was kicked from the group chat', 403, {}, E.BotWasKickedError),
    ('Forbidden: bot was blocked by the user', 403, {}, E.BotWasBlockedError),
    ('Too Many Requests: retry after 5', 429, {'retry_after': 5}, E.TooManyRequestsError),
    ('Bad Request: group chat was upgraded to a supergroup chat', 400,
     {'migrate_to_chat_id': -1001234}, E.MigratedToSupergroupChatError),
    ('Bad Request: not enough rights to send text messages to the chat', 400, {},
     E.NotEnoughRightsError),
    ('Conflict: terminated by other getUpdates request; make sure that only one bot instance '
     'is running', 409, {}, E.ConflictError),
    ("Conflict: can't use getUpdates method while webhook is active", 409, {}, E.ConflictError),
    ('Bad Request: chat not found', 400, {}, E.TelegramError),
    # by error code / parameters alone when the description says nothing useful
    ('', 401, {}, E.UnauthorizedError),
    ('whatever', 429, {'retry_after': 1}, E.TooManyRequestsError),
    ('whatever', 409, {}, E.ConflictError),
    ('whatever', 400, {'migrate_to_chat_id': -100}, E.MigratedToSupergroupChatError),
])
def test_from_json_picks_the_matching_subclass(description, code, parameters, expected):
    data = _answer(description, code, **parameters)
    error = E.TelegramError.from_json(data)
    assert type(error) is expected
    assert error.description == description
    assert error.error_code == code
    assert error.json is data
    assert error.args == (description, code, data)     # telepot's positional args


def test_telegram_error_parameters():
    error = E.TelegramError.from_json(_answer('Too Many Requests: retry after 7', 429,
                                              retry_after=7))
    assert error.parameters == {'retry_after': 7}
    assert error.retry_after == 7
    assert error.migrate_to_chat_id is None
    migrated = E.TelegramError.from_json(_answer('Bad Request: group chat was upgraded to a '
                                                 'supergroup chat', 400,
                                                 migrate_to_chat_id=-1009))
    assert migrated.migrate_to_chat_id == -1009
    plain = E.TelegramError('Bad Request: x', 400, None)
    assert plain.parameters == {} and plain.retry_after is None


def test_status_stands_in_for_missing_error_code():
    error = E.TelegramError.from_json({'ok': False, 'description': 'Unauthorized'}, 401)
    assert isinstance(error, E.UnauthorizedError) and error.error_code == 401


def test_str_is_readable():
    error = E.TelegramError.from_json(_answer('Bad Request: chat not found', 400))
    assert str(error) == 'Bad Request: chat not found (error_code 400)'


def test_user_defined_subclass_is_picked_up_before_its_parent():
    class ChatNotFound(E.TelegramError):
        DESCRIPTION_PATTERNS = ['chat not found']

    class BlockedByAFriend(E.BotWasBlockedError):
        DESCRIPTION_PATTERNS = ['blocked by a friend']

    try:
        assert type(E.TelegramError.from_json(_answer('Bad Request: chat not found', 400))) \
            is ChatNotFound
        assert type(E.TelegramError.from_json(
            _answer('Forbidden: bot was blocked by a friend', 403))) is BlockedByAFriend
        # the parent still matches what only it describes
        assert type(E.TelegramError.from_json(
            _answer('Forbidden: bot was blocked by the user', 403))) is E.BotWasBlockedError
    finally:
        del ChatNotFound, BlockedByAFriend
        import gc
        gc.collect()


def test_bad_http_response_truncates_text():
    error = E.BadHTTPResponse(502, '<html>' + 'x' * 5000, {'status': 502})
    assert error.status == 502
    assert len(error.text) <= E.TEXT_LIMIT + 3
    assert error.text.startswith('<html>xxx')
    assert error.response == {'status': 502}
    assert str(error).startswith('HTTP 502: <html>')
    assert E.BadHTTPResponse(502, 'short').text == 'short'


def test_network_error_keeps_cause_and_flags():
    cause = ConnectionResetError('reset')
    error = E.NetworkError('sendMessage: connection lost', maybe_sent=True, method='sendMessage',
                           cause=cause)
    assert error.maybe_sent is True and error.method == 'sendMessage'
    assert error.cause is cause and error.__cause__ is cause
    assert str(error) == 'sendMessage: connection lost'
    timeout = E.NetworkTimeout('getMe: read timed out', maybe_sent=True)
    assert isinstance(timeout, E.NetworkError)
    assert E.NetworkError('x').maybe_sent is False and E.NetworkError('x').cause is None


@pytest.mark.parametrize('error', [
    E.TelegramError('Bad Request: chat not found', 400, {'ok': False}),
    E.BotWasBlockedError('Forbidden: bot was blocked by the user', 403, {}),
    E.BadHTTPResponse(502, 'bad gateway', {'status': 502, 'headers': {}}),
    E.NetworkTimeout('getMe: read timed out', maybe_sent=True, method='getMe'),
    E.WaitTooLong(3),
    E.StopListening(1, 'done'),
    E.BadFlavor({'x': 1}),
    E.BadFlavor({'x': 1}, 'no flavor: a dict with keys [x]'),
    E.EventNotFound('event'),
])
def test_exceptions_pickle(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.args == error.args
    assert copy.__dict__ == error.__dict__


def test_hierarchy_and_simple_exceptions():
    for name in E.__all__:
        assert issubclass(getattr(E, name), E.TelepotException), name
    assert issubclass(E.IdleTerminate, E.WaitTooLong)
    assert E.WaitTooLong(5).seconds == 5
    assert E.IdleTerminate(9).seconds == 9
    stop = E.StopListening(code=4, reason='bye')
    assert (stop.code, stop.reason) == (4, 'bye')
    assert E.StopListening().code is None
    assert E.BadFlavor('m').offender == 'm'
    assert E.EventNotFound('ev').event == 'ev'


def test_bad_flavor_shows_its_reason_not_the_offender():
    offender = {'update_id': 1, 'text': 'private words ' * 50, 'extra': list(range(100))}
    error = E.BadFlavor(offender, 'not a message: a dict with keys [extra, text, update_id]')
    assert error.offender is offender and error.args[0] is offender
    assert error.reason == 'not a message: a dict with keys [extra, text, update_id]'
    assert str(error) == error.reason
    with pytest.raises(E.BadFlavor, match='^not a message'):
        raise error


def test_bad_flavor_without_reason_keeps_telepots_shape_and_a_short_text():
    offender = {'text': 'private words ' * 50, 'numbers': list(range(1000))}
    error = E.BadFlavor(offender)
    assert error.args == (offender,) and error.offender is offender and error.reason is None
    text = str(error)
    assert text.startswith('no known flavor: ') and len(text) < 200
    assert 'private words private words private words' not in text


def test_flavor_functions_raise_bad_flavor_with_a_short_reason():
    from telepot_ng import flavors
    offender = {'foo': 'private words ' * 50, 'bar': 2}
    with pytest.raises(E.BadFlavor) as info:
        flavors.flavor(offender)
    assert info.value.offender is offender
    assert info.value.reason and str(info.value) == info.value.reason
    assert 'private words' not in str(info.value) and 'bar, foo' in str(info.value)

"""What Bot API 10.3 and the 10.4/10.5 supplement change for users: getMe's shape, the new
update kinds through flavor/glance and the loops, and the new methods against the fake."""
from __future__ import annotations

import pytest

from telepot_ng import namedtuple as nt
from telepot_ng._compat import flatten_bot_info

USER_10_4 = {'id': 42, 'is_bot': True, 'first_name': 'B', 'username': 'b_bot',
             'can_join_groups': True, 'supports_inline_queries': False}
FLAT_10_5 = dict(USER_10_4, active_usernames=['b_bot'], has_topic_sidebar=True)
NESTED = {'user': {'id': 42, 'is_bot': True, 'first_name': 'B', 'username': 'b_bot'},
          'can_join_groups': True, 'supports_inline_queries': False,
          'active_usernames': ['b_bot']}


@pytest.mark.parametrize('answer', [USER_10_4, FLAT_10_5, NESTED], ids=['user', 'flat', 'nested'])
def test_getme_reads_the_same_whichever_shape_the_server_sends(rbot, recorder, answer):
    recorder.results['getMe'] = answer
    for me in (rbot.getMe(), rbot.get_me(), rbot.call('getMe')):
        assert (me['id'], me['username'], me['first_name']) == (42, 'b_bot', 'B')
        assert me['can_join_groups'] is True and me['supports_inline_queries'] is False
        # telepot-era code builds a User namedtuple from it: bot-only fields stay readable
        user = nt.User(**me)
        assert user.id == 42 and user.can_join_groups is True
        assert nt.BotFullInfo(**me).can_join_groups is True


def test_flatten_leaves_other_shapes_alone():
    assert flatten_bot_info(True) is True
    assert flatten_bot_info(FLAT_10_5) is FLAT_10_5
    odd = {'user': 'not a dict'}
    assert flatten_bot_info(odd) is odd
    flat = flatten_bot_info({'bot': {'id': 1, 'first_name': 'x'}, 'first_name': 'top'})
    assert flat['id'] == 1 and flat['first_name'] == 'top'

"""The README's first command, ``python -m telepot_ng.demo``: offline against the fake
Telegram, online (pointed at the fake through TELEPOT_NG_API_URL) until Ctrl-C, and --help."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from telepot_ng import demo
from telepot_ng.testing import FakeTelegram

from .test_examples import ctrl_c, program

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_demo(*args, env, timeout=60):
    return subprocess.run([sys.executable, '-m', 'telepot_ng.demo'] + list(args), cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout)


def offline_env():
    env = dict(os.environ)
    env.pop(demo.TOKEN_ENV, None)
    env.pop('TELEPOT_NG_API_URL', None)
    return env


@pytest.fixture(scope='module')
def offline_run():
    return run_demo(env=offline_env())


def test_offline_demo_holds_three_conversations_and_exits_0(offline_run):
    out = offline_run.stdout
    assert offline_run.returncode == 0, offline_run.stderr + out
    lines = out.splitlines()
    # who said what, what the bot answered, which handler answered
    assert 'Alice             : hi' in lines
    assert 'Carol @ Friends   : hi all' in lines
    replies = [line for line in lines if line.startswith('  bot -> ')]
    assert all(re.search(r'\[ChatBot\[(-?\d+)\]( #\d+)?\]$', line) for line in replies), replies
    # the group's two greetings are counted in order, by the group's own handler
    group = [line for line in replies if line.startswith('  bot -> Friends')]
    assert 'bot -> Friends  : 1 message in this chat' in group[0]
    assert 'bot -> Friends  : 2 messages in this chat' in group[1]
    assert group[0].split('[')[1] == group[1].split('[')[1]
    # three games, each won; every chat's handler times out; then new handlers count from 1
    assert len([line for line in replies if ' got it: ' in line]) == 3
    assert len([line for line in replies if 'Quiet for 1.5 s' in line]) == 3
    assert replies[-2].startswith('  bot -> Alice    : 1 message in this chat')
    assert replies[-2].endswith('#2]') and replies[-1].endswith('#2]')
    # a one-line summary at the end
    assert re.match(r'Summary: 3 users, 3 chats, 23 messages to the bot, 26 replies from 5 '
                    r'handlers, 3 games won, [\d.]+ s\.$', lines[-1]), lines[-1]
    assert offline_run.stderr == ''


def test_offline_demo_repeats_itself(offline_run, capsys, monkeypatch):
    """Seeded: a second run (in this process) prints the same conversation."""
    monkeypatch.delenv(demo.TOKEN_ENV, raising=False)
    assert demo.main([]) == 0
    again = capsys.readouterr().out.splitlines()
    first = offline_run.stdout.splitlines()

    def conversation(lines):
        return lines[2:-1]          # without the header (it names the port) and the summary
    assert conversation(again) == conversation(first)


def test_help_explains_both_modes():
    result = run_demo('--help', env=offline_env(), timeout=30)
    assert result.returncode == 0
    text = ' '.join(result.stdout.split())
    assert demo.TOKEN_ENV in text
    assert 'fake Telegram' in text and 'Ctrl-C' in text and 'offline' in text


def test_with_a_token_it_serves_until_ctrl_c_and_stops_cleanly():
    """Online mode, with the fake standing in for api.telegram.org."""
    with FakeTelegram() as tg:
        env = offline_env()
        env.update({demo.TOKEN_ENV: tg.token, 'TELEPOT_NG_API_URL': tg.base_url})
        with program([sys.executable, '-m', 'telepot_ng.demo'], env) as proc:
            banner = proc.stdout.readline()
            assert banner.startswith('Running as @'), banner + proc.stderr.read()
            assert tg.wait_polling(timeout=10)
            alice = tg.user('Alice')
            alice.says('hi')
            assert alice.reply(timeout=10).text == '1 message in this chat'
            alice.says('/guess')
            assert alice.reply(timeout=10).text.startswith('I picked a number')
            handled = tg.updates()[-1]['update']['update_id']
            out, err = ctrl_c(proc)
        assert proc.returncode == 0, err
        assert out.strip() == 'Stopped cleanly.'
        assert 'Traceback' not in err
        # the clean stop confirmed the last handled update (getUpdates with timeout 0)
        assert any(c.params.get('offset') == handled + 1 and c.params.get('timeout') == 0
                   for c in tg.requests('getUpdates'))


def test_a_bad_token_is_reported_without_a_traceback_or_the_token():
    with FakeTelegram() as tg:
        for token in ('not-a-token', '42:Rejected-By-The-Server'):
            env = offline_env()
            env.update({demo.TOKEN_ENV: token, 'TELEPOT_NG_API_URL': tg.base_url})
            result = run_demo(env=env, timeout=30)
            assert result.returncode == 1
            assert result.stderr.startswith('Cannot start with the token in TELEGRAM_BOT_TOKEN')
            assert 'Traceback' not in result.stderr
            assert 'Rejected-By-The-Server' not in result.stderr + result.stdout

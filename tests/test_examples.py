"""Every program in examples/ runs, in its --demo mode and in its live mode.

--demo: the example drives simulated users against the fake Telegram, asserts what the bot
answers and prints the fake's transcript; here we check that it exited 0 and that the
transcript shows the bot's key answers.  Live mode: the example runs as with a real token,
the fake standing in for Telegram (TELEPOT_NG_API_URL), answers a message, and stops
quietly on Ctrl-C.  A new example without entries below fails
test_every_example_is_covered.  README's complete bot is run the same way.
"""
from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import signal
import socket
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, 'examples')

# example -> lines its transcript must contain (what the bot sent)
EXPECTED = {
    'skeleton.py': [
        'bot -> Alice: That was a text message in a private chat.',
        'bot -> Alice: That was a photo message in a private chat.',
        'bot -> Friends: That was a location message in a group chat.',
    ],
    'counter.py': ['bot -> Alice: 3', 'bot -> Bob: 3', 'Alice: still there?'],
    'guess.py': ['bot -> Bob: Numbers only, please.', 'bot -> Bob: No answer for 1 s: game over.'],
    'chatbox.py': ['bot -> Olga: Alice left a message (3 unread). /read',
                   'bot -> Olga: Bob: Call me back', 'bot -> Olga: No new messages.'],
    'inline.py': ["Alice asks inline: 'hello inline world'",
                  'bot answers inline query with 3 result(s)'],
    'quiz.py': ['bot answers callback: No, it is Jupiter.',
                'bot edits #2 in Alice: 7 x 8 = ?  You said 56.', 'bot -> Alice: Score: 2 of 3.'],
    'webhook_wsgiref.py': ['bot -> Alice: Echo: hello over a webhook'],
    'webhook_flask.py': ['bot -> Alice: Flask got your photo.'],
    'webhook_waitress.py': ['bot -> Alice: Message #2 (text), served by waitress'],
    'filebot.py': ['bot -> Alice: [document UPPER-list.txt] The same, upper-cased.',
                   'bot -> Alice: [photo] Sent back by file_id.'],
    'message_loop.py': ['bot -> Alice: Reminder: tea is ready'],
    'widgets.py': ['bot -> Alice: [widget] Press +1', 'bot answers widget query: 3',
                   "bot sets widget data of #2 in Alice: public_data='3'",
                   'bot -> Alice (ephemeral for Alice): Your code is 4217.',
                   'bot deletes ephemeral #2 in Alice'],
}
NEEDS = {'webhook_flask.py': 'flask', 'webhook_waitress.py': 'waitress'}      # example -> optional module it needs


def runnable(name):
    module = NEEDS.get(name)
    return module is None or importlib.util.find_spec(module) is not None


@pytest.fixture(scope='module')
def demos():
    """Start every runnable example's demo at once (they wait mostly on each other's I/O);
    each test then collects its own."""
    env = dict(os.environ)
    for name in ('TELEGRAM_BOT_TOKEN', 'TELEPOT_NG_API_URL'):
        env.pop(name, None)
    procs = {name: subprocess.Popen([sys.executable, os.path.join(EXAMPLES, name), '--demo'],
                                    cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
             for name in EXPECTED if runnable(name)}
    yield procs
    for proc in procs.values():
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_every_example_is_covered():
    found = {os.path.basename(p) for p in glob.glob(os.path.join(EXAMPLES, '*.py'))
             if not os.path.basename(p).startswith('_')}
    assert found == set(EXPECTED)


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_example_demo(name, demos):
    if not runnable(name):
        pytest.skip('%s needs %s, which is not installed (pip install .[%s])'
                    % (name, NEEDS[name], NEEDS[name]))
    proc = demos[name]
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail('%s --demo did not finish:\n%s\n%s' % (name, out, err))
    assert proc.returncode == 0, '%s --demo failed:\n%s\n%s' % (name, out, err)
    lines = out.splitlines()
    for line in EXPECTED[name]:
        assert line in lines, '%s: %r not in the transcript:\n%s' % (name, line, out)
    assert 'Traceback' not in err, err


# example -> how its live mode answers a first 'hi'
FIRST_ANSWER = {
    'skeleton.py': 'That was a text message', 'counter.py': '1',
    'guess.py': 'I am thinking of a number', 'chatbox.py': 'Hi Alice!',
    'inline.py': 'Type @', 'quiz.py': 'Send /quiz', 'webhook_wsgiref.py': 'Echo: hi',
    'webhook_flask.py': 'Flask got your text',
    'webhook_waitress.py': 'Message #1 (text), served by waitress', 'filebot.py': 'Send me a document',
    'message_loop.py': 'Usage: /remind', 'widgets.py': 'Send /counter or /secret',
}


@contextlib.contextmanager
def program(args, env):
    """Run a program in ROOT; on the way out make sure it has ended (killed if need be)."""
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def ctrl_c(proc):
    """Press Ctrl-C; return (stdout, stderr) once the program has exited."""
    proc.send_signal(signal.SIGINT)
    return proc.communicate(timeout=30)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_example_serves_a_telegram_until_ctrl_c(name, tmp_path):
    """The live mode (what runs with a real token), with the fake standing in for Telegram
    through TELEPOT_NG_API_URL: it answers, then Ctrl-C ends it quietly."""
    from telepot_ng.testing import FakeTelegram

    if not runnable(name):
        pytest.skip('needs %s' % NEEDS[name])
    assert set(FIRST_ANSWER) == set(EXPECTED)
    webhook = name.startswith('webhook_')
    with FakeTelegram() as tg:
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=tg.token, TELEPOT_NG_API_URL=tg.base_url,
                   CHATBOX_OWNER_ID='1', FILEBOT_FOLDER=str(tmp_path))
        if webhook:
            port = free_port()
            env.update(PORT=str(port), WEBHOOK_URL='http://127.0.0.1:%d/hook' % port)
        with program([sys.executable, os.path.join(EXAMPLES, name)], env) as proc:
            if webhook:
                tg.wait_for_sent('setWebhook', timeout=30)
            else:
                assert tg.wait_polling(timeout=30)
            alice = tg.user('Alice')
            alice.says('hi')
            assert alice.reply(timeout=10).text.startswith(FIRST_ANSWER[name])
            out, err = ctrl_c(proc)
        assert proc.returncode == 0, err
        assert 'Traceback' not in err, err
        if webhook:
            assert tg.requests('deleteWebhook'), 'the webhook was not removed at the end'


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_example_without_a_token_says_what_to_do(name):
    if not runnable(name):
        pytest.skip('needs %s' % NEEDS[name])
    env = dict(os.environ)
    env.pop('TELEGRAM_BOT_TOKEN', None)
    result = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert 'TELEGRAM_BOT_TOKEN' in result.stderr and '--demo' in result.stderr
    assert 'Traceback' not in result.stderr


def test_the_bot_in_the_readme_runs():
    """README's 'A complete bot', run as it stands, with the fake standing in for Telegram."""
    import re

    from telepot_ng.testing import FakeTelegram

    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
        code = re.search(r'## A complete bot\n\n```python\n(.*?)```', f.read(), re.S).group(1)
    assert len([line for line in code.splitlines() if line.strip()]) <= 15
    with FakeTelegram() as tg:
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=tg.token, TELEPOT_NG_API_URL=tg.base_url)
        with program([sys.executable, '-c', code], env) as proc:
            assert tg.wait_polling(timeout=30), proc.stderr.read() if proc.poll() else ''
            alice, bob = tg.user('Alice'), tg.user('Bob')
            for n in (1, 2):
                alice.says('hello')
                assert alice.reply(timeout=10).text == 'Messages in this chat so far: %d' % n
            bob.says('hi')
            assert bob.reply(timeout=10).text == 'Messages in this chat so far: 1'
            ctrl_c(proc)                     # a clean stop, then KeyboardInterrupt ends it


def test_the_readme_command_runs_the_readme_bot_offline(tmp_path):
    """README: save the complete bot as bot.py, then one command chats with it offline."""
    import re
    import shlex

    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    code = re.search(r'## A complete bot\n\n```python\n(.*?)```', readme, re.S).group(1)
    command = re.search(r'```sh\n(\.venv/bin/python -m telepot_ng\.testing\.run bot\.py)\n```',
                        readme).group(1)
    (tmp_path / 'bot.py').write_text(code, encoding='utf-8')
    argv = [sys.executable] + shlex.split(command)[1:]
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('TELEGRAM_BOT_TOKEN', None)
    env.pop('TELEPOT_NG_API_URL', None)
    out = subprocess.run(argv, input='hello\nhello again\n', cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1:] == ['bot> Messages in this chat so far: 1',
                                           'bot> Messages in this chat so far: 2']
    scripted = subprocess.run(argv[:3] + ['--say', 'hi', 'bot.py'], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=90)
    assert scripted.returncode == 0, scripted.stderr
    assert scripted.stdout.splitlines() == ['You: hi',
                                            'bot -> You: Messages in this chat so far: 1']

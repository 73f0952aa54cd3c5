"""The libraries under test and their virtual environments (created once, cached in
``benchmarks/.venvs``, re-created when the pins, the Python version or telepot_ng's source
change)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from typing import Dict, List, NamedTuple, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENVS = os.path.join(HERE, '.venvs')
BOTS = os.path.join(HERE, 'bots')


class Peer(NamedTuple):
    name: str           # as given to --peers
    label: str          # as printed in the tables
    env: str            # virtual environment name (peers may share one)
    requirements: tuple  # pip arguments
    bot: str            # bots/<file>
    variant: str = ''   # passed to the bot as --variant
    note: str = ''


PEERS: Dict[str, Peer] = {p.name: p for p in [
    Peer('telepot_ng', 'telepot_ng (this repo)', 'telepot_ng', (ROOT,), 'telepot_ng_bot.py',
         note='DelegatorBot + ChatHandler per chat, MessageLoop'),
    Peer('telepot_ng_aio', 'telepot_ng.aio (this repo)', 'telepot_ng_aio', (ROOT + '[aio]',),
         'telepot_ng_aio_bot.py',
         note='aio DelegatorBot + ChatHandler per chat (async def on_chat_message), '
              'await MessageLoop(bot).run_forever(); aiohttp'),
    Peer('telepot', 'telepot 12.7', 'telepot', ('telepot==12.7',), 'telepot_bot.py',
         note='DelegatorBot + ChatHandler per chat, MessageLoop (relax=0.1 s after each '
              'getUpdates); collections.Hashable restored, telepot.api._methodurl pointed '
              'at the local server'),
    Peer('telebot', 'pyTelegramBotAPI 4.37.1', 'telebot', ('pyTelegramBotAPI==4.37.1',),
         'telebot_bot.py',
         note='TeleBot (threaded, 2 workers) + message_handler, infinity_polling; '
              'apihelper.API_URL; counter in a dict'),
    Peer('ptb', 'python-telegram-bot 22.8', 'ptb', ('python-telegram-bot==22.8',), 'ptb_bot.py',
         note='Application + MessageHandler, run_polling; counter in context.chat_data'),
    Peer('aiogram', 'aiogram 3.31.0', 'aiogram', ('aiogram==3.31.0',), 'aiogram_bot.py',
         note='Dispatcher + @dp.message(), start_polling (default: each update a task); '
              'counter in FSMContext data'),
    Peer('aiogram-seq', 'aiogram 3.31.0 (handle_as_tasks=False)', 'aiogram',
         ('aiogram==3.31.0',), 'aiogram_bot.py', variant='seq',
         note='as aiogram, but start_polling(handle_as_tasks=False): one update at a time'),
]}

DEFAULT_PEERS = ['telepot_ng', 'telepot_ng_aio', 'telepot', 'telebot', 'ptb', 'aiogram',
                 'aiogram-seq']


def source_hash() -> str:
    """A digest of telepot_ng's installable source, so its venv follows the working tree."""
    h = hashlib.sha1()
    names = [os.path.join(ROOT, 'setup.cfg'), os.path.join(ROOT, 'setup.py')]
    for base, dirs, files in os.walk(os.path.join(ROOT, 'telepot_ng')):
        dirs[:] = sorted(d for d in dirs if d != '__pycache__')
        names.extend(os.path.join(base, f) for f in sorted(files) if not f.endswith('.pyc'))
    for name in names:
        h.update(os.path.relpath(name, ROOT).encode() + b'\0')
        with open(name, 'rb') as f:
            h.update(f.read())
    return h.hexdigest()


def python_tag(python: str) -> str:
    out = subprocess.run([python, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def venv_python(venv: str) -> str:
    return os.path.join(venv, 'bin', 'python')


def _pip(venv: str, args: List[str], log: 'Optional[object]') -> None:
    cmd = [venv_python(venv), '-m', 'pip', 'install', '--disable-pip-version-check', '-q'] + args
    if log is not None:
        print('  $ ' + ' '.join(cmd), file=log, flush=True)   # type: ignore[call-overload]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        sys.stderr.write(res.stdout + res.stderr)
        raise SystemExit('pip failed: %s' % ' '.join(args))


def ensure(env: str, requirements: tuple, python: str, log: 'Optional[object]' = sys.stderr,
           editable: bool = False) -> str:
    """The interpreter of virtual environment ``env`` (created or refreshed as needed)."""
    tag = python_tag(python)
    venv = os.path.join(VENVS, '%s-py%s' % (env, tag))
    marker = os.path.join(venv, '.bench-installed.json')
    local = any(os.path.isdir(r.split('[')[0]) for r in requirements)
    want = {'requirements': list(requirements), 'python': tag,
            'source': source_hash() if local and not editable else None}
    try:
        with open(marker) as f:
            have = json.load(f)
    except (OSError, ValueError):
        have = None
    if have == want and os.path.exists(venv_python(venv)):
        return venv_python(venv)
    print('setting up %s (python %s): pip install %s' % (os.path.relpath(venv, ROOT), tag,
                                                        ' '.join(requirements)),
          file=log, flush=True)
    fresh = have is None or have.get('requirements') != want['requirements'] \
        or have.get('python') != tag or not os.path.exists(venv_python(venv))
    if fresh:
        subprocess.run([python, '-m', 'venv', '--clear', venv], check=True)
        args = (['-e'] if editable else []) + list(requirements)
        _pip(venv, args, None)
    else:                       # only telepot_ng's source changed: reinstall it alone
        _pip(venv, ['--no-deps', '--force-reinstall'] + list(requirements), None)
    with open(marker, 'w') as f:
        json.dump(want, f)
    return venv_python(venv)


def peer_python(peer: Peer, python: str) -> str:
    return ensure(peer.env, peer.requirements, python)


def driver_python(python: str) -> str:
    """The benchmark's own environment: telepot_ng editable plus the ``bench`` extra
    (matplotlib), so the fake server and the chart need nothing from the system."""
    return ensure('driver', (ROOT + '[bench]',), python, editable=True)

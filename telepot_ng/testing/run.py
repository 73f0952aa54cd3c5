"""Run a bot program offline: a FakeTelegram stands in for Telegram, you are a simulated user.

    python -m telepot_ng.testing.run bot.py                     # type messages, see replies
    python -m telepot_ng.testing.run --say hello --say hi bot.py    # scripted, then exit
    python -m telepot_ng.testing.run alarm.py {token}           # a telepot example (token in argv)

The program runs unchanged in a child process with ``TELEGRAM_BOT_TOKEN`` and
``TELEPOT_NG_API_URL`` set (``Bot`` reads the latter), and ``{token}`` in its arguments
replaced by the token.  With ``--say``, each message waits for the bot's first reply (up to
``--wait`` seconds) before the next, and the conversation is printed.  At the end the
program gets SIGTERM.
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
from typing import List, Optional, Sequence

from .fake import FakeTelegram, child_env

__all__ = ['main']


def _stop(proc: 'subprocess.Popen[bytes]', timeout: float = 10.0) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    return proc.returncode


def _scripted(tg: FakeTelegram, says: List[str], wait: float) -> None:
    you = tg.user('You')
    for text in says:
        you.says(text)
        try:
            you.replies(1, timeout=wait)
        except TimeoutError:
            pass                        # no reply: the transcript shows it
    print(tg.transcript(), flush=True)


def _interactive(tg: FakeTelegram, wait: float) -> None:
    you = tg.user('You')
    done = threading.Event()

    def show() -> None:
        seen = 0
        while True:
            try:
                calls = tg.wait_for_sent(None, chat_id=you, count=seen + 1, timeout=0.5)
            except TimeoutError:
                if done.is_set():
                    return
                continue
            except (RuntimeError, OSError):
                return                  # the fake is closing
            for c in calls[seen:]:
                print('bot> %s' % (c.text if c.text is not None else c.method), flush=True)
            seen = len(calls)

    printer = threading.Thread(target=show, name='telepot_ng.testing.run:replies', daemon=True)
    printer.start()
    print('You are chatting with the bot (a fake Telegram on %s). Type a message and press '
          'Enter; Ctrl-D ends.' % tg.base_url, flush=True)
    said = 0
    try:
        for line in sys.stdin:
            if line.strip():
                you.says(line.rstrip('\n'))
                said += 1
        if said:            # end of input (a pipe): give every message a chance of a reply
            tg.wait_for_sent(None, chat_id=you, count=said, timeout=wait)
    except (KeyboardInterrupt, TimeoutError):
        pass
    done.set()
    printer.join(wait + 1)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog='python -m telepot_ng.testing.run',
        description='Run a bot program against a fake Telegram on this machine.')
    parser.add_argument('--say', action='append', default=[], metavar='TEXT',
                        help='a message to send (repeatable); without it, read them from stdin')
    parser.add_argument('--wait', type=float, default=5.0,
                        help='seconds to wait for a reply (default 5)')
    parser.add_argument('program', help='the bot program (a .py file)')
    parser.add_argument('args', nargs=argparse.REMAINDER,
                        help="the program's arguments; {token} becomes the token")
    ns = parser.parse_args(argv)
    with FakeTelegram() as tg:
        args = [a.replace('{token}', tg.token) for a in ns.args]
        proc = subprocess.Popen([sys.executable, ns.program] + args, env=child_env(
            TELEGRAM_BOT_TOKEN=tg.token, TELEPOT_NG_API_URL=tg.base_url))
        try:
            if not tg.wait_polling(timeout=30):
                print('the program did not start polling for updates within 30 s',
                      file=sys.stderr)
                return 1
            if ns.say:
                _scripted(tg, ns.say, ns.wait)
            else:
                _interactive(tg, ns.wait)
        finally:
            _stop(proc)
    return 0


if __name__ == '__main__':
    sys.exit(main())

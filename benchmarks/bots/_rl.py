"""What the rate-limit benchmark clients share (standard library only: every peer's virtual
environment imports it): options, the plan, the READY/GO handshake, the RESULT line.

A client is started as ``python bots/rl_<peer>.py --api URL --token T --plan plan.json
--scale S [--busy]``. It builds its bot (with ``--busy``, one that answers every text message
``m`` with ``"r m"``), prints ``READY``, waits for ``GO``, sends every ``(chat_id, text)`` of
the plan the way its library documents for mass sending, prints ``RESULT {json}`` and (with
``--busy``) goes on answering until the driver ends it.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time


def options():
    ap = argparse.ArgumentParser()
    ap.add_argument('--api', required=True)
    ap.add_argument('--token', required=True)
    ap.add_argument('--plan', required=True, help='JSON list of [chat_id, text]')
    ap.add_argument('--scale', type=float, default=1.0,
                    help='Telegram\'s rates multiplied by this (the fake enforces the same)')
    ap.add_argument('--busy', action='store_true', help='also answer users while sending')
    opts = ap.parse_args()
    with open(opts.plan) as f:
        opts.items = [tuple(x) for x in json.load(f)]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format='%(asctime)s %(name)s %(levelname)s %(message)s')
    return opts


def ready_then_wait_go():
    print('READY', flush=True)
    if sys.stdin.readline().strip() != 'GO':
        sys.exit(0)


def result(started, **extra):
    extra['elapsed'] = time.monotonic() - started
    print('RESULT ' + json.dumps(extra), flush=True)


def reply_text(text):
    return 'r ' + text

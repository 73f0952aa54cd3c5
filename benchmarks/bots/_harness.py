"""What every benchmark bot shares: its command line, the READY/GO handshake with the driver,
the shape of the messages and answers, and the dispatch-only workload with its order check.

Standard library only: every peer's virtual environment imports it.

A bot process is started by ``benchmarks/run.py`` as ``python bots/<peer>.py --mode serve|dispatch
--api http://127.0.0.1:PORT --token TOKEN ...``:

* ``serve``: builds its bot, prints ``READY``, waits for ``GO`` on stdin, then long-polls the
  fake Telegram server and answers every text message with ``sendMessage(chat_id,
  "<per-chat counter> <text>")`` until it is terminated. The driver measures it from outside.
* ``dispatch``: hands synthetic, already-received updates to the library's in-process entry
  point and prints one ``RESULT {json}`` line (updates/s, CPU seconds, peak RSS, order check).
"""
from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import resource
import sys
import threading
import time
from typing import Any, Callable, Dict, List

TOKEN = '123456789:AAFakeTokenForTelepotNgTestsOnly0000'
DATE = 1700000000


def options(argv: 'List[str] | None' = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    ap.add_argument('--mode', choices=('serve', 'dispatch'), required=True)
    ap.add_argument('--api', required=True, help='fake server root, http://127.0.0.1:PORT')
    ap.add_argument('--token', default=TOKEN)
    ap.add_argument('--answer-every', type=int, default=1,
                    help='serve: answer only a chat\'s every k-th message (its k-th, 2k-th, ...): '
                         'polling and dispatch with few requests (bench_store.py)')
    ap.add_argument('--handler-timeout', type=float, default=600.0,
                    help='idle timeout of per-chat handlers (telepot, telepot_ng)')
    ap.add_argument('--chats', type=int, default=1000, help='dispatch: live chats')
    ap.add_argument('--updates', type=int, default=100000, help='dispatch: timed updates')
    ap.add_argument('--busy-chats', type=int, default=0,
                    help='dispatch: the timed updates go to this many of the live chats '
                         '(default: all of them)')
    ap.add_argument('--cap', type=float, default=60.0,
                    help='dispatch: stop feeding / waiting after this many seconds')
    ap.add_argument('--variant', default='', help='a documented alternative set-up, if any')
    ap.add_argument('--pause-after-warm', type=float, default=0.0,
                    help='dispatch: sleep this long after the warm-up (to attach a profiler)')
    return ap.parse_args(argv)


def ready_then_wait_go() -> None:
    """Tell the driver the bot is built; block until it says GO (EOF means: quit)."""
    print('READY', flush=True)
    if sys.stdin.readline().strip() != 'GO':
        sys.exit(0)


# -- messages and answers (the driver checks replies with the same functions) --------------------

def text_of(k: int) -> str:
    """The text of a chat's k-th message (k from 1)."""
    return 't%d' % k


def expected_reply(k: int) -> str:
    """What the bot must answer to a chat's k-th message: ``"<per-chat counter> <text>"``."""
    return '%d t%d' % (k, k)


def update(update_id: int, chat_id: int, k: int) -> Dict[str, Any]:
    """An Update carrying chat ``chat_id``'s k-th text message (message_id == k)."""
    user = {'id': chat_id, 'is_bot': False, 'first_name': 'User%d' % chat_id}
    return {'update_id': update_id,
            'message': {'message_id': k, 'date': DATE, 'text': text_of(k),
                        'chat': {'id': chat_id, 'type': 'private',
                                 'first_name': user['first_name']},
                        'from': user}}


def chat_ids(n: int, base: int = 10000001) -> List[int]:
    return list(range(base, base + n))


def storm(chats: List[int], per_chat: int, first_k: int = 1,
          first_update_id: int = 1) -> List[Dict[str, Any]]:
    """Round-robin over the chats: every chat's k-th message before any chat's (k+1)-th."""
    out = []
    uid = first_update_id
    for k in range(first_k, first_k + per_chat):
        for c in chats:
            out.append(update(uid, c, k))
            uid += 1
    return out


# -- dispatch-only workload ------------------------------------------------------------------

class Tally:
    """Called by every per-chat handler after it counted a message: ``seen(count, message_id)``
    with the chat's counter after counting.  A message out of order, twice or missing shows as
    ``count != message_id`` somewhere (or a chat that never reaches its total)."""

    def __init__(self, chats: int, per_chat: int, busy: int) -> None:
        self.per_chat = per_chat        # what each busy chat receives, warm-up included
        self.busy = busy
        self.violations = 0
        self.total = 0
        self.chats = chats
        self.warm = threading.Event()
        self.done = threading.Event()
        self.t_done = 0.0
        # chats that got their first / their last message, counted without a lock: next() of
        # an itertools.count is one step under the GIL. (With a lock, the rows where every
        # chat gets one timed message -- dispatch to all of 100,000 live chats -- paid a lock
        # per message here, the 10-chat row one per 10,000: harness cost in one row only.)
        self._warmed = itertools.count(1)
        self._finished = itertools.count(1)

    def seen(self, count: int, message_id: int) -> None:
        if count > 1:
            self.total += 1         # timed messages (the warm-up is every chat's first)
        if count != message_id:
            self.violations += 1
        if count == 1 and next(self._warmed) == self.chats:
            self.warm.set()
        if count == self.per_chat and next(self._finished) == self.busy:
            self.t_done = time.perf_counter()
            self.done.set()


def make_tally(opts: argparse.Namespace) -> Tally:
    busy = opts.busy_chats or opts.chats
    if opts.updates % busy or busy > opts.chats:
        raise SystemExit('--updates must be a multiple of --busy-chats (<= --chats)')
    return Tally(opts.chats, 1 + opts.updates // busy, busy)


def _status(field: str) -> int:
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class LogCounter(logging.Handler):
    """Counts WARNING-or-worse records (a failed spawn shows up here)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _Run:
    """The phases of a dispatch run, shared by the sync and the asyncio drivers below.

    Warm-up: one message per chat, so every chat's handler/state exists before the clock
    starts.  Then ``--updates`` more, round-robin over the busy chats; timed until every busy
    chat's handler has counted all of its messages (or ``--cap`` seconds of feeding)."""

    def __init__(self, tally: Tally, opts: argparse.Namespace) -> None:
        self.tally, self.opts = tally, opts
        self.logs = LogCounter()
        logging.getLogger().addHandler(self.logs)
        chats = chat_ids(opts.chats)
        self.warm = storm(chats, 1)
        self.timed = storm(chats[:tally.busy], tally.per_chat - 1, first_k=2,
                           first_update_id=len(self.warm) + 1)
        self.rss0 = _status('VmRSS')
        self.w0 = time.perf_counter()

    def warmed(self) -> None:
        """The warm-up is over (or timed out): start the clock."""
        self.warm_s = time.perf_counter() - self.w0
        self.rss1 = _status('VmRSS')
        if self.opts.pause_after_warm:            # lets a profiler attach to the timed part
            print('WARM pid %d: pausing %g s' % (os.getpid(), self.opts.pause_after_warm),
                  file=sys.stderr, flush=True)
            time.sleep(self.opts.pause_after_warm)
        self.cpu0 = time.process_time()
        self.t0 = time.perf_counter()
        self.deadline = self.t0 + self.opts.cap

    def over(self, fed: int) -> bool:
        return not fed & 15 and time.perf_counter() > self.deadline

    def fed(self, fed: int) -> float:
        """Feeding ended after ``fed`` updates; returns how long to wait for the handlers."""
        self.n_fed = fed
        self.feed_s = time.perf_counter() - self.t0
        return max(0.0, self.deadline - time.perf_counter())

    def report(self) -> None:
        tally = self.tally
        complete = tally.done.is_set()
        elapsed = (tally.t_done if complete else time.perf_counter()) - self.t0
        out = {'complete': complete, 'warm_complete': tally.warm.is_set(),
               'updates': self.opts.updates, 'fed': self.n_fed, 'feed_s': self.feed_s,
               'counted': tally.total, 'elapsed': elapsed,
               'rate': tally.total / elapsed if elapsed > 0 else 0.0,
               'cpu': time.process_time() - self.cpu0, 'violations': tally.violations,
               'warm_s': self.warm_s, 'rss_before_warm_kb': self.rss0,
               'rss_after_warm_kb': self.rss1,
               'peak_rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               'threads': _status('Threads'), 'warnings': self.logs.count}
        print('RESULT ' + json.dumps(out), flush=True)
        sys.stderr.flush()
        os._exit(0)     # not measured: how (and whether) each library shuts down its threads


def run_dispatch(tally: Tally, opts: argparse.Namespace,
                 feed: Callable[[Dict[str, Any]], Any]) -> None:
    """Synchronous libraries: ``feed(update)`` is the library's in-process entry point."""
    run = _Run(tally, opts)
    for u in run.warm:
        feed(u)
    tally.warm.wait(opts.cap)
    run.warmed()
    fed = 0
    for u in run.timed:
        feed(u)
        fed += 1
        if run.over(fed):
            break
    tally.done.wait(run.fed(fed))
    run.report()


async def run_dispatch_async(tally: Tally, opts: argparse.Namespace,
                             feed: Callable[[Dict[str, Any]], Any]) -> None:
    """asyncio libraries: ``await feed(update)`` is the entry point (same phases)."""
    import asyncio
    loop = asyncio.get_running_loop()
    run = _Run(tally, opts)
    for u in run.warm:
        await feed(u)
    await loop.run_in_executor(None, tally.warm.wait, opts.cap)
    run.warmed()
    fed = 0
    for u in run.timed:
        await feed(u)
        fed += 1
        if run.over(fed):
            break
    await loop.run_in_executor(None, tally.done.wait, run.fed(fed))
    run.report()


def quiet_logging() -> None:
    """Library warnings go to stderr (the driver keeps them in a log file)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format='%(asctime)s %(name)s %(levelname)s %(message)s')
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')

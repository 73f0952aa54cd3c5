"""What a message costs the CPU, dispatch and turn, without the GIL's hand-overs: one thread,
on one core (``bench_pool.py --sections cost`` runs it per checkout).

The pool gets no worker thread: ``bot.handle`` dispatches a batch of ``--batch`` messages,
then this thread runs the turns queued on the pool, as a worker would, and so on.  The
messages and the handler are the dispatch table's (``_harness.storm``, the benchmark bot's
``Counter`` and its ``Tally``, which checks every message came once and in order).  Prints
``COST {json}``: CPU microseconds per message, split into dispatch (``handle``) and turns.

* ``--chats 10 --batch 1000``: busy chats -- a turn takes up to 16 messages, every object
  in cache (the dispatch table's 10-chat reference);
* ``--chats 100 --batch 100``: one message per turn, every object in cache (the per-turn
  steps alone);
* ``--chats 100000 --batch 1000``: one message per turn to chats in no CPU cache (the
  dispatch table's 100,000-to-all row).

The same two figures on two cores with the GIL moving between threads every few ms are the
dispatch table's; on this machine those vary by up to 50% between identical runs.  These
vary less, but the host's noise reaches them too (only ever adding CPU): bench_pool reports
the least of several runs.
Uses the pool's internals (a benchmark of them): written for checkouts from stop 14 on.
"""
import argparse
import json
import os
import sys
import time

import _harness
import telepot_ng
import telepot_ng._pool as pool_mod
import telepot_ng_bot          # the dispatch table's handler (Counter), counting in its Tally
from telepot_ng.delegate import create_open, pave_event_space, per_chat_id

TOKEN = '123456789:AAFakeTokenForTelepotNgTestsOnly0000'


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--chats', type=int, required=True)
    ap.add_argument('--batch', type=int, required=True)
    ap.add_argument('--updates', type=int, default=200000)
    ap.add_argument('--cpu', type=int, default=-1, help='pin to this CPU (-1: the last one)')
    opts = ap.parse_args()
    if hasattr(os, 'sched_setaffinity'):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[opts.cpu]})
    # no worker threads: the turns are run below, in this thread
    pool_mod.WorkerPool._kick = lambda self, force=False: True
    pool_mod.WorkerPool._watch = lambda self: None
    telepot_ng_bot.tally = _harness.Tally(opts.chats, 1 + opts.updates // opts.chats,
                                          opts.chats)
    bot = telepot_ng.DelegatorBot(TOKEN, [pave_event_space()(
        per_chat_id(), create_open, telepot_ng_bot.Counter, timeout=600)],
        base_url='http://127.0.0.1:9', rate_limits=None)
    worker = pool_mod._Worker(None, 'turn-cost')
    pool_mod._current.worker = worker       # current_task() works as on a worker

    def run_queued(runq) -> None:
        while runq:
            task = runq.popleft()
            worker.task = task
            task.run()
            worker.task = None

    # the dispatch table's messages: a warm-up message per chat (its handler), then the
    # timed ones round-robin
    chats = _harness.chat_ids(opts.chats)
    per_chat = max(1, opts.updates // opts.chats)
    for c, u in enumerate(_harness.storm(chats, 1)):
        bot.handle(u['message'])
        if c % 1000 == 999:
            run_queued(bot._pool._runq)
    pool = bot._pool
    run_queued(pool._runq)
    # as while updates pour in: tasks wait behind busy workers, a submit wakes nobody
    pool._watching = pool._saturated = True
    msgs = [u['message'] for u in _harness.storm(chats, per_chat, first_k=2)]
    handle = bot.handle
    turns = 0.0
    c0 = time.process_time()
    for start in range(0, len(msgs), opts.batch):
        for m in msgs[start:start + opts.batch]:
            handle(m)
        t = time.process_time()
        run_queued(pool._runq)
        turns += time.process_time() - t
    cpu = time.process_time() - c0
    n = len(msgs)
    if telepot_ng_bot.tally.violations or telepot_ng_bot.tally.total != n:
        raise SystemExit('handled %d of %d messages, %d out of order' % (
            telepot_ng_bot.tally.total, n, telepot_ng_bot.tally.violations))
    print('COST ' + json.dumps({'chats': opts.chats, 'batch': opts.batch, 'updates': n,
                                'us': cpu / n * 1e6, 'dispatch_us': (cpu - turns) / n * 1e6,
                                'turns_us': turns / n * 1e6}), flush=True)
    os._exit(0)     # the handlers' idle timers need no shutdown here


if __name__ == '__main__':
    main()

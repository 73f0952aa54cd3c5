"""Command line: run the ingress or a worker of a cluster bot from a module path.

    python -m telepot_ng.cluster worker  mybot:bot [--lease-ttl 5]
    python -m telepot_ng.cluster ingress mybot:bot [--webhook 0.0.0.0:8080 --secret S]
    python -m telepot_ng.cluster status  mybot:bot

``mybot:bot`` names a DelegatorBot built with ``store='redis://...'`` (or a function that
returns one), importable from the current directory.  Every worker process runs the same
module; SIGINT or SIGTERM stops a process cleanly (workers finish what they hold and hand
their partitions over at once).
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import threading
from typing import Any, List, Optional

from ..store.base import StoreError
from .run import cluster_store_of, ingress, worker


def load_bot(spec: str) -> Any:
    """The bot ``module:attribute`` names (an attribute that is callable and not a bot is
    called with no arguments to make one)."""
    module_name, sep, attr = spec.partition(':')
    if not sep or not module_name or not attr:
        raise SystemExit('give the bot as module:attribute, e.g. mybot:bot (got %r)' % spec)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    obj = importlib.import_module(module_name)
    for part in attr.split('.'):
        obj = getattr(obj, part)
    if callable(obj) and not hasattr(obj, 'handle'):
        obj = obj()
    return obj


def _wait_for_signal() -> None:
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *a: stopped.set())
    print('READY', flush=True)
    while not stopped.wait(1.0):
        pass


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog='python -m telepot_ng.cluster',
                                 description='Run a telepot_ng bot on many processes, '
                                             'partitioned by chat on Redis Streams.')
    ap.add_argument('--log-level', default='INFO', help='logging level (default INFO)')
    sub = ap.add_subparsers(dest='command', required=True)
    w = sub.add_parser('worker', help='handle a fair share of the partitions')
    w.add_argument('bot', help='module:attribute of a DelegatorBot with store="redis://..."')
    w.add_argument('--lease-ttl', type=float, default=5.0,
                   help='seconds before a dead worker\'s partitions are taken over (default 5)')
    w.add_argument('--max-inflight', type=int, default=1000,
                   help='updates per partition handed to the bot and not yet finished (1000)')
    w.add_argument('--stop-timeout', type=float, default=10.0,
                   help='seconds a stop waits for handlers to finish (default 10)')
    i = sub.add_parser('ingress', help='poll Telegram (or serve its webhook) into the cluster')
    i.add_argument('bot', help='module:attribute of a bot with store="redis://..."')
    i.add_argument('--webhook', metavar='HOST:PORT',
                   help='serve Telegram\'s webhook here instead of polling')
    i.add_argument('--secret', help='the webhook secret token (setWebhook\'s secret_token)')
    i.add_argument('--poll-timeout', type=int, default=20, help='long-poll seconds (20)')
    s = sub.add_parser('status', help='partitions, their owners and backlogs')
    s.add_argument('bot', help='module:attribute of a bot with store="redis://..."')
    args = ap.parse_args(argv)
    logging.basicConfig(level=getattr(logging, str(args.log_level).upper(), logging.INFO),
                        format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    try:
        bot = load_bot(args.bot)
        store = cluster_store_of(bot)
    except StoreError as e:        # e.g. Redis unreachable: say so, no traceback
        print('%s: %s' % (ap.prog, e), file=sys.stderr)
        return 2

    if args.command == 'status':
        from .lease import LeaseTable
        leases = LeaseTable(store.redis, store.keys, 'status')
        for p in range(store.partitions):
            print('partition %2d  owner %-40s backlog %d'
                  % (p, leases.holder(p) or '-', store.streams.backlog(p)))
        return 0

    if args.command == 'worker':
        w = worker(bot, lease_ttl=args.lease_ttl, max_inflight=args.max_inflight)
        _wait_for_signal()
        w.stop(args.stop_timeout)
        bot.stop(args.stop_timeout)
        return 0

    if args.webhook:
        from wsgiref.simple_server import make_server
        from ..webhook import WebhookApp
        from .ingress import Ingress
        host, _, port = args.webhook.rpartition(':')
        app = WebhookApp(Ingress(store.redis, store.keys, store.partitions, store.by),
                         secret_token=args.secret)
        server = make_server(host or '0.0.0.0', int(port), app)
        t = threading.Thread(target=server.serve_forever, name='telepot_ng-cluster-webhook',
                             daemon=True)
        t.start()
        _wait_for_signal()
        server.shutdown()
        return 0
    loop = ingress(bot, timeout=args.poll_timeout)
    _wait_for_signal()
    loop.stop()
    bot.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())

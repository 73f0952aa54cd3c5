"""Measure the fake Telegram server's capacity: sendMessage requests/s it answers.

    python benchmarks/bench_fake_server.py [--seconds 5] [--connections 8] [--clients 1]
        [--chats 1] [--rate-limits [JSON]] [--latency S]

Starts ``python -m telepot_ng.testing.server`` in its own process, then drives it from
``--clients`` other processes, each holding ``--connections`` keep-alive connections that send one
JSON sendMessage at a time (no pipelining, like a bot does). Prints requests/s and the server's own
count of the calls it answered. ``--rate-limits`` turns the fake's rate limits on (answers
are then 200 or 429; both count as served, and the 429s are reported), ``--chats`` spreads the
messages over that many chats.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = '123456789:AAFakeTokenForTelepotNgTestsOnly0000'


class _Client(asyncio.Protocol):
    """One keep-alive connection sending the next request whenever the last answer is complete."""

    def __init__(self, requests: list, stop_at: float, done: 'asyncio.Future[tuple]') -> None:
        self.requests = requests
        self.next = 0
        self.stop_at = stop_at
        self.done = done
        self.buf = b''
        self.count = 0
        self.refused = 0
        self.transport = None

    def _send(self) -> None:
        self.transport.write(self.requests[self.next])
        self.next = (self.next + 1) % len(self.requests)

    def connection_made(self, transport):  # type: ignore[no-untyped-def]
        self.transport = transport
        self._send()

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b'\r\n\r\n')
            if end < 0:
                return
            head = self.buf[:end].lower()
            i = head.find(b'content-length:')
            length = int(head[i + 15:head.find(b'\r\n', i) if head.find(b'\r\n', i) > 0 else None])
            if len(self.buf) < end + 4 + length:
                return
            if head.startswith(b'http/1.1 429'):
                self.refused += 1
            elif not head.startswith(b'http/1.1 200'):
                raise SystemExit('unexpected answer: %r' % self.buf[:200])
            self.buf = self.buf[end + 4 + length:]
            self.count += 1
            if time.perf_counter() >= self.stop_at:
                self.transport.close()
                if not self.done.done():
                    self.done.set_result((self.count, self.refused))
                return
            self._send()


async def _drive(port: int, connections: int, seconds: float, chats: int, first: int) -> tuple:
    requests = []
    for k in range(chats):
        body = json.dumps({'chat_id': 1000001 + (first + k) % chats,
                           'text': 'benchmark message'}).encode()
        requests.append((b'POST /bot%s/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                         b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n'
                         % (TOKEN.encode(), len(body))) + body)
    loop = asyncio.get_running_loop()
    stop_at = time.perf_counter() + seconds
    futures = []
    for n in range(connections):
        fut = loop.create_future()
        mine = requests[n % len(requests):] + requests[:n % len(requests)]
        await loop.create_connection(lambda f=fut, r=mine: _Client(r, stop_at, f),
                                     '127.0.0.1', port)
        futures.append(fut)
    done = await asyncio.gather(*futures)
    return sum(c for c, _ in done), sum(r for _, r in done)


def _client_process(port: int, connections: int, seconds: float, chats: int, first: int,
                    out: 'multiprocessing.Queue') -> None:
    out.put(asyncio.run(_drive(port, connections, seconds, chats, first)))


def _control(port: int, op: str, args: dict) -> dict:
    import http.client
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    conn.request('POST', '/_fake/' + op, json.dumps(args))
    answer = json.loads(conn.getresponse().read())
    conn.close()
    return answer['result']


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seconds', type=float, default=5.0)
    parser.add_argument('--connections', type=int, default=8, help='per client process')
    parser.add_argument('--clients', type=int, default=1, help='client processes')
    parser.add_argument('--chats', type=int, default=1, help='chats the messages go to')
    parser.add_argument('--rate-limits', nargs='?', const='true', default=None, metavar='JSON',
                        help="the fake enforces Telegram's rate limits (optionally changed)")
    parser.add_argument('--latency', type=float, default=0.0, help="the fake's added latency")
    args = parser.parse_args()
    extra = []
    if args.rate_limits is not None:
        extra += ['--rate-limits', args.rate_limits]
    if args.latency:
        extra += ['--latency', str(args.latency)]

    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    server = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0',
                               '--token', TOKEN] + extra, stdout=subprocess.PIPE, text=True, env=env)
    try:
        port = int(server.stdout.readline().split()[1])
        options = {'journal_limit': 100000}
        if args.rate_limits is not None:
            options['rate_limits'] = json.loads(args.rate_limits)
        if args.latency:
            options['latency'] = args.latency
        _control(port, 'configure', options)
        results: multiprocessing.Queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_client_process,
                                         args=(port, args.connections, args.seconds, args.chats,
                                               i * args.connections, results))
                 for i in range(args.clients)]
        t0 = time.perf_counter()
        for p in procs:
            p.start()
        answers = [results.get(timeout=args.seconds + 60) for _ in procs]
        total = sum(a for a, _ in answers)
        refused = sum(r for _, r in answers)
        elapsed = time.perf_counter() - t0
        for p in procs:
            p.join()
        counters = _control(port, 'counters', {})
        counted = counters['methods'].get('sendMessage', 0)
        print('fake server: %d sendMessage answered in %.2f s by %d connection(s) in %d '
              'process(es): %.0f requests/s (server counted %d sent, %d answered 429)'
              % (total, elapsed, args.connections * args.clients, args.clients,
                 total / args.seconds, counted, counters['rate_limited']))
        print('command: python benchmarks/bench_fake_server.py %s' % ' '.join(sys.argv[1:]))
        if refused != counters['rate_limited']:
            raise SystemExit('clients saw %d 429s, the server counted %d'
                             % (refused, counters['rate_limited']))
        _control(port, 'shutdown', {})
        server.wait(10)
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)


if __name__ == '__main__':
    main()

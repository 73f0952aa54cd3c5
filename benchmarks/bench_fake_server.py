"""Measure the fake Telegram server's capacity: sendMessage requests/s it answers.

    python benchmarks/bench_fake_server.py [--seconds 5] [--connections 8] [--clients 1]

Starts ``python -m telepot_ng.testing.server`` in its own process, then drives it from
``--clients`` other processes, each holding ``--connections`` keep-alive connections that send one
JSON sendMessage at a time (no pipelining, like a bot does). Prints requests/s and the server's own
count of the calls it answered.
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
    """One keep-alive connection sending the same request whenever the last answer is complete."""

    def __init__(self, request: bytes, stop_at: float, done: 'asyncio.Future[int]') -> None:
        self.request = request
        self.stop_at = stop_at
        self.done = done
        self.buf = b''
        self.count = 0
        self.transport = None

    def connection_made(self, transport):  # type: ignore[no-untyped-def]
        self.transport = transport
        transport.write(self.request)

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
            if not head.startswith(b'http/1.1 200'):
                raise SystemExit('unexpected answer: %r' % self.buf[:200])
            self.buf = self.buf[end + 4 + length:]
            self.count += 1
            if time.perf_counter() >= self.stop_at:
                self.transport.close()
                if not self.done.done():
                    self.done.set_result(self.count)
                return
            self.transport.write(self.request)


async def _drive(port: int, connections: int, seconds: float) -> int:
    body = json.dumps({'chat_id': 1000001, 'text': 'benchmark message'}).encode()
    request = (b'POST /bot%s/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n'
               b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n'
               % (TOKEN.encode(), len(body))) + body
    loop = asyncio.get_running_loop()
    stop_at = time.perf_counter() + seconds
    futures = []
    for _ in range(connections):
        fut = loop.create_future()
        await loop.create_connection(lambda f=fut: _Client(request, stop_at, f), '127.0.0.1', port)
        futures.append(fut)
    return sum(await asyncio.gather(*futures))


def _client_process(port: int, connections: int, seconds: float, out: 'multiprocessing.Queue') -> None:
    out.put(asyncio.run(_drive(port, connections, seconds)))


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
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    server = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0',
                               '--token', TOKEN], stdout=subprocess.PIPE, text=True, env=env)
    try:
        port = int(server.stdout.readline().split()[1])
        _control(port, 'configure', {'journal_limit': 100000})
        results: multiprocessing.Queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_client_process,
                                         args=(port, args.connections, args.seconds, results))
                 for _ in range(args.clients)]
        t0 = time.perf_counter()
        for p in procs:
            p.start()
        total = sum(results.get(timeout=args.seconds + 60) for _ in procs)
        elapsed = time.perf_counter() - t0
        for p in procs:
            p.join()
        counted = _control(port, 'counters', {})['methods'].get('sendMessage', 0)
        print('fake server: %d sendMessage answered in %.2f s by %d connection(s) in %d '
              'process(es): %.0f requests/s (server counted %d)'
              % (total, elapsed, args.connections * args.clients, args.clients,
                 total / args.seconds, counted))
        _control(port, 'shutdown', {})
        server.wait(10)
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)


if __name__ == '__main__':
    main()

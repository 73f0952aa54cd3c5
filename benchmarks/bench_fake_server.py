"""Measure the fake Telegram server's capacity: sendMessage requests/s it answers.

    python benchmarks/bench_fake_server.py [--seconds 3] [--rounds 3] [--connections 8]
        [--clients 1] [--only plain|rules|limits]

Starts ``python -m telepot_ng.testing.server`` in its own process, then drives it from
``--clients`` other processes, each holding ``--connections`` keep-alive connections that send one
JSON sendMessage at a time (no pipelining, like a bot does). Three scenarios, run interleaved
``--rounds`` times (a fresh server each run), medians printed side by side:

- ``plain``: ``{"chat_id": ..., "text": "benchmark message"}`` to one chat;
- ``rules``: an HTML message with an inline keyboard (parse_mode parsed, markup checked against
  the spec) to 1000 chats, every call accepted;
- ``limits``: the same with Telegram's rate limits on (most answers are then 429s, which count
  as served; the 429s are reported).

Requests/s depend on what else runs on the machine; the server's own CPU time per request
(from /proc) does much less, so both are printed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
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


SCENARIOS = {
    'plain': ({'text': 'benchmark message'}, 1, None),
    'rules': ({'text': '<b>bench</b> <i>mark</i> &amp; <a href="https://e.com/x">more</a>',
               'parse_mode': 'HTML',
               'reply_markup': {'inline_keyboard': [[{'text': 'yes', 'callback_data': 'y'},
                                                     {'text': 'no', 'callback_data': 'n'}]]}},
              1000, None),
    'limits': (None, 1000, True),          # the 'rules' body, with the rate limits on
}


async def _drive(port: int, connections: int, seconds: float, body: dict, chats: int,
                 first: int) -> tuple:
    requests = []
    for k in range(chats):
        data = json.dumps(dict(body, chat_id=1000001 + (first + k) % chats)).encode()
        requests.append((b'POST /bot%s/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                         b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n'
                         % (TOKEN.encode(), len(data))) + data)
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


def _client_process(port: int, connections: int, seconds: float, body: dict, chats: int,
                    first: int, out: 'multiprocessing.Queue') -> None:
    out.put(asyncio.run(_drive(port, connections, seconds, body, chats, first)))


def _control(port: int, op: str, args: dict) -> dict:
    import http.client
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    conn.request('POST', '/_fake/' + op, json.dumps(args))
    answer = json.loads(conn.getresponse().read())
    conn.close()
    return answer['result']


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def run_once(name: str, args: argparse.Namespace) -> dict:
    """One run of a scenario against a fresh server process."""
    body, chats, limits = SCENARIOS[name]
    body = body or SCENARIOS['rules'][0]
    cmd = [sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0', '--token', TOKEN]
    if limits:
        cmd.append('--rate-limits')
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        port = int(server.stdout.readline().split()[1])
        _control(port, 'configure', {'journal_limit': 100000,
                                     'rate_limits': bool(limits)})
        results: multiprocessing.Queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_client_process,
                                         args=(port, args.connections, args.seconds, body, chats,
                                               i * args.connections, results))
                 for i in range(args.clients)]
        cpu0 = _cpu_seconds(server.pid)
        for p in procs:
            p.start()
        answers = [results.get(timeout=args.seconds + 60) for _ in procs]
        cpu = _cpu_seconds(server.pid) - cpu0
        for p in procs:
            p.join()
        total = sum(a for a, _ in answers)
        refused = sum(r for _, r in answers)
        counters = _control(port, 'counters', {})
        if refused != counters['rate_limited']:
            raise SystemExit('clients saw %d 429s, the server counted %d'
                             % (refused, counters['rate_limited']))
        _control(port, 'shutdown', {})
        server.wait(10)
        return {'rps': total / args.seconds, 'cpu_us': cpu / max(total, 1) * 1e6,
                'refused': refused / max(total, 1), 'sent': counters['methods'].get(
                    'sendMessage', 0)}
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)
        server.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seconds', type=float, default=3.0, help='per run')
    parser.add_argument('--rounds', type=int, default=3, help='runs of each scenario')
    parser.add_argument('--connections', type=int, default=8, help='per client process')
    parser.add_argument('--clients', type=int, default=1, help='client processes')
    parser.add_argument('--only', choices=sorted(SCENARIOS), action='append',
                        help='run only this scenario (repeatable)')
    args = parser.parse_args()
    names = args.only or list(SCENARIOS)
    runs: dict = {n: [] for n in names}
    for _ in range(args.rounds):          # interleaved: each round runs every scenario once
        for n in names:
            runs[n].append(run_once(n, args))
    print('command: python benchmarks/bench_fake_server.py %s' % ' '.join(sys.argv[1:]))
    print('load average at the end: %s' % ' '.join(open('/proc/loadavg').read().split()[:3]))
    print('%-8s %14s %18s %12s   (medians of %d runs of %g s, %d connection(s) in %d '
          'client process(es))' % ('scenario', 'requests/s', 'server CPU/request', '429 share',
                                  args.rounds, args.seconds, args.connections * args.clients,
                                  args.clients))
    base = None
    for n in names:
        rps = statistics.median(r['rps'] for r in runs[n])
        cpu = statistics.median(r['cpu_us'] for r in runs[n])
        share = statistics.median(r['refused'] for r in runs[n])
        base = base or (rps, cpu)
        print('%-8s %14.0f %15.1f us %11.0f%%   (x%.2f requests/s, x%.2f CPU of %s; %s '
              'requests/CPU-second)' % (n, rps, cpu, share * 100, rps / base[0], cpu / base[1],
                                        names[0], '{:,.0f}'.format(1e6 / cpu)))


if __name__ == '__main__':
    main()

"""sendMessage calls/s through telepot_ng's Transport next to a raw http.client loop.

Run:  python benchmarks/bench_transport.py            (defaults: 1 and 16 threads, 5 runs)
      python benchmarks/bench_transport.py --runs 3 --seconds 2 --threads 1,16

A loopback HTTP server runs in another process. By default it is the small asyncio server in
this file (``--server builtin``); ``--server fake`` uses telepot_ng's fake Telegram server
(``python -m telepot_ng.testing.server --port 0 --token ...``) instead. For each thread count the two
clients are measured alternately (raw, transport, raw, transport, ...), each for
``--seconds``; the median, min and max of the runs are printed with the overhead of the
transport relative to the raw loop.

The raw loop does what any client must for one call: JSON-encode the parameters, POST them
on a kept-alive http.client connection (one per thread), read the answer and JSON-decode it.
Plain http.client writes the request head and the body with two send() calls; Transport's
connections write small requests in one. The third client, ``raw-1write``, is the raw loop on
such a connection: the difference to it is the pure cost of Transport's own Python code.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

TOKEN = '123456789:AAbenchmarkTOKENxxxxxxxxxxxxxxxxxxx'
PARAMS = {'chat_id': 12345, 'text': 'Hello from the benchmark!'}


# -- the builtin loopback server (runs in a child process) -----------------------------------

_MESSAGE = {'message_id': 1, 'from': {'id': 123456789, 'is_bot': True, 'first_name': 'Bench',
                                      'username': 'bench_bot'},
            'chat': {'id': 12345, 'first_name': 'User', 'type': 'private'},
            'date': 1700000000, 'text': 'Hello from the benchmark!'}
_BODY = json.dumps({'ok': True, 'result': _MESSAGE}, separators=(',', ':')).encode()
_RESPONSE = (b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n'
             b'Connection: keep-alive\r\n\r\n' % len(_BODY)) + _BODY


class _Protocol(asyncio.Protocol):
    """Minimal HTTP/1.1 keep-alive: answers every request with the same sendMessage result."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b''

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b'\r\n\r\n')
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length = 0
            at = head.find(b'content-length:')
            if at >= 0:
                length = int(head[at + 15:].split(b'\r\n', 1)[0])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            self.transport.write(_RESPONSE)  # type: ignore[attr-defined]


def serve() -> None:
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(_Protocol, '127.0.0.1', 0, backlog=512))
    print('READY %d' % server.sockets[0].getsockname()[1], flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


def start_server(kind: str) -> 'tuple[subprocess.Popen, int, list]':
    if kind == 'fake':
        cmd = [sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0',
               '--token', TOKEN]
    else:
        cmd = [sys.executable, os.path.abspath(__file__), '--serve']
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            break
        if line.startswith('READY'):
            return proc, int(line.split()[1]), cmd
    proc.kill()
    raise SystemExit('server did not print READY: %s' % ' '.join(cmd))


# -- the two clients ---------------------------------------------------------------------------

def raw_worker(port: int, stop: threading.Event, counts: list, index: int,
               start: threading.Barrier, one_write: bool = False) -> None:
    if one_write:   # the same http.client, writing head and body in one send() as Transport does
        from telepot_ng._http import _HTTPConnection
        conn: http.client.HTTPConnection = _HTTPConnection('127.0.0.1', port, timeout=30)
    else:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    path = '/bot%s/sendMessage' % TOKEN
    headers = {'Content-Type': 'application/json'}
    dumps, loads = json.dumps, json.loads
    n = 0
    start.wait()
    while not stop.is_set():
        conn.request('POST', path, dumps(PARAMS, separators=(',', ':')).encode(), headers)
        resp = conn.getresponse()
        result = loads(resp.read())['result']
        assert result['message_id']
        n += 1
    counts[index] = n
    conn.close()


def transport_worker(transport: object, stop: threading.Event, counts: list, index: int,
                     start: threading.Barrier) -> None:
    request = transport.request  # type: ignore[attr-defined]
    n = 0
    start.wait()
    while not stop.is_set():
        result = request('sendMessage', PARAMS)
        assert result['message_id']
        n += 1
    counts[index] = n


def time_workers(work: 'callable', threads: int, seconds: float,
                 name: str = 'bench') -> 'tuple[int, float, float]':
    """Run ``work(stop, counts, index, start)`` in ``threads`` threads for ``seconds``;
    returns (calls, elapsed seconds, process CPU seconds).  Shared by http_ceiling.py."""
    stop = threading.Event()
    counts = [0] * threads
    start = threading.Barrier(threads + 1)
    workers = [threading.Thread(target=work, args=(stop, counts, i, start),
                                name='%s-%d' % (name, i)) for i in range(threads)]
    for w in workers:
        w.start()
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join(30)
    return sum(counts), time.perf_counter() - began, time.process_time() - cpu


def measure(kind: str, port: int, threads: int, seconds: float) -> 'tuple[float, float]':
    """(calls per second, client CPU microseconds per call) for one run."""
    from telepot_ng.api import Transport
    if kind == 'lib':
        transport = Transport(TOKEN, base_url='http://127.0.0.1:%d' % port)
        work = lambda stop, counts, i, start: transport_worker(transport, stop, counts, i, start)  # noqa: E731
    else:
        transport = None
        work = lambda stop, counts, i, start: raw_worker(port, stop, counts, i, start,  # noqa: E731
                                                         kind == 'raw1')
    calls, elapsed, cpu = time_workers(work, threads, seconds, 'bench-' + kind)
    if transport is not None:
        transport.close()
    return calls / elapsed, 1e6 * cpu / max(1, calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--serve', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--server', choices=('builtin', 'fake'), default='builtin')
    parser.add_argument('--threads', default='1,16')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--seconds', type=float, default=2.0)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    proc, port, cmd = start_server(args.server)
    try:
        print('command: python %s' % ' '.join(['benchmarks/bench_transport.py'] + sys.argv[1:]))
        from telepot_ng.api import mask
        print('server : %s (pid %d, port %d)  python %s' % (
            mask(' '.join(os.path.basename(c) if c == sys.executable else c for c in cmd)),
            proc.pid, port, sys.version.split()[0]))
        print('%-8s %-10s %10s %10s %10s %12s' % ('threads', 'client', 'median/s', 'min/s',
                                                 'max/s', 'cpu us/call'))
        for threads in [int(t) for t in args.threads.split(',')]:
            results: dict = {'raw': [], 'raw1': [], 'lib': []}
            cpu: dict = {'raw': [], 'raw1': [], 'lib': []}
            measure('lib', port, threads, min(0.5, args.seconds))      # warm-up
            for _ in range(args.runs):
                for kind in ('raw', 'lib', 'raw1'):
                    rate, per_call = measure(kind, port, threads, args.seconds)
                    results[kind].append(rate)
                    cpu[kind].append(per_call)
            for kind, label in (('raw', 'raw'), ('lib', 'Transport'), ('raw1', 'raw-1write')):
                values = results[kind]
                print('%-8d %-10s %10.0f %10.0f %10.0f %12.1f' % (
                    threads, label, statistics.median(values), min(values), max(values),
                    statistics.median(cpu[kind])))
            raw, lib = statistics.median(results['raw']), statistics.median(results['lib'])
            raw_cpu, lib_cpu = statistics.median(cpu['raw']), statistics.median(cpu['lib'])
            print('%-8d overhead of Transport over raw http.client: %.1f%% calls/s, '
                  '%+.1f%% client CPU per call' % (threads, 100.0 * (raw - lib) / raw,
                                                   100.0 * (lib_cpu - raw_cpu) / raw_cpu))
            raw1 = statistics.median(results['raw1'])
            raw1_cpu = statistics.median(cpu['raw1'])
            print('%-8d overhead of Transport over raw-1write:      %.1f%% calls/s, '
                  '%+.1f%% client CPU per call' % (threads, 100.0 * (raw1 - lib) / raw1,
                                                   100.0 * (lib_cpu - raw1_cpu) / raw1_cpu))
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == '__main__':
    main()

"""Which asyncio HTTP client for telepot_ng.aio: sendMessage round trips/s, aiohttp vs httpx.

    python benchmarks/aio_clients.py [--seconds 2] [--runs 3]

Starts the fake Telegram server in its own process, then, in this process, sends JSON
``sendMessage`` calls on keep-alive connections with 1 and 16 calls in flight, each client
in turn (interleaved, ``--runs`` times), and prints calls/s and client CPU microseconds per
call (medians).  The result is written next to the ``aio`` extra in setup.cfg.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = '123456789:AAFakeTokenForTelepotNgTestsOnly0000'
BODY = json.dumps({'chat_id': 12345, 'text': 'Hello from the benchmark!'}).encode()
HEADERS = {'Content-Type': 'application/json'}


async def with_aiohttp(url: str, in_flight: int, seconds: float) -> int:
    import aiohttp
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as session:
        return await _drive(in_flight, seconds, lambda: _aiohttp_call(session, url))


async def _aiohttp_call(session, url):
    async with session.post(url, data=BODY, headers=HEADERS) as resp:
        return json.loads(await resp.read())


async def with_httpx(url: str, in_flight: int, seconds: float) -> int:
    import httpx
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(limits=limits) as client:
        async def call():
            return json.loads((await client.post(url, content=BODY, headers=HEADERS)).content)
        return await _drive(in_flight, seconds, call)


async def _drive(in_flight, seconds, call) -> int:
    stop = time.perf_counter() + seconds
    done = 0

    async def worker():
        nonlocal done
        while time.perf_counter() < stop:
            assert (await call())['ok']
            done += 1
    await asyncio.gather(*[worker() for _ in range(in_flight)])
    return done


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--seconds', type=float, default=2.0)
    ap.add_argument('--runs', type=int, default=3)
    args = ap.parse_args()
    server = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server', '--port', '0',
                               '--token', TOKEN], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=ROOT))
    port = int(server.stdout.readline().split()[1])
    url = 'http://127.0.0.1:%d/bot%s/sendMessage' % (port, TOKEN)
    results = {}
    try:
        for _ in range(args.runs):
            for name, fn in (('aiohttp', with_aiohttp), ('httpx', with_httpx)):
                for in_flight in (1, 16):
                    c0, t0 = cpu(), time.perf_counter()
                    n = asyncio.run(fn(url, in_flight, args.seconds))
                    took, used = time.perf_counter() - t0, cpu() - c0
                    results.setdefault((name, in_flight), []).append((n / took, used / n * 1e6))
    finally:
        server.terminate()
        server.wait()
    print('python benchmarks/aio_clients.py --seconds %g --runs %d; load average %s'
          % (args.seconds, args.runs, ' '.join('%.2f' % x for x in os.getloadavg())))
    for (name, in_flight), runs in sorted(results.items()):
        print('%-8s %2d in flight: %6.0f calls/s, %5.0f us client CPU per call (median of %d)'
              % (name, in_flight, statistics.median(r for r, _ in runs),
                 statistics.median(c for _, c in runs), len(runs)))


if __name__ == '__main__':
    main()

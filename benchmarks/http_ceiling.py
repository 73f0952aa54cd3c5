"""The HTTP ceiling: the echo bot's sendMessage loop on a bare HTTP stack, from N threads.

    python benchmarks/http_ceiling.py --api http://127.0.0.1:PORT --token TOKEN \
        --stack requests|urllib3|http.client|telepot_ng --threads 4 --seconds 2

``benchmarks/run.py`` runs it in telepot_ng's virtual environment (the same requests and
urllib3 the library stands on) against the fake Telegram server and prints one
``RESULT {json}`` line: calls/s and client CPU microseconds per call.

Each thread sends ``sendMessage`` with a JSON body and decodes the JSON answer, one call at
a time, on its own keep-alive connection:

* ``requests``    a ``requests.Session`` per thread: ``session.post(url, json=params).json()``;
* ``urllib3``     one ``urllib3.HTTPConnectionPool`` (one connection per thread);
* ``http.client`` ``raw_worker`` of ``bench_transport.py`` (an ``http.client.HTTPConnection``);
* ``telepot_ng``  ``Bot.sendMessage(chat_id, text)`` on one shared Bot, for comparison.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from typing import Any, Callable, List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_transport  # noqa: E402  (a sibling script: raw_worker, time_workers)

PARAMS = {'chat_id': 12345, 'text': 'Hello from the benchmark!'}


def requests_worker(api: str, token: str, threads: int) -> Callable:
    import requests
    url = '%s/bot%s/sendMessage' % (api, token)

    def work(stop: threading.Event, counts: List[int], index: int,
             start: threading.Barrier) -> None:
        session = requests.Session()
        post = session.post
        n = 0
        start.wait()
        while not stop.is_set():
            assert post(url, json=PARAMS).json()['result']['message_id']
            n += 1
        counts[index] = n
        session.close()
    return work


def urllib3_worker(api: str, token: str, threads: int) -> Callable:
    import urllib3
    host, port = api.split('//', 1)[1].split(':')
    pool = urllib3.HTTPConnectionPool(host, int(port), maxsize=threads, block=True)
    path = '/bot%s/sendMessage' % token
    headers = {'Content-Type': 'application/json'}

    def work(stop: threading.Event, counts: List[int], index: int,
             start: threading.Barrier) -> None:
        request, dumps, loads = pool.request, json.dumps, json.loads
        n = 0
        start.wait()
        while not stop.is_set():
            r = request('POST', path, body=dumps(PARAMS).encode(), headers=headers)
            assert loads(r.data)['result']['message_id']
            n += 1
        counts[index] = n
    return work


def http_client_worker(api: str, token: str, threads: int) -> Callable:
    bench_transport.TOKEN = token           # raw_worker builds its path from this
    port = int(api.rsplit(':', 1)[1])

    def work(stop: threading.Event, counts: List[int], index: int,
             start: threading.Barrier) -> None:
        bench_transport.raw_worker(port, stop, counts, index, start)
    return work


def telepot_ng_worker(api: str, token: str, threads: int) -> Callable:
    import telepot_ng
    bot = telepot_ng.Bot(token, base_url=api)

    def work(stop: threading.Event, counts: List[int], index: int,
             start: threading.Barrier) -> None:
        send = bot.sendMessage
        n = 0
        start.wait()
        while not stop.is_set():
            assert send(PARAMS['chat_id'], PARAMS['text'])['message_id']
            n += 1
        counts[index] = n
    return work


STACKS = {'requests': requests_worker, 'urllib3': urllib3_worker,
          'http.client': http_client_worker, 'telepot_ng': telepot_ng_worker}


def measure(work: Callable, threads: int, seconds: float) -> 'dict[str, Any]':
    calls, elapsed, cpu = bench_transport.time_workers(work, threads, seconds, 'ceiling')
    return {'calls': calls, 'elapsed': elapsed, 'rate': calls / elapsed,
            'cpu_us_per_call': 1e6 * cpu / max(1, calls)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--api', required=True)
    ap.add_argument('--token', required=True)
    ap.add_argument('--stack', choices=sorted(STACKS), required=True)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seconds', type=float, default=2.0)
    args = ap.parse_args()
    work = STACKS[args.stack](args.api, args.token, args.threads)
    measure(work, args.threads, min(0.3, args.seconds))          # warm-up: connections open
    print('RESULT ' + json.dumps(measure(work, args.threads, args.seconds)), flush=True)


if __name__ == '__main__':
    main()

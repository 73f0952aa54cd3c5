"""Processes of a benchmark: the fake Telegram server, the bot under test, and what /proc says
about them (CPU seconds, peak RSS, threads)."""
from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Optional

from _envs import BOTS, ROOT
from bench_fake_server import TOKEN, _control

_TICK = os.sysconf('SC_CLK_TCK')


def proc_stats(pid: int) -> Dict[str, float]:
    """cpu (user+system seconds, all threads), rss_kb, peak_rss_kb (VmHWM), threads."""
    out = {'cpu': 0.0, 'rss_kb': 0, 'peak_rss_kb': 0, 'threads': 0}
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        out['cpu'] = (int(fields[11]) + int(fields[12])) / _TICK     # utime, stime
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                key, _, value = line.partition(':')
                if key == 'VmRSS':
                    out['rss_kb'] = int(value.split()[0])
                elif key == 'VmHWM':
                    out['peak_rss_kb'] = int(value.split()[0])
                elif key == 'Threads':
                    out['threads'] = int(value)
    except (OSError, IndexError, ValueError):
        pass
    return out


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all CPUs, /proc/stat)."""
    try:
        with open('/proc/stat') as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (sum(v) - v[3] - v[4]) / _TICK          # minus idle and iowait
    except (OSError, ValueError, IndexError):
        return 0.0


class Sampler:
    """Samples a process's thread count every ``interval`` seconds; keeps the maximum."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.max_threads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name='bench-sampler', daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.max_threads = max(self.max_threads, proc_stats(self.pid)['threads'])
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        self.max_threads = max(self.max_threads, proc_stats(self.pid)['threads'])
        return self.max_threads


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    """One line of a child's stdout, or '' at EOF/timeout (no thread left blocked)."""
    fd = proc.stdout.fileno()                   # type: ignore[union-attr]
    buf = b''
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while not buf.endswith(b'\n'):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                return ''
            chunk = os.read(fd, 1)
            if not chunk:
                break
            buf += chunk
    return buf.decode(errors='replace')


def stop_process(proc: subprocess.Popen, grace: float = 5.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


class FakeServer:
    """``python -m telepot_ng.testing.server`` in its own process, driven over /_fake/ HTTP."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        self.proc = subprocess.Popen([sys.executable, '-m', 'telepot_ng.testing.server',
                                      '--port', '0', '--token', TOKEN],
                                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
        line = _read_line(self.proc, 30)
        if not line.startswith('READY '):
            stop_process(self.proc)
            raise SystemExit('the fake Telegram server did not start')
        self.port = int(line.split()[1])
        self.api = 'http://127.0.0.1:%d' % self.port

    def control(self, op: str, **args: Any) -> Any:
        return _control(self.port, op, args)

    def push(self, updates: List[Dict[str, Any]], chunk: int = 2000) -> None:
        for i in range(0, len(updates), chunk):
            self.control('push_updates', updates=updates[i:i + chunk])

    def wait_calls(self, method: str, count: int, since: int, deadline: float) -> 'tuple[bool, list]':
        """Journal records of successful ``method`` calls after ``since``: all ``count`` of them,
        or what there is at ``deadline`` (time.time())."""
        while True:
            left = deadline - time.time()
            answer = self.control('wait', method=method, count=count, since=since,
                                  timeout=max(0.0, min(20.0, left)))
            if answer['complete'] or left <= 20.0:
                return answer['complete'], answer['calls']

    def close(self) -> None:
        try:
            self.control('shutdown')
            self.proc.wait(10)
        except Exception:
            pass
        stop_process(self.proc)


class Bot:
    """A bot process in its own venv: started, READY awaited; ``go()`` lets it poll."""

    def __init__(self, python: str, script: str, args: List[str], log_path: str) -> None:
        self.log = open(log_path, 'w')
        self.proc = subprocess.Popen([python, os.path.join(BOTS, script)] + args,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, cwd=BOTS)
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float = 120.0) -> None:
        line = _read_line(self.proc, timeout)
        if line.strip() != 'READY':
            self.close()
            raise RuntimeError('bot did not start (see %s): %r' % (self.log.name, line))

    def go(self) -> None:
        self.proc.stdin.write(b'GO\n')          # type: ignore[union-attr]
        self.proc.stdin.flush()                 # type: ignore[union-attr]

    def result_line(self, timeout: float) -> Optional[str]:
        """The ``RESULT {json}`` line of a dispatch run (None if it never came)."""
        deadline = time.monotonic() + timeout
        while True:
            line = _read_line(self.proc, max(0.0, deadline - time.monotonic()))
            if not line:
                return None
            if line.startswith('RESULT '):
                return line[7:]

    def close(self) -> None:
        stop_process(self.proc)
        self.log.close()

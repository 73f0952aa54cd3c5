"""A real redis-server for the cluster tests: started on 127.0.0.1 on a free port, no
persistence, in a temporary directory; stoppable, pausable and restartable on the same port.

In CI (``CI`` set) a missing ``redis-server`` binary fails the tests; elsewhere they skip.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Optional

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def redis_binary() -> str:
    path = shutil.which('redis-server') or ('/usr/bin/redis-server'
                                            if os.path.exists('/usr/bin/redis-server') else None)
    if path is None:
        if os.environ.get('CI'):
            pytest.fail('redis-server is not installed (.ci/run installs it with apt-get)')
        pytest.skip('redis-server is not installed')
    return path


class RedisProcess:
    """One redis-server process; ``url`` stays the same across stop()/start()."""

    def __init__(self) -> None:
        self.binary = redis_binary()
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix='tpng-redis-')
        self.proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return 'redis://127.0.0.1:%d/0' % self.port

    def start(self) -> 'RedisProcess':
        self.proc = subprocess.Popen(
            [self.binary, '--port', str(self.port), '--bind', '127.0.0.1', '--save', '',
             '--appendonly', 'no', '--dir', self.dir, '--protected-mode', 'no'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.2) as s:
                    s.sendall(b'PING\r\n')
                    if s.recv(16).startswith(b'+PONG'):
                        return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError('redis-server exited with %s' % self.proc.returncode)
            time.sleep(0.02)
        raise RuntimeError('redis-server did not answer within 10 s')

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope='session')
def redis_server():
    """A redis-server shared by the session's cluster tests (each test flushes it)."""
    srv = RedisProcess().start()
    yield srv
    srv.close()


@pytest.fixture
def redis_url(redis_server):
    """The shared server's URL, emptied before the test."""
    import redis
    if redis_server.proc is None or redis_server.proc.poll() is not None:
        redis_server.start()
    r = redis.Redis.from_url(redis_server.url)
    r.flushall()
    r.close()
    return redis_server.url


@pytest.fixture
def own_redis():
    """A redis-server of the test's own, for tests that stop or pause it."""
    srv = RedisProcess().start()
    yield srv
    srv.close()

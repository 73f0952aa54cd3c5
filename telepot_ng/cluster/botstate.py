"""``bot.state`` shared by a cluster's workers: merged per key, refreshed and updated on demand.

Each worker process has its own ``bot.state`` (a dict, loaded from Redis on first use).  Its
writes are **merged per top-level key**: a process writes only the keys whose value it changed
since it last read or wrote them (a key it deleted is deleted), so two workers writing
different keys both keep theirs; the same key written by two workers keeps the later write.
Values are whole: changing ``bot.state['seen']['x']`` rewrites the key ``'seen'``.

Other workers' writes reach this process's ``bot.state`` when it calls :func:`refresh`.  For a
read-modify-write that must not lose concurrent updates (a counter, a set of ids), use
:func:`update`: it applies a function to the value in Redis atomically (retrying on conflict)
and returns the result.  Both block until done; they are for user code, not the hot path.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from ..store._ledger import check_json
from .run import cluster_store_of
from .store import _dumps, _s

__all__ = ['refresh', 'update']


def _flush(bot: Any, timeout: Optional[float]) -> None:
    if not bot._ledger.flush(timeout):
        from ..store import StoreWriteError
        raise StoreWriteError('bot.state could not be written to Redis in time')


def refresh(bot: Any, timeout: Optional[float] = 10.0) -> Any:
    """Write this process's changes to ``bot.state``, then bring it up to date with what the
    other workers wrote (keys changed here meanwhile keep their local value).  Returns
    ``bot.state``.  Raises :class:`~telepot_ng.store.StoreWriteError` if Redis does not take
    the write within ``timeout``."""
    store = cluster_store_of(bot)
    state = bot.state
    store.refresh_bot_state(state)
    state._saved = ''                   # have the ledger write (and so refresh) now
    bot._ledger.kick()
    _flush(bot, timeout)
    return state


def update(bot: Any, key: str, fn: Callable[[Any], Any], default: Any = None,
           timeout: Optional[float] = 10.0) -> Any:
    """Set ``bot.state[key]`` to ``fn(current value)`` atomically across all workers
    (``default`` when it has none) and return the new value; ``bot.state`` is refreshed.
    ``fn`` may run more than once (when another worker changed the key meanwhile): keep it
    free of side effects.  The new value must be JSON (TypeError naming the key otherwise)."""
    import redis as redis_module
    store = cluster_store_of(bot)
    _flush(bot, timeout)                # this process's own changes first
    name = store.keys.bot_state
    with store.redis.pipeline() as pipe:
        while True:
            try:
                pipe.watch(name)
                raw = pipe.hget(name, key)
                current = default if raw is None else json.loads(_s(raw))
                value = fn(current)
                check_json(key, value)
                pipe.multi()
                pipe.hset(name, key, _dumps(value))
                pipe.execute()
                break
            except redis_module.WatchError:
                continue
    refresh(bot, timeout)
    return value

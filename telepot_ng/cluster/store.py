"""The bot's store in a cluster: the :class:`~telepot_ng.store.Store` interface over Redis.

``DelegatorBot(token, patterns, store='redis://host:6379/0')`` opens a :class:`ClusterStore`.
In a worker process (``python -m telepot_ng.cluster worker``) it is where the bot's done-marks
and handler states go: a batch of done-marks is split by partition and each part is written
with the states it produced in one fenced script (:meth:`Streams.ack
<telepot_ng.cluster.streams.Streams.ack>`), so a worker that lost a partition's lease records
nothing for it.  In an ingress process it is the journal: :meth:`append` puts a batch on the
partition streams before the polling loop confirms it, and hands nothing on locally (the
workers deliver it).
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .. import _masking
from ..store.base import (SavedState, StateKey, Store, StoreError, StoreOpenError,
                          StoreWriteError, TimerRecord)
from ..loop import Backoff
from ..store._ledger import _SCALAR
from ._keys import Keys
from .partition import event_partition, partition_of
from .streams import DEDUPE_WINDOW, Streams

__all__ = ['ClusterStore', 'DEFAULT_PARTITIONS']

log = _masking.logger(__name__)

_UID_MEMORY = 100000

#: Partitions of a cluster namespace unless told otherwise (fixed once created): enough to
#: spread over a dozen workers, few enough that each worker's share is read promptly.
DEFAULT_PARTITIONS = 16


_dumps = json.JSONEncoder(separators=(',', ':'), ensure_ascii=False, allow_nan=False).encode


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else v


def _field(key: StateKey) -> str:
    return '%s|%s' % (key.pattern, key.seed)


def safe_url(url: str) -> str:
    """``url`` without its user and password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ''
    if parts.port:
        host += ':%d' % parts.port
    return urlunsplit((parts.scheme, '***@' + host, parts.path, parts.query, parts.fragment))


def _connect(url: str, **options: Any) -> Any:
    from urllib.parse import urlsplit
    password = urlsplit(url).password
    if password:
        _masking.register_secret(password, min_length=4)
    try:
        import redis
    except ImportError:
        raise StoreError("redis:// stores need the redis client: pip install "
                         "'telepot-ng[redis]'") from None
    client = redis.Redis.from_url(url, socket_timeout=options.pop('socket_timeout', 10.0),
                                  socket_connect_timeout=options.pop('connect_timeout', 5.0),
                                  health_check_interval=30)
    try:
        client.ping()
    except Exception as e:
        raise StoreOpenError('cannot reach Redis at %s: %s' % (safe_url(url), e)) from None
    return client


class ClusterStore(Store):
    """A :class:`~telepot_ng.store.Store` on Redis for a cluster namespace.

    :param redis: a redis-py client (or use :meth:`from_url`).
    :param partitions: the namespace's partition count (fixed once created).
    :param prefix: the namespace (default ``telepot_ng:<bot id>``).
    :param by: partition updates by ``'chat'`` or ``'user'``.
    """

    window = DEDUPE_WINDOW
    #: seconds a state read retries while Redis does not answer before it raises StoreError
    read_patience = 30.0

    def __init__(self, redis: Any, *, partitions: int = DEFAULT_PARTITIONS,
                 prefix: Optional[str] = None, by: str = 'chat') -> None:
        if partitions < 1:
            raise ValueError('partitions must be at least 1')
        if by not in ('chat', 'user'):
            raise ValueError("by is 'chat' or 'user', not %r" % (by,))
        self.redis = redis
        self.partitions = partitions
        self.by = by
        self._prefix = prefix
        self.streams: Optional[Streams] = None
        self._lock = threading.Lock()
        #: update_id -> Ticket of the update a worker handed to this process's bot
        self._tickets: Dict[int, Any] = {}
        #: partition -> the lease token of the partition's current ticket holder
        self._tokens: Dict[int, str] = {}
        #: update_id -> (partition, lease token) for the recent updates handed to this
        #: process: a state is written with the partition and lease of the last update it
        #: includes, and not at all if that lease is gone
        self._uid_part: Dict[int, Tuple[int, str]] = {}
        #: update_id -> partition of updates handed on under a lease since lost, until user
        #: code is done with them (their done-mark comes, refused)
        self._unsettled: Dict[int, int] = {}
        self._settled = threading.Condition(self._lock)
        self._closed = False
        self._buckets: Any = None
        #: bot.state key -> its JSON text as this process last read or wrote it in Redis
        self._bot_seen: Dict[str, str] = {}
        #: the live bot.state to bring up to date at the next write (see cluster.botstate)
        self._bot_refresh: Any = None
        #: partitions whose events this process fires; timer id -> its partition
        self._owned: set = set()
        self._timer_part: Dict[str, int] = {}

    @classmethod
    def from_url(cls, url: str, **options: Any) -> 'ClusterStore':
        """Connect to ``redis://[:password@]host[:port][/db]`` (also ``rediss://``,
        ``unix://``); ``options`` go to the constructor."""
        conn = {k: options.pop(k) for k in ('socket_timeout', 'connect_timeout') if k in options}
        return cls(_connect(url, **conn), **options)

    def bind(self, bot_id: int) -> None:
        if self.streams is not None:
            return
        keys = Keys(self._prefix or 'telepot_ng:%d' % bot_id)
        streams = Streams(self.redis, keys, self.partitions)
        try:
            streams.ensure()
        except ValueError:
            raise
        except Exception as e:
            raise StoreOpenError('cannot set up the cluster namespace %r: %s'
                                 % (keys.prefix, e)) from None
        self.streams = streams

    def shared_buckets(self) -> Any:
        """The rate limiter's token buckets in this namespace (a
        :class:`~telepot_ng.cluster.buckets.RedisBuckets`, one per store): a bot with this
        store paces its calls against budgets shared by all the cluster's workers."""
        if self._buckets is None:
            from .buckets import RedisBuckets
            self._buckets = RedisBuckets(self.redis, self.keys.prefix,
                                         members_key=self.keys.members)
        return self._buckets

    @property
    def keys(self) -> Keys:
        assert self.streams is not None, 'bind() first'
        return self.streams.keys

    def __repr__(self) -> str:
        return '<ClusterStore %s, %d partitions>' % (
            self.streams.keys.prefix if self.streams else '(unbound)', self.partitions)

    # -- worker side: tickets ------------------------------------------------------------
    def claim(self, ticket: Any) -> bool:
        """The bot of this process now handles ``ticket.entry``; its done-mark comes
        through :meth:`mark_done`.  False (nothing claimed) once the ticket's partition
        consumer is stopping: the update stays pending for the partition's next reader."""
        uid, p = ticket.entry.update_id, ticket.partition
        with self._lock:
            if not ticket.live():
                return False
            self._tickets[uid] = ticket
            self._tokens[p] = ticket.token
            part = self._uid_part
            part[uid] = (p, ticket.token)
            if len(part) > _UID_MEMORY:
                for old in list(itertools.islice(part, len(part) - _UID_MEMORY // 2)):
                    del part[old]
        return True

    def is_current(self, msg: Any) -> bool:
        """Whether ``msg`` is still this process's to hand to user code: the ticket it was
        handed on with is held (its partition's lease, as when it was handed on)."""
        ticket = getattr(msg, '_origin', None)
        if ticket is None:
            return True
        with self._lock:
            return self._tickets.get(ticket.entry.update_id) is ticket

    @staticmethod
    def lease_of(msg: Any) -> Optional[str]:
        """The lease token ``msg`` was handed on under (None for other messages)."""
        ticket = getattr(msg, '_origin', None)
        return None if ticket is None else ticket.token

    def stale(self, partition: int) -> Callable[[SavedState], bool]:
        """A test for states that belong to ``partition`` as this process held it (or that
        no held partition vouches for): what a lost lease makes worthless."""
        def test(s: SavedState) -> bool:
            if s.upto is None:
                return s.key.pattern != 'bot'
            p, _token = self._uid_part.get(s.upto, (None, None))
            return p is None or p == partition
        return test

    def forget(self, partition: int) -> None:
        """Drop the tickets of a partition this process no longer owns (nothing recorded).
        Their updates may still be in user code: until each comes through
        :meth:`mark_done` it counts as unsettled (see :meth:`settle`)."""
        with self._lock:
            self._tokens.pop(partition, None)
            gone = [t for t in self._tickets.values() if t.partition == partition]
            for t in gone:
                del self._tickets[t.entry.update_id]
                self._unsettled[t.entry.update_id] = partition
        for t in gone:
            t.finished(False)

    def settle(self, partition: int, timeout: float) -> bool:
        """Wait (up to ``timeout``) until no update of ``partition`` handed on under an
        earlier lease is still in user code here; True if none is."""
        deadline = time.monotonic() + timeout
        with self._settled:
            while partition in self._unsettled.values():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._settled.wait(min(left, 0.1))
        return True

    # -- Store ----------------------------------------------------------------------------
    def append(self, updates: Sequence[Mapping[str, Any]]) -> List[int]:
        """Put ``updates`` on their partition streams (one round trip). Returns no id: none
        is for this process to hand on; the workers deliver them."""
        streams = self.streams
        assert streams is not None
        try:
            streams.append([(partition_of(u, self.partitions, self.by), u) for u in updates])
        except Exception as e:
            raise StoreWriteError('Redis did not take %d update(s): %s' % (len(updates), e)
                                  ) from None
        return []

    def mark_done(self, update_ids: Iterable[int], states: Iterable[SavedState] = ()) -> None:
        """Acknowledge the claimed updates among ``update_ids``, each partition's part in one
        fenced script together with the states whose last update came from that partition
        under the same lease (a state staged before its own update's done-mark runs ahead:
        a redelivery it includes is not handed over again, see ``Ledger.consumed``).  The
        bot-wide state (no update) is written on its own.  What a lost lease refuses is not
        recorded: those updates come again from the stream."""
        streams = self.streams
        assert streams is not None
        acks: Dict[int, List[Any]] = {}
        going: Dict[int, Dict[str, Tuple[int, str, str]]] = {}
        bot_state: Optional[str] = None
        with self._lock:
            settled = False
            for uid in update_ids:
                t = self._tickets.pop(uid, None)
                if t is not None:
                    acks.setdefault(t.partition, []).append(t)
                elif self._unsettled.pop(uid, None) is not None:
                    settled = True
            if settled:
                self._settled.notify_all()
            for st in states:
                value = json.dumps([st.upto, st.data], separators=(',', ':'))
                if st.upto is None:
                    if st.key.pattern == 'bot':  # the bot-wide state: no partition owns it
                        bot_state = st.data
                    continue                     # a handler state of no update: not ours
                p, token = self._uid_part.get(st.upto, (None, None))
                if p is None or self._tokens.get(p) != token:
                    # its last update was handed on under a lease this process no longer has:
                    # the state may include handling that was never marked done
                    log.debug('state %s (up to update %d) not written: its partition is not '
                              'held here under the same lease', _field(st.key), st.upto)
                    continue
                going.setdefault(p, {})[_field(st.key)] = (st.upto, token, value)
            tokens = {p: self._tokens.get(p) for p in set(acks) | set(going)}
        written = set()
        try:
            if bot_state is not None:
                self._write_bot_state(bot_state)
            for p in sorted(tokens):
                ts = acks.get(p, [])
                token = ts[0].token if ts else tokens[p]
                sts = going.get(p, {})
                ok = token is not None and streams.ack(
                    token, p, [(t.entry.entry_id, t.entry.update_id) for t in ts],
                    {f: v for f, (_u, _t, v) in sts.items()})
                written.add(p)
                for t in ts:
                    t.finished(ok)
        except Exception as e:
            with self._lock:                    # keep them claimed: the ledger writes again
                for p, ts in acks.items():
                    if p in written:
                        continue
                    for t in ts:
                        if self._tokens.get(p) == t.token:
                            self._tickets.setdefault(t.entry.update_id, t)
                        else:                   # forgotten meanwhile
                            self._unsettled.pop(t.entry.update_id, None)
                            t.finished(False)
                self._settled.notify_all()
            raise StoreWriteError('Redis did not take the done-marks: %s' % e) from None

    # -- bot.state: merged per top-level key -------------------------------------------------
    def _write_bot_state(self, text: str) -> None:
        """Write the keys of ``bot.state`` that changed here since this process last read or
        wrote them (deleted ones: HDEL), never the others: two workers writing different
        keys both keep theirs.  Then, if asked (:func:`~telepot_ng.cluster.botstate.refresh`),
        bring the live ``bot.state`` up to date with Redis, but for keys changed here
        meanwhile."""
        data = json.loads(text)
        with self._lock:
            seen = dict(self._bot_seen)
            live, self._bot_refresh = self._bot_refresh, None
        changed = {k: _dumps(v) for k, v in data.items()}
        changed = {k: v for k, v in changed.items() if seen.get(k) != v}
        removed = [k for k in seen if k not in data]
        key = self.keys.bot_state
        pipe = self.redis.pipeline(transaction=True)
        if changed:
            pipe.hset(key, mapping=changed)
        if removed:
            pipe.hdel(key, *removed)
        if live is not None:
            pipe.hgetall(key)
        try:
            reply = pipe.execute() if (changed or removed or live is not None) else []
        except BaseException:
            if live is not None:
                with self._lock:
                    self._bot_refresh = self._bot_refresh or live
            raise
        with self._lock:
            seen = self._bot_seen
            seen.update(changed)
            for k in removed:
                seen.pop(k, None)
            if live is None:
                return
            remote = {_s(k): _s(v) for k, v in reply[-1].items()}
            try:
                untouched = _dumps(live) == text     # nothing changed here since the snapshot
            except (TypeError, ValueError, RuntimeError):
                untouched = False
            for k in set(remote) | set(seen):
                base, now = seen.get(k), remote.get(k)
                if base == now:
                    continue
                try:
                    mine = _dumps(dict.get(live, k)) if k in live else None
                except (TypeError, ValueError):
                    continue
                if mine != base:
                    continue            # changed here since: this process's write comes next
                if now is None:
                    dict.pop(live, k, None)
                    seen.pop(k, None)
                else:
                    value = json.loads(now)
                    dict.__setitem__(live, k, value)
                    if value.__class__ not in _SCALAR:
                        live._nested = True     # it may change in place from now on
                    seen[k] = now
            if untouched:           # what came from Redis is not a change to write back
                live._saved = _dumps(live)

    def refresh_bot_state(self, state: Any) -> None:
        """Have the next write bring ``state`` (the live ``bot.state``) up to date."""
        with self._lock:
            self._bot_refresh = state

    def _load_bot_state(self, key: StateKey) -> Optional[SavedState]:
        raw = self.redis.hgetall(self.keys.bot_state)
        texts = {_s(k): _s(v) for k, v in raw.items()}
        with self._lock:
            self._bot_seen = dict(texts)
        if not texts:
            return None
        data = {k: json.loads(v) for k, v in texts.items()}
        return SavedState(key, _dumps(data), None)

    def pending(self) -> List[Dict[str, Any]]:
        """Nothing: in a cluster the partition streams' pending lists are redelivered by
        the worker that takes each partition over."""
        return []

    def prune(self, before: float) -> int:
        streams = self.streams
        assert streams is not None
        n = 0
        try:
            for p in range(self.partitions):
                n += streams.prune_done(p, older_than=time.time() - before)
        except Exception as e:
            raise StoreWriteError('pruning failed: %s' % e) from None
        return n

    def load_state(self, key: StateKey) -> Optional[SavedState]:
        streams = self.streams
        assert streams is not None
        backoff, deadline = Backoff(base=0.05, cap=1.0), time.monotonic() + self.read_patience
        while True:     # a handler waits out a short outage rather than fail its update
            try:
                if key.pattern == 'bot':
                    return self._load_bot_state(key)
                raw = streams.load_state(_field(key))
                break
            except Exception as e:
                if time.monotonic() >= deadline:
                    raise StoreError('cannot read state %s: %s' % (_field(key), e)) from None
                time.sleep(backoff.next())
        if raw is None:
            return None
        upto, data = json.loads(raw)
        return SavedState(key, data, upto)

    # -- scheduled events: kept per partition, fired by the partition's owner -------------
    def own(self, partition: int) -> None:
        """This process now serves ``partition`` (it fires the partition's events)."""
        with self._lock:
            self._owned.add(partition)

    def disown(self, partition: int) -> None:
        """This process no longer serves ``partition``."""
        with self._lock:
            self._owned.discard(partition)

    @property
    def owned(self) -> List[int]:
        """The partitions this process serves (their events are its to fire)."""
        with self._lock:
            return sorted(self._owned)

    def set_timer(self, timer: TimerRecord) -> None:
        """Keep a scheduled event with its partition (that of its source chat, see
        :func:`~telepot_ng.cluster.partition.event_partition`)."""
        p = event_partition(json.loads(timer.data), self.partitions)
        k = self.keys
        try:
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(k.timer_data(p), timer.timer_id,
                      json.dumps([timer.due, timer.data], separators=(',', ':')))
            pipe.zadd(k.timer_due(p), {timer.timer_id: timer.due})
            pipe.execute()
        except Exception as e:
            raise StoreWriteError('cannot save timer: %s' % e) from None
        with self._lock:
            self._timer_part[timer.timer_id] = p

    def delete_timer(self, timer_id: str) -> None:
        with self._lock:
            p = self._timer_part.pop(timer_id, None)
        k = self.keys
        try:
            pipe = self.redis.pipeline(transaction=True)
            for q in (range(self.partitions) if p is None else (p,)):
                pipe.hdel(k.timer_data(q), timer_id)
                pipe.zrem(k.timer_due(q), timer_id)
            pipe.execute()
        except Exception as e:
            raise StoreWriteError('cannot delete timer: %s' % e) from None

    def timers(self) -> List[TimerRecord]:
        """The events of the partitions this process serves (none in an ingress)."""
        return self.partition_timers(self.owned)

    def due_timer_ids(self, partitions: Iterable[int], until: float) -> List[str]:
        """Ids of the events of ``partitions`` due by ``until`` (a time.time() timestamp)."""
        parts = list(partitions)
        if not parts:
            return []
        try:
            pipe = self.redis.pipeline(transaction=False)
            for p in parts:
                pipe.zrangebyscore(self.keys.timer_due(p), '-inf', until)
            return [_s(t) for ids in pipe.execute() for t in ids]
        except Exception as e:
            raise StoreError('cannot read timers: %s' % e) from None

    def partition_timers(self, partitions: Iterable[int],
                         ids: Optional[Iterable[str]] = None) -> List[TimerRecord]:
        """The events kept for ``partitions`` (only those among ``ids`` if given), by due
        time.  Ids already deleted are left out."""
        parts = list(partitions)
        want = None if ids is None else set(ids)
        if not parts or want is not None and not want:
            return []
        k = self.keys
        try:
            pipe = self.redis.pipeline(transaction=False)
            for p in parts:
                if want is None:
                    pipe.hgetall(k.timer_data(p))
                else:
                    pipe.hmget(k.timer_data(p), sorted(want))
            replies = pipe.execute()
        except Exception as e:
            raise StoreError('cannot read timers: %s' % e) from None
        out = []
        for p, reply in zip(parts, replies):
            pairs = reply.items() if want is None else zip(sorted(want), reply)
            for tid, raw in pairs:
                if raw is None:
                    continue
                due, data = json.loads(_s(raw))
                tid = _s(tid)
                out.append(TimerRecord(tid, due, data))
                with self._lock:
                    self._timer_part[tid] = p
        return sorted(out, key=lambda t: t.due)

    def may_fire(self, timer_id: str) -> bool:
        """Whether this process fires the event now: it serves the event's partition, and
        the event was not fired or cancelled elsewhere (True when Redis does not answer:
        at least once)."""
        with self._lock:
            p = self._timer_part.get(timer_id)
            if p is not None and p not in self._owned:
                del self._timer_part[timer_id]
                return False
        if p is None:
            return True
        try:
            there = bool(self.redis.hexists(self.keys.timer_data(p), timer_id))
        except Exception:
            return True
        if not there:
            with self._lock:
                self._timer_part.pop(timer_id, None)
        return there

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._buckets is not None:
            self._buckets.close()
        try:
            self.redis.close()
        except Exception:
            pass

"""The ingress side of the cluster: append each update to its partition stream, and let
Telegram consider it delivered only after the append succeeded.

* Webhooks: ``WebhookApp(Ingress(...))`` answers 200 only once the update is in Redis; if
  Redis cannot be reached it answers 503 and Telegram delivers the update again later.
* Polling: :meth:`Ingress.append` is the journal of a polling loop: the offset that confirms
  a batch is sent only after the batch was appended.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from .. import _masking
from ..loop import parse_update
from ._keys import Keys
from .partition import partition_of
from .streams import Streams

__all__ = ['Ingress']

log = _masking.logger(__name__)


class Ingress:
    """Appends updates to the partition streams of one cluster namespace.

    :param redis: a redis-py client.
    :param keys: the namespace.
    :param partitions: number of partitions (must match the namespace's).
    :param by: partition by ``'chat'`` or ``'user'`` (see :mod:`telepot_ng.cluster.partition`).
    """

    def __init__(self, redis: Any, keys: Keys, partitions: int, by: str = 'chat') -> None:
        self.streams = Streams(redis, keys, partitions)
        self.by = by
        self.streams.ensure()

    def append(self, updates: Iterable[Mapping[str, Any]]) -> None:
        """Append a batch in one round trip; raises if Redis did not take all of it."""
        p = self.streams.partitions
        by = self.by
        self.streams.append([(partition_of(u, p, by), u) for u in updates])

    def feed(self, data: Any) -> None:
        """Append one update (a dict, JSON str or bytes): the ``feed`` a :class:`WebhookApp`
        calls.  ValueError for a non-Update (the app answers 400); RuntimeError when Redis
        did not take it (the app answers 503, so Telegram sends it again)."""
        update = parse_update(data)
        try:
            self.append([update])
        except Exception as e:
            raise RuntimeError('the cluster did not take update %d: %s'
                               % (update['update_id'], e)) from None

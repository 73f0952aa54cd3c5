"""telepot_ng.cluster: one bot on many worker processes, partitioned by chat on Redis Streams.

Needs the optional ``redis`` client (``pip install 'telepot-ng[redis]'``) and a Redis 6.2+
server.  Ingress processes append each update to one of P partition streams (by chat, see
:mod:`.partition`); worker processes each own a balanced share of the partitions under a
fenced lease (:mod:`.lease`, :mod:`.membership`), read them in order and acknowledge an
update only when it is finished (:mod:`.streams`).
"""
from __future__ import annotations

from .partition import partition_key, partition_of

__all__ = ['partition_key', 'partition_of']

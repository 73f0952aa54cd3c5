"""Durable stores: what a bot keeps on disk so that a crash or a restart loses nothing.

``DelegatorBot(token, patterns, store='bot.sqlite3')`` (or ``Bot``/``SpeakerBot``) opens a
store with :func:`open_store` and, from then on,

* journals every update before confirming it to Telegram (getUpdates offset, webhook 200),
* marks it done once the code that consumed it has finished with it,
* redelivers, at the next start and before anything new, what was journaled and not done,
* keeps handler states (``self.state``, ``bot.state``), scheduled events (forgotten once
  handled) and the idle deadlines of ``create_open`` handlers (revived after a restart).

The interface (:class:`Store`) is small so other databases can implement it; the default is
:class:`SQLiteStore` (stdlib ``sqlite3``, one file, no server).
"""
from __future__ import annotations

import importlib
import os
from typing import Any, Dict, Tuple

from .base import (DEDUPE_WINDOW, NotAStoreError, SavedState, StateKey, Store, StoreError,
                   StoreLockedError, StoreOpenError, StoreVersionError, StoreWriteError,
                   TimerRecord, IdleRecord)
from .sqlite import SQLiteStore

__all__ = ['open_store', 'Store', 'SQLiteStore', 'StateKey', 'SavedState', 'TimerRecord',
           'IdleRecord',
           'DEDUPE_WINDOW', 'StoreError', 'StoreOpenError', 'NotAStoreError',
           'StoreVersionError', 'StoreLockedError', 'StoreWriteError', 'register_scheme']

# URL scheme -> (module, class); the class is built with ``cls.from_url(url, **options)``
_SCHEMES: Dict[str, Tuple[str, str]] = {
    'redis': ('telepot_ng.cluster.store', 'ClusterStore'),
    'rediss': ('telepot_ng.cluster.store', 'ClusterStore'),
    'unix': ('telepot_ng.cluster.store', 'ClusterStore'),
}


def register_scheme(scheme: str, module: str, cls: str) -> None:
    """Make ``open_store('<scheme>://...')`` build ``module.cls.from_url(url, **options)``."""
    _SCHEMES[scheme.lower()] = (module, cls)


def open_store(target: Any, **options: Any) -> Store:
    """The store ``target`` names: a :class:`Store` is returned as it is; a URL with a
    registered scheme (``redis://host:6379/0``) opens that kind of store; anything else is
    a file path for :class:`SQLiteStore` (``options`` go to the constructor).

    Raises a :class:`StoreError` subclass when the store cannot be used, ``TypeError`` for a
    target that is neither, ``ValueError`` for an unknown URL scheme.
    """
    if isinstance(target, Store):
        if options:
            raise TypeError('options are for a store opened by path or URL, not for %r'
                            % (target,))
        return target
    if isinstance(target, bytes) or not isinstance(target, (str, os.PathLike)):
        raise TypeError('store must be a path, a URL or a Store, not %s' % type(target).__name__)
    text = os.fspath(target)
    if '://' in text:
        scheme = text.split('://', 1)[0].lower()
        where = _SCHEMES.get(scheme)
        if where is None:
            raise ValueError('unknown store URL scheme %r (known: %s; a file path opens an '
                             'SQLite store)' % (scheme, ', '.join(sorted(_SCHEMES))))
        try:
            cls = getattr(importlib.import_module(where[0]), where[1])
        except ImportError as e:
            raise StoreError('%s:// stores are not available: %s' % (scheme, e)) from None
        return cls.from_url(text, **options)
    return SQLiteStore(text, **options)

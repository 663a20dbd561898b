"""Answers cached per query and data version.

The dashboard's numbers change only when the store changes: ``process`` rewrites aggregates
(bumping ``store_versions``), a digest is recorded, the background worker finishes a week's
flags. The data version is those three together, read at most once per ``check_every``
seconds; a response is reused while its query and the data version are the same. Pages whose
flags are still being computed are not cached, so that they fill in as they should.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from pipeline.store.models import Digest, StoreVersion

MAX_ENTRIES = 2048
MAX_BODY = 4 * 1024 * 1024  # large exports are not kept


class ResponseCache:
    def __init__(self, engine: Engine, *, generation: Callable[[], int] = lambda: 0,
                 check_every: float = 1.0, max_entries: int = MAX_ENTRIES) -> None:
        self._engine = engine
        self._generation = generation
        self._check_every = check_every
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, str], tuple[int, bytes, list]] = OrderedDict()
        self._version: Any = None
        self._checked = -1e9

    def version(self) -> Any:
        now = time.monotonic()
        with self._lock:
            if now - self._checked < self._check_every:
                return (self._version, self._generation())
        try:
            with self._engine.connect() as conn:
                aggs = conn.execute(select(StoreVersion.version, StoreVersion.changed_at)
                                    .where(StoreVersion.name == "aggregates")).first()
                digests = conn.execute(select(func.count(), func.max(Digest.rendered_at),
                                              func.max(Digest.sent_at))).first()
        except SQLAlchemyError:
            return None  # the store is unreadable: never cache, let the request fail
        version = (tuple(aggs) if aggs else None, tuple(digests) if digests else None)
        with self._lock:
            if version != self._version:
                self._entries.clear()
            self._version, self._checked = version, now
        return (version, self._generation())

    def get(self, key: tuple[Any, str]) -> tuple[int, bytes, list] | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, str], status: int, body: bytes, headers: list) -> None:
        if len(body) > MAX_BODY:
            return
        with self._lock:
            self._entries[key] = (status, body, headers)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

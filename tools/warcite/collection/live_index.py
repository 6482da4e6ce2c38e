"""The derived index held by a long-running process (``warcite serve``).

A command opens the index once and syncs it with the records (warcite.collection.index.open_index:
every record file stat-checked); a server answering many requests cannot pay that on
each one.  :class:`LiveIndex` syncs on the first call, then in the background when a
request comes more than ``max_age`` seconds after the last sync (that request and those
during the sync are answered from the last one), keeps the collection's catalogue
entries in memory until a sync finds a change, and answers queries (warcite.collection.search)
from a connection of its own between syncs.  A record added or changed on disk is seen
a request or two after ``max_age``; :meth:`LiveIndex.invalidate` makes the next request
sync first (after a capture through the server).  Queries use a read-only
connection opened for each (SQLite's WAL lets them read while a sync writes).

When the index cannot be written (a read-only archive), open_index builds it in memory
for one use: then every call syncs, as a command would.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from warcite.collection.catalog import CatalogEntry
from warcite.collection.index import IndexSync, entries, index_path, open_index

DEFAULT_MAX_AGE = 2.0
"""Seconds a sync of the index with the records is trusted by a server."""


class LiveIndex:
    """The project's index and catalogue for a server (see the module docstring)."""

    def __init__(
        self,
        project_root: Path,
        *,
        max_age: float = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.project_root = project_root
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._synced_at: float | None = None
        self._sync: IndexSync | None = None
        self._entries: list[CatalogEntry] | None = None
        self._forced = False
        self._syncing = False
        self._sync_lock = threading.Lock()

    def invalidate(self) -> None:
        """Make the next call sync the index with the records before it answers."""
        with self._lock:
            self._synced_at = None
            self._forced = True

    def _fresh(self) -> bool:
        return self._synced_at is not None and self._clock() - self._synced_at < self.max_age

    def _sync_now(self) -> IndexSync:
        with open_index(self.project_root) as (connection, sync):
            changed = sync.changed or not index_path(self.project_root).exists()
            fresh = entries(connection) if changed or self._entries is None else self._entries
        # the sync first, the entries last: whoever sees the new entries sees their sync
        self._sync = sync
        self._synced_at = self._clock()
        self._entries = fresh
        return sync

    def _sync_in_background(self) -> None:
        try:
            with self._sync_lock:
                self._sync_now()
        finally:
            self._syncing = False

    def refresh(self) -> IndexSync:
        """The last sync, made now when there is none yet (or after :meth:`invalidate`);
        when it is older than max_age, a new one starts in the background and requests
        are answered from the last one meanwhile."""
        with self._lock:
            forced, self._forced = self._forced, False
            if self._sync is None or forced:
                with self._sync_lock:
                    return self._sync_now()
            if not self._fresh() and not self._syncing:
                self._syncing = True
                threading.Thread(target=self._sync_in_background, daemon=True).start()
            return self._sync

    def entries(self) -> list[CatalogEntry]:
        """Every record's catalogue entry (a list shared between calls: do not change it)."""
        self.refresh()
        assert self._entries is not None
        return self._entries

    @contextmanager
    def connection(self) -> Iterator[tuple[sqlite3.Connection, IndexSync]]:
        """A read-only connection to the synced index, and the sync it reflects."""
        sync = self.refresh()
        path = index_path(self.project_root)
        if not path.exists():  # a read-only project: the index lives in memory, per use
            with open_index(self.project_root) as opened:
                yield opened
            return
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=60)
        try:
            yield connection, sync
        finally:
            connection.close()


__all__ = ["DEFAULT_MAX_AGE", "LiveIndex"]

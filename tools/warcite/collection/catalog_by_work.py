"""The catalogue of a run, looked up by work: a batch's recaptures linked in constant time.

Each page of a batch links a recapture to the earlier captures of its work
(:func:`warcite.collection.lineage.lineage_from_entries`), which scanned every entry of the
collection for every page.  :class:`CatalogueByWork` is the same sequence of entries with
a dictionary from work key to entries beside it; :func:`warcite.collection.catalog.by_work` uses it
when it is given one.

:meth:`CatalogueByWork.from_index` reads, for every record, only the index's catalogue
columns (its keys, WARC, payload digest, method: :class:`CatalogueRow`), and decodes an
entry only when it is asked for (the captures of a work being recaptured): decoding all
100,000 entries of a large collection took seconds at the start of every batch.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, overload

from warcite.collection.catalog import CatalogEntry, entry_from_json, entry_from_record
from warcite.core.errors import WarciteError


class CatalogueRow(NamedTuple):
    """What a batch needs of every record, read from the index's catalogue columns."""

    path: str  # records/<id>.json
    keys: tuple[str, ...]  # the work key and every URL key the record answers to
    warc_path: str | None
    payload_digest: str | None
    method: str | None

    @property
    def id(self) -> str:
        return self.path.removeprefix("records/").removesuffix(".json")


class CatalogueByWork(Sequence[CatalogEntry]):
    """The entries, in order, and ``captures_of(key)``: the entries of one work key."""

    def __init__(self, rows: list[CatalogueRow], index_file: Path) -> None:
        """``rows``: every record's, in order; an entry is read from ``index_file`` (or, when
        it has none, from the record) when asked for."""
        self.rows = rows
        self._entries: list[CatalogEntry | None] = [None] * len(rows)
        self._index_file = index_file
        self._index_keys()

    @classmethod
    def from_index(cls, connection: sqlite3.Connection, index_file: Path) -> CatalogueByWork:
        """Every record's :class:`CatalogueRow` from a synced index (one query of its
        catalogue columns)."""
        rows = [
            CatalogueRow(path, tuple(keys.split("\n")) if keys else (), warc, digest, method)
            for path, keys, warc, digest, method in connection.execute(
                "SELECT path, keys_text, warc_path, payload_digest, method FROM records "
                "WHERE entry IS NOT NULL ORDER BY path"
            )
        ]
        return cls(rows, index_file)

    def _index_keys(self) -> None:
        self._by_key: dict[str, list[int]] = {}
        for number, row in enumerate(self.rows):
            for key in row.keys:
                self._by_key.setdefault(key, []).append(number)

    def _entry(self, number: int) -> CatalogEntry:
        entry = self._entries[number]
        if entry is None:
            entry = self._entries[number] = self._read(self.rows[number].path)
        return entry

    def _read(self, path: str) -> CatalogEntry:
        """The entry of ``path`` as the index holds it (read-only: the batch holds no
        lock on the index while it runs; a sync since only made it more current)."""
        row = None
        with (
            contextlib.suppress(sqlite3.Error),  # an index kept in memory has no file
            contextlib.closing(
                sqlite3.connect(f"file:{self._index_file}?mode=ro", uri=True, timeout=60)
            ) as connection,
        ):
            row = connection.execute(
                "SELECT entry FROM records WHERE path = ? AND entry IS NOT NULL", (path,)
            ).fetchone()
        if row is not None:
            return entry_from_json(row[0])
        # not in the index file: the record itself (the index is derived from it)
        from warcite.core.project import MAX_RECORD_BYTES, read_regular_file
        from warcite.record.common import parse_record_json

        project_root = self._index_file.parent.parent
        raw = read_regular_file(project_root / path, project_root, "record", MAX_RECORD_BYTES)
        record = parse_record_json(raw, path)
        if not isinstance(record, dict):
            raise WarciteError(f"{path} is not a JSON object; run warcite validate")
        return entry_from_record(record, path)

    def captures_of(self, key: str) -> list[CatalogEntry]:
        """The entries whose work key, or one of whose keys, is ``key`` (in order)."""
        return [self._entry(number) for number in self._by_key.get(key, ())]

    @overload
    def __getitem__(self, index: int) -> CatalogEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CatalogEntry]: ...

    def __getitem__(self, index: int | slice) -> CatalogEntry | Sequence[CatalogEntry]:
        if isinstance(index, slice):
            return [self._entry(number) for number in range(len(self.rows))[index]]
        return self._entry(range(len(self.rows))[index])

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[CatalogEntry]:
        return (self._entry(number) for number in range(len(self.rows)))


__all__ = ["CatalogueByWork", "CatalogueRow"]

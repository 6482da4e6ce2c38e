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

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, overload

from warcite.collection.catalog import CatalogEntry, entry_from_json


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

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self._entries: list[CatalogEntry | None] = list(entries)
        self._json: list[str] = []
        self.rows = [
            CatalogueRow(
                entry.path,
                tuple(key for key in dict.fromkeys([entry.work_key, *entry.keys]) if key),
                entry.warc_path,
                entry.payload_digest,
                entry.method,
            )
            for entry in self._entries
            if entry is not None
        ]
        self._index_keys()

    @classmethod
    def from_index(cls, connection: sqlite3.Connection) -> CatalogueByWork:
        """Every record's :class:`CatalogueRow` from a synced index (one query of its
        catalogue columns); the entries themselves are read when asked for."""
        catalogue = cls(())
        found = connection.execute(
            "SELECT path, keys_text, warc_path, payload_digest, method, entry FROM records "
            "WHERE entry IS NOT NULL ORDER BY path"
        )
        catalogue.rows = []
        for path, keys, warc, digest, method, text in found:
            catalogue.rows.append(
                CatalogueRow(path, tuple((keys or "").split("\n")) if keys else (), warc, digest, method)
            )
            catalogue._json.append(text)
        catalogue._entries = [None] * len(catalogue.rows)
        catalogue._index_keys()
        return catalogue

    def _index_keys(self) -> None:
        self._by_key: dict[str, list[int]] = {}
        for number, row in enumerate(self.rows):
            for key in row.keys:
                self._by_key.setdefault(key, []).append(number)

    def _entry(self, number: int) -> CatalogEntry:
        entry = self._entries[number]
        if entry is None:
            entry = self._entries[number] = entry_from_json(self._json[number])
        return entry

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

"""The catalogue of a run, looked up by work: a batch's recaptures linked in constant time.

Each page of a batch links a recapture to the earlier captures of its work
(:func:`warcite.collection.lineage.lineage_from_entries`), which scanned every entry of the
collection for every page.  :class:`CatalogueByWork` is the same sequence of entries with
a dictionary from work key to entries beside it; :func:`warcite.collection.catalog.by_work` uses it
when it is given one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from warcite.collection.catalog import CatalogEntry


class CatalogueByWork(Sequence[CatalogEntry]):
    """The entries, in order, and ``captures_of(key)``: the entries of one work key."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self._entries = list(entries)
        self._by_key: dict[str, list[CatalogEntry]] = {}
        for entry in self._entries:
            keys = dict.fromkeys([*entry.keys, entry.work_key])
            for key in keys:
                if key:
                    self._by_key.setdefault(key, []).append(entry)

    def captures_of(self, key: str) -> list[CatalogEntry]:
        """The entries whose work key, or one of whose keys, is ``key`` (in order)."""
        return list(self._by_key.get(key, ()))

    @overload
    def __getitem__(self, index: int) -> CatalogEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CatalogEntry]: ...

    def __getitem__(self, index: int | slice) -> CatalogEntry | Sequence[CatalogEntry]:
        return self._entries[index]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self._entries)


__all__ = ["CatalogueByWork"]

"""Browsing the collection: the records filtered by author, site and year, sorted, a page
at a time, with the counts a reader filters by (what ``warcite serve``'s collection page
shows).

Entries come from the derived index (warcite.collection.index) like ``warcite list``; the author and
site filters are ``warcite list``'s (warcite.collection.catalog.matches: folded, any recorded name
form); the year is the year the work was published, else the year it was captured.
Fixity (warcite.collection.catalog.fixity_status, a size check of the listed files) is computed for
the shown page only, so a page of a large collection costs as much as a page of a small
one.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from warcite.collection.catalog import (
    CatalogEntry,
    by_work,
    comparable_when,
    fixity_status,
    fold,
    matches,
)
from warcite.collection.index import filtered_entries, open_index
from warcite.core.errors import UsageError
from warcite.core.urls import work_key

SORTS = {
    "captured": "date captured, newest first",
    "captured-asc": "date captured, oldest first",
    "published": "date published, newest first",
    "published-asc": "date published, oldest first",
    "title": "title",
    "author": "first author",
    "site": "site",
}
"""The orders a collection can be sorted in, with how each reads."""

MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class CollectionPage:
    """One page of the filtered, sorted collection, and the facets of the whole selection."""

    entries: tuple[CatalogEntry, ...]  # this page's, each with its fixity now
    total: int  # entries passing the filters
    page: int  # 1-based
    page_size: int
    sites: tuple[tuple[str, int], ...]  # (site, records) over the selection, most first
    authors: tuple[tuple[str, int], ...]  # (first author, records), most first
    years: tuple[tuple[str, int], ...]  # (year, records), newest first

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def entry_year(entry: CatalogEntry) -> str | None:
    """The year a record is filtered by: published, else captured (else ingested)."""
    for value in (entry.published, entry.when):
        if value and len(value) >= 4 and value[:4].isdigit():
            return value[:4]
    return None


_folded = functools.lru_cache(maxsize=1 << 17)(fold)
_when = functools.lru_cache(maxsize=1 << 17)(comparable_when)


def _text_key(value: str | None) -> tuple[int, str]:
    return (0, _folded(value)) if value else (1, "")


def sort_collection(entries: Sequence[CatalogEntry], order: str) -> list[CatalogEntry]:
    """``entries`` in one of the :data:`SORTS` orders (ties by capture date, then id)."""
    if order not in SORTS:
        raise UsageError(f"unknown sort {order!r}; choose one of {', '.join(SORTS)}")
    # by capture date, oldest first, then id (warcite.collection.catalog.sort_entries, with the
    # comparable dates and folded texts of a large collection computed once)
    chronological = sorted(entries, key=lambda entry: (_when(entry.when), entry.id))
    if order == "captured-asc":
        return chronological
    if order == "captured":
        return chronological[::-1]
    if order.startswith("published"):
        dated = [entry for entry in chronological if entry.published]
        undated = [entry for entry in chronological if not entry.published]
        dated.sort(key=lambda entry: entry.published or "", reverse=order == "published")
        return dated + undated
    if order == "title":
        return sorted(chronological, key=lambda entry: _text_key(entry.title))
    if order == "author":
        return sorted(chronological, key=lambda entry: _text_key(entry.first_author))
    return sorted(chronological, key=lambda entry: _text_key(entry.site))


def _counts(values: Sequence[str | None]) -> tuple[tuple[str, int], ...]:
    counted = Counter(value for value in values if value)
    return tuple(sorted(counted.items(), key=lambda item: (-item[1], _folded(item[0]))))


Facets = tuple[
    tuple[tuple[str, int], ...], tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]
]


class Catalogue:
    """A collection's entries with what browsing needs computed once: each entry's year,
    each sort order, the facets of each selection.  A server keeps one for as long as the
    collection does not change, so that a page of 10,000 records is a slice, not a sort."""

    def __init__(self, entries: Sequence[CatalogEntry]) -> None:
        self.source = entries
        self.years = {entry.id: entry_year(entry) for entry in entries}
        self.by_id = {entry.id: entry for entry in entries}
        self._orders: dict[str, list[CatalogEntry]] = {}
        self._facets: dict[tuple[str | None, str | None, str | None], Facets] = {}
        self._works: dict[str, list[CatalogEntry]] = {}
        self._selections: dict[tuple[str | None, str | None], frozenset[str]] = {}

    def captures(self, url: str) -> list[CatalogEntry]:
        """warcite.collection.catalog.by_work over the collection, kept for the next request."""
        key = work_key(url)
        if key not in self._works:
            if len(self._works) > 4096:
                self._works.clear()
            self._works[key] = by_work(self.source, url)
        return self._works[key]

    def selection(
        self, author: str | None, site: str | None, paths: Collection[str] | None = None
    ) -> frozenset[str]:
        """The ids of the entries passing ``warcite list``'s author and site filters
        (warcite.collection.catalog.matches), among ``paths`` when given; kept for the next request."""
        key = (author, site)
        if key not in self._selections:
            if len(self._selections) > 256:
                self._selections.clear()
            self._selections[key] = frozenset(
                entry.id
                for entry in self.source
                if (paths is None or entry.path in paths)
                and matches(entry, site=site, author=author, since=None)
            )
        return self._selections[key]

    def ordered(self, order: str) -> list[CatalogEntry]:
        if order not in self._orders:
            self._orders[order] = sort_collection(self.source, order)
        return self._orders[order]

    def facets(
        self, key: tuple[str | None, str | None, str | None], chosen: Sequence[CatalogEntry]
    ) -> Facets:
        if key not in self._facets:
            if len(self._facets) > 256:
                self._facets.clear()
            years = _counts([self.years.get(entry.id) for entry in chosen])
            self._facets[key] = (
                _counts([entry.site for entry in chosen]),
                _counts([entry.first_author for entry in chosen]),
                tuple(sorted(years, key=lambda item: item[0], reverse=True)),
            )
        return self._facets[key]


def candidate_paths(
    connection: sqlite3.Connection, *, site: str | None = None, author: str | None = None
) -> set[str]:
    """The records (records/<id>.json) that may pass the site and author filters, chosen
    in SQL from the index's folded columns as warcite.collection.index.filtered_entries chooses them
    (without reading their entries); warcite.collection.catalog.matches then decides."""
    rows = connection.execute(
        "SELECT path FROM records WHERE entry IS NOT NULL "
        "AND (?1 IS NULL OR instr(site_folded, ?1) > 0) "
        "AND (?2 IS NULL OR instr(authors_folded, ?2) > 0)",
        (
            fold(site) if site is not None else None,
            fold(author) if author is not None else None,
        ),
    ).fetchall()
    return {row[0] for row in rows}


def collection_page(
    project_root: Path,
    *,
    author: str | None = None,
    site: str | None = None,
    year: str | None = None,
    order: str = "captured",
    page: int = 1,
    page_size: int = 100,
    entries: Sequence[CatalogEntry] | None = None,
    catalogue: Catalogue | None = None,
    paths: Collection[str] | None = None,
) -> CollectionPage:
    """One page of the collection (see the module docstring).

    ``catalogue`` (or ``entries``) is the collection, or a superset of the selection
    (e.g. chosen in SQL by warcite.collection.index.filtered_entries), when the caller holds it; it
    is read from the index otherwise.  ``paths``: only the records at these paths may be
    chosen (:func:`candidate_paths`, a prefilter of the catalogue).  Raises UsageError for an unknown sort, a year that
    is not a year, or a page or page size out of range.
    """
    if page < 1:
        raise UsageError(f"page {page} does not exist: pages are numbered from 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise UsageError(f"page size {page_size} is not between 1 and {MAX_PAGE_SIZE}")
    if year is not None and not (len(year) == 4 and year.isdigit()):
        raise UsageError(f"year {year!r} is not a four-digit year")
    if catalogue is None:
        if entries is None:
            with open_index(project_root) as (connection, _sync):
                entries = filtered_entries(connection, site=site, author=author)
        catalogue = Catalogue(entries)
    ordered = catalogue.ordered(order)
    selected = None if author is None and site is None else catalogue.selection(author, site, paths)
    chosen = [
        entry
        for entry in ordered
        if (year is None or catalogue.years.get(entry.id) == year)
        and (selected is None or entry.id in selected)
    ]
    shown = chosen[(page - 1) * page_size : page * page_size]
    sites, authors, years = catalogue.facets((author, site, year), chosen)
    return CollectionPage(
        entries=tuple(
            dataclasses.replace(entry, fixity=fixity_status(entry, project_root)) for entry in shown
        ),
        total=len(chosen),
        page=page,
        page_size=page_size,
        sites=sites,
        authors=authors,
        years=years,
    )


__all__ = [
    "MAX_PAGE_SIZE",
    "SORTS",
    "Catalogue",
    "CollectionPage",
    "candidate_paths",
    "collection_page",
    "entry_year",
    "sort_collection",
]

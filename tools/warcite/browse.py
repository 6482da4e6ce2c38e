"""Browsing the collection: the records filtered by author, site and year, sorted, a page
at a time, with the counts a reader filters by (what ``warcite serve``'s collection page
shows).

Entries come from the derived index (warcite.index) like ``warcite list``; the author and
site filters are ``warcite list``'s (warcite.catalog.matches: folded, any recorded name
form); the year is the year the work was published, else the year it was captured.
Fixity (warcite.catalog.fixity_status, a size check of the listed files) is computed for
the shown page only, so a page of a large collection costs as much as a page of a small
one.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from warcite.catalog import CatalogEntry, fixity_status, fold, matches, sort_entries
from warcite.errors import UsageError
from warcite.index import filtered_entries, open_index

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


def _text_key(value: str | None) -> tuple[int, str]:
    return (0, fold(value)) if value else (1, "")


def sort_collection(entries: Sequence[CatalogEntry], order: str) -> list[CatalogEntry]:
    """``entries`` in one of the :data:`SORTS` orders (ties by capture date, then id)."""
    if order not in SORTS:
        raise UsageError(f"unknown sort {order!r}; choose one of {', '.join(SORTS)}")
    chronological = sort_entries(entries)  # by capture date, oldest first, then id
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


def select_entries(
    entries: Sequence[CatalogEntry],
    *,
    author: str | None = None,
    site: str | None = None,
    year: str | None = None,
) -> list[CatalogEntry]:
    """The entries passing the filters (author and site as ``warcite list`` reads them)."""
    if year is not None and not (len(year) == 4 and year.isdigit()):
        raise UsageError(f"year {year!r} is not a four-digit year")
    return [
        entry
        for entry in entries
        if matches(entry, site=site, author=author, since=None)
        and (year is None or entry_year(entry) == year)
    ]


def _counts(values: Sequence[str | None]) -> tuple[tuple[str, int], ...]:
    counted = Counter(value for value in values if value)
    return tuple(sorted(counted.items(), key=lambda item: (-item[1], fold(item[0]))))


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
) -> CollectionPage:
    """One page of the collection (see the module docstring).

    ``entries`` is the collection's catalogue when the caller holds it already (it is
    read from the index otherwise).  Raises UsageError for an unknown sort, a year that
    is not a year, or a page or page size out of range.
    """
    if page < 1:
        raise UsageError(f"page {page} does not exist: pages are numbered from 1")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise UsageError(f"page size {page_size} is not between 1 and {MAX_PAGE_SIZE}")
    if entries is None:
        with open_index(project_root) as (connection, _sync):
            entries = filtered_entries(connection, site=site, author=author)
    chosen = sort_collection(select_entries(entries, author=author, site=site, year=year), order)
    shown = chosen[(page - 1) * page_size : page * page_size]
    return CollectionPage(
        entries=tuple(
            dataclasses.replace(entry, fixity=fixity_status(entry, project_root)) for entry in shown
        ),
        total=len(chosen),
        page=page,
        page_size=page_size,
        sites=_counts([entry.site for entry in chosen]),
        authors=_counts([entry.first_author for entry in chosen]),
        years=tuple(
            sorted(_counts([entry_year(entry) for entry in chosen]), key=lambda item: item[0])[::-1]
        ),
    )


__all__ = [
    "MAX_PAGE_SIZE",
    "SORTS",
    "CollectionPage",
    "collection_page",
    "entry_year",
    "select_entries",
    "sort_collection",
]

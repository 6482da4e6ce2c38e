"""``warcite list``: the records as a table or JSON, filtered by site, author and date.

Entries come from the derived index (warcite.collection.index), verified against the records first.
The fixity column is computed now, for each record (see warcite.collection.catalog): the last
``fixity check`` event when the record has one, otherwise a quick size check of its files.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from warcite.collection.catalog import (
    CatalogEntry,
    fold,
    matches,
    normalize_since,
    sort_entries,
)
from warcite.collection.index import IndexSync, edited_in_place, filtered_entries, open_index


def list_records(
    project_root: Path,
    *,
    site: str | None = None,
    author: str | None = None,
    since: str | None = None,
    rebuild: bool = False,
    verify: bool = False,
    full_check: bool = False,
) -> tuple[list[CatalogEntry], IndexSync]:
    """The records passing the filters, by capture date, each with its fixity status now.

    The index is found current by its folder check (warcite.collection.index.CHECKS) and
    the stats of the records listed; when one of them was written in place, or with
    ``full_check``, every record file is stat-ed."""
    since_value = normalize_since(since) if since is not None else None
    for check in ("files",) if full_check else ("folder", "files"):
        with open_index(project_root, rebuild=rebuild, verify=verify, check=check) as (
            connection,
            sync,
        ):
            found = filtered_entries(
                connection, site=site, author=author, since=since_value, fixity_root=project_root
            )
            if sync.check != "folder" or not edited_in_place(
                connection, project_root, (entry.path for entry in found)
            ):
                break
    # the SQL choice is exact for a site or author that folds to some text (a part of
    # the folded values it searched); matches() decides the rest (dates, empty folds)
    site_left = site if site is None or not fold(site) else None
    author_left = author if author is None or not fold(author) else None
    chosen = [
        entry
        for entry in found
        if matches(entry, site=site_left, author=author_left, since=since_value)
    ]
    return sort_entries(chosen), sync


def _width(text: str) -> int:
    """Display columns of ``text`` (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    total = _width(text)
    if total <= width:
        return text + " " * (width - total)
    out, used = [], 0  # cut to width - 1 columns, then the ellipsis
    for character in text:
        columns = 2 if unicodedata.east_asian_width(character) in "WF" else 1
        if used + columns > width - 1:
            break
        out.append(character)
        used += columns
    return "".join(out) + "…" + " " * (width - used - 1)


COLUMNS = (
    ("id", 0),  # as wide as the longest id: ids are never cut
    ("captured", 20),
    ("title", 34),
    ("first author", 18),
    ("site", 20),
    ("fixity", 13),
)


def render_table(entries: Sequence[CatalogEntry]) -> str:
    """A fixed-width table; long values end in ``…``.  ``captured`` is when the content was
    seen on the web; for an import with no such date, the ingest date marked ``(ingest)``."""
    rows = [[name for name, _ in COLUMNS]]
    for entry in entries:
        captured = (
            entry.captured[:19].replace("T", " ")
            if entry.captured
            else f"{(entry.ingested or '?')[:10]} (ingest)"
        )
        rows.append(
            [
                entry.id,
                captured,
                entry.title or "(no title)",
                entry.first_author or "-",
                entry.site or "-",
                entry.fixity,
            ]
        )
    widths = [width for _, width in COLUMNS]
    widths[0] = max(_width(row[0]) for row in rows)
    lines = []
    for row in rows:
        cells = [_cell(value, width) for value, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def render_json(entries: Sequence[CatalogEntry]) -> str:
    return json.dumps([entry.as_dict() for entry in entries], ensure_ascii=False, indent=2)


__all__ = ["COLUMNS", "list_records", "render_json", "render_table"]

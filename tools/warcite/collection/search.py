"""``warcite search``: full-text search over the records' clean texts and metadata.

The query language is deliberately small, and every query is translated into a safe
FTS5 expression (user text never reaches FTS5 syntax unquoted):

* words are all required, in the same paragraph or the same metadata field:
  ``elite defectors``;
* ``"double quotes"`` make a phrase: ``"reign of terror"`` (an unclosed quote runs to the end);
* a trailing ``*`` searches a prefix: ``defect*``;
* a leading ``-`` excludes: ``defectors -diplomats``;
* ``OR`` between two terms accepts either: ``Hyeon OR Hyun``.

Case, diacritics and punctuation are ignored (``In-ae`` finds ``In Ae``).  Names are
searched in every form the record holds (the preferred name, each printed form, family
and given names), so ``In Ae Hyun`` and ``Hyeon`` both find the reference record.

Each hit gives the record, the paragraph number (or the metadata field), a snippet with
the matched words in ``[brackets]``, the APA in-text citation with its pinpoint and the
record's APA reference (warcite.cite).
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcite.collection.catalog import CatalogEntry
from warcite.collection.index import IndexSync, edited_in_place, entries, open_index
from warcite.core.errors import UsageError, WarciteError
from warcite.core.pages import apa_page_pinpoint, page_range_text, printed_page, record_page_map

MAX_QUERY_CHARACTERS = 1000
MAX_TERMS = 64

_TERM = re.compile(r'(-?)"([^"]*)(?:"|$)(\*?)|(\S+)')
_WORD = re.compile(r"[^\W_]+")


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression for a user query (see the module docstring).

    Raises UsageError for an empty query or one with nothing to search for.
    """
    if len(query) > MAX_QUERY_CHARACTERS:
        raise UsageError(
            f"the query is {len(query)} characters long; at most {MAX_QUERY_CHARACTERS} are "
            "searched (shorten it)"
        )
    groups: list[list[str]] = [[]]  # OR-groups, ANDed together
    excluded: list[str] = []
    pending_or = False
    for match in _TERM.finditer(query):
        negative, phrase, phrase_star, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(groups[-1])
                continue
            negative = "-" if bare.startswith("-") and len(bare) > 1 else ""
            text = bare[1:] if negative else bare
            star = text.endswith("*")
        else:
            text, star = phrase, bool(phrase_star)
        words = _WORD.findall(text)
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if star else "")
        if negative:
            excluded.append(term)
            continue
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    groups = [group for group in groups if group]
    if len(groups) + len(excluded) > MAX_TERMS:
        raise UsageError(f"the query has more than {MAX_TERMS} terms; use fewer")
    if not groups:
        raise UsageError(
            f"the query {query!r} has no words to search for"
            + (" (only excluded terms)" if excluded else "")
        )
    expression = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    if excluded:
        expression = f"({expression}) NOT (" + " OR ".join(excluded) + ")"
    return expression


@dataclass(frozen=True)
class SearchHit:
    """One paragraph or metadata field that matches."""

    record: str  # the record's id
    path: str  # records/<id>.json
    field: str  # "text", or title, author, publisher, description, keywords, url
    paragraph: int | None  # 1-based paragraph number for field "text"
    snippet: str
    in_text: str  # APA in-text citation, with "para. N" for a paragraph ("p. N" for a PDF)
    reference: str  # APA reference of the record
    pages: tuple[int, int] | None = None  # a PDF record: the pages the paragraph is on

    def as_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "path": self.path,
            "field": self.field,
            "paragraph": self.paragraph,
            **({"pages": list(self.pages)} if self.pages else {}),
            "snippet": self.snippet,
            "citation": self.in_text,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    fts_query: str
    total: int  # matching paragraphs and fields, all of them
    hits: tuple[SearchHit, ...]  # the best ``limit`` of them
    index: IndexSync

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "fts_query": self.fts_query,
            "total": self.total,
            "hits": [hit.as_dict() for hit in self.hits],
            "index": {
                "path": f"{self.index.path.parent.name}/{self.index.path.name}",
                "records": self.index.records,
                "status": self.index.summary(),
            },
        }


def _citations(entry: CatalogEntry, project_root: Path, config: Any) -> tuple[Any, str, str]:
    """The record's citation source and APA reference (fallbacks when it cannot be cited)."""
    from warcite.cite import citation_source, cite
    from warcite.record.files import load_record

    try:
        record = load_record(project_root / entry.path, project_root)
        source = citation_source(record, config=config)
        return source, cite(record, "apa", config=config), ""
    except WarciteError as error:
        return None, "", f"(cannot cite {entry.id}: {error})"


def _pages_of(path: Path, paragraph: int) -> tuple[int, int] | None:
    """The pages paragraph ``paragraph`` of a PDF record is printed on (None for web pages)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        page_map = record_page_map(record)
    except (OSError, ValueError, WarciteError):
        return None
    if page_map is None or not 1 <= paragraph <= len(page_map):
        return None
    return page_map[paragraph - 1]


def search(
    project_root: Path,
    query: str,
    *,
    limit: int = 20,
    rebuild: bool = False,
    verify: bool = False,
    full_check: bool = False,
    index: tuple[sqlite3.Connection, IndexSync] | None = None,
) -> SearchResults:
    """Search the records; the best ``limit`` hits by BM25 rank (``limit`` 0: count only).

    The index is found current by its folder check (warcite.collection.index.CHECKS) and
    the stats of the records hit; when one of them was written in place, or with
    ``full_check``, every record file is stat-ed.
    ``index``: an index connection the caller holds, already synced (warcite.collection.live_index,
    for a long-running server), used instead of opening and syncing the index."""
    from warcite.cite import apa_in_text

    if limit < 0:
        raise UsageError("--limit cannot be negative")
    expression = fts_query(query)
    for check in ("files",) if full_check or index is not None else ("folder", "files"):
        opened = (
            contextlib.nullcontext(index)
            if index is not None
            else open_index(project_root, rebuild=rebuild, verify=verify, check=check)
        )
        with opened as (connection, sync):
            total = connection.execute(
                "SELECT count(*) FROM passages WHERE passages MATCH ?", (expression,)
            ).fetchone()[0]
            rows = connection.execute(
                "SELECT record, paragraph, field, snippet(passages, 3, '[', ']', '…', 16) "
                "FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?",
                (expression, limit),
            ).fetchall()
            hit = {row[0] for row in rows}
            if sync.check == "folder" and edited_in_place(connection, project_root, hit):
                continue  # a record hit was written in place: check every file
            by_path = {entry.path: entry for entry in entries(connection, hit)}
            break
    from warcite.core.config import load_config

    config = load_config(project_root)
    cited: dict[str, tuple[Any, str, str]] = {}
    hits = []
    for path, paragraph, field, snippet in rows:
        entry = by_path.get(path)
        if entry is None:  # pragma: no cover - the sync keeps both tables together
            continue
        if path not in cited:
            cited[path] = _citations(entry, project_root, config)
        source, reference, problem = cited[path]
        number = int(paragraph) if field == "text" else None
        pages = _pages_of(project_root / path, number) if number and source is not None else None
        pinpoint = f"para. {number}" if number else None
        if pages is not None:  # a PDF record: its page as printed, not its paragraph
            labels = source.page_labels if source is not None else None
            pinpoint = apa_page_pinpoint(
                printed_page(labels, pages[0]), printed_page(labels, pages[1])
            )
        in_text = apa_in_text(source, pinpoint=pinpoint) if source is not None else problem
        hits.append(
            SearchHit(
                record=entry.id,
                path=path,
                field=field,
                paragraph=number,
                snippet=" ".join(snippet.split()),
                in_text=in_text,
                reference=reference or problem,
                pages=pages,
            )
        )
    return SearchResults(query, expression, total, tuple(hits), sync)


def render_results(results: SearchResults) -> str:
    """The hits as text: where, the snippet, the in-text citation and the reference."""
    lines = []
    for hit in results.hits:
        where = f"paragraph {hit.paragraph}" if hit.paragraph else hit.field
        if hit.pages is not None:
            label = "page" if hit.pages[0] == hit.pages[1] else "pages"
            where += f", {label} {page_range_text(*hit.pages)}"
        lines.append(f"{hit.record}  {where}")
        lines.append(f"  {hit.snippet}")
        lines.append(f"  {hit.in_text}")
        if hit.reference:
            lines.append(f"  {hit.reference}")
        lines.append("")
    shown = len(results.hits)
    lines.append(
        f"{results.total} match{'es' if results.total != 1 else ''}"
        + (f", {shown} shown (--limit)" if shown < results.total else "")
    )
    return "\n".join(lines)


__all__ = [
    "MAX_QUERY_CHARACTERS",
    "SearchHit",
    "SearchResults",
    "fts_query",
    "render_results",
    "search",
]

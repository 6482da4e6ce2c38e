"""Pages of paged documents (PDF) in records: the page map, page pinpoints, page selection.

A record of a PDF keeps, in ``text.pages`` (schema 1.2.0), the number of pages and the
pages each paragraph of the clean text is printed on::

    "pages": {"count": 12, "paragraph_pages": [[1], [1], [1, 2], [2], ...]}

one entry per paragraph of the text file, in order: a single page, or the first and the
last page for a paragraph that runs across a page break.  The text file itself stays the
same shape as for web pages (paragraphs separated by one blank line), so quotes, text
fragments and the search index work on it unchanged; the page map is the bridge to
pages.  Everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from warcite.core.errors import CitationError, RecordError
from warcite.core.models import Extraction

PAGE_MEDIA_TYPE = "application/pdf"


def page_map(extraction: Extraction, kept: Sequence[bool] | None = None) -> dict[str, Any] | None:
    """``text.pages`` for an extraction of a paged document, or None for a web page.

    ``kept`` says which of the extraction's paragraphs made it into the text file (an empty
    paragraph is dropped there); by default all of them.
    """
    if extraction.page_count is None:
        return None
    paragraphs = extraction.paragraphs
    flags = list(kept) if kept is not None else [True] * len(paragraphs)
    entries = []
    starts = []
    for paragraph, keep in zip(paragraphs, flags, strict=True):
        if not keep:
            continue
        pages = sorted(set(paragraph.pages)) or [1]
        entries.append([pages[0]] if pages[0] == pages[-1] else [pages[0], pages[-1]])
        for offset, page in paragraph.page_starts:
            starts.append({"paragraph": len(entries), "offset": offset, "page": page})
    if not entries:
        return None
    result: dict[str, Any] = {"count": extraction.page_count, "paragraph_pages": entries}
    if starts:
        result["page_starts"] = starts
    if extraction.page_labels:
        result["labels"] = list(extraction.page_labels)
    return result


def record_page_map(record: Mapping[str, Any]) -> list[tuple[int, int]] | None:
    """(first page, last page) of each paragraph of a record's text, or None when the record
    is not of a paged document.  RecordError when the map is malformed."""
    text = record.get("text")
    pages = text.get("pages") if isinstance(text, Mapping) else None
    if pages is None:
        return None
    where = f"record {record.get('id') or '(no id)'}: $.text.pages"
    if not isinstance(pages, Mapping) or not isinstance(pages.get("paragraph_pages"), list):
        raise RecordError(f"{where} is not a page map ({{count, paragraph_pages}})")
    count = pages.get("count")
    result = []
    for index, entry in enumerate(pages["paragraph_pages"]):
        if (
            not isinstance(entry, list)
            or not entry
            or not all(isinstance(page, int) and page >= 1 for page in entry)
            or (isinstance(count, int) and max(entry) > count)
        ):
            raise RecordError(f"{where}.paragraph_pages[{index}] is not a list of page numbers")
        result.append((min(entry), max(entry)))
    paragraphs = text.get("paragraphs") if isinstance(text, Mapping) else None
    if isinstance(paragraphs, int) and paragraphs != len(result):
        raise RecordError(
            f"{where}.paragraph_pages has {len(result)} entries for {paragraphs} paragraphs"
        )
    return result


def record_page_labels(record: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The printed page numbers of a PDF record (``text.pages.labels``), or None."""
    text = record.get("text")
    pages = text.get("pages") if isinstance(text, Mapping) else None
    labels = pages.get("labels") if isinstance(pages, Mapping) else None
    if isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels):
        return tuple(labels)
    return None


def printed_page(labels: Sequence[str] | None, page: int) -> str:
    """The printed number of page ``page`` (1-based), or the number itself without labels."""
    if labels and 1 <= page <= len(labels):
        return labels[page - 1]
    return str(page)


def page_count(record: Mapping[str, Any]) -> int | None:
    text = record.get("text")
    pages = text.get("pages") if isinstance(text, Mapping) else None
    count = pages.get("count") if isinstance(pages, Mapping) else None
    return count if isinstance(count, int) else None


def record_page_starts(record: Mapping[str, Any]) -> dict[int, list[tuple[int, int]]]:
    """Paragraph number -> [(offset, page), ...] where a page begins inside it (sorted)."""
    text = record.get("text")
    pages = text.get("pages") if isinstance(text, Mapping) else None
    entries = pages.get("page_starts") if isinstance(pages, Mapping) else None
    result: dict[int, list[tuple[int, int]]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and all(
            isinstance(entry.get(key), int) for key in ("paragraph", "offset", "page")
        ):
            result.setdefault(entry["paragraph"], []).append((entry["offset"], entry["page"]))
    return {number: sorted(starts) for number, starts in result.items()}


def page_at(
    page_map: Sequence[tuple[int, int]],
    starts: Mapping[int, Sequence[tuple[int, int]]],
    paragraph: int,
    offset: int,
) -> int:
    """The page of the character at ``offset`` (code points) inside paragraph ``paragraph``."""
    page = page_map[paragraph - 1][0]
    for start, later in starts.get(paragraph, ()):
        if offset >= start:
            page = later
    return page


def quote_pages(
    page_map: Sequence[tuple[int, int]],
    first_paragraph: int,
    last_paragraph: int,
    *,
    starts: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    first_offset: int | None = None,
    last_offset: int | None = None,
) -> tuple[int, int]:
    """The pages a quote from paragraph ``first_paragraph`` to ``last_paragraph`` (1-based)
    is printed on.  With the page starts and the quote's offsets inside its first and last
    paragraph (its first and last character), the exact pages; without them, a quote in a
    paragraph running across a page break is given the paragraph's whole span."""
    if starts is None or first_offset is None or last_offset is None:
        return page_map[first_paragraph - 1][0], page_map[last_paragraph - 1][1]
    return (
        page_at(page_map, starts, first_paragraph, first_offset),
        page_at(page_map, starts, last_paragraph, last_offset),
    )


def page_range_text(first: int | str, last: int | str) -> str:
    """ "3" or "3–4" (an en dash)."""
    return str(first) if str(first) == str(last) else f"{first}\u2013{last}"


def apa_page_pinpoint(first: int | str, last: int | str) -> str:
    """APA 7, 8.13: "p. 3", "pp. 3–4"."""
    return f"p. {first}" if str(first) == str(last) else f"pp. {page_range_text(first, last)}"


def paragraphs_on_pages(
    page_map: Sequence[tuple[int, int]], first: int, last: int | None = None
) -> list[int]:
    """The 1-based numbers of the paragraphs printed (wholly or partly) on pages first-last."""
    last = first if last is None else last
    return [
        number
        for number, (start, end) in enumerate(page_map, start=1)
        if start <= last and end >= first
    ]


def parse_page_range(spec: str) -> tuple[int, int]:
    """ "3" -> (3, 3); "3-5" or "3–5" -> (3, 5).  CitationError otherwise."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*(?:[-\u2013]\s*(\d{1,6}))?\s*", spec)
    if match is None:
        raise CitationError(f"page range {spec!r} is not N or A-B (for example 3-4)")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1 or last < first:
        raise CitationError(f"page range {spec!r} must run forwards from page 1 on")
    return first, last


def select_pages(record: Mapping[str, Any], spec: str) -> list[int]:
    """The numbers of the paragraphs of a PDF record printed on the pages ``spec`` ("3",
    "3-5").  CitationError for a web page's record or a page the document does not have."""
    first, last = parse_page_range(spec)
    page_map = record_page_map(record)
    if page_map is None:
        raise CitationError(
            f"record {record.get('id')} is not of a paged document (PDF): it has paragraphs, "
            "not pages (use --paragraph or --paragraphs)"
        )
    count = page_count(record) or max(end for _start, end in page_map)
    if last > count:
        raise CitationError(f"page {last} does not exist: the document has pages 1-{count}")
    numbers = paragraphs_on_pages(page_map, first, last)
    if not numbers:
        raise CitationError(f"no text is printed on page(s) {spec} (a blank or image page)")
    return numbers


def page_part(record: Mapping[str, Any], number: int, text: str, first: int, last: int) -> str:
    """The part of paragraph ``number`` (its ``text``) printed on pages ``first``-``last``:
    the whole paragraph unless a page begins inside it (``text.pages.page_starts``)."""
    page_map = record_page_map(record) or []
    if not 1 <= number <= len(page_map):
        return text
    segments = [(0, page_map[number - 1][0])]
    segments += record_page_starts(record).get(number, [])
    kept = [
        (start, segments[index + 1][0] if index + 1 < len(segments) else len(text))
        for index, (start, page) in enumerate(segments)
        if first <= page <= last
    ]
    if not kept:
        return text
    return text[kept[0][0] : kept[-1][1]].strip()


__all__ = [
    "PAGE_MEDIA_TYPE",
    "apa_page_pinpoint",
    "page_at",
    "page_count",
    "page_map",
    "page_part",
    "page_range_text",
    "paragraphs_on_pages",
    "parse_page_range",
    "printed_page",
    "quote_pages",
    "record_page_labels",
    "record_page_map",
    "record_page_starts",
    "select_pages",
]

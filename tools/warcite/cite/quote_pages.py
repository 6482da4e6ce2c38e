"""Page pinpoints for quotes from PDF records (the page-aware part of :mod:`warcite.cite.quote`).

A quote found in the clean text of a PDF record is placed on its pages through the
record's page map (``text.pages``, see :mod:`warcite.core.pages`): its pinpoint is "p. 3" or
"pp. 3–4" (and each style's own form), and it links to that page of the archived copy
(``#page=3``, the PDF open-parameters fragment every PDF viewer follows) instead of a Text
Fragment, which browsers do not apply to PDFs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from warcite.cite.documents import page_pinpoints
from warcite.cite.source import CitationSource
from warcite.core.pages import printed_page, quote_pages, record_page_starts

if TYPE_CHECKING:
    from warcite.cite.quote import QuoteMatch

NO_FRAGMENT_FOR_PDF = (
    "the archived copy is a PDF: browsers do not apply text fragments to PDFs; "
    "the page link opens the page"
)


def page_link(source: CitationSource, page: int) -> tuple[str, str]:
    """The link to ``page`` of the archived copy (its replay URL) or, when the archive has no
    replay base, of the original URL; and which of the two it is."""
    if source.archived.url is not None:
        return f"{source.archived.url}#page={page}", "archived copy"
    return (
        f"{source.url}#page={page}",
        "original URL (the archive has no replay base: set replay_base in warcite.toml to link "
        "the archived copy)",
    )


def with_pages(
    match: QuoteMatch,
    source: CitationSource,
    page_map: Sequence[tuple[int, int]],
    record: Mapping[str, Any] | None = None,
    paragraph_starts: Mapping[int, int] | None = None,
) -> QuoteMatch:
    """The match with its pages and page link, and no text fragment.

    With the ``record`` (its page starts) and ``paragraph_starts`` (paragraph number ->
    code-point offset of its first character in the text file), the exact pages of the
    quote's first and last character; else the pages of its paragraphs."""
    if record is not None and paragraph_starts is not None:
        first, last = quote_pages(
            page_map,
            match.paragraph,
            match.paragraph_end,
            starts=record_page_starts(record),
            first_offset=match.start - paragraph_starts[match.paragraph],
            last_offset=max(match.start, match.end - 1) - paragraph_starts[match.paragraph_end],
        )
    else:
        first, last = quote_pages(page_map, match.paragraph, match.paragraph_end)
    link, _target = page_link(source, first)  # links count pages from 1, as viewers do
    printed = (printed_page(source.page_labels, first), printed_page(source.page_labels, last))
    return replace(
        match,
        pages=(first, last),
        printed_pages=printed,
        page_link=link,
        text_fragment_url=None,
        fragment_problem=NO_FRAGMENT_FOR_PDF,
    )


def page_words(first: int | str, last: int | str) -> str:
    return f"page {first}" if str(first) == str(last) else f"pages {first}-{last}"


def document_quote_fields(
    pages: tuple[int, int] | None, link: str | None, printed: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The quote's JSON fields for a PDF record: its pages (counted from 1 in the file), the
    pages as printed, the pinpoint in each style (of the printed pages), the link."""
    if pages is None:
        return {}
    printed = printed or (str(pages[0]), str(pages[1]))
    return {
        "pages": {"first": pages[0], "last": pages[1]},
        "printed_pages": {"first": printed[0], "last": printed[1]},
        "pinpoints": page_pinpoints(*printed),
        "page_link": link,
    }


def page_summary(
    pages: tuple[int, int] | None, link: str | None, printed: tuple[str, str] | None = None
) -> str:
    """One line: the pinpoint in each style and the page link."""
    if pages is None:
        return ""
    forms = page_pinpoints(*(printed or pages))
    return (
        f"{forms['apa']} (APA), {forms['mla']} (MLA), {forms['chicago']} (Chicago); "
        f"page link: {link}"
    )


__all__ = [
    "NO_FRAGMENT_FOR_PDF",
    "document_quote_fields",
    "page_link",
    "page_pinpoints",
    "page_summary",
    "page_words",
    "with_pages",
]

"""Extraction: archived bytes -> clean article text and metadata, each value with its evidence.

``extract`` is a pure function (no network, no printing): bytes plus the HTTP
headers and URL they came with, to an :class:`~warcite.core.models.Extraction`, or an
:class:`~warcite.core.errors.ExtractionError` that says why not.

Modules:
    decode     content-coding and charset -> str
    html       HTML -> the article's blocks (boilerplate removed)
    selectors  XPath expressions and patterns used by html and metadata
    metadata   structured data and visible page -> title, authors, dates, ... with evidence
    names      personal names: parsing, variants, merging
    dates      date strings and URL date tokens -> ISO 8601
    text       plain-text transcripts -> blocks and metadata
    pdf        PDF documents -> paragraphs with their pages (pdf_layout reads, in a child)
    pdf_metadata  a PDF's XMP, information dictionary and first page -> metadata
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from warcite.core.errors import ExtractionError
from warcite.core.models import ArchivedPage, Extraction, Headers
from warcite.core.version import __version__

EXTRACTOR_NAME = "warcite"
EXTRACTOR_VERSION = __version__


def extract(
    body: bytes,
    *,
    headers: Headers = (),
    url: str | None = None,
    media_type: str | None = None,
    max_decoded_bytes: int | None = None,
) -> Extraction:
    """Extract the article from ``body`` (the entity body, content-coding still applied).

    ``headers`` are the HTTP response headers (for Content-Type, Content-Encoding,
    Content-Language); ``media_type`` overrides the Content-Type header (for resource
    records); ``url`` is the page's original URL (for URL date tokens and author slugs);
    ``max_decoded_bytes`` bounds the decoded body (64 MiB unless given: a larger body, or
    a decompression bomb, is an ExtractionError).
    """
    from warcite.core.decode import sniff_body
    from warcite.extract.pdf import extract_pdf_body, is_pdf

    if is_pdf(body, headers=headers, media_type=media_type):  # paged documents: page pinpoints
        return extract_pdf_body(body, headers=headers, url=url, max_bytes=max_decoded_bytes)
    sniffed = sniff_body(body, headers=headers, media_type=media_type, limit=max_decoded_bytes)
    if sniffed.media_type == "text/plain":
        from warcite.extract.text import extract_transcript

        document = sniffed.decoded()
        return extract_transcript(document.text, url=url, headers=headers, charset=document.charset)
    if sniffed.media_type not in ("text/html", "application/xhtml+xml"):
        raise ExtractionError(
            f"cannot extract an article from {sniffed.media_type!r} content"
            + (f" at {url}" if url else "")
            + ": warcite reads HTML and plain-text pages"
        )
    from warcite.extract.html import extract_html
    from warcite.extract.html.streamed import STREAMED_PAGE_BYTES

    # the page is decoded a piece at a time as the parser reads it: never one whole str;
    # a large page is read twice, its tree freed before its text is built (docs/extraction.md)
    return extract_html(
        sniffed.pieces(),
        url=url,
        headers=headers,
        charset=sniffed.charset,
        media_type=sniffed.media_type,
        reread=sniffed.pieces if len(sniffed.body) >= STREAMED_PAGE_BYTES else None,
    )


def extract_page(page: ArchivedPage, *, max_decoded_bytes: int | None = None) -> Extraction:
    """Extract the article from a page record read back from a WARC."""
    media_type = page.content_type if page.record_type == "resource" else None
    try:
        return extract(
            page.body,
            headers=page.headers,
            url=page.url,
            media_type=media_type,
            max_decoded_bytes=max_decoded_bytes,
        )
    except ExtractionError as error:
        raise ExtractionError(f"{page.warc_path} record {page.record_id}: {error}") from error


def extraction_as_dict(extraction: Extraction, *, text: str | None = None) -> dict[str, Any]:
    """The plain JSON form of an Extraction, as ``warcite extract`` prints it.

    ``text`` comes first (paragraphs separated by a blank line; ``text`` given stands in
    for it, for a writer that puts it together itself), then ``paragraphs``
    (``{"text", "kind"}``), then every metadata field with its evidence and candidates.
    """
    result = _as_dict(extraction, text=text)
    result["paragraphs"] = [_paragraph_dict(extraction, p) for p in extraction.paragraphs]
    return result


def _as_dict(extraction: Extraction, *, text: str | None) -> dict[str, Any]:
    """:func:`extraction_as_dict` with the paragraphs left as they are (not made dicts)."""
    result: dict[str, Any] = {"text": extraction.text if text is None else text}
    for field in dataclasses.fields(extraction):
        value = getattr(extraction, field.name)
        result[field.name] = value if field.name == "paragraphs" else _plain(value)
    if extraction.page_count is None:  # a web page: no page fields (they are for PDFs)
        for name in ("page_count", "container_title", "doi", "isbn"):
            if result.get(name) is None:
                result.pop(name, None)
    return result


def _plain(value: Any) -> Any:
    """``value`` as :func:`dataclasses.asdict` makes a field's value plain."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return copy.deepcopy(value)


def _paragraph_dict(extraction: Extraction, paragraph: Any) -> dict[str, Any]:
    result = dataclasses.asdict(paragraph)
    if extraction.page_count is None:
        result.pop("pages", None)
        result.pop("page_starts", None)
    return result


def iter_extraction_json(extraction: Extraction) -> Iterator[str]:
    """``json.dumps(extraction_as_dict(extraction), ensure_ascii=False, indent=2)`` in
    pieces: the text is escaped and given a paragraph at a time, and so are the
    paragraphs, so that a large page's JSON (or its text, or a dict per paragraph) is never
    held whole (see docs/extraction.md, "Memory")."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    data = _as_dict(extraction, text=_TEXT_PLACEHOLDER)
    data["paragraphs"] = _PARAGRAPHS_PLACEHOLDER
    separator = encoder.encode("\n\n")[1:-1]
    for chunk in encoder.iterencode(data):
        if chunk == _ENCODED_TEXT_PLACEHOLDER:
            yield '"'
            for index, paragraph in enumerate(extraction.paragraphs):
                yield (separator if index else "") + encoder.encode(paragraph.text)[1:-1]
            yield '"'
        elif chunk == _ENCODED_PARAGRAPHS_PLACEHOLDER:  # a list at the second level
            if not extraction.paragraphs:
                yield "[]"
                continue
            for index, paragraph in enumerate(extraction.paragraphs):
                item = encoder.encode(_paragraph_dict(extraction, paragraph))
                yield ("[" if not index else ",") + "\n    " + item.replace("\n", "\n    ")
            yield "\n  ]"
        else:
            yield chunk


#: Stand for the text and the paragraphs in the JSON until they are written.
_TEXT_PLACEHOLDER = "\x00warcite:text\x00"
_PARAGRAPHS_PLACEHOLDER = "\x00warcite:paragraphs\x00"
_ENCODED_TEXT_PLACEHOLDER = json.dumps(_TEXT_PLACEHOLDER, ensure_ascii=False)
_ENCODED_PARAGRAPHS_PLACEHOLDER = json.dumps(_PARAGRAPHS_PLACEHOLDER, ensure_ascii=False)


__all__ = [
    "EXTRACTOR_NAME",
    "EXTRACTOR_VERSION",
    "extract",
    "extract_page",
    "extraction_as_dict",
    "iter_extraction_json",
]

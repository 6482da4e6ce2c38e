"""The plain values passed between warcite's stages.

capture  ->  CaptureResult (a WARC on disk)
warc     ->  ArchivedPage  (one record's bytes and headers, read back)
extract  ->  Extraction    (clean paragraphs + metadata, each value with evidence)
record   ->  a JSON record (a plain ``dict``, validated against schemas/record/)
cite     ->  strings

Everything here is a frozen dataclass: a stage never mutates what it was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

Headers = Sequence[tuple[str, str]]
"""HTTP headers as (name, value) pairs, in order, repeats kept."""

# --------------------------------------------------------------------------- capture


@dataclass(frozen=True)
class Memento:
    """A Memento (RFC 7089) seen in a capture: the original resource and when it was archived."""

    original_uri: str  # URI-R
    datetime: str  # ISO 8601, UTC, e.g. "2016-08-30T01:02:03Z"
    source: str  # "memento-datetime-header" or "wayback-url"


@dataclass(frozen=True)
class RevisitTarget:
    """An earlier capture of an identical payload: what a capture's ``dedupe`` lookup returns.

    The capture then writes a WARC 1.1 ``revisit`` record (profile identical-payload-digest)
    that refers to it instead of storing the payload again.
    """

    refers_to_uri: str  # WARC-Refers-To-Target-URI: the earlier record's WARC-Target-URI
    refers_to_date: str  # WARC-Refers-To-Date: its WARC-Date, e.g. "2026-11-26T12:00:00Z"
    refers_to_record_id: str  # WARC-Refers-To: its WARC-Record-ID, "<urn:uuid:...>"


@dataclass(frozen=True)
class WarcRecordInfo:
    """Where one record sits in a WARC file, and what it is."""

    record_id: str  # "<urn:uuid:...>", exactly as in WARC-Record-ID
    record_type: str  # warcinfo, request, response, resource, metadata, ...
    target_uri: str | None
    date: str  # WARC-Date as written
    offset: int  # byte offset of the record's (gzip member's) start in the file
    length: int  # bytes the record occupies in the file (compressed, if gzipped)
    content_type: str | None
    payload_digest: str | None  # labelled, as in WARC-Payload-Digest
    block_digest: str | None


@dataclass(frozen=True)
class CaptureResult:
    """What ``capture`` or an import wrote."""

    path: Path
    method: str  # http-capture, import-html, import-transcript, import-warc, import-memento
    records: tuple[WarcRecordInfo, ...]
    main_record_id: str  # the page's response/resource record
    target_uri: str  # what was asked for (for a transcript: the original URL)
    final_uri: str  # after redirects
    status: int | None  # final HTTP status; None for imports of files
    content_type: str | None
    truncated: str | None  # None, "length" or "time"
    memento: Memento | None
    started_at: datetime
    user_agent: str | None
    redirects: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchivedPage:
    """One page record read back out of a WARC: the bytes extraction works from."""

    warc_path: Path
    record_id: str
    record_type: str  # response or resource
    target_uri: str  # WARC-Target-URI as written (may be urn:transcript:...)
    url: str | None  # the page's original http(s) URL, when known
    warc_date: str  # WARC-Date
    offset: int
    length: int
    http_status: int | None
    headers: tuple[tuple[str, str], ...]  # HTTP response headers (empty for resource records)
    content_type: str | None  # media type with parameters, as declared
    body: bytes  # entity body: transfer-coding removed, content-coding kept
    payload_digest: str | None  # as written in WARC-Payload-Digest
    method: str  # the capture method, from warcinfo/metadata (http-capture, import-transcript, ...)
    memento: Memento | None = None
    source_metadata: tuple[tuple[str, str], ...] = ()  # fields of the metadata record about it
    truncated: str | None = None


# --------------------------------------------------------------------------- extract


@dataclass(frozen=True)
class Evidence:
    """One candidate value for a metadata field, and where it was found.

    ``source`` names the place: "json-ld", "meta:og:title", "meta:author", "microdata",
    "html:title", "html:h1", "time", "byline", "dateline", "bio", "url", "text:heading",
    "http:content-language", "html:lang", "detection", ...
    ``raw`` is the text exactly as found there.  ``note`` explains an interpretation
    (for example how an ambiguous numeric date was read).
    """

    value: str
    source: str
    raw: str
    note: str | None = None


@dataclass(frozen=True)
class Field:
    """A metadata field: the chosen value, its evidence, and every candidate seen (for audit).

    ``candidates`` lists every candidate found, the chosen one included, in
    precedence order (see docs in warcite.extract for the precedence).
    """

    value: str
    source: str
    raw: str
    note: str | None = None
    candidates: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Affiliation:
    name: str
    alternate_name: str | None = None  # e.g. an acronym: "KINU"
    role: str | None = None  # e.g. "Visiting Research Fellow"
    source: str = "bio"
    raw: str = ""


@dataclass(frozen=True)
class Person:
    """An author.  ``name`` is the preferred printed form (the author's own bio's, when known).

    ``name_order`` is "family-first" (e.g. Korean "Hyeon In-ae"), "given-first", or
    "single" (a mononym or an organisation as author: then ``family`` and ``given`` are None
    and ``kind`` says which).
    """

    name: str
    family: str | None
    given: str | None
    name_order: str
    forms: tuple[str, ...] = ()  # every printed form found, preferred first
    affiliations: tuple[Affiliation, ...] = ()
    bio: str | None = None
    sources: tuple[str, ...] = ()  # evidence sources that named this person
    kind: str = "person"  # "person" or "organization"
    particle: str | None = None  # "van", "de", ... (non-dropping particle, kept with family)
    suffix: str | None = None  # "Jr.", "III"
    name_note: str | None = None  # how an open family/given split was settled (surnames.py)


@dataclass(frozen=True, slots=True)  # a large page has hundreds of thousands
class Paragraph:
    text: str
    kind: str  # paragraph, heading, list-item, quote, preformatted
    pages: tuple[int, ...] = ()  # the pages it is printed on (paged documents: PDF)
    page_starts: tuple[tuple[int, int], ...] = ()  # (offset in text, page): a page begins


PARAGRAPH_KINDS = ("paragraph", "heading", "list-item", "quote", "preformatted")


@dataclass(frozen=True)
class Extraction:
    """The clean article text and its metadata, extracted from archived bytes."""

    paragraphs: tuple[Paragraph, ...]
    title: Field | None = None
    authors: tuple[Person, ...] = ()
    published: Field | None = None  # value: ISO 8601 date, or date-time with zone
    modified: Field | None = None
    publisher: Field | None = None
    section: Field | None = None
    genre: Field | None = None  # e.g. "Op-ed", from OpinionNewsArticle, section names, ...
    language: Field | None = None  # BCP 47
    description: Field | None = None
    keywords: tuple[str, ...] = ()
    canonical_url: Field | None = None
    url: str | None = None
    media_type: str = "text/html"
    charset: str | None = None
    extractor: str = "warcite"
    extractor_version: str = ""
    warnings: tuple[str, ...] = field(default=())
    page_count: int | None = None  # paged documents (PDF): the number of pages
    page_labels: tuple[str, ...] | None = None  # the pages' printed numbers, when not 1..N
    container_title: str | None = None  # e.g. the journal a PDF article was printed in
    doi: Field | None = None  # a DOI printed in or declared by the document
    isbn: Field | None = None  # an ISBN printed in the document (ISBN-13 form)

    @property
    def text(self) -> str:
        """Paragraphs separated by one blank line (no trailing newline)."""
        return "\n\n".join(p.text for p in self.paragraphs)

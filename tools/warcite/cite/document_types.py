"""What a document (a PDF record) is cited as: its CSL type, from the genre extraction found.

Kept apart from :mod:`warcite.cite.documents` (the styles) so that
:mod:`warcite.cite.source` can read the type without importing the styles.
"""

from __future__ import annotations

DOCUMENT_TYPES = ("report", "article-journal", "document")
"""The CSL types of documents: what a PDF record is cited as."""

REPORT_GENRES = frozenset(
    {"report", "working paper", "discussion paper", "policy brief", "technical report"}
)
"""Genres (as PDF extraction names them) cited as CSL ``report``."""

JOURNAL_GENRES = frozenset({"journal article"})
"""Genres cited as CSL ``article-journal``."""

DOCUMENT_MEDIA_TYPES = frozenset({"application/pdf", "application/x-pdf"})


def document_type(genre: str | None) -> str:
    """The CSL type of a document of ``genre``: report, article-journal or document."""
    folded = (genre or "").casefold()
    if folded in REPORT_GENRES:
        return "report"
    if folded in JOURNAL_GENRES:
        return "article-journal"
    return "document"


def is_document_record(capture: object, text: object) -> bool:
    """A record of a paged document: its text has a page map, or its copy is a PDF."""
    if isinstance(text, dict) and isinstance(text.get("pages"), dict):
        return True
    content_type = capture.get("content_type") if isinstance(capture, dict) else None
    if isinstance(content_type, str):
        return content_type.split(";", 1)[0].strip().lower() in DOCUMENT_MEDIA_TYPES
    return False


__all__ = [
    "DOCUMENT_MEDIA_TYPES",
    "DOCUMENT_TYPES",
    "JOURNAL_GENRES",
    "REPORT_GENRES",
    "document_type",
    "is_document_record",
]

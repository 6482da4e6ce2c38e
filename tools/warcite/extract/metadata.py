"""Metadata with evidence: structured data first, then the visible page.

(Skeleton: the interface html.py and text.py rely on. Filled in by the metadata work.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import html as lxml_html

from warcite.models import Field, Paragraph, Person

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Metadata:
    """Everything extraction knows about a page except its text."""

    title: Field | None = None
    authors: tuple[Person, ...] = ()
    published: Field | None = None
    modified: Field | None = None
    publisher: Field | None = None
    section: Field | None = None
    genre: Field | None = None
    language: Field | None = None
    description: Field | None = None
    keywords: tuple[str, ...] = ()
    canonical_url: Field | None = None


def extract_html_metadata(
    root: lxml_html.HtmlElement, *, url: str | None, headers: Headers
) -> Metadata:
    """Read metadata from a parsed HTML page.  Must not modify ``root``."""
    return Metadata()


def complete_metadata(
    metadata: Metadata, *, paragraphs: Sequence[Paragraph], url: str | None, headers: Headers
) -> Metadata:
    """Fill what only the article text can tell (language detection as the last resort)."""
    return metadata

"""Metadata with evidence: structured data first, then the visible page.

Every value is a :class:`~warcite.core.models.Field` holding the chosen value, where it was found
(``source``), the text as found (``raw``), a ``note`` when reading it took a decision, and
*every* candidate seen, in precedence order, for audit.  The chosen value is the first valid
candidate in this order.

Precedence, per field (first wins; all are kept in ``candidates``)
-------------------------------------------------------------------
structured data (what the publisher states for machines), then the visible page:

``title``
    JSON-LD ``headline``/``name`` of the article node; ``og:title``; ``citation_title``;
    ``dc.title``; ``twitter:title``; ``parsely-title``; ``sailthru.title``; microdata
    ``headline``; the page's ``<h1>``; ``<title>``.  Site-name prefixes and suffixes
    (" | Site", " - Site", "Site: ...") are removed when the site name (or the URL's host) is
    known.  Exception: the visible headline (``<h1>``) comes first when it *agrees* with a
    stated title (the same text, or sharing a quarter of its words: the headline reworded
    for search engines), unless it is set in capitals, is the site's name, or holds a stated
    title plus page furniture (a date, a count) -- then the stated title stands.
``authors``
    JSON-LD ``author``/``creator``; ``<meta name=author>``, ``article:author``,
    ``dc.creator``, ``citation_author(s)``, ``parsely-author``, ``sailthru.author``,
    twitter's "Written by" (or another "... by" credit of an author: "Interview by");
    microdata ``author``; ``rel=author`` links, byline elements, "By ..." lines and links to
    author pages on the same site (several in one byline container are co-authors);
    unlabelled bylines beside the displayed date just under the headline (one line of cells,
    "Jane Doe | Senior Writer | July 2, 2025", or a name right before the date); author
    bios; URL slugs.  The first of these *groups* that names a person decides who the authors
    are (a group naming only organisations yields to a later one naming people; links to
    author pages naming all of its people and more -- co-authors the structured data left
    out -- decide instead); later groups add printed forms, bios and affiliations to those
    people (see :func:`warcite.extract.names.merge_people`).  URL slugs only ever support.
    Organisations named beside people are dropped.
``published`` / ``modified``
    JSON-LD ``datePublished``/``dateModified`` (``dateCreated`` after them);
    ``article:published_time``/``modified_time`` and ``og:updated_time``; ``citation_*date``;
    Dublin Core (``dcterms.issued``, ``dc.date``...); parsely, sailthru and other named meta
    dates; microdata; ``<time datetime>`` (``pubdate`` first); visible dates in date
    elements and around the headline; URL tokens (``/2016/08/29/``, ``20160829``, and
    six-digit ``-160829-`` last and weakest).  Numeric dates are read with the page's locale
    or, better, another date on the page that settles them (recorded in ``note``).  Checks,
    each recorded in ``note``: a date the page *prints* as its publication date ("Published
    ...", or a bare date right under the headline) outranks machine data that disagrees by
    more than a day; a publication date more than a week after the last modification is
    passed over; a UTC time on the day after the URL's date folder is that folder's day in
    the publisher's calendar.  With no publication date at all, the last-modified date is
    used and the note says so.
``publisher``
    JSON-LD ``publisher``, then a ``WebSite`` node's name; ``og:site_name``;
    ``citation_publisher``/``citation_journal_title``; ``dc.publisher``;
    ``application-name``; microdata ``publisher``; a ``<title>`` segment matching the URL's
    host; the host name.
``section``, ``genre``
    JSON-LD ``articleSection``/``genre`` and ``@type`` (OpinionNewsArticle -> "Op-ed");
    ``article:section``, ``parsely-section``; the last crumb of a JSON-LD BreadcrumbList;
    genres from section labels ("Op Eds", "Op-Ed" -> "Op-ed"; "Opinion", "Commentary").
``language``
    ``<html lang>``; ``Content-Language`` (HTTP, then ``http-equiv``); JSON-LD
    ``inLanguage``; ``dc.language``/``citation_language``; ``og:locale``; detection from
    the article text (:mod:`warcite.extract.language`) as the last resort.
``description``, ``keywords``, ``canonical_url``
    JSON-LD, OpenGraph, ``<meta name=description|keywords|news_keywords>``,
    ``article:tag``, Dublin Core, citation, parsely and sailthru tags; ``rel=canonical``,
    ``og:url``, JSON-LD ``url``/``mainEntityOfPage``.

The sentence-case form of a title (for APA) is made where it is used, from the title and the
article text: :func:`warcite.cite.titles.sentence_case`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from warcite.core.models import Evidence, Field, Headers, Paragraph
from warcite.extract.language import DETECTION_SAMPLE_CHARS, detect_language
from warcite.extract.metadata.classification import (
    genre_from_label,
    read_classification,
    read_description_keywords_and_links,
)
from warcite.extract.metadata.common import (  # noqa: F401
    AUTHOR_LINK_SOURCES,
    BYLINE_MAX_CHARS,
    BYLINE_WINDOW_AFTER,
    BYLINE_WINDOW_BEFORE,
    CO_AUTHOR_DISTANCE,
    DATE_CONTEXT_DEPTH,
    DATED_BYLINE_MAX_CHARS,
    DATED_BYLINE_WINDOW,
    DISPLAYED_DATE_OFFSET,
    HEADLINE_MIN_SHARED,
    JSON_LD_MAX_DEPTH,
    MAX_KEYWORDS,
    NUMERIC_CONVENTION_MAX_CHARS,
    PUBLISHED_AFTER_MODIFIED_DAYS,
    Candidates,
    Metadata,
    fold,
    header_value,
    host_label,
    normalize_language,
    normalize_text,
)
from warcite.extract.metadata.jsonld import read_json_ld
from warcite.extract.metadata.people import read_authors
from warcite.extract.metadata.published import note_agreement, read_dates
from warcite.extract.metadata.reader import (  # noqa: F401
    PageReader,
    Root,
    body_text_nodes,
    dates_removed,
    read_meta_tags,
    scan_page,
)
from warcite.extract.metadata.site import read_language, read_publisher
from warcite.extract.metadata.title import clean_title, read_title


def extract_html_metadata(root: Root, *, url: str | None, headers: Headers) -> Metadata:
    """Read metadata from a parsed HTML page (lxml's tree, or the
    :class:`~warcite.extract.compact.CompactDocument` of a large page).  Must not modify
    ``root``.

    See the module docstring for the precedence of sources per field.
    """
    page = PageReader(
        root=root,
        url=url,
        headers=headers,
        meta=read_meta_tags(root),
        json_ld=read_json_ld(root),
        scan=scan_page(root),
    )
    language = read_language(page)  # first: it decides how numeric dates are read
    read_publisher(page)  # then: the site's name cleans titles and tells organisations apart
    title = read_title(page)
    authors = read_authors(page)
    published, modified = read_dates(page, title)
    read_classification(page, title)
    read_description_keywords_and_links(page)
    candidates = page.candidates
    return Metadata(
        title=title,
        authors=authors,
        published=published,
        modified=modified,
        publisher=candidates.field("publisher"),
        section=candidates.field("section"),
        genre=candidates.field("genre"),
        language=language,
        description=candidates.field("description"),
        keywords=tuple(candidates.keywords[:MAX_KEYWORDS]),
        canonical_url=candidates.field("canonical_url"),
    )


def complete_metadata(
    metadata: Metadata, *, paragraphs: Sequence[Paragraph], url: str | None, headers: Headers
) -> Metadata:
    """Fill what only the article text can tell (language detection as the last resort)."""
    if metadata.language is not None:
        return metadata
    # only the text detection reads: the first paragraphs, not the whole of a large page
    leading: list[str] = []
    length = -1  # of "\n".join(leading)
    for paragraph in paragraphs:
        leading.append(paragraph.text)
        length += 1 + len(paragraph.text)
        if length >= DETECTION_SAMPLE_CHARS:
            break
    detection = detect_language("\n".join(leading))
    if detection is None:
        return metadata
    evidence = Evidence(detection.language, "detection", detection.language, detection.evidence)
    return replace(
        metadata,
        language=Field(
            detection.language, "detection", detection.language, detection.evidence, (evidence,)
        ),
    )


__all__ = [
    "Candidates",
    "Metadata",
    "clean_title",
    "complete_metadata",
    "extract_html_metadata",
    "fold",
    "genre_from_label",
    "host_label",
    "normalize_language",
    "normalize_text",
    "note_agreement",
]

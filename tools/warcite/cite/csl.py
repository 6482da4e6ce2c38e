"""CSL-JSON: the item reference managers and citeproc processors read (Zotero, pandoc).

The item follows the CSL data schema (schemas/vendor/csl-data.json): type
``webpage`` or ``article-newspaper`` (:func:`csl_type`), names as ``{family, given}`` (particles as ``non-dropping-particle``) or
``{literal}``, dates as ``date-parts``, ``accessed`` the day the page was seen on the web
(never invented for an imported copy), ``archive`` the archive's name and ``archive_location`` the copy's locator.
"""

from __future__ import annotations

import json
from typing import Any

from warcite.cite.source import CitationSource, Name
from warcite.cite.titles import short_title


def csl_name(name: Name, name_order: str = "style") -> dict[str, Any]:
    """A CSL name object."""
    if name.literal is not None:
        return {"literal": name.literal}
    item: dict[str, Any] = {"family": name.family or ""}
    if name.given:
        item["given"] = name.given
    if name.particle and not (name.family or "").lower().startswith(name.particle.lower() + " "):
        item["non-dropping-particle"] = name.particle
    if name.suffix:
        item["suffix"] = name.suffix
    if name_order == "family-first" and name.name_order == "family-first":
        item["static-ordering"] = True
    return item


def csl_type(source: CitationSource) -> str:
    """ "article-newspaper" for an article of a news or opinion periodical (the record's
    genre says so), "webpage" otherwise: the same evidence as RIS NEWS/ELEC."""
    if source.document_type is not None:  # a PDF: report, article-journal or document
        return source.document_type
    return "article-newspaper" if source.periodical else "webpage"


def csl_data(source: CitationSource, *, name_order: str = "style") -> dict[str, Any]:
    """The CSL-JSON item (a dict) for the archived copy of the work.

    The site is ``container-title`` only: ``publisher`` is given only when it differs
    from the site, else every official style prints it twice ("OpEdNews, OpEdNews").
    ``accessed`` only when the page was seen on the web (``capture.observed_at``); an
    imported copy has none.  ``archive`` and ``archive_location`` name the archived copy.
    """
    item: dict[str, Any] = {"id": source.id or source.record_id, "type": csl_type(source)}
    if source.genre:
        item["genre"] = source.genre
    # CSL's convention (CSL 1.0.2, "text-case"; Zotero): titles are stored in sentence
    # case, and styles that want title case (MLA, Chicago) convert English titles; the
    # reverse conversion cannot be done by a processor.
    item["title"] = source.title_sentence_case
    short = short_title(source.title_sentence_case)
    if short != source.title_sentence_case:
        item["title-short"] = short
    if source.authors:
        item["author"] = [csl_name(author, name_order) for author in source.authors]
    if source.issued is not None:
        item["issued"] = {"date-parts": [source.issued.parts]}
    if source.container_title:
        item["container-title"] = source.container_title
    if source.publisher and (
        not source.container_title
        or source.publisher.casefold() != source.container_title.casefold()
    ):
        item["publisher"] = source.publisher
    if source.document_type is not None:
        document_fields(item, source)
    item["URL"] = source.url
    if source.accessed is not None:
        item["accessed"] = {"date-parts": [source.accessed.parts]}
    if source.language:
        item["language"] = source.language
    item["archive"] = source.archived.archive_name
    item["archive_location"] = source.archived.locator
    return item


def document_fields(item: dict[str, Any], source: CitationSource) -> None:
    """A document's fields: the journal only for an article (a report's or document's
    container is no site), its publisher even when it is the author (APA 10.4 leaves it
    out, the processor decides), DOI, ISBN and its number of pages."""
    if source.document_type != "article-journal":
        item.pop("container-title", None)
    else:  # the type says it: a genre "Journal article" would be printed as a description
        item.pop("genre", None)
    if source.publisher:
        item["publisher"] = source.publisher
    if source.doi:
        item["DOI"] = source.doi
    if source.isbn:
        item["ISBN"] = source.isbn
    if source.page_count:
        item["number-of-pages"] = str(source.page_count)


def csl_json(source: CitationSource, *, name_order: str = "style") -> str:
    """The CSL-JSON item as JSON text: a one-item array, as Zotero and pandoc import it."""
    return json.dumps([csl_data(source, name_order=name_order)], ensure_ascii=False, indent=2)


__all__ = ["csl_data", "csl_json", "csl_name", "csl_type", "document_fields"]

"""Citations of archived records: record -> citation strings, one function per style.

::

    source = citation_source(record, config=config)   # the only reader of the record JSON
    apa(source), mla(source), chicago_note(source), chicago_short_note(source),
    chicago_bib(source), chicago_author_date(source), bibtex(source), biblatex(source), ris(source), csl_json(source),
    robust_link(source)

or all in one call: ``cite(record, "apa", config=config, markup=Markup.MARKDOWN)``.
:func:`csl_item` gives the CSL-JSON item stored as a record's ``citation``.
Everything here is pure: records in, strings out; errors are
:class:`~warcite.core.errors.CitationError` (a style or option that does not exist) or
:class:`~warcite.core.errors.RecordError` (a record lacking what a citation needs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from warcite.cite.author_date import chicago_author_date, chicago_author_date_in_text
from warcite.cite.csl import csl_data, csl_json
from warcite.cite.documents import document_citation, pinpointed_citation
from warcite.cite.markup import Markup
from warcite.cite.names import NAME_ORDERS
from warcite.cite.ris import ris
from warcite.cite.robust import robust_link
from warcite.cite.source import ArchivedCopy, CitationSource, Name, PartialDate, citation_source
from warcite.cite.styles import (
    apa,
    apa_in_text,
    chicago_bib,
    chicago_note,
    chicago_short_note,
    mla,
)
from warcite.cite.tex import biblatex, bibtex
from warcite.core.citation_styles import STYLES
from warcite.core.config import Config, load_config
from warcite.core.errors import CitationError

MARKUPS = tuple(markup.value for markup in Markup)


def format_citation(
    source: CitationSource,
    style: str,
    *,
    markup: Markup | str = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = None,
    pinpoint: str | None = None,
) -> str:
    """The citation of ``source`` in ``style`` (one of :data:`STYLES`).

    ``pinpoint`` ("3", "3-4") cites a page or page range of a document, a paragraph of a
    web page: APA and MLA then give their parenthetical citation, Chicago notes the note
    with it (:func:`warcite.cite.documents.pinpointed_citation`).

    ``markup`` marks italics in the prose styles (the data formats ignore it);
    ``name_order`` is "style" or "family-first" (see warcite.cite.names);
    ``note_number`` numbers Chicago notes (default: "1." for a full note, none for a
    short note).
    """
    try:
        chosen = Markup(markup)
    except ValueError:
        raise CitationError(
            f"unknown markup {markup!r}; choose one of {', '.join(MARKUPS)}"
        ) from None
    if name_order not in NAME_ORDERS:
        raise CitationError(
            f"unknown name order {name_order!r}; choose one of {', '.join(NAME_ORDERS)}"
        )
    if pinpoint is not None:
        return pinpointed_citation(
            source, style, pinpoint, markup=chosen, name_order=name_order, note_number=note_number
        )
    if source.document_type is not None:  # a PDF: report, journal article or document
        cited = document_citation(
            source, style, markup=chosen, name_order=name_order, note_number=note_number
        )
        if cited is not None:
            return cited
    prose: dict[str, Callable[..., str]] = {
        "apa": apa,
        "mla": mla,
        "chicago-bib": chicago_bib,
        "chicago-author-date": chicago_author_date,
    }
    if style in prose:
        return prose[style](source, markup=chosen, name_order=name_order)
    if style == "chicago-note":
        number = 1 if note_number is None else note_number
        return chicago_note(source, markup=chosen, name_order=name_order, note_number=number)
    if style == "chicago-short-note":
        return chicago_short_note(
            source, markup=chosen, name_order=name_order, note_number=note_number
        )
    if style == "bibtex":
        return bibtex(source)
    if style == "biblatex":
        return biblatex(source)
    if style == "ris":
        return ris(source)
    if style == "csl-json":
        return csl_json(source, name_order=name_order)
    if style == "robust-link":
        return robust_link(source)
    raise CitationError(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")


def cite(
    record: Mapping[str, Any],
    style: str = "apa",
    *,
    config: Config,
    markup: Markup | str = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = None,
    text: str | None = None,
    pinpoint: str | None = None,
) -> str:
    """The citation of a record (a dict, docs/record-format.md) in ``style``.

    ``text`` is the record's clean text, used only to derive a sentence-case title
    when the record stores none.
    """
    source = citation_source(record, config=config, text=text)
    return format_citation(
        source,
        style,
        markup=markup,
        name_order=name_order,
        note_number=note_number,
        pinpoint=pinpoint,
    )


def csl_item(record: Mapping[str, Any], *, config: Config | None = None) -> dict[str, Any]:
    """The CSL-JSON item for a record: what record.py stores as the record's ``citation``.

    Derived from the record's ``work`` and ``capture``.  ``config`` names the archive;
    by default it is read from ``warcite.toml`` of the project around the current folder.
    """
    if config is None:
        from warcite.core.project import find_project_root

        config = load_config(find_project_root(required=False))
    return csl_data(citation_source(record, config=config))


__all__ = [
    "MARKUPS",
    "STYLES",
    "ArchivedCopy",
    "CitationSource",
    "Markup",
    "Name",
    "PartialDate",
    "apa",
    "apa_in_text",
    "biblatex",
    "bibtex",
    "chicago_author_date",
    "chicago_author_date_in_text",
    "chicago_bib",
    "chicago_note",
    "chicago_short_note",
    "citation_source",
    "cite",
    "csl_item",
    "csl_json",
    "format_citation",
    "mla",
    "ris",
    "robust_link",
]

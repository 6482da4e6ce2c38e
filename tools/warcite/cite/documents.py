"""Citations of documents (PDF records): reports, journal articles and other documents, with
page pinpoints.

A record of a PDF is cited as what the document is, following its genre (extraction
records it with its evidence): a report (APA 7, 10.4; MLA 9, 5.x standalone works; Chicago
17, 14.220), a journal article (APA 7, 10.1; MLA 9, 5.x; Chicago 17, 14.168-14.175; cited
by its DOI when it has one), or, without evidence of either, a document.  The archived copy
is cited as for web pages (the archive's name, the date of the copy, its locator).

Pinpoints are pages, in each style's own form: APA "p. 3" / "pp. 3–4" (8.13), MLA "3" /
"3–4" with no abbreviation (6.21), Chicago "3" / "3–4" (14.146).
"""

from __future__ import annotations

import re

from warcite.cite import names as n
from warcite.cite.author_date import chicago_author_date_in_text
from warcite.cite.dates import apa_date, chicago_date, mla_date, month_and_day
from warcite.cite.document_types import DOCUMENT_TYPES, JOURNAL_GENRES, REPORT_GENRES, document_type
from warcite.cite.markup import Markup
from warcite.cite.source import CitationSource, Name, PartialDate
from warcite.cite.styles import (
    CHICAGO_NOTE_MAX_AUTHORS,
    apa_authors,
    apa_in_text,
    chicago_bib_authors,
    chicago_note,
    mla_authors,
)
from warcite.cite.titles import ends_with_end_punctuation, short_title, title_case
from warcite.core.errors import CitationError


def page_range(first: int | str, last: int | str | None = None) -> str:
    last = first if last is None else last
    return str(first) if str(first) == str(last) else f"{first}\u2013{last}"


def page_pinpoints(first: int | str, last: int | str | None = None) -> dict[str, str]:
    """The page pinpoint in each style's form: {"apa": "p. 3", "mla": "3", "chicago": "3"}.

    ``first`` and ``last`` are the pages as printed (page labels: "245", "xii")."""
    pages = page_range(first, last)
    apa = f"p. {pages}" if last is None or str(first) == str(last) else f"pp. {pages}"
    return {"apa": apa, "mla": pages, "chicago": pages}


def _period(text: str) -> str:
    return text if ends_with_end_punctuation(text) else f"{text}."


def _location(source: CitationSource) -> str:
    """Where the document is found: its DOI as a URL (APA 9.34, MLA 5.93, Chicago 14.8), else
    its original URL."""
    return f"https://doi.org/{source.doi}" if source.doi else source.url


def _publisher_differs(source: CitationSource) -> bool:
    """False when the only author is the publishing organisation (APA 10.4: not repeated)."""
    if not source.publisher:
        return False
    authors = source.authors
    return not (
        len(authors) == 1
        and authors[0].literal is not None
        and authors[0].literal.casefold() == source.publisher.casefold()
    )


def _journal(source: CitationSource) -> str | None:
    return source.container_title if source.document_type == "article-journal" else None


# ----------------------------------------------------------------------------- APA 7


def apa_document(
    source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style"
) -> str:
    """APA 7 reference of a report (10.4), a journal article (10.1) or a document.

    ``Keller, M., & Olsen, T. (2023). *Title* [Working paper]. Publisher. URL (archived in
    ARCHIVE, DATE: LOCATOR)``.  Reports and articles are dated by year (10.1, 10.4); the
    publisher is left out when it is the author.
    """
    kind = source.document_type
    issued = source.issued
    if kind in ("report", "article-journal") and issued is not None:
        date = f"({issued.year})."
    else:
        date = f"({apa_date(issued)})."
    journal = _journal(source)
    if journal:
        title = markup.text(_period(source.title_sentence_case))
    else:
        title = markup.italic(source.title_sentence_case)
        if source.genre and kind == "report":
            title += markup.text(f" [{source.genre}]")
        if not ends_with_end_punctuation(title):
            title += "."
    parts = []
    if source.authors:
        parts += [markup.text(n.end_with_period(apa_authors(source.authors, name_order))), date]
        parts.append(title)
    else:
        parts += [title, date]
    if journal:
        parts.append(markup.italic(journal) + ".")
    elif _publisher_differs(source):
        parts.append(markup.text(_period(source.publisher or "")))
    archived = source.archived
    date_of_copy = chicago_date(archived.date)
    parts.append(
        markup.link(_location(source))
        + markup.text(f" (archived in {archived.archive_name}, {date_of_copy}: ")
        + markup.link(archived.locator)
        + ")"
    )
    return " ".join(parts)


def apa_document_in_text(
    source: CitationSource,
    first: int | str,
    last: int | str | None = None,
    *,
    markup: Markup = Markup.PLAIN,
) -> str:
    """APA 7 parenthetical citation with a page pinpoint (8.13): "(Keller & Olsen, 2023, p. 3)"."""
    return apa_in_text(source, pinpoint=page_pinpoints(first, last)["apa"], markup=markup)


# ----------------------------------------------------------------------------- MLA 9


def _strip_scheme(url: str) -> str:
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme) :]
    return url


def mla_document(
    source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style"
) -> str:
    """MLA 9 works-cited entry: a report in italics with its genre and publisher, a journal
    article in quotation marks in its journal, the archive as a second container (5.98).

    ``Keller, Maria, and Tom Olsen. *Title*. Working paper. Publisher, 14 May 2023, URL.
    *ARCHIVE*, DATE, LOCATOR.``
    """
    headline = title_case(source.title, source.language)
    parts = []
    if source.authors:
        parts.append(markup.text(n.end_with_period(mla_authors(source.authors, name_order))))
    container: list[str] = []
    journal = _journal(source)
    if source.document_type == "report":
        parts.append(markup.italic(headline) + ("" if ends_with_end_punctuation(headline) else "."))
        if source.genre:
            parts.append(markup.text(_period(source.genre)))
    else:
        quoted = headline.replace('"', "'")
        parts.append(
            f'"{markup.text(quoted)}' + ('"' if ends_with_end_punctuation(quoted) else '."')
        )
    if journal:
        container.append(markup.italic(journal))
    elif source.publisher:
        container.append(markup.text(source.publisher))
    if source.issued is not None:  # MLA 9, 5.70: a journal issue by month and year
        issued = source.issued
        if journal and issued.month is not None:
            issued = PartialDate(issued.year, issued.month)
        container.append(markup.text(mla_date(issued)))
    container.append(markup.link(_strip_scheme(_location(source))))
    parts.append(", ".join(container) + ".")
    archived = source.archived
    parts.append(
        ", ".join(
            [
                markup.italic(archived.archive_name),
                markup.text(mla_date(archived.date)),
                markup.link(_strip_scheme(archived.locator)),
            ]
        )
        + "."
    )
    return " ".join(parts)


def mla_in_text(
    source: CitationSource,
    first: int | str,
    last: int | str | None = None,
    *,
    markup: Markup = Markup.PLAIN,
) -> str:
    """MLA 9 parenthetical citation with pages and no "p." (6.21): "(Keller and Olsen 3)".

    One author: the family name; two: "A and B"; three or more: "A et al."; none: the
    short title (in italics for a report, in quotation marks otherwise)."""
    authors = source.authors
    if not authors:
        title = short_title(title_case(source.title, source.language))
        who = markup.italic(title) if source.document_type == "report" else f'"{title}"'
    elif len(authors) == 1:
        who = markup.text(n.family(authors[0]))
    elif len(authors) == 2:
        who = markup.text(f"{n.family(authors[0])} and {n.family(authors[1])}")
    else:
        who = markup.text(f"{n.family(authors[0])} et al.")
    return f"({who} {page_pinpoints(first, last)['mla']})"


# ----------------------------------------------------------------------------- Chicago 17


def _chicago_note_authors(authors: tuple[Name, ...], name_order: str) -> str:
    if len(authors) > CHICAGO_NOTE_MAX_AUTHORS:
        return f"{n.direct(authors[0], name_order)} et al."
    return n.join_with([n.direct(author, name_order) for author in authors], "and")


def chicago_document_note(
    source: CitationSource,
    *,
    markup: Markup = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = 1,
    pages: tuple[int | str, int | str] | None = None,
) -> str:
    """Chicago 17 full note with an optional page pinpoint (14.146).

    Report (14.220): ``1. Maria Keller and Tom Olsen, *Title*, Working paper (Publisher,
    2023), 3, URL, archived DATE, at ARCHIVE, LOCATOR.``  Journal article (14.171):
    ``Anna Lindqvist, "Title," *Journal* (2022): 3, https://doi.org/...``.
    """
    headline = title_case(source.title, source.language)
    page = page_range(*pages) if pages else None
    journal = _journal(source)
    year = str(source.issued.year) if source.issued else "n.d."
    if source.document_type == "report":
        text = markup.italic(headline)
        if source.genre:
            text += markup.text(f", {source.genre}")
        imprint = ", ".join(filter(None, [source.publisher, year]))
        text += markup.text(f" ({imprint})")
        rest = [page] if page else []
    elif journal:
        quoted = headline.replace('"', "'")
        end = "" if ends_with_end_punctuation(quoted) else ","
        text = f'"{markup.text(quoted)}{end}" {markup.italic(journal)} ({year})'
        text += markup.text(f": {page}") if page else ""
        rest = []
    else:
        quoted = headline.replace('"', "'")
        end = "" if ends_with_end_punctuation(quoted) else ","
        text = f'"{markup.text(quoted)}{end}"'
        rest = [markup.text(source.publisher)] if source.publisher else []
        if source.issued is not None:
            rest.append(markup.text(chicago_date(source.issued)))
        if page:
            rest.append(markup.text(page))
        text += " " + ", ".join(rest) if rest else ""
        rest = []
    archived = source.archived
    tail = [
        *(markup.text(item) for item in rest),
        markup.link(_location(source)),
        markup.text(f"archived {chicago_date(archived.date)}"),
        markup.text(f"at {archived.archive_name}"),
        markup.link(archived.locator),
    ]
    text = f"{text}, {', '.join(tail)}."
    if source.authors:
        text = f"{markup.text(_chicago_note_authors(source.authors, name_order))}, {text}"
    return f"{note_number}. {text}" if note_number is not None else text


def chicago_document_short_note(
    source: CitationSource,
    *,
    markup: Markup = Markup.PLAIN,
    note_number: int | None = None,
    pages: tuple[int | str, int | str] | None = None,
) -> str:
    """Chicago 17 shortened note (14.29): ``Keller and Olsen, *Municipal Budgets*, 3.``"""
    title = short_title(title_case(source.title, source.language))
    quoted = markup.text(title.replace('"', "'"))
    if source.document_type == "report":
        shown = markup.italic(title)
    elif pages:  # Chicago 6.9: the comma inside the closing quotation mark
        shown = f'"{quoted}{"" if ends_with_end_punctuation(title) else ","}"'
    else:
        shown = f'"{quoted}"'

    authors = source.authors
    parts = []
    if authors:
        if len(authors) > CHICAGO_NOTE_MAX_AUTHORS:
            parts.append(markup.text(f"{n.family(authors[0])} et al."))
        else:
            parts.append(markup.text(n.join_with([n.family(a) for a in authors], "and")))
    text = ", ".join([*parts, shown])
    if pages:
        separator = " " if shown.endswith('"') else ", "
        text += separator + markup.text(page_range(*pages))
    text += "."
    if not pages and source.document_type != "report":  # "Title." inside the quotes
        text = text[:-2] + '."' if text.endswith('".') else text
    return f"{note_number}. {text}" if note_number is not None else text


def chicago_document_bib(
    source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style"
) -> str:
    """Chicago 17 bibliography entry.

    ``Keller, Maria, and Tom Olsen. *Title*. Working paper. Publisher, 2023. URL. Archived
    DATE, at ARCHIVE. LOCATOR.``
    """
    sentences = []
    if source.authors:
        sentences.append(
            markup.text(n.end_with_period(chicago_bib_authors(source.authors, name_order)))
        )
    journal = _journal(source)
    year = str(source.issued.year) if source.issued else "n.d."
    sentences.append(_chicago_title(source, markup))
    if source.document_type == "report":
        if source.genre:
            sentences.append(markup.text(_period(source.genre)))
        sentences.append(markup.text(", ".join(filter(None, [source.publisher, year])) + "."))
    else:
        if journal:
            sentences.append(f"{markup.italic(journal)} ({year}).")
        else:
            rest = [source.publisher] if source.publisher else []
            if source.issued is not None:
                rest.append(chicago_date(source.issued))
            if rest:
                sentences.append(markup.text(", ".join(rest) + "."))
    return " ".join([*sentences, *_chicago_locations(source, markup)])


def _chicago_locations(source: CitationSource, markup: Markup) -> list[str]:
    """The closing sentences of a Chicago bibliography or reference-list entry: the DOI or
    URL, then the archived copy (14.233): ``URL. Archived DATE, at ARCHIVE. LOCATOR.``"""
    archived = source.archived
    return [
        markup.link(_location(source)) + ".",
        markup.text(f"Archived {chicago_date(archived.date)}, at {archived.archive_name}."),
        markup.link(archived.locator) + ".",
    ]


def _chicago_title(source: CitationSource, markup: Markup) -> str:
    """The title as a sentence of a Chicago entry: italic for a report, quoted otherwise."""
    headline = title_case(source.title, source.language)
    if source.document_type == "report":
        return markup.italic(headline) + ("" if ends_with_end_punctuation(headline) else ".")
    quoted = headline.replace('"', "'")
    return f'"{markup.text(quoted)}' + ('"' if ends_with_end_punctuation(quoted) else '."')


# ----------------------------------------------------------------------------- Chicago 17
# author-date


def chicago_author_date_document(
    source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style"
) -> str:
    """Chicago 17 author-date reference-list entry of a document: the year right after the
    author (15.9; "n.d." without one, 15.44), the rest as in the bibliography.

    Report (14.220): ``Keller, Maria, and Tom Olsen. 2023. *Title*. Working paper.
    Publisher. URL. Archived DATE, at ARCHIVE. LOCATOR.``  Journal article (15.9, 14.171):
    ``Lindqvist, Anna. 2022. "Title." *Journal*. https://doi.org/...``  Another document:
    ``Weber, Jonas. 2024. "Title." Publisher, March 1. URL. ...`` (the month and day
    repeated, as for a web page, 15.51).  Without an author the title leads and the year
    follows it (15.32).
    """
    year = markup.text(str(source.issued.year) + "." if source.issued else "n.d.")
    title = _chicago_title(source, markup)
    if source.authors:
        authors = chicago_bib_authors(source.authors, name_order)
        sentences = [markup.text(n.end_with_period(authors)), year, title]
    else:
        sentences = [title, year]
    journal = _journal(source)
    if source.document_type == "report":
        sentences += [
            markup.text(_period(item)) for item in (source.genre, source.publisher) if item
        ]
    elif journal:
        sentences.append(markup.italic(journal) + ".")
    else:
        rest = [source.publisher] if source.publisher else []
        when = month_and_day(source.issued) if source.issued is not None else None
        rest += [when] if when else []
        if rest:
            sentences.append(markup.text(", ".join(rest) + "."))
    return " ".join([*sentences, *_chicago_locations(source, markup)])


__all__ = [
    "DOCUMENT_TYPES",
    "JOURNAL_GENRES",
    "PAGE_PINPOINT_STYLES",
    "REPORT_GENRES",
    "apa_document",
    "apa_document_in_text",
    "chicago_author_date_document",
    "chicago_document_bib",
    "chicago_document_note",
    "chicago_document_short_note",
    "document_citation",
    "document_pages",
    "document_type",
    "mla_document",
    "mla_in_text",
    "page_pinpoints",
    "page_range",
    "parse_pinpoint",
    "pinpointed_citation",
]


PAGE_PINPOINT_STYLES = ("apa", "mla", "chicago-author-date", "chicago-note", "chicago-short-note")
"""Styles that take a page pinpoint: APA, MLA and Chicago author-date print their
parenthetical (in-text) citation with it, the Chicago notes print the page after the source."""


def parse_pinpoint(pinpoint: str) -> tuple[int, int]:
    """ "3", "p. 3", "pp. 3-4", "3–4" -> (first, last).  CitationError otherwise."""
    match = re.fullmatch(
        r"\s*(?:pp?\.?\s*|pages?\s+|paras?\.?\s*|paragraphs?\s+)?(\d{1,6})\s*(?:[-\u2013]\s*(\d{1,6}))?\s*",
        pinpoint,
        re.IGNORECASE,
    )
    if match is None:
        raise CitationError(
            f"pinpoint {pinpoint!r} is not a page or range (3, p. 3, 3-4); give the page number"
        )
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first < 1 or last < first:
        raise CitationError(f"pinpoint {pinpoint!r} must run forwards from 1")
    return first, last


_PAGE_PINPOINT = re.compile(
    r"\s*(?:pp?\.?\s*|pages?\s+)?([0-9A-Za-z]{1,12})\s*(?:[-\u2013]\s*([0-9A-Za-z]{1,12}))?\s*",
    re.IGNORECASE,
)


def document_pages(source: CitationSource, pinpoint: str) -> tuple[str, str]:
    """The pages of a paged document that ``pinpoint`` names, as printed: "3", "p. 3",
    "pp. 3-4", and, where the pages are numbered so, "xii" or "iv-vi" (front matter in
    roman numerals) or "A3".  With printed page numbers (``page_labels``) each must be one
    of them, the range running forwards through the document; without, they are numbers
    within the page count.  CitationError otherwise, saying what the pages are."""
    match = _PAGE_PINPOINT.fullmatch(pinpoint)
    if match is None:
        raise CitationError(
            f"pinpoint {pinpoint!r} is not a page or range (3, p. 3, 3-4, xii); give the page "
            "as printed"
        )
    first, last = match.group(1), match.group(2) or match.group(1)
    labels = source.page_labels
    if labels:
        where = {label.lower(): index for index, label in reversed(list(enumerate(labels)))}
        missing = [page for page in (first, last) if page.lower() not in where]
        if missing:
            raise CitationError(
                f"page {missing[0]} does not exist: the document's pages are numbered "
                f"{labels[0]} to {labels[-1]} as printed"
            )
        start, end = where[first.lower()], where[last.lower()]
        if end < start:
            raise CitationError(f"pinpoint {pinpoint!r} must run forwards through the document")
        return labels[start], labels[end]
    if not (first.isdigit() and last.isdigit()):
        raise CitationError(
            f"pinpoint {pinpoint!r}: this document has no printed page numbers, so its pages "
            "are given by number (3, 3-4)"
        )
    if int(first) < 1 or int(last) < int(first):
        raise CitationError(f"pinpoint {pinpoint!r} must run forwards from 1")
    if source.page_count is not None and int(last) > source.page_count:
        raise CitationError(
            f"page {last} does not exist: the document has {source.page_count} pages"
        )
    return str(int(first)), str(int(last))


def pinpointed_citation(
    source: CitationSource,
    style: str,
    pinpoint: str,
    *,
    markup: Markup = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = None,
) -> str:
    """The citation of ``source`` at ``pinpoint``: pages for a document (checked against its
    page count), paragraphs for a web page (APA "para. 6", MLA "par. 6").

    APA, MLA and Chicago author-date give their parenthetical citation, the Chicago notes the
    note with the pinpoint; a bibliography entry (chicago-bib) and the data formats take none."""
    first: int | str
    last: int | str
    if source.document_type is None:  # a web page: paragraphs
        first, last = parse_pinpoint(pinpoint)
    else:
        first, last = document_pages(source, pinpoint)
    if style not in PAGE_PINPOINT_STYLES:
        raise CitationError(
            f"the {style} style has no place for a pinpoint; use one of "
            f"{', '.join(PAGE_PINPOINT_STYLES)}"
        )
    if source.document_type is None:  # a web page: paragraphs
        number = str(first) if first == last else f"{first}\u2013{last}"
        if style == "apa":
            label = "para." if first == last else "paras."
            return apa_in_text(source, pinpoint=f"{label} {number}", markup=markup)
        if style == "mla":
            label = "par." if first == last else "pars."
            who = n.family(source.authors[0]) if source.authors else short_title(source.title)
            return f"({markup.text(who)}, {label} {number})"
        if style == "chicago-author-date":  # the paragraph as in the Chicago note
            label = "par." if first == last else "pars."
            return chicago_author_date_in_text(source, pinpoint=f"{label} {number}", markup=markup)
        if style == "chicago-note":
            note = chicago_note(source, markup=markup, name_order=name_order, note_number=None)
            label = "par." if first == last else "pars."
            text = note[:-1] + f", {label} {number}."
            return f"{note_number or 1}. {text}"
        raise CitationError(
            "a web page's pinpoint is a paragraph: use apa, mla, chicago-author-date or "
            "chicago-note"
        )
    if style == "apa":
        return apa_document_in_text(source, first, last, markup=markup)
    if style == "mla":
        return mla_in_text(source, first, last, markup=markup)
    if style == "chicago-author-date":  # CMOS 17, 15.21: "(Keller and Olsen 2023, 3)"
        return chicago_author_date_in_text(source, pinpoint=page_range(first, last), markup=markup)
    if style == "chicago-note":
        return chicago_document_note(
            source,
            markup=markup,
            name_order=name_order,
            note_number=1 if note_number is None else note_number,
            pages=(first, last),
        )
    return chicago_document_short_note(
        source, markup=markup, note_number=note_number, pages=(first, last)
    )


def document_citation(
    source: CitationSource,
    style: str,
    *,
    markup: Markup = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = None,
) -> str | None:
    """A document's citation in a prose style, or None for the styles that cite documents
    like any record (the data formats)."""
    if style == "apa":
        return apa_document(source, markup=markup, name_order=name_order)
    if style == "mla":
        return mla_document(source, markup=markup, name_order=name_order)
    if style == "chicago-bib":
        return chicago_document_bib(source, markup=markup, name_order=name_order)
    if style == "chicago-author-date":
        return chicago_author_date_document(source, markup=markup, name_order=name_order)
    if style == "chicago-note":
        number = 1 if note_number is None else note_number
        return chicago_document_note(
            source, markup=markup, name_order=name_order, note_number=number
        )
    if style == "chicago-short-note":
        return chicago_document_short_note(source, markup=markup, note_number=note_number)
    return None

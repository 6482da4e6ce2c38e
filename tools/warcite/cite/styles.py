"""The prose styles: APA 7, MLA 9, Chicago 17 (notes and bibliography), APA in-text.

Each function takes a :class:`~warcite.cite.source.CitationSource` and returns one
string.  The archived copy is cited with the original URL where the style names the
original, then the archive's name, the date the copy was made and its locator (the
replay URL, or the WARC file and record ID when the archive has no replay base).
Rules and their sources are noted next to the golden tests (tests/test_cite.py).
"""

from __future__ import annotations

from warcite.cite import names as n
from warcite.cite.dates import MONTHS, apa_date, chicago_date, mla_date
from warcite.cite.markup import Markup
from warcite.cite.source import ArchivedCopy, CitationSource, Name
from warcite.cite.titles import ends_with_end_punctuation, short_title, title_case

# APA 7, 9.8: up to 20 authors listed; with 21 or more, the first 19, an ellipsis, the last.
APA_MAX_AUTHORS = 20
# Chicago 17, 14.76: notes list up to three authors; the bibliography up to ten, else seven
# followed by "et al.".
CHICAGO_NOTE_MAX_AUTHORS = 3
CHICAGO_BIB_MAX_AUTHORS = 10
CHICAGO_BIB_LISTED_WHEN_MORE = 7


def _period(text: str) -> str:
    return text if ends_with_end_punctuation(text) else f"{text}."


def quoted_title(source: CitationSource, markup: Markup, end: str) -> str:
    """The title in double quotes with ``end`` inside: "Title." / "Title?" / "Title?,".

    A period is not added after a title ending in ".", "?" or "!"; a comma is kept.
    Double quotation marks inside the title become single ones (MLA 9, 6.32; Chicago 17,
    6.9), so that the title's own quotation stays visible inside the outer quotes.
    """
    # Chicago 8.159, MLA 1.2: English titles in headline style
    headline = title_case(source.title, source.language)
    inner = headline.replace('"', "'").replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    title = markup.text(inner)
    if end == "." and ends_with_end_punctuation(source.title):
        return f'"{title}"'
    return f'"{title}{end}"'


def _authors_as_publisher(source: CitationSource) -> tuple[Name, ...]:
    """The authors, without an organisation that is also the site or publisher (APA, MLA)."""
    same = {value.casefold() for value in (source.container_title, source.publisher) if value}
    only = source.authors[0] if len(source.authors) == 1 else None
    if only is not None and only.is_organization and (only.literal or "").casefold() in same:
        return ()
    return source.authors


# ----------------------------------------------------------------------------- APA 7


def apa_authors(authors: tuple[Name, ...], name_order: str) -> str:
    formatted = [n.apa(author, name_order) for author in authors]
    if len(formatted) > APA_MAX_AUTHORS:
        return f"{', '.join(formatted[: APA_MAX_AUTHORS - 1])}, . . . {formatted[-1]}"
    if len(formatted) == 2:
        return f"{formatted[0]}, & {formatted[1]}"
    return n.join_with(formatted, "&")


def apa(source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style") -> str:
    """APA 7 reference-list entry for a web page on a news or opinion site (10.1, 10.16).

    ``Hyeon, I. (2016, August 29). *Why North Korean elites defect from their country?*
    OpEdNews. URL (archived in ARCHIVE, DATE: ARCHIVED_URL or WARC file and record)``.  No author: the title moves to the author position (9.12).
    An organisation as author that is also the site: the site name is dropped (10.16).
    """
    authors = source.authors
    title = markup.italic(source.title_sentence_case)
    if not ends_with_end_punctuation(source.title_sentence_case):
        title += "."
    date = f"({apa_date(source.issued)})."
    parts = []
    if authors:
        parts += [markup.text(n.end_with_period(apa_authors(authors, name_order))), date, title]
    else:
        parts += [title, date]
    site = source.container_title
    organization_is_site = bool(authors) and not _authors_as_publisher(source)
    if site and not organization_is_site:
        parts.append(markup.text(_period(site)))
    # APA 7, 10.16: the URL of the page, always (no period after it, 9.35); then the
    # archived copy: its replay URL, or the WARC file and record that hold it.
    archived = source.archived
    parts.append(
        markup.link(source.url)
        + markup.text(f" (archived in {archived.archive_name}, {_apa_day(archived)}: ")
        + markup.link(archived.locator)
        + ")"
    )
    return " ".join(parts)


def _apa_day(archived: ArchivedCopy) -> str:
    date = archived.date
    return f"{MONTHS[(date.month or 1) - 1]} {date.day}, {date.year}"


def apa_in_text(
    source: CitationSource,
    *,
    pinpoint: str | None = None,
    markup: Markup = Markup.PLAIN,
) -> str:
    """APA 7 parenthetical citation (8.17, 8.23, 8.28): "(Hyeon, 2016, para. 6)".

    One author: the family name; two: "A & B"; three or more: "A et al."; no author:
    the title's first words in italics (8.14).  ``pinpoint`` is "para. 6" or similar.
    """
    authors = source.authors
    if not authors:
        who = markup.italic(short_title(source.title))
    elif len(authors) == 1:
        who = markup.text(n.family(authors[0]))
    elif len(authors) == 2:
        who = markup.text(f"{n.family(authors[0])} & {n.family(authors[1])}")
    else:
        who = markup.text(f"{n.family(authors[0])} et al.")
    year = str(source.issued.year) if source.issued else "n.d."
    parts = [who, year] + ([markup.text(pinpoint)] if pinpoint else [])
    return f"({', '.join(parts)})"


# ----------------------------------------------------------------------------- MLA 9


def mla_authors(authors: tuple[Name, ...], name_order: str) -> str:
    # MLA 9, 5.6: one author inverted; two: "Last, First, and First Last"; three or more:
    # the first, inverted, followed by "et al."
    first = n.inverted(authors[0], name_order)
    if len(authors) == 1:
        return first
    if len(authors) == 2:
        return f"{first}{_comma_if_inverted(first)} and {n.direct(authors[1], name_order)}"
    return f"{first}{_comma_if_inverted(first)} et al."


def _comma_if_inverted(first: str) -> str:
    """The comma after an inverted first name ("Hyeon, In-ae, and"); none after an
    uninverted one ("王小明 and", "Hyeon In-ae and")."""
    return "," if "," in first else ""


def _strip_scheme(url: str) -> str:
    # MLA 9, 5.93: omit http:// and https:// from URLs.
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme) :]
    return url


def mla(source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style") -> str:
    """MLA 9 works-cited entry with the archive as a second container (5.98).

    ``Hyeon, In-ae. "Title?" *OpEdNews*, 29 Aug. 2016, URL. *ARCHIVE*, DATE, ARCHIVED_URL.``
    """
    authors = _authors_as_publisher(source)
    parts = []
    if authors:
        parts.append(markup.text(n.end_with_period(mla_authors(authors, name_order))))
    parts.append(quoted_title(source, markup, "."))
    container = []
    if source.container_title:
        container.append(markup.italic(source.container_title))
    if source.publisher and (
        not source.container_title
        or source.publisher.casefold() != source.container_title.casefold()
    ):
        container.append(markup.text(source.publisher))  # MLA 9, 5.51: unless same as site
    if source.issued is not None:
        container.append(markup.text(mla_date(source.issued)))
    container.append(markup.link(_strip_scheme(source.url)))
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


# ----------------------------------------------------------------------------- Chicago 17


def _chicago_note_authors(authors: tuple[Name, ...], name_order: str) -> str:
    if len(authors) > CHICAGO_NOTE_MAX_AUTHORS:
        return f"{n.direct(authors[0], name_order)} et al."
    return n.join_with([n.direct(author, name_order) for author in authors], "and")


def chicago_bib_authors(authors: tuple[Name, ...], name_order: str) -> str:
    listed = list(authors)
    more = len(listed) > CHICAGO_BIB_MAX_AUTHORS
    if more:
        listed = listed[:CHICAGO_BIB_LISTED_WHEN_MORE]
    formatted = [n.inverted(listed[0], name_order)]
    formatted += [n.direct(author, name_order) for author in listed[1:]]
    if more:
        return f"{', '.join(formatted)}, et al."
    if len(formatted) == 2:
        return f"{formatted[0]}{_comma_if_inverted(formatted[0])} and {formatted[1]}"
    return n.join_with(formatted, "and")


def chicago_site(source: CitationSource, markup: Markup) -> list[str]:
    # Chicago 17, 14.206: the title of a website in roman; a site analogous to a periodical
    # (news and opinion: the record's genre says so) in italics, like a newspaper (14.191).
    parts = []
    if source.container_title:
        style = markup.italic if source.periodical else markup.text
        parts.append(style(source.container_title))
    if source.publisher and (
        not source.container_title
        or source.publisher.casefold() != source.container_title.casefold()
    ):
        parts.append(markup.text(source.publisher))
    return parts


def chicago_note(
    source: CitationSource,
    *,
    markup: Markup = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = 1,
) -> str:
    """Chicago 17 full note for a web page (14.206), with the archived copy (14.233).

    ``1. In-ae Hyeon, "Title?," *OpEdNews*, August 29, 2016, URL, archived DATE, at
    ARCHIVE, ARCHIVED_URL.``  A comma after a title's "?" is kept (6.125).
    """
    rest = chicago_site(source, markup)
    if source.issued is not None:
        rest.append(markup.text(chicago_date(source.issued)))
    rest.append(markup.link(source.url))
    archived = source.archived
    rest.append(markup.text(f"archived {chicago_date(archived.date)}"))
    rest.append(markup.text(f"at {archived.archive_name}"))
    rest.append(markup.link(archived.locator))
    text = f"{quoted_title(source, markup, ',')} {', '.join(rest)}."
    if source.authors:
        text = f"{markup.text(_chicago_note_authors(source.authors, name_order))}, {text}"
    return f"{note_number}. {text}" if note_number is not None else text


def chicago_short_note(
    source: CitationSource,
    *,
    markup: Markup = Markup.PLAIN,
    name_order: str = "style",
    note_number: int | None = None,
) -> str:
    """Chicago 17 shortened note (14.29-14.30): ``Hyeon, "Why North Korean Elites."``.

    Family names (up to three; "et al." after the first for four or more) and a short
    title of at most four words.
    """
    title = short_title(title_case(source.title, source.language)).replace('"', "'")
    quoted = f'"{markup.text(title)}' + ('"' if ends_with_end_punctuation(title) else '."')
    authors = source.authors
    if not authors:
        text = quoted
    else:
        if len(authors) > CHICAGO_NOTE_MAX_AUTHORS:
            who = f"{n.family(authors[0])} et al."
        else:
            who = n.join_with([n.family(author) for author in authors], "and")
        text = f"{markup.text(who)}, {quoted}"
    return f"{note_number}. {text}" if note_number is not None else text


def chicago_bib(
    source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style"
) -> str:
    """Chicago 17 bibliography entry (14.206, 14.233).

    ``Hyeon, In-ae. "Title?" *OpEdNews*, August 29, 2016. URL. Archived DATE, at ARCHIVE.
    ARCHIVED_URL.``
    """
    sentences = []
    if source.authors:
        sentences.append(
            markup.text(n.end_with_period(chicago_bib_authors(source.authors, name_order)))
        )
    site = chicago_site(source, markup)
    if source.issued is not None:
        site.append(markup.text(chicago_date(source.issued)))
    sentences.append(quoted_title(source, markup, "."))
    if site:
        sentences.append(", ".join(site) + ".")
    sentences.append(markup.link(source.url) + ".")
    archived = source.archived
    sentences.append(
        markup.text(f"Archived {chicago_date(archived.date)}, at {archived.archive_name}.")
    )
    sentences.append(markup.link(archived.locator) + ".")
    return " ".join(sentences)


__all__ = [
    "apa",
    "apa_in_text",
    "chicago_bib",
    "chicago_bib_authors",
    "chicago_note",
    "chicago_short_note",
    "chicago_site",
    "mla",
    "quoted_title",
]

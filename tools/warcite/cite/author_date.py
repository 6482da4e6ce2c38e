"""Chicago 17 author-date: the reference-list entry and the parenthetical citation.

CMOS 17, chapter 15: the author (or, without one, the site that stands in for the author:
the newspaper, 15.47; the site's owner, 15.51), the year right after the name (15.9),
then the title in quotation marks, the site (italic for a news or opinion periodical,
14.191; roman for other websites, 14.206), the full date again for a periodical and the
month and day for a web page, the URL, and the archived copy as in notes and bibliography
(14.233).  In-text citations (15.21, 15.29): "(Hyeon 2016)", "(Hyeon and Kim 2016)",
three authors by name, four or more "(Smith et al. 2016)", "(Hyeon, n.d.)" without a date.
"""

from __future__ import annotations

from warcite.cite import names as n
from warcite.cite.dates import chicago_date, month_and_day
from warcite.cite.markup import Markup
from warcite.cite.source import CitationSource
from warcite.cite.styles import chicago_bib_authors, chicago_site, quoted_title
from warcite.cite.titles import short_title, title_case

# CMOS 17, 15.29: in the text, up to three authors by name; four or more: the first and
# "et al."
IN_TEXT_MAX_AUTHORS = 3


def _author_position(source: CitationSource, markup: Markup, name_order: str) -> str | None:
    """Who leads the entry: the authors; without them the site (italic for a periodical),
    which is then not repeated; None when neither is known (the title leads)."""
    if source.authors:
        return markup.text(n.end_with_period(chicago_bib_authors(source.authors, name_order)))
    if source.container_title:
        style = markup.italic if source.periodical else markup.text
        return style(source.container_title) + "."
    return None


def chicago_author_date(
    source: CitationSource, *, markup: Markup = Markup.PLAIN, name_order: str = "style"
) -> str:
    """Chicago 17 author-date reference-list entry (15.9, 15.47, 15.51, 14.233).

    ``Hyeon, In-ae. 2016. "Title?" *OpEdNews*, August 29, 2016. URL. Archived DATE, at
    ARCHIVE. ARCHIVED_URL.``
    """
    year = str(source.issued.year) if source.issued is not None else "n.d."
    who = _author_position(source, markup, name_order)
    sentences = []
    if who is not None:
        sentences += [who, markup.text(n.end_with_period(year)), quoted_title(source, markup, ".")]
    else:
        sentences += [quoted_title(source, markup, "."), markup.text(n.end_with_period(year))]
    site = chicago_site(source, markup) if source.authors else []
    site_only = source.container_title if not source.authors else None
    if site_only and source.publisher and source.publisher.casefold() != site_only.casefold():
        site.append(markup.text(source.publisher))
    if source.issued is not None:
        # the date again: in full for a periodical (15.47), month and day for a page
        when = chicago_date(source.issued) if source.periodical else month_and_day(source.issued)
        if when:
            site.append(markup.text(when))
    if site:
        sentences.append(", ".join(site) + ".")
    sentences.append(markup.link(source.url) + ".")
    archived = source.archived
    sentences.append(
        markup.text(f"Archived {chicago_date(archived.date)}, at {archived.archive_name}.")
    )
    sentences.append(markup.link(archived.locator) + ".")
    return " ".join(sentences)


def chicago_author_date_in_text(
    source: CitationSource, *, pinpoint: str | None = None, markup: Markup = Markup.PLAIN
) -> str:
    """Chicago 17 author-date parenthetical citation (15.21, 15.29, 15.32): "(Hyeon 2016)",
    "(Hyeon 2016, para. 6)", "(Hyeon, n.d.)"; a document's page "(Keller and Olsen 2023, 3)".

    Without an author, what leads the reference-list entry leads here: the site of a web
    page; the title of a document, shortened (14.30) and italic for a report, quoted
    otherwise (15.32)."""
    authors = source.authors
    if not authors:
        if source.document_type is not None:
            headline = short_title(title_case(source.title, source.language))
            if source.document_type == "report":
                who = markup.italic(headline)
            else:
                quoted = headline.replace('"', "'")
                who = f'"{markup.text(quoted)}"'
        elif source.container_title:
            style = markup.italic if source.periodical else markup.text
            who = style(source.container_title)
        else:
            who = markup.text(f'"{source.title}"')
    elif len(authors) > IN_TEXT_MAX_AUTHORS:
        who = markup.text(f"{n.family(authors[0])} et al.")
    else:
        who = markup.text(n.join_with([n.family(author) for author in authors], "and"))
    text = f"{who}, n.d." if source.issued is None else f"{who} {source.issued.year}"
    if pinpoint:
        text += f", {markup.text(pinpoint)}"
    return f"({text})"


__all__ = ["IN_TEXT_MAX_AUTHORS", "chicago_author_date", "chicago_author_date_in_text"]

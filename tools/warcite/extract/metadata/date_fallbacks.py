"""Publication dates where the usual places hold none, and the publisher's own calendar day.

Read after structured data, ``<time>`` elements, dates around the headline and the page's
URL (:mod:`warcite.extract.metadata.published`), weakest last:

1. **Script data**: a publication-date key in a page's scripts that are not JSON-LD
   (``"publishedAt": "2024-03-05T18:00:00Z"`` in a framework's state object).
2. **Link URLs**: date folders in the URLs the page gives for itself (``rel=canonical``,
   ``og:url``, ``rel=amphtml``, ``rel=shortlink``) and in links to the same story (the
   page's last path segment) under a dated path.
3. **Visible text**: a date printed on its own in a short text anywhere in the page (a
   dateline away from any date element, "05.03.2024", "5th of March 2024"), those after
   the headline first; never inside navigation, sidebars, captions or tickers.

The publisher's calendar day: a date-time stamped in UTC whose day is one off the day the
page prints (a story filed late in the evening west of Greenwich, or early in the morning
east of it), or whose instant another source states with the publisher's own UTC offset,
is dated on the publisher's day; the note says so and the stamp stays among the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any
from urllib.parse import urlsplit

from warcite.core.models import Evidence, Field
from warcite.extract import dates, patterns
from warcite.extract.metadata.reader import PageReader, date_context, skippable

#: Publication-date keys in script data (JSON state objects of frameworks and CMSs).
SCRIPT_DATE_KEY = re.compile(
    r"""["']?(?P<key>datePublished|date_published|publishedAt|published_at|publishDate|"""
    r"""publish_date|publishedDate|published_date|pubDate|pub_date|firstPublished(?:At|Date)?|"""
    r"""first_published(?:_at)?|publicationDate|publication_date|displayDate|display_date)"""
    r"""["']?\s*[:=]\s*["'](?P<value>[^"'<>]{6,40})["']"""
)
#: At most this many characters of each script are searched.
SCRIPT_MAX_CHARS = 2_000_000
#: Visible texts at most this long are read for a printed date ...
TEXT_DATE_MAX_CHARS = 120
#: ... and at most this many of them, after the headline first.
TEXT_DATE_MAX_NODES = 3000
DIGIT = re.compile(r"\d")
#: Links whose URL is read for the page's own date folders.
SELF_LINK_RELS = frozenset({"canonical", "amphtml", "shortlink", "alternate"})


def split_published_modified(text: str) -> tuple[str, str]:
    """``text`` cut into what it says of publication and of modification.

    "December 3, 2025. Updated: December 7, 2025" -> ("December 3, 2025.", "Updated:
    December 7, 2025"); "Updated May 2, 2025" -> ("", "Updated May 2, 2025"); a text with no
    modification word is all publication.
    """
    modified = patterns.MODIFIED_WORDS.search(text)
    if modified is None:
        return text, ""
    before, after = text[: modified.start()], text[modified.start() :]
    if not publication_label_only(before):
        before = ""  # "Received 2024 Mar 18; Revised ...": a history, not a publication date
    published = patterns.PUBLISHED_LABEL.search(after)
    if published is None:
        # "Updated May 2, Published April 30, 2025": the label after the update's date
        published = re.search(r"\b(?:first\s+)?(?:published|posted)\b", after, re.I)
    if published is not None and published.start() > 0:
        return before + " " + after[published.start() :], after[: published.start()]
    return before, after


WEEKDAY_WORD = re.compile(r"(?:mon|tues|tue|wednes|wed|thurs|thu|fri|satur|sat|sun)(?:day)?")
#: UTC offsets in use run from -12 to +14 hours: a UTC time of day before this hour can be
#: the previous day somewhere, one from this hour on the next day somewhere.
PREVIOUS_DAY_BEFORE_HOUR = 12
NEXT_DAY_FROM_HOUR = 10
#: Words a printed publication date may carry besides the date itself.
PUBLICATION_LABEL_WORDS = frozenset(
    {
        "published",
        "posted",
        "first",
        "on",
        "at",
        "am",
        "pm",
        "publié",
        "veröffentlicht",
        "publicado",
        "pubblicato",
        "le",
        "el",
        "il",
        "utc",
        "gmt",
        "et",
        "est",
        "edt",
        "pt",
        "pst",
        "pdt",
        "cet",
        "cest",
        "bst",
    }
)


def publication_label_only(text: str) -> bool:
    """``text`` holds a date and at most publication labels, weekdays and a time zone."""
    found = dates.find_dates(text)
    if not found:
        return False
    rest = text
    for parsed in found[:1]:
        rest = rest.replace(parsed.raw, " ")
    for word in re.findall(r"[^\W\d_]+", rest.lower()):
        if word not in PUBLICATION_LABEL_WORDS and not WEEKDAY_WORD.fullmatch(word):
            return False
    return True


def add_fallback_dates(page: PageReader) -> None:
    """Add publication dates from script data, link URLs and then visible text, each only
    while the page has no publication date yet."""
    candidates = page.candidates
    if "published" not in candidates.fields:
        add_script_dates(page)
    if "published" not in candidates.fields:
        add_link_url_dates(page)
    if "published" not in candidates.fields and "modified" not in candidates.fields:
        add_text_dates(page)


def add_script_dates(page: PageReader) -> None:
    """The first publication-date key in the page's (non-JSON-LD) scripts."""
    for script in page.root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind:
            continue  # read as structured data already
        text = script.text
        if not text or "ub" not in text:  # "pub", "publ": a cheap test before the regex
            continue
        for match in SCRIPT_DATE_KEY.finditer(text[:SCRIPT_MAX_CHARS]):
            if page.add_date("published", match["value"], f"script:{match['key']}"):
                return


def self_link_urls(page: PageReader) -> Iterator[tuple[str, str]]:
    """(source, URL) of the URLs the page gives for itself, then of links to the same story."""
    for link in page.root.iter("link"):
        rels = set((link.get("rel") or "").lower().split())
        href = link.get("href")
        if href and rels & SELF_LINK_RELS:
            yield f"link:{sorted(rels & SELF_LINK_RELS)[0]}", href
    for key, value in page.meta_values(patterns.META_URL):
        yield f"meta:{key}", value
    slug = own_slug(page.url)
    if not slug:
        return
    for anchor in page.root.iter("a"):
        href = anchor.get("href")
        if href and slug in href and own_slug(href) == slug:
            yield "html:link", href


def own_slug(url: str | None) -> str | None:
    """The last path segment of a URL when it names a story (a few words joined by dashes)."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    segment = re.sub(r"\.(?:html?|php|aspx?)$", "", segment)
    return segment if segment.count("-") >= 2 and len(segment) >= 12 else None


def add_link_url_dates(page: PageReader) -> None:
    """Date folders in the URLs the page gives for itself (the first that has one)."""
    for source, url in self_link_urls(page):
        found = dates.url_dates(url)
        if found:
            parsed = found[0]
            page.candidates.add("published", parsed.value, source, parsed.raw, parsed.note)
            return


def add_text_dates(page: PageReader) -> None:
    """A date printed in a short visible text, after the headline first (a dateline)."""
    # From the first text in an <h1> on, then from the top: at most TEXT_DATE_MAX_NODES
    # nodes, read in one walk holding no more than twice that many.
    head: list[tuple[str, Any]] = []  # the first nodes, read again after the end
    after: list[tuple[str, Any]] = []  # from the headline's on
    start: int | None = None if page.h1 else 0
    for index, node in enumerate(page.body_texts()):
        if len(head) < TEXT_DATE_MAX_NODES:
            head.append(node)
        if start is None and node[1].tag == "h1":
            start = index
        if start is not None:
            after.append(node)
            if len(after) >= TEXT_DATE_MAX_NODES:
                break
    if start is None:  # no text in an <h1>: from the top
        start, after = 0, head
    wrapped = head[: max(0, min(start, TEXT_DATE_MAX_NODES - len(after)))]
    for text, owner in after + wrapped:
        if len(text) > 4 * TEXT_DATE_MAX_CHARS or not DIGIT.search(text):
            continue
        text = " ".join(text.split())
        if len(text) > TEXT_DATE_MAX_CHARS:
            continue
        published_part, _modified_part = split_published_modified(text)
        if not published_part.strip():
            continue
        found = dates.find_dates(published_part, day_first=page.day_first)
        if not found or not dates_alone(published_part, found[0].raw):
            continue
        # where it sits, only for the few texts that are dates (the tests walk ancestors)
        if patterns.NOT_PUBLISHED_DATE_CLASS.search(date_context(owner)) or skippable(owner):
            continue
        if page.add_date("published", published_part, "html:text", find=True):
            return


def dates_alone(text: str, raw: str) -> bool:
    """``text`` is a date with little around it: a dateline, not a sentence naming a day."""
    rest = text.replace(raw, " ")
    words = re.findall(r"[^\W\d_]+", rest)
    return len(words) <= 4


def with_printed_day(published: Field | None, page: PageReader) -> Field | None:
    """The publisher's calendar day for a date-time stamped in UTC (see the module docstring)."""
    if published is None or "T" not in published.value:
        return published
    if not published.value.endswith(("Z", "+00:00")):
        return published
    try:
        stamped = datetime.fromisoformat(published.value.replace("Z", "+00:00"))
    except ValueError:
        return published
    for evidence in published.candidates:
        local = local_time(evidence.value)
        if (
            local is not None
            and local.utcoffset()
            and local == stamped
            and local.date() != stamped.date()
        ):
            note = (
                f"{published.source} gives {published.value} (UTC); {evidence.source} gives the "
                f"same moment in the publisher's time, {evidence.value}"
            )
            return Field(evidence.value, evidence.source, evidence.raw, note, published.candidates)
    printed = page.printed_days
    if not printed or stamped.date().isoformat() in printed:
        return published
    if stamped.time() == time(0, 0):
        return published  # a bare day stored as midnight UTC, not a moment
    for day, evidence in printed.items():
        try:
            offset = (datetime.fromisoformat(day).date() - stamped.date()).days
        except ValueError:
            continue
        if (offset == -1 and stamped.hour < PREVIOUS_DAY_BEFORE_HOUR) or (
            offset == 1 and stamped.hour >= NEXT_DAY_FROM_HOUR
        ):
            note = (
                f"{published.source} gives {published.value} (UTC), which the page prints as "
                f"{evidence.raw!r}: the publisher's own day"
            )
            candidates = (*published.candidates, evidence)
            return Field(day, evidence.source, evidence.raw, note, candidates)
    return published


def local_time(value: str) -> datetime | None:
    """A date-time with its UTC offset, or None for a bare date or one without an offset."""
    if "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def note_printed_day(page: PageReader, text: str, source: str, owner: Any = None) -> None:
    """Remember the day a visible text prints (its first date), for :func:`with_printed_day`."""
    published_part, _ = split_published_modified(text)
    found = dates.find_dates(published_part, day_first=page.day_first)
    if found and found[0].resolved and len(found[0].value) == 10:
        page.printed_days.setdefault(
            found[0].value, Evidence(found[0].value, source, found[0].raw, None)
        )


__all__ = [
    "add_fallback_dates",
    "add_link_url_dates",
    "add_script_dates",
    "add_text_dates",
    "note_printed_day",
    "split_published_modified",
    "with_printed_day",
]

"""Publication and modification dates: structured data, time elements, dates printed
around the headline, URL tokens, and the checks between them."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from warcite.core.models import Evidence, Field, Headers
from warcite.extract import dates, patterns
from warcite.extract.metadata.common import (
    DISPLAYED_DATE_OFFSET,
    PUBLISHED_AFTER_MODIFIED_DAYS,
    fold,
    header_value,
    normalize_text,
)
from warcite.extract.metadata.date_fallbacks import (
    add_fallback_dates,
    note_printed_day,
    split_published_modified,
    with_printed_day,
)
from warcite.extract.metadata.jsonld import json_string
from warcite.extract.metadata.reader import (
    PageReader,
    class_of,
    date_context,
    element_text,
    in_other_item,
    skippable,
)

#: How many non-blank text nodes before the headline's, and from it on, are looked at.
NEAR_TITLE_BEFORE, NEAR_TITLE_FROM = 15, 40


def _texts_near_title(
    body_texts: Iterable[tuple[str, Any]], h1: str | None
) -> list[tuple[int, str, str]]:
    """Short visible texts around the page's <h1> (where bylines and datelines sit), nearest first.

    Each is given with its offset in text nodes from the headline's (negative: before it)
    and the class words of its element and nearest ancestors (:func:`date_context`).  Only
    the window around the headline is held (the first nodes when it is not found).
    """
    nodes = ((text, owner) for text, owner in body_texts if not text.isspace())
    first: list[tuple[str, Any]] = []  # the window when the headline is not found
    before: deque[tuple[str, Any]] = deque(maxlen=NEAR_TITLE_BEFORE)
    chosen: list[tuple[str, Any]] | None = None
    position = 0
    key = fold(h1) if h1 else ""
    shortest, longest = 0.6 * len(key), 2 * len(h1 or "") + 20
    for raw, owner in nodes:
        if len(first) < NEAR_TITLE_FROM:
            first.append((raw, owner))
        elif not h1:
            break
        if h1 and shortest <= len(raw) <= longest:  # cheap length test before folding
            folded = fold(raw)
            if folded and (
                folded == key or (len(folded) >= shortest and (folded in key or key in folded))
            ):
                chosen = [*before, (raw, owner), *islice(nodes, NEAR_TITLE_FROM - 1)]
                position = len(before)
                break
        before.append((raw, owner))
    if chosen is None:
        chosen = first
    if not chosen:
        return []
    window = [normalize_text(t) for t, _ in chosen]
    owners = [owner for _, owner in chosen]
    ordered = sorted(
        range(len(window)), key=lambda i: abs(i - position) + (5 if i < position else 0)
    )
    near: list[tuple[int, str, str]] = []
    for index in ordered:
        text = window[index]
        if len(text) <= 100 and any(c.isdigit() for c in text):
            # a label in the text node just before ("Updated", "Published") travels with a
            # date that has none of its own
            previous = window[index - 1] if index > 0 else ""
            unlabelled = text[:1].isdigit() or bool(
                patterns.MONTHS.get(text.split()[0].lower().rstrip(".,"))
            )
            label = (
                previous
                if unlabelled and len(previous) <= 30 and not any(c.isdigit() for c in previous)
                else ""
            )
            near.append((index - position, f"{label} {text}".strip(), date_context(owners[index])))
    return near


def read_dates(page: PageReader, title: Field | None) -> tuple[Field | None, Field | None]:
    """(published, modified): structured dates, visible dates, URL tokens, then the checks."""
    _add_structured_dates(page)
    # a date folder in the URL is a day the page gives unambiguously
    page.candidates.known_days.update(token.value[:10] for token in dates.url_dates(page.url))
    _add_time_elements(page)
    displayed = _add_dates_near_headline(page, title)
    for parsed in dates.url_dates(page.url):
        page.candidates.add("published", parsed.value, "url", parsed.raw, parsed.note)
    add_fallback_dates(page)
    modified = page.candidates.field("modified")
    published = _choose_published(page, displayed)
    if published is None and modified is not None:
        published = replace(
            modified,
            note=(f"{modified.note}; " if modified.note else "")
            + "the page gives no publication date, only when it was last updated",
        )
    return published, modified


def _add_structured_dates(page: PageReader) -> None:
    """Dates from JSON-LD, meta tags (named, then any that look like dates) and microdata."""
    article = page.article
    for json_date in (article.get("datePublished"), article.get("dateCreated")):
        page.add_date("published", json_string(json_date), "json-ld")
    for key, value in page.meta_values(patterns.META_PUBLISHED):
        page.add_date("published", value, f"meta:{key}")
    for key, values in page.meta.items():
        if patterns.META_PUBLISHED_KEY.search(key) and not patterns.META_MODIFIED_KEY.search(key):
            for value in values:
                page.add_date("published", value, f"meta:{key}")
    page.add_date("modified", json_string(article.get("dateModified")), "json-ld")
    for key, value in page.meta_values(patterns.META_MODIFIED):
        page.add_date("modified", value, f"meta:{key}")
    for key, values in page.meta.items():
        if patterns.META_MODIFIED_KEY.search(key):
            for value in values:
                page.add_date("modified", value, f"meta:{key}")
    for element in page.itemprop_elements("datePublished", "dateModified"):
        if element.tag == "meta" or in_other_item(element):
            continue
        value = element.get("content") or element.get("datetime") or element_text(element)
        target = "published" if element.get("itemprop") == "datePublished" else "modified"
        page.add_date(target, value, "microdata")


def _add_time_elements(page: PageReader) -> None:
    """Dates from ``<time>`` elements and date-classed elements outside other articles."""
    candidates, root = page.candidates, page.root
    every_time = list(root.iter("time"))
    times = [element for element in every_time if element.get("datetime") is not None]
    for element in times:
        iso = patterns.ISO_DATE.match((element.get("datetime") or "").strip())
        if iso and len(iso["month"]) == 2 and len(iso["day"]) == 2:
            candidates.known_days.add(iso.group(0)[:10])
    times.sort(key=lambda t: t.get("pubdate") is None)
    for element in times:
        if skippable(element):
            continue
        parent = element.getparent()
        context = f"{class_of(element)} {element_text(element)} "
        context += class_of(parent) if parent is not None else ""
        target = "modified" if patterns.MODIFIED_CLASS.search(context) else "published"
        added = page.add_date(target, element.get("datetime"), "time")
        if added and target == "published":
            note_printed_day(page, element_text(element), "time:text")
            break
    visible = 0
    for element in page.scan.dated:
        classes = class_of(element)
        if element.tag == "time" or not patterns.DATE_CLASS.search(classes) or skippable(element):
            continue
        text = element_text(element)
        if not text or len(text) > 120:
            continue
        if patterns.MODIFIED_CLASS.search(classes):
            added = page.add_date("modified", text, "html:date", find=True)
        else:
            # "December 3, 2025. Updated: December 7, 2025": each date for what it says
            published_part, modified_part = split_published_modified(text)
            added = page.add_date("published", published_part, "html:date", find=True)
            if added:
                note_printed_day(page, published_part, "html:date")
            if modified_part and page.add_date("modified", modified_part, "html:date", find=True):
                added = True
        if added:
            visible += 1
        if visible >= 3:
            break
    for element in (e for e in every_time if e.get("datetime") is None):
        if skippable(element):
            continue
        text = element_text(element)
        parent = element.getparent()
        context = text + " " + element_text(parent) if parent is not None else text
        target = "modified" if patterns.MODIFIED_WORDS.search(context[:80]) else "published"
        if page.add_date(target, text, "time", find=True):
            break


def _add_dates_near_headline(page: PageReader, title: Field | None) -> Evidence | None:
    """Dates printed around the headline; returns the one the page *displays* as published.

    "Published ..." near the headline, or a bare date right under it, is the date the page
    shows its readers.  Other dates there are only added when nothing better was found.
    """
    candidates = page.candidates
    displayed: Evidence | None = None
    had = {target: target in candidates.fields for target in ("published", "modified")}
    added_targets: set[str] = set()
    served = _served_day(page.headers)
    near = _texts_near_title(page.body_texts(), page.h1 or (title.value if title else None))
    for offset, text, context in near:
        if patterns.NOT_PUBLISHED_DATE_CLASS.search(context):
            continue  # a caption's, a live ticker's, an event's or today's date
        modified = bool(patterns.MODIFIED_CLASS.search(context))
        if not modified and patterns.MODIFIED_WORDS.search(text):
            published_part, _modified_part = split_published_modified(text)
            if dates.find_dates(published_part):
                text = published_part  # "May 2, 2025 (updated May 4)": the first is published
            else:
                modified = True
        target = "modified" if modified else "published"
        labelled = target == "published" and (
            bool(patterns.PUBLISHED_LABEL.match(text))
            or (0 < offset <= DISPLAYED_DATE_OFFSET and not _is_served_day(text, served, page))
        )
        if target in added_targets or (had[target] and not labelled):
            continue
        if labelled:
            note_printed_day(page, text, "html:near-title")
        before = len(candidates.fields.get(target, []))
        if page.add_date(target, text, "html:near-title", find=True):
            added_targets.add(target)
            if labelled and len(candidates.fields[target]) > before:
                displayed = candidates.fields[target][-1]
        if len(added_targets) == 2:
            break
    return displayed


def _served_day(headers: Headers) -> str | None:
    """The day the page was served (its HTTP ``Date`` header), as YYYY-MM-DD."""
    value = header_value(headers, "Date")
    if not value:
        return None
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _is_served_day(text: str, served: str | None, page: PageReader) -> bool:
    """True when a bare printed date is the day the page was served: a "today" date in the
    page's header, not when the article was published."""
    if served is None:
        return False
    found = dates.find_dates(text, day_first=page.day_first)
    return bool(found) and found[0].value[:10] == served


def _choose_published(page: PageReader, displayed: Evidence | None) -> Field | None:
    """The publication date after the checks of the module docstring, each noted."""
    candidates = page.candidates
    published = candidates.fields.get("published", [])
    if (
        displayed is not None
        and published
        and _days_apart(published[0].value, displayed.value) > 1
        and published[0].source != "html:near-title"
    ):
        # a date the page prints as its publication date outranks machine data that disagrees
        first = published[0]
        published.remove(displayed)
        note = f"the page prints this publication date; {first.source} says {first.value}"
        published.insert(
            0, replace(displayed, note=f"{displayed.note}; {note}" if displayed.note else note)
        )
    latest_modified = max(
        (e.value[:10] for e in candidates.fields.get("modified", [])), default=None
    )
    if (
        published
        and latest_modified
        and published[0].value[:10] > latest_modified
        and _days_apart(published[0].value, latest_modified) > PUBLISHED_AFTER_MODIFIED_DAYS
    ):
        # a page is not published after it was last modified: take the first that fits
        earlier = next(
            (e for e in published if e.value[:10] <= latest_modified and e.source != "url"), None
        )
        if earlier is not None:
            first = published[0]
            published.remove(earlier)
            note = (
                f"{first.source} gives {first.value}, after the last modification {latest_modified}"
            )
            published.insert(
                0, replace(earlier, note=f"{earlier.note}; {note}" if earlier.note else note)
            )
    return with_printed_day(
        _local_day(note_agreement(candidates.field("published")), page.url), page
    )


def _days_apart(first: str, second: str) -> int:
    """Whole days between two ISO dates (only their date parts are compared)."""
    try:
        return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)
    except ValueError:
        return 0


def _local_day(published: Field | None, url: str | None) -> Field | None:
    """A UTC date-time that falls on the day after the URL's date folder is that URL day.

    Publishers file articles under their local calendar day (``/2025/12/18/``); a time
    stamped in UTC a few hours later (``2025-12-19T03:05:00Z``) is the same moment on the
    publisher's 18th.  The date-time stays among the candidates.
    """
    if published is None or "T" not in published.value:
        return published
    if not published.value.endswith(("Z", "+00:00")):
        return published
    for token in dates.url_dates(url):
        if "YYMMDD" in (token.note or ""):
            continue
        try:
            stamped = datetime.fromisoformat(published.value.replace("Z", "+00:00"))
            filed = date.fromisoformat(token.value)
        except ValueError:
            continue
        if stamped.date() - filed == timedelta(days=1) and stamped.hour < 12:
            note = (
                f"{published.source} gives {published.value} (UTC), which is {token.value} in the "
                f"publisher's calendar: the URL files it under {token.raw}"
            )
            return Field(token.value, "url", token.raw, note, published.candidates)
    return published


def note_agreement(published: Field | None) -> Field | None:
    """Note when other candidates (a URL token, say) confirm the chosen date."""
    if published is None:
        return None
    confirming = [
        e
        for e in published.candidates[1:]
        if e.value[:10] == published.value[:10] and e.source != published.source
    ]
    if not confirming:
        return published
    text = "confirmed by " + ", ".join(f"{e.source} {e.raw!r}" for e in confirming[:3])
    return replace(published, note=f"{published.note}; {text}" if published.note else text)

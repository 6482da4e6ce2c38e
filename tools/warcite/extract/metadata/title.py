"""The title: stated titles cleaned of the site's name, or the visible headline when it agrees."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from warcite.core.models import Evidence, Field
from warcite.extract import patterns
from warcite.extract.metadata.common import HEADLINE_MIN_SHARED, fold, host_label, normalize_text
from warcite.extract.metadata.jsonld import json_string
from warcite.extract.metadata.reader import PageReader, first_element_text, first_h1_text


def clean_title(
    title: str, site_names: Iterable[str], url: str | None = None
) -> tuple[str, str | None]:
    """``title`` without a site-name prefix or suffix, and a note saying what was removed.

    A segment is removed when it matches a known site name or the URL's host label (ignoring
    case, spaces and punctuation), separated by " | ", " - ", " – ", " — ", " · ", " » ",
    " :: " or, for a prefix only, ": ".
    """
    text = normalize_text(title)
    keys = {fold(name) for name in site_names if name and fold(name)}
    label = host_label(url)
    if label:
        keys.add(fold(label))
    if not keys or not text:
        return text, None

    def is_site(segment: str) -> bool:
        key = fold(segment)
        if not key:
            return False
        if key in keys:
            return True
        return any(
            len(k) >= 4
            and (key.startswith(k) or k.startswith(key) or key.endswith(k))
            and len(key) <= len(k) + 12
            for k in keys
        )

    removed: list[str] = []
    for _ in range(3):
        parts = re.split(r"(\s+[|\-–—·•»«/]\s+|\s*\|\s*|\s+::\s+)", text)
        if len(parts) >= 3 and is_site(parts[-1]):
            removed.append(parts[-1])
            text = "".join(parts[:-2]).strip()
            continue
        if len(parts) >= 3 and is_site(parts[0]):
            removed.append(parts[0])
            text = "".join(parts[2:]).strip()
            continue
        colon = re.match(r"^([^:]{2,60}):\s+(.+)$", text)
        if colon and is_site(colon.group(1)):
            removed.append(colon.group(1))
            text = colon.group(2).strip()
            continue
        break
    if not text:
        return normalize_text(title), None
    return text, (
        "removed the site name " + ", ".join(repr(r) for r in removed)
    ) if removed else None


def read_title(page: PageReader) -> Field | None:
    """The title: stated titles cleaned of the site's name, the visible headline when it agrees."""
    candidates = page.candidates
    headline_json = json_string(page.article.get("headline")) or json_string(
        page.article.get("name")
    )
    sources: list[tuple[str | None, str]] = [(headline_json, "json-ld")]
    for key, value in page.meta_values(patterns.META_TITLE):
        sources.append((value, f"meta:{key}"))
    sources.append((first_element_text(page.itemprop_elements("headline")), "microdata"))
    page.h1 = first_h1_text(page.root)
    sources.append((page.h1, "html:h1"))
    sources.append((page.html_title, "html:title"))
    for title_text, source in sources:
        if title_text and normalize_text(title_text):
            cleaned, note = clean_title(title_text, page.site_names, page.url)
            if len(cleaned) >= 2:
                candidates.add("title", cleaned, source, title_text, note)
    titles = candidates.fields.get("title", [])
    headline = next((e for e in titles if e.source == "html:h1"), None)
    if (
        headline is not None
        and titles[0] is headline
        and len(titles) > 1
        and titles[1].source == "html:title"
        and not any(fold(titles[1].value) == fold(name) for name in page.site_names)
        and fold(headline.value) not in fold(titles[1].value)
        and not _headline_agrees(headline.value, titles[1:2], page.site_names)
    ):
        # no title stated for machines, and an <h1> that shares nothing with the <title>:
        # a logo, a greeting or a section name, not this page's headline
        document_title = titles.pop(1)
        note = f"the <h1> {headline.value!r} does not agree with the <title>"
        titles.insert(0, replace(document_title, note=note))
    elif headline is not None and titles[0] is not headline:
        others = [e for e in titles if e is not headline]
        reason = _headline_agrees(headline.value, others, page.site_names)
        if reason:
            # the page's visible headline is the title a reader (and a citation) sees
            titles.remove(headline)
            titles.insert(0, replace(headline, note=reason))
    return candidates.field("title")


def _headline_agrees(
    headline: str, others: Sequence[Evidence], site_names: Sequence[str]
) -> str | None:
    """Why the visible ``<h1>`` should be the title, or None when it is not the headline.

    The ``<h1>`` wins when it shares most of its words with a title the publisher states in
    structured data or ``<title>`` (the same headline, reworded for search engines or
    social media); an ``<h1>`` that is the site's name or shares nothing is a logo or a
    section heading.
    """
    key = fold(headline)
    if not key or any(fold(name) == key for name in site_names) or len(headline.split()) < 2:
        return None
    same = next((other for other in others if fold(other.value) == key), None)
    if same is not None:
        return f"the visible headline, as {same.source} states it"
    letters = [c for c in headline if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return None  # a headline set in capitals: the stated title has the real case
    if any(len(fold(other.value)) >= 10 and fold(other.value) in key for other in others):
        return None  # the <h1> holds the stated title plus page furniture (a date, a count)
    words = {w for w in re.findall(r"\w+", headline.casefold()) if len(w) > 2}
    if not words:
        return None
    for other in others:
        other_words = {w for w in re.findall(r"\w+", other.value.casefold()) if len(w) > 2}
        common = len(words & other_words)
        shared = common / len(words)
        if (
            shared >= HEADLINE_MIN_SHARED
            and common >= HEADLINE_MIN_SHARED * len(other_words)
            and common >= min(2, len(words))
        ):
            return f"the visible headline; shares {shared:.0%} of its words with {other.source}"
    return None

"""The page's language (and with it the locale of numeric dates) and its publisher."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from warcite.core.models import Field
from warcite.extract import dates, patterns
from warcite.extract.metadata.common import fold, header_value, host_label, normalize_language
from warcite.extract.metadata.jsonld import json_string
from warcite.extract.metadata.reader import PageReader, first_element_text


def read_language(page: PageReader) -> Field | None:
    """The page's language, and with it the locale for numeric dates."""
    candidates, root = page.candidates, page.root
    html_lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    candidates.add("language", normalize_language(html_lang), "html:lang", html_lang)
    content_language = header_value(page.headers, "Content-Language")
    candidates.add(
        "language", normalize_language(content_language), "http:content-language", content_language
    )
    for key, value in page.meta_values(["content-language"]):
        candidates.add("language", normalize_language(value), f"meta:{key}", value)
    in_language = json_string(page.article.get("inLanguage"))
    candidates.add("language", normalize_language(in_language), "json-ld", in_language)
    for key, value in page.meta_values(patterns.META_LANGUAGE):
        candidates.add("language", normalize_language(value), f"meta:{key}", value)
    language = candidates.field("language")
    page.day_first, page.locale_note = dates.locale_day_first(
        language.value if language else None, page.url
    )
    return language


def read_publisher(page: PageReader) -> None:
    """Publisher candidates; the site's names are kept on ``page`` for the other fields."""
    candidates, url = page.candidates, page.url
    candidates.add(
        "publisher", json_string(page.json_ld.resolve(page.article.get("publisher"))), "json-ld"
    )
    candidates.add("publisher", page.json_ld.named("WebSite"), "json-ld:WebSite")
    for key, value in page.meta_values(patterns.META_PUBLISHER):
        candidates.add("publisher", value, f"meta:{key}", value)
    # itemprop=name inside a publisher item, or a publisher element holding only text
    microdata_publisher = first_element_text(
        element
        for element in page.itemprop_elements("publisher", "name")
        if (element.get("itemprop") == "publisher" and len(element) == 0)
        or (
            element.get("itemprop") == "name"
            and any(a.get("itemprop") == "publisher" for a in element.iterancestors())
        )
    )
    if microdata_publisher and len(microdata_publisher) <= 100:
        candidates.add("publisher", microdata_publisher, "microdata")
    page.html_title = first_element_text(page.root.iter("title"))
    label = host_label(url)
    if page.html_title and label:
        for segment in re.split(r"\s+[|\-–—·•»:]\s+|\s*\|\s*", page.html_title):
            if fold(segment) == fold(label) and len(segment) > 2:
                candidates.add(
                    "publisher",
                    segment.strip(),
                    "html:title",
                    page.html_title,
                    "the <title> segment that matches the URL's host",
                )
    if page.html_title:
        _add_title_site_name(page)
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        candidates.add("publisher", host.removeprefix("www."), "url", url, "the URL's host name")
    page.site_names = [e.value for e in candidates.fields.get("publisher", [])]


def _add_title_site_name(page: PageReader) -> None:
    """The site's name from a ``<title>`` of the form "Headline | Site" or "Site - Headline".

    Only when one end of the ``<title>`` is the page's headline (a stated title or the
    ``<h1>``) is the short segment at the other end taken for the site's name.
    """
    title = page.html_title or ""
    segments = [part.strip() for part in re.split(r"\s+[|\-–—·•»:]\s+|\s*\|\s*", title)]
    segments = [part for part in segments if part]
    if len(segments) < 2:
        return
    headlines = {fold(value) for _, value in page.meta_values(patterns.META_TITLE)}
    headlines.add(fold(first_element_text(page.root.iter("h1")) or ""))
    headlines.discard("")
    for headline_end, site_end in ((segments[:-1], segments[-1]), (segments[1:], segments[0])):
        if fold(" ".join(headline_end)) in headlines and 2 < len(site_end) <= 60:
            if len(site_end.split()) <= 6:
                page.candidates.add(
                    "publisher",
                    site_end,
                    "html:title",
                    title,
                    "the <title> segment beside the page's headline",
                )
            return

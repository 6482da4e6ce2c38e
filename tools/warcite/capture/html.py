"""Requisite discovery in HTML: stylesheets, icons, images, scripts and inline CSS."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from warcite.capture.css import find_css_references


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in re.split(r",\s+|,(?=\S+\s+\d)", value.strip()):
        token = candidate.strip().split()
        if token:
            urls.append(token[0].rstrip(","))
    return urls


@dataclass(frozen=True)
class _Requisite:
    """A requisite to fetch: what names it, and whether to read it as a stylesheet."""

    url: str
    referer: str
    stylesheet: bool  # named by <link rel=stylesheet> or @import
    import_depth: int  # @import steps from the page (a page's own stylesheets are 0)


def _html_requisites(html: bytes, base_url: str) -> list[_Requisite]:
    """The requisites an HTML document names (see :func:`find_requisites`)."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True)
    try:
        document = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for element in document.iter("base"):
        href = element.get("href")
        if href:
            with contextlib.suppress(ValueError):  # an unparseable <base> is ignored
                base = urljoin(base_url, href.strip())
            break
    found: dict[str, _Requisite] = {}

    def add(url: str, *, stylesheet: bool = False, import_depth: int = 0) -> None:
        if url not in found:
            found[url] = _Requisite(url, base_url, stylesheet, import_depth)

    has_icon = False
    for element in document.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        candidates: list[str] = []
        stylesheet = False
        if tag == "link":
            rel = (element.get("rel") or "").lower().split()
            if "stylesheet" in rel or any("icon" in token for token in rel):
                if any("icon" in token for token in rel):
                    has_icon = True
                stylesheet = "stylesheet" in rel
                candidates.append(element.get("href") or "")
        elif tag in ("img", "source"):
            candidates.append(element.get("src") or "")
            candidates.extend(_srcset_urls(element.get("srcset") or ""))
        elif tag == "script" or (tag == "input" and (element.get("type") or "").lower() == "image"):
            candidates.append(element.get("src") or "")
        for candidate in candidates:
            candidate = candidate.strip()
            if not candidate or candidate.startswith(("data:", "javascript:", "#")):
                continue
            try:
                absolute = urljoin(base, candidate).split("#", 1)[0]
                scheme = urlsplit(absolute).scheme
            except ValueError:  # unparseable, e.g. "http://[bad": not a requisite
                continue
            if scheme in ("http", "https"):
                add(absolute, stylesheet=stylesheet)
        inline_css: list[str] = []
        if tag == "style" and (element.get("type") or "text/css").strip().lower() == "text/css":
            inline_css.append(element.text or "")
        if element.get("style"):
            inline_css.append(element.get("style") or "")
        for css in inline_css:
            for reference in find_css_references(css, base):
                add(
                    reference.url,
                    stylesheet=reference.is_import,
                    import_depth=1 if reference.is_import else 0,
                )
    if not has_icon:
        add(urljoin(base_url, "/favicon.ico"))
    page = base_url.split("#", 1)[0]
    return [requisite for url, requisite in found.items() if url != page]


def find_requisites(html: bytes, base_url: str) -> list[str]:
    """The page requisites an HTML document names, absolute, in document order, deduplicated.

    Stylesheets and icons (``<link rel>``), images (``src`` and ``srcset`` of ``<img>``
    and ``<source>``), scripts, and what inline ``<style>`` blocks and ``style=""``
    attributes reference (``url()``, ``@import``, see :func:`find_css_references`);
    ``<base href>`` is honoured; only http(s) URLs are kept.  The favicon at
    ``/favicon.ico`` is added when the page declares none.  What fetched stylesheets
    reference is found during the capture, by :func:`capture`.
    """
    return [requisite.url for requisite in _html_requisites(html, base_url)]

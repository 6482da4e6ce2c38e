"""Requisite discovery in HTML: stylesheets, icons, images, scripts and inline CSS.

The page is read as a stream of parser events (lxml's parser with a target, fed piece by
piece), never as a tree, so finding the requisites of a 150 MB page takes no more memory
than those of a small one.  References are kept as written and resolved at the end, when
the document's ``<base href>`` is known, as a browser does.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from warcite.capture.css import _requisite_url, scan_css_references
from warcite.capture.urls import normalize_url
from warcite.errors import UsageError

MAX_REFERENCES = 10_000
"""The most distinct references kept from one page (far more than any requisite limit)."""

MAX_REFERENCE_LENGTH = 8192
"""A reference longer than this (a ``data:`` URL, typically) is not a requisite."""

MAX_INLINE_CSS = 8 * 1024 * 1024
"""The most characters of one inline ``<style>`` block that are searched for references."""


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


class _Collector:
    """An lxml parser target that notes every reference a requisite may come from."""

    def __init__(self) -> None:
        # reference as written -> (kind, stylesheet); kind "html" or "css"
        self.references: dict[tuple[str, str], bool] = {}
        self.base: str | None = None
        self.has_icon = False
        self.dropped = 0
        self._style_depth = 0
        self._style_is_css = False
        self._style_text: list[str] = []
        self._style_size = 0

    def _add(self, reference: str, kind: str, stylesheet: bool) -> None:
        reference = reference.strip()
        if not reference or len(reference) > MAX_REFERENCE_LENGTH:
            return
        if reference.startswith(("data:", "javascript:", "#")):
            return
        key = (reference, kind)
        if key in self.references:
            self.references[key] = self.references[key] or stylesheet
        elif len(self.references) < MAX_REFERENCES:
            self.references[key] = stylesheet
        else:
            self.dropped += 1

    def _css(self, css: str) -> None:
        for reference in scan_css_references(css):
            self._add(reference.url, "css", reference.is_import)

    def start(self, tag: Any, attrib: Any) -> None:
        if not isinstance(tag, str):
            return
        tag = tag.lower()
        get = attrib.get
        if tag == "base" and self.base is None:
            href = get("href")
            if href:
                self.base = href.strip()
        elif tag == "link":
            rel = (get("rel") or "").lower().split()
            icon = any("icon" in token for token in rel)
            if "stylesheet" in rel or icon:
                self.has_icon = self.has_icon or icon
                self._add(get("href") or "", "html", "stylesheet" in rel)
        elif tag in ("img", "source"):
            self._add(get("src") or "", "html", False)
            for url in _srcset_urls(get("srcset") or ""):
                self._add(url, "html", False)
        elif tag == "script" or (tag == "input" and (get("type") or "").lower() == "image"):
            self._add(get("src") or "", "html", False)
        if tag == "style":
            self._style_depth += 1
            self._style_is_css = (get("type") or "text/css").strip().lower() == "text/css"
            self._style_text = []
            self._style_size = 0
        style = get("style")
        if style:
            self._css(style)

    def data(self, text: str) -> None:
        if self._style_depth and self._style_is_css and self._style_size < MAX_INLINE_CSS:
            self._style_text.append(text)
            self._style_size += len(text)

    def end(self, tag: Any) -> None:
        if isinstance(tag, str) and tag.lower() == "style" and self._style_depth:
            self._style_depth -= 1
            if self._style_is_css:
                self._css("".join(self._style_text)[:MAX_INLINE_CSS])
            self._style_text = []

    def comment(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _text_encoding(name: str | None) -> str | None:
    """``name`` when Python knows it as a text encoding (not rot13, base64, ...), else None."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def sniff_encoding(head: bytes, declared: str | None) -> str | None:
    """The document's encoding: a BOM, the HTTP charset, a ``<meta>`` charset, else None
    (lxml then guesses, as it would for a file)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if _text_encoding(declared):
        return _text_encoding(declared)
    match = _META_CHARSET.search(head[:4096])
    return _text_encoding(match.group(1).decode("ascii")) if match else None


class HtmlRequisiteFinder:
    """Feed an HTML document in pieces; :meth:`requisites` then gives what it names.

    ``charset`` is the HTTP Content-Type's, when it has one; otherwise a BOM or a
    ``<meta>`` charset in the first piece decides, else lxml's own guess.
    """

    def __init__(self, charset: str | None = None) -> None:
        self._collector = _Collector()
        self._parser: Any = None
        self._charset = charset
        self._fed = False
        self._broken = False

    def _make_parser(self, first: bytes) -> Any:
        from lxml import etree

        encoding = sniff_encoding(first, self._charset)
        try:
            return etree.HTMLParser(target=self._collector, no_network=True, encoding=encoding)
        except (LookupError, ValueError):  # libxml2 does not know it
            return etree.HTMLParser(target=self._collector, no_network=True)

    def feed(self, data: bytes) -> None:
        if self._broken or not data:
            return
        try:
            if self._parser is None:
                self._parser = self._make_parser(data)
            self._parser.feed(data)
            self._fed = True
        except Exception:  # lxml.etree.ParserError / XMLSyntaxError on hopeless input
            self._broken = True

    @property
    def dropped(self) -> int:
        """How many distinct references were not kept (beyond :data:`MAX_REFERENCES`)."""
        return self._collector.dropped

    def requisites(self, base_url: str) -> list[_Requisite]:
        """The requisites, resolved against ``<base href>`` (else ``base_url``), in order."""
        if self._fed and not self._broken:
            with contextlib.suppress(Exception):  # what was read before a failure counts
                self._parser.close()
        collector = self._collector
        base = base_url
        if collector.base:
            try:
                base = urljoin(base_url, collector.base)
            except ValueError:  # an unparseable <base> is ignored
                base = base_url
        found: dict[str, _Requisite] = {}

        def add(url: str, stylesheet: bool, import_depth: int) -> None:
            if url not in found:
                found[url] = _Requisite(url, base_url, stylesheet, import_depth)
            elif stylesheet and not found[url].stylesheet:
                found[url] = _Requisite(url, base_url, True, found[url].import_depth)

        for (reference, kind), stylesheet in collector.references.items():
            if kind == "css":
                url = _requisite_url(base, reference)
                if url is not None:
                    add(url, stylesheet, 1 if stylesheet else 0)
                continue
            resolved = _resolve(base, reference)
            if resolved is not None:
                add(resolved, stylesheet, 0)
        if not collector.has_icon:
            favicon = _resolve(base_url, "/favicon.ico")
            if favicon is not None:
                add(favicon, False, 0)
        try:
            page = normalize_url(base_url)
        except UsageError:
            page = base_url
        return [requisite for url, requisite in found.items() if url != page]


def _resolve(base: str, reference: str) -> str | None:
    """An HTML reference as warcite requests and records it, or None when not http(s)."""
    try:
        absolute = urljoin(base, reference).split("#", 1)[0]
        if urlsplit(absolute).scheme.lower() not in ("http", "https"):
            return None
        return normalize_url(absolute)
    except (ValueError, UsageError):  # unparseable, e.g. "http://[bad": not a requisite
        return None


def _html_requisites(
    html: bytes | Iterable[bytes], base_url: str, charset: str | None = None
) -> list[_Requisite]:
    """The requisites an HTML document names (see :func:`find_requisites`)."""
    finder = HtmlRequisiteFinder(charset)
    for piece in [html] if isinstance(html, bytes) else html:
        finder.feed(piece)
    return finder.requisites(base_url)


def find_requisites(html: bytes, base_url: str) -> list[str]:
    """The page requisites an HTML document names, absolute, in document order, deduplicated.

    Stylesheets and icons (``<link rel>``), images (``src`` and ``srcset`` of ``<img>``
    and ``<source>``), scripts, and what inline ``<style>`` blocks and ``style=""``
    attributes reference (``url()``, ``@import``, see :func:`find_css_references`);
    ``<base href>`` is honoured; only http(s) URLs are kept, percent-encoded as they are
    requested and recorded.  The favicon at ``/favicon.ico`` is added when the page
    declares none.  What fetched stylesheets reference is found during the capture, by
    :func:`capture`.
    """
    return [requisite.url for requisite in _html_requisites(html, base_url)]

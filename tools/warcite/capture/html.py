"""Requisite discovery in HTML: stylesheets, icons, images, scripts and inline CSS.

The page is read by a small streaming tokenizer (:class:`TagScanner`), never as a tree
and never whole, so finding the requisites of a 150 MB page takes no more memory than
those of a small one (lxml's push parser keeps all the input it was fed).  References
are kept as written and resolved at the end, when the document's ``<base href>`` is
known, as a browser does.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from warcite.capture.css import requisite_url, scan_css_references
from warcite.core.charsets import byte_charset
from warcite.core.errors import UsageError
from warcite.core.urls import normalize_url

MAX_REFERENCES = 10_000
"""The most distinct references kept from one page (far more than any requisite limit)."""

MAX_REFERENCE_LENGTH = 8192
"""A reference longer than this (a ``data:`` URL, typically) is not a requisite."""

MAX_INLINE_CSS = 8 * 1024 * 1024
"""The most characters of one inline ``<style>`` block that are searched for references."""


def _unescape(value: str) -> str:
    """An attribute value's character references resolved (HTML's named references are a
    2,000-entry table: loaded when a value needs it, not at every start)."""
    import html

    return html.unescape(value)


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in re.split(r",\s+|,(?=\S+\s+\d)", value.strip()):
        token = candidate.strip().split()
        if token:
            urls.append(token[0].rstrip(","))
    return urls


@dataclass(frozen=True)
class Requisite:
    """A requisite to fetch: what names it, and whether to read it as a stylesheet."""

    url: str
    referer: str
    stylesheet: bool  # named by <link rel=stylesheet> or @import
    import_depth: int  # @import steps from the page (a page's own stylesheets are 0)


class _Collector:
    """The scanner's target: notes every reference a requisite may come from."""

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
    """``name`` as a codec that decodes any bytes (not rot13, idna, BOM-less utf-16...), else None."""
    return byte_charset(name)


def sniff_encoding(head: bytes, declared: str | None) -> str | None:
    """The document's encoding: a BOM, the HTTP charset, a ``<meta>`` charset, else None."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if _text_encoding(declared):
        return _text_encoding(declared)
    match = _META_CHARSET.search(head[:4096])
    return _text_encoding(match.group(1).decode("ascii")) if match else None


_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_TAG_STOP = re.compile(r"""[>"']""")
_OPENING = re.compile(r"<(?:[A-Za-z/!?]|\Z)")
_ATTRIBUTE = re.compile(
    r"""([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "noframes"})
MAX_TAG = 64 * 1024
"""A tag longer than this is read to its end but not reported (no real tag is that long)."""


class TagScanner:
    """A streaming HTML tokenizer that reports start tags, end tags and raw text.

    Just enough of the HTML tokenizer to find references: comments, ``<!...>`` and
    ``<?...>`` are skipped; a tag runs to the first ``>`` outside a quoted attribute value
    (a quote opens a value only after ``=``); the contents of ``<script>``, ``<style>``,
    ``<textarea>``, ``<title>`` (and other raw-text elements) are text up to their end tag;
    attribute values have character references undone.  Every character is looked at a
    bounded number of times, whatever the input (an unclosed tag or comment included), and
    only the unread tail of a tag in progress (at most :data:`MAX_TAG` characters) is kept
    between pieces, so time is linear and memory flat.
    """

    def __init__(self, target: _Collector) -> None:
        self._target = target
        self._buffer = ""
        self._state = "text"  # text, tag, comment, bogus, raw
        self._raw_end: re.Pattern[str] | None = None
        self._raw_tag = ""
        self._scan_from = 0  # in a tag: where to go on looking for its end
        self._quote = ""  # in a tag: the quote of the value being read, if any
        self._dropped_tag = False  # in a tag: too long, read to its end and dropped

    def feed(self, text: str) -> None:
        buffer = self._buffer + text
        position = 0
        length = len(buffer)
        while position < length:
            state = self._state
            if state == "tag":
                end = self._tag_end(buffer, position)
                if end < 0:
                    if self._scan_from - position > MAX_TAG:  # forget what is read of it
                        self._dropped_tag = True
                        position = self._scan_from
                    break
                if not self._dropped_tag:
                    self._tag(buffer[position : end + 1])
                position = end + 1
                self._dropped_tag = False
                if self._state == "tag":
                    self._state = "text"
            elif state == "comment":
                end = buffer.find("-->", position)
                if end < 0:
                    position = max(position, length - 2)
                    break
                position, self._state = end + 3, "text"
            elif state == "bogus":
                end = buffer.find(">", position)
                if end < 0:
                    position = length
                    break
                position, self._state = end + 1, "text"
            elif state == "raw":
                assert self._raw_end is not None
                match = self._raw_end.search(buffer, position)
                if match is None:
                    keep = max(position, length - len(self._raw_tag) - 3)
                    self._target.data(buffer[position:keep])
                    position = keep
                    break
                self._target.data(buffer[position : match.start()])
                self._target.end(self._raw_tag)
                position, self._state = match.end(), "text"
            else:
                opening = _OPENING.search(buffer, position)  # a lone "<" is text
                if opening is None:
                    position = length
                    break
                start = opening.start()
                if start + 1 >= length:
                    position = start  # "<" at the end: wait for what follows
                    break
                following = buffer[start + 1]
                if (following.isascii() and following.isalpha()) or following == "/":
                    if following == "/" and start + 2 >= length:
                        position = start
                        break
                    if following == "/" and not (
                        buffer[start + 2].isascii() and buffer[start + 2].isalpha()
                    ):
                        position, self._state = start + 2, "bogus"  # "</ x>", "</>"
                        continue
                    position, self._state = start, "tag"
                    self._scan_from, self._quote = start + 1, ""
                elif buffer.startswith("<!--", start):
                    position, self._state = start + 4, "comment"
                elif following in "!?":
                    if (
                        following == "!"
                        and length - start < 4
                        and "<!--".startswith(buffer[start:])
                    ):
                        position = start  # maybe a comment: wait
                        break
                    position, self._state = start + 2, "bogus"
                else:
                    position = start + 1  # a "<" that starts nothing: text
        self._scan_from -= position
        self._buffer = buffer[position:]

    def _tag_end(self, buffer: str, start: int) -> int:
        """Where the tag starting at ``start`` ends (its ``>``), or -1 while it goes on."""
        scan = self._scan_from
        length = len(buffer)
        while scan < length:
            if self._quote:
                close = buffer.find(self._quote, scan)
                if close < 0:
                    self._scan_from = length
                    return -1
                self._quote = ""
                scan = close + 1
                continue
            stop = _TAG_STOP.search(buffer, scan)
            if stop is None:
                self._scan_from = length
                return -1
            at = stop.start()
            if buffer[at] == ">":
                self._scan_from = at + 1
                return at
            back = at - 1
            while back > start and buffer[back] in " \t\n\f\r":
                back -= 1
            if buffer[back] == "=":
                self._quote = buffer[at]  # a quoted value: ">" inside it does not count
            scan = at + 1
        self._scan_from = scan
        return -1

    def _tag(self, text: str) -> None:
        match = _TAG_NAME.match(text)
        if match is None:  # pragma: no cover - a tag always starts with its name
            return
        name = match.group(1).lower()
        if text.startswith("</"):
            self._target.end(name)
            return
        attributes: dict[str, str] = {}
        rest = text[match.end() : -1]
        for attribute in _ATTRIBUTE.finditer(rest):
            key = attribute.group(1).lower()
            if key in attributes:
                continue  # the first of a repeated attribute counts, as in browsers
            value = next((group for group in attribute.groups()[1:] if group is not None), "")
            attributes[key] = _unescape(value) if "&" in value else value
        self._target.start(name, attributes)
        if name in _RAW_TEXT and not rest.rstrip().endswith("/"):
            self._state = "raw"
            self._raw_tag = name
            self._raw_end = re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)

    def close(self) -> None:
        if self._state == "raw":
            self._target.data(self._buffer)
            self._target.end(self._raw_tag)
        self._buffer = ""


class HtmlRequisiteFinder:
    """Feed an HTML document in pieces; :meth:`requisites` then gives what it names.

    ``charset`` is the HTTP Content-Type's, when it has one; otherwise a BOM or a
    ``<meta>`` charset in the first piece decides, else UTF-8 when the first piece is
    UTF-8, else windows-1252 (as browsers assume).
    """

    def __init__(self, charset: str | None = None) -> None:
        self._collector = _Collector()
        self._scanner = TagScanner(self._collector)
        self._decoder: codecs.IncrementalDecoder | None = None
        self._charset = charset

    def _make_decoder(self, first: bytes) -> codecs.IncrementalDecoder:
        encoding = sniff_encoding(first, self._charset)
        if encoding is None:
            try:
                first[:65536].decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError as error:
                encoding = "utf-8" if error.start > 65530 else "windows-1252"
        return codecs.getincrementaldecoder(encoding)(errors="replace")

    def feed(self, data: bytes) -> None:
        if not data:
            return
        if self._decoder is None:
            self._decoder = self._make_decoder(data)
        self._scanner.feed(self._decoder.decode(data))

    @property
    def dropped(self) -> int:
        """How many distinct references were not kept (beyond :data:`MAX_REFERENCES`)."""
        return self._collector.dropped

    def requisites(self, base_url: str) -> list[Requisite]:
        """The requisites, resolved against ``<base href>`` (else ``base_url``), in order."""
        if self._decoder is not None:
            self._scanner.feed(self._decoder.decode(b"", final=True))
        self._scanner.close()
        collector = self._collector
        base = base_url
        if collector.base:
            try:
                base = urljoin(base_url, collector.base)
            except ValueError:  # an unparseable <base> is ignored
                base = base_url
        found: dict[str, Requisite] = {}

        def add(url: str, stylesheet: bool, import_depth: int) -> None:
            if url not in found:
                found[url] = Requisite(url, base_url, stylesheet, import_depth)
            elif stylesheet and not found[url].stylesheet:
                found[url] = Requisite(url, base_url, True, found[url].import_depth)

        for (reference, kind), stylesheet in collector.references.items():
            if kind == "css":
                url = requisite_url(base, reference)
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
) -> list[Requisite]:
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

"""Parsing: lxml's recovering HTML parser, bounded (huge scripts emptied, depth warned)."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from warcite.core.errors import ExtractionError
from warcite.extract import selectors as sel

#: A <script> or <style> whose content exceeds this many UTF-8 bytes is emptied before
#: parsing: libxml2 refuses a text node over 10,000,000 bytes and stops there, losing the
#: rest of the page (``huge_tree`` would lift that limit, and the 256-level depth bound too).
MAX_RAW_TEXT_BYTES = 8 * 1024 * 1024


_RAW_TEXT_START = re.compile(r"<(script|style)\b", re.IGNORECASE)


def parse_html(text: str) -> HtmlElement:
    """Parse an HTML document safely; ExtractionError when there is nothing to parse."""
    return parse_with_warnings(text)[0]


def _empty_huge_raw_text(text: str) -> tuple[str, bool]:
    """``text`` with the content of each <script> and <style> over
    :data:`MAX_RAW_TEXT_BYTES` removed (one linear scan), and whether any was."""
    if len(text) <= MAX_RAW_TEXT_BYTES // 4 or (
        len(text) <= MAX_RAW_TEXT_BYTES
        and len(text.encode("utf-8", "replace")) <= MAX_RAW_TEXT_BYTES
    ):
        return text, False  # no part of it can be too large
    pieces: list[str] = []
    kept = 0  # text[:kept] is in pieces
    position = 0
    while (start := _RAW_TEXT_START.search(text, position)) is not None:
        opened = text.find(">", start.end())
        if opened < 0:
            break
        end_tag = re.compile(rf"</{start.group(1)}(?=[\s/>])", re.IGNORECASE)
        closed = end_tag.search(text, opened + 1)
        end = closed.start() if closed is not None else len(text)
        content = text[opened + 1 : end]
        if len(content) > MAX_RAW_TEXT_BYTES // 4 and (
            len(content.encode("utf-8", "replace")) > MAX_RAW_TEXT_BYTES
        ):
            pieces.append(text[kept : opened + 1])
            kept = end
        if closed is None:
            break
        position = closed.end()
    if not pieces:
        return text, False
    pieces.append(text[kept:])
    return "".join(pieces), True


#: How many characters of the document are encoded to UTF-8 at a time for the parser.
FEED_CHARS = 1 << 20


class _Utf8Feed:
    """A file-like view of a ``str`` as UTF-8, encoded a piece at a time: libxml2's
    parser reads the document through it, so no UTF-8 copy of the whole page is made
    (each code point encodes alone: the bytes are those of ``text.encode("utf-8",
    "replace")``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def read(self, size: int = -1) -> bytes:  # lxml buffers what is longer than ``size``
        start = self.position
        if start >= len(self.text):
            self.text = ""  # read to the end: the string is no longer held here
            return b""
        self.position = start + FEED_CHARS
        return self.text[start : self.position].encode("utf-8", "replace")


def parse_with_warnings(text: str) -> tuple[HtmlElement, tuple[str, ...]]:
    """The parsed document and warnings about what the parser could not read."""
    if not text.strip():
        raise ExtractionError("no article text found: the document is empty")
    # lxml's plain HTML parser: the same libxml2 tree as lxml.html's, without a Python
    # class lookup for every element touched (a third of the time extraction took).
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        collect_ids=False,
        default_doctype=False,
    )
    # Browsers keep reading after a premature </body> or </html> (HTML5 ignores both end
    # tags); libxml2 drops what follows them, so they are removed first.
    text = sel.DOCUMENT_END_TAGS.sub("", text.replace("\x00", ""))
    text, emptied = _empty_huge_raw_text(text)
    feed = _Utf8Feed(text)
    del text  # the caller's string is all that is left
    try:
        root = etree.parse(feed, parser=parser).getroot()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ExtractionError(
            f"no article text found: the HTML cannot be parsed ({error})"
        ) from error
    if root is None:
        raise ExtractionError("no article text found: the document is empty")
    warnings: tuple[str, ...] = ()
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        warnings = (
            "the page nests elements more than 256 levels deep; the HTML parser stopped "
            "there, so any text deeper in the page or after that point is missing",
        )
    if emptied:
        warnings += (
            f"a <script> or <style> of more than {MAX_RAW_TEXT_BYTES} bytes was left "
            "out unread (the HTML parser cannot hold it)",
        )
    return root, warnings

"""Parsing: lxml's recovering HTML parser, bounded (huge scripts emptied, depth warned)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from warcite.core.errors import ExtractionError
from warcite.extract import compact
from warcite.extract import selectors as sel

#: A <script> or <style> whose content exceeds this many UTF-8 bytes is emptied before
#: parsing: libxml2 refuses a text node over 10,000,000 bytes and stops there, losing the
#: rest of the page (``huge_tree`` would lift that limit, and the 256-level depth bound too).
MAX_RAW_TEXT_BYTES = 8 * 1024 * 1024


_RAW_TEXT_START = re.compile(r"<(script|style)\b", re.IGNORECASE)


def parse_html(text: str | Iterable[str]) -> HtmlElement:
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


#: How many characters of a ``str`` document are handed to the parser at a time.
FEED_CHARS = 1 << 16

#: What may start a match of :data:`selectors.DOCUMENT_END_TAGS` cut at a piece's end.
_END_TAG_PREFIX = re.compile(
    r"<(?:/\s*(?:b(?:o(?:d(?:y\s*)?)?)?|h(?:t(?:m(?:l\s*)?)?)?)?)?\Z", re.IGNORECASE
)
#: What may start a match of ``_RAW_TEXT_START`` cut at a piece's end.
_RAW_TEXT_PREFIX = re.compile(
    r"<(?:s(?:c(?:r(?:i(?:p(?:t)?)?)?)?|t(?:y(?:l(?:e)?)?)?)?)?\Z", re.IGNORECASE
)


class _Feed:
    """The document for libxml2, cleaned and encoded to UTF-8 a piece at a time.

    ``pieces`` are the decoded page in order (their concatenation is the page's text); the
    parser reads the UTF-8 bytes of that text with NUL characters and ``</body>``/``</html>``
    end tags removed and huge scripts and styles emptied (:func:`_empty_huge_raw_text`),
    exactly as if the whole text had been cleaned and encoded at once, without ever holding
    the whole text or its UTF-8 copy.  ``has_text`` and ``emptied`` tell, once read, whether
    the page held anything but whitespace and whether a script or style was emptied.
    """

    def __init__(self, pieces: Iterable[str]) -> None:
        self.has_text = False
        self.emptied = False
        self.output = self._without_huge_raw_text(self._without_end_tags(self._read(pieces)))

    def read(self, size: int = -1) -> bytes:  # lxml buffers what is longer than ``size``
        for piece in self.output:
            if piece:
                return piece.encode("utf-8", "replace")  # each code point encodes alone
        return b""

    def _read(self, pieces: Iterable[str]) -> Iterator[str]:
        for piece in pieces:
            if not self.has_text and piece.strip():
                self.has_text = True
            yield piece.replace("\x00", "")

    @staticmethod
    def _without_end_tags(pieces: Iterable[str]) -> Iterator[str]:
        # A match holds one "<", its first character: the text before the last "<" of what
        # was read can be cleaned unless a match may start there and go on in the next piece.
        held = ""
        for piece in pieces:
            buffer = held + piece if held else piece
            cut = buffer.rfind("<")
            if cut >= 0 and _END_TAG_PREFIX.match(buffer, cut):
                buffer, held = buffer[:cut], buffer[cut:]
            else:
                held = ""
            if buffer:
                yield sel.DOCUMENT_END_TAGS.sub("", buffer)
        if held:
            yield sel.DOCUMENT_END_TAGS.sub("", held)

    def _without_huge_raw_text(self, pieces: Iterable[str]) -> Iterator[str]:
        """:func:`_empty_huge_raw_text` on the concatenation of ``pieces``, piece by piece
        (a script's content is held until it ends or passes :data:`MAX_RAW_TEXT_BYTES`)."""
        source = iter(pieces)
        buffer = ""
        state = "outside"  # then "tag" (in a <script ...>), "content", or "done"
        end_tag = _RAW_TEXT_START  # replaced by the end tag's pattern in a script
        name_length = 0
        content: list[str] = []
        content_bytes = 0
        final = False
        while not final:
            piece = next(source, None)
            if piece is None:
                final = True
            else:
                buffer = buffer + piece if buffer else piece
            while True:
                if state == "done":
                    if buffer:
                        yield buffer
                    buffer = ""
                    break
                if state == "outside":
                    found = _RAW_TEXT_START.search(buffer)
                    if found is None or (found.end() == len(buffer) and not final):
                        # no start here, or one whose "\b" the next piece decides
                        cut = buffer.rfind("<") if found is None else found.start()
                        if (
                            not final
                            and cut >= 0
                            and (found is not None or _RAW_TEXT_PREFIX.match(buffer, cut))
                        ):
                            yield buffer[:cut]
                            buffer = buffer[cut:]
                        else:
                            yield buffer
                            buffer = ""
                        break
                    yield buffer[: found.end()]
                    name = found.group(1)
                    end_tag = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE)
                    name_length = len(name)
                    buffer = buffer[found.end() :]
                    state = "tag"
                    continue
                if state == "tag":
                    opened = buffer.find(">")
                    if opened < 0:
                        if final:
                            state = "done"
                            continue
                        yield buffer
                        buffer = ""
                        break
                    yield buffer[: opened + 1]
                    buffer = buffer[opened + 1 :]
                    state = "content"
                    content, content_bytes = [], 0
                    continue
                closed = end_tag.search(buffer)  # state "content"
                if closed is None:
                    take = len(buffer)
                    if not final:  # "</script" at the end: the next character decides
                        cut = buffer.rfind("<", max(0, len(buffer) - name_length - 2))
                        take = cut if cut >= 0 else take
                    part, buffer = buffer[:take], buffer[take:]
                else:
                    part, buffer = buffer[: closed.start()], buffer[closed.start() :]
                if content_bytes <= MAX_RAW_TEXT_BYTES and part:
                    content.append(part)
                    content_bytes += len(part.encode("utf-8", "replace"))
                    if content_bytes > MAX_RAW_TEXT_BYTES:
                        content = []  # too large: left out, whatever follows
                if closed is None and not final:
                    break
                if content_bytes > MAX_RAW_TEXT_BYTES:
                    self.emptied = True
                else:
                    yield "".join(content)
                content = []
                if closed is None:  # the script runs to the end of the page
                    state = "done"
                    buffer = ""
                    continue
                yield buffer[: closed.end() - closed.start()]
                buffer = buffer[closed.end() - closed.start() :]
                state = "outside"


def _slices(text: str) -> Iterator[str]:
    for start in range(0, len(text), FEED_CHARS):
        yield text[start : start + FEED_CHARS]


def _parser(target: Any = None) -> etree.HTMLParser:
    # lxml's plain HTML parser: the same libxml2 tree as lxml.html's, without a Python
    # class lookup for every element touched (a third of the time extraction took).
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        collect_ids=False,
        default_doctype=False,
        target=target,
    )


def parse_events(pieces: Iterable[str], target: Any) -> Any:
    """Parse the decoded page given in ``pieces`` (cleaned as :func:`parse_with_warnings`
    cleans it) into the calls of a parser ``target`` (``start(tag, attrib)``, ``data(text)``,
    ``end(tag)``, ``close()``): no tree is built.  What ``close()`` returns."""
    return etree.parse(_Feed(pieces), parser=_parser(target))


def parse_with_warnings(text: str | Iterable[str]) -> tuple[HtmlElement, tuple[str, ...]]:
    """The parsed document and warnings about what the parser could not read.

    ``text`` is the decoded page, or its pieces in order (as
    :meth:`warcite.core.decode.SniffedBody.pieces` gives them): the parser reads it a piece
    at a time, so no whole copy of the page is made (see docs/extraction.md, "Memory").
    """
    parser = _parser()
    feed = _Feed(_slices(text) if isinstance(text, str) else text)
    del text  # only the caller's reference is left
    root = _parsed(feed, parser).getroot()
    if root is None:
        raise ExtractionError(_EMPTY)
    halted = any("Excessive depth" in entry.message for entry in parser.error_log)
    return root, _warnings(feed, halted=halted)


def parse_compact(text: str | Iterable[str]) -> tuple[compact.Element, tuple[str, ...]]:
    """:func:`parse_with_warnings`, the page kept as a
    :class:`~warcite.extract.compact.CompactDocument` (a few arrays) rather than lxml's
    tree: its root element, and the same warnings."""
    feed = _Feed(_slices(text) if isinstance(text, str) else text)
    del text
    document = _parsed(feed, _parser(compact.Builder()))
    if document is None:
        raise ExtractionError(_EMPTY)
    return document.element(0), _warnings(feed, halted=document.halted)


_EMPTY = "no article text found: the document is empty"


def _parsed(feed: _Feed, parser: etree.HTMLParser) -> Any:
    """What lxml's parse gives for the feed (the tree, or the target's result), refusing a
    page with nothing but whitespace."""
    # Browsers keep reading after a premature </body> or </html> (HTML5 ignores both end
    # tags); libxml2 drops what follows them, so they are removed first (by the feed).
    try:
        parsed = etree.parse(feed, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        if not feed.has_text:
            raise ExtractionError(_EMPTY) from None
        raise ExtractionError(
            f"no article text found: the HTML cannot be parsed ({error})"
        ) from error
    if not feed.has_text:
        raise ExtractionError(_EMPTY)
    return parsed


def _warnings(feed: _Feed, *, halted: bool) -> tuple[str, ...]:
    """Warnings about what the parser could not read."""
    warnings: tuple[str, ...] = ()
    if halted:
        warnings = (
            "the page nests elements more than 256 levels deep; the HTML parser stopped "
            "there, so any text deeper in the page or after that point is missing",
        )
    if feed.emptied:
        warnings += (
            f"a <script> or <style> of more than {MAX_RAW_TEXT_BYTES} bytes was left "
            "out unread (the HTML parser cannot hold it)",
        )
    return warnings

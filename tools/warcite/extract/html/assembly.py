"""Paragraph assembly: one pass over the cleaned tree turns it into :class:`Block` values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from warcite.extract import selectors as sel
from warcite.extract.html.blocks import (
    ARTICLE_PROSE_SHARE,
    CONSENT_MAX_CHARS,
    HIDDEN_COPY_SHARE,
    MIN_ARTICLE_CHARS,
    WORD,
    Block,
    normalize_preformatted,
    normalize_text,
)
from warcite.extract.html.cleaning import is_hidden, marks_boilerplate, may_wrap_article, names_any

#: Tags that can mark an element as furniture without any attribute.
_TAG_MARKABLE = sel.BOILERPLATE_TAGS | {sel.HEADER_TAG}


class BlockBuilder:
    """Turns a cleaned tree into :class:`Block` values in one pass (of a tree's elements,
    or of the events of a parse: :mod:`warcite.extract.html.streamed`).

    ``marks`` says whether an element is marked as furniture (:func:`marks_boilerplate`).
    """

    def __init__(self, marks: Callable[[Any, str], bool] = marks_boilerplate) -> None:
        self.marks_boilerplate = marks
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.owners: list[HtmlElement] = []
        self.pre = 0
        self.headings: list[int] = []
        self.list_items = 0
        self.quotes = 0
        self.links = 0
        self.breaks = 0
        self.marks: list[HtmlElement] = []
        self.marked: list[bool] = []
        self.hidden: set[HtmlElement] = set()

    def add(self, text: str | None) -> None:
        if not text:
            return
        if not self.parts and not self.pre and text.isspace():
            return  # whitespace before a block's first text is dropped by normalising anyway
        self.parts.append(text)
        if self.links:
            self.link_chars += len(text.strip())
        if not text.isspace():
            self.breaks = 0

    def kind(self) -> str:
        if self.pre:
            return "preformatted"
        if self.headings:
            return "heading"
        if self.list_items:
            return "list-item"
        if self.quotes:
            return "quote"
        return "paragraph"

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        kind = self.kind()
        text = normalize_preformatted(raw) if kind == "preformatted" else normalize_text(raw)
        if text and self.owners:
            self.emit(text, kind, min(self.link_chars, len(text)))
        self.parts = []
        self.link_chars = 0
        self.breaks = 0

    def emit(self, text: str, kind: str, link_chars: int) -> None:
        """Keep a block of the text gathered (its owner, heading level and marks are the
        builder's current ones)."""
        self.blocks.append(
            Block(
                text=text,
                kind=kind,
                owner=self.owners[-1],
                link_chars=link_chars,
                heading_level=self.headings[-1] if self.headings else 0,
                marks=tuple(self.marks),
            )
        )

    def start(self, element: HtmlElement, tag: str) -> None:
        # Inside <pre> every element is part of the code (highlighter classes such as
        # "hljs-comment" name syntax, not furniture).
        marked = (
            not self.pre
            # most elements have no attributes and a tag that is never furniture by itself
            and (tag in _TAG_MARKABLE or bool(element.attrib))
            and self.marks_boilerplate(element, tag)
        )
        self.marked.append(marked)
        if tag in sel.BLOCK_TAGS or marked:
            self.flush()
            self.owners.append(element)
            if marked:
                self.marks.append(element)
                if element.attrib and (
                    is_hidden(element.attrib) or names_any(element, sel.VISUALLY_HIDDEN_WORDS)
                ):
                    self.hidden.add(element)
            if tag in sel.PREFORMATTED_TAGS:
                self.pre += 1
            elif tag in sel.HEADING_TAGS:
                self.headings.append(int(tag[1]))
            elif tag in sel.LIST_ITEM_TAGS:
                self.list_items += 1
            elif tag in sel.QUOTE_TAGS:
                self.quotes += 1
        elif tag == "br":
            if self.pre:
                self.add("\n")
            else:
                self.breaks += 1
                if self.breaks >= 2:
                    self.flush()
                else:
                    self.add(" ")
                    self.breaks = 1
        elif tag in sel.TABLE_CELL_TAGS:
            self.add(" | " if any(not part.isspace() for part in self.parts) else " ")
        elif tag in sel.LINK_TAGS:
            self.links += 1
        text = element.text
        if text:
            self.add(text)

    def end(self, element: HtmlElement, tag: str) -> None:
        marked = self.marked.pop()
        if tag in sel.BLOCK_TAGS or marked:
            self.flush()
            self.owners.pop()
            if marked:
                self.marks.pop()
            if tag in sel.PREFORMATTED_TAGS:
                self.pre -= 1
            elif tag in sel.HEADING_TAGS:
                self.headings.pop()
            elif tag in sel.LIST_ITEM_TAGS:
                self.list_items -= 1
            elif tag in sel.QUOTE_TAGS:
                self.quotes -= 1
        elif tag in sel.LINK_TAGS:
            self.links -= 1
        elif tag in sel.TABLE_CELL_TAGS:
            self.add(" ")
        tail = element.tail
        if tail:
            self.add(tail)


def build_blocks(root: HtmlElement) -> list[Block]:
    """Every text block under ``root``, in document order, furniture flagged.

    A block inside an element marked as furniture (:func:`marks_boilerplate`) is flagged
    ``boilerplate`` unless that element holds at least :data:`ARTICLE_PROSE_SHARE` of the
    page's prose (then the mark sits on a wrapper of the article, as in ``has-sidebar``)
    and may wrap an article (:func:`may_wrap_article`); hidden elements are kept when
    together they hold that share.
    """
    builder = BlockBuilder()
    builder.owners.append(root)
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if element is root:
            if event == "start":
                builder.add(element.text)
            continue
        if event == "start":
            builder.start(element, tag)  # libxml2's HTML parser lowercases tag names
        else:
            builder.end(element, tag)
    builder.flush()
    return finish_blocks(builder.blocks, builder.hidden)


def finish_blocks(
    blocks: list[Block],
    hidden: set[Any],
    may_wrap: Callable[..., bool] = may_wrap_article,
) -> list[Block]:
    """The decisions :func:`build_blocks` takes once every block is known (``hidden``: the
    marked elements that are hidden; ``may_wrap`` as :func:`cleaning.may_wrap_article`)."""
    for block in blocks:
        if block.prose_chars and _is_consent_notice(block.text):
            block.excluded = True  # a cookie or "do not sell" notice is never the article
    if hidden:
        _exclude_hidden_copies(blocks, hidden)
    prose_by_mark: dict[HtmlElement, int] = {}
    semantic_free = 0
    for block in blocks:
        chars = block.prose_chars
        if not chars or block.excluded:
            continue
        for mark in block.marks:
            prose_by_mark[mark] = prose_by_mark.get(mark, 0) + chars
        if not any(_tag(mark) in sel.SEMANTIC_FURNITURE_TAGS for mark in block.marks):
            semantic_free += chars
    prose_elsewhere = semantic_free >= MIN_ARTICLE_CHARS
    wraps = {mark: may_wrap(mark, prose_elsewhere=prose_elsewhere) for mark in prose_by_mark}
    # The share is taken of the prose that could be the article: not comment sections,
    # consent overlays, sidebars and other furniture that never wraps it (a long comment
    # thread must not make the article's wrapper look small).
    candidate_prose = sum(
        block.prose_chars
        for block in blocks
        if block.prose_chars
        and not block.excluded
        and all(wraps.get(mark, True) for mark in block.marks)
    )
    protected = {
        mark
        for mark, chars in prose_by_mark.items()
        if candidate_prose and chars >= ARTICLE_PROSE_SHARE * candidate_prose and wraps[mark]
    }
    # Pages that stream their text into hidden elements for scripts to reveal (React
    # server rendering, "read more" toggles): hidden text that is most of the prose is read
    # (hidden copies of visible text were excluded above).
    hidden_prose = sum(
        block.prose_chars
        for block in blocks
        if block.prose_chars and not block.excluded and any(mark in hidden for mark in block.marks)
    )
    if candidate_prose and hidden_prose >= ARTICLE_PROSE_SHARE * candidate_prose:
        protected.update(hidden)
        for block in blocks:
            block.hidden_text = any(mark in hidden for mark in block.marks)
    for block in blocks:
        block.boilerplate = block.excluded or any(mark not in protected for mark in block.marks)
    return blocks


def _tag(element: HtmlElement) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _is_consent_notice(text: str) -> bool:
    """A cookie-consent or privacy ("do not sell") notice, by its words."""
    if len(text) > CONSENT_MAX_CHARS:
        return False
    lowered = text.lower()
    if not ("cookie" in lowered or "sell" in lowered or "agree" in lowered or "consent" in lowered):
        return False
    return bool(sel.CONSENT_TEXT.search(text))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.casefold())
    if len(words) < 4:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _exclude_hidden_copies(blocks: Sequence[Block], hidden: set[HtmlElement]) -> None:
    """Exclude hidden blocks that repeat visible text (a ``display:none`` microdata copy
    of the article, an ``aria-hidden`` duplicate): they would double the text."""
    copies = [
        block
        for block in blocks
        if block.prose_chars and any(mark in hidden for mark in block.marks)
    ]
    if not copies:
        return
    visible: set[tuple[str, ...]] = set()
    for block in blocks:
        if block.prose_chars and not any(mark in hidden for mark in block.marks):
            visible |= _shingles(block.text)
    if not visible:
        return
    for block in copies:
        own = _shingles(block.text)
        if own and len(own & visible) >= HIDDEN_COPY_SHARE * len(own):
            block.excluded = True

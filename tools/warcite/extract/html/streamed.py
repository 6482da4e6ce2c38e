"""A large page's text blocks from a second parse, without a tree (see docs/extraction.md,
"Memory").

libxml2's tree of a page costs two to eight times the page (every element, attribute and
text node is a C structure of about 100 bytes), and the Python text of its blocks two times
more when the text has a character beyond Latin-1.  For a page of at least
:data:`STREAMED_PAGE_BYTES`, :func:`warcite.extract.html.extract_html` reads the metadata
from the tree, frees the tree, then parses the page again into parser-target events
(:func:`streamed_blocks`): the events are cleaned the way :func:`~warcite.extract.html.
cleaning.discard_non_text` cleans the tree, and turned into blocks by the same
:class:`~warcite.extract.html.assembly.BlockBuilder`.  A :class:`Node` stands for an element
(its tag, the attributes the text rules read, its parent and its place in the document);
only the nodes that hold blocks, and their ancestors, are kept.  What the tree path reads
from an element's descendants is gathered as the events go (``flags``): whether a
``header`` holds the ``h1`` or a long paragraph is settled when it closes.
"""

from __future__ import annotations

import ctypes
import functools
import gc
from array import array
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from warcite.extract import selectors as sel
from warcite.extract.html.assembly import BlockBuilder, finish_blocks
from warcite.extract.html.blocks import MARKED_BODY_SHARE, PROSE_MIN_CHARS, Block
from warcite.extract.html.cleaning import marks_boilerplate, names_any, names_content
from warcite.extract.html.container import block_value
from warcite.extract.html.parse import parse_events

#: A decoded page of at least this many bytes has its text read by :func:`streamed_blocks`
#: (after the metadata, from a second parse) rather than from the tree.
STREAMED_PAGE_BYTES = 8 * 1024 * 1024

#: The depth at which libxml2 stops building its tree (256 elements, ``<html>`` the first;
#: warcite never sets ``huge_tree``); a parser target is not stopped, so the events stop
#: there too.
MAX_DEPTH = 256

#: The only attributes the text rules read (furniture marks, hidden state, article bodies).
KEPT_ATTRIBUTES = frozenset({"class", "id", "role", "hidden", "aria-hidden", "style", "itemprop"})

# What a node's descendants hold (``Node.flags``).
HOLDS_H1 = 1
HOLDS_MAIN = 2
HOLDS_LONG_PARAGRAPH = 4  # a <p> of at least 2 * PROSE_MIN_CHARS characters
HOLDS_ARTICLE_BODY = 8  # an element named as the article body

_NO_ATTRIBUTES: dict[str, str] = {}
#: How many distinct attribute sets are shared between nodes (a page's elements repeat a
#: few sets of classes; beyond this many, each node keeps its own).
_SHARED_ATTRIBUTE_SETS = 4096


class Node:
    """An element of the page, as far as the text rules read it (in place of lxml's)."""

    __slots__ = ("attrib", "flags", "index", "parent", "tag")

    #: The text is handed to the builder as it comes (see ``_Events._dispatch``), not kept.
    text = None
    tail = None

    def __init__(self, tag: str, attrib: dict[str, str], parent: Node | None, index: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.parent = parent
        self.index = index  # its place in document order
        self.flags = 0

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    def getparent(self) -> Node | None:
        return self.parent

    def iterancestors(self) -> Iterable[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        return f"<Node {self.tag} #{self.index}>"


class _Events:
    """A parser target: the cleaned events of the page, fed to a :class:`BlockBuilder`.

    ``unwrapped`` are the places (in document order, counting every element) of the form
    controls :func:`~warcite.extract.html.cleaning.release_swallowed` unwraps: their start
    and end are left out, their content kept.  Every other element of
    :data:`selectors.DISCARDED_TAGS` is left out with its content (its tail kept).  An
    element's text is known at the next event, so each event is handed on one event late.
    """

    def __init__(self, unwrapped: set[int]) -> None:
        self.unwrapped = unwrapped
        self.headers: list[Node] = []
        self.builder = BlockBuilder(self._marks)
        self.place = -1  # of the last element started, counting every element
        self.depth = 0  # of the elements open, counting every element
        self.halted = False  # at an element deeper than MAX_DEPTH
        self.skipping = 0  # depth inside a discarded element
        self.stack: list[Node | None] = []  # open elements (None: an unwrapped control)
        self.open: list[Node] = []
        self.chars: list[int] = []  # characters of text inside each open node so far
        self.root: Node | None = None
        self.closed = False
        self.pending: tuple[str, Node] | None = None
        self.buffer: list[str] = []
        self.attribute_sets: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self.tags: dict[str, str] = {}  # one string per tag name, not one per element

    def _marks(self, element: Any, tag: str) -> bool:
        if tag == sel.HEADER_TAG:  # settled when it ends (:func:`marks_boilerplate`)
            self.headers.append(element)
            return True
        return marks_boilerplate(element, tag)

    def _attributes(self, attrib: Any) -> dict[str, str]:
        if not attrib:
            return _NO_ATTRIBUTES
        kept = tuple((k, v) for k, v in attrib.items() if k in KEPT_ATTRIBUTES)
        if not kept:
            return _NO_ATTRIBUTES  # none that a rule reads: as if there were none
        shared = self.attribute_sets.get(kept)
        if shared is None:
            shared = dict(kept)
            if len(self.attribute_sets) < _SHARED_ATTRIBUTE_SETS:
                self.attribute_sets[kept] = shared
        return shared

    def _dispatch(self) -> None:
        """Hand the pending event on, with the text gathered since."""
        text = "".join(self.buffer) if self.buffer else None
        self.buffer = []
        pending = self.pending
        if pending is None:
            return
        self.pending = None
        kind, node = pending
        if kind == "start":
            self.builder.start(node, node.tag)  # then its text, as the builder reads it
        elif kind == "end":
            self.builder.end(node, node.tag)  # then its tail
        self.builder.add(text)  # the root: only its text is read

    def start(self, tag: str, attrib: Any) -> None:
        if self.halted:
            return
        self.depth += 1
        if self.depth > MAX_DEPTH:  # libxml2's tree stops here (the tree path warns)
            self.halted = True
            return
        self.place += 1
        if self.closed:
            return
        if self.skipping:
            self.skipping += 1
            return
        if self.place in self.unwrapped:
            self.stack.append(None)
            return
        if tag in sel.DISCARDED_TAGS and self.root is not None:
            self.skipping = 1
            return
        self._dispatch()
        tag = self.tags.setdefault(tag, tag)
        node = Node(tag, self._attributes(attrib), self.open[-1] if self.open else None, self.place)
        self.stack.append(node)
        self.open.append(node)
        self.chars.append(0)
        if self.root is None:
            self.root = node
            self.builder.owners.append(node)
            self.pending = ("root", node)
        else:
            self.pending = ("start", node)

    def data(self, text: str) -> None:
        if self.halted or self.skipping or self.closed or not self.open:
            return
        self.buffer.append(text)
        self.chars[-1] += len(text)

    def end(self, tag: str) -> None:
        if self.halted:
            return
        self.depth -= 1
        if self.closed:
            return
        if self.skipping:
            self.skipping -= 1
            return
        if self.stack.pop() is None:
            return
        self._dispatch()
        node = self.open.pop()
        chars = self.chars.pop()
        parent = node.parent
        if parent is not None:
            held = node.flags
            if node.tag == "h1":
                held |= HOLDS_H1
            elif node.tag == "main":
                held |= HOLDS_MAIN
            elif node.tag == "p" and chars >= 2 * PROSE_MIN_CHARS:
                held |= HOLDS_LONG_PARAGRAPH
            if node.attrib and names_content(node):
                held |= HOLDS_ARTICLE_BODY
            parent.flags |= held
            self.chars[-1] += chars
        if node is self.root:
            self.closed = True
        else:
            self.pending = ("end", node)

    def close(self) -> list[Block]:
        if self.halted:  # the elements open at the halt end there, as in the tree
            self.halted = False
            self.skipping = 0
            while self.stack and not self.closed:
                self.end("")
        self._dispatch()
        self.builder.flush()
        blocks = self.builder.blocks
        # a header holding the h1 or a long paragraph is not furniture after all
        kept = {
            header for header in self.headers if header.flags & (HOLDS_H1 | HOLDS_LONG_PARAGRAPH)
        }
        if kept:
            for block in blocks:
                if any(mark in kept for mark in block.marks):
                    block.marks = tuple(mark for mark in block.marks if mark not in kept)
            self.builder.hidden -= kept
        return finish_blocks(blocks, self.builder.hidden, may_wrap=_may_wrap_article)


def _may_wrap_article(node: Any, *, prose_elsewhere: bool = True) -> bool:
    """:func:`~warcite.extract.html.cleaning.may_wrap_article` of a :class:`Node`."""
    if names_any(node, sel.COMMENT_WORDS) or names_any(node, sel.CONSENT_WORDS):
        return False
    if node.tag.lower() in sel.SEMANTIC_FURNITURE_TAGS:
        if not prose_elsewhere:
            return True
        if node.flags & (HOLDS_H1 | HOLDS_MAIN):
            return True
        return bool(names_content(node) or node.flags & HOLDS_ARTICLE_BODY)
    return True


def streamed_blocks(pieces: Iterable[str], unwrapped: set[int]) -> tuple[list[Block], int]:
    """The page's blocks, as :func:`~warcite.extract.html.assembly.build_blocks` gives them
    for its cleaned tree, from the decoded page's ``pieces`` (parsed again, into events),
    and how many elements the page has; ``unwrapped`` as :func:`unwrapped_places` gives it
    from the page's tree."""
    events = _Events(unwrapped)
    blocks: list[Block] = parse_events(pieces, events)
    return blocks, events.place + 1


def unwrapped_places(root: Any) -> set[int]:
    """The places in document order (counting every element of the tree) of the form
    controls :func:`~warcite.extract.html.cleaning.release_swallowed` would unwrap."""
    from warcite.extract.html.cleaning import swallowing_controls

    controls = set(swallowing_controls(root))
    if not controls:
        return set()
    return {place for place, element in enumerate(root.iter()) if element in controls}


#: A node already listed by :func:`_document_order` (``Node.flags``).
_LISTED = 16


def _document_order(owners: Iterable[Node]) -> list[Node]:
    """``owners`` and all their ancestors, in document order (no set of a large page's
    nodes: a flag marks those listed)."""
    listed: list[Node] = []
    for owner in owners:
        node: Node | None = owner
        while node is not None and not node.flags & _LISTED:
            node.flags |= _LISTED
            listed.append(node)
            node = node.parent
    listed.sort(key=attrgetter("index"))
    return listed


class _Scores:
    """The numbers :func:`~warcite.extract.html.container.choose_container` keeps in two
    dicts, in arrays indexed by a node's place in the document: ``rank`` is its place in
    the dict of scores (-1: not in it), ``prose_rank`` in the dict of prose, so that ties
    go the same way; ``nodes`` are the nodes in the dict of scores, in its order."""

    def __init__(self, size: int) -> None:
        self.nodes: list[Node] = []
        self.score = array("d", bytes(8 * size))
        self.prose = array("d", bytes(8 * size))
        self.rank = array("i", [-1]) * size
        self.prose_rank = array("i", [-1]) * size
        self.prose_count = 0

    def add(self, node: Node, value: float) -> None:
        index = node.index
        if self.rank[index] < 0:
            self.rank[index] = len(self.nodes)
            self.nodes.append(node)
        self.score[index] += value

    def add_prose(self, index: int, chars: float) -> None:
        if self.prose_rank[index] < 0:
            self.prose_rank[index] = self.prose_count
            self.prose_count += 1
        self.prose[index] += chars


def choose_container(blocks: list[Block], places: int) -> Node | None:
    """The node :func:`warcite.extract.html.container.choose_container` would choose for
    these blocks (the same sums in the same order, ties broken the same way), its numbers
    kept in arrays rather than in dicts of a large page's nodes; ``places``: how many
    elements the page has (its nodes' places are below it)."""
    scores = _Scores(places)
    for block in blocks:
        owner: Node = block.owner
        scores.add(owner, block_value(block))
        chars = 0 if block.boilerplate else block.prose_chars
        if chars:
            scores.add_prose(owner.index, chars)
    if not scores.nodes:
        return None
    score, prose, prose_rank = scores.score, scores.prose, scores.prose_rank
    for node in reversed(_document_order(list(scores.nodes))):
        parent = node.parent
        if parent is None:
            continue
        scores.add(parent, score[node.index])
        if prose_rank[node.index] >= 0:
            scores.add_prose(parent.index, prose[node.index])
    best = scores.nodes[0]
    for node in scores.nodes:
        if score[node.index] > score[best.index]:
            best = node
    best_prose = prose[best.index] if prose_rank[best.index] >= 0 else 0.0
    if best_prose <= 0:
        return best
    # Prefer an element marked as the article body when it holds nearly all the prose.
    marked = sorted(
        (
            node
            for node in scores.nodes
            if prose_rank[node.index] >= 0
            and names_content(node)
            and prose[node.index] >= MARKED_BODY_SHARE * best_prose
        ),
        key=lambda node: prose_rank[node.index],
    )
    if not marked:
        return best
    body = min(marked, key=lambda node: (prose[node.index], score[node.index]))
    # :func:`~warcite.extract.html.container.with_sibling_sections`
    parent = body.parent
    value = body.get("class") or body.get("itemprop")
    if parent is None or not value:
        return body
    for node in scores.nodes:
        if (
            node is not body
            and node.parent is parent
            and prose_rank[node.index] >= 0
            and prose[node.index] > 0
            and (node.get("class") or node.get("itemprop")) == value
        ):
            return parent
    return body


def within(node: Node, container: Node) -> bool:
    """``node`` is ``container`` or inside it."""
    return node is container or any(ancestor is container for ancestor in node.iterancestors())


def release_memory() -> None:
    """Collect garbage and hand the C library's free memory back to the system (glibc's
    ``malloc_trim``), so that the text read next does not sit on top of the freed tree."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # None: not glibc
    except (OSError, TypeError):  # not a POSIX system: no process-wide C library
        return None

"""A large page's text blocks from a second parse, without a tree (see docs/extraction.md,
"Memory", "Second round", "Third round" and "Fourth round").

libxml2's tree of a page costs two to eight times the page (every element, attribute and
text node is a C structure of about 100 bytes), and the Python text of its blocks two times
more when the text has a character beyond Latin-1.  For a page of at least
:data:`STREAMED_PAGE_BYTES`, :func:`warcite.extract.html.extract_html` reads the metadata
from a compact document of a first parse (:mod:`warcite.extract.compact`, no tree either),
frees it, then parses the page again into parser-target events
(:func:`streamed_blocks`): the events are cleaned the way :func:`~warcite.extract.html.
cleaning.discard_non_text` cleans the tree, and turned into blocks by the same
:class:`~warcite.extract.html.assembly.BlockBuilder`, as rows of arrays
(:mod:`warcite.extract.html.rows`).  A :class:`Node` stands for an open element (its tag and
the attributes the text rules read); once it has ended, only the elements that hold blocks,
and their ancestors, are left, as rows of a :class:`~.rows.NodeTable`.  What the tree path reads
from an element's descendants is gathered as the events go (``flags``): whether a
``header`` holds the ``h1`` or a long paragraph is settled when it closes.
"""

from __future__ import annotations

import ctypes
import functools
import gc
from array import array
from collections.abc import Iterable
from typing import Any, cast

from warcite.extract import selectors as sel
from warcite.extract.html.assembly import BlockBuilder, finish_blocks
from warcite.extract.html.blocks import MARKED_BODY_SHARE, PROSE_MIN_CHARS, Block
from warcite.extract.html.cleaning import marks_boilerplate, names_any, names_content
from warcite.extract.html.container import block_value
from warcite.extract.html.parse import parse_events
from warcite.extract.html.rows import (
    BOILERPLATE,
    UNKNOWN,
    UNMARKED,
    BlockRows,
    BlockTable,
    NodeTable,
    NodeView,
)

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
    """An element of the page while it is open, as far as the text rules read it (in place
    of lxml's); once it has ended, only its row in the :class:`~.rows.NodeTable` is left, if
    it holds a block."""

    __slots__ = ("attrib", "flags", "id", "parent", "tag")

    #: The text is handed to the builder as it comes (see ``_Events._dispatch``), not kept.
    text = None
    tail = None

    def __init__(self, tag: str, attrib: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrib = attrib
        self.parent = parent
        self.flags = 0
        self.id = -1  # its number in the NodeTable (-1: none yet)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    def __repr__(self) -> str:
        return f"<Node {self.tag} #{self.id}>"


class _RowBuilder(BlockBuilder):
    """A :class:`BlockBuilder` whose blocks are rows of a :class:`~.rows.BlockTable`; the
    owner of a block and its ancestors become rows of its :class:`~.rows.NodeTable` as the
    first block inside them is kept."""

    def __init__(self, marks: Any, table: BlockTable) -> None:
        super().__init__(marks)
        self.table = table
        self.attribute_rows: dict[int, int] = {}  # id() of a shared set -> its index

    def emit(self, text: str, kind: str, link_chars: int) -> None:
        owner = self.owners[-1]
        if owner.id < 0:
            parent = owner.parent
            if parent is not None and parent.id >= 0:  # most often: only the owner is new
                attributes = self._attribute_row(owner.attrib)
                owner.id = self.table.nodes.add(owner.tag, attributes, parent.id, owner.flags)
            else:
                self._number(owner)
        mark = -1
        marks = self.marks
        if marks:
            outer = self.table.nodes.outer_marks
            index = len(marks) - 1
            while index >= 0 and outer[marks[index].id] == UNKNOWN:
                outer[marks[index].id] = marks[index - 1].id if index else -1
                index -= 1
            mark = marks[-1].id
        heading_level = self.headings[-1] if self.headings else 0
        self.table.add(text, kind, owner.id, link_chars, heading_level, mark)
        if not len(self.table.texts) % TRIM_EVERY_BLOCKS:
            trim_heap()

    def _number(self, owner: Node) -> None:
        """Number ``owner`` and its ancestors not numbered yet (outermost first: numbers
        follow document order)."""
        nodes = self.table.nodes
        chain = []
        node: Node | None = owner
        while node is not None and node.id < 0:
            chain.append(node)
            node = node.parent
        for member in reversed(chain):
            parent = -1 if member.parent is None else member.parent.id
            attributes = self._attribute_row(member.attrib)
            member.id = nodes.add(member.tag, attributes, parent, member.flags)

    def _attribute_row(self, attrib: dict[str, str]) -> int:
        if not attrib:
            return 0
        row = self.attribute_rows.get(id(attrib))
        if row is None:  # a set of its own (the shared ones are listed as they are made)
            row = len(self.table.nodes.attribute_sets)
            self.table.nodes.attribute_sets.append(attrib)
        return row


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
        self.table = BlockTable(NodeTable())
        self.open: list[Node] = []
        self.builder = _RowBuilder(self._marks, self.table)
        self.place = -1  # of the last element started, counting every element
        self.depth = 0  # of the elements open, counting every element
        self.halted = False  # at an element deeper than MAX_DEPTH
        self.skipping = 0  # depth inside a discarded element
        self.stack: list[Node | None] = []  # open elements (None: an unwrapped control)
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
                sets = self.table.nodes.attribute_sets
                self.builder.attribute_rows[id(shared)] = len(sets)
                sets.append(shared)
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
        node = Node(tag, self._attributes(attrib), self.open[-1] if self.open else None)
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
        if node.id >= 0:
            self.table.nodes.flags[node.id] = node.flags
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

    def close(self) -> BlockTable:
        if self.halted:  # the elements open at the halt end there, as in the tree
            self.halted = False
            self.skipping = 0
            while self.stack and not self.closed:
                self.end("")
        self._dispatch()
        self.builder.flush()
        nodes = self.table.nodes
        for node in self.open:  # (none: the parser ends every element)
            if node.id >= 0:
                nodes.flags[node.id] = node.flags
        # a header holding the h1 or a long paragraph is not furniture after all
        for header in self.headers:
            if header.id >= 0 and header.flags & (HOLDS_H1 | HOLDS_LONG_PARAGRAPH):
                nodes.flags[header.id] |= UNMARKED
        hidden = {
            NodeView((nodes, node.id))
            for node in self.builder.hidden
            if node.id >= 0 and not nodes.flags[node.id] & UNMARKED
        }
        self.headers = []
        self.builder.hidden = set()
        blocks = cast("list[Block]", BlockRows(self.table))  # views read as blocks
        finish_blocks(blocks, hidden, may_wrap=_may_wrap_article)
        return self.table


def _may_wrap_article(node: Any, *, prose_elsewhere: bool = True) -> bool:
    """:func:`~warcite.extract.html.cleaning.may_wrap_article` of a :class:`~.rows.NodeView`."""
    if names_any(node, sel.COMMENT_WORDS) or names_any(node, sel.CONSENT_WORDS):
        return False
    if node.tag.lower() in sel.SEMANTIC_FURNITURE_TAGS:
        if not prose_elsewhere:
            return True
        if node.flags & (HOLDS_H1 | HOLDS_MAIN):
            return True
        return bool(names_content(node) or node.flags & HOLDS_ARTICLE_BODY)
    return True


def streamed_blocks(pieces: Iterable[str], unwrapped: set[int]) -> BlockTable:
    """The page's blocks, as :func:`~warcite.extract.html.assembly.build_blocks` gives them
    for its cleaned tree, from the decoded page's ``pieces`` (parsed again, into events), as
    rows of a table; ``unwrapped`` as :func:`unwrapped_places` gives it from the page's
    tree."""
    events = _Events(unwrapped)
    table: BlockTable = parse_events(pieces, events)
    return table


def unwrapped_places(root: Any) -> set[int]:
    """The places in document order (counting every element of the tree) of the form
    controls :func:`~warcite.extract.html.cleaning.release_swallowed` would unwrap."""
    from warcite.extract.html.cleaning import swallowing_controls

    controls = set(swallowing_controls(root))
    if not controls:
        return set()
    return {place for place, element in enumerate(root.iter()) if element in controls}


def choose_container(table: BlockTable) -> int | None:
    """The node :func:`warcite.extract.html.container.choose_container` would choose for
    the table's blocks (the same sums in the same order, ties broken the same way), its
    numbers kept in arrays indexed by node rather than in dicts of a large page's elements;
    None when there is no block."""
    nodes = table.nodes
    size = len(nodes)
    score = array("d", [0.0]) * size
    prose = array("d", [0.0]) * size
    seen = bytearray(size)  # _SCORED, _WITH_PROSE: the node is in that dict
    # the orders of the dicts of scores and of prose (made at their size: no growing)
    order = array("i", [0]) * size
    prose_order = array("i", [0]) * size
    scored = with_prose = 0  # how many nodes are in each
    owners, flags, prose_chars = table.owners, table.flags, table.prose_chars
    for block in BlockRows(table):
        row = block.row
        owner = owners[row]
        if not seen[owner] & _SCORED:
            seen[owner] |= _SCORED
            order[scored] = owner
            scored += 1
        score[owner] += block_value(cast(Block, block))
        chars = 0 if flags[row] & BOILERPLATE else prose_chars[row]
        if chars:
            if not seen[owner] & _WITH_PROSE:
                seen[owner] |= _WITH_PROSE
                prose_order[with_prose] = owner
                with_prose += 1
            prose[owner] += chars
    if not scored:
        return None
    # from the leaves up: every numbered node holds a block or is an ancestor of one
    parents = nodes.parents
    for node in range(size - 1, -1, -1):
        parent = parents[node]
        if parent < 0:
            continue
        if not seen[parent] & _SCORED:
            seen[parent] |= _SCORED
            order[scored] = parent
            scored += 1
        score[parent] += score[node]
        if seen[node] & _WITH_PROSE:
            if not seen[parent] & _WITH_PROSE:
                seen[parent] |= _WITH_PROSE
                prose_order[with_prose] = parent
                with_prose += 1
            prose[parent] += prose[node]
    del seen
    best = order[0]
    for index in range(scored):
        if score[order[index]] > score[best]:
            best = order[index]
    del order
    del prose_order[with_prose:]
    best_prose = prose[best]
    if best_prose <= 0:
        return best
    # Prefer an element marked as the article body when it holds nearly all the prose.
    marked = [
        node
        for node in prose_order
        if prose[node] >= MARKED_BODY_SHARE * best_prose and names_content(NodeView((nodes, node)))
    ]
    if not marked:
        return best
    body = min(marked, key=lambda node: (prose[node], score[node]))
    # :func:`~warcite.extract.html.container.with_sibling_sections`
    parent = parents[body]
    view = NodeView((nodes, body))
    value = view.get("class") or view.get("itemprop")
    if parent < 0 or not value:
        return body
    for node in prose_order:
        if node != body and parents[node] == parent and prose[node] > 0:
            sibling = NodeView((nodes, node))
            if (sibling.get("class") or sibling.get("itemprop")) == value:
                return parent
    return body


def chosen_rows(table: BlockTable) -> BlockRows | None:
    """The blocks of the article's container (:func:`choose_container`) that are not
    furniture, in order; None when the page has no block."""
    container = choose_container(table)
    if container is None:
        return None
    end = table.nodes.subtree_end(container)
    owners, flags = table.owners, table.flags
    rows = array(
        "i",
        (
            row
            for row in range(len(table))
            if not flags[row] & BOILERPLATE and container <= owners[row] < end
        ),
    )
    return BlockRows(table, rows)


#: ``choose_container``'s marks of a node that is in the dict of scores, of prose.
_SCORED = 1
_WITH_PROSE = 2


def release_memory() -> None:
    """Collect garbage and hand the C library's free memory back to the system (glibc's
    ``malloc_trim``), so that the text read next does not sit on top of the freed tree."""
    gc.collect()
    trim_heap()


#: While the rows of a page's blocks are gathered, the C library's free memory is handed
#: back every this many blocks: the arrays grow by ``realloc``, and a grown array that does
#: not fit where it was leaves a hole in the heap, which text fills only in part.
TRIM_EVERY_BLOCKS = 8192


def trim_heap() -> None:
    """Hand the C library's whole free pages back to the system (glibc's ``malloc_trim``;
    nothing elsewhere)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # None: not glibc
    except (OSError, TypeError):  # not a POSIX system: no process-wide C library
        return None

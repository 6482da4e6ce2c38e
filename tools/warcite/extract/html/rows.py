"""A large page's blocks and elements as rows of parallel arrays (see docs/extraction.md,
"Fourth round").

The second parse of a large page (:mod:`.streamed`) keeps no :class:`~.blocks.Block` and no
element object once an element has ended: a block is a row of a :class:`BlockTable` (its
text in a list, which becomes the paragraphs' texts; its kind, owner, link characters,
heading level, innermost mark, flags and prose characters in arrays), and an element that
holds blocks (an owner or one of its ancestors) a row of a :class:`NodeTable`, numbered in
document order.  A :class:`BlockView` or :class:`NodeView` stands for one row while a rule
reads it (the rules of :mod:`.assembly`, :mod:`.container` and :mod:`.filtering` read blocks
and elements through attributes, and are not written twice); views are made as they are
read, never kept for every block.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any, overload

from warcite.core.models import Paragraph
from warcite.extract.html.blocks import prose_chars

#: The kinds of block, by their code in :attr:`BlockTable.kinds`.
KINDS = ("paragraph", "heading", "list-item", "quote", "preformatted")
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}

# A block's flags (:attr:`BlockTable.flags`).
EXCLUDED = 1
BOILERPLATE = 2
HIDDEN_TEXT = 4

#: A node's flag (beside :mod:`.streamed`'s ``HOLDS_*`` bits): a ``header`` marked as
#: furniture while it was read, then found to hold the ``h1`` or a long paragraph.
UNMARKED = 128

#: :attr:`NodeTable.outer_marks` of a node whose enclosing mark is not known yet.
UNKNOWN = -2


class NodeTable:
    """The elements that hold blocks, and their ancestors, numbered in document order
    (a parent before its children): parallel arrays indexed by that number."""

    def __init__(self) -> None:
        self.parents = array("i")  # -1: the root
        self.tags = array("i")  # code in tag_names
        self.tag_names: list[str] = []
        self._tag_codes: dict[str, int] = {}
        self.attributes = array("i")  # index in attribute_sets (0: none)
        self.attribute_sets: list[dict[str, str]] = [{}]
        self.flags = bytearray()
        #: for a node marked as furniture, the next marked node enclosing it (-1: none)
        self.outer_marks = array("i")

    def __len__(self) -> int:
        return len(self.parents)

    def add(self, tag: str, attributes: int, parent: int, flags: int) -> int:
        """A new node's number (``attributes``: its index in :attr:`attribute_sets`)."""
        code = self._tag_codes.get(tag)
        if code is None:
            code = self._tag_codes[tag] = len(self.tag_names)
            self.tag_names.append(tag)
        self.parents.append(parent)
        self.tags.append(code)
        self.attributes.append(attributes)
        self.flags.append(flags)
        self.outer_marks.append(UNKNOWN)
        return len(self.parents) - 1

    def subtree_end(self, node: int) -> int:
        """The number after the last of ``node``'s descendants (they are numbered from
        ``node + 1`` on: a subtree is a range)."""
        parents = self.parents
        end = node + 1
        size = len(parents)
        while end < size and parents[end] >= node:
            end += 1
        return end


class NodeView(tuple["NodeTable", int]):
    """One node of a :class:`NodeTable`, read as the text rules read an element: the pair
    (table, number), made as ``NodeView((table, node))`` (a tuple: made in C, equal and
    hashed as its pair)."""

    __slots__ = ()

    #: The text was handed to the block builder as it came; none is kept.
    text = None
    tail = None

    @property
    def table(self) -> NodeTable:
        return self[0]

    @property
    def id(self) -> int:
        return self[1]

    @property
    def tag(self) -> str:
        table, node = self
        return table.tag_names[table.tags[node]]

    @property
    def attrib(self) -> dict[str, str]:
        table, node = self
        return table.attribute_sets[table.attributes[node]]

    @property
    def flags(self) -> int:
        table, node = self
        return table.flags[node]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    def __repr__(self) -> str:
        return f"<NodeView {self.tag} #{self.id}>"


class BlockTable:
    """A page's text blocks, in document order: parallel arrays indexed by a block's row."""

    def __init__(self, nodes: NodeTable) -> None:
        self.nodes = nodes
        self.texts: list[str] = []
        self.kinds = bytearray()  # code in KINDS
        self.owners = array("i")  # node number
        self.link_chars = array("i")
        self.heading_levels = bytearray()
        self.marks = array("i")  # the innermost mark's node number (-1: none)
        self.flags = bytearray()
        self.prose_chars = array("i")

    def __len__(self) -> int:
        return len(self.texts)

    def add(
        self, text: str, kind: str, owner: int, link_chars: int, heading_level: int, mark: int
    ) -> None:
        self.texts.append(text)
        self.kinds.append(KIND_CODES[kind])
        self.owners.append(owner)
        self.link_chars.append(link_chars)
        self.heading_levels.append(heading_level)
        self.marks.append(mark)
        self.flags.append(0)
        self.prose_chars.append(prose_chars(text, kind, link_chars))

    def view(self, row: int) -> BlockView:
        """The block of ``row``."""
        return BlockView(
            (
                self,
                row,
                self.texts[row],
                KINDS[self.kinds[row]],
                self.link_chars[row],
                self.prose_chars[row],
            )
        )

    def marks_of(self, row: int) -> tuple[NodeView, ...]:
        """The marks of a block, the outermost first (:attr:`~.blocks.Block.marks`)."""
        mark = self.marks[row]
        if mark < 0:
            return ()
        nodes = self.nodes
        chain = []
        while mark >= 0:
            if not nodes.flags[mark] & UNMARKED:
                chain.append(NodeView((nodes, mark)))
            mark = nodes.outer_marks[mark]
        chain.reverse()
        return tuple(chain)

    def release_all_but_text(self) -> None:
        """Free every array but the texts and kinds (the paragraphs are made of them)."""
        self.nodes = NodeTable()
        self.owners = self.link_chars = self.marks = self.prose_chars = array("i")
        self.heading_levels = self.flags = bytearray()


def _flag(bit: int) -> property:
    def get(view: BlockView) -> bool:
        return bool(view[0].flags[view[1]] & bit)

    def put(view: BlockView, value: bool) -> None:
        row = view[1]
        flags = view[0].flags
        flags[row] = flags[row] | bit if value else flags[row] & ~bit

    return property(get, put)


class BlockView(tuple[Any, ...]):
    """One row of a :class:`BlockTable`, read (and its flags set) as a
    :class:`~.blocks.Block` is: the tuple (table, row, text, kind, link characters, prose
    characters), made by :meth:`BlockTable.view` or in C by :class:`BlockRows` (views are
    made by the hundred thousand; the flags are read from the table)."""

    __slots__ = ()

    table: BlockTable = property(itemgetter(0))  # type: ignore[assignment]
    row: int = property(itemgetter(1))  # type: ignore[assignment]
    text: str = property(itemgetter(2))  # type: ignore[assignment]
    kind: str = property(itemgetter(3))  # type: ignore[assignment]
    link_chars: int = property(itemgetter(4))  # type: ignore[assignment]
    prose_chars: int = property(itemgetter(5))  # type: ignore[assignment]

    @property
    def owner(self) -> NodeView:
        table = self[0]
        return NodeView((table.nodes, table.owners[self[1]]))

    @property
    def heading_level(self) -> int:
        return int(self[0].heading_levels[self[1]])

    @property
    def marks(self) -> tuple[NodeView, ...]:
        table = self[0]
        return () if table.marks[self[1]] < 0 else table.marks_of(self[1])

    @property
    def link_density(self) -> float:  # as Block.link_density
        length = len(self[2])
        link_chars = self[4]
        return min(1.0, link_chars / length) if length and link_chars else 0.0

    excluded = _flag(EXCLUDED)
    boilerplate = _flag(BOILERPLATE)
    hidden_text = _flag(HIDDEN_TEXT)

    def __repr__(self) -> str:
        return f"<BlockView #{self.row} {self.kind} {self.text[:30]!r}>"


class BlockRows(Sequence[BlockView]):
    """Some rows of a :class:`BlockTable` (``rows``; None: all of them), in order, as a
    sequence of :class:`BlockView`."""

    def __init__(self, table: BlockTable, rows: array[int] | None = None) -> None:
        self.table = table
        self.rows = rows

    def __len__(self) -> int:
        return len(self.table) if self.rows is None else len(self.rows)

    @overload
    def __getitem__(self, index: int) -> BlockView: ...

    @overload
    def __getitem__(self, index: slice) -> BlockRows: ...

    def __getitem__(self, index: int | slice) -> BlockView | BlockRows:
        if isinstance(index, slice):
            rows = self.rows if self.rows is not None else array("i", range(len(self.table)))
            return BlockRows(self.table, rows[index])
        if self.rows is not None:
            return self.table.view(self.rows[index])
        if index < 0:
            index += len(self.table)
        if not 0 <= index < len(self.table):
            raise IndexError(index)
        return self.table.view(index)

    def __iter__(self) -> Iterator[BlockView]:
        table = self.table
        rows: Iterable[int]
        if self.rows is None:
            rows = range(len(table))
            texts: Iterable[str] = table.texts
            kinds: Iterable[int] = table.kinds
            links: Iterable[int] = table.link_chars
            prose: Iterable[int] = table.prose_chars
        else:
            rows = self.rows
            texts = map(table.texts.__getitem__, rows)
            kinds = map(table.kinds.__getitem__, rows)
            links = map(table.link_chars.__getitem__, rows)
            prose = map(table.prose_chars.__getitem__, rows)
        columns = zip(repeat(table), rows, texts, map(KINDS.__getitem__, kinds), links, prose)
        return map(BlockView, columns)  # in C: no Python frame per view

    def row(self, index: int) -> int:
        """The table's row of the block at ``index``."""
        return index if self.rows is None else self.rows[index]


class Paragraphs:
    """The paragraphs of some rows of a :class:`BlockTable` (only its texts and kinds are
    read), as an iterator that tells its length: ``tuple()`` then makes its tuple at its
    size, not by growing one."""

    def __init__(self, table: BlockTable, rows: array[int]) -> None:
        self.texts = table.texts
        self.kinds = table.kinds
        self.rows = rows
        self.index = 0

    def __iter__(self) -> Paragraphs:
        return self

    def __length_hint__(self) -> int:
        return len(self.rows) - self.index

    def __next__(self) -> Paragraph:
        index = self.index
        if index >= len(self.rows):
            raise StopIteration
        self.index = index + 1
        row = self.rows[index]
        return Paragraph(text=self.texts[row], kind=KINDS[self.kinds[row]])


def table_rows(blocks: Sequence[BlockView], positions: Sequence[int]) -> array[int]:
    """The table rows of the blocks at ``positions`` in ``blocks`` (a :class:`BlockRows`,
    or a list of views)."""
    if isinstance(blocks, BlockRows):
        return array("i", (blocks.row(index) for index in positions))
    return array("i", (blocks[index].row for index in positions))


__all__ = [
    "BOILERPLATE",
    "EXCLUDED",
    "HIDDEN_TEXT",
    "KINDS",
    "UNMARKED",
    "BlockRows",
    "BlockTable",
    "BlockView",
    "NodeTable",
    "NodeView",
    "Paragraphs",
    "table_rows",
]

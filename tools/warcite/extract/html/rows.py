"""A large page's blocks and elements as rows of parallel arrays (see docs/extraction.md,
"Third round").

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
from collections.abc import Iterator, Sequence
from typing import overload

from warcite.core.models import Paragraph
from warcite.extract.html.blocks import link_density, prose_chars

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


class NodeView:
    """One node of a :class:`NodeTable`, read as the text rules read an element."""

    __slots__ = ("id", "table")

    #: The text was handed to the block builder as it came; none is kept.
    text = None
    tail = None

    def __init__(self, table: NodeTable, node: int) -> None:
        self.table = table
        self.id = node

    @property
    def tag(self) -> str:
        return self.table.tag_names[self.table.tags[self.id]]

    @property
    def attrib(self) -> dict[str, str]:
        return self.table.attribute_sets[self.table.attributes[self.id]]

    @property
    def flags(self) -> int:
        return self.table.flags[self.id]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    def getparent(self) -> NodeView | None:
        parent = self.table.parents[self.id]
        return None if parent < 0 else NodeView(self.table, parent)

    def iterancestors(self) -> Iterator[NodeView]:
        parent = self.table.parents[self.id]
        while parent >= 0:
            yield NodeView(self.table, parent)
            parent = self.table.parents[parent]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NodeView) and other.id == self.id and other.table is self.table

    def __hash__(self) -> int:
        return self.id

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

    def marks_of(self, row: int) -> tuple[NodeView, ...]:
        """The marks of a block, the outermost first (:attr:`~.blocks.Block.marks`)."""
        mark = self.marks[row]
        if mark < 0:
            return ()
        nodes = self.nodes
        chain = []
        while mark >= 0:
            if not nodes.flags[mark] & UNMARKED:
                chain.append(NodeView(nodes, mark))
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
        return bool(view.table.flags[view.row] & bit)

    def put(view: BlockView, value: bool) -> None:
        flags = view.table.flags
        flags[view.row] = flags[view.row] | bit if value else flags[view.row] & ~bit

    return property(get, put)


class BlockView:
    """One row of a :class:`BlockTable`, read (and its flags set) as a
    :class:`~.blocks.Block` is."""

    __slots__ = ("row", "table")

    def __init__(self, table: BlockTable, row: int) -> None:
        self.table = table
        self.row = row

    @property
    def text(self) -> str:
        return self.table.texts[self.row]

    @property
    def kind(self) -> str:
        return KINDS[self.table.kinds[self.row]]

    @property
    def owner(self) -> NodeView:
        return NodeView(self.table.nodes, self.table.owners[self.row])

    @property
    def link_chars(self) -> int:
        return self.table.link_chars[self.row]

    @property
    def heading_level(self) -> int:
        return self.table.heading_levels[self.row]

    @property
    def prose_chars(self) -> int:
        return self.table.prose_chars[self.row]

    @property
    def marks(self) -> tuple[NodeView, ...]:
        return self.table.marks_of(self.row)

    @property
    def link_density(self) -> float:
        return link_density(self.table.texts[self.row], self.table.link_chars[self.row])

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
            return BlockView(self.table, self.rows[index])
        if index < 0:
            index += len(self.table)
        if not 0 <= index < len(self.table):
            raise IndexError(index)
        return BlockView(self.table, index)

    def __iter__(self) -> Iterator[BlockView]:
        table = self.table
        for row in range(len(table)) if self.rows is None else self.rows:
            yield BlockView(table, row)

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

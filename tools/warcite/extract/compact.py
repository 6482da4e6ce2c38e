"""A parsed page in a few arrays, for reading a large page's metadata without libxml2's tree.

libxml2's tree costs about 120 bytes for every element, text node and attribute: seven to
eight times a page of dense markup (docs/extraction.md, "Memory").  For a page of at least
:data:`warcite.extract.html.streamed.STREAMED_PAGE_BYTES`, the metadata is read from a
:class:`CompactDocument` instead: the same parse (lxml's parser calling :class:`Builder` as
its target, with no tree built) kept as arrays indexed by each element's place in document
order (its tag, parent and the end of its subtree), the text and tail of each as offsets into
one UTF-8 buffer, and its attributes likewise in another: 24 bytes an element, plus the text
and attributes themselves.

:class:`Element` stands for one element and answers what the metadata readers ask of
lxml's elements (``tag``, ``text``, ``tail``, ``get``, ``len``, ``getparent``, ``getnext``,
``iter``, ``iterancestors``, ``iterdescendants``, ``itertext``); the few XPath expressions
and walks the readers use have equivalents here (:func:`visible_text`, :func:`has_invisible`,
:func:`itemprop_elements`, :func:`json_ld_scripts`, :func:`walk`).  Two elements of one
document are equal when they are the same place, so readers compare elements with ``==``
(lxml's proxies are equal only to themselves, which is the same test on a tree).

The document equals the tree lxml would build from the same feed, element by element (tag,
text, tail, attributes in order, parent): ``tests/test_extract_compact.py`` checks it on
the project's test pages and both development sets.  libxml2 stops building its tree at an
element 257 deep (warcite never sets ``huge_tree``) but does not stop a parser target, so
the builder stops there too (:data:`MAX_DEPTH`), and the elements then open end there.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

#: The depth at which libxml2 stops building its tree (256 elements, ``<html>`` the first).
MAX_DEPTH = 256

#: Separates attribute names and values in :attr:`CompactDocument.attributes` (the feed
#: removes NUL characters from the page; an element whose attributes still hold one keeps
#: them in :attr:`CompactDocument.odd_attributes`).
_SEPARATOR = "\x00"

_INVISIBLE = frozenset({"script", "style", "noscript"})

#: The attributes libxml2's tree gives their own name as value when the tag has none
#: (``<button disabled>``: "disabled"); a parser target is given "" for them, as for an
#: explicit ``disabled=""``, which the builder cannot tell apart and reads as the former.
#: No metadata reader reads these attributes.
BOOLEAN_ATTRIBUTES = frozenset(
    {
        "checked",
        "compact",
        "declare",
        "defer",
        "disabled",
        "ismap",
        "multiple",
        "nohref",
        "noresize",
        "noshade",
        "nowrap",
        "readonly",
        "selected",
    }
)


class CompactDocument:
    """A page's elements in document order (see the module docstring)."""

    def __init__(self) -> None:
        self.tag_names: list[str] = []
        self.tag_ids: dict[str, int] = {}
        self.tags = array("I")
        self.parents = array("i")
        self.ends = array("i")  # one past the last element of the subtree
        # The text of every text node, UTF-8, in document order.  Where the buffer stood at
        # each element's start is where its text begins, and at its end where its tail
        # begins; each ends where the buffer stood at the next start or end (_text_range).
        self.buffer = bytearray()
        self.starts = array("I")
        self.closes = array("I")
        self.attributes = bytearray()  # each element's in turn: it ends where the next begins
        self.attribute_starts = array("I")
        self.odd_attributes: dict[int, tuple[tuple[str, str], ...]] = {}
        self.halted = False  # an element deeper than MAX_DEPTH stopped the document

    def __len__(self) -> int:
        return len(self.tags)

    def element(self, place: int) -> Element:
        return Element(self, place)

    def text_of(self, place: int) -> str | None:
        start = self.starts[place]
        # the next event is its first child's start, or its own end
        end = self.starts[place + 1] if place + 1 < self.ends[place] else self.closes[place]
        return self.buffer[start:end].decode("utf-8") if end > start else None

    def tail_of(self, place: int) -> str | None:
        parent = self.parents[place]
        if parent < 0:
            return None  # the root's: never kept
        start, following = self.closes[place], self.ends[place]
        # the next event is its next sibling's start, or its parent's end
        end = self.starts[following] if following < self.ends[parent] else self.closes[parent]
        return self.buffer[start:end].decode("utf-8") if end > start else None

    def _attribute_range(self, place: int) -> tuple[int, int]:
        starts = self.attribute_starts
        end = starts[place + 1] if place + 1 < len(starts) else len(self.attributes)
        return starts[place], end

    def items_of(self, place: int) -> tuple[tuple[str, str], ...]:
        start, end = self._attribute_range(place)
        if end == start:
            return self.odd_attributes.get(place, ())
        parts = self.attributes[start:end].decode("utf-8").split(_SEPARATOR)
        return tuple(zip(parts[::2], parts[1::2], strict=True))

    def get(self, place: int, name: str) -> str | None:
        start, end = self._attribute_range(place)
        if end == start:
            if not self.odd_attributes:
                return None
            return dict(self.odd_attributes.get(place, ())).get(name)
        parts = self.attributes[start:end].decode("utf-8").split(_SEPARATOR)
        for index in range(0, len(parts), 2):
            if parts[index] == name:
                return parts[index + 1]
        return None

    def places(self, *tags: str, start: int = 0, end: int | None = None) -> Iterator[int]:
        """The places from ``start`` to ``end`` (the whole document by default) whose tag is
        one of ``tags`` (any tag when none is given), in document order."""
        stop = len(self.tags) if end is None else end
        if not tags:
            yield from range(start, stop)
            return
        wanted = {self.tag_ids[tag] for tag in tags if tag in self.tag_ids}
        if not wanted:
            return
        kinds = self.tags
        if len(wanted) == 1:
            (only,) = wanted
            for place in range(start, stop):
                if kinds[place] == only:
                    yield place
            return
        for place in range(start, stop):
            if kinds[place] in wanted:
                yield place


class Element:
    """One element of a :class:`CompactDocument`, as lxml's elements are read."""

    __slots__ = ("document", "place")

    def __init__(self, document: CompactDocument, place: int) -> None:
        self.document = document
        self.place = place

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Element)
            and other.place == self.place
            and other.document is self.document
        )

    def __hash__(self) -> int:
        return self.place

    def __repr__(self) -> str:
        return f"<Element {self.tag} #{self.place}>"

    @property
    def tag(self) -> str:
        document = self.document
        return document.tag_names[document.tags[self.place]]

    @property
    def text(self) -> str | None:
        return self.document.text_of(self.place)

    @property
    def tail(self) -> str | None:
        return self.document.tail_of(self.place)

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.document.get(self.place, name)
        return default if value is None else value

    def items(self) -> tuple[tuple[str, str], ...]:
        return self.document.items_of(self.place)

    def __len__(self) -> int:
        return sum(1 for _ in self._child_places())

    def __iter__(self) -> Iterator[Element]:
        document = self.document
        return (Element(document, place) for place in self._child_places())

    def _child_places(self) -> Iterator[int]:
        ends = self.document.ends
        place, end = self.place + 1, ends[self.place]
        while place < end:
            yield place
            place = ends[place]

    def getparent(self) -> Element | None:
        parent = self.document.parents[self.place]
        return None if parent < 0 else Element(self.document, parent)

    def getnext(self) -> Element | None:
        document = self.document
        parent = document.parents[self.place]
        following = document.ends[self.place]
        if parent < 0 or following >= document.ends[parent]:
            return None
        return Element(document, following)

    def iterancestors(self, *tags: str) -> Iterator[Element]:
        document = self.document
        parents = document.parents
        parent = parents[self.place]
        while parent >= 0:
            if not tags or document.tag_names[document.tags[parent]] in tags:
                yield Element(document, parent)
            parent = parents[parent]

    def iter(self, *tags: str) -> Iterator[Element]:
        """This element and its descendants, in document order (those with one of
        ``tags`` when given)."""
        document = self.document
        for place in document.places(*tags, start=self.place, end=document.ends[self.place]):
            yield Element(document, place)

    def iterdescendants(self, *tags: str) -> Iterator[Element]:
        document = self.document
        start, end = self.place + 1, document.ends[self.place]
        for place in document.places(*tags, start=start, end=end):
            yield Element(document, place)

    def itertext(self) -> Iterator[str]:
        """The text of this element and its descendants, with the descendants' tails."""
        for text, _owner, _is_tail in text_nodes(self):
            yield text

    def find(self, path: str) -> Element | None:
        """The first descendant with a tag, for ``path`` ``.//tag`` (the only form used)."""
        if not path.startswith(".//") or not path[3:].isalnum():
            raise ValueError(f"unsupported path {path!r}")
        return next(self.iterdescendants(path[3:]), None)


class Text(str):
    """A text node's text, with the element it belongs to (lxml's "smart strings")."""

    _parent: Element
    is_tail: bool

    def getparent(self) -> Element:
        """The element whose text this is, or whose tail (``is_tail``)."""
        return self._parent


def text_nodes(
    element: Element, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Element, bool]]:
    """(text, element, is tail) of every text node inside ``element`` (its own text, its
    descendants' text and tails; not its own tail), in document order, leaving out the text
    nodes inside an element whose tag is in ``skip`` (``element`` itself is not tested)."""
    document = element.document
    text_of, tail_of, ends, tags = document.text_of, document.tail_of, document.ends, document.tags
    skipped = {document.tag_ids[tag] for tag in skip if tag in document.tag_ids}
    stack: list[int] = []  # open places whose tail comes when the walk passes their end
    hidden = 0  # how many of them are skipped
    for place in range(element.place, ends[element.place]):
        while stack and ends[stack[-1]] <= place:
            closed = stack.pop()
            hidden -= tags[closed] in skipped
            tail = tail_of(closed) if not hidden else None
            if tail is not None:
                yield tail, Element(document, closed), True
        if place != element.place:
            stack.append(place)
            hidden += tags[place] in skipped
        text = text_of(place) if not hidden else None
        if text is not None:
            yield text, Element(document, place), False
    while stack:
        closed = stack.pop()
        hidden -= tags[closed] in skipped
        tail = tail_of(closed) if not hidden else None
        if tail is not None:
            yield tail, Element(document, closed), True


def walk(element: Element, skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Element]]:
    """``etree.iterwalk(element, events=("start", "end"))`` with the subtrees of elements
    whose tag is in ``skip`` left out (their start and end are given, as ``skip_subtree``
    after the start gives them)."""
    document = element.document
    tag_names, tags, ends = document.tag_names, document.tags, document.ends
    stack: list[int] = []
    place, end = element.place, ends[element.place]
    while place < end:
        while stack and ends[stack[-1]] <= place:
            yield "end", Element(document, stack.pop())
        yield "start", Element(document, place)
        stack.append(place)
        place = ends[place] if tag_names[tags[place]] in skip else place + 1
    while stack:
        yield "end", Element(document, stack.pop())


def visible_text(element: Element) -> list[Text]:
    """``.//text()[not(ancestor::script) and not(ancestor::style) and
    not(ancestor::noscript)]``: the text nodes inside ``element`` with no script, style or
    noscript element above them (up to the document's root)."""
    if any(ancestor.tag in _INVISIBLE for ancestor in (element, *element.iterancestors())):
        return []
    found: list[Text] = []
    for value, owner, is_tail in text_nodes(element, _INVISIBLE):
        text = Text(value)
        text._parent = owner
        text.is_tail = is_tail
        found.append(text)
    return found


def has_invisible(element: Element) -> bool:
    """``boolean(.//script | .//style | .//noscript)``."""
    return next(element.iterdescendants(*_INVISIBLE), None) is not None


def itemprop_elements(element: Element) -> list[Element]:
    """``//*[@itemprop]``: every element of the document with an ``itemprop``."""
    document = element.document
    attributes, starts = document.attributes, document.attribute_starts
    stops = starts[1:]
    stops.append(len(attributes))
    return [
        Element(document, place)
        for place in range(len(document))
        if (
            attributes.find(b"itemprop", starts[place], stops[place]) >= 0
            or place in document.odd_attributes
        )
        and document.get(place, "itemprop") is not None
    ]


def named_descendants(element: Element, attribute: str, value: str) -> list[Element]:
    """``.//*[@attribute='value']``."""
    return [found for found in element.iterdescendants() if found.get(attribute) == value]


def json_ld_scripts(element: Element) -> list[Element]:
    """``//script[contains(translate(@type, upper, lower), 'ld+json')]`` (ASCII letters
    lower-cased only, as ``translate`` does)."""
    root = Element(element.document, 0)
    return [
        script
        for script in root.iter("script")
        if "ld+json" in _ascii_lower(script.get("type") or "")
    ]


def stated_titles(element: Element) -> list[str]:
    """``//head/title/text() | //meta[@property='og:title' or @name='twitter:title']/@content``
    in document order."""
    found: list[str] = []
    for candidate in Element(element.document, 0).iter("title", "meta"):
        if candidate.tag == "title":
            parent = candidate.getparent()
            if parent is not None and parent.tag == "head":
                found.extend(
                    text
                    for text in (candidate.text, *(child.tail for child in candidate))
                    if text is not None
                )
        elif candidate.get("property") == "og:title" or candidate.get("name") == "twitter:title":
            content = candidate.get("content")
            if content is not None:
                found.append(content)
    return found


def _ascii_lower(value: str) -> str:
    return value.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


class Builder:
    """A parser target that builds a :class:`CompactDocument` (``close()`` returns it, or
    None for a document without elements)."""

    def __init__(self) -> None:
        self.document = CompactDocument()
        self.open: list[int] = []
        self.depth = 0  # of the elements open, counting those past MAX_DEPTH
        self.pending: list[str] = []  # text since the last event
        self.finished = False  # the root element has ended

    def _settle(self) -> None:
        """Store the text gathered since the last event as a text or a tail."""
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending = []
        # the text of the open element, or the tail of the last one closed: which is told
        # by where the buffer stood at each start and end (CompactDocument.text_of)
        self.document.buffer += text.encode("utf-8", "surrogatepass")

    def start(self, tag: str, attrib: Any) -> None:
        document = self.document
        if document.halted or self.finished:
            return
        if self.pending:
            self._settle()  # the text before it is in the tree, even at the halt
        self.depth += 1
        if self.depth > MAX_DEPTH:
            document.halted = True
            return
        place = len(document.tags)
        tag_id = document.tag_ids.get(tag)
        if tag_id is None:
            tag_id = document.tag_ids[tag] = len(document.tag_names)
            document.tag_names.append(tag)
        document.tags.append(tag_id)
        document.parents.append(self.open[-1] if self.open else -1)
        document.ends.append(place + 1)
        document.starts.append(len(document.buffer))
        document.closes.append(0)
        document.attribute_starts.append(len(document.attributes))
        if attrib:
            items: list[str] = []
            for name, value in attrib.items():
                items += (name, name if not value and name in BOOLEAN_ATTRIBUTES else value)
            joined = _SEPARATOR.join(items)
            if joined.count(_SEPARATOR) == len(items) - 1:
                document.attributes += joined.encode("utf-8", "surrogatepass")
            else:  # a name or value holds the separator itself
                document.odd_attributes[place] = tuple(zip(items[::2], items[1::2], strict=True))
        self.open.append(place)

    def data(self, text: str) -> None:
        if self.document.halted or self.finished or not self.open:
            return
        self.pending.append(text)

    def end(self, tag: str) -> None:
        if self.document.halted or self.finished:
            return
        self.depth -= 1
        self._end()

    def _end(self) -> None:
        self._settle()
        place = self.open.pop()
        self.document.ends[place] = len(self.document.tags)
        self.document.closes[place] = len(self.document.buffer)
        if not self.open:
            self.finished = True

    def close(self) -> CompactDocument | None:
        if not self.finished:
            self._settle()
            while self.open:  # the elements open at a halt end there, as in the tree
                self._end()
        self.pending = []
        return self.document if len(self.document) else None

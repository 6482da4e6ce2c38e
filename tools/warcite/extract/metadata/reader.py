"""The page being read: meta tags, visible text, the one-pass scan for byline-, date- and
bio-like elements, and :class:`PageReader`, which holds what was found so far."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from warcite.core.models import Evidence, Headers
from warcite.extract import compact, dates, patterns
from warcite.extract.classwords import without_layout_content
from warcite.extract.metadata.common import (
    BYLINE_WINDOW_AFTER,
    BYLINE_WINDOW_BEFORE,
    DATE_CONTEXT_DEPTH,
    NUMERIC_CONVENTION_MAX_CHARS,
    Candidates,
    normalize_text,
)
from warcite.extract.metadata.jsonld import JsonLd

#: A parsed page as the readers take it: lxml's tree (an ``HtmlElement``), or for a large
#: page a :class:`warcite.extract.compact.Element` (which answers the same questions; the
#: few XPath expressions and walks below have its own equivalents).
Root = Any


def read_meta_tags(root: Root) -> dict[str, list[str]]:
    """Meta tags by lower-cased name/property/itemprop/http-equiv -> contents, in order."""
    found: dict[str, list[str]] = {}
    for element in root.iter("meta"):
        content = element.get("content")
        if content is None or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key and attribute == "itemprop" and in_other_item(element):
                continue  # a comment's or a review's property, not the page's
            if key:
                for one in key.split():
                    found.setdefault(one.strip().lower(), []).append(content.strip())
    return found


_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)


def visible_text(element: Any) -> list[Any]:
    """The text nodes inside ``element`` outside scripts, styles and ``noscript`` (lxml's
    "smart strings": ``getparent()`` and ``is_tail`` tell where each sits)."""
    if isinstance(element, compact.Element):
        return compact.visible_text(element)
    result: list[Any] = _VISIBLE_TEXT(element)
    return result


_HAS_INVISIBLE = etree.XPath("boolean(.//script | .//style | .//noscript)")


def has_invisible(element: Any) -> bool:
    """``element`` holds a script, a style or a ``noscript``."""
    if isinstance(element, compact.Element):
        return compact.has_invisible(element)
    return bool(_HAS_INVISIBLE(element))


def walk(element: Any) -> Iterator[tuple[str, Any]]:
    """``etree.iterwalk(element, events=("start", "end"))``."""
    if isinstance(element, compact.Element):
        return compact.walk(element)
    return iter(etree.iterwalk(element, events=("start", "end")))


_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})


def iter_body_text_nodes(root: Any) -> Iterator[tuple[str, Any]]:
    """Every text node of the page's ``<body>`` in document order, each with the element it
    sits in (scripts, styles, ``noscript`` and templates skipped); one walk in C, read as
    it goes (a large page's text nodes are never all held: see docs/extraction.md)."""
    body = root.find(".//body") if root.tag != "body" else root
    if body is None:
        return
    if isinstance(body, compact.Element):
        for event, element in compact.walk(body, skip=_INVISIBLE_TAGS):
            if event == "start":
                if element.tag not in _INVISIBLE_TAGS and element.text:
                    yield element.text, element
            elif element != body and element.tail:
                yield element.tail, element.getparent()
        return
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if not isinstance(tag, str) or tag in _INVISIBLE_TAGS:
                walker.skip_subtree()
            elif element.text:
                yield element.text, element
        elif element is not body and element.tail:
            yield element.tail, element.getparent()


def body_text_nodes(root: Any) -> list[tuple[str, Any]]:
    """:func:`iter_body_text_nodes` as a list."""
    return list(iter_body_text_nodes(root))


def short_text(element: Any, limit: int) -> str | None:
    """:func:`element_text` of an element whose text is at most ``limit`` characters, else
    None, without joining the text of a large element (a page's body) only to drop it."""
    raw = 0
    for piece in element.itertext():
        raw += len(piece)
        if raw > 4 * limit + 200:  # more than whitespace could shrink back under the limit
            return None
    text = element_text(element)
    return text if len(text) <= limit else None


#: No character sequence composes under NFC into one character from more than this many.
_NFC_MAX_COMPOSED = 8


def text_within(element: Any, limit: int) -> bool:
    """``len(element_text(element)) <= limit``, exactly, without joining the text of an
    element that holds far more (a grandparent that is the whole article): its visible
    non-space characters are counted first, and more than :data:`_NFC_MAX_COMPOSED` times
    ``limit`` of them cannot normalise to ``limit`` characters or fewer."""
    bound = _NFC_MAX_COMPOSED * limit
    count = 0
    hidden = 0  # depth inside script, style and noscript elements
    for event, node in walk(element):
        tag = node.tag
        invisible = isinstance(tag, str) and tag in _VISIBLE_TEXT_SKIPPED
        if event == "start":
            hidden += invisible
            if not hidden and isinstance(tag, str) and node.text:
                count += sum(map(len, node.text.split()))
        else:
            hidden -= invisible
            if not hidden and node != element and node.tail:
                count += sum(map(len, node.tail.split()))
        if count > bound:
            return False
    return len(element_text(element)) <= limit


_VISIBLE_TEXT_SKIPPED = frozenset({"script", "style", "noscript"})


def element_text(element: Any) -> str:
    """The visible text of an element (scripts and styles skipped), whitespace normalised."""
    if len(element) == 0:
        return normalize_text(element.text)
    if not has_invisible(element):
        return normalize_text(" ".join(element.itertext()))
    return normalize_text(" ".join(visible_text(element)))


def skippable(element: Any) -> bool:
    """Inside navigation, a site footer, a sidebar, comments or lists of other articles."""
    footer = False
    for ancestor in element.iterancestors():
        if ancestor.tag in patterns.SKIP_ANCESTORS:
            return True
        if ancestor.tag == "footer":
            footer = True
        elif ancestor.tag in ("article", "main"):
            footer = False
            break
        if ancestor.tag == "body":
            # the body's classes describe the page's layout ("right-sidebar", "no-sidebar")
            return footer
        classes = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if "__" in classes:
            # "sidebar-layout__content": the content of a layout, not its sidebar
            classes = without_layout_content(classes)
        if "[" in classes:
            # utility classes with arbitrary values ("[--sidebar-width:18rem]",
            # "mr-[--sidebar-container-width]") set CSS, they do not name the element
            classes = " ".join(word for word in classes.split() if "[" not in word)
        if patterns.SKIP_CLASS.search(classes) and not holds_headline(ancestor):
            return True
    return False


#: A paragraph this long inside an element holding an ``<h1>`` makes it the article's wrapper.
WRAPPER_PARAGRAPH_CHARS = 150


def holds_headline(element: Any) -> bool:
    """True when ``element`` holds an ``<h1>`` and a paragraph of prose: a wrapper of the
    article whatever its class says ("sidebar-layout", "has-related"), not a sidebar or a
    list of other stories (a site's logo in an ``<h1>`` comes without prose)."""
    for _ in element.iterdescendants("h1"):
        for paragraph in element.iterdescendants("p"):
            if len(paragraph.text or "") >= WRAPPER_PARAGRAPH_CHARS or (
                len(paragraph) and len("".join(paragraph.itertext())) >= WRAPPER_PARAGRAPH_CHARS
            ):
                return True
        return False
    return False


def class_of(element: Any) -> str:
    return (
        f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}".strip()
    )


def date_context(element: Any) -> str:
    """Class, id and itemprop words of a text node's element and its nearest ancestors."""
    parts: list[str] = []
    for _ in range(DATE_CONTEXT_DEPTH):
        if element is None or not isinstance(element.tag, str) or element.tag == "body":
            break
        parts.append(class_of(element))
        element = element.getparent()
    return " ".join(part for part in parts if part)


@dataclass
class _PageScan:
    """Elements of interest found in one pass over the page, in document order."""

    bylines: list[Any] = field(default_factory=list)
    dated: list[Any] = field(default_factory=list)
    bios: list[Any] = field(default_factory=list)
    positions: dict[Any, int] = field(default_factory=dict)  # of bylines, in document order
    headline: int | None = None  # position of the first <h1>

    def near_headline_first(self, elements: Sequence[Any]) -> list[Any]:
        """``elements`` ordered by closeness to the headline (just after it first).

        A byline sits right under (or just above) the headline; those of other articles
        (cards, lists, sidebars) are further away.  Without an ``<h1>``: document order.
        """
        if self.headline is None:
            return list(elements)
        headline = self.headline

        def key(element: Any) -> tuple[int, int]:
            offset = self.positions.get(element, 0) - headline
            if 0 <= offset <= BYLINE_WINDOW_AFTER:
                return (0, offset)
            if -BYLINE_WINDOW_BEFORE <= offset < 0:
                return (1, -offset)
            return (2, abs(offset))

        return sorted(elements, key=key)


#: Every word :func:`scan_page` looks for in class and id values: a substring test for each
#: rules most values out before any regular expression runs.
_SCAN_WORDS = (
    "author",
    "byl",
    "by-line",
    "writer",
    "contributor",
    "date",
    "time",
    "publish",
    "posted",
    "meta",
    "bio",
    "about",
    "person",
    "user",
)


_SCAN_WORDS_PATTERN = re.compile("|".join(_SCAN_WORDS))


def scan_page(root: Root) -> _PageScan:
    """One walk over the tree: byline-, date- and bio-like elements (cheap string tests only)."""
    scan = _PageScan()
    # the walk touches every element: the names it needs are bound locally once
    non_content, scan_words = patterns.NON_CONTENT_TAGS, _SCAN_WORDS_PATTERN.search
    byline_words, date_words = (
        patterns.BYLINE_ATTRIBUTE_WORDS.search,
        patterns.DATE_ATTRIBUTE_WORDS.search,
    )
    bio_words, icon_tags, person_icon = (
        patterns.BIO_ATTRIBUTE_WORDS.search,
        patterns.ICON_TAGS,
        patterns.PERSON_ICON.search,
    )
    author_href, starts, label = (
        patterns.AUTHOR_HREF.search,
        patterns.BYLINE_TEXT_STARTS,
        patterns.BYLINE_LABEL.match,
    )
    bylines, dated, bios, positions = scan.bylines, scan.dated, scan.bios, scan.positions
    for position, element in enumerate(root.iter()):
        tag = element.tag
        if not isinstance(tag, str) or tag in non_content:
            continue
        if tag == "h1" and scan.headline is None:
            scan.headline = position
        is_byline = False
        classes, identifier = element.get("class"), element.get("id")
        if classes or identifier:
            words = f"{classes or ''} {identifier or ''}".lower()
            if scan_words(words):
                if byline_words(words) or (tag in icon_tags and person_icon(words)):
                    is_byline = True
                if date_words(words):
                    dated.append(element)
                if bio_words(words):
                    bios.append(element)
        if not is_byline and tag == "a":
            rel = element.get("rel")
            href = element.get("href") or ""
            is_byline = bool(rel and "author" in rel.lower()) or (
                "/" in href and bool(author_href(href))
            )
        if not is_byline:
            text = element.text
            if text and len(text) < 200:
                stripped = text.strip()
                is_byline = stripped.startswith(starts) or bool(
                    len(stripped) <= 12 and label(stripped)
                )
        if is_byline:
            bylines.append(element)
            positions[element] = position
    return scan


def in_other_item(element: Any) -> bool:
    """True when a microdata property belongs to an item that is not the page's article: a
    comment, a review, an answer (its nearest enclosing ``itemscope`` says so)."""
    for ancestor in element.iterancestors():
        if ancestor.get("itemscope") is None:
            continue
        item_type = (ancestor.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]
        return item_type in patterns.NOT_ARTICLE_ITEM_TYPES
    return False


def dates_removed(text: str) -> str:
    """``text`` without any date written in it (bylines often end with the date)."""
    for parsed in dates.find_dates(text):
        text = text.replace(parsed.raw, " ")
    return normalize_text(text).strip(" ,|-–—·•")


_ITEMPROP_ELEMENTS = etree.XPath("//*[@itemprop]")


def itemprop_elements(root: Root) -> list[Any]:
    """Every element of the page with microdata (an ``itemprop``), in document order."""
    if isinstance(root, compact.Element):
        return compact.itemprop_elements(root)
    result: list[Any] = _ITEMPROP_ELEMENTS(root)
    return result


def named_descendants(element: Any, value: str) -> list[Any]:
    """``.//*[@itemprop=value]``: the elements inside ``element`` of that microdata
    property."""
    if isinstance(element, compact.Element):
        return compact.named_descendants(element, "itemprop", value)
    result: list[Any] = element.xpath(".//*[@itemprop=$value]", value=value)
    return result


def first_element_text(elements: Iterable[Any]) -> str | None:
    """The visible text of the first of ``elements`` that has some."""
    for element in elements:
        text = element_text(element)
        if text:
            return text
    return None


def first_h1_text(root: Any) -> str | None:
    """The text of the page's headline: the first ``<h1>`` inside an ``<article>`` or
    ``<main>`` when it has text, else the first ``<h1>`` that has text."""
    headings = list(root.iter("h1"))
    inside = next(
        (h for h in headings if any(a.tag in ("article", "main") for a in h.iterancestors())),
        None,
    )
    if inside is not None:
        text = element_text(inside)
        if text:
            return text
    return first_element_text(headings)


@dataclass
class PageReader:
    """One page being read: the parsed tree, what was found so far, and the page's locale."""

    root: Root
    url: str | None
    headers: Headers
    meta: dict[str, list[str]]
    json_ld: JsonLd
    scan: _PageScan
    candidates: Candidates = field(default_factory=Candidates)
    day_first: bool | None = None
    locale_note: str | None = None
    site_names: list[str] = field(default_factory=list)
    html_title: str | None = None
    h1: str | None = None
    _convention_read: bool = False
    _itemprops: dict[str, list[tuple[int, Any]]] | None = None
    #: days the page prints as its publication date, each with where it was read
    printed_days: dict[str, Evidence] = field(default_factory=dict)

    @property
    def article(self) -> dict[str, Any]:
        """The JSON-LD node describing the article (empty when there is none)."""
        return self.json_ld.article or {}

    def meta_values(self, keys: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(key, content) of the page's meta tags with these names, in the order of ``keys``."""
        for key in keys:
            for value in self.meta.get(key, []):
                yield key, value

    def itemprop_elements(self, *properties: str) -> list[Any]:
        """Elements whose ``itemprop`` is one of ``properties``, in document order (the
        page's microdata elements are found in one pass, once)."""
        if self._itemprops is None:
            self._itemprops = {}
            for position, element in enumerate(itemprop_elements(self.root)):
                self._itemprops.setdefault(element.get("itemprop"), []).append((position, element))
        if len(properties) == 1:
            return [element for _, element in self._itemprops.get(properties[0], [])]
        found = [item for name in properties for item in self._itemprops.get(name, [])]
        found.sort(key=lambda item: item[0])
        return [element for _, element in found]

    def body_texts(self) -> Iterator[tuple[str, Any]]:
        """The page body's text nodes with their elements (scripts, styles skipped), walked
        anew at each call: readers take the few they need, never a list of them all."""
        return iter_body_text_nodes(self.root)

    def add_date(self, target: str, raw: str | None, source: str, *, find: bool = False) -> bool:
        """Add a date candidate read with the page's locale; True when ``raw`` held one.

        Without a locale, the first numeric date met makes the page's other numeric dates
        be looked through for the convention they follow (:func:`dates.numeric_convention`).
        """
        if (
            self.day_first is None
            and not self._convention_read
            and raw
            and patterns.NUMERIC_DATE.search(raw)
        ):
            self._convention_read = True
            parts: list[str] = []
            length = -1  # " ".join(parts) is ``length`` characters long
            for text, _ in self.body_texts():
                parts.append(text)
                length += 1 + len(text)
                if length >= NUMERIC_CONVENTION_MAX_CHARS:
                    break  # the rest is cut off below
            body = " ".join(parts)[:NUMERIC_CONVENTION_MAX_CHARS]
            day_first, note = dates.numeric_convention(body)
            if day_first is not None:
                self.day_first, self.locale_note = day_first, note
        return self.candidates.add_date(
            target, raw, source, day_first=self.day_first, locale_note=self.locale_note, find=find
        )

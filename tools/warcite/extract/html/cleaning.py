"""Cleaning: which elements are furniture (class and id words, tags, roles, hidden state)."""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from warcite.extract import selectors as sel
from warcite.extract.classwords import names_layout_content, without_layout_content
from warcite.extract.html.blocks import PROSE_MIN_CHARS

_ANY_BOILERPLATE_WORD = re.compile(
    "|".join(
        re.escape(word)
        for word in sorted(sel.BOILERPLATE_WORDS | set(sel.BOILERPLATE_PREFIXES), key=len)
    )
)


@functools.lru_cache(maxsize=65536)
def attribute_words(value: str) -> frozenset[str]:
    """Lowercase words of a class or id value, modifiers such as ``tag-x`` skipped.

    Each token gives itself without separators ("share-bar" -> "sharebar") and its parts
    split on separators and camelCase ("shareBar" -> "share", "bar").  Utility-CSS tokens
    (``md:[grid-template-areas:'sidebar_main']``), negations (``no_toc``), states
    (``comments-enabled``, ``ads-off``) and taxonomy modifiers (``article-type-commentary``)
    are skipped: they describe the page, not the element's part in it.
    """
    words: set[str] = set()
    for token in value.split():
        if "__" in token and names_layout_content(token):
            # "sidebar-layout__content": the content of a layout, not part of its sidebar
            words.add(token.rpartition("__")[2].split("--", 1)[0].lower())
            continue
        lowered = token.lower()
        dashed = lowered.replace("_", "-")
        if (
            dashed.startswith(sel.MODIFIER_PREFIXES)
            or dashed.endswith(sel.STATE_SUFFIXES)
            or any(infix in dashed for infix in sel.MODIFIER_INFIXES)
            or any(mark in token for mark in sel.UTILITY_CLASS_MARKS)
        ):
            continue
        words.add(lowered.replace("-", "").replace("_", ""))
        words.update(word.lower() for word in sel.ATTRIBUTE_WORD_SPLIT.split(token) if word)
    return frozenset(words)


@functools.lru_cache(maxsize=65536)
def names_boilerplate(value: str) -> bool:
    """True when a class or id value names page furniture (share, comments, ads, ...)."""
    # fast path: no furniture word anywhere in the value, separators removed ("sr-only")
    if "__" in value:
        value = without_layout_content(value)
    if not _ANY_BOILERPLATE_WORD.search(value.lower().replace("-", "").replace("_", "")):
        return False
    return any(
        word in sel.BOILERPLATE_WORDS
        or (word.startswith(sel.BOILERPLATE_PREFIXES) and word not in sel.NOT_FURNITURE_WORDS)
        for word in attribute_words(value)
    )


def names_content(element: HtmlElement) -> bool:
    if element.get("itemprop") == "articleBody":
        return True
    for attribute in ("class", "id"):
        value = element.get(attribute)
        if value and any(token.lower() in sel.CONTENT_WORDS for token in value.split()):
            return True
    return False


def is_hidden(attributes: Any) -> bool:
    """Hidden by the ``hidden`` attribute, ``aria-hidden`` or an inline ``display: none``."""
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    style = attributes.get("style")
    return bool(style and sel.HIDDEN_STYLE.search(style))


def _is_boilerplate(element: HtmlElement, tag: str) -> bool:
    if tag in sel.BOILERPLATE_TAGS:
        return True
    attributes = element.attrib
    if not attributes:
        return False
    role = attributes.get("role")
    if role and role.strip().lower() in sel.BOILERPLATE_ROLES:
        return True
    if is_hidden(attributes):
        return True
    value = attributes.get("class")
    if value and names_boilerplate(value):
        return True
    value = attributes.get("id")
    return bool(value and not sel.ANCHOR_ID.match(value) and names_boilerplate(value))


def names_any(element: HtmlElement, words: frozenset[str]) -> bool:
    for name in ("class", "id"):
        value = element.get(name)
        if value and attribute_words(value) & words:
            return True
    return False


def _is_comment_section(element: HtmlElement) -> bool:
    return names_any(element, sel.COMMENT_WORDS)


def _holds_marked_body(element: HtmlElement) -> bool:
    """True when ``element`` is or holds an element named as the article body."""
    if names_content(element):
        return True
    return any(
        names_content(child) for child in element.iterdescendants() if isinstance(child.tag, str)
    )


def marks_boilerplate(element: HtmlElement, tag: str) -> bool:
    """True when ``element`` is page furniture by its tag, role, visibility or name.

    A ``header`` is furniture unless it holds the page's ``h1`` or a long paragraph (some
    site builders put article text in ``header`` elements); whether a marked element
    is dropped is decided later, from how much of the page's prose it holds.
    """
    if tag in sel.NEVER_FURNITURE_TAGS:
        return False
    if tag == sel.HEADER_TAG:
        for _ in element.iterdescendants("h1"):
            return False
        for paragraph in element.iterdescendants("p"):
            if len("".join(paragraph.itertext())) >= 2 * PROSE_MIN_CHARS:
                return False
        return True
    return _is_boilerplate(element, tag)


def may_wrap_article(element: HtmlElement, *, prose_elsewhere: bool = True) -> bool:
    """False for marks that cannot sit on a wrapper of the article.

    A mark from a class name, a role, hidden state or a ``form`` (ASP.NET wraps whole pages
    in one) may be on a wrapper.  Semantic furniture (``nav``, ``footer``, ``aside``,
    ``menu``, ``header``) wraps the article when it holds the page's ``h1`` or ``main`` (an
    unclosed one swallowing the rest of the page: libxml2 does not close these HTML5
    elements the way browsers do), an element named as the article body, or when the page
    has no prose outside semantic furniture (``prose_elsewhere`` False: the body sits in an
    ``<aside>``).  Comment sections and consent overlays never wrap the article.
    """
    if _is_comment_section(element) or names_any(element, sel.CONSENT_WORDS):
        return False
    tag = element.tag
    if isinstance(tag, str) and tag.lower() in sel.SEMANTIC_FURNITURE_TAGS:
        if not prose_elsewhere:
            return True
        for _ in element.iterdescendants("h1", "main"):
            return True
        return _holds_marked_body(element)
    return True


def discard_non_text(root: HtmlElement) -> None:
    """Remove scripts, media, form controls and captions (in place).

    A control that holds the page's structure first gives it back (:func:`release_swallowed`).
    """
    release_swallowed(root)
    etree.strip_elements(root, *sel.DISCARDED_TAGS, with_tail=False)


#: Elements a form control cannot hold: one inside it was put there by the parser.
STRUCTURE_TAGS = ("main", "article", "section", "h1", "h2", "p")
#: How many elements inside a control are looked at for the page's structure (bounded work
#: on a page of thousands of nested controls; a swallowed <main> follows the label soon).
RELEASE_LOOKAHEAD = 2000
#: Controls whose content is discarded with them.
SWALLOWING_CONTROLS = ("button", "select")


def release_swallowed(root: HtmlElement) -> None:
    """Unwrap form controls that hold the page's structure (in place).

    A ``<button>`` holds phrasing content only.  When an element left open inside one
    (``<button><div>Menu</button>``) makes libxml2 ignore the ``</button>``, the rest of
    the page, ``<main>`` and all, ends up inside the button and would be discarded with it.
    Such a control is unwrapped instead: its content stays where it is.
    """
    for control in swallowing_controls(root):
        unwrap(control)


def swallowing_controls(root: HtmlElement) -> list[HtmlElement]:
    """The form controls :func:`release_swallowed` unwraps, in document order."""
    return [
        control
        for control in root.iter(*SWALLOWING_CONTROLS)
        if any(
            element.tag in STRUCTURE_TAGS
            for element in itertools.islice(control.iterdescendants(), RELEASE_LOOKAHEAD)
        )
    ]


def unwrap(element: HtmlElement) -> None:
    """Replace ``element`` by its content (text, children and tail kept in order)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    text = element.text or ""
    previous = element.getprevious()
    if text:
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = element.tail or ""
    if tail:
        last = children[-1] if children else element.getprevious()
        if last is not None and last is not element:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)

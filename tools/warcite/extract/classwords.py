"""What a class token says about its element, shared by text and metadata extraction.

BEM-style names (``block__element--modifier``) name an element by its part in a
component: in ``sidebar-layout__content`` the element is the *content* of a layout that has
a sidebar, not part of the sidebar.  A furniture word in the block's name then describes
the component around the element, not the element itself.
"""

from __future__ import annotations

import functools
import re

#: Element names (after ``__``) that say the element holds the page's own content.
CONTENT_ELEMENT_WORDS: frozenset[str] = frozenset(
    {
        "content",
        "contents",
        "body",
        "main",
        "article",
        "text",
        "story",
        "copy",
        "prose",
        "entry",
        "post",
        "primary",
    }
)

#: Words that, as the *last* word of a block's name, make the block a page layout (a
#: ``sidebar-layout`` is a layout that has a sidebar); any other last word names furniture
#: or is unknown (``sidebar__content`` is the sidebar's content, ``newsletter-signup__body``
#: a sign-up box's body), and the token keeps all its words.
LAYOUT_HEAD_WORDS: frozenset[str] = frozenset(
    {
        "layout",
        "layouts",
        "page",
        "grid",
        "columns",
        "column",
        "cols",
        "container",
        "wrapper",
        "wrap",
        "template",
        "shell",
        "frame",
        "view",
        "region",
        "split",
    }
)

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")


@functools.lru_cache(maxsize=16384)
def names_layout_content(token: str) -> bool:
    """True for a BEM class token naming the content part of a layout component.

    ``sidebar-layout__content``, ``sidebar-page__body``, ``rail-grid__main``: the element
    after ``__`` is a content word, and the block's name has more than one word, the last
    of which names a layout (``sidebar__content``, ``related-stories__body`` and
    ``newsletter-signup__body`` stay furniture).
    """
    block, separator, element = token.rpartition("__")
    if not separator or not block:
        return False
    element = element.split("--", 1)[0].lower()
    if element not in CONTENT_ELEMENT_WORDS:
        return False
    words = [word.lower() for word in _WORD_SPLIT.split(block) if word]
    return len(words) >= 2 and words[-1] in LAYOUT_HEAD_WORDS


def without_layout_content(value: str) -> str:
    """A class value without its tokens that name the content part of a layout."""
    if "__" not in value:
        return value
    return " ".join(token for token in value.split() if not names_layout_content(token))


__all__ = [
    "CONTENT_ELEMENT_WORDS",
    "LAYOUT_HEAD_WORDS",
    "names_layout_content",
    "without_layout_content",
]

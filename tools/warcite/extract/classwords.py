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

#: Words that, as the *last* word of a block's name, make it furniture itself: a
#: ``sidebar__content`` is the sidebar's content, a ``related-stories__body`` a list's body.
FURNITURE_HEAD_WORDS: frozenset[str] = frozenset(
    {
        "sidebar",
        "rail",
        "aside",
        "widget",
        "widgets",
        "related",
        "comments",
        "comment",
        "footer",
        "header",
        "nav",
        "navigation",
        "menu",
        "ad",
        "ads",
        "promo",
        "newsletter",
        "modal",
        "popup",
        "banner",
        "teaser",
        "teasers",
        "card",
        "cards",
        "list",
        "stories",
        "posts",
        "articles",
        "recommendations",
        "ticker",
    }
)

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")


@functools.lru_cache(maxsize=16384)
def names_layout_content(token: str) -> bool:
    """True for a BEM class token naming the content part of a layout component.

    ``sidebar-layout__content``, ``sidebar-page__body``, ``ad-wrapper__main``: the element
    after ``__`` is a content word, and the block's name has more than one word, the last
    of which is not furniture itself (``sidebar__content``, ``related-stories__body``
    stay furniture).
    """
    block, separator, element = token.rpartition("__")
    if not separator or not block:
        return False
    element = element.split("--", 1)[0].lower()
    if element not in CONTENT_ELEMENT_WORDS:
        return False
    words = [word.lower() for word in _WORD_SPLIT.split(block) if word]
    return len(words) >= 2 and words[-1] not in FURNITURE_HEAD_WORDS


def without_layout_content(value: str) -> str:
    """A class value without its tokens that name the content part of a layout."""
    if "__" not in value:
        return value
    return " ".join(token for token in value.split() if not names_layout_content(token))


__all__ = [
    "CONTENT_ELEMENT_WORDS",
    "FURNITURE_HEAD_WORDS",
    "names_layout_content",
    "without_layout_content",
]

"""The text :class:`Block` and the thresholds that say what reads as prose."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from warcite.extract import selectors as sel

#: A block of at least this many characters of non-link text reads as prose.
PROSE_MIN_CHARS = 80


#: A shorter block still counts as prose when it ends like a sentence and is at least this long.
SENTENCE_MIN_CHARS = 30


#: Link density (share of a block's characters inside links) above which a block is a link list.
LINK_LIST_DENSITY = 0.5


#: A link-dense block this long, with some text of its own, is a described reference.
DESCRIBED_LINK_MIN_CHARS = 60


#: ... as long as at most this share of it is link text.
DESCRIBED_LINK_MAX_DENSITY = 0.9


#: A tail of the container with this many links and only short blocks besides is teasers.
TEASER_MIN_LINKS = 3


#: ... where "short" means under this many characters.
TEASER_MAX_CHARS = 200


#: Link density under which a block can count as prose.
PROSE_MAX_LINK_DENSITY = 0.3


#: Blocks at most this long can be dropped as furniture lines, bylines or datelines.
FURNITURE_MAX_CHARS = 200


#: Blocks at most this long are dropped when they disclose affiliate links or commissions.
DISCLOSURE_MAX_CHARS = 400


#: An element marked as furniture that holds this share of the page's prose is kept.
ARTICLE_PROSE_SHARE = 0.5


#: A marked article body wins over the best-scoring container when it holds this share of its prose.
MARKED_BODY_SHARE = 0.8


#: Less prose than this in the chosen container means the page has no article.
MIN_ARTICLE_CHARS = 150


#: Placeholder text is kept when placeholder Latin is at least this share of the prose.
FILLER_PAGE_SHARE = 0.85


#: A block is placeholder Latin when this share of its words are filler words.
FILLER_WORD_SHARE = 0.5


#: Blocks at most this long are checked for consent and privacy notices.
CONSENT_MAX_CHARS = 1200


#: A hidden block is a copy of visible text when this share of its shingles is visible.
HIDDEN_COPY_SHARE = 0.5


WORD = re.compile(r"\w+")


@dataclass(slots=True)  # a large page has hundreds of thousands of blocks
class Block:
    """One text block as found in the page, before filtering.

    ``owner`` is the innermost block element holding the text; ``marks`` the enclosing
    elements marked as furniture; ``link_density`` the share of characters inside links;
    ``prose_chars`` the non-link characters when the block reads as prose (long, or a
    sentence, and link-poor), else 0.
    """

    text: str
    kind: str
    owner: HtmlElement
    link_chars: int
    heading_level: int = 0
    marks: tuple[HtmlElement, ...] = ()
    boilerplate: bool = False
    hidden_text: bool = False
    excluded: bool = False
    prose_chars: int = field(init=False)

    @property
    def link_density(self) -> float:
        """The share of the text's characters inside links (computed: not kept, since a
        large page has hundreds of thousands of blocks)."""
        length = len(self.text)
        return min(1.0, self.link_chars / length) if length and self.link_chars else 0.0

    def __post_init__(self) -> None:
        self.prose_chars = prose_chars(self.text, self.kind, self.link_chars)


def prose_chars(text: str, kind: str, link_chars: int) -> int:
    """The non-link characters of a block that reads as prose (long, or a sentence, and
    link-poor), else 0 (:attr:`Block.prose_chars`; :mod:`.rows` keeps it for its rows)."""
    length = len(text)
    link_density = min(1.0, link_chars / length) if length and link_chars else 0.0
    if kind != "heading" and link_density < PROSE_MAX_LINK_DENSITY:
        plain = length - link_chars
        if plain >= PROSE_MIN_CHARS or (
            plain >= SENTENCE_MIN_CHARS and sel.SENTENCE_END.search(text)
        ):
            return plain
    return 0


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, every run of whitespace (NBSP too) one space."""
    if text.isascii():
        return " ".join(text.split())
    text = sel.INVISIBLE.sub("", text)
    text = sel.SPACES.sub(" ", text).strip()
    return unicodedata.normalize("NFC", text)


def normalize_preformatted(text: str) -> str:
    """Like :func:`normalize_text` but keeping line breaks and indentation."""
    text = sel.INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", "    ")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return unicodedata.normalize("NFC", "\n".join(lines))


def comparable(text: str | None) -> str:
    return " ".join(WORD.findall(unicodedata.normalize("NFKC", text or "").casefold()))

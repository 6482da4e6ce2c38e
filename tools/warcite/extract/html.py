"""HTML -> the article's own blocks, in reading order, boilerplate removed.

The steps of :func:`extract_html`:

1. **Parse** with lxml's HTML parser: recovering from broken markup, no network, no
   entity resolution, comments and processing instructions dropped.  ``</body>`` and
   ``</html>`` end tags are removed first (browsers ignore them; libxml2 would drop what
   follows).  libxml2 stops at a nesting depth of 256 (warcite never sets ``huge_tree``), so
   a pathological page costs bounded time and memory; the Extraction then carries a warning
   that deeper text is missing.  A ``<script>`` or ``<style>`` over 8 MiB is emptied first
   (libxml2 stops at a text node of 10 MB), with a warning.
2. **Metadata** is read from the untouched tree (:mod:`warcite.extract.metadata`).
3. **Blocks**: scripts, media, form controls and captions are removed; one pass over the
   whole document (``<head>`` included: libxml2 puts text it met in odd places there) turns
   it into text blocks (paragraphs, headings, list items, quotes, preformatted text, table
   rows with cells joined by " | "), noting each block's element, its link text, and the
   enclosing elements *marked* as furniture: ``nav``, ``footer``, ``aside``, ``menu``, a
   ``header`` without the ``h1`` or a long paragraph, non-content ARIA roles, hidden
   elements, and class or id names of furniture (share, comments, related, ads,
   newsletter, byline, author, cookie, ...; utility-CSS tokens, negations such as
   ``no_toc``, WordPress modifiers such as ``tag-news`` and heading anchor ids are not
   names).  Inside ``<pre>`` nothing is marked.
4. **Marks on wrappers are lifted**: a marked element holding half the page's prose wraps
   the article (``has-sidebar``, ``body-ad-wrapper``), unless it is a comment section or
   semantic furniture that is not swallowing the page through broken nesting; hidden
   elements holding half the prose together are text a script reveals (a warning says so).
5. **The article's container** is the element whose subtree scores best (one pass, from
   the leaves up): prose (long or sentence-like, link-poor blocks) counts for it, link
   lists and short fragments against it; an element marked as the article body
   (``itemprop=articleBody``, ``entry-content``, ...) is preferred when it holds nearly as
   much prose.
6. **Filter** the container's blocks: furniture, link lists (except links with a
   description of their own), placeholder text, page-furniture lines ("Share", "Read more",
   "Advertisement", copyright), the title heading (the title is metadata), bylines and
   datelines (metadata too; never in table rows), a trailing run of teasers (links to
   other stories with blurbs), and everything from a heading that ends an article
   ("Comments", "Related articles", "About the author"; "More on X" only when less prose
   follows than precedes it).

A page without a run of prose (a listing, a video page, a stub, an error page) keeps its
metadata and the little text it has (possibly none), with a warning that begins "no article
text found"; ``warcite record`` refuses a page with no text at all (exit 4) and keeps one
with a short text, the warning in its extraction event.  An empty document, or one with
neither text nor a title, raises :class:`~warcite.core.errors.ExtractionError`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from warcite.core.errors import ExtractionError
from warcite.core.models import Extraction, Headers, Paragraph
from warcite.extract import metadata as metadata_module
from warcite.extract import selectors as sel
from warcite.extract.surnames import settle_surnames

#: A <script> or <style> whose content exceeds this many UTF-8 bytes is emptied before
#: parsing: libxml2 refuses a text node over 10,000,000 bytes and stops there, losing the
#: rest of the page (``huge_tree`` would lift that limit, and the 256-level depth bound too).
MAX_RAW_TEXT_BYTES = 8 * 1024 * 1024
_RAW_TEXT_START = re.compile(r"<(script|style)\b", re.IGNORECASE)

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

_WORD = re.compile(r"\w+")
_ANY_BOILERPLATE_WORD = re.compile(
    "|".join(
        re.escape(word)
        for word in sorted(sel.BOILERPLATE_WORDS | set(sel.BOILERPLATE_PREFIXES), key=len)
    )
)


@dataclass
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
    link_density: float = field(init=False)
    prose_chars: int = field(init=False)

    def __post_init__(self) -> None:
        length = len(self.text)
        self.link_density = min(1.0, self.link_chars / length) if length else 0.0
        self.prose_chars = 0
        if self.kind != "heading" and self.link_density < PROSE_MAX_LINK_DENSITY:
            plain = length - self.link_chars
            if plain >= PROSE_MIN_CHARS or (
                plain >= SENTENCE_MIN_CHARS and sel.SENTENCE_END.search(self.text)
            ):
                self.prose_chars = plain


# --------------------------------------------------------------------------- text


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


def _comparable(text: str | None) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text or "").casefold()))


# --------------------------------------------------------------------------- parsing


def parse_html(text: str) -> HtmlElement:
    """Parse an HTML document safely; ExtractionError when there is nothing to parse."""
    return _parse(text)[0]


def _empty_huge_raw_text(text: str) -> tuple[str, bool]:
    """``text`` with the content of each <script> and <style> over
    :data:`MAX_RAW_TEXT_BYTES` removed (one linear scan), and whether any was."""
    if len(text) <= MAX_RAW_TEXT_BYTES // 4 or (
        len(text) <= MAX_RAW_TEXT_BYTES
        and len(text.encode("utf-8", "replace")) <= MAX_RAW_TEXT_BYTES
    ):
        return text, False  # no part of it can be too large
    pieces: list[str] = []
    kept = 0  # text[:kept] is in pieces
    position = 0
    while (start := _RAW_TEXT_START.search(text, position)) is not None:
        opened = text.find(">", start.end())
        if opened < 0:
            break
        end_tag = re.compile(rf"</{start.group(1)}(?=[\s/>])", re.IGNORECASE)
        closed = end_tag.search(text, opened + 1)
        end = closed.start() if closed is not None else len(text)
        content = text[opened + 1 : end]
        if len(content) > MAX_RAW_TEXT_BYTES // 4 and (
            len(content.encode("utf-8", "replace")) > MAX_RAW_TEXT_BYTES
        ):
            pieces.append(text[kept : opened + 1])
            kept = end
        if closed is None:
            break
        position = closed.end()
    if not pieces:
        return text, False
    pieces.append(text[kept:])
    return "".join(pieces), True


def _parse(text: str) -> tuple[HtmlElement, tuple[str, ...]]:
    """The parsed document and warnings about what the parser could not read."""
    if not text.strip():
        raise ExtractionError("no article text found: the document is empty")
    # lxml's plain HTML parser: the same libxml2 tree as lxml.html's, without a Python
    # class lookup for every element touched (a third of the time extraction took).
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
        collect_ids=False,
        default_doctype=False,
    )
    # Browsers keep reading after a premature </body> or </html> (HTML5 ignores both end
    # tags); libxml2 drops what follows them, so they are removed first.
    text = sel.DOCUMENT_END_TAGS.sub("", text.replace("\x00", ""))
    text, emptied = _empty_huge_raw_text(text)
    data = text.encode("utf-8", "replace")
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ExtractionError(
            f"no article text found: the HTML cannot be parsed ({error})"
        ) from error
    if root is None:
        raise ExtractionError("no article text found: the document is empty")
    warnings: tuple[str, ...] = ()
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        warnings = (
            "the page nests elements more than 256 levels deep; the HTML parser stopped "
            "there, so any text deeper in the page or after that point is missing",
        )
    if emptied:
        warnings += (
            f"a <script> or <style> of more than {MAX_RAW_TEXT_BYTES} bytes was left "
            "out unread (the HTML parser cannot hold it)",
        )
    return root, warnings


# --------------------------------------------------------------------------- cleaning


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
    if not _ANY_BOILERPLATE_WORD.search(value.lower().replace("-", "").replace("_", "")):
        return False
    return any(
        word in sel.BOILERPLATE_WORDS
        or (word.startswith(sel.BOILERPLATE_PREFIXES) and word not in sel.NOT_FURNITURE_WORDS)
        for word in attribute_words(value)
    )


def _names_content(element: HtmlElement) -> bool:
    if element.get("itemprop") == "articleBody":
        return True
    for attribute in ("class", "id"):
        value = element.get(attribute)
        if value and any(token.lower() in sel.CONTENT_WORDS for token in value.split()):
            return True
    return False


def _is_hidden(attributes: Any) -> bool:
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
    if _is_hidden(attributes):
        return True
    value = attributes.get("class")
    if value and names_boilerplate(value):
        return True
    value = attributes.get("id")
    return bool(value and not sel.ANCHOR_ID.match(value) and names_boilerplate(value))


def _names_any(element: HtmlElement, words: frozenset[str]) -> bool:
    for name in ("class", "id"):
        value = element.get(name)
        if value and attribute_words(value) & words:
            return True
    return False


def _is_comment_section(element: HtmlElement) -> bool:
    return _names_any(element, sel.COMMENT_WORDS)


def _holds_marked_body(element: HtmlElement) -> bool:
    """True when ``element`` is or holds an element named as the article body."""
    if _names_content(element):
        return True
    return any(
        _names_content(child) for child in element.iterdescendants() if isinstance(child.tag, str)
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


def _may_wrap_article(element: HtmlElement, *, prose_elsewhere: bool = True) -> bool:
    """False for marks that cannot sit on a wrapper of the article.

    A mark from a class name, a role, hidden state or a ``form`` (ASP.NET wraps whole pages
    in one) may be on a wrapper.  Semantic furniture (``nav``, ``footer``, ``aside``,
    ``menu``, ``header``) wraps the article when it holds the page's ``h1`` or ``main`` (an
    unclosed one swallowing the rest of the page: libxml2 does not close these HTML5
    elements the way browsers do), an element named as the article body, or when the page
    has no prose outside semantic furniture (``prose_elsewhere`` False: the body sits in an
    ``<aside>``).  Comment sections and consent overlays never wrap the article.
    """
    if _is_comment_section(element) or _names_any(element, sel.CONSENT_WORDS):
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
    """Remove scripts, media, form controls and captions (in place)."""
    etree.strip_elements(root, *sel.DISCARDED_TAGS, with_tail=False)


# --------------------------------------------------------------------------- blocks


#: Tags that can mark an element as furniture without any attribute.
_TAG_MARKABLE = sel.BOILERPLATE_TAGS | {sel.HEADER_TAG}


class _BlockBuilder:
    """Turns a cleaned tree into :class:`Block` values in one pass."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.owners: list[HtmlElement] = []
        self.pre = 0
        self.headings: list[int] = []
        self.list_items = 0
        self.quotes = 0
        self.links = 0
        self.breaks = 0
        self.marks: list[HtmlElement] = []
        self.marked: list[bool] = []
        self.hidden: set[HtmlElement] = set()

    def add(self, text: str | None) -> None:
        if not text:
            return
        if not self.parts and not self.pre and text.isspace():
            return  # whitespace before a block's first text is dropped by normalising anyway
        self.parts.append(text)
        if self.links:
            self.link_chars += len(text.strip())
        if not text.isspace():
            self.breaks = 0

    def kind(self) -> str:
        if self.pre:
            return "preformatted"
        if self.headings:
            return "heading"
        if self.list_items:
            return "list-item"
        if self.quotes:
            return "quote"
        return "paragraph"

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        kind = self.kind()
        text = normalize_preformatted(raw) if kind == "preformatted" else normalize_text(raw)
        if text and self.owners:
            self.blocks.append(
                Block(
                    text=text,
                    kind=kind,
                    owner=self.owners[-1],
                    link_chars=min(self.link_chars, len(text)),
                    heading_level=self.headings[-1] if self.headings else 0,
                    marks=tuple(self.marks),
                )
            )
        self.parts = []
        self.link_chars = 0
        self.breaks = 0

    def start(self, element: HtmlElement, tag: str) -> None:
        # Inside <pre> every element is part of the code (highlighter classes such as
        # "hljs-comment" name syntax, not furniture).
        marked = (
            not self.pre
            # most elements have no attributes and a tag that is never furniture by itself
            and (tag in _TAG_MARKABLE or bool(element.attrib))
            and marks_boilerplate(element, tag)
        )
        self.marked.append(marked)
        if tag in sel.BLOCK_TAGS or marked:
            self.flush()
            self.owners.append(element)
            if marked:
                self.marks.append(element)
                if element.attrib and (
                    _is_hidden(element.attrib) or _names_any(element, sel.VISUALLY_HIDDEN_WORDS)
                ):
                    self.hidden.add(element)
            if tag in sel.PREFORMATTED_TAGS:
                self.pre += 1
            elif tag in sel.HEADING_TAGS:
                self.headings.append(int(tag[1]))
            elif tag in sel.LIST_ITEM_TAGS:
                self.list_items += 1
            elif tag in sel.QUOTE_TAGS:
                self.quotes += 1
        elif tag == "br":
            if self.pre:
                self.add("\n")
            else:
                self.breaks += 1
                if self.breaks >= 2:
                    self.flush()
                else:
                    self.add(" ")
                    self.breaks = 1
        elif tag in sel.TABLE_CELL_TAGS:
            self.add(" | " if any(not part.isspace() for part in self.parts) else " ")
        elif tag in sel.LINK_TAGS:
            self.links += 1
        self.add(element.text)

    def end(self, element: HtmlElement, tag: str) -> None:
        marked = self.marked.pop()
        if tag in sel.BLOCK_TAGS or marked:
            self.flush()
            self.owners.pop()
            if marked:
                self.marks.pop()
            if tag in sel.PREFORMATTED_TAGS:
                self.pre -= 1
            elif tag in sel.HEADING_TAGS:
                self.headings.pop()
            elif tag in sel.LIST_ITEM_TAGS:
                self.list_items -= 1
            elif tag in sel.QUOTE_TAGS:
                self.quotes -= 1
        elif tag in sel.LINK_TAGS:
            self.links -= 1
        elif tag in sel.TABLE_CELL_TAGS:
            self.add(" ")
        self.add(element.tail)


def build_blocks(root: HtmlElement) -> list[Block]:
    """Every text block under ``root``, in document order, furniture flagged.

    A block inside an element marked as furniture (:func:`marks_boilerplate`) is flagged
    ``boilerplate`` unless that element holds at least :data:`ARTICLE_PROSE_SHARE` of the
    page's prose (then the mark sits on a wrapper of the article, as in ``has-sidebar``)
    and may wrap an article (:func:`_may_wrap_article`); hidden elements are kept when
    together they hold that share.
    """
    builder = _BlockBuilder()
    builder.owners.append(root)
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if element is root:
            if event == "start":
                builder.add(element.text)
            continue
        if event == "start":
            builder.start(element, tag)  # libxml2's HTML parser lowercases tag names
        else:
            builder.end(element, tag)
    builder.flush()
    blocks = builder.blocks
    hidden = builder.hidden
    for block in blocks:
        if block.prose_chars and _is_consent_notice(block.text):
            block.excluded = True  # a cookie or "do not sell" notice is never the article
    if hidden:
        _exclude_hidden_copies(blocks, hidden)
    prose_by_mark: dict[HtmlElement, int] = {}
    semantic_free = 0
    for block in blocks:
        chars = block.prose_chars
        if not chars or block.excluded:
            continue
        for mark in block.marks:
            prose_by_mark[mark] = prose_by_mark.get(mark, 0) + chars
        if not any(_tag(mark) in sel.SEMANTIC_FURNITURE_TAGS for mark in block.marks):
            semantic_free += chars
    prose_elsewhere = semantic_free >= MIN_ARTICLE_CHARS
    may_wrap = {
        mark: _may_wrap_article(mark, prose_elsewhere=prose_elsewhere) for mark in prose_by_mark
    }
    # The share is taken of the prose that could be the article: not comment sections,
    # consent overlays, sidebars and other furniture that never wraps it (a long comment
    # thread must not make the article's wrapper look small).
    candidate_prose = sum(
        block.prose_chars
        for block in blocks
        if block.prose_chars
        and not block.excluded
        and all(may_wrap.get(mark, True) for mark in block.marks)
    )
    protected = {
        mark
        for mark, chars in prose_by_mark.items()
        if candidate_prose and chars >= ARTICLE_PROSE_SHARE * candidate_prose and may_wrap[mark]
    }
    # Pages that stream their text into hidden elements for scripts to reveal (React
    # server rendering, "read more" toggles): hidden text that is most of the prose is read
    # (hidden copies of visible text were excluded above).
    hidden_prose = sum(
        block.prose_chars
        for block in blocks
        if block.prose_chars and not block.excluded and any(mark in hidden for mark in block.marks)
    )
    if candidate_prose and hidden_prose >= ARTICLE_PROSE_SHARE * candidate_prose:
        protected.update(hidden)
        for block in blocks:
            block.hidden_text = any(mark in hidden for mark in block.marks)
    for block in blocks:
        block.boilerplate = block.excluded or any(mark not in protected for mark in block.marks)
    return blocks


def _tag(element: HtmlElement) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _is_consent_notice(text: str) -> bool:
    """A cookie-consent or privacy ("do not sell") notice, by its words."""
    if len(text) > CONSENT_MAX_CHARS:
        return False
    lowered = text.lower()
    if not ("cookie" in lowered or "sell" in lowered or "agree" in lowered or "consent" in lowered):
        return False
    return bool(sel.CONSENT_TEXT.search(text))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < 4:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _exclude_hidden_copies(blocks: Sequence[Block], hidden: set[HtmlElement]) -> None:
    """Exclude hidden blocks that repeat visible text (a ``display:none`` microdata copy
    of the article, an ``aria-hidden`` duplicate): they would double the text."""
    copies = [
        block
        for block in blocks
        if block.prose_chars and any(mark in hidden for mark in block.marks)
    ]
    if not copies:
        return
    visible: set[tuple[str, ...]] = set()
    for block in blocks:
        if block.prose_chars and not any(mark in hidden for mark in block.marks):
            visible |= _shingles(block.text)
    if not visible:
        return
    for block in copies:
        own = _shingles(block.text)
        if own and len(own & visible) >= HIDDEN_COPY_SHARE * len(own):
            block.excluded = True


# --------------------------------------------------------------------------- container


def _block_value(block: Block) -> float:
    if block.boilerplate:
        return 0.0  # dropped wherever the container is: it neither helps nor costs
    prose = block.prose_chars
    if prose:
        return float(prose)
    if block.kind == "preformatted":
        return 0.0
    length = len(block.text)
    if block.link_density >= LINK_LIST_DENSITY:
        return -0.5 * length
    return -0.1 * length


def choose_container(
    blocks: Sequence[Block],
) -> tuple[HtmlElement | None, dict[HtmlElement, float]]:
    """The element whose blocks score best, and the prose held by each candidate.

    Each block's value goes to its owner; one pass over the tree from the leaves up then
    gives every element the sum of its subtree (linear in the size of the page).
    """
    scores: dict[HtmlElement, float] = {}
    prose: dict[HtmlElement, float] = {}
    for block in blocks:
        owner = block.owner
        scores[owner] = scores.get(owner, 0.0) + _block_value(block)
        chars = 0 if block.boilerplate else block.prose_chars
        if chars:
            prose[owner] = prose.get(owner, 0.0) + chars
    if blocks:
        root = blocks[0].owner.getroottree().getroot()
        for element in reversed(list(root.iter())):
            if element not in scores:
                continue
            parent = element.getparent()
            if parent is None:
                continue
            scores[parent] = scores.get(parent, 0.0) + scores[element]
            if element in prose:
                prose[parent] = prose.get(parent, 0.0) + prose[element]
    if not scores:
        return None, prose
    best = max(scores, key=lambda element: scores[element])
    best_prose = prose.get(best, 0.0)
    if best_prose <= 0:
        return best, prose
    # Prefer an element marked as the article body when it holds nearly all the prose.
    marked = [
        element
        for element in prose
        if _names_content(element) and prose[element] >= MARKED_BODY_SHARE * best_prose
    ]
    if marked:
        best = min(marked, key=lambda element: (prose[element], scores[element]))
    return best, prose


# --------------------------------------------------------------------------- filtering


def _title_candidates(root: HtmlElement, metadata_title: str | None) -> list[str]:
    candidates = [metadata_title] if metadata_title else []
    for value in root.xpath(
        "//head/title/text() | //meta[@property='og:title' or @name='twitter:title']/@content"
    )[:4]:
        candidates.append(str(value))
    return [c for c in (_comparable(c) for c in candidates) if c]


def _is_title(text: str, titles: Sequence[str]) -> bool:
    heading = _comparable(text)
    if not heading:
        return False
    for title in titles:
        if heading == title:
            return True
        if len(heading) >= 0.5 * len(title) and (heading in title or title in heading):
            return True
    return False


def _without_teaser_tail(blocks: Sequence[Block]) -> Sequence[Block]:
    """``blocks`` without a trailing run of teasers (links to other stories, short blurbs).

    The run is the longest tail holding only link-dense blocks and short ones, from its
    first link on; it is cut when it has at least :data:`TEASER_MIN_LINKS` links and less
    prose than the text before it.
    """
    links = 0
    prose = 0
    start = len(blocks)
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.link_density >= LINK_LIST_DENSITY:
            links += 1
        elif len(block.text) < TEASER_MAX_CHARS:
            prose += block.prose_chars
        else:
            break
        start = index
    if links < TEASER_MIN_LINKS:
        return blocks
    # Prose running on after the run's last link, two blocks or more of it, is the article
    # resuming after an in-body box of links, not the blurb of a last teaser.
    resumed = 0
    resumed_blocks = 0
    for block in reversed(blocks):
        if block.link_density >= LINK_LIST_DENSITY:
            break
        resumed += block.prose_chars
        resumed_blocks += 1 if block.prose_chars else 0
    if resumed_blocks >= 2 and resumed >= MIN_ARTICLE_CHARS:
        return blocks
    # The teasers begin at the run's first link: short closing lines before it are the
    # article's own.
    while blocks[start].link_density < LINK_LIST_DENSITY:
        prose -= blocks[start].prose_chars
        start += 1
    before = sum(block.prose_chars for block in blocks[:start])
    return blocks[:start] if prose < before else blocks


def _is_filler(block: Block) -> bool:
    """Placeholder Latin ("Lorem ipsum dolor sit amet ..."), by its words."""
    if not block.prose_chars:
        return False
    words = _WORD.findall(block.text.lower())
    filler = sum(1 for word in words if word in sel.FILLER_WORDS)
    return filler >= FILLER_WORD_SHARE * len(words)


def _article_resumes(blocks: Sequence[Block], heading: int) -> bool:
    """True when the article goes on after a list headed by ``blocks[heading]``.

    The list is the run of link-dense or short non-prose blocks after the heading; the
    article resumes when prose follows it, at least :data:`MIN_ARTICLE_CHARS` of it, in
    blocks that are mostly prose rather than more links (teasers alternate links and blurbs).
    """
    index = heading + 1
    while index < len(blocks) and (
        blocks[index].link_density >= LINK_LIST_DENSITY or not blocks[index].prose_chars
    ):
        if blocks[index].kind == "heading" and index > heading + 1:
            break  # a new section: look at what follows it
        index += 1
    rest = blocks[index:]
    prose = sum(block.prose_chars for block in rest)
    prose_blocks = sum(1 for block in rest if block.prose_chars)
    link_blocks = sum(1 for block in rest if block.link_density >= LINK_LIST_DENSITY)
    return index > heading + 1 and prose >= MIN_ARTICLE_CHARS and prose_blocks > 2 * link_blocks


def filter_blocks(blocks: Sequence[Block], titles: Sequence[str]) -> list[Block]:
    """The article's own blocks: furniture, title, byline, dateline and tail lists removed.

    A heading that ends articles ("Comments", "Related posts", "About the author") cuts the
    rest; a heading that may ("More on X", "Read more") cuts it only when less prose follows
    it than precedes it: in a list article "More on X" can be a section.
    """
    blocks = _without_teaser_tail(blocks)
    # Placeholder text ("Lorem ipsum ...") is template filler on a page with real prose, and
    # the page's content where nearly all its prose is placeholder Latin (a demo page).
    total_prose = sum(block.prose_chars for block in blocks)
    filler_prose = sum(block.prose_chars for block in blocks if _is_filler(block))
    drop_placeholders = filler_prose < FILLER_PAGE_SHARE * total_prose
    prose_after = [0] * (len(blocks) + 1)
    for index in range(len(blocks) - 1, -1, -1):
        prose_after[index] = prose_after[index + 1] + blocks[index].prose_chars
    kept: list[Block] = []
    seen_prose = False
    for index, block in enumerate(blocks):
        text = block.text
        short = len(text) <= FURNITURE_MAX_CHARS
        if (
            seen_prose
            and (block.kind == "heading" or (short and not block.prose_chars))
            and len(text) <= 80
            and block.link_density < LINK_LIST_DENSITY  # a button or link is not a heading
        ):
            if sel.END_OF_ARTICLE_HEADING.match(text):
                break
            if sel.RELATED_HEADING.match(text) and not _article_resumes(blocks, index):
                break
            if (
                block.kind == "heading"
                and sel.MAYBE_END_OF_ARTICLE_HEADING.match(text)
                and prose_after[index + 1] < prose_after[0] - prose_after[index]
            ):
                break
        if block.link_density >= LINK_LIST_DENSITY and block.kind != "preformatted":
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            linked_heading = (
                block.kind == "heading" and following is not None and following.prose_chars > 0
            )
            # A link with a description of its own ("Arbor Day Foundation - information
            # about planting trees") is a reference the article gives, not navigation.
            described_link = (
                len(text) >= DESCRIBED_LINK_MIN_CHARS
                and block.link_density < DESCRIBED_LINK_MAX_DENSITY
            )
            if not (linked_heading or described_link):
                continue
        table_row = block.owner.tag == "tr"  # data: a row may well start with a date
        if (drop_placeholders and sel.PLACEHOLDER_TEXT.match(text)) or (
            not table_row
            and (
                (short and sel.BOILERPLATE_LINE.match(text))
                or (len(text) <= DISCLOSURE_MAX_CHARS and sel.AFFILIATE_DISCLOSURE.search(text))
            )
        ):
            continue
        if not seen_prose:
            if block.kind == "heading" and _is_title(text, titles):
                continue
            if (
                short
                and not table_row
                and (sel.BYLINE_LINE.match(text) or sel.DATELINE_LINE.match(text))
            ):
                continue
        elif (
            short
            and not table_row
            and (
                sel.DATELINE_LINE.match(text)
                or (block.kind == "paragraph" and sel.BYLINE_LINE.match(text))
            )
        ):
            continue
        if block.prose_chars:
            seen_prose = True
        kept.append(block)
    while kept and kept[-1].kind == "heading":
        kept.pop()  # a heading with nothing under it is the start of what was cut
    return kept


# --------------------------------------------------------------------------- entry point


def article_paragraphs(root: HtmlElement, *, title: str | None = None) -> tuple[Paragraph, ...]:
    """The article's paragraphs from a parsed page (modifies ``root``).

    Raises :class:`ExtractionError` when the page holds no article text.
    """
    paragraphs, warnings = _article(root, title)
    if any(warning.startswith(NO_ARTICLE) for warning in warnings):
        raise ExtractionError(next(w for w in warnings if w.startswith(NO_ARTICLE)))
    return paragraphs


#: How the warning of a page without an article begins.
NO_ARTICLE = "no article text found"


def _article(root: HtmlElement, title: str | None) -> tuple[tuple[Paragraph, ...], tuple[str, ...]]:
    """The article's paragraphs, and warnings about how they were found.

    A page without a run of prose (a listing, a video page, a stub, an error page) gives
    the short text it has (possibly none) and a warning beginning :data:`NO_ARTICLE`.
    """
    titles = _title_candidates(root, title)
    # Not only <body>: libxml2 leaves text it met in odd places inside <head>.
    discard_non_text(root)
    blocks = build_blocks(root)
    container, _prose = choose_container(blocks)
    if container is None:
        return (), (f"{NO_ARTICLE}: the page has no text",)
    inside = set(container.iter())
    chosen = [block for block in blocks if not block.boilerplate and block.owner in inside]
    kept = filter_blocks(chosen, titles)
    warnings: tuple[str, ...] = ()
    prose_chars = sum(block.prose_chars for block in kept)
    if prose_chars < MIN_ARTICLE_CHARS:
        warnings = (
            f"{NO_ARTICLE}: the page holds no run of prose (its best candidate has "
            f"{prose_chars} characters of it, fewer than {MIN_ARTICLE_CHARS}); it may be a "
            "listing, a video page, a stub, an error page, or a page whose text is built by "
            f"scripts; only its metadata and {len(kept)} short block(s) of text were kept",
        )
    if any(block.hidden_text for block in kept):
        warnings += (
            "most of the text sits in elements the page hides until a script shows them; "
            "it was read as the article",
        )
    return tuple(Paragraph(text=block.text, kind=block.kind) for block in kept), warnings


def extract_html(
    text: str,
    *,
    url: str | None = None,
    headers: Headers = (),
    charset: str | None = None,
    media_type: str = "text/html",
) -> Extraction:
    """The clean article text and metadata of an HTML page (already decoded to ``text``).

    ``media_type`` is the page's declared type (``text/html`` or ``application/xhtml+xml``),
    kept in the Extraction.
    """
    from warcite.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION

    root, parse_warnings = _parse(text)
    meta = metadata_module.extract_html_metadata(root, url=url, headers=headers)
    paragraphs, text_warnings = _article(root, meta.title.value if meta.title else None)
    if not paragraphs and meta.title is None:
        raise ExtractionError(
            next(warning for warning in text_warnings if warning.startswith(NO_ARTICLE))
            + "; nor a title or other metadata worth keeping"
        )
    meta = metadata_module.complete_metadata(meta, paragraphs=paragraphs, url=url, headers=headers)
    return Extraction(
        paragraphs=paragraphs,
        title=meta.title,
        authors=settle_surnames(meta.authors, "\n".join(p.text for p in paragraphs)),
        published=meta.published,
        modified=meta.modified,
        publisher=meta.publisher,
        section=meta.section,
        genre=meta.genre,
        language=meta.language,
        description=meta.description,
        keywords=meta.keywords,
        canonical_url=meta.canonical_url,
        url=url,
        media_type=media_type,
        charset=charset,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
        warnings=parse_warnings + text_warnings,
    )


__all__ = [
    "Block",
    "article_paragraphs",
    "build_blocks",
    "choose_container",
    "discard_non_text",
    "extract_html",
    "filter_blocks",
    "normalize_text",
    "parse_html",
]

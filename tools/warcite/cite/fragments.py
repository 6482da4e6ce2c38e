"""Text Fragments (``#:~:text=``): the matching algorithm browsers run, and links that
select exactly one intended passage.

The algorithm is the one in the WICG/W3C Community Group report "Text Fragments"
(wicg.github.io/scroll-to-text-fragment), section "Finding Ranges in a Document":
"find a range from a text directive", "find a string in range", "next non-whitespace
position" and "word boundaries", run here over a model of the text a browser renders:

- the page is a list of **blocks** (text inside one block-level box: a paragraph, a
  heading, a list item, a table cell, a line of preformatted text; ``<br>`` ends one
  too, as Chromium treats it); no term of a directive matches across blocks, while the
  whitespace between a context term and the match may cross them;
- whitespace inside a block collapses to one space, as CSS renders ``white-space: normal``;
- comparison is at the Unicode Collation Algorithm's primary level (case and accents
  ignored), with curly quotes folded to straight ones and soft hyphens ignored, as
  Chromium's find-in-page does;
- word boundaries follow Unicode UAX #29's default rules (letters, digits and marks form
  words; an apostrophe or a period between letters does not break one; ``-`` does).
  Between two Han or Kana characters a browser decides with a dictionary, which warcite
  does not have: such a position is *uncertain*, and a fragment is accepted only if it
  selects the intended passage both when uncertain positions are boundaries and when
  they are not.

:func:`render_html` builds the model from archived HTML (the whole page's visible text:
headline, navigation, footer and all), :func:`render_lines` from a plain-text
transcript.  :func:`find_range` runs a directive over it; :func:`fragment_for` finds the
shortest directive whose match is exactly a given passage, verified by running
:func:`find_range` on it, or says why there is none.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from urllib.parse import quote as percent_encode
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

MAX_RENDERED_CHARACTERS = 5_000_000
"""Pages whose rendered text is longer are cut here (a bound on time and memory)."""

EXACT_MATCH_MAX_CHARACTERS = 300
"""Text Fragments, "Prefer Exact Matching To Range-based": quotes shorter than 300
characters are given whole; longer ones as a textStart,textEnd range."""

MAX_CONTEXT_WORDS = 6
MAX_RANGE_TERM_WORDS = 8
MAX_CANDIDATES = 2_000
SEARCH_SECONDS = 5.0
"""Time allowed to find one passage's fragment: a page a server sent cannot stall quote."""

# Elements whose content is never rendered ("search invisible" in the report, plus
# <head> and friends, which UA stylesheets hide).
_INVISIBLE = frozenset(
    [
        "head",
        "title",
        "meta",
        "link",
        "base",
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "img",
        "video",
        "audio",
        "object",
        "embed",
        "meter",
        "progress",
        "canvas",
        "svg",
        "math",
        "input",
        "textarea",
        "select",
        "datalist",
        "area",
        "map",
        "param",
        "source",
        "track",
    ]
)
# Void elements: no content of their own; text the parser put inside one (libxml2 does not
# know them all) belongs to their parent.
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
# Elements with a non-inline display in the HTML UA stylesheet: each starts and ends a block.
_BLOCK = frozenset(
    [
        "html",
        "body",
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "plaintext",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "colgroup",
        "col",
        "ul",
        "xmp",
        "optgroup",
        "option",
        "button",
        "frameset",
        "frame",
        "noframes",
    ]
)
_PREFORMATTED = frozenset({"pre", "listing", "xmp", "plaintext"})
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*([a-z-]+)", re.IGNORECASE)
_VISIBILITY = re.compile(r"(?:^|;)\s*visibility\s*:\s*(hidden|collapse)", re.IGNORECASE)

_QUOTE_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    "\u00a0": " ",
}


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class RenderedText:
    """The text a browser renders, as Text Fragment matching sees it.

    ``text`` is every block's text (whitespace collapsed) joined by ``"\\n"``, which never
    occurs inside a block; ``blocks`` are the (start, end) spans of the blocks in it;
    ``source`` says what it was rendered from ("html", "text/plain transcript", ...).
    """

    text: str
    blocks: tuple[tuple[int, int], ...]
    source: str

    @classmethod
    def from_blocks(cls, blocks: Sequence[str], source: str) -> RenderedText:
        kept: list[str] = []
        total = 0
        for block in blocks:
            if not block:
                continue
            if total + len(block) > MAX_RENDERED_CHARACTERS:
                break
            kept.append(block)
            total += len(block) + 1
        spans = []
        offset = 0
        for block in kept:
            spans.append((offset, offset + len(block)))
            offset += len(block) + 1
        return cls("\n".join(kept), tuple(spans), source)

    def block_at(self, position: int) -> tuple[int, int] | None:
        """The span of the block holding ``position`` (its end counts as inside)."""
        low, high = 0, len(self.blocks) - 1
        while low <= high:
            middle = (low + high) // 2
            start, end = self.blocks[middle]
            if position < start:
                high = middle - 1
            elif position > end:
                low = middle + 1
            else:
                return start, end
        return None


def _collapse(text: str) -> str:
    return _COLLAPSIBLE.sub(" ", text).strip(" ")


def render_lines(text: str, source: str = "text/plain transcript") -> RenderedText:
    """A plain-text page (or transcript of one): every non-blank line a block.

    A browser shows text/plain in one ``<pre>``, where a line break stops a match as
    ``<br>`` does.
    """
    return RenderedText.from_blocks([_collapse(line) for line in text.splitlines()], source)


def _hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None:
        return True
    style = element.get("style") or ""
    display = _DISPLAY.search(style)
    if display and display.group(1).lower() == "none":
        return True
    return bool(_VISIBILITY.search(style))


def _is_block(element: etree._Element, tag: str) -> bool:
    display = _DISPLAY.search(element.get("style") or "")
    if display:
        value = display.group(1).lower()
        return not (value == "inline" or value == "contents")
    return tag in _BLOCK


def render_html(document: str, source: str = "html") -> RenderedText:
    """The rendered text of an HTML page (already decoded to ``str``), as blocks.

    Follows the HTML UA stylesheet and inline ``style``/``hidden`` attributes; author
    stylesheets are not applied (text they hide is kept, which can only make warcite
    more careful: an extra candidate, never a missing one).
    """
    if not document.strip():
        return RenderedText.from_blocks([], source)
    try:
        root = lxml_html.document_fromstring(document)
    except ValueError:  # an XML declaration naming an encoding: parse the UTF-8 bytes
        parser = lxml_html.HTMLParser(encoding="utf-8")
        try:
            root = lxml_html.document_fromstring(document.encode("utf-8"), parser=parser)
        except (etree.ParserError, ValueError):
            return RenderedText.from_blocks([], source)
    except etree.ParserError:
        return RenderedText.from_blocks([], source)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(_collapse("".join(current)))
            current.clear()

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower().rpartition("}")[2]
        if not tag:  # comments and processing instructions: their tail only
            return
        if tag in _VOID:
            if tag in ("br", "hr"):
                flush()
            if element.text:
                current.append(element.text)
            for child in element:
                walk(child)
                if child.tail:
                    current.append(child.tail)
            return
        if tag in _INVISIBLE or _hidden(element):
            return
        if tag in _PREFORMATTED:
            flush()
            text = element.text_content()
            for line in text.splitlines():
                blocks.append(_collapse(line))
            return
        block = _is_block(element, tag)
        if block:
            flush()
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return RenderedText.from_blocks(blocks, source)


# --------------------------------------------------------------------------- folding


def _fold_character(character: str) -> str:
    """One character at the collation's primary level: no case, no accents."""
    character = _QUOTE_FOLD.get(character, character)
    category = unicodedata.category(character)
    if category == "Cf" or character == "\u00ad":
        return ""
    decomposed = unicodedata.normalize("NFKD", character)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (base or character).casefold()


@dataclass(frozen=True)
class _Folded:
    """A text folded for comparison, with each folded character's source index."""

    text: str
    origin: tuple[int, ...]  # folded index -> index in the original text
    first: tuple[bool, ...]  # folded index starts its original character's folding
    last: tuple[bool, ...]  # folded index ends it
    start_of: tuple[int, ...]  # original index -> first folded index at or after it


def _fold(text: str) -> _Folded:
    out: list[str] = []
    origin: list[int] = []
    first: list[bool] = []
    last: list[bool] = []
    start_of: list[int] = []
    for index, character in enumerate(text):
        start_of.append(len(out))
        folded = _fold_character(character)
        for position, piece in enumerate(folded):
            out.append(piece)
            origin.append(index)
            first.append(position == 0)
            last.append(position == len(folded) - 1)
    start_of.append(len(out))
    return _Folded("".join(out), tuple(origin), tuple(first), tuple(last), tuple(start_of))


def fold_query(query: str) -> str:
    """A directive term folded as :func:`find_range` compares it."""
    return "".join(_fold_character(c) for c in " ".join(query.split()))


# --------------------------------------------------------------------------- word boundaries

_CJK_DICTIONARY = re.compile(
    "[\u2e80-\u2fdf\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f]"
)
_MID_LETTER = frozenset("'\u2019\u00b7\u0387\u05f4\u2027:.\ufe13\ufe55\uff1a\uff07\uff0e")
_MID_NUMBER = frozenset(",;.'\u2019\u066c\ufe50\ufe54\uff0c\uff1b\u037e\u0589\u060c\u060d")


def _is_word(character: str) -> bool:
    category = unicodedata.category(character)
    return category[0] in "LMN" or category == "Pc"


def _boundary(text: str, position: int, block: tuple[int, int], strict: bool) -> bool:
    """UAX #29 default word boundary at ``position`` of ``text`` inside ``block``.

    ``strict``: an uncertain position (between two Han or Kana characters) is no
    boundary; otherwise it is one.
    """
    start, end = block
    if position <= start or position >= end:
        return True
    before, after = text[position - 1], text[position]
    if unicodedata.combining(after) or unicodedata.category(after) == "Mn":
        return False
    if _is_word(before) and _is_word(after):
        if _CJK_DICTIONARY.match(before) or _CJK_DICTIONARY.match(after):
            return not strict
        return False
    # "can't", "e.g": a middle letter between two letters; "3,456": a middle number
    if after in _MID_LETTER | _MID_NUMBER and _is_word(before) and position + 1 < end:
        following = text[position + 1]
        if _is_word(following) and (
            (after in _MID_LETTER and before.isalpha() and following.isalpha())
            or (after in _MID_NUMBER and before.isdigit() and following.isdigit())
        ):
            return False
    if before in _MID_LETTER | _MID_NUMBER and _is_word(after) and position - 2 >= start:
        preceding = text[position - 2]
        if (before in _MID_LETTER and preceding.isalpha() and after.isalpha()) or (
            before in _MID_NUMBER and preceding.isdigit() and after.isdigit()
        ):
            return False
    return True


# --------------------------------------------------------------------------- directives


@dataclass(frozen=True)
class TextDirective:
    """``text=[prefix-,]start[,end][,-suffix]``: terms as plain (decoded) text."""

    start: str
    end: str | None = None
    prefix: str | None = None
    suffix: str | None = None

    def encode(self) -> str:
        """The directive as it goes after ``#:~:``, terms percent-encoded."""
        parts = [_encode_term(self.start)]
        if self.end is not None:
            parts.append(_encode_term(self.end))
        if self.prefix is not None:
            parts.insert(0, _encode_term(self.prefix) + "-")
        if self.suffix is not None:
            parts.append("-" + _encode_term(self.suffix))
        return "text=" + ",".join(parts)

    def url(self, url: str) -> str:
        """``url`` with this directive as its fragment directive (any old one replaced)."""
        base, _, fragment = url.partition("#")
        fragment = fragment.split(":~:", 1)[0]
        return f"{base}#{fragment}:~:{self.encode()}"


def _encode_term(term: str) -> str:
    """Percent-encode a term: everything but unreserved characters, and ``-`` (the
    directive's own syntax uses ``-``, ``,`` and ``&``)."""
    return percent_encode(" ".join(term.split()), safe="").replace("-", "%2D")


_DIRECTIVE = re.compile(
    r"^text=(?:(?P<prefix>[^,&-]+)-,)?(?P<start>[^,&-]+)(?:,(?P<end>[^,&-]+))?"
    r"(?:,-(?P<suffix>[^,&-]+))?$"
)


def parse_directive(value: str) -> TextDirective | None:
    """A ``text=...`` directive (as after ``:~:``, or a whole URL), or None when invalid."""
    if ":~:" in value:
        value = value.split(":~:", 1)[1]
    for part in value.split("&"):
        match = _DIRECTIVE.match(part)
        if match is None:
            continue
        terms = {key: unquote(item) if item else None for key, item in match.groupdict().items()}
        start = terms["start"]
        if not start:
            continue
        return TextDirective(start, terms["end"], terms["prefix"], terms["suffix"])
    return None


# --------------------------------------------------------------------------- matching


class _Matcher:
    """:func:`find_range` over one rendered page, folded once."""

    def __init__(self, page: RenderedText) -> None:
        self.page = page
        self.folded = _fold(page.text)

    def _find(
        self,
        query: str,
        start: int,
        word_start: bool,
        word_end: bool,
        strict: bool,
        only_at: bool = False,
    ) -> tuple[int, int] | None:
        """ "find a string in range": the first occurrence at or after ``start`` (or only
        at ``start`` with ``only_at``), within one block, honouring word bounds."""
        wanted = fold_query(query)
        if not wanted:
            return None
        text, folded = self.page.text, self.folded
        index = folded.start_of[min(start, len(text))]
        while True:
            found = folded.text.find(wanted, index)
            if found == -1:
                return None
            last = found + len(wanted) - 1
            match_start = folded.origin[found]
            if only_at and match_start != start:
                return None
            index = found + 1
            if not folded.first[found] or not folded.last[last]:
                continue
            match_end = folded.origin[last] + 1
            block = self.page.block_at(match_start)
            if block is None or match_end > block[1]:
                continue
            if word_start and not _boundary(text, match_start, block, strict):
                continue
            if word_end and not _boundary(text, match_end, block, strict):
                continue
            return match_start, match_end

    def _next_non_whitespace(self, position: int) -> int:
        text = self.page.text
        while position < len(text) and text[position].isspace():
            position += 1
        return position

    def find_range(self, directive: TextDirective, strict: bool) -> tuple[int, int] | None:
        """ "find a range from a text directive" (see the module's docstring)."""
        text = self.page.text
        search_start = 0
        end_bounded = directive.end is not None or directive.suffix is None
        while search_start < len(text):
            if directive.prefix is not None:
                prefix = self._find(directive.prefix, search_start, True, False, strict)
                if prefix is None:
                    return None
                search_start = prefix[0] + 1
                match_start = self._next_non_whitespace(prefix[1])
                if match_start >= len(text):
                    return None
                potential = self._find(
                    directive.start, match_start, False, end_bounded, strict, only_at=True
                )
                if potential is None:
                    continue
            else:
                potential = self._find(directive.start, search_start, True, end_bounded, strict)
                if potential is None:
                    return None
                search_start = potential[0] + 1
            result_start, result_end = potential
            range_end_search = potential[1]
            while True:
                if directive.end is not None:
                    found_end = self._find(
                        directive.end, range_end_search, True, directive.suffix is None, strict
                    )
                    if found_end is None:
                        return None
                    result_end = found_end[1]
                if directive.suffix is None:
                    return result_start, result_end
                suffix_start = self._next_non_whitespace(result_end)
                suffix = self._find(
                    directive.suffix, suffix_start, False, True, strict, only_at=True
                )
                if suffix is not None:
                    return result_start, result_end
                if directive.end is None:
                    break
                range_end_search = result_end
        return None


@lru_cache(maxsize=4)
def _matcher_for(page: RenderedText) -> _Matcher:
    """One folded matcher per page, reused for every quote on it."""
    return _Matcher(page)


def find_range(
    page: RenderedText, directive: TextDirective, *, strict: bool = True
) -> tuple[int, int] | None:
    """The (start, end) span of ``page.text`` a browser selects for ``directive``, or None.

    ``strict`` decides the uncertain word boundaries (see the module docstring).
    """
    return _matcher_for(page).find_range(directive, strict)


# --------------------------------------------------------------------------- generating


@dataclass(frozen=True)
class FragmentResult:
    """The outcome of :func:`fragment_for`: a directive, or the reason there is none."""

    directive: TextDirective | None
    reason: str | None = None

    def url(self, url: str) -> str | None:
        return self.directive.url(url) if self.directive is not None else None


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]


class _Generator:
    def __init__(self, matcher: _Matcher, start: int, end: int) -> None:
        self.matcher = matcher
        self.page = matcher.page
        self.text = matcher.page.text
        self.start, self.end = start, end

    def boundary(self, position: int) -> bool:
        block = self.page.block_at(position)
        return block is not None and _boundary(self.text, position, block, strict=True)

    def prefixes(self) -> list[str | None]:
        """Prefix terms, shortest first: None, then 1..N words ending just before the quote."""
        options: list[str | None] = []
        if self.boundary(self.start):
            options.append(None)
            anchor = self.start
            while anchor > 0 and self.text[anchor - 1].isspace():
                anchor -= 1
        else:
            anchor = self.start  # the quote starts inside a word: the prefix ends there
        block = self.page.block_at(anchor - 1) if anchor > 0 else None
        if block is None:
            return options
        words = [t for t in _tokens(self.text, block[0], anchor)]
        for count in range(1, MAX_CONTEXT_WORDS + 1):
            if count > len(words):
                break
            begin = words[-count][0]
            if self.boundary(begin):
                options.append(self.text[begin:anchor])
        return options

    def suffixes(self) -> list[str | None]:
        options: list[str | None] = []
        if self.boundary(self.end):
            options.append(None)
            anchor = self.end
            while anchor < len(self.text) and self.text[anchor].isspace():
                anchor += 1
        else:
            anchor = self.end
        block = self.page.block_at(anchor) if anchor < len(self.text) else None
        if block is None:
            return options
        words = _tokens(self.text, anchor, block[1])
        for count in range(1, MAX_CONTEXT_WORDS + 1):
            if count > len(words):
                break
            finish = words[count - 1][1]
            if self.boundary(finish):
                options.append(self.text[anchor:finish])
        return options

    def exact_terms(self) -> list[tuple[str, str | None]]:
        block = self.page.block_at(self.start)
        quote = self.text[self.start : self.end]
        if block is None or self.end > block[1] or len(quote) > EXACT_MATCH_MAX_CHARACTERS:
            return []
        return [(quote, None)]

    def range_terms(self) -> list[tuple[str, str | None]]:
        first = self.page.block_at(self.start)
        last = self.page.block_at(self.end)
        if first is None or last is None:
            return []
        head = _tokens(self.text, self.start, min(first[1], self.end))
        tail = _tokens(self.text, max(last[0], self.start), self.end)
        starts = []
        for count in range(1, min(len(head), MAX_RANGE_TERM_WORDS) + 1):
            finish = head[count - 1][1]
            if self.boundary(finish) and (count < len(head) or first != last):
                starts.append((count, self.text[self.start : finish]))
        ends = []
        for count in range(1, min(len(tail), MAX_RANGE_TERM_WORDS) + 1):
            begin = tail[-count][0]
            if self.boundary(begin) and (first != last or begin > head[0][1]):
                ends.append((count, self.text[begin : self.end]))
        # terms of about three words read well and rarely need context; shorter ones first
        # after that (Text Fragments: "Prefer Exact Matching To Range-based" keeps terms
        # meaningful).
        best_start = min(3, len(starts)) or 1
        best_end = min(3, len(ends)) or 1
        pairs = sorted(
            product(starts, ends),
            key=lambda pair: abs(pair[0][0] - best_start) + abs(pair[1][0] - best_end),
        )
        return [(start, end) for (_, start), (_, end) in pairs]

    def candidates(self) -> Iterator[TextDirective]:
        prefixes, suffixes = self.prefixes(), self.suffixes()
        contexts = sorted(
            product(range(len(prefixes)), range(len(suffixes))), key=lambda pair: sum(pair)
        )
        for terms in (self.exact_terms(), self.range_terms()):
            for index, (start, end) in enumerate(terms):
                for prefix_index, suffix_index in contexts:
                    if index > 0 and prefix_index + suffix_index > 2:
                        continue  # longer terms first only with little context
                    yield TextDirective(start, end, prefixes[prefix_index], suffixes[suffix_index])
            if terms:
                # a second pass over every combination for the range terms
                for (start, end), (prefix_index, suffix_index) in product(terms, contexts):
                    yield TextDirective(start, end, prefixes[prefix_index], suffixes[suffix_index])


def verify(page: RenderedText, directive: TextDirective, start: int, end: int) -> bool:
    """True when ``directive`` selects exactly ``page.text[start:end]`` whichever way the
    uncertain word boundaries fall."""
    matcher = _matcher_for(page)
    wanted = (start, end)
    return all(matcher.find_range(directive, strict) == wanted for strict in (True, False))


def fragment_for(page: RenderedText, start: int, end: int) -> FragmentResult:
    """The shortest text directive that selects exactly ``page.text[start:end]``.

    Candidates (exact quote, then textStart,textEnd ranges; then with the fewest words
    of prefix and suffix context) are each checked by running the matching algorithm;
    the first that selects exactly this passage, and no other, is returned.  When none
    does, the result carries the reason.
    """
    text = page.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return FragmentResult(None, "the passage is empty on the rendered page")
    if page.block_at(start) is None:
        return FragmentResult(None, "the passage is not on the rendered page")
    matcher = _matcher_for(page)
    generator = _Generator(matcher, start, end)
    seen: set[TextDirective] = set()
    tried = 0
    deadline = time.monotonic() + SEARCH_SECONDS
    for directive in generator.candidates():
        if directive in seen:
            continue
        seen.add(directive)
        tried += 1
        if tried > MAX_CANDIDATES:
            break
        if time.monotonic() > deadline:
            return FragmentResult(
                None,
                f"no text fragment found within {SEARCH_SECONDS:g} s ({tried} candidates "
                "tried): the page repeats this passage's surroundings too often",
            )
        if all(matcher.find_range(directive, strict) == (start, end) for strict in (True, False)):
            return FragmentResult(directive)
    return FragmentResult(
        None,
        "no text fragment selects this occurrence alone: every candidate (the quote, "
        "ranges of its first and last words, up to "
        f"{MAX_CONTEXT_WORDS} words of context on each side) selects another passage "
        "first or cannot start or end where the quote does",
    )


__all__ = [
    "EXACT_MATCH_MAX_CHARACTERS",
    "FragmentResult",
    "RenderedText",
    "TextDirective",
    "find_range",
    "fold_query",
    "fragment_for",
    "parse_directive",
    "render_html",
    "render_lines",
    "verify",
]

"""The frozen clean text of a record, by paragraph, and quotes found in it with pinpoints.

::

    paragraphs = record_paragraphs(record, text)         # numbered blocks with their kinds
    select_paragraphs(paragraphs, 6, 9)                  # CitationError when out of range
    render_text(selected, "markdown")                    # plain | markdown | json
    matches = find_quotes(record, text, "reign of terror", config=config)

A quote is matched tolerantly (whitespace runs, straight and curly quotes and
apostrophes, dashes, the ellipsis character; case with ``ignore_case``) but reported
exactly as archived.  Each match carries the paragraph number, a W3C Web Annotation
``TextQuoteSelector`` and ``TextPositionSelector`` over the record's text file (offsets
in Unicode code points), a Text Fragment link to the original URL and the APA in-text
citation with the paragraph pinpoint.  A phrase that is not in the text raises
:class:`~warcite.core.errors.CitationError` showing the closest passage: never a silent guess.

Everything here is pure: the caller reads the record and its text file.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from warcite.cite import apa_in_text, citation_source
from warcite.cite.fragments import (
    FragmentResult,
    RenderedText,
    TextDirective,
    fragment_for,
    render_html,
    render_lines,
)
from warcite.cite.markup import Markup
from warcite.cite.quote_pages import (
    document_quote_fields,
    page_pinpoints,
    page_summary,
    page_words,
    with_pages,
)
from warcite.core.config import Config
from warcite.core.errors import CitationError, RecordError, WarciteError
from warcite.core.pages import record_page_map

CONTEXT_LENGTH = 32
"""Characters of prefix and suffix in a TextQuoteSelector."""

POSITION_UNIT = "Unicode code points"
"""The unit of TextPositionSelector offsets (W3C Web Annotation Data Model, 4.2.5)."""

TEXT_FORMATS = ("plain", "markdown", "json")
QUOTE_FORMATS = ("text", "json")

CONTEXT_SCORE_CHARACTERS = 200
"""Characters of context compared when a quote cannot be placed by its paragraph."""

_FOLDED = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    "\u2026": "...",
    **dict.fromkeys("\u00ad\u200b\u2060\ufeff", ""),
}


@dataclass(frozen=True)
class TextParagraph:
    """One block of the clean text: its 1-based number, kind, text and code-point span."""

    number: int
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class QuoteMatch:
    """One place where a phrase occurs in the clean text."""

    paragraph: int  # where the match starts
    paragraph_end: int  # where it ends (the same paragraph unless the quote spans blocks)
    exact: str  # the archived wording, exactly as stored
    start: int  # code-point offsets in the text file, end exclusive
    end: int
    prefix: str
    suffix: str
    text_fragment_url: str | None  # None when no fragment selects this occurrence alone
    citation: str  # the APA in-text citation with the pinpoint
    text_path: str
    fragment_checked_against: str = ""  # the rendered text the fragment was verified on
    fragment_problem: str | None = None  # why there is no fragment
    pages: tuple[int, int] | None = None  # a PDF record: the first and last page of the quote
    printed_pages: tuple[str, str] | None = None  # those pages' numbers as printed
    page_link: str | None = None  # the archived copy (or the original) at that page: #page=N

    @property
    def pinpoint(self) -> str:
        """ "para. 6", or "paras. 6–7" for a quote that spans paragraphs (APA 7, 8.28);
        for a PDF record the pages, "p. 3" or "pp. 3–4" (8.13)."""
        if self.pages is not None:
            return page_pinpoints(*(self.printed_pages or self.pages))["apa"]
        if self.paragraph_end == self.paragraph:
            return f"para. {self.paragraph}"
        return f"paras. {self.paragraph}\u2013{self.paragraph_end}"

    def to_json(self) -> dict[str, Any]:
        """The match as JSON: a Web Annotation target over the text file, and the rest."""
        return {
            "paragraph": self.paragraph,
            "paragraph_end": self.paragraph_end,
            "exact": self.exact,
            "target": {
                "source": self.text_path,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": self.exact,
                        "prefix": self.prefix,
                        "suffix": self.suffix,
                    },
                    {"type": "TextPositionSelector", "start": self.start, "end": self.end},
                ],
            },
            "position_unit": POSITION_UNIT,
            "text_fragment": self.text_fragment_url,
            "text_fragment_checked_against": self.fragment_checked_against,
            "text_fragment_problem": self.fragment_problem,
            "citation": self.citation,
            **(
                document_quote_fields(self.pages, self.page_link, self.printed_pages)
                if self.pages
                else {}
            ),
        }


# --------------------------------------------------------------------------- text


def record_paragraphs(record: Mapping[str, Any], text: str) -> list[TextParagraph]:
    """The record's clean text split into its numbered blocks, checked against the record.

    Raises RecordError when the text does not match the record's sha256, paragraph
    count or kinds (run ``warcite validate`` to see why).
    """
    where = f"record {record.get('id', '(no id)')}"
    info = record.get("text")
    if not isinstance(info, Mapping):
        raise RecordError(f"{where}: $.text is missing or not an object")
    expected = info.get("sha256")
    if isinstance(expected, str):
        found = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if found != expected:
            raise RecordError(
                f"{where}: the text file {info.get('path')} does not match the record's sha256 "
                f"(recorded {expected[:12]}..., found {found[:12]}...); it changed since the "
                "record was made: run 'warcite validate' and restore it from the WARC"
            )
    body = text[:-1] if text.endswith("\n") else text
    blocks = body.split("\n\n") if body else []
    kinds = info.get("paragraph_kinds")
    if not isinstance(kinds, list) or len(kinds) != len(blocks):
        raise RecordError(
            f"{where}: $.text.paragraph_kinds lists {len(kinds) if isinstance(kinds, list) else 0} "
            f"kinds but the text file has {len(blocks)} paragraphs"
        )
    paragraphs = []
    offset = 0
    for number, (block, kind) in enumerate(zip(blocks, kinds, strict=True), start=1):
        paragraphs.append(TextParagraph(number, str(kind), block, offset, offset + len(block)))
        offset += len(block) + 2
    return paragraphs


def parse_paragraph_range(spec: str) -> tuple[int, int]:
    """``"6"`` -> (6, 6); ``"6-9"`` -> (6, 9).  CitationError for anything else."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-\u2013]\s*(\d+)\s*)?", spec)
    if match is None:
        raise CitationError(f"paragraph range {spec!r} is not N or A-B (for example 6-9)")
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if last < first:
        raise CitationError(f"paragraph range {spec!r} ends before it starts")
    return first, last


def select_paragraphs(
    paragraphs: Sequence[TextParagraph], first: int, last: int | None = None
) -> list[TextParagraph]:
    """Paragraphs ``first`` to ``last`` (1-based, inclusive); CitationError naming the range."""
    last = first if last is None else last
    count = len(paragraphs)
    if count == 0:
        raise CitationError("the record's text has no paragraphs")
    for number in (first, last):
        if not 1 <= number <= count:
            raise CitationError(
                f"paragraph {number} does not exist: the text has paragraphs 1-{count}"
            )
    if last < first:
        raise CitationError(f"paragraph range {first}-{last} ends before it starts")
    return list(paragraphs[first - 1 : last])


def render_text(
    paragraphs: Sequence[TextParagraph], text_format: str, record: Mapping[str, Any]
) -> str:
    """Paragraphs as plain text, Markdown (kinds marked) or JSON (number, kind, text)."""
    if text_format == "plain":
        return "\n\n".join(paragraph.text for paragraph in paragraphs)
    if text_format == "markdown":
        return "\n\n".join(_markdown_block(paragraph) for paragraph in paragraphs)
    if text_format == "json":
        work = record.get("work") if isinstance(record.get("work"), Mapping) else {}
        document = {
            "id": record.get("id"),
            "record_id": record.get("record_id"),
            "url": work.get("url") if isinstance(work, Mapping) else None,
            "text_path": (record.get("text") or {}).get("path"),
            "paragraphs": [
                {"number": p.number, "kind": p.kind, "text": p.text} for p in paragraphs
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
    raise CitationError(f"unknown text format {text_format!r}; choose one of {TEXT_FORMATS}")


def _markdown_block(paragraph: TextParagraph) -> str:
    lines = paragraph.text.split("\n")
    if paragraph.kind == "heading":
        return "## " + " ".join(lines)
    if paragraph.kind == "list-item":
        return "- " + "\n  ".join(lines)
    if paragraph.kind == "quote":
        return "\n".join(f"> {line}" for line in lines)
    if paragraph.kind == "preformatted":
        fence = "~~~~" if "```" in paragraph.text else "```"
        return f"{fence}\n{paragraph.text}\n{fence}"
    return paragraph.text


# --------------------------------------------------------------------------- quotes


def _normalize(text: str, ignore_case: bool) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each folded character its index in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, character in enumerate(text):
        if character.isspace():
            if not previous_space:
                out.append(" ")
                origin.append(index)
            previous_space = True
            continue
        previous_space = False
        replacement = _FOLDED.get(character, character)
        if ignore_case:
            replacement = replacement.casefold()
        for folded in replacement:
            out.append(folded)
            origin.append(index)
    return "".join(out), origin


def _normalize_phrase(phrase: str, ignore_case: bool) -> str:
    folded, _ = _normalize(unicodedata.normalize("NFC", phrase), ignore_case)
    return folded.strip()


def _paragraph_at(paragraphs: Sequence[TextParagraph], offset: int) -> TextParagraph:
    for paragraph in paragraphs:
        if offset < paragraph.end + 2:
            return paragraph
    return paragraphs[-1]


def text_fragment_url(
    url: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    end: str | None = None,
) -> str:
    """A Text Fragment link ``url#:~:text=[prefix-,]start[,end][,-suffix]`` (terms
    percent-encoded, ``-`` included).  It is not checked: :func:`find_quotes` gives only
    links verified by the matching algorithm."""
    directive = TextDirective(exact, end, prefix.strip() or None, suffix.strip() or None)
    return directive.url(url)


def rendered_page(record: Mapping[str, Any], project_root: Path) -> RenderedText:
    """The text the record's archived page renders, read from its WARC record.

    HTML is rendered as a browser lays it out in blocks (whole page: headline, navigation
    and footer included); a text/plain page or transcript line by line.  Raises a
    WarciteError (WarcReadError, ExtractionError, RecordError) when the WARC or its page
    cannot be read.
    """
    from warcite.core.decode import decode_body
    from warcite.core.project import resolve_in_project
    from warcite.core.warc.pages import read_page

    capture = record.get("capture")
    warc = capture.get("warc") if isinstance(capture, Mapping) else None
    if not isinstance(warc, Mapping) or not warc.get("path"):
        raise RecordError(f"record {record.get('id')}: $.capture.warc.path is missing")
    path = resolve_in_project(project_root, str(warc["path"]))
    record_id = warc.get("record_id")
    page = read_page(path, str(record_id) if record_id else None)
    media_type = page.content_type if page.record_type == "resource" else None
    document = decode_body(page.body, headers=page.headers, media_type=media_type)
    if document.media_type in ("text/html", "application/xhtml+xml"):
        return render_html(
            document.text, source=f"the rendered text of the archived HTML ({path.name})"
        )
    what = "transcript" if page.target_uri.startswith("urn:transcript:") else "text page"
    return render_lines(document.text, source=f"the archived {what}, line by line ({path.name})")


def load_rendered_page(
    record: Mapping[str, Any], project_root: Path
) -> tuple[RenderedText | None, str | None]:
    """:func:`rendered_page`, or (None, the reason it could not be read)."""
    try:
        return rendered_page(record, project_root), None
    except WarciteError as error:
        return None, str(error)


@lru_cache(maxsize=16)
def _skeleton(
    text: str, start: int = 0, end: int | None = None, *, spaces: bool = True
) -> tuple[str, tuple[int, ...]]:
    """``text[start:end]`` folded as Text Fragments compare it, each whitespace run one
    space (or none, without ``spaces``), with each kept character's index in ``text``."""
    from warcite.cite.fragments import fold_query

    out: list[str] = []
    origin: list[int] = []
    stop = len(text) if end is None else end
    for index in range(start, stop):
        character = text[index]
        if character.isspace():
            if spaces and out and out[-1] != " ":
                out.append(" ")
                origin.append(index)
            continue
        for piece in fold_query(character):
            if not piece.isspace():
                out.append(piece)
                origin.append(index)
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), tuple(origin)


def _all(haystack: str, needle: str) -> list[int]:
    found, positions = haystack.find(needle), []
    while found != -1 and needle:
        positions.append(found)
        found = haystack.find(needle, found + 1)
    return positions


_AMBIGUOUS = (
    "the quote occurs on the archived page more than once with the same surroundings, "
    "so warcite cannot tell which occurrence is this one"
)


def _aligned_places(text: str, skeleton: str, origin: Sequence[int], block: str) -> list[int]:
    """Where ``block`` occurs in ``skeleton`` neither starting nor ending inside a word."""
    if not block:
        return []
    return [
        found
        for found in _all(skeleton, block)
        if _aligned(text, origin[found], origin[found + len(block) - 1] + 1)
    ]


def _best_by_context(
    skeleton: str,
    places: list[int],
    length: int,
    text: str,
    start: int,
    end: int,
    spaces: bool,
) -> int | None:
    """The place whose surroundings agree best with ``text[start:end]``'s, if one does."""
    context_before, _ = _skeleton(
        text, max(0, start - CONTEXT_SCORE_CHARACTERS), start, spaces=spaces
    )
    context_after, _ = _skeleton(text, end, end + CONTEXT_SCORE_CHARACTERS, spaces=spaces)
    scores = []
    for found in places:
        page_before = skeleton[max(0, found - len(context_before) - 1) : found].rstrip(" ")
        page_after = skeleton[found + length : found + length + len(context_after) + 1].lstrip(" ")
        scores.append(
            _common_length(context_before.rstrip(" "), page_before, from_end=True)
            + _common_length(context_after.lstrip(" "), page_after, from_end=False)
        )
    best = max(scores)
    return None if scores.count(best) > 1 else places[scores.index(best)]


def _aligned(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` neither starts nor ends inside a run of non-spaces."""
    return (start == 0 or text[start - 1].isspace()) and (end >= len(text) or text[end].isspace())


def _common_length(a: str, b: str, *, from_end: bool) -> int:
    count = 0
    pairs = zip(reversed(a), reversed(b), strict=False) if from_end else zip(a, b, strict=False)
    for x, y in pairs:
        if x != y:
            break
        count += 1
    return count


def locate_on_page(
    page: RenderedText,
    text: str,
    start: int,
    end: int,
    paragraphs: Sequence[TextParagraph],
) -> tuple[int, int] | str:
    """Where ``text[start:end]`` of the clean text is on the rendered page: a span of
    ``page.text``, or the reason it cannot be placed with certainty.

    The paragraph(s) holding the quote are looked up on the page (compared as Text
    Fragments compare: case, accents and whitespace ignored); the quote's place in them
    gives its place on the page.  When the paragraph is not there word for word, the
    occurrence of the quote whose surroundings best agree with the clean text's is
    taken, if exactly one does.
    """
    first = _paragraph_at(paragraphs, start)
    last = _paragraph_at(paragraphs, max(start, end - 1))
    for spaces in (True, False):
        located = _locate(page, text, start, end, first, last, paragraphs, spaces)
        if located is not None:
            return located
    return "the quote is not in the rendered text of the archived page"


def _locate(
    page: RenderedText,
    text: str,
    start: int,
    end: int,
    first: TextParagraph,
    last: TextParagraph,
    paragraphs: Sequence[TextParagraph],
    spaces: bool,
) -> tuple[int, int] | str | None:
    page_skeleton, page_origin = _skeleton(page.text, spaces=spaces)
    block, _ = _skeleton(text, first.start, last.end, spaces=spaces)
    quote, _ = _skeleton(text, start, end, spaces=spaces)
    if not quote:
        return "the quote has no visible characters"
    before, _ = _skeleton(text, first.start, start, spaces=spaces)
    if spaces and start > first.start and text[start - 1].isspace():
        before += " "
    text_skeleton, text_origin = _skeleton(text, spaces=spaces)
    page_places = _aligned_places(page.text, page_skeleton, page_origin, block)
    if page_places:
        text_places = _aligned_places(text, text_skeleton, text_origin, block)
        mine = next(
            (index for index, found in enumerate(text_places) if text_origin[found] >= first.start),
            0,
        )
        if len(page_places) == len(text_places):
            place = page_places[mine]
        else:
            chosen = _best_by_context(
                page_skeleton, page_places, len(block), text, first.start, last.end, spaces
            )
            if chosen is None:
                return _AMBIGUOUS
            place = chosen
        place += len(before)
    else:
        occurrences = _all(page_skeleton, quote)
        if not occurrences:
            return None
        chosen = _best_by_context(page_skeleton, occurrences, len(quote), text, start, end, spaces)
        if chosen is None:
            return _AMBIGUOUS
        place = chosen
    return page_origin[place], page_origin[place + len(quote) - 1] + 1


def _fragment(
    url: str,
    page: RenderedText,
    text: str,
    start: int,
    end: int,
    paragraphs: Sequence[TextParagraph],
) -> tuple[str | None, str | None]:
    located = locate_on_page(page, text, start, end, paragraphs)
    if isinstance(located, str):
        return None, located
    result: FragmentResult = fragment_for(page, *located)
    return result.url(url), result.reason


def find_quotes(
    record: Mapping[str, Any],
    text: str,
    phrase: str,
    *,
    config: Config,
    ignore_case: bool = False,
    markup: Markup = Markup.PLAIN,
    page: RenderedText | None = None,
    page_problem: str | None = None,
) -> list[QuoteMatch]:
    """Every match of ``phrase`` in the record's clean ``text``, overlapping ones included.

    ``page`` is the text the archived page renders (:func:`rendered_page`): each match's
    Text Fragment link is generated and verified over it, so that a browser opening the
    link selects that occurrence and no other.  Without it the fragment is checked
    against the clean text alone, and ``page_problem`` says why.
    Raises CitationError when the phrase is empty or not in the text; the message shows
    the closest passage and its paragraph.
    """
    paragraphs = record_paragraphs(record, text)
    wanted = _normalize_phrase(phrase, ignore_case)
    if not wanted:
        raise CitationError("the phrase to find is empty")
    folded, origin = _normalize(text, ignore_case)
    positions = []
    found = folded.find(wanted)
    while found != -1:
        positions.append(found)
        found = folded.find(wanted, found + 1)
    if not positions:
        raise CitationError(_not_found_message(record, text, phrase, paragraphs, ignore_case))

    source = citation_source(record, config=config, text=text)
    page_map = record_page_map(record)
    text_path = str((record.get("text") or {}).get("path") or "")
    if page is None:
        page = render_lines(text, source="the record's clean text only")
        checked = (
            "the record's clean text only (the archived page could not be read: "
            f"{page_problem}); a browser may find the words elsewhere on the page"
            if page_problem
            else "the record's clean text only"
        )
    else:
        checked = page.source
    matches = []
    for position in positions:
        start = origin[position]
        end = origin[position + len(wanted) - 1] + 1
        first = _paragraph_at(paragraphs, start)
        last = _paragraph_at(paragraphs, end - 1)
        exact = text[start:end]
        link, problem = _fragment(source.url, page, text, start, end, paragraphs)
        match = QuoteMatch(
            paragraph=first.number,
            paragraph_end=last.number,
            exact=exact,
            start=start,
            end=end,
            prefix=text[max(0, start - CONTEXT_LENGTH) : start],
            suffix=text[end : end + CONTEXT_LENGTH],
            text_fragment_url=link,
            citation="",
            text_path=text_path,
            fragment_checked_against=checked,
            fragment_problem=problem,
        )
        if page_map is not None:  # a PDF: pages, a link to the page, no text fragment
            starts = {paragraph.number: paragraph.start for paragraph in paragraphs}
            match = with_pages(match, source, page_map, record, starts)
        citation = apa_in_text(source, pinpoint=match.pinpoint, markup=markup)
        matches.append(replace(match, citation=citation))
    return matches


def closest_passage(
    text: str, phrase: str, *, ignore_case: bool = False
) -> tuple[int, int, float] | None:
    """The passage of ``text`` most like ``phrase``: (start, end, similarity 0-1), or None.

    Compares the phrase with every window of as many words (and one more) with difflib.
    """
    wanted = _normalize_phrase(phrase, ignore_case)
    folded, origin = _normalize(text, ignore_case)
    words = list(re.finditer(r"\S+", folded))
    if not words or not wanted:
        return None
    size = len(wanted.split())
    best: tuple[float, int, int] = (-1.0, 0, 0)
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for index in range(len(words)):
        for width in (size, size + 1):
            last = min(index + width, len(words)) - 1
            window = folded[words[index].start() : words[last].end()]
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                continue
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, words[index].start(), words[last].end())
    ratio, start, end = best
    return origin[start], origin[end - 1] + 1, ratio


def _not_found_message(
    record: Mapping[str, Any],
    text: str,
    phrase: str,
    paragraphs: Sequence[TextParagraph],
    ignore_case: bool,
) -> str:
    folding = "whitespace, quotes and dashes" + (" and case" if ignore_case else "")
    message = (
        f"{phrase!r} is not in the text of record {record.get('id')} (compared ignoring {folding})"
    )
    if not ignore_case and _normalize_phrase(phrase, True) in _normalize(text, True)[0]:
        message += "; it occurs with different capitals: try --ignore-case"
    closest = closest_passage(text, phrase, ignore_case=ignore_case)
    if closest is not None and paragraphs:
        start, end, ratio = closest
        paragraph = _paragraph_at(paragraphs, start)
        message += (
            f". Closest passage, paragraph {paragraph.number} ({ratio:.0%} similar): "
            f'"{" ".join(text[start:end].split())}"'
        )
    return message


def render_quotes(matches: Sequence[QuoteMatch], quote_format: str) -> str:
    """Matches as readable text (one block per match) or as a JSON list."""
    if quote_format == "json":
        return json.dumps([m.to_json() for m in matches], ensure_ascii=False, indent=2)
    if quote_format != "text":
        raise CitationError(f"unknown quote format {quote_format!r}; choose one of {QUOTE_FORMATS}")
    blocks = []
    for number, match in enumerate(matches, start=1):
        where = (
            f"paragraph {match.paragraph}"
            if match.paragraph == match.paragraph_end
            else f"paragraphs {match.paragraph}-{match.paragraph_end}"
        )
        if match.pages is not None:
            where = f"{where}, {page_words(*(match.printed_pages or match.pages))}"
        blocks.append(
            "\n".join(
                [
                    f"Match {number} of {len(matches)}: {where}, "
                    f"{POSITION_UNIT} {match.start}-{match.end} of {match.text_path}",
                    "  \u2026"
                    + " ".join(f"{match.prefix}[{match.exact}]{match.suffix}".split())
                    + "\u2026",
                    f"  {match.citation}",
                    *(
                        [f"  {page_summary(match.pages, match.page_link, match.printed_pages)}"]
                        if match.pages
                        else []
                    ),
                    f"  {match.text_fragment_url}"
                    if match.text_fragment_url
                    else f"  no text fragment link: {match.fragment_problem}",
                ]
            )
        )
    checked = sorted({m.fragment_checked_against for m in matches if m.pages is None})
    if checked and checked != [""]:
        blocks.append(
            "Text Fragment links checked with the Text Fragments matching algorithm against "
            + "; ".join(checked)
            + ": each selects its quote and no other passage."
        )
    return "\n\n".join(blocks)


__all__ = [
    "CONTEXT_LENGTH",
    "POSITION_UNIT",
    "QUOTE_FORMATS",
    "TEXT_FORMATS",
    "QuoteMatch",
    "TextParagraph",
    "closest_passage",
    "find_quotes",
    "load_rendered_page",
    "locate_on_page",
    "parse_paragraph_range",
    "record_paragraphs",
    "render_quotes",
    "render_text",
    "rendered_page",
    "select_paragraphs",
    "text_fragment_url",
]

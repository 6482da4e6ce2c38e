"""Plain-text transcripts -> the article's paragraphs and its metadata, with evidence.

A ``text/plain`` record such as a crawler's transcript holds a page's visible text without
markup, boilerplate included.  :func:`extract_transcript` reads it in the same spirit as
the HTML path, with rules about the *shape* of lines rather than any site's wording:

1. **Lines.**  Each non-empty line is one block (a paragraph hard-wrapped at a fixed width
   over several lines is joined first).  Runs of two or more spaces (no-break spaces
   included) inside a line are kept as *cell* boundaries: they are where a layout put
   separate widgets side by side ("OpEdNews Op Eds␣␣␣H3'ed 8/29/16").
2. **The article** is the longest run of consecutive *prose* lines (sentences: several
   words, mostly lower-case words, ending with sentence punctuation, or very long), with
   sub-headings and list items kept when prose surrounds them.  Lines at the run's edges
   that are bios, truncated teasers ("(more...)") or promotions are trimmed.  Everything else
   (share lines, ratings, author boxes, link lists, comment prompts, newsletters, short UI
   lines) is boilerplate.
3. **Title**: among the title-shaped lines before the article (a few words, no final full
   stop or colon, no date), the one with the most evidence: followed by a byline, a
   dateline or a one-sentence standfirst, matching the URL's slug, repeated later on the
   page, nearest the article; a short line that reads as a person's name is not a title.
4. **Bylines** ("By ...") and **datelines** (a line with a date before the article: the date's
   cell is the raw evidence; numeric dates are read with the page's locale) give authors and
   dates; the dateline's other cells give the publisher and the section label.
5. **Authors** also come from the URL (``-by-Jane-Doe-``), from author boxes that repeat the
   URL's name or say "Written by ...", and from bios ("Jane Doe is a professor of history
   at ...") outside the article, which give affiliations and the preferred form of the name.
6. **Publisher**: the printed form of the URL's host name found in the text ("OpEdNews" for
   opednews.com), else the host name.  **Language**: ``Content-Language``, else detection.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from warcite.core.errors import ExtractionError
from warcite.core.models import Extraction, Field, Headers, Paragraph, Person
from warcite.extract import dates, names, patterns
from warcite.extract.language import detect_language
from warcite.extract.metadata import (
    Candidates,
    fold,
    genre_from_label,
    header_value,
    host_label,
    normalize_language,
    normalize_text,
    note_agreement,
)
from warcite.extract.surnames import settle_surnames

#: Prose: at least this many words when the line ends like a sentence...
PROSE_MIN_WORDS = 8
#: ...or this many words whatever its ending.
PROSE_LONG_WORDS = 40
#: A sub-heading joins the article only after this many characters of prose.
SUBHEADING_MIN_BEFORE = 150
#: Lines of a hard-wrapped paragraph are this long (characters), the last one aside.
WRAPPED_MIN = 45
WRAPPED_MAX = 100
#: A standfirst (the one-sentence summary under a title) has at most this many words.
STANDFIRST_MAX_WORDS = 40
#: A dateline's cell this short is the raw evidence whole ("H3'ed 8/29/16").
DATELINE_CELL_MAX = 40
#: At most this many bios are read.
MAX_BIOS = 3
#: A title has at most this many words.
TITLE_MAX_WORDS = 25

_WORDS = re.compile(r"[^\W_][\w'’-]*")


@dataclass
class Line:
    """One non-empty line of the transcript."""

    number: int  # 0-based line number in the transcript
    text: str  # normalised: NFC, spaces collapsed
    cells: tuple[str, ...]  # the parts separated by runs of two or more spaces
    words: int
    prose: bool
    list_item: bool


def _is_prose(text: str, words: list[str]) -> bool:
    if len(words) >= PROSE_LONG_WORDS:
        return True
    if len(words) < PROSE_MIN_WORDS or not (
        patterns.SENTENCE_END.search(text) or text.endswith(":")
    ):
        return False
    lower = sum(1 for word in words if word[:1].islower())
    return lower >= 0.4 * len(words)


def _hard_wrapped(block: Sequence[str]) -> bool:
    """Whether a blank-line-separated block is one paragraph wrapped at a fixed width.

    All lines but the last are of a similar, typewriter-like length, most of them end
    mid-sentence, and none is a list item: the block is prose wrapped by its author or a
    tool (plain-text pages, e-mails), not a column of separate widgets.
    """
    if len(block) < 2:
        return False
    body = [normalize_text(line) for line in block[:-1]]
    if any(not WRAPPED_MIN <= len(line) <= WRAPPED_MAX for line in body):
        return False
    if any(patterns.LIST_ITEM.match(normalize_text(line)) for line in block):
        return False
    open_ended = sum(1 for line in body if not patterns.SENTENCE_END.search(line))
    if open_ended * 2 < len(body):
        return False
    # and the whole reads as prose: mostly lower-case words, ending like a sentence
    joined = " ".join(normalize_text(line) for line in block)
    words = _WORDS.findall(joined)
    lower = sum(1 for word in words if word[:1].islower())
    return lower * 2 >= len(words) and bool(patterns.SENTENCE_END.search(joined))


def split_lines(text: str) -> list[Line]:
    """The transcript's non-empty lines with their cells and shape.

    A paragraph hard-wrapped over several lines is joined into one line first (numbered by
    its first line).
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    joined: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []
    for number, raw in enumerate([*raw_lines, ""]):
        if normalize_text(raw):
            block.append((number, raw))
            continue
        if _hard_wrapped([line for _, line in block]):
            joined.append((block[0][0], " ".join(line.strip() for _, line in block)))
        else:
            joined.extend(block)
        block = []
    lines: list[Line] = []
    for number, raw in joined:
        raw = unicodedata.normalize("NFC", raw)
        normalised = normalize_text(raw)
        cells = tuple(
            normalize_text(cell) for cell in patterns.CELL_GAP.split(raw.strip()) if cell.strip()
        )
        words = _WORDS.findall(normalised)
        lines.append(
            Line(
                number=number,
                text=normalised,
                cells=cells or (normalised,),
                words=len(words),
                prose=_is_prose(normalised, words),
                list_item=bool(patterns.LIST_ITEM.match(normalised)),
            )
        )
    return lines


def _heading_like(line: Line) -> bool:
    return (
        1 <= line.words <= 14
        and not patterns.SENTENCE_END.search(line.text)
        and not line.text.endswith((":", ",", ";"))
        and len(line.cells) == 1
    )


def _is_furniture(line: Line) -> bool:
    """A short line with a furniture word ("Share", "Comments"), or one with two of them."""
    count = sum(1 for word in _WORDS.findall(line.text) if word.lower() in patterns.FURNITURE_WORDS)
    return count >= 1 and (line.words <= 12 or (count >= 2 and line.words <= 40))


def find_article(lines: Sequence[Line]) -> tuple[int, int] | None:
    """The [start, end) indices (into ``lines``) of the article's run of prose lines."""
    best: tuple[int, int] | None = None
    best_score = 0
    index = 0
    while index < len(lines):
        if not lines[index].prose:
            index += 1
            continue
        start = index
        end = index
        while end < len(lines):
            line = lines[end]
            if line.prose:
                end += 1
                continue
            # a sub-heading or a list between prose lines belongs to the article (a heading
            # after a lone short sentence is more likely the title after a promotion)
            before = sum(len(lines[i].text) for i in range(start, end) if lines[i].prose)
            if (
                line.list_item or (_heading_like(line) and before >= SUBHEADING_MIN_BEFORE)
            ) and not _is_furniture(line):
                look = end
                while look < len(lines) and (
                    lines[look].list_item or (_heading_like(lines[look]) and look - end < 2)
                ):
                    look += 1
                if (
                    look < len(lines)
                    and lines[look].prose
                    and (look - end <= 2 or lines[end].list_item)
                ):
                    end = look
                    continue
            break
        score = sum(len(lines[i].text) for i in range(start, end) if lines[i].prose)
        if score > best_score:
            best, best_score = (start, end), score
        index = max(end, index + 1)
    if best is None:
        return None
    start, end = best
    # trim teasers, bios and promotions at the run's edges
    while end > start and (
        patterns.TRUNCATED.search(lines[end - 1].text)
        or names.parse_bio(patterns.BIO_LABEL.sub("", lines[end - 1].text)) is not None
        or _is_furniture(lines[end - 1])
        or patterns.BIO_LABEL.match(lines[end - 1].text)
        or (not lines[end - 1].prose and not lines[end - 1].list_item)
    ):
        end -= 1
    while start < end and (_is_furniture(lines[start]) or not lines[start].prose):
        start += 1
    return (start, end) if end > start else None


def _paragraph(line: Line) -> Paragraph:
    if line.list_item:
        return Paragraph(patterns.LIST_ITEM.sub("", line.text), "list-item")
    if line.text.startswith(">"):
        return Paragraph(line.text.lstrip("> ").strip(), "quote")
    if not line.prose and _heading_like(line):
        return Paragraph(line.text, "heading")
    return Paragraph(line.text, "paragraph")


# --------------------------------------------------------------------------- metadata


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) > 1 and bool(letters) and all(c.isupper() for c in letters)


def from_capitals(text: str) -> str:
    """A title or name set in capitals, in title case ("ON KEEPING PAPER" -> "On Keeping Paper").

    Small words (articles, short prepositions, conjunctions) are lower case except first.
    """
    small = {
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "of",
        "on",
        "in",
        "to",
        "for",
        "at",
        "by",
        "as",
    }
    words = text.split()
    return " ".join(
        word.lower() if index and word.lower() in small else word[:1] + word[1:].lower()
        for index, word in enumerate(words)
    )


def _slug_words(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return []
    segment = max(path.split("/"), key=len) if path else ""
    segment = re.sub(r"\.\w{2,5}$", "", segment)
    return [word.casefold() for word in re.split(r"[-_+.\s]+", segment) if word]


def _slug_match(title: str, slug: Sequence[str]) -> int:
    """How many of the title's first words the URL slug spells, in order (a cut word counts)."""
    words = [fold(word) for word in title.split() if fold(word)]
    best = 0
    for offset in range(len(slug)):
        count = 0
        for word, token in zip(words, slug[offset:], strict=False):
            if word == token:
                count += 1
            elif len(token) >= 2 and word.startswith(token):
                count += 1
                break
            else:
                break
        best = max(best, count)
    return best


def _title_shaped(line: Line) -> bool:
    if not 2 <= line.words <= TITLE_MAX_WORDS or len(line.cells) > 1:
        return False
    if line.text.endswith((".", ":", ",", ";")) or patterns.BYLINE_LINE.match(line.text):
        return False
    if dates.find_dates(line.text) or sum(c.isdigit() for c in line.text) > 4:
        return False
    # title case or sentence case: the first word starts with a capital (or a digit)
    first = line.text.lstrip("\"'“‘([")[:1]
    return (first.isupper() or first.isdigit()) and not _is_furniture(line)


def find_title(
    lines: Sequence[Line], article_start: int, url: str | None
) -> tuple[Line, list[str]] | None:
    """The title line before the article, and the evidence for choosing it."""
    slug = _slug_words(url)
    later = Counter(fold(line.text) for line in lines[article_start:])
    best: tuple[float, Line, list[str]] | None = None
    candidates = [i for i in range(article_start) if _title_shaped(lines[i])]
    for rank, index in enumerate(reversed(candidates)):
        line = lines[index]
        reasons: list[str] = []
        score = 0.0
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and (
            patterns.BYLINE_LINE.match(following.text) or dates.find_dates(following.text)
        ):
            score += 3
            reasons.append(
                "followed by the byline"
                if patterns.BYLINE_LINE.match(following.text)
                else "followed by the dateline"
            )
        matched = _slug_match(line.text, slug)
        if matched >= 2:
            score += 2 + matched / 2
            reasons.append(f"its first {matched} words are in the URL's slug")
        if later.get(fold(line.text)):
            score += 1
            reasons.append("repeated later on the page")
        if rank == 0:
            score += 1
            reasons.append("the nearest title-shaped line before the article")
        if (
            following is not None
            and index + 1 < article_start
            and following.prose
            and following.words <= STANDFIRST_MAX_WORDS
        ):
            score += 1
            reasons.append("followed by a one-sentence standfirst")
        parsed = names.parse_name(line.text) if line.words <= 3 else None
        if parsed and parsed.kind == "person" and names.plausible_name(line.text) and matched < 2:
            score -= 2  # a short line that reads as a person's name is an author box
        if best is None or score > best[0]:
            best = (score, line, reasons)
    if best is None:
        return None
    return best[1], best[2]


def _byline_names(line: Line) -> list[str]:
    """Names in a byline line ("By Jane Doe and John Smith | March 3, 2021")."""
    for cell_index, cell in enumerate(line.cells):
        match = patterns.BYLINE_LINE.search(cell)
        if not match:
            continue
        text = match["names"] or match["foreign"] or ""
        if not text.strip() and cell_index + 1 < len(line.cells):
            continue  # "By" alone in its cell: the name was an image or a link not kept
        text = re.split(r"\s+(?:on|in|for|at|[|•·–—-])\s+|\(|\s+[|•·]\s*|,\s+(?=\d)", text)[0]
        for parsed in dates.find_dates(text):
            text = text.replace(parsed.raw, " ")
        found = [name for name in names.split_names(text, roles=True) if names.plausible_name(name)]
        if found:
            return found
    return []


def _without_publisher(text: str, publisher: str | None) -> str:
    """``text`` without any printed form of the publisher's name ("OpEd News", "OpEdNews")."""
    if not publisher:
        return normalize_text(text)
    key = fold(publisher)
    words = text.split()
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if fold(" ".join(words[start : start + size])) in (key, "the" + key):
                return normalize_text(" ".join(words[:start] + words[start + size :]))
    return normalize_text(text)


def _label_shaped(text: str) -> bool:
    """A section label: one to four words, no digits, not a byline."""
    words = text.split()
    return (
        1 <= len(words) <= 4
        and not any(c.isdigit() for c in text)
        and not patterns.BYLINE_LINE.match(text)
        and all(word[:1].isupper() for word in words if len(word) > 3)
    )


def _name_spans(text: str) -> list[str]:
    """Runs of two to four capitalised words in ``text`` (possible printed names)."""
    words = text.split()
    spans: list[str] = []
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            chunk = [w.strip(",.;:()") for w in words[start : start + size]]
            if all(
                w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in chunk
            ):
                spans.append(" ".join(chunk))
    return spans


def _publisher(lines: Sequence[Line], url: str | None) -> tuple[str, str, str, str | None] | None:
    """(value, source, raw, note) for the publisher: the host name's printed form, else the host."""
    label = host_label(url)
    if not label:
        return None
    key = fold(label)
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for line in lines:
        words = line.text.split()
        for size in range(1, 5):
            for start in range(len(words) - size + 1):
                chunk = " ".join(w.strip(",.;:()!?\"'") for w in words[start : start + size])
                folded = fold(chunk)
                if chunk[:1].isupper() and folded in (key, "the" + key):
                    counts[chunk] += 1
                    first_seen.setdefault(chunk, len(first_seen))
    host = (urlsplit(url).hostname or label) if url else label
    if counts:
        form = max(counts, key=lambda c: (counts[c], len(c), -first_seen[c]))
        note = f"the printed form of the URL's host {host} in the text ({counts[form]}x)"
        value = form
        if _in_capitals(form) and len(form) > 6:
            value = from_capitals(form)
            note += "; written in capitals, given in title case"
        return value, "text", form, note
    return host.removeprefix("www."), "url", url or host, "the URL's host name"


@dataclass
class _Transcript:
    """One transcript being read: its lines, the article's span, and what was found so far."""

    lines: list[Line]
    start: int  # the article's first line (index into ``lines``)
    end: int  # one past its last line
    url: str | None
    candidates: Candidates = field(default_factory=Candidates)
    day_first: bool | None = None
    locale_note: str | None = None
    title_line: Line | None = None
    publisher: str | None = None
    byline_names: list[str] = field(default_factory=list)
    used_numbers: set[int] = field(default_factory=set)  # lines read as bylines

    @property
    def header(self) -> list[Line]:
        """The lines before the article."""
        return self.lines[: self.start]

    @property
    def footer(self) -> list[Line]:
        """The lines after the article."""
        return self.lines[self.end :]


def extract_transcript(
    text: str, *, url: str | None, headers: Headers = (), charset: str | None = None
) -> Extraction:
    """The article paragraphs and metadata of a plain-text transcript of a page."""
    from warcite.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION

    lines = split_lines(text)
    span = find_article(lines)
    if span is None:
        raise ExtractionError(
            "no article text found in the plain-text page"
            + (f" for {url}" if url else "")
            + ": no run of sentence-shaped lines (paragraphs) was found"
        )
    page = _Transcript(lines=lines, start=span[0], end=span[1], url=url)
    paragraphs = tuple(_paragraph(line) for line in lines[page.start : page.end])
    language = _transcript_language(page, paragraphs, headers)
    _transcript_title(page)
    _transcript_publisher(page)
    _header_lines(page)
    _footer_lines(page)
    authors = _transcript_authors(page)
    candidates = page.candidates
    for evidence in candidates.fields.get("section", []):
        genre = genre_from_label(evidence.value)
        if genre:
            candidates.add(
                "genre", genre, evidence.source, evidence.value, "from the section label"
            )
    return Extraction(
        paragraphs=paragraphs,
        title=candidates.field("title"),
        authors=settle_surnames(authors, lambda: "\n".join(p.text for p in paragraphs)),
        published=note_agreement(candidates.field("published")),
        modified=candidates.field("modified"),
        publisher=candidates.field("publisher"),
        section=candidates.field("section"),
        genre=candidates.field("genre"),
        language=language,
        description=None,
        keywords=(),
        canonical_url=None,  # a canonical URL is the page's own claim; a transcript has no markup
        url=url,
        media_type="text/plain",
        charset=charset,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
    )


def _transcript_language(
    page: _Transcript, paragraphs: Sequence[Paragraph], headers: Headers
) -> Field | None:
    """Declared (Content-Language), else detected; it decides how numeric dates are read."""
    candidates = page.candidates
    declared = header_value(headers, "Content-Language")
    candidates.add("language", normalize_language(declared), "http:content-language", declared)
    detection = detect_language("\n".join(p.text for p in paragraphs))
    if detection:
        candidates.add(
            "language", detection.language, "detection", detection.language, detection.evidence
        )
    language = candidates.field("language")
    page.day_first, page.locale_note = dates.locale_day_first(
        language.value if language else None, page.url
    )
    return language


def _transcript_title(page: _Transcript) -> None:
    found = find_title(page.lines, page.start, page.url)
    if not found:
        return
    page.title_line, reasons = found
    value = page.title_line.text
    if _in_capitals(value):
        value = from_capitals(value)
        reasons.append("set in capitals on the page; given in title case")
    page.candidates.add(
        "title", value, "text:heading", page.title_line.text, "; ".join(reasons) or None
    )


def _transcript_publisher(page: _Transcript) -> None:
    publisher = _publisher(page.lines, page.url)
    if publisher:
        page.candidates.add("publisher", *publisher)
        page.publisher = publisher[0]


def _header_lines(page: _Transcript) -> None:
    """Bylines, datelines and section labels before the article, nearest the title first."""
    candidates, header = page.candidates, page.header
    title_index = header.index(page.title_line) if page.title_line in header else len(header)
    byline_group: list[names.NameCandidate] = []
    for index in [*range(title_index, len(header)), *range(title_index - 1, -1, -1)]:
        line = header[index]
        if line is page.title_line:
            continue
        for name in _byline_names(line):
            byline_group.append(names.NameCandidate(name, "byline"))
            page.used_numbers.add(line.number)
        _dateline(page, line)
    if byline_group:
        candidates.author_groups.append(byline_group)
        page.byline_names.extend(candidate.name for candidate in byline_group)
    # a section label on its own line above the title ("Commentary", "Opinion"); the site's
    # own name is no label ("Exclusive to OpEd News:")
    for line in header[:title_index]:
        label = _without_publisher(line.text, page.publisher)
        if (
            len(line.cells) == 1
            and not line.text.endswith(":")
            and _label_shaped(label)
            and genre_from_label(label)
        ):
            candidates.add("section", label, "text:label", line.text)


def _dateline(page: _Transcript, line: Line) -> None:
    """A date in one of the line's cells; the line's other cells are section labels."""
    for cell in line.cells:
        found = dates.find_dates(cell, day_first=page.day_first)
        if not found:
            continue
        url_days = {token.value[:10] for token in dates.url_dates(page.url)}
        parsed = dates.prefer_reading(found[0], url_days, where="in its URL")
        raw = cell if len(cell) <= DATELINE_CELL_MAX else parsed.raw
        target = "modified" if patterns.MODIFIED_WORDS.search(cell) else "published"
        note = parsed.note
        if note and "the page's locale" in note:
            note = f"{note} ({page.locale_note})"
        page.candidates.add(target, parsed.value, "dateline", raw, note)
        for other in line.cells:
            if other == cell or dates.find_dates(other):
                continue
            label = _without_publisher(other, page.publisher)  # "OpEdNews Op Eds" -> "Op Eds"
            if _label_shaped(label):
                page.candidates.add("section", label, "dateline", other)


def _footer_lines(page: _Transcript) -> None:
    """After the article: "Written by" author boxes, "Published on" dates; then URL dates."""
    candidates = page.candidates
    closing_group: list[names.NameCandidate] = []
    for line in page.footer:
        if line.words <= 8 and patterns.BYLINE_LINE.match(line.text):
            for name in _byline_names(line):
                closing_group.append(names.NameCandidate(name, "text:author-box"))
                page.used_numbers.add(line.number)
        if line.words <= 12 and re.search(r"\b(?:published|posted)\b", line.text, re.I):
            for parsed in dates.find_dates(line.text, day_first=page.day_first):
                candidates.add("published", parsed.value, "text", line.text, parsed.note)
    if closing_group:
        candidates.author_groups.append(closing_group)
    for parsed in dates.url_dates(page.url):
        candidates.add("published", parsed.value, "url", parsed.raw, parsed.note)


def _transcript_authors(page: _Transcript) -> tuple[Person, ...]:
    """Authors: bylines, author boxes naming a known author, bios, the URL slug (support)."""
    candidates, lines = page.candidates, page.lines
    url_names = names.names_from_url(page.url)
    known = [*page.byline_names, *(spaced for _, spaced in url_names)]
    article_numbers = {line.number for line in lines[page.start : page.end]}
    first_article_line = lines[page.start].number
    box_group: list[names.NameCandidate] = []
    bio_group: list[names.NameCandidate] = []
    for line in lines:
        if (
            line.number in article_numbers
            or line is page.title_line
            or line.number in page.used_numbers
        ):
            continue
        bio = (
            names.parse_bio(patterns.BIO_LABEL.sub("", line.text))
            if line.words >= PROSE_MIN_WORDS
            else None
        )
        if (
            bio
            and line.number > first_article_line
            and (not known or any(names.same_person(bio.name, name) for name in known))
        ):
            bio_group.append(names.NameCandidate(bio.name, "bio", bio.text, bio.affiliations))
            continue
        if known:
            for span_text in _name_spans(line.text):
                if any(names.same_person(span_text, name) for name in known):
                    box_group.append(names.NameCandidate(span_text, "text:author-box"))
                    break
    if box_group:
        candidates.author_groups.append(box_group)
    if bio_group:
        candidates.author_groups.append(bio_group[:MAX_BIOS])
    candidates.add_authors([slug for slug, _ in url_names], "url", supporting=True)
    return candidates.people(site_name=page.publisher)


__all__ = [
    "Line",
    "extract_transcript",
    "find_article",
    "find_title",
    "from_capitals",
    "split_lines",
]

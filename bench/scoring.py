"""Scoring of extracted text and metadata against the extraction-dev ground truth.

The method is the one ``../shared/extraction-dev/README.md`` prescribes (the
article-extraction-benchmark way), shared by ``bench/extraction.py`` and the CI quality gate
(``tests/test_extraction_gate.py``) so the two can never disagree:

* text: both texts split into word tokens (``\\w+``), 4-token shingles counted with
  multiplicity; per page true positives (shingles in both), false positives (only in the
  output), false negatives (only in the truth); precision and recall are averaged over the
  pages and F1 is computed from the two averages.  A page whose output is empty (or whose
  extractor failed) scores precision 0 and recall 0 when the truth has text.  A text
  shorter than four tokens counts as one shingle of all its tokens.
* title: equal after Unicode NFKC, case folding and keeping only word tokens.
* date: the same calendar day (the first ``YYYY-MM-DD`` in each value).
* authors: the same set of names, after splitting on ``; , & | /`` and the words
  and/und/et, dropping a leading "By", and normalising each name as titles are.

Metadata accuracy is counted over the pages whose truth has the field (241 pages have
authors, 253 a date, every page a title).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SHINGLE_SIZE = 4

_TOKEN = re.compile(r"\w+")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_AUTHOR_SPLIT = re.compile(r"\s*(?:[;,&|/]|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_LEADING_BY = re.compile(r"^\s*by\b\s*", re.IGNORECASE)


def tokens(text: str | None) -> list[str]:
    """Word tokens (``\\w+``) of ``text``."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Token shingles of ``text`` with their multiplicity."""
    words = tokens(text)
    if not words:
        return Counter()
    if len(words) < size:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class TextScore:
    """One page's text score."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        if predicted == 0:
            return 1.0 if self.false_negatives == 0 else 0.0
        return self.true_positives / predicted

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        if expected == 0:
            return 1.0 if self.false_positives == 0 else 0.0
        return self.true_positives / expected

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def score_text(output: str | None, truth: str | None) -> TextScore:
    """Shingle counts of one page's extracted ``output`` against its ``truth``."""
    predicted = shingles(output)
    expected = shingles(truth)
    true_positives = sum((predicted & expected).values())
    return TextScore(
        true_positives=true_positives,
        false_positives=sum(predicted.values()) - true_positives,
        false_negatives=sum(expected.values()) - true_positives,
    )


@dataclass(frozen=True)
class TextSummary:
    """Text scores over a set of pages."""

    precision: float
    recall: float
    f1: float
    share_f1_at_least_0_9: float
    pages: int


def summarize_text(scores: Sequence[TextScore]) -> TextSummary:
    """Average precision and recall over pages; F1 from the averages."""
    if not scores:
        return TextSummary(0.0, 0.0, 0.0, 0.0, 0)
    precision = sum(s.precision for s in scores) / len(scores)
    recall = sum(s.recall for s in scores) / len(scores)
    good = sum(1 for s in scores if s.f1 >= 0.9)
    return TextSummary(
        precision=precision,
        recall=recall,
        f1=f1_score(precision, recall),
        share_f1_at_least_0_9=good / len(scores),
        pages=len(scores),
    )


def normalize_title(value: str | None) -> str:
    """NFKC, case folding, word tokens only (joined by one space)."""
    return " ".join(tokens(unicodedata.normalize("NFKC", value or "").casefold()))


#: Separators between a display title's parts ("Headline | Site", "Headline - Section - Site").
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«_/]\s+|\s*[|]\s*|\s+::\s+|\s+_")


def title_matches(output: str | None, truth: str | None, *, display: bool = False) -> bool:
    """The README's title rule: equal after normalisation.

    ``display``: the truth is a display title that may carry the site's or section's name
    (Readability's expected titles are mostly the page's ``<title>``); a title equal to a
    run of its separator-delimited parts also matches ("Headline" for "Headline | Site").
    """
    if not output:
        return False
    wanted = normalize_title(output)
    if wanted == normalize_title(truth):
        return True
    if not display:
        return False
    parts = _TITLE_SEPARATOR.split(truth or "")
    return any(
        wanted == normalize_title(" ".join(parts[start:end]))
        for start in range(len(parts))
        for end in range(start + 1, len(parts) + 1)
    )


def first_day(value: str | None) -> str | None:
    """The first ``YYYY-MM-DD`` in ``value``."""
    match = _ISO_DAY.search(value or "")
    return match.group(0) if match else None


def date_matches(output: str | None, truth: str | None) -> bool:
    """The README's date rule: the same calendar day."""
    day = first_day(output)
    return day is not None and day == first_day(truth)


def author_names(values: Iterable[str] | str | None) -> frozenset[str]:
    """The README's author normalisation: split, drop "By", normalise each name."""
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = [values]
    names: set[str] = set()
    for value in values:
        for part in _AUTHOR_SPLIT.split(value or ""):
            name = normalize_title(_LEADING_BY.sub("", part))
            if name:
                names.add(name)
    return frozenset(names)


def authors_match(output: Iterable[str] | str | None, truth: Iterable[str] | str | None) -> bool:
    """The README's author rule: the same set of normalised names."""
    expected = author_names(truth)
    return bool(expected) and author_names(output) == expected


_BYLINE_LABEL = re.compile(
    r"^\s*(?:(?:written|posted|reported|edited)\s+by|by|par|von|por|door)\b[:\s]*", re.IGNORECASE
)
_PARENTHESES = re.compile(r"\([^)]*\)")


def byline_names(byline: str | None) -> frozenset[str]:
    """The names in a display byline (Readability's ``byline``), normalised as titles are.

    The first line only (later lines hold dates, desks, editors), text in parentheses and a
    leading "By" / "Written by" label dropped, then split as authors are; parts of one short
    word (degrees such as "MA") are not names.
    """
    unlabelled = _BYLINE_LABEL.sub("", (byline or "").strip())
    first_line = next((line for line in unlabelled.splitlines() if line.strip()), "")
    names = author_names(_PARENTHESES.sub(" ", first_line))
    return frozenset(name for name in names if " " in name or len(name) > 3 or not name.isascii())


def byline_matches(output: Iterable[str] | str | None, byline: str | None) -> bool:
    """Authors against a display byline: the same set of names, each name of the output
    equal to a name of the byline or to the start of one (a role or desk after the name in
    the same part, such as "Jane Doe Staff Writer", is not counted against a tool)."""
    expected = byline_names(byline)
    given = author_names(output)
    if not expected or not given:
        return False
    if given == expected:
        return True
    matched: set[str] = set()
    for name in given:
        hits = [part for part in expected if f"{part} ".startswith(f"{name} ")]
        if not hits:
            return False
        matched.update(hits)
    return matched == expected


__all__ = [
    "TextScore",
    "TextSummary",
    "author_names",
    "authors_match",
    "byline_matches",
    "byline_names",
    "date_matches",
    "f1_score",
    "first_day",
    "normalize_title",
    "score_text",
    "shingles",
    "summarize_text",
    "title_matches",
    "tokens",
]

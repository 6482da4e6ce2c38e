"""Titles as styles print them: sentence case, short titles, end punctuation."""

from __future__ import annotations

import re

# Closed-class English words (articles, prepositions, conjunctions, pronouns, auxiliaries):
# never proper nouns when capitalised inside a title-cased title, so sentence case can
# lowercase them safely.  Words that can be names ("May", "Will", "Bill") are absent.
FUNCTION_WORDS = frozenset(
    """a an the and but or nor for so yet as at by in of off on per to up via from into onto
    over with without within upon about after against among around before behind below
    beneath beside between beyond during except inside like near outside since than through
    toward towards under until unlike is are was were be been being am has have had do does
    did it its their theirs they them his her hers he she we our ours us you your yours my
    me this that these those who whom whose which what why how when where not no would can
    could should might must shall if then there here all any each every some more most other
    such very just also only""".split()  # noqa: SIM905 (a word list reads best as prose)
)

_WORD_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_SENTENCE_END = ":?!."
_ARTICLES = frozenset({"a", "an", "the"})


def ends_with_terminal_punctuation(title: str) -> bool:
    """True when the title ends with "?" or "!" (after any closing quotes or brackets)."""
    return title.rstrip(" \"'”’»)]").endswith(("?", "!"))


def ends_with_end_punctuation(title: str) -> bool:
    """True when the title ends with ".", "?" or "!": no period is added after it."""
    return ends_with_terminal_punctuation(title) or title.rstrip(" \"'”’»)]").endswith(".")


def sentence_case(title: str, context: str | None = None) -> str:
    """The sentence-case form of a title-cased title, proper nouns kept (APA titles).

    The first word, and the first word after a colon or a sentence end, keep their
    capital; so do words with capitals after their first letter or digits (acronyms,
    "OpEdNews", "Kim Jong-Un", "G7").  Closed-class words (:data:`FUNCTION_WORDS`) are
    lowercased.  Every other capitalised word is judged on the evidence of ``context``,
    the article's text: it keeps its capital when the text writes it capitalised inside a
    sentence more often than in lowercase ("North Korean"), and is lowercased otherwise
    ("Elites" -> "elites").  Without a text there is no evidence, and the capital stays:
    a capitalised common noun is a style slip, a lowercased proper noun an error of fact.
    """
    usage = _word_usage(context) if context else None
    words = title.split()
    result = []
    sentence_start = True
    for word in words:
        match = _WORD_CORE.match(word)
        assert match is not None
        lead, core, trail = match.groups()
        if not sentence_start and _lowercase_candidate(core) and _is_common(core, usage):
            word = f"{lead}{core.lower()}{trail}"
        result.append(word)
        sentence_start = bool(trail) and trail[-1] in _SENTENCE_END
    return " ".join(result)


def _lowercase_candidate(core: str) -> bool:
    if not core or not core[0].isupper() or any(character.isdigit() for character in core):
        return False
    # Only "Word" shapes: "Kim Jong-Un", "OpEdNews", "UN" have later capitals and are kept.
    rest = core[1:]
    return rest == rest.lower()


def _word_usage(text: str) -> dict[str, tuple[int, int]]:
    """For each word (casefolded): how often ``text`` writes it in lowercase, and how often
    capitalised where no sentence start forces the capital."""
    usage: dict[str, list[int]] = {}
    sentence_start = True
    for match in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.!?:;\n\"“”(\[—–]", text):
        token = match.group(0)
        if not token[0].isalpha():
            sentence_start = True
            continue
        if not sentence_start:
            counts = usage.setdefault(token.casefold(), [0, 0])
            counts[0 if token[0].islower() else 1] += 1
        elif token[0].islower():
            usage.setdefault(token.casefold(), [0, 0])[0] += 1
        sentence_start = False
    return {word: (lower, capital) for word, (lower, capital) in usage.items()}


def _is_common(core: str, usage: dict[str, tuple[int, int]] | None) -> bool:
    """True when ``core`` (a capitalised title word) is not a proper noun, on the evidence."""
    if core.lower() in FUNCTION_WORDS:
        return True
    if usage is None:
        return False
    lower, capital = usage.get(core.casefold(), (0, 0))
    return capital <= lower


def short_title(title: str) -> str:
    """A short title (Chicago 17, 14.30): the title's first four words, no initial article.

    A title of up to four words (or a main title before a colon) is used whole; a cut title
    does not end on a function word ("River Otters Return to the Valley" -> "River Otters
    Return").
    """
    main = title.split(": ", 1)[0]
    words = main.split()
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    if len(words) <= 4 and main == title:
        return " ".join(words).rstrip(",;:")
    kept = words[:4]
    # a short title does not end on a dangling preposition or article ("Return to")
    while len(kept) > 1 and kept[-1].lower().strip(",;:.") in FUNCTION_WORDS:
        kept = kept[:-1]
    return " ".join(kept).rstrip(",;:.-–—")


__all__ = [
    "FUNCTION_WORDS",
    "ends_with_end_punctuation",
    "ends_with_terminal_punctuation",
    "sentence_case",
    "short_title",
]

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


def handles_language(language: str | None, title: str, context: str | None = None) -> bool:
    """True when sentence case may recase ``title``: English, or no language recorded and
    the title or the article's text reads as English (English function words).  Other
    languages keep their own capitalisation (German capitalises every noun; French,
    Spanish and most others already write titles in sentence case), which warcite does
    not presume to recase."""
    if language:
        return language.split("-")[0].strip().lower() == "en"
    ambiguous = {"a", "an", "in", "am", "so", "die", "on", "or", "me", "us", "is"}
    words = [word.strip(".,:;!?\"'()").lower() for word in title.split()]
    if any(word in FUNCTION_WORDS - ambiguous for word in words):
        return True
    sample = (context or "").split()[:300]
    hits = sum(1 for word in sample if word.strip(".,:;!?\"'()").lower() in FUNCTION_WORDS)
    return len(sample) >= 5 and hits >= 0.2 * len(sample)


def sentence_case(title: str, context: str | None = None, language: str | None = None) -> str:
    """The sentence-case form of a title-cased title, proper nouns kept (APA titles).

    Only English titles are recased (:func:`handles_language`); any other is returned as
    it is.  The first word, and the first word after a colon or a sentence end, keep their
    capital; so do words with capitals after their first letter or digits (acronyms,
    "OpEdNews", "Kim Jong-Un", "G7").  Closed-class words (:data:`FUNCTION_WORDS`) are
    lowercased.  Every other capitalised word keeps its capital unless there is positive
    evidence that it is a common word: ``context``, the article's text, writes it in
    lowercase inside sentences more often than capitalised ("Elites" -> "elites").  A word
    the text never writes mid-sentence ("American West" in a text that only names it in
    headings) keeps its capital: a capitalised common noun is a style slip, a lowercased
    proper noun an error of fact.
    """
    if not handles_language(language, title, context):
        return title
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


# Chicago 17, 8.159 and MLA 9, 1.2 (headline style): articles, prepositions and
# coordinating conjunctions are lowercased unless they begin or end the title or a subtitle.
MINOR_WORDS = frozenset(
    """a an the and but for nor or so yet as at by down from in into like near of off on
    onto out over past per than till to up upon via with""".split()  # noqa: SIM905
)


def title_case(title: str, language: str | None = None) -> str:
    """Headline-style capitalisation of an English title (MLA, Chicago): minor words
    (:data:`MINOR_WORDS`) lowercased inside the title, every other lowercase word
    capitalised; capitals already there are kept ("OpEdNews", proper nouns).  Titles in
    other languages, and titles not read as English, are returned as they are."""
    if not handles_language(language, title):
        return title
    words = title.split()
    result = []
    starts = True
    for index, word in enumerate(words):
        match = _WORD_CORE.match(word)
        assert match is not None
        lead, core, trail = match.groups()
        last = index == len(words) - 1 or (bool(trail) and trail[-1] in ":?!.")
        if core and not starts and not last and core.lower() in MINOR_WORDS:
            core = core.lower() if core[1:] == core[1:].lower() else core
        elif core and core[0].islower() and not any(c.isupper() for c in core):
            core = core[0].upper() + core[1:]
        result.append(f"{lead}{core}{trail}")
        starts = bool(trail) and trail[-1] in ":?!.—"
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
    word = core.casefold()
    lower, capital = usage.get(word, (0, 0))
    # the same word inflected ("Flood" / "floods", "Elites" / "elite") is evidence too
    for form in {word + "s", word + "es", word[:-1] if word.endswith("s") else word}:
        if form != word:
            lower += usage.get(form, (0, 0))[0]
    return lower > 0 and lower > capital


def short_title(title: str) -> str:
    """A short title (Chicago 17, 14.30): the title's key words, at most four, no initial
    article, never cut inside a phrase.

    A title of up to four words (or a main title before a colon) is used whole.  A longer
    one is cut where a phrase ends: before a function word or after punctuation
    ("Annual Report on River Otters in the Valley" -> "Annual Report", not "Annual Report
    on River"; "River Otters Return to the Valley" -> "River Otters Return").  When no
    phrase ends within four words, the first four are used ("Why North Korean Elites").
    """
    main = title.split(": ", 1)[0]
    words = main.split()
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    if len(words) <= 4 and main == title:
        return " ".join(words).rstrip(",;:")
    if len(words) <= 4:
        return " ".join(words).rstrip(",;:.-–—")
    cut = 0
    for count in range(1, 5):
        word = words[count - 1]
        following = words[count].lower().strip(",;:.\"'") if count < len(words) else ""
        ends_phrase = word[-1:] in ",;:.!?" or following in FUNCTION_WORDS
        if ends_phrase and word.lower().strip(",;:.") not in FUNCTION_WORDS:
            cut = count
    kept = words[: cut or 4]
    # a short title does not end on a dangling preposition or article ("Return to")
    while len(kept) > 1 and kept[-1].lower().strip(",;:.") in FUNCTION_WORDS:
        kept = kept[:-1]
    return " ".join(kept).rstrip(",;:.-–—")


__all__ = [
    "FUNCTION_WORDS",
    "MINOR_WORDS",
    "ends_with_end_punctuation",
    "ends_with_terminal_punctuation",
    "handles_language",
    "sentence_case",
    "short_title",
    "title_case",
]

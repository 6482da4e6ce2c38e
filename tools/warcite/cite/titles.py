"""Titles as styles print them: sentence case, short titles, end punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from warcite.core.models import Extraction

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


def sentence_case(
    title: str,
    context: str | None = None,
    language: str | None = None,
    *,
    names: Iterable[str] = (),
) -> str:
    """The sentence-case form of a title-cased title, proper nouns kept (APA 7, 6.17).

    Only English titles are recased (:func:`handles_language`); any other is returned as
    it is.  The first word, and the first word after a colon or a sentence end, keep their
    capital; so do words with capitals after their first letter or digits (acronyms,
    "OpEdNews", "G7") and "I".  Every other capitalised word is lowercased unless the
    evidence says it is a proper noun (:func:`proper_noun_evidence`):

    - ``names``, the named entities of the metadata (authors, publisher, site): the
      title's words that spell one of them ("Sacco's" for Justine Sacco, "Google");
    - ``context``, the article's text: a phrase of the title written with the same
      capitals inside a sentence of the text ("American West", "Tunnel Creek"), or a
      word the text capitalises inside its sentences more often than not ("Korean");
      lines shaped like headings and quotations of the title itself are not evidence;
    - a hyphenated word's part after a kept part ("Jong-Un", "Wallace-Wells"), and the
      names of days and months.

    Without ``context`` (no text to weigh) a word without such evidence keeps its capital
    and only closed-class words (:data:`FUNCTION_WORDS`) are lowercased: a capitalised
    common noun is a style slip, a lowercased proper noun an error of fact.
    """
    if not handles_language(language, title, context):
        return title
    words = title.split()
    if context is not None and _all_capitals(title):
        words = [_from_capitals(word, context) for word in words]
    evidence = proper_noun_evidence(words, context, names)
    usage = evidence.usage
    result = []
    sentence_start = True
    for index, word in enumerate(words):
        match = _WORD_CORE.match(word)
        assert match is not None
        lead, core, trail = match.groups()
        if not sentence_start and index not in evidence.phrases:
            core = _sentence_case_word(core, usage)
        elif sentence_start and "-" in core and index not in evidence.phrases:
            # the first word keeps its capital; a compound's later parts follow the
            # evidence ("Self-driving"), unless the first part is a name ("Jong-Un")
            first, _, rest = core.partition("-")
            if _lowercase_candidate(first) and not _is_proper(first, usage):
                core = f"{first}-{_sentence_case_word(rest, usage)}"
        result.append(f"{lead}{core}{trail}")
        closing = trail.rstrip("\"'”’»)]")
        sentence_start = bool(closing) and closing[-1] in _SENTENCE_END
    return " ".join(result)


def metadata_names(extraction: Extraction) -> list[str]:
    """The named entities of an extraction's metadata, as :func:`sentence_case` takes them:
    each author's name, printed forms and family name, and the publisher (the site)."""
    names: list[str] = []
    for person in extraction.authors:
        names += [person.name, *person.forms, person.family or ""]
    if extraction.publisher is not None:
        names.append(extraction.publisher.value)
    return [name for name in names if name]


@dataclass(frozen=True)
class CaseEvidence:
    """What the text and the metadata say about a title's capitalised words.

    ``phrases``: indexes of title words that spell a named entity of the metadata or a
    phrase the text capitalises the same way inside a sentence; ``usage``: per word
    (casefolded), how often the text writes it in lowercase and how often capitalised
    inside a sentence, or None when there is no text to count.
    """

    phrases: frozenset[int]
    usage: dict[str, tuple[int, int]] | None


def proper_noun_evidence(
    words: list[str], context: str | None, names: Iterable[str] = ()
) -> CaseEvidence:
    """The evidence :func:`sentence_case` weighs for the title ``words``."""
    cores = [_core(word) for word in words]
    phrases: set[int] = set()
    for name in names:
        tokens = [_core(token) for token in name.split()]
        if tokens and tokens[0].lower() in _ARTICLES:
            tokens = tokens[1:]
        tokens = [token for token in tokens if token]
        if tokens and any(token[:1].isupper() for token in tokens):
            phrases |= _find_phrase(cores, tokens)
    usage = None
    if context is not None:
        prose = _prose(context, " ".join(words))
        usage = _word_usage(prose)
        phrases |= _capitalised_phrases(words, cores, prose)
    return CaseEvidence(frozenset(phrases), usage)


# Names of days and months (less "May" and "March", which are also common words): proper
# nouns wherever they stand.
ALWAYS_CAPITALISED = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february april june
    july august september october november december""".split()  # noqa: SIM905
)
_QUOTES_AND_BRACKETS = "\"'“”‘’«»()[]"


def _core(word: str) -> str:
    match = _WORD_CORE.match(word)
    assert match is not None
    return match.group(2)


def _possessive_base(core: str) -> str:
    """ "Sacco's" -> "Sacco"; "Joneses'" -> "Joneses"; anything else unchanged."""
    return re.sub(r"['’]s?$", "", core)


def _find_phrase(cores: list[str], tokens: list[str]) -> set[int]:
    """Indexes of title words that spell ``tokens`` (same capitals; a possessive "'s" on
    the last word allowed)."""
    found: set[int] = set()
    size = len(tokens)
    for start in range(len(cores) - size + 1):
        window = cores[start : start + size]
        if window[:-1] == tokens[:-1] and (
            window[-1] == tokens[-1] or _possessive_base(window[-1]) == tokens[-1]
        ):
            found |= set(range(start, start + size))
    return found


def _prose(text: str, title: str) -> str:
    """The text's sentences: without lines shaped like headings (most words capitalised,
    no closing period) and without quotations of the title itself, whose capitals are
    the title's own and no evidence."""
    lines = []
    quoted = [part.strip() for part in {title, title.split(": ", 1)[0]} if len(part) > 12]
    for line in text.splitlines():
        for part in quoted:
            line = re.sub(re.escape(part), " . ", line, flags=re.IGNORECASE)
        if not _heading_shaped(line):
            lines.append(line)
    return "\n".join(lines)


def _heading_shaped(line: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.rstrip("\"'”’)").endswith("."):
        return False
    words = [_core(word) for word in stripped.split()]
    content = [word for word in words if word[:1].isalpha() and word.lower() not in FUNCTION_WORDS]
    if not content or len(words) > 20:
        return False
    capitalised = sum(1 for word in content if word[:1].isupper())
    return capitalised >= 0.7 * len(content) and len(content) >= 2


def _capitalised_phrases(words: list[str], cores: list[str], prose: str) -> set[int]:
    """Indexes of title words in a phrase (two to five words, capitalised at both ends)
    that the text writes with the same capitals, the phrase not starting a sentence
    ("American West", "Bank of England", "Trader Joe's")."""
    found: set[int] = set()
    size_limit = 5
    for start in range(len(words)):
        for stop in range(start + 2, min(len(words), start + size_limit) + 1):
            window = cores[start:stop]
            if any(
                word != core for word, core in zip(words[start : stop - 1], window, strict=False)
            ):
                break  # punctuation inside: the phrase ends there
            first, last = window[0], window[-1]
            if not (_capitalised(first) and _capitalised(last)):
                continue
            if first.lower() in FUNCTION_WORDS or last.lower() in FUNCTION_WORDS:
                continue
            pattern = r"(?<![\w'’])" + r"\s+".join(map(re.escape, window)) + r"(?![\w])"
            for match in re.finditer(pattern, prose):
                before = prose[: match.start()].rstrip(" \t" + _QUOTES_AND_BRACKETS)
                if before and before[-1] not in ".!?:;\n—–":
                    found |= set(range(start, stop))
                    break
    return found


def _all_capitals(title: str) -> bool:
    """A title set in capitals ("WHY SLEEP MATTERS"): no lowercase letter, two words or
    more of two letters or more."""
    letters = [character for character in title if character.isalpha()]
    long_words = [word for word in title.split() if sum(c.isalpha() for c in word) >= 2]
    return bool(letters) and not any(c.islower() for c in letters) and len(long_words) >= 2


def _from_capitals(word: str, context: str) -> str:
    """A word of a title set in capitals, as a title-case word ("SLEEP" -> "Sleep") unless
    the text writes it in capitals too (an acronym: "NASA", "UN")."""
    match = _WORD_CORE.match(word)
    assert match is not None
    lead, core, trail = match.groups()
    if not core or re.search(rf"(?<!\w){re.escape(core)}(?!\w)", context) is not None:
        return word
    parts = re.split(r"([-‐–])", core)
    recased = "".join(
        part if index % 2 or not part else part[0] + part[1:].lower()
        for index, part in enumerate(parts)
    )
    return f"{lead}{recased}{trail}"


def _capitalised(core: str) -> bool:
    return bool(core) and core[0].isupper()


def _sentence_case_word(core: str, usage: dict[str, tuple[int, int]] | None) -> str:
    """One title word (not at a sentence start) in sentence case, on the evidence."""
    parts = re.split(r"([-‐–])", core)
    out = []
    kept = False
    for position, part in enumerate(parts):
        if position % 2 == 1:  # a hyphen
            out.append(part)
            continue
        if not _lowercase_candidate(part) or (kept and position > 0):
            kept = kept or bool(part[:1].isupper())
            out.append(part)
            continue
        if _is_proper(part, usage):
            kept = True
            out.append(part)
        else:
            kept = False
            out.append(part.lower())
    return "".join(out)


def _is_proper(core: str, usage: dict[str, tuple[int, int]] | None) -> bool:
    """True when the capitalised word ``core`` is a proper noun, on the evidence."""
    word = core.casefold().replace("’", "'")
    base = _possessive_base(word)
    if base in ALWAYS_CAPITALISED or base == "i" or word.startswith("i'"):
        return True  # "I", "I'm", "I've"
    if word in FUNCTION_WORDS or base in FUNCTION_WORDS:
        return False
    if usage is None:
        return True  # no text to weigh: the capital stays (see sentence_case)
    lower, capital = 0, 0
    # the word itself and its possessive are evidence of a capital; any inflection
    # ("Flood" / "floods", "Elites" / "elite") of lowercase use
    same = {word, base, base + "'s", base + "'"}
    forms = same | {base + "s", base + "es", base[:-1] if base.endswith("s") else base}
    for form in forms:
        counts = usage.get(form, (0, 0))
        capital += counts[1] if form in same else 0
        lower += counts[0]
    return capital > 0 and capital >= lower


# Chicago 17, 8.159 and MLA 9, 1.2 (headline style): articles, prepositions (whatever
# their length: "About", "Between", "Through" are lowercased too) and the coordinating
# conjunctions are lowercased unless they begin or end the title or a subtitle.
PREPOSITIONS = frozenset(
    """aboard about above across after against along alongside amid amidst among amongst
    around as at atop before behind below beneath beside besides between beyond by circa
    concerning despite down during except excepting excluding following for from in inside
    into like minus near notwithstanding of off on onto opposite out outside over past per
    regarding round save since than through throughout till to toward towards under
    underneath unlike until unto up upon versus via with within without""".split()  # noqa: SIM905
)
MINOR_WORDS = PREPOSITIONS | frozenset(
    ["a", "an", "the", "and", "but", "for", "nor", "or", "so", "yet"]
)
# Words that are prepositions before a noun phrase ("After the Flood") but subordinating
# conjunctions, capitalised in headline style (CMOS 8.159; MLA 1.2), before a clause
# ("After We Left"): a subject pronoun after them marks the clause.
CONJUNCTION_PREPOSITIONS = frozenset(["after", "as", "before", "since", "till", "until"])
_SUBJECT_PRONOUNS = frozenset(["i", "we", "you", "he", "she", "they", "it", "there"])


# Chicago 17, 8.159: a preposition used adverbially is capitalised ("Look Up", "Turn
# Down"): the particle of a phrasal verb ("Elites Give Up", "Crack Down on Dissent"); MLA
# treats it the same way, as an adverb.  Which verb and particle make a phrasal verb is
# not a matter of form ("Walk up the Hill" is a preposition), so only these pairs count,
# the common ones in news and report titles, with particles a noun rarely follows there.
_PHRASAL_VERBS = {
    "up": """back beef blow break bring build call catch clean cover crack dig end fire free
        gear give grow hang heat hold hook join keep light line look make mix open own pay
        pick pile play prop pump rack ramp round scale seal set shake shore show shut sign sit
        slow speak speed split stand start step stir stock sum take team tear tie toughen
        turn use wake warm wind wrap write""",
    "down": """back bog break bring burn calm clamp close crack cut hand hunker knock let lock
        narrow pin play scale settle shoot shut slow stand step tear tone track turn vote
        water wind wear write""",
    "out": """bail black branch break burn carry cash churn drop figure find freak hold kick
        lash lay miss opt pay phase point print pull reach ride roll rule sell shut sort
        speak spell stand step wait weed wipe work""",
    "off": """back call cut ease face fend head hold kick lay pay sell set show sign take tip
        ward write""",
    "over": "hand spill take win",
}
_IRREGULAR_FORMS = {
    "blow": "blew blown",
    "break": "broke broken",
    "bring": "brought",
    "build": "built",
    "burn": "burnt",
    "catch": "caught",
    "dig": "dug",
    "find": "found",
    "give": "gave given",
    "grow": "grew grown",
    "hang": "hung",
    "hold": "held",
    "keep": "kept",
    "lay": "laid",
    "light": "lit",
    "make": "made",
    "pay": "paid",
    "ride": "rode ridden",
    "sell": "sold",
    "shake": "shook shaken",
    "shoot": "shot",
    "show": "shown",
    "sit": "sat",
    "speak": "spoke spoken",
    "stand": "stood",
    "take": "took taken",
    "tear": "tore torn",
    "wake": "woke woken",
    "wear": "wore worn",
    "win": "won",
    "wind": "wound",
    "write": "wrote written",
}


def _verb_forms(base: str) -> set[str]:
    """The base, third person, past and -ing forms of a verb (regular spelling rules, and
    the irregular forms above)."""
    forms = {base, *_IRREGULAR_FORMS.get(base, "").split()}
    forms.add(base + "es" if base.endswith(("s", "sh", "ch", "x", "z")) else base + "s")
    if base.endswith("e"):
        forms |= {base + "d", base[:-1] + "ing"}
    elif (
        len(base) > 2
        and base[-1] not in "aeiouwxy"
        and base[-2] in "aeiou"
        and base[-3] not in "aeiou"
    ):
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # step, stepped, stepping
    else:
        forms |= {base + "ed", base + "ing"}
    return forms


PHRASAL_PARTICLES: dict[str, frozenset[str]] = {
    particle: frozenset(form for verb in verbs.split() for form in _verb_forms(verb))
    for particle, verbs in _PHRASAL_VERBS.items()
}
"""particle -> every form of the verbs it makes a phrasal verb with (see _PHRASAL_VERBS)."""


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
        previous = words[index - 1] if index and not starts else ""
        if (
            core
            and not starts
            and not last
            and _is_minor(core, words[index + 1], trail)
            and not _is_particle(core, previous)
        ):
            core = core.lower() if core[1:] == core[1:].lower() else core
        elif core and core[0].islower() and not any(c.isupper() for c in core):
            core = core[0].upper() + core[1:]
        result.append(f"{lead}{core}{trail}")
        starts = bool(trail) and trail[-1] in ":?!.—"
    return " ".join(result)


def _is_minor(core: str, following: str, trail: str) -> bool:
    """True when ``core`` is lowercased inside a headline-style title: an article, a
    coordinating conjunction or a preposition, not a subordinating conjunction."""
    word = core.lower()
    if word not in MINOR_WORDS:
        return False
    if word in CONJUNCTION_PREPOSITIONS and not trail:
        return following.strip("\"'“”‘’()").lower() not in _SUBJECT_PRONOUNS
    return True


def _is_particle(core: str, previous: str) -> bool:
    """True when ``core`` follows, with nothing between, a verb it makes a phrasal verb
    with (:data:`PHRASAL_PARTICLES`): an adverb there, capitalised in headline style."""
    verbs = PHRASAL_PARTICLES.get(core.lower())
    if verbs is None or not previous or previous[-1] in ",;:.!?)\"”’'":
        return False
    return previous.lower().strip("(\"“‘'") in verbs


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
            counts = usage.setdefault(token.casefold().replace("’", "'"), [0, 0])
            counts[0 if token[0].islower() else 1] += 1
        elif token[0].islower():
            usage.setdefault(token.casefold().replace("’", "'"), [0, 0])[0] += 1
        sentence_start = False
    return {word: (lower, capital) for word, (lower, capital) in usage.items()}


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
    "ALWAYS_CAPITALISED",
    "CONJUNCTION_PREPOSITIONS",
    "FUNCTION_WORDS",
    "MINOR_WORDS",
    "PHRASAL_PARTICLES",
    "PREPOSITIONS",
    "CaseEvidence",
    "ends_with_end_punctuation",
    "ends_with_terminal_punctuation",
    "handles_language",
    "metadata_names",
    "proper_noun_evidence",
    "sentence_case",
    "short_title",
    "title_case",
]

"""Personal names: parsing, name order, organisations, romanisation variants, merging, bios.

A page names its author several ways: a JSON-LD ``author``, a byline ("By In Ae Hyun"), a
bio ("Hyeon In-ae, Ph.D., ... is a visiting Research Fellow of ..."), a URL slug
(``...-by-In-ae-Hyun-...``).  This module turns each into a :class:`ParsedName`, decides
whether two forms name the same person (:func:`same_person`: tokens compared ignoring case,
hyphens and order, with common romanisation variants such as Hyun/Hyeon/Hyon equal), and
merges the forms into :class:`warcite.core.models.Person` values (:func:`merge_people`), the
author's own bio's form preferred.

Name order: a name is read family-first when its first token is a common East Asian family
name and the rest reads as a given name (a hyphenated given name such as "In-ae" or
"Jong-un", or one not in the family-name list), e.g. "Hyeon In-ae", "Xi Jinping"; a name
whose *last* token is such a family name is given-first ("In Ae Hyun").  Everything else is
read given-first, with particles ("van", "de la") kept with the family name and suffixes
("Jr.", "III") apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from warcite.core.models import Affiliation, Person
from warcite.extract import patterns
from warcite.extract.surnames import with_family_name

# token -> ids of the variant groups it belongs to (a spelling may belong to two names)
_VARIANT_GROUPS: dict[str, frozenset[int]] = {}
for _index, _group in enumerate(patterns.FAMILY_NAME_VARIANTS):
    for _spelling in _group:
        _VARIANT_GROUPS[_spelling] = _VARIANT_GROUPS.get(_spelling, frozenset()) | {_index}

_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)


@dataclass(frozen=True)
class ParsedName:
    """A name split into its parts."""

    text: str  # the name as printed, cleaned of "By", degrees and honorifics
    given: str | None
    family: str | None
    name_order: str  # "given-first", "family-first" or "single"
    kind: str = "person"  # "person" or "organization"
    particle: str | None = None
    suffix: str | None = None


@dataclass
class NameCandidate:
    """One place a page names an author (input to :func:`merge_people`)."""

    name: str
    source: str
    bio: str | None = None
    affiliations: tuple[Affiliation, ...] = ()
    supporting: bool = False  # evidence that only confirms a person named elsewhere
    family: str | None = None  # the family name structured data states (JSON-LD familyName)


def normalize_space(text: str) -> str:
    """NFC, no-break and other spaces to one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean_name(raw: str) -> str:
    """A name as printed, without "By" or "Author", e-mail addresses, handles, degrees or honorifics.

    A label before "by" is dropped ("Guide by Jane Doe" -> "Jane Doe"); a label naming a
    contributor who is not an author ("Reviewed by", "Photos by") leaves nothing.
    """
    text = normalize_space(raw)
    text = re.sub(r"\S+@\S+\.\w+", " ", text)
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    labelled = patterns.LABELLED_BY.match(text)
    if labelled:
        label = labelled.group("label")
        if patterns.NOT_AUTHOR_ROLES.search(label) and not patterns.AUTHOR_ROLES.search(label):
            return ""
        text = text[labelled.end() :]
    text = patterns.BYLINE_PREFIX.sub("", text)
    text = patterns.AUTHOR_LABEL_PREFIX.sub("", text)
    text = patterns.DEGREES.sub("", text)
    text = patterns.HONORIFICS.sub("", text)
    text = text.lstrip("@").strip(" ,;:|-–—·•")
    return " ".join(text.split())


def strip_roles(text: str) -> str:
    """A byline's name without a job title after it or a repetition of itself.

    "Keith Barry Senior Autos Reporter" -> "Keith Barry"; "Paul Frew, Home and Digital
    Security Expert" -> "Paul Frew"; "Liam Austin Liam Austin" -> "Liam Austin".
    """
    words = text.split()
    half = len(words) // 2
    if (
        len(words) >= 4
        and len(words) % 2 == 0
        and [w.lower() for w in words[:half]] == [w.lower() for w in words[half:]]
    ):
        words = words[:half]
    while len(words) > 1 and words[-1].lower().strip(",.") in patterns.NOT_NAMES:
        words = words[:-1]
    if len(words) >= 3 and re.fullmatch(r"[A-Z]{2,3}", words[0]):
        words = words[1:]  # an avatar's initials before the name ("CM Craig McCarthy")
    if is_organization(" ".join(words)):
        return " ".join(words)
    for index, word in enumerate(words):
        if index >= 2 and word.lower().strip(",.") in patterns.ROLE_WORDS:
            # the title starts at its qualifiers ("Senior Autos Reporter"); two name words stay
            start = index
            while start > 1 and words[start - 1].lower().strip(",.") in patterns.ROLE_QUALIFIERS:
                start -= 1
            if re.fullmatch(r"[A-Z]\.?", words[start - 1]):
                break  # a name never ends in an initial: "Jane Q. Reporter" is a surname
            words = words[:start]
            break
        if index >= 2 and not word.endswith(",") and words[index - 1].endswith(","):
            # "Paul Frew, Home and Digital Security Expert": a title after the comma
            rest = " ".join(words[index:]).lower()
            if any(role in rest.split() for role in patterns.ROLE_WORDS):
                words = words[:index]
                break
    return " ".join(words).strip(" ,;-–—|·")


def split_names(raw: str, *, roles: bool = False) -> list[str]:
    """Several names in one string ("A and B", "A, B & C"), each cleaned.

    A single "Family, Given" (two parts, the second one or two words without a space-separated
    family particle) is one inverted name, not two people.  With ``roles``, job titles after a
    name are dropped first (see :func:`strip_roles`).
    """
    text = clean_name(raw)
    text = re.sub(
        r"^(?:read\s+more\s+(?:about|from|by)|more\s+(?:from|by)|about|meet)\s+",
        "",
        text,
        flags=re.I,
    )
    if roles:
        text = strip_roles(text)
    if not text:
        return []
    parts = [part.strip() for part in patterns.AUTHOR_SEPARATORS.split(text) if part.strip()]
    names: list[str] = []
    for part in parts:
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        if len(pieces) == 2 and _looks_inverted(pieces[0], pieces[1]):
            names.append(f"{pieces[1]} {pieces[0]}")
        elif len(pieces) > 1 and not all(
            len(piece.split()) >= 2 or is_organization(piece) for piece in pieces
        ):
            # "Doe, Jane, Smith, John"?  Too ambiguous to split on commas: keep as written
            names.append(part)
        else:
            names.extend(pieces)
    return [clean_name(name) for name in names if clean_name(name)]


def _looks_inverted(before: str, after: str) -> bool:
    if not before or not after:
        return False
    if patterns.DEGREES.fullmatch(", " + after) or after.lower().strip(".") in patterns.SUFFIXES:
        return False
    return len(before.split()) <= 2 and len(after.split()) <= 2 and " " not in before.strip()


def is_organization(name: str, *, site_name: str | None = None) -> bool:
    """True when ``name`` names an organisation (a newsroom, an agency, a site), not a person."""
    text = normalize_space(name)
    if not text:
        return False
    if site_name and _fold(text) == _fold(site_name):
        return True
    words = [word.lower().strip(".,") for word in text.split()]
    if any(word in patterns.ORGANIZATION_WORDS for word in words):
        return True
    if len(words) >= 2 and words[0] == "the":  # a person's name never starts with "The"
        return True
    if re.search(r"\.\w{2,4}$", text) and " " not in text:  # example.com
        return True
    letters = [c for c in text if c.isalpha()]
    return len(words) == 1 and len(letters) >= 2 and all(c.isupper() for c in letters)


def plausible_name(name: str, *, strict: bool = True) -> bool:
    """Whether ``name`` can be a person's or an organisation's name as an author.

    One to five words (an organisation up to eight), no digits, no sentence punctuation,
    and, when ``strict`` (names read from visible text), capitalised words (particles aside)
    that are not page furniture ("Updated", "Share").
    """
    text = normalize_space(name)
    if len(text) < 2 or len(text) > 80:
        return False
    if not strict:
        placeholder = re.fullmatch(r"[\w-]+(?:\.[\w-]+){2,}", text)  # page.head.author
        return (
            any(c.isalpha() for c in text)
            and len(text.split()) <= 8
            and "http" not in text
            and not placeholder
        )
    if any(c.isdigit() for c in text) or text.lower() in patterns.NOT_NAMES:
        return False
    if re.search(r"[!?:;()\[\]{}<>=+*#|@]|https?|www\.", text):
        return False
    words = text.split()
    if is_organization(text):
        return len(words) <= 8
    if len(words) > 5:
        return False
    for word in words:
        if word.lower() in patterns.PARTICLES or word.lower().strip(".") in patterns.SUFFIXES:
            continue
        letters = [c for c in word if c.isalpha()]
        if not letters or not letters[0].isupper():
            return False
    return True


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def is_east_asian_family_name(token: str) -> bool:
    """True for a common East Asian family name in any of its usual romanisations."""
    return token.lower().strip(".") in _VARIANT_GROUPS


def _is_korean_given(tokens: Sequence[str]) -> bool:
    """Two romanised syllables ("In-ae", "In Ae", "Jong-un", "Jongun" is not checked)."""
    syllables: list[str] = []
    for token in tokens:
        syllables.extend(part for part in token.split("-") if part)
    return len(syllables) == 2 and all(patterns.KOREAN_SYLLABLE.match(s) for s in syllables)


def parse_name(raw: str, *, site_name: str | None = None) -> ParsedName | None:
    """Split a printed name into given and family names, or None when it is not a name."""
    text = clean_name(raw)
    if not text or not any(c.isalpha() for c in text) or len(text) > 80:
        return None
    if is_organization(text, site_name=site_name):
        return ParsedName(text, None, None, "single", kind="organization")
    if "," in text:
        pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
        if len(pieces) == 2 and _looks_inverted(pieces[0], pieces[1]):
            text = f"{pieces[1]} {pieces[0]}"
        elif len(pieces) >= 2 and pieces[-1].lower().strip(".") in patterns.SUFFIXES:
            text = " ".join(pieces)
        else:
            text = pieces[0]
    tokens = text.split()
    if len(tokens) > 6:
        return None
    suffix = None
    if len(tokens) > 1 and tokens[-1].lower() in patterns.SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) == 1:
        return ParsedName(text, None, None, "single", suffix=suffix)
    first, last = tokens[0], tokens[-1]
    first_family = is_east_asian_family_name(first) and "-" not in first
    last_family = is_east_asian_family_name(last) and "-" not in last
    rest_after_first = tokens[1:]
    if (
        first_family
        and (
            not last_family
            or any("-" in token for token in rest_after_first)
            or (
                len(tokens) == 3
                and _is_korean_given(rest_after_first)
                and not _is_korean_given(tokens[:2])
            )
        )
        and len(tokens) <= 3
    ):
        return ParsedName(text, " ".join(rest_after_first), first, "family-first", suffix=suffix)
    # given-first; collect particles before the family name ("Ludwig van Beethoven")
    family_start = len(tokens) - 1
    while family_start > 1 and tokens[family_start - 1].lower() in patterns.PARTICLES:
        family_start -= 1
    particle_tokens = [t for t in tokens[family_start:-1]]
    family = " ".join(tokens[family_start:])
    given = " ".join(tokens[:family_start])
    particle = " ".join(particle_tokens) if particle_tokens else None
    return ParsedName(text, given, family, "given-first", particle=particle, suffix=suffix)


def name_tokens(name: str) -> list[str]:
    """Lower-case tokens of a name, hyphens and dots split, degrees and "By" removed."""
    text = clean_name(name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return [token for token in re.split(r"[\s\-‐.'’_,]+", text.casefold()) if token]


def _tokens_equal(first: str, second: str) -> bool:
    if first == second:
        return True
    groups = _VARIANT_GROUPS.get(first)
    return bool(groups and groups & _VARIANT_GROUPS.get(second, frozenset()))


def _multiset_match(first: Sequence[str], second: Sequence[str]) -> bool:
    if len(first) != len(second):
        return False
    remaining = list(second)
    for token in first:
        for index, other in enumerate(remaining):
            if _tokens_equal(token, other):
                del remaining[index]
                break
        else:
            return False
    return True


def same_person(first: str, second: str) -> bool:
    """Whether two printed names are forms of one person.

    Tokens are compared ignoring case, hyphens, accents and order, with romanisation
    variants equal ("Hyeon In-ae" = "In Ae Hyun" = "in-ae-hyun").  A form with an added
    middle initial ("Jane A. Doe") or an initial for the given name ("J. Doe") also matches.
    """
    a, b = name_tokens(first), name_tokens(second)
    if not a or not b:
        return False
    if _multiset_match(a, b):
        return True
    if len(a) < 2 or len(b) < 2:
        return False
    if "".join(a) == "".join(b):  # "Inae Hyun" vs "In Ae Hyun" (after order check below)
        return True
    # initials: same family name (last or first token), given names compatible by initial
    for x, y in ((a, b), (b, a)):
        if _tokens_equal(x[-1], y[-1]) and _given_compatible(x[:-1], y[:-1]):
            return True
    return False


def _given_compatible(first: Sequence[str], second: Sequence[str]) -> bool:
    full_first = [t for t in first if len(t) > 1]
    full_second = [t for t in second if len(t) > 1]
    if full_first and full_second and full_first[0] != full_second[0]:
        return False
    if not first or not second:
        return False
    return first[0][0] == second[0][0]


def names_from_url(url: str | None) -> list[tuple[str, str]]:
    """Author names in a URL: ``/author/jane-doe/`` or a slug's ``-by-Jane-Doe-...``.

    Returns ``(printed slug, name tokens joined by spaces)`` pairs.  For ``-by-`` slugs the
    name is taken up to the first token that cannot be part of a name (digits, underscores)
    and at most four tokens.
    """
    if not url:
        return []
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return []
    found: list[tuple[str, str]] = []
    for match in re.finditer(
        r"/(?:author|authors|autor|auteur|writers?|people|by|profile)/"
        r"([A-Za-z][A-Za-z'-]+[A-Za-z])(?:/|$)",
        path,
    ):
        slug = match.group(1)
        tokens = [t for t in slug.split("-") if t]
        if 2 <= len(tokens) <= 4 and not any(t.isdigit() for t in tokens):
            found.append((slug, " ".join(t.capitalize() if t.islower() else t for t in tokens)))
    for match in re.finditer(
        r"(?:^|[-_/])by[-_]((?:[A-Za-z][A-Za-z']*)(?:-[A-Za-z][A-Za-z']*)*)"
        r"(?=[-_/.]|$)",
        path,
    ):
        tokens = []
        for token in match.group(1).split("-"):
            tokens.append(token)
        end = match.end(1)
        following = path[end : end + 1]
        # tokens belong to the name until a token joined by "_" (a keyword list) starts
        if following == "_" and tokens:
            tokens = tokens[:-1]
        if 2 <= len(tokens) <= 4:
            slug = "-".join(tokens)
            found.append((slug, " ".join(tokens)))
    return found


# --------------------------------------------------------------------------- bios


@dataclass(frozen=True)
class Bio:
    """What an author's bio says: the name as the bio writes it, and affiliations."""

    name: str
    text: str
    affiliations: tuple[Affiliation, ...]


def _title_role(role: str) -> str:
    words = role.split()
    small = {"of", "for", "and", "in", "on", "the", "at", "to", "a", "an"}
    small |= {"für", "und", "der", "die", "das", "de", "du", "des", "la", "le", "di", "del", "y"}
    return " ".join(
        word if (word.lower() in small and index) or word.isupper() else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def parse_affiliation(predicate: str, *, raw: str, source: str = "bio") -> Affiliation | None:
    """Role and organisation from a bio's predicate ("a visiting Research Fellow of KINU...")."""
    text = re.sub(r"^(?:a|an|the)\s+", "", predicate.strip(), flags=re.I)
    possessive = patterns.POSSESSIVE_ROLE.match(text)
    if possessive:  # "MASV's Head of Editorial"
        role = re.split(r"\s+and\s+|,|\.(?:\s|$)", possessive["role"])[0].strip()
        if role and len(role.split()) <= 8:
            return Affiliation(
                name=possessive["name"], role=_title_role(role), source=source, raw=raw
            )
    for split in patterns.ROLE_PREPOSITIONS.finditer(text):
        role = text[: split.start()].strip(" ,")
        tail = text[split.end() :]
        match = patterns.ORGANIZATION_TAIL.match(tail)
        if not match or not role or len(role.split()) > 8:
            continue
        name = match["name"].strip(" .,")
        preposition = split.group(0).strip().lower()
        if re.search(r"\b(?:based|lives|living|born|located)$", role, re.I) or (
            preposition in {"in", "en", "à", "au"} and not is_organization(name)
        ):
            continue  # a place, not an organisation ("a journalist in Berlin")
        # an organisation name ends before a trailing lowercase clause
        if len(name) < 3:
            continue
        acronym = match["acronym"]
        if acronym is None:
            after = tail[match.end() :]
            paren = re.match(r"\s*\(([A-Z][A-Za-z&.-]{1,14})\)", after)
            acronym = paren.group(1) if paren else None
        return Affiliation(
            name=name,
            alternate_name=acronym,
            role=_title_role(role),
            source=source,
            raw=raw,
        )
    return None


def _first_sentence(text: str) -> str:
    # a sentence ends at ". " followed by an upper-case letter, not after an initial or "Ph.D."
    for match in re.finditer(r"[.!?](?=\s+[A-Z])", text):
        before = text[: match.start()].split()
        last = before[-1] if before else ""
        if len(last.strip(".")) <= 2 or last.count(".") >= 1:
            continue
        return text[: match.end()]
    return text


def parse_bio(text: str) -> Bio | None:
    """Read a bio ("Jane Doe is a professor of history at X University.") or None.

    The subject must read as a personal name (after dropping degrees and appositives);
    role and organisation come from the first sentence's predicate.
    """
    cleaned = normalize_space(text)
    cleaned = re.sub(
        r"\s*\((?:more|read more|continued)\.*\)\s*$|\s*(?:\.\.\.|…)\s*$", "", cleaned, flags=re.I
    )
    sentence = _first_sentence(cleaned)
    subject = predicate = None
    match = patterns.BIO_VERB.match(sentence)
    if match:
        subject, predicate = match["subject"], match["predicate"]
    else:
        appositive = patterns.APPOSITIVE_BIO.match(sentence)
        if appositive:
            subject, predicate = appositive["subject"], appositive["predicate"]
    if subject is None or predicate is None:
        return None
    name = strip_roles(clean_name(subject.split(",")[0]))
    parsed = parse_name(name)
    if parsed is None or parsed.kind != "person" or parsed.name_order == "single":
        return None
    if not all(
        token[:1].isupper() for token in name.split() if token.lower() not in patterns.PARTICLES
    ):
        return None
    affiliations: list[Affiliation] = []
    for clause in re.split(r"\s+and\s+(?:is\s+)?(?:a|an)\s+|;\s*", predicate):
        affiliation = parse_affiliation(clause, raw=sentence.strip())
        if affiliation:
            affiliations.append(affiliation)
    return Bio(name=name, text=cleaned, affiliations=tuple(affiliations))


# --------------------------------------------------------------------------- merging


def _nice_form(name: str) -> bool:
    """A form fit to print: capitalised words, not an all-lower-case slug."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    return bool(words) and any(w[:1].isupper() for w in words) and "-" not in name.split()[0][-1:]


def _prefer(group: Sequence[NameCandidate]) -> NameCandidate:
    for candidate in group:
        if candidate.bio is not None and _nice_form(candidate.name):
            return candidate
    for candidate in group:
        if not candidate.supporting and candidate.source != "url" and " " in candidate.name:
            return candidate
    for candidate in group:
        if " " in candidate.name:
            return candidate
    return group[0]


#: The most name candidates :func:`merge_people` merges (the first ones, highest precedence
#: first): a page naming more is not an article's byline (a hostile page with 10,000 author
#: metas is read in linear time).
MAX_MERGED_CANDIDATES = 256


def _token_keys(token: str) -> list[tuple[str, object]]:
    """Index keys under which a name token can match (itself and its variant groups)."""
    return [("token", token), *(("variants", group) for group in _VARIANT_GROUPS.get(token, ()))]


def merge_people(
    candidates: Iterable[NameCandidate], *, site_name: str | None = None
) -> tuple[Person, ...]:
    """Merge name candidates (highest precedence first) into people.

    Candidates naming the same person (see :func:`same_person`) become one
    :class:`~warcite.core.models.Person` with every printed form; the preferred form is the one the
    author's own bio uses, else the highest-precedence printed form.  Candidates marked
    ``supporting`` only add forms to people found elsewhere.  A candidate joins the first
    person one of whose forms it matches; only the first :data:`MAX_MERGED_CANDIDATES`
    candidates are considered, and each is compared only with forms sharing its family
    name (or its letters), so merging stays near-linear.
    """
    groups: list[list[NameCandidate]] = []
    # Blocking index: key -> (group number, member number, name) of every member having it.
    # same_person(a, b) holds only when a's last token equals (or is a variant of) one of
    # b's tokens, or both join to the same letters; so only members sharing one of those
    # keys are compared, and the result is the same as comparing with every member.
    index: dict[tuple[str, object], list[tuple[int, int, str]]] = {}
    members = 0
    for position, candidate in enumerate(candidates):
        if position >= MAX_MERGED_CANDIDATES:
            break
        name = clean_name(candidate.name)
        if not name:
            continue
        candidate = NameCandidate(
            name,
            candidate.source,
            candidate.bio,
            candidate.affiliations,
            candidate.supporting,
            candidate.family,
        )
        tokens = name_tokens(name)
        chosen: int | None = None  # the first group holding a form of this person
        if tokens:
            compared: set[int] = set()
            for key in (*_token_keys(tokens[-1]), ("joined", "".join(tokens))):
                for group_number, member, other in index.get(key, ()):
                    if (chosen is not None and group_number >= chosen) or member in compared:
                        continue
                    compared.add(member)
                    if same_person(name, other):
                        chosen = group_number
        if chosen is None:
            chosen = len(groups)
            groups.append([candidate])
        else:
            groups[chosen].append(candidate)
        if tokens:
            keys = {key for token in tokens for key in _token_keys(token)}
            keys.add(("joined", "".join(tokens)))
            for key in keys:
                index.setdefault(key, []).append((chosen, members, name))
            members += 1
    people: list[Person] = []
    for group in groups:
        if all(candidate.supporting for candidate in group):
            continue
        preferred = _prefer(group)
        parsed = parse_name(preferred.name, site_name=site_name)
        if parsed is None:
            continue
        forms: list[str] = [preferred.name]
        for candidate in group:
            if candidate.name not in forms:
                forms.append(candidate.name)
        affiliations: list[Affiliation] = []
        for candidate in group:
            for affiliation in candidate.affiliations:
                if all(affiliation.name != seen.name for seen in affiliations):
                    affiliations.append(affiliation)
        bio = next((candidate.bio for candidate in group if candidate.bio), None)
        sources = tuple(dict.fromkeys(candidate.source for candidate in group))
        stated_family = next((c.family for c in group if c.family), None)
        people.append(
            Person(
                name=parsed.text,
                family=parsed.family,
                given=parsed.given,
                name_order=parsed.name_order,
                forms=tuple(forms),
                affiliations=tuple(affiliations),
                bio=bio,
                sources=sources,
                kind=parsed.kind,
                particle=parsed.particle,
                suffix=parsed.suffix,
            )
        )
        people[-1] = with_family_name(people[-1], stated_family)
    return tuple(people)


__all__ = [
    "MAX_MERGED_CANDIDATES",
    "Bio",
    "NameCandidate",
    "ParsedName",
    "clean_name",
    "is_east_asian_family_name",
    "is_organization",
    "merge_people",
    "name_tokens",
    "names_from_url",
    "normalize_space",
    "parse_affiliation",
    "parse_bio",
    "parse_name",
    "plausible_name",
    "same_person",
    "split_names",
    "strip_roles",
]

"""Where a given-first name of three or more words splits into given and family names.

"María García López" is given "María", family "García López" in Spanish usage (two
surnames, the paternal and the maternal), but given "María García", family "López" when
"García" is a middle name, as in English usage.  The work's language does not settle it
(a Spanish name on an English page keeps its two surnames); the page's own evidence does:

- its structured data: a JSON-LD ``familyName`` (:func:`with_family_name`);
- its other forms of the name: inverted with both surnames ("García López, María"), or
  the given name with the first surname alone ("María García", as Spanish usage shortens);
- its text: the surnames without the given name ("García López said"; "García said"
  names the first surname alone, which only a surname is used for) against the last word
  alone ("López said", a single family name) (:func:`settle_surnames`).

Whatever decides is written to the person's ``name_note``; with no evidence either way the
split stays after the last word and ``name_note`` says that it is open, so the record keeps
the ambiguity visible instead of hiding a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace

from warcite.core.models import Person

# Words that join surnames or mark a particle ("de", "del", "y"): names holding them are
# left as the name parser split them.
_JOINING_WORDS = frozenset({"de", "del", "la", "las", "los", "y", "i", "e", "da", "do", "dos"})


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_open_split(person: Person) -> bool:
    """True when ``person``'s name could have a two-word family name: a given-first person
    whose given part has two or more words (the last one a capitalised word, not an
    initial), without a particle or a joining word."""
    if person.kind != "person" or person.name_order != "given-first" or person.particle:
        return False
    if not person.given or not person.family or " " in person.family:
        return False
    words = person.given.split()
    if len(words) < 2:
        return False
    middle = words[-1]
    if len(middle.rstrip(".")) < 2 or middle.endswith(".") or not middle[:1].isupper():
        return False
    return not any(word.casefold() in _JOINING_WORDS for word in [*words, person.family])


def with_family_name(person: Person, family: str | None) -> Person:
    """``person`` split as the page's structured data states it (a JSON-LD ``familyName``)."""
    if not family or not is_open_split(person):
        return person
    assert person.given is not None  # is_open_split
    family = _normal(family)
    name = _normal(f"{person.given} {person.family}")
    if family == person.family:
        note = (
            f"family name {family!r}: the page's JSON-LD familyName "
            f"({person.given.split()[-1]!r} is a given or middle name)"
        )
        return replace(person, name_note=note)
    if len(family.split()) >= 2 and name.endswith(f" {family}"):
        given = name[: -len(family)].strip()
        note = f"family name {family!r} (two surnames): the page's JSON-LD familyName"
        return replace(person, given=given, family=family, name_note=note)
    return person


def _count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text))


def settle_surnames(people: Iterable[Person], text: str | Callable[[], str]) -> tuple[Person, ...]:
    """Each person whose split is open (:func:`is_open_split`) and not already settled by
    structured data, split on the evidence of its forms and of ``text``, the article's
    text, with the decision or the open question in ``name_note``.

    ``text`` may be a function giving it: it is then only built (and normalised, once)
    when someone's split is open, not for every page (a large page's text costs memory).
    """
    people = tuple(people)
    if not any(_is_unsettled(person) for person in people):
        return people
    normal = _normal(text() if callable(text) else text)
    return tuple(_settle(person, normal) for person in people)


def _is_unsettled(person: Person) -> bool:
    return person.name_note is None and is_open_split(person)


def _settle(person: Person, text: str) -> Person:
    if not _is_unsettled(person):
        return person
    assert person.given is not None and person.family is not None
    words = person.given.split()
    first_given, middle, last = " ".join(words[:-1]), words[-1], person.family
    double = f"{middle} {last}"
    for_double: list[str] = []
    for_single: list[str] = []
    for form in (_normal(form) for form in person.forms):
        if form.startswith(f"{double}, "):
            for_double.append(f"the page writes the name {form!r}")
        elif form == f"{first_given} {middle}":
            for_double.append(f"the page writes the name {form!r} (first surname alone)")
        elif form.startswith(f"{last}, ") and form.endswith(f" {middle}"):
            for_single.append(f"the page writes the name {form!r}")
    word = r"(?<![\w'’-])"
    end = r"(?![\w'’-])"
    given_before = rf"(?<!{re.escape(first_given)} )"
    together = _count(rf"{word}{given_before}{re.escape(double)}{end}", text)
    if together:
        for_double.append(f"the text names the person {double!r} {together}x")
    first_alone = _count(
        rf"{word}{given_before}{re.escape(middle)}(?! {re.escape(last)}){end}", text
    )
    if first_alone:
        for_double.append(f"the text names the person {middle!r} alone {first_alone}x")
    last_alone = _count(rf"{word}(?<!{re.escape(middle)} ){re.escape(last)}{end}", text)
    if last_alone:
        for_single.append(f"the text names the person {last!r} alone {last_alone}x")
    if len(for_double) > len(for_single) or (for_double and together > last_alone):
        note = f"family name {double!r} (two surnames): " + "; ".join(for_double)
        return replace(person, given=first_given, family=double, name_note=note)
    if for_single and not for_double:
        note = f"family name {last!r} ({middle!r} a given or middle name): " + "; ".join(for_single)
        return replace(person, name_note=note)
    note = (
        f"{person.name!r} may have the family name {double!r} (two surnames, as in Spanish "
        f"and Portuguese usage) or {last!r} (with {middle!r} a middle name); "
        + (
            "the evidence conflicts (" + "; ".join(for_double + for_single) + ")"
            if for_double
            else "the page gives no evidence either way (no JSON-LD familyName, no other "
            "form of the name, no mention of the surnames alone)"
        )
        + f": split before {last!r}"
    )
    return replace(person, name_note=note)


__all__ = ["is_open_split", "settle_surnames", "with_family_name"]

"""Authors' names as each style prints them.

``name_order`` is the caller's choice: ``"style"`` (the default) follows each style's
convention ("Hyeon, In-ae" in a reference list, "In-ae Hyeon" in a note), and
``"family-first"`` prints the names the record marks family-first (East Asian names)
uninverted and without a comma, wherever a style prints a full name: "Hyeon In-ae"
(Chicago Manual of Style, 17th ed., 8.14-8.17; APA 7 has no rule for it, so APA
prints the full uninverted name rather than the ambiguous "Hyeon I.").

Names in Han, Kana or Hangul script are always printed as written, family name then
given name with no space, never inverted or abbreviated to initials (as CSL
processors do with such names).
"""

from __future__ import annotations

import re

from warcite.cite.source import Name

NAME_ORDERS = ("style", "family-first")

_INITIALS_ONLY = re.compile(r"^(?:\w\.)+$")


def _uninverted(name: Name, name_order: str) -> str | None:
    """The name's uninverted family-first form when it must be printed so, else None."""
    if name.literal is not None:
        return name.literal
    if name.is_cjk:
        return f"{name.family_full}{name.given or ''}"
    if name_order == "family-first" and name.name_order == "family-first":
        text = " ".join(part for part in (name.family_full, name.given) if part)
        return f"{text} {name.suffix}" if name.suffix else text
    return None


def inverted(name: Name, name_order: str = "style") -> str:
    """Reference-list form: "Hyeon, In-ae", "van Gogh, Vincent", "King, Martin Luther, Jr."."""
    fixed = _uninverted(name, name_order)
    if fixed is not None:
        return fixed
    text = name.family_full if not name.given else f"{name.family_full}, {name.given}"
    return f"{text}, {name.suffix}" if name.suffix else text


def direct(name: Name, name_order: str = "style") -> str:
    """Note form: "In-ae Hyeon", "Martin Luther King Jr." (Chicago 17 6.43: no comma before Jr.)."""
    fixed = _uninverted(name, name_order)
    if fixed is not None:
        return fixed
    text = " ".join(part for part in (name.given, name.family_full) if part)
    return f"{text} {name.suffix}" if name.suffix else text


def family(name: Name) -> str:
    """The family name alone (with its particle), for short notes and in-text citations."""
    if name.is_cjk:
        return f"{name.family_full}{name.given or ''}"
    return name.family_full


def initials(given: str) -> str:
    """APA 7 (9.8) initials of given names.

    "In-ae" -> "I." (a hyphenated name whose second part is lowercase is one name),
    "Jean-Paul" -> "J.-P.", "John Ronald" -> "J. R.", "J.R.R." -> "J. R. R.".
    """
    result: list[str] = []
    for token in given.split():
        if _INITIALS_ONLY.match(token):
            result.extend(f"{letter}." for letter in token.split(".") if letter)
            continue
        parts = [part for part in token.split("-") if part]
        if len(parts) > 1 and all(part[:1].isupper() for part in parts[1:]):
            result.append("-".join(f"{_first_letter(part)}." for part in parts))
        elif parts:
            result.append(f"{_first_letter(parts[0])}.")
    return " ".join(result)


def _first_letter(word: str) -> str:
    for character in word:
        if character.isalpha():
            return character.upper()
    return word[:1]


def apa(name: Name, name_order: str = "style") -> str:
    """APA 7 reference-list form: "Hyeon, I.", "King, M. L., Jr."."""
    fixed = _uninverted(name, name_order)
    if fixed is not None:
        return fixed
    text = name.family_full if not name.given else f"{name.family_full}, {initials(name.given)}"
    return f"{text}, {name.suffix}" if name.suffix else text


def join_with(items: list[str], conjunction: str, *, serial_comma: bool = True) -> str:
    """ "A", "A and B", "A, B, and C" (``conjunction`` is "and" or "&")."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    comma = "," if serial_comma else ""
    return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"


def end_with_period(text: str) -> str:
    """``text`` followed by a period unless it already ends with one."""
    return text if text.endswith(".") else f"{text}."


__all__ = [
    "NAME_ORDERS",
    "apa",
    "direct",
    "end_with_period",
    "family",
    "initials",
    "inverted",
    "join_with",
]

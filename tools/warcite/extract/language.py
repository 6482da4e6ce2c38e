"""Language detection for when a page does not declare its language.

A small, dependency-free detector: the writing system first (Hangul, kana, Han, Cyrillic,
Arabic, Hebrew, Greek, Thai, Devanagari), then, for Latin-script text, the share of each
major language's commonest function words.  It answers only when the evidence is clear
(enough words, and a clear winner), so a declared language or ``None`` is never overridden
by a guess.  Results are BCP 47 primary language subtags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The commonest function words of each language (short, high-frequency, distinctive lists).
STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the of and to in is that for it was on with as are be this by at from his have "
        "not but they which an or had were their has been will would its who more than",
        "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch "
        "es an werden aus er hat dass sie nach wird bei einer um noch wie über",
        "fr": "le la les et des est un une du que en dans pour qui pas sur au avec il ce sont "
        "par plus ne se aux elle nous vous mais ou cette été",
        "es": "el la los las de que y en un una es por con para del se al lo como más pero "
        "sus le ya o este sí porque esta entre cuando muy sin sobre",
        "it": "il di che la e un una per non del della sono con si da le gli nel alla anche "
        "come ma più questo ha dei nella lo essere",
        "pt": "o a os as de que e do da em um uma para com não no na por mais se dos das "
        "como mas ao ele ela foi são está também",
        "nl": "de het een en van in is dat op te zijn met voor niet die aan er ook als bij "
        "maar om door wordt nog naar uit dan",
        "sv": "och att det som en på är av för med till den har de inte om ett var men jag "
        "från eller kan så vid",
        "da": "og at det som en på er af for med til den har de ikke om et var men jeg fra "
        "eller kan så ved blev",
        "pl": "i w na z że się nie do to jest o jak po co ale od za jego przez tak dla",
        "tr": "ve bir bu da de için ile olarak çok daha gibi olan ama en değil kadar sonra",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena ada",
    }.items()
}

#: Scripts that identify a language (or narrow it to one we report).
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\uac00-\ud7a3]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
#: Fewest letters to identify a language by its script, and by its function words.
MINIMUM_LETTERS = 12
MINIMUM_LATIN_LETTERS = 40

_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    """A detected language and why: the evidence as a short sentence."""

    language: str
    evidence: str


#: How many characters of a text :func:`detect_language` reads (the first ones).
DETECTION_SAMPLE_CHARS = 20000


def detect_language(text: str, *, minimum_words: int = 20) -> Detection | None:
    """The language of ``text``, or None when the text is too short or the result unclear."""
    sample = text[:DETECTION_SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < MINIMUM_LETTERS:
        return None
    for language, script in _SCRIPTS:
        count = len(script.findall(sample))
        if count / len(letters) > 0.3 or (language == "ja" and count / len(letters) > 0.05):
            if language == "ru" and len(_UKRAINIAN.findall(sample)) > count * 0.01:
                return Detection("uk", "Cyrillic script with Ukrainian letters")
            return Detection(language, f"{count} of {len(letters)} letters in its script")
    words = [word.lower() for word in _WORDS.findall(sample)]
    if len(letters) < MINIMUM_LATIN_LETTERS or len(words) < minimum_words:
        return None
    scores = {
        language: sum(1 for word in words if word in stopwords) / len(words)
        for language, stopwords in STOPWORDS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < 0.12 or best_score < second_score * 1.3:
        return None
    return Detection(
        best, f"{best_score:.0%} of {len(words)} words are common {best} function words"
    )


__all__ = ["DETECTION_SAMPLE_CHARS", "STOPWORDS", "Detection", "detect_language"]

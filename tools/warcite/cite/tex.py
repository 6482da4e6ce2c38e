"""BibTeX and biblatex entries.

biblatex (manual, section 2.1.1 and 2.2): ``@online`` with ``author``, ``title``,
``date`` (ISO 8601), ``organization`` (the site), ``url``, ``urldate`` (only when the
page was seen on the web: never invented for an imported copy), ``langid`` (a babel/polyglossia language name) and the
archived copy in ``addendum``.  Classic BibTeX (``btxdoc``): ``@misc`` with
``howpublished`` holding the URL and ``note`` the site, genre and archived copy.
Words whose capital sentence case keeps (proper nouns; every capital of a title in a
language warcite does not recase) are brace-protected, so that styles which change case
keep them.  Every value is one line with TeX's specials escaped and URLs percent-encoded:
no field can close its braces or inject a command.
"""

from __future__ import annotations

import re
import unicodedata

from warcite.cite.dates import BIBTEX_MONTHS
from warcite.cite.source import CitationSource, Name
from warcite.cite.titles import FUNCTION_WORDS

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_WORD_CORE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)

# BCP 47 primary language subtag -> babel/polyglossia name, for biblatex's langid.
BABEL_LANGUAGES = {
    "ar": "arabic",
    "cs": "czech",
    "da": "danish",
    "de": "ngerman",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "he": "hebrew",
    "hu": "magyar",
    "it": "italian",
    "ja": "japanese",
    "ko": "korean",
    "nb": "norsk",
    "nl": "dutch",
    "nn": "nynorsk",
    "pl": "polish",
    "pt": "portuguese",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
    "uk": "ukrainian",
    "zh": "chinese",
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Characters a URL keeps as they are in a .bib file: RFC 3986 unreserved and reserved
# characters, less the ones TeX or BibTeX give a meaning to ({ } \\ %, # ^ ~ are handled).
_URL_SAFE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?[]@!$&'()*+,;="
)


def escape(text: str) -> str:
    """``text`` on one line with TeX's special characters escaped: nothing in it can close
    the field's braces or run a command (``}\\input{...}`` stays text)."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return "".join(_TEX_SPECIAL.get(character, character) for character in text)


def safe_url(url: str) -> str:
    """``url`` with every character outside RFC 3986's sets percent-encoded (braces,
    backslashes, spaces, line breaks, non-ASCII): safe in a verbatim ``url`` field."""
    out = []
    for character in url:
        if character in _URL_SAFE or character == "%":
            out.append(character)
        else:
            out.extend(f"%{byte:02X}" for byte in character.encode("utf-8"))
    return "".join(out)


def _url_argument(url: str) -> str:
    """A URL as the argument of ``\\url{}`` inside a field: made safe, then ``%`` and ``#``
    escaped."""
    return safe_url(url).replace("%", r"\%").replace("#", r"\#")


def _needs_protection(core: str) -> bool:
    """Acronyms and words with inner capitals ("UN", "OpEdNews", "iPhone")."""
    return any(character.isupper() for character in core[1:])


def protect_title(title: str, sentence_case: str) -> str:
    """The title, TeX-escaped, with its proper nouns in braces: ``Why {North Korean} Elites``.

    A word is a proper noun when the sentence-case title keeps its capital after the
    first word of a sentence; acronyms and inner capitals are always protected.
    Consecutive protected words share one pair of braces.
    """
    words = title.split()
    cased = sentence_case.split()
    aligned = len(cased) == len(words) and all(
        a.lower() == b.lower() for a, b in zip(words, cased, strict=True)
    )
    pieces: list[tuple[str, str, str, bool]] = []
    sentence_start = True
    for index, word in enumerate(words):
        match = _WORD_CORE.match(word)
        assert match is not None
        lead, core, trail = match.groups()
        protect = _needs_protection(core)
        if aligned and not sentence_start and not protect:
            sentence_core = _WORD_CORE.match(cased[index])
            assert sentence_core is not None
            kept = sentence_core.group(2)
            protect = bool(kept[:1].isupper()) and kept.lower() not in FUNCTION_WORDS | {"i"}
        pieces.append((lead, core, trail, protect))
        sentence_start = bool(trail) and trail[-1] in ":?!."
    out: list[str] = []
    index = 0
    while index < len(pieces):
        lead, core, trail, protect = pieces[index]
        if not protect or not core:
            out.append(escape(lead + core + trail))
            index += 1
            continue
        run = [escape(core)]
        while not trail and index + 1 < len(pieces):
            next_lead, next_core, next_trail, next_protect = pieces[index + 1]
            if not next_protect or next_lead or not next_core:
                break
            run.append(escape(next_core))
            trail = next_trail
            index += 1
        out.append(f"{escape(lead)}{{{' '.join(run)}}}{escape(trail)}")
        index += 1
    return " ".join(out)


def bibtex_name(name: Name) -> str:
    """A name in BibTeX's "von Last, Jr, First" form; organisations in braces."""
    if name.literal is not None:
        return f"{{{escape(name.literal)}}}"
    family = escape(name.family_full)
    if " " in (name.family or "") and not name.particle:
        family = f"{{{family}}}"  # a multi-word family name ("Lloyd Webber") stays together
    parts = [family]
    if name.suffix:
        parts.append(escape(name.suffix))
    if name.given:
        parts.append(escape(name.given))
    return ", ".join(parts)


# Latin letters that Unicode does not decompose into a base letter and a mark, written as
# the languages that use them transliterate them (German ß -> ss, Danish/Norwegian ø -> o,
# Icelandic þ -> th, Polish ł -> l ...): without them a key loses the letter ("wei2021").
# Letters with marks (é, ü, ñ) decompose (NFKD) to their base letter.
TRANSLITERATIONS = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "Ħ": "H",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "ŀ": "l",
        "Ŀ": "L",
        "ŋ": "ng",
        "Ŋ": "NG",
        "ĸ": "q",
        "ſ": "s",
        "ŧ": "t",
        "Ŧ": "T",
        "ƀ": "b",
        "ɨ": "i",
        "ʉ": "u",
        "ɖ": "d",
        "ƒ": "f",
    }
)


def ascii_word(text: str) -> str:
    """``text`` as lowercase ASCII letters and digits for a citation key: letters that do
    not decompose transliterated (:data:`TRANSLITERATIONS`: "Weiß" -> "weiss", "Ødegård"
    -> "odegard"), marks dropped ("Müller" -> "muller"), anything else left out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(TRANSLITERATIONS))
    decomposed = decomposed.translate(TRANSLITERATIONS)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def entry_key(source: CitationSource) -> str:
    """A citation key: family name, year and first significant title word ("hyeon2016why").

    Falls back to the record's slug when the name or title has no ASCII letters.
    """
    who = ascii_word(source.authors[0].family_full.split()[-1]) if source.authors else ""
    year = str(source.issued.year) if source.issued else "nd"
    words = [ascii_word(word) for word in source.title.split()]
    words = [word for word in words if word and word not in {"a", "an", "the"}]
    if (source.authors and not who) or not words:
        fallback = source.id or source.record_id.split(":")[-1]
        return re.sub(r"[^A-Za-z0-9_.:-]", "", fallback) or "warcite"
    return f"{who}{year}{words[0]}"


def _render(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    lines = [f"@{entry_type}{{{key},"]
    for field_name, value in fields:
        lines.append(f"  {field_name} = {value},")
    lines.append("}")
    return "\n".join(lines)


def _archived_sentence(source: CitationSource) -> str:
    archived = source.archived
    location = (
        f"\\url{{{_url_argument(archived.url)}}}"
        if archived.url is not None
        else escape(archived.locator)
    )
    return f"Archived {archived.date.iso} in {escape(archived.archive_name)}: {location}"


def _braced(value: str) -> str:
    return f"{{{value}}}"


def biblatex(source: CitationSource) -> str:
    """A biblatex ``@online`` entry (biber backend; UTF-8 kept as is)."""
    fields = []
    if source.authors:
        fields.append(("author", _braced(" and ".join(bibtex_name(a) for a in source.authors))))
    fields.append(("title", _braced(protect_title(source.title, source.title_sentence_case))))
    if source.issued is not None:
        fields.append(("date", _braced(source.issued.iso)))
    if source.container_title:
        fields.append(("organization", _braced(escape(source.container_title))))
    if source.publisher and source.publisher != source.container_title:
        fields.append(("publisher", _braced(escape(source.publisher))))
    fields.append(("url", _braced(safe_url(source.url))))
    if source.accessed is not None:
        fields.append(("urldate", _braced(source.accessed.iso)))
    if source.language:
        primary = source.language.split("-")[0].lower()
        if primary in BABEL_LANGUAGES:
            fields.append(("langid", _braced(BABEL_LANGUAGES[primary])))
        else:
            fields.append(("language", _braced(escape(source.language))))
    if source.genre:
        fields.append(("note", _braced(escape(source.genre))))
    fields.append(("addendum", _braced(_archived_sentence(source))))
    if source.document_type is not None:  # a PDF: @report, @article or @online
        return biblatex_document(source, fields)
    return _render("online", entry_key(source), fields)


def biblatex_document(source: CitationSource, fields: list[tuple[str, str]]) -> str:
    """A document's biblatex entry (manual 2.1.1): ``@report`` with ``type`` (its genre) and
    ``institution`` (its publisher), ``@article`` with ``journaltitle``, else ``@online``;
    ``doi`` and ``isbn`` when known."""
    rename = {"organization": "institution"} if source.document_type == "report" else {}
    if source.document_type == "article-journal":
        rename = {"organization": "journaltitle"}
    kept = [(rename.get(name, name), value) for name, value in fields]
    if source.document_type != "document":  # the genre is the entry type (and report type)
        kept = [(name, value) for name, value in kept if name != "note"]
    if source.document_type == "report":
        kept.append(("type", _braced(escape(source.genre or "Report"))))
        only = source.authors[0] if len(source.authors) == 1 else None
        institution = source.publisher or (only.literal if only and only.is_organization else None)
        if not any(name == "institution" for name, _ in kept) and institution:
            kept.append(("institution", _braced(escape(institution))))
    if source.doi:
        kept.append(("doi", _braced(escape(source.doi))))
    if source.isbn:
        kept.append(("isbn", _braced(escape(source.isbn))))
    entry_type = {"report": "report", "article-journal": "article"}.get(
        source.document_type or "", "online"
    )
    return _render(entry_type, entry_key(source), kept)


def bibtex(source: CitationSource) -> str:
    """A classic BibTeX ``@misc`` entry: ``howpublished`` the URL, ``note`` the rest."""
    fields = []
    if source.authors:
        fields.append(("author", _braced(" and ".join(bibtex_name(a) for a in source.authors))))
    fields.append(("title", _braced(protect_title(source.title, source.title_sentence_case))))
    fields.append(("howpublished", _braced(f"\\url{{{_url_argument(source.url)}}}")))
    if source.issued is not None:
        fields.append(("year", _braced(str(source.issued.year))))
        if source.issued.month is not None:
            fields.append(("month", BIBTEX_MONTHS[source.issued.month - 1]))
    note = [escape(part) for part in (source.container_title, source.genre) if part]
    note_text = ", ".join(note)
    note_text = (
        f"{note_text}. {_archived_sentence(source)}" if note_text else _archived_sentence(source)
    )
    fields.append(("note", _braced(note_text)))
    if source.document_type in ("report", "article-journal"):  # a PDF: btxdoc's own types
        return bibtex_document(source, fields)
    return _render("misc", entry_key(source), fields)


def bibtex_document(source: CitationSource, fields: list[tuple[str, str]]) -> str:
    """A document's classic BibTeX entry (btxdoc): ``@techreport`` with ``institution`` and
    ``type`` (its genre), or ``@article`` with ``journal``; the URL and the archived copy in
    ``note`` (btxdoc's types have no url field), ``doi`` when known."""
    kept = [(name, value) for name, value in fields if name not in ("howpublished", "note")]
    url = f"\\url{{{_url_argument(source.url)}}}"
    if source.document_type == "report":
        only = source.authors[0] if len(source.authors) == 1 else None
        institution = source.publisher or (only.literal if only and only.is_organization else None)
        if institution:
            kept.append(("institution", _braced(escape(institution))))
        kept.append(("type", _braced(escape(source.genre or "Report"))))
        entry_type = "techreport"
    else:
        kept.append(("journal", _braced(escape(source.container_title or ""))))
        entry_type = "article"
    if source.doi:
        kept.append(("doi", _braced(escape(source.doi))))
    kept.append(("note", _braced(f"{url}. {_archived_sentence(source)}")))
    return _render(entry_type, entry_key(source), kept)


__all__ = [
    "BABEL_LANGUAGES",
    "TRANSLITERATIONS",
    "ascii_word",
    "biblatex",
    "biblatex_document",
    "bibtex",
    "bibtex_document",
    "bibtex_name",
    "entry_key",
    "escape",
    "protect_title",
    "safe_url",
]

"""What a citation needs from a record, read once from the record's JSON.

:func:`citation_source` is the only place in the citation code that knows the
record's JSON shape (docs/record-format.md); every style works from the frozen
:class:`CitationSource` it returns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from warcite.cite import titles
from warcite.cite.document_types import document_type, is_document_record
from warcite.core.config import Config
from warcite.core.errors import RecordError

_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s]*@")

# Genres (as extraction names them, or schema.org article types) of articles in
# periodicals: news and opinion pieces.  Evidence for the CSL type "article-newspaper",
# RIS "NEWS" and an italic site name in Chicago; anything else is a web page.
PERIODICAL_GENRES = frozenset(
    {
        "op-ed",
        "opinion",
        "editorial",
        "column",
        "commentary",
        "letter to the editor",
        "analysis",
        "news",
        "news article",
        "newsarticle",
        "opinionnewsarticle",
        "analysisnewsarticle",
        "reportagenewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
    }
)

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|T)")
_WARC_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$")

# Scripts whose personal names are written family name first with no space and no
# inversion (Han, Hiragana, Katakana, Hangul); initials make no sense in them.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff"
    "\U00020000-\U0002fa1f]"
)


@dataclass(frozen=True)
class Name:
    """One author, as citations print it.

    A person has ``family`` and usually ``given``; an organisation or a single name
    (mononym) has only ``literal``.  ``particle`` is a non-dropping particle ("van",
    "de la") printed with the family name; ``name_order`` is the record's
    ("family-first", "given-first" or "single").
    """

    family: str | None = None
    given: str | None = None
    literal: str | None = None
    particle: str | None = None
    suffix: str | None = None
    name_order: str = "given-first"
    is_organization: bool = False

    @property
    def family_full(self) -> str:
        """The family name with its particle ("van Gogh"), or the literal name."""
        if self.literal is not None:
            return self.literal
        family = self.family or ""
        if self.particle and not family.lower().startswith(self.particle.lower() + " "):
            return f"{self.particle} {family}"
        return family

    @property
    def is_cjk(self) -> bool:
        """True for a name written in Han, Kana or Hangul: printed "FamilyGiven", uninverted."""
        return self.literal is None and bool(_CJK.search((self.family or "") + (self.given or "")))

    @property
    def sort_key(self) -> str:
        return (self.family or self.literal or "").casefold()


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """ISO 8601 at the known precision: "2016", "2016-08" or "2016-08-29"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def parts(self) -> list[int]:
        """CSL date-parts: [year], [year, month] or [year, month, day]."""
        return [p for p in (self.year, self.month, self.day) if p is not None]


@dataclass(frozen=True)
class ArchivedCopy:
    """The copy being cited: which archive holds it, when it was made, where to find it.

    ``url`` is the replay URL when the archive has a replay base, else None and the
    copy is located by ``warc_path`` and ``warc_record_id`` (without angle brackets).
    """

    archive_name: str
    date: PartialDate
    timestamp: str  # the 14-digit WARC-Date, yyyymmddHHMMSS
    warc_path: str
    warc_record_id: str
    url: str | None = None

    @property
    def locator(self) -> str:
        """The replay URL, or "<WARC path>, WARC record <record ID>" without one."""
        if self.url is not None:
            return self.url
        return f"{self.warc_path}, WARC record {self.warc_record_id}"


@dataclass(frozen=True)
class CitationSource:
    """Everything the styles print, taken from one record."""

    id: str  # the record's slug
    record_id: str
    title: str
    title_sentence_case: str  # stored by extraction, else derived (titles.sentence_case)
    authors: tuple[Name, ...]
    issued: PartialDate | None
    container_title: str | None
    publisher: str | None
    genre: str | None
    language: str | None  # BCP 47
    url: str  # the original URL (any user:password@ removed)
    archived: ArchivedCopy
    accessed: PartialDate | None = None  # when the page was seen on the web, if known
    periodical: bool = False  # the evidence says: an article in a news or opinion periodical
    document_type: str | None = None  # a PDF record: report, article-journal or document
    doi: str | None = None  # documents: a DOI printed in or declared by the document
    isbn: str | None = None
    page_count: int | None = None
    page_labels: tuple[str, ...] | None = None  # the pages' printed numbers, when not 1..N


def citation_source(
    record: Mapping[str, Any], *, config: Config, text: str | None = None
) -> CitationSource:
    """Read what citations need from a record dict (docs/record-format.md).

    ``config`` gives the archive's name and replay base.  ``text``, the record's clean
    text, helps derive a sentence-case title when the record does not store one.
    Raises RecordError naming the JSON path when a field a citation cannot do without
    is missing or malformed.
    """
    where = f"record {record.get('id') or record.get('record_id') or '(no id)'}"
    work = _mapping(record, "work", where, "$")
    capture = _mapping(record, "capture", where, "$")
    warc = _mapping(capture, "warc", where, "$.capture")

    title = _evidence_value(work.get("title"))
    if not title:
        raise RecordError(f"{where}: $.work.title has no value; a citation needs a title")
    sentence_case = None
    if isinstance(work.get("title"), Mapping):
        stored = work["title"].get("sentence_case")
        sentence_case = stored if isinstance(stored, str) and stored.strip() else None

    url = work.get("url") or capture.get("final_uri")
    if not isinstance(url, str) or not url:
        raise RecordError(f"{where}: $.work.url is missing; a citation needs the original URL")
    url = without_credentials(url)
    language = _evidence_value(work.get("language"))

    authors_data = work.get("authors") or []
    if not isinstance(authors_data, list):
        raise RecordError(f"{where}: $.work.authors must be a list")
    authors = tuple(
        _name(author, f"{where}: $.work.authors[{index}]", language)
        for index, author in enumerate(authors_data)
    )

    published = _evidence_value(work.get("published"))
    issued = _partial_date(published, f"{where}: $.work.published.value") if published else None

    warc_date = warc.get("date") or capture.get("ingested_at")
    match = _WARC_DATE.match(warc_date) if isinstance(warc_date, str) else None
    if match is None:
        raise RecordError(
            f"{where}: $.capture.warc.date must be a UTC date-time like 2026-11-26T12:00:00Z, "
            f"not {warc_date!r}"
        )
    timestamp = "".join(match.groups())
    warc_record_id = str(warc.get("record_id") or "").strip("<>")
    warc_path = str(warc.get("path") or "")
    if not warc_record_id or not warc_path:
        raise RecordError(f"{where}: $.capture.warc needs 'path' and 'record_id'")
    target = capture.get("target_uri")
    replay_target = without_credentials(target) if isinstance(target, str) and target else url
    archived = ArchivedCopy(
        archive_name=config.archive_name,
        date=PartialDate(int(match[1]), int(match[2]), int(match[3])),
        timestamp=timestamp,
        warc_path=warc_path,
        warc_record_id=warc_record_id,
        url=f"{config.replay_base}/{timestamp}/{replay_target}" if config.replay_base else None,
    )

    container = work.get("container_title")
    publisher = _evidence_value(work.get("publisher"))
    observed = capture.get("observed_at")
    accessed = None
    if isinstance(observed, str) and observed:
        accessed = _partial_date(observed[:10], f"{where}: $.capture.observed_at")
    genre = _evidence_value(work.get("genre"))
    return CitationSource(
        id=str(record.get("id") or ""),
        record_id=str(record.get("record_id") or ""),
        title=" ".join(title.split()),
        title_sentence_case=" ".join(sentence_case.split())
        if sentence_case
        else titles.sentence_case(
            " ".join(title.split()),
            context=text,
            language=language,
            names=_metadata_names(authors, _evidence_value(container), publisher),
        ),
        authors=authors,
        issued=issued,
        container_title=_evidence_value(container) or publisher,
        publisher=publisher,
        genre=genre,
        language=language,
        url=url,
        archived=archived,
        accessed=accessed,
        periodical=is_periodical(work),
        **_document_fields(record, genre),
    )


def _metadata_names(
    authors: tuple[Name, ...], container: str | None, publisher: str | None
) -> list[str]:
    """The record's named entities, as :func:`titles.sentence_case` weighs them."""
    names = [container or "", publisher or ""]
    for name in authors:
        names += [name.literal or "", name.family_full]
        if name.given:
            names.append(f"{name.given} {name.family_full}")
    return [name for name in names if name]


_NEWS_ARTICLE_TYPE = re.compile(r"@type\s+\w*NewsArticle\b")


def is_periodical(work: Mapping[str, Any]) -> bool:
    """True when the record's evidence says the work is an article of a news or opinion
    periodical: its genre is one of :data:`PERIODICAL_GENRES`, or its genre, or any
    genre candidate, comes from a schema.org ``NewsArticle`` type or subtype
    (``ReportageNewsArticle``, ``ReviewNewsArticle`` -> genre "Review", ...)."""
    genre = work.get("genre")
    value = _evidence_value(genre)
    if value is not None and value.casefold() in PERIODICAL_GENRES:
        return True
    candidates = work.get("candidates")
    found = candidates.get("genre") if isinstance(candidates, Mapping) else None
    evidence = [genre, *(found if isinstance(found, list) else [])]
    return any(
        isinstance(item, Mapping)
        and isinstance(item.get("raw"), str)
        and _NEWS_ARTICLE_TYPE.search(item["raw"]) is not None
        for item in evidence
    )


def _document_fields(record: Mapping[str, Any], genre: str | None) -> dict[str, Any]:
    """The fields only documents (PDF records) have: CSL type, DOI, ISBN, page count."""
    work, text = record.get("work"), record.get("text")
    if not is_document_record(record.get("capture"), text):
        return {}
    pages = text.get("pages") if isinstance(text, Mapping) else None
    count = pages.get("count") if isinstance(pages, Mapping) else None
    labels = pages.get("labels") if isinstance(pages, Mapping) else None
    return {
        "document_type": document_type(genre),
        "doi": _evidence_value(work.get("doi")) if isinstance(work, Mapping) else None,
        "isbn": _evidence_value(work.get("isbn")) if isinstance(work, Mapping) else None,
        "page_count": count if isinstance(count, int) else None,
        "page_labels": tuple(labels) if isinstance(labels, list) and labels else None,
    }


def without_credentials(url: str) -> str:
    """``url`` without a ``user:password@`` part (also inside ``urn:transcript:<URL>``):
    credentials are never written into a citation."""
    return _USERINFO.sub(r"\1", url)


def _mapping(parent: Mapping[str, Any], key: str, where: str, path: str) -> Mapping[str, Any]:
    value = parent.get(key)
    if not isinstance(value, Mapping):
        raise RecordError(f"{where}: {path}.{key} is missing or not an object")
    return value


def _evidence_value(value: object) -> str | None:
    """The value of an evidence object ({"value": ...}), or of a plain string; else None."""
    if isinstance(value, Mapping):
        value = value.get("value")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _partial_date(value: str, where: str) -> PartialDate:
    match = _ISO_DATE.match(value)
    if match is None:
        raise RecordError(f"{where}: {value!r} is not an ISO 8601 date")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise RecordError(f"{where}: {value!r} is not a valid date")
    return PartialDate(year, month, day)


def _clean(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _name(author: object, where: str, language: str | None = None) -> Name:
    if not isinstance(author, Mapping):
        raise RecordError(f"{where} must be an object")
    family, given = _clean(author.get("family")), _clean(author.get("given"))
    order = author.get("name_order") or "given-first"
    is_organization = author.get("type") == "organization"
    if is_organization or family is None:
        literal = _clean(author.get("name")) or family or given
        if literal is None:
            raise RecordError(f"{where} has neither a name nor a family name")
        return Name(literal=literal, name_order="single", is_organization=is_organization)
    particle = _clean(author.get("particle"))
    if (
        language
        and language.split("-")[0].lower() == "es"
        and order == "given-first"
        and given
        and not particle
        and not author.get("name_note")  # the record's split rests on the page's evidence
    ):
        given, family = spanish_name(given, family)
    return Name(
        family=family,
        given=given,
        particle=particle,
        suffix=_clean(author.get("suffix")),
        name_order=str(order),
    )


# Given names that often form the second part of a compound Spanish given name
# ("María José", "José Luis", "Juan Carlos"): with them, the third word is the surname.
SPANISH_SECOND_GIVEN_NAMES = frozenset(
    [
        "josé",
        "jose",
        "luis",
        "carlos",
        "antonio",
        "manuel",
        "ángel",
        "angel",
        "maría",
        "maria",
        "isabel",
        "teresa",
        "pilar",
        "carmen",
        "elena",
        "jesús",
        "jesus",
        "miguel",
        "javier",
        "eugenia",
        "fernanda",
        "francisco",
        "ignacio",
        "pablo",
        "pedro",
        "ramón",
        "ramon",
        "andrés",
        "andres",
        "alberto",
        "enrique",
        "eduardo",
        "fernando",
        "rafael",
        "josé-maría",
        "dolores",
        "lourdes",
        "victoria",
        "cristina",
        "luisa",
        "paz",
        "rosa",
        "mercedes",
        "concepción",
        "inés",
        "ines",
    ]
)
_SPANISH_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "i"})


def spanish_name(given: str, family: str) -> tuple[str, str]:
    """A Spanish name split as the convention has it: given name(s), then the paternal
    and the maternal surname, both the family name ("María García López": given "María",
    family "García López"; "José Luis Rodríguez Zapatero").

    Applied when a record of a Spanish work splits a given-first name after its last
    word; a compound given name is recognised by a common second given name ("María
    José López" keeps family "López").  Returns (given, family).
    """
    words = given.split()
    if len(words) < 2 or " " in family:
        return given, family
    # the family name already has two parts when the given part ends in a particle
    # ("Juan de la" + "Cierva") or holds "y": leave such names as the record has them
    if any(word.casefold() in _SPANISH_PARTICLES for word in words[1:]):
        return given, family
    given_words = 2 if words[1].casefold() in SPANISH_SECOND_GIVEN_NAMES else 1
    if len(words) <= given_words:
        return given, family
    return " ".join(words[:given_words]), " ".join([*words[given_words:], family])


__all__ = [
    "PERIODICAL_GENRES",
    "ArchivedCopy",
    "CitationSource",
    "Name",
    "PartialDate",
    "citation_source",
    "is_periodical",
    "spanish_name",
    "without_credentials",
]

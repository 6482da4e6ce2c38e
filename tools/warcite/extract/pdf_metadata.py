"""A PDF's metadata with evidence: XMP, then the document information dictionary, then the
first page's layout.

Each value is a :class:`~warcite.core.models.Field` with its source and every candidate seen:

=================  =======================================================================
source             where
=================  =======================================================================
``xmp:dc:title``   the XMP packet (``dc:title``, ``dc:creator``, ``dc:publisher``,
                   ``xmp:CreateDate``, ``dc:date``, ``prism:doi``, ...)
``pdf-info:Title`` the document information dictionary (``Title``, ``Author``,
                   ``CreationDate``, ``ModDate``, ``Subject``, ``Keywords``)
``pdf:largest``    the line(s) in the largest type on page 1 (the title)
``pdf:byline``     a "By ..." line, or a line of names under the title
``pdf:dateline``   a line of page 1 that is a date alone ("September 15, 2022", "June 2020")
``pdf:imprint``    a "Published by ..." line
``pdf:text``       a DOI or ISBN printed in the first pages, a document type ("Working
                   Paper", "Policy Brief"), a journal line ("Journal of ..., Vol. 12")
=================  =======================================================================

Title, authors and publisher follow that precedence (XMP, information dictionary, layout),
skipping placeholders that word processors write ("untitled.docx", "Microsoft Word -
...", "admin").  For the date a date printed on the first page comes first: the file's
creation date (XMP or information dictionary) says when the file was written, which a
conversion or a re-export changes, and is used only when the page prints none.

The genre names what the document is ("Report", "Working paper", "Policy brief",
"Journal article"); the citation's CSL type follows it (``report``, ``article-journal``,
otherwise ``document``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from warcite.core.models import Evidence, Field, Headers, Person
from warcite.extract import names
from warcite.extract.dates import parse_date
from warcite.extract.language import detect_language
from warcite.extract.pdf import PdfBlock, PdfLayout, PdfLine, normalize_pdf_text

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
_PLACEHOLDER_TITLE = re.compile(
    r"(?:\.(?:docx?|pdf|odt|rtf|indd|tex|pptx?|xlsx?|qxd|pages)$|^untitled\b|^microsoft "
    r"(?:word|powerpoint)\b|^slide \d+$|^document\d*$|^\W*$|^pdf$)",
    re.IGNORECASE,
)
_PLACEHOLDER_AUTHOR = re.compile(
    r"^(?:admin(?:istrator)?|user|owner|author|unknown|microsoft office user|"
    r"windows user|default|[a-z]{1,3}\d*|\W*)$",
    re.IGNORECASE,
)
DOI_PATTERN = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")
ISBN_PATTERN = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx])\b")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|автор[ы]?:?)\s+(.+)$", re.IGNORECASE)
_IMPRINT = re.compile(
    r"^(?:published by|publisher:|herausgegeben von|©\s*\d{4},?)\s+(.+)$", re.IGNORECASE
)
_JOURNAL = re.compile(
    r"^(?P<journal>(?:The\s+)?(?:[A-Z][\w&'-]*\s+){0,6}?(?:Journal|Review|Quarterly|Annals|"
    r"Proceedings|Bulletin|Letters)\b[^,]*?),\s*(?:Vol(?:ume|\.)?\s*\d+)",
)
GENRES = (
    (re.compile(r"\bworking paper\b", re.I), "Working paper"),
    (re.compile(r"\bdiscussion paper\b", re.I), "Discussion paper"),
    (re.compile(r"\bpolicy brief\b", re.I), "Policy brief"),
    (re.compile(r"\btechnical report\b", re.I), "Technical report"),
    (re.compile(r"\bresearch report\b", re.I), "Report"),
    (re.compile(r"^(?:annual |final |interim )?report\b", re.I), "Report"),
)
"""Page-1 lines naming what kind of document this is, and the genre recorded."""

REPORT_GENRES = frozenset(
    g.casefold()
    for g in ("Working paper", "Discussion paper", "Policy brief", "Technical report", "Report")
)


@dataclass(frozen=True)
class PdfMetadata:
    title: Field | None = None
    authors: tuple[Person, ...] = ()
    published: Field | None = None
    modified: Field | None = None
    publisher: Field | None = None
    genre: Field | None = None
    language: Field | None = None
    description: Field | None = None
    keywords: tuple[str, ...] = ()
    container_title: str | None = None
    doi: Field | None = None
    isbn: Field | None = None
    warnings: tuple[str, ...] = ()


def _field(candidates: Sequence[Evidence]) -> Field | None:
    if not candidates:
        return None
    first = candidates[0]
    return Field(first.value, first.source, first.raw, first.note, tuple(candidates))


def parse_xmp(packet: str | None) -> dict[str, list[str]]:
    """The Dublin Core, XMP and PRISM values of an XMP packet (name -> values in order)."""
    if not packet:
        return {}
    start = packet.find("<x:xmpmeta")
    if start < 0:
        start = packet.find("<rdf:RDF")
    end_tag = "</x:xmpmeta>" if "</x:xmpmeta>" in packet else "</rdf:RDF>"
    end = packet.find(end_tag)
    if start < 0 or end < 0:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(packet[start : end + len(end_tag)].encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return {}
    values: dict[str, list[str]] = {}
    for prefix, name in (
        ("dc", "title"),
        ("dc", "creator"),
        ("dc", "publisher"),
        ("dc", "date"),
        ("dc", "description"),
        ("dc", "subject"),
        ("dc", "language"),
        ("xmp", "CreateDate"),
        ("xmp", "ModifyDate"),
        ("prism", "doi"),
        ("prism", "publicationName"),
        ("pdf", "Keywords"),
    ):
        key = f"{prefix}:{name}"
        for element in root.iter(f"{{{_NS[prefix]}}}{name}"):
            items = element.findall(".//rdf:li", _NS)
            texts = [item.text for item in items] if items else [element.text]
            values.setdefault(key, []).extend(" ".join(t.split()) for t in texts if t and t.strip())
        for description in root.iter(f"{{{_NS['rdf']}}}Description"):  # attribute form
            attribute = description.get(f"{{{_NS[prefix]}}}{name}")
            if attribute and attribute.strip():
                values.setdefault(key, []).append(" ".join(attribute.split()))
    return values


def pdf_date(value: str) -> str | None:
    """A PDF date string (``D:20230514090000+02'00'``) or an ISO 8601 one as ISO 8601."""
    match = re.match(
        r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?",
        value.strip(),
    )
    if match and not re.match(r"^\d{4}-", value.strip()):
        year, month, day = match.group(1), match.group(2), match.group(3)
        if month and day and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return f"{year}-{month}-{day}"
        if month and 1 <= int(month) <= 12:
            return f"{year}-{month}"
        return year
    parsed = parse_date(value)
    return parsed.value[:10] if parsed else None


_MONTH_YEAR = re.compile(
    r"^(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+(\d{4})$",
    re.IGNORECASE,
)
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]  # fmt: skip


def date_line(text: str) -> str | None:
    """The ISO date of a line that is a date and nothing else, or None."""
    text = " ".join(text.split()).strip(" .,")
    if not text or len(text) > 40:
        return None
    month_year = _MONTH_YEAR.match(text)
    if month_year:
        prefix = month_year.group(1).lower()[:3]
        month = next(i for i, name in enumerate(_MONTHS, start=1) if name.startswith(prefix))
        return f"{month_year.group(2)}-{month:02d}"
    parsed = parse_date(text)
    if parsed is None or not re.match(r"^\d{4}-\d{2}-\d{2}", parsed.value):
        return None
    # the whole line must be the date: no other words beside it
    if len(re.sub(r"[\W\d_]+", " ", parsed.raw).split()) < len(
        re.sub(r"[\W\d_]+", " ", text).split()
    ):
        return None
    return parsed.value[:10]


def _split_authors(value: str) -> list[str]:
    value = " ".join(value.split())
    if ";" in value:
        parts = value.split(";")
    else:
        parts = re.split(r",\s*(?:and\s+)?|\s+(?:and|&|und|et|и|και)\s+", value)
        # "Keller, Maria" (one inverted name) is not two authors
        if len(parts) == 2 and "," in value and all(len(p.split()) == 1 for p in parts):
            parts = [f"{parts[1]} {parts[0]}"]
    return [part.strip() for part in parts if part.strip()]


def _page_one_lines(layout: PdfLayout) -> list[PdfLine]:
    if not layout.pages:
        return []
    page = layout.pages[0]
    return sorted(page.lines, key=lambda line: (-line.y1, line.x0))


def _largest_type(layout: PdfLayout) -> tuple[str, float] | None:
    lines = [line for line in _page_one_lines(layout) if len(line.text.strip()) > 2]
    if not lines:
        return None
    page = layout.pages[0]
    upper = [line for line in lines if line.y1 > page.height * 0.4] or lines
    largest = max(line.size for line in upper)
    body = sorted(line.size for line in lines)[len(lines) // 2]
    if largest < body * 1.15:
        return None
    chosen = [line for line in upper if abs(line.size - largest) < 0.5]
    first = chosen[0]
    title_lines = [first]
    for line in chosen[1:]:  # a title set on consecutive lines
        if title_lines[-1].y0 - line.y1 < largest * 1.2:
            title_lines.append(line)
    text = normalize_pdf_text(" ".join(line.text for line in title_lines))
    return text, title_lines[-1].y0


def _valid_title(value: str) -> bool:
    return 3 <= len(value) <= 400 and not _PLACEHOLDER_TITLE.search(value.strip())


def pdf_metadata(
    layout: PdfLayout,
    blocks: Sequence[PdfBlock],
    *,
    url: str | None = None,
    headers: Headers = (),
) -> PdfMetadata:
    """Title, authors, dates, publisher, genre, language, DOI and ISBN with their evidence."""
    xmp = parse_xmp(layout.xmp)
    info = layout.info
    warnings: list[str] = []
    first_pages_text = "\n".join(block.text for block in blocks if block.pages[0] <= 2)
    # short blocks of page 1: a byline, a date line, "Working Paper 12", a journal line
    page_one_blocks = [
        block.text for block in blocks[:40] if block.pages[0] == 1 and len(block.text) <= 160
    ]

    # ------------------------------------------------------------------ title
    titles: list[Evidence] = []
    for value in xmp.get("dc:title", [])[:1]:
        titles.append(Evidence(value, "xmp:dc:title", value))
    if info.get("Title"):
        titles.append(Evidence(" ".join(info["Title"].split()), "pdf-info:Title", info["Title"]))
    largest = _largest_type(layout)
    if largest is not None:
        titles.append(Evidence(largest[0], "pdf:largest", largest[0]))
    usable = [e for e in titles if _valid_title(e.value)]
    for rejected in (e for e in titles if not _valid_title(e.value)):
        warnings.append(f"title {rejected.raw!r} ({rejected.source}) looks like a placeholder")
    title = _field(usable + [e for e in titles if e not in usable])
    if title is not None and not _valid_title(title.value):
        title = None

    # ------------------------------------------------------------------ authors
    candidates: list[names.NameCandidate] = []
    sources: list[tuple[str, list[str]]] = [
        ("xmp:dc:creator", xmp.get("dc:creator", [])),
        ("pdf-info:Author", _split_authors(info["Author"]) if info.get("Author") else []),
    ]
    byline: list[str] = []
    for text in page_one_blocks[:12]:
        match = _BYLINE.match(text)
        if match:
            byline = _split_authors(match.group(1))
            break
    sources.append(("pdf:byline", byline))
    for source, found in sources:
        usable_names = [n for n in found if not _PLACEHOLDER_AUTHOR.match(n.strip())]
        if usable_names:  # the first source that names authors decides who they are
            candidates.extend(names.NameCandidate(n, source) for n in usable_names)
            for later_source, later in sources:
                if later_source != source:
                    candidates.extend(
                        names.NameCandidate(n, later_source, supporting=True)
                        for n in later
                        if not _PLACEHOLDER_AUTHOR.match(n.strip())
                    )
            break
    authors = names.merge_people(candidates) if candidates else ()

    # ------------------------------------------------------------------ dates
    dates: list[Evidence] = []
    day: str | None
    for text in page_one_blocks[:20]:
        day = date_line(text)
        if day:
            dates.append(Evidence(day, "pdf:dateline", text))
            break
    for key in ("xmp:CreateDate", "dc:date"):
        for raw in xmp.get(key, [])[:1]:
            day = pdf_date(raw)
            if day:
                dates.append(Evidence(day, f"xmp:{key.split(':')[1]}", raw))
    if info.get("CreationDate"):
        day = pdf_date(info["CreationDate"])
        if day:
            dates.append(Evidence(day, "pdf-info:CreationDate", info["CreationDate"]))
    published = _field(dates)
    modified = None
    for where, raw in [
        *(("xmp:ModifyDate", value) for value in xmp.get("xmp:ModifyDate", [])[:1]),
        ("pdf-info:ModDate", info.get("ModDate") or ""),
    ]:
        day = pdf_date(raw) if raw else None
        if day:
            modified = _field([Evidence(day, where, raw)])
            break

    # ------------------------------------------------------------------ publisher
    publishers: list[Evidence] = [
        Evidence(value, "xmp:dc:publisher", value) for value in xmp.get("dc:publisher", [])[:1]
    ]
    for key in ("Company", "Publisher"):
        if info.get(key):
            publishers.append(Evidence(info[key].strip(), f"pdf-info:{key}", info[key]))
    for text in page_one_blocks:
        match = _IMPRINT.match(text)
        if match:
            publishers.append(Evidence(match.group(1).strip(" ."), "pdf:imprint", text))
            break
    publisher = _field(publishers)

    # ------------------------------------------------------------------ genre, journal
    genres: list[Evidence] = []
    container_title = None
    for text in page_one_blocks:
        journal = _JOURNAL.match(text)
        if journal and container_title is None:
            container_title = journal.group("journal").strip()
            genres.append(Evidence("Journal article", "pdf:text", text))
    short_lines = [text for text in page_one_blocks if len(text.split()) <= 8]
    for pattern, genre_name in GENRES:
        for text in short_lines:
            if pattern.search(text) and not any(e.value == genre_name for e in genres):
                genres.append(Evidence(genre_name, "pdf:text", text))
                break
    if not container_title:
        for value in xmp.get("prism:publicationName", [])[:1]:
            container_title = value
            genres.append(Evidence("Journal article", "xmp:prism:publicationName", value))
    genre = _field(genres)

    # ------------------------------------------------------------------ identifiers
    dois: list[Evidence] = [
        Evidence(v.removeprefix("doi:"), "xmp:prism:doi", v) for v in xmp.get("prism:doi", [])[:1]
    ]
    for match in DOI_PATTERN.finditer(first_pages_text):
        dois.append(Evidence(match.group(1), "pdf:text", match.group(0)))
        break
    isbns: list[Evidence] = []
    for match in ISBN_PATTERN.finditer(first_pages_text):
        digits = re.sub(r"[^\dXx]", "", match.group(1)).upper()
        if valid_isbn(digits):
            isbns.append(Evidence(match.group(1).strip(), "pdf:text", match.group(0)))
            break

    # ------------------------------------------------------------------ language, description
    languages: list[Evidence] = [
        Evidence(value, "xmp:dc:language", value) for value in xmp.get("dc:language", [])[:1]
    ]
    detection = detect_language(" ".join(block.text for block in blocks[:40]))
    if detection is not None:
        languages.append(Evidence(detection.language, "detection", detection.evidence))
    descriptions: list[Evidence] = [
        Evidence(value, "xmp:dc:description", value) for value in xmp.get("dc:description", [])[:1]
    ]
    if info.get("Subject"):
        descriptions.append(Evidence(info["Subject"].strip(), "pdf-info:Subject", info["Subject"]))
    keywords_raw = info.get("Keywords") or ", ".join(xmp.get("pdf:Keywords", []))
    keywords = tuple(k.strip() for k in re.split(r"[;,]", keywords_raw) if k.strip())
    return PdfMetadata(
        title=title,
        authors=authors,
        published=published,
        modified=modified,
        publisher=publisher,
        genre=genre,
        language=_field(languages),
        description=_field(descriptions),
        keywords=keywords,
        container_title=container_title,
        doi=_field(dois),
        isbn=_field(isbns),
        warnings=tuple(warnings),
    )


def valid_isbn(digits: str) -> bool:
    """True for an ISBN-10 or ISBN-13 whose check digit is right."""
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        return (10 - total % 10) % 10 == int(digits[12])
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
        check = 10 if digits[9] == "X" else int(digits[9]) if digits[9].isdigit() else -1
        return (total + check) % 11 == 0
    return False


__all__ = [
    "DOI_PATTERN",
    "GENRES",
    "ISBN_PATTERN",
    "REPORT_GENRES",
    "PdfMetadata",
    "date_line",
    "parse_xmp",
    "pdf_date",
    "pdf_metadata",
    "valid_isbn",
]

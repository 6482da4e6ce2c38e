"""RIS, the tagged format read by reference managers (RIS specification, Research
Information Systems; tags as Zotero, EndNote and rispy read them).

One ``TAG  - value`` line per field, ending with ``ER  - ``.  Type ``NEWS`` for an
article of a news or opinion periodical (the record's genre says so; CSL type
``article-newspaper``), ``ELEC`` for any other web page (CSL ``webpage``).  ``Y2``, the
access date, only when the page was seen on the web.  A value can never start another
line: line breaks and control characters in it become spaces.
"""

from __future__ import annotations

import re

from warcite.cite.dates import ris_date
from warcite.cite.source import CitationSource, Name

_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def ris_value(value: str) -> str:
    """A value on one line: line breaks and other control characters become one space."""
    return " ".join(_LINE_BREAKS.sub(" ", value).split())


def ris_name(name: Name) -> str:
    """``Family, Given[, Suffix]``; organisations and single names as written."""
    if name.literal is not None:
        return name.literal
    parts = [name.family_full] + [part for part in (name.given, name.suffix) if part]
    return ", ".join(parts)


RIS_DOCUMENT_TYPES = {"report": "RPRT", "article-journal": "JOUR", "document": "GEN"}
"""RIS types of documents (PDF records), by CSL type."""


def ris(source: CitationSource) -> str:
    """The RIS record for the archived copy of the work."""
    kind = RIS_DOCUMENT_TYPES.get(source.document_type or "")  # a PDF: RPRT, JOUR, GEN
    lines = [("TY", kind or ("NEWS" if source.periodical else "ELEC"))]
    lines += [("AU", ris_name(author)) for author in source.authors]
    lines.append(("TI", source.title))
    if source.container_title:
        lines.append(("T2", source.container_title))
    if source.publisher and source.publisher != source.container_title:
        lines.append(("PB", source.publisher))
    if source.issued is not None:
        lines.append(("DA", ris_date(source.issued)))
        lines.append(("PY", str(source.issued.year)))
    lines.append(("UR", source.url))
    if source.doi:  # documents (PDF records)
        lines.append(("DO", source.doi))
    if source.isbn:
        lines.append(("SN", source.isbn))
    if source.accessed is not None:
        lines.append(("Y2", ris_date(source.accessed)))
    if source.genre:
        lines.append(("M3", source.genre))
    lines.append(("DB", source.archived.archive_name))
    lines.append(("AN", source.archived.locator))
    if source.language:
        lines.append(("LA", source.language))
    lines.append(("ER", ""))
    return "\n".join(
        f"{tag}  - {ris_value(value)}".rstrip(" ") + (" " if tag == "ER" else "")
        for tag, value in lines
    )


__all__ = ["RIS_DOCUMENT_TYPES", "ris", "ris_name", "ris_value"]

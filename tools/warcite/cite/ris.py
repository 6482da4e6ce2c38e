"""RIS, the tagged format read by reference managers (RIS specification, Research
Information Systems; tags as Zotero, EndNote and rispy read them).

One ``TAG  - value`` line per field, ending with ``ER  - ``.  Type ``NEWS`` for
articles on news and opinion sites (a known genre or a site name), ``ELEC`` for
other web pages.
"""

from __future__ import annotations

from warcite.cite.dates import ris_date
from warcite.cite.source import CitationSource, Name

NEWS_GENRES = frozenset(
    {"op-ed", "opinion", "editorial", "column", "news", "article", "news article", "commentary"}
)


def ris_name(name: Name) -> str:
    """``Family, Given[, Suffix]``; organisations and single names as written."""
    if name.literal is not None:
        return name.literal
    parts = [name.family_full] + [part for part in (name.given, name.suffix) if part]
    return ", ".join(parts)


def ris(source: CitationSource) -> str:
    """The RIS record for the archived copy of the work."""
    genre = (source.genre or "").casefold()
    kind = "NEWS" if genre in NEWS_GENRES or (not genre and source.container_title) else "ELEC"
    lines = [("TY", kind)]
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
    lines.append(("Y2", ris_date(source.archived.date)))
    if source.genre:
        lines.append(("M3", source.genre))
    lines.append(("DB", source.archived.archive_name))
    lines.append(("AN", source.archived.locator))
    if source.language:
        lines.append(("LA", source.language))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {value}" for tag, value in lines)


__all__ = ["NEWS_GENRES", "ris", "ris_name"]

"""The collection's records seen as a catalogue: one plain entry per record, and URL keys.

A :class:`CatalogEntry` is what ``warcite list``, ``search``, ``diff --since``, ``timemap``,
batch resumption and recapture linking need to know about a record, read from its JSON
(the records stay the source of truth; warcite.collection.index keeps these entries in a derived
SQLite index).

``work_key(url)`` is the key that says two captures are of the same work: the original
URL normalised as warcite requests it (scheme and host lower-case, IDNA host, default
port dropped, fragment dropped, path at least ``/``, non-ASCII percent-encoded).

Fixity status in a listing comes from two places, and says which:

* ``checked <date> ok|failed``: the record's last PREMIS ``fixity check`` event, when it
  has one (written by tools that re-verify digests and append the event);
* otherwise a quick *size check*: every file the record lists exists with its recorded
  size (``size ok``, ``size MISMATCH``, ``MISSING``).  It reads no file's content; a full
  digest check is ``warcite validate``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcite.core.project import unsafe_path_reason
from warcite.core.slugs import site_name
from warcite.core.urls import work_key

LIVE_METHODS = frozenset({"http-capture", "import-memento", "import-warc"})
"""Capture methods whose bytes are what a URL returned (a memento of it); imports of saved
HTML or transcripts are copies supplied by someone, not mementos."""


def fold(text: str) -> str:
    """Text folded for loose matching: NFKD without marks, case-folded, hyphens and
    punctuation as single spaces (``In-ae`` and ``In ae`` match)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", stripped.casefold()).split())


@dataclass(frozen=True)
class CatalogEntry:
    """One record as the collection commands see it (plain values only)."""

    id: str
    path: str  # records/<id>.json, relative to the project root
    record_id: str
    title: str | None
    authors: tuple[str, ...]  # preferred names, in order
    author_forms: tuple[str, ...]  # every recorded form of every author's name
    site: str  # the publisher's name when known, else the site's short name
    host: str
    url: str  # the work's original URL
    work_key: str
    method: str
    captured: str | None  # observed_at: when the content was seen on the web (None: unknown)
    ingested: str | None  # when it entered the archive (the WARC-Date)
    published: str | None
    target_uri: str | None
    final_uri: str | None
    payload_digest: str | None
    warc_path: str | None
    warc_record_id: str | None
    warc_record_type: str | None  # response, resource, revisit
    warc_date: str | None
    memento_datetime: str | None
    paragraphs: int
    fixity: str
    lineage_previous: tuple[str, ...] = ()
    files: tuple[tuple[str, int], ...] = ()  # (path, recorded size) of every listed file
    fixity_event: str | None = None  # "checked <date> ok|FAILED" from the last fixity check
    requested_uri: str | None = None  # from the WARC's metadata record (a redirected capture)
    keys: tuple[str, ...] = field(default=())  # every URL key this record answers to

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @property
    def when(self) -> str | None:
        """The date the capture is sorted and filtered by: seen on the web, else ingested."""
        return self.captured or self.ingested

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "record_id": self.record_id,
            "title": self.title,
            "authors": list(self.authors),
            "first_author": self.first_author,
            "site": self.site,
            "url": self.url,
            "method": self.method,
            "captured": self.captured,
            "ingested": self.ingested,
            "published": self.published,
            "payload_digest": self.payload_digest,
            "warc": {
                "path": self.warc_path,
                "record_id": self.warc_record_id,
                "date": self.warc_date,
            },
            "paragraphs": self.paragraphs,
            "fixity": self.fixity,
            "lineage_previous": list(self.lineage_previous),
        }


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty one (records may be damaged)."""
    return value if isinstance(value, Mapping) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _value(data: Any, *keys: str) -> str | None:
    return _str(_get(data, *keys, "value"))


def last_fixity_check(record: Mapping[str, Any]) -> str | None:
    """``checked <date> ok|FAILED`` from the record's last fixity check event, or None."""
    events = record.get("events")
    checks = [
        event
        for event in (events if isinstance(events, list) else [])
        if isinstance(event, Mapping) and event.get("type") == "fixity check"
    ]
    if checks:
        last = max(checks, key=lambda event: str(event.get("date", "")))
        outcome = "ok" if last.get("outcome") == "success" else "FAILED"
        return f"checked {str(last.get('date', '?'))[:10]} {outcome}"
    return None


def listed_files(record: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """(path, size) of every file the record lists (a missing size is -1)."""
    files = record.get("files")
    found = []
    for item in files if isinstance(files, list) else []:
        relative = _get(item, "path")
        size = _get(item, "size")
        if isinstance(relative, str):
            found.append((relative, size if isinstance(size, int) else -1))
    return tuple(found)


def fixity_status(entry: CatalogEntry, project_root: Path) -> str:
    """The entry's fixity status now, saying where it comes from (see the module docstring):
    the last fixity check event if the record has one, else a quick size check."""
    return fixity_of(entry.fixity_event, entry.files, project_root)


def fixity_of(
    fixity_event: str | None, files: Sequence[tuple[str, int]], project_root: Path
) -> str:
    """:func:`fixity_status` from an entry's ``fixity_event`` and ``files``."""
    if fixity_event:
        return fixity_event
    if not files:
        return "no files listed"
    problems = []
    for relative, size in files:
        if unsafe_path_reason(relative) is not None:
            problems.append("bad path")
            continue
        try:  # a quick check: the path's text was checked, symlinks are not resolved
            found = os.stat(f"{project_root}/{relative}").st_size  # no Path per file
        except OSError:
            problems.append("MISSING")
            continue
        if found != size:
            problems.append("size MISMATCH")
    if "MISSING" in problems:
        return "MISSING"
    if problems:
        return problems[0]
    return "size ok"


def entry_from_record(
    record: Mapping[str, Any],
    relative_path: str,
    *,
    requested_uri: str | None = None,
) -> CatalogEntry:
    """The catalogue entry of a record (a JSON object as loaded; never raises on odd data)."""
    work = mapping(record.get("work"))
    capture = mapping(record.get("capture"))
    authors: list[str] = []
    forms: list[str] = []
    for person in work.get("authors") or []:
        if not isinstance(person, Mapping):
            continue
        name = _str(person.get("name"))
        if name:
            authors.append(name)
        for key in ("forms", "alternate_names"):
            for form in person.get(key) or []:
                if _str(form):
                    forms.append(form)
        family, given = _str(person.get("family")), _str(person.get("given"))
        if family and given:  # both orders, whatever order the name is printed in
            forms.extend([f"{given} {family}", f"{family} {given}"])
        forms.extend(part for part in (family, given) if part)
        if name:
            forms.insert(0, name)
    url = _str(work.get("url")) or _str(capture.get("final_uri")) or ""
    publisher = _value(work, "publisher")
    memento = mapping(capture.get("memento")) or None
    keys = {work_key(url)} if url else set()
    for candidate in (
        capture.get("final_uri"),
        capture.get("target_uri"),
        requested_uri,
        memento.get("original_uri") if memento else None,
    ):
        if isinstance(candidate, str) and re.match(r"^https?://", candidate, re.IGNORECASE):
            keys.add(work_key(candidate))
    lineage = record.get("lineage")
    previous = _get(lineage, "previous")
    text_info = mapping(record.get("text"))
    paragraphs = text_info.get("paragraphs")
    return CatalogEntry(
        id=str(record.get("id") or Path(relative_path).stem),
        path=relative_path,
        record_id=str(record.get("record_id") or ""),
        title=_value(work, "title"),
        authors=tuple(authors),
        author_forms=tuple(dict.fromkeys(forms)),
        site=publisher or site_name(url) or "",
        host=(urlsplit(url).hostname or "") if url else "",
        url=url,
        work_key=work_key(url) if url else "",
        method=str(capture.get("method") or ""),
        captured=_str(capture.get("observed_at")),
        ingested=_str(capture.get("ingested_at")),
        published=_value(work, "published"),
        target_uri=_str(capture.get("target_uri")),
        final_uri=_str(capture.get("final_uri")),
        payload_digest=_str(_get(capture, "warc", "payload_digest")),
        warc_path=_str(_get(capture, "warc", "path")),
        warc_record_id=_str(_get(capture, "warc", "record_id")),
        warc_record_type=_str(_get(capture, "warc", "record_type")),
        warc_date=_str(_get(capture, "warc", "date")),
        memento_datetime=_str(memento.get("datetime")) if memento else None,
        paragraphs=paragraphs if isinstance(paragraphs, int) else 0,
        fixity="",
        lineage_previous=tuple(
            str(item.get("id"))
            for item in (previous if isinstance(previous, list) else [])
            if isinstance(item, Mapping) and item.get("id")
        ),
        files=listed_files(record),
        fixity_event=last_fixity_check(record),
        requested_uri=requested_uri,
        keys=tuple(sorted(keys)),
    )


def entry_to_json(entry: CatalogEntry) -> str:
    """The entry as compact JSON (how the index stores it)."""
    import dataclasses
    import json

    return json.dumps(dataclasses.asdict(entry), ensure_ascii=False, separators=(",", ":"))


def entry_from_json(text: str, *, fixity_root: Path | None = None) -> CatalogEntry:
    """An entry back from :func:`entry_to_json`; with ``fixity_root`` (the project),
    its fixity column computed now (:func:`fixity_status`) as it is built."""
    import json

    data = json.loads(text)
    for name in ("authors", "author_forms", "lineage_previous", "keys"):
        data[name] = tuple(data.get(name) or ())
    data["files"] = tuple((str(path), int(size)) for path, size in data.get("files") or ())
    if fixity_root is not None:
        data["fixity"] = fixity_of(data.get("fixity_event"), data["files"], fixity_root)
    if data.keys() == _ENTRY_FIELDS:  # every field, as entry_to_json wrote it
        # a frozen dataclass's __init__ sets each field through object.__setattr__: six
        # times the cost of the rest of this function, for the 10,000s of entries of a list
        entry = object.__new__(CatalogEntry)
        entry.__dict__.update(data)
        return entry
    return CatalogEntry(**data)  # an entry of an older index: the defaults fill it in


_ENTRY_FIELDS = frozenset(item.name for item in fields(CatalogEntry))


@dataclass(frozen=True)
class WarcResponse:
    """A response (or revisit) record of a WARC: where it is and what payload it holds."""

    record_id: str  # "<urn:uuid:...>"
    record_type: str
    target_uri: str
    payload_digest: str | None
    date: str
    offset: int


@dataclass(frozen=True)
class WarcSummary:
    """What the collection needs from a capture's WARC beyond its record."""

    requested_uri: str | None  # the metadata record's requested-uri (before redirects)
    responses: tuple[WarcResponse, ...]


def summarize_warc(warc_path: Path) -> WarcSummary:
    """The requested URL and the response/revisit records of a WARC (one pass over its
    record headers, then the last metadata record read); empty when it cannot be read."""
    from warcite.core.errors import WarciteError
    from warcite.core.warc.pages import parse_warc_fields
    from warcite.core.warc.records import iter_record_infos, read_record_at

    responses = []
    metadata_offsets = []
    try:
        for info in iter_record_infos(warc_path):
            if info.record_type == "metadata":
                metadata_offsets.append(info.offset)
            elif info.record_type in ("response", "revisit") and info.target_uri:
                responses.append(
                    WarcResponse(
                        info.record_id,
                        info.record_type,
                        info.target_uri,
                        info.payload_digest,
                        info.date,
                        info.offset,
                    )
                )
        for offset in reversed(metadata_offsets):
            record = read_record_at(warc_path, offset)
            for key, value in parse_warc_fields(record.block):
                if key.lower() == "requested-uri" and value.strip():
                    return WarcSummary(value.strip(), tuple(responses))
    except (WarciteError, OSError):
        return WarcSummary(None, tuple(responses))
    return WarcSummary(None, tuple(responses))


def requested_uri_of(warc_path: Path) -> str | None:
    """The URL a warcite capture was asked for (its metadata record's ``requested-uri``),
    which differs from the page's URL after redirects; None when the WARC does not say."""
    return summarize_warc(warc_path).requested_uri


def matches(
    entry: CatalogEntry,
    *,
    site: str | None = None,
    author: str | None = None,
    since: str | None = None,
) -> bool:
    """Whether an entry passes ``warcite list`` filters (case and diacritics ignored).

    ``site`` matches the site's name, the publisher or the host (a part of any);
    ``author`` matches any recorded form of any author's name (a part of it, hyphens as
    spaces); ``since`` (ISO date or date-time) keeps captures seen on or after it.
    """
    if site is not None:
        wanted = fold(site)
        if not any(wanted in fold(value) for value in (entry.site, entry.host)):
            return False
    if author is not None:
        wanted = fold(author)
        if not any(wanted in fold(form) for form in entry.author_forms):
            return False
    return not (since is not None and comparable_when(entry.when) < since)


def by_work(entries: Iterable[CatalogEntry], url: str) -> list[CatalogEntry]:
    """The entries that are captures of ``url`` (by work key), oldest first."""
    key = work_key(url)
    captures_of = getattr(entries, "captures_of", None)  # warcite.collection.catalog_by_work
    if captures_of is not None:
        found = list(captures_of(key))
    else:
        found = [entry for entry in entries if key in entry.keys or entry.work_key == key]
    return sorted(
        found, key=lambda entry: (comparable_when(entry.when), entry.warc_date or "", entry.id)
    )


def normalize_since(value: str) -> str:
    """``--since`` as a comparable UTC string: a date ``2026-11-26`` or a date-time with a
    zone (``2026-11-26T12:00:00Z``); UsageError for anything else."""
    from datetime import datetime, timezone

    from warcite.core.errors import UsageError

    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise UsageError(
            f"--since {value!r} is not an ISO 8601 date (2026-11-26) or date-time with a "
            "time zone (2026-11-26T12:00:00Z)"
        )
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def comparable_when(value: str | None) -> str:
    """A record's date-time (``...T12:00:00Z`` or with a fraction, ``...T12:00:00.5Z``) in one
    fixed-width UTC form, so that strings compare as the instants do; '' for none."""
    from datetime import datetime, timezone

    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sort_entries(entries: Sequence[CatalogEntry]) -> list[CatalogEntry]:
    """Entries by capture date, then id."""
    return sorted(entries, key=lambda entry: (comparable_when(entry.when), entry.id))


__all__ = [
    "LIVE_METHODS",
    "CatalogEntry",
    "WarcResponse",
    "WarcSummary",
    "by_work",
    "comparable_when",
    "entry_from_json",
    "entry_from_record",
    "entry_to_json",
    "fixity_of",
    "fixity_status",
    "fold",
    "last_fixity_check",
    "listed_files",
    "mapping",
    "matches",
    "normalize_since",
    "requested_uri_of",
    "sort_entries",
    "summarize_warc",
]

"""``warcite diff``: what changed between two captures, paragraph by paragraph and in metadata.

Paragraphs (the numbered blocks of each record's clean text) are aligned with
difflib's SequenceMatcher, so an inserted paragraph shows as one addition rather than
shifting every later paragraph; a paragraph replaced in place is ``changed`` and carries
a word-level diff (``[-old words-]{+new words+}``).  Metadata: the work's title, authors,
dates, publisher, section, description, keywords, language, genre and URLs, and the
capture's status, media type, payload digest, final URL and truncation.

Choosing the captures (:func:`resolve_pair`): two records; one record and the previous
capture of the same work; or a URL or record with ``since``: the work's latest capture
against the last one made before ``since`` (or, when there is none before it, the first).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcite.collection.catalog import (
    CatalogEntry,
    by_work,
    comparable_when,
    mapping,
    normalize_since,
)
from warcite.core.errors import RecordError, UsageError

MAX_WORDS_FOR_WORD_DIFF = 5000
"""Longer paragraphs are shown whole, old and new, without a word-level diff."""
MAX_PARAGRAPHS_ALIGNED = 20_000
"""Longer texts are compared paragraph by paragraph in place (alignment is quadratic)."""


@dataclass(frozen=True)
class ParagraphChange:
    kind: str  # "changed", "added" or "removed"
    old_number: int | None
    new_number: int | None
    old_text: str | None
    new_text: str | None
    words: str | None = None  # word-level diff of a changed paragraph

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old_paragraph": self.old_number,
            "new_paragraph": self.new_number,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "words": self.words,
        }


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordDiff:
    old_id: str
    new_id: str
    old_date: str | None
    new_date: str | None
    same_payload: bool
    old_paragraphs: int
    new_paragraphs: int
    paragraphs: tuple[ParagraphChange, ...]
    fields: tuple[FieldChange, ...]
    note: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.paragraphs or self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": {"id": self.old_id, "date": self.old_date, "paragraphs": self.old_paragraphs},
            "new": {"id": self.new_id, "date": self.new_date, "paragraphs": self.new_paragraphs},
            "same_payload": self.same_payload,
            "changed": self.changed,
            "metadata": [
                {"field": change.field, "old": change.old, "new": change.new}
                for change in self.fields
            ],
            "paragraphs": [change.as_dict() for change in self.paragraphs],
            "note": self.note,
        }


def _value(data: Any) -> Any:
    return data.get("value") if isinstance(data, Mapping) else data


def _authors(work: Mapping[str, Any]) -> list[str]:
    authors = work.get("authors")
    return [
        str(person.get("name"))
        for person in (authors if isinstance(authors, list) else [])
        if isinstance(person, Mapping)
    ]


def metadata_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The compared metadata of a record, by field name."""
    work = mapping(record.get("work"))
    capture = mapping(record.get("capture"))
    fields: dict[str, Any] = {
        "title": _value(work.get("title")),
        "authors": _authors(work),
    }
    for name in ("published", "modified", "publisher", "section", "description"):
        fields[name] = _value(work.get(name))
    fields["keywords"] = work.get("keywords")
    fields["language"] = _value(work.get("language"))
    fields["genre"] = _value(work.get("genre"))
    fields["url"] = work.get("url")
    fields["canonical_url"] = work.get("canonical_url")
    fields["capture.http_status"] = capture.get("http_status")
    fields["capture.content_type"] = capture.get("content_type")
    fields["capture.final_uri"] = capture.get("final_uri")
    fields["capture.truncated"] = capture.get("truncated")
    fields["capture.payload_digest"] = mapping(capture.get("warc")).get("payload_digest")
    return fields


def word_diff(old: str, new: str) -> str | None:
    """``[-removed-]{+added+}`` inline word diff, or None when a paragraph is too long."""
    old_words, new_words = old.split(), new.split()
    if max(len(old_words), len(new_words)) > MAX_WORDS_FOR_WORD_DIFF:
        return None
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(old_words[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(old_words[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(new_words[j1:j2]) + "+}")
    return " ".join(out)


def diff_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[ParagraphChange]:
    """The changed, added and removed paragraphs, numbered from 1 in each text."""
    changes: list[ParagraphChange] = []
    if max(len(old), len(new)) > MAX_PARAGRAPHS_ALIGNED:
        opcodes: Sequence[tuple[str, int, int, int, int]] = [
            ("replace", 0, len(old), 0, len(new))  # paired in place below
        ]
    else:
        matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
        opcodes = matcher.get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            if old[i1 + k] == new[j1 + k]:
                continue  # equal in place (only when texts are too long to align)
            changes.append(
                ParagraphChange(
                    "changed",
                    i1 + k + 1,
                    j1 + k + 1,
                    old[i1 + k],
                    new[j1 + k],
                    word_diff(old[i1 + k], new[j1 + k]),
                )
            )
        for i in range(i1 + paired, i2):
            changes.append(ParagraphChange("removed", i + 1, None, old[i], None))
        for j in range(j1 + paired, j2):
            changes.append(ParagraphChange("added", None, j + 1, None, new[j]))
    return changes


def diff_records(
    old: Mapping[str, Any],
    old_text: str,
    new: Mapping[str, Any],
    new_text: str,
    *,
    note: str | None = None,
) -> RecordDiff:
    """What changed from record ``old`` to record ``new`` (their clean texts given)."""
    from warcite.record.text import text_blocks

    old_blocks, new_blocks = text_blocks(old_text), text_blocks(new_text)
    old_meta, new_meta = metadata_of(old), metadata_of(new)
    fields = tuple(
        FieldChange(name, old_meta[name], new_meta[name])
        for name in old_meta
        if old_meta[name] != new_meta[name]
    )
    old_capture, new_capture = mapping(old.get("capture")), mapping(new.get("capture"))
    return RecordDiff(
        old_id=str(old.get("id")),
        new_id=str(new.get("id")),
        old_date=old_capture.get("observed_at") or old_capture.get("ingested_at"),
        new_date=new_capture.get("observed_at") or new_capture.get("ingested_at"),
        same_payload=old_meta["capture.payload_digest"] == new_meta["capture.payload_digest"]
        and old_meta["capture.payload_digest"] is not None,
        old_paragraphs=len(old_blocks),
        new_paragraphs=len(new_blocks),
        paragraphs=tuple(diff_paragraphs(old_blocks, new_blocks)),
        fields=fields,
        note=note,
    )


def _entry_for(reference: str, entries: Sequence[CatalogEntry]) -> CatalogEntry | None:
    from warcite.collection.lookup import names

    return next((entry for entry in entries if names(entry, reference)), None)


def resolve_pair(
    first: str,
    second: str | None,
    since: str | None,
    entries: Sequence[CatalogEntry],
) -> tuple[CatalogEntry, CatalogEntry, str | None]:
    """The (old, new) captures to compare and a note on how they were chosen.

    ``first`` and ``second`` are record ids (or record_ids or paths); ``first`` may be a URL
    when ``since`` is given or ``second`` is not.  UsageError or RecordError saying why
    when there is nothing to compare.
    """
    if second is not None and since is not None:
        raise UsageError("give two records, or one record or URL with --since, not both")
    if second is not None:
        old, new = _entry_for(first, entries), _entry_for(second, entries)
        for reference, entry in ((first, old), (second, new)):
            if entry is None:
                raise RecordError(f"no record {reference!r} in this archive (warcite list)")
        assert old is not None and new is not None
        return old, new, None
    entry = _entry_for(first, entries)
    if entry is None and not first.lower().startswith(("http://", "https://")):
        raise RecordError(f"no record {first!r} in this archive, and it is not a URL")
    captures = by_work(entries, entry.url if entry is not None else first)
    if len(captures) < 2:
        raise RecordError(
            f"the archive holds {len(captures)} capture{'s' if len(captures) != 1 else ''} of "
            f"{entry.url if entry else first}; a diff needs two (capture it again with "
            "warcite archive URL)"
        )
    if since is not None:
        limit = normalize_since(since)
        new = captures[-1]
        latest_note = (
            f"; no capture since {since}, the latest is from {new.when}"
            if comparable_when(new.when) < limit
            else ""
        )
        before = [capture for capture in captures[:-1] if comparable_when(capture.when) < limit]
        if before:
            return (
                before[-1],
                new,
                f"the last capture before {since} against the latest" + (latest_note),
            )
        return (
            captures[0],
            new,
            f"no capture before {since}: the first capture against the latest",
        )
    assert entry is not None
    position = next(index for index, capture in enumerate(captures) if capture.id == entry.id)
    if position == 0:
        return entry, captures[1], f"{entry.id} is the first capture: compared with the next"
    return captures[position - 1], entry, f"the previous capture against {entry.id}"


def diff(
    project_root: Path, first: str, second: str | None = None, *, since: str | None = None
) -> RecordDiff:
    """Compare two captures chosen as :func:`resolve_pair` says (from the entries it
    needs: the records named, and the captures of the first one's work; found in the
    index without decoding the others)."""
    from warcite.collection.lookup import captures_of, entry_named, in_current_index
    from warcite.record.files import load_record, record_text

    def ask(connection: Any) -> list[CatalogEntry]:
        named = [entry_named(connection, reference) for reference in (first, second) if reference]
        found = [entry for entry in named if entry is not None]
        if second is None and (found or first.lower().startswith(("http://", "https://"))):
            captures = captures_of(connection, found[0].url if found else first)
            listed = {entry.path for entry in captures}
            found = [entry for entry in found if entry.path not in listed] + captures
        return found

    entries = in_current_index(project_root, ask, lambda found: (e.path for e in found))
    old, new, note = resolve_pair(first, second, since, entries)
    old_record = load_record(project_root / old.path, project_root)
    new_record = load_record(project_root / new.path, project_root)
    return diff_records(
        old_record,
        record_text(old_record, project_root),
        new_record,
        record_text(new_record, project_root),
        note=note,
    )


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_diff(result: RecordDiff) -> str:
    """The diff as text: a header, metadata changes, then each paragraph change."""
    lines = [
        f"--- {result.old_id} ({result.old_date}, {result.old_paragraphs} paragraphs)",
        f"+++ {result.new_id} ({result.new_date}, {result.new_paragraphs} paragraphs)",
    ]
    if result.note:
        lines.append(f"# {result.note}")
    if not result.changed:
        lines.append(
            "no change in the clean text or the metadata"
            + (" (the same payload digest)" if result.same_payload else "")
        )
        return "\n".join(lines)
    if result.fields:
        lines.append("metadata:")
        for field_change in result.fields:
            lines.append(
                f"  {field_change.field}: {_show(field_change.old)} -> {_show(field_change.new)}"
            )
    for change in result.paragraphs:
        if change.kind == "changed":
            lines.append(f"paragraph {change.old_number} -> {change.new_number} changed:")
            lines.append(f"  - {change.old_text}")
            lines.append(f"  + {change.new_text}")
            if change.words is not None:
                lines.append(f"  ~ {change.words}")
        elif change.kind == "removed":
            lines.append(f"paragraph {change.old_number} removed:")
            lines.append(f"  - {change.old_text}")
        else:
            lines.append(f"paragraph {change.new_number} added:")
            lines.append(f"  + {change.new_text}")
    return "\n".join(lines)


__all__ = [
    "FieldChange",
    "ParagraphChange",
    "RecordDiff",
    "diff",
    "diff_paragraphs",
    "diff_records",
    "metadata_of",
    "render_diff",
    "resolve_pair",
    "word_diff",
]

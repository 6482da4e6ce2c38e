"""The seal: a record's fixity, checkable with standard tools.

Beside every record ``records/<id>.json`` lies ``records/<id>.sha512``, a manifest in the
format of GNU ``sha512sum`` (and of a BagIt ``manifest-sha512.txt``): one line per file,
the lowercase hex SHA-512, two spaces, the path relative to the project root::

    <128 hex>  records/<id>.json
    <128 hex>  records/<id>.txt
    <128 hex>  archive/<name>.warc.gz

Anyone can check it without warcite, from the project root::

    sha512sum -c records/<id>.sha512

Any change to the record's JSON, its text or its WARC breaks it; ``warcite validate``
checks it too.  The seal is written in the same all-or-nothing commit as the record's
files (:mod:`warcite.store`).  After a deliberate change, :func:`reseal` (``warcite seal``)
appends a PREMIS event saying what changed and why, then writes a new seal.

A seal proves the files are the ones sealed; it does not say who sealed them: keep a copy
of the seals elsewhere (or sign them) to detect someone who edits a record and reseals it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcite.errors import RecordError, ValidationFailed
from warcite.project import RECORDS_DIR

SEAL_SUFFIX = ".sha512"
MAX_SEAL_BYTES = 64 * 1024
_LINE = re.compile(r"^([0-9a-f]{128}) [ *](.+)$")


@dataclass(frozen=True)
class SealEntry:
    """One manifest line: a file's project-relative path and its SHA-512 (hex)."""

    path: str
    sha512: str


def seal_relative_path(slug: str) -> str:
    """``records/<id>.sha512``."""
    return f"{RECORDS_DIR}/{slug}{SEAL_SUFFIX}"


def record_entries(record: Mapping[str, Any], json_bytes: bytes) -> list[SealEntry]:
    """The seal of a record: its JSON (``json_bytes``), its text and its WARC (their
    digests as the record states them, checked before anything is sealed)."""
    slug = record["id"]
    entries = [
        SealEntry(f"{RECORDS_DIR}/{slug}.json", hashlib.sha512(json_bytes).hexdigest()),
        SealEntry(record["text"]["path"], record["text"]["sha512"]),
    ]
    warc_path = record["capture"]["warc"]["path"]
    for entry in record.get("files", []):
        if entry.get("role") == "warc" and entry.get("path") == warc_path:
            entries.append(SealEntry(warc_path, entry["sha512"]))
            break
    else:
        raise RecordError(f"the record does not list its WARC {warc_path} in $.files")
    return entries


def manifest(entries: Sequence[SealEntry]) -> bytes:
    """The seal file's bytes (``sha512sum`` format, LF line ends)."""
    lines = []
    for entry in entries:
        if "\n" in entry.path or "\\" in entry.path or "\r" in entry.path:
            raise RecordError(f"{entry.path!r}: a sealed path may not hold a newline or backslash")
        lines.append(f"{entry.sha512}  {entry.path}\n")
    return "".join(lines).encode("utf-8")


def parse_manifest(data: bytes) -> list[SealEntry]:
    """The entries of a seal file; RecordError for anything but ``sha512sum`` lines."""
    if len(data) > MAX_SEAL_BYTES:
        raise RecordError(f"the seal is {len(data)} bytes, more than a seal holds")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(f"the seal is not UTF-8 (byte {error.start})") from None
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line)
        if match is None:
            raise RecordError(
                f"line {number} of the seal is not '<sha512 hex>  <path>': {line[:80]!r}"
            )
        entries.append(SealEntry(match.group(2), match.group(1)))
    return entries


def check_seal(
    record: Mapping[str, Any],
    seal_bytes: bytes | None,
    digests: Mapping[str, str | None],
    shown: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(JSON path, message) for each way the files differ from the seal.

    ``digests`` maps each project-relative path to the SHA-512 of the file as it is now
    (None when it cannot be read); ``seal_bytes`` is the seal file (None when missing);
    ``shown`` names a file checked in place of a sealed path (a copy of a record).
    """
    shown = shown or {}
    slug = record.get("id")
    where = seal_relative_path(slug) if isinstance(slug, str) else "the seal"
    if seal_bytes is None:
        return [
            (
                "$",
                f"the record has no seal ({where} is missing): its fixity cannot be "
                f"checked; if the record is as it should be, run `warcite seal {slug} "
                '--reason "..."` to seal it',
            )
        ]
    try:
        entries = parse_manifest(seal_bytes)
    except RecordError as error:
        return [("$", f"{where}: {error}")]
    problems: list[tuple[str, str]] = []
    sealed = {entry.path: entry.sha512 for entry in entries}
    for path, found in digests.items():
        expected = sealed.get(path)
        if expected is None:
            problems.append(("$", f"{where} does not seal {path}"))
        elif found is None:
            continue  # unreadable or missing: reported by the fixity check
        elif found != expected:
            changed = (
                f"{shown[path]} is not the sealed {path}"
                if path in shown
                else f"{path} changed since it was sealed"
            )
            problems.append(
                (
                    "$",
                    f"{changed} (sha512 {found[:16]}..., the seal "
                    f"{where} says {expected[:16]}...); if the change is deliberate, run "
                    f'`warcite seal {slug} --reason "..."`',
                )
            )
    for path in sealed:
        if path not in digests:
            problems.append(("$", f"{where} seals {path}, which is not a file of this record"))
    return problems


def reseal(
    reference: str,
    project_root: Path,
    *,
    reason: str,
    operator: str | None = None,
    clock: Callable[[], Any] | None = None,
    new_uuid: Callable[[], Any] | None = None,
) -> Path:
    """Seal a record anew after a deliberate change, recording why as a PREMIS event.

    The record must validate apart from its seal (schema, references, fixity of its text
    and WARC): a seal is never put on a broken record.  Returns the seal's path.
    """
    from warcite.lock import project_lock
    from warcite.record import record_file, write_sealed_record
    from warcite.store import recover
    from warcite.validate import (
        extractor_claim_problem,
        read_record_bytes,
        seal_problem,
        validate_file,
    )

    if not reason.strip():
        raise RecordError("say why the record is re-sealed (--reason): it is kept in its history")
    root = project_root.resolve()
    with project_lock(root):
        recover(root)
        path = record_file(reference, root)
        report = validate_file(path, root)
        errors = [p for p in report.problems if p.severity == "error" and not seal_problem(p)]
        if errors:
            raise ValidationFailed(
                f"{report.file} does not validate apart from its seal; fix it first "
                "(a seal is never put on a broken record)",
                errors,
            )
        import json

        record = json.loads(read_record_bytes(path, root).decode("utf-8"))
        doubt = extractor_claim_problem(record, root)
        if doubt is not None:
            raise ValidationFailed(
                f"{report.file}: $.text.extractor.version: {doubt}; not sealed (set the "
                "version back, or make the record again with warcite record --replace)"
            )
        first = not (root / seal_relative_path(record["id"])).exists()
        what = "sealed for the first time" if first else "re-sealed after a deliberate change"
        write_sealed_record(
            record,
            root,
            event_type="message digest calculation",
            detail=f"{what}: {' '.join(reason.split())}; new "
            f"sha512 seal {seal_relative_path(record['id'])} of the record, its text and "
            "its WARC",
            operator=operator,
            clock=clock,
            new_uuid=new_uuid,
        )
    return root / seal_relative_path(record["id"])


__all__ = [
    "MAX_SEAL_BYTES",
    "SEAL_SUFFIX",
    "SealEntry",
    "check_seal",
    "manifest",
    "parse_manifest",
    "record_entries",
    "reseal",
    "seal_relative_path",
]

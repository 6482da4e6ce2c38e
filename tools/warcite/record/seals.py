"""A record's seal: a SHA-512 manifest of the record's JSON, its text and its WARC, as
``sha512sum`` writes it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from warcite.core.errors import RecordError
from warcite.core.project import RECORDS_DIR

SEAL_SUFFIX = ".sha512"
PROOF_KINDS = frozenset({"signature", "timestamp"})
"""Problem kinds of the proofs kept beside a seal (warcite.integrity.proofs): renewed with it."""
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

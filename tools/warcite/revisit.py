"""Unchanged payloads are not stored twice: the lookup behind WARC 1.1 ``revisit`` records.

When a capture meets a response whose payload the archive already holds for the same
URL, it writes a ``revisit`` record (profile identical-payload-digest) pointing at the
earlier response instead of a second copy (warcite.capture, ``dedupe``).  This module
answers the two questions that needs, from the derived index (warcite.index), which keeps
every response record of the WARCs of the project's live captures:

* :func:`dedupe_lookup`: for a capture about to be written, ``(target URI, payload
  digest)`` -> the earlier *response* record (never a revisit: a revisit always points at
  a record holding the payload) with the same normalised target URI and digest, the most
  recent one, or None;
* :func:`original_record`: for a revisit being read back, its ``WARC-Refers-To`` record
  ID -> the WARC file and offset of that response, or None.

Only records that still exist count: the index is verified against ``records/`` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcite.catalog import work_key
from warcite.index import open_index
from warcite.project import resolve_in_project


@dataclass(frozen=True)
class EarlierResponse:
    """A response record the archive holds: what a revisit refers to."""

    warc_path: str  # relative to the project root
    record_id: str  # "<urn:uuid:...>"
    target_uri: str
    date: str
    offset: int


def identical_payloads(project_root: Path) -> dict[tuple[str, str], EarlierResponse]:
    """(work key of the target URI, payload digest) -> the latest response holding it."""
    found: dict[tuple[str, str], EarlierResponse] = {}
    with open_index(project_root) as (connection, _):
        rows = connection.execute(
            "SELECT target_key, payload_digest, warc_path, record_id, target_uri, date, offset "
            "FROM responses WHERE record_type = 'response' AND payload_digest IS NOT NULL "
            "ORDER BY date"
        ).fetchall()
    for key, digest, warc_path, record_id, target_uri, date, offset in rows:
        found[(key, digest)] = EarlierResponse(warc_path, record_id, target_uri, date, offset)
    return found


def dedupe_lookup(project_root: Path) -> Callable[[str, str], EarlierResponse | None]:
    """A ``(target_uri, payload_digest) -> EarlierResponse | None`` lookup over the archive
    as it is now (read once; a capture in progress does not change it)."""
    known = identical_payloads(project_root)

    def lookup(target_uri: str, payload_digest: str) -> EarlierResponse | None:
        return known.get((work_key(target_uri), payload_digest))

    return lookup


def original_record(project_root: Path, refers_to: str) -> tuple[Path, int] | None:
    """The WARC file and offset of the response record ``refers_to`` (``<urn:uuid:...>``)."""
    wanted = refers_to if refers_to.startswith("<") else f"<{refers_to}>"
    with open_index(project_root) as (connection, _):
        row = connection.execute(
            "SELECT warc_path, offset FROM responses WHERE record_id = ? "
            "AND record_type = 'response' LIMIT 1",
            (wanted,),
        ).fetchone()
    if row is None:
        return None
    return resolve_in_project(project_root, row[0]), int(row[1])


# --------------------------------------------------------------------------- reading revisits

IDENTICAL_PAYLOAD_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
"""The one revisit profile warcite writes and reads (WARC 1.1 section 6.7.2); the 1.0
profile URI names the same thing."""
_PROFILES = (
    IDENTICAL_PAYLOAD_PROFILE,
    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
)
_STAMP = re.compile(r"(\d{14})")


def _closeness(path: Path, wanted: str) -> tuple[int, str]:
    """Sort key: WARCs whose name's 14-digit stamp is nearest to ``wanted`` come first."""
    match = _STAMP.search(path.name)
    if match is None or not wanted:
        return (10**15, path.name)
    return (abs(int(match.group(1)) - int(wanted)), path.name)


def find_revisited(warc_path: Path, revisit: Any) -> Any:
    """The response record a ``revisit`` record (a warcite.warc.WarcRecord read from
    ``warc_path``) refers to, with its payload checked against the revisit's digest.

    Looked for in the revisit's own WARC, then in the WARCs of the same folder, nearest
    in time first (by the 14-digit stamp in their names against WARC-Refers-To-Date).
    Raises WarcReadError when the profile is not identical-payload-digest, or when the
    record is nowhere (naming it, so the missing WARC can be restored).
    """
    from warcite.errors import WarcReadError
    from warcite.warc import digest_matches, iter_record_infos, payload_bytes, read_record_at

    where = f"{warc_path}: revisit record {revisit.info.record_id}"
    profile = (revisit.header("WARC-Profile") or "").strip()
    if profile not in _PROFILES:
        raise WarcReadError(
            f"{where} has profile {profile or '(none)'}; warcite reads revisits of the "
            f"identical-payload-digest profile only"
        )
    refers_to = (revisit.header("WARC-Refers-To") or "").strip()
    digest = (revisit.header("WARC-Payload-Digest") or "").strip()
    if not refers_to or not digest:
        raise WarcReadError(f"{where} lacks WARC-Refers-To or WARC-Payload-Digest")
    wanted_date = re.sub(r"\D", "", revisit.header("WARC-Refers-To-Date") or "")[:14]
    folder = warc_path.parent
    others = [
        path
        for path in folder.iterdir()
        if path.name.endswith((".warc", ".warc.gz"))
        and not path.name.startswith(".")
        and path != warc_path
        and path.is_file()
    ]
    for candidate in [warc_path, *sorted(others, key=lambda path: _closeness(path, wanted_date))]:
        try:
            offsets = [
                info.offset for info in iter_record_infos(candidate) if info.record_id == refers_to
            ]
        except WarcReadError:
            continue  # a damaged neighbour is not this revisit's problem
        for offset in offsets:
            record = read_record_at(candidate, offset)
            if record.info.record_type != "response":
                raise WarcReadError(
                    f"{where} refers to {refers_to}, a {record.info.record_type} record in "
                    f"{candidate}; a revisit refers to a response"
                )
            payload = payload_bytes("response", record.block)
            if payload is None or not digest_matches(digest, payload):
                raise WarcReadError(
                    f"{where}: the payload of {refers_to} in {candidate} does not have the "
                    f"digest {digest}; the earlier WARC changed (run warcite validate)"
                )
            return record
    raise WarcReadError(
        f"{where} refers to {refers_to} ({revisit.header('WARC-Refers-To-Target-URI')} at "
        f"{revisit.header('WARC-Refers-To-Date')}), which no WARC in {folder} holds; the "
        "payload is in that earlier WARC: restore it to read this capture"
    )


__all__ = [
    "IDENTICAL_PAYLOAD_PROFILE",
    "EarlierResponse",
    "dedupe_lookup",
    "find_revisited",
    "identical_payloads",
    "original_record",
]

"""Unchanged payloads are not stored twice: the lookup behind WARC 1.1 ``revisit`` records.

When a capture meets a response whose payload the archive already holds for the same
URL, it writes a ``revisit`` record (profile identical-payload-digest) pointing at the
earlier response instead of a second copy (warcite.capture, ``dedupe``).  This module
answers the two questions that needs, from the derived index (warcite.collection.index), which keeps
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

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from warcite.collection.index import open_index
from warcite.core.project import resolve_in_project
from warcite.core.urls import work_key


@dataclass(frozen=True)
class EarlierResponse:
    """A response record the archive holds: what a revisit refers to."""

    warc_path: str  # relative to the project root
    record_id: str  # "<urn:uuid:...>"
    target_uri: str
    date: str
    offset: int


def payloads_in(connection: sqlite3.Connection) -> dict[tuple[str, str], EarlierResponse]:
    """(work key of the target URI, payload digest) -> the latest response holding it, from
    an index the caller holds open (and synced): every response at once, for a batch."""
    found: dict[tuple[str, str], EarlierResponse] = {}
    rows = connection.execute(
        "SELECT target_key, payload_digest, warc_path, record_id, target_uri, date, offset "
        "FROM responses WHERE record_type = 'response' AND payload_digest IS NOT NULL "
        "ORDER BY date"
    ).fetchall()
    for key, digest, warc_path, record_id, target_uri, date, offset in rows:
        found[(key, digest)] = EarlierResponse(warc_path, record_id, target_uri, date, offset)
    return found


def dedupe_lookup(project_root: Path) -> Callable[[str, str], EarlierResponse | None]:
    """A ``(target_uri, payload_digest) -> EarlierResponse | None`` lookup over the archive.

    The index is brought up to date first (found current by its folder check: records
    added, removed or renamed are seen), then each lookup asks it for the one response it
    needs, on a read-only connection of its own (a capture's threads may ask), rather than
    reading every response the archive holds (100,000s in a large collection: seconds, for
    the few lookups of one capture).  An index kept in memory (a read-only archive) is read
    whole at once, as before."""
    with open_index(project_root, check="folder") as (connection, _):
        database = connection.execute("PRAGMA database_list").fetchone()[2]
        if not database:  # in memory: gone when the connection closes
            known = payloads_in(connection)
            return lambda uri, digest: known.get((work_key(uri), digest))
    path = Path(database)

    def lookup(target_uri: str, payload_digest: str) -> EarlierResponse | None:
        with contextlib.closing(
            sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        ) as reader:
            row = reader.execute(
                "SELECT warc_path, record_id, target_uri, date, offset FROM responses "
                "WHERE target_key = ? AND payload_digest = ? AND record_type = 'response' "
                "ORDER BY date DESC, rowid DESC LIMIT 1",
                (work_key(target_uri), payload_digest),
            ).fetchone()
        return None if row is None else EarlierResponse(*row)

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


__all__ = [
    "EarlierResponse",
    "dedupe_lookup",
    "original_record",
    "payloads_in",
]

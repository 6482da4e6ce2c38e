"""Replaying the archive: every capture in the project's WARCs by URL, the capture closest
to a moment, and a capture's archived HTTP response (status, headers, payload).

::

    captures = CaptureIndex(project_root)          # scans archive/ lazily, then on change
    capture = captures.closest(url, "20261126123103")   # RecordError when none
    resource = read_resource(project_root, capture)     # the archived response

A capture is a ``response``, ``resource`` or ``revisit`` record whose WARC-Target-URI is
an http(s) URL, in any ``*.warc`` / ``*.warc.gz`` file under the project's ``archive/``
folder (page and requisites alike: a page's stylesheets and images are replayed from the
capture of each closest in time to the page's).  URLs are compared by their work key
(warcite.collection.catalog.work_key: scheme and host case, default port and fragment ignored).

The index lives in memory and is brought up to date when a WARC file appears, changes or
goes (checked at most every :data:`RESCAN_SECONDS`); only changed files are read again.
It never writes to the project.
"""

from __future__ import annotations

import os
import re
import threading
import time
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcite.core.errors import RecordError, WarciteError
from warcite.core.project import resolve_in_project
from warcite.core.urls import work_key
from warcite.core.warc.http import parse_http_message
from warcite.core.warc.records import (
    find_revisited,
    iter_record_infos,
    read_record_at,
    record_payload,
)

RESCAN_SECONDS = 2.0
"""How often, at most, the archive folder is listed again for new or changed WARCs."""

REPLAYED_TYPES = frozenset({"response", "resource", "revisit"})

TIMESTAMP = re.compile(r"\d{14}")


@dataclass(frozen=True)
class Capture:
    """One archived response of a URL: where its record is and when it was made."""

    url: str  # the WARC-Target-URI
    key: str  # work_key(url)
    timestamp: str  # the 14-digit WARC-Date, yyyymmddHHMMSS
    date: str  # the WARC-Date as written
    warc_path: str  # relative to the project root
    offset: int
    record_type: str
    record_id: str

    @property
    def moment(self) -> datetime:
        return timestamp_datetime(self.timestamp)


@dataclass(frozen=True)
class ArchivedResponse:
    """A capture read back: the HTTP status and headers as archived and the payload.

    ``payload`` is the entity body with transfer-codings undone and content-coding kept
    (the bytes WARC-Payload-Digest covers); ``headers`` are the archived response's in
    order (ISO-8859-1 text).  A ``resource`` record replays as 200 with its Content-Type.
    """

    capture: Capture
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    payload: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


def warc_timestamp(date: str) -> str:
    """The 14 digits of a WARC-Date (``2026-11-26T12:31:03Z`` -> ``20261126123103``)."""
    return re.sub(r"\D", "", date)[:14].ljust(14, "0")


def timestamp_datetime(stamp: str) -> datetime:
    """A 1- to 14-digit timestamp as a UTC date-time (missing digits: the earliest)."""
    if not re.fullmatch(r"\d{1,14}", stamp):
        raise RecordError(f"{stamp!r} is not a timestamp of up to 14 digits (yyyymmddHHMMSS)")
    digits = stamp + "00000101000000"[len(stamp) :]
    try:
        return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        raise RecordError(f"{stamp!r} is not a valid date-time (yyyymmddHHMMSS)") from None


def _warc_files(archive: Path) -> dict[str, tuple[int, int]]:
    """Every WARC file under ``archive`` (relative to its parent), with its size and mtime."""
    found: dict[str, tuple[int, int]] = {}
    root = archive.parent
    for folder, _dirs, names in os.walk(archive):
        for name in names:
            if not name.endswith((".warc", ".warc.gz")):
                continue
            path = Path(folder, name)
            try:
                status = path.stat()
            except OSError:
                continue
            relative = path.relative_to(root).as_posix()
            found[relative] = (status.st_size, status.st_mtime_ns)
    return found


def _captures_of(root: Path, relative: str) -> list[Capture]:
    captures = []
    try:
        infos = list(iter_record_infos(root / relative))
    except (WarciteError, OSError):
        return []  # an unreadable WARC replays nothing; warcite check says why
    for info in infos:
        uri = (info.target_uri or "").strip("<>")
        if info.record_type not in REPLAYED_TYPES or not uri.lower().startswith(
            ("http://", "https://")
        ):
            continue
        captures.append(
            Capture(
                url=uri,
                key=work_key(uri),
                timestamp=warc_timestamp(info.date),
                date=info.date,
                warc_path=relative,
                offset=info.offset,
                record_type=info.record_type,
                record_id=info.record_id,
            )
        )
    return captures


class CaptureIndex:
    """The captures of the project's WARCs by URL (see the module docstring); thread-safe."""

    def __init__(self, project_root: Path, *, clock: object = time.monotonic) -> None:
        self.project_root = project_root.resolve()
        self._clock = clock
        self._lock = threading.Lock()
        self._files: dict[str, tuple[int, int]] = {}
        self._by_file: dict[str, list[Capture]] = {}
        self._by_key: dict[str, list[Capture]] = {}
        self._checked: float | None = None

    def refresh(self, *, force: bool = False) -> None:
        """Read new and changed WARC files again (at most every RESCAN_SECONDS)."""
        now = self._clock()  # type: ignore[operator]
        with self._lock:
            if not force and self._checked is not None and now - self._checked < RESCAN_SECONDS:
                return
            self._checked = now
            files = _warc_files(self.project_root / "archive")
            if files == self._files:
                return
            for relative in set(self._by_file) - set(files):
                del self._by_file[relative]
            for relative, stamp in files.items():
                if self._files.get(relative) != stamp:
                    self._by_file[relative] = _captures_of(self.project_root, relative)
            self._files = files
            by_key: dict[str, list[Capture]] = {}
            for captures in self._by_file.values():
                for capture in captures:
                    by_key.setdefault(capture.key, []).append(capture)
            for found in by_key.values():
                found.sort(
                    key=lambda capture: (capture.timestamp, capture.warc_path, capture.offset)
                )
            self._by_key = by_key

    def __len__(self) -> int:
        self.refresh()
        return sum(len(found) for found in self._by_key.values())

    def captures(self, url: str) -> list[Capture]:
        """Every capture of ``url``, oldest first (empty when the archive has none)."""
        self.refresh()
        return list(self._by_key.get(work_key(url), ()))

    def closest(self, url: str, stamp: str) -> Capture:
        """The capture of ``url`` closest in time to the timestamp ``stamp`` (up to 14
        digits); on a tie, the earlier one.  RecordError when the archive has none."""
        return closest_capture(self.captures(url), stamp, url)


def closest_capture(captures: Sequence[Capture], stamp: str, url: str) -> Capture:
    """The one of ``captures`` (oldest first) closest in time to ``stamp``."""
    if not captures:
        raise RecordError(f"the archive holds no capture of {url}")
    wanted = timestamp_datetime(stamp)
    stamps = [capture.timestamp for capture in captures]
    position = bisect_left(stamps, warc_timestamp(wanted.strftime("%Y%m%d%H%M%S")))
    candidates = [captures[i] for i in (position - 1, position) if 0 <= i < len(captures)]
    return min(candidates, key=lambda capture: abs((capture.moment - wanted).total_seconds()))


def read_resource(project_root: Path, capture: Capture) -> ArchivedResponse:
    """The archived response of a capture (see :class:`ArchivedResponse`).

    Raises WarcReadError when the record cannot be read, RecordError when its WARC path
    leaves the project.
    """
    path = resolve_in_project(project_root, capture.warc_path)
    record = read_record_at(path, capture.offset)
    payload = record_payload(path, record) or b""
    if capture.record_type == "resource":
        content_type = record.header("Content-Type") or "application/octet-stream"
        return ArchivedResponse(capture, 200, "OK", (("Content-Type", content_type),), payload)
    try:
        message = parse_http_message(record.block)
    except ValueError as error:
        raise RecordError(
            f"{capture.warc_path} at offset {capture.offset}: the archived response cannot be "
            f"read ({error})"
        ) from error
    match = re.match(r"HTTP/\d+(?:\.\d+)?\s+(\d{3})\s*(.*)", message.start_line)
    status, reason = (int(match.group(1)), match.group(2)) if match else (200, "OK")
    headers = message.headers
    if capture.record_type == "revisit" and match is None:
        # a revisit without its own HTTP headers replays the revisited response's
        original = parse_http_message(find_revisited(path, record).block)
        headers = original.headers
    return ArchivedResponse(capture, status, reason, headers, payload)


__all__ = [
    "REPLAYED_TYPES",
    "RESCAN_SECONDS",
    "ArchivedResponse",
    "Capture",
    "CaptureIndex",
    "closest_capture",
    "read_resource",
    "timestamp_datetime",
    "warc_timestamp",
]

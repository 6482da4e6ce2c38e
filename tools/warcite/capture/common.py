"""What every part of capture shares: limits, the clock, record IDs, WARC-Date, the context."""

from __future__ import annotations

import functools
import platform
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcite.core.errors import UsageError
from warcite.core.models import RevisitTarget
from warcite.core.version import __version__

Clock = Callable[[], datetime]
RecordIdFactory = Callable[[], str]
DedupeLookup = Callable[[str, str], "RevisitTarget | None"]
"""``(target_uri, payload_digest) -> RevisitTarget | None``: an earlier identical payload."""

DEFAULT_WORKERS = 4
"""Requests at once per host: fewer than a browser's six, so a capture is no heavier than a
visit."""
DEFAULT_DELAY = 0.0
"""Seconds between two requests to one host: none, as a browser loading the page."""
DEFAULT_MAX_TOTAL_BYTES = 500_000_000
"""Bytes one capture may receive in all (page, redirects and requisites)."""
DEFAULT_TOTAL_TIMEOUT = 300.0
"""Seconds one capture may take in all."""
ROBOTS_POLICY = "ignore"
"""robots.txt is not consulted: a capture is one page the user asked for, as a browser visit."""


@dataclass(frozen=True)
class CaptureProgress:
    """Where a capture is: requisites written / known so far, bytes received in all."""

    requisites_done: int
    requisites_total: int
    bytes_received: int


REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 50_000_000
DEFAULT_MAX_REDIRECTS = 10
DEFAULT_MAX_REQUISITES = 100
DEFAULT_USER_AGENT = f"Mozilla/5.0 (compatible; warcite/{__version__})"
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def utc_now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(timezone.utc)


def new_uuid_record_id() -> str:
    """The default record-ID factory: ``<urn:uuid:...>`` (a random UUID)."""
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime) -> str:
    """A WARC-Date: UTC, ``Z`` suffix, with microseconds when the moment has any.

    WARC 1.1 (section 5.4) allows fractions of a second; a whole second is written
    without a fraction (``2026-11-26T12:00:00Z``).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=1)
def _warcio_version() -> str:
    """warcio's installed version, read from its distribution's metadata folder.

    ``import warcio`` (which has no ``__version__``) and ``importlib.metadata.version`` each
    took about 90 ms of every capture's start; the ``warcio-<version>.dist-info`` folder
    beside the package says the same in a few milliseconds.
    """
    import importlib.util

    spec = importlib.util.find_spec("warcio")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        for folder in site.glob("warcio-*.dist-info"):
            version = folder.name[len("warcio-") : -len(".dist-info")]
            if version:
                return version
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version("warcio")
    except PackageNotFoundError:
        return "unknown"


def software_name() -> str:
    return f"warcite/{__version__} (warcio/{_warcio_version()}; Python/{platform.python_version()})"


@dataclass(frozen=True)
class CaptureContext:
    archive_dir: Path
    clock: Clock
    new_record_id: RecordIdFactory
    hostname: str


def capture_context(
    archive_dir: str | Path,
    clock: Clock | None,
    new_record_id: RecordIdFactory | None,
    hostname: str | None,
) -> CaptureContext:
    return CaptureContext(
        Path(archive_dir),
        clock or utc_now,
        new_record_id or new_uuid_record_id,
        hostname if hostname is not None else socket.gethostname(),
    )


def context_now(context: CaptureContext) -> datetime:
    moment = context.clock()
    if moment.tzinfo is None:
        raise UsageError("the clock must return timezone-aware datetimes (UTC)")
    return moment.astimezone(timezone.utc)


def milliseconds_between(start: datetime, end: datetime) -> int:
    return round((end - start).total_seconds() * 1000)


def exchange_fields(
    redirect_lines: Sequence[str],
    final_uri: str,
    final_status: int,
    content_type: str | None,
    started: datetime,
    finished: datetime,
    timing_lines: Sequence[str],
    truncated: str | None,
) -> list[tuple[str, str | int | None]]:
    """The metadata record's fields that say how the page was fetched, in the order every
    capture (plain or in a browser) writes them: redirects, the final answer, the times,
    the timings, the outcome (from the truncation and the status) and any truncation."""
    if truncated:
        outcome = f"truncated ({truncated})"
    elif final_status >= 400:
        outcome = f"HTTP error {final_status} archived at the user's request (--keep-errors)"
    else:
        outcome = "complete"
    fields: list[tuple[str, str | int | None]] = [("redirect", line) for line in redirect_lines]
    fields += [
        ("final-uri", final_uri),
        ("http-status", final_status),
        ("content-type", content_type),
        ("started-at", warc_date(started)),
        ("finished-at", warc_date(finished)),
        ("duration-ms", milliseconds_between(started, finished)),
    ]
    fields += [("timing", line) for line in timing_lines]
    fields += [("outcome", outcome), ("truncated", truncated)]
    return fields

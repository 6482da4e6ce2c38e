"""Values every part of a record uses: constants, JSON limits, credentials, times, digests,
agents and events of the record's history."""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import json
import platform
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError
from warcite.core.models import ArchivedPage
from warcite.core.version import __version__
from warcite.record import provenance

JsonObject = dict[str, Any]
Clock = Callable[[], datetime]
UuidFactory = Callable[[], "uuid.UUID | str"]

SCHEMA_VERSION = "1.2.0"
"""The schema version warcite writes."""

CSL_SCHEMA_ID = "https://resource.citationstyles.org/schema/latest/input/json/csl-data.json"
"""The upstream $id of the vendored CSL-JSON schema; schema 1.0.0 refers to it (resolved from
the local registry); 1.1.0 and later bundle the schema under their own ids (no reference
leaves the document)."""

TEXT_NORMALIZATION = (
    "UTF-8, Unicode NFC, LF line ends, blocks separated by one blank line, "
    "no-break spaces as spaces, ending with one LF"
)
RIGHTS_IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
WARC_MEDIA_TYPE = "application/warc"
TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"

EVENT_TYPE_URIS = {
    "capture": "http://id.loc.gov/vocabulary/preservation/eventType/cap",
    "ingestion": "http://id.loc.gov/vocabulary/preservation/eventType/ing",
    "message digest calculation": "http://id.loc.gov/vocabulary/preservation/eventType/mes",
    "metadata extraction": "http://id.loc.gov/vocabulary/preservation/eventType/mee",
    "validation": "http://id.loc.gov/vocabulary/preservation/eventType/val",
    "fixity check": "http://id.loc.gov/vocabulary/preservation/eventType/fix",
    "migration": "http://id.loc.gov/vocabulary/preservation/eventType/mig",
}
"""Library of Congress preservation event types (id.loc.gov/vocabulary/preservation/eventType)."""

CONTENT_KEYS = ("id", "work", "capture", "text", "files", "citation")
"""The parts of a record that say what it is; two records with equal content are identical
even when their record_id, created date, events and agents differ (see content_differences)."""


# --------------------------------------------------------------------------- small helpers

_USERINFO = re.compile(r"(://)[^/?#@\s]*@")
MAX_JSON_DEPTH = 64
"""A record is about ten levels deep; deeper JSON is refused before it is checked."""


def without_credentials(url: str) -> str:
    """``url`` with any ``user:password@`` removed from its authority (also inside
    ``urn:transcript:http://...``): credentials never go into a record or citation."""
    return _USERINFO.sub(r"\1", url)


def as_uri(value: str) -> str:
    """A URL as a record states it: without credentials, and a URI, not an IRI.

    Other tools write ``WARC-Target-URI: https://beispiel.de/café`` (an IRI); a record's
    URLs are URIs (its schema checks them), so every character a URI cannot hold is
    percent-encoded as UTF-8, as RFC 3987 section 3.1 maps an IRI to a URI: ``é`` becomes
    ``%C3%A9``, a space ``%20``.  Existing percent-escapes and every other character are
    kept, so a URI is returned unchanged.
    """
    from warcite.core.warc.records import percent_encoded

    return percent_encoded(without_credentials(value).encode("utf-8", "surrogatepass"))


def has_credentials(url: str) -> bool:
    """True when ``url`` carries ``user[:password]@`` in its authority."""
    return _USERINFO.search(url) is not None


def page_without_credentials(page: ArchivedPage) -> ArchivedPage:
    memento = page.memento
    if memento is not None:
        memento = dataclasses.replace(memento, original_uri=as_uri(memento.original_uri))
    return dataclasses.replace(
        page,
        target_uri=as_uri(page.target_uri),
        url=as_uri(page.url) if page.url else page.url,
        memento=memento,
    )


def page_for_extraction(page: ArchivedPage) -> ArchivedPage:
    """The page as the extractor sees it when a record is made: its URLs without
    credentials, so that no evidence the extractor records can hold them."""
    return page_without_credentials(page)


def without_any_credentials(value: Any) -> Any:
    """``value`` (JSON data) with credentials removed from every URL in every string."""
    if isinstance(value, str):
        return without_credentials(value) if "@" in value else value
    if isinstance(value, dict):
        return {key: without_any_credentials(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_any_credentials(item) for item in value]
    return value


def json_depth_exceeds(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when ``value`` nests objects and arrays deeper than ``limit`` (iterative)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _nesting_exceeds(data: bytes, limit: int) -> bool:
    """A byte scan (strings skipped) for nesting deeper than ``limit``, before parsing."""
    depth = 0
    in_string = False
    escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def parse_record_json(data: bytes, where: str) -> Any:
    """Parse a record file's bytes; RecordError (with line and column) for what is not JSON,
    not UTF-8, or nested deeper than a record is (:data:`MAX_JSON_DEPTH`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(f"{where}: not UTF-8 text (byte {error.start})") from None
    if _nesting_exceeds(data, MAX_JSON_DEPTH):
        raise RecordError(
            f"{where}: the JSON nests arrays and objects more than {MAX_JSON_DEPTH} levels "
            "deep; a record is about ten: not a warcite record"
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(
            f"{where}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:  # pragma: no cover - the byte scan refuses this first
        raise RecordError(f"{where}: the JSON nests too deeply") from None
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise RecordError(f"{where}: not a record: {error}") from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise RecordError(
            f"{where}: a string holds {bad.encode('unicode_escape').decode()}, a lone "
            "surrogate escape that is not Unicode text"
        ) from None
    return data


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(timezone.utc)


def format_utc(when: datetime) -> str:
    """``2026-11-26T12:00:00Z``: UTC, seconds precision."""
    if when.tzinfo is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def uuid_urn(new_uuid: UuidFactory) -> str:
    """``urn:uuid:...`` from an injectable factory (returning a UUID or its string)."""
    value = str(new_uuid())
    value = value.removeprefix("urn:uuid:")
    return f"urn:uuid:{uuid.UUID(value)}"


def file_digests(path: Path) -> tuple[int, str, str]:
    """Size, sha512 and sha256 (lowercase hex) of a file, read in chunks."""
    sha512 = hashlib.sha512()
    sha256 = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            size += len(chunk)
            sha512.update(chunk)
            sha256.update(chunk)
    return size, sha512.hexdigest(), sha256.hexdigest()


def bytes_digests(data: bytes) -> tuple[int, str, str]:
    """Size, sha512 and sha256 (lowercase hex) of some bytes."""
    return len(data), hashlib.sha512(data).hexdigest(), hashlib.sha256(data).hexdigest()


@functools.cache  # read from the installed package's metadata: 1 ms a call, 27 a record
def _package_version(name: str) -> str:
    from importlib import metadata  # 50 ms to import: only when a record is made

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def software_agent() -> JsonObject:
    """warcite as a PREMIS agent, with the versions of what it runs on."""
    return {
        "id": f"urn:warcite:agent:warcite-{__version__}",
        "type": "software",
        "name": "warcite",
        "version": __version__,
        "environment": {
            "python": platform.python_version(),
            "warcio": _package_version("warcio"),
            "lxml": _package_version("lxml"),
            "jsonschema": _package_version("jsonschema"),
        },
    }


def operator_agent(name: str) -> JsonObject:
    """The person who ran warcite, as a PREMIS agent (see warcite.record.provenance)."""
    return provenance.operator_agent(name)


def event(
    kind: str,
    *,
    when: datetime | str,
    new_uuid: UuidFactory,
    detail: str,
    agent: str,
    outcome: str = "success",
) -> JsonObject:
    """A PREMIS-style event of a Library of Congress event type."""
    return {
        "id": uuid_urn(new_uuid),
        "type": kind,
        "type_uri": EVENT_TYPE_URIS[kind],
        "date": when if isinstance(when, str) else format_utc(when),
        "outcome": outcome,
        "detail": detail,
        "agent": agent,
    }


def with_history(existing: Mapping[str, Any], record: JsonObject) -> JsonObject:
    """``record`` rebuilt over ``existing`` (the same capture), keeping the earlier history.

    A preservation record's events are its history: when a record is rebuilt with
    ``--replace``, the earlier events stay first, followed by this build's events except a
    second ingestion or capture of the same WARC record; agents named by the earlier
    events are kept; ``created`` stays the date the record was first made.
    """
    rebuilt = copy.deepcopy(record)
    old_events = [e for e in existing.get("events", []) if isinstance(e, dict)]
    new_events = [
        e for e in rebuilt.get("events", []) if e.get("type") not in ("capture", "ingestion")
    ]
    for item in new_events:
        if item.get("type") == "metadata extraction":
            item["detail"] = f"{item['detail']}; rebuilt over the earlier record (--replace)"
    rebuilt["events"] = old_events + new_events
    agent_ids = {a.get("id") for a in rebuilt.get("agents", []) if isinstance(a, dict)}
    named = {e.get("agent") for e in old_events} | {
        link.get("id")
        for e in old_events
        for link in e.get("linking_agents", [])
        if isinstance(link, dict)
    }
    rebuilt["agents"] = list(rebuilt.get("agents", [])) + [
        a
        for a in existing.get("agents", [])
        if isinstance(a, dict) and a.get("id") in named and a.get("id") not in agent_ids
    ]
    if isinstance(existing.get("created"), str):
        rebuilt["created"] = existing["created"]
    return rebuilt

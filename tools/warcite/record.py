"""Records: a capture plus its extraction -> a JSON record and its clean text; JSON <-> record.

A record is ``records/<id>.json`` plus ``records/<id>.txt`` (docs/record-format.md).
The JSON follows the versioned schema ``schemas/record/<version>/record.schema.json``
(installed as ``warcite/schemas/...``); published schema versions are never edited, a
change is a new version with a migration registered here (:func:`register_migration`,
:func:`migrate`).

Public functions::

    build_record(page, extraction, *, slug, project_root, clock, new_uuid, ...)  pure
    write_record(record, text, project_root, replace=False)   atomic, never silently replaces
    make_record(warc_path, *, record_id=None, slug=None, replace=False, ...)  the whole stage
    load_record(ref, project_root)     by slug, record_id (urn:uuid:...) or path
    record_text(record, project_root)  the stored clean text
    record_validator(version)          a jsonschema validator (local registry, no network)
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import platform
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from warcite import __version__, provenance
from warcite.config import Config
from warcite.errors import ExtractionError, RecordError, ValidationFailed
from warcite.models import ArchivedPage, Evidence, Extraction, Field, Person
from warcite.project import (
    MAX_RECORD_BYTES,
    MAX_TEXT_BYTES,
    RECORDS_DIR,
    display_path,
    find_project_root,
    read_regular_file,
    record_json_files,
    relative_to_project,
    resolve_in_project,
)
from warcite.slugs import default_slug, slug_words

JsonObject = dict[str, Any]
Clock = Callable[[], datetime]
UuidFactory = Callable[[], "uuid.UUID | str"]

SCHEMA_VERSION = "1.1.0"
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


# --------------------------------------------------------------------------- schemas


def schemas_directory() -> Path:
    """The folder holding ``record/<version>/record.schema.json`` and ``vendor/``.

    The schemas live once, in the project's top-level ``schemas/`` (no copy, no link); the
    wheel carries them as ``warcite/schemas`` (setuptools ``package-dir`` maps the folder
    in).  Looked up in the installed package's ``warcite/schemas`` first, then, in a source
    checkout or an editable install (the package is ``<project>/tools/warcite``), in
    ``<project>/schemas``.  RecordError when neither holds the schema (a broken
    installation), rather than validating against nothing.
    """
    package = Path(__file__).resolve().parent
    candidates = [package / "schemas"]
    if package.parent.name == "tools":
        candidates.append(package.parent.parent / "schemas")
    for folder in candidates:
        if (folder / "record" / SCHEMA_VERSION / "record.schema.json").is_file():
            return folder
    looked = " or ".join(
        str(folder / "record" / SCHEMA_VERSION / "record.schema.json") for folder in candidates
    )
    raise RecordError(
        f"warcite's record schemas are missing (looked for {looked}); "
        "reinstall warcite (pip install --force-reinstall warcite)"
    )


def schema_path(version: str = SCHEMA_VERSION) -> Path:
    """Where the schema of a record version lives."""
    return schemas_directory() / "record" / version / "record.schema.json"


def known_schema_versions() -> list[str]:
    """Every published record schema version, oldest first."""
    folder = schemas_directory() / "record"
    versions = [p.parent.name for p in folder.glob("*/record.schema.json")]
    return sorted(versions, key=parse_version)


@cache
def load_schema(version: str = SCHEMA_VERSION) -> JsonObject:
    """The JSON Schema of a record version; RecordError when that version is not published."""
    path = schema_path(version)
    try:
        schema: JsonObject = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(
            f"no record schema for version {version!r} (looked for {path}); "
            f"known versions: {', '.join(known_schema_versions()) or 'none'}"
        ) from None
    return schema


@lru_cache(maxsize=1)
def load_csl_schema() -> JsonObject:
    """The vendored official CSL-JSON input schema (an array of items)."""
    schema: JsonObject = json.loads(
        (schemas_directory() / "vendor" / "csl-data.json").read_text(encoding="utf-8")
    )
    return schema


def schema_registry() -> Any:
    """A referencing.Registry holding every record schema and the CSL schema.

    References resolve only against these local resources: no network access is attempted.
    """
    from referencing import Registry, Resource

    resources = [(CSL_SCHEMA_ID, Resource.from_contents(load_csl_schema()))]
    for version in known_schema_versions():
        schema = load_schema(version)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@cache
def record_validator(version: str = SCHEMA_VERSION) -> Any:
    """A Draft 2020-12 validator for records of ``version``, checking formats."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        load_schema(version),
        registry=schema_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


# --------------------------------------------------------------------------- versions


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1.0.0"`` -> ``(1, 0, 0)``; RecordError for anything but MAJOR.MINOR.PATCH."""
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version) if isinstance(version, str) else None
    if match is None:
        raise RecordError(
            f"schema_version {version!r} is not a version number like {SCHEMA_VERSION!r}"
        )
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


Migration = Callable[[JsonObject], JsonObject]
MIGRATIONS: dict[str, tuple[str, Migration]] = {}
"""from_version -> (to_version, function).  Each step returns a new record of to_version."""


def register_migration(from_version: str, to_version: str) -> Callable[[Migration], Migration]:
    """Register a function migrating a record from one schema version to the next."""
    parse_version(from_version)
    parse_version(to_version)
    if parse_version(to_version) <= parse_version(from_version):
        raise ValueError(f"a migration must go forward: {from_version} -> {to_version}")

    def decorator(function: Migration) -> Migration:
        MIGRATIONS[from_version] = (to_version, function)
        return function

    return decorator


def version_problem(version: object) -> str | None:
    """Why a record of ``version`` cannot be read by this warcite, or None when it can."""
    if not isinstance(version, str):
        return f"schema_version must be a string like {SCHEMA_VERSION!r}, not {version!r}"
    try:
        parsed = parse_version(version)
    except RecordError as error:
        return str(error)
    if parsed > parse_version(SCHEMA_VERSION):
        return (
            f"the record uses schema version {version}, newer than this warcite "
            f"({__version__}) knows (newest {SCHEMA_VERSION}); upgrade warcite to read it"
        )
    if version != SCHEMA_VERSION and version not in MIGRATIONS:
        return (
            f"schema version {version} is unknown: no migration from it to {SCHEMA_VERSION} "
            f"(known versions: {', '.join(known_schema_versions())})"
        )
    return None


def migrate(
    record: Mapping[str, Any],
    *,
    clock: Clock | None = None,
    new_uuid: UuidFactory | None = None,
) -> JsonObject:
    """The record brought to the current schema version (a new dict; the input is untouched).

    Each registered step is applied in turn and recorded as a PREMIS ``migration`` event.
    Raises RecordError for a record of a future or unknown version.
    """
    problem = version_problem(record.get("schema_version"))
    if problem is not None:
        raise RecordError(problem)
    result = copy.deepcopy(dict(record))
    clock = clock or utc_now
    new_uuid = new_uuid or uuid.uuid4
    while result["schema_version"] != SCHEMA_VERSION:
        source = result["schema_version"]
        target, function = MIGRATIONS[source]
        result = function(copy.deepcopy(result))
        result["schema_version"] = target
        agent = software_agent()
        events = result.setdefault("events", [])
        if isinstance(events, list):
            migration = event(
                "migration",
                when=clock(),
                new_uuid=new_uuid,
                detail=f"record migrated from schema version {source} to {target}",
                agent=agent["id"],
            )
            if parse_version(target) >= (1, 1, 0) and isinstance(result.get("id"), str):
                provenance.link_event(migration, result)
            events.append(migration)
        agents = result.setdefault("agents", [])
        if isinstance(agents, list) and not any(
            isinstance(a, dict) and a.get("id") == agent["id"] for a in agents
        ):
            agents.append(agent)
    return result


register_migration("1.0.0", "1.1.0")(provenance.migrate_1_0_0_to_1_1_0)


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
    from warcite.warc import percent_encoded

    return percent_encoded(without_credentials(value).encode("utf-8", "surrogatepass"))


def has_credentials(url: str) -> bool:
    """True when ``url`` carries ``user[:password]@`` in its authority."""
    return _USERINFO.search(url) is not None


def _page_without_credentials(page: ArchivedPage) -> ArchivedPage:
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
    return _page_without_credentials(page)


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
    """The person who ran warcite, as a PREMIS agent (see warcite.provenance)."""
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


# --------------------------------------------------------------------------- text


def normalize_block(text: str, kind: str = "paragraph") -> str:
    """One block of the clean text: NFC, no-break spaces as spaces, LF, no blank lines inside
    (a blank line separates blocks), no trailing spaces; a ``preformatted`` block keeps the
    indentation of its lines, the first one included."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u00a0\u202f\u2007]", " ", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line.strip())
    return text if kind == "preformatted" else text.strip()


def clean_text(extraction: Extraction) -> tuple[str, list[str]]:
    """The text file's content and the kind of each block (empty blocks dropped)."""
    blocks: list[str] = []
    kinds: list[str] = []
    for paragraph in extraction.paragraphs:
        block = normalize_block(paragraph.text, paragraph.kind)
        if block:
            blocks.append(block)
            kinds.append(paragraph.kind)
    if not blocks:
        raise RecordError("the extraction holds no text: there is nothing to record")
    return "\n\n".join(blocks) + "\n", kinds


def text_blocks(text: str) -> list[str]:
    """The blocks of a stored clean text (paragraph N is element N-1)."""
    body = text[:-1] if text.endswith("\n") else text
    return body.split("\n\n") if body else []


# --------------------------------------------------------------------------- building


def _evidence(value: Field | Evidence | None) -> JsonObject | None:
    if value is None:
        return None
    return {"value": value.value, "source": value.source, "raw": value.raw, "note": value.note}


def _person(person: Person, as_of: str | None) -> JsonObject:
    forms = list(dict.fromkeys([person.name, *person.forms]))
    return {
        "type": "organization" if person.kind == "organization" else "person",
        "name": person.name,
        "family": person.family,
        "given": person.given,
        "particle": person.particle,
        "suffix": person.suffix,
        "name_order": person.name_order,
        "forms": forms,
        "alternate_names": [form for form in forms if form != person.name],
        "affiliations": [
            {
                "name": affiliation.name,
                "alternate_name": affiliation.alternate_name,
                "role": affiliation.role,
                "as_of": as_of,
                "source": affiliation.source,
                "raw": affiliation.raw,
            }
            for affiliation in person.affiliations
        ],
        "bio": person.bio,
        "sources": list(dict.fromkeys(person.sources)),
    }


def _candidates(extraction: Extraction) -> JsonObject:
    result: JsonObject = {}
    for name in (
        "title",
        "published",
        "modified",
        "publisher",
        "section",
        "genre",
        "language",
        "description",
        "canonical_url",
    ):
        value: Field | None = getattr(extraction, name)
        if value is not None and value.candidates:
            result[name] = [_evidence(candidate) for candidate in value.candidates]
    return result


def _http_url(value: str | None) -> str | None:
    return as_uri(value) if value and re.match(r"^https?://\S+$", value) else None


def _metadata_field(page: ArchivedPage, *names: str) -> str | None:
    wanted = {name.lower() for name in names}
    for key, value in page.source_metadata:
        if key.lower() in wanted and value.strip():
            return value.strip()
    return None


def _normalize_warc_date(value: str | None) -> str | None:
    """A WARC/ISO date-time in UTC with a Z suffix, or None when it cannot be read."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z", text):
        return text
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return format_utc(parsed)


def source_description(page: ArchivedPage, original_url: str) -> str:
    """A plain-language statement of what this copy is, honest about how it was made."""
    source_file = _metadata_field(
        page, "source-file-name", "source-file", "source-filename", "filename"
    )
    from_file = f" from the file {source_file}" if source_file else ""
    if page.method == "import-transcript":
        return (
            f"Plain-text transcript of the page {original_url} as received: the page's text "
            f"without its HTML markup (boilerplate included), imported{from_file}. The original "
            "HTML was not available. Not a live capture."
        )
    if page.method == "import-html":
        return (
            f"HTML of the page {original_url} supplied by the operator and imported{from_file} "
            "with its bytes unchanged. Not a live capture: warcite did not fetch it."
        )
    if page.method == "import-warc":
        return (
            f"A {page.record_type} record for {original_url} copied unchanged from an existing "
            f"WARC file{from_file}; warcite did not make the original capture."
        )
    if page.method == "import-memento":
        when = page.memento.datetime if page.memento else "an unknown date"
        return (
            f"Memento of {original_url} as a web archive held it on {when}, fetched from "
            f"{page.target_uri}."
        )
    status = f" (HTTP status {page.http_status})" if page.http_status else ""
    truncated = f"; the body was truncated ({page.truncated})" if page.truncated else ""
    return (
        f"Live HTTP capture of {page.target_uri}{status} by warcite, stored as received on the "
        f"wire{truncated}."
    )


def _observed_at(page: ArchivedPage) -> str | None:
    """When the content was seen on the web: known for live captures and mementos only,
    or when the operator stated it for an import; never invented."""
    stated = _normalize_warc_date(_metadata_field(page, "observed-at", "observed_at"))
    if stated:
        return stated
    if page.method == "http-capture":
        return _normalize_warc_date(page.warc_date)
    if page.method == "import-memento" and page.memento:
        return _normalize_warc_date(page.memento.datetime)
    if page.method == "import-warc" and page.record_type == "response":
        return _normalize_warc_date(page.warc_date)
    return None


def warcinfo_fields(path: Path) -> tuple[tuple[str, str], ...]:
    """The fields of a WARC's first record when it is a warcinfo record (else empty)."""
    from warcite.warc import iter_records, parse_warc_fields

    records = iter_records(path)
    first = next(records, None)
    close = getattr(records, "close", None)
    if close is not None:
        close()  # a generator: releases the open file now
    if first is None or first.info.record_type != "warcinfo":
        return ()
    return parse_warc_fields(first.block)


def _field_value(fields: Sequence[tuple[str, str]], name: str) -> str | None:
    for key, value in fields:
        if key.lower() == name and value.strip():
            return value.strip()
    return None


def _capture_tool(page: ArchivedPage, warcinfo: Sequence[tuple[str, str]]) -> JsonObject:
    """The software that wrote the WARC: its warcinfo ``software`` field, parsed."""
    software = _field_value(warcinfo, "software") or _metadata_field(page, "software")
    if software:
        match = re.match(r"^\s*([^\s/]+)(?:[/ ]v?([0-9][^\s()]*))?", software)
        if match:
            return {"name": match.group(1), "version": match.group(2)}
    if page.method == "import-warc":
        return {"name": "unknown", "version": None}
    return {"name": "warcite", "version": __version__}


def build_record(
    page: ArchivedPage,
    extraction: Extraction,
    *,
    slug: str,
    project_root: Path,
    clock: Clock,
    new_uuid: UuidFactory,
    operator: str | None = None,
    observed_at: str | None = None,
    record_id: str | None = None,
    warc_file: tuple[int, str, str] | None = None,
    warcinfo: Sequence[tuple[str, str]] = (),
    lineage: Mapping[str, Any] | None = None,
) -> tuple[JsonObject, str]:
    """The JSON record and the clean text for one page and its extraction.

    Pure apart from reading the WARC file's first line (its version) and digests (pass
    ``warc_file`` = (size, sha512, sha256) to skip the digests).  ``clock`` and ``new_uuid`` make the output deterministic;
    ``observed_at`` (ISO 8601) states when the content was seen on the web, overriding what
    the WARC tells; ``record_id`` reuses an existing record's identity (a rebuild of the same
    capture); ``warcinfo`` are the WARC's warcinfo fields (the writing software, the user
    agent).
    """
    from warcite.slugs import SLUG_PATTERN

    if not SLUG_PATTERN.match(slug):
        raise RecordError(f"{slug!r} is not a valid record id (lowercase letters, digits, '-')")
    page = _page_without_credentials(page)
    now = clock()
    text, kinds = clean_text(extraction)
    text_bytes = text.encode("utf-8")
    text_path = f"{RECORDS_DIR}/{slug}.txt"
    warc_path = relative_to_project(page.warc_path, project_root)
    size, sha512, sha256 = warc_file or file_digests(page.warc_path)
    text_size, text_sha512, text_sha256 = bytes_digests(text_bytes)

    original_url = (
        (page.memento.original_uri if page.memento else None)
        or _http_url(extraction.url)
        or _http_url(page.url)
        or _http_url(page.target_uri)
    )
    if original_url is None:
        raise RecordError(
            f"{page.warc_path} record {page.record_id}: the page's original http(s) URL is "
            "unknown (import the file with --url)"
        )
    published = extraction.published.value if extraction.published else None
    as_of = published[:10] if published and re.match(r"\d{4}-\d{2}-\d{2}", published) else None
    title: JsonObject | None = None
    if extraction.title is not None:
        from warcite.cite.titles import sentence_case  # the citation stage: not for validate

        title = {
            **(_evidence(extraction.title) or {}),
            "sentence_case": sentence_case(
                extraction.title.value,
                extraction.text,
                extraction.language.value if extraction.language else None,
            ),
        }
    publisher = _evidence(extraction.publisher)
    canonical = extraction.canonical_url.value if extraction.canonical_url else None
    work: JsonObject = {
        "title": title,
        "authors": [_person(person, as_of) for person in extraction.authors],
        "published": _evidence(extraction.published),
        "modified": _evidence(extraction.modified),
        "publisher": publisher,
        "container_title": publisher["value"] if publisher else None,
        "section": _evidence(extraction.section),
        "description": _evidence(extraction.description),
        "keywords": list(dict.fromkeys(k for k in extraction.keywords if k.strip())),
        "language": _evidence(extraction.language),
        "url": original_url,
        "canonical_url": _http_url(canonical),
        "genre": _evidence(extraction.genre),
        "rights": RIGHTS_IN_COPYRIGHT,
        "candidates": _candidates(extraction),
    }

    ingested_at = _normalize_warc_date(page.warc_date) or format_utc(now)
    memento = None
    if page.memento is not None:
        memento = {
            "original_uri": page.memento.original_uri,
            "datetime": _normalize_warc_date(page.memento.datetime) or page.memento.datetime,
            "source": page.memento.source,
        }
    tool = _capture_tool(page, warcinfo)
    if observed_at is not None:
        stated = _normalize_warc_date(observed_at)
        if stated is None:
            raise RecordError(
                f"observed_at {observed_at!r} is not an ISO 8601 date-time with a time zone"
            )
        observed_at = stated
    final_uri = _http_url(page.target_uri) or original_url
    capture: JsonObject = {
        "method": page.method,
        "source_description": source_description(page, original_url),
        "observed_at": observed_at or _observed_at(page),
        "ingested_at": ingested_at,
        "target_uri": page.target_uri,
        "final_uri": final_uri,
        "http_status": page.http_status,
        "content_type": page.content_type,
        "memento": memento,
        "warc": {
            "path": warc_path,
            "record_id": page.record_id,
            "record_type": page.record_type,
            "date": page.warc_date,
            "offset": page.offset,
            "length": page.length,
            "payload_digest": page.payload_digest,
        },
        "tool": tool,
        "user_agent": _metadata_field(page, "user-agent", "http-header-user-agent")
        or _field_value(warcinfo, "http-header-user-agent"),
        "note": _metadata_field(page, "note"),
        "truncated": page.truncated,
    }
    text_section: JsonObject = {
        "path": text_path,
        "sha512": text_sha512,
        "sha256": text_sha256,
        "paragraphs": len(kinds),
        "paragraph_kinds": kinds,
        "characters": len(text),
        "normalization": TEXT_NORMALIZATION,
        "extractor": {
            "name": extraction.extractor,
            "version": extraction.extractor_version or __version__,
        },
    }
    files = [
        {
            "path": warc_path,
            "role": "warc",
            "size": size,
            "media_type": WARC_MEDIA_TYPE,
            "sha512": sha512,
            "sha256": sha256,
        },
        {
            "path": text_path,
            "role": "text",
            "size": text_size,
            "media_type": TEXT_MEDIA_TYPE,
            "sha512": text_sha512,
            "sha256": text_sha256,
        },
    ]

    version = provenance.warc_version(page.warc_path)
    for entry in files:
        provenance.describe_file(entry, version)
    agent = software_agent()
    agents = [agent]
    capture_agent_id = agent["id"]
    if (tool["name"], tool["version"]) != ("warcite", __version__):
        capture_agent_id = f"urn:warcite:agent:{slug_words(tool['name'])}-" + (
            re.sub(r"[^a-z0-9.+-]", "-", (tool["version"] or "unknown").lower())
        )
        capture_agent: JsonObject = {
            "id": capture_agent_id,
            "type": "software",
            "name": tool["name"],
        }
        if tool["version"]:
            capture_agent["version"] = tool["version"]
        agents.append(capture_agent)
    operator_id = None
    if operator:
        agents.append(operator_agent(operator))
        operator_id = agents[-1]["id"]

    is_capture = page.method in ("http-capture", "import-memento")
    first_detail = (
        f"{'captured' if is_capture else 'ingested'} {original_url} into {warc_path} as "
        f"{page.record_type} record {page.record_id} ({capture['method']}); "
        + capture["source_description"]
    )
    extraction_detail = (
        f"extracted {len(kinds)} blocks of clean text and the metadata "
        f"({', '.join(_found_fields(work)) or 'none found'}) from record {page.record_id} with "
        f"{text_section['extractor']['name']} {text_section['extractor']['version']}"
    )
    if extraction.warnings:
        extraction_detail += "; warnings: " + "; ".join(extraction.warnings)
    events = [
        event(
            "capture" if is_capture else "ingestion",
            when=ingested_at,
            new_uuid=new_uuid,
            detail=first_detail,
            agent=capture_agent_id,
        ),
        event(
            "metadata extraction",
            when=now,
            new_uuid=new_uuid,
            detail=extraction_detail,
            agent=agent["id"],
            outcome="warning" if extraction.warnings else "success",
        ),
        event(
            "message digest calculation",
            when=now,
            new_uuid=new_uuid,
            detail=f"sha512 and sha256 of {warc_path} ({size} bytes) and {text_path} "
            f"({text_size} bytes)",
            agent=agent["id"],
        ),
        event(
            "validation",
            when=now,
            new_uuid=new_uuid,
            detail=f"record validated against the warcite record schema {SCHEMA_VERSION} "
            f"({load_schema()['$id']}), the citation against the CSL-JSON schema, and the "
            "files' sizes and digests and the WARC record checked",
            agent=agent["id"],
        ),
    ]
    record: JsonObject = {
        "schema_version": SCHEMA_VERSION,
        "record_id": record_id or uuid_urn(new_uuid),
        "id": slug,
        "created": format_utc(now),
        "work": work,
        "capture": capture,
        "text": text_section,
        "files": files,
        "events": events,
        "agents": agents,
        "citation": {},
        "extensions": {},
    }
    if lineage is not None and "lineage" in load_schema().get("properties", {}):
        record["lineage"] = dict(lineage)  # earlier captures of the work (warcite.lineage)
    record = without_any_credentials(record)
    record["citation"] = citation_item(record, project_root)
    provenance.link_events(record, operator_id)
    return record, text


def _found_fields(work: Mapping[str, Any]) -> list[str]:
    names = []
    for name in ("title", "authors", "published", "publisher", "language", "genre"):
        if work.get(name):
            names.append(name)
    return names


def citation_item(
    record: Mapping[str, Any], project_root: Path, config: Config | None = None
) -> JsonObject:
    """The record's CSL-JSON item, from warcite.cite (which owns every citation rule),
    naming the archive as ``config`` says (default: as the project's warcite.toml does)."""
    from warcite.cite import csl_item
    from warcite.config import load_config

    item: JsonObject = csl_item(dict(record), config=config or load_config(project_root))
    return item


# --------------------------------------------------------------------------- comparing


def _content(record: Mapping[str, Any]) -> JsonObject:
    content = {key: copy.deepcopy(record.get(key)) for key in CONTENT_KEYS}
    text = content.get("text")
    if isinstance(text, dict):
        text.pop("extractor", None)  # a newer warcite giving the same text is the same record
    citation = content.get("citation")
    if isinstance(citation, dict):
        citation.pop("archive", None)  # the archive's configured name, not the record's content
    return content


def content_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """JSON paths where two records' content differs (record_id, created, events, agents and
    the extractor's version are not content).  Empty when the records are identical."""
    differences: list[str] = []
    _diff(_content(old), _content(new), "$", differences)
    return differences


def _diff(old: Any, new: Any, path: str, out: list[str], limit: int = 20) -> None:
    if len(out) >= limit or old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(dict.fromkeys([*old, *new])):
            _diff(old.get(key), new.get(key), f"{path}.{key}", out, limit)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=False)):
            _diff(a, b, f"{path}[{index}]", out, limit)
    else:
        out.append(path)


# --------------------------------------------------------------------------- files


def record_paths(slug: str, project_root: Path) -> tuple[Path, Path]:
    """``records/<slug>.json`` and ``records/<slug>.txt`` under the project root."""
    folder = project_root / RECORDS_DIR
    return folder / f"{slug}.json", folder / f"{slug}.txt"


def dump_record(record: Mapping[str, Any]) -> str:
    """The record as its file holds it: UTF-8 JSON, two-space indent, key order kept."""
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def _id_taken(slug: str, project_root: Path) -> bool:
    """True when a record, text, seal or another process's reservation uses ``slug``."""
    from warcite.seal import seal_relative_path
    from warcite.store import reservation_path, reservation_state

    json_path, text_path = record_paths(slug, project_root)
    seal = project_root / seal_relative_path(slug)
    if any(os.path.lexists(path) for path in (json_path, text_path, seal)):
        return True
    reservation = reservation_path(project_root, slug)
    return reservation.exists() and reservation_state(reservation) != "stale"


def allocate_id(project: Path, slug: str) -> str:
    """Reserve a free record id: ``slug``, else ``slug-2``, ``slug-3``... (atomically, under
    the project lock).

    The id stays reserved for this process (``records/.warcite-reserved-<id>``) until its
    record is written (:func:`make_record` with ``slug=`` that id, or :func:`write_record`),
    :func:`warcite.store.release_id` is called, or the process ends (a reservation of a
    process that is gone is released by the next writer).  Raises UsageError for a slug
    that is not a valid id, RecordError when no id is free.
    """
    from warcite.lock import project_lock
    from warcite.slugs import check_slug
    from warcite.store import recover, reserve_id

    base = check_slug(slug)
    root = Path(project).resolve()
    with project_lock(root):
        recover(root)
        for candidate in _id_candidates(base):
            if not _id_taken(candidate, root):
                reserve_id(root, candidate)
                return candidate
    raise RecordError(f"no free record id for {base!r} ({base}-2 to {base}-999 are taken)")


def _id_candidates(base: str) -> list[str]:
    return [base] + [f"{base[:76].rstrip('-')}-{n}" for n in range(2, 1000)]


def _seal_bytes(record: Mapping[str, Any], json_bytes: bytes) -> bytes:
    from warcite.seal import manifest, record_entries

    return manifest(record_entries(record, json_bytes))


def write_record(
    record: Mapping[str, Any], text: str, project_root: Path, replace: bool = False
) -> tuple[Path, Path]:
    """Write ``records/<id>.json``, ``.txt`` and the seal ``.sha512`` in one all-or-nothing
    commit (:func:`warcite.store.commit_files`), under the project lock.

    Never replaces an existing record or text silently: RecordError unless ``replace``.
    Returns the JSON and text paths.
    """
    from warcite.lock import project_lock
    from warcite.seal import seal_relative_path
    from warcite.store import commit_files, reservation_path, reservation_state

    slug = record["id"]
    root = project_root.resolve()
    json_path, text_path = record_paths(slug, root)
    if record["text"]["path"] != f"{RECORDS_DIR}/{slug}.txt":
        raise RecordError(
            f"the record's text path {record['text']['path']!r} is not {RECORDS_DIR}/{slug}.txt"
        )
    json_bytes = dump_record(record).encode("utf-8")
    with project_lock(root):
        existing = [path for path in (json_path, text_path) if os.path.lexists(path)]
        if existing and not replace:
            raise RecordError(
                f"{display_path(existing[0], root)} exists already; warcite never "
                "replaces a record silently "
                "(use --replace to rewrite it, or --id to give this record another id)"
            )
        reservation = reservation_path(root, slug)
        if reservation.exists() and reservation_state(reservation) == "live":
            raise RecordError(
                f"the record id {slug!r} is reserved by another warcite process that is "
                "writing it; choose another --id"
            )
        commit_files(
            root,
            [
                (f"{RECORDS_DIR}/{slug}.txt", text.encode("utf-8")),
                (f"{RECORDS_DIR}/{slug}.json", json_bytes),
                (seal_relative_path(slug), _seal_bytes(record, json_bytes)),
            ],
            release=[slug],
        )
    return json_path, text_path


def write_sealed_record(
    record: JsonObject,
    project_root: Path,
    *,
    event_type: str,
    detail: str,
    outcome: str = "success",
    operator: str | None = None,
    clock: Clock | None = None,
    new_uuid: UuidFactory | None = None,
    seal_entries: Sequence[Any] | None = None,
) -> JsonObject:
    """Append a PREMIS event to an existing record and write it with a new seal (one commit).

    The event's agent is this warcite (added to ``agents`` when missing), and the operator
    when named.  ``seal_entries`` (of :class:`warcite.seal.SealEntry`) keeps the seal's
    other lines as they were (only the JSON's line is renewed); by default the seal is made
    from the record's own digests.  Returns the record written.
    """
    from warcite.seal import SealEntry, manifest, seal_relative_path
    from warcite.store import commit_files

    clock = clock or utc_now
    new_uuid = new_uuid or uuid.uuid4
    updated = copy.deepcopy(record)
    agents = updated.setdefault("agents", [])
    agent = software_agent()
    if not any(isinstance(a, dict) and a.get("id") == agent["id"] for a in agents):
        agents.append(agent)
    person_id: str | None = None
    if operator:
        person = operator_agent(operator)
        known = [a for a in agents if isinstance(a, dict) and a.get("id") == person["id"]]
        if not known:
            agents.append(person)
        person_id = person["id"]
    new_event = event(
        event_type,
        when=clock(),
        new_uuid=new_uuid,
        detail=detail,
        agent=agent["id"],
        outcome=outcome,
    )
    if str(updated.get("schema_version", "")) != "1.0.0":
        provenance.link_event(new_event, updated, person_id)
    updated.setdefault("events", []).append(new_event)
    slug = updated["id"]
    json_bytes = dump_record(updated).encode("utf-8")
    if seal_entries is None:
        seal = _seal_bytes(updated, json_bytes)
    else:
        own = f"{RECORDS_DIR}/{slug}.json"
        renewed = [
            SealEntry(own, hashlib.sha512(json_bytes).hexdigest()) if e.path == own else e
            for e in seal_entries
        ]
        seal = manifest(renewed)
    commit_files(
        project_root,
        [(f"{RECORDS_DIR}/{slug}.json", json_bytes), (seal_relative_path(slug), seal)],
    )
    return updated


# --------------------------------------------------------------------------- the stage


@dataclass(frozen=True)
class RecordResult:
    """What :func:`make_record` did: ``status`` is "created", "replaced" or "unchanged"."""

    path: Path
    text_path: Path
    record: JsonObject
    status: str
    warnings: tuple[str, ...] = field(default=())


def _existing_record(path: Path, project_root: Path | None = None) -> JsonObject | None:
    try:
        data = parse_record_json(
            read_regular_file(path, project_root, "record file", MAX_RECORD_BYTES), str(path)
        )
    except RecordError:
        return None
    return data if isinstance(data, dict) else None


def _readable(data: JsonObject | None) -> JsonObject | None:
    """An existing record of an older schema version, migrated in memory (so that a rebuild
    compares like with like and keeps a history of the current shape); else as it is."""
    if data is None or data.get("schema_version") == SCHEMA_VERSION:
        return data
    if version_problem(data.get("schema_version")) is not None:
        return data
    try:
        return migrate(data)
    except (RecordError, KeyError, TypeError, AttributeError):
        return data


def _same_capture(existing: Mapping[str, Any] | None, record: Mapping[str, Any]) -> bool:
    try:
        old = existing["capture"]["warc"]  # type: ignore[index]
        new = record["capture"]["warc"]
    except (KeyError, TypeError):
        return False
    return bool(old.get("path") == new["path"] and old.get("record_id") == new["record_id"])


def make_record(
    warc_path: Path,
    *,
    record_id: str | None = None,
    slug: str | None = None,
    replace: bool = False,
    project_root: Path | None = None,
    clock: Clock | None = None,
    new_uuid: UuidFactory | None = None,
    operator: str | None = None,
    lineage: Mapping[str, Any] | None = None,
) -> RecordResult:
    """Extract the page of a WARC and write its record and text, validated, atomically.

    ``record_id`` picks the WARC record (default: the capture's page); ``slug`` sets the
    record's id (default: :func:`default_slug`).  When a record of the same capture exists
    and its content is identical, nothing is written (status "unchanged"); when it differs,
    RecordError unless ``replace``.  A different capture whose default id is taken gets the
    next free ``<id>-2``, ``<id>-3``...; an explicit ``slug`` that is taken is an error unless
    ``replace`` (or this process reserved it with :func:`allocate_id`).  The record is
    validated (schema, CSL, fixity) before it is written.  Choosing the id and writing
    happen under the project lock, so concurrent runs never collide.
    ``lineage`` links a new capture to the earlier captures of its work (warcite.lineage;
    written where the record schema has it, from 1.1.0).
    """
    from warcite.extract import extract_page
    from warcite.lock import project_lock
    from warcite.project import open_regular_file
    from warcite.store import recover, reservation_path, reservation_state
    from warcite.warc import read_page

    warc_path = Path(warc_path)
    root = (project_root or find_project_root(warc_path.resolve().parent, required=False)).resolve()
    os.close(open_regular_file(warc_path, root, "WARC file"))  # no FIFO, device, link out
    clock = clock or utc_now
    new_uuid = new_uuid or uuid.uuid4
    page = read_page(warc_path, record_id)
    extraction = extract_page(page_for_extraction(page))
    if not extraction.paragraphs:  # a page without an article, and no text at all
        raise ExtractionError(
            f"{warc_path} record {page.record_id}: no record written, as the page has no "
            f"text to keep ({'; '.join(extraction.warnings) or 'no article text found'}); "
            "`warcite extract` shows the metadata that was found"
        )
    warc_file = file_digests(warc_path)
    warcinfo = warcinfo_fields(warc_path)
    warnings = list(extraction.warnings)
    if has_credentials(page.target_uri) or (page.url and has_credentials(page.url)):
        warnings.append(
            "the WARC's target URI holds credentials (user:password@); they are left out of "
            "the record and its citation"
        )

    def build(candidate: str, reuse: str | None = None) -> tuple[JsonObject, str]:
        return build_record(
            page,
            extraction,
            slug=candidate,
            project_root=root,
            clock=clock,
            new_uuid=new_uuid,
            operator=operator,
            record_id=reuse,
            warc_file=warc_file,
            warcinfo=warcinfo,
            lineage=lineage,
        )

    if slug is not None:
        from warcite.slugs import check_slug

        candidates = [check_slug(slug)]
    else:
        base = default_slug(
            page.memento.original_uri if page.memento else (extraction.url or page.url or ""),
            extraction.title.value if extraction.title else None,
        )
        candidates = _id_candidates(base)

    with project_lock(root):
        recover(root)
        for candidate in candidates:
            json_path, text_path = record_paths(candidate, root)
            reservation = reservation_path(root, candidate)
            state = reservation_state(reservation) if reservation.exists() else None
            if not _id_taken(candidate, root) or (
                state == "mine"
                and slug is not None
                and not os.path.lexists(json_path)
                and not os.path.lexists(text_path)
            ):
                record, text = build(candidate)
                status = "created"
                break
            if state == "live" and not os.path.lexists(json_path):
                if slug is not None:
                    raise RecordError(
                        f"the record id {candidate!r} is reserved by another warcite process "
                        "that is writing it; choose another --id"
                    )
                continue
            existing = _readable(_existing_record(json_path, root))
            record, text = build(candidate, reuse=(existing or {}).get("record_id"))
            if _same_capture(existing, record):
                assert existing is not None
                try:
                    stored_text: bytes | None = read_regular_file(
                        text_path, root, "text file", MAX_TEXT_BYTES
                    )
                except RecordError:
                    stored_text = None
                differences = content_differences(existing, record)
                if stored_text != text.encode("utf-8"):
                    differences.insert(0, f"the text file {text_path.name}")
                if not differences and not (
                    replace and provenance.new_operators(existing, record)
                ):
                    return RecordResult(json_path, text_path, existing, "unchanged")
                if not replace:
                    raise RecordError(
                        f"{display_path(json_path, root)} exists for this capture and differs "
                        "from the rebuilt record "
                        f"at {', '.join(differences[:8])}; use --replace to rewrite it"
                    )
                record = with_history(existing, record)
                status = "replaced"
                break
            if slug is not None:
                if not replace:
                    raise RecordError(
                        f"{display_path(json_path, root)} exists already for another capture; "
                        "choose another --id "
                        "or use --replace to overwrite it"
                    )
                record, text = build(candidate)
                status = "replaced"
                break
        else:  # pragma: no cover - a thousand records of one page
            raise RecordError(f"no free record id for {candidates[0]}")

        check_new_record(record, text, root)
        json_path, text_path = write_record(record, text, root, replace=status == "replaced")
    return RecordResult(json_path, text_path, record, status, tuple(warnings))


def check_new_record(record: Mapping[str, Any], text: str, project_root: Path) -> None:
    """Validate a record before it is written (its text given in memory); ValidationFailed."""
    from warcite.validate import check_record

    problems = check_record(
        record,
        project_root,
        display=f"{RECORDS_DIR}/{record['id']}.json",
        pending={record["text"]["path"]: text.encode("utf-8")},
    )
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise ValidationFailed(
            "the new record is not valid, nothing was written:\n"
            + "\n".join(problem.line() for problem in errors),
            errors,
        )


# --------------------------------------------------------------------------- loading


def record_file(ref: str, project_root: Path) -> Path:
    """The JSON file a reference names: a path, a slug, or a record_id (``urn:uuid:...``).

    A reference longer than a path can be, a folder, or a record file that leads out of
    the project through a symbolic link is refused with RecordError.
    """
    records = project_root / RECORDS_DIR
    if len(ref) > 1024 or "\x00" in ref:
        raise RecordError(
            f"{ref[:60]!r}... ({len(ref)} characters) is not a record id, record_id or path: "
            "ids are at most 80 characters"
        )
    if ref.startswith("urn:uuid:"):
        for path in record_json_files(records):
            data = _existing_record(path, project_root)
            if data is not None and data.get("record_id") == ref:
                return path
        raise RecordError(f"no record in {records} has record_id {ref}")
    candidate = Path(ref)
    if ref.endswith(".json") or "/" in ref or os.sep in ref:
        if candidate.is_dir():
            raise RecordError(f"record file {ref} is a folder, not a file")
        if os.path.lexists(candidate):
            return candidate
        if "/" not in ref and os.sep not in ref and os.path.lexists(records / ref):
            return records / ref
        raise RecordError(f"record file {ref} does not exist")
    path = records / f"{ref}.json"
    if not os.path.lexists(path):
        known = [p.stem for p in record_json_files(records)][:10]
        raise RecordError(
            f"no record {ref!r} in {records}"
            + (f" (records: {', '.join(known)})" if known else " (there are no records yet)")
        )
    return path


def read_record_file(path: Path, project_root: Path | None) -> Any:
    """The parsed JSON of a record file, read safely: a plain file inside the project, at
    most :data:`MAX_RECORD_BYTES`, nested no deeper than :data:`MAX_JSON_DEPTH`."""
    data = read_regular_file(path, project_root, "record file", MAX_RECORD_BYTES)
    return parse_record_json(data, str(path))


def load_record(ref: str | Path, project_root: Path | None = None) -> JsonObject:
    """A record by slug, record_id (``urn:uuid:...``) or path, migrated to the current version.

    Raises RecordError when it cannot be found, is not a plain file in the project, is not
    JSON, or is of a future version.  (It does not validate: use warcite.validate for that.)
    """
    root = project_root or find_project_root()
    path = ref if isinstance(ref, Path) else record_file(ref, root)
    data = read_record_file(Path(path), root)
    if not isinstance(data, dict):
        raise RecordError(f"{path}: a record is a JSON object, not {type(data).__name__}")
    try:
        return migrate(data)
    except RecordError as error:
        raise RecordError(f"{path}: {error}") from error


def record_text(record: Mapping[str, Any], project_root: Path | None = None) -> str:
    """The record's stored clean text (UTF-8), read from inside the project only."""
    root = project_root or find_project_root()
    text = record.get("text")
    relative = text.get("path") if isinstance(text, dict) else None
    if not isinstance(relative, str):
        raise RecordError(
            f"record {record.get('id')!r} names no text file ($.text.path); "
            "run `warcite validate` on it"
        )
    path = resolve_in_project(root, relative)
    data = read_regular_file(path, root, "the record's text file", MAX_TEXT_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(f"{relative}: not UTF-8 ({error.reason})") from error


__all__ = [
    "CONTENT_KEYS",
    "EVENT_TYPE_URIS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "RecordResult",
    "allocate_id",
    "build_record",
    "citation_item",
    "content_differences",
    "dump_record",
    "file_digests",
    "known_schema_versions",
    "load_record",
    "load_schema",
    "make_record",
    "migrate",
    "read_record_file",
    "record_file",
    "record_paths",
    "record_text",
    "record_validator",
    "register_migration",
    "schema_registry",
    "text_blocks",
    "version_problem",
    "without_credentials",
    "write_record",
    "write_sealed_record",
]

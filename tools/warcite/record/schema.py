"""The record's JSON Schema: where the schemas are, the validator, versions and migrations."""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError
from warcite.core.version import __version__
from warcite.record import provenance
from warcite.record.common import (
    CSL_SCHEMA_ID,
    SCHEMA_VERSION,
    Clock,
    JsonObject,
    UuidFactory,
    event,
    software_agent,
    utc_now,
)

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
    package = Path(__file__).resolve().parents[1]  # warcite/record/schema.py -> warcite
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
    # crawled once here: a validator's lookups otherwise crawl every resource again at
    # each validation (the registry is immutable; what a lookup crawled is not kept)
    return Registry().with_resources(resources).crawl()


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


@register_migration("1.1.0", "1.2.0")
def migrate_1_1_0_to_1_2_0(record: JsonObject) -> JsonObject:
    """Schema 1.1.0 -> 1.2.0: the schema compiles under ajv's strict mode (types on its
    if/then/else branches); a person may carry a ``name_note``; paged documents (PDF) add
    ``text.pages``, ``work.doi``, ``work.isbn`` and the capture method ``import-document``.
    All are additions no 1.1.0 record (always of a web page) needs, so its fields stay as
    they are (the caller sets schema_version and records the migration event)."""
    return record


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

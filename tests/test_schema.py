"""The published schemas: well-formed, closed, versioned, offline; committed records valid."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from warcite import record as records

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = records.schemas_directory()
RECORD_SCHEMAS = sorted((SCHEMAS / "record").glob("*/record.schema.json"))
COMMITTED_RECORDS = sorted((PROJECT_ROOT / "records").glob("*.json"))


SCHEMA_IDS = {
    # 1.0.0 was published under a domain the project does not own; it stays as published.
    "1.0.0": "https://warcite.org/schemas/record/1.0.0/record.schema.json",
    "1.1.0": "urn:uuid:5cd11238-5df8-480f-a435-4092cc67f0a1",
    "1.2.0": "urn:uuid:0b0c6f39-8a3c-4d0e-9a51-6d2f4c1f7e21",
}
"""Every published record schema's $id: from 1.1.0 on, a urn:uuid (RFC 9562 / RFC 4122
namespace, needs no registration or domain)."""


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _offline_registry() -> Registry:
    """Every local schema under its $id; any other reference fails instead of fetching."""

    def refuse(uri: str) -> Resource:
        raise NoSuchResource(ref=uri)

    resources = [
        (_load(path)["$id"], Resource.from_contents(_load(path)))
        for path in [*RECORD_SCHEMAS, SCHEMAS / "vendor" / "csl-data.json"]
    ]
    return Registry(retrieve=refuse).with_resources(resources)  # type: ignore[call-arg]


def test_there_is_a_published_schema() -> None:
    assert [path.parent.name for path in RECORD_SCHEMAS] == records.known_schema_versions()
    assert records.SCHEMA_VERSION in records.known_schema_versions()


@pytest.mark.parametrize("path", RECORD_SCHEMAS, ids=lambda p: p.parent.name)
def test_record_schema_is_valid_and_versioned(path: Path) -> None:
    schema = _load(path)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    version = path.parent.name
    assert schema["$id"] == SCHEMA_IDS[version], "a published schema's $id never changes"
    assert schema["properties"]["schema_version"] == {
        "description": "The version of this schema the record follows.",
        "const": version,
    }
    for name in ("person", "affiliation", "evidence", "file", "event", "agent"):
        assert name in schema["$defs"], name


def _objects(node: Any, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Object definitions, not the bundled third-party schema nor if/then/else constraints."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for key, value in node.items():
            if where.endswith("/$defs") and key == "csl_data":
                continue
            if key in ("if", "then", "else"):
                continue
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


@pytest.mark.parametrize("path", RECORD_SCHEMAS, ids=lambda p: p.parent.name)
def test_every_object_is_closed_except_extensions(path: Path) -> None:
    open_objects = []
    for where, node in _objects(_load(path)):
        closed = node.get("additionalProperties") is False or (
            isinstance(node.get("additionalProperties"), dict) and "properties" not in node
        )
        if not closed:
            open_objects.append(where)
    assert open_objects == ["$/properties/extensions"]


@pytest.mark.parametrize("path", RECORD_SCHEMAS, ids=lambda p: p.parent.name)
def test_digests_identifiers_and_slugs_have_patterns(path: Path) -> None:
    definitions = _load(path)["$defs"]
    for name in ("slug", "uuid_urn", "sha512", "sha256", "warc_digest", "warc_record_id"):
        pattern = definitions[name]["pattern"]
        re.compile(pattern)
    assert re.fullmatch(definitions["sha512"]["pattern"], "a" * 128)
    assert not re.fullmatch(definitions["sha256"]["pattern"], "A" * 64)
    assert re.fullmatch(definitions["slug"]["pattern"], "opednews-160829-249")
    assert not re.fullmatch(definitions["slug"]["pattern"], "-bad")


@pytest.mark.parametrize(
    ("relative", "allowed"),
    [
        ("records/x.txt", True),
        ("archive/a..b.warc.gz", True),
        ("../x", False),
        ("records/../../x", False),
        ("/etc/passwd", False),
        ("C:/x", False),
        ("records\\x", False),
        ("..", False),
    ],
)
def test_relative_path_pattern(relative: str, allowed: bool) -> None:
    pattern = records.load_schema()["$defs"]["relative_path"]["pattern"]
    assert bool(re.search(pattern, relative)) is allowed


def test_vendored_csl_schema_is_the_official_file() -> None:
    vendor = SCHEMAS / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for name in ("csl-data.json", "LICENSE.txt"):
        digest = hashlib.sha256((vendor / name).read_bytes()).hexdigest()
        assert digest in readme, f"{name}: its sha256 is not the one README.md records"
    assert "MIT License" in (vendor / "LICENSE.txt").read_text(encoding="utf-8")
    csl = _load(vendor / "csl-data.json")
    Draft7Validator.check_schema(csl)
    assert csl["$id"] == records.CSL_SCHEMA_ID
    assert re.search(r"\| `[0-9a-f]{40}` \|", readme), "the source commit is not recorded"


def test_citation_refers_to_the_vendored_csl_item() -> None:
    citation = records.load_schema("1.0.0")["properties"]["citation"]
    assert citation["$ref"] == f"{records.CSL_SCHEMA_ID}#/items"


def test_validation_never_needs_the_network() -> None:
    validator = Draft202012Validator(records.load_schema(), registry=_offline_registry())
    errors = list(validator.iter_errors({"citation": {"type": "webpage", "id": 1, "bogus": 1}}))
    assert any(list(error.absolute_path) == ["citation"] for error in errors)


def test_formats_are_checked() -> None:
    """Without the format-nongpl extra, 'uri' and 'date-time' would pass silently."""
    checker = Draft202012Validator.FORMAT_CHECKER
    for name in ("date", "date-time", "uri"):
        assert name in checker.checkers, f"format {name!r} is not checked: install the extra"
    assert not checker.conforms("not a uri", "uri")
    assert not checker.conforms("2016-13-45T00:00:00Z", "date-time")


def test_committed_records_exist() -> None:
    assert COMMITTED_RECORDS, "records/ holds no committed reference record"


@pytest.mark.parametrize("path", COMMITTED_RECORDS, ids=lambda p: p.name)
def test_committed_record_validates_with_plain_jsonschema(path: Path) -> None:
    record = _load(path)
    version = record["schema_version"]
    schema = _load(SCHEMAS / "record" / version / "record.schema.json")
    jsonschema.validate(
        record,
        schema,
        cls=Draft202012Validator,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
        registry=_offline_registry(),
    )
    csl = _load(SCHEMAS / "vendor" / "csl-data.json")
    jsonschema.validate([record["citation"]], csl, cls=Draft7Validator)


@pytest.mark.parametrize("path", COMMITTED_RECORDS, ids=lambda p: p.name)
def test_committed_record_passes_deep_validation(path: Path) -> None:
    from warcite.validate import validate_file

    report = validate_file(path, PROJECT_ROOT, deep=True)
    assert report.ok, "\n".join(problem.line() for problem in report.problems)
    assert [p for p in report.problems if p.severity == "error"] == []

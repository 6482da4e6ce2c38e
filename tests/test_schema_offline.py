"""The record schema is self-contained: plain jsonschema and jschon (an independent 2020-12
implementation) validate every record with no network and no registration; the bundled
CSL-JSON schema is the vendored file, only re-dialected; schema 1.0.0 records migrate."""

from __future__ import annotations

import copy
import hashlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

import test_record
from test_record import fixed_clock, import_transcript, new_project, uuid_sequence
from warcite import provenance
from warcite import record as records

jschon = pytest.importorskip(
    "jschon", reason="jschon is in the test extra: pip install -e '.[test]'"
)

# jschon 0.11 calls a deprecated rfc3986 helper (their code, not ours): only that warning.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Please use rfc3986.validators.Validator instead:DeprecationWarning"
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
COMMITTED_RECORDS = sorted((PROJECT_ROOT / "records").glob("*.json"))
OLD_REFERENCE = TEST_DATA / "record_1.0.0_opednews-160829-249.json"
"""The reference record as schema 1.0.0 wrote it (records/ at commit 65d7ad0)."""

fake_extraction = test_record.fake_extraction  # the fixture, used by name below


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _refuse(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)


def plain_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """jsonschema with an empty registry whose retriever refuses everything."""
    return Draft202012Validator(
        schema,
        registry=Registry(retrieve=_refuse),  # type: ignore[call-arg]
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


_JSCHON: dict[str, Any] = {}


def jschon_schema(version: str = records.SCHEMA_VERSION) -> Any:
    """The record schema in a jschon catalog that knows only the 2020-12 metaschema."""
    if version not in _JSCHON:
        if not _JSCHON:
            jschon.create_catalog("2020-12", name="warcite-offline")
        _JSCHON[version] = jschon.JSONSchema(
            records.load_schema(version), catalog="warcite-offline"
        )
    return _JSCHON[version]


def both_errors(record: dict[str, Any]) -> tuple[list[str], bool]:
    """jsonschema's error messages and jschon's verdict, for the current schema."""
    schema = records.load_schema()
    messages = [
        f"{list(e.absolute_path)}: {e.message}" for e in plain_validator(schema).iter_errors(record)
    ]
    return messages, bool(jschon_schema().evaluate(jschon.JSON(record)).valid)


def generated_record(tmp_path: Path, **options: Any) -> dict[str, Any]:
    project = new_project(tmp_path)
    warc = import_transcript(project)
    result = records.make_record(
        warc, project_root=project, clock=fixed_clock(), new_uuid=uuid_sequence(), **options
    )
    return result.record


# --------------------------------------------------------------------------- the schema


def test_current_schema_has_no_reference_that_leaves_it() -> None:
    schema = records.load_schema()
    ids = {schema["$id"]}
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                ids.add(node["$id"])
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert refs
    for ref in refs:
        base = ref.split("#", 1)[0]
        assert base == "" or base in ids, f"{ref} points outside the schema document"
    assert not any(i.startswith(("http:", "https:")) for i in ids), ids


def test_schema_id_is_a_urn_the_project_can_stand_behind() -> None:
    import uuid

    schema = records.load_schema()
    assert schema["$id"].startswith("urn:uuid:")
    uuid.UUID(schema["$id"].removeprefix("urn:uuid:"))
    bundled = schema["$defs"]["csl_data"]["$id"]
    assert bundled.startswith("urn:uuid:") and bundled != schema["$id"]
    readme = (records.schemas_directory() / "vendor" / "README.md").read_text(encoding="utf-8")
    assert bundled in readme, "the bundled CSL schema's $id is not recorded in vendor/README.md"


def redialect(csl: Any) -> Any:
    """draft-07 -> 2020-12 for the keywords the CSL schema uses: 'definitions' is '$defs'."""
    if isinstance(csl, dict):
        return {
            ("$defs" if key == "definitions" else key): (
                value.replace("#/definitions/", "#/$defs/") if key == "$ref" else redialect(value)
            )
            for key, value in csl.items()
        }
    if isinstance(csl, list):
        return [redialect(value) for value in csl]
    return csl


def test_bundled_csl_schema_is_the_vendored_file_redialected() -> None:
    vendor = records.schemas_directory() / "vendor" / "csl-data.json"
    vendored = _load(vendor)
    bundled = copy.deepcopy(records.load_schema()["$defs"]["csl_data"])
    assert bundled.pop("$schema") == "https://json-schema.org/draft/2020-12/schema"
    bundled.pop("$id")
    comment = bundled.pop("$comment")
    assert hashlib.sha256(vendor.read_bytes()).hexdigest() in comment
    expected = redialect({k: v for k, v in vendored.items() if k not in ("$schema", "$id")})
    assert bundled == expected
    # the CSL draft-07 keywords whose meaning changed in 2020-12 are absent
    text = json.dumps(vendored)
    assert '"dependencies"' not in text and '"additionalItems"' not in text
    assert all(
        not isinstance(node, list)
        for node in _values_of(vendored, "items")  # array-form items changed meaning
    )


def _values_of(node: Any, key: str) -> Iterator[Any]:
    if isinstance(node, dict):
        for k, value in node.items():
            if k == key:
                yield value
            yield from _values_of(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _values_of(value, key)


def test_an_unknown_reference_fails_instead_of_fetching() -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "https://example.org/x",
    }
    with pytest.raises(Unresolvable):
        plain_validator(schema).validate({})
    jschon_schema()  # the catalog exists
    with pytest.raises(jschon.exc.CatalogError, match="source is not available"):
        jschon.JSONSchema(schema, catalog="warcite-offline").evaluate(jschon.JSON({}))


# --------------------------------------------------------------------------- records


@pytest.mark.parametrize("path", COMMITTED_RECORDS, ids=lambda p: p.name)
def test_every_committed_record_is_valid_for_both_validators(path: Path) -> None:
    record = _load(path)
    assert record["schema_version"] == records.SCHEMA_VERSION, "committed records are current"
    messages, jschon_valid = both_errors(record)
    assert messages == []
    assert jschon_valid
    jsonschema.validate(
        record,
        records.load_schema(),
        cls=Draft202012Validator,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )  # the plain one-call API, no registry at all


def test_both_validators_reject_a_bad_citation_and_bad_links() -> None:
    record = _load(COMMITTED_RECORDS[0])
    bad_citation = copy.deepcopy(record)
    bad_citation["citation"]["issued"] = {"date-parts": [["2016", "x"]]}
    bad_citation["citation"]["bogus-field"] = 1
    messages, jschon_valid = both_errors(bad_citation)
    assert any(m.startswith("['citation'") for m in messages)
    assert not jschon_valid
    bad_link = copy.deepcopy(record)
    bad_link["events"][0]["linking_objects"][0]["role"] = "input"
    bad_link["events"][0]["linking_agents"][0]["role_uri"] = "http://example.org/exe"
    messages, jschon_valid = both_errors(bad_link)
    assert len(messages) == 2
    assert not jschon_valid
    bad_path = copy.deepcopy(record)
    bad_path["events"][1]["linking_objects"][1]["value"] = "../outside.txt"
    assert both_errors(bad_path)[0] and not both_errors(bad_path)[1]
    bad_format = copy.deepcopy(record)
    bad_format["files"][0]["format"]["registry"]["key"] = "WARC"
    assert both_errors(bad_format)[0] and not both_errors(bad_format)[1]


def test_generated_records_are_valid_for_both_validators(
    tmp_path: Path, fake_extraction: Any
) -> None:
    record = generated_record(tmp_path, operator="Jo Archivist")
    assert record["schema_version"] == records.SCHEMA_VERSION
    assert both_errors(record) == ([], True)
    files = {f["role"]: f for f in record["files"]}
    assert files["warc"]["format"] == {
        "name": "WARC",
        "version": "1.1",
        "registry": {"name": "PRONOM", "key": "fmt/1281"},
    }
    assert files["text"]["format"]["registry"] == {"name": "PRONOM", "key": "x-fmt/111"}
    assert {f["category"] for f in record["files"]} == {"file"}


def test_lineage_and_disconnect_truncation_are_allowed(
    tmp_path: Path, fake_extraction: Any
) -> None:
    record = generated_record(tmp_path)
    record["capture"]["truncated"] = "disconnect"
    record["lineage"] = {
        "work_key": "https://www.example-news.com/opinion/why-rivers-flood",
        "previous": [
            {
                "id": "example-news-210315-77",
                "record_id": "urn:uuid:00000000-0000-4000-8000-000000000001",
                "payload_digest": "sha256:" + "a" * 64,
                "captured": "2026-11-25T10:00:00Z",
            },
            {
                "id": "example-news-210315-77-2",
                "record_id": "urn:uuid:00000000-0000-4000-8000-000000000002",
                "payload_digest": "sha256:" + "b" * 64,
                "captured": None,
            },
        ],
    }
    assert both_errors(record) == ([], True)
    record["lineage"]["previous"] = []
    assert both_errors(record) == ([], True)
    for broken in (
        {"work_key": "x", "previous": [], "extra": 1},
        {"work_key": "x"},
        {"work_key": "x", "previous": [{"id": "a", "record_id": "urn:uuid:x"}]},
    ):
        record["lineage"] = broken
        messages, valid = both_errors(record)
        assert messages and not valid, broken
    del record["lineage"]
    record["capture"]["truncated"] = "cut"
    messages, valid = both_errors(record)
    assert messages and not valid


# --------------------------------------------------------------------------- migration


def test_published_1_0_0_schema_is_unchanged() -> None:
    path = records.schema_path("1.0.0")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == (
        "ee6ab6c0ef9ec7144549be21a793bddf991c2625e42c0564fec0f833f41ffe4a"
    ), "a published schema is never edited"


def test_a_1_0_0_record_still_validates_against_1_0_0() -> None:
    old = _load(OLD_REFERENCE)
    csl = _load(records.schemas_directory() / "vendor" / "csl-data.json")
    registry = Registry(retrieve=_refuse).with_resource(  # type: ignore[call-arg]
        records.CSL_SCHEMA_ID, Resource.from_contents(csl)
    )
    validator = Draft202012Validator(
        records.load_schema("1.0.0"),
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    assert [e.message for e in validator.iter_errors(old)] == []


def test_the_reference_record_is_its_1_0_0_version_migrated() -> None:
    old = _load(OLD_REFERENCE)
    current = _load(PROJECT_ROOT / "records" / "opednews-160829-249.json")
    # each migration step (1.0.0 -> 1.1.0 -> 1.2.0) with the date and id it was recorded with
    steps = [e for e in current["events"] if e["type"] == "migration"]
    dates = iter([_migration_date({"events": [e]}) for e in steps])
    ids = iter([_migration_id({"events": [e]}) for e in steps])
    migrated = records.migrate(old, clock=lambda: next(dates), new_uuid=lambda: next(ids))
    # What the migration gives stays true of the reference record, which has since been
    # re-sealed (events appended, an operator agent added) and had its citation rebuilt by
    # the current citation rules.
    assert migrated["schema_version"] == current["schema_version"] == records.SCHEMA_VERSION
    for key in ("record_id", "created", "id", "work", "capture", "text", "files"):
        assert migrated[key] == current[key], key
    # the history is the migrated one with re-seals (message digest calculations) between
    later = current["events"][len(old["events"]) :]
    history = current["events"][: len(old["events"])] + [
        e for e in later if e["type"] != "message digest calculation"
    ]
    assert history == migrated["events"]
    assert current["agents"][: len(migrated["agents"])] == migrated["agents"]
    assert current["citation"] == records.citation_item(current, PROJECT_ROOT)
    assert current["record_id"] == old["record_id"]
    assert current["events"][: len(old["events"])] == [
        {
            **event,
            "linking_agents": mine["linking_agents"],
            "linking_objects": mine["linking_objects"],
        }
        for event, mine in zip(old["events"], current["events"], strict=False)
    ], "the history is kept, only linked"
    assert migrated["events"][-1] == _migration_event(current)
    assert ["1.0.0 to 1.1.0" in e["detail"] for e in steps] == [True, False]
    assert "1.1.0 to 1.2.0" in _migration_event(current)["detail"]


def _migration_event(record: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in reversed(record["events"]) if e["type"] == "migration")


def _migration_date(record: dict[str, Any]) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(_migration_event(record)["date"].replace("Z", "+00:00"))


def _migration_id(record: dict[str, Any]) -> str:
    return str(_migration_event(record)["id"])


def test_migration_links_each_event_to_its_objects_and_agents() -> None:
    migrated = records.migrate(_load(OLD_REFERENCE))
    assert both_errors(migrated) == ([], True)
    links = {e["type"]: e["linking_objects"] for e in migrated["events"]}
    warc = "archive/opednews-160829-249-20261126123103.warc.gz"
    text = "records/opednews-160829-249.txt"
    own = "urn:uuid:e92a3cac-e8f0-4c06-ba5a-c370713a5f87"
    assert [(o["value"], o["role"]) for o in links["ingestion"]] == [
        (migrated["capture"]["target_uri"], "source"),
        (warc, "outcome"),
        ("urn:uuid:e98ad889-e8cb-4e17-880b-e51f8dcd53c6", "outcome"),
    ]
    assert [(o["value"], o["role"]) for o in links["metadata extraction"]] == [
        ("urn:uuid:e98ad889-e8cb-4e17-880b-e51f8dcd53c6", "source"),
        (text, "outcome"),
        (own, "outcome"),
    ]
    assert [o["value"] for o in links["message digest calculation"]] == [warc, text]
    for event in migrated["events"]:
        assert event["linking_agents"] == [
            {
                "id": event["agent"],
                "role": "executing program",
                "role_uri": provenance.AGENT_ROLE_URIS["executing program"],
            }
        ]


def test_migration_links_a_1_0_0_operator_to_the_last_run_only() -> None:
    old = _load(OLD_REFERENCE)
    old["agents"].append({"id": "urn:warcite:agent:operator", "type": "person", "name": "Jo"})
    rebuild = copy.deepcopy(old["events"][1:])  # a --replace appended these three
    for number, event in enumerate(rebuild):
        event["id"] = f"urn:uuid:00000000-0000-4000-8000-00000000000{number}"
    old["events"].extend(rebuild)
    migrated = records.migrate(old)
    assert both_errors(migrated) == ([], True)
    operated = [
        index
        for index, event in enumerate(migrated["events"])
        if any(link["id"] == "urn:warcite:agent:operator" for link in event["linking_agents"])
    ]
    assert operated == [4, 5, 6]
    for index in operated:
        assert migrated["events"][index]["linking_agents"][1]["role"] == "implementer"


def test_migration_of_an_imported_foreign_warc_does_not_guess_its_version() -> None:
    old = _load(OLD_REFERENCE)
    old["capture"]["method"] = "import-warc"
    migrated = records.migrate(old)
    assert migrated["files"][0]["format"] == {"name": "WARC", "version": None, "registry": None}
    assert both_errors(migrated) == ([], True)

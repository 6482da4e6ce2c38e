"""PREMIS provenance in records: formats with registry keys, events linked to the objects
and agents (with roles), the operator linked to the events of their run, --replace keeping
every operator, and the link checks of validate."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import test_record
from test_record import (
    fixed_clock,
    import_transcript,
    new_project,
    recorded_project,
    uuid_sequence,
)
from warcite import provenance, seal
from warcite import record as records
from warcite.cli import cli
from warcite.validate import validate_file

fake_extraction = test_record.fake_extraction  # the fixture, used by name below

PROJECT_ROOT = Path(__file__).resolve().parents[1]
IMPLEMENTER = provenance.AGENT_ROLE_URIS["implementer"]


def _linked(event: dict[str, Any], role: str) -> list[str]:
    return [link["id"] for link in event["linking_agents"] if link["role"] == role]


# --------------------------------------------------------------------------- formats


def test_warc_version_is_read_from_the_first_line(tmp_path: Path) -> None:
    plain = tmp_path / "a.warc"
    plain.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n")
    assert provenance.warc_version(plain) == "1.0"
    packed = tmp_path / "a.warc.gz"
    packed.write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n" + b"x" * 10**6))
    assert provenance.warc_version(packed) == "1.1"
    for name, data in (("empty", b""), ("junk", b"\x1f\x8bnot gzip"), ("html", b"<html>")):
        other = tmp_path / name
        other.write_bytes(data)
        assert provenance.warc_version(other) is None
    assert provenance.warc_version(tmp_path / "missing") is None


def test_formats_carry_pronom_keys_only_where_they_fit() -> None:
    assert provenance.file_format("warc", "application/warc", "1.1")["registry"] == {
        "name": "PRONOM",
        "key": "fmt/1281",
    }
    assert provenance.file_format("warc", "application/warc", "1.0")["registry"]["key"] == (
        "fmt/1355"
    )
    assert provenance.file_format("warc", "application/warc", "0.17")["registry"] is None
    assert provenance.file_format("text", "text/plain; charset=utf-8")["registry"]["key"] == (
        "x-fmt/111"
    )
    assert provenance.file_format("other", "application/json")["registry"]["key"] == "fmt/817"
    assert provenance.file_format("other", "image/png") == {
        "name": "image/png",
        "version": None,
        "registry": None,
    }


# --------------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  Jo   Archivist ", "urn:warcite:agent:operator-jo-archivist"),
        ("Jo Archivist", "urn:warcite:agent:operator-jo-archivist"),
    ],
)
def test_operator_ids_come_from_the_name(name: str, expected: str) -> None:
    assert provenance.operator_agent(name)["id"] == expected


def test_operator_ids_of_names_that_do_not_slug_are_distinct() -> None:
    names = ("현인애", "김철수", "O'Brien", "OBrien", "x" * 300)
    ids = {provenance.operator_agent(name)["id"] for name in names}
    assert len(ids) == len(names)
    pattern = records.load_schema()["$defs"]["agent_id"]["pattern"]
    for agent_id in ids:
        assert re.fullmatch(pattern, agent_id), agent_id
        assert len(agent_id) < 100


def test_replace_with_a_new_operator_keeps_both_and_links_each_to_their_run(
    tmp_path: Path, fake_extraction: Any
) -> None:
    project = new_project(tmp_path)
    warc = import_transcript(project)
    first = records.make_record(
        warc, project_root=project, clock=fixed_clock(), new_uuid=uuid_sequence(), operator="Jo"
    )
    assert first.status == "created"
    again = records.make_record(
        warc,
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(50),
        operator="Jo",
        replace=True,
    )
    assert again.status == "unchanged"  # the same operator, the same content: nothing new
    second = records.make_record(
        warc,
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(100),
        operator="Kim",
        replace=True,
    )
    assert second.status == "replaced"
    stored = json.loads(second.path.read_text(encoding="utf-8"))
    assert stored["record_id"] == first.record["record_id"]
    ids = [agent["id"] for agent in stored["agents"]]
    assert "urn:warcite:agent:operator-jo" in ids
    assert "urn:warcite:agent:operator-kim" in ids
    events = stored["events"]
    assert len(events) == 4 + 3
    for event in events[:4]:
        assert _linked(event, "implementer") == ["urn:warcite:agent:operator-jo"]
    for event in events[4:]:
        assert _linked(event, "implementer") == ["urn:warcite:agent:operator-kim"]
        assert event["linking_agents"][1]["role_uri"] == IMPLEMENTER
    assert validate_file(second.path, project).ok


def test_the_record_command_keeps_the_new_operator(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    warc = import_transcript(project)
    monkeypatch.chdir(project)
    relative = f"archive/{warc.name}"
    runner = CliRunner()
    assert runner.invoke(cli, ["record", relative, "--operator", "Jo"]).exit_code == 0
    result = runner.invoke(cli, ["record", relative, "--replace", "--operator", "Kim Lee"])
    assert result.exit_code == 0, result.output
    stored = json.loads((project / "records" / "example-news-210315-77.json").read_text())
    names = {agent["name"] for agent in stored["agents"] if agent["type"] == "person"}
    assert names == {"Jo", "Kim Lee"}
    assert _linked(stored["events"][-1], "implementer") == ["urn:warcite:agent:operator-kim-lee"]
    assert runner.invoke(cli, ["validate"]).exit_code == 0


def test_an_old_record_in_the_project_is_rebuilt_through_its_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 1.0.0 record: a plain rebuild compares it through its migration (so only what the
    current rules derive differently shows: its citation, made by older citation rules) and
    writes nothing; --replace writes 1.1.0 with the old history, the migration event, and the
    new run linked to its operator."""
    old = json.loads(
        (Path(__file__).parent / "data" / "record_1.0.0_opednews-160829-249.json").read_text()
    )
    project = new_project(tmp_path)
    warc = old["capture"]["warc"]["path"]
    shutil.copy2(PROJECT_ROOT / warc, project / warc)
    shutil.copy2(PROJECT_ROOT / old["text"]["path"], project / old["text"]["path"])
    record_path = project / "records" / "opednews-160829-249.json"
    record_path.write_text(json.dumps(old, indent=2), encoding="utf-8")
    before = record_path.read_bytes()
    record_path.with_suffix(seal.SEAL_SUFFIX).write_bytes(
        seal.manifest(seal.record_entries(old, before))
    )
    with pytest.raises(records.RecordError, match="differs from the rebuilt record at ") as info:
        records.make_record(project / warc, project_root=project)
    differences = str(info.value).split("rebuilt record at ", 1)[1].split(";")[0].split(", ")
    assert differences  # the schema 1.1.0 fields (files[].category, format) are migrated
    assert all(where.startswith("$.citation.") for where in differences), differences
    assert record_path.read_bytes() == before
    assert validate_file(record_path, project).ok  # read through the migration
    replaced = records.make_record(
        project / warc, project_root=project, replace=True, operator="Jo"
    )
    assert replaced.status == "replaced"
    stored = json.loads(record_path.read_text(encoding="utf-8"))
    assert stored["schema_version"] == records.SCHEMA_VERSION
    assert stored["record_id"] == old["record_id"]
    kinds = [event["type"] for event in stored["events"]]
    assert kinds[:4] == [event["type"] for event in old["events"]]
    steps = records.known_schema_versions().index(records.SCHEMA_VERSION)  # from 1.0.0
    assert kinds[4:] == [
        *["migration"] * steps,
        "metadata extraction",
        "message digest calculation",
        "validation",
    ]
    assert [bool(_linked(e, "implementer")) for e in stored["events"]] == [False] * (
        4 + steps
    ) + [True] * 3
    assert validate_file(record_path, project).ok


# --------------------------------------------------------------------------- link checks


def _rewrite(path: Path, change: Any) -> None:
    """Change a record's JSON and seal it again (as a deliberate edit would be), so that
    validation reports the change itself, not a broken seal."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    json_bytes = json.dumps(data).encode("utf-8")
    path.write_bytes(json_bytes)
    path.with_suffix(seal.SEAL_SUFFIX).write_bytes(
        seal.manifest(seal.record_entries(data, json_bytes))
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda r: r["events"][0]["linking_agents"].append(
                {
                    "id": "urn:warcite:agent:ghost",
                    "role": "implementer",
                    "role_uri": IMPLEMENTER,
                }
            ),
            "$.events[0].linking_agents[1].id: agent urn:warcite:agent:ghost is not in $.agents",
        ),
        (
            lambda r: r["events"][1]["linking_objects"][1].update(value="records/other.txt"),
            "$.events[1].linking_objects[1].value: records/other.txt is not a file in $.files",
        ),
        (
            lambda r: r["agents"].append(
                {"id": "urn:warcite:agent:operator-x", "type": "person", "name": "X"}
            ),
            "$.agents[1]: agent urn:warcite:agent:operator-x is linked by no event",
        ),
    ],
    ids=["unknown-agent", "unlisted-file", "unlinked-operator"],
)
def test_validate_checks_the_links(
    tmp_path: Path, fake_extraction: Any, change: Any, expected: str
) -> None:
    project, path = recorded_project(tmp_path)
    _rewrite(path, change)
    lines = [problem.line() for problem in validate_file(path, project).problems]
    assert lines == [f"records/example-news-210315-77.json: {expected}"]


def _subtrees(node: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [where] if where else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _subtrees(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _subtrees(value, (*where, index))
    return found


def test_migration_and_link_checks_survive_malformed_records() -> None:
    """Every subtree of a 1.0.0 record replaced by a value of the wrong shape: the
    migration and the link checks never crash (validation reports the shape)."""
    old = json.loads(
        (Path(__file__).parent / "data" / "record_1.0.0_opednews-160829-249.json").read_text()
    )
    for where in _subtrees(old):
        for value in (None, "x", 7, [], {}, [[]], [{}]):
            broken = json.loads(json.dumps(old))
            node = broken
            for key in where[:-1]:
                node = node[key]
            node[where[-1]] = value
            try:
                migrated = records.migrate(broken)
            except records.RecordError:
                continue
            provenance.link_problems(migrated)

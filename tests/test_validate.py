"""``warcite validate``: every bad input gives a precise problem line, exit 5, no traceback,
and nothing is modified.  Projects are built in tmp_path (see test_record's helpers)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import test_record
from test_record import (
    recorded_project,
    sample_extraction,
    snapshot,
)
from warcite.cli import cli
from warcite.core.models import ArchivedPage, Extraction, Field
from warcite.integrity.validate import validate_file

fake_extraction = test_record.fake_extraction  # the fixture, used by name below

Mutation = Callable[[Path, Path], None]


def _edit_record(change: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(project: Path, path: Path) -> None:
        record = json.loads(path.read_text(encoding="utf-8"))
        change(record)
        path.write_text(json.dumps(record, indent=2), encoding="utf-8")

    return mutate


def _record(project: Path, path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _malformed(project: Path, path: Path) -> None:
    path.write_text('{\n  "schema_version": "1.0.0",\n  "id": ,\n}\n', encoding="utf-8")


def _flip_one_text_byte(project: Path, path: Path) -> None:
    text = project / _record(project, path)["text"]["path"]
    data = bytearray(text.read_bytes())
    data[3] ^= 0x01
    text.write_bytes(bytes(data))


def _remove_text(project: Path, path: Path) -> None:
    (project / _record(project, path)["text"]["path"]).unlink()


def _remove_warc(project: Path, path: Path) -> None:
    (project / _record(project, path)["capture"]["warc"]["path"]).unlink()


def _truncate_warc(project: Path, path: Path) -> None:
    record = _record(project, path)
    warc = project / record["capture"]["warc"]["path"]
    cut = record["capture"]["warc"]["offset"] + record["capture"]["warc"]["length"] // 2
    warc.write_bytes(warc.read_bytes()[:cut])


def _set(*keys: str | int, value: Any) -> Mutation:
    def change(record: dict[str, Any]) -> None:
        target: Any = record
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return _edit_record(change)


def _delete(*keys: str | int) -> Mutation:
    def change(record: dict[str, Any]) -> None:
        target: Any = record
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return _edit_record(change)


OTHER_ID = "<urn:uuid:00000000-0000-4000-8000-0000000fffff>"

BAD_INPUTS: list[tuple[str, Mutation, str]] = [
    (
        "malformed JSON",
        _malformed,
        "records/example-news-210315-77.json: $: invalid JSON at line 3, column 9: Expecting value",
    ),
    (
        "wrong type",
        _set("text", "paragraphs", value="two"),
        "records/example-news-210315-77.json: $.text.paragraphs: 'two' is not of type 'integer'",
    ),
    (
        "unknown field",
        _set("work", "colour", value="red"),
        "records/example-news-210315-77.json: $.work: Additional properties are not allowed "
        "('colour' was unexpected)",
    ),
    (
        "missing required field",
        _delete("capture", "method"),
        "records/example-news-210315-77.json: $.capture: 'method' is a required property",
    ),
    (
        "bad date",
        _set("work", "published", "value", value="29/08/2016"),
        "records/example-news-210315-77.json: $.work.published.value: '29/08/2016' is not a 'date'",
    ),
    (
        "bad digest pattern",
        _set("files", 1, "sha256", value="ABC123"),
        "records/example-news-210315-77.json: $.files[1].sha256: "
        "'ABC123' does not match '^[0-9a-f]{64}$'",
    ),
    (
        "text changed by one byte",
        _flip_one_text_byte,
        "records/example-news-210315-77.json: $.text.sha512: records/example-news-210315-77.txt: "
        "sha512 is ",
    ),
    (
        "text missing",
        _remove_text,
        "records/example-news-210315-77.json: $.text.path: the text file "
        "records/example-news-210315-77.txt is missing",
    ),
    (
        "WARC missing",
        _remove_warc,
        "records/example-news-210315-77.json: $.capture.warc.path: the WARC file "
        "archive/example-news-210315-77-20261126110000.warc.gz is missing",
    ),
    (
        "WARC truncated",
        _truncate_warc,
        "records/example-news-210315-77.json: $.capture.warc.length: "
        "archive/example-news-210315-77-20261126110000.warc.gz is truncated: it ends at byte ",
    ),
    (
        "WARC record ID not found",
        _set("capture", "warc", "record_id", value=OTHER_ID),
        "records/example-news-210315-77.json: $.capture.warc.record_id: the record at offset "
        "{offset} of archive/example-news-210315-77-20261126110000.warc.gz is "
        f"<urn:uuid:00000000-0000-4000-8000-000000000065>, not {OTHER_ID}; that record ID is "
        "not in the file",
    ),
    (
        "future schema version",
        _set("schema_version", value="2.0.0"),
        "records/example-news-210315-77.json: $.schema_version: the record uses schema version "
        "2.0.0, newer than this warcite",
    ),
    (
        "path escaping the project with ..",
        _set("files", 1, "path", value="../outside.txt"),
        "records/example-news-210315-77.json: $.files[1].path: '../outside.txt': the path "
        "escapes the project folder through '..'; not followed",
    ),
    (
        "absolute path",
        _set("files", 0, "path", value="/etc/passwd"),
        "records/example-news-210315-77.json: $.files[0].path: '/etc/passwd': the path is "
        "absolute; record paths are relative to the project folder; not followed",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=name) for name, mutate, expected in BAD_INPUTS],
)
def test_bad_input_gives_a_precise_problem_line(
    tmp_path: Path,
    fake_extraction: Any,
    monkeypatch: pytest.MonkeyPatch,
    mutate: Mutation,
    expected: str,
) -> None:
    project, path = recorded_project(tmp_path)
    # the page record's offset depends on the compressed size of the warcinfo record,
    # which names the Python version
    offset = json.loads(path.read_text(encoding="utf-8"))["capture"]["warc"]["offset"]
    expected = expected.replace("{offset}", str(offset))
    (tmp_path / "outside.txt").write_text("not part of the project\n", encoding="utf-8")
    mutate(project, path)
    before = snapshot(tmp_path)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 5, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ")
    assert snapshot(tmp_path) == before


def test_a_valid_record_passes(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _path = recorded_project(tmp_path)
    before = snapshot(project)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "records/example-news-210315-77.json: ok\n"
    result = CliRunner().invoke(cli, ["validate", "records/example-news-210315-77.json", "--deep"])
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before


def test_every_problem_is_collected(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    record = _record(project, path)
    record["work"]["published"]["value"] = "29/08/2016"
    record["text"]["paragraphs"] = "two"
    record["extra"] = True
    path.write_text(json.dumps(record), encoding="utf-8")
    _remove_warc(project, path)
    report = validate_file(path, project)
    paths = [problem.path for problem in report.problems]
    assert "$.work.published.value" in paths
    assert "$.text.paragraphs" in paths
    assert "$" in paths  # the unknown top-level field
    assert "$.capture.warc.path" in paths
    assert not report.ok


def test_json_report_is_a_fixity_report(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, path = recorded_project(tmp_path)
    _flip_one_text_byte(project, path)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 5
    report = json.loads(result.stdout)
    assert report["ok"] is False
    (entry,) = report["records"]
    assert entry["file"] == "records/example-news-210315-77.json"
    assert entry["ok"] is False
    record = _record(project, path)
    problem = next(p for p in entry["problems"] if p["path"] == "$.text.sha512")
    assert problem["kind"] == "fixity"
    assert problem["expected"] == record["text"]["sha512"]
    assert problem["found"] != record["text"]["sha512"]
    files = {item["path"]: item for item in entry["files"]}
    warc = record["capture"]["warc"]["path"]
    assert files[warc]["ok"] is True
    assert files[warc]["sha512"] == record["files"][0]["sha512"]
    assert files[record["text"]["path"]]["ok"] is False


def test_changed_payload_is_caught(tmp_path: Path, fake_extraction: Any) -> None:
    """A WARC rewritten with a different payload but the same record ID and offset."""
    project, path = recorded_project(tmp_path)
    record = _record(project, path)
    warc = project / record["capture"]["warc"]["path"]
    offset = record["capture"]["warc"]["offset"]
    length = record["capture"]["warc"]["length"]
    data = warc.read_bytes()
    member = gzip.decompress(data[offset : offset + length])
    changed = member.replace(b"Rivers in the North", b"Rivers in the South")
    assert changed != member
    warc.write_bytes(data[:offset] + gzip.compress(changed) + data[offset + length :])
    lines = [problem.line() for problem in validate_file(path, project).problems]
    assert any("WARC-Block-Digest" in line for line in lines), lines
    assert any("$.capture.warc.payload_digest: the payload of record" in line for line in lines), (
        lines
    )


def test_deep_reports_drift(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)

    def drifted(page: ArchivedPage) -> Extraction:
        base = sample_extraction(page.url or "")
        return Extraction(
            **{**base.__dict__, "published": Field("2021-03-16", "json-ld", "2021-03-16")}
        )

    report = validate_file(path, project, deep=True, extractor=drifted)
    problems = {p.path: p for p in report.problems if p.kind == "drift"}
    # the value, its evidence, and what is derived from it (an affiliation's as-of date)
    assert "$.work.published.value" in problems
    assert "$.work.authors[0].affiliations[0].as_of" in problems
    assert {p.severity for p in problems.values()} == {"error"}
    assert problems["$.work.published.value"].line() == (
        "records/example-news-210315-77.json: $.work.published.value: the record holds "
        '"2021-03-15", re-derived from the WARC: "2021-03-16"'
    )
    assert validate_file(
        path, project, deep=True, extractor=lambda page: sample_extraction(page.url or "")
    ).ok


def test_deep_drift_from_an_older_extractor_is_a_warning(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record made by another extractor version: differences in what the extractor
    produces are warnings (that version cannot be run here, and the message says so);
    a difference in anything else still fails."""
    fake_extraction["extraction"] = Extraction(
        **{**sample_extraction().__dict__, "extractor_version": "0.0.1"}
    )
    from warcite.capture import common

    with monkeypatch.context() as patched:  # the WARC too was written by warcite 0.0.1
        patched.setattr(common, "__version__", "0.0.1")
        project, path = recorded_project(tmp_path)
    fake_extraction["extraction"] = Extraction(
        **{**sample_extraction().__dict__, "title": Field("Rivers", "html:h1", "Rivers")}
    )
    report = validate_file(path, project, deep=True)
    assert report.ok, [p.line() for p in report.problems]
    assert {p.severity for p in report.problems} == {"warning"}
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate", "--deep"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: the record was extracted by warcite 0.0.1 and this is warcite 0.1.0: "
        "re-extraction with warcite 0.0.1 is not possible here"
    ) in result.stdout
    assert '$.work.title.value: warning: the record holds "' in result.stdout
    # a field the extractor does not produce fails whatever the version
    _set("capture", "http_status", value=201)(project, path)
    failed = validate_file(path, project, deep=True)
    errors = {(p.kind, p.path) for p in failed.problems if p.severity == "error"}
    assert ("drift", "$.capture.http_status") in errors
    assert any(kind == "seal" for kind, _path in errors)


def test_record_named_after_another_id(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    renamed = path.with_name("other-name.json")
    path.rename(renamed)
    lines = [p.line() for p in validate_file(renamed, project).problems]
    assert lines == [
        "records/other-name.json: $.id: the record's id is 'example-news-210315-77' but its "
        "file is named other-name.json"
    ]


def test_events_must_name_known_agents(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    _set("events", 0, "agent", value="urn:warcite:agent:nobody")(project, path)
    lines = [p.line() for p in validate_file(path, project).problems if p.kind != "seal"]
    assert lines == [
        "records/example-news-210315-77.json: $.events[0].agent: agent "
        "urn:warcite:agent:nobody is not in $.agents",
        "records/example-news-210315-77.json: $.events[0].linking_agents: the event's agent "
        "urn:warcite:agent:nobody is not linked as its executing program",
    ]


def test_many_records_show_progress_and_all_problems(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, path = recorded_project(tmp_path)
    record = _record(project, path)
    from warcite.record.files import dump_record
    from warcite.record.seals import manifest, record_entries

    for number in range(7):
        slug = f"copy-{number}"
        copy = {**record, "id": slug}
        data = dump_record(copy).encode("utf-8")
        (project / "records" / f"{slug}.json").write_bytes(data)
        (project / "records" / f"{slug}.sha512").write_bytes(manifest(record_entries(copy, data)))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok\n") == 8
    assert "validating" in result.stderr


def test_no_project_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "no warcite project" in result.stderr


def test_recorded_warc_headers_must_match(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    _set("capture", "warc", "date", value="2020-01-01T00:00:00Z")(project, path)
    lines = [p.line() for p in validate_file(path, project).problems if p.kind != "seal"]
    assert len(lines) == 1
    assert lines[0].startswith(
        "records/example-news-210315-77.json: $.capture.warc.date: record <urn:uuid:"
    )
    assert lines[0].endswith(
        "has WARC-Date 2026-11-26T11:00:00Z, the record says 2020-01-01T00:00:00Z"
    )


def test_symbolic_links_out_of_the_project_are_not_followed(
    tmp_path: Path, fake_extraction: Any
) -> None:
    project, path = recorded_project(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n", encoding="utf-8")
    (project / "records" / "link.txt").symlink_to(outside)
    _set("files", 1, "path", value="records/link.txt")(project, path)
    lines = [p.line() for p in validate_file(path, project).problems]
    assert (
        "records/example-news-210315-77.json: $.files[1].path: 'records/link.txt': the path "
        "leads outside the project folder through a symbolic link; not followed"
    ) in lines


def test_validate_paths_and_folders(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _path = recorded_project(tmp_path)
    monkeypatch.chdir(project)
    folder = CliRunner().invoke(cli, ["validate", "records"])
    assert folder.exit_code == 0, folder.output
    assert folder.stdout == "records/example-news-210315-77.json: ok\n"
    missing = CliRunner().invoke(cli, ["validate", "records/nope.json"])
    assert missing.exit_code == 5
    assert missing.stdout == "records/nope.json: $: the record file does not exist\n"

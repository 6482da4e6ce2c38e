"""The seal (records/<id>.sha512) and deep validation: no edited record passes.

A fresh record is built in tmp_path from tests/data with the real extractor.  The tamper
test edits every leaf of its JSON in turn (the JSON paths are listed from the record
itself, so a field added later is covered without touching this file), then bytes of its
text and of its WARC, and expects validation to fail each time: without --deep through the
seal, with --deep through the seal and the re-derivation; and, with a forged seal, --deep
alone still fails for every field that can be derived from the WARC.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import TEST_DATA
from warcite.cli import cli
from warcite.integrity.validate import validate_file
from warcite.record.files import dump_record
from warcite.record.seals import manifest, parse_manifest, record_entries

URL = "https://harborview-gazette.example/news/2019/05/11/council-approves-harbor-plan"
SLUG = "harborview-council-approves-new-harbor-plan"

NOT_DERIVABLE = ("$.record_id", "$.created", "$.events", "$.agents", "$.extensions")
"""What the WARC cannot tell: only the seal protects these (and the extractor version,
which may rightly be older than the running warcite)."""
NOT_DERIVABLE_LEAVES = (
    "$.text.extractor.version",
    "$.schema_version",
    "$.citation.archive",  # the archive's name when the record was made: history (issue 18)
)


@pytest.fixture(scope="module")
def sealed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding one record made by ``warcite archive`` from a transcript."""
    base = tmp_path_factory.mktemp("sealed")
    project = base / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    source = base / "transcript_news.txt"
    shutil.copy(TEST_DATA / "transcript_news.txt", source)
    runner = CliRunner()
    import os

    previous = Path.cwd()
    os.chdir(project)
    try:
        result = runner.invoke(
            cli,
            ["archive", str(source), "--url", URL, "--id", SLUG, "--operator", "Ada Tester"],
        )
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture()
def project(sealed_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(sealed_project, copy, symlinks=True)
    return copy


def record_path(project: Path) -> Path:
    return project / "records" / f"{SLUG}.json"


def leaf_paths(value: Any, path: str = "$") -> list[tuple[str, tuple[str | int, ...]]]:
    """(JSON path, key sequence) of every leaf (scalars, and empty arrays and objects)."""
    return _leaves(value, path, ())


def _leaves(
    value: Any, path: str, keys: tuple[str | int, ...]
) -> list[tuple[str, tuple[str | int, ...]]]:
    if isinstance(value, dict) and value:
        found = []
        for key, child in value.items():
            found.extend(_leaves(child, f"{path}.{key}", (*keys, key)))
        return found
    if isinstance(value, list) and value:
        found = []
        for index, child in enumerate(value):
            found.extend(_leaves(child, f"{path}[{index}]", (*keys, index)))
        return found
    return [(path, keys)]


def changed(value: Any) -> Any:
    """A different value of the same kind, as plausible as possible (a digit for a digit,
    a letter for a letter), so that the edit is not merely a schema error."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.5
    if isinstance(value, str):
        for index in range(len(value) - 1, -1, -1):
            char = value[index]
            if char.isdigit():
                return value[:index] + str((int(char) + 1) % 10) + value[index + 1 :]
            if "a" <= char <= "y" or "A" <= char <= "Y":
                return value[:index] + chr(ord(char) + 1) + value[index + 1 :]
            if char in "zZ":
                return value[:index] + chr(ord(char) - 1) + value[index + 1 :]
        return value + "x"
    if value is None:
        return "x"
    if isinstance(value, list):
        return ["x"]
    if isinstance(value, dict):
        return {"x": "x"}
    raise AssertionError(f"unexpected JSON value {value!r}")


def set_leaf(record: Any, keys: tuple[str | int, ...], value: Any) -> None:
    target = record
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value


def forge_seal(project: Path, record: dict[str, Any]) -> None:
    """What someone editing a record could do: write a seal matching the edit."""
    data = (project / "records" / f"{SLUG}.json").read_bytes()
    seal = parse_manifest((project / "records" / f"{SLUG}.sha512").read_bytes())
    own = f"records/{SLUG}.json"
    lines = [e if e.path != own else type(e)(own, hashlib.sha512(data).hexdigest()) for e in seal]
    (project / "records" / f"{SLUG}.sha512").write_bytes(manifest(lines))


def test_the_fresh_record_passes_and_its_seal_checks_with_sha512sum(project: Path) -> None:
    assert validate_file(record_path(project), project, deep=True).ok
    seal = (project / "records" / f"{SLUG}.sha512").read_text(encoding="utf-8")
    assert [line.split("  ")[1] for line in seal.splitlines()] == [
        f"records/{SLUG}.json",
        f"records/{SLUG}.txt",
        json.loads(record_path(project).read_text())["capture"]["warc"]["path"],
    ]
    if shutil.which("sha512sum") is None:
        pytest.skip("sha512sum (GNU coreutils) is not installed")
    checked = subprocess.run(
        ["sha512sum", "--strict", "-c", f"records/{SLUG}.sha512"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == 3


def test_every_leaf_edit_fails_validation(project: Path) -> None:
    path = record_path(project)
    original_bytes = path.read_bytes()
    seal_bytes = (project / "records" / f"{SLUG}.sha512").read_bytes()
    original = json.loads(original_bytes)
    leaves = leaf_paths(original)
    assert len(leaves) > 100  # the whole record, not a sample
    passed_deep: list[str] = []
    passed_plain: list[str] = []
    passed_forged: list[str] = []
    for json_path, keys in leaves:
        record = json.loads(original_bytes)
        set_leaf(record, keys, changed(_get(original, keys)))
        path.write_text(dump_record(record), encoding="utf-8")
        if validate_file(path, project).ok:
            passed_plain.append(json_path)
        if validate_file(path, project, deep=True).ok:
            passed_deep.append(json_path)
        derivable = not json_path.startswith(NOT_DERIVABLE) and json_path not in (
            NOT_DERIVABLE_LEAVES
        )
        if derivable:
            forge_seal(project, record)
            report = validate_file(path, project, deep=True)
            if not [p for p in report.problems if p.severity == "error" and p.kind != "seal"]:
                passed_forged.append(json_path)
            (project / "records" / f"{SLUG}.sha512").write_bytes(seal_bytes)
    path.write_bytes(original_bytes)
    assert passed_plain == []
    assert passed_deep == []
    assert passed_forged == [], "derivable fields that --deep does not re-derive"
    assert validate_file(path, project, deep=True).ok


def _get(record: Any, keys: tuple[str | int, ...]) -> Any:
    for key in keys:
        record = record[key]
    return record


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_text_byte_edit_fails(project: Path, where: str) -> None:
    text = project / "records" / f"{SLUG}.txt"
    data = bytearray(text.read_bytes())
    index = {"start": 0, "middle": len(data) // 2, "end": len(data) - 2}[where]
    data[index] = ord("#") if data[index] != ord("#") else ord("%")
    text.write_bytes(bytes(data))
    for deep in (False, True):
        report = validate_file(record_path(project), project, deep=deep)
        assert not report.ok
        assert any(p.kind == "seal" for p in report.problems)


@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.6, 0.999])
def test_a_warc_byte_edit_fails(project: Path, fraction: float) -> None:
    record = json.loads(record_path(project).read_text())
    warc = project / record["capture"]["warc"]["path"]
    data = bytearray(warc.read_bytes())
    index = min(int(len(data) * fraction), len(data) - 1)
    data[index] ^= 0x20
    warc.write_bytes(bytes(data))
    for deep in (False, True):
        report = validate_file(record_path(project), project, deep=deep)
        assert not report.ok
        assert any(p.kind == "seal" for p in report.problems)
    if shutil.which("sha512sum"):
        checked = subprocess.run(
            ["sha512sum", "-c", f"records/{SLUG}.sha512"],
            cwd=project,
            capture_output=True,
            check=False,
        )
        assert checked.returncode == 1


def test_a_removed_seal_or_a_seal_line_fails(project: Path) -> None:
    seal = project / "records" / f"{SLUG}.sha512"
    original = seal.read_bytes()
    seal.write_bytes(b"\n".join(original.splitlines()[:2]) + b"\n")
    lines = [p.line() for p in validate_file(record_path(project), project).problems]
    assert any("does not seal archive/" in line for line in lines), lines
    seal.unlink()
    lines = [p.line() for p in validate_file(record_path(project), project).problems]
    assert any("the record has no seal" in line for line in lines), lines
    seal.write_bytes(b"not a manifest\n")
    lines = [p.line() for p in validate_file(record_path(project), project).problems]
    assert any("line 1 of the seal is not" in line for line in lines), lines


def test_the_cli_reports_a_tampered_record(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = json.loads(record_path(project).read_text())
    record["work"]["url"] = "https://forged.example/elsewhere"
    record_path(project).write_text(dump_record(record), encoding="utf-8")
    monkeypatch.chdir(project)
    for arguments in (["validate"], ["validate", "--deep"]):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 5, result.output
        assert "changed since it was sealed" in result.stdout
        assert "Traceback" not in result.output
    deep = CliRunner().invoke(cli, ["validate", "--deep"])
    assert (
        f'records/{SLUG}.json: $.work.url: the record holds "https://forged.example/elsewhere", '
        f're-derived from the WARC: "{URL}"'
    ) in deep.stdout


# --------------------------------------------------------------------------- re-sealing


def test_seal_after_a_deliberate_change_records_an_event(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    record = json.loads(record_path(project).read_text())
    record["capture"]["note"] = "Checked against the printed edition."
    record_path(project).write_text(dump_record(record), encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate"]).exit_code == 5
    refused = CliRunner().invoke(cli, ["seal", SLUG])
    assert refused.exit_code == 2 and "--reason" in refused.output
    result = CliRunner().invoke(
        cli, ["seal", SLUG, "--reason", "added a note on the print edition", "--operator", "Ada"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"records/{SLUG}.sha512\n"
    sealed = json.loads(record_path(project).read_text())
    last = sealed["events"][-1]
    assert last["type"] == "message digest calculation"
    assert "added a note on the print edition" in last["detail"]
    ada = [a["id"] for a in sealed["agents"] if a["name"] == "Ada"]
    assert (
        ada
        and {"id": ada[0], "role": "implementer"}.items()
        <= next(link for link in last["linking_agents"] if link["id"] == ada[0]).items()
    )
    assert last["agent"].startswith("urn:warcite:agent:warcite-")  # the executing program
    assert CliRunner().invoke(cli, ["validate"]).exit_code == 0
    # --deep still reports the hand-made change: the WARC's metadata has no such note
    deep = CliRunner().invoke(cli, ["validate", "--deep"])
    assert deep.exit_code == 5
    assert "$.capture.note" in deep.stdout


def test_seal_refuses_a_record_that_does_not_validate(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    text = project / "records" / f"{SLUG}.txt"
    text.write_bytes(text.read_bytes() + b"Added.\n")
    before = (
        record_path(project).read_bytes(),
        (project / "records" / f"{SLUG}.sha512").read_bytes(),
    )
    result = CliRunner().invoke(cli, ["seal", SLUG, "--reason", "hide an edit"])
    assert result.exit_code == 5
    assert "does not validate apart from its seal" in result.stderr
    assert "Traceback" not in result.output
    after = record_path(project).read_bytes(), (project / "records" / f"{SLUG}.sha512").read_bytes()
    assert after == before


# --------------------------------------------------------------------------- validate --record


def test_validate_record_appends_a_fixity_check_event(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    events_before = len(json.loads(record_path(project).read_text())["events"])
    plain = CliRunner().invoke(cli, ["validate", "--deep"])
    assert plain.exit_code == 0
    assert len(json.loads(record_path(project).read_text())["events"]) == events_before
    result = CliRunner().invoke(cli, ["validate", "--deep", "--record", "--operator", "Ada"])
    assert result.exit_code == 0, result.output
    assert "fixity check event recorded (success)" in result.stderr
    record = json.loads(record_path(project).read_text())
    assert len(record["events"]) == events_before + 1
    event = record["events"][-1]
    assert (event["type"], event["outcome"]) == ("fixity check", "success")
    assert event["type_uri"].endswith("/fix")
    assert "re-derived from the WARC" in event["detail"]
    ada = [a["id"] for a in record["agents"] if a["name"] == "Ada"]
    assert (
        ada
        and {"id": ada[0], "role": "implementer"}.items()
        <= next(link for link in event["linking_agents"] if link["id"] == ada[0]).items()
    )
    again = CliRunner().invoke(cli, ["validate", "--deep"])
    assert again.exit_code == 0, again.output


def test_validate_record_keeps_a_failing_file_failing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged text: the failure is recorded, and only the JSON's seal line renewed."""
    monkeypatch.chdir(project)
    text = project / "records" / f"{SLUG}.txt"
    text.write_bytes(text.read_bytes().replace(b"Council", b"Cuoncil", 1))
    result = CliRunner().invoke(cli, ["validate", "--record"])
    assert result.exit_code == 5
    assert "fixity check event recorded (failure)" in result.stderr
    event = json.loads(record_path(project).read_text())["events"][-1]
    assert (event["type"], event["outcome"]) == ("fixity check", "failure")
    assert "sha512" in event["detail"]
    after = CliRunner().invoke(cli, ["validate"])
    assert after.exit_code == 5
    assert f"records/{SLUG}.txt changed since it was sealed" in after.stdout
    assert f"records/{SLUG}.json changed since" not in after.stdout


def test_validate_record_never_seals_an_unexplained_json_change(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    record = json.loads(record_path(project).read_text())
    record["created"] = "2020-01-01T00:00:00Z"
    record_path(project).write_text(dump_record(record), encoding="utf-8")
    before = record_path(project).read_bytes()
    result = CliRunner().invoke(cli, ["validate", "--record"])
    assert result.exit_code == 5
    assert "no fixity check event recorded" in result.stderr
    assert record_path(project).read_bytes() == before


def test_record_entries_list_json_text_and_warc() -> None:
    record = {
        "id": "a",
        "text": {"path": "records/a.txt", "sha512": "b" * 128},
        "capture": {"warc": {"path": "archive/a.warc.gz"}},
        "files": [{"role": "warc", "path": "archive/a.warc.gz", "sha512": "c" * 128}],
    }
    data = manifest(record_entries(record, b"{}"))
    assert data.decode() == (
        f"{hashlib.sha512(b'{}').hexdigest()}  records/a.json\n"
        f"{'b' * 128}  records/a.txt\n{'c' * 128}  archive/a.warc.gz\n"
    )
    assert parse_manifest(data) == record_entries(record, b"{}")

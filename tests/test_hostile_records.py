"""Hostile inputs on the records side: each is a clear error with its documented exit code,
no traceback, no hang, and nothing in the project changes.

Every case runs the real ``warcite`` command in a subprocess with a timeout (a FIFO that
blocked a read would hang it) and goes through :func:`refused`, which snapshots the whole
project tree before and after and checks the exit code and the message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import TEST_DATA

URL = "https://harborview-gazette.example/news/2019/05/11/council-approves-harbor-plan"
SLUG = "harbor"
WARCITE = [sys.executable, "-m", "warcite"]
TIMEOUT = 60


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from warcite.capture import import_file
    from warcite.integrity.recording import make_record

    project = tmp_path_factory.mktemp("hostile") / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    warc = import_file(
        TEST_DATA / "transcript_news.txt", url=URL, archive_dir=project / "archive"
    ).path
    make_record(warc, project_root=project, slug=SLUG)
    return project


@pytest.fixture()
def project(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def tree(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder`` (not following links): kind, and bytes for plain files."""
    found: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.name == ".warcite.lock":
            continue  # the lock file holds nothing
        if path.is_symlink():
            found[name] = ("link", os.readlink(path))
        elif path.is_fifo():
            found[name] = ("fifo",)
        elif path.is_dir():
            found[name] = ("dir",)
        elif path.is_file():
            stat = path.stat()
            if stat.st_size > 1 << 20:
                found[name] = ("big", stat.st_size, stat.st_mtime_ns)
            else:
                found[name] = ("file", path.read_bytes(), stat.st_mtime_ns)
    return found


def refused(project: Path, arguments: list[str], exit_code: int, message: str) -> str:
    """Run warcite; assert the exit code, the message, no traceback, and no change at all."""
    before = tree(project.parent)
    result = subprocess.run(
        [*WARCITE, *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == exit_code, output
    assert message in output, output
    assert "Traceback" not in output, output
    assert tree(project.parent) == before, "the project changed"
    return output


def valid_record(project: Path) -> bytes:
    return (project / "records" / f"{SLUG}.json").read_bytes()


# --------------------------------------------------------------------------- deep JSON


def test_a_record_nested_100000_levels_deep(project: Path) -> None:
    (project / "records" / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    expected = "nests arrays and objects more than 64 levels deep"
    refused(project, ["validate", "records/deep.json"], 5, expected)
    refused(project, ["validate"], 5, expected)
    refused(project, ["text", "deep"], 5, expected)
    refused(project, ["cite", "deep"], 5, expected)
    refused(project, ["quote", "deep", "harbor"], 5, expected)
    refused(project, ["seal", "deep", "--reason", "x"], 5, expected)


def test_a_deep_object_inside_a_string_is_just_text(project: Path) -> None:
    from warcite.record.common import parse_record_json

    assert parse_record_json(b'{"a": "' + b"[" * 1000 + b'"}', "x") == {"a": "[" * 1000}


# --------------------------------------------------------------------------- FIFOs, devices


def test_a_fifo_as_a_record_file(project: Path) -> None:
    os.mkfifo(project / "records" / "pipe.json")
    expected = "records/pipe.json is a FIFO (named pipe), not a regular file; not read"
    refused(project, ["validate", "records/pipe.json"], 5, expected)
    refused(project, ["validate"], 5, expected)
    refused(project, ["text", "pipe"], 5, "is a FIFO (named pipe)")
    refused(project, ["cite", "records/pipe.json"], 5, "is a FIFO (named pipe)")


def test_a_fifo_as_the_text_and_as_the_warc(project: Path) -> None:
    text = project / "records" / f"{SLUG}.txt"
    text.unlink()
    os.mkfifo(text)
    refused(project, ["validate", f"records/{SLUG}.json"], 5, "is a FIFO (named pipe)")
    refused(project, ["text", SLUG], 5, "is a FIFO (named pipe)")
    text.unlink()


def test_a_warc_that_is_a_fifo(project: Path) -> None:
    warc = next((project / "archive").glob("*.warc.gz"))
    warc.unlink()
    os.mkfifo(warc)
    shown = f"archive/{warc.name}"
    refused(project, ["validate", f"records/{SLUG}.json"], 5, f"cannot read {shown}")
    refused(project, ["record", shown, "--id", "other"], 5, "is a FIFO (named pipe)")
    refused(project, ["archive", shown], 2, "is not a regular file")
    os.mkfifo(project.parent / "incoming.txt")
    refused(project, ["archive", "../incoming.txt", "--url", URL], 2, "is not a regular file")


def test_a_symlink_to_dev_zero_in_records(project: Path) -> None:
    (project / "records" / "zero.json").symlink_to("/dev/zero")
    expected = "leads outside the project folder"
    refused(project, ["validate", "records/zero.json"], 5, expected)
    refused(project, ["validate"], 5, expected)
    refused(project, ["text", "zero"], 5, expected)
    text = project / "records" / f"{SLUG}.txt"
    text.unlink()
    text.symlink_to("/dev/zero")
    refused(project, ["validate", f"records/{SLUG}.json"], 5, "leads outside the project")
    refused(project, ["text", SLUG], 5, "leads outside the project")


def test_a_device_inside_the_project_is_not_read(project: Path) -> None:
    if not os.path.exists("/dev/null") or os.geteuid() != 0:
        pytest.skip("creating a device node needs root")
    device = project / "records" / "null.json"
    os.mknod(device, 0o600 | 0o020000, os.stat("/dev/null").st_rdev)
    refused(project, ["validate", "records/null.json"], 5, "is a device, not a regular file")


# --------------------------------------------------------------------------- ids and paths


def test_a_5000_character_id(project: Path) -> None:
    long_id = "a" * 5000
    refused(project, ["text", long_id], 5, "(5000 characters) is not a record id")
    refused(project, ["cite", long_id], 5, "(5000 characters) is not a record id")
    refused(project, ["quote", long_id, "harbor"], 5, "(5000 characters) is not a record id")
    refused(project, ["seal", long_id, "--reason", "x"], 5, "(5000 characters) is not a record id")
    refused(project, ["validate", f"records/{long_id}.json"], 5, "the name is too long")
    warc = next((project / "archive").glob("*.warc.gz"))
    refused(project, ["record", f"archive/{warc.name}", "--id", long_id], 2, "is not a valid id")


def test_a_record_path_that_is_a_folder(project: Path) -> None:
    (project / "records" / "folder.json").mkdir()
    refused(project, ["validate"], 5, "record file records/folder.json is a folder")
    refused(project, ["validate", "records/folder.json"], 5, "records/folder.json is a folder")
    refused(project, ["text", "folder"], 5, "records/folder.json is a folder")
    refused(project, ["cite", "records/folder.json"], 5, "records/folder.json is a folder")


def test_huge_record_and_text_files_are_not_read(project: Path) -> None:
    huge = project / "records" / "huge.json"
    with huge.open("wb") as stream:
        stream.truncate(40 * 1024 * 1024)  # sparse: no disk used
    refused(project, ["validate", "records/huge.json"], 5, "is larger than 33554432 bytes")
    refused(project, ["text", "huge"], 5, "is larger than 33554432 bytes")
    text = project / "records" / f"{SLUG}.txt"
    with text.open("r+b") as stream:
        stream.truncate(300 * 1024 * 1024)
    refused(project, ["text", SLUG], 5, "is larger than 268435456 bytes")
    output = refused(project, ["validate", f"records/{SLUG}.json"], 5, "is larger than")
    assert "sha512" in output  # the digests of the big file are still checked, streamed


# --------------------------------------------------------------------------- symlinks out


def test_symlinks_out_of_the_project_are_refused_for_reading(project: Path) -> None:
    outside = project.parent / "outside"
    outside.mkdir()
    shutil.copy(project / "records" / f"{SLUG}.json", outside / "copy.json")
    (project / "records" / "copy.json").symlink_to(outside / "copy.json")
    refused(project, ["validate", "records/copy.json"], 5, "leads outside the project folder")
    refused(project, ["text", "copy"], 5, "leads outside the project folder")
    refused(project, ["cite", "copy"], 5, "leads outside the project folder")
    warc = next((project / "archive").glob("*.warc.gz"))
    shutil.copy(warc, outside / "elsewhere.warc.gz")
    link = project / "archive" / "link.warc.gz"
    link.symlink_to(outside / "elsewhere.warc.gz")
    refused(project, ["record", "archive/link.warc.gz", "--id", "linked"], 5, "leads outside")
    text = project / "records" / f"{SLUG}.txt"
    shutil.move(text, outside / "text.txt")
    text.symlink_to(outside / "text.txt")
    refused(project, ["text", SLUG], 5, "leads outside the project")
    refused(project, ["validate", f"records/{SLUG}.json"], 5, "leads outside the project")


def test_a_symlink_loop_in_records(project: Path) -> None:
    (project / "records" / "loop.json").symlink_to("loop.json")
    refused(project, ["validate", "records/loop.json"], 5, "loop.json")
    refused(project, ["text", "loop"], 5, "loop.json")


# --------------------------------------------------------------------------- credentials


def test_credentials_in_an_imported_url_never_reach_a_record(project: Path) -> None:
    source = project.parent / "story.txt"
    shutil.copy(TEST_DATA / "transcript_news.txt", source)
    result = subprocess.run(
        [*WARCITE, "archive", str(source), "--url", "https://me:hunter2@news.example/a/story"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "credentials" in result.stderr
    for path in (project / "records").iterdir():
        assert b"hunter2" not in path.read_bytes()


# --------------------------------------------------------------------------- leftovers


def test_a_fifo_as_a_journal_or_a_reservation_never_hangs(project: Path) -> None:
    os.mkfifo(project / "records" / ".warcite-reserved-other")
    refused(project, ["validate"], 5, "a reservation of the id 'other' left by an interrupted")
    os.mkfifo(project / "records" / ".warcite-tmp-feed.commit")
    refused(project, ["recover"], 5, "the commit journal .warcite-tmp-feed.commit in records/ is")
    warc = next((project / "archive").glob("*.warc.gz"))
    refused(project, ["record", f"archive/{warc.name}", "--id", "new"], 5, "is damaged")


def test_a_crafted_journal_cannot_rename_outside_records(project: Path) -> None:
    warc = next((project / "archive").glob("*.warc.gz"))
    (project / "records" / ".warcite-tmp-evil-0-x").write_bytes(b"overwritten")
    journal = {
        "renames": [["records/.warcite-tmp-evil-0-x", f"archive/{warc.name}"]],
        "release": [],
    }
    import json

    (project / "records" / ".warcite-tmp-evil.commit").write_text(json.dumps(journal))
    refused(project, ["recover"], 5, "is damaged (it renames 'records/.warcite-tmp-evil-0-x'")
    refused(project, ["seal", SLUG, "--reason", "x"], 5, "is damaged")


def test_a_huge_integer_and_a_lone_surrogate_in_a_record(project: Path) -> None:
    from warcite.record.common import SCHEMA_VERSION

    record = valid_record(project).decode("utf-8")
    version = f'"schema_version": "{SCHEMA_VERSION}"'
    assert version in record  # else the replacement below would change nothing
    (project / "records" / "number.json").write_text(
        record.replace(version, '"schema_version": ' + "9" * 50_000, 1)
    )
    refused(project, ["validate", "records/number.json"], 5, "not a record: Exceeds the limit")
    refused(project, ["text", "number"], 5, "not a record: Exceeds the limit")
    assert '"id": "harbor"' in record
    (project / "records" / "surrogate.json").write_text(
        record.replace('"id": "harbor"', '"id": "harbor\\\\ud800"'.replace("\\\\", "\\"), 1)
    )
    expected = "a string holds \\ud800, a lone surrogate escape"
    refused(project, ["validate", "records/surrogate.json"], 5, expected)
    refused(project, ["validate", "--deep"], 5, expected)
    refused(project, ["cite", "surrogate"], 5, expected)


def _nodes(value: Any, keys: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [keys] if keys else []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, child in children:
        found.extend(_nodes(child, (*keys, key)))
    return found


def test_every_node_of_a_record_of_the_wrong_type_is_a_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each object, array and value of the record replaced in turn by a value of another
    type: validate --deep, text and cite end with an exit code, never a traceback."""
    import copy
    import json

    from click.testing import CliRunner

    from warcite.cli import cli

    monkeypatch.chdir(project)
    original = json.loads(valid_record(project))
    target = project / "records" / "typed.json"
    failures = []
    nodes = _nodes(original)
    assert len(nodes) > 150
    cases = 0
    for keys in nodes:
        for value in (7, None, ["x"]):
            record = copy.deepcopy(original)
            holder = record
            for key in keys[:-1]:
                holder = holder[key]
            holder[keys[-1]] = value
            target.write_text(json.dumps(record), encoding="utf-8")
            for arguments in (
                ["validate", "--deep", "records/typed.json"],
                ["text", "records/typed.json"],
                ["cite", "records/typed.json"],
            ):
                cases += 1
                result = CliRunner().invoke(cli, arguments)
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    failures.append((arguments[0], keys, value, repr(result.exception)))
    assert failures == [], failures[:10]
    assert cases > 1350

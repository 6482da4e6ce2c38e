"""Nothing half-written, no orphan, no collision: the records' write path under faults.

Crash points are tested two ways: by making ``os.replace`` (or writing a file) fail at each
step of a commit, in process; and by a real subprocess killed with SIGKILL at each step.
After either, the next warcite run leaves the record's JSON, text and seal consistent and
no temporary file behind.  Concurrency is tested with five real ``warcite archive``
processes at once on one project.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import TEST_DATA
from warcite import record as records
from warcite.cli import cli
from warcite.core import store
from warcite.core.errors import RecordError
from warcite.core.lock import LOCK_FILE, lock_is_free, project_lock
from warcite.integrity.validate import project_problems, validate_file

URL = "https://harborview-gazette.example/news/2019/05/11/council-approves-harbor-plan"
WARCITE = [sys.executable, "-m", "warcite"]


def new_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    return project


def imported_warc(project: Path, url: str = URL, name: str = "transcript_news.txt") -> Path:
    from warcite.capture import import_file

    return import_file(TEST_DATA / name, url=url, archive_dir=project / "archive").path


def leftovers(project: Path) -> list[str]:
    """Every temporary, journal or reservation file anywhere in the project."""
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.name.startswith((".warcite-tmp-", ".warcite-reserved-"))
        or path.name.endswith((".tmp", ".part"))
    )


def record_files(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "records").iterdir() if not p.name.startswith("."))


def assert_consistent(project: Path) -> None:
    """Every record validates (seal included) and nothing temporary is left."""
    assert leftovers(project) == []
    jsons = sorted((project / "records").glob("*.json"))
    for path in jsons:
        report = validate_file(path, project)
        assert report.ok, [p.line() for p in report.problems]
    stems = {p.name.rsplit(".", 1)[0] for p in (project / "records").iterdir()}
    for stem in stems:
        for suffix in (".json", ".txt", ".sha512"):
            assert (project / "records" / f"{stem}{suffix}").exists(), (stem, suffix)


# --------------------------------------------------------------------------- injected faults


@pytest.mark.parametrize("failing_call", [1, 2, 3, 4])
def test_a_failed_rename_at_any_step_is_made_consistent_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    """Commit renames: 1 the journal (the commit point), 2 text, 3 JSON, 4 seal."""
    project = new_project(tmp_path)
    warc = imported_warc(project)
    real_replace = os.replace
    calls = {"count": 0}

    def failing_replace(source: Any, target: Any) -> None:
        calls["count"] += 1
        if calls["count"] == failing_call:
            raise OSError(errno.EIO, "Input/output error (injected)", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(RecordError) as failure:
        records.make_record(warc, project_root=project)
    monkeypatch.setattr(os, "replace", real_replace)
    if failing_call == 1:
        assert "cannot write the record's files" in str(failure.value)
        assert record_files(project) == [] and leftovers(project) == []
    else:
        assert "the next warcite command that writes records" in str(failure.value)
        assert any(name.endswith(".commit") for name in leftovers(project))
        # validate (read-only) names the leftover and the fix, and changes nothing
        problems = [p for p in project_problems(project) if p.kind == "leftover"]
        assert problems and all("warcite recover" in p.message for p in problems)
    result = records.make_record(warc, project_root=project)
    assert result.status == ("created" if failing_call == 1 else "unchanged")
    assert_consistent(project)


def test_recover_completes_an_interrupted_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    warc = imported_warc(project)
    real_replace = os.replace
    calls = {"count": 0}

    def failing_replace(source: Any, target: Any) -> None:
        calls["count"] += 1
        if calls["count"] == 3:
            raise OSError(errno.EIO, "Input/output error (injected)")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(RecordError):
        records.make_record(warc, project_root=project)
    monkeypatch.setattr(os, "replace", real_replace)
    monkeypatch.chdir(project)
    listed = CliRunner().invoke(cli, ["validate"])
    assert listed.exit_code == 5
    assert "an unfinished commit of a record's files left by an interrupted" in listed.stdout
    assert "run `warcite recover`" in listed.stdout
    recovered = CliRunner().invoke(cli, ["recover"])
    assert recovered.exit_code == 0, recovered.output
    assert "completed the interrupted commit records/.warcite-tmp-" in recovered.stderr
    assert_consistent(project)
    assert CliRunner().invoke(cli, ["recover"]).stderr == "nothing to recover\n"


@pytest.mark.parametrize(
    ("error_number", "reason"),
    [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")],
)
def test_a_full_disk_or_read_only_records_folder_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error_number: int, reason: str
) -> None:
    project = new_project(tmp_path)
    warc = imported_warc(project)
    written: list[int] = []
    real_write_new = store._write_new

    def failing_write_new(path: Path, data: bytes) -> None:
        written.append(1)
        if len(written) == 2:  # the second file of the commit
            raise OSError(error_number, reason, str(path))
        real_write_new(path, data)

    monkeypatch.setattr(store, "_write_new", failing_write_new)
    with pytest.raises(RecordError, match=reason):
        records.make_record(warc, project_root=project)
    assert record_files(project) == [] and leftovers(project) == []


# --------------------------------------------------------------------------- real kills

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    target, step = sys.argv[1], sys.argv[2]
    counter = {"n": 0}
    real_replace, real_unlink = os.replace, os.unlink

    def replace(a, b):
        counter["n"] += 1
        if step == f"replace-{counter['n']}":
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(a, b)

    def unlink(path, *args, **kwargs):
        if step == "unlink-journal" and str(path).endswith(".commit"):
            os.kill(os.getpid(), signal.SIGKILL)
        real_unlink(path, *args, **kwargs)

    os.replace, os.unlink = replace, unlink
    from warcite.record import make_record
    make_record(Path(target), project_root=Path.cwd())
    """
)


@pytest.mark.parametrize(
    "step", ["replace-1", "replace-2", "replace-3", "replace-4", "unlink-journal"]
)
def test_a_killed_record_run_never_blocks_the_next_one(tmp_path: Path, step: str) -> None:
    project = new_project(tmp_path)
    warc = imported_warc(project)
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(warc), step],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert leftovers(project), "the kill should leave a temporary file or a journal"
    again = subprocess.run(
        [*WARCITE, "record", str(warc)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    status = again.stderr.split()[0]
    assert status == ("created" if step == "replace-1" else "unchanged:"), again.stderr
    assert_consistent(project)


# --------------------------------------------------------------------------- archive failures


def test_archive_without_text_keeps_the_warc_and_names_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    source = tmp_path / "empty.txt"
    source.write_text("Home | News | Sports\n\nSubscribe  Log in\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["archive", str(source), "--url", URL])
    assert result.exit_code == 4, result.output
    warcs = sorted((project / "archive").glob("*.warc.gz"))
    assert len(warcs) == 1
    shown = f"archive/{warcs[0].name}"
    assert f"kept: {shown} (the capture is complete" in result.stderr
    assert f"  warcite record {shown} --record-id '<urn:uuid:" in result.stderr
    assert "Traceback" not in result.output
    assert record_files(project) == [] and leftovers(project) == []
    listed = CliRunner().invoke(cli, ["validate"])
    assert listed.exit_code == 5
    assert f"{shown}: $: no record refers to this WARC" in listed.stdout
    assert f"run `warcite record {shown}`" in listed.stdout


def test_archive_on_a_full_disk_says_what_was_kept_and_the_command_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    monkeypatch.chdir(project)
    real_write_new = store._write_new

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(store, "_write_new", full)
    result = CliRunner().invoke(
        cli, ["archive", str(TEST_DATA / "transcript_news.txt"), "--url", URL, "--id", "harbor"]
    )
    assert result.exit_code == 5, result.output
    assert "No space left on device" in result.stderr
    command_line = result.stderr.strip().splitlines()[-1].strip()
    assert command_line.startswith("warcite record archive/harbor-")
    assert command_line.endswith("--id harbor")
    assert record_files(project) == [] and leftovers(project) == []
    monkeypatch.setattr(store, "_write_new", real_write_new)
    import shlex

    completed = CliRunner().invoke(cli, shlex.split(command_line)[1:])
    assert completed.exit_code == 0, completed.output
    assert CliRunner().invoke(cli, ["validate"]).exit_code == 0
    assert_consistent(project)


def test_archive_strips_credentials_from_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    monkeypatch.chdir(project)
    secret_url = "https://reader:s3cret-pass@harborview-gazette.example/news/harbor-plan"
    result = CliRunner().invoke(
        cli, ["archive", str(TEST_DATA / "transcript_news.txt"), "--url", secret_url]
    )
    assert result.exit_code == 0, result.output
    assert "the URL held credentials" in result.stderr
    assert "s3cret" not in result.stdout
    for path in project.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                import gzip

                data = gzip.decompress(data)
            assert b"s3cret" not in data, path
            assert b"reader:" not in data, path
    cited = CliRunner().invoke(cli, ["cite", record_files(project)[0].removesuffix(".json")])
    assert "s3cret" not in cited.output


def test_credentials_in_a_warc_target_never_reach_the_record() -> None:
    assert records.without_credentials("https://u:p@example.org/a?b=c@d") == (
        "https://example.org/a?b=c@d"
    )
    assert records.without_credentials("urn:transcript:http://user@example.org/") == (
        "urn:transcript:http://example.org/"
    )
    assert records.without_credentials("https://example.org/@user") == "https://example.org/@user"
    assert not records.has_credentials("mailto:someone@example.org")


# --------------------------------------------------------------------------- leftovers


def test_validate_lists_orphans_and_stale_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    warc = imported_warc(project)
    records.make_record(warc, project_root=project)
    orphan = imported_warc(project, url=URL + "-again")
    (project / "records" / ".warcite-tmp-0123-0-x.json").write_text("{", encoding="utf-8")
    (project / "records" / "old-style.json.tmp").write_text("{", encoding="utf-8")
    part = project / "archive" / ".x.warc.gz.0123.part"
    part.write_bytes(b"WARC/1.1\r\n")
    fresh_part = project / "archive" / ".y.warc.gz.4567.part"
    fresh_part.write_bytes(b"WARC/1.1\r\n")
    two_hours_ago = time.time() - 7200
    os.utime(part, (two_hours_ago, two_hours_ago))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 5
    lines = result.stdout.splitlines()
    assert (
        f"archive/{orphan.name}: $: no record refers to this WARC (a capture whose record was "
        f"never made); run `warcite record archive/{orphan.name}` to make it, or delete the WARC "
        "if it is not wanted"
    ) in lines
    for name in ("records/.warcite-tmp-0123-0-x.json", "records/old-style.json.tmp"):
        assert (
            f"{name}: $: a temporary file left by an interrupted warcite run; run `warcite recover` to finish or remove it (any warcite command that writes records does it too)"
            in lines
        )
    assert any(line.startswith("archive/.x.warc.gz.0123.part: $: a capture's") for line in lines)
    assert (
        "archive/.y.warc.gz.4567.part: $: warning: a capture's temporary file of a warcite run in "
        "progress"
    ) in lines
    assert result.stderr.endswith("Error: 4 problems in the project\n"), result.output
    recovered = CliRunner().invoke(cli, ["recover"])
    assert recovered.exit_code == 0
    assert not part.exists() and fresh_part.exists()
    assert not (project / "records" / "old-style.json.tmp").exists()
    fresh_part.unlink()
    completed = CliRunner().invoke(cli, ["record", f"archive/{orphan.name}"])
    assert completed.exit_code == 0, completed.output
    assert CliRunner().invoke(cli, ["validate"]).exit_code == 0


def test_a_temporary_file_of_a_running_writer_is_not_called_stale(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    (project / "records" / ".warcite-tmp-abc-0-x.txt").write_text("x", encoding="utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from warcite.core.lock import project_lock\n"
            "with project_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(60)",
            str(project),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert not lock_is_free(project)
        problems = project_problems(project)
        assert [p.severity for p in problems] == ["warning"]
        with (
            pytest.raises(RecordError, match="another warcite process has been writing"),
            project_lock(project, timeout=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert lock_is_free(project)
    assert [p.severity for p in project_problems(project)] == ["error"]


# --------------------------------------------------------------------------- ids, locks


def test_allocate_id_reserves_until_the_record_is_written(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    warc = imported_warc(project)
    first = records.allocate_id(project, "harbor")
    second = records.allocate_id(project, "harbor")
    assert (first, second) == ("harbor", "harbor-2")
    assert (project / "records" / ".warcite-reserved-harbor").exists()
    result = records.make_record(warc, project_root=project, slug=first)
    assert result.status == "created"
    assert not (project / "records" / ".warcite-reserved-harbor").exists()
    assert records.allocate_id(project, "harbor") == "harbor-3"
    store.release_id(project, "harbor-2")
    store.release_id(project, "harbor-3")
    assert records.allocate_id(project, "harbor") == "harbor-2"


def test_a_reservation_of_a_dead_process_is_reclaimed(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    import socket

    reservation = project / "records" / ".warcite-reserved-harbor"
    reservation.write_text(f"{dead.stdout.strip()} {socket.gethostname()} 0\n", encoding="utf-8")
    assert records.allocate_id(project, "harbor") == "harbor"
    assert store.reservation_state(reservation) == "mine"


def test_the_lock_is_reentrant_and_a_bad_slug_is_refused(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    with project_lock(project), project_lock(project):
        assert records.allocate_id(project, "x") == "x"
    assert (project / LOCK_FILE).exists()
    from warcite.core.errors import UsageError

    with pytest.raises(UsageError):
        records.allocate_id(project, "Not A Slug")


ALLOCATOR = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from warcite.record import allocate_id
    print(allocate_id(Path(sys.argv[1]), "same"), flush=True)
    sys.stdin.read()  # a reservation lasts while its process lives: stay until told
    """
)


def test_parallel_allocations_get_distinct_ids(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", ALLOCATOR, str(project)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    try:
        ids = []
        for run in runs:
            assert run.stdout is not None
            ids.append(run.stdout.readline().strip())
    finally:
        for run in runs:
            run.communicate(timeout=120)
    assert sorted(ids) == ["same", "same-2", "same-3", "same-4", "same-5", "same-6"]
    # once they are gone, their reservations are stale and the ids free again
    assert records.allocate_id(project, "same") == "same"


# --------------------------------------------------------------------------- five archives at once


def _run_parallel(
    project: Path, commands: list[list[str]]
) -> list[subprocess.CompletedProcess[str]]:
    processes = [
        subprocess.Popen(
            [*WARCITE, *command],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def test_five_archives_at_once_of_distinct_files(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    names = [
        "transcript_news.txt",
        "transcript_blog.txt",
        "transcript_oped.txt",
        "transcript_platform.txt",
        "transcript_de_opinion.txt",
    ]
    commands = [
        ["archive", str(TEST_DATA / name), "--url", f"https://site-{n}.example/story-{n}"]
        for n, name in enumerate(names)
    ]
    results = _run_parallel(project, commands)
    assert [r.returncode for r in results] == [0] * 5, [r.stderr for r in results]
    paths = [r.stdout.splitlines()[0] for r in results]
    assert len(set(paths)) == 5
    assert_consistent(project)
    assert project_problems(project) == []


def test_five_archives_at_once_with_the_same_record_slug(tmp_path: Path) -> None:
    """Five copies of one article under five URLs of one site: one default record id."""
    project = new_project(tmp_path)
    source = tmp_path / "story.txt"
    shutil.copy(TEST_DATA / "transcript_news.txt", source)
    commands = [
        ["archive", str(source), "--url", f"https://harborview-gazette.example/news/copy-{n}"]
        for n in range(5)
    ]
    results = _run_parallel(project, commands)
    assert [r.returncode for r in results] == [0] * 5, [r.stderr for r in results]
    paths = sorted(r.stdout.splitlines()[0] for r in results)
    base = min(paths, key=len).removesuffix(".json")
    assert paths == sorted([f"{base}.json"] + [f"{base}-{n}.json" for n in range(2, 6)]), paths
    ids = {json.loads((project / p).read_text())["record_id"] for p in paths}
    assert len(ids) == 5
    assert_consistent(project)
    assert project_problems(project) == []


def test_five_archives_at_once_of_the_same_url(tmp_path: Path) -> None:
    """Five captures of one URL in the same second: distinct WARC names (never a clash),
    distinct record ids, every record whole and sealed."""
    from collection_site import running_site

    project = new_project(tmp_path)
    with running_site(2) as site:
        url = site.url(1)
        results = _run_parallel(project, [["archive", url] for _ in range(5)])
    assert [r.returncode for r in results] == [0] * 5, [r.stderr for r in results]
    paths = {r.stdout.splitlines()[0] for r in results}
    assert len(paths) == 5
    warcs = {json.loads((project / p).read_text())["capture"]["warc"]["path"] for p in paths}
    assert len(warcs) == 5
    assert_consistent(project)
    assert project_problems(project) == []


@pytest.mark.parametrize("failing_call", [1, 2, 3, 4])
def test_a_crash_while_replacing_leaves_the_old_or_the_new_record_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    """``--replace`` of an existing record, interrupted at each rename: afterwards the
    record, text and seal are all the old ones (before the commit point) or all the new."""
    import test_record
    from warcite.core.models import Extraction, Field

    project = test_record.new_project(tmp_path)
    monkeypatch.setattr(
        "warcite.extract.extract_page",
        lambda page: test_record.sample_extraction(page.url or test_record.URL),
    )
    warc = test_record.import_transcript(project)
    old = records.make_record(warc, project_root=project)
    old_files = {p.name: p.read_bytes() for p in (project / "records").iterdir()}
    renamed = Extraction(
        **{
            **test_record.sample_extraction().__dict__,
            "title": Field("Why Rivers Rise", "text:heading", "Why Rivers Rise"),
        }
    )
    monkeypatch.setattr("warcite.extract.extract_page", lambda page: renamed)
    real_replace = os.replace
    calls = {"count": 0}

    def failing_replace(source: Any, target: Any) -> None:
        calls["count"] += 1
        if calls["count"] == failing_call:
            raise OSError(errno.EIO, "Input/output error (injected)")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(RecordError):
        records.make_record(warc, project_root=project, replace=True)
    monkeypatch.setattr(os, "replace", real_replace)
    store.recover(project)
    assert_consistent(project)
    files = {p.name: p.read_bytes() for p in (project / "records").iterdir()}
    title = json.loads(old.path.read_text())["work"]["title"]["value"]
    if failing_call == 1:
        assert files == old_files and title == "Why Rivers Flood in Spring"
    else:
        assert files != old_files and title == "Why Rivers Rise"
        assert json.loads(old.path.read_text())["record_id"] == old.record["record_id"]


def test_a_foreign_warc_with_credentials_in_its_target_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A WARC made elsewhere names ``user:secret@`` in WARC-Target-URI: the record, its text,
    seal and citation never hold them, warcite warns, and the record validates."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    project = new_project(tmp_path)
    html = (TEST_DATA / "html_news_article.html").read_bytes()
    warc = project / "archive" / "foreign.warc.gz"
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "https://editor:t0p-secret@news.example/2024/03/05/story.html",
                "response",
                payload=BytesIO(html),
                length=len(html),
                http_headers=headers,
            )
        )
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["record", "archive/foreign.warc.gz"])
    assert result.exit_code == 0, result.output
    assert "holds credentials" in result.stderr
    assert "t0p-secret" not in result.output
    for path in (project / "records").iterdir():
        assert b"t0p-secret" not in path.read_bytes() and b"editor:" not in path.read_bytes()
    record = json.loads(next((project / "records").glob("*.json")).read_text())
    assert record["capture"]["target_uri"] == "https://news.example/2024/03/05/story.html"
    assert CliRunner().invoke(cli, ["validate", "--deep"]).exit_code == 0

"""warcite search and warcite list over the derived SQLite index (FTS5)."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collection_site import run_cli as _run
from collection_site import running_site
from warcite.collection.batch import Source, run_batch
from warcite.collection.index import index_path, load_entries
from warcite.collection.search import fts_query, search
from warcite.core.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
REFERENCE = "opednews-160829-249"


@pytest.fixture()
def reference_project(tmp_path: Path) -> Path:
    """A project holding a copy of the reference record, its text and its WARC."""
    root = tmp_path / "project"
    (root / "records").mkdir(parents=True)
    (root / "archive").mkdir()
    shutil.copy(REPO / "warcite.toml", root / "warcite.toml")
    for suffix in (".json", ".txt"):
        shutil.copy(REPO / "records" / f"{REFERENCE}{suffix}", root / "records")
    for warc in (REPO / "archive").glob(f"{REFERENCE}-*.warc.gz"):
        shutil.copy(warc, root / "archive")
    return root


def test_search_finds_the_reference_record_by_every_form_of_the_name(
    reference_project: Path,
) -> None:
    for query in ("In Ae Hyun", "Hyeon", '"In-ae Hyeon"', "hyeon in-ae", '"In-ae-Hyun"'):
        results = search(reference_project, query)
        assert results.hits, query
        assert {hit.record for hit in results.hits} == {REFERENCE}
        assert any(hit.field == "author" for hit in results.hits), query
    assert not search(reference_project, '"In Ae Hyeon Kim"').hits


def test_search_a_phrase_gives_paragraphs_and_citations(
    reference_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = search(reference_project, '"reign of terror"')
    assert results.total == 2
    assert [(hit.record, hit.paragraph) for hit in results.hits] == [(REFERENCE, 6), (REFERENCE, 9)]
    assert results.hits[0].in_text == "(Hyeon, 2016, para. 6)"
    assert "[reign of terror]" in results.hits[0].snippet
    assert results.hits[0].reference.startswith("Hyeon, I. (2016, August 29).")
    # the words apart, not as a phrase, are in more paragraphs than the phrase
    assert search(reference_project, "reign terror").total >= 2
    assert search(reference_project, '"terror of reign"').total == 0
    assert search(reference_project, "KINU").hits[0].field == "bio"

    result = _run(reference_project, monkeypatch, "search", '"reign of terror"')
    assert result.exit_code == 0, result.output
    assert "opednews-160829-249  paragraph 6" in result.stdout
    assert "(Hyeon, 2016, para. 6)" in result.stdout
    assert result.stdout.rstrip().endswith("2 matches")
    result = _run(reference_project, monkeypatch, "search", "Hyeon", "--format", "json")
    data = json.loads(result.stdout)
    assert data["hits"][0]["record"] == REFERENCE
    assert data["hits"][0]["citation"] == "(Hyeon, 2016)"


def test_query_language_prefix_exclusion_or(reference_project: Path) -> None:
    assert search(reference_project, "defect*").total > search(reference_project, "defect").total
    with_diplomats = search(reference_project, "defectors").total
    without = search(reference_project, "defectors -elite").total
    assert 0 < without < with_diplomats
    either = search(reference_project, "Pyongan OR Chongju").total
    assert either >= search(reference_project, "Chongju").total > 0


HOSTILE = [
    '"',
    "AND(",
    "NEAR(a b",
    "*",
    "-",
    "OR",
    "a OR",
    'a"b',
    "^title",
    "title:terror",
    "{col}: x",
    "'; DROP TABLE passages; --",
    "\x00",
    "NOT",
    "((((",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_crash(
    reference_project: Path, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    result = _run(reference_project, monkeypatch, "search", query)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("Error: ")
    assert search(reference_project, "Hyeon").hits  # the index is intact


@given(st.text(max_size=60))
def test_every_translated_query_is_valid_fts5(query: str) -> None:
    try:
        expression = fts_query(query)
    except UsageError:
        return
    # closed on every path (an unclosed connection is a ResourceWarning on Python 3.13)
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
        connection.execute("INSERT INTO t VALUES ('the reign of terror')")
        connection.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


def test_too_long_a_query_is_refused(reference_project: Path) -> None:
    with pytest.raises(UsageError, match="characters long"):
        search(reference_project, "a " * 600)


def test_the_index_follows_the_records(reference_project: Path) -> None:
    first = search(reference_project, "Hyeon")
    assert first.index.rebuilt and first.index.reason == "no index yet"
    assert search(reference_project, "Hyeon").index.changed is False

    # the clean text changes (and so does the record's digest of it): re-indexed
    text_file = reference_project / "records" / f"{REFERENCE}.txt"
    text_file.write_text(
        text_file.read_text(encoding="utf-8").replace("reign of terror", "rule of fear", 1),
        encoding="utf-8",
    )
    results = search(reference_project, '"rule of fear"')
    assert results.index.updated == 1
    assert [hit.paragraph for hit in results.hits] == [6]

    # same size, time stamp set back, different bytes: the change time (which cannot be
    # set back) shows it, without --verify
    json_file = reference_project / "records" / f"{REFERENCE}.json"
    stat = json_file.stat()
    data = json_file.read_bytes()
    json_file.write_bytes(data.replace(b'"Hyeon In-ae"', b'"Hyeon Xn-ae"', 1))
    import os

    os.utime(json_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    seen = search(reference_project, "Xn")
    assert seen.index.updated == 1 and seen.total >= 1
    assert search(reference_project, "Xn", verify=True).index.updated == 0

    # a record removed is removed from the index; a damaged index is rebuilt
    shutil.copy(json_file, reference_project / "records" / "copy.json")
    assert search(reference_project, "Hyeon").index.added == 1
    (reference_project / "records" / "copy.json").unlink()
    assert search(reference_project, "Hyeon").index.removed == 1
    index_path(reference_project).write_bytes(b"not a database at all" * 100)
    rebuilt = search(reference_project, "Hyeon")
    assert rebuilt.index.rebuilt and "could not be read" in (rebuilt.index.reason or "")
    assert search(reference_project, "Hyeon", rebuild=True).index.reason == "--reindex"


def test_a_broken_record_is_reported_not_fatal(
    reference_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (reference_project / "records" / "broken.json").write_text("{ not json")
    result = _run(reference_project, monkeypatch, "search", "Hyeon")
    assert result.exit_code == 0
    assert "warning: records/broken.json: not valid UTF-8 JSON" in result.stderr
    assert REFERENCE in result.stdout


def test_list_filters_and_fixity(reference_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_site(10) as site:
        report = run_batch(
            [Source(site.url(n)) for n in range(4)], project_root=reference_project, jobs=2
        )
        assert report.ok
    result = _run(reference_project, monkeypatch, "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "captured", "title", "first", "author", "site", "fixity"]
    assert len(lines) == 6
    reference_line = next(line for line in lines if line.startswith(REFERENCE))
    assert "2026-11-26 (ingest)" in reference_line  # a transcript: no capture date known
    assert "Hyeon In-ae" in reference_line and "OpEdNews" in reference_line
    assert reference_line.endswith("size ok")

    def ids(*args: str) -> list[str]:
        out = _run(reference_project, monkeypatch, "list", "--format", "json", *args)
        assert out.exit_code == 0, out.output
        return [item["id"] for item in json.loads(out.stdout)]

    assert ids("--author", "in ae hyun") == [REFERENCE]
    assert ids("--author", "Hyeon") == [REFERENCE]
    assert ids("--site", "opednews") == [REFERENCE]
    assert len(ids("--site", "loopback gazette")) == 4
    assert ids("--author", "Okafor") == ["127-0-0-1-1001"]
    assert REFERENCE not in ids("--since", "2026-11-27")
    assert ids("--since", "2000-01-01")[0] == REFERENCE
    result = _run(reference_project, monkeypatch, "list", "--since", "yesterday")
    assert result.exit_code == 2 and "ISO 8601" in result.stderr

    # fixity: a WARC cut short, then one missing
    warc = next((reference_project / "archive").glob("127-0-0-1-1002-*.warc.gz"))
    warc.write_bytes(warc.read_bytes()[:-10])
    entries = json.loads(_run(reference_project, monkeypatch, "list", "--format", "json").stdout)
    status = {item["id"]: item["fixity"] for item in entries}
    assert status["127-0-0-1-1002"] == "size MISMATCH"
    warc.unlink()
    entries = json.loads(_run(reference_project, monkeypatch, "list", "--format", "json").stdout)
    status = {item["id"]: item["fixity"] for item in entries}
    assert status["127-0-0-1-1002"] == "MISSING"
    assert status[REFERENCE] == "size ok"


def test_list_names_its_index_and_works_without_records(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    (root / "records").mkdir(parents=True)
    (root / "archive").mkdir()
    entries, sync = load_entries(root)
    assert entries == [] and sync.records == 0
    assert (root / ".warcite" / ".gitignore").read_text().strip().endswith("*")


def test_hostile_record_files_are_reported_not_followed(
    reference_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os

    import warcite.collection.index

    outside = tmp_path / "outside.json"
    outside.write_text((reference_project / "records" / f"{REFERENCE}.json").read_text())
    (reference_project / "records" / "linked.json").symlink_to(outside)
    os.mkfifo(reference_project / "records" / "pipe.json")
    monkeypatch.setattr(warcite.collection.index, "MAX_RECORD_BYTES", 1000)
    (reference_project / "records" / "big.json").write_text("{" + " " * 2000 + "}")
    results = search(reference_project, "Hyeon")
    paths = {hit.path for hit in results.hits}
    assert paths == set()  # the reference record itself is larger than 1000 bytes now
    assert any("larger than 1000 bytes" in problem for problem in results.index.problems)
    assert results.index.records == 2  # big.json and the reference: no link, no FIFO
    monkeypatch.setattr(warcite.collection.index, "MAX_RECORD_BYTES", 64 * 1024 * 1024)
    assert {hit.path for hit in search(reference_project, "Hyeon", rebuild=True).hits} == {
        f"records/{REFERENCE}.json"
    }


def test_many_processes_build_read_and_rebuild_one_index_at_once(
    reference_project: Path,
) -> None:
    """Ten processes open a missing index together, some with --reindex (which deletes
    the database files): none may see a half-built index or lose the files under it."""
    import subprocess
    import sys

    code = (
        "import pathlib, sys\n"
        "from warcite.collection.index import load_entries\n"
        "entries, _ = load_entries(pathlib.Path(sys.argv[1]), rebuild=sys.argv[2] == '1')\n"
        "print(len(entries))\n"
    )
    for _ in range(4):
        shutil.rmtree(reference_project / ".warcite", ignore_errors=True)
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(reference_project), str(int(n % 4 == 3))],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(10)
        ]
        results = [(process.communicate(timeout=300), process.returncode) for process in processes]
        assert [(out.strip(), status) for (out, _), status in results] == [("1", 0)] * 10, [
            err for (_, err), _ in results
        ]


def test_an_index_sqlite_cannot_use_is_a_clear_error_and_capture_goes_on(
    reference_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warcite.collection.index
    from warcite.collection.archive import revisit_targets
    from warcite.core.errors import WarciteError

    def failing_sync(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(warcite.collection.index, "_sync", failing_sync)
    with pytest.raises(WarciteError, match=r"cannot be used \(disk I/O error\).*--reindex"):
        load_entries(reference_project)
    # a capture's dedupe lookup then stores payloads again rather than failing the capture
    lookup = revisit_targets(reference_project)
    assert lookup("https://www.opednews.com/", "sha256:" + "0" * 64) is None


def test_a_read_only_archive_is_listed_and_searched_from_an_index_in_memory(
    reference_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Write-once storage or a mounted copy: nothing can be written beside the records, so
    the index is built in memory for the command, which says so; nothing is written."""
    import errno

    import warcite.collection.index

    def read_only(folder: Path) -> object:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(warcite.collection.index, "_index_lock", read_only)
    before = sorted(p.relative_to(reference_project) for p in reference_project.rglob("*"))
    results = search(reference_project, "Hyeon")
    assert {hit.path for hit in results.hits} == {f"records/{REFERENCE}.json"}
    assert results.index.rebuilt
    assert "Read-only file system; kept in memory for this command" in (results.index.reason or "")
    listed = _run(reference_project, monkeypatch, "list")
    assert listed.exit_code == 0, listed.output
    assert REFERENCE in listed.stdout and "kept in memory" in listed.stderr
    assert not (reference_project / ".warcite" / "index.sqlite").exists()
    after = sorted(p.relative_to(reference_project) for p in reference_project.rglob("*"))
    assert [p for p in after if p not in before] == [Path(".warcite"), Path(".warcite/.gitignore")]


def test_an_index_folder_that_is_a_file_does_not_stop_search(reference_project: Path) -> None:
    (reference_project / ".warcite").write_text("not a folder")
    results = search(reference_project, "Hyeon")
    assert {hit.path for hit in results.hits} == {f"records/{REFERENCE}.json"}
    assert "cannot be written" in (results.index.reason or "")
    assert (reference_project / ".warcite").read_text() == "not a folder"

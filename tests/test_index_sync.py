"""Issue 18 (scale): the index is trusted only while nothing was written since its last
sync -- checked by one listing of records/ (a fingerprint of every file's size, times
and inode), not by reading every record -- and an edit is seen however it was made."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from warcite.collection import index as index_module
from warcite.collection.index import index_path, open_index
from warcite.collection.listing import list_records
from warcite.collection.search import search

REPO = Path(__file__).resolve().parents[1]
REFERENCE = "opednews-160829-249"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reference record in a project; files count as settled at once (the racy
    window is tested on its own), so the fingerprint is stored at the first sync."""
    monkeypatch.setattr(index_module, "RACY_SECONDS", 0.0, raising=False)
    root = tmp_path / "project"
    (root / "records").mkdir(parents=True)
    (root / "archive").mkdir()
    shutil.copy(REPO / "warcite.toml", root / "warcite.toml")
    for suffix in (".json", ".txt"):
        shutil.copy(REPO / "records" / f"{REFERENCE}{suffix}", root / "records")
    return root


def _rewrite_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes of the same length in place and set the modification time back."""
    assert len(old) == len(new)
    before = path.stat()
    data = path.read_bytes()
    assert old in data
    with path.open("r+b") as stream:  # the same inode, the same size
        stream.write(data.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def test_a_record_edited_in_place_with_its_time_set_back_is_seen(project: Path) -> None:
    entries, _ = list_records(project, author="Hyeon")
    assert [entry.id for entry in entries] == [REFERENCE]
    list_records(project)  # the fingerprint is stored and used
    _rewrite_in_place(project / "records" / f"{REFERENCE}.json", b'"Hyeon In-ae"', b'"Kwonx In-ae"')
    entries, sync = list_records(project, author="Kwonx")
    assert sync.updated == 1
    assert [entry.id for entry in entries] == [REFERENCE]


def test_a_text_edited_in_place_with_its_time_set_back_is_seen(project: Path) -> None:
    before = search(project, '"reign of terror"').total
    assert not search(project, '"reign of terror"').index.changed
    _rewrite_in_place(
        project / "records" / f"{REFERENCE}.txt", b"reign of terror", b"reign of horror"
    )
    results = search(project, '"reign of horror"')
    assert results.index.updated == 1 and results.total == 1
    assert [hit.field for hit in results.hits] == ["text"]
    assert search(project, '"reign of terror"').total == before - 1


def test_a_text_kept_outside_records_edited_in_place_is_seen(project: Path) -> None:
    (project / "texts").mkdir()
    (project / "records" / f"{REFERENCE}.txt").rename(project / "texts" / f"{REFERENCE}.txt")
    json_file = project / "records" / f"{REFERENCE}.json"
    json_file.write_bytes(
        json_file.read_bytes().replace(
            f'"records/{REFERENCE}.txt"'.encode(), f'"texts/{REFERENCE}.txt"'.encode()
        )
    )
    assert search(project, '"reign of horror"').total == 0
    assert not search(project, '"reign of terror"').index.changed
    _rewrite_in_place(
        project / "texts" / f"{REFERENCE}.txt", b"reign of terror", b"reign of horror"
    )
    assert search(project, '"reign of horror"').total == 1


def test_an_unchanged_collection_reads_no_record(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A touched record (same bytes, new time) is compared by digest once; then its new
    stat is kept, and a sync of an unchanged collection reads no record file at all."""
    list_records(project)
    json_file = project / "records" / f"{REFERENCE}.json"
    os.utime(json_file, ns=(json_file.stat().st_atime_ns, json_file.stat().st_mtime_ns - 10**9))
    digests: list[str] = []
    original = index_module._sha256
    monkeypatch.setattr(
        index_module, "_sha256", lambda path: digests.append(str(path)) or original(path)
    )
    _, sync = list_records(project)
    assert not sync.changed and digests  # compared by digest: the same bytes
    digests.clear()
    for _ in range(2):
        _, sync = list_records(project)
        assert not sync.changed and sync.records == 1
    assert digests == []
    # and through the stored fingerprint, a record added or removed is still seen
    shutil.copy(json_file, project / "records" / "copy.json")
    entries, sync = list_records(project)
    assert sync.added == 1 and len(entries) == 2
    (project / "records" / "copy.json").unlink()
    entries, sync = list_records(project)
    assert sync.removed == 1 and len(entries) == 1


def test_a_file_written_within_the_racy_window_is_not_trusted_by_its_stat(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written just now could be written again in the same clock tick with the
    same stat: neither the fingerprint nor its stat are stored, so the next sync
    compares its digest."""
    monkeypatch.setattr(index_module, "RACY_SECONDS", 3600.0)
    list_records(project)
    with sqlite3.connect(index_path(project)) as connection:
        fingerprint = connection.execute(
            "SELECT value FROM meta WHERE key = 'fingerprint'"
        ).fetchone()[0]
        stats = connection.execute("SELECT json_stat, text_stat FROM records").fetchone()
    connection.close()
    assert fingerprint == "" and stats == (index_module.UNSETTLED, index_module.UNSETTLED)


def test_a_format_6_index_is_migrated_not_rebuilt(project: Path) -> None:
    list_records(project)
    with sqlite3.connect(index_path(project)) as connection:
        connection.execute("UPDATE meta SET value = '6' WHERE key = 'format'")
        connection.execute("UPDATE records SET json_stat = '1:2', text_stat = '3:4'")
    connection.close()
    with open_index(project) as (connection, sync):
        assert not sync.rebuilt and not sync.changed
        assert connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == (
            index_module.INDEX_FORMAT,
        )
        json_stat, text_stat = connection.execute(
            "SELECT json_stat, text_stat FROM records"
        ).fetchone()
    assert json_stat.count(":") == 3 and text_stat.count(":") == 3

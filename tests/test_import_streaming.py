"""`warcite import` reads the file once, in pieces: memory does not grow with the file, a
file that is not a regular file is refused without waiting, and a file that changes while
it is imported is refused rather than archived half old, half new."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

import warcite.capture.imports as imports
from warcite.capture.imports import import_file
from warcite.core.errors import CaptureError
from warcite.core.warc.pages import read_page
from warcite.core.warc.records import iter_records

PAGE_URL = "https://news.example/2024/05/a-long-page.html"
MIB = 1024 * 1024


def _big_html(path: Path, size: int) -> None:
    paragraph = (
        b"<p>" + b"The harbour plan was discussed at length by the council. " * 16 + b"</p>\n"
    )
    head = b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Long</title></head><body>\n"
    with path.open("wb") as out:
        out.write(head)
        written = len(head)
        while written < size:
            out.write(paragraph)
            written += len(paragraph)
        out.write(b"</body></html>\n")


def _peak_traced(function: object, *args: object, **kwargs: object) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = function(*args, **kwargs)  # type: ignore[operator]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_large_html_file_is_archived_without_holding_it(tmp_path: Path) -> None:
    source = tmp_path / "long.html"
    _big_html(source, 48 * MIB)
    result, peak = _peak_traced(import_file, source, url=PAGE_URL, archive_dir=tmp_path / "a")
    assert peak < 12 * MIB, f"peak of Python allocations {peak / MIB:.1f} MiB for a 48 MiB file"
    records = list(iter_records(result.path, max_block_bytes=None))  # type: ignore[attr-defined]
    resource = next(r for r in records if r.info.record_type == "resource")
    assert resource.block == source.read_bytes()
    digest = hashlib.sha256(resource.block).hexdigest()
    assert resource.header("WARC-Block-Digest") == f"sha256:{digest}"
    assert resource.header("WARC-Payload-Digest") == f"sha256:{digest}"
    metadata = next(r for r in records if r.info.record_type == "metadata")
    assert f"source-file-sha256: {digest}".encode() in metadata.block
    assert f"source-file-size: {source.stat().st_size}".encode() in metadata.block


def test_a_text_file_is_declared_utf8_only_when_all_of_it_is(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(("Wörter und Sätze. " * 200_000).encode())  # over 3 MiB: many pieces
    bad = tmp_path / "bad.txt"
    bad.write_bytes(good.read_bytes() + b"\xff the end")  # not UTF-8, past the first piece
    first = import_file(good, url=PAGE_URL, archive_dir=tmp_path / "a")
    second = import_file(bad, url=PAGE_URL, archive_dir=tmp_path / "a")
    assert first.content_type == "text/plain; charset=utf-8"
    assert second.content_type == "text/plain"


def _warc_of_big_records(path: Path, count: int, size: int) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    for number in range(count):
        body = (f"<html><body><p>record {number} </p>".encode() + b"x" * size)[:size]
        record = writer.create_warc_record(
            f"https://news.example/part-{number}.html",
            "resource",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type="text/html",
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())


def test_a_warc_of_large_records_is_copied_one_block_at_a_time(tmp_path: Path) -> None:
    block = 4 * MIB
    peaks = {}
    for count in (2, 8):
        source = tmp_path / f"big-{count}.warc.gz"
        _warc_of_big_records(source, count, block)
        result, peaks[count] = _peak_traced(
            import_file,
            source,
            url="https://news.example/part-1.html",
            archive_dir=tmp_path / f"a-{count}",
        )
        copied = [r for r in iter_records(result.path) if r.info.record_type == "resource"]  # type: ignore[attr-defined]
        original = list(iter_records(source))
        assert [r.block for r in copied] == [r.block for r in original]
        assert [r.headers for r in copied] == [r.headers for r in original]
        assert read_page(result.path).record_id == original[1].info.record_id  # type: ignore[attr-defined]
    # memory follows the largest block, not the file: four times the records, the same
    # peak (holding every block, as imports once did, would add 24 MiB)
    assert peaks[8] < peaks[2] + 2 * MIB, {n: f"{p / MIB:.1f} MiB" for n, p in peaks.items()}
    assert peaks[8] < 5 * block


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_what_is_not_a_regular_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        source = tmp_path / "pipe.html"
        os.mkfifo(source)  # nobody writes: reading it would wait for ever
        expected = "FIFO"
    elif kind == "device":
        source = Path("/dev/zero")  # endless: reading it whole would never end
        expected = "device"
    else:
        source = tmp_path / "folder.html"
        source.mkdir()
        expected = "folder"
    with pytest.raises(CaptureError, match=expected):
        import_file(source, url=PAGE_URL, archive_dir=tmp_path / "archive")
    assert not (tmp_path / "archive").exists()


def test_a_file_that_grows_while_it_is_copied_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "page.html"
    _big_html(source, 3 * MIB)
    append = imports.Spool.append

    def append_and_grow(self: imports.Spool, data: bytes) -> int:
        with source.open("ab") as more:
            more.write(b"<p>written by someone else meanwhile</p>")
        return append(self, data)

    monkeypatch.setattr(imports.Spool, "append", append_and_grow)
    with pytest.raises(CaptureError, match="changed while it was read; nothing was archived"):
        import_file(source, url=PAGE_URL, archive_dir=tmp_path / "archive")
    assert not (tmp_path / "archive").exists()


def test_a_warc_that_changes_while_it_is_imported_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "small.warc.gz"
    _warc_of_big_records(source, 2, 1000)
    verified = imports._verified_records

    def verify_then_change(path: Path, spool: imports.Spool) -> object:
        found = verified(path, spool)
        with path.open("ab") as more:
            more.write(b"\n")
        return found

    monkeypatch.setattr(imports, "_verified_records", verify_then_change)
    with pytest.raises(CaptureError, match="changed while it was imported"):
        import_file(source, url=None, archive_dir=tmp_path / "archive")
    assert not (tmp_path / "archive").exists()

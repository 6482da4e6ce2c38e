"""`warcite import`: local files (transcripts, saved HTML, WARCs) into new WARC files."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from conftest import PROJECT_ROOT, shared_path
from warcite.capture import import_file
from warcite.cli import cli
from warcite.core.errors import CaptureError, UsageError
from warcite.core.models import CaptureResult
from warcite.core.warc.pages import read_page
from warcite.core.warc.records import iter_record_infos, verify_record

REFERENCE_SHA256 = "21ab3fb478b92be43b62e99821af8d569d71d78df7f7e8a39b15c4304f6f2f2d"
REFERENCE_URL = (
    "https://www.opednews.com/articles/"
    "Why-North-Korean-Elites-De-by-In-ae-Hyun-Asylum_Defection_Diplomats_Elitism-160829-249.html"
)
FIXED_TIME = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return FIXED_TIME


def sequential_ids() -> Callable[[], str]:
    counter = iter(range(1, 1000))
    return lambda: f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>"


def rid(number: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"


def warcio_check_passes(path: Path) -> bool:
    completed = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.returncode == 0 and "failed" not in completed.stdout


def warc_records(path: Path) -> list[tuple[dict[str, str], bytes]]:
    """(WARC headers, raw block) of every record, read with warcio and no HTTP parsing."""
    result = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            headers = dict(record.rec_headers.headers)
            result.append((headers, record.raw_stream.read()))
    return result


def fields_of(block: bytes) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, _, value in (line.partition(": ") for line in block.decode().split("\r\n"))
        if name
    ]


# --------------------------------------------------------------------------- reference WARC


def reference_warc() -> Path:
    found = sorted((PROJECT_ROOT / "archive").glob("opednews-160829-249-*.warc.gz"))
    assert len(found) == 1, f"expected one bundled reference WARC in archive/, found {found}"
    return found[0]


def test_bundled_reference_payload_hashes_to_the_transcript() -> None:
    page = read_page(reference_warc())
    assert hashlib.sha256(page.body).hexdigest() == REFERENCE_SHA256
    assert page.payload_digest == f"sha256:{REFERENCE_SHA256}"
    assert page.url == REFERENCE_URL
    assert page.target_uri == f"urn:transcript:{REFERENCE_URL}"
    assert page.method == "import-transcript"
    assert page.content_type == "text/plain; charset=utf-8"
    assert page.record_type == "resource"
    assert page.http_status is None
    assert page.truncated is None
    fields = dict(page.source_metadata)
    assert fields["original-uri"] == REFERENCE_URL
    assert fields["source-file-sha256"] == REFERENCE_SHA256
    assert "original HTML was not available" in fields["note"]
    assert "observed-at" not in fields  # unknown, so not invented


def test_bundled_reference_equals_the_shared_seed_byte_for_byte() -> None:
    seed = shared_path("seed", "opednews-160829-249.txt").read_bytes()
    assert read_page(reference_warc()).body == seed


def test_bundled_reference_verifies_at_its_offset() -> None:
    path = reference_warc()
    page = read_page(path)
    assert (
        verify_record(
            path, record_id=page.record_id, offset=page.offset, payload_digest=page.payload_digest
        )
        == []
    )
    types = [info.record_type for info in iter_record_infos(path)]
    assert types == ["warcinfo", "resource", "metadata"]


def test_bundled_reference_passes_warcio_check() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(reference_warc())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.count("digest pass") == 3


# --------------------------------------------------------------------------- imports

TRANSCRIPT = "Title of a page\n\nBy\u00a0Someone\n\nA paragraph of the article.\n".encode()
PAGE_URL = "https://news.example.org/2016/08/29/a-story.html"


def import_here(source: Path, archive_dir: Path, **options: Any) -> CaptureResult:
    settings: dict[str, Any] = {
        "url": PAGE_URL,
        "archive_dir": archive_dir,
        "clock": fixed_clock,
        "new_record_id": sequential_ids(),
        "hostname": "testhost",
    }
    settings.update(options)
    return import_file(source, **settings)


def test_transcript_import_writes_exact_records(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    archive_dir = tmp_path / "archive"
    result = import_here(source, archive_dir, note="line one\nline two", slug="story")

    assert result.path == archive_dir / "story-20261126120000.warc.gz"
    assert (result.method, result.status, result.main_record_id) == (
        "import-transcript",
        None,
        rid(2),
    )
    records = warc_records(result.path)
    assert [headers["WARC-Type"] for headers, _ in records] == ["warcinfo", "resource", "metadata"]
    (info_h, info_b), (resource_h, resource_b), (meta_h, meta_b) = records
    assert resource_b == TRANSCRIPT
    assert list(resource_h.items()) == [
        ("WARC-Type", "resource"),
        ("WARC-Record-ID", rid(2)),
        ("WARC-Date", "2026-11-26T12:00:00Z"),
        ("WARC-Target-URI", f"urn:transcript:{PAGE_URL}"),
        ("WARC-Warcinfo-ID", rid(1)),
        ("WARC-Block-Digest", "sha256:" + hashlib.sha256(TRANSCRIPT).hexdigest()),
        ("WARC-Payload-Digest", "sha256:" + hashlib.sha256(TRANSCRIPT).hexdigest()),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(TRANSCRIPT))),
    ]
    assert meta_h["WARC-Refers-To"] == rid(2)
    assert "WARC-Payload-Digest" not in meta_h and "WARC-Payload-Digest" not in info_h
    assert meta_h["WARC-Block-Digest"] == "sha256:" + hashlib.sha256(meta_b).hexdigest()
    meta = fields_of(meta_b)
    assert meta == [
        ("method", "import-transcript"),
        (
            "source-description",
            f"Import, not a live capture: a plain-text transcript of {PAGE_URL} supplied by the "
            "user; it is the page's text, not the bytes the URL returned.",
        ),
        ("import", "import, not a live capture"),
        ("original-uri", PAGE_URL),
        ("source-file-name", "story.txt"),
        ("source-file-size", str(len(TRANSCRIPT))),
        ("source-file-sha256", hashlib.sha256(TRANSCRIPT).hexdigest()),
        ("media-type", "text/plain; charset=utf-8"),
        ("ingested-at", "2026-11-26T12:00:00Z"),
        ("note", "line one line two"),
    ]
    assert ("hostname", "testhost") in fields_of(info_b)

    page = read_page(result.path)
    assert (page.body, page.url, page.method) == (TRANSCRIPT, PAGE_URL, "import-transcript")
    assert warcio_check_passes(result.path)


def test_html_import_has_a_synthetic_target_and_no_invented_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9</p></body></html>'
    source = tmp_path / "saved page.HTML"
    source.write_bytes(html.encode("windows-1252"))
    result = import_here(source, tmp_path / "archive", observed_at="2016-08-30T09:00:00+09:00")
    assert result.method == "import-html"
    assert result.path.name == "example-a-story-20261126120000.warc.gz"
    page = read_page(result.path)
    assert page.target_uri == f"urn:import:{PAGE_URL}"
    assert page.url == PAGE_URL
    assert page.content_type == "text/html"
    assert page.body == html.encode("windows-1252")
    metadata = dict(page.source_metadata)
    assert metadata["observed-at"] == "2016-08-30T00:00:00Z"
    assert metadata["method"] == "import-html"
    assert warcio_check_passes(result.path)


def test_media_type_can_be_given(tmp_path: Path) -> None:
    source = tmp_path / "page.bin"
    source.write_bytes(b"<p>hello</p>")
    result = import_here(source, tmp_path / "a", media_type="text/html; charset=utf-8")
    assert read_page(result.path).content_type == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"url": None}, UsageError, "needs --url"),
        ({"url": "ftp://example.org/x"}, UsageError, "not an http"),
        ({"observed_at": "yesterday"}, UsageError, "not an ISO 8601"),
        ({"observed_at": "2016-08-30T09:00:00"}, UsageError, "no time zone"),
        ({"slug": "Not A Slug"}, UsageError, "not a valid id"),
    ],
)
def test_bad_import_options(
    tmp_path: Path, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    with pytest.raises(error, match=message):
        import_here(source, tmp_path / "archive", **options)
    assert not (tmp_path / "archive").exists()


def test_unimportable_files_leave_nothing(tmp_path: Path) -> None:
    archive_dir = tmp_path / "archive"
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    with pytest.raises(CaptureError, match="not HTML, text or a WARC"):
        import_here(binary, archive_dir)
    with pytest.raises(CaptureError, match="cannot read"):
        import_here(tmp_path / "missing.txt", archive_dir)
    assert not archive_dir.exists()


def test_import_never_overwrites(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    archive_dir = tmp_path / "archive"
    first = import_here(source, archive_dir)
    before = first.path.read_bytes()
    second = import_here(source, archive_dir)  # same second: a serial name, never a failure
    assert first.path.read_bytes() == before
    assert second.path.name == first.path.name.replace(".warc.gz", "-2.warc.gz")
    assert {p.name for p in archive_dir.iterdir()} == {first.path.name, second.path.name}


def test_warc_import_copies_verified_records(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    original = import_here(source, tmp_path / "first")
    copy = import_file(
        original.path,
        url=None,
        archive_dir=tmp_path / "second",
        slug="copied",
        clock=lambda: FIXED_TIME.replace(hour=13),
        new_record_id=lambda: f"<urn:uuid:{uuid.uuid4()}>",
    )
    assert copy.method == "import-warc"
    assert copy.main_record_id == original.main_record_id
    source_records = warc_records(original.path)
    copied = warc_records(copy.path)
    assert [h["WARC-Type"] for h, _ in copied] == [
        "warcinfo",
        "warcinfo",
        "resource",
        "metadata",
        "metadata",
    ]
    assert copied[1:4] == source_records  # headers and blocks unchanged
    meta = dict(fields_of(copied[-1][1]))
    assert meta["method"] == "import-warc"
    assert meta["source-file-sha256"] == hashlib.sha256(original.path.read_bytes()).hexdigest()
    assert meta["source-warc-records"] == "1 warcinfo, 1 resource, 1 metadata"
    assert "observed-at" not in meta  # the source was an import: observation unknown
    page = read_page(copy.path)
    assert (page.body, page.url, page.method) == (TRANSCRIPT, PAGE_URL, "import-warc")
    assert warcio_check_passes(copy.path)


def test_damaged_warc_is_not_imported(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    original = import_here(source, tmp_path / "first")
    raw = gzip.decompress(original.path.read_bytes()).replace(b"A paragraph", b"A Paragraph")
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(raw)
    with pytest.raises(CaptureError, match=r"fails verification.*WARC-Block-Digest"):
        import_file(damaged, url=None, archive_dir=tmp_path / "second")
    assert not (tmp_path / "second").exists()


# --------------------------------------------------------------------------- CLI


def test_cli_import_prints_the_path_and_json(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        [
            "import",
            str(source),
            "--url",
            PAGE_URL,
            "--archive-dir",
            str(tmp_path / "a"),
            "--id",
            "story",
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    summary = json.loads(outcome.stdout)
    assert summary["method"] == "import-transcript"
    assert summary["url"] == PAGE_URL
    assert Path(summary["file"]).name.startswith("story-")
    assert [r["type"] for r in summary["records"]] == ["warcinfo", "resource", "metadata"]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--url", PAGE_URL], 0),
        ([], 2),  # --url missing for a transcript
        (["--url", PAGE_URL, "--observed-at", "soon"], 2),
        (["--url", PAGE_URL, "--unknown-option"], 2),
    ],
)
def test_cli_import_exit_codes(tmp_path: Path, arguments: list[str], code: int) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    runner = CliRunner()
    outcome = runner.invoke(
        cli, ["import", str(source), "--archive-dir", str(tmp_path / "a"), *arguments]
    )
    assert outcome.exit_code == code, outcome.output
    assert "Traceback" not in outcome.output


def test_cli_import_exit_code_3_for_a_binary_file(tmp_path: Path) -> None:
    source = tmp_path / "image.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    outcome = CliRunner().invoke(
        cli, ["import", str(source), "--url", PAGE_URL, "--archive-dir", str(tmp_path / "a")]
    )
    assert outcome.exit_code == 3
    assert outcome.stderr.startswith("Error: ")
    assert not (tmp_path / "a").exists()


def test_warc_import_follows_redirects_to_the_page(tmp_path: Path) -> None:
    from fixture_server import FixtureServer, http_response
    from warcite.capture import capture

    with FixtureServer() as server:
        server.route("/old", http_response(301, "Moved", [("Location", "/new")]))
        server.route(
            "/new", http_response(200, "OK", [("Content-Type", "text/html")], b"<p>page</p>")
        )
        captured = capture(
            server.url("/old"),
            archive_dir=tmp_path / "live",
            requisites=False,
            clock=fixed_clock,
            hostname="testhost",
        )
        old_url, new_url = server.url("/old"), server.url("/new")
    imported = import_file(
        captured.path, url=old_url, archive_dir=tmp_path / "copy", clock=fixed_clock
    )
    assert imported.main_record_id == captured.main_record_id
    assert imported.final_uri == new_url
    assert imported.status == 200
    page = read_page(imported.path)
    assert page.body == b"<p>page</p>"
    metadata = dict(page.source_metadata)
    assert metadata["source-method"] == "http-capture"
    assert metadata["observed-at"] == "2026-11-26T12:00:00Z"  # the response's WARC-Date
    with pytest.raises(CaptureError, match=r"no page record for http://elsewhere\.example/"):
        import_file(captured.path, url="http://elsewhere.example/", archive_dir=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_cli_import_of_a_warc_reports_what_it_holds(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(TRANSCRIPT)
    original = import_here(source, tmp_path / "first")
    outcome = CliRunner().invoke(
        cli, ["import", str(original.path), "--archive-dir", str(tmp_path / "second")]
    )
    assert outcome.exit_code == 0, outcome.output
    assert Path(outcome.stdout.strip()).parent == tmp_path / "second"
    assert outcome.stderr == (
        "verified and copied 1 warcinfo, 1 resource, 1 metadata; "
        f"page: {PAGE_URL} ({original.main_record_id})\n"
    )

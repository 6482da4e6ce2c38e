"""``warcite archive`` and ``warcite record``: the main job end to end, in tmp_path projects.

Extraction is replaced by a fixed extraction (test_record's ``fake_extraction``) so these
tests check the record stage, not the extractor's rules; the reference record test uses
the real extractor.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import test_record
from quiet_server import QuietHTTPServer
from test_record import (
    TRANSCRIPT,
    URL,
    import_transcript,
    new_project,
    snapshot,
)
from warcite.cli import cli

fake_extraction = test_record.fake_extraction  # the fixture, used by name below

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE = PROJECT_ROOT / "records" / "opednews-160829-249.json"


def _run(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.chdir(project)
    return CliRunner().invoke(cli, list(args))


def test_archive_imports_a_transcript_and_cites_it(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    source = tmp_path / "page.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    result = _run(project, monkeypatch, "archive", str(source), "--url", URL)
    assert result.exit_code == 0, result.output
    path_line, citation = result.stdout.splitlines()
    assert path_line == "records/example-news-210315-77.json"
    # sentence case keeps "Rivers": the text never writes it in lowercase mid-sentence (issue 10)
    assert citation.startswith("Lima, A. (2021, March 15). Why rivers flood in spring")
    assert result.stderr.startswith("created records/example-news-210315-77.json")
    record = json.loads((project / path_line).read_text(encoding="utf-8"))
    assert record["capture"]["method"] == "import-transcript"
    assert (project / "records" / "example-news-210315-77.txt").is_file()
    (warc,) = (project / "archive").glob("*.warc.gz")
    assert record["capture"]["warc"]["path"] == f"archive/{warc.name}"

    # the WARC now in archive/ is used as it is: the rebuild is identical
    before = snapshot(project)
    again = _run(project, monkeypatch, "archive", f"archive/{warc.name}")
    assert again.exit_code == 0, again.output
    assert again.stderr.startswith("unchanged: records/example-news-210315-77.json")
    assert again.stdout == result.stdout
    assert snapshot(project) == before
    assert len(list((project / "archive").iterdir())) == 1


def test_archive_of_a_file_needs_its_url(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    source = tmp_path / "page.html"
    source.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    result = _run(project, monkeypatch, "archive", str(source))
    assert result.exit_code == 2
    assert "--url" in result.stderr
    assert list((project / "archive").iterdir()) == []
    assert list((project / "records").iterdir()) == []


def test_archive_of_nothing_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    result = _run(project, monkeypatch, "archive", "no-such-file.txt")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no-such-file.txt is neither an http(s) URL nor an existing file\n"
    )


class _Page(http.server.BaseHTTPRequestHandler):
    body = (
        b"<!doctype html><html lang=en><head><title>Rivers</title></head><body><article>"
        b"<h1>Why Rivers Flood in Spring</h1><p>Rivers rise every spring.</p></article></body>"
        b"</html>"
    )

    def do_GET(self) -> None:
        if self.path != "/opinion/rivers-210315-77.html":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def local_site() -> Iterator[str]:
    server = QuietHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_archive_captures_a_url(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch, local_site: str
) -> None:
    project = new_project(tmp_path)
    url = f"{local_site}/opinion/rivers-210315-77.html"
    result = _run(project, monkeypatch, "archive", url, "--id", "rivers")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "records/rivers.json"
    record = json.loads((project / "records" / "rivers.json").read_text(encoding="utf-8"))
    capture = record["capture"]
    assert capture["method"] == "http-capture"
    assert capture["http_status"] == 200
    assert capture["observed_at"] == capture["ingested_at"]
    assert capture["target_uri"] == url
    assert record["events"][0]["type"] == "capture"
    assert "warcite" in capture["user_agent"]  # from the WARC's warcinfo record
    assert capture["tool"]["name"] == "warcite"


def test_record_command_and_its_refusals(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    warc = import_transcript(project)
    relative = f"archive/{warc.name}"
    first = _run(project, monkeypatch, "record", relative, "--operator", "Jo")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == "records/example-news-210315-77.json"
    second = _run(project, monkeypatch, "record", relative)
    assert second.exit_code == 0, second.output
    assert second.stderr.startswith("unchanged")

    other = import_transcript(project, TRANSCRIPT.replace("worse", "better"), slug="other")
    before = snapshot(project)
    taken = _run(
        project, monkeypatch, "record", f"archive/{other.name}", "--id", "example-news-210315-77"
    )
    assert taken.exit_code == 5
    assert "exists already for another capture" in taken.stderr
    assert "Traceback" not in taken.output
    assert snapshot(project) == before
    bad_id = _run(project, monkeypatch, "record", f"archive/{other.name}", "--id", "Bad Id")
    assert bad_id.exit_code == 2
    missing = _run(
        project,
        monkeypatch,
        "record",
        relative,
        "--record-id",
        "urn:uuid:00000000-0000-4000-8000-00000000beef",
    )
    assert missing.exit_code == 4
    assert "has no record" in missing.stderr
    assert snapshot(project) == before


@pytest.mark.skipif(not REFERENCE.exists(), reason="the reference record is not committed yet")
def test_archive_rebuilds_the_reference_record_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The committed reference record, rebuilt from the bundled WARC by the real extractor."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    project = new_project(tmp_path)
    warc = reference["capture"]["warc"]["path"]
    shutil.copy2(PROJECT_ROOT / warc, project / warc)
    for name in (
        "opednews-160829-249.json",
        "opednews-160829-249.txt",
        "opednews-160829-249.sha512",
    ):
        shutil.copy2(PROJECT_ROOT / "records" / name, project / "records" / name)
    before = snapshot(project)
    result = _run(project, monkeypatch, "archive", warc)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("unchanged: records/opednews-160829-249.json")
    assert result.stdout.splitlines()[0] == "records/opednews-160829-249.json"
    assert result.stdout.splitlines()[1].startswith(
        "Hyeon, I. (2016, August 29). Why North Korean elites defect from their country?"
    )
    assert snapshot(project) == before


def test_archive_refuses_a_taken_id_before_capturing(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    source = tmp_path / "page.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    first = _run(project, monkeypatch, "archive", str(source), "--url", URL, "--id", "rivers")
    assert first.exit_code == 0, first.output
    before = snapshot(project)
    again = _run(project, monkeypatch, "archive", str(source), "--url", URL, "--id", "rivers")
    assert again.exit_code == 5
    assert again.stderr == (
        "Error: a record with id 'rivers' exists already (rivers.json); choose another --id "
        "or use --replace (nothing was captured)\n"
    )
    assert snapshot(project) == before

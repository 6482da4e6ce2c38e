"""``warcite extract``: from archived bytes to clean text and metadata, through the CLI.

Covers the issue's "done when": the bundled archive gives exactly the reference facts and
paragraphs, and a page captured from a local server is extracted the same way.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixture_server import FixtureServer, chunked, http_response
from warcite.capture import capture
from warcite.cli import cli

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"


def reference_warc() -> Path:
    (path,) = sorted((PROJECT_ROOT / "archive").glob("opednews-160829-249-*.warc.gz"))
    return path


def run_extract(*args: str) -> Any:
    return CliRunner().invoke(cli, ["extract", *args])


def test_reference_archive_gives_the_reference_facts() -> None:
    result = run_extract(str(reference_warc()))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"]["value"] == "Why North Korean Elites Defect from Their Country?"
    (author,) = data["authors"]
    assert (author["family"], author["given"], author["name_order"]) == (
        "Hyeon",
        "In-ae",
        "family-first",
    )
    assert "In Ae Hyun" in author["forms"]
    (affiliation,) = author["affiliations"]
    assert affiliation["name"] == "Korea Institute for National Unification"
    assert affiliation["alternate_name"] == "KINU"
    assert affiliation["role"] == "Visiting Research Fellow"
    assert data["published"]["value"] == "2016-08-29"
    assert data["published"]["raw"] == "H3'ed 8/29/16"
    assert any(
        c["source"] == "url" and c["raw"] == "160829" for c in data["published"]["candidates"]
    )
    assert data["publisher"]["value"] == "OpEdNews"
    assert data["language"]["value"] == "en"
    paragraphs = data["paragraphs"]
    assert len(paragraphs) == 10
    assert {p["kind"] for p in paragraphs} == {"paragraph"}
    assert paragraphs[0]["text"].startswith("The number of North Korean defectors has shown")
    assert paragraphs[-1]["text"].endswith("consistent sanctions in place against North Korea.")
    assert data["text"] == "\n\n".join(p["text"] for p in paragraphs)


def test_text_format_prints_only_the_clean_text() -> None:
    as_json = json.loads(run_extract(str(reference_warc())).stdout)
    result = run_extract(str(reference_warc()), "--format", "text")
    assert result.exit_code == 0
    assert result.stdout == as_json["text"] + "\n"


@pytest.mark.parametrize("framing", ["length", "chunked+gzip"])
def test_page_captured_from_a_local_server(tmp_path: Path, framing: str) -> None:
    page = (TEST_DATA / "html_news_article.html").read_bytes()
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if framing == "length":
        response = http_response(200, "OK", headers, page)
    else:
        headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
        response = http_response(200, "OK", headers, chunked(gzip.compress(page), 512))
    with FixtureServer() as server:
        server.route("/news/otters", response)
        result = capture(
            server.url("/news/otters"),
            archive_dir=tmp_path,
            requisites=False,
            timeout=5.0,
        )
    cli_result = run_extract(str(result.path))
    assert cli_result.exit_code == 0, cli_result.output
    data = json.loads(cli_result.stdout)
    assert data["title"]["value"] == "River Otters Return to the Valley"
    (author,) = data["authors"]
    assert (author["given"], author["family"]) == ("Jane Q.", "Reporter")
    assert "byline" in author["sources"]
    assert data["published"]["value"] == "2024-03-05"
    assert data["language"]["value"] == "en"
    text = data["text"]
    assert "river otters have been seen again" in text
    for boilerplate in ("cookies", "Share on Facebook", "Advertisement", "newsletter", "Donate"):
        assert boilerplate not in text
    kinds = {p["kind"] for p in data["paragraphs"]}
    assert {"paragraph", "heading", "list-item", "quote", "preformatted"} <= kinds


def test_record_id_chooses_another_record_and_unknown_ids_fail() -> None:
    as_json = json.loads(run_extract(str(reference_warc())).stdout)
    assert as_json["paragraphs"]
    result = run_extract(str(reference_warc()), "--record-id", "<urn:uuid:not-there>")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: ")
    assert "urn:uuid:not-there" in result.stderr


def test_binary_page_is_an_extraction_error(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with FixtureServer() as server:
        server.route("/logo", http_response(200, "OK", [("Content-Type", "image/png")], png))
        result = capture(server.url("/logo"), archive_dir=tmp_path, requisites=False, timeout=5.0)
    cli_result = run_extract(str(result.path))
    assert cli_result.exit_code == 4
    assert "image/png" in cli_result.stderr
    assert "Traceback" not in cli_result.output


def test_missing_file_is_a_usage_or_extraction_error(tmp_path: Path) -> None:
    result = run_extract(str(tmp_path / "nothing.warc.gz"))
    assert result.exit_code in (2, 4)
    assert "nothing.warc.gz" in result.stderr


def test_xhtml_keeps_its_media_type() -> None:
    from warcite.extract import extract

    page = (TEST_DATA / "html_news_article.html").read_bytes()
    result = extract(page, headers=[("Content-Type", "application/xhtml+xml; charset=utf-8")])
    assert result.media_type == "application/xhtml+xml"
    assert result.paragraphs

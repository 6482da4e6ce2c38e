"""URLs that are IRIs (``é``, a space) in what users give and in other tools' WARCs: a
record's URLs are URIs (RFC 3987 section 3.1 mapping), and archiving never fails on them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from collection_site import new_project, run_cli
from conftest import PROJECT_ROOT
from warcite.record.common import as_uri

PARAGRAPHS = "".join(
    f"<p>Absatz {n}: Das Café am Ufer öffnet nach einer langen Pause wieder, sagen die "
    "Betreiber, und die Nachbarn im Viertel freuen sich darüber sehr.</p>"
    for n in range(6)
)
PAGE = (
    "<html lang='de'><head><meta charset='utf-8'><title>Ein Café in Berlin</title>"
    "<meta name='author' content='Jana Roth'></head><body><article><h1>Ein Café in Berlin</h1>"
    f"{PARAGRAPHS}</article></body></html>"
).encode()


def test_iris_become_uris_and_uris_stay_as_they_are() -> None:
    assert as_uri("https://beispiel.de/kultur/café am ufer?q=ä") == (
        "https://beispiel.de/kultur/caf%C3%A9%20am%20ufer?q=%C3%A4"
    )
    assert as_uri("https://user:secret@example.org/a") == "https://example.org/a"
    assert (
        as_uri("urn:transcript:https://example.org/ü")
        == "urn:transcript:https://example.org/%C3%BC"
    )
    kept = "https://example.org/a%20b/c;d=e?f=g&h=%E2%82%AC#frag"
    assert as_uri(kept) == kept


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E).filter(
            lambda c: c not in '"<>\\^`{|}'
        )
    )
)
def test_a_uri_is_never_changed(path: str) -> None:
    uri = f"https://example.org/{path}"
    assert as_uri(uri) == uri


def _foreign_warc(path: Path, target: str) -> None:
    """A WARC as warcio-based tools write it: the IRI raw in WARC-Target-URI."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            target, "response", payload=io.BytesIO(PAGE), length=len(PAGE), http_headers=headers
        )
        writer.write_record(record)


def _only_record(project: Path) -> dict[str, Any]:
    (record_file,) = (project / "records").glob("*.json")
    return json.loads(record_file.read_text())


def test_a_foreign_warc_with_an_iri_target_is_archived(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    source = tmp_path / "foreign.warc.gz"
    _foreign_warc(source, "https://beispiel.de/kultur/café am ufer")
    result = run_cli(project, monkeypatch, "archive", str(source))
    assert result.exit_code == 0, result.output
    record = _only_record(project)
    assert record["work"]["url"] == "https://beispiel.de/kultur/caf%C3%A9%20am%20ufer"
    assert record["capture"]["target_uri"] == "https://beispiel.de/kultur/caf%C3%A9%20am%20ufer"
    checked = run_cli(project, monkeypatch, "validate", "--deep")
    assert checked.exit_code == 0, checked.output


def test_an_import_with_an_iri_records_its_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path)
    transcript = PROJECT_ROOT / "tests" / "data" / "transcript_blog.txt"
    url = "https://www.quietarchive.net/2021/03/03/café-letters/"
    result = run_cli(project, monkeypatch, "archive", str(transcript), "--url", url)
    assert result.exit_code == 0, result.output
    record = _only_record(project)
    expected = "https://www.quietarchive.net/2021/03/03/caf%C3%A9-letters/"
    assert record["work"]["url"] == expected
    assert record["capture"]["target_uri"] == f"urn:transcript:{expected}"
    checked = run_cli(project, monkeypatch, "validate", "--deep")
    assert checked.exit_code == 0, checked.output

"""PDF extraction on the generated test set (tests/data/pdf, made by generate.py there):
the exact clean text, the page of every paragraph, the metadata with its evidence, and the
honest limits (encrypted, scanned, damaged, oversized, bombs) with their reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warcite.core.errors import DocumentError, ExtractionError
from warcite.extract import extract
from warcite.extract.pdf import (
    PdfLimits,
    extract_pdf,
    is_pdf,
    normalize_pdf_text,
    read_layout,
)
from warcite.extract.pdf_metadata import date_line, parse_xmp, pdf_date, valid_isbn

DATA = Path(__file__).resolve().parent / "data" / "pdf"
CASES: list[dict[str, Any]] = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
READABLE = [case for case in CASES if not case["error"]]
FAILING = [case for case in CASES if case["error"]]
URL = "https://reports.example.org/paper.pdf"


def _data(case: dict[str, Any]) -> bytes:
    return (DATA / case["file"]).read_bytes()


def test_the_set_is_large_enough_and_varied() -> None:
    assert len(CASES) >= 20
    notes = " ".join(case["note"] for case in CASES)
    for feature in (
        "two columns",
        "footnotes",
        "running header",
        "hyphen",
        "ligature",
        "Greek",
        "Russian",
        "no text layer",
        "password",
        "random bytes",
    ):
        assert feature in notes, feature


@pytest.mark.parametrize("case", READABLE, ids=lambda case: case["file"])
def test_text_and_pages_are_exact(case: dict[str, Any]) -> None:
    extraction = extract(_data(case), media_type="application/pdf", url=URL)
    found = [
        {
            "text": p.text,
            "kind": p.kind,
            "pages": list(p.pages),
            "page_starts": [list(start) for start in p.page_starts],
        }
        for p in extraction.paragraphs
    ]
    assert found == case["blocks"]
    assert extraction.page_count == case["pages"]
    labels = case["page_labels"]  # the printed page numbers, when they are not 1..N
    assert extraction.page_labels == (tuple(labels) if labels else None)
    assert extraction.media_type == "application/pdf"
    scanned_warning = [w for w in extraction.warnings if "without a text layer" in w]
    if case["scanned_pages"]:  # a scanned page among text pages: said, not silently dropped
        pages = ", ".join(map(str, case["scanned_pages"]))
        assert scanned_warning and f"page(s) {pages} are images" in scanned_warning[0]
    else:
        assert not scanned_warning


@pytest.mark.parametrize("case", READABLE, ids=lambda case: case["file"])
def test_metadata_with_evidence(case: dict[str, Any]) -> None:
    extraction = extract_pdf(_data(case), url=URL)
    expected = case["metadata"]
    assert extraction.title is not None
    assert extraction.title.value == expected["title"]
    assert extraction.title.source in ("xmp:dc:title", "pdf-info:Title", "pdf:largest")
    assert [person.name for person in extraction.authors] == expected["authors"]
    if "published" in expected:
        assert extraction.published is not None
        assert extraction.published.value == expected["published"]
    if "publisher" in expected:
        assert extraction.publisher is not None
        assert extraction.publisher.value == expected["publisher"]
    if "doi" in expected:
        assert extraction.doi is not None and extraction.doi.value == expected["doi"]
    if "isbn" in expected:
        assert extraction.isbn is not None and extraction.isbn.value == expected["isbn"]
    if "language" in expected:
        assert extraction.language is not None
        assert extraction.language.value == expected["language"]
    if "container_title" in expected:
        assert extraction.container_title == expected["container_title"]
    genre = extraction.genre.value if extraction.genre else None
    if expected["type"] == "report":
        assert genre in ("Report", "Working paper", "Policy brief")
    elif expected["type"] == "article-journal":
        assert genre == "Journal article"
    else:
        assert genre is None


def test_sources_follow_the_precedence() -> None:
    by_file = {case["file"]: case for case in CASES}
    xmp = extract_pdf(_data(by_file["xmp-metadata.pdf"]))
    assert xmp.title is not None and xmp.title.source == "xmp:dc:title"
    # the placeholder information dictionary is seen, and not chosen
    assert any(c.source == "pdf-info:Title" for c in xmp.title.candidates)
    assert xmp.authors[0].sources[0] == "xmp:dc:creator"
    layout = extract_pdf(_data(by_file["layout-only.pdf"]))
    assert layout.title is not None and layout.title.source == "pdf:largest"
    assert layout.authors[0].sources == ("pdf:byline",)
    assert layout.published is not None and layout.published.source == "pdf:dateline"
    assert layout.published.raw == "September 15, 2022"


@pytest.mark.parametrize("case", FAILING, ids=lambda case: case["file"])
def test_documents_that_cannot_be_read_say_why(case: dict[str, Any]) -> None:
    with pytest.raises(DocumentError) as caught:
        extract(_data(case), media_type="application/pdf", url=URL)
    assert caught.value.reason == case["error"]
    assert caught.value.exit_code == 4
    assert URL in str(caught.value)


def test_messages_tell_what_to_do() -> None:
    by_file = {case["file"]: case for case in CASES}
    with pytest.raises(DocumentError, match="OCR"):
        extract_pdf(_data(by_file["scanned.pdf"]))
    with pytest.raises(DocumentError, match="password"):
        extract_pdf(_data(by_file["encrypted.pdf"]))
    with pytest.raises(DocumentError, match="cut short"):
        extract_pdf(_data(by_file["truncated.pdf"]))


def test_size_limit() -> None:
    data = (DATA / "report-one-column.pdf").read_bytes()
    with pytest.raises(DocumentError, match="over the limit") as caught:
        extract_pdf(data, limits=PdfLimits(max_bytes=len(data) - 1))
    assert caught.value.reason == "too-large"
    with pytest.raises(DocumentError, match="over the limit"):
        extract(data, media_type="application/pdf", max_decoded_bytes=1000)


def test_a_decompression_bomb_is_stopped_by_the_memory_limit() -> None:
    data = (DATA / "stream-bomb.pdf").read_bytes()  # 100 KiB inflating to 100 MiB
    with pytest.raises(DocumentError) as caught:
        read_layout(data, limits=PdfLimits(max_memory_bytes=160 * 1024 * 1024))
    assert caught.value.reason == "limits"
    assert "memory" in str(caught.value)


def test_a_slow_document_is_stopped_by_the_clock() -> None:
    data = (DATA / "long-report.pdf").read_bytes()
    with pytest.raises(DocumentError, match="longer than") as caught:
        read_layout(data, limits=PdfLimits(max_seconds=0.05))
    assert caught.value.reason == "limits"


def test_pdf_detection() -> None:
    assert is_pdf(b"%PDF-1.7 ...", headers=[("Content-Type", "application/octet-stream")])
    assert is_pdf(b"anything", headers=[("Content-Type", "application/pdf; qs=0.5")])
    assert not is_pdf(b"%PDF-1.7", headers=[("Content-Type", "text/html")])
    assert is_pdf(b"  %PDF-1.4", media_type=None)


def test_gzip_content_coding_is_undone() -> None:
    import gzip

    data = (DATA / "greek.pdf").read_bytes()
    headers = [("Content-Type", "application/pdf"), ("Content-Encoding", "gzip")]
    extraction = extract(gzip.compress(data), headers=headers, url=URL)
    assert extraction.paragraphs[0].text == "Δημόσια οικονομικά και διαφάνεια"


def test_html_is_not_read_as_pdf() -> None:
    with pytest.raises(ExtractionError):
        extract(b"%PDF-1.4 not really", headers=[("Content-Type", "image/png")])


def test_helpers() -> None:
    assert normalize_pdf_text("e\ufb03cient  o\ufb00er\u00ad") == "efficient offer"
    assert pdf_date("D:20230514090000+02'00'") == "2023-05-14"
    assert pdf_date("D:2023") == "2023"
    assert pdf_date("2021-11-02T10:00:00Z") == "2021-11-02"
    assert date_line("June 2020") == "2020-06"
    assert date_line("September 15, 2022") == "2022-09-15"
    assert date_line("Published on September 15, 2022 by the office") is None
    assert valid_isbn("9783161484100")
    assert not valid_isbn("9783161484101")
    assert valid_isbn("080442957X")
    assert parse_xmp("<x:xmpmeta><broken") == {}
    assert parse_xmp(None) == {}


def test_extract_json_has_page_fields_for_pdfs_only() -> None:
    from warcite.extract import extraction_as_dict

    html = extract(
        b"<html><head><title>T</title></head><body><article><h1>A page</h1>"
        b"<p>Some words of a web page to extract here.</p></article></body></html>",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        url=URL.replace(".pdf", ".html"),
    )
    as_json = extraction_as_dict(html)
    assert "page_count" not in as_json and "doi" not in as_json
    assert all("pages" not in paragraph for paragraph in as_json["paragraphs"])
    pdf = extraction_as_dict(extract_pdf((DATA / "footnotes.pdf").read_bytes(), url=URL))
    assert pdf["page_count"] == 2
    assert list(pdf["paragraphs"][0]["pages"]) == [1]

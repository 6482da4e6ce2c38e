"""Decoding archived bodies: content-coding, media type and charset, as browsers do it."""

from __future__ import annotations

import codecs
import gzip
import sys
import zlib

import pytest

from warcite.core import decode
from warcite.core.decode import (
    decode_body,
    normalize_charset,
    parse_content_type,
    sniff_media_type,
)
from warcite.core.errors import ExtractionError
from warcite.extract import extract

HTML = "<!DOCTYPE html><html><head><title>T</title></head><body><p>Straße “quoted” café</p></body></html>"
KOREAN = "북한 엘리트들이 탈북하는 이유는 무엇인가? 대한민국 통일연구원의 연구 결과입니다."


def headers(**values: str) -> list[tuple[str, str]]:
    return [(name.replace("_", "-"), value) for name, value in values.items()]


# --------------------------------------------------------------------------- content-coding


def test_gzip_is_undone() -> None:
    body = gzip.compress(HTML.encode("utf-8"))
    document = decode_body(
        body, headers=headers(Content_Type="text/html; charset=utf-8", Content_Encoding="gzip")
    )
    assert document.text == HTML
    assert document.content_codings == ("gzip",)


def test_x_gzip_and_concatenated_members() -> None:
    data = HTML.encode("utf-8")
    body = gzip.compress(data[:20]) + gzip.compress(data[20:])
    document = decode_body(
        body, headers=headers(Content_Type="text/html; charset=utf-8", Content_Encoding="x-gzip")
    )
    assert document.text == HTML


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_in_both_framings(wbits: int) -> None:
    compressor = zlib.compressobj(wbits=wbits)
    body = compressor.compress(HTML.encode("utf-8")) + compressor.flush()
    document = decode_body(
        body, headers=headers(Content_Type="text/html; charset=utf-8", Content_Encoding="deflate")
    )
    assert document.text == HTML


def test_stacked_codings_are_undone_in_reverse_order() -> None:
    body = gzip.compress(zlib.compress(HTML.encode("utf-8")))
    document = decode_body(
        body,
        headers=headers(Content_Type="text/html; charset=utf-8", Content_Encoding="deflate, gzip"),
    )
    assert document.text == HTML
    assert document.content_codings == ("deflate", "gzip")


def test_identity_is_a_no_op() -> None:
    document = decode_body(
        b"plain words", headers=headers(Content_Type="text/plain", Content_Encoding="identity")
    )
    assert document.text == "plain words"


def test_undeclared_gzip_is_recognised_never_read_as_text() -> None:
    document = decode_body(
        gzip.compress(HTML.encode("utf-8")), headers=headers(Content_Type="text/html")
    )
    assert document.text == HTML
    assert document.content_codings == ("gzip (undeclared)",)


def test_body_without_chunked_framing_is_left_as_it_is() -> None:
    """Transfer-coding is removed before extraction: text that looks like chunks is text."""
    body = b"5\r\nhello\r\n0\r\n\r\n"
    document = decode_body(body, headers=headers(Content_Type="text/plain; charset=us-ascii"))
    assert document.text == body.decode("ascii")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (gzip.compress(bytes(range(256)) * 20)[:-30], "truncated"),
        (b"\x1f\x8b\x08\x00garbage-not-deflate", "does not decompress"),
        (b"not compressed at all", "does not decompress"),
    ],
)
def test_corrupt_gzip_is_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        decode_body(body, headers=headers(Content_Type="text/html", Content_Encoding="gzip"))


def test_unknown_coding_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="unsupported Content-Encoding 'compress'"):
        decode_body(b"\x1f\x9d\x90", headers=headers(Content_Encoding="compress"))


def test_decompression_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode, "MAX_DECODED_BYTES", 1000)
    body = gzip.compress(b"a" * 5000)
    with pytest.raises(ExtractionError, match="more than 1000 bytes"):
        decode_body(body, headers=headers(Content_Encoding="gzip"))


def test_missing_brotli_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "brotli", None)
    monkeypatch.setitem(sys.modules, "brotlicffi", None)
    with pytest.raises(
        ExtractionError, match=r"Brotli-compressed.*pip install 'warcite\[compression\]'"
    ):
        decode_body(
            b"\x0b\x02\x80hello\x03",
            headers=headers(Content_Type="text/html", Content_Encoding="br"),
        )


def test_missing_zstandard_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)
    with pytest.raises(ExtractionError, match="Zstandard-compressed"):
        decode_body(
            b"(\xb5/\xfd\x00", headers=headers(Content_Type="text/html", Content_Encoding="zstd")
        )


def test_brotli_is_decoded_when_installed() -> None:
    brotli = pytest.importorskip(
        "brotli", reason="brotli is an optional extra (warcite[compression])"
    )
    body = brotli.compress(HTML.encode("utf-8"))
    document = decode_body(
        body, headers=headers(Content_Type="text/html; charset=utf-8", Content_Encoding="br")
    )
    assert document.text == HTML


def test_zstd_is_decoded_when_installed() -> None:
    zstandard = pytest.importorskip(
        "zstandard", reason="zstandard is an optional extra (warcite[compression])"
    )
    body = zstandard.ZstdCompressor().compress(HTML.encode("utf-8"))
    document = decode_body(
        body, headers=headers(Content_Type="text/html; charset=utf-8", Content_Encoding="zstd")
    )
    assert document.text == HTML


# --------------------------------------------------------------------------- charset


def test_windows_1252_from_the_header() -> None:
    body = "Straße “quoted” – café".encode("cp1252")
    document = decode_body(body, headers=headers(Content_Type="text/plain; charset=windows-1252"))
    assert document.text == "Straße “quoted” – café"
    assert (document.charset, document.charset_source) == ("cp1252", "http")


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO_8859-1", "latin1", "us-ascii", "ascii"])
def test_latin1_and_ascii_labels_mean_windows_1252(label: str) -> None:
    body = b"\x93smart quotes\x94 and \x80"
    document = decode_body(body, headers=headers(Content_Type=f"text/html; charset={label}"))
    assert document.text == "“smart quotes” and €"
    assert normalize_charset(label) == "cp1252"


def test_euc_kr_from_the_header() -> None:
    body = KOREAN.encode("euc-kr")
    document = decode_body(body, headers=headers(Content_Type='text/html; charset="EUC-KR"'))
    assert document.text == KOREAN
    assert document.charset == "cp949"


def test_euc_kr_from_meta_charset() -> None:
    html = f'<html><head><meta charset="euc-kr"><title>t</title></head><body><p>{KOREAN}</p></body></html>'
    document = decode_body(html.encode("euc-kr"), headers=headers(Content_Type="text/html"))
    assert KOREAN in document.text
    assert (document.charset, document.charset_source) == ("cp949", "meta")


def test_meta_http_equiv() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "</head><body><p>Привет, мир</p></body></html>"
    )
    document = decode_body(html.encode("cp1251"))
    assert "Привет, мир" in document.text
    assert document.charset_source == "meta"


def test_meta_declaring_utf16_means_utf8() -> None:
    html = '<html><head><meta charset="utf-16"></head><body><p>café</p></body></html>'
    document = decode_body(html.encode("utf-8"))
    assert document.charset == "utf-8"
    assert "café" in document.text


def test_xml_declaration_encoding() -> None:
    xhtml = '<?xml version="1.0" encoding="ISO-8859-15"?><html><body><p>€uro</p></body></html>'
    document = decode_body(
        xhtml.encode("iso-8859-15"), headers=headers(Content_Type="application/xhtml+xml")
    )
    assert "€uro" in document.text
    assert document.media_type == "application/xhtml+xml"


def test_utf8_bom_beats_a_wrong_header() -> None:
    body = codecs.BOM_UTF8 + "café".encode()
    document = decode_body(body, headers=headers(Content_Type="text/plain; charset=iso-8859-1"))
    assert document.text == "café"
    assert document.charset_source == "bom"


def test_utf16_bom() -> None:
    body = codecs.BOM_UTF16_LE + HTML.encode("utf-16-le")
    document = decode_body(body)
    assert document.text == HTML
    assert document.media_type == "text/html"


def test_undeclared_utf8_and_undeclared_legacy_text_are_detected() -> None:
    assert decode_body("naïve café".encode()).charset_source == "utf-8-valid"
    text = (
        "Les élèves de l'école française étudient l'histoire de la Révolution et les "
        "événements du dix-huitième siècle avec un intérêt très particulier. "
    ) * 4
    document = decode_body(text.encode("cp1252"), headers=headers(Content_Type="text/plain"))
    assert document.text == text
    assert document.charset_source == "detection"


def test_unknown_charset_label_falls_through_to_detection() -> None:
    document = decode_body(
        "café".encode(), headers=headers(Content_Type="text/plain; charset=x-nonsense")
    )
    assert document.text == "café"


def test_undecodable_bytes_become_replacement_characters() -> None:
    document = decode_body(
        b"ok \xff\xfe\xfa end", headers=headers(Content_Type="text/plain; charset=utf-8")
    )
    assert document.text == "ok \ufffd\ufffd\ufffd end"


# --------------------------------------------------------------------------- media type


def test_override_beats_the_header_and_parameters_are_dropped() -> None:
    document = decode_body(
        b"just text",
        headers=headers(Content_Type="text/html"),
        media_type="Text/Plain; charset=UTF-8",
    )
    assert document.media_type == "text/plain"
    assert parse_content_type('text/HTML; Charset="UTF-8"') == ("text/html", {"charset": "UTF-8"})


@pytest.mark.parametrize(
    ("body", "media_type"),
    [
        (b"  <!doctype html><p>x", "text/html"),
        (b"<!-- c --><html><body>x", "text/html"),
        (b"<div>x</div>", "text/html"),
        (b"Just some words, no tags.", "text/plain"),
        (b"a < b and c > d", "text/plain"),
    ],
)
def test_sniffing_without_a_content_type(body: bytes, media_type: str) -> None:
    assert sniff_media_type(body) == media_type
    assert (
        decode_body(body, headers=headers(Content_Type="application/octet-stream")).media_type
        == media_type
    )
    assert decode_body(body).media_type == media_type


@pytest.mark.parametrize(
    ("body", "content_type", "named"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "image/png"),
        (b"%PDF-1.7\n...", "application/pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/html", "image/png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "image/png"),
        (b"text\x00with\x00nuls", None, "application/octet-stream"),
    ],
)
def test_binary_content_is_an_error_naming_the_media_type(
    body: bytes, content_type: str | None, named: str
) -> None:
    given = headers(Content_Type=content_type) if content_type else []
    with pytest.raises(ExtractionError, match=named):
        decode_body(body, headers=given)


def test_empty_body() -> None:
    document = decode_body(b"", headers=headers(Content_Type="text/html"))
    assert (document.text, document.charset, document.media_type) == ("", None, "text/html")


def test_extract_decodes_a_gzipped_windows_1252_page_end_to_end() -> None:
    html = (
        "<html><head><title>T</title></head><body><article>"
        "<p>“Curly quotes” and an em dash — in a windows-1252 page that is long enough to be an "
        "article paragraph of its own.</p><p>A second paragraph, so that the page reads as an "
        "article and not as a listing of links.</p></article></body></html>"
    )
    result = extract(
        gzip.compress(html.encode("cp1252")),
        headers=headers(Content_Type="text/html; charset=ISO-8859-1", Content_Encoding="gzip"),
    )
    assert result.paragraphs[0].text.startswith("“Curly quotes” and an em dash —")
    assert result.charset == "cp1252"

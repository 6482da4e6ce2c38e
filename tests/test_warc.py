"""warcite.warc: reading records back, the payload-digest convention, verification."""

from __future__ import annotations

import base64
import gzip
import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warcite.core.errors import WarcReadError
from warcite.core.warc.digests import compute_block_digest, compute_payload_digest, digest_matches
from warcite.core.warc.http import dechunk, parse_http_message
from warcite.core.warc.pages import memento_from_headers, memento_from_wayback_url, read_page
from warcite.core.warc.records import (
    check_record_digests,
    iter_record_infos,
    iter_records,
    read_record_at,
    verify_record,
)

HTML = b"<html><head><title>T</title></head><body><p>Body text.</p></body></html>"


def hexdigest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def chunk(body: bytes, size: int) -> bytes:
    out = b"".join(
        f"{len(body[i : i + size]):x}\r\n".encode() + body[i : i + size] + b"\r\n"
        for i in range(0, len(body), size)
    )
    return out + b"0\r\n\r\n"


# --------------------------------------------------------------------------- digests


def test_dechunk_complete_with_extensions_and_trailers() -> None:
    data = b"4;name=value\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\n"
    assert dechunk(data) == (b"Wikipedia", True)


def test_dechunk_truncated_keeps_what_arrived() -> None:
    assert dechunk(b"4\r\nWiki\r\n5\r\nped") == (b"Wikiped", False)
    assert dechunk(b"") == (b"", False)


@given(st.binary(max_size=300), st.integers(min_value=1, max_value=50))
def test_dechunk_inverts_chunking(body: bytes, size: int) -> None:
    assert dechunk(chunk(body, size)) == (body, True)


def test_payload_digest_of_a_chunked_response_is_over_the_dechunked_body() -> None:
    block = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + chunk(gzip.compress(HTML, mtime=0), 16)
    )
    assert compute_payload_digest("response", block) == hexdigest(gzip.compress(HTML, mtime=0))
    assert compute_block_digest(block) == hexdigest(block)


def test_payload_digest_types() -> None:
    assert compute_payload_digest("resource", b"abc") == hexdigest(b"abc")
    assert compute_payload_digest("request", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n") == hexdigest(b"")
    assert compute_payload_digest("warcinfo", b"software: x\r\n") is None
    assert compute_payload_digest("metadata", b"a: b\r\n") is None
    with pytest.raises(WarcReadError, match="not an HTTP message"):
        compute_payload_digest("response", b"no header end")


def test_digest_matches_other_tools_encodings() -> None:
    data = b"some payload"
    sha1 = hashlib.sha1(data).digest()
    assert digest_matches("sha1:" + base64.b32encode(sha1).decode(), data)
    assert digest_matches("sha1:" + sha1.hex().upper(), data)
    assert digest_matches(
        "sha256:" + base64.b64encode(hashlib.sha256(data).digest()).decode(), data
    )
    assert digest_matches(hexdigest(data), data)
    assert not digest_matches(hexdigest(b"other"), data)
    with pytest.raises(ValueError, match="unknown algorithm"):
        digest_matches("nosuchhash:AAAA", data)
    with pytest.raises(ValueError, match="algorithm:value"):
        digest_matches("justtext", data)


def test_parse_http_message_skips_interim_responses_and_unfolds_headers() -> None:
    raw = (
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nX-Long: one\r\n two\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nbody"
    )
    message = parse_http_message(raw)
    assert message.status == 200
    assert message.header("x-long") == "one two"
    assert message.header_values("Set-Cookie") == ["a=1", "b=2"]
    assert message.body == b"body"
    assert message.head + message.body == raw


# --------------------------------------------------------------------------- foreign WARCs


def write_foreign_warc(path: Path) -> dict[str, str]:
    """A WARC written by warcio alone (its own digests, sha1 base32): redirect, page, image."""
    ids: dict[str, str] = {}
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "other"}))
        exchanges = [
            ("http://example.org/", "301 Moved", [("Location", "/page")], b""),
            (
                "http://example.org/page",
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")],
                chunk(HTML, 10),
            ),
            ("http://example.org/img.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG"),
        ]
        for url, status, headers, body in exchanges:
            http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http_headers
            )
            ids[url] = record.rec_headers.get_header("WARC-Record-ID")
            writer.write_record(record)
    return ids


def test_read_page_of_a_foreign_warc_picks_the_html_page(tmp_path: Path) -> None:
    path = tmp_path / "foreign.warc.gz"
    ids = write_foreign_warc(path)
    page = read_page(path)
    assert page.record_id == ids["http://example.org/page"]
    assert page.body == HTML  # dechunked, content-coding (none here) kept
    assert page.url == "http://example.org/page"
    assert page.method == "http-capture"
    assert page.http_status == 200
    assert dict(page.headers)["Transfer-Encoding"] == "chunked"
    # warcio's chunked payload digest (its issue #74) is accepted when verifying
    assert all(check_record_digests(record) == [] for record in iter_records(path))


def test_read_page_refuses_binary_records_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "foreign.warc.gz"
    ids = write_foreign_warc(path)
    image_id = ids["http://example.org/img.png"]
    with pytest.raises(WarcReadError, match=r"image/png\) is not HTML or text.*1 warcinfo, 3 resp"):
        read_page(path, image_id)
    with pytest.raises(WarcReadError, match="has no record <urn:uuid:nope>"):
        read_page(path, "urn:uuid:nope")
    first = next(iter_record_infos(path))
    with pytest.raises(WarcReadError, match="is a warcinfo record"):
        read_page(path, first.record_id)
    page_id = ids["http://example.org/page"]
    assert read_page(path, page_id.strip("<>")).record_id == page_id  # brackets optional


def test_read_page_without_any_page(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "x"}))
    with pytest.raises(
        WarcReadError, match=r"empty\.warc\.gz holds no HTML or text page.*1 warcinfo"
    ):
        read_page(path)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(WarcReadError, match="cannot open WARC file"):
        read_page(tmp_path / "missing.warc.gz")
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a warc file at all\r\n\r\n")
    with pytest.raises(WarcReadError, match="not a WARC file"):
        read_page(junk)
    path = tmp_path / "foreign.warc.gz"
    write_foreign_warc(path)
    cut = tmp_path / "cut.warc.gz"
    for missing in (10, 40, 300):  # gzip trailer, record headers, a whole record's start
        cut.write_bytes(path.read_bytes()[: path.stat().st_size - missing])
        with pytest.raises(WarcReadError, match="truncated or damaged"):
            list(iter_records(cut))
        with pytest.raises(WarcReadError, match="truncated or damaged"):
            list(iter_record_infos(cut))


def test_offsets_and_lengths_locate_every_record(tmp_path: Path) -> None:
    path = tmp_path / "foreign.warc.gz"
    write_foreign_warc(path)
    infos = list(iter_record_infos(path))
    assert infos[0].offset == 0
    assert sum(info.length for info in infos) == path.stat().st_size
    data = path.read_bytes()
    for info in infos:
        member = gzip.decompress(data[info.offset : info.offset + info.length])
        assert member.startswith(b"WARC/1.1\r\n")
        assert info.record_id.encode() in member
        assert read_record_at(path, info.offset).info.record_id == info.record_id


def test_verify_record_reports_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "foreign.warc.gz"
    ids = write_foreign_warc(path)
    page = read_page(path)
    assert verify_record(path, record_id=page.record_id, offset=page.offset) == []
    wrong_id = verify_record(path, record_id=ids["http://example.org/"], offset=page.offset)
    assert len(wrong_id) == 1 and "is " + page.record_id in wrong_id[0]
    recorded = hexdigest(b"something else")
    mismatch = verify_record(
        path, record_id=page.record_id, offset=page.offset, payload_digest=recorded
    )
    assert any("expected " + recorded in problem for problem in mismatch)
    beyond = verify_record(path, record_id=page.record_id, offset=path.stat().st_size + 10)
    assert len(beyond) == 1 and "offset" in beyond[0]


def test_verify_record_detects_a_changed_block(tmp_path: Path) -> None:
    path = tmp_path / "plain.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False, warc_version="1.1")
        record = writer.create_warc_record(
            "urn:transcript:https://example.org/a",
            "resource",
            payload=BytesIO(b"original text"),
            length=13,
            warc_content_type="text/plain",
        )
        writer.write_record(record)
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    assert verify_record(path, record_id=record_id, offset=0) == []
    path.write_bytes(path.read_bytes().replace(b"original text", b"original TEXT"))
    problems = verify_record(path, record_id=record_id, offset=0)
    assert any("WARC-Block-Digest" in problem for problem in problems)
    assert any("WARC-Payload-Digest" in problem for problem in problems)


# --------------------------------------------------------------------------- mementos


@pytest.mark.parametrize(
    ("url", "original", "when"),
    [
        (
            "https://web.archive.org/web/20160830010203/https://example.org/a?b=1",
            "https://example.org/a?b=1",
            "2016-08-30T01:02:03Z",
        ),
        (
            "http://127.0.0.1:8080/wayback/web/20200101000000id_/example.org/x",
            "http://example.org/x",
            "2020-01-01T00:00:00Z",
        ),
        (
            "https://web.archive.org/web/20160830010203im_/https:/example.org/",
            "https://example.org/",
            "2016-08-30T01:02:03Z",
        ),
    ],
)
def test_wayback_urls(url: str, original: str, when: str) -> None:
    memento = memento_from_wayback_url(url)
    assert memento is not None
    assert (memento.original_uri, memento.datetime, memento.source) == (
        original,
        when,
        "wayback-url",
    )


def test_not_wayback_urls() -> None:
    assert memento_from_wayback_url("https://example.org/web/2016/article") is None
    assert memento_from_wayback_url("https://example.org/web/201608300102/x") is None


def test_memento_headers() -> None:
    headers = [
        ("Memento-Datetime", "Tue, 30 Aug 2016 01:02:03 GMT"),
        (
            "Link",
            '<https://example.org/a>; rel="original", '
            '<https://arch.example/timemap/https://example.org/a>; rel="timemap"',
        ),
    ]
    memento = memento_from_headers(headers)
    assert memento is not None
    assert (memento.original_uri, memento.datetime) == (
        "https://example.org/a",
        "2016-08-30T01:02:03Z",
    )
    assert memento_from_headers(headers[1:]) is None
    assert memento_from_headers([("Memento-Datetime", "garbage")]) is None


def test_decode_content_codings_and_limits() -> None:
    import zlib

    from warcite.core.warc.http import decode_content

    assert decode_content(gzip.compress(HTML), "gzip") == HTML
    assert decode_content(zlib.compress(HTML), "deflate") == HTML
    raw_deflate = zlib.compressobj(wbits=-15)
    assert decode_content(raw_deflate.compress(HTML) + raw_deflate.flush(), "deflate") == HTML
    assert decode_content(HTML, None) == HTML
    assert decode_content(gzip.compress(gzip.compress(HTML)), "gzip, gzip") == HTML
    bomb = gzip.compress(b"\0" * 100_000)
    with pytest.raises(ValueError, match="exceeds 1000 bytes"):
        decode_content(bomb, "gzip", limit=1000)
    with pytest.raises(ValueError, match="'compress' cannot be decoded"):
        decode_content(HTML, "compress")
    with pytest.raises(ValueError, match="corrupt"):
        decode_content(b"not gzip at all", "gzip")


@given(st.binary(max_size=400))
def test_payload_digest_of_arbitrary_blocks_is_a_digest_or_a_read_error(block: bytes) -> None:
    for record_type in ("request", "response"):
        try:
            digest = compute_payload_digest(record_type, block)
        except WarcReadError:
            continue
        assert digest is not None and digest.startswith("sha256:") and len(digest) == 71


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        (
            "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-"
            "Asylum_Defection_Diplomats_Elitism-160829-249.html",
            "opednews-160829-249",
        ),
        ("http://127.0.0.1:8080/", "127-0-0-1"),
        ("https://example.org/Café/Ünïcode?id=7", "example-7"),
        ("https://example.org/Café/Ünïcode", "example-unicode"),
        (
            "https://web.archive.org/web/20160830000000id_/http://example.com/a/b.html",
            "example-b",
        ),
        ("https://例え.jp/記事", "xn-r8jz45g"),
    ],
)
def test_slug_from_url(url: str, slug: str) -> None:
    from warcite.core.slugs import default_slug

    assert default_slug(url) == slug


@given(st.text(max_size=300))
def test_slugs_are_always_valid(path: str) -> None:
    from warcite.core.slugs import SLUG_PATTERN, default_slug

    slug = default_slug("https://www.example.org/" + path)
    assert SLUG_PATTERN.match(slug), slug
    assert len(slug) <= 80

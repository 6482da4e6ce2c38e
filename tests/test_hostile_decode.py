"""Hostile inputs on the reading side: compression bombs of every coding, stacked codings,
lying lengths, codecs posing as charsets, lone surrogates, deep and huge JSON-LD, NUL bytes,
invalid UTF-8, thousands of author metas.

Every case is generated here (no network, no fixture files) and goes through the library
and through the CLI (``warcite extract``, ``record``, ``validate``), asserting the exit
code, the message, that no traceback is printed and that no file outside the expected
ones changed.  The bomb cases run the CLI in a subprocess under ``RLIMIT_AS`` (768 MiB):
each bomb expands to 1 GiB, so a decoder that stops streaming fails with MemoryError
instead of eating the machine.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import resource
import struct
import subprocess
import sys
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from warcite.cli import cli
from warcite.core import codings
from warcite.core.codings import (
    DecodedTooLarge,
    DecodingError,
    TruncatedCoding,
    UnsupportedCoding,
    decode_codings,
)
from warcite.core.decode import decode_body, normalize_charset
from warcite.core.errors import ExtractionError, WarcReadError
from warcite.core.warc.http import decode_content, entity_body, parse_http_message
from warcite.core.warc.pages import read_page
from warcite.core.warc.records import iter_records
from warcite.extract import extract

brotli = pytest.importorskip("brotli", reason="brotli is in the test extra")
zstandard = pytest.importorskip("zstandard", reason="zstandard is in the test extra")

MIB = 1 << 20
BOMB_MIB = 1024  # every bomb expands to 1 GiB
MEMORY_LIMIT = 768 * MIB  # address space of the CLI subprocesses running bombs
DEFAULT_LIMIT = codings.DEFAULT_DECODED_LIMIT
ZEROS = b"\0" * MIB
PROSE = "This sentence belongs to the article and is long enough to count as prose. " * 6


# --------------------------------------------------------------------------- generators


def _deflate_segment() -> tuple[zlib._Compress, bytes]:
    """A raw-deflate compressor and the bytes one MiB of zeros costs after a full flush.

    A full flush resets the dictionary, so every further MiB of zeros compresses to the
    same segment: a bomb of any size is built by repetition, without compressing it.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(ZEROS) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(ZEROS) + compressor.flush(zlib.Z_FULL_FLUSH) == segment
    return compressor, segment


def deflate_bomb(mib: int, wrapper: str) -> bytes:
    """``mib`` MiB of zeros as gzip, zlib or raw deflate, with correct checksums."""
    compressor, segment = _deflate_segment()
    stream = segment * mib + compressor.flush()
    if wrapper == "raw":
        return stream
    if wrapper == "zlib":
        adler = 1
        for _ in range(mib):
            adler = zlib.adler32(ZEROS, adler)
        return b"\x78\xda" + stream + struct.pack(">I", adler)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(ZEROS, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + stream + struct.pack("<II", crc, (mib * MIB) & 0xFFFFFFFF)


def zstd_bomb(mib: int) -> bytes:
    """``mib`` concatenated Zstandard frames of one MiB of zeros each."""
    return zstandard.ZstdCompressor(level=3).compress(ZEROS) * mib


def brotli_bomb(mib: int) -> bytes:
    compressor = brotli.Compressor(quality=3, lgwin=24)
    return b"".join(compressor.process(ZEROS) for _ in range(mib)) + compressor.finish()


@pytest.fixture(scope="module")
def bombs() -> dict[str, tuple[bytes, str]]:
    """name -> (body, Content-Encoding): each expands to 1 GiB (or more)."""
    gzip_one = deflate_bomb(BOMB_MIB, "gzip")
    brotli_one = brotli_bomb(BOMB_MIB)
    return {
        "gzip": (gzip_one, "gzip"),
        "gzip-16k": (gzip.compress(gzip_one, 9), "gzip, gzip"),
        "deflate-zlib": (deflate_bomb(BOMB_MIB, "zlib"), "deflate"),
        "deflate-raw": (deflate_bomb(BOMB_MIB, "raw"), "deflate"),
        "br": (brotli_one, "br"),
        "zstd": (zstd_bomb(BOMB_MIB), "zstd"),
        "gzip-br": (gzip.compress(brotli_one), "br, gzip"),
        "br-gzip": (brotli.compress(gzip.compress(gzip_one, 9)), "gzip, gzip, br"),
    }


def http_response(body: bytes, headers: list[tuple[str, str]], status: str = "200 OK") -> bytes:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + body


def warc_record(
    block: bytes,
    *,
    record_type: str = "response",
    uri: bytes = b"http://example.org/2024/01/article",
    content_length: bytes | None = None,
    record_id: str | None = None,
    content_type: bytes | None = None,
) -> bytes:
    """One WARC/1.1 record, written by hand so that any header can lie."""
    if content_type is None:
        content_type = (
            b"application/http; msgtype=response" if record_type == "response" else b"text/html"
        )
    length = str(len(block)).encode() if content_length is None else content_length
    head = b"\r\n".join(
        [
            b"WARC/1.1",
            b"WARC-Type: " + record_type.encode(),
            f"WARC-Record-ID: <urn:uuid:{record_id or uuid.uuid4()}>".encode(),
            b"WARC-Date: 2024-01-01T00:00:00Z",
            b"WARC-Target-URI: " + uri,
            b"Content-Type: " + content_type,
            b"Content-Length: " + length,
        ]
    )
    return head + b"\r\n\r\n" + block + b"\r\n\r\n"


def page_html(head: str = "", body: str = "") -> str:
    return (
        "<html><head><title>A Hostile Article</title>"
        + head
        + "</head><body><article><h1>A Hostile Article</h1><p>"
        + PROSE
        + "</p>"
        + body
        + "</article></body></html>"
    )


def page_warc(
    body: bytes, headers: list[tuple[str, str]] | None = None, *, record_id: str | None = None
) -> bytes:
    headers = headers if headers is not None else [("Content-Type", "text/html; charset=utf-8")]
    return warc_record(http_response(body, headers), record_id=record_id)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root``: relative path -> sha256 (to see what a command changed).

    The project lock file (``.warcite.lock``, created by commands that write records) is
    left out while it is empty, which it always is: one that held anything would show."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not (path.relative_to(root) == Path(".warcite.lock") and path.stat().st_size == 0)
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "archive").mkdir(parents=True)
    (root / "records").mkdir()
    return root


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``warcite ARGS`` in a subprocess with at most MEMORY_LIMIT of address space."""
    return subprocess.run(
        [sys.executable, "-m", "warcite", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_memory,
        check=False,
    )


def run_cli(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails and shows it
    return result.exit_code, result.stdout, result.stderr


def assert_clean_failure(stderr: str, *fragments: str) -> None:
    assert "Traceback" not in stderr
    assert "MemoryError" not in stderr
    assert stderr.startswith("Error: "), stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


# --------------------------------------------------------------------------- decoders


BOMB_NAMES = ["gzip", "gzip-16k", "deflate-zlib", "deflate-raw", "br", "zstd", "gzip-br", "br-gzip"]


@pytest.mark.parametrize("name", BOMB_NAMES)
def test_every_bomb_is_small_and_stops_at_the_limit(
    bombs: dict[str, tuple[bytes, str]], name: str
) -> None:
    body, encoding = bombs[name]
    assert len(body) < 2 * MIB  # a bomb: at least 500 times smaller than what it decodes to
    stacked = codings.parse_codings([encoding])
    with pytest.raises(DecodedTooLarge, match=r"more than 1048576 bytes") as caught:
        decode_codings(body, stacked, limit=MIB)
    assert caught.value.limit == MIB
    with pytest.raises(ExtractionError, match="decodes to more than 1048576 bytes"):
        decode_body(body, headers=(("Content-Encoding", encoding),), limit=MIB)
    with pytest.raises(ValueError, match="exceeds 1048576 bytes"):
        decode_content(body, encoding, limit=MIB)


def test_the_bomb_generators_are_right() -> None:
    """A bomb built by repetition decodes (checksums included) to exactly its size; the
    1 GiB bombs are the same construction with more repetitions."""
    for wrapper, coding in (("gzip", "gzip"), ("zlib", "deflate"), ("raw", "deflate")):
        body = deflate_bomb(16, wrapper)
        assert decode_codings(body, [coding], limit=16 * MIB) == b"\0" * (16 * MIB)
    assert decode_codings(zstd_bomb(16), ["zstd"], limit=16 * MIB) == b"\0" * (16 * MIB)
    assert decode_codings(brotli_bomb(16), ["br"], limit=16 * MIB) == b"\0" * (16 * MIB)


def test_a_bomb_just_under_the_limit_decodes() -> None:
    body = deflate_bomb(3, "gzip")
    assert decode_codings(body, ["gzip"], limit=3 * MIB) == b"\0" * (3 * MIB)
    with pytest.raises(DecodedTooLarge):
        decode_codings(body, ["gzip"], limit=3 * MIB - 1)


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", lambda data: brotli.compress(data)),
        ("zstd", lambda data: zstandard.ZstdCompressor().compress(data)),
        ("gzip, br", lambda data: brotli.compress(gzip.compress(data))),
        (
            "br, zstd, gzip",
            lambda data: gzip.compress(zstandard.ZstdCompressor().compress(brotli.compress(data))),
        ),
    ],
)
def test_codings_round_trip_and_truncation_is_named(
    encoding: str, encode: Callable[[bytes], bytes]
) -> None:
    html = page_html().encode() * 50
    body = encode(html)
    stacked = codings.parse_codings([encoding])
    assert decode_codings(body, stacked) == html
    with pytest.raises(TruncatedCoding, match="truncated"):
        decode_codings(body[: len(body) // 2], stacked)
    partial = decode_codings(body[: len(body) // 2], stacked[-1:], strict=False)
    assert len(partial) < len(html)


def test_corrupt_unknown_and_too_many_codings_are_clear_errors() -> None:
    for coding in ("gzip", "deflate", "br", "zstd"):
        with pytest.raises(DecodingError, match=f"declared as {coding} but does not decompress"):
            decode_codings(b"\x1f\x8b\x08\x00 this is no compressed stream at all", [coding])
    with pytest.raises(UnsupportedCoding, match="unsupported content-coding 'compress'"):
        decode_codings(b"x", ["compress"])
    with pytest.raises(UnsupportedCoding, match="'br'"):
        decode_codings(b"x", ["br"], transfer=True)  # br is no transfer-coding
    body = b"text"
    for _ in range(codings.MAX_CODINGS + 1):
        body = gzip.compress(body)
    with pytest.raises(UnsupportedCoding, match="at most 8"):
        decode_codings(body, ["gzip"] * (codings.MAX_CODINGS + 1))
    with pytest.raises(ExtractionError, match=r"unsupported Content-Encoding 'gzip'.*at most 8"):
        decode_body(body, headers=(("Content-Encoding", ", ".join(["gzip"] * 9)),))


def test_a_zstd_frame_asking_for_a_huge_window_is_refused() -> None:
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=27)
    compressor = zstandard.ZstdCompressor(compression_params=params).compressobj()
    body = b"".join(compressor.compress(ZEROS) for _ in range(16)) + compressor.flush()
    assert zstandard.get_frame_parameters(body).window_size == 1 << 27  # 128 MiB declared
    with pytest.raises(DecodingError, match=r"zstd.*does not decompress"):
        decode_codings(body, ["zstd"])


def test_transfer_encoding_gzip_chunked_bomb_is_bounded(
    bombs: dict[str, tuple[bytes, str]],
) -> None:
    body, _ = bombs["gzip-16k"]
    chunked = (
        b"".join(
            f"{len(body[i : i + 1000]):x}\r\n".encode() + body[i : i + 1000] + b"\r\n"
            for i in range(0, len(body), 1000)
        )
        + b"0\r\n\r\n"
    )
    message = parse_http_message(
        http_response(chunked, [("Transfer-Encoding", "gzip, gzip, chunked")])
    )
    with pytest.raises(WarcReadError, match=r"transfer-coding 'gzip'.*more than 1048576 bytes"):
        entity_body(message, limit=MIB)
    small = parse_http_message(
        http_response(gzip.compress(b"<p>hi</p>"), [("Transfer-Encoding", "gzip")])
    )
    assert entity_body(small) == (b"<p>hi</p>", True)
    with pytest.raises(WarcReadError, match="unsupported transfer-coding 'br'"):
        entity_body(parse_http_message(http_response(b"x", [("Transfer-Encoding", "br")])))


# --------------------------------------------------------------------------- the CLI on bombs


@pytest.mark.parametrize("name", ["gzip-16k", "br", "zstd", "deflate-raw", "gzip-br"])
def test_extract_and_record_refuse_a_bomb_in_bounded_memory(
    bombs: dict[str, tuple[bytes, str]], project: Path, name: str
) -> None:
    body, encoding = bombs[name]
    warc = project / "archive" / f"{name}.warc"
    warc.write_bytes(
        page_warc(body, [("Content-Type", "text/html"), ("Content-Encoding", encoding)])
    )
    before = snapshot(project)
    for command in ("extract", "record"):
        result = run_limited(project, command, f"archive/{name}.warc")
        assert result.returncode == 4, result.stderr
        assert_clean_failure(
            result.stderr, f"decodes to more than {DEFAULT_LIMIT} bytes", "decompression bomb"
        )
        assert result.stdout == ""
        assert snapshot(project) == before


def test_transfer_encoded_bomb_through_the_cli(
    bombs: dict[str, tuple[bytes, str]], project: Path
) -> None:
    body, _ = bombs["gzip-16k"]
    (project / "archive" / "te.warc").write_bytes(
        page_warc(body, [("Content-Type", "text/html"), ("Transfer-Encoding", "gzip, gzip")])
    )
    before = snapshot(project)
    result = run_limited(project, "extract", "archive/te.warc")
    assert result.returncode == 4
    assert_clean_failure(result.stderr, "transfer-coding 'gzip'", "more than 67108864 bytes")
    assert snapshot(project) == before


def test_validate_reports_a_warc_replaced_by_a_bomb(
    bombs: dict[str, tuple[bytes, str]], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_id = str(uuid.uuid4())
    warc = project / "archive" / "page.warc"
    warc.write_bytes(page_warc(page_html().encode(), record_id=record_id))
    code, _out, err = run_cli(project, monkeypatch, "record", "archive/page.warc")
    assert code == 0, err
    body, encoding = bombs["br"]
    warc.write_bytes(
        page_warc(
            body,
            [("Content-Type", "text/html"), ("Content-Encoding", encoding)],
            record_id=record_id,
        )
    )
    before = snapshot(project)
    result = run_limited(project, "validate", "--deep")
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "re-extraction failed" in result.stdout + result.stderr
    assert "the br body decodes to more than 67108864 bytes" in result.stdout + result.stderr
    assert snapshot(project) == before  # validate never changes a file


def test_a_warc_gzip_member_that_inflates_without_end(project: Path) -> None:
    """A .warc.gz whose one member holds a 256 MiB block: refused at MAX_BLOCK_BYTES."""
    mib = 256
    head = (
        b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:"
        + str(uuid.uuid4()).encode()
        + b">\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://example.org/"
        + b"\r\nContent-Type: text/plain\r\nContent-Length: "
        + str(mib * MIB).encode()
        + b"\r\n\r\n"
    )
    compressor, segment = _deflate_segment()
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(ZEROS) + compressor.flush(zlib.Z_FULL_FLUSH) == segment
    tail = compressor.compress(b"\r\n\r\n") + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(ZEROS, crc)
    crc = zlib.crc32(b"\r\n\r\n", crc)
    size = len(head) + mib * MIB + 4
    member = (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + first
        + segment * mib
        + tail
        + struct.pack("<II", crc, size & 0xFFFFFFFF)
    )
    path = project / "archive" / "member.warc.gz"
    path.write_bytes(member)
    assert path.stat().st_size < 300 * 1024
    with pytest.raises(WarcReadError, match="larger than 1048576 bytes"):
        list(iter_records(path, max_block_bytes=MIB))
    assert [record.info.length for record in iter_records(path, with_blocks=False)] == [len(member)]
    before = snapshot(project)
    result = run_limited(project, "extract", "archive/member.warc.gz")
    assert result.returncode == 4
    assert_clean_failure(result.stderr, "larger than 134217728 bytes", "max_block_bytes")
    assert snapshot(project) == before


# --------------------------------------------------------------------------- lying lengths


@pytest.mark.parametrize(
    ("length", "message"),
    [
        (b"1" + b"0" * 29, "declares Content-Length '100000000000000000000000000000' but holds"),
        (b"9" * 400, "(400 characters)' but holds"),
        (b"-5", "declares Content-Length '-5'"),
        (b"ten", "declares Content-Length 'ten'"),
        (b"10", "is not a readable WARC file"),
    ],
)
def test_lying_warc_content_length(
    project: Path, monkeypatch: pytest.MonkeyPatch, length: bytes, message: str
) -> None:
    block = http_response(page_html().encode(), [("Content-Type", "text/html")])
    path = project / "archive" / "lying.warc"
    path.write_bytes(warc_record(block, content_length=length))
    with pytest.raises(WarcReadError, match=r"lying\.warc"):
        read_page(path)
    before = snapshot(project)
    for command in ("extract", "record"):
        code, out, err = run_cli(project, monkeypatch, command, "archive/lying.warc")
        assert code == 4
        assert_clean_failure(err, message)
        assert "WARNING" not in err  # warcio's own warning is not printed
        assert out == ""
    assert snapshot(project) == before


def test_truncated_and_lying_gzip_members(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = page_warc(page_html().encode())
    member = gzip.compress(record)
    cases = {
        "cut.warc.gz": member[:-20],
        "badcrc.warc.gz": member[:-8] + b"\0\0\0\0" + member[-4:],
        "badsize.warc.gz": member[:-4] + struct.pack("<I", 12345),
        "garbage.warc.gz": member + b"\x1f\x8bnot a member",
    }
    for name, data in cases.items():
        (project / "archive" / name).write_bytes(data)
    before = snapshot(project)
    for name in cases:
        code, _out, err = run_cli(project, monkeypatch, "extract", f"archive/{name}")
        assert code == 4, (name, err)
        assert_clean_failure(err, name)
        assert any(word in err for word in ("truncated", "damaged", "not a readable")), err
    assert snapshot(project) == before


def test_chunk_sizes_that_lie_keep_what_arrived(project: Path) -> None:
    html = page_html().encode()
    body = b"ffffffffffffffffffffffffffffff\r\n" + html + b"\r\n0\r\n\r\n"
    path = project / "archive" / "chunks.warc"
    path.write_bytes(
        page_warc(body, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
    )
    page = read_page(path)
    assert page.body.startswith(html)


# --------------------------------------------------------------------------- charsets

NOT_TEXT_ENCODINGS = [
    "rot13",
    "rot_13",
    "base64",
    "hex",
    "zlib",
    "bz2",
    "idna",
    "uu",
    "quopri",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "utf-7",
    "undefined",
    "utf-32",
    "cp500",
    "x-user-defined",
    "iso-2022-kr",
    "\x00",
    "a" * 500,
]


@pytest.mark.parametrize("label", NOT_TEXT_ENCODINGS)
def test_codecs_that_are_not_text_encodings_are_unknown_charsets(label: str) -> None:
    assert normalize_charset(label) is None
    html = page_html().encode()
    for headers, body, media_type in [
        ((("Content-Type", f"text/html; charset={label}"),), html, "text/html"),
        (
            (("Content-Type", "text/html"),),
            html.replace(b"<head>", f'<head><meta charset="{label}">'.encode("utf-8", "replace")),
            "text/html",
        ),
        (
            (("Content-Type", "application/xhtml+xml"),),
            f'<?xml version="1.0" encoding="{label}"?>'.encode("utf-8", "replace") + html,
            "application/xhtml+xml",
        ),
        ((("Content-Type", f"text/plain; charset={label}"),), PROSE.encode(), "text/plain"),
    ]:
        document = decode_body(body, headers=headers)
        assert document.charset == "utf-8"
        assert document.charset_source == "utf-8-valid"
        assert document.media_type == media_type


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("latin1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("utf8", "utf-8"),
        ("utf_8", "utf-8"),
        ("x-mac-cyrillic", "mac-cyrillic"),
        ("gb2312", "gb18030"),
        ("shift_jis", "cp932"),
        ("euc-kr", "cp949"),
        ("iso-8859-8-i", "iso8859-8"),
        ("tis-620", "cp874"),
        ("utf-16", "utf-16-le"),
        ('"Windows-1251"', "cp1251"),
    ],
)
def test_whatwg_labels_map_as_browsers_map_them(label: str, codec: str) -> None:
    assert normalize_charset(label) == codec


def test_bad_charsets_through_the_cli(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cafe = "The café served crème brûlée to every reader who reached the end of it. " * 3
    html = page_html(head='<meta charset="base64">', body=f"<p>{cafe}</p>").encode()
    (project / "archive" / "rot13.warc").write_bytes(
        page_warc(html, [("Content-Type", "text/html; charset=rot13")])
    )
    code, out, err = run_cli(project, monkeypatch, "extract", "archive/rot13.warc")
    assert code == 0, err
    assert "café served crème brûlée" in json.loads(out)["text"]
    code, out, err = run_cli(project, monkeypatch, "record", "archive/rot13.warc")
    assert code == 0, err
    code, out, err = run_cli(project, monkeypatch, "validate", "--deep")
    assert code == 0, out + err


# --------------------------------------------------------------------------- JSON-LD, NUL, UTF-8


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


HOSTILE_PAGES: dict[str, bytes] = {
    "lone-surrogates": page_html(
        head=_ld(
            '{"@type": "NewsArticle", "headline": "A Hostile \\ud800Article", '
            '"author": {"@type": "Person", "name": "Jane \\udc00Doe"}, '
            '"keywords": ["\\udbff", {"\\ud800key": "x"}], "datePublished": "2024-01-02"}'
        )
    ).encode(),
    "deep-json-ld": page_html(head=_ld("[" * 100_000 + "]" * 100_000)).encode(),
    "deep-invalid-json-ld": page_html(head=_ld('{"a":' * 100_000)).encode(),
    "many-json-ld": page_html(
        head="".join(
            _ld(json.dumps({"@type": "Person", "name": f"Writer{i} Name{i}"})) for i in range(5_000)
        )
    ).encode(),
    "nul-bytes": page_html(
        head='<meta name="author" content="Jane\x00 Doe">' + _ld('{"headline": "a\\u0000b"}'),
        body="<p>Nul\x00 bytes in the text.</p>",
    ).encode(),
    "invalid-utf8": page_html(body="<p>Bad bytes: @@ here.</p>")
    .encode()
    .replace(b"@@", b"\xff\xfe\xc3\x28\xed\xa0\x80\xf4\x90\x80\x80"),
    "char-refs": page_html(
        head='<meta name="author" content="Jane &#xDC00; Doe">',
        body="<p>Refs &#xD800; &#0; &#x110000; &#1; survive.</p>",
    ).encode(),
    "huge-attribute": page_html(
        body=f'<div class="{"x" * 5_000_000}" data-a="{"y" * 1000}">.</div>'
    ).encode(),
    "author-metas": page_html(
        head="".join(f'<meta name="author" content="Author{i} Person{i}">' for i in range(10_000))
    ).encode(),
    "same-author-metas": page_html(
        head='<meta name="author" content="Jane Doe">' * 10_000
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PAGES))
def test_hostile_pages_extract_without_a_traceback(name: str) -> None:
    extraction = extract(
        HOSTILE_PAGES[name], headers=(("Content-Type", "text/html; charset=utf-8"),)
    )
    assert PROSE.strip()[:60] in extraction.text
    from warcite.extract import extraction_as_dict

    # everything extracted can be written as UTF-8 (a record, the CLI's output)
    json.dumps(extraction_as_dict(extraction), ensure_ascii=False).encode("utf-8")
    assert len(extraction.authors) <= 256


def test_lone_surrogates_become_replacement_characters() -> None:
    extraction = extract(HOSTILE_PAGES["lone-surrogates"], headers=(("Content-Type", "text/html"),))
    assert extraction.title is not None
    assert any(found.value == "A Hostile \ufffdArticle" for found in extraction.title.candidates)


def test_many_author_metas_keep_the_first_authors() -> None:
    extraction = extract(HOSTILE_PAGES["author-metas"], headers=(("Content-Type", "text/html"),))
    assert extraction.authors[0].name == "Author0 Person0"
    same = extract(HOSTILE_PAGES["same-author-metas"], headers=(("Content-Type", "text/html"),))
    assert [person.name for person in same.authors] == ["Jane Doe"]


def test_nul_bytes_in_a_transcript_become_replacement_characters() -> None:
    text = f"A Transcript\n\n{PROSE}\x00\n\n{PROSE}\n"
    document = decode_body(text.encode(), headers=(("Content-Type", "text/plain"),))
    assert "\x00" not in document.text and "\ufffd" in document.text


def test_a_50_mb_json_ld_is_no_crash() -> None:
    html = page_html(head=_ld('{"@type": "NewsArticle", "headline": "' + "x" * 50_000_000 + '"}'))
    try:
        extraction = extract(html.encode(), headers=(("Content-Type", "text/html"),))
    except ExtractionError as error:
        assert "no article text found" in str(error)
    else:
        assert PROSE.strip()[:60] in extraction.text


@pytest.mark.parametrize(
    "name", ["lone-surrogates", "deep-json-ld", "nul-bytes", "invalid-utf8", "author-metas"]
)
def test_hostile_pages_through_extract_record_and_validate(
    project: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (project / "archive" / f"{name}.warc").write_bytes(
        warc_record(
            http_response(HOSTILE_PAGES[name], [("Content-Type", "text/html")]),
        )
    )
    before = snapshot(project)
    code, out, err = run_cli(project, monkeypatch, "extract", f"archive/{name}.warc")
    assert code == 0, err
    assert PROSE.strip()[:60] in json.loads(out)["text"]
    assert snapshot(project) == before
    code, out, err = run_cli(project, monkeypatch, "record", f"archive/{name}.warc")
    assert code == 0, err
    after = snapshot(project)
    created = sorted(set(after) - set(before))
    assert len(created) == 3, created  # the record, its text and its seal
    stem = created[0].removesuffix(".json")
    assert created == [f"{stem}.json", f"{stem}.sha512", f"{stem}.txt"], created
    assert stem.startswith("records/") and "/" not in stem.removeprefix("records/"), created
    assert {path: digest for path, digest in after.items() if path in before} == before
    assert (project / ".warcite.lock").read_bytes() == b""  # the project lock: empty
    record = json.loads((project / created[0]).read_text(encoding="utf-8"))
    assert record["schema_version"]
    code, out, err = run_cli(project, monkeypatch, "validate", "--deep")
    assert code == 0, out + err
    assert snapshot(project) == after


def test_invalid_utf8_in_warc_headers(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A target URI with invalid UTF-8 bytes: extraction reads it, and the record states it
    as a URI of exactly those bytes (percent-encoded), not of the ISO-8859-1 characters
    warcio decoded them to."""
    (project / "archive" / "uri.warc").write_bytes(
        warc_record(
            http_response(page_html().encode(), [("Content-Type", "text/html; charset=\xff")]),
            uri=b"http://example.org/2024/01/\xff\xfe\xed\xa0\x80-article",
        )
    )
    code, out, err = run_cli(project, monkeypatch, "extract", "archive/uri.warc")
    assert code == 0, err
    assert PROSE.strip()[:60] in json.loads(out)["text"]
    code, out, err = run_cli(project, monkeypatch, "record", "archive/uri.warc", "--id", "uri")
    assert code == 0, err
    record = json.loads((project / "records" / "uri.json").read_text(encoding="utf-8"))
    exact = "http://example.org/2024/01/%FF%FE%ED%A0%80-article"
    assert record["capture"]["target_uri"] == exact
    assert record["work"]["url"] == exact
    code, out, err = run_cli(project, monkeypatch, "validate", "records/uri.json")
    assert code == 0, out + err
    # the WARC itself breaks WARC 1.1 (section 4: field values are UTF-8): --deep says so
    code, out, err = run_cli(project, monkeypatch, "validate", "--deep", "records/uri.json")
    assert code == 5
    assert "a field value is not UTF-8" in out + err


def test_a_brotli_decoder_that_cannot_bound_its_output_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """brotli < 1.2 has no output_buffer_limit: br is refused, never decoded unbounded."""

    class UnboundedDecompressor:
        def process(self, data: bytes) -> bytes:  # no output_buffer_limit
            raise AssertionError("an unbounded decoder must not be called")

    class OldBrotli:
        Decompressor = UnboundedDecompressor
        error = Exception

    monkeypatch.setitem(sys.modules, "brotli", OldBrotli)
    codings.brotli_bounded.cache_clear()
    try:
        with pytest.raises(codings.DecoderMissing, match=r"brotli>=1\.2"):
            decode_codings(brotli_bomb(2), ["br"])
        with pytest.raises(ExtractionError, match="cannot bound its output"):
            decode_body(b"\x0b\x02\x80hello\x03", headers=(("Content-Encoding", "br"),))
    finally:
        codings.brotli_bounded.cache_clear()


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": lambda data: gzip.compress(data, mtime=0),
    "deflate": zlib.compress,
    "br": lambda data: brotli.compress(data),
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


@given(
    data=st.binary(max_size=3000),
    stack=st.lists(st.sampled_from(sorted(ENCODERS)), min_size=1, max_size=3),
    cuts=st.lists(st.integers(min_value=1, max_value=200), max_size=20),
)
def test_any_stack_round_trips_whatever_the_input_pieces(
    data: bytes, stack: list[str], cuts: list[int]
) -> None:
    body = data
    for coding in stack:
        body = ENCODERS[coding](body)
    assert decode_codings(body, stack) == data
    pieces, position = [], 0
    for cut in cuts:
        pieces.append(body[position : position + cut])
        position += cut
    pieces.append(body[position:])
    assert b"".join(codings.iter_decoded(pieces, stack)) == data
    if data:
        with pytest.raises(DecodedTooLarge):
            decode_codings(body, stack, limit=len(data) - 1)


@given(st.binary(max_size=400), st.sampled_from(sorted(ENCODERS)))
def test_arbitrary_bytes_decode_or_fail_cleanly(data: bytes, coding: str) -> None:
    """Never another exception (zlib.error, brotli.error, ZstdError leak as themselves)."""
    try:
        output = decode_codings(data, [coding], limit=MIB)
    except DecodingError as error:
        assert coding in str(error)
    else:
        assert len(output) <= MIB

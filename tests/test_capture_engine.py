"""The capture engine (issue 9): keep-alive, concurrency, HTTP/1.0, CA bundles, WARC-Date,
percent-encoded target URIs, progress.  Loopback servers only; nothing here is timed
(speed and memory are measured by bench/capture.py)."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import re
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from conftest import TEST_DATA
from fixture_server import FixtureServer, chunked, http_response
from warcite.capture import CaptureProgress, capture
from warcite.cli import cli
from warcite.core.warc.pages import read_page
from warcite.core.warc.records import check_record_digests, iter_records

HTML_TYPE = [("Content-Type", "text/html")]
PNG_TYPE = [("Content-Type", "image/png")]


def records(path: Path) -> list[tuple[dict[str, str], bytes]]:
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            out.append((dict(record.rec_headers.headers), record.raw_stream.read()))
    return out


def sound(path: Path) -> None:
    for record in iter_records(path):
        assert check_record_digests(record) == [], record.info


@pytest.fixture
def keep_alive_server() -> Iterator[FixtureServer]:
    with FixtureServer(keep_alive=True) as running:
        yield running


def site(server: FixtureServer, count: int) -> dict[str, bytes]:
    """A page naming ``count`` images; returns path -> exact bytes written for it."""
    images = "".join(f"<img src='/img/{n}.png'>" for n in range(count))
    wire = {
        "/": server.route(
            "/", http_response(200, "OK", HTML_TYPE, f"<html><body>{images}".encode())
        )
    }
    for n in range(count):
        body = bytes([n]) * (100 + n)
        if n % 2:  # some chunked, some with Content-Length
            response = http_response(
                200, "OK", [*PNG_TYPE, ("Transfer-Encoding", "chunked")]
            ) + chunked(body, 33)
        else:
            response = http_response(200, "OK", PNG_TYPE, body)
        wire[f"/img/{n}.png"] = server.route(f"/img/{n}.png", response)
    wire["/favicon.ico"] = server.route(
        "/favicon.ico", http_response(200, "OK", [("Content-Type", "image/x-icon")], b"ico")
    )
    return wire


def test_connections_are_kept_alive_and_every_exchange_is_exact(
    keep_alive_server: FixtureServer, tmp_path: Path
) -> None:
    server = keep_alive_server
    wire = site(server, 12)
    result = capture(server.url("/"), archive_dir=tmp_path, workers=1, timeout=5)
    assert server.connections == 1  # 14 requests, one connection
    assert len(server.requests) == 14
    sound(result.path)
    requests_sent = {path: raw for path, raw in server.requests}
    for headers, block in records(result.path):
        if headers["WARC-Type"] == "response":
            path = "/" + headers["WARC-Target-URI"].split("/", 3)[3]
            assert block == wire[path], path  # the response bytes exactly as written
        if headers["WARC-Type"] == "request":
            path = "/" + headers["WARC-Target-URI"].split("/", 3)[3]
            assert block == requests_sent[path]
            assert b"Connection: close" not in block
    timings = [
        line for line in records(result.path)[-1][1].decode().splitlines() if "timing" in line
    ]
    assert sum("connect-ms=0 " in line for line in timings) >= 13  # reused: no connect


def test_requisites_are_fetched_concurrently_within_the_per_host_limit(
    tmp_path: Path,
) -> None:
    """The server holds each image until several requests are in flight at once."""
    active = 0
    peak = 0
    lock = threading.Lock()
    enough = threading.Event()

    def image(connection: socket.socket, stop: threading.Event) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
            if active >= 3:
                enough.set()
        enough.wait(2)
        connection.sendall(http_response(200, "OK", PNG_TYPE, b"png"))
        with lock:
            active -= 1

    with FixtureServer() as server:
        images = "".join(f"<img src='/{n}.png'>" for n in range(9))
        server.route("/", http_response(200, "OK", HTML_TYPE, images.encode()))
        for n in range(9):
            server.route(f"/{n}.png", b"", handler=image)
        result = capture(server.url("/"), archive_dir=tmp_path, workers=3, timeout=10)
        expected = [server.url(f"/{n}.png") for n in range(9)]
    assert enough.is_set() and peak == 3  # three at once, never more
    targets = [
        h["WARC-Target-URI"] for h, _ in records(result.path) if h["WARC-Type"] == "response"
    ]
    assert targets[1:10] == expected  # in the page's order


def test_connections_for_the_requisites_are_opened_while_the_page_is_fetched(
    tmp_path: Path,
) -> None:
    """The server answers the page only once three connections are open: the capture
    preconnects its workers' connections instead of opening them after the page."""
    with FixtureServer(keep_alive=True) as server:
        images = "".join(f"<img src='/{n}.png'>" for n in range(9))

        def page(connection: socket.socket, stop: threading.Event) -> None:
            for _ in range(200):
                if server.connections >= 3 or stop.is_set():
                    break
                stop.wait(0.01)
            if server.connections < 3:  # the requisites' connections were not opened yet
                connection.sendall(http_response(503, "Not Yet", HTML_TYPE, b"no"))
                return
            connection.sendall(http_response(200, "OK", HTML_TYPE, images.encode()))

        server.route("/", b"", handler=page)
        for n in range(9):
            server.route(f"/{n}.png", http_response(200, "OK", PNG_TYPE, b"png"))
        result = capture(server.url("/"), archive_dir=tmp_path, workers=3, timeout=5)
        opened = server.connections
    assert opened >= 3
    assert opened <= 4  # the three preconnected, and one for the page's (closed) connection
    responses = [h for h, _ in records(result.path) if h["WARC-Type"] == "response"]
    assert len(responses) == 11  # the page, nine images and /favicon.ico (a 404)
    sound(result.path)


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_a_host_gets_at_most_workers_connections(tmp_path: Path, workers: int) -> None:
    with FixtureServer(keep_alive=True) as server:
        site(server, 20)
        capture(server.url("/"), archive_dir=tmp_path, workers=workers, timeout=5)
        assert server.connections <= workers


def test_no_connection_is_preconnected_without_requisites_or_with_http_1_0(
    keep_alive_server: FixtureServer, tmp_path: Path
) -> None:
    site(keep_alive_server, 3)
    capture(keep_alive_server.url("/"), archive_dir=tmp_path / "a", requisites=False)
    assert keep_alive_server.connections == 1


def test_the_same_site_gives_the_same_records_whatever_the_concurrency(
    tmp_path: Path,
) -> None:
    def fixed_clock() -> datetime:
        return datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)

    def ids() -> Iterator[str]:
        for number in range(1, 10_000):
            yield f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"

    outputs = []
    with FixtureServer(keep_alive=True) as server:
        site(server, 20)
        for workers in (1, 4, 8):
            counter = ids()
            result = capture(
                server.url("/"),
                archive_dir=tmp_path / str(workers),
                workers=workers,
                clock=fixed_clock,
                new_record_id=counter.__next__,
                hostname="h",
            )
            outputs.append(
                [
                    (h["WARC-Type"], h.get("WARC-Target-URI"), h["WARC-Record-ID"], block)
                    for h, block in records(result.path)
                    if h["WARC-Type"] in ("response",)
                ]
            )
    assert outputs[0] == outputs[1] == outputs[2]


def test_http_1_0_requests_get_answers_warcio_check_accepts(tmp_path: Path) -> None:
    """A server that answers HTTP/1.1 requests chunked and HTTP/1.0 requests with a length."""

    def answer(connection: socket.socket, stop: threading.Event) -> None:
        body = b"<html><body><p>Versioned.</p></body></html>"
        connection.sendall(
            http_response(200, "OK", [*HTML_TYPE, ("Transfer-Encoding", "chunked")]) + chunked(body)
        )

    def answer_by_version(connection: socket.socket, stop: threading.Event) -> None:
        request = server.requests[-1][1]
        if request.startswith(b"GET / HTTP/1.0\r\n"):
            body = b"<html><body><p>Versioned.</p></body></html>"
            connection.sendall(
                http_response(200, "OK", HTML_TYPE, body).replace(b"HTTP/1.1", b"HTTP/1.0", 1)
            )
        else:
            answer(connection, stop)

    with FixtureServer() as server:
        server.route("/", b"", handler=answer_by_version)
        one_one = capture(server.url("/"), archive_dir=tmp_path / "11", requisites=False)
        one_zero = capture(
            server.url("/"), archive_dir=tmp_path / "10", requisites=False, http_version="1.0"
        )
    assert server.requests[0][1].startswith(b"GET / HTTP/1.1\r\n")
    assert server.requests[1][1].startswith(b"GET / HTTP/1.0\r\n")

    def warcio_check(path: Path) -> int:
        return subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)],
            capture_output=True,
            check=False,
        ).returncode

    assert warcio_check(one_one.path) != 0  # warcio issue #74: chunked payload digests
    assert warcio_check(one_zero.path) == 0
    info = records(one_zero.path)[0][1]
    assert b"http-version: 1.0\r\n" in info
    assert read_page(one_zero.path).body == read_page(one_one.path).body


def test_cli_http1_0_flag(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.route("/", http_response(200, "OK", HTML_TYPE, b"<p>x"))
        result = CliRunner().invoke(
            cli, ["capture", server.url("/"), "--archive-dir", str(tmp_path), "--http1.0", "-q"]
        )
    assert result.exit_code == 0, result.output
    assert server.requests[0][1].startswith(b"GET / HTTP/1.0\r\n")


def tls_server_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(
        TEST_DATA / "capture_selfsigned.pem", TEST_DATA / "capture_selfsigned.key"
    )
    return context


def test_ca_bundle_option(tmp_path: Path) -> None:
    with FixtureServer(tls_context=tls_server_context(), keep_alive=True) as server:
        site(server, 3)
        refused = CliRunner().invoke(
            cli, ["capture", server.url("/"), "--archive-dir", str(tmp_path / "no")]
        )
        before = server.connections
        accepted = CliRunner().invoke(
            cli,
            [
                "capture",
                server.url("/"),
                "--archive-dir",
                str(tmp_path / "yes"),
                "--ca-bundle",
                str(TEST_DATA / "capture_selfsigned.pem"),
                "--workers",
                "1",
            ],
        )
        missing = CliRunner().invoke(
            cli, ["capture", server.url("/"), "--ca-bundle", str(tmp_path / "none.pem")]
        )
    assert refused.exit_code == 3 and "certificate verification failed" in refused.stderr
    assert "--ca-bundle" in refused.stderr
    assert not (tmp_path / "no").exists()
    assert accepted.exit_code == 0, accepted.output
    sound(Path(accepted.stdout.strip()))
    assert server.connections - before == 1  # one TLS connection: page and requisites
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_ssl_cert_file_is_honoured(tmp_path: Path) -> None:
    """Without --ca-bundle, OpenSSL's SSL_CERT_FILE replaces the system's trust store."""
    with FixtureServer(tls_context=tls_server_context()) as server:
        server.route("/", http_response(200, "OK", HTML_TYPE, b"<p>x"))
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "warcite",
                "capture",
                server.url("/"),
                "--archive-dir",
                str(tmp_path),
                "--no-requisites",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={
                "SSL_CERT_FILE": str(TEST_DATA / "capture_selfsigned.pem"),
                "PATH": "/usr/bin:/bin",
            },
            timeout=60,
        )
    assert completed.returncode == 0, completed.stderr


def test_warc_date_has_sub_second_precision(tmp_path: Path) -> None:
    moments = iter(
        datetime(2026, 11, 26, 12, 0, 0, microsecond, tzinfo=timezone.utc)
        for microsecond in range(123456, 10**6, 1000)
    )
    with FixtureServer() as server:
        server.route("/", http_response(200, "OK", HTML_TYPE, b"<p>x"))
        result = capture(
            server.url("/"), archive_dir=tmp_path, requisites=False, clock=lambda: next(moments)
        )
    dates = [h["WARC-Date"] for h, _ in records(result.path)]
    assert dates[0] == "2026-11-26T12:00:00.123456Z"
    assert all(re.fullmatch(r"2026-11-26T12:00:00\.\d{6}Z", date) for date in dates), dates
    assert result.path.name.endswith("-20261126120000.warc.gz")


def test_requisite_target_uris_are_percent_encoded_as_requested(tmp_path: Path) -> None:
    page = "<img src='/a b/é.png'><img src='/q?x=ü y'><link rel=icon href='/i%20x.ico'>"
    with FixtureServer() as server:
        server.route(
            "/",
            http_response(200, "OK", [("Content-Type", "text/html; charset=utf-8")], page.encode()),
        )
        for path in ("/a%20b/%C3%A9.png", "/q?x=%C3%BC%20y", "/i%20x.ico"):
            server.route(path, http_response(200, "OK", PNG_TYPE, b"png"))
        result = capture(server.url("/"), archive_dir=tmp_path)
        base = server.url("")
    sent = {path for path, _ in server.requests}
    assert sent == {"/", "/a%20b/%C3%A9.png", "/q?x=%C3%BC%20y", "/i%20x.ico"}
    targets = {
        h["WARC-Target-URI"] for h, _ in records(result.path) if h["WARC-Type"] == "response"
    }
    assert targets == {base + path for path in sent}
    for headers, block in records(result.path):
        if headers["WARC-Type"] == "request":  # the request-target is the recorded URI's
            target = block.split(b" ", 2)[1].decode()
            assert headers["WARC-Target-URI"] == base + target


def test_progress_is_reported_and_the_cli_is_silent_off_a_terminal(tmp_path: Path) -> None:
    seen: list[CaptureProgress] = []
    with FixtureServer(keep_alive=True) as server:
        site(server, 5)
        capture(server.url("/"), archive_dir=tmp_path / "lib", progress=seen.append)
        cli_run = CliRunner().invoke(
            cli, ["capture", server.url("/"), "--archive-dir", str(tmp_path / "cli")]
        )
    assert seen[-1].requisites_done == seen[-1].requisites_total == 6
    assert [p.requisites_done for p in seen] == sorted(p.requisites_done for p in seen)
    assert seen[-1].bytes_received > 0
    assert cli_run.exit_code == 0 and cli_run.stderr == ""  # not a terminal: no progress


def test_a_large_body_is_spooled_and_its_digests_are_right(tmp_path: Path) -> None:
    body = bytes(range(256)) * 40_000  # 10 MB
    with FixtureServer() as server:
        wire = server.route(
            "/big", http_response(200, "OK", [("Content-Type", "application/octet-stream")], body)
        )
        result = capture(server.url("/big"), archive_dir=tmp_path, max_bytes=20_000_000)
    response = next((h, b) for h, b in records(result.path) if h["WARC-Type"] == "response")
    assert response[1] == wire
    assert response[0]["WARC-Payload-Digest"] == "sha256:" + hashlib.sha256(body).hexdigest()
    assert response[0]["WARC-Block-Digest"] == "sha256:" + hashlib.sha256(wire).hexdigest()


@pytest.mark.parametrize("sizes", [[5, 3], [8, 1, 7], [20], [3, 30_000, 4]])
def test_a_spool_reads_back_what_was_appended_in_memory_and_past_its_limit(
    tmp_path: Path, sizes: list[int]
) -> None:
    from warcite.capture.spool import Spool

    spool = Spool(tmp_path, memory_limit=10)
    pieces = [bytes([n % 251]) * size for n, size in enumerate(sizes)]
    offsets = [spool.append(piece) for piece in pieces]
    try:
        for piece, offset in zip(pieces, offsets, strict=True):
            assert b"".join(spool.read(offset, len(piece))) == piece
        assert b"".join(spool.read(0, spool.size)) == b"".join(pieces)
        assert list(tmp_path.iterdir()) == []  # on the disk, it has no name
    finally:
        spool.close()


@pytest.mark.parametrize(
    "size", [1, 511, 512, 513, 4096, 32_767, 32_768, 32_769, 100_000, (1 << 20) + 1]
)
def test_records_of_every_size_are_gzip_members_others_read(tmp_path: Path, size: int) -> None:
    """Small records get a window sized to them, large ones are streamed: both are
    standard gzip members that gzip and warcio read back byte for byte."""
    from warcite.capture.writer import ArchiveFile, RecordDraft

    block = (bytes(range(256)) * (size // 256 + 1))[:size]
    archive = ArchiveFile(tmp_path, "sizes.warc.gz")
    try:
        archive.write(
            RecordDraft(
                "resource",
                "<urn:uuid:1>",
                "2026-12-01T00:00:00Z",
                "urn:x:1",
                "application/octet-stream",
                block,
            )
        )
        path = archive.publish(lambda name: pytest.fail("the name is free"))
    finally:
        archive.close()
    assert gzip.decompress(path.read_bytes()).endswith(block + b"\r\n\r\n")
    with path.open("rb") as stream:
        contents = [record.content_stream().read() for record in ArchiveIterator(stream)]
    assert contents == [block]


TRICKY_HTML = (
    "<!DOCTYPE html><HTML><head><!-- <img src='/in-comment.png'> -->"
    "<script>var s = \"<img src='/in-script.png'>\"; if (a<b) {}</script>"
    "<STYLE>p{background:url(/bg.png)}</STYLE><title><img src='/in-title.png'></title>"
    "<link REL=stylesheet HREF=/a.css><link rel='shortcut icon' href=\"/i.ico\"></head>"
    "<body><IMG SRC=/unquoted.png><img src='/q&amp;a.png' src='/second.png'>"
    "<img alt='a > b' src='/after-gt.png'><img srcset='/s1.png 1x, /s2.png 2x'>"
    "<p>a < b and <notatag</p><img src=\"/é.png\"><img src='/x.png'/>"
    "<textarea><img src='/in-textarea.png'></textarea><? pi ?><![CDATA[ x ]]>"
    "<img src='/last.png'>"
)
TRICKY_EXPECTED = [
    "/bg.png",
    "/a.css",
    "/i.ico",
    "/unquoted.png",
    "/q&a.png",
    "/after-gt.png",
    "/s1.png",
    "/s2.png",
    "/%C3%A9.png",
    "/x.png",
    "/last.png",
]


def test_the_html_scanner_finds_what_a_browser_would() -> None:
    from warcite.capture import find_requisites

    found = find_requisites(TRICKY_HTML.encode("utf-8"), "https://example.org/page")
    assert found == ["https://example.org" + path for path in TRICKY_EXPECTED]


@given(st.lists(st.integers(min_value=1, max_value=len(TRICKY_HTML.encode())), max_size=12))
def test_the_html_scanner_does_not_depend_on_how_the_page_arrives(cuts: list[int]) -> None:
    from warcite.capture.html import HtmlRequisiteFinder

    data = TRICKY_HTML.encode("utf-8")
    points = sorted({0, *cuts, len(data)})
    finder = HtmlRequisiteFinder("utf-8")
    for start, end in itertools.pairwise(points):
        finder.feed(data[start:end])
    found = [r.url for r in finder.requisites("https://example.org/page")]
    assert found == ["https://example.org" + path for path in TRICKY_EXPECTED]


def test_an_unclosed_comment_or_tag_does_not_make_scanning_slow() -> None:
    from warcite.capture.html import HtmlRequisiteFinder

    for opening in (b"<!--", b"<img src='", b"<script>", b"<a ", b"<a", b"<!-", b"</", b"<"):
        finder = HtmlRequisiteFinder("utf-8")
        finder.feed(b"<img src='/first.png'>" + opening)
        for _ in range(300):  # 20 MB after it, in pieces: linear, never rescanned
            finder.feed(b"x" * 65536)
        found = [r.url for r in finder.requisites("https://example.org/")]
        assert found[0] == "https://example.org/first.png"


def test_the_warcinfo_names_the_installed_warcio() -> None:
    from importlib.metadata import version

    from warcite.capture.common import software_name

    assert f"(warcio/{version('warcio')}; Python/" in software_name()


def test_progress_line_on_a_terminal() -> None:
    import io

    from warcite.capture import stderr_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert stderr_progress(io.StringIO()) is None  # not a terminal: silent
    screen = Terminal()
    show = stderr_progress(screen)
    assert show is not None
    show(CaptureProgress(0, 3, 0))
    show(CaptureProgress(3, 3, 2_500_000))
    text = screen.getvalue()
    assert text.startswith("\rrequisites 0/3, 0 B")
    assert text.endswith("\rrequisites 3/3, 2.5 MB\n")


@pytest.mark.parametrize(
    "filler", [b"<a", b"< ", b"<!-", b"</ ", b"<a b='", b'<x y="', b"<<<", b"=\"'>"]
)
def test_pathological_markup_is_scanned_in_linear_time(filler: bytes) -> None:
    """4 MB of one pattern between two images: done in one pass (a quadratic scan of it
    would not finish), and the images around it are found when the markup allows."""
    from warcite.capture.html import HtmlRequisiteFinder

    finder = HtmlRequisiteFinder("utf-8")
    finder.feed(b"<img src='/before.png'>")
    piece = filler * (65536 // len(filler))
    for _ in range(64):
        finder.feed(piece)
    finder.feed(b"><img src='/after.png'>")
    found = [r.url for r in finder.requisites("https://example.org/")]
    assert found[0] == "https://example.org/before.png"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "br", "zstd"])
def test_streaming_decoders_round_trip_and_stop_at_their_limit(coding: str) -> None:
    import zlib

    import brotli
    import zstandard

    from warcite.capture.decoding import PIECE, DecodeLimitError, DecoderChain

    data = bytes(range(256)) * 20_000 + b"\0" * 5_000_000
    if coding == "gzip":
        encoded = gzip.compress(data)
    elif coding == "deflate":
        encoded = zlib.compress(data)
    elif coding == "raw-deflate":
        compressor = zlib.compressobj(wbits=-15)
        encoded = compressor.compress(data) + compressor.flush()
    elif coding == "br":
        encoded = brotli.compress(data)
    else:
        encoded = zstandard.ZstdCompressor().compress(data)
    name = "deflate" if coding == "raw-deflate" else coding
    chain = DecoderChain([name], len(data), transfer=False)
    pieces = [
        piece
        for start in range(0, len(encoded), 999)
        for piece in chain.feed(encoded[start : start + 999])
    ]
    pieces += list(chain.finish())
    assert b"".join(pieces) == data
    assert max(len(piece) for piece in pieces) <= 3 * PIECE  # a bomb expands piece by piece
    with pytest.raises(DecodeLimitError, match="exceeds 1000000 bytes"):
        limited = DecoderChain([name], 1_000_000, transfer=False)
        for _ in limited.feed(encoded):
            pass
        for _ in limited.finish():
            pass

"""`warcite capture`: live HTTP captures against a byte-level fixture server on 127.0.0.1.

Expected digests are computed here with hashlib from the bytes the fixture server wrote,
never with warcite's own digest code.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import socket
import ssl
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from conftest import TEST_DATA
from fixture_server import FixtureServer, chunked, http_response, unused_port
from warcite.capture import (
    MAX_CSS_IMPORT_DEPTH,
    CssReference,
    capture,
    find_css_references,
    find_requisites,
    scan_css_references,
)
from warcite.cli import cli
from warcite.core.errors import CaptureError, UsageError
from warcite.core.models import CaptureResult
from warcite.core.warc.pages import read_page

FIXED_TIME = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)
FIXED_DATE = "2026-11-26T12:00:00Z"
HOST = "testhost"
AGENT = "warcite-test/1.0"

HTML = (
    b"<!DOCTYPE html><html lang=en><head><title>A page</title></head>"
    b"<body><article><h1>A page</h1><p>First paragraph of the article.</p>"
    b"<p>Second paragraph, with enough words to be a paragraph.</p></article></body></html>"
)


def fixed_clock() -> datetime:
    return FIXED_TIME


def sequential_ids() -> Callable[[], str]:
    counter = iter(range(1, 10_000))
    return lambda: f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>"


def rid(number: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def dechunk_for_test(data: bytes) -> bytes:
    """An independent chunked decoder (for expected digests), strict about the framing."""
    out = bytearray()
    while True:
        line, _, data = data.partition(b"\r\n")
        size = int(line.split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[:size]
        assert data[size : size + 2] == b"\r\n"
        data = data[size + 2 :]


def records_of(path: Path) -> list[tuple[list[tuple[str, str]], bytes]]:
    """(WARC headers in order, raw block) of every record, read by warcio."""
    result = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            result.append((list(record.rec_headers.headers), record.raw_stream.read()))
    return result


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name.lower()), None)


def expected_payload(record_type: str, block: bytes) -> bytes | None:
    """The payload WARC 1.1 digests, worked out here independently of warcite."""
    if record_type in ("warcinfo", "metadata"):
        return None
    if record_type == "resource":
        return block
    head, _, body = block.partition(b"\r\n\r\n")
    while re.match(rb"HTTP/1\.1 1\d\d ", head) and not head.startswith(b"HTTP/1.1 101"):
        head, _, body = body.partition(b"\r\n\r\n")  # interim 1xx responses
    if re.search(rb"(?im)^transfer-encoding:\s*chunked\s*$", head):
        return dechunk_for_test(body)
    return body


def assert_digests_are_independently_right(path: Path) -> None:
    """Every record's block digest, and payload digest where one belongs, checked with hashlib."""
    for headers, block in records_of(path):
        record_type = header(headers, "WARC-Type") or ""
        assert header(headers, "WARC-Block-Digest") == sha256(block)
        payload = expected_payload(record_type, block)
        if payload is None:
            assert header(headers, "WARC-Payload-Digest") is None
        else:
            assert header(headers, "WARC-Payload-Digest") == sha256(payload), record_type


def warcio_reads_everything(path: Path) -> int:
    """Read every record with warcio's default (HTTP-parsing, decoding) iterator."""
    count = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            record.content_stream().read()
            count += 1
    return count


def warcio_check_failures(path: Path) -> set[str]:
    """Record IDs that `warcio check` reports as failing."""
    completed = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    failures: set[str] = set()
    current = None
    for line in completed.stdout.splitlines():
        match = re.search(r"WARC-Record-ID (<[^>]+>)", line)
        if match:
            current = match.group(1)
        elif "failed" in line and current:
            failures.add(current)
    assert (completed.returncode != 0) == bool(failures), completed.stdout + completed.stderr
    return failures


def fields(block: bytes) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, _, value in (line.partition(": ") for line in block.decode().split("\r\n"))
        if name
    ]


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


def run(url: str, archive_dir: Path, **options: Any) -> CaptureResult:
    settings: dict[str, Any] = {
        "archive_dir": archive_dir,
        "timeout": 5.0,
        "max_bytes": 1_000_000,
        "user_agent": AGENT,
        "requisites": False,
        "keep_errors": False,
        "max_redirects": 5,
        "clock": fixed_clock,
        "new_record_id": sequential_ids(),
        "hostname": HOST,
    }
    settings.update(options)
    result = capture(url, **settings)
    if result.truncated is None:  # (truncated bodies are checked by their own tests)
        assert_digests_are_independently_right(result.path)
        assert warcio_reads_everything(result.path) == len(result.records)
    return result


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- plain 200


def test_plain_200_is_archived_exactly(server: FixtureServer, archive_dir: Path) -> None:
    wire = server.route(
        "/article", http_response(200, "OK", [("Content-Type", "text/html; charset=utf-8")], HTML)
    )
    url = server.url("/article")
    result = run(url, archive_dir)

    assert result.path == archive_dir / "127-0-0-1-article-20261126120000.warc.gz"
    assert listing(archive_dir) == [result.path.name]
    assert (result.method, result.status, result.truncated) == ("http-capture", 200, None)
    assert result.final_uri == url and result.main_record_id == rid(3)

    records = records_of(result.path)
    assert [header(h, "WARC-Type") for h, _ in records] == [
        "warcinfo",
        "request",
        "response",
        "metadata",
    ]
    (info_h, info_b), (req_h, req_b), (resp_h, resp_b), (meta_h, meta_b) = records
    assert resp_b == wire
    assert req_b == server.requests[0][1]
    assert resp_h == [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", rid(3)),
        ("WARC-Date", FIXED_DATE),
        ("WARC-Target-URI", url),
        ("WARC-Warcinfo-ID", rid(1)),
        ("WARC-IP-Address", "127.0.0.1"),
        ("WARC-Concurrent-To", rid(2)),
        ("WARC-Block-Digest", sha256(wire)),
        ("WARC-Payload-Digest", sha256(HTML)),
        ("Content-Type", "application/http; msgtype=response"),
        ("Content-Length", str(len(wire))),
    ]
    assert req_h == [
        ("WARC-Type", "request"),
        ("WARC-Record-ID", rid(2)),
        ("WARC-Date", FIXED_DATE),
        ("WARC-Target-URI", url),
        ("WARC-Warcinfo-ID", rid(1)),
        ("WARC-IP-Address", "127.0.0.1"),
        ("WARC-Concurrent-To", rid(3)),
        ("WARC-Block-Digest", sha256(req_b)),
        ("WARC-Payload-Digest", sha256(b"")),
        ("Content-Type", "application/http; msgtype=request"),
        ("Content-Length", str(len(req_b))),
    ]
    assert header(meta_h, "WARC-Refers-To") == rid(3)
    assert header(meta_h, "Content-Type") == "application/warc-fields"
    assert header(meta_h, "WARC-Payload-Digest") is None
    assert header(info_h, "WARC-Payload-Digest") is None
    assert header(info_h, "WARC-Filename") == result.path.name
    for headers, block in records:
        assert header(headers, "WARC-Block-Digest") == sha256(block)
        assert header(headers, "Content-Length") == str(len(block))
        assert headers[0] == ("WARC-Type", header(headers, "WARC-Type"))

    info = dict(fields(info_b))
    assert info["format"] == "WARC File Format 1.1"
    assert info["conformsTo"].endswith("warc-1.1/")
    assert info["hostname"] == HOST
    assert info["http-header-user-agent"] == AGENT
    assert info["software"].startswith("warcite/")
    assert "transfer-coding removed" in info["payload-digest-convention"]
    meta = fields(meta_b)
    assert ("method", "http-capture") in meta
    assert ("final-uri", url) in meta
    assert ("http-status", "200") in meta
    assert ("outcome", "complete") in meta
    assert ("user-agent", AGENT) in meta

    request_text = req_b.decode("ascii")
    assert request_text.startswith("GET /article HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}\r\n" in request_text
    assert f"User-Agent: {AGENT}\r\n" in request_text
    assert re.search(r"Accept-Encoding: gzip, deflate(, br)?(, zstd)?\r\n", request_text)

    assert warcio_reads_everything(result.path) == 4
    assert warcio_check_failures(result.path) == set()


def test_same_inputs_write_the_same_bytes(server: FixtureServer, tmp_path: Path) -> None:
    server.route("/a", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    first = run(server.url("/a"), tmp_path / "one")
    second = run(server.url("/a"), tmp_path / "two")
    assert first.path.read_bytes() == second.path.read_bytes()


def test_warc_date_is_taken_before_the_request_is_sent(
    server: FixtureServer, archive_dir: Path
) -> None:
    server.route("/a", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    requests_seen: list[int] = []

    def ticking_clock() -> datetime:
        requests_seen.append(len(server.requests))
        return FIXED_TIME + timedelta(seconds=len(requests_seen))

    result = run(server.url("/a"), archive_dir, clock=ticking_clock)
    response = next(h for h, _ in records_of(result.path) if header(h, "WARC-Type") == "response")
    stamp = datetime.strptime(header(response, "WARC-Date") or "", "%Y-%m-%dT%H:%M:%SZ")
    call = round((stamp.replace(tzinfo=timezone.utc) - FIXED_TIME).total_seconds())
    assert requests_seen[call - 1] == 0  # the server had not yet received the request
    assert requests_seen[-1] == 1


# --------------------------------------------------------------------------- codings


def test_chunked_response_keeps_framing_and_digests_the_dechunked_body(
    server: FixtureServer, archive_dir: Path
) -> None:
    body = chunked(HTML, size=13, extension=b";note=x")
    wire = server.route(
        "/chunked",
        http_response(200, "OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
        + body,
    )
    result = run(server.url("/chunked"), archive_dir)
    records = records_of(result.path)
    response_headers, response_block = records[2]
    assert response_block == wire
    assert header(response_headers, "WARC-Payload-Digest") == sha256(dechunk_for_test(body))
    assert header(response_headers, "WARC-Payload-Digest") != sha256(body)
    # warcio digests chunked bytes with their framing (warcio issue #74): only this fails.
    assert warcio_check_failures(result.path) == {result.main_record_id}
    assert read_page(result.path).body == HTML


def test_gzip_response_keeps_content_coding(server: FixtureServer, archive_dir: Path) -> None:
    compressed = gzip.compress(HTML, mtime=0)
    wire = server.route(
        "/gzip",
        http_response(
            200, "OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], compressed
        ),
    )
    result = run(server.url("/gzip"), archive_dir)
    response_headers, response_block = records_of(result.path)[2]
    assert response_block == wire
    assert header(response_headers, "WARC-Payload-Digest") == sha256(compressed)
    assert warcio_check_failures(result.path) == set()
    page = read_page(result.path)
    assert page.body == compressed  # content-coding kept for the extractor to undo
    assert gzip.decompress(page.body) == HTML


def test_chunked_gzip_response(server: FixtureServer, archive_dir: Path) -> None:
    compressed = zlib.compress(HTML)  # deflate content-coding, then chunked
    body = chunked(compressed, size=10)
    wire = server.route(
        "/cg",
        http_response(
            200,
            "OK",
            [
                ("Content-Type", "text/html"),
                ("Content-Encoding", "deflate"),
                ("Transfer-Encoding", "chunked"),
            ],
        )
        + body,
    )
    gz_body = chunked(gzip.compress(HTML, mtime=0), size=10)
    gz_wire = server.route(
        "/cgz",
        http_response(
            200,
            "OK",
            [
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
        )
        + gz_body,
    )
    for path, expected_wire, expected_body in (
        ("/cg", wire, compressed),
        ("/cgz", gz_wire, dechunk_for_test(gz_body)),
    ):
        folder = archive_dir / path.strip("/")
        result = run(server.url(path), folder)
        headers, block = records_of(result.path)[2]
        assert block == expected_wire
        assert header(headers, "WARC-Payload-Digest") == sha256(expected_body)
        assert warcio_check_failures(result.path) == {result.main_record_id}
        assert read_page(result.path).body == expected_body


# --------------------------------------------------------------------------- redirects


def test_redirect_chain_is_archived_hop_by_hop(server: FixtureServer, archive_dir: Path) -> None:
    first = server.route(
        "/old", http_response(301, "Moved Permanently", [("Location", "/middle")], b"")
    )
    second = server.route(
        "/middle", http_response(302, "Found", [("Location", server.url("/new"))], b"moved")
    )
    final = server.route("/new", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    result = run(server.url("/old"), archive_dir)

    assert result.final_uri == server.url("/new")
    assert result.redirects == (server.url("/old"), server.url("/middle"))
    records = records_of(result.path)
    types = [header(h, "WARC-Type") for h, _ in records]
    assert types == ["warcinfo"] + ["request", "response"] * 3 + ["metadata"]
    responses = [(h, b) for h, b in records if header(h, "WARC-Type") == "response"]
    requests = [(h, b) for h, b in records if header(h, "WARC-Type") == "request"]
    assert [b for _, b in responses] == [first, second, final]
    assert [header(h, "WARC-Target-URI") for h, _ in responses] == [
        server.url("/old"),
        server.url("/middle"),
        server.url("/new"),
    ]
    for (request_h, _), (response_h, _) in zip(requests, responses, strict=True):
        assert header(request_h, "WARC-Concurrent-To") == header(response_h, "WARC-Record-ID")
        assert header(response_h, "WARC-Concurrent-To") == header(request_h, "WARC-Record-ID")
        assert header(request_h, "WARC-Date") == header(response_h, "WARC-Date")
    metadata_h, metadata_b = records[-1]
    assert header(metadata_h, "WARC-Refers-To") == header(responses[-1][0], "WARC-Record-ID")
    meta = fields(metadata_b)
    assert [v for k, v in meta if k == "redirect"] == [
        f"301 {server.url('/old')} -> {server.url('/middle')}",
        f"302 {server.url('/middle')} -> {server.url('/new')}",
    ]
    assert read_page(result.path).url == server.url("/new")
    assert warcio_check_failures(result.path) == set()


def test_too_many_redirects_is_an_error_and_leaves_nothing(
    server: FixtureServer, archive_dir: Path
) -> None:
    server.route("/loop", http_response(302, "Found", [("Location", "/loop")]))
    with pytest.raises(CaptureError, match="more than 2 redirects"):
        run(server.url("/loop"), archive_dir, max_redirects=2)
    assert listing(archive_dir) == []


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_error_status_is_refused_unless_kept(
    server: FixtureServer, archive_dir: Path, status: int, reason: str
) -> None:
    wire = server.route(
        "/bad", http_response(status, reason, [("Content-Type", "text/html")], b"<h1>no</h1>")
    )
    archive_dir.mkdir()
    (archive_dir / "existing.warc.gz").write_bytes(b"keep me")
    with pytest.raises(CaptureError, match=rf"answered {status} {reason}.*--keep-errors"):
        run(server.url("/bad"), archive_dir)
    assert listing(archive_dir) == ["existing.warc.gz"]

    kept = run(server.url("/bad"), archive_dir, keep_errors=True)
    assert kept.status == status
    records = records_of(kept.path)
    assert records[2][1] == wire
    assert ("outcome", f"HTTP error {status} archived at the user's request (--keep-errors)") in (
        fields(records[-1][1])
    )


def test_refused_connection(archive_dir: Path) -> None:
    url = f"http://127.0.0.1:{unused_port()}/page"
    with pytest.raises(CaptureError, match=r"connection to 127\.0\.0\.1:\d+ was refused"):
        run(url, archive_dir)
    assert not archive_dir.exists()


def test_dns_failure(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(
        CaptureError, match=r"host name no-such-host\.invalid could not be resolved"
    ):
        run("http://no-such-host.invalid/page", archive_dir)
    assert not archive_dir.exists()


def test_non_http_answer(server: FixtureServer, archive_dir: Path) -> None:
    server.route("/ssh", b"SSH-2.0-OpenSSH_9.6\r\n")
    with pytest.raises(CaptureError, match="answer is not HTTP"):
        run(server.url("/ssh"), archive_dir)
    assert not archive_dir.exists()


def test_garbage_status_line(server: FixtureServer, archive_dir: Path) -> None:
    server.route("/weird", b"HTTP/1.1 two hundred OK\r\n\r\n")
    with pytest.raises(CaptureError, match="not HTTP"):
        run(server.url("/weird"), archive_dir)


def test_timeout_before_any_response(server: FixtureServer, archive_dir: Path) -> None:
    server.route("/silent", b"", silent=True)
    with pytest.raises(CaptureError, match=r"no complete response within 0\.3 s"):
        run(server.url("/silent"), archive_dir, timeout=0.3)
    assert not archive_dir.exists()


def test_tls_verification_failure(archive_dir: Path) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(
        TEST_DATA / "capture_selfsigned.pem", TEST_DATA / "capture_selfsigned.key"
    )
    with FixtureServer(tls_context=context) as tls_server:
        tls_server.route("/", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
        with pytest.raises(CaptureError, match="TLS certificate verification failed"):
            run(tls_server.url("/"), archive_dir)
    assert not archive_dir.exists()


def test_not_an_http_url(archive_dir: Path) -> None:
    with pytest.raises(UsageError, match="not an absolute http"):
        run("ftp://example.org/file", archive_dir)


def test_never_overwrites_and_never_fails_on_a_taken_name(
    server: FixtureServer, archive_dir: Path
) -> None:
    """Captures in the same second get serial names; the warcinfo names its own file."""
    server.route("/a", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    first = run(server.url("/a"), archive_dir)
    before = first.path.read_bytes()
    second = run(server.url("/a"), archive_dir)
    third = run(server.url("/a"), archive_dir)
    assert first.path.read_bytes() == before
    stem = first.path.name.removesuffix(".warc.gz")
    assert (second.path.name, third.path.name) == (f"{stem}-2.warc.gz", f"{stem}-3.warc.gz")
    assert set(listing(archive_dir)) == {p.path.name for p in (first, second, third)}
    for result in (first, second, third):
        info_headers = records_of(result.path)[0][0]
        assert header(info_headers, "WARC-Filename") == result.path.name
        assert [info.offset for info in result.records] == [
            info.offset for info in read_offsets(result.path)
        ]


def read_offsets(path: Path) -> list[Any]:
    from warcite.core.warc.records import iter_records

    return [record.info for record in iter_records(path)]


# --------------------------------------------------------------------------- limits


def test_slow_body_is_truncated_by_time(server: FixtureServer, archive_dir: Path) -> None:
    head = http_response(
        200, "OK", [("Content-Type", "text/html"), ("Content-Length", str(len(HTML)))]
    )
    head = head[: head.index(b"\r\n\r\n") + 4]
    pieces = [head + HTML[:40], HTML[40:]]
    server.route("/slow", pieces, pause=3.0)
    result = run(server.url("/slow"), archive_dir, timeout=0.5)
    assert result.truncated == "time"
    records = records_of(result.path)
    response_h, response_b = records[2]
    assert response_b == pieces[0]
    assert header(response_h, "WARC-Truncated") == "time"
    assert header(response_h, "WARC-Payload-Digest") == sha256(HTML[:40])
    assert ("truncated", "time") in fields(records[-1][1])
    page = read_page(result.path)
    assert page.truncated == "time" and page.body == HTML[:40]


def test_oversized_body_is_truncated_by_length(server: FixtureServer, archive_dir: Path) -> None:
    body = b"<html><body>" + b"<p>filler text</p>" * 500 + b"</body></html>"
    wire = server.route("/big", http_response(200, "OK", [("Content-Type", "text/html")], body))
    result = run(server.url("/big"), archive_dir, max_bytes=1000)
    assert result.truncated == "length"
    response_h, response_b = records_of(result.path)[2]
    head_length = wire.index(b"\r\n\r\n") + 4
    assert response_b == wire[: head_length + 1000]
    assert header(response_h, "WARC-Truncated") == "length"
    assert header(response_h, "WARC-Payload-Digest") == sha256(body[:1000])
    assert warcio_check_failures(result.path) == set()


# --------------------------------------------------------------------------- mementos


def test_memento_is_reported(server: FixtureServer, archive_dir: Path) -> None:
    original = "https://www.example.org/news/2016/08/29/story.html"
    path = f"/web/20160830010203id_/{original}"
    server.route(
        path,
        http_response(
            200,
            "OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Memento-Datetime", "Tue, 30 Aug 2016 01:02:03 GMT"),
                (
                    "Link",
                    f'<{original}>; rel="original", '
                    f'<{server.url("/web/timemap/link/" + original)}>; rel="timemap"',
                ),
            ],
            HTML,
        ),
    )
    result = run(server.url(path), archive_dir)
    assert result.method == "import-memento"
    assert result.memento is not None
    assert result.memento.original_uri == original
    assert result.memento.datetime == "2016-08-30T01:02:03Z"
    assert result.memento.source == "memento-datetime-header"
    assert result.path.name.startswith("example-story-")
    records = records_of(result.path)
    assert header(records[2][0], "WARC-Target-URI") == server.url(path)
    meta = fields(records[-1][1])
    assert ("memento-original-uri", original) in meta
    assert ("memento-datetime", "2016-08-30T01:02:03Z") in meta
    assert ("method", "import-memento") in meta
    page = read_page(result.path)
    assert page.memento == result.memento
    assert page.url == original

    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        ["capture", server.url(path), "--archive-dir", str(archive_dir / "cli"), "--no-requisites"],
    )
    assert outcome.exit_code == 0, outcome.output
    assert f"memento of {original} archived at 2016-08-30T01:02:03Z" in outcome.stderr


def test_wayback_url_without_headers_is_a_memento(server: FixtureServer, archive_dir: Path) -> None:
    path = "/web/20200102030405/http://example.com/a"
    server.route(path, http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    result = run(server.url(path), archive_dir)
    assert result.memento is not None
    assert (result.memento.original_uri, result.memento.datetime, result.memento.source) == (
        "http://example.com/a",
        "2020-01-02T03:04:05Z",
        "wayback-url",
    )


# --------------------------------------------------------------------------- charsets


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("windows-1252", "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve \u20ac5"),
        ("EUC-KR", "\ud0c8\ubd81\uc790 \uc218\uac00 \uc99d\uac00\ud588\ub2e4"),
    ],
)
def test_legacy_charset_pages_are_kept_byte_for_byte(
    server: FixtureServer, archive_dir: Path, charset: str, text: str
) -> None:
    body = (
        f'<html><head><meta charset="{charset}"><title>{text}</title></head>'
        f"<body><p>{text}</p></body></html>"
    ).encode(charset)
    wire = server.route(
        "/legacy",
        http_response(200, "OK", [("Content-Type", f"text/html; charset={charset}")], body),
    )
    result = run(server.url("/legacy"), archive_dir)
    response_h, response_b = records_of(result.path)[2]
    assert response_b == wire
    assert header(response_h, "WARC-Payload-Digest") == sha256(body)
    page = read_page(result.path)
    assert page.body == body
    assert page.content_type == f"text/html; charset={charset}"
    assert page.body.decode(charset).count(text) == 2
    assert warcio_check_failures(result.path) == set()


# --------------------------------------------------------------------------- requisites


def test_page_requisites_are_archived_with_referer(
    server: FixtureServer, archive_dir: Path
) -> None:
    page = (
        b"<html><head><link rel=stylesheet href='/css/site.css'>"
        b"<link rel='shortcut icon' href='/icon.png'>"
        b"<script src='/js/app.js'></script></head><body>"
        b"<img src='/img/a.png' srcset='/img/a-2x.png 2x, /img/a-3x.png 3x'>"
        b"<img src='data:image/png;base64,AAAA'>"
        b"<p>Text</p></body></html>"
    )
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], page))
    css = server.route(
        "/css/site.css", http_response(200, "OK", [("Content-Type", "text/css")], b"p{}")
    )
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    for path in ("/icon.png", "/img/a.png", "/img/a-2x.png"):
        server.route(path, http_response(200, "OK", [("Content-Type", "image/png")], png))
    server.route("/img/a-3x.png", http_response(302, "Found", [("Location", "/img/a.png")]))
    server.route("/js/app.js", http_response(404, "Not Found", [("Content-Type", "text/plain")]))

    result = run(server.url("/page"), archive_dir, requisites=True)
    records = records_of(result.path)
    responses = {
        header(h, "WARC-Target-URI"): b for h, b in records if header(h, "WARC-Type") == "response"
    }
    expected = [
        "/page",
        "/css/site.css",
        "/icon.png",
        "/js/app.js",
        "/img/a.png",
        "/img/a-2x.png",
        "/img/a-3x.png",
        "/img/a.png",
    ]
    # fetched concurrently (any order on the wire), written in the order found
    assert sorted(path for path, _ in server.requests) == sorted(expected)
    assert [
        header(h, "WARC-Target-URI") for h, _ in records if header(h, "WARC-Type") == "response"
    ] == [server.url(path) for path in expected]
    assert set(responses) == {server.url(path) for path in expected}
    assert responses[server.url("/css/site.css")] == css
    for path, raw in server.requests[1:]:
        assert f"Referer: {server.url('/page')}\r\n".encode() in raw, path
    assert result.main_record_id == rid(3)
    assert read_page(result.path).url == server.url("/page")
    meta = fields(records[-1][1])
    assert ("requisite", f"404 {server.url('/js/app.js')}") in meta
    assert ("requisite", f"302 {server.url('/img/a-3x.png')}") in meta
    assert warcio_check_failures(result.path) == set()


def test_failed_requisite_is_a_warning_not_a_failure(
    server: FixtureServer, archive_dir: Path
) -> None:
    dead = f"http://127.0.0.1:{unused_port()}/style.css"
    page = f"<html><head><link rel=stylesheet href='{dead}'><link rel=icon href='/i.png'>"
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], page.encode()))
    result = run(server.url("/page"), archive_dir, requisites=True)
    assert any(dead in warning and "refused" in warning for warning in result.warnings)
    assert ("requisite", f"failed {dead}") in fields(records_of(result.path)[-1][1])


def test_find_requisites_honours_base_and_dedupes() -> None:
    html = (
        b"<html><head><base href='https://cdn.example.org/assets/'>"
        b"<link rel=stylesheet href='a.css'><link rel=stylesheet href='a.css'>"
        b"<link rel=canonical href='https://example.org/x'></head>"
        b"<body><picture><source srcset='b.webp 1x, c.webp 2x'><img src='d.jpg'></picture>"
        b"<img src='javascript:void(0)'></body></html>"
    )
    assert find_requisites(html, "https://example.org/page") == [
        "https://cdn.example.org/assets/a.css",
        "https://cdn.example.org/assets/b.webp",
        "https://cdn.example.org/assets/c.webp",
        "https://cdn.example.org/assets/d.jpg",
        "https://example.org/favicon.ico",
    ]


# --------------------------------------------------------------------------- CSS references

CSS_PAGE = (
    b"<html><head><link rel=stylesheet href=a.css>"
    b"<style>h1 { background: url(inline.png) } /* url(inline-comment.png) */</style>"
    b"</head><body><div style=\"background:url('attr.png')\">Text</div></body></html>"
)
A_CSS = (
    b"@import \"b.css\"; body{background:url('img/bg.png')} "
    b'@font-face{src:url(fonts/f.woff2) format("woff2")} /* url(ignored.png) */ '
    b".x{background:url(data:image/png;base64,AAAA)}"
)
B_CSS = b'@import url(a.css); .y{background:url(../c.png)} .z{background:url("img/bg.png#f")}'


def serve_css_site(server: FixtureServer) -> None:
    """A page whose stylesheets import each other (a cycle) and name images and a font."""
    html_type = [("Content-Type", "text/html; charset=utf-8")]
    css_type = [("Content-Type", "text/css")]
    png_type = [("Content-Type", "image/png")]
    server.route("/site/page", http_response(200, "OK", html_type, CSS_PAGE))
    server.route("/site/a.css", http_response(200, "OK", css_type, A_CSS))
    server.route("/site/b.css", http_response(200, "OK", css_type, B_CSS))
    for path in ("/site/inline.png", "/site/attr.png", "/site/img/bg.png", "/c.png"):
        server.route(path, http_response(200, "OK", png_type, b"\x89PNG" + path.encode()))
    server.route(
        "/site/fonts/f.woff2",
        http_response(200, "OK", [("Content-Type", "font/woff2")], b"wOF2font"),
    )


def referer_of(raw_request: bytes) -> str | None:
    match = re.search(rb"\r\nReferer: ([^\r\n]*)\r\n", raw_request)
    return match.group(1).decode() if match else None


def test_stylesheet_references_are_archived_with_the_stylesheet_as_referer(
    server: FixtureServer, archive_dir: Path
) -> None:
    serve_css_site(server)
    page = server.url("/site/page")
    a_css, b_css = server.url("/site/a.css"), server.url("/site/b.css")
    # one request at a time: the order on the wire is the order of discovery
    result = run(page, archive_dir, requisites=True, workers=1)

    expected_referers = {
        "/site/a.css": page,
        "/site/inline.png": page,
        "/site/attr.png": page,
        "/favicon.ico": page,
        "/site/b.css": a_css,
        "/site/img/bg.png": a_css,
        "/site/fonts/f.woff2": a_css,
        "/c.png": b_css,
    }
    paths = [path for path, _ in server.requests]
    # breadth first: the page's own requisites in document order, then what stylesheets name
    assert paths == ["/site/page", *expected_referers]
    assert len(set(paths)) == len(paths)  # the @import cycle and the repeated image: once each
    for path, raw in server.requests[1:]:
        assert referer_of(raw) == expected_referers[path], path
    for skipped in ("ignored.png", "inline-comment.png", "AAAA", "data:"):
        assert not any(skipped in path for path in paths)

    records = records_of(result.path)
    by_id = {header(h, "WARC-Record-ID"): (h, b) for h, b in records}
    requests = [(h, b) for h, b in records if header(h, "WARC-Type") == "request"]
    assert [header(h, "WARC-Target-URI") for h, _ in requests] == [
        server.url(path) for path in paths
    ]
    for request_headers, request_block in requests:
        target = header(request_headers, "WARC-Target-URI")
        response_headers, response_block = by_id[header(request_headers, "WARC-Concurrent-To")]
        assert header(response_headers, "WARC-Type") == "response"
        assert header(response_headers, "WARC-Target-URI") == target
        assert header(response_headers, "WARC-Concurrent-To") == header(
            request_headers, "WARC-Record-ID"
        )
        path = urlsplit(target or "").path
        if path != "/site/page":
            assert referer_of(request_block) == expected_referers[path]
        if path == "/site/a.css":
            assert response_block.endswith(A_CSS)

    meta = fields(records[-1][1])
    assert [value for name, value in meta if name == "requisite"] == [
        f"{404 if path == '/favicon.ico' else 200} {server.url(path)}" for path in expected_referers
    ]
    assert not [name for name, _ in meta if name == "warning"]
    assert result.warnings == ()
    assert warcio_check_failures(result.path) == set()


def test_stylesheet_references_respect_the_requisite_limit(
    server: FixtureServer, archive_dir: Path
) -> None:
    serve_css_site(server)
    result = run(
        server.url("/site/page"), archive_dir, requisites=True, max_requisites=5, workers=1
    )
    paths = [path for path, _ in server.requests]
    assert paths == [
        "/site/page",
        "/site/a.css",
        "/site/inline.png",
        "/site/attr.png",
        "/favicon.ico",
        "/site/b.css",
    ]
    limit_warnings = [w for w in result.warnings if "limit of 5 requisites" in w]
    assert len(limit_warnings) == 1
    assert limit_warnings[0].startswith("3 requisite(s) not archived")
    assert server.url("/site/img/bg.png") in limit_warnings[0]
    meta = fields(records_of(result.path)[-1][1])
    assert len([name for name, _ in meta if name == "requisite"]) == 5
    assert ("warning", limit_warnings[0]) in meta


def test_no_requisites_fetches_no_stylesheet_references(
    server: FixtureServer, archive_dir: Path
) -> None:
    serve_css_site(server)
    run(server.url("/site/page"), archive_dir, requisites=False)
    assert [path for path, _ in server.requests] == ["/site/page"]


def test_import_chains_are_followed_to_a_limited_depth(
    server: FixtureServer, archive_dir: Path
) -> None:
    depth = MAX_CSS_IMPORT_DEPTH + 1
    page = b"<html><head><link rel=icon href=/i.png><link rel=stylesheet href=/s0.css></head>"
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], page))
    server.route("/i.png", http_response(200, "OK", [("Content-Type", "image/png")], b"png"))
    for level in range(depth + 1):
        css = f"@import '/s{level + 1}.css'; p {{ background: url(/bg{level}.png) }}".encode()
        server.route(
            f"/s{level}.css", http_response(200, "OK", [("Content-Type", "text/css")], css)
        )
    result = run(server.url("/page"), archive_dir, requisites=True)
    fetched = {path for path, _ in server.requests}
    for level in range(depth):  # s0 (linked) then MAX_CSS_IMPORT_DEPTH @imports
        assert f"/s{level}.css" in fetched
        assert f"/bg{level}.png" in fetched
    assert f"/s{depth}.css" not in fetched
    assert any(
        server.url(f"/s{depth}.css") in warning and "@import steps deep" in warning
        for warning in result.warnings
    )


def test_redirected_stylesheet_resolves_against_its_final_url(
    server: FixtureServer, archive_dir: Path
) -> None:
    page = b"<html><head><link rel=icon href=/i.png><link rel=stylesheet href=/old.css></head>"
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], page))
    server.route("/i.png", http_response(200, "OK", [("Content-Type", "image/png")], b"png"))
    server.route("/old.css", http_response(301, "Moved", [("Location", "/new/style.css")]))
    css = '/* © */ p { background: url("fl\\00e8 che.png") }'.encode("utf-16")  # with a BOM
    server.route(
        "/new/style.css",
        http_response(200, "OK", [("Content-Type", "text/css; charset=utf-16")], css),
    )
    server.route("/new/fl%C3%A8che.png", http_response(200, "OK", [], b"png"))
    run(server.url("/page"), archive_dir, requisites=True)
    assert server.requests[-1][0] == "/new/fl%C3%A8che.png"
    assert referer_of(server.requests[-1][1]) == server.url("/new/style.css")


def test_inline_styles_and_imports_are_page_requisites() -> None:
    html = (
        b"<html><head><base href='https://cdn.example.org/assets/'>"
        b"<style>@import 'print.css'; p{background:url(bg.png)}</style>"
        b"<style type=text/x-not-css>p{background:url(not-css.png)}</style></head>"
        b"<body><p style='background-image: url(&quot;p.png&quot;)'>"
        b"<span style='background:url(data:image/gif;base64,R0lG)'></span>"
        b"<img src='bg.png'><img src='http://[unparseable/i.png'>"
        b"<i style='background:url(http://[unparseable/s.png)'></i></body></html>"
    )
    assert find_requisites(html, "https://example.org/page") == [
        "https://cdn.example.org/assets/print.css",
        "https://cdn.example.org/assets/bg.png",
        "https://cdn.example.org/assets/p.png",
        "https://example.org/favicon.ico",
    ]


def test_scan_css_references_tokenizes_carefully() -> None:
    css = (
        "@import \"b.css\"; @import url(c.css) screen; @IMPORT 'd.css' layer(x);\n"
        "body{background:url('img/bg.png')} @font-face{src:url(fonts/f.woff2) "
        'format("woff2")} /* url(ignored.png) @import "no.css"; */ '
        ".x{background:url(data:image/png;base64,AAAA)}\n"
        '.q{content:"url(in-a-string.png)"} .f{x:my-url(not-a-url.png)}\n'
        '.e{background:url(  sp\\61 ce\\).png  )} .s{background:URL( "a b.png" )}\n'
        '.bad{background:url(two words.png)} .bad2{background:url("unclosed\n.png)}\n'
        ".ok{background:url(ok.png)} .g{fill:url(#gradient)} "
        '.i{src:url("\\2F abs.png")} .eof{background:url(last.png'
    )
    assert scan_css_references(css) == [
        CssReference("b.css", True),
        CssReference("c.css", True),
        CssReference("d.css", True),
        CssReference("img/bg.png", False),
        CssReference("fonts/f.woff2", False),
        CssReference("data:image/png;base64,AAAA", False),
        CssReference("space).png", False),
        CssReference("a b.png", False),
        CssReference("ok.png", False),
        CssReference("#gradient", False),
        CssReference("/abs.png", False),
        CssReference("last.png", False),
    ]
    assert find_css_references(css, "https://example.org/css/site.css?v=2") == [
        CssReference("https://example.org/css/b.css", True),
        CssReference("https://example.org/css/c.css", True),
        CssReference("https://example.org/css/d.css", True),
        CssReference("https://example.org/css/img/bg.png", False),
        CssReference("https://example.org/css/fonts/f.woff2", False),
        CssReference("https://example.org/css/space).png", False),
        CssReference("https://example.org/css/a%20b.png", False),
        CssReference("https://example.org/css/ok.png", False),
        CssReference("https://example.org/abs.png", False),
        CssReference("https://example.org/css/last.png", False),
    ]


def test_find_css_references_dedupes_and_keeps_only_http() -> None:
    css = (
        "a{background:url(x.png#one)} b{background:url(x.png#two)} "
        "c{background:url(javascript:alert(1))} d{background:url(ftp://example.org/f.png)} "
        "e{background:url(//other.example/y.png)} @import url(x.png); f{x:url('')} "
        "g{background:url(http://[unparseable/z.png)}"
    )
    assert find_css_references(css, "http://example.org/") == [
        CssReference("http://example.org/x.png", True),
        CssReference("http://other.example/y.png", False),
    ]


@given(st.text(alphabet=st.sampled_from(list("url()@import'\"\\/* \n;{}a.:#-0f")), max_size=80))
def test_scan_css_references_never_fails(css: str) -> None:
    references = scan_css_references(css)
    assert all(isinstance(reference.url, str) for reference in references)
    assert len(references) <= css.lower().count("url(") + css.count("'") + css.count('"')


# --------------------------------------------------------------------------- CLI


def test_cli_prints_the_warc_path(server: FixtureServer, tmp_path: Path) -> None:
    server.route("/a", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    runner = CliRunner()
    outcome = runner.invoke(
        cli, ["capture", server.url("/a"), "--archive-dir", str(tmp_path), "--no-requisites"]
    )
    assert outcome.exit_code == 0, outcome.output
    written = Path(outcome.stdout.strip())
    assert written.parent == tmp_path and written.exists()
    assert written.name.startswith("127-0-0-1-a-")


def test_cli_json_summary(server: FixtureServer, tmp_path: Path) -> None:
    server.route("/a", http_response(301, "Moved", [("Location", "/b")]))
    server.route("/b", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        [
            "capture",
            server.url("/a"),
            "--archive-dir",
            str(tmp_path),
            "--no-requisites",
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    summary = json.loads(outcome.stdout)
    assert summary["final_url"] == server.url("/b")
    assert summary["status"] == 200
    assert summary["redirects"] == [server.url("/a")]
    assert summary["truncated"] is None and summary["memento"] is None
    assert [r["type"] for r in summary["records"]] == [
        "warcinfo",
        "request",
        "response",
        "request",
        "response",
        "metadata",
    ]
    assert Path(summary["file"]).exists()


def test_cli_exit_code_3_on_capture_failure(tmp_path: Path) -> None:
    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        ["capture", f"http://127.0.0.1:{unused_port()}/", "--archive-dir", str(tmp_path / "a")],
    )
    assert outcome.exit_code == 3
    assert outcome.stderr.startswith("Error: cannot capture")
    assert "Traceback" not in outcome.output
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["capture", "not a url"],
        ["capture", "http://127.0.0.1:1/", "--timeout", "0"],
        ["capture", "http://127.0.0.1:1/", "--max-bytes", "-5"],
        ["capture", "http://127.0.0.1:1/", "--id", "Bad Slug!"],
        ["capture"],
    ],
)
def test_cli_exit_code_2_on_usage_errors(tmp_path: Path, arguments: list[str]) -> None:
    runner = CliRunner()
    outcome = runner.invoke(cli, [*arguments, "--archive-dir", str(tmp_path / "a")])
    assert outcome.exit_code == 2, outcome.output
    assert not (tmp_path / "a").exists()


def test_interim_103_response_is_kept_and_skipped(server: FixtureServer, archive_dir: Path) -> None:
    early = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
    final = http_response(200, "OK", [("Content-Type", "text/html")], HTML)
    wire = server.route("/hints", [early, final], pause=0.05)
    result = run(server.url("/hints"), archive_dir)
    assert result.status == 200
    response_h, response_b = records_of(result.path)[2]
    assert response_b == wire
    assert header(response_h, "WARC-Payload-Digest") == sha256(HTML)
    assert read_page(result.path).http_status == 200
    timing = [value for name, value in fields(records_of(result.path)[-1][1]) if name == "timing"]
    assert timing == [f"page {server.url('/hints')} connect-ms=0 first-byte-ms=0 total-ms=0"]


def test_body_cut_by_the_server_is_marked_disconnect(
    server: FixtureServer, archive_dir: Path
) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n"
    wire = server.route("/cut", head + HTML)
    result = run(server.url("/cut"), archive_dir)
    assert result.truncated == "disconnect"
    response_h, response_b = records_of(result.path)[2]
    assert response_b == wire
    assert header(response_h, "WARC-Truncated") == "disconnect"
    assert any("closed the connection before the end" in w for w in result.warnings)


def test_international_url_is_recorded_as_a_valid_uri(
    server: FixtureServer, archive_dir: Path
) -> None:
    server.route(
        "/caf%C3%A9?q=%C3%BC", http_response(200, "OK", [("Content-Type", "text/html")], HTML)
    )
    result = run(server.url("/café?q=ü#part"), archive_dir)
    expected = server.url("/caf%C3%A9?q=%C3%BC")
    assert result.final_uri == expected
    request_h, request_b = records_of(result.path)[1]
    assert header(request_h, "WARC-Target-URI") == expected
    assert request_b.startswith(b"GET /caf%C3%A9?q=%C3%BC HTTP/1.1\r\n")


def test_accept_encoding_lists_only_decodable_codings(
    server: FixtureServer, archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from warcite.core.warc.http import available_content_codings

    server.route("/a", http_response(200, "OK", [("Content-Type", "text/html")], HTML))
    monkeypatch.setitem(sys.modules, "brotli", None)  # an import of it fails
    monkeypatch.setitem(sys.modules, "brotlicffi", None)
    monkeypatch.setitem(sys.modules, "zstandard", types.ModuleType("zstandard"))
    available_content_codings.cache_clear()
    try:
        run(server.url("/a"), archive_dir)
    finally:
        available_content_codings.cache_clear()
    assert b"\r\nAccept-Encoding: gzip, deflate, zstd\r\n" in server.requests[0][1]


def test_https_capture_with_a_trusted_certificate(archive_dir: Path) -> None:
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(
        TEST_DATA / "capture_selfsigned.pem", TEST_DATA / "capture_selfsigned.key"
    )
    trust = ssl.create_default_context(cafile=str(TEST_DATA / "capture_selfsigned.pem"))
    with FixtureServer(tls_context=server_context) as tls_server:
        wire = tls_server.route(
            "/secure", http_response(200, "OK", [("Content-Type", "text/html")], HTML)
        )
        result = run(tls_server.url("/secure"), archive_dir, tls_context=trust)
        assert result.final_uri == tls_server.url("/secure")
        assert result.final_uri.startswith("https://127.0.0.1:")
        assert records_of(result.path)[2][1] == wire  # the decrypted bytes, as received
        wrong_host = tls_server.url("/secure", host="localhost")
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        with pytest.raises(UsageError, match="must verify certificates"):
            run(wrong_host, archive_dir / "x", tls_context=unverified)

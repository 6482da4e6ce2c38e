"""The capture dedupe hook: a payload seen before is written as a WARC 1.1 revisit record.

The lookup here is a fake (a dict of earlier records by payload digest); expected digests
are computed with hashlib from the bytes the fixture server wrote.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from fixture_server import FixtureServer, chunked, http_response
from warcite.capture import capture
from warcite.core.errors import UsageError
from warcite.core.models import RevisitTarget
from warcite.core.warc.records import check_record_digests, iter_records

PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PAGE = (
    b'<html><head><link rel=stylesheet href="/a.css"></head><body><img src="/b.png"></body></html>'
)
CSS = b"body { color: red }"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
EARLIER = RevisitTarget(
    refers_to_uri="http://127.0.0.1/b.png",
    refers_to_date="2026-01-02T03:04:05.123456Z",
    refers_to_record_id="<urn:uuid:11111111-2222-4333-8444-555555555555>",
)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        running.route("/", http_response(200, "OK", [("Content-Type", "text/html")], PAGE))
        running.route("/a.css", http_response(200, "OK", [("Content-Type", "text/css")], CSS))
        running.route(
            "/b.png",
            http_response(
                200, "OK", [("Content-Type", "image/png"), ("Transfer-Encoding", "chunked")]
            )
            + chunked(PNG, 100),
        )
        running.route("/favicon.ico", http_response(404, "Not Found", [], b"no"))
        yield running


def headers_and_blocks(path: Path) -> list[tuple[dict[str, str], bytes]]:
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            out.append((dict(record.rec_headers.headers), record.raw_stream.read()))
    return out


def test_a_known_payload_becomes_a_revisit_record(server: FixtureServer, tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []

    def lookup(uri: str, digest: str) -> RevisitTarget | None:
        asked.append((uri, digest))
        return EARLIER if digest == sha256(PNG) else None

    result = capture(server.url("/"), archive_dir=tmp_path, dedupe=lookup, timeout=5)
    # every complete response with a payload was offered, with its spec payload digest
    assert (server.url("/b.png"), sha256(PNG)) in asked
    assert (server.url("/a.css"), sha256(CSS)) in asked
    assert (server.url("/"), sha256(PAGE)) in asked
    records = headers_and_blocks(result.path)
    revisits = [(h, b) for h, b in records if h["WARC-Type"] == "revisit"]
    assert len(revisits) == 1
    headers, block = revisits[0]
    assert headers["WARC-Target-URI"] == server.url("/b.png")
    assert headers["WARC-Profile"] == PROFILE
    assert headers["WARC-Refers-To"] == EARLIER.refers_to_record_id
    assert headers["WARC-Refers-To-Target-URI"] == EARLIER.refers_to_uri
    assert headers["WARC-Refers-To-Date"] == EARLIER.refers_to_date
    assert headers["WARC-Payload-Digest"] == sha256(PNG)
    assert headers["WARC-Block-Digest"] == sha256(block)
    assert headers["Content-Type"] == "application/http; msgtype=response"
    # the head as received, and nothing of the payload
    assert block.startswith(b"HTTP/1.1 200 OK\r\n") and block.endswith(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in block and PNG[:8] not in block
    # its request is still there and linked both ways
    request = next(
        h
        for h, _ in records
        if h["WARC-Type"] == "request" and h["WARC-Target-URI"] == server.url("/b.png")
    )
    assert request["WARC-Concurrent-To"] == headers["WARC-Record-ID"]
    assert headers["WARC-Concurrent-To"] == request["WARC-Record-ID"]
    # the other responses are stored whole
    stored = {h["WARC-Target-URI"] for h, _ in records if h["WARC-Type"] == "response"}
    assert server.url("/a.css") in stored and server.url("/") in stored
    # noted in the metadata record
    metadata = next(b for h, b in records if h["WARC-Type"] == "metadata")
    line = f"revisit: {server.url('/b.png')} {EARLIER.refers_to_record_id}".encode()
    assert line in metadata
    # warcite's own reader and warcio agree the file is sound
    for record in iter_records(result.path):
        assert check_record_digests(record) == []
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", str(result.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_no_answer_means_everything_is_stored(server: FixtureServer, tmp_path: Path) -> None:
    result = capture(server.url("/"), archive_dir=tmp_path, dedupe=lambda u, d: None, timeout=5)
    types = [h["WARC-Type"] for h, _ in headers_and_blocks(result.path)]
    assert "revisit" not in types
    assert types.count("response") == 4


def test_empty_and_error_free_payloads_are_not_offered(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route("/empty", http_response(200, "OK", [("Content-Type", "text/plain")], b""))
    asked: list[str] = []
    capture(
        server.url("/empty"),
        archive_dir=tmp_path,
        dedupe=lambda uri, digest: asked.append(uri) or None,  # type: ignore[func-returns-value]
        timeout=5,
    )
    assert asked == []  # an empty payload saves nothing as a revisit


@pytest.mark.parametrize(
    "bad",
    [
        RevisitTarget("http://x/a b", EARLIER.refers_to_date, EARLIER.refers_to_record_id),
        RevisitTarget(EARLIER.refers_to_uri, "yesterday", EARLIER.refers_to_record_id),
        RevisitTarget(EARLIER.refers_to_uri, EARLIER.refers_to_date, "urn:uuid:no-brackets"),
        RevisitTarget(EARLIER.refers_to_uri, EARLIER.refers_to_date, "<urn:x>\r\nX-Evil: 1"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_written(
    server: FixtureServer, tmp_path: Path, bad: RevisitTarget
) -> None:
    with pytest.raises(UsageError, match="dedupe lookup"):
        capture(server.url("/"), archive_dir=tmp_path, dedupe=lambda u, d: bad, timeout=5)
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []

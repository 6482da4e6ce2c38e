"""Hostile servers and faults during a capture (issue 8, capture side).

Every case runs ``warcite capture`` against a loopback server that misbehaves on purpose
and asserts the exit code, the message, and what is in the archive folder afterwards:
nothing at all when the capture fails (no WARC, no temporary or spool file), exactly the
one WARC when it succeeds with a warning.  Nothing here touches the network.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from warcio.archiveiterator import ArchiveIterator

from conftest import PROJECT_ROOT
from fixture_server import FixtureServer, chunked, http_response
from warcite.capture import capture
from warcite.cli import cli
from warcite.core.errors import CaptureError
from warcite.core.warc.records import check_record_digests, iter_records

HTML = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello there.</p></body></html>"
HTML_TYPE = [("Content-Type", "text/html")]


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


def entries(folder: Path) -> list[str]:
    """Everything in a folder, hidden files included (temporary files start with '.')."""
    return sorted(os.listdir(folder)) if folder.exists() else []


def invoke(url: str, archive: Path, *options: str) -> Result:
    result = CliRunner().invoke(
        cli, ["capture", url, "--archive-dir", str(archive), "--timeout", "5", *options]
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_failed(result: Result, archive: Path, code: int, *phrases: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    assert entries(archive) == [], "a failed capture left files behind"


def assert_one_warc(result: Result, archive: Path) -> Path:
    assert result.exit_code == 0, result.output
    names = entries(archive)
    assert len(names) == 1 and names[0].endswith(".warc.gz"), names
    path = archive / names[0]
    assert Path(result.stdout.strip()) == path
    for record in iter_records(path):
        assert check_record_digests(record) == [], record.info
    return path


def records(path: Path) -> list[tuple[dict[str, str], bytes]]:
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            out.append((dict(record.rec_headers.headers), record.raw_stream.read()))
    return out


def head(status: str, headers: list[tuple[str, str]]) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    ).encode()


# --------------------------------------------------------------------------- framing


def test_content_length_of_ten_to_the_29th_is_refused(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route("/", head("200 OK", [*HTML_TYPE, ("Content-Length", str(10**29))]) + HTML)
    result = invoke(server.url("/"), tmp_path / "a", "--no-requisites")
    assert_failed(result, tmp_path / "a", 3, "Content-Length of 1" + "0" * 29, "no HTTP message")


def test_a_huge_content_length_on_a_requisite_is_a_warning(
    server: FixtureServer, tmp_path: Path
) -> None:
    page = b"<html><body><img src='/i.png'><link rel=icon href='/i.ico'></body></html>"
    server.route("/", http_response(200, "OK", HTML_TYPE, page))
    server.route("/i.png", head("200 OK", [("Content-Length", "9" * 40)]) + b"\x89PNG")
    server.route("/i.ico", http_response(200, "OK", [("Content-Type", "image/x-icon")], b"ico"))
    result = invoke(server.url("/"), tmp_path / "a")
    path = assert_one_warc(result, tmp_path / "a")
    assert "no HTTP message can have" in result.stderr
    metadata = records(path)[-1][1].decode()
    assert f"requisite: failed {server.url('/i.png')}" in metadata


def test_content_length_beyond_max_bytes_is_cut_and_marked(
    server: FixtureServer, tmp_path: Path
) -> None:
    body = b"<html><body>" + b"x" * 5000
    server.route("/", head("200 OK", [*HTML_TYPE, ("Content-Length", str(10**12))]) + body)
    result = invoke(server.url("/"), tmp_path / "a", "--no-requisites", "--max-bytes", "1000")
    path = assert_one_warc(result, tmp_path / "a")
    response = next(h for h, _ in records(path) if h["WARC-Type"] == "response")
    assert response["WARC-Truncated"] == "length"
    assert "truncated (length)" in result.stderr


@pytest.mark.parametrize("location", ["http://[bad/x", "http://exa mple.org/", "ftp://x/y"])
def test_a_redirect_to_an_invalid_url_is_refused(
    server: FixtureServer, tmp_path: Path, location: str
) -> None:
    server.route("/", head("302 Found", [("Location", location), ("Content-Length", "0")]))
    result = invoke(server.url("/"), tmp_path / "a")
    assert_failed(result, tmp_path / "a", 3, "redirects to", "not a valid http(s) URL")


def test_a_requisite_redirect_to_an_invalid_url_is_a_warning(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route("/", http_response(200, "OK", HTML_TYPE, b"<img src='/r.png'>"))
    server.route(
        "/r.png", head("301 Moved", [("Location", "http://[bad/x"), ("Content-Length", "0")])
    )
    result = invoke(server.url("/"), tmp_path / "a")
    assert_one_warc(result, tmp_path / "a")
    assert "requisite" in result.stderr and "not archived" in result.stderr


def endless_headers(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\n")
    line = b"X-Filler: " + b"a" * 100 + b"\r\n"
    while not stop.is_set():
        try:
            connection.sendall(line * 100)
        except OSError:
            return


def test_endless_headers_are_refused(server: FixtureServer, tmp_path: Path) -> None:
    server.route("/", b"", handler=endless_headers)
    started = time.monotonic()
    result = invoke(server.url("/"), tmp_path / "a")
    assert time.monotonic() - started < 10
    assert_failed(result, tmp_path / "a", 3, "headers exceed 262144 bytes")


def test_thousands_of_header_fields_are_refused(server: FixtureServer, tmp_path: Path) -> None:
    fields = [("X-A", "b")] * 5000
    server.route("/", http_response(200, "OK", [*HTML_TYPE, *fields], HTML))
    result = invoke(server.url("/"), tmp_path / "a")
    assert_failed(result, tmp_path / "a", 3, "more than 1000 header fields")


def slowloris_headers(connection: socket.socket, stop: threading.Event) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"z" * 1000:
        if stop.wait(0.1):
            return
        try:
            connection.sendall(bytes([byte]))
        except OSError:
            return


def test_a_slowloris_head_hits_the_timeout(server: FixtureServer, tmp_path: Path) -> None:
    server.route("/", b"", handler=slowloris_headers)
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["capture", server.url("/"), "--archive-dir", str(tmp_path / "a"), "--timeout", "1"]
    )
    assert time.monotonic() - started < 5
    assert_failed(result, tmp_path / "a", 3, "no complete response within 1 s")


def test_a_slowloris_body_hits_the_total_timeout(server: FixtureServer, tmp_path: Path) -> None:
    pieces = [head("200 OK", [*HTML_TYPE, ("Content-Length", "2000")])] + [b"<p>" + b"s" * 97] * 20
    server.route("/", pieces, pause=0.3)
    started = time.monotonic()
    result = CliRunner().invoke(
        cli,
        [
            "capture",
            server.url("/"),
            "--archive-dir",
            str(tmp_path / "a"),
            "--timeout",
            "30",
            "--total-timeout",
            "1",
        ],
    )
    assert time.monotonic() - started < 5
    path = assert_one_warc(result, tmp_path / "a")
    response = next(h for h, _ in records(path) if h["WARC-Type"] == "response")
    assert response["WARC-Truncated"] == "time"
    assert "time budget of 1 s" in result.stderr


def test_slow_requisites_stop_at_the_total_timeout(server: FixtureServer, tmp_path: Path) -> None:
    images = "".join(f"<img src='/{n}.png'>" for n in range(20))
    server.route("/", http_response(200, "OK", HTML_TYPE, images.encode()))
    for n in range(20):
        server.route(
            f"/{n}.png", [head("200 OK", [("Content-Length", "4")]), b"\x89PNG"], pause=0.8
        )
    started = time.monotonic()
    result = invoke(server.url("/"), tmp_path / "a", "--total-timeout", "1.5", "--workers", "2")
    assert time.monotonic() - started < 6
    assert_one_warc(result, tmp_path / "a")
    assert "time budget" in result.stderr


def test_the_byte_budget_cuts_and_skips_requisites(server: FixtureServer, tmp_path: Path) -> None:
    images = "".join(f"<img src='/{n}.png'>" for n in range(10))
    server.route("/", http_response(200, "OK", HTML_TYPE, images.encode()))
    for n in range(10):
        server.route(
            f"/{n}.png", http_response(200, "OK", [("Content-Type", "image/png")], b"p" * 10_000)
        )
    result = invoke(server.url("/"), tmp_path / "a", "--max-total-bytes", "25000", "--workers", "1")
    path = assert_one_warc(result, tmp_path / "a")
    assert "byte budget of 25000 bytes" in result.stderr
    responses = [h for h, _ in records(path) if h["WARC-Type"] == "response"]
    assert len(responses) < 11
    assert any(h.get("WARC-Truncated") == "length" for h in responses)
    total = sum(len(b) for h, b in records(path) if h["WARC-Type"] == "response")
    assert total <= 25_000 + 2_000  # bodies within the budget (heads are always kept)


# --------------------------------------------------------------------------- codings


def test_a_transfer_encoding_gzip_bomb_is_bounded(server: FixtureServer, tmp_path: Path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(compressor.compress(b"\0" * 1_000_000) for _ in range(200)) + compressor.flush()
    assert len(bomb) < 250_000  # 200 MB of zeros
    server.route(
        "/",
        head("200 OK", [*HTML_TYPE, ("Transfer-Encoding", "gzip, chunked")]) + chunked(bomb, 65536),
    )
    result = invoke(server.url("/"), tmp_path / "a", "--max-bytes", "1000000")
    path = assert_one_warc(result, tmp_path / "a")
    assert "transfer-coding cannot be undone" in result.stderr
    assert "exceeds 1000000 bytes" in result.stderr
    response = next(h for h, _ in records(path) if h["WARC-Type"] == "response")
    assert "WARC-Payload-Digest" not in response  # unknown, so not claimed


def test_stacked_transfer_codings_are_undone_for_the_payload_digest(
    server: FixtureServer, tmp_path: Path
) -> None:
    twice = gzip.compress(gzip.compress(HTML))
    server.route(
        "/",
        head("200 OK", [*HTML_TYPE, ("Transfer-Encoding", "gzip, gzip, chunked")])
        + chunked(twice, 50),
    )
    result = invoke(server.url("/"), tmp_path / "a", "--no-requisites")
    path = assert_one_warc(result, tmp_path / "a")
    response = next(h for h, _ in records(path) if h["WARC-Type"] == "response")
    assert response["WARC-Payload-Digest"] == "sha256:" + hashlib.sha256(HTML).hexdigest()


def test_a_content_encoding_bomb_does_not_stop_the_capture(
    server: FixtureServer, tmp_path: Path
) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = compressor.compress(b"<img src='/x.png'>" + b" " * 50_000_000) + compressor.flush()
    server.route("/", http_response(200, "OK", [*HTML_TYPE, ("Content-Encoding", "gzip")], bomb))
    result = invoke(server.url("/"), tmp_path / "a", "--max-bytes", "1000000")
    assert_one_warc(result, tmp_path / "a")
    assert "could not be decoded" in result.stderr and "exceeds" in result.stderr


def test_an_unknown_transfer_coding_gets_no_payload_digest(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route(
        "/", head("200 OK", [*HTML_TYPE, ("Transfer-Encoding", "snappy, chunked")]) + chunked(HTML)
    )
    result = invoke(server.url("/"), tmp_path / "a", "--no-requisites")
    path = assert_one_warc(result, tmp_path / "a")
    assert "transfer-coding 'snappy' cannot be decoded" in result.stderr
    response = next(h for h, _ in records(path) if h["WARC-Type"] == "response")
    assert "WARC-Payload-Digest" not in response


# --------------------------------------------------------------------------- credentials


def test_credentials_in_the_url_are_never_sent_nor_written(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route(
        "/",
        http_response(
            200, "OK", HTML_TYPE, b"<img src='//u2:pw2@127.0.0.1:%d/i.png'>" % server.port
        ),
    )
    server.route("/i.png", http_response(200, "OK", [("Content-Type", "image/png")], b"png"))
    url = server.url("/").replace("http://", "http://alice:s3cr3t-pw@")
    result = invoke(url, tmp_path / "a", "--format", "json")
    path = assert_one_warc_json(result, tmp_path / "a")
    warnings = json.loads(result.stdout)["warnings"]
    assert any("credentials were removed" in warning for warning in warnings), warnings
    assert "s3cr3t" not in result.output and "alice" not in result.output
    raw = gzip.decompress(path.read_bytes())
    assert b"s3cr3t" not in raw and b"alice" not in raw  # the user's own credentials
    assert b"Authorization" not in raw
    for headers, block in records(path):  # the page's (kept as received) are not reused
        if headers["WARC-Type"] != "response":
            assert b"pw2" not in block, headers["WARC-Type"]
        assert "pw2" not in json.dumps(headers)
    targets = {h.get("WARC-Target-URI") for h, _ in records(path)}
    assert server.url("/i.png") in targets
    for _, request in server.requests:
        assert b"Authorization" not in request and b"s3cr3t" not in request


def assert_one_warc_json(result: Result, archive: Path) -> Path:
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    path = Path(summary["file"])
    assert entries(archive) == [path.name]
    return path


def test_credentials_in_an_invalid_url_are_not_echoed(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["capture", "http://bob:hunter2@[bad/x", "--archive-dir", str(tmp_path / "a")]
    )
    assert result.exit_code == 2
    assert "hunter2" not in result.output and "***@" in result.stderr
    assert entries(tmp_path / "a") == []


# --------------------------------------------------------------------------- disk and names


class FullDisk:
    """A file object whose writes fail with ENOSPC once ``room`` bytes are written."""

    def __init__(self, wrapped: Any, room: int) -> None:
        self._wrapped = wrapped
        self._room = room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._wrapped.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapped.close()


@pytest.mark.parametrize("where", ["spool", "warc"])
def test_a_full_disk_is_a_clear_error_and_leaves_nothing(
    server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from warcite.capture import spool as spool_module
    from warcite.capture import writer as writer_module

    # 300 kB: more than a spool holds in memory, so it moves to a file on the disk
    assert spool_module.MEMORY_LIMIT < 300_000
    server.route("/", http_response(200, "OK", HTML_TYPE, b"<p>" + b"x" * 300_000))
    module, room = (spool_module, 100_000) if where == "spool" else (writer_module, 2_000)
    real_unnamed = spool_module.open_unnamed

    def full_unnamed(folder: Path, mode: int = 0o600) -> FullDisk | None:
        opened = real_unnamed(folder, mode)
        return None if opened is None else FullDisk(opened, room)

    monkeypatch.setattr(module, "open_unnamed", full_unnamed)
    if where == "spool":
        import tempfile

        real = tempfile.TemporaryFile
        monkeypatch.setattr(tempfile, "TemporaryFile", lambda **kw: FullDisk(real(**kw), room))
    else:
        real_open = Path.open
        monkeypatch.setattr(
            writer_module.Path,
            "open",
            lambda self, *a, **kw: FullDisk(real_open(self, *a, **kw), room),
        )
    result = invoke(server.url("/"), tmp_path / "a", "--no-requisites")
    assert_failed(result, tmp_path / "a", 3, "the disk is full", "nothing was archived")


LIMITED_WARCITE = (
    "import resource, runpy, signal, sys; "
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000)); "
    "sys.argv = ['warcite', *sys.argv[1:]]; "
    "runpy.run_module('warcite', run_name='__main__')"
)
"""``python -m warcite`` in a process whose files cannot grow past 200 kB (set in the
process itself: no ``preexec_fn``, which would fork the multi-threaded test process)."""


def test_a_real_write_failure_in_a_real_process_leaves_nothing(
    server: FixtureServer, tmp_path: Path
) -> None:
    """The kernel refuses writes past 200 kB (RLIMIT_FSIZE): spooling a 1 MB page fails."""
    server.route("/", http_response(200, "OK", HTML_TYPE, b"<p>" + os.urandom(1_000_000)))
    archive = tmp_path / "a"
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            LIMITED_WARCITE,
            "capture",
            server.url("/"),
            "--archive-dir",
            str(archive),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 3, completed.stderr
    assert completed.stderr.startswith("Error: ") and "File too large" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert entries(archive) == []


def test_concurrent_captures_of_one_url_in_one_second_all_succeed(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route("/same", http_response(200, "OK", HTML_TYPE, HTML))
    archive = tmp_path / "a"
    archive.mkdir()
    command = [
        sys.executable,
        "-m",
        "warcite",
        "capture",
        server.url("/same"),
        "--archive-dir",
        str(archive),
        "--no-requisites",
    ]
    processes = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    written = sorted(Path(out.strip()).name for out, _ in outputs)
    assert len(set(written)) == 4 and entries(archive) == written
    for name in written:
        info = records(archive / name)[0][0]
        assert info["WARC-Filename"] == name


def test_an_archive_path_that_is_a_file_is_a_clear_error(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route("/", http_response(200, "OK", HTML_TYPE, HTML))
    blocker = tmp_path / "a"
    blocker.write_text("not a folder")
    result = invoke(server.url("/"), blocker)
    assert result.exit_code == 2 and "is a file" in result.stderr, result.output
    with pytest.raises(CaptureError, match="cannot create the archive folder"):
        capture(server.url("/"), archive_dir=blocker)
    assert blocker.read_text() == "not a folder"
    assert entries(tmp_path) == ["a"]


def test_library_failures_leave_no_spool_or_temporary_file(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.route("/", http_response(200, "OK", HTML_TYPE, b"<img src='/a.png'>"))
    server.route("/a.png", http_response(200, "OK", [], b"png"))
    server.route("/gone", http_response(500, "Oops", HTML_TYPE, HTML))
    archive = tmp_path / "a"
    archive.mkdir()
    with pytest.raises(CaptureError, match="answered 500"):
        capture(server.url("/gone"), archive_dir=archive)
    assert entries(archive) == []
    capture(server.url("/"), archive_dir=archive)
    assert len(entries(archive)) == 1


def test_a_failure_during_requisites_does_not_wait_for_slow_ones(
    server: FixtureServer, tmp_path: Path
) -> None:
    """A lookup that fails while a requisite hangs: the capture stops at once, leaves nothing."""
    server.route(
        "/", http_response(200, "OK", HTML_TYPE, b"<img src='/fast.png'><img src='/slow.png'>")
    )
    server.route("/fast.png", http_response(200, "OK", [("Content-Type", "image/png")], b"png"))
    server.route("/slow.png", http_response(200, "OK", [], b"late"), silent=True)

    def failing_lookup(uri: str, digest: str) -> None:
        if uri.endswith("/fast.png"):
            raise RuntimeError("the lookup's database is gone")

    archive = tmp_path / "a"
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="database is gone"):
        capture(server.url("/"), archive_dir=archive, dedupe=failing_lookup, timeout=20)
    assert time.monotonic() - started < 5
    assert entries(archive) == []

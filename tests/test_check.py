"""`warcite check`: the strict WARC 1.1 validator, on our WARCs, on WARCs warcio writes from
scratch, and on WARCs broken on purpose, one problem class at a time.

The broken WARCs are built byte by byte here (``warc_record``), so each test knows exactly
which rule it breaks; expected digests are computed with hashlib, never with warcite.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import tracemalloc
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_ROOT
from fixture_server import FixtureServer, chunked, http_response
from warcite.cli import cli
from warcite.core.errors import WarcReadError
from warcite.integrity.check import check_warc, check_warcs
from warcite.integrity.check.problems import CheckReport

REFERENCE_WARC = PROJECT_ROOT / "archive" / "opednews-160829-249-20261126123103.warc.gz"
DATE = "2026-11-30T12:00:00Z"
BODY = b"<html><head><title>t</title></head><body><p>Hello, archive.</p></body></html>"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def rid(number: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"


def warc_record(
    fields: Sequence[tuple[str, str]],
    block: bytes,
    *,
    version: bytes = b"WARC/1.1",
    digest: bool = True,
    trailer: bytes = b"\r\n\r\n",
    length: int | None = None,
    eol: bytes = b"\r\n",
) -> bytes:
    """A WARC record's bytes; Content-Length and WARC-Block-Digest added unless given."""
    names = {name.lower() for name, _ in fields}
    lines = list(fields)
    if "content-length" not in names:
        lines.append(("Content-Length", str(len(block) if length is None else length)))
    if digest and "warc-block-digest" not in names:
        lines.append(("WARC-Block-Digest", sha256(block)))
    head = version + eol + b"".join(f"{n}: {v}".encode() + eol for n, v in lines) + eol
    return head + block + trailer


def response_block(body: bytes = BODY, *, chunk: bool = False) -> tuple[bytes, bytes]:
    """(HTTP response bytes, the payload WARC 1.1 digests)."""
    headers = [("Content-Type", "text/html")]
    if chunk:
        headers.append(("Transfer-Encoding", "chunked"))
        return http_response(200, "OK", headers) + chunked(body, size=9), body
    return http_response(200, "OK", headers, body), body


def good_records() -> list[bytes]:
    """A small valid WARC 1.1 capture: warcinfo, request, chunked response, metadata,
    resource, revisit."""
    info_block = b"software: test\r\nformat: WARC File Format 1.1\r\n"
    request = b"GET /page HTTP/1.1\r\nHost: example.com\r\n\r\n"
    response, payload = response_block(chunk=True)
    metadata = b"via: http://example.com/\r\n"
    resource = b"A transcript.\n"
    revisit = http_response(200, "OK", [("Content-Type", "text/html")], content_length=False)
    return [
        warc_record(
            [
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", rid(1)),
                ("WARC-Date", DATE),
                ("WARC-Filename", "test.warc.gz"),
                ("Content-Type", "application/warc-fields"),
            ],
            info_block,
        ),
        warc_record(
            [
                ("WARC-Type", "request"),
                ("WARC-Record-ID", rid(2)),
                ("WARC-Date", DATE),
                ("WARC-Target-URI", "http://example.com/page"),
                ("WARC-Concurrent-To", rid(3)),
                ("WARC-Warcinfo-ID", rid(1)),
                ("WARC-IP-Address", "127.0.0.1"),
                ("WARC-Payload-Digest", sha256(b"")),
                ("Content-Type", "application/http;msgtype=request"),
            ],
            request,
        ),
        warc_record(
            [
                ("WARC-Type", "response"),
                ("WARC-Record-ID", rid(3)),
                ("WARC-Date", "2026-11-30T12:00:00.123456Z"),
                ("WARC-Target-URI", "http://example.com/page"),
                ("WARC-Warcinfo-ID", rid(1)),
                ("WARC-IP-Address", "::1"),
                ("WARC-Payload-Digest", sha256(payload)),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            response,
        ),
        warc_record(
            [
                ("WARC-Type", "metadata"),
                ("WARC-Record-ID", rid(4)),
                ("WARC-Date", DATE),
                ("WARC-Target-URI", "http://example.com/page"),
                ("WARC-Refers-To", rid(3)),
                ("Content-Type", "application/warc-fields"),
            ],
            metadata,
        ),
        warc_record(
            [
                ("WARC-Type", "resource"),
                ("WARC-Record-ID", rid(5)),
                ("WARC-Date", "2026-11"),
                ("WARC-Target-URI", "urn:transcript:http://example.com/page"),
                ("WARC-Payload-Digest", sha256(resource)),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            resource,
        ),
        warc_record(
            [
                ("WARC-Type", "revisit"),
                ("WARC-Record-ID", rid(6)),
                ("WARC-Date", DATE),
                ("WARC-Target-URI", "http://example.com/page"),
                (
                    "WARC-Profile",
                    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
                ),
                ("WARC-Refers-To", rid(3)),
                ("WARC-Refers-To-Target-URI", "http://example.com/page"),
                ("WARC-Refers-To-Date", DATE),
                ("WARC-Payload-Digest", sha256(payload)),
                ("WARC-Truncated", "length"),
                ("Content-Type", "application/http;msgtype=response"),
            ],
            revisit,
        ),
    ]


def gz(*records: bytes) -> bytes:
    """One gzip member per record, as WARC 1.1 Annex D.2 recommends."""
    return b"".join(gzip.compress(record, mtime=0) for record in records)


def write(tmp_path: Path, data: bytes, name: str = "test.warc.gz") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def errors(report: CheckReport) -> list[tuple[str, str]]:
    return [(p.section, p.message) for p in report.problems if p.severity == "error"]


def warnings(report: CheckReport) -> list[tuple[str, str]]:
    return [(p.section, p.message) for p in report.problems if p.severity == "warning"]


def sections(report: CheckReport) -> set[str]:
    return {p.section for p in report.problems if p.severity == "error"}


def member_offsets(records: Sequence[bytes]) -> list[int]:
    offsets, position = [], 0
    for record in records:
        offsets.append(position)
        position += len(gzip.compress(record, mtime=0))
    return offsets


# --------------------------------------------------------------------------- valid WARCs


def test_a_valid_hand_built_warc_has_no_problem_gzipped_or_not(tmp_path: Path) -> None:
    records = good_records()
    for data, name in ((gz(*records), "a.warc.gz"), (b"".join(records), "a.warc")):
        report = check_warc(write(tmp_path, data, name))
        assert report.problems == [], [p.line() for p in report.problems]
        assert report.records == len(records)
        assert report.ok


def test_the_reference_warc_is_valid() -> None:
    report = check_warc(REFERENCE_WARC)
    assert report.ok and report.problems == [] and report.records == 3


def test_a_live_capture_by_warcite_is_valid(tmp_path: Path) -> None:
    from warcite.capture import capture

    with FixtureServer() as server:
        server.route("/style.css", http_response(200, "OK", [("Content-Type", "text/css")], b"p{}"))
        page = (
            b'<html><head><link rel="stylesheet" href="/style.css"></head>'
            b"<body><article><p>" + b"Otters. " * 200 + b"</p></article></body></html>"
        )
        server.route(
            "/page",
            http_response(
                200, "OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
            )
            + chunked(page, size=100),
        )
        server.route("/start", http_response(301, "Moved", [("Location", "/page")]))
        result = capture(server.url("/start"), archive_dir=tmp_path / "archive")
    report = check_warc(result.path)
    assert report.problems == [], [p.line() for p in report.problems]
    assert report.records == len(result.records) >= 7


@pytest.mark.parametrize("version", ["1.0", "1.1"])
@pytest.mark.parametrize("compress", [True, False])
def test_warcs_written_by_warcio_from_scratch(tmp_path: Path, version: str, compress: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / ("w.warc.gz" if compress else "w.warc")
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress, warc_version=version)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "warcio"}))
        plain = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Length", str(len(BODY)))],
            protocol="HTTP/1.1",
        )
        response = writer.create_warc_record(
            "http://example.com/",
            "response",
            payload=io.BytesIO(BODY),
            length=len(BODY),
            http_headers=plain,
        )
        writer.write_record(response)
        request = writer.create_warc_record(
            "http://example.com/",
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True
            ),
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(request)
        chunked_http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "http://example.com/chunked",
                "response",
                payload=io.BytesIO(chunked(BODY, size=16)),
                length=len(chunked(BODY, size=16)),
                http_headers=chunked_http,
            )
        )
    report = check_warc(path)
    assert report.ok, [p.line() for p in report.problems]
    assert report.records == 4
    notes = warnings(report)
    # warcio digests the chunked body with its framing (warcio issue #74): a warning, named
    assert any(section == "5.9" and "warcio issue #74" in text for section, text in notes)
    assert sum("#74" in text for _, text in notes) == 1
    if version == "1.0":
        assert any("WARC/1.0" in text for _, text in notes)
    else:
        assert len(notes) == 1


def test_base32_sha1_digests_are_verified(tmp_path: Path) -> None:
    block = b"data"
    sha1 = base64.b32encode(hashlib.sha1(block).digest()).decode()
    fields = [
        ("WARC-Type", "resource"),
        ("WARC-Record-ID", rid(1)),
        ("WARC-Date", DATE),
        ("WARC-Target-URI", "file:///x"),
        ("Content-Type", "text/plain"),
        ("WARC-Block-Digest", f"sha1:{sha1}"),
        ("WARC-Payload-Digest", f"SHA-1:{sha1}"),
    ]
    assert check_warc(write(tmp_path, gz(warc_record(fields, block)))).problems == []
    wrong = [(n, v.replace(sha1[:4], "AAAA") if n == "WARC-Block-Digest" else v) for n, v in fields]
    report = check_warc(write(tmp_path, gz(warc_record(wrong, block))))
    assert sections(report) == {"5.8"}
    (message,) = [m for _, m in errors(report)]
    assert f"sha1:{sha1}" in message  # the computed digest, in the header's encoding


# --------------------------------------------------------------------------- broken WARCs


def replace_field(record: bytes, name: str, value: str | None) -> bytes:
    """The record with a header field changed (None: removed); the block untouched."""
    head, _, rest = record.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    out = []
    for line in lines:
        if line.lower().startswith(name.lower().encode() + b":"):
            if value is not None:
                out.append(f"{name}: {value}".encode())
            continue
        out.append(line)
    if value is not None and not any(
        x.lower().startswith(name.lower().encode() + b":") for x in lines
    ):
        out.append(f"{name}: {value}".encode())
    return b"\r\n".join(out) + b"\r\n\r\n" + rest


def check_changed(tmp_path: Path, index: int, name: str, value: str | None) -> CheckReport:
    records = good_records()
    records[index] = replace_field(records[index], name, value)
    return check_warc(write(tmp_path, gz(*records)))


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("WARC-Record-ID", "5.2"),
        ("Content-Length", "5.3"),
        ("WARC-Date", "5.4"),
        ("WARC-Type", "5.5"),
    ],
)
def test_each_missing_mandatory_field_is_named_with_its_section(
    tmp_path: Path, name: str, section: str
) -> None:
    report = check_changed(tmp_path, 4, name, None)
    assert not report.ok
    found = [(s, m) for s, m in errors(report) if s == section]
    assert found and name in found[0][1] and "mandatory" in found[0][1]
    offsets = member_offsets(good_records())
    assert {p.offset for p in report.problems if p.section == section} == {offsets[4]}


@pytest.mark.parametrize(
    ("index", "name", "value", "section"),
    [
        (4, "WARC-Record-ID", "urn:uuid:no-brackets", "5.2"),
        (4, "WARC-Record-ID", "<not a uri>", "5.2"),
        (4, "Content-Length", "14a", "5.3"),
        (4, "WARC-Date", "2026-13-01T00:00:00Z", "5.4"),
        (4, "WARC-Date", "2026-11-30 12:00:00", "5.4"),
        (4, "WARC-Date", "2026-11-30T12:00:00+01:00", "5.4"),
        (4, "Content-Type", "text plain", "5.6"),
        (2, "WARC-Concurrent-To", "urn:uuid:x", "5.7"),
        (2, "WARC-IP-Address", "300.1.1.1", "5.10"),
        (5, "WARC-Refers-To-Date", "yesterday", "5.13"),
        (4, "WARC-Target-URI", "http://example.com/a page", "5.14"),
        (2, "WARC-Target-URI", None, "5.14"),
        (1, "WARC-Target-URI", None, "5.14"),
        (5, "WARC-Target-URI", None, "5.14"),
        (0, "WARC-Target-URI", "http://example.com/", "5.14"),
        (0, "WARC-Concurrent-To", rid(2), "5.7"),
        (0, "WARC-Warcinfo-ID", rid(1), "5.16"),
        (0, "WARC-IP-Address", "127.0.0.1", "5.10"),
        (2, "WARC-Refers-To", rid(1), "5.11"),
        (4, "WARC-Refers-To-Target-URI", "http://example.com/", "5.12"),
        (4, "WARC-Filename", "x.warc.gz", "5.17"),
        (4, "WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified", "5.18"),
        (0, "WARC-Payload-Digest", sha256(b"x"), "5.9"),
        (3, "WARC-Identified-Payload-Type", "text/html", "5.19"),
        (4, "WARC-Segment-Origin-ID", rid(3), "5.21"),
        (5, "WARC-Profile", None, "6.7.1"),
        (5, "WARC-Payload-Digest", None, "6.7.2"),
        (2, "WARC-Warcinfo-ID", rid(3), "5.16"),  # names a response, not a warcinfo
        (2, "WARC-Warcinfo-ID", rid(99), "5.16"),  # names nothing
        (1, "WARC-Concurrent-To", rid(99), "5.7"),
    ],
)
def test_each_field_rule_is_reported_with_its_section(
    tmp_path: Path, index: int, name: str, value: str | None, section: str
) -> None:
    report = check_changed(tmp_path, index, name, value)
    assert section in sections(report), [p.line() for p in report.problems]
    offsets = member_offsets(good_records())
    assert offsets[index] in {p.offset for p in report.problems if p.section == section}


def test_repeated_fields(tmp_path: Path) -> None:
    records = good_records()
    records[4] = replace_field(records[4], "WARC-Date", DATE).replace(
        b"WARC-Date:", b"WARC-Date: 2020-01-01T00:00:00Z\r\nWARC-Date:", 1
    )
    report = check_warc(write(tmp_path, gz(*records)))
    assert sections(report) == {"5.1"}
    records = good_records()
    records[1] = records[1].replace(
        b"WARC-Concurrent-To:",
        b"WARC-Concurrent-To: " + rid(4).encode() + b"\r\nWARC-Concurrent-To:",
        1,
    )
    assert check_warc(write(tmp_path, gz(*records))).problems == []  # it may repeat


def test_a_refers_to_target_elsewhere_is_a_warning_resolved_by_giving_that_file(
    tmp_path: Path,
) -> None:
    records = good_records()
    first = write(tmp_path, gz(*records[:4]), "first.warc.gz")
    later = records[5].replace(b"\r\n\r\n", b"\r\n\r\n", 1)
    second = write(
        tmp_path, gz(records[0].replace(rid(1).encode(), rid(7).encode()), later), "second.warc.gz"
    )
    alone = check_warc(second)
    assert alone.ok
    assert [s for s, m in warnings(alone) if "WARC-Refers-To" in m] == ["5.11"]
    both = check_warcs([first, second])
    assert all(report.ok for report in both)
    assert not any("WARC-Refers-To" in m for r in both for _, m in warnings(r))


def test_unknown_type_and_truncation_reason_are_warnings(tmp_path: Path) -> None:
    report = check_changed(tmp_path, 4, "WARC-Truncated", "cosmic-ray")
    assert report.ok and [s for s, _ in warnings(report)] == ["5.15"]
    report = check_changed(tmp_path, 3, "WARC-Type", "annotation")
    assert report.ok and "5.5" in {s for s, _ in warnings(report)}


def test_version_lines(tmp_path: Path) -> None:
    records = good_records()
    records[2] = records[2].replace(b"WARC/1.1", b"WARC/2.0", 1)
    report = check_warc(write(tmp_path, gz(*records)))
    assert [s for s, m in errors(report) if "version" in m] == ["4"]
    records = good_records()
    records[2] = records[2].replace(b"WARC/1.1", b"WARC/1.0", 1)
    report = check_warc(write(tmp_path, gz(*records)))
    assert report.ok and any("WARC/1.0" in m for _, m in warnings(report))


def test_lf_line_ends_are_reported(tmp_path: Path) -> None:
    fields = [
        ("WARC-Type", "resource"),
        ("WARC-Record-ID", rid(1)),
        ("WARC-Date", DATE),
        ("WARC-Target-URI", "file:///x"),
        ("Content-Type", "text/plain"),
    ]
    report = check_warc(write(tmp_path, gz(warc_record(fields, b"x", eol=b"\n"))))
    assert "4" in sections(report)
    assert any("CRLF" in m for _, m in errors(report))


def test_block_and_payload_digest_mismatches(tmp_path: Path) -> None:
    records = good_records()
    records[2] = records[2].replace(b"<html>", b"<HTML>")
    report = check_warc(write(tmp_path, gz(*records)))
    assert sections(report) == {"5.8", "5.9"}
    payload = next(m for s, m in errors(report) if s == "5.9")
    assert "transfer-coding removed" in payload
    assert sha256(BODY.replace(b"<html>", b"<HTML>")) in payload


def test_payload_digest_keeps_content_coding_and_undoes_chunking(tmp_path: Path) -> None:
    compressed = gzip.compress(BODY, mtime=0)
    block = http_response(
        200,
        "OK",
        [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
    ) + chunked(compressed, size=5)
    fields = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", rid(1)),
        ("WARC-Date", DATE),
        ("WARC-Target-URI", "https://example.com/"),
        ("Content-Type", "application/http;msgtype=response"),
        ("WARC-Payload-Digest", sha256(compressed)),
    ]
    assert check_warc(write(tmp_path, gz(warc_record(fields, block)))).problems == []
    decoded = [(n, sha256(BODY) if n == "WARC-Payload-Digest" else v) for n, v in fields]
    report = check_warc(write(tmp_path, gz(warc_record(decoded, block))))
    assert sections(report) == {"5.9"}  # the content-coding is part of the payload


def test_gzip_transfer_coding_is_undone(tmp_path: Path) -> None:
    wire = gzip.compress(BODY, mtime=0)
    block = http_response(200, "OK", [("Transfer-Encoding", "gzip")], content_length=False) + wire
    fields = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", rid(1)),
        ("WARC-Date", DATE),
        ("WARC-Target-URI", "https://example.com/"),
        ("Content-Type", "application/http;msgtype=response"),
        ("WARC-Payload-Digest", sha256(BODY)),
    ]
    assert check_warc(write(tmp_path, gz(warc_record(fields, block)))).problems == []


def test_interim_responses_are_skipped_for_the_payload(tmp_path: Path) -> None:
    block = b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" + response_block()[0]
    fields = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", rid(1)),
        ("WARC-Date", DATE),
        ("WARC-Target-URI", "https://example.com/"),
        ("Content-Type", "application/http;msgtype=response"),
        ("WARC-Payload-Digest", sha256(BODY)),
    ]
    assert check_warc(write(tmp_path, gz(warc_record(fields, block)))).problems == []


def test_duplicate_record_ids(tmp_path: Path) -> None:
    records = good_records()
    records[4] = replace_field(records[4], "WARC-Record-ID", rid(3))
    report = check_warc(write(tmp_path, gz(*records)))
    offsets = member_offsets(records)
    (problem,) = [p for p in report.problems if p.section == "5.2"]
    assert problem.offset == offsets[4] and f"offset {offsets[2]}" in problem.message


def test_missing_trailer_and_wrong_content_length(tmp_path: Path) -> None:
    records = good_records()
    records[3] = records[3][:-4] + b"\r\n"
    report = check_warc(write(tmp_path, gz(*records)))
    assert any(s == "4" and "CRLF CRLF" in m for s, m in errors(report))
    assert report.records == len(records)  # read on at the next gzip member
    fields = [
        ("WARC-Type", "resource"),
        ("WARC-Record-ID", rid(1)),
        ("WARC-Date", DATE),
        ("WARC-Target-URI", "file:///x"),
        ("Content-Type", "text/plain"),
    ]
    too_long = warc_record(fields, b"abc", length=10)
    report = check_warc(write(tmp_path, too_long, "t.warc"))
    assert any(s == "5.3" and "truncated" in m for s, m in errors(report))


def test_one_gzip_member_per_record(tmp_path: Path) -> None:
    records = good_records()
    shared = gzip.compress(records[0], mtime=0) + gzip.compress(records[1] + records[2], mtime=0)
    rest = gz(*records[3:])
    report = check_warc(write(tmp_path, shared + rest))
    (problem,) = [p for p in report.problems if p.section == "Annex D.2"]
    assert problem.offset == len(gzip.compress(records[0], mtime=0))
    assert (
        problem.inner == len(records[1]) and "does not start its own gzip member" in problem.message
    )
    assert problem.record_id == rid(3)
    # one record cut across two members
    split = gzip.compress(records[0], mtime=0) + gzip.compress(records[1][:50], mtime=0)
    split += gzip.compress(records[1][50:], mtime=0) + gz(*records[2:])
    report = check_warc(write(tmp_path, split))
    assert [m for s, m in errors(report)] == [
        "the record spans 2 gzip members: one gzip member per record"
    ]
    # a whole-file gzip: every record after the first shares the member
    report = check_warc(write(tmp_path, gzip.compress(b"".join(records), mtime=0)))
    assert len([p for p in report.problems if p.section == "Annex D.2"]) == len(records) - 1


def test_truncated_garbage_and_corrupt_gzip(tmp_path: Path) -> None:
    data = gz(*good_records())
    offsets = member_offsets(good_records())
    cut = check_warc(write(tmp_path, data[: offsets[3] + 40]))
    assert not cut.ok
    (problem,) = [p for p in cut.problems if "truncated" in p.message]
    assert problem.offset == offsets[3]
    garbage = check_warc(write(tmp_path, data + b"<html>not a warc</html>"))
    (problem,) = garbage.problems
    assert problem.offset == len(data) and "not a gzip member" in problem.message
    assert garbage.records == len(offsets)
    corrupt = bytearray(data)
    corrupt[offsets[2] + 30] ^= 0xFF
    report = check_warc(write(tmp_path, bytes(corrupt)))
    assert not report.ok and any(p.offset == offsets[2] for p in report.problems)


def test_files_that_are_not_warcs(tmp_path: Path) -> None:
    for data, name in (
        (b"", "empty.warc"),
        (b"<!doctype html><p>hello</p>", "page.warc"),
        (gzip.compress(b"just text\n"), "text.warc.gz"),
        (bytes(range(256)) * 10, "binary.warc"),
    ):
        report = check_warc(write(tmp_path, data, name))
        assert not report.ok, name
        assert all(p.section in {"4", "Annex D.2", "Annex D.3"} for p in report.problems)
    with pytest.raises(WarcReadError, match="cannot open"):
        check_warc(tmp_path / "missing.warc.gz")


def test_blank_lines_between_records(tmp_path: Path) -> None:
    records = good_records()
    report = check_warc(write(tmp_path, records[0] + b"\r\n" + b"".join(records[1:]), "b.warc"))
    assert [(s, "blank" in m) for s, m in errors(report)] == [("4", True)]
    assert report.records == len(records)


def test_file_name_suffix(tmp_path: Path) -> None:
    report = check_warc(write(tmp_path, gz(*good_records()), "no-suffix.warc"))
    assert report.ok and [s for s, _ in warnings(report)] == ["Annex D.3"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_damaged_files_give_problems_never_exceptions(
    tmp_path: Path, changes: list[tuple[int, int]], compress: bool
) -> None:
    records = good_records()
    data = bytearray(gz(*records) if compress else b"".join(records))
    for position, value in changes:
        data[position % len(data)] = value
    path = write(tmp_path, bytes(data), "fuzz.warc.gz" if compress else "fuzz.warc")
    report = check_warc(path)
    assert isinstance(report.ok, bool)
    for problem in report.problems:
        assert problem.line()


def test_memory_stays_bounded_on_a_large_record(tmp_path: Path) -> None:
    size = 24 * 1024 * 1024
    path = tmp_path / "big.warc.gz"
    hasher = hashlib.sha256()
    piece = b"0123456789abcdef" * 4096
    for _ in range(size // len(piece)):
        hasher.update(piece)
    head = (
        "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:big>\r\n"
        f"WARC-Date: {DATE}\r\nWARC-Target-URI: file:///big\r\nContent-Type: text/plain\r\n"
        f"WARC-Block-Digest: sha256:{hasher.hexdigest()}\r\n"
        f"WARC-Payload-Digest: sha256:{hasher.hexdigest()}\r\nContent-Length: {size}\r\n\r\n"
    ).encode()
    with path.open("wb") as out:
        compressor = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        out.write(compressor.compress(head))
        for _ in range(size // len(piece)):
            out.write(compressor.compress(piece))
        out.write(compressor.compress(b"\r\n\r\n") + compressor.flush())
    tracemalloc.start()
    try:
        report = check_warc(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.problems == [], [p.line() for p in report.problems]
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes for a {size}-byte record"


# --------------------------------------------------------------------------- CLI


def test_cli_text_json_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = write(tmp_path, gz(*good_records()), "good.warc.gz")
    result = runner.invoke(cli, ["check", str(good)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{good}: ok (6 records)\n"
    records = good_records()
    records[2] = records[2].replace(b"<html>", b"<HTML>")
    bad = write(tmp_path, gz(*records), "bad.warc.gz")
    result = runner.invoke(cli, ["check", str(REFERENCE_WARC), str(bad)])
    assert result.exit_code == 5
    offset = member_offsets(records)[2]
    assert f"{bad}: offset {offset}: {rid(3)}: WARC 1.1 §5.8: WARC-Block-Digest" in result.stdout
    assert "Error: 2 problems in 1 of 2 WARC files" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["check", "--format", "json", str(bad)])
    assert result.exit_code == 5
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["specification"] == "WARC 1.1"
    (report,) = document["files"]
    assert report["records"] == 6 and report["gzip"] is True
    assert {p["section"] for p in report["problems"]} == {"WARC 1.1 §5.8", "WARC 1.1 §5.9"}
    assert {p["offset"] for p in report["problems"]} == {offset}
    result = runner.invoke(cli, ["check", str(tmp_path / "nope.warc.gz")])
    assert result.exit_code == 4 and "cannot open WARC file" in result.stderr
    garbage = write(tmp_path, b"\x1f\x8b\x08garbage", "garbage.warc.gz")
    result = runner.invoke(cli, ["check", str(garbage)])
    assert result.exit_code == 5 and "Traceback" not in result.output
    assert "offset 0" in result.stdout


# --------------------------------------------------------------------------- validate --deep


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "project"
    for folder in ("archive", "records"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    shutil.copy(PROJECT_ROOT / "warcite.toml", root / "warcite.toml")
    yield root


def test_validate_deep_runs_the_check_on_the_records_warc(project: Path) -> None:
    from warcite.integrity.validate import validate_file

    record = project / "records" / "opednews-160829-249.json"
    assert validate_file(record, project, deep=True).ok
    warc = next((project / "archive").glob("*.warc.gz"))
    data = warc.read_bytes()
    # a third record's member is replaced by one whose block digest is wrong
    members = []
    position = 0
    while position < len(data):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data[position:])
        end = len(data) - len(decompressor.unused_data)
        members.append(data[position:end])
        position = end
    last = gzip.decompress(members[-1])
    head, _, rest = last.partition(b"WARC-Block-Digest: sha256:")
    last = head + b"WARC-Block-Digest: sha256:" + b"0" * 64 + rest[64:]
    warc.write_bytes(b"".join(members[:-1]) + gzip.compress(last, mtime=0))
    report = validate_file(record, project, deep=True)
    found = [p for p in report.problems if p.kind == "warc"]
    assert found and all("WARC 1.1 §5.8" in p.message for p in found)
    assert not report.ok
    assert not validate_file(record, project, deep=False).ok  # the file's digests changed too
    assert not [p for p in validate_file(record, project).problems if p.kind == "warc"]

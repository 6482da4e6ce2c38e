"""Credentials for authenticated capture: cookies.txt, --header, redaction in the WARC."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_server import FixtureServer, http_response
from warcite.capture.credentials import (
    REDACTED_PREFIX,
    cookie_header,
    parse_header,
    read_cookies,
    redact_request,
)
from warcite.capture.live import capture
from warcite.cli import cli
from warcite.core.errors import UsageError

COOKIES = """# Netscape HTTP Cookie File
# comment line
.example.org\tTRUE\t/\tFALSE\t2000000000\twide\tw1
www.example.org\tFALSE\t/news\tTRUE\t0\tnarrow\tn1
#HttpOnly_example.org\tFALSE\t/\tFALSE\t0\thidden\th1

"""


def test_cookies_txt_is_read_and_matched(tmp_path: Path) -> None:
    path = tmp_path / "cookies.txt"
    path.write_text(COOKIES)
    cookies = read_cookies(path)
    assert [c.name for c in cookies] == ["wide", "narrow", "hidden"]
    assert cookies[2].http_only
    assert cookie_header(cookies, "www.example.org", "/news/a", "https") == "narrow=n1; wide=w1"
    assert cookie_header(cookies, "www.example.org", "/news/a", "http") == "wide=w1"  # secure
    assert cookie_header(cookies, "www.example.org", "/newsroom", "https") == "wide=w1"
    assert cookie_header(cookies, "example.org", "/", "http") == "wide=w1; hidden=h1"
    assert cookie_header(cookies, "other.org", "/", "http") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("example.org\tFALSE\t/\n", "expected 7 TAB-separated fields"),
        ("example.org\tFALSE\t/\tFALSE\tsoon\tname\tvalue\n", "expiry"),
        ("example.org\tFALSE\t/\tFALSE\t0\tbad name\tvalue\n", "not a valid cookie"),
    ],
)
def test_bad_cookies_txt_names_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "cookies.txt"
    path.write_text("# header\n" + content)
    with pytest.raises(UsageError, match=f"line 2: .*{message}"):
        read_cookies(path)


@pytest.mark.parametrize("text", ["X-A: b\r\nX-B: c", "X-A: b\nc", "Bad Name: x", "nocolon"])
def test_bad_headers_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_header(text)


def test_redaction_keeps_a_digest_and_the_rest() -> None:
    request = (
        b"GET / HTTP/1.1\r\nHost: a\r\nCookie: s=secret\r\nAuthorization: Bearer t0k3n\r\n"
        b"Accept: */*\r\n\r\nbody"
    )
    redacted, count = redact_request(request)
    assert count == 2
    assert b"secret" not in redacted and b"t0k3n" not in redacted
    digest = hashlib.sha256(b"s=secret").hexdigest()
    assert f"Cookie: {REDACTED_PREFIX}{digest}".encode() in redacted
    assert redacted.endswith(b"Accept: */*\r\n\r\nbody")


def test_plain_capture_sends_header_and_redacts_it(tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.route(
            "/p", http_response(200, "OK", [("Content-Type", "text/html")], b"<p>members</p>")
        )
        result = capture(
            server.url("/p"),
            archive_dir=tmp_path,
            requisites=False,
            headers=[("Authorization", "Bearer s3cret-token")],
        )
        assert b"Authorization: Bearer s3cret-token\r\n" in server.requests[0][1]
    import gzip

    raw = gzip.decompress(result.path.read_bytes())
    assert b"s3cret-token" not in raw
    assert b"Authorization: " + REDACTED_PREFIX.encode() in raw
    assert b"credentials: headers Authorization" in raw


def test_cli_header_with_line_break_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "capture",
            "http://127.0.0.1:9/",
            "--archive-dir",
            str(tmp_path),
            "--header",
            "A: b\nC: d",
        ],
    )
    assert result.exit_code == 2 and "line break" in result.output
    assert not any(tmp_path.iterdir())

"""warcite.collection.replay (captures by URL, closest in time) and warcite.web.rewrite (references
kept inside the replay), on their own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warcite.collection.replay import Capture, closest_capture, timestamp_datetime, warc_timestamp
from warcite.core.errors import RecordError
from warcite.web.rewrite import Rewriter

PREFIX = "/web"
STAMP = "20240101120000"


def _rewriter(base: str = "https://news.example/a/page.html") -> Rewriter:
    return Rewriter(PREFIX, STAMP, base)


def _capture(stamp: str) -> Capture:
    return Capture(
        url="https://news.example/",
        key="https://news.example/",
        timestamp=stamp,
        date=stamp,
        warc_path="archive/x.warc.gz",
        offset=0,
        record_type="response",
        record_id="<urn:uuid:x>",
    )


def test_warc_dates_and_partial_timestamps() -> None:
    assert warc_timestamp("2026-11-26T12:31:03.123456Z") == "20261126123103"
    assert timestamp_datetime("2026").isoformat() == "2026-01-01T00:00:00+00:00"
    assert timestamp_datetime("20261126").isoformat() == "2026-11-26T00:00:00+00:00"
    for bad in ("", "2026x", "20261399000000", "123456789012345"):
        with pytest.raises(RecordError):
            timestamp_datetime(bad)


def test_closest_capture_by_time() -> None:
    captures = [_capture(s) for s in ("20200101000000", "20220101000000", "20240101000000")]
    assert closest_capture(captures, "2019", "u").timestamp == "20200101000000"
    assert closest_capture(captures, "20211231", "u").timestamp == "20220101000000"
    assert closest_capture(captures, "20230101", "u").timestamp == "20220101000000"
    assert closest_capture(captures, "20230701", "u").timestamp == "20240101000000"
    assert closest_capture(captures, "2099", "u").timestamp == "20240101000000"
    with pytest.raises(RecordError, match="no capture"):
        closest_capture([], "2024", "https://nothing.example/")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("b.css", "/web/20240101120000mp_/https://news.example/a/b.css"),
        ("/c.png?x=1", "/web/20240101120000mp_/https://news.example/c.png?x=1"),
        ("//cdn.example/d.js", "/web/20240101120000mp_/https://cdn.example/d.js"),
        ("http://other.example/", "/web/20240101120000mp_/http://other.example/"),
        ("javascript:alert(1)", "#"),
        (" JaVaScRiPt:alert(1)", "#"),
        ("vbscript:x", "#"),
        ("ftp://files.example/x", "#"),
        ("#section", "#section"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
        ("mailto:a@b.example", "mailto:a@b.example"),
    ],
)
def test_urls_are_rewritten_into_the_replay(reference: str, expected: str) -> None:
    assert _rewriter().url(reference) == expected


def test_css_url_and_import_with_quotes_and_escapes() -> None:
    css = (
        '@import "x.css"; @import url(y.css);\n'
        "a { background: url( 'i\\'m.png' ) } b { background: url(\"q\\\".png\") }"
    )
    out = _rewriter().css(css)
    assert '@import "/web/20240101120000mp_/https://news.example/a/x.css"' in out
    assert 'url("/web/20240101120000mp_/https://news.example/a/y.css")' in out
    assert "https://news.example/a/i'm.png" in out
    assert '/a/q\\".png"' in out


def test_html_base_srcset_style_refresh_and_integrity() -> None:
    html = """<!DOCTYPE html><html><head><base href="https://evil.example/x/">
    <meta http-equiv="refresh" content="0; url=https://evil.example/go">
    <link rel="stylesheet" href="s.css" integrity="sha384-abc">
    <style>body { background: url(bg.png) }</style></head>
    <body><img srcset="a.png 1x, https://evil.example/b.png 2x" src="a.png">
    <div style="background-image: url('c.png')"></div>
    <form action="https://evil.example/post"></form>
    <a href="javascript:top.location='https://evil.example'">x</a></body></html>"""
    out = _rewriter().html(html)
    assert "<base" not in out and "integrity" not in out and "javascript:" not in out
    assert 'href="/web/20240101120000mp_/https://evil.example/x/s.css"' in out
    assert "url=/web/20240101120000mp_/https://evil.example/go" in out
    assert "/web/20240101120000mp_/https://evil.example/x/a.png 1x" in out
    assert "/web/20240101120000mp_/https://evil.example/b.png 2x" in out
    assert 'url("/web/20240101120000mp_/https://evil.example/x/bg.png")' in out
    assert 'url("/web/20240101120000mp_/https://evil.example/x/c.png")' in out
    assert 'action="/web/20240101120000mp_/https://evil.example/post"' in out


@given(st.text(max_size=40))
def test_no_reference_escapes_the_replay(reference: str) -> None:
    out = _rewriter().url(reference)
    stripped = reference.strip()
    assert out.startswith(f"{PREFIX}/{STAMP}mp_/http") or (
        out in ("#", stripped)
        and (
            out == ""
            or out.startswith("#")
            or out.lower().startswith(("data:", "blob:", "mailto:", "tel:", "about:blank"))
        )
    ), (reference, out)

"""Which served pages are application shells whose text scripts build (exit 9 without
--browser), and which are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from warcite.core.models import ArchivedPage
from warcite.extract.rendered import looks_script_built

PROSE = "<p>" + "A sentence of real prose that a reader came for. " * 8 + "</p>"


def page(html: str) -> ArchivedPage:
    return ArchivedPage(
        warc_path=Path("x.warc.gz"),
        record_id="<urn:uuid:00000000-0000-4000-8000-000000000000>",
        record_type="response",
        target_uri="https://example.org/a",
        url="https://example.org/a",
        warc_date="2026-12-06T00:00:00Z",
        offset=0,
        length=0,
        http_status=200,
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        content_type="text/html; charset=utf-8",
        body=html.encode(),
        payload_digest=None,
        method="http-capture",
    )


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><div id='root'></div><script src='/app.js'></script></body></html>",
        "<html><head><title>Loading…</title></head><body><div id='app'>Loading…</div>"
        "<script>load()</script></body></html>",
        "<html><body><div id='main-view'></div><noscript>Enable JavaScript to read this "
        "article.</noscript><script src='/b.js'></script></body></html>",
        "<html><body><div id='__next'><div class='spinner'></div></div>"
        "<script id='__NEXT_DATA__' type='application/json'>{}</script></body></html>",
    ],
)
def test_application_shells(html: str) -> None:
    assert looks_script_built(page(html))


@pytest.mark.parametrize(
    "html",
    [
        f"<html><body><div id='root'>{PROSE}</div><script src='/app.js'></script></body></html>",
        f"<html><body><article>{PROSE}</article><noscript>x</noscript><script></script></body></html>",
        "<html><body><div id='root'></div></body></html>",  # no script: nothing builds it
        "<html><body><p>Short page.</p><script>track()</script></body></html>",  # no root
    ],
)
def test_not_application_shells(html: str) -> None:
    assert not looks_script_built(page(html))

"""Robustness: whatever bytes arrive, extraction returns an Extraction or raises ExtractionError.

Hypothesis feeds arbitrary bytes and text, generated tag soup, and mutations of the
handwritten pages (tests/data/html_*.html) under assorted headers.  Pathological pages
(100,000 nested elements, a page of several megabytes) must finish in bounded time and
memory.  Every successful result is checked for the clean-text invariants.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warcite.core.errors import ExtractionError
from warcite.core.models import PARAGRAPH_KINDS, Extraction
from warcite.extract import extract

DATA = Path(__file__).resolve().parent / "data"
PAGES = sorted(DATA.glob("html_*.html"))

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CONTENT_TYPES = [
    None,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=iso-8859-1",
    "text/html; charset=euc-kr",
    "text/html; charset=utf-16",
    "text/html; charset=x-unknown-label",
    "application/xhtml+xml",
    "text/plain; charset=utf-8",
    "application/octet-stream",
    "image/png",
]
ENCODINGS = [None, "identity", "gzip", "deflate", "br", "zstd", "compress"]


def check(body: bytes, content_type: str | None, encoding: str | None) -> None:
    """Extraction either succeeds with clean paragraphs or raises ExtractionError."""
    headers: list[tuple[str, str]] = []
    if content_type:
        headers.append(("Content-Type", content_type))
    if encoding:
        headers.append(("Content-Encoding", encoding))
    try:
        result = extract(body, headers=headers, url="https://example.test/a/b")
    except ExtractionError as error:
        assert str(error)  # every refusal says why
        return
    assert isinstance(result, Extraction)
    assert result.paragraphs or (
        result.title is not None
        and any(warning.startswith("no article text found") for warning in result.warnings)
    ), "a success holds text, or a title and the warning that the page has no article"
    for paragraph in result.paragraphs:
        assert paragraph.kind in PARAGRAPH_KINDS
        assert paragraph.text and not paragraph.text.isspace()
        assert unicodedata.is_normalized("NFC", paragraph.text)
        if paragraph.kind == "preformatted":  # indentation is kept, blank edge lines are not
            assert paragraph.text == paragraph.text.strip("\n")
        else:
            assert paragraph.text == paragraph.text.strip()
            assert "\u00a0" not in paragraph.text
            assert "  " not in paragraph.text and "\n" not in paragraph.text


@SETTINGS
@given(
    body=st.binary(max_size=3000),
    content_type=st.sampled_from(CONTENT_TYPES),
    encoding=st.sampled_from(ENCODINGS),
)
def test_arbitrary_bytes(body: bytes, content_type: str | None, encoding: str | None) -> None:
    check(body, content_type, encoding)


@SETTINGS
@given(
    text=st.text(max_size=3000),
    content_type=st.sampled_from(["text/html; charset=utf-8", "text/plain; charset=utf-8", None]),
)
def test_arbitrary_text(text: str, content_type: str | None) -> None:
    check(text.encode("utf-8", "surrogatepass"), content_type, None)


TAGS = [
    "html", "head", "body", "title", "meta", "div", "p", "span", "a", "article", "main",
    "section", "nav", "header", "footer", "aside", "form", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "blockquote", "pre", "code", "table", "tr", "td", "th", "br", "img",
    "script", "style", "noscript", "template", "svg", "iframe", "figure", "figcaption",
]  # fmt: skip
ATTRIBUTES = [
    "", " class='share-buttons'", " class='entry-content'", " id='comments'",
    " class='has-sidebar tag-news'", " hidden", " aria-hidden='true'",
    " style='display:none'", " role='navigation'", " itemprop='articleBody'",
    " class=\"unterminated", " href='/x'",
]  # fmt: skip
PROSE = st.sampled_from(
    [
        "A sentence of article prose that is long enough to count as a paragraph of text.",
        "By Jane Doe",
        "March 5, 2024",
        "Share this:",
        "Related articles",
        "Comments",
        "&amp; &lt; &nbsp; &#x1F600; &#0; &bogus;",
        "\u00a0\u200b\u00ad",
    ]
)
TOKEN = st.one_of(
    st.builds(
        lambda tag, attribute: f"<{tag}{attribute}>",
        st.sampled_from(TAGS),
        st.sampled_from(ATTRIBUTES),
    ),
    st.builds(lambda tag: f"</{tag}>", st.sampled_from(TAGS)),
    PROSE,
    st.text(max_size=40),
    st.sampled_from(
        [
            "<!DOCTYPE html>",
            '<?xml version="1.0" encoding="utf-8"?>',
            "<!-- comment -->",
            "<![CDATA[ x ]]>",
            '<meta charset="euc-kr">',
            '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
            "&e;",
            "<",
            ">",
            "</",
        ]
    ),
)


@SETTINGS
@given(tokens=st.lists(TOKEN, max_size=200), content_type=st.sampled_from(CONTENT_TYPES[:8]))
def test_generated_tag_soup(tokens: list[str], content_type: str | None) -> None:
    check("".join(tokens).encode("utf-8", "surrogatepass"), content_type, None)


@st.composite
def mutated_page(draw: st.DrawFn) -> bytes:
    page = bytearray(draw(st.sampled_from(PAGES)).read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not page:
            break
        start = draw(st.integers(min_value=0, max_value=len(page) - 1))
        end = draw(st.integers(min_value=start, max_value=min(len(page), start + 400)))
        operation = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "flip"]))
        if operation == "delete":
            del page[start:end]
        elif operation == "insert":
            page[start:start] = draw(st.one_of(st.binary(max_size=60), TOKEN.map(str.encode)))
        elif operation == "duplicate":
            page[end:end] = page[start:end] * draw(st.integers(min_value=1, max_value=5))
        elif operation == "truncate":
            del page[start:]
        else:
            page[start:end] = bytes(b ^ 0x20 for b in page[start:end])
    return bytes(page)


@SETTINGS
@given(
    body=mutated_page(),
    content_type=st.sampled_from(CONTENT_TYPES[:8]),
    compress=st.booleans(),
)
def test_mutated_pages(body: bytes, content_type: str | None, compress: bool) -> None:
    check(gzip.compress(body) if compress else body, content_type, "gzip" if compress else None)


def test_unmutated_pages_pass_the_same_checks() -> None:
    """The mutation test's invariants hold on the pages it starts from."""
    assert PAGES, "tests/data/html_*.html is missing"
    for page in PAGES:
        check(page.read_bytes(), "text/html; charset=utf-8", None)


# --------------------------------------------------------------------------- bounds

PARAGRAPH = (
    "<p>This is a paragraph of prose that is long enough to count, and it ends with a period.</p>"
)


def bounded(body: bytes, *, seconds: float, megabytes: float) -> Extraction | None:
    """Extract ``body``, asserting time and peak Python memory stay under the bounds."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result: Extraction | None = extract(
            body, headers=[("Content-Type", "text/html; charset=utf-8")]
        )
    except ExtractionError:
        result = None
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < megabytes * 1e6, f"peaked at {peak / 1e6:.0f} MB"
    return result


@pytest.mark.parametrize(
    "html",
    [
        "<html><body>" + "<div class='share'>" * 100_000 + PARAGRAPH * 3 + "</div>" * 100_000,
        "<html><body>" + "<div>word " * 100_000 + "</div>" * 100_000,
        "<html><body><p>" + "<span>" * 100_000 + "x" + "</span>" * 100_000,
        "<html><body>" + "<ul><li>item " * 100_000,
        "<html><body>" + "<table><tr><td>cell " * 50_000,
        "<html><body>" + "<blockquote>" * 100_000 + PARAGRAPH * 3,
        "<html><body>" + "<header>" * 100_000 + PARAGRAPH * 3,
    ],
    ids=["divs", "divs-with-text", "spans", "lists", "tables", "quotes", "headers"],
)
def test_deeply_nested_pages_stay_bounded(html: str) -> None:
    bounded(html.encode(), seconds=20, megabytes=200)


def test_huge_page_stays_bounded() -> None:
    html = "<html><body><article>" + PARAGRAPH * 40_000 + "</article></body></html>"  # 3.7 MB
    result = bounded(html.encode(), seconds=60, megabytes=600)
    assert result is not None and len(result.paragraphs) == 40_000


def test_deep_page_with_many_blocks_stays_linear() -> None:
    """Many blocks deep in the tree: scoring is one pass, not one walk per block."""
    html = "<html><body>" + "<div>" * 250 + PARAGRAPH * 10_000
    started = time.perf_counter()
    result = extract(html.encode())
    assert len(result.paragraphs) == 10_000
    assert time.perf_counter() - started < 30

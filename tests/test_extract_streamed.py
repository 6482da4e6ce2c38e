"""Issue #18: a large page's text is read from a second parse into events, without a tree
(``warcite.extract.html.streamed``), and it is the same text as the tree's.

``extract()`` takes that path for a decoded page of at least ``STREAMED_PAGE_BYTES``;
``extract_html(..., reread=...)`` forces it.  Every test here compares the whole Extraction
(paragraphs, warnings and metadata) of the two paths: on the project's test pages, on
pages written for each rule the event path re-implements (furniture headers, controls that
swallow the page, hidden copies, marked article bodies split in sections, ...), and on the
development sets when ../shared is there.  The memory the path saves is measured by
``bench/extraction_memory.py`` and bounded in ``tests/test_extraction_memory.py``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TEST_DATA, shared_path
from warcite.core.decode import decode_body
from warcite.core.errors import ExtractionError
from warcite.core.models import Extraction
from warcite.extract import extract, extraction_as_dict, iter_extraction_json
from warcite.extract.html import extract_html, streamed

URL = "https://news.example.org/2024/03/05/otters-return"
LONG = (
    "Volunteers counted fresh tracks at six sites along the river this winter, and a camera "
    "trap near the old mill filmed a family of three swimming upstream at dusk."
)


def _both(text: str, url: str | None = URL) -> tuple[Extraction | str, Extraction | str]:
    """The tree path's Extraction and the event path's (or both errors' messages)."""

    def run(**options: object) -> Extraction | str:
        try:
            return extract_html(text, url=url, **options)  # type: ignore[arg-type]
        except ExtractionError as error:
            return str(error)

    def pieces() -> Iterator[str]:  # cut anywhere: the feed joins them
        for start in range(0, len(text), 997):
            yield text[start : start + 997]

    return run(), run(reread=pieces)


def _page(body: str, head: str = "<title>Otters return</title>") -> str:
    return f"<!DOCTYPE html><html lang=en><head>{head}</head><body>{body}</body></html>"


RULE_PAGES = {
    "header with the h1 is not furniture": _page(
        f"<header class=top><h1>Otters return</h1><p>{LONG}</p></header>"
        f"<article><p>{LONG}</p><p>{LONG}</p></article>"
    ),
    "header with a long paragraph is not furniture": _page(
        f"<header><p>{LONG} {LONG}</p></header><div><p>{LONG}</p></div>"
    ),
    "plain header is furniture": _page(
        f"<header><nav><a href=/>Home</a></nav><p>Menu text</p></header><main><p>{LONG}</p>"
        f"<p>{LONG}</p></main><footer><p>{LONG}</p></footer>"
    ),
    "a button swallowing the page is unwrapped": _page(
        f"<button><div>Menu</button><main><h1>Otters</h1><p>{LONG}</p><p>{LONG}</p></main>"
    ),
    "a select holding no structure is dropped": _page(
        f"<p>{LONG}<select><option>One</option><option>Two</option></select> after</p>"
    ),
    "text around removed elements joins": _page(
        f"<p>{LONG} a<script>var x = 1;</script>b <img src=x.png> c<!-- note --> d</p>"
        f"<p><a href=/x>link</a> <svg><title>Icon</title></svg> {LONG}</p>"
    ),
    "hidden copy of the text is excluded": _page(
        f"<article><p>{LONG}</p><p>{LONG} Again.</p></article>"
        f'<div style="display:none"><p>{LONG}</p><p>{LONG} Again.</p></div>'
    ),
    "hidden text that is most of the prose is read": _page(
        f"<div hidden><p>{LONG}</p><p>{LONG}</p><p>{LONG}</p></div><p>Short note.</p>"
    ),
    "marked body split in sections takes the parent": _page(
        f'<div id=story><div class="article-body"><p>{LONG}</p></div>'
        f"<aside class=ad><p>Advertisement</p></aside>"
        f'<div class="article-body"><p>{LONG}</p><p>{LONG}</p></div></div>'
        f"<div class=related><a href=/a>{LONG}</a></div>"
    ),
    "itemprop article body is preferred": _page(
        f"<div><div itemprop=articleBody><p>{LONG}</p><p>{LONG}</p></div>"
        f"<div><p>{LONG}</p></div></div>"
    ),
    "comment section never wraps the article": _page(
        f"<article><p>{LONG}</p></article><section id=comments><p>{LONG}</p><p>{LONG}</p>"
        f"<p>{LONG}</p></section>"
    ),
    "aside holding main wraps the article": _page(
        f"<aside class=layout><main><h1>Otters</h1><p>{LONG}</p><p>{LONG}</p></main>"
    ),
    "sidebar class wrapping the article": _page(
        f'<div class="has-sidebar"><article><p>{LONG}</p><p>{LONG}</p></article></div>'
        f'<div class="sidebar"><p>{LONG}</p></div>'
    ),
    "preformatted, breaks, tables, lists and quotes": _page(
        f'<article><pre class="hljs-comment">  code\n    indented</pre><p>{LONG}<br>one<br>'
        f"<br>two</p><table><tr><td>Site</td><td>Tracks</td></tr><tr><th>Mill</th><td>4</td>"
        f"</tr></table><ul><li>{LONG}</li><li>Three animals</li></ul><blockquote><p>{LONG}"
        "</p></blockquote></article>"
    ),
    "text directly in the root and head": "Loose text " + _page(f"<p>{LONG}</p>") + " tail",
    "consent notice and byline": _page(
        f"<div class=cookie-banner><p>We use cookies to improve your experience. By "
        f"continuing you agree to our cookie policy.</p></div><article><p>By Jane Doe</p>"
        f"<p>{LONG}</p><p>{LONG}</p></article>"
    ),
    "a listing without prose": _page(
        "<ul>" + "".join(f"<li><a href=/s{n}>Story {n}</a></li>" for n in range(20)) + "</ul>"
    ),
    "nesting deeper than libxml2's tree goes": _page(
        f"<p>{LONG}</p>" + "<div class=x>a " * 300 + f"<p>{LONG}</p>" + "</div>" * 300
    ),
    "nesting just at libxml2's limit": _page("<div>a " * 254 + f"<p>{LONG}</p>" + "</div>" * 254),
    "a discarded element past the limit": _page(
        "<span>" * 253 + f"{LONG}<noscript>" + "<b>" * 10 + "x" + "</b>" * 10 + "</noscript>"
    ),
    "an unclosed nav swallowing the page": _page(
        f"<nav><a href=/>Home</a><div><h1>Otters return</h1><p>{LONG}</p><p>{LONG}</p></div>"
    ),
    # rows of arrays (warcite.extract.html.rows): marks kept as a chain, cut lists of blocks
    "marks nested around a header that is not furniture": _page(
        f"<div class=share-wrap><header><h1>Otters return</h1><div class=social><p>Share this"
        f" story</p></div><p>{LONG}</p><div hidden><p>{LONG}</p></div></header>"
        f"<p>{LONG}</p></div><article><p>{LONG}</p><p>{LONG}</p></article>"
    ),
    "a slideshow inside the article is dropped": _page(
        f"<article><p>{LONG}</p><p>{LONG}</p><h2>The valley in pictures</h2>"
        + "".join(f"<p>{n}/5 Otters at the mill</p><p>Photo: J. Doe</p>" for n in range(1, 6))
        + f"<p>{LONG}</p><p>{LONG} Last.</p></article>"
    ),
    "a teaser tail is cut": _page(
        f"<article><p>{LONG}</p><p>{LONG}</p>"
        + "".join(f"<p><a href=/s{n}>Another story number {n}</a></p>" for n in range(5))
        + "</article>"
    ),
    "more attribute sets than are shared": _page(
        "".join(f'<div class="box-{n}"><p>Item {n} of the list.</p></div>' for n in range(4200))
        + f'<div class="box-4200 article-body"><p>{LONG}</p><p>{LONG}</p></div>'
    ),
}


@pytest.mark.parametrize("name", sorted(RULE_PAGES))
def test_the_event_path_reads_each_rule_as_the_tree_path(name: str) -> None:
    tree, events = _both(RULE_PAGES[name])
    assert events == tree


def _test_pages() -> list[Path]:
    return sorted(TEST_DATA.glob("*.html")) + sorted((TEST_DATA / "round3").glob("*.html"))


@pytest.mark.parametrize("path", _test_pages(), ids=lambda path: path.name)
def test_the_event_path_reads_the_test_pages_as_the_tree_path(path: Path) -> None:
    tree, events = _both(decode_body(path.read_bytes()).text)
    assert events == tree


@pytest.mark.parametrize("folder", ["extraction-dev/pages", "extraction-dev-readability/pages"])
def test_the_event_path_reads_the_development_sets_as_the_tree_path(folder: str) -> None:
    pages = [
        path
        for path in sorted(shared_path(folder).rglob("*.gz"))
        if path.name != "expected.html.gz"
    ]
    assert pages
    differing = []
    for path in pages:
        tree, events = _both(decode_body(gzip.decompress(path.read_bytes())).text)
        if events != tree:
            differing.append(path.name)
    assert differing == []


def test_extract_reads_a_page_over_the_threshold_from_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = (TEST_DATA / "html_news_article.html").read_bytes()
    headers = (("Content-Type", "text/html; charset=utf-8"),)
    calls: list[int] = []
    original = streamed.streamed_blocks

    def counted(*arguments: object) -> object:
        calls.append(1)
        return original(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(streamed, "streamed_blocks", counted)
    below = extract(body, headers=headers, url=URL)
    assert calls == []  # a small page: the tree path
    monkeypatch.setattr(streamed, "STREAMED_PAGE_BYTES", len(body))
    at = extract(body, headers=headers, url=URL)
    assert calls == [1]
    assert at == below


def test_the_event_path_keeps_no_attribute_no_rule_reads() -> None:
    events = streamed._Events(set())
    kept = events._attributes({"href": "/x", "class": "share", "data-x": "1", "hidden": ""})
    assert kept == {"class": "share", "hidden": ""}
    assert events._attributes({"href": "/x"}) == {}
    assert events._attributes({"class": "share"}) is events._attributes({"class": "share"})


# ------------------------------------------------------------------ the CLI's JSON in pieces


def test_iter_extraction_json_is_the_json_of_extraction_as_dict() -> None:
    from warcite.extract.pdf import extract_pdf

    pages = [
        extract((TEST_DATA / "html_news_article.html").read_bytes(), url=URL),
        extract_pdf((TEST_DATA / "pdf" / "footnotes.pdf").read_bytes(), url=URL),
        Extraction(paragraphs=()),
    ]
    for extraction in pages:
        expected = json.dumps(extraction_as_dict(extraction), ensure_ascii=False, indent=2)
        pieces = list(iter_extraction_json(extraction))
        assert "".join(pieces) == expected
        if len(extraction.paragraphs) > 1:  # the text and paragraphs come a piece at a time
            longest = max(len(piece) for piece in pieces)
            assert longest < len(extraction.text)

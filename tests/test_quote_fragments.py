"""Text Fragment links: warcite's matcher (the WICG "Text Fragments" algorithm) and the
real browser agree on which passage a link selects.

Every page below is used twice: warcite renders it, finds the quote, generates a link and
checks it with its own matcher; then headless Chromium (Debian's ``chromium``, installed by
tools/ci-setup.sh) opens the same page from a loopback server with the same link, and the
test asserts that the passage Chromium highlights is the quoted occurrence.

How the browser's choice is read (there is no script API for it, by design: the report
forbids exposing the match to the page): Chromium makes the element holding the match the
document's CSS target, so ``document.querySelector(':target')`` names it, and it scrolls
the matched range to the centre of the viewport.  Occurrences on the test pages are
wrapped in ``<span id=...>`` (inline spans change nothing in the rendered text), lines are
tall and the page padded, so both the ``:target`` element and the range centred in the
viewport identify the occurrence.

Rule sources: WICG "Text Fragments" (Community Group report): syntax
``#:~:text=[prefix-,]textStart[,textEnd][,-suffix]``; "find a range from a text
directive"; "find a string in range" (block boundaries; primary-level comparison);
"word boundaries" (UAX #29); "Prefer Exact Matching To Range-based" (300 characters).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiet_server import QuietHTTPServer
from warcite.cite.fragments import (
    RenderedText,
    TextDirective,
    find_range,
    fragment_for,
    parse_directive,
    render_html,
    render_lines,
    verify,
)
from warcite.cite.quote import find_quotes, rendered_page
from warcite.core.config import Config

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
DATA = TESTS / "data"
CONFIG = Config(archive_name="warcite")

STYLE = (
    "<style>body{font:16px/40px monospace;width:480px;padding:4000px 8px;margin:0}"
    "p,h1,h2,li,div,footer,header{margin:0 0 160px 0}</style>"
)


def page(body: str, title: str = "Test page") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{STYLE}</head><body>{body}</body></html>"
    )


# The pages: (HTML, clean text of the article as an extractor would store it).
HEADLINE = page(
    "<header><nav><a href='/'>Home</a> <a href='/o'>Opinion</a></nav></header>"
    "<h1 id='h'>The Reign of Terror</h1><p>By A. Writer</p>"
    "<article><p id='p1'>The king's <span id='o1'>reign of terror</span> began in spring. "
    "Nobody expected the <span id='o2'>reign of terror</span> to last.</p>"
    "<p id='p2'>Later, a second <span id='o3'>Reign of Terror</span> was declared.</p>"
    "</article><footer>Copyright reign of terror press</footer>"
)
HEADLINE_TEXT = [
    "The king's reign of terror began in spring. Nobody expected the reign of terror to last.",
    "Later, a second Reign of Terror was declared.",
]

LONG_SENTENCE = (
    "The committee found that the river had been diverted three times in the last century, "
    "that each diversion had been approved without a survey of the wetlands downstream, and "
    "that the fish counts recorded by volunteers since 1990 showed a decline of more than half "
    "in the years after the last diversion, while the upstream counts stayed the same."
)
LONG = page(
    "<h1>The river report</h1>"
    "<p>Summary: The committee found that the river had been diverted three times.</p>"
    f"<p id='main'><span id='s'>{LONG_SENTENCE[:40]}</span>{LONG_SENTENCE[40:-20]}"
    f"<span id='e'>{LONG_SENTENCE[-20:]}</span></p>"
    "<p>Readers wrote that the upstream counts stayed the same.</p>"
)
LONG_TEXT = [
    "Summary: The committee found that the river had been diverted three times.",
    LONG_SENTENCE,
    "Readers wrote that the upstream counts stayed the same.",
]

ACROSS = page(
    "<h1>Notes</h1><div id='pair'><p>The sense of solidarity among the elite "
    "<span id='s'>is being diluted.</span></p>"
    "<p><span id='e'>One of the important</span> features is loyalty. It is being diluted.</p>"
    "</div><p>One of the important features is silence.</p>"
)
ACROSS_TEXT = [
    "The sense of solidarity among the elite is being diluted.",
    "One of the important features is loyalty. It is being diluted.",
    "One of the important features is silence.",
]

INSIDE_WORD = page(
    "<p>Boating the river is fun.</p>"
    "<p>Cross<span id='o1'>ing the riv</span>er at night is not.</p>"
    "<p>Nothing the river does surprises us; sing the river's song.</p>"
)
INSIDE_WORD_TEXT = [
    "Boating the river is fun.",
    "Crossing the river at night is not.",
    "Nothing the river does surprises us; sing the river's song.",
]

ACCENTS = page(
    "<h1>Cafe notes</h1><p>We met at the <span id='o1'>CAFÉ</span> on Monday.</p>"
    "<p>The <span id='o2'>café</span> was closed on Tuesday.</p>"
)
ACCENTS_TEXT = ["We met at the CAFÉ on Monday.", "The café was closed on Tuesday."]

REPEATS = page("<p>" + " ".join(["la"] * 16) + "</p>")
REPEATS_TEXT = [" ".join(["la"] * 16)]


def record_with(paragraphs: list[str]) -> tuple[dict[str, Any], str]:
    """The reference record holding another clean text (digest and kinds updated)."""
    record = json.loads((DATA / "cite_reference.json").read_text("utf-8"))
    text = "\n\n".join(paragraphs) + "\n"
    record["text"].update(
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        paragraphs=len(paragraphs),
        paragraph_kinds=["paragraph"] * len(paragraphs),
        characters=len(text),
    )
    record["work"]["url"] = "http://127.0.0.1/page.html"
    return record, text


def quote_links(html: str, paragraphs: list[str], phrase: str) -> list[str | None]:
    record, text = record_with(paragraphs)
    matches = find_quotes(record, text, phrase, config=CONFIG, page=render_html(html))
    return [match.text_fragment_url for match in matches]


def selected(html: str, link: str) -> str:
    rendered = render_html(html)
    directive = parse_directive(link)
    assert directive is not None
    span = find_range(rendered, directive)
    assert span is not None, link
    return rendered.text[span[0] : span[1]]


# --------------------------------------------------------------------------- the matcher


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        # the WPT suite's smoke tests for "find a range from a text directive"
        ("jumped", "jumped"),
        ("u-,mped", None),  # a prefix must start on a word boundary
        ("jum", None),  # an exact match must end on one
        ("The%20quick", "The quick"),
        ("quick-,brown", "brown"),
        ("brown,lazy", "brown fox\njumped over the lazy"),
        ("THE%20LAZY%20DOG", "the lazy dog"),  # case-insensitive
        ("fox%20jumped", None),  # no term crosses a block boundary
        ("fox-,jumped", "jumped"),  # context does
        ("brown,-fox", "brown"),
        ("brown,-dog", None),
        ("dog,-cat", None),
    ],
)
def test_find_range_follows_the_report(fragment: str, expected: str | None) -> None:
    rendered = render_html("<div>The quick brown fox</div><div>jumped over the lazy dog</div>")
    directive = parse_directive(f"text={fragment}")
    assert directive is not None
    span = find_range(rendered, directive)
    assert (rendered.text[span[0] : span[1]] if span else None) == expected


def test_rendering_keeps_what_a_browser_shows() -> None:
    rendered = render_html(
        "<html><head><title>Hidden title</title><style>p{}</style></head><body>"
        "<h1>Head  line</h1><p>one <b>two</b>\n three<br>four</p><script>no()</script>"
        "<p hidden>gone</p><p style='display: none'>gone</p><table><tr><td>a</td><td>b</td>"
        "</tr></table><pre>x  y\nz</pre><noscript>gone</noscript><img alt='gone'></body></html>"
    )
    assert rendered.text.split("\n") == ["Head line", "one two three", "four", "a", "b", "x y", "z"]
    assert render_lines("a  b\n\n c\n").text == "a b\nc"
    xhtml = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Grüße</p></body></html>'
    assert render_html(xhtml).text == "Grüße"
    assert render_html("").text == "" and render_html("<p>" * 5000 + "x").text == "x"


def test_headline_and_boilerplate_are_part_of_the_page() -> None:
    """The old bug: uniqueness decided case-sensitively on the clean text, while browsers
    match case-insensitively over the whole page (the headline comes first)."""
    links = quote_links(HEADLINE, HEADLINE_TEXT, "reign of terror")
    assert len(links) == 2
    for link in links:
        assert link is not None and link.endswith(link.split("#")[1])
    rendered = render_html(HEADLINE)
    for link, wanted in zip(links, ("o1", "o2"), strict=True):
        directive = parse_directive(link or "")
        assert directive is not None
        span = find_range(rendered, directive)
        assert span is not None
        # o1 and o2 are the 2nd and 3rd occurrences on the page (after the headline)
        occurrences = [
            i
            for i in range(len(rendered.text))
            if rendered.text.lower().startswith("reign of terror", i)
        ]
        assert span[0] == occurrences[1 if wanted == "o1" else 2]
    assert parse_directive(links[0] or "") != TextDirective("reign of terror")


def test_long_quote_is_a_checked_range() -> None:
    (link,) = quote_links(LONG, LONG_TEXT, LONG_SENTENCE)
    assert link is not None
    directive = parse_directive(link)
    assert directive is not None and directive.end is not None  # > 300 characters
    assert selected(LONG, link) == LONG_SENTENCE
    # the naive range (first four words, last four) selects from the summary instead
    naive = TextDirective("The committee found that", "stayed the same.")
    rendered = render_html(LONG)
    span = find_range(rendered, naive)
    assert span is not None and rendered.text[span[0] : span[1]] != LONG_SENTENCE


def test_quote_across_paragraphs() -> None:
    first, second = quote_links(ACROSS, ACROSS_TEXT, "is being diluted. One of the important")
    assert first is not None and second is not None
    rendered = render_html(ACROSS)
    spans = [
        find_range(rendered, parse_directive(link) or TextDirective("x"))
        for link in (first, second)
    ]
    starts = [
        i for i in range(len(rendered.text)) if rendered.text.startswith("is being diluted.", i)
    ]
    assert [span[0] if span else None for span in spans] == starts
    assert selected(ACROSS, first) == "is being diluted.\nOne of the important"


def test_quote_starting_and_ending_inside_a_word() -> None:
    links = quote_links(INSIDE_WORD, INSIDE_WORD_TEXT, "ing the riv")
    assert len(links) == 4  # Boat-ing, Cross-ing, Noth-ing, s-ing the riv-er
    link = links[1]
    assert link is not None
    directive = parse_directive(link)
    assert directive is not None and directive.prefix and directive.suffix
    rendered = render_html(INSIDE_WORD)
    span = find_range(rendered, directive)
    assert span is not None and rendered.text[span[0] - 5 : span[1] + 2] == "Crossing the river"


def test_accents_and_case_are_ignored_as_browsers_do() -> None:
    links = quote_links(ACCENTS, ACCENTS_TEXT, "café")  # matches "café" only in the clean text
    assert len(links) == 1
    capitals = quote_links(ACCENTS, ACCENTS_TEXT, "CAFÉ")
    assert len(capitals) == 1 and capitals[0] is not None
    # "Cafe" in the headline comes first for a browser: both links need context
    for link in links + capitals:
        assert link is not None and parse_directive(link) != TextDirective("café")
    assert selected(ACCENTS, links[0] or "") == "café"
    assert selected(ACCENTS, capitals[0] or "") == "CAFÉ"


def test_no_unique_fragment_is_said_so() -> None:
    record, text = record_with(REPEATS_TEXT)
    matches = find_quotes(record, text, "la", config=CONFIG, page=render_html(REPEATS))
    assert len(matches) == 16
    assert matches[0].text_fragment_url is not None
    last = matches[-1]
    assert last.text_fragment_url is None
    assert last.fragment_problem and "no text fragment selects this occurrence" in (
        last.fragment_problem
    )


def test_quote_missing_from_the_page_gets_no_link() -> None:
    record, text = record_with(["Words only the extractor saw."])
    (match,) = find_quotes(
        record, text, "only the extractor", config=CONFIG, page=render_html(page("<p>x</p>"))
    )
    assert match.text_fragment_url is None
    assert match.fragment_problem == "the quote is not in the rendered text of the archived page"


def test_uncertain_word_boundaries_in_han_text() -> None:
    rendered = render_lines("北朝鮮の人々\n朝鮮の歴史")
    start = rendered.text.index("朝鮮の歴史")
    result = fragment_for(rendered, start, start + 2)  # "朝鮮" inside a run of Han/Kana
    if result.directive is not None:
        assert verify(rendered, result.directive, start, start + 2)


def test_reference_record_against_its_transcript() -> None:
    record = json.loads((PROJECT_ROOT / "records" / "opednews-160829-249.json").read_text("utf-8"))
    text = (PROJECT_ROOT / "records" / "opednews-160829-249.txt").read_text("utf-8")
    rendered = rendered_page(record, PROJECT_ROOT)
    assert rendered.source.startswith("the archived transcript")
    assert "Most Popular Choices" in rendered.text  # boilerplate is part of the page
    for phrase in ("reign of terror", "North Korea", "is being diluted. One of the important"):
        for match in find_quotes(record, text, phrase, config=CONFIG, page=rendered):
            assert match.text_fragment_url is not None, (phrase, match.fragment_problem)
            directive = parse_directive(match.text_fragment_url)
            assert directive is not None
            span = find_range(rendered, directive)
            assert span is not None
            assert " ".join(rendered.text[span[0] : span[1]].split()) == " ".join(
                match.exact.split()
            )


# --------------------------------------------------------------------------- Chromium


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Pages(QuietHTTPServer):
    pages: dict[str, tuple[str, bytes]]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        assert isinstance(self.server, _Pages)
        path = self.path.split("?")[0].split("#")[0]
        found = self.server.pages.get(path)
        if found is None:
            self.send_error(404)
            return
        media_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Browser:
    """Headless Chromium driven over the DevTools protocol (one tab)."""

    def __init__(self, executable: str, profile: str) -> None:
        import websocket

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--window-size=800,600",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start its DevTools server")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10))
        tab = next(target for target in targets if target["type"] == "page")
        # no Origin header: Chromium 111+ refuses DevTools connections from other origins
        self.socket = websocket.create_connection(
            tab["webSocketDebuggerUrl"], timeout=30, suppress_origin=True
        )
        self.counter = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.counter += 1
        self.socket.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url="about:blank")
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.evaluate("document.readyState") == "complete" and self.evaluate(
                "location.href.startsWith('http')"
            ):
                break
            time.sleep(0.05)
        # the text fragment is found and scrolled to shortly after load
        deadline = time.monotonic() + 3
        last = None
        while time.monotonic() < deadline:
            now = self.evaluate("[scrollY, !!document.querySelector(':target')]")
            if now == last and now and now[1]:
                break
            last = now
            time.sleep(0.15)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Browser, str, _Pages]]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: tools/ci-setup.sh installs it in CI")
        pytest.skip(
            "chromium is not installed (apt-get install chromium, or run tools/ci-setup.sh)"
        )
    server = _Pages(("127.0.0.1", 0), _Handler)
    server.pages = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    profile = tempfile.mkdtemp(prefix="warcite-chromium-")
    driver = Browser(executable, profile)
    try:
        yield driver, f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        driver.close()
        server.shutdown()
        server.server_close()
        # Chromium's helper processes can still write into the profile for a moment after
        # the browser exits: a single rmtree left 28 such folders in /tmp on this machine
        for _ in range(50):
            shutil.rmtree(profile, ignore_errors=True)
            if not os.path.exists(profile):
                break
            time.sleep(0.1)


_CENTRES = """(ids => {
  const target = document.querySelector(':target');
  const middle = innerHeight / 2;
  const out = {target: target ? (target.id || target.tagName.toLowerCase()) : null, scrollY};
  for (const [name, first, last] of ids) {
    const range = document.createRange();
    range.setStartBefore(document.getElementById(first));
    range.setEndAfter(document.getElementById(last));
    const box = range.getBoundingClientRect();
    out[name] = Math.abs((box.top + box.bottom) / 2 - middle);
  }
  return out;
})(%s)"""


def _open_in_chromium(
    browser: tuple[Browser, str, _Pages], name: str, html: str, link: str, ids: list[list[str]]
) -> dict[str, Any]:
    driver, base, server = browser
    server.pages[f"/{name}.html"] = ("text/html; charset=utf-8", html.encode())
    directive = link.split("#", 1)[1]
    driver.open(f"{base}/{name}.html?{time.monotonic_ns()}#{directive}")
    result: dict[str, Any] = driver.evaluate(_CENTRES % json.dumps(ids))
    return result


CHROMIUM_CASES = [
    # (name, page, clean text, phrase, match index, element Chromium must target)
    ("headline-1", HEADLINE, HEADLINE_TEXT, "reign of terror", 0, "o1"),
    ("headline-2", HEADLINE, HEADLINE_TEXT, "reign of terror", 1, "o2"),
    ("headline-3", HEADLINE, HEADLINE_TEXT, "Reign of Terror", 0, "o3"),
    ("inside-word", INSIDE_WORD, INSIDE_WORD_TEXT, "ing the riv", 1, "o1"),
    ("accents-1", ACCENTS, ACCENTS_TEXT, "CAFÉ", 0, "o1"),
    ("accents-2", ACCENTS, ACCENTS_TEXT, "café", 0, "o2"),
]


@pytest.mark.parametrize(
    ("name", "html", "paragraphs", "phrase", "index", "element"), CHROMIUM_CASES
)
def test_chromium_highlights_the_quoted_occurrence(
    browser: tuple[Browser, str, _Pages],
    name: str,
    html: str,
    paragraphs: list[str],
    phrase: str,
    index: int,
    element: str,
) -> None:
    record, text = record_with(paragraphs)
    matches = find_quotes(record, text, phrase, config=CONFIG, page=render_html(html))
    link = matches[index].text_fragment_url
    assert link is not None
    found = _open_in_chromium(browser, name, html, link, [["quote", element, element]])
    assert found["target"] == element, (link, found)
    assert found["quote"] < 40, (link, found)  # the quote is what Chromium scrolled to


@pytest.mark.parametrize(
    ("name", "html", "paragraphs", "phrase", "element"),
    [
        ("long", LONG, LONG_TEXT, LONG_SENTENCE, "main"),
        ("across", ACROSS, ACROSS_TEXT, "is being diluted. One of the important", "pair"),
    ],
)
def test_chromium_selects_the_checked_range(
    browser: tuple[Browser, str, _Pages],
    name: str,
    html: str,
    paragraphs: list[str],
    phrase: str,
    element: str,
) -> None:
    """A range match: Chromium targets the common ancestor of its start and end (the
    element that holds exactly the quoted passage's blocks, not the decoys after it) and
    scrolls its start to the centre of the viewport."""
    record, text = record_with(paragraphs)
    match = find_quotes(record, text, phrase, config=CONFIG, page=render_html(html))[0]
    assert match.text_fragment_url is not None
    found = _open_in_chromium(browser, name, html, match.text_fragment_url, [["start", "s", "s"]])
    assert found["target"] == element, (match.text_fragment_url, found)
    assert found["start"] < 40, (match.text_fragment_url, found)


EDGES = page(
    "<p id='a'>alpha<button>beta</button>gamma</p><p id='d'>delta<img src='x.png'>epsilon</p>"
    "<p id='z'>zeta <span style='display:inline-block'>eta</span> theta</p>"
    "<details id='k'><summary>iota</summary>kappa lambda</details>"
    "<p id='m'>mu<sup>nu</sup> xi</p><p id='o'>omicron&nbsp;pi</p><p id='r'>rho<wbr>sigma</p>"
    "<p id='t'>tau&shy;upsilon</p><p id='h' hidden>phi chi</p><ul><li>one</li><li>two</li></ul>"
)
EDGE_DIRECTIVES = [
    "alphabetagamma",
    "alpha",
    "betagamma",
    "deltaepsilon",
    "delta",
    "zeta%20eta",
    "eta%20theta",
    "kappa",
    "munu",
    "omicron%20pi",
    "rhosigma",
    "tauupsilon",
    "phi",
    "one%20two",
]


def test_chromium_agrees_on_what_is_one_block(browser: tuple[Browser, str, _Pages]) -> None:
    """Block boundaries and invisible content: for each directive, Chromium finds a match
    exactly when warcite's matcher does (buttons, inline-blocks and list items are blocks;
    images, <sup>, <wbr> and soft hyphens are not boundaries; closed <details> is searched;
    hidden elements are not)."""
    rendered = render_html(EDGES)
    for fragment in EDGE_DIRECTIVES:
        directive = parse_directive(f"text={fragment}")
        assert directive is not None
        ours = find_range(rendered, directive) is not None
        found = _open_in_chromium(browser, "edges", EDGES, f"http://x/#:~:text={fragment}", [])
        if fragment in ACROSS_AN_IMAGE and chromium_major() < 156:
            # Debian's Chromium 150 stops a match at an <img> (a word boundary for its
            # find-in-page); 156, which the text-fragment work was checked with, does not.
            # warcite follows the later engine: on 150 the link lands on the paragraph but
            # does not highlight across the image (and "delta" alone matches there).  Pinned
            # as a disagreement, so that a change of either side shows.
            assert (found["target"] is not None) != ours, (fragment, ours, found)
            continue
        assert (found["target"] is not None) == ours, (fragment, ours, found)


ACROSS_AN_IMAGE = frozenset({"deltaepsilon", "delta"})


def chromium_major() -> int:
    """The major version of the Chromium the tests drive (0 when it does not say)."""
    output = subprocess.run(
        [_chromium(), "--version"], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    match = re.search(r"(\d+)\.\d+\.\d+", output)
    return int(match.group(1)) if match else 0


def test_chromium_check_can_fail(browser: tuple[Browser, str, _Pages]) -> None:
    """Control: the link warcite used to give (the bare phrase, unique in the clean text
    when compared case-sensitively) makes Chromium highlight the headline instead."""
    found = _open_in_chromium(
        browser, "control", HEADLINE, "http://x/#:~:text=reign%20of%20terror", [["h", "h", "h"]]
    )
    assert found["target"] == "h" and found["h"] < 40


def test_chromium_on_the_reference_transcript(browser: tuple[Browser, str, _Pages]) -> None:
    """The reference record: its transcript served as the text/plain page it is; Chromium
    must scroll to the occurrence of "reign of terror" each link names."""
    from warcite.core.warc.pages import read_page

    record = json.loads((PROJECT_ROOT / "records" / "opednews-160829-249.json").read_text("utf-8"))
    text = (PROJECT_ROOT / "records" / "opednews-160829-249.txt").read_text("utf-8")
    transcript = read_page(PROJECT_ROOT / record["capture"]["warc"]["path"]).body
    rendered: RenderedText = rendered_page(record, PROJECT_ROOT)
    driver, base, server = browser
    server.pages["/transcript.txt"] = ("text/plain; charset=utf-8", transcript)
    matches = find_quotes(record, text, "reign of terror", config=CONFIG, page=rendered)
    assert len(matches) == 2
    for index, match in enumerate(matches):
        assert match.text_fragment_url is not None
        directive = match.text_fragment_url.split("#", 1)[1]
        driver.open(f"{base}/transcript.txt?{time.monotonic_ns()}#{directive}")
        distances = driver.evaluate(
            """(() => {
              const node = document.querySelector('pre').firstChild;
              const data = node.data.toLowerCase();
              const out = [];
              for (let at = data.indexOf('reign of terror'); at >= 0;
                   at = data.indexOf('reign of terror', at + 1)) {
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + 15);
                const box = range.getBoundingClientRect();
                out.push(Math.abs((box.top + box.bottom) / 2 - innerHeight / 2));
              }
              return out;
            })()"""
        )
        assert len(distances) == 2
        assert distances.index(min(distances)) == index, (match.text_fragment_url, distances)


_WORDS = st.sampled_from(["la", "La", "LA", "là", "lad", "sal", "of", "the", "x-y", "don't", "3,5"])


@settings(max_examples=150, deadline=None)
@given(
    blocks=st.lists(st.lists(_WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=5),
    data=st.data(),
)
def test_every_generated_fragment_selects_exactly_its_passage(blocks: list[str], data: Any) -> None:
    """Whatever the page and passage (repeats, case and accent variants, starts and ends
    inside words, across blocks), a generated directive is either verified by the matcher
    or absent with a reason; and it survives encoding into a URL."""
    rendered = render_lines("\n".join(blocks))
    text = rendered.text
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    result = fragment_for(rendered, start, end)
    if result.directive is None:
        assert result.reason
        return
    link = result.directive.url("https://example.org/p")
    parsed = parse_directive(link)
    assert parsed == result.directive
    span = find_range(rendered, parsed)
    assert span is not None
    assert text[span[0] : span[1]] == text[start:end].strip()
    assert verify(rendered, parsed, *span)


def test_the_search_has_a_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import warcite.cite.fragments as fragments

    monkeypatch.setattr(fragments, "SEARCH_SECONDS", -1.0)
    rendered = render_lines("la la la")
    result = fragment_for(rendered, 3, 5)
    assert result.directive is None and "no text fragment found within" in (result.reason or "")


def _archived_html_project(tmp_path: Path) -> tuple[dict[str, Any], str, Path]:
    from warcite.collection.archive import archive

    source = tmp_path / "otters.html"
    source.write_bytes((DATA / "html_news_article.html").read_bytes())
    result = archive(str(source), project_root=tmp_path, url="https://news.example.org/otters.html")
    record = json.loads(result.path.read_text("utf-8"))
    text = result.text_path.read_text("utf-8")
    return record, text, source


def test_archived_html_is_rendered_whole(tmp_path: Path) -> None:
    """From the archived HTML: the headline "River Otters Return to the Valley" comes first
    on the page, so the article's "river otters" needs context to be selected."""
    record, text, _ = _archived_html_project(tmp_path)
    rendered = rendered_page(record, tmp_path)
    assert rendered.source.startswith("the rendered text of the archived HTML")
    assert rendered.text.index("River Otters Return") < rendered.text.index("After an absence")
    (match,) = find_quotes(
        record, text, "river otters have been seen", config=CONFIG, page=rendered
    )
    assert match.text_fragment_url == (
        "https://news.example.org/otters.html#:~:text=river%20otters%20have%20been%20seen"
    )
    first = find_quotes(record, text, "river otters", config=CONFIG, page=rendered)[0]
    assert first.text_fragment_url is not None
    assert parse_directive(first.text_fragment_url) != TextDirective("river otters")
    span = find_range(rendered, parse_directive(first.text_fragment_url) or TextDirective("x"))
    assert span is not None and span[0] > rendered.text.index("After an absence")


def test_chromium_on_an_archived_html_page(
    browser: tuple[Browser, str, _Pages], tmp_path: Path
) -> None:
    record, text, source = _archived_html_project(tmp_path)
    rendered = rendered_page(record, tmp_path)
    first = find_quotes(record, text, "river otters", config=CONFIG, page=rendered)[0]
    assert first.text_fragment_url is not None
    html = source.read_text("utf-8")
    found = _open_in_chromium(browser, "otters", html, first.text_fragment_url, [])
    # the headline (h1) holds the first "River Otters" on the page; the quote is in a paragraph
    assert found["target"] == "p", (first.text_fragment_url, found)
    naive = _open_in_chromium(browser, "otters", html, "http://x/#:~:text=river%20otters", [])
    assert naive["target"] != "p"

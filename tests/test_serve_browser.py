"""``warcite serve`` in a real browser: the system Chromium driven by Playwright.

A reader's path through the app (collection, search for a phrase and for an alternate
name form, record, reader), select-to-cite (the panel equals ``warcite quote``'s output),
the text-fragment link followed into the replayed page (Chromium highlights that passage:
the element holding the match becomes the CSS ``:target``, see test_quote_fragments.py),
and replay with the original site down: every request the page makes goes to the serve
origin and hostile pages reach nothing.  Screenshots of the reader and the record page
are taken here; with ``WARCITE_UPDATE_SCREENSHOTS=1`` they are written to docs/.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_site import QUOTED_SENTENCE, build_project
from warcite.cli import cli
from warcite.collection.replay import warc_timestamp

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parents[1] / "docs"

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from werkzeug.serving import make_server

    from warcite.web import create_app

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: tools/ci-setup.sh installs it in CI")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    info = build_project(tmp_path_factory.mktemp("serve-browser"))
    server = make_server("127.0.0.1", 0, create_app(info["root"]), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    info["origin"] = f"http://127.0.0.1:{server.server_port}"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        requests: list[str] = []
        answered: list[str] = []
        failed: dict[str, str | None] = {}
        context.on("request", lambda request: requests.append(request.url))
        context.on("response", lambda response: answered.append(response.url))
        context.on("requestfailed", lambda request: failed.update({request.url: request.failure}))
        info["context"] = context
        info["requests"] = requests
        info["answered"] = answered
        info["failed"] = failed
        try:
            yield info
        finally:
            context.close()
            server.shutdown()
            server.server_close()
            info["canary"].stop()
            shutil.rmtree(profile, ignore_errors=True)


def _cli(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _select(page: Any, paragraph: int, phrase: str) -> None:
    """Select ``phrase`` inside paragraph ``paragraph`` of the reader, as a mouse would."""
    page.evaluate(
        """([id, phrase]) => {
          const node = document.querySelector(`#${id} p`).firstChild;
          const start = node.textContent.indexOf(phrase);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + phrase.length);
          const selection = getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.getElementById('text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [f"p{paragraph}", phrase],
    )


def _screenshot(page: Any, name: str, tmp_path: Path) -> None:
    folder = DOCS if os.environ.get("WARCITE_UPDATE_SCREENSHOTS") == "1" else tmp_path
    path = folder / name
    page.screenshot(path=str(path))
    assert path.read_bytes().startswith(b"\x89PNG")


def test_a_reader_finds_reads_and_quotes(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    origin = served["origin"]
    page = served["context"].new_page()
    page.goto(f"{origin}/")
    assert "5 records" in page.inner_text("h1")

    page.fill("input[name=q]", '"forty-two ships"')
    page.click("form.search button")
    page.wait_for_url("**/search?q=*")
    assert "2 matches" in page.inner_text("p.count")
    assert page.locator("a.para", has_text="paragraph 10").count() == 2

    page.fill("input[name=q]", '"In Ae Hyun"')
    page.click("form.search button")
    page.wait_for_load_state()
    assert page.locator("ol.hits a", has_text="opednews-160829-249").count() >= 1

    page.goto(f"{origin}/records/{served['first']}")
    assert page.inner_text("h1") == "Counting ships at the northern cape"
    _screenshot(page, "serve-record.png", tmp_path)

    page.click("text=Read the text")
    page.wait_for_url(f"**/records/{served['first']}/text")
    _select(page, 10, QUOTED_SENTENCE)
    page.wait_for_selector("#panel .quote-citation")

    expected = json.loads(
        _cli(
            served["root"],
            monkeypatch,
            "quote",
            served["first"],
            QUOTED_SENTENCE,
            "--format",
            "json",
        )
    )[0]
    terminal = _cli(served["root"], monkeypatch, "quote", served["first"], QUOTED_SENTENCE)
    assert page.inner_text("#panel .quote-exact") == expected["exact"] == QUOTED_SENTENCE
    assert page.inner_text("#panel .quote-pinpoint") == "para. 10"
    assert page.inner_text("#panel .quote-citation") == expected["citation"]
    assert page.get_attribute("#panel a.fragment-live", "href") == expected["text_fragment"]
    assert page.text_content("#panel pre.quote-text") == terminal.rstrip("\n")
    page.evaluate("document.getElementById('p10').scrollIntoView({block: 'center'})")
    _screenshot(page, "serve-reader.png", tmp_path)

    # words that are on the page but not in the record's clean text
    page.evaluate(
        """() => { const p = document.querySelector('#p10 p');
                   p.firstChild.textContent += ' sea serpents of the cape'; }"""
    )
    _select(page, 10, "sea serpents of the cape")
    page.wait_for_selector("#panel .quote-error")
    assert "is not in the text" in page.inner_text("#panel .quote-error")


def test_the_text_fragment_link_highlights_the_passage_in_the_replay(
    served: dict[str, Any],
) -> None:
    page = served["context"].new_page()
    page.goto(f"{served['origin']}/records/{served['first']}/text")
    _select(page, 10, QUOTED_SENTENCE)
    page.wait_for_selector("#panel a.fragment-replay")
    page.click("#panel a.fragment-replay")
    stamp = warc_timestamp(served["records"]["first"]["capture"]["warc"]["date"])
    page.wait_for_url(f"**/web/{stamp}mp_/**")
    page.wait_for_function("document.querySelector(':target') !== null", timeout=5000)
    target = page.evaluate(
        """() => { const t = document.querySelector(':target');
                   const all = [...document.querySelectorAll('article p')];
                   return [t.tagName, t.textContent, all.indexOf(t)]; }"""
    )
    assert target[0] == "P"
    assert QUOTED_SENTENCE in target[1]
    assert target[2] == 1 + 9  # the byline, then the tenth paragraph of the article


def test_replay_stays_on_the_serve_origin_with_the_site_down(served: dict[str, Any]) -> None:
    origin = served["origin"]
    requests = served["requests"]
    requests.clear()
    page = served["context"].new_page()
    stamp = warc_timestamp(served["records"]["first"]["capture"]["warc"]["date"])
    page.goto(f"{origin}/web/{stamp}/{served['article']}")
    frame = page.frame_locator("iframe.replay")
    frame.locator("h1").wait_for()
    content = next(f for f in page.frames if "mp_/" in f.url)
    content.wait_for_load_state("load")
    # requisites came from the archive: the stylesheet its @import names, the image, the script
    assert content.evaluate("getComputedStyle(document.querySelector('article p')).color") == (
        "rgb(20, 20, 60)"
    )
    assert content.evaluate("document.querySelector('article img').naturalWidth") == 1
    assert content.evaluate("document.documentElement.getAttribute('data-app')") == "ran"
    assert "Archived copy of" in page.inner_text("header.banner")
    assert requests and all(url.startswith(f"{origin}/") for url in requests), requests
    assert all(url.startswith(f"{origin}/") for url in served["answered"])
    assert not any(served["site"] in url.split("/web/", 1)[0] for url in requests)


def test_hostile_pages_reach_nothing_and_escape_nothing(served: dict[str, Any]) -> None:
    origin = served["origin"]
    requests = served["requests"]
    canary = served["canary"]
    requests.clear()
    before = list(canary.hits)
    page = served["context"].new_page()
    stamp = warc_timestamp(served["records"]["hostile"]["capture"]["warc"]["date"])
    url = served["records"]["hostile"]["capture"]["target_uri"]
    page.goto(f"{origin}/web/{stamp}/{url}")
    content = page.frame_locator("iframe.replay")
    content.locator("h1").wait_for()
    frame = next(f for f in page.frames if "mp_/" in f.url)
    frame.wait_for_function(
        "window.results && window.results.fetch && window.results.app", timeout=5000
    )
    results = frame.evaluate("window.results")
    assert results["fetch"] == "blocked"
    assert results["app"] == "blocked"
    assert results["parent"] == "denied"
    assert results["cookie"] == "denied"
    frame.click("#js-link")
    frame.click("#abs-link")
    page.wait_for_timeout(500)
    assert page.url == f"{origin}/web/{stamp}/{url}"  # the top window was not navigated
    assert page.title().startswith("Archived:")  # ... nor scripted
    assert canary.hits == before, canary.hits[len(before) :]
    # what the page's scripts asked of the live web was refused by the browser before it
    # was sent (the Content-Security-Policy); nothing off the serve origin was answered
    leaving = [u for u in requests if not u.startswith(f"{origin}/")]
    assert all(served["failed"].get(u) == "csp" for u in leaving), (leaving, served["failed"])
    assert all(u.startswith(f"{origin}/") for u in served["answered"])

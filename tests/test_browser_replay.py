"""pywb replays a browser capture with the script-built article visible, seen in Chromium.

The page builds its article from JSON a script fetches after load.  Captured with
``--browser``, the WARC holds that JSON, so pywb (from ``.venv-tools``, installed by
``.ci/tools-venv``) replays the page and Chromium, loading the replay, shows the article.
A plain capture of the same page replays an empty shell: the check can fail.

Outside CI a missing .venv-tools or chromium skips, saying so; in CI it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from browser_site import ARTICLE, PARAGRAPHS, Site
from conftest import PROJECT_ROOT
from fixture_server import unused_port
from warcite.capture.browser import CHROMIUM_FLAGS, BrowserSession, capture_in_browser
from warcite.capture.live import capture

TOOLS = PROJECT_ROOT / ".venv-tools" / "bin"


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI (tools/ci-setup.sh and .ci/tools-venv install it)")
    pytest.skip(f"{what} is missing (run tools/ci-setup.sh and .ci/tools-venv)")


@pytest.fixture(scope="module")
def session() -> Iterator[BrowserSession]:
    if shutil.which("chromium") is None:
        _missing("chromium")
    if not (TOOLS / "wayback").exists():
        _missing(".venv-tools (pywb)")
    with BrowserSession() as browser:
        yield browser


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("pywb did not start on 127.0.0.1 within 90 seconds")
            time.sleep(0.5)


def _replayed_text(session: BrowserSession, warc: Path, url: str, stamp: str, root: Path) -> str:
    """The text Chromium shows for ``url`` replayed by pywb from ``warc`` alone."""
    subprocess.run(
        [str(TOOLS / "wb-manager"), "init", "c"], cwd=root, check=True, capture_output=True
    )
    subprocess.run(
        [str(TOOLS / "wb-manager"), "add", "c", str(warc)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    port = unused_port()
    process = subprocess.Popen(
        [str(TOOLS / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/", process)
        # a second Chromium on the same driver, without any proxy: straight to pywb
        viewer = session.browser.browser_type.launch(
            executable_path=session.executable, args=list(CHROMIUM_FLAGS)
        )
        context = viewer.new_context()
        try:
            page = context.new_page()
            # pywb moves a top-level mp_ page into its frame (banner above, page inside)
            page.goto(f"http://127.0.0.1:{port}/c/{stamp}mp_/{url}", wait_until="load")
            deadline = time.monotonic() + 20
            shown = ""
            while time.monotonic() < deadline:
                for frame in page.frames:
                    if "mp_/" in frame.url:
                        with contextlib.suppress(PlaywrightError):
                            shown = str(
                                frame.evaluate("() => document.body ? document.body.innerText : ''")
                            )
                if PARAGRAPHS[-1] in shown:
                    break
                page.wait_for_timeout(250)
            return shown
        finally:
            context.close()
            viewer.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_pywb_replays_the_script_built_article(session: BrowserSession, tmp_path: Path) -> None:
    with Site() as site:
        url = site.url("/script")
        browser = capture_in_browser(url, archive_dir=tmp_path / "browser", session=session)
        plain = capture(url, archive_dir=tmp_path / "plain")
    stamp = browser.started_at.strftime("%Y%m%d%H%M%S")
    (tmp_path / "a").mkdir()
    shown = _replayed_text(session, browser.path, url, stamp, tmp_path / "a")
    assert ARTICLE["title"] in shown and PARAGRAPHS[-1] in shown
    # the plain capture lacks the JSON: its replay shows no article
    (tmp_path / "b").mkdir()
    shown = _replayed_text(
        session, plain.path, url, plain.started_at.strftime("%Y%m%d%H%M%S"), tmp_path / "b"
    )
    assert PARAGRAPHS[-1] not in shown

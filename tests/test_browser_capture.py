"""Browser capture (``--browser``): Chromium through warcite's recording proxy.

Loopback sites: an article fetched as JSON by a script, an image loaded only when
scrolled into view, an iframe, HTTPS with its own CA, a cookie-gated page, a redirect
chain.  For each, the WARC holds every response the browser used, and the evidence
records (screenshot, rendered DOM, summary, certificates) refer to the page's response.

Needs Debian's chromium (tools/ci-setup.sh installs it) and Playwright (the test extra):
outside CI a missing chromium skips these tests, saying so; in CI they fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from browser_site import PARAGRAPHS, Site
from warcite.capture.authority import CertificateAuthority
from warcite.capture.browser import BrowserSession, BrowserSettings, capture_in_browser
from warcite.capture.browser_page import NETWORK_QUIET
from warcite.capture.credentials import REDACTED_PREFIX, read_cookies
from warcite.cli import cli
from warcite.core.errors import CaptureError


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def session() -> Iterator[BrowserSession]:
    if _chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: tools/ci-setup.sh installs it in CI")
        pytest.skip("chromium is not installed (apt-get install chromium, or tools/ci-setup.sh)")
    with BrowserSession() as browser:
        yield browser


def records(path: Path) -> list[dict[str, Any]]:
    """Every record of a WARC: type, target, headers, block (the HTTP message for
    request/response records, the payload otherwise)."""
    from warcio.archiveiterator import ArchiveIterator

    found = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            headers = dict(record.rec_headers.headers)
            http = b""
            if record.http_headers is not None:
                http = record.http_headers.to_bytes()
            found.append(
                {
                    "type": record.rec_type,
                    "target": headers.get("WARC-Target-URI"),
                    "headers": headers,
                    "http": http,
                    "body": record.content_stream().read(),
                }
            )
    return found


def responses(path: Path) -> dict[str, dict[str, Any]]:
    return {r["target"]: r for r in records(path) if r["type"] == "response"}


def evidence(path: Path, kind: str) -> dict[str, Any]:
    (found,) = [r for r in records(path) if (r["target"] or "").startswith(f"urn:{kind}:")]
    return found


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_script_built_article_is_archived_with_what_the_script_fetched(
    session: BrowserSession, tmp_path: Path
) -> None:
    with Site() as site:
        result = capture_in_browser(site.url("/script"), archive_dir=tmp_path, session=session)
        got = responses(result.path)
        assert {site.url("/script"), site.url("/app.js"), site.url("/api/article.json")} <= set(got)
        assert got[site.url("/api/article.json")]["body"].startswith(b'{"title"')
    page_id = next(
        r["headers"]["WARC-Record-ID"]
        for r in records(result.path)
        if r["type"] == "response" and r["target"] == site.url("/script")
    )
    assert result.main_record_id == page_id
    dom = evidence(result.path, "rendered-dom")
    assert dom["type"] == "resource"
    assert dom["headers"]["WARC-Concurrent-To"] == page_id
    assert PARAGRAPHS[5].encode() in dom["body"]  # the rendered DOM holds the article
    assert b"The Article Built by Script" in dom["body"]
    screenshot = evidence(result.path, "screenshot")
    assert screenshot["headers"]["Content-Type"] == "image/png"
    assert screenshot["headers"]["WARC-Concurrent-To"] == page_id
    summary = json.loads(evidence(result.path, "capture-summary")["body"])
    width, height = png_size(screenshot["body"])
    assert width == 1600
    assert height == summary["page"]["height"] > 900  # the full page, not the viewport
    assert summary["browser"]["name"] == "Chromium" and summary["browser"]["version"]
    assert summary["viewport"] == {"width": 1600, "height": 900}
    assert "HeadlessChrome" in summary["user_agent"]


def test_lazy_image_is_loaded_by_scrolling_and_not_without(
    session: BrowserSession, tmp_path: Path
) -> None:
    with Site() as site:
        scrolled = capture_in_browser(site.url("/lazy"), archive_dir=tmp_path, session=session)
        assert site.url("/lazy.png") in responses(scrolled.path)
        still = capture_in_browser(
            site.url("/lazy"),
            archive_dir=tmp_path / "still",
            session=session,
            settings=BrowserSettings(scroll=False),
        )
        assert site.url("/lazy.png") not in responses(still.path)
    _, height = png_size(evidence(scrolled.path, "screenshot")["body"])
    assert height > 4000


def test_content_fetched_at_the_end_is_scrolled_through_too(
    session: BrowserSession, tmp_path: Path
) -> None:
    """An endless page: each time the reader reaches its end, a script fetches the next
    part (the first one long); scrolling goes on through what arrived until a round asks
    for nothing, so the second part is fetched too."""
    from browser_site import article_page, html, standard_routes

    more_js = (
        "var part = 0, asking = false; window.addEventListener('scroll', function () {"
        " var root = document.documentElement;"
        " if (asking || part >= 2 || window.scrollY + window.innerHeight < root.scrollHeight - 10)"
        " return; asking = true; part += 1;"
        " fetch('/part' + part).then(function (r) { return r.text(); }).then(function (t) {"
        " document.getElementById('more').insertAdjacentHTML('beforeend', t);"
        " asking = false; }); });"
    )
    routes = standard_routes()
    routes["/endless"] = lambda p, h: html(
        article_page("An Endless Article", f"<div id='more'></div><script>{more_js}</script>")
    )

    def part1(path: str, headers: dict[str, str]) -> Any:
        time.sleep(0.3)  # arrives once the scrolling has reached the end and stopped
        return html("<p>Part one.</p><div style='height:5000px'></div>")

    routes["/part1"] = part1
    routes["/part2"] = lambda p, h: html("<p>Really the end.</p>")
    with Site(routes) as site:
        result = capture_in_browser(site.url("/endless"), archive_dir=tmp_path, session=session)
        got = responses(result.path)
        assert {site.url("/part1"), site.url("/part2")} <= set(got)
    _, height = png_size(evidence(result.path, "screenshot")["body"])
    assert height > 5000
    assert b"Really the end." in evidence(result.path, "rendered-dom")["body"]


def test_a_fetch_soon_after_load_is_waited_for(session: BrowserSession, tmp_path: Path) -> None:
    """Without scrolling too, the evidence waits for :data:`NETWORK_QUIET` s of quiet: a
    script that fetches well within that time after the load is waited for."""
    from browser_site import article_page, html, ok, standard_routes

    delay_ms = int(NETWORK_QUIET * 1000 * 0.25)
    routes = standard_routes()
    routes["/late"] = lambda p, h: html(
        article_page(
            "A Late Fetch",
            "<p id='late'></p><script>addEventListener('load', function () {"
            f" setTimeout(function () {{ fetch('/late.json').then(function (r) {{"
            " return r.text(); }).then(function (t) {"
            f" document.getElementById('late').textContent = t; }}); }}, {delay_ms}); }});"
            "</script>",
        )
    )
    routes["/late.json"] = lambda p, h: ok("application/json", b'"fetched after the load"')
    with Site(routes) as site:
        result = capture_in_browser(
            site.url("/late"),
            archive_dir=tmp_path,
            session=session,
            settings=BrowserSettings(scroll=False),
        )
        assert site.url("/late.json") in responses(result.path)
    assert b"fetched after the load" in evidence(result.path, "rendered-dom")["body"]


def test_a_session_opens_the_next_capture_s_context_while_a_page_settles(
    session: BrowserSession, tmp_path: Path
) -> None:
    """A batch does not wait for its next browser context: it is opened while the page
    before settles, and still serves that one capture only (no cookie crosses)."""
    from browser_site import article_page, standard_routes

    routes = standard_routes()
    routes["/sets"] = lambda p, h: (
        200,
        [("Content-Type", "text/html"), ("Set-Cookie", "seen=yes; Path=/")],
        article_page("A Page That Sets a Cookie", "").encode(),
    )
    with Site(routes) as site:
        capture_in_browser(site.url("/sets"), archive_dir=tmp_path, session=session)
        assert len(session.browser.contexts) == 1  # the next capture's, ready
        capture_in_browser(site.url("/static"), archive_dir=tmp_path, session=session)
        last = capture_in_browser(
            site.url("/static"),
            archive_dir=tmp_path,
            session=session,
            settings=BrowserSettings(viewport=(1024, 700)),  # not what the ready one was for
        )
        assert len(session.browser.contexts) == 1
        cookies = [h.get("cookie", "") for path, h in site.requests if path == "/static"]
        assert len(cookies) == 2 and not any("seen" in cookie for cookie in cookies)
    summary = json.loads(evidence(last.path, "capture-summary")["body"])
    assert summary["viewport"] == {"width": 1024, "height": 700}


def test_iframe_and_what_it_loads_are_archived(session: BrowserSession, tmp_path: Path) -> None:
    with Site() as site:
        result = capture_in_browser(site.url("/frame"), archive_dir=tmp_path, session=session)
        got = responses(result.path)
        assert {site.url("/frame"), site.url("/frame.html"), site.url("/frame.css")} <= set(got)


def test_redirect_chain_is_archived_hop_by_hop(session: BrowserSession, tmp_path: Path) -> None:
    with Site() as site:
        result = capture_in_browser(site.url("/old"), archive_dir=tmp_path, session=session)
        got = responses(result.path)
        assert got[site.url("/old")]["http"].startswith(b"HTTP/1.1 301")
        assert got[site.url("/middle")]["http"].startswith(b"HTTP/1.1 302")
        assert result.final_uri == site.url("/static")
        assert result.redirects == (site.url("/old"), site.url("/middle"))
        kinds = [r["target"] for r in records(result.path) if r["type"] == "response"]
        assert kinds[:3] == [site.url("/old"), site.url("/middle"), site.url("/static")]
        fields = records(result.path)[-1]["body"].decode()
        assert f"redirect: 301 {site.url('/old')} -> {site.url('/middle')}" in fields
        assert "capture-agent: browser" in fields


def test_https_with_its_own_ca_keeps_the_certificate_chain(
    session: BrowserSession, tmp_path: Path
) -> None:
    site_ca = CertificateAuthority()
    ca_file = tmp_path / "site-ca.pem"
    ca_file.write_bytes(site_ca.certificate_pem())
    try:
        with Site(tls=site_ca.server_context("127.0.0.1")) as site:
            with pytest.raises(CaptureError):  # the system's trust does not know the site's CA
                capture_in_browser(site.url("/static"), archive_dir=tmp_path / "a", session=session)
            assert not (tmp_path / "a").exists()
            result = capture_in_browser(
                site.url("/static"),
                archive_dir=tmp_path / "b",
                session=session,
                tls_context=ssl.create_default_context(cafile=str(ca_file)),
            )
            assert site.url("/static") in responses(result.path)
            certificates = evidence(result.path, "tls-certificates")
            assert certificates["target"] == "urn:tls-certificates:" + site.url("")
            chain = certificates["body"].decode()
            assert chain.startswith("-----BEGIN CERTIFICATE-----")
            assert site_ca.certificate_pem().decode().strip() in chain
            summary = json.loads(evidence(result.path, "capture-summary")["body"])
            (origin,) = summary["origins"]
            assert origin["origin"] == site.url("") and len(origin["leaf_sha256_fingerprint"]) == 64
    finally:
        site_ca.close()


def test_cookie_gated_page_with_cookies_txt_and_redaction(
    session: BrowserSession, tmp_path: Path
) -> None:
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(
        "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tlet-me-in\n"
    )
    with Site() as site:
        with pytest.raises(CaptureError, match="403"):
            capture_in_browser(site.url("/members"), archive_dir=tmp_path / "a", session=session)
        result = capture_in_browser(
            site.url("/members"),
            archive_dir=tmp_path / "b",
            session=session,
            cookies=read_cookies(cookies),
        )
        assert b"Members Only Article" in responses(result.path)[site.url("/members")]["body"]
        requests = [r for r in records(result.path) if r["type"] == "request"]
        sent = b"".join(r["http"] for r in requests)
        assert b"let-me-in" not in sent and REDACTED_PREFIX.encode() in sent
        fields = records(result.path)[-1]["body"].decode()
        assert "credentials: 1 cookies from a cookies.txt file" in fields
        kept = capture_in_browser(
            site.url("/members"),
            archive_dir=tmp_path / "c",
            session=session,
            cookies=read_cookies(cookies),
            keep_credentials=True,
        )
        sent = b"".join(r["http"] for r in records(kept.path) if r["type"] == "request")
        assert b"session=let-me-in" in sent


def test_no_chromium_is_exit_3_and_nothing_written(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["capture", "http://127.0.0.1:9/x", "--browser", "--archive-dir", str(tmp_path / "a")],
        env={"WARCITE_CHROMIUM": str(tmp_path / "no-such-chromium")},
    )
    assert result.exit_code == 3, result.output
    assert "no executable Chromium" in result.output
    assert not (tmp_path / "a").exists()


def in_thread(function: Any) -> Any:
    """Run ``function`` on a new thread: the CLI starts its own browser, and Playwright's
    sync API allows one driver per thread (the module's session holds this one)."""
    import threading

    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(function()))
    worker.start()
    worker.join(timeout=300)
    return outcome[0]


def test_capture_command_with_browser_and_pdf(session: BrowserSession, tmp_path: Path) -> None:
    with Site() as site:
        result = in_thread(
            lambda: CliRunner().invoke(
                cli,
                [
                    "capture",
                    site.url("/static"),
                    "--browser",
                    "--pdf",
                    "--viewport",
                    "800x600",
                    "--archive-dir",
                    str(tmp_path),
                    "--format",
                    "json",
                ],
            )
        )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    path = Path(summary["file"])
    assert evidence(path, "pdf")["body"].startswith(b"%PDF-")
    assert png_size(evidence(path, "screenshot")["body"])[0] == 800


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--header", "X-A: b\r\nX-Injected: c"], "line break"),
        (["--header", "no colon"], "Name: value"),
        (["--pdf"], "--browser"),
    ],
)
def test_bad_credential_and_browser_options_are_usage_errors(
    tmp_path: Path, options: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        cli, ["capture", "http://127.0.0.1:9/x", "--archive-dir", str(tmp_path), *options]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_request_that_never_answers_is_cut_by_the_timeout(
    session: BrowserSession, tmp_path: Path
) -> None:
    import time as clock

    from browser_site import html, ok, standard_routes

    def slow(path: str, headers: dict[str, str]) -> Any:
        clock.sleep(4)
        return ok("application/json", b"{}")

    routes = standard_routes()
    routes["/hangs"] = lambda p, h: html(
        "<title>Hanging fetch</title><p>"
        + PARAGRAPHS[0]
        + "</p><script>fetch('/slow.json')</script>"
    )
    routes["/slow.json"] = slow
    with Site(routes) as site:
        began = clock.monotonic()
        result = capture_in_browser(
            site.url("/hangs"), archive_dir=tmp_path, session=session, timeout=1.0
        )
        assert clock.monotonic() - began < 4
    summary = json.loads(evidence(result.path, "capture-summary")["body"])
    assert any("slow.json" in line and "1 s" in line for line in summary["failed"])
    assert site.url("/slow.json") not in responses(result.path)
    fields = records(result.path)[-1]["body"].decode()
    assert "request-failed: cannot capture " + site.url("/slow.json") in fields


def test_browser_warc_passes_warcite_check(session: BrowserSession, tmp_path: Path) -> None:
    with Site() as site:
        result = capture_in_browser(site.url("/script"), archive_dir=tmp_path, session=session)
    checked = CliRunner().invoke(cli, ["check", str(result.path)])
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output


def _capture_hostile_page(
    routes: dict[str, Any], path: str, tmp_path: Path, total_timeout: int, what: str
) -> tuple[Any, str]:
    """``warcite capture --browser --pdf`` of a hostile page, in a subprocess with a time
    limit, so that code that hangs on it fails the test rather than hanging the suite;
    the finished process and the page's URL."""
    import subprocess
    import sys

    with Site(routes) as site:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "warcite", "capture", "--browser", "--pdf",
                 "--total-timeout", str(total_timeout), "--archive-dir", str(tmp_path),
                 site.url(path)],
                capture_output=True, text=True, timeout=120, cwd=tmp_path,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail(f"the capture of {what} did not end")
        return done, site.url(path)


def test_a_page_whose_script_never_yields_is_bounded_by_the_time_allowed(
    session: BrowserSession, tmp_path: Path
) -> None:
    """A script that loops for ever after load keeps the tab from running anything else:
    Playwright's evaluate waited for it without end, so ``--total-timeout`` did not bound
    the capture (a hostile page hung warcite).  Now the capture ends within its time, keeps
    what the browser fetched, and says why there is no DOM, screenshot or PDF."""
    from browser_site import article_page, html, standard_routes

    routes = standard_routes()
    routes["/spin"] = lambda p, h: html(
        article_page(
            "A Page That Spins",
            "<p>" + PARAGRAPHS[0] + "</p><script>addEventListener('load', function () {"
            " setTimeout(function () { for (;;) {} }, 20); });</script>",
        )
    )
    began = time.monotonic()
    done, url = _capture_hostile_page(
        routes, "/spin", tmp_path, 6, "a page whose script never yields"
    )
    assert time.monotonic() - began < 60
    assert done.returncode == 0, done.stderr
    assert "kept its tab busy" in done.stderr
    (warc,) = tmp_path.glob("*.warc.gz")
    assert url in responses(warc)
    summary = json.loads(evidence(warc, "capture-summary")["body"])
    assert any("kept its tab busy" in note for note in json.dumps(summary).split('"'))


def test_a_page_that_loops_when_the_screenshot_resizes_it_is_still_captured(
    session: BrowserSession, tmp_path: Path
) -> None:
    """A full-page screenshot resizes the page: a ``resize`` handler that never returns
    hung the DevTools screenshot call for ever.  The page's scripts are stopped before the
    evidence is taken, so the DOM, the screenshot and the PDF are all there."""
    from browser_site import article_page, html, standard_routes

    routes = standard_routes()
    routes["/resize"] = lambda p, h: html(
        article_page(
            "A Page That Loops When Resized",
            "<p>" + PARAGRAPHS[0] + "</p><script>addEventListener('resize', function () {"
            " for (;;) {} }); addEventListener('beforeprint', function () { for (;;) {} });"
            "</script>",
        )
    )
    done, _url = _capture_hostile_page(
        routes, "/resize", tmp_path, 20, "a page that loops when resized"
    )
    assert done.returncode == 0, done.stderr
    (warc,) = tmp_path.glob("*.warc.gz")
    width, height = png_size(evidence(warc, "screenshot")["body"])
    assert width >= 1600 and height > 0
    assert b"A Page That Loops When Resized" in evidence(warc, "rendered-dom")["body"]
    assert evidence(warc, "pdf")["body"].startswith(b"%PDF")


def test_a_tab_that_never_answers_is_ended_by_stopping_its_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last resort: a DevTools call to a tab whose page never yields has no timeout.
    Past the time allowed (and STUCK_GRACE), the session's own Chromium is killed, the
    call fails, and the capture ends with what the proxy recorded and a note saying so.
    The call is made to hang here by running an endless loop in the page through it."""
    from playwright.sync_api import Error as PlaywrightError

    from browser_site import standard_routes
    from warcite.capture import browser_page

    if _chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium, or tools/ci-setup.sh)")

    def hangs(devtools: Any, *args: Any) -> list[Any]:
        with contextlib.suppress(PlaywrightError):  # the browser was stopped
            devtools.send("Runtime.evaluate", {"expression": "for (;;) {}"})
        return []

    monkeypatch.setattr(browser_page, "STUCK_GRACE", 1.0)
    monkeypatch.setattr(browser_page, "_dom_and_screenshot", hangs)
    results: list[Any] = []

    def in_its_own_thread() -> None:  # a second Playwright driver needs a thread of its own
        with BrowserSession() as own:  # killed below: not the module's shared session
            results.append(
                capture_in_browser(
                    site.url("/lazy"),
                    archive_dir=tmp_path,
                    session=own,
                    timeout=1.0,
                    total_timeout=3.0,
                    settings=BrowserSettings(scroll=False),
                )
            )

    with Site(standard_routes()) as site:
        worker = threading.Thread(target=in_its_own_thread, daemon=True)
        worker.start()
        worker.join(60)
        assert not worker.is_alive(), "the capture of a tab that never answers did not end"
    (result,) = results
    assert site.url("/lazy") in responses(result.path)
    summary = json.dumps(json.loads(evidence(result.path, "capture-summary")["body"]))
    assert "the browser was stopped" in summary and "could not be found" not in summary


def test_a_batch_goes_on_in_a_new_browser_after_the_watchdog_stopped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watchdog kills a pool's Chromium to end a tab that never answers; the pages the
    batch still has to capture are taken by a new Chromium, not failed one after another."""
    from playwright.sync_api import Error as PlaywrightError

    from browser_site import standard_routes
    from warcite.capture import browser_page
    from warcite.capture.pool import BrowserPool

    if _chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium, or tools/ci-setup.sh)")
    real = browser_page._dom_and_screenshot
    calls: list[int] = []

    def hangs_once(devtools: Any, *args: Any) -> Any:
        calls.append(1)
        if len(calls) > 1:
            return real(devtools, *args)
        with contextlib.suppress(PlaywrightError):  # the browser was stopped
            devtools.send("Runtime.evaluate", {"expression": "for (;;) {}"})
        return []

    monkeypatch.setattr(browser_page, "STUCK_GRACE", 1.0)
    monkeypatch.setattr(browser_page, "_dom_and_screenshot", hangs_once)
    # the temporary folder of everything started here (short: Chromium's socket is in it)
    scratch = Path(tempfile.mkdtemp(prefix="wt-"))
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    options: dict[str, Any] = {
        "archive_dir": tmp_path,
        "timeout": 2.0,
        "total_timeout": 4.0,
        "settings": BrowserSettings(scroll=False),
    }
    with Site(standard_routes()) as site, BrowserPool(jobs=1) as pool:
        first = pool.capture(site.url("/lazy"), **options)
        second = pool.capture(site.url("/script"), **options)
        assert pool.generation == 1
    summary = json.dumps(json.loads(evidence(first.path, "capture-summary")["body"]))
    assert "the browser was stopped" in summary
    assert b"<html" in evidence(second.path, "rendered-dom")["body"].lower()
    assert evidence(second.path, "screenshot")["body"].startswith(b"\x89PNG")
    # a killed Chromium and a stopped one leave nothing in the temporary folder (their
    # singleton sockets' folders were left there before)
    left = [path.name for path in scratch.iterdir()]
    shutil.rmtree(scratch)
    assert left == []

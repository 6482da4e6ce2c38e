"""Records of browser captures: text from the rendered DOM, evidence listed and checked.

``warcite archive URL --browser`` on a page whose article a script fetches as JSON gives a
record whose text and title are the article's, each field's source saying it came from
the rendered DOM, the evidence records listed with digests, and ``validate --deep``
checking them.  Without ``--browser`` the same page is not recorded: exit 9, the message
says the text is built by scripts and suggests --browser.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from browser_site import ARTICLE, PARAGRAPHS, Site
from warcite.cli import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: tools/ci-setup.sh installs it in CI")
        pytest.skip("chromium is not installed (apt-get install chromium, or tools/ci-setup.sh)")
    (tmp_path / "archive").mkdir()
    (tmp_path / "records").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Any:
    """The CLI on its own thread: Playwright's sync API wants a thread without another
    driver (another test module may hold one on the main thread)."""
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(CliRunner().invoke(cli, list(args))))
    worker.start()
    worker.join(timeout=300)
    return outcome[0]


def only_record(project: Path) -> dict[str, Any]:
    (path,) = list((project / "records").glob("*.json"))
    return json.loads(path.read_text())


def test_script_built_article_is_recorded_from_the_rendered_dom(project: Path) -> None:
    with Site() as site:
        result = run("archive", site.url("/script"), "--browser")
    assert result.exit_code == 0, result.output
    record = only_record(project)
    assert record["work"]["title"]["value"] == ARTICLE["title"]
    assert record["work"]["title"]["source"].startswith("rendered-dom:")
    assert record["work"]["authors"][0]["name"] == ARTICLE["author"]
    text = (project / record["text"]["path"]).read_text()
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text
    extension = record["extensions"]["browser_capture"]
    assert extension["text_source"] == "rendered-dom"
    kinds = {item["kind"] for item in extension["evidence"]}
    assert {"screenshot", "rendered-dom", "capture-summary"} <= kinds
    assert all(len(item["sha256"]) == 64 and item["size"] > 0 for item in extension["evidence"])
    assert "Loading" not in result.output

    validated = run("validate", "--deep")
    assert validated.exit_code == 0, validated.output
    # a quote is checked against the rendered text
    quoted = run("quote", record["id"], PARAGRAPHS[3][:60])
    assert quoted.exit_code == 0, quoted.output


def test_validate_deep_finds_evidence_that_does_not_match(project: Path) -> None:
    with Site() as site:
        assert run("archive", site.url("/script"), "--browser").exit_code == 0
    (path,) = list((project / "records").glob("*.json"))
    record = json.loads(path.read_text())
    record["extensions"]["browser_capture"]["evidence"][0]["sha256"] = "0" * 64
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    result = run("validate", "--deep", str(path))
    assert result.exit_code == 5, result.output
    assert "the record says '" + "0" * 64 in result.output


def test_script_built_page_without_browser_is_exit_8(project: Path) -> None:
    with Site() as site:
        result = run("archive", site.url("/script"))
    assert result.exit_code == 9, result.output
    assert "built by scripts" in result.output and "--browser" in result.output
    assert list((project / "records").glob("*.json")) == []


def test_a_static_page_without_browser_is_still_recorded(project: Path) -> None:
    with Site() as site:
        result = run("archive", site.url("/static"))
    assert result.exit_code == 0, result.output
    assert "browser_capture" not in only_record(project)["extensions"]


def test_cookie_gated_page_is_archived_with_cookies_and_redacted(project: Path) -> None:
    cookies = project / "cookies.txt"
    cookies.write_text("127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tlet-me-in\n")
    with Site() as site:
        refused = run("archive", site.url("/members"))
        assert refused.exit_code == 3, refused.output
        result = run("archive", site.url("/members"), "--cookies", str(cookies))
        assert result.exit_code == 0, result.output
        (sent,) = [headers for path, headers in site.requests[1:] if path == "/members"]
        assert sent["cookie"] == "session=let-me-in"
    record = only_record(project)
    assert record["work"]["title"]["value"] == "Members Only Article"
    assert record["extensions"]["capture_credentials"] == "1 cookies from a cookies.txt file"
    (warc,) = list((project / "archive").glob("*.warc.gz"))
    import gzip

    raw = gzip.decompress(warc.read_bytes())
    assert b"let-me-in" not in raw and b"Cookie: redacted-sha256:" in raw
    assert b"credentials: 1 cookies from a cookies.txt file" in raw


def test_batch_with_browser_shares_one_chromium_across_tabs(project: Path) -> None:
    with Site() as site:
        listing = project / "list.txt"
        listing.write_text(
            "\n".join(site.url(path) for path in ("/script", "/static", "/frame", "/lazy")) + "\n"
        )
        result = run("archive", "--from", str(listing), "--browser", "--jobs", "2", "--quiet")
        assert result.exit_code == 0, result.output
    records = [json.loads(path.read_text()) for path in (project / "records").glob("*.json")]
    assert len(records) == 4
    assert all("browser_capture" in record["extensions"] for record in records)
    titles = {record["work"]["title"]["value"] for record in records}
    assert ARTICLE["title"] in titles
    # one browser: every capture summary names the same proxy authority key
    keys = set()
    for warc in (project / "archive").glob("*.warc.gz"):
        from test_browser_capture import evidence

        summary = json.loads(evidence(warc, "capture-summary")["body"])
        keys.add(summary["proxy"]["authority_spki_sha256"])
    assert len(keys) == 1
    assert not list(Path(tempfile_root()).glob("warcite-browser-profile-*"))  # profile deleted


def tempfile_root() -> str:
    import tempfile

    return tempfile.gettempdir()


def test_the_project_configuration_can_make_browser_capture_the_default(project: Path) -> None:
    (project / "warcite.toml").write_text("[capture]\nbrowser = true\n")
    with Site() as site:
        result = run("archive", site.url("/script"))
    assert result.exit_code == 0, result.output
    assert only_record(project)["extensions"]["browser_capture"]["text_source"] == "rendered-dom"


@pytest.mark.parametrize(
    "text", ['[capture]\nbrowser = "yes"\n', "[capture]\nheadless = true\n", "capture = 1\n"]
)
def test_a_bad_capture_table_is_a_usage_error(tmp_path: Path, text: str) -> None:
    from warcite.core.config import load_config
    from warcite.core.errors import UsageError

    (tmp_path / "warcite.toml").write_text(text)
    with pytest.raises(UsageError, match="capture"):
        load_config(tmp_path)

"""Spanish double surnames from the page's evidence, whatever the work's language (issue
21): a JSON-LD familyName, or the text naming the person by the two surnames, gives family
"García López" on an English page; with no evidence the split stays after the last word
and the record's ``name_note`` says that it is open.  citeproc-js, given warcite's CSL-JSON,
prints the name as APA 7 (9.8) wants it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citeproc_runner import render
from test_record import new_project
from warcite.cite import cite, csl_item
from warcite.cli import cli
from warcite.core.config import Config

CONFIG = Config(archive_name="warcite")
URL = "https://valleytimes.example/2024/05/02/flood-waters-rise"
FILLER = (
    "<p>The river rose again on Tuesday as rain fell across the valley, and the town council "
    "met late into the night to plan its response to the flooding of the lower fields.</p>"
) * 4


def _record(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    author: dict[str, Any],
    body: str = "",
    language: str = "en",
) -> dict[str, Any]:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Flood Waters Rise Along the River",
        "author": author,
        "datePublished": "2024-05-02",
        "publisher": {"@type": "Organization", "name": "The Valley Times"},
    }
    page = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        "<title>Flood Waters Rise Along the River</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head><body><article>'
        f'<h1>Flood Waters Rise Along the River</h1><p class="byline">By {author["name"]}</p>'
        f"{FILLER}{body}</article></body></html>"
    )
    project = new_project(tmp_path / "project")
    source = tmp_path / "page.html"
    source.write_text(page, encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["archive", str(source), "--url", URL])
    assert result.exit_code == 0, result.output
    (path,) = (project / "records").glob("*.json")
    record: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return record


def test_json_ld_family_name_on_an_english_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    author = {"@type": "Person", "name": "María García López", "familyName": "García López"}
    record = _record(tmp_path, monkeypatch, author)
    person = record["work"]["authors"][0]
    assert (person["given"], person["family"]) == ("María", "García López")
    assert "JSON-LD familyName" in person["name_note"]
    assert cite(record, "apa", config=CONFIG).startswith("García López, M. (2024, May 2).")
    item = dict(csl_item(record, config=CONFIG), id="json-ld")
    assert item["author"] == [{"family": "García López", "given": "María"}]
    (rendered,) = render([("apa", item)])
    assert rendered["bibliography"].startswith("García López, M. (2024, May 2).")


def test_the_text_naming_both_surnames_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        "<p>García López, who has covered the river for a decade, said the council was slow "
        "to act. The mayor disagreed with García López on the timing.</p>"
    )
    record = _record(tmp_path, monkeypatch, {"@type": "Person", "name": "María García López"}, body)
    person = record["work"]["authors"][0]
    assert (person["given"], person["family"]) == ("María", "García López")
    assert "the text names the person 'García López' 2x" in person["name_note"]
    assert cite(record, "chicago-bib", config=CONFIG).startswith("García López, María.")


def test_no_evidence_keeps_the_split_open_in_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _record(tmp_path, monkeypatch, {"@type": "Person", "name": "María García López"})
    person = record["work"]["authors"][0]
    assert (person["given"], person["family"]) == ("María García", "López")
    note = person["name_note"]
    assert "'García López'" in note and "'López'" in note and "no evidence" in note
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output


def test_evidence_of_one_surname_and_a_middle_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "<p>Smith, who lives by the river, said the council was slow. Smith added more.</p>"
    record = _record(tmp_path, monkeypatch, {"@type": "Person", "name": "John Ronald Smith"}, body)
    person = record["work"]["authors"][0]
    assert (person["given"], person["family"]) == ("John Ronald", "Smith")
    assert person["name_note"].startswith("family name 'Smith'")


def test_a_spanish_page_follows_its_own_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the familyName says one surname: the Spanish convention does not override it
    author = {"@type": "Person", "name": "María García López", "familyName": "López"}
    record = _record(tmp_path, monkeypatch, author, language="es")
    assert cite(record, "apa", config=CONFIG).startswith("López, M. G. (2024")

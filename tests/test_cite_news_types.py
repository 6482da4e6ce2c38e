"""Pages whose JSON-LD says NewsArticle, or one of its subtypes, are newspaper articles in
every citation (issue 21): CSL ``article-newspaper``, RIS ``NEWS`` and the site in italics
in Chicago (CMOS 17, 14.191), end to end from the archived HTML; citeproc-js with the
official Chicago style italicises the site of the item warcite gives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citeproc_runner import render
from test_record import new_project
from warcite.cite import cite, csl_item
from warcite.cli import cli
from warcite.core.config import Config

CONFIG = Config(archive_name="warcite")
URL = "https://valleytimes.example/2024/05/02/flood-waters-rise"
SITE = "The Valley Times"


def _page(kind: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": "Flood Waters Rise Along the River",
        "author": {"@type": "Person", "name": "Ann Ruiz"},
        "datePublished": "2024-05-02",
        "publisher": {"@type": "Organization", "name": SITE},
        "inLanguage": "en",
    }
    sentence = (
        "The river rose again on Tuesday as rain fell across the valley, and the town "
        "council met late into the night to plan its response to the flooding."
    )
    paragraphs = "".join(f"<p>{sentence} Paragraph {n} adds more detail.</p>" for n in range(6))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flood Waters '
        f"Rise Along the River | {SITE}</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head><body>'
        f'<article><h1>Flood Waters Rise Along the River</h1><p class="byline">By Ann Ruiz</p>'
        f"{paragraphs}</article></body></html>"
    )


def _record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> dict:
    project = new_project(tmp_path / kind)
    source = tmp_path / f"{kind}.html"
    source.write_text(_page(kind), encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["archive", str(source), "--url", URL])
    assert result.exit_code == 0, result.output
    (path,) = (project / "records").glob("*.json")
    record: dict = json.loads(path.read_text("utf-8"))
    return record


NEWS_TYPES = [
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
]


@pytest.mark.parametrize("kind", NEWS_TYPES)
def test_news_articles_are_newspaper_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    record = _record(tmp_path, monkeypatch, kind)
    assert kind in (record["work"]["genre"] or {}).get("raw", ""), record["work"]["genre"]
    assert csl_item(record, config=CONFIG)["type"] == "article-newspaper"
    assert cite(record, "ris", config=CONFIG).startswith("TY  - NEWS\n")
    for style in ("chicago-note", "chicago-bib"):
        assert f"*{SITE}*" in cite(record, style, config=CONFIG, markup="markdown")


def test_a_plain_article_stays_a_web_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = _record(tmp_path, monkeypatch, "Article")
    assert record["work"]["genre"] is None
    assert csl_item(record, config=CONFIG)["type"] == "webpage"
    assert cite(record, "ris", config=CONFIG).startswith("TY  - ELEC\n")
    assert f"*{SITE}*" not in cite(record, "chicago-note", config=CONFIG, markup="markdown")


def test_citeproc_italicises_the_site_of_a_reportage_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _record(tmp_path, monkeypatch, "ReportageNewsArticle")
    item = dict(csl_item(record, config=CONFIG), id="reportage")
    (bibliography,) = render([("chicago-bib", item)])
    assert f"*{SITE}*" in bibliography["bibliography"]
    assert f"*{SITE}*" in cite(record, "chicago-bib", config=CONFIG, markup="markdown")

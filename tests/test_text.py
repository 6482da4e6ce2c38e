"""The clean text by paragraph, and the text, quote and cite commands end to end.

The CLI tests run in a temporary project holding a copy of the reference record
(tests/data/cite_reference.*); the last tests run on the committed reference record
records/opednews-160829-249.json once it exists.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warcite.cite.quote import (
    parse_paragraph_range,
    record_paragraphs,
    render_text,
    select_paragraphs,
)
from warcite.cli import cli
from warcite.core.errors import CitationError, RecordError

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
DATA = TESTS / "data"
SLUG = "opednews-160829-249"
RECORD_ID = "urn:uuid:3f2b8c1e-5d4a-4e7b-9c61-2a8f0e6d4b17"


def reference() -> tuple[dict[str, Any], str]:
    record = json.loads((DATA / "cite_reference.json").read_text("utf-8"))
    return record, (DATA / "cite_reference.txt").read_text("utf-8")


def test_paragraphs_are_numbered_from_one_with_their_kinds() -> None:
    record, text = reference()
    paragraphs = record_paragraphs(record, text)
    assert len(paragraphs) == 10
    assert paragraphs[0].number == 1
    assert paragraphs[0].text.startswith("The number of North Korean defectors has shown")
    assert paragraphs[-1].text.endswith("consistent sanctions in place against North Korea.")
    for paragraph in paragraphs:
        assert text[paragraph.start : paragraph.end] == paragraph.text
        assert paragraph.kind == "paragraph"


def test_select_paragraphs_and_ranges() -> None:
    record, text = reference()
    paragraphs = record_paragraphs(record, text)
    assert [p.number for p in select_paragraphs(paragraphs, 6)] == [6]
    assert [p.number for p in select_paragraphs(paragraphs, *parse_paragraph_range("6-9"))] == [
        6,
        7,
        8,
        9,
    ]
    assert parse_paragraph_range(" 3 ") == (3, 3)
    with pytest.raises(
        CitationError, match="paragraph 11 does not exist: the text has paragraphs 1-10"
    ):
        select_paragraphs(paragraphs, 11)
    with pytest.raises(CitationError, match="paragraph 0 does not exist"):
        select_paragraphs(paragraphs, 0, 2)
    with pytest.raises(CitationError, match="not N or A-B"):
        parse_paragraph_range("six")
    with pytest.raises(CitationError, match="ends before it starts"):
        parse_paragraph_range("9-6")


def kinds_record() -> tuple[dict[str, Any], str]:
    record, _ = reference()
    blocks = ["A Heading", "A paragraph.", "An item", "Quoted words\nover two lines", "x = 1"]
    kinds = ["heading", "paragraph", "list-item", "quote", "preformatted"]
    text = "\n\n".join(blocks) + "\n"
    record["text"].update(
        sha256=hashlib.sha256(text.encode()).hexdigest(), paragraphs=5, paragraph_kinds=kinds
    )
    return record, text


def test_render_formats() -> None:
    record, text = kinds_record()
    paragraphs = record_paragraphs(record, text)
    assert render_text(paragraphs, "plain", record) == text.rstrip("\n")
    assert render_text(paragraphs, "markdown", record) == (
        "## A Heading\n\nA paragraph.\n\n- An item\n\n> Quoted words\n> over two lines\n\n"
        "```\nx = 1\n```"
    )
    data = json.loads(render_text(paragraphs[2:4], "json", record))
    assert data["id"] == SLUG and data["record_id"] == RECORD_ID
    assert data["paragraphs"] == [
        {"number": 3, "kind": "list-item", "text": "An item"},
        {"number": 4, "kind": "quote", "text": "Quoted words\nover two lines"},
    ]


def test_text_that_disagrees_with_its_record() -> None:
    record, text = reference()
    record["text"]["paragraph_kinds"] = ["paragraph"] * 9
    with pytest.raises(RecordError, match="lists 9 kinds but the text file has 10 paragraphs"):
        record_paragraphs(record, text)


# ----------------------------------------------------------------- the commands


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding the reference record, as the current directory."""
    (tmp_path / "records").mkdir()
    (tmp_path / "archive").mkdir()
    shutil.copy(DATA / "cite_reference.json", tmp_path / "records" / f"{SLUG}.json")
    shutil.copy(DATA / "cite_reference.txt", tmp_path / "records" / f"{SLUG}.txt")
    (tmp_path / "warcite.toml").write_text('[archive]\nname = "Test Archive"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*arguments: str) -> Any:
    return CliRunner().invoke(cli, list(arguments))


def test_text_command(project: Path) -> None:
    whole = run("text", SLUG)
    assert whole.exit_code == 0, whole.output
    assert whole.stdout == (DATA / "cite_reference.txt").read_text("utf-8")
    one = run("text", RECORD_ID, "--paragraph", "6")
    assert one.exit_code == 0
    assert one.stdout.startswith("Nevertheless, the number of North Korean elite defectors")
    assert one.stdout.count("\n") == 1
    several = run("text", f"records/{SLUG}.json", "--paragraphs", "9-10", "--format", "json")
    assert [p["number"] for p in json.loads(several.stdout)["paragraphs"]] == [9, 10]


def test_text_command_errors(project: Path) -> None:
    out_of_range = run("text", SLUG, "--paragraph", "11")
    assert out_of_range.exit_code == 6
    assert out_of_range.stderr == (
        "Error: paragraph 11 does not exist: the text has paragraphs 1-10\n"
    )
    both = run("text", SLUG, "--paragraph", "1", "--paragraphs", "1-2")
    assert both.exit_code == 2
    missing = run("text", "no-such-record")
    assert missing.exit_code == 5 and "no record 'no-such-record'" in missing.stderr
    (project / "records" / f"{SLUG}.txt").write_text("changed\n", "utf-8")
    changed = run("text", SLUG)
    assert changed.exit_code == 5 and "does not match the record's sha256" in changed.stderr


def test_quote_command(project: Path) -> None:
    found = run("quote", SLUG, "reign of terror", "--format", "json")
    assert found.exit_code == 0, found.output
    matches = json.loads(found.stdout)
    assert [m["paragraph"] for m in matches] == [6, 9]
    assert matches[0]["citation"] == "(Hyeon, 2016, para. 6)"
    text = run("quote", SLUG, "REIGN of terror", "--ignore-case")
    assert text.exit_code == 0 and "Match 2 of 2: paragraph 9" in text.stdout
    missing = run("quote", SLUG, "a reign of horror")
    assert missing.exit_code == 6
    assert "Closest passage, paragraph" in missing.stderr and "Traceback" not in missing.output


def test_cite_command(project: Path) -> None:
    apa = run("cite", SLUG, "--markup", "markdown")
    assert apa.exit_code == 0, apa.output
    assert apa.stdout == (
        "Hyeon, I. (2016, August 29). *Why North Korean elites defect from their country?* "
        "OpEdNews. https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-"
        "Asylum_Defection_Diplomats_Elitism-160829-249.html (archived in Test Archive, "
        "November 26, 2026: archive/opednews-160829-249-20261126120000.warc.gz, "
        "WARC record urn:uuid:7c9e6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b)\n"
    )
    replayed = run(
        "cite",
        SLUG,
        "--style",
        "chicago-bib",
        "--archive-name",
        "Other Archive",
        "--replay-base",
        "https://replay.example.org/web/",
    )
    assert replayed.exit_code == 0
    assert replayed.stdout.endswith(
        "Archived November 26, 2026, at Other Archive. https://replay.example.org/web/"
        "20261126120000/urn:transcript:https://www.opednews.com/articles/Why-North-Korean-"
        "Elites-De-by-In-ae-Hyun-Asylum_Defection_Diplomats_Elitism-160829-249.html.\n"
    )
    note = run("cite", SLUG, "--style", "chicago-note", "--name-order", "family-first")
    assert note.stdout.startswith('1. Hyeon In-ae, "Why North Korean Elites')
    numbered = run("cite", SLUG, "--style", "chicago-short-note", "--note-number", "2")
    assert numbered.stdout == '2. Hyeon, "Why North Korean Elites."\n'
    csl = run("cite", SLUG, "--style", "csl-json")
    assert json.loads(csl.stdout)[0]["archive"] == "Test Archive"


def test_cite_command_errors(project: Path) -> None:
    assert run("cite", SLUG, "--style", "harvard").exit_code == 2
    bad_base = run("cite", SLUG, "--replay-base", "ftp://x")
    assert (
        bad_base.exit_code == 2
        and "--replay-base must be an absolute http(s) URL" in bad_base.stderr
    )
    (project / "warcite.toml").write_text("[archive]\nreplay = 1\n", "utf-8")
    bad_config = run("cite", SLUG)
    assert bad_config.exit_code == 2 and "unknown key archive.replay" in bad_config.stderr


# ----------------------------------------------------------------- the committed reference record


def committed_reference() -> Path:
    """The committed reference record (issue 4 commits it; its absence is a failure)."""
    path = PROJECT_ROOT / "records" / f"{SLUG}.json"
    assert path.is_file(), f"{path} is missing: the reference record must be committed"
    return path


def test_commands_on_the_committed_reference_record(monkeypatch: pytest.MonkeyPatch) -> None:
    committed_reference()
    monkeypatch.chdir(PROJECT_ROOT)
    text = run("text", SLUG, "--format", "json")
    assert text.exit_code == 0, text.output
    paragraphs = json.loads(text.stdout)["paragraphs"]
    assert len(paragraphs) == 10
    assert paragraphs[0]["text"].startswith("The number of North Korean defectors has shown")
    quote = run("quote", SLUG, "reign of terror", "--format", "json")
    assert quote.exit_code == 0, quote.output
    assert [m["paragraph"] for m in json.loads(quote.stdout)] == [6, 9]
    assert json.loads(quote.stdout)[0]["citation"] == "(Hyeon, 2016, para. 6)"


def test_the_issue_strings_on_the_committed_reference_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = json.loads(committed_reference().read_text("utf-8"))
    monkeypatch.chdir(PROJECT_ROOT)
    warc = record["capture"]["warc"]
    stamp = "".join(character for character in warc["date"] if character.isdigit())
    url = record["work"]["url"]
    base = "https://archive.example.org/web"
    archived = f"{base}/{stamp}/{record['capture']['target_uri']}"
    locator = f"{warc['path']}, WARC record {warc['record_id'].strip('<>')}"
    year, month, day = (int(part) for part in warc["date"][:10].split("-"))
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    months += ["September", "October", "November", "December"]
    mla_months = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept."]
    mla_months += ["Oct.", "Nov.", "Dec."]
    chicago_date = f"{months[month - 1]} {day}, {year}"
    mla_date = f"{day} {mla_months[month - 1]} {year}"
    title = "Why North Korean Elites Defect from Their Country?"

    def cite(style: str, *options: str) -> str:
        result = run("cite", SLUG, "--style", style, "--markup", "markdown", *options)
        assert result.exit_code == 0, result.output
        return str(result.stdout).rstrip("\n")

    replay = ("--replay-base", base)
    # APA 7, 10.16: the original URL always, then the archived copy (issue 10)
    assert cite("apa", *replay) == (
        "Hyeon, I. (2016, August 29). *Why North Korean elites defect from their country?* "
        f"OpEdNews. {url} (archived in warcite, {chicago_date}: {archived})"
    )
    assert cite("apa") == (
        "Hyeon, I. (2016, August 29). *Why North Korean elites defect from their country?* "
        f"OpEdNews. {url} (archived in warcite, {chicago_date}: {locator})"
    )
    assert cite("mla", *replay) == (
        f'Hyeon, In-ae. "{title}" *OpEdNews*, 29 Aug. 2016, {url.removeprefix("https://")}. '
        f"*warcite*, {mla_date}, {archived.removeprefix('https://')}."
    )
    assert cite("chicago-note", *replay) == (
        f'1. In-ae Hyeon, "{title}," *OpEdNews*, August 29, 2016, {url}, '
        f"archived {chicago_date}, at warcite, {archived}."
    )
    assert cite("chicago-short-note") == 'Hyeon, "Why North Korean Elites."'
    assert cite("chicago-bib", *replay) == (
        f'Hyeon, In-ae. "{title}" *OpEdNews*, August 29, 2016. {url}. '
        f"Archived {chicago_date}, at warcite. {archived}."
    )
    assert cite("chicago-bib", "--name-order", "family-first").startswith("Hyeon In-ae. ")
    ris = cite("ris").splitlines()
    assert ris[:6] == [
        "TY  - NEWS",
        "AU  - Hyeon, In-ae",
        f"TI  - {title}",
        "T2  - OpEdNews",
        "DA  - 2016/08/29/",
        "PY  - 2016",
    ]
    assert f"AN  - {locator}" in ris and "M3  - Op-ed" in ris and ris[-1] == "ER  - "
    assert "author = {Hyeon, In-ae}," in cite("biblatex")
    assert "howpublished = {\\url{" in cite("bibtex")


def test_committed_reference_citation_is_the_derived_csl_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = committed_reference()
    monkeypatch.chdir(PROJECT_ROOT)
    record = json.loads(path.read_text("utf-8"))
    printed = json.loads(run("cite", SLUG, "--style", "csl-json").stdout)
    assert printed == [record["citation"]]


def test_cite_needs_only_the_record(project: Path) -> None:
    (project / "records" / f"{SLUG}.txt").unlink()
    assert run("text", SLUG).exit_code == 5
    cited = run("cite", SLUG, "--style", "chicago-short-note")
    assert cited.exit_code == 0 and cited.stdout == 'Hyeon, "Why North Korean Elites."\n'

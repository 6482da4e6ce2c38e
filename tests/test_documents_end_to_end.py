"""PDFs end to end on a loopback server: capture of a PDF URL -> record -> validate --deep ->
quote with a page pinpoint -> text --page -> cite in every style, the prose styles checked
by citeproc-js (the official CSL styles) as the web-page citations are in
tests/test_cite_citeproc.py; and the honest limits: scanned, encrypted and damaged PDFs
exit 4 with their reason and leave no record."""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiet_server import QuietHTTPServer
from test_cite_citeproc import (
    CITEPROC,
    CSL,
    STYLE_FILES,
    Context,
    _archive,
    _markdown,
    _mla_scheme,
    _node,
    _quotes,
)
from test_record import new_project
from warcite.cite import Markup, citation_source, cite, csl_item
from warcite.cite.dates import chicago_date
from warcite.cli import cli
from warcite.core.citation_styles import STYLES
from warcite.core.config import Config
from warcite.record.files import load_record

DATA = Path(__file__).resolve().parent / "data" / "pdf"
CASES = {case["file"]: case for case in json.loads((DATA / "expected.json").read_text("utf-8"))}
REPLAY = Config(archive_name="warcite", replay_base="https://archive.example.org/web")
SERVED = {
    "/papers/informal-work-2020-04.pdf": "working-paper.pdf",
    "/briefs/rural-broadband.pdf": "layout-only.pdf",
    "/journal/household-savings.pdf": "article-two-column.pdf",
    "/notes/procurement.pdf": "footnotes.pdf",
    "/scans/minutes.pdf": "scanned.pdf",
    "/drafts/confidential.pdf": "encrypted.pdf",
    "/broken/cut.pdf": "truncated.pdf",
}


class _Papers(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        name = SERVED.get(self.path)
        if name is None:
            self.send_error(404)
            return
        body = (DATA / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = QuietHTTPServer(("127.0.0.1", 0), _Papers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.chdir(project)
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def project(site: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project holding the captures of four PDFs (made once: extraction takes a while)."""
    root = new_project(tmp_path_factory.mktemp("documents"))
    monkeypatch = pytest.MonkeyPatch()
    try:
        for path, slug in (
            ("/papers/informal-work-2020-04.pdf", "informal-work"),
            ("/briefs/rural-broadband.pdf", "rural-broadband"),
            ("/journal/household-savings.pdf", "household-savings"),
            ("/notes/procurement.pdf", "procurement"),
        ):
            result = _run(root, monkeypatch, "archive", f"{site}{path}", "--id", slug)
            assert result.exit_code == 0, result.output
    finally:
        monkeypatch.undo()
    return root


def _page_two_phrase(file: str) -> str:
    block = next(b for b in CASES[file]["blocks"] if b["pages"] == [2])
    return " ".join(block["text"].split()[:6])


def test_capture_makes_a_paged_record(project: Path, site: str) -> None:
    record = json.loads((project / "records" / "informal-work.json").read_text("utf-8"))
    assert record["schema_version"] == "1.2.0"
    capture = record["capture"]
    assert capture["method"] == "http-capture"
    assert capture["content_type"] == "application/pdf"
    assert capture["http_status"] == 200
    expected = CASES["working-paper.pdf"]
    pages = record["text"]["pages"]
    assert pages["count"] == expected["pages"]
    assert pages["paragraph_pages"] == [
        [b["pages"][0]] if len(b["pages"]) == 1 else [b["pages"][0], b["pages"][-1]]
        for b in expected["blocks"]
    ]
    text = (project / "records" / "informal-work.txt").read_text("utf-8")
    assert text == "\n\n".join(b["text"] for b in expected["blocks"]) + "\n"
    work = record["work"]
    assert work["title"]["value"] == "Informal Work and Social Insurance"
    assert work["title"]["source"] == "pdf-info:Title"
    assert work["published"]["value"] == "2020-06"
    assert work["published"]["source"] == "pdf:dateline"
    assert work["genre"]["value"] == "Working paper"
    assert record["citation"]["type"] == "report"
    assert record["citation"]["genre"] == "Working paper"
    journal = json.loads((project / "records" / "household-savings.json").read_text("utf-8"))
    assert journal["work"]["doi"]["value"] == "10.5555/jpe.2022.0147"
    assert journal["citation"]["type"] == "article-journal"
    assert journal["citation"]["DOI"] == "10.5555/jpe.2022.0147"
    assert journal["citation"]["container-title"] == "Journal of Public Economics Review"
    notes = json.loads((project / "records" / "procurement.json").read_text("utf-8"))
    assert notes["citation"]["type"] == "document"


def test_validate_deep_and_the_seal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(project, monkeypatch, "validate", "--deep")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok") == 4
    # a page map that no longer matches the text is found by the deep check
    path = project / "records" / "informal-work.json"
    original = path.read_bytes()
    record = json.loads(original)
    record["text"]["pages"]["paragraph_pages"][-1] = [1]
    path.write_text(json.dumps(record), encoding="utf-8")
    try:
        broken = _run(project, monkeypatch, "validate", "--deep", "records/informal-work.json")
        assert broken.exit_code == 5
        assert "$.text.pages" in broken.output
    finally:
        path.write_bytes(original)


def test_quote_gives_the_page(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    phrase = _page_two_phrase("working-paper.pdf")
    result = _run(project, monkeypatch, "quote", "informal-work", phrase, "--format", "json")
    assert result.exit_code == 0, result.output
    (match,) = json.loads(result.stdout)
    assert match["pages"] == {"first": 2, "last": 2}
    assert match["pinpoints"] == {"apa": "p. 2", "mla": "2", "chicago": "2"}
    assert match["citation"] == "(Korea Institute for Labour Research, 2020, p. 2)"
    assert match["page_link"].endswith("/papers/informal-work-2020-04.pdf#page=2")
    assert match["text_fragment"] is None
    assert "PDF" in match["text_fragment_problem"]
    text = _run(project, monkeypatch, "quote", "informal-work", phrase)
    assert "page 2" in text.stdout and "p. 2 (APA), 2 (MLA), 2 (Chicago)" in text.stdout


def test_quotes_around_a_page_break_get_their_own_pages(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    block = next(b for b in CASES["working-paper.pdf"]["blocks"] if b["pages"] == [1, 2])
    ((offset, page),) = block["page_starts"]
    assert page == 2
    text = block["text"]
    before = " ".join(text[:offset].split()[-4:])  # the last words of page 1
    across = " ".join(text[:offset].split()[-2:] + text[offset:].split()[:2])
    after = " ".join(text[offset:].split()[:4])  # the first words of page 2
    for phrase, pinpoint in ((before, "p. 1"), (across, "pp. 1\u20132"), (after, "p. 2")):
        result = _run(project, monkeypatch, "quote", "informal-work", phrase, "--format", "json")
        assert result.exit_code == 0, result.output
        found = [m["pinpoints"]["apa"] for m in json.loads(result.stdout)]
        assert found == [pinpoint], phrase
    record = json.loads((project / "records" / "informal-work.json").read_text("utf-8"))
    number = CASES["working-paper.pdf"]["blocks"].index(block) + 1
    assert record["text"]["pages"]["page_starts"] == [
        {"paragraph": number, "offset": offset, "page": 2}
    ]


def test_text_by_page(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(project, monkeypatch, "text", "informal-work", "--page", "2")
    assert result.exit_code == 0, result.output
    on_page = []
    for block in CASES["working-paper.pdf"]["blocks"]:
        if 2 in block["pages"]:  # of a paragraph turning the page, the part on page 2
            offset = next((o for o, page in block["page_starts"] if page == 2), 0)
            on_page.append(block["text"][offset:].strip())
    assert any(b["pages"] == [1, 2] for b in CASES["working-paper.pdf"]["blocks"])
    assert result.stdout == "\n\n".join(on_page) + "\n"
    both = _run(project, monkeypatch, "text", "informal-work", "--page", "1-2")
    whole = (project / "records" / "informal-work.txt").read_text("utf-8")
    assert both.stdout == whole
    missing = _run(project, monkeypatch, "text", "informal-work", "--page", "40")
    assert missing.exit_code == 6
    assert "does not exist" in missing.stderr


def test_search_names_the_page(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    phrase = _page_two_phrase("working-paper.pdf")
    result = _run(project, monkeypatch, "search", f'"{phrase}"', "--format", "json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert hits[0]["pages"] == [2, 2]
    assert hits[0]["citation"].endswith(", p. 2)")


def test_cite_in_every_style(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for slug in ("informal-work", "rural-broadband", "household-savings", "procurement"):
        for style in STYLES:
            result = _run(project, monkeypatch, "cite", slug, "--style", style)
            assert result.exit_code == 0, (slug, style, result.output)
            assert result.stdout.strip()
    pinned = {
        "apa": "(Korea Institute for Labour Research, 2020, pp. 1\u20132)",
        "mla": "(Korea Institute for Labour Research 1\u20132)",
        "chicago-author-date": "(Korea Institute for Labour Research 2020, 1\u20132)",
    }
    for style, expected in pinned.items():
        result = _run(
            project, monkeypatch, "cite", "informal-work", "--style", style, "--pinpoint", "1-2"
        )
        assert result.stdout.strip() == expected
    note = _run(
        project, monkeypatch, "cite", "informal-work", "--style", "chicago-note", "--pinpoint", "2"
    )
    assert "Working paper (2020), 2, http" in note.stdout
    ris = _run(project, monkeypatch, "cite", "household-savings", "--style", "ris").stdout
    assert ris.startswith("TY  - JOUR\n") and "DO  - 10.5555/jpe.2022.0147" in ris
    report = _run(project, monkeypatch, "cite", "informal-work", "--style", "biblatex").stdout
    assert report.startswith("@report{") and "type = {Working paper}" in report
    assert "institution = {Korea Institute for Labour Research}" in report
    classic = _run(project, monkeypatch, "cite", "household-savings", "--style", "bibtex").stdout
    assert classic.startswith("@article{") and "journal = {Journal of Public Economics" in classic
    too_far = _run(project, monkeypatch, "cite", "informal-work", "--pinpoint", "99")
    assert too_far.exit_code == 6 and "does not exist" in too_far.stderr
    no_place = _run(
        project, monkeypatch, "cite", "informal-work", "--style", "chicago-bib", "--pinpoint", "2"
    )
    assert no_place.exit_code == 6


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/scans/minutes.pdf", "OCR"),
        ("/drafts/confidential.pdf", "password"),
        ("/broken/cut.pdf", "cut short"),
    ],
)
def test_unreadable_pdfs_exit_4_and_write_no_record(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, reason: str
) -> None:
    root = new_project(tmp_path)
    result = _run(root, monkeypatch, "archive", f"{site}{path}", "--id", "unreadable")
    assert result.exit_code == 4, result.output
    assert reason in result.stderr
    assert list((root / "records").iterdir()) == []  # nothing half-written
    assert len(list((root / "archive").glob("*.warc.gz"))) == 1  # the capture is kept


def test_import_of_a_pdf_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_project(tmp_path)
    source = DATA / "greek.pdf"
    result = _run(
        root,
        monkeypatch,
        "archive",
        str(source),
        "--url",
        "https://example.gr/ekthesi.pdf",
        "--id",
        "ekthesi",
    )
    assert result.exit_code == 0, result.output
    record = json.loads((root / "records" / "ekthesi.json").read_text("utf-8"))
    assert record["capture"]["method"] == "import-document"
    assert record["capture"]["target_uri"] == "urn:import:https://example.gr/ekthesi.pdf"
    assert record["work"]["language"]["value"] == "el"
    assert _run(root, monkeypatch, "validate", "--deep").exit_code == 0


# --------------------------------------------------------------------------- citeproc-js


def _journal_without_volume(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    """The CSL Chicago styles print "ahead of print" and the full date for an article with
    no volume; warcite cannot know it is ahead of print and gives the year (14.171), which
    author-date has already given after the author (15.9)."""
    issued = context.source.issued
    if context.item["type"] != "article-journal" or issued is None:
        return ours, theirs
    date, year = chicago_date(issued), issued.year
    if context.style == "chicago-author-date":  # after the journal: "*Journal*."
        return ours, re.sub(rf"\*, (?:ahead of print, )?{re.escape(date)}\.", "*.", theirs)
    theirs = re.sub(rf", ahead of print, {re.escape(date)}, (\d+),", rf" ({year}): \1,", theirs)
    theirs = theirs.replace(f", ahead of print, {date},", f" ({year}),")
    theirs = theirs.replace(f", ahead of print, {date}.", f" ({year}).")
    return ours, theirs


def _chicago_page_position(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    """citeproc-js puts the pinpoint ("p. 2") after the archive location; Chicago 14.146
    puts the page, without "p.", right after the publication facts."""
    locator = context.source.archived.locator
    match = re.search(rf", {re.escape(locator)}, p\. (\d+)", theirs)
    if match is None:
        return ours, theirs
    page = match.group(1)
    theirs = theirs.replace(match.group(0), f", {locator}")
    at = theirs.index(f", {locator}")
    head = theirs[:at]
    head = head + f", {page}" if not head.endswith(f": {page}") else head
    return ours, head + theirs[at:]


RULES: tuple[tuple[str, tuple[str, ...], Callable[[str, str, Context], tuple[str, str]]], ...] = (
    ("typographic-quotes", ("mla", "chicago-note", "chicago-bib", "chicago-author-date"), _quotes),
    ("chicago-page-position", ("chicago-note",), _chicago_page_position),
    (
        "archived-copy",
        ("apa", "mla", "chicago-note", "chicago-bib", "chicago-author-date"),
        _archive,
    ),
    ("mla-url-scheme", ("mla",), _mla_scheme),
    (
        "journal-without-volume",
        ("chicago-note", "chicago-bib", "chicago-author-date"),
        _journal_without_volume,
    ),
)
"""The documented differences (docs/documents.md), each with the styles it applies to."""


def test_citations_agree_with_citeproc(project: Path) -> None:
    node = _node()
    jobs, keys = [], []
    for slug in ("informal-work", "rural-broadband", "household-savings", "procurement"):
        record = load_record(project / "records" / f"{slug}.json", project)
        item = dict(csl_item(record, config=REPLAY), id=slug)
        source = citation_source(record, config=REPLAY)
        for style, file in STYLE_FILES.items():
            for locator in (None, "2"):
                if locator and style == "chicago-bib":
                    continue
                job = {
                    "style": str(CSL / file),
                    "locale": str(CSL / "locales-en-US.xml"),
                    "item": item,
                }
                if locator:
                    job["locator"] = locator
                jobs.append(job)
                keys.append((record, style, locator, Context(style, source, item)))
    completed = subprocess.run(
        [node, str(CITEPROC / "render.js")],
        input=json.dumps({"jobs": jobs}),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    unexplained, fired = [], set()
    for (record, style, locator, context), result in zip(
        keys, json.loads(completed.stdout), strict=True
    ):
        in_text = locator is not None and style in ("apa", "mla", "chicago-author-date")
        theirs = _markdown(
            result["note"] if style == "chicago-note" or in_text else result["bibliography"]
        )
        ours = cite(record, style, config=REPLAY, markup=Markup.MARKDOWN, pinpoint=locator)
        ours = re.sub(r"\\([\\*_`\[\]])", r"\1", re.sub(r"^1\. ", "", ours))
        if not in_text:
            for rule_id, styles, transform in RULES:
                if style not in styles:
                    continue
                new = transform(ours, theirs, context)
                if new != (ours, theirs):
                    fired.add(rule_id)
                    ours, theirs = new
        if ours != theirs:
            unexplained.append(
                f"{record['id']} {style} {locator}:\n  warcite:  {ours}\n  citeproc: {theirs}"
            )
    assert not unexplained, "differences no rule explains:\n" + "\n".join(unexplained)
    # every rule is needed by some citation (a rule that no longer fires is removed)
    assert fired == {rule_id for rule_id, _, _ in RULES}


def test_a_pdf_in_a_warc_from_another_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = (DATA / "layout-only.pdf").read_bytes()
    foreign = tmp_path / "crawl.warc.gz"
    with foreign.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "crawler"}))
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "application/pdf"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "https://think.example.org/briefs/rural-broadband.pdf",
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=headers,
            )
        )
    root = new_project(tmp_path)
    result = _run(root, monkeypatch, "archive", str(foreign), "--id", "rural-broadband")
    assert result.exit_code == 0, result.output
    record = json.loads((root / "records" / "rural-broadband.json").read_text("utf-8"))
    assert record["capture"]["method"] == "import-warc"
    assert record["work"]["url"] == "https://think.example.org/briefs/rural-broadband.pdf"
    assert record["work"]["title"]["source"] == "pdf:largest"
    assert [a["name"] for a in record["work"]["authors"]] == ["Daniel Okafor", "Grace Mensah"]
    assert record["citation"]["type"] == "report"
    assert record["text"]["pages"]["count"] == CASES["layout-only.pdf"]["pages"]
    assert _run(root, monkeypatch, "validate", "--deep").exit_code == 0


@pytest.mark.parametrize("export_format", ["premis", "bagit", "wacz", "ocfl"])
def test_pdf_records_export(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, export_format: str
) -> None:
    output = tmp_path / f"out-{export_format}"
    result = _run(project, monkeypatch, "export", export_format, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert "exported 4 records" in result.stderr + result.stdout


def test_pinpoints_are_the_printed_page_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An offprint printed as pages 245-247: quotes and citations give 246, links #page=2."""
    root = new_project(tmp_path)
    source = DATA / "offprint.pdf"
    result = _run(
        root,
        monkeypatch,
        "archive",
        str(source),
        "--url",
        "https://journal.example.org/offprint.pdf",
        "--id",
        "offprint",
    )
    assert result.exit_code == 0, result.output
    record = json.loads((root / "records" / "offprint.json").read_text("utf-8"))
    assert record["text"]["pages"]["labels"] == ["245", "246", "247"]
    block = next(b for b in CASES["offprint.pdf"]["blocks"] if b["pages"] == [2])
    phrase = " ".join(block["text"].split()[:6])
    quoted = _run(root, monkeypatch, "quote", "offprint", phrase, "--format", "json")
    (match,) = json.loads(quoted.stdout)
    assert match["pages"] == {"first": 2, "last": 2}
    assert match["printed_pages"] == {"first": "246", "last": "246"}
    assert match["pinpoints"] == {"apa": "p. 246", "mla": "246", "chicago": "246"}
    assert match["page_link"].endswith("offprint.pdf#page=2")
    cited = _run(root, monkeypatch, "cite", "offprint", "--pinpoint", "246")
    assert cited.stdout.strip().endswith("p. 246)")
    wrong = _run(root, monkeypatch, "cite", "offprint", "--pinpoint", "2")
    assert wrong.exit_code == 6 and "245 to 247" in wrong.stderr

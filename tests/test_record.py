"""record.py: building, writing, loading and migrating records; slugs and sentence case.

The helpers at the top (a project in tmp_path with a WARC imported from a transcript, and a
fixed extraction) are shared by test_validate.py and test_archive_command.py.  Tests never
touch the repository's archive/ or records/.
"""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warcite import record as records
from warcite.cite.titles import sentence_case
from warcite.core.errors import RecordError
from warcite.core.models import Affiliation, ArchivedPage, Extraction, Field, Paragraph, Person
from warcite.core.slugs import default_slug

URL = "https://www.example-news.com/opinion/Why-Rivers-Flood-in-Spring-by-Ana-Lima-210315-77.html"
TRANSCRIPT = (
    "Share this page\n\n"
    "Why Rivers Flood in Spring\n\n"
    "Rivers in the North Basin rise every spring when the snow melts.\n\n"
    "Engineers in the North Basin say the floods are getting worse.\n"
)
PARAGRAPHS = (
    Paragraph("Rivers in the North Basin rise every spring when the snow melts.", "paragraph"),
    Paragraph("Engineers in the\u00a0North Basin say the floods are getting worse.", "paragraph"),
)


def fixed_clock(when: datetime = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)) -> Any:
    """A clock that always says ``when``."""
    return lambda: when


def uuid_sequence(start: int = 1) -> Callable[[], uuid.UUID]:
    """Deterministic UUIDs: 00000000-0000-4000-8000-000000000001, ..."""
    counter = itertools.count(start)
    return lambda: uuid.UUID(f"00000000-0000-4000-8000-{next(counter):012x}")


def warc_ids(start: int = 100) -> Callable[[], str]:
    """Deterministic WARC-Record-IDs."""
    make = uuid_sequence(start)
    return lambda: f"<urn:uuid:{make()}>"


def sample_extraction(
    url: str = URL, *, version: str | None = None, paragraphs: tuple[Paragraph, ...] = PARAGRAPHS
) -> Extraction:
    """A full extraction of the sample transcript, as the extractor would give it."""
    from warcite import __version__

    title = Field(
        "Why Rivers Flood in Spring",
        "text:heading",
        "Why Rivers Flood in Spring",
        candidates=(),
    )
    return Extraction(
        paragraphs=paragraphs,
        title=title,
        authors=(
            Person(
                name="Ana Lima",
                family="Lima",
                given="Ana",
                name_order="given-first",
                forms=("Ana Lima", "Ana-Lima"),
                affiliations=(
                    Affiliation("River Institute", "RI", "Hydrologist", "bio", "Ana Lima is ..."),
                ),
                bio="Ana Lima is a hydrologist at the River Institute (RI).",
                sources=("byline", "url"),
            ),
        ),
        published=Field("2021-03-15", "url", "210315", "URL date token YYMMDD"),
        publisher=Field("Example News", "url", "www.example-news.com"),
        genre=Field("Op-ed", "text:section", "Opinion"),
        language=Field("en", "detection", "Rivers in the North Basin"),
        url=url,
        media_type="text/plain",
        extractor="warcite",
        extractor_version=version or __version__,
    )


def import_transcript(
    project: Path, text: str = TRANSCRIPT, *, url: str = URL, slug: str = "example-news-210315-77"
) -> Path:
    """Import a transcript into ``project/archive`` with warcite's own importer."""
    from warcite.capture import import_file

    source = project / f"{slug}.txt"
    source.write_text(text, encoding="utf-8")
    result = import_file(
        source,
        url=url,
        archive_dir=project / "archive",
        slug=slug,
        clock=fixed_clock(datetime(2026, 11, 26, 11, 0, 0, tzinfo=timezone.utc)),
        new_record_id=warc_ids(),
        hostname="test-host",
    )
    source.unlink()
    return result.path


@pytest.fixture()
def fake_extraction(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Extraction]]:
    """Make ``warcite.extract.extract_page`` return a chosen extraction (default: the sample),
    so that record tests do not depend on the extractor's rules."""
    chosen: dict[str, Extraction] = {}

    def extract_page(page: ArchivedPage) -> Extraction:
        return chosen.get("extraction") or sample_extraction(page.url or URL)

    monkeypatch.setattr("warcite.extract.extract_page", extract_page)
    yield chosen


def new_project(tmp_path: Path) -> Path:
    """An empty project: archive/ and records/."""
    project = tmp_path / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    return project


def recorded_project(tmp_path: Path) -> tuple[Path, Path]:
    """A project with one imported WARC and its valid record; returns (project, record file).

    Needs the ``fake_extraction`` fixture active.
    """
    project = new_project(tmp_path)
    warc = import_transcript(project)
    result = records.make_record(
        warc, project_root=project, clock=fixed_clock(), new_uuid=uuid_sequence()
    )
    return project, result.path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time (the project lock
    file, which holds nothing, aside)."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".warcite.lock"
    }


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        (
            "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-"
            "Asylum_Defection_Diplomats_Elitism-160829-249.html",
            None,
            "opednews-160829-249",
        ),
        ("https://www.bbc.co.uk/news/world-asia-12345678", None, "bbc-12345678"),
        ("https://example.org/story.php?id=4711", None, "example-4711"),
        (
            "https://blog.example.com/2016/08/29/a-quiet-week/",
            "A Quiet Week in the Garden, and Other Stories",
            "example-a-quiet-week-in-the-garden",
        ),
        ("https://m.example.com/about", None, "example-about"),
        ("http://127.0.0.1:8080/page", None, "127-0-0-1-page"),
        ("https://news.example.com/item/12", None, "example-12"),
    ],
)
def test_default_slug(url: str, title: str | None, expected: str) -> None:
    assert default_slug(url, title) == expected


def test_default_slug_is_always_a_valid_slug() -> None:
    from warcite.core.slugs import SLUG_PATTERN

    for url in ("https://x/", "https://éxample.com/ça-va", "https://a.b.c.d.e.f/" + "x" * 300):
        assert SLUG_PATTERN.match(default_slug(url))


# --------------------------------------------------------------------------- sentence case


def test_sentence_case_keeps_proper_nouns_the_text_capitalises() -> None:
    text = (
        "The number of North Korean defectors has grown. Many elites defect when they can. "
        "Their country offers them little."
    )
    assert (
        sentence_case("Why North Korean Elites Defect from Their Country?", text)
        == "Why North Korean elites defect from their country?"
    )


def test_sentence_case_keeps_acronyms_and_the_start_of_a_subtitle() -> None:
    text = "Diplomats ask what comes next for NATO and the UN after the summit."
    assert sentence_case("NATO and the UN: What Comes Next", text) == (
        "NATO and the UN: What comes next"
    )


# --------------------------------------------------------------------------- building


def test_build_record_is_deterministic_and_valid(tmp_path: Path, fake_extraction: Any) -> None:
    from warcite.core.warc.pages import read_page

    project = new_project(tmp_path)
    warc = import_transcript(project)
    page = read_page(warc)

    def build() -> tuple[dict[str, Any], str]:
        return records.build_record(
            page,
            sample_extraction(),
            slug="example-news-210315-77",
            project_root=project,
            clock=fixed_clock(),
            new_uuid=uuid_sequence(),
        )

    first, text = build()
    second, _ = build()
    assert first == second
    assert list(first) == [
        "schema_version",
        "record_id",
        "id",
        "created",
        "work",
        "capture",
        "text",
        "files",
        "events",
        "agents",
        "citation",
        "extensions",
    ]
    assert list(records.record_validator().iter_errors(first)) == []
    # the text: NFC, no-break spaces as spaces, blocks separated by one blank line, one LF
    assert text == (
        "Rivers in the North Basin rise every spring when the snow melts.\n\n"
        "Engineers in the North Basin say the floods are getting worse.\n"
    )
    assert first["text"]["paragraphs"] == 2
    assert first["text"]["characters"] == len(text)
    # "Rivers": no evidence that it is a proper noun, so lowercase (issue 21)
    assert first["work"]["title"]["sentence_case"] == "Why rivers flood in spring"
    assert first["work"]["authors"][0]["alternate_names"] == ["Ana-Lima"]
    assert first["work"]["authors"][0]["affiliations"][0]["as_of"] == "2021-03-15"
    assert first["capture"]["warc"]["path"].startswith("archive/example-news-210315-77-")
    assert first["capture"]["warc"]["offset"] == page.offset
    # an op-ed: an article of a periodical (CSL type from the genre evidence, issue 10)
    assert first["citation"]["type"] == "article-newspaper"
    assert first["citation"]["genre"] == "Op-ed"


def test_transcript_provenance_is_honest(tmp_path: Path, fake_extraction: Any) -> None:
    _project, path = recorded_project(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    capture = record["capture"]
    assert capture["method"] == "import-transcript"
    assert capture["observed_at"] is None
    assert "without its HTML" in capture["source_description"]
    assert "not available" in capture["source_description"]
    assert capture["target_uri"] == f"urn:transcript:{URL}"
    assert capture["final_uri"] == URL
    assert capture["ingested_at"] == "2026-11-26T11:00:00Z"
    kinds = [event["type"] for event in record["events"]]
    assert kinds == [
        "ingestion",
        "metadata extraction",
        "message digest calculation",
        "validation",
    ]
    for event in record["events"]:
        assert event["type_uri"] == records.EVENT_TYPE_URIS[event["type"]]
    agent = record["agents"][0]
    assert agent["name"] == "warcite"
    assert set(agent["environment"]) >= {"python", "warcio", "lxml"}


def test_operator_becomes_an_agent(tmp_path: Path, fake_extraction: Any) -> None:
    project = new_project(tmp_path)
    warc = import_transcript(project)
    result = records.make_record(
        warc,
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(),
        operator="  Jo  Archivist ",
    )
    assert result.record["agents"][-1] == {
        "id": "urn:warcite:agent:operator-jo-archivist",
        "type": "person",
        "name": "Jo Archivist",
    }
    for event in result.record["events"]:  # the operator caused every event of the run
        assert {
            "id": "urn:warcite:agent:operator-jo-archivist",
            "role": "implementer",
            "role_uri": "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/imp",
        } in event["linking_agents"]


def test_http_capture_observed_at_is_the_warc_date(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    warc = project / "archive" / "x.warc"
    warc.write_bytes(b"")
    page = ArchivedPage(
        warc_path=warc,
        record_id="<urn:uuid:00000000-0000-4000-8000-000000000009>",
        record_type="response",
        target_uri=URL,
        url=URL,
        warc_date="2026-11-26T10:00:00Z",
        offset=0,
        length=100,
        http_status=200,
        headers=(("Content-Type", "text/html"),),
        content_type="text/html",
        body=b"<p>x</p>",
        payload_digest="sha256:" + "0" * 64,
        method="http-capture",
    )
    record, _text = records.build_record(
        page,
        sample_extraction(),
        slug="example-news-210315-77",
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(),
    )
    assert record["capture"]["observed_at"] == "2026-11-26T10:00:00Z"
    assert record["capture"]["http_status"] == 200
    assert record["events"][0]["type"] == "capture"
    assert "Live HTTP capture" in record["capture"]["source_description"]


def test_extraction_without_text_is_an_error(tmp_path: Path, fake_extraction: Any) -> None:
    project = new_project(tmp_path)
    warc = import_transcript(project)
    fake_extraction["extraction"] = sample_extraction(
        paragraphs=(Paragraph(" \u00a0", "paragraph"),)
    )
    with pytest.raises(RecordError, match="no text"):
        records.make_record(warc, project_root=project)
    assert list((project / "records").iterdir()) == []


# --------------------------------------------------------------------------- writing


def test_write_record_never_replaces_silently(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    text = (project / record["text"]["path"]).read_text(encoding="utf-8")
    before = snapshot(project)
    with pytest.raises(RecordError, match="never replaces a record silently"):
        records.write_record(record, text, project)
    assert snapshot(project) == before
    records.write_record(record, text + "x", project, replace=True)
    assert (project / record["text"]["path"]).read_text(encoding="utf-8").endswith("x")
    assert not [p for p in (project / "records").iterdir() if p.name.startswith(".")]


def test_rebuilding_the_same_capture_is_unchanged(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    before = snapshot(project)
    warc = project / json.loads(path.read_text(encoding="utf-8"))["capture"]["warc"]["path"]
    result = records.make_record(
        warc,
        project_root=project,
        clock=fixed_clock(datetime(2030, 1, 1, tzinfo=timezone.utc)),
        new_uuid=uuid_sequence(500),
    )
    assert result.status == "unchanged"
    assert result.path == path
    assert snapshot(project) == before


def test_a_changed_rebuild_needs_replace(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    old = json.loads(path.read_text(encoding="utf-8"))
    warc = project / old["capture"]["warc"]["path"]
    changed = sample_extraction()
    fake_extraction["extraction"] = Extraction(
        **{**changed.__dict__, "title": Field("Rivers and Floods", "html:h1", "Rivers and Floods")}
    )
    before = snapshot(project)
    with pytest.raises(RecordError, match=r"differs from the rebuilt record at \$\.work\.title"):
        records.make_record(warc, project_root=project)
    assert snapshot(project) == before
    result = records.make_record(warc, project_root=project, replace=True)
    assert result.status == "replaced"
    assert result.record["record_id"] == old["record_id"]  # the same capture keeps its identity
    assert result.record["work"]["title"]["value"] == "Rivers and Floods"
    # the history is kept: the earlier events first, then this rebuild's, no second ingestion
    events = result.record["events"]
    assert events[: len(old["events"])] == old["events"]
    added = events[len(old["events"]) :]
    assert added and all(e["type"] not in ("capture", "ingestion") for e in added)
    assert "--replace" in next(e for e in added if e["type"] == "metadata extraction")["detail"]
    assert result.record["created"] == old["created"]
    assert list(records.record_validator().iter_errors(result.record)) == []


def test_a_second_capture_of_the_same_page_is_a_new_record(
    tmp_path: Path, fake_extraction: Any
) -> None:
    project, path = recorded_project(tmp_path)
    from warcite.capture import import_file

    source = tmp_path / "again.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    second = import_file(
        source,
        url=URL,
        archive_dir=project / "archive",
        slug="example-news-210315-77",
        clock=fixed_clock(datetime(2026, 11, 27, tzinfo=timezone.utc)),
        new_record_id=warc_ids(300),
    )
    result = records.make_record(second.path, project_root=project)
    assert result.status == "created"
    assert result.path.name == "example-news-210315-77-2.json"
    assert result.record["record_id"] != json.loads(path.read_text())["record_id"]
    with pytest.raises(RecordError, match="another capture"):
        records.make_record(second.path, project_root=project, slug="example-news-210315-77")


def test_the_nth_capture_of_a_page_builds_no_record_for_each_earlier_one(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each id taken by another capture of the page was compared by building a whole record
    for it (a record of a page captured 100 times built 100): now one record of this
    capture tells which capture it is, and the id is taken without another build."""
    from warcite.capture import import_file
    from warcite.integrity import recording

    project, _ = recorded_project(tmp_path)
    source = tmp_path / "again.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    original = recording.build_record
    for number in range(2, 6):
        capture = import_file(
            source,
            url=URL,
            archive_dir=project / "archive",
            slug=f"again-{number}",
            clock=fixed_clock(datetime(2026, 11, 20 + number, tzinfo=timezone.utc)),
            new_record_id=warc_ids(300 + 10 * number),
        )
        built: list[str] = []
        monkeypatch.setattr(
            recording,
            "build_record",
            lambda *a, built=built, **k: built.append(k["slug"]) or original(*a, **k),
        )
        result = records.make_record(capture.path, project_root=project)
        assert result.path.name == f"example-news-210315-77-{number}.json"
        assert len(built) <= 2, built  # the probe, then the record under its id


# --------------------------------------------------------------------------- loading


def test_load_record_by_slug_record_id_and_path(tmp_path: Path, fake_extraction: Any) -> None:
    project, path = recorded_project(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert records.load_record("example-news-210315-77", project) == record
    assert records.load_record(record["record_id"], project) == record
    assert records.load_record(str(path), project) == record
    assert records.load_record(path, project) == record
    assert records.record_text(record, project).startswith("Rivers in the North Basin")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-record", "no record 'no-such-record'"),
        ("urn:uuid:00000000-0000-4000-8000-00000000ffff", "has record_id"),
        ("missing/file.json", "does not exist"),
    ],
)
def test_load_record_not_found(
    tmp_path: Path, fake_extraction: Any, ref: str, message: str
) -> None:
    project, _path = recorded_project(tmp_path)
    with pytest.raises(RecordError, match=message):
        records.load_record(ref, project)


def test_load_record_refuses_broken_json_and_future_versions(
    tmp_path: Path, fake_extraction: Any
) -> None:
    project, path = recorded_project(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    broken = project / "records" / "broken.json"
    broken.write_text('{"id": "x",\n  "work": }\n', encoding="utf-8")
    with pytest.raises(RecordError, match="line 2, column 11"):
        records.load_record("broken", project)
    future = project / "records" / "future.json"
    future.write_text(json.dumps({**record, "schema_version": "2.0.0"}), encoding="utf-8")
    with pytest.raises(RecordError, match="newer than this warcite"):
        records.load_record("future", project)


def test_record_text_refuses_paths_outside_the_project(
    tmp_path: Path, fake_extraction: Any
) -> None:
    project, path = recorded_project(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    for bad in ("../secret.txt", str(tmp_path / "secret.txt")):
        record["text"]["path"] = bad
        with pytest.raises(RecordError, match="not followed"):
            records.record_text(record, project)


# --------------------------------------------------------------------------- migrations


@pytest.fixture()
def fake_old_version(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Register a migration from a pretend schema 0.9.0 (which named the slug ``slug``)."""
    monkeypatch.setattr(records, "MIGRATIONS", dict(records.MIGRATIONS))

    @records.register_migration("0.9.0", "1.0.0")
    def rename_slug(record: dict[str, Any]) -> dict[str, Any]:
        record["id"] = record.pop("slug")
        return record

    yield


def test_migration_brings_an_old_record_to_the_current_version(
    tmp_path: Path, fake_extraction: Any, fake_old_version: None
) -> None:
    project, path = recorded_project(tmp_path)
    current = json.loads(path.read_text(encoding="utf-8"))
    old = copy.deepcopy(current)
    old["schema_version"] = "0.9.0"
    old["slug"] = old.pop("id")
    migrated = records.migrate(old, clock=fixed_clock(), new_uuid=uuid_sequence(900))
    assert old["schema_version"] == "0.9.0"  # the input is untouched
    assert migrated["schema_version"] == records.SCHEMA_VERSION
    assert migrated["id"] == current["id"]
    assert migrated["events"][-1]["type"] == "migration"
    assert migrated["events"][-1]["type_uri"].endswith("/mig")
    details = [e["detail"] for e in migrated["events"] if e["type"] == "migration"]
    assert any("0.9.0 to 1.0.0" in detail for detail in details)
    assert f"to {records.SCHEMA_VERSION}" in migrated["events"][-1]["detail"]
    assert list(records.record_validator().iter_errors(migrated)) == []
    # and loading a stored old record migrates it in memory, never on disk
    path.write_text(json.dumps(old), encoding="utf-8")
    before = path.read_bytes()
    assert records.load_record(path, project)["id"] == current["id"]
    assert path.read_bytes() == before


def test_unknown_and_future_versions_are_clear_problems() -> None:
    assert "newer than this warcite" in (records.version_problem("9.1.0") or "")
    assert "unknown" in (records.version_problem("0.5.0") or "")
    assert "not a version number" in (records.version_problem("one") or "")
    assert records.version_problem(records.SCHEMA_VERSION) is None
    with pytest.raises(RecordError, match="newer"):
        records.migrate({"schema_version": "3.0.0"})


def test_migrations_must_go_forward() -> None:
    with pytest.raises(ValueError, match="forward"):
        records.register_migration("1.0.0", "0.9.0")


# --------------------------------------------------------------------------- comparing


def test_content_differences_ignore_identity_and_dates(
    tmp_path: Path, fake_extraction: Any
) -> None:
    _project, path = recorded_project(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    other = copy.deepcopy(record)
    other["record_id"] = "urn:uuid:00000000-0000-4000-8000-0000000000ff"
    other["created"] = "2030-01-01T00:00:00Z"
    other["events"][1]["date"] = "2030-01-01T00:00:00Z"
    other["agents"][0]["environment"]["python"] = "3.99.0"
    assert records.content_differences(record, other) == []
    other["work"]["published"]["value"] = "2021-03-16"
    assert records.content_differences(record, other) == ["$.work.published.value"]


@given(
    host=st.from_regex(r"[a-z0-9]{1,12}(\.[a-z0-9-]{1,10}){0,4}", fullmatch=True),
    path=st.text(max_size=120),
    title=st.none() | st.text(max_size=200),
)
def test_default_slug_is_valid_for_any_url(host: str, path: str, title: str | None) -> None:
    from warcite.core.slugs import SLUG_PATTERN

    slug = default_slug(f"https://{host}/{quote(path)}", title)
    assert SLUG_PATTERN.match(slug), slug


@given(st.text(max_size=300))
def test_normalized_blocks_have_no_blank_lines_or_no_break_spaces(text: str) -> None:
    block = records.normalize_block(text)
    assert "\n\n" not in block
    assert "\u00a0" not in block
    assert block == block.strip()
    assert records.normalize_block(block) == block


def test_load_record_by_file_name_in_records(
    tmp_path: Path, fake_extraction: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, path = recorded_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert records.load_record(path.name, project)["id"] == "example-news-210315-77"


def test_stated_observed_at_overrides_and_is_checked(tmp_path: Path) -> None:
    from warcite.core.warc.pages import read_page

    project = new_project(tmp_path)
    page = read_page(import_transcript(project))

    def build(observed_at: str) -> dict[str, Any]:
        record, _text = records.build_record(
            page,
            sample_extraction(),
            slug="example-news-210315-77",
            project_root=project,
            clock=fixed_clock(),
            new_uuid=uuid_sequence(),
            observed_at=observed_at,
        )
        return record

    assert build("2016-08-30T12:00:00+02:00")["capture"]["observed_at"] == "2016-08-30T10:00:00Z"
    with pytest.raises(RecordError, match="not an ISO 8601 date-time with a time zone"):
        build("30/08/2016")


def test_preformatted_blocks_keep_their_indentation() -> None:
    code = "    def f():\n\n        return 1\u00a0\n"
    assert records.normalize_block(code, "preformatted") == "    def f():\n        return 1"
    assert records.normalize_block(code) == "def f():\n        return 1"

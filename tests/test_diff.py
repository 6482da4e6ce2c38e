"""Recapture and change over time: two captures of one URL, warcite diff, warcite timemap."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from collection_site import CollectionSite, running_site
from collection_site import new_project as _project
from collection_site import run_cli as _run
from warcite.collection.archive import archive
from warcite.collection.diff import diff_paragraphs, word_diff
from warcite.core.errors import RecordError

CHANGED = (
    "The proposal for the orchard would now take five years to complete, officials said, "
    "after the regional fund was cut by a third."
)


def _capture(site: CollectionSite, number: int, root: Path) -> dict:
    """Archive a page; a second capture in the same second would need another WARC name."""
    record = archive(site.url(number), project_root=root).record
    time.sleep(1.05)
    return record


@pytest.fixture(scope="module")
def three_captures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[dict]]:
    """Page 2 captured three times: unchanged, then with its second paragraph rewritten
    (made once for the module; the tests only read it)."""
    root = _project(tmp_path_factory.mktemp("captures"))
    with running_site(5) as site:
        first = _capture(site, 2, root)
        second = _capture(site, 2, root)
        site.edit(2, 2, CHANGED)
        third = _capture(site, 2, root)
        return root, site.url(2), [first, second, third]


def test_two_captures_of_an_unchanged_page_have_the_same_payload(
    three_captures: tuple[Path, str, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _url, (first, second, _third) = three_captures
    assert first["id"] == "127-0-0-1-1002" and second["id"] == "127-0-0-1-1002-2"
    assert first["capture"]["warc"]["path"] != second["capture"]["warc"]["path"]
    digest = first["capture"]["warc"]["payload_digest"]
    assert second["capture"]["warc"]["payload_digest"] == digest
    result = _run(root, monkeypatch, "diff", first["id"], second["id"])
    assert result.exit_code == 0, result.output
    assert "no change in the clean text or the metadata (the same payload digest)" in result.stdout


def test_diff_shows_the_changed_paragraph(
    three_captures: tuple[Path, str, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, url, (_first, second, third) = three_captures
    result = _run(root, monkeypatch, "diff", second["id"], third["id"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"--- {second['id']} (")
    assert lines[1].startswith(f"+++ {third['id']} (")
    assert "paragraph 2 -> 2 changed:" in lines
    assert f"  + {CHANGED}" in lines
    assert any(
        line.startswith("  - The proposal for the orchard would take three") for line in lines
    )
    assert "{+five+}" in result.stdout and "[-three-]" in result.stdout
    assert "capture.payload_digest" in result.stdout  # a metadata change
    assert "paragraph 1" not in result.stdout and "paragraph 3" not in result.stdout

    data = json.loads(_run(root, monkeypatch, "diff", third["id"], "--format", "json").stdout)
    assert data["old"]["id"] == second["id"]  # the previous capture of the same URL
    assert [(p["kind"], p["old_paragraph"], p["new_paragraph"]) for p in data["paragraphs"]] == [
        ("changed", 2, 2)
    ]
    assert data["same_payload"] is False

    # --since: the latest capture against the last one before the date
    since = second["capture"]["observed_at"]
    data = json.loads(
        _run(root, monkeypatch, "diff", url, "--since", since, "--format", "json").stdout
    )
    assert (data["old"]["id"], data["new"]["id"]) == ("127-0-0-1-1002", third["id"])
    data = json.loads(
        _run(root, monkeypatch, "diff", url, "--since", "2000-01-01", "--format", "json").stdout
    )
    assert data["note"].startswith("no capture before 2000-01-01")


def test_diff_refusals(
    three_captures: tuple[Path, str, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, url, _ = three_captures
    result = _run(root, monkeypatch, "diff", "no-such-record", "127-0-0-1-1002")
    assert result.exit_code == 5 and "no record 'no-such-record'" in result.stderr
    result = _run(root, monkeypatch, "diff", "http://127.0.0.1:1/elsewhere")
    assert result.exit_code == 5 and "holds 0 captures" in result.stderr
    result = _run(root, monkeypatch, "diff", url, "--since", "last week")
    assert result.exit_code == 2


def test_paragraph_alignment_and_word_diff() -> None:
    old = ["one", "two", "three", "four"]
    new = ["one", "inserted", "two", "three changed", "four"]
    changes = diff_paragraphs(old, new)
    assert [(c.kind, c.old_number, c.new_number) for c in changes] == [
        ("added", None, 2),
        ("changed", 3, 4),
    ]
    assert word_diff("a b c", "a x c") == "a [-b-] {+x+} c"
    assert diff_paragraphs(old, old) == []
    assert [(c.kind, c.old_number) for c in diff_paragraphs(old, old[:2])] == [
        ("removed", 3),
        ("removed", 4),
    ]


def test_timemap_lists_the_captures_of_a_url(
    three_captures: tuple[Path, str, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, url, captures = three_captures
    result = _run(root, monkeypatch, "timemap", url)
    assert result.exit_code == 0, result.output
    links = result.stdout.rstrip("\n").split(",\n")
    assert links[0] == f'<{url}>; rel="original"'
    assert len(links) == 4
    pattern = re.compile(r'^<(?P<uri>[^>]+)>; rel="(?P<rel>[^"]+)"; datetime="(?P<date>[^"]+)"$')
    parsed = [pattern.match(link) for link in links[1:]]
    assert all(parsed)
    assert [m["rel"] for m in parsed if m] == ["first memento", "memento", "last memento"]
    for match, record in zip(parsed, captures, strict=True):
        assert match is not None
        warc = record["capture"]["warc"]
        assert match["uri"] == f"{warc['path']}#{warc['record_id'].strip('<>')}"
        observed = record["capture"]["observed_at"]
        stamp = time.strftime(
            "%a, %d %b %Y %H:%M:%S GMT", time.strptime(observed[:19], "%Y-%m-%dT%H:%M:%S")
        )
        assert match["date"] == stamp

    result = _run(root, monkeypatch, "timemap", url, "--replay-base", "https://archive.example/web")
    links = result.stdout.rstrip("\n").split(",\n")
    assert links[1].startswith(f'<https://archive.example/web/timemap/link/{url}>; rel="self"; ')
    assert 'type="application/link-format"; from="' in links[1] and '; until="' in links[1]
    assert links[2] == f'<https://archive.example/web/{url}>; rel="timegate"'
    warc_date = re.sub(r"\D", "", captures[0]["capture"]["warc"]["date"])[:14]
    assert links[3].startswith(
        f'<https://archive.example/web/{warc_date}/{url}>; rel="first memento"'
    )


def test_timemap_leaves_out_imports_and_refuses_unknown_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    saved = tmp_path / "saved.html"
    from collection_site import page_html, page_paragraphs

    saved.write_bytes(page_html(1, page_paragraphs(1)))
    archive(str(saved), project_root=root, url="https://example.org/news/saved-page")
    result = _run(root, monkeypatch, "timemap", "https://example.org/news/saved-page")
    assert result.exit_code == 5
    assert "imports are not mementos" in result.stderr
    result = _run(root, monkeypatch, "timemap", "not a url")
    assert result.exit_code == 2
    with pytest.raises(RecordError):
        from warcite.collection.timemap import timemap
        from warcite.core.config import load_config

        timemap(root, "https://example.org/never", load_config(root))


def test_very_long_texts_are_compared_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    import warcite.collection.diff

    monkeypatch.setattr(warcite.collection.diff, "MAX_PARAGRAPHS_ALIGNED", 3)
    old = ["a", "b", "c", "d"]
    new = ["a", "x", "c", "d", "e"]
    assert [(c.kind, c.old_number, c.new_number) for c in diff_paragraphs(old, new)] == [
        ("changed", 2, 2),
        ("added", None, 5),
    ]


def test_the_timemap_reads_back_with_the_memento_protocol_client(
    three_captures: tuple[Path, str, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """memento-client (the Memento project's own Python library) parses our link-format."""
    memento_client = pytest.importorskip("memento_client", reason="in the test extra")
    client = memento_client.MementoClient
    root, url, captures = three_captures
    base = "https://archive.example/web"
    text = _run(root, monkeypatch, "timemap", url, "--replay-base", base).stdout
    links = client.parse_link_header(text)
    assert links[url]["rel"] == ["original"]
    assert links[f"{base}/timemap/link/{url}"]["type"] == ["application/link-format"]
    mementos = {uri: value for uri, value in links.items() if "memento" in value["rel"]}
    assert len(mementos) == 3
    for record in captures:
        stamp = re.sub(r"\D", "", record["capture"]["warc"]["date"])[:14]
        found = mementos[f"{base}/{stamp}/{url}"]
        seen = client.convert_to_datetime(found["datetime"][0])
        assert seen.strftime("%Y-%m-%dT%H:%M:%S") == record["capture"]["observed_at"][:19]
    first = client.get_uri_dt_for_rel(links, ["first"])["first"]["uri"]
    assert first.startswith(
        f"{base}/{re.sub(r'[^0-9]', '', captures[0]['capture']['warc']['date'])[:14]}/"
    )


def test_recaptures_are_linked_to_the_earlier_captures(
    three_captures: tuple[Path, str, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from warcite.collection.index import load_entries
    from warcite.collection.lineage import lineage_from_entries
    from warcite.core.urls import work_key
    from warcite.record.schema import load_schema

    root, url, (first, second, third) = three_captures
    entries, _ = load_entries(root)
    lineage = lineage_from_entries(url.replace("http://", "HTTP://") + "#x", entries)
    assert lineage["work_key"] == work_key(url)
    assert [item["id"] for item in lineage["previous"]] == [first["id"], second["id"], third["id"]]
    assert lineage["previous"][0] == {
        "id": first["id"],
        "record_id": first["record_id"],
        "payload_digest": first["capture"]["warc"]["payload_digest"],
        "captured": first["capture"]["observed_at"],
    }
    assert lineage_from_entries("http://127.0.0.1:1/other", entries)["previous"] == []
    if "lineage" in load_schema().get("properties", {}):  # schema 1.1.0 and later
        assert "lineage" not in first or first["lineage"]["previous"] == []
        assert [item["id"] for item in third["lineage"]["previous"]] == [first["id"], second["id"]]
        assert third["lineage"]["work_key"] == work_key(url)
    else:  # a schema without lineage: never written (it would not validate)
        assert "lineage" not in third


def test_diff_and_timemap_decode_only_the_entries_they_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 100,000 records, decoding every catalogue entry took seconds; diff and timemap
    now find the captures of one work and the records named in the index (lookup.py), and
    give what the whole catalogue gives."""
    from warcite.collection import index, lookup
    from warcite.collection.catalog import by_work
    from warcite.collection.diff import diff, resolve_pair
    from warcite.collection.timemap import build_timemap, timemap
    from warcite.core.config import load_config

    root = _project(tmp_path)
    with running_site(5) as site:
        for number in (0, 1, 3, 4):
            archive(site.url(number), project_root=root)
        first = _capture(site, 2, root)
        second = _capture(site, 2, root)
        url = site.url(2)
    everything, _ = index.load_entries(root)
    assert len(everything) == 6
    decoded: list[str] = []
    real = lookup.entry_from_json

    def counted(text: str, **options: object) -> object:
        decoded.append(text)
        return real(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(lookup, "entry_from_json", counted)
    monkeypatch.setattr(index, "entry_from_json", counted)
    config = load_config(root)
    assert timemap(root, url, config) == build_timemap(url, everything, config)
    assert len(decoded) == 2  # the two captures of page 2
    decoded.clear()
    result = diff(root, second["id"])
    assert len(decoded) <= 3  # the record named, and the captures of its work
    old, new, _note = resolve_pair(second["id"], None, None, everything)
    assert (result.old_id, result.new_id) == (old.id, new.id) == (first["id"], second["id"])
    assert [entry.id for entry in by_work(everything, url)] == [first["id"], second["id"]]
    decoded.clear()
    by_record_id = diff(root, first["record_id"], second["id"])
    assert (by_record_id.old_id, by_record_id.new_id) == (first["id"], second["id"])
    assert len(decoded) <= 2
    with pytest.raises(RecordError, match="no record 'nothing-here'"):
        diff(root, "nothing-here", second["id"])


def test_a_single_archive_decodes_only_the_entries_of_its_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``warcite archive URL`` took 5.8 s at 100,000 records, most of it decoding every
    catalogue entry (to look for a WARC an interrupted run kept) and reading every response
    (for the revisit lookup); now the index answers each question for the work at hand.
    The lineage and the revisit of a recapture are what they were."""
    from warcite.collection import catalog_by_work, index, lookup

    root = _project(tmp_path)
    with running_site(5) as site:
        for number in (0, 1, 3, 4):
            archive(site.url(number), project_root=root)
        first = _capture(site, 2, root)
        decoded: list[str] = []
        real = lookup.entry_from_json

        def counted(text: str, **options: object) -> object:
            decoded.append(text)
            return real(text, **options)  # type: ignore[arg-type]

        for module in (lookup, index, catalog_by_work):
            monkeypatch.setattr(module, "entry_from_json", counted)
        second = _run(root, monkeypatch, "archive", site.url(2))
    assert second.exit_code == 0, second.output
    assert len(decoded) <= 2  # the earlier capture of page 2 (by its work), nothing else
    record = json.loads((root / "records" / f"{first['id']}-2.json").read_text())
    assert [previous["id"] for previous in record["lineage"]["previous"]] == [first["id"]]
    from warcio.archiveiterator import ArchiveIterator

    with (root / record["capture"]["warc"]["path"]).open("rb") as stream:
        types = [r.rec_type for r in ArchiveIterator(stream)]
    assert "revisit" in types  # the unchanged page refers to the first capture's response

"""Batch archiving: many sources, failures in the middle, interruption and resumption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collection_site import new_project as _project
from collection_site import page_html, page_paragraphs, running_site, story_path
from collection_site import run_cli as _run
from warcite.collection.batch import ArchivedSet, Source, parse_source_list, run_batch
from warcite.collection.index import load_entries
from warcite.core.errors import UsageError

REPO = Path(__file__).resolve().parents[1]


def _records(root: Path) -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((root / "records").glob("*.json"))
        if not path.name.startswith(".")  # an interrupted commit's temporary file
    }


def test_source_lists_take_comments_blank_lines_and_file_url_pairs() -> None:
    text = (
        "# my reading list\n"
        "\n"
        "https://example.org/a  # the first one\n"
        "   https://example.org/b#section\n"
        "saved/page.html https://example.org/c\n"
    )
    sources = parse_source_list(text, "list.txt")
    assert sources == [
        Source("https://example.org/a", None, "list.txt:3"),
        Source("https://example.org/b#section", None, "list.txt:4"),
        Source("saved/page.html", "https://example.org/c", "list.txt:5"),
    ]
    with pytest.raises(UsageError, match=r"list.txt:1: expected a URL or a file"):
        parse_source_list("a b c\n", "list.txt")


def test_batch_of_200_pages_with_failures_in_the_middle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    with running_site(200) as site:
        site.fail[story_path(60)] = 404
        site.fail[story_path(100)] = "drop"
        site.fail[story_path(140)] = "empty"
        lines = ["# the loopback gazette", ""]
        lines += [site.url(n) for n in range(0, 120)]
        lines.append("not-a-url-nor-a-file.html")
        lines += [site.url(n) + "  # later half" for n in range(120, 200)]
        lines.append(site.url(5) + "#again")  # the same page as line 8
        (root / "list.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

        result = _run(root, monkeypatch, "archive", "--from", "list.txt", "--format", "json")
        assert result.exit_code == 7, result.output
        report = json.loads(result.stdout)
        items = report["items"]
        assert len(items) == 202
        failed = {item["source"]: item for item in items if item["status"] == "failed"}
        assert set(failed) == {
            site.url(60),
            site.url(100),
            site.url(140),
            "not-a-url-nor-a-file.html",
        }
        assert failed[site.url(60)]["exit_code"] == 3
        assert "404" in failed[site.url(60)]["message"]
        assert failed[site.url(100)]["exit_code"] == 3
        assert failed[site.url(140)]["exit_code"] == 4
        assert failed["not-a-url-nor-a-file.html"]["exit_code"] == 2
        assert failed["not-a-url-nor-a-file.html"]["origin"] == "list.txt:123"
        assert report["summary"]["archived"] == 197
        assert report["summary"]["duplicate"] == 1
        assert [item["status"] for item in items][-1] == "duplicate"
        # the items after each failure were archived: the batch went on
        records = _records(root)
        assert len(records) == 197
        urls = sorted(record["work"]["url"] for record in records.values())
        assert urls == sorted(site.url(n) for n in range(200) if n not in (60, 100, 140))
        assert "4 failed" in result.stderr and "rerun the same command" in result.stderr

        # a rerun retries only what failed; the site is repaired meanwhile
        site.fail.clear()
        before = dict(site.hits)
        result = _run(root, monkeypatch, "archive", "--from", "list.txt")
        assert result.exit_code == 7  # the line that is not a source still fails
        lines_out = result.stdout.splitlines()
        assert sum(line.startswith("skipped") for line in lines_out) == 197
        assert sum(line.startswith("archived") for line in lines_out) == 3
        assert site.hits[story_path(0)] == before[story_path(0)]  # not fetched again
        assert len(_records(root)) == 200

        # --recapture captures again (here: two pages, given as arguments)
        result = _run(root, monkeypatch, "archive", "--recapture", site.url(1), site.url(2))
        assert result.exit_code == 0, result.output
        assert sum(line.startswith("archived") for line in result.stdout.splitlines()) == 2
        assert len(_records(root)) == 202


def test_an_interrupted_batch_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    with running_site(200) as site:
        site.delay = 0.05
        urls = [site.url(n) for n in range(0, 200, 4)]  # 50 pages of the site
        (root / "list.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
        process = subprocess.Popen(
            [sys.executable, "-m", "warcite", "archive", "--from", "list.txt", "--jobs", "2"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while len([p for p in (root / "records").glob("*.json") if p.name[0] != "."]) < 8:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)  # no chance to clean up
        process.communicate()
        # what the kill interrupted is completed or undone (every writing command does this
        # first; `warcite recover` does only that)
        assert _run(root, monkeypatch, "recover").exit_code == 0
        assert not [p for p in (root / "records").iterdir() if p.name.startswith(".warcite-tmp")]
        done_before = _records(root)  # every record left is complete JSON
        assert 8 <= len(done_before) < 50
        hits_before = dict(site.hits)

        site.delay = 0.0
        result = _run(root, monkeypatch, "archive", "--from", "list.txt", "--format", "json")
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)["summary"]
        assert summary["skipped"] == len(done_before)
        assert summary["archived"] == 50 - len(done_before)
        records = _records(root)
        assert sorted(record["work"]["url"] for record in records.values()) == sorted(urls)
        for record in done_before.values():  # the pages archived before were not fetched
            path = record["work"]["url"].split(":", 2)[2].split("/", 1)[1]
            assert site.hits["/" + path] == hits_before["/" + path]
        result = _run(root, monkeypatch, "validate")
        assert result.exit_code == 0, result.output


def test_a_capture_kept_without_its_record_is_finished_not_fetched_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a kill between a WARC's publication and its record leaves: the resumed batch
    makes the record from that WARC (no second fetch, no orphan left for validate)."""
    root = _project(tmp_path)
    saved = tmp_path / "saved.html"
    saved.write_bytes(page_html(7, page_paragraphs(7)))
    with running_site(20) as site:
        first, second = site.url(1), site.url(2)
        # the WARCs a killed run would have kept: captured and imported, never recorded
        assert _run(root, monkeypatch, "capture", first, "--quiet").exit_code == 0
        kept_file = _run(root, monkeypatch, "import", str(saved), "--url", site.url(7))
        assert kept_file.exit_code == 0, kept_file.output
        assert _run(root, monkeypatch, "validate").exit_code == 5  # two orphans
        hits_before = dict(site.hits)
        (root / "list.txt").write_text(
            f"{first}\n{second}\n{saved} {site.url(7)}\n", encoding="utf-8"
        )
        result = _run(root, monkeypatch, "archive", "--from", "list.txt", "--format", "json")
        assert result.exit_code == 0, result.output
        items = json.loads(result.stdout)["items"]
        assert [item["status"] for item in items] == ["archived"] * 3
        assert "which an interrupted run kept" in (items[0]["message"] or "")
        assert "which an interrupted run kept" in (items[2]["message"] or "")
        assert items[1]["message"] is None  # fetched: nothing was kept for it
        assert site.hits[story_path(1)] == hits_before[story_path(1)]  # not fetched again
        assert site.hits[story_path(2)] == hits_before.get(story_path(2), 0) + 1
    assert len(list((root / "archive").glob("*.warc.gz"))) == 3  # no second copy
    result = _run(root, monkeypatch, "validate")
    assert result.exit_code == 0, result.output


def test_already_archived_means_a_record_for_the_url_or_the_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    saved = tmp_path / "saved.html"
    saved.write_bytes(page_html(7, page_paragraphs(7)))
    with running_site(3) as site:
        report = run_batch(
            [
                Source(site.url(0)),
                Source(str(saved), "https://example.org/saved-page"),
            ],
            project_root=root,
            jobs=2,
        )
        assert [item.status for item in report.items] == ["archived", "archived"]
        entries, _ = load_entries(root)
        held = ArchivedSet.from_entries(entries, root)
        assert held.record_for(Source(site.url(0).replace("http://", "HTTP://"))) is not None
        assert held.record_for(Source(site.url(1))) is None
        assert held.record_for(Source(site.url(0) + "#top")) is not None
        assert held.record_for(Source(str(saved))) is not None
        other = tmp_path / "other.html"
        other.write_bytes(page_html(8, page_paragraphs(8)))
        assert held.record_for(Source(str(other))) is None
        warc = next((root / "archive").glob("127-0-0-1-*.warc.gz"))
        assert held.record_for(Source(str(warc))) is not None


def test_batch_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    result = _run(
        root, monkeypatch, "archive", "http://a.example/", "http://b.example/", "--id", "x"
    )
    assert result.exit_code == 2 and "in a batch" in result.stderr
    result = _run(root, monkeypatch, "archive", "--from", "missing.txt")
    assert result.exit_code == 2 and "no such file" in result.stderr
    (root / "empty.txt").write_text("# nothing\n\n")
    result = _run(root, monkeypatch, "archive", "--from", "empty.txt")
    assert result.exit_code == 2 and "holds no sources" in result.stderr
    (root / "binary.txt").write_bytes(b"\xff\xfe\x00http")
    result = _run(root, monkeypatch, "archive", "--from", "binary.txt")
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    result = _run(root, monkeypatch, "archive")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_progress_bar_on_a_terminal_and_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pty

    root = _project(tmp_path)
    with running_site(6) as site:
        env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
        leader, follower = pty.openpty()
        completed = subprocess.run(
            [sys.executable, "-m", "warcite", "archive", site.url(0), site.url(1)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        terminal = b"".join(chunks).decode()
        assert completed.returncode == 0
        assert "archiving" in terminal and "2 sources: 2 archived" in terminal
        assert completed.stdout.decode().count("archived ") == 2  # the report on stdout

        result = _run(root, monkeypatch, "archive", "--quiet", site.url(2), site.url(0))
        assert result.exit_code == 0
        assert result.stderr == ""
        assert result.stdout.splitlines()[1].startswith("skipped    " + site.url(0))

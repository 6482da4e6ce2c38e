"""Collections benchmark: ``list`` and ``search`` over 10,000 records, batch capture.

Usage (from the project root)::

    python bench/collection.py [--records 10000] [--pages 100] [--latency 0.05] [--json]
    python bench/collection.py --scale 100000 [--scale-pages 200] [--validate-sample K]

Part 1 -- a temporary project with ``--records`` generated records (one real record built
by warcite from a loopback page, cloned with different ids, titles, authors, dates and
texts drawn from a fixed vocabulary; every clone's text digests are its own).  Timed in
this process:

* ``index build``: the first ``list`` (the derived SQLite index is built from the records);
* ``list``: :func:`warcite.collection.listing.list_records` with the index current (every record file
  stat-checked, every record's fixity size-checked), and with ``verify=True`` (every record
  file hashed);
* ``search``: :func:`warcite.collection.search.search` for a phrase, a name and a common word;
* baselines, in the same run: a plain scan that parses every record's JSON (what ``list``
  would do without an index), and one that reads every text file and looks for the phrase
  (``search`` without an index).

Records per second is records divided by the time of one call; the ratios are index over
baseline (> 1: the index is faster).

Part 2 -- ``--pages`` pages of a loopback site whose server waits ``--latency`` seconds
before answering (a network's round trip; 0 measures pure CPU), archived three ways into
fresh projects: ``warcite archive --from`` (the batch, ``--jobs 4``), a sequential Python
loop calling :func:`warcite.collection.archive.archive` once per URL, and a shell-style loop running
``warcite archive URL`` as one process per URL (on the first ``--shell-pages`` pages only,
scaled).  Pages per second and the batch's ratio over each loop are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT / "tests"))  # the loopback site of the test suite

from collection_site import running_site  # noqa: E402

WORDS = [
    "council",
    "harbour",
    "river",
    "library",
    "railway",
    "market",
    "bridge",
    "meadow",
    "budget",
    "vote",
    "plan",
    "school",
    "hospital",
    "election",
    "minister",
    "court",
    "police",
    "report",
    "study",
    "climate",
    "energy",
    "water",
    "housing",
    "transport",
    "museum",
    "festival",
    "union",
    "strike",
    "trade",
    "farm",
    "forest",
    "coast",
    "island",
    "village",
    "city",
    "province",
    "border",
    "treaty",
    "army",
    "refugee",
    "defector",
    "elite",
    "regime",
    "reform",
    "protest",
    "press",
]
SURNAMES = ["Kim", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Alvarez", "Novak", "Hyeon"]
GIVEN = ["Jae-won", "Amara", "Sven", "Claire", "Haruto", "Lucia", "Petra", "In-ae"]


def _project(folder: Path) -> Path:
    (folder / "archive").mkdir(parents=True)
    (folder / "records").mkdir()
    (folder / "warcite.toml").write_text('[archive]\nname = "bench"\n')
    return folder


def _timed(function: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def _best_of(runs: int, function: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """The fastest of ``runs`` timed calls (and its result)."""
    return min((_timed(function, *args, **kwargs) for _ in range(runs)), key=lambda t: t[0])


def generate_records(root: Path, count: int, seed: int = 7) -> None:
    """``count`` records cloned from one real record, each with its own text and digests."""
    from warcite.collection.archive import archive
    from warcite.record.files import dump_record

    with running_site(1) as site:
        template = archive(site.url(0), project_root=root).record
    randomizer = random.Random(seed)
    for number in range(count):
        record = copy.deepcopy(template)
        slug = f"bench-{number:06d}"
        paragraphs = [
            " ".join(randomizer.choice(WORDS) for _ in range(randomizer.randint(25, 60))) + "."
            for _ in range(randomizer.randint(4, 12))
        ]
        if number % 100 == 0:
            paragraphs[1] += " The reign of terror ended."
        text = "\n\n".join(paragraphs) + "\n"
        data = text.encode("utf-8")
        family, given = SURNAMES[number % 8], GIVEN[(number // 8) % 8]
        record["id"] = slug
        record["record_id"] = f"urn:uuid:00000000-0000-4000-8000-{number:012d}"
        record["work"]["title"]["value"] = " ".join(randomizer.sample(WORDS, 6)).capitalize()
        author = record["work"]["authors"][0]
        author.update(
            name=f"{given} {family}", family=family, given=given, forms=[f"{given} {family}"]
        )
        record["capture"]["observed_at"] = f"20{10 + number % 16}-0{1 + number % 9}-15T12:00:00Z"
        text_info = record["text"]
        text_info.update(
            path=f"records/{slug}.txt",
            sha256=hashlib.sha256(data).hexdigest(),
            sha512=hashlib.sha512(data).hexdigest(),
            paragraphs=len(paragraphs),
            paragraph_kinds=["paragraph"] * len(paragraphs),
            characters=len(text),
        )
        record["files"][1].update(
            path=text_info["path"],
            size=len(data),
            sha256=text_info["sha256"],
            sha512=text_info["sha512"],
        )
        (root / "records" / f"{slug}.txt").write_bytes(data)
        (root / "records" / f"{slug}.json").write_text(dump_record(record), encoding="utf-8")
    for path in (root / "records").glob("127-0-0-1-*"):
        path.unlink()  # the template itself is not one of the generated records


def baseline_list(root: Path, author: str) -> int:
    """``list --author`` without an index: parse every record."""
    found = 0
    for path in sorted((root / "records").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        names = [person.get("name", "") for person in record["work"]["authors"]]
        found += any(author.lower() in name.lower() for name in names)
    return found


def baseline_search(root: Path, phrase: str) -> int:
    """``search "phrase"`` without an index: read every text, find the phrase per paragraph."""
    found = 0
    wanted = phrase.lower()
    for path in sorted((root / "records").glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            found += wanted in paragraph.lower()
    return found


def bench_records(count: int) -> dict[str, Any]:
    from warcite.collection.listing import list_records
    from warcite.collection.search import search

    with tempfile.TemporaryDirectory(prefix="warcite-bench-") as folder:
        root = _project(Path(folder) / "project")
        seconds, _ = _timed(generate_records, root, count)
        print(f"generated {count} records in {seconds:.1f} s", file=sys.stderr)
        results: dict[str, Any] = {"records": count}
        build, (entries, sync) = _timed(list_records, root)
        assert len(entries) == count and sync.rebuilt, sync
        results["index_build_s"] = build
        list_warm, (entries, sync) = _timed(list_records, root, author="Hyeon")
        assert not sync.changed
        results["list_s"] = list_warm
        results["list_verify_s"], _ = _timed(list_records, root, author="Hyeon", verify=True)
        results["baseline_list_s"], found = _timed(baseline_list, root, "Hyeon")
        assert found == len(entries), (found, len(entries))
        for name, query in (
            ("phrase", '"reign of terror"'),
            ("name", "In-ae Hyeon"),
            ("word", "council"),
        ):
            search(root, query, limit=20)  # warm the cache of this query's pages
            results[f"search_{name}_s"], hits = _timed(search, root, query, limit=20)
            results[f"search_{name}_matches"] = hits.total
        results["baseline_search_s"], found = _timed(baseline_search, root, "reign of terror")
        assert found == results["search_phrase_matches"], found
    return results


def bench_batch(pages: int, latency: float, shell_pages: int) -> dict[str, Any]:
    from warcite.collection.archive import archive
    from warcite.collection.batch import Source, run_batch

    results: dict[str, Any] = {"pages": pages, "latency_s": latency}
    with running_site(pages) as site, tempfile.TemporaryDirectory() as folder:
        site.delay = latency
        urls = [site.url(n) for n in range(pages)]
        root = _project(Path(folder) / "batch")
        seconds, report = _timed(
            run_batch, [Source(url) for url in urls], project_root=root, jobs=4
        )
        assert report.ok, report.summary()
        results["batch_s"] = seconds
        root = _project(Path(folder) / "loop")
        start = time.perf_counter()
        for url in urls:
            archive(url, project_root=root)
        results["loop_s"] = time.perf_counter() - start
        root = _project(Path(folder) / "shell")
        start = time.perf_counter()
        for url in urls[:shell_pages]:
            subprocess.run(
                [sys.executable, "-m", "warcite", "archive", url],
                cwd=root,
                check=True,
                capture_output=True,
            )
        results["shell_s"] = (time.perf_counter() - start) * pages / shell_pages
        results["shell_pages_run"] = shell_pages
    return results


def _forget_fingerprint(root: Path) -> None:
    """Make the next command sync the index record by record (what every command did
    before the fingerprint and the folder's stamp): the baseline of the ``*_full_sync_s``
    timings."""
    import sqlite3

    from warcite.collection.index import index_path

    with contextlib.closing(sqlite3.connect(index_path(root))) as connection:
        connection.execute("DELETE FROM meta WHERE key IN ('fingerprint', 'folder')")
        connection.commit()


def bench_scale(
    count: int,
    pages: int,
    latency: float,
    validate_sample: int | None,
    project: Path | None = None,
) -> dict[str, Any]:
    """The large-collection case (issue 18): ``count`` generated records, then the index
    build, ``list``, ``search``, a shallow ``validate``, and a batch of ``pages`` pages into
    that project, against the same batch into an empty project, in the same run.

    ``project``: generate the records there (kept) or, when it holds them already, use
    them (the index build is then timed only if there is no index).  ``pages`` 0: no batch."""
    from warcite.collection.batch import Source, run_batch
    from warcite.collection.listing import list_records
    from warcite.collection.search import search
    from warcite.integrity.validate import validate_file

    results: dict[str, Any] = {"records": count, "pages": pages, "latency_s": latency}
    with tempfile.TemporaryDirectory(prefix="warcite-scale-") as folder:
        if pages:
            with running_site(pages) as site:
                site.delay = latency
                urls = [site.url(n) for n in range(pages)]
                empty = _project(Path(folder) / "empty")
                seconds, report = _timed(
                    run_batch, [Source(url) for url in urls], project_root=empty, jobs=4
                )
                assert report.ok, report.summary()
                results["batch_empty_s"] = seconds
        reuse = project is not None and (project / "records").is_dir()
        root = (
            project
            if reuse and project is not None
            else _project(project or Path(folder) / "large")
        )
        if not reuse:
            results["generate_s"], _ = _timed(generate_records, root, count)
            print(f"generated {count} records in {results['generate_s']:.0f} s", file=sys.stderr)
            import shutil

            shutil.rmtree(root / ".warcite", ignore_errors=True)  # the build from nothing
        if not (root / ".warcite" / "index.sqlite").exists():
            build, (entries, sync) = _timed(list_records, root)
            assert len(entries) == count and sync.rebuilt, (len(entries), sync)
            results["index_build_s"] = build
        time.sleep(3.5)  # past the index's racy window (RACY_SECONDS) for the newest files
        list_records(root)  # the first command after a change: a full sync (timed below)
        # the best of three: these take well under a second, and the machine is shared
        results["list_s"], (found, sync) = _best_of(3, list_records, root, author="Hyeon")
        assert not sync.changed and sync.records >= count and sync.check == "folder", sync
        results["list_matches"] = len(found)
        results["list_full_check_s"], (_, sync) = _best_of(
            3, list_records, root, author="Hyeon", full_check=True
        )
        assert not sync.changed and sync.check == "files", sync
        search(root, '"reign of terror"', limit=20)
        results["search_s"], hits = _best_of(3, search, root, '"reign of terror"', limit=20)
        results["search_matches"] = hits.total
        results["search_full_check_s"], _ = _best_of(
            3, search, root, '"reign of terror"', limit=20, full_check=True
        )
        # the baseline, in the same run: the record-by-record sync every command made
        # before the fingerprint (and still makes once after anything is written)
        _forget_fingerprint(root)
        results["list_full_sync_s"], _ = _timed(list_records, root, author="Hyeon")
        _forget_fingerprint(root)
        results["search_full_sync_s"], _ = _timed(search, root, '"reign of terror"', limit=20)
        files = sorted((root / "records").glob("*.json"))
        sample = (
            files if validate_sample is None else files[:: max(1, len(files) // validate_sample)]
        )
        seconds, reports = _timed(lambda: [validate_file(path, root) for path in sample])
        # generated clones carry no seal (and their events name the template's text):
        # validate finds that, which is part of the work timed, not a failure of the bench
        results["validate_problems_per_record"] = sum(len(r.problems) for r in reports) / len(
            reports
        )
        results["validate_records_timed"] = len(sample)
        results["validate_s"] = seconds * len(files) / len(sample)
        if not pages:
            return results
        with running_site(pages) as site:  # a fresh site: new URLs, nothing to skip
            site.delay = latency
            urls = [site.url(n) for n in range(pages)]
            seconds, report = _timed(
                run_batch, [Source(url) for url in urls], project_root=root, jobs=4
            )
            assert report.ok, report.summary()
            results["batch_large_s"] = seconds
    results["per_page_ratio"] = results["batch_large_s"] / results["batch_empty_s"]
    return results


def print_scale(result: dict[str, Any]) -> None:
    n, pages = result["records"], result["pages"]
    print(f"Large collection: {n} generated records; a batch of {pages} pages (--jobs 4)")
    print(f"{'operation':<52}{'seconds':>10}")
    sampled = result["validate_records_timed"]
    rows = [
        *(
            [("index build (first list)", result["index_build_s"])]
            if "index_build_s" in result
            else []
        ),
        (f"list --author ({result['list_matches']} found), nothing changed", result["list_s"]),
        ("list --author --full-check (every file stat-ed)", result["list_full_check_s"]),
        ("list --author, record-by-record sync (before)", result["list_full_sync_s"]),
        (
            f"search phrase ({result['search_matches']} matches), nothing changed",
            result["search_s"],
        ),
        ("search phrase --full-check (every file stat-ed)", result["search_full_check_s"]),
        ("search phrase, record-by-record sync (before)", result["search_full_sync_s"]),
        (
            "validate, shallow, every record"
            + (f" (timed on {sampled}, scaled)" if sampled != n else ""),
            result["validate_s"],
        ),
    ]
    for label, seconds in rows:
        print(f"{label:<52}{seconds:>10.2f}")
    if "batch_large_s" not in result:
        return
    for label, seconds in (
        (f"batch of {pages} pages into an empty project", result["batch_empty_s"]),
        (f"batch of {pages} pages into the {n}-record project", result["batch_large_s"]),
    ):
        print(f"{label:<52}{seconds:>10.2f}")
    empty, large = (result[k] / pages * 1000 for k in ("batch_empty_s", "batch_large_s"))
    print(
        f"per page: {empty:.0f} ms empty, {large:.0f} ms at {n} records: "
        f"ratio {result['per_page_ratio']:.2f}x (target 1.2x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--shell-pages", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help="only the large-collection case: N generated records (e.g. 100000) and a "
        "batch of --scale-pages pages into them, against an empty project",
    )
    parser.add_argument("--scale-pages", type=int, default=200)
    parser.add_argument(
        "--validate-sample",
        type=int,
        default=None,
        metavar="K",
        help="with --scale: time the shallow validate on K records spread over the "
        "collection and scale to all (default: every record)",
    )
    parser.add_argument(
        "--scale-project",
        type=Path,
        default=None,
        metavar="DIR",
        help="with --scale: generate the records in DIR and keep them, or use those DIR "
        "holds already (a rerun skips the generation)",
    )
    options = parser.parse_args()
    if options.scale:
        scale = bench_scale(
            options.scale,
            options.scale_pages,
            options.latency,
            options.validate_sample,
            options.scale_project,
        )
        if options.json:
            print(json.dumps(scale, indent=2))
        else:
            print_scale(scale)
        return
    records = bench_records(options.records)
    batches = [bench_batch(options.pages, 0.0, options.shell_pages)]
    if options.latency:
        batches.append(bench_batch(options.pages, options.latency, options.shell_pages))
    if options.json:
        print(json.dumps({"records": records, "batch": batches}, indent=2))
        return
    n = records["records"]
    print(f"Collections benchmark: {n} generated records; records/s = records / one call")
    print(f"{'operation':<44}{'seconds':>9}{'records/s':>12}{'vs baseline':>13}")
    rows = [
        ("index build (first list)", records["index_build_s"], None),
        ("list --author (index current)", records["list_s"], records["baseline_list_s"]),
        (
            "list --author --verify (all hashed)",
            records["list_verify_s"],
            records["baseline_list_s"],
        ),
        ("baseline: parse every record JSON", records["baseline_list_s"], None),
        (
            f"search phrase ({records['search_phrase_matches']} matches)",
            records["search_phrase_s"],
            records["baseline_search_s"],
        ),
        (f"search name ({records['search_name_matches']} matches)", records["search_name_s"], None),
        (f"search word ({records['search_word_matches']} matches)", records["search_word_s"], None),
        ("baseline: scan every text for the phrase", records["baseline_search_s"], None),
    ]
    for label, seconds, baseline in rows:
        ratio = f"{baseline / seconds:>12.1f}x" if baseline else ""
        print(f"{label:<44}{seconds:>9.3f}{n / seconds:>12.0f}{ratio:>13}".rstrip())
    print()
    print("Batch capture: pages/s; ratio = batch (--jobs 4) over each loop")
    print(
        f"{'server latency':<16}{'pages':>6}{'batch':>9}{'loop':>9}{'shell loop':>12}{'vs loop':>9}{'vs shell':>10}"
    )
    for result in batches:
        pages = result["pages"]
        batch, loop, shell = (pages / result[k] for k in ("batch_s", "loop_s", "shell_s"))
        print(
            f"{result['latency_s'] * 1000:>11.0f} ms{pages:>6}{batch:>9.1f}{loop:>9.1f}"
            f"{shell:>12.1f}{batch / loop:>8.1f}x{batch / shell:>9.1f}x"
        )
    print(
        f"(shell loop: one 'warcite archive URL' process per page, timed on "
        f"{batches[0]['shell_pages_run']} pages and scaled)"
    )


if __name__ == "__main__":
    main()

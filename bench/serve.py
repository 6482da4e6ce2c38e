"""``warcite serve`` benchmark: server time of the collection page, a search and a replay
at 10,000 records (the collections benchmark's generated project, bench/collection.py).

Usage (from the project root)::

    python bench/serve.py [--records 10000] [--repeat 20] [--json]

Server time is the time of one request through the WSGI application (Flask's test
client: routing, the library calls, the template, no network), the median of
``--repeat`` requests after one warm-up.  Baselines, in the same run:

* collection page: ``warcite list`` (:func:`warcite.collection.listing.list_records`, the whole
  collection with every record's fixity), what the page would cost without paging;
* search page (10 hits, each cited): ``warcite search --limit 10``
  (:func:`warcite.collection.search.search`, which opens and syncs the index for each call);
* replay: :func:`warcite.collection.replay.read_resource` alone (reading the archived response),
  against the rewritten page (``mp_``) and the archived bytes (``id_``).

The goal is "well under 100 ms of server time" for the collection and search pages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from collection import _project, generate_records  # noqa: E402

GOAL_SECONDS = 0.100


def _median(function: Any, repeat: int) -> float:
    function()  # warm-up: caches, the index brought up to date
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _get(client: Any, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def bench(count: int, repeat: int) -> dict[str, Any]:
    from warcite.collection.listing import list_records
    from warcite.collection.replay import CaptureIndex, read_resource
    from warcite.collection.search import search
    from warcite.web import create_app

    results: dict[str, Any] = {"records": count, "repeat": repeat}
    with tempfile.TemporaryDirectory(prefix="warcite-bench-serve-") as folder:
        root = _project(Path(folder) / "project")
        start = time.perf_counter()
        generate_records(root, count)
        print(f"generated {count} records in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        list_records(root)  # the index is built once, as by the first `warcite list`
        client = create_app(root).test_client()
        record = json.loads((root / "records" / "bench-000000.json").read_text())
        capture = record["capture"]
        stamp = "".join(ch for ch in capture["warc"]["date"] if ch.isdigit())[:14]
        url = capture["target_uri"]

        pages = {
            "collection": "/",
            "collection_filtered": "/?author=Kim&year=2012&sort=title",
            "search_phrase": '/search?q="reign of terror"',
            "search_name": "/search?q=In-ae Hyeon",
            "search_name_100": "/search?q=In-ae Hyeon&limit=100",
            "replay_mp": f"/web/{stamp}mp_/{url}",
            "replay_id": f"/web/{stamp}id_/{url}",
            "record": "/records/bench-000100",
            "reader": "/records/bench-000100/text",
        }
        for name, page in pages.items():
            results[f"{name}_s"] = _median(lambda page=page: _get(client, page), repeat)
        results["baseline_list_s"] = _median(lambda: list_records(root), max(3, repeat // 4))
        results["baseline_search_phrase_s"] = _median(
            lambda: search(root, '"reign of terror"', limit=10), repeat
        )
        index = CaptureIndex(root)
        found = index.closest(url, stamp)
        results["baseline_read_resource_s"] = _median(lambda: read_resource(root, found), repeat)
        start = time.perf_counter()
        CaptureIndex(root).refresh()
        results["capture_index_build_s"] = time.perf_counter() - start
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    options = parser.parse_args()
    results = bench(options.records, options.repeat)
    if options.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"warcite serve benchmark: {results['records']} generated records; server time, "
        f"median of {results['repeat']} requests (ms)"
    )
    print(f"{'request':<44}{'ms':>9}{'baseline ms':>13}{'ratio':>9}  goal")
    rows = [
        ("collection page (100 a page)", "collection_s", "baseline_list_s", True),
        ("collection page, author+year+sort", "collection_filtered_s", "baseline_list_s", True),
        ('search page "reign of terror"', "search_phrase_s", "baseline_search_phrase_s", True),
        ("search page, a name", "search_name_s", None, True),
        ("search page, a name, 100 hits", "search_name_100_s", None, False),
        ("replay mp_ (rewritten page)", "replay_mp_s", "baseline_read_resource_s", False),
        ("replay id_ (archived bytes)", "replay_id_s", "baseline_read_resource_s", False),
        ("record page", "record_s", None, False),
        ("reader", "reader_s", None, False),
    ]
    for label, key, baseline_key, goal in rows:
        seconds = results[key]
        baseline = results[baseline_key] if baseline_key else None
        ratio = f"{baseline / seconds:>8.2f}x" if baseline else " " * 9
        base = f"{baseline * 1000:>13.1f}" if baseline else " " * 13
        verdict = ("ok" if seconds < GOAL_SECONDS else "OVER 100 ms") if goal else ""
        print(f"{label:<44}{seconds * 1000:>9.1f}{base}{ratio}  {verdict}".rstrip())
    print(
        "baselines: warcite list (whole collection, fixity of every record); "
        "warcite search --limit 10 (index opened and synced per call); "
        "warcite.collection.replay.read_resource alone. "
        "ratio = baseline / page (> 1: the page costs less than its baseline)"
    )
    print(f"capture index built in {results['capture_index_build_s'] * 1000:.1f} ms (first replay)")


if __name__ == "__main__":
    main()

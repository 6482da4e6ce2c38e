"""The Dask example: extraction and validation over WARC files, run locally on a small set."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collection_site import running_site
from warcite.collection.batch import Source, run_batch
from warcite.collection.distributed import check_warc, run
from warcite.core.errors import UsageError

pytest.importorskip("dask.bag", reason="Dask is in the test extra: pip install -e '.[test]'")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    """Three captured pages, the reference WARC, and a WARC with one byte changed."""
    root = tmp_path_factory.mktemp("dask") / "project"
    (root / "archive").mkdir(parents=True)
    (root / "records").mkdir()
    shutil.copy(REPO / "warcite.toml", root)
    with running_site(3) as site:
        assert run_batch([Source(site.url(n)) for n in range(3)], project_root=root).ok
    reference = next((REPO / "archive").glob("opednews-160829-249-*.warc.gz"))
    shutil.copy(reference, root / "archive")
    warcs = sorted(str(path) for path in (root / "archive").glob("*.warc.gz"))
    damaged = root / "damaged.warc"  # uncompressed: a WARC may be either
    data = bytearray(gzip.decompress(Path(warcs[0]).read_bytes()))
    position = data.index(b"Residents gathered")
    data[position] = ord("r")
    damaged.write_bytes(bytes(data))
    records = sorted(str(path) for path in (root / "records").glob("*.json"))
    return root, [*warcs, str(damaged)], records


def test_dask_gives_what_the_library_gives_one_file_at_a_time(
    small_set: tuple[Path, list[str], list[str]],
) -> None:
    root, warcs, records = small_set
    results = run(warcs, records, project_root=str(root), scheduler="processes", workers=2)
    by_path = {item["path"]: item for item in results}
    assert set(by_path) == set(warcs) | set(records)
    for warc in warcs:
        assert by_path[warc] == check_warc(warc)
    damaged = by_path[warcs[-1]]
    assert not damaged["ok"]
    assert any("WARC-Block-Digest" in problem for problem in damaged["problems"])
    reference = next(item for path, item in by_path.items() if "opednews" in path)
    assert reference["ok"] and reference["page"]["authors"] == ["Hyeon In-ae"]
    assert reference["page"]["paragraphs"] == 10
    for record in records:
        assert by_path[record]["ok"], by_path[record]["problems"]
    # the same answers on the threads scheduler
    assert run(warcs, records, project_root=str(root), scheduler="threads") == results


def test_the_example_runs_from_the_shell(
    small_set: tuple[Path, list[str], list[str]], tmp_path: Path
) -> None:
    root, warcs, records = small_set
    output = tmp_path / "report.jsonl"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "warcite.collection.distributed",
            *warcs,
            records[0],
            "--workers",
            "2",
            "--output",
            str(output),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 5, completed.stderr  # the damaged WARC
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(lines) == len(warcs) + 1
    assert f"{len(warcs) + 1} files checked with Dask (processes): 1 with problems" in (
        completed.stderr
    )


def test_unknown_scheduler_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown scheduler"):
        run(["x.warc.gz"], scheduler="spark")

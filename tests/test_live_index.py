"""warcite.collection.live_index: the index a server holds, synced on first use, in the background
after ``max_age``, and at once after invalidate()."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from collection_site import new_project
from warcite.collection.live_index import LiveIndex

REPOSITORY = Path(__file__).resolve().parents[1]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _project(tmp_path: Path, copies: int) -> Path:
    root = new_project(tmp_path)
    for part in ("records", "archive"):
        for path in (REPOSITORY / part).glob("opednews-*"):
            shutil.copy2(path, root / part / path.name)
    source = root / "records" / "opednews-160829-249.json"
    for number in range(1, copies):
        text = source.read_text().replace('"id": "opednews-160829-249"', f'"id": "copy-{number}"')
        (root / "records" / f"copy-{number}.json").write_text(text)
    return root


def _wait(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("the background sync did not finish")


def test_entries_are_kept_until_max_age_then_synced_in_the_background(tmp_path: Path) -> None:
    root = _project(tmp_path, 3)
    clock = Clock()
    index = LiveIndex(root, max_age=2.0, clock=clock)
    first = index.entries()
    assert len(first) == 3
    (root / "records" / "copy-2.json").unlink()
    assert index.entries() is first  # within max_age: the last sync answers
    clock.now += 5
    answered = index.entries()  # this request starts a sync and is answered from the last
    assert len(answered) == 3
    _wait(lambda: len(index.entries()) == 2)
    with index.connection() as (connection, sync):
        assert connection.execute("SELECT count(*) FROM records").fetchone()[0] == 2
        assert sync.records == 2


def test_invalidate_syncs_before_the_next_answer(tmp_path: Path) -> None:
    root = _project(tmp_path, 2)
    index = LiveIndex(root, max_age=3600.0, clock=Clock())
    assert len(index.entries()) == 2
    (root / "records" / "copy-1.json").unlink()
    assert len(index.entries()) == 2
    index.invalidate()
    assert len(index.entries()) == 1

"""A *run*: one command's work on a project (a batch of pages, one ``archive``), during
which what only needs doing once is done once.

Every write of a record first recovers what a crashed writer left (:func:`warcite.core.store.
recover`: journals completed, temporary files removed), which lists ``records/`` and
``archive/``: with 100,000 records that listing, repeated for every page of a batch,
made each page slower the larger the collection.  Inside ``with run(project_root):`` the
recovery is made once, by the first write; outside a run every write recovers as before.
A writer that crashes while the run goes on is recovered by the next run (its journal
stays, and nothing of this run touches its files: ids are reserved, names are unique).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

_lock = threading.Lock()
_depth: dict[str, int] = {}
_recovered: set[str] = set()


def _key(project_root: Path) -> str:
    return str(project_root.resolve())


@contextlib.contextmanager
def run(project_root: Path) -> Iterator[None]:
    """The scope of one run on ``project_root`` (nestable, thread-safe)."""
    key = _key(project_root)
    with _lock:
        _depth[key] = _depth.get(key, 0) + 1
    try:
        yield
    finally:
        with _lock:
            _depth[key] -= 1
            if not _depth[key]:
                del _depth[key]
                _recovered.discard(key)


def recovered(project_root: Path) -> bool:
    """True when a run on the project is going on and has recovered it already."""
    key = _key(project_root)
    with _lock:
        return key in _depth and key in _recovered


def mark_recovered(project_root: Path) -> None:
    """Note that the run going on (if any) has recovered the project."""
    key = _key(project_root)
    with _lock:
        if key in _depth:
            _recovered.add(key)


__all__ = ["mark_recovered", "recovered", "run"]

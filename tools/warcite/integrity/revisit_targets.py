"""Which WARC-Record-IDs the project's WARCs hold: revisit targets resolved across files.

warcite's own revisit records (a requisite unchanged since an earlier capture) refer with
``WARC-Refers-To`` to a response in *another* WARC of the project.  ``warcite check`` of one
file cannot see it and warns; ``validate --deep`` checks each record's WARC with
:func:`project_record_ids` as the resolver, so that it warns only for targets that are
in no WARC of the project at all.  The IDs are read once per run (record headers only),
and again only when ``archive/`` changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from warcite.core.errors import WarciteError
from warcite.core.project import ARCHIVE_DIR, archive_warcs
from warcite.core.warc.records import iter_record_infos


def _bare(record_id: str) -> str:
    value = record_id.strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


class ProjectRecordIds:
    """Callable: True when a record ID is that of a record in some WARC of ``archive/``."""

    def __init__(self, project_root: Path) -> None:
        self.project_root = project_root
        self._ids: set[str] | None = None

    def _scan(self) -> set[str]:
        ids: set[str] = set()
        for relative in archive_warcs(self.project_root):
            try:
                for info in iter_record_infos(self.project_root / relative):
                    if info.record_id:
                        ids.add(_bare(info.record_id))
            except (WarciteError, OSError):
                continue  # an unreadable WARC: its own record's validation reports it
        return ids

    def __call__(self, record_id: str) -> bool:
        if self._ids is None:
            self._ids = self._scan()
        return _bare(record_id) in self._ids


_CACHE: dict[tuple[str, int], ProjectRecordIds] = {}


def project_record_ids(project_root: Path) -> Callable[[str], bool]:
    """The resolver of ``project_root`` (one per state of ``archive/``, reused in a run)."""
    folder = project_root / ARCHIVE_DIR
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        stamp = 0
    key = (str(project_root.resolve()), stamp)
    resolver = _CACHE.get(key)
    if resolver is None:
        _CACHE.clear()
        resolver = _CACHE[key] = ProjectRecordIds(project_root)
    return resolver


__all__ = ["ProjectRecordIds", "project_record_ids"]

"""A single ``warcite archive URL`` finishes what an interrupted run of it left.

When ``archive URL`` is killed after its WARC was published in ``archive/`` but before
the record was written, the WARC stays (complete and verified) and no record refers to
it.  A batch rerun adopts such a WARC (:func:`warcite.collection.batch.kept_captures`); this module
gives a single ``archive URL`` the same behaviour: the record is made from the kept WARC
instead of capturing the page again and leaving the first WARC an orphan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warcite.collection.archive import archive
from warcite.collection.batch import kept_captures
from warcite.collection.catalog_by_work import CatalogueByWork
from warcite.collection.index import index_path, open_index
from warcite.core.errors import WarciteError
from warcite.core.urls import work_key
from warcite.core.warc_claim import claim
from warcite.integrity.recording import RecordResult


def complete_kept_capture(
    source: str, *, project_root: Path, url: str | None = None, **options: Any
) -> tuple[RecordResult, str] | None:
    """The record made from a WARC of ``source`` (an http(s) URL) that an interrupted run
    kept without its record, and a note saying so; None when there is none, or when the
    kept WARC cannot be recorded (then the page is captured again, as a batch does).
    ``options`` go to :func:`warcite.collection.archive.archive` (slug, operator, note...)."""
    if not source.lower().startswith(("http://", "https://")):
        return None
    try:
        recorded, _ = _recorded_warcs(project_root)
        finished = kept_captures(project_root, recorded).get(work_key(source))
    except (WarciteError, ValueError):
        return None
    if finished is None:
        return None
    with claim(project_root / finished) as claimed:
        if not claimed:
            return None  # a running archive is recording it: capture afresh
        # it may have been recorded meanwhile
        recorded, entries = _recorded_warcs(project_root, catalogue=True)
        if finished in recorded:
            return None
        try:
            result = archive(
                str(project_root / finished),
                project_root=project_root,
                url=url or source,
                catalogue=entries,
                **options,
            )
        except WarciteError:
            return None
    return result, f"completed from {finished}, which an interrupted run kept"


__all__ = ["complete_kept_capture"]


def _recorded_warcs(
    project_root: Path, *, catalogue: bool = False
) -> tuple[list[str], CatalogueByWork | None]:
    """The WARCs the records name, and with ``catalogue`` the catalogue (whose entries are decoded only when
    asked for: a capture's lineage reads those of its own work), from the index found
    current by its folder check: a record added, removed or renamed is seen, and only a
    record rewritten in place to name another WARC would not be."""
    with open_index(project_root, check="folder") as (connection, _):
        recorded = [
            path
            for (path,) in connection.execute(
                "SELECT warc_path FROM records WHERE entry IS NOT NULL AND warc_path IS NOT NULL"
            )
        ]
        if not catalogue:
            return recorded, None
        return recorded, CatalogueByWork.from_index(connection, index_path(project_root))

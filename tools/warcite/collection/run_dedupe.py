"""The revisit lookup of a whole batch: the archive's responses read once, not per page.

A live capture writes a response whose payload the archive already holds for the same URL
as a revisit record (:func:`warcite.collection.archive.revisit_targets`).  Building that lookup
opens the index and reads every response it knows: done once per page, a batch's cost per
page grew with the collection.  :class:`RunDedupe` holds them, read once at the start of
the run (from the index the batch opens once), and adds the responses of each capture the run records, so that pages of one batch
sharing a stylesheet still store it once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from warcite.collection.catalog import summarize_warc
from warcite.collection.revisit import EarlierResponse
from warcite.core.errors import WarciteError
from warcite.core.models import RevisitTarget
from warcite.core.project import resolve_in_project
from warcite.core.urls import work_key

_DEDUPED_METHODS = ("http-capture", "import-memento")


class RunDedupe:
    """``(target_uri, payload_digest) -> RevisitTarget | None`` for every capture of a run
    (thread-safe: a batch's workers share it)."""

    def __init__(self, project_root: Path, known: dict[tuple[str, str], EarlierResponse]) -> None:
        """``known``: the archive's responses, read by the caller from the index it holds
        open for the run (:func:`warcite.collection.revisit.payloads_in`)."""
        self.project_root = project_root
        self._lock = threading.Lock()
        self._known = dict(known)

    def __call__(self, target_uri: str, payload_digest: str) -> RevisitTarget | None:
        with self._lock:
            earlier = self._known.get((work_key(target_uri), payload_digest))
        if earlier is None:
            return None
        return RevisitTarget(earlier.target_uri, earlier.date, earlier.record_id)

    def add_record(self, record: Any) -> None:
        """Make the responses of a record's WARC (just written) known to later captures."""
        capture = record.get("capture") if isinstance(record, dict) else None
        if not isinstance(capture, dict) or capture.get("method") not in _DEDUPED_METHODS:
            return
        warc = capture.get("warc")
        relative = warc.get("path") if isinstance(warc, dict) else None
        if not isinstance(relative, str):
            return
        try:
            summary = summarize_warc(resolve_in_project(self.project_root, relative))
        except WarciteError:
            return
        with self._lock:
            for response in summary.responses:
                if response.record_type != "response" or not response.payload_digest:
                    continue
                key = (work_key(response.target_uri), response.payload_digest)
                self._known[key] = EarlierResponse(
                    relative,
                    response.record_id,
                    response.target_uri,
                    response.date,
                    response.offset,
                )


__all__ = ["RunDedupe"]

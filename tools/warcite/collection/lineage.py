"""Recapture: a new capture of a URL the archive already holds is linked to the earlier ones.

A record's ``lineage`` (schema 1.1.0) names its work and every earlier capture of it::

    {"work_key": "<normalised original URL>",
     "previous": [{"id": "<record id>", "record_id": "urn:uuid:...",
                   "payload_digest": "sha256:<hex>", "captured": "<date-time or null>"}]}

``work_key`` is warcite.collection.catalog.work_key of the work's original URL; ``previous`` lists
the records of that work that existed when this one was made, oldest first (empty for a
first capture).  The records stay independent: a lineage only points at other records.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warcite.collection.catalog import CatalogEntry, by_work
from warcite.core.urls import work_key


def lineage_from_entries(url: str, entries: Sequence[CatalogEntry]) -> dict[str, Any]:
    """The lineage of a new capture of ``url``, given the archive's catalogue entries."""
    previous = [
        {
            "id": entry.id,
            "record_id": entry.record_id,
            "payload_digest": entry.payload_digest,
            "captured": entry.captured,
        }
        for entry in by_work(entries, url)
        if entry.record_id.startswith("urn:uuid:")
        and (entry.payload_digest or "").startswith("sha256:")
    ]
    return {"work_key": work_key(url), "previous": previous}


def lineage_for(project_root: Path, url: str) -> dict[str, Any]:
    """The lineage of a new capture of ``url`` in the project (from the index, found
    current by its folder check and the stats of the earlier captures it names; no entry
    decoded but those of its work)."""
    from warcite.collection.lookup import captures_of, in_current_index

    captures = in_current_index(
        project_root,
        lambda connection: captures_of(connection, url),
        lambda found: (entry.path for entry in found),
    )
    return lineage_from_entries(url, captures)


__all__ = ["lineage_for", "lineage_from_entries"]

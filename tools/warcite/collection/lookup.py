"""A few records found in the index without decoding every catalogue entry.

``warcite diff`` and ``warcite timemap`` need the captures of one work (a URL) and the
records a user named (an id, a ``record_id`` or a path); reading every entry of a 100,000
record collection to find them took seconds (docs/scale.md).  Here the index answers in SQL:
the work keys of each record are a column (``keys_text``, one key a line), a record's path
is the table's key, and only the entries found are decoded.  The index is trusted on its
folder check, and the records found are then checked for writes in place, as ``list`` and
``search`` do (:func:`warcite.collection.index.edited_in_place`); when one was written in
place, every record file is checked and the question asked again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from warcite.collection.catalog import CatalogEntry, entry_from_json
from warcite.collection.index import edited_in_place, open_index
from warcite.core.urls import work_key

Found = TypeVar("Found")


def in_current_index(
    project_root: Path,
    ask: Callable[[sqlite3.Connection], Found],
    paths: Callable[[Found], Iterable[str]],
) -> Found:
    """``ask`` of an index found current: by the folder check and the stats of the
    records it found (``paths`` of its answer), else by checking every record file."""
    for check in ("folder", "files"):
        with open_index(project_root, check=check) as (connection, sync):
            found = ask(connection)
            if sync.check != "folder" or not edited_in_place(
                connection, project_root, paths(found)
            ):
                return found
    raise AssertionError("unreachable: the files check is final")  # pragma: no cover


def captures_of(connection: sqlite3.Connection, url: str) -> list[CatalogEntry]:
    """The entries whose work keys hold ``url``'s (what
    :func:`warcite.collection.catalog.by_work` selects), in path order."""
    key = work_key(url)
    rows = connection.execute(
        "SELECT entry FROM records WHERE entry IS NOT NULL "
        "AND instr(char(10) || keys_text || char(10), char(10) || ?1 || char(10)) > 0 "
        "ORDER BY path",
        (key,),
    )
    return [entry_from_json(entry) for (entry,) in rows]


def entry_named(connection: sqlite3.Connection, reference: str) -> CatalogEntry | None:
    """The entry a user names by its id, ``record_id``, path or file name (the first in
    path order, as :func:`warcite.collection.diff.resolve_pair` reads a name): looked up
    by path first (``records/<id>.json``), then by the ids the entries hold."""
    paths = [reference, f"records/{reference}.json"]
    if reference.endswith(".json"):
        paths.append(f"records/{Path(reference).name}")
    found = [
        entry_from_json(entry)
        for path in dict.fromkeys(paths)
        for (entry,) in connection.execute(
            "SELECT entry FROM records WHERE entry IS NOT NULL AND path = ?", (path,)
        )
    ]
    named = [entry for entry in found if names(entry, reference)]
    if not named:  # an id or record_id that is not the file's name
        named = [
            entry_from_json(entry)
            for (entry,) in connection.execute(
                "SELECT entry FROM records WHERE entry IS NOT NULL AND "
                "(json_extract(entry, '$.id') = ?1 OR json_extract(entry, '$.record_id') = ?1) "
                "ORDER BY path",
                (reference,),
            )
        ]
    named.sort(key=lambda entry: entry.path)
    return named[0] if named else None


def names(entry: CatalogEntry, reference: str) -> bool:
    """``reference`` names ``entry``: its id, ``record_id`` or path, or its file's name."""
    return reference in (entry.id, entry.record_id, entry.path) or (
        reference.endswith(".json") and Path(reference).name == Path(entry.path).name
    )


__all__ = ["captures_of", "entry_named", "in_current_index", "names"]

"""A derived SQLite index of the records: the catalogue for ``list`` and FTS5 for ``search``.

The records in ``records/`` are the source of truth; the index
(``.warcite/index.sqlite`` at the project root, never committed) is rebuilt from them
whenever it may be out of date and can be deleted at any time.

Verification, before every use (:func:`open_index`):

* every ``records/*.json`` is compared with what the index holds for it: the file's
  size and modification time and those of its text file; a record whose files changed is
  then *hashed* (sha256 of the JSON file and of the text file, both stored in the index)
  and re-indexed if a digest differs;
* ``verify=True`` (``--verify``) hashes every record file whatever its time stamp;
* records that disappeared are removed; a record that is new is added;
* an index of another format version, or one SQLite cannot read, is rebuilt from scratch;
  ``rebuild=True`` (``--reindex``) always does.

What was done is returned in :class:`IndexSync` so the CLI can say so.

Tables: ``records`` (one row per record file: digests, stat, the catalogue entry as JSON)
and ``passages``, an FTS5 table (tokenizer ``unicode61 remove_diacritics 2``) with one row
per paragraph of clean text (``field`` = ``text``, ``paragraph`` = its 1-based number) and
one per metadata field (``title``, ``author`` -- every recorded form of every name --,
``bio`` (authors' bios and affiliations), ``publisher``, ``description``, ``keywords``, ``url``; ``paragraph`` = 0).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcite.catalog import (
    CatalogEntry,
    entry_from_json,
    entry_from_record,
    entry_to_json,
    mapping,
    requested_uri_of,
)
from warcite.errors import UsageError, WarciteError
from warcite.project import RECORDS_DIR, resolve_in_project

INDEX_DIR = ".warcite"
INDEX_FILE = "index.sqlite"
INDEX_FORMAT = "4"
"""Bumped whenever the tables or what goes into them change: an older index is rebuilt."""

TOKENIZER = "unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class IndexSync:
    """What verifying the index against the records did."""

    path: Path
    records: int  # records in the index after the sync
    added: int = 0
    updated: int = 0
    removed: int = 0
    rebuilt: bool = False
    reason: str | None = None  # why it was rebuilt
    problems: tuple[str, ...] = ()  # record files that could not be indexed, and why

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        if self.rebuilt:
            return f"index rebuilt ({self.reason}): {self.records} records"
        parts = [
            f"{count} {word}"
            for count, word in (
                (self.added, "added"),
                (self.updated, "updated"),
                (self.removed, "removed"),
            )
            if count
        ]
        return f"index updated from the records: {', '.join(parts)}" if parts else "index current"


def index_path(project_root: Path) -> Path:
    return project_root / INDEX_DIR / INDEX_FILE


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=60, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _create(connection: sqlite3.Connection) -> None:
    connection.executescript(
        f"""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS records (
            path TEXT PRIMARY KEY,
            json_sha256 TEXT NOT NULL,
            json_stat TEXT NOT NULL,
            text_path TEXT,
            text_sha256 TEXT,
            text_stat TEXT,
            entry TEXT,
            problem TEXT
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(
            record UNINDEXED, paragraph UNINDEXED, field UNINDEXED, body,
            tokenize = '{TOKENIZER}'
        );
        """
    )
    connection.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?)", (INDEX_FORMAT,)
    )


def _stat(path: Path) -> str:
    """Size and modification time (ns) of a file, or "" when it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass(frozen=True)
class _Stored:
    json_sha256: str
    json_stat: str
    text_path: str | None
    text_sha256: str | None
    text_stat: str | None


def _text_file(record: Mapping[str, Any], project_root: Path) -> tuple[str | None, Path | None]:
    relative = mapping(record.get("text")).get("path")
    if not isinstance(relative, str):
        return None, None
    try:
        return relative, resolve_in_project(project_root, relative)
    except WarciteError:
        return relative, None


def _passages(
    entry: CatalogEntry, record: Mapping[str, Any], text: str
) -> Iterator[tuple[str, int, str, str]]:
    from warcite.record import text_blocks

    work = mapping(record.get("work"))
    description = mapping(work.get("description"))
    keywords = work.get("keywords")
    keywords = keywords if isinstance(keywords, list) else []
    people = [person for person in work.get("authors") or [] if isinstance(person, Mapping)]
    bios = [str(person.get("bio")) for person in people if isinstance(person.get("bio"), str)]
    affiliations = [
        str(item.get(key))
        for person in people
        for item in person.get("affiliations") or []
        if isinstance(item, Mapping)
        for key in ("name", "alternate_name", "role")
        if isinstance(item.get(key), str)
    ]
    fields = [
        ("title", entry.title or ""),
        ("bio", " ; ".join(dict.fromkeys(bios + affiliations))),
        ("author", " ; ".join(entry.author_forms)),
        ("publisher", entry.site),
        ("description", str(description.get("value") or "")),
        ("keywords", " ; ".join(str(k) for k in keywords)),
        ("url", entry.url),
    ]
    for name, value in fields:
        if value.strip():
            yield (entry.path, 0, name, value)
    for number, block in enumerate(text_blocks(text), start=1):
        yield (entry.path, number, "text", block)


def _index_record(
    connection: sqlite3.Connection, project_root: Path, json_file: Path, relative: str
) -> str | None:
    """(Re)index one record file; returns a problem when it cannot be indexed."""
    connection.execute("DELETE FROM passages WHERE record = ?", (relative,))
    json_stat = _stat(json_file)
    try:
        raw = json_file.read_bytes()
    except OSError as error:
        return f"{relative}: cannot read ({error.strerror or error})"
    json_sha = hashlib.sha256(raw).hexdigest()

    def store(problem: str | None, **values: Any) -> str | None:
        connection.execute(
            "INSERT OR REPLACE INTO records (path, json_sha256, json_stat, text_path, "
            "text_sha256, text_stat, entry, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                relative,
                json_sha,
                json_stat,
                values.get("text_path"),
                values.get("text_sha256"),
                values.get("text_stat"),
                values.get("entry"),
                problem,
            ),
        )
        return problem

    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return store(f"{relative}: not valid UTF-8 JSON ({error}); run warcite validate")
    if not isinstance(record, dict):
        return store(f"{relative}: not a JSON object; run warcite validate")
    text_relative, text_file = _text_file(record, project_root)
    text = ""
    text_sha = None
    text_stat = None
    problem = None
    if text_file is None:
        problem = f"{relative}: its text file {text_relative!r} is not a project path"
    else:
        text_stat = _stat(text_file)
        try:
            text_bytes = text_file.read_bytes()
            text_sha = hashlib.sha256(text_bytes).hexdigest()
            text = text_bytes.decode("utf-8")
        except OSError:
            problem = f"{relative}: its text file {text_relative} is missing (metadata indexed)"
        except UnicodeDecodeError:
            problem = f"{relative}: its text file {text_relative} is not UTF-8 (metadata indexed)"
            text = ""
    requested = None
    warc_relative = (
        record.get("capture", {}).get("warc", {}).get("path")
        if isinstance(record.get("capture"), dict)
        and isinstance(record["capture"].get("warc"), dict)
        else None
    )
    method = (
        record.get("capture", {}).get("method") if isinstance(record.get("capture"), dict) else None
    )
    if isinstance(warc_relative, str) and method in ("http-capture", "import-memento"):
        with contextlib.suppress(WarciteError):
            requested = requested_uri_of(resolve_in_project(project_root, warc_relative))
    entry = entry_from_record(record, relative, requested_uri=requested)
    connection.executemany(
        "INSERT INTO passages (record, paragraph, field, body) VALUES (?, ?, ?, ?)",
        list(_passages(entry, record, text)),
    )
    return store(
        problem,
        text_path=text_relative,
        text_sha256=text_sha,
        text_stat=text_stat,
        entry=entry_to_json(entry),
    )


def _open_existing(path: Path) -> tuple[sqlite3.Connection | None, str | None]:
    """The index if it exists and is of this format; else None and why it must be rebuilt."""
    if not path.exists():
        return None, "no index yet"
    try:
        connection = _connect(path)
        row = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        connection.execute("SELECT count(*) FROM passages").fetchone()
    except sqlite3.Error as error:
        with contextlib.suppress(Exception):
            connection.close()
        return None, f"the index could not be read ({error})"
    if row is None or row[0] != INDEX_FORMAT:
        connection.close()
        return None, f"index format {row[0] if row else '?'} is not {INDEX_FORMAT}"
    return connection, None


def _remove_index(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


@contextlib.contextmanager
def open_index(
    project_root: Path, *, rebuild: bool = False, verify: bool = False
) -> Iterator[tuple[sqlite3.Connection, IndexSync]]:
    """The index, verified against the records and brought up to date, and what was done.

    Raises UsageError when the index folder cannot be written.
    """
    path = index_path(project_root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# derived from records/ by warcite; safe to delete\n*\n")
    except OSError as error:
        raise UsageError(f"cannot create the index folder {path.parent}: {error}") from error
    connection, reason = (None, "--reindex") if rebuild else _open_existing(path)
    rebuilt = connection is None
    if connection is None:
        _remove_index(path)
        try:
            connection = _connect(path)
        except sqlite3.Error as error:
            raise UsageError(f"cannot create the search index {path}: {error}") from error
        _create(connection)
    try:
        sync = _sync(connection, project_root, path, verify=verify, rebuilt=rebuilt, reason=reason)
        yield connection, sync
    finally:
        connection.close()


def _sync(
    connection: sqlite3.Connection,
    project_root: Path,
    path: Path,
    *,
    verify: bool,
    rebuilt: bool,
    reason: str | None,
) -> IndexSync:
    folder = project_root / RECORDS_DIR
    files = {
        f"{RECORDS_DIR}/{file.name}": file
        for file in sorted(folder.glob("*.json"))
        if file.is_file() and not file.name.startswith(".")
    }
    stored = {
        row[0]: _Stored(row[1], row[2], row[3], row[4], row[5])
        for row in connection.execute(
            "SELECT path, json_sha256, json_stat, text_path, text_sha256, text_stat FROM records"
        )
    }
    added = updated = removed = 0
    problems: list[str] = []
    connection.execute("BEGIN IMMEDIATE")
    try:
        for relative in sorted(set(stored) - set(files)):
            connection.execute("DELETE FROM records WHERE path = ?", (relative,))
            connection.execute("DELETE FROM passages WHERE record = ?", (relative,))
            removed += 1
        for relative, file in files.items():
            old = stored.get(relative)
            if old is None:
                problem = _index_record(connection, project_root, file, relative)
                added += 1
            elif _current(old, file, project_root, verify=verify):
                problem = connection.execute(
                    "SELECT problem FROM records WHERE path = ?", (relative,)
                ).fetchone()[0]
            else:
                problem = _index_record(connection, project_root, file, relative)
                updated += 1
            if problem:
                problems.append(problem)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return IndexSync(
        path=path,
        records=len(files),
        added=0 if rebuilt else added,
        updated=updated,
        removed=removed,
        rebuilt=rebuilt,
        reason=reason,
        problems=tuple(problems),
    )


def _current(old: _Stored, json_file: Path, project_root: Path, *, verify: bool) -> bool:
    """Whether the indexed copy of a record still matches its files."""
    text_file: Path | None = None
    if old.text_path is not None:
        with contextlib.suppress(WarciteError):
            text_file = resolve_in_project(project_root, old.text_path)
    same_stat = _stat(json_file) == old.json_stat and (
        text_file is None or _stat(text_file) == (old.text_stat or "")
    )
    if same_stat and not verify:
        return True
    if _sha256(json_file) != old.json_sha256:
        return False
    if text_file is not None and old.text_sha256 is not None:
        return _sha256(text_file) == old.text_sha256
    return old.text_sha256 is None


def entries(connection: sqlite3.Connection) -> list[CatalogEntry]:
    """Every record's catalogue entry held by a (synced) index."""
    return [
        entry_from_json(row[0])
        for row in connection.execute(
            "SELECT entry FROM records WHERE entry IS NOT NULL ORDER BY path"
        )
    ]


def load_entries(
    project_root: Path, *, rebuild: bool = False, verify: bool = False
) -> tuple[list[CatalogEntry], IndexSync]:
    """Every record's catalogue entry, from the index verified against the records."""
    with open_index(project_root, rebuild=rebuild, verify=verify) as (connection, sync):
        return entries(connection), sync


__all__ = [
    "INDEX_DIR",
    "INDEX_FILE",
    "IndexSync",
    "entries",
    "index_path",
    "load_entries",
    "open_index",
]

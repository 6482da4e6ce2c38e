"""A derived SQLite index of the records: the catalogue for ``list`` and FTS5 for ``search``.

The records in ``records/`` are the source of truth; the index
(``.warcite/index.sqlite`` at the project root, never committed) is rebuilt from them
whenever it may be out of date and can be deleted at any time.

Verification, before every use (:func:`open_index`):

* first a fingerprint: every entry of ``records/`` is stat-ed (one listing; size,
  modification time, change time and inode of each), with every text file kept outside
  it, and the digest of all of them is compared with the one the last full sync stored
  in ``meta``.  Equal: nothing was added, removed or written since, and the index is
  used as it is (no row is read, nothing is written).  The change time (``st_ctime``) is
  set by the kernel on every write and cannot be set back, so an edit in place that
  keeps the size and restores the modification time is still seen.  The folder's own
  time stamp is not enough: editing a file in place does not change it.
  A fingerprint is stored only when no file was written in the last
  :data:`RACY_SECONDS` (a file written in the same clock tick as the sync could change
  again unseen); a record file written that recently is stored with no stat at all, so
  that the next sync compares its digest;
* otherwise every ``records/*.json`` is compared with what the index holds for it: the file's
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
import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcite.collection.catalog import (
    CatalogEntry,
    WarcSummary,
    entry_from_json,
    entry_from_record,
    entry_to_json,
    fold,
    mapping,
    summarize_warc,
)
from warcite.core.errors import RecordError, UsageError, WarciteError
from warcite.core.lock import wait_for_flock
from warcite.core.project import RECORDS_DIR, resolve_in_project
from warcite.core.urls import work_key
from warcite.record.common import parse_record_json

INDEX_DIR = ".warcite"
INDEX_FILE = "index.sqlite"
INDEX_FORMAT = "8"
"""Bumped whenever the tables or what goes into them change: an older index is rebuilt
(formats 6 and 7 are migrated in place: see :data:`MIGRATES_FROM`)."""
MIGRATES_FROM = ("6", "7")
"""Format 6 stored size and modification time; 7 adds the change time (a format-6 index's
stats no longer compare equal, so the first sync compares every record's digest, with no
re-indexing); 8 adds the catalogue columns a batch reads for every record (keys, WARC,
payload digest, method), filled from the stored entries by SQLite's JSON functions."""
_CATALOGUE_COLUMNS = ("keys_text", "warc_path", "payload_digest", "method")
RACY_SECONDS = 3.0
"""A file changed this recently (or later) is not trusted by its stat: see above."""

TOKENIZER = "unicode61 remove_diacritics 2"
MAX_RECORD_BYTES = 64 * 1024 * 1024
"""A record file larger than this is not indexed (reported): records are a few kB."""
MAX_TEXT_BYTES = 256 * 1024 * 1024
"""A clean text larger than this is not indexed (its metadata is, reported)."""


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
    check: str = "files"  # how the index was found current: CHECKS, or "digests" (verify)

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
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except BaseException:  # not a database (a damaged index): close it, not leak it
        connection.close()
        raise
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
            problem TEXT,
            first_passage INTEGER,
            last_passage INTEGER,
            site_folded TEXT,
            authors_folded TEXT,
            sort_when TEXT,
            keys_text TEXT, warc_path TEXT, payload_digest TEXT, method TEXT
        );
        CREATE TABLE IF NOT EXISTS responses (
            record_path TEXT NOT NULL,
            warc_path TEXT NOT NULL,
            record_id TEXT NOT NULL,
            record_type TEXT NOT NULL,
            target_key TEXT NOT NULL,
            target_uri TEXT NOT NULL,
            payload_digest TEXT,
            date TEXT NOT NULL,
            offset INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS responses_by_payload ON responses (target_key, payload_digest);
        CREATE INDEX IF NOT EXISTS responses_by_id ON responses (record_id);
        CREATE INDEX IF NOT EXISTS responses_by_record ON responses (record_path);
        CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(
            record UNINDEXED, paragraph UNINDEXED, field UNINDEXED, body,
            tokenize = '{TOKENIZER}'
        );
        """
    )
    connection.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?)", (INDEX_FORMAT,)
    )


CHECKS = ("folder", "files")
"""How :func:`open_index` finds out whether the index is current, short of ``verify``:

``"folder"``
    the identity and times of ``records/`` (and the stats of text files kept outside it)
    are compared with those the last full check stored: equal, nothing was added,
    removed, renamed or replaced in ``records/`` since (every warcite writer replaces a
    file by renaming a new one over it, as editors, ``git`` and ``rsync`` do).  One
    ``stat``, whatever the collection's size.  A file *written in place* by another
    program does not change its folder: a caller using this check compares the stats of
    the records it shows (:func:`edited_in_place`) and, when one changed, checks again with
    ``"files"``.
``"files"``
    every file of ``records/`` is stat-ed (the fingerprint below), which also sees a
    record written in place that the answer does not show.
"""

UNSETTLED = "?"
"""Stored instead of a stat that cannot be trusted yet: never equal to a file's stat."""


def _stat_text(info: os.stat_result) -> str:
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def _stat(path: Path | str) -> str:
    """Size, modification and change times (ns) and inode of a file, or "" when it cannot
    be read."""
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return _stat_text(info)


def _settled(stat: str) -> str:
    """``stat``, or :data:`UNSETTLED` when the file changed in the last RACY_SECONDS (a
    later write in the same clock tick would leave the same stat: such a file is compared
    by digest at the next sync)."""
    if not stat:
        return ""
    _, mtime, ctime, _ = stat.split(":")
    limit = time.time_ns() - int(RACY_SECONDS * 1e9)
    return stat if max(int(mtime), int(ctime)) < limit else UNSETTLED


def _folder_stamp(project_root: Path, watched: list[str]) -> tuple[str, bool]:
    """The identity and times of ``records/`` and the stats of the ``watched`` text files,
    and whether all of them are settled (older than RACY_SECONDS: a change in the same
    clock tick as this reading could leave the same stamp)."""
    try:
        info = os.stat(project_root / RECORDS_DIR)
    except OSError:
        return "", False
    parts = [f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}:{info.st_ctime_ns}"]
    limit = time.time_ns() - int(RACY_SECONDS * 1e9)
    settled = max(info.st_mtime_ns, info.st_ctime_ns) < limit
    for relative in watched:
        text_stat = _stat(f"{project_root}/{relative}")
        parts.append(f"{relative}\0{text_stat}")
        settled = settled and _settled(text_stat) != UNSETTLED
    return "\n".join(parts), settled


def edited_in_place(
    connection: sqlite3.Connection, project_root: Path, paths: Iterable[str]
) -> list[str]:
    """The records among ``paths`` (records/<id>.json, as indexed) whose JSON or text file
    no longer has the stat the index holds for it: written since the last check (in place,
    if the folder check found nothing).  One ``stat`` per file."""
    wanted = sorted(set(paths))
    changed: list[str] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for relative, json_stat, text_path, text_stat in connection.execute(
            "SELECT path, json_stat, text_path, text_stat FROM records WHERE path IN "
            f"({', '.join('?' * len(chunk))})",
            chunk,
        ):
            if _stat(f"{project_root}/{relative}") != json_stat or (
                text_path is not None and _stat(f"{project_root}/{text_path}") != text_stat
            ):
                changed.append(relative)
    return changed


def _read_limited(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, or None when it is larger than ``limit``; OSError for a
    file that is not a regular file (a FIFO, a device) or cannot be read."""
    with path.open("rb") as stream:
        if not os.path.isfile(path) or os.fstat(stream.fileno()).st_size > limit:
            if not os.path.isfile(path):
                raise OSError(f"{path.name} is not a regular file")
            return None
        data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _sha256(path: Path | str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
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
    from warcite.record.text import text_blocks

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


class _Writer:
    """Writes records and their passages; passages get explicit, consecutive rowids so a
    record's passages are deleted by rowid range (the FTS table has no index on record)."""

    def __init__(self, connection: sqlite3.Connection, project_root: Path) -> None:
        self.connection = connection
        self.project_root = project_root
        row = connection.execute(
            "SELECT rowid FROM passages ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        self.next_rowid = (row[0] if row else 0) + 1
        self.warc_cache: dict[str, WarcSummary] = {}  # each WARC read once per sync

    def delete(self, relative: str) -> None:
        row = self.connection.execute(
            "SELECT first_passage, last_passage FROM records WHERE path = ?", (relative,)
        ).fetchone()
        if row is not None and row[0] is not None:
            self.connection.execute(
                "DELETE FROM passages WHERE rowid BETWEEN ? AND ?", (row[0], row[1])
            )
        self.connection.execute("DELETE FROM records WHERE path = ?", (relative,))
        self.connection.execute("DELETE FROM responses WHERE record_path = ?", (relative,))

    def _warc(self, record: Mapping[str, Any], relative: str) -> str | None:
        """Store the responses of the record's WARC (a live capture's); its requested URL."""
        capture = mapping(record.get("capture"))
        warc_relative = mapping(capture.get("warc")).get("path")
        if not isinstance(warc_relative, str) or capture.get("method") not in (
            "http-capture",
            "import-memento",
        ):
            return None
        if warc_relative not in self.warc_cache:
            summary = WarcSummary(None, ())
            with contextlib.suppress(WarciteError):
                summary = summarize_warc(resolve_in_project(self.project_root, warc_relative))
            self.warc_cache[warc_relative] = summary
        summary = self.warc_cache[warc_relative]
        self.connection.executemany(
            "INSERT INTO responses (record_path, warc_path, record_id, record_type, target_key, "
            "target_uri, payload_digest, date, offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    relative,
                    warc_relative,
                    response.record_id,
                    response.record_type,
                    work_key(response.target_uri),
                    response.target_uri,
                    response.payload_digest,
                    response.date,
                    response.offset,
                )
                for response in summary.responses
            ],
        )
        return summary.requested_uri

    def index(self, json_file: Path, relative: str) -> str | None:
        """(Re)index one record file; returns a problem when it cannot be fully indexed."""
        self.delete(relative)
        json_stat = _settled(_stat(json_file))
        try:
            raw = _read_limited(json_file, MAX_RECORD_BYTES)
        except OSError as error:
            return f"{relative}: cannot read ({error.strerror or error})"
        if raw is None:
            return f"{relative}: larger than {MAX_RECORD_BYTES} bytes, not indexed"
        json_sha = hashlib.sha256(raw).hexdigest()
        row: dict[str, Any] = {"path": relative, "json_sha256": json_sha, "json_stat": json_stat}
        try:
            record = parse_record_json(raw, relative)  # refuses deep nesting before parsing
        except RecordError as error:
            detail = str(error).removeprefix(f"{relative}: ")
            return self._store(
                row, f"{relative}: not valid UTF-8 JSON ({detail}); run warcite validate"
            )
        if not isinstance(record, dict):
            return self._store(row, f"{relative}: not a JSON object; run warcite validate")
        text_relative, text_file = _text_file(record, self.project_root)
        text = ""
        problem = None
        row["text_path"] = text_relative
        if text_file is None:
            problem = f"{relative}: its text file {text_relative!r} is not a project path"
        else:
            row["text_stat"] = _settled(_stat(text_file))
            try:
                text_bytes = _read_limited(text_file, MAX_TEXT_BYTES)
                if text_bytes is None:
                    raise OSError(f"larger than {MAX_TEXT_BYTES} bytes")
                row["text_sha256"] = hashlib.sha256(text_bytes).hexdigest()
                text = text_bytes.decode("utf-8")
            except OSError as error:
                problem = (
                    f"{relative}: its text file {text_relative} cannot be read "
                    f"({getattr(error, 'strerror', None) or error}; metadata indexed)"
                )
            except UnicodeDecodeError:
                problem = (
                    f"{relative}: its text file {text_relative} is not UTF-8 (metadata indexed)"
                )
                text = ""
        entry = entry_from_record(record, relative, requested_uri=self._warc(record, relative))
        passages = list(_passages(entry, record, text))
        first = self.next_rowid
        self.connection.executemany(
            "INSERT INTO passages (rowid, record, paragraph, field, body) VALUES (?, ?, ?, ?, ?)",
            [(first + offset, *passage) for offset, passage in enumerate(passages)],
        )
        self.next_rowid += len(passages)
        row.update(
            entry=entry_to_json(entry),
            first_passage=first if passages else None,
            last_passage=self.next_rowid - 1 if passages else None,
            site_folded=" | ".join(fold(value) for value in (entry.site, entry.host)),
            authors_folded=" | ".join(fold(form) for form in entry.author_forms),
            sort_when=entry.when or "",
            keys_text="\n".join(key for key in dict.fromkeys([entry.work_key, *entry.keys]) if key),
            warc_path=entry.warc_path,
            payload_digest=entry.payload_digest,
            method=entry.method,
        )
        return self._store(row, problem)

    def _store(self, row: dict[str, Any], problem: str | None) -> str | None:
        row["problem"] = problem
        columns = ", ".join(row)
        self.connection.execute(
            f"INSERT OR REPLACE INTO records ({columns}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        return problem


def _open_existing(path: Path) -> tuple[sqlite3.Connection | None, str | None]:
    """The index if it exists and is of this format; else None and why it must be rebuilt."""
    if not path.exists():
        return None, "no index yet"
    try:
        connection = _connect(path)
        row = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        # the full-text table is readable (not counted: millions of rows at scale)
        connection.execute("SELECT rowid FROM passages LIMIT 1").fetchone()
    except sqlite3.Error as error:
        with contextlib.suppress(Exception):
            connection.close()
        return None, f"the index could not be read ({error})"
    if row is not None and row[0] in MIGRATES_FROM:
        have = {column[1] for column in connection.execute("PRAGMA table_info(records)")}
        connection.executescript(
            "BEGIN IMMEDIATE;"
            + "".join(
                f"ALTER TABLE records ADD COLUMN {name} TEXT;"
                for name in _CATALOGUE_COLUMNS
                if name not in have
            )
            + """UPDATE records SET keys_text = (SELECT group_concat(value, char(10)) FROM
              (SELECT json_extract(records.entry, '$.work_key') AS value UNION
               SELECT value FROM json_each(records.entry, '$.keys')) WHERE value != ''),
              warc_path = json_extract(entry, '$.warc_path'),
              payload_digest = json_extract(entry, '$.payload_digest'),
              method = json_extract(entry, '$.method') WHERE entry IS NOT NULL;"""
            + f"UPDATE meta SET value = '{INDEX_FORMAT}' WHERE key = 'format';"
            + "DELETE FROM meta WHERE key IN ('fingerprint', 'folder');COMMIT;"  # a full sync
        )
        return connection, None
    if row is None or row[0] != INDEX_FORMAT:
        connection.close()
        return None, f"index format {row[0] if row else '?'} is not {INDEX_FORMAT}"
    return connection, None


def _remove_index(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


LOCK_NAME = "index.lock"
LOCK_TIMEOUT = 600.0
"""Seconds to wait while another warcite process builds or updates the index."""

_guard = threading.RLock()  # one thread of this process builds or reads an index at a time
_held: set[Path] = set()  # index lock files this process holds now


@contextlib.contextmanager
def _index_lock(folder: Path) -> Iterator[Callable[[], None]]:
    """Hold ``.warcite/index.lock`` exclusively; the yielded function turns it shared.

    Building, rebuilding (which deletes the database files) and bringing the index up to
    date happen under the exclusive lock; reading it afterwards needs only the shared
    lock, so several readers proceed at once but never while another process rebuilds the
    files under them.  Re-entrant in one thread; other threads of the process wait.
    """
    lock_file = folder / LOCK_NAME
    with _guard:
        if lock_file in _held:  # an outer use in this thread holds it already
            yield lambda: None
            return
        # an OSError here (a read-only folder) is the caller's to handle
        descriptor = os.open(
            lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644
        )
        try:
            wait_for_flock(
                descriptor,
                fcntl.LOCK_EX,
                LOCK_TIMEOUT,
                lambda: UsageError(
                    f"another warcite process has been updating the search index "
                    f"{folder / INDEX_FILE} for more than {LOCK_TIMEOUT:g} seconds; wait "
                    "for it to finish and run the command again"
                ),
                lambda error: UsageError(f"cannot lock {lock_file}: {error.strerror or error}"),
            )
        except BaseException:
            os.close(descriptor)
            raise
        _held.add(lock_file)
        try:
            yield lambda: fcntl.flock(descriptor, fcntl.LOCK_SH)
        finally:
            _held.discard(lock_file)
            os.close(descriptor)  # releases the flock


@contextlib.contextmanager
def open_index(
    project_root: Path, *, rebuild: bool = False, verify: bool = False, check: str = "files"
) -> Iterator[tuple[sqlite3.Connection, IndexSync]]:
    """The index, verified against the records and brought up to date, and what was done.

    ``check``: how a current index is recognised, one of :data:`CHECKS` (``"folder"`` is
    for callers that then check what they show with :func:`edited_in_place`).

    Safe with other warcite processes on the same project: see :func:`_index_lock`.
    When the index folder cannot be written (a read-only archive), the index is built in
    memory for this command alone, and the returned IndexSync's reason says so.
    """
    path = index_path(project_root)
    try:
        with contextlib.ExitStack() as stack:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                ignore = path.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# derived from records/ by warcite; safe to delete\n*\n")
                share = stack.enter_context(_index_lock(path.parent))
            except OSError as error:
                # a read-only archive (write-once storage, a mounted copy): built in memory
                reason = f"{path.parent} cannot be written: {error.strerror or error}"
                yield from _in_memory(project_root, path, reason)
                return
            yield from _opened(
                path, project_root, share, rebuild=rebuild, verify=verify, check=check
            )
    except sqlite3.Error as error:  # a full disk, a damaged file, another program's lock
        raise WarciteError(
            f"the search index {path} cannot be used ({error}); it is derived from "
            f"records/ and safe to delete: remove {path.parent} or run again with --reindex"
        ) from error


def _in_memory(
    project_root: Path, path: Path, reason: str
) -> Iterator[tuple[sqlite3.Connection, IndexSync]]:
    """An index of the records built in memory for one command, when the project's index
    folder cannot be written; nothing is written anywhere."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _create(connection)
        sync = _sync(
            connection,
            project_root,
            path,
            verify=False,
            rebuilt=True,
            reason=f"{reason}; kept in memory for this command",
        )
        yield connection, sync
    finally:
        connection.close()


def _opened(
    path: Path,
    project_root: Path,
    share: Callable[[], None],
    *,
    rebuild: bool,
    verify: bool,
    check: str,
) -> Iterator[tuple[sqlite3.Connection, IndexSync]]:
    """open_index's work under the exclusive lock; ``share()`` once the index is current."""
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
        sync = _sync(
            connection,
            project_root,
            path,
            verify=verify,
            rebuilt=rebuilt,
            reason=reason,
            check=check,
        )
        share()
        yield connection, sync
    finally:
        connection.close()


class _Scan:
    """One listing of ``records/`` with the stat of every entry (hidden names skipped).

    Only the fingerprint's lines are made while listing (the fast path needs nothing
    else); the record files and stats are derived from it when a full sync needs them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.infos: list[tuple[str, os.stat_result]] = []
        self.lines: list[str] = []  # every entry listed, with its stat (for the fingerprint)
        try:
            descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        try:  # names relative to the folder: a shorter path walk per stat than scandir's
            infos, lines, lstat = self.infos, self.lines, os.stat
            for name in os.listdir(descriptor):
                if name.startswith("."):
                    continue  # temporary and hidden files are not records
                try:
                    info = lstat(name, dir_fd=descriptor, follow_symlinks=False)
                except OSError:
                    continue
                infos.append((name, info))
                lines.append(
                    f"{name}\0{info.st_mode}:{info.st_size}:{info.st_mtime_ns}:"
                    f"{info.st_ctime_ns}:{info.st_ino}"
                )
        finally:
            os.close(descriptor)

    @functools.cached_property
    def stats(self) -> dict[str, str]:
        """records/<name> -> stat text, for every regular file listed (symbolic links and
        special files are not records, and are not trusted as text files)."""
        return {
            f"{RECORDS_DIR}/{name}": _stat_text(info)
            for name, info in self.infos
            if stat.S_ISREG(info.st_mode)
        }

    @functools.cached_property
    def json_files(self) -> dict[str, str]:
        """records/<name>.json -> its path, sorted."""
        return {
            f"{RECORDS_DIR}/{name}": f"{self.folder}/{name}"
            for name, info in sorted(self.infos)
            if name.endswith(".json") and stat.S_ISREG(info.st_mode)
        }

    @property
    def newest_ns(self) -> int:
        """The latest modification or change time seen."""
        return max((max(info.st_mtime_ns, info.st_ctime_ns) for _, info in self.infos), default=0)


def _fingerprint(scan: _Scan, project_root: Path, watched: list[str]) -> str:
    """The digest of what a listing saw and of the stats of the ``watched`` text files
    (those not listed as regular files of records/)."""
    digest = hashlib.sha256()
    digest.update("\n".join(sorted(scan.lines)).encode("utf-8", "surrogateescape"))
    for relative in watched:
        digest.update(
            f"\n\1{relative}\0{_stat(f'{project_root}/{relative}')}".encode(
                "utf-8", "surrogateescape"
            )
        )
    return digest.hexdigest()


def _set_meta(connection: sqlite3.Connection, values: list[tuple[str, str]]) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _problems(connection: sqlite3.Connection) -> tuple[str, ...]:
    """The problems of the last full sync (kept in ``meta``: reading them from the records
    table would read every row)."""
    stored = _meta(connection, "problems")
    if stored is not None:
        return tuple(json.loads(stored))
    return tuple(
        row[0]
        for row in connection.execute(
            "SELECT problem FROM records WHERE problem IS NOT NULL ORDER BY path"
        )
    )


def _meta(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _sync(
    connection: sqlite3.Connection,
    project_root: Path,
    path: Path,
    *,
    verify: bool,
    rebuilt: bool,
    reason: str | None,
    check: str = "files",
) -> IndexSync:
    if check not in CHECKS:
        raise ValueError(f"unknown index check {check!r}: one of {', '.join(CHECKS)}")
    old_watched = watched = json.loads(_meta(connection, "watched") or "[]")
    # read before the listing: a change made while listing leaves a newer stamp
    stamp, stamp_settled = _folder_stamp(project_root, watched)
    if not verify and not rebuilt and check == "folder":
        stored_stamp = _meta(connection, "folder")
        if stored_stamp and stored_stamp == stamp:
            # nothing added, removed or replaced in records/ since the last full check
            return IndexSync(
                path=path,
                records=int(_meta(connection, "records") or 0),
                problems=_problems(connection),
                check="folder",
            )
    scan = _Scan(project_root / RECORDS_DIR)
    if not verify and not rebuilt:
        stored_fingerprint = _meta(connection, "fingerprint")
        if stored_fingerprint and stored_fingerprint == _fingerprint(scan, project_root, watched):
            # nothing written since the last full sync: the index is used as it is
            count = sum(
                1
                for name, info in scan.infos
                if name.endswith(".json") and stat.S_ISREG(info.st_mode)
            )
            known = _problems(connection)
            kept = {
                "folder": stamp if stamp_settled else "",
                "records": str(count),
                "problems": json.dumps(known),
            }
            if any(_meta(connection, key) != value for key, value in kept.items()):
                _set_meta(connection, list(kept.items()))
            return IndexSync(path=path, records=count, problems=known)
    files = scan.json_files
    stored = {
        row[0]: (_Stored(row[1], row[2], row[3], row[4], row[5]), row[6])
        for row in connection.execute(
            "SELECT path, json_sha256, json_stat, text_path, text_sha256, text_stat, problem "
            "FROM records"
        )
    }
    added = updated = removed = 0
    problems: list[str] = []
    connection.execute("BEGIN IMMEDIATE")
    try:
        writer = _Writer(connection, project_root)
        for relative in sorted(set(stored) - set(files)):
            writer.delete(relative)
            removed += 1
        for relative, file in files.items():
            held = stored.get(relative)
            if held is None:
                problem = writer.index(Path(file), relative)
                added += 1
            else:
                current, json_stat, text_stat = _current(
                    held[0], file, project_root, verify=verify, scan=scan, relative=relative
                )
                if current:
                    problem = held[1]
                    if (json_stat, text_stat) != (held[0].json_stat, held[0].text_stat):
                        # same digests, new stats (a touch, a copy): kept for the next sync
                        # (or "unknown" while the file is too recent to be trusted)
                        keep = (
                            _settled(json_stat),
                            _settled(text_stat) if text_stat is not None else None,
                        )
                        if keep != (held[0].json_stat, held[0].text_stat):
                            connection.execute(
                                "UPDATE records SET json_stat = ?, text_stat = ? WHERE path = ?",
                                (*keep, relative),
                            )
                else:
                    problem = writer.index(Path(file), relative)
                    updated += 1
            if problem:
                problems.append(problem)
        watched = sorted(
            {
                row[0]
                for row in connection.execute(
                    "SELECT DISTINCT text_path FROM records WHERE text_path IS NOT NULL"
                )
                if row[0] not in scan.stats
            }
        )
        settled = scan.newest_ns < time.time_ns() - int(RACY_SECONDS * 1e9) and all(
            _settled(_stat(f"{project_root}/{relative}")) != UNSETTLED for relative in watched
        )
        fingerprint = _fingerprint(scan, project_root, watched) if settled else ""
        # the folder's stamp, read before the listing, for the "folder" check; not when
        # the text files kept outside records/ are not those it covered
        trusted = settled and stamp_settled and watched == sorted(old_watched)
        connection.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [
                ("fingerprint", fingerprint),
                ("watched", json.dumps(watched)),
                ("folder", stamp if trusted else ""),
                ("records", str(len(files))),
                ("problems", json.dumps(problems)),
            ],
        )
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
        check="digests" if verify else "files",
    )


def _current(
    old: _Stored, json_file: str, project_root: Path, *, verify: bool, scan: _Scan, relative: str
) -> tuple[bool, str, str | None]:
    """Whether the indexed copy of a record still matches its files, and their stats now.

    Without ``verify``, the stats of both files decide (the text file's path was checked
    to be inside the project when it was indexed); a difference, or ``verify``, compares
    sha256 digests (the text file's path checked again).
    """
    json_stat = scan.stats.get(relative) or _stat(json_file)
    text_stat: str | None = None
    if old.text_path:
        text_stat = scan.stats.get(old.text_path) or _stat(f"{project_root}/{old.text_path}")
    stats = (json_stat, text_stat)
    if not verify and json_stat == old.json_stat and (text_stat or None) == (old.text_stat or None):
        return True, *stats
    if _sha256(json_file) != old.json_sha256:
        return False, *stats
    text_file: Path | None = None
    if old.text_path is not None:
        with contextlib.suppress(WarciteError):
            text_file = resolve_in_project(project_root, old.text_path)
    if text_file is not None and old.text_sha256 is not None:
        return _sha256(text_file) == old.text_sha256, *stats
    return old.text_sha256 is None, *stats


def entries(
    connection: sqlite3.Connection, paths: Iterable[str] | None = None
) -> list[CatalogEntry]:
    """The catalogue entries held by a (synced) index: every record's, or those of
    ``paths`` (records/<id>.json)."""
    if paths is None:
        rows = connection.execute(
            "SELECT entry FROM records WHERE entry IS NOT NULL ORDER BY path"
        ).fetchall()
    else:
        wanted = sorted(set(paths))
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows.extend(
                connection.execute(
                    "SELECT entry FROM records WHERE entry IS NOT NULL AND path IN "
                    f"({', '.join('?' * len(chunk))}) ORDER BY path",
                    chunk,
                ).fetchall()
            )
    return [entry_from_json(row[0]) for row in rows]


def filtered_entries(
    connection: sqlite3.Connection,
    *,
    site: str | None = None,
    author: str | None = None,
    since: str | None = None,
    fixity_root: Path | None = None,
) -> list[CatalogEntry]:
    """The entries that may pass ``warcite list`` filters, chosen in SQL from folded
    columns (the caller applies warcite.collection.catalog.matches for the exact test);
    ``fixity_root``: each with its fixity column computed now."""
    rows = connection.execute(
        "SELECT entry FROM records WHERE entry IS NOT NULL "
        "AND (?1 IS NULL OR instr(site_folded, ?1) > 0) "
        "AND (?2 IS NULL OR instr(authors_folded, ?2) > 0) "
        "AND (?3 IS NULL OR sort_when >= ?3) ORDER BY path",
        (
            fold(site) if site is not None else None,
            fold(author) if author is not None else None,
            since,
        ),
    ).fetchall()
    return [entry_from_json(row[0], fixity_root=fixity_root) for row in rows]


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
    "filtered_entries",
    "index_path",
    "load_entries",
    "open_index",
]

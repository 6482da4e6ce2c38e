"""Writing to records/: all-or-nothing commits, crash recovery, id reservations.

A record is three files that must change together: ``records/<id>.json``, its text
``records/<id>.txt`` and its seal ``records/<id>.sha512``.  :func:`commit_files` writes
them as one transaction, under the project lock (:mod:`warcite.core.lock`)::

    1. each new content goes to a temporary file beside its target
       (``records/.warcite-tmp-<tx>-<n>-<name>``), flushed to disk;
    2. a journal ``records/.warcite-tmp-<tx>.commit`` naming every rename is written
       (to a temporary name, then renamed: it exists whole or not at all);
    3. the temporary files are renamed over their targets, in the journal's order;
    4. the journal is removed.

A crash (kill, power loss, full disk) before step 2 completes leaves the old files
untouched, and the temporary files are deleted by the next run; a crash after it leaves a
journal, and the next run completes the renames (:func:`recover`, called under the lock by
every command that writes records).  Either way the pair and its seal are consistent
again before anything else is written, and no temporary file is left behind.

An id may be reserved before its record is written (:func:`reserve_id`): the reservation
``records/.warcite-reserved-<id>`` names the process holding it and is released when the
record is committed, or by :func:`recover` once that process is gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from warcite.core import run_scope
from warcite.core.errors import RecordError
from warcite.core.lock import project_lock
from warcite.core.project import ARCHIVE_DIR, RECORDS_DIR, read_regular_file

TEMP_PREFIX = ".warcite-tmp-"
JOURNAL_SUFFIX = ".commit"
RESERVATION_PREFIX = ".warcite-reserved-"
STALE_CAPTURE_SECONDS = 3600
"""A capture's temporary file (``archive/.*.part``) untouched this long is left over from
a capture that was killed: no capture runs that long."""


@dataclass(frozen=True)
class Leftover:
    """A file a crashed or running writer left: ``kind`` is journal, temporary or reservation."""

    path: Path
    kind: str
    stale: bool
    detail: str


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk where the platform allows."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _write_new(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def _target(root: Path, relative: str) -> Path:
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts:
        raise RecordError(f"{relative!r} is not a path inside the project")
    return root.joinpath(*parts)


def _os_error(action: str, error: OSError) -> RecordError:
    reason = error.strerror or str(error)
    where = f" {error.filename}" if error.filename else ""
    return RecordError(f"cannot {action}{where}: {reason}")


def commit_files(
    project_root: Path, files: Sequence[tuple[str, bytes]], *, release: Sequence[str] = ()
) -> None:
    """Write ``files`` (project-relative path, content) all together or not at all.

    Takes the project lock and first recovers what an earlier crash left.  ``release``
    names record ids whose reservations this commit ends.  Raises RecordError (nothing
    changed) when the new files cannot be written; if a rename fails after the journal is
    written, the journal stays and the next run completes the commit.
    """
    root = project_root.resolve()
    records = root / RECORDS_DIR
    with project_lock(root):
        recover(root)
        try:
            records.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _os_error("create the records folder", error) from error
        transaction = uuid.uuid4().hex[:16]
        temporaries: list[Path] = []
        renames: list[list[str]] = []
        journal = records / f"{TEMP_PREFIX}{transaction}{JOURNAL_SUFFIX}"
        journal_part = records / f"{TEMP_PREFIX}{transaction}{JOURNAL_SUFFIX}.part"
        try:
            for number, (relative, data) in enumerate(files):
                final = _target(root, relative)
                temporary = final.parent / f"{TEMP_PREFIX}{transaction}-{number}-{final.name}"
                temporaries.append(temporary)
                _write_new(temporary, data)
                renames.append(
                    [temporary.relative_to(root).as_posix(), final.relative_to(root).as_posix()]
                )
            content = {"transaction": transaction, "renames": renames, "release": list(release)}
            temporaries.append(journal_part)
            _write_new(journal_part, json.dumps(content, indent=1).encode("utf-8"))
            os.replace(journal_part, journal)  # the commit point
            sync_folder(records)
        except BaseException as error:
            for temporary in temporaries:
                with contextlib.suppress(OSError):
                    temporary.unlink()
            if isinstance(error, OSError):
                raise _os_error("write the record's files", error) from error
            raise
        try:
            _apply(root, journal)
        except OSError as error:
            raise RecordError(
                f"the record was committed but a rename failed ({error.strerror or error}); "
                f"the journal {journal.relative_to(root).as_posix()} is kept and the next "
                "warcite command that writes records (or `warcite recover`) completes it"
            ) from error


def _apply(root: Path, journal: Path) -> None:
    """Complete the renames a journal names (idempotent), then remove it."""
    try:
        data = read_regular_file(journal, root, "the commit journal", 1 << 20)
        content = json.loads(data.decode("utf-8"))
        renames = [(str(a), str(b)) for a, b in content["renames"]]
        release = [str(slug) for slug in content.get("release", [])]
        for temporary, final in renames:
            # a journal only ever renames its own temporary files within records/
            if (
                PurePosixPath(temporary).parent != PurePosixPath(final).parent
                or PurePosixPath(final).parent != PurePosixPath(RECORDS_DIR)
                or not PurePosixPath(temporary).name.startswith(TEMP_PREFIX)
            ):
                raise ValueError(f"it renames {temporary!r} to {final!r}")
    except (ValueError, KeyError, TypeError, RecordError) as error:
        raise RecordError(
            f"the commit journal {journal.name} in {RECORDS_DIR}/ is damaged ({error}); "
            "compare the files it would have written with `warcite validate`, then delete it"
        ) from error
    folders: set[Path] = {journal.parent}
    for temporary, final in renames:
        source, target = _target(root, temporary), _target(root, final)
        if source.exists():
            os.replace(source, target)
            folders.add(target.parent)
    for slug in release:
        with contextlib.suppress(FileNotFoundError):
            reservation_path(root, slug).unlink()
    for folder in folders:
        sync_folder(folder)
    journal.unlink()
    sync_folder(journal.parent)


# --------------------------------------------------------------------------- reservations


def reservation_path(project_root: Path, slug: str) -> Path:
    """``records/.warcite-reserved-<id>``."""
    return project_root / RECORDS_DIR / f"{RESERVATION_PREFIX}{slug}"


def _holder(path: Path) -> tuple[int, str] | None:
    try:
        data = read_regular_file(path, None, "reservation", 200)
        text = data.decode("utf-8", "replace").split()
        return int(text[0]), text[1]
    except (RecordError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reservation_state(path: Path) -> str:
    """ "mine", "live" (another running process) or "stale" (its process is gone)."""
    holder = _holder(path)
    if holder is None:
        return "stale"
    pid, host = holder
    if host != socket.gethostname():
        return "live"  # another machine's process: cannot tell, keep it
    if pid == os.getpid():
        return "mine"
    return "live" if _alive(pid) else "stale"


def reserve_id(project_root: Path, slug: str) -> None:
    """Reserve ``slug`` for this process (call under the project lock; the slug is free)."""
    path = reservation_path(project_root.resolve(), slug)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, f"{os.getpid()} {socket.gethostname()} {time.time():.0f}\n".encode())
    except OSError as error:
        raise _os_error(f"reserve the record id {slug!r}", error) from error


def release_id(project_root: Path, slug: str) -> None:
    """End this process's reservation of ``slug`` (no error when there is none)."""
    path = reservation_path(project_root.resolve(), slug)
    if path.exists() and reservation_state(path) == "mine":
        with contextlib.suppress(OSError):
            path.unlink()


# --------------------------------------------------------------------------- leftovers


def _candidate_names(folder: Path) -> list[str]:
    """The names in ``folder`` that can be leftovers (hidden, temporary, reserved), sorted:
    the listing is filtered by name before any path is made or sorted, so a folder of
    100,000 records costs one directory read."""
    try:
        with os.scandir(folder) as listing:
            return sorted(
                item.name
                for item in listing
                if item.name.startswith(".") or item.name.endswith(".tmp")
            )
    except (FileNotFoundError, NotADirectoryError):
        return []


def leftovers(project_root: Path, *, lock_free: bool) -> list[Leftover]:
    """Journals, temporary files and reservations in records/ and archive/ (read-only).

    ``lock_free`` says no writer holds the project lock now, so that records/ temporary
    files and journals are left over from a crash rather than in use.
    """
    root = project_root.resolve()
    found: list[Leftover] = []
    records = root / RECORDS_DIR
    now = time.time()
    entries = [records / name for name in _candidate_names(records)]  # not every record
    journaled = {
        path.name[: -len(JOURNAL_SUFFIX)] + "-"
        for path in entries
        if path.name.startswith(TEMP_PREFIX) and path.name.endswith(JOURNAL_SUFFIX)
    }
    for path in entries:
        name = path.name
        if any(name.startswith(prefix) for prefix in journaled):
            continue  # a file of a committed transaction: its journal stands for it
        if name.startswith(TEMP_PREFIX) and name.endswith(JOURNAL_SUFFIX):
            found.append(
                Leftover(path, "journal", lock_free, "an unfinished commit of a record's files")
            )
        elif name.startswith(TEMP_PREFIX) or name.endswith(".tmp"):
            found.append(Leftover(path, "temporary", lock_free, "a temporary file"))
        elif name.startswith(RESERVATION_PREFIX):
            state = reservation_state(path)
            found.append(
                Leftover(
                    path,
                    "reservation",
                    state == "stale",
                    f"a reservation of the id {name[len(RESERVATION_PREFIX) :]!r}",
                )
            )
    archive = root / ARCHIVE_DIR
    for path in [archive / name for name in _candidate_names(archive)]:
        name = path.name
        if (
            name.startswith(TEMP_PREFIX)
            or name.endswith(".tmp")
            or (name.startswith(".") and name.endswith(".part"))
        ):
            try:
                age = now - path.lstat().st_mtime
            except OSError:
                continue
            found.append(
                Leftover(
                    path,
                    "temporary",
                    age > STALE_CAPTURE_SECONDS,
                    "a capture's temporary file",
                )
            )
    return found


def recover(project_root: Path) -> list[str]:
    """Finish or undo what a crashed writer left; returns what was done, one line each.

    Takes the project lock.  Journals are completed (the commit had happened); other
    temporary files in records/ are deleted (their commit never happened); reservations
    of processes that are gone are released; a capture's temporary file in archive/ older
    than an hour is deleted.
    """
    root = project_root.resolve()
    done: list[str] = []
    if run_scope.recovered(root):
        return done  # recovered once in this run already (see warcite.core.run_scope)
    with project_lock(root):
        for leftover in leftovers(root, lock_free=True):
            shown = leftover.path.relative_to(root).as_posix()
            if leftover.kind == "journal":
                try:
                    _apply(root, leftover.path)
                except OSError as error:
                    raise _os_error(f"complete the commit {shown}", error) from error
                done.append(f"completed the interrupted commit {shown}")
        for leftover in leftovers(root, lock_free=True):
            if not leftover.stale or leftover.kind == "journal":
                continue
            shown = leftover.path.relative_to(root).as_posix()
            try:
                leftover.path.unlink()
            except FileNotFoundError:
                continue
            except OSError as error:
                raise _os_error(f"remove {shown}", error) from error
            done.append(f"removed {leftover.detail} {shown}")
    run_scope.mark_recovered(root)
    return done


__all__ = [
    "JOURNAL_SUFFIX",
    "RESERVATION_PREFIX",
    "TEMP_PREFIX",
    "Leftover",
    "commit_files",
    "leftovers",
    "recover",
    "release_id",
    "reservation_path",
    "reservation_state",
    "reserve_id",
    "sync_folder",
]

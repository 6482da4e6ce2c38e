"""The project folder: where archive/, records/ and warcite.toml live, and safe paths inside it.

A *project root* is the nearest folder, from the current directory upwards, that
holds a ``warcite.toml`` file, or both an ``archive/`` and a ``records/`` folder.
Every path stored in a record is a POSIX path relative to that root; a stored path
that would lead outside it (``../``, an absolute path, a drive letter, a symlink
pointing out) is refused, never followed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from warcite.core.errors import RecordError, UsageError, WarciteError

CONFIG_FILE = "warcite.toml"
ARCHIVE_DIR = "archive"
RECORDS_DIR = "records"


def is_project_root(folder: Path) -> bool:
    """True when ``folder`` holds warcite.toml, or both archive/ and records/."""
    return (folder / CONFIG_FILE).is_file() or (
        (folder / ARCHIVE_DIR).is_dir() and (folder / RECORDS_DIR).is_dir()
    )


def find_project_root(start: Path | None = None, *, required: bool = True) -> Path:
    """The project root at or above ``start`` (default: the current directory).

    When none is found: raise :class:`UsageError` if ``required``, else return ``start``
    itself (a new project is made there).
    """
    origin = (start or Path.cwd()).resolve()
    if origin.is_file():
        origin = origin.parent
    for folder in (origin, *origin.parents):
        if is_project_root(folder):
            return folder
    if required:
        raise UsageError(
            f"no warcite project at or above {origin}: a project folder holds {CONFIG_FILE}, "
            f"or both {ARCHIVE_DIR}/ and {RECORDS_DIR}/; run warcite there (or create them)"
        )
    return origin


def record_json_files(folder: Path) -> list[Path]:
    """The ``*.json`` files of a folder, sorted, without hidden ones (``.warcite-tmp-*``
    files of a commit in progress are not records)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.json") if not path.name.startswith("."))


def unsafe_path_reason(relative: str) -> str | None:
    """Why ``relative`` (a path stored in a record) is not a safe project path, or None."""
    if not relative:
        return "the path is empty"
    if "\\" in relative or "\x00" in relative:
        return "the path holds a backslash or NUL character; record paths are POSIX paths"
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        return "the path is absolute; record paths are relative to the project folder"
    if ".." in relative.split("/"):  # PurePosixPath(relative).parts, without the object
        return "the path escapes the project folder through '..'"
    return None


def resolve_in_project(project_root: Path, relative: str) -> Path:
    """The file a stored relative path names, refusing any path that leaves the project.

    Raises :class:`RecordError` (without touching the file system beyond resolving
    symlinks) when ``relative`` is absolute, contains ``..``, or resolves outside
    ``project_root`` through a symbolic link.
    """
    reason = unsafe_path_reason(relative)
    if reason is not None:
        raise RecordError(f"{relative!r}: {reason}; not followed")
    root = project_root.resolve()
    candidate = root.joinpath(*PurePosixPath(relative).parts)
    resolved = candidate.resolve()
    if resolved != root and root not in resolved.parents:
        raise RecordError(
            f"{relative!r}: the path leads outside the project folder {root} "
            f"(through a symbolic link to {resolved}); not followed"
        )
    return candidate


MAX_RECORD_BYTES = 32 * 1024 * 1024
"""A record's JSON is a few kilobytes; anything over this is refused unread."""
MAX_TEXT_BYTES = 256 * 1024 * 1024
"""A record's clean text: more than any article; anything over this is refused unread."""
MAX_PATH_BYTES = 4096


def inside_project(project_root: Path, path: Path) -> bool:
    """True when ``path``, symbolic links resolved, lies inside the project folder."""
    root = project_root.resolve()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return resolved == root or root in resolved.parents


def _shown(path: Path, project_root: Path | None) -> str:
    """``path`` relative to the project when inside it, without following symbolic links."""
    absolute = Path(os.path.abspath(path))
    if project_root is not None:
        for base in (project_root, project_root.resolve()):
            try:
                return absolute.relative_to(os.path.abspath(base)).as_posix()
            except ValueError:
                continue
    return str(path)


def open_regular_file(path: Path, project_root: Path | None, what: str) -> int:
    """A read-only descriptor of ``path``, refusing what is not a plain file in the project.

    Refused with :class:`RecordError` (never followed, never blocking): a path leading out
    of the project through a symbolic link (when ``project_root`` is given), a FIFO, a
    device (``/dev/zero``), a socket, a folder, a name too long for the file system, a
    symlink loop.  The check is made on the opened descriptor, so a file swapped after the
    check is still caught.
    """
    shown = _shown(path, project_root)
    if len(os.fsencode(shown)) > MAX_PATH_BYTES or any(
        len(os.fsencode(part)) > 255 for part in path.parts
    ):
        raise RecordError(f"{what} {shown[:80]}...: the name is too long for a file")
    if project_root is not None and not inside_project(project_root, path):
        raise RecordError(
            f"{what} {shown} leads outside the project folder {project_root} (through a "
            "symbolic link); not followed"
        )
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except FileNotFoundError:
        raise RecordError(f"{what} {shown} does not exist") from None
    except IsADirectoryError:
        raise RecordError(f"{what} {shown} is a folder, not a file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise RecordError(f"{what} {shown} is a symbolic link loop") from None
        if error.errno == errno.ENAMETOOLONG:
            raise RecordError(f"{what} {shown[:80]}...: the name is too long") from None
        raise RecordError(f"cannot read {what} {shown}: {error.strerror or error}") from None
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError as error:  # pragma: no cover - fstat on an open descriptor
        os.close(descriptor)
        raise RecordError(f"cannot read {what} {shown}: {error}") from None
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = (
            "a folder"
            if stat.S_ISDIR(mode)
            else "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise RecordError(f"{what} {shown} is {kind}, not a regular file; not read")
    return descriptor


def read_regular_file(path: Path, project_root: Path | None, what: str, limit: int) -> bytes:
    """The bytes of a plain file in the project, at most ``limit`` of them (else RecordError).

    See :func:`open_regular_file` for what is refused.
    """
    descriptor = open_regular_file(path, project_root, what)
    with os.fdopen(descriptor, "rb") as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise RecordError(
                f"cannot read {what} {_shown(path, project_root)}: {error.strerror or error}"
            ) from None
    if len(data) > limit:
        raise RecordError(
            f"{what} {_shown(path, project_root)} is larger than {limit} bytes, more than warcite reads for it; not read"
        )
    return data


def open_regular_stream(
    path: Path, what: str, error_class: type[WarciteError] = RecordError
) -> BinaryIO:
    """``path`` opened for reading in binary, refusing a FIFO, a device, a socket, a folder,
    a symlink loop or a name too long (see :func:`open_regular_file`): the shared guard of
    every command that reads a path it is given, so none blocks on a pipe or reads
    ``/dev/zero`` forever.  The refusal is raised as ``error_class`` (the caller's kind)."""
    try:
        descriptor = open_regular_file(path, None, what)
    except RecordError as error:
        raise error_class(f"cannot open {what}: {error}") from None
    return os.fdopen(descriptor, "rb")


def relative_to_project(path: Path, project_root: Path) -> str:
    """``path`` as a POSIX path relative to ``project_root``; RecordError if it is outside."""
    root = project_root.resolve()
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        relative = Path(os.path.normpath(absolute.resolve())).relative_to(root)
    except ValueError:
        raise RecordError(
            f"{path} is outside the project folder {root}: records may only refer to files "
            f"inside it (copy or import the file into {ARCHIVE_DIR}/ first)"
        ) from None
    return relative.as_posix()


def archive_warcs(project_root: Path) -> list[str]:
    """The WARC files in ``archive/`` (``archive/<name>``, in name order; hidden and
    temporary files left out)."""
    folder = project_root / ARCHIVE_DIR
    names = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
    return [
        f"{ARCHIVE_DIR}/{name}"
        for name in names
        if not name.startswith(".") and name.lower().endswith((".warc", ".warc.gz"))
    ]


def display_path(path: Path, project_root: Path | None = None) -> str:
    """A short path for messages: relative to the project (or the current directory) if inside."""
    for base in (project_root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        except (OSError, RuntimeError):  # a symlink loop, a name too long
            return _shown(path, base)
    return str(path)


__all__ = [
    "ARCHIVE_DIR",
    "CONFIG_FILE",
    "MAX_RECORD_BYTES",
    "MAX_TEXT_BYTES",
    "RECORDS_DIR",
    "display_path",
    "find_project_root",
    "inside_project",
    "is_project_root",
    "open_regular_file",
    "open_regular_stream",
    "read_regular_file",
    "record_json_files",
    "relative_to_project",
    "resolve_in_project",
    "unsafe_path_reason",
]

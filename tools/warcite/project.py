"""The project folder: where archive/, records/ and warcite.toml live, and safe paths inside it.

A *project root* is the nearest folder, from the current directory upwards, that
holds a ``warcite.toml`` file, or both an ``archive/`` and a ``records/`` folder.
Every path stored in a record is a POSIX path relative to that root; a stored path
that would lead outside it (``../``, an absolute path, a drive letter, a symlink
pointing out) is refused, never followed.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from warcite.errors import RecordError, UsageError

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


def unsafe_path_reason(relative: str) -> str | None:
    """Why ``relative`` (a path stored in a record) is not a safe project path, or None."""
    if not relative:
        return "the path is empty"
    if "\\" in relative or "\x00" in relative:
        return "the path holds a backslash or NUL character; record paths are POSIX paths"
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        return "the path is absolute; record paths are relative to the project folder"
    if ".." in PurePosixPath(relative).parts:
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


def display_path(path: Path, project_root: Path | None = None) -> str:
    """A short path for messages: relative to the project (or the current directory) if inside."""
    for base in (project_root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


__all__ = [
    "ARCHIVE_DIR",
    "CONFIG_FILE",
    "RECORDS_DIR",
    "display_path",
    "find_project_root",
    "is_project_root",
    "relative_to_project",
    "resolve_in_project",
    "unsafe_path_reason",
]

"""The project lock: one writer at a time in a project's records/.

Every change to ``records/`` (allocating a record id, writing a record's files, sealing,
recording a fixity check, recovering from a crash) happens while holding an exclusive
``fcntl.flock`` on ``<project root>/.warcite.lock``.  The lock is released by the
kernel when its holder exits, however it exits (a killed process never leaves a stale
lock), so the lock file itself is never removed and holds nothing.

The lock is re-entrant inside one process (``archive`` holds it around ``record``), and
waiting for it is bounded: :class:`~warcite.core.errors.RecordError` after ``timeout`` seconds.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from warcite.core.errors import RecordError

LOCK_FILE = ".warcite.lock"
DEFAULT_TIMEOUT = 600.0
"""Seconds to wait for another warcite process writing in the same project."""

_held: dict[tuple[Path, int], int] = {}
_guard = threading.RLock()


def lock_path(project_root: Path) -> Path:
    """``<project root>/.warcite.lock``."""
    return project_root / LOCK_FILE


def _open_lock_file(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as first:
        try:  # a read-only project folder holding the lock file still locks
            return os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:
            pass
        raise RecordError(
            f"cannot open the project lock {path}: {first.strerror or first}; warcite needs "
            "to create it to write records safely (make the project folder writable)"
        ) from first


def wait_for_flock(
    descriptor: int,
    mode: int,
    timeout: float,
    timed_out: Callable[[], Exception],
    failed: Callable[[OSError], Exception],
) -> None:
    """``flock(descriptor, mode)``, waiting at most ``timeout`` seconds.

    Raises ``timed_out()`` when the wait is over and ``failed(error)`` when the file
    cannot be locked at all (for example a file system without locks).
    """
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise failed(error) from error
        if time.monotonic() >= deadline:
            raise timed_out()
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


@contextmanager
def project_lock(project_root: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the project's exclusive lock (re-entrant in one process, bounded wait)."""
    root = project_root.resolve()
    key = (root, threading.get_ident())
    with _guard:
        nested = key in _held
    if nested:  # this thread holds it already
        yield
        return
    path = lock_path(root)
    descriptor = _open_lock_file(path)
    try:
        wait_for_flock(
            descriptor,
            fcntl.LOCK_EX,
            timeout,
            lambda: RecordError(
                f"another warcite process has been writing in {root} for more than "
                f"{timeout:g} seconds (it holds {LOCK_FILE}); wait for it to finish and "
                "run the command again"
            ),
            lambda error: RecordError(f"cannot lock {path}: {error.strerror or error}"),
        )
    except BaseException:
        os.close(descriptor)
        raise
    with _guard:
        _held[key] = descriptor
    try:
        yield
    finally:
        with _guard:
            _held.pop(key, None)
        os.close(descriptor)  # closing the descriptor releases the flock


def lock_is_free(project_root: Path) -> bool:
    """True when no process holds the project lock now (a snapshot; never creates the file).

    Used by read-only commands to tell a stale temporary file (left by a killed writer)
    from one a running writer is still using.
    """
    root = project_root.resolve()
    with _guard:
        if (root, threading.get_ident()) in _held:
            return False
    path = lock_path(root)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


__all__ = [
    "DEFAULT_TIMEOUT",
    "LOCK_FILE",
    "lock_is_free",
    "lock_path",
    "project_lock",
    "wait_for_flock",
]

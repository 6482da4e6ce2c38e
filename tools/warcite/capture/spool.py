"""Spool files: where responses go while they arrive, so memory does not grow with them.

A spool is an anonymous temporary file (``O_TMPFILE`` where the system has it) in the
archive folder: it has no name, so nothing is left behind even if the process is killed,
and it sits on the disk the WARC will be written to.  A response is a :class:`Region` of
a spool; the WARC writer copies regions into the archive piece by piece.
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcite.errors import CaptureError

READ_SIZE = 1 << 20


class DiskError(CaptureError):
    """The disk refused a write or read (full, read-only, ...): the capture cannot go on."""


def disk_error(error: OSError, what: str) -> DiskError:
    """A CaptureError that says plainly what went wrong with the disk, and what to do."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskError(
            f"{what}: the disk is full ({error.strerror}); nothing was archived: free some "
            "space and capture again"
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DiskError(f"{what}: permission denied ({error.strerror}); nothing was archived")
    return DiskError(f"{what}: {error.strerror or error}; nothing was archived")


class Spool:
    """An anonymous temporary file that is only ever appended to, then read back."""

    def __init__(self, folder: Path) -> None:
        try:
            self._file = tempfile.TemporaryFile(dir=folder, prefix=".warcite-spool-")  # noqa: SIM115
        except OSError as error:
            raise disk_error(error, f"cannot create a spool file in {folder}") from error
        self.size = 0
        self._folder = folder

    def append(self, data: bytes) -> int:
        """Write ``data`` at the end; returns where it starts."""
        offset = self.size
        try:
            self._file.seek(offset)
            self._file.write(data)
        except OSError as error:
            raise disk_error(error, f"cannot spool a response in {self._folder}") from error
        self.size += len(data)
        return offset

    def read(self, offset: int, length: int) -> Iterator[bytes]:
        """The bytes of ``[offset, offset + length)``, in pieces of at most 1 MiB."""
        try:
            self._file.flush()
            position = offset
            end = offset + length
            while position < end:
                self._file.seek(position)
                piece = self._file.read(min(READ_SIZE, end - position))
                if not piece:
                    raise DiskError("a spool file is shorter than what was written to it")
                position += len(piece)
                yield piece
        except OSError as error:
            raise disk_error(error, "cannot read a spool file back") from error

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Region:
    """Some bytes of a spool file."""

    spool: Spool
    offset: int
    length: int

    def chunks(self) -> Iterator[bytes]:
        return self.spool.read(self.offset, self.length)

    def read_all(self, limit: int) -> bytes:
        """The whole region, when it is at most ``limit`` bytes (ValueError otherwise)."""
        if self.length > limit:
            raise ValueError(f"{self.length} bytes are more than the {limit} allowed here")
        return b"".join(self.chunks())


__all__ = ["DiskError", "Region", "Spool", "disk_error"]

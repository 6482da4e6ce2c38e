"""Spool files: where responses go while they arrive, so memory does not grow with them.

A spool holds a response in memory while it is small (:data:`MEMORY_LIMIT`); beyond that,
in an anonymous temporary file (``O_TMPFILE`` where the system has it) in the archive
folder: it has no name, so nothing is left behind even if the process is killed, and it
sits on the disk the WARC will be written to.  A response is a :class:`Region` of
a spool; the WARC writer copies regions into the archive piece by piece.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcite.core.errors import CaptureError

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


MEMORY_LIMIT = 256 * 1024
"""Bytes a spool keeps in memory before it moves to a file.  Responses are small as a rule
(a page's images, scripts, stylesheets): they never touch the disk, while a capture's
memory stays bounded by the spools alive at once (the page's, and those of the requisites
fetched ahead of the writer) times this limit."""


def open_unnamed(folder: Path, mode: int = 0o600) -> BinaryIO | None:
    """A new read-write file in ``folder`` that has no name (``O_TMPFILE``), or None where
    the system or the file system has no such files.  Nothing is left if the process dies;
    ``mode`` (less the umask) applies once the file is given a name with ``link``."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        descriptor = os.open(folder, flag | os.O_RDWR, mode)
    except OSError:
        return None
    return os.fdopen(descriptor, "w+b")


class Spool:
    """Bytes that are only ever appended to, then read back: in memory up to
    ``memory_limit``, beyond that in an anonymous temporary file in ``folder``."""

    def __init__(self, folder: Path, memory_limit: int = MEMORY_LIMIT) -> None:
        self.size = 0
        self._folder = folder
        self._memory_limit = memory_limit
        self._buffer: bytearray | None = bytearray()
        self._file: BinaryIO | None = None

    def _to_disk(self) -> BinaryIO:
        """Move what is held in memory to a new anonymous file, which holds everything after."""
        try:
            stream = open_unnamed(self._folder)
            if stream is None:
                import tempfile

                stream = tempfile.TemporaryFile(dir=self._folder, prefix=".warcite-spool-")  # noqa: SIM115
        except OSError as error:
            raise disk_error(error, f"cannot create a spool file in {self._folder}") from error
        try:
            stream.write(self._buffer or b"")
        except OSError as error:
            stream.close()
            raise disk_error(error, f"cannot spool a response in {self._folder}") from error
        self._file, self._buffer = stream, None
        return stream

    def append(self, data: bytes) -> int:
        """Write ``data`` at the end; returns where it starts."""
        offset = self.size
        if self._buffer is not None and offset + len(data) <= self._memory_limit:
            self._buffer += data
        else:
            stream = self._file if self._file is not None else self._to_disk()
            try:
                stream.seek(offset)
                stream.write(data)
            except OSError as error:
                raise disk_error(error, f"cannot spool a response in {self._folder}") from error
        self.size += len(data)
        return offset

    def read(self, offset: int, length: int) -> Iterator[bytes]:
        """The bytes of ``[offset, offset + length)``, in pieces of at most 1 MiB."""
        end = offset + length
        if self._buffer is not None:
            if end > len(self._buffer):
                raise DiskError("a spool is shorter than what was written to it")
            for start in range(offset, end, READ_SIZE):
                yield bytes(memoryview(self._buffer)[start : min(start + READ_SIZE, end)])
            return
        stream = self._file
        if stream is None:
            raise DiskError("a spool was read after it was closed")
        try:
            stream.flush()
            position = offset
            while position < end:
                stream.seek(position)
                piece = stream.read(min(READ_SIZE, end - position))
                if not piece:
                    raise DiskError("a spool file is shorter than what was written to it")
                position += len(piece)
                yield piece
        except OSError as error:
            raise disk_error(error, "cannot read a spool file back") from error

    def close(self) -> None:
        self._buffer = None
        if self._file is not None:
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


__all__ = ["DiskError", "Region", "Spool", "disk_error", "open_unnamed"]

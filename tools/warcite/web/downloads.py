"""The export downloads of a record page: ``warcite export FORMAT`` of that one record.

PREMIS and WACZ are one file each.  BagIt and OCFL are folders (a bag; a storage root
holding the record's object), so they are downloaded as a ``.zip`` of that folder, whose
one top-level folder is ``<id>-bagit/`` or ``<id>-ocfl/``.

Each download is written by :func:`warcite.export.export` (the function ``warcite export``
calls, so the package is the same) into a new temporary folder outside the project,
zipped there when it is a folder, then streamed from disk in pieces; the temporary folder
is removed when the response is closed, whether the download finished or was dropped.
Nothing is written to the project.  A record whose files add up to more than the
server's limit is refused before anything is written (:func:`export_size`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import Response, request

from warcite.core.errors import WarciteError
from warcite.core.project import open_regular_file
from warcite.export import export

PIECE = 1 << 20
MAX_EXPORT_BYTES = 1 << 30
"""The default limit on a record's files (the record, its text, its WARC, its other files)
for an export download: 1 GiB.  ``create_app(max_export_bytes=...)`` changes it."""
STORED_SUFFIXES = frozenset(
    {".gz", ".zip", ".wacz", ".br", ".zst", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".pdf"}
)
"""Files kept as they are in a zip (compressed already: deflating them again is wasted)."""


@dataclass(frozen=True)
class ExportDownload:
    """One export format as a download: its label, file name ending and media type."""

    label: str
    suffix: str
    media_type: str
    folder: bool  # the export is a folder, downloaded as a zip of it


EXPORT_DOWNLOADS: dict[str, ExportDownload] = {
    "premis": ExportDownload("PREMIS (.xml)", ".premis.xml", "application/xml", False),
    "wacz": ExportDownload("WACZ (.wacz)", ".wacz", "application/wacz", False),
    "bagit": ExportDownload("BagIt bag (.zip)", "-bagit.zip", "application/zip", True),
    "ocfl": ExportDownload("OCFL storage root (.zip)", "-ocfl.zip", "application/zip", True),
}


def export_size(record: Mapping[str, Any], record_json: Path) -> int:
    """The bytes an export of the record copies: its JSON file and the files it lists
    (their recorded sizes, which the exporters verify as they copy)."""
    total = record_json.stat().st_size
    listed = record.get("files")
    for item in listed if isinstance(listed, list) else []:
        size = item.get("size") if isinstance(item, Mapping) else None
        if isinstance(size, int) and not isinstance(size, bool) and size > 0:
            total += size
    return total


def zip_folder(folder: Path, output: Path) -> Path:
    """Write ``output``, a zip of ``folder`` under its own name (every folder an entry, so
    empty ones are kept); symbolic links are refused (an export makes none)."""
    with zipfile.ZipFile(output, "x", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder, folder.name)
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                raise WarciteError(f"{path} in the export is a symbolic link; not zipped")
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            stored = path.suffix.lower() in STORED_SUFFIXES
            archive.write(
                path, name, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
    return output


class TemporaryFileBody:
    """A response body read from ``stream`` in pieces; the stream is closed and ``folder``
    removed when the body has been read to its end or is closed, whichever comes first."""

    def __init__(self, stream: BinaryIO, folder: Path) -> None:
        self.stream = stream
        self.folder = folder

    def __iter__(self) -> Iterator[bytes]:
        try:
            while piece := self.stream.read(PIECE):
                yield piece
        finally:
            self.close()

    def close(self) -> None:
        self.stream.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class FileBody:
    """A file's pieces as a response body, closed at its end or by ``close()`` (the WSGI
    server's, or a dropped download's); seekable, so a ``Range`` request reads only its
    bytes."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def __iter__(self) -> FileBody:
        return self

    def __next__(self) -> bytes:
        piece = b"" if self.stream.closed else self.stream.read(PIECE)
        if not piece:
            self.stream.close()
            raise StopIteration
        return piece

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int) -> None:
        self.stream.seek(offset)

    def tell(self) -> int:
        return self.stream.tell()

    def close(self) -> None:
        self.stream.close()


def file_download(
    path: Path, project_root: Path, media_type: str, download_name: str | None
) -> Response:
    """A file of the project (a record, its text, its WARC, a listed file) streamed from
    disk in pieces, never read whole, with its length and ``Range`` requests answered
    (HTTP 206), as a file server does.  What is not a plain file inside the project (a
    FIFO, a device, a link out of it) is refused (RecordError) before anything is read."""
    stream = os.fdopen(open_regular_file(path, project_root, "the file"), "rb")
    try:
        size = os.fstat(stream.fileno()).st_size
        response = Response(
            FileBody(stream), mimetype=media_type.split(";")[0], direct_passthrough=True
        )
        response.content_length = size
        if ";" in media_type:
            response.headers["Content-Type"] = media_type
        if download_name:
            response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
        response.make_conditional(request, accept_ranges=True, complete_length=size)
    except BaseException:
        stream.close()
        raise
    return response


def export_download(name: str, record_json: Path, stem: str, *, project_root: Path) -> Response:
    """The export ``name`` of the record ``record_json`` as a streamed attachment named
    ``<stem><suffix>``; the caller checks the size limit first (:func:`export_size`)."""
    spec = EXPORT_DOWNLOADS[name]
    folder = Path(tempfile.mkdtemp(prefix="warcite-serve-")).resolve()
    try:
        if folder.is_relative_to(project_root.resolve()):
            raise WarciteError(
                f"the temporary folder {folder} is inside the project; warcite serve writes "
                "nothing there: set TMPDIR to a folder outside it"
            )
        download_name = f"{stem}{spec.suffix}"
        if spec.folder:
            written = export(name, [record_json], folder / download_name.removesuffix(".zip"))
            path = zip_folder(written, folder / download_name)
            shutil.rmtree(written)
        else:
            path = export(name, [record_json], folder / download_name)
        stream = path.open("rb")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    size = os.fstat(stream.fileno()).st_size
    # not direct_passthrough: the WSGI server's close() of the body reaches the Response,
    # whose close() closes the body
    response = Response(TemporaryFileBody(stream, folder), mimetype=spec.media_type)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response


__all__ = [
    "EXPORT_DOWNLOADS",
    "MAX_EXPORT_BYTES",
    "ExportDownload",
    "FileBody",
    "TemporaryFileBody",
    "export_download",
    "export_size",
    "file_download",
]

"""The WARC writer: records with warcite's own digests, written atomically, never replacing a file."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcite.capture.common import CONFORMS_TO, REVISIT_PROFILE, ROBOTS_POLICY, software_name
from warcite.capture.spool import Region, disk_error, open_unnamed
from warcite.core.errors import ArchiveExistsError, CaptureError, UsageError
from warcite.core.models import RevisitTarget, WarcRecordInfo
from warcite.core.store import sync_folder
from warcite.core.warc.digests import (
    PAYLOAD_DIGEST_CONVENTION,
    PAYLOAD_DIGEST_TYPES,
    compute_block_digest,
    compute_payload_digest,
)


@dataclass
class RecordDraft:
    """A record about to be written: its headers are completed by :func:`_warc_headers`.

    ``block`` is bytes, or a :class:`~warcite.capture.spool.Region` of a spool file whose
    digests were computed while it arrived (``block_digest``, ``payload_digest``).
    """

    record_type: str
    record_id: str
    date: str
    target_uri: str | None
    content_type: str
    block: bytes | Region
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    protocol: str = "WARC/1.1"
    verbatim_headers: Sequence[tuple[str, str]] | None = None  # copied records: kept as read
    block_digest: str | None = None
    payload_digest: str | None = None  # for a Region block of a type with a payload digest

    @property
    def length(self) -> int:
        return self.block.length if isinstance(self.block, Region) else len(self.block)

    def chunks(self) -> Iterable[bytes]:
        return self.block.chunks() if isinstance(self.block, Region) else [self.block]


def _warc_headers(record: RecordDraft) -> list[tuple[str, str]]:
    if record.verbatim_headers is not None:
        return list(record.verbatim_headers)
    headers = [
        ("WARC-Type", record.record_type),
        ("WARC-Record-ID", record.record_id),
        ("WARC-Date", record.date),
    ]
    if record.target_uri is not None:
        headers.append(("WARC-Target-URI", record.target_uri))
    headers.extend(record.extra_headers)
    if isinstance(record.block, Region):
        assert record.block_digest is not None, "a spooled block needs its digest"
        headers.append(("WARC-Block-Digest", record.block_digest))
        if record.payload_digest is not None:
            headers.append(("WARC-Payload-Digest", record.payload_digest))
    else:
        headers.append(("WARC-Block-Digest", compute_block_digest(record.block)))
        if record.record_type in PAYLOAD_DIGEST_TYPES:
            payload_digest = compute_payload_digest(record.record_type, record.block)
            if payload_digest is not None:
                headers.append(("WARC-Payload-Digest", payload_digest))
    headers.append(("Content-Type", record.content_type))
    headers.append(("Content-Length", str(record.length)))
    return headers


def _record_head(protocol: str, headers: Sequence[tuple[str, str]]) -> bytes:
    """The WARC record header: version line, ``Name: value`` lines (UTF-8), empty line."""
    lines = [protocol, *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


WHOLE_RECORD_LIMIT = 1 << 20
"""Records up to this size (a page's images, scripts, its requests) are compressed in one
call, with a deflate window and hash table sized to the record; larger ones are streamed."""

_TRAILER = b"\r\n\r\n"


def _gzip_member(data: bytes) -> bytes:
    """``data`` as one gzip member, its deflate window no larger than ``data`` needs.

    Same output format as a full-size window (RFC 1951 distances never exceed the data),
    for half the time on small records: zlib sets up a 32 KiB window and a 128 KiB hash
    table per member otherwise.
    """
    window_bits = max(9, min(15, (len(data) - 1).bit_length()))
    compressor = zlib.compressobj(6, zlib.DEFLATED, window_bits | 16, max(1, window_bits - 7))
    return compressor.compress(data) + compressor.flush()


class _MemberWriter:
    """Writes records to a stream, one gzip member each (WARC 1.1 annex D), block streamed."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(
        self,
        protocol: str,
        headers: Sequence[tuple[str, str]],
        block: Iterable[bytes],
        length: int,
    ) -> tuple[int, int]:
        """Write one record whose block is ``length`` bytes; returns its (offset, length)
        in the file."""
        offset = self.stream.tell()
        head = _record_head(protocol, headers)
        if length <= WHOLE_RECORD_LIMIT:
            self.stream.write(_gzip_member(b"".join([head, *block, _TRAILER])))
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
            self.stream.write(compressor.compress(head))
            for chunk in block:
                self.stream.write(compressor.compress(chunk))
            self.stream.write(compressor.compress(_TRAILER))
            self.stream.write(compressor.flush())
        return offset, self.stream.tell() - offset


def _info(
    record_type: str, headers: Sequence[tuple[str, str]], offset: int, length: int
) -> WarcRecordInfo:
    lookup = {key.lower(): value for key, value in reversed(headers)}
    return WarcRecordInfo(
        record_id=lookup.get("warc-record-id", ""),
        record_type=record_type,
        target_uri=lookup.get("warc-target-uri"),
        date=lookup.get("warc-date", ""),
        offset=offset,
        length=length,
        content_type=lookup.get("content-type"),
        payload_digest=lookup.get("warc-payload-digest"),
        block_digest=lookup.get("warc-block-digest"),
    )


MAX_NAME_SERIAL = 1000
"""How many ``-2``, ``-3``, ... names are tried when a WARC name is taken."""


def warc_name_candidates(base_name: str) -> Iterator[str]:
    """``<slug>-<stamp>.warc.gz``, then ``<slug>-<stamp>-2.warc.gz``, ``-3``, ..."""
    stem = base_name.removesuffix(".warc.gz")
    yield base_name
    for serial in range(2, MAX_NAME_SERIAL + 1):
        yield f"{stem}-{serial}.warc.gz"


def first_free_name(archive_dir: Path, base_name: str) -> str:
    """The first of :func:`warc_name_candidates` not taken in ``archive_dir`` right now."""
    for name in warc_name_candidates(base_name):
        if not os.path.lexists(archive_dir / name):
            return name
    raise ArchiveExistsError(
        f"{archive_dir}: {MAX_NAME_SERIAL} WARC files named like {base_name} exist already; "
        "choose another --id"
    )


def ensure_folder(folder: Path) -> list[Path]:
    """Create ``folder`` (and parents); returns the folders created, deepest first."""
    created: list[Path] = []
    missing = folder
    while not missing.exists() and missing != missing.parent:
        created.append(missing)
        missing = missing.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise disk_error(error, f"cannot create the archive folder {folder}") from error
    if not folder.is_dir():
        raise CaptureError(f"the archive folder {folder} is not a folder")
    return created


def remove_folders(created: Sequence[Path]) -> None:
    """Remove folders this capture created, if they are (still) empty."""
    for folder in created:
        with contextlib.suppress(OSError):
            folder.rmdir()


class ArchiveFile:
    """A WARC being written: a temporary file in the archive folder, published by linking.

    The temporary file has no name where the system allows it (``O_TMPFILE``): if the
    process dies, nothing is left.  Elsewhere it is ``.<name>.<random>.part``, removed on
    any failure.  :meth:`publish` gives it its final name with ``link``, which never
    replaces a file: when the name is taken (another capture of a similar URL in the same
    second), the next serial name is used and the warcinfo record's ``WARC-Filename``
    is rewritten to match.
    """

    def __init__(self, archive_dir: Path, file_name: str) -> None:
        self.archive_dir = archive_dir
        self.file_name = file_name
        self._named: Path | None = None
        self._stream: BinaryIO = self._open(file_name)
        self._writer = _MemberWriter(self._stream)
        self.infos: list[WarcRecordInfo] = []
        self.records_written = 0

    def _open(self, file_name: str) -> BinaryIO:
        unnamed = open_unnamed(self.archive_dir, 0o666)
        if unnamed is not None:
            return unnamed
        candidate = self.archive_dir / f".{file_name}.{uuid.uuid4().hex}.part"
        try:
            stream = candidate.open("x+b")  # "x": never an existing file; umask applies
        except OSError as error:
            raise disk_error(error, f"cannot write in {self.archive_dir}") from error
        self._named = candidate
        return stream

    def write(self, record: RecordDraft) -> WarcRecordInfo:
        headers = _warc_headers(record)
        try:
            offset, length = self._writer.write(
                record.protocol, headers, record.chunks(), record.length
            )
        except OSError as error:
            raise disk_error(error, f"cannot write {self.archive_dir / self.file_name}") from error
        info = _info(record.record_type, headers, offset, length)
        self.infos.append(info)
        return info

    def _link(self, final: Path) -> None:
        """Give the complete file the name ``final``; FileExistsError when it is taken."""
        if self._named is None:
            # linkat(fd of /proc/self/fd, "<n>", final, AT_SYMLINK_FOLLOW): names the file
            proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.link(str(self._stream.fileno()), final, src_dir_fd=proc, follow_symlinks=True)
            finally:
                os.close(proc)
            return
        try:
            os.link(self._named, final)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: check, then rename
            if os.path.lexists(final):
                raise FileExistsError(final) from None
            os.rename(self._named, final)
            self._named = None

    def publish(self, rebuild_warcinfo: Callable[[str], RecordDraft]) -> Path:
        """Flush, sync and name the file; returns its path.  The first record written must
        be the warcinfo record, which ``rebuild_warcinfo(new_name)`` remakes if needed."""
        try:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            for name in warc_name_candidates(self.file_name):
                if name != self.file_name:
                    self._rename_inside(name, rebuild_warcinfo(name))
                final = self.archive_dir / name
                try:
                    self._link(final)
                except FileExistsError:
                    continue
                sync_folder(self.archive_dir)
                return final
        except OSError as error:
            raise disk_error(error, f"cannot write {self.archive_dir / self.file_name}") from error
        raise ArchiveExistsError(
            f"{self.archive_dir}: {MAX_NAME_SERIAL} WARC files named like {self.file_name} "
            "exist already; choose another --id"
        )

    def _rename_inside(self, name: str, warcinfo: RecordDraft) -> None:
        """Rewrite the file with a new first (warcinfo) record naming ``name``."""
        old_stream, old_named, old_infos = self._stream, self._named, self.infos
        self._named = None
        self.file_name = name
        self._stream = self._open(name)
        self._writer = _MemberWriter(self._stream)
        self.infos = []
        self.write(warcinfo)
        shift = self.infos[0].length - old_infos[0].length
        old_stream.seek(old_infos[0].length)
        while True:
            piece = old_stream.read(1 << 20)
            if not piece:
                break
            self._stream.write(piece)
        self.infos.extend(
            dataclasses.replace(info, offset=info.offset + shift) for info in old_infos[1:]
        )
        self._stream.flush()
        os.fsync(self._stream.fileno())
        old_stream.close()
        if old_named is not None:
            with contextlib.suppress(FileNotFoundError):
                old_named.unlink()

    def close(self) -> None:
        """Close the file; an unpublished temporary file is removed."""
        with contextlib.suppress(OSError):
            self._stream.close()
        if self._named is not None:
            with contextlib.suppress(FileNotFoundError):
                self._named.unlink()
            self._named = None


def write_archive(
    archive_dir: Path, file_name: str, records: Sequence[RecordDraft]
) -> tuple[Path, list[WarcRecordInfo]]:
    """Write records (the first a warcinfo naming ``file_name``) to a new WARC atomically.

    The name is ``file_name`` or, when that is taken, the next free serial name (the
    warcinfo's ``WARC-Filename`` follows).  No file is left behind on failure.
    """
    created = ensure_folder(archive_dir)
    archive: ArchiveFile | None = None
    published = False
    try:
        name = first_free_name(archive_dir, file_name)
        first = with_file_name(records[0], name)
        archive = ArchiveFile(archive_dir, name)
        archive.write(first)
        for record in records[1:]:
            archive.write(record)
        path = archive.publish(lambda new_name: with_file_name(records[0], new_name))
        published = True
        return path, archive.infos
    finally:
        if archive is not None:
            archive.close()
        if not published:
            remove_folders(created)


def with_file_name(warcinfo: RecordDraft, name: str) -> RecordDraft:
    """The warcinfo record with ``WARC-Filename: name``."""
    extra = [(key, value) for key, value in warcinfo.extra_headers if key != "WARC-Filename"]
    return dataclasses.replace(warcinfo, extra_headers=[("WARC-Filename", name), *extra])


def fields_block(fields: Sequence[tuple[str, str | int | None]]) -> bytes:
    """An application/warc-fields block: ``name: value`` CRLF lines, UTF-8, one line each."""
    lines = []
    for name, value in fields:
        if value is None or value == "":
            continue
        text = re.sub(r"[\r\n]+\s*", " ", str(value)).strip()
        lines.append(f"{name}: {text}\r\n")
    return "".join(lines).encode("utf-8")


def warcinfo_record(
    record_id: str,
    date: str,
    file_name: str,
    hostname: str,
    *,
    user_agent: str | None,
    description: str,
    extra_fields: Sequence[tuple[str, str | int | None]] = (),
) -> RecordDraft:
    fields: list[tuple[str, str | int | None]] = [
        ("software", software_name()),
        ("format", "WARC File Format 1.1"),
        ("conformsTo", CONFORMS_TO),
        ("hostname", hostname),
        ("http-header-user-agent", user_agent),
        ("robots", ROBOTS_POLICY if user_agent else None),
        *extra_fields,
        ("description", description),
        ("payload-digest-convention", PAYLOAD_DIGEST_CONVENTION),
    ]
    return RecordDraft(
        "warcinfo",
        record_id,
        date,
        None,
        "application/warc-fields",
        fields_block(fields),
        [("WARC-Filename", file_name)],
    )


_WARC_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z")
_RECORD_ID = re.compile(r"<[^<>\s]+:[^<>\s]+>")
_URI = re.compile(r"[^\s\x00-\x1f\x7f<>]+")


def checked_revisit_target(target: RevisitTarget, uri: str) -> RevisitTarget:
    """The dedupe lookup's answer, checked: every value goes into a WARC header verbatim."""
    problems = []
    if not _URI.fullmatch(target.refers_to_uri or ""):
        problems.append(f"refers_to_uri {target.refers_to_uri!r} is not a URI")
    if not _WARC_DATE.fullmatch(target.refers_to_date or ""):
        problems.append(
            f"refers_to_date {target.refers_to_date!r} is not a WARC-Date (UTC, like "
            "2026-11-26T12:00:00Z)"
        )
    if not _RECORD_ID.fullmatch(target.refers_to_record_id or ""):
        problems.append(
            f"refers_to_record_id {target.refers_to_record_id!r} is not a WARC-Record-ID "
            "(like <urn:uuid:...>)"
        )
    if problems:
        raise UsageError(
            f"the dedupe lookup's answer for {uri} cannot be written: " + "; ".join(problems)
        )
    return target


def revisit_record(
    record_id: str,
    date: str,
    target_uri: str,
    head: bytes,
    payload_digest: str,
    target: RevisitTarget,
    extra_headers: Sequence[tuple[str, str]],
) -> RecordDraft:
    """A WARC 1.1 revisit record (identical-payload-digest): the HTTP head, no payload."""
    return RecordDraft(
        "revisit",
        record_id,
        date,
        target_uri,
        "application/http; msgtype=response",
        head,
        [
            ("WARC-Profile", REVISIT_PROFILE),
            *extra_headers,
            ("WARC-Refers-To", target.refers_to_record_id),
            ("WARC-Refers-To-Target-URI", target.refers_to_uri),
            ("WARC-Refers-To-Date", target.refers_to_date),
            ("WARC-Payload-Digest", payload_digest),
            # WARC 1.1 section 6.7.2: the block is cut before the (duplicate) payload
            ("WARC-Truncated", "length"),
        ],
    )

"""The WARC writer: records with warcite's own digests, written atomically, never replacing a file."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcite.capture.common import CONFORMS_TO, REVISIT_PROFILE, _software
from warcite.errors import ArchiveExistsError, CaptureError, UsageError
from warcite.models import RevisitTarget, WarcRecordInfo
from warcite.warc import (
    PAYLOAD_DIGEST_CONVENTION,
    PAYLOAD_DIGEST_TYPES,
    compute_block_digest,
    compute_payload_digest,
)


@dataclass
class _Record:
    """A record about to be written: its headers are completed by :func:`_warc_headers`."""

    record_type: str
    record_id: str
    date: str
    target_uri: str | None
    content_type: str
    block: bytes
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    protocol: str = "WARC/1.1"
    verbatim_headers: Sequence[tuple[str, str]] | None = None  # copied records: kept as read


def _warc_headers(record: _Record) -> list[tuple[str, str]]:
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
    headers.append(("WARC-Block-Digest", compute_block_digest(record.block)))
    if record.record_type in PAYLOAD_DIGEST_TYPES:
        payload_digest = compute_payload_digest(record.record_type, record.block)
        if payload_digest is not None:
            headers.append(("WARC-Payload-Digest", payload_digest))
    headers.append(("Content-Type", record.content_type))
    headers.append(("Content-Length", str(len(record.block))))
    return headers


def _record_head(protocol: str, headers: Sequence[tuple[str, str]]) -> bytes:
    """The WARC record header: version line, ``Name: value`` lines (UTF-8), empty line."""
    lines = [protocol, *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


class _MemberWriter:
    """Writes records to a stream, one gzip member each (WARC 1.1 annex D), block streamed."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(
        self,
        protocol: str,
        headers: Sequence[tuple[str, str]],
        block: Iterable[bytes],
    ) -> tuple[int, int]:
        """Write one record; returns its (offset, length) in the file."""
        offset = self.stream.tell()
        compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        self.stream.write(compressor.compress(_record_head(protocol, headers)))
        for chunk in block:
            self.stream.write(compressor.compress(chunk))
        self.stream.write(compressor.compress(b"\r\n\r\n"))
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


def _write_records(stream: BinaryIO, records: Sequence[_Record]) -> list[WarcRecordInfo]:
    """Write records, one gzip member each; digests are warcite's own (spec-correct)."""
    writer = _MemberWriter(stream)
    infos: list[WarcRecordInfo] = []
    for record in records:
        headers = _warc_headers(record)
        offset, length = writer.write(record.protocol, headers, [record.block])
        infos.append(_info(record.record_type, headers, offset, length))
    return infos


def _write_archive(
    archive_dir: Path, file_name: str, records: Sequence[_Record]
) -> tuple[Path, list[WarcRecordInfo]]:
    """Write the records to ``archive_dir/file_name`` atomically, never replacing a file."""
    final = archive_dir / file_name
    if final.exists():
        raise ArchiveExistsError(
            f"{final} exists already; warcite never overwrites an archive (wait a second "
            "and capture again, or choose another --id)"
        )
    created: list[Path] = []
    missing = archive_dir
    while not missing.exists():
        created.append(missing)
        missing = missing.parent
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CaptureError(f"cannot create the archive folder {archive_dir}: {error}") from error
    temporary: Path | None = None
    try:
        candidate = archive_dir / f".{file_name}.{uuid.uuid4().hex}.part"
        with candidate.open("xb") as stream:  # "x": never an existing file; umask applies
            temporary = candidate
            infos = _write_records(stream, records)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, final)
        except FileExistsError:
            raise ArchiveExistsError(
                f"{final} appeared while warcite was writing; warcite never overwrites an archive"
            ) from None
        except OSError:  # a file system without hard links: check, then rename
            if final.exists():
                raise ArchiveExistsError(
                    f"{final} exists already; warcite never overwrites an archive"
                ) from None
            os.rename(temporary, final)
        _sync_folder(archive_dir)
        return final, infos
    except OSError as error:
        raise CaptureError(f"cannot write {final}: {error}") from error
    finally:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        if not final.exists():
            for folder in created:
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (so a new file's name survives a crash), where possible."""
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


def _fields_block(fields: Sequence[tuple[str, str | int | None]]) -> bytes:
    """An application/warc-fields block: ``name: value`` CRLF lines, UTF-8, one line each."""
    lines = []
    for name, value in fields:
        if value is None or value == "":
            continue
        text = re.sub(r"[\r\n]+\s*", " ", str(value)).strip()
        lines.append(f"{name}: {text}\r\n")
    return "".join(lines).encode("utf-8")


def _warcinfo(
    record_id: str,
    date: str,
    file_name: str,
    hostname: str,
    *,
    user_agent: str | None,
    description: str,
) -> _Record:
    fields: list[tuple[str, str | int | None]] = [
        ("software", _software()),
        ("format", "WARC File Format 1.1"),
        ("conformsTo", CONFORMS_TO),
        ("hostname", hostname),
        ("http-header-user-agent", user_agent),
        ("robots", "ignore" if user_agent else None),
        ("description", description),
        ("payload-digest-convention", PAYLOAD_DIGEST_CONVENTION),
    ]
    return _Record(
        "warcinfo",
        record_id,
        date,
        None,
        "application/warc-fields",
        _fields_block(fields),
        [("WARC-Filename", file_name)],
    )


_WARC_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z")
_RECORD_ID = re.compile(r"<[^<>\s]+:[^<>\s]+>")
_URI = re.compile(r"[^\s\x00-\x1f\x7f<>]+")


def _check_revisit_target(target: RevisitTarget, uri: str) -> RevisitTarget:
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


def _revisit_record(
    record_id: str,
    date: str,
    target_uri: str,
    head: bytes,
    payload_digest: str,
    target: RevisitTarget,
    extra_headers: Sequence[tuple[str, str]],
) -> _Record:
    """A WARC 1.1 revisit record (identical-payload-digest): the HTTP head, no payload."""
    return _Record(
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
        ],
    )

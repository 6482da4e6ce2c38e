"""The WARC writer: records with warcite's own digests, written atomically, never replacing a file."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcite.capture.common import CONFORMS_TO, _software
from warcite.errors import ArchiveExistsError, CaptureError
from warcite.models import WarcRecordInfo
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


def _write_records(stream: BinaryIO, records: Sequence[_Record]) -> list[WarcRecordInfo]:
    """Write records with warcio's WARCWriter, one gzip member each; digests are ours."""
    from warcio.recordloader import ArcWarcRecord
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    class ExactWriter(WARCWriter):
        """warcio's writer, minus its digests: warcite sets spec-correct ones itself."""

        def ensure_digest(self, record: object, block: bool = True, payload: bool = True) -> None:
            return None

    writer = ExactWriter(stream, gzip=True, warc_version="WARC/1.1")
    infos: list[WarcRecordInfo] = []
    for record in records:
        headers = _warc_headers(record)
        header_block = StatusAndHeaders("", headers, protocol=record.protocol)
        content_type = next(
            (value for key, value in headers if key.lower() == "content-type"), None
        )
        warc_record = ArcWarcRecord(
            "warc",
            record.record_type,
            header_block,
            BytesIO(record.block),
            None,
            content_type,
            len(record.block),
        )
        offset = stream.tell()
        writer.write_record(warc_record)
        lookup = {key.lower(): value for key, value in reversed(headers)}
        infos.append(
            WarcRecordInfo(
                record_id=lookup.get("warc-record-id", record.record_id),
                record_type=record.record_type,
                target_uri=lookup.get("warc-target-uri"),
                date=lookup.get("warc-date", record.date),
                offset=offset,
                length=stream.tell() - offset,
                content_type=content_type,
                payload_digest=lookup.get("warc-payload-digest"),
                block_digest=lookup.get("warc-block-digest"),
            )
        )
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

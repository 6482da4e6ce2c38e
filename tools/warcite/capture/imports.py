"""Imports: a file the user holds (saved HTML, a plain-text transcript, a WARC) -> a new WARC."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcite.capture.common import (
    DEFAULT_MAX_REDIRECTS,
    REDIRECT_STATUSES,
    CaptureContext,
    Clock,
    RecordIdFactory,
    capture_context,
    context_now,
    warc_date,
)
from warcite.capture.spool import Region, Spool, disk_error
from warcite.capture.writer import (
    RecordDraft,
    ensure_folder,
    fields_block,
    remove_folders,
    warcinfo_record,
    write_archive,
)
from warcite.core.errors import CaptureError, RecordError, UsageError, WarcReadError
from warcite.core.models import CaptureResult, WarcRecordInfo
from warcite.core.project import open_regular_file
from warcite.core.slugs import check_slug, default_slug, warc_file_name
from warcite.core.urls import normalize_url
from warcite.core.warc.digests import DIGEST_ALGORITHM
from warcite.core.warc.http import HttpMessage, parse_http_message
from warcite.core.warc.pages import memento_from_headers, parse_warc_fields
from warcite.core.warc.records import (
    MAX_BLOCK_BYTES,
    WarcRecord,
    check_record_digests,
    iter_records,
)
from warcite.core.warc_rules import conformance_problems

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_TEXT_SUFFIXES = (".txt", ".text", ".md")
_WARC_SUFFIXES = (".warc", ".warc.gz")


def _media_type_of(path: Path, data: bytes, media_type: str | None) -> str:
    """The media type of an imported file: as given, else by name, else by content."""
    if media_type:
        return media_type.strip()
    name = path.name.lower()
    if name.endswith(_WARC_SUFFIXES) or data.startswith(b"WARC/"):
        return "application/warc"
    if data[:2] == b"\x1f\x8b":
        try:
            import gzip as gzip_module

            with gzip_module.GzipFile(fileobj=BytesIO(data)) as unzipped:
                if unzipped.read(5) == b"WARC/":
                    return "application/warc"
        except (OSError, EOFError):
            pass
    if name.endswith(".pdf") or data.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    if name.endswith(_HTML_SUFFIXES):
        return "text/html"
    if name.endswith(_TEXT_SUFFIXES):
        return "text/plain"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head:
        return "text/html"
    if b"\0" not in data[:8192]:
        return "text/plain"
    return "application/octet-stream"


def _declared_type(media_type: str, utf8: bool, given: bool) -> str:
    """Content-Type for the resource record: a charset only where it is certain."""
    if given or "charset=" in media_type.lower() or media_type != "text/plain" or not utf8:
        return media_type
    return f"{media_type}; charset=utf-8"


# --------------------------------------------------------------------------- reading the file

_HEAD_BYTES = 64 * 1024
"""The first bytes of a file, enough to tell HTML, text, WARC and gzip apart."""
_READ_BYTES = 1 << 20


@dataclass(frozen=True)
class _Source:
    """What one streaming read of the imported file learnt (it is never held whole)."""

    size: int
    sha256: str  # hex
    head: bytes  # the first _HEAD_BYTES
    utf8: bool  # the whole file decodes as UTF-8
    copy: Region | None  # the file's bytes in the spool, when asked for
    stamp: tuple[int, int, int, int]  # device, inode, size, mtime: to notice a change


def _stamp(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _open_source(source: Path) -> int:
    """A descriptor of ``source``: a regular file (never a FIFO or device, never blocking)."""
    try:
        return open_regular_file(source, None, "the file")
    except RecordError as error:
        raise CaptureError(f"cannot read the file to import ({error})") from error


def _read_source(source: Path, spool: Spool, wants_copy: Callable[[bytes], bool]) -> _Source:
    """Read ``source`` once, in pieces: its digest, size and head, and a copy of its bytes in
    ``spool`` when ``wants_copy(head)`` says so (the copy is what gets archived, so the
    bytes digested are the bytes written, whatever happens to the file meanwhile)."""
    descriptor = _open_source(source)
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    head = b""
    copy_from: int | None = None
    try:
        with os.fdopen(descriptor, "rb", buffering=0) as stream:
            before = _stamp(os.fstat(stream.fileno()))
            while size < before[2]:  # never past its size when opened: it may be growing
                wanted = min(_READ_BYTES if size else _HEAD_BYTES, before[2] - size)
                piece = stream.read(wanted)
                if not piece:
                    break
                if size == 0:
                    head = piece[:_HEAD_BYTES]
                    if wants_copy(head):
                        copy_from = spool.size
                size += len(piece)
                hasher.update(piece)
                if utf8:
                    try:
                        decoder.decode(piece)
                    except UnicodeDecodeError:
                        utf8 = False
                if copy_from is not None:
                    spool.append(piece)
            after = _stamp(os.fstat(stream.fileno()))
    except OSError as error:
        raise disk_error(error, f"cannot read {source}") from error
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if before != after or after[2] != size:
        raise CaptureError(
            f"cannot import {source}: the file changed while it was read; nothing was "
            "archived: import it again once nothing is writing to it"
        )
    if copy_from is None and size == 0 and wants_copy(head):
        copy_from = spool.size
    copy = Region(spool, copy_from, size) if copy_from is not None else None
    return _Source(size, hasher.hexdigest(), head, utf8, copy, after)


def _unchanged(source: Path, read: _Source) -> None:
    """CaptureError when ``source`` is no longer the file that was read."""
    try:
        now = _stamp(source.stat())
    except OSError as error:
        raise CaptureError(f"cannot import {source}: {error.strerror or error}") from error
    if now != read.stamp:
        raise CaptureError(
            f"cannot import {source}: the file changed while it was imported; nothing was "
            "archived: import it again once nothing is writing to it"
        )


@contextlib.contextmanager
def _import_spool(archive_dir: Path) -> Iterator[Spool]:
    """A spool in the archive folder (created when missing, and removed again, if still
    empty, when the import fails)."""
    created = ensure_folder(archive_dir)
    done = False
    try:
        spool = Spool(archive_dir)
        try:
            yield spool
        finally:
            spool.close()
        done = True
    finally:
        if not done:
            remove_folders(created)


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http(s) URL; give the page's original address")
    return url.strip()


def import_file(
    path: str | Path,
    *,
    url: str | None,
    archive_dir: str | Path,
    slug: str | None = None,
    observed_at: str | None = None,
    note: str | None = None,
    media_type: str | None = None,
    clock: Clock | None = None,
    new_record_id: RecordIdFactory | None = None,
    hostname: str | None = None,
    source_package: Sequence[tuple[str, str]] = (),
) -> CaptureResult:
    """Archive a local file (HTML, plain text or WARC) into a new WARC in ``archive_dir``.

    ``source_package`` (for a WARC taken out of a package: warcite.capture.wacz_import) are
    ``(field, value)`` pairs kept in the metadata record, the first naming the package and
    the last saying what was verified of it (also added to the source description).

    ``url`` is the page's original http(s) URL (required for HTML and text; for a WARC it
    chooses the page record, else the WARC's own page is used).  ``observed_at`` (ISO 8601)
    is when the copy was made, when the user knows it; ``note`` is kept verbatim in the
    metadata record.  ``media_type`` overrides detection by name and content.

    Raises CaptureError when the file cannot be read, is neither HTML, text nor WARC, or is
    a WARC that fails verification; UsageError for a bad URL, slug or date;
    ArchiveExistsError when the target file exists.
    """
    source = Path(path)
    context = capture_context(archive_dir, clock, new_record_id, hostname)
    if observed_at is not None:
        observed_at = _check_iso_datetime(observed_at)
    if url is not None:
        url = _check_url(url)
    if slug:
        check_slug(slug)
    with _import_spool(context.archive_dir) as spool:

        def archived_whole(head: bytes) -> bool:  # HTML and text: a resource record
            return _media_type_of(source, head, media_type) != "application/warc"

        read = _read_source(source, spool, archived_whole)
        detected = _media_type_of(source, read.head, media_type)
        base_type = detected.split(";", 1)[0].strip().lower()
        if base_type == "application/warc":
            return _import_warc(
                source,
                read,
                spool,
                url=url,
                context=context,
                slug=slug,
                note=note,
                observed_at=observed_at,
                source_package=source_package,
            )
        if base_type not in ("text/html", "application/xhtml+xml", "text/plain", "application/pdf"):
            raise CaptureError(
                f"{source} is {detected}, not HTML, text or a WARC, nor a PDF; warcite imports saved "
                "HTML pages, plain-text transcripts, PDFs and WARC files (use --media-type if the "
                "guess is wrong)"
            )
        if url is None:
            raise UsageError(f"importing {source} needs --url: the page's original address")
        assert read.copy is not None
        return _import_document(
            source,
            read,
            read.copy,
            url=url,
            detected=detected,
            given=media_type is not None,
            context=context,
            slug=slug,
            note=note,
            observed_at=observed_at,
        )


def _import_document(
    source: Path,
    read: _Source,
    copy: Region,
    *,
    url: str,
    detected: str,
    given: bool,
    context: CaptureContext,
    slug: str | None,
    note: str | None,
    observed_at: str | None,
) -> CaptureResult:
    """A saved HTML page or a text transcript -> warcinfo, resource, metadata."""
    original = normalize_url(url)  # a URI: an é or a space in the path percent-encoded
    slug = slug or default_slug(original)
    started = context_now(context)
    date = warc_date(started)
    file_name = warc_file_name(slug, started)
    content_type = _declared_type(detected, read.utf8, given=given)
    if detected.split(";", 1)[0].strip().lower() == "text/plain":
        method = "import-transcript"
        target = f"urn:transcript:{original}"
        description = (
            f"Import, not a live capture: a plain-text transcript of {original} supplied by "
            "the user; it is the page's text, not the bytes the URL returned."
        )
    elif detected.split(";", 1)[0].strip().lower() == "application/pdf":
        method = "import-document"
        target = f"urn:import:{original}"
        description = (
            f"Import, not a live capture: a PDF file of {original} supplied by the user; "
            "warcite cannot tell whether it is byte for byte what the URL returned."
        )
    else:
        method = "import-html"
        target = f"urn:import:{original}"
        description = (
            f"Import, not a live capture: an HTML file of {original} saved and supplied by "
            "the user; warcite cannot tell whether it is byte for byte what the URL returned."
        )
    info_id = context.new_record_id()
    resource_id = context.new_record_id()
    metadata_id = context.new_record_id()
    warcinfo = warcinfo_record(
        info_id,
        date,
        file_name,
        context.hostname,
        user_agent=None,
        description=f"warcite import of {source.name} for {original}",
    )
    digest = f"{DIGEST_ALGORITHM}:{read.sha256}"  # a resource's payload is its whole block
    resource = RecordDraft(
        "resource",
        resource_id,
        date,
        target,
        content_type,
        copy,
        [("WARC-Warcinfo-ID", info_id)],
        block_digest=digest,
        payload_digest=digest,
    )
    fields: list[tuple[str, str | int | None]] = [
        ("method", method),
        ("source-description", description),
        ("import", "import, not a live capture"),
        ("original-uri", original),
        ("source-file-name", source.name),
        ("source-file-size", read.size),
        ("source-file-sha256", read.sha256),
        ("media-type", content_type),
        ("observed-at", observed_at),
        ("ingested-at", date),
        ("note", note),
    ]
    metadata = RecordDraft(
        "metadata",
        metadata_id,
        date,
        target,
        "application/warc-fields",
        fields_block(fields),
        [("WARC-Refers-To", resource_id), ("WARC-Warcinfo-ID", info_id)],
    )
    written, infos = write_archive(context.archive_dir, file_name, [warcinfo, resource, metadata])
    return CaptureResult(
        path=written,
        method=method,
        records=tuple(infos),
        main_record_id=resource_id,
        target_uri=original,
        final_uri=original,
        status=None,
        content_type=content_type,
        truncated=None,
        memento=None,
        started_at=started,
        user_agent=None,
    )


def _check_iso_datetime(value: str) -> str:
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--observed-at {value!r} is not an ISO 8601 date or date-time "
            "(e.g. 2016-08-30 or 2016-08-30T12:00:00Z)"
        ) from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if parsed.tzinfo is None:
        raise UsageError(
            f"--observed-at {value!r} has no time zone; add Z for UTC or an offset like +09:00"
        )
    return parsed.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _import_warc(
    source: Path,
    read: _Source,
    spool: Spool,
    *,
    url: str | None,
    context: CaptureContext,
    slug: str | None,
    note: str | None,
    observed_at: str | None,
    source_package: Sequence[tuple[str, str]] = (),
) -> CaptureResult:
    from warcite.core.warc.pages import read_page

    try:
        records = _verified_records(source, spool)
    except WarcReadError as error:
        raise CaptureError(f"cannot import {source}: {error}") from error
    _unchanged(source, read)
    main = _main_record_of(source, records, url, read_page)
    page_url = url or _original_url(main) or (main.info.target_uri or "")
    source_method = _source_field(main, records, "method")
    slug = check_slug(slug) if slug else default_slug(page_url) if page_url else "warc-import"
    started = context_now(context)
    date = warc_date(started)
    file_name = warc_file_name(slug, started)
    info_id = context.new_record_id()
    metadata_id = context.new_record_id()
    counts: dict[str, int] = {}
    for record in records:
        counts[record.info.record_type] = counts.get(record.info.record_type, 0) + 1
    holds = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    copied = [
        RecordDraft(
            record.info.record_type,
            record.info.record_id,
            record.info.date,
            record.info.target_uri,
            record.info.content_type or "",
            record.region,
            protocol=record.record.protocol,
            verbatim_headers=record.record.headers,
        )
        for record in records
    ]
    main_message: HttpMessage | None = None
    if main.info.record_type == "response":
        with contextlib.suppress(ValueError):
            main_message = parse_http_message(main.head())
    content_type = (
        main_message.header("Content-Type") if main_message else main.header("Content-Type")
    )
    fields: list[tuple[str, str | int | None]] = [
        ("method", "import-warc"),
        (
            "source-description",
            f"Import, not a live capture: records copied unchanged from the WARC file "
            f"{source.name} supplied by the user ({holds}); digests verified."
            + (
                f" The source's own metadata calls its page: {source_method}."
                if source_method
                else ""
            )
            + (
                f" Taken from the package {source_package[0][1]}: {source_package[-1][1]}."
                if source_package
                else ""
            ),
        ),
        ("source-method", source_method),
        ("import", "import, not a live capture"),
        ("original-uri", page_url if re.match(r"^https?://", page_url) else None),
        ("final-uri", main.info.target_uri),
        ("http-status", main_message.status if main_message else None),
        ("content-type", content_type),
        ("source-file-name", source.name),
        ("source-file-size", read.size),
        ("source-file-sha256", read.sha256),
        ("source-warc-records", holds),
        ("observed-at", observed_at or _observed_at_of(main, records)),
        ("ingested-at", date),
        ("note", note),
        *source_package,
    ]
    warcinfo = warcinfo_record(
        info_id,
        date,
        file_name,
        context.hostname,
        user_agent=None,
        description=f"warcite import of the WARC file {source.name}",
    )
    metadata = RecordDraft(
        "metadata",
        metadata_id,
        date,
        main.info.target_uri,
        "application/warc-fields",
        fields_block(fields),
        [("WARC-Refers-To", main.info.record_id), ("WARC-Warcinfo-ID", info_id)],
    )
    written, infos = write_archive(context.archive_dir, file_name, [warcinfo, *copied, metadata])
    truncated = main.header("WARC-Truncated")
    memento = None
    if main_message is not None:
        memento = memento_from_headers(main_message.headers, main.info.target_uri)
    return CaptureResult(
        path=written,
        method="import-warc",
        records=tuple(infos),
        main_record_id=main.info.record_id,
        target_uri=page_url,
        final_uri=_original_url(main) or main.info.target_uri or page_url,
        status=main_message.status if main_message else None,
        content_type=content_type,
        truncated=truncated,
        memento=memento,
        started_at=started,
        user_agent=None,
    )


MAX_IMPORT_RECORDS = 20_000
"""The most records a WARC import copies: the WARC of one page, its requisites and their
redirects holds far fewer (a capture fetches at most a few hundred); a crawl's WARC is
not one page."""
_HEAD_BYTES_READ = 256 * 1024
"""Of a copied block, the most bytes read back: enough for any HTTP header block a capture
accepts, and for the fields of a metadata record."""


@dataclass(frozen=True)
class _Copied:
    """A verified record of the WARC being imported: its headers in memory, its block in the
    spool (read back only where the import needs its first bytes)."""

    record: WarcRecord  # block emptied
    region: Region

    @property
    def info(self) -> WarcRecordInfo:
        return self.record.info

    def header(self, name: str) -> str | None:
        return self.record.header(name)

    def head(self) -> bytes:
        """The block's first bytes (all of it when it is small)."""
        size = min(self.region.length, _HEAD_BYTES_READ)
        return Region(self.region.spool, self.region.offset, size).read_all(size)


def _verified_records(source: Path, spool: Spool) -> list[_Copied]:
    """Every record of the WARC, its digests checked, its block moved to ``spool``.

    Records are read one at a time, so memory holds one block (at most
    :data:`~warcite.core.warc.records.MAX_BLOCK_BYTES`) and the headers of the records, whatever the
    size of the file.  Raises CaptureError when a digest does not match, when the file holds
    no record or more than :data:`MAX_IMPORT_RECORDS`.
    """
    copied: list[_Copied] = []
    problems: list[str] = []
    for record in iter_records(source, max_block_bytes=MAX_BLOCK_BYTES):
        if len(copied) >= MAX_IMPORT_RECORDS:
            raise CaptureError(
                f"cannot import {source}: it holds more than {MAX_IMPORT_RECORDS} records, "
                "more than the WARC of one page; copy the page's records into a WARC of "
                "their own (for example with warcio extract) and import that"
            )
        problems.extend(check_record_digests(record))
        region = Region(spool, spool.append(record.block), len(record.block))
        copied.append(_Copied(dataclasses.replace(record, block=b""), region))
        del record  # not held while the next block is read
    if not copied:
        raise CaptureError(f"cannot import {source}: it holds no WARC records")
    problems.extend(  # what warcite check refuses, import refuses (same messages)
        conformance_problems(
            (item.info.offset, item.record.protocol, item.info.record_id, item.record.headers)
            for item in copied
        )
    )
    if problems:
        raise CaptureError(
            f"cannot import {source}: it fails verification: "
            + "; ".join(problems[:10])
            + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")
        )
    return copied


def _source_field(main: _Copied, records: Sequence[_Copied], name: str) -> str | None:
    """A field of the source WARC's own metadata record about ``main`` (the last one)."""
    for record in reversed(records):
        if (
            record.info.record_type == "metadata"
            and record.header("WARC-Refers-To") == main.info.record_id
        ):
            for key, value in parse_warc_fields(record.head()):
                if key.lower() == name and value:
                    return value
    return None


def _observed_at_of(main: _Copied, records: Sequence[_Copied]) -> str | None:
    """When the page was seen on the web, as far as the source WARC tells.

    A response's WARC-Date is when it was received; for a resource (an import) only an
    ``observed-at`` in the source's own metadata record says so; otherwise it is unknown.
    """
    if main.info.record_type == "response":
        return main.info.date
    return _source_field(main, records, "observed-at")


def _original_url(record: _Copied) -> str | None:
    target = record.info.target_uri or ""
    if re.match(r"^https?://", target):
        return target
    stripped = re.sub(r"^urn:[a-z0-9-]+:", "", target, flags=re.IGNORECASE)
    return stripped if re.match(r"^https?://", stripped) else None


def _main_record_of(
    source: Path,
    records: Sequence[_Copied],
    url: str | None,
    read_page: Callable[[Path], object],
) -> _Copied:
    """The page record of a WARC being imported: the one for ``url`` (redirects followed
    within the file), else the page ``read_page`` picks."""
    by_id = {record.info.record_id: record for record in records}
    if url is None:
        try:
            page = read_page(source)
        except WarcReadError as error:
            raise CaptureError(f"cannot import {source}: {error}") from error
        return by_id[str(getattr(page, "record_id", ""))]
    by_target: dict[str, _Copied] = {}
    for record in records:
        target = record.info.target_uri or ""
        if record.info.record_type in ("response", "resource") and target not in by_target:
            by_target[target] = record
            by_target.setdefault(_original_url(record) or target, record)
    wanted = url
    for _hop in range(DEFAULT_MAX_REDIRECTS + 1):
        found = by_target.get(wanted)
        if found is None:
            with contextlib.suppress(UsageError):
                found = by_target.get(normalize_url(wanted))
        if found is None:
            break
        if found.info.record_type == "response":
            try:
                message = parse_http_message(found.head())
            except ValueError:
                return found
            location = message.header("Location")
            if (message.status or 0) in REDIRECT_STATUSES and location:
                wanted = urljoin(wanted, location.strip())
                continue
        return found
    known = sorted(
        {
            r.info.target_uri or "?"
            for r in records
            if r.info.record_type in ("response", "resource")
        }
    )
    raise CaptureError(
        f"cannot import {source}: it holds no page record for {wanted} (its response and "
        f"resource records are for: {', '.join(known[:10]) or 'nothing'}); give the URL "
        "of one of them with --url, or leave --url out to use the WARC's own page"
    )

"""URL or local file -> one new WARC 1.1 file on disk.  The only network code in warcite.

Two entry points, both returning a :class:`~warcite.models.CaptureResult`:

- :func:`capture` fetches a live URL over HTTP(S) with warcite's own recorder (plain sockets,
  so the request is archived exactly as sent and the response exactly as received: status
  line, raw header bytes, chunked framing and content-coding kept), follows redirects
  (each hop its own request/response pair) and fetches the page's requisites, including
  what its stylesheets (fetched and inline) reference through ``url()`` and ``@import``.
- :func:`import_file` archives a file the user already holds: an HTML page, a plain-text
  transcript, or an existing WARC (verified, then copied).

The file written, ``<slug>-<UTC yyyymmddHHMMSS>.warc.gz`` (one gzip member per record,
written with warcio's ``WARCWriter``), holds in order:

1. a ``warcinfo`` record: software and versions, format, conformsTo, hostname, the user agent
   (captures), the digest convention (see :mod:`warcite.warc`);
2. the content: ``request`` + ``response`` pairs (sharing a ``WARC-Date`` taken before the
   request was sent, linked both ways by ``WARC-Concurrent-To``, with ``WARC-IP-Address``),
   or one ``resource`` record (imports), or the copied records (WARC imports);
3. a ``metadata`` record (``application/warc-fields``, ``WARC-Refers-To`` the page record)
   with the facts of the capture, one ``name: value`` line each (names below).

Capture methods (the metadata record's ``method``):

``http-capture``       a live HTTP(S) capture;
``import-memento``     a live capture whose page is a web archive's memento (a Wayback-style
                       ``/web/<14 digits>[id_]/<URL>`` URL or a ``Memento-Datetime`` header):
                       the bytes come from the archive, not from the original site, so the
                       content is an import of someone else's capture;
``import-html``        an HTML file the user saved;
``import-transcript``  a plain-text transcript of a page;
``import-warc``        records copied from an existing WARC.

Imported files are not what their URL returned (WARC 1.1 section 6.4.2: a resource record
whose target is an ``http(s)`` URI holds what that URI returned), so their
``WARC-Target-URI`` is a synthetic URN and the original URL is in the metadata record:
``urn:transcript:<URL>`` for transcripts and ``urn:import:<URL>`` for saved HTML (a browser's
"save page" rewrites links, drops or adds markup and loses the HTTP headers; warcite cannot
tell whether a saved file is byte for byte what the server sent, so it never claims so).

Metadata record field names: ``method``, ``source-description``, ``requested-uri``,
``original-uri`` (imports), ``final-uri``, ``http-status``, ``content-type``, ``redirect``
(repeated, ``<status> <from> -> <to>``), ``started-at``, ``finished-at``, ``duration-ms``,
``timing`` (repeated, per exchange: ``<page|redirect|requisite> <URL>
connect-ms=.. first-byte-ms=.. total-ms=..``, measured with the injected clock), ``outcome``, ``truncated``, ``memento-original-uri``,
``memento-datetime``, ``memento-source``, ``requisite`` / ``requisite-failed`` (repeated),
``user-agent``, ``import``, ``source-file-name``, ``source-file-size``,
``source-file-sha256``, ``media-type``, ``observed-at``, ``note``, ``source-warc-records``.

Atomicity: everything is fetched or read first; the file is then written to a temporary
file in the archive folder and linked to its final name only when complete.  An existing
file is never replaced (:class:`~warcite.errors.ArchiveExistsError`); on any failure no
file is left behind.  The clock, the record-ID factory and the host name are injectable so
tests can compare WARC headers exactly.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import platform
import re
import socket
import ssl
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

from warcite import __version__
from warcite.errors import ArchiveExistsError, CaptureError, UsageError, WarcReadError
from warcite.models import CaptureResult, Memento, WarcRecordInfo
from warcite.slugs import check_slug, default_slug, warc_file_name
from warcite.warc import (
    PAYLOAD_DIGEST_CONVENTION,
    PAYLOAD_DIGEST_TYPES,
    HttpMessage,
    WarcRecord,
    available_content_codings,
    check_record_digests,
    compute_block_digest,
    compute_payload_digest,
    decode_content,
    iter_records,
    memento_from_headers,
    memento_from_wayback_url,
    parse_http_message,
    parse_warc_fields,
)

Clock = Callable[[], datetime]
RecordIdFactory = Callable[[], str]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 50_000_000
DEFAULT_MAX_REDIRECTS = 10
DEFAULT_MAX_REQUISITES = 100
DEFAULT_USER_AGENT = f"Mozilla/5.0 (compatible; warcite/{__version__})"
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_HEAD_BYTES = 256 * 1024
_HEAD_END = re.compile(rb"\r?\n\r?\n")

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_TEXT_SUFFIXES = (".txt", ".text", ".md")
_WARC_SUFFIXES = (".warc", ".warc.gz")


def utc_now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(timezone.utc)


def new_uuid_record_id() -> str:
    """The default record-ID factory: ``<urn:uuid:...>`` (a random UUID)."""
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime) -> str:
    """A WARC-Date: UTC, seconds precision, ``Z`` suffix."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _software() -> str:
    import warcio

    warcio_version = getattr(warcio, "__version__", None)
    if warcio_version is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            warcio_version = version("warcio")
        except PackageNotFoundError:
            warcio_version = "unknown"
    return f"warcite/{__version__} (warcio/{warcio_version}; Python/{platform.python_version()})"


# --------------------------------------------------------------------------- writing


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


@dataclass(frozen=True)
class _Context:
    archive_dir: Path
    clock: Clock
    new_record_id: RecordIdFactory
    hostname: str


def _context(
    archive_dir: str | Path,
    clock: Clock | None,
    new_record_id: RecordIdFactory | None,
    hostname: str | None,
) -> _Context:
    return _Context(
        Path(archive_dir),
        clock or utc_now,
        new_record_id or new_uuid_record_id,
        hostname if hostname is not None else socket.gethostname(),
    )


def _now(context: _Context) -> datetime:
    moment = context.clock()
    if moment.tzinfo is None:
        raise UsageError("the clock must return timezone-aware datetimes (UTC)")
    return moment.astimezone(timezone.utc)


# --------------------------------------------------------------------------- import


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


def _declared_type(media_type: str, data: bytes, given: bool) -> str:
    """Content-Type for the resource record: a charset only where it is certain."""
    if given or "charset=" in media_type.lower() or media_type != "text/plain":
        return media_type
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return media_type
    return f"{media_type}; charset=utf-8"


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
) -> CaptureResult:
    """Archive a local file (HTML, plain text or WARC) into a new WARC in ``archive_dir``.

    ``url`` is the page's original http(s) URL (required for HTML and text; for a WARC it
    chooses the page record, else the WARC's own page is used).  ``observed_at`` (ISO 8601)
    is when the copy was made, when the user knows it; ``note`` is kept verbatim in the
    metadata record.  ``media_type`` overrides detection by name and content.

    Raises CaptureError when the file cannot be read, is neither HTML, text nor WARC, or is
    a WARC that fails verification; UsageError for a bad URL, slug or date;
    ArchiveExistsError when the target file exists.
    """
    source = Path(path)
    context = _context(archive_dir, clock, new_record_id, hostname)
    try:
        data = source.read_bytes()
    except OSError as error:
        raise CaptureError(f"cannot read {source}: {error.strerror or error}") from error
    if observed_at is not None:
        observed_at = _check_iso_datetime(observed_at)
    detected = _media_type_of(source, data, media_type)
    base_type = detected.split(";", 1)[0].strip().lower()
    if base_type == "application/warc":
        return _import_warc(
            source, data, url=url, context=context, slug=slug, note=note, observed_at=observed_at
        )
    if base_type not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise CaptureError(
            f"{source} is {detected}, not HTML, text or a WARC; warcite imports saved HTML "
            "pages, plain-text transcripts and WARC files (use --media-type if the guess is "
            "wrong)"
        )
    if url is None:
        raise UsageError(f"importing {source} needs --url: the page's original address")
    original = _check_url(url)
    slug = check_slug(slug) if slug else default_slug(original)
    started = _now(context)
    date = warc_date(started)
    file_name = warc_file_name(slug, started)
    content_type = _declared_type(detected, data, given=media_type is not None)
    if base_type == "text/plain":
        method = "import-transcript"
        target = f"urn:transcript:{original}"
        description = (
            f"Import, not a live capture: a plain-text transcript of {original} supplied by "
            "the user; it is the page's text, not the bytes the URL returned."
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
    warcinfo = _warcinfo(
        info_id,
        date,
        file_name,
        context.hostname,
        user_agent=None,
        description=f"warcite import of {source.name} for {original}",
    )
    resource = _Record(
        "resource",
        resource_id,
        date,
        target,
        content_type,
        data,
        [("WARC-Warcinfo-ID", info_id)],
    )
    fields: list[tuple[str, str | int | None]] = [
        ("method", method),
        ("source-description", description),
        ("import", "import, not a live capture"),
        ("original-uri", original),
        ("source-file-name", source.name),
        ("source-file-size", len(data)),
        ("source-file-sha256", hashlib.sha256(data).hexdigest()),
        ("media-type", content_type),
        ("observed-at", observed_at),
        ("ingested-at", date),
        ("note", note),
    ]
    metadata = _Record(
        "metadata",
        metadata_id,
        date,
        target,
        "application/warc-fields",
        _fields_block(fields),
        [("WARC-Refers-To", resource_id), ("WARC-Warcinfo-ID", info_id)],
    )
    written, infos = _write_archive(context.archive_dir, file_name, [warcinfo, resource, metadata])
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
    data: bytes,
    *,
    url: str | None,
    context: _Context,
    slug: str | None,
    note: str | None,
    observed_at: str | None,
) -> CaptureResult:
    from warcite.warc import read_page

    try:
        records = list(iter_records(source))
    except WarcReadError as error:
        raise CaptureError(f"cannot import {source}: {error}") from error
    if not records:
        raise CaptureError(f"cannot import {source}: it holds no WARC records")
    problems = [problem for record in records for problem in check_record_digests(record)]
    if problems:
        raise CaptureError(
            f"cannot import {source}: it fails verification: "
            + "; ".join(problems[:10])
            + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")
        )
    if url is not None:
        url = _check_url(url)
    main = _main_record_of(source, records, url, read_page)
    page_url = url or _original_url(main) or (main.info.target_uri or "")
    source_method = _source_field(main, records, "method")
    slug = check_slug(slug) if slug else default_slug(page_url) if page_url else "warc-import"
    started = _now(context)
    date = warc_date(started)
    file_name = warc_file_name(slug, started)
    info_id = context.new_record_id()
    metadata_id = context.new_record_id()
    counts: dict[str, int] = {}
    for record in records:
        counts[record.info.record_type] = counts.get(record.info.record_type, 0) + 1
    holds = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    copied = [
        _Record(
            record.info.record_type,
            record.info.record_id,
            record.info.date,
            record.info.target_uri,
            record.info.content_type or "",
            record.block,
            protocol=record.protocol,
            verbatim_headers=record.headers,
        )
        for record in records
    ]
    main_message: HttpMessage | None = None
    if main.info.record_type == "response":
        with contextlib.suppress(ValueError):
            main_message = parse_http_message(main.block)
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
            ),
        ),
        ("source-method", source_method),
        ("import", "import, not a live capture"),
        ("original-uri", page_url if re.match(r"^https?://", page_url) else None),
        ("final-uri", main.info.target_uri),
        ("http-status", main_message.status if main_message else None),
        ("content-type", content_type),
        ("source-file-name", source.name),
        ("source-file-size", len(data)),
        ("source-file-sha256", hashlib.sha256(data).hexdigest()),
        ("source-warc-records", holds),
        ("observed-at", observed_at or _observed_at_of(main, records)),
        ("ingested-at", date),
        ("note", note),
    ]
    warcinfo = _warcinfo(
        info_id,
        date,
        file_name,
        context.hostname,
        user_agent=None,
        description=f"warcite import of the WARC file {source.name}",
    )
    metadata = _Record(
        "metadata",
        metadata_id,
        date,
        main.info.target_uri,
        "application/warc-fields",
        _fields_block(fields),
        [("WARC-Refers-To", main.info.record_id), ("WARC-Warcinfo-ID", info_id)],
    )
    written, infos = _write_archive(context.archive_dir, file_name, [warcinfo, *copied, metadata])
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


def _source_field(main: WarcRecord, records: Sequence[WarcRecord], name: str) -> str | None:
    """A field of the source WARC's own metadata record about ``main`` (the last one)."""
    for record in reversed(records):
        if (
            record.info.record_type == "metadata"
            and record.header("WARC-Refers-To") == main.info.record_id
        ):
            for key, value in parse_warc_fields(record.block):
                if key.lower() == name and value:
                    return value
    return None


def _observed_at_of(main: WarcRecord, records: Sequence[WarcRecord]) -> str | None:
    """When the page was seen on the web, as far as the source WARC tells.

    A response's WARC-Date is when it was received; for a resource (an import) only an
    ``observed-at`` in the source's own metadata record says so; otherwise it is unknown.
    """
    if main.info.record_type == "response":
        return main.info.date
    return _source_field(main, records, "observed-at")


def _original_url(record: WarcRecord) -> str | None:
    target = record.info.target_uri or ""
    if re.match(r"^https?://", target):
        return target
    stripped = re.sub(r"^urn:[a-z0-9-]+:", "", target, flags=re.IGNORECASE)
    return stripped if re.match(r"^https?://", stripped) else None


def _main_record_of(
    source: Path,
    records: Sequence[WarcRecord],
    url: str | None,
    read_page: Callable[[Path], object],
) -> WarcRecord:
    """The page record of a WARC being imported: the one for ``url`` (redirects followed
    within the file), else the page ``read_page`` picks."""
    by_id = {record.info.record_id: record for record in records}
    if url is None:
        try:
            page = read_page(source)
        except WarcReadError as error:
            raise CaptureError(f"cannot import {source}: {error}") from error
        return by_id[str(getattr(page, "record_id", ""))]
    by_target: dict[str, WarcRecord] = {}
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
                message = parse_http_message(found.block)
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


# --------------------------------------------------------------------------- HTTP


@dataclass
class _Exchange:
    """One HTTP request and its response, as on the wire."""

    url: str
    date: datetime  # taken before the request was sent
    ip_address: str
    request: bytes
    response: bytes
    message: HttpMessage
    truncated: str | None
    timings: dict[str, int]  # milliseconds from the injected clock
    role: str  # page, redirect, requisite
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Limits:
    timeout: float
    max_bytes: int
    user_agent: str
    tls_context: ssl.SSLContext | None = None


def _request_target(parts: SplitResult) -> str:
    path = parts.path or "/"
    query = parts.query
    safe = "/:@!$&'()*+,;=%~-._"
    target = quote(path, safe=safe)
    if query:
        target += "?" + quote(query, safe=safe + "?")
    return target


def _host_header(host: str, port: int, scheme: str) -> str:
    try:
        if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address):
            host = f"[{host}]"
    except ValueError:
        pass
    default = 443 if scheme == "https" else 80
    return host if port == default else f"{host}:{port}"


def _ascii_host(host: str, url: str) -> str:
    try:
        host.encode("ascii")
        return host
    except UnicodeEncodeError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise UsageError(f"{url}: the host name {host!r} cannot be encoded ({error})") from error


def normalize_url(url: str) -> str:
    """An http(s) URL as warcite requests and records it (``WARC-Target-URI``).

    The fragment is dropped, the path is at least ``/``, an internationalised host name
    is IDNA-encoded and non-ASCII characters in path and query are percent-encoded (UTF-8),
    so the URL is a valid URI; existing percent-escapes are kept.

    Raises UsageError for anything but an absolute http(s) URL.
    """
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{url!r} is not an absolute http(s) URL (for example https://example.org/page)"
        )
    try:
        port = parts.port
    except ValueError as error:
        raise UsageError(f"{url!r} has an invalid port: {error}") from error
    host = _ascii_host(parts.hostname or "", url).lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port is not None else "")
    return urlunsplit((scheme, netloc, _request_target(parts).split("?", 1)[0], _query(parts), ""))


def _query(parts: SplitResult) -> str:
    target = _request_target(parts)
    return target.split("?", 1)[1] if "?" in target else ""


def _build_request(url: str, user_agent: str, referer: str | None, accept: str) -> bytes:
    parts = urlsplit(url)
    host = _ascii_host(parts.hostname or "", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    lines = [
        f"GET {_request_target(parts)} HTTP/1.1",
        f"Host: {_host_header(host, port, parts.scheme)}",
        f"User-Agent: {user_agent}",
        f"Accept: {accept}",
        f"Accept-Encoding: {', '.join(available_content_codings())}",
    ]
    if referer:
        lines.append(f"Referer: {referer}")
    lines.append("Connection: close")
    text = "\r\n".join(lines) + "\r\n\r\n"
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _ms(start: datetime, end: datetime) -> int:
    return round((end - start).total_seconds() * 1000)


def _chunked_end(data: bytes | bytearray, start: int) -> tuple[int, int | None]:
    """Scan chunked framing in ``data`` from ``start`` (absolute positions).

    Returns (where to resume scanning once more data arrives, the end of the message or
    None while it is incomplete).  Raises ValueError on framing that is not chunked.
    """
    position = start
    while True:
        line_end = data.find(b"\n", position)
        if line_end < 0:
            return position, None
        size_text = bytes(data[position:line_end]).split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]+", size_text):
            raise ValueError(f"bad chunk size line {bytes(data[position:line_end])[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            cursor = line_end + 1
            while True:  # trailer fields, then an empty line
                trailer_end = data.find(b"\n", cursor)
                if trailer_end < 0:
                    return position, None
                if not bytes(data[cursor:trailer_end]).strip():
                    return position, trailer_end + 1
                cursor = trailer_end + 1
        data_end = line_end + 1 + size
        if len(data) < data_end + 1:
            return position, None
        if data[data_end : data_end + 2] == b"\r\n":
            position = data_end + 2
        elif data[data_end : data_end + 1] == b"\n":
            position = data_end + 1
        elif len(data) < data_end + 2:
            return position, None
        else:
            raise ValueError("a chunk is not followed by CRLF")


def _connect(
    url: str, timeout: float, tls_context: ssl.SSLContext | None = None
) -> tuple[socket.socket, str]:
    parts = urlsplit(url)
    host = _ascii_host(parts.hostname or "", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = f"{host}:{port}"
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as error:
        raise CaptureError(
            f"cannot capture {url}: the host name {host} could not be resolved "
            f"(DNS: {error.strerror or error}); check the URL and the network"
        ) from error
    except ConnectionRefusedError as error:
        raise CaptureError(
            f"cannot capture {url}: the connection to {where} was refused "
            "(nothing is listening there)"
        ) from error
    except TimeoutError as error:
        raise CaptureError(
            f"cannot capture {url}: connecting to {where} timed out after {timeout:g} s "
            "(raise --timeout or try later)"
        ) from error
    except OSError as error:
        raise CaptureError(
            f"cannot capture {url}: cannot connect to {where}: {error.strerror or error}"
        ) from error
    ip_address = str(sock.getpeername()[0])
    if parts.scheme == "https":
        context = tls_context or ssl.create_default_context()
        try:
            sock = context.wrap_socket(sock, server_hostname=host)
        except ssl.SSLCertVerificationError as error:
            sock.close()
            raise CaptureError(
                f"cannot capture {url}: TLS certificate verification failed "
                f"({error.verify_message or error}); warcite verifies certificates and "
                "archives nothing it could not authenticate"
            ) from error
        except (ssl.SSLError, OSError) as error:
            sock.close()
            raise CaptureError(
                f"cannot capture {url}: the TLS handshake failed ({error})"
            ) from error
    return sock, ip_address


def _fetch(
    url: str,
    *,
    limits: _Limits,
    clock: Callable[[], datetime],
    role: str,
    referer: str | None = None,
) -> _Exchange:
    """Send one GET and receive its response, exactly as on the wire."""
    accept = (
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        if role != "requisite"
        else "*/*"
    )
    request = _build_request(url, limits.user_agent, referer, accept)
    deadline = time.monotonic() + limits.timeout
    date = clock()
    sock, ip_address = _connect(url, limits.timeout, limits.tls_context)
    connected = clock()
    buffer = bytearray()
    truncated: str | None = None
    warnings: list[str] = []
    first_byte: datetime | None = None
    with sock:
        try:
            sock.sendall(request)
        except OSError as error:
            raise CaptureError(
                f"cannot capture {url}: sending the request failed: {error}"
            ) from error
        head_start = 0
        message: HttpMessage | None = None
        body_start = 0
        framing = "close"
        expected_length = 0
        chunk_position = 0
        message_end: int | None = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if message is None:
                    raise CaptureError(
                        f"cannot capture {url}: no complete response within {limits.timeout:g} s "
                        "(raise --timeout or try later)"
                    )
                truncated = "time"
                break
            sock.settimeout(remaining)
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError as error:
                if message is None:
                    raise CaptureError(
                        f"cannot capture {url}: the connection failed before a response "
                        f"arrived ({error})"
                    ) from error
                truncated = "disconnect"
                warnings.append(f"{url}: the connection failed mid-body ({error})")
                break
            if data and first_byte is None:
                first_byte = clock()
            if not data:
                if message is None:
                    if not buffer:
                        raise CaptureError(
                            f"cannot capture {url}: the server at {ip_address} closed the "
                            "connection without answering"
                        )
                    _check_http_start(url, bytes(buffer), final=True)
                    raise CaptureError(
                        f"cannot capture {url}: the server closed the connection in the middle "
                        "of the response headers"
                    )
                if framing != "close" and message_end is None:
                    truncated = "disconnect"
                    warnings.append(
                        f"{url}: the server closed the connection before the end of the body"
                    )
                break
            buffer += data
            while message is None:
                _check_http_start(url, bytes(buffer[head_start:]), final=False)
                match = _HEAD_END.search(buffer, head_start)
                if match is None:
                    if len(buffer) > MAX_HEAD_BYTES:
                        raise CaptureError(
                            f"cannot capture {url}: the response headers exceed "
                            f"{MAX_HEAD_BYTES} bytes; this is not a sane HTTP answer"
                        )
                    break
                head_end = match.end()
                parsed = parse_http_message(bytes(buffer[head_start:head_end]))
                if parsed.status is None:
                    raise CaptureError(
                        f"cannot capture {url}: the answer is not HTTP (status line "
                        f"{parsed.start_line[:80]!r})"
                    )
                if 100 <= parsed.status < 200 and parsed.status != 101:
                    head_start = head_end  # an interim response (103 Early Hints): kept, skipped
                    continue
                message = parsed
                body_start = head_end
                framing, expected_length = _framing(message)
                if framing == "none":
                    message_end = body_start
            if message is None:
                continue
            if message_end is None:
                if framing == "chunked":
                    try:
                        chunk_position, message_end = _chunked_end(
                            buffer, max(chunk_position, body_start)
                        )
                    except ValueError as error:
                        warnings.append(
                            f"{url}: malformed chunked framing ({error}); the bytes are kept "
                            "as received, read until the connection closed"
                        )
                        framing = "close"
                elif framing == "length" and len(buffer) - body_start >= expected_length:
                    message_end = body_start + expected_length
            received_end = message_end if message_end is not None else len(buffer)
            if received_end - body_start > limits.max_bytes:
                del buffer[body_start + limits.max_bytes :]
                truncated = "length"
                break
            if message_end is not None:
                del buffer[message_end:]
                break
    finished = clock()
    if message is None:  # pragma: no cover - every path above raises or sets it
        raise CaptureError(f"cannot capture {url}: no response")
    response = bytes(buffer)
    final_message = parse_http_message(response)
    timings = {
        "connect-ms": _ms(date, connected),
        "first-byte-ms": _ms(date, first_byte or finished),
        "total-ms": _ms(date, finished),
    }
    return _Exchange(
        url=url,
        date=date,
        ip_address=ip_address,
        request=request,
        response=response,
        message=final_message,
        truncated=truncated,
        timings=timings,
        role=role,
        warnings=warnings,
    )


def _check_http_start(url: str, data: bytes, *, final: bool) -> None:
    """Raise CaptureError as soon as the first bytes cannot begin an HTTP/1.x response."""
    prefix = b"HTTP/"
    probe = data[: len(prefix)]
    if not prefix.startswith(probe) or (final and len(data) < len(prefix)):
        shown = data[:60].decode("latin-1")
        raise CaptureError(
            f"cannot capture {url}: the server's answer is not HTTP (it began {shown!r})"
        )
    line_end = data.find(b"\n")
    if line_end >= 0 and not re.match(rb"HTTP/\d(?:\.\d)? \d{3}(?:[ \t]|\r?$)", data[:line_end]):
        shown = data[:line_end].decode("latin-1")[:80]
        raise CaptureError(
            f"cannot capture {url}: the server's answer is not HTTP (status line {shown!r})"
        )


def _framing(message: HttpMessage) -> tuple[str, int]:
    """How the response body ends: ("none"|"chunked"|"length"|"close", expected length)."""
    status = message.status or 0
    if 100 <= status < 200 or status in (204, 304):
        return "none", 0
    transfer = (message.header("Transfer-Encoding") or "").lower()
    if transfer:
        codings = [c.strip() for c in transfer.split(",")]
        return ("chunked", 0) if codings[-1] == "chunked" else ("close", 0)
    length = message.header("Content-Length")
    if length is not None:
        values = {v.strip() for v in length.split(",")}
        if len(values) == 1 and next(iter(values)).isdigit():
            return "length", int(next(iter(values)))
    return "close", 0


# --------------------------------------------------------------------------- requisites

MAX_CSS_IMPORT_DEPTH = 3
"""How many ``@import`` steps deep warcite follows stylesheets (page stylesheets are 0)."""

_CSS_WHITESPACE = " \t\n\r\f"
_CSS_NAME_CHAR = re.compile(r"[A-Za-z0-9_\-\u0080-\U0010ffff]")
_CSS_NAME_START = re.compile(r"[A-Za-z_\-\u0080-\U0010ffff]|\\[^\n\r\f]", re.DOTALL)
_CSS_HEX = re.compile(r"[0-9A-Fa-f]{1,6}")
_CSS_CHARSET_RULE = re.compile(rb'@charset "([A-Za-z0-9._:\-]{1,40})";')
_CHARSET_PARAMETER = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)


class CssReference(NamedTuple):
    """One resource a stylesheet names: its URL, and whether ``@import`` names it.

    ``url`` is as written (escapes undone) from :func:`scan_css_references`, absolute
    from :func:`find_css_references`.
    """

    url: str
    is_import: bool


def _css_escape(css: str, index: int) -> tuple[str, int]:
    """The character a CSS escape at ``css[index] == '\\'`` stands for, and where it ends."""
    index += 1
    if index >= len(css):
        return "\ufffd", index
    digits = _CSS_HEX.match(css, index)
    if digits is None:
        return css[index], index + 1
    index = digits.end()
    if css.startswith("\r\n", index):
        index += 2
    elif index < len(css) and css[index] in _CSS_WHITESPACE:
        index += 1
    code_point = int(digits.group(), 16)
    if code_point == 0 or 0xD800 <= code_point <= 0xDFFF or code_point > 0x10FFFF:
        return "\ufffd", index
    return chr(code_point), index


def _css_name(css: str, index: int) -> tuple[str, int]:
    """An identifier (escapes undone) starting at ``index``, and where it ends."""
    name: list[str] = []
    while index < len(css):
        char = css[index]
        if _CSS_NAME_CHAR.match(char):
            name.append(char)
            index += 1
        elif char == "\\" and index + 1 < len(css) and css[index + 1] not in "\n\r\f":
            unescaped, index = _css_escape(css, index)
            name.append(unescaped)
        else:
            break
    return "".join(name), index


def _css_string(css: str, index: int) -> tuple[str | None, int]:
    """A quoted string at ``index`` (escapes undone), or None for a bad (unclosed) string."""
    quote_char = css[index]
    index += 1
    value: list[str] = []
    while index < len(css):
        char = css[index]
        if char == quote_char:
            return "".join(value), index + 1
        if char in "\n\r\f":  # a bad string: the line ends before the quote
            return None, index
        if char == "\\":
            following = css[index + 1 : index + 2]
            if following == "":
                index += 1
            elif following in "\n\r\f":  # an escaped newline continues the string
                index += 3 if css.startswith("\r\n", index + 1) else 2
            else:
                unescaped, index = _css_escape(css, index)
                value.append(unescaped)
            continue
        value.append(char)
        index += 1
    return "".join(value), index  # end of file closes the string


def _skip_css_whitespace(css: str, index: int) -> int:
    while index < len(css) and css[index] in _CSS_WHITESPACE:
        index += 1
    return index


def _skip_to_close_parenthesis(css: str, index: int) -> int:
    """Past the ``)`` that closes the current function (nested ones and strings skipped)."""
    depth = 1
    while index < len(css):
        char = css[index]
        if char == "\\":
            index += 2
            continue
        if char in "\"'":
            index = _css_string(css, index)[1]
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def _css_url(css: str, index: int) -> tuple[str | None, int]:
    """The URL of ``url(`` whose ``(`` ends just before ``index``; None for a bad URL."""
    index = _skip_css_whitespace(css, index)
    if index < len(css) and css[index] in "\"'":  # url("...") is a function with a string
        quoted, index = _css_string(css, index)
        return quoted, _skip_to_close_parenthesis(css, index)
    value: list[str] = []
    while index < len(css):
        char = css[index]
        if char == ")":
            return "".join(value), index + 1
        if char in _CSS_WHITESPACE:
            index = _skip_css_whitespace(css, index)
            if index >= len(css) or css[index] == ")":
                return "".join(value), index + 1
            break
        if char in "\"'(" or ord(char) < 0x20 or ord(char) == 0x7F:
            break
        if char == "\\":
            if css[index + 1 : index + 2] in ("\n", "\r", "\f"):
                break
            unescaped, index = _css_escape(css, index)
            value.append(unescaped)
            continue
        value.append(char)
        index += 1
    else:
        return "".join(value), index  # end of file closes the URL
    return None, _skip_to_close_parenthesis(css, index)  # a bad URL: skipped


def scan_css_references(css: str) -> list[CssReference]:
    """Every ``url(...)`` and ``@import`` target in a stylesheet, as written, in order.

    A small tokenizer after CSS Syntax Level 3: comments are skipped, quoted strings and
    escapes are undone, ``url(`` must be a whole identifier (so ``content: "url(x)"`` and
    ``my-url(x)`` name nothing), a bad string or bad URL names nothing.  ``@import`` takes
    a string or a ``url()``; its references have ``is_import`` set.  Nothing is resolved or
    filtered here: see :func:`find_css_references`.
    """
    references: list[CssReference] = []
    index = 0
    after_import = False  # the last token (comments and whitespace aside) was @import
    while index < len(css):
        char = css[index]
        if css.startswith("/*", index):
            end = css.find("*/", index + 2)
            index = len(css) if end < 0 else end + 2
            continue
        if char in _CSS_WHITESPACE:
            index += 1
            continue
        if char in "\"'":
            value, index = _css_string(css, index)
            if after_import and value is not None:
                references.append(CssReference(value, True))
            after_import = False
            continue
        if char == "@":
            name, index = _css_name(css, index + 1)
            after_import = name.lower() == "import"
            continue
        if _CSS_NAME_START.match(css, index):
            name, index = _css_name(css, index)
            if css.startswith("(", index) and name.lower() == "url":
                url_value, index = _css_url(css, index + 1)
                if url_value is not None:
                    references.append(CssReference(url_value, after_import))
            after_import = False
            continue
        index += 2 if char == "\\" else 1
        after_import = False
    return references


def _requisite_url(base_url: str, reference: str) -> str | None:
    """A reference resolved against ``base_url`` as warcite requests it, or None to skip it."""
    reference = reference.strip(_CSS_WHITESPACE)
    if not reference or reference.startswith("#"):
        return None
    try:
        if urlsplit(reference).scheme.lower() not in ("", "http", "https"):
            return None  # data:, javascript:, about:, ...
        absolute = urljoin(base_url, reference)
        if urlsplit(absolute).scheme.lower() not in ("http", "https"):
            return None
        return normalize_url(absolute)
    except (UsageError, ValueError):  # ValueError: unparseable, e.g. "http://[bad"
        return None


def find_css_references(css: str, base_url: str) -> list[CssReference]:
    """The http(s) resources a stylesheet references, absolute, in order, deduplicated.

    ``base_url`` is the stylesheet's own URL (a fetched stylesheet) or the document's base
    URL (an inline ``<style>`` or ``style=""``).  ``data:`` and other non-http(s) URLs,
    fragment-only references (``url(#gradient)``) and references inside comments are
    skipped; fragments are dropped.  A URL that is both imported and used otherwise is
    kept once, as an import (it is fetched as a stylesheet).
    """
    found: dict[str, bool] = {}
    for reference in scan_css_references(css):
        url = _requisite_url(base_url, reference.url)
        if url is not None:
            found[url] = found.get(url, False) or reference.is_import
    return [CssReference(url, is_import) for url, is_import in found.items()]


def _css_text(body: bytes, content_type: str | None) -> str:
    """A fetched stylesheet as text: BOM, then the Content-Type charset, then ``@charset``.

    Without any of them UTF-8 is tried, then latin-1 (which decodes any bytes and keeps
    the ASCII syntax of CSS intact, so references can still be found).
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    declared = _CHARSET_PARAMETER.search(content_type or "")
    charset = declared.group(1) if declared else None
    if charset is None:
        rule = _CSS_CHARSET_RULE.match(body)
        if rule is not None:
            charset = rule.group(1).decode("ascii")
            if charset.lower().startswith(("utf-16", "utf-32")):
                charset = "utf-8"  # CSS Syntax 3: @charset can only name an ASCII superset
    if charset is not None:
        try:
            return body.decode(charset, errors="replace")
        except (LookupError, UnicodeError, TypeError):
            pass  # an unknown or non-text charset: fall through
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in re.split(r",\s+|,(?=\S+\s+\d)", value.strip()):
        token = candidate.strip().split()
        if token:
            urls.append(token[0].rstrip(","))
    return urls


@dataclass(frozen=True)
class _Requisite:
    """A requisite to fetch: what names it, and whether to read it as a stylesheet."""

    url: str
    referer: str
    stylesheet: bool  # named by <link rel=stylesheet> or @import
    import_depth: int  # @import steps from the page (a page's own stylesheets are 0)


def _html_requisites(html: bytes, base_url: str) -> list[_Requisite]:
    """The requisites an HTML document names (see :func:`find_requisites`)."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True)
    try:
        document = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for element in document.iter("base"):
        href = element.get("href")
        if href:
            with contextlib.suppress(ValueError):  # an unparseable <base> is ignored
                base = urljoin(base_url, href.strip())
            break
    found: dict[str, _Requisite] = {}

    def add(url: str, *, stylesheet: bool = False, import_depth: int = 0) -> None:
        if url not in found:
            found[url] = _Requisite(url, base_url, stylesheet, import_depth)

    has_icon = False
    for element in document.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        candidates: list[str] = []
        stylesheet = False
        if tag == "link":
            rel = (element.get("rel") or "").lower().split()
            if "stylesheet" in rel or any("icon" in token for token in rel):
                if any("icon" in token for token in rel):
                    has_icon = True
                stylesheet = "stylesheet" in rel
                candidates.append(element.get("href") or "")
        elif tag in ("img", "source"):
            candidates.append(element.get("src") or "")
            candidates.extend(_srcset_urls(element.get("srcset") or ""))
        elif tag == "script" or (tag == "input" and (element.get("type") or "").lower() == "image"):
            candidates.append(element.get("src") or "")
        for candidate in candidates:
            candidate = candidate.strip()
            if not candidate or candidate.startswith(("data:", "javascript:", "#")):
                continue
            try:
                absolute = urljoin(base, candidate).split("#", 1)[0]
                scheme = urlsplit(absolute).scheme
            except ValueError:  # unparseable, e.g. "http://[bad": not a requisite
                continue
            if scheme in ("http", "https"):
                add(absolute, stylesheet=stylesheet)
        inline_css: list[str] = []
        if tag == "style" and (element.get("type") or "text/css").strip().lower() == "text/css":
            inline_css.append(element.text or "")
        if element.get("style"):
            inline_css.append(element.get("style") or "")
        for css in inline_css:
            for reference in find_css_references(css, base):
                add(
                    reference.url,
                    stylesheet=reference.is_import,
                    import_depth=1 if reference.is_import else 0,
                )
    if not has_icon:
        add(urljoin(base_url, "/favicon.ico"))
    page = base_url.split("#", 1)[0]
    return [requisite for url, requisite in found.items() if url != page]


def find_requisites(html: bytes, base_url: str) -> list[str]:
    """The page requisites an HTML document names, absolute, in document order, deduplicated.

    Stylesheets and icons (``<link rel>``), images (``src`` and ``srcset`` of ``<img>``
    and ``<source>``), scripts, and what inline ``<style>`` blocks and ``style=""``
    attributes reference (``url()``, ``@import``, see :func:`find_css_references`);
    ``<base href>`` is honoured; only http(s) URLs are kept.  The favicon at
    ``/favicon.ico`` is added when the page declares none.  What fetched stylesheets
    reference is found during the capture, by :func:`capture`.
    """
    return [requisite.url for requisite in _html_requisites(html, base_url)]


def _is_stylesheet_response(requisite: _Requisite, message: HttpMessage) -> bool:
    media_type = (message.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media_type == "text/css" or (requisite.stylesheet and not media_type)


def _fetch_requisites(
    page: _Exchange,
    html: bytes,
    *,
    limits: _Limits,
    clock: Callable[[], datetime],
    max_requisites: int,
    max_redirects: int,
    already_fetched: Sequence[str],
) -> tuple[list[_Exchange], list[str], list[str]]:
    """Fetch the page's requisites and what its stylesheets reference, breadth first.

    Returns the exchanges, the metadata record's ``requisite`` lines and the warnings.
    At most ``max_requisites`` URLs are fetched (each with its redirect hops); a URL is
    queued once; a stylesheet's references are fetched with the stylesheet's URL as
    ``Referer`` and ``@import`` is followed :data:`MAX_CSS_IMPORT_DEPTH` steps deep.
    """
    exchanges: list[_Exchange] = []
    lines: list[str] = []
    warnings: list[str] = []
    queue = deque(_html_requisites(html, page.url))
    seen = {*already_fetched, *(requisite.url for requisite in queue)}
    fetched_count = 0
    while queue:
        if fetched_count >= max_requisites:
            warnings.append(
                f"{len(queue)} requisite(s) not archived: the limit of {max_requisites} "
                f"requisites was reached (first not archived: {queue[0].url})"
            )
            break
        requisite = queue.popleft()
        fetched_count += 1
        hop_url = requisite.url
        try:
            for _hop in range(max_redirects + 1):
                fetched = _fetch(
                    hop_url,
                    limits=limits,
                    clock=clock,
                    role="requisite",
                    referer=requisite.referer,
                )
                exchanges.append(fetched)
                seen.add(hop_url)
                warnings.extend(fetched.warnings)
                hop_status = fetched.message.status or 0
                hop_location = fetched.message.header("Location")
                if hop_status in REDIRECT_STATUSES and hop_location:
                    lines.append(f"{hop_status} {hop_url}")
                    hop_url = normalize_url(urljoin(hop_url, hop_location.strip()))
                    continue
                lines.append(f"{hop_status} {hop_url}")
                if 200 <= hop_status < 300 and _is_stylesheet_response(requisite, fetched.message):
                    for reference in _stylesheet_references(fetched, hop_url, warnings):
                        if reference.url in seen:
                            continue
                        depth = requisite.import_depth + (1 if reference.is_import else 0)
                        if reference.is_import and depth > MAX_CSS_IMPORT_DEPTH:
                            warnings.append(
                                f"stylesheet {reference.url} not archived: imported more than "
                                f"{MAX_CSS_IMPORT_DEPTH} @import steps deep (from {hop_url})"
                            )
                            continue
                        seen.add(reference.url)
                        queue.append(_Requisite(reference.url, hop_url, reference.is_import, depth))
                break
        except (CaptureError, UsageError, ValueError) as error:  # ValueError: bad Location
            warnings.append(f"requisite {hop_url} not archived: {error}")
            lines.append(f"failed {hop_url}")
    return exchanges, lines, warnings


def _stylesheet_references(
    exchange: _Exchange, url: str, warnings: list[str]
) -> list[CssReference]:
    """What a fetched stylesheet references (resolved against ``url``, its final URL)."""
    try:
        body = decode_content(_entity(exchange), exchange.message.header("Content-Encoding"))
    except (ValueError, OSError, WarcReadError) as error:
        warnings.append(f"stylesheet {url}: references not followed, body not decodable ({error})")
        return []
    return find_css_references(_css_text(body, exchange.message.header("Content-Type")), url)


# --------------------------------------------------------------------------- capture


def capture(
    url: str,
    *,
    archive_dir: str | Path,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    user_agent: str | None = None,
    requisites: bool = True,
    keep_errors: bool = False,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    max_requisites: int = DEFAULT_MAX_REQUISITES,
    slug: str | None = None,
    clock: Clock | None = None,
    new_record_id: RecordIdFactory | None = None,
    hostname: str | None = None,
    tls_context: ssl.SSLContext | None = None,
) -> CaptureResult:
    """Capture a live http(s) page into a new WARC in ``archive_dir``.

    Redirects (301, 302, 303, 307, 308) are followed up to ``max_redirects``, each hop its
    own request/response pair.  With ``requisites``, the page's stylesheets, images,
    scripts and favicon are fetched too (with ``Referer``, same limits, at most
    ``max_requisites``), and so is what stylesheets reference (``url()`` and ``@import``
    in fetched stylesheets, inline ``<style>`` and ``style=""``; a fetched stylesheet is
    the ``Referer`` of what it names; ``@import`` is followed
    :data:`MAX_CSS_IMPORT_DEPTH` steps deep); a requisite that fails is reported, not fatal.  ``timeout`` bounds
    each transfer and ``max_bytes`` each body: a body cut by either is kept, marked with
    ``WARC-Truncated``.

    ``tls_context`` replaces the system's default trust (for example an institution's own
    CA bundle); it must still verify certificates and host names.  ``clock``,
    ``new_record_id`` and ``hostname`` (of the warcinfo record) are injectable for tests.

    Raises CaptureError (nothing written) for DNS failure, refused connection, timeout
    before a response, TLS failure, a non-HTTP answer, too many redirects, or a final
    status >= 400 unless ``keep_errors``; UsageError for a URL that is not http(s);
    ArchiveExistsError when the target file exists.
    """
    if timeout <= 0 or max_bytes <= 0 or max_redirects < 0 or max_requisites < 0:
        raise UsageError("timeout and max_bytes must be positive; limits cannot be negative")
    context = _context(archive_dir, clock, new_record_id, hostname)
    requested = normalize_url(url)
    if slug:
        check_slug(slug)
    agent = user_agent or DEFAULT_USER_AGENT
    if tls_context is not None and (
        tls_context.verify_mode != ssl.CERT_REQUIRED or not tls_context.check_hostname
    ):
        raise UsageError(
            "the TLS context must verify certificates and host names: warcite archives "
            "nothing it could not authenticate"
        )
    limits = _Limits(
        timeout=timeout, max_bytes=max_bytes, user_agent=agent, tls_context=tls_context
    )

    def now() -> datetime:
        return _now(context)

    started = now()
    exchanges: list[_Exchange] = []
    redirects: list[str] = []
    redirect_lines: list[str] = []
    current = requested
    while True:
        exchange = _fetch(current, limits=limits, clock=now, role="page")
        exchanges.append(exchange)
        status = exchange.message.status or 0
        location = exchange.message.header("Location")
        if status in REDIRECT_STATUSES and location:
            target = normalize_url(urljoin(current, location.strip()))
            if len(redirects) >= max_redirects:
                raise CaptureError(
                    f"cannot capture {requested}: more than {max_redirects} redirects "
                    f"(last: {current} -> {target}); nothing archived"
                )
            exchange.role = "redirect"
            redirect_lines.append(f"{status} {current} -> {target}")
            redirects.append(current)
            current = target
            continue
        break
    page = exchanges[-1]
    final_status = page.message.status or 0
    if final_status >= 400 and not keep_errors:
        raise CaptureError(
            f"cannot capture {requested}: "
            + ("the server" if page.url == requested else f"{page.url} (after redirects)")
            + f" answered {page.message.start_line.split(' ', 1)[-1]}; nothing archived "
            "(use --keep-errors to archive error pages)"
        )
    warnings = [warning for exchange in exchanges for warning in exchange.warnings]

    requisite_lines: list[str] = []
    if requisites and _is_html(page.message):
        try:
            html = decode_content(_entity(page), page.message.header("Content-Encoding"))
        except (ValueError, OSError) as error:
            html = b""
            warnings.append(f"{page.url}: requisites not fetched, body not decodable ({error})")
        fetched, requisite_lines, requisite_warnings = _fetch_requisites(
            page,
            html,
            limits=limits,
            clock=now,
            max_requisites=max_requisites,
            max_redirects=max_redirects,
            already_fetched=[exchange.url for exchange in exchanges],
        )
        exchanges.extend(fetched)
        warnings.extend(requisite_warnings)

    memento = _memento_of(page, requested)
    method = "import-memento" if memento else "http-capture"
    slug = slug or default_slug(memento.original_uri if memento else requested)
    file_name = warc_file_name(slug, started)
    finished = now()

    info_id = context.new_record_id()
    records: list[_Record] = [
        _warcinfo(
            info_id,
            warc_date(started),
            file_name,
            context.hostname,
            user_agent=agent,
            description=f"warcite capture of {requested}",
        )
    ]
    response_ids: dict[int, str] = {}
    for index, exchange in enumerate(exchanges):
        request_id = context.new_record_id()
        response_id = context.new_record_id()
        response_ids[index] = response_id
        date = warc_date(exchange.date)
        common = [("WARC-Warcinfo-ID", info_id), ("WARC-IP-Address", exchange.ip_address)]
        records.append(
            _Record(
                "request",
                request_id,
                date,
                exchange.url,
                "application/http; msgtype=request",
                exchange.request,
                [*common, ("WARC-Concurrent-To", response_id)],
            )
        )
        response_extra = [*common, ("WARC-Concurrent-To", request_id)]
        if exchange.truncated:
            response_extra.append(("WARC-Truncated", exchange.truncated))
        records.append(
            _Record(
                "response",
                response_id,
                date,
                exchange.url,
                "application/http; msgtype=response",
                exchange.response,
                response_extra,
            )
        )
    page_index = exchanges.index(page)
    main_id = response_ids[page_index]
    content_type = page.message.header("Content-Type")
    if page.truncated:
        outcome = f"truncated ({page.truncated})"
    elif final_status >= 400:
        outcome = f"HTTP error {final_status} archived at the user's request (--keep-errors)"
    else:
        outcome = "complete"
    if memento:
        description = (
            f"Live capture of a web archive's memento: {page.url} is an archived copy of "
            f"{memento.original_uri} made at {memento.datetime}; the bytes come from that "
            "archive, not from the original site."
        )
    else:
        description = f"Live HTTP capture of {requested} by warcite {__version__}."
    fields: list[tuple[str, str | int | None]] = [
        ("method", method),
        ("source-description", description),
        ("requested-uri", requested),
    ]
    fields.extend(("redirect", line) for line in redirect_lines)
    fields.extend(
        [
            ("final-uri", page.url),
            ("http-status", final_status),
            ("content-type", content_type),
            ("started-at", warc_date(started)),
            ("finished-at", warc_date(finished)),
            ("duration-ms", _ms(started, finished)),
        ]
    )
    fields.extend(
        (
            "timing",
            f"{exchange.role} {exchange.url} "
            + " ".join(f"{k}={v}" for k, v in exchange.timings.items()),
        )
        for exchange in exchanges
    )
    fields.append(("outcome", outcome))
    fields.append(("truncated", page.truncated))
    if memento:
        fields.extend(
            [
                ("memento-original-uri", memento.original_uri),
                ("memento-datetime", memento.datetime),
                ("memento-source", memento.source),
            ]
        )
    fields.extend(("requisite", line) for line in requisite_lines)
    fields.append(("user-agent", agent))
    fields.extend(("warning", warning) for warning in warnings)
    records.append(
        _Record(
            "metadata",
            context.new_record_id(),
            warc_date(finished),
            page.url,
            "application/warc-fields",
            _fields_block(fields),
            [("WARC-Refers-To", main_id), ("WARC-Warcinfo-ID", info_id)],
        )
    )
    written, infos = _write_archive(context.archive_dir, file_name, records)
    truncated = page.truncated
    return CaptureResult(
        path=written,
        method=method,
        records=tuple(infos),
        main_record_id=main_id,
        target_uri=requested,
        final_uri=page.url,
        status=final_status,
        content_type=content_type,
        truncated=truncated,
        memento=memento,
        started_at=started,
        user_agent=agent,
        redirects=tuple(redirects),
        warnings=tuple(warnings),
    )


def _entity(exchange: _Exchange) -> bytes:
    from warcite.warc import entity_body

    return entity_body(exchange.message)[0]


def _is_html(message: HttpMessage) -> bool:
    media_type = (message.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media_type in ("text/html", "application/xhtml+xml")


def _memento_of(page: _Exchange, requested: str) -> Memento | None:
    return (
        memento_from_headers(page.message.headers, page.url)
        or memento_from_wayback_url(page.url)
        or memento_from_wayback_url(requested)
    )


def capture_summary(result: CaptureResult) -> dict[str, Any]:
    """The plain JSON summary of a CaptureResult (``warcite capture/import --format json``)."""
    memento = result.memento
    return {
        "file": str(result.path),
        "method": result.method,
        "records": [
            {
                "record_id": info.record_id,
                "type": info.record_type,
                "target_uri": info.target_uri,
                "date": info.date,
                "offset": info.offset,
                "length": info.length,
                "payload_digest": info.payload_digest,
            }
            for info in result.records
        ],
        "main_record_id": result.main_record_id,
        "url": result.target_uri,
        "final_url": result.final_uri,
        "redirects": list(result.redirects),
        "status": result.status,
        "content_type": result.content_type,
        "truncated": result.truncated,
        "memento": (
            None
            if memento is None
            else {
                "original_uri": memento.original_uri,
                "datetime": memento.datetime,
                "source": memento.source,
            }
        ),
        "user_agent": result.user_agent,
        "warnings": list(result.warnings),
    }


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "MAX_CSS_IMPORT_DEPTH",
    "CssReference",
    "capture",
    "capture_summary",
    "find_css_references",
    "find_requisites",
    "import_file",
    "new_uuid_record_id",
    "normalize_url",
    "scan_css_references",
    "utc_now",
    "warc_date",
]

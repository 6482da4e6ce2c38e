"""The page of a WARC: which record holds the archived page, its payload decoded for
extraction, and the memento it was imported from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timezone
from pathlib import Path

from warcite.core.codings import (
    DEFAULT_DECODED_LIMIT,
)
from warcite.core.errors import WarcReadError
from warcite.core.models import ArchivedPage, Memento
from warcite.core.warc.http import HttpMessage, entity_body, parse_http_message
from warcite.core.warc.records import (
    MAX_BLOCK_BYTES,
    SCAN_BLOCK_BYTES,
    SCAN_BUDGET_BYTES,
    SCAN_PREFIX_BYTES,
    BlockPolicy,
    WarcRecord,
    exact_target_uri,
    find_revisited,
    read_record_at,
    read_records,
)

TEXT_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
"""Media types warcite extracts articles from."""

DOCUMENT_MEDIA_TYPES = frozenset({"application/pdf", "application/x-pdf"})
"""Paged documents warcite extracts text from, page by page (warcite.extract.pdf)."""


def is_document(media_type: str, body: bytes) -> bool:
    """A PDF: declared so, or undeclared (octet-stream) with the ``%PDF-`` signature."""
    if media_type in DOCUMENT_MEDIA_TYPES:
        return True
    return media_type in ("", "application/octet-stream") and body.lstrip()[:5] == b"%PDF-"


WAYBACK_URL = re.compile(
    r"^https?://[^/]+(?:/[^/]+)*?/web/(?P<timestamp>\d{14})(?P<modifier>[a-z]{2}_)?/(?P<original>.+)$"
)
"""A Wayback-style memento URL: ``.../web/<14 digits>[id_]/<original URL>``."""


# --------------------------------------------------------------------------- pages


def parse_warc_fields(block: bytes) -> tuple[tuple[str, str], ...]:
    """The ``name: value`` lines of an application/warc-fields block, in order (UTF-8)."""
    fields: list[tuple[str, str]] = []
    for line in block.decode("utf-8", errors="replace").splitlines():
        name, separator, value = line.partition(":")
        if separator and name.strip():
            fields.append((name.strip(), value.strip()))
    return tuple(fields)


def _field(fields: Sequence[tuple[str, str]], name: str) -> str | None:
    for key, value in fields:
        if key.lower() == name:
            return value
    return None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def memento_from_wayback_url(url: str) -> Memento | None:
    """The Memento a Wayback-style URL names (``.../web/<14 digits>[id_]/<URL>``), if any."""
    match = WAYBACK_URL.match(url)
    if match is None:
        return None
    original = match.group("original")
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", original):
        original = "http://" + original
    original = re.sub(r"^(https?):/(?!/)", r"\1://", original)  # "/web/.../https:/host" forms
    stamp = match.group("timestamp")
    when = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}Z"
    return Memento(original_uri=original, datetime=when, source="wayback-url")


def memento_from_headers(
    headers: Sequence[tuple[str, str]], fallback_url: str | None = None
) -> Memento | None:
    """The Memento (RFC 7089) a response's headers declare: ``Memento-Datetime`` plus
    ``Link: <URI-R>; rel="original"`` (the URI-R falls back to the Wayback URL's)."""
    stamp = _field(headers, "memento-datetime")
    if not stamp:
        return None
    from email.utils import parsedate_to_datetime  # rarely needed: not at start-up

    try:
        when = parsedate_to_datetime(stamp)
    except (TypeError, ValueError):
        return None
    original: str | None = None
    for key, value in headers:
        if key.lower() != "link":
            continue
        for match in re.finditer(r"<([^>]*)>\s*((?:;\s*[^,;]+)*)", value):
            if re.search(r"""rel\s*=\s*"?[^";,]*\boriginal\b""", match.group(2), re.IGNORECASE):
                original = match.group(1)
                break
        if original:
            break
    if original is None and fallback_url:
        from_url = memento_from_wayback_url(fallback_url)
        original = from_url.original_uri if from_url else None
    if original is None:
        return None
    when = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return Memento(
        original_uri=original,
        datetime=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        source="memento-datetime-header",
    )


def _summary(records: Sequence[WarcRecord]) -> str:
    counts: dict[str, int] = {}
    for record in records:
        counts[record.info.record_type or "?"] = counts.get(record.info.record_type or "?", 0) + 1
    if not counts:
        return "no records"
    return ", ".join(f"{count} {kind}" for kind, count in counts.items())


def _page_media_type(record: WarcRecord) -> tuple[str | None, HttpMessage | None]:
    """Content-Type of a response's HTTP message or of a resource record, and the message."""
    if record.info.record_type == "response":
        try:
            message = parse_http_message(record.block)
        except ValueError:
            return None, None
        return message.header("Content-Type"), message
    return record.header("Content-Type"), None


def _looks_textual(data: bytes) -> bool:
    return b"\0" not in data[:4096]


def _is_page_candidate(record: WarcRecord) -> bool:
    if record.info.record_type not in ("response", "resource"):
        return False
    content_type, message = _page_media_type(record)
    if record.info.record_type == "response" and (
        message is None or message.status is None or 300 <= message.status < 400
    ):
        return False
    media_type = _media_type(content_type)
    return media_type in TEXT_MEDIA_TYPES or media_type in DOCUMENT_MEDIA_TYPES


def read_page(
    path: str | Path,
    record_id: str | None = None,
    *,
    max_block_bytes: int | None = MAX_BLOCK_BYTES,
    max_body_bytes: int = DEFAULT_DECODED_LIMIT,
) -> ArchivedPage:
    """The page a WARC holds, ready for extraction.

    By default the capture's page record: the response or resource record its warcite
    metadata record refers to (the final response after redirects, not a requisite); for
    WARCs written by other tools, the first HTML or text response (not a redirect) or
    resource.  ``record_id`` (``<urn:uuid:...>``, angle brackets optional) picks another.

    The body is the entity body with the transfer-coding removed and the content-coding
    kept.  Raises WarcReadError naming the file and what it holds when there is no such
    record, or when the record is not HTML or text.

    Memory stays bounded whatever the file holds: other records' blocks are only looked
    into (headers, small metadata), the page record's block is read whole only up to
    ``max_block_bytes`` (:data:`MAX_BLOCK_BYTES`), and a transfer-coding (gzip, deflate)
    is undone to at most ``max_body_bytes`` (64 MiB); past either limit, a WarcReadError.
    """
    path = Path(path)
    scan_limit = SCAN_BLOCK_BYTES
    if max_block_bytes is not None:
        scan_limit = min(scan_limit, max_block_bytes)
    records = list(
        read_records(
            path,
            BlockPolicy(scan_limit, prefix=SCAN_PREFIX_BYTES, budget=SCAN_BUDGET_BYTES),
        )
    )
    by_id = {record.info.record_id: record for record in records}
    metadata_for: dict[str, WarcRecord] = {}
    for record in records:
        refers_to = record.header("WARC-Refers-To")
        if record.info.record_type == "metadata" and refers_to:
            metadata_for[refers_to] = record

    if record_id is not None:
        wanted = record_id if record_id.startswith("<") else f"<{record_id}>"
        chosen = by_id.get(wanted)
        if chosen is None:
            raise WarcReadError(
                f"{path} has no record {wanted}; it holds {_summary(records)} "
                "(list them with warcio index)"
            )
        if chosen.info.record_type not in ("response", "resource", "revisit"):
            raise WarcReadError(
                f"{path}: record {wanted} is a {chosen.info.record_type} record; "
                "a page is a response, resource or revisit record"
            )
    else:
        chosen = None
        for record in reversed(records):
            refers_to = record.header("WARC-Refers-To")
            fields = (
                parse_warc_fields(record.block) if record.info.record_type == "metadata" else ()
            )
            if refers_to and _field(fields, "method") and refers_to in by_id:
                chosen = by_id[refers_to]
                break
        if chosen is None:
            chosen = next((record for record in records if _is_page_candidate(record)), None)
        if chosen is None:
            raise WarcReadError(
                f"{path} holds no HTML or text page, nor a PDF ({_summary(records)}); "
                "warcite extracts from a response or resource record of type text/html, "
                "text/plain or application/pdf"
            )

    if not chosen.block_complete:  # only its first bytes were kept: read it whole now
        whole = read_record_at(path, chosen.info.offset, max_block_bytes=max_block_bytes)
        chosen = WarcRecord(chosen.info, whole.headers, whole.block, whole.protocol)
    content = (
        chosen  # a revisit's payload is in the response it refers to (warcite.collection.revisit)
    )
    if chosen.info.record_type == "revisit":
        content = find_revisited(path, chosen)
        if not content.block_complete:
            whole = read_record_at(path, content.info.offset, max_block_bytes=max_block_bytes)
            content = WarcRecord(content.info, whole.headers, whole.block, whole.protocol)
    content_type, message = _page_media_type(content)
    if content.info.record_type == "response":
        if message is None:
            raise WarcReadError(
                f"{path}: response record {content.info.record_id} does not hold an HTTP message"
            )
        try:
            body, _complete = entity_body(message, limit=max_body_bytes)
        except WarcReadError as error:
            raise WarcReadError(f"{path}: record {content.info.record_id}: {error}") from error
        http_headers = message.headers
        status = message.status
        if content is not chosen:  # this capture's own HTTP head, the earlier payload
            head = parse_http_message(chosen.block)
            http_headers, status = head.headers, head.status
    else:
        body = chosen.block
        http_headers = ()
        status = None

    media_type = _media_type(content_type)
    if (
        media_type not in TEXT_MEDIA_TYPES
        and not (not media_type and _looks_textual(body))
        and not is_document(media_type, body)
    ):
        raise WarcReadError(
            f"{path}: record {chosen.info.record_id} ({chosen.info.record_type}, "
            f"{content_type or 'no Content-Type'}) is not HTML or text; the file holds "
            f"{_summary(records)}"
        )

    metadata_record = metadata_for.get(chosen.info.record_id)
    fields = parse_warc_fields(metadata_record.block) if metadata_record else ()
    target = exact_target_uri(path, chosen.info) or ""
    method = _field(fields, "method")
    if method is None:
        if chosen.info.record_type == "response":
            method = "http-capture"
        elif target.startswith("urn:transcript:") or media_type == "text/plain":
            method = "import-transcript"
        elif is_document(media_type, body):
            method = "import-document"
        else:
            method = "import-html"

    memento: Memento | None = None
    original = _field(fields, "memento-original-uri")
    when = _field(fields, "memento-datetime")
    if original and when:
        memento = Memento(original, when, _field(fields, "memento-source") or "metadata")
    elif chosen.info.record_type == "response":
        memento = memento_from_headers(http_headers, target) or memento_from_wayback_url(target)

    url = _field(fields, "original-uri")
    if url is None and memento is not None:
        url = memento.original_uri
    if url is None and chosen.info.record_type == "response" and re.match(r"^https?://", target):
        url = target
    if url is None:
        stripped = re.sub(r"^urn:[a-z0-9-]+:", "", target, flags=re.IGNORECASE)
        url = stripped if re.match(r"^https?://", stripped) else None

    return ArchivedPage(
        warc_path=path,
        record_id=chosen.info.record_id,
        record_type=chosen.info.record_type,
        target_uri=target,
        url=url,
        warc_date=chosen.info.date,
        offset=chosen.info.offset,
        length=chosen.info.length,
        http_status=status,
        headers=http_headers,
        content_type=content_type,
        body=body,
        payload_digest=chosen.header("WARC-Payload-Digest"),
        method=method,
        memento=memento,
        source_metadata=fields,
        # a revisit's block is cut before its duplicate payload (WARC 1.1 section 6.7.2):
        # the page is as complete as the response it refers to
        truncated=content.header("WARC-Truncated")
        if content is not chosen
        else chosen.header("WARC-Truncated"),
    )

"""Reading records back out of WARC files, and the digest convention warcite writes.

The other stages never open a WARC themselves; they call:

- :func:`iter_record_infos` where each record sits (offset, length) and what it is;
- :func:`read_page` the page record of a capture, as an :class:`~warcite.models.ArchivedPage`;
- :func:`read_record_at` / :func:`verify_record` one record at a known offset, for fixity checks;
- :func:`compute_payload_digest` / :func:`compute_block_digest` the one implementation of
  warcite's digest convention, shared by capture, import and validate.

Digest convention (stated in every warcinfo record warcite writes): ``sha256`` in lowercase
base16, labelled ``sha256:<64 hex digits>``.  ``WARC-Block-Digest`` covers the whole record
block.  ``WARC-Payload-Digest`` (request, response and resource records only) covers the
payload as WARC 1.1 sections 5.9 and 6.3.2 define it: for HTTP messages the entity body with
the transfer-coding removed (chunked framing undone) and the content-coding kept (gzip bytes
stay gzip bytes); for resource records the whole block.  warcio computes payload digests
over the still-chunked bytes (warcio issue #74), so ``warcio check`` reports warcite's
correct digest of a chunked response as failed.

Reading accepts any WARC 1.0/1.1 file, gzipped per record or not; digests written by other
tools are checked in whatever algorithm and encoding (base32, base16, base64) they use.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
import zlib
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import BinaryIO

from warcite.codings import (
    DEFAULT_DECODED_LIMIT,
    DecodedTooLarge,
    DecodingError,
    UnsupportedCoding,
    brotli_bounded,
    decode_codings,
    parse_codings,
)
from warcite.errors import RecordError, WarcReadError
from warcite.models import ArchivedPage, Memento, WarcRecordInfo
from warcite.project import open_regular_stream

DIGEST_ALGORITHM = "sha256"

PAYLOAD_DIGEST_TYPES = frozenset({"request", "response", "resource"})
"""Record types that carry a ``WARC-Payload-Digest`` (never warcinfo or metadata)."""

PAYLOAD_DIGEST_CONVENTION = (
    "WARC-Block-Digest and WARC-Payload-Digest are sha256 in lowercase base16 "
    "(sha256:<64 hex digits>). The payload digest covers the entity body with the "
    "transfer-coding removed (chunked framing undone) and the content-coding kept, as WARC 1.1 "
    "sections 5.9 and 6.3.2 define it; resource records: the whole block. warcio (issue #74) "
    "digests chunked bodies with their framing, so warcio check reports chunked responses as "
    "failed."
)

TEXT_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
"""Media types warcite extracts articles from."""

WAYBACK_URL = re.compile(
    r"^https?://[^/]+(?:/[^/]+)*?/web/(?P<timestamp>\d{14})(?P<modifier>[a-z]{2}_)?/(?P<original>.+)$"
)
"""A Wayback-style memento URL: ``.../web/<14 digits>[id_]/<original URL>``."""


# --------------------------------------------------------------------------- digests


def labelled_digest(data: bytes) -> str:
    """``sha256:<hex>`` of ``data``: the label and encoding warcite writes."""
    return f"{DIGEST_ALGORITHM}:{hashlib.sha256(data).hexdigest()}"


def digest_matches(labelled: str, data: bytes) -> bool:
    """Whether a labelled digest (any hashlib algorithm; base32, base16 or base64) is of ``data``.

    Raises ValueError when the label or the encoding cannot be understood.
    """
    algorithm, separator, value = labelled.strip().partition(":")
    if not separator or not value:
        raise ValueError(f"digest {labelled!r} has no 'algorithm:value' form")
    try:
        hasher = hashlib.new(algorithm.lower().replace("-", ""))
    except ValueError as error:
        raise ValueError(f"digest {labelled!r}: unknown algorithm {algorithm!r}") from error
    hasher.update(data)
    expected = hasher.digest()
    return _decode_digest_value(value, len(expected), labelled) == expected


def _decode_digest_value(value: str, size: int, labelled: str) -> bytes:
    """Decode a digest value written in base16, base32 or base64 (told apart by length)."""
    try:
        if len(value) == 2 * size and re.fullmatch(r"[0-9a-fA-F]+", value):
            return bytes.fromhex(value)
        unpadded = value.rstrip("=")
        if len(unpadded) == -(-size * 8 // 5) and re.fullmatch(r"[A-Za-z2-7]+", unpadded):
            return base64.b32decode(unpadded.upper() + "=" * (-len(unpadded) % 8))
        padded = unpadded + "=" * (-len(unpadded) % 4)
        if "-" in value or "_" in value:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(
            f"digest {labelled!r}: the value is not base16, base32 or base64"
        ) from error


def compute_block_digest(block: bytes) -> str:
    """The ``WARC-Block-Digest`` warcite writes for a record block."""
    return labelled_digest(block)


def payload_bytes(record_type: str, block: bytes) -> bytes | None:
    """The payload WARC 1.1 digests, or None for types without one (warcinfo, metadata, ...).

    HTTP messages: entity body with the transfer-coding removed and content-coding kept.
    A truncated chunked body yields the chunks that arrived.  Raises WarcReadError when an
    HTTP block has no end of headers or an unknown transfer-coding.
    """
    if record_type not in PAYLOAD_DIGEST_TYPES:
        return None
    if record_type == "resource":
        return block
    try:
        message = parse_http_message(block)
    except ValueError as error:
        raise WarcReadError(
            f"{record_type} record block is not an HTTP message: {error}"
        ) from error
    return entity_body(message)[0]


def record_payload(path: str | Path, record: WarcRecord) -> bytes | None:
    """The payload of a record read from ``path``: :func:`payload_bytes`, except for a
    ``revisit`` record, whose payload is that of the response it refers to (found and
    checked by warcite.revisit.find_revisited; WarcReadError when it cannot be)."""
    if record.info.record_type == "revisit":
        from warcite.revisit import find_revisited

        return payload_bytes("response", find_revisited(Path(path), record).block)
    return payload_bytes(record.info.record_type, record.block)


def compute_payload_digest(record_type: str, block: bytes) -> str | None:
    """The ``WARC-Payload-Digest`` warcite writes for a record, or None for types without one."""
    payload = payload_bytes(record_type, block)
    return None if payload is None else labelled_digest(payload)


# --------------------------------------------------------------------------- HTTP messages


def first_header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The first value of a header (case-insensitive name) in a list of pairs, or None."""
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


@dataclass(frozen=True)
class HttpMessage:
    """An HTTP/1.x request or response, split as it was on the wire.

    ``headers`` are decoded as ISO-8859-1 (every byte kept, never re-encoded when written);
    ``head`` is the raw start line and header block including the terminating empty line;
    ``body`` the raw bytes after it, framing and content-coding kept.
    """

    start_line: str
    headers: tuple[tuple[str, str], ...]
    head: bytes
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        return first_header(self.headers, name)

    def header_values(self, name: str) -> list[str]:
        """Every value of a header that may repeat, in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    @property
    def status(self) -> int | None:
        """The status code of a response, None for a request."""
        match = re.match(r"HTTP/\d+(?:\.\d+)?\s+(\d{3})", self.start_line)
        return int(match.group(1)) if match else None


_HEAD_END = re.compile(rb"\r?\n\r?\n")


def parse_http_message(data: bytes) -> HttpMessage:
    """Split raw HTTP/1.x bytes into start line, headers and raw body.

    Interim 1xx responses (other than 101) before the final response are skipped: their
    bytes stay in ``head``, the start line and headers are the final response's.
    Raises ValueError when the bytes hold no complete header block.
    """
    start = 0
    while True:
        match = _HEAD_END.search(data, start)
        if match is None:
            raise ValueError("no end of the HTTP header block (an empty line) was found")
        interim = re.match(rb"HTTP/\d+(?:\.\d+)?\s+1(?!01)\d\d\b", data[start : match.start()])
        if interim is None or match.end() >= len(data):
            break
        start = match.end()  # skip an interim 1xx response (e.g. 103 Early Hints)
    head = data[: match.end()]
    lines = re.split(rb"\r?\n", data[start : match.start()])
    start_line = lines[0].decode("iso-8859-1")
    headers: list[tuple[str, str]] = []
    for raw_line in lines[1:]:
        line = raw_line.decode("iso-8859-1")
        if line[:1] in (" ", "\t") and headers:  # obsolete line folding
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, separator, value = line.partition(":")
        if separator:
            headers.append((name.strip(), value.strip()))
    return HttpMessage(start_line, tuple(headers), head, data[match.end() :])


def dechunk(data: bytes) -> tuple[bytes, bool]:
    """Undo chunked transfer-coding; returns the data and whether the last chunk was seen.

    Tolerant of truncation: a body cut off mid-chunk gives the bytes that arrived.
    Chunk extensions and trailers are ignored.
    """
    output = bytearray()
    position = 0
    while True:
        line_end = data.find(b"\n", position)
        if line_end < 0:
            return bytes(output), False
        size_text = data[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return bytes(output), False
        position = line_end + 1
        if size == 0:
            return bytes(output), True
        output += data[position : position + size]
        if position + size > len(data):
            return bytes(output), False
        position += size
        if data[position : position + 2] == b"\r\n":
            position += 2
        elif data[position : position + 1] == b"\n":
            position += 1


def entity_body(message: HttpMessage, *, limit: int = DEFAULT_DECODED_LIMIT) -> tuple[bytes, bool]:
    """The entity body with every transfer-coding removed, content-coding kept.

    Returns the bytes and whether the body was complete as far as the framing tells.
    gzip and deflate transfer-codings are undone by the bounded decoder of
    :mod:`warcite.codings` (at most ``limit`` bytes out; a stream cut short gives the
    bytes that arrived).  Raises WarcReadError for a transfer-coding warcite cannot undo,
    corrupt data, or a body that decodes to more than ``limit`` bytes.
    """
    body = message.body
    complete = True
    codings = parse_codings(message.header_values("Transfer-Encoding"))
    for coding in reversed(codings):
        if coding == "chunked":
            body, complete = dechunk(body)
            continue
        try:
            body = decode_codings(body, [coding], limit=limit, strict=False, transfer=True)
        except UnsupportedCoding:
            raise WarcReadError(f"unsupported transfer-coding {coding!r}") from None
        except DecodingError as error:
            raise WarcReadError(f"transfer-coding {coding!r} cannot be undone: {error}") from error
    return body, complete


def _module_available(*names: str) -> bool:
    """Whether one of the modules imports here (not merely exists: a broken build fails)."""
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # ImportError, or a broken native extension
            continue
        return True
    return False


@functools.lru_cache(maxsize=1)
def available_content_codings() -> tuple[str, ...]:
    """Content-codings warcite can decode here: gzip, deflate, and br/zstd when installed.

    Capture advertises exactly these in ``Accept-Encoding`` (br needs ``brotli`` or
    ``brotlicffi``, zstd needs ``zstandard``: the ``compression`` extra).
    """
    codings = ["gzip", "deflate"]
    if _module_available("brotli", "brotlicffi") and brotli_bounded():
        codings.append("br")
    if _module_available("zstandard"):
        codings.append("zstd")
    return tuple(codings)


def decode_content(
    body: bytes, content_encoding: str | None, *, limit: int = DEFAULT_DECODED_LIMIT
) -> bytes:
    """Undo a Content-Encoding (gzip, deflate, br, zstd; stacked), at most ``limit`` bytes out.

    Decoding streams (:mod:`warcite.codings`): a decompression bomb stops at ``limit``
    without ever holding more.  A stream cut short gives the bytes that arrived.  Raises
    ValueError when a coding is unknown or not installed, the data is corrupt, or the
    decoded body would exceed ``limit``.
    """
    try:
        return decode_codings(body, parse_codings([content_encoding]), limit=limit, strict=False)
    except DecodedTooLarge as error:
        raise ValueError(
            f"the decoded body exceeds {limit} bytes ({error.coding} data; a decompression "
            "bomb, or a body far larger than a page)"
        ) from error
    except UnsupportedCoding as error:
        raise ValueError(
            f"content-coding {error.coding!r} cannot be decoded here: {error}"
        ) from error
    except DecodingError as error:
        raise ValueError(f"content-coding: corrupt data ({error})") from error


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class WarcRecord:
    """One record read from a WARC: its place, its WARC headers in order, and its block."""

    info: WarcRecordInfo
    headers: tuple[tuple[str, str], ...]
    block: bytes
    protocol: str = "WARC/1.1"  # the record's version line, e.g. WARC/1.0
    #: False when only the first bytes of the block were kept (see :func:`iter_records`).
    block_complete: bool = True

    def header(self, name: str) -> str | None:
        """The first WARC header of that name (case-insensitive), or None."""
        return first_header(self.headers, name)


def _info(headers: Sequence[tuple[str, str]], offset: int, length: int) -> WarcRecordInfo:
    lookup = {key.lower(): value for key, value in reversed(list(headers))}
    return WarcRecordInfo(
        record_id=lookup.get("warc-record-id", ""),
        record_type=lookup.get("warc-type", ""),
        target_uri=lookup.get("warc-target-uri"),
        date=lookup.get("warc-date", ""),
        offset=offset,
        length=length,
        content_type=lookup.get("content-type"),
        payload_digest=lookup.get("warc-payload-digest"),
        block_digest=lookup.get("warc-block-digest"),
    )


#: The most bytes of one record block warcite holds in memory (128 MiB; capture writes at
#: most 50 MB of body per response).  Larger blocks (or a gzip member that inflates
#: without end) are refused with a clear error instead of exhausting memory.
MAX_BLOCK_BYTES = 128 * 1024 * 1024

#: While looking for the page record, the most bytes kept of a block that is not needed
#: whole (enough for any HTTP header block capture accepts), ...
_SCAN_PREFIX_BYTES = 256 * 1024
#: ... the largest block kept whole (metadata and warcinfo records are small), ...
_SCAN_BLOCK_BYTES = 1024 * 1024
#: ... and the most bytes kept over the whole file: past it, blocks are only counted.
_SCAN_BUDGET_BYTES = 32 * 1024 * 1024

_READ_BYTES = 1 << 16


@dataclass
class _BlockPolicy:
    """How much of each block ``_iterate`` keeps.

    ``limit``: blocks up to this size are kept whole (None: no limit); ``prefix``: of a
    larger block, the first bytes kept (None: a larger block is an error);
    ``budget``: the most bytes kept over the whole iteration (None: no budget).
    """

    limit: int | None
    prefix: int | None = None
    budget: int | None = None


def _read_block(stream: BinaryIO, policy: _BlockPolicy, describe: str) -> tuple[bytes, int, bool]:
    """Read a record's block to its end: (bytes kept, byte count, whether kept whole).

    Never holds more than the policy allows, whatever the record declares or inflates to.
    """
    limit = policy.limit
    if policy.budget is not None:
        limit = policy.budget if limit is None else min(limit, policy.budget)
    pieces: list[bytes] = []
    count = 0
    whole = True
    while True:
        piece = stream.read(_READ_BYTES)
        if not piece:
            break
        count += len(piece)
        if not whole:
            continue
        if limit is None or count <= limit:
            pieces.append(piece)
            continue
        if policy.prefix is None:
            raise WarcReadError(
                f"{describe}: its block is larger than {limit} bytes, the most warcite holds "
                "in memory for one record (a decompression bomb, or a record far larger than "
                "a page); pass a larger max_block_bytes to read it"
            )
        whole = False
        keep = policy.prefix if policy.budget is None else min(policy.prefix, policy.budget)
        kept = b"".join(pieces)[:keep]
        pieces = [kept]
    data = b"".join(pieces)
    if policy.budget is not None:
        policy.budget = max(0, policy.budget - len(data))
    return data, count, whole


def _shorten(value: str, size: int = 40) -> str:
    """A header value cut to ``size`` characters for a message (a 10^400 length, say)."""
    return value if len(value) <= size else f"{value[:size]}... ({len(value)} characters)"


def _member_complete(raw: BinaryIO, offset: int, length: int) -> bool:
    """Whether the bytes at [offset, offset+length) are one complete gzip member (or not gzip)."""
    raw.seek(offset)
    if raw.read(2) != b"\x1f\x8b":
        return True
    raw.seek(offset)
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    remaining = length
    try:
        while remaining > 0:
            data = raw.read(min(remaining, 1 << 16))
            if not data:
                return False
            remaining -= len(data)
            while data:
                decompressor.decompress(data, 1 << 16)
                data = decompressor.unconsumed_tail
    except zlib.error:
        return False
    return decompressor.eof and not decompressor.unused_data


def _iterate(
    stream: BinaryIO, path: Path, *, policy: _BlockPolicy, whole_file: bool = True
) -> Generator[WarcRecord, None, None]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    damaged = (
        "is truncated or damaged; keep the original safe and restore this file from a good copy"
    )

    class QuietArchiveIterator(ArchiveIterator):
        # warcio writes a warning to stderr when a record is not followed by its blank
        # lines (a lying Content-Length); the library never prints: the error says it.
        INC_RECORD = ""

    iterator = QuietArchiveIterator(stream, no_record_parse=True)
    end = stream.tell()
    try:
        with path.open("rb") as raw:
            for record in iterator:
                if record.format != "warc" or not record.rec_headers.get_header("WARC-Record-ID"):
                    raise WarcReadError(
                        f"{path} is not a WARC file (a record at offset "
                        f"{iterator.offset} has no WARC/1.x header with a WARC-Record-ID); "
                        "warcite reads WARC 1.0 and 1.1 files (.warc or .warc.gz)"
                    )
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                headers = tuple((str(k), str(v)) for k, v in record.rec_headers.headers)
                block, size, whole = _read_block(
                    record.raw_stream, policy, f"{path}: record {record_id}"
                )
                declared = record.rec_headers.get_header("Content-Length") or ""
                if not declared.strip().isdigit() or size != int(declared):
                    raise WarcReadError(
                        f"{path}: record {record_id} declares Content-Length {_shorten(declared)!r} but "
                        f"holds {size} bytes: the file {damaged}"
                    )
                offset = iterator.get_record_offset()
                length = iterator.get_record_length()
                if not _member_complete(raw, offset, length):
                    raise WarcReadError(
                        f"{path}: the gzip member of record {record_id} at offset {offset} "
                        f"is incomplete: the file {damaged}"
                    )
                end = offset + length
                protocol = str(record.rec_headers.protocol or "WARC/1.1")
                yield WarcRecord(_info(headers, offset, length), headers, block, protocol, whole)
                del block  # the reader keeps it if it wants: not held while the next is read
            if whole_file:
                raw.seek(end)
                rest = raw.read(1 << 16)
                if rest.strip(b"\r\n"):
                    raise WarcReadError(
                        f"{path}: {path.stat().st_size - end} bytes after the last complete "
                        f"record (offset {end}) are not a readable record: the file {damaged}"
                    )
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as error:
        raise WarcReadError(
            f"{path} is not a readable WARC file ({error}); check that it is a complete "
            "WARC (.warc or .warc.gz)"
        ) from error


def iter_records(
    path: str | Path,
    *,
    with_blocks: bool = True,
    max_block_bytes: int | None = MAX_BLOCK_BYTES,
) -> Iterator[WarcRecord]:
    """Every record of a WARC file in order, with its block (unless ``with_blocks`` is False).

    A block larger than ``max_block_bytes`` (:data:`MAX_BLOCK_BYTES` unless given; None:
    no limit) is a WarcReadError, read no further than the limit.  Raises WarcReadError
    when the file is missing, damaged or not a WARC.
    """
    policy = _BlockPolicy(max_block_bytes) if with_blocks else _BlockPolicy(0, prefix=0)
    yield from _records(Path(path), policy)


def _records(path: Path, policy: _BlockPolicy) -> Iterator[WarcRecord]:
    try:
        stream = open_regular_stream(path, "WARC file", WarcReadError)
    except OSError as error:
        raise WarcReadError(f"cannot open WARC file {path}: {error.strerror or error}") from error
    with stream:
        yield from _iterate(stream, path, policy=policy)


def iter_record_infos(path: str | Path) -> Iterator[WarcRecordInfo]:
    """Where each record of a WARC file sits (offset, length in the file) and what it is."""
    for record in iter_records(path, with_blocks=False):
        yield record.info


def read_record_at(
    path: str | Path, offset: int, *, max_block_bytes: int | None = MAX_BLOCK_BYTES
) -> WarcRecord:
    """The record starting at byte ``offset`` of a WARC file (as given by iter_record_infos).

    Raises WarcReadError when no readable record starts there, or when its block is larger
    than ``max_block_bytes`` (:data:`MAX_BLOCK_BYTES` unless given; None: no limit).
    """
    path = Path(path)
    try:
        stream = open_regular_stream(path, "WARC file", WarcReadError)
    except OSError as error:
        raise WarcReadError(f"cannot open WARC file {path}: {error.strerror or error}") from error
    with stream:
        try:
            stream.seek(offset)
        except (OSError, ValueError, OverflowError) as error:
            raise WarcReadError(f"{path}: cannot seek to offset {offset}: {error}") from error
        records = _iterate(stream, path, policy=_BlockPolicy(max_block_bytes), whole_file=False)
        try:
            record = next(records)
        except StopIteration:
            raise WarcReadError(f"{path}: no record at offset {offset} (end of file)") from None
        except WarcReadError as error:
            raise WarcReadError(
                f"{path}: no readable record at offset {offset}: {error}"
            ) from error
        finally:
            records.close()
    return WarcRecord(
        WarcRecordInfo(**{**record.info.__dict__, "offset": offset}),
        record.headers,
        record.block,
        record.protocol,
    )


_RAW_HEAD_BYTES = 64 * 1024
_URI_BYTES = frozenset(
    byte for byte in range(0x21, 0x7F) if chr(byte) not in '"<>\\^`{|}'
)


def percent_encoded(raw: bytes) -> str:
    """``raw`` as URI text: each byte a URI cannot hold (not printable ASCII, or one of
    ``"<>\\^`{|}``) percent-encoded, every other byte kept."""
    return "".join(chr(byte) if byte in _URI_BYTES else f"%{byte:02X}" for byte in raw)


def _raw_header(path: Path, offset: int, name: bytes) -> bytes | None:
    """The exact bytes of the first WARC header ``name`` of the record at ``offset``
    (warcio decodes a header line that is not UTF-8 as ISO-8859-1, which cannot be told
    apart from UTF-8 afterwards); None when it cannot be read back."""
    try:
        with open_regular_stream(path, "WARC file") as stream:
            stream.seek(offset)
            data = stream.read(_RAW_HEAD_BYTES)
    except (OSError, RecordError):
        return None
    if data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data, _RAW_HEAD_BYTES)
        except zlib.error:
            return None
    head = data.split(b"\r\n\r\n", 1)[0]
    wanted = name.lower() + b":"
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(wanted):
            return line[len(wanted) :].strip(b" \t")
    return None


def exact_target_uri(path: str | Path, info: WarcRecordInfo) -> str | None:
    """A record's ``WARC-Target-URI`` as its bytes say it.

    An ASCII or UTF-8 value is returned as read (an IRI stays an IRI: a record maps it to
    a URI, see :func:`warcite.record.as_uri`); a value that is not UTF-8 is returned with
    each byte outside the URI characters percent-encoded, so ``\\xff`` becomes ``%FF``
    and not the UTF-8 of the ``ÿ`` warcio decoded it to.
    """
    value = info.target_uri
    if value is None or value.isascii():
        return value
    raw = _raw_header(Path(path), info.offset, b"WARC-Target-URI")
    if raw is None:
        return value
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return percent_encoded(raw)


def check_record_digests(record: WarcRecord) -> list[str]:
    """Problems with a record's own digests (empty when both match or are absent).

    The payload digest is checked by warcite's convention (transfer-coding removed); a
    chunked response digested the warcio way (framing included) is accepted with no problem
    only if it matches that too, so WARCs written by warcio-based tools verify.
    """
    problems: list[str] = []
    rid = record.info.record_id
    block_digest = record.header("WARC-Block-Digest")
    if block_digest:
        try:
            if not digest_matches(block_digest, record.block):
                problems.append(f"record {rid}: WARC-Block-Digest {block_digest} does not match")
        except ValueError as error:
            problems.append(f"record {rid}: {error}")
    payload_digest = record.header("WARC-Payload-Digest")
    if payload_digest and record.info.record_type in PAYLOAD_DIGEST_TYPES:
        try:
            payload = payload_bytes(record.info.record_type, record.block)
            matches = payload is not None and digest_matches(payload_digest, payload)
            if not matches and record.info.record_type != "resource":
                raw_body = parse_http_message(record.block).body
                matches = digest_matches(payload_digest, raw_body)
            if not matches:
                problems.append(
                    f"record {rid}: WARC-Payload-Digest {payload_digest} does not match"
                )
        except (ValueError, WarcReadError) as error:
            problems.append(f"record {rid}: {error}")
    return problems


def verify_record(
    path: str | Path,
    *,
    record_id: str,
    offset: int,
    payload_digest: str | None = None,
) -> list[str]:
    """Check that the record at ``offset`` is ``record_id`` and that its digests hold.

    ``payload_digest`` (optional) is the value recorded elsewhere (a JSON record); it must
    equal the record's WARC-Payload-Digest and the payload recomputed by warcite's
    convention.  Returns every problem found, one sentence each; empty when all is well.
    """
    path = Path(path)
    try:
        record = read_record_at(path, offset)
    except WarcReadError as error:
        return [str(error)]
    problems: list[str] = []
    if record.info.record_id != record_id:
        problems.append(
            f"{path}: the record at offset {offset} is {record.info.record_id or '(no ID)'}, "
            f"not {record_id}"
        )
        return problems
    problems.extend(f"{path}: {problem}" for problem in check_record_digests(record))
    if payload_digest is not None:
        written = record.header("WARC-Payload-Digest")
        if written != payload_digest:
            problems.append(
                f"{path}: record {record_id} has WARC-Payload-Digest {written}, "
                f"expected {payload_digest}"
            )
        try:
            payload = record_payload(path, record)  # a revisit's: the earlier response's
        except WarcReadError as error:
            problems.append(f"{path}: record {record_id}: {error}")
        else:
            if payload is None:
                problems.append(
                    f"{path}: record {record_id} is a {record.info.record_type} record, "
                    "which has no payload digest"
                )
            elif payload_digest and labelled_digest(payload) != payload_digest:
                try:
                    same = digest_matches(payload_digest, payload)
                except ValueError as error:
                    problems.append(f"{path}: record {record_id}: {error}")
                else:
                    if not same:
                        problems.append(
                            f"{path}: record {record_id}: the payload's digest is "
                            f"{labelled_digest(payload)}, expected {payload_digest}"
                        )
    return problems


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
    return _media_type(content_type) in TEXT_MEDIA_TYPES


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
    scan_limit = _SCAN_BLOCK_BYTES
    if max_block_bytes is not None:
        scan_limit = min(scan_limit, max_block_bytes)
    records = list(
        _records(
            path,
            _BlockPolicy(scan_limit, prefix=_SCAN_PREFIX_BYTES, budget=_SCAN_BUDGET_BYTES),
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
                f"{path} holds no HTML or text page record ({_summary(records)}); "
                "warcite extracts from a response or resource record of type text/html "
                "or text/plain"
            )

    if not chosen.block_complete:  # only its first bytes were kept: read it whole now
        whole = read_record_at(path, chosen.info.offset, max_block_bytes=max_block_bytes)
        chosen = WarcRecord(chosen.info, whole.headers, whole.block, whole.protocol)
    content = chosen  # a revisit's payload is in the response it refers to (warcite.revisit)
    if chosen.info.record_type == "revisit":
        from warcite.revisit import find_revisited

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
    if media_type not in TEXT_MEDIA_TYPES and not (not media_type and _looks_textual(body)):
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


__all__ = [
    "DIGEST_ALGORITHM",
    "MAX_BLOCK_BYTES",
    "PAYLOAD_DIGEST_CONVENTION",
    "PAYLOAD_DIGEST_TYPES",
    "HttpMessage",
    "WarcRecord",
    "available_content_codings",
    "check_record_digests",
    "compute_block_digest",
    "compute_payload_digest",
    "dechunk",
    "decode_content",
    "digest_matches",
    "entity_body",
    "iter_record_infos",
    "iter_records",
    "labelled_digest",
    "memento_from_headers",
    "memento_from_wayback_url",
    "parse_http_message",
    "parse_warc_fields",
    "payload_bytes",
    "read_page",
    "read_record_at",
    "verify_record",
]

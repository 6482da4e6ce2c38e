"""Reading WARC records: a stream of records, a record at an offset, bounded block reads, and
the exact target URI and digests of a record as it is stored."""

from __future__ import annotations

import re
import zlib
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcite.core.errors import RecordError, WarcReadError
from warcite.core.models import WarcRecordInfo
from warcite.core.project import open_regular_stream
from warcite.core.warc.digests import (
    PAYLOAD_DIGEST_TYPES,
    digest_matches,
    labelled_digest,
    payload_bytes,
)
from warcite.core.warc.http import first_header, parse_http_message

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
SCAN_PREFIX_BYTES = 256 * 1024
#: ... the largest block kept whole (metadata and warcinfo records are small), ...
SCAN_BLOCK_BYTES = 1024 * 1024
#: ... and the most bytes kept over the whole file: past it, blocks are only counted.
SCAN_BUDGET_BYTES = 32 * 1024 * 1024

_READ_BYTES = 1 << 16


@dataclass
class BlockPolicy:
    """How much of each block ``_iterate`` keeps.

    ``limit``: blocks up to this size are kept whole (None: no limit); ``prefix``: of a
    larger block, the first bytes kept (None: a larger block is an error);
    ``budget``: the most bytes kept over the whole iteration (None: no budget).
    """

    limit: int | None
    prefix: int | None = None
    budget: int | None = None


def _read_block(stream: BinaryIO, policy: BlockPolicy, describe: str) -> tuple[bytes, int, bool]:
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
    stream: BinaryIO, path: Path, *, policy: BlockPolicy, whole_file: bool = True
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
    policy = BlockPolicy(max_block_bytes) if with_blocks else BlockPolicy(0, prefix=0)
    yield from read_records(Path(path), policy)


def read_records(path: Path, policy: BlockPolicy) -> Iterator[WarcRecord]:
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
        records = _iterate(stream, path, policy=BlockPolicy(max_block_bytes), whole_file=False)
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
_URI_BYTES = frozenset(byte for byte in range(0x21, 0x7F) if chr(byte) not in '"<>\\^`{|}')


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
    a URI, see :func:`warcite.record.common.as_uri`); a value that is not UTF-8 is returned with
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


# --------------------------------------------------------------------------- reading revisits

IDENTICAL_PAYLOAD_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
"""The one revisit profile warcite writes and reads (WARC 1.1 section 6.7.2); the 1.0
profile URI names the same thing."""
_PROFILES = (
    IDENTICAL_PAYLOAD_PROFILE,
    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
)
_STAMP = re.compile(r"(\d{14})")


def _closeness(path: Path, wanted: str) -> tuple[int, str]:
    """Sort key: WARCs whose name's 14-digit stamp is nearest to ``wanted`` come first."""
    match = _STAMP.search(path.name)
    if match is None or not wanted:
        return (10**15, path.name)
    return (abs(int(match.group(1)) - int(wanted)), path.name)


def find_revisited(warc_path: Path, revisit: WarcRecord) -> WarcRecord:
    """The response record a ``revisit`` record (a warcite.core.warc.records.WarcRecord read from
    ``warc_path``) refers to, with its payload checked against the revisit's digest.

    Looked for in the revisit's own WARC, then in the WARCs of the same folder, nearest
    in time first (by the 14-digit stamp in their names against WARC-Refers-To-Date).
    Raises WarcReadError when the profile is not identical-payload-digest, or when the
    record is nowhere (naming it, so the missing WARC can be restored).
    """
    where = f"{warc_path}: revisit record {revisit.info.record_id}"
    profile = (revisit.header("WARC-Profile") or "").strip()
    if profile not in _PROFILES:
        raise WarcReadError(
            f"{where} has profile {profile or '(none)'}; warcite reads revisits of the "
            f"identical-payload-digest profile only"
        )
    refers_to = (revisit.header("WARC-Refers-To") or "").strip()
    digest = (revisit.header("WARC-Payload-Digest") or "").strip()
    if not refers_to or not digest:
        raise WarcReadError(f"{where} lacks WARC-Refers-To or WARC-Payload-Digest")
    wanted_date = re.sub(r"\D", "", revisit.header("WARC-Refers-To-Date") or "")[:14]
    folder = warc_path.parent
    others = [
        path
        for path in folder.iterdir()
        if path.name.endswith((".warc", ".warc.gz"))
        and not path.name.startswith(".")
        and path != warc_path
        and path.is_file()
    ]
    for candidate in [warc_path, *sorted(others, key=lambda path: _closeness(path, wanted_date))]:
        try:
            offsets = [
                info.offset for info in iter_record_infos(candidate) if info.record_id == refers_to
            ]
        except WarcReadError:
            continue  # a damaged neighbour is not this revisit's problem
        for offset in offsets:
            record = read_record_at(candidate, offset)
            if record.info.record_type != "response":
                raise WarcReadError(
                    f"{where} refers to {refers_to}, a {record.info.record_type} record in "
                    f"{candidate}; a revisit refers to a response"
                )
            payload = payload_bytes("response", record.block)
            if payload is None or not digest_matches(digest, payload):
                raise WarcReadError(
                    f"{where}: the payload of {refers_to} in {candidate} does not have the "
                    f"digest {digest}; the earlier WARC changed (run warcite validate)"
                )
            return record
    raise WarcReadError(
        f"{where} refers to {refers_to} ({revisit.header('WARC-Refers-To-Target-URI')} at "
        f"{revisit.header('WARC-Refers-To-Date')}), which no WARC in {folder} holds; the "
        "payload is in that earlier WARC: restore it to read this capture"
    )


def record_payload(path: str | Path, record: WarcRecord) -> bytes | None:
    """The payload of a record read from ``path``: :func:`payload_bytes`, except for a
    ``revisit`` record, whose payload is that of the response it refers to (found and
    checked by find_revisited; WarcReadError when it cannot be)."""
    if record.info.record_type == "revisit":
        return payload_bytes("response", find_revisited(Path(path), record).block)
    return payload_bytes(record.info.record_type, record.block)

"""``warcite check``: a strict WARC 1.1 validator for any WARC file, warcite's or not.

Every problem is reported with the section of WARC 1.1 (ISO 28500:2017, as published at
iipc.github.io/warc-specifications) it breaks and the byte offset of the record: for a
``.warc.gz`` the offset of the gzip member the record starts in (what CDX indexes give),
for an uncompressed WARC the offset of the record's version line.

What is checked, per record:

- the version line (``WARC/1.1``; ``WARC/1.0`` is a warning: the 1.1 rules are applied) and
  the header grammar (CRLF line ends, field names are tokens, UTF-8 values)   §4
- no named field repeated except WARC-Concurrent-To                         §5.1
- the mandatory fields WARC-Record-ID, Content-Length, WARC-Date, WARC-Type and their
  syntax; every ID field written ``<uri>``; dates in the W3C profile of ISO 8601, UTC
                                                                             §5.2-§5.5, §5.7, §5.11, §5.16
- which fields each record type may or must carry (WARC-Target-URI on response, resource,
  request, revisit, conversion and continuation records, never on warcinfo; WARC-Profile on
  revisit records; segment fields on continuation records; ...)            §5.6-§5.22, §6
- WARC-Block-Digest over the block, and WARC-Payload-Digest over the payload as §5.9 and
  §6.3.2 define it: for an HTTP message the entity body with the transfer-coding removed
  (chunked framing undone) and the content-coding kept.  warcio digests a chunked body with
  its framing (warcio issue #74); such a digest is reported as a warning saying so.
- the block holds Content-Length bytes and is followed by CRLF CRLF           §4, §5.3
- WARC-Concurrent-To, WARC-Warcinfo-ID and WARC-Refers-To name records present in the files
  checked (a WARC-Refers-To target elsewhere is a warning: revisits may point at older files)
- record IDs are unique                                                      §5.2
- one gzip member per record, no bytes that are not a gzip member            Annex D.2

Memory stays bounded whatever the file holds: blocks are streamed through the digests in
64 KiB pieces, never held whole; a header block or an HTTP head larger than
:data:`MAX_HEADER_BYTES` is reported, not read on.  A truncated or garbage file gives problems
(exit 5 from the CLI), never a traceback.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcite.errors import WarcReadError
from warcite.project import open_regular_stream
from warcite.warc_rules import URI_PATTERN

SPEC = "WARC 1.1"
PIECE = 1 << 16
MAX_HEADER_BYTES = 1 << 20
"""Largest WARC header block or HTTP head read (1 MiB); a longer one is reported."""

RECORD_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
    }
)
TARGET_REQUIRED = frozenset(
    {"response", "resource", "request", "revisit", "conversion", "continuation"}
)
NO_PAYLOAD = frozenset({"warcinfo", "metadata"})
"""Types without a well-defined payload (§4, §5.9): no payload digest, no identified type."""

PROFILES = {
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest": "identical",
    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest": "identical",
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified": "not-modified",
    "http://netpreserve.org/warc/1.0/revisit/server-not-modified": "not-modified",
    # WARC 1.0's text gave this form for its second profile:
    "http://netpreserve.org/warc/1.0/revisit/uri-agnostic-identical-payload-digest": "identical",
}
TRUNCATION_REASONS = frozenset({"length", "time", "disconnect", "unspecified"})

# Fields restricted to some record types: (section, types allowed or None, types forbidden)
_ALLOWED: dict[str, tuple[str, frozenset[str] | None, frozenset[str]]] = {
    "warc-concurrent-to": ("5.7", None, frozenset({"warcinfo", "conversion", "continuation"})),
    "warc-ip-address": ("5.10", None, frozenset({"warcinfo", "conversion", "continuation"})),
    "warc-refers-to": (
        "5.11",
        None,
        frozenset({"warcinfo", "response", "resource", "request", "continuation"}),
    ),
    "warc-refers-to-target-uri": ("5.12", frozenset({"revisit"}), frozenset()),
    "warc-refers-to-date": ("5.13", frozenset({"revisit"}), frozenset()),
    "warc-warcinfo-id": ("5.16", None, frozenset({"warcinfo"})),
    "warc-filename": ("5.17", frozenset({"warcinfo"}), frozenset()),
    "warc-profile": ("5.18", frozenset({"revisit"}), frozenset()),
    "warc-payload-digest": ("5.9", None, NO_PAYLOAD),
    "warc-identified-payload-type": ("5.19", None, NO_PAYLOAD),
    "warc-segment-origin-id": ("5.21", frozenset({"continuation"}), frozenset()),
    "warc-segment-total-length": ("5.22", frozenset({"continuation"}), frozenset()),
}

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_URI = URI_PATTERN  # shared with import (warc_rules)
_W3CDTF = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?Z)?)?)?"
)
_MEDIA_TYPE = re.compile(
    r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+/[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
    r"(?:[ \t]*;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+=(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|\"(?:[^\"\\]|\\.)*\"))*[ \t]*"
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CheckProblem:
    """One way a WARC file breaks WARC 1.1.

    ``offset`` is the byte offset of the record in the file (of its gzip member for a
    compressed file; ``None`` for the file as a whole), ``inner`` the record's offset in the
    uncompressed data of that member when it does not start the member, ``section`` the
    spec section, e.g. ``5.9`` or ``Annex D.2``.
    """

    file: str
    offset: int | None
    record_id: str | None
    section: str
    message: str
    severity: str = "error"
    inner: int | None = None

    def where(self) -> str:
        """``offset 723`` (``offset 0 + 512 uncompressed`` inside a shared gzip member)."""
        if self.offset is None:
            return "file"
        text = f"offset {self.offset}"
        return text if not self.inner else f"{text} + {self.inner} uncompressed"

    def line(self) -> str:
        """``file: offset 723: <urn:uuid:...>: WARC 1.1 §5.9: message``."""
        prefix = "warning: " if self.severity == "warning" else ""
        record = f" {self.record_id}:" if self.record_id else ""
        return (
            f"{self.file}: {self.where()}:{record} {prefix}{SPEC} §{self.section}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data."""
        return {
            "offset": self.offset,
            "uncompressed_offset_in_member": self.inner,
            "record_id": self.record_id,
            "section": f"{SPEC} §{self.section}",
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class CheckReport:
    """Every problem found in one WARC file."""

    file: str
    compressed: bool = False
    records: int = 0
    problems: list[CheckProblem] = field(default_factory=list)
    older_version_seen: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(problem.severity == "error" for problem in self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "file": self.file,
            "ok": self.ok,
            "gzip": self.compressed,
            "records": self.records,
            "problems": [problem.as_dict() for problem in self.problems],
        }


# --------------------------------------------------------------------------- byte source


class _Broken(Exception):
    """The file cannot be read on from here (corrupt or truncated gzip, not gzip)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Source:
    """The uncompressed bytes of a WARC file, read forward, with gzip member boundaries.

    ``members`` holds ``(uncompressed position, compressed offset)`` of every gzip member
    started so far.  Memory: at most a few pieces of buffered data.
    """

    def __init__(self, raw: BinaryIO, gzipped: bool) -> None:
        self.raw = raw
        self.gzipped = gzipped
        self.buffer = bytearray()
        self.position = 0  # uncompressed position of buffer[0]
        self.produced = 0  # uncompressed bytes produced so far
        self.fed = 0  # compressed bytes read from the file
        self.pending = b""  # compressed bytes read but not yet given to a decompressor
        self.decompressor: Any = None
        self.member_offset = 0
        self.members: list[tuple[int, int]] = []
        self.ended = False

    # -- filling
    def _read_raw(self) -> bytes:
        data = self.raw.read(PIECE)
        self.fed += len(data)
        return data

    def _fill(self) -> bool:
        """Add some bytes to the buffer; False at the clean end of the file."""
        if self.ended:
            return False
        if not self.gzipped:
            data = self._read_raw()
            if not data:
                self.ended = True
                return False
            self.buffer += data
            self.produced += len(data)
            return True
        while True:
            if self.decompressor is None:
                if len(self.pending) < 2:
                    self.pending += self._read_raw()
                if not self.pending:
                    self.ended = True
                    return False
                start = self.fed - len(self.pending)
                if not self.pending.startswith(b"\x1f\x8b"):
                    self.ended = True
                    import os

                    size = os.fstat(self.raw.fileno()).st_size
                    raise _Broken(
                        f"the {size - start} bytes at offset {start} are not a gzip member "
                        "(no gzip magic number): garbage after the last record, or the file "
                        "is damaged",
                        start,
                    )
                self.decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
                self.member_offset = start
                self.members.append((self.produced, start))
            tail = self.decompressor.unconsumed_tail
            if tail:
                data = tail
            else:
                data = self.pending or self._read_raw()
                self.pending = b""
                if not data:
                    self.ended = True
                    raise _Broken(
                        f"the gzip member at offset {self.member_offset} is truncated: the "
                        "file ends before the member's end (a cut-off download or copy?)",
                        self.member_offset,
                    )
            try:
                output = self.decompressor.decompress(data, PIECE)
            except zlib.error as error:
                self.ended = True
                raise _Broken(
                    f"the gzip member at offset {self.member_offset} is corrupt ({error})",
                    self.member_offset,
                ) from error
            if self.decompressor.eof:
                self.pending = self.decompressor.unused_data
                self.decompressor = None
            if output:
                self.buffer += output
                self.produced += len(output)
                return True

    # -- reading
    def tell(self) -> int:
        return self.position

    def peek(self, size: int) -> bytes:
        while len(self.buffer) < size and self._fill():
            pass
        return bytes(self.buffer[:size])

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer only at the end of the data)."""
        while len(self.buffer) < size and self._fill():
            pass
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        self.position += len(data)
        return data

    def readline(self, limit: int) -> bytes:
        """Bytes up to and including LF, at most ``limit`` bytes."""
        searched = 0
        while True:
            index = self.buffer.find(b"\n", searched, limit)
            if index >= 0:
                return self.read(index + 1)
            searched = len(self.buffer)
            if searched >= limit or not self._fill():
                return self.read(min(limit, len(self.buffer)))

    def at_end(self) -> bool:
        return not self.buffer and not self._fill()

    # -- gzip members
    def member_of(self, position: int) -> tuple[int, int]:
        """(compressed offset, uncompressed start) of the member holding ``position``."""
        found = (0, 0)
        for start, offset in self.members:
            if start > position:
                break
            found = (offset, start)
        return found

    def members_within(self, start: int, end: int) -> int:
        """How many gzip members start strictly inside (start, end)."""
        return sum(1 for position, _ in self.members if start < position < end)

    def forget_members_before(self, position: int) -> None:
        """Drop boundaries no later record can need (keeps memory bounded)."""
        keep = 0
        for index, (start, _) in enumerate(self.members):
            if start <= position:
                keep = index
        del self.members[:keep]

    def skip_to_next_member(self, record_start: int) -> bool:
        """Discard data up to the next gzip member after ``record_start`` (to read on after
        a broken record); False for an uncompressed file or at the end."""
        if not self.gzipped:
            return False
        while True:
            later = [p for p, _ in self.members if p > record_start and p >= self.position]
            if later:
                self.read(later[0] - self.position)
                return True
            if not self.buffer and not self._fill():
                return False
            self.read(len(self.buffer))


# --------------------------------------------------------------------------- digests


def _hasher(label: str) -> Any:
    """A hashlib object for a digest label (sha1, SHA-1, sha256, sha3-256...), or None."""
    name = label.strip().lower()
    for candidate in (name, name.replace("-", ""), name.replace("-", "_")):
        try:
            return hashlib.new(candidate)
        except (ValueError, TypeError):
            continue
    return None


class _Digest:
    """A labelled digest from a header, computed as data streams past."""

    def __init__(self, header: str, value: str) -> None:
        self.header = header
        self.value = value.strip()
        algorithm, separator, encoded = self.value.partition(":")
        self.algorithm = algorithm
        self.encoded = encoded
        self.problem: str | None = None
        self.hasher: Any = None
        if not separator or not algorithm or not encoded:
            self.problem = f"{header} {value!r} is not 'algorithm:value'"
        else:
            self.hasher = _hasher(algorithm)
            if self.hasher is None:
                self.problem = f"{header}: unknown digest algorithm {algorithm!r}; not verified"

    def update(self, data: bytes) -> None:
        if self.hasher is not None:
            self.hasher.update(data)

    def expected(self) -> bytes | None:
        """The digest value decoded (base16, base32 or base64), or None if it cannot be."""
        from warcite.warc import _decode_digest_value

        if self.hasher is None:
            return None
        try:
            return _decode_digest_value(self.encoded, self.hasher.digest_size, self.value)
        except ValueError:
            return None

    def computed(self) -> str:
        """The digest computed, labelled and encoded as the header's value is."""
        import base64

        raw = self.hasher.digest()
        if re.fullmatch(r"[0-9a-fA-F]+", self.encoded) and len(self.encoded) == 2 * len(raw):
            value = raw.hex()
        elif re.fullmatch(r"[A-Za-z2-7]+=*", self.encoded):
            value = base64.b32encode(raw).decode("ascii")
        else:
            value = base64.b64encode(raw).decode("ascii")
        return f"{self.algorithm}:{value}"


# --------------------------------------------------------------------------- HTTP payload


class _Dechunker:
    """Undo chunked transfer-coding as bytes stream past (like warcite.warc.dechunk).

    Malformed or cut-off framing ends the payload where it breaks; ``complete`` says
    whether the last chunk was seen.
    """

    def __init__(self, sink: Callable[[bytes], None]) -> None:
        self.sink = sink
        self.state = "size"
        self.line = bytearray()
        self.remaining = 0
        self.complete = False
        self.broken = False

    def feed(self, data: bytes) -> None:
        position = 0
        while position < len(data) and self.state not in ("done", "broken"):
            if self.state == "size":
                end = data.find(b"\n", position)
                piece = data[position : end if end >= 0 else len(data)]
                self.line += piece
                if len(self.line) > 4096:
                    self.state = "broken"
                    return
                if end < 0:
                    return
                position = end + 1
                text = bytes(self.line).split(b";", 1)[0].strip()
                self.line.clear()
                try:
                    size = int(text, 16)
                except ValueError:
                    self.state = "broken"
                    return
                if size == 0:
                    self.state = "done"
                    self.complete = True
                    return
                self.remaining = size
                self.state = "data"
            elif self.state == "data":
                take = min(self.remaining, len(data) - position)
                self.sink(data[position : position + take])
                self.remaining -= take
                position += take
                if self.remaining == 0:
                    self.state = "crlf"
                    self.line.clear()
            elif self.state == "crlf":
                # one CRLF (or a lone LF) ends the chunk's data; anything else starts the
                # next size line, as warcite.warc.dechunk tolerates
                byte = data[position : position + 1]
                if byte == b"\r" and not self.line:
                    self.line += byte
                    position += 1
                elif byte == b"\n":
                    self.line.clear()
                    position += 1
                    self.state = "size"
                else:
                    self.line.clear()
                    self.state = "size"


class _HttpPayload:
    """Find the entity body of an HTTP message block and pass it, decoded of its
    transfer-coding, to the payload digest (and, raw, to a warcio-style digest)."""

    def __init__(self, digest: _Digest) -> None:
        self.digest = digest
        self.raw_hasher = _hasher(digest.algorithm) if digest.hasher is not None else None
        self.head = bytearray()
        self.in_body = False
        self.failed: str | None = None
        self.chunked: _Dechunker | None = None
        self.inflater: Any = None
        self.codings: list[str] = []

    def feed(self, data: bytes) -> None:
        if self.failed is not None:
            return
        if not self.in_body:
            self.head += data
            data = self._split_head()
            if not self.in_body:
                if len(self.head) > MAX_HEADER_BYTES:
                    self.failed = f"no end of the HTTP head within {MAX_HEADER_BYTES} bytes"
                return
        if data:
            self._body(data)

    def _split_head(self) -> bytes:
        while True:
            match = re.search(rb"\r?\n\r?\n", self.head)
            if match is None:
                return b""
            head = bytes(self.head[: match.start()])
            rest = bytes(self.head[match.end() :])
            if re.match(rb"HTTP/\d+(?:\.\d+)?\s+1(?!01)\d\d\b", head) and rest:
                self.head = bytearray(rest)  # an interim 1xx response: the next head follows
                continue
            if not re.match(rb"(HTTP/\d|[A-Z]+ \S+ HTTP/\d)", head):
                self.failed = "the block does not start with an HTTP status or request line"
                return b""
            self._start_body(head)
            self.head = bytearray()
            return rest

    def _start_body(self, head: bytes) -> None:
        self.in_body = True
        for line in re.split(rb"\r?\n", head)[1:]:
            name, separator, value = line.partition(b":")
            if separator and name.strip().lower() == b"transfer-encoding":
                self.codings += [
                    c.strip().lower()
                    for c in value.decode("latin-1").split(",")
                    if c.strip() and c.strip().lower() != "identity"
                ]
        chunked = self.codings[-1:] == ["chunked"]
        inner = self.codings[:-1] if chunked else self.codings
        if len(inner) > 1 or any(c not in ("gzip", "x-gzip", "deflate") for c in inner):
            self.failed = f"the transfer-coding {', '.join(self.codings)!r} is not undone here"
            return
        sink: Callable[[bytes], None] = self.digest.update
        if inner:
            gzip_coding = inner[0] in ("gzip", "x-gzip")
            self.inflater = zlib.decompressobj(
                zlib.MAX_WBITS | 16 if gzip_coding else zlib.MAX_WBITS
            )
            sink = self._inflate
        if chunked:
            self.chunked = _Dechunker(sink)

    def _inflate(self, data: bytes) -> None:
        try:
            while data:
                self.digest.update(self.inflater.decompress(data, PIECE))
                data = self.inflater.unconsumed_tail
        except zlib.error as error:
            self.failed = f"the transfer-coding cannot be undone ({error})"

    def _body(self, data: bytes) -> None:
        if self.raw_hasher is not None:
            self.raw_hasher.update(data)
        if self.chunked is not None:
            self.chunked.feed(data)
        elif self.inflater is not None:
            self._inflate(data)
        else:
            self.digest.update(data)

    def finish(self) -> None:
        if not self.in_body and self.failed is None:
            if re.match(rb"(HTTP/\d|[A-Z]+ \S+ HTTP/\d)", bytes(self.head)):
                self._start_body(bytes(self.head))  # a head with no empty line: no body
            else:
                self.failed = "the block is not an HTTP message (no end of its head)"


# --------------------------------------------------------------------------- records


@dataclass
class _Reference:
    offset: int
    inner: int | None
    record_id: str | None
    field: str
    section: str
    target: str


@dataclass
class _Record:
    offset: int
    inner: int | None
    version: str
    fields: list[tuple[str, str]]
    record_id: str | None = None

    def values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.fields if key.lower() == wanted]

    def get(self, name: str) -> str | None:
        found = self.values(name)
        return found[0] if found else None


def _strip_id(value: str) -> str:
    value = value.strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def _date_problem(value: str) -> str | None:
    match = _W3CDTF.fullmatch(value.strip())
    if match is None:
        return f"{value!r} is not a W3C-profile ISO 8601 UTC timestamp (e.g. 2016-09-19T17:20:24Z)"
    parts = match.groupdict()
    try:
        datetime(
            int(parts["y"]),
            int(parts["mo"] or 1),
            int(parts["d"] or 1),
            int(parts["h"] or 0),
            int(parts["mi"] or 0),
            int(parts["s"] or 0),
        )
    except ValueError as error:
        return f"{value!r} is not a real date and time ({error})"
    return None


class _Checker:
    """Checks the records of one or more WARC files; references resolved over all of them."""

    def __init__(self) -> None:
        self.ids: dict[str, tuple[str, int, str]] = {}  # id -> (file, offset, type)
        self.references: list[tuple[CheckReport, _Reference]] = []

    # -- problems
    @staticmethod
    def _add(
        report: CheckReport,
        record: _Record | None,
        section: str,
        message: str,
        severity: str = "error",
        *,
        offset: int | None = None,
    ) -> None:
        report.problems.append(
            CheckProblem(
                report.file,
                record.offset if record is not None else offset,
                record.record_id if record is not None else None,
                section,
                message,
                severity,
                record.inner if record is not None else None,
            )
        )

    # -- files
    def check_file(self, path: Path, display: str) -> CheckReport:
        try:
            raw = open_regular_stream(path, "WARC file", WarcReadError)
        except OSError as error:
            raise WarcReadError(
                f"cannot open WARC file {display}: {error.strerror or error}"
            ) from error
        with raw:
            magic = raw.read(2)
            raw.seek(0)
            report = CheckReport(display, compressed=magic == b"\x1f\x8b")
            if report.compressed != display.endswith(".gz"):
                message = (
                    "the file is gzip-compressed but its name does not end in .warc.gz"
                    if report.compressed
                    else "the file's name ends in .gz but it is not gzip-compressed"
                )
                self._add(report, None, "Annex D.3", message, "warning")
            source = _Source(raw, report.compressed)
            try:
                self._records(source, report)
            except _Broken as broken:
                self._add(report, None, "Annex D.2", str(broken), offset=broken.offset)
            if report.records == 0 and report.ok:
                self._add(report, None, "4", "the file holds no WARC record", offset=0)
        return report

    def _records(self, source: _Source, report: CheckReport) -> None:
        while True:
            start = source.tell()
            source.forget_members_before(start)
            if source.at_end():
                return
            if source.gzipped:
                offset, member_start = source.member_of(start)
                inner = start - member_start or None
            else:
                offset, inner = start, None
            if not self._record(source, report, offset, inner, start) and not (
                source.skip_to_next_member(start)
            ):
                return

    def _record(
        self, source: _Source, report: CheckReport, offset: int, inner: int | None, start: int
    ) -> bool:
        """Check one record; False when the file cannot be read on from here."""
        record = _Record(offset, inner, "", [])
        line = source.readline(MAX_HEADER_BYTES)
        if not line.startswith(b"WARC/"):
            shown = line[:40]
            if not line.strip(b"\r\n"):
                blank = len(line)
                while source.peek(1) in (b"\r", b"\n"):
                    blank += len(source.read(1))
                if source.at_end():
                    self._add(
                        report,
                        record,
                        "4",
                        f"{blank} bytes of blank lines after the last record's CRLF CRLF",
                    )
                    return True
                self._add(
                    report,
                    record,
                    "4",
                    f"{blank} bytes of blank lines between records (a record ends with "
                    "exactly CRLF CRLF after its block)",
                )
                return True
            self._add(
                report,
                record,
                "4",
                f"no WARC record starts here: expected a version line 'WARC/1.1', found {shown!r}",
            )
            return False
        version = line.rstrip(b"\r\n").decode("latin-1")
        record.version = version
        header_ok = self._header(source, report, record)
        record.record_id = record.get("WARC-Record-ID")
        if not line.endswith(b"\r\n"):
            self._add(report, record, "4", f"the version line {version!r} does not end in CRLF")
        if version == "WARC/1.0":
            if not report.older_version_seen:
                self._add(
                    report,
                    record,
                    "4",
                    "version WARC/1.0 (this record and any later WARC/1.0 record of the file): "
                    "checked against the WARC 1.1 rules",
                    "warning",
                )
            report.older_version_seen = True
        elif version != "WARC/1.1":
            self._add(report, record, "4", f"unknown WARC version line {version!r}")
        if not header_ok:
            return False
        report.records += 1
        return self._block(source, report, record, start)

    def _header(self, source: _Source, report: CheckReport, record: _Record) -> bool:
        total = 0
        bad_endings = 0
        while True:
            line = source.readline(MAX_HEADER_BYTES)
            total += len(line)
            if not line.endswith(b"\n"):
                if total >= MAX_HEADER_BYTES or len(line) >= MAX_HEADER_BYTES:
                    self._add(
                        report,
                        record,
                        "4",
                        f"the header block is longer than {MAX_HEADER_BYTES} bytes; not read on",
                    )
                else:
                    self._add(report, record, "4", "the file ends inside the record's header block")
                return False
            if not line.endswith(b"\r\n"):
                bad_endings += 1
            content = line.rstrip(b"\r\n")
            if not content:
                break
            if content[:1] in (b" ", b"\t"):
                if not record.fields:
                    self._add(report, record, "4", "a continuation line before any field")
                    continue
                previous_name, previous_value = record.fields[-1]
                continued = self._text(content, report, record).strip()
                record.fields[-1] = (previous_name, f"{previous_value} {continued}")
                continue
            name, separator, value = content.partition(b":")
            if not separator or not _TOKEN.fullmatch(name):
                self._add(
                    report,
                    record,
                    "4",
                    f"header line {content[:60]!r} is not 'Field-Name: value' "
                    "(a field name is a token)",
                )
                continue
            record.fields.append(
                (name.decode("ascii"), self._text(value, report, record).strip(" \t"))
            )
            if total > MAX_HEADER_BYTES:
                self._add(
                    report,
                    record,
                    "4",
                    f"the header block is longer than {MAX_HEADER_BYTES} bytes; not read on",
                )
                return False
        if bad_endings:
            self._add(
                report,
                record,
                "4",
                f"{bad_endings} header line{'s' if bad_endings > 1 else ''} end in LF, not CRLF",
            )
        return True

    def _text(self, value: bytes, report: CheckReport, record: _Record) -> str:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as error:
            self._add(
                report,
                record,
                "4",
                f"a field value is not UTF-8 (byte {error.start}: {value[:60]!r})",
            )
            return value.decode("utf-8", "replace")

    # -- fields
    def _fields(self, report: CheckReport, record: _Record) -> tuple[str | None, int | None]:
        """Check the named fields; returns (record type, content length)."""
        seen: dict[str, int] = {}
        for name, _ in record.fields:
            seen[name.lower()] = seen.get(name.lower(), 0) + 1
        for name, count in seen.items():
            if count > 1 and name != "warc-concurrent-to":
                self._add(
                    report,
                    record,
                    "5.1",
                    f"{count} {name} fields; a field may appear once "
                    "(only WARC-Concurrent-To may repeat)",
                )
        record_id = record.get("WARC-Record-ID")
        if record_id is None:
            self._add(report, record, "5.2", "no WARC-Record-ID (mandatory)")
        else:
            record.record_id = record_id
            self._id_syntax(report, record, "WARC-Record-ID", record_id, "5.2")
        length: int | None = None
        declared = record.get("Content-Length")
        if declared is None:
            self._add(report, record, "5.3", "no Content-Length (mandatory)")
        elif not re.fullmatch(r"\d+", declared):
            self._add(report, record, "5.3", f"Content-Length {declared!r} is not a number")
        else:
            length = int(declared)
        date = record.get("WARC-Date")
        if date is None:
            self._add(report, record, "5.4", "no WARC-Date (mandatory)")
        else:
            problem = _date_problem(date)
            if problem:
                self._add(report, record, "5.4", f"WARC-Date {problem}")
        record_type = record.get("WARC-Type")
        if record_type is None:
            self._add(report, record, "5.5", "no WARC-Type (mandatory)")
        elif record_type not in RECORD_TYPES:
            self._add(
                report,
                record,
                "5.5",
                f"WARC-Type {record_type!r} is not a WARC 1.1 type (readers skip it)",
                "warning",
            )
        kind = record_type or ""
        content_type = record.get("Content-Type")
        if content_type is not None and not _MEDIA_TYPE.fullmatch(content_type):
            self._add(report, record, "5.6", f"Content-Type {content_type!r} is not a media type")
        if content_type is None and length and kind != "continuation":
            self._add(
                report,
                record,
                "5.6",
                "no Content-Type on a record with a non-empty block (it should have one)",
                "warning",
            )
        for name, (section, allowed, forbidden) in _ALLOWED.items():
            if name not in seen or not kind or kind not in RECORD_TYPES:
                continue
            if (allowed is not None and kind not in allowed) or kind in forbidden:
                if name == "warc-payload-digest" and kind == "metadata":
                    # warcio (and so most Python tools) writes one on every metadata record:
                    # reported, but not fatal, so their WARCs stay usable
                    self._add(
                        report,
                        record,
                        section,
                        f"{self._canonical(record, name)} should not be on a metadata record "
                        "(no well-defined payload); warcio writes one on every record",
                        "warning",
                    )
                    continue
                self._add(
                    report,
                    record,
                    section,
                    f"{self._canonical(record, name)} is not allowed on a {kind} record",
                )
        for name, section in (
            ("WARC-Concurrent-To", "5.7"),
            ("WARC-Refers-To", "5.11"),
            ("WARC-Warcinfo-ID", "5.16"),
            ("WARC-Segment-Origin-ID", "5.21"),
        ):
            for value in record.values(name):
                if self._id_syntax(report, record, name, value, section) and name != (
                    "WARC-Segment-Origin-ID"
                ):
                    self.references.append(
                        (
                            report,
                            _Reference(
                                record.offset,
                                record.inner,
                                record.record_id,
                                name,
                                section,
                                _strip_id(value),
                            ),
                        )
                    )
        address = record.get("WARC-IP-Address")
        if address is not None:
            try:
                ipaddress.ip_address(address.strip())
            except ValueError:
                self._add(
                    report, record, "5.10", f"WARC-IP-Address {address!r} is not an IP address"
                )
        refers_date = record.get("WARC-Refers-To-Date")
        if refers_date is not None and (problem := _date_problem(refers_date)):
            self._add(report, record, "5.13", f"WARC-Refers-To-Date {problem}")
        for name, section in (("WARC-Target-URI", "5.14"), ("WARC-Refers-To-Target-URI", "5.12")):
            uri = record.get(name)
            if uri is None:
                continue
            value = uri
            if value.startswith("<") and value.endswith(">"):
                self._add(
                    report,
                    record,
                    section,
                    f"{name} is written in angle brackets (as wget 1.21.3+ does); "
                    "the value is a bare URI",
                    "warning",
                )
                value = value[1:-1]
            if not _URI.fullmatch(value):
                self._add(
                    report,
                    record,
                    section,
                    f"{name} {value[:200]!r} is not a URI written per RFC 3986 "
                    "(a scheme, no whitespace)",
                )
        target = record.get("WARC-Target-URI")
        if kind in TARGET_REQUIRED and target is None:
            self._add(report, record, "5.14", f"a {kind} record must have a WARC-Target-URI")
        if kind == "warcinfo" and target is not None:
            self._add(report, record, "5.14", "a warcinfo record must not have a WARC-Target-URI")
        truncated = record.get("WARC-Truncated")
        if truncated is not None and truncated.strip() not in TRUNCATION_REASONS:
            self._add(
                report,
                record,
                "5.15",
                f"WARC-Truncated {truncated!r} is not one of length, time, disconnect, unspecified",
                "warning",
            )
        identified = record.get("WARC-Identified-Payload-Type")
        if identified is not None and not _MEDIA_TYPE.fullmatch(identified):
            self._add(
                report,
                record,
                "5.19",
                f"WARC-Identified-Payload-Type {identified!r} is not a media type",
            )
        self._segments(report, record, kind)
        self._type_rules(report, record, kind, content_type, length)
        return record_type, length

    @staticmethod
    def _canonical(record: _Record, lowered: str) -> str:
        for name, _ in record.fields:
            if name.lower() == lowered:
                return name
        return lowered

    def _id_syntax(
        self, report: CheckReport, record: _Record, name: str, value: str, section: str
    ) -> bool:
        stripped = value.strip()
        if not (stripped.startswith("<") and stripped.endswith(">")):
            severity = "warning" if record.version == "WARC/1.0" else "error"
            self._add(
                report,
                record,
                section,
                f"{name} {value!r} is not written '<uri>' (WARC 1.1 encloses IDs in angle "
                "brackets)",
                severity,
            )
        inner = _strip_id(stripped)
        if not _URI.fullmatch(inner):
            self._add(
                report,
                record,
                section,
                f"{name} {value!r} is not a URI with a scheme and no whitespace",
            )
            return False
        return True

    def _segments(self, report: CheckReport, record: _Record, kind: str) -> None:
        number = record.get("WARC-Segment-Number")
        if number is not None and not re.fullmatch(r"\d+", number.strip()):
            self._add(report, record, "5.20", f"WARC-Segment-Number {number!r} is not a number")
        total = record.get("WARC-Segment-Total-Length")
        if total is not None and not re.fullmatch(r"\d+", total.strip()):
            self._add(
                report, record, "5.22", f"WARC-Segment-Total-Length {total!r} is not a number"
            )
        if kind == "continuation":
            if record.get("WARC-Segment-Origin-ID") is None:
                self._add(
                    report, record, "6.9", "a continuation record needs WARC-Segment-Origin-ID"
                )
            if number is None:
                self._add(report, record, "6.9", "a continuation record needs WARC-Segment-Number")
        elif number is not None and number.strip() != "1":
            self._add(
                report,
                record,
                "7",
                f"WARC-Segment-Number {number} on a {kind} record: the first segment is 1",
            )

    def _type_rules(
        self,
        report: CheckReport,
        record: _Record,
        kind: str,
        content_type: str | None,
        length: int | None,
    ) -> None:
        media = (content_type or "").split(";")[0].strip().lower()
        target = _strip_id(record.get("WARC-Target-URI") or "")
        http = target.lower().startswith(("http:", "https:"))
        if kind in ("warcinfo", "metadata") and content_type and media != "application/warc-fields":
            self._add(
                report,
                record,
                "6.2" if kind == "warcinfo" else "6.6",
                f"a {kind} block of type {media!r}: application/warc-fields is recommended "
                "(section 8)",
                "warning",
            )
        if kind in ("response", "request") and http and length and media != "application/http":
            self._add(
                report,
                record,
                "6.3.2" if kind == "response" else "6.5.2",
                f"an {kind} record for an {target.split(':')[0]} URI should have Content-Type "
                f"application/http;msgtype={kind}, not {content_type!r}",
                "warning",
            )
        if kind == "revisit":
            profile = record.get("WARC-Profile")
            if profile is None:
                self._add(report, record, "6.7.1", "a revisit record must have a WARC-Profile")
            elif profile.strip() not in PROFILES:
                self._add(
                    report,
                    record,
                    "5.18",
                    f"unknown WARC-Profile {profile!r}: readers will not interpret this record",
                    "warning",
                )
            elif PROFILES[profile.strip()] == "identical":
                if record.get("WARC-Payload-Digest") is None:
                    self._add(
                        report,
                        record,
                        "6.7.2",
                        "an identical-payload-digest revisit must have a WARC-Payload-Digest",
                    )
                if length and record.get("WARC-Truncated") is None:
                    self._add(
                        report,
                        record,
                        "6.7.2",
                        "an identical-payload-digest revisit with a block should say "
                        "WARC-Truncated: length (the duplicate payload is left out)",
                        "warning",
                    )

    # -- block
    def _block(self, source: _Source, report: CheckReport, record: _Record, start: int) -> bool:
        record_type, length = self._fields(report, record)
        kind = record_type or ""
        if record.record_id is not None:
            key = _strip_id(record.record_id)
            if key in self.ids:
                first_file, first_offset, _ = self.ids[key]
                where = "" if first_file == report.file else f" of {first_file}"
                self._add(
                    report,
                    record,
                    "5.2",
                    f"duplicate WARC-Record-ID: the record at offset {first_offset}{where} "
                    "has it too (IDs are globally unique)",
                )
            else:
                self.ids[key] = (report.file, record.offset, kind)
        if length is None:
            self._add(report, record, "5.3", "without a Content-Length the block cannot be read")
            return False
        digests: list[_Digest] = []
        block_digest = record.get("WARC-Block-Digest")
        block = _Digest("WARC-Block-Digest", block_digest) if block_digest else None
        if block is not None:
            digests.append(block)
        payload_value = record.get("WARC-Payload-Digest")
        payload = _Digest("WARC-Payload-Digest", payload_value) if payload_value else None
        http: _HttpPayload | None = None
        payload_sink: Callable[[bytes], None] | None = None
        target = _strip_id(record.get("WARC-Target-URI") or "").lower()
        if payload is not None and payload.hasher is not None and kind not in NO_PAYLOAD:
            media = (record.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind in ("response", "request") and (
                media == "application/http" or target.startswith(("http:", "https:"))
            ):
                http = _HttpPayload(payload)
                payload_sink = http.feed
            elif kind in ("resource", "conversion"):
                payload_sink = payload.update
        remaining = length
        while remaining:
            data = source.read(min(PIECE, remaining))
            if not data:
                break
            remaining -= len(data)
            for digest in digests:
                digest.update(data)
            if payload_sink is not None:
                payload_sink(data)
        if remaining:
            self._add(
                report,
                record,
                "5.3",
                f"the record is truncated: its block holds {length - remaining} of the "
                f"{length} bytes its Content-Length declares (the file ends)",
            )
            return False
        self._verify(report, record, block, "5.8", "block")
        if payload is not None and kind not in NO_PAYLOAD:
            self._verify_payload(report, record, payload, http, payload_sink, kind)
        end = source.peek(4)
        if end != b"\r\n\r\n":
            self._add(
                report,
                record,
                "4",
                f"the block is not followed by CRLF CRLF (found {end!r}): Content-Length "
                "may be wrong",
            )
            return not end
        source.read(4)
        if source.gzipped:
            if record.inner:
                self._add(
                    report,
                    record,
                    "Annex D.2",
                    "the record does not start its own gzip member (it shares one with the "
                    "record before): one gzip member per record",
                )
            inside = source.members_within(start, source.tell())
            if inside:
                self._add(
                    report,
                    record,
                    "Annex D.2",
                    f"the record spans {inside + 1} gzip members: one gzip member per record",
                )
        return True

    def _verify(
        self, report: CheckReport, record: _Record, digest: _Digest | None, section: str, what: str
    ) -> None:
        if digest is None:
            return
        if digest.problem is not None:
            self._add(report, record, section, digest.problem, "warning")
            return
        expected = digest.expected()
        if expected is None:
            self._add(
                report,
                record,
                section,
                f"{digest.header} {digest.value!r}: the value is not base16, base32 or base64 "
                f"of a {digest.algorithm} digest",
            )
            return
        if digest.hasher.digest() != expected:
            self._add(
                report,
                record,
                section,
                f"{digest.header} {digest.value} does not match the {what} ({digest.computed()})",
            )

    def _verify_payload(
        self,
        report: CheckReport,
        record: _Record,
        digest: _Digest,
        http: _HttpPayload | None,
        sink: Callable[[bytes], None] | None,
        kind: str,
    ) -> None:
        if digest.problem is not None:
            self._add(report, record, "5.9", digest.problem, "warning")
            return
        if sink is None:
            return  # revisit, continuation, unknown types: the payload is not in this block
        if http is not None:
            http.finish()
            if http.failed is not None:
                self._add(
                    report,
                    record,
                    "6.3.2" if kind == "response" else "6.5.2",
                    f"WARC-Payload-Digest not verified: {http.failed}",
                    "warning",
                )
                return
        expected = digest.expected()
        if expected is None:
            self._add(
                report,
                record,
                "5.9",
                f"WARC-Payload-Digest {digest.value!r}: the value is not base16, base32 or "
                f"base64 of a {digest.algorithm} digest",
            )
            return
        if digest.hasher.digest() == expected:
            return
        if (
            http is not None
            and http.chunked is not None
            and http.raw_hasher is not None
            and http.raw_hasher.digest() == expected
        ):
            self._add(
                report,
                record,
                "5.9",
                f"WARC-Payload-Digest {digest.value} covers the chunked transfer-coding "
                "framing, as warcio computes it (warcio issue #74); WARC 1.1 §6.3.2 "
                f"digests the de-chunked entity body ({digest.computed()})",
                "warning",
            )
            return
        where = "the entity body with the transfer-coding removed" if http else "the payload"
        self._add(
            report,
            record,
            "5.9",
            f"WARC-Payload-Digest {digest.value} does not match {where} ({digest.computed()})",
        )

    # -- references
    def resolve(self, known_elsewhere: Callable[[str], bool] | None = None) -> None:
        for report, reference in self.references:
            found = self.ids.get(reference.target)
            record = _Record(reference.offset, reference.inner, "", [], reference.record_id)
            if (
                found is None
                and known_elsewhere is not None
                and reference.field == "WARC-Refers-To"
                and known_elsewhere(reference.target)
            ):
                continue  # a revisit of a record in another WARC of the project
            if found is None:
                severity = "warning" if reference.field == "WARC-Refers-To" else "error"
                tail = (
                    " (it may be in another WARC file: give that file too)"
                    if severity == "warning"
                    else "; give the WARC files holding it too, if it is elsewhere"
                )
                self._add(
                    report,
                    record,
                    reference.section,
                    f"{reference.field} <{reference.target}> names no record in the files "
                    f"checked{tail}",
                    severity,
                )
            elif reference.field == "WARC-Warcinfo-ID" and found[2] != "warcinfo":
                self._add(
                    report,
                    record,
                    "5.16",
                    f"WARC-Warcinfo-ID <{reference.target}> names a {found[2]} record, "
                    "not a warcinfo record",
                )


# --------------------------------------------------------------------------- entry points


def check_warcs(
    paths: Sequence[str | Path],
    *,
    display: Callable[[Path], str] | None = None,
    known_elsewhere: Callable[[str], bool] | None = None,
) -> list[CheckReport]:
    """Check WARC files against WARC 1.1; references are resolved over all of them.

    Returns one report per file (``report.ok`` False when it has an error).  Raises
    WarcReadError only when a file cannot be opened at all.
    """
    checker = _Checker()
    reports = []
    for given in paths:
        path = Path(given)
        reports.append(checker.check_file(path, display(path) if display else str(given)))
    checker.resolve(known_elsewhere)
    for report in reports:
        report.problems.sort(key=lambda p: (-1 if p.offset is None else p.offset, p.inner or 0))
    return reports


def check_warc(
    path: str | Path,
    *,
    display: str | None = None,
    known_elsewhere: Callable[[str], bool] | None = None,
) -> CheckReport:
    """Check one WARC file (see :func:`check_warcs`); ``known_elsewhere(id)`` says whether
    a WARC-Refers-To target not in the file is a record of another file (no warning)."""
    shown = (lambda _p: display) if display else None
    return check_warcs([path], display=shown, known_elsewhere=known_elsewhere)[0]


def warc_problems(
    path: Path, shown: str, known_elsewhere: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, str]]:
    """(message, severity) of each problem ``warcite check`` finds in a record's WARC,
    for ``validate --deep`` (revisit targets resolved by ``known_elsewhere``)."""
    try:
        report = check_warc(path, display=shown, known_elsewhere=known_elsewhere)
    except WarcReadError as error:
        yield str(error), "error"
        return
    for problem in report.problems:
        yield (
            f"warcite check: {problem.where()}: "
            f"{problem.record_id + ': ' if problem.record_id else ''}"
            f"{SPEC} §{problem.section}: {problem.message}",
            problem.severity,
        )


def summary(reports: Iterable[CheckReport]) -> str:
    """``2 problems in 1 of 3 WARC files`` (errors only)."""
    reports = list(reports)
    failed = [report for report in reports if not report.ok]
    count = sum(1 for r in failed for p in r.problems if p.severity == "error")
    return (
        f"{count} problem{'s' if count != 1 else ''} in {len(failed)} of {len(reports)} "
        f"WARC file{'s' if len(reports) != 1 else ''}"
    )


__all__ = [
    "CheckProblem",
    "CheckReport",
    "check_warc",
    "check_warcs",
    "summary",
    "warc_problems",
]

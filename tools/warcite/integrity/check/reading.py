"""Reading a WARC for checking: a bounded byte source, streaming digests, HTTP payloads
(WARC 1.1 sections 5.8, 5.9 and 6.3.2)."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO

from warcite.integrity.check.problems import MAX_HEADER_BYTES, PIECE

# --------------------------------------------------------------------------- byte source


class BrokenSource(Exception):
    """The file cannot be read on from here (corrupt or truncated gzip, not gzip)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class ByteSource:
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
                    raise BrokenSource(
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
                    raise BrokenSource(
                        f"the gzip member at offset {self.member_offset} is truncated: the "
                        "file ends before the member's end (a cut-off download or copy?)",
                        self.member_offset,
                    )
            try:
                output = self.decompressor.decompress(data, PIECE)
            except zlib.error as error:
                self.ended = True
                raise BrokenSource(
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


class StreamingDigest:
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
        from warcite.core.warc.digests import decode_digest_value as _decode_digest_value

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
    """Undo chunked transfer-coding as bytes stream past (like warcite.core.warc.http.dechunk).

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
                # next size line, as warcite.core.warc.http.dechunk tolerates
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


class HttpPayload:
    """Find the entity body of an HTTP message block and pass it, decoded of its
    transfer-coding, to the payload digest (and, raw, to a warcio-style digest)."""

    def __init__(self, digest: StreamingDigest) -> None:
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

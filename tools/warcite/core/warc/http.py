"""HTTP messages inside WARC records: parsing, chunked transfer-coding, content-codings."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from warcite.core.codings import (
    DEFAULT_DECODED_LIMIT,
    DecodedTooLarge,
    DecodingError,
    UnsupportedCoding,
    brotli_bounded,
    decode_codings,
    parse_codings,
)
from warcite.core.errors import WarcReadError

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
    :mod:`warcite.core.codings` (at most ``limit`` bytes out; a stream cut short gives the
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

    Decoding streams (:mod:`warcite.core.codings`): a decompression bomb stops at ``limit``
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

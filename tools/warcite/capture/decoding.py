"""Streaming decoders for capture: chunked framing, transfer- and content-codings, each bounded.

Capture never holds a body in memory: it feeds what arrives, piece by piece, through these
decoders to compute the payload digest (transfer-codings undone) and to find requisites
(content-codings undone too).  Every decoder yields at most ``limit`` bytes in total and
raises :class:`DecodeLimitError` beyond, so a small compressed answer cannot make capture
produce gigabytes (a decompression bomb); :class:`DecodeError` is raised for data that is
not what its coding says.  (The reading side, :mod:`warcite.warc`, has its own decoders.)
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

_CHUNK_SIZE_LINE = re.compile(rb"[0-9A-Fa-f]+")
MAX_CHUNK_LINE = 4096
"""The longest chunk-size line (with extensions) or trailer line accepted."""


class DecodeError(ValueError):
    """Bytes that are not what their framing or coding says."""


class DecodeLimitError(DecodeError):
    """Decoding would produce more than the allowed number of bytes."""


PIECE = 1 << 20
"""The most bytes a decoder produces at a time: a bomb expands piece by piece, never at once."""


class Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class ChunkedDecoder:
    """Undoes chunked transfer-coding incrementally (RFC 9112 section 7.1).

    :meth:`feed` returns the chunk data in what it was given; ``done`` turns true at the end
    of the trailer section, and ``consumed`` tells how many bytes of the last piece fed
    belong to the message (the rest, if any, follows the message on the connection).
    """

    def __init__(self) -> None:
        self._state = "size"  # size, data, data-end, trailer
        self._line = bytearray()
        self._remaining = 0
        self.done = False
        self.consumed = 0

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        position = 0
        length = len(data)
        while position < length and not self.done:
            if self._state == "data":
                take = min(self._remaining, length - position)
                out += data[position : position + take]
                position += take
                self._remaining -= take
                if self._remaining == 0:
                    self._state = "data-end"
                continue
            newline = data.find(b"\n", position)
            end = length if newline < 0 else newline + 1
            self._line += data[position:end]
            position = end
            if len(self._line) > MAX_CHUNK_LINE:
                raise DecodeError(f"a chunk line is longer than {MAX_CHUNK_LINE} bytes")
            if newline < 0:
                break
            line = bytes(self._line).rstrip(b"\r\n")
            self._line.clear()
            if self._state == "data-end":
                self._state = "size"
                if not line:
                    continue
                # no CRLF after the data: read the line as the next size line, as the
                # reading side (warcite.core.warc.http.dechunk) does, so both digest the same bytes
            if self._state == "size":
                size_text = line.split(b";", 1)[0].strip()
                if not _CHUNK_SIZE_LINE.fullmatch(size_text) or len(size_text) > 16:
                    raise DecodeError(f"bad chunk size line {line[:40]!r}")
                self._remaining = int(size_text, 16)
                self._state = "data" if self._remaining else "trailer"
            elif not line.strip():  # trailer: fields until an empty line
                self.done = True
        self.consumed = position
        return bytes(out)

    def finish(self) -> bytes:
        return b""


class _ZlibDecoder:
    """gzip or zlib-wrapped deflate (raw deflate when the zlib header is missing, as some
    servers send); one stream: data after its end is ignored, as the reading side does."""

    def __init__(self, window_bits: int, limit: int, coding: str) -> None:
        self._object: Any = zlib.decompressobj(window_bits)
        self._limit = limit
        self._produced = 0
        self._coding = coding
        self._fed = False

    def _take(self, output: bytes) -> bytes:
        self._produced += len(output)
        if self._produced > self._limit:
            raise DecodeLimitError(f"{self._coding}: the decoded data exceeds {self._limit} bytes")
        return output

    def feed(self, data: bytes) -> Iterator[bytes]:
        first = not self._fed
        self._fed = True
        produced_here = False
        while data and not self._object.eof:
            try:
                chunk = self._object.decompress(data, PIECE)
            except zlib.error as error:
                if first and self._coding == "deflate" and not produced_here:
                    self._object = zlib.decompressobj(-zlib.MAX_WBITS)
                    first = False
                    continue
                raise DecodeError(f"{self._coding}: corrupt data ({error})") from error
            if chunk:
                produced_here = True
                yield self._take(chunk)
            data = self._object.unconsumed_tail

    def finish(self) -> Iterator[bytes]:
        if self._object.eof:
            return
        try:
            tail = self._object.flush()
        except zlib.error as error:
            raise DecodeError(f"{self._coding}: corrupt data ({error})") from error
        if tail:
            yield self._take(tail)


class _BrotliDecoder:
    def __init__(self, limit: int) -> None:
        try:
            import brotli
        except ImportError:
            import brotlicffi as brotli  # type: ignore[import-not-found,no-redef,unused-ignore]
        self._object: Any = brotli.Decompressor()
        self._limit = limit
        self._produced = 0
        self._bounded = hasattr(self._object, "can_accept_more_data")  # brotli >= 1.2

    def _take(self, piece: bytes) -> bytes:
        self._produced += len(piece)
        if self._produced > self._limit:
            raise DecodeLimitError(f"br: the decoded data exceeds {self._limit} bytes")
        return piece

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            if self._bounded:  # each call's output is capped at PIECE
                piece = self._object.process(data, output_buffer_limit=PIECE)
                while True:
                    if piece:
                        yield self._take(piece)
                    if self._object.can_accept_more_data():
                        break
                    piece = self._object.process(b"", output_buffer_limit=PIECE)
            else:  # older brotli: tiny slices keep each expansion small
                for start in range(0, len(data), 16):
                    piece = self._object.process(data[start : start + 16])
                    if piece:
                        yield self._take(piece)
        except DecodeLimitError:
            raise
        except Exception as error:  # brotli.error has no stable public name
            raise DecodeError(f"br: corrupt data ({error})") from error

    def finish(self) -> Iterator[bytes]:
        if not self._bounded:
            return
        try:
            while True:  # output still held back by the cap
                piece = self._object.process(b"", output_buffer_limit=PIECE)
                if not piece:
                    return
                yield self._take(piece)
        except DecodeLimitError:
            raise
        except Exception as error:
            raise DecodeError(f"br: corrupt data ({error})") from error


class _LimitedSink:
    """Where zstandard writes decoded data: refuses to hold more than the limit."""

    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self.produced = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.produced += len(data)
        if self.produced > self.limit:
            raise DecodeLimitError(f"zstd: the decoded data exceeds {self.limit} bytes")
        self.data += data
        return len(data)


class _ZstdDecoder:
    """zstd through a stream writer, fed a few bytes at a time so that what one write can
    expand to stays small (an RLE block of a few bytes can stand for 128 kB)."""

    def __init__(self, limit: int) -> None:
        import zstandard

        self._sink = _LimitedSink(limit)
        sink: Any = self._sink
        self._object: Any = zstandard.ZstdDecompressor().stream_writer(
            sink, write_size=65536, write_return_read=True
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), 32):
            try:
                self._object.write(data[start : start + 32])
            except DecodeLimitError:
                raise
            except Exception as error:  # zstandard.ZstdError
                raise DecodeError(f"zstd: corrupt data ({error})") from error
            if self._sink.data and (len(self._sink.data) >= PIECE or start + 32 >= len(data)):
                out = bytes(self._sink.data)
                self._sink.data.clear()
                yield out

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> Iterator[bytes]:
        return iter(())


def codings_of(header_values: Iterable[str]) -> list[str]:
    """The codings named by (repeated) Transfer-Encoding or Content-Encoding headers, in order."""
    return [
        coding.strip().lower()
        for value in header_values
        for coding in value.split(",")
        if coding.strip()
    ]


def coding_decoder(coding: str, limit: int, *, transfer: bool) -> Decoder:
    """A streaming decoder for one coding; DecodeError when it is not supported here.

    Transfer-codings (besides chunked, handled by :class:`ChunkedDecoder`) are gzip,
    x-gzip, deflate and identity, as the reading side undoes them; content-codings add br
    and zstd where their modules are installed.
    """
    from warcite.core.warc.http import available_content_codings

    if coding == "identity":
        return _Identity()
    if coding in ("gzip", "x-gzip"):
        return _ZlibDecoder(zlib.MAX_WBITS | 16, limit, coding)
    if coding == "deflate":
        return _ZlibDecoder(zlib.MAX_WBITS, limit, coding)
    if not transfer and coding == "br" and "br" in available_content_codings():
        return _BrotliDecoder(limit)
    if not transfer and coding == "zstd" and "zstd" in available_content_codings():
        return _ZstdDecoder(limit)
    kind = "transfer-coding" if transfer else "content-coding"
    raise DecodeError(f"{kind} {coding!r} cannot be decoded here")


class DecoderChain:
    """Several codings undone in turn (the last applied is undone first).

    :meth:`feed` and :meth:`finish` yield the decoded data in pieces of at most
    :data:`PIECE` bytes; consume them fully before feeding more.
    """

    def __init__(self, codings: Iterable[str], limit: int, *, transfer: bool) -> None:
        self._decoders = [
            coding_decoder(coding, limit, transfer=transfer) for coding in reversed(list(codings))
        ]

    def _pipe(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        if index == len(self._decoders):
            yield from pieces
            return
        decoder = self._decoders[index]
        for piece in pieces:
            yield from self._pipe(index + 1, decoder.feed(piece))

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._pipe(0, [data] if data else [])

    def finish(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self._decoders):
            yield from self._pipe(index + 1, decoder.finish())

"""Undoing HTTP content- and transfer-codings with a bound on the output: the one decoder.

Every place that decompresses archived bytes (``warc.py`` for transfer-codings and
``Content-Encoding``, ``extract/decode.py`` for the page body) calls :func:`decode_codings`.
Archived bytes are controlled by whoever served them, so decoding never trusts them:

- **Streaming.**  Each coding is undone by an incremental decoder that hands out at most
  :data:`CHUNK_BYTES` at a time (``zlib.decompressobj(...).decompress(data, max_length)``,
  brotli's ``Decompressor.process(data, output_buffer_limit=...)``, zstandard's
  ``decompressobj`` fed a few hundred input bytes at a time, which by the Zstandard format
  cannot yield more than 128 KiB per 4-byte block).  Stacked codings (``Content-Encoding:
  gzip, br``; ``Transfer-Encoding: gzip, chunked``) are a pipeline of such decoders, so an
  intermediate stage is never held whole either.
- **A limit on every stage.**  No stage may produce more than ``limit`` bytes
  (:data:`DEFAULT_DECODED_LIMIT`, 64 MiB, unless the caller passes another): past it,
  decoding stops with :class:`DecodedTooLarge`.  An 809-byte brotli body that would expand to
  2 GB, or a 16 KB gzip bomb, costs at most ``limit`` bytes of memory and the time to produce
  them.
- **Bounded work.**  At most :data:`MAX_CODINGS` codings (``identity`` not counted) are
  undone; a longer list is refused.  Brotli and Zstandard windows are those of the formats'
  HTTP profiles (Zstandard frames declaring a window above :data:`ZSTD_MAX_WINDOW_BYTES`,
  the 8 MiB of RFC 9659, are refused rather than allocated).
- **Clear failures.**  Corrupt data, an unknown coding or a missing optional decoder is a
  :class:`DecodingError` (a ``ValueError``) whose message says what is wrong; callers wrap it
  in their own :class:`~warcite.core.errors.WarciteError` subclass.  A stream cut short is an
  error (:class:`TruncatedCoding`) when ``strict``; otherwise the bytes that arrived are kept
  (a capture cut off by the server is still worth reading).

gzip streams may hold several members (each is decoded); bytes after the last member that
are not another member are ignored, as browsers ignore them.  ``deflate`` is zlib-wrapped
(RFC 9110) or, as some servers send it, raw: the zlib header tells which.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

#: The most bytes a decoded body (and every intermediate stage) may hold: 64 MiB, far
#: larger than any article page, far smaller than a decompression bomb.
DEFAULT_DECODED_LIMIT = 64 * 1024 * 1024

#: The most codings undone for one body (``identity`` not counted).
MAX_CODINGS = 8

#: The most bytes a decoder hands out at a time.
CHUNK_BYTES = 256 * 1024

#: The largest Zstandard window accepted (RFC 9659 limits the zstd content-coding to 8 MiB).
ZSTD_MAX_WINDOW_BYTES = 8 * 1024 * 1024

#: Input bytes given to the Zstandard decoder per call: a Zstandard block is at least 4
#: bytes and at most 128 KiB decoded, so one call yields at most 8 MiB.
_ZSTD_INPUT_BYTES = 256

_GZIP_MAGIC = b"\x1f\x8b"

#: Codings each name stands for (``x-gzip`` is ``gzip``; RFC 9110 section 8.4.1.3).
_ALIASES = {"x-gzip": "gzip", "none": "identity"}


class DecodingError(ValueError):
    """Bytes that do not decode as their coding says: corrupt, cut short, or unsupported."""


class UnsupportedCoding(DecodingError):
    """A coding warcite does not know, or whose optional decoder is not installed."""

    def __init__(self, message: str, coding: str) -> None:
        super().__init__(message)
        self.coding = coding


class DecoderMissing(UnsupportedCoding):
    """A known coding (br, zstd) whose optional decoder is not installed here."""


class TruncatedCoding(DecodingError):
    """A compressed stream that ends before its end marker."""

    def __init__(self, message: str, coding: str) -> None:
        super().__init__(message)
        self.coding = coding


class CorruptCoding(DecodingError):
    """Bytes that are not valid data of the coding they are declared in."""

    def __init__(self, message: str, coding: str) -> None:
        super().__init__(message)
        self.coding = coding


class DecodedTooLarge(DecodingError):
    """Decoding would produce more than the limit: a decompression bomb, or a huge body."""

    def __init__(self, coding: str, limit: int) -> None:
        super().__init__(
            f"the {coding} data decodes to more than {limit} bytes (the limit on a decoded "
            "body): refusing to decode it (a decompression bomb, or a body far larger than "
            "a page)"
        )
        self.coding = coding
        self.limit = limit


def parse_codings(values: Iterable[str | None]) -> list[str]:
    """The codings named in header values (``"gzip, br"``), lowercased, in the order applied."""
    codings: list[str] = []
    for value in values:
        for part in (value or "").split(","):
            coding = part.strip().lower()
            if coding:
                codings.append(_ALIASES.get(coding, coding))
    return codings


def _pieces(data: bytes | bytearray | memoryview, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(view), size):
        yield bytes(view[start : start + size])


def _zlib_wrapped(head: bytes) -> bool:
    """Whether ``head`` starts with a zlib header (RFC 1950), not raw deflate."""
    if len(head) < 2:
        return True  # too short to tell: let zlib judge (and report) it
    cmf, flg = head[0], head[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and ((cmf << 8) | flg) % 31 == 0


def _inflate(source: Iterator[bytes], coding: str, *, strict: bool) -> Iterator[bytes]:
    """gzip (every member) or deflate (zlib-wrapped or raw), CHUNK_BYTES at a time."""
    pending = b""
    for piece in source:
        pending = piece
        if pending:
            break
    if not pending:
        return
    if coding == "gzip":
        wbits = zlib.MAX_WBITS | 16
    else:
        wbits = zlib.MAX_WBITS if _zlib_wrapped(pending[:2]) else -zlib.MAX_WBITS
    decompressor = zlib.decompressobj(wbits)
    finished = False
    try:
        while True:
            data = pending
            while data:
                output = decompressor.decompress(data, CHUNK_BYTES)
                if output:
                    yield output
                if decompressor.eof:
                    finished = True
                    break
                data = decompressor.unconsumed_tail
            if finished:
                rest = decompressor.unused_data
                if coding != "gzip":
                    return  # trailing bytes after a deflate stream are ignored
                if len(rest) < 2:
                    rest += next(source, b"")
                if not rest.startswith(_GZIP_MAGIC):
                    return  # trailing bytes that are not another member are ignored
                decompressor = zlib.decompressobj(wbits)
                finished = False
                pending = rest
                continue
            next_piece = next(source, None)
            if next_piece is None:
                break
            pending = next_piece
        # The input ended: output still held inside the decoder comes out, bounded.
        while not decompressor.eof:
            output = decompressor.decompress(b"", CHUNK_BYTES)
            if not output:
                break
            yield output
        if strict and not decompressor.eof:
            raise TruncatedCoding(
                f"the {coding} data is truncated: the compressed stream ends early "
                "(was the capture cut short?)",
                coding,
            )
    except zlib.error as error:
        raise CorruptCoding(
            f"the data is declared as {coding} but does not decompress ({error})", coding
        ) from error


def _brotli_module() -> Any:
    try:
        import brotli  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        try:
            import brotlicffi as brotli  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            raise DecoderMissing(
                "the data is Brotli-compressed (br) and no Brotli decoder is installed: "
                "pip install 'warcite[compression]' (or brotli) and retry",
                "br",
            ) from None
    return brotli


@functools.lru_cache(maxsize=1)
def brotli_bounded() -> bool:
    """Whether the installed Brotli decoder can bound its output (brotli >= 1.2)."""
    try:
        brotli = _brotli_module()
        decompressor = brotli.Decompressor()
        decompressor.process(b"", output_buffer_limit=1)
    except (DecodingError, TypeError, AttributeError):
        return False
    except Exception:  # a broken native build
        return False
    return True


def _unbrotli(source: Iterator[bytes], *, strict: bool) -> Iterator[bytes]:
    brotli = _brotli_module()
    if not brotli_bounded():
        raise DecoderMissing(
            "the data is Brotli-compressed (br) and the installed Brotli decoder cannot "
            "bound its output (a decompression bomb would exhaust memory): "
            "pip install 'brotli>=1.2' and retry",
            "br",
        )
    decompressor = brotli.Decompressor()
    error_type = getattr(brotli, "error", Exception)
    try:
        for piece in source:
            if decompressor.is_finished():
                break  # bytes after the end of the stream are ignored
            output = decompressor.process(piece, output_buffer_limit=CHUNK_BYTES)
            if output:
                yield output
            while not decompressor.can_accept_more_data():
                output = decompressor.process(b"", output_buffer_limit=CHUNK_BYTES)
                if not output:
                    break
                yield output
        while not decompressor.is_finished():
            output = decompressor.process(b"", output_buffer_limit=CHUNK_BYTES)
            if not output:
                break
            yield output
    except error_type as error:
        raise CorruptCoding(
            f"the data is declared as br but does not decompress ({error})", "br"
        ) from error
    if strict and not decompressor.is_finished():
        raise TruncatedCoding(
            "the br data is truncated: the compressed stream ends early "
            "(was the capture cut short?)",
            "br",
        )


def _unzstd(source: Iterator[bytes], *, strict: bool) -> Iterator[bytes]:
    try:
        import zstandard
    except ImportError:
        raise DecoderMissing(
            "the data is Zstandard-compressed (zstd) and no Zstandard decoder is installed: "
            "pip install 'warcite[compression]' (or zstandard) and retry",
            "zstd",
        ) from None
    factory = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW_BYTES)
    decompressor = factory.decompressobj()
    frames = 0  # frames decoded to their end
    started = False  # whether the current frame has been given input
    for piece in source:
        for start in range(0, len(piece), _ZSTD_INPUT_BYTES):
            chunk = piece[start : start + _ZSTD_INPUT_BYTES]
            while chunk:
                try:
                    output = decompressor.decompress(chunk)
                except zstandard.ZstdError as error:
                    if frames and not started:
                        return  # bytes after the last frame are ignored
                    raise CorruptCoding(
                        f"the data is declared as zstd but does not decompress ({error})",
                        "zstd",
                    ) from error
                started = True
                if output:
                    yield output
                if not decompressor.eof:
                    break
                frames += 1
                chunk = decompressor.unused_data
                decompressor = factory.decompressobj()
                started = False
    if strict and started:
        raise TruncatedCoding(
            "the zstd data is truncated: the compressed stream ends early "
            "(was the capture cut short?)",
            "zstd",
        )


def _bounded(source: Iterator[bytes], coding: str, limit: int) -> Iterator[bytes]:
    total = 0
    for piece in source:
        total += len(piece)
        if total > limit:
            raise DecodedTooLarge(coding, limit)
        yield piece


def iter_decoded(
    data: bytes | bytearray | memoryview | Iterable[bytes],
    codings: Sequence[str],
    *,
    limit: int = DEFAULT_DECODED_LIMIT,
    strict: bool = True,
    transfer: bool = False,
) -> Iterator[bytes]:
    """The decoded bytes of ``data``, chunk by chunk; ``codings`` in the order applied.

    ``transfer`` selects the transfer-codings (gzip, deflate) instead of the
    content-codings (gzip, deflate, br, zstd); ``chunked`` framing is undone by the caller.
    Raises :class:`DecodingError` (see the module docstring) as soon as a stage fails.
    """
    if limit < 0:
        raise ValueError("the limit on a decoded body cannot be negative")
    wanted = [coding for coding in codings if coding != "identity"]
    if len(wanted) > MAX_CODINGS:
        raise UnsupportedCoding(
            f"{len(wanted)} codings are stacked ({', '.join(wanted[:MAX_CODINGS])}, ...); "
            f"warcite undoes at most {MAX_CODINGS}",
            wanted[MAX_CODINGS],
        )
    kind = "transfer-coding" if transfer else "content-coding"
    known = ("gzip", "deflate") if transfer else ("gzip", "deflate", "br", "zstd")
    for coding in wanted:
        if coding not in known:
            raise UnsupportedCoding(
                f"unsupported {kind} {coding!r}: warcite decodes {', '.join(known)}", coding
            )
    if isinstance(data, (bytes, bytearray, memoryview)):
        stream: Iterator[bytes] = _pieces(data)
    else:
        stream = iter(data)
    for coding in reversed(wanted):
        if coding == "br":
            stream = _unbrotli(stream, strict=strict)
        elif coding == "zstd":
            stream = _unzstd(stream, strict=strict)
        else:
            stream = _inflate(stream, coding, strict=strict)
        stream = _bounded(stream, coding, limit)
    return stream


def decode_codings(
    data: bytes | bytearray | memoryview,
    codings: Sequence[str],
    *,
    limit: int = DEFAULT_DECODED_LIMIT,
    strict: bool = True,
    transfer: bool = False,
) -> bytes:
    """``data`` with ``codings`` (in the order applied) undone, at most ``limit`` bytes.

    Raises :class:`DecodedTooLarge` past the limit, :class:`DecodingError` for anything
    else that does not decode.  Without codings, ``data`` is returned as it is.
    """
    if not [coding for coding in codings if coding != "identity"]:
        return bytes(data)
    output = bytearray()
    for piece in iter_decoded(data, codings, limit=limit, strict=strict, transfer=transfer):
        output += piece
    return bytes(output)


__all__ = [
    "CHUNK_BYTES",
    "DEFAULT_DECODED_LIMIT",
    "MAX_CODINGS",
    "ZSTD_MAX_WINDOW_BYTES",
    "CorruptCoding",
    "DecodedTooLarge",
    "DecoderMissing",
    "DecodingError",
    "TruncatedCoding",
    "UnsupportedCoding",
    "brotli_bounded",
    "decode_codings",
    "iter_decoded",
    "parse_codings",
]

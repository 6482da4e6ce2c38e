"""Archived bytes -> text: content-coding, media type and charset, the way browsers do it.

Order of work in :func:`decode_body`:

1. **Content-coding** (``Content-Encoding``): ``gzip``/``x-gzip``, ``deflate`` (zlib-wrapped
   or raw, both are seen in the wild), ``br`` when :mod:`brotli` (or ``brotlicffi``) is
   installed, ``zstd`` when :mod:`zstandard` is installed; several codings are undone in
   reverse order.  An unknown coding, a missing decoder or corrupt data is an
   :class:`~warcite.errors.ExtractionError`: compressed bytes are never read as text.
   A body that starts with the gzip magic number although no coding was declared (a
   common server misconfiguration) is gunzipped when it decompresses cleanly.
2. **Media type**: the caller's override (for WARC resource records), else the
   ``Content-Type`` header, else sniffing (HTML-looking, plain text or binary).  Binary
   content (images, PDF, archives, anything with NUL bytes that is not UTF-16) is an
   ``ExtractionError`` naming the media type.
3. **Charset**, first that applies (the WHATWG encoding-sniffing order): a byte order
   mark; the ``charset`` parameter of ``Content-Type``; for HTML, a ``<meta charset>`` or
   ``<meta http-equiv="Content-Type">`` (or an XML declaration) in the first
   :data:`PRESCAN_BYTES` bytes; valid UTF-8; then detection with :mod:`charset_normalizer`;
   finally windows-1252.  Labels are mapped as the WHATWG Encoding Standard maps them, so
   ``iso-8859-1``, ``latin1`` and ``us-ascii`` decode as windows-1252, ``euc-kr`` as
   windows-949, ``gb2312`` as GB18030, ``shift_jis`` as windows-31J.  Undecodable bytes
   become U+FFFD, as in a browser.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from warcite.errors import ExtractionError
from warcite.models import Headers

#: How far into an HTML document ``<meta charset>`` is looked for (WHATWG prescan: 1024;
#: real pages put long ``<head>`` scripts first, so warcite looks further).
PRESCAN_BYTES = 4096

#: Upper bound on a decompressed body, against decompression bombs.
MAX_DECODED_BYTES = 128 * 1024 * 1024

#: How many bytes charset detection looks at (detection is slow on large inputs).
DETECTION_SAMPLE_BYTES = 64 * 1024

#: Detection results whose "chaos" differs by at most this much count as equally good.
DETECTION_TIE = 0.5

#: Media types that are text warcite can decode (other ``text/*`` types are text too).
TEXTUAL_MEDIA_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/json",
        "application/ld+json",
        "application/javascript",
        "application/rss+xml",
        "application/atom+xml",
    }
)

#: Media types that say nothing about the content: sniff instead.
UNINFORMATIVE_MEDIA_TYPES = frozenset({"", "application/octet-stream", "application/unknown"})

#: WHATWG Encoding Standard label -> the Python codec that decodes it as browsers do.
#: Labels not listed here go through :func:`codecs.lookup`.
WHATWG_LABELS: dict[str, str] = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso88591": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "iso8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "korean": "cp949",
    "windows-949": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
}

#: Byte order marks, longest first.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Magic numbers of binary formats, for a clear error instead of mojibake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"(\xb5/\xfd", "application/zstd"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"\x7fELF", "application/x-executable"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_XML_DECLARATION_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""", re.IGNORECASE
)
_HTML_SNIFF = re.compile(
    rb"""^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|
    table|a|style|title|b|br|p|meta|link|article|section|header|!--)[\s>/]""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class DecodedDocument:
    """A decoded entity body.

    ``media_type`` is lowercase without parameters; ``charset`` is the WHATWG/Python name of
    the encoding used (``None`` only for an empty body); ``charset_source`` says how it was
    chosen: "bom", "http", "meta", "utf-8-valid", "detection" or "default";
    ``content_codings`` lists the content-codings undone, in the order they were declared.
    """

    text: str
    charset: str | None
    media_type: str
    charset_source: str
    content_codings: tuple[str, ...] = ()


def header_values(headers: Headers, name: str) -> list[str]:
    """Every value of header ``name`` (case-insensitive), in order."""
    wanted = name.lower()
    return [value for key, value in headers if key.lower() == wanted]


def parse_content_type(value: str | None) -> tuple[str, dict[str, str]]:
    """``'text/HTML; Charset="UTF-8"'`` -> ``('text/html', {'charset': 'UTF-8'})``."""
    if not value:
        return "", {}
    parts = value.split(";")
    media_type = parts[0].strip().lower()
    parameters: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, raw = part.partition("=")
        if sep:
            parameters[key.strip().lower()] = raw.strip().strip("\"'").strip()
    return media_type, parameters


def normalize_charset(label: str | None) -> str | None:
    """The Python codec for an encoding label, as browsers interpret it; None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if not key:
        return None
    if key in WHATWG_LABELS:
        return WHATWG_LABELS[key]
    try:
        name = codecs.lookup(key).name
    except (LookupError, ValueError):
        return None
    # codecs.lookup normalises aliases: map the WHATWG-overridden ones again.
    return WHATWG_LABELS.get(name, name)


def undo_content_coding(body: bytes, codings: Sequence[str]) -> bytes:
    """Remove the content-codings listed (as in ``Content-Encoding``, applied left to right)."""
    for coding in reversed([c.strip().lower() for c in codings if c.strip()]):
        if coding in ("identity", "none"):
            continue
        if coding in ("gzip", "x-gzip"):
            body = _inflate(body, zlib.MAX_WBITS | 16, "gzip")
        elif coding == "deflate":
            try:
                body = _inflate(body, zlib.MAX_WBITS, "deflate")
            except ExtractionError:
                body = _inflate(body, -zlib.MAX_WBITS, "deflate")
        elif coding == "br":
            body = _unbrotli(body)
        elif coding == "zstd":
            body = _unzstd(body)
        else:
            raise ExtractionError(
                f"unsupported Content-Encoding {coding!r}: warcite decodes gzip, deflate, "
                "br and zstd; the archived bytes are kept, but no text can be read from them"
            )
    return body


def _inflate(body: bytes, wbits: int, label: str) -> bytes:
    """zlib/gzip/raw-deflate decompression, bounded, concatenated gzip members included."""
    output = bytearray()
    data = body
    try:
        while data:
            decompressor = zlib.decompressobj(wbits)
            output += decompressor.decompress(data, MAX_DECODED_BYTES + 1 - len(output))
            if len(output) > MAX_DECODED_BYTES:
                raise ExtractionError(
                    f"{label} body inflates to more than {MAX_DECODED_BYTES} bytes: refusing "
                    "to decode it (a decompression bomb, or a page far larger than an article)"
                )
            if not decompressor.eof:
                raise ExtractionError(
                    f"the {label} body is truncated: the compressed stream ends early "
                    "(was the capture cut short?)"
                )
            data = decompressor.unused_data
            if label != "gzip" or not data.startswith(b"\x1f\x8b"):
                break  # trailing garbage after the stream is ignored, as browsers do
    except zlib.error as error:
        raise ExtractionError(
            f"the body is declared as {label} but does not decompress ({error})"
        ) from error
    return bytes(output)


def _unbrotli(body: bytes) -> bytes:
    try:
        import brotli  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        try:
            import brotlicffi as brotli  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            raise ExtractionError(
                "the body is Brotli-compressed (Content-Encoding: br) and no Brotli decoder "
                "is installed: pip install 'warcite[compression]' (or brotli) and retry"
            ) from None
    try:
        result: bytes = brotli.decompress(body)
    except Exception as error:
        raise ExtractionError(
            f"the body is declared as br but does not decompress ({error})"
        ) from error
    return result


def _unzstd(body: bytes) -> bytes:
    try:
        import zstandard
    except ImportError:
        raise ExtractionError(
            "the body is Zstandard-compressed (Content-Encoding: zstd) and no Zstandard "
            "decoder is installed: pip install 'warcite[compression]' (or zstandard) and retry"
        ) from None
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(body)
        result: bytes = reader.read(MAX_DECODED_BYTES + 1)
    except zstandard.ZstdError as error:
        raise ExtractionError(
            f"the body is declared as zstd but does not decompress ({error})"
        ) from error
    if len(result) > MAX_DECODED_BYTES:
        raise ExtractionError(f"zstd body inflates to more than {MAX_DECODED_BYTES} bytes")
    return result


def sniff_binary(body: bytes) -> str | None:
    """The media type of a recognisably binary body, or None when it may be text."""
    for signature, media_type in BINARY_SIGNATURES:
        if body.startswith(signature):
            return media_type
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in body[:1024]:
        return "application/octet-stream"
    return None


def sniff_media_type(body: bytes) -> str:
    """``text/html`` for HTML-looking bytes, ``text/plain`` for other text."""
    head = body[:1024]
    for bom, encoding in BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, "replace").encode("utf-8", "replace")
            break
    if _HTML_SNIFF.match(head):
        return "text/html"
    return "text/plain"


def is_textual(media_type: str) -> bool:
    """True for media types whose bytes are text."""
    return (
        media_type.startswith("text/")
        or media_type in TEXTUAL_MEDIA_TYPES
        or media_type.endswith(("+xml", "+json"))
    )


def _prescan_charset(body: bytes) -> str | None:
    head = body[:PRESCAN_BYTES]
    declaration = _XML_DECLARATION_ENCODING.match(head)
    if declaration:
        charset = normalize_charset(declaration.group(1).decode("ascii", "replace"))
        if charset:
            return charset
    for match in _META_CHARSET.finditer(head):
        charset = normalize_charset(match.group(1).decode("ascii", "replace"))
        if charset:
            # A <meta> cannot truthfully declare UTF-16: the prescan read it as ASCII.
            return "utf-8" if charset.startswith("utf-16") else charset
    return None


def _detect_charset(body: bytes) -> tuple[str, str]:
    try:
        body.decode("utf-8")
        return "utf-8", "utf-8-valid"
    except UnicodeDecodeError as error:
        # Valid up to a multi-byte sequence cut at the end of the body: still UTF-8.
        if error.start >= len(body) - 3 and error.reason == "unexpected end of data":
            return "utf-8", "utf-8-valid"
    from charset_normalizer import from_bytes

    results = from_bytes(body[:DETECTION_SAMPLE_BYTES])
    best = results.best()
    if best is not None:
        # Single-byte encodings often fit equally well; among equals, prefer windows-1252,
        # the browsers' default for legacy pages.
        for match in results:
            if (
                match.percent_chaos <= best.percent_chaos + DETECTION_TIE
                and normalize_charset(match.encoding) == "cp1252"
            ):
                return "cp1252", "detection"
        charset = normalize_charset(best.encoding)
        if charset:
            return charset, "detection"
    return "cp1252", "default"


def choose_charset(body: bytes, *, declared: str | None, media_type: str) -> tuple[str, str]:
    """``(codec, source)`` for ``body``: BOM, declared charset, ``<meta>``, detection."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return encoding, "bom"
    charset = normalize_charset(declared)
    if charset:
        return charset, "http"
    if media_type in ("text/html", "application/xhtml+xml") or media_type.endswith("+xml"):
        charset = _prescan_charset(body)
        if charset:
            return charset, "meta"
    return _detect_charset(body)


def decode_body(
    body: bytes, *, headers: Headers = (), media_type: str | None = None
) -> DecodedDocument:
    """Decode an entity body (content-coding still applied) into text.

    ``headers`` are the HTTP response headers; ``media_type`` (a Content-Type value,
    parameters allowed) overrides the ``Content-Type`` header, as for WARC resource
    records.  Raises :class:`~warcite.errors.ExtractionError` for binary content, an
    unsupported or corrupt content-coding, or a missing optional decoder.
    """
    codings: list[str] = []
    for value in header_values(headers, "Content-Encoding"):
        codings.extend(part.strip() for part in value.split(",") if part.strip())
    body = undo_content_coding(body, codings)
    if not codings and body.startswith(b"\x1f\x8b"):
        try:
            body = _inflate(body, zlib.MAX_WBITS | 16, "gzip")
            codings = ["gzip (undeclared)"]
        except ExtractionError:
            pass  # left as is: reported as binary below

    declared_type = media_type
    if declared_type is None:
        content_types = header_values(headers, "Content-Type")
        declared_type = content_types[-1] if content_types else None
    declared_media_type, parameters = parse_content_type(declared_type)

    binary = sniff_binary(body)
    if declared_media_type in UNINFORMATIVE_MEDIA_TYPES:
        if binary:
            raise ExtractionError(
                f"the content is binary ({binary}), not an HTML or text page: nothing to extract"
            )
        final_type = sniff_media_type(body)
    elif not is_textual(declared_media_type):
        raise ExtractionError(
            f"the content is {declared_media_type!r}, a binary media type, not an HTML "
            "or text page: nothing to extract"
        )
    else:
        if binary:
            raise ExtractionError(
                f"the content is declared as {declared_media_type!r} but its bytes are "
                f"binary ({binary}): nothing to extract"
            )
        final_type = declared_media_type

    if not body:
        return DecodedDocument(
            text="",
            charset=None,
            media_type=final_type,
            charset_source="empty",
            content_codings=tuple(codings),
        )
    charset, source = choose_charset(
        body, declared=parameters.get("charset"), media_type=final_type
    )
    start = 0
    for bom, encoding in BOMS:
        if source == "bom" and encoding == charset:
            start = len(bom)
            break
    text = body[start:].decode(charset, "replace")
    return DecodedDocument(
        text=text,
        charset=charset,
        media_type=final_type,
        charset_source=source,
        content_codings=tuple(codings),
    )


__all__ = [
    "DecodedDocument",
    "choose_charset",
    "decode_body",
    "header_values",
    "normalize_charset",
    "parse_content_type",
    "sniff_media_type",
    "undo_content_coding",
]

"""Archived bytes -> text: content-coding, media type and charset, the way browsers do it.

Order of work in :func:`decode_body`:

1. **Content-coding** (``Content-Encoding``): ``gzip``/``x-gzip``, ``deflate`` (zlib-wrapped
   or raw, both are seen in the wild), ``br`` when :mod:`brotli` (or ``brotlicffi``) is
   installed, ``zstd`` when :mod:`zstandard` is installed; several codings are undone in
   reverse order.  An unknown coding, a missing decoder or corrupt data is an
   :class:`~warcite.core.errors.ExtractionError`: compressed bytes are never read as text.
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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from warcite.core.codings import (
    DEFAULT_DECODED_LIMIT,
    DecodedTooLarge,
    DecoderMissing,
    DecodingError,
    UnsupportedCoding,
    decode_codings,
    parse_codings,
)
from warcite.core.errors import ExtractionError
from warcite.core.models import Headers

#: How far into an HTML document ``<meta charset>`` is looked for (WHATWG prescan: 1024;
#: real pages put long ``<head>`` scripts first, so warcite looks further).
PRESCAN_BYTES = 4096

#: Upper bound on a decoded body (after every content-coding; an uncompressed body too),
#: against decompression bombs and pages far larger than any article: 64 MiB.
#: :func:`decode_body` and :func:`warcite.extract.extract` take ``limit`` to change it.
MAX_DECODED_BYTES = DEFAULT_DECODED_LIMIT

MIB = 1024 * 1024

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


def _is_python_codec(label: str) -> bool:
    try:
        return bool(getattr(codecs.lookup(label), "_is_text_encoding", True))
    except LookupError:
        return False


#: The WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels): each
#: encoding's labels, and the Python codec that decodes it as browsers do.  A label not
#: listed here (nor a Python spelling of one of these codecs, such as ``utf_8``) is an
#: unknown charset: sniffing and detection decide, as in a browser.  Codecs that are not
#: text encodings (rot13, base64, hex, zlib, idna, ...) and encodings browsers refuse
#: (utf-7, utf-32, EBCDIC) are therefore never used.  The "replacement" encoding
#: (iso-2022-kr, hz-gb-2312, iso-2022-cn) and x-user-defined count as unknown too.
WHATWG_ENCODINGS: dict[str, tuple[str, ...]] = {
    "utf-8": (
        "unicode-1-1-utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "utf-8",
        "utf8",
        "x-unicode20utf8",
    ),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": (
        "csisolatin2",
        "iso-8859-2",
        "iso-ir-101",
        "iso8859-2",
        "iso88592",
        "iso_8859-2",
        "iso_8859-2:1987",
        "l2",
        "latin2",
    ),
    "iso8859-3": (
        "csisolatin3",
        "iso-8859-3",
        "iso-ir-109",
        "iso8859-3",
        "iso88593",
        "iso_8859-3",
        "iso_8859-3:1988",
        "l3",
        "latin3",
    ),
    "iso8859-4": (
        "csisolatin4",
        "iso-8859-4",
        "iso-ir-110",
        "iso8859-4",
        "iso88594",
        "iso_8859-4",
        "iso_8859-4:1988",
        "l4",
        "latin4",
    ),
    "iso8859-5": (
        "csisolatincyrillic",
        "cyrillic",
        "iso-8859-5",
        "iso-ir-144",
        "iso8859-5",
        "iso88595",
        "iso_8859-5",
        "iso_8859-5:1988",
    ),
    "iso8859-6": (
        "arabic",
        "asmo-708",
        "csiso88596e",
        "csiso88596i",
        "csisolatinarabic",
        "ecma-114",
        "iso-8859-6",
        "iso-8859-6-e",
        "iso-8859-6-i",
        "iso-ir-127",
        "iso8859-6",
        "iso88596",
        "iso_8859-6",
        "iso_8859-6:1987",
    ),
    "iso8859-7": (
        "csisolatingreek",
        "ecma-118",
        "elot_928",
        "greek",
        "greek8",
        "iso-8859-7",
        "iso-ir-126",
        "iso8859-7",
        "iso88597",
        "iso_8859-7",
        "iso_8859-7:1987",
        "sun_eu_greek",
    ),
    "iso8859-8": (
        "csiso88598e",
        "csisolatinhebrew",
        "hebrew",
        "iso-8859-8",
        "iso-8859-8-e",
        "iso-ir-138",
        "iso8859-8",
        "iso88598",
        "iso_8859-8",
        "iso_8859-8:1988",
        "visual",
        "csiso88598i",
        "iso-8859-8-i",
        "logical",
    ),
    "iso8859-10": (
        "csisolatin6",
        "iso-8859-10",
        "iso-ir-157",
        "iso8859-10",
        "iso885910",
        "l6",
        "latin6",
    ),
    "iso8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": (
        "ansi_x3.4-1968",
        "ascii",
        "cp1252",
        "cp819",
        "csisolatin1",
        "ibm819",
        "iso-8859-1",
        "iso-ir-100",
        "iso8859-1",
        "iso88591",
        "iso_8859-1",
        "iso_8859-1:1987",
        "l1",
        "latin1",
        "us-ascii",
        "windows-1252",
        "x-cp1252",
    ),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": (
        "cp1254",
        "csisolatin5",
        "iso-8859-9",
        "iso-ir-148",
        "iso8859-9",
        "iso88599",
        "iso_8859-9",
        "iso_8859-9:1989",
        "l5",
        "latin5",
        "windows-1254",
        "x-cp1254",
    ),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gb18030": (
        "chinese",
        "csgb2312",
        "csiso58gb231280",
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gbk",
        "iso-ir-58",
        "x-gbk",
        "gb18030",
    ),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    "cp932": (
        "csshiftjis",
        "ms932",
        "ms_kanji",
        "shift-jis",
        "shift_jis",
        "sjis",
        "windows-31j",
        "x-sjis",
    ),
    "cp949": (
        "cseuckr",
        "csksc56011987",
        "euc-kr",
        "iso-ir-149",
        "korean",
        "ks_c_5601-1987",
        "ks_c_5601-1989",
        "ksc5601",
        "ksc_5601",
        "windows-949",
    ),
    "utf-16-be": ("unicodefffe", "utf-16be"),
    "utf-16-le": (
        "csunicode",
        "iso-10646-ucs-2",
        "ucs-2",
        "unicode",
        "unicodefeff",
        "utf-16",
        "utf-16le",
    ),
}

#: WHATWG label -> the Python codec that decodes it as browsers do.
WHATWG_LABELS: dict[str, str] = {
    label: codec for codec, labels in WHATWG_ENCODINGS.items() for label in labels
}

#: Python's canonical codec name -> the codec warcite uses, for the WHATWG encodings only
#: (so ``utf_8``, ``latin_1`` or charset_normalizer's ``mac_cyrillic`` are understood).
_PYTHON_CODECS: dict[str, str] = {
    **{codecs.lookup(codec).name: codec for codec in WHATWG_ENCODINGS},
    **{
        codecs.lookup(label).name: codec
        for label, codec in WHATWG_LABELS.items()
        if _is_python_codec(label)
    },
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
    """The Python codec for an encoding label, as browsers interpret it; None if unknown.

    Only the encodings of the WHATWG Encoding Standard are known (:data:`WHATWG_LABELS`),
    by their labels or by a Python name of the same codec; anything else (a codec that is
    not a text encoding, such as ``rot13`` or ``base64``, an encoding browsers do not
    support, garbage) is None: the caller falls back to sniffing and detection.
    """
    if not label:
        return None
    key = label.strip().strip("\"'").strip().lower()
    if not key or len(key) > 64:
        return None
    if key in WHATWG_LABELS:
        return WHATWG_LABELS[key]
    try:
        name = codecs.lookup(key).name
    except (LookupError, ValueError, TypeError):
        return None
    return WHATWG_LABELS.get(name) or _PYTHON_CODECS.get(name)


def undo_content_coding(body: bytes, codings: Sequence[str], *, limit: int | None = None) -> bytes:
    """Remove the content-codings listed (as in ``Content-Encoding``, applied left to right).

    Decoding streams with a bound (:mod:`warcite.core.codings`): at most ``limit`` bytes
    (:data:`MAX_DECODED_BYTES` unless given) come out of any coding.  Raises
    ExtractionError for an unknown coding, a missing decoder, corrupt or truncated data,
    or a body that would decode past the limit.
    """
    limit = MAX_DECODED_BYTES if limit is None else limit
    try:
        return decode_codings(body, parse_codings(codings), limit=limit, strict=True)
    except DecoderMissing as error:
        raise ExtractionError(
            f"{error}; the archived bytes are kept, but no text can be read from them"
        ) from None
    except UnsupportedCoding as error:
        raise ExtractionError(
            f"unsupported Content-Encoding {error.coding!r}: warcite decodes gzip, deflate, "
            f"br and zstd ({error}); the archived bytes are kept, but no text can be read "
            "from them"
        ) from None
    except DecodedTooLarge as error:
        raise ExtractionError(
            f"the {error.coding} body decodes to more than {limit} bytes: refusing to decode "
            "it (a decompression bomb, or a page far larger than an article)"
        ) from None
    except DecodingError as error:
        raise ExtractionError(str(error).replace("the data", "the body", 1)) from None


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


def _stray_nuls(body: bytes, declared_charset: str | None) -> bool:
    """Whether the NUL bytes of a body declared as text are no sign of binary content:
    the declared charset is UTF-16, or they are few (under 1 in 10 of the first 1024)."""
    if (normalize_charset(declared_charset) or "").startswith("utf-16"):
        return True
    head = body[:1024]
    return head.count(0) * 10 < len(head)


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


#: Single-byte and UTF-8 codecs: decoding them a piece at a time gives exactly the
#: characters of decoding the whole (their incremental decoders carry a cut sequence over).
PIECEWISE_CODECS = frozenset(
    codec
    for codec in WHATWG_ENCODINGS
    if codec == "utf-8"
    or codec.startswith(("cp12", "iso8859-", "koi8-", "mac-"))
    or codec in ("cp866", "cp874")
)

#: How many bytes of a body are decoded at a time by :meth:`SniffedBody.pieces`.
PIECE_BYTES = 1 << 16


@dataclass(frozen=True)
class SniffedBody:
    """An entity body with its content-codings undone, its media type and charset chosen,
    not yet decoded: :meth:`pieces` decodes it a piece at a time (no whole ``str`` of the
    page is made when the charset allows it), :meth:`decoded` all at once."""

    body: bytes
    charset: str | None
    media_type: str
    charset_source: str
    content_codings: tuple[str, ...] = ()

    def _start(self) -> int:
        for bom, encoding in BOMS:
            if self.charset_source == "bom" and encoding == self.charset:
                return len(bom)
        return 0

    def decoded(self) -> DecodedDocument:
        """The whole text, as :func:`decode_body` gives it."""
        if self.charset is None:
            text = ""
        else:
            text = self.body[self._start() :].decode(self.charset, "replace")
        if self.media_type not in ("text/html", "application/xhtml+xml") and "\x00" in text:
            text = text.replace("\x00", "\ufffd")  # as a browser shows a NUL (HTML drops them)
        return DecodedDocument(
            text=text,
            charset=self.charset,
            media_type=self.media_type,
            charset_source=self.charset_source,
            content_codings=self.content_codings,
        )

    def pieces(self) -> Iterator[str]:
        """The text of an HTML body in pieces whose concatenation is ``decoded().text``."""
        if self.charset is None:
            return
        if self.charset not in PIECEWISE_CODECS:
            text = self.decoded().text
            for start in range(0, len(text), PIECE_BYTES):
                yield text[start : start + PIECE_BYTES]
            return
        decoder = codecs.getincrementaldecoder(self.charset)("replace")
        body = self.body
        start = self._start()
        while start < len(body):
            piece = decoder.decode(body[start : start + PIECE_BYTES])
            start += PIECE_BYTES
            if piece:
                yield piece
        rest = decoder.decode(b"", final=True)
        if rest:
            yield rest


def sniff_body(
    body: bytes,
    *,
    headers: Headers = (),
    media_type: str | None = None,
    limit: int | None = None,
) -> SniffedBody:
    """:func:`decode_body` without the decoding: content-codings undone (bounded), media
    type and charset chosen, the same errors raised.

    ``headers`` are the HTTP response headers; ``media_type`` (a Content-Type value,
    parameters allowed) overrides the ``Content-Type`` header, as for WARC resource
    records; ``limit`` bounds the decoded body (:data:`MAX_DECODED_BYTES`, 64 MiB, unless
    given).  Raises :class:`~warcite.core.errors.ExtractionError` for binary content, an
    unsupported or corrupt content-coding, a missing optional decoder, or a body that
    decodes to more than the limit.
    """
    limit = MAX_DECODED_BYTES if limit is None else limit
    codings: list[str] = []
    for value in header_values(headers, "Content-Encoding"):
        codings.extend(part.strip() for part in value.split(",") if part.strip())
    body = undo_content_coding(body, codings, limit=limit)
    if not codings and body.startswith(b"\x1f\x8b"):
        try:
            body = decode_codings(body, ["gzip"], limit=limit)
            codings = ["gzip (undeclared)"]
        except DecodedTooLarge as error:
            raise ExtractionError(
                f"the body is gzip-compressed (undeclared) and decodes to more than {limit} "
                "bytes: refusing to decode it (a decompression bomb, or a page far larger "
                "than an article)"
            ) from error
        except DecodingError:
            pass  # left as is: reported as binary below
    if len(body) > limit:
        raise ExtractionError(
            f"the page is {len(body)} bytes ({len(body) / MIB:.1f} MiB), over warcite's cap "
            f"of {limit} bytes ({limit / MIB:g} MiB) on a decoded page: refusing to parse "
            "it (an HTML page takes many times its size in memory to extract; see "
            "docs/extraction.md, 'Memory'). To extract it anyway, call "
            "warcite.extract.extract_page() or extract() with a larger max_decoded_bytes, on "
            "a machine with memory to match"
        )

    declared_type = media_type
    if declared_type is None:
        content_types = header_values(headers, "Content-Type")
        declared_type = content_types[-1] if content_types else None
    declared_media_type, parameters = parse_content_type(declared_type)

    binary = sniff_binary(body)
    if (
        binary == "application/octet-stream"
        and declared_media_type not in UNINFORMATIVE_MEDIA_TYPES
        and _stray_nuls(body, parameters.get("charset"))
    ):
        binary = None  # a text page with a few NUL bytes (or UTF-16 as declared) is text
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
        return SniffedBody(body, None, final_type, "empty", tuple(codings))
    charset, source = choose_charset(
        body, declared=parameters.get("charset"), media_type=final_type
    )
    return SniffedBody(body, charset, final_type, source, tuple(codings))


def decode_body(
    body: bytes,
    *,
    headers: Headers = (),
    media_type: str | None = None,
    limit: int | None = None,
) -> DecodedDocument:
    """Decode an entity body (content-coding still applied) into text.

    ``headers`` are the HTTP response headers; ``media_type`` (a Content-Type value,
    parameters allowed) overrides the ``Content-Type`` header, as for WARC resource
    records; ``limit`` bounds the decoded body (:data:`MAX_DECODED_BYTES`, 64 MiB, unless
    given).  Raises :class:`~warcite.core.errors.ExtractionError` for binary content, an
    unsupported or corrupt content-coding, a missing optional decoder, or a body that
    decodes to more than the limit.
    """
    return sniff_body(body, headers=headers, media_type=media_type, limit=limit).decoded()


__all__ = [
    "DecodedDocument",
    "SniffedBody",
    "choose_charset",
    "decode_body",
    "header_values",
    "normalize_charset",
    "parse_content_type",
    "sniff_body",
    "sniff_media_type",
    "undo_content_coding",
]

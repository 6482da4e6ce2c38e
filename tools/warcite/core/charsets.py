"""Charset labels a server or a page declares, turned into codecs that decode *bytes* safely.

Python's codec registry answers far more names than the byte charsets of the web:
``idna`` and ``punycode`` (host names, not documents), ``undefined`` (raises on every
call), ``unicode_escape``, and the BOM-driven ``utf-16``/``utf-32``, whose decoders raise
``UnicodeError`` on a stream that does not start with a byte order mark whatever error
handler is asked.  A label from the network is untrusted input: :func:`byte_charset`
gives a codec whose incremental decoder, with ``errors="replace"``, decodes any bytes
without raising, or None (the caller then sniffs or falls back as for no label at all).
"""

from __future__ import annotations

import codecs
from functools import lru_cache

NOT_BYTE_CHARSETS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "mbcs", "oem"}
)
"""Codec names that are never the charset of a document's bytes."""

BOM_DRIVEN = {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}
"""A label naming a byte order mark without one: the byte order WHATWG assumes (little
endian) when no BOM says otherwise (a BOM itself is honoured before any label)."""

_PROBE = b"<p>" + bytes(range(256)) + b"\xff\xfe\x00\x00\xef\xbb\xbf</p>"


@lru_cache(maxsize=256)
def byte_charset(label: str | None) -> str | None:
    """The Python codec to decode bytes declared as ``label``, or None when the label is
    unknown or names no byte charset (see the module's docstring)."""
    if not label:
        return None
    name = label.strip().strip("\"'").strip()
    if not name or len(name) > 64 or "\x00" in name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_BYTE_CHARSETS:
        return None
    codec = BOM_DRIVEN.get(info.name, info.name)
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        decoder.decode(_PROBE)
        decoder.decode(b"", final=True)
    except Exception:  # any failure on the probe disqualifies the codec
        return None
    return codec


__all__ = ["BOM_DRIVEN", "NOT_BYTE_CHARSETS", "byte_charset"]

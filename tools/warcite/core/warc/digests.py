"""Digests as warcite writes and checks them: ``sha256:<hex>`` labels, block and payload digests
(WARC 1.1 sections 5.8, 5.9 and 6.3.2)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from warcite.core.errors import WarcReadError
from warcite.core.warc.http import entity_body, parse_http_message

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
    return decode_digest_value(value, len(expected), labelled) == expected


def decode_digest_value(value: str, size: int, labelled: str) -> bytes:
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


def compute_payload_digest(record_type: str, block: bytes) -> str | None:
    """The ``WARC-Payload-Digest`` warcite writes for a record, or None for types without one."""
    payload = payload_bytes(record_type, block)
    return None if payload is None else labelled_digest(payload)

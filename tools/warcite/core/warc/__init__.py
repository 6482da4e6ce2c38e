"""Reading WARC 1.1 files: digests, HTTP messages inside records, records, and the archived page.

The names of the four modules are re-exported here, so ``warcite.core.warc`` (and the old
``warcite.warc``) stay one place to import them from.
"""

from __future__ import annotations

from warcite.core.warc.digests import (
    DIGEST_ALGORITHM,
    PAYLOAD_DIGEST_CONVENTION,
    PAYLOAD_DIGEST_TYPES,
    compute_block_digest,
    compute_payload_digest,
    decode_digest_value,
    digest_matches,
    labelled_digest,
    payload_bytes,
)
from warcite.core.warc.http import (
    HttpMessage,
    available_content_codings,
    dechunk,
    decode_content,
    entity_body,
    first_header,
    parse_http_message,
)
from warcite.core.warc.pages import (
    DOCUMENT_MEDIA_TYPES,
    TEXT_MEDIA_TYPES,
    WAYBACK_URL,
    is_document,
    memento_from_headers,
    memento_from_wayback_url,
    parse_warc_fields,
    read_page,
)
from warcite.core.warc.records import (
    IDENTICAL_PAYLOAD_PROFILE,
    MAX_BLOCK_BYTES,
    WarcRecord,
    check_record_digests,
    exact_target_uri,
    find_revisited,
    iter_record_infos,
    iter_records,
    percent_encoded,
    read_record_at,
    record_payload,
    verify_record,
)

__all__ = [
    "DIGEST_ALGORITHM",
    "DOCUMENT_MEDIA_TYPES",
    "IDENTICAL_PAYLOAD_PROFILE",
    "MAX_BLOCK_BYTES",
    "PAYLOAD_DIGEST_CONVENTION",
    "PAYLOAD_DIGEST_TYPES",
    "TEXT_MEDIA_TYPES",
    "WAYBACK_URL",
    "HttpMessage",
    "WarcRecord",
    "available_content_codings",
    "check_record_digests",
    "compute_block_digest",
    "compute_payload_digest",
    "dechunk",
    "decode_content",
    "decode_digest_value",
    "digest_matches",
    "entity_body",
    "exact_target_uri",
    "find_revisited",
    "first_header",
    "is_document",
    "iter_record_infos",
    "iter_records",
    "labelled_digest",
    "memento_from_headers",
    "memento_from_wayback_url",
    "parse_http_message",
    "parse_warc_fields",
    "payload_bytes",
    "percent_encoded",
    "read_page",
    "read_record_at",
    "record_payload",
    "verify_record",
]

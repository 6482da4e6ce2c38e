"""The record layer: a capture plus its extraction -> a JSON record and its clean text.

``build`` makes a record's JSON, ``schema`` holds its JSON Schema, versions and migrations,
``files`` writes and loads record files, ``text`` the clean text, ``provenance`` the history
of events, ``seals`` the SHA-512 manifest that seals a record, ``common`` what they share.
The record stage as a whole (build, validate, then write) is
:func:`warcite.integrity.recording.make_record`, one layer up, since it validates.

Names are exported lazily (PEP 562): validation imports this layer and should not pay for
record building.  ``make_record`` and ``RecordResult`` are re-exported from the integrity
layer for the public API's old path ``warcite.integrity.recording.make_record``.
"""

from __future__ import annotations

from typing import Any

from warcite.core.lazy import lazy_exports

MOVED_UP = ("RecordResult", "check_new_record", "make_record")
"""Names of the record stage that live one layer up (warcite.integrity.recording, since
the stage validates before it writes), still importable from here: the public API's old
path ``warcite.integrity.recording.make_record``."""

_layer_getattr, __dir__ = lazy_exports(
    globals(),
    {
        "CONTENT_KEYS": "warcite.record.common",
        "CSL_SCHEMA_ID": "warcite.record.common",
        "EVENT_TYPE_URIS": "warcite.record.common",
        "MAX_JSON_DEPTH": "warcite.record.common",
        "MIGRATIONS": "warcite.record.schema",
        "RIGHTS_IN_COPYRIGHT": "warcite.record.common",
        "SCHEMA_VERSION": "warcite.record.common",
        "TEXT_MEDIA_TYPE": "warcite.record.common",
        "TEXT_NORMALIZATION": "warcite.record.common",
        "WARC_MEDIA_TYPE": "warcite.record.common",
        "allocate_id": "warcite.record.files",
        "as_uri": "warcite.record.common",
        "build_record": "warcite.record.build",
        "bytes_digests": "warcite.record.common",
        "citation_item": "warcite.record.build",
        "clean_text": "warcite.record.text",
        "content_differences": "warcite.record.build",
        "dump_record": "warcite.record.files",
        "event": "warcite.record.common",
        "file_digests": "warcite.record.common",
        "format_utc": "warcite.record.common",
        "has_credentials": "warcite.record.common",
        "json_depth_exceeds": "warcite.record.common",
        "known_schema_versions": "warcite.record.schema",
        "load_csl_schema": "warcite.record.schema",
        "load_record": "warcite.record.files",
        "load_schema": "warcite.record.schema",
        "migrate": "warcite.record.schema",
        "normalize_block": "warcite.record.text",
        "operator_agent": "warcite.record.common",
        "page_for_extraction": "warcite.record.common",
        "parse_record_json": "warcite.record.common",
        "parse_version": "warcite.record.schema",
        "read_record_file": "warcite.record.files",
        "record_file": "warcite.record.files",
        "record_paths": "warcite.record.files",
        "record_text": "warcite.record.files",
        "record_validator": "warcite.record.schema",
        "register_migration": "warcite.record.schema",
        "schema_path": "warcite.record.schema",
        "schema_registry": "warcite.record.schema",
        "schemas_directory": "warcite.record.schema",
        "software_agent": "warcite.record.common",
        "source_description": "warcite.record.build",
        "text_blocks": "warcite.record.text",
        "utc_now": "warcite.record.common",
        "uuid_urn": "warcite.record.common",
        "version_problem": "warcite.record.schema",
        "warcinfo_fields": "warcite.record.build",
        "with_history": "warcite.record.common",
        "without_any_credentials": "warcite.record.common",
        "without_credentials": "warcite.record.common",
        "write_record": "warcite.record.files",
        "write_sealed_record": "warcite.record.files",
    },
)


def __getattr__(name: str) -> Any:
    if name in MOVED_UP:
        # The one upward import of the record layer, named in pyproject.toml's layers
        # contract (ignore_imports): a compatibility path, never used by warcite itself.
        from warcite.integrity import recording

        return getattr(recording, name)
    return _layer_getattr(name)

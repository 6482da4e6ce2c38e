"""Building a record: a capture plus its extraction -> the record's JSON, and comparing two."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from warcite.core.config import Config
from warcite.core.errors import RecordError
from warcite.core.models import ArchivedPage, Evidence, Extraction, Field, Person
from warcite.core.pages import page_map
from warcite.core.project import (
    RECORDS_DIR,
    relative_to_project,
)
from warcite.core.slugs import slug_words
from warcite.core.version import __version__
from warcite.record import provenance
from warcite.record.common import (
    CONTENT_KEYS,
    RIGHTS_IN_COPYRIGHT,
    SCHEMA_VERSION,
    TEXT_MEDIA_TYPE,
    TEXT_NORMALIZATION,
    WARC_MEDIA_TYPE,
    Clock,
    JsonObject,
    UuidFactory,
    as_uri,
    bytes_digests,
    event,
    file_digests,
    format_utc,
    operator_agent,
    page_without_credentials,
    software_agent,
    uuid_urn,
    without_any_credentials,
)
from warcite.record.schema import load_schema
from warcite.record.text import clean_text, normalize_block

# --------------------------------------------------------------------------- building


def _evidence(value: Field | Evidence | None) -> JsonObject | None:
    if value is None:
        return None
    return {"value": value.value, "source": value.source, "raw": value.raw, "note": value.note}


def _person(person: Person, as_of: str | None) -> JsonObject:
    forms = list(dict.fromkeys([person.name, *person.forms]))
    return {
        "type": "organization" if person.kind == "organization" else "person",
        "name": person.name,
        "family": person.family,
        "given": person.given,
        "particle": person.particle,
        "suffix": person.suffix,
        "name_order": person.name_order,
        "forms": forms,
        "alternate_names": [form for form in forms if form != person.name],
        "affiliations": [
            {
                "name": affiliation.name,
                "alternate_name": affiliation.alternate_name,
                "role": affiliation.role,
                "as_of": as_of,
                "source": affiliation.source,
                "raw": affiliation.raw,
            }
            for affiliation in person.affiliations
        ],
        "bio": person.bio,
        "sources": list(dict.fromkeys(person.sources)),
        **({"name_note": person.name_note} if person.name_note else {}),
    }


def _candidates(extraction: Extraction) -> JsonObject:
    result: JsonObject = {}
    for name in (
        "title",
        "published",
        "modified",
        "publisher",
        "section",
        "genre",
        "language",
        "description",
        "canonical_url",
    ):
        value: Field | None = getattr(extraction, name)
        if value is not None and value.candidates:
            result[name] = [_evidence(candidate) for candidate in value.candidates]
    return result


def _http_url(value: str | None) -> str | None:
    return as_uri(value) if value and re.match(r"^https?://\S+$", value) else None


def metadata_field(page: ArchivedPage, *names: str) -> str | None:
    wanted = {name.lower() for name in names}
    for key, value in page.source_metadata:
        if key.lower() in wanted and value.strip():
            return value.strip()
    return None


def _normalize_warc_date(value: str | None) -> str | None:
    """A WARC/ISO date-time in UTC with a Z suffix, or None when it cannot be read."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z", text):
        return text
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return format_utc(parsed)


def source_description(page: ArchivedPage, original_url: str) -> str:
    """A plain-language statement of what this copy is, honest about how it was made."""
    source_file = metadata_field(
        page, "source-file-name", "source-file", "source-filename", "filename"
    )
    from_file = f" from the file {source_file}" if source_file else ""
    if page.method == "import-transcript":
        return (
            f"Plain-text transcript of the page {original_url} as received: the page's text "
            f"without its HTML markup (boilerplate included), imported{from_file}. The original "
            "HTML was not available. Not a live capture."
        )
    if page.method == "import-html":
        return (
            f"HTML of the page {original_url} supplied by the operator and imported{from_file} "
            "with its bytes unchanged. Not a live capture: warcite did not fetch it."
        )
    if page.method == "import-document":
        return (
            f"PDF of the document {original_url} supplied by the operator and imported"
            f"{from_file} with its bytes unchanged. Not a live capture: warcite did not fetch it."
        )
    if page.method == "import-warc":
        package = metadata_field(page, "source-package")
        verified = metadata_field(page, "source-package-verification")
        from_package = (
            f" Taken from the package {package}: {verified}." if package and verified else ""
        )
        return (
            f"A {page.record_type} record for {original_url} copied unchanged from an existing "
            f"WARC file{from_file}; warcite did not make the original capture.{from_package}"
        )
    if page.method == "import-memento":
        when = page.memento.datetime if page.memento else "an unknown date"
        return (
            f"Memento of {original_url} as a web archive held it on {when}, fetched from "
            f"{page.target_uri}."
        )
    status = f" (HTTP status {page.http_status})" if page.http_status else ""
    truncated = f"; the body was truncated ({page.truncated})" if page.truncated else ""
    return (
        f"Live HTTP capture of {page.target_uri}{status} by warcite, stored as received on the "
        f"wire{truncated}."
    )


def _observed_at(page: ArchivedPage) -> str | None:
    """When the content was seen on the web: known for live captures and mementos only,
    or when the operator stated it for an import; never invented."""
    stated = _normalize_warc_date(metadata_field(page, "observed-at", "observed_at"))
    if stated:
        return stated
    if page.method == "http-capture":
        return _normalize_warc_date(page.warc_date)
    if page.method == "import-memento" and page.memento:
        return _normalize_warc_date(page.memento.datetime)
    if page.method == "import-warc" and page.record_type == "response":
        return _normalize_warc_date(page.warc_date)
    return None


def warcinfo_fields(path: Path) -> tuple[tuple[str, str], ...]:
    """The fields of a WARC's first record when it is a warcinfo record (else empty)."""
    from warcite.core.warc.pages import parse_warc_fields
    from warcite.core.warc.records import iter_records

    records = iter_records(path)
    first = next(records, None)
    close = getattr(records, "close", None)
    if close is not None:
        close()  # a generator: releases the open file now
    if first is None or first.info.record_type != "warcinfo":
        return ()
    return parse_warc_fields(first.block)


def _field_value(fields: Sequence[tuple[str, str]], name: str) -> str | None:
    for key, value in fields:
        if key.lower() == name and value.strip():
            return value.strip()
    return None


def _capture_tool(page: ArchivedPage, warcinfo: Sequence[tuple[str, str]]) -> JsonObject:
    """The software that wrote the WARC: its warcinfo ``software`` field, parsed."""
    software = _field_value(warcinfo, "software") or metadata_field(page, "software")
    if software:
        match = re.match(r"^\s*([^\s/]+)(?:[/ ]v?([0-9][^\s()]*))?", software)
        if match:
            return {"name": match.group(1), "version": match.group(2)}
    if page.method == "import-warc":
        return {"name": "unknown", "version": None}
    return {"name": "warcite", "version": __version__}


def build_record(
    page: ArchivedPage,
    extraction: Extraction,
    *,
    slug: str,
    project_root: Path,
    clock: Clock,
    new_uuid: UuidFactory,
    operator: str | None = None,
    observed_at: str | None = None,
    record_id: str | None = None,
    warc_file: tuple[int, str, str] | None = None,
    warcinfo: Sequence[tuple[str, str]] = (),
    lineage: Mapping[str, Any] | None = None,
) -> tuple[JsonObject, str]:
    """The JSON record and the clean text for one page and its extraction.

    Pure apart from reading the WARC file's first line (its version) and digests (pass
    ``warc_file`` = (size, sha512, sha256) to skip the digests).  ``clock`` and ``new_uuid`` make the output deterministic;
    ``observed_at`` (ISO 8601) states when the content was seen on the web, overriding what
    the WARC tells; ``record_id`` reuses an existing record's identity (a rebuild of the same
    capture); ``warcinfo`` are the WARC's warcinfo fields (the writing software, the user
    agent).
    """
    from warcite.core.slugs import SLUG_PATTERN

    if not SLUG_PATTERN.match(slug):
        raise RecordError(f"{slug!r} is not a valid record id (lowercase letters, digits, '-')")
    page = page_without_credentials(page)
    now = clock()
    text, kinds = clean_text(extraction)
    text_bytes = text.encode("utf-8")
    text_path = f"{RECORDS_DIR}/{slug}.txt"
    warc_path = relative_to_project(page.warc_path, project_root)
    size, sha512, sha256 = warc_file or file_digests(page.warc_path)
    text_size, text_sha512, text_sha256 = bytes_digests(text_bytes)

    original_url = (
        (page.memento.original_uri if page.memento else None)
        or _http_url(extraction.url)
        or _http_url(page.url)
        or _http_url(page.target_uri)
    )
    if original_url is None:
        raise RecordError(
            f"{page.warc_path} record {page.record_id}: the page's original http(s) URL is "
            "unknown (import the file with --url)"
        )
    published = extraction.published.value if extraction.published else None
    as_of = published[:10] if published and re.match(r"\d{4}-\d{2}-\d{2}", published) else None
    title: JsonObject | None = None
    if extraction.title is not None:
        from warcite.cite.titles import metadata_names, sentence_case  # citation stage only

        title = {
            **(_evidence(extraction.title) or {}),
            "sentence_case": sentence_case(
                extraction.title.value,
                extraction.text,
                extraction.language.value if extraction.language else None,
                names=metadata_names(extraction),
            ),
        }
    publisher = _evidence(extraction.publisher)
    canonical = extraction.canonical_url.value if extraction.canonical_url else None
    work: JsonObject = {
        "title": title,
        "authors": [_person(person, as_of) for person in extraction.authors],
        "published": _evidence(extraction.published),
        "modified": _evidence(extraction.modified),
        "publisher": publisher,
        "container_title": extraction.container_title
        or (publisher["value"] if publisher else None),
        "section": _evidence(extraction.section),
        "description": _evidence(extraction.description),
        "keywords": list(dict.fromkeys(k for k in extraction.keywords if k.strip())),
        "language": _evidence(extraction.language),
        "url": original_url,
        "canonical_url": _http_url(canonical),
        "genre": _evidence(extraction.genre),
        "rights": RIGHTS_IN_COPYRIGHT,
        "candidates": _candidates(extraction),
    }
    if extraction.doi is not None or extraction.isbn is not None:  # documents (schema 1.2.0)
        work["doi"], work["isbn"] = _evidence(extraction.doi), _evidence(extraction.isbn)

    ingested_at = _normalize_warc_date(page.warc_date) or format_utc(now)
    memento = None
    if page.memento is not None:
        memento = {
            "original_uri": page.memento.original_uri,
            "datetime": _normalize_warc_date(page.memento.datetime) or page.memento.datetime,
            "source": page.memento.source,
        }
    tool = _capture_tool(page, warcinfo)
    if observed_at is not None:
        stated = _normalize_warc_date(observed_at)
        if stated is None:
            raise RecordError(
                f"observed_at {observed_at!r} is not an ISO 8601 date-time with a time zone"
            )
        observed_at = stated
    final_uri = _http_url(page.target_uri) or original_url
    capture: JsonObject = {
        "method": page.method,
        "source_description": source_description(page, original_url),
        "observed_at": observed_at or _observed_at(page),
        "ingested_at": ingested_at,
        "target_uri": page.target_uri,
        "final_uri": final_uri,
        "http_status": page.http_status,
        "content_type": page.content_type,
        "memento": memento,
        "warc": {
            "path": warc_path,
            "record_id": page.record_id,
            "record_type": page.record_type,
            "date": page.warc_date,
            "offset": page.offset,
            "length": page.length,
            "payload_digest": page.payload_digest,
        },
        "tool": tool,
        "user_agent": metadata_field(page, "user-agent", "http-header-user-agent")
        or _field_value(warcinfo, "http-header-user-agent"),
        "note": metadata_field(page, "note"),
        "truncated": page.truncated,
    }
    text_section: JsonObject = {
        "path": text_path,
        "sha512": text_sha512,
        "sha256": text_sha256,
        "paragraphs": len(kinds),
        "paragraph_kinds": kinds,
        "characters": len(text),
        "normalization": TEXT_NORMALIZATION,
        "extractor": {
            "name": extraction.extractor,
            "version": extraction.extractor_version or __version__,
        },
    }
    kept = [bool(normalize_block(p.text, p.kind)) for p in extraction.paragraphs]
    document_pages = page_map(extraction, kept)
    if document_pages is not None:  # a paged document (PDF): each paragraph's pages
        text_section["pages"] = document_pages
    files = [
        {
            "path": warc_path,
            "role": "warc",
            "size": size,
            "media_type": WARC_MEDIA_TYPE,
            "sha512": sha512,
            "sha256": sha256,
        },
        {
            "path": text_path,
            "role": "text",
            "size": text_size,
            "media_type": TEXT_MEDIA_TYPE,
            "sha512": text_sha512,
            "sha256": text_sha256,
        },
    ]

    version = provenance.warc_version(page.warc_path)
    for entry in files:
        provenance.describe_file(entry, version)
    agent = software_agent()
    agents = [agent]
    capture_agent_id = agent["id"]
    if (tool["name"], tool["version"]) != ("warcite", __version__):
        capture_agent_id = f"urn:warcite:agent:{slug_words(tool['name'])}-" + (
            re.sub(r"[^a-z0-9.+-]", "-", (tool["version"] or "unknown").lower())
        )
        capture_agent: JsonObject = {
            "id": capture_agent_id,
            "type": "software",
            "name": tool["name"],
        }
        if tool["version"]:
            capture_agent["version"] = tool["version"]
        agents.append(capture_agent)
    operator_id = None
    if operator:
        agents.append(operator_agent(operator))
        operator_id = agents[-1]["id"]

    is_capture = page.method in ("http-capture", "import-memento")
    first_detail = (
        f"{'captured' if is_capture else 'ingested'} {original_url} into {warc_path} as "
        f"{page.record_type} record {page.record_id} ({capture['method']}); "
        + capture["source_description"]
    )
    extraction_detail = (
        f"extracted {len(kinds)} blocks of clean text and the metadata "
        f"({', '.join(_found_fields(work)) or 'none found'}) from record {page.record_id} with "
        f"{text_section['extractor']['name']} {text_section['extractor']['version']}"
    )
    if extraction.warnings:
        extraction_detail += "; warnings: " + "; ".join(extraction.warnings)
    events = [
        event(
            "capture" if is_capture else "ingestion",
            when=ingested_at,
            new_uuid=new_uuid,
            detail=first_detail,
            agent=capture_agent_id,
        ),
        event(
            "metadata extraction",
            when=now,
            new_uuid=new_uuid,
            detail=extraction_detail,
            agent=agent["id"],
            outcome="warning" if extraction.warnings else "success",
        ),
        event(
            "message digest calculation",
            when=now,
            new_uuid=new_uuid,
            detail=f"sha512 and sha256 of {warc_path} ({size} bytes) and {text_path} "
            f"({text_size} bytes)",
            agent=agent["id"],
        ),
        event(
            "validation",
            when=now,
            new_uuid=new_uuid,
            detail=f"record validated against the warcite record schema {SCHEMA_VERSION} "
            f"({load_schema()['$id']}), the citation against the CSL-JSON schema, and the "
            "files' sizes and digests and the WARC record checked",
            agent=agent["id"],
        ),
    ]
    record: JsonObject = {
        "schema_version": SCHEMA_VERSION,
        "record_id": record_id or uuid_urn(new_uuid),
        "id": slug,
        "created": format_utc(now),
        "work": work,
        "capture": capture,
        "text": text_section,
        "files": files,
        "events": events,
        "agents": agents,
        "citation": {},
        "extensions": {},
    }
    if lineage is not None and "lineage" in load_schema().get("properties", {}):
        record["lineage"] = dict(
            lineage
        )  # earlier captures of the work (warcite.collection.lineage)
    record = without_any_credentials(record)
    record["citation"] = citation_item(record, project_root)
    provenance.link_events(record, operator_id)
    return record, text


def _found_fields(work: Mapping[str, Any]) -> list[str]:
    names = []
    for name in ("title", "authors", "published", "publisher", "language", "genre"):
        if work.get(name):
            names.append(name)
    return names


def citation_item(
    record: Mapping[str, Any], project_root: Path, config: Config | None = None
) -> JsonObject:
    """The record's CSL-JSON item, from warcite.cite (which owns every citation rule),
    naming the archive as ``config`` says (default: as the project's warcite.toml does)."""
    from warcite.cite import csl_item
    from warcite.core.config import load_config

    item: JsonObject = csl_item(dict(record), config=config or load_config(project_root))
    return item


# --------------------------------------------------------------------------- comparing


def _content(record: Mapping[str, Any]) -> JsonObject:
    content = {key: copy.deepcopy(record.get(key)) for key in CONTENT_KEYS}
    text = content.get("text")
    if isinstance(text, dict):
        text.pop("extractor", None)  # a newer warcite giving the same text is the same record
    citation = content.get("citation")
    if isinstance(citation, dict):
        citation.pop("archive", None)  # the archive's configured name, not the record's content
    return content


def content_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """JSON paths where two records' content differs (record_id, created, events, agents and
    the extractor's version are not content).  Empty when the records are identical."""
    differences: list[str] = []
    _diff(_content(old), _content(new), "$", differences)
    return differences


def _diff(old: Any, new: Any, path: str, out: list[str], limit: int = 20) -> None:
    if len(out) >= limit or old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(dict.fromkeys([*old, *new])):
            _diff(old.get(key), new.get(key), f"{path}.{key}", out, limit)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=False)):
            _diff(a, b, f"{path}[{index}]", out, limit)
    else:
        out.append(path)

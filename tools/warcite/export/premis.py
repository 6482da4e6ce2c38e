"""PREMIS 3.0 XML of records: their objects, events and agents, with the links between them.

``export_premis(records, output)`` reads record JSON files (any schema version warcite reads,
migrated in memory), and writes one ``<premis version="3.0">`` document that validates
against the official PREMIS 3.0 XML schema (vendored as ``schemas/vendor/premis-v3-0.xsd``,
installed as ``warcite/schemas/vendor/...``; the document is checked before it is written):

- objects: per record, the record's JSON file (identifiers: its ``record_id`` and its
  path; fixity computed from the file as exported), every file of ``files`` (the WARC, the
  text: fixity, size, format with its PRONOM key, location), and the page record inside
  the WARC as a ``bitstream`` (identifier: its WARC-Record-ID; offset and length; related
  to its WARC file as "is included in");
- events: every event of every record, with its type, date, detail and outcome (Library
  of Congress vocabularies, valueURI attributes) and its linking agents (with roles) and
  linking objects (with roles);
- agents: every agent (software with its version and environment, persons, organisations).

Objects and agents shared by several records appear once; an object lists the events that
link it.  Text that XML 1.0 cannot carry (control characters, lone surrogates) is replaced
by U+FFFD.  The output is written atomically and never replaces an existing file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from warcite.core.errors import RecordError, UsageError
from warcite.export.premis_sources import (
    agents_in_several_environments,
    source_entity,
    with_environment_agents,
)
from warcite.record import provenance

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    "http://www.loc.gov/premis/v3 https://www.loc.gov/standards/premis/v3/premis-v3-0.xsd"
)
LOC = "http://id.loc.gov/vocabulary/preservation"

IDENTIFIER_TYPES = {"uri": "URI", "path": "local path"}
"""How the record's link types read in PREMIS identifier types."""
AGENT_TYPE_CODES = {"software": "sof", "person": "per", "organization": "org"}
OUTCOME_CODES = {"success": "suc", "failure": "fai", "warning": "war"}
HASH_NAMES = {"sha512": "SHA-512", "sha256": "SHA-256"}

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xsd_path() -> Path:
    """The vendored PREMIS 3.0 XML schema."""
    from warcite.record.schema import schemas_directory

    return schemas_directory() / "vendor" / "premis-v3-0.xsd"


@lru_cache(maxsize=1)
def premis_schema() -> etree.XMLSchema:
    """The official PREMIS 3.0 schema, loaded offline (it imports nothing)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(xsd_path()), parser))


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _q(name: str) -> str:
    return f"{{{PREMIS_NS}}}{name}"


def _add(parent: etree._Element, name: str, text: object = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, _q(name))
    for key, value in attributes.items():
        element.set(key, _text(value))
    if text is not None:
        element.text = _text(text)
    return element


def _authority(authority: str, code: str) -> dict[str, str]:
    return {
        "authority": authority,
        "authorityURI": f"{LOC}/{authority}",
        "valueURI": f"{LOC}/{authority}/{code}",
    }


def _role_code(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- reading


def _load(path: Path) -> dict[str, Any]:
    """A record migrated to the current schema and valid against it, or RecordError."""
    from warcite.core.project import find_project_root
    from warcite.record.files import load_record
    from warcite.record.schema import record_validator

    # The record's own project (not the current directory's): the folder at or above it
    # holding warcite.toml or archive/ and records/, else its own folder.  The path is made
    # absolute without resolving symbolic links, so a link leading out is still refused.
    root = find_project_root(Path(os.path.abspath(path)).parent, required=False)
    record = load_record(Path(path), root)
    errors = sorted(record_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    if errors:
        where = "$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in errors[0].absolute_path
        )
        raise RecordError(
            f"{path}: not a valid record ({len(errors)} schema errors, first at {where}: "
            f"{errors[0].message[:200]}); run 'warcite validate' on it"
        )
    return record


class _Collection:
    """Objects, events and agents of several records, each once, in first-seen order."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.events: dict[str, Mapping[str, Any]] = {}
        self.agents: dict[str, dict[str, Any]] = {}
        self.object_events: dict[tuple[str, str], list[str]] = {}
        self.agent_events: dict[str, list[str]] = {}

    def add_object(self, key: tuple[str, str], description: dict[str, Any]) -> None:
        self.objects.setdefault(key, description)

    def add_record(self, record: Mapping[str, Any], json_bytes: bytes) -> None:
        json_path = provenance.record_json_path(record)
        record_key = ("uri", record["record_id"])
        size = len(json_bytes)
        self.add_object(
            record_key,
            {
                "category": "file",
                "identifiers": [record_key, ("path", json_path)],
                "fixity": [
                    ("sha512", hashlib.sha512(json_bytes).hexdigest()),
                    ("sha256", hashlib.sha256(json_bytes).hexdigest()),
                ],
                "size": size,
                "format": provenance.JSON_FORMAT,
                "original_name": json_path.rsplit("/", 1)[-1],
                "location": json_path,
            },
        )
        for entry in record["files"]:
            key = ("path", entry["path"])
            self.add_object(
                key,
                {
                    "category": "file",
                    "identifiers": [key],
                    "fixity": [("sha512", entry["sha512"]), ("sha256", entry["sha256"])],
                    "size": entry["size"],
                    "format": entry["format"],
                    "original_name": entry["path"].rsplit("/", 1)[-1],
                    "location": entry["path"],
                },
            )
        warc = record["capture"]["warc"]
        if warc["record_id"].startswith("<") and warc["record_id"].endswith(">"):
            key = ("uri", warc["record_id"][1:-1])
            self.add_object(
                key,
                {
                    "category": "bitstream",
                    "identifiers": [key],
                    "size": warc["length"],
                    "format": {
                        "name": f"WARC {warc['record_type']} record",
                        "version": None,
                        "registry": None,
                    },
                    "note": (
                        f"the page record of {warc['path']}: WARC-Type {warc['record_type']}, "
                        f"WARC-Date {warc['date']}, at byte offset {warc['offset']}, "
                        f"{warc['length']} bytes"
                        + (" (gzip member)" if warc["path"].endswith(".gz") else "")
                        + (
                            f", WARC-Payload-Digest {warc['payload_digest']}"
                            if warc["payload_digest"]
                            else ""
                        )
                    ),
                    "included_in": ("path", warc["path"]),
                },
            )
        for agent in record["agents"]:
            known = self.agents.get(agent["id"])
            if known is None:
                self.agents[agent["id"]] = {**agent, "environments": []}
                known = self.agents[agent["id"]]
            environment = agent.get("environment")
            if environment and environment not in known["environments"]:
                known["environments"].append(environment)
        for event in record["events"]:
            if event["id"] in self.events:
                continue
            self.events[event["id"]] = event
            for link in event["linking_objects"]:
                objects = self.object_events.setdefault((link["type"], link["value"]), [])
                if event["id"] not in objects:
                    objects.append(event["id"])
            for link in event["linking_agents"]:
                agents = self.agent_events.setdefault(link["id"], [])
                if event["id"] not in agents:
                    agents.append(event["id"])


# --------------------------------------------------------------------------- writing


def _object(
    parent: etree._Element, key: tuple[str, str], obj: Mapping[str, Any], events: list[str]
) -> None:
    element = _add(parent, "object")
    element.set(f"{{{XSI_NS}}}type", f"premis:{obj['category']}")  # file or bitstream
    for kind, value in obj["identifiers"]:
        identifier = _add(element, "objectIdentifier")
        _add(identifier, "objectIdentifierType", IDENTIFIER_TYPES[kind])
        _add(identifier, "objectIdentifierValue", value)
    characteristics = _add(element, "objectCharacteristics")
    for algorithm, digest in obj.get("fixity", []):
        fixity = _add(characteristics, "fixity")
        _add(
            fixity,
            "messageDigestAlgorithm",
            HASH_NAMES[algorithm],
            **_authority("cryptographicHashFunctions", algorithm),
        )
        _add(fixity, "messageDigest", digest)
        _add(fixity, "messageDigestOriginator", "warcite")
    _add(characteristics, "size", obj["size"])
    fmt = obj["format"]
    format_element = _add(characteristics, "format")
    designation = _add(format_element, "formatDesignation")
    _add(designation, "formatName", fmt["name"])
    if fmt.get("version"):
        _add(designation, "formatVersion", fmt["version"])
    if fmt.get("registry"):
        registry = _add(format_element, "formatRegistry")
        _add(registry, "formatRegistryName", fmt["registry"]["name"])
        _add(registry, "formatRegistryKey", fmt["registry"]["key"])
        _add(registry, "formatRegistryRole", "specification")
    if obj.get("note"):
        _add(format_element, "formatNote", obj["note"])
    if obj["category"] == "file" and fmt["name"] == "WARC" and obj["location"].endswith(".gz"):
        _add(
            format_element,
            "formatNote",
            "gzip-compressed record by record (WARC 1.1 Annex D); as a byte stream the file "
            "is GZIP Format (PRONOM x-fmt/266)",
        )
    if obj["category"] == "file":
        _add(element, "originalName", obj["original_name"])
        storage = _add(element, "storage")
        location = _add(storage, "contentLocation")
        _add(location, "contentLocationType", "project-relative path")
        _add(location, "contentLocationValue", obj["location"])
    if obj.get("included_in"):
        relationship = _add(element, "relationship")
        _add(
            relationship, "relationshipType", "structural", **_authority("relationshipType", "str")
        )
        _add(
            relationship,
            "relationshipSubType",
            "is included in",
            **_authority("relationshipSubType", "isi"),
        )
        related = _add(relationship, "relatedObjectIdentifier")
        kind, value = obj["included_in"]
        _add(related, "relatedObjectIdentifierType", IDENTIFIER_TYPES[kind])
        _add(related, "relatedObjectIdentifierValue", value)
    for event_id in events:
        link = _add(element, "linkingEventIdentifier")
        _add(link, "linkingEventIdentifierType", "URI")
        _add(link, "linkingEventIdentifierValue", event_id)


def _event(parent: etree._Element, event: Mapping[str, Any]) -> None:
    element = _add(parent, "event")
    identifier = _add(element, "eventIdentifier")
    _add(identifier, "eventIdentifierType", "URI")
    _add(identifier, "eventIdentifierValue", event["id"])
    _add(
        element,
        "eventType",
        event["type"],
        authority="eventType",
        authorityURI=f"{LOC}/eventType",
        valueURI=event["type_uri"],
    )
    _add(element, "eventDateTime", event["date"])
    detail = _add(element, "eventDetailInformation")
    _add(detail, "eventDetail", event["detail"])
    outcome = _add(element, "eventOutcomeInformation")
    _add(
        outcome,
        "eventOutcome",
        event["outcome"],
        **_authority("eventOutcome", OUTCOME_CODES[event["outcome"]]),
    )
    for link in event["linking_agents"]:
        agent = _add(element, "linkingAgentIdentifier")
        _add(agent, "linkingAgentIdentifierType", "URI")
        _add(agent, "linkingAgentIdentifierValue", link["id"])
        _add(
            agent,
            "linkingAgentRole",
            link["role"],
            authority="eventRelatedAgentRole",
            authorityURI=f"{LOC}/eventRelatedAgentRole",
            valueURI=link["role_uri"],
        )
    for link in event["linking_objects"]:
        obj = _add(element, "linkingObjectIdentifier")
        _add(obj, "linkingObjectIdentifierType", IDENTIFIER_TYPES[link["type"]])
        _add(obj, "linkingObjectIdentifierValue", link["value"])
        _add(
            obj,
            "linkingObjectRole",
            link["role"],
            authority="eventRelatedObjectRole",
            authorityURI=f"{LOC}/eventRelatedObjectRole",
            valueURI=link["role_uri"],
        )


def _agent(parent: etree._Element, agent: Mapping[str, Any], events: list[str]) -> None:
    element = _add(parent, "agent")
    identifier = _add(element, "agentIdentifier")
    _add(identifier, "agentIdentifierType", "URI")
    _add(identifier, "agentIdentifierValue", agent["id"])
    _add(element, "agentName", agent["name"])
    _add(
        element,
        "agentType",
        agent["type"],
        **_authority("agentType", AGENT_TYPE_CODES[agent["type"]]),
    )
    if agent.get("version"):
        _add(element, "agentVersion", agent["version"])
    for environment in agent.get("environments", []):
        _add(
            element,
            "agentNote",
            "ran with " + ", ".join(f"{name} {value}" for name, value in environment.items()),
        )
    for event_id in events:
        link = _add(element, "linkingEventIdentifier")
        _add(link, "linkingEventIdentifierType", "URI")
        _add(link, "linkingEventIdentifierValue", event_id)


def premis_document(records: Iterable[tuple[Mapping[str, Any], bytes]]) -> etree._Element:
    """The ``<premis>`` element of (record, its JSON file's bytes) pairs."""
    collection = _Collection()
    pairs = list(records)
    split = agents_in_several_environments(record for record, _ in pairs)
    for record, json_bytes in pairs:
        collection.add_record(with_environment_agents(record, split), json_bytes)
    root = etree.Element(_q("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})
    root.set("version", "3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    for key, obj in collection.objects.items():
        _object(root, key, obj, collection.object_events.get(key, []))
    for key, events in collection.object_events.items():
        if key not in collection.objects:  # a capture's source: the page, or its transcript
            source_entity(root, key, events)
    for event in collection.events.values():
        _event(root, event)
    for agent_id, agent in collection.agents.items():
        _agent(root, agent, collection.agent_events.get(agent_id, []))
    return root


def _write_new(output: Path, data: bytes) -> None:
    """Write ``data`` to ``output`` atomically; never replace an existing file."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=".tmp", dir=output.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, output)  # fails when output exists: no silent overwrite
        except FileExistsError:
            raise UsageError(
                f"{output} exists already; warcite never overwrites it (choose another -o)"
            ) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def export_premis(records: Sequence[Path] | list[Path], output: Path) -> Path:
    """Write the PREMIS 3.0 XML of ``records`` (record JSON files) to ``output``.

    Raises UsageError when there is no record, when ``output`` exists or its folder does
    not; RecordError when a record cannot be read or is not valid.  Returns ``output``.
    """
    output = Path(output)
    if not records:
        raise UsageError("no records to export: name at least one record")
    if output.exists() or output.is_symlink():
        raise UsageError(
            f"{output} exists already; warcite never overwrites it (choose another -o)"
        )
    if not output.parent.is_dir():
        raise UsageError(f"the folder {output.parent} does not exist; create it first")
    loaded = []
    for path in records:
        record = _load(Path(path))
        try:
            json_bytes = Path(path).read_bytes()
        except OSError as error:
            raise RecordError(f"cannot read {path}: {error.strerror or error}") from error
        loaded.append((record, json_bytes))
    root = premis_document(loaded)
    schema = premis_schema()
    if not schema.validate(root):  # a bug in this module: never write an invalid document
        first = schema.error_log.filter_from_errors()[0]
        raise RecordError(
            f"the PREMIS document does not validate against {xsd_path().name} "
            f"(line {first.line}: {first.message}); nothing was written"
        )
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    _write_new(output, data)
    return output


__all__ = ["export_premis", "premis_document", "premis_schema", "xsd_path"]

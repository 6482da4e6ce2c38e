"""PREMIS 3 provenance for records: objects, events linking them, agents with their roles.

A record's ``files`` are PREMIS objects of category ``file`` with a format (PRONOM where
a registry entry fits); its ``events`` link the objects they acted on (by identifier, with
the role source/outcome) and the agents involved (with the role executing program /
implementer); the operator (``--operator NAME``) is a person agent linked as implementer
to the events of the run they caused.  Vocabularies: Library of Congress preservation
vocabularies (id.loc.gov/vocabulary/preservation/...).  PRONOM identifiers checked against
the registry's own signatures: WARC 1.1 is fmt/1281 (``WARC/1.1`` at offset 0), WARC 1.0
fmt/1355 (``WARC/1.0``), plain text x-fmt/111, JSON fmt/817.

Public functions::

    file_format(role, media_type, warc_version)   the PREMIS format of a record's file
    warc_version(path)                            "1.1" from a WARC's first line, or None
    operator_agent(name)                          the person who ran warcite, as an agent
    link_event(event, record, operator_id=None)   fill an event's linking agents and objects
    migrate_1_0_0_to_1_1_0(record)                the registered schema migration step
"""

from __future__ import annotations

import copy
import hashlib
import re
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

JsonObject = dict[str, Any]

AGENT_ROLE_URIS = {
    "executing program": "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/exe",
    "implementer": "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/imp",
    "authorizer": "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/aut",
    "validator": "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/val",
}
"""Library of Congress eventRelatedAgentRole."""

OBJECT_ROLE_URIS = {
    "source": "http://id.loc.gov/vocabulary/preservation/eventRelatedObjectRole/sou",
    "outcome": "http://id.loc.gov/vocabulary/preservation/eventRelatedObjectRole/out",
}
"""Library of Congress eventRelatedObjectRole."""

OBJECT_CATEGORY_FILE = "file"
OBJECT_CATEGORY_URI = "http://id.loc.gov/vocabulary/preservation/objectCategory/fil"

PRONOM = "PRONOM"
WARC_PUIDS = {"1.1": "fmt/1281", "1.0": "fmt/1355"}
"""PRONOM format identifiers of the WARC versions (signatures ``WARC/1.1`` / ``WARC/1.0``)."""
PLAIN_TEXT_FORMAT: JsonObject = {
    "name": "Plain Text File",
    "version": None,
    "registry": {"name": PRONOM, "key": "x-fmt/111"},
}
JSON_FORMAT: JsonObject = {
    "name": "JSON Data Interchange Format",
    "version": None,
    "registry": {"name": PRONOM, "key": "fmt/817"},
}
WARCITE_WARC_METHODS = frozenset(
    {"http-capture", "import-html", "import-transcript", "import-memento", "import-document"}
)
"""Capture methods whose WARC warcite wrote itself (always WARC/1.1)."""

OPERATOR_PREFIX = "urn:warcite:agent:operator"


def _get(node: Any, *keys: str) -> Any:
    """``node[k1][k2]...``, or None where a level is missing or not an object (records
    read here may be malformed: validation reports that, this must not crash)."""
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _items(node: Any) -> list[Any]:
    """A JSON array's items, or nothing when it is not an array."""
    return node if isinstance(node, list) else []


# --------------------------------------------------------------------------- objects


def warc_format(version: str | None) -> JsonObject:
    """The PREMIS format of a WARC file of ``version`` (None when it is not known)."""
    puid = WARC_PUIDS.get(version or "")
    return {
        "name": "WARC",
        "version": version,
        "registry": {"name": PRONOM, "key": puid} if puid else None,
    }


def file_format(role: str, media_type: str, warc_version: str | None = None) -> JsonObject:
    """The PREMIS format of a record's file: WARC, plain text, JSON, or the media type."""
    essence = media_type.split(";", 1)[0].strip().lower()
    if role == "warc" or essence == "application/warc":
        return warc_format(warc_version)
    if role == "text" or essence == "text/plain":
        return copy.deepcopy(PLAIN_TEXT_FORMAT)
    if essence == "application/json":
        return copy.deepcopy(JSON_FORMAT)
    return {"name": media_type, "version": None, "registry": None}


def warc_version(path: Path) -> str | None:
    """The version a WARC file's first record declares (``WARC/1.1`` -> "1.1"), or None.

    Reads at most 64 KiB and decompresses at most 64 bytes, so a hostile file costs nothing.
    """
    try:
        with Path(path).open("rb") as stream:
            head = stream.read(65536)
    except OSError:
        return None
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return None
    match = re.match(rb"WARC/([0-9]+\.[0-9]+)\r?\n", head)
    return match.group(1).decode("ascii") if match else None


def describe_file(entry: JsonObject, warc_version: str | None = None) -> JsonObject:
    """``entry`` (a record's ``files[]`` item) with its PREMIS category and format added."""
    entry["category"] = OBJECT_CATEGORY_FILE
    entry["format"] = file_format(entry["role"], entry["media_type"], warc_version)
    return entry


# --------------------------------------------------------------------------- agents


def operator_agent(name: str) -> JsonObject:
    """The person who ran warcite, as a PREMIS agent; its id is derived from the name, so
    two operators of one record's history stay two agents."""
    clean = " ".join(name.split())
    words = re.sub(r"[^a-z0-9]+", "-", clean.lower()).strip("-")[:40].strip("-")
    if not words or words != clean.lower().replace(" ", "-"):
        digest = hashlib.sha256(clean.encode("utf-8")).hexdigest()[:12]
        words = f"{words}-{digest}" if words else digest
    return {"id": f"{OPERATOR_PREFIX}-{words}", "type": "person", "name": clean}


def is_operator(agent: Mapping[str, Any]) -> bool:
    """Whether an agent is an operator (a person who ran warcite)."""
    agent_id = agent.get("id")
    return (
        agent.get("type") == "person"
        and isinstance(agent_id, str)
        and agent_id.startswith(OPERATOR_PREFIX)
    )


def new_operators(existing: Mapping[str, Any], record: Mapping[str, Any]) -> list[str]:
    """The ids of the operators of ``record`` that ``existing`` does not name (a rebuild
    with ``--replace --operator NAME`` is a run worth recording even when the content is
    unchanged)."""
    known = {
        a["id"]
        for a in _items(existing.get("agents"))
        if isinstance(a, dict) and isinstance(a.get("id"), str)
    }
    return [
        a["id"]
        for a in _items(record.get("agents"))
        if isinstance(a, dict) and is_operator(a) and a["id"] not in known
    ]


def linking_agent(agent_id: str, role: str) -> JsonObject:
    return {"id": agent_id, "role": role, "role_uri": AGENT_ROLE_URIS[role]}


# --------------------------------------------------------------------------- events


def linking_object(kind: str, value: str, role: str) -> JsonObject:
    return {"type": kind, "value": value, "role": role, "role_uri": OBJECT_ROLE_URIS[role]}


def record_json_path(record: Mapping[str, Any]) -> str:
    """The project-relative path of the record's own JSON file."""
    from warcite.core.project import RECORDS_DIR

    return f"{RECORDS_DIR}/{record['id']}.json"


def _file_paths(record: Mapping[str, Any]) -> list[str]:
    return [
        f["path"]
        for f in _items(record.get("files"))
        if isinstance(f, dict) and isinstance(f.get("path"), str)
    ]


def _warc_record_uri(record: Mapping[str, Any]) -> str | None:
    value = _get(record, "capture", "warc", "record_id")
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return None


def event_objects(kind: str, record: Mapping[str, Any]) -> list[JsonObject]:
    """The objects an event of ``kind`` acted on in ``record``, with their roles."""
    target_uri = _get(record, "capture", "target_uri")
    warc_path = _get(record, "capture", "warc", "path")
    warc_record = _warc_record_uri(record)
    text_path = _get(record, "text", "path")
    own = record.get("record_id")  # the record itself (its JSON file), by its identity
    links: list[JsonObject] = []
    if kind in ("capture", "ingestion"):
        if isinstance(target_uri, str):
            links.append(linking_object("uri", target_uri, "source"))
        if isinstance(warc_path, str):
            links.append(linking_object("path", warc_path, "outcome"))
        if warc_record:
            links.append(linking_object("uri", warc_record, "outcome"))
    elif kind == "metadata extraction":
        if warc_record:
            links.append(linking_object("uri", warc_record, "source"))
        if isinstance(text_path, str):
            links.append(linking_object("path", text_path, "outcome"))
        if isinstance(own, str):
            links.append(linking_object("uri", own, "outcome"))
    elif kind in ("message digest calculation", "fixity check"):
        links.extend(linking_object("path", path, "source") for path in _file_paths(record))
    elif kind == "validation":
        if isinstance(own, str):
            links.append(linking_object("uri", own, "source"))
        links.extend(linking_object("path", path, "source") for path in _file_paths(record))
    elif kind == "migration" and isinstance(own, str):
        links.append(linking_object("uri", own, "source"))
        links.append(linking_object("uri", own, "outcome"))
    return links


def link_event(
    event: JsonObject, record: Mapping[str, Any], operator_id: str | None = None
) -> JsonObject:
    """Fill ``event``'s linking_agents (its executing program, and the operator as
    implementer) and linking_objects (what it acted on in ``record``); returns it."""
    agents = [linking_agent(event["agent"], "executing program")]
    if operator_id:
        agents.append(linking_agent(operator_id, "implementer"))
    event["linking_agents"] = agents
    event["linking_objects"] = event_objects(event["type"], record)
    return event


def link_events(record: JsonObject, operator_id: str | None = None) -> JsonObject:
    """Link every event of a freshly built record (all caused by one run); returns it."""
    for item in _items(record.get("events")):
        if isinstance(item, dict):
            link_event(item, record, operator_id)
    return record


# --------------------------------------------------------------------------- checking


def link_problems(record: Mapping[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """What is wrong with a record's PREMIS links: (JSON path, message, expected, found).

    Every linked agent is in ``agents`` and every agent is linked by some event; the
    executing program is the event's ``agent``; a linked path is a listed file.
    """
    problems: list[tuple[str, str, Any, Any]] = []
    agents = [a for a in _items(record.get("agents")) if isinstance(a, dict)]
    agent_ids = {a["id"] for a in agents if isinstance(a.get("id"), str)}
    paths = set(_file_paths(record))
    linked: set[Any] = set()
    for index, item in enumerate(_items(record.get("events"))):
        if not isinstance(item, dict):
            continue
        where = f"$.events[{index}]"
        programs = []
        for number, link in enumerate(_items(item.get("linking_agents"))):
            if not isinstance(link, dict):
                continue
            if isinstance(link.get("id"), str):
                linked.add(link["id"])
            if not isinstance(link.get("id"), str) or link["id"] not in agent_ids:
                problems.append(
                    (
                        f"{where}.linking_agents[{number}].id",
                        f"agent {link.get('id')} is not in $.agents",
                        sorted(str(a) for a in agent_ids),
                        link.get("id"),
                    )
                )
            if link.get("role") == "executing program":
                programs.append(link.get("id"))
        if "linking_agents" in item and item.get("agent") not in programs:
            problems.append(
                (
                    f"{where}.linking_agents",
                    f"the event's agent {item.get('agent')} is not linked as its executing program",
                    item.get("agent"),
                    programs,
                )
            )
        for number, link in enumerate(_items(item.get("linking_objects"))):
            if (
                isinstance(link, dict)
                and link.get("type") == "path"
                and not (isinstance(link.get("value"), str) and link["value"] in paths)
            ):
                problems.append(
                    (
                        f"{where}.linking_objects[{number}].value",
                        f"{link.get('value')} is not a file in $.files",
                        sorted(paths),
                        link.get("value"),
                    )
                )
    if any("linking_agents" in e for e in _items(record.get("events")) if isinstance(e, dict)):
        for index, agent in enumerate(agents):
            if not isinstance(agent.get("id"), str) or agent["id"] not in linked:
                problems.append(
                    (
                        f"$.agents[{index}]",
                        f"agent {agent.get('id')} is linked by no event",
                        None,
                        agent.get("id"),
                    )
                )
    return problems


# --------------------------------------------------------------------------- migration


def _last_run(events: list[JsonObject]) -> list[JsonObject]:
    """The events of the last run that built a 1.0.0 record: a rebuild (--replace) appends
    metadata extraction, message digest calculation and validation after the history; a
    first build starts with the capture or ingestion."""
    built = [e for e in events if e.get("type") != "migration"]
    extraction = [i for i, e in enumerate(built) if e.get("type") == "metadata extraction"]
    if not extraction:
        return built
    if len(extraction) == 1:
        return built
    return built[extraction[-1] :]


def migrate_1_0_0_to_1_1_0(record: JsonObject) -> JsonObject:
    """Schema 1.0.0 -> 1.1.0: files gain their PREMIS category and format, events their
    linking agents (with roles) and objects; the operator of the last run is linked as
    implementer to that run's events.  Nothing else changes (the caller sets
    schema_version and records the migration event)."""
    method = _get(record, "capture", "method")
    version = "1.1" if isinstance(method, str) and method in WARCITE_WARC_METHODS else None
    for entry in _items(record.get("files")):
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("role"), str)
            and isinstance(entry.get("media_type"), str)
        ):
            describe_file(entry, version)
    operators = [a for a in _items(record.get("agents")) if isinstance(a, dict) and is_operator(a)]
    events = [e for e in _items(record.get("events")) if isinstance(e, dict)]
    last_run = {id(e) for e in _last_run(events)} if operators else set()
    for item in events:
        if isinstance(item.get("agent"), str) and isinstance(item.get("type"), str):
            operator_id = operators[-1]["id"] if id(item) in last_run else None
            link_event(item, record, operator_id)
    return record


__all__ = [
    "AGENT_ROLE_URIS",
    "JSON_FORMAT",
    "OBJECT_CATEGORY_FILE",
    "OBJECT_CATEGORY_URI",
    "OBJECT_ROLE_URIS",
    "PLAIN_TEXT_FORMAT",
    "WARC_PUIDS",
    "describe_file",
    "event_objects",
    "file_format",
    "is_operator",
    "link_event",
    "link_events",
    "link_problems",
    "migrate_1_0_0_to_1_1_0",
    "new_operators",
    "operator_agent",
    "record_json_path",
    "warc_format",
    "warc_version",
]

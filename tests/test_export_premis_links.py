"""PREMIS export (issue 21): every identifier an event, object or agent links resolves to
an element of the same document (the capture's source is described as an intellectual
entity), and a software agent that ran in different environments has one identifier per
environment, each event linking the one it ran in."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from lxml import etree

from warcite.export.premis import export_premis, premis_document, premis_schema
from warcite.export.premis_sources import environment_agent_id

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE = PROJECT_ROOT / "records" / "opednews-160829-249.json"
NS = {"p": "http://www.loc.gov/premis/v3"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _values(node: Any, xpath: str) -> list[str]:
    return [str(value) for value in node.xpath(xpath, namespaces=NS)]


def assert_every_link_resolves(document: Any) -> None:
    objects = set(_values(document, "//p:object/p:objectIdentifier/p:objectIdentifierValue/text()"))
    events = set(_values(document, "//p:event/p:eventIdentifier/p:eventIdentifierValue/text()"))
    agents = set(_values(document, "//p:agent/p:agentIdentifier/p:agentIdentifierValue/text()"))
    linked_objects = _values(document, "//p:linkingObjectIdentifierValue/text()")
    linked_objects += _values(document, "//p:relatedObjectIdentifierValue/text()")
    assert linked_objects and set(linked_objects) <= objects, set(linked_objects) - objects
    linked_events = _values(document, "//p:linkingEventIdentifierValue/text()")
    assert linked_events and set(linked_events) <= events, set(linked_events) - events
    linked_agents = _values(document, "//p:linkingAgentIdentifierValue/text()")
    assert linked_agents and set(linked_agents) <= agents, set(linked_agents) - agents


def test_every_link_of_the_reference_export_resolves(tmp_path: Path) -> None:
    document = etree.parse(str(export_premis([REFERENCE], tmp_path / "premis.xml")))
    assert_every_link_resolves(document)
    record = json.loads(REFERENCE.read_text("utf-8"))
    source = record["capture"]["target_uri"]  # urn:transcript:<URL>
    (entity,) = document.xpath(
        "//p:object[p:objectIdentifier/p:objectIdentifierValue=$v]", namespaces=NS, v=source
    )
    assert entity.get(XSI_TYPE) == "premis:intellectualEntity"
    assert "transcript" in _values(entity, ".//p:significantPropertiesValue/text()")[0]
    ingestion = record["events"][0]["id"]
    assert _values(entity, "p:linkingEventIdentifier/p:linkingEventIdentifierValue/text()") == [
        ingestion
    ]


def _other_capture(record: dict[str, Any]) -> dict[str, Any]:
    """The same record made again elsewhere: new ids, a web capture, another Python."""
    other = copy.deepcopy(record)
    other["record_id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    for index, event in enumerate(other["events"]):
        event["id"] = f"urn:uuid:00000000-0000-4000-8000-1000000000{index:02d}"
        for link in event["linking_objects"]:
            if link["role"] == "source" and link["value"].startswith("urn:transcript:"):
                link["value"] = link["value"].removeprefix("urn:transcript:")
    other["agents"][0]["environment"] = {**record["agents"][0]["environment"], "python": "3.12.4"}
    return other


def test_a_web_source_and_agents_per_environment() -> None:
    record = json.loads(REFERENCE.read_text("utf-8"))
    other = _other_capture(record)
    document = premis_document(
        [(record, REFERENCE.read_bytes()), (other, json.dumps(other).encode())]
    )
    assert premis_schema().validate(document), premis_schema().error_log
    assert_every_link_resolves(document)
    # the web page is an intellectual entity too
    web = record["work"]["url"]
    assert document.xpath(
        "//p:object[@xsi:type='premis:intellectualEntity']"
        "[p:objectIdentifier/p:objectIdentifierValue=$v]",
        namespaces={**NS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"},
        v=web,
    )
    # one agent per environment, each with its own id and one environment note
    software = document.xpath("//p:agent[p:agentName='warcite']", namespaces=NS)
    ids = [
        _values(agent, "p:agentIdentifier/p:agentIdentifierValue/text()")[0] for agent in software
    ]
    assert len(software) == 2 and len(set(ids)) == 2
    agent_id = record["agents"][0]["id"]
    assert ids == [
        environment_agent_id(agent_id, record["agents"][0]["environment"]),
        environment_agent_id(agent_id, other["agents"][0]["environment"]),
    ]
    for agent in software:
        notes = _values(agent, "p:agentNote/text()")
        assert len(notes) == 1 and notes[0].startswith("ran with python ")
    assert "3.12.4" in _values(software[1], "p:agentNote/text()")[0]
    # each event links the agent of its own record's environment
    for source, agent in ((record, ids[0]), (other, ids[1])):
        for event in source["events"]:
            (element,) = document.xpath(
                "//p:event[p:eventIdentifier/p:eventIdentifierValue=$v]",
                namespaces=NS,
                v=event["id"],
            )
            assert agent in _values(element, ".//p:linkingAgentIdentifierValue/text()")


def test_one_environment_keeps_the_record_s_agent_id() -> None:
    record = json.loads(REFERENCE.read_text("utf-8"))
    document = premis_document([(record, REFERENCE.read_bytes())])
    assert record["agents"][0]["id"] in _values(
        document, "//p:agent/p:agentIdentifier/p:agentIdentifierValue/text()"
    )

"""Parts of the PREMIS export that make every link resolve inside the document.

- :func:`source_entity`: the object a capture or ingestion event names as its ``source``
  (the web page's URI, or ``urn:transcript:<URL>`` for an imported transcript) has no file
  in the archive; it is described as a PREMIS intellectual entity, so that the event's
  linking object identifier names an ``<object>`` of the document.
- :func:`with_environment_agents`: a software agent (``urn:warcite:agent:warcite-0.1.0``)
  that ran in several environments (Python and library versions) among the exported
  records becomes one agent per environment, with its own identifier
  (:func:`environment_agent_id`), each event linking the agent of its own record's
  environment; an agent seen in one environment keeps the record's identifier.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TRANSCRIPT_PREFIX = "urn:transcript:"


def _add(parent: Any, name: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, f"{{{PREMIS_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def source_entity(parent: Any, key: tuple[str, str], events: list[str]) -> Any:
    """An ``<object xsi:type="premis:intellectualEntity">`` for a linked object that no
    file of the archive holds: the page on the web, or the transcript it was imported
    from; its identifier is the one the events link, and it links them back."""
    kind, value = key
    element = _add(parent, "object")
    element.set(f"{{{XSI_NS}}}type", "premis:intellectualEntity")
    identifier = _add(element, "objectIdentifier")
    _add(identifier, "objectIdentifierType", "URI" if kind == "uri" else "local path")
    _add(identifier, "objectIdentifierValue", value)
    properties = _add(element, "significantProperties")
    _add(properties, "significantPropertiesType", "description")
    if value.startswith(TRANSCRIPT_PREFIX):
        page = value[len(TRANSCRIPT_PREFIX) :]
        description = (
            f"a plain-text transcript of the web page {page} as received, the source "
            "of an import; not kept in the archive apart from the WARC record made from it"
        )
    else:
        description = (
            f"the web resource {value} as its server sent it, the source of a capture; "
            "not kept in the archive apart from the WARC records made from it"
        )
    _add(properties, "significantPropertiesValue", description)
    for event_id in events:
        link = _add(element, "linkingEventIdentifier")
        _add(link, "linkingEventIdentifierType", "URI")
        _add(link, "linkingEventIdentifierValue", event_id)
    return element


def _environment_key(environment: Mapping[str, Any]) -> str:
    return json.dumps(environment, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def environment_agent_id(agent_id: str, environment: Mapping[str, Any]) -> str:
    """The identifier of ``agent_id`` in one environment: the id, ``:environment:`` and
    the first 16 hex digits of the SHA-256 of the environment as canonical JSON (the same
    environment gives the same identifier in every export)."""
    digest = hashlib.sha256(_environment_key(environment).encode("utf-8")).hexdigest()[:16]
    return f"{agent_id}:environment:{digest}"


def agents_in_several_environments(records: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The ids of agents that the records show in more than one environment."""
    seen: dict[str, set[str]] = {}
    for record in records:
        for agent in record.get("agents", []):
            environment = agent.get("environment")
            if environment:
                seen.setdefault(agent["id"], set()).add(_environment_key(environment))
    return frozenset(agent_id for agent_id, keys in seen.items() if len(keys) > 1)


def with_environment_agents(record: Mapping[str, Any], split: frozenset[str]) -> Mapping[str, Any]:
    """``record`` with each agent of ``split`` renamed to its environment's identifier, in
    its agents and in its events' links (a copy; the record itself is not changed)."""
    renamed = {
        agent["id"]: environment_agent_id(agent["id"], agent["environment"])
        for agent in record.get("agents", [])
        if agent["id"] in split and agent.get("environment")
    }
    if not renamed:
        return record
    result = copy.deepcopy(dict(record))
    for agent in result["agents"]:
        agent["id"] = renamed.get(agent["id"], agent["id"])
    for event in result["events"]:
        if event.get("agent") in renamed:
            event["agent"] = renamed[event["agent"]]
        for link in event["linking_agents"]:
            link["id"] = renamed.get(link["id"], link["id"])
    return result


__all__ = [
    "agents_in_several_environments",
    "environment_agent_id",
    "source_entity",
    "with_environment_agents",
]

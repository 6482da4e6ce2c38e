"""PREMIS 3.0 XML export: valid against the official (vendored) XSD, objects/events/agents
with the links the records carry, refusals that leave nothing behind."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import test_record
from conftest import shared_path
from test_record import fixed_clock, import_transcript, new_project, uuid_sequence
from warcite import record as records
from warcite.core.errors import RecordError, UsageError
from warcite.export.premis import export_premis, premis_document, premis_schema, xsd_path

fake_extraction = test_record.fake_extraction  # the fixture, used by name below

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE = PROJECT_ROOT / "records" / "opednews-160829-249.json"
OLD_REFERENCE = Path(__file__).parent / "data" / "record_1.0.0_opednews-160829-249.json"
NS = {"p": "http://www.loc.gov/premis/v3"}


def official_schema() -> etree.XMLSchema:
    """The XSD, loaded independently of the module under test."""
    return etree.XMLSchema(etree.parse(str(xsd_path())))


def assert_valid(path: Path) -> etree._ElementTree:
    document = etree.parse(str(path))
    schema = official_schema()
    assert schema.validate(document), schema.error_log
    return document


def texts(document: Any, xpath: str) -> list[str]:
    return [str(value) for value in document.xpath(xpath, namespaces=NS)]


# --------------------------------------------------------------------------- the XSD


def test_vendored_xsd_is_the_official_file() -> None:
    readme = (xsd_path().parent / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(xsd_path().read_bytes()).hexdigest()
    assert digest in readme, "the XSD's sha256 is not the one vendor/README.md records"
    assert "17 U.S.C." in readme  # its licence note
    root = etree.parse(str(xsd_path())).getroot()
    assert root.get("targetNamespace") == "http://www.loc.gov/premis/v3"
    assert not root.findall("{http://www.w3.org/2001/XMLSchema}import")


def test_vendored_xsd_matches_the_shared_copy() -> None:
    shared = shared_path("premis", "premis-v3-0.xsd")
    assert shared.read_bytes() == xsd_path().read_bytes()


def test_the_schema_check_is_not_vacuous(tmp_path: Path) -> None:
    output = export_premis([REFERENCE], tmp_path / "premis.xml")
    document = etree.parse(str(output))
    characteristics = document.find(".//p:objectCharacteristics", NS)
    characteristics.getparent().remove(characteristics)
    assert not official_schema().validate(document)
    assert not premis_schema().validate(document)


# --------------------------------------------------------------------------- the export


def test_reference_record_exports_valid_premis(tmp_path: Path) -> None:
    record = json.loads(REFERENCE.read_text(encoding="utf-8"))
    output = export_premis([REFERENCE], tmp_path / "premis.xml")
    assert output == tmp_path / "premis.xml"
    document = assert_valid(output)
    assert document.getroot().get("version") == "3.0"
    xsi_type = "{http://www.w3.org/2001/XMLSchema-instance}type"
    categories = [obj.get(xsi_type) for obj in document.findall("p:object", NS)]
    assert categories == [
        "premis:file",
        "premis:file",
        "premis:file",
        "premis:bitstream",
        "premis:intellectualEntity",  # the transcript the ingestion came from (issue 21)
    ]
    # the record's own JSON file: identified by record_id, fixity of the bytes exported
    first = document.find("p:object", NS)
    assert texts(first, "p:objectIdentifier/p:objectIdentifierValue/text()") == [
        record["record_id"],
        "records/opednews-160829-249.json",
    ]
    assert texts(first, ".//p:fixity[1]/p:messageDigest/text()") == [
        hashlib.sha512(REFERENCE.read_bytes()).hexdigest()
    ]
    assert texts(first, ".//p:formatRegistryKey/text()") == ["fmt/817"]
    # formats and fixity of the files come from the record
    keys = texts(document, "//p:object//p:formatRegistryKey/text()")
    assert keys == ["fmt/817", "fmt/1281", "x-fmt/111"]
    warc = record["files"][0]
    assert warc["sha512"] in texts(document, "//p:messageDigest/text()")
    # the page record is a bitstream included in the WARC file
    bitstream = document.xpath("//p:object[p:relationship]", namespaces=NS)[0]
    assert texts(bitstream, ".//p:relatedObjectIdentifierValue/text()") == [warc["path"]]
    assert texts(bitstream, ".//p:relationshipSubType/@valueURI") == [
        "http://id.loc.gov/vocabulary/preservation/relationshipSubType/isi"
    ]
    # every event, with its links
    events = document.findall("p:event", NS)
    assert [
        e.findtext("p:eventIdentifier/p:eventIdentifierValue", namespaces=NS) for e in events
    ] == [event["id"] for event in record["events"]]
    for element, event in zip(events, record["events"], strict=True):
        assert texts(element, "p:eventType/@valueURI") == [event["type_uri"]]
        assert texts(
            element, "p:linkingObjectIdentifier/p:linkingObjectIdentifierValue/text()"
        ) == [link["value"] for link in event["linking_objects"]]
        assert texts(element, "p:linkingObjectIdentifier/p:linkingObjectRole/@valueURI") == [
            link["role_uri"] for link in event["linking_objects"]
        ]
        assert texts(element, "p:linkingAgentIdentifier/p:linkingAgentRole/text()") == [
            link["role"] for link in event["linking_agents"]
        ]
    # every linked object path is described in the document
    described = set(texts(document, "//p:objectIdentifierValue/text()"))
    for event in record["events"]:
        for link in event["linking_objects"]:
            assert link["value"] in described
    # every agent of the record once, in its order (software, and the operator of a re-seal)
    agents = document.findall("p:agent", NS)
    assert [
        a.findtext("p:agentIdentifier/p:agentIdentifierValue", namespaces=NS) for a in agents
    ] == [agent["id"] for agent in record["agents"]]
    agent_type_codes = {"software": "sof", "person": "per", "organization": "org"}
    for element, agent in zip(agents, record["agents"], strict=True):
        assert element.findtext("p:agentName", namespaces=NS) == agent["name"]
        assert texts(element, "p:agentType/@valueURI") == [
            "http://id.loc.gov/vocabulary/preservation/agentType/" + agent_type_codes[agent["type"]]
        ]
        linked = [
            event["id"]
            for event in record["events"]
            if any(link["id"] == agent["id"] for link in event["linking_agents"])
        ]
        assert (
            texts(element, "p:linkingEventIdentifier/p:linkingEventIdentifierValue/text()")
            == linked
        )
    assert "warcite" in [a.findtext("p:agentName", namespaces=NS) for a in agents]


def test_several_records_with_operators_and_shared_agents(
    tmp_path: Path, fake_extraction: Any
) -> None:
    project = new_project(tmp_path)
    first_warc = import_transcript(project)
    first = records.make_record(
        first_warc,
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(),
        operator="Jo",
    )
    records.make_record(
        first_warc,
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(100),
        operator="Kim",
        replace=True,
    )
    second_warc = import_transcript(
        project,
        test_record.TRANSCRIPT.replace("worse", "better"),
        slug="other",
    )
    second = records.make_record(
        second_warc,
        project_root=project,
        clock=fixed_clock(),
        new_uuid=uuid_sequence(200),
        slug="other",
    )
    output = export_premis([first.path, second.path, first.path], tmp_path / "two.xml")
    document = assert_valid(output)
    names = [a.findtext("p:agentName", namespaces=NS) for a in document.findall("p:agent", NS)]
    assert sorted(names) == ["Jo", "Kim", "warcite"]  # each agent once
    assert len(document.findall("p:event", NS)) == 7 + 4
    kim = document.xpath("//p:agent[p:agentName='Kim']", namespaces=NS)[0]
    assert len(kim.findall("p:linkingEventIdentifier", NS)) == 3
    assert texts(kim, "p:agentType/text()") == ["person"]
    implementers = document.xpath(
        "//p:event[p:linkingAgentIdentifier/p:linkingAgentRole='implementer']", namespaces=NS
    )
    assert len(implementers) == 7


def test_an_old_record_is_exported_through_its_migration(tmp_path: Path) -> None:
    old = tmp_path / "records" / "opednews-160829-249.json"
    old.parent.mkdir()
    shutil.copy2(OLD_REFERENCE, old)
    document = assert_valid(export_premis([old], tmp_path / "old.xml"))
    types = texts(document, "//p:event/p:eventType/text()")
    assert types[-1] == "migration"
    assert old.read_bytes() == OLD_REFERENCE.read_bytes()  # migrated in memory only


def test_text_xml_cannot_carry_is_replaced(tmp_path: Path) -> None:
    record = json.loads(REFERENCE.read_text(encoding="utf-8"))
    record["events"][0]["detail"] = "bell \x07, vertical tab \x0b, ok é"
    record["agents"][0]["environment"]["python"] = "3.11\x00"
    path = tmp_path / "records" / "x.json"
    path.parent.mkdir()
    path.write_text(json.dumps(record), encoding="utf-8")
    document = assert_valid(export_premis([path], tmp_path / "x.xml"))
    detail = texts(document, "//p:eventDetail/text()")[0]
    assert detail == "bell \ufffd, vertical tab \ufffd, ok é"
    assert "ran with python 3.11\ufffd" in texts(document, "//p:agentNote/text()")[0]
    # a lone surrogate escape: a record file holding one is refused when it is read ...
    record["events"][0]["detail"] = "lone surrogate \ud800, ok é"
    surrogate = tmp_path / "records" / "surrogate.json"
    surrogate.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RecordError, match="lone surrogate escape"):
        export_premis([surrogate], tmp_path / "surrogate.xml")
    assert not (tmp_path / "surrogate.xml").exists()
    # ... and a record given in memory has it replaced
    element = premis_document([(record, REFERENCE.read_bytes())])
    assert premis_schema().validate(element)
    detail = next(str(t) for t in element.xpath("//p:eventDetail/text()", namespaces=NS))
    assert detail == "lone surrogate \ufffd, ok é"


# --------------------------------------------------------------------------- refusals


def test_an_existing_output_is_never_replaced(tmp_path: Path) -> None:
    output = tmp_path / "premis.xml"
    output.write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="exists already"):
        export_premis([REFERENCE], output)
    assert output.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        ("{not json", RecordError, "invalid JSON"),
        ('{"schema_version": "1.1.0"}', RecordError, "not a valid record"),
        ('{"schema_version": "9.0.0"}', RecordError, "newer than this warcite"),
        ("[]", RecordError, "a record is a JSON object"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_written(
    tmp_path: Path, content: str, error: type[Exception], message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=message):
        export_premis([REFERENCE, bad], tmp_path / "out.xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_no_records_or_no_folder_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no records"):
        export_premis([], tmp_path / "out.xml")
    with pytest.raises(UsageError, match="does not exist"):
        export_premis([REFERENCE], tmp_path / "missing" / "out.xml")
    with pytest.raises(RecordError, match="does not exist"):
        export_premis([tmp_path / "nothing.json"], tmp_path / "out.xml")
    assert list(tmp_path.iterdir()) == []

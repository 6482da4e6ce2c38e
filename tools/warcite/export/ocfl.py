"""OCFL 1.1 export: a storage root holding one OCFL object per record (per capture).

Each object's id is the record's ``record_id`` (``urn:uuid:...``); its version ``v1`` holds
the record JSON, its clean text and its WARC under the project-relative paths the record
uses (``records/<id>.json``, ``records/<id>.txt``, ``archive/<file>.warc.gz``), so the logical
state of an object is a one-record warcite project.  Digests are sha512 (OCFL 1.1 section
3.5.1, the default); ``inventory.json`` and its sidecar are written in the object root and
in ``v1/``; NAMASTE files declare the storage root (``0=ocfl_1.1``) and each object
(``0=ocfl_object_1.1``).

Storage layout: the community extension ``0003-hash-and-id-n-tuple-storage-layout`` (three
tuples of three characters of the sha256 of the object id, then the id itself, every
character but ``[A-Za-z0-9_-]`` percent-encoded in lower-case hex, cut at 100 characters
plus ``-<digest>`` when longer), declared in ``ocfl_layout.json`` with its parameters in
``extensions/<name>/config.json``: an OCFL client finds an object from its id, and a person
reading the tree sees which record each folder holds.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcite.core.version import __version__
from warcite.export.common import ExportRecord, copy_verified, load_records

OCFL_VERSION = "1.1"
INVENTORY_TYPE = "https://ocfl.io/1.1/spec/#inventory"
LAYOUT = "0003-hash-and-id-n-tuple-storage-layout"
LAYOUT_CONFIG = {
    "extensionName": LAYOUT,
    "digestAlgorithm": "sha256",
    "tupleSize": 3,
    "numberOfTuples": 3,
}
SPEC_URL = "https://ocfl.io/1.1/spec/"


def object_path(object_id: str) -> str:
    """The object's folder under the storage root by the 0003 hash-and-id n-tuple layout."""
    digest = hashlib.sha256(object_id.encode("utf-8")).hexdigest()
    size, count = 3, 3
    tuples = [digest[index * size : (index + 1) * size] for index in range(count)]
    encoded = "".join(
        character
        if re.fullmatch(r"[A-Za-z0-9_-]", character)
        else "".join(f"%{byte:02x}" for byte in character.encode("utf-8"))
        for character in object_id
    )
    if len(encoded) > 100:
        encoded = f"{encoded[:100]}-{digest}"
    return "/".join([*tuples, encoded])


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _write_inventory(folder: Path, inventory: dict[str, Any]) -> None:
    content = _json_bytes(inventory)
    (folder / "inventory.json").write_bytes(content)
    sidecar = f"{hashlib.sha512(content).hexdigest()}  inventory.json\n"
    (folder / "inventory.json.sha512").write_text(sidecar, encoding="ascii")


def _user(record: ExportRecord) -> dict[str, str]:
    """The agent of the version: the record's operator when named, else warcite."""
    for agent in record.data.get("agents", []):
        if isinstance(agent, dict) and agent.get("type") == "person" and agent.get("name"):
            return {"name": str(agent["name"]), "address": str(agent.get("id", ""))}
    return {"name": f"warcite {__version__}", "address": f"urn:warcite:agent:warcite-{__version__}"}


def write_object(record: ExportRecord, root: Path, created: str) -> Path:
    """Write one record as an OCFL object under the storage root; returns its folder."""
    folder = root / object_path(record.record_id)
    content = folder / "v1" / "content"
    manifest: dict[str, list[str]] = {}
    state: dict[str, list[str]] = {}
    for item in record.files:
        copy_verified(item, content / item.relative)
        manifest.setdefault(item.sha512, []).append(f"v1/content/{item.relative}")
        state.setdefault(item.sha512, []).append(item.relative)
    user = _user(record)
    inventory = {
        "id": record.record_id,
        "type": INVENTORY_TYPE,
        "digestAlgorithm": "sha512",
        "head": "v1",
        "contentDirectory": "content",
        "manifest": manifest,
        "versions": {
            "v1": {
                "created": created,
                "message": (
                    f"warcite record {record.slug}: the JSON record, its clean text and the "
                    "WARC 1.1 file it was made from"
                ),
                "user": {key: value for key, value in user.items() if value},
                "state": state,
            }
        },
    }
    (folder / "0=ocfl_object_1.1").write_text("ocfl_object_1.1\n", encoding="ascii")
    _write_inventory(folder, inventory)
    _write_inventory(folder / "v1", inventory)
    return folder


def export_ocfl(records: list[Path], output: Path, *, now: datetime | None = None) -> Path:
    """Write an OCFL 1.1 storage root at ``output`` (a new folder), one object per record."""
    items = load_records(records)
    output.mkdir()
    (output / "0=ocfl_1.1").write_text("ocfl_1.1\n", encoding="ascii")
    (output / "ocfl_layout.json").write_bytes(
        _json_bytes(
            {
                "extension": LAYOUT,
                "description": (
                    "Hashed truncated n-tuple trees with object id encapsulating directory: "
                    "three tuples of three characters of the sha256 of the object id (the "
                    "record's record_id), then the percent-encoded id."
                ),
            }
        )
    )
    extension = output / "extensions" / LAYOUT
    extension.mkdir(parents=True)
    (extension / "config.json").write_bytes(_json_bytes(LAYOUT_CONFIG))
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    created = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for record in items:
        write_object(record, output, created)
    return output


__all__ = ["LAYOUT", "export_ocfl", "object_path", "write_object"]

"""The record schema compiles under ajv's strict mode (issue 21).

ajv (and ajv-formats) from the npm registry, pinned by tests/ajv/package-lock.json and
installed by tools/ci-setup.sh (``npm ci``), compiles the current record schema with
``strict: true``; strict type checks are logged rather than thrown (``strictTypes:
"log"``) so that every complaint is seen with its schema location.  None may be in
warcite's own schema; the bundled official CSL-JSON schema ($defs/csl_data, its own $id)
is third-party and kept unchanged: its complaints (union types such as ``["string",
"number"]``, which JSON Schema allows and ajv's strict mode refuses by default, and
``properties`` inside ``anyOf`` without ``type``) are listed in docs/record-format.md.
Schema 1.1.0, published with a ``pattern`` and a ``format`` without ``type: string`` in
if/then/else branches, is the reason for 1.2.0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from warcite import record as records

AJV = Path(__file__).resolve().parent / "ajv"


def _compile(*paths: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (AJV / "node_modules" / "ajv").is_dir():
        reason = (
            "node is not installed"
            if node is None
            else "ajv is not installed (run tools/ci-setup.sh: npm ci in tests/ajv)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run tools/ci-setup.sh")
        pytest.skip(reason)
    completed = subprocess.run(
        [node, str(AJV / "compile.js"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results: list[dict[str, Any]] = json.loads(completed.stdout)
    return results


def _csl_id(schema: dict[str, Any]) -> str:
    return str(schema["$defs"]["csl_data"]["$id"])


def test_the_current_schema_is_strict_clean() -> None:
    path = records.schema_path()
    schema = json.loads(path.read_text("utf-8"))
    (result,) = _compile(path)
    assert result["thrown"] == []
    own = [message for message in result["logged"] if f'"{_csl_id(schema)}#' not in message]
    assert own == [], "\n".join(own)
    # every complaint names its location: the check is not vacuous
    assert all(' at "urn:uuid:' in message for message in result["logged"])


def test_schema_1_1_0_is_not_and_is_why_1_2_0_exists() -> None:
    path = records.schema_path("1.1.0")
    schema = json.loads(path.read_text("utf-8"))
    (result,) = _compile(path)
    own = [message for message in result["logged"] if f'"{_csl_id(schema)}#' not in message]
    assert any("format_registry/then/properties/key" in message for message in own), own
    assert records.SCHEMA_VERSION != "1.1.0"

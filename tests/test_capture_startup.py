"""Start-up dependencies (issue 9): the format checkers warcite relies on are present.

warcite depends on ``jsonschema`` with ``rfc3339-validator`` (``date-time``) and
``rfc3986-validator`` (``uri``) instead of the ``format-nongpl`` extra, whose grammar library
took seconds to import at every start.  jsonschema checks a format only when its checker
can be imported, silently otherwise, so these tests fail if a change of dependencies
drops one: a record with a bad ``date``, ``date-time`` or ``uri`` must be invalid.
Start-up time itself is measured by ``bench/capture.py``, not here.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from conftest import PROJECT_ROOT
from warcite.record.schema import record_validator

RECORD = PROJECT_ROOT / "records" / "opednews-160829-249.json"


def record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    return data


def format_errors(data: dict[str, Any]) -> list[str]:
    validator = record_validator(data["schema_version"])
    return [
        f"{error.json_path}: {error.message}"
        for error in validator.iter_errors(data)
        if error.validator == "format"
    ]


def test_the_bundled_record_has_no_format_errors() -> None:
    assert format_errors(record()) == []


@pytest.mark.parametrize(
    ("where", "value", "fmt"),
    [
        # patterns alone let these through: only the format checkers catch them
        (("capture", "ingested_at"), "2026-02-30T12:31:03Z", "date-time"),
        (("capture", "ingested_at"), "2026-11-26T25:31:03Z", "date-time"),
        (("created",), "2026-11-26T13:61:49Z", "date-time"),
        (("capture", "target_uri"), "http://exa mple.org/", "uri"),
        (("capture", "target_uri"), "no-scheme/at/all", "uri"),
    ],
)
def test_bad_dates_and_uris_are_format_errors(where: tuple[str, ...], value: str, fmt: str) -> None:
    data = copy.deepcopy(record())
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    errors = format_errors(data)
    assert any(f"is not a '{fmt}'" in error for error in errors), errors


def test_a_bad_calendar_date_is_a_format_error() -> None:
    validator = record_validator(record()["schema_version"])
    checker = validator.format_checker
    assert checker is not None
    assert checker.conforms("2016-08-29", "date")
    assert not checker.conforms("2016-02-30", "date")
    assert not checker.conforms("2016-08-29T25:00:00Z", "date-time")
    assert not checker.conforms("http://exa mple.org/", "uri")


def test_no_grammar_library_is_a_dependency() -> None:
    """The declared dependencies pull in no parser generator (lark, via rfc3987-syntax)."""
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    dependencies = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "format-nongpl" not in dependencies and "format]" not in dependencies
    assert "rfc3987" not in dependencies and "lark" not in dependencies
    assert "rfc3339-validator" in dependencies and "rfc3986-validator" in dependencies


def loaded_after(modules: list[str], candidates: list[str]) -> list[str]:
    """Which of ``candidates`` a new interpreter has loaded after importing ``modules``."""
    import subprocess
    import sys

    probe = (
        f"import sys, {', '.join(modules)}\n"
        f"print(' '.join(m for m in {candidates!r} if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return completed.stdout.split()


def test_a_capture_loads_only_its_own_stage() -> None:
    """``warcite capture`` of an http URL imports the CLI and the capture stage, not the
    citation, extraction, schema or TLS code, nor what only an unusual page needs (HTML's
    named character references, temporary files for large responses): each would add to
    every capture's start."""
    heavy = ["warcite.cite", "warcite.extract", "warcite.record", "jsonschema", "lxml", "ssl"]
    heavy += ["email.utils", "tomllib", "html.entities", "tempfile", "warcite.core.models"]
    loaded = loaded_after(["warcite.cli", "warcite.capture.live"], heavy)
    assert loaded == ["warcite.core.models"]  # the capture's own data classes, nothing else


def test_validate_loads_neither_citation_nor_extraction_code() -> None:
    """``warcite validate`` reads records and WARCs: the citation stage, the extractor and
    importlib.metadata (only needed to write a record's agent) stay out of its start."""
    heavy = ["warcite.cite", "warcite.extract", "lxml", "importlib.metadata"]
    assert loaded_after(["warcite.cli", "warcite.validate", "warcite.record"], heavy) == []


def test_lazy_package_names_are_the_modules_objects() -> None:
    import importlib

    import warcite
    import warcite.capture

    for package in (warcite, warcite.capture):
        for name in package.__all__:
            value = getattr(package, name)
            if str(getattr(value, "__module__", "")).startswith("warcite."):
                defining = importlib.import_module(value.__module__)
                assert getattr(defining, name) is value, (package.__name__, name)
        assert set(package.__all__) <= set(dir(package))
        with pytest.raises(AttributeError):
            package.no_such_name  # noqa: B018

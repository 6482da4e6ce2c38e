"""WARC 1.1 rules shared by ``warcite check`` and ``warcite import``.

What ``import`` accepts, ``check`` must accept: a WARC that check refuses for its version
line, a duplicate WARC-Record-ID or a URI that is not one (a CR inside it) is refused at
import with check's own message, so that no record is ever made from a WARC that then
fails ``validate --deep``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

URI_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"]*")
"""A URI as WARC 1.1 section 5.14 wants it: a scheme, then no whitespace, quote or angle
bracket (RFC 3986 allows none of them)."""

KNOWN_VERSIONS = ("WARC/1.1", "WARC/1.0")
URI_FIELDS = (("WARC-Target-URI", "5.14"), ("WARC-Refers-To-Target-URI", "5.12"))
SPEC = "WARC 1.1"


def version_problem(version: str) -> str | None:
    """Check's message for a version line warcite does not read as WARC 1.x, or None."""
    if version in KNOWN_VERSIONS:
        return None
    return f"{SPEC} §4: unknown WARC version line {version!r}"


def uri_problem(name: str, value: str) -> str | None:
    """Check's message for a URI field whose value is not a URI, or None."""
    section = dict(URI_FIELDS).get(name, "5.14")
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if URI_PATTERN.fullmatch(value):
        return None
    return (
        f"{SPEC} §{section}: {name} {value[:200]!r} is not a URI written per RFC 3986 "
        "(a scheme, no whitespace)"
    )


def strip_id(record_id: str) -> str:
    """A WARC-Record-ID without its angle brackets (how duplicates are compared)."""
    value = record_id.strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def conformance_problems(
    records: Iterable[tuple[int, str, str, Iterable[tuple[str, str]]]],
) -> list[str]:
    """Check's messages for (offset, version line, record id, headers) of each record:
    the version line, duplicate WARC-Record-IDs and URI fields."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for offset, version, record_id, headers in records:
        where = f"offset {offset}: {record_id}: " if record_id else f"offset {offset}: "
        problem = version_problem(version)
        if problem:
            problems.append(where + problem)
        if record_id:
            key = strip_id(record_id)
            if key in seen:
                problems.append(
                    f"{where}{SPEC} §5.2: duplicate WARC-Record-ID: the record at offset "
                    f"{seen[key]} has it too (IDs are globally unique)"
                )
            else:
                seen[key] = offset
        for name, value in headers:
            if name.lower() in ("warc-target-uri", "warc-refers-to-target-uri"):
                canonical = next(n for n, _ in URI_FIELDS if n.lower() == name.lower())
                problem = uri_problem(canonical, value)
                if problem:
                    problems.append(where + problem)
    return problems


__all__ = [
    "KNOWN_VERSIONS",
    "URI_PATTERN",
    "conformance_problems",
    "strip_id",
    "uri_problem",
    "version_problem",
]

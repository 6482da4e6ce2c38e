"""WARC 1.1 conformance: the rules' constants and what a check reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from warcite.core.warc_rules import URI_PATTERN

SPEC = "WARC 1.1"
PIECE = 1 << 16
MAX_HEADER_BYTES = 1 << 20
"""Largest WARC header block or HTTP head read (1 MiB); a longer one is reported."""

RECORD_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
    }
)
TARGET_REQUIRED = frozenset(
    {"response", "resource", "request", "revisit", "conversion", "continuation"}
)
NO_PAYLOAD = frozenset({"warcinfo", "metadata"})
"""Types without a well-defined payload (§4, §5.9): no payload digest, no identified type."""

PROFILES = {
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest": "identical",
    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest": "identical",
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified": "not-modified",
    "http://netpreserve.org/warc/1.0/revisit/server-not-modified": "not-modified",
    # WARC 1.0's text gave this form for its second profile:
    "http://netpreserve.org/warc/1.0/revisit/uri-agnostic-identical-payload-digest": "identical",
}
TRUNCATION_REASONS = frozenset({"length", "time", "disconnect", "unspecified"})

# Fields restricted to some record types: (section, types allowed or None, types forbidden)
ALLOWED_FIELDS: dict[str, tuple[str, frozenset[str] | None, frozenset[str]]] = {
    "warc-concurrent-to": ("5.7", None, frozenset({"warcinfo", "conversion", "continuation"})),
    "warc-ip-address": ("5.10", None, frozenset({"warcinfo", "conversion", "continuation"})),
    "warc-refers-to": (
        "5.11",
        None,
        frozenset({"warcinfo", "response", "resource", "request", "continuation"}),
    ),
    "warc-refers-to-target-uri": ("5.12", frozenset({"revisit"}), frozenset()),
    "warc-refers-to-date": ("5.13", frozenset({"revisit"}), frozenset()),
    "warc-warcinfo-id": ("5.16", None, frozenset({"warcinfo"})),
    "warc-filename": ("5.17", frozenset({"warcinfo"}), frozenset()),
    "warc-profile": ("5.18", frozenset({"revisit"}), frozenset()),
    "warc-payload-digest": ("5.9", None, NO_PAYLOAD),
    "warc-identified-payload-type": ("5.19", None, NO_PAYLOAD),
    "warc-segment-origin-id": ("5.21", frozenset({"continuation"}), frozenset()),
    "warc-segment-total-length": ("5.22", frozenset({"continuation"}), frozenset()),
}

TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
URI_PATTERN = URI_PATTERN  # shared with import (warc_rules)
W3CDTF = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?Z)?)?)?"
)
MEDIA_TYPE_PATTERN = re.compile(
    r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+/[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
    r"(?:[ \t]*;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+=(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|\"(?:[^\"\\]|\\.)*\"))*[ \t]*"
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CheckProblem:
    """One way a WARC file breaks WARC 1.1.

    ``offset`` is the byte offset of the record in the file (of its gzip member for a
    compressed file; ``None`` for the file as a whole), ``inner`` the record's offset in the
    uncompressed data of that member when it does not start the member, ``section`` the
    spec section, e.g. ``5.9`` or ``Annex D.2``.
    """

    file: str
    offset: int | None
    record_id: str | None
    section: str
    message: str
    severity: str = "error"
    inner: int | None = None

    def where(self) -> str:
        """``offset 723`` (``offset 0 + 512 uncompressed`` inside a shared gzip member)."""
        if self.offset is None:
            return "file"
        text = f"offset {self.offset}"
        return text if not self.inner else f"{text} + {self.inner} uncompressed"

    def line(self) -> str:
        """``file: offset 723: <urn:uuid:...>: WARC 1.1 §5.9: message``."""
        prefix = "warning: " if self.severity == "warning" else ""
        record = f" {self.record_id}:" if self.record_id else ""
        return (
            f"{self.file}: {self.where()}:{record} {prefix}{SPEC} §{self.section}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data."""
        return {
            "offset": self.offset,
            "uncompressed_offset_in_member": self.inner,
            "record_id": self.record_id,
            "section": f"{SPEC} §{self.section}",
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class CheckReport:
    """Every problem found in one WARC file."""

    file: str
    compressed: bool = False
    records: int = 0
    problems: list[CheckProblem] = field(default_factory=list)
    older_version_seen: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(problem.severity == "error" for problem in self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "file": self.file,
            "ok": self.ok,
            "gzip": self.compressed,
            "records": self.records,
            "problems": [problem.as_dict() for problem in self.problems],
        }

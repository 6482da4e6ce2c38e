"""What validation finds: a problem (severity, JSON path, message) and a record's report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcite.core.models import ArchivedPage, Extraction

Extractor = Callable[[ArchivedPage], Extraction]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record.

    ``kind`` is json, version, schema, reference, fixity, seal or drift (for a record), or
    orphan or leftover (for the project); ``path`` the JSON path in the record it concerns;
    ``severity`` "error" (validation fails) or "warning".
    """

    file: str
    kind: str
    path: str
    message: str
    expected: Any = None
    found: Any = None
    severity: str = "error"

    def line(self) -> str:
        """``records/x.json: $.path: message`` (warnings marked as such)."""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}: {self.path}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data (for ``--format json`` fixity reports)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass
class RecordReport:
    """Every problem found in one record file, and the files whose fixity was checked."""

    file: str
    record_id: str | None = None
    id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    checked_files: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None
    json_sha512: str | None = None
    proofs: list[str] = field(default_factory=list)
    """What the proofs beside the seal showed (signer, timestamp), when they verified."""

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(problem.severity == "error" for problem in self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "file": self.file,
            "id": self.id,
            "record_id": self.record_id,
            "ok": self.ok,
            "problems": [problem.as_dict() for problem in self.problems],
            "files": self.checked_files,
            "proofs": self.proofs,
        }


class Collector:
    """Problems for one record file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.checked_files: list[dict[str, Any]] = []
        self.proof_policy: Any = None  # a warcite.integrity.proofs.ProofPolicy, or None
        self.proof_notes: list[str] = []

    def add(
        self,
        kind: str,
        path: str,
        message: str,
        *,
        expected: Any = None,
        found: Any = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(Problem(self.file, kind, path, message, expected, found, severity))

"""One exception tree for the whole library.

The CLI catches :class:`WarciteError` and maps each branch to its own exit
code, so a script can tell *what kind* of failure happened::

    WarciteError                 exit 1   anything else warcite refuses to do
    ├── UsageError               exit 2   bad options or arguments, unreadable config
    ├── CaptureError             exit 3   a capture or import could not be archived
    │   └── ArchiveExistsError            the target WARC already exists
    ├── ExtractionError          exit 4   no article, undecodable or unsupported content
    │   ├── WarcReadError                 a WARC that cannot be read, or lacks the record asked for
    │   └── ScriptBuiltPage      exit 9   the text is built by scripts: capture with --browser
    │   └── DocumentError                 a PDF that cannot be read: encrypted, scanned, damaged, ...
    ├── RecordError              exit 5   an invalid, missing or conflicting record
    │   └── ValidationFailed              validation found problems (carries them all)
    ├── CitationError            exit 6   a quote not found, an unknown style or pinpoint
    ├── BatchFailed              exit 7   a batch ran to its end but some items failed
    └── ProofError               exit 8   a signature or timestamp missing, refused or not verifying
        └── ProofFailed                   validation found only signature/timestamp problems

Every message says what is wrong, where, and what to do about it.  The
library never prints and never exits; it raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class WarciteError(Exception):
    """Base class of every error warcite raises on purpose."""

    exit_code = 1


class UsageError(WarciteError):
    """The caller asked for something that does not make sense."""

    exit_code = 2


class CaptureError(WarciteError):
    """A page could not be captured or a file could not be imported."""

    exit_code = 3


class ArchiveExistsError(CaptureError):
    """The WARC file that would be written exists already; warcite never overwrites."""


class ExtractionError(WarciteError):
    """The clean text or metadata could not be extracted from archived bytes."""

    exit_code = 4


class ScriptBuiltPage(ExtractionError):
    """The served HTML is an application shell whose text scripts build (no rendered DOM)."""

    exit_code = 9


class WarcReadError(ExtractionError):
    """A WARC file is unreadable, or does not hold the record that was asked for."""


class DocumentError(ExtractionError):
    """A document (a PDF) whose text cannot be extracted; ``reason`` says why: ``encrypted``,
    ``scanned``, ``no-text``, ``damaged``, ``too-large`` or ``limits`` (docs/documents.md)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class RecordError(WarciteError):
    """A record is invalid, missing, or would be overwritten silently."""

    exit_code = 5


class ValidationFailed(RecordError):
    """Validation found problems; ``problems`` holds every one of them."""

    def __init__(self, message: str, problems: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class CitationError(WarciteError):
    """A text, quote or citation could not be produced as asked."""

    exit_code = 6


class BatchFailed(WarciteError):
    """A batch (``warcite archive`` of several sources) finished, and some items failed;
    the per-item report says which and why."""

    exit_code = 7


class ProofError(WarciteError):
    """A signature or trusted timestamp that cannot be made, is missing, or does not
    verify (a TSA that refuses, a seal signed by an untrusted key, an altered token)."""

    exit_code = 8


class ProofFailed(ProofError, ValidationFailed):
    """Validation found problems, all of them with signatures or timestamps (exit 8);
    ``problems`` holds every one."""

    exit_code = 8


__all__ = [
    "ArchiveExistsError",
    "BatchFailed",
    "CaptureError",
    "CitationError",
    "DocumentError",
    "ExtractionError",
    "ProofError",
    "ProofFailed",
    "RecordError",
    "UsageError",
    "ValidationFailed",
    "WarcReadError",
    "WarciteError",
]

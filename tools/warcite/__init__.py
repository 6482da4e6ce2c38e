"""warcite: preserve web articles as WARC 1.1, extract their clean text and metadata,
keep fixity records, and cite them exactly.

The pipeline, one folder per stage, in layers (docs/architecture.md)::

    capture/     URL or local file  -> WARC file in archive/
    core/warc/   WARC file          -> ArchivedPage (bytes + headers of one record)
    extract/     ArchivedPage bytes -> Extraction (paragraphs + metadata with evidence)
    record/      Extraction + page  -> JSON record + clean text in records/
    integrity/   record             -> every problem found (schema, fixity, drift); seals
    cite/        record             -> text, quotes with pinpoints, citations
    collection/  many records       -> index, search, revisits, diff, TimeMap, batches
    export/      records            -> PREMIS, WACZ, BagIt, OCFL
    cli/         the ``warcite`` command: parse, call one library function, print
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warcite.compat import install as install_moved_modules
from warcite.core.errors import (
    ArchiveExistsError,
    CaptureError,
    CitationError,
    ExtractionError,
    RecordError,
    UsageError,
    ValidationFailed,
    WarciteError,
    WarcReadError,
)
from warcite.core.lazy import lazy_exports
from warcite.core.version import __version__

install_moved_modules()

if TYPE_CHECKING:
    from warcite.core.models import (
        Affiliation,
        ArchivedPage,
        CaptureResult,
        Evidence,
        Extraction,
        Field,
        Memento,
        Paragraph,
        Person,
        WarcRecordInfo,
    )

__getattr__, __dir__ = lazy_exports(
    globals(),
    {
        "Affiliation": "warcite.core.models",
        "ArchivedPage": "warcite.core.models",
        "CaptureResult": "warcite.core.models",
        "Evidence": "warcite.core.models",
        "Extraction": "warcite.core.models",
        "Field": "warcite.core.models",
        "Memento": "warcite.core.models",
        "Paragraph": "warcite.core.models",
        "Person": "warcite.core.models",
        "WarcRecordInfo": "warcite.core.models",
    },
)

__all__ = [
    "Affiliation",
    "ArchiveExistsError",
    "ArchivedPage",
    "CaptureError",
    "CaptureResult",
    "CitationError",
    "Evidence",
    "Extraction",
    "ExtractionError",
    "Field",
    "Memento",
    "Paragraph",
    "Person",
    "RecordError",
    "UsageError",
    "ValidationFailed",
    "WarcReadError",
    "WarcRecordInfo",
    "WarciteError",
    "__version__",
]

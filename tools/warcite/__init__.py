"""warcite: preserve web articles as WARC 1.1, extract their clean text and metadata,
keep fixity records, and cite them exactly.

The pipeline, one module per stage::

    capture   URL or local file  -> WARC file in archive/
    warc      WARC file          -> ArchivedPage (bytes + headers of one record)
    extract   ArchivedPage bytes -> Extraction (paragraphs + metadata with evidence)
    record    Extraction + page  -> JSON record + clean text in records/
    validate  record             -> every problem found (schema, fixity, drift)
    cite      record             -> text, quotes with pinpoints, citations
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from warcite.errors import (
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
from warcite.lazy import lazy_exports

if TYPE_CHECKING:
    from warcite.models import (
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
        "Affiliation": "warcite.models",
        "ArchivedPage": "warcite.models",
        "CaptureResult": "warcite.models",
        "Evidence": "warcite.models",
        "Extraction": "warcite.models",
        "Field": "warcite.models",
        "Memento": "warcite.models",
        "Paragraph": "warcite.models",
        "Person": "warcite.models",
        "WarcRecordInfo": "warcite.models",
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

"""The plain JSON summary of a capture or import."""

from __future__ import annotations

from typing import Any

from warcite.core.models import CaptureResult


def capture_summary(result: CaptureResult) -> dict[str, Any]:
    """The plain JSON summary of a CaptureResult (``warcite capture/import --format json``)."""
    memento = result.memento
    return {
        "file": str(result.path),
        "method": result.method,
        "records": [
            {
                "record_id": info.record_id,
                "type": info.record_type,
                "target_uri": info.target_uri,
                "date": info.date,
                "offset": info.offset,
                "length": info.length,
                "payload_digest": info.payload_digest,
            }
            for info in result.records
        ],
        "main_record_id": result.main_record_id,
        "url": result.target_uri,
        "final_url": result.final_uri,
        "redirects": list(result.redirects),
        "status": result.status,
        "content_type": result.content_type,
        "truncated": result.truncated,
        "memento": (
            None
            if memento is None
            else {
                "original_uri": memento.original_uri,
                "datetime": memento.datetime,
                "source": memento.source,
            }
        ),
        "user_agent": result.user_agent,
        "warnings": list(result.warnings),
    }

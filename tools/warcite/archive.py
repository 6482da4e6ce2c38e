"""The main job, all stages in one call: capture or import, extract, record, validate.

``archive(source, ...)`` takes an http(s) URL (captured live), a WARC already in the
project's ``archive/`` folder (used as it is: rebuilding the bundled reference record
reports "unchanged" when identical), or a file to import (a WARC from elsewhere, or a saved
HTML page or text transcript with ``url``), and returns the :class:`~warcite.record.RecordResult`
of a record that has just been validated.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warcite.capture import capture, import_file
from warcite.catalog import CatalogEntry
from warcite.errors import RecordError, UsageError, ValidationFailed
from warcite.lineage import lineage_for, lineage_from_entries
from warcite.project import ARCHIVE_DIR
from warcite.record import RecordResult, make_record, record_paths
from warcite.validate import validate_file


def _is_url(source: str) -> bool:
    return re.match(r"^https?://", source, re.IGNORECASE) is not None


def _in_archive(source: str, archive_dir: Path) -> bool:
    """True when ``source`` is a WARC file that already lives in the project's archive/."""
    return (
        source.lower().endswith((".warc", ".warc.gz"))
        and Path(source).resolve().parent == archive_dir.resolve()
    )


def archive(
    source: str,
    *,
    project_root: Path,
    url: str | None = None,
    slug: str | None = None,
    replace: bool = False,
    operator: str | None = None,
    note: str | None = None,
    observed_at: str | None = None,
    record_lock: Any = None,
    catalogue: Sequence[CatalogEntry] | None = None,
) -> RecordResult:
    """Capture or import ``source``, extract, write its record, and validate it.

    Raises UsageError for a source that is neither a URL nor a file, RecordError before
    anything is captured when ``slug`` names an existing record (without ``replace``), and
    ValidationFailed (with every problem) when the new record does not validate.
    ``record_lock`` (a context manager, e.g. a threading.Lock shared by a batch) is held
    while the record's id is chosen and the record written and validated.  A new capture
    of a URL the archive holds is linked to the earlier ones (the record's ``lineage``,
    from ``catalogue`` when the caller has the collection's entries, else from the index).
    """
    archive_dir = project_root / ARCHIVE_DIR
    is_url = _is_url(source)
    reused = not is_url and _in_archive(source, archive_dir)
    if slug is not None and not reused and not replace:
        taken = [path for path in record_paths(slug, project_root) if path.exists()]
        if taken:  # a new capture or import would be another capture under a taken id
            raise RecordError(
                f"a record with id {slug!r} exists already ({taken[0].name}); choose another "
                "--id or use --replace (nothing was captured)"
            )
    page_id: str | None
    work_url: str | None = None  # a new capture's work: recaptures are linked (lineage)
    if is_url:
        if url is not None:
            raise UsageError("--url is for files; a URL to capture is given as SOURCE")
        captured = capture(source, archive_dir=archive_dir, slug=slug)
        warc_path, page_id = captured.path, captured.main_record_id
        work_url = captured.memento.original_uri if captured.memento else captured.final_uri
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"{source} is neither an http(s) URL nor an existing file")
        work_url = None if reused else url  # an import names its URL; reuse is a rebuild
        if reused:
            warc_path, page_id = path, None
        else:
            imported = import_file(
                path,
                url=url,
                archive_dir=archive_dir,
                slug=slug,
                observed_at=observed_at,
                note=note,
            )
            warc_path, page_id = imported.path, imported.main_record_id
    with record_lock if record_lock is not None else contextlib.nullcontext():
        result = make_record(
            warc_path,
            record_id=page_id,
            slug=slug,
            replace=replace,
            project_root=project_root,
            operator=operator,
            lineage=None
            if work_url is None
            else lineage_from_entries(work_url, catalogue)
            if catalogue is not None
            else lineage_for(project_root, work_url),
        )
        report = validate_file(result.path, project_root)
    if not report.ok:
        raise ValidationFailed(f"{report.file} does not validate", report.problems)
    return result


__all__ = ["archive"]

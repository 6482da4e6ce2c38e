"""The main job, all stages in one call: capture or import, extract, record, validate.

``archive(source, ...)`` takes an http(s) URL (captured live), a WARC already in the
project's ``archive/`` folder (used as it is: rebuilding the bundled reference record
reports "unchanged" when identical), or a file to import (a WARC from elsewhere, or a saved
HTML page or text transcript with ``url``), and returns the :class:`~warcite.integrity.recording.RecordResult`
of a record that has just been validated.

Nothing is left half-done without saying so: when the WARC was written but its record
could not be made (no article text, an undecodable charset, a full disk, a read-only
``records/``, a record that does not validate), the error keeps its kind (and exit code)
and its message ends by naming the WARC that was kept and the one command that completes
the job once the cause is fixed (``warcite validate`` lists such WARCs too).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from warcite.capture.imports import import_file
from warcite.capture.live import capture
from warcite.collection.catalog import CatalogEntry
from warcite.collection.lineage import lineage_for, lineage_from_entries
from warcite.core import run_scope
from warcite.core.errors import RecordError, UsageError, ValidationFailed, WarciteError
from warcite.core.models import CaptureResult, RevisitTarget
from warcite.core.project import ARCHIVE_DIR, display_path
from warcite.core.slugs import check_slug
from warcite.core.warc_claim import holding
from warcite.integrity.recording import RecordResult, make_record
from warcite.integrity.validate import validate_file
from warcite.record.common import has_credentials, without_credentials
from warcite.record.files import record_paths


def _is_url(source: str) -> bool:
    return re.match(r"^https?://", source, re.IGNORECASE) is not None


def _in_archive(source: str, archive_dir: Path) -> bool:
    """True when ``source`` is a WARC file that already lives in the project's archive/."""
    if not source.lower().endswith((".warc", ".warc.gz")):
        return False
    try:
        return Path(source).resolve().parent == archive_dir.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: the import refuses it clearly
        return False


def project_seal_proofs(project_root: Path) -> Any:
    """``SealProofs.files`` of the project's ``[proofs] tsa_url`` (every new seal
    timestamped), or None; warcite.integrity.proofs (and cryptography) load only when the project's
    warcite.toml has a [proofs] table."""
    config = project_root / "warcite.toml"
    try:
        if not config.is_file() or b"[proofs]" not in config.read_bytes():
            return None
    except OSError:
        return None
    from warcite.integrity.proofs import SealProofs, load_proof_settings

    settings = load_proof_settings(project_root)
    if settings.tsa_url is None:
        return None
    return SealProofs(tsa_url=settings.tsa_url, tsa_roots=settings.tsa_roots).files


def completion_command(
    warc_path: Path,
    project_root: Path,
    *,
    page_id: str | None,
    slug: str | None,
    operator: str | None,
) -> str:
    """The ``warcite record`` command that makes the record of a WARC that was kept."""
    words = ["warcite", "record", display_path(warc_path, project_root)]
    if page_id:
        words += ["--record-id", page_id]
    if slug:
        words += ["--id", slug]
    if operator:
        words += ["--operator", operator]
    return shlex.join(words)


def _kept(error: WarciteError, warc_path: Path, command: str, project_root: Path) -> None:
    """Add to ``error``'s message what was kept and how to finish (same error, same kind)."""
    shown = display_path(warc_path, project_root)
    note = (
        f"\nkept: {shown} (the capture is complete and stays in {ARCHIVE_DIR}/); no record was "
        f"written for it. Once the cause above is fixed, complete the job with (or delete the WARC "
        f"if it is not wanted):\n  {command}"
    )
    error.args = (f"{error.args[0] if error.args else error}{note}", *error.args[1:])


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
    capture_function: Callable[..., CaptureResult] | None = None,
    dedupe: Callable[[str, str], RevisitTarget | None] | None = None,
) -> RecordResult:
    """Capture or import ``source``, extract, write its record, and validate it.

    Raises UsageError for a source that is neither a URL nor a file, RecordError before
    anything is captured when ``slug`` names an existing record (without ``replace``), and
    ValidationFailed (with every problem) when the new record does not validate.  When a
    new WARC was written but its record was not, the error (of the failing stage's kind)
    names the WARC kept and the command completing the job.  Credentials in ``url``
    (``user:secret@``) are removed before anything is written, with a warning.
    ``record_lock`` (a context manager, e.g. a threading.Lock shared by a batch) is held
    while the record's id is chosen and the record written and validated.  A new capture
    of a URL the archive holds is linked to the earlier ones (the record's ``lineage``,
    from ``catalogue`` when the caller has the collection's entries, else from the index).
    ``capture_function`` replaces :func:`capture` for a URL (a browser capture, or one
    with credentials: see :mod:`warcite.cli.browser`); it is called as
    ``capture_function(url, archive_dir=..., slug=..., dedupe=...)``.
    """
    archive_dir = project_root / ARCHIVE_DIR
    warnings: list[str] = []
    if url is not None and has_credentials(url):
        url = without_credentials(url)
        warnings.append(
            "the URL held credentials (user:password@); they were removed and are written "
            f"nowhere: {url}"
        )
    if slug is not None:
        check_slug(slug)  # before any path is made from it (a 5,000-character --id)
    is_url = _is_url(source)
    reused = not is_url and _in_archive(source, archive_dir)
    if slug is not None and not reused and not replace:
        # a new capture or import would be another capture under a taken id
        _refuse_taken(slug, project_root, "--id or use --replace (nothing was captured)")
    page_id: str | None
    work_url: str | None = None  # a new capture's work: recaptures are linked (lineage)
    if is_url:
        if url is not None:
            raise UsageError("--url is for files; a URL to capture is given as SOURCE")
        captured = (capture_function or capture)(
            source,
            archive_dir=archive_dir,
            slug=slug,
            dedupe=dedupe or revisit_targets(project_root),
        )
        warc_path, page_id = captured.path, captured.main_record_id
        work_url = captured.memento.original_uri if captured.memento else captured.final_uri
    else:
        path = Path(source)
        if not path.is_file():
            import os

            if os.path.lexists(path):
                raise UsageError(
                    f"{source} is not a regular file (a folder, FIFO, device, socket or a "
                    "broken symbolic link); not read"
                )
            raise UsageError(f"{source} is neither an http(s) URL nor an existing file")
        if path.name.lower().endswith(".wacz"):
            raise UsageError(
                f"{source} is a WACZ package, which may hold several captures: archive it on "
                "its own (`warcite archive FILE.wacz`), not in a batch"
            )
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
    result = _record(
        Path(warc_path),
        page_id,
        work_url,
        project_root=project_root,
        slug=slug,
        replace=replace,
        operator=operator,
        kept=not reused,
        record_lock=record_lock,
        catalogue=catalogue,
    )
    if warnings:
        result = dataclasses.replace(result, warnings=(*warnings, *result.warnings))
    return result


def _record(
    warc_path: Path,
    page_id: str | None,
    work_url: str | None,
    *,
    project_root: Path,
    slug: str | None,
    replace: bool,
    operator: str | None,
    kept: bool,
    record_lock: Any = None,
    catalogue: Sequence[CatalogEntry] | None = None,
) -> RecordResult:
    """The record stage of :func:`archive`: make the record of ``warc_path``, validate it;
    on failure, a new WARC (``kept``) is named with the command that completes the job."""
    try:
        with (
            holding(warc_path),  # a rerun can tell this WARC is in progress, not kept
            run_scope.run(project_root),  # leftovers recovered once, not at each write
            record_lock if record_lock is not None else contextlib.nullcontext(),
        ):
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
                seal_proofs=project_seal_proofs(project_root),
            )
            report = validate_file(result.path, project_root)
        if not report.ok:
            raise ValidationFailed(f"{report.file} does not validate", report.problems)
    except WarciteError as error:
        if kept:
            command = completion_command(
                warc_path, project_root, page_id=page_id, slug=slug, operator=operator
            )
            _kept(error, warc_path, command, project_root)
        raise
    return result


def _refuse_taken(slug: str, project_root: Path, advice: str) -> None:
    """RecordError when a record with id ``slug`` exists (``advice`` ends the message)."""
    taken = [path for path in record_paths(slug, project_root) if path.exists()]
    if taken:
        raise RecordError(
            f"a record with id {slug!r} exists already ({taken[0].name}); choose another " + advice
        )


def archive_package(
    source: str,
    *,
    project_root: Path,
    url: str | None = None,
    slug: str | None = None,
    operator: str | None = None,
    note: str | None = None,
    observed_at: str | None = None,
) -> list[RecordResult]:
    """``archive`` of a WACZ package: every WARC in it imported (verified first; all or
    nothing: :func:`warcite.capture.wacz_import.import_wacz`), then a record of each, made
    and validated as :func:`archive` makes one.  ``slug`` names the first record, then
    ``<slug>-2``... as the WARCs are named.  A record that cannot be made leaves its WARC
    kept and named with the command completing the job; the records before it stand."""
    from warcite.capture.wacz_import import import_wacz, member_slug

    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{source} is not an existing regular file")
    if slug is not None:
        _refuse_taken(check_slug(slug), project_root, "--id (nothing was imported)")
    imported = import_wacz(
        path,
        archive_dir=project_root / ARCHIVE_DIR,
        url=url,
        slug=slug,
        observed_at=observed_at,
        note=note,
    )
    results = []
    for number, one in enumerate(imported, start=1):
        results.append(
            _record(
                one.path,
                one.main_record_id,
                None,
                project_root=project_root,
                slug=member_slug(slug, number),
                replace=False,
                operator=operator,
                kept=True,
            )
        )
    return results


def revisit_targets(project_root: Path) -> Callable[[str, str], RevisitTarget | None]:
    """The capture's ``dedupe`` lookup: a response whose payload the archive already holds
    for the same URL is written as a WARC 1.1 revisit record referring to the earlier one
    (identical-payload-digest profile), not stored a second time."""
    from warcite.collection.revisit import dedupe_lookup

    try:
        lookup = dedupe_lookup(project_root)
    except WarciteError:  # no usable index: store the payload again, which is always safe
        return lambda target_uri, payload_digest: None

    def target(target_uri: str, payload_digest: str) -> RevisitTarget | None:
        earlier = lookup(target_uri, payload_digest)
        if earlier is None:
            return None
        return RevisitTarget(earlier.target_uri, earlier.date, earlier.record_id)

    return target


__all__ = ["archive", "archive_package", "completion_command", "revisit_targets"]

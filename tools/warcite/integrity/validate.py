"""Validation entry points: a record, a record file, the project (orphans, leftovers), and the
fixity checks recorded as events."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError
from warcite.core.project import (
    MAX_RECORD_BYTES,
    RECORDS_DIR,
    archive_warcs,
    display_path,
    read_regular_file,
    record_json_files,
)
from warcite.core.version import __version__
from warcite.integrity.derivation import check_derived
from warcite.integrity.problems import Collector, Extractor, Problem, RecordReport
from warcite.integrity.record_checks import (
    as_list,
    check_files,
    check_listed_files,
    check_record_text,
    check_record_warc,
    is_missing,
    schema_problems,
    value_at,
)
from warcite.integrity.revisit_targets import project_record_ids

# --------------------------------------------------------------------------- entry points


def check_record(
    record: Any,
    project_root: Path,
    *,
    display: str,
    pending: Mapping[str, bytes] | None = None,
    deep: bool = False,
    extractor: Extractor | None = None,
    collector: Collector | None = None,
    raw: bytes | None = None,
) -> list[Problem]:
    """Every problem of a parsed record (``pending`` maps relative paths to bytes not yet
    written, checked in place of the files).  ``raw`` is the record file's bytes: when
    given, the record's seal is checked against them and the files."""
    from warcite.record.common import SCHEMA_VERSION
    from warcite.record.schema import migrate, version_problem

    collector = collector or Collector(display)
    pending = pending or {}
    if not isinstance(record, dict):
        collector.add("schema", "$", f"a record is a JSON object, not {type(record).__name__}")
        return collector.problems
    version = record.get("schema_version")
    problem = version_problem(version)
    if problem is not None:
        collector.add(
            "version", "$.schema_version", problem, expected=SCHEMA_VERSION, found=version
        )
        return collector.problems
    if version != SCHEMA_VERSION:
        # An older record is read through its registered migrations, which guarantee the
        # current shape; the migrated record is what is checked (nothing is written).
        record = migrate(record)
    schema_problems(record, SCHEMA_VERSION, collector)
    stem = Path(display).stem
    if display.endswith(".json") and isinstance(record.get("id"), str) and stem != record["id"]:
        collector.add(
            "reference",
            "$.id",
            f"the record's id is {record['id']!r} but its file is named {Path(display).name}",
            expected=f"{record['id']}.json",
            found=Path(display).name,
        )
    check_listed_files(record, collector)
    check_files(record, project_root, pending, collector)
    stored_text = check_record_text(record, project_root, pending, collector)
    warc_path = check_record_warc(record, project_root, collector)
    if raw is not None:
        _check_seal(record, raw, project_root, pending, collector)
    if (
        deep
        and warc_path is not None
        and isinstance(value_at(record, "capture", "warc"), dict)
        and isinstance(value_at(record, "capture", "warc", "record_id"), str)
    ):
        check_derived(record, project_root, warc_path, stored_text, collector, extractor)
    if deep and warc_path is not None:  # a browser capture's evidence records
        from warcite.extract.rendered import EXTENSION_KEY, check_browser_evidence

        for message in check_browser_evidence(record, warc_path):
            collector.add("fixity", f"$.extensions.{EXTENSION_KEY}", message)
    if deep and warc_path is not None:  # the whole WARC against WARC 1.1 (warcite check)
        from warcite.integrity.check import warc_problems

        shown, known = display_path(warc_path, project_root), project_record_ids(project_root)
        for message, severity in warc_problems(warc_path, shown, known):
            collector.add("warc", "$.capture.warc.path", message, severity=severity)
    # A path refused as unsafe is reported once, plainly, not also as a regex mismatch.
    refused = {p.path for p in collector.problems if p.message.endswith("; not followed")}
    collector.problems[:] = [
        p
        for p in collector.problems
        if not (p.kind == "schema" and p.path in refused and "does not match" in p.message)
    ]
    return collector.problems


def seal_problem(problem: Problem) -> bool:
    """True for a problem with the record's seal (what ``warcite seal`` renews)."""
    return problem.kind == "seal"


def _check_seal(
    record: Mapping[str, Any],
    raw: bytes,
    project_root: Path,
    pending: Mapping[str, bytes],
    collector: Collector,
) -> None:
    from warcite.core.slugs import SLUG_PATTERN
    from warcite.integrity.seal import check_seal
    from warcite.record.seals import MAX_SEAL_BYTES, seal_relative_path

    slug = record.get("id")
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        collector.add("seal", "$.id", "the record's seal cannot be found: its id is not valid")
        return
    relative = seal_relative_path(slug)
    path = project_root / relative
    seal: bytes | None
    if is_missing(path):
        seal = None
    else:
        try:
            seal = read_regular_file(path, project_root, "the seal", MAX_SEAL_BYTES)
        except RecordError as error:
            collector.add("seal", "$", str(error))
            return
    digests: dict[str, str | None] = {f"{RECORDS_DIR}/{slug}.json": hashlib.sha512(raw).hexdigest()}
    for entry in as_list(record.get("files")):
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            digests[entry["path"]] = None
    for checked in collector.checked_files:
        if checked.get("path") in digests and "sha512" in checked:
            digests[checked["path"]] = checked["sha512"]
    for relative_path, data in pending.items():
        if relative_path in digests:
            digests[relative_path] = hashlib.sha512(data).hexdigest()
    own = f"{RECORDS_DIR}/{slug}.json"
    shown = {own: collector.file} if collector.file != own else {}
    for json_path, message in check_seal(record, seal, digests, shown):
        collector.add("seal", json_path, message)
    if seal is not None and (
        collector.proof_policy is not None
        or any(os.path.lexists(project_root / f"{relative}{suffix}") for suffix in (".sig", ".tsr"))
    ):
        # imported here: cryptography and rfc3161-client would add ~90 ms to every validate
        from warcite.integrity.proofs import check_proofs

        findings = check_proofs(record, relative, seal, project_root, collector.proof_policy)
        for kind, severity, message in findings.problems:
            collector.add(kind, "$", message, severity=severity)
        collector.proof_notes.extend(findings.notes)


def read_record_bytes(path: Path, project_root: Path) -> bytes:
    """A record file's bytes, read safely (see :func:`warcite.core.project.read_regular_file`)."""
    return read_regular_file(path, project_root, "record file", MAX_RECORD_BYTES)


def validate_file(
    path: Path,
    project_root: Path,
    *,
    deep: bool = False,
    extractor: Extractor | None = None,
    proofs: Any = None,
) -> RecordReport:
    """Validate one record file; never raises for a problem in the record, never writes.

    ``proofs`` (a :class:`warcite.integrity.proofs.ProofPolicy`) names the trusted signing keys and
    TSA roots; the signature and timestamp beside a seal are checked whenever present."""
    from warcite.record.common import parse_record_json

    display = display_path(path, project_root) if len(str(path)) < 4096 else str(path)[:80]
    collector = Collector(display)
    collector.proof_policy = proofs
    report = RecordReport(display, path=path)
    raw: bytes | None
    try:
        raw = read_record_bytes(path, project_root)
    except RecordError as error:
        message = str(error)
        collector.add(
            "json",
            "$",
            "the record file does not exist" if message.endswith("does not exist") else message,
        )
        raw = None
    record: Any = None
    if raw is not None:
        report.json_sha512 = hashlib.sha512(raw).hexdigest()
        try:
            record = parse_record_json(raw, display)
        except RecordError as error:
            collector.add("json", "$", str(error).removeprefix(f"{display}: "))
        else:
            try:
                check_record(
                    record,
                    project_root,
                    display=display,
                    deep=deep,
                    extractor=extractor,
                    collector=collector,
                    raw=raw,
                )
            except RecordError as error:  # e.g. a migration that cannot run
                collector.add("version", "$.schema_version", str(error))
            if isinstance(record, dict):
                report.record_id = (
                    record.get("record_id") if isinstance(record.get("record_id"), str) else None
                )
                report.id = record.get("id") if isinstance(record.get("id"), str) else None
    report.problems = collector.problems
    report.checked_files = collector.checked_files
    report.proofs = collector.proof_notes
    return report


def record_files(paths: Sequence[Path], project_root: Path) -> list[Path]:
    """The record files to validate: the given files, the ``*.json`` of given folders, or
    (no paths) every ``records/*.json`` of the project."""
    if not paths:
        folder = project_root / RECORDS_DIR
        return record_json_files(folder)
    found: list[Path] = []
    for path in paths:
        try:
            is_folder = path.is_dir() and not path.name.endswith(".json")
        except OSError:  # a name too long for the file system: validate_file says so
            is_folder = False
        if is_folder:
            found.extend(record_json_files(path))
        else:
            found.append(path)
    return found


def unrecorded_warcs(project_root: Path) -> list[str]:
    """The WARCs in archive/ (paths relative to the project, in name order) that no record
    refers to: captures whose record was never made.  Never writes."""
    from warcite.record.files import existing_record

    root = project_root.resolve()
    referenced: set[str] = set()
    for path in record_json_files(root / RECORDS_DIR):
        data = existing_record(path, root)
        if data is None:
            continue
        warc_path = value_at(data, "capture", "warc", "path")
        if isinstance(warc_path, str):
            referenced.add(warc_path)
        for entry in as_list(data.get("files")):
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                referenced.add(entry["path"])
    return [relative for relative in archive_warcs(root) if relative not in referenced]


def project_problems(project_root: Path) -> list[Problem]:
    """What is wrong with the project beyond its records: WARCs in archive/ that no record
    refers to, and files an interrupted warcite run left (journals, temporary files, id
    reservations), each with the command that fixes it.  Never writes."""
    from warcite.core.lock import lock_is_free
    from warcite.core.store import leftovers

    root = project_root.resolve()
    problems = [
        Problem(
            relative,
            "orphan",
            "$",
            "no record refers to this WARC (a capture whose record was never made); "
            f"run `warcite record {relative}` to make it, or delete the WARC if it is "
            "not wanted",
        )
        for relative in unrecorded_warcs(root)
    ]
    for leftover in leftovers(root, lock_free=lock_is_free(root)):
        shown = leftover.path.relative_to(root).as_posix()
        if leftover.stale:
            problems.append(
                Problem(
                    shown,
                    "leftover",
                    "$",
                    f"{leftover.detail} left by an interrupted warcite run; run `warcite "
                    "recover` to finish or remove it (any warcite command that writes records "
                    "does it too)",
                )
            )
        else:
            problems.append(
                Problem(
                    shown,
                    "leftover",
                    "$",
                    f"{leftover.detail} of a warcite run in progress",
                    severity="warning",
                )
            )
    return problems


def record_fixity_checks(
    reports: Sequence[RecordReport],
    project_root: Path,
    *,
    deep: bool,
    operator: str | None = None,
    clock: Callable[[], Any] | None = None,
    new_uuid: Callable[[], Any] | None = None,
) -> list[str]:
    """Append a PREMIS "fixity check" event to each validated record and renew its seal.

    For ``validate --record``.  Under the project lock, each record file must still be
    the bytes that were checked, and its JSON must match its seal: the event (outcome
    success, or failure with the problems) is appended and only the seal's line for the
    JSON is renewed; the text's and WARC's lines are kept as they were, so a failing file
    still fails.  A record whose JSON does not match its seal is not written (that would
    seal an unexplained change): the returned messages say so.  One message per record.
    """
    from warcite.core.lock import project_lock
    from warcite.core.store import recover
    from warcite.record.common import parse_record_json
    from warcite.record.files import write_sealed_record
    from warcite.record.seals import parse_manifest, seal_relative_path

    root = project_root.resolve()
    messages: list[str] = []
    with project_lock(root):
        recover(root)
        for report in reports:
            if report.path is None or report.json_sha512 is None:
                messages.append(f"{report.file}: no fixity check event recorded: unreadable")
                continue
            if report.id is None:
                messages.append(f"{report.file}: no fixity check event recorded: no valid id")
                continue
            own = f"{RECORDS_DIR}/{report.id}.json"
            proofs = [
                f"{seal_relative_path(report.id)}{suffix}"
                for suffix in (".sig", ".tsr")
                if os.path.lexists(root / f"{seal_relative_path(report.id)}{suffix}")
            ]
            if proofs:  # renewing the seal would leave its signature or timestamp invalid
                messages.append(
                    f"{report.file}: no fixity check event recorded: its seal is signed or "
                    f"timestamped ({', '.join(proofs)}), and renewing the seal would make "
                    "them invalid; the check itself ran (see above)"
                )
                continue
            try:
                raw = read_record_bytes(report.path, root)
                seal = read_regular_file(
                    root / seal_relative_path(report.id), root, "the seal", 1 << 16
                )
                entries = parse_manifest(seal)
            except RecordError as error:
                messages.append(
                    f"{report.file}: no fixity check event recorded: {error}; if the record "
                    f'is as it should be, run `warcite seal {report.id} --reason "..."`'
                )
                continue
            digest = hashlib.sha512(raw).hexdigest()
            if digest != report.json_sha512:
                messages.append(
                    f"{report.file}: no fixity check event recorded: the file changed while "
                    "it was being checked; run validate again"
                )
                continue
            if {entry.path: entry.sha512 for entry in entries}.get(own) != digest:
                messages.append(
                    f"{report.file}: no fixity check event recorded: the record's JSON does "
                    "not match its seal, and recording the event would seal that change; "
                    f'find out what changed, then run `warcite seal {report.id} --reason "..."`'
                )
                continue
            record = parse_record_json(raw, report.file)
            errors = [p for p in report.problems if p.severity == "error"]
            scope = (
                "schema, references, sha512 and sha256 of "
                f"{len(report.checked_files)} files, the WARC record and its payload "
                "digest, the text, and the seal"
                + ("; every derivable field re-derived from the WARC" if deep else "")
            )
            if errors:
                shown = "; ".join(p.line().removeprefix(f"{report.file}: ") for p in errors[:5])
                more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
                detail = f"fixity check failed ({len(errors)} problems): {shown}{more}"
                outcome = "failure"
            else:
                detail = f"fixity check passed: {scope}"
                outcome = "success"
            write_sealed_record(
                record,
                root,
                event_type="fixity check",
                detail=detail,
                outcome=outcome,
                operator=operator,
                clock=clock,
                new_uuid=new_uuid,
                seal_entries=entries,
            )
            messages.append(
                f"{report.file}: fixity check event recorded ({outcome}); seal renewed for "
                "the record's JSON"
            )
    return messages


def fixity_report(
    reports: Sequence[RecordReport], *, deep: bool, checked_at: str
) -> dict[str, Any]:
    """A machine-readable report of a validation run, fit to keep as a fixity-check record."""
    return {
        "tool": {"name": "warcite", "version": __version__},
        "checked_at": checked_at,
        "deep": deep,
        "ok": all(report.ok for report in reports),
        "records": [report.as_dict() for report in reports],
    }

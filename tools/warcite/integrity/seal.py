"""Checking a seal against the files it covers, and re-sealing a record after an edit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError, ValidationFailed
from warcite.integrity.derivation import extractor_claim_problem
from warcite.record.seals import PROOF_KINDS, parse_manifest, seal_relative_path


def check_seal(
    record: Mapping[str, Any],
    seal_bytes: bytes | None,
    digests: Mapping[str, str | None],
    shown: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(JSON path, message) for each way the files differ from the seal.

    ``digests`` maps each project-relative path to the SHA-512 of the file as it is now
    (None when it cannot be read); ``seal_bytes`` is the seal file (None when missing);
    ``shown`` names a file checked in place of a sealed path (a copy of a record).
    """
    shown = shown or {}
    slug = record.get("id")
    where = seal_relative_path(slug) if isinstance(slug, str) else "the seal"
    if seal_bytes is None:
        return [
            (
                "$",
                f"the record has no seal ({where} is missing): its fixity cannot be "
                f"checked; if the record is as it should be, run `warcite seal {slug} "
                '--reason "..."` to seal it',
            )
        ]
    try:
        entries = parse_manifest(seal_bytes)
    except RecordError as error:
        return [("$", f"{where}: {error}")]
    problems: list[tuple[str, str]] = []
    sealed = {entry.path: entry.sha512 for entry in entries}
    for path, found in digests.items():
        expected = sealed.get(path)
        if expected is None:
            problems.append(("$", f"{where} does not seal {path}"))
        elif found is None:
            continue  # unreadable or missing: reported by the fixity check
        elif found != expected:
            changed = (
                f"{shown[path]} is not the sealed {path}"
                if path in shown
                else f"{path} changed since it was sealed"
            )
            problems.append(
                (
                    "$",
                    f"{changed} (sha512 {found[:16]}..., the seal "
                    f"{where} says {expected[:16]}...); if the change is deliberate, run "
                    f'`warcite seal {slug} --reason "..."`',
                )
            )
    for path in sealed:
        if path not in digests:
            problems.append(("$", f"{where} seals {path}, which is not a file of this record"))
    return problems


def reseal(
    reference: str,
    project_root: Path,
    *,
    reason: str,
    operator: str | None = None,
    clock: Callable[[], Any] | None = None,
    new_uuid: Callable[[], Any] | None = None,
    proofs: Any = None,
) -> Path:
    """Seal a record anew after a deliberate change, recording why as a PREMIS event.

    The record must validate apart from its seal (schema, references, fixity of its text
    and WARC): a seal is never put on a broken record.  ``proofs`` (a
    :class:`warcite.integrity.proofs.SealProofs`) signs and/or timestamps the new seal; the event
    says so and names the signer.  Returns the seal's path.
    """
    from warcite.core.lock import project_lock
    from warcite.core.store import recover
    from warcite.integrity.validate import read_record_bytes, seal_problem, validate_file
    from warcite.record.files import record_file, write_sealed_record

    if not reason.strip():
        raise RecordError("say why the record is re-sealed (--reason): it is kept in its history")
    root = project_root.resolve()
    with project_lock(root):
        recover(root)
        path = record_file(reference, root)
        report = validate_file(path, root)
        errors = [
            p
            for p in report.problems
            if p.severity == "error" and not seal_problem(p) and p.kind not in PROOF_KINDS
        ]
        if errors:
            raise ValidationFailed(
                f"{report.file} does not validate apart from its seal; fix it first "
                "(a seal is never put on a broken record)",
                errors,
            )
        import json

        record = json.loads(read_record_bytes(path, root).decode("utf-8"))
        doubt = extractor_claim_problem(record, root)
        if doubt is not None:
            raise ValidationFailed(
                f"{report.file}: $.text.extractor.version: {doubt}; not sealed (set the "
                "version back, or make the record again with warcite record --replace)"
            )
        first = not (root / seal_relative_path(record["id"])).exists()
        what = "sealed for the first time" if first else "re-sealed after a deliberate change"
        write_sealed_record(
            record,
            root,
            event_type="message digest calculation",
            detail=f"{what}: {' '.join(reason.split())}; new "
            f"sha512 seal {seal_relative_path(record['id'])} of the record, its text and "
            "its WARC" + (f"; {proofs.describe()}" if proofs else ""),
            operator=operator,
            clock=clock,
            new_uuid=new_uuid,
            signer=proofs.signer_agent() if proofs else None,
            seal_proofs=proofs.files if proofs else None,
        )
    return root / seal_relative_path(record["id"])

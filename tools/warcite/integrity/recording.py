"""The record stage as a transaction: allocate an id, build the record from its WARC, check it
against every rule validate knows, then write it with its seal (or write nothing)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcite.core.errors import ExtractionError, RecordError, ValidationFailed
from warcite.core.project import (
    MAX_TEXT_BYTES,
    RECORDS_DIR,
    display_path,
    find_project_root,
    read_regular_file,
)
from warcite.core.slugs import default_slug
from warcite.record import provenance
from warcite.record.build import build_record, content_differences, metadata_field, warcinfo_fields
from warcite.record.common import (
    SCHEMA_VERSION,
    Clock,
    JsonObject,
    UuidFactory,
    file_digests,
    has_credentials,
    page_for_extraction,
    utc_now,
    with_history,
)
from warcite.record.files import (
    existing_record,
    id_candidates,
    id_taken,
    record_paths,
    write_record,
)
from warcite.record.schema import migrate, version_problem

# --------------------------------------------------------------------------- the stage


@dataclass(frozen=True)
class RecordResult:
    """What :func:`make_record` did: ``status`` is "created", "replaced" or "unchanged"."""

    path: Path
    text_path: Path
    record: JsonObject
    status: str
    warnings: tuple[str, ...] = field(default=())


def _readable(data: JsonObject | None) -> JsonObject | None:
    """An existing record of an older schema version, migrated in memory (so that a rebuild
    compares like with like and keeps a history of the current shape); else as it is."""
    if data is None or data.get("schema_version") == SCHEMA_VERSION:
        return data
    if version_problem(data.get("schema_version")) is not None:
        return data
    try:
        return migrate(data)
    except (RecordError, KeyError, TypeError, AttributeError):
        return data


def _same_capture(existing: Mapping[str, Any] | None, record: Mapping[str, Any]) -> bool:
    try:
        old = existing["capture"]["warc"]  # type: ignore[index]
        new = record["capture"]["warc"]
    except (KeyError, TypeError):
        return False
    return bool(old.get("path") == new["path"] and old.get("record_id") == new["record_id"])


def make_record(
    warc_path: Path,
    *,
    record_id: str | None = None,
    slug: str | None = None,
    replace: bool = False,
    project_root: Path | None = None,
    clock: Clock | None = None,
    new_uuid: UuidFactory | None = None,
    operator: str | None = None,
    lineage: Mapping[str, Any] | None = None,
    seal_proofs: Callable[[str, bytes], Sequence[tuple[str, bytes]]] | None = None,
) -> RecordResult:
    """Extract the page of a WARC and write its record and text, validated, atomically.
    ``seal_proofs`` adds files beside the new seal (see :func:`write_record`).

    ``record_id`` picks the WARC record (default: the capture's page); ``slug`` sets the
    record's id (default: :func:`default_slug`).  When a record of the same capture exists
    and its content is identical, nothing is written (status "unchanged"); when it differs,
    RecordError unless ``replace``.  A different capture whose default id is taken gets the
    next free ``<id>-2``, ``<id>-3``...; an explicit ``slug`` that is taken is an error unless
    ``replace`` (or this process reserved it with :func:`allocate_id`).  The record is
    validated (schema, CSL, fixity) before it is written.  Choosing the id and writing
    happen under the project lock, so concurrent runs never collide.
    ``lineage`` links a new capture to the earlier captures of its work (warcite.collection.lineage;
    written where the record schema has it, from 1.1.0).
    """
    from warcite.core.lock import project_lock
    from warcite.core.project import open_regular_file
    from warcite.core.store import recover, reservation_path, reservation_state
    from warcite.core.warc.pages import read_page
    from warcite.extract import extract_page

    warc_path = Path(warc_path)
    root = (project_root or find_project_root(warc_path.resolve().parent, required=False)).resolve()
    os.close(open_regular_file(warc_path, root, "WARC file"))  # no FIFO, device, link out
    clock = clock or utc_now
    new_uuid = new_uuid or uuid.uuid4
    from warcite.extract.rendered import EXTENSION_KEY, choose_extraction

    page = read_page(warc_path, record_id)
    extraction = extract_page(page_for_extraction(page))
    extraction, browser_capture = choose_extraction(page, extraction)
    if not extraction.paragraphs:  # a page without an article, and no text at all
        raise ExtractionError(
            f"{warc_path} record {page.record_id}: no record written, as the page has no "
            f"text to keep ({'; '.join(extraction.warnings) or 'no article text found'}); "
            "`warcite extract` shows the metadata that was found"
        )
    warc_file = file_digests(warc_path)
    warcinfo = warcinfo_fields(warc_path)
    warnings = list(extraction.warnings)
    if has_credentials(page.target_uri) or (page.url and has_credentials(page.url)):
        warnings.append(
            "the WARC's target URI holds credentials (user:password@); they are left out of "
            "the record and its citation"
        )

    def build(candidate: str, reuse: str | None = None) -> tuple[JsonObject, str]:
        built, built_text = build_record(
            page,
            extraction,
            slug=candidate,
            project_root=root,
            clock=clock,
            new_uuid=new_uuid,
            operator=operator,
            record_id=reuse,
            warc_file=warc_file,
            warcinfo=warcinfo,
            lineage=lineage,
        )
        if browser_capture is not None:  # a browser capture's evidence (warcite.extract.rendered)
            built["extensions"][EXTENSION_KEY] = browser_capture
        credentials = metadata_field(page, "credentials")
        if credentials:  # captured with --cookies or --header (warcite.capture.credentials)
            built["extensions"]["capture_credentials"] = credentials
        return built, built_text

    probed: list[JsonObject] = []

    def probe() -> JsonObject:
        """A record of this capture, built once, for its ``capture.warc`` (which capture
        it is does not depend on the id): each taken id is compared without a build."""
        if not probed:
            probed.append(build(candidates[0])[0])
        return probed[0]

    if slug is not None:
        from warcite.core.slugs import check_slug

        candidates = [check_slug(slug)]
    else:
        base = default_slug(
            page.memento.original_uri if page.memento else (extraction.url or page.url or ""),
            extraction.title.value if extraction.title else None,
        )
        candidates = id_candidates(base)

    with project_lock(root):
        recover(root)
        for candidate in candidates:
            json_path, text_path = record_paths(candidate, root)
            reservation = reservation_path(root, candidate)
            state = reservation_state(reservation) if reservation.exists() else None
            if not id_taken(candidate, root) or (
                state == "mine"
                and slug is not None
                and not os.path.lexists(json_path)
                and not os.path.lexists(text_path)
            ):
                record, text = build(candidate)
                status = "created"
                break
            if state == "live" and not os.path.lexists(json_path):
                if slug is not None:
                    raise RecordError(
                        f"the record id {candidate!r} is reserved by another warcite process "
                        "that is writing it; choose another --id"
                    )
                continue
            existing = _readable(existing_record(json_path, root))
            if slug is None and not _same_capture(existing, probe()):
                continue  # another capture's record holds this id: the next one, unbuilt
            record, text = build(candidate, reuse=(existing or {}).get("record_id"))
            if _same_capture(existing, record):
                assert existing is not None
                try:
                    stored_text: bytes | None = read_regular_file(
                        text_path, root, "text file", MAX_TEXT_BYTES
                    )
                except RecordError:
                    stored_text = None
                differences = content_differences(existing, record)
                if stored_text != text.encode("utf-8"):
                    differences.insert(0, f"the text file {text_path.name}")
                if not differences and not (replace and provenance.new_operators(existing, record)):
                    return RecordResult(json_path, text_path, existing, "unchanged")
                if not replace:
                    raise RecordError(
                        f"{display_path(json_path, root)} exists for this capture and differs "
                        "from the rebuilt record "
                        f"at {', '.join(differences[:8])}; use --replace to rewrite it"
                    )
                record = with_history(existing, record)
                status = "replaced"
                break
            if slug is not None:
                if not replace:
                    raise RecordError(
                        f"{display_path(json_path, root)} exists already for another capture; "
                        "choose another --id "
                        "or use --replace to overwrite it"
                    )
                record, text = build(candidate)
                status = "replaced"
                break
        else:  # pragma: no cover - a thousand records of one page
            raise RecordError(f"no free record id for {candidates[0]}")

        check_new_record(record, text, root)
        json_path, text_path = write_record(
            record, text, root, replace=status == "replaced", seal_proofs=seal_proofs
        )
    return RecordResult(json_path, text_path, record, status, tuple(warnings))


def check_new_record(record: Mapping[str, Any], text: str, project_root: Path) -> None:
    """Validate a record before it is written (its text given in memory); ValidationFailed."""
    from warcite.integrity.validate import check_record

    problems = check_record(
        record,
        project_root,
        display=f"{RECORDS_DIR}/{record['id']}.json",
        pending={record["text"]["path"]: text.encode("utf-8")},
    )
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise ValidationFailed(
            "the new record is not valid, nothing was written:\n"
            + "\n".join(problem.line() for problem in errors),
            errors,
        )

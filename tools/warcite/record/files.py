"""Record files in records/: ids, writing a record with its text and seal, loading one back."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError
from warcite.core.project import (
    MAX_RECORD_BYTES,
    MAX_TEXT_BYTES,
    RECORDS_DIR,
    display_path,
    find_project_root,
    read_regular_file,
    record_json_files,
    resolve_in_project,
)
from warcite.record import provenance
from warcite.record.common import (
    Clock,
    JsonObject,
    UuidFactory,
    event,
    operator_agent,
    parse_record_json,
    software_agent,
    utc_now,
)
from warcite.record.schema import migrate

# --------------------------------------------------------------------------- files


def record_paths(slug: str, project_root: Path) -> tuple[Path, Path]:
    """``records/<slug>.json`` and ``records/<slug>.txt`` under the project root."""
    folder = project_root / RECORDS_DIR
    return folder / f"{slug}.json", folder / f"{slug}.txt"


def dump_record(record: Mapping[str, Any]) -> str:
    """The record as its file holds it: UTF-8 JSON, two-space indent, key order kept."""
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def id_taken(slug: str, project_root: Path) -> bool:
    """True when a record, text, seal or another process's reservation uses ``slug``."""
    from warcite.core.store import reservation_path, reservation_state
    from warcite.record.seals import seal_relative_path

    json_path, text_path = record_paths(slug, project_root)
    seal = project_root / seal_relative_path(slug)
    if any(os.path.lexists(path) for path in (json_path, text_path, seal)):
        return True
    reservation = reservation_path(project_root, slug)
    return reservation.exists() and reservation_state(reservation) != "stale"


def allocate_id(project: Path, slug: str) -> str:
    """Reserve a free record id: ``slug``, else ``slug-2``, ``slug-3``... (atomically, under
    the project lock).

    The id stays reserved for this process (``records/.warcite-reserved-<id>``) until its
    record is written (:func:`make_record` with ``slug=`` that id, or :func:`write_record`),
    :func:`warcite.core.store.release_id` is called, or the process ends (a reservation of a
    process that is gone is released by the next writer).  Raises UsageError for a slug
    that is not a valid id, RecordError when no id is free.
    """
    from warcite.core.lock import project_lock
    from warcite.core.slugs import check_slug
    from warcite.core.store import recover, reserve_id

    base = check_slug(slug)
    root = Path(project).resolve()
    with project_lock(root):
        recover(root)
        for candidate in id_candidates(base):
            if not id_taken(candidate, root):
                reserve_id(root, candidate)
                return candidate
    raise RecordError(f"no free record id for {base!r} ({base}-2 to {base}-999 are taken)")


def id_candidates(base: str) -> list[str]:
    return [base] + [f"{base[:76].rstrip('-')}-{n}" for n in range(2, 1000)]


def _seal_bytes(record: Mapping[str, Any], json_bytes: bytes) -> bytes:
    from warcite.record.seals import manifest, record_entries

    return manifest(record_entries(record, json_bytes))


def write_record(
    record: Mapping[str, Any],
    text: str,
    project_root: Path,
    replace: bool = False,
    seal_proofs: Callable[[str, bytes], Sequence[tuple[str, bytes]]] | None = None,
) -> tuple[Path, Path]:
    """Write ``records/<id>.json``, ``.txt`` and the seal ``.sha512`` in one all-or-nothing
    commit (:func:`warcite.core.store.commit_files`), under the project lock.  ``seal_proofs``
    gives files kept beside the seal (a timestamp: warcite.integrity.proofs), in the same commit.

    Never replaces an existing record or text silently: RecordError unless ``replace``.
    Returns the JSON and text paths.
    """
    from warcite.core.lock import project_lock
    from warcite.core.store import commit_files, reservation_path, reservation_state
    from warcite.record.seals import seal_relative_path

    slug = record["id"]
    root = project_root.resolve()
    json_path, text_path = record_paths(slug, root)
    if record["text"]["path"] != f"{RECORDS_DIR}/{slug}.txt":
        raise RecordError(
            f"the record's text path {record['text']['path']!r} is not {RECORDS_DIR}/{slug}.txt"
        )
    json_bytes = dump_record(record).encode("utf-8")
    with project_lock(root):
        existing = [path for path in (json_path, text_path) if os.path.lexists(path)]
        if existing and not replace:
            raise RecordError(
                f"{display_path(existing[0], root)} exists already; warcite never "
                "replaces a record silently "
                "(use --replace to rewrite it, or --id to give this record another id)"
            )
        reservation = reservation_path(root, slug)
        if reservation.exists() and reservation_state(reservation) == "live":
            raise RecordError(
                f"the record id {slug!r} is reserved by another warcite process that is "
                "writing it; choose another --id"
            )
        seal = _seal_bytes(record, json_bytes)
        files = [
            (f"{RECORDS_DIR}/{slug}.txt", text.encode("utf-8")),
            (f"{RECORDS_DIR}/{slug}.json", json_bytes),
            (seal_relative_path(slug), seal),
        ]
        if seal_proofs is not None:
            files.extend(seal_proofs(seal_relative_path(slug), seal))
        commit_files(root, files, release=[slug])
    return json_path, text_path


def write_sealed_record(
    record: JsonObject,
    project_root: Path,
    *,
    event_type: str,
    detail: str,
    outcome: str = "success",
    operator: str | None = None,
    clock: Clock | None = None,
    new_uuid: UuidFactory | None = None,
    seal_entries: Sequence[Any] | None = None,
    signer: Mapping[str, Any] | None = None,
    seal_proofs: Callable[[str, bytes], Sequence[tuple[str, bytes]]] | None = None,
) -> JsonObject:
    """Append a PREMIS event to an existing record and write it with a new seal (one commit).

    The event's agent is this warcite (added to ``agents`` when missing), and the operator
    when named.  ``seal_entries`` (of :class:`warcite.record.seals.SealEntry`) keeps the seal's
    other lines as they were (only the JSON's line is renewed); by default the seal is made
    from the record's own digests.  ``signer`` (an agent) is the holder of the key that
    signs the seal, linked to the event as its authorizer; ``seal_proofs(seal path, seal
    bytes)`` gives the files kept beside the seal (signature, timestamp:
    warcite.integrity.proofs), written in the same commit.  Returns the record written.
    """
    from warcite.core.store import commit_files
    from warcite.record.seals import SealEntry, manifest, seal_relative_path

    clock = clock or utc_now
    new_uuid = new_uuid or uuid.uuid4
    updated = copy.deepcopy(record)
    agents = updated.setdefault("agents", [])
    agent = software_agent()
    if not any(isinstance(a, dict) and a.get("id") == agent["id"] for a in agents):
        agents.append(agent)
    person_id: str | None = None
    if operator:
        person = operator_agent(operator)
        known = [a for a in agents if isinstance(a, dict) and a.get("id") == person["id"]]
        if not known:
            agents.append(person)
        person_id = person["id"]
    new_event = event(
        event_type,
        when=clock(),
        new_uuid=new_uuid,
        detail=detail,
        agent=agent["id"],
        outcome=outcome,
    )
    if signer is not None and not any(
        isinstance(a, dict) and a.get("id") == signer["id"] for a in agents
    ):
        agents.append(dict(signer))
    if str(updated.get("schema_version", "")) != "1.0.0":
        provenance.link_event(new_event, updated, person_id)
        if signer is not None:
            new_event["linking_agents"].append(provenance.linking_agent(signer["id"], "authorizer"))
    updated.setdefault("events", []).append(new_event)
    slug = updated["id"]
    json_bytes = dump_record(updated).encode("utf-8")
    if seal_entries is None:
        seal = _seal_bytes(updated, json_bytes)
    else:
        own = f"{RECORDS_DIR}/{slug}.json"
        renewed = [
            SealEntry(own, hashlib.sha512(json_bytes).hexdigest()) if e.path == own else e
            for e in seal_entries
        ]
        seal = manifest(renewed)
    files = [(f"{RECORDS_DIR}/{slug}.json", json_bytes), (seal_relative_path(slug), seal)]
    if seal_proofs is not None:
        files.extend(seal_proofs(seal_relative_path(slug), seal))
    commit_files(project_root, files)
    return updated


# --------------------------------------------------------------------------- loading


def record_file(ref: str, project_root: Path) -> Path:
    """The JSON file a reference names: a path, a slug, or a record_id (``urn:uuid:...``).

    A reference longer than a path can be, a folder, or a record file that leads out of
    the project through a symbolic link is refused with RecordError.
    """
    records = project_root / RECORDS_DIR
    if len(ref) > 1024 or "\x00" in ref:
        raise RecordError(
            f"{ref[:60]!r}... ({len(ref)} characters) is not a record id, record_id or path: "
            "ids are at most 80 characters"
        )
    if ref.startswith("urn:uuid:"):
        for path in record_json_files(records):
            data = existing_record(path, project_root)
            if data is not None and data.get("record_id") == ref:
                return path
        raise RecordError(f"no record in {records} has record_id {ref}")
    candidate = Path(ref)
    if ref.endswith(".json") or "/" in ref or os.sep in ref:
        if candidate.is_dir():
            raise RecordError(f"record file {ref} is a folder, not a file")
        if os.path.lexists(candidate):
            return candidate
        if "/" not in ref and os.sep not in ref and os.path.lexists(records / ref):
            return records / ref
        raise RecordError(f"record file {ref} does not exist")
    path = records / f"{ref}.json"
    if not os.path.lexists(path):
        known = [p.stem for p in record_json_files(records)][:10]
        raise RecordError(
            f"no record {ref!r} in {records}"
            + (f" (records: {', '.join(known)})" if known else " (there are no records yet)")
        )
    return path


def read_record_file(path: Path, project_root: Path | None) -> Any:
    """The parsed JSON of a record file, read safely: a plain file inside the project, at
    most :data:`MAX_RECORD_BYTES`, nested no deeper than :data:`MAX_JSON_DEPTH`."""
    data = read_regular_file(path, project_root, "record file", MAX_RECORD_BYTES)
    return parse_record_json(data, str(path))


def load_record(ref: str | Path, project_root: Path | None = None) -> JsonObject:
    """A record by slug, record_id (``urn:uuid:...``) or path, migrated to the current version.

    Raises RecordError when it cannot be found, is not a plain file in the project, is not
    JSON, or is of a future version.  (It does not validate: use warcite.validate for that.)
    """
    root = project_root or find_project_root()
    path = ref if isinstance(ref, Path) else record_file(ref, root)
    data = read_record_file(Path(path), root)
    if not isinstance(data, dict):
        raise RecordError(f"{path}: a record is a JSON object, not {type(data).__name__}")
    try:
        return migrate(data)
    except RecordError as error:
        raise RecordError(f"{path}: {error}") from error


def record_text(record: Mapping[str, Any], project_root: Path | None = None) -> str:
    """The record's stored clean text (UTF-8), read from inside the project only."""
    root = project_root or find_project_root()
    text = record.get("text")
    relative = text.get("path") if isinstance(text, dict) else None
    if not isinstance(relative, str):
        raise RecordError(
            f"record {record.get('id')!r} names no text file ($.text.path); "
            "run `warcite validate` on it"
        )
    path = resolve_in_project(root, relative)
    data = read_regular_file(path, root, "the record's text file", MAX_TEXT_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(f"{relative}: not UTF-8 ({error.reason})") from error


def existing_record(path: Path, project_root: Path | None = None) -> JsonObject | None:
    try:
        data = parse_record_json(
            read_regular_file(path, project_root, "record file", MAX_RECORD_BYTES), str(path)
        )
    except RecordError:
        return None
    return data if isinstance(data, dict) else None

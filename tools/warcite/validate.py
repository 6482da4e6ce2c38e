"""Validation: a record -> every problem found (schema, references, fixity, seal, drift).

Checks, in order, collecting every problem rather than stopping at the first:

1. ``json``       the file is UTF-8 JSON (line and column of a syntax error);
2. ``version``    its ``schema_version`` is one this warcite reads (a future one is a problem);
3. ``schema``     the record against its version's JSON Schema, each error with its JSON path
                  (the citation against the vendored CSL-JSON schema);
4. ``reference``  paths stay inside the project (``../`` and absolute paths are never followed),
                  the WARC and text are listed in ``files``, events name known agents;
5. ``fixity``     each file exists with its recorded size, sha512 and sha256; the WARC record
                  with the recorded ID is at the recorded offset, with its length and payload
                  digest; the text's digests, characters, blocks and normalisation hold;
6. ``seal``       the record's JSON, text and WARC are the files sealed in
                  ``records/<id>.sha512`` (:mod:`warcite.seal`): any edit fails;
7. ``drift``      (deep) every field derivable from the WARC is re-derived with the code that
                  made the record (work and text by re-extraction, capture and files from the
                  WARC, the citation from the record's work) and compared leaf by leaf; when
                  the record was made by another extractor version, which cannot be run here,
                  differences in what the extractor produces are warnings, all others fail.

For the whole project, :func:`project_problems` adds ``orphan`` (a WARC no record refers to)
and ``leftover`` (files an interrupted run left).  Record files, texts, seals and WARCs are
read only when they are plain files inside the project, within size limits.

Validation never writes, moves or touches a file, except :func:`record_fixity_checks`
(``validate --record``), which appends a PREMIS "fixity check" event under the project lock.
Each problem is a :class:`Problem` printable on one line: ``records/x.json: $.work.published.value: '29/08/2016' is not a 'date'``.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcite import __version__
from warcite.citation_history import config_cited_under
from warcite.errors import RecordError, WarciteError
from warcite.extractor_claim import extractor_claim_doubt
from warcite.models import ArchivedPage, Extraction
from warcite.project import (
    MAX_RECORD_BYTES,
    MAX_TEXT_BYTES,
    RECORDS_DIR,
    archive_warcs,
    display_path,
    inside_project,
    open_regular_file,
    read_regular_file,
    record_json_files,
    resolve_in_project,
    unsafe_path_reason,
)
from warcite.revisit_targets import project_record_ids

Extractor = Callable[[ArchivedPage], Extraction]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record.

    ``kind`` is json, version, schema, reference, fixity, seal or drift (for a record), or
    orphan or leftover (for the project); ``path`` the JSON path in the record it concerns;
    ``severity`` "error" (validation fails) or "warning".
    """

    file: str
    kind: str
    path: str
    message: str
    expected: Any = None
    found: Any = None
    severity: str = "error"

    def line(self) -> str:
        """``records/x.json: $.path: message`` (warnings marked as such)."""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}: {self.path}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data (for ``--format json`` fixity reports)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass
class RecordReport:
    """Every problem found in one record file, and the files whose fixity was checked."""

    file: str
    record_id: str | None = None
    id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    checked_files: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None
    json_sha512: str | None = None

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(problem.severity == "error" for problem in self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "file": self.file,
            "id": self.id,
            "record_id": self.record_id,
            "ok": self.ok,
            "problems": [problem.as_dict() for problem in self.problems],
            "files": self.checked_files,
        }


class _Collector:
    """Problems for one record file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.checked_files: list[dict[str, Any]] = []

    def add(
        self,
        kind: str,
        path: str,
        message: str,
        *,
        expected: Any = None,
        found: Any = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(Problem(self.file, kind, path, message, expected, found, severity))


# --------------------------------------------------------------------------- schema


def _type_only(errors: Sequence[Any]) -> bool:
    return all(error.validator == "type" for error in errors)


def _explain(error: Any) -> list[tuple[str, str, Any]]:
    """(json path, message, failing keyword value) for an error, descending into the
    alternative of an anyOf/oneOf that the instance was evidently meant to follow."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[int, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        meant = [index for index, errors in sorted(branches.items()) if not _type_only(errors)]
        if meant:
            explained: list[tuple[str, str, Any]] = []
            for sub in branches[meant[0]]:
                explained.extend(_explain(sub))
            return explained
        types: list[str] = []
        for errors in branches.values():
            for sub in errors:
                wanted = sub.validator_value
                types.extend(wanted if isinstance(wanted, list) else [wanted])
        allowed = " or ".join(f"'{name}'" for name in dict.fromkeys(types))
        return [(error.json_path, f"{error.instance!r} is not of type {allowed}", allowed)]
    return [(error.json_path, error.message, error.validator_value)]


def schema_problems(record: Any, version: str, collector: _Collector) -> None:
    """Every schema error of ``record`` against its version, each with its JSON path."""
    from warcite.record import record_validator

    validator = record_validator(version)
    explained: list[tuple[str, str, Any, str]] = []
    for error in validator.iter_errors(record):
        for path, message, expected in _explain(error):
            kind = error.validator if not error.context else "anyOf"
            explained.append((path, message, expected, kind))
    format_paths = {path for path, message, _e, _k in explained if "is not a '" in message}
    seen: set[tuple[str, str]] = set()
    for path, message, expected, _kind in sorted(explained, key=lambda item: item[0]):
        if path in format_paths and "does not match" in message:
            continue  # the format error says the same more plainly
        if (path, message) in seen:
            continue
        seen.add((path, message))
        collector.add("schema", path, message, expected=expected)


# --------------------------------------------------------------------------- helpers


def _get(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[key] if isinstance(key, int) else data.get(key)
    return data


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _resolve(project_root: Path, relative: str) -> tuple[Path | None, str | None]:
    """The file a record path names, or why it is not followed."""
    reason = unsafe_path_reason(relative)
    if reason is not None:
        return None, reason
    if len(relative) > 4096:
        return None, "the path is longer than any file name"
    root = project_root.resolve()
    candidate = root.joinpath(*relative.split("/"))
    if not inside_project(root, candidate):
        return None, "the path leads outside the project folder through a symbolic link"
    return candidate, None


def _digests(data: bytes) -> tuple[int, str, str]:
    return len(data), hashlib.sha512(data).hexdigest(), hashlib.sha256(data).hexdigest()


def _file_digests(path: Path, project_root: Path) -> tuple[int, str, str]:
    """Size, sha512, sha256 of a plain file in the project (RecordError for anything else)."""
    descriptor = open_regular_file(path, project_root, "file")
    sha512 = hashlib.sha512()
    sha256 = hashlib.sha256()
    size = 0
    with open(descriptor, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            size += len(chunk)
            sha512.update(chunk)
            sha256.update(chunk)
    return size, sha512.hexdigest(), sha256.hexdigest()


def _missing(path: Path) -> bool:
    import os

    return not os.path.lexists(path)


# --------------------------------------------------------------------------- references, fixity


def _check_files(
    record: Mapping[str, Any],
    project_root: Path,
    pending: Mapping[str, bytes],
    collector: _Collector,
) -> None:
    files = record.get("files")
    if not isinstance(files, list):
        return
    for index, entry in enumerate(files):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        where = f"$.files[{index}]"
        relative = entry["path"]
        path, reason = _resolve(project_root, relative)
        if path is None:
            collector.add(
                "reference",
                f"{where}.path",
                f"{relative!r}: {reason}; not followed",
                found=relative,
            )
            continue
        if relative in pending:
            size, sha512, sha256 = _digests(pending[relative])
        elif _missing(path):
            collector.add(
                "fixity",
                f"{where}.path",
                f"file {relative} is missing",
                expected=relative,
                found=None,
            )
            collector.checked_files.append({"path": relative, "ok": False, "exists": False})
            continue
        else:
            try:
                size, sha512, sha256 = _file_digests(path, project_root)
            except (OSError, RecordError) as error:
                message = error.strerror if isinstance(error, OSError) else str(error)
                collector.add("fixity", f"{where}.path", f"cannot read {relative}: {message}")
                collector.checked_files.append({"path": relative, "ok": False, "exists": True})
                continue
        ok = True
        for key, found in (("size", size), ("sha512", sha512), ("sha256", sha256)):
            expected = entry.get(key)
            if expected is not None and expected != found:
                ok = False
                label = "bytes" if key == "size" else key
                collector.add(
                    "fixity",
                    f"{where}.{key}",
                    f"{relative}: {label} is {found}, the record says {expected}",
                    expected=expected,
                    found=found,
                )
        collector.checked_files.append(
            {
                "path": relative,
                "exists": True,
                "size": size,
                "sha512": sha512,
                "sha256": sha256,
                "ok": ok,
            }
        )


def _check_listed(record: Mapping[str, Any], collector: _Collector) -> None:
    files = _list(record.get("files"))
    listed = {
        (entry.get("path"), entry.get("role"))
        for entry in files
        if isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("role"), str)
    }
    warc_path = _get(record, "capture", "warc", "path")
    if isinstance(warc_path, str) and (warc_path, "warc") not in listed:
        collector.add(
            "reference",
            "$.capture.warc.path",
            f"the WARC {warc_path} is not listed in $.files with role 'warc'",
            expected=warc_path,
        )
    text_path = _get(record, "text", "path")
    if isinstance(text_path, str) and (text_path, "text") not in listed:
        collector.add(
            "reference",
            "$.text.path",
            f"the text {text_path} is not listed in $.files with role 'text'",
            expected=text_path,
        )
    agents = _list(record.get("agents"))
    agent_ids = {
        agent.get("id")
        for agent in agents
        if isinstance(agent, dict) and isinstance(agent.get("id"), str)
    }
    events = _list(record.get("events"))
    seen: set[str] = set()
    for index, item in enumerate(events):
        if not isinstance(item, dict):
            continue
        agent = item.get("agent")
        if isinstance(agent, str) and agent not in agent_ids:
            collector.add(
                "reference",
                f"$.events[{index}].agent",
                f"agent {agent} is not in $.agents",
                expected=sorted(str(a) for a in agent_ids),
                found=agent,
            )
        identifier = item.get("id")
        if isinstance(identifier, str):
            if identifier in seen:
                collector.add(
                    "reference", f"$.events[{index}].id", f"event id {identifier} is repeated"
                )
            seen.add(identifier)
    from warcite.provenance import link_problems

    for path, message, expected, found in link_problems(record):  # PREMIS links
        collector.add("reference", path, message, expected=expected, found=found)


def _check_text(
    record: Mapping[str, Any],
    project_root: Path,
    pending: Mapping[str, bytes],
    collector: _Collector,
) -> str | None:
    text = record.get("text")
    if not isinstance(text, dict) or not isinstance(text.get("path"), str):
        return None
    relative = text["path"]
    path, reason = _resolve(project_root, relative)
    if path is None:
        collector.add("reference", "$.text.path", f"{relative!r}: {reason}; not followed")
        return None
    if relative in pending:
        data = pending[relative]
    else:
        if _missing(path):
            collector.add(
                "fixity", "$.text.path", f"the text file {relative} is missing", expected=relative
            )
            return None
        try:
            data = read_regular_file(path, project_root, "the text file", MAX_TEXT_BYTES)
        except RecordError as error:
            collector.add("fixity", "$.text.path", f"cannot read {relative}: {error}")
            return None
    _size, sha512, sha256 = _digests(data)
    for key, found in (("sha512", sha512), ("sha256", sha256)):
        expected = text.get(key)
        if isinstance(expected, str) and expected != found:
            collector.add(
                "fixity",
                f"$.text.{key}",
                f"{relative}: {key} is {found}, the record says {expected} "
                "(the text changed since it was recorded)",
                expected=expected,
                found=found,
            )
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as error:
        collector.add("fixity", "$.text.path", f"{relative} is not UTF-8 (byte {error.start})")
        return None
    from warcite.record import text_blocks

    blocks = text_blocks(content)
    checks: list[tuple[str, Any, Any, str]] = [
        ("characters", text.get("characters"), len(content), "characters (code points)"),
        ("paragraphs", text.get("paragraphs"), len(blocks), "blocks"),
    ]
    kinds = text.get("paragraph_kinds")
    if isinstance(kinds, list):
        checks.append(("paragraph_kinds", len(kinds), len(blocks), "blocks (paragraph_kinds)"))
    for key, expected, found, label in checks:
        if isinstance(expected, int) and expected != found:
            collector.add(
                "fixity",
                f"$.text.{key}",
                f"{relative} has {found} {label}, the record says {expected}",
                expected=expected,
                found=found,
            )
    if unicodedata.normalize("NFC", content) != content:
        collector.add("fixity", "$.text.path", f"{relative} is not in Unicode NFC")
    if "\r" in content:
        collector.add("fixity", "$.text.path", f"{relative} has CR line ends (LF expected)")
    if not content.endswith("\n") or content.endswith("\n\n"):
        collector.add("fixity", "$.text.path", f"{relative} does not end with exactly one LF")
    if "\n\n\n" in content or any(not block.strip() for block in blocks):
        collector.add(
            "fixity", "$.text.path", f"{relative} has blocks separated by more than one blank line"
        )
    if "\u00a0" in content:
        collector.add("fixity", "$.text.path", f"{relative} holds no-break spaces (U+00A0)")
    return content


def _check_warc(
    record: Mapping[str, Any], project_root: Path, collector: _Collector
) -> Path | None:
    from warcite.warc import (
        check_record_digests,
        digest_matches,
        iter_record_infos,
        read_record_at,
        record_payload,
    )

    warc = _get(record, "capture", "warc")
    if not isinstance(warc, dict) or not isinstance(warc.get("path"), str):
        return None
    relative = warc["path"]
    path, reason = _resolve(project_root, relative)
    if path is None:
        collector.add("reference", "$.capture.warc.path", f"{relative!r}: {reason}; not followed")
        return None
    if _missing(path):
        collector.add(
            "fixity",
            "$.capture.warc.path",
            f"the WARC file {relative} is missing",
            expected=relative,
        )
        return None
    try:
        import os

        os.close(open_regular_file(path, project_root, "the WARC file"))
    except RecordError as error:
        collector.add("fixity", "$.capture.warc.path", f"cannot read {relative}: {error}")
        return None
    record_id = warc.get("record_id")
    offset = warc.get("offset")
    length = warc.get("length")
    if not isinstance(record_id, str) or not isinstance(offset, int) or offset < 0:
        return path
    size = path.stat().st_size
    if isinstance(length, int) and offset + length > size:
        collector.add(
            "fixity",
            "$.capture.warc.length",
            f"{relative} is truncated: it ends at byte {size}, inside record {record_id} "
            f"(offset {offset}, length {length})",
            expected=offset + length,
            found=size,
        )
        return path
    try:
        found = read_record_at(path, offset)
    except WarciteError as error:
        collector.add(
            "fixity",
            "$.capture.warc.offset",
            f"no readable WARC record at offset {offset} of {relative} "
            f"(the file is truncated or damaged): {_strip_path(str(error), path)}",
            expected=record_id,
        )
        return path
    if found.info.record_id != record_id:
        where = _locate(path, record_id, iter_record_infos)
        collector.add(
            "fixity",
            "$.capture.warc.record_id",
            f"the record at offset {offset} of {relative} is {found.info.record_id or '(no ID)'}, "
            f"not {record_id}; {where}",
            expected=record_id,
            found=found.info.record_id,
        )
        return path
    declared = found.header("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) != len(found.block):
        collector.add(
            "fixity",
            "$.capture.warc",
            f"record {record_id} in {relative} is truncated: its block holds "
            f"{len(found.block)} of {declared} bytes",
            expected=int(declared),
            found=len(found.block),
        )
    if isinstance(length, int) and found.info.length and found.info.length != length:
        collector.add(
            "fixity",
            "$.capture.warc.length",
            f"record {record_id} occupies {found.info.length} bytes of {relative}, "
            f"the record says {length}",
            expected=length,
            found=found.info.length,
        )
    recorded_headers = (
        ("$.capture.warc.date", warc.get("date"), "WARC-Date"),
        ("$.capture.target_uri", _get(record, "capture", "target_uri"), "WARC-Target-URI"),
    )
    from warcite.record import as_uri
    from warcite.warc import exact_target_uri

    for json_path, expected_value, header in recorded_headers:
        written_value = found.header(header)
        if header == "WARC-Target-URI" and written_value is not None:
            # as records state it: its exact bytes, a URI, no credentials
            written_value = as_uri(exact_target_uri(path, found.info) or written_value)
        if isinstance(expected_value, str) and written_value != expected_value:
            collector.add(
                "fixity",
                json_path,
                f"record {record_id} in {relative} has {header} {written_value}, "
                f"the record says {expected_value}",
                expected=expected_value,
                found=written_value,
            )
    record_type = warc.get("record_type")
    if isinstance(record_type, str) and record_type != found.info.record_type:
        collector.add(
            "fixity",
            "$.capture.warc.record_type",
            f"record {record_id} is a {found.info.record_type} record, the record says "
            f"{record_type}",
            expected=record_type,
            found=found.info.record_type,
        )
    for problem in check_record_digests(found):
        collector.add("fixity", "$.capture.warc", f"{relative}: {problem}")
    recorded = warc.get("payload_digest")
    written = found.header("WARC-Payload-Digest")
    if isinstance(recorded, str):
        if written is not None and written != recorded:
            collector.add(
                "fixity",
                "$.capture.warc.payload_digest",
                f"record {record_id} in {relative} has WARC-Payload-Digest {written}, "
                f"the record says {recorded}",
                expected=recorded,
                found=written,
            )
        try:
            payload = record_payload(path, found)  # a revisit's: the earlier response's
            matches = payload is not None and digest_matches(recorded, payload)
        except (ValueError, WarciteError) as error:
            collector.add("fixity", "$.capture.warc.payload_digest", f"record {record_id}: {error}")
        else:
            if not matches:
                from warcite.warc import labelled_digest

                collector.add(
                    "fixity",
                    "$.capture.warc.payload_digest",
                    f"the payload of record {record_id} in {relative} no longer has the "
                    f"recorded digest {recorded}",
                    expected=recorded,
                    found=labelled_digest(payload) if payload is not None else None,
                )
    return path


def _strip_path(message: str, path: Path) -> str:
    return message.replace(f"{path}: ", "")


def _locate(path: Path, record_id: str, iter_record_infos: Callable[[Path], Iterable[Any]]) -> str:
    try:
        for info in iter_record_infos(path):
            if info.record_id == record_id:
                return f"that record is at offset {info.offset}"
    except WarciteError as error:
        return f"the WARC cannot be read to the end ({_strip_path(str(error), path)})"
    return "that record ID is not in the file"


# --------------------------------------------------------------------------- derivation (deep)

DERIVED_KEYS = ("id", "work", "capture", "text", "files")
"""Record parts re-derived from the WARC by --deep (``citation`` is rebuilt from ``work``).
Not derivable, and covered by the seal only: schema_version, record_id, created, events,
agents, extensions."""

_TEXT_DIGEST_PATHS = ("$.text.sha512", "$.text.sha256", "$.text.characters", "$.text.paragraphs")


def leaf_differences(stored: Any, derived: Any, path: str = "$") -> list[str]:
    """Every JSON path where two values differ, down to the leaves (a list of another
    length, or a value of another type, is one difference at its own path)."""
    if stored == derived and type(stored) is type(derived):
        return []
    if isinstance(stored, dict) and isinstance(derived, dict):
        found: list[str] = []
        for key in dict.fromkeys([*stored, *derived]):
            if key not in stored or key not in derived:
                found.append(f"{path}.{key}")
            else:
                found.extend(leaf_differences(stored[key], derived[key], f"{path}.{key}"))
        return found
    if isinstance(stored, list) and isinstance(derived, list) and len(stored) == len(derived):
        found = []
        for index, (a, b) in enumerate(zip(stored, derived, strict=True)):
            found.extend(leaf_differences(a, b, f"{path}[{index}]"))
        return found
    return [path]


def _at(data: Any, path: str) -> Any:
    """The value at a JSON path made by :func:`leaf_differences` (None when absent)."""
    import re

    for name, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[1:]):
        data = _get(data, name) if name else _get(data, int(index))
    return data


def _extractor_dependent(path: str, record: Mapping[str, Any], url_differs: bool) -> bool:
    """True when a difference at ``path`` can come from another extractor version."""
    if path.startswith("$.work") or path.startswith("$.text.paragraph_kinds"):
        return True
    if path in _TEXT_DIGEST_PATHS or path == "$.text.extractor.version":
        return True
    if path.startswith("$.files["):
        index = int(path[len("$.files[") : path.index("]")])
        return _get(record, "files", index, "role") == "text" and path.endswith(
            ("].size", "].sha512", "].sha256")
        )
    return url_differs and path in ("$.capture.source_description", "$.capture.final_uri")


def _warc_software(warc_path: Path) -> str | None:
    """The ``software`` of the WARC's warcinfo record (who wrote it), or None."""
    from warcite.record import warcinfo_fields

    try:
        return dict(warcinfo_fields(warc_path)).get("software")
    except WarciteError:
        return None


def extractor_claim_problem(record: Mapping[str, Any], project_root: Path) -> str | None:
    """Why the record's ``text.extractor.version`` (when not this warcite's) is not
    credible (see :mod:`warcite.extractor_claim`), or None; used by ``warcite seal``,
    which never seals a record whose claim would weaken its own validation."""
    claimed = _get(record, "text", "extractor", "version")
    if not isinstance(claimed, str) or claimed == __version__:
        return None
    warc_relative = _get(record, "capture", "warc", "path")
    software = None
    if isinstance(warc_relative, str):
        try:
            software = _warc_software(resolve_in_project(project_root, warc_relative))
        except WarciteError:
            software = None
    return extractor_claim_doubt(claimed, software, __version__)


def _check_derived(
    record: Mapping[str, Any],
    project_root: Path,
    warc_path: Path,
    stored_text: str | None,
    collector: _Collector,
    extractor: Extractor | None,
) -> None:
    """Re-derive every derivable field from the WARC (and the citation from the record's
    work) and report each difference at its JSON path."""
    from datetime import datetime, timezone

    from warcite.record import build_record, citation_item, warcinfo_fields

    warc = record["capture"]["warc"]
    recorded_version = _get(record, "text", "extractor", "version")
    other_version = isinstance(recorded_version, str) and recorded_version != __version__
    if other_version:  # the claim excuses differences only when evidence allows it
        doubt = extractor_claim_doubt(str(recorded_version), _warc_software(warc_path), __version__)
        if doubt is not None:
            collector.add("drift", "$.text.extractor.version", doubt, found=recorded_version)
            other_version = False
    if other_version:
        collector.add(
            "drift",
            "$.text.extractor.version",
            f"the record was extracted by warcite {recorded_version} and this is warcite "
            f"{__version__}: re-extraction with warcite {recorded_version} is not possible "
            "here, so differences in the extracted text and work metadata below are warnings "
            "(they may come from the version change); every other difference fails, and the "
            "seal shows whether the record changed since it was made",
            expected=recorded_version,
            found=__version__,
            severity="warning",
        )
    created = _get(record, "created")
    try:
        when = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError
    except ValueError:
        when = datetime.now(timezone.utc)
    known_digests = {
        entry["path"]: (entry["size"], entry["sha512"], entry["sha256"])
        for entry in collector.checked_files
        if entry.get("exists") and "sha512" in entry
    }
    slug = record.get("id")
    try:
        from warcite.warc import read_page

        page = read_page(warc_path, warc["record_id"])
        if extractor is None:
            from warcite.extract import extract_page

            extractor = extract_page
        from warcite.record import page_for_extraction

        extraction = extractor(page_for_extraction(page))
        derived, text = build_record(
            page,
            extraction,
            slug=slug if isinstance(slug, str) else "x",
            project_root=project_root,
            clock=lambda: when,
            new_uuid=lambda: "00000000-0000-4000-8000-000000000000",
            record_id=record.get("record_id") if isinstance(record.get("record_id"), str) else None,
            warc_file=known_digests.get(warc["path"]),
            warcinfo=warcinfo_fields(warc_path),
        )
    except WarciteError as error:
        collector.add("drift", "$.capture.warc", f"re-extraction failed: {error}")
        return
    severity_for = "warning" if other_version else "error"
    differences: list[str] = []
    for key in DERIVED_KEYS:
        differences.extend(leaf_differences(record.get(key), derived.get(key), f"$.{key}"))
    text_differs = stored_text is not None and text != stored_text
    if text_differs:
        collector.add(
            "drift",
            "$.text",
            f"re-extraction gives a different text: {_first_difference(stored_text or '', text)}",
            expected=stored_text,
            found=text,
            severity=severity_for,
        )
    url_differs = _get(record, "work", "url") != _get(derived, "work", "url")
    for path in differences:
        if path == "$.text.extractor.version" and other_version:
            continue  # said above
        if (text_differs or stored_text is None) and (
            path in _TEXT_DIGEST_PATHS
            or (path.startswith("$.files[") and _extractor_dependent(path, record, False))
        ):
            continue  # the text's own digests and counts: the text difference says it
        stored, fresh = _at(record, path), _at(derived, path)
        explained = other_version and _extractor_dependent(path, record, url_differs)
        collector.add(
            "drift",
            path,
            f"the record holds {_short(stored)}, re-derived from the WARC: {_short(fresh)}",
            expected=fresh,
            found=stored,
            severity="warning" if explained else "error",
        )
    # A recapture's work key names the work's URL: it must be the key of a URL the WARC
    # and the record give (the earlier captures it lists are protected by the seal).
    stored_key = _get(record, "lineage", "work_key")
    if isinstance(record.get("lineage"), dict):
        from warcite.catalog import work_key

        urls = [
            _get(derived, "work", "url"),
            _get(derived, "capture", "target_uri"),
            _get(derived, "capture", "final_uri"),
            _get(derived, "capture", "memento", "original_uri"),
            _get(record, "work", "url"),
        ]
        keys = {work_key(u) for u in urls if isinstance(u, str) and u}
        keys |= {
            work_key(u.split(":", 2)[2])
            for u in urls
            if isinstance(u, str) and u.startswith(("urn:transcript:", "urn:import:"))
        }
        if stored_key not in keys:
            collector.add(
                "drift",
                "$.lineage.work_key",
                f"the record holds {_short(stored_key)}, which is the key of no URL the WARC "
                f"gives ({', '.join(sorted(keys)) or 'none'})",
                expected=sorted(keys),
                found=stored_key,
            )
    # The citation is rebuilt from the record's own work and capture, with the code that
    # made it: it must agree with them whatever the extractor version.
    if isinstance(record.get("citation"), dict):
        try:
            cited_under = config_cited_under(record, project_root)  # history, not today's
            rebuilt = citation_item(record, project_root, config=cited_under)
        except WarciteError as error:
            collector.add("drift", "$.citation", f"the citation cannot be rebuilt: {error}")
        else:
            for path in leaf_differences(record.get("citation"), rebuilt, "$.citation"):
                collector.add(
                    "drift",
                    path,
                    f"the citation holds {_short(_at(record, path))}, the record's work and "
                    f"capture give {_short(_at(rebuilt, path))}",
                    expected=_at(rebuilt, path),
                    found=_at(record, path),
                )


def _short(value: Any, limit: int = 120) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _first_difference(old: str, new: str) -> str:
    old_blocks, new_blocks = old.rstrip("\n").split("\n\n"), new.rstrip("\n").split("\n\n")
    for index, (a, b) in enumerate(zip(old_blocks, new_blocks, strict=False), start=1):
        if a != b:
            return f"paragraph {index} differs ({a[:40]!r} -> {b[:40]!r})"
    return f"{len(old_blocks)} paragraphs stored, {len(new_blocks)} re-extracted"


# --------------------------------------------------------------------------- entry points


def check_record(
    record: Any,
    project_root: Path,
    *,
    display: str,
    pending: Mapping[str, bytes] | None = None,
    deep: bool = False,
    extractor: Extractor | None = None,
    collector: _Collector | None = None,
    raw: bytes | None = None,
) -> list[Problem]:
    """Every problem of a parsed record (``pending`` maps relative paths to bytes not yet
    written, checked in place of the files).  ``raw`` is the record file's bytes: when
    given, the record's seal is checked against them and the files."""
    from warcite.record import SCHEMA_VERSION, migrate, version_problem

    collector = collector or _Collector(display)
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
    _check_listed(record, collector)
    _check_files(record, project_root, pending, collector)
    stored_text = _check_text(record, project_root, pending, collector)
    warc_path = _check_warc(record, project_root, collector)
    if raw is not None:
        _check_seal(record, raw, project_root, pending, collector)
    if (
        deep
        and warc_path is not None
        and isinstance(_get(record, "capture", "warc"), dict)
        and isinstance(_get(record, "capture", "warc", "record_id"), str)
    ):
        _check_derived(record, project_root, warc_path, stored_text, collector, extractor)
    if deep and warc_path is not None:  # the whole WARC against WARC 1.1 (warcite check)
        from warcite.check import warc_problems

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
    collector: _Collector,
) -> None:
    from warcite.seal import MAX_SEAL_BYTES, check_seal, seal_relative_path
    from warcite.slugs import SLUG_PATTERN

    slug = record.get("id")
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        collector.add("seal", "$.id", "the record's seal cannot be found: its id is not valid")
        return
    relative = seal_relative_path(slug)
    path = project_root / relative
    seal: bytes | None
    if _missing(path):
        seal = None
    else:
        try:
            seal = read_regular_file(path, project_root, "the seal", MAX_SEAL_BYTES)
        except RecordError as error:
            collector.add("seal", "$", str(error))
            return
    digests: dict[str, str | None] = {f"{RECORDS_DIR}/{slug}.json": hashlib.sha512(raw).hexdigest()}
    for entry in _list(record.get("files")):
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


def read_record_bytes(path: Path, project_root: Path) -> bytes:
    """A record file's bytes, read safely (see :func:`warcite.project.read_regular_file`)."""
    return read_regular_file(path, project_root, "record file", MAX_RECORD_BYTES)


def validate_file(
    path: Path,
    project_root: Path,
    *,
    deep: bool = False,
    extractor: Extractor | None = None,
) -> RecordReport:
    """Validate one record file; never raises for a problem in the record, never writes."""
    from warcite.record import parse_record_json

    display = display_path(path, project_root) if len(str(path)) < 4096 else str(path)[:80]
    collector = _Collector(display)
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
    from warcite.record import _existing_record

    root = project_root.resolve()
    referenced: set[str] = set()
    for path in record_json_files(root / RECORDS_DIR):
        data = _existing_record(path, root)
        if data is None:
            continue
        warc_path = _get(data, "capture", "warc", "path")
        if isinstance(warc_path, str):
            referenced.add(warc_path)
        for entry in _list(data.get("files")):
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                referenced.add(entry["path"])
    return [relative for relative in archive_warcs(root) if relative not in referenced]


def project_problems(project_root: Path) -> list[Problem]:
    """What is wrong with the project beyond its records: WARCs in archive/ that no record
    refers to, and files an interrupted warcite run left (journals, temporary files, id
    reservations), each with the command that fixes it.  Never writes."""
    from warcite.lock import lock_is_free
    from warcite.store import leftovers

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
    from warcite.lock import project_lock
    from warcite.record import parse_record_json, write_sealed_record
    from warcite.seal import parse_manifest, seal_relative_path
    from warcite.store import recover

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


__all__ = [
    "DERIVED_KEYS",
    "Problem",
    "RecordReport",
    "check_record",
    "extractor_claim_problem",
    "fixity_report",
    "leaf_differences",
    "project_problems",
    "read_record_bytes",
    "record_files",
    "record_fixity_checks",
    "schema_problems",
    "seal_problem",
    "validate_file",
]

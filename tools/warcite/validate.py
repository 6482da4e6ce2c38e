"""Validation: a record -> every problem found (schema, references, fixity, drift).

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
6. ``drift``      (deep) re-extracting from the WARC with this warcite gives the stored text
                  and metadata; when the record was made by another extractor version the
                  differences are warnings, not failures.

Validation never writes, moves or touches a file.  Each problem is a :class:`Problem`
printable on one line: ``records/x.json: $.work.published.value: '29/08/2016' is not a 'date'``.
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
from warcite.errors import RecordError, WarciteError
from warcite.models import ArchivedPage, Extraction, Field
from warcite.project import RECORDS_DIR, display_path, unsafe_path_reason

Extractor = Callable[[ArchivedPage], Extraction]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record.

    ``kind`` is json, version, schema, reference, fixity or drift; ``path`` the JSON path
    in the record it concerns; ``severity`` "error" (validation fails) or "warning".
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
    root = project_root.resolve()
    candidate = root.joinpath(*relative.split("/"))
    resolved = candidate.resolve()
    if resolved != root and root not in resolved.parents:
        return None, "the path leads outside the project folder through a symbolic link"
    return candidate, None


def _digests(data: bytes) -> tuple[int, str, str]:
    return len(data), hashlib.sha512(data).hexdigest(), hashlib.sha256(data).hexdigest()


def _file_digests(path: Path) -> tuple[int, str, str]:
    from warcite.record import file_digests

    return file_digests(path)


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
        elif not path.is_file():
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
                size, sha512, sha256 = _file_digests(path)
            except OSError as error:
                collector.add("fixity", f"{where}.path", f"cannot read {relative}: {error}")
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
    listed = {(entry.get("path"), entry.get("role")) for entry in files if isinstance(entry, dict)}
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
    agent_ids = {agent.get("id") for agent in agents if isinstance(agent, dict)}
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
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            collector.add(
                "fixity", "$.text.path", f"the text file {relative} is missing", expected=relative
            )
            return None
        except OSError as error:
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
    if not path.is_file():
        collector.add(
            "fixity",
            "$.capture.warc.path",
            f"the WARC file {relative} is missing",
            expected=relative,
        )
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
    for json_path, expected_value, header in recorded_headers:
        written_value = found.header(header)
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


# --------------------------------------------------------------------------- drift


def _check_drift(
    record: Mapping[str, Any],
    warc_path: Path,
    stored_text: str | None,
    collector: _Collector,
    extractor: Extractor | None,
) -> None:
    from warcite.record import clean_text

    warc = record["capture"]["warc"]
    recorded_version = _get(record, "text", "extractor", "version")
    older = isinstance(recorded_version, str) and recorded_version != __version__
    severity = "warning" if older else "error"
    if older:
        collector.add(
            "drift",
            "$.text.extractor.version",
            f"the text was extracted by warcite {recorded_version}; this is {__version__}, "
            "so differences below are warnings",
            expected=recorded_version,
            found=__version__,
            severity="warning",
        )
    try:
        from warcite.warc import read_page

        page = read_page(warc_path, warc["record_id"])
        if extractor is None:
            from warcite.extract import extract_page

            extractor = extract_page
        extraction = extractor(page)
        text, kinds = clean_text(extraction)
    except WarciteError as error:
        collector.add("drift", "$.capture.warc", f"re-extraction failed: {error}")
        return
    if stored_text is not None and text != stored_text:
        collector.add(
            "drift",
            "$.text",
            f"re-extraction gives a different text: {_first_difference(stored_text, text)}",
            expected=stored_text,
            found=text,
            severity=severity,
        )
    if _get(record, "text", "paragraph_kinds") not in (None, kinds):
        collector.add(
            "drift",
            "$.text.paragraph_kinds",
            "re-extraction classifies the blocks differently",
            expected=_get(record, "text", "paragraph_kinds"),
            found=kinds,
            severity=severity,
        )
    fields: dict[str, tuple[Any, Any]] = {}
    for name in ("title", "published", "publisher", "language", "genre"):
        value: Field | None = getattr(extraction, name)
        fields[f"$.work.{name}.value"] = (
            _get(record, "work", name, "value"),
            value.value if value else None,
        )
    fields["$.work.authors"] = (
        [
            [a.get("name"), a.get("family"), a.get("given")]
            for a in (_get(record, "work", "authors") or [])
            if isinstance(a, dict)
        ],
        [[p.name, p.family, p.given] for p in extraction.authors],
    )
    for path, (stored, fresh) in fields.items():
        if stored != fresh:
            collector.add(
                "drift",
                path,
                f"re-extraction gives {fresh!r}, the record holds {stored!r}",
                expected=stored,
                found=fresh,
                severity=severity,
            )


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
) -> list[Problem]:
    """Every problem of a parsed record (``pending`` maps relative paths to bytes not yet
    written, checked in place of the files)."""
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
    if deep and warc_path is not None and isinstance(_get(record, "capture", "warc"), dict):
        _check_drift(record, warc_path, stored_text, collector, extractor)
    # A path refused as unsafe is reported once, plainly, not also as a regex mismatch.
    refused = {p.path for p in collector.problems if p.message.endswith("; not followed")}
    collector.problems[:] = [
        p
        for p in collector.problems
        if not (p.kind == "schema" and p.path in refused and "does not match" in p.message)
    ]
    return collector.problems


def validate_file(
    path: Path,
    project_root: Path,
    *,
    deep: bool = False,
    extractor: Extractor | None = None,
) -> RecordReport:
    """Validate one record file; never raises for a problem in the record, never writes."""
    display = display_path(path, project_root)
    collector = _Collector(display)
    report = RecordReport(display)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        collector.add("json", "$", "the record file does not exist")
        raw = None
    except OSError as error:
        collector.add("json", "$", f"cannot read the record file: {error}")
        raw = None
    record: Any = None
    if raw is not None:
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            collector.add("json", "$", f"not UTF-8 text (byte {error.start})")
        except json.JSONDecodeError as error:
            collector.add(
                "json",
                "$",
                f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
            )
        else:
            try:
                check_record(
                    record,
                    project_root,
                    display=display,
                    deep=deep,
                    extractor=extractor,
                    collector=collector,
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
        return sorted(folder.glob("*.json")) if folder.is_dir() else []
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.json")))
        else:
            found.append(path)
    return found


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
    "Problem",
    "RecordReport",
    "check_record",
    "fixity_report",
    "record_files",
    "schema_problems",
    "validate_file",
]

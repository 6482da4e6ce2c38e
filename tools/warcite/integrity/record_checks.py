"""The checks of one record: its schema, the files it lists and their fixity, its text, its WARC."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError, WarciteError
from warcite.core.project import (
    MAX_TEXT_BYTES,
    inside_project,
    open_regular_file,
    read_regular_file,
    unsafe_path_reason,
)
from warcite.integrity.problems import Collector

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


def schema_problems(record: Any, version: str, collector: Collector) -> None:
    """Every schema error of ``record`` against its version, each with its JSON path."""
    from warcite.record.schema import record_validator

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


def value_at(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[key] if isinstance(key, int) else data.get(key)
    return data


def as_list(value: Any) -> list[Any]:
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


def is_missing(path: Path) -> bool:
    import os

    return not os.path.lexists(path)


# --------------------------------------------------------------------------- references, fixity


def check_files(
    record: Mapping[str, Any],
    project_root: Path,
    pending: Mapping[str, bytes],
    collector: Collector,
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
        elif is_missing(path):
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


def check_listed_files(record: Mapping[str, Any], collector: Collector) -> None:
    files = as_list(record.get("files"))
    listed = {
        (entry.get("path"), entry.get("role"))
        for entry in files
        if isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("role"), str)
    }
    warc_path = value_at(record, "capture", "warc", "path")
    if isinstance(warc_path, str) and (warc_path, "warc") not in listed:
        collector.add(
            "reference",
            "$.capture.warc.path",
            f"the WARC {warc_path} is not listed in $.files with role 'warc'",
            expected=warc_path,
        )
    text_path = value_at(record, "text", "path")
    if isinstance(text_path, str) and (text_path, "text") not in listed:
        collector.add(
            "reference",
            "$.text.path",
            f"the text {text_path} is not listed in $.files with role 'text'",
            expected=text_path,
        )
    agents = as_list(record.get("agents"))
    agent_ids = {
        agent.get("id")
        for agent in agents
        if isinstance(agent, dict) and isinstance(agent.get("id"), str)
    }
    events = as_list(record.get("events"))
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
    from warcite.record.provenance import link_problems

    for path, message, expected, found in link_problems(record):  # PREMIS links
        collector.add("reference", path, message, expected=expected, found=found)


def check_record_text(
    record: Mapping[str, Any],
    project_root: Path,
    pending: Mapping[str, bytes],
    collector: Collector,
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
        if is_missing(path):
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
    from warcite.record.text import text_blocks

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


def check_record_warc(
    record: Mapping[str, Any], project_root: Path, collector: Collector
) -> Path | None:
    from warcite.core.warc.digests import digest_matches
    from warcite.core.warc.records import (
        check_record_digests,
        iter_record_infos,
        read_record_at,
        record_payload,
    )

    warc = value_at(record, "capture", "warc")
    if not isinstance(warc, dict) or not isinstance(warc.get("path"), str):
        return None
    relative = warc["path"]
    path, reason = _resolve(project_root, relative)
    if path is None:
        collector.add("reference", "$.capture.warc.path", f"{relative!r}: {reason}; not followed")
        return None
    if is_missing(path):
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
        ("$.capture.target_uri", value_at(record, "capture", "target_uri"), "WARC-Target-URI"),
    )
    from warcite.core.warc.records import exact_target_uri
    from warcite.record.common import as_uri

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
                from warcite.core.warc.digests import labelled_digest

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

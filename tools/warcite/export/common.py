"""What every package format needs: the records to export, checked, and their files.

:func:`load_records` reads each record JSON file, finds its project, validates it (schema,
references, fixity: an export never packages a record whose files no longer match it) and
lists its files (the record itself, its clean text, its WARC) with their sha512, each as a
project-relative path: packages keep the project's layout, so a record's paths stay true
inside them.  :func:`copy_verified` copies a file while hashing it and refuses a file that
changed since it was checked.
"""

from __future__ import annotations

import errno
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from warcite.core.errors import RecordError, ValidationFailed

PIECE = 1 << 20


@dataclass(frozen=True)
class PackageFile:
    """One file of a record: where it is, its path relative to the project, its digests."""

    source: Path
    relative: str
    role: str
    size: int
    sha512: str
    sha256: str
    media_type: str


@dataclass(frozen=True)
class ExportRecord:
    """A record to export, validated, with its project and its files."""

    path: Path
    project_root: Path
    data: dict[str, Any]
    files: tuple[PackageFile, ...]

    @property
    def slug(self) -> str:
        return str(self.data["id"])

    @property
    def record_id(self) -> str:
        return str(self.data["record_id"])

    def file(self, role: str) -> PackageFile | None:
        """The first file with that role (record, text, warc), or None."""
        return next((item for item in self.files if item.role == role), None)


def digests_of(stream: BinaryIO) -> tuple[int, str, str]:
    """(size, sha512 hex, sha256 hex) of a stream, read in pieces."""
    sha512, sha256 = hashlib.sha512(), hashlib.sha256()
    size = 0
    while piece := stream.read(PIECE):
        size += len(piece)
        sha512.update(piece)
        sha256.update(piece)
    return size, sha512.hexdigest(), sha256.hexdigest()


def file_digests(path: Path) -> tuple[int, str, str]:
    """(size, sha512 hex, sha256 hex) of a file."""
    with path.open("rb") as stream:
        return digests_of(stream)


def load_records(paths: Sequence[Path]) -> list[ExportRecord]:
    """The records in ``paths``, each validated; ValidationFailed listing every problem of
    every record that is not valid (nothing is exported then)."""
    from warcite.core.project import find_project_root, relative_to_project, resolve_in_project
    from warcite.integrity.validate import validate_file

    records: list[ExportRecord] = []
    problems: list[Any] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            # stat, not only resolve(strict=False): that raises on a loop up to Python 3.12,
            # but from 3.13 returns the path unresolved
            path.stat()
            path.resolve(strict=False)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise RecordError(f"record file {path} is a symbolic link loop; not read") from None
        except RuntimeError:  # the loop as resolve() reports it before 3.13
            raise RecordError(f"record file {path} is a symbolic link loop; not read") from None
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        if not path.is_file():
            raise RecordError(f"record file {path} does not exist")
        root = find_project_root(path.resolve().parent)
        report = validate_file(path, root)
        if not report.ok:
            problems.extend(p for p in report.problems if p.severity == "error")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        relative = relative_to_project(path, root)
        size, sha512, sha256 = file_digests(path)
        files = [PackageFile(path, relative, "record", size, sha512, sha256, "application/json")]
        for entry in data.get("files", []):
            source = resolve_in_project(root, entry["path"])
            files.append(
                PackageFile(
                    source,
                    entry["path"],
                    entry.get("role", "file"),
                    entry["size"],
                    entry["sha512"],
                    entry["sha256"],
                    entry.get("media_type", "application/octet-stream"),
                )
            )
        records.append(ExportRecord(path, root, data, tuple(files)))
    if problems:
        raise ValidationFailed(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the records to "
            "export (run warcite validate); nothing exported: "
            + "; ".join(problem.line() for problem in problems[:5])
            + (" ..." if len(problems) > 5 else ""),
            problems,
        )
    return records


def copy_verified(item: PackageFile, target: Path) -> None:
    """Copy a record's file to ``target`` (parents made), hashing it on the way; RecordError
    when its bytes are no longer the ones the record holds digests of."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sha512 = hashlib.sha512()
    size = 0
    with item.source.open("rb") as source, target.open("xb") as out:
        while piece := source.read(PIECE):
            size += len(piece)
            sha512.update(piece)
            out.write(piece)
    if size != item.size or sha512.hexdigest() != item.sha512:
        raise RecordError(
            f"{item.relative} changed while it was exported (size {size}, sha512 "
            f"{sha512.hexdigest()[:16]}..., the record says {item.size}, "
            f"{item.sha512[:16]}...); run warcite validate"
        )


def unique_files(records: Sequence[ExportRecord]) -> list[PackageFile]:
    """Every file of the records once (two records may share a WARC), in a stable order."""
    found: dict[str, PackageFile] = {}
    for record in records:
        for item in record.files:
            previous = found.get(item.relative)
            if previous is not None and previous.sha512 != item.sha512:
                raise RecordError(
                    f"{item.relative} has two different sha512 in the records to export"
                )
            found.setdefault(item.relative, item)
    return [found[key] for key in sorted(found)]


def schema_files(records: Sequence[ExportRecord]) -> list[tuple[Path, str]]:
    """(file, project-relative path) of the record schema of each version used, and the
    vendored schemas they refer to."""
    from warcite.record.schema import schema_path, schemas_directory

    chosen: dict[str, Path] = {}
    for record in records:
        version = str(record.data.get("schema_version"))
        chosen[f"schemas/record/{version}/record.schema.json"] = schema_path(version)
    vendor = schemas_directory() / "vendor"
    if vendor.is_dir():
        for path in sorted(vendor.rglob("*")):
            if path.is_file():
                chosen[f"schemas/vendor/{path.relative_to(vendor).as_posix()}"] = path
    return [(path, relative) for relative, path in sorted(chosen.items())]


def archive_name(records: Sequence[ExportRecord]) -> str:
    """The archive's name from the first record's project (warcite.toml)."""
    from warcite.core.config import load_config

    return load_config(records[0].project_root).archive_name if records else "warcite"


__all__ = [
    "ExportRecord",
    "PackageFile",
    "archive_name",
    "copy_verified",
    "digests_of",
    "file_digests",
    "load_records",
    "schema_files",
    "unique_files",
]

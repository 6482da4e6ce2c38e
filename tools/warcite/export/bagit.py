"""BagIt 1.0 (RFC 8493) export: records, texts, WARCs and the record schema in one bag.

The payload (``data/``) keeps the project's layout (``records/``, ``archive/``,
``schemas/``), so ``data/`` is itself a warcite project: every path inside a record still
names its file, and ``warcite validate`` runs there unchanged.  Manifests and tag manifests
are sha512 (RFC 8493 section 2.4 recommends SHA-512; bagit-python validates them);
``bag-info.txt`` carries Bagging-Date, Source-Organization, External-Description,
External-Identifier (each record's record_id), Payload-Oxum and Bag-Software-Agent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from warcite.core.version import __version__
from warcite.export.common import (
    archive_name,
    copy_verified,
    file_digests,
    load_records,
    schema_files,
    unique_files,
)

ALGORITHM = "sha512"


def _encode_path(path: str) -> str:
    """A payload path as a manifest line writes it: CR, LF and % percent-encoded (RFC 8493
    section 2.1.3)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _tag_value(value: str) -> str:
    """A bag-info value on one line (line breaks would start a new label)."""
    return " ".join(value.split())


def export_bagit(records: list[Path], output: Path, *, now: datetime | None = None) -> Path:
    """Write a BagIt 1.0 bag of ``records`` at ``output`` (a new folder); returns it."""
    items = load_records(records)
    output.mkdir()
    data = output / "data"
    manifest: list[tuple[str, str]] = []
    total = 0
    for item in unique_files(items):
        copy_verified(item, data / item.relative)
        manifest.append((item.sha512, f"data/{item.relative}"))
        total += item.size
    extra = schema_files(items)
    for exported in items:  # each record's seal, so that data/ validates as a project
        seal = exported.project_root / "records" / f"{exported.slug}.sha512"
        if seal.is_file() and not seal.is_symlink():
            extra.append((seal, f"records/{exported.slug}.sha512"))
    config = items[0].project_root / "warcite.toml"
    if config.is_file():
        extra.append((config, "warcite.toml"))  # the archive's name, as citations give it
    for source, relative in extra:
        target = data / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        content = source.read_bytes()
        target.write_bytes(content)
        manifest.append((hashlib.sha512(content).hexdigest(), f"data/{relative}"))
        total += len(content)
    manifest.sort(key=lambda entry: entry[1])
    count = len(manifest)
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    slugs = ", ".join(item.slug for item in items)
    info = [
        ("Bag-Software-Agent", f"warcite {__version__}"),
        ("Bagging-Date", when.strftime("%Y-%m-%d")),
        ("Source-Organization", _tag_value(archive_name(items))),
        (
            "External-Description",
            _tag_value(
                f"{len(items)} warcite record{'s' if len(items) != 1 else ''} ({slugs}): for "
                "each, the JSON record (schema in data/schemas/), its clean text and the WARC "
                "1.1 file it was made from, in the project's layout; data/ is a warcite "
                "project (run warcite validate there)."
            ),
        ),
        *[("External-Identifier", item.record_id) for item in items],
        ("Payload-Oxum", f"{total}.{count}"),
    ]
    (output / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (output / "bag-info.txt").write_text(
        "".join(f"{label}: {value}\n" for label, value in info), encoding="utf-8"
    )
    (output / f"manifest-{ALGORITHM}.txt").write_text(
        "".join(f"{digest}  {_encode_path(path)}\n" for digest, path in manifest),
        encoding="utf-8",
    )
    tags = [
        (file_digests(output / name)[1], name)
        for name in ("bag-info.txt", "bagit.txt", f"manifest-{ALGORITHM}.txt")
    ]
    (output / f"tagmanifest-{ALGORITHM}.txt").write_text(
        "".join(f"{digest}  {name}\n" for digest, name in tags), encoding="utf-8"
    )
    return output


__all__ = ["export_bagit"]

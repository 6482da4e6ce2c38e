"""WACZ export: the records' WARCs as one Web Archive Collection Zipped (WACZ 1.1.1).

WACZ 1.1.1 is the version py-wacz 0.6 (the newest on PyPI) writes and validates.  The zip
holds, every entry stored uncompressed (the format asks it of WARCs and indexes, so a
replay tool can read records by range):

- ``archive/<file>.warc.gz``  each record's WARC file, byte for byte;
- ``indexes/index.cdx``       a sorted CDXJ index of their response, resource and revisit
                              records (see :mod:`warcite.export.cdxj`);
- ``pages/pages.jsonl``       one page per record: ``url`` is the record's archived
                              WARC-Target-URI, ``ts`` its WARC-Date, ``title`` the work's title;
- ``datapackage.json``        every entry with its sha256 and size, ``wacz_version``,
                              ``created``, ``software``, a title and description, and for a
                              single record ``mainPageURL``/``mainPageDate``;
- ``datapackage-digest.json`` the sha256 of ``datapackage.json`` (with ``sign_key``, and
                              its anonymous signature: export/wacz_signing.py).

A transcript import is described as what it is: its page URL is the ``urn:transcript:`` URI
the WARC holds, never the original ``https`` URL (a replay tool must not show a transcript
as the page that URL returned); the original URL stays in the record and its WARC metadata
record, both inside the package.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcite.core.errors import RecordError
from warcite.core.version import __version__
from warcite.export.cdxj import cdxj_index
from warcite.export.common import ExportRecord, PackageFile, archive_name, load_records
from warcite.export.wacz_signing import load_wacz_key, signed_data

WACZ_VERSION = "1.1.1"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
PIECE = 1 << 20


def _entry(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def _resource_name(path: str, taken: set[str]) -> str:
    """A Frictionless resource name for a path: lower case, [a-z0-9._-], unique."""
    base = re.sub(r"[^a-z0-9._-]+", "-", path.rsplit("/", 1)[-1].lower()) or "file"
    name, number = base, 2
    while name in taken:
        name = f"{base}-{number}"
        number += 1
    taken.add(name)
    return name


def _warc_names(records: Sequence[ExportRecord]) -> dict[str, PackageFile]:
    """WARC files by their name in ``archive/`` (names made unique if two collide)."""
    by_name: dict[str, PackageFile] = {}
    seen: dict[str, str] = {}
    for record in records:
        warc = record.file("warc")
        if warc is None:
            raise RecordError(f"record {record.slug} lists no WARC file")
        if warc.relative in seen:
            continue
        base = warc.relative.rsplit("/", 1)[-1]
        name, number = base, 2
        while name in by_name:
            stem, dot, rest = base.partition(".")
            name = f"{stem}-{number}{dot}{rest}"
            number += 1
        by_name[name] = warc
        seen[warc.relative] = name
    return by_name


def _page(record: ExportRecord) -> dict[str, Any]:
    capture = record.data.get("capture", {})
    warc = capture.get("warc", {})
    title = (record.data.get("work", {}).get("title") or {}).get("value")
    page: dict[str, Any] = {
        "id": record.record_id,
        "url": capture.get("target_uri"),
        "ts": warc.get("date"),
    }
    if title:
        page["title"] = title
    return page


def export_wacz(
    records: list[Path],
    output: Path,
    *,
    now: datetime | None = None,
    sign_key: Path | None = None,
) -> Path:
    """Write a WACZ 1.1.1 file of ``records`` at ``output``; returns it.  ``sign_key`` (an
    ECDSA private key file) signs it anonymously (:mod:`warcite.export.wacz_signing`)."""
    key = load_wacz_key(sign_key) if sign_key is not None else None
    items = load_records(records)
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    warcs = _warc_names(items)
    resources: list[dict[str, Any]] = []
    taken: set[str] = set()

    def add(name: str, size: int, sha256: str) -> None:
        resources.append(
            {
                "name": _resource_name(name, taken),
                "path": name,
                "hash": f"sha256:{sha256}",
                "bytes": size,
            }
        )

    index = cdxj_index((item.source, name) for name, item in warcs.items()).encode("utf-8")
    pages = "".join(
        json.dumps(line, ensure_ascii=False) + "\n"
        for line in [
            {"format": "json-pages-1.0", "id": "pages", "title": "warcite records"},
            *[_page(record) for record in items],
        ]
    ).encode("utf-8")
    with zipfile.ZipFile(output, "x", allowZip64=True) as package:
        for name, item in sorted(warcs.items()):
            sha256, sha512, size = hashlib.sha256(), hashlib.sha512(), 0
            entry = _entry(f"archive/{name}", when)
            entry.file_size = item.size
            with (
                item.source.open("rb") as source,
                package.open(entry, "w", force_zip64=item.size >= 1 << 31) as target,
            ):
                while piece := source.read(PIECE):
                    size += len(piece)
                    sha256.update(piece)
                    sha512.update(piece)
                    target.write(piece)
            if size != item.size or sha512.hexdigest() != item.sha512:
                raise RecordError(
                    f"{item.relative} changed while it was exported; run warcite validate"
                )
            add(f"archive/{name}", size, sha256.hexdigest())
        for name, content in ((INDEX_PATH, index), (PAGES_PATH, pages)):
            package.writestr(_entry(name, when), content)
            add(name, len(content), hashlib.sha256(content).hexdigest())
        titles = [p.get("title") for p in (_page(record) for record in items)]
        datapackage: dict[str, Any] = {
            "profile": "data-package",
            "resources": resources,
            "wacz_version": WACZ_VERSION,
            "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "software": f"warcite {__version__}",
            "title": titles[0]
            if len(items) == 1 and titles[0]
            else f"{archive_name(items)}: {len(items)} records",
            "description": (
                f"{len(items)} web page{'s' if len(items) != 1 else ''} archived by warcite "
                f"({archive_name(items)}); a transcript import is listed under its "
                "urn:transcript: URI, not as the original page"
            ),
        }
        if len(items) == 1:
            page = _page(items[0])
            datapackage["mainPageURL"] = page["url"]
            datapackage["mainPageDate"] = page["ts"]
        content = json.dumps(datapackage, indent=2, ensure_ascii=False).encode("utf-8")
        package.writestr(_entry("datapackage.json", when), content)
        digest: dict[str, Any] = {
            "path": "datapackage.json",
            "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
        }
        if key is not None:
            digest["signedData"] = signed_data(digest["hash"], datapackage["created"], key)
        package.writestr(
            _entry("datapackage-digest.json", when),
            json.dumps(digest, indent=2).encode("utf-8"),
        )
    return output


__all__ = ["WACZ_VERSION", "export_wacz"]

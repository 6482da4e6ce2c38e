"""Import of a WACZ package (any tool's): each WARC inside becomes an imported WARC.

The package is verified first (:func:`warcite.core.wacz_package.verify_wacz`): every listed
file's hash and size, the hash of ``datapackage.json``, and its signature when it has one.
A package that fails any of these is refused, nothing archived: its content cannot be
told from an altered copy.  Then each ``archive/*.warc(.gz)`` it lists is taken out (to a
temporary folder, in pieces) and imported exactly as ``warcite import FILE.warc`` imports a
WARC (records copied unchanged, digests verified, a metadata record saying it is an
import), its metadata record also naming the package, its sha256, and what was verified::

    source-package: example.wacz
    source-package-sha256: <hex>
    source-package-member: archive/data.warc.gz
    source-package-verification: WACZ example.wacz: digests of datapackage.json and every
        listed file verified; anonymous signature by ECDSA key SHA256:... verified

The record made from it (``warcite record``) repeats that in its capture's
``source_description``, so the result is kept with the record and under its seal.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from warcite.capture.common import Clock, RecordIdFactory
from warcite.capture.imports import import_file
from warcite.core.errors import CaptureError
from warcite.core.models import CaptureResult
from warcite.core.slugs import check_slug
from warcite.core.wacz_package import iter_warcs, verify_wacz

PIECE = 1 << 20


def is_wacz(path: str | Path) -> bool:
    """True for a file named ``*.wacz``."""
    return str(path).lower().endswith(".wacz")


def member_slug(slug: str | None, number: int) -> str | None:
    """The name of a package's ``number``-th WARC (1-based) and of its record: ``slug``,
    then ``<slug>-2``, ``<slug>-3``...; None without a slug."""
    if not slug:
        return None
    return slug if number == 1 else f"{slug[:76].rstrip('-')}-{number}"


def _sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while piece := handle.read(PIECE):
            hasher.update(piece)
    return hasher.hexdigest()


def import_wacz(
    path: str | Path,
    *,
    archive_dir: str | Path,
    url: str | None = None,
    slug: str | None = None,
    observed_at: str | None = None,
    note: str | None = None,
    clock: Clock | None = None,
    new_record_id: RecordIdFactory | None = None,
    hostname: str | None = None,
) -> list[CaptureResult]:
    """Import every WARC of the WACZ at ``path`` into a new WARC each in ``archive_dir``.

    ``url`` chooses the page record of each WARC (default: each WARC's own page); ``slug``
    names the new WARCs (``<slug>``, ``<slug>-2``...).  Raises CaptureError, nothing
    archived, when the package does not verify or holds no WARC, or when any of its WARCs
    cannot be imported (those imported before it are removed again: all or nothing).
    """
    source = Path(path)
    try:
        checked = verify_wacz(source, source.name)
    except OSError as error:
        raise CaptureError(f"cannot read {source}: {error.strerror or error}") from None
    if not checked.ok:
        shown = "; ".join(checked.problems[:5])
        more = f" (and {len(checked.problems) - 5} more)" if len(checked.problems) > 5 else ""
        raise CaptureError(
            f"cannot import {source}: the package does not verify: {shown}{more}; nothing was "
            "archived (`warcite check` lists every problem)"
        )
    if not checked.warcs:
        raise CaptureError(f"cannot import {source}: its datapackage.json lists no WARC file")
    if slug:
        check_slug(slug)
    package_sha256 = _sha256(source)
    options: dict[str, Any] = {
        "url": url,
        "archive_dir": archive_dir,
        "observed_at": observed_at,
        "note": note,
        "clock": clock,
        "new_record_id": new_record_id,
        "hostname": hostname,
    }
    results: list[CaptureResult] = []
    try:
        _import_members(source, checked, results, slug, package_sha256, **options)
    except BaseException as error:
        # all or nothing: the WARCs of this package already imported are withdrawn (they
        # were published by this call moments ago, and no record refers to them yet)
        for done in results:
            done.path.unlink(missing_ok=True)
        if isinstance(error, CaptureError) and results:
            raise CaptureError(
                f"{error}; the package's other WARCs were not kept either "
                f"({', '.join(done.path.name for done in results)}): a WACZ is "
                "imported whole or not at all"
            ) from error
        raise
    return results


def _import_members(
    source: Path,
    checked: Any,
    results: list[CaptureResult],
    slug: str | None,
    package_sha256: str,
    *,
    url: str | None,
    archive_dir: str | Path,
    observed_at: str | None,
    note: str | None,
    clock: Clock | None,
    new_record_id: RecordIdFactory | None,
    hostname: str | None,
) -> None:
    """Import each WARC of the verified package, appending each result as it is made."""
    with tempfile.TemporaryDirectory(prefix="warcite-wacz-") as folder:
        for number, (name, stream) in enumerate(iter_warcs(source, checked.warcs), start=1):
            target = Path(folder) / Path(name).name
            with target.open("xb") as copy:
                shutil.copyfileobj(stream, copy, PIECE)
            own_slug = member_slug(slug, number)
            try:
                imported = import_file(
                    target,
                    url=url,
                    archive_dir=archive_dir,
                    slug=own_slug,
                    observed_at=observed_at,
                    note=note,
                    clock=clock,
                    new_record_id=new_record_id,
                    hostname=hostname,
                    source_package=(
                        ("source-package", source.name),
                        ("source-package-sha256", package_sha256),
                        ("source-package-member", name),
                        ("source-package-verification", checked.summary()),
                    ),
                )
            except CaptureError as error:  # named as the package's member, not the copy
                shown = str(error).replace(f"cannot import {target}: ", "")
                raise CaptureError(
                    f"cannot import {source.name}: its {name}: {shown.replace(str(target), name)}"
                ) from None
            results.append(imported)
            target.unlink()


__all__ = ["import_wacz", "is_wacz", "member_slug"]

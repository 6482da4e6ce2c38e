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
    archived, when the package does not verify or holds no WARC.
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
    results: list[CaptureResult] = []
    with tempfile.TemporaryDirectory(prefix="warcite-wacz-") as folder:
        for number, (name, stream) in enumerate(iter_warcs(source, checked.warcs), start=1):
            target = Path(folder) / Path(name).name
            with target.open("xb") as copy:
                shutil.copyfileobj(stream, copy, PIECE)
            own_slug = None
            if slug:
                own_slug = slug if number == 1 else f"{slug[:76].rstrip('-')}-{number}"
            results.append(
                import_file(
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
            )
            target.unlink()
    return results


__all__ = ["import_wacz", "is_wacz"]

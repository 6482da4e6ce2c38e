"""``warcite export``: records as packages other archives ingest.

Each format is one module with one function ``export_<format>(records, output) -> Path``,
taking the JSON files of the records to export and the path to create.  The registry maps
a format name to ``"module:function"`` and imports it only when asked, so a format whose
module is absent (or whose optional parts fail to import) is reported plainly, never a
traceback, and never slows the other commands down:

    premis   PREMIS 3.0 XML of the records' objects, events and agents   (export/premis.py)
    wacz     WACZ 1.1.1: WARCs + CDXJ index + pages.jsonl + datapackage   (export/wacz.py)
    bagit    BagIt 1.0 (RFC 8493): records, texts, WARCs, the schema       (export/bagit.py)
    ocfl     OCFL 1.1 storage root, one object per record                  (export/ocfl.py)

:func:`export` writes every package atomically: the exporter writes to a temporary path
beside ``output``, which is renamed into place only when it is complete; an existing
``output`` is never replaced (remove it, or choose another path).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from warcite.core.errors import UsageError, WarciteError

Exporter = Callable[..., Path]

EXPORTERS: dict[str, str] = {
    "premis": "warcite.export.premis:export_premis",
    "wacz": "warcite.export.wacz:export_wacz",
    "bagit": "warcite.export.bagit:export_bagit",
    "ocfl": "warcite.export.ocfl:export_ocfl",
}
"""Format name -> ``"module:function"`` of its exporter."""

FORMATS = tuple(EXPORTERS)


def format_name(given: str) -> str:
    """The format a command-line word names: ``wacz``, ``--wacz`` and ``WACZ`` are one."""
    name = given.strip().lstrip("-").lower()
    if name not in EXPORTERS:
        raise UsageError(f"unknown export format {given!r}; formats: {', '.join(FORMATS)}")
    return name


def exporter(name: str) -> Exporter:
    """The exporter function of a format, imported now; WarciteError when it is absent."""
    module_name, _, function_name = EXPORTERS[format_name(name)].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            raise WarciteError(
                f"the {name} export is not part of this warcite ({module_name} is missing: "
                f"tools/{module_name.replace('.', '/')}.py); formats here: "
                f"{', '.join(available_formats()) or 'none'}"
            ) from None
        raise WarciteError(
            f"the {name} export needs the Python module {error.name!r}, which is not installed"
        ) from None
    function: Exporter | None = getattr(module, function_name, None)
    if function is None:
        raise WarciteError(f"{module_name} has no function {function_name}()")
    return function


def available_formats() -> list[str]:
    """The formats whose module is present in this installation."""
    found = []
    for name, target in EXPORTERS.items():
        module_name = target.partition(":")[0]
        if importlib.util.find_spec(module_name) is not None:
            found.append(name)
    return found


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def export(
    name: str, records: Sequence[Path], output: Path, options: Mapping[str, Any] | None = None
) -> Path:
    """Export ``records`` (record JSON files) as format ``name`` to ``output``, atomically.
    ``options`` are keyword arguments of the format's exporter (wacz: ``sign_key``).

    Raises UsageError when there is nothing to export, WarciteError when ``output`` exists
    or its folder does not, and whatever the exporter raises (nothing is left behind).
    """
    function = exporter(name)
    if not records:
        raise UsageError("no records to export (records/ is empty, or none were named)")
    output = Path(output)
    if output.exists() or output.is_symlink():
        raise WarciteError(
            f"{output} exists already; warcite never overwrites an export: remove it or "
            "choose another path with -o"
        )
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"the folder {parent} does not exist; create it first")
    temporary = parent / f".{output.name}.partial-{uuid.uuid4().hex[:12]}"
    try:
        written = function(list(records), temporary, **(options or {}))
        if Path(written) != temporary:
            raise WarciteError(f"the {name} exporter wrote {written}, not {temporary}")
        if output.exists() or output.is_symlink():
            raise WarciteError(f"{output} appeared while the export was written; not replaced")
        if temporary.is_dir():
            os.rename(temporary, output)
        else:
            os.link(temporary, output)  # fails rather than replace a file made meanwhile
            temporary.unlink()
    except OSError as error:  # a folder that refuses new files (/proc), a full disk
        _remove(temporary)
        raise WarciteError(
            f"cannot write the export {output}: {error.strerror or error} (in {parent}); "
            "nothing was written: choose a writable folder with -o"
        ) from None
    except BaseException:
        _remove(temporary)
        raise
    return output


__all__ = ["EXPORTERS", "FORMATS", "available_formats", "export", "exporter", "format_name"]

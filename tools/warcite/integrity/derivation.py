"""Deep validation: every derived field of a record re-derived from its WARC and compared."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from warcite.core.errors import WarciteError
from warcite.core.project import resolve_in_project
from warcite.core.version import __version__
from warcite.integrity.extractor_claim import extractor_claim_doubt
from warcite.integrity.problems import Collector, Extractor
from warcite.integrity.record_checks import value_at
from warcite.record.citation_history import config_cited_under

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
        data = value_at(data, name) if name else value_at(data, int(index))
    return data


def _extractor_dependent(path: str, record: Mapping[str, Any], url_differs: bool) -> bool:
    """True when a difference at ``path`` can come from another extractor version."""
    if path.startswith("$.work") or path.startswith("$.text.paragraph_kinds"):
        return True
    if path in _TEXT_DIGEST_PATHS or path == "$.text.extractor.version":
        return True
    if path.startswith("$.files["):
        index = int(path[len("$.files[") : path.index("]")])
        return value_at(record, "files", index, "role") == "text" and path.endswith(
            ("].size", "].sha512", "].sha256")
        )
    return url_differs and path in ("$.capture.source_description", "$.capture.final_uri")


def _warc_software(warc_path: Path) -> str | None:
    """The ``software`` of the WARC's warcinfo record (who wrote it), or None."""
    from warcite.record.build import warcinfo_fields

    try:
        return dict(warcinfo_fields(warc_path)).get("software")
    except WarciteError:
        return None


def extractor_claim_problem(record: Mapping[str, Any], project_root: Path) -> str | None:
    """Why the record's ``text.extractor.version`` (when not this warcite's) is not
    credible (see :mod:`warcite.integrity.extractor_claim`), or None; used by ``warcite seal``,
    which never seals a record whose claim would weaken its own validation."""
    claimed = value_at(record, "text", "extractor", "version")
    if not isinstance(claimed, str) or claimed == __version__:
        return None
    warc_relative = value_at(record, "capture", "warc", "path")
    software = None
    if isinstance(warc_relative, str):
        try:
            software = _warc_software(resolve_in_project(project_root, warc_relative))
        except WarciteError:
            software = None
    return extractor_claim_doubt(claimed, software, __version__)


def check_derived(
    record: Mapping[str, Any],
    project_root: Path,
    warc_path: Path,
    stored_text: str | None,
    collector: Collector,
    extractor: Extractor | None,
) -> None:
    """Re-derive every derivable field from the WARC (and the citation from the record's
    work) and report each difference at its JSON path."""
    from datetime import datetime, timezone

    from warcite.record.build import build_record, citation_item, warcinfo_fields

    warc = record["capture"]["warc"]
    recorded_version = value_at(record, "text", "extractor", "version")
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
    created = value_at(record, "created")
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
        from warcite.core.warc.pages import read_page

        page = read_page(warc_path, warc["record_id"])
        if extractor is None:
            from warcite.extract import extract_page

            extractor = extract_page
        from warcite.record.common import page_for_extraction

        extraction = extractor(page_for_extraction(page))
        from warcite.extract.rendered import EXTENSION_KEY, choose_extraction

        if isinstance(value_at(record, "extensions", EXTENSION_KEY), dict):
            extraction, _ = choose_extraction(page, extraction)  # text from the rendered DOM
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
    url_differs = value_at(record, "work", "url") != value_at(derived, "work", "url")
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
    stored_key = value_at(record, "lineage", "work_key")
    if isinstance(record.get("lineage"), dict):
        from warcite.core.urls import work_key

        urls = [
            value_at(derived, "work", "url"),
            value_at(derived, "capture", "target_uri"),
            value_at(derived, "capture", "final_uri"),
            value_at(derived, "capture", "memento", "original_uri"),
            value_at(record, "work", "url"),
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

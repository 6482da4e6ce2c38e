"""What a browser capture adds to a record: text from the rendered DOM, and the evidence.

A browser capture (:mod:`warcite.capture.browser`) writes, beside the page's response,
``resource`` records concurrent to it: the rendered DOM, a screenshot, optionally a PDF,
a capture summary and each https origin's certificate chain.  This module reads them back
for the record:

- :func:`choose_extraction`: when the served HTML holds no article but the rendered DOM
  does, the text and metadata come from the rendered DOM, and every metadata field's
  ``source`` says so (``rendered-dom:<source>``); without a rendered DOM, a served page
  that is evidently an application shell (scripts, an empty application root or a
  ``<noscript>`` notice, no prose) raises :class:`~warcite.core.errors.ScriptBuiltPage`
  (exit 9) instead of becoming a record titled "Loading…".
- :func:`browser_extension`: the record's ``extensions.browser_capture``: where the text
  came from and each evidence record with its WARC record ID, media type, size and
  SHA-256/SHA-512 of its block.
- :func:`check_browser_evidence`: the deep validation of that list against the WARC.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from warcite.core.decode import decode_body
from warcite.core.errors import ExtractionError, ScriptBuiltPage, WarcReadError
from warcite.core.models import ArchivedPage, Extraction
from warcite.core.warc.records import iter_records
from warcite.extract import extract

EVIDENCE_PREFIXES = {
    "urn:screenshot:": "screenshot",
    "urn:rendered-dom:": "rendered-dom",
    "urn:pdf:": "pdf",
    "urn:capture-summary:": "capture-summary",
    "urn:tls-certificates:": "tls-certificates",
}
"""WARC-Target-URI prefixes of a browser capture's evidence records, and their kinds."""
EXTENSION_KEY = "browser_capture"
RENDERED_SOURCE_PREFIX = "rendered-dom:"
MIN_PROSE_CHARACTERS = 200
"""A served page with less visible text than this, scripts and an application root or a
``<noscript>`` notice, is an application shell."""

MAX_PLACEHOLDER_CHARACTERS = 80
"""An application root holding at most this much text ("Loading…") counts as empty."""

_APP_ROOT_IDS = re.compile(r"^(root|app|__next|__nuxt|main|application|app-root|svelte)$", re.I)


def evidence_records(warc_path: Path, page_record_id: str) -> list[dict[str, Any]]:
    """The evidence records concurrent to ``page_record_id``, in WARC order, each with
    its kind, record ID, target, media type, size and block digests."""
    found = []
    for record in iter_records(warc_path):
        target = record.header("WARC-Target-URI") or ""
        kind = next(
            (k for prefix, k in EVIDENCE_PREFIXES.items() if target.startswith(prefix)), None
        )
        if kind is None or record.header("WARC-Concurrent-To") != page_record_id:
            continue
        found.append(
            {
                "kind": kind,
                "record_id": record.info.record_id,
                "target_uri": target,
                "media_type": record.info.content_type or "application/octet-stream",
                "size": len(record.block),
                "sha256": hashlib.sha256(record.block).hexdigest(),
                "sha512": hashlib.sha512(record.block).hexdigest(),
                "block": record.block,
            }
        )
    return found


def _rendered_page(page: ArchivedPage, dom: Mapping[str, Any]) -> ArchivedPage:
    return dataclasses.replace(
        page,
        body=dom["block"],
        headers=(("Content-Type", dom["media_type"]),),
        content_type=dom["media_type"],
    )


def _prefixed(value: Any) -> Any:
    """``value`` with every ``source`` inside it prefixed ``rendered-dom:``."""
    if isinstance(value, tuple):
        return tuple(_prefixed(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            if field.name == "source" and isinstance(current, str):
                changes[field.name] = RENDERED_SOURCE_PREFIX + current
            elif isinstance(current, tuple) or dataclasses.is_dataclass(current):
                changes[field.name] = _prefixed(current)
        return dataclasses.replace(value, **changes)
    return value


def looks_script_built(page: ArchivedPage) -> bool:
    """Whether the served HTML is an application shell: scripts, an empty application
    root or a ``<noscript>`` notice, and less than :data:`MIN_PROSE_CHARACTERS` of text."""
    try:
        document = decode_body(page.body, headers=page.headers)
    except ExtractionError:  # undecodable: the extractor says why
        return False
    if document.media_type not in ("text/html", "application/xhtml+xml") or not document.text:
        return False
    try:
        root = lxml_html.document_fromstring(document.text)
    except (etree.ParserError, ValueError):
        return False
    if not root.xpath("//script"):
        return False
    empty_root = any(  # empty, or holding a placeholder such as "Loading…"
        len(" ".join((element.text_content() or "").split())) <= MAX_PLACEHOLDER_CHARACTERS
        for element in root.xpath("//body//*[@id]")
        if _APP_ROOT_IDS.match(element.get("id") or "")
    )
    if not (empty_root or root.xpath("//noscript")):
        return False
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    body = root.find("body")
    text = " ".join((body.text_content() if body is not None else "").split())
    return len(text) < MIN_PROSE_CHARACTERS


def choose_extraction(
    page: ArchivedPage, served: Extraction
) -> tuple[Extraction, dict[str, Any] | None]:
    """The extraction to record, and the record's ``extensions.browser_capture`` (None
    for a WARC without browser evidence).  Raises ScriptBuiltPage for an application
    shell captured without a browser."""
    try:
        evidence = evidence_records(page.warc_path, page.record_id)
    except WarcReadError:
        evidence = []
    dom = next((item for item in evidence if item["kind"] == "rendered-dom"), None)
    chosen, text_source = served, "served-html"
    if dom is not None and _prose(served) < MIN_PROSE_CHARACTERS:
        rendered_page = _rendered_page(page, dom)
        rendered = extract(rendered_page.body, headers=rendered_page.headers, url=page.url)
        if _prose(rendered) > _prose(served):
            chosen, text_source = _prefixed(rendered), "rendered-dom"
    elif dom is None and _prose(served) < MIN_PROSE_CHARACTERS and looks_script_built(page):
        raise ScriptBuiltPage(
            f"{page.warc_path} record {page.record_id}: no record written: the page's text "
            "is built by scripts in the browser (the served HTML is an application shell: "
            "scripts, an empty application root or a <noscript> notice, and no prose); "
            "capture it with --browser (warcite archive URL --browser)"
        )
    if not evidence:
        return chosen, None
    summary = next((item for item in evidence if item["kind"] == "capture-summary"), None)
    facts: dict[str, Any] = {}
    if summary is not None:
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            parsed = json.loads(summary["block"])
            if isinstance(parsed, dict):
                facts = parsed
    extension = {
        "text_source": text_source,
        "browser": (facts.get("browser") or {}).get("version"),
        "cut_short": [str(line) for line in facts.get("cut_short") or []],
        "blocked": [str(line) for line in facts.get("blocked") or []],
        "evidence": [{k: v for k, v in item.items() if k != "block"} for item in evidence],
    }
    return chosen, extension


def _prose(extraction: Extraction) -> int:
    return sum(len(paragraph.text) for paragraph in extraction.paragraphs)


def check_browser_evidence(record: Mapping[str, Any], warc_path: Path) -> list[str]:
    """Problems between a record's ``extensions.browser_capture`` and its WARC (deep
    validation): each evidence record must be there, with the same size and digests."""
    extensions = record.get("extensions")
    extension = extensions.get(EXTENSION_KEY) if isinstance(extensions, dict) else None
    if not isinstance(extension, dict):
        return []
    listed = extension.get("evidence")
    if not isinstance(listed, list):
        return [f"extensions.{EXTENSION_KEY}.evidence is not a list"]
    capture = record.get("capture")
    warc = capture.get("warc") if isinstance(capture, dict) else None
    page_id = warc.get("record_id") if isinstance(warc, dict) else None
    if not isinstance(page_id, str):
        return []  # the schema check reports it
    try:
        found = {item["record_id"]: item for item in evidence_records(warc_path, page_id)}
    except WarcReadError as error:
        return [f"extensions.{EXTENSION_KEY}: {error}"]
    problems = []
    for index, item in enumerate(listed):
        where = f"extensions.{EXTENSION_KEY}.evidence[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where} is not an object")
            continue
        actual = found.get(item.get("record_id"))
        if actual is None:
            problems.append(
                f"{where}: the WARC has no {item.get('kind')} record {item.get('record_id')} "
                "concurrent to the page"
            )
            continue
        for key in ("kind", "size", "sha256", "sha512", "media_type", "target_uri"):
            if item.get(key) != actual[key]:
                problems.append(
                    f"{where}.{key}: the record says {item.get(key)!r}, the WARC holds "
                    f"{actual[key]!r}"
                )
    return problems


__all__ = [
    "EVIDENCE_PREFIXES",
    "EXTENSION_KEY",
    "MIN_PROSE_CHARACTERS",
    "check_browser_evidence",
    "choose_extraction",
    "evidence_records",
    "looks_script_built",
]

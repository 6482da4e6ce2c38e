"""Render CSL-JSON items with citeproc-js (tests/citeproc/render.js) for the differential
tests: the npm package ``citeproc`` pinned by tests/citeproc/package-lock.json, installed
by tools/ci-setup.sh, and the official styles vendored in tests/citeproc/csl/."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CITEPROC = Path(__file__).resolve().parent / "citeproc"
CSL = CITEPROC / "csl"
LOCALE = CSL / "locales-en-US.xml"
STYLE_FILES = {
    "apa": "apa.csl",
    "mla": "modern-language-association.csl",
    "chicago-note": "chicago-notes-bibliography-17th-edition.csl",
    "chicago-bib": "chicago-notes-bibliography-17th-edition.csl",
    "chicago-author-date": "chicago-author-date-17th-edition.csl",
}


def node_or_skip() -> str:
    """The node executable; skips (fails in CI) when node or citeproc-js is missing."""
    node = shutil.which("node")
    if node is None or not (CITEPROC / "node_modules" / "citeproc").is_dir():
        reason = (
            "node is not installed"
            if node is None
            else "citeproc-js is not installed (run tools/ci-setup.sh: npm ci in tests/citeproc)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run tools/ci-setup.sh")
        pytest.skip(reason)
    return node


def markdown(rendered: str) -> str:
    """citeproc's HTML as warcite's Markdown: italics as ``*``, tags dropped, one line."""
    text = re.sub(r"</?div[^>]*>", "", rendered).replace("<i>", "*").replace("</i>", "*")
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).split())


def render(
    jobs: list[tuple[str, dict[str, Any]]], *, locators: list[str | None] | None = None
) -> list[dict[str, str]]:
    """For each (style, item): citeproc-js's bibliography entry and first note, as
    Markdown (``{"bibliography": ..., "note": ...}``); ``locators`` gives each note a page
    pinpoint (None: none)."""
    node = node_or_skip()
    pages = locators if locators is not None else [None] * len(jobs)
    payload = {
        "jobs": [
            {"style": str(CSL / STYLE_FILES[style]), "locale": str(LOCALE), "item": item}
            | ({"locator": page} if page else {})
            for (style, item), page in zip(jobs, pages, strict=True)
        ]
    }
    completed = subprocess.run(
        [node, str(CITEPROC / "render.js")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return [
        {key: markdown(value) for key, value in result.items()}
        for result in json.loads(completed.stdout)
    ]

"""Differential tests: warcite's CSL-JSON rendered by citeproc-js with the official APA 7,
MLA 9 and Chicago 17 (notes and bibliography) styles, beside warcite's own strings.

citeproc-js is the npm package ``citeproc`` pinned by tests/citeproc/package-lock.json and
installed by tools/ci-setup.sh (``npm ci``); the styles and the en-US locale are vendored in
tests/citeproc/csl/ with their licence (CC BY-SA 3.0).  For every constructed record of
tests/test_cite.py (CASES: two, three and four authors, particle and suffix, organisations,
no author, no date, German, Korean and Chinese names and titles, Spanish double surnames,
a plain web page, a page seen on the web) and every style, the two renderings must be
equal once the documented differences below are taken out.  Each difference is a rule with
an id, the style manual's section that justifies warcite's choice, and a transformation
that removes exactly that difference; docs/citeproc-differences.md is the table, and
tests/citeproc/differences.json pins which rules each case needs, so a new difference,
or a listed one that disappears, fails the test.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from test_cite import CASES, WITH_REPLAY
from warcite.cite import Markup, citation_source, cite, csl_item
from warcite.cite.dates import chicago_date, mla_date
from warcite.cite.source import CitationSource

TESTS = Path(__file__).resolve().parent
CITEPROC = TESTS / "citeproc"
CSL = CITEPROC / "csl"
PINNED = CITEPROC / "differences.json"
DOC = TESTS.parent / "docs" / "citeproc-differences.md"
UPDATE = os.environ.get("WARCITE_UPDATE_GOLDEN") == "1"

STYLE_FILES = {
    "apa": "apa.csl",
    "mla": "modern-language-association.csl",
    "chicago-note": "chicago-notes-bibliography-17th-edition.csl",
    "chicago-bib": "chicago-notes-bibliography-17th-edition.csl",
    "chicago-author-date": "chicago-author-date-17th-edition.csl",
}
BIBLIOGRAPHY_STYLES = ("chicago-bib", "chicago-author-date")  # the same archived-copy form


@dataclass(frozen=True)
class Context:
    style: str
    source: CitationSource
    item: dict[str, Any]


@dataclass(frozen=True)
class Rule:
    """One documented difference: ``transform`` takes (warcite, citeproc) and returns them
    with this difference, and only it, removed."""

    id: str
    styles: tuple[str, ...]
    transform: Callable[[str, str, Context], tuple[str, str]]


def _quotes(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    table = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
    return ours, theirs.translate(table)


def _archive(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    archived = context.source.archived
    name, locator = archived.archive_name, archived.locator
    bare = re.sub(r"^https?://", "", locator)
    if context.style == "apa":
        day = f"{chicago_date(archived.date)}"
        ours = ours.replace(f" (archived in {name}, {day}: {locator})", "")
        theirs = theirs.replace(f" {name} ({locator}).", "")
    elif context.style == "mla":
        ours = ours.replace(f" *{name}*, {mla_date(archived.date)}, {bare}.", "")
        theirs = theirs.replace(f", {name}, {locator}", "")
    elif context.style == "chicago-note":
        ours = ours.replace(f", archived {chicago_date(archived.date)}, at {name}, {locator}", "")
        theirs = theirs.replace(f", {locator}, {name}", "")
    else:  # BIBLIOGRAPHY_STYLES
        ours = ours.replace(f" Archived {chicago_date(archived.date)}, at {name}. {locator}.", "")
        capital = locator[:1].upper() + locator[1:]
        theirs = theirs.replace(f" {capital}. {name}.", "")
    return ours, theirs


def _genre(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    genre = context.item.get("genre")
    if not genre:
        return ours, theirs
    mark = re.escape(genre)
    if context.style == "apa":  # "Title? [Op-ed]." -> "Title?"; "Title [Op-ed]." -> "Title."
        theirs = re.sub(rf"([?!.]?) \[{mark}\]\.", lambda m: m.group(1) or ".", theirs, count=1)
    elif context.style == "chicago-note":
        theirs = re.sub(rf" {mark},", "", theirs, count=1)
    else:
        theirs = re.sub(rf" {mark}\.", "", theirs, count=1)
    return ours, theirs


def _apa_news_form(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    if context.item["type"] != "article-newspaper":
        return ours, theirs
    return ours.replace("*", ""), theirs.replace("*", "")


def _site_is_author(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    authors = context.source.authors
    site = context.source.container_title
    if not (len(authors) == 1 and authors[0].literal and site):
        return ours, theirs
    if authors[0].literal.casefold() != site.casefold():
        return ours, theirs
    if context.style == "apa":
        for form in (f" *{site}*.", f" {site}."):
            theirs = theirs.replace(form, "", 1)
    elif context.style == "mla":
        theirs = theirs.removeprefix(f"{authors[0].literal}. ")
    return ours, theirs


def _publisher(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    publisher = context.item.get("publisher")
    if publisher:
        ours = ours.replace(f", {publisher}", "", 1)
    return ours, theirs


def _mla_scheme(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    return ours, re.sub(r"\bhttps?://", "", theirs)


def _no_date(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    if context.source.issued is not None:
        return ours, theirs
    theirs = re.sub(r", n\.d\.(,)?", lambda m: "," if m.group(1) else ".", theirs, count=1)
    return ours, theirs.replace(" Retrieved ", " ", 1)


def _cjk_comma(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    first = context.source.authors[0] if context.source.authors else None
    if first is None or not first.is_cjk or len(context.source.authors) != 2:
        return ours, theirs
    written = f"{first.family_full}{first.given or ''}"
    return ours, theirs.replace(f"{written}, and ", f"{written} and ", 1)


def _particle(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    for name in context.source.authors:
        if name.particle and name.given and name.family:
            theirs = theirs.replace(
                f"{name.family}, {name.given} {name.particle}",
                f"{name.particle} {name.family}, {name.given}",
            )
    return ours, theirs


def _chicago_bib_no_author(ours: str, theirs: str, context: Context) -> tuple[str, str]:
    site = context.source.container_title
    if context.source.authors or not site:
        return ours, theirs
    marked = f"*{site}*" if context.source.periodical else site
    if theirs.startswith(f"{marked}. "):
        theirs = theirs.removeprefix(f"{marked}. ")
        ours = ours.replace(f" {marked}, ", " ", 1).replace(f" {marked}. ", " ", 1)
    return ours, theirs


RULES = (
    Rule("typographic-quotes", ("mla", "chicago-note", *BIBLIOGRAPHY_STYLES), _quotes),
    Rule("archived-copy", ("apa", "mla", "chicago-note", *BIBLIOGRAPHY_STYLES), _archive),
    Rule("genre-printed", ("apa", "mla", "chicago-note", *BIBLIOGRAPHY_STYLES), _genre),
    Rule("apa-news-website-form", ("apa",), _apa_news_form),
    Rule("organisation-is-site", ("apa", "mla"), _site_is_author),
    Rule("publisher-of-site", ("mla", "chicago-note", *BIBLIOGRAPHY_STYLES), _publisher),
    Rule("mla-url-scheme", ("mla",), _mla_scheme),
    Rule("undated", ("apa", "chicago-note", "chicago-bib"), _no_date),
    Rule("uninverted-name-comma", ("mla", *BIBLIOGRAPHY_STYLES), _cjk_comma),
    Rule("particle-position", BIBLIOGRAPHY_STYLES, _particle),
    Rule("chicago-no-author", ("chicago-bib",), _chicago_bib_no_author),
)


def _markdown(rendered: str) -> str:
    text = re.sub(r"</?div[^>]*>", "", rendered).replace("<i>", "*").replace("</i>", "*")
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).split())


def _ours(case: str, style: str) -> str:
    text = cite(CASES[case], style, config=WITH_REPLAY, markup=Markup.MARKDOWN)
    if style == "chicago-note":
        text = re.sub(r"^1\. ", "", text)
    return re.sub(r"\\([\\*_`\[\]])", r"\1", text)


def _node() -> str:
    node = shutil.which("node")
    installed = (CITEPROC / "node_modules" / "citeproc").is_dir()
    if node is None or not installed:
        reason = (
            "node is not installed"
            if node is None
            else "citeproc-js is not installed (run tools/ci-setup.sh: npm ci in tests/citeproc)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run tools/ci-setup.sh")
        pytest.skip(reason)
    return node


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], tuple[str, str, Context]]:
    node = _node()
    jobs, keys = [], []
    for case in CASES:
        item = dict(csl_item(CASES[case], config=WITH_REPLAY), id=case)
        source = citation_source(CASES[case], config=WITH_REPLAY)
        for style, file in STYLE_FILES.items():
            jobs.append(
                {"style": str(CSL / file), "locale": str(CSL / "locales-en-US.xml"), "item": item}
            )
            keys.append((case, style, Context(style, source, item)))
    completed = subprocess.run(
        [node, str(CITEPROC / "render.js")],
        input=json.dumps({"jobs": jobs}),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    results = json.loads(completed.stdout)
    out = {}
    for (case, style, context), result in zip(keys, results, strict=True):
        theirs = result["note"] if style == "chicago-note" else result["bibliography"]
        out[(case, style)] = (_ours(case, style), _markdown(theirs), context)
    return out


def _apply(ours: str, theirs: str, context: Context) -> tuple[str, str, list[str]]:
    fired = []
    for rule in RULES:
        if context.style not in rule.styles:
            continue
        new_ours, new_theirs = rule.transform(ours, theirs, context)
        if (new_ours, new_theirs) != (ours, theirs):
            fired.append(rule.id)
            ours, theirs = new_ours, new_theirs
    return ours, theirs, fired


def test_at_least_fifteen_constructed_records() -> None:
    assert len(CASES) >= 15


def test_every_difference_is_documented_and_pinned(
    rendered: dict[tuple[str, str], tuple[str, str, Context]],
) -> None:
    fired: dict[str, list[str]] = {}
    unexplained = []
    for (case, style), (ours, theirs, context) in sorted(rendered.items()):
        left, right, rules = _apply(ours, theirs, context)
        fired[f"{case} {style}"] = rules
        if left != right:
            unexplained.append(f"{case} {style}:\n  warcite:  {left}\n  citeproc: {right}")
    assert not unexplained, "differences no rule explains:\n" + "\n".join(unexplained)
    if UPDATE:
        PINNED.write_text(json.dumps(fired, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(PINNED.read_text("utf-8")) == fired


def test_the_table_documents_every_rule() -> None:
    table = DOC.read_text("utf-8")
    pinned = json.loads(PINNED.read_text("utf-8"))
    used = {rule for rules in pinned.values() for rule in rules}
    for rule in RULES:
        assert f"`{rule.id}`" in table, f"{rule.id} is not in {DOC.name}"
    assert used <= {rule.id for rule in RULES}
    # the table's pair counts are the pinned ones
    counts = {
        match[1]: int(match[2])
        for match in re.finditer(r"^\| `([a-z-]+)` \| [^|]+ \| (\d+) \|", table, re.M)
    }
    expected = {rule: sum(rule in rules for rules in pinned.values()) for rule in used}
    assert counts == expected
    assert f"{len(pinned)} pairs." in table and f"({len(CASES)} records:" in table


def test_the_rules_are_narrow(rendered: dict[tuple[str, str], tuple[str, str, Context]]) -> None:
    """A rule removes its difference only: warcite's own name, title and date survive it."""
    for (case, style), (ours, theirs, context) in rendered.items():
        left, right, _ = _apply(ours, theirs, context)
        word = context.source.title.split()[0].strip('"?!.')
        for text in (left, right):
            assert word in text, (case, style)
            if context.source.issued is not None and style != "apa":
                issued = context.source.issued
                when = mla_date(issued) if style == "mla" else chicago_date(issued)
                if style == "chicago-author-date":  # the year leads; a page's day is "May 2"
                    when = str(issued.year)
                assert when in text, (case, style)
            if context.source.authors and style != "chicago-note":
                assert context.source.authors[0].family_full.split()[0] in text, (case, style)

"""Extraction benchmark: warcite against trafilatura and readability-lxml, in the same run.

Usage (from the project root, with the ``bench`` extra installed)::

    python bench/extraction.py [--sources wcxb,readability] [--data FOLDER] [--limit N]
                               [--worst K] [--tools warcite,trafilatura,readability] [--json]

Two development sets, scored and reported separately (``SOURCES``): ``wcxb``
(``../shared/extraction-dev``, WCXB, the Web Content Extraction Benchmark by Murrough Foley,
github.com/Murrough-Foley/web-content-extraction-benchmark, CC BY 4.0) and ``readability``
(``../shared/extraction-dev-readability``, Mozilla Readability's test pages with their
expected output, Apache 2.0).  Every page is gunzipped; warcite gets the bytes (so its timing
includes its own decoding), trafilatura and readability the decoded text.  The tools run in
this one process, interleaved page by page (each in turn on each page, the order rotating),
after one untimed warm-up call each; pages per second is pages divided by the tool's total
time, and the speed ratio warcite/trafilatura is printed.  Scores follow each set's README
(see ``bench/scoring.py``): precision, recall, F1 from the averages, share of pages with
F1 >= 0.9, and title, author and date accuracy over the pages whose truth has that field.
trafilatura's metadata is its own (``bare_extraction`` with metadata); readability gives a
title only; "n/a" where a tool gives none.  readability's HTML is turned into text blocks the
same way for every block element (and so is the Readability set's expected HTML).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.scoring import (  # noqa: E402
    TextScore,
    authors_match,
    byline_matches,
    date_matches,
    score_text,
    summarize_text,
    title_matches,
    tokens,
)

#: ../shared beside the project, or the folder named by WARCITE_SHARED (a worktree elsewhere)
SHARED = Path(os.environ.get("WARCITE_SHARED") or PROJECT_ROOT.parent / "shared")
TOOLS = ("warcite", "trafilatura", "readability")
#: The URL the Readability test pages are fed with (the one Mozilla's own test suite uses).
READABILITY_TEST_URL = "http://fakehost/test/page.html"


@dataclass(frozen=True)
class Source:
    """One development set: where it lives, how it is cited, how its truth is read."""

    name: str
    folder: str
    attribution: str


SOURCES: dict[str, Source] = {
    "wcxb": Source(
        "wcxb",
        "extraction-dev",
        "WCXB, the Web Content Extraction Benchmark (Murrough Foley, "
        "github.com/Murrough-Foley/web-content-extraction-benchmark), CC BY 4.0; "
        "300-page sample in ../shared/extraction-dev",
    ),
    "readability": Source(
        "readability",
        "extraction-dev-readability",
        "Mozilla Readability's test pages (github.com/mozilla/readability, test/test-pages, "
        "snapshot ab4027a8), Apache License 2.0; 130 pages in "
        "../shared/extraction-dev-readability",
    ),
}
DEFAULT_SOURCES = ("wcxb", "readability")


@dataclass(frozen=True)
class Page:
    """One dev page: its served bytes, warcite-decoded text, and ground truth.

    ``truth`` has ``title``, ``authors`` (a list of names, a display byline, or None),
    ``date``, ``body`` (paragraphs separated by blank lines) and ``article`` (False for a
    page the set says is not an article: its body is not scored, the tool should give none).
    """

    id: str
    url: str
    body: bytes
    html: str
    truth: dict[str, Any]
    source: str = "wcxb"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Output:
    """What one tool gave for one page (None: the tool does not give that field)."""

    text: str
    title: str | None
    authors: list[str] | None
    date: str | None
    error: str | None = None


@dataclass
class ToolResult:
    """Per-page outputs and timing of one tool."""

    name: str
    gives_title: bool
    gives_authors: bool
    gives_date: bool
    outputs: dict[str, Output] = field(default_factory=dict)
    seconds: float = 0.0


def load_pages(data: Path, limit: int | None = None) -> list[Page]:
    """The WCXB dev pages (``../shared/extraction-dev``) with their truth."""
    from warcite.core.decode import decode_body

    truths = [
        json.loads(line)
        for line in (data / "truth.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if limit is not None:
        truths = truths[:limit]
    pages = []
    for truth in truths:
        served = gzip.decompress((data / "pages" / f"{truth['id']}.html.gz").read_bytes())
        html = decode_body(served).text
        truth = dict(truth, article=True)
        pages.append(Page(truth["id"], truth["url"], served, html, truth, "wcxb"))
    return pages


def load_readability_pages(data: Path, limit: int | None = None) -> list[Page]:
    """Mozilla Readability's test pages with their expected output, as truth.

    The body truth is ``expected.html`` turned into text blocks (:func:`html_to_blocks`, the
    README's "block elements separated by newlines"); the byline is kept as the display
    string it is (scored with :func:`bench.scoring.byline_matches`); the date is
    ``publishedTime``; ``readerable: false`` pages are not articles.
    """
    folders = sorted(path for path in (data / "pages").iterdir() if path.is_dir())
    if limit is not None:
        folders = folders[:limit]
    pages = []
    for folder in folders:
        served = gzip.decompress((folder / "source.html.gz").read_bytes())
        expected = gzip.decompress((folder / "expected.html.gz").read_bytes()).decode("utf-8")
        metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        truth = {
            "id": folder.name,
            "title": metadata.get("title") or None,
            "byline": metadata.get("byline") or None,
            "date": metadata.get("publishedTime") or None,
            "body": html_to_blocks(expected),
            "article": bool(metadata.get("readerable", True)),
        }
        # The pages are UTF-8 (the README says so): served as such, with the header.
        html = served.decode("utf-8", "replace")
        pages.append(
            Page(
                folder.name,
                READABILITY_TEST_URL,
                served,
                html,
                truth,
                "readability",
                (("Content-Type", "text/html; charset=utf-8"),),
            )
        )
    return pages


def load_source(name: str, data: Path | None = None, limit: int | None = None) -> list[Page]:
    """The pages of one development set (``data`` overrides its folder under ../shared)."""
    folder = data if data is not None else SHARED / SOURCES[name].folder
    if name == "readability":
        return load_readability_pages(folder, limit)
    return load_pages(folder, limit)


def run_warcite(page: Page) -> Output:
    from warcite.core.errors import ExtractionError
    from warcite.extract import extract

    try:
        result = extract(page.body, url=page.url, headers=page.headers)
    except ExtractionError as error:
        return Output("", None, None, None, error=str(error))
    return Output(
        text=result.text,
        title=result.title.value if result.title else None,
        authors=[person.name for person in result.authors],
        date=result.published.value if result.published else None,
    )


def run_trafilatura(page: Page) -> Output:
    import trafilatura

    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if document is None:
        return Output("", None, None, None, error="no output")
    authors = getattr(document, "author", None)
    return Output(
        text=getattr(document, "text", None) or "",
        title=getattr(document, "title", None),
        authors=[authors] if authors else [],
        date=getattr(document, "date", None),
    )


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "br",
        "hr",
        "main",
        "aside",
    ]
)


def html_to_blocks(fragment: str) -> str:
    """Text of an HTML fragment with a blank line at every block element's edges."""
    from lxml import html as lxml_html

    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n\n")

    walk(root)
    blocks = (" ".join(chunk.split()) for chunk in "".join(parts).split("\n\n"))
    return "\n\n".join(block for block in blocks if block)


def run_readability(page: Page) -> Output:
    from readability import Document  # type: ignore[import-untyped]

    document = Document(page.html, url=page.url)
    return Output(
        text=html_to_blocks(document.summary(html_partial=True)),
        title=document.short_title() or None,
        authors=None,
        date=None,
    )


#: A tool that gives fewer words than this for a page that is not an article gave no body.
NON_ARTICLE_MAX_WORDS = 30

RUNNERS: dict[str, tuple[Callable[[Page], Output], bool, bool, bool]] = {
    # name: (runner, gives title, gives authors, gives date)
    "warcite": (run_warcite, True, True, True),
    "trafilatura": (run_trafilatura, True, True, True),
    "readability": (run_readability, True, False, False),
}


def run_tool(name: str, pages: Sequence[Page]) -> ToolResult:
    """Run one tool over every page, timing the extraction calls only."""
    return run_interleaved([name], pages)[name]


def run_interleaved(names: Sequence[str], pages: Sequence[Page]) -> dict[str, ToolResult]:
    """Run the tools page by page, one after another on each page, timing each call.

    Interleaving gives every tool the same machine state (caches, load from other
    processes) over the run, so the pages-per-second ratio between tools is fair on a busy
    machine.  The order of the tools rotates from page to page.  One untimed warm-up call
    per tool comes first (imports and lazy initialisation are not extraction).
    """
    results: dict[str, ToolResult] = {}
    for name in names:
        _runner, gives_title, gives_authors, gives_date = RUNNERS[name]
        results[name] = ToolResult(name, gives_title, gives_authors, gives_date)
    if pages:
        for name in names:
            with contextlib.suppress(Exception):  # a failure is scored on the timed run
                RUNNERS[name][0](pages[0])
    for index, page in enumerate(pages):
        shift = index % len(names) if names else 0
        for name in [*names[shift:], *names[:shift]]:
            runner = RUNNERS[name][0]
            started = time.perf_counter()
            try:
                output = runner(page)
            except Exception as error:  # a crash is scored as no output, and counted
                output = Output("", None, None, None, error=f"{type(error).__name__}: {error}")
            results[name].seconds += time.perf_counter() - started
            results[name].outputs[page.id] = output
    return results


def _accuracy(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(result: ToolResult, pages: Sequence[Page]) -> dict[str, Any]:
    """The table row of one tool over ``pages`` (all from one source).

    Body scores count the article pages; ``non_articles`` is how many of the pages the set
    marks as not articles the tool answered with no body (an error, or fewer than
    :data:`NON_ARTICLE_MAX_WORDS` words).
    """
    articles = [p for p in pages if p.truth.get("article", True)]
    others = [p for p in pages if not p.truth.get("article", True)]
    scores = [score_text(result.outputs[p.id].text, p.truth.get("body")) for p in articles]
    text = summarize_text(scores)
    titles = [
        title_matches(result.outputs[p.id].title, p.truth["title"], display=p.source != "wcxb")
        for p in pages
        if p.truth.get("title")
    ]
    authors = [
        (
            byline_matches(result.outputs[p.id].authors, p.truth["byline"])
            if "byline" in p.truth
            else authors_match(result.outputs[p.id].authors, p.truth["authors"])
        )
        for p in pages
        if p.truth.get("byline") or p.truth.get("authors")
    ]
    dates = [
        date_matches(result.outputs[p.id].date, p.truth["date"])
        for p in pages
        if p.truth.get("date")
    ]
    return {
        "tool": result.name,
        "pages": len(pages),
        "articles": len(articles),
        "precision": text.precision,
        "recall": text.recall,
        "f1": text.f1,
        "share_f1_ge_0_9": text.share_f1_at_least_0_9,
        "title_accuracy": _accuracy(titles) if result.gives_title else None,
        "author_accuracy": _accuracy(authors) if result.gives_authors else None,
        "date_accuracy": _accuracy(dates) if result.gives_date else None,
        "non_articles": len(others),
        "non_articles_recognised": sum(
            1
            for p in others
            if result.outputs[p.id].error
            or len(tokens(result.outputs[p.id].text)) < NON_ARTICLE_MAX_WORDS
        ),
        "seconds": result.seconds,
        "pages_per_second": len(pages) / result.seconds if result.seconds else None,
        "errors": sum(1 for p in pages if result.outputs[p.id].error),
    }


def worst_pages(
    result: ToolResult, pages: Sequence[Page], count: int
) -> list[tuple[Page, TextScore, Output]]:
    """The ``count`` article pages with the lowest F1 for ``result``."""
    scored = [
        (page, score_text(result.outputs[page.id].text, page.truth.get("body")))
        for page in pages
        if page.truth.get("article", True)
    ]
    scored.sort(key=lambda item: item[1].f1)
    return [(page, score, result.outputs[page.id]) for page, score in scored[:count]]


def _cell(value: float | None, percent: bool = True) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:.1f}" if percent else f"{value:.1f}"


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """The results as a fixed-width text table (percentages, pages per second)."""
    header = (
        f"{'tool':<12} {'P':>6} {'R':>6} {'F1':>6} {'F1>=.9':>7} "
        f"{'title':>6} {'author':>7} {'date':>6} {'pages/s':>8} {'errors':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['tool']:<12} {_cell(row['precision']):>6} {_cell(row['recall']):>6} "
            f"{_cell(row['f1']):>6} {_cell(row['share_f1_ge_0_9']):>7} "
            f"{_cell(row['title_accuracy']):>6} {_cell(row['author_accuracy']):>7} "
            f"{_cell(row['date_accuracy']):>6} "
            f"{_cell(row['pages_per_second'], percent=False):>8} {row['errors']:>6}"
        )
    return "\n".join(lines)


def speed_ratio(rows: Sequence[dict[str, Any]], other: str) -> float | None:
    """warcite's pages per second divided by ``other``'s (the same pages, interleaved)."""
    seconds = {row["tool"]: row["seconds"] for row in rows}
    if "warcite" not in seconds or other not in seconds or not seconds["warcite"]:
        return None
    return float(seconds[other] / seconds["warcite"])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print one table per source (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sources",
        default=",".join(DEFAULT_SOURCES),
        help="comma-separated development sets: " + ", ".join(SOURCES),
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="the folder of the set (with one source only)"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="print warcite's K worst pages")
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated subset of " + ", ".join(TOOLS)
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    options = parser.parse_args(argv)

    names = [name.strip() for name in options.tools.split(",") if name.strip()]
    unknown = [name for name in names if name not in RUNNERS]
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}")
    sources = [name.strip() for name in options.sources.split(",") if name.strip()]
    unknown = [name for name in sources if name not in SOURCES]
    if unknown:
        parser.error(f"unknown source(s): {', '.join(unknown)}")
    if options.data is not None and len(sources) != 1:
        parser.error("--data names the folder of one source: give --sources too")
    for name in sources:
        folder = options.data or SHARED / SOURCES[name].folder
        if not (folder / "pages").is_dir():
            parser.error(f"{folder} does not hold the {name} development set (no pages/)")

    report: dict[str, Any] = {"sources": {}}
    all_pages: list[Page] = []
    all_results: dict[str, ToolResult] = {
        name: ToolResult(name, *RUNNERS[name][1:]) for name in names
    }
    for source in sources:
        pages = load_source(source, options.data, options.limit)
        results = run_interleaved(names, pages)
        rows = [summarize(results[name], pages) for name in names]
        worst: list[dict[str, Any]] = []
        if options.worst and "warcite" in results:
            for page, score, output in worst_pages(results["warcite"], pages, options.worst):
                worst.append(
                    {
                        "id": page.id,
                        "url": page.url,
                        "f1": score.f1,
                        "precision": score.precision,
                        "recall": score.recall,
                        "error": output.error,
                    }
                )
        report["sources"][source] = {
            "attribution": SOURCES[source].attribution,
            "rows": rows,
            "worst": worst,
            "speed_vs_trafilatura": speed_ratio(rows, "trafilatura"),
        }
        all_pages.extend(pages)
        for name in names:
            all_results[name].seconds += results[name].seconds
            all_results[name].outputs.update(
                {f"{source}/{key}": value for key, value in results[name].outputs.items()}
            )
    seconds = {name: all_results[name].seconds for name in names}
    total_rows = [
        {"tool": name, "seconds": seconds[name], "pages": len(all_pages)} for name in names
    ]
    report["speed_vs_trafilatura"] = speed_ratio(total_rows, "trafilatura")
    report["speed_vs_readability"] = speed_ratio(total_rows, "readability")
    report["pages_per_second"] = {
        name: (len(all_pages) / seconds[name] if seconds[name] else None) for name in names
    }

    if options.json:
        print(json.dumps(report, indent=2))
        return 0
    print("P, R, F1: 4-token shingles, per-page averages; accuracies in %; n/a: not given.")
    print("Tools run interleaved, page by page, in this one process.")
    for source, part in report["sources"].items():
        rows = part["rows"]
        print(f"\n{source}: {rows[0]['pages'] if rows else 0} pages.  Data: {part['attribution']}.")
        print(format_table(rows))
        for row in rows:
            if row["non_articles"]:
                print(
                    f"  {row['tool']}: {row['non_articles_recognised']} of "
                    f"{row['non_articles']} non-article pages answered without a body"
                )
        if part["speed_vs_trafilatura"] is not None:
            print(
                f"  speed: warcite {part['speed_vs_trafilatura']:.2f}x trafilatura's pages/s "
                "on this set (interleaved, same process)"
            )
        for item in part["worst"]:
            print(
                f"  worst: {item['id']}  F1 {item['f1']:.3f}  P {item['precision']:.3f}  "
                f"R {item['recall']:.3f}  {item['url']}"
                + (f"  [{item['error']}]" if item["error"] else "")
            )
    print()
    for name in names:
        rate = report["pages_per_second"][name]
        print(f"{name}: {_cell(rate, percent=False)} pages/s over {len(all_pages)} pages")
    ratio = report["speed_vs_trafilatura"]
    if ratio is not None:
        print(f"speed: warcite {ratio:.2f}x trafilatura's pages/s (interleaved, same pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Extraction benchmark: warcite against trafilatura and readability-lxml, in the same run.

Usage (from the project root, with the ``bench`` extra installed)::

    python bench/extraction.py [--data ../shared/extraction-dev] [--limit N] [--worst K]
                               [--tools warcite,trafilatura,readability] [--json]

Every page (``pages/<id>.html.gz``, the served bytes gzipped) is gunzipped and decoded with
warcite's own :func:`warcite.extract.decode.decode_body`; trafilatura and readability get the
decoded text, warcite gets the bytes (so its timing includes its own decoding).  Each tool
runs on every page one after another in this process, after one untimed warm-up call (for
imports); pages per second is pages divided by the tool's total time.  Scores follow the dev set's README (see ``bench/scoring.py``):
precision, recall, F1 from the averages, share of pages with F1 >= 0.9, and title, author and
date accuracy over the pages whose truth has that field.  trafilatura's metadata is its own
(``bare_extraction`` with metadata); readability gives a title only; "n/a" where a tool gives
none.  readability's HTML is turned into text blocks the same way for every block element.

The data set: WCXB, the Web Content Extraction Benchmark by Murrough Foley
(github.com/Murrough-Foley/web-content-extraction-benchmark), licensed CC BY 4.0.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
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
    date_matches,
    score_text,
    summarize_text,
    title_matches,
)

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "extraction-dev"
ATTRIBUTION = (
    "Data: WCXB, the Web Content Extraction Benchmark (Murrough Foley, "
    "github.com/Murrough-Foley/web-content-extraction-benchmark), CC BY 4.0; "
    "300-page sample in ../shared/extraction-dev."
)
TOOLS = ("warcite", "trafilatura", "readability")


@dataclass(frozen=True)
class Page:
    """One dev page: its served bytes, warcite-decoded text, and ground truth."""

    id: str
    url: str
    body: bytes
    html: str
    truth: dict[str, Any]


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
    """The dev pages with their truth, decoded with warcite's decoder."""
    from warcite.extract.decode import decode_body

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
        pages.append(Page(truth["id"], truth["url"], served, html, truth))
    return pages


def run_warcite(page: Page) -> Output:
    from warcite.errors import ExtractionError
    from warcite.extract import extract

    try:
        result = extract(page.body, url=page.url)
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


RUNNERS: dict[str, tuple[Callable[[Page], Output], bool, bool, bool]] = {
    # name: (runner, gives title, gives authors, gives date)
    "warcite": (run_warcite, True, True, True),
    "trafilatura": (run_trafilatura, True, True, True),
    "readability": (run_readability, True, False, False),
}


def run_tool(name: str, pages: Sequence[Page]) -> ToolResult:
    """Run one tool over every page, timing the extraction calls only."""
    runner, gives_title, gives_authors, gives_date = RUNNERS[name]
    result = ToolResult(name, gives_title, gives_authors, gives_date)
    if pages:  # warm-up, untimed: imports and lazy initialisation are not extraction
        with contextlib.suppress(Exception):  # a failure is scored below, on the timed run
            runner(pages[0])
    for page in pages:
        started = time.perf_counter()
        try:
            output = runner(page)
        except Exception as error:  # a crash in a third-party tool is scored as no output
            output = Output("", None, None, None, error=f"{type(error).__name__}: {error}")
        result.seconds += time.perf_counter() - started
        result.outputs[page.id] = output
    return result


def _accuracy(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(result: ToolResult, pages: Sequence[Page]) -> dict[str, Any]:
    """The table row of one tool."""
    scores = [score_text(result.outputs[p.id].text, p.truth.get("body")) for p in pages]
    text = summarize_text(scores)
    titles = [
        title_matches(result.outputs[p.id].title, p.truth["title"])
        for p in pages
        if p.truth.get("title")
    ]
    authors = [
        authors_match(result.outputs[p.id].authors, p.truth["authors"])
        for p in pages
        if p.truth.get("authors")
    ]
    dates = [
        date_matches(result.outputs[p.id].date, p.truth["date"])
        for p in pages
        if p.truth.get("date")
    ]
    return {
        "tool": result.name,
        "pages": len(pages),
        "precision": text.precision,
        "recall": text.recall,
        "f1": text.f1,
        "share_f1_ge_0_9": text.share_f1_at_least_0_9,
        "title_accuracy": _accuracy(titles) if result.gives_title else None,
        "author_accuracy": _accuracy(authors) if result.gives_authors else None,
        "date_accuracy": _accuracy(dates) if result.gives_date else None,
        "pages_per_second": len(pages) / result.seconds if result.seconds else None,
        "errors": sum(1 for p in pages if result.outputs[p.id].error),
    }


def worst_pages(
    result: ToolResult, pages: Sequence[Page], count: int
) -> list[tuple[Page, TextScore, Output]]:
    """The ``count`` pages with the lowest F1 for ``result``."""
    scored = [
        (page, score_text(result.outputs[page.id].text, page.truth.get("body")), page)
        for page in pages
    ]
    scored.sort(key=lambda item: item[1].f1)
    return [(page, score, result.outputs[page.id]) for page, score, _ in scored[:count]]


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the dev set folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="print warcite's K worst pages")
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated subset of " + ", ".join(TOOLS)
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args(argv)

    names = [name.strip() for name in options.tools.split(",") if name.strip()]
    unknown = [name for name in names if name not in RUNNERS]
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}")
    if not (options.data / "truth.jsonl").exists():
        parser.error(f"{options.data} does not hold the dev set (truth.jsonl is missing)")

    pages = load_pages(options.data, options.limit)
    results = {name: run_tool(name, pages) for name in names}
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

    if options.json:
        print(json.dumps({"attribution": ATTRIBUTION, "rows": rows, "worst": worst}, indent=2))
        return 0
    print(f"Extraction benchmark: {len(pages)} pages.  {ATTRIBUTION}")
    print("P, R, F1: 4-token shingles, per-page averages; accuracies in %; n/a: not given.")
    print(format_table(rows))
    if worst:
        print(f"\nwarcite's {len(worst)} worst pages:")
        for item in worst:
            print(
                f"  {item['id']}  F1 {item['f1']:.3f}  P {item['precision']:.3f}  "
                f"R {item['recall']:.3f}  {item['url']}"
                + (f"  [{item['error']}]" if item["error"] else "")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

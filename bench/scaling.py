"""Scaling benchmark: is extraction near-linear in page size, whatever the page holds?

Usage (from the project root)::

    python bench/scaling.py [--kinds paras,metas,...] [--sizes 1000,10000,100000] [--repeat 3]

For each kind of generated page (many paragraphs, many author metas, many identical author
metas, many JSON-LD blocks, many author links, many bylines, a huge attribute value, deep
JSON-LD) and each size, :func:`warcite.extract.extract` runs ``--repeat`` times on the
same bytes (the best time counts, after one untimed warm-up for imports).  Every row is
compared with the smallest size of the same kind in this run: ``size x`` is how many times
larger the page is, ``time x`` how many times slower the extraction; ``time/size`` is their
ratio, about 1 for linear work and growing with the size for quadratic work (a quadratic
hotspot at 10x the size shows ~10).  Nothing is compared with numbers from another machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT / "tools"))

from warcite.core.errors import ExtractionError  # noqa: E402
from warcite.extract import extract  # noqa: E402

PROSE = "<p>" + "Some article text is here, long enough to read as prose. " * 20 + "</p>"


def _page(head: str, body: str) -> bytes:
    return (
        f"<html><head><title>Scaling</title>{head}</head><body><article><h1>Scaling</h1>"
        f"{PROSE}{body}</article></body></html>"
    ).encode()


def _json_ld(value: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


PAGES: dict[str, Callable[[int], bytes]] = {
    "paras": lambda n: _page(
        "",
        "".join(f"<p>Paragraph {i} has a few words, enough for a sentence.</p>" for i in range(n)),
    ),
    "metas": lambda n: _page(
        "".join(f'<meta name="author" content="Author{i} Person{i}">' for i in range(n)), ""
    ),
    "same-metas": lambda n: _page('<meta name="author" content="Jane Doe">' * n, ""),
    "json-ld": lambda n: _page(
        "".join(
            _json_ld({"@type": "NewsArticle", "headline": f"H{i}", "author": {"name": f"W{i} N"}})
            for i in range(n)
        ),
        "",
    ),
    "links": lambda n: _page(
        "",
        "".join(f'<a href="/author/person-{i}" rel="author">Person {i}</a>' for i in range(n)),
    ),
    "bylines": lambda n: _page(
        "", "".join(f'<span class="byline">By Person{i} Name{i}</span>' for i in range(n))
    ),
    "attribute": lambda n: _page("", f'<div class="{"x" * (n * 50)}">.</div>'),
    "deep-json-ld": lambda n: _page(
        f'<script type="application/ld+json">{"[" * n}{"]" * n}</script>', ""
    ),
}

HEADERS = (("Content-Type", "text/html; charset=utf-8"),)


def _time(data: bytes, repeat: int) -> tuple[float, str]:
    best = float("inf")
    status = "ok"
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            extract(data, headers=HEADERS)
        except ExtractionError as error:
            status = f"ExtractionError: {str(error)[:50]}"
        best = min(best, time.perf_counter() - start)
    return best, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(PAGES))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",")]
    extract(PAGES["paras"](10), headers=HEADERS)  # warm-up: imports
    print(
        f"{'kind':<13}{'elements':>9}{'bytes':>12}{'seconds':>9}{'size x':>8}"
        f"{'time x':>8}{'time/size':>10}  status"
    )
    worst = 0.0
    for kind in options.kinds.split(","):
        base: tuple[int, float] | None = None
        for size in sizes:
            data = PAGES[kind](size)
            seconds, status = _time(data, options.repeat)
            if base is None:
                base = (len(data), seconds)
                ratios = ("", "", "")
            else:
                size_x = len(data) / base[0]
                time_x = seconds / max(base[1], 1e-6)
                worst = max(worst, time_x / size_x)
                ratios = (f"{size_x:.1f}", f"{time_x:.1f}", f"{time_x / size_x:.2f}")
            print(
                f"{kind:<13}{size:>9}{len(data):>12}{seconds:>9.3f}{ratios[0]:>8}"
                f"{ratios[1]:>8}{ratios[2]:>10}  {status}"
            )
    print(f"worst time/size ratio: {worst:.2f} (about 1: linear; about the size factor: quadratic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Memory benchmark: peak memory of extracting one large HTML page, as a multiple of the page.

Usage (from the project root)::

    python bench/extraction_memory.py [--sizes 10,30,60] [--kinds dense,prose]
                                      [--paths streamed,cli,text] [--before REV] [--warm]

For each kind and size (MiB of generated article markup, with an em dash and curly quotes
in the text), a WARC holding the page as an HTTP response is written to a temporary folder.  Each
extraction then runs in a fresh child interpreter, which imports warcite, notes its peak
resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``: the idle baseline), reads the
page and extracts it; the report is the child's final peak minus that baseline, and its ratio
to the page size.  Two paths are measured in the same run:

``streamed``
    what ``warcite extract`` does: ``read_page`` then ``extract_page`` (the HTML is decoded
    and fed to the parser in pieces, never held as one decoded string).
``cli``
    ``warcite extract WARC`` (JSON to standard output, here ``/dev/null``), in the child.
``text``
    the path every page took before (and a caller with a decoded ``str`` still takes):
    ``read_page``, ``decode_body`` to one ``str``, then ``extract_html`` on it.

``--before REV`` adds, first, the ``streamed`` and ``cli`` paths of warcite as of revision ``REV``
(its ``tools/`` exported with ``git archive`` to a temporary folder): the before and after
of a change, on the same pages in the same run.  Two kinds of page are generated (``--kinds``):
``dense`` markup (many elements per kilobyte, as on a news site) and ``prose`` (long plain
paragraphs).  ``--warm`` reads and extracts a small page in each child before its baseline,
leaving out of the ratio what a first page costs whatever its size.  Nothing is compared
with numbers from another machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

MIB = 1024 * 1024

_CHILD = r"""
import gc, json, resource, sys
sys.path.insert(0, sys.argv[3])
from warcite.core.warc.pages import read_page
from warcite.core.decode import decode_body
from warcite.extract import extract_page
from warcite.extract.html import extract_html
import warcite.cli.capture  # the CLI's modules count in the baseline too
if len(sys.argv) > 4:  # --warm: what a first page costs whatever its size, in the baseline
    extract_page(read_page(sys.argv[4]))
gc.collect()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path, mode = sys.argv[1], sys.argv[2]
peak = None
if mode == "cli":
    import os
    from warcite.cli import cli
    saved = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    cli.main(["extract", path], standalone_mode=False)
    sys.stdout.flush()
    os.dup2(saved, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    extraction = extract_page(read_page(path))  # after the peak: for the text check only
elif mode == "streamed":
    extraction = extract_page(read_page(path))
else:
    page = read_page(path)
    document = decode_body(page.body, headers=page.headers)
    extraction = extract_html(document.text, url=page.url, headers=page.headers,
                              charset=document.charset, media_type=document.media_type)
    del page, document
peak = peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"baseline_kib": baseline, "peak_kib": peak,
                  "chars": len(extraction.text), "paragraphs": len(extraction.paragraphs)}))
"""

_NAV = (
    '<header class="site-header"><a href="/">The Valley Courier</a><nav class="main-nav"><ul>'
    + "".join(
        f'<li><a href="/section/{s}">{s.title()}</a></li>'
        for s in ("news", "politics", "science", "culture", "sport", "opinion")
    )
    + "</ul></nav></header>"
)

_SECTION = (
    "<h2>Part {n}: what the survey found along the river</h2>"
    "<p>After an absence of almost forty years, river otters have been seen again along the "
    "upper reaches of the valley \u2014 wildlife officials said on Tuesday, citing "
    '<a href="/2024/otters-{n}">a survey</a> that counted fresh tracks at {n} sites. '
    "\u201cWe were not sure we would ever see them here,\u201d said the county\u2019s "
    "ecologist, <em>who led the count</em>.</p>"
    "<p>Volunteers counted fresh tracks at six sites along the river this winter, and a camera "
    "trap near the old mill filmed a family of three swimming upstream at dusk. The mill pond, "
    "drained in the 1980s, was restored in 2019 with money from a regional fund.</p>"
    "<ul><li>Six sites with fresh tracks</li><li>Three animals on camera</li>"
    "<li>One den under the old footbridge</li></ul>"
    '<table class="data"><tr><th>Site</th><th>Tracks</th></tr><tr><td>Mill pond</td>'
    "<td>{n}</td></tr><tr><td>Footbridge</td><td>4</td></tr></table>"
    "<blockquote><p>The return of a top predator is a sign that the water is clean enough to "
    "hold the fish they eat.</p></blockquote>"
    '<div class="share-tools"><a href="#">Share</a> <a href="#">Tweet</a></div>'
)


_PROSE = (
    "<p>After an absence of almost forty years, river otters have been seen again along the "
    "upper reaches of the valley \u2014 wildlife officials said on Tuesday. Volunteers counted "
    "fresh tracks at six sites along the river this winter, and a camera trap near the old "
    "mill filmed a family of three swimming upstream at dusk. The mill pond, drained in the "
    "1980s, was restored in 2019 with money from a regional fund; the county\u2019s ecologist "
    "said the water is now clean enough to hold the fish the otters eat.</p>\n"
)


def make_page(size: int, kind: str = "dense") -> bytes:
    """About ``size`` bytes of article markup (UTF-8, with a few non-Latin-1 characters).

    ``dense``: sections of short paragraphs with links, emphasis, lists, tables, quotes and
    share widgets (many elements per kilobyte, as on a news site); ``prose``: long plain
    paragraphs (few elements per kilobyte, as in a long report)."""
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Otters return to the upper valley</title>"
        '<meta property="og:title" content="Otters return to the upper valley">'
        '<meta name="author" content="Jane Doe">'
        "<script>window.dataLayer = window.dataLayer || [];</script>"
        "</head><body>" + _NAV + "<main><article><h1>Otters return to the upper valley</h1>"
        '<p class="byline">By Jane Doe</p>'
    ).encode()
    tail = (
        '</article></main><footer class="site-footer"><p>\u00a9 2024 The Valley Courier</p>'
        "</footer></body></html>"
    ).encode()
    parts = [head]
    total = len(head) + len(tail)
    n = 0
    while total < size:
        section = (_SECTION.format(n=n) if kind == "dense" else _PROSE).encode()
        parts.append(section)
        total += len(section)
        n += 1
    parts.append(tail)
    return b"".join(parts)


def write_warc(path: Path, body: bytes) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        http_headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            "https://example.org/2024/otters",
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
        )
        writer.write_record(record)


def generate(path: Path, size: int, kind: str) -> int:
    """Write the page's WARC in a child (Linux keeps a parent's peak RSS across exec: a
    parent that held the page would raise every child's baseline); its size in bytes."""
    code = (
        f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); from pathlib import Path; "
        "from bench.extraction_memory import make_page, write_warc; "
        f"body = make_page({size}, {kind!r}); write_warc(Path({str(path)!r}), body); print(len(body))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return int(completed.stdout.strip())


def measure(
    path: Path, mode: str, tools: Path = PROJECT_ROOT / "tools", warm: Path | None = None
) -> dict[str, int]:
    """One extraction in a fresh child, warcite imported from ``tools``; with ``warm`` (a
    small page's WARC), that page is read and extracted before the baseline is taken."""
    arguments = [str(path), mode, str(tools)] + ([str(warm)] if warm is not None else [])
    try:
        return run_child(_CHILD, arguments)
    except RuntimeError as error:
        raise SystemExit(f"the {mode} extraction of {path} failed:\n{error}") from None


def run_child(code: str, arguments: list[str]) -> dict[str, int]:
    """Run ``code`` in a fresh interpreter with ``arguments``; the JSON object it prints
    last (RuntimeError with its standard error when it fails)."""
    completed = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr)
    result: dict[str, int] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def export_tools(revision: str, folder: Path) -> Path:
    """warcite's ``tools/`` as of git ``revision``, exported into ``folder``; its path."""
    archive = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "archive", revision, "tools"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "tools"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10,30,60", help="page sizes in MiB (default 10,30,60)")
    parser.add_argument("--kinds", default="dense,prose", help="page kinds (dense, prose)")
    parser.add_argument("--paths", default="streamed,cli,text", help="paths to measure")
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also measure warcite as of git revision REV (its tools/ exported to a temporary "
        "folder), reading the page the way that revision's extract_page did",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="read and extract a 50 kB page in each child before its baseline is taken, so "
        "that what a first page costs whatever its size (modules imported on first use, "
        "compiled patterns, buffers: about 20 MiB) is not counted in the ratio",
    )
    args = parser.parse_args(argv)
    sizes = [float(value) for value in args.sizes.split(",")]
    runs: list[tuple[str, str, Path]] = [
        (mode, mode, PROJECT_ROOT / "tools") for mode in args.paths.split(",")
    ]
    print(
        f"{'kind':>6} {'page MiB':>9} {'path':>16} {'baseline MiB':>13} {'peak - baseline MiB':>20} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as folder:
        if args.before:
            export = Path(folder) / "before"
            export.mkdir()
            tools = export_tools(args.before, export)
            before = [mode for mode in ("streamed", "cli") if mode in args.paths.split(",")]
            runs[:0] = [(f"{mode}@{args.before[:7]}", mode, tools) for mode in before]
        warm = None
        if args.warm:
            warm = Path(folder) / "warm.warc"
            generate(warm, 50_000, "dense")
        for kind, size in ((kind, size) for kind in args.kinds.split(",") for size in sizes):
            path = Path(folder) / f"page-{kind}-{size:g}.warc"
            page_mib = generate(path, int(size * MIB), kind) / MIB
            texts = set()
            for label, mode, tools in runs:
                result = measure(path, mode, tools, warm)
                used = (result["peak_kib"] - result["baseline_kib"]) / 1024
                texts.add((result["chars"], result["paragraphs"]))
                print(
                    f"{kind:>6} {page_mib:>9.1f} {label:>16} {result['baseline_kib'] / 1024:>13.1f} "
                    f"{used:>20.1f} {used / page_mib:>6.2f}"
                )
            if len(texts) > 1:
                print(f"  the paths disagree on the text: {sorted(texts)}")
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

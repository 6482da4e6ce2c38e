"""Memory benchmark of the second parse of a large page alone (issue 18): its peak, as a
multiple of the page.

Usage (from the project root)::

    python bench/extraction_phase2.py [--sizes 10,20] [--kinds dense,prose] [--before REV]

A page of at least ``STREAMED_PAGE_BYTES`` is parsed twice (docs/extraction.md, "Memory"):
the tree of the first parse serves the metadata and is freed; the second parse
(``warcite.extract.html._streamed_article``: events, blocks, the container, the filters, the
paragraphs) makes the text.  ``bench/extraction_memory.py`` measures the whole extraction,
whose peak for dense markup is the first parse; this measures the second alone.  Each run is
a fresh child interpreter that generates the page (``bench.extraction_memory.make_page``),
collects garbage, notes its resident set size, resets its peak (``/proc/self/clear_refs``,
Linux), and runs the second parse on the page decoded 64 KiB at a time (as
``SniffedBody.pieces`` gives it).  The report is the peak above that point plus the page's
bytes (which the caller, ``ArchivedPage``, holds meanwhile), as a multiple of the page.

``--before REV`` measures warcite as of revision ``REV`` too (its ``tools/`` exported with
``git archive``), in the same run.  Nothing is compared with numbers from another machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.extraction_memory import MIB, export_tools, run_child  # noqa: E402

_CHILD = r"""
import codecs, gc, json, sys
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
from bench.extraction_memory import make_page
import warcite.extract.html as html
from warcite.extract.html import streamed

def status():
    found = {}
    with open("/proc/self/status") as lines:
        for line in lines:
            key, value = line.split(":", 1)
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) * 1024
    return found

body = make_page(int(sys.argv[4]), sys.argv[3])
def pieces():
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(body), 65536):
        yield decoder.decode(body[start:start + 65536])
    yield decoder.decode(b"", final=True)
gc.collect()
streamed.release_memory()
baseline = status()["VmRSS"]
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # the peak (VmHWM) starts again from here
paragraphs, warnings = html._streamed_article(pieces(), set(), ["otters return to the upper valley"])
peak = status()["VmHWM"] - baseline
print(json.dumps({"page": len(body), "peak": peak, "paragraphs": len(paragraphs),
                  "chars": sum(len(p.text) for p in paragraphs)}))
"""


def phase2_peak(kind: str, size: int, tools: Path = PROJECT_ROOT / "tools") -> dict[str, int]:
    """The second parse of a generated page of about ``size`` bytes, in a fresh child, with
    warcite imported from ``tools``: ``page`` (bytes), ``peak`` (bytes above the child's
    state before it), ``paragraphs`` and ``chars`` (of the text)."""
    try:
        return run_child(_CHILD, [str(tools), str(PROJECT_ROOT), kind, str(size)])
    except RuntimeError as error:
        raise RuntimeError(f"the phase-2 run failed:\n{error}") from None


def ratio(result: dict[str, int]) -> float:
    """The peak with the page's bytes, as a multiple of the page."""
    return (result["peak"] + result["page"]) / result["page"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10,20", help="page sizes in MiB (default 10,20)")
    parser.add_argument("--kinds", default="dense,prose", help="page kinds (dense, prose)")
    parser.add_argument("--before", metavar="REV", help="also measure git revision REV")
    args = parser.parse_args(argv)
    runs = [("now", PROJECT_ROOT / "tools")]
    print(
        f"{'kind':>6} {'page MiB':>9} {'code':>10} {'peak MiB':>9} {'with page':>10} {'paragraphs':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        if args.before:
            runs.insert(0, (args.before[:10], export_tools(args.before, Path(folder))))
        for kind in args.kinds.split(","):
            for size in (float(value) for value in args.sizes.split(",")):
                texts = set()
                for label, tools in runs:
                    result = phase2_peak(kind, int(size * MIB), tools)
                    texts.add((result["paragraphs"], result["chars"]))
                    print(
                        f"{kind:>6} {result['page'] / MIB:>9.1f} {label:>10} "
                        f"{result['peak'] / MIB:>9.1f} {ratio(result):>9.2f}x "
                        f"{result['paragraphs']:>11}"
                    )
                if len(texts) > 1:
                    print(f"  the runs disagree on the text: {sorted(texts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Browser capture benchmark: ``--browser`` against a plain capture of the same pages.

Usage (from the project root, with the ``browser`` extra installed and Debian's chromium)::

    python bench/browser.py [--runs 5] [--pages 50] [--json] [--before REV]

A loopback site (a threaded HTTP/1.1 server in this process) serves article pages, each
naming a stylesheet, a script and two images, and building part of its text with a
script.  Measured, in this one run, each against its baseline:

``per page``   the median wall time of one capture: warcite's plain capture (library,
               in-process, the baseline), a browser capture in a browser already running
               (what each page of a batch costs), and a browser capture that starts its
               own browser (a single ``warcite capture --browser``); ratios to plain and
               the difference in seconds.
``memory``     the peak resident memory of this process and of every process it started
               (Chromium's and Playwright's included: the sum of each one's ``VmHWM``),
               after the browser captures, against this process's own peak after the
               plain ones; and the proportional set size of them all at that moment
               (``Pss``: shared pages counted once).
``batch``      pages per second for ``--pages`` pages captured one after the other
               plainly (the baseline), and in a :class:`~warcite.capture.pool.BrowserPool`
               with 1 and with 4 tabs.

``--before REV`` runs the whole benchmark twice, each in a child process: first with
warcite as of git revision ``REV`` (its ``tools/`` exported with ``git archive`` to a
temporary folder), then with this tree's; and prints both, side by side (each child
measures its own plain baseline).

Target: a batch reuses its browser, so a page costs well under a second more than a plain
capture on loopback.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bench article {n}</title><link rel="stylesheet" href="/style.css">
<script defer src="/app.js"></script></head><body><article><h1>Bench article {n}</h1>
{paragraphs}<img src="/a.png" alt="a"><img src="/b.png" alt="b"><div id="more"></div>
</article></body></html>"""
PARAGRAPH = (
    "<p>This paragraph of the benchmark article is long enough to be prose, and it is "
    "repeated so the page has a realistic length for extraction and a screenshot.</p>"
)
APP = b"document.getElementById('more').innerHTML = '<p>Added by a script after load.</p>';"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/page"):
            body = PAGE.format(n=path[5:], paragraphs=PARAGRAPH * 20).encode()
            kind = "text/html; charset=utf-8"
        elif path == "/style.css":
            body, kind = b"body { font-family: serif }", "text/css"
        elif path == "/app.js":
            body, kind = APP, "application/javascript"
        elif path.endswith(".png"):
            body, kind = PNG, "image/png"
        else:
            body, kind = b"", "text/plain"
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child in children.get(current, []):
            found.append(child)
            todo.append(child)
    return found


def tree_peak_mib(pid: int) -> float:
    return sum(peak_kib(p) for p in [pid, *descendants(pid)]) / 1024


def tree_pss_mib(pid: int) -> float:
    """The proportional set size of a process and its descendants now: each shared page
    counted once in all (the sum of peaks counts Chromium's shared pages in every process)."""
    total = 0
    for process in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--before", metavar="REV", help="also measure warcite as of REV")
    parser.add_argument("--tools", type=Path, help=argparse.SUPPRESS)  # warcite's source root
    arguments = parser.parse_args()
    if arguments.before:
        compare(arguments)
        return
    if arguments.tools is not None:
        sys.path.insert(0, str(arguments.tools))
    results = measure(arguments)
    if arguments.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    for section, values in results.items():
        print(section)
        for name, value in values.items():
            print(f"  {name:28} {value}")


def child(arguments: argparse.Namespace, tools: Path) -> dict[str, Any]:
    """The whole benchmark in a fresh process, warcite imported from ``tools``."""
    command = [sys.executable, __file__, "--json", "--tools", str(tools)]
    command += ["--runs", str(arguments.runs), "--pages", str(arguments.pages)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"the benchmark with {tools} failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def compare(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="warcite-bench-before-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "archive", arguments.before, "tools"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        before = child(arguments, Path(folder) / "tools")
    after = child(arguments, PROJECT_ROOT / "tools")
    if arguments.json:
        json.dump({"before": before, "after": after, "before_rev": arguments.before}, sys.stdout)
        print()
        return
    label = f"@{arguments.before[:12]}"
    for section, values in after.items():
        print(f"{section:30} {label:>14} {'this tree':>12}")
        for name, value in values.items():
            print(f"  {name:28} {before.get(section, {}).get(name)!s:>14} {value!s:>12}")


def measure(arguments: argparse.Namespace) -> dict[str, Any]:
    """Every measurement of the module's docstring, in this process."""
    from warcite.capture.browser import BrowserSession, capture_in_browser
    from warcite.capture.live import capture
    from warcite.capture.pool import BrowserPool

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="warcite-bench-browser-") as folder:
        out = Path(folder)
        counter = iter(range(10**9))

        def timed(function: Any) -> float:
            began = time.perf_counter()
            function()
            return time.perf_counter() - began

        def page() -> str:
            return f"{base}/page{next(counter)}"

        plain = [
            timed(lambda: capture(page(), archive_dir=out / "plain")) for _ in range(arguments.runs)
        ]
        plain_peak = peak_kib(os.getpid()) / 1024
        with BrowserSession() as session:
            capture_in_browser(page(), archive_dir=out / "warmup", session=session)
            warm = [
                timed(lambda: capture_in_browser(page(), archive_dir=out / "warm", session=session))
                for _ in range(arguments.runs)
            ]
            browser_peak = tree_peak_mib(os.getpid())
            browser_pss = tree_pss_mib(os.getpid())
        cold = [
            timed(lambda: capture_in_browser(page(), archive_dir=out / "cold"))
            for _ in range(max(1, arguments.runs // 2))
        ]
        plain_median, warm_median, cold_median = map(statistics.median, (plain, warm, cold))
        results["per_page_seconds"] = {
            "plain": round(plain_median, 3),
            "browser_running": round(warm_median, 3),
            "browser_started_per_page": round(cold_median, 3),
            "ratio_running_to_plain": round(warm_median / plain_median, 2),
            "ratio_started_to_plain": round(cold_median / plain_median, 2),
            "extra_seconds_running": round(warm_median - plain_median, 3),
        }
        results["peak_memory_mib"] = {
            "plain_this_process": round(plain_peak, 1),
            "browser_all_processes": round(browser_peak, 1),
            "ratio": round(browser_peak / plain_peak, 2) if plain_peak else None,
            "browser_pss_after_captures": round(browser_pss, 1),
        }

        def batch_plain() -> float:
            began = time.perf_counter()
            for _ in range(arguments.pages):
                capture(page(), archive_dir=out / "batch-plain")
            return arguments.pages / (time.perf_counter() - began)

        def batch_browser(jobs: int) -> float:
            with BrowserPool(jobs=jobs) as pool:
                began = time.perf_counter()
                threads = [
                    threading.Thread(
                        target=lambda: [
                            pool.capture(page(), archive_dir=out / f"batch-{jobs}")
                            for _ in range(arguments.pages // jobs)
                        ]
                    )
                    for _ in range(jobs)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                done = (arguments.pages // jobs) * jobs
                return done / (time.perf_counter() - began)

        plain_rate = batch_plain()
        one = batch_browser(1)
        four = batch_browser(4)
        results["batch_pages_per_second"] = {
            "pages": arguments.pages,
            "plain": round(plain_rate, 2),
            "browser_jobs_1": round(one, 2),
            "browser_jobs_4": round(four, 2),
            "ratio_jobs_1_to_plain": round(one / plain_rate, 3),
            "ratio_jobs_4_to_jobs_1": round(four / one, 2),
        }
    server.shutdown()
    results["warcite"] = {"imported_from": str(Path(capture.__code__.co_filename).parents[2])}
    return results


if __name__ == "__main__":
    main()

"""Capture benchmark: warcite against ``wget -p --warc-file`` and warcio's ``capture_http``.

Usage (from the project root, with the ``bench`` extra installed; wget from apt)::

    python bench/capture.py [--runs 5] [--skip-memory] [--json]
                            [--cases plain,https,connect,latency] [--venv PATH | --editable]

The copy of warcite timed is a regular (non-editable) install of the working tree, as a
user has one: before timing, a throwaway venv is made in a temporary folder (removed at the
end) with ``python -m venv --without-pip``; a ``.pth`` file in its site-packages lists the
site-packages of the interpreter running this script, so warcite's dependencies are found
without downloading anything (a folder named in a ``.pth`` is added to ``sys.path`` but its
own ``.pth`` files are not read, so a development venv's editable-install finder is not
loaded); then ``pip install --no-deps --no-build-isolation --no-index`` installs a copy of
the working tree, bytecode compiled.  ``--venv PATH`` times an existing venv's install
instead, ``--editable`` the console script of the interpreter running this script (in a
development venv, an editable install whose finder costs every start-up 30-40 ms).  The
script prints which copy is timed and where ``import warcite`` resolves, and stops if that
is not the timed venv's site-packages.

A loopback site (a threaded HTTP/1.1 keep-alive server in this process) serves one page
naming 50 requisites (images of 2-12 kB, an icon).  Four cases (``--cases`` picks some):

``plain``    HTTP, no added cost;
``https``    HTTPS with a certificate from a throwaway CA made by ``trustme``, each client
             trusting that CA only (warcite ``--ca-bundle``, wget ``--ca-certificate``,
             requests ``verify=``);
``connect``  HTTP, every new connection costs 50 ms before it is served;
``latency``  HTTP, every requisite is answered 100 ms after its request arrives.

Each tool runs as its own process (start-up included), all writing a WARC of the page and
its requisites: ``warcite capture URL`` (the timed copy's console script);
``warcite-warm``, the same capture by the timed copy's library in one long-lived process
(the engine's time without Python's start-up and imports); ``wget -p --warc-file``
(robots.txt off, as warcite); a Python script using ``warcio.capture_http`` with a
``requests`` session (which keeps connections alive) fetching the page, then each requisite
in turn, run by the timed copy's interpreter when warcio and requests import there.  Runs
are interleaved (tool A, B, C, A, B, C, ...) and the median wall time is reported with the
ratio to wget's.

Memory: the peak RSS of the capturing process (``ru_maxrss`` of a child, read in a fresh
intermediate process so no earlier child counts) for a 150 MB page, for a page with
8 requisites of 20 MB each, and for 16 kB compression bombs (a page in gzip
transfer-coding or content-coding expanding to 16.5 MB, and one of 190 kB in brotli
expanding to 1 GB, where brotli is installed), for warcite and wget.  Start-up, with the
timed copy's interpreter: the median time of ``python -c pass`` and of
``python -c "import click"`` (warcite's CLI framework), as ratios to wget's time in the
plain case when it was run, and of ``warcite --help`` and ``warcite validate`` on the
bundled record, as ratios to ``python -c pass``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REQUISITES = 50
CASES = ("plain", "https", "connect", "latency")
PYTHON = sys.executable
"""The timed copy's interpreter (set by ``main``)."""
WARCITE = [PYTHON, "-m", "warcite"]
"""The timed copy's ``warcite`` console script as a user runs it (set by ``main``)."""
WARCIO_PYTHON = sys.executable
"""The interpreter running the warcio script: ``PYTHON`` when warcio and requests import there."""

PROBE_SCRIPT = r"""
import sys
editable = sorted(name for name in sys.modules if name.startswith("__editable__"))
import importlib.util, json, pathlib, sysconfig
import warcite

package = pathlib.Path(warcite.__file__).resolve().parent
stale = [
    str(source)
    for source in package.rglob("*.py")
    if not pathlib.Path(importlib.util.cache_from_source(str(source))).is_file()
    or pathlib.Path(importlib.util.cache_from_source(str(source))).stat().st_mtime
    < source.stat().st_mtime
]
print(json.dumps({
    "file": str(pathlib.Path(warcite.__file__).resolve()),
    "version": warcite.__version__,
    "purelib": str(pathlib.Path(sysconfig.get_path("purelib")).resolve()),
    "editable_finder": editable,
    "uncompiled": stale,
    "warcio_and_requests": all(
        importlib.util.find_spec(name) is not None for name in ("warcio", "requests")
    ),
}))
"""
"""Run by the timed copy's interpreter: where ``import warcite`` resolves and what it loaded."""

WARCIO_SCRIPT = r"""
import re, sys
from urllib.parse import urljoin
from warcio.capture_http import capture_http
import requests  # after capture_http, as its documentation requires

url, out, ca = sys.argv[1], sys.argv[2], sys.argv[3]
with capture_http(out):
    session = requests.Session()
    trust = {"verify": ca} if ca != "-" else {}
    page = session.get(url, **trust)
    for ref in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        session.get(urljoin(url, ref), **trust)
"""

WARM_SCRIPT = r"""
import sys
from warcite.capture import capture, tls_context_from_bundle

for line in sys.stdin:  # "<url> <archive folder> <ca file or ->": capture, print the path
    url, folder, ca = line.split()
    trust = tls_context_from_bundle(ca) if ca != "-" else None
    print(capture(url, archive_dir=folder, tls_context=trust).path, flush=True)
"""

MEASURE_SCRIPT = r"""
import resource, subprocess, sys
completed = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if completed.returncode:
    sys.stderr.write(completed.stderr.decode(errors="replace")[-2000:])
    sys.exit(completed.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@dataclass
class Site:
    """What the server serves and how slowly."""

    pages: dict[str, tuple[str, bytes | int]] = field(default_factory=dict)  # path -> type, body
    headers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # path -> extra
    connect_cost: float = 0.0
    requisite_latency: float = 0.0


def make_site() -> Site:
    site = Site()
    images = "".join(
        f'<p>Paragraph {n} of the article.</p><img src="/img/{n}.png" alt="">'
        for n in range(REQUISITES - 1)
    )
    html = (
        '<!DOCTYPE html><html><head><title>Bench</title><link rel="icon" href="/favicon.ico">'
        f"</head><body><article>{images}</article></body></html>"
    )
    site.pages["/"] = ("text/html; charset=utf-8", html.encode())
    for n in range(REQUISITES - 1):
        site.pages[f"/img/{n}.png"] = ("image/png", os.urandom(2000 + (n % 6) * 2000))
    site.pages["/favicon.ico"] = ("image/x-icon", os.urandom(1000))
    return site


def big_sites() -> dict[str, Site]:
    """The memory cases: bodies are generated as they are sent (``int`` = a size)."""
    one_page = Site()
    one_page.pages["/"] = ("text/html", 150_000_000)
    many = Site()
    links = "".join(f'<img src="/big/{n}.bin">' for n in range(8))
    many.pages["/"] = ("text/html", f"<html><body>{links}</body></html>".encode())
    for n in range(8):
        many.pages[f"/big/{n}.bin"] = ("application/octet-stream", 20_000_000)
    sites = {"page-150MB": one_page, "requisites-8x20MB": many}
    zeros = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = zeros.compress(b"\0" * 16_500_000) + zeros.flush()  # ~16 kB of gzip
    transfer = Site()
    transfer.pages["/"] = ("text/html", _chunked(bomb))
    transfer.headers["/"] = [("Transfer-Encoding", "gzip, chunked")]
    content = Site()
    content.pages["/"] = ("text/html", bomb)
    content.headers["/"] = [("Content-Encoding", "gzip")]
    sites[f"bomb-TE-gzip-{len(bomb) // 1000}kB"] = transfer
    sites[f"bomb-CE-gzip-{len(bomb) // 1000}kB"] = content
    try:
        import brotli

        compressor = brotli.Compressor(quality=1)
        zero_block = b"\0" * 1_000_000
        brotli_bomb = b"".join(compressor.process(zero_block) for _ in range(1000))
        brotli_bomb += compressor.finish()  # 1 GB of zeros
        expanding = Site()
        expanding.pages["/"] = ("text/html", brotli_bomb)
        expanding.headers["/"] = [("Content-Encoding", "br")]
        sites[f"bomb-CE-br-{len(brotli_bomb) // 1000}kB-to-1GB"] = expanding
    except ImportError:
        pass
    return sites


def _chunked(body: bytes) -> bytes:
    out = bytearray()
    for start in range(0, len(body), 4096):
        piece = body[start : start + 4096]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return bytes(out + b"0\r\n\r\n")


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms)

        def setup(self) -> None:
            if site.connect_cost:
                time.sleep(site.connect_cost)
            super().setup()

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            entry = site.pages.get(self.path.split("?", 1)[0])
            if entry is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if site.requisite_latency and self.path != "/":
                time.sleep(site.requisite_latency)
            media_type, body = entry
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            length = body if isinstance(body, int) else len(body)
            extra = site.headers.get(self.path, [])
            for name, value in extra:
                self.send_header(name, value)
            if not any(name == "Transfer-Encoding" for name, _ in extra):
                self.send_header("Content-Length", str(length))
            self.end_headers()
            if isinstance(body, bytes):
                self.wfile.write(body)
                return
            block = (b"<p>" + b"filler text " * 80 + b"</p>\n") * 64  # ~62 kB of HTML
            if media_type != "text/html":
                block = os.urandom(65536)
            sent = 0
            while sent < length:
                piece = block[: length - sent]
                self.wfile.write(piece)
                sent += len(piece)

    return Handler


@contextlib.contextmanager
def serve(site: Site, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    if tls is not None:  # the handshake happens in the handler's thread, on first read
        server.socket = tls.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def commands(tool: str, url: str, work: Path, ca: str | None) -> list[str]:
    if tool == "warcite":
        command = [*WARCITE, "capture", url, "--archive-dir", str(work), "--quiet"]
        return command + (["--ca-bundle", ca] if ca else [])
    if tool == "wget":
        command = [
            "wget",
            "-p",
            "--warc-file",
            str(work / "wget"),
            "-e",
            "robots=off",
            "--no-verbose",
            "-P",
            str(work / "files"),
            url,
        ]
        return command + ([f"--ca-certificate={ca}"] if ca else [])
    return [WARCIO_PYTHON, "-c", WARCIO_SCRIPT, url, str(work / "warcio.warc.gz"), ca or "-"]


class WarmWarcite:
    """warcite's library in one long-lived process: the engine's time, without start-up."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-c", WARM_SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
        )

    def run(self, url: str, work: Path, ca: str | None) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        started = time.perf_counter()
        self.process.stdin.write(f"{url} {work} {ca or '-'}\n")
        self.process.stdin.flush()
        written = self.process.stdout.readline().strip()
        elapsed = time.perf_counter() - started
        if not written or not Path(written).exists():
            raise RuntimeError("warcite (warm) wrote no WARC")
        return elapsed

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


WARM: WarmWarcite | None = None


def run_once(tool: str, url: str, ca: str | None) -> float:
    work = Path(tempfile.mkdtemp(prefix=f"bench-{tool}-"))
    if tool == "warcite-warm":
        try:
            assert WARM is not None
            return WARM.run(url, work, ca)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    try:
        started = time.perf_counter()
        environment = dict(os.environ)
        if ca and tool == "warcio":  # warcio's patched connections use the default trust
            environment["SSL_CERT_FILE"] = ca
        completed = subprocess.run(
            commands(tool, url, work, ca),
            capture_output=True,
            check=False,
            timeout=300,
            env=environment,
        )
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError(
                f"{tool} failed ({completed.returncode}): {completed.stderr.decode()[-1000:]}"
            )
        warcs = list(work.rglob("*.warc.gz"))
        if not warcs:
            raise RuntimeError(f"{tool} wrote no WARC")
        return elapsed
    finally:
        shutil.rmtree(work, ignore_errors=True)


def speed(runs: int, tools: list[str], names: list[str]) -> dict[str, dict[str, float]]:
    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(server_tls)
    ca_folder = Path(tempfile.mkdtemp(prefix="bench-ca-"))
    ca_file = ca_folder / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    results: dict[str, dict[str, float]] = {}
    cases: list[tuple[str, Site, ssl.SSLContext | None]] = []
    plain = make_site()
    cases.append(("plain", plain, None))
    cases.append(("https", plain, server_tls))
    cases.append(("connect", Site(plain.pages, connect_cost=0.05), None))
    cases.append(("latency", Site(plain.pages, requisite_latency=0.1), None))
    for name, site, tls in cases:
        if name not in names:
            continue
        times: dict[str, list[float]] = {tool: [] for tool in tools}
        with serve(site, tls) as url:
            ca = str(ca_file) if tls else None
            for tool in tools:  # warm-up (imports, page cache), not counted
                run_once(tool, url, ca)
            for _ in range(runs):
                for tool in tools:
                    times[tool].append(run_once(tool, url, ca))
        results[name] = {tool: statistics.median(values) for tool, values in times.items()}
        print_case(name, results[name])
    shutil.rmtree(ca_folder, ignore_errors=True)
    return results


def print_case(name: str, medians: dict[str, float]) -> None:
    base = medians.get("wget")
    parts = []
    for tool, value in medians.items():
        ratio = f" ({value / base:.2f}x wget)" if base and tool != "wget" else ""
        parts.append(f"{tool} {value * 1000:.0f} ms{ratio}")
    print(f"{name:8s} " + ", ".join(parts), flush=True)


def markdown(results: dict[str, Any]) -> str:
    """The README's table."""
    lines = [
        "| case | warcite | wget | warcio + requests | warcite (library, warm) |",
        "|---|---|---|---|---|",
    ]
    for name, medians in results["speed"].items():
        base = medians.get("wget")

        def cell(tool: str, medians: dict[str, float] = medians, base: float | None = base) -> str:
            value = medians.get(tool)
            if value is None:
                return "n/a"
            ratio = f" ({value / base:.2f}x)" if base and tool != "wget" else ""
            return f"{value * 1000:.0f} ms{ratio}"

        lines.append(
            f"| {name} | {cell('warcite')} | {cell('wget')} | {cell('warcio')} | "
            f"{cell('warcite-warm')} |"
        )
    return "\n".join(lines)


def peak_rss(command: list[str]) -> int:
    """Peak resident set size (kB) of ``command``, measured by a fresh parent process."""
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE_SCRIPT, *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {completed.stderr[-1000:]}")
    return int(completed.stdout.strip())


def memory(tools: list[str]) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name, site in big_sites().items():
        results[name] = {}
        with serve(site) as url:
            # wget does not decode codings: the bombs measure warcite alone
            for tool in tools if not name.startswith("bomb") else ["warcite"]:
                work = Path(tempfile.mkdtemp(prefix=f"bench-mem-{tool}-"))
                try:
                    command = commands(tool, url, work, None)
                    if tool == "warcite":
                        command += ["--max-bytes", "200000000", "--timeout", "300"]
                    results[name][tool] = peak_rss(command) / 1024
                finally:
                    shutil.rmtree(work, ignore_errors=True)
        print(
            f"{name:18s} peak RSS: "
            + ", ".join(f"{tool} {mb:.0f} MB" for tool, mb in results[name].items()),
            flush=True,
        )
    return results


def start_up(runs: int, wget_plain: float | None) -> dict[str, float]:
    """Start-up times with the timed copy's interpreter; ``wget_plain``: wget's plain case."""
    record = PROJECT_ROOT / "records" / "opednews-160829-249.json"

    def timed(command: list[str]) -> float:
        values = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=PROJECT_ROOT)
            values.append(time.perf_counter() - started)
        return statistics.median(values)

    baseline = timed([PYTHON, "-c", "pass"])
    click = timed([PYTHON, "-c", "import click"])
    validate = timed([*WARCITE, "validate", str(record)])
    help_time = timed([*WARCITE, "--help"])
    result = {
        "python -c pass": baseline,
        "python -c 'import click'": click,
        "warcite validate": validate,
        "warcite --help": help_time,
    }

    def to_wget(value: float) -> str:
        return f" ({value / wget_plain:.2f}x wget plain)" if wget_plain else ""

    print(
        f"start-up: python -c pass {baseline * 1000:.0f} ms{to_wget(baseline)}, "
        f"python -c 'import click' {click * 1000:.0f} ms{to_wget(click)}, "
        f"warcite --help {help_time * 1000:.0f} ms ({help_time / baseline:.1f}x python -c pass), "
        f"warcite validate {validate * 1000:.0f} ms ({validate / baseline:.1f}x)",
        flush=True,
    )
    return result


def build_venv(folder: Path) -> Path:
    """A venv in ``folder`` holding a regular install of the working tree; its python.

    Offline: the dependencies are those of the interpreter running this script, named by a
    ``.pth`` file; the working tree is copied first so the build leaves nothing in it (nor
    takes a stale ``build/`` from it).
    """
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (purelib / "_bench_dependencies.pth").write_text("".join(f"{path}\n" for path in ours))
    source = folder / "source"
    skipped = ".git .venv* build dist *.egg-info __pycache__ .*_cache .hypothesis node_modules"
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(*skipped.split()))
    install = "-m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation"
    offline = "--no-index --ignore-installed"
    subprocess.run(
        [str(python), *install.split(), *offline.split(), str(source)],
        check=True,
    )  # pip compiles the installed modules (with or without PYTHONDONTWRITEBYTECODE)
    shutil.rmtree(source)
    return python


def probe(python: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [str(python), "-c", PROBE_SCRIPT], capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{python} cannot import warcite: {completed.stderr[-1000:]}")
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def choose_copy(options: argparse.Namespace, scratch: Path) -> None:
    """Set ``PYTHON``, ``WARCITE`` and ``WARCIO_PYTHON``; print which copy is timed."""
    global PYTHON, WARCITE, WARCIO_PYTHON
    if options.editable:
        python = Path(sys.executable)
        kind = "the current interpreter's install (editable in a development venv)"
    elif options.venv:
        python = Path(options.venv).absolute() / "bin" / "python"
        kind = f"an existing venv ({options.venv})"
    else:
        python = build_venv(scratch)
        kind = "a throwaway venv's regular (non-editable) install of the working tree"
    found = probe(python)
    if found["uncompiled"]:  # as pip would have: every module's bytecode up to date
        package = str(Path(found["file"]).parent)
        subprocess.run([str(python), "-m", "compileall", "-q", package], check=True)
        found = probe(python)
        if found["uncompiled"]:
            raise RuntimeError(f"cannot compile {found['uncompiled'][:3]}")
    module = Path(found["file"])
    if not options.editable and (
        not module.is_relative_to(Path(found["purelib"]))
        or module.is_relative_to((PROJECT_ROOT / "tools").resolve())
        or found["editable_finder"]
    ):
        raise RuntimeError(
            f"import warcite in {python} resolves to {module} (editable finder: "
            f"{found['editable_finder'] or 'none'}), not to {found['purelib']}"
        )
    script = python.with_name("warcite")
    PYTHON = str(python)
    WARCITE = [str(script)] if script.is_file() else [PYTHON, "-m", "warcite"]
    WARCIO_PYTHON = PYTHON if found["warcio_and_requests"] else sys.executable
    print(
        f"timed: warcite {found['version']}, {kind}: {' '.join(WARCITE)}; import warcite -> "
        f"{module}; editable finder loaded: {', '.join(found['editable_finder']) or 'no'}; "
        f"warcio script run by {WARCIO_PYTHON}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and case")
    parser.add_argument("--skip-memory", action="store_true", help="no peak-RSS cases")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"comma-separated speed cases to run (default: {','.join(CASES)})",
    )
    copy = parser.add_mutually_exclusive_group()
    copy.add_argument(
        "--venv", metavar="PATH", help="time the warcite installed in this venv (no build)"
    )
    copy.add_argument(
        "--editable",
        action="store_true",
        help="time the current interpreter's warcite console script (no build)",
    )
    options = parser.parse_args(argv)
    names = [name.strip() for name in options.cases.split(",") if name.strip()]
    unknown = sorted(set(names) - set(CASES))
    if unknown or not names:
        parser.error(f"--cases: unknown {', '.join(unknown) or '(none given)'}; from {CASES}")
    tools = ["warcite", "wget", "warcio"]
    if shutil.which("wget") is None:
        print("wget is not installed (apt-get install wget): skipped", file=sys.stderr)
        tools.remove("wget")
    try:
        import requests  # noqa: F401
        import trustme  # noqa: F401
    except ImportError as error:
        print(
            f"install the bench extra (pip install -U pip && pip install -e '.[bench]'): {error}",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-venv-") as scratch:
        choose_copy(options, Path(scratch))
        global WARM
        WARM = WarmWarcite()
        try:
            speeds = speed(options.runs, [*tools, "warcite-warm"], names)
            results: dict[str, Any] = {"speed": speeds}
        finally:
            WARM.close()
        if not options.skip_memory:
            results["memory_mb"] = memory([tool for tool in tools if tool != "warcio"])
        wget_plain = speeds.get("plain", {}).get("wget")
        results["start_up_s"] = start_up(max(options.runs, 5), wget_plain)
    print()
    print(markdown(results))
    if options.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    sys.exit(main())

"""A generated loopback news site for the collection tests (batch, search, recapture, diff).

``CollectionSite(pages=200)`` serves ``/news/story-<1000+n>.html`` for n in 0..pages-1 on
127.0.0.1, each a small article with its own title, author, date and paragraphs.  Tests
change the site while it runs: ``site.fail[path] = 404`` (or 500, or ``"drop"`` to close
the connection without an answer, or ``"empty"`` for a page with no article), and
``site.edit(n, paragraph, text)`` rewrites one paragraph of a page.  With ``files=FOLDER``
it also serves that folder's files at ``/<name>`` (the documentation's examples serve
``docs/examples/site/``: ``/otters.html`` and its stylesheet).

Run on its own, it serves the site the README's examples use until interrupted::

    python tests/collection_site.py --port 8765 [--fail /news/story-1003.html=404]
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from quiet_server import QuietHTTPServer

SURNAMES = ["Kim", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Alvarez", "Novak", "Haddad"]
GIVEN = ["Jae-won", "Amara", "Sven", "Claire", "Haruto", "Lucia", "Petra", "Omar"]
TOPICS = ["river", "harbour", "orchard", "library", "railway", "market", "bridge", "meadow"]


def story_path(number: int) -> str:
    return f"/news/story-{1000 + number}.html"


def page_paragraphs(number: int) -> list[str]:
    topic = TOPICS[number % len(TOPICS)]
    return [
        f"Residents gathered by the {topic} on Tuesday to discuss plan number {number}, "
        "which the council published after a long consultation with local groups.",
        f"The proposal for the {topic} would take three years to complete and would be paid "
        "for by a regional fund, officials said at the meeting in the town hall.",
        f"Several speakers asked how the work on the {topic} would affect traffic, noise and "
        "the small shops that line the old streets near the water.",
        "A final vote is expected next month, after the council has heard the remaining "
        f"objections from neighbours of item {number}.",
    ]


def page_author(number: int) -> tuple[str, str]:
    return SURNAMES[number % len(SURNAMES)], GIVEN[(number // 3) % len(GIVEN)]


def page_html(number: int, paragraphs: list[str]) -> bytes:
    family, given = page_author(number)
    topic = TOPICS[number % len(TOPICS)]
    title = f"Council weighs {topic} plan {number}"
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Loopback Gazette</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="The Loopback Gazette">
<meta name="author" content="{given} {family}">
<meta property="article:published_time" content="2024-03-{1 + number % 28:02d}T09:00:00Z">
<link rel="icon" href="data:,">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>
<article><h1>{title}</h1>
<p class="byline">By {given} {family}</p>
{body}
</article>
<footer>Copyright The Loopback Gazette</footer>
</body></html>
""".encode()


class CollectionSite:
    """The server and its mutable pages (see the module docstring)."""

    def __init__(self, pages: int = 200, port: int = 0, files: Path | None = None) -> None:
        self.pages = pages
        self.files = files
        self.fail: dict[str, Any] = {}
        self.texts: dict[int, list[str]] = {n: page_paragraphs(n) for n in range(pages)}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.delay = 0.0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with site.lock:
                    site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if site.delay:
                    threading.Event().wait(site.delay)
                failure = site.fail.get(self.path)
                if failure == "drop":
                    self.close_connection = True
                    return
                body: bytes | None = None
                status = 200
                if isinstance(failure, int):
                    status, body = failure, b"<html><body><p>error</p></body></html>"
                elif failure == "empty":
                    body = b"<html><head><title>x</title></head><body></body></html>"
                elif self.path.startswith("/news/story-"):
                    try:
                        number = int(self.path.removeprefix("/news/story-").split(".")[0]) - 1000
                    except ValueError:
                        number = -1
                    if number in site.texts:
                        body = page_html(number, site.texts[number])
                elif site.files is not None and self.path.count("/") == 1:
                    served = site.files / self.path.lstrip("/")
                    if self.path != "/" and served.is_file():
                        body = served.read_bytes()
                if body is None:
                    status, body = 404, b"<html><body><p>not found</p></body></html>"
                self.send_response(status)
                media_type = "text/css" if self.path.endswith(".css") else "text/html"
                self.send_header("Content-Type", f"{media_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = QuietHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{story_path(number)}"

    def edit(self, number: int, paragraph: int, text: str) -> None:
        """Replace paragraph ``paragraph`` (1-based) of page ``number``."""
        self.texts[number][paragraph - 1] = text

    def start(self) -> CollectionSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_site(pages: int = 200) -> Iterator[CollectionSite]:
    site = CollectionSite(pages).start()
    try:
        yield site
    finally:
        site.stop()


def new_project(tmp_path: Path) -> Path:
    """An empty warcite project (archive/, records/, warcite.toml) under ``tmp_path``."""
    root = tmp_path / "project"
    (root / "archive").mkdir(parents=True)
    (root / "records").mkdir()
    (root / "warcite.toml").write_text('[archive]\nname = "test archive"\n')
    return root


def run_cli(root: Path, monkeypatch: Any, *args: str) -> Any:
    """``warcite ARGS`` through click's runner, from the project folder ``root``."""
    from click.testing import CliRunner

    from warcite.cli import cli

    monkeypatch.chdir(root)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


EXAMPLE_FILES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "site"
"""The static pages of the documentation's examples (``/otters.html``)."""


def main(argv: list[str] | None = None) -> None:
    """Serve the loopback site on 127.0.0.1 until interrupted (see the module docstring)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--files", type=Path, default=EXAMPLE_FILES, help="static files")
    parser.add_argument(
        "--fail",
        action="append",
        default=[],
        metavar="PATH=STATUS",
        help="answer PATH with STATUS (e.g. /news/story-1003.html=404); repeatable",
    )
    options = parser.parse_args(argv)
    site = CollectionSite(options.pages, port=options.port, files=options.files)
    for rule in options.fail:
        path, _, status = rule.partition("=")
        site.fail[path] = int(status) if status.isdigit() else status
    print(f"serving http://127.0.0.1:{site.server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        site.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        site.server.server_close()


if __name__ == "__main__":
    main()

"""A small loopback web site for the browser-capture tests: pages that need a browser.

Each route is a function of the request (path, headers) returning (status, headers,
body); every request received is kept (``site.requests``: path and headers).  With a TLS
context, the site is served over HTTPS.
"""

from __future__ import annotations

import http.server
import json
import ssl
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from quiet_server import QuietHTTPServer

Answer = tuple[int, list[tuple[str, str]], bytes]
Route = Callable[[str, dict[str, str]], Answer]

PARAGRAPHS = [
    f"Paragraph {n} of the rendered article tells the reader something they did not know "
    "before, in a sentence long enough to be prose and not a menu or a caption."
    for n in range(1, 41)
]
ARTICLE = {
    "title": "The Article Built by Script",
    "author": "Ada Lovelace",
    "paragraphs": PARAGRAPHS,
}

SCRIPT_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loading\xe2\x80\xa6</title>
<script defer src="/app.js"></script></head>
<body><div id="root"></div>
<noscript>You need to enable JavaScript to run this app.</noscript>
</body></html>"""

APP_JS = b"""
fetch('/api/article.json').then(function (r) { return r.json(); }).then(function (a) {
  document.title = a.title;
  var meta = document.createElement('meta');
  meta.name = 'author'; meta.content = a.author; document.head.appendChild(meta);
  var html = '<article><h1>' + a.title + '</h1><p class="byline">By ' + a.author + '</p>';
  a.paragraphs.forEach(function (p) { html += '<p>' + p + '</p>'; });
  document.getElementById('root').innerHTML = html + '</article>';
});
"""

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def ok(content_type: str, body: bytes, *extra: tuple[str, str]) -> Answer:
    return 200, [("Content-Type", content_type), *extra], body


def html(body: bytes | str) -> Answer:
    return ok("text/html; charset=utf-8", body.encode() if isinstance(body, str) else body)


def article_page(title: str, body_html: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><article><h1>{title}</h1>{paragraphs}{body_html}</article></body></html>"
    )


def standard_routes() -> dict[str, Route]:
    """The site's pages: script-built article, lazy image, iframe, redirects, cookie gate."""
    lazy_page = article_page(
        "A Page With a Lazy Image",
        "<div style='height:4000px'></div><img loading='lazy' src='/lazy.png' width='50' "
        "height='50' alt='lazy'><p>The end.</p>",
    )
    iframe_page = article_page(
        "A Page With a Frame", "<iframe src='/frame.html' width='400' height='200'></iframe>"
    )

    def gated(path: str, headers: dict[str, str]) -> Answer:
        if "session=let-me-in" in headers.get("cookie", ""):
            return html(article_page("Members Only Article", ""))
        return 403, [("Content-Type", "text/html")], b"<p>Log in first.</p>"

    return {
        "/script": lambda p, h: html(SCRIPT_PAGE),
        "/app.js": lambda p, h: ok("application/javascript", APP_JS),
        "/api/article.json": lambda p, h: ok("application/json", json.dumps(ARTICLE).encode()),
        "/lazy": lambda p, h: html(lazy_page),
        "/lazy.png": lambda p, h: ok("image/png", PNG_1X1),
        "/frame": lambda p, h: html(iframe_page),
        "/frame.html": lambda p, h: html(
            "<html><head><link rel='stylesheet' href='/frame.css'></head><body>framed</body></html>"
        ),
        "/frame.css": lambda p, h: ok("text/css", b"body { color: navy }"),
        "/old": lambda p, h: (301, [("Location", "/middle")], b""),
        "/middle": lambda p, h: (302, [("Location", "/static")], b""),
        "/static": lambda p, h: html(article_page("A Plain Static Article", "")),
        "/members": gated,
        "/favicon.ico": lambda p, h: (404, [("Content-Type", "text/plain")], b"none"),
    }


class Site:
    """The site on 127.0.0.1 (a context manager)."""

    def __init__(
        self, routes: dict[str, Route] | None = None, tls: ssl.SSLContext | None = None
    ) -> None:
        self.routes = routes if routes is not None else standard_routes()
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                headers = {name.lower(): value for name, value in self.headers.items()}
                site.requests.append((path, headers))
                route = site.routes.get(path)
                status, extra, body = (
                    route(path, headers) if route else (404, [("Content-Type", "text/plain")], b"")
                )
                self.send_response(status)
                for name, value in extra:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()

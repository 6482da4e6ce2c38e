"""A loopback site for the ``warcite serve`` tests: an article with requisites (a
stylesheet that imports another and names a background image, an image, a script), a
gzip-encoded page, and a hostile page that tries to reach a "live web" canary server.

``ServeSite()`` serves the pages on 127.0.0.1; ``Canary()`` is the live web the hostile
page tries to reach (it counts every request).  ``site.version = 2`` changes a paragraph
of the article, for a second capture.
"""

from __future__ import annotations

import gzip
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from quiet_server import QuietHTTPServer

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b5bd6b0000000049454e44ae426082"
)

QUOTED_SENTENCE = (
    "The lighthouse keeper counted forty-two ships passing the northern cape that winter."
)

FILLER = [
    f"Paragraph {n} of the harbour chronicle describes the tides, the nets and the weather "
    f"of week {n}, as the fishing families of the coast remembered them."
    for n in range(1, 13)
]


def article_html(version: int) -> bytes:
    paragraphs = list(FILLER)
    paragraphs.insert(9, QUOTED_SENTENCE + " Nobody else kept such a careful tally of the sea.")
    if version == 2:
        paragraphs[2] = "A later edition rewrote this paragraph about the harbour master's ledger."
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Counting ships at the northern cape | The Loopback Chronicle</title>
<meta property="og:title" content="Counting ships at the northern cape">
<meta property="og:site_name" content="The Loopback Chronicle">
<meta name="author" content="Maren Solberg">
<meta property="article:published_time" content="2023-05-17T08:00:00Z">
<link rel="stylesheet" href="/style.css">
<script src="/app.js"></script>
</head><body>
<header><nav><a href="/">Home</a></nav></header>
<article><h1>Counting ships at the northern cape</h1>
<p class="byline">By Maren Solberg</p>
<img src="/pic.png" alt="a ship">
{body}
</article>
<footer>The Loopback Chronicle</footer>
</body></html>
""".encode()


GZIP_PAGE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Compressed on the wire</title><meta name="author" content="Tove Lind"></head><body>
<article><h1>Compressed on the wire</h1>
<p>This page was sent gzip-compressed, and the archive keeps the compressed bytes as sent.</p>
<p>A replay of its archived bytes must give back exactly those compressed bytes.</p>
<p>Readers of the replayed page see the words decompressed by their browser.</p>
</article></body></html>
"""


def hostile_html(canary: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>A hostile page | The Loopback Chronicle</title>
<meta name="author" content="Ivo Mallet">
<base href="{canary}/based/">
<link rel="stylesheet" href="{canary}/live.css">
<meta http-equiv="refresh" content="30; url={canary}/refresh">
</head><body>
<article><h1>A hostile page</h1>
<p>This page tries every way it knows to reach the live web and to escape its frame.</p>
<p>It names absolute addresses, a base on another origin, scripts and links that run code.</p>
<p><a id="js-link" href="javascript:parent.document.title='escaped'">a javascript link</a>
<a id="abs-link" href="{canary}/absolute">an absolute link</a>
<a id="rel-link" href="relative.html">a relative link</a></p>
<img id="live-img" src="{canary}/pixel.png" alt="">
<img id="based-img" src="based.png" alt="">
<iframe id="live-frame" src="{canary}/frame.html"></iframe>
<form id="live-form" action="{canary}/form" method="post"><input name="a" value="b"></form>
<script>
window.results = {{}};
fetch("{canary}/fetch").then(function () {{ window.results.fetch = "reached"; }},
  function () {{ window.results.fetch = "blocked"; }});
try {{ new Image().src = "{canary}/beacon.png"; }} catch (e) {{}}
try {{ navigator.sendBeacon("{canary}/send-beacon", "x"); }} catch (e) {{}}
try {{ window.results.parent = parent.document.title; }} catch (e) {{ window.results.parent = "denied"; }}
try {{ window.results.cookie = document.cookie; }} catch (e) {{ window.results.cookie = "denied"; }}
try {{ window.top.location = "{canary}/top"; window.results.top = "navigated"; }} catch (e) {{ window.results.top = "denied"; }}
try {{ fetch("/records/").then(function (r) {{ window.results.app = r.status; }},
  function () {{ window.results.app = "blocked"; }}); }} catch (e) {{}}
document.documentElement.dataset.ran = "yes";
</script>
</article></body></html>
""".encode()


class _Server:
    def __init__(self, handler: Any) -> None:
        self.server = QuietHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.hits: list[str] = []
        self.stopped = False

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.shutdown()
            self.server.server_close()


class Canary(_Server):
    """The live web: answers everything with 200 and remembers the path."""

    def __init__(self) -> None:
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.hits.append(self.path)
                body = b"live"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(Handler)


class ServeSite(_Server):
    """The site archived by the tests (see the module docstring)."""

    def __init__(self, canary: str) -> None:
        site = self
        self.version = 1
        self.canary = canary

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.hits.append(self.path)
                path = self.path.split("?")[0]
                headers = []
                if path == "/article.html":
                    body, media = article_html(site.version), "text/html; charset=utf-8"
                elif path == "/hostile.html":
                    body, media = hostile_html(site.canary), "text/html; charset=utf-8"
                elif path == "/gzip.html":
                    body = gzip.compress(GZIP_PAGE, mtime=0)
                    media = "text/html; charset=utf-8"
                    headers.append(("Content-Encoding", "gzip"))
                elif path == "/style.css":
                    body = b'@import "/more.css";\nbody { background: url(/bg.png) no-repeat; }\n'
                    media = "text/css"
                elif path == "/more.css":
                    body, media = b"p { color: rgb(20, 20, 60); }\n", "text/css"
                elif path in ("/pic.png", "/bg.png"):
                    body, media = PNG, "image/png"
                elif path == "/app.js":
                    body = b'document.documentElement.setAttribute("data-app", "ran");\n'
                    media = "text/javascript"
                else:
                    body, media = b"not found", "text/plain"
                    self.send_response(404)
                    self.send_header("Content-Type", media)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", media)
                self.send_header("X-Original-Header", "kept")
                self.send_header("Set-Cookie", "session=archived-secret")
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(Handler)


def build_project(folder: Path) -> dict[str, Any]:
    """A project holding the bundled reference record and captures of the site: the
    article twice (versions 1 and 2, a second apart), the hostile page and the gzip page.
    The site is stopped afterwards (the original site is down); the canary keeps running.
    """
    from collection_site import new_project
    from warcite.collection.archive import archive

    canary = Canary()
    site = ServeSite(canary.origin)
    root = new_project(folder)
    repository = Path(__file__).resolve().parents[1]
    for part in ("records", "archive"):
        for path in (repository / part).glob("opednews-*"):
            shutil.copy2(path, root / part / path.name)
    try:
        article = f"{site.origin}/article.html"
        first = archive(article, project_root=root)
        time.sleep(1.1)  # a second capture with its own 14-digit timestamp
        site.version = 2
        second = archive(article, project_root=root)
        hostile = archive(f"{site.origin}/hostile.html", project_root=root)
        compressed = archive(f"{site.origin}/gzip.html", project_root=root)
    finally:
        site.stop()
    return {
        "root": root,
        "canary": canary,
        "site": site.origin,
        "article": article,
        "first": str(first.record["id"]),
        "second": str(second.record["id"]),
        "hostile": str(hostile.record["id"]),
        "gzip": str(compressed.record["id"]),
        "records": {
            "first": first.record,
            "second": second.record,
            "hostile": hostile.record,
            "gzip": compressed.record,
        },
    }

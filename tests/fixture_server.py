"""A byte-level HTTP/1.1 server on 127.0.0.1 for capture tests: it writes exact bytes.

Each route is the exact response to write, as a list of pieces with an optional pause
between them (to make a slow body), so a test knows byte for byte what was on the wire
and can compare it with what the WARC holds.  Every request received is kept raw.

    with FixtureServer() as server:
        server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], b"<p>hi"))
        url = server.url("/page")
        ...
        server.requests   # [(path, raw request bytes), ...]
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType


def http_response(
    status: int,
    reason: str,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
    *,
    content_length: bool = True,
) -> bytes:
    """A complete HTTP/1.1 response; adds Content-Length unless told not to or chunked."""
    lines = [f"HTTP/1.1 {status} {reason}"]
    names = {name.lower() for name, _ in headers}
    lines.extend(f"{name}: {value}" for name, value in headers)
    if content_length and "content-length" not in names and "transfer-encoding" not in names:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked(body: bytes, size: int = 7, *, extension: bytes = b"") -> bytes:
    """``body`` in chunked transfer-coding with chunks of ``size`` bytes and a last-chunk."""
    out = bytearray()
    for start in range(0, len(body), size):
        piece = body[start : start + size]
        out += f"{len(piece):x}".encode() + extension + b"\r\n" + piece + b"\r\n"
    out += b"0\r\n\r\n"
    return bytes(out)


@dataclass
class Route:
    """The bytes to write for one path: pieces, with ``pause`` seconds before each later piece."""

    pieces: list[bytes]
    pause: float = 0.0
    hold_open: float = 0.0  # seconds to keep the connection open after writing
    silent: bool = False  # accept, read the request, never answer
    handler: Callable[[socket.socket, threading.Event], None] | None = None  # writes itself


@dataclass
class FixtureServer:
    """A threaded server on 127.0.0.1 that answers each path with fixed bytes."""

    tls_context: ssl.SSLContext | None = None
    keep_alive: bool = False  # serve further requests on a connection (HTTP/1.1 keep-alive)
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, bytes]] = field(default_factory=list)
    _socket: socket.socket | None = None
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _connections: list[socket.socket] = field(default_factory=list)

    def route(
        self,
        path: str,
        response: bytes | Sequence[bytes],
        *,
        pause: float = 0.0,
        hold_open: float = 0.0,
        silent: bool = False,
        handler: Callable[[socket.socket, threading.Event], None] | None = None,
    ) -> bytes:
        """Answer ``path`` with ``response`` (bytes, or pieces); returns the bytes written.

        ``handler(connection, stop)`` instead writes whatever it likes (an endless or
        slow answer), until ``stop`` is set when the server shuts down.
        """
        pieces = [response] if isinstance(response, bytes) else list(response)
        self.routes[path] = Route(
            pieces, pause=pause, hold_open=hold_open, silent=silent, handler=handler
        )
        return b"".join(pieces)

    @property
    def connections(self) -> int:
        """How many connections the server has accepted."""
        return len(self._connections)

    @property
    def port(self) -> int:
        assert self._socket is not None, "the server is not started"
        return int(self._socket.getsockname()[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.tls_context else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def __enter__(self) -> FixtureServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.05)
        self._socket = listener
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.close()
        if self._socket is not None:
            self._socket.close()

    def _serve(self) -> None:
        assert self._socket is not None
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self._connections.append(connection)
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        try:
            if self.tls_context is not None:
                connection.settimeout(5)
                try:
                    connection = self.tls_context.wrap_socket(connection, server_side=True)
                except (ssl.SSLError, OSError):
                    return
            connection.settimeout(5)
            pending = bytearray()
            while True:
                while b"\r\n\r\n" not in pending:
                    data = connection.recv(65536)
                    if not data:
                        return
                    pending += data
                end = pending.index(b"\r\n\r\n") + 4
                request, pending = pending[:end], pending[end:]
                path = request.split(b" ", 2)[1].decode("latin-1")
                self.requests.append((path, bytes(request)))
                route = self.routes.get(path) or Route(
                    [http_response(404, "Not Found", [("Content-Type", "text/plain")], b"no route")]
                )
                if route.handler is not None:
                    route.handler(connection, self._stop)
                    return
                if route.silent:
                    self._stop.wait(10)
                    return
                for index, piece in enumerate(route.pieces):
                    if index and route.pause and self._stop.wait(route.pause):
                        return
                    connection.sendall(piece)
                if route.hold_open:
                    self._stop.wait(route.hold_open)
                if not self.keep_alive:
                    return
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                connection.close()


def unused_port() -> int:
    """A local port with nothing listening (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(predicate: object, timeout: float = 2.0) -> None:
    """Poll ``predicate()`` until true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.01)

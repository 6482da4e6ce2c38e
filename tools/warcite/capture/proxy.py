"""The recording proxy: a browser's HTTP(S) traffic, recorded by warcite's own recorder.

A :class:`RecordingProxy` listens on 127.0.0.1 (an ephemeral port) for one capture only.
Each request the browser sends is forwarded to the origin by the capture's
:class:`~warcite.capture.recorder.Recorder` (exact bytes out, exact bytes in, digests
computed as they arrive, the same size and time limits as ``capture``), and the response
is handed back to the browser byte for byte once it has been received (store and forward:
the bytes the browser reads are the bytes the WARC keeps).

- Plain HTTP: the browser sends absolute-form requests (``GET http://host/path``); the
  proxy sends them in origin form, without the ``Proxy-*`` headers, otherwise unchanged.
- HTTPS: the browser asks ``CONNECT host:port``; the proxy answers 200 and ends the TLS
  connection itself with a certificate from the capture's throwaway
  :class:`~warcite.capture.authority.CertificateAuthority` (which only that browser
  trusts), then forwards each request over its own TLS connection to the origin, verified
  against the system's trust store (or ``--ca-bundle``) as ``capture`` does.  The chain
  each origin presented is kept (:attr:`Recorder.certificate_chains`).

Requests the proxy does not forward get an error answer and are listed in
:attr:`RecordingProxy.blocked` with the reason: a destination on a private, loopback or
link-local address (unless allowed), a request larger than :data:`MAX_REQUEST_BODY`, a
chunked request body, a scheme other than http(s), or the capture's budgets spent.
Everything is bounded: request heads (:data:`MAX_REQUEST_HEAD`), connections at once
(:data:`MAX_CONNECTIONS`), and time (the recorder's limits).
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from warcite.capture.authority import CertificateAuthority
from warcite.capture.recorder import Exchange, Recorder
from warcite.capture.spool import Spool
from warcite.core.errors import CaptureError

MAX_REQUEST_HEAD = 64 * 1024
"""The most bytes a request's line and headers may take."""
MAX_REQUEST_BODY = 16 * 1024 * 1024
"""The largest request body forwarded (form posts, JSON queries)."""
MAX_CONNECTIONS = 64
"""Browser connections served at once; more wait to be accepted."""
IDLE_TIMEOUT = 30.0
"""Seconds a browser connection may sit idle between two requests."""

REPEATABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HOP_BY_HOP = frozenset({"proxy-connection", "proxy-authorization", "proxy-authenticate"})
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def is_private_address(address: str) -> bool:
    """Whether ``address`` (an IP address) is private, loopback, link-local or unspecified."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified


class BlockedRequest(CaptureError):
    """A request the proxy refused to forward (the reason is the message)."""


def address_policy(allow_private: bool) -> Callable[[str, str], None]:
    """The recorder's ``address_check``: refuse a connection to a private address."""

    def check(url: str, ip_address: str) -> None:
        if not allow_private and is_private_address(ip_address):
            raise BlockedRequest(
                f"{url}: refused: {ip_address} is a private, loopback or link-local address "
                "(use --allow-private to capture such destinations)"
            )

    return check


class Activity:
    """The proxy's traffic as it happens: requests in flight (from the head received to
    the answer sent), requests started, and when anything last happened (a connection
    opened, a request started or ended; ``time.monotonic()``).  Exact, for every frame
    and worker of the page, because every request goes through the proxy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0
        self.started = 0
        self.last_change = time.monotonic()

    def touch(self) -> None:
        with self._lock:
            self.last_change = time.monotonic()

    def begin(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.started += 1
            self.last_change = time.monotonic()

    def end(self) -> None:
        with self._lock:
            self.in_flight = max(0, self.in_flight - 1)
            self.last_change = time.monotonic()

    def snapshot(self) -> tuple[int, int, float]:
        """(requests in flight, requests started, monotonic time of the last change)."""
        with self._lock:
            return self.in_flight, self.started, self.last_change


@dataclass
class ProxyLog:
    """What the proxy did: exchanges recorded (in the order they ended) and refusals."""

    exchanges: list[Exchange] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    failed_urls: list[str] = field(default_factory=list)  # the URL of each failed line
    spools: list[Spool] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class RecordingProxy:
    """An HTTP(S) proxy on 127.0.0.1 that records every exchange with ``recorder``.

    Use as a context manager (or :meth:`start` / :meth:`close`); :attr:`port` is where it
    listens, :attr:`log` what it recorded.  Response spools live in ``spool_folder`` until
    the caller closes them (:meth:`close_spools`) after writing the WARC.
    """

    def __init__(
        self,
        recorder: Recorder | None,
        authority: CertificateAuthority,
        spool_folder: Path | None,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        """Without a ``recorder`` (a proxy prepared ahead of its capture), connections are
        accepted but nothing is read from them until :meth:`attach` gives one."""
        self.recorder: Recorder | None = None
        self.spool_folder: Path | None = None
        self._attached = threading.Event()
        if recorder is not None and spool_folder is not None:
            self.attach(recorder, spool_folder)
        self.authority = authority
        self.idle_timeout = idle_timeout
        self.log = ProxyLog()
        self.activity = Activity()
        self.port = 0
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._clients: set[socket.socket] = set()
        self._handlers: list[threading.Thread] = []
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def __enter__(self) -> RecordingProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def attach(self, recorder: Recorder, spool_folder: Path) -> None:
        """The capture's recorder and spool folder: requests are forwarded from now on."""
        self.recorder = recorder
        self.spool_folder = spool_folder
        self._attached.set()

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> int:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        listener.settimeout(0.2)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name="warcite-proxy", daemon=True)
        self._thread.start()
        return self.port

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.2):
                continue
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                self._slots.release()
                continue
            with self._lock:
                if self._stopping.is_set():
                    self._slots.release()
                    _close(client)
                    break
                self._clients.add(client)
                handler = threading.Thread(
                    target=self._serve, args=(client,), name="warcite-proxy-client", daemon=True
                )
                self._handlers.append(handler)
            self.activity.touch()
            handler.start()

    def close(self, wait: float = 5.0) -> None:
        """Stop listening, end every browser connection, wait (up to ``wait`` s) for the
        handlers; requests in flight are cut by the recorder's own limits."""
        self._stopping.set()
        self._attached.set()  # a handler waiting for a recorder gives up
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept() at once
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        if self._listener is not None:
            _close(self._listener)
        with self._lock:
            clients = list(self._clients)
            handlers = list(self._handlers)
        for client in clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
        for handler in handlers:
            handler.join(timeout=wait)

    def close_spools(self) -> None:
        with self.log.lock:
            for spool in self.log.spools:
                spool.close()
            self.log.spools.clear()

    # ------------------------------------------------------------------ one browser connection

    def _serve(self, client: socket.socket) -> None:
        self._attached.wait(self.idle_timeout)
        if self.recorder is None or self.spool_folder is None or self._stopping.is_set():
            with self._lock:
                self._clients.discard(client)
            _close(client)
            self._slots.release()
            return
        spool = Spool(self.spool_folder)
        with self.log.lock:
            self.log.spools.append(spool)
        connection: socket.socket = client
        origin: str | None = None  # "https://host[:port]" inside a CONNECT tunnel
        try:
            reader = _Reader(connection, self.idle_timeout)
            while not self._stopping.is_set():
                head = reader.head()
                if head is None:
                    return
                method, target, headers = _parse_head(head)
                if method == "CONNECT":
                    if origin is not None:
                        _answer(connection, 400, "CONNECT inside a tunnel")
                        return
                    host, port = _authority(target)
                    connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    context = self.authority.server_context(host)
                    connection.settimeout(self.idle_timeout)
                    try:
                        connection = context.wrap_socket(connection, server_side=True)
                    except (ssl.SSLError, OSError):
                        return
                    with self._lock:
                        self._clients.add(connection)
                    self.activity.touch()
                    shown = f"[{host}]" if ":" in host else host
                    origin = f"https://{shown}" + ("" if port == 443 else f":{port}")
                    reader = _Reader(connection, self.idle_timeout, reader.rest)
                    continue
                self.activity.begin()
                try:
                    body = reader.body(headers)
                    if body is None:
                        _answer(
                            connection, 411, "chunked or oversized request bodies are not forwarded"
                        )
                        self._note_blocked(
                            f"{method} {target}: refused: a chunked request body or one larger "
                            f"than {MAX_REQUEST_BODY} bytes"
                        )
                        return
                    url = origin + target if origin is not None else target
                    if not self._forward(connection, spool, method, url, headers, body):
                        return
                finally:
                    self.activity.end()
        except _BadRequest as error:
            with contextlib.suppress(OSError):
                _answer(connection, 400, str(error))
        except OSError:
            pass
        finally:
            with self._lock:
                self._clients.discard(client)
                self._clients.discard(connection)
            _close(connection)
            if connection is not client:
                _close(client)
            self._slots.release()  # another browser connection may be served

    def _note_blocked(self, line: str) -> None:
        with self.log.lock:
            self.log.blocked.append(line)

    def _forward(
        self,
        connection: socket.socket,
        spool: Spool,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> bool:
        """Forward one request, answer the browser; whether the connection may go on."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            _answer(connection, 400, "only absolute http(s) URLs are forwarded")
            self._note_blocked(f"{method} {url[:200]}: refused: not an http(s) URL")
            return False
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        kept = [(name, value) for name, value in headers if name.lower() not in _HOP_BY_HOP]
        request = (
            f"{method} {target} HTTP/1.1\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in kept)
            + "\r\n"
        ).encode("latin-1") + body
        try:
            assert self.recorder is not None  # _serve forwards nothing before attach()
            exchange = self.recorder.fetch(
                url,
                role="requisite",
                spool=spool,
                request=request,
                repeatable=method in REPEATABLE_METHODS and not body,
                expect_body=method != "HEAD",
            )
        except BlockedRequest as error:
            self._note_blocked(str(error))
            _answer(connection, 403, "refused by warcite: " + str(error))
            return False
        except CaptureError as error:
            with self.log.lock:
                self.log.failed.append(str(error))
                self.log.failed_urls.append(url)
            _answer(connection, 502, str(error))
            return False
        with self.log.lock:
            self.log.exchanges.append(exchange)
        for chunk in exchange.response.chunks():
            connection.sendall(chunk)
        return not exchange.truncated and _keeps_connection(exchange, method)


class _BadRequest(Exception):
    pass


class _Reader:
    """Reads requests from one browser connection, bounded in size and idle time."""

    def __init__(self, sock: socket.socket, idle_timeout: float, rest: bytes = b"") -> None:
        self.sock = sock
        self.idle_timeout = idle_timeout
        self.rest = rest

    def _recv(self) -> bytes:
        self.sock.settimeout(self.idle_timeout)
        try:
            return self.sock.recv(65536)
        except (TimeoutError, ssl.SSLError):
            return b""

    def head(self) -> bytes | None:
        """The next request's head, or None when the browser closed or went idle."""
        buffer = bytearray(self.rest)
        self.rest = b""
        while True:
            match = _HEAD_END.search(buffer)
            if match is not None:
                self.rest = bytes(buffer[match.end() :])
                return bytes(buffer[: match.end()])
            if len(buffer) > MAX_REQUEST_HEAD:
                raise _BadRequest(f"the request head exceeds {MAX_REQUEST_HEAD} bytes")
            data = self._recv()
            if not data:
                return None
            buffer += data
            if not buffer.strip(b"\r\n"):
                buffer.clear()  # empty lines between requests are allowed

    def body(self, headers: list[tuple[str, str]]) -> bytes | None:
        """The request body (by Content-Length); None when chunked or too long."""
        lookup = {name.lower(): value for name, value in headers}
        if "transfer-encoding" in lookup:
            return None
        length_text = lookup.get("content-length", "0").strip() or "0"
        if not length_text.isdigit():
            raise _BadRequest(f"Content-Length {length_text[:40]!r} is not a number")
        length = int(length_text)
        if length > MAX_REQUEST_BODY:
            return None
        buffer = bytearray(self.rest)
        while len(buffer) < length:
            data = self._recv()
            if not data:
                raise _BadRequest("the request body ended early")
            buffer += data
        self.rest = bytes(buffer[length:])
        return bytes(buffer[:length])


def _parse_head(head: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    text = head.decode("latin-1")
    lines = text.split("\n")
    parts = lines[0].strip().split(" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[2].startswith("HTTP/1."):
        raise _BadRequest(f"not an HTTP/1.x request line: {lines[0][:80]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        line = line.rstrip("\r")
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not _TOKEN.fullmatch(name):
            raise _BadRequest(f"not a header line: {line[:80]!r}")
        headers.append((name, value.strip()))
    return parts[0], parts[1], headers


def _authority(target: str) -> tuple[str, int]:
    """``host:port`` of a CONNECT request."""
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([^:\[\]/\s]+):(\d{1,5})", target)
    if match is None:
        raise _BadRequest(f"CONNECT to {target[:80]!r}: not host:port")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if not 0 < port < 65536:
        raise _BadRequest(f"CONNECT to {target[:80]!r}: no such port")
    return host.lower(), port


def _keeps_connection(exchange: Exchange, method: str) -> bool:
    """Whether the browser may send another request on this connection: the response's
    end is known from its framing (not by the connection closing)."""
    message = exchange.message
    if not message.start_line.startswith("HTTP/1.1"):
        return False
    if "close" in ",".join(message.header_values("Connection")).lower():
        return False
    status = message.status or 0
    if method == "HEAD" or 100 <= status < 200 or status in (204, 304):
        return True
    transfer = [
        coding.strip().lower()
        for value in message.header_values("Transfer-Encoding")
        for coding in value.split(",")
        if coding.strip()
    ]
    if transfer:
        return transfer[-1] == "chunked"
    return bool(message.header_values("Content-Length"))


def _answer(connection: socket.socket, status: int, reason_text: str) -> None:
    reasons = {400: "Bad Request", 403: "Forbidden", 411: "Length Required", 502: "Bad Gateway"}
    body = (reason_text[:2000] + "\n").encode("utf-8", "replace")
    head = (
        f"HTTP/1.1 {status} {reasons.get(status, 'Error')}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        connection.sendall(head.encode("ascii") + body)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


__all__ = [
    "MAX_CONNECTIONS",
    "MAX_REQUEST_BODY",
    "MAX_REQUEST_HEAD",
    "BlockedRequest",
    "ProxyLog",
    "RecordingProxy",
    "address_policy",
    "is_private_address",
]

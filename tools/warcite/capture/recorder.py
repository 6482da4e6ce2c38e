"""The HTTP recorder: GET requests over plain sockets, archived exactly as on the wire.

One :class:`Recorder` serves one capture.  It holds one TLS context (built once, on the
first https URL), keeps connections open between requests to the same host (HTTP/1.1
keep-alive; never with ``--http1.0``) and lets at most ``workers`` requests run at once per
host.  Each request's bytes are kept exactly as sent; each response's bytes are written to
a :class:`~warcite.capture.spool.Spool` as they arrive, exactly as received (interim 1xx
responses, status line, raw header bytes, chunked framing, content-coding), while their
block digest and payload digest (transfer-codings undone, see :mod:`warcite.warc`) are
computed, so memory does not grow with the body.

A connection is reused only when the previous response on it ended where its framing said
(Content-Length or chunked), with nothing after it and no ``Connection: close``; a reused
connection that the server has closed in the meantime is detected before sending where
possible, and the request is sent again on a new connection when the server closed it
without answering (a GET is safe to repeat; only the exchange that got an answer is
archived).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from warcite.capture.common import milliseconds_between
from warcite.capture.decoding import ChunkedDecoder, DecodeError, DecoderChain, codings_of
from warcite.capture.headers import check_header_value
from warcite.capture.spool import Region, Spool
from warcite.core.errors import CaptureError, UsageError
from warcite.core.urls import ascii_host, host_header, request_target
from warcite.core.warc.http import HttpMessage, available_content_codings, parse_http_message

if TYPE_CHECKING:  # ssl is imported when a capture first needs TLS (start-up time)
    import ssl

MAX_HEAD_BYTES = 256 * 1024
"""The most bytes a response's status line and headers (with interim responses) may take."""

MAX_HEADER_FIELDS = 1000
"""The most header lines a response may have."""

MAX_CONTENT_LENGTH = 2**63 - 1
"""A Content-Length beyond this is not a length any HTTP message can have."""

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(r"[0-9]+")
_RECV_SIZE = 256 * 1024
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)
"""Linux: acknowledge received data at once (see ``_recv``)."""


class _StaleConnection(Exception):
    """A kept-alive connection the server had closed: send again on a new one."""


@dataclass
class Exchange:
    """One HTTP request and its response, as on the wire (the response in a spool)."""

    url: str
    date: datetime  # taken before the request was sent (before connecting, if it did)
    ip_address: str
    request: bytes
    response: Region
    message: HttpMessage  # the final response's head (body not kept in memory)
    block_digest: str
    payload_digest: str | None  # None when the transfer-coding cannot be undone
    truncated: str | None
    timings: dict[str, int]  # milliseconds from the injected clock
    role: str  # page, redirect, requisite
    reused_connection: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def has_payload(self) -> bool:
        return self.response.length > len(self.message.head)


@dataclass
class Budget:
    """What the whole capture may spend: bytes received and time (monotonic seconds)."""

    max_total_bytes: int
    total_timeout: float
    started: float = field(default_factory=time.monotonic)
    used: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def deadline(self) -> float:
        return self.started + self.total_timeout

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    def grant(self, wanted: int) -> int:
        """Reserve up to ``wanted`` bytes; returns how many may be taken."""
        with self._lock:
            granted = max(0, min(wanted, self.max_total_bytes - self.used))
            self.used += granted
            return granted

    def charge(self, count: int) -> None:
        """Count bytes that must be taken whatever the budget (a response head)."""
        with self._lock:
            self.used += count

    def bytes_left(self) -> int:
        with self._lock:
            return self.max_total_bytes - self.used


@dataclass(frozen=True)
class Limits:
    timeout: float  # per exchange: connect, send, receive
    max_bytes: int  # per response body, as received
    user_agent: str
    http_version: str = "1.1"


@dataclass
class _Connection:
    sock: socket.socket
    ip_address: str
    served: int = 0
    tls: bool = False

    def looks_open(self) -> bool:
        """Whether the server has not closed this idle connection (as far as can be seen
        without sending): nothing to read on it.  On TLS, what is to read may be records
        that carry no data (TLS 1.3 session tickets sent after the handshake): those are
        taken in, and the connection is still open."""
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        if not self.tls:
            return False  # end of stream, or bytes nobody asked for: not reusable
        import ssl

        timeout = self.sock.gettimeout()
        try:
            self.sock.settimeout(0)
            self.sock.recv(1)  # data or the end: not reusable either way
        except ssl.SSLWantReadError:
            return True  # only records without application data were waiting
        except OSError:
            return False
        else:
            return False
        finally:
            with contextlib.suppress(OSError):
                self.sock.settimeout(timeout)


def _build_request(
    url: str,
    user_agent: str,
    referer: str | None,
    accept: str,
    http_version: str,
    extra: list[tuple[str, str]] | None = None,
) -> bytes:
    parts = urlsplit(url)
    host = ascii_host(parts.hostname or "", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    lines = [
        f"GET {request_target(parts)} HTTP/{http_version}",
        f"Host: {host_header(host, port, parts.scheme)}",
        f"User-Agent: {user_agent}",
        f"Accept: {accept}",
        f"Accept-Encoding: {', '.join(available_content_codings())}",
    ]
    if referer:
        lines.append(f"Referer: {referer}")
    lines.extend(f"{name}: {value}" for name, value in extra or ())
    check_header_value(user_agent, "the User-Agent")  # whoever calls: never a second line
    text = "\r\n".join(lines) + "\r\n\r\n"
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _check_http_start(url: str, data: bytes, *, final: bool) -> None:
    """Raise CaptureError as soon as the first bytes cannot begin an HTTP/1.x response."""
    prefix = b"HTTP/"
    probe = data[: len(prefix)]
    if not prefix.startswith(probe) or (final and len(data) < len(prefix)):
        shown = data[:60].decode("latin-1")
        raise CaptureError(
            f"cannot capture {url}: the server's answer is not HTTP (it began {shown!r})"
        )
    line_end = data.find(b"\n")
    if line_end >= 0 and not re.match(rb"HTTP/\d(?:\.\d)? \d{3}(?:[ \t]|\r?$)", data[:line_end]):
        shown = data[:line_end].decode("latin-1")[:80]
        raise CaptureError(
            f"cannot capture {url}: the server's answer is not HTTP (status line {shown!r})"
        )


def _framing(url: str, message: HttpMessage) -> tuple[str, int]:
    """How the response body ends: ("none"|"chunked"|"length"|"close", expected length).

    Raises CaptureError for a Content-Length no message can have (beyond 2**63 - 1).
    """
    status = message.status or 0
    if 100 <= status < 200 or status in (204, 304):
        return "none", 0
    transfer = codings_of(message.header_values("Transfer-Encoding"))
    if transfer:
        return ("chunked", 0) if transfer[-1] == "chunked" else ("close", 0)
    values = {
        value.strip()
        for header in message.header_values("Content-Length")
        for value in header.split(",")
    }
    if len(values) == 1:
        value = next(iter(values))
        if _CONTENT_LENGTH.fullmatch(value):
            length = int(value) if len(value) <= 20 else MAX_CONTENT_LENGTH + 1
            if length > MAX_CONTENT_LENGTH:
                shown = value if len(value) <= 40 else value[:37] + "..."
                raise CaptureError(
                    f"cannot capture {url}: the server declared a Content-Length of {shown} "
                    "bytes, which no HTTP message can have; this is not a sane answer"
                )
            return "length", length
    return "close", 0


class Recorder:
    """Sends GETs and records the exchanges of one capture (thread-safe)."""

    def __init__(
        self,
        *,
        limits: Limits,
        clock: Callable[[], datetime],
        budget: Budget,
        tls_context: ssl.SSLContext | None = None,
        workers: int = 4,
        delay: float = 0.0,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.budget = budget
        self._tls_context = tls_context
        self._workers = workers
        self._delay = delay
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a connection was checked in, made
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._connecting: dict[tuple[str, str, int], int] = {}  # preconnections under way
        self._slots: dict[tuple[str, str, int], threading.BoundedSemaphore] = {}
        self._last_request: dict[tuple[str, str, int], float] = {}
        self._closed = False
        self._aborted = False
        self._active: set[socket.socket] = set()
        self.certificate_chains: dict[str, list[str]] = {}  # origin -> PEM, first handshake
        self.address_check: Callable[[str, str], None] | None = None  # (url, IP): may refuse
        self.extra_headers: Callable[[str], list[tuple[str, str]]] | None = None  # url -> more

    # ------------------------------------------------------------------ connections

    def tls_context(self) -> ssl.SSLContext:
        """The capture's one TLS context (the system's trust unless one was given)."""
        import ssl

        with self._lock:
            if self._tls_context is None:
                self._tls_context = ssl.create_default_context()
            return self._tls_context

    @staticmethod
    def _key(url: str) -> tuple[str, str, int]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return (
            scheme,
            (parts.hostname or "").lower(),
            parts.port or (443 if scheme == "https" else 80),
        )

    @contextlib.contextmanager
    def _slot(self, key: tuple[str, str, int]) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(key, threading.BoundedSemaphore(self._workers))
        slot.acquire()
        try:
            if self._delay > 0:
                with self._lock:
                    wait = self._last_request.get(key, 0.0) + self._delay - time.monotonic()
                    self._last_request[key] = time.monotonic() + max(0.0, wait)
                if wait > 0:
                    time.sleep(min(wait, max(0.0, self.budget.time_left())))
            yield
        finally:
            slot.release()

    def _checkout(
        self, key: tuple[str, str, int], *, deadline: float | None = None
    ) -> _Connection | None:
        """An idle kept-alive connection to ``key`` that still looks open, or None.

        With a ``deadline``, a request that finds none waits for a preconnection under way
        (or a connection another request is done with) rather than opening one more, so a
        host never gets more connections than the capture preconnected or has workers.
        """
        while True:
            with self._changed:
                idle = self._idle.get(key)
                while not idle and deadline is not None and self._connecting.get(key):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self._aborted or self._closed:
                        break
                    self._changed.wait(remaining)
                    idle = self._idle.get(key)
                if not idle:
                    return None
                connection = idle.pop()
            if connection.looks_open():
                return connection
            _close(connection.sock)

    def _checkin(self, key: tuple[str, str, int], connection: _Connection) -> None:
        with self._changed:
            if not self._closed:
                self._idle.setdefault(key, []).append(connection)
                self._changed.notify()
                return
        _close(connection.sock)

    def preconnect(self, url: str, count: int) -> None:
        """Open ``count`` connections to ``url``'s host in the background, as a browser
        does for a page's host: the page takes the first one ready and its requisites find
        the others open instead of each waiting for a connection (TCP, TLS, a server's
        per-connection cost) after the page.  The first is opened alone: when it fails
        (refused, DNS, a certificate), no more are tried and the request that would have
        used it opens its own and reports the error.  Never with HTTP/1.0."""
        if count <= 0 or self.limits.http_version != "1.1":
            return
        key = self._key(url)
        deadline = min(time.monotonic() + self.limits.timeout, self.budget.deadline)
        with self._lock:
            self._connecting[key] = self._connecting.get(key, 0) + count
        self._start_preconnect(url, key, deadline, count)

    def _start_preconnect(
        self, url: str, key: tuple[str, str, int], deadline: float, count: int
    ) -> None:
        threading.Thread(
            target=self._preconnect,
            args=(url, key, deadline, count),
            name="warcite-preconnect",
            daemon=True,
        ).start()

    def _preconnect(self, url: str, key: tuple[str, str, int], deadline: float, count: int) -> None:
        """Open one connection; when ``count`` > 1 and it opened, start the other ones."""
        connection: _Connection | None
        try:
            connection = self._connect(url, deadline)
        except CaptureError:
            connection = None
        with self._changed:
            dropped = count if connection is None or self._closed else 1
            self._connecting[key] -= dropped
            if connection is not None and not self._closed:
                self._idle.setdefault(key, []).append(connection)
                connection = None
            self._changed.notify_all()
        if connection is not None:  # the capture ended meanwhile
            _close(connection.sock)
        if dropped < count:
            for _ in range(count - 1):
                self._start_preconnect(url, key, deadline, 1)

    def close(self) -> None:
        """Close every idle connection (the end of the capture)."""
        with self._changed:
            self._closed = True
            connections = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
            self._changed.notify_all()
        for connection in connections:
            _close(connection.sock)

    def abort(self) -> None:
        """Stop at once: refuse new requests, cut the ones in flight (a failure, Ctrl-C)."""
        with self._changed:
            self._aborted = True
            active = list(self._active)
            self._changed.notify_all()
        for sock in active:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # a blocked recv returns at once
        self.close()

    def _connect(self, url: str, deadline: float) -> _Connection:
        parts = urlsplit(url)
        host = ascii_host(parts.hostname or "", url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        where = f"{host}:{port}"
        timeout = max(0.001, deadline - time.monotonic())
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except socket.gaierror as error:
            raise CaptureError(
                f"cannot capture {url}: the host name {host} could not be resolved "
                f"(DNS: {error.strerror or error}); check the URL and the network"
            ) from error
        except ConnectionRefusedError as error:
            raise CaptureError(
                f"cannot capture {url}: the connection to {where} was refused "
                "(nothing is listening there)"
            ) from error
        except TimeoutError as error:
            raise CaptureError(
                f"cannot capture {url}: connecting to {where} timed out after {timeout:g} s "
                "(raise --timeout or try later)"
            ) from error
        except OSError as error:
            raise CaptureError(
                f"cannot capture {url}: cannot connect to {where}: {error.strerror or error}"
            ) from error
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            ip_address = str(sock.getpeername()[0])
        except OSError as error:  # the server reset the connection as soon as it opened
            _close(sock)
            raise CaptureError(
                f"cannot capture {url}: the connection to {where} was closed by the server as "
                f"soon as it opened ({error.strerror or error}); try later"
            ) from error
        if self.address_check is not None:
            try:
                self.address_check(url, ip_address)
            except CaptureError:
                _close(sock)
                raise
        if parts.scheme == "https":
            import ssl

            context = self.tls_context()
            try:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock = context.wrap_socket(sock, server_hostname=host)
            except ssl.SSLCertVerificationError as error:
                _close(sock)
                raise CaptureError(
                    f"cannot capture {url}: TLS certificate verification failed "
                    f"({error.verify_message or error}); warcite verifies certificates and "
                    "archives nothing it could not authenticate (see --ca-bundle)"
                ) from error
            except (ssl.SSLError, OSError) as error:
                _close(sock)
                raise CaptureError(
                    f"cannot capture {url}: the TLS handshake failed ({error})"
                ) from error
            origin = f"https://{host}:{port}"
            if origin not in self.certificate_chains:
                chain = peer_certificate_chain(sock)
                with self._lock:
                    self.certificate_chains.setdefault(origin, chain)
        return _Connection(sock, ip_address, tls=parts.scheme == "https")

    # ------------------------------------------------------------------ exchanges

    def fetch(
        self,
        url: str,
        *,
        role: str,
        spool: Spool,
        referer: str | None = None,
        request: bytes | None = None,
        repeatable: bool = True,
        expect_body: bool = True,
    ) -> Exchange:
        """Send one GET for ``url`` (or ``request``, exact bytes: the recording proxy's
        forwarded request) and record its response into ``spool``.  A request that is not
        ``repeatable`` (not a GET) is sent on a new connection; a HEAD is not
        ``expect_body``.

        Raises CaptureError when no response arrives (connection refused, DNS, TLS,
        timeout before the head, a non-HTTP answer, the capture's time budget spent).
        A response cut by time, size, the byte budget or a disconnect is returned, marked.
        """
        if self._aborted:
            raise CaptureError(f"cannot capture {url}: the capture was stopped")
        if self.budget.time_left() <= 0:
            raise CaptureError(
                f"cannot capture {url}: the capture's time budget of "
                f"{self.budget.total_timeout:g} s is spent (raise --total-timeout)"
            )
        accept = (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            if role != "requisite"
            else "*/*"
        )
        if request is None:
            request = _build_request(
                url,
                self.limits.user_agent,
                referer,
                accept,
                self.limits.http_version,
                self.extra_headers(url) if self.extra_headers is not None else None,
            )
        key = self._key(url)
        with self._slot(key):
            connection = None
            waited = 0.0  # seconds spent waiting for a connection (a preconnection)
            if self.limits.http_version == "1.1" and repeatable:
                started = time.monotonic()
                wait_until = min(started + self.limits.timeout, self.budget.deadline)
                connection = self._checkout(key, deadline=wait_until)
                waited = time.monotonic() - started
                if connection is None and started + waited >= wait_until:
                    raise CaptureError(
                        f"cannot capture {url}: no connection to {key[1]}:{key[2]} could be "
                        f"opened within {self.limits.timeout:g} s (raise --timeout or try later)"
                    )
            if connection is not None:
                try:
                    return self._exchange(
                        url,
                        key,
                        connection,
                        request,
                        role,
                        spool,
                        waited=waited,
                        expect_body=expect_body,
                    )
                except _StaleConnection:
                    pass  # the server closed it while idle: a new connection
            return self._exchange(url, key, None, request, role, spool, expect_body=expect_body)

    def _exchange(
        self,
        url: str,
        key: tuple[str, str, int],
        connection: _Connection | None,
        request: bytes,
        role: str,
        spool: Spool,
        *,
        waited: float = 0.0,
        expect_body: bool = True,
    ) -> Exchange:
        """One request and its response, on ``connection`` (kept open, or a preconnection
        waited for ``waited`` seconds) or on a new one."""
        timeout = self.limits.timeout
        own_deadline = time.monotonic() + timeout
        deadline = min(own_deadline, self.budget.deadline)
        date = self.clock()
        reused = connection is not None
        if connection is None:
            connection = self._connect(url, deadline)
        connected = self.clock()
        sock = connection.sock
        keep = False
        with self._lock:
            self._active.add(sock)
        try:
            if self._aborted:
                raise CaptureError(f"cannot capture {url}: the capture was stopped")
            try:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock.sendall(request)
            except OSError as error:
                if reused:
                    raise _StaleConnection() from error
                raise CaptureError(
                    f"cannot capture {url}: sending the request failed: {error}"
                ) from error
            receiver = _Receiver(
                url=url,
                sock=sock,
                spool=spool,
                deadline=deadline,
                budget=self.budget,
                max_bytes=self.limits.max_bytes,
                timeout=timeout,
                time_budget_is_limit=self.budget.deadline < own_deadline,
                reused=reused,
                clock=self.clock,
                expect_body=expect_body,
            )
            receiver.run()
            connection.served += 1
            keep = self.limits.http_version == "1.1" and receiver.reusable and not self._closed
        finally:
            with self._lock:
                self._active.discard(sock)
            if keep and not self._aborted:
                self._checkin(key, connection)
            else:
                _close(sock)
        finished = self.clock()
        timings = {
            # the time the request waited for its connection: none for one kept open
            "connect-ms": int(waited * 1000) if reused else milliseconds_between(date, connected),
            "first-byte-ms": milliseconds_between(date, receiver.first_byte or finished),
            "total-ms": milliseconds_between(date, finished),
        }
        assert receiver.message is not None
        return Exchange(
            url=url,
            date=date,
            ip_address=connection.ip_address,
            request=request,
            response=Region(spool, receiver.start, receiver.length),
            message=receiver.message,
            block_digest="sha256:" + receiver.block_hash.hexdigest(),
            payload_digest=receiver.payload_digest(),
            truncated=receiver.truncated,
            timings=timings,
            role=role,
            reused_connection=reused,
            warnings=receiver.warnings,
        )


class _Receiver:
    """Receives one response into a spool, computing its digests as the bytes arrive."""

    def __init__(
        self,
        *,
        url: str,
        sock: socket.socket,
        spool: Spool,
        deadline: float,
        budget: Budget,
        max_bytes: int,
        timeout: float,
        time_budget_is_limit: bool,
        reused: bool,
        clock: Callable[[], datetime],
        expect_body: bool = True,
    ) -> None:
        self.expect_body = expect_body
        self.url = url
        self.sock = sock
        self.spool = spool
        self.deadline = deadline
        self.budget = budget
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.time_budget_is_limit = time_budget_is_limit
        self.reused = reused
        self.clock = clock
        self.start = spool.size
        self.length = 0
        self.block_hash = hashlib.sha256()
        self.payload_hash: hashlib._Hash | None = hashlib.sha256()
        self.message: HttpMessage | None = None
        self.truncated: str | None = None
        self.warnings: list[str] = []
        self.first_byte: datetime | None = None
        self.reusable = False
        self._chunked: ChunkedDecoder | None = None
        self._transfer: DecoderChain | None = None
        self._framing = "close"
        self._expected = 0
        self._body_received = 0

    def payload_digest(self) -> str | None:
        if self.payload_hash is None:
            return None
        if self._transfer is not None:
            try:
                for piece in self._transfer.finish():
                    self._payload(piece, decoded=True)
            except DecodeError as error:
                self._no_payload_digest(error)
            self._transfer = None
            if self.payload_hash is None:
                return None
        return "sha256:" + self.payload_hash.hexdigest()

    def _no_payload_digest(self, error: DecodeError) -> None:
        """The payload cannot be known: no WARC-Payload-Digest rather than a wrong one."""
        self.warnings.append(
            f"{self.url}: the transfer-coding cannot be undone ({error}); the response is "
            "kept as received, without a payload digest"
        )
        self.payload_hash = None
        self._transfer = None

    def _store(self, data: bytes) -> None:
        self.spool.append(data)
        self.block_hash.update(data)
        self.length += len(data)

    def _payload(self, data: bytes, *, decoded: bool = False) -> None:
        """Feed body bytes (chunked framing already undone) to the payload digest."""
        if self.payload_hash is None or not data:
            return
        if self._transfer is None or decoded:
            self.payload_hash.update(data)
            return
        try:
            for piece in self._transfer.feed(data):
                if self.payload_hash is None:
                    return
                self.payload_hash.update(piece)
        except DecodeError as error:
            self._no_payload_digest(error)

    def _recv(self) -> bytes | None:
        """The next bytes; b"" at the end of the connection; None when time ran out."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return None
        self.sock.settimeout(remaining)
        if _QUICKACK is not None:
            # acknowledge at once: an origin that writes its head and body apart (Nagle)
            # would otherwise wait for a delayed ACK, 40 ms, on a reused connection
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        try:
            data = self.sock.recv(_RECV_SIZE)
        except TimeoutError:
            return None
        if data and self.first_byte is None:
            self.first_byte = self.clock()
        return data

    def _time_message(self) -> str:
        if self.time_budget_is_limit:
            return (
                f"the capture's time budget of {self.budget.total_timeout:g} s ran out "
                "(raise --total-timeout)"
            )
        return f"no complete response within {self.timeout:g} s (raise --timeout or try later)"

    def run(self) -> None:
        rest = self._receive_head()
        if rest is None:
            return
        self._receive_body(rest)

    def _receive_head(self) -> bytes | None:
        buffer = bytearray()
        head_start = 0
        while True:
            try:
                data = self._recv()
            except OSError as error:
                if self.reused and not buffer:
                    raise _StaleConnection() from error
                raise CaptureError(
                    f"cannot capture {self.url}: the connection failed before a response "
                    f"arrived ({error})"
                ) from error
            if data is None:
                raise CaptureError(f"cannot capture {self.url}: {self._time_message()}")
            if not data:
                if not buffer:
                    if self.reused:
                        raise _StaleConnection()
                    raise CaptureError(
                        f"cannot capture {self.url}: the server closed the connection "
                        "without answering"
                    )
                _check_http_start(self.url, bytes(buffer[head_start:]), final=True)
                raise CaptureError(
                    f"cannot capture {self.url}: the server closed the connection in the "
                    "middle of the response headers"
                )
            search_from = max(head_start, len(buffer) - 3)
            buffer += data
            while True:
                _check_http_start(
                    self.url, bytes(buffer[head_start : head_start + 200]), final=False
                )
                match = _HEAD_END.search(buffer, search_from)
                if match is None:
                    if len(buffer) > MAX_HEAD_BYTES:
                        raise CaptureError(
                            f"cannot capture {self.url}: the response headers exceed "
                            f"{MAX_HEAD_BYTES} bytes; this is not a sane HTTP answer"
                        )
                    break
                head_end = match.end()
                if head_end > MAX_HEAD_BYTES:
                    raise CaptureError(
                        f"cannot capture {self.url}: the response headers exceed "
                        f"{MAX_HEAD_BYTES} bytes; this is not a sane HTTP answer"
                    )
                parsed = parse_http_message(bytes(buffer[head_start:head_end]))
                if parsed.status is None:
                    raise CaptureError(
                        f"cannot capture {self.url}: the answer is not HTTP (status line "
                        f"{parsed.start_line[:80]!r})"
                    )
                if len(parsed.headers) > MAX_HEADER_FIELDS:
                    raise CaptureError(
                        f"cannot capture {self.url}: the response has more than "
                        f"{MAX_HEADER_FIELDS} header fields; this is not a sane HTTP answer"
                    )
                if 100 <= parsed.status < 200 and parsed.status != 101:
                    head_start = head_end  # an interim response (103 Early Hints): kept
                    search_from = head_end
                    continue
                head = bytes(buffer[:head_end])
                self.message = parse_http_message(head)
                self._framing, self._expected = _framing(self.url, self.message)
                if not self.expect_body:  # the answer to a HEAD: a head only
                    self._framing, self._expected = "none", 0
                self.budget.charge(len(head))
                self._store(head)
                self._start_body()
                return bytes(buffer[head_end:])

    def _start_body(self) -> None:
        assert self.message is not None
        codings = codings_of(self.message.header_values("Transfer-Encoding"))
        if self._framing == "chunked":
            self._chunked = ChunkedDecoder()
            codings = codings[:-1]
        codings = [coding for coding in codings if coding != "identity"]
        if codings:
            try:
                self._transfer = DecoderChain(codings, self.max_bytes, transfer=True)
            except DecodeError as error:
                self.payload_hash = None
                self.warnings.append(
                    f"{self.url}: {error}; no payload digest is written for this response"
                )

    def _receive_body(self, data: bytes) -> None:
        done = self._framing == "none" or (self._framing == "length" and self._expected == 0)
        leftover = False
        while not done:
            if data:
                done, leftover = self._consume(data)
                if done or self.truncated:
                    break
            try:
                received = self._recv()
            except OSError as error:
                self.truncated = "disconnect"
                self.warnings.append(f"{self.url}: the connection failed mid-body ({error})")
                return
            if received is None:
                self.truncated = "time"
                if self.time_budget_is_limit:
                    self.warnings.append(f"{self.url}: cut: {self._time_message()}")
                return
            if not received:
                if self._framing != "close":
                    self.truncated = "disconnect"
                    self.warnings.append(
                        f"{self.url}: the server closed the connection before the end of the body"
                    )
                return
            data = received
        if done and not self.truncated:
            if data and not leftover and self._body_received == 0 and not self._expected:
                leftover = True
            assert self.message is not None
            connection_header = ",".join(self.message.header_values("Connection")).lower()
            self.reusable = (
                self._framing in ("length", "chunked", "none")
                and not leftover
                and "close" not in connection_header
                and self.message.start_line.startswith("HTTP/1.1")
            )

    def _consume(self, data: bytes) -> tuple[bool, bool]:
        """Take body bytes; returns (message complete, bytes left over after it)."""
        limit_reason: str | None = None
        allowed = self.max_bytes - self._body_received
        if len(data) > allowed:
            data, limit_reason = data[: max(0, allowed)], "length"
        granted = self.budget.grant(len(data))
        if granted < len(data):
            data, limit_reason = data[:granted], "length"
            self.warnings.append(
                f"{self.url}: cut at the capture's byte budget of "
                f"{self.budget.max_total_bytes} bytes (raise --max-total-bytes)"
            )
        cut = limit_reason is not None
        done = False
        take = len(data)
        payload = data
        if self._framing == "length":
            take = min(take, self._expected - self._body_received)
            payload = data[:take]
            done = self._body_received + take == self._expected
        elif self._framing == "chunked" and self._chunked is not None:
            try:
                payload = self._chunked.feed(data)
            except DecodeError as error:
                self.warnings.append(
                    f"{self.url}: malformed chunked framing ({error}); the bytes are kept as "
                    "received, read until the connection closed"
                )
                self._chunked = None
                self._framing = "close"
                payload = b""
            else:
                if self._chunked.done:
                    take = self._chunked.consumed
                    done = True
        self._store(data[:take])
        self._payload(payload)
        self._body_received += take
        leftover = take < len(data)
        if not done and cut:
            self.truncated = "length"
        return done, leftover


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


def peer_certificate_chain(sock: ssl.SSLSocket) -> list[str]:
    """The certificates the server presented, as PEM, leaf first (the verified chain,
    trust anchor included, where Python gives it; else the leaf alone)."""
    import ssl

    public = getattr(sock, "get_verified_chain", None)  # public from Python 3.13: DER bytes
    if public is not None:
        with contextlib.suppress(ssl.SSLError, ValueError):
            if chain := [ssl.DER_cert_to_PEM_cert(der) for der in public()]:
                return chain
    else:  # before 3.13, only the C object has it, giving _ssl.Certificate objects
        private = getattr(getattr(sock, "_sslobj", None), "get_verified_chain", None)
        if private is not None:
            with contextlib.suppress(ssl.SSLError, ValueError, AttributeError):
                if chain := [str(certificate.public_bytes()) for certificate in private() or []]:
                    return chain  # public_bytes() gives PEM by default
    leaf = sock.getpeercert(binary_form=True)
    return [ssl.DER_cert_to_PEM_cert(leaf)] if leaf else []


def is_html(message: HttpMessage) -> bool:
    media_type = (message.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media_type in ("text/html", "application/xhtml+xml")


def tls_context_from_bundle(path: str) -> ssl.SSLContext:
    """A verifying TLS context that trusts the CA certificates of a PEM file (``--ca-bundle``).

    Without it, capture uses the system's trust store, which OpenSSL lets the environment
    variables ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` replace.
    Raises UsageError when the file cannot be read or holds no certificate.
    """
    import ssl

    try:
        return ssl.create_default_context(cafile=path)
    except FileNotFoundError as error:
        raise UsageError(f"--ca-bundle {path}: no such file") from error
    except (ssl.SSLError, OSError, ValueError) as error:
        raise UsageError(
            f"--ca-bundle {path}: not a PEM file of CA certificates ({error})"
        ) from error

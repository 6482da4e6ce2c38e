"""The HTTP recorder: one GET over a plain socket, request and response kept exactly as on the wire."""

from __future__ import annotations

import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from warcite.capture.common import _ms
from warcite.capture.urls import _ascii_host, _host_header, _request_target
from warcite.errors import CaptureError
from warcite.warc import (
    HttpMessage,
    available_content_codings,
    parse_http_message,
)

MAX_HEAD_BYTES = 256 * 1024
_HEAD_END = re.compile(rb"\r?\n\r?\n")


@dataclass
class _Exchange:
    """One HTTP request and its response, as on the wire."""

    url: str
    date: datetime  # taken before the request was sent
    ip_address: str
    request: bytes
    response: bytes
    message: HttpMessage
    truncated: str | None
    timings: dict[str, int]  # milliseconds from the injected clock
    role: str  # page, redirect, requisite
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Limits:
    timeout: float
    max_bytes: int
    user_agent: str
    tls_context: ssl.SSLContext | None = None


def _build_request(url: str, user_agent: str, referer: str | None, accept: str) -> bytes:
    parts = urlsplit(url)
    host = _ascii_host(parts.hostname or "", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    lines = [
        f"GET {_request_target(parts)} HTTP/1.1",
        f"Host: {_host_header(host, port, parts.scheme)}",
        f"User-Agent: {user_agent}",
        f"Accept: {accept}",
        f"Accept-Encoding: {', '.join(available_content_codings())}",
    ]
    if referer:
        lines.append(f"Referer: {referer}")
    lines.append("Connection: close")
    text = "\r\n".join(lines) + "\r\n\r\n"
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _chunked_end(data: bytes | bytearray, start: int) -> tuple[int, int | None]:
    """Scan chunked framing in ``data`` from ``start`` (absolute positions).

    Returns (where to resume scanning once more data arrives, the end of the message or
    None while it is incomplete).  Raises ValueError on framing that is not chunked.
    """
    position = start
    while True:
        line_end = data.find(b"\n", position)
        if line_end < 0:
            return position, None
        size_text = bytes(data[position:line_end]).split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]+", size_text):
            raise ValueError(f"bad chunk size line {bytes(data[position:line_end])[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            cursor = line_end + 1
            while True:  # trailer fields, then an empty line
                trailer_end = data.find(b"\n", cursor)
                if trailer_end < 0:
                    return position, None
                if not bytes(data[cursor:trailer_end]).strip():
                    return position, trailer_end + 1
                cursor = trailer_end + 1
        data_end = line_end + 1 + size
        if len(data) < data_end + 1:
            return position, None
        if data[data_end : data_end + 2] == b"\r\n":
            position = data_end + 2
        elif data[data_end : data_end + 1] == b"\n":
            position = data_end + 1
        elif len(data) < data_end + 2:
            return position, None
        else:
            raise ValueError("a chunk is not followed by CRLF")


def _connect(
    url: str, timeout: float, tls_context: ssl.SSLContext | None = None
) -> tuple[socket.socket, str]:
    parts = urlsplit(url)
    host = _ascii_host(parts.hostname or "", url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = f"{host}:{port}"
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
    ip_address = str(sock.getpeername()[0])
    if parts.scheme == "https":
        context = tls_context or ssl.create_default_context()
        try:
            sock = context.wrap_socket(sock, server_hostname=host)
        except ssl.SSLCertVerificationError as error:
            sock.close()
            raise CaptureError(
                f"cannot capture {url}: TLS certificate verification failed "
                f"({error.verify_message or error}); warcite verifies certificates and "
                "archives nothing it could not authenticate"
            ) from error
        except (ssl.SSLError, OSError) as error:
            sock.close()
            raise CaptureError(
                f"cannot capture {url}: the TLS handshake failed ({error})"
            ) from error
    return sock, ip_address


def _fetch(
    url: str,
    *,
    limits: _Limits,
    clock: Callable[[], datetime],
    role: str,
    referer: str | None = None,
) -> _Exchange:
    """Send one GET and receive its response, exactly as on the wire."""
    accept = (
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        if role != "requisite"
        else "*/*"
    )
    request = _build_request(url, limits.user_agent, referer, accept)
    deadline = time.monotonic() + limits.timeout
    date = clock()
    sock, ip_address = _connect(url, limits.timeout, limits.tls_context)
    connected = clock()
    buffer = bytearray()
    truncated: str | None = None
    warnings: list[str] = []
    first_byte: datetime | None = None
    with sock:
        try:
            sock.sendall(request)
        except OSError as error:
            raise CaptureError(
                f"cannot capture {url}: sending the request failed: {error}"
            ) from error
        head_start = 0
        message: HttpMessage | None = None
        body_start = 0
        framing = "close"
        expected_length = 0
        chunk_position = 0
        message_end: int | None = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if message is None:
                    raise CaptureError(
                        f"cannot capture {url}: no complete response within {limits.timeout:g} s "
                        "(raise --timeout or try later)"
                    )
                truncated = "time"
                break
            sock.settimeout(remaining)
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError as error:
                if message is None:
                    raise CaptureError(
                        f"cannot capture {url}: the connection failed before a response "
                        f"arrived ({error})"
                    ) from error
                truncated = "disconnect"
                warnings.append(f"{url}: the connection failed mid-body ({error})")
                break
            if data and first_byte is None:
                first_byte = clock()
            if not data:
                if message is None:
                    if not buffer:
                        raise CaptureError(
                            f"cannot capture {url}: the server at {ip_address} closed the "
                            "connection without answering"
                        )
                    _check_http_start(url, bytes(buffer), final=True)
                    raise CaptureError(
                        f"cannot capture {url}: the server closed the connection in the middle "
                        "of the response headers"
                    )
                if framing != "close" and message_end is None:
                    truncated = "disconnect"
                    warnings.append(
                        f"{url}: the server closed the connection before the end of the body"
                    )
                break
            buffer += data
            while message is None:
                _check_http_start(url, bytes(buffer[head_start:]), final=False)
                match = _HEAD_END.search(buffer, head_start)
                if match is None:
                    if len(buffer) > MAX_HEAD_BYTES:
                        raise CaptureError(
                            f"cannot capture {url}: the response headers exceed "
                            f"{MAX_HEAD_BYTES} bytes; this is not a sane HTTP answer"
                        )
                    break
                head_end = match.end()
                parsed = parse_http_message(bytes(buffer[head_start:head_end]))
                if parsed.status is None:
                    raise CaptureError(
                        f"cannot capture {url}: the answer is not HTTP (status line "
                        f"{parsed.start_line[:80]!r})"
                    )
                if 100 <= parsed.status < 200 and parsed.status != 101:
                    head_start = head_end  # an interim response (103 Early Hints): kept, skipped
                    continue
                message = parsed
                body_start = head_end
                framing, expected_length = _framing(message)
                if framing == "none":
                    message_end = body_start
            if message is None:
                continue
            if message_end is None:
                if framing == "chunked":
                    try:
                        chunk_position, message_end = _chunked_end(
                            buffer, max(chunk_position, body_start)
                        )
                    except ValueError as error:
                        warnings.append(
                            f"{url}: malformed chunked framing ({error}); the bytes are kept "
                            "as received, read until the connection closed"
                        )
                        framing = "close"
                elif framing == "length" and len(buffer) - body_start >= expected_length:
                    message_end = body_start + expected_length
            received_end = message_end if message_end is not None else len(buffer)
            if received_end - body_start > limits.max_bytes:
                del buffer[body_start + limits.max_bytes :]
                truncated = "length"
                break
            if message_end is not None:
                del buffer[message_end:]
                break
    finished = clock()
    if message is None:  # pragma: no cover - every path above raises or sets it
        raise CaptureError(f"cannot capture {url}: no response")
    response = bytes(buffer)
    final_message = parse_http_message(response)
    timings = {
        "connect-ms": _ms(date, connected),
        "first-byte-ms": _ms(date, first_byte or finished),
        "total-ms": _ms(date, finished),
    }
    return _Exchange(
        url=url,
        date=date,
        ip_address=ip_address,
        request=request,
        response=response,
        message=final_message,
        truncated=truncated,
        timings=timings,
        role=role,
        warnings=warnings,
    )


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


def _framing(message: HttpMessage) -> tuple[str, int]:
    """How the response body ends: ("none"|"chunked"|"length"|"close", expected length)."""
    status = message.status or 0
    if 100 <= status < 200 or status in (204, 304):
        return "none", 0
    transfer = (message.header("Transfer-Encoding") or "").lower()
    if transfer:
        codings = [c.strip() for c in transfer.split(",")]
        return ("chunked", 0) if codings[-1] == "chunked" else ("close", 0)
    length = message.header("Content-Length")
    if length is not None:
        values = {v.strip() for v in length.split(",")}
        if len(values) == 1 and next(iter(values)).isdigit():
            return "length", int(next(iter(values)))
    return "close", 0


def _entity(exchange: _Exchange) -> bytes:
    from warcite.warc import entity_body

    return entity_body(exchange.message)[0]


def _is_html(message: HttpMessage) -> bool:
    media_type = (message.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media_type in ("text/html", "application/xhtml+xml")

"""Credentials for an authenticated capture: cookies.txt, extra headers, and redaction.

``--cookies FILE`` reads a Netscape ``cookies.txt`` (as wget, curl and yt-dlp write it:
seven TAB-separated fields ``domain  include-subdomains  path  secure  expires  name
value``; ``#HttpOnly_`` prefixes kept; other ``#`` lines are comments).  ``--header
'Name: value'`` adds a request header.  Values with CR or LF, or names that are not HTTP
tokens, are usage errors: they could smuggle a second header or request.

Unless ``--keep-credentials``, the values of ``Cookie`` and ``Authorization`` headers
(``Proxy-Authorization`` too) in the WARC's request records are replaced by
``redacted-sha256:<hex>`` (the SHA-256 of the value sent), so the WARC shows that a
credential was sent and which one, without holding it.  The record of the capture says
that credentials were used.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from warcite.core.errors import UsageError

SECRET_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
"""Request headers whose values are credentials."""
MAX_COOKIE_FILE_BYTES = 4 * 1024 * 1024
"""The largest cookies.txt read."""
REDACTED_PREFIX = "redacted-sha256:"

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HOP_BY_HOP = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "te", "upgrade", "trailer"}
)


@dataclass(frozen=True)
class Cookie:
    """One cookie of a cookies.txt file."""

    domain: str  # without the leading dot
    include_subdomains: bool
    path: str
    secure: bool
    expires: int  # seconds since the epoch; 0: a session cookie
    name: str
    value: str
    http_only: bool = False

    def matches(self, host: str, path: str, scheme: str) -> bool:
        """Whether a request to ``scheme://host/path`` carries this cookie (RFC 6265 5.4)."""
        host = host.lower()
        domain = self.domain.lower()
        if host != domain and not (self.include_subdomains and host.endswith("." + domain)):
            return False
        if self.secure and scheme != "https":
            return False
        cookie_path = self.path or "/"
        return path == cookie_path or (
            path.startswith(cookie_path)
            and (cookie_path.endswith("/") or path[len(cookie_path) : len(cookie_path) + 1] == "/")
        )


def _check_value(text: str, where: str) -> None:
    if "\r" in text or "\n" in text or "\x00" in text:
        raise UsageError(f"{where}: the value holds a line break or NUL; refused")


def parse_header(text: str) -> tuple[str, str]:
    """``'Name: value'`` -> (name, value); UsageError for anything that is not one header."""
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not _TOKEN.fullmatch(name):
        raise UsageError(f"--header {text[:80]!r}: expected 'Name: value' with a valid header name")
    _check_value(text, f"--header {name}")
    if name.lower() in _HOP_BY_HOP:
        raise UsageError(f"--header {name}: warcite sets this header itself; it cannot be given")
    return name, value.strip()


def parse_headers(texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple(parse_header(text) for text in texts)


def read_cookies(path: str | Path) -> tuple[Cookie, ...]:
    """The cookies of a Netscape cookies.txt file; UsageError naming the line when bad."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_COOKIE_FILE_BYTES + 1)
    except FileNotFoundError as error:
        raise UsageError(f"--cookies {path}: no such file") from error
    except OSError as error:
        raise UsageError(f"--cookies {path}: cannot read it ({error.strerror})") from error
    if len(data) > MAX_COOKIE_FILE_BYTES:
        raise UsageError(f"--cookies {path}: larger than {MAX_COOKIE_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"--cookies {path}: not UTF-8 text ({error.reason})") from error
    cookies = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        where = f"--cookies {path}, line {number}"
        http_only = False
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_") :]
            http_only = True
        elif not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) == 6:  # an empty value is sometimes written without its TAB
            fields.append("")
        if len(fields) != 7:
            raise UsageError(
                f"{where}: expected 7 TAB-separated fields (domain, subdomains, path, secure, "
                f"expires, name, value), found {len(fields)}"
            )
        domain, subdomains, cookie_path, secure, expires, name, value = fields
        _check_value(value, where)
        if not domain.strip() or not _TOKEN.fullmatch(name) or ";" in value:
            raise UsageError(f"{where}: not a valid cookie (domain {domain!r}, name {name!r})")
        if not re.fullmatch(r"-?\d{1,20}", expires.strip() or "0"):
            raise UsageError(f"{where}: the expiry {expires!r} is not a number of seconds")
        cookies.append(
            Cookie(
                domain=domain.strip().lstrip(".").lower(),
                include_subdomains=subdomains.strip().upper() == "TRUE" or domain.startswith("."),
                path=cookie_path or "/",
                secure=secure.strip().upper() == "TRUE",
                expires=max(0, int(expires.strip() or "0")),
                name=name,
                value=value,
                http_only=http_only,
            )
        )
    return tuple(cookies)


def cookie_header(cookies: Sequence[Cookie], host: str, path: str, scheme: str) -> str | None:
    """The ``Cookie`` header value a request to ``scheme://host/path`` carries, or None."""
    chosen = [cookie for cookie in cookies if cookie.matches(host, path or "/", scheme)]
    chosen.sort(key=lambda cookie: -len(cookie.path))
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in chosen) or None


def request_credentials(
    cookies: Sequence[Cookie], headers: Sequence[tuple[str, str]]
) -> Callable[[str], list[tuple[str, str]]]:
    """The recorder's ``extra_headers``: for a URL, the given headers and its cookies."""

    def extra(url: str) -> list[tuple[str, str]]:
        parts = urlsplit(url)
        result = list(headers)
        if cookies and not any(name.lower() == "cookie" for name, _ in headers):
            value = cookie_header(cookies, parts.hostname or "", parts.path or "/", parts.scheme)
            if value:
                result.append(("Cookie", value))
        return result

    return extra


def credential_fields(
    cookies: Sequence[Cookie], headers: Sequence[tuple[str, str]], redacted: int
) -> list[tuple[str, str | int | None]]:
    """The metadata record's lines saying a capture was made with credentials."""
    if not cookies and not headers:
        return []
    used = []
    if cookies:
        used.append(f"{len(cookies)} cookies from a cookies.txt file")
    if headers:
        used.append("headers " + ", ".join(sorted({name for name, _ in headers})))
    fields: list[tuple[str, str | int | None]] = [("credentials", " and ".join(used))]
    if redacted:
        fields.append(("credentials-redacted", redacted))
    return fields


def redact_request(request: bytes) -> tuple[bytes, int]:
    """``request`` with the values of its credential headers replaced by their digests;
    returns the new bytes and how many values were replaced.  The body is kept."""
    end = request.find(b"\r\n\r\n")
    if end < 0:
        return request, 0
    head, rest = request[:end], request[end:]
    lines = head.split(b"\r\n")
    replaced = 0
    for index, line in enumerate(lines[1:], start=1):
        name, sep, value = line.partition(b":")
        if sep and name.strip().lower().decode("latin-1") in SECRET_HEADERS:
            digest = hashlib.sha256(value.strip()).hexdigest()
            lines[index] = name + b": " + (REDACTED_PREFIX + digest).encode("ascii")
            replaced += 1
    if not replaced:
        return request, 0
    return b"\r\n".join(lines) + rest, replaced


__all__ = [
    "REDACTED_PREFIX",
    "SECRET_HEADERS",
    "Cookie",
    "cookie_header",
    "credential_fields",
    "parse_header",
    "parse_headers",
    "read_cookies",
    "redact_request",
    "request_credentials",
]

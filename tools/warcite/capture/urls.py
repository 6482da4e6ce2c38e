"""URLs as warcite requests and records them."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from warcite.errors import UsageError


def _request_target(parts: SplitResult) -> str:
    path = parts.path or "/"
    query = parts.query
    safe = "/:@!$&'()*+,;=%~-._"
    target = quote(path, safe=safe)
    if query:
        target += "?" + quote(query, safe=safe + "?")
    return target


def _host_header(host: str, port: int, scheme: str) -> str:
    try:
        if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address):
            host = f"[{host}]"
    except ValueError:
        pass
    default = 443 if scheme == "https" else 80
    return host if port == default else f"{host}:{port}"


def _ascii_host(host: str, url: str) -> str:
    try:
        host.encode("ascii")
        return host
    except UnicodeEncodeError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise UsageError(f"{url}: the host name {host!r} cannot be encoded ({error})") from error


def normalize_url(url: str) -> str:
    """An http(s) URL as warcite requests and records it (``WARC-Target-URI``).

    The fragment is dropped, the path is at least ``/``, an internationalised host name
    is IDNA-encoded and non-ASCII characters in path and query are percent-encoded (UTF-8),
    so the URL is a valid URI; existing percent-escapes are kept.

    Raises UsageError for anything but an absolute http(s) URL.
    """
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{url!r} is not an absolute http(s) URL (for example https://example.org/page)"
        )
    try:
        port = parts.port
    except ValueError as error:
        raise UsageError(f"{url!r} has an invalid port: {error}") from error
    host = _ascii_host(parts.hostname or "", url).lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port is not None else "")
    return urlunsplit((scheme, netloc, _request_target(parts).split("?", 1)[0], _query(parts), ""))


def _query(parts: SplitResult) -> str:
    target = _request_target(parts)
    return target.split("?", 1)[1] if "?" in target else ""

"""URLs as warcite requests and records them."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from warcite.core.errors import UsageError


def request_target(parts: SplitResult) -> str:
    path = parts.path or "/"
    query = parts.query
    safe = "/:@!$&'()*+,;=%~-._"
    target = quote(path, safe=safe)
    if query:
        target += "?" + quote(query, safe=safe + "?")
    return target


def host_header(host: str, port: int, scheme: str) -> str:
    try:
        if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address):
            host = f"[{host}]"
    except ValueError:
        pass
    default = 443 if scheme == "https" else 80
    return host if port == default else f"{host}:{port}"


def ascii_host(host: str, url: str) -> str:
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
    is IDNA-encoded and characters not allowed in a URI (space, ``é``, ...) in path and
    query are percent-encoded (UTF-8), so the URL is a valid URI and exactly the
    request-target sent; existing percent-escapes are kept.  Credentials
    (``user:password@``) are removed: warcite never sends nor records them (see
    :func:`has_credentials`).

    Raises UsageError for anything but an absolute http(s) URL.
    """
    text = url.strip()
    shown = redact_url(text)
    try:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        hostname = parts.hostname
    except ValueError as error:  # e.g. "http://[bad/x": an unbalanced IPv6 bracket
        raise UsageError(f"{shown!r} is not a valid URL ({error})") from error
    if scheme not in ("http", "https") or not hostname:
        raise UsageError(
            f"{shown!r} is not an absolute http(s) URL (for example https://example.org/page)"
        )
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in parts.netloc):
        raise UsageError(f"{shown!r} has a space or control character in its host part")
    try:
        port = parts.port
    except ValueError as error:
        raise UsageError(f"{shown!r} has an invalid port: {error}") from error
    host = ascii_host(hostname, shown).lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit((scheme, netloc, request_target(parts).split("?", 1)[0], _query(parts), ""))


def has_credentials(url: str) -> bool:
    """Whether a URL holds ``user[:password]@`` before its host."""
    try:
        return "@" in urlsplit(url.strip()).netloc
    except ValueError:
        return "@" in url.split("/", 3)[2] if url.count("/") >= 2 else False


def redact_url(url: str) -> str:
    """The URL with any credentials replaced by ``***@``, for messages."""
    head, separator, rest = url.partition("://")
    if not separator:
        return url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rpartition("@")[2]
    return head + separator + authority + slash + tail


def _query(parts: SplitResult) -> str:
    target = request_target(parts)
    return target.split("?", 1)[1] if "?" in target else ""


def work_key(url: str) -> str:
    """The normalised original URL naming a work; the text itself when it is not http(s).

    ``HTTP://Example.org:80/a#x`` -> ``http://example.org/a``.
    """
    text = url.strip()
    try:
        normalized = normalize_url(text)
    except Exception:  # not an absolute http(s) URL: compare it as it is
        return text
    parts = urlsplit(normalized)
    netloc = parts.netloc
    default = {"http": ":80", "https": ":443"}.get(parts.scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

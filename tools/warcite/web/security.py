"""The safety rules of ``warcite serve``: content security policies, allowed hosts, CSRF.

Two kinds of responses, two policies:

* the app's own pages (collection, record, reader, the replay's banner frame) may load
  only the app's own scripts, styles and images, may be framed by nobody, and may frame
  only the replay;
* archived content (everything under ``/web/<timestamp>mp_/`` and ``id_/``) is served
  with ``sandbox`` (an opaque origin: it cannot read or script the app's pages, read its
  cookies, navigate the top window or open windows) and may load, fetch, frame or post
  only to ``<serve origin>/web/``: a replayed page's requests never leave the replay,
  whatever its scripts try.  (No ``frame-ancestors``: a sandboxed page's origin is opaque,
  so an archived page's own frames could not be shown under any ancestor rule.)

Host check: a server bound to a loopback address answers only requests whose Host is a
loopback name (a web page elsewhere cannot reach it through DNS rebinding).
CSRF: the capture form carries a token derived from a secret made at start-up; a POST
without the token, or from another origin, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def app_policy() -> str:
    """The Content-Security-Policy of the app's own pages."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )


def archived_policy(origin: str) -> str:
    """The Content-Security-Policy of archived content replayed from ``origin``."""
    replay = f"{origin.rstrip('/')}/web/"
    return (
        "sandbox allow-scripts allow-forms; "
        f"default-src {replay}; "
        f"script-src {replay} 'unsafe-inline' 'unsafe-eval'; "
        f"style-src {replay} 'unsafe-inline'; "
        f"img-src {replay} data: blob:; "
        f"font-src {replay} data:; "
        f"media-src {replay} data: blob:; "
        f"connect-src {replay}; "
        f"frame-src {replay}; "
        f"worker-src {replay}; "
        "object-src 'none'; "
        f"form-action {replay}; "
        "base-uri 'none'; "
        "manifest-src 'none'"
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address to bind) is a loopback address."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_allowed(host_header: str, bound_host: str) -> bool:
    """Whether a request's Host may be answered by a server bound to ``bound_host``."""
    if not is_loopback(bound_host):
        return True  # a public deployment names itself; its front server checks Host
    name = (
        host_header.rsplit(":", 1)[0]
        if not host_header.startswith("[")
        else (host_header.split("]", 1)[0] + "]")
    )
    return name.lower() in LOOPBACK_NAMES or is_loopback(name)


class CsrfTokens:
    """Tokens for the forms that write (``--allow-capture``): HMAC of a per-process secret."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def token(self, purpose: str) -> str:
        return hmac.new(self.secret, purpose.encode(), hashlib.sha256).hexdigest()

    def valid(self, purpose: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.token(purpose), token or "")


__all__ = [
    "LOOPBACK_NAMES",
    "CsrfTokens",
    "app_policy",
    "archived_policy",
    "host_allowed",
    "is_loopback",
]

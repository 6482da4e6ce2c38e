"""Slugs: the short, safe names of captures and records.

A slug is 1 to 80 characters of ``[a-z0-9-]``, starting with a letter or digit and not
ending with a hyphen (``SLUG_PATTERN``).  It names the WARC file
(``<slug>-<UTC yyyymmddHHMMSS>.warc.gz``) and the record (``records/<slug>.json``).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from datetime import datetime, timezone
from urllib.parse import parse_qsl, unquote, urlsplit

from warcite.core.errors import UsageError

SLUG_MAX_LENGTH = 80
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")

_WAYBACK_PREFIX = re.compile(r"^/(?:[^/]+/)*?web/\d{14}(?:[a-z]{2}_)?/(?P<original>.+)$")


def slug_words(text: str) -> str:
    """Lowercase ASCII letters and digits, every other run of characters one hyphen."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def _truncate(slug: str, limit: int = SLUG_MAX_LENGTH) -> str:
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    # Cut at a word boundary when one is near, never leaving a trailing hyphen.
    if "-" in cut[limit // 2 :]:
        cut = cut[: cut.rfind("-")]
    return cut.strip("-")


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gv"})
_MOBILE_LABELS = frozenset({"www", "www1", "www2", "www3", "m", "mobile", "amp", "edition"})
_ID_QUERY_KEYS = ("id", "p", "story", "storyid", "article", "articleid", "aid", "newsid", "no")
_TRAILING_ID = re.compile(r"(?:^|[-_.])(\d+(?:[-_]\d+)*)$")


def site_name(url: str) -> str:
    """The site's short name from a URL's host: ``www.opednews.com`` -> ``opednews``.

    Drops ``www``/``m``-style labels and the public suffix (with the common two-level
    country suffixes such as ``co.uk``); an IP address is kept whole.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    with contextlib.suppress(UnicodeError):  # an IDN keeps a distinct (xn--) name
        host = host.encode("idna").decode("ascii")
    if re.fullmatch(r"[\d.]+|[0-9a-f:]+", host) and (host.count(".") == 3 or ":" in host):
        return slug_words(host)
    labels = [label for label in host.split(".") if label]
    while len(labels) > 2 and labels[0] in _MOBILE_LABELS:
        labels = labels[1:]
    if not labels:
        return "page"
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return slug_words(labels[-3])
    if len(labels) >= 2:
        return slug_words(labels[-2])
    return slug_words(labels[0])


def _trailing_id(url: str) -> str | None:
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if segments:
        last = re.sub(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm|cgi)$", "", segments[-1], flags=re.I)
        match = _TRAILING_ID.search(last)
        if match and sum(c.isdigit() for c in match.group(1)) >= 3:
            return match.group(1).replace("_", "-")
    for key, value in parse_qsl(parts.query):
        if key.lower() in _ID_QUERY_KEYS and value.isdigit():
            return value
    return None


def _original_url(url: str) -> str:
    """The original URL of a Wayback-style memento URL; any other URL as it is."""
    parts = urlsplit(url.strip())
    wayback = _WAYBACK_PREFIX.match(parts.path)
    if not wayback:
        return url.strip()
    original = wayback.group("original") + ("?" + parts.query if parts.query else "")
    return original if "://" in original else "http://" + original


def default_slug(url: str, title: str | None = None, *, max_words: int = 6) -> str:
    """The slug a page gets by default, for its WARC file and its record: site + page.

    When the URL's last path segment ends in an id (digits, possibly in groups:
    ``...-160829-249.html``) or the query has a numeric ``id``-like parameter:
    ``<site>-<id>`` (``opednews-160829-249``).  Otherwise ``<site>-<first words of the
    title>`` (or of the last path segment), at most 80 characters.  A Wayback-style
    memento URL is named after its original URL.
    """
    url = _original_url(url)
    site = site_name(url) or "page"
    identifier = _trailing_id(url)
    if identifier:
        slug = f"{site}-{identifier}"
    else:
        segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
        source = title or (segments[-1] if segments else "")
        source = re.sub(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm|cgi)$", "", source, flags=re.I)
        words = [w for w in slug_words(source).split("-") if w][:max_words]
        slug = "-".join([site, *words])
    return _truncate(slug_words(slug)) or "page"


def check_slug(slug: str) -> str:
    """Return ``slug`` when it is a valid slug; raise UsageError saying what is allowed."""
    if len(slug) > SLUG_MAX_LENGTH:
        raise UsageError(
            f"{slug[:40]!r}... ({len(slug)} characters) is not a valid id: too long for "
            f"--id, use 1 to {SLUG_MAX_LENGTH} lowercase letters, digits and hyphens"
        )
    if not SLUG_PATTERN.match(slug):
        raise UsageError(
            f"{slug!r} is not a valid id: use 1 to {SLUG_MAX_LENGTH} lowercase letters, digits "
            "and hyphens, starting and ending with a letter or digit (e.g. 'opednews-160829-249')"
        )
    return slug


def warc_file_name(slug: str, when: datetime) -> str:
    """``<slug>-<UTC yyyymmddHHMMSS>.warc.gz``."""
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"{check_slug(slug)}-{stamp}.warc.gz"


__all__ = [
    "SLUG_MAX_LENGTH",
    "SLUG_PATTERN",
    "check_slug",
    "default_slug",
    "site_name",
    "slug_words",
    "warc_file_name",
]

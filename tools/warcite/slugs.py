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
from urllib.parse import unquote, urlsplit

from warcite.errors import UsageError

SLUG_MAX_LENGTH = 80
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")

_WAYBACK_PREFIX = re.compile(r"^/(?:[^/]+/)*?web/\d{14}(?:[a-z]{2}_)?/(?P<original>.+)$")


def _ascii_words(text: str) -> str:
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


def slug_from_url(url: str) -> str:
    """A slug that says which page a URL is: host (without ``www.``) and the path's last words.

    ``https://www.opednews.com/articles/Why-North-...-160829-249.html`` gives
    ``opednews-com-why-north-...-160829-249``.  For a Wayback-style memento URL the original
    URL is used.  The path's end is kept in preference to its start, since the distinctive
    part of an article URL (title words, IDs) is usually last.
    """
    parts = urlsplit(url.strip())
    wayback = _WAYBACK_PREFIX.match(parts.path)
    if wayback:
        original = wayback.group("original")
        if parts.query:
            original += "?" + parts.query
        if "://" not in original:
            original = "http://" + original
        return slug_from_url(original)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    with contextlib.suppress(UnicodeError):  # an IDN keeps a distinct (xn--) name
        host = host.encode("idna").decode("ascii")
    host_slug = _ascii_words(host)
    path = unquote(parts.path)
    path = re.sub(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi)$", "", path, flags=re.IGNORECASE)
    path_slug = _ascii_words(path + (" " + unquote(parts.query) if parts.query else ""))
    if not path_slug:
        slug = host_slug or "page"
    else:
        room = SLUG_MAX_LENGTH - len(host_slug) - 1
        if room < 16:
            slug = _truncate(f"{host_slug}-{path_slug}")
        elif len(path_slug) > room:
            tail = path_slug[-room:]
            starts_mid_word = path_slug[-room - 1] != "-"
            if starts_mid_word and "-" in tail[: room // 2]:
                tail = tail[tail.find("-") + 1 :]
            slug = f"{host_slug}-{tail.strip('-')}" if host_slug else tail.strip("-")
        else:
            slug = f"{host_slug}-{path_slug}" if host_slug else path_slug
    slug = _truncate(slug.strip("-")) or "page"
    return slug


def check_slug(slug: str) -> str:
    """Return ``slug`` when it is a valid slug; raise UsageError saying what is allowed."""
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


__all__ = ["SLUG_MAX_LENGTH", "SLUG_PATTERN", "check_slug", "slug_from_url", "warc_file_name"]

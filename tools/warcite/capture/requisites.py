"""Fetching requisites: what the page names and what its stylesheets name, breadth first."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urljoin

from warcite.capture.common import REDIRECT_STATUSES
from warcite.capture.css import MAX_CSS_IMPORT_DEPTH, CssReference, _css_text, find_css_references
from warcite.capture.html import _html_requisites, _Requisite
from warcite.capture.recorder import _entity, _Exchange, _fetch, _Limits
from warcite.capture.urls import normalize_url
from warcite.errors import CaptureError, UsageError, WarcReadError
from warcite.warc import (
    HttpMessage,
    decode_content,
)


def _is_stylesheet_response(requisite: _Requisite, message: HttpMessage) -> bool:
    media_type = (message.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return media_type == "text/css" or (requisite.stylesheet and not media_type)


def _fetch_requisites(
    page: _Exchange,
    html: bytes,
    *,
    limits: _Limits,
    clock: Callable[[], datetime],
    max_requisites: int,
    max_redirects: int,
    already_fetched: Sequence[str],
) -> tuple[list[_Exchange], list[str], list[str]]:
    """Fetch the page's requisites and what its stylesheets reference, breadth first.

    Returns the exchanges, the metadata record's ``requisite`` lines and the warnings.
    At most ``max_requisites`` URLs are fetched (each with its redirect hops); a URL is
    queued once; a stylesheet's references are fetched with the stylesheet's URL as
    ``Referer`` and ``@import`` is followed :data:`MAX_CSS_IMPORT_DEPTH` steps deep.
    """
    exchanges: list[_Exchange] = []
    lines: list[str] = []
    warnings: list[str] = []
    queue = deque(_html_requisites(html, page.url))
    seen = {*already_fetched, *(requisite.url for requisite in queue)}
    fetched_count = 0
    while queue:
        if fetched_count >= max_requisites:
            warnings.append(
                f"{len(queue)} requisite(s) not archived: the limit of {max_requisites} "
                f"requisites was reached (first not archived: {queue[0].url})"
            )
            break
        requisite = queue.popleft()
        fetched_count += 1
        hop_url = requisite.url
        try:
            for _hop in range(max_redirects + 1):
                fetched = _fetch(
                    hop_url,
                    limits=limits,
                    clock=clock,
                    role="requisite",
                    referer=requisite.referer,
                )
                exchanges.append(fetched)
                seen.add(hop_url)
                warnings.extend(fetched.warnings)
                hop_status = fetched.message.status or 0
                hop_location = fetched.message.header("Location")
                if hop_status in REDIRECT_STATUSES and hop_location:
                    lines.append(f"{hop_status} {hop_url}")
                    hop_url = normalize_url(urljoin(hop_url, hop_location.strip()))
                    continue
                lines.append(f"{hop_status} {hop_url}")
                if 200 <= hop_status < 300 and _is_stylesheet_response(requisite, fetched.message):
                    for reference in _stylesheet_references(fetched, hop_url, warnings):
                        if reference.url in seen:
                            continue
                        depth = requisite.import_depth + (1 if reference.is_import else 0)
                        if reference.is_import and depth > MAX_CSS_IMPORT_DEPTH:
                            warnings.append(
                                f"stylesheet {reference.url} not archived: imported more than "
                                f"{MAX_CSS_IMPORT_DEPTH} @import steps deep (from {hop_url})"
                            )
                            continue
                        seen.add(reference.url)
                        queue.append(_Requisite(reference.url, hop_url, reference.is_import, depth))
                break
        except (CaptureError, UsageError, ValueError) as error:  # ValueError: bad Location
            warnings.append(f"requisite {hop_url} not archived: {error}")
            lines.append(f"failed {hop_url}")
    return exchanges, lines, warnings


def _stylesheet_references(
    exchange: _Exchange, url: str, warnings: list[str]
) -> list[CssReference]:
    """What a fetched stylesheet references (resolved against ``url``, its final URL)."""
    try:
        body = decode_content(_entity(exchange), exchange.message.header("Content-Encoding"))
    except (ValueError, OSError, WarcReadError) as error:
        warnings.append(f"stylesheet {url}: references not followed, body not decodable ({error})")
        return []
    return find_css_references(_css_text(body, exchange.message.header("Content-Type")), url)

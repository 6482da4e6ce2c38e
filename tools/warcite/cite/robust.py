"""Robust Links: an HTML anchor that survives link rot (Robust Links specification,
robustlinks.mementoweb.org/spec).

``href`` and ``data-originalurl`` are the original URL, ``data-versiondate`` the day the
archived copy was made, ``data-versionurl`` the archived copy's replay URL.  Without a
replay base there is no URL for the copy: ``data-versionurl`` is left out (the
specification recommends, not requires, it) and the ``title`` names the WARC file and
record that hold the copy.
"""

from __future__ import annotations

import html

from warcite.cite.source import CitationSource


def robust_link(source: CitationSource) -> str:
    """``<a href=URL data-originalurl=URL data-versionurl=... data-versiondate=...>Title</a>``."""
    archived = source.archived
    attributes = [
        ("href", source.url),
        ("data-originalurl", source.url),
    ]
    if archived.url is not None:
        attributes.append(("data-versionurl", archived.url))
    attributes.append(("data-versiondate", archived.date.iso))
    if archived.url is None:
        attributes.append(
            (
                "title",
                f"Archived {archived.date.iso} in {archived.archive_name}: {archived.locator}",
            )
        )
    rendered = " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes)
    title = html.escape(" ".join(source.title.split()), quote=False)
    return f"<a {rendered}>{title}</a>"


__all__ = ["robust_link"]

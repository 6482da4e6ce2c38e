"""Mementos: a live capture whose page is a web archive's copy is an import of that copy."""

from __future__ import annotations

from warcite.capture.recorder import Exchange
from warcite.core.models import Memento
from warcite.core.warc.pages import memento_from_headers, memento_from_wayback_url


def memento_of(page: Exchange, requested: str) -> Memento | None:
    """The memento a captured page is, by its headers or a Wayback-style URL, else None."""
    return (
        memento_from_headers(page.message.headers, page.url)
        or memento_from_wayback_url(page.url)
        or memento_from_wayback_url(requested)
    )


def memento_description(page_url: str, memento: Memento) -> str:
    """The metadata record's ``source-description`` of a captured memento."""
    return (
        f"Live capture of a web archive's memento: {page_url} is an archived copy of "
        f"{memento.original_uri} made at {memento.datetime}; the bytes come from that "
        "archive, not from the original site."
    )


def memento_fields(memento: Memento) -> list[tuple[str, str | int | None]]:
    """The metadata record's ``memento-*`` fields."""
    return [
        ("memento-original-uri", memento.original_uri),
        ("memento-datetime", memento.datetime),
        ("memento-source", memento.source),
    ]

"""``warcite timemap URL``: a Memento TimeMap (RFC 7089 §5, ``application/link-format``,
RFC 6690) of the archive's captures of a URL.

Serialisation: the original resource (``rel="original"``), then, when the archive has a
replay base (``warcite.toml`` ``replay_base`` or ``--replay-base``), the TimeMap itself
(``rel="self"``, ``type="application/link-format"``, ``from`` and ``until``) at
``<replay_base>/timemap/link/<URL>`` and the TimeGate (``rel="timegate"``) at
``<replay_base>/<URL>`` -- the paths pywb serves --, then one link per memento, oldest
first, with ``rel="memento"`` (``first memento`` / ``last memento`` on the ends) and its
``datetime`` (RFC 1123, GMT).

Memento URIs: with a replay base, ``<replay_base>/<14-digit WARC-Date>/<WARC-Target-URI>``
(the same URL citations give); without one, the copy is named where it is: the WARC
file relative to the project root and the WARC-Record-ID as the fragment,
``archive/<file>.warc.gz#urn:uuid:...`` (a URI reference any copy of the repository
resolves; no server is claimed).

A memento's ``datetime`` is when its content was observed on the web (the capture's
``observed_at``: the WARC-Date of a live capture, the archive's datetime of an imported
memento).  Imports of saved pages and transcripts are not mementos -- nobody knows when
their content was on the web -- and are left out (the count is returned to say so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

from warcite.collection.catalog import LIVE_METHODS, CatalogEntry, by_work
from warcite.core.config import Config
from warcite.core.errors import RecordError, UsageError
from warcite.core.urls import work_key

LINK_FORMAT = "application/link-format"


@dataclass(frozen=True)
class Memento:
    uri: str
    datetime: datetime
    record: str


@dataclass(frozen=True)
class TimeMap:
    original: str
    mementos: tuple[Memento, ...]
    self_uri: str | None
    timegate_uri: str | None
    left_out: tuple[str, ...]  # records of the URL that are not mementos (imports)


def _parse_utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def _uri_reference_safe(value: str) -> str:
    """A URI for ``<...>``: characters link-format cannot hold inside angle brackets escaped."""
    return re.sub(r"[\s<>\"]", lambda m: f"%{ord(m.group(0)):02X}", value)


def memento_uri(entry: CatalogEntry, replay_base: str | None) -> str:
    """The URI-M of a capture (see the module docstring)."""
    if replay_base:
        stamp = re.sub(r"\D", "", entry.warc_date or "")[:14]
        return f"{replay_base}/{stamp}/{entry.target_uri or entry.url}"
    record_id = (entry.warc_record_id or "").strip("<>")
    return f"{entry.warc_path}#{record_id}"


def build_timemap(url: str, entries: Sequence[CatalogEntry], config: Config) -> TimeMap:
    """The TimeMap of ``url`` over catalogue entries; RecordError when none is a memento."""
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"{url!r} is not an http(s) URL: a TimeMap lists captures of a URL")
    captures = by_work(entries, url)
    mementos = []
    left_out = []
    for entry in captures:
        if entry.method not in LIVE_METHODS or not entry.captured:
            left_out.append(entry.id)
            continue
        mementos.append(
            Memento(memento_uri(entry, config.replay_base), _parse_utc(entry.captured), entry.id)
        )
    if not mementos:
        detail = (
            f" ({len(left_out)} import{'s' if len(left_out) != 1 else ''} of a saved copy: "
            f"{', '.join(left_out[:5])}; imports are not mementos)"
            if left_out
            else ""
        )
        raise RecordError(f"the archive holds no capture of {url}{detail}")
    mementos.sort(key=lambda memento: (memento.datetime, memento.record))
    original = captures[-1].url if work_key(captures[-1].url) == work_key(url) else url
    base = config.replay_base
    return TimeMap(
        original=original,
        mementos=tuple(mementos),
        self_uri=f"{base}/timemap/link/{original}" if base else None,
        timegate_uri=f"{base}/{original}" if base else None,
        left_out=tuple(left_out),
    )


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def render_link_format(timemap: TimeMap) -> str:
    """The TimeMap as ``application/link-format`` (one link a line, comma-separated)."""
    links = [f'<{_uri_reference_safe(timemap.original)}>; rel="original"']
    first, last = timemap.mementos[0].datetime, timemap.mementos[-1].datetime
    if timemap.self_uri:
        links.append(
            f'<{_uri_reference_safe(timemap.self_uri)}>; rel="self"; type="{LINK_FORMAT}"; '
            f'from="{_http_date(first)}"; until="{_http_date(last)}"'
        )
    if timemap.timegate_uri:
        links.append(f'<{_uri_reference_safe(timemap.timegate_uri)}>; rel="timegate"')
    count = len(timemap.mementos)
    for index, memento in enumerate(timemap.mementos):
        relation = " ".join(
            word
            for word, present in (
                ("first", index == 0),
                ("last", index == count - 1),
                ("memento", True),
            )
            if present
        )
        links.append(
            f'<{_uri_reference_safe(memento.uri)}>; rel="{relation}"; '
            f'datetime="{_http_date(memento.datetime)}"'
        )
    return ",\n".join(links) + "\n"


def timemap(project_root: Path, url: str, config: Config) -> TimeMap:
    """The TimeMap of ``url`` from the project's records (the captures of its work, found
    in the index without decoding the others)."""
    from warcite.collection.lookup import captures_of, in_current_index

    if not url.lower().startswith(("http://", "https://")):
        return build_timemap(url, [], config)  # the usage error
    entries = in_current_index(
        project_root,
        lambda connection: captures_of(connection, url),
        lambda found: (entry.path for entry in found),
    )
    return build_timemap(url, entries, config)


__all__ = [
    "LINK_FORMAT",
    "Memento",
    "TimeMap",
    "build_timemap",
    "memento_uri",
    "render_link_format",
    "timemap",
]

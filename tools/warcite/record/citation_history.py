"""The archive a record was cited under: history, not today's configuration.

A record's ``citation`` names the archive (``archive``) and the archived copy's locator
(``archive_location``: a replay URL ``<replay_base>/<14-digit date>/<URL>`` when the
project had a replay base, else ``<WARC path>, WARC record <ID>``) as ``warcite.toml``
said *when the record was made*.  Renaming the archive, adding or removing a replay base,
or deleting ``warcite.toml`` later changes how new citations read, not what was true of
the records already made: ``validate --deep`` rebuilds a citation with the configuration
that :func:`config_cited_under` reads back from the record itself.  (A changed name is
caught by the record's seal, which covers every byte of it.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from warcite.core.config import Config, load_config
from warcite.core.errors import WarciteError


def _timestamp(record: Mapping[str, Any]) -> str | None:
    capture = record.get("capture")
    warc = capture.get("warc") if isinstance(capture, Mapping) else None
    date = warc.get("date") if isinstance(warc, Mapping) else None
    if not isinstance(date, str):
        return None
    digits = re.sub(r"\D", "", date)
    return digits[:14] if len(digits) >= 14 else None


def replay_base_cited_under(record: Mapping[str, Any]) -> str | None:
    """The replay base the record's ``archive_location`` was made with, or None when the
    locator is not a replay URL of this capture's date."""
    citation = record.get("citation")
    location = citation.get("archive_location") if isinstance(citation, Mapping) else None
    timestamp = _timestamp(record)
    if not isinstance(location, str) or timestamp is None:
        return None
    if not location.startswith(("http://", "https://")):
        return None
    index = location.find(f"/{timestamp}/")
    if index <= len("https://"):
        return None
    return location[:index]


def config_cited_under(record: Mapping[str, Any], project_root: Path) -> Config:
    """The configuration the record's citation was made with: its archive name and replay
    base as the record holds them; today's ``warcite.toml`` (or its default) only for what
    the record does not say."""
    citation = record.get("citation")
    name = citation.get("archive") if isinstance(citation, Mapping) else None
    replay_base = replay_base_cited_under(record)
    if isinstance(name, str) and name.strip():
        return Config(archive_name=name, replay_base=replay_base)
    try:
        today = load_config(project_root)
    except WarciteError:
        today = Config(archive_name=project_root.name)
    return Config(archive_name=today.archive_name, replay_base=replay_base)


__all__ = ["config_cited_under", "replay_base_cited_under"]

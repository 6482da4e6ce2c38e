"""The project's configuration: ``warcite.toml`` at the project root.

The file is optional.  It names the archive that citations point at and, when the
archive's WARCs are served by a Wayback-style replay tool (pywb, OpenWayback, ...),
the replay base URL under which archived copies can be read::

    [archive]
    name = "warcite"                               # default: the project folder's name
    replay_base = "https://archive.example.org/web" # optional, http(s)

    [capture]
    browser = true      # optional: capture and archive run in Chromium (as with --browser)

With a replay base, the archived copy of a record is cited as
``<replay_base>/<14-digit WARC-Date>/<WARC-Target-URI>`` (the Wayback URL scheme);
without one, citations name the WARC file and the WARC record ID instead.

Unknown tables or keys are errors, so that a misspelt key never silently changes a
citation.  Problems raise :class:`~warcite.core.errors.UsageError` (exit 2).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcite.core.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

CONFIG_FILE_NAME = "warcite.toml"
"""The configuration file's name, looked for at the project root."""

_ARCHIVE_KEYS = frozenset({"name", "replay_base"})


@dataclass(frozen=True)
class Config:
    """What citations need to know about the archive holding the records.

    ``archive_name`` is how citations name the archive; ``replay_base`` (no trailing
    slash) is the base URL of a Wayback-style replay of the archive's WARCs, or None.
    """

    archive_name: str
    replay_base: str | None = None
    browser_capture: bool = False  # [capture] browser = true: captures run in Chromium

    def with_overrides(
        self, *, archive_name: str | None = None, replay_base: str | None = None
    ) -> Config:
        """This configuration with the given values replaced (checked like the file's)."""
        return Config(
            archive_name=_check_name(archive_name, "--archive-name")
            if archive_name is not None
            else self.archive_name,
            replay_base=_check_replay_base(replay_base, "--replay-base")
            if replay_base is not None
            else self.replay_base,
            browser_capture=self.browser_capture,
        )


def default_config(project_root: Path) -> Config:
    """The configuration used when there is no ``warcite.toml``: the folder's name, no replay."""
    name = project_root.resolve().name or "warcite"
    return Config(archive_name=name)


def load_config(project_root: Path) -> Config:
    """Read ``warcite.toml`` at ``project_root``; defaults when the file does not exist.

    Raises UsageError naming the file and the problem when it cannot be read, is not
    valid TOML, or holds an unknown key or a value of the wrong kind.
    """
    path = project_root / CONFIG_FILE_NAME
    defaults = default_config(project_root)
    if not path.exists():
        return defaults
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot read the configuration: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: the configuration is not UTF-8 text ({error.reason})") from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from error
    return parse_config(data, defaults=defaults, where=str(path))


def parse_config(data: dict[str, Any], *, defaults: Config, where: str) -> Config:
    """Build a Config from the parsed TOML ``data`` (``where`` names it in error messages)."""
    # [proofs]: warcite.integrity.proofs reads it; [capture]: the browser default
    unknown = sorted(set(data) - {"archive", "proofs", "capture"})
    if unknown:
        raise UsageError(
            f"{where}: unknown table or key {', '.join(map(repr, unknown))}; "
            "warcite.toml holds an [archive] table with 'name' and 'replay_base', a "
            "[proofs] table with 'tsa_url' and 'tsa_roots', and a [capture] table with "
            "'browser'"
        )
    archive = data.get("archive", {})
    if not isinstance(archive, dict):
        raise UsageError(f"{where}: 'archive' must be a table ([archive])")
    unknown = sorted(set(archive) - _ARCHIVE_KEYS)
    if unknown:
        raise UsageError(
            f"{where}: unknown key {', '.join('archive.' + key for key in unknown)}; "
            "the [archive] table holds 'name' and 'replay_base'"
        )
    name = archive.get("name")
    replay_base = archive.get("replay_base")
    capture = data.get("capture", {})
    if not isinstance(capture, dict) or sorted(set(capture) - {"browser"}):
        raise UsageError(
            f"{where}: the [capture] table holds only 'browser' (true or false), not {capture!r}"
        )
    browser = capture.get("browser", False)
    if not isinstance(browser, bool):
        raise UsageError(f"{where}: capture.browser must be true or false, not {browser!r}")
    return Config(
        browser_capture=browser,
        archive_name=_check_name(name, f"{where}: archive.name")
        if name is not None
        else defaults.archive_name,
        replay_base=_check_replay_base(replay_base, f"{where}: archive.replay_base")
        if replay_base is not None
        else None,
    )


def _check_name(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where} must be a non-empty string, not {value!r}")
    return " ".join(value.split())


def _check_replay_base(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{where} must be a string (an http or https URL), not {value!r}")
    base = value.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"{where} must be an absolute http(s) URL such as 'https://archive.example.org/web', "
            f"not {value!r}"
        )
    if parts.query or parts.fragment:
        raise UsageError(f"{where} must not have a query or fragment: {value!r}")
    return base


__all__ = [
    "CONFIG_FILE_NAME",
    "Config",
    "default_config",
    "load_config",
    "parse_config",
]

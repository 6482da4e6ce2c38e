"""warcite's version: one place, read by the package, the WARCs it writes and the records'
provenance (``pyproject.toml`` reads it from here)."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

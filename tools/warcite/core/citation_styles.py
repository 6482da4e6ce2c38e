"""The names of the citation styles ``warcite cite`` knows.

Kept apart from :mod:`warcite.cite` (which formats them) so that the command line can
offer them without importing the formatters at every start-up.
"""

from __future__ import annotations

STYLES = (
    "apa",
    "mla",
    "chicago-note",
    "chicago-short-note",
    "chicago-bib",
    "chicago-author-date",
    "bibtex",
    "biblatex",
    "ris",
    "csl-json",
    "robust-link",
)
"""Every style ``cite`` knows, by the name the CLI uses."""

__all__ = ["STYLES"]

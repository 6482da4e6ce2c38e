"""The ``warcite`` command: click only.

Each command parses its options, calls one library function, prints the result
(data to stdout, messages to stderr) and turns a :class:`~warcite.errors.WarciteError`
into ``Error: ...`` on stderr and the exit code of its kind (see warcite.errors).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from warcite import __version__
from warcite.errors import WarciteError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(function: F) -> F:
    """Turn a WarciteError into ``Error: ...`` on stderr and its exit code; never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except WarciteError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warcite")
def cli() -> None:
    """Preserve web articles as WARC 1.1, extract their clean text, keep fixity records, cite them.

    Exit codes: 0 success, 1 other error, 2 usage, 3 capture/import, 4 extraction,
    5 invalid record (validation problems), 6 citation.
    """


# ---------------------------------------------------------------- capture stage (capture.py)

# ---------------------------------------------------------------- extract stage (extract/)

# ---------------------------------------------------------------- record stage (record.py, validate.py)

# ---------------------------------------------------------------- cite stage (cite.py)


def main() -> None:
    """Entry point of the ``warcite`` console script."""
    cli(prog_name="warcite")

"""The ``warcite`` command: click only, one module per group of commands.

Each command parses its options, calls one library function, prints the result (data to
stdout, messages to stderr) and turns a :class:`~warcite.core.errors.WarciteError` into
``Error: ...`` on stderr and the exit code of its kind (see warcite.core.errors).
Importing this package registers every command on :data:`cli`.
"""

from __future__ import annotations

from warcite.cli import capture, cite, collection, export, integrity, records
from warcite.cli.main import cli, main, reports_errors
from warcite.cli.serve import serve_command

cli.add_command(serve_command)

__all__ = [
    "capture",
    "cite",
    "cli",
    "collection",
    "export",
    "integrity",
    "main",
    "records",
    "reports_errors",
    "serve_command",
]

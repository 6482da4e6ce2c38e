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


def _capture_summary(result: Any) -> dict[str, Any]:
    """The JSON summary of a CaptureResult printed by ``capture`` and ``import``."""
    memento = result.memento
    return {
        "file": str(result.path),
        "method": result.method,
        "records": [
            {
                "record_id": info.record_id,
                "type": info.record_type,
                "target_uri": info.target_uri,
                "date": info.date,
                "offset": info.offset,
                "length": info.length,
                "payload_digest": info.payload_digest,
            }
            for info in result.records
        ],
        "main_record_id": result.main_record_id,
        "url": result.target_uri,
        "final_url": result.final_uri,
        "redirects": list(result.redirects),
        "status": result.status,
        "content_type": result.content_type,
        "truncated": result.truncated,
        "memento": (
            None
            if memento is None
            else {
                "original_uri": memento.original_uri,
                "datetime": memento.datetime,
                "source": memento.source,
            }
        ),
        "user_agent": result.user_agent,
        "warnings": list(result.warnings),
    }


def _print_capture_result(result: Any, output_format: str) -> None:
    """The WARC path on stdout (or the JSON summary); notes about the capture on stderr."""
    import json

    if output_format == "json":
        click.echo(json.dumps(_capture_summary(result), indent=2, ensure_ascii=False))
        return
    click.echo(str(result.path))
    if result.memento is not None:
        click.echo(
            f"memento of {result.memento.original_uri} archived at {result.memento.datetime}",
            err=True,
        )
    if result.truncated:
        click.echo(f"warning: the page's body is truncated ({result.truncated})", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command("capture")
@click.argument("url")
@click.option(
    "--archive-dir",
    type=click.Path(file_okay=False, path_type=str),
    default="archive",
    show_default=True,
    help="Folder the new .warc.gz is written to.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds allowed for each transfer; a body still arriving is cut (WARC-Truncated: time).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=50_000_000,
    show_default=True,
    help="Largest body kept per response; a longer one is cut (WARC-Truncated: length).",
)
@click.option("--user-agent", default=None, help="User-Agent header (default names warcite).")
@click.option(
    "--requisites/--no-requisites",
    default=True,
    show_default=True,
    help="Also archive the page's stylesheets, images, scripts and favicon.",
)
@click.option(
    "--keep-errors", is_flag=True, help="Archive a final HTTP status >= 400 instead of failing."
)
@click.option(
    "--max-redirects",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Redirects followed before giving up.",
)
@click.option("--id", "slug", default=None, help="Slug naming the WARC (default: from the URL).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the WARC path; json: a summary (records, final URL, status, memento...).",
)
@reports_errors
def capture_command(
    url: str,
    archive_dir: str,
    timeout: float,
    max_bytes: int,
    user_agent: str | None,
    requisites: bool,
    keep_errors: bool,
    max_redirects: int,
    slug: str | None,
    output_format: str,
) -> None:
    """Capture URL live into a new WARC 1.1 file (exit 3 when it cannot be archived).

    Every request and response is kept exactly as on the wire; redirects and page
    requisites are archived too.  Prints the WARC's path.
    """
    from warcite.capture import capture

    result = capture(
        url,
        archive_dir=archive_dir,
        timeout=timeout,
        max_bytes=max_bytes,
        user_agent=user_agent,
        requisites=requisites,
        keep_errors=keep_errors,
        max_redirects=max_redirects,
        slug=slug,
    )
    _print_capture_result(result, output_format)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--url",
    default=None,
    help="The page's original http(s) URL (required for HTML and text files).",
)
@click.option("--id", "slug", default=None, help="Slug naming the WARC (default: from the URL).")
@click.option(
    "--observed-at",
    default=None,
    help="When the copy was made, ISO 8601 (e.g. 2016-08-30T12:00:00Z), if known.",
)
@click.option("--note", default=None, help="A note kept in the metadata record.")
@click.option(
    "--media-type",
    default=None,
    help="Override the detected media type (e.g. 'text/html; charset=windows-1252').",
)
@click.option(
    "--archive-dir",
    type=click.Path(file_okay=False, path_type=str),
    default="archive",
    show_default=True,
    help="Folder the new .warc.gz is written to.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the WARC path; json: a summary.",
)
@reports_errors
def import_command(
    file: str,
    url: str | None,
    slug: str | None,
    observed_at: str | None,
    note: str | None,
    media_type: str | None,
    archive_dir: str,
    output_format: str,
) -> None:
    """Archive FILE (a saved HTML page, a text transcript or a WARC) into a new WARC.

    The file's bytes are kept unchanged in a resource record (WARC records are verified
    and copied), with a metadata record saying it is an import, not a live capture.
    """
    from warcite.capture import import_file

    result = import_file(
        file,
        url=url,
        archive_dir=archive_dir,
        slug=slug,
        observed_at=observed_at,
        note=note,
        media_type=media_type,
    )
    _print_capture_result(result, output_format)


# ---------------------------------------------------------------- extract stage (extract/)

# ---------------------------------------------------------------- record stage (record.py, validate.py)

# ---------------------------------------------------------------- cite stage (cite.py)


def main() -> None:
    """Entry point of the ``warcite`` console script."""
    cli(prog_name="warcite")

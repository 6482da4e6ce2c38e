"""Commands of the capture and extract stages: ``capture``, ``import``, ``extract``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from warcite.cli.browser import browser_default, browser_options, capture_function, wants_browser
from warcite.cli.main import cli, reports_errors

# ---------------------------------------------------------------- capture stage (capture.py)


def _print_capture_result(result: Any, output_format: str) -> None:
    """The WARC path on stdout (or the JSON summary); notes about the capture on stderr."""
    from warcite.capture import capture_summary

    if output_format == "json":
        click.echo(json.dumps(capture_summary(result), indent=2, ensure_ascii=False))
        return
    click.echo(str(result.path))
    if result.method == "import-warc":
        counts: dict[str, int] = {}
        for info in result.records[1:-1]:  # the copied records, between ours
            counts[info.record_type] = counts.get(info.record_type, 0) + 1
        held = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        click.echo(
            f"verified and copied {held}; page: {result.final_uri} ({result.main_record_id})",
            err=True,
        )
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
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=16),
    default=4,
    show_default=True,
    help=(
        "Requisites fetched at once per host, over as many connections (kept open, and "
        "opened while the page is fetched)."
    ),
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds between two requests to one host.",
)
@click.option(
    "--max-requisites",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Requisites fetched at most (each with its redirects).",
)
@click.option(
    "--max-total-bytes",
    type=click.IntRange(min=1),
    default=500_000_000,
    show_default=True,
    help="Bytes the whole capture may receive; then bodies are cut and requisites skipped.",
)
@click.option(
    "--total-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds the whole capture may take; then bodies are cut and requisites skipped.",
)
@click.option(
    "--http-version",
    type=click.Choice(["1.1", "1.0"]),
    default="1.1",
    show_default=True,
    help="HTTP version of the requests; 1.0 avoids chunked answers (for warcio check).",
)
@click.option("--http1.0", "http10", is_flag=True, help="Same as --http-version 1.0.")
@click.option(
    "--ca-bundle",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="PEM file of CA certificates to trust instead of the system's (see SSL_CERT_FILE).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@browser_options
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
    workers: int,
    delay: float,
    max_requisites: int,
    max_total_bytes: int,
    total_timeout: float,
    http_version: str,
    http10: bool,
    ca_bundle: str | None,
    quiet: bool,
    **browser_values: Any,
) -> None:
    """Capture URL live into a new WARC 1.1 file (exit 3 when it cannot be archived).

    Every request and response is kept exactly as on the wire; redirects and page
    requisites are archived too.  Prints the WARC's path; progress goes to stderr when
    it is a terminal (not with --quiet).

    With --browser the page is loaded in Chromium through warcite's recording proxy, and
    a screenshot, the rendered DOM (and with --pdf a PDF) are kept with it.
    """
    from warcite.capture import capture, stderr_progress, tls_context_from_bundle

    common: dict[str, Any] = {
        "archive_dir": archive_dir,
        "timeout": timeout,
        "max_bytes": max_bytes,
        "user_agent": user_agent,
        "keep_errors": keep_errors,
        "slug": slug,
        "max_total_bytes": max_total_bytes,
        "total_timeout": total_timeout,
        "tls_context": tls_context_from_bundle(ca_bundle) if ca_bundle else None,
    }
    function = capture_function(browser_values, browser_default=browser_default())
    if function is not None and wants_browser(browser_values, browser_default()):
        _print_capture_result(function(url, **common), output_format)
        return
    result = (function or capture)(
        url,
        **common,
        requisites=requisites,
        max_redirects=max_redirects,
        max_requisites=max_requisites,
        workers=workers,
        delay=delay,
        http_version="1.0" if http10 else http_version,
        progress=None if quiet else stderr_progress(sys.stderr),
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
    """Archive FILE (a saved HTML page, a text transcript, a WARC or a WACZ) into a new WARC.

    The file's bytes are kept unchanged in a resource record (WARC records are verified
    and copied), with a metadata record saying it is an import, not a live capture.  A
    WACZ is verified first (listed digests, signature when present; refused when any
    fails), then each WARC inside becomes a new WARC as an imported WARC does, its
    metadata naming the package and what was verified.
    """
    from warcite.capture import import_file
    from warcite.capture.wacz_import import import_wacz, is_wacz

    if is_wacz(file):
        for one in import_wacz(
            file, url=url, archive_dir=archive_dir, slug=slug, observed_at=observed_at, note=note
        ):
            _print_capture_result(one, output_format)
        return

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


@cli.command("extract")
@click.argument("warc", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--record-id",
    metavar="ID",
    help="The WARC-Record-ID of the record to read (default: the capture's final page).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: text, paragraphs and metadata with evidence; text: the clean text only.",
)
@reports_errors
def extract_command(warc: Path, record_id: str | None, output_format: str) -> None:
    """Extract the clean article text and its metadata from WARC (no network access).

    By default the capture's final HTML or text page is read (after redirects, not a
    requisite); --record-id chooses another response or resource record.
    """
    from warcite.core.warc.pages import read_page
    from warcite.extract import extract_page, iter_extraction_json

    extraction = extract_page(read_page(warc, record_id))
    for warning in extraction.warnings:
        click.echo(f"warning: {warning}", err=True)
    if output_format == "text":
        click.echo(extraction.text)
    else:
        # written a piece at a time: a large page's JSON is never one string (nor its bytes)
        pending: list[str] = []
        size = 0
        for chunk in iter_extraction_json(extraction):
            pending.append(chunk)
            size += len(chunk)
            if size >= _OUTPUT_CHUNK_CHARS:
                click.echo("".join(pending), nl=False)
                pending, size = [], 0
        click.echo("".join(pending))


#: How many characters of ``warcite extract``'s JSON are written at a time.
_OUTPUT_CHUNK_CHARS = 1 << 20

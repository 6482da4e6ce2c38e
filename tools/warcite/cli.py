"""The ``warcite`` command: click only.

Each command parses its options, calls one library function, prints the result
(data to stdout, messages to stderr) and turns a :class:`~warcite.errors.WarciteError`
into ``Error: ...`` on stderr and the exit code of its kind (see warcite.errors).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from warcite import __version__
from warcite.citation_styles import STYLES
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
    5 record (invalid, missing, would be overwritten, or unsafe to read), 6 citation.
    """


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
) -> None:
    """Capture URL live into a new WARC 1.1 file (exit 3 when it cannot be archived).

    Every request and response is kept exactly as on the wire; redirects and page
    requisites are archived too.  Prints the WARC's path; progress goes to stderr when
    it is a terminal (not with --quiet).
    """
    from warcite.capture import capture, stderr_progress, tls_context_from_bundle

    result = capture(
        url,
        archive_dir=archive_dir,
        timeout=timeout,
        max_bytes=max_bytes,
        user_agent=user_agent,
        requisites=requisites,
        keep_errors=keep_errors,
        max_redirects=max_redirects,
        max_requisites=max_requisites,
        slug=slug,
        workers=workers,
        delay=delay,
        max_total_bytes=max_total_bytes,
        total_timeout=total_timeout,
        http_version="1.0" if http10 else http_version,
        tls_context=tls_context_from_bundle(ca_bundle) if ca_bundle else None,
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
    from warcite.extract import extract_page, extraction_as_dict
    from warcite.warc import read_page

    extraction = extract_page(read_page(warc, record_id))
    for warning in extraction.warnings:
        click.echo(f"warning: {warning}", err=True)
    if output_format == "text":
        click.echo(extraction.text)
    else:
        click.echo(json.dumps(extraction_as_dict(extraction), ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- record stage (record.py, validate.py)


def _print_record_result(result: Any, project_root: Any) -> None:
    """The record's path and its APA citation on stdout; what happened on stderr."""
    from warcite.cite import cite
    from warcite.config import load_config
    from warcite.project import display_path
    from warcite.record import record_text

    shown = display_path(result.path, project_root)
    messages = {
        "created": f"created {shown}",
        "replaced": f"replaced {shown}",
        "unchanged": f"unchanged: {shown} is identical to the record rebuilt from its WARC",
    }
    click.echo(messages.get(result.status, f"{result.status} {shown}"), err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(shown)
    text = record_text(result.record, project_root)
    click.echo(cite(result.record, "apa", config=load_config(project_root), text=text))


@cli.command("record")
@click.argument("warc", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--record-id", default=None, help="The WARC-Record-ID of the page record.")
@click.option("--id", "slug", default=None, help="The record's id (default: site + page id).")
@click.option("--replace", is_flag=True, help="Rewrite an existing record of that id.")
@click.option("--operator", default=None, help="Name of the person running warcite (an agent).")
@reports_errors
def record_command(
    warc: str, record_id: str | None, slug: str | None, replace: bool, operator: str | None
) -> None:
    """Extract the page of WARC and write records/<id>.json and records/<id>.txt.

    The record is validated before it is written, atomically; an existing record is never
    replaced silently (a rebuild identical to it is reported "unchanged").  Prints the
    record's path and an APA citation.
    """
    from pathlib import Path

    from warcite.project import find_project_root
    from warcite.record import make_record

    root = find_project_root(required=False)
    result = make_record(
        Path(warc),
        record_id=record_id,
        slug=slug,
        replace=replace,
        project_root=root,
        operator=operator,
    )
    _print_record_result(result, root)


@cli.command("archive")
@click.argument("sources", nargs=-1)
@click.option("--url", default=None, help="The page's original URL (for HTML and text files).")
@click.option("--id", "slug", default=None, help="The id of the WARC and the record.")
@click.option("--replace", is_flag=True, help="Rewrite an existing record of that id.")
@click.option("--operator", default=None, help="Name of the person running warcite (an agent).")
@click.option("--note", default=None, help="A note kept with an imported file.")
@click.option("--observed-at", default=None, help="When an imported copy was made (ISO 8601).")
@click.option(
    "--from",
    "source_list",
    default=None,
    metavar="FILE",
    help="Also archive the sources listed in FILE (one a line, '#' comments; '-': stdin).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Sources archived at the same time (batch).",
)
@click.option("--recapture", is_flag=True, help="Batch: capture again what is already archived.")
@click.option("--quiet", is_flag=True, help="Batch: no progress bar, no summary on stderr.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Batch report: one line per source, or JSON.",
)
@reports_errors
def archive_command(
    sources: tuple[str, ...],
    url: str | None,
    slug: str | None,
    replace: bool,
    operator: str | None,
    note: str | None,
    observed_at: str | None,
    source_list: str | None,
    jobs: int,
    recapture: bool,
    quiet: bool,
    output_format: str,
) -> None:
    """The main job: capture URL or import FILE, extract, record, validate, cite.

    SOURCE is an http(s) URL (captured live), a WARC already in archive/ (used as it is:
    the bundled reference WARC rebuilds its record, reported "unchanged" when identical),
    or a file to import (a WARC from elsewhere, or HTML/text with --url).  Prints the
    record's path and an APA citation.

    With several SOURCEs or --from FILE it is a batch: --jobs at a time, a progress bar on
    stderr, one report line per source (or --format json), failures reported and skipped;
    a source already archived is skipped unless --recapture, so a rerun resumes.  Exit 7
    when any source failed.
    """
    from warcite.archive import archive
    from warcite.errors import UsageError, ValidationFailed
    from warcite.project import find_project_root

    root = find_project_root(required=False)
    if source_list is not None or len(sources) > 1:
        if slug is not None or url is not None or replace:
            raise UsageError(
                "--id, --url and --replace name one page; in a batch give a file's URL "
                "after it on its line of the --from list"
            )
        _archive_batch(
            root,
            sources,
            source_list,
            jobs=jobs,
            recapture=recapture,
            quiet=quiet,
            output_format=output_format,
            operator=operator,
            note=note,
            observed_at=observed_at,
        )
        return
    if not sources:
        raise UsageError("give a URL or a file to archive (or --from FILE with a list)")
    try:
        from warcite.resume import complete_kept_capture

        completed = None
        if not replace:  # a WARC an interrupted `archive URL` kept: make its record
            completed = complete_kept_capture(
                sources[0], project_root=root, slug=slug, operator=operator
            )
        if completed is not None:
            result, message = completed
            click.echo(message, err=True)
        else:
            result = archive(
                sources[0],
                project_root=root,
                url=url,
                slug=slug,
                replace=replace,
                operator=operator,
                note=note,
                observed_at=observed_at,
            )
    except ValidationFailed as failure:
        for problem in failure.problems:
            click.echo(problem.line(), err=True)
        raise
    _print_record_result(result, root)


def _archive_batch(
    root: Path,
    sources: tuple[str, ...],
    source_list: str | None,
    *,
    jobs: int,
    recapture: bool,
    quiet: bool,
    output_format: str,
    **options: Any,
) -> None:
    """``warcite archive`` of several sources: progress on stderr, the report on stdout."""
    from warcite.batch import Source, read_source_list, run_batch
    from warcite.errors import BatchFailed, UsageError

    items = [Source(source) for source in sources]
    if source_list is not None:
        items.extend(read_source_list(source_list))
    if not items:
        raise UsageError(f"--from {source_list}: the list holds no sources")
    show_bar = not quiet and sys.stderr.isatty()
    bar: Any = (
        click.progressbar(length=len(items), label="archiving", file=sys.stderr)
        if show_bar
        else None
    )
    finished: dict[int, Any] = {}
    printed = 0

    def on_item(item: Any) -> None:
        """Report lines in input order, each as soon as every earlier item is done."""
        nonlocal printed
        finished[item.position] = item
        if bar is not None:
            bar.update(1)
        if output_format == "text" and not show_bar:
            while printed in finished:
                click.echo(finished.pop(printed).line())
                printed += 1

    with bar if bar is not None else contextlib.nullcontext():
        report = run_batch(
            items, project_root=root, jobs=jobs, recapture=recapture, on_item=on_item, **options
        )
    if output_format == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    elif show_bar:
        for item in report.items:
            click.echo(item.line())
    if not quiet:
        click.echo(report.summary(), err=True)
    if not report.ok:
        raise BatchFailed(
            f"{report.failed} of {len(report.items)} sources failed (see the report); "
            "rerun the same command to retry them: archived sources are skipped"
        )


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--deep", is_flag=True, help="Also re-derive every field from the WARC and compare.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem; json: a fixity report per record.",
)
@click.option(
    "--record",
    "record_events",
    is_flag=True,
    help="Append a PREMIS 'fixity check' event to each checked record and renew its seal.",
)
@click.option("--operator", default=None, help="With --record: the person checking (an agent).")
@reports_errors
def validate_command(
    paths: tuple[str, ...],
    deep: bool,
    output_format: str,
    record_events: bool,
    operator: str | None,
) -> None:
    """Validate records (default: every records/*.json and the project): schema,
    references, fixity, seals.

    Every problem is collected and printed, one line each, before the exit status is set
    (5 when any is found).  Without PATHS, WARCs in archive/ that no record refers to and
    files left by an interrupted run are problems too.  --deep re-derives every field it
    can from the WARC (re-extraction) and the citation from the record's work.  Changes no
    file, except with --record: then each record gets a "fixity check" event.
    """
    import json
    import sys
    from datetime import datetime, timezone
    from pathlib import Path

    from warcite.errors import UsageError, ValidationFailed
    from warcite.project import find_project_root
    from warcite.validate import (
        fixity_report,
        project_problems,
        record_files,
        record_fixity_checks,
        validate_file,
    )

    if operator is not None and not record_events:
        raise UsageError("--operator names who recorded the check: use it with --record")
    import os

    start = Path(paths[0]) if paths and len(paths[0]) < 4096 else None
    exists = start is not None and os.path.lexists(start)
    # the folder holding the given file, its last component not followed (a symlink out
    # of the project must not make its target's folder the project)
    root = find_project_root(Path(os.path.abspath(start)).parent if start and exists else None)
    files = record_files([Path(p) for p in paths], root)
    if not files:
        click.echo(f"no records to validate under {root}", err=True)
    reports = []
    if len(files) > 5:
        with click.progressbar(files, label="validating", file=sys.stderr) as bar:
            reports = [validate_file(path, root, deep=deep) for path in bar]
    else:
        reports = [validate_file(path, root, deep=deep) for path in files]
    project = [] if paths else project_problems(root)
    if output_format == "json":
        checked_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        report = fixity_report(reports, deep=deep, checked_at=checked_at)
        report["project"] = [dict(problem.as_dict(), file=problem.file) for problem in project]
        report["ok"] = report["ok"] and not any(p.severity == "error" for p in project)
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for record_report in reports:
            for problem in record_report.problems:
                click.echo(problem.line())
            if record_report.ok:
                click.echo(f"{record_report.file}: ok")
        for problem in project:
            click.echo(problem.line())
    if record_events:
        for message in record_fixity_checks(reports, root, deep=deep, operator=operator):
            click.echo(message, err=True)
    failed = [report for report in reports if not report.ok]
    project_errors = [p for p in project if p.severity == "error"]
    if failed or project_errors:
        count = sum(1 for report in failed for p in report.problems if p.severity == "error")
        parts = []
        if failed or not project_errors:
            parts.append(
                f"{count} problem{'s' if count != 1 else ''} in {len(failed)} of {len(reports)} "
                f"record{'s' if len(reports) != 1 else ''}"
            )
        if project_errors:
            n = len(project_errors)
            parts.append(f"{n} problem{'s' if n != 1 else ''} in the project")
        raise ValidationFailed(
            ", ".join(parts),
            [p for report in failed for p in report.problems] + project_errors,
        )


@cli.command("seal")
@click.argument("record")
@click.option("--reason", required=True, help="Why the record changed (kept in its history).")
@click.option("--operator", default=None, help="Name of the person re-sealing (an agent).")
@reports_errors
def seal_command(record: str, reason: str, operator: str | None) -> None:
    """Seal RECORD anew after a deliberate change, recording the change as an event.

    RECORD is a slug, a record_id or a record file.  The record must validate apart from
    its seal.  A PREMIS event with the reason is appended, then records/<id>.sha512 is
    rewritten; check it with `sha512sum -c records/<id>.sha512` from the project root.
    """
    from warcite.errors import ValidationFailed
    from warcite.project import display_path, find_project_root
    from warcite.seal import reseal

    root = find_project_root()
    try:
        path = reseal(record, root, reason=reason, operator=operator)
    except ValidationFailed as failure:
        for problem in failure.problems:
            click.echo(problem.line(), err=True)
        raise
    click.echo(f"sealed: {display_path(path, root)}", err=True)
    click.echo(display_path(path, root))


@cli.command("recover")
@reports_errors
def recover_command() -> None:
    """Finish or undo what an interrupted warcite run left in records/ and archive/.

    A record whose files were being committed is completed; temporary files and id
    reservations of runs that are gone are removed.  Every command that writes records
    does this first; this command does only that.
    """
    from warcite.project import find_project_root
    from warcite.store import recover

    done = recover(find_project_root())
    for line in done:
        click.echo(line, err=True)
    if not done:
        click.echo("nothing to recover", err=True)


@cli.command("check")
@click.argument("warcs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem; json: a report per file.",
)
@reports_errors
def check_command(warcs: tuple[str, ...], output_format: str) -> None:
    """Check WARC files (any tool's) strictly against WARC 1.1 (exit 5 when a problem is found).

    Each problem names the spec section and the byte offset of its record (of the gzip
    member for .warc.gz): version line, mandatory fields and their syntax, the fields each
    record type may or must have, block and payload digests (the payload de-chunked, as
    WARC 1.1 section 6.3.2 defines it), Concurrent-To / Refers-To / Warcinfo-ID targets
    (looked up in all the files given), duplicate IDs, CRLF CRLF after each block, one gzip
    member per record.  Warnings are printed but do not fail the check.
    """
    from warcite.check import check_warcs, summary
    from warcite.errors import ValidationFailed

    reports = check_warcs(warcs)
    if output_format == "json":
        document = {
            "tool": {"name": "warcite", "version": __version__},
            "specification": "WARC 1.1",
            "ok": all(report.ok for report in reports),
            "files": [report.as_dict() for report in reports],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            for problem in report.problems:
                click.echo(problem.line())
            if report.ok:
                warnings = len(report.problems)
                noted = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
                plural = "s" if report.records != 1 else ""
                click.echo(f"{report.file}: ok ({report.records} record{plural}{noted})")
    if not all(report.ok for report in reports):
        raise ValidationFailed(
            summary(reports), [p for report in reports for p in report.problems]
        )


@cli.command("export")
@click.argument("words", nargs=-1, metavar="FORMAT [RECORD ...]")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The file or folder to create (never overwritten).",
)
@click.option("--premis", "flags", flag_value="premis", multiple=True, help="Same as FORMAT premis.")
@click.option("--wacz", "flags", flag_value="wacz", multiple=True, help="Same as FORMAT wacz.")
@click.option("--bagit", "flags", flag_value="bagit", multiple=True, help="Same as FORMAT bagit.")
@click.option("--ocfl", "flags", flag_value="ocfl", multiple=True, help="Same as FORMAT ocfl.")
@reports_errors
def export_command(words: tuple[str, ...], output: Path, flags: tuple[str, ...]) -> None:
    """Export records (default: all) as a package other archives ingest.

    FORMAT is premis (PREMIS 3.0 XML), wacz (WACZ 1.1.1 for replay tools), bagit (a BagIt
    1.0 bag of records, texts, WARCs and the schema) or ocfl (an OCFL 1.1 storage root, one
    object per record); --premis, --wacz, --bagit, --ocfl say the same.  RECORD is a slug,
    a record_id or a record's JSON file.  Records are validated first (an invalid record is
    never exported); the package is written beside OUTPUT and renamed into place when
    complete; an existing OUTPUT is an error.
    """
    from warcite.errors import UsageError
    from warcite.export import export, format_name
    from warcite.project import find_project_root
    from warcite.record import record_file
    from warcite.validate import record_files

    chosen = set(flags)
    if len(chosen) > 1:
        raise UsageError(f"give one format, not {', '.join(sorted(chosen))}")
    if chosen:
        name = chosen.pop()
        if words and words[0].lower().lstrip("-") == name:
            words = words[1:]
    elif words:
        name, words = format_name(words[0]), words[1:]
    else:
        raise UsageError("give a FORMAT: premis, wacz, bagit or ocfl (see warcite export --help)")
    root = find_project_root()
    records = [record_file(word, root) for word in words] if words else record_files([], root)
    written = export(name, records, output)
    click.echo(
        f"exported {len(records)} record{'s' if len(records) != 1 else ''} as {name}",
        err=True,
    )
    click.echo(str(written))


# ---------------------------------------------------------------- cite stage (cite.py)


def _cite_load(reference: str, *, text_required: bool = True) -> tuple[Any, dict[str, Any], Any]:
    """The project root, the record a RECORD argument names, and the record's clean text
    (None when it is not required and cannot be read)."""
    import os
    from pathlib import Path

    from warcite.project import find_project_root
    from warcite.record import load_record, record_text

    given = Path(reference)
    if given.suffix == ".json" and len(reference) < 4096 and os.path.lexists(given):
        root = find_project_root(Path(os.path.abspath(given)).parent, required=False)
    else:
        root = find_project_root()
    record = load_record(reference, root)
    if text_required:
        return root, record, record_text(record, root)
    try:
        return root, record, record_text(record, root)
    except WarciteError:
        return root, record, None  # citing needs only the record; the text helps sentence case


@cli.command("text")
@click.argument("record")
@click.option("--paragraph", type=int, default=None, help="Only paragraph N (1-based).")
@click.option("--paragraphs", "paragraph_range", default=None, help="Only paragraphs A-B.")
@click.option(
    "--format",
    "text_format",
    type=click.Choice(["plain", "markdown", "json"]),
    default="plain",
    show_default=True,
    help="markdown marks headings, lists and quotes; json gives number and kind.",
)
@reports_errors
def text_command(
    record: str, paragraph: int | None, paragraph_range: str | None, text_format: str
) -> None:
    """Print the frozen clean text of RECORD, whole or by paragraph number.

    RECORD is a record's id (opednews-160829-249), its record_id (urn:uuid:...) or the
    path of its JSON file.  Paragraphs are numbered from 1, as stored in records/.
    """
    from warcite.errors import UsageError
    from warcite.quote import (
        parse_paragraph_range,
        record_paragraphs,
        render_text,
        select_paragraphs,
    )

    if paragraph is not None and paragraph_range is not None:
        raise UsageError("give --paragraph N or --paragraphs A-B, not both")
    _, data, text = _cite_load(record)
    paragraphs = record_paragraphs(data, text)
    if paragraph is not None:
        paragraphs = select_paragraphs(paragraphs, paragraph)
    elif paragraph_range is not None:
        paragraphs = select_paragraphs(paragraphs, *parse_paragraph_range(paragraph_range))
    click.echo(render_text(paragraphs, text_format, data))


@cli.command("quote")
@click.argument("record")
@click.argument("phrase")
@click.option("--ignore-case", is_flag=True, help="Match regardless of capitals.")
@click.option(
    "--format",
    "quote_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json gives W3C Web Annotation selectors for each match.",
)
@reports_errors
def quote_command(record: str, phrase: str, ignore_case: bool, quote_format: str) -> None:
    """Find PHRASE in the clean text of RECORD and print every match with its pinpoint.

    Matching tolerates differences in whitespace, straight or curly quotes and
    apostrophes, and dashes.  Each match gives its paragraph, the exact archived
    wording, TextQuoteSelector and TextPositionSelector (Unicode code points over the
    record's text file), the APA in-text citation, and a Text Fragment link to the
    original URL that selects exactly this occurrence: checked with the Text Fragments
    matching algorithm over the text the archived page renders (or saying why no link
    can).  A phrase that is not there is an error (exit 6) showing the closest passage.
    """
    from warcite.config import load_config
    from warcite.quote import find_quotes, load_rendered_page, render_quotes

    root, data, text = _cite_load(record)
    page, problem = load_rendered_page(data, root)
    matches = find_quotes(
        data,
        text,
        phrase,
        config=load_config(root),
        ignore_case=ignore_case,
        page=page,
        page_problem=problem,
    )
    click.echo(render_quotes(matches, quote_format))


@cli.command("cite")
@click.argument("record")
@click.option(
    "--style",
    type=click.Choice(STYLES),
    default="apa",
    show_default=True,
    help="APA 7, MLA 9, Chicago 17 notes and bibliography, or a data format.",
)
@click.option(
    "--markup",
    type=click.Choice(["plain", "html", "markdown"]),
    default="plain",
    show_default=True,
    help="How italics are marked in APA, MLA and Chicago.",
)
@click.option(
    "--name-order",
    type=click.Choice(["style", "family-first"]),
    default="style",
    show_default=True,
    help="family-first prints family-first (East Asian) names uninverted: Hyeon In-ae.",
)
@click.option("--archive-name", default=None, help="Name the archive (overrides warcite.toml).")
@click.option(
    "--replay-base",
    default=None,
    help="Wayback-style replay base URL of the archive (overrides warcite.toml).",
)
@click.option("--note-number", type=int, default=None, help="Number of a Chicago note.")
@reports_errors
def cite_command(
    record: str,
    style: str,
    markup: str,
    name_order: str,
    archive_name: str | None,
    replay_base: str | None,
    note_number: int | None,
) -> None:
    """Print a citation of RECORD pointing at the original URL and the archived copy.

    The archived copy is named by the archive's name (warcite.toml, default the project
    folder's name) and, with a replay base URL, by <base>/<14-digit WARC-Date>/<URI>;
    without one, by the WARC file and the WARC record ID.
    """
    from warcite.cite import cite
    from warcite.config import load_config

    root, data, text = _cite_load(record, text_required=False)
    config = load_config(root).with_overrides(archive_name=archive_name, replay_base=replay_base)
    click.echo(
        cite(
            data,
            style,
            config=config,
            markup=markup,
            name_order=name_order,
            note_number=note_number,
            text=text,
        )
    )


# ---------------------------------------------------------------- collections (catalog, index, diff, timemap)


def _print_index_sync(sync: Any, quiet: bool = False) -> None:
    """What verifying the derived index did, on stderr (problems always)."""
    if sync.changed and not quiet:
        click.echo(sync.summary(), err=True)
    for problem in sync.problems:
        click.echo(f"warning: {problem}", err=True)


_INDEX_OPTIONS = [
    click.option("--reindex", is_flag=True, help="Rebuild the derived index from the records."),
    click.option(
        "--verify",
        is_flag=True,
        help="Check every record file's digest against the index (default: changed files).",
    ),
]


def _index_options(function: F) -> F:
    for option in reversed(_INDEX_OPTIONS):
        function = option(function)
    return function


@cli.command("list")
@click.option("--site", default=None, help="Only records whose site, publisher or host matches.")
@click.option("--author", default=None, help="Only records with an author of that name (any form).")
@click.option("--since", default=None, help="Only captures seen on or after DATE (ISO 8601).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table, or JSON (one object per record).",
)
@_index_options
@reports_errors
def list_command(
    site: str | None,
    author: str | None,
    since: str | None,
    output_format: str,
    reindex: bool,
    verify: bool,
) -> None:
    """List the records: id, date captured, title, first author, site, fixity status.

    Fixity is the record's last fixity check event when it has one, otherwise a quick
    size check of the files it lists ("size ok"); warcite validate checks digests.
    Read from the derived index .warcite/index.sqlite, verified against the records first.
    """
    from warcite.listing import list_records, render_json, render_table
    from warcite.project import find_project_root

    root = find_project_root()
    found, sync = list_records(
        root, site=site, author=author, since=since, rebuild=reindex, verify=verify
    )
    _print_index_sync(sync)
    if output_format == "json":
        click.echo(render_json(found))
    else:
        click.echo(render_table(found))
        click.echo(f"{len(found)} of {sync.records} records", err=True)


@cli.command("search")
@click.argument("query")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Best hits shown (0: only count them).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: each hit with snippet and citation; json: the same as data.",
)
@_index_options
@reports_errors
def search_command(query: str, limit: int, output_format: str, reindex: bool, verify: bool) -> None:
    """Search the clean texts and metadata of every record (SQLite FTS5 index).

    Words must all occur in one paragraph or metadata field; "quoted words" are a phrase,
    word* a prefix, -word excludes, A OR B either.  Names are found in every recorded
    form.  Each hit: record, paragraph number, snippet, APA in-text citation and
    reference.  No match is not an error (exit 0, "0 matches").
    """
    from warcite.project import find_project_root
    from warcite.search import render_results, search

    root = find_project_root()
    results = search(root, query, limit=limit, rebuild=reindex, verify=verify)
    _print_index_sync(results.index)
    if output_format == "json":
        click.echo(json.dumps(results.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_results(results))


@cli.command("diff")
@click.argument("first")
@click.argument("second", required=False)
@click.option(
    "--since",
    default=None,
    metavar="DATE",
    help="Compare FIRST's (a URL or record) latest capture with the last one before DATE.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: metadata then paragraph changes; json: the same as data.",
)
@reports_errors
def diff_command(first: str, second: str | None, since: str | None, output_format: str) -> None:
    """Show what changed between two captures: clean text paragraph by paragraph, metadata.

    warcite diff OLD NEW compares two records; warcite diff RECORD compares it with the
    previous capture of the same URL; warcite diff URL --since DATE compares the URL's
    latest capture with the last one made before DATE.  Changed paragraphs carry a word
    diff: [-removed-]{+added+}.  Exit 0 whether or not anything changed.
    """
    from warcite.diff import diff, render_diff
    from warcite.project import find_project_root

    result = diff(find_project_root(), first, second, since=since)
    if output_format == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_diff(result))


@cli.command("timemap")
@click.argument("url")
@click.option(
    "--replay-base",
    default=None,
    help="Wayback-style replay base URL of the archive (overrides warcite.toml).",
)
@reports_errors
def timemap_command(url: str, replay_base: str | None) -> None:
    """Print the Memento TimeMap (RFC 7089, application/link-format) of URL's captures.

    Memento URIs are <replay base>/<14-digit WARC-Date>/<URI> with a replay base
    (warcite.toml or --replay-base), else the WARC file and its record ID
    (archive/<file>.warc.gz#urn:uuid:...).  Imports of saved copies are not mementos and
    are left out.  Exit 5 when the archive holds no capture of URL.
    """
    from warcite.config import load_config
    from warcite.project import find_project_root
    from warcite.timemap import render_link_format, timemap

    root = find_project_root()
    config = load_config(root).with_overrides(replay_base=replay_base)
    result = timemap(root, url, config)
    click.echo(render_link_format(result), nl=False)
    if result.left_out:
        click.echo(
            f"left out {len(result.left_out)} import(s) of saved copies: "
            + ", ".join(result.left_out[:5]),
            err=True,
        )


def main() -> None:
    """Entry point of the ``warcite`` console script (the process ends when it returns).

    On the way out every object is frozen out of the garbage collector's reach
    (``gc.freeze``): the interpreter's last full collection, which a command about to exit
    has no use for, then skips them.  That is about 30 ms of every command's time (an
    eighth of a capture's) and changes nothing it wrote: files are closed and flushed by
    then, and atexit handlers still run.
    """
    try:
        cli(prog_name="warcite")
    finally:
        import gc

        gc.freeze()

"""Commands that make records: ``record`` and ``archive`` (one source or a batch)."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from warcite.cli.browser import batch_capture, browser_default, browser_options, capture_function
from warcite.cli.main import cli, reports_errors

# ---------------------------------------------------------------- record stage (record.py, validate.py)


def _print_record_result(result: Any, project_root: Any) -> None:
    """The record's path and its APA citation on stdout; what happened on stderr."""
    from warcite.cite import cite
    from warcite.core.config import load_config
    from warcite.core.project import display_path
    from warcite.record.files import record_text

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

    from warcite.collection.archive import project_seal_proofs
    from warcite.core.project import find_project_root
    from warcite.integrity.recording import make_record

    root = find_project_root(required=False)
    result = make_record(
        Path(warc),
        record_id=record_id,
        slug=slug,
        replace=replace,
        project_root=root,
        operator=operator,
        seal_proofs=project_seal_proofs(root),
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
@browser_options
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
    **browser_values: Any,
) -> None:
    """The main job: capture URL or import FILE, extract, record, validate, cite.

    SOURCE is an http(s) URL (captured live), a WARC already in archive/ (used as it is:
    the bundled reference WARC rebuilds its record, reported "unchanged" when identical),
    or a file to import (a WARC from elsewhere, a WACZ package: each WARC in it, or
    HTML/text with --url).  Prints the record's path and an APA citation.

    With several SOURCEs or --from FILE it is a batch: --jobs at a time, a progress bar on
    stderr, one report line per source (or --format json), failures reported and skipped;
    a source already archived is skipped unless --recapture, so a rerun resumes.  Exit 7
    when any source failed.
    """
    from warcite.collection.archive import archive
    from warcite.core.errors import UsageError, ValidationFailed
    from warcite.core.project import find_project_root

    root = find_project_root(required=False)
    function = capture_function(browser_values, browser_default=browser_default(root))
    if source_list is not None or len(sources) > 1:
        if slug is not None or url is not None or replace:
            raise UsageError(
                "--id, --url and --replace name one page; in a batch give a file's URL "
                "after it on its line of the --from list"
            )
        with batch_capture(function, jobs) as batch_function:  # one browser for all
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
                capture_function=batch_function,
            )
        return
    if not sources:
        raise UsageError("give a URL or a file to archive (or --from FILE with a list)")
    if sources[0].lower().endswith(".wacz") and not sources[0].lower().startswith(
        ("http:", "https:")
    ):
        from warcite.collection.archive import archive_package

        if replace:
            raise UsageError("--replace is not taken with a WACZ: its records are new")
        for one in archive_package(
            sources[0],
            project_root=root,
            url=url,
            slug=slug,
            operator=operator,
            note=note,
            observed_at=observed_at,
        ):
            _print_record_result(one, root)
        return
    try:
        from warcite.collection.resume import complete_kept_capture

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
                capture_function=function,
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
    from warcite.collection.batch import Source, read_source_list, run_batch
    from warcite.core.errors import BatchFailed, UsageError

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

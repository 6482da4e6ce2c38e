"""Commands that check what is kept: ``validate``, ``seal``, ``recover``, ``check``."""

from __future__ import annotations

import json

import click

from warcite.cli.main import cli, reports_errors
from warcite.core.version import __version__


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

    from warcite.core.errors import UsageError, ValidationFailed
    from warcite.core.project import find_project_root
    from warcite.integrity.validate import (
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
    from warcite.core.errors import ValidationFailed
    from warcite.core.project import display_path, find_project_root
    from warcite.integrity.seal import reseal

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
    from warcite.core.project import find_project_root
    from warcite.core.store import recover

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
    from warcite.core.errors import ValidationFailed
    from warcite.integrity.check import check_warcs, summary

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



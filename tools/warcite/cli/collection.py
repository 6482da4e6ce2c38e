"""Commands over the collection: ``list``, ``search``, ``diff``, ``timemap``."""

from __future__ import annotations

import json
from typing import Any

import click

from warcite.cli.main import F, cli, reports_errors

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
    click.option(
        "--full-check",
        is_flag=True,
        help="Stat every record file, to see records written in place by other programs "
        "that the answer does not show (default: the records folder and the records shown; "
        "docs/scale.md).",
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
    full_check: bool,
) -> None:
    """List the records: id, date captured, title, first author, site, fixity status.

    Fixity is the record's last fixity check event when it has one, otherwise a quick
    size check of the files it lists ("size ok"); warcite validate checks digests.
    Read from the derived index .warcite/index.sqlite, verified against the records first.
    """
    from warcite.collection.listing import list_records, render_json, render_table
    from warcite.core.project import find_project_root

    root = find_project_root()
    found, sync = list_records(
        root,
        site=site,
        author=author,
        since=since,
        rebuild=reindex,
        verify=verify,
        full_check=full_check,
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
def search_command(
    query: str, limit: int, output_format: str, reindex: bool, verify: bool, full_check: bool
) -> None:
    """Search the clean texts and metadata of every record (SQLite FTS5 index).

    Words must all occur in one paragraph or metadata field; "quoted words" are a phrase,
    word* a prefix, -word excludes, A OR B either.  Names are found in every recorded
    form.  Each hit: record, paragraph number, snippet, APA in-text citation and
    reference.  No match is not an error (exit 0, "0 matches").
    """
    from warcite.collection.search import render_results, search
    from warcite.core.project import find_project_root

    root = find_project_root()
    results = search(
        root, query, limit=limit, rebuild=reindex, verify=verify, full_check=full_check
    )
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
    from warcite.collection.diff import diff, render_diff
    from warcite.core.project import find_project_root

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
    from warcite.collection.timemap import render_link_format, timemap
    from warcite.core.config import load_config
    from warcite.core.project import find_project_root

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

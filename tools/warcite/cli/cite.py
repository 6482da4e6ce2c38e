"""Commands of the cite stage: ``text``, ``quote``, ``cite``."""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from warcite.cli.main import cli, reports_errors
from warcite.core.citation_styles import STYLES
from warcite.core.errors import WarciteError

# ---------------------------------------------------------------- cite stage (cite.py)


def _cite_load(reference: str, *, text_required: bool = True) -> tuple[Any, dict[str, Any], Any]:
    """The project root, the record a RECORD argument names, and the record's clean text
    (None when it is not required and cannot be read)."""
    import os
    from pathlib import Path

    from warcite.core.project import find_project_root
    from warcite.record.files import load_record, record_text

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
    "--page",
    "page_range",
    default=None,
    help="A PDF record: only the paragraphs printed on page N or pages A-B.",
)
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
    record: str,
    paragraph: int | None,
    paragraph_range: str | None,
    text_format: str,
    page_range: str | None = None,
) -> None:
    """Print the frozen clean text of RECORD, whole or by paragraph number.

    RECORD is a record's id (opednews-160829-249), its record_id (urn:uuid:...) or the
    path of its JSON file.  Paragraphs are numbered from 1, as stored in records/.
    """
    from warcite.cite.quote import (
        parse_paragraph_range,
        record_paragraphs,
        render_text,
        select_paragraphs,
    )
    from warcite.core.errors import UsageError

    if sum(option is not None for option in (paragraph, paragraph_range, page_range)) > 1:
        raise UsageError("give one of --paragraph N, --paragraphs A-B or --page N, not several")
    _, data, text = _cite_load(record)
    paragraphs = record_paragraphs(data, text)
    if paragraph is not None:
        paragraphs = select_paragraphs(paragraphs, paragraph)
    elif paragraph_range is not None:
        paragraphs = select_paragraphs(paragraphs, *parse_paragraph_range(paragraph_range))
    elif page_range is not None:  # a paragraph across a page break: only its part there
        from warcite.core.pages import page_part, parse_page_range, select_pages

        numbers = select_pages(data, page_range)
        first, last = parse_page_range(page_range)
        paragraphs = [
            dataclasses.replace(p, text=page_part(data, p.number, p.text, first, last))
            for p in paragraphs
            if p.number in numbers
        ]
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
    from warcite.cite.quote import find_quotes, load_rendered_page, render_quotes
    from warcite.core.config import load_config

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
    help="APA 7, MLA 9, Chicago 17 (notes and bibliography, or author-date), or a data format.",
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
@click.option(
    "--pinpoint",
    default=None,
    help="A page or pages of a PDF record as printed (3, 3-4, xii), a paragraph of a web page: APA, MLA "
    "and chicago-author-date print their in-text citation with it, Chicago notes the note "
    "(exit 6 when out of range).",
)
@reports_errors
def cite_command(
    record: str,
    style: str,
    markup: str,
    name_order: str,
    archive_name: str | None,
    replay_base: str | None,
    note_number: int | None,
    pinpoint: str | None,
) -> None:
    """Print a citation of RECORD pointing at the original URL and the archived copy.

    The archived copy is named by the archive's name (warcite.toml, default the project
    folder's name) and, with a replay base URL, by <base>/<14-digit WARC-Date>/<URI>;
    without one, by the WARC file and the WARC record ID.
    """
    from warcite.cite import cite
    from warcite.core.config import load_config

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
            pinpoint=pinpoint,
        )
    )

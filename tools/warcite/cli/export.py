"""``warcite export``: records as PREMIS, WACZ, BagIt or OCFL packages."""

from __future__ import annotations

from pathlib import Path

import click

from warcite.cli.main import cli, reports_errors


@cli.command("export")
@click.argument("words", nargs=-1, metavar="FORMAT [RECORD ...]")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The file or folder to create (never overwritten).",
)
@click.option(
    "--premis", "flags", flag_value="premis", multiple=True, help="Same as FORMAT premis."
)
@click.option("--wacz", "flags", flag_value="wacz", multiple=True, help="Same as FORMAT wacz.")
@click.option("--bagit", "flags", flag_value="bagit", multiple=True, help="Same as FORMAT bagit.")
@click.option("--ocfl", "flags", flag_value="ocfl", multiple=True, help="Same as FORMAT ocfl.")
@click.option(
    "--sign",
    "sign_key",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="wacz: sign the package with this ECDSA private key (WACZ signing spec, anonymous "
    "signature; make one with `warcite keygen --type ecdsa-p384`).",
)
@reports_errors
def export_command(
    words: tuple[str, ...], output: Path, flags: tuple[str, ...], sign_key: Path | None = None
) -> None:
    """Export records (default: all) as a package other archives ingest.

    FORMAT is premis (PREMIS 3.0 XML), wacz (WACZ 1.1.1 for replay tools), bagit (a BagIt
    1.0 bag of records, texts, WARCs and the schema) or ocfl (an OCFL 1.1 storage root, one
    object per record); --premis, --wacz, --bagit, --ocfl say the same.  RECORD is a slug,
    a record_id or a record's JSON file.  Records are validated first (an invalid record is
    never exported); the package is written beside OUTPUT and renamed into place when
    complete; an existing OUTPUT is an error.
    """
    from warcite.core.errors import UsageError
    from warcite.core.project import find_project_root
    from warcite.export import export, format_name
    from warcite.integrity.validate import record_files
    from warcite.record.files import record_file

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
    if sign_key is not None and name != "wacz":
        raise UsageError(f"--sign signs a WACZ; the {name} export has no signature")
    root = find_project_root()
    records = [record_file(word, root) for word in words] if words else record_files([], root)
    written = export(name, records, output, {"sign_key": sign_key} if sign_key else None)
    click.echo(
        f"exported {len(records)} record{'s' if len(records) != 1 else ''} as {name}",
        err=True,
    )
    click.echo(str(written))

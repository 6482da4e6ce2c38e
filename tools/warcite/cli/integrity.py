"""Commands that check what is kept: ``validate``, ``seal``, ``recover``, ``check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
@click.option(
    "--trust",
    "trust",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A public key (ssh-ed25519 line or PEM) trusted to sign seals; with any, every "
    "record must be signed by one of them (repeatable; exit 8 when a signature is missing, "
    "by another key, or does not verify).",
)
@click.option(
    "--tsa-root",
    "tsa_roots",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A trusted Time-Stamping Authority root certificate (PEM; repeatable; added to "
    "[proofs] tsa_roots of warcite.toml).",
)
@reports_errors
def validate_command(
    paths: tuple[str, ...],
    deep: bool,
    output_format: str,
    record_events: bool,
    operator: str | None,
    trust: tuple[Path, ...] = (),
    tsa_roots: tuple[Path, ...] = (),
) -> None:
    """Validate records (default: every records/*.json and the project): schema,
    references, fixity, seals.

    Every problem is collected and printed, one line each, before the exit status is set
    (5 when any is found; 8 when all are with signatures or timestamps).  A PATH ending in
    .wacz is verified as a package, as `warcite check` does.  Without PATHS, WARCs in
    archive/ that no record refers to and files left by an interrupted run are problems
    too.  A signature or timestamp beside a seal is verified whenever present; --trust
    asks every record for a signature by one of the keys given.  --deep re-derives every field it
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
    packages = [path for path in paths if path.lower().endswith(".wacz")]
    if packages:  # a WACZ is verified as a package, as `warcite check` does
        if len(packages) != len(paths) or record_events:
            raise UsageError(
                "give either WACZ files or records to validate, not both (and no --record "
                "for a WACZ)"
            )
        _finish_wacz_check(_check_wacz_packages(packages, output_format), output_format)
        return
    import os

    start = Path(paths[0]) if paths and len(paths[0]) < 4096 else None
    exists = start is not None and os.path.lexists(start)
    # the folder holding the given file, its last component not followed (a symlink out
    # of the project must not make its target's folder the project)
    root = find_project_root(Path(os.path.abspath(start)).parent if start and exists else None)
    files = record_files([Path(p) for p in paths], root)
    if not files:
        click.echo(f"no records to validate under {root}", err=True)
    policy = _proof_policy(root, trust, tsa_roots)
    reports = []
    if len(files) > 5:
        with click.progressbar(files, label="validating", file=sys.stderr) as bar:
            reports = [validate_file(path, root, deep=deep, proofs=policy) for path in bar]
    else:
        reports = [validate_file(path, root, deep=deep, proofs=policy) for path in files]
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
            for note in record_report.proofs:
                click.echo(f"{record_report.file}: {note}")
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
        problems = [p for report in failed for p in report.problems] + project_errors
        errors = [p for p in problems if p.severity == "error"]
        if errors and all(p.kind in ("signature", "timestamp") for p in errors):
            from warcite.core.errors import ProofFailed

            raise ProofFailed(", ".join(parts) + " (signatures or timestamps)", problems)
        raise ValidationFailed(", ".join(parts), problems)


def _proof_policy(root: Path, trust: tuple[Path, ...], tsa_roots: tuple[Path, ...]) -> Any:
    """The keys and TSA roots validate trusts, or None when none are given anywhere (the
    signature and timestamp kept beside a seal are still checked)."""
    if not trust and not tsa_roots and not _has_proof_settings(root):
        return None
    from warcite.integrity.proofs import ProofPolicy, load_proof_settings, trusted_keys
    from warcite.integrity.timestamps import load_certificates

    settings = load_proof_settings(root)
    roots = list(settings.tsa_roots)
    for path in tsa_roots:
        roots.extend(load_certificates(path))
    return ProofPolicy(trusted_keys=trusted_keys(trust), tsa_roots=tuple(roots))


@cli.command("keygen")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "key_type",
    type=click.Choice(["ed25519", "ecdsa-p384"]),
    default="ed25519",
    show_default=True,
    help="ed25519 signs seals (seal --sign); ecdsa-p384 signs WACZ files (export wacz --sign), "
    "as the WACZ signing specification asks.",
)
@click.option("--comment", default="", help="A comment for the public key line (e.g. your name).")
@reports_errors
def keygen_command(path: Path, key_type: str, comment: str) -> None:
    """Write a new private key to PATH (readable by its owner only) and its public key to
    PATH.pub; prints the key's fingerprint.  Never overwrites a file.

    Keep PATH secret and give PATH.pub to whoever checks your seals
    (`warcite validate --trust PATH.pub`).
    """
    from warcite.integrity.signing import generate_key

    key = generate_key(path, comment, key_type=key_type)
    click.echo(f"wrote {path} (private, mode 0600) and {path}.pub", err=True)
    click.echo(key.fingerprint)


@cli.command("seal")
@click.argument("record")
@click.option("--reason", required=True, help="Why the record changed (kept in its history).")
@click.option("--operator", default=None, help="Name of the person re-sealing (an agent).")
@click.option(
    "--sign",
    "key",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sign the seal with this Ed25519 private key (OpenSSH or PEM; see warcite keygen).",
)
@click.option(
    "--signer", default=None, help="With --sign: the key holder's name (kept in the record)."
)
@click.option(
    "--tsa",
    "tsa_url",
    default=None,
    help="Timestamp the seal at this RFC 3161 Time-Stamping Authority URL "
    "(default: [proofs] tsa_url of warcite.toml).",
)
@reports_errors
def seal_command(
    record: str,
    reason: str,
    operator: str | None,
    key: Path | None = None,
    signer: str | None = None,
    tsa_url: str | None = None,
) -> None:
    """Seal RECORD anew after a deliberate change, recording the change as an event.

    RECORD is a slug, a record_id or a record file.  The record must validate apart from
    its seal.  A PREMIS event with the reason is appended, then records/<id>.sha512 is
    rewritten; check it with `sha512sum -c records/<id>.sha512` from the project root.
    --sign writes records/<id>.sha512.sig (check it with `ssh-keygen -Y verify`, or
    `warcite validate --trust KEY.pub`); --tsa writes records/<id>.sha512.tsr (check it
    with `openssl ts -verify`, or `warcite validate --tsa-root ROOT.pem`).  Exit 2 for a
    key that cannot be read or is not Ed25519; exit 8 when the Time-Stamping Authority
    cannot be reached or does not answer with a valid token (nothing is written).
    """
    from warcite.core.errors import UsageError, ValidationFailed
    from warcite.core.project import display_path, find_project_root
    from warcite.integrity.seal import reseal

    root = find_project_root()
    proofs = None
    if signer is not None and key is None:
        raise UsageError("--signer names the holder of the --sign key: give --sign KEY too")
    if key is not None or tsa_url is not None or _has_proof_settings(root):
        from warcite.integrity.proofs import SealProofs, load_proof_settings
        from warcite.integrity.signing import load_private_key

        settings = load_proof_settings(root)
        proofs = SealProofs(
            tsa_url=tsa_url or settings.tsa_url,
            signing_key=load_private_key(key) if key is not None else None,
            signer=signer,
            tsa_roots=settings.tsa_roots,
        )
    try:
        path = reseal(record, root, reason=reason, operator=operator, proofs=proofs or None)
    except ValidationFailed as failure:
        for problem in failure.problems:
            click.echo(problem.line(), err=True)
        raise
    click.echo(f"sealed: {display_path(path, root)}", err=True)
    click.echo(display_path(path, root))


def _has_proof_settings(root: Path) -> bool:
    """True when warcite.toml may hold a [proofs] table (read fully only then)."""
    from warcite.core.config import CONFIG_FILE_NAME

    try:
        config = root / CONFIG_FILE_NAME
        return config.is_file() and b"[proofs]" in config.read_bytes()
    except OSError:
        return False


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

    A .wacz file is verified as a package instead: each listed file's hash and size, the
    hash of datapackage.json, and its anonymous signature when it has one (exit 8 when any
    of these fails; a domain signature is reported, not verified).

    Each problem names the spec section and the byte offset of its record (of the gzip
    member for .warc.gz): version line, mandatory fields and their syntax, the fields each
    record type may or must have, block and payload digests (the payload de-chunked, as
    WARC 1.1 section 6.3.2 defines it), Concurrent-To / Refers-To / Warcinfo-ID targets
    (looked up in all the files given), duplicate IDs, CRLF CRLF after each block, one gzip
    member per record.  Warnings are printed but do not fail the check.
    """
    from warcite.core.errors import ValidationFailed
    from warcite.integrity.check import check_warcs, summary

    packages = [name for name in warcs if name.lower().endswith(".wacz")]
    reports = check_warcs([name for name in warcs if name not in packages])
    verified = _check_wacz_packages(packages, output_format)
    if output_format == "json":
        document = {
            "tool": {"name": "warcite", "version": __version__},
            "specification": "WARC 1.1",
            "ok": all(report.ok for report in reports) and all(v.ok for v in verified),
            "files": [report.as_dict() for report in reports],
        }
        if packages:
            document["packages"] = [v.as_dict() for v in verified]
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
        raise ValidationFailed(summary(reports), [p for report in reports for p in report.problems])
    _finish_wacz_check(verified, None)


def _finish_wacz_check(verified: list[Any], output_format: str | None) -> None:
    """Print the JSON report when asked (``output_format`` "json"), then exit 8 (ProofFailed)
    when any package failed."""
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "tool": {"name": "warcite", "version": __version__},
                    "ok": all(v.ok for v in verified),
                    "packages": [v.as_dict() for v in verified],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    bad = [v for v in verified if not v.ok]
    if bad:
        from warcite.core.errors import ProofFailed

        count = sum(len(v.problems) for v in bad)
        raise ProofFailed(
            f"{count} problem{'s' if count != 1 else ''} in {len(bad)} of {len(verified)} WACZ "
            "package(s)",
            [problem for v in bad for problem in v.problems],
        )


def _check_wacz_packages(packages: list[str], output_format: str) -> list[Any]:
    """Verify WACZ packages (digests and signature: warcite.core.wacz_package); prints each
    one's problems, warnings and what verified unless the output is JSON."""
    if not packages:
        return []
    from warcite.core.wacz_package import verify_wacz

    verified = [verify_wacz(Path(name), name) for name in packages]
    if output_format != "json":
        for result in verified:
            for problem in result.problems:
                click.echo(f"{result.file}: {problem}")
            for warning in result.warnings:
                click.echo(f"{result.file}: warning: {warning}")
            for note in result.notes:
                click.echo(f"{result.file}: {note}")
            if result.ok:
                click.echo(f"{result.file}: ok ({len(result.warcs)} WARC files)")
    return verified

"""The CLI as a whole: every command documented, errors mapped to their exit codes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from warcite import errors
from warcite.cli import cli, reports_errors

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_every_command_has_help() -> None:
    assert isinstance(cli, click.Group)
    runner = CliRunner()
    for name, command in cli.commands.items():
        assert command.help, f"command {name!r} has no docstring/help"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_version() -> None:
    from warcite import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize(
    ("error_class", "code"),
    [
        (errors.WarciteError, 1),
        (errors.UsageError, 2),
        (errors.CaptureError, 3),
        (errors.ArchiveExistsError, 3),
        (errors.ExtractionError, 4),
        (errors.WarcReadError, 4),
        (errors.RecordError, 5),
        (errors.ValidationFailed, 5),
        (errors.CitationError, 6),
    ],
)
def test_errors_map_to_their_exit_codes(error_class: type[errors.WarciteError], code: int) -> None:
    @click.command()
    @reports_errors
    def failing() -> None:
        raise error_class("something precise went wrong")

    result = CliRunner().invoke(failing, [])
    assert result.exit_code == code
    assert result.stderr == "Error: something precise went wrong\n"
    assert "Traceback" not in result.output


def test_exit_codes_are_documented_in_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for code in range(1, 7):
        assert re.search(rf"^\|\s*{code}\s*\|", readme, re.MULTILINE), f"exit code {code} missing"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert command in readme, "the README's test command and .ci/run differ"


def test_every_command_is_in_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"warcite {name}" in readme, f"command {name!r} is not shown in the README"


def test_committed_records_pass_deep_validation_through_the_cli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What CI promises: ``warcite validate --deep`` on the committed records succeeds."""
    monkeypatch.chdir(PROJECT_ROOT)
    result = CliRunner().invoke(cli, ["validate", "--deep"])
    assert result.exit_code == 0, result.output
    assert "records/opednews-160829-249.json: ok" in result.stdout.splitlines()


def test_python_dash_m_runs_the_cli() -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "warcite", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("warcite, version ")


def test_the_console_entry_point_spares_the_exiting_process_a_last_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``main`` freezes the heap on the way out (even when the command fails), so the
    interpreter's final garbage collection skips it."""
    import gc

    from warcite.cli import main

    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.get_freeze_count()))
    for argv in (["warcite", "--version"], ["warcite", "no-such-command"]):
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit):
            main()
    assert len(frozen) == 2

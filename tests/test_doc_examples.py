"""The console examples of README.md and docs/*.md print what they show (tests/doc_examples.py)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from doc_examples import (
    REPOSITORY,
    TOOLS_VENV,
    Session,
    console_blocks,
    differences,
    documents,
    normalise,
)
from warcite.cli import cli


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    running = Session(tmp_path)
    try:
        yield running
    finally:
        running.close()


@pytest.mark.parametrize(
    "document", documents(), ids=lambda path: str(path.relative_to(REPOSITORY))
)
def test_every_console_example_prints_what_it_shows(document: Path, session: Session) -> None:
    blocks = console_blocks(document)
    problems = differences(session, blocks)
    assert not problems, "\n".join(problems)
    if session.skipped:
        reason = f"{TOOLS_VENV}/ is absent (run .ci/tools-venv): not run: {session.skipped}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_the_documents_have_examples_to_run() -> None:
    counted = {
        str(path.relative_to(REPOSITORY)): sum(len(b.commands) for b in console_blocks(path))
        for path in documents()
    }
    assert counted["README.md"] >= 15, counted
    assert sum(counted.values()) >= 60, counted


EXAMPLE = """\
Some prose.

```console
$ warcite text opednews-160829-249 --paragraph 6
Nevertheless, the number of North Korean elite defectors is on the rise for presumably two \
reasons. First is their animosity towards Kim Jong-Un's reign of terror. His iron-fisted rule \
has taken control over the elite as demonstrated in the killing of over 130 senior officials of \
the Workers' Party during his four years in office. Watching Kim Jong-Un kill even his uncle \
Jang Seong-taek, the upper class has an increasing fear that their lives could be put at risk \
anytime. Besides, some analysis suggests that the sense of solidarity among the elite is being \
diluted.

$ warcite quote opednews-160829-249 "reign of fear" ; echo "(exit $?)"
Error: 'reign of fear' is not in the text of record opednews-160829-249 (compared ignoring \
whitespace, quotes and dashes). Closest passage, paragraph 9 (79% similar): "reign of terror"
(exit 6)
```

```text
$ warcite capture https://example.org/ (needs the internet: shown, not run)
```
"""


def test_an_example_as_printed_passes_and_an_edited_one_fails(session: Session) -> None:
    document = REPOSITORY / "EXAMPLE.md"
    blocks = console_blocks(document, EXAMPLE)
    assert [len(block.commands) for block in blocks] == [2]  # the text block is not run
    assert differences(session, blocks) == []

    for old, new in [
        ("reign of terror. His", "reign of fear. His"),  # a word of the output
        ("(exit 6)", "(exit 0)"),  # the exit status
        ("79% similar", "80% similar"),
    ]:
        assert old in EXAMPLE
        edited = console_blocks(document, EXAMPLE.replace(old, new, 1))
        problems = differences(session, edited)
        assert len(problems) == 1 and "EXAMPLE.md:" in problems[0], (old, problems)


def test_what_varies_between_runs_is_normalised_and_nothing_else() -> None:
    first = (
        "archive/127-0-0-1-otters-20261126133155.warc.gz urn:uuid:2a2df278-3ac6-4958-a304-"
        "ea75fa6d5dd0 2026-12-01T00:35:39Z (3.4 s) sha256:1ca1a00c9de284090977453e30f125bc"
        " Tue, 01 Dec 2026 00:35:39 GMT, November 26, 2026, 26 Nov. 2026  \n\n"
    )
    second = (
        "archive/127-0-0-1-otters-20261206010634.warc.gz urn:uuid:6048e227-c395-44e1-9b2e-"
        "6580eb18392e 2026-12-06T01:06:34.123Z (12 s) sha256:0e0a05bfbd938cef7019b40456001e6a"
        " Sun, 06 Dec 2026 01:06:34 GMT, December 6, 2026, 6 Dec. 2026"
    )
    assert normalise(first) == normalise(second)
    assert normalise(first) != normalise(first.replace("otters", "beavers"))
    assert normalise("5 sources: 4 archived") != normalise("5 sources: 3 archived")


def test_every_shell_session_is_run_or_marked_as_shown_only() -> None:
    """A ``$ warcite`` session in another kind of block would escape the test unseen."""
    hidden = []
    for document in documents():
        language = None
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```"):
                language = line[3:].strip() if language is None else None
            elif language not in (None, "console", "text") and line.startswith("$ warcite"):
                hidden.append(f"{document.relative_to(REPOSITORY)}:{number}: ```{language}")
    assert hidden == [], "write these as ```console (run) or ```text (shown only)"


def test_help_and_readme_list_the_same_exit_codes() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Exit codes") :]
    documented = [int(code) for code in re.findall(r"^\| (\d) \|", table, re.MULTILINE)]
    assert documented == list(range(10))  # 8: proofs (#24), 9: script-built pages (#19)
    shown = CliRunner().invoke(cli, ["--help"]).output
    listed = " ".join(shown.split())  # click wraps the text
    for code in documented:
        assert re.search(rf"\b{code} [a-z]", listed), f"warcite --help omits exit code {code}"

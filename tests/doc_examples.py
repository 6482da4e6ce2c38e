"""Run the console examples of README.md and docs/*.md, and compare what they print.

A ```` ```console ```` block is a shell session: each line starting with ``$ `` is a command,
the lines after it (up to the next ``$ `` line) what it prints, standard output and standard
error together, in the order written.  Blocks run in the order of their document, each
command with ``bash -c`` in a scratch copy of the project (``archive/``, ``records/``,
``warcite.toml``, ``tests/data/``, ``docs/examples/``) at ``/tmp/demo``, with the running
interpreter's ``bin`` folder first on ``PATH`` (so ``warcite`` is this checkout's) and the
loopback site of ``tests/collection_site.py`` on a free port.  A ``cd`` carries over to the
next command, as in a terminal.

Paths under ``/tmp/`` in commands are moved into the scratch folder and moved back in the
output; ``127.0.0.1:8765`` (the site's port in the documents) becomes the site's real port
in commands and in the example files copied, and back again in the output.  A command of
the validators ``.ci/tools-venv`` installs (``.venv-tools/bin/...``) is left out when they
are not installed, and the test says so (it skips outside CI, fails in CI).  Both sides are
then normalised (:func:`normalise`): timestamps, dates, UUIDs, digests and durations.

A block that cannot run here (it needs the internet, or prints measurements) is written as
```` ```text ```` instead: shown, never run.  An HTML comment before a block sets up what the
reader is told in the prose around it::

    <!-- doc-example: project /tmp/demo -->          a fresh copy of the project there, cd in
    <!-- doc-example: site fail /news/story-1003.html 404 -->
    <!-- doc-example: site ok /news/story-1003.html -->
    <!-- doc-example: site edit 1002 2 New text of paragraph 2 of story 1002 -->
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from collection_site import EXAMPLE_FILES, CollectionSite

REPOSITORY = Path(__file__).resolve().parent.parent
DOCUMENTED_PORT = 8765
DEFAULT_PROJECT = "/tmp/demo"
TOOLS_VENV = ".venv-tools"  # made by .ci/tools-venv, part of the README's test command
COMMAND_TIMEOUT = 300.0

FENCE = re.compile(r"^```(\w*)\s*$")
DIRECTIVE = re.compile(r"^<!--\s*doc-example:\s*(.*?)\s*-->\s*$")


@dataclass
class Command:
    line: int  # 1-based line of the ``$ `` line in its document
    command: str
    expected: str
    end: int = 0  # 1-based line after its output (the next command's, or the closing fence)


@dataclass
class Block:
    document: Path
    line: int
    directives: list[str] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)


def documents() -> list[Path]:
    """README.md and every docs/*.md, in a fixed order."""
    return [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").glob("*.md"))]


def console_blocks(document: Path, text: str | None = None) -> list[Block]:
    """The ```console blocks of ``document`` with the directives written before each."""
    lines = (document.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks: list[Block] = []
    pending: list[str] = []
    index = 0
    while index < len(lines):
        directive = DIRECTIVE.match(lines[index])
        fence = FENCE.match(lines[index])
        if directive:
            pending.append(directive.group(1))
        elif fence and fence.group(1):
            end = index + 1
            while end < len(lines) and lines[end].rstrip() != "```":
                end += 1
            if fence.group(1) == "console":
                block = Block(document, index + 1, pending)
                for number in range(index + 1, end):
                    if lines[number].startswith("$ "):
                        block.commands.append(Command(number + 1, lines[number][2:], ""))
                    elif block.commands:
                        block.commands[-1].expected += lines[number] + "\n"
                    if block.commands:
                        block.commands[-1].end = number + 2
                blocks.append(block)
            pending = []
            index = end
        index += 1
    return blocks


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SHORT_MONTHS = r"Jan\.|Feb\.|Mar\.|Apr\.|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\."
NORMALISATIONS = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{16,}\b"), "<hex>"),
    (re.compile(r"\b(sha1|SHA-1):[A-Z2-7]{32}\b"), r"\1:<base32>"),
    (
        re.compile(r"\b\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?"),
        "<date>",
    ),
    # a WARC name's stamp, with the -2, -3 ... of captures made within the same second
    (re.compile(r"\b\d{14}(-\d+)?\b"), "<timestamp>"),
    (re.compile(r"\b[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT"), "<date>"),
    (re.compile(rf"\b({MONTHS}) \d{{1,2}}, \d{{4}}"), "<date>"),
    (re.compile(rf"\b\d{{1,2}} ({SHORT_MONTHS}) \d{{4}}"), "<date>"),
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms)\)"), "<duration>)"),
    (re.compile(r"\.warcite-tmp-[0-9a-z]+"), ".warcite-tmp-<id>"),
]


def normalise(text: str) -> str:
    """What may differ between two runs made the same on both sides; trailing space dropped."""
    for pattern, replacement in NORMALISATIONS:
        text = pattern.sub(replacement, text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


class Session:
    """A scratch folder standing for ``/tmp``, a running loopback site and a current folder."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.tmp = scratch / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.site = CollectionSite(pages=200, files=EXAMPLE_FILES).start()
        self.port = self.site.server.server_address[1]
        self.cwd = self.project(DEFAULT_PROJECT)
        self.env = dict(os.environ)
        self.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{self.env.get('PATH', '')}"
        self.env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order written
        self.env.pop("COLUMNS", None)
        self.skipped: list[str] = []  # commands of tools that are not installed here

    def close(self) -> None:
        self.site.stop()

    def into_scratch(self, text: str) -> str:
        text = text.replace(f"127.0.0.1:{DOCUMENTED_PORT}", f"127.0.0.1:{self.port}")
        return re.sub(r"(?<![\w.])/tmp/", f"{self.tmp}/", text)

    def out_of_scratch(self, text: str) -> str:
        text = text.replace(f"{self.tmp}/", "/tmp/").replace(str(self.tmp), "/tmp")
        return text.replace(f"127.0.0.1:{self.port}", f"127.0.0.1:{DOCUMENTED_PORT}")

    def project(self, documented: str) -> Path:
        """A fresh copy of the repository's project at ``documented`` (under /tmp)."""
        root = Path(self.into_scratch(documented))
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        for name in ("archive", "records"):
            shutil.copytree(REPOSITORY / name, root / name)
        shutil.copy(REPOSITORY / "warcite.toml", root / "warcite.toml")
        if (REPOSITORY / TOOLS_VENV).is_dir():  # the archive community's validators
            (root / TOOLS_VENV).symlink_to(REPOSITORY / TOOLS_VENV)
        shutil.copytree(REPOSITORY / "tests" / "data", root / "tests" / "data")
        shutil.copytree(REPOSITORY / "docs" / "examples", root / "docs" / "examples")
        for path in (root / "docs" / "examples").iterdir():
            if path.suffix in (".txt", ".html"):
                path.write_text(self.into_scratch(path.read_text(encoding="utf-8")), "utf-8")
        return root

    def apply(self, directive: str) -> None:
        words = directive.split()
        if words[:1] == ["project"] and len(words) == 2:
            self.cwd = self.project(words[1])
        elif words[:2] == ["site", "fail"] and len(words) == 4:
            self.site.fail[words[2]] = int(words[3]) if words[3].isdigit() else words[3]
        elif words[:2] == ["site", "ok"] and len(words) == 3:
            self.site.fail.pop(words[2], None)
        elif words[:2] == ["site", "edit"] and len(words) > 4:
            self.site.edit(int(words[2]) - 1000, int(words[3]), " ".join(words[4:]))
        else:
            raise ValueError(f"unknown doc-example directive: {directive!r}")

    def unavailable(self, command: str) -> bool:
        """Whether ``command`` runs a tool of .ci/tools-venv, which is not installed here."""
        return f"{TOOLS_VENV}/" in command and not (REPOSITORY / TOOLS_VENV).is_dir()

    def run(self, command: str) -> str:
        """Run one ``$`` command as a terminal would; its output as the document shows it."""
        where = self.scratch / ".cwd"
        script = f'{self.into_scratch(command)}\n__rc=$?; pwd > "{where}"; exit $__rc\n'
        finished = subprocess.run(
            ["bash", "-c", script],
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        if where.exists():
            self.cwd = Path(where.read_text(encoding="utf-8").strip())
            where.unlink()
        return self.out_of_scratch(finished.stdout.decode("utf-8", "replace"))


def differences(session: Session, blocks: list[Block]) -> list[str]:
    """Every command whose output differs from its document's, with both outputs."""
    problems = []
    for block in blocks:
        for directive in block.directives:
            session.apply(directive)
        for command in block.commands:
            if session.unavailable(command.command):
                session.skipped.append(f"{block.document.name}:{command.line}: {command.command}")
                continue
            found = session.run(command.command)
            if normalise(found) != normalise(command.expected):
                where = f"{block.document.name}:{command.line}"
                problems.append(
                    f"{where}: $ {command.command}\n--- the document shows:\n"
                    f"{command.expected.rstrip()}\n--- it prints:\n{found.rstrip()}\n"
                )
    return problems


def update(document: Path, scratch: Path) -> int:
    """Rewrite the outputs of ``document``'s examples with what they print now.

    For a deliberate change of output; the diff is for a person to read before committing.
    Returns how many outputs changed.
    """
    lines = document.read_text(encoding="utf-8").splitlines()
    session = Session(scratch)
    replacements: list[tuple[int, int, list[str]]] = []
    try:
        for block in console_blocks(document):
            for directive in block.directives:
                session.apply(directive)
            for command in block.commands:
                if session.unavailable(command.command):
                    continue
                found = session.run(command.command)
                if normalise(found) != normalise(command.expected):
                    # keep a blank line the document had before the next command
                    gap = [""] if command.expected.endswith("\n\n") else []
                    new = [line.rstrip() for line in found.rstrip("\n").splitlines()] + gap
                    replacements.append((command.line, command.end - 1, new))
    finally:
        session.close()
    for start, stop, new in reversed(replacements):
        lines[start:stop] = new
    document.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(replacements)


def main(argv: list[str] | None = None) -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Run or update the documents' examples.")
    parser.add_argument("documents", nargs="*", type=Path, help="default: all of them")
    parser.add_argument("--update", action="store_true", help="rewrite the outputs shown")
    options = parser.parse_args(argv)
    failed = 0
    for document in [path.resolve() for path in options.documents] or documents():
        with tempfile.TemporaryDirectory() as scratch:
            if options.update:
                print(f"{document.name}: {update(document, Path(scratch))} outputs rewritten")
                continue
            session = Session(Path(scratch))
            try:
                problems = differences(session, console_blocks(document))
            finally:
                session.close()
            failed += len(problems)
            print("\n".join(problems) or f"{document.name}: ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

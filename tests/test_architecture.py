"""The package's layout is a contract a machine checks (docs/architecture.md): the layers
and stage independence by import-linter, and here what import-linter does not see."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "tools" / "warcite"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 1000
MAX_ROOT_MODULES = 8


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def run_lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.skip(f"{LINT_IMPORTS} is absent: pip install -e '.[test]' brings import-linter")
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(PROJECT_ROOT / "pyproject.toml"), "--no-cache"],
        cwd=source_root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(source_root / "tools")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layer_contracts_are_kept() -> None:
    result = run_lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("core/zz_upward.py", "from warcite.record.build import build_record\n"),
        ("capture/zz_sideways.py", "from warcite.cite import cite\n"),
        ("record/zz_upward.py", "def late():\n    from warcite.integrity import validate\n"),
    ],
)
def test_an_upward_or_sideways_import_breaks_a_contract(
    tmp_path: Path, module: str, upward: str
) -> None:
    """The same contracts fail on a copy of the package with one import that breaks the
    layering, even one hidden inside a function."""
    copy = tmp_path / "tools" / "warcite"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / module).write_text(upward)
    result = run_lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert f"warcite.{module[:-3].replace('/', '.')}" in result.stdout


def private_imports(path: Path, root: Path = PROJECT_ROOT) -> list[str]:
    """``from warcite.x import _name`` in ``path``: a private name taken across modules."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("warcite"):
            found += [
                f"{path.relative_to(root)}:{node.lineno}: {node.module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    found = [line for path in modules() for line in private_imports(path)]
    assert found == [], "\n".join(found)


def test_the_private_name_check_sees_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from warcite.capture.writer import _hidden, shown\n"
        "def late():\n    from warcite.core import _also\n"
    )
    assert private_imports(sample, tmp_path) == [
        "sample.py:1: warcite.capture.writer._hidden",
        "sample.py:3: warcite.core._also",
    ]


def test_no_module_is_over_a_thousand_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_package_root_holds_few_modules() -> None:
    root = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


def test_the_old_module_paths_of_the_public_api_still_import() -> None:
    import warcite.archive
    import warcite.seal
    import warcite.validate
    import warcite.warc

    import warcite
    import warcite.collection.archive
    import warcite.core.warc
    import warcite.integrity.seal
    import warcite.integrity.validate
    from warcite.integrity.recording import make_record
    from warcite.record import allocate_id
    from warcite.record import make_record as old_make_record

    assert warcite.validate is warcite.integrity.validate
    assert warcite.archive is warcite.collection.archive
    assert warcite.seal is warcite.integrity.seal
    assert warcite.warc is warcite.core.warc
    assert old_make_record is make_record
    assert callable(warcite.warc.read_page) and callable(allocate_id)
    assert callable(warcite.validate.validate_file) and callable(warcite.seal.reseal)


def test_the_readme_is_read_in_five_minutes() -> None:
    """At most 400 lines: the rest lives in docs/, one page per command or topic."""
    lines = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 400, f"README.md has {len(lines)} lines: move detail into docs/"
    contents = (PROJECT_ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    pages = sorted(path.name for path in (PROJECT_ROOT / "docs").glob("*.md"))
    unlisted = [page for page in pages if page != "README.md" and f"({page})" not in contents]
    assert unlisted == [], f"docs/README.md (the table of contents) does not list {unlisted}"

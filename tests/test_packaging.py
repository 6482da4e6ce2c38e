"""Packaging: the schemas live once, in the top-level schemas/ (no symlink, no copy in the
package), a wheel built from a checkout without symlinks carries them as warcite/schemas,
every package of tools/warcite is in the wheel, the sdist holds every tracked file and the
tests pass from it, and the README renders on PyPI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = PROJECT_ROOT / "schemas"
PACKAGE = PROJECT_ROOT / "tools" / "warcite"
NOT_IN_SDIST = {".gitignore"}
"""Tracked files an sdist need not carry."""
SDIST_TESTS = (
    "tests/test_schema.py",
    "tests/test_schema_offline.py",
    "tests/test_export_premis.py",
    "tests/test_record.py",
    "tests/test_cli.py",
)
"""The suites run from the unpacked sdist: the schemas, records, PREMIS export, the CLI."""


def git_files() -> list[str]:
    """Tracked files (``git ls-files``), or skip outside a git checkout (an unpacked sdist)."""
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist has no .git): nothing to compare")
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True
    ).stdout
    return [name for name in listing.decode("utf-8").split("\0") if name]


def checkout_without_symlinks(target: Path) -> Path:
    """A copy of the tracked files as a checkout with core.symlinks=false (the Windows
    default) has them: a symbolic link becomes a plain file holding the link's target."""
    for name in git_files():
        source = PROJECT_ROOT / name
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.write_text(os.readlink(source), encoding="utf-8")
        elif source.is_file():
            shutil.copy2(source, destination)
    return target


def build(source: Path, outdir: Path, kind: str) -> Path:
    """``python -m build --no-isolation --<kind>`` (build, setuptools, wheel: test extra)."""
    pytest.importorskip("build", reason="the 'build' package is in the test extra")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", f"--{kind}", "--outdir", str(outdir)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ambiguous = "is absent from the `packages` configuration"
    assert ambiguous not in result.stdout + result.stderr, "setuptools: a package left out"
    (built,) = outdir.glob("*.whl" if kind == "wheel" else "*.tar.gz")
    return built


def test_no_symlink_is_tracked() -> None:
    git_files()
    modes = subprocess.run(
        ["git", "ls-files", "-s"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    links = [line.split("\t", 1)[1] for line in modes.splitlines() if line.startswith("120000")]
    assert links == [], f"symbolic links break checkouts without symlink support: {links}"
    assert not (SCHEMAS).is_symlink()
    assert (SCHEMAS / "record" / "1.1.0" / "record.schema.json").is_file()
    assert not (PACKAGE / "schemas").exists(), "a second copy of the schemas in the package"


def _pyproject() -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """packages is an explicit list (packages.find cannot see warcite.schemas, mapped from
    the top-level schemas/), so a new subpackage must not be left out of the wheel."""
    setuptools = _pyproject()["tool"]["setuptools"]
    folders = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    listed = set(setuptools["packages"])
    assert folders <= listed, f"packages missing from pyproject.toml: {sorted(folders - listed)}"
    assert listed - folders == {"warcite.schemas"}
    assert setuptools["package-dir"] == {"": "tools", "warcite.schemas": "schemas"}


def test_schemas_are_found_installed_first_then_in_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warcite import record as records
    from warcite.core.errors import RecordError
    from warcite.record import schema as schema_module

    def place(folder: Path) -> Path:
        target = folder / "record" / records.SCHEMA_VERSION / "record.schema.json"
        target.parent.mkdir(parents=True)
        target.write_text("{}", encoding="utf-8")
        return folder

    installed = tmp_path / "site" / "warcite"
    place(installed / "schemas")
    monkeypatch.setattr(schema_module, "__file__", str(installed / "record" / "schema.py"))
    assert records.schemas_directory() == (installed / "schemas").resolve()

    checkout = tmp_path / "project"
    monkeypatch.setattr(
        schema_module, "__file__", str(checkout / "tools" / "warcite" / "record" / "schema.py")
    )
    (checkout / "tools" / "warcite").mkdir(parents=True)
    with pytest.raises(RecordError, match="schemas are missing"):
        records.schemas_directory()
    place(checkout / "schemas")
    assert records.schemas_directory() == (checkout / "schemas").resolve()
    assert records.schemas_directory() != SCHEMAS

    elsewhere = tmp_path / "other" / "warcite"
    elsewhere.mkdir(parents=True)
    (tmp_path / "schemas").mkdir()
    monkeypatch.setattr(schema_module, "__file__", str(elsewhere / "record" / "schema.py"))
    with pytest.raises(RecordError, match="reinstall warcite"):
        records.schemas_directory()


def test_wheel_from_a_checkout_without_symlinks_carries_the_schemas(tmp_path: Path) -> None:
    checkout = checkout_without_symlinks(tmp_path / "checkout")
    wheel = build(checkout, tmp_path / "dist", "wheel")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "warcite/schemas/" + path.relative_to(SCHEMAS).as_posix()
        for path in SCHEMAS.rglob("*")
        if path.is_file()
    }
    assert {
        "warcite/schemas/record/1.0.0/record.schema.json",
        "warcite/schemas/record/1.1.0/record.schema.json",
        "warcite/schemas/vendor/csl-data.json",
        "warcite/schemas/vendor/premis-v3-0.xsd",
        "warcite/schemas/vendor/README.md",
        "warcite/schemas/vendor/LICENSE.txt",
    } <= expected
    assert expected <= names, sorted(expected - names)
    assert "warcite/export/premis.py" in names


def test_sdist_holds_every_tracked_file_and_its_tests_pass(tmp_path: Path) -> None:
    checkout = checkout_without_symlinks(tmp_path / "checkout")
    sdist = build(checkout, tmp_path / "dist", "sdist")
    with tarfile.open(sdist) as archive:
        prefix = archive.getnames()[0].split("/", 1)[0]
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        archive.extractall(tmp_path / "unpacked", filter="data")
    missing = sorted(set(git_files()) - NOT_IN_SDIST - names)
    assert missing == [], f"the sdist lacks tracked files: {missing[:20]}"
    unpacked = tmp_path / "unpacked" / prefix
    wheel = build(unpacked, tmp_path / "wheel", "wheel")
    site = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    environment = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import warcite; print(warcite.__file__)"],
        cwd=unpacked,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(site)), where
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SDIST_TESTS],
        cwd=unpacked,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in (("a", "href"), ("img", "src")) and value is not None:
                self.targets.append(value)
            if name == "id" and value is not None:
                self.ids.add(value)


def test_readme_renders_on_pypi_without_relative_links() -> None:
    markdown = pytest.importorskip(
        "readme_renderer.markdown", reason="readme-renderer[md] is in the test extra"
    )
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    html = markdown.render(text)
    assert html, "README.md does not render with PyPI's renderer"
    links = _Links()
    links.feed(html)
    anchors = [t for t in links.targets if t.startswith("#")]
    assert [a for a in anchors if a[1:] not in links.ids] == [], "in-page links to no heading"
    relative = [t for t in links.targets if not t.startswith(("https://", "http://", "#"))]
    assert relative == [], f"links that break on PyPI (no repository to resolve them): {relative}"


def test_project_metadata_is_honest() -> None:
    project = _pyproject()["project"]
    assert project["readme"] == "README.md"
    for label, url in project.get("urls", {}).items():
        assert url.startswith("https://"), (label, url)

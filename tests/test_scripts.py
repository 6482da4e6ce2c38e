"""Scripts run by path (``python bench/capture.py``) put their folder first on sys.path, so a
script or helper named like a standard-library module would replace that module for every
import in the run (a ``bench/collections.py`` once broke ``python bench/capture.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", ["bench", "tests", "tools"])
def test_no_top_level_module_shadows_the_standard_library(folder: str) -> None:
    modules = [path for path in (PROJECT_ROOT / folder).glob("*.py")]
    modules += [
        path for path in (PROJECT_ROOT / folder).iterdir() if (path / "__init__.py").is_file()
    ]
    shadowing = sorted(path.name for path in modules if path.stem in sys.stdlib_module_names)
    assert shadowing == [], f"rename these: they hide standard-library modules: {shadowing}"

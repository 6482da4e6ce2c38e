"""Shared fixtures: paths to the project and to ../shared (which a user's clone lacks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline anywhere (a loaded 2-core CI machine is not a performance test:
# speed is measured by bench/, never by timed tests); in CI the examples are derandomized,
# so a landing is never decided by a lucky or unlucky seed.
settings.register_profile("dev", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the project, or the folder named by WARCITE_SHARED (a worktree elsewhere)
SHARED = Path(os.environ.get("WARCITE_SHARED") or PROJECT_ROOT.parent / "shared")
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: ../shared is only beside the project in CI and dev sessions"
        )
    return path

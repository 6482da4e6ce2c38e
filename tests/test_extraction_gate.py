"""CI quality gate: warcite's extraction over the whole extraction dev set.

Runs warcite on every page of ``../shared/extraction-dev`` (300 real pages, ground truth
reviewed; WCXB, the Web Content Extraction Benchmark by Murrough Foley, CC BY 4.0) and fails
when text precision, recall, F1, the share of pages with F1 >= 0.9, or title / author / date
accuracy drop below the floor pinned in ``tests/data/html_gate_baseline.json`` (how to
update it is written there).  Scoring is ``bench/scoring.py``, the benchmark's own, so the
gate and ``bench/extraction.py`` can never disagree.  The whole set takes well under a
minute; the test skips with the reason when ../shared is absent (a user's clone).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT_ROOT, shared_path

if str(PROJECT_ROOT) not in sys.path:  # bench/ is a folder of scripts beside tools/
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.extraction import load_pages, run_tool, summarize

BASELINE_PATH = Path(__file__).resolve().parent / "data" / "html_gate_baseline.json"
GATED = (
    "precision",
    "recall",
    "f1",
    "share_f1_ge_0_9",
    "title_accuracy",
    "author_accuracy",
    "date_accuracy",
)

pytestmark = pytest.mark.slow


def baseline() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    data = shared_path("extraction-dev")
    pages = load_pages(data)
    return summarize(run_tool("warcite", pages), pages)


def test_baseline_file_is_complete_and_sane() -> None:
    pinned = baseline()
    for name in GATED:
        assert 0.5 <= pinned[name] <= 1.0, f"{name} floor {pinned[name]} looks wrong"
    assert (
        pinned["f1"]
        <= 2 * pinned["precision"] * pinned["recall"] / (pinned["precision"] + pinned["recall"])
        + 0.01
    )


def test_every_dev_page_is_scored(measured: dict[str, Any]) -> None:
    assert measured["pages"] == baseline()["pages"]


@pytest.mark.parametrize("name", GATED)
def test_quality_does_not_drop_below_the_pinned_floor(measured: dict[str, Any], name: str) -> None:
    floor = baseline()[name]
    value = measured[name]
    assert value is not None, f"{name} was not measured"
    assert value >= floor, (
        f"{name} fell to {value:.4f}, below the pinned floor {floor:.4f} "
        f"(tests/data/html_gate_baseline.json); run `python bench/extraction.py --worst 20` "
        "to see which pages got worse"
    )

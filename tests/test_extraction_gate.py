"""CI quality gate: warcite's extraction over every development set, source by source.

Runs warcite on every page of each source in ``bench/extraction.py``'s ``SOURCES``:
``../shared/extraction-dev`` (WCXB, the Web Content Extraction Benchmark by Murrough Foley,
CC BY 4.0: 300 pages, reviewed ground truth) and ``../shared/extraction-dev-readability``
(Mozilla Readability's 130 test pages with their expected output, Apache 2.0).  For each
source it fails when text precision, recall, F1, the share of pages with F1 >= 0.9, or title
/ author / date accuracy drop below the floor pinned for that source in
``tests/data/html_gate_baseline.json`` (how to update it is written there), and when any
page raises.  Floors are per source, and every one must hold: a rule fitted to one set
cannot buy a gain there with a loss on the other (the trade-off test names both sides).
Scoring is ``bench/scoring.py``, the benchmark's own, so the gate and
``bench/extraction.py`` can never disagree.  Each source skips with the reason when its
folder under ../shared is absent (a user's clone).
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

from bench.extraction import SOURCES, load_source, run_tool, summarize

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
#: A source this far above a floor has risen (for the trade-off message).
RISE_MARGIN = 0.005

pytestmark = pytest.mark.slow


def baseline() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
    return data


_MEASURED: dict[str, dict[str, Any]] = {}


def measured(source: str) -> dict[str, Any]:
    """warcite's row for one source, measured once per test session."""
    if source not in _MEASURED:
        folder = shared_path(SOURCES[source].folder)
        pages = load_source(source, folder)
        _MEASURED[source] = summarize(run_tool("warcite", pages), pages)
    return _MEASURED[source]


def test_baseline_file_is_complete_and_sane() -> None:
    pinned = baseline()["sources"]
    assert set(pinned) == set(SOURCES), "every development set has its floors, and only those"
    for source, floors in pinned.items():
        for name in GATED:
            assert 0.5 <= floors[name] <= 1.0, f"{source} {name} floor {floors[name]} looks wrong"
        harmonic = (
            2 * floors["precision"] * floors["recall"] / (floors["precision"] + floors["recall"])
        )
        assert floors["f1"] <= harmonic + 0.01, f"{source}: F1 floor above its P and R floors"


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_page_is_scored_and_none_raises(source: str) -> None:
    row = measured(source)
    assert row["pages"] == baseline()["sources"][source]["pages"]
    assert row["errors"] == 0, f"{row['errors']} {source} page(s) raised instead of extracting"


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("name", GATED)
def test_quality_does_not_drop_below_the_pinned_floor(source: str, name: str) -> None:
    floor = baseline()["sources"][source][name]
    value = measured(source)[name]
    assert value is not None, f"{source} {name} was not measured"
    assert value >= floor, (
        f"{source} {name} fell to {value:.4f}, below the pinned floor {floor:.4f} "
        "(tests/data/html_gate_baseline.json); run "
        f"`python bench/extraction.py --sources {source} --worst 20` to see which pages got worse"
    )


def trade_offs(rows: dict[str, dict[str, Any]], floors: dict[str, dict[str, float]]) -> list[str]:
    """Each measure on which one source fell below its floor while another rose above its
    own: a rule fitted to one set at the other's cost."""
    found = []
    for name in GATED:
        fell = [s for s in rows if rows[s][name] is not None and rows[s][name] < floors[s][name]]
        rose = [
            s
            for s in rows
            if rows[s][name] is not None and rows[s][name] > floors[s][name] + RISE_MARGIN
        ]
        for low in fell:
            for high in rose:
                if high != low:
                    found.append(
                        f"{name}: {high} rose to {rows[high][name]:.4f} (floor "
                        f"{floors[high][name]:.4f}) while {low} fell to {rows[low][name]:.4f} "
                        f"(floor {floors[low][name]:.4f})"
                    )
    return found


def test_trade_offs_are_recognised() -> None:
    floors = {"a": dict.fromkeys(GATED, 0.9), "b": dict.fromkeys(GATED, 0.9)}
    rows = {"a": dict.fromkeys(GATED, 0.95), "b": dict.fromkeys(GATED, 0.9)}
    assert trade_offs(rows, floors) == []
    rows["b"]["f1"] = 0.85
    assert trade_offs(rows, floors) == [
        "f1: a rose to 0.9500 (floor 0.9000) while b fell to 0.8500 (floor 0.9000)"
    ]


def test_no_source_falls_while_another_rises() -> None:
    pinned = baseline()["sources"]
    rows = {source: measured(source) for source in sorted(SOURCES)}
    problems = trade_offs(rows, pinned)
    assert not problems, (
        "a gain on one development set was paid for on another; prefer rules that hold on "
        "both:\n" + "\n".join(problems)
    )

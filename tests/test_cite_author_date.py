"""The Chicago 17 author-date style (issue 21): its parenthetical citations beside
citeproc-js with the official ``chicago-author-date-17th-edition.csl`` for every
constructed record of tests/test_cite.py (the reference-list entries are compared, with
the other styles, in tests/test_cite_citeproc.py), and its rules from the manual."""

from __future__ import annotations

import pytest

from citeproc_runner import render
from test_cite import CASES, WITH_REPLAY, WITHOUT_REPLAY, person, variant
from warcite.cite import (
    STYLES,
    Markup,
    chicago_author_date_in_text,
    citation_source,
    cite,
    csl_item,
)


def test_the_style_is_offered() -> None:
    assert "chicago-author-date" in STYLES
    text = cite(CASES["reference"], "chicago-author-date", config=WITH_REPLAY)
    assert text.startswith(
        'Hyeon, In-ae. 2016. "Why North Korean Elites Defect from Their Country?" OpEdNews, '
        "August 29, 2016. https://www.opednews.com/"
    )
    assert text.endswith(
        "Archived November 26, 2026, at warcite. "
        "https://archive.example.org/web/20261126120000/urn:transcript:"
        "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-Asylum_"
        "Defection_Diplomats_Elitism-160829-249.html."
    )


def test_manual_rules() -> None:
    # CMOS 17, 15.44: "n.d." in the date position; 15.47: no author -> the newspaper leads
    assert cite(CASES["no-date"], "chicago-author-date", config=WITHOUT_REPLAY).startswith(
        'Hyeon, In-ae. n.d. "Why North Korean'
    )
    no_author = cite(
        CASES["no-author"], "chicago-author-date", config=WITHOUT_REPLAY, markup="markdown"
    )
    assert no_author.startswith('*OpEdNews*. 2016. "Why North Korean')
    assert no_author.count("OpEdNews") == 1
    # 15.29: four or more authors: the first and "et al." in the text
    four = citation_source(CASES["four-authors"], config=WITHOUT_REPLAY)
    assert chicago_author_date_in_text(four, pinpoint="para. 6") == "(Smith et al. 2016, para. 6)"
    three = variant(authors=[person("Smith", "John"), person("Doe", "Ann"), person("Roe", "Rick")])
    source = citation_source(three, config=WITHOUT_REPLAY)
    assert chicago_author_date_in_text(source) == "(Smith, Doe, and Roe 2016)"


# names in Han or Hangul script: warcite cites the whole name, as written, in the text
# ("현인애"), where citeproc cuts it to the family name ("현") (docs/citeproc-differences.md,
# `cjk-name-in-text`)
CJK_CASES = {"hangul-name", "hanzi-name", "korean-title"}


def test_in_text_citations_equal_citeproc_js() -> None:
    jobs, ours = [], []
    for case, record in CASES.items():
        item = dict(csl_item(record, config=WITH_REPLAY), id=case)
        jobs.append(("chicago-author-date", item))
        source = citation_source(record, config=WITH_REPLAY)
        ours.append(chicago_author_date_in_text(source, markup=Markup.MARKDOWN))
    results = render(jobs)
    compared = 0
    for (_, item), result, mine in zip(jobs, results, ours, strict=True):
        theirs = result["note"]
        if item["id"] in CJK_CASES:
            family = item["author"][0]["family"]
            assert theirs.startswith(f"({family}") and mine.startswith(f"({family}")
            continue
        assert mine == theirs, item["id"]
        compared += 1
    assert compared >= 15


@pytest.mark.parametrize("case", ["reference", "web-page", "no-author-no-date"])
def test_reference_entries_hold_the_archived_copy(case: str) -> None:
    text = cite(CASES[case], "chicago-author-date", config=WITHOUT_REPLAY)
    assert "Archived November 26, 2026, at warcite. archive/opednews-160829-249-" in text

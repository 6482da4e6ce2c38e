"""The Chicago 17 author-date style (issue 21): its parenthetical citations beside
citeproc-js with the official ``chicago-author-date-17th-edition.csl`` for every
constructed record of tests/test_cite.py (the reference-list entries are compared, with
the other styles, in tests/test_cite_citeproc.py), and its rules from the manual."""

from __future__ import annotations

from typing import Any

import pytest

from citeproc_runner import render
from test_cite import (
    ARCHIVED_URL,
    CASES,
    WITH_REPLAY,
    WITHOUT_REPLAY,
    evidence,
    organization,
    person,
    variant,
)
from test_cite_citeproc import Context
from test_documents_end_to_end import RULES as DOCUMENT_RULES
from warcite.cite import (
    STYLES,
    Markup,
    chicago_author_date_in_text,
    citation_source,
    cite,
    csl_item,
)
from warcite.core.errors import CitationError


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


# --------------------------------------------------------------------------- documents
# PDF records (docs/documents.md): the report, journal-article and document forms of the
# author-date system, with page pinpoints in the text.


def document(
    genre: str | None, title: str = "Municipal Budgets after the Reform", **work: Any
) -> dict:
    """The reference record made a PDF record of ``genre`` (no site, 12 pages)."""
    fields: dict[str, Any] = {
        "title": evidence(title, "pdf-info:Title"),
        "genre": evidence(genre, "pdf:text") if genre else None,
        "container_title": None,
        "publisher": None,
        "published": evidence("2023-05-14", "pdf:dateline"),
        "url": "https://example.org/papers/budgets.pdf",
    }
    fields.update(work)
    record = variant(**fields)
    record["capture"]["content_type"] = "application/pdf"
    record["text"]["pages"] = {"count": 12, "paragraph_pages": [[1]] * 10, "page_starts": []}
    return record


KELLER_OLSEN = [person("Keller", "Maria"), person("Olsen", "Tom")]
DOCUMENTS: dict[str, dict[str, Any]] = {
    "report": document(
        "Working paper", authors=KELLER_OLSEN, publisher=evidence("Centre for Water Studies")
    ),
    "report-by-its-publisher": document(
        "Policy brief",
        authors=[organization("Centre for Water Studies")],
        publisher=evidence("Centre for Water Studies"),
    ),
    "report-no-author": document("Discussion paper", authors=[]),
    "report-undated": document("Technical report", authors=KELLER_OLSEN, published=None),
    "article": document(
        "Journal article",
        title='Household Savings and the "New" Pension',
        authors=[person("Lindqvist", "Anna")],
        container_title="Journal of Public Economics Review",
        doi=evidence("10.5555/jpe.2022.0147", "pdf:text"),
    ),
    "article-no-author": document(
        "Journal article", authors=[], container_title="Journal of Public Economics Review"
    ),
    "document": document(
        None, authors=[person("Weber", "Jonas")], publisher=evidence("Northfield Press")
    ),
    "document-no-author": document(None, authors=[], published=evidence("2024-03", "pdf:text")),
}
ARCHIVED = f"{ARCHIVED_URL}."  # the capture's URL: the reference record's


def test_documents_take_their_own_forms() -> None:
    """CMOS 17, 15.9 with 14.220 (report), 14.171 (journal article), 15.51 (the month and
    day repeated for another document), 15.44 ("n.d."), 15.32 (no author: the title leads);
    the archived copy closes each entry (14.233). Before this, a PDF was cited as a web
    page: the title in quotation marks, no genre, no journal, no DOI."""

    def entry(case: str) -> str:
        text = cite(DOCUMENTS[case], "chicago-author-date", config=WITH_REPLAY, markup="markdown")
        assert text.endswith(f" Archived November 26, 2026, at warcite. {ARCHIVED}"), text
        return text.removesuffix(f" Archived November 26, 2026, at warcite. {ARCHIVED}")

    url = "https://example.org/papers/budgets.pdf."
    assert entry("report") == (
        "Keller, Maria, and Tom Olsen. 2023. *Municipal Budgets after the Reform*. "
        f"Working paper. Centre for Water Studies. {url}"
    )
    # an organisation that is also the publisher is named in both places (15.37)
    assert entry("report-by-its-publisher") == (
        "Centre for Water Studies. 2023. *Municipal Budgets after the Reform*. Policy brief. "
        f"Centre for Water Studies. {url}"
    )
    assert entry("report-no-author") == (
        f"*Municipal Budgets after the Reform*. 2023. Discussion paper. {url}"
    )
    assert entry("report-undated") == (
        "Keller, Maria, and Tom Olsen. n.d. *Municipal Budgets after the Reform*. "
        f"Technical report. {url}"
    )
    assert entry("article") == (
        "Lindqvist, Anna. 2023. \"Household Savings and the 'New' Pension.\" "
        "*Journal of Public Economics Review*. https://doi.org/10.5555/jpe.2022.0147."
    )
    assert entry("document") == (
        f'Weber, Jonas. 2023. "Municipal Budgets after the Reform." Northfield Press, May 14. {url}'
    )
    assert entry("document-no-author") == (
        f'"Municipal Budgets after the Reform." 2024. March. {url}'
    )


def test_documents_in_text_with_pages() -> None:
    """CMOS 17, 15.21: the page after the year and a comma, without "p."; no author: the
    title that leads the entry (italic for a report)."""
    expected = {
        "report": "(Keller and Olsen 2023, 3\u20134)",
        "report-by-its-publisher": "(Centre for Water Studies 2023, 3\u20134)",
        "report-no-author": "(*Municipal Budgets* 2023, 3\u20134)",
        "report-undated": "(Keller and Olsen, n.d., 3\u20134)",
        "article": "(Lindqvist 2023, 3\u20134)",
        "article-no-author": '("Municipal Budgets" 2023, 3\u20134)',
        "document": "(Weber 2023, 3\u20134)",
        "document-no-author": '("Municipal Budgets" 2024, 3\u20134)',
    }
    for case, citation in expected.items():
        ours = cite(
            DOCUMENTS[case],
            "chicago-author-date",
            config=WITH_REPLAY,
            markup="markdown",
            pinpoint="3-4",
        )
        assert ours == citation, case
    one = cite(DOCUMENTS["report"], "chicago-author-date", config=WITH_REPLAY, pinpoint="p. 5")
    assert one == "(Keller and Olsen 2023, 5)"
    with pytest.raises(CitationError, match="12 pages"):
        cite(DOCUMENTS["report"], "chicago-author-date", config=WITH_REPLAY, pinpoint="13")
    # a web page's pinpoint is a paragraph, as in the Chicago note
    page = cite(CASES["reference"], "chicago-author-date", config=WITH_REPLAY, pinpoint="6")
    assert page == "(Hyeon 2016, par. 6)"


def test_front_matter_pages_numbered_in_roman_numerals_are_pinpoints() -> None:
    """A document whose printed pages run iii, iv, v, then 1, 2, ...: a pinpoint is a page
    as printed (CMOS 17, 14.149: "xii"), matched whatever its case, a range runs forwards
    through the document; a page not printed is refused, saying how the pages run."""
    import copy

    record = copy.deepcopy(DOCUMENTS["report"])
    labels = ["iii", "iv", "v", *map(str, range(1, 10))]
    record["text"]["pages"]["labels"] = labels
    for pinpoint, citation in {
        "iv": "(Keller and Olsen 2023, iv)",
        "p. IV": "(Keller and Olsen 2023, iv)",
        "iv-v": "(Keller and Olsen 2023, iv\u2013v)",
        "v-2": "(Keller and Olsen 2023, v\u20132)",
        "pp. 3\u20134": "(Keller and Olsen 2023, 3\u20134)",
    }.items():
        ours = cite(record, "chicago-author-date", config=WITH_REPLAY, pinpoint=pinpoint)
        assert ours == citation, pinpoint
    assert cite(record, "apa", config=WITH_REPLAY, pinpoint="iv").endswith("p. iv)")
    for wrong, message in {
        "ii": "numbered iii to 9 as printed",
        "2-v": "run forwards",
        "10": "numbered iii to 9",
    }.items():
        with pytest.raises(CitationError, match=message):
            cite(record, "chicago-author-date", config=WITH_REPLAY, pinpoint=wrong)
    # without printed numbers, pages are numbers: a roman numeral is refused, clearly
    with pytest.raises(CitationError, match="no printed page numbers"):
        cite(DOCUMENTS["report"], "chicago-author-date", config=WITH_REPLAY, pinpoint="iv")


def test_documents_equal_citeproc_js() -> None:
    """Every document case beside citeproc-js with the official author-date style: the
    reference-list entry (once the documented differences of tests/test_documents_end_to_end.py
    are taken out) and the in-text citation with a page range."""
    jobs, locators, keys = [], [], []
    for case, record in DOCUMENTS.items():
        item = dict(csl_item(record, config=WITH_REPLAY), id=case)
        source = citation_source(record, config=WITH_REPLAY)
        for locator in (None, "3-4"):
            jobs.append(("chicago-author-date", item))
            locators.append(locator)
            keys.append((case, locator, Context("chicago-author-date", source, item)))
    unexplained = []
    for (case, locator, context), result in zip(keys, render(jobs, locators=locators), strict=True):
        ours = cite(
            DOCUMENTS[case],
            "chicago-author-date",
            config=WITH_REPLAY,
            markup=Markup.MARKDOWN,
            pinpoint=locator,
        )
        theirs = result["note"] if locator else result["bibliography"]
        for _, styles, transform in DOCUMENT_RULES:
            if "chicago-author-date" in styles:
                ours, theirs = transform(ours, theirs, context)
        if ours != theirs:
            unexplained.append(f"{case} {locator}:\n  warcite:  {ours}\n  citeproc: {theirs}")
    assert not unexplained, "\n".join(unexplained)

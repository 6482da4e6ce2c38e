"""Plain-text transcripts: the reference record's exact facts, and other layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROJECT_ROOT, TEST_DATA, shared_path
from warcite.core.errors import ExtractionError
from warcite.core.models import Extraction
from warcite.extract import extract, extract_page
from warcite.extract.text import extract_transcript, find_article, split_lines

REFERENCE_URL = (
    "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-"
    "Asylum_Defection_Diplomats_Elitism-160829-249.html"
)


def check_reference(result: Extraction) -> None:
    """Every fact issue 3 requires of the reference transcript."""
    assert result.title is not None
    assert result.title.value == "Why North Korean Elites Defect from Their Country?"
    assert result.title.source == "text:heading"

    assert len(result.authors) == 1
    author = result.authors[0]
    assert author.name == "Hyeon In-ae"
    assert (author.family, author.given, author.name_order) == ("Hyeon", "In-ae", "family-first")
    assert author.kind == "person"
    assert author.forms[0] == "Hyeon In-ae"
    assert "In Ae Hyun" in author.forms
    assert "In-ae-Hyun" in author.forms
    assert len(author.affiliations) == 1
    affiliation = author.affiliations[0]
    assert affiliation.name == "Korea Institute for National Unification"
    assert affiliation.alternate_name == "KINU"
    assert affiliation.role == "Visiting Research Fellow"
    assert author.bio is not None and author.bio.startswith("Hyeon In-ae, Ph.D.")

    assert result.published is not None
    assert result.published.value == "2016-08-29"
    assert result.published.source == "dateline"
    assert result.published.raw == "H3'ed 8/29/16"
    assert [(c.source, c.raw) for c in result.published.candidates] == [
        ("dateline", "H3'ed 8/29/16"),
        ("url", "160829"),
    ]
    assert result.published.note is not None and "29 cannot be a month" in result.published.note

    assert result.publisher is not None and result.publisher.value == "OpEdNews"
    assert result.genre is not None and result.genre.value == "Op-ed"
    assert result.genre.raw == "Op Eds"
    assert [(c.value, c.raw) for c in result.genre.candidates] == [("Op-ed", "Op Eds")]
    assert result.section is not None
    assert [(c.value, c.raw) for c in result.section.candidates] == [("Op Eds", "OpEdNews Op Eds")]
    assert result.language is not None and result.language.value == "en"
    # a transcript makes no canonical-URL claim: the URL is where it came from, nothing more
    assert result.canonical_url is None and result.url is not None

    paragraphs = result.paragraphs
    assert len(paragraphs) == 10
    assert all(p.kind == "paragraph" for p in paragraphs)
    assert paragraphs[0].text.startswith("The number of North Korean defectors has shown")
    assert paragraphs[-1].text.endswith("consistent sanctions in place against North Korea.")
    assert all("\u00a0" not in p.text and "  " not in p.text for p in paragraphs)
    assert result.text.count("\n\n") == 9
    assert result.media_type == "text/plain"


def test_reference_transcript() -> None:
    text = shared_path("seed", "opednews-160829-249.txt").read_text(encoding="utf-8")
    check_reference(extract_transcript(text, url=REFERENCE_URL, headers=(), charset="utf-8"))


def test_reference_transcript_through_extract() -> None:
    body = shared_path("seed", "opednews-160829-249.txt").read_bytes()
    check_reference(extract(body, url=REFERENCE_URL, media_type="text/plain; charset=utf-8"))


def test_reference_transcript_from_bundled_warc() -> None:
    from warcite.core.warc.pages import read_page

    warcs = sorted((PROJECT_ROOT / "archive").glob("opednews-160829-249-*.warc.gz"))
    if not warcs:
        pytest.skip("the bundled reference WARC is not in archive/")
    page = read_page(warcs[0])
    assert page.url == REFERENCE_URL
    check_reference(extract_page(page))


def _transcript(name: str, url: str, headers: tuple[tuple[str, str], ...] = ()) -> Extraction:
    text = (TEST_DATA / name).read_text(encoding="utf-8")
    return extract_transcript(text, url=url, headers=headers, charset="utf-8")


def test_blog_transcript() -> None:
    result = _transcript(
        "transcript_blog.txt", "https://www.quietarchive.net/2021/03/03/letters-from-the-archive/"
    )
    assert result.title is not None
    assert result.title.value == "Letters from the Archive: What Old Ledgers Teach Us"
    kinds = [p.kind for p in result.paragraphs]
    assert kinds == ["paragraph", "paragraph", "heading", "paragraph", "paragraph"] + [
        "list-item"
    ] * 3 + ["paragraph"]
    assert result.paragraphs[0].text.startswith("Every archive has a shelf")
    assert result.paragraphs[5].text.startswith("Read a whole year")  # list marker removed
    assert result.paragraphs[-1].text.endswith("they can wait for a careful reader.")
    assert "Share this" not in result.text and "Leave a Reply" not in result.text
    assert "professor of history" not in result.text  # the bio is metadata
    (author,) = result.authors
    assert (author.name, author.given, author.family) == ("Jane Doe", "Jane", "Doe")
    assert author.name_order == "given-first"
    assert author.affiliations[0].name == "University of Leeds"
    assert author.affiliations[0].role == "Professor of History"
    assert result.published is not None and result.published.value == "2021-03-03"
    assert result.published.source == "dateline"
    assert "2021/03/03" in (result.published.note or "")
    assert result.publisher is not None and result.publisher.value == "The Quiet Archive"


def test_news_transcript_with_related_articles_and_locale() -> None:
    result = _transcript(
        "transcript_news.txt",
        "https://www.harborviewgazette.com/news/council-approves-new-harbor-plan-a1234",
        (("Content-Language", "en-GB"),),
    )
    assert result.title is not None
    assert result.title.value == "Council Approves New Harbor Plan After Long Debate"
    assert len(result.paragraphs) == 5
    assert result.paragraphs[0].text.startswith("The city council voted")
    assert result.paragraphs[-1].text.endswith("when the ferry moves.")
    for boilerplate in ("Related articles", "Ferry operator", "newsletter", "Advertisement"):
        assert boilerplate not in result.text
    assert [a.name for a in result.authors] == ["Carlos de la Vega", "Mei Lin Chen"]
    assert result.authors[0].family == "de la Vega" and result.authors[0].particle == "de la"
    # 05/11/2019 is ambiguous; the page's en-GB locale reads it day first, and says so
    assert result.published is not None and result.published.value == "2019-11-05"
    assert "day-first" in (result.published.note or "")
    assert "en-GB" in (result.published.note or "")
    assert result.language is not None and result.language.value == "en-GB"
    assert result.publisher is not None and result.publisher.value == "Harborview Gazette"


def test_ambiguous_date_resolved_by_the_urls_date_folder() -> None:
    result = _transcript(
        "transcript_news.txt",
        "https://www.harborviewgazette.com/news/2019/11/05/council-approves-new-harbor-plan",
    )
    assert result.published is not None and result.published.value == "2019-11-05"
    assert "read day-first" in (result.published.note or "")
    assert "in its URL" in (result.published.note or "")


def test_news_transcript_reads_month_first_without_locale() -> None:
    result = _transcript(
        "transcript_news.txt",
        "https://www.harborviewgazette.com/news/council-approves-new-harbor-plan-a1234",
    )
    assert result.published is not None and result.published.value == "2019-05-11"
    assert "month-first" in (result.published.note or "")


def test_oped_transcript_with_particles_bio_and_section_label() -> None:
    result = _transcript(
        "transcript_oped.txt",
        "https://www.northfieldreview.org/commentary/the-quiet-cost-of-cheap-shipping/",
    )
    assert result.title is not None and result.title.value == "The Quiet Cost of Cheap Shipping"
    assert len(result.paragraphs) == 4
    assert "Comments (3)" not in result.text and "Tags:" not in result.text
    (author,) = result.authors
    assert (author.given, author.family, author.particle) == ("Pieter", "van der Berg", "van der")
    assert author.affiliations[0].name == "Atlantic Trade Council"
    assert author.affiliations[0].role == "Senior Fellow"
    assert result.published is not None and result.published.value == "2023-04-12"
    assert result.genre is not None and result.genre.value == "Commentary"
    assert result.section is not None and result.section.value == "Commentary"
    assert result.publisher is not None and result.publisher.value == "The Northfield Review"


def test_transcript_without_article_is_an_error() -> None:
    text = "Home\nShare on Facebook\nMost Popular\nLog in\n\nContact us\n"
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_transcript(text, url="https://example.org/", headers=(), charset=None)


def test_article_is_the_longest_prose_run() -> None:
    lines = split_lines(
        "Menu\n\nA short promo sentence that looks like prose to a reader.\n\nTitle Here\n\n"
        + "\n\n".join(
            f"Paragraph {n} tells a story that goes on for quite a few words, as prose does."
            for n in range(3)
        )
        + "\n\nRate it\n"
    )
    span = find_article(lines)
    assert span is not None
    start, end = span
    assert [line.text[:11] for line in lines[start:end]] == [
        "Paragraph 0",
        "Paragraph 1",
        "Paragraph 2",
    ]


def test_windows_line_endings_and_no_break_spaces(tmp_path: Path) -> None:
    text = (TEST_DATA / "transcript_oped.txt").read_text(encoding="utf-8")
    text = text.replace("\n", "\r\n").replace("By Pieter", "By\u00a0Pieter")
    result = extract_transcript(
        text,
        url="https://www.northfieldreview.org/commentary/the-quiet-cost-of-cheap-shipping/",
        headers=(),
        charset=None,
    )
    assert len(result.paragraphs) == 4
    assert result.authors[0].name == "Pieter van der Berg"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000))
def test_arbitrary_text_gives_an_extraction_or_an_extraction_error(text: str) -> None:
    try:
        result = extract_transcript(
            text, url="https://example.org/a-by-Jane-Doe-1", headers=(), charset=None
        )
    except ExtractionError:
        return
    assert isinstance(result, Extraction)
    assert result.paragraphs


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_reference_transcript(data: st.DataObject) -> None:
    text = shared_path("seed", "opednews-160829-249.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    drop = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=12))
    shuffled = [line for index, line in enumerate(lines) if index not in drop]
    insert = data.draw(st.lists(st.text(max_size=200), max_size=5))
    for extra in insert:
        shuffled.insert(data.draw(st.integers(0, len(shuffled))), extra)
    try:
        result = extract_transcript(
            "\n".join(shuffled), url=REFERENCE_URL, headers=(), charset=None
        )
    except ExtractionError:
        return
    assert isinstance(result, Extraction)


def test_hard_wrapped_plain_text_essay() -> None:
    result = _transcript(
        "transcript_wrapped.txt",
        "https://plaintext.example.net/essays/12-on-keeping-paper-records.txt",
    )
    assert len(result.paragraphs) == 3
    first = result.paragraphs[0].text
    assert first.startswith(
        "Most of what we write today will not survive the machines we write it on."
    )
    assert first.endswith("it asks for nothing except a dry shelf.")
    assert "\n" not in first
    assert result.title is not None
    assert (result.title.value, result.title.raw) == (
        "On Keeping Paper Records",
        "ON KEEPING PAPER RECORDS",
    )
    assert [a.name for a in result.authors] == ["Ruth Okafor"]
    assert result.published is not None
    assert (result.published.value, result.published.raw) == ("2022-02-14", "14 February 2022")
    assert "Comments?" not in result.text and "Back to the index" not in result.text


def test_split_lines_keeps_columns_of_widgets_apart() -> None:
    lines = split_lines(
        "Share on Facebook 8 Share on Twitter Printer Friendly Page More Sharing\nMost Popular Choices\n"
    )
    assert [line.text for line in lines] == [
        "Share on Facebook 8 Share on Twitter Printer Friendly Page More Sharing",
        "Most Popular Choices",
    ]


def test_transcript_without_url() -> None:
    result = extract_transcript(
        (TEST_DATA / "transcript_blog.txt").read_text(encoding="utf-8"),
        url=None,
        headers=(),
        charset=None,
    )
    assert result.title is not None
    assert result.title.value == "Letters from the Archive: What Old Ledgers Teach Us"
    assert result.published is not None and result.published.value == "2021-03-03"
    assert [c.source for c in result.published.candidates] == ["dateline"]
    assert result.canonical_url is None and result.publisher is None
    assert [a.name for a in result.authors] == ["Jane Doe"]


@pytest.mark.parametrize(
    "url", ["https://medium.example.com/@tferreira/the-ledger-keepers-3f9a2b1c", None]
)
def test_platform_transcript_with_standfirst_and_closing_author_box(url: str | None) -> None:
    result = (
        _transcript("transcript_platform.txt", url)
        if url
        else extract_transcript(
            (TEST_DATA / "transcript_platform.txt").read_text(encoding="utf-8"),
            url=None,
            headers=(),
            charset=None,
        )
    )
    assert result.title is not None and result.title.value == "The Ledger Keepers"
    assert "standfirst" in (result.title.note or "")
    assert len(result.paragraphs) == 4
    assert result.paragraphs[0].text.startswith("When my grandmother died")
    assert "Written by" not in result.text and "followers" not in result.text
    assert [a.name for a in result.authors] == ["Tomás Ferreira"]
    assert result.authors[0].sources == ("text:author-box",)
    assert result.published is not None
    assert (result.published.value, result.published.raw) == (
        "2021-03-03",
        "6 min read · Mar 3, 2021",
    )


def test_german_opinion_transcript_in_sentence_case() -> None:
    result = _transcript(
        "transcript_de_opinion.txt",
        "https://www.beispielzeitung.de/meinung/warum-die-archive-uns-alle-angehen-1.2345",
    )
    assert result.title is not None and result.title.value == "Warum die Archive uns alle angehen"
    assert len(result.paragraphs) == 3
    assert "Professorin" not in result.text and "Kommentare" not in result.text
    (author,) = result.authors
    assert (author.given, author.family) == ("Anna", "Schmidt")
    assert author.sources == ("byline", "bio")
    assert [(a.name, a.role) for a in author.affiliations] == [
        ("Universität Leipzig", "Professorin für Geschichte")
    ]
    assert result.published is not None and result.published.value == "2016-08-29"
    assert result.language is not None and result.language.value == "de"
    assert result.genre is not None and result.genre.value == "Opinion"

"""Extraction, round 3: general failure classes met on unseen pages, each on a page written
for it under tests/data/round3/ (the rule that fixes it is named in each test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from warcite.core.models import Extraction
from warcite.extract import extract
from warcite.extract.html import attribute_words, names_boilerplate

DATA = Path(__file__).resolve().parent / "data" / "round3"
HTML = (("Content-Type", "text/html; charset=utf-8"),)


def extracted(name: str, url: str = "https://news.example.org/2024/11/05/story/") -> Extraction:
    return extract((DATA / name).read_bytes(), headers=HTML, url=url)


def text_of(result: Extraction) -> str:
    return "\n".join(paragraph.text for paragraph in result.paragraphs)


def test_a_layout_block_named_with_a_furniture_word_keeps_its_content_and_byline() -> None:
    # "sidebar-layout__content" is the content of a layout that has a sidebar (BEM: block
    # "sidebar-layout", element "content"), not part of the sidebar.
    result = extracted("sidebar_layout.html")
    text = text_of(result)
    assert "sleeper train will run" in text
    assert "Tickets go on sale next month" in text  # the second content section
    assert "Campaigners who fought" in text
    assert "Council approves new bridge" not in text  # the real sidebar
    assert [person.name for person in result.authors] == ["Marta Quintero"]


@pytest.mark.parametrize(
    ("value", "furniture"),
    [
        ("sidebar-layout__content", False),
        ("sidebar-page__body sidebar-page__body--wide", False),
        ("sidebar__content", True),  # the sidebar's own content
        ("related-stories__body", True),
        ("newsletter-signup__body", True),
        ("sidebar-layout", True),  # the layout itself still names a sidebar
    ],
)
def test_bem_layout_content_is_not_furniture_but_furniture_blocks_stay(
    value: str, furniture: bool
) -> None:
    assert names_boilerplate(value) is furniture, sorted(attribute_words(value))


def test_a_button_left_open_does_not_swallow_the_page() -> None:
    # an unclosed <div> inside <button> makes libxml2 put <main> inside the button
    result = extracted("button_swallows_main.html")
    text = text_of(result)
    assert "counted fewer than forty harbour seals" in text
    assert "code of conduct" in text
    assert "Menu" not in text
    assert not result.warnings


def test_labelled_teasers_and_news_strips_are_dropped() -> None:
    result = extracted("teasers_and_strips.html")
    text = text_of(result)
    assert "Flood warning" not in text
    assert "The last butcher" not in text
    assert "Every morning at five" in text
    assert "for the conversation" in text
    assert len(result.paragraphs) == 4


def test_an_article_body_in_several_sections_is_read_whole() -> None:
    result = extracted("body_sections.html")
    text = text_of(result)
    assert "The canal was dug in the 1790s" in text
    assert "small museum in the lock keeper's cottage" in text  # the second section
    assert "Advertisement" not in text


# --------------------------------------------------------------------------- dates

UNDATED_URL = "https://news.example.org/travel/night-trains-return-to-the-valley/"


def published_of(name: str) -> tuple[str | None, str | None]:
    result = extracted(name, url=UNDATED_URL)
    published = result.published
    return (published.value[:10], published.source) if published else (None, None)


def test_a_numeric_date_printed_away_from_any_date_element_is_found() -> None:
    # a sign-off at the foot of a long article, read with the page's locale (de: day first)
    assert published_of("date_text_numeric.html") == ("2024-03-05", "html:text")


def test_a_date_written_in_words_away_from_any_date_element_is_found() -> None:
    assert published_of("date_text_words.html") == ("2024-03-05", "html:text")


def test_a_date_only_in_the_page_s_own_link_url_is_found() -> None:
    assert published_of("date_link_url.html") == ("2024-03-05", "link:canonical")


def test_a_date_only_in_script_data_is_found() -> None:
    assert published_of("date_script_data.html") == ("2024-03-05", "script:publishedAt")


def test_a_utc_stamp_on_the_day_after_the_printed_day_gives_the_printed_day() -> None:
    result = extracted("date_utc_evening.html", url=UNDATED_URL)
    assert result.published is not None
    assert result.published.value == "2024-03-05"
    assert "(UTC)" in (result.published.note or "")
    assert "2024-03-06T02:40:00Z" in [e.value for e in result.published.candidates]


def test_the_published_date_beside_an_updated_one_is_the_publication_date() -> None:
    result = extracted("date_updated_first.html", url=UNDATED_URL)
    assert result.published is not None and result.published.value == "2025-12-03"
    assert result.modified is not None and result.modified.value == "2025-12-07"


# --------------------------------------------------------------------------- name forms

REFERENCE_URL = (
    "https://www.example.org/articles/"
    "Why-Elites-Leave-by-In-ae-Hyun-Defection_Elites-160829-249.html"
)


def test_a_byline_image_s_alt_text_and_the_url_slug_are_kept_among_name_forms() -> None:
    # the reference article's shape: the byline's author link is the author's photo, whose
    # alt text writes the name another way than the bio does
    result = extracted("byline_image_alt.html", url=REFERENCE_URL)
    assert len(result.authors) == 1
    author = result.authors[0]
    assert author.name == "Hyeon In-ae"  # the form the author's own bio uses
    assert "In Ae Hyun" in author.forms  # the byline image's alt text
    assert "In-ae-Hyun" in author.forms  # the URL slug


def test_the_byline_image_form_is_kept_without_a_dated_url() -> None:
    result = extracted("byline_image_alt.html", url="https://www.example.org/a/why-elites.html")
    assert [person.forms for person in result.authors] == [("Hyeon In-ae", "In Ae Hyun")]


def test_a_numbered_slideshow_of_other_stories_inside_the_article_is_dropped() -> None:
    result = extracted("slideshow_in_article.html")
    text = text_of(result)
    assert "Business news in pictures" not in text
    assert "Company number" not in text and "profits rose" not in text
    assert "Take the blankets off the bed" in text
    assert "Do not use a wooden luggage rack" in text  # the article resumes after it
    assert "minibar almost always loses money" in text

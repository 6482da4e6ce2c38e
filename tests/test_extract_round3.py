"""Extraction, round 3: general failure classes met on unseen pages, each on a page written
for it under tests/data/round3/ (the rule that fixes it is named in each test)."""

from __future__ import annotations

from pathlib import Path

from warcite.extract import extract
from warcite.models import Extraction

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

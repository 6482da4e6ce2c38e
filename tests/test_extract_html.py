"""HTML extraction: the article's own blocks, marked by kind, boilerplate removed.

Pages under tests/data/html_*.html are small and handwritten; each boilerplate kind the
issue lists appears in one of them, and each test names the rule it pins.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from warcite.core.errors import ExtractionError
from warcite.core.models import Paragraph
from warcite.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract
from warcite.extract.html import extract_html, normalize_text, parse_html

DATA = Path(__file__).resolve().parent / "data"
HTML_UTF8 = (("Content-Type", "text/html; charset=utf-8"),)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def paragraphs_of(html: str) -> list[tuple[str, str]]:
    result = extract_html(html)
    return [(p.kind, p.text) for p in result.paragraphs]


def page(article: str, *, before: str = "", after: str = "", title: str = "A Page") -> str:
    """A small page: ``article`` inside <article>, furniture before and after it."""
    return (
        f"<html><head><title>{title}</title></head><body>{before}"
        f"<article>{article}</article>{after}</body></html>"
    )


PROSE_1 = (
    "The first paragraph of the article is long enough to read as prose, with a full "
    "sentence that ends in a period."
)
PROSE_2 = (
    "The second paragraph carries on with the story and adds a few more details, which is "
    "what a second paragraph does."
)

# --------------------------------------------------------------------------- whole pages

NEWS_EXPECTED = [
    (
        "paragraph",
        "After an absence of almost forty years, river otters have been seen again along the "
        "upper reaches of the valley, wildlife officials said on Tuesday.",
    ),
    (
        "paragraph",
        "Volunteers counted fresh tracks at six sites along the river this winter, and a camera "
        "trap near the old mill filmed a family of three swimming upstream at dusk.",
    ),
    ("heading", "Why they left"),
    (
        "paragraph",
        "The otters disappeared in the 1980s, when pesticides washed into the water and the "
        "fish they ate grew scarce. Cleaner farming rules changed that over two decades.",
    ),
    ("list-item", "Pesticide runoff fell by two thirds."),
    ("list-item", "Fish stocks recovered by 2015."),
    (
        "quote",
        "“We never thought we would see them here again in our lifetime,” said the trust’s "
        "director.",
    ),
    ("paragraph", "Researchers logged the sightings with a simple script:"),
    ("preformatted", "count = sum(site.tracks for site in sites)\nprint(count)"),
    (
        "paragraph",
        "The trust plans to publish a full survey next spring, and asks walkers to report any "
        "sightings through its website.",
    ),
]


def test_news_article_gives_exactly_its_own_blocks_in_reading_order() -> None:
    result = extract(read("html_news_article.html"), headers=HTML_UTF8, url="https://x.test/a")
    assert [(p.kind, p.text) for p in result.paragraphs] == NEWS_EXPECTED
    assert result.media_type == "text/html"
    assert result.charset == "utf-8"
    assert result.url == "https://x.test/a"
    assert result.extractor == EXTRACTOR_NAME
    assert result.extractor_version == EXTRACTOR_VERSION
    assert result.text == "\n\n".join(text for _, text in NEWS_EXPECTED)


@pytest.mark.parametrize(
    ("boilerplate", "sample"),
    [
        ("cookie banner", "We use cookies"),
        ("navigation", "Opinion"),
        ("breadcrumbs", "Home"),
        ("title heading (the title is metadata)", "River Otters Return"),
        ("byline", "By Jane Q. Reporter"),
        ("dateline", "March 5, 2024"),
        ("share widget", "Share on Facebook"),
        ("image caption", "An otter on the riverbank"),
        ("advertisement", "Example Phone"),
        ("newsletter promo", "weekly nature newsletter"),
        ("author box", "covers science and the environment"),
        ("donation promo", "Donate today"),
        ("related articles", "Beavers build"),
        ("comments", "What wonderful news"),
        ("popular list and sidebar", "Ten walks"),
        ("sidebar text", "first edition printed in 1851"),
        ("footer", "All rights reserved"),
        ("script", "window.analytics"),
        ("style", "display: block"),
    ],
)
def test_news_article_boilerplate_is_removed(boilerplate: str, sample: str) -> None:
    text = extract(read("html_news_article.html"), headers=HTML_UTF8).text
    assert sample not in text, boilerplate


def test_blog_without_helpful_class_names_is_cleaned_by_text_rules() -> None:
    """Byline, dateline, "Share this:", tag links, "About the author" and "Leave a Reply"."""
    assert paragraphs_of(read("html_plain_blog.html").decode("utf-8")) == [
        (
            "paragraph",
            "Sourdough needs only flour, water and salt, but it asks for patience: the starter "
            "has to be fed every day for about a week before it can raise a loaf.",
        ),
        (
            "paragraph",
            "Once the starter doubles within six hours of a feeding, it is ready. Mix it with the "
            "dough in the evening and let the bowl rest overnight at room temperature.",
        ),
        ("heading", "What you need"),
        ("paragraph", "Ingredient | Amount"),
        ("paragraph", "Bread flour | 500 g"),
        ("paragraph", "Water | 350 g"),
        (
            "paragraph",
            "Bake the loaf in a covered pot at 250 degrees for twenty minutes, then uncover it "
            "and bake for another twenty-five minutes until the crust is deep brown.",
        ),
    ]


def test_broken_markup_still_gives_every_paragraph() -> None:
    """Unclosed <nav> and <p>, misnested inline tags, text after </html>."""
    texts = [text for _, text in paragraphs_of(read("html_broken_markup.html").decode("utf-8"))]
    assert len(texts) == 4
    assert texts[0].startswith("This page was written by hand")
    assert texts[1].startswith("Browsers cope with unclosed paragraphs")
    assert texts[2] == (
        "Bold text that is badly nested still reads as one sentence in the middle of the third "
        "paragraph of the page."
    )
    assert texts[3].startswith("Some servers append text after the closing html tag")


@pytest.mark.parametrize("name", ["html_listing.html", "html_error_page.html"])
def test_pages_without_an_article_keep_their_metadata_with_a_warning(name: str) -> None:
    result = extract(read(name), headers=HTML_UTF8)
    assert result.title is not None
    assert any(warning.startswith("no article text found") for warning in result.warnings)
    assert sum(len(paragraph.text) for paragraph in result.paragraphs) < 150


@pytest.mark.parametrize("html", ["", "   \n ", "<!-- only a comment -->", "<html></html>"])
def test_empty_documents_are_an_error(html: str) -> None:
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_html(html)


# --------------------------------------------------------------------------- block kinds


def test_each_block_kind_is_marked() -> None:
    html = page(
        f"<h2>A section</h2><p>{PROSE_1}</p><ol><li>First item</li><li>Second item</li></ol>"
        f"<dl><dt>Term</dt><dd>Its definition</dd></dl>"
        f"<blockquote>A quoted passage of some length, in a block quote.</blockquote>"
        f"<pre>  indented\n    code</pre><p>{PROSE_2}</p>"
    )
    assert paragraphs_of(html) == [
        ("heading", "A section"),
        ("paragraph", PROSE_1),
        ("list-item", "First item"),
        ("list-item", "Second item"),
        ("list-item", "Term"),
        ("list-item", "Its definition"),
        ("quote", "A quoted passage of some length, in a block quote."),
        ("preformatted", "  indented\n    code"),
        ("paragraph", PROSE_2),
    ]


def test_whitespace_is_normalised() -> None:
    html = page(
        f"<p>  Spaces\u00a0and\u2003odd   spaces,\n\ttabs and a soft\u00adhyphen and a "
        f"zero\u200bwidth space, in NFC: Cafe\u0301. {PROSE_1}</p><p>{PROSE_2}</p>"
    )
    first = paragraphs_of(html)[0][1]
    assert first.startswith(
        "Spaces and odd spaces, tabs and a softhyphen and a zerowidth space, in NFC: Café. "
    )
    assert normalize_text(" a\u00a0\u00a0b \n c ") == "a b c"


def test_double_line_break_splits_paragraphs_and_single_one_joins() -> None:
    html = page(f"<div>{PROSE_1}<br>still the first.<br><br>{PROSE_2}</div>")
    assert paragraphs_of(html) == [
        ("paragraph", f"{PROSE_1} still the first."),
        ("paragraph", PROSE_2),
    ]


def test_code_highlighting_classes_do_not_split_or_remove_code() -> None:
    html = page(
        f"<p>{PROSE_1}</p><pre><code><span class='hljs-comment'># share the comments</span>\n"
        f"git log</code></pre><p>{PROSE_2}</p>"
    )
    assert ("preformatted", "# share the comments\ngit log") in paragraphs_of(html)


@pytest.mark.parametrize(
    "furniture",
    [
        "Our editors test products independently. If you buy through our links, we may earn a "
        "commission.",
        "As an Amazon Associate we earn from qualifying purchases.",
        "Reading Time: 7 minutes",
        "5 min read",
        "1,693 views",
        "Table of Contents ▼",
        "Back to blog",
        "Advertisement",
        "Share this article",
        "Tags: otters, rivers, wildlife",
        "Photo credit: A. Photographer",
    ],
)
def test_furniture_lines_inside_the_article_are_dropped(furniture: str) -> None:
    html = page(f"<p>{furniture}</p><p>{PROSE_1}</p><p>{furniture}</p><p>{PROSE_2}</p>")
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_bylines_are_names_not_sentences_that_start_with_by() -> None:
    opening = "By 2030, the market for heat pumps will have doubled, analysts say."
    html = page(
        f"<p>{opening}</p><p>{PROSE_1}</p><p>{PROSE_2}</p>"
        "<p>Posted by Sam Baker at December 16, 2025 11:15 AM</p>"
    )
    assert [text for _, text in paragraphs_of(html)] == [opening, PROSE_1, PROSE_2]


def test_title_heading_is_dropped_but_other_headings_kept() -> None:
    html = page(
        f"<h1>The Title</h1><p>{PROSE_1}</p><h2>The Title Again Later</h2><p>{PROSE_2}</p>",
        title="The Title - Site Name",
    )
    assert paragraphs_of(html)[0] == ("paragraph", PROSE_1)
    assert ("heading", "The Title Again Later") in paragraphs_of(html)


# --------------------------------------------------------------------------- structure rules


def test_furniture_class_on_a_wrapper_of_the_article_does_not_remove_it() -> None:
    """``has-sidebar`` style names on wrappers: a mark holding most prose is kept."""
    html = (
        "<html><body><div class='layout-with-sidebar'><div class='promo-wrapper'>"
        f"<p>{PROSE_1}</p><p>{PROSE_2}</p></div>"
        "<div class='sidebar'><p>A sidebar note that is short.</p></div></div></body></html>"
    )
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_comment_section_is_removed_even_when_it_holds_most_prose() -> None:
    comment = "A reader's long comment that goes on and on about the article and more. " * 3
    html = page(
        f"<p>{PROSE_1}</p><p>{PROSE_2}</p>"
        f"<div id='comments'><p>{comment}</p><p>{comment}</p><p>{comment}</p></div>"
    )
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_text_revealed_by_scripts_from_hidden_elements_is_read() -> None:
    """Streaming server rendering hides the article text until a script shows it."""
    html = (
        "<html><body><div id='root'></div>"
        f"<div hidden id='S:1'><p>{PROSE_1}</p></div><div hidden id='S:2'><p>{PROSE_2}</p></div>"
        "</body></html>"
    )
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]
    assert any("hides until a script" in warning for warning in extract_html(html).warnings)


def test_hidden_furniture_is_not_read() -> None:
    html = page(
        f"<p>{PROSE_1}</p><div style='display:none'><p>A hidden dialog that says something "
        f"long enough to be prose, but nobody sees it.</p></div><p>{PROSE_2}</p>"
    )
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_end_of_article_heading_cuts_only_a_tail() -> None:
    """ "More on X" inside a list article is a section; "Related articles" ends it."""
    list_article = page(f"<p>{PROSE_1}</p><h3>More on otters:</h3><p>{PROSE_2}</p><p>{PROSE_1}</p>")
    assert len(paragraphs_of(list_article)) == 4
    ended = page(f"<p>{PROSE_1}</p><p>{PROSE_2}</p><h3>Related articles</h3><p>{PROSE_1}</p>")
    assert len(paragraphs_of(ended)) == 2
    wordpress = page(
        f"<p>{PROSE_1}</p><p>{PROSE_2}</p><h3>5 thoughts on “A Page”</h3><p>{PROSE_1}</p>"
    )
    assert len(paragraphs_of(wordpress)) == 2


def test_a_papers_discussion_section_is_not_a_comment_section() -> None:
    paper = page(f"<h2>Results</h2><p>{PROSE_1}</p><h2>Discussion</h2><p>{PROSE_2}</p>")
    assert ("heading", "Discussion") in paragraphs_of(paper)
    assert paragraphs_of(paper)[-1] == ("paragraph", PROSE_2)


def test_a_subscribe_button_inside_the_article_does_not_end_it() -> None:
    html = page(
        f"<p>{PROSE_1}</p><p class='button-wrapper'><a href='/s'>Subscribe now</a></p>"
        f"<p>{PROSE_2}</p>"
    )
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_table_rows_that_start_with_dates_are_data_not_datelines() -> None:
    html = page(
        f"<p>{PROSE_1}</p><table><tr><th>Date</th><th>Change</th></tr>"
        f"<tr><td>1/1/2013</td><td>+13.1%</td></tr><tr><td>March 5, 2024</td><td>-2%</td></tr>"
        f"</table><p>{PROSE_2}</p>"
    )
    assert ("paragraph", "1/1/2013 | +13.1%") in paragraphs_of(html)
    assert ("paragraph", "March 5, 2024 | -2%") in paragraphs_of(html)


def test_a_tail_of_teasers_after_the_article_is_dropped() -> None:
    teasers = "".join(
        f"<h3><a href='/{n}'>Another story number {n}</a></h3><p>A short blurb about it.</p>"
        for n in range(4)
    )
    html = page(f"<p>{PROSE_1}</p><p>{PROSE_2}</p><div>{teasers}</div>")
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_link_lists_inside_the_article_are_dropped() -> None:
    html = page(
        f"<p>{PROSE_1}</p><ul><li><a href='/1'>Another story entirely</a></li>"
        f"<li><a href='/2'>Yet another story</a></li></ul><p>{PROSE_2}</p>"
    )
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_content_after_premature_end_tags_is_kept() -> None:
    html = f"<html><body><p>{PROSE_1}</p></body></html><p>{PROSE_2}</p>"
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


def test_text_libxml2_puts_in_head_is_read() -> None:
    html = f"<html><head><title>T</title><div><p>{PROSE_1}</p><p>{PROSE_2}</p></div></head></html>"
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]


# --------------------------------------------------------------------------- parsing


def test_text_past_the_parsers_depth_limit_is_reported_missing() -> None:
    html = page(f"<p>{PROSE_1}</p><p>{PROSE_2}</p>" + "<div>" * 300 + "<p>deep</p>")
    result = extract_html(html)
    assert [text for _, text in paragraphs_of(html)] == [PROSE_1, PROSE_2]
    assert any("256 levels deep" in warning for warning in result.warnings)
    assert extract_html(page(f"<p>{PROSE_1}</p><p>{PROSE_2}</p>")).warnings == ()


def test_str_with_xml_declaration_parses() -> None:
    html = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + page(
        f"<p>{PROSE_1} Ünïcödé</p><p>{PROSE_2}</p>"
    )
    assert paragraphs_of(html)[0][1].endswith("Ünïcödé")


def test_entities_are_not_resolved_from_outside() -> None:
    html = '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + page(
        f"<p>{PROSE_1} &xxe; &amp; &copy;</p><p>{PROSE_2}</p>"
    )
    first = paragraphs_of(html)[0][1]
    assert "root:" not in first
    assert first.endswith("& ©")


def test_parse_html_refuses_nothing_but_empty_input() -> None:
    root = parse_html("<p>a fragment")
    assert root.tag == "html"


def test_paragraph_values_are_models() -> None:
    result = extract_html(page(f"<p>{PROSE_1}</p><p>{PROSE_2}</p>"))
    assert all(isinstance(p, Paragraph) for p in result.paragraphs)

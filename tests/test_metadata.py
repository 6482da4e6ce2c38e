"""HTML metadata with evidence: JSON-LD variants, meta tags, microdata, the visible page."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from warcite.core.models import Paragraph
from warcite.extract.metadata import (
    Metadata,
    clean_title,
    complete_metadata,
    extract_html_metadata,
    genre_from_label,
    normalize_language,
)

URL = "https://www.example-news.com/opinion/2016/08/29/why-elites-defect/"


def metadata(
    html: str, *, url: str | None = URL, headers: tuple[tuple[str, str], ...] = ()
) -> Metadata:
    root = lxml_html.document_fromstring(html)
    return extract_html_metadata(root, url=url, headers=headers)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_opinion_article_with_graph_and_references() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "Example News"},
            {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
            {"@type": "Organization", "@id": "#org", "name": "Example News Ltd"},
            {
                "@type": ["OpinionNewsArticle"],
                "headline": "Why Elites Defect",
                "author": [{"@id": "#jane"}, {"@type": "Person", "name": "John Smith"}],
                "publisher": {"@id": "#org"},
                "datePublished": "2016-08-29T10:00:00+09:00",
                "dateModified": "2016-08-30",
                "articleSection": "Opinion",
                "inLanguage": "en-US",
                "keywords": ["defection", "North Korea"],
                "description": "An op-ed.",
            },
        ],
    }
    result = metadata(page(json_ld(data) + "<title>Why Elites Defect | Example News</title>"))
    assert result.title is not None and result.title.value == "Why Elites Defect"
    assert result.title.source == "json-ld"
    assert [p.name for p in result.authors] == ["Jane Doe", "John Smith"]
    assert result.published is not None
    assert result.published.value == "2016-08-29T10:00:00+09:00"
    assert result.published.source == "json-ld"
    assert "url" in [c.source for c in result.published.candidates]  # URL token kept for audit
    assert result.modified is not None and result.modified.value == "2016-08-30"
    assert result.publisher is not None and result.publisher.value == "Example News Ltd"
    assert result.genre is not None and result.genre.value == "Op-ed"
    assert result.section is not None and result.section.value == "Opinion"
    assert result.language is not None and result.language.value == "en"  # html lang first
    assert [c.value for c in result.language.candidates] == ["en", "en-US"]
    assert result.keywords == ("defection", "North Korea")
    assert result.description is not None and result.description.value == "An op-ed."


def test_json_ld_malformed_is_tolerated() -> None:
    broken = """<script type="application/ld+json">
    // <![CDATA[
    {"@type": "NewsArticle", "headline": "Line
    break", "author": {"@type": "Person", "name": "Jane Doe",},
     "datePublished": "2020-01-02",}
    // ]]>
    </script>
    <script type="application/ld+json">{ not json at all </script>"""
    result = metadata(page(broken))
    assert result.title is not None and result.title.value == "Line break"
    assert [p.name for p in result.authors] == ["Jane Doe"]
    assert result.published is not None and result.published.value == "2020-01-02"


def test_json_ld_list_of_objects_and_given_family_names() -> None:
    data = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {
            "@type": "BlogPosting",
            "name": "A Post",
            "author": {"@type": "Person", "givenName": "Mary", "familyName": "Major"},
        },
    ]
    result = metadata(page(json_ld(data)))
    assert result.title is not None and result.title.value == "A Post"
    assert [(p.given, p.family) for p in result.authors] == [("Mary", "Major")]
    assert result.genre is not None and result.genre.value == "Blog post"


def test_meta_tags_opengraph_dublin_core_citation() -> None:
    head = """
    <meta property="og:title" content="Harbor Plan Approved - Harborview Gazette">
    <meta property="og:site_name" content="Harborview Gazette">
    <meta property="article:published_time" content="2019-11-05T09:30:00Z">
    <meta property="article:modified_time" content="2019-11-06T08:00:00Z">
    <meta name="author" content="Carlos de la Vega and Mei Lin Chen">
    <meta name="DC.creator" content="Vega, Carlos de la">
    <meta name="citation_title" content="Harbor Plan Approved">
    <meta name="keywords" content="harbor, council, ferry">
    <meta property="article:tag" content="Ferry">
    <link rel="canonical" href="/news/harbor-plan">
    """
    result = metadata(page(head), url="https://www.harborviewgazette.com/news/harbor-plan?x=1")
    assert result.title is not None and result.title.value == "Harbor Plan Approved"
    assert result.title.source == "meta:og:title"
    assert result.title.note is not None and "Harborview Gazette" in result.title.note
    assert result.publisher is not None and result.publisher.value == "Harborview Gazette"
    assert [p.name for p in result.authors] == ["Carlos de la Vega", "Mei Lin Chen"]
    assert result.published is not None and result.published.value == "2019-11-05T09:30:00Z"
    assert result.published.source == "meta:article:published_time"
    assert result.modified is not None and result.modified.value == "2019-11-06T08:00:00Z"
    assert result.keywords == ("harbor", "council", "ferry")
    assert result.canonical_url is not None
    assert result.canonical_url.value == "https://www.harborviewgazette.com/news/harbor-plan"


def test_microdata() -> None:
    body = """<article itemscope itemtype="https://schema.org/NewsArticle">
      <h1 itemprop="headline">Microdata Headline</h1>
      <span itemprop="author" itemscope><span itemprop="name">Ana Lima</span></span>
      <meta itemprop="datePublished" content="2021-05-06">
      <div itemprop="publisher" itemscope><span itemprop="name">Lima Press</span></div>
    </article>"""
    result = metadata(page(body=body), url="https://example.org/a")
    assert result.title is not None and result.title.value == "Microdata Headline"
    assert [p.name for p in result.authors] == ["Ana Lima"]
    assert result.published is not None and result.published.value == "2021-05-06"
    assert result.publisher is not None
    assert (result.publisher.value, result.publisher.source) == ("Lima Press", "microdata")


def test_visible_byline_time_and_h1() -> None:
    body = """<nav><a href="/author/someone-else/">Someone Else</a></nav>
    <article><h1>Visible Title</h1>
    <p class="byline">By <a href="/people/jane-doe">Jane Doe</a> | <time datetime="2018-03-04">March 4</time></p>
    <p>Text.</p></article>"""
    result = metadata(
        page("<title>Visible Title - Example</title>", body), url="https://example.org/x"
    )
    assert result.title is not None and result.title.value == "Visible Title"
    assert [p.name for p in result.authors] == ["Jane Doe"]
    assert result.published is not None
    assert (result.published.value, result.published.source) == ("2018-03-04", "time")


def test_label_byline_and_visible_date_near_title() -> None:
    body = """<main><h1>A Guide</h1><div><span>By</span><span>Daryl Austin</span></div>
    <div>Published March 9, 2021</div><p>Body text.</p></main>"""
    result = metadata(page(body=body), url="https://example.org/guide")
    assert [p.name for p in result.authors] == ["Daryl Austin"]
    assert result.published is not None and result.published.value == "2021-03-09"


def test_people_preferred_over_organisation_authors() -> None:
    data = {
        "@type": "Article",
        "headline": "X",
        "author": {"@type": "Organization", "name": "Levitate Media"},
    }
    body = '<p class="author-name">By Liza Burke</p>'
    result = metadata(page(json_ld(data), body), url="https://example.org/x")
    assert [p.name for p in result.authors] == ["Liza Burke"]
    only_org = metadata(page(json_ld(data)), url="https://example.org/x")
    assert [(p.name, p.kind) for p in only_org.authors] == [("Levitate Media", "organization")]


def test_author_bio_gives_affiliation() -> None:
    body = """<h1>T</h1><p class="byline">By Jane Doe</p><p>Text.</p>
    <div class="author-bio">Jane Doe is a professor of history at the University of Leeds.</div>"""
    result = metadata(page(body=body), url="https://example.org/t")
    (author,) = result.authors
    assert author.affiliations[0].name == "University of Leeds"
    assert author.affiliations[0].role == "Professor of History"
    assert author.bio is not None


def test_numeric_visible_date_uses_the_page_locale() -> None:
    body = '<h1>T</h1><span class="post-date">03/04/2016</span>'
    british = metadata(page(body=body, lang="en-GB"), url="https://example.org/t")
    assert british.published is not None and british.published.value == "2016-04-03"
    assert british.published.note is not None and "day-first" in british.published.note
    american = metadata(page(body=body, lang="en-US"), url="https://example.org/t")
    assert american.published is not None and american.published.value == "2016-03-04"


def test_only_modified_date_is_used_with_a_note() -> None:
    head = '<meta property="article:modified_time" content="2025-07-09T11:50:26+00:00">'
    result = metadata(page(head), url="https://example.org/t")
    assert result.published is not None and result.published.value.startswith("2025-07-09")
    assert result.published.note is not None and "last updated" in result.published.note


def test_language_sources() -> None:
    no_lang = "<html><head></head><body><p>x</p></body></html>"
    result = metadata(no_lang, headers=(("Content-Language", "de-DE"),))
    assert result.language is not None
    assert (result.language.value, result.language.source) == ("de-DE", "http:content-language")
    assert normalize_language("en_us") == "en-US"
    assert normalize_language("zh-hant-tw") == "zh-Hant-TW"
    assert normalize_language("not a tag") is None


def test_complete_metadata_detects_language() -> None:
    empty = metadata("<html><head></head><body></body></html>", url=None)
    assert empty.language is None
    paragraphs = [
        Paragraph(
            "Die Stadt hat am Montag einen neuen Plan für den Hafen beschlossen, der nach "
            "langen Debatten von der Mehrheit des Rates angenommen wurde und im Frühjahr "
            "beginnen soll. Die Kosten sind noch nicht geklärt, und es gibt auch Kritik.",
            "paragraph",
        )
    ]
    completed = complete_metadata(empty, paragraphs=paragraphs, url=None, headers=())
    assert completed.language is not None
    assert (completed.language.value, completed.language.source) == ("de", "detection")


def test_extract_does_not_modify_the_tree() -> None:
    html = page(
        json_ld({"@type": "Article", "headline": "H"}) + "<title>H | Site</title>",
        '<h1>H</h1><p class="byline">By Jane Doe</p><time datetime="2020-01-01">x</time>',
    )
    root = lxml_html.document_fromstring(html)
    before = etree.tostring(root)
    extract_html_metadata(root, url=URL, headers=())
    assert etree.tostring(root) == before


def test_clean_title() -> None:
    assert clean_title("Why Elites Defect | Example News", ["Example News"]) == (
        "Why Elites Defect",
        "removed the site name 'Example News'",
    )
    assert (
        clean_title("Example News: Why Elites Defect", ["Example News"])[0] == "Why Elites Defect"
    )
    assert (
        clean_title("Why Elites Defect - EXAMPLE NEWS", ["Example News"])[0] == "Why Elites Defect"
    )
    assert clean_title("Why Elites Defect — OpEdNews", [], "https://www.opednews.com/a")[0] == (
        "Why Elites Defect"
    )
    # colons inside titles stay when the part is not the site
    assert (
        clean_title("Letters: What Ledgers Teach", ["Example News"])[0]
        == "Letters: What Ledgers Teach"
    )
    assert clean_title("Example News", ["Example News"])[0] == "Example News"


def test_genre_from_label() -> None:
    assert genre_from_label("Op Eds") == "Op-ed"
    assert genre_from_label("Op-Ed") == "Op-ed"
    assert genre_from_label("Opinion") == "Opinion"
    assert genre_from_label("Commentary") == "Commentary"
    assert genre_from_label("Sports") is None


def test_ambiguous_date_resolved_by_an_iso_date_elsewhere_on_the_page() -> None:
    body = """<h1>T</h1><time datetime="02-12-2025">x</time>
    <aside><time datetime="2025-12-02">December 02, 2025</time></aside>"""
    result = metadata(page(body=body), url="https://example.org/t")
    assert result.published is not None and result.published.value == "2025-12-02"
    assert result.published.note is not None and "unambiguously elsewhere" in result.published.note


def test_utc_time_on_the_day_after_the_url_folder() -> None:
    head = '<meta property="article:published_time" content="2025-12-19T03:05:00+00:00">'
    result = metadata(page(head), url="https://example.org/2025/12/18/story/")
    assert result.published is not None
    assert (result.published.value, result.published.source) == ("2025-12-18", "url")
    assert "2025-12-19T03:05:00+00:00" in (result.published.note or "")
    assert result.published.candidates[0].value == "2025-12-19T03:05:00+00:00"


def test_publication_after_last_modification_is_not_chosen() -> None:
    head = """<meta name="published-time" content="2026-03-09T08:45:32Z">
    <meta name="published-date" content="2021-02-16">
    <meta name="modified-date" content="2024-07-30">"""
    result = metadata(page(head), url="https://example.org/t")
    assert result.published is not None and result.published.value == "2021-02-16"
    assert "after the last modification" in (result.published.note or "")


def test_printed_publication_date_outranks_disagreeing_structured_data() -> None:
    data = {"@type": "Article", "headline": "Top Companies", "datePublished": "Aug 21, 2025"}
    body = "<h1>Top Companies</h1><div>Published Apr 26, 2023</div><div>Updated Aug 21, 2025</div>"
    result = metadata(page(json_ld(data), body), url="https://example.org/t")
    assert result.published is not None and result.published.value == "2023-04-26"
    assert "json-ld says 2025-08-21" in (result.published.note or "")
    assert result.modified is not None and result.modified.value == "2025-08-21"


_FRAGMENTS = st.sampled_from(
    [
        '<script type="application/ld+json">',
        "</script>",
        '{"@type": "NewsArticle", "headline": ',
        '"author": [{"@id": "#a"}, "x"], ',
        '"datePublished": "2016-13-45"',
        "}",
        "[",
        '<meta property="article:published_time" content="8/29/16">',
        '<meta name="author" content="By , and &amp;">',
        "<h1>",
        "</h1>",
        '<p class="byline">By ',
        "<time datetime='x'>",
        "<title>",
        " | ",
        "Jane Doe",
        "2/30/2016",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=30)), max_size=40))
def test_arbitrary_markup_never_crashes(parts: list[str]) -> None:
    html = (
        "<html><head>"
        + "".join(parts)
        + "</head><body>"
        + "".join(reversed(parts))
        + "</body></html>"
    )
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return
    result = extract_html_metadata(root, url="https://example.org/2016/08/29/x", headers=())
    assert isinstance(result, Metadata)


def test_author_links_in_one_byline_are_co_authors_and_social_profiles_are_not() -> None:
    body = """<h1>Best Laptops</h1>
    <div class="meta"><span>By <a href="/authors/adrien-ramirez">Adrien Ramirez</a></span>
    <span>and <a href="/authors/joanna-nelius">Joanna Nelius</a></span></div>
    <footer-ish><a href="https://bsky.app/profile/someone">Bluesky</a></footer-ish>"""
    result = metadata(page(body=body), url="https://www.example.org/laptops")
    assert [p.name for p in result.authors] == ["Adrien Ramirez", "Joanna Nelius"]
    social = metadata(
        page(body='<h1>T</h1><a href="https://bsky.app/profile/x">Bluesky</a>'),
        url="https://www.example.org/t",
    )
    assert social.authors == ()


def test_bare_date_under_the_headline_outranks_disagreeing_structured_data() -> None:
    data = {"@type": "Article", "headline": "How Much to Pay", "datePublished": "Nov 05, 2025"}
    body = "<h1>How Much to Pay</h1><p>January 31, 2024</p><p>Body text goes here.</p>"
    result = metadata(page(json_ld(data), body), url="https://example.org/t")
    assert result.published is not None and result.published.value == "2024-01-31"
    assert result.published.source == "html:near-title"
    # one day apart, a UTC time late in the evening: the day the page prints is the
    # publisher's own (issue 22); the UTC stamp stays among the candidates
    close = {
        "@type": "Article",
        "headline": "How Much to Pay",
        "datePublished": "2024-01-30T23:00:00Z",
    }
    result = metadata(page(json_ld(close), body), url="https://example.org/t")
    assert result.published is not None and result.published.value == "2024-01-31"
    assert "(UTC)" in (result.published.note or "")
    assert "2024-01-30T23:00:00Z" in [e.value for e in result.published.candidates]


def test_title_choice_between_the_headline_and_stated_titles() -> None:
    # the visible headline, reworded in og:title for social media: the headline wins
    head = '<meta property="og:title" content="Investing in Cloud Stocks: A Guide">'
    agrees = metadata(page(head, "<h1>The Best Cloud Stocks: A Guide for 2025</h1>"))
    assert agrees.title is not None and agrees.title.source == "html:h1"
    assert agrees.title.value == "The Best Cloud Stocks: A Guide for 2025"
    # an <h1> that is a logo or a section name: the stated title wins
    logo = metadata(page(head, "<h1>Example News</h1>"))
    assert logo.title is not None and logo.title.source == "meta:og:title"
    # an <h1> set in capitals, or holding the title plus furniture: the stated title wins
    head = '<meta property="og:title" content="GAAP Compliance for Your Business">'
    capitals = metadata(page(head, "<h1>GAAP COMPLIANCE FOR YOUR BUSINESS TODAY</h1>"))
    assert capitals.title is not None and capitals.title.source == "meta:og:title"
    furniture = metadata(
        page(
            head, "<h1>GAAP Compliance for Your Business <small>Posted on July 1, 2024</small></h1>"
        )
    )
    assert furniture.title is not None
    assert furniture.title.value == "GAAP Compliance for Your Business"


def test_breadcrumb_gives_the_section_and_genre() -> None:
    data = [
        {"@type": "NewsArticle", "headline": "Why Elites Defect"},
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home"},
                {"@type": "ListItem", "position": 2, "item": {"name": "Op-Eds"}},
                {"@type": "ListItem", "position": 3, "name": "Why Elites Defect"},
            ],
        },
    ]
    result = metadata(page(json_ld(data)))
    assert result.section is not None
    assert (result.section.value, result.section.source) == ("Op-Eds", "json-ld:breadcrumb")
    assert result.genre is not None and result.genre.value == "Op-ed"


def test_language_detection() -> None:
    from warcite.extract.language import detect_language

    english = (
        "The number of defectors has shown a marked increase this year, and it is likely that "
        "the regime will continue to strengthen its controls at the border with China."
    )
    french = (
        "Le nombre de transfuges a fortement augmenté cette année, et il est probable que le "
        "régime continue de renforcer ses contrôles à la frontière avec la Chine."
    )
    korean = "북한 이탈 주민의 수가 올해 크게 증가했으며 정권은 국경 통제를 강화할 것으로 보인다."
    results = {text[:5]: detect_language(text) for text in (english, french, korean)}
    assert [r.language if r else None for r in results.values()] == ["en", "fr", "ko"]
    assert detect_language("Share Tweet Print") is None  # too little text to tell
    assert detect_language("1234 5678 " * 40) is None


def test_person_icon_byline_and_tailwind_sidebar_classes() -> None:
    body = """<article><h1>Reflections</h1><div class="entry-meta"><ul>
    <li><i class="bi bi-person"></i> Bence Kovács</li><li><i class="bi bi-clock"></i> x</li>
    </ul></div></article>"""
    result = metadata(page(body=body), url="https://example.org/r")
    assert [p.name for p in result.authors] == ["Bence Kovács"]
    body = """<article class="grid md:[grid-template-areas:'sidebar_main']"><h1>Trends</h1>
    <div class="md:[grid-area:sidebar]"><p>Written by</p><p>Edzel Tabing</p></div></article>
    <aside class="related-posts"><p>By Someone Else</p></aside>"""
    result = metadata(page(body=body), url="https://example.org/t")
    assert [p.name for p in result.authors] == ["Edzel Tabing"]


def test_byline_nearest_the_headline_wins_over_cards_of_other_articles() -> None:
    cards = "".join(
        f'<div class="card"><a href="/blog/authors/writer-{n}">Card Writer{n}</a></div>'
        for n in "ABC"
    )
    filler = "".join(f"<div><span>menu item {n}</span></div>" for n in range(40))
    body = f"""<div class="grid">{cards}</div>{filler}
    <main><h1>Top Private Cloud Providers</h1>
    <a href="/blog/authors/emmanuel-oyibo" aria-label="Emmanuel Oyibo"><span>Emmanuel Oyibo</span></a>
    <p>{"A long paragraph of the article itself. " * 10}</p></main>"""
    result = metadata(page(body=body), url="https://www.example.org/blog/top-private-cloud")
    assert [p.name for p in result.authors] == ["Emmanuel Oyibo"]


def test_deeply_nested_json_ld_is_bounded() -> None:
    deep: object = "Deep Title"
    for _ in range(500):
        deep = [deep]
    data = {"@type": "Article", "headline": deep, "author": deep}
    result = metadata(
        page(json_ld(data) + "<title>Shallow Title</title>"), url="https://example.org/"
    )
    assert result.title is not None and result.title.value == "Shallow Title"


def test_json_ld_person_details_give_affiliation_and_bio() -> None:
    data = {
        "@graph": [
            {
                "@type": "Organization",
                "@id": "#kinu",
                "name": "Korea Institute for National Unification",
                "alternateName": "KINU",
            },
            {
                "@type": "OpinionNewsArticle",
                "headline": "Why Elites Defect",
                "author": {
                    "@type": "Person",
                    "name": "Hyeon In-ae",
                    "jobTitle": "Visiting Research Fellow",
                    "worksFor": {"@id": "#kinu"},
                    "description": "A North Korean defector and researcher.",
                },
            },
        ]
    }
    (author,) = metadata(page(json_ld(data))).authors
    assert (author.family, author.given, author.name_order) == ("Hyeon", "In-ae", "family-first")
    (affiliation,) = author.affiliations
    assert affiliation.name == "Korea Institute for National Unification"
    assert affiliation.alternate_name == "KINU"
    assert affiliation.role == "Visiting Research Fellow"
    assert affiliation.source == "json-ld"
    assert author.bio == "A North Korean defector and researcher."


def test_site_name_from_the_title_beside_the_headline() -> None:
    body = "<h1>Otters Return</h1><p>Text.</p>"
    suffix = metadata(page("<title>Otters Return | The Valley Times</title>", body))
    assert suffix.publisher is not None
    assert (suffix.publisher.value, suffix.publisher.source) == ("The Valley Times", "html:title")
    prefix = metadata(page("<title>The Valley Times - Otters Return</title>", body))
    assert prefix.publisher is not None and prefix.publisher.value == "The Valley Times"
    # a <title> that is not headline + site gives no site name from the title
    other = metadata(page("<title>Why otters: a question</title>", body))
    assert other.publisher is None or other.publisher.source != "html:title"


def test_ambiguous_visible_date_resolved_by_the_urls_date_folder() -> None:
    body = "<h1>Harbor plan</h1><p class='date'>Published 05/11/2019</p><p>Text.</p>"
    result = metadata(page(body=body), url="https://example.org/2019/11/05/harbor-plan/")
    assert result.published is not None and result.published.value == "2019-11-05"
    assert result.published.note is not None and "read day-first" in result.published.note


def test_byline_written_as_cells_of_name_role_and_date() -> None:
    body = """<main><header><h1>How AI Is Transforming Healthcare</h1>
    <p>Aaron Ricadela | Senior Writer | July 2, 2025</p></header><p>Text.</p></main>"""
    result = metadata(page(body=body), url="https://example.org/ai-healthcare")
    assert [p.name for p in result.authors] == ["Aaron Ricadela"]
    assert result.authors[0].sources == ("byline:cells",)
    body = """<header><h1>Pricing Guide</h1><p>Dec 26, 2025 <span>&bull;</span>
    <img src="a.png"> Mahua Das in <a href="/blog/pm">Project Management</a></p></header>"""
    result = metadata(page(body=body), url="https://example.org/pricing")
    assert [p.name for p in result.authors] == ["Mahua Das"]
    # cells without a date, or whose first other cell is not a person, name nobody
    body = """<h1>Pricing Guide</h1><p>Senior Writer | Aaron Ricadela | July 2, 2025</p>
    <p>Aaron Ricadela | Senior Writer</p>"""
    assert metadata(page(body=body), url="https://example.org/pricing").authors == ()


def test_name_element_beside_the_displayed_date() -> None:
    body = """<main><h1>HR Shared Services</h1><p>A short standfirst about the article.</p>
    <p class="text-small">Elliot Raba</p><div><p><span>23.07.2025</span><span> · </span>
    <span>6 min read</span></p></div><p>Text.</p></main>"""
    result = metadata(page(body=body), url="https://example.org/hr")
    assert [p.name for p in result.authors] == ["Elliot Raba"]
    assert result.authors[0].sources == ("byline:beside-date",)
    # a name-like line whose neighbour is not a date is not a byline
    body = """<main><h1>HR Shared Services</h1><p>Elliot Raba</p><p>Text of the piece.</p></main>"""
    assert metadata(page(body=body), url="https://example.org/hr").authors == ()


def test_name_in_an_author_card_and_layout_classes_on_body() -> None:
    body = """<div class="site-content"><h1>Consulting Resumes</h1><p>Text.</p>
    <div class="author-box"><div class="author-box__avatar"><img alt="Picture of Liz Kenny"
    src="liz.jpg"></div><div class="author-box__text"><h4 class="author-box__name">Liz Kenny
    </h4><div class="author-box__bio"><p>Former McKinsey Consultant</p></div></div></div></div>"""
    html = page(body=body).replace("<body>", '<body class="page no-sidebar">')
    result = metadata(html, url="https://example.org/resumes")
    assert [p.name for p in result.authors] == ["Liz Kenny"]
    # ...but not a comment's author card
    comment = html.replace('class="author-box"', 'class="comment-author-box"')
    comment = comment.replace("author-box__name", "comment-author-box__name")
    assert metadata(comment, url="https://example.org/resumes").authors == ()


def test_arbitrary_value_utility_classes_do_not_mark_a_sidebar() -> None:
    cards = "".join(
        f'<aside><a href="/blog/authors/writer-{n}">Card Writer{n}</a></aside>' for n in "ABC"
    )
    body = f"""<main><section class="[--sidebar-width:18rem] page-section">
    <div class="w-full lg:mr-[--sidebar-container-width]"><h1>Top Private Cloud Providers</h1>
    <a href="/blog/authors/emmanuel-oyibo"><span>Emmanuel Oyibo</span></a>
    <p>{"A long paragraph of the article itself. " * 10}</p></div></section>{cards}</main>"""
    result = metadata(page(body=body), url="https://www.example.org/blog/top-private-cloud")
    assert [p.name for p in result.authors] == ["Emmanuel Oyibo"]


def test_twitter_label_credits_an_author_by_another_word() -> None:
    def head(label: str) -> str:
        return (
            f'<meta name="twitter:label1" content="{label}">'
            '<meta name="twitter:data1" content="Sylvia Bishop">'
        )

    body = "<h1>Award-Winning Novels</h1><p>The Book by Alexander Writer</p>"
    for label in ("Interview by", "Written by"):
        result = metadata(page(head(label), body), url="https://example.org/novels")
        assert [p.name for p in result.authors] == ["Sylvia Bishop"], label
    for label in ("Reviewed by", "Est. reading time"):
        result = metadata(page(head(label), body), url="https://example.org/novels")
        assert "Sylvia Bishop" not in [p.name for p in result.authors], label


def test_citation_authors_meta_names_every_author() -> None:
    head = '<meta name="DC.Creator" content="Jennifer Huberty">' + "".join(
        f'<meta name="citation_authors" content="{name}">'
        for name in ("Jennifer Huberty", "Jeni Green", "Chong Lee")
    )
    result = metadata(page(head, "<h1>Meditation app use</h1>"), url="https://example.org/e1")
    assert [p.name for p in result.authors] == ["Jennifer Huberty", "Jeni Green", "Chong Lee"]


def test_author_links_naming_the_stated_author_and_co_authors_decide() -> None:
    data = {"@type": "Article", "headline": "Free Certificates", "author": {"name": "Rui Ma"}}
    links = ", ".join(
        f'<a href="/report/author/{slug}/">{name}</a>'
        for slug, name in (("ruima", "Rui Ma"), ("heba", "Heba Ledwon"), ("suparn", "Suparn Patra"))
    )
    body = f"<main><h1>Free Certificates</h1><div><div>{links}</div></div><p>Text.</p></main>"
    url = "https://www.example.org/report/free-certificates/"
    result = metadata(page(json_ld(data), body), url=url)
    assert [p.name for p in result.authors] == ["Rui Ma", "Heba Ledwon", "Suparn Patra"]
    # links that leave out the stated author do not override it
    other = body.replace('<a href="/report/author/ruima/">Rui Ma</a>, ', "")
    result = metadata(page(json_ld(data), other), url=url)
    assert [p.name for p in result.authors] == ["Rui Ma"]


def test_long_byline_read_up_to_the_date_and_lower_case_by_label() -> None:
    body = """<header><h1>Entry-level jobs are shrinking</h1><span class="story-byline">
    Posted by <a href="https://social.example.com/in/beauhd/">BeauHD</a>
    <time>on Friday December 19, 2025 @08:00PM</time> from the skewed-job-market dept.
    </span></header><p>Text.</p>"""
    result = metadata(page(body=body), url="https://news.example.org/story/25/12/19/jobs")
    assert [p.name for p in result.authors] == ["BeauHD"]
    body = """<h1>Zero-Waste for Beginners</h1><ul class="meta"><li>by
    <a href="javascript:void(0)">Nadia Okafor</a></li><li><time>31 May, 2023</time></li></ul>"""
    result = metadata(page(body=body), url="https://example.org/blogs/zero-waste")
    assert [p.name for p in result.authors] == ["Nadia Okafor"]


def test_camel_case_author_name_class_is_a_byline() -> None:
    body = """<h1>Top Marketing Agencies</h1><div class="authorWrapper"><div class="authorImage">
    <img src="a.png" alt="Jane Roe"></div><p class="authorName">Jane Roe</p></div><p>Text.</p>"""
    result = metadata(page(body=body), url="https://example.org/resources/agencies")
    assert [p.name for p in result.authors] == ["Jane Roe"]
    # a camelCase class merely containing the word is not one
    body = body.replace("authorName", "coauthorNameplate")
    assert metadata(page(body=body), url="https://example.org/resources/agencies").authors == ()

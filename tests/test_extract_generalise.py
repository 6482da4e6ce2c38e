"""Extraction rules that must carry over to sites nobody tuned on (issue 11).

Each failure class seen on unseen pages gets a small constructed page here, so the general
rule that fixes it (density, visibility, structure; never a site list) is pinned.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warcite.cli import cli
from warcite.core.models import Extraction
from warcite.extract.html import extract_html

URL = "https://news.example.org/2024/03/05/otters-return/"

ARTICLE = [
    "After an absence of almost forty years, river otters have been seen again along the "
    "upper reaches of the valley, wildlife officials said on Tuesday.",
    "Volunteers counted fresh tracks at six sites along the river this winter, and a camera "
    "trap near the old mill filmed a family of three swimming upstream at dusk.",
    "The return follows two decades of work to clean the river, which was polluted by "
    "runoff from farms and a paper mill that closed in the nineteen nineties.",
    "Officials asked walkers to keep dogs on leads near the banks during the spring, when "
    "the young otters leave their holts for the first time.",
]

COMMENTS = "".join(
    f'<div class="comment"><p class="comment-author">Reader {n}</p><p>I walk along that river '
    f"every weekend and I have never seen an otter there, but I will look out for them now "
    f"that I know they are back. Thank you for this wonderful piece of news, number {n}.</p>"
    "</div>"
    for n in range(8)
)

SIDEBAR_TEASERS = (
    '<div class="rail"><h3>Most read</h3><ul>'
    + "".join(
        f'<li><a href="/story-{n}">Headline of another story number {n}</a>'
        f"<p>A teaser blurb for another story, written as a sentence to lure readers in.</p></li>"
        for n in range(5)
    )
    + "</ul></div>"
)


def paragraphs(html: str) -> list[str]:
    return [p.text for p in run(html).paragraphs]


def run(html: str, **kwargs: object) -> Extraction:
    return extract_html(html, url=URL, **kwargs)  # type: ignore[arg-type]


def document(body: str, *, head: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>River otters return to the valley'
        f"</title>{head}</head><body>{body}</body></html>"
    )


def prose(items: list[str] = ARTICLE) -> str:
    return "".join(f"<p>{text}</p>" for text in items)


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --------------------------------------------------------------------------- body text


@pytest.mark.parametrize(
    "wrapper",
    [
        'class="ad-zone-wrapper"',
        'class="main sidebar-layout"',
        'id="ad"',
        'class="post comments-enabled"',
        'class="article article-type-commentary"',
    ],
)
@pytest.mark.parametrize("comments_inside", [True, False])
def test_a_furniture_word_on_the_article_wrapper_does_not_reject_the_article(
    wrapper: str, comments_inside: bool
) -> None:
    # a comment thread longer than the article, inside the same wrapper or after it, must
    # not make the wrapper look like furniture
    thread = f'<section class="comments"><h2>Comments</h2>{COMMENTS}</section>'
    body = (
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<div {wrapper}><h1>River otters return to the valley</h1>{prose()}"
        f"{thread if comments_inside else ''}</div>{'' if comments_inside else thread}"
        f"{SIDEBAR_TEASERS}"
    )
    assert paragraphs(document(body)) == ARTICLE


def test_the_body_inside_an_aside_is_read() -> None:
    body = (
        '<header><a href="/">The Daily Example</a></header>'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<h1>River otters return to the valley</h1><aside>{prose()}</aside>"
        "<footer>© 2024 The Daily Example</footer>"
    )
    assert paragraphs(document(body)) == ARTICLE


def test_a_page_without_prose_keeps_its_metadata_and_warns() -> None:
    data = {
        "@type": "VideoObject",
        "name": "River otters return to the valley",
        "author": {"@type": "Person", "name": "Jane Doe"},
        "datePublished": "2024-03-05",
    }
    body = (
        "<h1>River otters return to the valley</h1><video src='otters.mp4'></video>"
        "<p>Watch the family swim.</p>"
        '<ul><li><a href="/v/1">Beavers</a></li><li><a href="/v/2">Kingfishers</a></li></ul>'
    )
    result = run(document(body, head=json_ld(data)))
    assert result.title is not None
    assert result.title.value == "River otters return to the valley"
    assert [person.name for person in result.authors] == ["Jane Doe"]
    assert result.published is not None and result.published.value == "2024-03-05"
    assert any(warning.startswith("no article text found") for warning in result.warnings)
    assert len(result.text) < 150


def test_record_refuses_a_page_with_no_text_at_all_and_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    page = tmp_path / "video.html"
    page.write_text(
        document('<h1>Otters at dusk</h1><video src="otters.mp4"></video>'), encoding="utf-8"
    )
    monkeypatch.chdir(project)
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(page), "--url", URL])
    assert imported.exit_code == 0, imported.output
    warc = next((project / "archive").glob("*.warc.gz"))
    extracted = runner.invoke(cli, ["extract", str(warc)])
    assert extracted.exit_code == 0
    assert "warning: no article text found" in extracted.stderr
    recorded = runner.invoke(cli, ["record", str(warc)])
    assert recorded.exit_code == 4
    assert "no record written, as the page has no text to keep" in recorded.stderr
    assert "Traceback" not in recorded.output
    assert list((project / "records").iterdir()) == []


def test_paragraphs_with_a_paywall_class_are_kept() -> None:
    body = (
        f"<h1>River otters return to the valley</h1><div class='article-body'>{prose(ARTICLE[:2])}"
        f"<div class='paywall'>{prose(ARTICLE[2:])}</div></div>"
        "<div class='subscribe-banner'><p>Subscribe to keep reading our journalism.</p></div>"
    )
    assert paragraphs(document(body)) == ARTICLE


CONSENT = (
    '<div id="x9f2"><p>We and our partners use cookies and similar technologies to store and '
    "access information on your device, to personalise content and ads, to provide social "
    "media features and to analyse our traffic, and we share information about your use of "
    "our site with our advertising and analytics partners.</p><p>By continuing to use this "
    "site you agree to our use of cookies and to the processing of your personal data as "
    "described in our privacy policy, which you can read at any time.</p>"
    "<p>California residents: Do Not Sell or Share My Personal Information. You can opt out "
    "of the sale of your personal information at any time from the settings page.</p></div>"
)


def test_consent_notices_are_never_the_article() -> None:
    body = f"{CONSENT}<h1>River otters return to the valley</h1><div>{prose(ARTICLE[:2])}</div>"
    texts = paragraphs(document(body))
    assert texts == ARTICLE[:2]
    stub = run(document(f"<h1>River otters return to the valley</h1>{CONSENT}"))
    assert "cookies" not in stub.text and "Sell" not in stub.text
    assert any(warning.startswith("no article text found") for warning in stub.warnings)


def test_an_article_about_cookies_and_consent_is_kept() -> None:
    about = [
        "The regulator said the cookie policy of the shopping site was unlawful, because "
        "visitors could not refuse tracking as easily as they could accept it.",
        "By using this drug, patients agree to regular blood tests, the doctors said, and most "
        "of them accept the burden without complaint.",
    ]
    body = f"<h1>River otters return to the valley</h1><div>{prose(about)}</div>"
    assert paragraphs(document(body)) == about


@pytest.mark.parametrize(
    "hidden", ['style="display:none"', "hidden", 'aria-hidden="true"', 'class="sr-only"']
)
def test_a_hidden_copy_of_the_article_does_not_double_the_text(hidden: str) -> None:
    copy = " ".join(ARTICLE)
    body = (
        f"<h1>River otters return to the valley</h1><div class='story'>{prose()}</div>"
        f'<div itemprop="articleBody" {hidden}>{copy}</div>'
    )
    text = run(document(body)).text
    for sentence in ARTICLE:
        assert text.count(sentence) == 1


def test_hidden_text_a_script_reveals_is_still_read() -> None:
    body = (
        f"<h1>River otters return to the valley</h1><p>Loading.</p>"
        f'<div style="display:none">{prose()}</div>'
    )
    result = run(document(body))
    assert [p.text for p in result.paragraphs] == ARTICLE
    assert any("hides until a script shows them" in warning for warning in result.warnings)


@pytest.mark.parametrize("heading", ["Related news", "Trending", "Recommended stories"])
def test_an_in_body_related_box_does_not_end_the_article(heading: str) -> None:
    box = (
        f"<h3>{heading}</h3><ul>"
        + "".join(f'<li><a href="/s{n}">Another story about rivers {n}</a></li>' for n in range(3))
        + "</ul>"
    )
    body = f"<h1>River otters return to the valley</h1><article>{prose(ARTICLE[:2])}{box}{prose(ARTICLE[2:])}</article>"
    assert paragraphs(document(body)) == ARTICLE


def test_a_related_list_at_the_end_still_ends_the_article() -> None:
    tail = "<h3>Related stories</h3>" + "".join(
        f'<p><a href="/s{n}">Another story about rivers {n}</a></p>'
        f"<p>A teaser blurb for another story, written as a sentence to lure readers.</p>"
        for n in range(4)
    )
    body = f"<h1>River otters return to the valley</h1><article>{prose()}{tail}</article>"
    assert paragraphs(document(body)) == ARTICLE


def test_header_tickers_and_sidebar_teaser_lists_are_removed() -> None:
    ticker = (
        '<div class="breaking-ticker"><span>Markets fall again as the price of oil rises for a '
        "third day in a row.</span><span>Storm warning for the coast tonight, with winds of up "
        "to ninety miles an hour expected.</span></div>"
    )
    body = (
        f"<header><h1>River otters return to the valley</h1>{ticker}</header>"
        f"<div class='content'>{prose()}</div>{SIDEBAR_TEASERS}"
    )
    texts = paragraphs(document(body))
    assert texts == ARTICLE


# --------------------------------------------------------------------------- dates

STRUCTURED = {
    "@type": "NewsArticle",
    "headline": "River otters return to the valley",
    "datePublished": "2024-03-05T09:00:00+00:00",
}


@pytest.mark.parametrize(
    "printed",
    [
        '<div class="updated-date">June 1, 2024</div>',
        "<div><span>Updated</span> <span>June 1, 2024</span></div>",
        '<div class="image-caption">June 1, 2024</div>',
        '<div class="live-ticker"><span>June 1, 2024</span></div>',
        '<div class="event-date">June 1, 2024</div>',
        '<div class="today-date">Saturday, June 1, 2024</div>',
    ],
)
def test_structured_date_published_beats_printed_dates_of_other_things(printed: str) -> None:
    body = f"<h1>River otters return to the valley</h1>{printed}{prose()}"
    result = run(document(body, head=json_ld(STRUCTURED)))
    assert result.published is not None and result.published.value.startswith("2024-03-05")


def test_the_day_the_page_was_served_is_not_its_publication_date() -> None:
    body = f"<h1>River otters return to the valley</h1><div>June 1, 2024</div>{prose()}"
    served = (("Date", "Sat, 01 Jun 2024 10:00:00 GMT"),)
    result = run(document(body, head=json_ld(STRUCTURED)), headers=served)
    assert result.published is not None and result.published.value.startswith("2024-03-05")
    # without the header, a bare date under the headline is the one the page displays
    result = run(document(body, head=json_ld(STRUCTURED)))
    assert result.published is not None and result.published.value == "2024-06-01"


def test_an_ambiguous_numeric_date_is_not_read_month_first_without_evidence() -> None:
    body = f'<h1>River otters</h1><span class="post-date">03/04/2016</span>{prose()}'
    result = extract_html(document(body), url="https://example.org/otters")
    assert result.published is None
    # another date on the page that can only be day first settles the convention
    settled = body + "<p>Last year's count was published on 25/12/2015.</p>"
    result = extract_html(document(settled), url="https://example.org/otters")
    assert result.published is not None and result.published.value == "2016-04-03"
    assert "day first" in (result.published.note or "")


# --------------------------------------------------------------------------- authors


def test_comment_authors_in_microdata_are_not_article_authors() -> None:
    comments = "".join(
        f'<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
        f'<span itemprop="author">{name}</span>'
        f'<meta itemprop="datePublished" content="2025-01-0{n + 1}">'
        f'<p itemprop="text">Great story.</p></div>'
        for n, name in enumerate(["Tom Baker", "Ann Lee", "Sam Hill"])
    )
    body = (
        '<article itemscope itemtype="https://schema.org/NewsArticle">'
        "<h1 itemprop='headline'>River otters return to the valley</h1>"
        '<span itemprop="author">Jane Doe</span>'
        '<meta itemprop="datePublished" content="2024-03-05">'
        f"{prose()}{comments}</article>"
    )
    result = run(document(body))
    assert [person.name for person in result.authors] == ["Jane Doe"]
    assert result.published is not None and result.published.value == "2024-03-05"
    only_comments = body.replace('<span itemprop="author">Jane Doe</span>', "")
    assert run(document(only_comments)).authors == ()


@pytest.mark.parametrize(
    "stated",
    [
        json_ld({**STRUCTURED, "author": {"@type": "Organization", "name": "The Daily Example"}}),
        '<meta name="author" content="The Daily Example">',
    ],
)
def test_the_site_name_is_not_the_author_when_the_byline_names_a_person(stated: str) -> None:
    head = stated + '<meta property="og:site_name" content="The Daily Example">'
    body = f'<h1>River otters return to the valley</h1><p class="byline">By Jane Doe</p>{prose()}'
    result = run(document(body, head=head))
    assert [person.name for person in result.authors] == ["Jane Doe"]


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="author"><span class="author-name">Ben Silverman</span>'
        '<span class="author-title">Games Editor</span></div>',
        '<p class="byline">By Keith Barry, Senior Autos Reporter</p>',
        '<p class="byline">By Keith Barry Senior Autos Reporter</p>',
    ],
)
def test_job_titles_are_split_from_names(byline: str) -> None:
    body = f"<h1>River otters return to the valley</h1>{byline}{prose()}"
    names = [person.name for person in run(document(body)).authors]
    assert len(names) == 1
    assert names[0] in ("Ben Silverman", "Keith Barry")

"""Titles against the style manuals (issue 21): APA sentence case built from evidence
(APA 7, 6.17), headline style with every preposition lowercased (CMOS 17, 8.159; MLA 9,
1.2), checked against citeproc-js where it can see the defect, and BibTeX keys that
transliterate letters without a decomposition ("Weiß" -> "weiss")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from click.testing import CliRunner

from citeproc_runner import render
from test_cite import WITH_REPLAY, WITHOUT_REPLAY, evidence, person, titled, variant
from test_record import new_project
from warcite.cite import cite, csl_item, tex
from warcite.cite.titles import FUNCTION_WORDS, sentence_case, title_case
from warcite.cli import cli

DATA = Path(__file__).resolve().parent / "data" / "sentence_case_titles.json"
TITLES: list[dict[str, Any]] = json.loads(DATA.read_text("utf-8"))["titles"]


def _names(row: dict[str, Any]) -> list[str]:
    return [*row["authors"], *([row["published_in"]] if row["published_in"] else [])]


def test_the_list_is_real_titles_in_manual_sentence_case() -> None:
    assert len(TITLES) >= 50
    assert len({row["title"] for row in TITLES}) == len(TITLES)
    for row in TITLES:
        title, expected = row["title"], row["sentence_case"]
        assert title.lower() == expected.lower(), title
        assert title != expected, f"{title}: already in sentence case, no test"
        assert row["authors"] and 1900 < row["year"] < 2030


@pytest.mark.parametrize("row", TITLES, ids=[row["title"][:40] for row in TITLES])
def test_sentence_case_of_real_titles(row: dict[str, Any]) -> None:
    got = sentence_case(row["title"], row["text"], "en", names=_names(row))
    assert got == row["sentence_case"]


def test_every_real_title_right_and_the_count_is_reported() -> None:
    right = sum(
        sentence_case(row["title"], row["text"], "en", names=_names(row)) == row["sentence_case"]
        for row in TITLES
    )
    assert right == len(TITLES)


def test_words_the_text_never_mentions_are_lowercased() -> None:
    # the regression of issue 21: only a word the text writes in lowercase was lowercased
    text = "Researchers at Harvard followed 200 students for a year. Most slept too little."
    assert sentence_case("Why Sleep Matters More Than We Thought", text) == (
        "Why sleep matters more than we thought"
    )
    text = (
        "Farmers across the American West have fought over water for a century. "
        "West of the river, the wells are dry; the west bank floods."
    )
    title = "Who Owns the River? Water Rights in the American West: A Primer"
    assert sentence_case(title, text) == (
        "Who owns the river? Water rights in the American West: A primer"
    )


def test_named_entities_of_the_metadata_keep_their_capitals() -> None:
    text = "She boarded a plane and tweeted a joke. By the time she landed, it had spread."
    title = "How One Stupid Tweet Blew Up Justine Sacco's Life"
    assert sentence_case(title, text) == "How one stupid tweet blew up justine sacco's life"
    assert sentence_case(title, text, names=["Justine Sacco"]) == (
        "How one stupid tweet blew up Justine Sacco's life"
    )
    # the site's name as a named entity: "Bloomberg", and the family name alone
    assert sentence_case(
        "What Bloomberg Readers Ask Gawande", text, names=["Bloomberg", "Atul Gawande", "Gawande"]
    ) == ("What Bloomberg readers ask Gawande")


def test_headings_and_quotations_of_the_title_are_no_evidence() -> None:
    # the text repeats the title as a heading and quotes it: neither is capitalisation
    # inside a sentence
    text = (
        "The Secret Life of Passwords\n\n"
        'In "The Secret Life of Passwords," I asked readers about their passwords. '
        "Many readers wrote back.\n\nThe Life We Lead Online\n\nPasswords are secret."
    )
    assert sentence_case("The Secret Life of Passwords", text) == "The secret life of passwords"


def test_a_record_stores_the_evidence_based_sentence_case(tmp_path: Path) -> None:
    record = variant(
        title=titled("Why Sleep Matters More Than We Thought", None),
        authors=[person("Walker", "Matthew")],
    )
    text = "Matthew Walker studied sleep at Berkeley for twenty years."
    apa = cite(record, "apa", config=WITHOUT_REPLAY, text=text)
    assert "(2016, August 29). Why sleep matters more than we thought. OpEdNews." in apa
    item = csl_item(record, config=WITHOUT_REPLAY)
    # without the text, nothing can be weighed: closed-class words only
    assert item["title"] == "Why Sleep Matters more than we Thought"
    bib = bibtexparser.parse_string(cite(record, "biblatex", config=WITHOUT_REPLAY, text=text))
    assert bib.entries[0]["title"] == "Why Sleep Matters More Than We Thought"


# ------------------------------------------------------------------ headline style

LONG_PREPOSITIONS = ("About", "Between", "Through", "Among", "After", "Before", "During", "Without")


def test_headline_style_lowercases_every_preposition() -> None:
    title = "Notes About Sleep Between Shifts Through the Winter"
    assert title_case(title, "en") == "Notes about Sleep between Shifts through the Winter"
    title = "Life Among the Ruins After the Flood, Before the Storm, During the War Without Power"
    assert title_case(title, "en") == (
        "Life among the Ruins after the Flood, before the Storm, during the War without Power"
    )
    # a subordinating conjunction is capitalised (CMOS 8.159: "After We Left")
    assert title_case("Life After We Left the River", "en") == "Life After We Left the River"
    # first and last words, and the first word of a subtitle, keep their capital
    assert title_case("About Time: Between Us", "en") == "About Time: Between Us"
    assert title_case("What It Is All About", "en") == "What It Is All About"


def test_headline_style_capitalises_the_particle_of_a_phrasal_verb() -> None:
    """CMOS 17, 8.159: a preposition used adverbially is capitalised ("Look Up", "Turn
    Down"); the same word as a preposition stays lowercase."""
    cases = {
        "Why North Korean elites give up on their country": (
            "Why North Korean Elites Give Up on Their Country"
        ),
        "Regulators crack down on crypto": "Regulators Crack Down on Crypto",
        "The minister stepped down after the scandal": "The Minister Stepped Down after the Scandal",
        "City shuts down schools as storm nears": "City Shuts Down Schools as Storm Nears",
        "How to sign up for benefits": "How to Sign Up for Benefits",
        "Government rolling out a plan to take over the port": (
            "Government Rolling Out a Plan to Take Over the Port"
        ),
        # a preposition, not a particle: lowercase
        "A walk up the hill": "A Walk up the Hill",
        "Set in stone": "Set in Stone",
        "Fighting over water in the valley": "Fighting over Water in the Valley",
        # a particle after punctuation belongs to no verb before it
        "Then, up the river": "Then, up the River",
    }
    for title, expected in cases.items():
        assert title_case(title, "en") == expected, title


def _rendered_title(style: str, text: str) -> str:
    match = re.search(r"[\"“]([^\"”]+?)[.,]?[\"”]", text)
    assert match is not None, text
    return match.group(1)


def test_headline_style_equals_citeproc_js() -> None:
    """MLA and Chicago titles as warcite prints them and as citeproc-js title-cases the
    CSL-JSON item's sentence-case title with the official styles."""
    titles = [
        "Notes About Sleep Between Shifts Through the Winter",
        "Life Among the Ruins After the Flood",
        "Before the Storm: Water During the Drought",
        "A Summer Without Rain",
    ]
    jobs, ours = [], []
    for index, title in enumerate(titles):
        record = variant(
            title=titled(
                title, title[0] + title[1:].lower().replace(": b", ": B").replace(": w", ": W")
            )
        )
        item = dict(csl_item(record, config=WITH_REPLAY), id=f"t{index}")
        for style in ("mla", "chicago-bib", "chicago-note"):
            jobs.append((style, item))
            ours.append(cite(record, style, config=WITH_REPLAY))
    results = render(jobs)
    for (style, _), result, mine in zip(jobs, results, ours, strict=True):
        theirs = result["note"] if style == "chicago-note" else result["bibliography"]
        assert _rendered_title(style, mine) == _rendered_title(style, theirs), style
    for word in LONG_PREPOSITIONS[:3]:
        assert word not in ours[0]


# ------------------------------------------------------------------ BibTeX keys


def test_bibtex_keys_transliterate_letters_without_a_decomposition() -> None:
    record = variant(
        title=titled("Die Wölfe kehren zurück", None),
        authors=[person("Weiß", "Anna")],
        language=evidence("de", "html:lang"),
        published=evidence("2021-03-04"),
    )
    for style in ("bibtex", "biblatex"):
        entry = bibtexparser.parse_string(cite(record, style, config=WITHOUT_REPLAY)).entries[0]
        assert entry.key == "weiss2021die"
    assert tex.ascii_word("Ødegård") == "odegard"
    assert tex.ascii_word("Łukasiewicz") == "lukasiewicz"
    assert tex.ascii_word("Þórsdóttir") == "thorsdottir"
    assert tex.ascii_word("Müller") == "muller"  # marks dropped, as before
    assert "i" not in FUNCTION_WORDS


def test_the_stored_sentence_case_reaches_citeproc_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From archived HTML to citeproc-js: the record stores the evidence-based sentence
    case, the CSL-JSON title carries it, and the official APA style prints it as given."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "Why Sleep Matters More Than We Thought in the American West",
        "author": {"@type": "Person", "name": "Ann Ruiz"},
        "datePublished": "2024-05-02",
    }
    body = "".join(
        f"<p>Researchers across the American West followed {n} hundred shift workers for a "
        "year, and most of them slept far less than they thought they did.</p>"
        for n in range(2, 7)
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Why Sleep Matters'
        f'</title><script type="application/ld+json">{json.dumps(data)}</script></head><body>'
        f"<article><h1>{data['headline']}</h1><p>By Ann Ruiz</p>{body}</article></body></html>"
    )
    project = new_project(tmp_path / "project")
    source = tmp_path / "page.html"
    source.write_text(page, encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(
        cli, ["archive", str(source), "--url", "https://sleep.example/why-sleep-matters"]
    )
    assert result.exit_code == 0, result.output
    (path,) = (project / "records").glob("*.json")
    record = json.loads(path.read_text("utf-8"))
    expected = "Why sleep matters more than we thought in the American West"
    assert record["work"]["title"]["sentence_case"] == expected
    item = dict(csl_item(record, config=WITHOUT_REPLAY), id="sleep")
    assert item["title"] == expected
    (rendered,) = render([("apa", item)])
    assert f"*{expected}*" in rendered["bibliography"]


def test_a_title_set_in_capitals() -> None:
    text = "The agency NASA has worked across the American West for decades. We slept."
    assert sentence_case("WHY NASA STILL MATTERS TO THE AMERICAN WEST: A PRIMER", text) == (
        "Why NASA still matters to the American West: A primer"
    )
    assert sentence_case("DON'T STOP: SELF-DRIVING CARS", "Cars.", "en") == (
        "Don't stop: Self-driving cars"
    )
    # without the text, nothing tells an acronym from a word: the title stays as it is
    assert sentence_case("WHY SLEEP MATTERS") == "WHY SLEEP MATTERS"

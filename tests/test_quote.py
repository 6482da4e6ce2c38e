"""Quote search: every match (repeated and overlapping), tolerant matching, Web Annotation
selectors, Text Fragment links, APA pinpoints, and "not found" with the closest passage.

Rule sources: W3C Web Annotation Data Model (2017) 4.2.4 TextQuoteSelector (exact,
prefix, suffix) and 4.2.5 TextPositionSelector (start, end; Unicode code points, end
exclusive); WICG "URL Fragment Text Directives" (Text Fragments) 3.3: syntax
``#:~:text=[prefix-,]textStart[,textEnd][,-suffix]``, with ``-``, ``,`` and ``&`` in the
terms percent-encoded; APA 7, 8.28: "para." pinpoints for works without page numbers.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warcite.cite.fragments import find_range, parse_directive, render_lines
from warcite.cite.quote import (
    CONTEXT_LENGTH,
    POSITION_UNIT,
    closest_passage,
    find_quotes,
    render_quotes,
    text_fragment_url,
)
from warcite.core.config import Config
from warcite.core.errors import CitationError, RecordError

DATA = Path(__file__).resolve().parent / "data"
CONFIG = Config(archive_name="warcite")
URL = (
    "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-Asylum_"
    "Defection_Diplomats_Elitism-160829-249.html"
)


def reference() -> tuple[dict[str, Any], str]:
    record = json.loads((DATA / "cite_reference.json").read_text("utf-8"))
    text = (DATA / "cite_reference.txt").read_text("utf-8")
    return record, text


def with_text(paragraphs: list[str], **work: Any) -> tuple[dict[str, Any], str]:
    """The reference record holding another clean text (digest and kinds updated)."""
    record, _ = reference()
    text = "\n\n".join(paragraphs) + "\n"
    record["text"].update(
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        paragraphs=len(paragraphs),
        paragraph_kinds=["paragraph"] * len(paragraphs),
        characters=len(text),
    )
    record["work"].update(work)
    return record, text


def test_reign_of_terror_is_in_paragraphs_6_and_9() -> None:
    record, text = reference()
    matches = find_quotes(record, text, "reign of terror", config=CONFIG)
    assert [match.paragraph for match in matches] == [6, 9]
    assert [match.citation for match in matches] == [
        "(Hyeon, 2016, para. 6)",
        "(Hyeon, 2016, para. 9)",
    ]
    for match in matches:
        assert match.exact == "reign of terror"
        assert text[match.start : match.end] == match.exact
        assert match.prefix == text[match.start - CONTEXT_LENGTH : match.start]
        assert match.suffix == text[match.end : match.end + CONTEXT_LENGTH]
        assert len(match.prefix) == len(match.suffix) == CONTEXT_LENGTH
    first = matches[0]
    assert first.prefix.endswith("Kim Jong-Un's ")
    # the first occurrence needs no context; the second one is told apart by the word after
    # it (each link is verified with the Text Fragments algorithm: tests/test_quote_fragments.py)
    assert first.text_fragment_url == f"{URL}#:~:text=reign%20of%20terror"
    assert matches[1].text_fragment_url == f"{URL}#:~:text=reign%20of%20terror,-through"


def test_json_output_is_a_web_annotation_target() -> None:
    record, text = reference()
    matches = find_quotes(record, text, "reign of terror", config=CONFIG)
    data = json.loads(render_quotes(matches, "json"))
    assert len(data) == 2
    first = data[0]
    assert first["paragraph"] == 6
    assert first["position_unit"] == POSITION_UNIT == "Unicode code points"
    assert first["target"]["source"] == "records/opednews-160829-249.txt"
    quote, position = first["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "reign of terror",
        "prefix": matches[0].prefix,
        "suffix": matches[0].suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": 2891, "end": 2906}
    assert first["citation"] == "(Hyeon, 2016, para. 6)"


def test_text_output_lists_every_match() -> None:
    record, text = reference()
    output = render_quotes(find_quotes(record, text, "reign of terror", config=CONFIG), "text")
    assert "Match 1 of 2: paragraph 6" in output
    assert "Match 2 of 2: paragraph 9" in output
    assert "Kim Jong-Un's [reign of terror]. His" in output
    assert "(Hyeon, 2016, para. 9)" in output


def test_curly_quotes_dashes_and_whitespace_in_the_query() -> None:
    record, text = reference()
    (match,) = find_quotes(
        record, text, "\u2018sick and tired of the Kim Jong\u2013Un   regime", config=CONFIG
    )
    assert match.exact == "'sick and tired of the Kim Jong-Un regime"
    assert match.paragraph == 4
    (workers,) = find_quotes(record, text, "ruling Workers\u2019 Party", config=CONFIG)
    assert workers.exact == "ruling Workers' Party"


def test_curly_quotes_in_the_text() -> None:
    record, text = with_text(["He said \u201cnever again\u201d \u2014 twice.", "It\u2019s   over."])
    (match,) = find_quotes(record, text, 'said "never again" - twice', config=CONFIG)
    assert match.exact == "said \u201cnever again\u201d \u2014 twice"
    (second,) = find_quotes(record, text, "It's over", config=CONFIG)
    assert second.exact == "It\u2019s   over" and second.paragraph == 2


def test_overlapping_and_repeated_matches() -> None:
    record, text = with_text(["abababa", "xx abab"])
    matches = find_quotes(record, text, "aba", config=CONFIG)
    assert [(m.start, m.paragraph) for m in matches] == [(0, 1), (2, 1), (4, 1), (12, 2)]
    assert all(text[m.start : m.end] == "aba" for m in matches)


def test_ignore_case() -> None:
    record, text = reference()
    with pytest.raises(CitationError, match="try --ignore-case"):
        find_quotes(record, text, "REIGN OF TERROR", config=CONFIG)
    matches = find_quotes(record, text, "REIGN OF TERROR", config=CONFIG, ignore_case=True)
    assert [m.exact for m in matches] == ["reign of terror", "reign of terror"]


def test_not_found_shows_the_closest_passage() -> None:
    record, text = reference()
    with pytest.raises(CitationError) as caught:
        find_quotes(record, text, "the upper class has a growing fear", config=CONFIG)
    message = str(caught.value)
    assert "is not in the text of record opednews-160829-249" in message
    assert "Closest passage, paragraph 6" in message
    assert '"the upper class has an increasing fear' in message


def test_closest_passage_positions() -> None:
    text = "alpha beta gamma\n\ndelta epsilon zeta"
    start, end, ratio = closest_passage(text, "delta epsilom") or (0, 0, 0.0)
    assert text[start:end] == "delta epsilon"
    assert 0.8 < ratio < 1
    assert closest_passage("", "x") is None


def test_quote_across_paragraphs_gets_a_range_pinpoint() -> None:
    record, text = reference()
    (match,) = find_quotes(
        record, text, "is being diluted. One of the important features", config=CONFIG
    )
    assert (match.paragraph, match.paragraph_end) == (6, 7)
    assert match.citation == "(Hyeon, 2016, paras. 6\u20137)"
    assert match.exact == "is being diluted.\n\nOne of the important features"


def test_pinpoint_without_author_or_date() -> None:
    record, text = with_text(["Some words here."], authors=[], published=None)
    (match,) = find_quotes(record, text, "words", config=CONFIG)
    assert match.citation == "(Why North Korean Elites, n.d., para. 1)"


def test_empty_phrase_and_changed_text() -> None:
    record, text = reference()
    with pytest.raises(CitationError, match="empty"):
        find_quotes(record, text, "  \u200b ", config=CONFIG)
    with pytest.raises(RecordError, match="does not match the record's sha256"):
        find_quotes(record, text.replace("terror", "Terror", 1), "reign", config=CONFIG)


def test_text_fragment_encoding() -> None:
    url = "https://example.org/a?b=c#top"
    link = text_fragment_url(url, "war-torn, poor & proud")
    assert link == "https://example.org/a?b=c#top:~:text=war%2Dtorn%2C%20poor%20%26%20proud"
    ranged = text_fragment_url("https://example.org/", "w0 w1", end="w18 w19")
    assert ranged == "https://example.org/#:~:text=w0%20w1,w18%20w19"
    context = text_fragment_url("https://example.org/", "x", prefix="a-b", suffix="c,d")
    assert context == "https://example.org/#:~:text=a%2Db-,x,-c%2Cd"


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(
        st.text(alphabet="ab \u2019'-\u2014c", min_size=1, max_size=30).map(
            lambda s: " ".join(s.split()) or "a"
        ),
        min_size=1,
        max_size=4,
    ),
    data=st.data(),
)
def test_every_exact_substring_is_found_where_it_is(paragraphs: list[str], data: Any) -> None:
    record, text = with_text(paragraphs)
    body = text[:-1]
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    phrase = body[start:end]
    if not phrase.strip():
        return
    matches = find_quotes(record, text, phrase, config=CONFIG)
    page = render_lines(text)
    for match in matches:
        assert text[match.start : match.end] == match.exact
        if match.text_fragment_url is None:
            assert match.fragment_problem
            continue
        directive = parse_directive(match.text_fragment_url)
        assert directive is not None
        # the link selects exactly this match on the text it was checked against
        span = find_range(page, directive)
        assert span is not None
        assert " ".join(page.text[span[0] : span[1]].split()) == " ".join(match.exact.split())
        # a raw "-" only marks the prefix and suffix: every "-" in a term is encoded
        terms = match.text_fragment_url.split(":~:text=")[1].split(",")
        assert all("-" not in unquote(t).strip("-") or "%2D" in t for t in terms)
    stripped_start = start + (len(phrase) - len(phrase.lstrip()))
    assert any(match.start == stripped_start for match in matches)

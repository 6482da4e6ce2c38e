"""Dates: each format, M/D vs D/M ambiguity and how it is recorded, invalid dates, URL tokens."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warcite.extract.dates import find_dates, locale_day_first, parse_date, url_dates


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2016-08-29", "2016-08-29"),
        ("2016/08/29", "2016-08-29"),
        ("20160829", "2016-08-29"),
        ("August 29, 2016", "2016-08-29"),
        ("Aug. 29, 2016", "2016-08-29"),
        ("Aug 29 2016", "2016-08-29"),
        ("Monday, August 29th, 2016", "2016-08-29"),
        ("29 Aug 2016", "2016-08-29"),
        ("29th of August, 2016", "2016-08-29"),
        ("29. August 2016", "2016-08-29"),
        ("le 29 août 2016", "2016-08-29"),
        ("2016 Aug 29", "2016-08-29"),
        ("Sept. 5, 2016", "2016-09-05"),
    ],
)
def test_date_formats(text: str, value: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2016-08-29T10:00:00+02:00", "2016-08-29T10:00:00+02:00"),
        ("2016-08-29T10:00:00Z", "2016-08-29T10:00:00Z"),
        ("2016-08-29T10:00:00.123-0400", "2016-08-29T10:00:00-04:00"),
        ("Mon, 29 Aug 2016 10:00:00 GMT", "2016-08-29T10:00:00+00:00"),
        ("August 29, 2016 at 10:30 pm EDT", "2016-08-29T22:30:00-04:00"),
        ("August 29, 2016 12:05 a.m. UTC", "2016-08-29T00:05:00+00:00"),
    ],
)
def test_time_with_zone_is_kept(text: str, value: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == value


def test_time_without_zone_keeps_the_date_and_says_so() -> None:
    parsed = parse_date("2016-08-29 10:00")
    assert parsed is not None
    assert parsed.value == "2016-08-29"
    assert parsed.note is not None and "without a time zone" in parsed.note


def test_us_numeric_date_settled_by_a_day_above_twelve() -> None:
    parsed = parse_date("8/29/16")
    assert parsed is not None
    assert parsed.value == "2016-08-29"
    assert parsed.note == "read month-first: 29 cannot be a month"
    european = parse_date("29/08/2016", day_first=False)
    assert european is not None and european.value == "2016-08-29"
    assert european.note == "read day-first: 29 cannot be a month"


def test_ambiguous_numeric_date_follows_the_locale_and_records_it() -> None:
    us = parse_date("3/4/16")
    assert us is not None and us.value == "2016-03-04"
    assert us.note is not None and "month-first" in us.note and "no locale evidence" in us.note
    assert not us.resolved  # a guess: metadata never takes it for a page's date
    uk = parse_date("3/4/16", day_first=True)
    assert uk is not None and uk.value == "2016-04-03"
    assert uk.note is not None and "day-first" in uk.note
    dotted = parse_date("03.04.2016")
    assert dotted is not None and dotted.value == "2016-04-03"
    same = parse_date("4/4/16")
    assert same is not None and same.value == "2016-04-04" and same.note is None


@pytest.mark.parametrize(
    "text", ["2/30/16", "2016-13-01", "February 30, 2016", "31/31/2016", "1850-01-01", "", "soon"]
)
def test_invalid_dates_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_two_digit_years() -> None:
    assert parse_date("8/29/16").value == "2016-08-29"  # type: ignore[union-attr]
    assert parse_date("8/29/98").value == "1998-08-29"  # type: ignore[union-attr]


def test_find_dates_in_a_line() -> None:
    found = find_dates("OpEdNews Op Eds   H3'ed 8/29/16")
    assert [(d.value, d.raw) for d in found] == [("2016-08-29", "8/29/16")]
    found = find_dates("Published 2016-08-29, updated Sep 1, 2016")
    assert [d.value for d in found] == ["2016-08-29", "2016-09-01"]
    assert find_dates("Version 3.2.1 of 12 files") == []


def test_url_date_tokens() -> None:
    assert [d.value for d in url_dates("https://x.org/2016/08/29/story/")] == ["2016-08-29"]
    assert [d.value for d in url_dates("https://x.org/news/20160829/story")] == ["2016-08-29"]
    assert [d.value for d in url_dates("https://x.org/a/story-2016-08-29.html")] == ["2016-08-29"]
    yymmdd = url_dates("https://www.opednews.com/articles/Title-by-Name-160829-249.html")
    assert [(d.value, d.raw) for d in yymmdd] == [("2016-08-29", "160829")]
    assert yymmdd[0].note is not None and "YYMMDD" in yymmdd[0].note
    # not real dates, or not dates at all
    assert url_dates("https://x.org/a/item-161399-2.html") == []
    assert url_dates("https://x.org/2016/02/30/story") == []
    assert url_dates("https://x.org/products/123456") == []
    assert url_dates(None) == []


def test_locale_day_first() -> None:
    assert locale_day_first("en-US")[0] is False
    assert locale_day_first("en-GB")[0] is True
    assert locale_day_first("en_AU")[0] is True
    assert locale_day_first("de")[0] is True
    assert locale_day_first("en")[0] is None
    assert locale_day_first("en", "https://www.example.co.uk/a")[0] is True
    assert locale_day_first(None, "https://example.com/a")[0] is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_date_functions_never_crash(text: str) -> None:
    parsed = parse_date(text)
    if parsed is not None:
        assert parsed.value[:4].isdigit()
    for found in find_dates(text, day_first=True):
        assert len(found.value) >= 10
    url_dates("https://example.org/" + text)


def test_version_numbers_are_not_dates() -> None:
    assert find_dates("Release 1.2.16 is out") == []
    assert find_dates("They won 3-4-16 in the final") == []
    assert [d.value for d in find_dates("am 29.08.2016 erschienen")] == ["2016-08-29"]

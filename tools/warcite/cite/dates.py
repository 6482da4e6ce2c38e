"""Dates as each style prints them."""

from __future__ import annotations

from warcite.cite.source import PartialDate

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# MLA Handbook, 9th ed., appendix 1: months longer than four letters are abbreviated.
MLA_MONTHS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def apa_date(date: PartialDate | None) -> str:
    """APA 7 (9.14): "2016, August 29", "2016, August", "2016", or "n.d." without a date."""
    if date is None:
        return "n.d."
    if date.month is None:
        return str(date.year)
    text = f"{date.year}, {MONTHS[date.month - 1]}"
    return text if date.day is None else f"{text} {date.day}"


def mla_date(date: PartialDate) -> str:
    """MLA 9: "29 Aug. 2016", "Aug. 2016", "2016"."""
    if date.month is None:
        return str(date.year)
    text = f"{MLA_MONTHS[date.month - 1]} {date.year}"
    return text if date.day is None else f"{date.day} {text}"


def chicago_date(date: PartialDate) -> str:
    """Chicago 17: "August 29, 2016", "August 2016", "2016"."""
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def month_and_day(date: PartialDate) -> str | None:
    """Chicago 17 author-date, the date repeated after the year: "August 29", "August", or
    None for a year alone (15.47, 15.51)."""
    if date.month is None:
        return None
    month = MONTHS[date.month - 1]
    return f"{month} {date.day}" if date.day is not None else month


def ris_date(date: PartialDate) -> str:
    """RIS DA/Y2: "2016/08/29/", "2016/08//", "2016///" (year/month/day/other)."""
    month = f"{date.month:02d}" if date.month is not None else ""
    day = f"{date.day:02d}" if date.day is not None else ""
    return f"{date.year:04d}/{month}/{day}/"


__all__ = ["apa_date", "chicago_date", "mla_date", "month_and_day", "ris_date"]

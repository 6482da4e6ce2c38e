"""Dates as pages write them -> ISO 8601, with a note whenever reading them took a decision.

``parse_date`` reads one date string (a meta tag's value, a ``<time datetime>``, a
visible date); ``find_dates`` finds every date inside a longer text (a dateline, a byline);
``url_dates`` reads date tokens from a URL.  Each result is a :class:`ParsedDate` whose
``value`` is ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM[:SS]±HH:MM`` when a time *and* a zone
were given (a time without a zone is not a point in time: the date alone is kept and the
``note`` says so).

Numeric dates such as ``8/29/16`` are read month first or day first: a number above 12
settles it; otherwise the page's locale decides (``day_first``), and the note records which
evidence was used.  Every date is validated as a real calendar date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from warcite.extract import patterns

#: Dates before this year are not publication dates of web pages (and guard against
#: reading arbitrary numbers as dates).
EARLIEST_YEAR = 1900
EARLIEST_WEB_YEAR = 1991


@dataclass(frozen=True)
class ParsedDate:
    """A date read from text: the ISO value, the text as found, and how it was read."""

    value: str
    raw: str
    note: str | None = None
    alternative: str | None = None  # the other reading of an ambiguous numeric date
    #: False for an ambiguous numeric date that nothing settles: ``value`` is only a guess
    #: (month first), which metadata never takes for a page's date
    resolved: bool = True

    @property
    def day(self) -> str:
        """The calendar day, ``YYYY-MM-DD``."""
        return self.value[:10]


def _latest_year() -> int:
    return datetime.now(timezone.utc).year + 1


def _valid(year: int, month: int, day: int, *, earliest: int = EARLIEST_YEAR) -> date | None:
    if not earliest <= year <= _latest_year():
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year_text: str) -> int:
    """A two-digit year is read in the window that ends next year (16 -> 2016, 98 -> 1998)."""
    year = int(year_text)
    if len(year_text) == 2:
        century = 2000 if 2000 + year <= _latest_year() else 1900
        return century + year
    return year


def _zone_offset(zone: str | None) -> str | None:
    if not zone:
        return None
    text = zone.strip().lower().replace(" ", "")
    if text in patterns.ZONES:
        return patterns.ZONES[text]
    match = re.fullmatch(r"(?:utc|gmt)?([+-])(\d{1,2}):?(\d\d)?", text)
    if match:
        sign, hours, minutes = match.groups()
        return f"{sign}{int(hours):02d}:{minutes or '00'}"
    return None


def _with_time(day: date, match: re.Match[str], raw: str, note: str | None) -> ParsedDate:
    groups = match.groupdict()
    hour_text = groups.get("hour")
    if hour_text is None or groups.get("minute") is None:
        return ParsedDate(day.isoformat(), raw, note)
    hour, minute = int(hour_text), int(groups["minute"])
    second = int(groups["second"]) if groups.get("second") else None
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return ParsedDate(day.isoformat(), raw, note)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23:
        return ParsedDate(day.isoformat(), raw, note)
    offset = _zone_offset(groups.get("zone"))
    if offset is None:
        extra = "a time was given without a time zone; only the date is kept"
        return ParsedDate(day.isoformat(), raw, f"{note}; {extra}" if note else extra)
    clock = f"{hour:02d}:{minute:02d}:{second or 0:02d}"
    zone = "Z" if offset == "+00:00" and (groups.get("zone") or "").upper() == "Z" else offset
    return ParsedDate(f"{day.isoformat()}T{clock}{zone}", raw, note)


def _numeric(
    first: int, second: int, year: int, *, separator: str, day_first: bool | None, raw: str
) -> ParsedDate | None:
    """Read ``first/second/year``; decide month/day order and say how."""
    options = []
    if _valid(year, first, second):
        options.append(("month-first", date(year, first, second)))
    if _valid(year, second, first):
        options.append(("day-first", date(year, second, first)))
    if not options:
        return None
    if len(options) == 1 or options[0][1] == options[1][1]:
        order, day = options[0]
        if first == second:
            return ParsedDate(day.isoformat(), raw, None)
        bigger = second if order == "month-first" else first
        return ParsedDate(day.isoformat(), raw, f"read {order}: {bigger} cannot be a month")
    if day_first is None:
        if separator == ".":
            order, reason = "day-first", "dotted numeric dates are written day first"
        else:
            order, reason = "month-first", "no locale evidence; unresolved, month first is a guess"
    else:
        order = "day-first" if day_first else "month-first"
        reason = "the page's locale writes " + ("day first" if day_first else "month first")
    readings = dict(options)
    other = "month-first" if order == "day-first" else "day-first"
    return ParsedDate(
        readings[order].isoformat(),
        raw,
        f"ambiguous {raw!r} read {order}: {reason}",
        readings[other].isoformat(),
        resolved=day_first is not None or separator == ".",
    )


def numeric_convention(text: str) -> tuple[bool | None, str]:
    """Whether the numeric dates in ``text`` are written day first, from those that settle it.

    A date whose first number is above 12 is day first, whose second is, month first; when
    all that settle it agree, that is the page's convention (None when none or they differ).
    """
    orders: set[bool] = set()
    for match in patterns.NUMERIC_DATE.finditer(text):
        if match["sep"] == ".":
            continue
        first, second = int(match["first"]), int(match["second"])
        if first > 12 >= second >= 1:
            orders.add(True)
        elif second > 12 >= first >= 1:
            orders.add(False)
    if len(orders) == 1:
        day_first = orders.pop()
        return day_first, "other numeric dates on the page are written " + (
            "day first" if day_first else "month first"
        )
    return None, "no locale evidence"


def prefer_reading(
    parsed: ParsedDate,
    known_days: set[str] | frozenset[str],
    *,
    where: str = "unambiguously elsewhere",
) -> ParsedDate:
    """Resolve an ambiguous numeric date by other dates on the page.

    When only the *other* reading of ``parsed`` is a day the page gives elsewhere
    unambiguously (an ISO date in a ``<time>``, a date folder in its URL), that reading is
    taken and the note says why (``where`` says where the page gives it).
    """
    if parsed.alternative is None:
        return parsed
    if not parsed.resolved and parsed.value[:10] in known_days:
        if parsed.alternative in known_days:
            return parsed
        order = "month-first" if "month-first" in (parsed.note or "") else "day-first"
        return ParsedDate(
            parsed.value,
            parsed.raw,
            f"ambiguous {parsed.raw!r} read {order}: the page gives {parsed.value[:10]} {where}",
            parsed.alternative,
        )
    if parsed.alternative in known_days and parsed.value[:10] not in known_days:
        order = "day-first" if "month-first" in (parsed.note or "") else "month-first"
        return ParsedDate(
            parsed.alternative,
            parsed.raw,
            f"ambiguous {parsed.raw!r} read {order}: the page gives {parsed.alternative} {where}",
            parsed.value,
        )
    return parsed


def parse_date(text: str, *, day_first: bool | None = None) -> ParsedDate | None:
    """Parse one date string, or return None when it holds no recognisable, valid date.

    ``day_first`` is the page locale's convention for numeric dates (None: unknown).
    """
    raw = " ".join(text.split())
    if not raw or len(raw) > 200:
        return None
    compact = patterns.COMPACT_DATE.match(raw)
    if compact:
        day = _valid(int(compact["year"]), int(compact["month"]), int(compact["day"]))
        if day:
            iso = _parse_iso_datetime(raw)
            return iso or ParsedDate(day.isoformat(), raw)
    found = find_dates(raw, day_first=day_first)
    if found:
        return found[0]
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or not _valid(moment.year, moment.month, moment.day):
        return None
    if moment.tzinfo is None:
        return ParsedDate(moment.date().isoformat(), raw, "no time zone; only the date is kept")
    return ParsedDate(moment.isoformat(), raw)


def _parse_iso_datetime(raw: str) -> ParsedDate | None:
    text = raw.replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return ParsedDate(moment.isoformat(), raw)


def find_dates(text: str, *, day_first: bool | None = None) -> list[ParsedDate]:
    """Every valid date written in ``text``, in order of appearance.

    ``raw`` of each result is the matched text.  Overlapping matches are resolved in favour
    of the earliest, longest one (so "2016-08-29" is not also read as a numeric date).
    """
    spans: list[tuple[int, int, ParsedDate]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < other_end and other_start < end for other_start, other_end, _ in spans)

    for match in patterns.ISO_DATE.finditer(text):
        day = _valid(int(match["year"]), int(match["month"]), int(match["day"]))
        if day and not overlaps(*match.span()):
            raw = match.group(0).strip()
            spans.append((*match.span(), _with_time(day, match, raw, None)))
    for regex in (patterns.MONTH_DAY_YEAR, patterns.DAY_MONTH_YEAR, patterns.YEAR_MONTH_DAY):
        for match in regex.finditer(text):
            month = patterns.MONTHS.get(match["month"].lower().rstrip("."))
            if month is None or overlaps(*match.span()):
                continue
            day = _valid(int(match["year"]), month, int(match["day"]))
            if day:
                raw = match.group(0).strip(" ,")
                spans.append((*match.span(), _with_time(day, match, raw, None)))
    for match in patterns.NUMERIC_DATE.finditer(text):
        if overlaps(*match.span()):
            continue
        if match["sep"] != "/" and len(match["year"]) == 2:
            continue  # 1.2.16 or 3-4-16 is a version or a score more often than a date
        year = _full_year(match["year"])
        parsed = _numeric(
            int(match["first"]),
            int(match["second"]),
            year,
            separator=match["sep"],
            day_first=day_first,
            raw=match.group(0),
        )
        if parsed:
            spans.append((*match.span(), parsed))
    spans.sort(key=lambda item: item[0])
    return [parsed for _, _, parsed in spans]


def url_dates(url: str | None) -> list[ParsedDate]:
    """Date tokens in a URL's path, strongest form first, each validated as a real date.

    ``/2016/08/29/``, ``/20160829/`` or ``-2016-08-29-`` are read as they are; a six-digit
    ``-160829-`` token is read as YYMMDD (weak evidence: the note says so).
    """
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    path = parts.path
    found: list[ParsedDate] = []
    seen: set[str] = set()

    def add(year: int, month: int, day_number: int, raw: str, note: str) -> None:
        day = _valid(year, month, day_number, earliest=EARLIEST_WEB_YEAR)
        if day and day.isoformat() not in seen:
            seen.add(day.isoformat())
            found.append(ParsedDate(day.isoformat(), raw, note))

    for match in patterns.URL_DATE_SLASHED.finditer(path):
        add(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            match.group(0).strip("/"),
            "date folders in the URL path",
        )
    for regex in (patterns.URL_DATE_DASHED, patterns.URL_DATE_COMPACT):
        for match in regex.finditer(path):
            add(
                int(match["year"]),
                int(match["month"]),
                int(match["day"]),
                match.group(0),
                "date token in the URL (YYYYMMDD)",
            )
    if not found:
        for match in patterns.URL_DATE_YYMMDD.finditer(path):
            year = 2000 + int(match["year"])
            add(
                year,
                int(match["month"]),
                int(match["day"]),
                match.group(0),
                f"six-digit URL token {match.group(0)} read as YYMMDD; weak evidence",
            )
    return found


def locale_day_first(language: str | None, url: str | None = None) -> tuple[bool | None, str]:
    """Whether a page writes numeric dates day first, and the evidence for it.

    A BCP 47 tag with a region decides (en-US: month first; en-GB: day first); a language
    without region: English -> unknown unless the URL's country domain tells, any other
    language -> day first (nearly every other locale writes day first).
    """
    tag = (language or "").replace("_", "-").lower()
    parts = tag.split("-")
    if len(parts) >= 2 and len(parts[1]) == 2:
        region = parts[1]
        return region not in patterns.MONTH_FIRST_REGIONS, f"language tag {language}"
    host = urlsplit(url).hostname if url else None
    tld = host.rsplit(".", 1)[-1].lower() if host and "." in host else None
    if parts[0] == "en" or not parts[0]:
        if tld and len(tld) == 2 and tld not in patterns.MONTH_FIRST_TLDS:
            return True, f"country domain .{tld}"
        return None, "no locale evidence"
    return True, f"language {parts[0]}"


__all__ = [
    "ParsedDate",
    "find_dates",
    "locale_day_first",
    "numeric_convention",
    "parse_date",
    "prefer_reading",
    "url_dates",
]

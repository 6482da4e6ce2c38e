"""The shared parts of metadata reading: the :class:`Metadata` value, text keys and the
:class:`Candidates` that collect evidence per field in precedence order."""

from __future__ import annotations

import html as html_module
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from warcite.core.decode import header_values
from warcite.core.models import Evidence, Field, Headers, Person
from warcite.extract import dates, names

#: Co-authors' names in one byline are at most this many elements apart.
CO_AUTHOR_DISTANCE = 30


#: A byline container (several author links) holds at most this much text.
BYLINE_MAX_CHARS = 200


#: Bylines are looked for first this many elements after the headline, then before it.
BYLINE_WINDOW_AFTER = 400


BYLINE_WINDOW_BEFORE = 150


#: Sources of author names read from links to author pages in a visible byline
AUTHOR_LINK_SOURCES = frozenset({"rel-author", "html:author-link"})


#: How far after the ``<h1>`` (in elements) a byline is looked for beside the displayed date
DATED_BYLINE_WINDOW = 80


#: Longest text of an element read as a byline written beside (or as a cell with) a date
DATED_BYLINE_MAX_CHARS = 100


#: A bare date at most this many text nodes after the headline is the displayed date.
DISPLAYED_DATE_OFFSET = 4


#: How much of the page's text is looked through for its numeric date convention.
NUMERIC_CONVENTION_MAX_CHARS = 200_000


#: How many ancestors of a printed date are looked at for what kind of date it is.
DATE_CONTEXT_DEPTH = 4


#: At most this many keywords are kept.
MAX_KEYWORDS = 50


#: JSON-LD is read to this nesting depth (deeper data is not metadata anyone writes).
JSON_LD_MAX_DEPTH = 12


#: A publication date this many days after the last modification is not believed.
PUBLISHED_AFTER_MODIFIED_DAYS = 7


#: The <h1> is the title when this share of its words is in a stated (meta) title, and this
#: share of that title's words in it, at least two words (a one-word overlap with a long
#: title is a name or a section, not the headline reworded).
HEADLINE_MIN_SHARED = 0.25


@dataclass(frozen=True)
class Metadata:
    """Everything extraction knows about a page except its text."""

    title: Field | None = None
    authors: tuple[Person, ...] = ()
    published: Field | None = None
    modified: Field | None = None
    publisher: Field | None = None
    section: Field | None = None
    genre: Field | None = None
    language: Field | None = None
    description: Field | None = None
    keywords: tuple[str, ...] = ()
    canonical_url: Field | None = None


def normalize_text(text: str | None) -> str:
    """NFC, whitespace (no-break spaces included) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def fold(text: str) -> str:
    """A comparison key: NFKC, case-folded, word characters only."""
    return "".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def header_value(headers: Headers, name: str) -> str | None:
    """The first value of an HTTP header, case-insensitively."""
    values = header_values(headers, name)
    return values[0] if values else None


def host_label(url: str | None) -> str | None:
    """The registered-name label of a URL's host ("opednews" for www.opednews.com)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return labels[0] if labels else None
    # drop a second-level public suffix such as co.uk / com.au
    if (
        len(labels) >= 3
        and len(labels[-1]) == 2
        and labels[-2] in {"co", "com", "org", "net", "ac", "gov", "ne", "or"}
    ):
        return labels[-3]
    return labels[-2]


def normalize_language(tag: str | None) -> str | None:
    """A BCP 47 tag in canonical case ("en_us" -> "en-US"), or None when not a language tag."""
    text = (tag or "").strip().replace("_", "-")
    text = text.split(",")[0].split(";")[0].strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", text):
        return None
    parts = text.split("-")
    result = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2:
            result.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            result.append(part.title())
        else:
            result.append(part.lower())
    return "-".join(result)


class Candidates:
    """Candidate values per field, in the order they were added (= precedence order)."""

    def __init__(self) -> None:
        self.fields: dict[str, list[Evidence]] = {}
        self.author_groups: list[list[names.NameCandidate]] = []
        self.keywords: list[str] = []
        #: days the page gives unambiguously (ISO dates), to resolve ambiguous numeric dates
        self.known_days: set[str] = set()

    def add(
        self,
        name: str,
        value: str | None,
        source: str,
        raw: str | None = None,
        note: str | None = None,
    ) -> None:
        """Add a candidate (ignored when empty); ``raw`` defaults to the value."""
        text = normalize_text(value)
        if "&" in text and ";" in text:
            # double-escaped markup in meta tags and JSON-LD ("&amp;#8217;", "&#038;")
            for _ in range(2):
                text = html_module.unescape(text)
            text = normalize_text(text)
        if not text:
            return
        evidence = Evidence(text, source, normalize_text(raw) if raw is not None else text, note)
        existing = self.fields.setdefault(name, [])
        if evidence not in existing:
            existing.append(evidence)

    def add_date(
        self,
        name: str,
        raw: str | None,
        source: str,
        *,
        day_first: bool | None = None,
        locale_note: str | None = None,
        find: bool = False,
    ) -> bool:
        """Parse ``raw`` as a date and add it; True when it held one."""
        text = normalize_text(raw)
        if not text:
            return False
        if find:
            found = dates.find_dates(text, day_first=day_first)
            parsed = found[0] if found else None
        else:
            parsed = dates.parse_date(text, day_first=day_first)
        if parsed is None:
            return False
        parsed = dates.prefer_reading(parsed, self.known_days)
        if not parsed.resolved:
            return False  # an ambiguous numeric date that nothing settles is not a date
        note = parsed.note
        if note and locale_note and "the page's locale" in note:
            note = f"{note} ({locale_note})"
        self.add(name, parsed.value, source, parsed.raw if find else text, note)
        return True

    def add_authors(
        self,
        raw_names: Iterable[str],
        source: str,
        *,
        supporting: bool = False,
        group: list[names.NameCandidate] | None = None,
        strict: bool = True,
    ) -> list[names.NameCandidate]:
        """Add author names found at one place (a new precedence group unless ``group``).

        ``strict`` (visible text) requires capitalised words; structured data may name an
        author in lower case (a user name) and is taken as stated.
        """
        target = group if group is not None else []
        for raw in raw_names:
            if len(target) >= names.MAX_MERGED_CANDIDATES:
                break  # a hostile page's thousands of author names: the first ones decide
            for name in names.split_names(raw, roles=True):
                if names.plausible_name(name, strict=strict):
                    target.append(names.NameCandidate(name, source, supporting=supporting))
        if group is None and target:
            self.author_groups.append(target)
        return target

    def add_keywords(self, raw: str | Iterable[str] | None) -> None:
        if raw is None:
            return
        items = [raw] if isinstance(raw, str) else list(raw)
        for item in items:
            if not isinstance(item, str):
                continue
            for keyword in re.split(r"\s*[,;|]\s*", item):
                keyword = normalize_text(keyword)
                if (
                    keyword
                    and len(keyword) <= 80
                    and fold(keyword) not in {fold(k) for k in self.keywords}
                ):
                    self.keywords.append(keyword)

    def field(self, name: str, *, note: str | None = None) -> Field | None:
        """The chosen value (first candidate) with every candidate attached."""
        found = self.fields.get(name)
        if not found:
            return None
        first = found[0]
        combined = first.note
        if note:
            combined = f"{combined}; {note}" if combined else note
        return Field(first.value, first.source, first.raw, combined, tuple(found))

    def people(self, *, site_name: str | None = None) -> tuple[Person, ...]:
        """Authors: the first group that names someone decides; later groups support."""
        ordered: list[names.NameCandidate] = []
        decided = False
        groups: list[list[names.NameCandidate]] = []
        room = names.MAX_MERGED_CANDIDATES  # bounded work, whatever the page holds
        for found in self.author_groups:
            if room <= 0:
                break
            groups.append(found[:room])
            room -= len(groups[-1])

        # a group naming people outranks one naming only organisations (a site as its own author)
        def names_people(group: list[names.NameCandidate]) -> bool:
            return any(
                not c.supporting
                and (parsed := names.parse_name(c.name, site_name=site_name)) is not None
                and parsed.kind == "person"
                for c in group
            )

        first_people = next(
            (index for index, group in enumerate(groups) if names_people(group)), None
        )
        if first_people is not None and first_people > 0:
            groups.insert(0, groups.pop(first_people))
        if groups and first_people is not None:
            wider = self._wider_byline(groups[0], groups[1:], site_name)
            if wider is not None:
                groups.remove(wider)
                groups.insert(0, wider)
        for group in groups:
            usable = [c for c in group if not c.supporting]
            if not decided and usable:
                people = names.merge_people(usable, site_name=site_name)
                if people:
                    ordered.extend(group)
                    decided = True
                    continue
            ordered.extend(
                names.NameCandidate(
                    c.name, c.source, c.bio, c.affiliations, supporting=True, family=c.family
                )
                for c in group
            )
        people = names.merge_people(ordered, site_name=site_name)
        if any(person.kind == "person" for person in people):
            # organisations named beside people (a site's "Staff", the publisher) are not authors
            people = tuple(person for person in people if person.kind == "person")
        return people

    @staticmethod
    def _wider_byline(
        decided: list[names.NameCandidate],
        later: list[list[names.NameCandidate]],
        site_name: str | None,
    ) -> list[names.NameCandidate] | None:
        """Links to author pages naming every person of ``decided`` and more (co-authors).

        Structured data often names only a byline's first author (a CMS field for one
        person); the byline's links to author pages, that author among others, then decide.
        """

        def people(group: list[names.NameCandidate]) -> list[str]:
            return [
                c.name
                for c in group
                if not c.supporting
                and (parsed := names.parse_name(c.name, site_name=site_name)) is not None
                and parsed.kind == "person"
            ]

        stated = people(decided)
        if not stated:
            return None
        for group in later:
            if not group or not all(c.source in AUTHOR_LINK_SOURCES for c in group):
                continue
            shown = people(group)
            if len(shown) > len(stated) and all(
                any(names.same_person(name, other) for other in shown) for name in stated
            ):
                return group
        return None

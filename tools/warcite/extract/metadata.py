"""Metadata with evidence: structured data first, then the visible page.

Every value is a :class:`~warcite.core.models.Field` holding the chosen value, where it was found
(``source``), the text as found (``raw``), a ``note`` when reading it took a decision, and
*every* candidate seen, in precedence order, for audit.  The chosen value is the first valid
candidate in this order.

Precedence, per field (first wins; all are kept in ``candidates``)
-------------------------------------------------------------------
structured data (what the publisher states for machines), then the visible page:

``title``
    JSON-LD ``headline``/``name`` of the article node; ``og:title``; ``citation_title``;
    ``dc.title``; ``twitter:title``; ``parsely-title``; ``sailthru.title``; microdata
    ``headline``; the page's ``<h1>``; ``<title>``.  Site-name prefixes and suffixes
    (" | Site", " - Site", "Site: ...") are removed when the site name (or the URL's host) is
    known.  Exception: the visible headline (``<h1>``) comes first when it *agrees* with a
    stated title (the same text, or sharing a quarter of its words: the headline reworded
    for search engines), unless it is set in capitals, is the site's name, or holds a stated
    title plus page furniture (a date, a count) -- then the stated title stands.
``authors``
    JSON-LD ``author``/``creator``; ``<meta name=author>``, ``article:author``,
    ``dc.creator``, ``citation_author(s)``, ``parsely-author``, ``sailthru.author``,
    twitter's "Written by" (or another "... by" credit of an author: "Interview by");
    microdata ``author``; ``rel=author`` links, byline elements, "By ..." lines and links to
    author pages on the same site (several in one byline container are co-authors);
    unlabelled bylines beside the displayed date just under the headline (one line of cells,
    "Jane Doe | Senior Writer | July 2, 2025", or a name right before the date); author
    bios; URL slugs.  The first of these *groups* that names a person decides who the authors
    are (a group naming only organisations yields to a later one naming people; links to
    author pages naming all of its people and more -- co-authors the structured data left
    out -- decide instead); later groups add printed forms, bios and affiliations to those
    people (see :func:`warcite.extract.names.merge_people`).  URL slugs only ever support.
    Organisations named beside people are dropped.
``published`` / ``modified``
    JSON-LD ``datePublished``/``dateModified`` (``dateCreated`` after them);
    ``article:published_time``/``modified_time`` and ``og:updated_time``; ``citation_*date``;
    Dublin Core (``dcterms.issued``, ``dc.date``...); parsely, sailthru and other named meta
    dates; microdata; ``<time datetime>`` (``pubdate`` first); visible dates in date
    elements and around the headline; URL tokens (``/2016/08/29/``, ``20160829``, and
    six-digit ``-160829-`` last and weakest).  Numeric dates are read with the page's locale
    or, better, another date on the page that settles them (recorded in ``note``).  Checks,
    each recorded in ``note``: a date the page *prints* as its publication date ("Published
    ...", or a bare date right under the headline) outranks machine data that disagrees by
    more than a day; a publication date more than a week after the last modification is
    passed over; a UTC time on the day after the URL's date folder is that folder's day in
    the publisher's calendar.  With no publication date at all, the last-modified date is
    used and the note says so.
``publisher``
    JSON-LD ``publisher``, then a ``WebSite`` node's name; ``og:site_name``;
    ``citation_publisher``/``citation_journal_title``; ``dc.publisher``;
    ``application-name``; microdata ``publisher``; a ``<title>`` segment matching the URL's
    host; the host name.
``section``, ``genre``
    JSON-LD ``articleSection``/``genre`` and ``@type`` (OpinionNewsArticle -> "Op-ed");
    ``article:section``, ``parsely-section``; the last crumb of a JSON-LD BreadcrumbList;
    genres from section labels ("Op Eds", "Op-Ed" -> "Op-ed"; "Opinion", "Commentary").
``language``
    ``<html lang>``; ``Content-Language`` (HTTP, then ``http-equiv``); JSON-LD
    ``inLanguage``; ``dc.language``/``citation_language``; ``og:locale``; detection from
    the article text (:mod:`warcite.extract.language`) as the last resort.
``description``, ``keywords``, ``canonical_url``
    JSON-LD, OpenGraph, ``<meta name=description|keywords|news_keywords>``,
    ``article:tag``, Dublin Core, citation, parsely and sailthru tags; ``rel=canonical``,
    ``og:url``, JSON-LD ``url``/``mainEntityOfPage``.

The sentence-case form of a title (for APA) is made where it is used, from the title and the
article text: :func:`warcite.cite.titles.sentence_case`.
"""

from __future__ import annotations

import functools
import html as html_module
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from warcite.core.decode import header_values
from warcite.core.models import Affiliation, Evidence, Field, Headers, Paragraph, Person
from warcite.extract import dates, names, patterns
from warcite.extract.language import detect_language

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


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- titles


def clean_title(
    title: str, site_names: Iterable[str], url: str | None = None
) -> tuple[str, str | None]:
    """``title`` without a site-name prefix or suffix, and a note saying what was removed.

    A segment is removed when it matches a known site name or the URL's host label (ignoring
    case, spaces and punctuation), separated by " | ", " - ", " – ", " — ", " · ", " » ",
    " :: " or, for a prefix only, ": ".
    """
    text = normalize_text(title)
    keys = {fold(name) for name in site_names if name and fold(name)}
    label = host_label(url)
    if label:
        keys.add(fold(label))
    if not keys or not text:
        return text, None

    def is_site(segment: str) -> bool:
        key = fold(segment)
        if not key:
            return False
        if key in keys:
            return True
        return any(
            len(k) >= 4
            and (key.startswith(k) or k.startswith(key) or key.endswith(k))
            and len(key) <= len(k) + 12
            for k in keys
        )

    removed: list[str] = []
    for _ in range(3):
        parts = re.split(r"(\s+[|\-–—·•»«/]\s+|\s*\|\s*|\s+::\s+)", text)
        if len(parts) >= 3 and is_site(parts[-1]):
            removed.append(parts[-1])
            text = "".join(parts[:-2]).strip()
            continue
        if len(parts) >= 3 and is_site(parts[0]):
            removed.append(parts[0])
            text = "".join(parts[2:]).strip()
            continue
        colon = re.match(r"^([^:]{2,60}):\s+(.+)$", text)
        if colon and is_site(colon.group(1)):
            removed.append(colon.group(1))
            text = colon.group(2).strip()
            continue
        break
    if not text:
        return normalize_text(title), None
    return text, (
        "removed the site name " + ", ".join(repr(r) for r in removed)
    ) if removed else None


# --------------------------------------------------------------------------- JSON-LD


def _load_json(text: str) -> list[Any]:
    """Parse a JSON-LD script, tolerating comments, CDATA, trailing commas, raw newlines."""
    body = text.strip()
    body = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", body)
    body = re.sub(r"^\s*<!--|-->\s*$", "", body).strip()
    if not body:
        return []
    attempts = [body]
    fixed = re.sub(r",\s*([}\]])", r"\1", body)
    fixed = re.sub(r"[\x00-\x1f]", " ", fixed)
    attempts.append(fixed)
    for attempt in attempts:
        try:
            return [_without_lone_surrogates(json.loads(attempt), attempt)]
        except (ValueError, RecursionError):
            pass
    # several objects one after another
    decoder = json.JSONDecoder()
    items: list[Any] = []
    position = 0
    text_fixed = attempts[-1]
    while position < len(text_fixed):
        while position < len(text_fixed) and text_fixed[position] in " \t\r\n,;":
            position += 1
        if position >= len(text_fixed):
            break
        try:
            item, position = decoder.raw_decode(text_fixed, position)
        except (ValueError, RecursionError):
            break
        items.append(_without_lone_surrogates(item, text_fixed))
    return items


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any, source: str) -> Any:
    """``value`` with lone surrogates (a JSON ``"\\ud800"`` escape) replaced by U+FFFD.

    JSON pairs surrogate escapes into one character; one left alone cannot be written as
    UTF-8 (a record, the CLI's output), so it becomes U+FFFD, as a browser shows it.
    Iterative: parsed JSON may nest as deep as the parser allowed.
    """
    if not (_SURROGATE_ESCAPE.search(source) or _SURROGATE.search(source)):
        return value
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for position, item in enumerate(node):
                if isinstance(item, str):
                    node[position] = _SURROGATE.sub("\ufffd", item)
                elif isinstance(item, (list, dict)):
                    stack.append(item)
        elif isinstance(node, dict):
            entries = list(node.items())
            node.clear()
            for key, item in entries:
                if isinstance(item, str):
                    item = _SURROGATE.sub("\ufffd", item)
                elif isinstance(item, (list, dict)):
                    stack.append(item)
                node[_SURROGATE.sub("\ufffd", key)] = item
    return value


def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return [str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)]


def _nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > JSON_LD_MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key, value in data.items():
            if key != "@context" and isinstance(value, (dict, list)):
                yield from _nodes(value, depth + 1)


def _string(value: Any, depth: int = 0) -> str | None:
    """The first string in a JSON-LD value (a string, a list, a ``@value`` or a ``name``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if depth > JSON_LD_MAX_DEPTH:
        return None
    if isinstance(value, list):
        strings = [s for s in (_string(v, depth + 1) for v in value[:50]) if s]
        return strings[0] if strings else None
    if isinstance(value, dict):
        return _string(value.get("@value") or value.get("name"), depth + 1)
    return None


@dataclass
class _JsonLd:
    article: dict[str, Any] | None = None
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    nodes: list[dict[str, Any]] = field(default_factory=list)

    def resolve(self, value: Any) -> Any:
        if (
            isinstance(value, dict)
            and set(value) <= {"@id", "@type"}
            and value.get("@id") in self.index
        ):
            return self.index[value["@id"]]
        return value

    def named(self, kind: str) -> str | None:
        for node in self.nodes:
            if kind in _types(node):
                name = _string(node.get("name"))
                if name:
                    return name
        return None


def _read_json_ld(root: lxml_html.HtmlElement) -> _JsonLd:
    result = _JsonLd()
    for script in root.xpath(
        "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        "'abcdefghijklmnopqrstuvwxyz'), 'ld+json')]"
    ):
        for data in _load_json(script.text or ""):
            for node in _nodes(data):
                result.nodes.append(node)
                node_id = node.get("@id")
                if isinstance(node_id, str) and len(node) > 2:
                    result.index.setdefault(node_id, node)
    articles = [n for n in result.nodes if set(_types(n)) & patterns.ARTICLE_TYPES]
    articles.sort(
        key=lambda n: (not (n.get("headline") or n.get("name")), "CreativeWork" in _types(n))
    )
    media = [
        n
        for n in result.nodes
        if set(_types(n)) & patterns.MEDIA_WORK_TYPES
        # the page's own work: named (not a file name) and credited or dated, not a clip
        # embedded in the page
        and isinstance(n.get("name") or n.get("headline"), str)
        and not re.search(r"\.\w{2,4}$", str(n.get("name") or n.get("headline")).strip())
        and (n.get("author") or n.get("creator") or n.get("datePublished") or n.get("uploadDate"))
    ]
    if articles:
        result.article = articles[0]
    elif media:
        # a video or a podcast page: the work the page presents
        result.article = media[0]
    else:
        pages = [
            n
            for n in result.nodes
            if set(_types(n)) & {"WebPage", "ItemPage"}
            and (n.get("headline") or n.get("datePublished"))
        ]
        result.article = pages[0] if pages else None
    return result


def _json_ld_people(value: Any, data: _JsonLd, depth: int = 0) -> list[names.NameCandidate]:
    """The people or organisations of a JSON-LD ``author`` value, with what it says of them.

    A Person's ``jobTitle`` with ``worksFor``/``affiliation`` gives an affiliation and role,
    its ``description`` a bio.
    """
    value = data.resolve(value)
    if isinstance(value, list):
        if depth > JSON_LD_MAX_DEPTH:
            return []
        return [found for item in value[:50] for found in _json_ld_people(item, data, depth + 1)]
    if isinstance(value, str):
        if value.startswith(("http://", "https://", "/")):
            return []
        return [names.NameCandidate(value, "json-ld")]
    if not isinstance(value, dict):
        return []
    name = _string(value.get("name"))
    if not name and (value.get("givenName") or value.get("familyName")):
        name = " ".join(
            filter(None, [_string(value.get("givenName")), _string(value.get("familyName"))])
        )
    if not name:
        return []
    role = _string(value.get("jobTitle"))
    affiliations: list[Affiliation] = []
    employers = data.resolve(value.get("worksFor") or value.get("affiliation"))
    for employer in employers if isinstance(employers, list) else [employers]:
        employer = data.resolve(employer)
        organisation = _string(employer)
        if organisation and len(organisation) <= 150:
            alternate = (
                _string(employer.get("alternateName")) if isinstance(employer, dict) else None
            )
            raw = f"{role}, {organisation}" if role else organisation
            affiliations.append(
                Affiliation(
                    name=normalize_text(organisation),
                    alternate_name=alternate,
                    role=normalize_text(role) if role else None,
                    source="json-ld",
                    raw=raw,
                )
            )
    description = _string(value.get("description"))
    bio = None
    if description and len(description) <= 2000:
        # descriptions are often HTML fragments
        bio = normalize_text(html_module.unescape(re.sub(r"<[^>]+>", " ", description))) or None
    if bio and not affiliations:
        parsed = names.parse_bio(bio)
        if parsed and names.same_person(parsed.name, name):
            affiliations = list(parsed.affiliations)
    family = _string(value.get("familyName"))
    return [names.NameCandidate(name, "json-ld", bio, tuple(affiliations[:5]), family=family)]


# --------------------------------------------------------------------------- HTML


def _meta(root: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Meta tags by lower-cased name/property/itemprop/http-equiv -> contents, in order."""
    found: dict[str, list[str]] = {}
    for element in root.iter("meta"):
        content = element.get("content")
        if content is None or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key and attribute == "itemprop" and _in_other_item(element):
                continue  # a comment's or a review's property, not the page's
            if key:
                for one in key.split():
                    found.setdefault(one.strip().lower(), []).append(content.strip())
    return found


_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)
_HAS_INVISIBLE = etree.XPath("boolean(.//script | .//style | .//noscript)")


_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})


def body_text_nodes(root: Any) -> list[tuple[str, Any]]:
    """Every text node of the page's ``<body>`` in document order, each with the element it
    sits in (scripts, styles, ``noscript`` and templates skipped); one walk in C."""
    body = root.find(".//body") if root.tag != "body" else root
    if body is None:
        return []
    found: list[tuple[str, Any]] = []
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if not isinstance(tag, str) or tag in _INVISIBLE_TAGS:
                walker.skip_subtree()
            elif element.text:
                found.append((element.text, element))
        elif element is not body and element.tail:
            found.append((element.tail, element.getparent()))
    return found


def _short_text(element: Any, limit: int) -> str | None:
    """:func:`_element_text` of an element whose text is at most ``limit`` characters, else
    None, without joining the text of a large element (a page's body) only to drop it."""
    raw = 0
    for piece in element.itertext():
        raw += len(piece)
        if raw > 4 * limit + 200:  # more than whitespace could shrink back under the limit
            return None
    text = _element_text(element)
    return text if len(text) <= limit else None


def _element_text(element: Any) -> str:
    """The visible text of an element (scripts and styles skipped), whitespace normalised."""
    if len(element) == 0:
        return normalize_text(element.text)
    if not _HAS_INVISIBLE(element):
        return normalize_text(" ".join(element.itertext()))
    return normalize_text(" ".join(_VISIBLE_TEXT(element)))


def _skippable(element: Any) -> bool:
    """Inside navigation, a site footer, a sidebar, comments or lists of other articles."""
    footer = False
    for ancestor in element.iterancestors():
        if ancestor.tag in patterns.SKIP_ANCESTORS:
            return True
        if ancestor.tag == "footer":
            footer = True
        elif ancestor.tag in ("article", "main"):
            footer = False
            break
        if ancestor.tag == "body":
            # the body's classes describe the page's layout ("right-sidebar", "no-sidebar")
            return footer
        classes = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if "[" in classes:
            # utility classes with arbitrary values ("[--sidebar-width:18rem]",
            # "mr-[--sidebar-container-width]") set CSS, they do not name the element
            classes = " ".join(word for word in classes.split() if "[" not in word)
        if patterns.SKIP_CLASS.search(classes):
            return True
    return False


def _class_of(element: Any) -> str:
    return (
        f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}".strip()
    )


@dataclass
class _PageScan:
    """Elements of interest found in one pass over the page, in document order."""

    bylines: list[Any] = field(default_factory=list)
    dated: list[Any] = field(default_factory=list)
    bios: list[Any] = field(default_factory=list)
    positions: dict[Any, int] = field(default_factory=dict)  # of bylines, in document order
    headline: int | None = None  # position of the first <h1>

    def near_headline_first(self, elements: Sequence[Any]) -> list[Any]:
        """``elements`` ordered by closeness to the headline (just after it first).

        A byline sits right under (or just above) the headline; those of other articles
        (cards, lists, sidebars) are further away.  Without an ``<h1>``: document order.
        """
        if self.headline is None:
            return list(elements)
        headline = self.headline

        def key(element: Any) -> tuple[int, int]:
            offset = self.positions.get(element, 0) - headline
            if 0 <= offset <= BYLINE_WINDOW_AFTER:
                return (0, offset)
            if -BYLINE_WINDOW_BEFORE <= offset < 0:
                return (1, -offset)
            return (2, abs(offset))

        return sorted(elements, key=key)


#: Every word :func:`_scan` looks for in class and id values: a substring test for each
#: rules most values out before any regular expression runs.
_SCAN_WORDS = (
    "author",
    "byl",
    "by-line",
    "writer",
    "contributor",
    "date",
    "time",
    "publish",
    "posted",
    "meta",
    "bio",
    "about",
    "person",
    "user",
)


def _scan(root: lxml_html.HtmlElement) -> _PageScan:
    """One walk over the tree: byline-, date- and bio-like elements (cheap string tests only)."""
    scan = _PageScan()
    for position, element in enumerate(root.iter()):
        tag = element.tag
        if not isinstance(tag, str) or tag in patterns.NON_CONTENT_TAGS:
            continue
        if tag == "h1" and scan.headline is None:
            scan.headline = position
        attributes = element.get("class"), element.get("id")
        is_byline = False
        if attributes[0] or attributes[1]:
            words = f"{attributes[0] or ''} {attributes[1] or ''}".lower()
        else:
            words = ""
        if words and any(word in words for word in _SCAN_WORDS):
            if patterns.BYLINE_ATTRIBUTE_WORDS.search(words) or (
                tag in patterns.ICON_TAGS and patterns.PERSON_ICON.search(words)
            ):
                is_byline = True
            if patterns.DATE_ATTRIBUTE_WORDS.search(words):
                scan.dated.append(element)
            if patterns.BIO_ATTRIBUTE_WORDS.search(words):
                scan.bios.append(element)
        if not is_byline and tag == "a":
            rel = element.get("rel")
            href = element.get("href") or ""
            is_byline = bool(rel and "author" in rel.lower()) or (
                "/" in href and bool(patterns.AUTHOR_HREF.search(href))
            )
        if not is_byline:
            text = element.text
            if text and len(text) < 200:
                stripped = text.strip()
                is_byline = stripped.startswith(patterns.BYLINE_TEXT_STARTS) or bool(
                    len(stripped) <= 12 and patterns.BYLINE_LABEL.match(stripped)
                )
        if is_byline:
            scan.bylines.append(element)
            scan.positions[element] = position
    return scan


#: Where a byline's names end: a separator, or the date or other furniture after them
_BYLINE_END = re.compile(r"\s+(?:[|•·]|on|On|Updated|Published|Posted)\s+")


def _visible_bylines(elements: Sequence[Any], url: str | None) -> list[tuple[str, str, Any]]:
    """(names text, source, element) from byline-like elements, in document order, first few.

    Links to author pages count only on the page's own site (not social-media profiles).
    """
    found: list[tuple[str, str, Any]] = []
    own_host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    for element in elements:
        classes = _class_of(element)
        if classes and patterns.ROLE_CLASS.search(classes):
            continue  # the author's job title ("author-title", "byline__role"), not a name
        own = normalize_text(element.text)
        text: str | None = None
        source = "byline"
        if element.tag == "a" and "author" in (element.get("rel") or "").lower().split():
            text, source = _element_text(element), "rel-author"
        elif (
            patterns.BYLINE_LABEL.match(own)
            and len(element) <= 2
            and patterns.BYLINE_LABEL.match(_element_text(element))
        ):
            # "<span>By</span><span>Jane Doe</span>", "<p>Written by</p><p>Jane Doe</p>"
            following = element.getnext()
            tail = normalize_text(element.tail)
            text = tail or (_element_text(following) if following is not None else None)
        elif own.startswith(patterns.BYLINE_TEXT_STARTS) or patterns.BYLINE_LABEL.match(own):
            # the byline up to the date or other furniture after it ("Posted by Jane Doe on
            # Friday December 19, 2025 @08:00PM from the ... dept.")
            full = _BYLINE_END.split(_element_text(element))[0]
            if len(full) <= 80 and re.match(
                r"^(?:By|BY|by|Written by|Posted by|Von|Par|Por):?\s+[A-ZÀ-Ý]", full
            ):
                text = full
        elif (
            element.tag in patterns.ICON_TAGS
            and patterns.PERSON_ICON.search(classes)
            and not _element_text(element)
        ):
            # a person icon followed by the name: "<i class='icon-user'></i> Jane Doe"
            text = normalize_text(element.tail)
        elif (
            classes
            and (
                patterns.BYLINE_CLASS.search(classes) or patterns.BYLINE_CAMEL_CLASS.search(classes)
            )
            and (
                not patterns.NOT_BYLINE_CLASS.search(classes)
                # the name in an author card: "author-box__name", "author-card-name"
                or (
                    patterns.AUTHOR_NAME_CLASS.search(classes)
                    and not patterns.NOT_AUTHOR_CARD_CLASS.search(classes)
                )
            )
        ):
            text = _text_without_roles(element)
        elif element.tag == "a" and patterns.AUTHOR_HREF.search(element.get("href") or ""):
            link_host = urlsplit(element.get("href") or "").hostname
            if link_host and own_host and link_host.removeprefix("www.") != own_host:
                continue
            text = _element_text(element) or normalize_text(element.get("aria-label"))
            source = "html:author-link"
        if not text or len(text) > 120 or _skippable(element):
            continue
        text = _BYLINE_END.split(text)[0]
        text = dates_removed(text)
        if text and any(c.isupper() for c in text):
            found.append((text, source, element))
        if len(found) >= 4:
            break
    return found


def _in_other_item(element: Any) -> bool:
    """True when a microdata property belongs to an item that is not the page's article: a
    comment, a review, an answer (its nearest enclosing ``itemscope`` says so)."""
    for ancestor in element.iterancestors():
        if ancestor.get("itemscope") is None:
            continue
        item_type = (ancestor.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]
        return item_type in patterns.NOT_ARTICLE_ITEM_TYPES
    return False


def _text_without_roles(element: Any) -> str:
    """The visible text of a byline element without its job-title parts (an element classed
    "author-title", "job-title", "byline__role" inside it)."""
    roles = [
        child
        for child in element.iterdescendants()
        if isinstance(child.tag, str) and patterns.ROLE_CLASS.search(_class_of(child))
    ]
    if not roles:
        return _element_text(element)
    texts = [
        text
        for text in _VISIBLE_TEXT(element)
        if not any(
            role is text.getparent() or role in text.getparent().iterancestors() for role in roles
        )
        or (text.is_tail and text.getparent() in roles)
    ]
    return normalize_text(" ".join(texts))


def _date_context(element: Any) -> str:
    """Class, id and itemprop words of a text node's element and its nearest ancestors."""
    parts: list[str] = []
    for _ in range(DATE_CONTEXT_DEPTH):
        if element is None or not isinstance(element.tag, str) or element.tag == "body":
            break
        parts.append(_class_of(element))
        element = element.getparent()
    return " ".join(part for part in parts if part)


def _texts_near_title(
    body_texts: Sequence[tuple[str, Any]], h1: str | None
) -> list[tuple[int, str, str]]:
    """Short visible texts around the page's <h1> (where bylines and datelines sit), nearest first.

    Each is given with its offset in text nodes from the headline's (negative: before it)
    and the class words of its element and nearest ancestors (:func:`_date_context`).
    """
    nodes = [(text, owner) for text, owner in body_texts if not text.isspace()]
    raw_texts = [text for text, _ in nodes]
    if not raw_texts:
        return []
    position = 0
    if h1:
        key = fold(h1)
        shortest, longest = 0.6 * len(key), 2 * len(h1) + 20
        for index, raw in enumerate(raw_texts):
            if not shortest <= len(raw) <= longest:
                continue  # cheap length test before folding
            folded = fold(raw)
            if folded and (
                folded == key or (len(folded) >= shortest and (folded in key or key in folded))
            ):
                position = index
                break
    start = max(0, position - 15)
    window = [normalize_text(t) for t in raw_texts[start : position + 40]]
    owners = [owner for _, owner in nodes[start : position + 40]]
    position -= start
    ordered = sorted(
        range(len(window)), key=lambda i: abs(i - position) + (5 if i < position else 0)
    )
    near: list[tuple[int, str, str]] = []
    for index in ordered:
        text = window[index]
        if len(text) <= 100 and any(c.isdigit() for c in text):
            # a label in the text node just before ("Updated", "Published") travels with a
            # date that has none of its own
            previous = window[index - 1] if index > 0 else ""
            unlabelled = text[:1].isdigit() or bool(
                patterns.MONTHS.get(text.split()[0].lower().rstrip(".,"))
            )
            label = (
                previous
                if unlabelled and len(previous) <= 30 and not any(c.isdigit() for c in previous)
                else ""
            )
            near.append((index - position, f"{label} {text}".strip(), _date_context(owners[index])))
    return near


def dates_removed(text: str) -> str:
    """``text`` without any date written in it (bylines often end with the date)."""
    for parsed in dates.find_dates(text):
        text = text.replace(parsed.raw, " ")
    return normalize_text(text).strip(" ,|-–—·•")


@functools.lru_cache(maxsize=64)
def _compiled(xpath: str) -> etree.XPath:
    """An XPath expression compiled once (expressions are constants of this module)."""
    return etree.XPath(xpath)


def _first_text(root: lxml_html.HtmlElement, xpath: str) -> str | None:
    for element in _compiled(xpath)(root):
        text = _element_text(element) if not isinstance(element, str) else normalize_text(element)
        if text:
            return text
    return None


@dataclass
class _Page:
    """One page being read: the parsed tree, what was found so far, and the page's locale."""

    root: lxml_html.HtmlElement
    url: str | None
    headers: Headers
    meta: dict[str, list[str]]
    json_ld: _JsonLd
    scan: _PageScan
    candidates: Candidates = field(default_factory=Candidates)
    day_first: bool | None = None
    locale_note: str | None = None
    site_names: list[str] = field(default_factory=list)
    html_title: str | None = None
    h1: str | None = None
    _body_texts: list[tuple[str, Any]] | None = None
    _convention_read: bool = False

    @property
    def article(self) -> dict[str, Any]:
        """The JSON-LD node describing the article (empty when there is none)."""
        return self.json_ld.article or {}

    def meta_values(self, keys: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(key, content) of the page's meta tags with these names, in the order of ``keys``."""
        for key in keys:
            for value in self.meta.get(key, []):
                yield key, value

    def body_texts(self) -> list[tuple[str, Any]]:
        """The page body's text nodes with their elements (scripts, styles skipped), read once."""
        if self._body_texts is None:
            self._body_texts = body_text_nodes(self.root)
        return self._body_texts

    def add_date(self, target: str, raw: str | None, source: str, *, find: bool = False) -> bool:
        """Add a date candidate read with the page's locale; True when ``raw`` held one.

        Without a locale, the first numeric date met makes the page's other numeric dates
        be looked through for the convention they follow (:func:`dates.numeric_convention`).
        """
        if (
            self.day_first is None
            and not self._convention_read
            and raw
            and patterns.NUMERIC_DATE.search(raw)
        ):
            self._convention_read = True
            body = " ".join(text for text, _ in self.body_texts())[:NUMERIC_CONVENTION_MAX_CHARS]
            day_first, note = dates.numeric_convention(body)
            if day_first is not None:
                self.day_first, self.locale_note = day_first, note
        return self.candidates.add_date(
            target, raw, source, day_first=self.day_first, locale_note=self.locale_note, find=find
        )


def extract_html_metadata(
    root: lxml_html.HtmlElement, *, url: str | None, headers: Headers
) -> Metadata:
    """Read metadata from a parsed HTML page.  Must not modify ``root``.

    See the module docstring for the precedence of sources per field.
    """
    page = _Page(
        root=root,
        url=url,
        headers=headers,
        meta=_meta(root),
        json_ld=_read_json_ld(root),
        scan=_scan(root),
    )
    language = _read_language(page)  # first: it decides how numeric dates are read
    _read_publisher(page)  # then: the site's name cleans titles and tells organisations apart
    title = _read_title(page)
    authors = _read_authors(page)
    published, modified = _read_dates(page, title)
    _read_classification(page, title)
    _read_description_keywords_and_links(page)
    candidates = page.candidates
    return Metadata(
        title=title,
        authors=authors,
        published=published,
        modified=modified,
        publisher=candidates.field("publisher"),
        section=candidates.field("section"),
        genre=candidates.field("genre"),
        language=language,
        description=candidates.field("description"),
        keywords=tuple(candidates.keywords[:MAX_KEYWORDS]),
        canonical_url=candidates.field("canonical_url"),
    )


def _read_language(page: _Page) -> Field | None:
    """The page's language, and with it the locale for numeric dates."""
    candidates, root = page.candidates, page.root
    html_lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    candidates.add("language", normalize_language(html_lang), "html:lang", html_lang)
    content_language = header_value(page.headers, "Content-Language")
    candidates.add(
        "language", normalize_language(content_language), "http:content-language", content_language
    )
    for key, value in page.meta_values(["content-language"]):
        candidates.add("language", normalize_language(value), f"meta:{key}", value)
    in_language = _string(page.article.get("inLanguage"))
    candidates.add("language", normalize_language(in_language), "json-ld", in_language)
    for key, value in page.meta_values(patterns.META_LANGUAGE):
        candidates.add("language", normalize_language(value), f"meta:{key}", value)
    language = candidates.field("language")
    page.day_first, page.locale_note = dates.locale_day_first(
        language.value if language else None, page.url
    )
    return language


def _read_publisher(page: _Page) -> None:
    """Publisher candidates; the site's names are kept on ``page`` for the other fields."""
    candidates, url = page.candidates, page.url
    candidates.add(
        "publisher", _string(page.json_ld.resolve(page.article.get("publisher"))), "json-ld"
    )
    candidates.add("publisher", page.json_ld.named("WebSite"), "json-ld:WebSite")
    for key, value in page.meta_values(patterns.META_PUBLISHER):
        candidates.add("publisher", value, f"meta:{key}", value)
    microdata_publisher = _first_text(
        page.root,
        "//*[@itemprop='publisher']//*[@itemprop='name'] | //*[@itemprop='publisher'][not(*)]",
    )
    if microdata_publisher and len(microdata_publisher) <= 100:
        candidates.add("publisher", microdata_publisher, "microdata")
    page.html_title = _first_text(page.root, "//head/title | //title")
    label = host_label(url)
    if page.html_title and label:
        for segment in re.split(r"\s+[|\-–—·•»:]\s+|\s*\|\s*", page.html_title):
            if fold(segment) == fold(label) and len(segment) > 2:
                candidates.add(
                    "publisher",
                    segment.strip(),
                    "html:title",
                    page.html_title,
                    "the <title> segment that matches the URL's host",
                )
    if page.html_title:
        _add_title_site_name(page)
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        candidates.add("publisher", host.removeprefix("www."), "url", url, "the URL's host name")
    page.site_names = [e.value for e in candidates.fields.get("publisher", [])]


def _add_title_site_name(page: _Page) -> None:
    """The site's name from a ``<title>`` of the form "Headline | Site" or "Site - Headline".

    Only when one end of the ``<title>`` is the page's headline (a stated title or the
    ``<h1>``) is the short segment at the other end taken for the site's name.
    """
    title = page.html_title or ""
    segments = [part.strip() for part in re.split(r"\s+[|\-–—·•»:]\s+|\s*\|\s*", title)]
    segments = [part for part in segments if part]
    if len(segments) < 2:
        return
    headlines = {fold(value) for _, value in page.meta_values(patterns.META_TITLE)}
    headlines.add(fold(_first_text(page.root, "//h1") or ""))
    headlines.discard("")
    for headline_end, site_end in ((segments[:-1], segments[-1]), (segments[1:], segments[0])):
        if fold(" ".join(headline_end)) in headlines and 2 < len(site_end) <= 60:
            if len(site_end.split()) <= 6:
                page.candidates.add(
                    "publisher",
                    site_end,
                    "html:title",
                    title,
                    "the <title> segment beside the page's headline",
                )
            return


def _read_title(page: _Page) -> Field | None:
    """The title: stated titles cleaned of the site's name, the visible headline when it agrees."""
    candidates = page.candidates
    headline_json = _string(page.article.get("headline")) or _string(page.article.get("name"))
    sources: list[tuple[str | None, str]] = [(headline_json, "json-ld")]
    for key, value in page.meta_values(patterns.META_TITLE):
        sources.append((value, f"meta:{key}"))
    sources.append((_first_text(page.root, "//*[@itemprop='headline']"), "microdata"))
    page.h1 = _first_text(page.root, "(//article//h1 | //main//h1)[1]") or _first_text(
        page.root, "//h1"
    )
    sources.append((page.h1, "html:h1"))
    sources.append((page.html_title, "html:title"))
    for title_text, source in sources:
        if title_text and normalize_text(title_text):
            cleaned, note = clean_title(title_text, page.site_names, page.url)
            if len(cleaned) >= 2:
                candidates.add("title", cleaned, source, title_text, note)
    titles = candidates.fields.get("title", [])
    headline = next((e for e in titles if e.source == "html:h1"), None)
    if (
        headline is not None
        and titles[0] is headline
        and len(titles) > 1
        and titles[1].source == "html:title"
        and not any(fold(titles[1].value) == fold(name) for name in page.site_names)
        and fold(headline.value) not in fold(titles[1].value)
        and not _headline_agrees(headline.value, titles[1:2], page.site_names)
    ):
        # no title stated for machines, and an <h1> that shares nothing with the <title>:
        # a logo, a greeting or a section name, not this page's headline
        document_title = titles.pop(1)
        note = f"the <h1> {headline.value!r} does not agree with the <title>"
        titles.insert(0, replace(document_title, note=note))
    elif headline is not None and titles[0] is not headline:
        others = [e for e in titles if e is not headline]
        reason = _headline_agrees(headline.value, others, page.site_names)
        if reason:
            # the page's visible headline is the title a reader (and a citation) sees
            titles.remove(headline)
            titles.insert(0, replace(headline, note=reason))
    return candidates.field("title")


def _read_authors(page: _Page) -> tuple[Person, ...]:
    """Authors, by groups of sources in precedence order (see the module docstring)."""
    candidates, article = page.candidates, page.article
    json_ld_group: list[names.NameCandidate] = []
    for found in _json_ld_people(article.get("author") or article.get("creator"), page.json_ld):
        before = len(json_ld_group)
        candidates.add_authors([found.name], "json-ld", group=json_ld_group, strict=False)
        if len(json_ld_group) > before and (found.bio or found.affiliations or found.family):
            # the person's stated details travel with the name's (first) form
            first = json_ld_group[before]
            json_ld_group[before] = names.NameCandidate(
                first.name, first.source, found.bio, found.affiliations, family=found.family
            )
    if json_ld_group:
        candidates.author_groups.append(json_ld_group)
    meta_group: list[names.NameCandidate] = []
    for key, value in page.meta_values(patterns.META_AUTHOR):
        if value.startswith(("http://", "https://", "/")):
            slug_names = [name for _, name in names.names_from_url(value)]
            candidates.add_authors(slug_names, f"meta:{key}", group=meta_group, supporting=True)
            continue
        candidates.add_authors([value], f"meta:{key}", group=meta_group, strict=False)
    labels = page.meta.get("twitter:label1", [])
    if labels and (
        re.search(r"written|author", labels[0], re.I)
        # another "... by" credit ("Interview by"), unless of a contributor who is no author
        or (
            re.search(r"\bby\s*:?\s*$", labels[0], re.I)
            and not patterns.NOT_AUTHOR_ROLES.search(labels[0])
        )
    ):
        candidates.add_authors(
            page.meta.get("twitter:data1", [])[:1], "meta:twitter:data1", group=meta_group
        )
    if meta_group:
        candidates.author_groups.append(meta_group)
    microdata_names = []
    for element in page.root.xpath("//*[@itemprop='author' or @itemprop='creator']"):
        if _in_other_item(element):
            continue  # the author of a comment or a review on the page, not of the article
        inner = element.xpath(".//*[@itemprop='name']")
        holder = inner[0] if inner else element
        value = holder.get("content") or _element_text(holder)
        if value and len(value) <= 80:
            microdata_names.append(value)
    candidates.add_authors(microdata_names, "microdata")
    _add_visible_bylines(page)
    _add_dated_bylines(page)
    bio_group: list[names.NameCandidate] = []
    for element in page.scan.bios:
        if not patterns.BIO_CLASS.search(_class_of(element)):
            continue
        text = _element_text(element)
        bio = names.parse_bio(text) if 30 <= len(text) <= 1500 else None
        if bio:
            bio_group.append(names.NameCandidate(bio.name, "bio", bio.text, bio.affiliations))
        if len(bio_group) >= 3:
            break
    if bio_group:
        candidates.author_groups.append(bio_group)
    url_names = [slug for slug, _ in names.names_from_url(page.url)]
    candidates.add_authors(url_names, "url", supporting=True)
    return candidates.people(site_name=page.site_names[0] if page.site_names else None)


def _add_visible_bylines(page: _Page) -> None:
    """Byline groups from the visible page, nearest the headline first.

    Names inside one small byline container, close together (a list of author links),
    are co-authors in one group; every other byline is a group of its own.
    """
    container: Any = None
    first_position = 0
    groups: list[list[names.NameCandidate]] = []
    scan = page.scan
    for text, source, element in _visible_bylines(scan.near_headline_first(scan.bylines), page.url):
        position = scan.positions.get(element, 0)
        if not (
            container is not None
            and abs(position - first_position) <= CO_AUTHOR_DISTANCE
            and any(a is container for a in element.iterancestors())
        ):
            groups.append([])
            first_position = position
            # the byline's container: its parent, or grandparent while still byline-sized
            container = element.getparent()
            grandparent = container.getparent() if container is not None else None
            if grandparent is not None and len(_element_text(grandparent)) <= BYLINE_MAX_CHARS:
                container = grandparent
        page.candidates.add_authors([text], source, group=groups[-1])
    page.candidates.author_groups.extend(group for group in groups if group)


def _date_only(text: str) -> bool:
    """``text`` is a date and little else (a label or punctuation around it)."""
    found = dates.find_dates(text)
    if not found:
        return False
    rest = text.replace(found[0].raw, " ")
    return not re.sub(r"\W|\d", "", rest) or len(rest.strip()) <= 12


def _starts_with_date(text: str) -> bool:
    """``text`` begins with a date ("23.07.2025 · 6 min read")."""
    found = dates.find_dates(text)
    return bool(found) and text.startswith(found[0].raw)


_NOT_NAME_WORDS = (
    patterns.ROLE_WORDS
    | patterns.ROLE_QUALIFIERS
    | patterns.NOT_NAMES
    | patterns.ORGANIZATION_WORDS
)


def _person_cell(text: str, site_name: str | None) -> str | None:
    """``text`` when it is a person's name alone (or "Name in Section"), else None."""
    text = re.sub(r"\s+in\s+\S.*$", "", normalize_text(text))
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(word[:1].isupper() for word in words):
        return None
    if any(word.lower().strip(",.") in _NOT_NAME_WORDS for word in words):
        return None  # a job title ("Senior Writer"), furniture or an organisation
    if not names.plausible_name(text):
        return None
    parsed = names.parse_name(text, site_name=site_name)
    return text if parsed is not None and parsed.kind == "person" else None


def _add_dated_bylines(page: _Page) -> None:
    """Unlabelled bylines beside the displayed date, just after the headline.

    Two shapes, each a group of its own (after the labelled bylines): one line of cells
    holding a name, a role and a date ("Jane Doe | Senior Writer | July 2, 2025",
    "Dec 26, 2025 • Jane Doe in Section"; the first cell that is not the date must be a
    person's name), and an element holding only a person's name whose next sibling starts
    with the date ("<p>Jane Doe</p><p>23.07.2025 · 6 min read</p>").
    """
    headline = page.scan.headline
    if headline is None:
        return
    site_name = page.site_names[0] if page.site_names else None
    window = itertools.islice(page.root.iter(), headline + 1, headline + DATED_BYLINE_WINDOW + 1)
    for element in window:
        if not isinstance(element.tag, str) or element.tag in patterns.NON_CONTENT_TAGS:
            continue
        text = _short_text(element, DATED_BYLINE_MAX_CHARS)
        if not text:
            continue
        name: str | None = None
        source = "byline:cells"
        cells = re.split(r"\s*[|•·]\s*", text)
        if len(cells) >= 2 and any(_date_only(cell) for cell in cells if cell):
            rest = [cell for cell in cells if cell and not _date_only(cell)]
            name = _person_cell(rest[0], site_name) if rest else None
        elif len(text) <= 40:
            following = element.getnext()
            if following is not None and isinstance(following.tag, str):
                following_text = _short_text(following, DATED_BYLINE_MAX_CHARS)
                if following_text and _starts_with_date(following_text):
                    name = _person_cell(text, site_name)
                    source = "byline:beside-date"
        if name and not _skippable(element):
            page.candidates.add_authors([name], source)
            return


def _read_dates(page: _Page, title: Field | None) -> tuple[Field | None, Field | None]:
    """(published, modified): structured dates, visible dates, URL tokens, then the checks."""
    _add_structured_dates(page)
    # a date folder in the URL is a day the page gives unambiguously
    page.candidates.known_days.update(token.value[:10] for token in dates.url_dates(page.url))
    _add_time_elements(page)
    displayed = _add_dates_near_headline(page, title)
    for parsed in dates.url_dates(page.url):
        page.candidates.add("published", parsed.value, "url", parsed.raw, parsed.note)
    modified = page.candidates.field("modified")
    published = _choose_published(page, displayed)
    if published is None and modified is not None:
        published = replace(
            modified,
            note=(f"{modified.note}; " if modified.note else "")
            + "the page gives no publication date, only when it was last updated",
        )
    return published, modified


def _add_structured_dates(page: _Page) -> None:
    """Dates from JSON-LD, meta tags (named, then any that look like dates) and microdata."""
    article = page.article
    for json_date in (article.get("datePublished"), article.get("dateCreated")):
        page.add_date("published", _string(json_date), "json-ld")
    for key, value in page.meta_values(patterns.META_PUBLISHED):
        page.add_date("published", value, f"meta:{key}")
    for key, values in page.meta.items():
        if patterns.META_PUBLISHED_KEY.search(key) and not patterns.META_MODIFIED_KEY.search(key):
            for value in values:
                page.add_date("published", value, f"meta:{key}")
    page.add_date("modified", _string(article.get("dateModified")), "json-ld")
    for key, value in page.meta_values(patterns.META_MODIFIED):
        page.add_date("modified", value, f"meta:{key}")
    for key, values in page.meta.items():
        if patterns.META_MODIFIED_KEY.search(key):
            for value in values:
                page.add_date("modified", value, f"meta:{key}")
    for element in page.root.xpath(
        "//*[@itemprop='datePublished' or @itemprop='dateModified'][not(self::meta)]"
    ):
        if _in_other_item(element):
            continue
        value = element.get("content") or element.get("datetime") or _element_text(element)
        target = "published" if element.get("itemprop") == "datePublished" else "modified"
        page.add_date(target, value, "microdata")


def _add_time_elements(page: _Page) -> None:
    """Dates from ``<time>`` elements and date-classed elements outside other articles."""
    candidates, root = page.candidates, page.root
    times = root.xpath("//time[@datetime]")
    for element in times:
        iso = patterns.ISO_DATE.match((element.get("datetime") or "").strip())
        if iso and len(iso["month"]) == 2 and len(iso["day"]) == 2:
            candidates.known_days.add(iso.group(0)[:10])
    times.sort(key=lambda t: t.get("pubdate") is None)
    for element in times:
        if _skippable(element):
            continue
        parent = element.getparent()
        context = f"{_class_of(element)} {_element_text(element)} "
        context += _class_of(parent) if parent is not None else ""
        target = "modified" if patterns.MODIFIED_CLASS.search(context) else "published"
        added = page.add_date(target, element.get("datetime"), "time")
        if added and target == "published":
            break
    visible = 0
    for element in page.scan.dated:
        classes = _class_of(element)
        if element.tag == "time" or not patterns.DATE_CLASS.search(classes) or _skippable(element):
            continue
        text = _element_text(element)
        if not text or len(text) > 120:
            continue
        modified = patterns.MODIFIED_CLASS.search(classes) or patterns.MODIFIED_WORDS.search(text)
        if page.add_date("modified" if modified else "published", text, "html:date", find=True):
            visible += 1
        if visible >= 3:
            break
    for element in root.xpath("//time[not(@datetime)]"):
        if _skippable(element):
            continue
        text = _element_text(element)
        parent = element.getparent()
        context = text + " " + _element_text(parent) if parent is not None else text
        target = "modified" if patterns.MODIFIED_WORDS.search(context[:80]) else "published"
        if page.add_date(target, text, "time", find=True):
            break


def _add_dates_near_headline(page: _Page, title: Field | None) -> Evidence | None:
    """Dates printed around the headline; returns the one the page *displays* as published.

    "Published ..." near the headline, or a bare date right under it, is the date the page
    shows its readers.  Other dates there are only added when nothing better was found.
    """
    candidates = page.candidates
    displayed: Evidence | None = None
    had = {target: target in candidates.fields for target in ("published", "modified")}
    added_targets: set[str] = set()
    served = _served_day(page.headers)
    near = _texts_near_title(page.body_texts(), page.h1 or (title.value if title else None))
    for offset, text, context in near:
        if patterns.NOT_PUBLISHED_DATE_CLASS.search(context):
            continue  # a caption's, a live ticker's, an event's or today's date
        modified = patterns.MODIFIED_WORDS.search(text) or patterns.MODIFIED_CLASS.search(context)
        target = "modified" if modified else "published"
        labelled = target == "published" and (
            bool(patterns.PUBLISHED_LABEL.match(text))
            or (0 < offset <= DISPLAYED_DATE_OFFSET and not _is_served_day(text, served, page))
        )
        if target in added_targets or (had[target] and not labelled):
            continue
        before = len(candidates.fields.get(target, []))
        if page.add_date(target, text, "html:near-title", find=True):
            added_targets.add(target)
            if labelled and len(candidates.fields[target]) > before:
                displayed = candidates.fields[target][-1]
        if len(added_targets) == 2:
            break
    return displayed


def _served_day(headers: Headers) -> str | None:
    """The day the page was served (its HTTP ``Date`` header), as YYYY-MM-DD."""
    value = header_value(headers, "Date")
    if not value:
        return None
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _is_served_day(text: str, served: str | None, page: _Page) -> bool:
    """True when a bare printed date is the day the page was served: a "today" date in the
    page's header, not when the article was published."""
    if served is None:
        return False
    found = dates.find_dates(text, day_first=page.day_first)
    return bool(found) and found[0].value[:10] == served


def _choose_published(page: _Page, displayed: Evidence | None) -> Field | None:
    """The publication date after the checks of the module docstring, each noted."""
    candidates = page.candidates
    published = candidates.fields.get("published", [])
    if (
        displayed is not None
        and published
        and _days_apart(published[0].value, displayed.value) > 1
        and published[0].source != "html:near-title"
    ):
        # a date the page prints as its publication date outranks machine data that disagrees
        first = published[0]
        published.remove(displayed)
        note = f"the page prints this publication date; {first.source} says {first.value}"
        published.insert(
            0, replace(displayed, note=f"{displayed.note}; {note}" if displayed.note else note)
        )
    latest_modified = max(
        (e.value[:10] for e in candidates.fields.get("modified", [])), default=None
    )
    if (
        published
        and latest_modified
        and published[0].value[:10] > latest_modified
        and _days_apart(published[0].value, latest_modified) > PUBLISHED_AFTER_MODIFIED_DAYS
    ):
        # a page is not published after it was last modified: take the first that fits
        earlier = next(
            (e for e in published if e.value[:10] <= latest_modified and e.source != "url"), None
        )
        if earlier is not None:
            first = published[0]
            published.remove(earlier)
            note = (
                f"{first.source} gives {first.value}, after the last modification {latest_modified}"
            )
            published.insert(
                0, replace(earlier, note=f"{earlier.note}; {note}" if earlier.note else note)
            )
    return _local_day(note_agreement(candidates.field("published")), page.url)


def _read_classification(page: _Page, title: Field | None) -> None:
    """Section and genre candidates."""
    candidates, article = page.candidates, page.article
    candidates.add("section", _string(article.get("articleSection")), "json-ld")
    for key, value in page.meta_values(patterns.META_SECTION):
        candidates.add("section", value, f"meta:{key}", value)
    crumb = _breadcrumb_section(page.json_ld, title.value if title else None)
    candidates.add("section", crumb, "json-ld:breadcrumb", crumb)
    for kind in _types(article):
        if kind in patterns.TYPE_GENRES:
            candidates.add("genre", patterns.TYPE_GENRES[kind], "json-ld", f"@type {kind}")
    candidates.add("genre", _string(article.get("genre")), "json-ld")
    for evidence in candidates.fields.get("section", []):
        genre = genre_from_label(evidence.value)
        if genre:
            candidates.add(
                "genre", genre, evidence.source, evidence.value, "from the section label"
            )
    og_type = (page.meta.get("og:type") or [""])[0]
    genre = genre_from_label(og_type.replace("article:", " ").replace(".", " "))
    if genre:
        candidates.add("genre", genre, "meta:og:type", og_type)
    # a news article of no more specific genre (NewsArticle, ReportageNewsArticle, ...):
    # its genre is news, the evidence citations need for a newspaper article
    news = [kind for kind in _types(article) if kind.endswith("NewsArticle")]
    if news and not candidates.fields.get("genre"):
        candidates.add("genre", "News", "json-ld", f"@type {news[0]}")


def _read_description_keywords_and_links(page: _Page) -> None:
    """Description, keywords and the canonical URL candidates."""
    candidates, article, url = page.candidates, page.article, page.url
    candidates.add("description", _string(article.get("description")), "json-ld")
    for key, value in page.meta_values(patterns.META_DESCRIPTION):
        candidates.add("description", value, f"meta:{key}", value)
    keywords_value = article.get("keywords")
    candidates.add_keywords(keywords_value if isinstance(keywords_value, (str, list)) else None)
    for key in patterns.META_KEYWORDS:
        candidates.add_keywords(page.meta.get(key, []))
    for link in page.root.xpath("//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = link.get("href").strip()
            candidates.add("canonical_url", urljoin(url or "", href), "link:canonical", href)
    for key, value in page.meta_values(patterns.META_URL):
        if value.startswith(("http://", "https://", "/")):
            candidates.add("canonical_url", urljoin(url or "", value), f"meta:{key}", value)
    main_entity = page.json_ld.resolve(article.get("mainEntityOfPage"))
    for entity_url in (
        _string(article.get("url")),
        main_entity.get("@id") if isinstance(main_entity, dict) else _string(main_entity),
    ):
        if isinstance(entity_url, str) and entity_url.startswith(("http://", "https://")):
            candidates.add("canonical_url", entity_url, "json-ld", entity_url)


def _breadcrumb_section(json_ld: _JsonLd, title: str | None) -> str | None:
    """The last crumb of a JSON-LD BreadcrumbList before the page itself (not "Home")."""
    for node in json_ld.nodes:
        if "BreadcrumbList" not in _types(node):
            continue
        items = node.get("itemListElement")
        if not isinstance(items, list):
            continue
        crumbs: list[tuple[float, str]] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            inner = item.get("item")
            name = _string(item.get("name")) or (
                _string(inner.get("name")) if isinstance(inner, dict) else None
            )
            position = item.get("position")
            order = float(position) if isinstance(position, (int, float)) else len(crumbs)
            if name:
                crumbs.append((order, normalize_text(name)))
        crumbs.sort(key=lambda crumb: crumb[0])
        names_only = [
            name
            for _, name in crumbs
            if fold(name) not in {"home", "homepage", "start"}
            and not (title and fold(name) == fold(title))
        ]
        if names_only:
            return names_only[-1]
    return None


def genre_from_label(label: str | None) -> str | None:
    """The genre a section label or type names ("Op Eds" -> "Op-ed"), or None."""
    text = normalize_text(label)
    if not text or len(text) > 60:
        return None
    for regex, genre in patterns.GENRE_LABELS:
        if regex.search(text):
            return genre
    return None


def _headline_agrees(
    headline: str, others: Sequence[Evidence], site_names: Sequence[str]
) -> str | None:
    """Why the visible ``<h1>`` should be the title, or None when it is not the headline.

    The ``<h1>`` wins when it shares most of its words with a title the publisher states in
    structured data or ``<title>`` (the same headline, reworded for search engines or
    social media); an ``<h1>`` that is the site's name or shares nothing is a logo or a
    section heading.
    """
    key = fold(headline)
    if not key or any(fold(name) == key for name in site_names) or len(headline.split()) < 2:
        return None
    same = next((other for other in others if fold(other.value) == key), None)
    if same is not None:
        return f"the visible headline, as {same.source} states it"
    letters = [c for c in headline if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return None  # a headline set in capitals: the stated title has the real case
    if any(len(fold(other.value)) >= 10 and fold(other.value) in key for other in others):
        return None  # the <h1> holds the stated title plus page furniture (a date, a count)
    words = {w for w in re.findall(r"\w+", headline.casefold()) if len(w) > 2}
    if not words:
        return None
    for other in others:
        other_words = {w for w in re.findall(r"\w+", other.value.casefold()) if len(w) > 2}
        common = len(words & other_words)
        shared = common / len(words)
        if (
            shared >= HEADLINE_MIN_SHARED
            and common >= HEADLINE_MIN_SHARED * len(other_words)
            and common >= min(2, len(words))
        ):
            return f"the visible headline; shares {shared:.0%} of its words with {other.source}"
    return None


def _days_apart(first: str, second: str) -> int:
    """Whole days between two ISO dates (only their date parts are compared)."""
    try:
        return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)
    except ValueError:
        return 0


def _local_day(published: Field | None, url: str | None) -> Field | None:
    """A UTC date-time that falls on the day after the URL's date folder is that URL day.

    Publishers file articles under their local calendar day (``/2025/12/18/``); a time
    stamped in UTC a few hours later (``2025-12-19T03:05:00Z``) is the same moment on the
    publisher's 18th.  The date-time stays among the candidates.
    """
    if published is None or "T" not in published.value:
        return published
    if not published.value.endswith(("Z", "+00:00")):
        return published
    for token in dates.url_dates(url):
        if "YYMMDD" in (token.note or ""):
            continue
        try:
            stamped = datetime.fromisoformat(published.value.replace("Z", "+00:00"))
            filed = date.fromisoformat(token.value)
        except ValueError:
            continue
        if stamped.date() - filed == timedelta(days=1) and stamped.hour < 12:
            note = (
                f"{published.source} gives {published.value} (UTC), which is {token.value} in the "
                f"publisher's calendar: the URL files it under {token.raw}"
            )
            return Field(token.value, "url", token.raw, note, published.candidates)
    return published


def note_agreement(published: Field | None) -> Field | None:
    """Note when other candidates (a URL token, say) confirm the chosen date."""
    if published is None:
        return None
    confirming = [
        e
        for e in published.candidates[1:]
        if e.value[:10] == published.value[:10] and e.source != published.source
    ]
    if not confirming:
        return published
    text = "confirmed by " + ", ".join(f"{e.source} {e.raw!r}" for e in confirming[:3])
    return replace(published, note=f"{published.note}; {text}" if published.note else text)


def complete_metadata(
    metadata: Metadata, *, paragraphs: Sequence[Paragraph], url: str | None, headers: Headers
) -> Metadata:
    """Fill what only the article text can tell (language detection as the last resort)."""
    if metadata.language is not None:
        return metadata
    detection = detect_language("\n".join(p.text for p in paragraphs))
    if detection is None:
        return metadata
    evidence = Evidence(detection.language, "detection", detection.language, detection.evidence)
    return replace(
        metadata,
        language=Field(
            detection.language, "detection", detection.language, detection.evidence, (evidence,)
        ),
    )


__all__ = [
    "Candidates",
    "Metadata",
    "clean_title",
    "complete_metadata",
    "extract_html_metadata",
    "fold",
    "genre_from_label",
    "host_label",
    "normalize_language",
    "normalize_text",
    "note_agreement",
]

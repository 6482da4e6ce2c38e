"""Authors: structured data, visible bylines, bios and URL slugs, by precedence groups."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from warcite.core.models import Person
from warcite.extract import dates, names, patterns
from warcite.extract.metadata.common import (
    BYLINE_MAX_CHARS,
    CO_AUTHOR_DISTANCE,
    DATED_BYLINE_MAX_CHARS,
    DATED_BYLINE_WINDOW,
    normalize_text,
)
from warcite.extract.metadata.jsonld import json_ld_people
from warcite.extract.metadata.reader import (
    PageReader,
    class_of,
    dates_removed,
    element_text,
    in_other_item,
    named_descendants,
    short_text,
    skippable,
    text_within,
    visible_text,
)

#: Where a byline's names end: a separator, or the date or other furniture after them
_BYLINE_END = re.compile(r"\s+(?:[|•·]|on|On|Updated|Published|Posted)\s+")


def _visible_bylines(elements: Sequence[Any], url: str | None) -> list[tuple[str, str, Any]]:
    """(names text, source, element) from byline-like elements, in document order, first few.

    Links to author pages count only on the page's own site (not social-media profiles).
    """
    found: list[tuple[str, str, Any]] = []
    own_host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    for element in elements:
        classes = class_of(element)
        if classes and patterns.ROLE_CLASS.search(classes):
            continue  # the author's job title ("author-title", "byline__role"), not a name
        own = normalize_text(element.text)
        text: str | None = None
        source = "byline"
        if element.tag == "a" and "author" in (element.get("rel") or "").lower().split():
            text, source = element_text(element), "rel-author"
        elif (
            patterns.BYLINE_LABEL.match(own)
            and len(element) <= 2
            and patterns.BYLINE_LABEL.match(element_text(element))
        ):
            # "<span>By</span><span>Jane Doe</span>", "<p>Written by</p><p>Jane Doe</p>"
            following = element.getnext()
            tail = normalize_text(element.tail)
            text = image_alt(element) or tail
            if not text and following is not None:
                text = element_text(following) or image_alt(following)
        elif own.startswith(patterns.BYLINE_TEXT_STARTS) or patterns.BYLINE_LABEL.match(own):
            # the byline up to the date or other furniture after it ("Posted by Jane Doe on
            # Friday December 19, 2025 @08:00PM from the ... dept.")
            full = _BYLINE_END.split(element_text(element))[0]
            if len(full) <= 80 and re.match(
                r"^(?:By|BY|by|Written by|Posted by|Von|Par|Por):?\s+[A-ZÀ-Ý]", full
            ):
                text = full
        elif (
            element.tag in patterns.ICON_TAGS
            and patterns.PERSON_ICON.search(classes)
            and not element_text(element)
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
            text = (
                element_text(element)
                or normalize_text(element.get("aria-label"))
                or image_alt(element)  # the author's photo as the link: its alt is the name
            )
            source = "html:author-link"
        if not text or len(text) > 120 or skippable(element):
            continue
        text = _BYLINE_END.split(text)[0]
        text = dates_removed(text)
        if text and any(c.isupper() for c in text):
            found.append((text, source, element))
        if len(found) >= 4:
            break
    return found


def _text_without_roles(element: Any) -> str:
    """The visible text of a byline element without its job-title parts (an element classed
    "author-title", "job-title", "byline__role" inside it)."""
    roles = [
        child
        for child in element.iterdescendants()
        if isinstance(child.tag, str) and patterns.ROLE_CLASS.search(class_of(child))
    ]
    if not roles:
        return element_text(element)
    texts = [
        text
        for text in visible_text(element)
        if not any(
            role == text.getparent() or role in text.getparent().iterancestors() for role in roles
        )
        or (text.is_tail and text.getparent() in roles)
    ]
    return normalize_text(" ".join(texts))


def read_authors(page: PageReader) -> tuple[Person, ...]:
    """Authors, by groups of sources in precedence order (see the module docstring)."""
    candidates, article = page.candidates, page.article
    json_ld_group: list[names.NameCandidate] = []
    for found in json_ld_people(article.get("author") or article.get("creator"), page.json_ld):
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
    for element in page.itemprop_elements("author", "creator"):
        if in_other_item(element):
            continue  # the author of a comment or a review on the page, not of the article
        inner = named_descendants(element, "name")
        holder = inner[0] if inner else element
        value = holder.get("content") or element_text(holder)
        if value and len(value) <= 80:
            microdata_names.append(value)
    candidates.add_authors(microdata_names, "microdata")
    _add_visible_bylines(page)
    _add_dated_bylines(page)
    bio_group: list[names.NameCandidate] = []
    for element in page.scan.bios:
        if not patterns.BIO_CLASS.search(class_of(element)):
            continue
        text = element_text(element)
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


def _add_visible_bylines(page: PageReader) -> None:
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
            and any(a == container for a in element.iterancestors())
        ):
            groups.append([])
            first_position = position
            # the byline's container: its parent, or grandparent while still byline-sized
            container = element.getparent()
            grandparent = container.getparent() if container is not None else None
            # (a grandparent holding the whole article is not joined only to say so)
            if grandparent is not None and text_within(grandparent, BYLINE_MAX_CHARS):
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


def _add_dated_bylines(page: PageReader) -> None:
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
        text = short_text(element, DATED_BYLINE_MAX_CHARS)
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
                following_text = short_text(following, DATED_BYLINE_MAX_CHARS)
                if following_text and _starts_with_date(following_text):
                    name = _person_cell(text, site_name)
                    source = "byline:beside-date"
        if name and not skippable(element):
            page.candidates.add_authors([name], source)
            return


def image_alt(element: Any) -> str | None:
    """The ``alt`` text of the first image in a byline element (a photo standing for the
    author's name: "<a href=/author/...><img alt='In Ae Hyun'></a>"), or None."""
    for image in element.iter("img"):
        alt = normalize_text(image.get("alt"))
        if alt and len(alt) <= 80 and not re.search(r"\.(?:jpe?g|png|gif|webp|svg)$", alt, re.I):
            return alt
        return None
    return None

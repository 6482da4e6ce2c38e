"""JSON-LD: tolerant parsing of ``ld+json`` scripts, the article node, and its people."""

from __future__ import annotations

import html as html_module
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from warcite.core.models import Affiliation
from warcite.extract import compact, names, patterns
from warcite.extract.metadata.common import JSON_LD_MAX_DEPTH, normalize_text


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


def json_types(node: dict[str, Any]) -> list[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return [str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)]


def json_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > JSON_LD_MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from json_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key, value in data.items():
            if key != "@context" and isinstance(value, (dict, list)):
                yield from json_nodes(value, depth + 1)


def json_string(value: Any, depth: int = 0) -> str | None:
    """The first string in a JSON-LD value (a string, a list, a ``@value`` or a ``name``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if depth > JSON_LD_MAX_DEPTH:
        return None
    if isinstance(value, list):
        strings = [s for s in (json_string(v, depth + 1) for v in value[:50]) if s]
        return strings[0] if strings else None
    if isinstance(value, dict):
        return json_string(value.get("@value") or value.get("name"), depth + 1)
    return None


@dataclass
class JsonLd:
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
            if kind in json_types(node):
                name = json_string(node.get("name"))
                if name:
                    return name
        return None


_JSON_LD_SCRIPTS = etree.XPath(
    "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
    "'abcdefghijklmnopqrstuvwxyz'), 'ld+json')]"
)


def read_json_ld(root: Any) -> JsonLd:
    """The JSON-LD of the page (``root``: lxml's tree or a
    :class:`warcite.extract.compact.Element`)."""
    result = JsonLd()
    scripts = (
        compact.json_ld_scripts(root)
        if isinstance(root, compact.Element)
        else _JSON_LD_SCRIPTS(root)
    )
    for script in scripts:
        for data in _load_json(script.text or ""):
            for node in json_nodes(data):
                result.nodes.append(node)
                node_id = node.get("@id")
                if isinstance(node_id, str) and len(node) > 2:
                    result.index.setdefault(node_id, node)
    articles = [n for n in result.nodes if set(json_types(n)) & patterns.ARTICLE_TYPES]
    articles.sort(
        key=lambda n: (not (n.get("headline") or n.get("name")), "CreativeWork" in json_types(n))
    )
    media = [
        n
        for n in result.nodes
        if set(json_types(n)) & patterns.MEDIA_WORK_TYPES
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
            if set(json_types(n)) & {"WebPage", "ItemPage"}
            and (n.get("headline") or n.get("datePublished"))
        ]
        result.article = pages[0] if pages else None
    return result


def json_ld_people(value: Any, data: JsonLd, depth: int = 0) -> list[names.NameCandidate]:
    """The people or organisations of a JSON-LD ``author`` value, with what it says of them.

    A Person's ``jobTitle`` with ``worksFor``/``affiliation`` gives an affiliation and role,
    its ``description`` a bio.
    """
    value = data.resolve(value)
    if isinstance(value, list):
        if depth > JSON_LD_MAX_DEPTH:
            return []
        return [found for item in value[:50] for found in json_ld_people(item, data, depth + 1)]
    if isinstance(value, str):
        if value.startswith(("http://", "https://", "/")):
            return []
        return [names.NameCandidate(value, "json-ld")]
    if not isinstance(value, dict):
        return []
    name = json_string(value.get("name"))
    if not name and (value.get("givenName") or value.get("familyName")):
        name = " ".join(
            filter(
                None, [json_string(value.get("givenName")), json_string(value.get("familyName"))]
            )
        )
    if not name:
        return []
    role = json_string(value.get("jobTitle"))
    affiliations: list[Affiliation] = []
    employers = data.resolve(value.get("worksFor") or value.get("affiliation"))
    for employer in employers if isinstance(employers, list) else [employers]:
        employer = data.resolve(employer)
        organisation = json_string(employer)
        if organisation and len(organisation) <= 150:
            alternate = (
                json_string(employer.get("alternateName")) if isinstance(employer, dict) else None
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
    description = json_string(value.get("description"))
    bio = None
    if description and len(description) <= 2000:
        # descriptions are often HTML fragments
        bio = normalize_text(html_module.unescape(re.sub(r"<[^>]+>", " ", description))) or None
    if bio and not affiliations:
        parsed = names.parse_bio(bio)
        if parsed and names.same_person(parsed.name, name):
            affiliations = list(parsed.affiliations)
    family = json_string(value.get("familyName"))
    return [names.NameCandidate(name, "json-ld", bio, tuple(affiliations[:5]), family=family)]

"""Section, genre, description, keywords and the canonical URL."""

from __future__ import annotations

from urllib.parse import urljoin

from warcite.core.models import Field
from warcite.extract import patterns
from warcite.extract.metadata.common import fold, normalize_text
from warcite.extract.metadata.jsonld import JsonLd, json_string, json_types
from warcite.extract.metadata.reader import PageReader


def read_classification(page: PageReader, title: Field | None) -> None:
    """Section and genre candidates."""
    candidates, article = page.candidates, page.article
    candidates.add("section", json_string(article.get("articleSection")), "json-ld")
    for key, value in page.meta_values(patterns.META_SECTION):
        candidates.add("section", value, f"meta:{key}", value)
    crumb = _breadcrumb_section(page.json_ld, title.value if title else None)
    candidates.add("section", crumb, "json-ld:breadcrumb", crumb)
    for kind in json_types(article):
        if kind in patterns.TYPE_GENRES:
            candidates.add("genre", patterns.TYPE_GENRES[kind], "json-ld", f"@type {kind}")
    candidates.add("genre", json_string(article.get("genre")), "json-ld")
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
    news = [kind for kind in json_types(article) if kind.endswith("NewsArticle")]
    if news and not candidates.fields.get("genre"):
        candidates.add("genre", "News", "json-ld", f"@type {news[0]}")


def read_description_keywords_and_links(page: PageReader) -> None:
    """Description, keywords and the canonical URL candidates."""
    candidates, article, url = page.candidates, page.article, page.url
    candidates.add("description", json_string(article.get("description")), "json-ld")
    for key, value in page.meta_values(patterns.META_DESCRIPTION):
        candidates.add("description", value, f"meta:{key}", value)
    keywords_value = article.get("keywords")
    candidates.add_keywords(keywords_value if isinstance(keywords_value, (str, list)) else None)
    for key in patterns.META_KEYWORDS:
        candidates.add_keywords(page.meta.get(key, []))
    for link in (e for e in page.root.iter("link") if e.get("href") is not None):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = link.get("href").strip()
            candidates.add("canonical_url", urljoin(url or "", href), "link:canonical", href)
    for key, value in page.meta_values(patterns.META_URL):
        if value.startswith(("http://", "https://", "/")):
            candidates.add("canonical_url", urljoin(url or "", value), f"meta:{key}", value)
    main_entity = page.json_ld.resolve(article.get("mainEntityOfPage"))
    for entity_url in (
        json_string(article.get("url")),
        main_entity.get("@id") if isinstance(main_entity, dict) else json_string(main_entity),
    ):
        if isinstance(entity_url, str) and entity_url.startswith(("http://", "https://")):
            candidates.add("canonical_url", entity_url, "json-ld", entity_url)


def _breadcrumb_section(json_ld: JsonLd, title: str | None) -> str | None:
    """The last crumb of a JSON-LD BreadcrumbList before the page itself (not "Home")."""
    for node in json_ld.nodes:
        if "BreadcrumbList" not in json_types(node):
            continue
        items = node.get("itemListElement")
        if not isinstance(items, list):
            continue
        crumbs: list[tuple[float, str]] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            inner = item.get("item")
            name = json_string(item.get("name")) or (
                json_string(inner.get("name")) if isinstance(inner, dict) else None
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

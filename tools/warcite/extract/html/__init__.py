"""HTML -> the article's own blocks, in reading order, boilerplate removed.

The steps of :func:`extract_html`:

1. **Parse** with lxml's HTML parser: recovering from broken markup, no network, no
   entity resolution, comments and processing instructions dropped.  ``</body>`` and
   ``</html>`` end tags are removed first (browsers ignore them; libxml2 would drop what
   follows).  libxml2 stops at a nesting depth of 256 (warcite never sets ``huge_tree``), so
   a pathological page costs bounded time and memory; the Extraction then carries a warning
   that deeper text is missing.  A ``<script>`` or ``<style>`` over 8 MiB is emptied first
   (libxml2 stops at a text node of 10 MB), with a warning.
2. **Metadata** is read from the untouched tree (:mod:`warcite.extract.metadata`).
3. **Blocks**: scripts, media, form controls and captions are removed; one pass over the
   whole document (``<head>`` included: libxml2 puts text it met in odd places there) turns
   it into text blocks (paragraphs, headings, list items, quotes, preformatted text, table
   rows with cells joined by " | "), noting each block's element, its link text, and the
   enclosing elements *marked* as furniture: ``nav``, ``footer``, ``aside``, ``menu``, a
   ``header`` without the ``h1`` or a long paragraph, non-content ARIA roles, hidden
   elements, and class or id names of furniture (share, comments, related, ads,
   newsletter, byline, author, cookie, ...; utility-CSS tokens, negations such as
   ``no_toc``, WordPress modifiers such as ``tag-news`` and heading anchor ids are not
   names).  Inside ``<pre>`` nothing is marked.
4. **Marks on wrappers are lifted**: a marked element holding half the page's prose wraps
   the article (``has-sidebar``, ``body-ad-wrapper``), unless it is a comment section or
   semantic furniture that is not swallowing the page through broken nesting; hidden
   elements holding half the prose together are text a script reveals (a warning says so).
5. **The article's container** is the element whose subtree scores best (one pass, from
   the leaves up): prose (long or sentence-like, link-poor blocks) counts for it, link
   lists and short fragments against it; an element marked as the article body
   (``itemprop=articleBody``, ``entry-content``, ...) is preferred when it holds nearly as
   much prose.
6. **Filter** the container's blocks: furniture, link lists (except links with a
   description of their own), placeholder text, page-furniture lines ("Share", "Read more",
   "Advertisement", copyright), the title heading (the title is metadata), bylines and
   datelines (metadata too; never in table rows), a trailing run of teasers (links to
   other stories with blurbs), and everything from a heading that ends an article
   ("Comments", "Related articles", "About the author"; "More on X" only when less prose
   follows than precedes it).

A page of 8 MiB or more (``streamed.STREAMED_PAGE_BYTES``) builds no libxml2 tree at all: its
metadata (step 2) is read from a compact document of the first parse
(:mod:`warcite.extract.compact`, which equals the tree), freed before steps 3 to 5 are done on
a second parse into events, the blocks and elements kept as rows of arrays (:mod:`.streamed`,
:mod:`.rows`): the same metadata, blocks and container, in about 3.5 times the page
(docs/extraction.md, "Memory").

A page without a run of prose (a listing, a video page, a stub, an error page) keeps its
metadata and the little text it has (possibly none), with a warning that begins "no article
text found"; ``warcite record`` refuses a page with no text at all (exit 4) and keeps one
with a short text, the warning in its extraction event.  An empty document, or one with
neither text nor a title, raises :class:`~warcite.core.errors.ExtractionError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

from lxml.html import HtmlElement

from warcite.core.errors import ExtractionError
from warcite.core.models import Extraction, Headers, Paragraph
from warcite.extract import metadata as metadata_module
from warcite.extract.html import streamed
from warcite.extract.html.assembly import build_blocks
from warcite.extract.html.blocks import (  # noqa: F401
    ARTICLE_PROSE_SHARE,
    CONSENT_MAX_CHARS,
    DESCRIBED_LINK_MAX_DENSITY,
    DESCRIBED_LINK_MIN_CHARS,
    DISCLOSURE_MAX_CHARS,
    FILLER_PAGE_SHARE,
    FILLER_WORD_SHARE,
    FURNITURE_MAX_CHARS,
    HIDDEN_COPY_SHARE,
    LINK_LIST_DENSITY,
    MARKED_BODY_SHARE,
    MIN_ARTICLE_CHARS,
    PROSE_MAX_LINK_DENSITY,
    PROSE_MIN_CHARS,
    SENTENCE_MIN_CHARS,
    TEASER_MAX_CHARS,
    TEASER_MIN_LINKS,
    Block,
    normalize_preformatted,
    normalize_text,
)
from warcite.extract.html.cleaning import (  # noqa: F401
    attribute_words,
    discard_non_text,
    marks_boilerplate,
    names_boilerplate,
    swallowing_controls,
)
from warcite.extract.html.container import choose_container
from warcite.extract.html.filtering import filter_blocks, kept_positions, title_candidates
from warcite.extract.html.parse import (  # noqa: F401
    MAX_RAW_TEXT_BYTES,
    parse_compact,
    parse_html,
    parse_with_warnings,
)
from warcite.extract.html.rows import HIDDEN_TEXT, BlockView, Paragraphs, table_rows
from warcite.extract.surnames import settle_surnames


def article_paragraphs(root: HtmlElement, *, title: str | None = None) -> tuple[Paragraph, ...]:
    """The article's paragraphs from a parsed page (modifies ``root``).

    Raises :class:`ExtractionError` when the page holds no article text.
    """
    paragraphs, warnings = _article(root, title)
    if any(warning.startswith(NO_ARTICLE) for warning in warnings):
        raise ExtractionError(next(w for w in warnings if w.startswith(NO_ARTICLE)))
    return paragraphs


#: How the warning of a page without an article begins.
NO_ARTICLE = "no article text found"


def _article(root: HtmlElement, title: str | None) -> tuple[tuple[Paragraph, ...], tuple[str, ...]]:
    """The article's paragraphs, and warnings about how they were found.

    A page without a run of prose (a listing, a video page, a stub, an error page) gives
    the short text it has (possibly none) and a warning beginning :data:`NO_ARTICLE`.
    """
    titles = title_candidates(root, title)
    # Not only <body>: libxml2 leaves text it met in odd places inside <head>.
    discard_non_text(root)
    blocks = build_blocks(root)
    container, _prose = choose_container(blocks)
    if container is None:
        return (), (f"{NO_ARTICLE}: the page has no text",)
    chosen = [
        block for block in blocks if not block.boilerplate and _within(block.owner, container)
    ]
    del blocks, container, _prose
    kept = filter_blocks(chosen, titles)
    del chosen
    return _kept_paragraphs(kept)


def _streamed_article(
    pieces: Iterable[str], unwrapped: set[int], titles: list[str]
) -> tuple[tuple[Paragraph, ...], tuple[str, ...]]:
    """:func:`_article` of a page parsed again into events (:mod:`.streamed`), its blocks
    and elements kept as rows of arrays (:mod:`.rows`) rather than objects."""
    table = streamed.streamed_blocks(pieces, unwrapped)
    streamed.release_memory()  # what the parser and the builder freed
    chosen = streamed.chosen_rows(table)
    if chosen is None:
        return (), (f"{NO_ARTICLE}: the page has no text",)
    remaining, positions = kept_positions(cast("list[Block]", chosen), titles)  # views
    kept = table_rows(cast("list[BlockView]", remaining), positions)
    del chosen, remaining, positions
    warnings = _text_warnings(
        sum(table.prose_chars[row] for row in kept),
        len(kept),
        any(table.flags[row] & HIDDEN_TEXT for row in kept),
    )
    table.release_all_but_text()
    streamed.release_memory()  # the arrays freed before the paragraphs are made
    return tuple(Paragraphs(table, kept)), warnings


def _kept_paragraphs(kept: list[Block]) -> tuple[tuple[Paragraph, ...], tuple[str, ...]]:
    """The paragraphs of the container's blocks that passed the filters, with warnings
    (``kept`` is emptied: each block is freed once its paragraph is made)."""
    warnings = _text_warnings(
        sum(block.prose_chars for block in kept),
        len(kept),
        any(block.hidden_text for block in kept),
    )
    kept.reverse()
    paragraphs = []
    while kept:
        block = kept.pop()
        paragraphs.append(Paragraph(text=block.text, kind=block.kind))
    return tuple(paragraphs), warnings


def _text_warnings(prose_chars: int, blocks: int, hidden_text: bool) -> tuple[str, ...]:
    """The warnings about the text kept: ``prose_chars`` in ``blocks`` blocks, some of them
    from hidden elements (``hidden_text``)."""
    warnings: tuple[str, ...] = ()
    if prose_chars < MIN_ARTICLE_CHARS:
        warnings = (
            f"{NO_ARTICLE}: the page holds no run of prose (its best candidate has "
            f"{prose_chars} characters of it, fewer than {MIN_ARTICLE_CHARS}); it may be a "
            "listing, a video page, a stub, an error page, or a page whose text is built by "
            f"scripts; only its metadata and {blocks} short block(s) of text were kept",
        )
    if hidden_text:
        warnings += (
            "most of the text sits in elements the page hides until a script shows them; "
            "it was read as the article",
        )
    return warnings


def _within(element: HtmlElement, container: HtmlElement) -> bool:
    """``element`` is ``container`` or inside it (no set of a large page's elements)."""
    return element is container or any(
        ancestor is container for ancestor in element.iterancestors()
    )


def extract_html(
    text: str | Iterable[str],
    *,
    url: str | None = None,
    headers: Headers = (),
    charset: str | None = None,
    media_type: str = "text/html",
    reread: Callable[[], Iterable[str]] | None = None,
) -> Extraction:
    """The clean article text and metadata of an HTML page (already decoded to ``text``,
    or given as the decoded text's pieces in order, which are never joined).

    ``reread``, when given, gives the decoded text's pieces again: the tree is then used
    for the metadata only and freed, and the text is read from a second parse that builds
    no tree (:mod:`warcite.extract.html.streamed`; :func:`warcite.extract.extract` does this
    for a page of at least :data:`~warcite.extract.html.streamed.STREAMED_PAGE_BYTES`).

    ``media_type`` is the page's declared type (``text/html`` or ``application/xhtml+xml``),
    kept in the Extraction.
    """
    from warcite.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION

    if reread is None:
        root, parse_warnings = parse_with_warnings(text)
        del text  # a caller's pieces: read, and released
        meta = metadata_module.extract_html_metadata(root, url=url, headers=headers)
        title = meta.title.value if meta.title else None
        paragraphs, text_warnings = _article(root, title)
        del root  # the tree is no longer needed: freed before the text is put together
    else:  # a large page: metadata from a compact parse, the text from a second parse
        document, parse_warnings = parse_compact(text)
        del text
        meta = metadata_module.extract_html_metadata(document, url=url, headers=headers)
        title = meta.title.value if meta.title else None
        titles = title_candidates(document, title)
        unwrapped = {control.place for control in swallowing_controls(document)}
        del document
        streamed.release_memory()
        paragraphs, text_warnings = _streamed_article(reread(), unwrapped, titles)
    if not paragraphs and meta.title is None:
        raise ExtractionError(
            next(warning for warning in text_warnings if warning.startswith(NO_ARTICLE))
            + "; nor a title or other metadata worth keeping"
        )
    meta = metadata_module.complete_metadata(meta, paragraphs=paragraphs, url=url, headers=headers)
    return Extraction(
        paragraphs=paragraphs,
        title=meta.title,
        authors=settle_surnames(meta.authors, lambda: "\n".join(p.text for p in paragraphs)),
        published=meta.published,
        modified=meta.modified,
        publisher=meta.publisher,
        section=meta.section,
        genre=meta.genre,
        language=meta.language,
        description=meta.description,
        keywords=meta.keywords,
        canonical_url=meta.canonical_url,
        url=url,
        media_type=media_type,
        charset=charset,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
        warnings=parse_warnings + text_warnings,
    )


__all__ = [
    "Block",
    "article_paragraphs",
    "build_blocks",
    "choose_container",
    "discard_non_text",
    "extract_html",
    "filter_blocks",
    "normalize_text",
    "parse_html",
]

"""Filtering the container's blocks: furniture lines, titles, teasers, end headings."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from lxml.html import HtmlElement

from warcite.extract import compact
from warcite.extract import selectors as sel
from warcite.extract.html.blocks import (
    DESCRIBED_LINK_MAX_DENSITY,
    DESCRIBED_LINK_MIN_CHARS,
    DISCLOSURE_MAX_CHARS,
    FILLER_PAGE_SHARE,
    FILLER_WORD_SHARE,
    FURNITURE_MAX_CHARS,
    LINK_LIST_DENSITY,
    MIN_ARTICLE_CHARS,
    TEASER_MAX_CHARS,
    TEASER_MIN_LINKS,
    WORD,
    Block,
    comparable,
)
from warcite.extract.html.slideshows import without_slideshows


def title_candidates(root: HtmlElement | compact.Element, metadata_title: str | None) -> list[str]:
    candidates = [metadata_title] if metadata_title else []
    stated = (
        compact.stated_titles(root)
        if isinstance(root, compact.Element)
        else root.xpath(
            "//head/title/text() | //meta[@property='og:title' or @name='twitter:title']/@content"
        )
    )
    for value in stated[:4]:
        candidates.append(str(value))
    return [c for c in (comparable(c) for c in candidates) if c]


def _is_title(text: str, titles: Sequence[str]) -> bool:
    heading = comparable(text)
    if not heading:
        return False
    for title in titles:
        if heading == title:
            return True
        if len(heading) >= 0.5 * len(title) and (heading in title or title in heading):
            return True
    return False


def _without_teaser_tail(blocks: Sequence[Block]) -> Sequence[Block]:
    """``blocks`` without a trailing run of teasers (links to other stories, short blurbs).

    The run is the longest tail holding only link-dense blocks and short ones, from its
    first link on; it is cut when it has at least :data:`TEASER_MIN_LINKS` links and less
    prose than the text before it.
    """
    links = 0
    prose = 0
    start = len(blocks)
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.link_density >= LINK_LIST_DENSITY:
            links += 1
        elif len(block.text) < TEASER_MAX_CHARS:
            prose += block.prose_chars
        else:
            break
        start = index
    if links < TEASER_MIN_LINKS:
        return blocks
    # Prose running on after the run's last link, two blocks or more of it, is the article
    # resuming after an in-body box of links, not the blurb of a last teaser.
    resumed = 0
    resumed_blocks = 0
    for block in reversed(blocks):
        if block.link_density >= LINK_LIST_DENSITY:
            break
        resumed += block.prose_chars
        resumed_blocks += 1 if block.prose_chars else 0
    if resumed_blocks >= 2 and resumed >= MIN_ARTICLE_CHARS:
        return blocks
    # The teasers begin at the run's first link: short closing lines before it are the
    # article's own.
    while blocks[start].link_density < LINK_LIST_DENSITY:
        prose -= blocks[start].prose_chars
        start += 1
    before = sum(block.prose_chars for block in blocks[:start])
    return blocks[:start] if prose < before else blocks


def _is_filler(block: Block) -> bool:
    """Placeholder Latin ("Lorem ipsum dolor sit amet ..."), by its words."""
    if not block.prose_chars:
        return False
    words = WORD.findall(block.text.lower())
    filler = sum(1 for word in words if word in sel.FILLER_WORDS)
    return filler >= FILLER_WORD_SHARE * len(words)


def _article_resumes(blocks: Sequence[Block], heading: int) -> bool:
    """True when the article goes on after a list headed by ``blocks[heading]``.

    The list is the run of link-dense or short non-prose blocks after the heading; the
    article resumes when prose follows it, at least :data:`MIN_ARTICLE_CHARS` of it, in
    blocks that are mostly prose rather than more links (teasers alternate links and blurbs).
    """
    index = heading + 1
    while index < len(blocks) and (
        blocks[index].link_density >= LINK_LIST_DENSITY or not blocks[index].prose_chars
    ):
        if blocks[index].kind == "heading" and index > heading + 1:
            break  # a new section: look at what follows it
        index += 1
    rest = blocks[index:]
    prose = sum(block.prose_chars for block in rest)
    prose_blocks = sum(1 for block in rest if block.prose_chars)
    link_blocks = sum(1 for block in rest if block.link_density >= LINK_LIST_DENSITY)
    return index > heading + 1 and prose >= MIN_ARTICLE_CHARS and prose_blocks > 2 * link_blocks


def filter_blocks(blocks: Sequence[Block], titles: Sequence[str]) -> list[Block]:
    """The article's own blocks: furniture, title, byline, dateline and tail lists removed.

    A heading that ends articles ("Comments", "Related posts", "About the author") cuts the
    rest; a heading that may ("More on X", "Read more") cuts it only when less prose follows
    it than precedes it: in a list article "More on X" can be a section.
    """
    remaining, kept = kept_positions(blocks, titles)
    return [remaining[index] for index in kept]


def kept_positions(
    blocks: Sequence[Block], titles: Sequence[str]
) -> tuple[Sequence[Block], array[int]]:
    """:func:`filter_blocks` as positions: the blocks left once slideshows and a teaser
    tail are cut (``blocks`` itself, a slice of it, or a list of its items), and the
    positions in them of the blocks kept, in order (an array: no object per block, for the
    rows of a large page, :mod:`warcite.extract.html.rows`)."""
    blocks = _without_teaser_tail(without_slideshows(blocks))
    # Placeholder text ("Lorem ipsum ...") is template filler on a page with real prose, and
    # the page's content where nearly all its prose is placeholder Latin (a demo page).  In
    # one pass (a large page's blocks are views made as they are read): the prose before
    # each block (an array: no int object per block), all of it, the placeholder's.
    prose_before = array("q", [0]) * (len(blocks) + 1)
    total_prose = filler_prose = 0
    for index, block in enumerate(blocks):
        prose_before[index] = total_prose
        total_prose += block.prose_chars
        if _is_filler(block):
            filler_prose += block.prose_chars
    prose_before[len(blocks)] = total_prose
    drop_placeholders = filler_prose < FILLER_PAGE_SHARE * total_prose
    kept = array("i")
    seen_prose = False
    for index, block in enumerate(blocks):
        text = block.text
        short = len(text) <= FURNITURE_MAX_CHARS
        if (
            seen_prose
            and (block.kind == "heading" or (short and not block.prose_chars))
            and len(text) <= 80
            and block.link_density < LINK_LIST_DENSITY  # a button or link is not a heading
        ):
            if sel.END_OF_ARTICLE_HEADING.match(text):
                break
            if sel.RELATED_HEADING.match(text) and not _article_resumes(blocks, index):
                break
            if (
                block.kind == "heading"
                and sel.MAYBE_END_OF_ARTICLE_HEADING.match(text)
                and total_prose - prose_before[index + 1] < prose_before[index]
            ):
                break
        if block.link_density >= LINK_LIST_DENSITY and block.kind != "preformatted":
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            linked_heading = (
                block.kind == "heading" and following is not None and following.prose_chars > 0
            )
            # A link with a description of its own ("Arbor Day Foundation - information
            # about planting trees") is a reference the article gives, not navigation.
            described_link = (
                len(text) >= DESCRIBED_LINK_MIN_CHARS
                and block.link_density < DESCRIBED_LINK_MAX_DENSITY
            )
            if not (linked_heading or described_link):
                continue
        if short and is_labelled_teaser(block):
            continue
        table_row = block.owner.tag == "tr"  # data: a row may well start with a date
        if (drop_placeholders and sel.PLACEHOLDER_TEXT.match(text)) or (
            not table_row
            and (
                (short and sel.BOILERPLATE_LINE.match(text))
                or (len(text) <= DISCLOSURE_MAX_CHARS and sel.AFFILIATE_DISCLOSURE.search(text))
            )
        ):
            continue
        if not seen_prose:
            if block.kind == "heading" and _is_title(text, titles):
                continue
            if (
                short
                and not table_row
                and (sel.BYLINE_LINE.match(text) or sel.DATELINE_LINE.match(text))
            ):
                continue
        elif (
            short
            and not table_row
            and (
                sel.DATELINE_LINE.match(text)
                or (block.kind == "paragraph" and sel.BYLINE_LINE.match(text))
            )
        ):
            continue
        if block.prose_chars:
            seen_prose = True
        kept.append(index)
    while kept and blocks[kept[-1]].kind == "heading":
        kept.pop()  # a heading with nothing under it is the start of what was cut
    return blocks, kept


def is_labelled_teaser(block: Block) -> bool:
    """A label and a link to another story: "Read also: <a>...</a>", "BREAKING: <a>...</a>".

    The link is most of what follows the label; such a block is a teaser or a news strip
    inside the article's container, whatever its length.
    """
    if not block.link_chars or block.kind == "preformatted":
        return False
    label = sel.TEASER_LABEL.match(block.text)
    if label is None:
        return False
    rest = len(block.text) - label.end()
    return rest > 0 and block.link_chars >= 0.6 * rest

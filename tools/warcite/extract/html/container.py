"""Candidate scoring: the element whose subtree holds the article."""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

from warcite.extract.html.blocks import LINK_LIST_DENSITY, MARKED_BODY_SHARE, Block
from warcite.extract.html.cleaning import names_content


def block_value(block: Block) -> float:
    if block.boilerplate:
        return 0.0  # dropped wherever the container is: it neither helps nor costs
    prose = block.prose_chars
    if prose:
        return float(prose)
    if block.kind == "preformatted":
        return 0.0
    length = len(block.text)
    if block.link_density >= LINK_LIST_DENSITY:
        return -0.5 * length
    return -0.1 * length


def choose_container(
    blocks: Sequence[Block],
) -> tuple[HtmlElement | None, dict[HtmlElement, float]]:
    """The element whose blocks score best, and the prose held by each candidate.

    Each block's value goes to its owner; one pass over the tree from the leaves up then
    gives every element the sum of its subtree (linear in the size of the page).
    """
    scores: dict[HtmlElement, float] = {}
    prose: dict[HtmlElement, float] = {}
    for block in blocks:
        owner = block.owner
        scores[owner] = scores.get(owner, 0.0) + block_value(block)
        chars = 0 if block.boilerplate else block.prose_chars
        if chars:
            prose[owner] = prose.get(owner, 0.0) + chars
    if blocks:
        # Every element from the leaves up (reversed document order); only the owners of
        # blocks and their ancestors can have a score, so only they are listed (not every
        # element of a large page).
        scored: set[HtmlElement] = set()
        for owner in list(scores):
            element = owner
            while element is not None and element not in scored:
                scored.add(element)
                element = element.getparent()
        root = blocks[0].owner.getroottree().getroot()
        order = [element for element in root.iter() if element in scored]
        del scored
        for element in reversed(order):
            if element not in scores:
                continue
            parent = element.getparent()
            if parent is None:
                continue
            scores[parent] = scores.get(parent, 0.0) + scores[element]
            if element in prose:
                prose[parent] = prose.get(parent, 0.0) + prose[element]
    if not scores:
        return None, prose
    best = max(scores, key=lambda element: scores[element])
    best_prose = prose.get(best, 0.0)
    if best_prose <= 0:
        return best, prose
    # Prefer an element marked as the article body when it holds nearly all the prose.
    marked = [
        element
        for element in prose
        if names_content(element) and prose[element] >= MARKED_BODY_SHARE * best_prose
    ]
    if marked:
        best = min(marked, key=lambda element: (prose[element], scores[element]))
        best = with_sibling_sections(best, prose)
    return best, prose


def with_sibling_sections(body: HtmlElement, prose: dict[HtmlElement, float]) -> HtmlElement:
    """The parent of a marked article body that is one of several sections.

    Publishers split a long body into sibling elements of the same class (an ad, a
    newsletter box or a figure between them); each holds part of the prose, so taking the
    one that holds most would cut the text part way.  The furniture between them is
    filtered out later like any other.
    """
    parent = body.getparent()
    if parent is None:
        return body
    value = body.get("class") or body.get("itemprop")
    if not value:
        return body
    for sibling in parent:
        if (
            sibling is not body
            and prose.get(sibling, 0.0) > 0
            and (sibling.get("class") or sibling.get("itemprop")) == value
        ):
            return parent
    return body

"""Slideshows inside an article's container: numbered slides ("1/50 Title", "2/50 ...").

A run of blocks opened by slide counters of one total ("k/N", k rising) is a gallery the
page embeds (often of other stories: "Business news in pictures"), not the article's text;
the run, its captions and the headings just before it are dropped.  A slideshow that *is*
the page (a photo essay) has little prose outside the run, and is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from warcite.extract.html.blocks import Block

#: A slide counter opening a block: "1/50 United goin down", "12 / 40".
SLIDE_COUNTER = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})(?:\s|$)")
#: A slideshow has at least this many numbered slides.
MIN_SLIDES = 3
#: At most this many blocks (captions, credits) follow one slide's counter.
MAX_BLOCKS_PER_SLIDE = 3
#: The slideshow is dropped only when the prose outside it is at least this share of the
#: prose inside it (else the slideshow is the page's content).
MIN_PROSE_OUTSIDE_SHARE = 0.1


def without_slideshows(blocks: Sequence[Block]) -> Sequence[Block]:
    """``blocks`` without runs of numbered slides (see the module docstring)."""
    counters: list[tuple[int, int, int]] = []  # (block index, slide number, total)
    for index, block in enumerate(blocks):
        if len(block.text) > 300:
            continue
        match = SLIDE_COUNTER.match(block.text)
        if match:
            number, total = int(match[1]), int(match[2])
            if 1 <= number <= total and total >= MIN_SLIDES:
                counters.append((index, number, total))
    if len(counters) < MIN_SLIDES:
        return blocks
    dropped: set[int] = set()
    run: list[tuple[int, int, int]] = []

    def close(run: list[tuple[int, int, int]]) -> None:
        if len(run) < MIN_SLIDES:
            return
        first, last = run[0][0], run[-1][0]
        end = last + 1
        # the last slide's caption: up to the next heading, at most a few blocks
        while (
            end < len(blocks)
            and end - last <= MAX_BLOCKS_PER_SLIDE
            and blocks[end].kind != "heading"
            and not SLIDE_COUNTER.match(blocks[end].text)
        ):
            end += 1
        if end - last > MAX_BLOCKS_PER_SLIDE:
            end = last + 2  # prose runs on: only the caption right after the counter
        start = first
        while start > 0 and blocks[start - 1].kind == "heading" and first - start < 2:
            start -= 1  # the gallery's own title ("Business news in pictures")
        inside = sum(block.prose_chars for block in blocks[start:end])
        outside = sum(block.prose_chars for block in blocks) - inside
        if outside >= MIN_PROSE_OUTSIDE_SHARE * inside and outside > 0:
            dropped.update(range(start, end))

    for counter in counters:
        index, number, total = counter
        if run:
            previous_index, previous_number, previous_total = run[-1]
            gap = index - previous_index
            if (
                total != previous_total
                or number <= previous_number
                or gap > MAX_BLOCKS_PER_SLIDE + 1
            ):
                close(run)
                run = []
        run.append(counter)
    close(run)
    if not dropped:
        return blocks
    return [block for index, block in enumerate(blocks) if index not in dropped]


__all__ = ["SLIDE_COUNTER", "without_slideshows"]

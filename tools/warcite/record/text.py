"""The clean text file of a record: paragraphs as blocks, normalised."""

from __future__ import annotations

import re
import unicodedata

from warcite.core.errors import RecordError
from warcite.core.models import Extraction

# --------------------------------------------------------------------------- text


def normalize_block(text: str, kind: str = "paragraph") -> str:
    """One block of the clean text: NFC, no-break spaces as spaces, LF, no blank lines inside
    (a blank line separates blocks), no trailing spaces; a ``preformatted`` block keeps the
    indentation of its lines, the first one included."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u00a0\u202f\u2007]", " ", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line.strip())
    return text if kind == "preformatted" else text.strip()


def clean_text(extraction: Extraction) -> tuple[str, list[str]]:
    """The text file's content and the kind of each block (empty blocks dropped)."""
    blocks: list[str] = []
    kinds: list[str] = []
    for paragraph in extraction.paragraphs:
        block = normalize_block(paragraph.text, paragraph.kind)
        if block:
            blocks.append(block)
            kinds.append(paragraph.kind)
    if not blocks:
        raise RecordError("the extraction holds no text: there is nothing to record")
    return "\n\n".join(blocks) + "\n", kinds


def text_blocks(text: str) -> list[str]:
    """The blocks of a stored clean text (paragraph N is element N-1)."""
    body = text[:-1] if text.endswith("\n") else text
    return body.split("\n\n") if body else []

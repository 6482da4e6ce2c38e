"""PDF documents -> clean paragraphs that know their pages, and the document's metadata.

::

    layout = read_layout(data)                       # a bounded child process (pdfminer.six)
    blocks = paragraphs_from_layout(layout)         # reading order, furniture removed
    extraction = extract_pdf(data, url=...)          # Extraction with pages and metadata

The text is read with pdfminer.six (chosen over pypdf and pdfplumber by measured quality
on tests/data/pdf: ``python -m bench.documents``; see docs/documents.md).  pdfminer gives
positioned lines; this module decides the rest from their geometry:

* **furniture**: a line in the top or bottom band of a page that is a page number
  ("7", "Page 7 of 12", "- 7 -", roman numerals) or whose text (digits ignored) recurs in
  that band on other pages is a running header or footer, and left out;
* **reading order**: a page whose lines fall in two columns is read column by column
  between full-width lines (titles, wide figures' captions), whatever order the content
  stream draws them in;
* **paragraphs**: a new paragraph starts at a larger gap than the body's leading, a
  first-line indent, or a change of type size (headings are larger type); a paragraph
  runs on across a column or page break when the text before the break has no closing
  punctuation or the text after it starts in lower case, and then knows both pages;
* **footnotes**: smaller type below a page's body; they follow the paragraph open at the
  end of that page's body, so that they never cut a sentence in two;
* **lines joined**: a hyphen at a line end between letters, followed by a lower-case
  letter, is removed (unless the document spells that word with a hyphen elsewhere);
  soft hyphens (U+00AD) are removed; ligature characters (U+FB00-FB06) are spelled out.

Honest limits (each an :class:`~warcite.core.errors.DocumentError`, exit 4, with ``reason``):
``encrypted`` (needs a password), ``scanned`` (pages are images with no text layer: run OCR
first), ``no-text``, ``damaged`` (cannot be parsed, or is cut short), ``too-large`` (over
the size or page limit), ``limits`` (more memory or time than allowed: a PDF bomb).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from warcite.core.errors import DocumentError
from warcite.core.models import Extraction, Headers, Paragraph

PDF_MEDIA_TYPE = "application/pdf"

MAX_PDF_BYTES = 64 * 1024 * 1024
"""The largest PDF read (64 MiB); a larger one is refused as too large."""

MAX_SECONDS = 120.0
"""Wall-clock seconds the child reading one PDF may take."""

MAX_CPU_SECONDS = 90
"""CPU seconds the child may use (RLIMIT_CPU)."""

MAX_MEMORY_BYTES = 1024 * 1024 * 1024
"""Address space of the child (RLIMIT_AS): a decompression bomb fails here."""

FURNITURE_BAND = 0.10
"""Share of the page height, at the top and at the bottom, where headers and footers sit."""

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page|p\.|seite|página|pagina|стр\.?)?\s*"
    r"(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/|von|de|из)\s*\d{1,4})?\s*(?:[-–—])?\s*$",
    re.IGNORECASE,
)
_CLOSING = re.compile(r"[.!?:;…。！？\"”’»)\]]$")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_FOOTNOTE_START = re.compile(r"^\s*(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)[\s.)]")


@dataclass(frozen=True)
class PdfLimits:
    """What reading one PDF may cost."""

    max_bytes: int = MAX_PDF_BYTES
    max_seconds: float = MAX_SECONDS
    max_cpu_seconds: int = MAX_CPU_SECONDS
    max_memory_bytes: int = MAX_MEMORY_BYTES


@dataclass(frozen=True)
class PdfLine:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    text: str


@dataclass(frozen=True)
class PdfPage:
    number: int
    width: float
    height: float
    images: int
    lines: tuple[PdfLine, ...]


@dataclass(frozen=True)
class PdfLayout:
    """What the child read: positioned lines per page, the information dictionary, XMP."""

    pages: tuple[PdfPage, ...]
    info: dict[str, str] = field(default_factory=dict)
    xmp: str | None = None
    encrypted: bool = False
    labels: tuple[str, ...] | None = None  # the document's page labels (/PageLabels)


@dataclass(frozen=True)
class PdfBlock:
    """One paragraph of clean text and the pages it is printed on (first to last)."""

    text: str
    kind: str  # paragraph | heading
    pages: tuple[int, ...]
    page_starts: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a page begins


# --------------------------------------------------------------------------- reading


def _limit_child(limits: PdfLimits) -> Any:
    def apply() -> None:  # runs in the child, before exec
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory_bytes, limits.max_memory_bytes))
        cpu = max(1, int(limits.max_cpu_seconds))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    return apply


def read_layout(data: bytes, *, limits: PdfLimits | None = None, where: str = "") -> PdfLayout:
    """The positioned lines of every page of a PDF, read by pdfminer.six in a child process
    whose memory, CPU time and wall-clock time are bounded by ``limits``.

    Raises DocumentError (``reason`` too-large, encrypted, damaged, limits) naming ``where``.
    """
    limits = limits or PdfLimits()
    prefix = f"{where}: " if where else ""
    if len(data) > limits.max_bytes:
        raise DocumentError(
            f"{prefix}the PDF is {len(data):,} bytes, over the limit of {limits.max_bytes:,}; "
            "warcite keeps it in the WARC but does not extract it",
            reason="too-large",
        )
    if not data.lstrip()[:1024].find(b"%PDF-") >= 0:
        raise DocumentError(f"{prefix}the file is not a PDF (no %PDF- header)", reason="damaged")
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(
            f"{prefix}the PDF is cut short (no %%EOF marker at its end): a truncated download "
            "or copy; capture or import the whole file",
            reason="damaged",
        )
    environment = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    environment["PYTHONPATH"] = os.pathsep.join(
        [package_root, *filter(None, [environment.get("PYTHONPATH")])]
    )
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "warcite.extract.pdf_layout"],
            input=data,
            capture_output=True,
            timeout=limits.max_seconds,
            preexec_fn=_limit_child(limits) if os.name == "posix" else None,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise DocumentError(
            f"{prefix}reading the PDF took longer than {limits.max_seconds:g} s; it was stopped "
            "(a PDF built to exhaust readers, or one too large to extract here)",
            reason="limits",
        ) from error
    result: Any = None
    if completed.returncode == 0:
        try:
            result = json.loads(completed.stdout)
        except ValueError:
            result = None
    if not isinstance(result, dict):
        # killed by RLIMIT_CPU (SIGXCPU), or by a failed allocation outside Python
        raise DocumentError(
            f"{prefix}reading the PDF exceeded the memory ({limits.max_memory_bytes:,} bytes) "
            f"or CPU time ({limits.max_cpu_seconds} s) allowed; it was stopped (exit status "
            f"{completed.returncode})",
            reason="limits",
        )
    if "error" in result:
        reason = str(result["error"])
        message = str(result.get("message") or reason)
        if reason == "limits":
            message += f" ({limits.max_memory_bytes:,} bytes)"
        advice = {
            "encrypted": "; warcite keeps it in the WARC but cannot read its text (import a "
            "decrypted copy with warcite import FILE --url URL)",
            "damaged": "; the file is damaged or not a PDF",
        }.get(reason, "")
        raise DocumentError(prefix + message + advice, reason=reason)
    return layout_from_json(result)


def layout_from_json(result: dict[str, Any]) -> PdfLayout:
    """A PdfLayout from the child's JSON output."""
    pages = []
    for page in result.get("pages", []):
        number = int(page["number"])
        lines = tuple(
            PdfLine(number, float(x0), float(y0), float(x1), float(y1), float(size), str(text))
            for x0, y0, x1, y1, size, text in page["lines"]
        )
        pages.append(
            PdfPage(number, float(page["width"]), float(page["height"]), int(page["images"]), lines)
        )
    return PdfLayout(
        tuple(pages),
        {str(k): str(v) for k, v in (result.get("info") or {}).items()},
        result.get("xmp"),
        bool(result.get("encrypted")),
        tuple(str(label) for label in result["labels"]) if result.get("labels") else None,
    )


# --------------------------------------------------------------------------- furniture


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold())


def _in_band(line: PdfLine, page: PdfPage) -> bool:
    band = page.height * FURNITURE_BAND
    return line.y0 >= page.height - band or line.y1 <= band


def furniture(pages: Sequence[PdfPage]) -> set[tuple[int, int]]:
    """(page number, line index) of every running header, footer and page number."""
    shapes: Counter[str] = Counter()
    for page in pages:
        seen = {_shape(line.text) for line in page.lines if _in_band(line, page)}
        shapes.update(seen)
    repeated = 2 if len(pages) <= 3 else max(2, len(pages) // 3)
    found: set[tuple[int, int]] = set()
    for page in pages:
        for index, line in enumerate(page.lines):
            if not _in_band(line, page):
                continue
            if _PAGE_NUMBER.match(line.text) or (
                len(pages) > 1 and shapes[_shape(line.text)] >= repeated
            ):
                found.add((page.number, index))
    return found


def page_labels(layout: PdfLayout) -> tuple[str, ...] | None:
    """The page numbers as printed, when they are not 1, 2, 3, ...: the document's own page
    labels, else the printed page numbers (the furniture) when they run at a constant offset
    from the page count on at least two thirds of the pages that print one (a journal
    article starting on page 245).  None when the pages are numbered from 1."""
    count = len(layout.pages)
    if layout.labels is not None and len(layout.labels) == count:
        plain = tuple(str(number) for number in range(1, count + 1))
        return None if layout.labels == plain else layout.labels
    offsets: Counter[int] = Counter()
    numbered = 0
    for page in layout.pages:
        for line in page.lines:
            if _in_band(line, page) and _PAGE_NUMBER.match(line.text):
                digits = re.findall(r"\d+", line.text)
                if digits:
                    numbered += 1
                    offsets[int(digits[0]) - page.number] += 1
                    break
    if not offsets or numbered < 2:
        return None
    offset, seen = offsets.most_common(1)[0]
    if offset == 0 or seen * 3 < numbered * 2 or offset < -count:
        return None
    return tuple(str(page.number + offset) for page in layout.pages)


# --------------------------------------------------------------------------- reading order


def _body_size(pages: Sequence[PdfPage]) -> float:
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _columns(lines: Sequence[PdfLine], width: float) -> list[list[PdfLine]]:
    """The page's lines as flows in reading order: one flow per column segment."""
    ordered = sorted(lines, key=lambda line: (-line.y1, line.x0))
    if not ordered:  # a blank or image-only page
        return []
    middle = width / 2
    left = [line for line in ordered if line.x1 <= middle + 4]
    right = [line for line in ordered if line.x0 >= middle - 4]
    if len(left) < 3 or len(right) < 3:
        return [ordered]
    flows: list[list[PdfLine]] = []
    segment: list[PdfLine] = []

    def close() -> None:
        if segment:
            flows.append([line for line in segment if line.x1 <= middle + 4])
            flows.append([line for line in segment if line.x1 > middle + 4])
            segment.clear()

    for line in ordered:
        if line.x0 < middle - 4 and line.x1 > middle + 4:  # full width
            close()
            flows.append([line])
        else:
            segment.append(line)
    close()
    return [flow for flow in flows if flow]


# --------------------------------------------------------------------------- paragraphs


@dataclass
class _Open:
    lines: list[PdfLine]
    kind: str


def _join(lines: Sequence[PdfLine], hyphenated: set[str]) -> str:
    text = ""
    for line in lines:
        piece = " ".join(line.text.split())
        if not text:
            text = piece
            continue
        if text.endswith("\u00ad"):
            text = text[:-1] + piece
            continue
        match = re.search(r"(\w+)-$", text)
        if match and match.group(1)[-1:].isalpha() and piece[:1].islower():
            first_word = re.match(r"\w+", piece)
            whole = match.group(1) + (first_word.group(0) if first_word else "")
            # keep the hyphen when the document writes this word with one elsewhere
            text = text + piece if whole.casefold() in hyphenated else text[:-1] + piece
            continue
        text = f"{text} {piece}"
    return normalize_pdf_text(text)


def normalize_pdf_text(text: str) -> str:
    """Ligatures spelled out, soft hyphens removed, spaces collapsed, NFC."""
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = text.replace("\u00ad", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _hyphenated_words(pages: Sequence[PdfPage]) -> set[str]:
    """Words the document writes with a hyphen inside a line ("well-known")."""
    words: set[str] = set()
    for page in pages:
        for line in page.lines:
            for match in re.finditer(r"\b(\w+)-(\w+)\b", line.text):
                if match.end() < len(line.text.rstrip()):
                    words.add((match.group(1) + match.group(2)).casefold())
    return words


def page_starts(
    lines: Sequence[PdfLine], text: str, hyphenated: set[str]
) -> tuple[tuple[int, int], ...]:
    """Where in a paragraph's joined ``text`` each later page begins: (offset, page) pairs.

    The offset is that of the first word of the page's first line, found in the joined text
    from the length of the text joined up to the break (a hyphen joined across the break
    moves it back into the word: the page then begins inside that word)."""
    starts: list[tuple[int, int]] = []
    for index in range(1, len(lines)):
        if lines[index].page == lines[index - 1].page:
            continue
        before = len(_join(lines[:index], hyphenated))
        word = (lines[index].text.split() or [""])[0]
        word = normalize_pdf_text(word)
        found = text.find(word, max(0, before - 2)) if word else -1
        offset = found if 0 <= found <= before + 2 else min(before, len(text) - 1)
        if text[offset - 1 : offset].isalpha() and offset == before - 1:
            offset = before - 1  # "infor-" + "mation": the page turns inside the word
        starts.append((max(0, offset), lines[index].page))
    return tuple(starts)


def paragraphs_from_layout(layout: PdfLayout) -> list[PdfBlock]:
    """The document's paragraphs in reading order, each with the pages it is printed on."""
    pages = layout.pages
    skip = furniture(pages)
    body = _body_size(pages)
    hyphenated = _hyphenated_words(pages)
    blocks: list[PdfBlock] = []
    current: _Open | None = None
    pending_notes: list[_Open] = []

    def close() -> None:
        nonlocal current
        if current is not None and current.lines:
            text = _join(current.lines, hyphenated)
            if text:
                pages_of = tuple(sorted({line.page for line in current.lines}))
                starts = page_starts(current.lines, text, hyphenated)
                blocks.append(PdfBlock(text, current.kind, pages_of, starts))
        current = None
        for note in pending_notes:
            text = _join(note.lines, hyphenated)
            if text:
                blocks.append(PdfBlock(text, "paragraph", (note.lines[0].page,)))
        pending_notes.clear()

    for page in pages:
        lines = [line for index, line in enumerate(page.lines) if (page.number, index) not in skip]
        main = [line for line in lines if line.size > body * 0.88]
        lowest_main = min((line.y0 for line in main), default=page.height)
        notes = [
            line
            for line in lines
            if line.size <= body * 0.88 and line.y1 <= lowest_main + 1 and line.y1 < page.height / 2
        ]
        note_set = {id(line) for line in notes}
        flow_lines = [line for line in lines if id(line) not in note_set]
        leadings: list[float] = []
        flows = _columns(flow_lines, page.width)
        for flow in flows:
            for above, line in itertools.pairwise(flow):
                if abs(above.size - line.size) < 0.5:
                    leadings.append(above.y0 - line.y0)
        leading = statistics.median(leadings) if leadings else body * 1.35
        for flow in flows:
            # the column's text edge: where most of its lines begin (headings, list markers
            # and quotations may begin further left or right)
            left_edge = Counter(round(line.x0) for line in flow).most_common(1)[0][0]
            previous: PdfLine | None = None
            for line in flow:
                kind = "heading" if line.size >= body * 1.15 else "paragraph"
                starts = False
                if current is None:
                    starts = True
                elif previous is None:  # a new column or page: does the paragraph run on?
                    last = current.lines[-1]
                    before = _join(current.lines[-1:], hyphenated)
                    starts = (
                        current.kind != kind
                        or abs(last.size - line.size) >= 0.5
                        or line.x0 > left_edge + line.size * 0.8
                        or (bool(_CLOSING.search(before)) and not line.text.strip()[:1].islower())
                        or kind == "heading"
                    )
                else:
                    gap = previous.y0 - line.y0
                    starts = (
                        abs(previous.size - line.size) >= 0.5
                        or current.kind != kind
                        or gap > max(leading, line.size * 1.05) * 1.3
                        or gap < 0
                        or (
                            kind == "paragraph"  # a first-line indent
                            and line.x0 > left_edge + line.size * 0.8
                            and line.x0 > previous.x0 + line.size * 0.8
                        )
                    )
                if starts:
                    close()
                    current = _Open([line], kind)
                else:
                    assert current is not None
                    current.lines.append(line)
                previous = line
        # this page's footnotes follow the paragraph open at the end of its body
        for line in sorted(notes, key=lambda line: (-line.y1, line.x0)):
            if (
                not pending_notes
                or _FOOTNOTE_START.match(line.text)
                or pending_notes[-1].lines[-1].y0 - line.y0 > line.size * 1.8
            ):
                pending_notes.append(_Open([line], "paragraph"))
            else:
                pending_notes[-1].lines.append(line)
        if current is None:
            close()
    close()
    return blocks


# --------------------------------------------------------------------------- extraction


PDF_MEDIA_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
_UNINFORMATIVE = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/download",
        "application/force-download",
        "application/x-download",
    }
)


def is_pdf(body: bytes, *, headers: Headers = (), media_type: str | None = None) -> bool:
    """Whether a body is a PDF: declared so, or undeclared (octet-stream) and starting with
    the ``%PDF-`` signature."""
    declared = media_type
    if declared is None:
        declared = next(
            (value for name, value in reversed(list(headers)) if name.lower() == "content-type"),
            None,
        )
    base = (declared or "").split(";", 1)[0].strip().lower()
    if base in PDF_MEDIA_TYPES:
        return True
    return base in _UNINFORMATIVE and body.lstrip()[:5] == b"%PDF-"


def extract_pdf_body(
    body: bytes,
    *,
    headers: Headers = (),
    url: str | None = None,
    max_bytes: int | None = None,
    limits: PdfLimits | None = None,
) -> Extraction:
    """:func:`extract_pdf` of an entity body whose content-coding (gzip, ...) is still applied."""
    from warcite.core.decode import header_values, undo_content_coding

    limits = limits or PdfLimits()
    if max_bytes is not None and max_bytes < limits.max_bytes:
        limits = PdfLimits(
            max_bytes, limits.max_seconds, limits.max_cpu_seconds, limits.max_memory_bytes
        )
    codings: list[str] = []
    for value in header_values(headers, "Content-Encoding"):
        codings.extend(part.strip() for part in value.split(",") if part.strip())
    if codings:
        body = undo_content_coding(body, codings, limit=limits.max_bytes + 1)
    return extract_pdf(body, url=url, headers=headers, limits=limits)


def check_text_layer(layout: PdfLayout, where: str = "") -> None:
    """DocumentError when the PDF has no text to extract: scanned pages, or none at all."""
    prefix = f"{where}: " if where else ""
    characters = sum(len(line.text.strip()) for page in layout.pages for line in page.lines)
    if characters >= 20:
        return
    images = sum(page.images for page in layout.pages)
    if images:
        raise DocumentError(
            f"{prefix}the PDF's {len(layout.pages)} page(s) are images without a text layer "
            "(a scan); run OCR on it first (for example ocrmypdf) and import the result with "
            "warcite import FILE --url URL",
            reason="scanned",
        )
    raise DocumentError(f"{prefix}the PDF holds no text to extract", reason="no-text")


def extract_pdf(
    data: bytes,
    *,
    url: str | None = None,
    headers: Headers = (),
    limits: PdfLimits | None = None,
) -> Extraction:
    """The clean text (paragraphs with their pages) and metadata of a PDF."""
    from warcite.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION
    from warcite.extract.pdf_metadata import pdf_metadata

    where = url or "PDF"
    layout = read_layout(data, limits=limits, where=where)
    check_text_layer(layout, where)
    blocks = paragraphs_from_layout(layout)
    if not blocks:
        raise DocumentError(f"{where}: the PDF holds no text to extract", reason="no-text")
    metadata = pdf_metadata(layout, blocks, url=url, headers=headers)
    warnings = list(metadata.warnings)
    scanned = [
        page.number
        for page in layout.pages
        if page.images and sum(len(line.text.strip()) for line in page.lines) < 20
    ]
    if scanned:
        warnings.append(
            f"page(s) {', '.join(map(str, scanned))} are images without a text layer: their "
            "text is not in the clean text (run OCR on the PDF to include it)"
        )
    if layout.encrypted:
        warnings.append("the PDF is encrypted with an owner password only; its text was read")
    return Extraction(
        paragraphs=tuple(
            Paragraph(block.text, block.kind, pages=block.pages, page_starts=block.page_starts)
            for block in blocks
        ),
        title=metadata.title,
        authors=metadata.authors,
        published=metadata.published,
        modified=metadata.modified,
        publisher=metadata.publisher,
        genre=metadata.genre,
        language=metadata.language,
        description=metadata.description,
        keywords=metadata.keywords,
        url=url,
        media_type=PDF_MEDIA_TYPE,
        charset=None,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
        warnings=tuple(warnings),
        page_count=len(layout.pages),
        page_labels=page_labels(layout),
        container_title=metadata.container_title,
        doi=metadata.doi,
        isbn=metadata.isbn,
    )


__all__ = [
    "MAX_PDF_BYTES",
    "PDF_MEDIA_TYPE",
    "PdfBlock",
    "PdfLayout",
    "PdfLimits",
    "PdfLine",
    "PdfPage",
    "check_text_layer",
    "extract_pdf",
    "extract_pdf_body",
    "furniture",
    "is_pdf",
    "layout_from_json",
    "normalize_pdf_text",
    "page_labels",
    "page_starts",
    "paragraphs_from_layout",
    "read_layout",
]

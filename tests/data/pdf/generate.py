"""Generate the PDF test set of tests/data/pdf/ and its expectations (expected.json).

Run from the repository root with the ``test`` extra installed (fpdf2 is a test
dependency only; warcite itself never writes PDFs)::

    python tests/data/pdf/generate.py

Each document is typeset here by a small layout engine of its own (line breaking,
columns, running headers, page numbers, footnotes, hyphenation at line ends), so that
the expected clean text, the page of every paragraph and the metadata are known exactly
rather than read back from the PDF.  Two-column pages are written to the content stream
row by row across the columns, and headers and footers last, as many real producers do:
a reader that follows the content stream gets the reading order wrong.

The output is deterministic (fixed dates, fixed file ids), so the committed PDFs are
re-created byte for byte; tests/test_documents.py checks that expected.json matches this
file's specification.
"""

from __future__ import annotations

import json
import random
import sys
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
MARGIN = 72.0
BODY_TOP = 96.0
BODY_BOTTOM = PAGE_HEIGHT - 84.0
COLUMN_GAP = 22.0
FIXED_DATE = datetime(2024, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
LIGATURES = [
    ("ffi", "\ufb03"),
    ("ffl", "\ufb04"),
    ("ff", "\ufb00"),
    ("fi", "\ufb01"),
    ("fl", "\ufb02"),
]

LOREM = (
    "Public institutions depend on reliable evidence, and the evidence they depend on is "
    "increasingly published in portable documents rather than on ordinary web pages. "
    "Researchers who cite such documents need stable copies and exact page numbers, because "
    "a reader who follows a citation must be able to find the passage that was quoted."
)


@dataclass
class Block:
    text: str
    kind: str = "paragraph"  # paragraph, heading, title, footnote
    footnote: str | None = None  # a footnote attached to this paragraph


@dataclass
class Spec:
    name: str
    blocks: list[Block]
    info: dict[str, str] = field(default_factory=dict)  # the document information dictionary
    xmp: dict[str, object] | None = None
    columns: int = 1
    header: str | None = None  # running header on every page but the first
    page_numbers: str | None = None  # "plain" ("3"), "page" ("Page 3 of 5")
    hyphenate: bool = False
    ligatures: bool = False
    soft_hyphens: bool = False
    indent: bool = False  # paragraphs marked by a first-line indent, no space between
    body_offset: float = 0.0  # body text set further right than the headings (manuals)
    first_page_number: int = 1  # the number printed on the first page (an offprint: 245)
    label_pages: bool = False  # write the printed numbers as the PDF's own /PageLabels too
    font: str = "DejaVuSerif"
    body_size: float = 10.5
    width: float | None = None  # narrower text block (forces more lines)
    expected_metadata: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    encrypt: str | None = None  # "user" (a password to open), "owner" (restrictions only)
    image_page: bool = False  # a last page that is a scanned image, without text
    note: str = ""


def _render(spec: Spec, text: str) -> str:
    if spec.ligatures:
        for plain, ligature in LIGATURES:
            text = text.replace(plain, ligature)
    return text


def _pdf(spec: Spec):  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.set_compression(True)
    for style, file_name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf")):
        pdf.add_font("DejaVuSerif", style, str(FONT_DIR / file_name))
    for style, file_name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        pdf.add_font("DejaVuSans", style, str(FONT_DIR / file_name))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("warcite test set generator")
    pdf.set_creator("")
    info = spec.info
    if "Title" in info:
        pdf.set_title(info["Title"])
    if "Author" in info:
        pdf.set_author(info["Author"])
    if "Subject" in info:
        pdf.set_subject(info["Subject"])
    if "Keywords" in info:
        pdf.set_keywords(info["Keywords"])
    if "CreationDate" in info:
        pdf.set_creation_date(datetime.fromisoformat(info["CreationDate"]))
    if spec.xmp is not None:
        pdf.set_xmp_metadata(_xmp(spec.xmp))
    return pdf


def _xmp(values: dict[str, object]) -> str:
    creators = "".join(f"<rdf:li>{name}</rdf:li>" for name in values.get("creators", []))  # type: ignore[union-attr]
    parts = [
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">'
    ]
    if "title" in values:
        parts.append(
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{values["title"]}</rdf:li></rdf:Alt></dc:title>'
        )
    if creators:
        parts.append(f"<dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>")
    if "publisher" in values:
        parts.append(
            f"<dc:publisher><rdf:Bag><rdf:li>{values['publisher']}</rdf:li></rdf:Bag></dc:publisher>"
        )
    if "date" in values:
        parts.append(f"<xmp:CreateDate>{values['date']}</xmp:CreateDate>")
    if "doi" in values:
        parts.append(f"<prism:doi>{values['doi']}</prism:doi>")
    parts.append("</rdf:Description>")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        + "".join(parts)
        + "</rdf:RDF></x:xmpmeta>"
    )


@dataclass
class Line:
    x: float
    y: float
    text: str
    size: float
    bold: bool


class Typesetter:
    """Lays the blocks out in pages; records every drawn line and each block's pages."""

    def __init__(self, spec: Spec, pdf) -> None:  # type: ignore[no-untyped-def]
        self.spec = spec
        self.pdf = pdf
        self.pages: list[list[Line]] = []
        self.furniture: list[list[Line]] = []
        self.footnotes: list[list[tuple[str, int]]] = []  # per page: (text, block index)
        self.block_pages: dict[int, list[int]] = {}
        self.page_starts: dict[int, list[list[int]]] = {}
        text_width = spec.width or (PAGE_WIDTH - 2 * MARGIN)
        self.columns = spec.columns
        self.column_width = (text_width - (self.columns - 1) * COLUMN_GAP) / self.columns
        self.column = 0
        self.y = BODY_TOP
        self.bottom = BODY_BOTTOM
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.furniture.append([])
        self.footnotes.append([])
        self.column = 0
        self.y = BODY_TOP
        self.bottom = BODY_BOTTOM

    @property
    def page(self) -> int:
        return len(self.pages)

    def x(self) -> float:
        return MARGIN + self.column * (self.column_width + COLUMN_GAP)

    def width(self, text: str, size: float, bold: bool) -> float:
        self.pdf.set_font(self.spec.font, "B" if bold else "", size)
        return float(self.pdf.get_string_width(_render(self.spec, text)))

    def break_column(self) -> None:
        if self.column + 1 < self.columns:
            self.column += 1
            self.y = self.top_of_columns
        else:
            self.new_page()
            self.top_of_columns = BODY_TOP

    top_of_columns = BODY_TOP

    def wrap(self, text: str, size: float, bold: bool, first_indent: float) -> list[str]:
        words = text.split(" ")
        lines: list[str] = []
        current = ""
        limit = self.column_width - first_indent
        index = 0
        while index < len(words):
            word = words[index]
            candidate = f"{current} {word}" if current else word
            if self.width(candidate, size, bold) <= limit:
                current = candidate
                index += 1
                continue
            if self.spec.hyphenate and word.isalpha() and len(word) >= 7:
                hyphen = "\u00ad" if self.spec.soft_hyphens else "-"
                for cut in range(len(word) - 3, 2, -1):
                    head = f"{current} {word[:cut]}" if current else word[:cut]
                    if self.width(head + "-", size, bold) <= limit:
                        lines.append(head + hyphen)
                        words[index] = word[cut:]
                        current = ""
                        break
                else:
                    lines.append(current)
                    current = ""
                limit = self.column_width
                continue
            if not current:  # one word wider than the column: set it alone
                lines.append(word)
                index += 1
            else:
                lines.append(current)
                current = ""
            limit = self.column_width
        if current:
            lines.append(current)
        return lines

    def place(self, index: int, block: Block) -> None:
        size = {"title": 20.0, "heading": 13.0}.get(block.kind, self.spec.body_size)
        bold = block.kind in ("title", "heading")
        leading = size * 1.35
        gap = 0.0 if (self.spec.indent and block.kind == "paragraph") else size * 0.9
        if block.kind in ("title", "heading"):
            gap = size * 0.8
        indent = 18.0 if (self.spec.indent and block.kind == "paragraph") else 0.0
        lines = self.wrap(block.text, size, bold, indent)
        if self.y > BODY_TOP and self.y != self.top_of_columns:
            self.y += gap
        if block.kind in ("title", "heading") and self.y + 3 * leading > self.bottom:
            self.break_column()
        consumed = 0  # characters of the block's text set so far
        for number, text in enumerate(lines):
            if self.y + leading > self.bottom:
                self.break_column()
            self.y += leading
            x = self.x() + (indent if number == 0 else 0.0)
            if block.kind == "paragraph":
                x += self.spec.body_offset
            self.pages[-1].append(Line(x, self.y, text, size, bold))
            pages = self.block_pages.setdefault(index, [])
            if self.page not in pages:
                if pages:  # the page turns inside the paragraph: where, in its text
                    self.page_starts.setdefault(index, []).append([consumed, self.page])
                pages.append(self.page)
            inserted_hyphen = text.endswith(("-", "\u00ad")) and number + 1 < len(lines)
            consumed += len(text) - 1 if inserted_hyphen else len(text) + 1
        if block.kind == "title" and self.columns > 1:
            self.top_of_columns = self.y + gap

    def footnote_room(self, block: Block) -> None:
        """Reserve room at the foot of the page for a block's footnote."""
        assert block.footnote is not None
        lines = self.wrap(block.footnote, 8.0, False, 0.0)
        self.bottom -= len(lines) * 10.5 + 12.0


def typeset(spec: Spec, pdf) -> tuple[Typesetter, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    setter = Typesetter(spec, pdf)
    footnote_lines: dict[int, list[tuple[str, int]]] = {}
    for index, block in enumerate(spec.blocks):
        if block.kind == "footnote":
            raise ValueError("footnotes are attached to paragraphs")
        if block.footnote is not None:
            setter.footnote_room(block)
        setter.place(index, block)
        if block.footnote is not None:
            footnote_lines.setdefault(setter.page, []).append((block.footnote, index))
    # expected blocks in reading order: a page's footnotes come after the paragraph that is
    # open at the end of that page's body (it may end on a later page)
    expected: list[dict[str, object]] = []
    pending: list[tuple[str, int]] = []
    queued: set[int] = set()
    for index, block in enumerate(spec.blocks):
        pages = setter.block_pages[index]
        expected.append(
            {
                "text": " ".join(block.text.split()),
                "kind": _kind(block),
                "pages": pages,
                "page_starts": setter.page_starts.get(index, []),
            }
        )
        last_page = pages[-1]
        for page in range(pages[0], last_page + 1):
            if page in queued:
                continue
            queued.add(page)
            pending.extend((text, page) for text, _owner in footnote_lines.get(page, []))
        next_first = setter.block_pages[index + 1][0] if index + 1 < len(spec.blocks) else None
        flush = [note for note in pending if next_first is None or next_first > note[1]]
        for text, page in flush:
            expected.append({"text": text, "kind": "paragraph", "pages": [page], "page_starts": []})
        pending = [note for note in pending if note not in flush]
    # draw the footnotes at the foot of their pages
    for page, notes in footnote_lines.items():
        y = BODY_BOTTOM
        for text, _owner in reversed(notes):
            lines = setter.wrap(text, 8.0, False, 0.0)
            y -= len(lines) * 10.5
            for number, line in enumerate(lines):
                setter.pages[page - 1].append(
                    Line(MARGIN, y + (number + 1) * 10.5, line, 8.0, False)
                )
            y -= 4.0
    return setter, expected


def _kind(block: Block) -> str:
    return "heading" if block.kind in ("title", "heading") else "paragraph"


def draw(spec: Spec, pdf, setter: Typesetter) -> None:  # type: ignore[no-untyped-def]
    count = len(setter.pages)
    for number, lines in enumerate(setter.pages, start=1):
        pdf.add_page()
        ordered = lines
        if spec.columns > 1:  # row by row across the columns, as many producers write them
            ordered = sorted(lines, key=lambda line: (round(line.y), line.x))
        for line in ordered:
            pdf.set_font(spec.font, "B" if line.bold else "", line.size)
            pdf.text(line.x, line.y, _render(spec, line.text))
        pdf.set_font(spec.font, "", 8.5)
        if spec.header and number > 1:
            pdf.text(MARGIN, 52.0, spec.header)
        if spec.label_pages and number == 1:
            pdf.set_page_label("D", None, spec.first_page_number)
        if spec.page_numbers == "plain":
            label = str(number + spec.first_page_number - 1)
            pdf.text(PAGE_WIDTH / 2 - pdf.get_string_width(label) / 2, PAGE_HEIGHT - 40.0, label)
        elif spec.page_numbers == "page":
            label = f"Page {number} of {count}"
            pdf.text(PAGE_WIDTH - MARGIN - pdf.get_string_width(label), PAGE_HEIGHT - 40.0, label)


def build(spec: Spec) -> dict[str, object]:
    from fpdf.enums import EncryptionMethod

    pdf = _pdf(spec)
    setter, expected = typeset(spec, pdf)
    draw(spec, pdf, setter)
    pages = len(setter.pages)
    if spec.image_page:
        pdf.add_page()
        pdf.image(_scan_image(), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
        pages += 1
    if spec.encrypt == "user":
        pdf.set_encryption("owner-secret", "reader-secret", EncryptionMethod.RC4)
    elif spec.encrypt == "owner":
        pdf.set_encryption("owner-secret", "", EncryptionMethod.RC4)
    pdf.file_id = lambda: "<00112233445566778899AABBCCDDEEFF><00112233445566778899AABBCCDDEEFF>"
    data = bytes(pdf.output())
    (HERE / f"{spec.name}.pdf").write_bytes(data)
    return {
        "file": f"{spec.name}.pdf",
        "note": spec.note,
        "error": spec.error,
        "pages": pages,
        "scanned_pages": [pages] if spec.image_page else [],
        "page_labels": [str(spec.first_page_number + n) for n in range(pages)]
        if spec.first_page_number != 1
        else None,
        "blocks": [] if spec.error else expected,
        "metadata": spec.expected_metadata,
    }


# --------------------------------------------------------------------------- hostile files


def _scan_image():  # type: ignore[no-untyped-def]
    """A grey page image of text-like lines (what a scanner gives, without OCR)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (620, 877), 255)
    drawing = ImageDraw.Draw(image)
    generator = random.Random(7)
    for row in range(60, 820, 22):
        width = generator.randint(380, 520)
        drawing.rectangle((50, row, 50 + width, row + 9), fill=40)
    return image


def scanned() -> bytes:
    """One page holding only an image of text lines: no text layer."""
    from fpdf import FPDF

    image = _scan_image()
    pdf = FPDF(unit="pt", format=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("warcite test set generator")
    pdf.add_page()
    pdf.image(image, 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
    pdf.file_id = lambda: "<00112233445566778899AABBCCDDEEFF><00112233445566778899AABBCCDDEEFF>"
    return bytes(pdf.output())


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from raw object bodies (1-based numbering), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream_bomb() -> bytes:
    """A page whose content stream inflates from about 100 KiB to 100 MiB."""
    content = zlib.compress(b" " * (100 * 1024 * 1024), 9)
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream",
        ]
    )


def nesting_bomb() -> bytes:
    """A page dictionary holding an array nested 60,000 deep."""
    depth = 60_000
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Junk "
            + b"[" * depth
            + b"]" * depth
            + b" >>",
        ]
    )


# --------------------------------------------------------------------------- the set


def _paragraphs(seed: int, count: int, words: int = 70) -> list[Block]:
    vocabulary = [
        "policy",
        "evidence",
        "report",
        "budget",
        "committee",
        "research",
        "program",
        "institution",
        "analysis",
        "regional",
        "economic",
        "public",
        "finance",
        "statistics",
        "survey",
        "households",
        "employment",
        "agency",
        "methodology",
        "estimate",
        "outcome",
        "framework",
        "transparency",
        "legislation",
        "implementation",
        "governance",
        "assessment",
        "accountability",
        "demographic",
        "infrastructure",
        "investment",
        "procurement",
        "national",
        "municipal",
        "quarterly",
        "indicator",
        "reform",
        "municipal",
        "efficient",
        "official",
        "affordable",
        "sufficient",
        "profile",
        "offline",
        "influence",
        "reflection",
        "afflicted",
    ]
    generator = random.Random(seed)
    blocks = []
    for _ in range(count):
        chosen = [generator.choice(vocabulary) for _ in range(words)]
        sentences = []
        while chosen:
            length = generator.randint(8, 16)
            sentence, chosen = chosen[:length], chosen[length:]
            sentences.append(" ".join(sentence).capitalize() + ".")
        blocks.append(Block(" ".join(sentences)))
    return blocks


def specs() -> list[Spec]:
    result: list[Spec] = []

    def report(name: str, **kwargs: object) -> Spec:
        spec = Spec(name=name, blocks=[], **kwargs)  # type: ignore[arg-type]
        result.append(spec)
        return spec

    spec = report(
        "report-one-column",
        info={
            "Title": "Municipal Budgets Under Pressure",
            "Author": "Maria Keller; Tom Olsen",
            "CreationDate": "2023-05-14T09:00:00+00:00",
        },
        page_numbers="plain",
        note="one column, title and authors in the document information dictionary",
        expected_metadata={
            "title": "Municipal Budgets Under Pressure",
            "authors": ["Maria Keller", "Tom Olsen"],
            "published": "2023-05-14",
            "type": "report",
        },
    )
    spec.blocks = [
        Block("Municipal Budgets Under Pressure", "title"),
        Block("Research Report"),
        *_paragraphs(1, 6),
    ]

    spec = report(
        "article-two-column",
        info={"Title": "Household Savings After the Reform", "Author": "Anna Lindqvist"},
        columns=2,
        page_numbers="plain",
        note="two columns written row by row across the columns",
        expected_metadata={
            "title": "Household Savings After the Reform",
            "authors": ["Anna Lindqvist"],
            "doi": "10.5555/jpe.2022.0147",
            "type": "article-journal",
            "container_title": "Journal of Public Economics Review",
        },
    )
    spec.blocks = [
        Block("Household Savings After the Reform", "title"),
        Block("Journal of Public Economics Review, Vol. 12, No. 3"),
        Block("https://doi.org/10.5555/jpe.2022.0147"),
        *_paragraphs(2, 8, 60),
    ]

    spec = report(
        "running-headers",
        info={
            "Title": "Regional Employment Outlook 2024",
            "Author": "Institute for Labour Studies",
        },
        header="Regional Employment Outlook 2024",
        page_numbers="page",
        note="running header on every page after the first, 'Page N of M' footers, paragraphs across page breaks",
        expected_metadata={
            "title": "Regional Employment Outlook 2024",
            "authors": ["Institute for Labour Studies"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Regional Employment Outlook 2024", "title"), *_paragraphs(3, 9, 110)]

    spec = report(
        "footnotes",
        info={"Title": "Notes on Procurement Law", "Author": "Jonas Weber"},
        page_numbers="plain",
        note="footnotes at the foot of pages",
        expected_metadata={
            "title": "Notes on Procurement Law",
            "authors": ["Jonas Weber"],
            "type": "document",
        },
    )
    paragraphs = _paragraphs(4, 7, 90)
    paragraphs[1].footnote = "1 See the procurement act of 2019, section 4, for the thresholds."
    paragraphs[4].footnote = "2 The figures are those of the national statistics office."
    spec.blocks = [Block("Notes on Procurement Law", "title"), *paragraphs]

    spec = report(
        "hyphenation",
        info={"Title": "Infrastructure Investment Priorities", "Author": "Lena Fischer"},
        hyphenate=True,
        width=300.0,
        note="words hyphenated at line ends in a narrow text block",
        expected_metadata={
            "title": "Infrastructure Investment Priorities",
            "authors": ["Lena Fischer"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Infrastructure Investment Priorities", "heading"), *_paragraphs(5, 5)]

    spec = report(
        "ligatures",
        info={"Title": "Efficient Official Profiles", "Author": "Fiona Flett"},
        ligatures=True,
        note="fi, fl, ff, ffi, ffl set as ligature characters",
        expected_metadata={
            "title": "Efficient Official Profiles",
            "authors": ["Fiona Flett"],
            "type": "document",
        },
    )
    spec.blocks = [
        Block("Efficient Official Profiles", "title"),
        Block(
            "The office flagged the affluent staff profile as sufficient and efficient for the afflicted offline fields."
        ),
        *_paragraphs(6, 4),
    ]

    spec = report(
        "soft-hyphens",
        info={"Title": "Demographic Infrastructure Assessment", "Author": "Paul Martin"},
        hyphenate=True,
        soft_hyphens=True,
        width=280.0,
        note="line-end hyphens encoded as soft hyphens (U+00AD)",
        expected_metadata={
            "title": "Demographic Infrastructure Assessment",
            "authors": ["Paul Martin"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Demographic Infrastructure Assessment", "heading"), *_paragraphs(7, 4)]

    spec = report(
        "greek",
        info={"Title": "Δημόσια οικονομικά και διαφάνεια", "Author": "Νίκος Παπαδόπουλος"},
        note="Greek text",
        expected_metadata={
            "title": "Δημόσια οικονομικά και διαφάνεια",
            "authors": ["Νίκος Παπαδόπουλος"],
            "language": "el",
            "type": "document",
        },
    )
    spec.blocks = [
        Block("Δημόσια οικονομικά και διαφάνεια", "title"),
        Block(
            "Η έκθεση εξετάζει τον τρόπο με τον οποίο οι δημόσιοι οργανισμοί δημοσιεύουν τα στοιχεία τους και πώς οι πολίτες μπορούν να τα χρησιμοποιήσουν για να ελέγξουν τις αποφάσεις της διοίκησης."
        ),
        Block(
            "Τα αποτελέσματα δείχνουν ότι η διαφάνεια βελτιώνεται όταν τα έγγραφα είναι διαθέσιμα σε σταθερή μορφή, με αριθμούς σελίδων που επιτρέπουν την ακριβή παραπομπή σε κάθε απόσπασμα."
        ),
        Block(
            "Η μελέτη καταλήγει σε συστάσεις για τη διατήρηση των εγγράφων και για την ενιαία μορφή των παραπομπών στις δημόσιες εκθέσεις."
        ),
    ]

    spec = report(
        "cyrillic",
        info={"Title": "Региональная статистика занятости", "Author": "Ирина Смирнова"},
        page_numbers="plain",
        note="Russian text",
        expected_metadata={
            "title": "Региональная статистика занятости",
            "authors": ["Ирина Смирнова"],
            "language": "ru",
            "type": "document",
        },
    )
    spec.blocks = [
        Block("Региональная статистика занятости", "title"),
        Block(
            "В докладе рассматриваются данные о занятости в регионах за последние десять лет и методы, с помощью которых эти данные собираются и публикуются государственными органами."
        ),
        Block(
            "Авторы показывают, что сопоставимость показателей зависит от единых определений и от того, насколько подробно описаны источники и способы расчёта."
        ),
        Block(
            "В заключение предлагаются меры по улучшению качества статистики и по обеспечению открытого доступа к первичным данным для исследователей."
        ),
    ]

    spec = report(
        "xmp-metadata",
        info={"Title": "untitled.docx", "Author": "admin"},
        xmp={
            "title": "Water Policy in Dry Regions",
            "creators": ["Sofia Rossi", "Marco Bianchi"],
            "date": "2021-11-02T10:00:00Z",
            "publisher": "Centre for Water Studies",
        },
        note="XMP metadata wins over a placeholder document information dictionary",
        expected_metadata={
            "title": "Water Policy in Dry Regions",
            "authors": ["Sofia Rossi", "Marco Bianchi"],
            "published": "2021-11-02",
            "publisher": "Centre for Water Studies",
            "type": "document",
        },
    )
    spec.blocks = [Block("Water Policy in Dry Regions", "title"), *_paragraphs(10, 4)]

    spec = report(
        "layout-only",
        note="no metadata at all: title from the largest type, byline, date line",
        expected_metadata={
            "title": "Rural Broadband and the Digital Divide",
            "authors": ["Daniel Okafor", "Grace Mensah"],
            "published": "2022-09-15",
            "type": "report",
        },
    )
    spec.blocks = [
        Block("Rural Broadband and the Digital Divide", "title"),
        Block("By Daniel Okafor and Grace Mensah"),
        Block("September 15, 2022"),
        Block("Policy Brief No. 7"),
        *_paragraphs(11, 4),
    ]

    spec = report(
        "isbn",
        info={"Title": "Atlas of Regional Statistics", "Author": "Helen Carter"},
        note="an ISBN printed on the first page",
        expected_metadata={
            "title": "Atlas of Regional Statistics",
            "authors": ["Helen Carter"],
            "isbn": "978-3-16-148410-0",
            "publisher": "Northfield Press",
            "type": "document",
        },
    )
    spec.blocks = [
        Block("Atlas of Regional Statistics", "title"),
        Block("Published by Northfield Press"),
        Block("ISBN 978-3-16-148410-0"),
        *_paragraphs(12, 4),
    ]

    spec = report(
        "headings",
        info={"Title": "Annual Review of Public Accounts", "Author": "Audit Office"},
        page_numbers="plain",
        note="section headings between paragraphs",
        expected_metadata={
            "title": "Annual Review of Public Accounts",
            "authors": ["Audit Office"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Annual Review of Public Accounts", "title")]
    for number, section in enumerate(["Introduction", "Method", "Findings", "Conclusion"]):
        spec.blocks.append(Block(f"{number + 1}. {section}", "heading"))
        spec.blocks.extend(_paragraphs(20 + number, 2, 50))

    spec = report(
        "long-report",
        info={
            "Title": "National Infrastructure Assessment",
            "Author": "Commission on Infrastructure",
        },
        header="National Infrastructure Assessment | Commission on Infrastructure",
        page_numbers="plain",
        note="eight pages, running header, page numbers",
        expected_metadata={
            "title": "National Infrastructure Assessment",
            "authors": ["Commission on Infrastructure"],
            "type": "document",
        },
    )
    spec.blocks = [Block("National Infrastructure Assessment", "title"), *_paragraphs(30, 24, 120)]

    spec = report(
        "two-column-headers",
        info={"Title": "Transparency in Local Government", "Author": "Clara Nunez; Ben Adler"},
        columns=2,
        header="Local Government Studies",
        page_numbers="plain",
        hyphenate=True,
        note="two columns, running header, hyphenation",
        expected_metadata={
            "title": "Transparency in Local Government",
            "authors": ["Clara Nunez", "Ben Adler"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Transparency in Local Government", "title"), *_paragraphs(40, 10, 90)]

    spec = report(
        "indented-paragraphs",
        info={"Title": "Statistics Without Spacing", "Author": "Ruth Meyer"},
        indent=True,
        note="paragraphs marked by a first-line indent only",
        expected_metadata={
            "title": "Statistics Without Spacing",
            "authors": ["Ruth Meyer"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Statistics Without Spacing", "title"), *_paragraphs(50, 5)]

    spec = report(
        "working-paper",
        info={
            "Title": "Informal Work and Social Insurance",
            "Author": "Korea Institute for Labour Research",
        },
        page_numbers="plain",
        note="an organisation's working paper with a date line",
        expected_metadata={
            "title": "Informal Work and Social Insurance",
            "authors": ["Korea Institute for Labour Research"],
            "published": "2020-06",
            "type": "report",
        },
    )
    spec.blocks = [
        Block("Informal Work and Social Insurance", "title"),
        Block("Working Paper 2020-04"),
        Block("June 2020"),
        *_paragraphs(60, 8),
    ]

    spec = report(
        "court-filing",
        info={"Title": "Brief of Amici Curiae in Support of Respondents"},
        page_numbers="plain",
        font="DejaVuSans",
        note="a filing: sans-serif type, no author in the metadata",
        expected_metadata={
            "title": "Brief of Amici Curiae in Support of Respondents",
            "authors": [],
            "type": "document",
        },
    )
    spec.blocks = [
        Block("Brief of Amici Curiae in Support of Respondents", "title"),
        *_paragraphs(70, 5),
    ]

    spec = report(
        "manual",
        info={"Title": "Field Survey Manual", "Author": "Statistics Office"},
        body_offset=36.0,
        width=PAGE_WIDTH - 2 * MARGIN - 36.0,
        page_numbers="plain",
        note="a manual: headings flush left, the body text indented as a block",
        expected_metadata={
            "title": "Field Survey Manual",
            "authors": ["Statistics Office"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Field Survey Manual", "title")]
    for number, section in enumerate(["Scope", "Sampling", "Interviews"]):
        spec.blocks.append(Block(f"{number + 1} {section}", "heading"))
        spec.blocks.extend(_paragraphs(95 + number, 2, 60))

    spec = report(
        "offprint",
        info={"Title": "Water Prices and Rural Incomes", "Author": "Lucia Moreno"},
        page_numbers="plain",
        first_page_number=245,
        label_pages=True,
        note="a journal offprint: pages printed 245-247, and the same /PageLabels",
        expected_metadata={
            "title": "Water Prices and Rural Incomes",
            "authors": ["Lucia Moreno"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Water Prices and Rural Incomes", "title"), *_paragraphs(110, 8, 110)]

    spec = report(
        "chapter-excerpt",
        info={"Title": "Municipal Water Tariffs", "Author": "Kofi Boateng"},
        page_numbers="plain",
        first_page_number=17,
        note="a book chapter: pages printed from 17, without /PageLabels",
        expected_metadata={
            "title": "Municipal Water Tariffs",
            "authors": ["Kofi Boateng"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Municipal Water Tariffs", "title"), *_paragraphs(120, 8, 110)]

    spec = report(
        "scanned-appendix",
        info={"Title": "Survey Methods and Appendix", "Author": "Omar Haddad"},
        page_numbers="plain",
        image_page=True,
        note="text pages followed by a scanned appendix page without text layer",
        expected_metadata={
            "title": "Survey Methods and Appendix",
            "authors": ["Omar Haddad"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Survey Methods and Appendix", "title"), *_paragraphs(85, 4)]

    spec = report(
        "owner-password",
        info={"Title": "Open Data Guidelines", "Author": "Eva Novak"},
        encrypt="owner",
        note="encrypted with an owner password only: readable without a password",
        expected_metadata={
            "title": "Open Data Guidelines",
            "authors": ["Eva Novak"],
            "type": "document",
        },
    )
    spec.blocks = [Block("Open Data Guidelines", "title"), *_paragraphs(80, 3)]

    spec = report(
        "encrypted",
        info={"Title": "Confidential Draft"},
        encrypt="user",
        error="encrypted",
        note="needs a password to open",
    )
    spec.blocks = [Block("Confidential Draft", "title"), *_paragraphs(90, 2)]

    return result


def main() -> int:
    expectations = [build(spec) for spec in specs()]
    extra = [
        ("scanned", scanned(), "scanned", "one page image, no text layer"),
        ("stream-bomb", stream_bomb(), "no-text", "a content stream inflating to 100 MiB"),
        ("nesting-bomb", nesting_bomb(), "no-text", "an array nested 60,000 deep"),
    ]
    whole = (HERE / "report-one-column.pdf").read_bytes()
    extra.append(
        ("truncated", whole[: len(whole) * 2 // 3], "damaged", "the first two thirds of a PDF")
    )
    extra.append(
        (
            "garbage",
            b"%PDF-1.7\n" + random.Random(3).randbytes(4000) + b"\n%%EOF\n",
            "damaged",
            "a PDF header followed by random bytes",
        )
    )
    for name, data, error, note in extra:
        (HERE / f"{name}.pdf").write_bytes(data)
        expectations.append(
            {
                "file": f"{name}.pdf",
                "note": note,
                "error": error,
                "pages": None,
                "blocks": [],
                "metadata": {},
            }
        )
    (HERE / "expected.json").write_text(
        json.dumps(expectations, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(expectations)} PDFs and expected.json to {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

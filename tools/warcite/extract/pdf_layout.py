"""PDF bytes -> positioned text lines per page, the document information and the XMP packet.

This is the only module that imports pdfminer.six, and it runs in a child process with
bounded memory and CPU time (:func:`warcite.extract.pdf.read_layout` starts it as
``python -m warcite.extract.pdf_layout``): a PDF is a program a remote server wrote, and
a decompression bomb, a deeply nested object or a page tree loop must cost a bounded
amount, then fail with a clear message, never take the archive down.

The child reads the PDF on standard input and writes one JSON object on standard output:
``{"pages": [{"number", "width", "height", "images", "lines": [[x0, y0, x1, y1, size,
text], ...]}], "info": {...}, "xmp": "..." | null, "encrypted": bool}`` or ``{"error":
KIND, "message": ...}`` with KIND ``encrypted`` or ``damaged`` (the parent maps memory
and time exhaustion to ``limits``).
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
from io import BytesIO
from typing import Any

MAX_PAGES = 2000
"""Pages read at most; a longer document is refused as too large."""

MAX_XMP_BYTES = 1 << 20


def _decode(value: Any) -> str | None:
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    if isinstance(value, bytes):
        text = decode_text(value)
    elif isinstance(value, PSLiteral):
        text = str(value.name)
    elif isinstance(value, str):
        text = value
    else:
        return None
    text = text.replace("\x00", "").strip()
    return text or None


def _lines(item: Any, out: list[list[Any]], counts: dict[str, int]) -> None:
    from pdfminer.layout import LTChar, LTImage, LTTextLine

    if isinstance(item, LTTextLine):
        text = item.get_text().rstrip("\n")
        if not text.strip():
            return
        sizes = [child.size for child in item if isinstance(child, LTChar)]
        size = statistics.median(sizes) if sizes else item.height
        out.append([item.x0, item.y0, item.x1, item.y1, round(float(size), 2), text])
        return
    if isinstance(item, LTImage):
        counts["images"] += 1
        return
    try:
        children = list(item)
    except TypeError:
        return
    for child in children:
        _lines(child, out, counts)


def read_pdf(data: bytes) -> dict[str, Any]:
    """The layout of a PDF as a JSON-ready dict (see the module docstring)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        parser = PDFParser(BytesIO(data))
        document = PDFDocument(parser, password="")
    except PDFPasswordIncorrect:
        return {
            "error": "encrypted",
            "message": "the PDF is encrypted and needs a password to open",
        }
    except PDFEncryptionError as error:
        return {"error": "encrypted", "message": f"the PDF's encryption is not supported ({error})"}
    info: dict[str, str] = {}
    for entry in document.info:
        for key, value in dict(entry).items():
            text = _decode(resolve1(value))
            if text is not None and isinstance(key, str):
                info[key] = text[:2000]
    xmp: str | None = None
    metadata = resolve1(document.catalog.get("Metadata"))
    if metadata is not None and hasattr(metadata, "get_data"):
        packet = metadata.get_data()[:MAX_XMP_BYTES]
        xmp = packet.decode("utf-8", errors="replace")
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams(line_margin=0.3, char_margin=2.0))
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > MAX_PAGES:
            return {
                "error": "too-large",
                "message": f"the PDF has more than {MAX_PAGES} pages",
            }
        interpreter.process_page(page)
        layout = device.get_result()
        lines: list[list[Any]] = []
        counts = {"images": 0}
        _lines(layout, lines, counts)
        pages.append(
            {
                "number": number,
                "width": float(layout.width),
                "height": float(layout.height),
                "images": counts["images"],
                "lines": lines,
            }
        )
    if not pages:
        return {"error": "damaged", "message": "the PDF has no pages that can be read"}
    labels: list[str] | None = None
    try:  # the document's own page labels (/PageLabels): "xii", "245", "A-3"
        labels = [str(label) for label in itertools.islice(document.get_page_labels(), len(pages))]
    except Exception:  # PDFNoPageLabels, or a malformed number tree
        labels = None
    return {
        "labels": labels if labels and len(labels) == len(pages) else None,
        "pages": pages,
        "info": info,
        "xmp": xmp,
        "encrypted": bool(document.encryption),
    }


def main() -> int:
    """Read a PDF on stdin, write its layout (or the error) as JSON on stdout."""
    import logging
    import warnings

    logging.disable(logging.CRITICAL)  # pdfminer logs every oddity it repairs
    warnings.simplefilter("ignore")
    data = sys.stdin.buffer.read()
    try:
        result = read_pdf(data)
    except MemoryError:
        result = {"error": "limits", "message": "reading the PDF needs more memory than allowed"}
    except RecursionError:
        result = {"error": "damaged", "message": "the PDF's objects are nested too deeply"}
    except Exception as error:  # pdfminer raises many kinds for malformed files
        result = {
            "error": "damaged",
            "message": f"the PDF cannot be parsed ({type(error).__name__}: {str(error)[:200]})",
        }
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.setrecursionlimit(5000)
    raise SystemExit(main())

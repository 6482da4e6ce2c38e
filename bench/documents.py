"""PDF benchmark: text and metadata quality of warcite's PDF extraction and of the PDF
libraries it could be built on, on the test set of tests/data/pdf (expected.json), in one run.

Usage (from the project root, with the ``test`` extra and the candidate libraries
installed: ``pip install pdfminer.six pypdf pdfplumber``)::

    python bench/documents.py [--json]

Per file and per library, one table each:

* ``F1``: token F1 (``\\w+`` tokens, bag with multiplicity) of the whole text against the
  expected clean text (title, paragraphs and footnotes; no headers, footers, page numbers);
  a hyphen left at a line end, an unjoined ligature or a running header costs tokens;
* ``order``: how much of the expected token sequence comes out in order (difflib ratio on
  the token lists): two columns read across, or footnotes in mid-sentence, cost here;
* ``pages``: share of expected paragraphs found (F1 >= 0.8 with one extracted paragraph) with
  exactly the expected pages (warcite only: the libraries give page texts, not paragraphs);
* ``meta``: share of the expected metadata fields (title, authors, date, publisher, DOI,
  ISBN, type) found equal; the libraries are scored on what they read (the information
  dictionary's Title and Author, and for pdfplumber and pdfminer nothing more);
* ``error``: for the files that must fail (encrypted, scanned, damaged, bombs), whether the
  failure is reported with the expected reason;
* ``ms``: wall-clock milliseconds for the file (warcite's includes its child process).

The libraries are run with their default text extraction (``pdfminer.high_level.extract_text``
per page, ``pypdf`` ``page.extract_text()``, ``pdfplumber`` ``page.extract_text()``) and the
same normalisation of the result (NFC, spaces collapsed), so the scores compare their raw
reading; warcite's row is pdfminer.six plus warcite's own layout analysis.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import re
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA = PROJECT_ROOT / "tests" / "data" / "pdf"
if str(PROJECT_ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT / "tools"))

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return [token.casefold() for token in _TOKEN.findall(text)]


def token_f1(found: str, expected: str) -> float:
    found_tokens, expected_tokens = Counter(tokens(found)), Counter(tokens(expected))
    if not found_tokens or not expected_tokens:
        return 0.0
    common = sum((found_tokens & expected_tokens).values())
    if not common:
        return 0.0
    precision = common / sum(found_tokens.values())
    recall = common / sum(expected_tokens.values())
    return 2 * precision * recall / (precision + recall)


def order_ratio(found: str, expected: str) -> float:
    return SequenceMatcher(None, tokens(found), tokens(expected), autojunk=False).ratio()


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


# --------------------------------------------------------------------------- the readers


def read_warcite(data: bytes) -> dict[str, Any]:
    from warcite.core.errors import DocumentError, ExtractionError
    from warcite.extract.pdf import extract_pdf
    from warcite.extract.pdf_metadata import REPORT_GENRES

    try:
        extraction = extract_pdf(data)
    except DocumentError as error:
        return {"error": error.reason}
    except ExtractionError:
        return {"error": "other"}
    genre = extraction.genre.value if extraction.genre else None
    kind = "document"
    if genre and genre.casefold() in REPORT_GENRES:
        kind = "report"
    elif genre == "Journal article":
        kind = "article-journal"
    return {
        "text": "\n\n".join(p.text for p in extraction.paragraphs),
        "blocks": [(p.text, list(p.pages)) for p in extraction.paragraphs],
        "metadata": {
            "title": extraction.title.value if extraction.title else None,
            "authors": [person.name for person in extraction.authors],
            "published": extraction.published.value if extraction.published else None,
            "publisher": extraction.publisher.value if extraction.publisher else None,
            "doi": extraction.doi.value if extraction.doi else None,
            "isbn": extraction.isbn.value if extraction.isbn else None,
            "type": kind,
            "container_title": extraction.container_title,
            "language": extraction.language.value if extraction.language else None,
        },
    }


def read_pdfminer(data: bytes) -> dict[str, Any]:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.utils import decode_text

    try:
        text = extract_text(io.BytesIO(data))
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        return {"error": "encrypted"}
    except Exception:
        return {"error": "damaged"}
    info = document.info[0] if document.info else {}

    def value(key: str) -> str | None:
        raw = info.get(key)
        return decode_text(raw) if isinstance(raw, bytes) else None

    author = value("Author")
    return {
        "text": _normal(text),
        "metadata": {
            "title": value("Title"),
            "authors": re.split(r";\s*", author) if author else [],
        },
    }


def read_pypdf(data: bytes) -> dict[str, Any]:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return {"error": "encrypted"}
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        meta = reader.metadata or {}
    except pypdf.errors.FileNotDecryptedError:
        return {"error": "encrypted"}
    except Exception:
        return {"error": "damaged"}
    author = meta.get("/Author")
    return {
        "text": _normal(text),
        "metadata": {
            "title": meta.get("/Title"),
            "authors": re.split(r";\s*", str(author)) if author else [],
        },
    }


def read_pdfplumber(data: bytes) -> dict[str, Any]:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
            meta = pdf.metadata or {}
    except Exception as error:
        return {"error": "encrypted" if "password" in repr(error).lower() else "damaged"}
    author = meta.get("Author")
    return {
        "text": _normal(text),
        "metadata": {
            "title": meta.get("Title"),
            "authors": re.split(r";\s*", str(author)) if author else [],
        },
    }


READERS: dict[str, Callable[[bytes], dict[str, Any]]] = {
    "warcite": read_warcite,
    "pdfminer.six": read_pdfminer,
    "pypdf": read_pypdf,
    "pdfplumber": read_pdfplumber,
}


# --------------------------------------------------------------------------- scoring


def page_accuracy(found: list[tuple[str, list[int]]], expected: list[dict[str, Any]]) -> float:
    if not expected:
        return 0.0
    right = 0
    for block in expected:
        best = max(found, key=lambda item: token_f1(item[0], block["text"]), default=None)
        if (
            best is not None
            and token_f1(best[0], block["text"]) >= 0.8
            and best[1] == block["pages"]
        ):
            right += 1
    return right / len(expected)


def metadata_accuracy(found: dict[str, Any], expected: dict[str, Any]) -> float | None:
    checked = [
        key
        for key in ("title", "authors", "published", "publisher", "doi", "isbn", "type")
        if key in expected
    ]
    if not checked:
        return None
    right = 0
    for key in checked:
        value = found.get(key)
        if key == "authors":
            right += [a.casefold() for a in (value or [])] == [a.casefold() for a in expected[key]]
        elif key == "title":
            right += _normal(value or "").casefold() == _normal(expected[key]).casefold()
        else:
            right += value == expected[key]
    return right / len(checked)


def score(
    name: str, reader: Callable[[bytes], dict[str, Any]], case: dict[str, Any]
) -> dict[str, Any]:
    data = (DATA / case["file"]).read_bytes()
    started = time.perf_counter()
    result = reader(data)
    elapsed = (time.perf_counter() - started) * 1000
    row: dict[str, Any] = {"file": case["file"], "ms": elapsed}
    if case["error"]:
        row["error_ok"] = result.get("error") is not None and (
            name != "warcite" or result.get("error") == case["error"]
        )
        row["error"] = result.get("error")
        return row
    if "error" in result:
        row.update(
            f1=0.0,
            order=0.0,
            meta=0.0,
            pages=0.0 if name == "warcite" else None,
            error=result["error"],
        )
        return row
    expected_text = "\n\n".join(block["text"] for block in case["blocks"])
    row["f1"] = token_f1(result["text"], expected_text)
    row["order"] = order_ratio(result["text"], expected_text)
    row["pages"] = page_accuracy(result["blocks"], case["blocks"]) if "blocks" in result else None
    row["meta"] = metadata_accuracy(result["metadata"], case["metadata"])
    return row


def _cell(value: Any) -> str:
    if value is None:
        return "  n/a"
    if isinstance(value, bool):
        return "   ok" if value else " FAIL"
    return f"{value:5.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--libraries", default=",".join(READERS))
    options = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    cases = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    results: dict[str, list[dict[str, Any]]] = {}
    for name in options.libraries.split(","):
        reader = READERS[name]
        reader(b"%PDF-1.4\n%%EOF\n")  # warm-up: imports
        results[name] = [score(name, reader, case) for case in cases]
    if options.json:
        print(json.dumps(results, indent=1))
        return 0
    summary = []
    for name, rows in results.items():
        print(f"\n{name}")
        print(f"{'file':28} {'F1':>5} {'order':>5} {'pages':>5} {'meta':>5} {'error':>5} {'ms':>7}")
        for row in rows:
            print(
                f"{row['file']:28} {_cell(row.get('f1'))} {_cell(row.get('order'))} "
                f"{_cell(row.get('pages'))} {_cell(row.get('meta'))} "
                f"{_cell(row.get('error_ok')) if 'error_ok' in row else '    -'} {row['ms']:7.0f}"
            )
        text_rows = [row for row in rows if "f1" in row]
        error_rows = [row for row in rows if "error_ok" in row]
        metas = [row["meta"] for row in text_rows if row.get("meta") is not None]
        pages = [row["pages"] for row in text_rows if row.get("pages") is not None]
        summary.append(
            (
                name,
                sum(row["f1"] for row in text_rows) / len(text_rows),
                sum(row["order"] for row in text_rows) / len(text_rows),
                sum(pages) / len(pages) if pages else None,
                sum(metas) / len(metas) if metas else None,
                sum(row["error_ok"] for row in error_rows),
                len(error_rows),
                sum(row["ms"] for row in rows),
            )
        )
    print("\nsummary (means over the readable files; errors: right reasons / files that must fail)")
    print(f"{'library':14} {'F1':>5} {'order':>5} {'pages':>5} {'meta':>5} {'errors':>7} {'ms':>8}")
    baseline = summary[0]
    for name, f1, order, pages, meta, ok, total, ms in summary:
        print(
            f"{name:14} {f1:5.3f} {order:5.3f} {_cell(pages)} {_cell(meta)} {ok:>3}/{total:<3} {ms:8.0f}"
            f"  (time x{ms / baseline[7]:.2f} of {baseline[0]})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

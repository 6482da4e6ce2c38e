"""`warcite import`: local files (transcripts, saved HTML, WARCs) into new WARC files."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from conftest import PROJECT_ROOT, shared_path
from warcite.warc import iter_record_infos, read_page, verify_record

REFERENCE_SHA256 = "21ab3fb478b92be43b62e99821af8d569d71d78df7f7e8a39b15c4304f6f2f2d"
REFERENCE_URL = (
    "https://www.opednews.com/articles/"
    "Why-North-Korean-Elites-De-by-In-ae-Hyun-Asylum_Defection_Diplomats_Elitism-160829-249.html"
)
FIXED_TIME = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return FIXED_TIME


def counting_ids() -> object:
    counter = iter(range(1, 1000))
    return lambda: f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>"


def warc_records(path: Path) -> list[tuple[dict[str, str], bytes]]:
    """(WARC headers, raw block) of every record, read with warcio and no HTTP parsing."""
    result = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, no_record_parse=True):
            headers = dict(record.rec_headers.headers)
            result.append((headers, record.raw_stream.read()))
    return result


def fields_of(block: bytes) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, _, value in (line.partition(": ") for line in block.decode().split("\r\n"))
        if name
    ]


# --------------------------------------------------------------------------- reference WARC


def reference_warc() -> Path:
    found = sorted((PROJECT_ROOT / "archive").glob("opednews-160829-249-*.warc.gz"))
    assert len(found) == 1, f"expected one bundled reference WARC in archive/, found {found}"
    return found[0]


def test_bundled_reference_payload_hashes_to_the_transcript() -> None:
    page = read_page(reference_warc())
    assert hashlib.sha256(page.body).hexdigest() == REFERENCE_SHA256
    assert page.payload_digest == f"sha256:{REFERENCE_SHA256}"
    assert page.url == REFERENCE_URL
    assert page.target_uri == f"urn:transcript:{REFERENCE_URL}"
    assert page.method == "import-transcript"
    assert page.content_type == "text/plain; charset=utf-8"
    assert page.record_type == "resource"
    assert page.http_status is None
    assert page.truncated is None
    fields = dict(page.source_metadata)
    assert fields["original-uri"] == REFERENCE_URL
    assert fields["source-file-sha256"] == REFERENCE_SHA256
    assert "original HTML was not available" in fields["note"]
    assert "observed-at" not in fields  # unknown, so not invented


def test_bundled_reference_equals_the_shared_seed_byte_for_byte() -> None:
    seed = shared_path("seed", "opednews-160829-249.txt").read_bytes()
    assert read_page(reference_warc()).body == seed


def test_bundled_reference_verifies_at_its_offset() -> None:
    path = reference_warc()
    page = read_page(path)
    assert (
        verify_record(
            path, record_id=page.record_id, offset=page.offset, payload_digest=page.payload_digest
        )
        == []
    )
    types = [info.record_type for info in iter_record_infos(path)]
    assert types == ["warcinfo", "resource", "metadata"]


def test_bundled_reference_passes_warcio_check() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(reference_warc())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.count("digest pass") == 3

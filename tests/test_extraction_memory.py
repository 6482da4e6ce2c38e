"""Issue #18, memory in extraction: a page over the documented cap is refused clearly.

The peak memory of extraction is measured by ``bench/extraction_memory.py`` (a benchmark,
not a timed test); these tests check the cap: a decoded page over
``warcite.core.decode.MAX_DECODED_BYTES`` (64 MiB) is an ExtractionError, exit 4, whose
message names the cap and says what to do, and the library's ``max_decoded_bytes`` moves it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from warcite.cli import cli
from warcite.core.decode import MAX_DECODED_BYTES
from warcite.core.errors import ExtractionError
from warcite.extract import extract

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.extraction_memory import make_page, write_warc  # noqa: E402

HEADERS = (("Content-Type", "text/html; charset=utf-8"),)


def test_a_page_over_a_given_cap_names_it_and_what_to_do() -> None:
    page = make_page(200_000)
    with pytest.raises(ExtractionError) as raised:
        extract(page, headers=HEADERS, max_decoded_bytes=100_000)
    message = str(raised.value)
    assert f"the page is {len(page)} bytes" in message
    assert "over warcite's cap of 100000 bytes" in message
    assert "max_decoded_bytes" in message and "docs/extraction.md" in message
    assert extract(page, headers=HEADERS, max_decoded_bytes=300_000).text  # the cap moves


def test_extract_refuses_a_page_over_64_mib_with_exit_4(tmp_path: Path) -> None:
    warc = tmp_path / "huge.warc"
    write_warc(warc, make_page(MAX_DECODED_BYTES + 4096))
    result = CliRunner().invoke(cli, ["extract", str(warc), "--format", "text"])
    assert result.exit_code == 4, result.output
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output
    assert "over warcite's cap of 67108864 bytes (64 MiB) on a decoded page" in output
    assert "max_decoded_bytes" in output

"""WARC 1.1 revisit records: read back through the response they refer to, validated, found."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.warcwriter import WARCWriter

from collection_site import new_project as _project
from collection_site import running_site
from warcite.cli import cli
from warcite.collection.archive import archive
from warcite.collection.revisit import dedupe_lookup, original_record
from warcite.core.errors import WarcReadError
from warcite.core.warc import IDENTICAL_PAYLOAD_PROFILE
from warcite.core.warc.pages import read_page
from warcite.core.warc.records import read_record_at


def _new_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def write_revisit_warc(
    path: Path, original: object, *, profile: str = IDENTICAL_PAYLOAD_PROFILE
) -> str:
    """A WARC written with warcio (not warcite) holding a revisit of ``original`` (a
    warcite.core.warc.records.WarcRecord) and a metadata record naming it the page; its record ID."""
    head = original.block.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"  # type: ignore[attr-defined]
    info = original.info  # type: ignore[attr-defined]
    revisit_id = _new_id()
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "warcio"}))
        revisit = writer.create_warc_record(
            info.target_uri,
            "revisit",
            payload=io.BytesIO(head),
            length=len(head),
            warc_content_type="application/http; msgtype=response",
            warc_headers_dict={
                "WARC-Record-ID": revisit_id,
                "WARC-Date": "2030-01-02T03:04:05Z",
                "WARC-Profile": profile,
                "WARC-Refers-To": info.record_id,
                "WARC-Refers-To-Target-URI": info.target_uri,
                "WARC-Refers-To-Date": info.date,
                "WARC-Payload-Digest": original.header("WARC-Payload-Digest"),  # type: ignore[attr-defined]
            },
        )
        writer.write_record(revisit)
        fields = f"method: http-capture\r\nrequested-uri: {info.target_uri}\r\n".encode()
        writer.write_record(
            writer.create_warc_record(
                info.target_uri,
                "metadata",
                payload=io.BytesIO(fields),
                length=len(fields),
                warc_content_type="application/warc-fields",
                warc_headers_dict={"WARC-Refers-To": revisit_id, "WARC-Record-ID": _new_id()},
            )
        )
    return revisit_id


@pytest.fixture()
def captured(tmp_path: Path) -> tuple[Path, dict, object]:
    root = _project(tmp_path)
    with running_site(3) as site:
        record = archive(site.url(1), project_root=root).record
    warc = record["capture"]["warc"]
    return root, record, read_record_at(root / warc["path"], warc["offset"])


def test_a_revisit_is_read_validated_and_compared_through_the_earlier_response(
    captured: tuple[Path, dict, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, first, original = captured
    warc = root / "archive" / "127-0-0-1-1001-20300102030405.warc.gz"
    revisit_id = write_revisit_warc(warc, original)
    page = read_page(warc)
    assert page.record_type == "revisit" and page.record_id == revisit_id
    assert page.body == read_page(root / first["capture"]["warc"]["path"]).body
    assert page.payload_digest == first["capture"]["warc"]["payload_digest"]

    monkeypatch.chdir(root)
    runner = CliRunner()
    result = runner.invoke(cli, ["archive", str(warc)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    second = "127-0-0-1-1001-2"
    result = runner.invoke(cli, ["validate", "--deep"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"records/{second}.json: ok" in result.stdout
    result = runner.invoke(cli, ["diff", second], catch_exceptions=False)
    assert "no change in the clean text or the metadata (the same payload digest)" in (
        result.stdout
    )
    # the earlier WARC is needed: without it, the revisit cannot be read, and says why
    earlier = root / first["capture"]["warc"]["path"]
    moved = earlier.with_name("elsewhere.bin")
    earlier.rename(moved)
    with pytest.raises(WarcReadError, match=r"which no WARC in .* holds; the payload is in that"):
        read_page(warc)
    result = runner.invoke(cli, ["validate", f"records/{second}.json"], catch_exceptions=False)
    assert result.exit_code == 5 and "no WARC in" in result.stdout
    # ... and it must still hold the same payload
    data = bytearray(moved.read_bytes())
    moved.rename(earlier)
    assert read_page(warc).body
    import gzip

    plain = bytearray(gzip.decompress(bytes(data)))
    position = plain.index(b"Residents gathered")
    plain[position] = ord("r")
    plain_path = earlier.with_suffix("")  # the same WARC, uncompressed and changed
    earlier.unlink()
    plain_path.write_bytes(bytes(plain))
    with pytest.raises(WarcReadError, match="does not have the digest"):
        read_page(warc)


def test_other_revisit_profiles_are_refused(captured: tuple[Path, dict, object]) -> None:
    root, _first, original = captured
    warc = root / "archive" / "other-20300102030405.warc.gz"
    write_revisit_warc(
        warc, original, profile="http://netpreserve.org/warc/1.1/revisit/server-not-modified"
    )
    with pytest.raises(WarcReadError, match="identical-payload-digest profile only"):
        read_page(warc)


def test_the_dedupe_lookup_finds_an_identical_payload_of_the_same_url(
    captured: tuple[Path, dict, object],
) -> None:
    root, first, _original = captured
    lookup = dedupe_lookup(root)
    url = first["capture"]["target_uri"]
    digest = first["capture"]["warc"]["payload_digest"]
    earlier = lookup(url, digest)
    assert earlier is not None
    assert earlier.record_id == first["capture"]["warc"]["record_id"]
    assert earlier.warc_path == first["capture"]["warc"]["path"]
    assert lookup(url.replace("http://", "HTTP://") + "#top", digest) == earlier
    assert lookup(url, "sha256:" + "0" * 64) is None
    assert lookup(url + "?other", digest) is None
    assert original_record(root, earlier.record_id) == (
        root / earlier.warc_path,
        earlier.offset,
    )
    assert original_record(root, _new_id()) is None


def test_an_unchanged_recapture_is_written_as_a_revisit(tmp_path: Path) -> None:
    """archive() hands capture the project's dedupe lookup: the second capture of an
    unchanged page stores a revisit record, not the payload again, and its record reads,
    validates and cites through the earlier response."""
    from warcite.core.warc.records import iter_records
    from warcite.integrity.validate import validate_file

    root = _project(tmp_path)
    with running_site(3) as site:
        first = archive(site.url(1), project_root=root).record
        second = archive(site.url(1), project_root=root).record
    assert first["id"] != second["id"]
    warc = root / second["capture"]["warc"]["path"]
    wanted = second["capture"]["warc"]["record_id"].strip("<>")
    page = next(r for r in iter_records(warc) if r.info.record_id.strip("<>") == wanted)
    assert page.info.record_type == "revisit"
    assert page.header("WARC-Profile") == IDENTICAL_PAYLOAD_PROFILE
    assert page.header("WARC-Truncated") == "length"
    assert "truncated" not in second["capture"] or second["capture"]["truncated"] is None
    assert second["text"]["sha512"] == first["text"]["sha512"]
    assert [p["id"] for p in second["lineage"]["previous"]] == [first["id"]]
    report = validate_file(root / "records" / f"{second['id']}.json", root, deep=True)
    assert report.ok, [p.line() for p in report.problems]

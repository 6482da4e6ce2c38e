"""Hostile inputs, round 2 (issue 18): each is a clear error with its documented exit code,
never a traceback, never a hang, and nothing half-written.

Commands that could block (a FIFO, ``/dev/zero``) run in a subprocess with a timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import TEST_DATA
from fixture_server import FixtureServer, http_response
from warcite.cli import cli

URL = "https://harborview-gazette.example/news/2019/05/11/council-approves-harbor-plan"
WARCITE = [sys.executable, "-m", "warcite"]
TIMEOUT = 20
ARTICLE = (
    b"<!DOCTYPE html><html><head><title>Council approves the new harbor plan</title></head>"
    b"<body><article><h1>Council approves the new harbor plan</h1>"
    + b"".join(
        b"<p>The council voted on the harbor plan for the %d time after a long debate "
        b"about the ferry terminal, the fishing fleet and the cost to the city.</p>" % i
        for i in range(8)
    )
    + b"</article></body></html>"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from warcite.capture import import_file
    from warcite.integrity.recording import make_record

    project = tmp_path_factory.mktemp("hostile2") / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    warc = import_file(
        TEST_DATA / "transcript_news.txt", url=URL, archive_dir=project / "archive"
    ).path
    make_record(warc, project_root=project, slug="harbor")
    return project


@pytest.fixture()
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


def run(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess (a hang is a failed test, not a stuck run)."""
    return subprocess.run(
        [*WARCITE, *arguments], cwd=project, capture_output=True, text=True, timeout=TIMEOUT
    )


def invoke(*arguments: str) -> Result:
    result = CliRunner().invoke(cli, list(arguments))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def assert_error(
    result: Result | subprocess.CompletedProcess[str], code: int, *phrases: str
) -> None:
    stderr = result.stderr
    output = result.output if isinstance(result, Result) else result.stdout + stderr
    assert "Traceback" not in output, output
    exit_code = result.exit_code if isinstance(result, Result) else result.returncode
    assert exit_code == code, output
    assert stderr.startswith("Error: "), stderr
    for phrase in phrases:
        assert phrase in stderr, stderr


def project_files(project: Path) -> list[str]:
    return sorted(
        str(path.relative_to(project))
        for folder in ("archive", "records")
        for path in (project / folder).iterdir()
    )


# --------------------------------------------------------------- charset labels


@pytest.mark.parametrize(
    "label", ["idna", "punycode", "undefined", "utf-16", "UTF-32", "x-mac-ukrainian"]
)
def test_a_charset_label_of_no_byte_codec_is_captured_and_recorded(
    project: Path, server: FixtureServer, label: str
) -> None:
    body = {"utf-16": "utf-16-le", "UTF-32": "utf-32-le"}.get(label)
    server.route(
        "/page",
        http_response(
            200,
            "OK",
            [("Content-Type", f"text/html; charset={label}")],
            ARTICLE.decode().encode(body) if body else ARTICLE,
        ),
    )
    result = invoke("archive", server.url("/page"), "--id", "charset")
    if label == "UTF-32":  # no web charset: the text may be refused as binary, cleanly
        assert result.exit_code in (0, 4), result.output
        if result.exit_code:
            return
    assert result.exit_code == 0, result.output
    checked = invoke("validate", "--deep", "records/charset.json")
    assert checked.exit_code == 0, checked.output


def test_byte_charset_gives_codecs_that_never_raise() -> None:
    import codecs
    import encodings.aliases

    from warcite.core.charsets import byte_charset

    labels = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
    for label in sorted(labels | {"idna", "punycode", "undefined", "utf-16", "utf-32"}):
        codec = byte_charset(label)
        if codec is None:
            continue
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        decoder.decode(b"<p>\xff\x00\xfe\x01 caf\xc3\xa9")
        decoder.decode(bytes(range(256)), final=True)
    assert byte_charset("idna") is None
    assert byte_charset("utf-16") == "utf-16-le"


# --------------------------------------------------------------- names and paths


@pytest.mark.parametrize("command", ["archive", "import"])
def test_a_five_thousand_character_id_is_a_usage_error(project: Path, command: str) -> None:
    before = project_files(project)
    result = invoke(
        command, str(TEST_DATA / "transcript_blog.txt"), "--url", URL + "2", "--id", "a" * 5000
    )
    assert_error(result, 2, "--id", "too long")
    assert project_files(project) == before


def test_a_five_thousand_character_id_for_record_is_a_usage_error(project: Path) -> None:
    warc = next((project / "archive").glob("*.warc.gz"))
    result = invoke("record", str(warc), "--id", "b" * 5000, "--replace")
    assert_error(result, 2, "--id", "too long")


def test_a_five_thousand_character_id_for_capture_is_a_usage_error(
    project: Path, server: FixtureServer
) -> None:
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], ARTICLE))
    result = invoke("capture", server.url("/page"), "--id", "c" * 5000)
    assert_error(result, 2, "--id", "too long")
    assert not any((project / "archive").glob("c*"))


@pytest.mark.parametrize("output", ["/proc/warcite-bag", "/proc/self/warcite-bag", "/proc/x/y/z"])
@pytest.mark.parametrize("kind", ["bagit", "wacz", "ocfl", "premis"])
def test_export_into_a_path_that_cannot_be_created_is_a_clear_error(
    project: Path, output: str, kind: str
) -> None:
    result = invoke("export", kind, "records/harbor.json", "-o", output)
    missing_folder = output.startswith("/proc/x/")  # exit 2: the folder does not exist
    assert_error(result, 2 if missing_folder else 1, output.rsplit("/", 1)[0])


def test_a_symbolic_link_loop_given_to_archive_is_a_clear_error(project: Path) -> None:
    os.symlink("loop-b", project / "loop-a")
    os.symlink("loop-a", project / "loop-b")
    for source in ("loop-a", "loop-a/page.html", str(project / "loop-b")):
        result = invoke("archive", source, "--url", URL + "3")
        assert_error(result, 2)
        result = invoke("import", source, "--url", URL + "3")
        assert result.exit_code in (2, 3), result.output
        assert result.stderr.startswith("Error: ")


def test_a_symbolic_link_loop_inside_the_project_is_a_clear_error(project: Path) -> None:
    os.symlink("l2.warc.gz", project / "archive" / "l1.warc.gz")
    os.symlink("l1.warc.gz", project / "archive" / "l2.warc.gz")
    os.symlink("r2.json", project / "records" / "r1.json")
    os.symlink("r1.json", project / "records" / "r2.json")
    for command in (
        ["archive", "archive/l1.warc.gz"],
        ["import", "archive/l1.warc.gz"],
        ["check", "archive/l1.warc.gz"],
        ["extract", "archive/l1.warc.gz"],
        ["export", "bagit", "records/r1.json", "-o", str(project.parent / "bag")],
        ["text", "records/r1.json"],
        ["validate", "records/r1.json"],
    ):
        result = invoke(*command)
        assert result.exit_code in (1, 2, 3, 4, 5), (command, result.output)
        assert "Error: " in result.stderr, (command, result.output)
        assert (
            "loop" in result.output or "outside" in result.output or "regular" in result.output
        ), (command, result.output)


def test_an_archive_folder_that_is_a_symbolic_link_loop_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "warcite.toml").write_text("")
    os.symlink("archive", tmp_path / "archive")
    monkeypatch.chdir(tmp_path)
    result = invoke("archive", str(TEST_DATA / "transcript_blog.txt"), "--url", URL + "4")
    assert result.exit_code in (2, 3), result.output
    assert result.stderr.startswith("Error: ")


# --------------------------------------------------------------- deep JSON


@pytest.mark.parametrize("nesting", ['{"a":', "["])
@pytest.mark.parametrize("command", [["list"], ["search", "harbor"], ["list", "--reindex"]])
def test_a_deeply_nested_record_file_does_not_crash_list_or_search(
    project: Path, nesting: str, command: list[str]
) -> None:
    closing = {"{": "}", "[": "]"}[nesting[0]]
    (project / "records" / "deep.json").write_text(
        nesting * 20_000 + ("1" if nesting != "[" else "") + closing * 20_000
    )
    result = invoke(*command)
    assert "Traceback" not in result.output
    assert "deep.json" in result.stderr, result.output
    assert "nests" in result.stderr


# --------------------------------------------------------------- non-regular files


@pytest.mark.parametrize(
    "command", [["check"], ["extract"], ["record"], ["validate"], ["seal", "--reason", "x"]]
)
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_commands_that_read_a_path_refuse_a_fifo_or_a_device(
    project: Path, command: list[str], kind: str
) -> None:
    path = project / "archive" / "odd.warc.gz"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        os.symlink("/dev/zero", path)
    name = "records/odd.json" if command[0] in ("validate", "seal") else "archive/odd.warc.gz"
    if name.startswith("records/"):
        target = project / name
        if kind == "fifo":
            os.mkfifo(target)
        else:
            os.symlink("/dev/zero", target)
    result = run(project, command[0], name, *command[1:])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (2, 3, 4, 5), result.stderr
    assert "Error: " in result.stderr, result.stderr
    said = result.stdout + result.stderr  # validate lists its problems on stdout
    assert "regular file" in said or "outside the project" in said, said


# --------------------------------------------------------------- header injection


@pytest.mark.parametrize(
    "agent", ["bot\r\nX-Injected: 1", "bot\nX-Injected: 1", "bot\rX-Injected: 1", "bot\x00x"]
)
def test_a_user_agent_with_cr_or_lf_is_a_usage_error_and_nothing_is_sent(
    project: Path, server: FixtureServer, agent: str
) -> None:
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], ARTICLE))
    before = project_files(project)
    result = invoke("capture", server.url("/page"), "--user-agent", agent)
    assert_error(result, 2, "--user-agent")
    assert server.requests == []
    assert project_files(project) == before


def test_build_request_never_writes_a_second_header_line() -> None:
    from warcite.capture.recorder import _build_request
    from warcite.core.errors import UsageError

    with pytest.raises(UsageError):
        _build_request("http://example.org/", "a\r\nX-Injected: 1", None, "*/*", "1.1")


# --------------------------------------------------------------- import vs check


def _digest(data: bytes) -> str:
    import base64
    import hashlib

    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def deviant_warc(
    *, version: bytes = b"WARC/1.1", duplicate: bool = False, cr: bool = False
) -> bytes:
    """A response and a request record, digests right, with one deviation check refuses."""
    uri = b"https://example.org/page" + (b"\rx" if cr else b"")
    response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    response += b"Content-Length: %d\r\n\r\n" % len(ARTICLE) + ARTICLE
    request = b"GET /page HTTP/1.1\r\nHost: example.org\r\n\r\n"
    ids = [b"<urn:uuid:11111111-1111-1111-1111-111111111111>"]
    ids.append(ids[0] if duplicate else b"<urn:uuid:22222222-2222-2222-2222-222222222222>")
    out = b""
    for record_id, kind, block in ((ids[0], b"response", response), (ids[1], b"request", request)):
        head = [
            (b"WARC-Type", kind),
            (b"WARC-Record-ID", record_id),
            (b"WARC-Date", b"2020-01-01T00:00:00Z"),
            (b"WARC-Target-URI", uri),
            (b"Content-Type", b"application/http; msgtype=" + kind),
            (b"WARC-Block-Digest", _digest(block).encode()),
        ]
        if kind == b"response":
            head.append((b"WARC-Payload-Digest", _digest(ARTICLE).encode()))
        head.append((b"Content-Length", str(len(block)).encode()))
        out += version + b"\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in head)
        out += b"\r\n" + block + b"\r\n\r\n"
    return out


@pytest.mark.parametrize(
    ("deviation", "message"),
    [
        ({"version": b"WARC/0.17"}, "unknown WARC version line 'WARC/0.17'"),
        ({"duplicate": True}, "duplicate WARC-Record-ID"),
        ({"cr": True}, "is not a URI written per RFC 3986"),
    ],
)
@pytest.mark.parametrize("command", ["import", "archive"])
def test_what_check_refuses_import_refuses_with_the_same_message(
    project: Path, tmp_path: Path, deviation: dict[str, object], message: str, command: str
) -> None:
    source = tmp_path / "deviant.warc"
    source.write_bytes(deviant_warc(**deviation))  # type: ignore[arg-type]
    checked = invoke("check", str(source))
    assert checked.exit_code == 5 and message in checked.output, checked.output
    before = project_files(project)
    result = invoke(command, str(source), "--id", "deviant")
    assert_error(result, 3, message)
    assert project_files(project) == before  # no WARC kept, no record made


def test_a_conformant_warc_is_imported_and_its_record_validates(
    project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "fine.warc"
    source.write_bytes(deviant_warc())
    assert invoke("check", str(source)).exit_code == 0
    assert invoke("archive", str(source), "--id", "fine").exit_code == 0
    result = invoke("validate", "--deep", "records/fine.json")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------- config drift


def _record(project: Path, slug: str = "harbor") -> dict[str, object]:
    import json

    data: dict[str, object] = json.loads((project / "records" / f"{slug}.json").read_text())
    return data


@pytest.mark.parametrize(
    "later",
    [
        '[archive]\nname = "A renamed archive"\n',
        '[archive]\nreplay_base = "https://replay.example.org/web"\n',
        None,  # warcite.toml removed
    ],
)
@pytest.mark.parametrize(
    "first", ['[archive]\nname = "Harbor Archive"\nreplay_base = "https://wb.example/web"\n', ""]
)
def test_validate_deep_does_not_depend_on_todays_configuration(
    project: Path, first: str, later: str | None
) -> None:
    (project / "warcite.toml").write_text(first)
    result = invoke(
        "archive", str(TEST_DATA / "transcript_blog.txt"), "--url", URL + "-blog", "--id", "blog"
    )
    assert result.exit_code == 0, result.output
    citation = _record(project, "blog")["citation"]
    assert isinstance(citation, dict)
    if first:
        assert citation["archive"] == "Harbor Archive"
        assert str(citation["archive_location"]).startswith("https://wb.example/web/")
    if later is None:
        (project / "warcite.toml").unlink()
    else:
        (project / "warcite.toml").write_text(later)
    checked = invoke("validate", "--deep", "records/blog.json")
    assert checked.exit_code == 0, checked.output


def test_a_changed_citation_is_still_caught_whatever_the_configuration(project: Path) -> None:
    import json

    path = project / "records" / "harbor.json"
    data = json.loads(path.read_text())
    data["citation"]["archive_location"] = "https://elsewhere.example/web/19990101000000/x"
    path.write_text(json.dumps(data))
    checked = invoke("validate", "--deep", "records/harbor.json")
    assert checked.exit_code == 5
    assert "$.citation.archive_location" in checked.output, checked.output


# --------------------------------------------------------------- extractor-version downgrade


@pytest.mark.parametrize("claimed", ["0.0.1", "99.0", "not-a-version"])
def test_a_claimed_extractor_version_does_not_weaken_validate_deep(
    project: Path, claimed: str
) -> None:
    import json

    path = project / "records" / "harbor.json"
    data = json.loads(path.read_text())
    data["text"]["extractor"]["version"] = claimed
    data["work"]["title"]["value"] = "A title nobody wrote"
    data["citation"]["title"] = "A title nobody wrote"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sealed = invoke("seal", "harbor", "--reason", "downgrade")
    assert_error(sealed, 5, "$.text.extractor.version")
    checked = invoke("validate", "--deep", "records/harbor.json")
    assert checked.exit_code == 5, checked.output
    assert "$.text.extractor.version" in checked.output
    errors = [line for line in checked.output.splitlines() if "warning:" not in line]
    assert any("$.work.title.value" in line for line in errors), checked.output


# --------------------------------------------------------------- an interrupted archive URL


def test_a_rerun_of_archive_url_completes_the_warc_an_interrupted_run_kept(
    project: Path, server: FixtureServer
) -> None:
    """What ``kill -9`` after the WARC was published leaves: the WARC, no record (made
    here with ``warcite capture``, which publishes the same WARC and stops)."""
    server.route("/page", http_response(200, "OK", [("Content-Type", "text/html")], ARTICLE))
    kept = invoke("capture", server.url("/page"), "--no-requisites")
    assert kept.exit_code == 0, kept.output
    warc = Path(kept.stdout.strip())
    fetched = len(server.requests)
    result = invoke("archive", server.url("/page"))
    assert result.exit_code == 0, result.output
    assert "completed from archive/" in result.stderr, result.output
    assert len(server.requests) == fetched  # nothing captured again
    assert sorted(p.name for p in (project / "archive").iterdir() if p.name.startswith("127")) == [
        warc.name
    ]
    checked = invoke("validate", "--deep")
    assert checked.exit_code == 0, checked.output
    assert "no record refers to this WARC" not in checked.output


# --------------------------------------------------------------- revisit targets across WARCs


def test_validate_deep_resolves_revisit_targets_across_the_project(
    project: Path, server: FixtureServer
) -> None:
    page = ARTICLE.replace(b"<head>", b'<head><link rel="stylesheet" href="/style.css">')
    css = b"body { font-family: serif; color: #222; }\n" * 20
    server.route("/style.css", http_response(200, "OK", [("Content-Type", "text/css")], css))
    for name in ("one", "two"):
        server.route(f"/{name}", http_response(200, "OK", [("Content-Type", "text/html")], page))
        result = invoke("archive", server.url(f"/{name}"), "--id", name)
        assert result.exit_code == 0, result.output
    second = _record(project, "two")
    warc = project / str(second["capture"]["warc"]["path"])  # type: ignore[index]
    from warcite.core.warc.records import iter_record_infos

    assert "revisit" in {info.record_type for info in iter_record_infos(warc)}
    checked = invoke("validate", "--deep")
    assert checked.exit_code == 0, checked.output
    assert "names no record" not in checked.output, checked.output
    # a target in no WARC of the project at all is still reported
    first = project / str(_record(project, "one")["capture"]["warc"]["path"])  # type: ignore[index]
    first.unlink()
    checked = invoke("validate", "--deep", "records/two.json")
    assert "names no record in the files checked" in checked.output, checked.output


# --------------------------------------------------------------- a full disk during import


class _FullDisk:
    """A file object whose writes fail with ENOSPC once ``room`` bytes are written."""

    def __init__(self, wrapped: object, room: int) -> None:
        self._wrapped = wrapped
        self._room = room

    def write(self, data: bytes) -> int:
        import errno

        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._wrapped.write(data))  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._wrapped, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapped.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("room", [0, 200, 500])
@pytest.mark.parametrize("command", ["import", "archive"])
def test_a_full_disk_during_import_is_a_clear_error_and_leaves_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int, command: str
) -> None:
    from warcite.capture import writer as writer_module

    source = tmp_path / "page.warc"
    source.write_bytes(deviant_warc())
    real_unnamed = writer_module.open_unnamed
    monkeypatch.setattr(
        writer_module,
        "open_unnamed",
        lambda folder, mode=0o600: (
            None if (opened := real_unnamed(folder, mode)) is None else _FullDisk(opened, room)
        ),
    )
    real_open = Path.open
    monkeypatch.setattr(
        writer_module.Path,
        "open",
        lambda self, *a, **kw: _FullDisk(real_open(self, *a, **kw), room),
    )
    before = project_files(project)
    result = invoke(command, str(source), "--id", "full")
    assert_error(result, 3, "disk is full")
    assert project_files(project) == before

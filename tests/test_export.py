"""`warcite export`: WACZ, BagIt and OCFL packages, each checked by its own community's tool.

- BagIt: bagit-python (``bagit.Bag(path).validate()``, from the test extra);
- WACZ: py-wacz's ``wacz validate``; the CDXJ index compared with pywb's cdxj-indexer; the
  WARCs and our CDXJ replayed by pywb on 127.0.0.1, page bytes compared;
- OCFL: ocfl-py's validator;
- SURT keys compared with the Internet Archive's ``surt`` package.

py-wacz, pywb and ocfl-py live in ``.venv-tools/`` (installed by ``.ci/tools-venv``, part of
the README's test command: pywb's brotlipy would overwrite the test extra's brotli).
Outside CI a test needing them skips, saying so, when that venv is absent; in CI
(``CI=true``) it fails instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import PROJECT_ROOT
from fixture_server import FixtureServer, chunked, http_response, unused_port
from warcite.cli import cli
from warcite.core.errors import UsageError, ValidationFailed, WarciteError
from warcite.export import EXPORTERS, export, exporter, format_name
from warcite.export.cdxj import surt

TOOLS = PROJECT_ROOT / ".venv-tools" / "bin"
TRANSCRIPT_SHA256 = "21ab3fb478b92be43b62e99821af8d569d71d78df7f7e8a39b15c4304f6f2f2d"
PAGE = (
    b'<!doctype html><html><head><meta charset="utf-8">'
    b"<title>River otters return to the valley</title>"
    b'<meta name="author" content="Jane Q. Reporter"></head><body><article>'
    b"<h1>River otters return to the valley</h1>"
    + b"".join(
        b"<p>Paragraph %d: otters were seen again along the river after forty years.</p>" % i
        for i in range(8)
    )
    + b"</article></body></html>"
)


def tool(name: str) -> Path:
    """An executable of .venv-tools, or skip (fail in CI) when it is not installed."""
    path = TOOLS / name
    if not path.exists():
        message = f"{path} is absent: run .ci/tools-venv (part of the README's test command)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_tool(name: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tool(name)), *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def tools_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("python", "-c", code, *args)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with the reference transcript record and a live capture (chunked page)."""
    from warcite.collection.archive import archive

    root = tmp_path_factory.mktemp("project")
    for folder in ("archive", "records"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    shutil.copy(PROJECT_ROOT / "warcite.toml", root / "warcite.toml")
    with FixtureServer() as server:
        server.route(
            "/otters.html",
            http_response(
                200,
                "OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")],
            )
            + chunked(PAGE, 50),
        )
        result = archive(server.url("/otters.html"), project_root=root)
    assert result.path.exists()
    yield root


def records_of(root: Path) -> list[Path]:
    return sorted((root / "records").glob("*.json"))


def live_record(root: Path) -> dict[str, Any]:
    for path in records_of(root):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["capture"]["target_uri"].startswith("http"):
            return dict(data)
    raise AssertionError("no live capture")


# --------------------------------------------------------------------------- the command


def test_format_names_and_aliases() -> None:
    assert [format_name(x) for x in ("wacz", "--wacz", "BagIt", "ocfl", "premis")] == [
        "wacz",
        "wacz",
        "bagit",
        "ocfl",
        "premis",
    ]
    with pytest.raises(UsageError, match="unknown export format 'zip'"):
        format_name("zip")
    assert set(EXPORTERS) == {"premis", "wacz", "bagit", "ocfl"}


def test_a_missing_exporter_module_is_reported_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXPORTERS, "premis", "warcite.export.absent_module:export_premis")
    with pytest.raises(WarciteError, match="premis export is not part of this warcite"):
        exporter("premis")


def test_premis_plugs_in_through_the_registry_when_present() -> None:
    import importlib.util

    if importlib.util.find_spec("warcite.export.premis") is None:
        result = CliRunner().invoke(cli, ["export", "premis", "-o", "x.xml"])
        assert result.exit_code == 1
        assert "premis export is not part of this warcite" in result.stderr
        assert "Traceback" not in result.output
    else:
        assert callable(exporter("premis"))


def test_existing_output_is_never_replaced(project: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.wacz"
    output.write_bytes(b"keep me")
    with pytest.raises(WarciteError, match="exists already"):
        export("wacz", records_of(project), output)
    assert output.read_bytes() == b"keep me"


def test_a_failing_exporter_leaves_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warcite.export.bagit as bagit_module

    def broken(records: list[Path], output: Path) -> Path:
        output.mkdir()
        (output / "half-written").write_text("x")
        raise WarciteError("disk full (simulated)")

    monkeypatch.setattr(bagit_module, "export_bagit", broken)
    with pytest.raises(WarciteError, match="simulated"):
        export("bagit", records_of(project), tmp_path / "bag")
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_record_is_never_exported(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(project, broken)
    text = next((broken / "records").glob("opednews*.txt"))
    text.write_bytes(text.read_bytes().replace(b"terror", b"Terror", 1))
    with pytest.raises(ValidationFailed, match="nothing exported") as failure:
        export("ocfl", records_of(broken), tmp_path / "root")
    assert any("sha512" in p.line() for p in failure.value.problems)
    assert not (tmp_path / "root").exists()


def test_cli_export_all_or_named_records(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "bagit", "-o", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'all'}\n"
    assert "exported 2 records as bagit" in result.stderr
    result = runner.invoke(
        cli, ["export", "--bagit", "opednews-160829-249", "-o", str(tmp_path / "one")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "one" / "data" / "records").iterdir()) == [
        "opednews-160829-249.json",
        "opednews-160829-249.sha512",
        "opednews-160829-249.txt",
    ]
    result = runner.invoke(cli, ["export", "--bagit", "-o", str(tmp_path / "one")])
    assert result.exit_code == 1 and "exists already" in result.stderr
    result = runner.invoke(cli, ["export", "--wacz", "--ocfl", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["export", "bagit", "no-such-record", "-o", str(tmp_path / "y")])
    assert result.exit_code == 5 and "no record 'no-such-record'" in result.stderr
    result = runner.invoke(cli, ["export", "tarball", "-o", str(tmp_path / "z")])
    assert result.exit_code == 2 and "unknown export format" in result.stderr


# --------------------------------------------------------------------------- BagIt


def test_bagit_bag_validates_with_bagit_python(project: Path, tmp_path: Path) -> None:
    import bagit

    output = export("bagit", records_of(project), tmp_path / "bag")
    bag = bagit.Bag(str(output))
    bag.validate()
    assert bag.version_info == (1, 0)
    assert set(bag.algorithms) == {"sha512"}
    info = bag.info
    assert info["Bagging-Date"] and info["Source-Organization"] == "warcite"
    assert "External-Description" in info
    payload = [p for p in (output / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    names = {p.relative_to(output / "data").as_posix() for p in payload}
    assert "schemas/record/1.0.0/record.schema.json" in names or any(
        n.startswith("schemas/record/") for n in names
    )
    assert sum(n.endswith(".warc.gz") for n in names) == 2
    assert (output / "tagmanifest-sha512.txt").is_file()
    # data/ is a warcite project: its records validate there, deep
    result = CliRunner().invoke(cli, ["validate", "--deep", str(output / "data" / "records")])
    assert result.exit_code == 0, result.output
    # the validator is not vacuous: one changed byte is found
    text = next((output / "data" / "records").glob("opednews*.txt"))
    text.write_bytes(text.read_bytes().replace(b"terror", b"Terror", 1))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(output)).validate()


# --------------------------------------------------------------------------- OCFL

OCFL_CHECK = """
import json, sys, ocfl
root = ocfl.StorageRoot(root=sys.argv[1])
valid = root.validate(log_warnings=True)
paths = {i: root.layout.identifier_to_path(i) for i in json.loads(sys.argv[2])}
print(json.dumps({"valid": valid, "objects": root.num_objects, "good": root.good_objects,
                  "errors": root.errors, "log": str(root.log), "paths": paths}))
"""


def test_ocfl_storage_root_validates_with_ocfl_py(project: Path, tmp_path: Path) -> None:
    from warcite.export.ocfl import object_path

    output = export("ocfl", records_of(project), tmp_path / "ocfl")
    ids = [json.loads(p.read_text())["record_id"] for p in records_of(project)]
    result = tools_python(OCFL_CHECK, str(output), json.dumps(ids))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True, report
    assert report["objects"] == report["good"] == 2 and report["errors"] == []
    for identifier in ids:  # objects are where the declared layout says
        assert report["paths"][identifier] == object_path(identifier)
        folder = output / object_path(identifier)
        inventory = json.loads((folder / "inventory.json").read_text())
        assert inventory["id"] == identifier and inventory["digestAlgorithm"] == "sha512"
        state = inventory["versions"]["v1"]["state"]
        logical = sorted(path for paths in state.values() for path in paths)
        assert logical[0].startswith("archive/") and len(logical) == 3
        assert (folder / "0=ocfl_object_1.1").read_text() == "ocfl_object_1.1\n"
    command = run_tool("ocfl-validate.py", str(output))
    assert command.returncode == 0, command.stdout + command.stderr
    # not vacuous: a changed content file is found
    changed = next(output.rglob("*.txt"))
    changed.write_bytes(changed.read_bytes() + b"!")
    result = tools_python(OCFL_CHECK, str(output), json.dumps(ids))
    tampered = json.loads(result.stdout)
    assert tampered["objects"] == 2 and tampered["good"] == 1 and tampered["errors"]


# --------------------------------------------------------------------------- WACZ


def test_wacz_validates_with_py_wacz(project: Path, tmp_path: Path) -> None:
    output = export("wacz", records_of(project), tmp_path / "a.wacz")
    result = run_tool("wacz", "validate", "-f", str(output), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Version detected as 1.1.1" in result.stdout
    assert "the passed WACZ is valid" in result.stdout
    with zipfile.ZipFile(output) as package:
        names = package.namelist()
        assert all(info.compress_type == zipfile.ZIP_STORED for info in package.infolist())
        pages = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
        datapackage = json.loads(package.read("datapackage.json"))
        digest = json.loads(package.read("datapackage-digest.json"))
        assert (
            digest["hash"]
            == "sha256:" + hashlib.sha256(package.read("datapackage.json")).hexdigest()
        )
    assert {"indexes/index.cdx", "pages/pages.jsonl", "datapackage.json"} <= set(names)
    assert datapackage["wacz_version"] == "1.1.1"
    assert pages[0]["format"] == "json-pages-1.0"
    urls = sorted(page["url"] for page in pages[1:])
    assert urls[0].startswith("http://127.0.0.1:")
    # the transcript is listed as what it is, never as the original https page
    assert urls[1].startswith("urn:transcript:https://www.opednews.com/")
    # not vacuous: a changed entry fails py-wacz's validation
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(output) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b"River", b"Rover")
            target.writestr(info, data)
    result = run_tool("wacz", "validate", "-f", str(tampered), cwd=tmp_path)
    assert result.returncode != 0 and "invalid" in result.stdout


def test_cdxj_matches_pywbs_own_indexer(project: Path, tmp_path: Path) -> None:
    from warcite.export.cdxj import cdxj_index

    warcs = sorted((project / "archive").glob("*.warc.gz"))
    ours = cdxj_index((path, path.name) for path in warcs).splitlines()
    result = run_tool("cdxj-indexer", *map(str, warcs))
    assert result.returncode == 0, result.stderr
    theirs = sorted(result.stdout.splitlines())

    def parse(line: str) -> tuple[str, str, dict[str, str]]:
        key, stamp, data = line.split(" ", 2)
        return key, stamp, json.loads(data)

    assert len(ours) == len(theirs) >= 3
    for mine, reference in zip(sorted(ours), theirs, strict=True):
        key, stamp, fields = parse(mine)
        other_key, other_stamp, other = parse(reference)
        assert (key, stamp) == (other_key, other_stamp)
        assert {k: other[k] for k in fields if k in other} == {
            k: fields[k] for k in fields if k in other
        }
        assert set(fields) >= {"url", "mime", "length", "offset", "filename"}


SURT_CHECK = (
    "import json, sys, surt; print(json.dumps([surt.surt(u) for u in json.load(sys.stdin)]))"
)


def test_surt_keys_equal_the_surt_package() -> None:
    urls = [
        "https://WWW2.Example.com:443/a/./b/../C/?b=2&a=1#x",
        "http://example.com",
        "http://example.com/%7Euser/a%20b?q=%41&jsessionid=0123456789abcdef0123456789abcdef",
        "http://bücher.example/ä?ö=1",
        "http://127.1/x",
        "http://2130706433/",
        "http://[::1]:8080/x",
        "https://user:pw@www.example.org:8443/path//to///x.html?z&y=&x=1",
        "http://example.com/a%2fb%252F?q=a%20b+c",
        "HTTP://EXAMPLE.COM/UPPER?Q=V",
        "http://www.example.com/(S(abcdefghijklmnopqrstuvwx))/page.aspx?a=b",
        "urn:transcript:https://www.opednews.com/articles/Why-North-Korean-Elites-160829-249.html",
        "dns:example.com",
        "example.com/no-scheme",
    ]
    alphabet = "abcXYZ019-._~%/?&=#:;@+ äé"
    generator = random.Random(13)
    for _ in range(300):
        host = "".join(generator.choice("abcwz09.-") for _ in range(generator.randint(1, 12)))
        rest = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 30)))
        scheme = generator.choice(["http://", "https://", "HTTP://www.", ""])
        urls.append(f"{scheme}{host}/{rest}")
    result = subprocess.run(
        [str(tool("python")), "-c", SURT_CHECK],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    expected = json.loads(result.stdout)
    differences = [(u, surt(u), e) for u, e in zip(urls, expected, strict=True) if surt(u) != e]
    assert differences == []


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_pywb_replays_the_wacz_warcs_through_its_cdxj(project: Path, tmp_path: Path) -> None:
    wayback = tool("wayback")
    output = export("wacz", records_of(project), tmp_path / "a.wacz")
    collection = tmp_path / "pywb" / "collections" / "exported"
    with zipfile.ZipFile(output) as package:
        for name in package.namelist():
            if name.startswith("archive/"):
                (collection / "archive").mkdir(parents=True, exist_ok=True)
                (collection / name).write_bytes(package.read(name))
        (collection / "indexes").mkdir()
        (collection / "indexes" / "index.cdxj").write_bytes(package.read("indexes/index.cdx"))
    page = live_record(project)
    port = unused_port()
    base = f"http://127.0.0.1:{port}/exported"
    process = subprocess.Popen(
        [str(wayback), "-p", str(port), "-b", "127.0.0.1"],
        cwd=tmp_path / "pywb",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("pywb did not start on 127.0.0.1 within 90 seconds")
                time.sleep(0.5)
        stamp = "".join(c for c in page["capture"]["warc"]["date"] if c.isdigit())[:14]
        status, body = _get(f"{base}/{stamp}id_/{page['capture']['target_uri']}")
        assert status == 200
        assert body == PAGE  # the archived payload, de-chunked, byte for byte
        transcript = (
            "urn:transcript:https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-"
            "In-ae-Hyun-Asylum_Defection_Diplomats_Elitism-160829-249.html"
        )
        status, body = _get(f"{base}/20261126123103id_/{transcript}")
        assert status == 200 and hashlib.sha256(body).hexdigest() == TRANSCRIPT_SHA256
        # the original https URL is not in the archive: a transcript is not that page
        status, _ = _get(f"{base}/20261126123103id_/{transcript.removeprefix('urn:transcript:')}")
        assert status == 404
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_tools_venv_is_not_the_test_venv() -> None:
    """The tools are called from their own venv, never imported into this one."""
    assert Path(sys.prefix).resolve() != (PROJECT_ROOT / ".venv-tools").resolve()

"""``warcite serve``: a record's BagIt and OCFL exports as .zip downloads (and the PREMIS
and WACZ ones), through Flask's test client over the loopback-site project of
tests/serve_site.py.  Each zip is written by warcite.export outside the project, streamed,
and its temporary folder removed; nothing is written to the project."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import PROJECT_ROOT
from serve_site import build_project
from warcite.cli import cli
from warcite.export.ocfl import LAYOUT, object_path
from warcite.web import create_app


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    info = build_project(tmp_path_factory.mktemp("serve-exports"))
    yield info
    info["canary"].stop()


@pytest.fixture(scope="module")
def client(project: dict[str, Any]) -> Any:
    return create_app(project["root"]).test_client()


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the server's temporary folders are made in, watched by the test."""
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(root).as_posix(): (path.lstat().st_size, path.lstat().st_mtime_ns)
        for path in root.rglob("*")
    }


def _download(client: Any, path: str, root: Path, temporary: Path) -> bytes:
    """GET a download; checks that nothing changed in the project and that the temporary
    folder is gone once the response is closed."""
    before = _snapshot(root)
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.is_streamed
    data = bytes(response.data)
    assert int(response.headers["Content-Length"]) == len(data)
    response.close()
    assert list(temporary.iterdir()) == []
    assert _snapshot(root) == before
    return data


def _unzip(data: bytes, folder: Path, top: str) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert all(name == f"{top}/" or name.startswith(f"{top}/") for name in names), names
        assert not any(".." in name.split("/") or name.startswith("/") for name in names)
        archive.extractall(folder)
    return folder / top


def _cli_export(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _sha512(path: Path) -> str:
    return hashlib.sha512(path.read_bytes()).hexdigest()


def test_record_page_lists_every_export_download(client: Any, project: dict) -> None:
    page = client.get(f"/records/{project['first']}").get_data(as_text=True)
    for what, label in (
        ("premis", "PREMIS (.xml)"),
        ("wacz", "WACZ (.wacz)"),
        ("bagit", "BagIt bag (.zip)"),
        ("ocfl", "OCFL storage root (.zip)"),
    ):
        link = f'<a href="/records/{project["first"]}/download/{what}">{label}</a>'
        assert link in page


def test_bagit_download_is_a_zip_of_a_valid_bag(
    client: Any,
    project: dict,
    temporary: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bagit

    root, record_id = project["root"], project["first"]
    response = client.get(f"/records/{record_id}/download/bagit")
    assert response.mimetype == "application/zip"
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="{record_id}-bagit.zip"'
    )
    assert next(iter(response.response)).startswith(b"PK")  # a download dropped midway
    response.close()
    assert list(temporary.iterdir()) == []  # leaves nothing behind
    data = _download(client, f"/records/{record_id}/download/bagit", root, temporary)
    bag_folder = _unzip(data, tmp_path / "unzipped", f"{record_id}-bagit")
    bag = bagit.Bag(str(bag_folder))
    bag.validate()
    assert bag.version_info == (1, 0) and set(bag.algorithms) == {"sha512"}
    record = project["records"]["first"]
    payload = bag_folder / "data"
    assert (payload / "records" / f"{record_id}.json").read_bytes() == (
        root / "records" / f"{record_id}.json"
    ).read_bytes()
    for listed in record["files"]:
        assert _sha512(payload / listed["path"]) == listed["sha512"]
    assert bag.info["External-Identifier"] == record["record_id"]
    # the same package as `warcite export bagit` of that record (bar the bagging date)
    _cli_export(root, monkeypatch, "bagit", record_id, "-o", str(tmp_path / "cli-bag"))
    for manifest in ("manifest-sha512.txt", "bagit.txt"):
        assert (bag_folder / manifest).read_text() == (tmp_path / "cli-bag" / manifest).read_text()
    # the validator is not vacuous: a changed byte in the unzipped payload is found
    text = payload / "records" / f"{record_id}.txt"
    text.write_bytes(text.read_bytes().replace(b"ships", b"Ships", 1))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_folder)).validate()


def test_ocfl_download_is_a_zip_of_a_storage_root_with_the_records_object(
    client: Any,
    project: dict,
    temporary: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, record_id = project["root"], project["second"]
    record = project["records"]["second"]
    data = _download(client, f"/records/{record_id}/download/ocfl", root, temporary)
    storage = _unzip(data, tmp_path / "unzipped", f"{record_id}-ocfl")
    assert (storage / "0=ocfl_1.1").read_text() == "ocfl_1.1\n"
    assert json.loads((storage / "ocfl_layout.json").read_text())["extension"] == LAYOUT
    assert (
        json.loads((storage / "extensions" / LAYOUT / "config.json").read_text())["extensionName"]
        == LAYOUT
    )
    objects = [path.parent for path in storage.rglob("0=ocfl_object_1.1")]
    assert objects == [storage / object_path(record["record_id"])]
    folder = objects[0]
    inventory_bytes = (folder / "inventory.json").read_bytes()
    inventory = json.loads(inventory_bytes)
    assert inventory["id"] == record["record_id"]
    assert inventory["digestAlgorithm"] == "sha512" and inventory["head"] == "v1"
    assert (folder / "inventory.json.sha512").read_text() == (
        f"{hashlib.sha512(inventory_bytes).hexdigest()}  inventory.json\n"
    )
    assert (folder / "v1" / "inventory.json").read_bytes() == inventory_bytes
    # the state is the record's JSON and every file it lists, under the paths it uses
    state = inventory["versions"]["v1"]["state"]
    expected = {f"records/{record_id}.json"} | {listed["path"] for listed in record["files"]}
    assert {path for paths in state.values() for path in paths} == expected
    for listed in record["files"]:
        assert state[listed["sha512"]] == [listed["path"]]
    # the manifest names every content file by its digest, and nothing else
    content = {
        path.relative_to(folder).as_posix()
        for path in (folder / "v1" / "content").rglob("*")
        if path.is_file()
    }
    manifest = inventory["manifest"]
    assert {path for paths in manifest.values() for path in paths} == content
    for digest, paths in manifest.items():
        for path in paths:
            assert _sha512(folder / path) == digest
    # the same object as `warcite export ocfl` of that record (bar the creation time)
    _cli_export(root, monkeypatch, "ocfl", record_id, "-o", str(tmp_path / "cli-ocfl"))
    cli_inventory = json.loads(
        (tmp_path / "cli-ocfl" / object_path(record["record_id"]) / "inventory.json").read_text()
    )
    assert cli_inventory["manifest"] == manifest
    assert cli_inventory["versions"]["v1"]["state"] == state


OCFL_CHECK = """
import json, sys, ocfl
root = ocfl.StorageRoot(root=sys.argv[1])
valid = root.validate(log_warnings=True)
print(json.dumps({"valid": valid, "objects": root.num_objects, "good": root.good_objects,
                  "errors": root.errors}))
"""


def test_ocfl_download_validates_with_ocfl_py(
    client: Any, project: dict, temporary: Path, tmp_path: Path
) -> None:
    """ocfl-py lives in .venv-tools (as for tests/test_export.py): skipped without it, a
    failure in CI."""
    python = PROJECT_ROOT / ".venv-tools" / "bin" / "python"
    if not python.exists():
        message = f"{python} is absent: run .ci/tools-venv (part of the README's test command)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    record_id = project["gzip"]
    data = _download(client, f"/records/{record_id}/download/ocfl", project["root"], temporary)
    storage = _unzip(data, tmp_path / "unzipped", f"{record_id}-ocfl")
    result = subprocess.run(
        [str(python), "-c", OCFL_CHECK, str(storage)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"valid": True, "objects": 1, "good": 1, "errors": []}


@pytest.mark.parametrize("what", ["bagit", "ocfl"])
def test_export_downloads_refuse_path_traversal(
    client: Any, project: dict, temporary: Path, what: str
) -> None:
    record_id = project["first"]
    allowed = client.get(f"/records/{record_id}/download/{what}")
    assert allowed.status_code == 200
    allowed.close()
    for given in (
        "..",
        "%2e%2e",
        ".%2E",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "..%2Frecords%2F" + record_id,
        "%2Fetc%2Fpasswd",
        "..%5C..%5Cwarcite.toml",
        record_id + "%00",
        "...",
    ):
        response = client.get(f"/records/{given}/download/{what}")
        assert response.status_code == 404, given
        assert not response.data.startswith(b"PK")
    assert list(temporary.iterdir()) == []


def test_a_record_naming_paths_outside_the_project_is_not_exported(
    project: dict, temporary: Path, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(project["root"], root)
    (tmp_path / "secret.txt").write_text("outside the project\n")
    record = json.loads((root / "records" / f"{project['first']}.json").read_text())
    (root / "records" / "evil-id.json").write_text(json.dumps({**record, "id": "../../secret"}))
    escaping = dict(record)
    escaping["files"] = [{**item, "path": "../secret.txt"} for item in record["files"]]
    (root / "records" / "evil-files.json").write_text(json.dumps({**escaping, "id": "evil-files"}))
    client = create_app(root).test_client()
    _download(client, f"/records/{project['first']}/download/bagit", root, temporary)
    for name in ("evil-id", "evil-files"):
        for what in ("bagit", "ocfl"):
            response = client.get(f"/records/{name}/download/{what}")
            assert response.status_code == 404, (name, what)
            assert b"outside the project" not in response.data
    assert list(temporary.iterdir()) == []


def test_export_downloads_are_bounded_in_size_and_leave_nothing(
    project: dict, temporary: Path
) -> None:
    from warcite.web.downloads import export_size

    root, record_id = project["root"], project["first"]
    size = export_size(project["records"]["first"], root / "records" / f"{record_id}.json")
    assert size > project["records"]["first"]["files"][0]["size"]
    for what in ("bagit", "ocfl", "wacz", "premis"):
        refused = (
            create_app(root, max_export_bytes=size - 1)
            .test_client()
            .get(f"/records/{record_id}/download/{what}")
        )
        assert refused.status_code == 413
        message = refused.get_data(as_text=True)
        assert f"{size} bytes" in message and f"warcite export {what} {record_id}" in message
        assert list(temporary.iterdir()) == []  # refused before anything was written
        client = create_app(root, max_export_bytes=size).test_client()
        data = _download(client, f"/records/{record_id}/download/{what}", root, temporary)
        if what == "premis":
            assert b"premis" in data[:2000]
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None


def test_a_temporary_folder_inside_the_project_is_refused(
    project: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    shutil.copytree(project["root"], root)
    inside = root / "tmp"
    inside.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(inside))
    response = create_app(root).test_client().get(f"/records/{project['first']}/download/bagit")
    assert response.status_code == 500
    assert "TMPDIR" in response.get_data(as_text=True)
    assert list(inside.iterdir()) == []

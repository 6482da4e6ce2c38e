"""Signed WACZ (WACZ Signing and Verification 0.1.0, anonymous signature) and its checks.

``warcite export wacz --sign KEY`` signs ``datapackage.json``'s hash with an ECDSA key;
``warcite check X.wacz`` verifies the package (listed files, digests, signature), exit 8
when anything fails.  The signature is also checked by OpenSSL's command line, and the
package by py-wacz's validator (in .venv-tools, see tests/test_export.py), which accepts a
signed package without verifying anonymous signatures itself.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from test_export import run_tool
from test_proofs import archived_project, run


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archived_project(tmp_path_factory.mktemp("wacz"))


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("waczkey")
    result = run(folder, "keygen", "--type", "ecdsa-p384", str(folder / "wacz-key"))
    assert result.exit_code == 0, result.output
    return folder / "wacz-key"


@pytest.fixture(scope="module")
def signed(project: Path, key: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("signed") / "signed.wacz"
    result = run(project, "export", "wacz", "-o", str(output), "--sign", str(key))
    assert result.exit_code == 0, result.output
    return output


def rewrite(source: Path, target: Path, name: str, change: object) -> Path:
    """A copy of the zip ``source`` with member ``name`` passed through ``change``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == name:
                data = change(data)  # type: ignore[operator]
            new.writestr(info, data)
    return target


def test_export_signs_the_datapackage_as_the_specification_says(signed: Path) -> None:
    with zipfile.ZipFile(signed) as package:
        datapackage = json.loads(package.read("datapackage.json"))
        digest = json.loads(package.read("datapackage-digest.json"))
    signed_data = digest["signedData"]
    assert set(signed_data) == {"hash", "created", "software", "version", "signature", "publicKey"}
    assert (
        signed_data["hash"] == digest["hash"] and signed_data["created"] == datapackage["created"]
    )
    assert len(base64.b64decode(signed_data["signature"])) == 96  # P-384 r || s


def test_the_signature_verifies_with_openssl(signed: Path, tmp_path: Path) -> None:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    with zipfile.ZipFile(signed) as package:
        signed_data = json.loads(package.read("datapackage-digest.json"))["signedData"]
    raw = base64.b64decode(signed_data["signature"])
    (tmp_path / "sig.der").write_bytes(
        encode_dss_signature(int.from_bytes(raw[:48], "big"), int.from_bytes(raw[48:], "big"))
    )
    (tmp_path / "pub.der").write_bytes(base64.b64decode(signed_data["publicKey"]))
    (tmp_path / "message").write_bytes(signed_data["hash"].encode("utf-8"))
    verified = subprocess.run(
        [
            "openssl",
            "dgst",
            "-sha256",
            "-verify",
            str(tmp_path / "pub.der"),
            "-keyform",
            "DER",
            "-signature",
            str(tmp_path / "sig.der"),
            str(tmp_path / "message"),
        ],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stderr + verified.stdout
    assert "Verified OK" in verified.stdout


def test_warcite_check_verifies_a_signed_wacz(signed: Path, tmp_path: Path) -> None:
    result = run(tmp_path, "check", str(signed))
    assert result.exit_code == 0, result.output
    assert "anonymous signature verified: ECDSA key SHA256:" in result.output
    report = json.loads(run(tmp_path, "check", "--format", "json", str(signed)).stdout)
    assert report["packages"][0]["signature"] == "verified"


def test_py_wacz_accepts_the_signed_wacz(signed: Path, tmp_path: Path) -> None:
    result = run_tool("wacz", "validate", "-f", str(signed), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the passed WACZ is valid" in result.stdout
    assert "Has signature" in result.stdout  # it saw the signature (and left it to us)


def test_an_altered_signature_fails(signed: Path, tmp_path: Path) -> None:
    def flip(data: bytes) -> bytes:
        document = json.loads(data)
        raw = bytearray(base64.b64decode(document["signedData"]["signature"]))
        raw[10] ^= 1
        document["signedData"]["signature"] = base64.b64encode(bytes(raw)).decode()
        return json.dumps(document).encode()

    tampered = rewrite(signed, tmp_path / "t.wacz", "datapackage-digest.json", flip)
    result = run(tmp_path, "check", str(tampered))
    assert result.exit_code == 8, result.output
    assert "anonymous signature does not verify" in result.output


def test_a_re_hashed_datapackage_breaks_the_signature(signed: Path, tmp_path: Path) -> None:
    """A forger edits datapackage.json and fixes its digest, but cannot re-sign."""
    import hashlib

    with zipfile.ZipFile(signed) as package:
        datapackage = json.loads(package.read("datapackage.json"))
    datapackage["title"] = "Something else"
    content = json.dumps(datapackage).encode()
    first = rewrite(signed, tmp_path / "a.wacz", "datapackage.json", lambda _: content)

    def rehash(data: bytes) -> bytes:
        document = json.loads(data)
        document["hash"] = f"sha256:{hashlib.sha256(content).hexdigest()}"
        return json.dumps(document).encode()

    forged = rewrite(first, tmp_path / "b.wacz", "datapackage-digest.json", rehash)
    result = run(tmp_path, "check", str(forged))
    assert result.exit_code == 8, result.output
    assert "signedData.hash is not the hash" in result.output


def test_a_changed_warc_inside_is_reported(signed: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(signed) as package:
        warc = next(n for n in package.namelist() if n.startswith("archive/"))
    changed = rewrite(
        signed, tmp_path / "c.wacz", warc, lambda data: data[:-1] + bytes([data[-1] ^ 0xFF])
    )
    result = run(tmp_path, "check", str(changed))
    assert result.exit_code == 8, result.output
    assert "changed after the package was made" in result.output


def test_an_ed25519_key_cannot_sign_a_wacz(project: Path, tmp_path: Path) -> None:
    assert run(tmp_path, "keygen", str(tmp_path / "ed")).exit_code == 0
    result = run(
        project, "export", "wacz", "-o", str(tmp_path / "x.wacz"), "--sign", str(tmp_path / "ed")
    )
    assert result.exit_code == 2 and "ECDSA" in result.output
    assert not (tmp_path / "x.wacz").exists()
    other = run(
        project, "export", "bagit", "-o", str(tmp_path / "bag"), "--sign", str(tmp_path / "ed")
    )
    assert other.exit_code == 2


def test_a_wacz_made_by_py_wacz_verifies(project: Path, tmp_path: Path) -> None:
    warc = next((project / "archive").glob("*.warc.gz"))
    output = tmp_path / "pywacz.wacz"
    made = run_tool("wacz", "create", "-o", str(output), str(warc), cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    result = run(tmp_path, "check", str(output))
    assert result.exit_code == 0, result.output
    assert "ok (1 WARC files)" in result.output


# --------------------------------------------------------------------------- import


def record_of(project: Path, warc: str) -> dict[str, object]:
    made = run(project, "record", warc)
    assert made.exit_code == 0, made.output
    for path in (project / "records").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["capture"]["warc"]["path"] == warc:
            return dict(data)
    raise AssertionError(f"no record of {warc}")


def fresh_project(tmp_path: Path) -> Path:
    target = tmp_path / "importer"
    (target / "archive").mkdir(parents=True)
    (target / "records").mkdir()
    return target


def test_a_wacz_made_by_py_wacz_imports(project: Path, tmp_path: Path) -> None:
    warc = next((project / "archive").glob("*.warc.gz"))
    package = tmp_path / "other-tool.wacz"
    made = run_tool("wacz", "create", "-o", str(package), str(warc), cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    importer = fresh_project(tmp_path)
    result = run(importer, "import", str(package), "--id", "from-pywacz")
    assert result.exit_code == 0, result.output
    written = result.stdout.strip().splitlines()
    assert len(written) == 1 and Path(written[0]).name.startswith("from-pywacz")
    record = record_of(importer, f"archive/{Path(written[0]).name}")
    capture = record["capture"]
    assert isinstance(capture, dict) and capture["method"] == "import-warc"
    assert "Taken from the package other-tool.wacz" in capture["source_description"]
    assert "not signed" in capture["source_description"]
    assert run(importer, "validate").exit_code == 0


def test_a_signed_wacz_imports_with_its_signature_recorded(signed: Path, tmp_path: Path) -> None:
    importer = fresh_project(tmp_path)
    result = run(importer, "import", str(signed), "--id", "from-signed")
    assert result.exit_code == 0, result.output
    name = Path(result.stdout.strip()).name
    record = record_of(importer, f"archive/{name}")
    description = record["capture"]["source_description"]  # type: ignore[index]
    assert "anonymous signature by ECDSA key SHA256:" in description and "verified" in description
    from warcite.core.warc.records import iter_records

    fields = [
        r.block.decode("utf-8")
        for r in iter_records(importer / "archive" / name)
        if r.info.record_type == "metadata"
    ]
    assert any("source-package-verification: WACZ signed.wacz" in f for f in fields)


def test_a_wacz_that_does_not_verify_is_not_imported(signed: Path, tmp_path: Path) -> None:
    def flip(data: bytes) -> bytes:
        document = json.loads(data)
        raw = bytearray(base64.b64decode(document["signedData"]["signature"]))
        raw[3] ^= 1
        document["signedData"]["signature"] = base64.b64encode(bytes(raw)).decode()
        return json.dumps(document).encode()

    tampered = rewrite(signed, tmp_path / "t.wacz", "datapackage-digest.json", flip)
    importer = fresh_project(tmp_path)
    result = run(importer, "import", str(tampered))
    assert result.exit_code == 3, result.output
    assert "the package does not verify" in result.output
    assert list((importer / "archive").iterdir()) == []


def test_validate_verifies_a_wacz_as_check_does(signed: Path, tmp_path: Path) -> None:
    good = run(tmp_path, "validate", str(signed))
    assert good.exit_code == 0, good.output
    assert "anonymous signature verified" in good.output
    broken = rewrite(signed, tmp_path / "x.wacz", "datapackage.json", lambda d: d + b" ")
    result = run(tmp_path, "validate", "--format", "json", str(broken))
    assert result.exit_code == 8, result.output
    report = json.loads(result.stdout)
    assert not report["ok"] and report["packages"][0]["problems"]


def _package(path: Path, members: dict[str, bytes]) -> Path:
    """A WACZ of ``members`` (name -> bytes) with a datapackage.json listing their digests."""
    import hashlib

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        resources = [
            {"path": name, "hash": f"sha256:{hashlib.sha256(data).hexdigest()}", "bytes": len(data)}
            for name, data in members.items()
        ]
        archive.writestr("datapackage.json", json.dumps({"resources": resources}))
    return path


def test_a_wacz_is_imported_whole_or_not_at_all(project: Path, tmp_path: Path) -> None:
    """A package whose second WARC import refuses (a WARC/0.17 version line, which
    `warcite check` rejects) keeps none of its WARCs, not the first one either."""
    import gzip

    good = next((project / "archive").glob("*.warc.gz")).read_bytes()
    bad = gzip.compress(gzip.decompress(good).replace(b"WARC/1.1\r\n", b"WARC/0.17\r\n", 1))
    package = _package(tmp_path / "two.wacz", {"archive/a.warc.gz": good, "archive/b.warc.gz": bad})
    importer = fresh_project(tmp_path)
    result = run(importer, "import", str(package), "--id", "two")
    assert result.exit_code == 3, result.output
    assert "imported whole or not at all" in result.output
    assert "two.wacz: its archive/b.warc.gz: " in result.output and "/tmp" not in result.output
    assert list((importer / "archive").iterdir()) == []


def test_archive_takes_a_wacz_and_records_each_warc(project: Path, tmp_path: Path) -> None:
    warc = next((project / "archive").glob("*.warc.gz")).read_bytes()
    package = _package(
        tmp_path / "pair.wacz", {"archive/first.warc.gz": warc, "archive/second.warc.gz": warc}
    )
    importer = fresh_project(tmp_path)
    result = run(importer, "archive", str(package), "--id", "pair")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (importer / "records").glob("*.json")) == [
        "pair-2.json",
        "pair.json",
    ]
    for name in ("pair", "pair-2"):
        record = json.loads((importer / "records" / f"{name}.json").read_text(encoding="utf-8"))
        assert "Taken from the package pair.wacz" in record["capture"]["source_description"]
    assert run(importer, "validate", "--deep").exit_code == 0
    again = run(importer, "archive", str(package), "--id", "pair")
    assert again.exit_code != 0 and "exists already" in again.output
    assert len(list((importer / "archive").iterdir())) == 2  # nothing imported the second time
    batch = run(importer, "archive", str(package), str(package))
    assert batch.exit_code == 7 and "archive it on its own" in batch.output

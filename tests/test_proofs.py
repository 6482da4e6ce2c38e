"""Proofs a third party can check: Ed25519 signatures and RFC 3161 timestamps on seals.

A record is archived from a transcript (as in test_seal.py); its seal is then signed with
a key made by ``warcite keygen`` and/or timestamped by a Time-Stamping Authority that the
test runs on 127.0.0.1 (tests/tsa_server.py: a test CA and TSA certificate made with
``cryptography``, answers built with ``asn1crypto``).  Each forgery or damage is made the
way someone would make it, and ``warcite validate`` must report it with exit 8.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import TEST_DATA
from tsa_server import TestPki, TsaServer, alter_signature
from warcite.cli import cli
from warcite.integrity.signing import load_public_key

URL = "https://harborview-gazette.example/news/2019/05/11/council-approves-harbor-plan"
SLUG = "harborview-council-approves-new-harbor-plan"
RECORD = f"records/{SLUG}.json"
SEAL = f"records/{SLUG}.sha512"


def run(project: Path, *arguments: str) -> Result:
    previous = Path.cwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(cli, list(arguments))
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archived_project(tmp_path_factory.mktemp("proofs"))


def archived_project(base: Path) -> Path:
    """A project in ``base/project`` holding one record, archived from a transcript."""
    project = base / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    source = base / "transcript_news.txt"
    shutil.copy(TEST_DATA / "transcript_news.txt", source)
    result = run(project, "archive", str(source), "--url", URL, "--id", SLUG)
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture()
def project(archived: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(archived, copy, symlinks=True)
    return copy


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    made = {}
    for name in ("archivist", "forger"):
        result = run(folder, "keygen", str(folder / name), "--comment", name)
        assert result.exit_code == 0, result.output
        made[name] = folder / name
    return made


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki.make()


def write_root(project: Path, pki: TestPki, name: str = "tsa-root.pem") -> Path:
    path = project.parent / name
    path.write_bytes(pki.root_pem())
    return path


def edit_title(project: Path, title: str = "A headline nobody wrote") -> None:
    path = project / RECORD
    record = json.loads(path.read_text(encoding="utf-8"))
    record["work"]["title"]["value"] = title
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- keys


def test_keygen_writes_an_owner_only_key_and_its_public_key(tmp_path: Path) -> None:
    result = run(tmp_path, "keygen", str(tmp_path / "key"), "--comment", "Ada")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "key").stat().st_mode) == 0o600
    public = (tmp_path / "key.pub").read_text(encoding="ascii")
    assert public.startswith("ssh-ed25519 ") and public.rstrip().endswith(" Ada")
    fingerprint = result.stdout.strip()
    assert fingerprint == load_public_key(tmp_path / "key.pub").fingerprint
    if shutil.which("ssh-keygen"):  # OpenSSH reads the key and names it the same way
        listed = subprocess.run(
            ["ssh-keygen", "-l", "-f", str(tmp_path / "key")], capture_output=True, text=True
        )
        assert listed.returncode == 0, listed.stderr
        assert fingerprint in listed.stdout
    again = run(tmp_path, "keygen", str(tmp_path / "key"))
    assert again.exit_code == 2 and "never overwrites" in again.output


def test_a_pem_key_from_openssl_signs_too(project: Path, tmp_path: Path) -> None:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    key = tmp_path / "key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    public = tmp_path / "key.pub.pem"
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(public)], check=True)
    result = run(project, "seal", SLUG, "--reason", "signed", "--sign", str(key))
    assert result.exit_code == 0, result.output
    checked = run(project, "validate", "--trust", str(public))
    assert checked.exit_code == 0, checked.output
    assert "signed by a trusted key" in checked.output


def test_a_key_that_is_not_ed25519_is_refused(project: Path, tmp_path: Path) -> None:
    result = run(tmp_path, "keygen", str(tmp_path / "ec"), "--type", "ecdsa-p384")
    assert result.exit_code == 0, result.output
    refused = run(project, "seal", SLUG, "--reason", "x", "--sign", str(tmp_path / "ec"))
    assert refused.exit_code == 2 and "not Ed25519" in refused.output
    assert not (project / f"{SEAL}.sig").exists()


# --------------------------------------------------------------------------- signatures


def test_a_signed_seal_names_its_signer_and_verifies(project: Path, keys: dict[str, Path]) -> None:
    result = run(
        project,
        "seal",
        SLUG,
        "--reason",
        "signing",
        "--sign",
        str(keys["archivist"]),
        "--signer",
        "Ada Archivist",
    )
    assert result.exit_code == 0, result.output
    fingerprint = load_public_key(keys["archivist"].with_suffix(".pub")).fingerprint
    record = json.loads((project / RECORD).read_text(encoding="utf-8"))
    signers = [a for a in record["agents"] if a["id"].startswith("urn:warcite:agent:ed25519-")]
    assert [a["name"] for a in signers] == ["Ada Archivist"]
    last = record["events"][-1]
    assert fingerprint in last["detail"] and "Ada Archivist" in last["detail"]
    assert {"id": signers[0]["id"], "role": "authorizer"}.items() <= {
        k: v
        for link in last["linking_agents"]
        if link["id"] == signers[0]["id"]
        for k, v in link.items()
    }.items()
    checked = run(project, "validate", "--trust", str(keys["archivist"].with_suffix(".pub")))
    assert checked.exit_code == 0, checked.output
    assert f"signed by a trusted key {fingerprint} (Ada Archivist)" in checked.output
    # sha512sum still checks the seal, and OpenSSH checks the signature, without warcite
    if shutil.which("ssh-keygen"):
        allowed = project.parent / "allowed_signers"
        public = keys["archivist"].with_suffix(".pub").read_text(encoding="ascii").split()
        allowed.write_text(f"ada {public[0]} {public[1]}\n", encoding="ascii")
        with (project / SEAL).open("rb") as seal:
            verified = subprocess.run(
                [
                    "ssh-keygen",
                    "-Y",
                    "verify",
                    "-f",
                    str(allowed),
                    "-I",
                    "ada",
                    "-n",
                    "warcite-seal",
                    "-s",
                    str(project / f"{SEAL}.sig"),
                ],
                stdin=seal,
                capture_output=True,
                text=True,
            )
        assert verified.returncode == 0, verified.stderr


def test_a_forged_record_resealed_without_the_key_is_caught(
    project: Path, keys: dict[str, Path]
) -> None:
    public = str(keys["archivist"].with_suffix(".pub"))
    assert (
        run(project, "seal", SLUG, "--reason", "s", "--sign", str(keys["archivist"])).exit_code == 0
    )
    edit_title(project)
    # the seal alone catches the edit...
    assert run(project, "validate").exit_code == 5
    # ...so the forger re-seals: the seal holds again, the old signature does not
    assert run(project, "seal", SLUG, "--reason", "forged").exit_code == 0
    plain = run(project, "validate")
    assert plain.exit_code == 8, plain.output
    assert "signature does not verify" in plain.output
    trusted = run(project, "validate", "--trust", public)
    assert trusted.exit_code == 8 and "signature does not verify" in trusted.output
    # deleting the signature hides it from a plain validate, not from --trust
    (project / f"{SEAL}.sig").unlink()
    assert run(project, "validate").exit_code == 0
    missing = run(project, "validate", "--trust", public)
    assert missing.exit_code == 8 and "the seal is not signed" in missing.output
    # signing with the forger's own key is no better
    forged = run(
        project,
        "seal",
        SLUG,
        "--reason",
        "f",
        "--sign",
        str(keys["forger"]),
        "--signer",
        "Ada Archivist",
    )
    assert forged.exit_code == 0, forged.output
    other = run(project, "validate", "--trust", public)
    assert other.exit_code == 8 and "not one of the keys given with --trust" in other.output
    assert (
        run(project, "validate", "--trust", str(keys["forger"].with_suffix(".pub"))).exit_code == 0
    )


def test_a_damaged_signature_file_is_an_error(project: Path, keys: dict[str, Path]) -> None:
    assert (
        run(project, "seal", SLUG, "--reason", "s", "--sign", str(keys["archivist"])).exit_code == 0
    )
    signature = project / f"{SEAL}.sig"
    signature.write_text(
        signature.read_text(encoding="ascii").replace("A", "B", 1), encoding="ascii"
    )
    result = run(project, "validate", "--format", "json")
    assert result.exit_code == 8
    report = json.loads(result.stdout)
    kinds = {p["kind"] for r in report["records"] for p in r["problems"]}
    assert kinds == {"signature"}


def test_other_problems_keep_exit_5(project: Path, keys: dict[str, Path]) -> None:
    public = str(keys["archivist"].with_suffix(".pub"))
    edit_title(project)  # no re-seal: a seal problem, and no signature under --trust
    result = run(project, "validate", "--trust", public)
    assert result.exit_code == 5, result.output
    assert "the seal is not signed" in result.output


# --------------------------------------------------------------------------- timestamps


def test_a_timestamped_seal_verifies_offline(project: Path, pki: TestPki) -> None:
    root = write_root(project, pki)
    with TsaServer(pki) as tsa:
        result = run(project, "seal", SLUG, "--reason", "timestamp", "--tsa", tsa.url)
        assert tsa.requests == 1
    assert result.exit_code == 0, result.output
    record = json.loads((project / RECORD).read_text(encoding="utf-8"))
    assert "timestamped (RFC 3161)" in record["events"][-1]["detail"]
    checked = run(project, "validate", "--tsa-root", str(root))  # the TSA is gone: offline
    assert checked.exit_code == 0, checked.output
    assert "timestamped 20" in checked.output and "CN=warcite test TSA" in checked.output
    if shutil.which("openssl"):
        verified = subprocess.run(
            [
                "openssl",
                "ts",
                "-verify",
                "-data",
                str(project / SEAL),
                "-in",
                str(project / f"{SEAL}.tsr"),
                "-CAfile",
                str(root),
            ],
            capture_output=True,
            text=True,
        )
        assert verified.returncode == 0, verified.stderr + verified.stdout
    # without a trusted root the token is only matched, and validate says so
    unchecked = run(project, "validate")
    assert unchecked.exit_code == 0
    assert "no trusted TSA root was given" in unchecked.output


def test_a_changed_record_is_reported_despite_its_timestamp(project: Path, pki: TestPki) -> None:
    root = write_root(project, pki)
    with TsaServer(pki) as tsa:
        assert run(project, "seal", SLUG, "--reason", "t", "--tsa", tsa.url).exit_code == 0
    edit_title(project)
    changed = run(project, "validate", "--tsa-root", str(root))
    assert changed.exit_code == 5 and "changed since it was sealed" in changed.output
    assert run(project, "seal", SLUG, "--reason", "forged").exit_code == 0
    resealed = run(project, "validate", "--tsa-root", str(root))
    assert resealed.exit_code == 8, resealed.output
    assert "for another digest than the seal's" in resealed.output


def test_a_token_for_another_digest_is_reported(project: Path, pki: TestPki) -> None:
    root = write_root(project, pki)
    other = project.parent / "other.sha512"
    other.write_bytes(b"0" * 128 + b"  records/other.json\n")
    with TsaServer(pki) as tsa:
        assert run(project, "seal", SLUG, "--reason", "t", "--tsa", tsa.url).exit_code == 0
        from warcite.integrity.timestamps import request_token

        token = request_token(other.read_bytes(), tsa.url)
    (project / f"{SEAL}.tsr").write_bytes(token)
    result = run(project, "validate", "--tsa-root", str(root))
    assert result.exit_code == 8 and "for another digest" in result.output


def test_an_altered_token_signature_is_reported(project: Path, pki: TestPki) -> None:
    root = write_root(project, pki)
    with TsaServer(pki) as tsa:
        assert run(project, "seal", SLUG, "--reason", "t", "--tsa", tsa.url).exit_code == 0
    token = project / f"{SEAL}.tsr"
    token.write_bytes(alter_signature(token.read_bytes()))
    result = run(project, "validate", "--tsa-root", str(root))
    assert result.exit_code == 8, result.output
    assert "does not verify: signature failure" in result.output


def test_an_untrusted_tsa_is_reported(project: Path, pki: TestPki) -> None:
    stranger = write_root(project, TestPki.make(), "stranger-root.pem")
    with TsaServer(pki) as tsa:
        assert run(project, "seal", SLUG, "--reason", "t", "--tsa", tsa.url).exit_code == 0
    result = run(project, "validate", "--tsa-root", str(stranger))
    assert result.exit_code == 8, result.output
    assert "unable to get local issuer certificate" in result.output


def test_an_expired_tsa_certificate_is_reported(project: Path, pki: TestPki) -> None:
    expired = pki.with_expired_tsa()
    root = write_root(project, expired)
    with TsaServer(expired) as tsa:
        assert run(project, "seal", SLUG, "--reason", "t", "--tsa", tsa.url).exit_code == 0
    result = run(project, "validate", "--tsa-root", str(root))
    assert result.exit_code == 8, result.output
    assert "certificate has expired" in result.output


def test_with_roots_configured_a_bad_token_is_never_kept(project: Path, pki: TestPki) -> None:
    """With [proofs] tsa_roots, seal checks the answer before keeping it: a TSA that no
    trusted root vouches for leaves the old seal in place (exit 8)."""
    root = write_root(project, TestPki.make(), "stranger-root.pem")
    (project / "warcite.toml").write_text(
        f'[proofs]\ntsa_roots = ["{root.as_posix()}"]\n', encoding="utf-8"
    )
    before = (project / SEAL).read_bytes()
    with TsaServer(pki) as tsa:
        result = run(project, "seal", SLUG, "--reason", "t", "--tsa", tsa.url)
    assert result.exit_code == 8, result.output
    assert (project / SEAL).read_bytes() == before
    assert not (project / f"{SEAL}.tsr").exists()


def test_an_unreachable_tsa_writes_nothing(project: Path) -> None:
    before = (project / RECORD).read_bytes()
    result = run(project, "seal", SLUG, "--reason", "t", "--tsa", "http://127.0.0.1:9/tsa")
    assert result.exit_code == 8 and "cannot reach the Time-Stamping Authority" in result.output
    assert (project / RECORD).read_bytes() == before


def test_the_project_setting_timestamps_every_seal(project: Path, pki: TestPki) -> None:
    root = write_root(project, pki)
    with TsaServer(pki) as tsa:
        (project / "warcite.toml").write_text(
            f'[proofs]\ntsa_url = "{tsa.url}"\ntsa_roots = ["{root.as_posix()}"]\n',
            encoding="utf-8",
        )
        result = run(project, "seal", SLUG, "--reason", "setting")
        assert result.exit_code == 0, result.output
        assert tsa.requests == 1
    checked = run(project, "validate")  # the roots come from warcite.toml
    assert checked.exit_code == 0, checked.output
    assert "verified against a trusted TSA root" in checked.output


def test_archive_and_batch_timestamp_every_new_seal(tmp_path: Path, pki: TestPki) -> None:
    """With [proofs] tsa_url, each record that archive writes (one source, or a batch of
    several) is sealed with a timestamp in the same commit."""
    project = tmp_path / "project"
    (project / "archive").mkdir(parents=True)
    (project / "records").mkdir()
    root = write_root(project, pki)
    sources = []
    for number in (1, 2, 3):
        source = tmp_path / f"transcript-{number}.txt"
        text = (TEST_DATA / "transcript_news.txt").read_text(encoding="utf-8")
        source.write_text(text.replace("harbor", f"harbor {number}", 1), encoding="utf-8")
        sources.append(source)
    with TsaServer(pki) as tsa:
        (project / "warcite.toml").write_text(
            f'[proofs]\ntsa_url = "{tsa.url}"\ntsa_roots = ["{root.as_posix()}"]\n',
            encoding="utf-8",
        )
        one = run(project, "archive", str(sources[0]), "--url", URL, "--id", "single")
        assert one.exit_code == 0, one.output
        listing = tmp_path / "sources.txt"
        listing.write_text(
            f"{sources[1]} {URL}?batch=1\n{sources[2]} {URL}?batch=2\n", encoding="utf-8"
        )
        batch = run(project, "archive", "--from", str(listing))
        assert batch.exit_code == 0, batch.output
        assert tsa.requests == 3
    seals = sorted((project / "records").glob("*.sha512"))
    assert len(seals) == 3
    assert all(seal.with_name(seal.name + ".tsr").is_file() for seal in seals)
    checked = run(project, "validate")
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("verified against a trusted TSA root") == 3


def test_validate_record_leaves_a_signed_seal_alone(project: Path, keys: dict[str, Path]) -> None:
    """``validate --record`` renews the seal's JSON line: on a signed seal that would
    invalidate the signature, so the event is not recorded and the seal is kept."""
    assert (
        run(project, "seal", SLUG, "--reason", "s", "--sign", str(keys["archivist"])).exit_code == 0
    )
    before = (project / RECORD).read_bytes()
    result = run(project, "validate", "--record")
    assert result.exit_code == 0, result.output
    assert "its seal is signed or timestamped" in result.output
    assert (project / RECORD).read_bytes() == before
    assert (
        run(project, "validate", "--trust", str(keys["archivist"].with_suffix(".pub"))).exit_code
        == 0
    )


def test_an_encrypted_openssh_key_signs_with_its_passphrase(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not shutil.which("ssh-keygen"):
        pytest.skip("ssh-keygen is not installed")
    key = tmp_path / "encrypted"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "correct horse", "-f", str(key)], check=True
    )
    monkeypatch.delenv("WARCITE_KEY_PASSPHRASE", raising=False)
    asked = run(project, "seal", SLUG, "--reason", "s", "--sign", str(key))
    assert asked.exit_code == 2 and "WARCITE_KEY_PASSPHRASE" in asked.output
    monkeypatch.setenv("WARCITE_KEY_PASSPHRASE", "wrong")
    assert run(project, "seal", SLUG, "--reason", "s", "--sign", str(key)).exit_code == 2
    monkeypatch.setenv("WARCITE_KEY_PASSPHRASE", "correct horse")
    signed = run(project, "seal", SLUG, "--reason", "s", "--sign", str(key))
    assert signed.exit_code == 0, signed.output
    assert run(project, "validate", "--trust", f"{key}.pub").exit_code == 0

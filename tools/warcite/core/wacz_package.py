"""Reading and verifying WACZ packages (WACZ 1.1.1 and the WACZ Signing and Verification
specification 0.1.0), any tool's: what ``warcite check`` and ``warcite import`` use.

A WACZ is a zip whose ``datapackage.json`` lists every file with its hash and size, and
whose ``datapackage-digest.json`` holds the hash of ``datapackage.json``, and optionally
``signedData``: the signature of that hash.  :func:`verify_wacz` checks

- that each listed file's bytes have the listed size and hash (read in pieces; a file
  listed but missing, or in the zip under ``archive/`` but not listed, is a problem);
- that ``datapackage-digest.json`` holds the hash of ``datapackage.json``;
- an *anonymous* signature: ``signature`` is the ECDSA signature (SHA-256; the IEEE P1363
  ``r || s`` form WebCrypto writes, or DER) of the UTF-8 text of ``hash`` by the key
  ``publicKey`` (base64 of its DER SubjectPublicKeyInfo), and ``hash`` is the package's,
  and ``created`` is the datapackage's (as py-wacz asks);
- a *domain* signature (``domain``, ``domainCert``, ``timeSignature``...) is reported as
  present but not verified (that needs trusted roots for web PKI and the TSA, which
  warcite does not keep): a warning, never a pass.

An anonymous signature shows that whoever holds the private key signed this package; who
that is must be learnt elsewhere (the key's fingerprint is reported to compare).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from warcite.core.errors import CaptureError

DATAPACKAGE = "datapackage.json"
DIGEST = "datapackage-digest.json"
MAX_JSON_BYTES = 32 * 1024 * 1024
PIECE = 1 << 20
SIGNING_SPEC_VERSION = "0.1.0"
ANONYMOUS_FIELDS = frozenset({"hash", "created", "software", "version", "signature", "publicKey"})
DOMAIN_FIELDS = frozenset(
    {"domain", "domainCert", "timeSignature", "timestampCert", "crossSignedCert"}
)


@dataclass
class WaczVerification:
    """What :func:`verify_wacz` found: problems (errors), warnings, and what verified."""

    file: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warcs: list[str] = field(default_factory=list)
    signature: str = "unsigned"
    """"unsigned", "verified", "invalid" or "not verified" (a domain signature)."""
    key_fingerprint: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line for a record's provenance: what was checked and the signature's state."""
        digests = "digests of datapackage.json and every listed file verified"
        if self.problems:
            digests = f"{len(self.problems)} problems: {'; '.join(self.problems[:3])}"
        if self.signature == "verified":
            signed = f"anonymous signature by ECDSA key {self.key_fingerprint} verified"
        elif self.signature == "unsigned":
            signed = "not signed"
        elif self.signature == "not verified":
            signed = "domain signature present, not verified by warcite"
        else:
            signed = "signature does NOT verify"
        return f"WACZ {self.file}: {digests}; {signed}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "signature": self.signature,
            "key_fingerprint": self.key_fingerprint,
            "problems": self.problems,
            "warnings": self.warnings,
            "notes": self.notes,
            "warcs": self.warcs,
        }


def key_fingerprint(public_key: Any) -> str:
    """``SHA256:<base64>`` of a public key's DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")


def signed_message(hash_text: str) -> bytes:
    """What an anonymous WACZ signature signs: the UTF-8 text of the ``hash`` field."""
    return hash_text.encode("utf-8")


def _read_json(package: zipfile.ZipFile, name: str) -> Any:
    info = package.getinfo(name)
    if info.file_size > MAX_JSON_BYTES:
        raise ValueError(f"{name} is {info.file_size} bytes, more than a WACZ's metadata holds")
    with package.open(info) as handle:
        data = handle.read(MAX_JSON_BYTES + 1)
    return data, json.loads(data.decode("utf-8"))


def _hash_member(package: zipfile.ZipFile, name: str, algorithm: str) -> tuple[int, str]:
    hasher = hashlib.new(algorithm)
    size = 0
    with package.open(name) as handle:
        while piece := handle.read(PIECE):
            size += len(piece)
            hasher.update(piece)
    return size, hasher.hexdigest()


def _split_hash(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str) or ":" not in value:
        return None
    algorithm, _, digest = value.partition(":")
    if algorithm not in ("sha256", "md5", "sha1", "sha512"):
        return None
    return algorithm, digest.lower()


def _verify_anonymous(signed: dict[str, Any], result: WaczVerification) -> None:
    try:
        key = serialization.load_der_public_key(base64.b64decode(signed["publicKey"]))
    except (ValueError, TypeError, binascii.Error, UnsupportedAlgorithm) as error:
        result.signature = "invalid"
        result.problems.append(f"{DIGEST}: signedData.publicKey is not a DER public key ({error})")
        return
    if not isinstance(key, ec.EllipticCurvePublicKey):
        result.signature = "invalid"
        result.problems.append(
            f"{DIGEST}: signedData.publicKey is not an ECDSA key, as the WACZ signing "
            "specification asks"
        )
        return
    result.key_fingerprint = key_fingerprint(key)
    try:
        raw = base64.b64decode(str(signed.get("signature", "")), validate=True)
    except binascii.Error:
        raw = b""
    size = (key.curve.key_size + 7) // 8
    if len(raw) == 2 * size:  # IEEE P1363 r || s, as WebCrypto writes it
        der = encode_dss_signature(
            int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big")
        )
    else:
        der = raw
    try:
        key.verify(der, signed_message(str(signed["hash"])), ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        result.signature = "invalid"
        result.problems.append(
            f"{DIGEST}: the anonymous signature does not verify with its publicKey "
            f"({result.key_fingerprint}): the package or its digest was altered after signing"
        )
        return
    result.signature = "verified"
    result.notes.append(
        f"anonymous signature verified: ECDSA key {result.key_fingerprint} signed the hash "
        "of datapackage.json"
    )


def verify_wacz(path: Path, shown: str | None = None) -> WaczVerification:
    """Every problem of the WACZ at ``path``: listed files, digests and signature."""
    result = WaczVerification(shown or str(path))
    try:
        package = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        result.problems.append(f"not a readable zip file ({error})")
        return result
    with package:
        names = set(package.namelist())
        if DATAPACKAGE not in names:
            result.problems.append(f"no {DATAPACKAGE}: not a WACZ")
            return result
        try:
            datapackage_bytes, datapackage = _read_json(package, DATAPACKAGE)
        except (ValueError, UnicodeDecodeError) as error:
            result.problems.append(f"{DATAPACKAGE} cannot be read as JSON ({error})")
            return result
        resources = datapackage.get("resources") if isinstance(datapackage, dict) else None
        if not isinstance(resources, list):
            result.problems.append(f"{DATAPACKAGE} has no resources list")
            resources = []
        listed: set[str] = set()
        for number, resource in enumerate(resources):
            where = f"{DATAPACKAGE} resources[{number}]"
            if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
                result.problems.append(f"{where} has no path")
                continue
            name = resource["path"]
            listed.add(name)
            expected = _split_hash(resource.get("hash"))
            if name not in names:
                result.problems.append(f"{where}: {name} is listed but not in the package")
                continue
            if expected is None:
                result.problems.append(f"{where}: {name} has no hash such as sha256:<hex>")
                continue
            try:
                size, digest = _hash_member(package, name, expected[0])
            except (OSError, zipfile.BadZipFile, EOFError) as error:
                result.problems.append(f"{name} cannot be read from the zip ({error})")
                continue
            if digest != expected[1]:
                result.problems.append(
                    f"{name}: {expected[0]} {digest[:16]}..., {DATAPACKAGE} says "
                    f"{expected[1][:16]}...: the file changed after the package was made"
                )
            if isinstance(resource.get("bytes"), int) and resource["bytes"] != size:
                result.problems.append(
                    f"{name}: {size} bytes, {DATAPACKAGE} says {resource['bytes']}"
                )
            if name.startswith("archive/") and name.endswith((".warc", ".warc.gz")):
                result.warcs.append(name)
        for name in sorted(names - listed - {DATAPACKAGE, DIGEST}):
            if name.startswith("archive/") and not name.endswith("/"):
                result.problems.append(f"{name} is in the package but not in {DATAPACKAGE}")
        if DIGEST not in names:
            result.warnings.append(f"no {DIGEST}: the package's metadata is not protected")
            return result
        try:
            _, digest_document = _read_json(package, DIGEST)
        except (ValueError, UnicodeDecodeError) as error:
            result.problems.append(f"{DIGEST} cannot be read as JSON ({error})")
            return result
        if not isinstance(digest_document, dict):
            result.problems.append(f"{DIGEST} is not a JSON object")
            return result
        expected = _split_hash(digest_document.get("hash"))
        actual = None
        if expected is None:
            result.problems.append(f"{DIGEST} has no hash of {DATAPACKAGE}")
        else:
            actual = f"{expected[0]}:{hashlib.new(expected[0], datapackage_bytes).hexdigest()}"
            if actual != f"{expected[0]}:{expected[1]}":
                result.problems.append(
                    f"{DIGEST}: the hash of {DATAPACKAGE} is {actual[:24]}..., not the "
                    f"{str(digest_document.get('hash'))[:24]}... it holds"
                )
        signed = digest_document.get("signedData")
        if signed is None:
            return result
        if not isinstance(signed, dict):
            result.signature = "invalid"
            result.problems.append(f"{DIGEST}: signedData is not an object")
            return result
        if signed.get("hash") != digest_document.get("hash"):
            result.problems.append(
                f"{DIGEST}: signedData.hash is not the hash of {DATAPACKAGE} it signs"
            )
        if (
            isinstance(datapackage, dict)
            and "created" in signed
            and signed.get("created") != datapackage.get("created")
        ):
            result.problems.append(
                f"{DIGEST}: signedData.created {signed.get('created')!r} is not the "
                f"datapackage's created {datapackage.get('created')!r}"
            )
        if "publicKey" in signed:
            _verify_anonymous(signed, result)
        elif DOMAIN_FIELDS & set(signed):
            result.signature = "not verified"
            result.warnings.append(
                f"{DIGEST}: signed by the domain {signed.get('domain')!r} (domain certificate "
                "and RFC 3161 timestamp); warcite does not verify domain signatures: use "
                "py-wacz's `wacz validate --verify-auth`"
            )
        else:
            result.signature = "invalid"
            result.problems.append(
                f"{DIGEST}: signedData is neither an anonymous nor a domain signature"
            )
    return result


def iter_warcs(path: Path, names: list[str]) -> Iterator[tuple[str, Any]]:
    """(name, readable binary file) of each named member of the WACZ, in order."""
    try:
        package = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise CaptureError(f"{path}: not a readable WACZ ({error})") from None
    with package:
        for name in names:
            with package.open(name) as handle:
                yield name, handle


__all__ = [
    "DATAPACKAGE",
    "DIGEST",
    "SIGNING_SPEC_VERSION",
    "WaczVerification",
    "iter_warcs",
    "key_fingerprint",
    "signed_message",
    "verify_wacz",
]

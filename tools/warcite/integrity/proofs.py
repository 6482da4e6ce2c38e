"""Proofs a third party can check, kept beside a record's seal.

Beside ``records/<id>.sha512`` (:mod:`warcite.seal`) a record may have:

- ``records/<id>.sha512.sig``  an Ed25519 signature of the seal file by a key the archivist
                               holds (:mod:`warcite.integrity.signing`; ``warcite seal --sign KEY``);
- ``records/<id>.sha512.tsr``  an RFC 3161 timestamp of the seal file's SHA-512 by a
                               Time-Stamping Authority (:mod:`warcite.integrity.timestamps`;
                               ``warcite seal --tsa URL`` or ``[proofs] tsa_url``).

They are written in the same all-or-nothing commit as the seal.  A re-seal without them
leaves the old ones in place, where they no longer match the new seal: ``validate`` says
so (an error), as it must, since that is exactly what a forger's re-seal looks like.

:func:`check_proofs` verifies both for ``validate``: a signature that does not verify, a
token for another digest or whose signature or certificate does not verify are errors;
with trusted keys (``validate --trust PUBKEY``) a missing signature or one by another key
is an error too.  What was verified (the signer, the token's time) is returned as notes.

The project setting, in ``warcite.toml``::

    [proofs]
    tsa_url = "https://tsa.example.org/"   # timestamp every new seal (archive, batch, seal)
    tsa_roots = ["keys/tsa-root.pem"]      # trusted TSA roots (paths from the project root)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from warcite.core.config import CONFIG_FILE_NAME
from warcite.core.errors import RecordError, UsageError
from warcite.core.project import read_regular_file
from warcite.integrity.signing import (
    MAX_SIGNATURE_BYTES,
    PublicKey,
    SignatureError,
    load_public_key,
    public_key,
    sign,
    signature_relative_path,
    signer_agent_id,
    verify,
)
from warcite.integrity.timestamps import (
    MAX_TOKEN_BYTES,
    TimestampError,
    load_certificates,
    request_token,
    token_relative_path,
    verify_token,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

PROOFS_TABLE = "proofs"
_PROOF_KEYS = frozenset({"tsa_url", "tsa_roots"})


@dataclass(frozen=True)
class ProofSettings:
    """The ``[proofs]`` table of ``warcite.toml``."""

    tsa_url: str | None = None
    tsa_roots: tuple[x509.Certificate, ...] = ()


def load_proof_settings(project_root: Path) -> ProofSettings:
    """The project's ``[proofs]`` settings (none when the file or table is absent)."""
    path = project_root / CONFIG_FILE_NAME
    if not path.exists():
        return ProofSettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read the configuration ({error})") from None
    table = data.get(PROOFS_TABLE)
    if table is None:
        return ProofSettings()
    if not isinstance(table, dict):
        raise UsageError(f"{path}: 'proofs' must be a table ([proofs])")
    unknown = sorted(set(table) - _PROOF_KEYS)
    if unknown:
        raise UsageError(
            f"{path}: unknown key {', '.join('proofs.' + key for key in unknown)}; the "
            "[proofs] table holds 'tsa_url' and 'tsa_roots'"
        )
    url = table.get("tsa_url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise UsageError(f"{path}: proofs.tsa_url must be an http(s) URL, not {url!r}")
    roots_value = table.get("tsa_roots", [])
    if not isinstance(roots_value, list) or not all(isinstance(v, str) for v in roots_value):
        raise UsageError(f"{path}: proofs.tsa_roots must be a list of certificate file paths")
    roots: list[x509.Certificate] = []
    for relative in roots_value:
        roots.extend(load_certificates(project_root / relative))
    return ProofSettings(tsa_url=url, tsa_roots=tuple(roots))


# --------------------------------------------------------------------------- making


@dataclass(frozen=True)
class SealProofs:
    """What to put beside a new seal: a signature by ``signing_key`` (its holder named
    ``signer``) and/or a timestamp from the TSA at ``tsa_url`` (checked against
    ``tsa_roots`` when given, before it is kept)."""

    tsa_url: str | None = None
    signing_key: Ed25519PrivateKey | None = None
    signer: str | None = None
    tsa_roots: tuple[x509.Certificate, ...] = ()

    def __bool__(self) -> bool:
        return self.tsa_url is not None or self.signing_key is not None

    @property
    def public_key(self) -> PublicKey | None:
        return public_key(self.signing_key) if self.signing_key is not None else None

    def signer_agent(self) -> dict[str, Any] | None:
        """The key's holder as a PREMIS agent (its id carries the key's fingerprint)."""
        key = self.public_key
        if key is None:
            return None
        name = " ".join((self.signer or "").split()) or f"holder of Ed25519 key {key.fingerprint}"
        return {"id": signer_agent_id(key), "type": "person", "name": name}

    def describe(self) -> str:
        """What the proofs are, for the PREMIS event's detail."""
        parts = []
        key = self.public_key
        if key is not None:
            who = f" held by {' '.join(self.signer.split())}" if self.signer else ""
            parts.append(f"seal signed with Ed25519 key {key.fingerprint}{who}")
        if self.tsa_url:
            parts.append(f"seal timestamped (RFC 3161) by {self.tsa_url}")
        return "; ".join(parts)

    def files(self, seal_path: str, seal: bytes) -> list[tuple[str, bytes]]:
        """The proof files for the seal ``seal`` at ``seal_path`` (project-relative)."""
        written: list[tuple[str, bytes]] = []
        if self.signing_key is not None:
            written.append((signature_relative_path(seal_path), sign(seal, self.signing_key)))
        if self.tsa_url:
            token = request_token(seal, self.tsa_url)
            if self.tsa_roots:
                verify_token(token, seal, self.tsa_roots)
            written.append((token_relative_path(seal_path), token))
        return written


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class ProofPolicy:
    """What ``validate`` trusts: Ed25519 public keys (a signature by one of them is asked
    of every record when any is given) and TSA root certificates."""

    trusted_keys: tuple[PublicKey, ...] = ()
    tsa_roots: tuple[x509.Certificate, ...] = ()


@dataclass
class ProofFindings:
    """Problems (kind, severity, message) and notes (what was verified) of one record."""

    problems: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_optional(path: Path, project_root: Path, what: str, limit: int) -> bytes | None:
    if not path.exists() and not path.is_symlink():
        return None
    return read_regular_file(path, project_root, what, limit)


def _named_signers(record: Mapping[str, Any]) -> dict[str, str]:
    agents = record.get("agents")
    names: dict[str, str] = {}
    for agent in agents if isinstance(agents, list) else []:
        if isinstance(agent, dict) and isinstance(agent.get("id"), str):
            names[agent["id"]] = str(agent.get("name", ""))
    return names


def check_proofs(
    record: Mapping[str, Any],
    seal_path: str,
    seal: bytes,
    project_root: Path,
    policy: ProofPolicy | None = None,
) -> ProofFindings:
    """Verify the signature and timestamp kept beside the seal ``seal`` (the seal file's
    bytes, at the project-relative ``seal_path``)."""
    policy = policy or ProofPolicy()
    findings = ProofFindings()
    signature_path = signature_relative_path(seal_path)
    token_path = token_relative_path(seal_path)
    try:
        signature = _read_optional(
            project_root / signature_path, project_root, "the signature", MAX_SIGNATURE_BYTES
        )
    except RecordError as error:
        findings.problems.append(("signature", "error", str(error)))
        signature = None
    else:
        if signature is None and policy.trusted_keys:
            findings.problems.append(
                (
                    "signature",
                    "error",
                    f"the seal is not signed ({signature_path} is missing), and --trust asks "
                    "for a signature by a trusted key; sign it with `warcite seal ID --sign "
                    'KEY --reason "..."`',
                )
            )
    if signature is not None:
        try:
            info = verify(seal, signature)
        except SignatureError as error:
            findings.problems.append(
                (
                    "signature",
                    "error",
                    f"{signature_path}: {error}; the seal was re-sealed or edited without the "
                    "signing key: if the change is deliberate, sign it again with `warcite seal "
                    'ID --sign KEY --reason "..."`',
                )
            )
        else:
            key = info.public_key
            name = _named_signers(record).get(signer_agent_id(key))
            who = f" ({name})" if name else ""
            if name is None:
                findings.problems.append(
                    (
                        "signature",
                        "warning",
                        f"{signature_path}: signed with key {key.fingerprint}, which the "
                        "record does not name among its agents",
                    )
                )
            if policy.trusted_keys:
                if any(key.blob == trusted.blob for trusted in policy.trusted_keys):
                    findings.notes.append(f"signed by a trusted key {key.fingerprint}{who}")
                else:
                    findings.problems.append(
                        (
                            "signature",
                            "error",
                            f"{signature_path}: signed with key {key.fingerprint}{who}, which "
                            "is not one of the keys given with --trust",
                        )
                    )
            else:
                findings.notes.append(
                    f"signed with key {key.fingerprint}{who} (no --trust given: who holds "
                    "it is not checked)"
                )
    try:
        token = _read_optional(
            project_root / token_path, project_root, "the timestamp token", MAX_TOKEN_BYTES
        )
    except RecordError as error:
        findings.problems.append(("timestamp", "error", str(error)))
        token = None
    if token is not None:
        try:
            stamp = verify_token(token, seal, policy.tsa_roots)
        except TimestampError as error:
            findings.problems.append(("timestamp", "error", f"{token_path}: {error}"))
        else:
            if stamp.trusted:
                findings.notes.append(
                    f"timestamped {stamp.time_text} by {stamp.tsa} (RFC 3161, verified "
                    "against a trusted TSA root)"
                )
            else:
                findings.problems.append(
                    (
                        "timestamp",
                        "warning",
                        f"{token_path}: the token is for this seal ({stamp.time_text}, "
                        f"{stamp.tsa}), but no trusted TSA root was given (validate "
                        "--tsa-root PEM, or tsa_roots in [proofs] of warcite.toml), so its "
                        "signature was not checked",
                    )
                )
    return findings


def proof_relative_paths(seal_path: str) -> list[str]:
    """The proof files a seal may have beside it."""
    return [signature_relative_path(seal_path), token_relative_path(seal_path)]


def trusted_keys(paths: Sequence[Path]) -> tuple[PublicKey, ...]:
    return tuple(load_public_key(path) for path in paths)


__all__ = [
    "ProofFindings",
    "ProofPolicy",
    "ProofSettings",
    "SealProofs",
    "check_proofs",
    "load_proof_settings",
    "proof_relative_paths",
    "trusted_keys",
]

"""Signing a WACZ as the WACZ Signing and Verification specification (0.1.0) describes for
an anonymous signature, which is what ArchiveWeb.page writes and py-wacz accepts.

``datapackage-digest.json`` then reads::

    {"path": "datapackage.json", "hash": "sha256:<hex of datapackage.json>",
     "signedData": {"hash": "sha256:<the same>", "created": "<datapackage's created>",
                    "software": "warcite <version>", "version": "0.1.0",
                    "signature": "<base64 ECDSA signature>",
                    "publicKey": "<base64 DER SubjectPublicKeyInfo>"}}

The key is an ECDSA key, as the specification names (``warcite keygen --type ecdsa-p384
KEY`` makes a P-384 key, the curve ArchiveWeb.page uses; a P-256 key works too); the
signature is over the UTF-8 text of ``hash`` with SHA-256, written in the IEEE P1363
``r || s`` form WebCrypto writes and reads.  Verification: :mod:`warcite.core.wacz_package`.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from warcite.core.errors import UsageError
from warcite.core.version import __version__
from warcite.core.wacz_package import SIGNING_SPEC_VERSION, key_fingerprint, signed_message
from warcite.integrity.signing import load_any_private_key


def load_wacz_key(path: Path) -> ec.EllipticCurvePrivateKey:
    """The ECDSA private key in ``path``; UsageError for any other kind of key."""
    key = load_any_private_key(path)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise UsageError(
            f"{path}: the WACZ signing specification signs with an ECDSA key, not "
            f"{type(key).__name__.removeprefix('_')}; make one with `warcite keygen --type "
            "ecdsa-p384 PATH`"
        )
    return key


def signed_data(hash_text: str, created: str, key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    """The ``signedData`` object of an anonymous signature of ``hash_text``."""
    der = key.sign(signed_message(hash_text), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    size = (key.curve.key_size + 7) // 8
    raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "hash": hash_text,
        "created": created,
        "software": f"warcite {__version__}",
        "version": SIGNING_SPEC_VERSION,
        "signature": base64.b64encode(raw).decode("ascii"),
        "publicKey": base64.b64encode(public).decode("ascii"),
    }


def fingerprint(key: ec.EllipticCurvePrivateKey) -> str:
    return key_fingerprint(key.public_key())


__all__ = ["fingerprint", "load_wacz_key", "signed_data"]

"""A throwaway certificate authority, made in memory for one browser capture.

The recording proxy (:mod:`warcite.capture.proxy`) ends the browser's TLS connections
itself, so it must show the browser a certificate for each host.  It signs them with this
authority, whose key never leaves the process and dies with it.  Nothing is installed in
any trust store: the browser is told to accept exactly one public key, the one every host
certificate carries (``--ignore-certificate-errors-spki-list=<base64 SHA-256 of its
SubjectPublicKeyInfo>``), so no other program, and no other browser profile, trusts it.

Needs the ``cryptography`` package (the ``browser`` extra).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import ipaddress
import os
import shutil
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

from warcite.core.errors import CaptureError

VALIDITY = datetime.timedelta(days=2)
"""How long the authority's certificates are valid (from a day ago): a capture is minutes."""


def _cryptography() -> Any:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError as error:
        raise CaptureError(
            "browser capture needs the 'cryptography' package (for its throwaway TLS "
            "authority): pip install 'warcite[browser]'; nothing was archived"
        ) from error
    return x509, hashes, serialization, ec, NameOID


class CertificateAuthority:
    """An in-memory CA and one host key; :meth:`server_context` makes a host's TLS context.

    The host certificates share one key, so the browser needs one SPKI hash
    (:attr:`spki_sha256`).  The PEM files the ``ssl`` module needs are written to a private
    temporary folder (mode 0700) and deleted by :meth:`close`.
    """

    def __init__(self) -> None:
        x509, hashes, serialization, ec, name_oid = _cryptography()
        self._x509, self._hashes, self._ec, self._name_oid = x509, hashes, ec, name_oid
        self._serialization = serialization
        now = datetime.datetime.now(datetime.timezone.utc)
        self._not_before = now - datetime.timedelta(days=1)
        self._not_after = now + VALIDITY
        self._ca_key = ec.generate_private_key(ec.SECP256R1())
        self._host_key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(name_oid.COMMON_NAME, "warcite throwaway capture CA"),
                x509.NameAttribute(name_oid.ORGANIZATION_NAME, "warcite"),
            ]
        )
        self._ca_name = name
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self._not_before)
            .not_valid_after(self._not_after)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            # RFC 5280 4.2.1.2: a CA certificate carries its key identifier (Python 3.13's
            # default TLS context sets VERIFY_X509_STRICT, which checks it)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self._ca_key.public_key()),
                critical=False,
            )
            .sign(self._ca_key, hashes.SHA256())
        )
        spki = self._host_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.spki_sha256 = base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")
        """Base64 SHA-256 of the host key's SubjectPublicKeyInfo (Chromium's SPKI list)."""
        self._folder = Path(tempfile.mkdtemp(prefix="warcite-ca-"))
        os.chmod(self._folder, 0o700)
        key_path = self._folder / "host.key"
        key_path.write_bytes(
            self._host_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self._key_path = key_path
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def certificate_pem(self) -> bytes:
        """The authority's own certificate, PEM (to trust it elsewhere, in tests)."""
        return bytes(self.certificate.public_bytes(self._serialization.Encoding.PEM))

    def _host_certificate(self, host: str) -> bytes:
        x509, name_oid = self._x509, self._name_oid
        try:
            alternative: Any = x509.IPAddress(ipaddress.ip_address(host.strip("[]")))
        except ValueError:
            alternative = x509.DNSName(host)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(name_oid.COMMON_NAME, host[:64])]))
            .issuer_name(self._ca_name)
            .public_key(self._host_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self._not_before)
            .not_valid_after(self._not_after)
            .add_extension(x509.SubjectAlternativeName([alternative]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            # RFC 5280 4.2.1.1: the issuer's key identifier (required by VERIFY_X509_STRICT,
            # on in Python 3.13's default context, else "Missing Authority Key Identifier")
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._ca_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self._host_key.public_key()),
                critical=False,
            )
            .sign(self._ca_key, self._hashes.SHA256())
        )
        encoding = self._serialization.Encoding.PEM
        return bytes(certificate.public_bytes(encoding) + self.certificate.public_bytes(encoding))

    def server_context(self, host: str) -> ssl.SSLContext:
        """A server-side TLS context presenting a certificate for ``host`` (made once)."""
        host = host.lower()
        with self._lock:
            context = self._contexts.get(host)
            if context is not None:
                return context
            chain = self._folder / f"host-{len(self._contexts)}.pem"
            chain.write_bytes(self._host_certificate(host))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(chain, self._key_path)
            context.set_alpn_protocols(["http/1.1"])  # the proxy speaks HTTP/1.1 only
            chain.unlink()
            self._contexts[host] = context
            return context

    def close(self) -> None:
        """Delete the key file and its folder."""
        with contextlib.suppress(OSError):
            shutil.rmtree(self._folder)


__all__ = ["CertificateAuthority"]

"""A Time-Stamping Authority on 127.0.0.1 for the tests, with its own test CA.

The certificates are made with ``cryptography``; each RFC 3161 answer (TimeStampResp, a
CMS SignedData over a TSTInfo) is built with ``asn1crypto``'s structures and signed with
``cryptography``: no DER is written by hand.  The TSA signs with an ECDSA P-256 key.

    pki = TestPki.make()                      # a root CA and a TSA certificate it issued
    with TsaServer(pki) as tsa:
        url = tsa.url                         # POST application/timestamp-query here
        tsa.requests                          # how many requests it answered
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from types import TracebackType

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(
    common_name: str = "warcite test root CA",
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def make_tsa_certificate(
    ca_key: ec.EllipticCurvePrivateKey,
    ca_certificate: x509.Certificate,
    *,
    not_before: datetime,
    not_after: datetime,
    common_name: str = "warcite test TSA",
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


@dataclass(frozen=True)
class TestPki:
    """A root CA and a TSA certificate it issued (valid now unless made otherwise)."""

    __test__ = False  # not a test class, whatever its name

    ca_key: ec.EllipticCurvePrivateKey
    ca_certificate: x509.Certificate
    tsa_key: ec.EllipticCurvePrivateKey
    tsa_certificate: x509.Certificate

    @classmethod
    def make(cls, *, expired: bool = False) -> TestPki:
        ca_key, ca_certificate = make_ca()
        now = datetime.now(timezone.utc)
        if expired:
            not_before, not_after = now - timedelta(days=20), now - timedelta(days=10)
        else:
            not_before, not_after = now - timedelta(days=1), now + timedelta(days=365)
        tsa_key, tsa_certificate = make_tsa_certificate(
            ca_key, ca_certificate, not_before=not_before, not_after=not_after
        )
        return cls(ca_key, ca_certificate, tsa_key, tsa_certificate)

    def with_expired_tsa(self) -> TestPki:
        now = datetime.now(timezone.utc)
        tsa_key, tsa_certificate = make_tsa_certificate(
            self.ca_key,
            self.ca_certificate,
            not_before=now - timedelta(days=20),
            not_after=now - timedelta(days=10),
        )
        return replace(self, tsa_key=tsa_key, tsa_certificate=tsa_certificate)

    def root_pem(self) -> bytes:
        return self.ca_certificate.public_bytes(serialization.Encoding.PEM)


def _sorted_attributes(attributes: list[cms.CMSAttribute]) -> cms.CMSAttributes:
    """DER orders a SET OF by the encodings of its members."""
    return cms.CMSAttributes(sorted(attributes, key=lambda attribute: attribute.dump()))


def timestamp_response(
    request_der: bytes, pki: TestPki, *, serial: int, when: datetime | None = None
) -> bytes:
    """A granted TimeStampResp for ``request_der``, signed by the TSA of ``pki``."""
    request = tsp.TimeStampReq.load(request_der)
    when = (when or datetime.now(timezone.utc)).replace(microsecond=0)
    info_fields: dict[str, object] = {
        "version": "v1",
        "policy": "1.3.6.1.4.1.55555.1.1",
        "message_imprint": request["message_imprint"],
        "serial_number": serial,
        "gen_time": when,
    }
    if request["nonce"].native is not None:
        info_fields["nonce"] = request["nonce"].native
    info = tsp.TSTInfo(info_fields)
    info_der = info.dump()
    tsa_der = pki.tsa_certificate.public_bytes(serialization.Encoding.DER)
    tsa_asn1 = asn1_x509.Certificate.load(tsa_der)
    signing_certificate = tsp.SigningCertificateV2(
        {
            "certs": [
                tsp.ESSCertIDv2(
                    {
                        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                        "cert_hash": hashlib.sha256(tsa_der).digest(),
                    }
                )
            ]
        }
    )
    attributes = _sorted_attributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute(
                {"type": "message_digest", "values": [hashlib.sha256(info_der).digest()]}
            ),
            cms.CMSAttribute({"type": "signing_certificate_v2", "values": [signing_certificate]}),
        ]
    )
    signature = pki.tsa_key.sign(attributes.dump(), ec.ECDSA(hashes.SHA256()))
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": tsa_asn1.issuer, "serial_number": tsa_asn1.serial_number}
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": attributes,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signature": signature,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": cms.EncapsulatedContentInfo(
                {"content_type": "tst_info", "content": core.ParsableOctetString(info_der)}
            ),
            "certificates": [cms.CertificateChoices({"certificate": tsa_asn1})],
            "signer_infos": [signer],
        }
    )
    response = tsp.TimeStampResp(
        {
            "status": tsp.PKIStatusInfo({"status": "granted"}),
            "time_stamp_token": cms.ContentInfo({"content_type": "signed_data", "content": signed}),
        }
    )
    return response.dump()


def alter_signature(response_der: bytes) -> bytes:
    """The same TimeStampResp with one bit of the TSA's signature flipped."""
    response = tsp.TimeStampResp.load(response_der)
    signer = response["time_stamp_token"]["content"]["signer_infos"][0]
    value = bytearray(signer["signature"].native)
    value[len(value) // 2] ^= 0x01
    signer["signature"] = bytes(value)
    return response.dump(force=True)


@dataclass
class TsaServer:
    """An RFC 3161 HTTP TSA on 127.0.0.1 answering with ``pki``'s TSA certificate."""

    pki: TestPki
    requests: int = 0
    _server: http.server.ThreadingHTTPServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def __enter__(self) -> TsaServer:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(min(length, 65536))
                owner.requests += 1
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                answer = timestamp_response(body, owner.pki, serial=owner.requests)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

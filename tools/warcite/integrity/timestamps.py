"""RFC 3161 trusted timestamps on seals: ask a Time-Stamping Authority, verify offline.

``warcite seal --tsa URL`` (or ``[proofs] tsa_url`` in ``warcite.toml`` for every new
seal) sends the SHA-512 of the seal file ``records/<id>.sha512`` to a Time-Stamping
Authority (RFC 3161 over HTTP, RFC 3161 section 3.4: a POST of
``application/timestamp-query``) and keeps its answer, the DER TimeStampResp, beside the
seal as ``records/<id>.sha512.tsr``.  Anyone can check it with OpenSSL::

    openssl ts -verify -data records/<id>.sha512 -in records/<id>.sha512.tsr \\
        -CAfile tsa-root.pem

:func:`verify_token` checks a kept token offline: the answer was granted, the message
imprint is the SHA-512 of the seal as it is now, the token's CMS signature verifies with
the TSA certificate it names, that certificate chains to one of the trusted roots given
and was valid at the token's time (``genTime``), and it is a time-stamping certificate
(critical extended key usage id-kp-timeStamping).  The ASN.1 and CMS work is done by
``rfc3161-client`` (Trail of Bits; the X.509 chain by ``cryptography``): no DER is
assembled or parsed here.

A token proves that the seal, and so the files it seals, existed at the token's time, as
far as the TSA is trusted.  It says nothing of who made the seal (see
:mod:`warcite.integrity.signing`) or whether the archived page was what the server sent.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import rfc3161_client
from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from warcite.core.errors import ProofError, UsageError

TOKEN_SUFFIX = ".tsr"
QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
MAX_TOKEN_BYTES = 256 * 1024
MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024
DEFAULT_TIMEOUT = 30.0
_SHA512_OID = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.3")


class TimestampError(ProofError):
    """A Time-Stamping Authority that cannot be reached or answers wrongly, or a kept
    token that does not verify."""


@dataclass(frozen=True)
class TokenInfo:
    """What a token shows: its time and TSA; ``trusted`` when its signature was verified
    against a trusted root (False: only its message imprint was checked)."""

    time: datetime
    tsa: str
    serial_number: int
    trusted: bool = True

    @property
    def time_text(self) -> str:
        return self.time.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_relative_path(seal_path: str) -> str:
    """``records/<id>.sha512.tsr`` for ``records/<id>.sha512``."""
    return seal_path + TOKEN_SUFFIX


def _check_url(url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"the Time-Stamping Authority URL must be http(s), not {url!r}")


def request_token(data: bytes, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Ask the TSA at ``url`` to timestamp the SHA-512 of ``data``; the DER TimeStampResp.

    The answer is checked before it is returned: granted, for this digest and this
    request's nonce (its signature is checked by :func:`verify_token`).  At most
    MAX_TOKEN_BYTES are read; ``timeout`` bounds each network wait.
    """
    _check_url(url)
    request = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA512)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http_request = urllib.request.Request(
        url,
        data=request.as_bytes(),
        headers={"Content-Type": QUERY_TYPE, "Accept": REPLY_TYPE},
        method="POST",
    )
    try:
        with urllib.request.urlopen(http_request, timeout=timeout) as response:
            body = response.read(MAX_TOKEN_BYTES + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        raise TimestampError(
            f"the Time-Stamping Authority {url} answered HTTP {error.code} {error.reason}; "
            "check the URL, or try again later"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise TimestampError(
            f"cannot reach the Time-Stamping Authority {url} ({reason}); the seal was not written"
        ) from None
    if len(body) > MAX_TOKEN_BYTES:
        raise TimestampError(f"{url} sent more than {MAX_TOKEN_BYTES} bytes: not a timestamp")
    if content_type != REPLY_TYPE:
        raise TimestampError(
            f"{url} answered {content_type}, not {REPLY_TYPE}: is it a Time-Stamping Authority?"
        )
    try:
        response_object = decode_timestamp_response(body)
    except Exception as error:  # the Rust decoder raises ValueError and others
        raise TimestampError(
            f"{url} sent an answer that is not a TimeStampResp ({error})"
        ) from None
    if rfc3161_client.PKIStatus(response_object.status) not in (
        rfc3161_client.PKIStatus.GRANTED,
        rfc3161_client.PKIStatus.GRANTED_WITH_MODS,
    ):
        detail = "; ".join(response_object.status_string) or "no reason given"
        raise TimestampError(
            f"the Time-Stamping Authority {url} refused the request "
            f"(status {response_object.status}: {detail})"
        )
    imprint = response_object.tst_info.message_imprint
    if imprint.hash_algorithm != _SHA512_OID or imprint.message != hashlib.sha512(data).digest():
        raise TimestampError(f"{url} timestamped another digest than the one sent")
    if response_object.tst_info.nonce != request.nonce:
        raise TimestampError(f"{url} answered with another request's nonce")
    return body


def load_certificates(path: Path) -> list[x509.Certificate]:
    """The PEM (or DER) certificates in ``path``; UsageError when there are none."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CERTIFICATE_FILE_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{path}: cannot read the certificate file ({error.strerror})") from None
    if len(data) > MAX_CERTIFICATE_FILE_BYTES:
        raise UsageError(f"{path}: too large for a certificate file")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise UsageError(f"{path}: not an X.509 certificate in PEM or DER ({error})") from None


def verify_token(token: bytes, data: bytes, roots: Sequence[x509.Certificate]) -> TokenInfo:
    """Verify a kept TimeStampResp for ``data`` (the seal's bytes) against trusted
    ``roots``; TimestampError saying what does not hold.  Without roots only the message
    imprint is checked, and the result says ``trusted=False``."""
    if len(token) > MAX_TOKEN_BYTES:
        raise TimestampError("the timestamp token is too large to be one")
    try:
        response = decode_timestamp_response(token)
    except Exception as error:
        raise TimestampError(f"the timestamp token cannot be read ({error})") from None
    info = response.tst_info
    imprint = info.message_imprint
    if imprint.hash_algorithm != _SHA512_OID:
        raise TimestampError(
            f"the timestamp token's message imprint uses {imprint.hash_algorithm.dotted_string}, "
            "not SHA-512"
        )
    if imprint.message != hashlib.sha512(data).digest():
        raise TimestampError(
            "the timestamp token is for another digest than the seal's: the seal changed "
            "after it was timestamped, or the token belongs to another seal"
        )
    if not roots:
        return TokenInfo(info.gen_time, _tsa_name(response), info.serial_number, trusted=False)
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    carried: list[x509.Certificate] = []
    for der in response.signed_data.certificates:
        certificate = x509.load_der_x509_certificate(der)
        if certificate not in roots and certificate not in carried:
            carried.append(certificate)
            builder = builder.add_intermediate_certificate(certificate)
    try:
        builder.build().verify(response, hashlib.sha512(data).digest())
    except VerificationError as error:
        raise TimestampError(
            f"the timestamp token does not verify: {_reason(error)} (an altered token, a TSA "
            "certificate that was not valid at the token's time, or one no trusted root "
            "vouches for)"
        ) from None
    except ValueError as error:
        raise TimestampError(f"the timestamp token does not verify: {error}") from None
    tsa = _tsa_name(response)
    return TokenInfo(time=info.gen_time, tsa=tsa, serial_number=info.serial_number)


def _reason(error: Exception) -> str:
    """The OpenSSL reason inside a verification error, without its error stack."""
    text = str(error)
    detail = re.search(r'data: "(?:Verify error: ?)?([^"]+)"', text)
    reasons = re.findall(r'reason: "([^"]+)"', text)
    if detail and "verify" not in detail.group(1).lower():
        return detail.group(1)
    if detail and reasons and reasons[-1] == "certificate verify error":
        return f"certificate verify error: {detail.group(1)}"
    if reasons:
        return reasons[-1]
    return text[:200]


def _tsa_name(response: rfc3161_client.TimeStampResponse) -> str:
    signer = next(iter(response.signed_data.signer_infos), None)
    if signer is None:
        return "an unnamed TSA"
    for der in response.signed_data.certificates:
        certificate = x509.load_der_x509_certificate(der)
        if (
            certificate.serial_number == signer.serial_number
            and certificate.issuer == signer.issuer
        ):
            return certificate.subject.rfc4514_string()
    return signer.issuer.rfc4514_string()


__all__ = [
    "MAX_TOKEN_BYTES",
    "TOKEN_SUFFIX",
    "TimestampError",
    "TokenInfo",
    "load_certificates",
    "request_token",
    "token_relative_path",
    "verify_token",
]

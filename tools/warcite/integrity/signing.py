"""Ed25519 keys an archivist holds, and signatures on seals that anyone can check.

A seal (:mod:`warcite.seal`) shows that the files are the ones sealed, but anyone can edit
a record and seal it again.  A signature by a key only the archivist holds shows who
sealed it: ``warcite seal --sign KEY`` signs the seal file ``records/<id>.sha512`` and
writes the signature beside it as ``records/<id>.sha512.sig``, in OpenSSH's signature
format (SSHSIG, namespace ``warcite-seal``, SHA-512), so that it can be checked without
warcite::

    echo "archivist ssh-ed25519 AAAA..." > allowed_signers
    ssh-keygen -Y verify -f allowed_signers -I archivist -n warcite-seal \\
        -s records/<id>.sha512.sig < records/<id>.sha512

Keys: ``warcite keygen PATH`` writes a new Ed25519 private key (OpenSSH format, mode
0600) to PATH and its public key (``ssh-ed25519 AAAA... comment``) to ``PATH.pub``.  A
private key may also be an OpenSSH or PEM (PKCS#8) key made by ``ssh-keygen -t ed25519``
or ``openssl genpkey -algorithm ed25519``; an encrypted one is opened with the passphrase
in the environment variable ``WARCITE_KEY_PASSPHRASE``.  A public key (``--trust``) is an
OpenSSH public key line, a PEM public key, or a private key file (its public half).

A key is named by its fingerprint as OpenSSH prints it, ``SHA256:<base64>`` (the SHA-256
of the key's SSH encoding).  The cryptography is the ``cryptography`` package's; only the
SSHSIG envelope (length-prefixed strings, PROTOCOL.sshsig) is assembled here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from warcite.core.errors import ProofError, UsageError

SIGNATURE_SUFFIX = ".sig"
SEAL_NAMESPACE = "warcite-seal"
HASH_ALGORITHM = "sha512"
PASSPHRASE_VARIABLE = "WARCITE_KEY_PASSPHRASE"
MAX_KEY_BYTES = 64 * 1024
MAX_SIGNATURE_BYTES = 16 * 1024
_MAGIC = b"SSHSIG"
_ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_ARMOR_END = "-----END SSH SIGNATURE-----"
_KEY_TYPE = b"ssh-ed25519"


class SignatureError(ProofError):
    """A signature that cannot be read or does not verify."""


class KeyFileError(UsageError):
    """A key file that cannot be read, or is not a key of the kind asked for (exit 2)."""


@dataclass(frozen=True)
class PublicKey:
    """A public key (Ed25519 for seals; ECDSA for WACZ) and its OpenSSH fingerprint."""

    key: Any

    @property
    def blob(self) -> bytes:
        """The key's SSH wire encoding (string "ssh-ed25519", string key)."""
        line = self.key.public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        return base64.b64decode(line.split()[1])

    @property
    def fingerprint(self) -> str:
        """``SHA256:<base64, no padding>``, as ``ssh-keygen -l`` prints it."""
        digest = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    @property
    def fingerprint_hex(self) -> str:
        """The same SHA-256 in lowercase hex (for identifiers)."""
        return hashlib.sha256(self.blob).hexdigest()

    def openssh(self, comment: str = "") -> str:
        """The key as one ``ssh-ed25519 AAAA... comment`` line (no newline)."""
        line = self.key.public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        ).decode("ascii")
        return f"{line} {comment}".rstrip()


@dataclass(frozen=True)
class SignatureInfo:
    """What a verified signature shows: the key that made it."""

    public_key: PublicKey

    @property
    def fingerprint(self) -> str:
        return self.public_key.fingerprint


# --------------------------------------------------------------------------- keys


def _read_key_file(path: Path, what: str) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_BYTES + 1)
    except OSError as error:
        raise KeyFileError(
            f"{path}: cannot read the {what} ({error.strerror or error}); give the path of "
            "an Ed25519 key (make one with `warcite keygen PATH`)"
        ) from None
    if len(data) > MAX_KEY_BYTES:
        raise KeyFileError(f"{path}: more than {MAX_KEY_BYTES} bytes, not a key file")
    return data


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_VARIABLE)
    return value.encode("utf-8") if value else None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in ``path`` (OpenSSH or PEM); KeyFileError otherwise."""
    key = load_any_private_key(path)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            f"{path}: a {type(key).__name__.removeprefix('_')} key, not Ed25519; make an "
            "Ed25519 key with `warcite keygen PATH` or `ssh-keygen -t ed25519`"
        )
    return key


def load_any_private_key(path: Path) -> Any:
    """The private key in ``path`` (OpenSSH, PEM or DER), of any type; KeyFileError when
    it cannot be read (an encrypted key is opened with WARCITE_KEY_PASSPHRASE)."""
    data = _read_key_file(path, "private key")
    password = _passphrase()
    key: Any
    try:
        if b"BEGIN OPENSSH PRIVATE KEY" in data:
            key = serialization.load_ssh_private_key(data, password)
        elif b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password)
        else:
            key = serialization.load_der_private_key(data, password)
    except TypeError as error:
        message = str(error)
        if "encrypted" in message.lower() or "password" in message.lower():
            raise KeyFileError(
                f"{path}: the key is encrypted; put its passphrase in the environment "
                f"variable {PASSPHRASE_VARIABLE}"
            ) from None
        raise KeyFileError(f"{path}: not a private key file ({message})") from None
    except (ValueError, UnsupportedAlgorithm) as error:
        hint = " (is the passphrase right?)" if password else ""
        raise KeyFileError(
            f"{path}: not a private key in OpenSSH or PEM form{hint} ({error})"
        ) from None
    return key


def load_public_key(path: Path) -> PublicKey:
    """The Ed25519 public key in ``path``: an OpenSSH public key line, a PEM public key,
    or a private key (its public half)."""
    data = _read_key_file(path, "public key")
    stripped = data.strip()
    key: Any
    try:
        if stripped.startswith(b"ssh-"):
            key = serialization.load_ssh_public_key(b" ".join(stripped.split()[:2]))
        elif b"PUBLIC KEY-----" in stripped:
            key = serialization.load_pem_public_key(stripped)
        elif b"PRIVATE KEY-----" in stripped:
            return PublicKey(load_private_key(path).public_key())
        else:
            raise ValueError("neither an OpenSSH public key line nor a PEM key")
    except (ValueError, UnsupportedAlgorithm) as error:
        raise KeyFileError(f"{path}: not an Ed25519 public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key")
    return PublicKey(key)


def public_key(private: Ed25519PrivateKey) -> PublicKey:
    return PublicKey(private.public_key())


def generate_key(path: Path, comment: str = "", *, key_type: str = "ed25519") -> PublicKey:
    """Write a new private key to ``path`` (OpenSSH format, readable by its owner only)
    and its public key to ``path.pub``; refuses to overwrite either.  ``key_type`` is
    ``ed25519`` (seals) or ``ecdsa-p384`` (WACZ signing, :mod:`warcite.export.wacz_signing`)."""
    public_path = path.with_name(path.name + ".pub")
    for existing in (path, public_path):
        if os.path.lexists(existing):
            raise UsageError(f"{existing} exists already; warcite never overwrites a key")
    private: Any
    if key_type == "ed25519":
        private = Ed25519PrivateKey.generate()
    elif key_type == "ecdsa-p384":
        private = ec.generate_private_key(ec.SECP384R1())
    else:
        raise UsageError(f"unknown key type {key_type!r}: ed25519 or ecdsa-p384")
    secret = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    key = PublicKey(private.public_key())
    written: list[Path] = []
    try:
        for target, data, mode in (
            (path, secret, 0o600),
            (public_path, (key.openssh(comment) + "\n").encode("ascii"), 0o644),
        ):
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            written.append(target)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.chmod(target, mode)
    except OSError as error:
        for target in written:
            target.unlink(missing_ok=True)
        raise UsageError(f"cannot write the key: {error}") from None
    return key


# --------------------------------------------------------------------------- SSHSIG


def _string(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def take(self, count: int) -> bytes:
        if self.offset + count > len(self.data):
            raise SignatureError("the signature is truncated")
        value = self.data[self.offset : self.offset + count]
        self.offset += count
        return value

    def string(self) -> bytes:
        (length,) = struct.unpack(">I", self.take(4))
        return self.take(length)

    def done(self) -> bool:
        return self.offset == len(self.data)


def _signed_data(message: bytes, namespace: str) -> bytes:
    return (
        _MAGIC
        + _string(namespace.encode("ascii"))
        + _string(b"")
        + _string(HASH_ALGORITHM.encode("ascii"))
        + _string(hashlib.sha512(message).digest())
    )


def sign(message: bytes, private: Ed25519PrivateKey, namespace: str = SEAL_NAMESPACE) -> bytes:
    """An armored SSHSIG signature of ``message`` (what ``ssh-keygen -Y sign`` writes)."""
    key = PublicKey(private.public_key())
    raw = private.sign(_signed_data(message, namespace))
    blob = (
        _MAGIC
        + struct.pack(">I", 1)
        + _string(key.blob)
        + _string(namespace.encode("ascii"))
        + _string(b"")
        + _string(HASH_ALGORITHM.encode("ascii"))
        + _string(_string(_KEY_TYPE) + _string(raw))
    )
    encoded = base64.b64encode(blob).decode("ascii")
    lines = [encoded[i : i + 70] for i in range(0, len(encoded), 70)]
    return ("\n".join([_ARMOR_BEGIN, *lines, _ARMOR_END]) + "\n").encode("ascii")


def verify(message: bytes, signature: bytes, namespace: str = SEAL_NAMESPACE) -> SignatureInfo:
    """The key that made ``signature`` over ``message``; SignatureError when it is not an
    Ed25519 SSHSIG signature of this namespace or does not verify."""
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise SignatureError("the signature file is too large to be a signature")
    try:
        text = signature.decode("ascii").strip()
    except UnicodeDecodeError:
        raise SignatureError("the signature file is not an armored SSH signature") from None
    if not (text.startswith(_ARMOR_BEGIN) and text.endswith(_ARMOR_END)):
        raise SignatureError(f"the signature file does not hold an {_ARMOR_BEGIN[5:-5]}")
    body = "".join(text[len(_ARMOR_BEGIN) : -len(_ARMOR_END)].split())
    try:
        blob = base64.b64decode(body, validate=True)
    except ValueError:
        raise SignatureError("the signature is not valid base64") from None
    reader = _Reader(blob)
    if reader.take(6) != _MAGIC or struct.unpack(">I", reader.take(4))[0] != 1:
        raise SignatureError("not an SSHSIG version 1 signature")
    key_blob = reader.string()
    found_namespace = reader.string().decode("ascii", "replace")
    reader.string()  # reserved
    hash_algorithm = reader.string().decode("ascii", "replace")
    wrapped = _Reader(reader.string())
    if not reader.done():
        raise SignatureError("the signature has bytes after its end")
    if found_namespace != namespace:
        raise SignatureError(
            f"the signature is for {found_namespace!r}, not a warcite {namespace!r} signature"
        )
    if hash_algorithm != HASH_ALGORITHM:
        raise SignatureError(f"the signature uses {hash_algorithm!r}; warcite signs with sha512")
    key_reader = _Reader(key_blob)
    if key_reader.string() != _KEY_TYPE:
        raise SignatureError("the signature is not made with an Ed25519 key")
    raw_key = key_reader.string()
    if wrapped.string() != _KEY_TYPE:
        raise SignatureError("the signature is not an Ed25519 signature")
    raw = wrapped.string()
    if len(raw_key) != 32 or len(raw) != 64:
        raise SignatureError("the signature's key or value has the wrong length for Ed25519")
    key = Ed25519PublicKey.from_public_bytes(raw_key)
    try:
        key.verify(raw, _signed_data(message, namespace))
    except InvalidSignature:
        raise SignatureError(
            "the signature does not verify: the signed file changed after it was signed, or "
            "the signature was altered"
        ) from None
    return SignatureInfo(PublicKey(key))


def signature_relative_path(seal_path: str) -> str:
    """``records/<id>.sha512.sig`` for ``records/<id>.sha512``."""
    return seal_path + SIGNATURE_SUFFIX


def signer_agent_id(key: PublicKey) -> str:
    """The PREMIS agent id of a key's holder: ``urn:warcite:agent:ed25519-<sha256 hex>``."""
    return f"urn:warcite:agent:ed25519-{key.fingerprint_hex}"


__all__ = [
    "HASH_ALGORITHM",
    "PASSPHRASE_VARIABLE",
    "SEAL_NAMESPACE",
    "SIGNATURE_SUFFIX",
    "KeyFileError",
    "PublicKey",
    "SignatureError",
    "SignatureInfo",
    "generate_key",
    "load_any_private_key",
    "load_private_key",
    "load_public_key",
    "public_key",
    "sign",
    "signature_relative_path",
    "signer_agent_id",
    "verify",
]

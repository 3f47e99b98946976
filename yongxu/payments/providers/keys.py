"""RSA keys for gateways, as merchants get them: PEM text, a path to a PEM file, or the bare base64 that
the Alipay and WeChat consoles show (no BEGIN/END lines). Signing and verifying are PKCS#1 v1.5 SHA-256."""

import base64
import binascii
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import load_pem_x509_certificate


class UnreadableKey(ValueError):
    """A configured key cannot be read."""


def _material(value: str) -> bytes:
    value = (value or "").strip()
    if not value:
        raise UnreadableKey("no key configured")
    if value.startswith("-----BEGIN"):
        return value.encode()
    if "\n" not in value and len(value) < 4096 and (value.startswith(("/", "./")) or value.endswith((".pem", ".key", ".crt"))):
        try:
            return Path(value).read_bytes()
        except OSError as exc:
            raise UnreadableKey(f"cannot read key file {value}: {exc}") from exc
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnreadableKey("not PEM text, a key file or base64") from exc


def load_private_key(value: str) -> rsa.RSAPrivateKey:
    material = _material(value)
    try:
        key = (serialization.load_pem_private_key(material, password=None) if material.startswith(b"-----")
               else serialization.load_der_private_key(material, password=None))
    except ValueError as exc:
        raise UnreadableKey(f"not an RSA private key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UnreadableKey("not an RSA private key")
    return key


def load_public_key(value: str) -> rsa.RSAPublicKey:
    """A public key, or the public key of a certificate (WeChat's platform certificate)."""
    material = _material(value)
    try:
        if b"BEGIN CERTIFICATE" in material:
            key = load_pem_x509_certificate(material).public_key()
        elif material.startswith(b"-----"):
            key = serialization.load_pem_public_key(material)
        else:
            key = serialization.load_der_public_key(material)
    except ValueError as exc:
        raise UnreadableKey(f"not an RSA public key: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnreadableKey("not an RSA public key")
    return key


def sign_sha256(key: rsa.RSAPrivateKey, message: str) -> str:
    return base64.b64encode(key.sign(message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())).decode()


def verify_sha256(key: rsa.RSAPublicKey, message: bytes | str, signature: str) -> bool:
    if isinstance(message, str):
        message = message.encode("utf-8")
    try:
        key.verify(base64.b64decode(signature or "", validate=False), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True

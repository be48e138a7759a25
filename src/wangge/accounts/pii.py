"""Personal information at rest and on display: the one place that encrypts, indexes and masks.

Sensitive fields (ID numbers, phones, ethnicity, religion, health) are stored as ciphertext
through `EncryptedField`; exact-match lookups (is this ID number already registered?) go
through a keyed digest, the blind index, so that no plaintext column is needed. Values leave
the server masked unless a caller has been allowed to see them in full.

The mechanism here is deliberately plain (AES-256-GCM and HMAC-SHA256 from `cryptography`,
keys from the environment or, for development, a key file beside the database). The
security work replaces the algorithms behind `encrypt`, `decrypt` and `blind_index` without
touching any model: every stored value carries a version prefix for that.
"""

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

VERSION = "v1"
NONCE_BYTES = 12


@cache
def _keys() -> tuple[bytes, bytes]:
    """(encryption key, index key), both derived from one 32-byte master key."""
    master = os.environ.get("WANGGE_FIELD_KEY")
    if not master:
        path = settings.VAR_DIR / "field_key"
        if not path.exists():
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        master = path.read_text().strip()
    raw = bytes.fromhex(master)
    if len(raw) != 32:
        raise ValueError("WANGGE_FIELD_KEY 应为 64 位十六进制字符（32 字节）")
    return hmac.digest(raw, b"encrypt", hashlib.sha256), hmac.digest(raw, b"index", hashlib.sha256)


def encrypt(value: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, value.encode(), None)
    return f"{VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    version, _, body = token.partition(":")
    if version != VERSION:
        raise ValueError(f"未知的加密版本：{version}")
    raw = base64.b64decode(body)
    return AESGCM(_keys()[0]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()


def blind_index(kind: str, value: str) -> str:
    """A keyed digest for exact-match lookup of `value`; `kind` keeps ID and phone digests apart."""
    return hmac.new(_keys()[1], f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


class EncryptedField(models.TextField):
    """A text column holding ciphertext; Python code reads and writes the plain value."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def mask_id(value: str) -> str:
    """`410104********1234`: area kept, birth date and sequence hidden."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """`138****5678`."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """`张*`: the first character kept."""
    return value[:1] + "*" * (len(value) - 1) if value else value


def mask_text(value: str) -> str:
    """Ethnicity, religion, health: shown only as present or absent."""
    return "***" if value else ""

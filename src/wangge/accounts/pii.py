"""Personal information at rest and on display: the one place that encrypts, indexes and masks.

Sensitive fields (ID numbers, phones, ethnicity, religion, health) are stored as ciphertext
through `EncryptedField`; exact-match lookups (is this ID number already registered?) go
through a keyed digest, the blind index, so that no plaintext column is needed. Values leave
the server masked unless a caller has been allowed to see them in full.

A stored value is `sm4:<key id>:<base64(nonce | ciphertext | tag)>`, SM4-GCM under the field
key of that id (`keys.field_keys`); the blind index is HMAC-SM3 under the index key. Every
algorithm is the crypto provider's (`crypto`). Values written before SM4 (`v1:`, AES-256-GCM)
are still read, so that `wangge pii rotate` can move them to the current key.
"""

import base64

from django.apps import apps
from django.db import models

from . import crypto

SCHEME = "sm4"
LEGACY_SCHEME = "v1"


def _header(key_id: str) -> str:
    # The header is the associated data: a value cannot be passed off as sealed under
    # another key id. It is deliberately not bound to its table and column, so that renaming
    # a model or field in a migration cannot make its values unreadable.
    return f"{SCHEME}:{key_id}:"


def encrypt(value: str) -> str:
    keys = crypto.field_keys()
    header = _header(keys.current)
    sealed = crypto.sm4_gcm_encrypt(keys.by_id[keys.current], value.encode(), header.encode())
    return header + base64.b64encode(sealed).decode()


def decrypt(token: str) -> str:
    scheme, _, rest = token.partition(":")
    if scheme == LEGACY_SCHEME:
        return _decrypt_legacy(rest)
    if scheme != SCHEME:
        raise ValueError(f"未知的加密方案：{scheme}")
    key_id, _, body = rest.partition(":")
    key = crypto.field_keys().by_id.get(key_id)
    if key is None:
        raise ValueError(f"密文所用的密钥 {key_id} 不在 WANGGE_FIELD_KEYS 中")
    return crypto.sm4_gcm_decrypt(key, base64.b64decode(body), _header(key_id).encode()).decode()


def _decrypt_legacy(body: str) -> str:
    key = crypto.legacy_field_key()
    if key is None:
        raise ValueError("读取旧版（v1）密文需要原密钥 WANGGE_FIELD_KEY")
    return crypto.aes_gcm_decrypt(key, base64.b64decode(body)).decode()


def key_id_of(token: str) -> str:
    """`sm4:<key id>` or `v1`: which key a stored value is under."""
    scheme, _, rest = token.partition(":")
    return f"{scheme}:{rest.partition(':')[0]}" if scheme == SCHEME else scheme


def is_current(token: str) -> bool:
    return token.startswith(_header(crypto.field_keys().current))


def blind_index(kind: str, value: str) -> str:
    """A keyed digest for exact-match lookup of `value`; `kind` keeps ID and phone digests apart."""
    return crypto.hmac_sm3(crypto.index_key(), f"{kind}:{value}".encode())


def encrypted_fields() -> dict[type[models.Model], list[models.Field]]:
    """Every encrypted column of every installed model, by model (each table once)."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            found[model] = fields
    return found


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

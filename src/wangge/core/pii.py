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
import re
from collections.abc import Callable
from typing import NamedTuple

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



class BlindIndex(NamedTuple):
    digest: str  # the digest field
    source: str  # the encrypted field it is computed from
    compute: Callable[[str], str]


# Blind indexes that `wangge pii rotate` recomputes from their decrypted source, by model label;
# the app that keeps the model registers its index from `ready()`.
BLIND_INDEXES: dict[str, BlindIndex] = {}


def register_blind_index(model_label: str, *, digest: str, source: str, compute: Callable[[str], str]) -> None:
    BLIND_INDEXES[model_label] = BlindIndex(digest, source, compute)


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


def mask_plate(value: str) -> str:
    """`豫A*****`: the province and city letter kept."""
    return value[:2] + "".join(c if c in _PLATE_SEPARATORS else "*" for c in value[2:])


def mask_email(value: str) -> str:
    """`z***@example.com`: the first character of the mailbox and the domain kept."""
    mailbox, _, domain = value.partition("@")
    return f"{mailbox[:1]}***@{domain}"


def mask_landline(value: str) -> str:
    """`0371-****3456`: the area code and the last four digits kept."""
    area = LANDLINE.match(value)
    if area is None:
        return "*" * len(value)
    return area[1] + area[2] + "*" * (len(area[3]) - 4) + area[3][-4:]


# What a person may type about themselves into free text (a case's description, a value in the
# audit trail). Whole ID numbers and mobiles; landlines with their area code; vehicle plates,
# petrol (豫A12345) and new-energy (豫A·D12345); names given after 我是 / 我叫 or 姓名 / 联系人;
# e-mail addresses (masked first: a mailbox of digits, 13812345678@qq.com, is not a mobile).
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
# Guarded against a dot too, so that the digits of a coordinate are never read as a number.
LANDLINE = re.compile(r"(?<![\d.\-])(0\d{2,3})([-－ ]?)(\d{7,8})(?![\d.])")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_SEPARATORS = "·•・. -"
PLATE = re.compile(rf"[{_PROVINCES}][A-Za-z][·•・. -]?[A-Za-z0-9]{{5,6}}(?![A-Za-z0-9])")
# After 我是 / 我叫 only a name that starts with a common surname is taken, so that 我是业主 or
# 我是附近居民 stays as written; after 姓名 / 联系人 whatever follows is a name.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_DOUBLE_SURNAMES = "欧阳|司马|诸葛|上官|东方|皇甫|令狐|慕容|尉迟|公孙|夏侯|端木|长孙|宇文|司徒|轩辕"
SELF_NAMED = re.compile(rf"(我是|我叫)((?:{_DOUBLE_SURNAMES}|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}})")
NAMED = re.compile(r"(姓名|联系人)(\s*[:：]?\s*)([\u4e00-\u9fff·]{2,4})")


def mask_free_text(value: str) -> str:
    """`value` with every e-mail address, ID number, phone, plate and self-given name in it
    masked: the one masking of free text, for the audit trail and for what the public reads."""
    value = EMAIL.sub(lambda m: mask_email(m[0]), value)
    value = FULL_ID.sub(lambda m: mask_id(m[0]), value)
    value = FULL_PHONE.sub(lambda m: mask_phone(m[0]), value)
    value = LANDLINE.sub(lambda m: mask_landline(m[0]), value)
    value = PLATE.sub(lambda m: mask_plate(m[0]), value)
    value = SELF_NAMED.sub(lambda m: m[1] + mask_name(m[2]), value)
    return NAMED.sub(lambda m: m[1] + m[2] + mask_name(m[3]), value)


def mask_text(value: str) -> str:
    """Ethnicity, religion, health: shown only as present or absent."""
    return "***" if value else ""

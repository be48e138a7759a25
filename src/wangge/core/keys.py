"""Keys from the environment, never from the database.

| variable | holds | format |
|---|---|---|
| `WANGGE_AUDIT_KEY` | HMAC-SM3 key of the audit chain | 64 hex characters |
| `WANGGE_FIELD_KEYS` | SM4 keys of encrypted fields, by id; the first is current, the rest are kept for reading until `wangge pii rotate` has moved every value off them | `3:<32 hex>,2:<32 hex>` (id: 1-16 letters or digits) |
| `WANGGE_INDEX_KEY` | HMAC-SM3 key of the blind index (exact-match lookup of ID numbers) | 64 hex characters |
| `WANGGE_BACKUP_KEY` | HMAC-SM3 key that seals backups (`wangge backup`), checked by `wangge restore` | 64 hex characters |
| `WANGGE_FIELD_KEY` | the pre-SM4 master key, only to read "v1:" values until they are rotated | 64 hex characters |

In development (WANGGE_ENV unset or "development") a missing key is generated once into
`var/` beside the database, so that `make run` works on a fresh machine; in production a
missing key stops the platform (a system check, and every use).
"""

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SM4_KEY_BYTES = 16  # GB/T 32907-2016: SM4 has a 128-bit key
INDEX_KEY_BYTES = 32
KEY_ID = re.compile(r"[0-9A-Za-z]{1,16}")


@dataclass(frozen=True)
class FieldKeys:
    current: str
    by_id: dict[str, bytes]


def _configured(name: str, generate: Callable[[], str]) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if getattr(settings, "WANGGE_ENV", "development") == "production":
        raise ImproperlyConfigured(f"生产环境须通过环境变量 {name} 提供密钥")
    path = settings.VAR_DIR / name.lower()
    if not path.exists():
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


def _hex(name: str, value: str, size: int) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise ImproperlyConfigured(f"{name} 中的密钥应为 {size * 2} 位十六进制字符（{size} 字节）")
    return raw


@cache
def audit_key() -> bytes:
    """The key of the audit trail's HMAC-SM3 chain (WANGGE_AUDIT_KEY, 64 hex characters)."""
    return bytes.fromhex(_configured("WANGGE_AUDIT_KEY", lambda: secrets.token_hex(32)))


@cache
def field_keys() -> FieldKeys:
    """The SM4 keys of encrypted fields (WANGGE_FIELD_KEYS): the current one and every readable one."""
    name = "WANGGE_FIELD_KEYS"
    text = _configured(name, lambda: f"1:{secrets.token_hex(SM4_KEY_BYTES)}")
    by_id: dict[str, bytes] = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        key_id, _, value = entry.partition(":")
        if not KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(f"{name}：每项应为「编号:密钥」，编号为 1-16 位字母或数字，收到「{key_id}」")
        if key_id in by_id:
            raise ImproperlyConfigured(f"{name}：密钥编号 {key_id} 重复")
        by_id[key_id] = _hex(name, value.strip(), SM4_KEY_BYTES)
    if not by_id:
        raise ImproperlyConfigured(f"{name} 为空")
    return FieldKeys(current=next(iter(by_id)), by_id=by_id)


@cache
def index_key() -> bytes:
    """The HMAC-SM3 key of the blind index (WANGGE_INDEX_KEY, 64 hex characters)."""
    name = "WANGGE_INDEX_KEY"
    return _hex(name, _configured(name, lambda: secrets.token_hex(INDEX_KEY_BYTES)), INDEX_KEY_BYTES)


@cache
def backup_key() -> bytes:
    """The HMAC-SM3 key that seals backups (WANGGE_BACKUP_KEY, 64 hex characters). Its own key,
    not the audit key: whoever restores must hold it, and holding it lets nobody forge the trail."""
    name = "WANGGE_BACKUP_KEY"
    return _hex(name, _configured(name, lambda: secrets.token_hex(32)), 32)


@cache
def legacy_field_key() -> bytes | None:
    """The AES-256-GCM key of "v1:" values (written before SM4), derived from the old master key
    as it was; None when no old master key is configured. Read-only: nothing is written with it.

    The old key file var/field_key is read in production too: earlier versions kept it there in
    every environment, and rotation must be able to read what they wrote.
    """
    master = os.environ.get("WANGGE_FIELD_KEY", "").strip()
    path = settings.VAR_DIR / "field_key"
    if not master and path.exists():
        master = path.read_text().strip()
    if not master:
        return None
    return hmac.digest(_hex("WANGGE_FIELD_KEY", master, 32), b"encrypt", hashlib.sha256)


def clear_caches() -> None:
    """Forget the keys read so far, for tests that change the environment or VAR_DIR."""
    for accessor in (audit_key, field_keys, index_key, backup_key, legacy_field_key):
        accessor.cache_clear()


@checks.register(checks.Tags.security)
def check_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`wangge check` / `migrate` refuse to go on when a required key is missing or malformed."""
    errors = []
    for accessor in (audit_key, field_keys, index_key, backup_key):
        try:
            accessor()
        except ImproperlyConfigured as problem:
            errors.append(checks.Error(str(problem), id="wangge.E001"))
    return errors

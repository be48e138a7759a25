"""Keys from the environment, never from the database.

In development (WANGGE_ENV unset or "development") a missing key is generated once into
`var/` beside the database, so that `make run` works on a fresh machine; in production a
missing key stops the platform at start-up.
"""

import os
import secrets
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key(name: str) -> bytes:
    value = os.environ.get(name)
    if not value:
        if getattr(settings, "WANGGE_ENV", "development") == "production":
            raise ImproperlyConfigured(f"生产环境须通过环境变量 {name} 提供密钥")
        path = settings.VAR_DIR / name.lower()
        if not path.exists():
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        value = path.read_text().strip()
    return bytes.fromhex(value)


@cache
def audit_key() -> bytes:
    """The key of the audit trail's HMAC-SM3 chain (WANGGE_AUDIT_KEY, 64 hex characters)."""
    return _key("WANGGE_AUDIT_KEY")

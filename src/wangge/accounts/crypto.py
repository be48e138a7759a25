"""The crypto provider: every SM2/SM3/SM4 operation of the platform goes through this module,
so that a certified crypto device (密码机) can take its place behind the same functions.

Keys come from the environment, never from the database (see `keys`).
"""

import hmac as std_hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

from .keys import audit_key  # noqa: F401  (re-exported: callers ask the provider for keys)


def sm3_hex(data: bytes) -> str:
    """SM3 digest (GB/T 32905-2016), hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> str:
    """HMAC-SM3, hex."""
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def hmac_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a, b)

"""The crypto provider: every SM2/SM3/SM4 operation of the platform goes through this module,
so that a certified crypto device (密码机) can take its place behind the same functions
(GB/T 22239-2019 level 3 asks for commercial cryptography, 商用密码, on data at rest).

Keys come from the environment, never from the database (see `keys`); callers ask the provider
for them, so that a device holding its own keys can answer instead.
"""

import hmac as std_hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .keys import FieldKeys, audit_key, backup_key, field_keys, index_key, legacy_field_key  # noqa: F401

# A random 96-bit nonce per value: safe for far more than the 2^32 encryptions per key that
# NIST SP 800-38D allows; a district has a few million encrypted values, rewritten on rotation.
GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16


class DecryptionError(ValueError):
    """A sealed value that does not open: the wrong key, or altered since it was sealed."""


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


def audit_checkpoint_key() -> bytes:
    """The key that seals the audit trail's checkpoints, derived from the audit key so that one
    key is carried between installations, yet a checkpoint's seal never equals a row's MAC."""
    return bytes.fromhex(hmac_sm3(audit_key(), b"wangge audit checkpoint"))


def hmac_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a, b)


def pbkdf2_sm3(password: bytes, salt: bytes, iterations: int, length: int = 32) -> bytes:
    """PBKDF2 (RFC 8018) with HMAC-SM3 as its pseudo-random function."""
    return PBKDF2HMAC(algorithm=hashes.SM3(), length=length, salt=salt, iterations=iterations).derive(password)


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
    """SM4 (GB/T 32907-2016) in GCM: `nonce | ciphertext | tag`, the nonce fresh and random."""
    nonce = os.urandom(GCM_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_gcm_decrypt(key: bytes, sealed: bytes, associated_data: bytes = b"") -> bytes:
    """The plaintext of `sm4_gcm_encrypt`'s output, or DecryptionError."""
    if len(sealed) < GCM_NONCE_BYTES + GCM_TAG_BYTES:
        raise DecryptionError("密文过短")
    nonce, ciphertext, tag = sealed[:GCM_NONCE_BYTES], sealed[GCM_NONCE_BYTES:-GCM_TAG_BYTES], sealed[-GCM_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("密文校验失败：密钥不符或密文被篡改") from None


def aes_gcm_decrypt(key: bytes, sealed: bytes) -> bytes:
    """AES-256-GCM, only to read values written before SM4 so that rotation can move them."""
    try:
        return AESGCM(key).decrypt(sealed[:GCM_NONCE_BYTES], sealed[GCM_NONCE_BYTES:], None)
    except InvalidTag:
        raise DecryptionError("旧版密文校验失败：WANGGE_FIELD_KEY 不符或密文被篡改") from None

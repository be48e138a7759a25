"""The crypto provider: standard SM3, HMAC-SM3, SM4 (GB/T 32907) in GCM, and the PBKDF2-HMAC-SM3
password hasher that comes first in PASSWORD_HASHERS."""

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)

from wangge.accounts.hashers import PBKDF2SM3PasswordHasher
from wangge.accounts.models import User
from wangge.core import crypto, pii

KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


def test_it_digests_with_sm3_as_the_standard_gives():
    # GB/T 32905-2016, appendix A.1
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_it_computes_hmac_sm3_as_rfc_2104_over_sm3():
    key, message = b"k" * 20, b"what the grid worker saw"
    inner = bytes.fromhex(crypto.sm3_hex(bytes(b ^ 0x36 for b in key.ljust(64, b"\0")) + message))
    outer = crypto.sm3_hex(bytes(b ^ 0x5C for b in key.ljust(64, b"\0")) + inner)
    assert crypto.hmac_sm3(key, message) == outer
    assert crypto.hmac_sm3(key, message) != crypto.hmac_sm3(b"j" * 20, message)
    assert crypto.hmac_equal(outer, crypto.hmac_sm3(key, message)) and not crypto.hmac_equal(outer, "0" * 64)


def test_its_sm4_is_the_standard_one():
    # GB/T 32907-2016, appendix A.1: key = plaintext = 0123456789abcdeffedcba9876543210
    encryptor = Cipher(algorithms.SM4(KEY), modes.ECB()).encryptor()
    assert (encryptor.update(KEY) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    # The provider's GCM is SM4 in counter mode from nonce|2 (NIST SP 800-38D, 96-bit nonce):
    # its first ciphertext block is the plaintext XOR SM4(key, nonce|00000002).
    plaintext = b"0123456789abcdef"
    sealed = crypto.sm4_gcm_encrypt(KEY, plaintext)
    nonce, first_block = sealed[:12], sealed[12:28]
    block = Cipher(algorithms.SM4(KEY), modes.ECB()).encryptor().update(nonce + b"\0\0\0\2")
    assert bytes(a ^ b for a, b in zip(plaintext, block, strict=True)) == first_block


def test_it_opens_the_rfc_8998_sm4_gcm_test_vector():
    nonce = bytes.fromhex("00001234567800000000abcd")
    aad = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    ciphertext = bytes.fromhex(
        "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
        "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
    )
    tag = bytes.fromhex("83de3541e4c2b58177e065a9bf7b62ec")
    plaintext = bytes.fromhex("".join(c * 16 for c in "abcdefea"))
    assert crypto.sm4_gcm_decrypt(KEY, nonce + ciphertext + tag, aad) == plaintext


def test_sm4_gcm_round_trips_with_a_fresh_nonce_and_refuses_anything_altered():
    first = crypto.sm4_gcm_encrypt(KEY, "高血压".encode(), b"context")
    second = crypto.sm4_gcm_encrypt(KEY, "高血压".encode(), b"context")
    assert first[:12] != second[:12] and first != second
    assert crypto.sm4_gcm_decrypt(KEY, first, b"context").decode() == "高血压"
    for altered in (_flip(first, 12), _flip(first, len(first) - 1), _flip(first, 0), first[:-1]):
        with pytest.raises(crypto.DecryptionError):
            crypto.sm4_gcm_decrypt(KEY, altered, b"context")
    with pytest.raises(crypto.DecryptionError):
        crypto.sm4_gcm_decrypt(KEY, first, b"another context")
    with pytest.raises(crypto.DecryptionError):
        crypto.sm4_gcm_decrypt(bytes(16), first, b"context")


def test_a_stored_value_is_sm4_under_the_current_key_and_refuses_tampering():
    token = pii.encrypt("13812345678")
    current = crypto.field_keys().current
    assert token.startswith(f"sm4:{current}:") and "13812345678" not in token
    sealed = base64.b64decode(token.removeprefix(f"sm4:{current}:"))
    assert crypto.sm4_gcm_decrypt(crypto.field_keys().by_id[current], sealed, f"sm4:{current}:".encode()) == b"13812345678"
    assert pii.decrypt(token) == "13812345678"
    with pytest.raises(ValueError):
        pii.decrypt(f"sm4:{current}:" + base64.b64encode(_flip(sealed, 20)).decode())


def test_the_blind_index_is_hmac_sm3_under_the_index_key():
    assert pii.blind_index("id", "410104198001011234") == crypto.hmac_sm3(crypto.index_key(), b"id:410104198001011234")


def test_passwords_are_hashed_with_pbkdf2_sm3_at_djangos_iteration_count(db):
    encoded = make_password("correct horse battery")
    algorithm, iterations, salt, derived = encoded.split("$")
    assert isinstance(identify_hasher(encoded), PBKDF2SM3PasswordHasher)
    assert algorithm == "pbkdf2_sm3" and int(iterations) == PBKDF2PasswordHasher.iterations
    assert base64.b64decode(derived) == crypto.pbkdf2_sm3(b"correct horse battery", salt.encode(), int(iterations))
    assert check_password("correct horse battery", encoded) and not check_password("correct horse battery!", encoded)


def test_a_django_pbkdf2_hash_still_verifies_and_is_upgraded_at_sign_in(db):
    user = User.objects.create(username="old_hash", password=make_password("an older password", hasher="pbkdf2_sha256"))
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password("an older password")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sm3$") and user.check_password("an older password")

"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps,
6 digits, as every authenticator app expects. GB/T 22239-2019 8.1.4.1 d) (level 3) asks for two
or more factors, one of them cryptographic; this is the second.

Pure functions: the device row (secret, last used step) is kept by `services`.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # one step either side: a clock off by up to 30 s, or a code typed as it turned
ISSUER = "网格化基层治理平台"


def secret_new() -> str:
    """A fresh 160-bit secret (RFC 4226 R6), base32 without padding, as apps take it."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    secret = secret.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def step_at(moment: float | None = None) -> int:
    return int((time.time() if moment is None else moment) // STEP_SECONDS)


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 5.3: HMAC, dynamic truncation, modulo 10^digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_at(secret: str, moment: float | None = None) -> str:
    return hotp(_key(secret), step_at(moment))


def matching_step(secret: str, code: str, *, after_step: int = 0, moment: float | None = None) -> int | None:
    """The time step `code` belongs to, within the window and later than `after_step` (a code
    already used, or an older one, is refused: RFC 6238 5.2), or None."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key, now = _key(secret), step_at(moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// URI authenticator apps read from the QR code."""
    label = quote(f"{ISSUER}:{account}")
    query = urlencode({"secret": secret, "issuer": ISSUER, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}, quote_via=quote)
    return f"otpauth://totp/{label}?{query}"


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data URI, drawn here: no image service, no script."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)

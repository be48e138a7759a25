"""Password hashing with SM3: PBKDF2 (RFC 8018) with HMAC-SM3 as its pseudo-random function.

GB/T 22239-2019 level 3 asks that authentication data be kept with commercial cryptography
(商用密码); the derivation goes through the crypto provider like every other SM3 use. Hashes
made by Django's PBKDF2-SHA256 still verify and are re-hashed with SM3 at the next sign-in,
because this hasher comes first in settings.PASSWORD_HASHERS.
"""

import base64

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from wangge.core import crypto


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    # Django raises its count with each release; following it keeps the work factor current.
    iterations = PBKDF2PasswordHasher.iterations

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        derived = crypto.pbkdf2_sm3(password.encode(), salt.encode(), iterations)
        return f"{self.algorithm}${iterations}${salt}${base64.b64encode(derived).decode('ascii')}"

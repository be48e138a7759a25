"""The password policy (GB/T 22239-2019 8.1.4.1 a), level 3: complex, changed periodically).

The validators are listed in AUTH_PASSWORD_VALIDATORS, so Django's own password forms and
`password_change` apply the same rules; their messages are Chinese.
"""

import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

SYMBOLS = set(string.punctuation + " ")
CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: c in SYMBOLS or not c.isalnum()),
)


class LengthValidator:
    def __init__(self, min_length: int = 12) -> None:
        self.min_length = min_length

    def validate(self, password, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 个字符", code="password_too_short")

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符"


class ClassesValidator:
    """Characters from at least `min_classes` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password, user=None) -> None:
        present = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(present) < self.min_classes:
            raise ValidationError(f"密码需包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类", code="password_too_simple")

    def get_help_text(self) -> str:
        return f"包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类"


class NoUsernameValidator:
    def validate(self, password, user=None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if username and username in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self) -> str:
        return "不能包含用户名"


class HistoryValidator:
    """None of the last `count` passwords again (the current one included)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password, user=None) -> None:
        if user is None or user.pk is None:
            return
        earlier = list(user.password_history.values_list("password", flat=True)[: self.count])
        if user.password and user.password not in earlier:
            earlier = [user.password, *earlier][: self.count]
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(f"不能使用最近 {self.count} 次用过的密码", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次用过的密码相同"


def password_expired(user) -> bool:
    """True when the user has a password and it was not set through the policy (a reset, a
    one-time password) or is older than WANGGE_PASSWORD_MAX_AGE_DAYS. An account without any
    password (token-only, or not yet given one) cannot sign in with one, so nothing expires."""
    if not user.password or not user.has_usable_password():
        return False
    if user.password_changed_at is None:
        return True
    return timezone.now() - user.password_changed_at > timedelta(days=settings.WANGGE_PASSWORD_MAX_AGE_DAYS)


def password_generate(length: int = 16) -> str:
    """A random password that meets the policy: every class present, no look-alike characters."""
    pools = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "-_.!#%+="]
    chars = [secrets.choice(pool) for pool in pools]
    chars += [secrets.choice("".join(pools)) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)

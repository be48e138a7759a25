"""The funds' rules as pure functions: money shown, amounts checked, forbidden expenditure found."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

# Past a hundred billion yuan an amount is a typing error, and it stays far from BIGINT's end.
MAX_FEN = 10**13
_WORD_SEPARATORS = re.compile(r"[、，,;；\s]+")


def yuan(fen: int) -> str:
    """¥1,234.56 from 123456 fen, in integers only."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def fen_checked(value, *, field: str, positive: bool = False) -> int:
    """An amount in fen as an int, refused in Chinese (naming `field`) unless a whole number
    within bounds: no floats, no booleans, no text that is not digits."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({field: "金额应为以分为单位的整数"})
    if isinstance(value, str):
        if not re.fullmatch(r"\s*-?\d{1,16}\s*", value):
            raise ValidationError({field: "金额应为以分为单位的整数"})
        value = int(value)
    if value < (1 if positive else 0):
        raise ValidationError({field: "金额必须大于 0" if positive else "金额不能为负数"})
    if value > MAX_FEN:
        raise ValidationError({field: f"金额超过上限 {yuan(MAX_FEN)}"})
    return value


def trigger_words(words: str) -> list[str]:
    return [word for word in _WORD_SEPARATORS.split(words or "") if word]


def forbidden_by(rules: Iterable, *, expense_type: str, purpose: str):
    """The first rule (with `code`, `name`, `words`) that forbids this expenditure: named as the
    type chosen, or one of its words found in the purpose; None when none does."""
    rules = list(rules)
    for rule in rules:
        if rule.code == expense_type:
            return rule
    for rule in rules:
        if any(word in purpose for word in trigger_words(rule.words)):
            return rule
    return None

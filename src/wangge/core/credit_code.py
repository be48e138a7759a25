"""The unified social credit code (统一社会信用代码, GB 32100-2015) and the organisation code it
embeds (组织机构代码, GB 11714-1997): the one check any app makes of a credit code.

A code is 18 characters: the registration authority (1), the organisation type (2), the
registering division's code (3–8, digits), the organisation code (9–17, whose last character is
its own GB 11714 check) and the check character (18). Its alphabet is the digits and the capital
letters without I, O, S, V and Z.
"""

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100 §4.2: the weight of position i is 3^(i-1) mod 31.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 §5: weights of the eight body characters; letters count 10 (A) to 35 (Z).
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
LENGTH = 18
NOUN = "统一社会信用代码"


def check_character(first17: str) -> str:
    """The 18th character of a code whose first 17 are `first17` (GB 32100: 31 − Σ mod 31)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check(body: str) -> str:
    """The 9th character of an organisation code whose first eight are `body` (11 − Σ mod 11;
    10 is written X and 11 is written 0)."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, ORGANISATION_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code_compose(*, authority: str, kind: str, division: str, organisation_body: str) -> str:
    """A valid code from its parts (the demo's companies; tests)."""
    organisation = organisation_body + organisation_check(organisation_body)
    first17 = authority + kind + division + organisation
    return first17 + check_character(first17)


def credit_code_checked(value: str, *, field: str = "credit_code") -> str:
    """The code, upper-cased and stripped, or a `ValidationError` on `field` that names the
    position of the first bad character."""
    code = (value or "").strip().upper()
    if len(code) != LENGTH:
        raise ValidationError({field: f"{NOUN}应为 {LENGTH} 位，收到 {len(code)} 位"})
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise ValidationError({field: f"{NOUN}第 {position} 位「{char}」不是有效字符（只能是数字或除 I、O、S、V、Z 外的大写字母）"})
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise ValidationError({field: f"{NOUN}第 {position} 位应为数字（第 3–8 位是登记管理机关行政区划码）"})
    expected = organisation_check(code[8:16])
    if code[16] != expected:
        raise ValidationError({field: f"{NOUN}第 17 位（组织机构代码校验码）应为「{expected}」，收到「{code[16]}」"})
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError({field: f"{NOUN}第 18 位（校验码）应为「{expected}」，收到「{code[17]}」"})
    return code

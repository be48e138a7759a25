"""Identity numbers: GB 11643 citizen ID numbers (phones are checked by `wangge.core.contacts`).

Validation raises `ValueError` with the reason in Chinese; callers attach the field or row.
"""

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str  # "M" or "F"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """A GB 11643 ID number checked and read: birth date from digits 7-14, sex from digit 17."""
    number = (raw or "").strip().upper()
    if len(number) != 18:
        raise ValueError("应为18位")
    if not ID_SHAPE.match(number):
        raise ValueError("前17位应为数字，末位为数字或X")
    if number[17] != check_char(number[:17]):
        raise ValueError("校验位错误")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("出生日期无效") from None
    if birth.year < 1900 or birth > (today or date.today()):
        raise ValueError("出生日期无效")
    return IdNumber(number, birth, "M" if int(number[16]) % 2 else "F")

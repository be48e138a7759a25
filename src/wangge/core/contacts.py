"""Contact details as every form takes them: a person's name, a mobile or a landline number.

`normalise_phone` raises `ValueError` with the reason in Chinese (workbooks attach the row);
`clean_contact` raises `ValidationError` naming the field (forms and the API).
"""

import re

from django.core.exceptions import ValidationError

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
MAX_NAME = 30


def normalise_phone(raw: str) -> str:
    """A mobile (11 digits from 13x to 19x) or landline (0371-12345678) number, or ValueError."""
    phone = re.sub(r"[\s()（）]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        raise ValueError("格式错误，应为11位手机号或带区号的固定电话")
    return phone


def clean_contact(name: str, phone: str, *, required: bool) -> tuple[str, str]:
    """A person's name and phone as a form gives them; errors name the field."""
    name, phone = (name or "").strip(), re.sub(r"\s", "", phone or "")
    if required and not name:
        raise ValidationError({"name": "请填写姓名"})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": f"姓名不能超过 {MAX_NAME} 字"})
    if required or phone:
        try:
            phone = normalise_phone(phone)
        except ValueError:
            raise ValidationError({"phone": "请填写正确的手机号或固定电话"}) from None
    return name, phone

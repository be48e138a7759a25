"""One-time passwords reach their receiver, never the caller who asked for them.

A reset or a new account puts the password, encrypted with the field key, into the outbox in the
same transaction; `wangge worker` sends it by SMS to the mobile registered for the account's
person. The caller learns only where it went, masked. An account without such a mobile cannot
receive one, and is refused: the console's `wangge officers reset` is the way left.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from wangge.core import pii
from wangge.core.outbox import outbox_enqueue

from .models import User
from .persons import persons
from .sms import sms_send

KIND = "account.one_time_password"
NO_MOBILE = "该账号未关联登记了手机号的人员，一次性密码无法送达本人：请先登记人员及其手机号，或由运维人员在服务器上执行 `wangge officers reset --username 用户名`"
TEXTS = {
    "created": "您的平台账号 {username} 已开通。",
    "password": "您的平台账号 {username} 的密码已重置。",
    "totp": "您的平台账号 {username} 的动态口令已重置，登录后请重新绑定。",
}


def registered_mobile(user: User) -> str:
    return (persons().mobile_of(user) or "").strip()


def require_mobile(user: User, *, field: str = "account") -> str:
    phone = registered_mobile(user)
    if not phone:
        raise ValidationError({field: [NO_MOBILE]})
    return phone


def one_time_password_deliver(*, user: User, password: str, why: str) -> str:
    """Queue the password for `user`'s mobile; returns that mobile, masked. `why` is a key of TEXTS."""
    phone = require_mobile(user)
    outbox_enqueue(kind=KIND, payload={"user": user.pk, "why": why, "password": pii.encrypt(password)}, due_at=timezone.now())
    return pii.mask_phone(phone)


def one_time_password_send(message) -> None:
    """The outbox's sender for KIND. The mobile is read now, so a number corrected meanwhile is used."""
    payload = message.payload
    user = User.objects.get(pk=payload["user"])
    phone = require_mobile(user)
    intro = TEXTS[payload["why"]].format(username=user.username)
    password = pii.decrypt(payload["password"])
    sms_send(phone=phone, text=f"【网格化基层治理平台】{intro}\n一次性密码：{password}\n首次登录后须修改密码。请勿将密码告诉他人。")

"""Signing in through the real pages, as a person would: password, then a TOTP code where the
account needs one (enrolling a device first when it has none)."""

import time

from django.test import Client

from wangge.accounts import totp
from wangge.accounts.models import TotpDevice
from wangge.accounts.services import password_change, totp_begin, totp_confirm

PASSWORD = "Correct-Horse-42"


def give_password(user, password: str = PASSWORD) -> str:
    password_change(user=user, new_password=password, actor=user)
    return password


def enrolled(user) -> TotpDevice:
    """A confirmed device for `user`, its first code a step old so that the next is fresh."""
    device = totp_begin(user=user)
    assert totp_confirm(user=user, code=totp.code_at(device.secret, time.time() - 30))
    return TotpDevice.objects.get(user=user)


def fresh_code(user) -> str:
    """A code the device has not used yet (a step may be used once only)."""
    device = TotpDevice.objects.get(user=user)
    step = max(totp.step_at() - totp.WINDOW, device.last_step + 1)
    return totp.hotp(totp._key(device.secret), step)


def sign_in(user, password: str | None = None, client: Client | None = None) -> Client:
    """A client signed in as `user`; `client.response` is the answer to the password step."""
    password = password or give_password(user)
    client = client or Client()
    client.response = client.post("/login", {"username": user.username, "password": password})
    location = client.response.headers.get("Location", "")
    if location == "/account/totp":
        client.get("/account/totp")
        client.post("/account/totp", {"code": fresh_code(user)})
    elif location == "/login/code":
        client.post("/login/code", {"code": fresh_code(user)})
    return client

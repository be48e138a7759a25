"""TOTP (RFC 6238): the algorithm against the RFC's vectors, and the second sign-in step that
officials and the three officers cannot skip."""

import base64

import pytest
from django.test import Client

from tests.accounts.signing import enrolled, fresh_code, give_password, sign_in
from wangge.accounts import totp
from wangge.accounts.models import AddressLock, TotpDevice
from wangge.accounts.services import totp_verify

RFC_KEY = b"12345678901234567890"
RFC_SECRET = base64.b32encode(RFC_KEY).decode()


@pytest.mark.parametrize(
    "moment,code",
    [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")],
)
def test_it_matches_the_rfc_6238_sha1_vectors(moment, code):
    assert totp.hotp(RFC_KEY, totp.step_at(moment), digits=8) == code


def test_it_matches_the_rfc_4226_six_digit_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(RFC_KEY, counter) for counter in range(10)] == expected
    assert totp.code_at(RFC_SECRET, 59) == "287082"


def test_it_accepts_one_step_either_side_and_no_further():
    now = 1_700_000_000
    for offset, accepted in [(-60, False), (-30, True), (0, True), (30, True), (60, False)]:
        code = totp.code_at(RFC_SECRET, now + offset)
        assert (totp.matching_step(RFC_SECRET, code, moment=now) is not None) is accepted, offset


def test_it_refuses_a_used_or_older_step():
    now = 1_700_000_000
    step = totp.step_at(now)
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, now), after_step=step, moment=now) is None
    assert totp.matching_step(RFC_SECRET, "12345", moment=now) is None


def test_a_code_is_accepted_once_only(people):
    user = people.district_official.user
    device = enrolled(user)
    code = totp.code_at(device.secret)
    assert totp_verify(user=user, code=code)
    assert not totp_verify(user=user, code=code)


def test_an_official_is_not_signed_in_by_the_password_alone(people):
    user = people.subdistrict_official.user
    enrolled(user)
    client = Client()
    response = client.post("/login", {"username": user.username, "password": give_password(user)})
    assert response.headers["Location"] == "/login/code"
    assert client.get("/grids").headers["Location"].startswith("/login")
    assert client.get("/api/grids").status_code == 401
    wrong = client.post("/login/code", {"code": "000000" if fresh_code(user) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    assert client.get("/grids").status_code == 302
    client.post("/login/code", {"code": fresh_code(user)})
    assert client.get("/grids").status_code == 200


def test_a_required_user_without_a_device_is_taken_to_enrolment_first(people):
    user = people.community_official.user
    client = Client()
    response = client.post("/login", {"username": user.username, "password": give_password(user)})
    assert response.headers["Location"] == "/account/totp"
    page = client.get("/account/totp").content.decode()
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is None
    assert device.secret[:4] in page and 'src="data:image/svg+xml' in page and "<script" not in page
    assert client.get("/grids").status_code == 302  # nothing else before enrolment
    client.post("/account/totp", {"code": fresh_code(user)})
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert client.get("/grids").status_code == 200


def test_a_grid_worker_signs_in_with_the_password_alone(people):
    client = sign_in(people.grid_worker.user)
    assert client.response.headers["Location"] == "/my-grid"
    assert not TotpDevice.objects.filter(user=people.grid_worker.user).exists()


def test_wrong_codes_count_towards_the_lockout(people, settings):
    settings.WANGGE_LOCKOUT_FAILURES = 3
    user = people.district_official.user
    enrolled(user)
    client = Client()
    client.post("/login", {"username": user.username, "password": give_password(user)})
    bad = "000000" if fresh_code(user) != "000000" else "111111"
    for _ in range(3):
        last = client.post("/login/code", {"code": bad})
    assert AddressLock.objects.filter(user=user, address="127.0.0.1").exists() and "锁定" in last.content.decode()
    assert client.post("/login/code", {"code": fresh_code(user)}).headers["Location"] == "/login"


def test_the_development_superuser_signs_in_without_a_code_until_it_enrols(db, settings):
    import io

    from django.core.management import call_command

    from wangge.accounts.models import User
    from wangge.accounts.permissions import must_use_totp

    out = io.StringIO()
    call_command("ensureadmin", stdout=out)
    password = out.getvalue().split("密码：")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.role == "district_official" and admin.is_superuser
    answer = Client().post("/login", {"username": "admin", "password": password})
    assert answer.status_code == 302 and answer.headers["Location"] not in ("/account/totp", "/login/code")
    enrolled(admin)  # an authenticator it chose to add is asked for
    assert Client().post("/login", {"username": "admin", "password": password}).headers["Location"] == "/login/code"
    settings.WANGGE_ENV = "production"  # where no superuser may exist (accounts.E001), none is exempt
    assert must_use_totp(admin)

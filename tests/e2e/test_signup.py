"""Residents signing up on a phone, in a real browser against a real gunicorn serving the demo:
with the name, ID number and mobile the registry holds for them, and with the one-time code
their grid worker issues from the building page.

The residents are registered on the server first, as a grid worker registers them
(`resident_create`, through `wangge shell`), so that their details are known to the test.
"""

import json
import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _wangge, sign_in_as

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
PASSWORD = "Jinshui-" + secrets.token_urlsafe(6) + "-9"

REGISTER = """
import json
from wangge.accounts.models import User
from wangge.geo.scope import Scope
from wangge.people.identity import check_char
from wangge.people.models import Building
from wangge.people.services.persons import resident_create
workers = {{u.username[2:] for u in User.objects.filter(username__startswith="gw", role="grid_worker")}}
building = next(b for b in Building.objects.order_by("pk") if b.grid_code in workers)
first17 = "110101" + "19780512" + {sequence!r}
person = resident_create(scope=Scope.district(), building=building, unit="3", room="1201",
    id_number=first17 + check_char(first17), name={name!r}, phone={phone!r})
print(json.dumps({{"id": person.pk, "name": person.name, "id_number": person.id_number, "building": building.pk, "grid": building.grid_code}}))
"""


def register(server, *, name: str, phone: str) -> dict:
    sequence = f"{secrets.randbelow(500) * 2:03d}"  # even: a woman's number
    printed = _wangge(server.env, "shell", "-c", REGISTER.format(sequence=sequence, name=name, phone=phone))
    return json.loads(printed.strip().splitlines()[-1])


def phone_page(browser) -> Page:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    return context.new_page()


def assert_fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def fill_password(page: Page) -> None:
    page.fill("#signup-password", PASSWORD)
    page.fill("#signup-password_again", PASSWORD)


def assert_signed_up(page: Page, server, name: str) -> None:
    expect(page).to_have_url(server.url + "/signup/done")
    expect(page.locator("#signup-done")).to_contain_text(name)
    username = page.locator("#signup-username").inner_text()
    assert re.fullmatch(r"jm\d{8}", username)
    assert_fits(page)
    page.click("text=我上报的事件")
    expect(page).to_have_url(server.url + "/my-reports")  # signed in: no detour by the sign-in page


def test_a_resident_signs_up_with_name_id_number_and_mobile(browser, wangge_server):
    mobile = f"1393710{secrets.randbelow(10_000):04d}"
    resident = register(wangge_server, name="范秀兰", phone=mobile)
    page = phone_page(browser)
    page.goto(wangge_server.url + "/services")
    page.click("text=注册账号")
    expect(page).to_have_url(wangge_server.url + "/signup")
    assert_fits(page)
    page.fill("#signup-name", "范秀兰")
    page.fill("#signup-id_number", resident["id_number"])
    page.fill("#signup-mobile", "13900000000")  # not the registered one
    fill_password(page)
    page.click("text=注册并登录")
    expect(page.locator("#signup-refused")).to_contain_text("未能核验您的身份")
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)  # no field singled out
    assert_fits(page)

    page.fill("#signup-mobile", mobile)
    fill_password(page)  # never sent back into the form
    page.click("text=注册并登录")
    assert_signed_up(page, wangge_server, "范秀兰")
    page.context.close()


def test_a_grid_worker_issues_a_code_and_the_resident_signs_up_with_it(browser, wangge_server):
    resident = register(wangge_server, name="常玉梅", phone="")
    worker = phone_page(browser)
    sign_in_as(worker.context, wangge_server, f"gw{resident['grid']}")
    worker.goto(f"{wangge_server.url}/my-grid/buildings/{resident['building']}")
    worker.on("dialog", lambda dialog: dialog.accept())
    button = worker.locator(f"button[data-url='/api/residents/{resident['id']}/signup-code']")
    button.click()
    shown = button.locator("xpath=following-sibling::output[1]").locator("strong")
    expect(shown).to_have_text(re.compile(r"^[A-Z2-9]{4} [A-Z2-9]{4}$"))
    assert_fits(worker)
    code = shown.inner_text()

    page = phone_page(browser)
    page.goto(wangge_server.url + "/signup/code")
    assert_fits(page)
    page.fill("#signup-code", code)
    page.fill("#signup-name", resident["name"])
    page.fill("#signup-id_number", resident["id_number"])
    fill_password(page)
    page.click("text=注册并登录")
    assert_signed_up(page, wangge_server, "常玉梅")

    worker.reload()
    expect(button).to_have_count(0)  # the resident has an account now
    worker.context.close()
    page.context.close()

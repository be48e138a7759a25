"""The back-office shell as each role meets it: where they land after signing in, the side
menu's sections and entries, their name, role and node in the top bar, and the officers' own
pages (the accounts list, the audit trail) open to them alone."""

import re

import pytest
from django.test import Client

from tests.accounts.signing import sign_in
from wangge.core.audit import audit_record
from wangge.core.menu import SECTIONS

LANDINGS = [
    ("district_official", "/dashboard"),
    ("subdistrict_official", "/cases/dispatch"),
    ("community_official", "/cases/dispatch"),
    ("grid_worker", "/my-grid"),
    ("department_handler", "/cases/department"),
    ("resident", "/my-reports"),
    ("security_admin", "/accounts"),
    ("system_admin", "/accounts"),
    ("auditor", "/audit"),
]


def _user(people, others, who: str):
    return getattr(people, who, None) or getattr(others, who)


def _menu(html: str) -> dict[str, list[str]]:
    """The side menu as {section: [entries]}, read from the page the way a person reads it."""
    menu = re.search(r'<nav class="shell-menu".*?</nav>', html, re.S)
    if menu is None:
        return {}
    sections = re.findall(r'<h2 class="menu-section-title">(.*?)</h2>\s*<ul>(.*?)</ul>', menu.group(0), re.S)
    return {title: re.findall(r">([^<>]+)</a>", entries) for title, entries in sections}


@pytest.mark.parametrize(("who", "landing"), LANDINGS)
def test_it_lands_each_role_on_its_work(people, others, who, landing):
    client = sign_in(_user(people, others, who).user)
    # Signed in, the sign-in page sends its visitor where the sign-in itself did.
    assert client.get("/login").headers["Location"] == landing
    assert client.get(landing).status_code == 200
    assert client.get("/").status_code == 200 and "portal" in client.get("/").content.decode()  # "/" stays the portal's home


def test_it_groups_the_menu_into_the_declared_sections_by_role(people, others):
    official = _menu(sign_in(people.community_official.user).get("/grids").content.decode())
    assert list(official) == [label for _, label in SECTIONS if label in official]  # the declared order
    assert official["网格"][:2] == ["网格地图", "我的网格"] and "事件派遣" in official["案件"]
    assert "网格力量" in official["人员"] and "系统与账号" not in official

    worker = _menu(sign_in(people.grid_worker.user).get("/my-grid").content.decode())
    assert "我的网格" in worker["网格"] and "网格事件" in worker["案件"]
    assert "网格力量" not in worker.get("人员", []) and "事件派遣" not in worker["案件"] and "系统与账号" not in worker

    handler = _menu(sign_in(people.department_handler.user).get("/cases/department").content.decode())
    assert handler["案件"][0] == "部门待办" and "事件派遣" not in handler["案件"]

    auditor = _menu(sign_in(others.auditor.user).get("/audit").content.decode())
    security = _menu(sign_in(others.security_admin.user).get("/accounts").content.decode())
    assert auditor["系统与账号"] == ["审计记录"] and security["系统与账号"] == ["账号管理"]


def test_it_shows_who_is_signed_in_as_what_and_where_by_name(people):
    html = sign_in(people.grid_worker.user).get("/my-grid").content.decode()
    top = re.search(r'<header class="site-header shell-top">.*?</header>', html, re.S).group(0)
    assert "grid_worker" in top and "网格员" in top
    assert people.home_grid.name in top and f'title="{people.home_grid.code}"' in top
    assert re.search(r'aria-current="page">我的网格<', html)  # the menu marks the page
    assert re.search(r'<nav class="breadcrumbs".*?网格.*?我的网格', html, re.S)


def test_it_folds_the_menu_behind_a_real_button(people):
    html = sign_in(people.grid_worker.user).get("/my-grid").content.decode()
    assert re.search(r'<button type="button" class="menu-toggle"[^>]*aria-expanded="false" aria-controls="shell-menu"', html)
    assert 'id="shell-menu"' in html


def test_it_badges_unread_messages_only_when_there_are_some(people, rf):
    from django.template.loader import render_to_string

    request = rf.get("/my-grid")
    request.user = people.grid_worker.user
    badge = 'class="inbox-badge" href="/inbox"'  # the side menu's 消息 entry links /inbox as well
    assert badge in render_to_string("base.html", {"inbox_unread": 3}, request=request)
    assert badge not in render_to_string("base.html", {"inbox_unread": 0}, request=request)


def test_the_accounts_list_is_for_the_officers_who_keep_accounts(people, others):
    page = sign_in(others.security_admin.user).get("/accounts", {"q": "grid_worker"}).content.decode()
    assert "<td>grid_worker</td>" in page and "<td>other_grid_worker</td>" in page and "<td>auditor</td>" not in page
    assert people.home_grid.name in page  # the node by name, its code on hover
    assert sign_in(others.system_admin.user).get("/accounts").status_code == 200
    for who in (others.auditor, people.district_official, people.grid_worker):
        assert sign_in(who.user).get("/accounts").status_code == 403
    assert Client().get("/accounts").headers["Location"].startswith("/login")


def test_the_audit_trail_is_the_auditors_alone_and_filters(people, others):
    audit_record(action="test.marker", object_type="TestThing", object_id="7", user=people.grid_worker.user)
    auditor = sign_in(others.auditor.user)
    filtered = auditor.get("/audit", {"actor": "grid_worker", "model": "TestThing"}).content.decode()
    assert "test.marker" in filtered and "TestThing #7" in filtered
    assert "test.marker" not in auditor.get("/audit", {"actor": "nobody"}).content.decode()
    assert "test.marker" not in auditor.get("/audit", {"until": "2000-01-01"}).content.decode()
    for who in (others.security_admin, others.system_admin, people.district_official):
        assert sign_in(who.user).get("/audit").status_code == 403


def _usernames(html: str) -> list[str]:
    return re.findall(r"<tr><td>([^<]+)</td>", re.search(r'<table class="data" id="accounts">.*?</table>', html, re.S).group(0))


def test_the_accounts_list_sorts_by_known_columns_and_ignores_others(people, others):
    client = sign_in(others.security_admin.user)
    by_default = _usernames(client.get("/accounts").content.decode())
    assert by_default == sorted(by_default)
    for crafted in ("password", "-password", "username;drop", "--username"):
        response = client.get("/accounts", {"sort": crafted})
        assert response.status_code == 200 and _usernames(response.content.decode()) == by_default
    html = client.get("/accounts", {"sort": "-username"}).content.decode()
    descending = _usernames(html)
    assert descending == sorted(descending, reverse=True) and descending[0] >= by_default[-1]
    # aria-sort belongs to the column's header cell, not to the link inside it.
    assert re.search(r'<th aria-sort="descending"><a class="sort sort-descending" href="\?sort=username">用户名</a></th>', html)
    assert not re.search(r"<a [^>]*aria-sort", html)


def test_the_accounts_export_is_the_officers_and_names_the_node(people, others):
    import io

    import openpyxl

    response = sign_in(others.security_admin.user).get("/accounts", {"q": "grid_worker", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["数据"].iter_rows(values_only=True))
    assert rows[0][:4] == ("用户名", "姓名", "角色", "所属节点")
    mine = next(row for row in rows if row[0] == "grid_worker")
    assert mine[3] == people.home_grid.name and mine[4] == people.home_grid.code
    assert {row[0] for row in rows[1:]} == {"grid_worker", "other_grid_worker"}
    assert sign_in(people.district_official.user).get("/accounts", {"export": "xlsx"}).status_code == 403

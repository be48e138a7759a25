"""The in-app inbox: each user reads and marks only their own notices; another's answers 404."""

import re

import pytest
from django.utils import timezone

from wangge.core.models import Notice
from wangge.core.notices import notices_create, notices_unread_count
from wangge.core.views import PAGE_SIZE


def _notice(user, title="事件超时，请社区督办", link="/cases/1") -> Notice:
    [notice] = notices_create(recipient_ids=[user.pk], kind="case.alert", title=title, body="请督办", link=link)
    return notice


def test_it_lists_only_the_users_own_notices_newest_first_with_the_unread_count(client, people):
    mine_old = _notice(people.grid_worker.user, title="较早的消息")
    Notice.objects.filter(pk=mine_old.pk).update(created=timezone.now() - timezone.timedelta(hours=1))
    _notice(people.grid_worker.user, title="最新的消息")
    _notice(people.other_grid_worker.user, title="别人的消息")

    client.force_login(people.grid_worker.user)
    html = client.get("/inbox").content.decode()
    assert "别人的消息" not in html
    assert html.index("最新的消息") < html.index("较早的消息")
    assert re.search(r'id="inbox-unread">2<', html)


def test_it_gives_the_shell_the_unread_count(client, people):
    _notice(people.grid_worker.user)
    client.force_login(people.grid_worker.user)
    assert client.get("/inbox").context["inbox_unread"] == 1
    client.force_login(people.other_grid_worker.user)
    assert client.get("/inbox").context["inbox_unread"] == 0


def test_it_marks_one_read_and_opening_follows_its_link(client, people):
    first, second = _notice(people.grid_worker.user, link="/cases/7"), _notice(people.grid_worker.user)
    client.force_login(people.grid_worker.user)
    assert client.post(f"/inbox/{first.pk}/read").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None and notices_unread_count(people.grid_worker.user) == 1

    response = client.post(f"/inbox/{second.pk}/open")
    assert response.status_code == 302 and response["Location"] == "/cases/1"
    assert notices_unread_count(people.grid_worker.user) == 0


def test_it_marks_all_read_only_for_the_user(client, people):
    for _ in range(3):
        _notice(people.grid_worker.user)
    theirs = _notice(people.other_grid_worker.user)
    client.force_login(people.grid_worker.user)
    client.post("/inbox/read-all")
    assert notices_unread_count(people.grid_worker.user) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("action", ["read", "open"])
def test_it_answers_another_users_notice_as_missing_and_leaves_it_unread(client, people, action):
    theirs = _notice(people.other_grid_worker.user)
    client.force_login(people.grid_worker.user)
    assert client.post(f"/inbox/{theirs.pk}/{action}").status_code == 404
    assert client.post(f"/inbox/987654321/{action}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_pages_the_inbox(client, people):
    for i in range(PAGE_SIZE + 3):
        _notice(people.grid_worker.user, title=f"消息{i:03d}")
    client.force_login(people.grid_worker.user)
    first = client.get("/inbox").content.decode()
    second = client.get("/inbox?page=2").content.decode()
    assert first.count('class="notice ') == PAGE_SIZE and second.count('class="notice ') == 3
    assert "消息000" in second and "消息000" not in first


def test_it_sends_a_visitor_to_sign_in(client):
    assert client.get("/inbox")["Location"].startswith("/login")


def test_it_refuses_a_link_to_another_host(people):
    from django.core.exceptions import ValidationError

    # A tab among the slashes is dropped by browsers (WHATWG URL): /\t/evil.example is //evil.example.
    for link in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\t/evil.example/x", "/\\evil.example", "///evil.example", "cases/1"):
        with pytest.raises(ValidationError, match="本平台"):
            _notice(people.grid_worker.user, link=link)
    assert _notice(people.grid_worker.user, link="/cases/7?tab=timeline#moves").link == "/cases/7?tab=timeline#moves"


def test_it_writes_no_notice_for_a_disabled_account(people):
    user = people.grid_worker.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert notices_create(recipient_ids=[user.pk], kind="case.alert", title="x") == []


def test_it_offers_the_inbox_to_everyone_signed_in_and_the_outbox_to_the_system_administrator(people):
    from django.contrib.auth.models import AnonymousUser

    from wangge.accounts.models import Role, User
    from wangge.core.menu import menu_for

    admin = User.objects.create(username="sysadmin", role=Role.SYSTEM_ADMIN)
    for user in (people.resident.user, people.department_handler.user, admin):
        labels = [entry.label for entry in menu_for(user)]
        assert "消息" in labels
        assert ("消息发送" in labels) == (user == admin)
    assert menu_for(AnonymousUser()) == []

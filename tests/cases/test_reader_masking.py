"""What a case tells a reader who does not work it (its reporter, a resident): the staff who
moved it by role and masked name only, and of a merge neither the number nor the page of the
case it went into, over the API and on the case's page."""

import pytest

from tests.cases.factories import case_in
from tests.cases.test_pages import _walk
from wangge.accounts.models import Role, User
from wangge.cases.models import Case
from wangge.cases.services import case_merge, case_transition
from wangge.cases.workflow import MERGED

S = Case.Status
NAMES = {"community_official": "张建华", "department_handler": "刘志强", "grid_worker": "赵丽娟"}
REPLY = "已清理完毕，现场联系人刘志强 13803711234，照片发至 liu.zq@example.com"


@pytest.fixture
def named(people):
    for persona, name in NAMES.items():
        user = getattr(people, persona).user
        user.full_name = name
        user.save(update_fields=["full_name"])
    return people


@pytest.fixture
def handled(named, department) -> Case:
    case = _walk(case_in(named, named.home_grid, reporter=named.resident.user), named, department, S.HANDLING)
    return case_transition(case=case, to=S.HANDLED, actor=named.department_handler.user, reason=REPLY)


def _page(client, user, case) -> str:
    client.force_login(user)
    answer = client.get(f"/cases/{case.pk}")
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_reporter_reads_the_staff_by_role_and_masked_name_over_the_api(api, named, handled):
    mine = api.get(f"/api/cases/{handled.pk}", token=named.resident.token).json()
    actors = [m["actor"] for m in mine["timeline"]]
    assert not any(name in str(mine) for name in NAMES.values())
    assert any(a.endswith(" 张**") for a in actors)
    assert any(a.endswith("刘**") for a in actors)
    handled_reply = next(m["reason"] for m in mine["timeline"] if m["to_status"] == S.HANDLED)
    assert "13803711234" not in handled_reply and "138****1234" in handled_reply
    assert "liu.zq@" not in handled_reply and "l***@example.com" in handled_reply
    official = api.get(f"/api/cases/{handled.pk}", token=named.community_official.token).json()
    assert any("张建华" in (m["actor"] or "") for m in official["timeline"])
    assert REPLY in [m["reason"] for m in official["timeline"]]


def test_the_reporter_reads_the_staff_masked_on_the_case_page(client, named, handled):
    mine = _page(client, named.resident.user, handled)
    assert not any(name in mine for name in NAMES.values())
    assert "刘**" in mine and "13803711234" not in mine
    staff = _page(client, named.department_handler.user, handled)
    assert "张建华" in staff and "刘志强" in staff


def test_a_merged_duplicate_names_the_other_case_only_to_who_may_read_it(api, client, named):
    other = case_in(named, named.home_grid)  # the grid worker's report: the resident may not read it
    mine = case_in(named, named.home_grid, reporter=named.resident.user)
    case_merge(case=mine, into=other, actor=named.community_official.user)

    read = api.get(f"/api/cases/{mine.pk}", token=named.resident.token).json()
    assert read["merged"] is True and read["duplicate_of"] is None
    assert other.number not in str(read) and any(MERGED in m["reason"] for m in read["timeline"])
    listed = api.get("/api/cases", token=named.resident.token).json()["items"]
    assert other.number not in str(listed) and other.pk not in [c["id"] for c in listed]
    page = _page(client, named.resident.user, mine)
    assert other.number not in page and f"/cases/{other.pk}" not in page
    assert MERGED in page and "当前进度：已上报" in page
    assert client.get(f"/cases/{other.pk}").status_code == 404

    official = api.get(f"/api/cases/{mine.pk}", token=named.community_official.token).json()
    assert official["duplicate_of"] == other.number and other.number in str(official["timeline"])
    assert f'href="/cases/{other.pk}"' in _page(client, named.community_official.user, mine)


def test_the_reporter_of_the_kept_case_is_not_told_the_numbers_merged_into_it(client, named):
    kept = case_in(named, named.home_grid, reporter=named.resident.user)
    neighbour = User.objects.create(username="neighbour", full_name="王建国", role=Role.RESIDENT)
    theirs = case_in(named, named.home_grid, reporter=neighbour)
    case_merge(case=theirs, into=kept, actor=named.community_official.user)
    assert theirs.number not in _page(client, named.resident.user, kept)
    assert theirs.number in _page(client, named.community_official.user, kept)

"""Finding a case in the queues and the list: by receipt number (or its beginning), address
words, the reporter's name or whole mobile; never beyond what the caller may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.factories import case_in
from tests.people.ids import id_number
from wangge.accounts.models import Role, User
from wangge.cases import selectors
from wangge.cases.models import Case
from wangge.cases.services import SEARCH_LIMITED, SEARCHES_PER_HOUR, case_transition
from wangge.core.models import AuditRecord
from wangge.geo.scope import Scope
from wangge.people.services.persons import person_find_or_create

MOBILE = "13812345678"


def resident(username: str, full_name: str, mobile: str = "") -> User:
    """A resident's account, with the person the registry keeps for it (and their mobile)."""
    user = User.objects.create(username=username, full_name=full_name, role=Role.RESIDENT)
    person = person_find_or_create(scope=Scope.district(), id_number=id_number(), name=full_name)
    person.user, person.phone = user, mobile
    person.save(update_fields=["user", "phone"])
    return user


def reported(people, grid, *, address: str = "", reporter=None, hours_ago: int = 0) -> Case:
    case = case_in(people, grid, reporter=reporter)
    Case.objects.filter(pk=case.pk).update(address=address, reported_at=timezone.now() - timedelta(hours=hours_ago))
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(people):
    reporter = resident("zhang", "张建国", MOBILE)
    return {
        "home": reported(people, people.home_grid, address="顺河路 12 号院东门", reporter=reporter),
        "home_other": reported(people, people.home_grid, address="城东路 3 号", hours_ago=2),
        # The same address words and the same reporter, in a grid the community official does not keep.
        "away": reported(people, people.other_grid, address="顺河路 12 号院西门", reporter=reporter, hours_ago=1),
    }


def found(user, q: str) -> set[int]:
    return set(selectors.case_search(selectors.case_list(user), q).values_list("pk", flat=True))


def test_it_finds_a_case_by_its_whole_receipt_number_or_its_beginning(people, cases):
    official, home = people.community_official.user, cases["home"]
    assert found(official, home.number) == {home.pk}
    assert found(official, home.number.lower()) == {home.pk}
    assert found(official, home.number[:10]) == {home.pk, cases["home_other"].pk}


def test_it_finds_cases_whose_address_holds_every_word(people, cases):
    official = people.community_official.user
    assert found(official, "顺河路 东门") == {cases["home"].pk}
    assert found(official, "城东路") == {cases["home_other"].pk}
    assert found(official, "顺河路 北门") == set()


def test_it_finds_a_reporter_by_name_and_by_whole_mobile_only(people, cases):
    official = people.community_official.user
    assert found(official, "张建国") == {cases["home"].pk}
    assert found(official, MOBILE) == {cases["home"].pk}
    assert found(official, "13812345679") == set()  # one digit off
    assert found(official, MOBILE[:7]) == set()  # never a part of a mobile


def test_a_search_never_reaches_beyond_the_scope(people, cases):
    official, away = people.community_official.user, cases["away"]
    for q in (away.number, "西门", MOBILE, "张建国"):
        assert away.pk not in found(official, q)
    assert found(official, away.number) == set()
    # The district official keeps both grids and finds both.
    assert found(people.district_official.user, "顺河路 12") == {cases["home"].pk, away.pk}


def test_newest_first_orders_by_status_then_newest_report(people, cases):
    official = people.district_official.user
    case_transition(case=cases["home_other"], to=Case.Status.ACCEPTED, actor=official)
    listed = list(selectors.case_sorted(selectors.case_list(official), "newest", timezone.now()).values_list("pk", "status"))
    statuses = [status for _, status in listed]
    assert statuses == sorted(statuses, key=Case.Status.values.index)
    reported_now = [pk for pk, status in listed if status == Case.Status.REPORTED]
    assert reported_now == [cases["home"].pk, cases["away"].pk]
    oldest = list(selectors.case_sorted(selectors.case_list(official), "oldest", timezone.now()).filter(status=Case.Status.REPORTED).values_list("pk", flat=True))
    assert oldest == list(reversed(reported_now))


# Over real HTTP: the list API takes q and sort and names a bad one.

def test_the_list_api_searches_within_the_scope(api, people, cases):
    token = people.community_official.token
    answer = api.get("/api/cases", token=token, params={"q": cases["away"].number})
    assert answer.status_code == 200 and answer.json() == {"items": [], "count": 0}
    answer = api.get("/api/cases", token=token, params={"q": MOBILE})
    assert [c["number"] for c in answer.json()["items"]] == [cases["home"].number]
    answer = api.get("/api/cases", token=people.district_official.token, params={"q": "顺河路", "sort": "oldest"})
    assert [c["number"] for c in answer.json()["items"]] == [cases["away"].number, cases["home"].number]


@pytest.mark.parametrize(("params", "field"), [({"sort": "biggest"}, "sort"), ({"q": "路" * 61}, "q")])
def test_the_list_api_refuses_a_bad_search_naming_the_field(api, people, params, field):
    answer = api.get("/api/cases", token=people.community_official.token, params=params)
    assert answer.status_code == 400, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert answer.json()["errors"][0]["reason"].startswith(("未知的排序", "搜索词不能超过"))


# The pages: the same search in each queue.

def test_the_dispatch_queue_searches_and_says_nothing_of_a_case_out_of_scope(client, people, cases):
    client.force_login(people.community_official.user)
    page = client.get("/cases/dispatch", {"q": "顺河路"}).content.decode()
    assert f'id="case-{cases["home"].pk}"' in page and f'id="case-{cases["home_other"].pk}"' not in page
    page = client.get("/cases/dispatch", {"q": cases["away"].number}).content.decode()
    assert f'id="case-{cases["away"].pk}"' not in page and "没有符合" in page
    assert "西门" not in page


def test_the_dispatch_queue_refuses_an_unknown_sort_naming_it(client, people, cases):
    client.force_login(people.community_official.user)
    response = client.get("/cases/dispatch", {"sort": "bogus"})
    assert response.status_code == 400 and "排序：未知的排序" in response.content.decode()
    assert cases["home"].number not in response.content.decode()


def test_the_grid_workers_list_searches_their_grid(client, people, cases):
    client.force_login(people.grid_worker.user)
    page = client.get("/cases/grid", {"q": "城东路"}).content.decode()
    assert f'/cases/{cases["home_other"].pk}"' in page and f'/cases/{cases["home"].pk}"' not in page


def test_the_department_queue_searches_its_own_cases(client, people, department, cases):
    official = people.district_official.user
    for case in (cases["home"], cases["home_other"]):
        case = case_transition(case=case, to=Case.Status.ACCEPTED, actor=official)
        case_transition(case=case, to=Case.Status.DISPATCHED, actor=official, department=department)
    client.force_login(people.department_handler.user)
    page = client.get("/cases/department", {"q": "东门"}).content.decode()
    assert f'id="case-{cases["home"].pk}"' in page and f'id="case-{cases["home_other"].pk}"' not in page
    # Not dispatched to the department: not found, whatever the words.
    page = client.get("/cases/department", {"q": cases["away"].number}).content.decode()
    assert f'id="case-{cases["away"].pk}"' not in page and "西门" not in page


def test_a_search_by_mobile_is_audited_with_the_number_masked(api, client, people, cases):
    api.get("/api/cases", token=people.community_official.token, params={"q": MOBILE})
    client.force_login(people.grid_worker.user)
    client.get("/cases/grid", {"q": MOBILE})
    client.get("/cases/grid", {"q": "城东路"})  # words: counted, not audited
    rows = list(AuditRecord.objects.filter(action="cases.search.mobile").order_by("id"))
    assert [r.username for r in rows] == ["community_official", "grid_worker"]
    assert all("138****5678" in r.detail and MOBILE not in str((r.detail, r.before, r.after)) for r in rows)


def test_searches_past_the_hourly_limit_answer_429_in_chinese_per_account(api, client, people, cases):
    token = people.community_official.token
    for n in range(SEARCHES_PER_HOUR):
        assert api.get("/api/cases", token=token, params={"q": f"路{n}"}).status_code == 200
    limited = api.get("/api/cases", token=token, params={"q": "顺河路"})
    assert limited.status_code == 429 and limited.json()["detail"] == SEARCH_LIMITED
    assert limited.json()["errors"] == [{"field": "q", "reason": SEARCH_LIMITED}]
    assert api.get("/api/cases", token=token).status_code == 200  # the list without search words still answers
    client.force_login(people.community_official.user)
    page = client.get("/cases/dispatch", {"q": "顺河路"})
    assert page.status_code == 429 and SEARCH_LIMITED in page.content.decode() and cases["home"].number not in page.content.decode()
    other = api.get("/api/cases", token=people.district_official.token, params={"q": "顺河路"})
    assert other.status_code == 200  # another account's hour is its own

"""The back-office pages of the closed loop: the three queues and a case's page, through the
Django test client with the named personas. The forms a page offers are compared with what the
service itself accepts, so a page can never offer a move the service would refuse."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tests.cases.factories import case_in, point_in
from wangge.cases.escalation import escalate
from wangge.cases.models import Case, Category, Summons
from wangge.cases.permissions import can_report, moves_for
from wangge.cases.services import case_report, case_transition
from wangge.core import pii

S = Case.Status
PERSONAS = ("district_official", "subdistrict_official", "community_official", "grid_worker", "other_grid_worker", "department_handler", "resident")
MOVE = re.compile(r'data-move="(\w+)"')


def _as(client, person):
    client.force_login(person.user)
    return client


def _moves_on(html: str, case: Case) -> set[str]:
    """The moves offered in the row (or page) of one case."""
    return set(MOVE.findall(html))


def _walk(case, people, department, to):
    """Move a case along the main path up to status `to`."""
    d, h, w = people.community_official.user, people.department_handler.user, people.grid_worker.user
    path = [(S.ACCEPTED, d, {}), (S.DISPATCHED, d, {"department": department}), (S.HANDLING, h, {}), (S.HANDLED, h, {}), (S.VERIFIED, w, {}), (S.CLOSED, d, {})]
    for status, actor, extra in path:
        if case.status == to:
            break
        case = case_transition(case=case, to=status, actor=actor, **extra)
    return case


def _accepted_by_service(case, user, department) -> set[str]:
    """Every status the service lets this user move the case to now, each tried and rolled back."""
    accepted = set()
    for to in S.values:
        try:
            with transaction.atomic():
                case_transition(case=case, to=to, actor=user, reason="核对", department=department)
                accepted.add(to)
                transaction.set_rollback(True)
        except (ValidationError, PermissionDenied):
            pass
    return accepted


@pytest.mark.parametrize("stage", [S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.HANDLING, S.HANDLED, S.VERIFIED, S.CLOSED])
def test_it_offers_each_role_exactly_the_moves_the_service_accepts(client, people, department, stage):
    case = _walk(case_in(people, people.home_grid), people, department, stage)
    offered_somewhere = False
    for name in PERSONAS:
        user = getattr(people, name).user
        expected = _accepted_by_service(case, user, department)
        assert set(moves_for(user, case)) == expected, (stage, name)
        response = _as(client, getattr(people, name)).get(f"/cases/{case.pk}")
        if response.status_code == 404:
            assert not expected, (stage, name)
            continue
        assert _moves_on(response.content.decode(), case) == expected, (stage, name)
        offered_somewhere |= bool(expected)
    assert offered_somewhere


def test_it_shows_an_official_only_the_cases_in_scope(client, people):
    home, other = case_in(people, people.home_grid), case_in(people, people.other_grid)
    page = _as(client, people.community_official).get("/cases/dispatch").content.decode()
    assert home.number in page and other.number not in page
    page = _as(client, people.district_official).get("/cases/dispatch").content.decode()
    assert home.number in page and other.number in page
    # A grid filter naming a grid out of scope shows nothing of it either.
    page = _as(client, people.community_official).get(f"/cases/dispatch?grid={people.other_grid.code}").content.decode()
    assert other.number not in page


def test_it_refuses_the_queues_to_other_roles(client, people, department):
    assert _as(client, people.grid_worker).get("/cases/dispatch").status_code == 403
    assert _as(client, people.resident).get("/cases/department").status_code == 403
    assert _as(client, people.community_official).get("/cases/grid").status_code == 403
    assert client.logout() is None and client.get("/cases/dispatch").status_code == 302


def test_it_counts_each_status_from_the_data_and_filters_by_it(client, people, department):
    cases = [case_in(people, people.home_grid, client_id=f"c{i}") for i in range(3)]
    _walk(cases[0], people, department, S.ACCEPTED)
    _walk(cases[1], people, department, S.VERIFIED)
    page = _as(client, people.community_official).get("/cases/dispatch").content.decode()
    scoped = Case.objects.filter(grid_code__startswith=people.community_official.user.scope_code)
    for status in (S.REPORTED, S.ACCEPTED, S.VERIFIED):
        count = re.search(rf'data-status="{status}">[^<]*<strong class="count">(\d+)</strong>', page)[1]
        assert int(count) == scoped.filter(status=status, duplicate_of__isnull=True).count() >= 1
    filtered = client.get("/cases/dispatch?status=verified").content.decode()
    assert cases[1].number in filtered and cases[0].number not in filtered and cases[2].number not in filtered


def test_it_lists_overdue_cases_first_in_red_with_how_long(client, people):
    early, late = case_in(people, people.home_grid, client_id="early"), case_in(people, people.home_grid, client_id="late")
    Case.objects.filter(pk=late.pk).update(deadline_at=timezone.now() - timedelta(hours=5, minutes=3))
    page = _as(client, people.community_official).get("/cases/dispatch").content.decode()
    assert page.index(late.number) < page.index(early.number)
    row = re.search(rf'<tr id="case-{late.pk}"[^>]*>', page)[0]
    assert "is-overdue" in row and "超时 5 小时" in page


def test_it_accepts_and_dispatches_by_posting_the_queue_forms(client, people, department):
    case = case_in(people, people.home_grid)
    official = _as(client, people.community_official)
    response = official.post("/cases/dispatch?category=exposed_garbage", {"case": case.pk, "action": "move", "to": "accepted"})
    assert response.status_code == 302 and response["Location"] == "/cases/dispatch?category=exposed_garbage"
    assert Case.objects.get(pk=case.pk).status == S.ACCEPTED
    official.post("/cases/dispatch", {"case": case.pk, "action": "move", "to": "dispatched", "department": department.code})
    case.refresh_from_db()
    assert case.status == S.DISPATCHED and case.department == department
    assert "已转为「已派遣」" in official.get("/cases/dispatch").content.decode()


def test_it_shows_the_chinese_error_for_an_illegal_move_and_changes_nothing(client, people, department):
    case = case_in(people, people.home_grid)
    official = _as(client, people.community_official)
    response = official.post("/cases/dispatch", {"case": case.pk, "action": "move", "to": "closed"})
    assert response.status_code == 400 and "不能从「已上报」转为「已结案」" in response.content.decode()
    response = official.post("/cases/dispatch", {"case": case.pk, "action": "move", "to": "rejected", "reason": " "})
    assert response.status_code == 400 and "原因：此操作须说明原因" in response.content.decode()
    response = official.post("/cases/dispatch", {"case": case.pk, "action": "move", "to": "accepted", "department": "nowhere"})
    assert response.status_code == 400 and "承办部门：未知的部门：nowhere" in response.content.decode()
    response = _as(client, people.grid_worker).post(f"/cases/{case.pk}", {"action": "move", "to": "accepted"})
    assert response.status_code == 400 and "只有负责该网格的干部（派遣员）可以将事件转为「已立案待派遣」" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == S.REPORTED and case.transitions.count() == 1


def test_it_answers_a_post_on_a_case_out_of_scope_as_missing(client, people):
    case = case_in(people, people.other_grid)
    response = _as(client, people.community_official).post("/cases/dispatch", {"case": case.pk, "action": "move", "to": "accepted"})
    assert response.status_code == 404 and Case.objects.get(pk=case.pk).status == S.REPORTED


def test_it_offers_to_merge_a_duplicate_near_it(client, people):
    first = case_in(people, people.home_grid, client_id="first")
    second = case_in(people, people.home_grid, client_id="second")
    official = _as(client, people.community_official)
    page = official.get("/cases/dispatch").content.decode()
    row = page[page.index(f'id="case-{second.pk}"'):]
    assert f'data-into="{first.number}"' in row[: row.index("</tr>")]
    official.post("/cases/dispatch", {"case": second.pk, "action": "merge", "into": first.pk})
    second.refresh_from_db()
    assert second.duplicate_of == first and second.status == S.CLOSED
    assert f'id="case-{second.pk}"' not in official.get("/cases/dispatch").content.decode()


def test_it_gives_the_department_its_cases_and_its_summonses_to_report_in(client, people, department):
    case = _walk(case_in(people, people.home_grid), people, department, S.DISPATCHED)
    other = case_in(people, people.home_grid, client_id="not-dispatched")
    escalate(now=case.deadline_at + timedelta(minutes=1))
    escalate(now=case.deadline_at + timedelta(days=30))
    summons = Summons.objects.get(escalation__case=case, department=department)
    handler = _as(client, people.department_handler)
    page = handler.get("/cases/department").content.decode()
    assert case.number in page and other.number not in page and f'id="summons-{summons.pk}"' in page
    assert _moves_on(page, case) == {S.HANDLING, S.ACCEPTED}
    handler.post("/cases/department", {"action": "summons", "summons": summons.pk})
    summons.refresh_from_db()
    assert summons.reported_at is not None
    assert f'id="summons-{summons.pk}"' not in handler.get("/cases/department").content.decode()
    handler.post("/cases/department", {"case": case.pk, "action": "move", "to": "handling"})
    response = handler.post("/cases/department", {"case": case.pk, "action": "move", "to": "handled", "reason": "已清运"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.HANDLED and case.transitions.last().reason == "已清运"


def test_it_lists_a_grid_workers_cases_to_verify_first(client, people, department):
    opened = case_in(people, people.home_grid, client_id="open")
    handled = _walk(case_in(people, people.home_grid, client_id="handled"), people, department, S.HANDLED)
    closed = _walk(case_in(people, people.home_grid, client_id="closed"), people, department, S.CLOSED)
    elsewhere = case_in(people, people.other_grid)
    worker = _as(client, people.grid_worker)
    page = worker.get("/cases/grid").content.decode()
    assert page.index(handled.number) < page.index(opened.number) < page.index(closed.number)
    assert elsewhere.number not in page and 'href="/report"' in page
    response = worker.post("/cases/grid", {"case": handled.pk, "action": "move", "to": "handling"})
    assert response.status_code == 400 and "原因：此操作须说明原因" in response.content.decode()
    worker.post("/cases/grid", {"case": handled.pk, "action": "move", "to": "verified"})
    assert Case.objects.get(pk=handled.pk).status == S.VERIFIED


def test_the_case_page_shows_the_timeline_the_map_and_a_masked_resident(client, people, department):
    lon, lat = point_in(people.home_grid)
    case, _ = case_report(reporter=people.resident.user, category=Category.objects.get(code="exposed_garbage"), description="楼下垃圾堆放", lon=lon, lat=lat)
    case = _walk(case, people, department, S.CLOSED)
    page = _as(client, people.community_official).get(f"/cases/{case.pk}").content.decode()
    assert page.count('<tr class="move') == case.transitions.count() == 7
    for label in ("已上报", "已上报 → <span class=\"to\">已立案待派遣", "已核查 → <span class=\"to\">已结案"):
        assert label in page
    assert "community_official（社区干部）" in page
    assert re.search(r'id="case-reporter">([^<]*)<', page)[1] == f"居民 {pii.mask_name('resident')}" != "居民 resident"
    shown = json.loads(re.search(r'<script id="case-map-data" type="application/json">(.*?)</script>', page)[1])
    assert (shown["lon"], shown["lat"], shown["outline"]) == (lon, lat, people.home_grid.geometry)
    resident = _as(client, people.resident)
    page = resident.get(f"/cases/{case.pk}").content.decode()
    assert 'id="rate-form"' in page and _moves_on(page, case) == {S.ACCEPTED}
    resident.post(f"/cases/{case.pk}", {"action": "rate", "rating": "4"})
    assert Case.objects.get(pk=case.pk).rating == 4
    assert 'id="rate-form"' not in resident.get(f"/cases/{case.pk}").content.decode()


def test_it_links_each_role_to_its_own_case_pages(client, people, department):
    queues = {"community_official": {"/cases/dispatch"}, "grid_worker": {"/cases/grid"}, "department_handler": {"/cases/department"}, "resident": set()}
    links = ("/cases/dispatch", "/cases/department", "/cases/grid", "/report", "/my-reports")
    for name, queue in queues.items():
        user = getattr(people, name).user
        page = _as(client, getattr(people, name)).get("/grids").content.decode()
        nav = page[page.index('<nav class="shell-menu"'):]
        nav = nav[: nav.index("</nav>")]
        reporting = {"/report", "/my-reports"} if can_report(user) else set()
        assert {link for link in links if f'href="{link}"' in nav} == queue | reporting, name
    assert can_report(people.resident.user) and can_report(people.grid_worker.user)


def test_the_department_queue_is_paged(client, people, department, monkeypatch):
    from wangge.cases.views import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    cases = [_walk(case_in(people, people.home_grid, client_id=f"p{i}"), people, department, S.DISPATCHED) for i in range(3)]
    handler = _as(client, people.department_handler)
    first, second = (handler.get(f"/cases/department?page={n}").content.decode() for n in (1, 2))
    shown = [[c.number for c in cases if c.number in page] for page in (first, second)]
    assert sorted(shown[0] + shown[1]) == sorted(c.number for c in cases) and (len(shown[0]), len(shown[1])) == (2, 1)
    assert "第 1 / 2 页，共 3 件" in first and "page=2" in first

"""The cases' headline figures: open cases, cases closed in the last 30 days, on-time rate."""

import pytest

from tests.cases.factories import case_in
from wangge.cases.models import Case, CaseTransition, Department
from wangge.cases.services import case_transition

S = Case.Status


@pytest.fixture
def department(people):
    department = Department.objects.create(code="city_management", name="城市管理局")
    department.handlers.add(people.department_handler.user)
    return department


def _close(people, case, department):
    d, h, w = people.community_official.user, people.department_handler.user, people.grid_worker.user
    for to, who, extra in [(S.ACCEPTED, d, {}), (S.DISPATCHED, d, {"department": department}), (S.HANDLING, h, {}),
                           (S.HANDLED, h, {}), (S.VERIFIED, w, {}), (S.CLOSED, d, {})]:
        case = case_transition(case=case, to=to, actor=who, **extra)
    return case


def test_the_headline_counts_cases_and_their_timeliness(api, people, department):
    before = api.get("/api/stats/headline").json()
    assert before["cases_open"] == Case.objects.exclude(status__in=["closed", "rejected"]).count()
    open_case = case_in(people, people.home_grid)
    on_time = _close(people, case_in(people, people.home_grid), department)
    late = _close(people, case_in(people, people.home_grid), department)
    # The department took longer over handling than the deadline it was given.
    stage = late.transitions.get(to_status=S.HANDLING)
    CaseTransition.objects.filter(pk=stage.pk).update(deadline_at=stage.at)
    after = api.get("/api/stats/headline").json()
    assert after["cases_open"] == before["cases_open"] + 1
    assert after["cases_closed_last_30_days"] == before["cases_closed_last_30_days"] + 2
    assert after["on_time_rate"] == 0.5
    mine = api.get("/api/stats/headline", token=people.other_grid_worker.token).json()
    assert mine["cases_open"] == 0 and mine["on_time_rate"] is None
    assert {open_case.pk, on_time.pk, late.pk} <= set(Case.objects.values_list("pk", flat=True))

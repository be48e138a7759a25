"""A case walked through every path of the closed loop, each move recorded; illegal moves refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.cases.factories import case_in
from wangge.cases.models import Case, CaseTransition
from wangge.cases.services import case_rate, case_transition

S = Case.Status


def _move(case, to, who, **kwargs):
    return case_transition(case=case, to=to, actor=who.user, **kwargs)


def test_it_walks_a_case_from_report_to_rating(people, department):
    case = case_in(people, people.home_grid)
    assert case.number.startswith("SJ" + timezone.localdate().strftime("%Y%m%d")) and len(case.number) == 16
    assert case.deadline_at is not None  # sla.deadline_for
    d, h, w = people.community_official, people.department_handler, people.grid_worker
    for to, who, extra in [(S.ACCEPTED, d, {}), (S.DISPATCHED, d, {"department": department}), (S.HANDLING, h, {}),
                           (S.HANDLED, h, {}), (S.VERIFIED, w, {}), (S.CLOSED, d, {})]:
        case = _move(case, to, who, **extra)
    assert case.closed_at is not None and case.department == department
    case = case_rate(case=case, rating=5, actor=w.user)
    assert case.rating == 5
    moves = list(case.transitions.values_list("from_status", "to_status", "actor__username"))
    assert moves == [("", S.REPORTED, "grid_worker"), (S.REPORTED, S.ACCEPTED, "community_official"), (S.ACCEPTED, S.DISPATCHED, "community_official"),
                     (S.DISPATCHED, S.HANDLING, "department_handler"), (S.HANDLING, S.HANDLED, "department_handler"),
                     (S.HANDLED, S.VERIFIED, "grid_worker"), (S.VERIFIED, S.CLOSED, "community_official")]
    assert all(t.at is not None for t in case.transitions.all())


def test_it_rejects_with_a_reason_only(people):
    case = case_in(people, people.home_grid)
    with pytest.raises(ValidationError) as refused:
        _move(case, S.REJECTED, people.community_official)
    assert "reason" in refused.value.message_dict
    case = _move(case, S.REJECTED, people.community_official, reason="不属于受理范围")
    assert case.transitions.last().reason == "不属于受理范围"


def test_it_lets_the_department_return_and_verification_fail(people, department):
    d, h, w = people.community_official, people.department_handler, people.grid_worker
    case = _move(_move(case_in(people, people.home_grid), S.ACCEPTED, d), S.DISPATCHED, d, department=department)
    case = _move(case, S.ACCEPTED, h, reason="不属于本部门职责")
    assert case.department is None
    case = _move(case, S.DISPATCHED, d, department=department)
    case = _move(_move(_move(case, S.HANDLING, h), S.HANDLED, h), S.HANDLING, w, reason="现场仍有垃圾")
    assert case.status == S.HANDLING
    assert case.transitions.last().reason == "现场仍有垃圾"


def _closed(people, department):
    d, h, w = people.community_official, people.department_handler, people.grid_worker
    case = _move(_move(case_in(people, people.home_grid), S.ACCEPTED, d), S.DISPATCHED, d, department=department)
    return _move(_move(_move(_move(case, S.HANDLING, h), S.HANDLED, h), S.VERIFIED, w), S.CLOSED, d)


def test_it_lets_the_reporter_reopen_within_the_window_only(people, department, settings):
    case = _move(_closed(people, department), S.ACCEPTED, people.grid_worker, reason="问题再次出现")
    assert case.status == S.ACCEPTED and case.closed_at is None
    late = _closed(people, department)
    Case.objects.filter(pk=late.pk).update(closed_at=timezone.now() - timedelta(days=settings.WANGGE_CASE_REOPEN_DAYS, minutes=1))
    with pytest.raises(ValidationError) as refused:
        _move(late, S.ACCEPTED, people.grid_worker, reason="问题再次出现")
    assert "天" in refused.value.message_dict["to"][0]
    with pytest.raises(PermissionDenied):
        _move(_closed(people, department), S.ACCEPTED, people.other_grid_worker, reason="不是上报人")


@pytest.mark.parametrize(("to", "who"), [(S.CLOSED, "community_official"), (S.HANDLING, "community_official"), ("lost", "community_official")])
def test_it_refuses_illegal_moves_in_chinese_and_changes_nothing(people, to, who):
    case = case_in(people, people.home_grid)
    with pytest.raises(ValidationError) as refused:
        _move(case, to, getattr(people, who))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message_dict["to"][0])
    assert Case.objects.get(pk=case.pk).status == S.REPORTED
    assert CaseTransition.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("who", ["grid_worker", "other_grid_worker", "department_handler", "resident"])
def test_it_refuses_the_wrong_actor(people, who):
    case = case_in(people, people.home_grid)
    with pytest.raises(PermissionDenied):
        _move(case, S.ACCEPTED, getattr(people, who))
    assert Case.objects.get(pk=case.pk).status == S.REPORTED


def test_it_rates_only_closed_cases_once_by_the_reporter(people, department):
    open_case = case_in(people, people.home_grid)
    with pytest.raises(ValidationError):
        case_rate(case=open_case, rating=4, actor=people.grid_worker.user)
    case = _closed(people, department)
    with pytest.raises(PermissionDenied):
        case_rate(case=case, rating=4, actor=people.community_official.user)
    with pytest.raises(ValidationError):
        case_rate(case=case, rating=6, actor=people.grid_worker.user)
    case_rate(case=case, rating=4, actor=people.grid_worker.user)
    with pytest.raises(ValidationError):
        case_rate(case=case, rating=5, actor=people.grid_worker.user)


def test_it_keeps_reporter_and_client_id_unique(people):
    first = case_in(people, people.home_grid, client_id="phone-1")
    again = case_in(people, people.home_grid, client_id="phone-1")
    assert again.pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(number="SJ19990101000001", reporter=first.reporter, client_id="phone-1", category=first.category,
                            description="x", lon=first.lon, lat=first.lat, reported_at=first.reported_at, status_since=first.reported_at)


def test_it_refuses_a_point_outside_every_grid(people):
    from wangge.cases.models import Category
    from wangge.cases.services import case_report

    with pytest.raises(ValidationError) as refused:
        case_report(reporter=people.grid_worker.user, category=Category.objects.get(code="exposed_garbage"), description="x", lon=100.0, lat=30.0)
    assert "网格" in refused.value.message_dict["lon"][0]


def test_it_numbers_cases_in_a_daily_sequence(people):
    numbers = [case_in(people, people.home_grid).number for _ in range(3)]
    assert [int(n[-6:]) for n in numbers] == [int(numbers[0][-6:]) + i for i in range(3)]

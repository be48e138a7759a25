"""The demo's year of cases, written in bulk, keeps every rule the case services enforce.

The cases are built once for this module on top of the session's demo district, inside a
transaction that is rolled back when the module ends, so that the rest of the suite still
starts without cases.
"""

import re
from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role
from wangge.cases import workflow
from wangge.cases.calendar import WorkCalendar, add_working_hours
from wangge.cases.models import Case, CaseTransition, Escalation, Summons
from wangge.cases.permissions import may_act
from wangge.cases.sla import deadline_for, stages_on_time
from wangge.demo.case_plan import plan_horizon
from wangge.demo.cases import demo_cases_build, demo_cases_plan
from wangge.geo.locator import locate_many

S = Case.Status
SEED, DAYS, TODAY, PER_GRID = 20250630, 60, date(2025, 6, 30), (6, 9)
NUMBER = re.compile(r"^SJ(\d{8})(\d{6})$")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_cases_build(seed=SEED, days=DAYS, today=TODAY, per_grid=PER_GRID)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def histories(built, django_db_blocker) -> dict[int, list[CaseTransition]]:
    with django_db_blocker.unblock():
        moves = defaultdict(list)
        for move in CaseTransition.objects.select_related("actor").order_by("case_id", "at", "pk"):
            moves[move.case_id].append(move)
        return dict(moves)


@pytest.fixture
def cases(db, built) -> dict[int, Case]:
    return {case.pk: case for case in Case.objects.select_related("category", "department", "reporter")}


def test_it_makes_the_cases_it_reports(cases, built):
    assert len(cases) == built["cases"] > 0
    assert sum(built["by_status"].values()) == built["cases"]
    assert CaseTransition.objects.count() == built["transitions"]
    assert set(built["by_status"]) == set(S.values) and all(n > 0 for n in built["by_status"].values())


def test_it_moves_every_case_along_a_legal_path(cases, histories):
    for pk, case in cases.items():
        moves = histories[pk]
        assert (moves[0].from_status, moves[0].to_status, moves[0].actor_id) == ("", S.REPORTED, case.reporter_id)
        for before, move in zip(moves, moves[1:], strict=False):
            assert move.from_status == before.to_status and workflow.allowed(move.from_status, move.to_status), case.number
            assert move.at >= before.at
            if (move.from_status, move.to_status) in workflow.REASON_REQUIRED:
                assert move.reason
            if (move.from_status, move.to_status) == (S.CLOSED, S.ACCEPTED):
                assert move.at - before.at <= timedelta(days=settings.WANGGE_CASE_REOPEN_DAYS)
        assert (case.status, case.status_since, case.deadline_at, case.reported_at) == (moves[-1].to_status, moves[-1].at, moves[-1].deadline_at, moves[0].at)
        assert moves[-1].at <= timezone.now()


def test_it_moves_cases_only_by_actors_the_table_allows(cases, histories):
    sample = list(cases.values())[::7]
    for case in sample:
        moves = histories[case.pk]
        last_dispatch = max(i for i, m in enumerate(moves) if m.to_status in (S.REPORTED, S.DISPATCHED))
        for i, move in enumerate(moves[1:], start=1):
            kind = workflow.actor_for(move.from_status, move.to_status)
            if kind == "department":
                assert move.actor.role == Role.DEPARTMENT_HANDLER and move.actor.departments.exists()
                if i > last_dispatch and case.department_id:  # the department it was last sent to
                    assert may_act(kind, move.actor, case), (case.number, move)
            else:
                assert may_act(kind, move.actor, case), (case.number, move)


def test_it_gives_every_stage_the_deadline_the_services_would(cases, histories):
    for case in list(cases.values())[::25]:
        for move in histories[case.pk]:
            stage = Case(category=case.category, status=move.to_status, status_since=move.at)
            assert move.deadline_at == deadline_for(stage), (case.number, move.to_status)


def test_it_places_every_case_in_its_grid(cases):
    rows = list(cases.values())
    found = locate_many(np.array([c.lon for c in rows]), np.array([c.lat for c in rows]))
    assert all(place is not None and place["grids"]["3"] == case.grid_code for case, place in zip(rows, found, strict=True))


def test_it_numbers_cases_by_day_without_gaps_or_repeats(cases):
    by_day = defaultdict(list)
    for case in cases.values():
        match = NUMBER.match(case.number)
        assert match and match[1] == f"{timezone.localdate(case.reported_at):%Y%m%d}"
        by_day[match[1]].append((case.reported_at, int(match[2])))
    for day, numbered in by_day.items():
        assert [n for _, n in sorted(numbered)] == list(range(1, len(numbered) + 1)), day


def test_it_keeps_on_time_reopens_and_ratings_as_the_services_do(cases, histories):
    for case in cases.values():
        moves = histories[case.pk]
        assert case.reopen_count == sum(1 for m in moves if (m.from_status, m.to_status) == (S.CLOSED, S.ACCEPTED))
        if case.status == S.CLOSED:
            assert case.on_time == stages_on_time((m.at, m.deadline_at) for m in moves)
            assert case.closed_at == moves[-1].at
        else:
            assert case.on_time is None and case.closed_at is None and case.rating is None
    closed = [c for c in cases.values() if c.status == S.CLOSED]
    assert sum(c.rating is not None for c in closed) > len(closed) / 2
    assert any(c.reopen_count for c in closed) and any(c.on_time is False for c in closed)


def test_it_escalates_only_overdue_stages_once(cases, histories, built):
    escalations = list(Escalation.objects.order_by("at"))
    assert len(escalations) == built["escalations"] > 0
    seen = set()
    for escalation in escalations:
        key = (escalation.case_id, escalation.level, escalation.status)
        assert key not in seen
        seen.add(key)
        stages = [m for m in histories[escalation.case_id] if m.to_status == escalation.status and m.deadline_at is not None]
        assert any(m.deadline_at < escalation.at for m in stages)
    for summons in Summons.objects.select_related("escalation")[:200]:
        assert summons.escalation.level == Escalation.Level.WHISTLE
        assert summons.due_at == add_working_hours(summons.escalation.at, settings.WANGGE_SUMMONS_HOURS)


def test_it_plans_the_same_cases_for_the_same_seed(built, db):
    first, _ = demo_cases_plan(seed=SEED, days=10, today=TODAY, per_grid=(1, 2))
    again, _ = demo_cases_plan(seed=SEED, days=10, today=TODAY, per_grid=(1, 2))
    other, _ = demo_cases_plan(seed=SEED + 1, days=10, today=TODAY, per_grid=(1, 2))
    assert first == again
    assert [(p.grid_code, p.category, p.moves[0].at) for p in first] != [(p.grid_code, p.category, p.moves[0].at) for p in other]


def _open_ages(planned, now):
    """(age, overdue) of each open case at `now`: since reported, and past its stage's deadline."""
    found = []
    for case in planned:
        if case.status in (S.CLOSED, S.REJECTED):
            continue
        deadline = case.moves[-1].deadline_at
        found.append((now - case.moves[0].at, max(timedelta(0), now - deadline) if deadline else timedelta(0)))
    return found


def test_open_cases_are_recent_and_overdue_by_hours_or_days_not_months(built, db):
    planned, _ = demo_cases_plan(seed=SEED, days=DAYS, today=TODAY, per_grid=PER_GRID)
    now = plan_horizon(TODAY, timezone.now(), WorkCalendar.load().tz)
    ages = _open_ages(planned, now)

    assert len(ages) > 50, "the demo has a queue to work"
    # Left open only when recent (10 days); a slow case still in hand may be some weeks old.
    assert max(age for age, _ in ages) <= timedelta(days=30)
    assert sum(age <= timedelta(days=10) for age, _ in ages) >= 0.9 * len(ages)
    overdue = [late for _, late in ages if late > timedelta(0)]
    assert overdue and max(overdue) <= timedelta(days=14)
    assert any(late < timedelta(days=1) for late in overdue), "some are overdue by hours"

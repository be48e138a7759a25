"""The cases' figures: the headline (open cases, cases closed in the last 30 days, on-time rate)
and the per grid and per department table, both aggregate queries over the cases' `on_time` and
`reopen_count`, which the closed loop keeps at each close and reopen."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.factories import case_in
from wangge.cases import figures, selectors
from wangge.cases.models import Case, CaseTransition
from wangge.cases.services import case_transition
from wangge.cases.workflow import OPEN

S = Case.Status


def _close(people, case, department, *, late_in=None):
    """Take a case through the closed loop; `late_in` names a stage whose deadline is set to its
    own start while the case is in it, so that leaving it is late."""
    d, h, w = people.community_official.user, people.department_handler.user, people.grid_worker.user
    for to, who, extra in [(S.ACCEPTED, d, {}), (S.DISPATCHED, d, {"department": department}), (S.HANDLING, h, {}),
                           (S.HANDLED, h, {}), (S.VERIFIED, w, {}), (S.CLOSED, d, {})]:
        case = case_transition(case=case, to=to, actor=who, **extra)
        if to == late_in:
            stage = case.transitions.get(to_status=to)
            CaseTransition.objects.filter(pk=stage.pk).update(deadline_at=stage.at - timedelta(seconds=1))
    return case


def test_the_headline_counts_cases_and_their_timeliness(api, people, department):
    before = api.get("/api/stats/headline").json()
    assert before["cases_open"] == Case.objects.exclude(status__in=["closed", "rejected"]).count()
    open_case = case_in(people, people.home_grid)
    on_time = _close(people, case_in(people, people.home_grid), department)
    late = _close(people, case_in(people, people.home_grid), department, late_in=S.HANDLING)
    assert (on_time.on_time, late.on_time) == (True, False)
    after = api.get("/api/stats/headline").json()
    assert after["cases_open"] == before["cases_open"] + 1
    assert after["cases_closed_last_30_days"] == before["cases_closed_last_30_days"] + 2
    assert after["on_time_rate"] == 0.5
    mine = api.get("/api/stats/headline", token=people.other_grid_worker.token).json()
    assert mine["cases_open"] == 0 and mine["on_time_rate"] is None
    assert {open_case.pk, on_time.pk, late.pk} <= set(Case.objects.values_list("pk", flat=True))


def test_the_headline_leaves_out_old_closes_merged_duplicates_and_other_scopes(people, department):
    from wangge.geo.scope import Scope

    grid = Scope(people.home_grid.code)
    old = _close(people, case_in(people, people.home_grid), department)
    Case.objects.filter(pk=old.pk).update(closed_at=old.closed_at - timedelta(days=figures.RECENT_DAYS + 1))
    merged = case_in(people, people.home_grid)
    Case.objects.filter(pk=merged.pk).update(duplicate_of=old)
    case_in(people, people.other_grid)
    assert figures.figures(grid) == {"cases_open": 0, "cases_closed_last_30_days": 0, "on_time_rate": None}
    assert figures.figures(Scope(None)) == {"cases_open": 0, "cases_closed_last_30_days": 0, "on_time_rate": None}
    assert figures.figures(Scope(people.other_grid.code))["cases_open"] == 1


def test_the_table_counts_reopens_hours_and_ratings_per_grid_and_department(people, department):
    closed = _close(people, case_in(people, people.home_grid), department, late_in=S.DISPATCHED)
    Case.objects.filter(pk=closed.pk).update(reported_at=closed.closed_at - timedelta(hours=30), rating=3)
    reopened = _close(people, case_in(people, people.home_grid), department)
    case_transition(case=reopened, to=S.ACCEPTED, actor=people.grid_worker.user, reason="又坏了")
    rejected = case_in(people, people.home_grid)
    case_transition(case=rejected, to=S.REJECTED, actor=people.community_official.user, reason="不属实")
    case_in(people, people.other_grid)

    table = selectors.case_figures(people.community_official.user)
    grid = next(g for g in table["grids"] if g["grid_code"] == people.home_grid.code)
    assert grid == {
        "grid_code": people.home_grid.code, "cases": 3, "open": 1, "closed": 1, "on_time_rate": 0.0, "mean_hours_to_close": 30.0,
        "reopen_rate": 0.5, "mean_satisfaction": 3.0, "ratings": 1,
    }
    assert people.other_grid.code not in {g["grid_code"] for g in table["grids"]}
    # The department sees the cases dispatched to it wherever they are, each once.
    handled = selectors.case_figures(people.department_handler.user)["departments"]
    assert [(d["department_code"], d["cases"], d["closed"], d["open"]) for d in handled] == [("city_management", 2, 1, 1)]


def test_the_open_cases_index_covers_exactly_the_open_statuses():
    index = next(i for i in Case._meta.indexes if i.name == "case_open_grid")
    assert sorted(dict(index.condition.children)["status__in"]) == sorted(OPEN)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_figures_are_served_by_the_figure_indexes(people):
    from wangge.geo.scope import Scope

    ours = ("case_open_grid", "case_closed_recent", "case_figures_cover")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is small; ask whether an index can serve at all
        # On a table this small the planner may take any other index at a tie (the duplicate search's,
        # a foreign key's) with the scope as a mere filter; those are set aside, rolled back with the
        # test, to ask whether the figure indexes serve these questions.
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = %s AND NOT i.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
            [Case._meta.db_table, list(ours)],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cases = Case.objects.filter(Scope(people.home_grid.code).q("grid_code"), duplicate_of__isnull=True).order_by()
        for query in (cases.filter(status__in=OPEN), cases.filter(status=S.CLOSED, closed_at__gte=timezone.now()), cases.values("grid_code")):
            plan = query.explain()
            assert any(name in plan for name in ours), plan

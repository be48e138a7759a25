"""The case summaries (`CaseTally`, `CaseMonth`) equal the GROUP BY over the cases they stand
for, whatever wrote the cases (services, bulk_create, queryset updates and deletes, raw SQL),
and the figures added up from them equal the figures counted from the cases.

PostgreSQL keeps them with triggers; SQLite keeps none and its figures count the cases, so the
trigger tests skip there."""

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from tests.cases.factories import case_in
from wangge.cases import selectors, summaries
from wangge.cases import selectors_figures as sf
from wangge.cases.models import Case, CaseMonth, CaseTally, Category, Department
from wangge.cases.services import case_transition
from wangge.cases.workflow import OPEN
from wangge.geo.scope import Scope

S = Case.Status
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the summaries are kept by PostgreSQL's statement-level triggers; on SQLite the figures count the cases",
)


def _nonzero(rows) -> dict:
    return {key: values for key, values in rows if any(values)}


def _measures() -> dict:
    """The tally's figures as aggregates over the cases, through the ORM."""
    closed = Q(status=S.CLOSED)
    return {
        "m_n": Count("*"), "m_open": Count("pk", filter=Q(status__in=OPEN)), "m_closed": Count("pk", filter=closed),
        "m_on_time": Count("pk", filter=closed & Q(on_time=True)), "m_reopened": Count("pk", filter=Q(reopen_count__gt=0)),
        "m_ever_closed": Count("pk", filter=closed | Q(reopen_count__gt=0)),
        "m_to_close": Sum(F("closed_at") - F("reported_at"), filter=closed & Q(closed_at__isnull=False)),
        "m_to_close_n": Count("pk", filter=closed & Q(closed_at__isnull=False)),
        "m_rating_sum": Coalesce(Sum("rating", filter=closed & Q(rating__isnull=False)), 0),
        "m_ratings": Count("pk", filter=closed & Q(rating__isnull=False)),
    }


def _values(row: dict) -> tuple:
    return tuple(row[f"m_{m}"] or (timedelta(0) if m == "to_close" else 0) for m in (
        "n", "open", "closed", "on_time", "reopened", "ever_closed", "to_close", "to_close_n", "rating_sum", "ratings"))


def _tally_counted() -> dict:
    """The tally's three families as GROUP BYs over the cases."""
    cases = Case.objects.order_by()
    unmerged = cases.filter(duplicate_of__isnull=True)
    per_grid = unmerged.values("grid_code").annotate(**_measures())
    per_department = unmerged.filter(department__isnull=False).values("grid_code", "department_id").annotate(**_measures())
    listed = cases.annotate(is_merged=Q(duplicate_of__isnull=False)).values("grid_code", "status", "category_id", "is_merged").annotate(**_measures())
    return {
        **_nonzero((("g", r["grid_code"], "", 0, 0, False), _values(r)) for r in per_grid),
        **_nonzero((("d", r["grid_code"], "", 0, r["department_id"], False), _values(r)) for r in per_department),
        **_nonzero((("l", r["grid_code"], r["status"], r["category_id"], 0, r["is_merged"]), _values(r)) for r in listed),
    }


def _tally_kept() -> dict:
    rows = CaseTally.objects.values_list("family", "grid_code", "status", "category_id", "department_id", "merged", *summaries.TALLY_MEASURES)
    return _nonzero((r[:6], (*r[6:12], timedelta(microseconds=r[12]), *r[13:])) for r in rows)


def _months_counted() -> dict:
    zone = ZoneInfo(settings.TIME_ZONE)
    cases = Case.objects.order_by().filter(duplicate_of__isnull=True)
    reported = (
        cases.annotate(m=TruncMonth("reported_at", tzinfo=zone)).values_list("m", "grid_code", "category_id")
        .annotate(n=Count("*"), still_open=Count("pk", filter=Q(status__in=OPEN)))
    )
    closed = (
        cases.filter(status=S.CLOSED, closed_at__isnull=False)
        .annotate(m=TruncMonth("closed_at", tzinfo=zone), dept=Coalesce("department_id", 0))
        .values_list("m", "grid_code", "dept").annotate(n=Count("*"), in_time=Count("pk", filter=Q(on_time=True)))
    )
    return {
        **_nonzero((("r", m.date(), code, category, 0), (n, n_open, 0)) for m, code, category, n, n_open in reported),
        **_nonzero((("c", m.date(), code, 0, dept), (n, 0, on_time)) for m, code, dept, n, on_time in closed),
    }


def _months_kept() -> dict:
    rows = CaseMonth.objects.values_list("basis", "month", "grid_code", "category_id", "department_id", *summaries.MONTH_MEASURES)
    return _nonzero((r[:5], r[5:]) for r in rows)


def _assert_summaries_true():
    assert _tally_kept() == _tally_counted()
    assert _months_kept() == _months_counted()


def _move(case, people, department, to):
    official, handler = people.district_official.user, people.department_handler.user
    worker = (people.grid_worker if case.grid_code == people.home_grid.code else people.other_grid_worker).user
    who = {S.ACCEPTED: official, S.REJECTED: official, S.DISPATCHED: official, S.HANDLING: handler, S.HANDLED: handler,
           S.VERIFIED: worker, S.CLOSED: official}[to]
    extra = {"department": department} if to == S.DISPATCHED else {}
    extra |= {"reason": "不属于受理范围"} if to == S.REJECTED else {}
    return case_transition(case=case, to=to, actor=who, **extra)


@postgresql_only
def test_it_keeps_the_summaries_true_through_every_kind_of_write(people, department):
    """The demo's year of cases first (written before this test by the demo builder), then
    random writes of every kind, checked along the way."""
    _assert_summaries_true()
    rng = random.Random(16)
    categories = list(Category.objects.values_list("pk", flat=True)[:5])
    other = Department.objects.create(code="water", name="水务局")
    grids = [people.home_grid, people.other_grid]
    made = [case_in(people, grids[i % 2], reporter=people.grid_worker.user) for i in range(12)]
    walk = [S.ACCEPTED, S.DISPATCHED, S.HANDLING, S.HANDLED, S.VERIFIED, S.CLOSED]
    for case in made[:8]:  # status moves through the services, some to the end
        for to in walk[: rng.randint(1, len(walk))]:
            case = _move(case, people, department, to)
    _move(made[8], people, department, S.REJECTED)
    _assert_summaries_true()

    now = timezone.now()
    ids = [c.pk for c in made]
    Case.objects.filter(pk=ids[0]).update(category_id=categories[1], grid_code=people.other_grid.code)  # a queryset update
    Case.objects.filter(pk__in=ids[1:3]).update(department=other, rating=4, reopen_count=F("reopen_count") + 1)
    Case.objects.filter(pk=ids[3]).update(duplicate_of_id=ids[4])  # merged into another
    Case.objects.filter(pk=ids[5]).update(reported_at=now - timedelta(days=200), closed_at=now - timedelta(days=170))
    template = Case.objects.get(pk=ids[6])
    fresh = [
        Case(number=f"BULK{i:06d}", reporter=people.grid_worker.user, category_id=rng.choice(categories), description="批量", lon=template.lon,
             lat=template.lat, grid_code=rng.choice(grids).code, status=rng.choice([S.REPORTED, S.CLOSED, S.HANDLING]),
             department=rng.choice([None, department, other]), reported_at=now - timedelta(days=rng.randint(0, 400)), status_since=now,
             closed_at=now - timedelta(hours=rng.randint(1, 300)), rating=rng.choice([None, 1, 5]), on_time=rng.choice([None, True, False]))
        for i in range(40)
    ]
    Case.objects.bulk_create(fresh)
    _assert_summaries_true()

    with connection.cursor() as cursor:  # raw SQL, as a repair script or a restore would write
        cursor.execute("UPDATE cases_case SET status = 'closed', on_time = NOT coalesce(on_time, false), closed_at = reported_at + interval '7 hours' "
                       "WHERE number LIKE 'BULK%%' AND mod(id, 3) = 0")
        cursor.execute("UPDATE cases_case SET description = '只改描述' WHERE number LIKE 'BULK%%'")
        cursor.execute("INSERT INTO cases_case (number, reporter_id, client_id, category_id, description, lon, lat, address, grid_code, status, "
                       "reported_at, status_since, reopen_count) SELECT 'RAW' || g, %s, '', %s, '原始', 113.6, 34.7, '', %s, 'reported', now(), now(), 0 "
                       "FROM generate_series(1, 5) AS g", [people.grid_worker.user.pk, categories[0], people.home_grid.code])
    Case.objects.filter(number__startswith="BULK", status=S.REPORTED).delete()  # a queryset delete
    Case.objects.get(pk=ids[9]).delete()  # a model delete
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_case WHERE number LIKE 'RAW%%' AND number <> 'RAW1'")
    _assert_summaries_true()


@postgresql_only
def test_the_rebuild_command_recounts_summaries_gone_wrong(people):
    case_in(people, people.home_grid)
    CaseTally.objects.filter(grid_code=people.home_grid.code).update(n=F("n") + 7)
    CaseMonth.objects.filter(pk__in=list(CaseMonth.objects.values_list("pk", flat=True)[:3])).delete()
    assert _tally_kept() != _tally_counted()
    call_command("cases", "summaries", "rebuild")
    _assert_summaries_true()
    case_in(people, people.other_grid)  # the triggers still keep them afterwards
    _assert_summaries_true()


@postgresql_only
def test_the_figures_added_up_from_the_summaries_equal_those_counted(people, department):
    for i in range(6):
        case = case_in(people, people.home_grid if i % 2 else people.other_grid)
        for to in [S.ACCEPTED, S.DISPATCHED, S.HANDLING, S.HANDLED, S.VERIFIED, S.CLOSED][: i + 1]:
            case = _move(case, people, department, to)
    department.handlers.add(people.community_official.user)  # a department beyond the official's scope
    scopes = [Scope.district(), Scope(people.home_grid.code[:9]), Scope(people.home_grid.code), Scope(None)]
    for scope in scopes:
        for chart in (sf.cases_by_category, sf.cases_by_month, sf.on_time_by_department):
            assert chart(scope, summed=True) == chart(scope, summed=False), (chart.__name__, scope)
    assert sf.cases_by_month(Scope.district(), summed=True)[-1][1] > 0  # the figures are not empty
    for person in (people.district_official, people.subdistrict_official, people.community_official, people.grid_worker, people.resident):
        counted = selectors.case_figures(person.user, summed=False)
        assert selectors.case_figures(person.user, summed=True) == counted, person.user.username
    assert selectors.case_figures(people.district_official.user)["departments"]


def test_sqlite_counts_the_cases_and_keeps_no_summary(people):
    """Where no trigger keeps them, nothing reads them: the figures are the cases' own."""
    if connection.vendor == "postgresql":
        assert summaries.in_use()
        return
    assert not summaries.in_use()
    case_in(people, people.home_grid)
    assert not CaseTally.objects.exists() and not CaseMonth.objects.exists()
    assert sf.cases_by_month(Scope.district()) == sf.cases_by_month(Scope.district(), summed=False)
    assert sf.cases_by_month(Scope.district())[-1][1] >= 1


@postgresql_only
def test_the_case_lists_count_from_the_summary_equals_the_cases_listed(api, people, department):
    mine = case_in(people, people.home_grid)
    _move(_move(mine, people, department, S.ACCEPTED), people, department, S.DISPATCHED)
    case_in(people, people.other_grid, reporter=people.resident.user)  # the resident's own report, beyond any scope of theirs
    garbage = Category.objects.get(code="exposed_garbage")
    for person in (people.district_official, people.community_official, people.department_handler, people.resident, people.other_grid_worker):
        for filters in ({}, {"status": S.DISPATCHED}, {"grid": people.home_grid.code}, {"category": garbage}, {"status": S.CLOSED, "category": garbage}):
            listed = selectors.case_list(person.user).filter(**{
                {"grid": "grid_code"}.get(k, k): v for k, v in filters.items()}).count()
            assert selectors.case_list_count(person.user, **filters) == listed, (person.user.username, filters)
        answer = api.get("/api/cases?status=dispatched&category=exposed_garbage&limit=1", token=person.token).json()
        assert answer["count"] == selectors.case_list(person.user).filter(status=S.DISPATCHED, category=garbage).count()
    assert api.get("/api/cases?category=no_such_kind", token=people.district_official.token).json()["count"] == 0

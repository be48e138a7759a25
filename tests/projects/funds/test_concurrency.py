"""Payments at the same moment on PostgreSQL: none overspends, none is lost, no two deadlock.

The test server answers one request at a time, so the race is run against the service from many
threads, each with its own connection, outside any test transaction (the benchmark
`bench_disbursements.py` runs it over HTTP under gunicorn)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from tests.projects.funds import making
from tests.races import race
from wangge.geo.models import Division
from wangge.projects.funds import services
from wangge.projects.models import Allocation, BudgetLine, Disbursement, Project

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's IMMEDIATE transactions serialise writers; the race exists on PostgreSQL")

YEAR = 2031  # a year nothing else allocates, since these rows are committed


def _cleanup(community: str) -> None:
    Disbursement.objects.filter(year=YEAR, community_code=community).delete()
    BudgetLine.objects.filter(project__year=YEAR, project__community_code=community).delete()
    Project.objects.filter(year=YEAR, community_code=community).delete()
    Allocation.objects.filter(year=YEAR, community_code=community).delete()


@pytest.fixture
def line(django_db_setup, django_db_blocker):
    """A committed line of 10,000 fen of an implementing project, removed again afterwards."""
    with django_db_blocker.unblock():
        community = Division.objects.filter(kind=Division.Kind.COMMUNITY).order_by("code").first().code
        _cleanup(community)
        try:
            yield _funded(community, 10_000)
        finally:
            _cleanup(community)


def _funded(community: str, budget_fen: int) -> BudgetLine:
    services.allocation_set(actor=None, community_code=community, year=YEAR, source="community_service", amount_fen=budget_fen)
    project = making.project(community, year=YEAR)
    line = services.budget_line_set(actor=None, project=project, source="community_service", amount_fen=budget_fen)
    Project.objects.filter(pk=project.pk).update(status="implementing")
    project.refresh_from_db()
    line.project = project
    return line


def _books_balance(line: BudgetLine) -> int:
    """The line's and the allocation's counters both equal the sum of the payments kept."""
    line.refresh_from_db()
    allocation = Allocation.objects.get(community_code=line.project.community_code, year=YEAR, source=line.source)
    kept = Disbursement.objects.filter(line=line, reversed_at__isnull=True).aggregate(total=Sum("amount_fen"))["total"] or 0
    assert line.spent_fen == allocation.spent_fen == kept <= line.amount_fen
    return kept


def test_forty_payments_at_once_spend_the_budget_exactly_and_no_more(line):
    answers = race([lambda i=i: making.pay(line, 300, invoice=f"RACE-{i}") for i in range(40)])
    paid = [a for a in answers if isinstance(a, Disbursement)]
    refused = [a for a in answers if not isinstance(a, Disbursement)]
    assert len(paid) == 33 and len(refused) == 7  # 33 x 300 = 9,900 of 10,000
    assert all(isinstance(r, ValidationError) and r.message_dict["amount_fen"][0].startswith("超出该来源预算") for r in refused), refused
    assert set(Disbursement.objects.filter(line=line).values_list("pk", flat=True)) == {d.pk for d in paid}  # none lost
    assert _books_balance(line) == 9_900


def test_payments_and_reversals_at_once_keep_the_books_and_never_deadlock(line):
    earlier = [making.pay(line, 1_000, invoice=f"OLD-{i}") for i in range(5)]
    reversals = [lambda d=d: services.disbursement_reverse(actor=None, disbursement=d, reason="冲销重录") for d in earlier]
    payments = [lambda i=i: making.pay(line, 300, invoice=f"NEW-{i}") for i in range(30)]
    answers = race(reversals + payments)
    failures = [a for a in answers if isinstance(a, Exception)]
    assert all(isinstance(f, ValidationError) and f.message_dict["amount_fen"][0].startswith("超出该来源预算") for f in failures), failures
    assert Disbursement.objects.filter(line=line, reversed_at__isnull=False).count() == 5
    kept = _books_balance(line)
    assert kept == 300 * (30 - len(failures)) and 5_000 // 300 <= 30 - len(failures)

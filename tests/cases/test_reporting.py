"""What a report is given: its receipt number, and the few nearest open cases it may repeat."""

import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.factories import case_in, point_in
from wangge.cases.models import Case, Category
from wangge.cases.services import (
    DUPLICATES_OFFERED,
    RECEIPT_SEQUENCE,
    case_duplicates_near,
    case_report,
)


def _today() -> str:
    return "SJ" + timezone.localdate().strftime("%Y%m%d")


def _occupy(model_case: Case, numbers: list[str]) -> None:
    """Cases with these numbers, written otherwise than by a report (as the demo writes them)."""
    for n, number in enumerate(numbers):
        Case.objects.create(
            number=number, reporter=model_case.reporter, client_id=f"occupied-{n}", category=model_case.category, description="占号",
            lon=model_case.lon, lat=model_case.lat, grid_code=model_case.grid_code, reported_at=model_case.reported_at, status_since=model_case.reported_at,
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sequence is PostgreSQL's")
def test_on_postgresql_numbers_come_from_the_sequence_and_pass_over_numbers_taken_otherwise(people):
    first = case_in(people, people.home_grid, client_id="seq-1")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {RECEIPT_SEQUENCE}")
        last = cursor.fetchone()[0]
    assert first.number == f"{_today()}{last % 1_000_000:06d}"
    taken = [f"{_today()}{(last + k) % 1_000_000:06d}" for k in (1, 2, 3)]
    _occupy(first, taken)

    second = case_in(people, people.home_grid, client_id="seq-2")
    assert second.number.startswith(_today()) and len(second.number) == 16 and second.number not in taken
    assert int(second.number[-6:]) > int(taken[-1][-6:])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite numbers each day from its highest")
def test_on_sqlite_a_number_follows_the_days_highest(people):
    first = case_in(people, people.home_grid, client_id="day-1")
    _occupy(first, [f"{_today()}000041"])
    assert case_in(people, people.home_grid, client_id="day-2").number == f"{_today()}000042"


def test_only_the_nearest_few_open_cases_are_offered_nearest_first(people):
    lon, lat = point_in(people.home_grid)
    category = Category.objects.get(code="manhole_cover")
    reporter = people.grid_worker.user
    made = []
    for metres in (40, 5, 30, 10, 25, 15, 20):
        case, _ = case_report(reporter=reporter, category=category, description=f"{metres} 米外", lon=lon, lat=lat + metres / 111_000)
        made.append((metres, case.pk))

    near = case_duplicates_near(category=category, lon=lon, lat=lat)
    assert len(near) == DUPLICATES_OFFERED == 5
    assert [pk for _, pk in sorted(made)][:5] == [c.pk for c, _ in near]
    assert [round(m) for _, m in near] == [5, 10, 15, 20, 25]

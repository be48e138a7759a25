"""Working time: hand cases around lunch, weekends, a holiday and a 调休 Saturday, and the
invariants of adding and measuring working time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.cases.calendar import (
    WorkCalendar,
    add_working_hours,
    parse_workday_hours,
    working_hours_between,
)
from wangge.cases.models import CalendarDay

TZ = ZoneInfo("Asia/Shanghai")
PERIODS = parse_workday_hours("09:00-12:00,13:30-17:30")
# 2025: 1 January (Wednesday) is a holiday; Saturday 8 February is a workday (春节调休).
CALENDAR = WorkCalendar(PERIODS, {date(2025, 1, 1): False, date(2025, 2, 8): True}, TZ)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2025, 1, 6, 10, 0), 1, at(2025, 1, 6, 11, 0)),  # inside the morning
        (at(2025, 1, 6, 11, 30), 1, at(2025, 1, 6, 14, 0)),  # across lunch
        (at(2025, 1, 6, 12, 30), 1, at(2025, 1, 6, 14, 30)),  # reported at lunch
        (at(2025, 1, 6, 7, 0), 2, at(2025, 1, 6, 11, 0)),  # before work
        (at(2025, 1, 6, 10, 0), 2, at(2025, 1, 6, 12, 0)),  # lands at noon exactly
        (at(2025, 1, 3, 16, 30), 2, at(2025, 1, 6, 10, 0)),  # Friday into Monday
        (at(2025, 1, 4, 10, 0), 1, at(2025, 1, 6, 10, 0)),  # reported on Saturday
        (at(2024, 12, 31, 17, 0), 1, at(2025, 1, 2, 9, 30)),  # over New Year's Day
        (at(2025, 2, 7, 17, 0), 1, at(2025, 2, 8, 9, 30)),  # into the 调休 Saturday
        (at(2025, 1, 6, 9, 0), 7, at(2025, 1, 6, 17, 30)),  # a full day ends that evening
        (at(2025, 1, 6, 9, 0), 16, at(2025, 1, 8, 11, 0)),  # two full days and two hours
    ],
)
def test_it_adds_working_hours(start, hours, expected):
    assert add_working_hours(start, hours, calendar=CALENDAR) == expected


def test_it_measures_working_hours_over_a_weekend_and_a_holiday():
    assert working_hours_between(at(2024, 12, 31, 9, 0), at(2025, 1, 2, 17, 30), calendar=CALENDAR) == 14
    assert working_hours_between(at(2025, 1, 3, 17, 0), at(2025, 1, 6, 9, 30), calendar=CALENDAR) == 1
    assert working_hours_between(at(2025, 1, 6, 9, 30), at(2025, 1, 3, 17, 0), calendar=CALENDAR) == -1


def test_it_works_in_the_districts_zone_whatever_zone_it_is_given():
    utc = datetime(2025, 1, 6, 2, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Zhengzhou
    assert add_working_hours(utc, 1, calendar=CALENDAR) == at(2025, 1, 6, 11, 0)


@pytest.mark.parametrize("text", ["", "9-12", "12:00-09:00", "09:00-12:00,11:00-17:00"])
def test_it_refuses_bad_workday_hours(text):
    with pytest.raises(ImproperlyConfigured, match="WANGGE_WORKDAY_HOURS"):
        parse_workday_hours(text)


def test_it_reads_holidays_and_workday_hours_from_the_database_and_settings(db, settings):
    settings.WANGGE_WORKDAY_HOURS = "08:30-12:00,14:00-18:00"
    CalendarDay.objects.create(date=date(2025, 1, 6), is_workday=False, name="测试假日")
    assert add_working_hours(at(2025, 1, 3, 17, 0), 2) == at(2025, 1, 7, 9, 30)


moments = st.datetimes(min_value=datetime(2024, 12, 20), max_value=datetime(2025, 2, 20)).map(lambda d: d.replace(tzinfo=TZ))
durations = st.integers(min_value=0, max_value=60 * 60 * 24 * 6).map(lambda s: timedelta(seconds=s))


@settings(max_examples=300, deadline=None)
@given(moments, durations)
def test_it_measures_back_what_it_added(start, delta):
    assert CALENDAR.between(start, CALENDAR.add(start, delta)) == delta


@settings(max_examples=300, deadline=None)
@given(moments, durations)
def test_it_never_lands_outside_working_time(start, delta):
    end = CALENDAR.add(start, delta)
    assert end >= start
    assert CALENDAR.is_working_moment(end)


@settings(max_examples=300, deadline=None)
@given(moments, moments, durations, durations)
def test_it_is_monotone(a, b, d1, d2):
    a, b = min(a, b), max(a, b)
    d1, d2 = min(d1, d2), max(d1, d2)
    assert CALENDAR.add(a, d1) <= CALENDAR.add(b, d1)
    assert CALENDAR.add(a, d1) <= CALENDAR.add(a, d2)
    assert CALENDAR.between(a, b) >= timedelta(0)

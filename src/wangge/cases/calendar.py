"""Working time: the hours of a working day (WANGGE_WORKDAY_HOURS), Monday to Friday, with
`CalendarDay` rows for holidays on weekdays and weekend workdays (调休).

Deadlines count working time only, in the district's own time zone. A working period is taken
as closed for landing (a deadline may fall at 12:00 or 17:30 exactly) and half-open for
counting, so adding then measuring gives back what was added.

`WorkCalendar` is pure (no database) so that the invariants can be property-tested; the
module-level functions load it from the settings and the `CalendarDay` table.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .reference import reference

# Beyond this many days without a working moment the calendar is broken, not slow.
_MAX_DAYS = 3700


def parse_workday_hours(text: str) -> list[tuple[time, time]]:
    """"09:00-12:00,13:30-17:30" -> [(09:00, 12:00), (13:30, 17:30)], ordered, not overlapping."""
    periods = []
    try:
        for part in text.split(","):
            start, end = (time.fromisoformat(t.strip()) for t in part.split("-"))
            periods.append((start, end))
    except ValueError as exc:
        raise ImproperlyConfigured(f"WANGGE_WORKDAY_HOURS 格式应为“09:00-12:00,13:30-17:30”：{text!r}") from exc
    periods.sort()
    empty = not periods or any(start >= end for start, end in periods)
    overlapping = any(e1 > s2 for (_, e1), (s2, _) in zip(periods, periods[1:], strict=False))
    if empty or overlapping:
        raise ImproperlyConfigured(f"WANGGE_WORKDAY_HOURS 的时段有误（为空或重叠）：{text!r}")
    return periods


@dataclass(frozen=True)
class WorkCalendar:
    periods: list[tuple[time, time]]
    overrides: dict[date, bool] = field(default_factory=dict)  # date -> is a workday
    tz: ZoneInfo = ZoneInfo("Asia/Shanghai")

    @classmethod
    def load(cls) -> "WorkCalendar":
        """The calendar in force (a per-process copy; see `reference`)."""
        return reference(("calendar", settings.WANGGE_WORKDAY_HOURS, settings.TIME_ZONE), cls._read)

    @classmethod
    def _read(cls) -> "WorkCalendar":
        from .models import CalendarDay

        overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        return cls(parse_workday_hours(settings.WANGGE_WORKDAY_HOURS), overrides, ZoneInfo(settings.TIME_ZONE))

    def is_workday(self, day: date) -> bool:
        return self.overrides.get(day, day.weekday() < 5)

    def _periods_on(self, day: date):
        if self.is_workday(day):
            for start, end in self.periods:
                yield datetime.combine(day, start, self.tz), datetime.combine(day, end, self.tz)

    def is_working_moment(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        return any(s <= local <= e for s, e in self._periods_on(local.date()))

    def add(self, start: datetime, delta: timedelta) -> datetime:
        """The moment `delta` of working time after `start` (from the next working moment when
        `start` is outside working time)."""
        if delta < timedelta(0):
            raise ValueError("工作时长不能为负数")
        cursor = start.astimezone(self.tz)
        day = cursor.date()
        for _ in range(_MAX_DAYS):
            for period_start, period_end in self._periods_on(day):
                if cursor >= period_end:
                    continue
                begin = max(cursor, period_start)
                if delta <= period_end - begin:
                    return begin + delta
                delta -= period_end - begin
                cursor = period_end
            day += timedelta(days=1)
        raise ImproperlyConfigured("工作日历在十年内没有工作时间，请检查 WANGGE_WORKDAY_HOURS 和工作日历")

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from `a` to `b`; negative when `b` is before `a`."""
        if b < a:
            return -self.between(b, a)
        a, b = a.astimezone(self.tz), b.astimezone(self.tz)
        total = timedelta(0)
        day = a.date()
        while day <= b.date():
            for period_start, period_end in self._periods_on(day):
                overlap = min(b, period_end) - max(a, period_start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total


def hours_delta(hours: float | int | Decimal) -> timedelta:
    return timedelta(seconds=round(float(hours) * 3600))


def add_working_hours(start: datetime, hours: float | int | Decimal, *, calendar: WorkCalendar | None = None) -> datetime:
    return (calendar or WorkCalendar.load()).add(start, hours_delta(hours))


def working_hours_between(a: datetime, b: datetime, *, calendar: WorkCalendar | None = None) -> float:
    return (calendar or WorkCalendar.load()).between(a, b).total_seconds() / 3600

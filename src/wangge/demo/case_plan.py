"""A year of demo cases, planned without the database: a pure function of the seed, the grids
and the working calendar, so that the same inputs give the same cases and the tests can compare
two plans.

Each case is walked through `workflow.TRANSITIONS` the way the services would move it: every
stage gets the deadline `sla` would give (working hours from the calendar), moves happen in
working time, a case stops where `now` finds it, and overdue stages are escalated the way
`escalation.py` would have done it on each worker run. Actors are named by kind ("dispatcher",
"grid_worker", "reporter", or a department handler) and resolved to accounts when saved.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

from wangge.cases.calendar import WorkCalendar, hours_delta
from wangge.cases.models import Case
from wangge.cases.sla import stages_on_time

from . import case_texts as texts

S = Case.Status
PER_GRID = (50, 70)
RESIDENTS = 30  # resident accounts that report now and then, besides the grid workers
WORKER_TICK = timedelta(minutes=1)  # how soon after a moment the worker notices it
# Shares of a case's fate; the rest goes the ordinary way to closing.
REJECTED, STUCK, RETURNED, FAILED_VERIFICATION, REOPENED, LATE_STAGE = 0.07, 0.08, 0.04, 0.05, 0.03, 0.015
STUCK_AT = {S.REPORTED: 0.05, S.ACCEPTED: 0.15, S.DISPATCHED: 0.2, S.HANDLING: 0.35, S.HANDLED: 0.15, S.VERIFIED: 0.1}
# Only recent cases are left open (stuck at a stage): an open case a year old, or one overdue
# by months, is not what a district that works its queue looks like.
OPEN_WITHIN = timedelta(days=10)
RATINGS = ([1, 2, 3, 4, 5], [0.02, 0.03, 0.08, 0.30, 0.57])
RATED = 0.85


@dataclass
class GridInput:
    code: str
    places: list[str]  # one label per building the case may be located at, in building order


@dataclass
class Move:
    from_status: str
    to_status: str
    at: datetime
    actor: str  # reporter | dispatcher | grid_worker | department:<code>:<handler index>
    reason: str = ""
    deadline_at: datetime | None = None
    department: str | None = None  # the department a dispatch sends the case to


@dataclass
class Raise:
    level: str  # community | whistle
    status: str
    at: datetime
    summonses: list[tuple[str, datetime, datetime | None]] = field(default_factory=list)  # department, due, reported


@dataclass
class PlannedCase:
    grid_code: str
    place: int  # index into the grid's places
    category: str
    description: str
    reporter: str  # grid_worker | resident:<index>
    moves: list[Move]
    department: str | None
    rating: int | None
    escalations: list[Raise] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.moves[-1].to_status

    @property
    def closed_at(self) -> datetime | None:
        return self.moves[-1].at if self.status == S.CLOSED else None

    @property
    def on_time(self) -> bool | None:
        return stages_on_time((m.at, m.deadline_at) for m in self.moves) if self.status == S.CLOSED else None

    @property
    def reopen_count(self) -> int:
        return sum(1 for m in self.moves if (m.from_status, m.to_status) == (S.CLOSED, S.ACCEPTED))


@dataclass
class Context:
    """What the walk needs besides the random numbers: the calendar, the deadline hours per
    (category, status), the departments and the escalation settings."""

    calendar: WorkCalendar
    hours: dict[tuple[str, str], float | None]
    now: datetime
    whistle_after_hours: float
    summons_hours: float
    whistle_departments: list[str]

    def deadline(self, category: str, status: str, start: datetime) -> datetime | None:
        hours = self.hours.get((category, status))
        return None if hours is None else self.calendar.add(start, hours_delta(hours))


def plan_cases(*, seed: int, grids: list[GridInput], context: Context, days: int = 365, per_grid: tuple[int, int] = PER_GRID) -> list[PlannedCase]:
    """The cases of the last `days` days up to `context.now`, ordered by the moment reported."""
    rng = np.random.default_rng(seed)
    grids = [g for g in grids if g.places]
    counts = rng.integers(per_grid[0], per_grid[1] + 1, size=len(grids))
    grid_of = np.repeat(np.arange(len(grids)), counts)
    moments = _report_moments(rng, len(grid_of), days, context)
    categories = _categories(rng, moments)
    walker = random.Random(int(rng.integers(2**32)))
    order = sorted(range(len(grid_of)), key=lambda i: (moments[i], i))
    return [_case(walker, grids[grid_of[i]], categories[i], moments[i], context) for i in order]


def _report_moments(rng, n: int, days: int, context: Context) -> list[datetime]:
    """Working-time-weighted: most reports come in office hours on workdays."""
    tz = context.calendar.tz
    last = context.now.astimezone(tz).date()
    all_days = [last - timedelta(days=d) for d in range(days - 1, -1, -1)]
    weights = np.array([1.0 if context.calendar.is_workday(d) else 0.45 for d in all_days])
    picked = rng.choice(len(all_days), size=n, p=weights / weights.sum())
    office, anytime = rng.random(n), rng.random(n)
    periods = context.calendar.periods
    worked = sum(_minutes(e) - _minutes(s) for s, e in periods)
    moments = []
    for d, o, u in zip(picked, office, anytime, strict=True):
        day = all_days[d]
        if context.calendar.is_workday(day) and o < 0.8:
            minute = u * worked
            for start, end in periods:
                if minute < _minutes(end) - _minutes(start):
                    break
                minute -= _minutes(end) - _minutes(start)
            minute += _minutes(start)
        else:
            minute = 7 * 60 + u * 14 * 60 if context.calendar.is_workday(day) else 8 * 60 + u * 11 * 60
        moment = datetime.combine(day, time(0), tz) + timedelta(seconds=round(minute * 60))
        if moment >= context.now:
            moment = context.now - timedelta(seconds=round(60 + u * 3600 * 6))
        moments.append(moment)
    return moments


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _categories(rng, moments: list[datetime]) -> list[str]:
    """Category by month: each has its season (garbage and vending in summer, lights in winter)."""
    codes = list(texts.CATEGORIES)
    months = np.array([m.month for m in moments])
    chosen = np.empty(len(moments), dtype=int)
    for month in range(1, 13):
        where = np.flatnonzero(months == month)
        weights = np.array([w * (1 + a * np.cos(2 * np.pi * (month - peak) / 12)) for w, a, peak, _ in texts.CATEGORIES.values()])
        chosen[where] = rng.choice(len(codes), size=len(where), p=weights / weights.sum())
    return [codes[i] for i in chosen]


def _weighted(r: random.Random, options: dict[str, float]) -> str:
    return r.choices(list(options), weights=list(options.values()))[0]


def _handler(r: random.Random, department: str) -> str:
    return f"department:{department}:{r.randrange(texts.DEPARTMENTS[department][1])}"


def _path(r: random.Random, category: str) -> tuple[list[tuple[str, str, str, str | None]], str | None]:
    """The intended moves after the report: (to, actor, reason, department dispatched to), and
    the status the case stays stuck in (None: it goes all the way)."""
    if r.random() < REJECTED:
        return [(S.REJECTED, "dispatcher", r.choice(texts.REJECT_REASONS), None)], None
    department = _weighted(r, texts.CATEGORIES[category][3])
    steps = [(S.ACCEPTED, "dispatcher", "", None)]
    if r.random() < RETURNED:
        wrong = r.choice([d for d in texts.DEPARTMENTS if d != department])
        steps += [(S.DISPATCHED, "dispatcher", "", wrong), (S.ACCEPTED, _handler(r, wrong), r.choice(texts.RETURN_REASONS), None)]
    steps += _handling(r, department)
    if r.random() < REOPENED:
        steps += [(S.ACCEPTED, "reporter", r.choice(texts.REOPEN_REASONS), None), *_handling(r, department)]
    stuck = _weighted(r, STUCK_AT) if r.random() < STUCK else None
    return steps, stuck


def _handling(r: random.Random, department: str) -> list[tuple[str, str, str, str | None]]:
    steps = [(S.DISPATCHED, "dispatcher", "", department), (S.HANDLING, _handler(r, department), "", None), (S.HANDLED, _handler(r, department), "", None)]
    if r.random() < FAILED_VERIFICATION:
        steps += [(S.HANDLING, "grid_worker", r.choice(texts.FAILED_VERIFICATION_REASONS), None), (S.HANDLED, _handler(r, department), "", None)]
    return [*steps, (S.VERIFIED, "grid_worker", "", None), (S.CLOSED, "dispatcher", "", None)]


def _stay(r: random.Random, context: Context, category: str, move: Move) -> datetime:
    """When the case leaves the stage `move` started: within its deadline, or now and then late."""
    if move.to_status == S.CLOSED:  # a reopening, within the reopen window
        return move.at + timedelta(hours=r.uniform(8, 6.5 * 24))
    hours = context.hours.get((category, move.to_status)) or 8
    factor = r.uniform(1.05, 3.0) if r.random() < LATE_STAGE else r.uniform(0.05, 0.95)
    return context.calendar.add(move.at, hours_delta(float(hours) * factor))


def _case(r: random.Random, grid: GridInput, category: str, reported_at: datetime, context: Context) -> PlannedCase:
    place = r.randrange(len(grid.places))
    reporter = "grid_worker" if r.random() < 0.85 else f"resident:{r.randrange(RESIDENTS)}"
    description = r.choice(texts.TEMPLATES[category]).format(place=grid.places[place])
    moves = [Move("", S.REPORTED, reported_at, "reporter", deadline_at=context.deadline(category, S.REPORTED, reported_at))]
    steps, stuck = _path(r, category)
    if reported_at < context.now - OPEN_WITHIN:
        stuck = None
    department = None
    for to, actor, reason, dispatched_to in steps:
        if moves[-1].to_status == stuck:
            break
        at = _stay(r, context, category, moves[-1])
        if at > context.now:
            break
        moves.append(Move(moves[-1].to_status, to, at, actor, reason, context.deadline(category, to, at), dispatched_to))
        if to == S.DISPATCHED:
            department = dispatched_to
        elif (moves[-1].from_status, to) == (S.DISPATCHED, S.ACCEPTED):
            department = None  # returned: the dispatcher chooses again
    rating = None
    if moves[-1].to_status == S.CLOSED and r.random() < RATED:
        late = not stages_on_time((m.at, m.deadline_at) for m in moves)
        rating = r.choices(RATINGS[0], weights=[0.15, 0.15, 0.3, 0.25, 0.15] if late else RATINGS[1])[0]
    planned = PlannedCase(grid.code, place, category, description, reporter, moves, department, rating)
    planned.escalations = _escalations(r, planned, context)
    return planned


def _escalations(r: random.Random, case: PlannedCase, context: Context) -> list[Raise]:
    """What `escalation.escalate` would have done on a worker running every minute: once per
    (level, status), an alert when a stage passes its deadline, a whistle when it is still
    overdue WANGGE_WHISTLE_AFTER_HOURS working hours after the alert."""
    made: dict[tuple[str, str], Raise] = {}
    department = None
    ends = [m.at for m in case.moves[1:]] + [context.now]
    for move, left in zip(case.moves, ends, strict=True):
        if move.to_status == S.DISPATCHED:
            department = move.department
        elif (move.from_status, move.to_status) == (S.DISPATCHED, S.ACCEPTED):
            department = None
        if move.deadline_at is None or left <= move.deadline_at + WORKER_TICK:
            continue
        alert = made.get(("community", move.to_status))
        if alert is None:
            alert = made[("community", move.to_status)] = Raise("community", move.to_status, move.deadline_at + WORKER_TICK)
        if ("whistle", move.to_status) in made:
            continue
        whistle_at = max(context.calendar.add(alert.at, hours_delta(context.whistle_after_hours)), move.deadline_at) + WORKER_TICK
        if whistle_at < left:
            made[("whistle", move.to_status)] = _whistle(r, move.to_status, whistle_at, department, context)
    return sorted(made.values(), key=lambda e: e.at)


def _whistle(r: random.Random, status: str, at: datetime, department: str | None, context: Context) -> Raise:
    due = context.calendar.add(at, hours_delta(context.summons_hours))
    summonses = []
    for code in [department] if department else context.whistle_departments:
        reported = context.calendar.add(at, hours_delta(context.summons_hours * r.uniform(0.1, 1.5))) if r.random() < 0.85 else None
        summonses.append((code, due, reported if reported is not None and reported <= context.now else None))
    return Raise("whistle", status, at, summonses)


def plan_horizon(today: date | None, now: datetime, tz) -> datetime:
    """`now`, or the evening of `today` when that is earlier (a demo dated in the past)."""
    if today is None:
        return now
    return min(now, datetime.combine(today, time(20), tz))

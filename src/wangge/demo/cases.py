"""Writing a year of demo cases on top of the demo district (`wangge demo`).

`case_plan` decides every case; this module finds or makes the accounts the plan names (the
departments and their handlers, one official per community as dispatcher, a few residents) and
writes cases, transitions, escalations and summonses in bulk. The services are not called per
case: thirty thousand cases through `case_transition` would take many minutes. The demo tests
check instead that the rows keep every rule the services enforce.

`demo_build` stays without cases, because the test suite's district must start with none.
"""

from collections import Counter, defaultdict
from datetime import date

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.cases.calendar import WorkCalendar
from wangge.cases.models import (
    Case,
    CaseTransition,
    Category,
    Deadline,
    Department,
    Escalation,
    Summons,
)
from wangge.cases.workflow import OPEN
from wangge.core.audit import audit_record
from wangge.geo.locator import locate_many
from wangge.geo.models import Division, Grid
from wangge.people.models import Building

from . import case_texts as texts
from . import names
from .case_plan import (
    PER_GRID,
    RESIDENTS,
    Context,
    GridInput,
    PlannedCase,
    plan_cases,
    plan_horizon,
)
from .services import DemoRefused

BATCH = 2000
CASE_FIELDS = [
    "number", "reporter", "client_id", "category", "description", "lon", "lat", "address", "grid_code", "status", "department",
    "reported_at", "status_since", "deadline_at", "closed_at", "rating", "on_time", "reopen_count",
]
UNUSABLE = "!"  # as `set_unusable_password` leaves it: these accounts cannot sign in


def demo_cases_plan(*, seed: int, days: int = 365, today: date | None = None, per_grid: tuple[int, int] = PER_GRID) -> tuple[list[PlannedCase], dict]:
    """The cases `demo_cases_build` would write, and the buildings they are placed at; reads only."""
    if days < 1 or per_grid[0] < 0 or per_grid[1] < per_grid[0]:
        raise DemoRefused("天数须为正数，每个网格的事件数须为非负且下限不大于上限")
    grids, places = _grids_and_places()
    if not grids:
        raise DemoRefused("没有启用的网格图层，请先生成演示区")
    calendar = WorkCalendar.load()
    context = Context(
        calendar=calendar, hours=_deadline_hours(), now=plan_horizon(today, timezone.now(), calendar.tz),
        whistle_after_hours=settings.WANGGE_WHISTLE_AFTER_HOURS, summons_hours=settings.WANGGE_SUMMONS_HOURS,
        whistle_departments=[code for code in settings.WANGGE_WHISTLE_DEPARTMENTS if code in texts.DEPARTMENTS],
    )
    workers = _grid_workers(grids)
    inputs = [GridInput(code, [label for label, _ in places[code]]) for code in grids if code in workers]
    return plan_cases(seed=seed, grids=inputs, context=context, days=days, per_grid=per_grid), places


@transaction.atomic
def demo_cases_build(*, seed: int, days: int = 365, today: date | None = None, per_grid: tuple[int, int] = PER_GRID) -> dict:
    """`days` of cases (`per_grid` over the whole span) in every level-3 grid of the active
    layer, up to `today`'s evening or now; returns what was made. Accounts and departments are
    reused when present, and case numbers continue after any the days already have."""
    plan, places = demo_cases_plan(seed=seed, days=days, today=today, per_grid=per_grid)
    grids = {p.grid_code for p in plan}
    departments = _departments()
    accounts = _Accounts(
        departments=departments, workers=_grid_workers(sorted(grids)), dispatchers=_dispatchers({code[:12] for code in grids}), residents=_residents(seed)
    )
    made = _save(plan, places, accounts)
    made |= {"departments": len(departments), "handlers": sum(len(users) for _, users in departments.values())}
    audit_record(action="demo.cases_built", object_type="demo", object_id=str(seed), after=made)
    return made


class _Accounts:
    def __init__(self, *, departments, workers, dispatchers, residents) -> None:
        self.departments, self.workers, self.dispatchers, self.residents = departments, workers, dispatchers, residents

    def reporter(self, planned: PlannedCase) -> User:
        if planned.reporter == "grid_worker":
            return self.workers[planned.grid_code]
        return self.residents[int(planned.reporter.split(":")[1])]

    def actor(self, kind: str, planned: PlannedCase, reporter: User) -> User:
        if kind == "reporter":
            return reporter
        if kind == "dispatcher":
            return self.dispatchers[planned.grid_code[:12]]
        if kind == "grid_worker":
            return self.workers[planned.grid_code]
        _, code, index = kind.split(":")
        return self.departments[code][1][int(index)]


def _grids_and_places() -> tuple[list[str], dict[str, list[tuple[str, Building]]]]:
    """The active layer's level-3 grids and, per grid, its buildings that the locator places in
    that grid (a case must locate to the grid it is filed under)."""
    codes = sorted(Grid.objects.filter(layer__is_active=True, level=3).values_list("code", flat=True))
    buildings = list(Building.objects.filter(grid_code__in=codes).order_by("pk").only("grid_code", "compound", "name", "lon", "lat", "address"))
    found = locate_many(np.array([b.lon for b in buildings], dtype=float), np.array([b.lat for b in buildings], dtype=float)) if buildings else []
    places: dict[str, list[tuple[str, Building]]] = defaultdict(list)
    for building, place in zip(buildings, found, strict=True):
        if place is not None and place["grids"]["3"] == building.grid_code:
            places[building.grid_code].append((f"{building.compound}{building.name}", building))
    return codes, places


def _deadline_hours() -> dict[tuple[str, str], float | None]:
    """Working hours per (category, status), resolved once the way `sla.deadline_for` resolves
    them per case: the category's row, else its parent's, else the default."""
    parents = dict(Category.objects.filter(code__in=texts.CATEGORIES).values_list("code", "parent__code"))
    missing = sorted(set(texts.CATEGORIES) - set(parents))
    if missing:
        raise DemoRefused(f"缺少演示所需的事件类别：{'、'.join(missing)}")
    rows = {(code, status): float(hours) for code, status, hours in Deadline.objects.values_list("category__code", "status", "working_hours")}
    hours = {}
    for code, parent in parents.items():
        for status in OPEN:
            chain = [rows.get((code, status)), rows.get((parent, status)) if parent else None, rows.get((None, status))]
            hours[(code, status)] = next((h for h in chain if h is not None), None)
    return hours


def _users(specs: list[dict]) -> dict[str, User]:
    """Accounts by username, made when missing (without a usable password)."""
    existing = {u.username: u for u in User.objects.filter(username__in=[s["username"] for s in specs])}
    User.objects.bulk_create([User(password=UNUSABLE, **s) for s in specs if s["username"] not in existing], batch_size=BATCH)
    return {u.username: u for u in User.objects.filter(username__in=[s["username"] for s in specs])}


def _departments() -> dict[str, tuple[Department, list[User]]]:
    district = f"{settings.WANGGE_DISTRICT_CODE}000000"
    made = {}
    for code, (name, handlers) in texts.DEPARTMENTS.items():
        department = Department.objects.filter(Q(code=code) | Q(name=name)).order_by("pk").first() or Department.objects.create(code=code, name=name)
        specs = [
            {"username": f"dept_{code}_{i}", "full_name": f"{name}经办人{i}", "role": Role.DEPARTMENT_HANDLER, "scope_code": district}
            for i in range(1, handlers + 1)
        ]
        users = _users(specs)
        department.handlers.add(*users.values())
        made[code] = (department, [users[s["username"]] for s in specs])
    return made


def _dispatchers(communities: set[str]) -> dict[str, User]:
    """One community official per community, reusing the first active one already there."""
    found = {}
    for user in User.objects.filter(role=Role.COMMUNITY_OFFICIAL, scope_code__in=communities, is_active=True).order_by("-pk"):
        found[user.scope_code] = user
    names_of = dict(Division.objects.filter(code__in=communities - set(found)).values_list("code", "name"))
    specs = [
        {"username": f"demo_co_{code}", "full_name": f"{names_of.get(code, code)}干部", "role": Role.COMMUNITY_OFFICIAL, "scope_code": code}
        for code in sorted(communities - set(found))
    ]
    made = _users(specs)
    return found | {s["scope_code"]: made[s["username"]] for s in specs}


def _residents(seed: int) -> list[User]:
    rng = np.random.default_rng(seed)
    specs = [{"username": f"demo_resident_{i:02d}", "full_name": names.person_name(rng), "role": Role.RESIDENT, "scope_code": ""} for i in range(1, RESIDENTS + 1)]
    users = _users(specs)
    return [users[s["username"]] for s in specs]


def _grid_workers(grids: list[str]) -> dict[str, User]:
    """The grid's full-time worker's account (`gw<grid code>` in the demo), the first one when several."""
    found = {}
    for user in User.objects.filter(role=Role.GRID_WORKER, scope_code__in=grids, is_active=True).order_by("-pk"):
        found[user.scope_code] = user
    return found


def _numbers(plan: list[PlannedCase]) -> list[str]:
    """SJ + local date + a six-digit sequence per day, after any case already numbered that day."""
    days = [timezone.localdate(p.moves[0].at) for p in plan]
    last = Counter()
    if days:
        for number in Case.objects.filter(number__gte=f"SJ{min(days):%Y%m%d}").values_list("number", flat=True):
            last[number[:10]] = max(last[number[:10]], int(number[10:]) if number[10:].isdigit() else 0)
    numbers = []
    for day in days:
        prefix = f"SJ{day:%Y%m%d}"
        last[prefix] += 1
        numbers.append(f"{prefix}{last[prefix]:06d}")
    return numbers


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs: `bulk_create` spends most of its time building model instances and
    compiling them, which for a quarter of a million rows is most of a minute. Every column
    without a database default is given; datetimes go through the backend's own adapter."""
    meta, ops = model._meta, connection.ops
    columns = [meta.get_field(name) for name in fields]
    stamps = [i for i, f in enumerate(columns) if f.get_internal_type() == "DateTimeField"]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(meta.db_table), ", ".join(ops.quote_name(f.column) for f in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            chunk = [list(row) for row in rows[start : start + BATCH * 5]]
            for row in chunk:
                for i in stamps:
                    row[i] = ops.adapt_datetimefield_value(row[i])
            cursor.executemany(sql, chunk)


def _save(plan: list[PlannedCase], places: dict, accounts: _Accounts) -> dict:
    categories = dict(Category.objects.filter(code__in=texts.CATEGORIES).values_list("code", "pk"))
    departments = {code: department.pk for code, (department, _) in accounts.departments.items()}
    reporters = [accounts.reporter(p) for p in plan]
    numbers = _numbers(plan)
    before = Case.objects.aggregate(last=Max("pk"))["last"] or 0
    rows = []
    for planned, number, reporter in zip(plan, numbers, reporters, strict=True):
        _, building = places[planned.grid_code][planned.place]
        first, last = planned.moves[0], planned.moves[-1]
        rows.append((
            number, reporter.pk, "", categories[planned.category], planned.description, building.lon, building.lat, building.address,
            planned.grid_code, last.to_status, departments.get(planned.department), first.at, last.at, last.deadline_at,
            planned.closed_at, planned.rating, planned.on_time, planned.reopen_count,
        ))
    _insert(Case, CASE_FIELDS, rows)
    pks = dict(Case.objects.filter(pk__gt=before).values_list("number", "pk"))
    case_pks = [pks[number] for number in numbers]
    moves = [
        (pk, m.from_status, m.to_status, accounts.actor(m.actor, planned, reporter).pk, m.at, m.reason, m.deadline_at)
        for planned, pk, reporter in zip(plan, case_pks, reporters, strict=True)
        for m in planned.moves
    ]
    _insert(CaseTransition, ["case", "from_status", "to_status", "actor", "at", "reason", "deadline_at"], moves)
    raised = [(pk, e) for planned, pk in zip(plan, case_pks, strict=True) for e in planned.escalations]
    _insert(Escalation, ["case", "level", "at", "status"], [(pk, e.level, e.at, e.status) for pk, e in raised])
    escalation_pks = {
        (case, level, status): pk for pk, case, level, status in Escalation.objects.filter(case__pk__gt=before).values_list("pk", "case", "level", "status")
    }
    summonses = [
        (escalation_pks[(pk, e.level, e.status)], departments[code], due, reported) for pk, e in raised for code, due, reported in e.summonses
    ]
    _insert(Summons, ["escalation", "department", "due_at", "reported_at"], summonses)
    by_status = Counter(planned.status for planned in plan)
    return {
        "cases": len(rows), "transitions": len(moves), "escalations": len(raised), "summonses": len(summonses),
        "by_status": {status: by_status[status] for status in Case.Status.values},
    }

"""Writes to cases: reporting, moving through the closed loop, rating, merging duplicates."""

import hashlib
import math
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.core import pii, rows
from wangge.core.audit import audit_record
from wangge.core.audit_writes import audit_created
from wangge.core.contacts import MOBILE
from wangge.core.errors import ApiError
from wangge.core.limits import HOUR, window_count
from wangge.core.reasons import reason_checked
from wangge.core.receipts import next_number
from wangge.core.workflow import Move, workflow_move
from wangge.geo.geometry.transform import distance_m
from wangge.geo.geometry.validation import point_checked
from wangge.geo.locator import grid_at
from wangge.people.selectors.addresses import resolve_address

from . import workflow
from .models import (
    MAX_DESCRIPTION,
    Case,
    CaseTransition,
    Category,
    Department,
    Open311Client,
    description_too_long,
)
from .notify import case_closed_notify, case_dispatched_notify
from .permissions import ACTOR_LABELS, is_dispatcher, is_reporter, may_act, within_reopen_window
from .routing import route_of
from .sla import deadline_for, stages_on_time

S = Case.Status
NUMBER_PREFIX = "SJ"
OUTSIDE_THE_DISTRICT = "该位置不在本区任何网格内，请核对经纬度"



def _check_point(lon, lat) -> str:
    """The level-3 grid the point lies in."""
    grid = grid_at(*point_checked(lon, lat))
    if grid is None:
        raise ValidationError({"lon": OUTSIDE_THE_DISTRICT})
    return grid


def _where(lon, lat, address: str) -> tuple[float, float, str]:
    """The point to report at: as given (the address kept as typed), else the registered
    building the address names, whose canonical address is then kept."""
    address = (address or "").strip()
    if lon is not None or lat is not None:
        return lon, lat, address
    if not address:
        raise ValidationError({"lon": "须提供位置：经纬度或地址"})
    match = resolve_address(address)
    return match.lon, match.lat, match.address


# Searching the queues by a whole mobile or by a reporter's name is a way to ask the registry who
# reported what: every search counts against the account's hour, and a search by mobile is audited.
SEARCHES_PER_HOUR = 120
SEARCH_LIMITED = f"搜索过于频繁：每个账号每小时最多搜索 {SEARCHES_PER_HOUR} 次，请稍后再试"


def case_search_count(*, actor, q: str) -> None:
    """Count one search by `actor` (nothing to count without search words) and audit it when it
    is by mobile, with the number masked. Past the hour's limit, an ApiError 429 naming `q`."""
    if not q:
        return
    if window_count(f"wangge:case-search:{actor.pk}", HOUR) > SEARCHES_PER_HOUR:
        raise ApiError(429, SEARCH_LIMITED, [{"field": "q", "reason": SEARCH_LIMITED}])
    if MOBILE.match(q):
        audit_record(action="cases.search.mobile", object_type="cases.case", user=actor, detail=f"按手机号搜索事件：{pii.mask_phone(q)}")


# Control characters but tab and line ends: nobody types them, and XML cannot carry most of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_characters_refused(field: str, value: str) -> str:
    """The Chinese refusal naming `field` when `value` holds a control character, else ''."""
    return f"{field}不能包含控制字符（换行、回车和制表符除外）" if CONTROL_CHARACTERS.search(value) else ""


def _check_fields(category: Category, description: str, address: str, client_id: str) -> None:
    """What a report must meet besides its place (the model's own limits, checked here since
    the report is written without `full_clean`)."""
    if not category.active:
        raise ValidationError({"category": f"类别「{category.name}」已停用"})
    if not description:
        raise ValidationError({"description": "须填写事件描述"})
    if description_too_long(description):
        raise ValidationError({"description": f"描述不能超过 {MAX_DESCRIPTION} 字"})
    for name, value in (("description", description), ("address", address), ("client_id", client_id)):
        if refused := control_characters_refused(Case._meta.get_field(name).verbose_name, value):
            raise ValidationError({name: refused})
    for name, value in (("address", address), ("client_id", client_id)):
        limit = Case._meta.get_field(name).max_length
        if len(value) > limit:
            raise ValidationError({name: f"{Case._meta.get_field(name).verbose_name}不能超过 {limit} 个字符"})


def case_report(
    *, reporter, category: Category, description: str, lon: float | None = None, lat: float | None = None, client_id: str = "",
    address: str = "",
) -> tuple[Case, bool]:
    """Report a case at a point or an address; returns (case, created). The same (reporter,
    client id) sent again returns the case it made the first time, whatever else the second
    request says. A new case carries `near`: the open cases it may repeat, with their distance
    in metres (`case_duplicates_near`).

    Written in plain SQL (`wangge.core.rows`), at hundreds a second: the case, its first transition
    and their audit rows. Nothing in it waits for another report's commit: the receipt number
    comes from a sequence (`_new_number`) and the audit rows take a free chain. Everything that
    may refuse the report is checked before the writes, which join the caller's transaction
    (the Idempotency-Key's) without a savepoint of their own.
    """
    client_id = (client_id or "").strip()
    if client_id and (existing := _reported_before(reporter, client_id)):
        return existing, False
    lon, lat, address = _where(lon, lat, address)
    grid = _check_point(lon, lat)
    description = (description or "").strip()
    _check_fields(category, description, address, client_id)
    now = timezone.now()
    case = Case(
        reporter=reporter, client_id=client_id, category=category, description=description, lon=float(lon), lat=float(lat),
        address=address, grid_code=grid, status=S.REPORTED, reported_at=now, status_since=now,
    )
    case.deadline_at = deadline_for(case)
    case.near = case_duplicates_near(category=category, lon=case.lon, lat=case.lat, at=now)
    with transaction.atomic(savepoint=False):
        for attempt in range(_NUMBER_ATTEMPTS):
            case.number = _new_number(timezone.localdate(now), resync=attempt > 0)
            if rows.insert([case], skip_conflicts=True):
                break
            if client_id and (existing := _reported_before(reporter, client_id)):
                return existing, False  # sent at the same moment under another key, and that one won
        else:
            raise IntegrityError("受理编号连续冲突，请稍后重试")
        first = CaseTransition(case=case, from_status="", to_status=case.status, actor=reporter, at=now, reason="", deadline_at=case.deadline_at)
        rows.insert([first])
        audit_created(case)
        audit_created(first)
    return case, True


# On PostgreSQL the six digits of a receipt number come from this sequence: taking a value waits
# for no other transaction, so reports at the same moment do not queue for their numbers; the
# digits run on from day to day (SJ20261125038177). On SQLite, whose writers take turns anyway,
# they are the day's next (`receipts.next_number`) and start again at 000001 each day.
RECEIPT_SEQUENCE = "cases_case_receipt"
_NUMBER_ATTEMPTS = 5


def _new_number(day, *, resync: bool = False) -> str:
    """The next receipt number of `day`. `resync` after a number was taken: numbers of the day
    written otherwise (the demo's, or from before the sequence) are passed over."""
    if connection.vendor != "postgresql":
        return next_number(Case, NUMBER_PREFIX, day)
    start = f"{NUMBER_PREFIX}{day:%Y%m%d}"
    with rows.cursor() as cursor:
        if resync:
            cursor.execute(
                f"SELECT setval('{RECEIPT_SEQUENCE}', greatest((SELECT last_value FROM {RECEIPT_SEQUENCE}), "  # noqa: S608 - constants
                f"(SELECT coalesce(max(right(number, 6)::bigint), 0) FROM {Case._meta.db_table} WHERE number LIKE %s)))",
                [start + "%"],
            )
        cursor.execute(f"SELECT nextval('{RECEIPT_SEQUENCE}')")
        return f"{start}{cursor.fetchone()[0] % 1_000_000:06d}"


_BY_CLIENT_ID = f"SELECT id FROM {Case._meta.db_table} WHERE reporter_id = %s AND client_id = %s"  # noqa: S608 - constants


def _reported_before(reporter, client_id: str) -> Case | None:
    with rows.cursor() as cursor:  # plain SQL: every report with a client id asks, and it is rarely there
        cursor.execute(_BY_CLIENT_ID, [reporter.pk, client_id])
        found = cursor.fetchone()
    return Case.objects.select_related("category").get(pk=found[0]) if found else None


def _may(actor, to: str) -> Callable[[Move, Case], None]:
    """The actor check of a move: the predicate of the actor the table names."""
    def check(move: Move, case: Case) -> None:
        if not may_act(move.actor, actor, case):
            raise PermissionDenied(f"只有{ACTOR_LABELS[move.actor]}可以将事件转为「{S(to).label}」")
        if move.actor == "reporter" and not within_reopen_window(case):
            raise ValidationError({"to": f"结案已超过 {settings.WANGGE_CASE_REOPEN_DAYS} 天，不能再重新打开"})
    return check


def _apply(department: Department | None, instructions: str) -> Callable[[Case, Move, datetime], list[str]]:
    """What a move changes besides the status; returns the fields it touched."""
    def change(case: Case, move: Move, now: datetime) -> list[str]:
        fields = ["status_since", "deadline_at"]
        if move.target == S.DISPATCHED:
            if department is None:
                raise ValidationError({"department": "派遣须指定承办部门"})
            if not department.active:
                raise ValidationError({"department": f"部门「{department.name}」已停用"})
            case.department, case.instructions = department, instructions
            fields += ["department", "instructions"]
        elif instructions:
            raise ValidationError({"instructions": "只有派遣时可以填写派遣要求"})
        elif move.source == S.DISPATCHED and move.target == S.ACCEPTED:
            case.department, case.instructions = None, ""  # returned: the dispatcher chooses (and asks) again
            fields += ["department", "instructions"]
        elif move.target == S.CLOSED:
            moves = [*case.transitions.order_by("at", "pk").values_list("at", "deadline_at"), (now, None)]
            case.closed_at, case.on_time = now, stages_on_time(moves)
            fields += ["closed_at", "on_time"]
        elif move.source == S.CLOSED:  # reopened: the earlier result and its rating no longer stand
            case.closed_at, case.rating, case.on_time = None, None, None
            case.reopen_count += 1
            fields += ["closed_at", "rating", "on_time", "reopen_count"]
        case.status_since = now
        case.deadline_at = deadline_for(case)
        return fields
    return change


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, reason: str = "", department: Department | None = None, instructions: str = "") -> Case:
    """Move a case along `workflow.TRANSITIONS`, by the actor the table names, and record it;
    a dispatch tells the department's handlers, a close the reporter (`notify.py`).

    A dispatch may carry `instructions` for the department (optional, within the length of a
    reason): kept on the case while the department has it, and as the dispatch's reason in the
    timeline, so that every later reader sees what was asked."""
    limit = Case._meta.get_field("instructions").max_length
    instructions = reason_checked(instructions, max_length=limit, field="instructions", noun="派遣要求")
    if instructions and reason:
        raise ValidationError({"reason": "派遣时请把要求写在派遣要求中"})
    reason = reason or instructions
    case = workflow_move(
        workflow.WORKFLOW, case, to=to, actor=actor, reason=reason, may=_may(actor, to), change=_apply(department, instructions), related=("department",),
    )
    if case.status == S.ACCEPTED and (route := route_of(case)) is not None:
        # A routed case (a property case in a compound) goes on at once to the department its
        # router names, dispatched by the official who accepted it.
        case = workflow_move(
            workflow.WORKFLOW, case, to=S.DISPATCHED, actor=actor, reason=route.instructions, may=_may(actor, S.DISPATCHED),
            change=_apply(route.department, route.instructions), related=("department",),
        )
    if case.status == S.DISPATCHED:
        case_dispatched_notify(case)
    elif case.status == S.CLOSED:
        case_closed_notify(case)
    return case


@transaction.atomic
def case_rate(*, case: Case, rating: int, actor) -> Case:
    """The reporter's satisfaction with a closed case, once per closing (1 to 5)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not is_reporter(actor, case):
        raise PermissionDenied("只有上报人可以评价")
    if case.status != S.CLOSED or case.duplicate_of_id:
        raise ValidationError({"rating": "事件结案后才能评价"})
    if case.rating is not None:
        raise ValidationError({"rating": "已评价过，不能重复评价"})
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "满意度应为 1 至 5 的整数"})
    case.rating = rating
    case.save(update_fields=["rating"])
    return case


def _merged_into(into: Case) -> Callable[[Case, Move, datetime], list[str]]:
    def change(case: Case, move: Move, now: datetime) -> list[str]:
        case.status_since, case.closed_at, case.deadline_at, case.duplicate_of = now, now, None, into
        return ["status_since", "closed_at", "deadline_at", "duplicate_of"]
    return change


@transaction.atomic
def case_merge(*, case: Case, into: Case, actor) -> Case:
    """Close a duplicate into the case it repeats (the dispatcher's call): the move `workflow.MERGE`."""
    case, into = (Case.objects.select_for_update().get(pk=pk) for pk in (case.pk, into.pk))
    if not (is_dispatcher(actor, case) and is_dispatcher(actor, into)):
        raise PermissionDenied("只有负责这两个事件所在网格的干部可以合并")
    if case.pk == into.pk:
        raise ValidationError({"into": "不能合并到自身"})
    if case.status not in workflow.OPEN:
        raise ValidationError({"into": f"事件 {case.number} 已办结，不能再合并"})
    if into.status not in workflow.OPEN or into.duplicate_of_id:
        raise ValidationError({"into": f"事件 {into.number} 已办结或已被合并，不能作为合并目标"})
    case = workflow_move(
        workflow.WORKFLOW, case, name=workflow.MERGE, actor=actor, reason=f"重复上报，合并到 {into.number}",
        may=_may(actor, S.CLOSED), change=_merged_into(into),
    )
    case_closed_notify(case, merged_into=into)
    return case


def _degree_box(lon: float, lat: float, metres: float) -> list[float]:
    """[west, east, south, north]: a generous box in degrees narrows the rows; the ellipsoid decides."""
    dlat = metres / 110_000 * 1.5
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return [lon - dlon, lon + dlon, lat - dlat, lat + dlat]


# At most this many are offered (the nearest): a phone shows them as a short list, and a
# dispatcher merges one report at a time.
DUPLICATES_OFFERED = 5

# A range of the partial index case_open_near, written out (`wangge.core.rows`): every report asks.
# Nearest first by a flat-earth distance, which at these few tens of metres orders as the
# ellipsoid does; the ellipsoid then decides who is within reach.
_NEAR_FIELDS = ("id", "number", "status", "lon", "lat", "reported_at", "grid_code")
_NEAR = (
    f"SELECT {rows.columns(Case, 'c', _NEAR_FIELDS)} FROM {Case._meta.db_table} c "  # noqa: S608 - constants
    f"WHERE category_id = %s AND status IN ({', '.join(['%s'] * len(workflow.OPEN))}) AND duplicate_of_id IS NULL "
    "AND reported_at >= %s AND reported_at <= %s AND lon >= %s AND lon <= %s AND lat >= %s AND lat <= %s AND id <> %s "
    f"ORDER BY (lat - %s) * (lat - %s) + (lon - %s) * (lon - %s) * %s, id LIMIT {DUPLICATES_OFFERED}"
)


def case_duplicates_near(*, category: Category, lon: float, lat: float, at: datetime | None = None, exclude: Case | None = None) -> list[tuple[Case, float]]:
    """The open cases of the same category within WANGGE_CASE_DUPLICATE_METRES (on the
    ellipsoid) reported within WANGGE_CASE_DUPLICATE_HOURS before `at`: the nearest
    DUPLICATES_OFFERED of them, nearest first, with metres. The cases hold the fields of
    `_NEAR_FIELDS`; any other is read when first asked for."""
    metres, at = settings.WANGGE_CASE_DUPLICATE_METRES, at or timezone.now()
    since = at - timedelta(hours=settings.WANGGE_CASE_DUPLICATE_HOURS)
    moment = connection.ops.adapt_datetimefield_value
    shrink = math.cos(math.radians(lat)) ** 2  # a degree of longitude is this much of one of latitude, squared
    params = [category.pk, *workflow.OPEN, moment(since), moment(at), *_degree_box(lon, lat, metres), exclude.pk if exclude else 0]
    found = []
    for other, _ in rows.select(Case, _NEAR, [*params, lat, lat, lon, lon, shrink], _NEAR_FIELDS):
        distance = distance_m(lon, lat, other.lon, other.lat)
        if distance <= metres:
            found.append((other, round(distance, 1)))
    return sorted(found, key=lambda pair: pair[1])


@transaction.atomic
def open311_client_issue(*, name: str) -> tuple[Open311Client, str]:
    """A new Open311 client with its service account; returns (client, key). The key is shown
    once: only its SHA-256 digest is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "须填写客户端名称"})
    if Open311Client.objects.filter(name=name).exists():
        raise ValidationError({"name": f"客户端「{name}」已存在"})
    # The resident role with no scope: the account may report and sees nothing of the back office.
    user = User(username=f"open311_{secrets.token_hex(6)}", full_name=f"Open311：{name}"[:50], role=Role.RESIDENT, scope_code="")
    user.set_unusable_password()
    user.full_clean()
    user.save()
    key = secrets.token_urlsafe(32)
    client = Open311Client(name=name, key_digest=open311_key_digest(key), user=user)
    client.full_clean()
    client.save()
    return client, key


@transaction.atomic
def open311_client_revoke(*, name: str) -> Open311Client:
    """Stop a client's key and its service account; the cases it reported stay as they are."""
    client = Open311Client.objects.select_related("user").filter(name=(name or "").strip()).first()
    if client is None:
        raise ValidationError({"name": f"没有名为「{name}」的客户端"})
    client.active = False
    client.save(update_fields=["active"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    return client


def open311_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()

"""Writes to cases: reporting, moving through the closed loop, rating, merging duplicates."""

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pyproj import Geod

from wangge.accounts.models import Role, User
from wangge.geo.locator import grid_at
from wangge.people.selectors.addresses import resolve_address
from wangge.receipts import next_number

from . import workflow
from .models import MAX_DESCRIPTION, Case, CaseTransition, Category, Department, Open311Client
from .permissions import ACTOR_LABELS, is_dispatcher, is_reporter, may_act, within_reopen_window
from .sla import deadline_for, stages_on_time

S = Case.Status
NUMBER_PREFIX = "SJ"
_GEOD = Geod(ellps="WGS84")  # CGCS2000's ellipsoid differs from WGS84's by under 0.1 mm here
_NUMBER_ATTEMPTS = 50


def _record(case: Case, *, from_status: str, actor, reason: str, at: datetime) -> CaseTransition:
    return CaseTransition.objects.create(
        case=case, from_status=from_status, to_status=case.status, actor=actor, at=at, reason=reason, deadline_at=case.deadline_at
    )


def _check_point(lon, lat) -> str:
    """The level-3 grid the point lies in."""
    if not (isinstance(lon, int | float) and math.isfinite(lon) and -180 <= lon <= 180):
        raise ValidationError({"lon": "经度应为 -180 至 180 之间的数"})
    if not (isinstance(lat, int | float) and math.isfinite(lat) and -90 <= lat <= 90):
        raise ValidationError({"lat": "纬度应为 -90 至 90 之间的数"})
    grid = grid_at(float(lon), float(lat))
    if grid is None:
        raise ValidationError({"lon": "该位置不在本区任何网格内，请核对经纬度"})
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


def _save_new(case: Case) -> Case | None:
    """Insert with a fresh receipt number; None when the (reporter, client id) already exists.

    Two reports at the same moment may read the same last number; the unique index refuses
    the second, which takes the next number inside its own savepoint.
    """
    for _ in range(_NUMBER_ATTEMPTS):
        case.number = next_number(Case, NUMBER_PREFIX, timezone.localdate(case.reported_at))
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return case
        except IntegrityError:
            case.pk = None
            if case.client_id and Case.objects.filter(reporter=case.reporter, client_id=case.client_id).exists():
                return None
    raise IntegrityError("受理编号连续冲突，请稍后重试")


@transaction.atomic
def case_report(
    *, reporter, category: Category, description: str, lon: float | None = None, lat: float | None = None, client_id: str = "",
    address: str = "",
) -> tuple[Case, bool]:
    """Report a case at a point or an address; returns (case, created). The same (reporter,
    client id) sent again returns the case it made the first time, whatever else the second
    request says."""
    client_id = (client_id or "").strip()
    if client_id and (existing := Case.objects.filter(reporter=reporter, client_id=client_id).first()):
        return existing, False
    lon, lat, address = _where(lon, lat, address)
    grid = _check_point(lon, lat)
    if not category.active:
        raise ValidationError({"category": f"类别「{category.name}」已停用"})
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError({"description": f"描述不能超过 {MAX_DESCRIPTION} 字"})
    now = timezone.now()
    case = Case(
        reporter=reporter, client_id=client_id, category=category, description=description, lon=float(lon), lat=float(lat),
        address=(address or "").strip(), grid_code=grid, status=S.REPORTED, reported_at=now, status_since=now,
        number=f"{NUMBER_PREFIX}{timezone.localdate(now):%Y%m%d}000000",
    )
    # The category and reporter are rows already in hand: no need to look them up again.
    case.full_clean(exclude=["number", "reporter", "client_id", "category"], validate_constraints=False)
    case.deadline_at = deadline_for(case)
    saved = _save_new(case)
    if saved is None:
        return Case.objects.get(reporter=reporter, client_id=client_id), False
    _record(saved, from_status="", actor=reporter, reason="", at=now)
    return saved, True


def _refuse_illegal(case: Case, to: str) -> str:
    if to not in S.values:
        raise ValidationError({"to": f"未知的状态：{to}"})
    if not workflow.allowed(case.status, to):
        raise ValidationError({"to": f"不能从「{case.get_status_display()}」转为「{S(to).label}」"})
    return workflow.actor_for(case.status, to)


def _check_actor(kind: str, actor, case: Case, to: str) -> None:
    if not may_act(kind, actor, case):
        raise PermissionDenied(f"只有{ACTOR_LABELS[kind]}可以将事件转为「{S(to).label}」")
    if kind == "reporter" and not within_reopen_window(case):
        raise ValidationError({"to": f"结案已超过 {settings.WANGGE_CASE_REOPEN_DAYS} 天，不能再重新打开"})


def _apply(case: Case, to: str, department: Department | None, now: datetime) -> list[str]:
    """Set what the move changes besides the status; returns the fields it touched."""
    fields = ["status", "status_since", "deadline_at"]
    if to == S.DISPATCHED:
        if department is None:
            raise ValidationError({"department": "派遣须指定承办部门"})
        if not department.active:
            raise ValidationError({"department": f"部门「{department.name}」已停用"})
        case.department = department
        fields.append("department")
    elif case.status == S.DISPATCHED and to == S.ACCEPTED:
        case.department = None  # returned: the dispatcher chooses again
        fields.append("department")
    elif to == S.CLOSED:
        moves = [*case.transitions.order_by("at", "pk").values_list("at", "deadline_at"), (now, None)]
        case.closed_at, case.on_time = now, stages_on_time(moves)
        fields += ["closed_at", "on_time"]
    elif case.status == S.CLOSED:  # reopened: the earlier result and its rating no longer stand
        case.closed_at, case.rating, case.on_time = None, None, None
        case.reopen_count += 1
        fields += ["closed_at", "rating", "on_time", "reopen_count"]
    case.status, case.status_since = to, now
    case.deadline_at = deadline_for(case)
    return fields


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, reason: str = "", department: Department | None = None) -> Case:
    """Move a case along `workflow.TRANSITIONS`, by the actor the table names, and record it."""
    case = Case.objects.select_for_update(of=("self",)).select_related("department").get(pk=case.pk)
    kind = _refuse_illegal(case, to)
    _check_actor(kind, actor, case, to)
    reason = (reason or "").strip()
    if (case.status, to) in workflow.REASON_REQUIRED and not reason:
        raise ValidationError({"reason": "此操作须说明原因"})
    if len(reason) > 300:
        raise ValidationError({"reason": "原因不能超过 300 字"})
    from_status, now = case.status, timezone.now()
    fields = _apply(case, to, department, now)
    case.full_clean(validate_constraints=False)
    case.save(update_fields=fields)
    _record(case, from_status=from_status, actor=actor, reason=reason, at=now)
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


@transaction.atomic
def case_merge(*, case: Case, into: Case, actor) -> Case:
    """Close a duplicate into the case it repeats (the dispatcher's call)."""
    case, into = (Case.objects.select_for_update().get(pk=pk) for pk in (case.pk, into.pk))
    if not (is_dispatcher(actor, case) and is_dispatcher(actor, into)):
        raise PermissionDenied("只有负责这两个事件所在网格的干部可以合并")
    if case.pk == into.pk:
        raise ValidationError({"into": "不能合并到自身"})
    if case.status not in workflow.OPEN:
        raise ValidationError({"into": f"事件 {case.number} 已办结，不能再合并"})
    if into.status not in workflow.OPEN or into.duplicate_of_id:
        raise ValidationError({"into": f"事件 {into.number} 已办结或已被合并，不能作为合并目标"})
    from_status, now = case.status, timezone.now()
    case.status, case.status_since, case.closed_at, case.deadline_at, case.duplicate_of = S.CLOSED, now, now, None, into
    case.save(update_fields=["status", "status_since", "closed_at", "deadline_at", "duplicate_of"])
    _record(case, from_status=from_status, actor=actor, reason=f"重复上报，合并到 {into.number}", at=now)
    return case


def _degree_box(lon: float, lat: float, metres: float) -> dict:
    # A generous box in degrees narrows the rows; the ellipsoid decides.
    dlat = metres / 110_000 * 1.5
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return {"lon__gte": lon - dlon, "lon__lte": lon + dlon, "lat__gte": lat - dlat, "lat__lte": lat + dlat}


def case_duplicates_near(*, category: Category, lon: float, lat: float, at: datetime | None = None, exclude: Case | None = None) -> list[tuple[Case, float]]:
    """Open cases of the same category within WANGGE_CASE_DUPLICATE_METRES (on the ellipsoid)
    reported within WANGGE_CASE_DUPLICATE_HOURS before `at`; nearest first, with metres."""
    metres, at = settings.WANGGE_CASE_DUPLICATE_METRES, at or timezone.now()
    since = at - timedelta(hours=settings.WANGGE_CASE_DUPLICATE_HOURS)
    candidates = Case.objects.filter(
        category=category, status__in=workflow.OPEN, duplicate_of__isnull=True, reported_at__gte=since, reported_at__lte=at, **_degree_box(lon, lat, metres)
    ).exclude(pk=exclude.pk if exclude else None)
    found = []
    for other in candidates:
        distance = _GEOD.inv(lon, lat, other.lon, other.lat)[2]
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

"""Cases: report (with Idempotency-Key), list, read with the timeline, move, rate, merge, figures,
and the grid a point falls in (asked by the report form before it sends)."""

import json
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Header, Query, Router
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from wangge.core.errors import ApiError, ErrorOut
from wangge.core.idempotency import idempotent
from wangge.core.pagination import Paged, Shown
from wangge.geo.geometry.validation import point_checked

from . import selectors, selectors_pages, services
from .follow import follow_code
from .models import Case, Department
from .permissions import can_report, may_see_staff_names
from .photos_api import photos_of
from .schemas import (
    CaseDetailOut,
    CaseIn,
    CaseOut,
    FiguresOut,
    GridAtOut,
    MergeIn,
    RatingIn,
    ReportOut,
    TransitionIn,
)

# The API's own renderer (the project's NinjaAPI keeps ninja's default), without importing the
# project's API from inside one of its routers.
_JSON = JSONRenderer()
_JSON_TYPE = f"{_JSON.media_type}; charset={_JSON.charset}"

router = Router(tags=["事件"])


def _out(case: Case, user) -> dict:
    into = case.duplicate_of.number if case.duplicate_of_id and selectors.case_readable(user, case.duplicate_of_id) else None
    instructions = selectors_pages.staff_text(case.instructions, named=may_see_staff_names(user, case)) if case.instructions else ""
    return {
        "id": case.pk, "number": case.number, "status": case.status, "status_label": case.get_status_display(),
        "category": case.category.code, "category_name": case.category.name, "description": case.description,
        "lon": case.lon, "lat": case.lat, "address": case.address, "grid_code": case.grid_code,
        "department": case.department.code if case.department_id else None, "instructions": instructions,
        "reported_at": case.reported_at, "status_since": case.status_since, "deadline_at": case.deadline_at,
        "closed_at": case.closed_at, "rating": case.rating, "merged": case.duplicate_of_id is not None, "duplicate_of": into,
    }


def _detail(case: Case, user) -> dict:
    reading = selectors_pages.case_reading(user, case)
    moves = [
        {"from_status": m.from_status, "to_status": m.to_status, "actor": selectors_pages.shown_user(m.actor, named=reading.names) if m.actor else None,
         "at": m.at, "reason": selectors_pages.move_reason(m.reason, case, reading)}
        for m in selectors.case_timeline(case)
    ]
    return {**_out(case, user), "timeline": moves, "photos": photos_of(case)}


def _report(user, payload: CaseIn) -> tuple[int, dict]:
    """201 and the case, also when this reporter's client_id made it before: a client that
    sends its report again (it never saw the answer) gets the first answer, duplicates offered
    as at the report's moment included, whatever else the second request says."""
    category = selectors.category_by_code(payload.category)
    if category is None:
        raise ValidationError({"category": f"未知的类别：{payload.category}"})
    case, created = services.case_report(reporter=user, **payload.dict(exclude={"category"}), category=category)
    near = case.near if created else services.case_duplicates_near(
        category=case.category, lon=case.lon, lat=case.lat, at=case.reported_at, exclude=case,
    )
    duplicates = [{"id": c.pk, "number": c.number, "status_label": Case.Status(c.status).label, "distance_m": metres, "reported_at": c.reported_at} for c, metres in near]
    answer = {**_out(case, user), "duplicates": duplicates, "follow_code": follow_code(case)}
    # As the API renders it (times to the millisecond, in UTC): the stored answer of the
    # Idempotency-Key, which a retry gets byte for byte.
    return 201, json.loads(json.dumps(_in_utc(answer), cls=NinjaJSONEncoder))


def _in_utc(value):
    """Every time of an answer in UTC: a new case's come from the clock and the calendar (in
    the site's zone), a stored case's from the database (in UTC), and both must read the same."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, dict):
        return {key: _in_utc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_in_utc(item) for item in value]
    return value


@router.post("", response={201: ReportOut})
def case_report(request, payload: CaseIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Report a case. 201 with the case; a client_id this reporter has sent before gets the
    first answer again (the same case, status and duplicates). With an Idempotency-Key a retry
    gets the first answer again; the same key with a different body answers 422, and 409 while
    the first request is still running."""
    if not can_report(request.user):
        raise PermissionDenied("没有权限上报事件")
    if idempotency_key is None:
        status, answer = _report(request.user, payload)
    else:
        status, answer = idempotent(user=request.user, key=idempotency_key, payload=payload.dict(), handle=lambda: _report(request.user, payload))
    # Rendered as it is: `_report` made it from ReportOut's fields, and validating it again
    # against the schema cost a report more than its SQL did.
    return HttpResponse(_JSON.render(request, answer, response_status=status), status=status, content_type=_JSON_TYPE)


@router.get("", response={200: list[CaseOut], 400: ErrorOut, 429: ErrorOut})
@paginate(Paged)
def case_list(
    request, status: str | None = None, grid: str | None = None, category: str | None = None,
    q: str | None = Query(None, description="搜索：受理编号（或其开头）、完整手机号（上报人登记的手机），或地址、上报人姓名中的词"),
    sort: str | None = Query(None, description="排序：不指定时最新上报在前；newest（同一状态内最新在前）、oldest、urgency（超时最久在前）"),
):
    if status and status not in Case.Status.values:
        known = "、".join(f"{value}（{label}）" for value, label in Case.Status.choices)
        raise ValidationError({"status": f"未知的状态：{status}；应为以下之一：{known}"})
    q, chosen = selectors.search_checked(q, sort, default_sort="newest")
    services.case_search_count(actor=request.user, q=q)
    cases = selectors.case_search(selectors.case_list(request.user), q).select_related("category", "department", "duplicate_of")
    if status:
        cases = cases.filter(status=status)
    if grid:
        cases = cases.filter(grid_code=grid)
    kind = selectors.category_by_code(category) if category else None
    if category:
        cases = cases.filter(category=kind) if kind else cases.none()

    def count() -> int:  # from the summary where it is kept, not COUNT(*) over every case
        return 0 if category and not kind else selectors.case_list_count(request.user, status=status or "", grid=grid or "", category=kind)

    # Unasked, the newest report first: an index scan on reported_at however many cases there
    # are; a search is counted over what it found.
    ordered = selectors.case_sorted(cases, chosen, timezone.now()) if sort else cases.order_by("-reported_at", "-pk")
    return Shown(ordered, lambda case: _out(case, request.user), count=None if q else count)


@router.get("/figures", response=FiguresOut)
def case_figures(request):
    return selectors.case_figures(request.user)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # refused by the coordinates' rule, which names the field


@router.get("/grid-at", response={200: GridAtOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def case_grid_at(request, lon: str = Query(..., description="经度（WGS84）"), lat: str = Query(..., description="纬度（WGS84）")):
    """上报前查看：该点位所在的三级网格（编码和名称）；不在本区任何网格内时答 404。"""
    if not can_report(request.user):
        raise PermissionDenied("没有权限上报事件")
    point = point_checked(_number(lon), _number(lat))
    found = selectors.grid_at_point(*point)
    if found is None:
        raise ApiError(404, services.OUTSIDE_THE_DISTRICT)
    return found


@router.get("/{case_id}", response=CaseDetailOut)
def case_detail(request, case_id: int):
    return _detail(selectors.case_get(request.user, case_id), request.user)


@router.post("/{case_id}/transition", response=CaseDetailOut)
def case_transition(request, case_id: int, payload: TransitionIn):
    case = selectors.case_get(request.user, case_id)
    department = None
    if payload.department:
        department = Department.objects.filter(code=payload.department).first()
        if department is None:
            raise ValidationError({"department": f"未知的部门：{payload.department}"})
    services.case_transition(case=case, to=payload.to, actor=request.user, reason=payload.reason, department=department, instructions=payload.instructions)
    return _detail(selectors.case_get(request.user, case_id), request.user)


@router.post("/{case_id}/rate", response=CaseOut)
def case_rate(request, case_id: int, payload: RatingIn):
    case = selectors.case_get(request.user, case_id)
    return _out(services.case_rate(case=case, rating=payload.rating, actor=request.user), request.user)


@router.post("/{case_id}/merge", response=CaseDetailOut)
def case_merge(request, case_id: int, payload: MergeIn):
    case = selectors.case_get(request.user, case_id)
    into = selectors.case_get(request.user, payload.into)
    services.case_merge(case=case, into=into, actor=request.user)
    return _detail(selectors.case_get(request.user, case_id), request.user)

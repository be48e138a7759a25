"""A case's own page: what it is, where it is on a map, its whole timeline with the deadline of
every stage, its escalations, and the forms for the moves the caller may make now.

This module also holds `perform`, the one handler of the action forms that the queues and the
case page post: it reads the form, calls a service and turns a refusal into the Chinese message
shown next to the form. Views never write a case themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone

from wangge.accounts.permissions import is_official
from wangge.geo.scope import scope_of

from .. import selectors, selectors_pages, services, workflow
from ..models import Case, CasePhoto
from ..permissions import is_dispatcher, may_add_after_photo, may_rate, moves_for
from ..photos import case_photo_add

S = Case.Status

# The button each move is offered as, and the note it asks for: (label, note label or "").
MOVE_LABELS = {
    (S.REPORTED, S.ACCEPTED): ("立案", ""),
    (S.REPORTED, S.REJECTED): ("不予立案", "不予立案原因"),
    (S.ACCEPTED, S.DISPATCHED): ("派遣", ""),
    (S.DISPATCHED, S.HANDLING): ("开始处置", ""),
    (S.DISPATCHED, S.ACCEPTED): ("退回派遣", "退回原因"),
    (S.HANDLING, S.HANDLED): ("处置完毕", "处置说明"),
    (S.HANDLED, S.VERIFIED): ("核查通过", ""),
    (S.HANDLED, S.HANDLING): ("核查不通过", "不通过原因"),
    (S.VERIFIED, S.CLOSED): ("结案", ""),
    (S.CLOSED, S.ACCEPTED): ("重新打开", "重新打开原因"),
}
FIELD_LABELS = {
    "to": "操作", "reason": "原因", "department": "承办部门", "into": "合并目标", "rating": "满意度", "actor": "操作人",
    "q": "搜索", "sort": "排序", "file": "照片", "instructions": "派遣要求",
}


def move_forms(user, case: Case) -> list[dict]:
    """The forms for `permissions.moves_for`: exactly the moves the service would accept."""
    forms = []
    for to in moves_for(user, case):
        label, note = MOVE_LABELS.get((case.status, to), (S(to).label, ""))
        forms.append({
            "to": to, "label": label, "note": note, "note_required": (case.status, to) in workflow.REASON_REQUIRED,
            "department": to == S.DISPATCHED, "danger": (case.status, to) in workflow.REASON_REQUIRED,
        })
    return forms


def merge_candidates(user, case: Case) -> list[dict]:
    """Open cases near a reported one that it may repeat, among those the dispatcher may merge into."""
    if case.status != S.REPORTED or not is_dispatcher(user, case):
        return []
    scope = scope_of(user)
    near = services.case_duplicates_near(category=case.category, lon=case.lon, lat=case.lat, at=case.reported_at, exclude=case)
    return [{"id": other.pk, "number": other.number, "status": other.get_status_display(), "metres": metres} for other, metres in near if scope.covers(other.grid_code)]


def field_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(f"{FIELD_LABELS.get(field, field)}：{'，'.join(texts)}" for field, texts in error.message_dict.items())
    return "；".join(error.messages)


def _department(code: str):
    code = (code or "").strip()
    if not code:
        return None
    department = selectors_pages.department_by_code(code)
    if department is None:
        raise ValidationError({"department": f"未知的部门：{code}"})
    return department


def _merge(request, case: Case) -> Case:
    into_id = request.POST.get("into", "").strip()
    if not into_id.isdigit():
        raise ValidationError({"into": "请选择要合并到的事件"})
    try:
        into = selectors.case_get(request.user, int(into_id))
    except Http404:
        raise ValidationError({"into": "合并目标不存在或不在您的管辖范围内"}) from None
    return services.case_merge(case=case, into=into, actor=request.user)


def _rate(request, case: Case) -> Case:
    rating = request.POST.get("rating", "").strip()
    if not rating.isdigit():
        raise ValidationError({"rating": "请选择 1 至 5 的满意度"})
    return services.case_rate(case=case, rating=int(rating), actor=request.user)


def perform(request, case: Case) -> str | None:
    """Carry out the posted action on `case` through a service: None when done (with a notice
    for the next page), else the refusal in Chinese. A refused action changes nothing."""
    action = request.POST.get("action", "move")
    try:
        if action == "move":
            department = _department(request.POST.get("department", ""))
            to = request.POST.get("to", "")
            case = services.case_transition(
                case=case, to=to, actor=request.user, reason=request.POST.get("reason", ""), department=department,
                instructions=request.POST.get("instructions", ""),
            )
            messages.success(request, f"事件 {case.number} 已转为「{case.get_status_display()}」")
        elif action == "merge":
            case = _merge(request, case)
            messages.success(request, f"事件 {case.number} 已合并到 {case.duplicate_of.number}")
        elif action == "photo":
            case_photo_add(case=case, actor=request.user, upload=request.FILES.get("file"), stage=CasePhoto.Stage.AFTER)
            messages.success(request, f"已为事件 {case.number} 添加处置后照片")
        elif action == "rate":
            case = _rate(request, case)
            messages.success(request, f"已评价事件 {case.number}：{case.rating} 分")
        else:
            raise ValidationError({"to": f"未知的操作：{action}"})
    except ValidationError as error:
        return field_message(error)
    except PermissionDenied as error:
        return str(error) or "没有权限进行此操作"
    return None


def home_for(user) -> str:
    """Where a user goes once a case has left their sight (e.g. a handler returned it)."""
    if is_official(user):
        return "/cases/dispatch"
    if selectors_pages.handles_departments(user):
        return "/cases/department"
    return "/cases/grid" if user.role == "grid_worker" else "/"


@login_required
def case_page(request, case_id: int):
    case = selectors.case_get(request.user, case_id)
    error = None
    if request.method == "POST":
        error = perform(request, case)
        if error is None:
            still_seen = selectors.case_list(request.user).filter(pk=case.pk).exists()
            return redirect(request.path if still_seen else home_for(request.user))
        case = selectors.case_get(request.user, case_id)
    return render(request, "cases/case.html", _context(request.user, case, error), status=400 if error else 200)


def _photos(case: Case) -> dict[str, list[dict]]:
    """Thumbnails through the photo endpoint by stage (before, after), shown only once that
    endpoint is served."""
    photos: dict[str, list[dict]] = {stage: [] for stage in CasePhoto.Stage.values}
    for photo in case.photos.order_by("uploaded_at", "pk"):
        url = f"/api/cases/{case.pk}/photos/{photo.pk}"
        try:
            resolve(url)
        except Resolver404:
            return {}
        photos[photo.stage].append({"url": url, "width": photo.width, "height": photo.height})
    return photos if any(photos.values()) else {}


def _merged_into(case: Case, reading) -> dict | None:
    """The case a duplicate went into: its number and page to a reader who may read it, else
    only how it stands (the reporter follows it through their own case)."""
    if not case.duplicate_of_id:
        return None
    into = case.duplicate_of
    if reading.merged_into:
        return {"number": into.number, "pk": into.pk}
    return {"text": workflow.MERGED, "status": into.get_status_display()}


def _context(user, case: Case, error: str | None) -> dict:
    now = timezone.now()
    grid = selectors_pages.case_grid(case)
    # Set on the case as the queues do, so that one partial draws the forms everywhere.
    case.forms, case.candidates = move_forms(user, case), merge_candidates(user, case)
    reading = selectors_pages.case_reading(user, case)
    return {
        "case": case,
        "now": now,
        "overdue": selectors_pages.overdue_text(case.deadline_at, now) if case.status in workflow.OPEN else "",
        "reporter": selectors_pages.shown_user(case.reporter, named=reading.names),
        "grid": grid,
        "photos": _photos(case),
        "may_add_after_photo": may_add_after_photo(user, case),
        "timeline": selectors_pages.case_timeline_rows(case, now, reading),
        "merged_into": _merged_into(case, reading),
        "escalations": selectors_pages.case_escalations(case),
        "merged_here": list(selectors.case_list(user).filter(duplicate_of=case).order_by("pk").values_list("number", flat=True)),
        "departments": selectors_pages.active_departments() if any(f["department"] for f in case.forms) else [],
        "may_rate": may_rate(user, case),
        "reopen_until": case.reopen_until if case.status == S.CLOSED else None,
        "error": {"case": case.pk, "message": error} if error else None,
        "map_data": {"number": case.number, "lon": case.lon, "lat": case.lat, "outline": grid.geometry if grid else None},
    }

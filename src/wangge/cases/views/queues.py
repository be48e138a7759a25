"""The three queues of the closed loop, one per actor in `workflow.TRANSITIONS`: the dispatcher's
(officials), the department's (its handlers) and the grid worker's (their grid).

Each row offers the moves `permissions.moves_for` allows; a posted form goes through
`case_page.perform` and comes back to the same list (with its filters), or shows the refusal
next to that row's forms with nothing changed.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from wangge.accounts.models import Role
from wangge.accounts.permissions import is_official
from wangge.core.pagination import page_of
from wangge.core.tables import exporting, table_export
from wangge.geo.selectors import node_names

from .. import escalation, selectors, selectors_pages
from ..models import Case
from .case_page import field_message, merge_candidates, move_forms, perform

PAGE_SIZE = 50
CASE_COLUMNS = ["受理编号", "状态", "类别", "网格", "网格代码", "地址", "问题描述", "承办部门", "上报时间", "环节时限"]


def _search(request, default_sort: str) -> tuple[str, str, str]:
    """The search words and order the query string asks for, and the refusal (naming the
    field) when they are not ones the queues take; refused, the queue shows nothing."""
    try:
        q, sort = selectors.search_checked(request.GET.get("q"), request.GET.get("sort"), default_sort=default_sort)
    except ValidationError as refused:
        return "", default_sort, field_message(refused)
    return q, sort, ""


def _post_on_case(request) -> dict | None:
    """Act on the case the form names (found through the caller's scope); the error, if any."""
    case_id = request.POST.get("case", "")
    if not case_id.isdigit():
        raise Http404
    case = selectors.case_get(request.user, int(case_id))
    message = perform(request, case)
    return None if message is None else {"case": case.pk, "message": message}


def _case_cells(cases: list[Case]) -> list[list]:
    """A queue's rows as the export writes them: names rather than codes (the code beside)."""
    names = node_names(case.grid_code for case in cases)
    return [
        [case.number, case.get_status_display(), case.category.name, names.get(case.grid_code, ""), case.grid_code,
         case.address, case.description, case.department.name if case.department else "", case.reported_at, case.deadline_at]
        for case in cases
    ]


def _export(request, cases, *, table: str, title: str):
    """The queue as the page shows it (scope, filters, search, order), every page of it."""
    return table_export(request, cases, table=table, title=title, columns=CASE_COLUMNS, cells=_case_cells)


def _decorate(user, cases, now, *, candidates: bool = False) -> list[Case]:
    """What each row shows besides the case: how long overdue, its forms, possible duplicates."""
    for case in cases:
        case.overdue = selectors_pages.overdue_text(case.deadline_at, now)
        case.forms = move_forms(user, case)
        case.candidates = merge_candidates(user, case) if candidates else []
    return list(cases)


@login_required
def dispatch_queue(request):
    user = request.user
    if not is_official(user):
        raise PermissionDenied("只有区、街道、社区干部可以查看派遣队列")
    error = None
    if request.method == "POST":
        error = _post_on_case(request)
        if error is None:
            return redirect(request.get_full_path())
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "category", "grid")}
    filters["q"], filters["sort"], refused = _search(request, "urgency")
    now = timezone.now()
    queue = selectors_pages.dispatch_queue(user, category=filters["category"], grid=filters["grid"], q=filters["q"])
    if refused:
        queue = queue.none()
    counts = selectors_pages.status_counts(queue, selectors_pages.DISPATCH_STATUSES)
    if filters["status"] in selectors_pages.DISPATCH_STATUSES:
        queue = queue.filter(status=filters["status"])
    queue = selectors.case_sorted(queue, filters["sort"], now)
    if exporting(request) and not refused:
        return _export(request, queue, table="cases.dispatch", title="派遣队列")
    page = page_of(queue, request.GET.get("page"), size=PAGE_SIZE)
    cases = _decorate(user, page.object_list, now, candidates=True)
    names = node_names(case.grid_code for case in cases)  # the grid by name, its code on hover
    for case in cases:
        case.grid_name = names.get(case.grid_code, "")
    context = {
        "page": page,
        "cases": cases,
        "counts": counts,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "query_but_status": urlencode({k: v for k, v in filters.items() if v and k != "status"}),
        "categories": selectors_pages.active_categories(),
        "grids": selectors_pages.dispatch_grids(user),
        "departments": selectors_pages.active_departments(),
        "sorts": selectors.SORTS,
        "refused": refused,
        "error": error,
    }
    return render(request, "cases/dispatch.html", context, status=400 if error or refused else 200)


def _report_in(request) -> dict | None:
    summons_id = request.POST.get("summons", "")
    summons = selectors_pages.summonses_due(request.user).filter(pk=summons_id).first() if summons_id.isdigit() else None
    if summons is None:
        raise Http404
    try:
        escalation.summons_report(summons=summons, actor=request.user)
    except ValidationError as refused:
        return {"summons": summons.pk, "message": "；".join(refused.messages)}
    messages.success(request, f"{summons.department.name}已就事件 {summons.escalation.case.number} 报到")
    return None


@login_required
def department_queue(request):
    user = request.user
    if not (user.role == Role.DEPARTMENT_HANDLER or selectors_pages.handles_departments(user)):
        raise PermissionDenied("只有职能部门的经办人可以查看部门待办")
    error = None
    if request.method == "POST":
        error = _report_in(request) if request.POST.get("action") == "summons" else _post_on_case(request)
        if error is None:
            return redirect(request.get_full_path())
    now = timezone.now()
    summonses = list(selectors_pages.summonses_due(user))
    for summons in summonses:
        summons.overdue = selectors_pages.overdue_text(summons.due_at, now)
    filters = {}
    filters["q"], filters["sort"], refused = _search(request, "urgency")
    queue = selectors.case_sorted(selectors_pages.department_queue(user, q=filters["q"]), filters["sort"], now)
    if exporting(request) and not refused:
        return _export(request, queue, table="cases.department", title="部门待办")
    page = page_of(queue.none() if refused else queue, request.GET.get("page"), size=PAGE_SIZE)
    context = {
        "page": page,
        "cases": _decorate(user, page.object_list, now),
        "summonses": summonses,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "sorts": selectors.SORTS,
        "refused": refused,
        "error": error,
    }
    return render(request, "cases/department.html", context, status=400 if error or refused else 200)


@login_required
def grid_cases(request):
    user = request.user
    if user.role != Role.GRID_WORKER:
        raise PermissionDenied("只有网格员可以查看本网格事件")
    error = None
    if request.method == "POST":
        error = _post_on_case(request)
        if error is None:
            return redirect(request.get_full_path())
    now = timezone.now()
    filters = {}
    filters["q"], filters["sort"], refused = _search(request, "urgency")
    lists = selectors_pages.grid_cases(user, now, q=filters["q"], sort=filters["sort"]) if not refused else {"to_verify": [], "open": [], "closed": []}
    if exporting(request) and not refused:
        return _export(request, lists["to_verify"] + lists["open"] + lists["closed"], table="cases.grid", title="网格事件")
    context = {
        "to_verify": _decorate(user, lists["to_verify"], now),
        "open": _decorate(user, lists["open"], now),
        "closed": lists["closed"],
        "recent_days": selectors_pages.RECENTLY_CLOSED_DAYS,
        "filters": filters,
        "sorts": selectors.SORTS,
        "refused": refused,
        "error": error,
    }
    return render(request, "cases/grid_cases.html", context, status=400 if error or refused else 200)

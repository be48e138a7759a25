"""The cases' share of the headline figures, computed from the cases at request time.

Two queries, each answered from a partial index of migration 0006 without reading the table:
the open cases by grid code, and the closed cases by close time (with grid code and on_time in
the index), so the figures stay well under a second over ten million cases.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import Case
from .workflow import OPEN

RECENT_DAYS = 30


def figures(scope) -> dict:
    # Merged duplicates are parts of another case, not cases of their own.
    cases = Case.objects.filter(scope.q("grid_code"), duplicate_of__isnull=True).order_by()
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = cases.filter(status=Case.Status.CLOSED, closed_at__gte=since).aggregate(
        # Counted over indexed columns only (not COUNT(id)), so the index alone answers.
        closed=Count("*"), on_time=Count("on_time", filter=Q(on_time=True))
    )
    return {
        "cases_open": cases.filter(status__in=OPEN).count(),
        "cases_closed_last_30_days": recent["closed"],
        "on_time_rate": round(recent["on_time"] / recent["closed"], 4) if recent["closed"] else None,
    }


def _case_records(title: str, cases, *, closed: bool):
    from wangge.core.figures import Records

    columns = ["受理编号", "类别", "状态", "所在网格", "承办部门", "上报时间"] + (["结案时间", "按时办结"] if closed else [])

    def row(case) -> list:
        cells = [case.number, case.category.name, case.get_status_display(), case.grid_code, case.department.name if case.department else "",
                 timezone.localtime(case.reported_at).strftime("%Y-%m-%d %H:%M")]
        if closed:
            cells += [timezone.localtime(case.closed_at).strftime("%Y-%m-%d %H:%M"), {True: "是", False: "否"}.get(case.on_time, "")]
        return cells

    sorts = {"受理编号": "number", "类别": ("category__name", "number"), "状态": ("status", "number"), "所在网格": ("grid_code", "number"),
             "承办部门": ("department__name", "number"), "上报时间": "reported_at", "结案时间": "closed_at"}
    return Records(title=title, columns=columns, rows=cases, row=row, link=lambda case: f"/cases/{case.pk}", sorts=sorts, search=("number", "address", "grid_code"))


def open_case_records(scope):
    from .selectors_figures import open_case_list

    return _case_records("未办结事件", open_case_list(scope), closed=False)


def recently_closed_records(scope):
    from .selectors_figures import recently_closed_list

    return _case_records(f"近 {RECENT_DAYS} 天结案事件", recently_closed_list(scope), closed=True)


def register_dashboard() -> None:
    """How the cases' figures are published, mapped and charted (see core/figures.py)."""
    from wangge.core.figures import (
        Table,
        describe_figure,
        register_chart,
        register_grid_figure,
    )

    from . import selectors_figures as sf

    section = "事件办理"
    describe_figure("cases_open", "未办结事件", unit="件", caption="已上报尚未结案的事件（不含不予立案和已合并的重复上报）", section=section, records=open_case_records)
    describe_figure("cases_closed_last_30_days", "近 30 天结案", unit="件", caption=f"最近 {RECENT_DAYS} 天内结案的事件", section=section, records=recently_closed_records)
    describe_figure("on_time_rate", "按时办结率", unit="%", caption=f"最近 {RECENT_DAYS} 天结案事件中各环节均按时办结的比例", section=section, percent=True, records=recently_closed_records)
    register_grid_figure("cases_open", "未办结事件", "件", sf.open_cases_by_grid)
    register_grid_figure("on_time_rate", f"按时办结率（近 {RECENT_DAYS} 天）", "%", sf.on_time_by_grid, rate=True)
    months = f"近 {sf.CHART_MONTHS} 个月"
    register_chart("cases_by_category", f"各类事件数量（{months}上报）", "bar",
                   lambda scope: Table(["事件类别", "事件数", "其中未办结"], sf.cases_by_category(scope)), series=(1, 2), order=10)
    register_chart("cases_by_month", f"事件数量按月变化（{months}）", "line",
                   lambda scope: Table(["月份", "上报事件数", "结案事件数"], sf.cases_by_month(scope), partial=sf.month_partial()), series=(1, 2), order=20)
    register_chart("on_time_by_department", f"各职能部门按时办结率（{months}结案）", "bar",
                   lambda scope: Table(["职能部门", "结案数", "按时结案数", "按时办结率"], sf.on_time_by_department(scope)), series=(3,), percent=True, order=30)

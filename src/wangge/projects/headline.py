"""The service projects' published figures in `/api/stats/headline`, computed from the records at
request time within the caller's scope, each with the records behind it on `/dashboard`.

- `project_categories`: the district's active categories (the same for every caller);
- `service_projects`: the projects of the communities in the scope, in any stage but a draft
  (a draft is the community's own working copy, not yet a project anyone proposed);
- `projects_by_category` and `projects_by_status`: the same projects, counted per category code
  and per status, every category and status present (zero where none); the dashboard names them;
- `funds_budgeted` and `funds_spent`: the same projects' budget lines and their disbursements not
  reversed, summed exactly in integer fen and published in yuan as a string with two decimals
  ("1234567.80"), never a float.

The charts page adds the spending of the same projects per category (rows) and source (columns).

A scope is a code prefix: projects by their community's code.
"""

from django.db.models import Count, QuerySet, Sum

from wangge.core.figures import Records

from .models import BudgetLine, Category, Disbursement, FundSource, Project, Status

SECTION = "社区服务项目"
COUNTED = [s for s in Status if s != Status.DRAFT]


def categories(scope=None) -> QuerySet[Category]:
    """The district's active categories; a caller with no scope is counted none (nothing is counted to it)."""
    active = Category.objects.filter(active=True)
    return active.none() if scope is not None and scope.prefix is None else active


def projects_counted(scope) -> QuerySet[Project]:
    return Project.objects.filter(scope.q("community_code")).exclude(status=Status.DRAFT)


def per_category(scope) -> dict[str, int]:
    counted = dict(projects_counted(scope).order_by().values_list("category__code").annotate(n=Count("pk")))
    return {code: counted.get(code, 0) for code in Category.objects.values_list("code", flat=True)}


def per_status(scope) -> dict[str, int]:
    counted = dict(projects_counted(scope).order_by().values_list("status").annotate(n=Count("pk")))
    return {s.value: counted.get(s.value, 0) for s in COUNTED}


def budget_lines(scope) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project__in=projects_counted(scope))


def disbursements(scope) -> QuerySet[Disbursement]:
    """What was paid out of the counted projects' budgets and stands (a reversal cancels its payment)."""
    return Disbursement.objects.filter(project__in=projects_counted(scope), reversed_at__isnull=True)


def yuan_text(fen: int) -> str:
    """Integer fen as exact yuan with two decimals: 123456 -> "1234.56"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def funds_budgeted_fen(scope) -> int:
    return budget_lines(scope).aggregate(total=Sum("amount_fen"))["total"] or 0


def funds_spent_fen(scope) -> int:
    return disbursements(scope).aggregate(total=Sum("amount_fen"))["total"] or 0


# The chart's columns are fixed when it is registered: the first sources by the district's order,
# and the rest summed in the last column.
CHART_SOURCES = 4


def spending_by_category_source(scope) -> tuple[list[str], list[tuple[Category, list[int]]]]:
    """The chart's source columns and, per category in the district's order, the fen spent from
    each (sources past the chart's columns summed in its last)."""
    spent: dict[tuple[int, int], int] = {
        (category, source): total
        for category, source, total in disbursements(scope).order_by().values_list("project__category", "source").annotate(total=Sum("amount_fen"))
    }
    sources = list(FundSource.objects.order_by("order", "pk"))
    shown = sources[: CHART_SOURCES - 1]
    rest = sources[CHART_SOURCES - 1:]
    names = [s.name for s in shown] + [rest[0].name if len(rest) == 1 else "其他来源"]
    names += ["—"] * (CHART_SOURCES - len(names))
    rows = []
    for category in Category.objects.order_by("order", "pk"):
        cells = [spent.get((category.pk, s.pk), 0) for s in shown] + [sum(spent.get((category.pk, s.pk), 0) for s in rest)]
        rows.append((category, cells + [0] * (CHART_SOURCES - len(cells))))
    return names, rows


def spending_table(scope):
    from wangge.core.figures import Table

    names, rows = spending_by_category_source(scope)
    return Table(["类别", *(f"{name}（元）" for name in names)], [[c.name, *(fen / 100 for fen in cells)] for c, cells in rows])


def figures(scope) -> dict:
    return {
        "project_categories": categories(scope).count(),
        "service_projects": projects_counted(scope).count(),
        "projects_by_category": per_category(scope),
        "projects_by_status": per_status(scope),
        "funds_budgeted": yuan_text(funds_budgeted_fen(scope)),
        "funds_spent": yuan_text(funds_spent_fen(scope)),
    }


def category_records(scope):
    return Records(title="服务项目类别", columns=["类别", "代码"], rows=categories(scope), row=lambda c: [c.name, c.code])


def project_records(scope, **where):
    rows = projects_counted(scope).filter(**where).select_related("category").order_by("community_code", "number")
    return Records(
        title="社区服务项目", columns=["项目编号", "项目名称", "类别", "社区代码", "年度", "状态"], rows=rows,
        row=lambda p: [p.number, p.title, p.category.name, p.community_code, p.year, p.get_status_display()],
        link=lambda p: f"/projects/{p.pk}",
    )


def budget_line_records(scope):
    rows = budget_lines(scope).select_related("project", "source").order_by("project__community_code", "project__number", "source__order")
    return Records(
        title="社区服务项目预算", columns=["项目编号", "项目名称", "社区代码", "资金来源", "预算（元）", "已支出（元）"], rows=rows,
        row=lambda b: [b.project.number, b.project.title, b.project.community_code, b.source.name, yuan_text(b.amount_fen), yuan_text(b.spent_fen)],
        link=lambda b: f"/projects/{b.project_id}",
    )


def disbursement_records(scope):
    rows = disbursements(scope).select_related("project", "source").order_by("-paid_on", "-pk")
    return Records(
        title="社区服务项目支出", columns=["支付日期", "项目编号", "项目名称", "资金来源", "收款方", "用途", "金额（元）"], rows=rows,
        row=lambda d: [d.paid_on.isoformat(), d.project.number, d.project.title, d.source.name, d.payee, d.purpose, yuan_text(d.amount_fen)],
        link=lambda d: f"/projects/{d.project_id}",
    )


def _category_figure(code: str):
    from wangge.core.figures import FigureInfo

    category = Category.objects.filter(code=code).first()
    if category is None:
        return None
    return FigureInfo(key=f"projects_by_category.{code}", label=f"{category.name}项目", unit="个", caption=f"类别为“{category.name}”的社区服务项目（不含草拟）",
                      section=SECTION, records=lambda scope: project_records(scope, category=category))


def register_dashboard() -> None:
    from wangge.core.figures import describe_figure, describe_figures, register_chart

    describe_figure("project_categories", "服务项目类别", unit="类", caption="区里设定并启用的社区服务项目类别", section=SECTION,
                    records=category_records)
    describe_figure("service_projects", "社区服务项目", unit="个", caption="已提议及以后各阶段的项目（不含草拟）", section=SECTION,
                    records=project_records)
    for status in COUNTED:
        describe_figure(f"projects_by_status.{status.value}", f"{status.label}的项目", unit="个", caption=f"状态为“{status.label}”的社区服务项目",
                        section=SECTION, records=lambda scope, s=status.value: project_records(scope, status=s))
    describe_figures("projects_by_category", _category_figure)
    describe_figure("funds_budgeted", "项目预算总额", unit="元", caption="已提议及以后各阶段项目的各来源预算合计（精确到分）", section=SECTION,
                    records=budget_line_records)
    describe_figure("funds_spent", "项目支出总额", unit="元", caption="上述项目已登记且未冲销的支出合计（精确到分）", section=SECTION,
                    records=disbursement_records)
    register_chart("project_spending_by_category_source", "社区服务项目各类别、各资金来源支出（元）", "bar", spending_table,
                   series=tuple(range(1, CHART_SOURCES + 1)), order=60)


def register() -> None:
    """Called from the app's `ready()`."""
    from wangge.core.figures import register_figures

    register_figures("projects", figures)
    register_dashboard()

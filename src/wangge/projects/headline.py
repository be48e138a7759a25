"""The service projects' published figures in `/api/stats/headline`, computed from the records at
request time within the caller's scope, each with the records behind it on `/dashboard`.

- `project_categories`: the district's active categories (the same for every caller);
- `service_projects`: the projects of the communities in the scope, in any stage but a draft
  (a draft is the community's own working copy, not yet a project anyone proposed);
- `projects_by_category` and `projects_by_status`: the same projects, counted per category code
  and per status, every category and status present (zero where none); the dashboard names them.

A scope is a code prefix: projects by their community's code.
"""

from django.db.models import Count, QuerySet

from wangge.core.figures import Records

from .models import Category, Project, Status

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


def figures(scope) -> dict:
    return {
        "project_categories": categories(scope).count(),
        "service_projects": projects_counted(scope).count(),
        "projects_by_category": per_category(scope),
        "projects_by_status": per_status(scope),
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


def _category_figure(code: str):
    from wangge.core.figures import FigureInfo

    category = Category.objects.filter(code=code).first()
    if category is None:
        return None
    return FigureInfo(key=f"projects_by_category.{code}", label=f"{category.name}项目", unit="个", caption=f"类别为“{category.name}”的社区服务项目（不含草拟）",
                      section=SECTION, records=lambda scope: project_records(scope, category=category))


def register_dashboard() -> None:
    from wangge.core.figures import describe_figure, describe_figures

    describe_figure("project_categories", "服务项目类别", unit="类", caption="区里设定并启用的社区服务项目类别", section=SECTION,
                    records=category_records)
    describe_figure("service_projects", "社区服务项目", unit="个", caption="已提议及以后各阶段的项目（不含草拟）", section=SECTION,
                    records=project_records)
    for status in COUNTED:
        describe_figure(f"projects_by_status.{status.value}", f"{status.label}的项目", unit="个", caption=f"状态为“{status.label}”的社区服务项目",
                        section=SECTION, records=lambda scope, s=status.value: project_records(scope, status=s))
    describe_figures("projects_by_category", _category_figure)


def register() -> None:
    """Called from the app's `ready()`."""
    from wangge.core.figures import register_figures

    register_figures("projects", figures)
    register_dashboard()

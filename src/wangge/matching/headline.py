"""Supply and demand's published figures in `/api/stats/headline`, computed from the records at
request time within the caller's scope, each with the records behind it on `/dashboard`.

- `resources`: {"total": n, "by_kind": {kind: n}}: the resources of the communities in the scope
  that are offered for matching (a withdrawn one is not counted), every kind present;
- `needs`: the same shape: the needs of the scope in any state, every kind present;
- `facilities`: {"total": n, "by_kind": {kind code: n}}: the service facilities of the scope, every
  kind the district keeps present (zero where none).

A scope is a code prefix: resources and facilities by their community's code, needs as matching's
selectors read them (by community, or by grid for a grid's scope). A caller with no scope is
counted nothing.
"""

from django.db.models import Count, QuerySet

from wangge.core.figures import FigureInfo, Records

from .kinds import Kind
from .models import Facility, FacilityKind, Need, Resource
from .selectors import needs_in_scope, resources_in_scope

SECTION = "供需对接"


def resources_counted(scope) -> QuerySet[Resource]:
    return resources_in_scope(scope).filter(active=True)


def needs_counted(scope) -> QuerySet[Need]:
    return needs_in_scope(scope)


def facilities_counted(scope) -> QuerySet[Facility]:
    return Facility.objects.filter(scope.q("community_code"))


def _by_kind(queryset: QuerySet, field: str, keys) -> dict[str, int]:
    counted = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return {key: counted.get(key, 0) for key in keys}


def _split(queryset: QuerySet, field: str, keys) -> dict:
    by_kind = _by_kind(queryset, field, keys)
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


def figures(scope) -> dict:
    return {
        "resources": _split(resources_counted(scope), "kind", Kind.values),
        "needs": _split(needs_counted(scope), "kind", Kind.values),
        "facilities": _split(facilities_counted(scope), "kind__code", list(FacilityKind.objects.values_list("code", flat=True))),
    }


def resource_records(scope, **where):
    return Records(
        title="资源清单", columns=["资源名称", "资源类型", "提供方类型", "提供方", "可供数量", "社区代码"],
        rows=resources_counted(scope).filter(**where).order_by("community_code", "name", "pk"),
        row=lambda r: [r.name, r.get_kind_display(), r.get_provider_kind_display(), r.provider_name, r.capacity, r.community_code],
        sorts={"资源名称": "name", "可供数量": "capacity", "社区代码": "community_code"}, search=("name", "provider_name"),
    )


def need_records(scope, **where):
    # The resident's name and phone stay out: the records show the need, not who stated it.
    return Records(
        title="需求清单", columns=["受理编号", "需求类别", "所需资源类型", "服务对象", "紧急程度", "社区代码", "状态"],
        rows=needs_counted(scope).filter(**where).order_by("-submitted_at", "-pk"),
        row=lambda n: [n.number, n.category, n.get_kind_display(), n.get_beneficiary_display(), n.urgency, n.community_code, n.get_state_display()],
        sorts={"受理编号": "number", "紧急程度": "urgency", "社区代码": "community_code"}, search=("number", "category"),
    )


def facility_records(scope, **where):
    return Records(
        title="服务设施", columns=["名称", "类型", "社区代码", "地址", "开放时间", "容纳人数", "状态"],
        rows=facilities_counted(scope).filter(**where).select_related("kind").order_by("kind__order", "name", "pk"),
        row=lambda f: [f.name, f.kind.name, f.community_code, f.address, f.hours, f.capacity, f.get_status_display()],
        link=lambda f: f"/matching/facilities/{f.pk}", sorts={"名称": "name", "社区代码": "community_code"}, search=("name", "address"),
    )


def _facility_figure(rest: str) -> FigureInfo | None:
    part, _, code = rest.partition(".")
    kind = FacilityKind.objects.filter(code=code).first() if part == "by_kind" else None
    if kind is None:
        return None
    return FigureInfo(key=f"facilities.by_kind.{code}", label=kind.name, unit="处", caption=f"类型为“{kind.name}”的服务设施", section=SECTION,
                      records=lambda scope: facility_records(scope, kind=kind))


def register_dashboard() -> None:
    from wangge.core.figures import describe_figure, describe_figures

    describe_figure("resources.total", "资源", unit="项", caption="资源清单中可供对接的资源（不含已停用）", section=SECTION, records=resource_records)
    describe_figure("needs.total", "群众需求", unit="项", caption="需求清单中的需求（各状态）", section=SECTION, records=need_records)
    for kind in Kind:
        describe_figure(f"resources.by_kind.{kind.value}", f"{kind.label}资源", unit="项", caption=f"类型为“{kind.label}”的可用资源", section=SECTION,
                        records=lambda scope, k=kind.value: resource_records(scope, kind=k))
        describe_figure(f"needs.by_kind.{kind.value}", f"需要{kind.label}的需求", unit="项", caption=f"所需资源类型为“{kind.label}”的需求",
                        section=SECTION, records=lambda scope, k=kind.value: need_records(scope, kind=k))
    describe_figure("facilities.total", "服务设施", unit="处", caption="各社区的服务设施（含维护中）", section=SECTION, records=facility_records)
    describe_figures("facilities", _facility_figure)


def register() -> None:
    """Called from the app's `ready()`."""
    from wangge.core.figures import register_figures

    register_figures("matching", figures)
    register_dashboard()

"""Reads of grid posts and the staffing report under 一格一干 多专多群."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from wangge.geo.models import Division
from wangge.geo.scope import Scope
from wangge.geo.selectors import basic_grids

from ..models import GridPost

Role = GridPost.Role
TEAM_ROLES = (Role.LEADER, Role.DEPUTY, Role.FULL_TIME, Role.SPECIALIST)


def post_list(scope: Scope) -> QuerySet[GridPost]:
    """Posts on the active layer's grids in scope."""
    return GridPost.objects.filter(grid__in=basic_grids(scope))


def post_get(scope: Scope, post_id: int) -> GridPost:
    return get_object_or_404(post_list(scope).select_related("grid", "person", "duty"), pk=post_id)


def cadre_names(grid_codes: set[str]) -> dict[str, str]:
    """The full-time grid worker of each level-3 grid of the active layer, by grid code."""
    posts = GridPost.objects.filter(role=Role.FULL_TIME, grid__layer__is_active=True, grid__code__in=grid_codes)
    return dict(posts.values_list("grid__code", "person__name"))


def staff_counts(scope: Scope) -> dict[str, int]:
    """Distinct people in the grid team (leaders, cadres, specialists), cadres, and
    new-employment workers enlisted in a grid's groups."""
    posts = post_list(scope)
    return {
        "grid_workers": posts.filter(role__in=TEAM_ROLES).values("person").distinct().count(),
        "full_time_grid_workers": posts.filter(role=Role.FULL_TIME).values("person").distinct().count(),
        "new_employment_workers": posts.filter(role=Role.GROUP, duty__new_employment=True).values("person").distinct().count(),
    }


REASONS = {
    "no_cadre": "没有专职网格员",
    "no_leader": "没有网格长",
    "few_specialists": "专业力量不足",
    "few_groups": "群防群治力量不足",
}


@dataclass
class GridStaffing:
    code: str
    name: str
    community_code: str
    cadre: str
    leaders: int
    specialists: int
    groups: int
    problems: dict[str, str] = field(default_factory=dict)  # reason code -> explanation


def _problems(row: GridStaffing) -> dict[str, str]:
    """The one statement of the staffing rule."""
    min_specialists, min_groups = settings.WANGGE_STAFFING_MIN_SPECIALISTS, settings.WANGGE_STAFFING_MIN_GROUPS
    problems = {}
    if not row.cadre:
        problems["no_cadre"] = REASONS["no_cadre"]
    if not row.leaders:
        problems["no_leader"] = REASONS["no_leader"]
    if row.specialists < min_specialists:
        problems["few_specialists"] = f"专业力量{row.specialists}人，少于{min_specialists}人"
    if row.groups < min_groups:
        problems["few_groups"] = f"群防群治力量{row.groups}人，少于{min_groups}人"
    return problems


def staffing_by_grid(scope: Scope) -> list[GridStaffing]:
    grids = list(basic_grids(scope).order_by("code").values_list("pk", "code", "name"))
    counts: dict[int, Counter] = defaultdict(Counter)
    cadres: dict[int, str] = {}
    for grid_id, role, name in post_list(scope).values_list("grid_id", "role", "person__name"):
        counts[grid_id][role] += 1
        if role == Role.FULL_TIME:
            cadres[grid_id] = name
    rows = []
    for pk, code, name in grids:
        c = counts[pk]
        row = GridStaffing(code, name, code[:12], cadres.get(pk, ""), c[Role.LEADER] + c[Role.DEPUTY], c[Role.SPECIALIST], c[Role.GROUP])
        row.problems = _problems(row)
        rows.append(row)
    return rows


def staffing_rollup(rows: list[GridStaffing]) -> list[dict]:
    """Per community and per subdistrict: grids, grids breaking the rule, and how many for each reason."""
    names = dict(Division.objects.values_list("code", "name"))
    groups: dict[str, dict] = {}
    for row in rows:
        for code in (row.code[:9] + "000", row.community_code):
            entry = groups.setdefault(code, {"code": code, "name": names.get(code, ""), "grids": 0, "breaking": 0, "reasons": Counter()})
            entry["grids"] += 1
            entry["breaking"] += bool(row.problems)
            entry["reasons"].update(row.problems.keys())
    return [{**g, "reasons": {REASONS[k]: n for k, n in sorted(g["reasons"].items())}} for _, g in sorted(groups.items())]

"""The social organisations workbook: one community social organisation a row, with the
grids it serves and, optionally, its leader (a person already registered)."""

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch

from wangge.geo.models import Division, Grid
from wangge.geo.scope import Scope
from wangge.geo.selectors import division_list

from ..masks import shown_person
from ..models import SocialMembership, SocialOrganisation
from ..selectors.social import social_organisation_list
from ..services.social import social_member_add, social_organisation_create
from .lookups import KnownPersons, labels, row_grids, rows_grids
from .sheets import Column, Problems, Row

SERVICE_FIELDS = {"community": "community_code", "grids": "grid_codes"}

COLUMNS = (
    Column("组织名称", "name", required=True),
    Column("联结类型", "bond", required=True, choices=labels(SocialOrganisation.Bond)),
    Column("登记状态", "status", required=True, choices=labels(SocialOrganisation.Status)),
    Column("所属社区代码", "community_code", required=True, text=True, note="12位社区代码"),
    Column("服务网格编码", "grid_codes", text=True, note="本社区的三级网格，多个用“、”分隔"),
    Column("负责人身份证号", "leader_id_number", text=True, note="须为已登记的人员"),
)
EXPORT_HEADINGS = (*(c.heading for c in COLUMNS), "成员数", "活动数")


def _community(row: Row, communities: dict[str, Division], problems: Problems) -> Division | None:
    code = row.values["community_code"]
    if code and code not in communities:
        problems.add(row.number, "community_code", f"社区 {code} 不存在或不在您负责的范围内")
    return communities.get(code)


def rows_import(*, scope: Scope, rows: list[Row], problems: Problems, actor=None) -> list[str]:
    codes = {row.values["community_code"] for row in rows}
    communities = {d.code: d for d in division_list(scope).filter(kind=Division.Kind.COMMUNITY, code__in=codes).defer("geometry")}
    grids = rows_grids(scope, rows, "grid_codes")
    known = KnownPersons(scope, rows, "leader_id_number")
    first_seen: dict[str, int] = {}
    saved = 0
    for row in rows:
        name = row.values["name"]
        if name in first_seen:
            problems.add(row.number, "name", f"与第 {first_seen[name]} 行重复")
        first_seen.setdefault(name, row.number)
        community = _community(row, communities, problems)
        served = row_grids(row, "grid_codes", grids, problems)
        leader = known.of_row(row, problems, name_key=None)
        if problems.on(row.number):
            continue
        try:
            organisation = social_organisation_create(
                scope=scope, name=name, bond=row.values["bond"], status=row.values["status"], community=community, grids=served, actor=actor
            )
        except ValidationError as error:
            problems.add_error(row.number, error, SERVICE_FIELDS)
            continue
        if leader is not None:
            social_member_add(organisation=organisation, person=leader, role=SocialMembership.Role.LEADER, actor=actor)
        saved += 1
    return [f"新建社会组织 {saved} 个"]


def rows_export(scope: Scope, *, unmasked: bool = False) -> Iterator[list]:
    leaders = SocialMembership.objects.filter(role=SocialMembership.Role.LEADER).select_related("person").order_by("pk")
    organisations = (
        social_organisation_list(scope)
        .select_related("community")
        .defer("community__geometry")
        .prefetch_related(
            Prefetch("grids", queryset=Grid.objects.order_by("code").only("pk", "code")),
            Prefetch("memberships", queryset=leaders, to_attr="leaders"),
        )
        .annotate(member_count=Count("memberships", distinct=True), activity_count=Count("activities", distinct=True))
        .order_by("community__code", "name")
    )
    for organisation in organisations:
        leader = organisation.leaders[0].person if organisation.leaders else None
        yield [
            organisation.name,
            organisation.get_bond_display(),
            organisation.get_status_display(),
            organisation.community.code,
            "、".join(g.code for g in organisation.grids.all()),
            shown_person(leader, public_role=True, unmasked=unmasked)["id_number"] if leader else "",
            organisation.member_count,
            organisation.activity_count,
        ]

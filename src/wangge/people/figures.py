from .selectors.buildings import building_totals
from .selectors.party import grid_party_organisation_count
from .selectors.social import social_organisation_list
from .selectors.staff import staff_counts


def figures(scope) -> dict:
    return {
        **building_totals(scope),
        **staff_counts(scope),
        "grid_party_organisations": grid_party_organisation_count(scope),
        "social_organisations": social_organisation_list(scope).count(),
    }


def _post_records(title: str, posts):
    from wangge.core.figures import Named, Records

    from .masks import shown_person

    def row(post) -> list:
        # Grid staff hold a public role: the name is shown as on the grid's notice board, the phone masked.
        shown = shown_person(post.person, public_role=True)
        return [Named(post.grid.name, post.grid.code), post.get_role_display(), post.duty.name if post.duty else "", shown["name"], shown["phone"]]

    sorts = {"网格": ("grid__code", "role"), "岗位": ("role", "grid__code")}
    return Records(title=title, columns=["网格", "岗位", "具体职责", "姓名", "电话"], rows=posts, row=row, sorts=sorts, search=("grid__code", "grid__name"))


def _posts(scope):
    from .selectors.staff import post_list

    return post_list(scope).select_related("grid", "person", "duty").order_by("grid__code", "role", "person__name", "pk")


def grid_worker_records(scope):
    from .selectors.staff import TEAM_ROLES

    return _post_records("网格力量（网格长、专职网格员、专业力量）", _posts(scope).filter(role__in=TEAM_ROLES))


def full_time_records(scope):
    from .models import GridPost

    return _post_records("专职网格员", _posts(scope).filter(role=GridPost.Role.FULL_TIME))


def new_employment_records(scope):
    from .models import GridPost

    return _post_records("新就业群体（快递员、网约车司机、外卖骑手）", _posts(scope).filter(role=GridPost.Role.GROUP, duty__new_employment=True))


def building_records(scope):
    from wangge.core.figures import Named, Records
    from wangge.geo.selectors import node_names

    from .selectors.buildings import building_list

    def grid_names(buildings: list) -> None:
        names = node_names(b.grid_code for b in buildings)
        for b in buildings:
            b.grid_name = names.get(b.grid_code, "")

    buildings = building_list(scope).select_related("community").order_by("grid_code", "name", "pk")
    return Records(
        title="楼栋", columns=["楼栋", "街路巷或小区", "所属社区", "所在网格", "户数", "人口"], rows=buildings,
        row=lambda b: [b.name, b.compound, Named(b.community.name, b.community.code), Named(getattr(b, "grid_name", ""), b.grid_code), b.households, b.population],
        sorts={"楼栋": "name", "街路巷或小区": ("compound", "name"), "所属社区": ("community__code", "name"), "所在网格": ("grid_code", "name"),
               "户数": "households", "人口": "population"},
        search=("name", "compound", "grid_code"),
        prepare=grid_names,
    )


def party_records(scope):
    from wangge.core.figures import Records

    from .selectors.party import party_organisation_list

    organisations = party_organisation_list(scope).filter(grids__isnull=False).distinct().select_related("community", "secretary").order_by("name")
    return Records(
        title="网格党组织", columns=["组织名称", "组织类型", "所属社区", "书记"], rows=organisations,
        # The secretary holds a public role: named as on the notice board.
        row=lambda o: [o.name, o.get_kind_display(), o.community.name, o.secretary.name if o.secretary else ""],
        sorts={"组织名称": "name", "组织类型": ("kind", "name")}, search=("name", "community__name"),  # distinct rows: sorted by their own fields
    )


def social_records(scope):
    from wangge.core.figures import Records

    organisations = social_organisation_list(scope).select_related("community").order_by("name")
    return Records(
        title="社区社会组织", columns=["组织名称", "联结类型", "登记状态", "所属社区"], rows=organisations,
        row=lambda o: [o.name, o.get_bond_display(), o.get_status_display(), o.community.name],
        sorts={"组织名称": "name", "联结类型": ("bond", "name"), "登记状态": ("status", "name"), "所属社区": ("community__code", "name")},
        search=("name", "community__name"),
    )


def register_dashboard() -> None:
    """How the people's figures are published, mapped and charted (see core/figures.py)."""
    from wangge.core.figures import (
        Table,
        describe_figure,
        register_chart,
        register_grid_figure,
    )

    from .selectors import grid_figures
    from .selectors.staff import REASONS

    homes, staff = "人口与房屋", "网格力量与组织"
    describe_figure("buildings", "楼栋", unit="栋", caption="登记在册的楼栋", section=homes, records=building_records)
    describe_figure("households", "户数", unit="户", caption="各楼栋登记户数之和", section=homes, records=building_records)
    describe_figure("population", "人口", unit="人", caption="各楼栋登记人口之和", section=homes, records=building_records)
    describe_figure("grid_workers", "网格力量", unit="人", caption="网格长、专职网格员和专业力量（按人计）", section=staff, records=grid_worker_records)
    describe_figure("full_time_grid_workers", "专职网格员", unit="人", caption="一格一干：每个基础网格一名专职网格员", section=staff, records=full_time_records)
    describe_figure("new_employment_workers", "新就业群体", unit="人", caption="纳入网格群防群治力量的快递员、网约车司机、外卖骑手", section=staff, records=new_employment_records)
    describe_figure("grid_party_organisations", "网格党组织", unit="个", caption="建在网格上的党支部、党小组", section=staff, records=party_records)
    describe_figure("social_organisations", "社区社会组织", unit="个", caption="地缘、业缘、趣缘社区社会组织", section=staff, records=social_records)
    register_grid_figure("households", "户数", "户", grid_figures.households_by_grid)
    register_grid_figure("staffing_gaps", "网格力量不达标网格", "个", grid_figures.staffing_gaps_by_grid)
    register_chart("staffing_gaps_by_subdistrict", "各街道网格力量不达标网格数", "bar",
                   lambda scope: Table(["街道", "基础网格数", "不达标网格数", *REASONS.values()], grid_figures.staffing_gaps_by_subdistrict(scope)),
                   series=(2,), order=40)

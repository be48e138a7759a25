from .models import Division
from .selectors import active_layer, division_list, grid_counts_by_level, grid_list


def figures(scope) -> dict:
    divisions = division_list(scope)
    return {
        "grids_by_level": grid_counts_by_level(grid_list(scope, active_layer())),
        "subdistricts": divisions.filter(kind=Division.Kind.SUBDISTRICT).count(),
        "development_zones": divisions.filter(kind=Division.Kind.ZONE).count(),
        "communities": divisions.filter(kind=Division.Kind.COMMUNITY).count(),
    }




def division_records(kind: str, title: str):
    def records(scope):
        from wangge.core.figures import Records

        divisions = division_list(scope).filter(kind=kind).select_related("parent").order_by("code")
        return Records(title=title, columns=["区划代码", "名称", "上级"], rows=divisions, row=lambda d: [d.code, d.name, d.parent.name if d.parent else ""],
                       sorts={"区划代码": "code", "名称": "name", "上级": ("parent__code", "code")}, search=("code", "name"))

    return records


def register_dashboard() -> None:
    """How the grid figures are published (see core/figures.py)."""
    from wangge.core.figures import describe_figure

    net, kinds = "全区一张网", Division.Kind
    for level, name, caption in ((1, "一级网格", "以街道为单元"), (2, "二级网格", "以社区为单元"), (3, "三级网格（基础网格）", "每格配一名专职网格员")):
        describe_figure(f"grids_by_level.{level}", name, unit="个", caption=caption, section=net, records="/dashboard/map")
    describe_figure("subdistricts", "街道", unit="个", section=net, records=division_records(kinds.SUBDISTRICT, "街道"))
    describe_figure("development_zones", "开发区", unit="个", section=net, records=division_records(kinds.ZONE, "开发区"))
    describe_figure("communities", "社区", unit="个", section=net, records=division_records(kinds.COMMUNITY, "社区"))

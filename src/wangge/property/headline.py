"""Red Property's published figures (`red_property` in `/api/stats/headline`), computed from the
records at request time within the caller's scope, each with the records behind it on
`/dashboard`; and the chart of stars per subdistrict.

What each figure counts (the descriptions below say it to the reader):
- the programme has started in a compound (小区 or 楼院) when the compound is in the Red
  Property registry (a `Compound` row); in a community or subdistrict when one of its compounds is;
- a company is cross-appointed when one of its managers holds a part-time post on the community
  committees of a community it serves, a party member on the party committee and anyone else
  on the residents' committee (the cross-appointment report's rule);
- company party organisations are party organisations hung on property companies.

A scope is a code prefix: compounds by their community's code, companies by where they are filed
or the compounds they serve. Company accounts have no geo scope, so their figures count nothing.
"""

from django.db.models import Q, QuerySet

from wangge.core.figures import Records
from wangge.geo.models import Division

from .models import CompanyPartyOrganisation, CompanyService, Compound, PropertyCompany

KEY = "red_property"
SECTION = "红色物业"
SUBDISTRICT_KINDS = (Division.Kind.SUBDISTRICT, Division.Kind.ZONE)


def compounds_in_programme(scope) -> QuerySet[Compound]:
    return Compound.objects.filter(scope.q("community__code"))


def communities_in_programme(scope) -> QuerySet[Division]:
    return Division.objects.filter(pk__in=compounds_in_programme(scope).values("community_id"))


def subdistricts_in_programme(scope) -> QuerySet[Division]:
    return Division.objects.filter(pk__in=communities_in_programme(scope).values("parent_id"), kind__in=SUBDISTRICT_KINDS)


def companies_in_scope(scope) -> QuerySet[PropertyCompany]:
    """Companies filed in the scope or serving one of its compounds now."""
    serving = CompanyService.objects.filter(scope.q("compound__community__code"), ended_on__isnull=True).values("company_id")
    return PropertyCompany.objects.filter(scope.q("subdistrict__code") | Q(pk__in=serving))


def company_party_organisations(scope) -> QuerySet[CompanyPartyOrganisation]:
    return CompanyPartyOrganisation.objects.filter(companies__in=companies_in_scope(scope)).distinct()


def latest_stars(scope) -> tuple[int | None, dict[int, int]]:
    """The year of the latest published rating round and each compound's stars in it."""
    return None, {}


def figures(scope) -> dict:
    return {
        KEY: {
            "subdistricts": subdistricts_in_programme(scope).count(),
            "communities": communities_in_programme(scope).count(),
            "compounds": compounds_in_programme(scope).count(),
            "company_party_organisations": company_party_organisations(scope).count(),
        }
    }


def _division_records(title: str, divisions):
    def records(scope):
        rows = divisions(scope).select_related("parent").order_by("code")
        return Records(title=title, columns=["名称", "区划代码", "上级"], rows=rows, row=lambda d: [d.name, d.code, d.parent.name if d.parent else ""])

    return records


def compound_records(scope):
    rows = compounds_in_programme(scope).select_related("community__parent").order_by("community__code", "name")
    return Records(
        title="开展红色物业的小区（楼院）", columns=["名称", "类型", "管理模式", "所属社区", "所属街道"], rows=rows,
        row=lambda c: [c.name, c.get_kind_display(), c.get_mode_display(), c.community.name, c.community.parent.name if c.community.parent else ""],
        link=lambda c: f"/property/compounds/{c.pk}",
    )


def organisation_records(scope):
    rows = company_party_organisations(scope).select_related("organisation").prefetch_related("companies").order_by("organisation__name")
    return Records(
        title="物业企业党组织", columns=["组织名称", "组织类型", "所在企业"], rows=rows,
        row=lambda o: [o.organisation.name, o.organisation.get_kind_display(), "、".join(c.name for c in o.companies.all())],
    )


def register_dashboard() -> None:
    from wangge.core.figures import describe_figure

    started = "开展红色物业：辖区内至少有一个小区（楼院）纳入红色物业登记"
    describe_figure(f"{KEY}.subdistricts", "红色物业覆盖街道", unit="个", caption=started, section=SECTION,
                    records=_division_records("开展红色物业的街道", subdistricts_in_programme))
    describe_figure(f"{KEY}.communities", "红色物业覆盖社区", unit="个", caption=started, section=SECTION,
                    records=_division_records("开展红色物业的社区", communities_in_programme))
    describe_figure(f"{KEY}.compounds", "红色物业覆盖小区（楼院）", unit="个", caption="纳入红色物业登记的小区和楼院", section=SECTION,
                    records=compound_records)
    describe_figure(f"{KEY}.company_party_organisations", "物业企业党组织", unit="个",
                    caption="建在物业服务企业上的党支部、联合党支部（含在本辖区备案或服务本辖区小区的企业）", section=SECTION, records=organisation_records)


def register_red_property() -> None:
    """Called from the app's `ready()`: the headline share, its descriptions, the map's menu entry."""
    from wangge.core.figures import register_figures

    from .views_map import register_menu

    register_figures(KEY, figures)
    register_dashboard()
    register_menu()

"""Red Property's published figures (`red_property` in `/api/stats/headline`), computed from the
records at request time within the caller's scope, each with the records behind it on
`/dashboard`; and the chart of stars per subdistrict.

What each figure counts (the descriptions below say it to the reader):
- the programme has started in a compound (小区 or 楼院) of the registry when its start is
  recorded (`Compound.programme_started_on`, on or before today); in a community or subdistrict
  when it has started in one of its compounds;
- a company is cross-appointed when one of its managers holds a part-time post on the community
  committees of a community it serves, a party member on the party committee and anyone else
  on the residents' committee (the cross-appointment report's rule);
- company party organisations are party organisations hung on property companies;
- demonstration subdistricts, communities and compounds are the places designated a Red
  Property demonstration in any year (each place once);
- star ratings are the compounds rated in the latest published rating round, per star (the
  rating rates each compound's property services); compounds given no star are not counted.

A scope is a code prefix: compounds by their community's code, companies by where they are filed
or the compounds they serve. Company accounts have no geo scope, so their figures count nothing.
"""

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from wangge.core.figures import Records, Table
from wangge.geo.models import Division
from wangge.people.models import CommitteePost

from .crossing import MANAGING_POSTS, right_committee
from .models import (
    CompanyPartyOrganisation,
    CompanyService,
    CompanyStaff,
    Compound,
    PropertyCompany,
)
from .models.demonstrations import CRITERIA, Demonstration
from .models.rating import RatingEntry, RatingRound
from .selectors.records import companies_in_scope

KEY = "red_property"
SECTION = "红色物业"
SUBDISTRICT_KINDS = (Division.Kind.SUBDISTRICT, Division.Kind.ZONE)
STARS = (1, 2, 3, 4, 5)
STAR_NAMES = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}
DEMONSTRATION_KEYS = {
    Demonstration.Level.SUBDISTRICT: "demonstration_subdistricts",
    Demonstration.Level.COMMUNITY: "demonstration_communities",
    Demonstration.Level.COMPOUND: "demonstration_compounds",
}


def compounds_in_programme(scope) -> QuerySet[Compound]:
    return Compound.objects.filter(scope.q("community__code"), programme_started_on__lte=timezone.localdate())


def communities_in_programme(scope) -> QuerySet[Division]:
    return Division.objects.filter(pk__in=compounds_in_programme(scope).values("community_id"))


def subdistricts_in_programme(scope) -> QuerySet[Division]:
    return Division.objects.filter(pk__in=communities_in_programme(scope).values("parent_id"), kind__in=SUBDISTRICT_KINDS)


def companies_cross_appointed(scope) -> QuerySet[PropertyCompany]:
    """Companies in the scope with a manager or project manager holding a part-time post on the
    committees of a community the company serves: a party member on the party committee, anyone
    else on the residents' committee (`crossing.py`, the rule the cross-appointment report judges by)."""
    served = CompanyService.objects.filter(company_id=OuterRef(OuterRef("company_id")), ended_on__isnull=True).values("compound__community_id")
    right_post = CommitteePost.objects.filter(person_id=OuterRef("person_id"), part_time=True, committee=OuterRef("wanted"), community_id__in=served)
    in_place = (
        CompanyStaff.objects.filter(post__in=MANAGING_POSTS)
        .annotate(wanted=right_committee()).filter(Exists(right_post)).values("company_id")
    )
    return companies_in_scope(scope).filter(pk__in=in_place)


def company_party_organisations(scope) -> QuerySet[CompanyPartyOrganisation]:
    return CompanyPartyOrganisation.objects.filter(companies__in=companies_in_scope(scope)).distinct()


def demonstrations(scope, level: str) -> QuerySet[Demonstration]:
    """The designations of a level whose place lies in the scope."""
    where = scope.q("compound__community__code") if level == Demonstration.Level.COMPOUND else scope.q("division__code")
    return Demonstration.objects.filter(where, level=level)


def demonstration_places(scope, level: str) -> int:
    place = "compound" if level == Demonstration.Level.COMPOUND else "division"
    return demonstrations(scope, level).values(place).distinct().count()


def latest_published_round() -> RatingRound | None:
    return RatingRound.objects.filter(status=RatingRound.Status.PUBLISHED).order_by("-year").first()


def rated_entries(scope, rating_round: RatingRound | None) -> QuerySet[RatingEntry]:
    """The round's entries in the scope given one star or more."""
    if rating_round is None:
        return RatingEntry.objects.none()
    return RatingEntry.objects.filter(scope.q("compound__community__code"), round=rating_round, stars__gte=1)


def star_counts(scope) -> dict[str, int]:
    counted = dict(rated_entries(scope, latest_published_round()).order_by().values_list("stars").annotate(n=Count("pk")))
    return {str(star): counted.get(star, 0) for star in STARS}


def latest_stars(scope) -> tuple[int | None, dict[int, int]]:
    """The year of the latest published rating round and each compound's stars in it."""
    rating_round = latest_published_round()
    return (rating_round.year if rating_round else None), dict(rated_entries(scope, rating_round).values_list("compound_id", "stars"))


def stars_by_subdistrict(scope) -> list[list]:
    """Per subdistrict in the scope: its compounds rated in the latest published round, per star."""
    rows = (
        rated_entries(scope, latest_published_round()).order_by()
        .values_list("compound__community__parent__code", "compound__community__parent__name", "stars").annotate(n=Count("pk"))
    )
    table: dict[tuple[str, str], dict[int, int]] = {}
    for code, name, stars, n in rows:
        table.setdefault((code, name), {})[stars] = n
    return [[name, *(counts.get(star, 0) for star in STARS)] for (_, name), counts in sorted(table.items())]


def figures(scope) -> dict:
    return {
        KEY: {
            "subdistricts": subdistricts_in_programme(scope).count(),
            "communities": communities_in_programme(scope).count(),
            "compounds": compounds_in_programme(scope).count(),
            **{key: demonstration_places(scope, level) for level, key in DEMONSTRATION_KEYS.items()},
            "companies_cross_appointed": companies_cross_appointed(scope).count(),
            "company_party_organisations": company_party_organisations(scope).count(),
            "star_ratings": star_counts(scope),
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


def cross_appointed_records(scope):
    rows = companies_cross_appointed(scope).select_related("subdistrict").order_by("name")
    return Records(
        title="交叉任职到位的物业服务企业", columns=["企业名称", "统一社会信用代码", "备案街道"], rows=rows,
        row=lambda c: [c.name, c.credit_code, c.subdistrict.name], link=lambda c: f"/property/companies/{c.pk}",
    )


def organisation_records(scope):
    rows = company_party_organisations(scope).select_related("organisation").prefetch_related("companies").order_by("organisation__name")
    return Records(
        title="物业企业党组织", columns=["组织名称", "组织类型", "所在企业"], rows=rows,
        row=lambda o: [o.organisation.name, o.organisation.get_kind_display(), "、".join(c.name for c in o.companies.all())],
    )


def _demonstration_records(level: str, title: str):
    def records(scope):
        rows = demonstrations(scope, level).select_related("division", "compound__community").order_by("-year", "pk")
        return Records(
            title=title, columns=["年度", "示范类别", "名称", "达到的标准"], rows=rows,
            row=lambda d: [d.year, d.get_level_display(), str(d.place), "；".join(CRITERIA.get(c, c) for c in d.criteria)],
        )

    return records


def _star_records(star: int):
    def records(scope):
        rating_round = latest_published_round()
        rows = rated_entries(scope, rating_round).filter(stars=star).select_related("compound__community", "company").order_by("-total", "compound__name")
        year = f"{rating_round.year} 年度" if rating_round else "尚无已发布的评定"
        return Records(
            title=f"{STAR_NAMES[star]}小区（{year}）", columns=["小区（楼院）", "所属社区", "物业企业", "总分", "星级"], rows=rows,
            row=lambda e: [e.compound.name, e.compound.community.name, e.company.name if e.company else "", e.total, e.stars],
            link=lambda e: f"/property/compounds/{e.compound_id}",
        )

    return records


def register_dashboard() -> None:
    from wangge.core.figures import describe_figure, register_chart

    started = "已开展红色物业：辖区内至少有一个小区（楼院）登记了红色物业开展日期"
    describe_figure(f"{KEY}.subdistricts", "红色物业覆盖街道", unit="个", caption=started, section=SECTION,
                    records=_division_records("开展红色物业的街道", subdistricts_in_programme))
    describe_figure(f"{KEY}.communities", "红色物业覆盖社区", unit="个", caption=started, section=SECTION,
                    records=_division_records("开展红色物业的社区", communities_in_programme))
    describe_figure(f"{KEY}.compounds", "红色物业覆盖小区（楼院）", unit="个", caption="登记了红色物业开展日期的小区和楼院", section=SECTION,
                    records=compound_records)
    describe_figure(f"{KEY}.company_party_organisations", "物业企业党组织", unit="个",
                    caption="建在物业服务企业上的党支部、联合党支部（含在本辖区备案或服务本辖区小区的企业）", section=SECTION, records=organisation_records)
    describe_figure(f"{KEY}.companies_cross_appointed", "交叉任职到位的物业企业", unit="家",
                    caption="企业负责人或项目经理兼任所服务社区“两委”职务（党员进党组织、非党员进居委会）的物业服务企业", section=SECTION,
                    records=cross_appointed_records)
    for level, key in DEMONSTRATION_KEYS.items():
        label = Demonstration.Level(level).label
        describe_figure(f"{KEY}.{key}", f"红色物业{label}", unit="个", caption=f"历年命名的红色物业{label}（每处计一次）", section=SECTION,
                        records=_demonstration_records(level, f"红色物业{label}"))
    for star in STARS:
        describe_figure(f"{KEY}.star_ratings.{star}", f"{STAR_NAMES[star]}物业服务小区", unit="个", caption="最近一次已发布的星级评定中评为该星级的小区（楼院）",
                        section=SECTION, records=_star_records(star))
    register_chart("red_property_stars_by_subdistrict", "各街道物业服务星级分布（最近一次已发布的评定）", "bar",
                   lambda scope: Table(["街道", *STAR_NAMES.values()], stars_by_subdistrict(scope)), series=(1, 2, 3, 4, 5), order=50)


def register_red_property() -> None:
    """Called from the app's `ready()`: the headline share, its descriptions, the map's menu entry."""
    from wangge.core.figures import register_figures

    from .views_map import register_menu

    register_figures(KEY, figures)
    register_dashboard()
    register_menu()

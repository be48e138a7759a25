"""A small Red Property world on the demo district for the rating and vote tests: a market
compound and a self-managed courtyard in the home grid's community, their registry buildings and
households, two companies with accounts, a 100-point scheme and a round of this year."""

from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from tests.personas import Personas
from wangge.accounts.models import Role, User
from wangge.core.credit_code import credit_code_compose
from wangge.people.models import Household
from wangge.property.models import (
    CompanyAccount,
    CompanyService,
    Compound,
    PropertyCompany,
)
from wangge.property.models.rating import RatingRound, RatingScheme
from wangge.property.rating.services import round_open, scheme_create

SECTIONS = [
    {"name": "基础管理", "points": 40, "source": "inspection"},
    {"name": "环境卫生", "points": 20, "source": "inspection"},
    {"name": "事件办理", "points": 20, "source": "cases"},
    {"name": "居民满意度", "points": 20, "source": "survey"},
]
VETOES = [{"name": "弃管", "cap_stars": 0}, {"name": "重大安全事故", "cap_stars": 1}]


@dataclass
class World:
    market: Compound
    courtyard: Compound
    company: PropertyCompany
    other_company: PropertyCompany
    company_user: User
    other_company_user: User
    scheme: RatingScheme
    round: RatingRound
    households: list[Household]  # the market compound's, with members


def company(name: str, body: str, subdistrict) -> PropertyCompany:
    code = credit_code_compose(authority="9", kind="1", division="410104", organisation_body=body)
    return PropertyCompany.objects.create(name=name, credit_code=code, subdistrict=subdistrict)


def company_account(username: str, of: PropertyCompany) -> User:
    user = User.objects.create(username=username, full_name=username, role=Role.PROPERTY_COMPANY)
    CompanyAccount.objects.create(user=user, company=of)
    return user


def _taken_over(compound: Compound, *, name: str, mode: str) -> Compound:
    """A demo compound renamed and given the mode a test needs, its services ended."""
    Compound.objects.filter(pk=compound.pk).update(name=name, mode=mode)
    CompanyService.objects.filter(compound=compound, ended_on__isnull=True).update(ended_on=F("started_on"))
    compound.refresh_from_db()
    return compound


def build_world(people: Personas) -> World:
    """Two of the demo's compounds in the home grid's community: one with buildings in the home
    grid made a market compound served by a new company, another made a self-managed courtyard."""
    community = people.home_grid.community
    in_grid = Compound.objects.filter(community=community, holdings__building__grid_code=people.home_grid.code).distinct().order_by("pk").first()
    other = Compound.objects.filter(community=community).exclude(pk=in_grid.pk).order_by("pk").first()
    market = _taken_over(in_grid, name="幸福家园", mode=Compound.Mode.MARKET)
    courtyard = _taken_over(other, name="老街楼院", mode=Compound.Mode.SELF)
    first, second = company("甲物业服务有限公司", "MARATE01", community.parent), company("乙物业服务有限公司", "MARATE02", community.parent)
    CompanyService.objects.create(company=first, compound=market, started_on=timezone.localdate())
    scheme = scheme_create(name="测试百分制方案", sections=SECTIONS, star_minimums=[60, 70, 80, 90, 95], vetoes=VETOES, actor=people.district_official.user)
    rating_round = round_open(year=timezone.localdate().year, scheme=scheme, actor=people.district_official.user)
    households = list(
        Household.objects.filter(building__compound_holding__compound=market, building__grid_code=people.home_grid.code, members__isnull=False)
        .distinct().order_by("pk")
    )
    return World(market, courtyard, first, second, company_account("company_a", first), company_account("company_b", second), scheme, rating_round, households)

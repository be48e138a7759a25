"""The projects' world on the demo district: the home community's officials (from the
personas), two residents of the home community with signed-in accounts, one resident of
another community, a need of each community and a project at each stage a test needs."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.personas import Person as Persona
from wangge.accounts.auth import token_issue
from wangge.accounts.models import Role, User
from wangge.matching.models import Need
from wangge.matching.services import CATEGORIES, need_submit
from wangge.people.models import Person
from wangge.projects.models import Category, Project
from wangge.projects.services.projects import project_create, project_move


@dataclass
class World:
    community: str  # the home grid's community
    other_community: str  # the other grid's community (another subdistrict)
    category: Category
    need: Need
    other_need: Need
    voter: Persona  # a resident of the home community
    second_voter: Persona
    outsider: Persona  # a resident of the other community


def resident_account(username: str, person: Person) -> Persona:
    user = User.objects.create(username=username, full_name=person.name, role=Role.RESIDENT)
    Person.objects.filter(pk=person.pk).update(user=user)
    return Persona(user, token_issue(user=user))


def _residents(community: str):
    return Person.objects.filter(household__building__community__code=community, user__isnull=True).order_by("pk")


@pytest.fixture
def world(people) -> World:
    community, other = people.home_grid.community.code, people.other_grid.community.code
    home, away = _residents(community), _residents(other)

    def need(code: str) -> Need:
        return need_submit(category=next(iter(CATEGORIES)), description="楼道照明损坏，希望修复", community_code=code, name="张三", phone="13800000000")

    return World(
        community=community, other_community=other, category=Category.objects.get(code="life-services"), need=need(community), other_need=need(other),
        voter=resident_account("voter", home[0]), second_voter=resident_account("second_voter", home[1]), outsider=resident_account("outsider", away[0]),
    )


def draft(people, world, **extra) -> Project:
    fields = {"title": "老年助餐点", "category": world.category, "community_code": world.community, "scope": "为社区 60 岁以上老人提供午餐", "year": 2026} | extra
    return project_create(actor=people.community_official.user, **fields)


def proposed(people, world, **extra) -> Project:
    return project_move(project=draft(people, world, **extra), actor=people.community_official.user, to="proposed")


def in_notice(people, world) -> Project:
    return project_move(project=proposed(people, world), actor=people.community_official.user, to="notice")


def notice_over(project: Project) -> Project:
    """The notice period has run (the project's record says so; the portal's copy too)."""
    past = timezone.now() - timedelta(seconds=1)
    Project.objects.filter(pk=project.pk).update(notice_starts_at=past - timedelta(days=7), notice_ends_at=past)
    return Project.objects.get(pk=project.pk)


def filed(people, world) -> Project:
    project = notice_over(in_notice(people, world))
    return project_move(project=project, actor=people.subdistrict_official.user, to="filed")


# For whichever community a test names (the scope matrix's grids), by an official of it.

def community_official_of(community_code: str) -> User:
    return User.objects.get_or_create(username=f"official_{community_code}", defaults={"role": Role.COMMUNITY_OFFICIAL, "scope_code": community_code})[0]


def project_in_notice(community_code: str, *, title: str = "社区微更新") -> Project:
    official = community_official_of(community_code)
    project = project_create(actor=official, title=title, category=Category.objects.get(code="environment"), community_code=community_code, scope="楼道粉刷", year=2026)
    project = project_move(project=project, actor=official, to="proposed")
    return project_move(project=project, actor=official, to="notice")


def round_open(community_code: str):
    from wangge.projects.services.votes import EntryIn, round_create, round_move

    official = community_official_of(community_code)
    project = project_create(actor=official, title="口袋公园", category=Category.objects.get(code="environment"), community_code=community_code, scope="闲置地改造", year=2026)
    project = project_move(project=project, actor=official, to="proposed")
    now = timezone.now()
    vote_round = round_create(
        actor=official, community_code=community_code, title="微项目投票", budget_fen=1_000_000, entries=[EntryIn(project, 500_000)],
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1),
    )
    return round_move(vote_round=vote_round, actor=official, to="open")

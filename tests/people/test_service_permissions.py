"""People's services check their caller themselves, not only the API in front of them: an actor
without the right is refused (403), an object out of the actor's scope is not found (404) even
when the caller hands the service a wider scope, and either way nothing is written. The system
(no actor) keeps every right.

A grid of actions x refusals: each action is a service called directly, on the objects of one
grid (the actor's own, or the other grid, in another subdistrict).
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from wangge.core.models import AuditRecord
from wangge.geo.geometry import shapes
from wangge.geo.models import Grid
from wangge.geo.scope import Scope, scope_of
from wangge.people.models import (
    Building,
    Duty,
    GridPost,
    Household,
    PartyMembership,
    PartyOrganisation,
    Person,
    SocialActivity,
    SocialMembership,
    SocialOrganisation,
)
from wangge.people.services.buildings import building_create, building_delete, building_update
from wangge.people.services.party import (
    organisation_rule_errors,
    party_organisation_delete,
    party_organisation_save,
)
from wangge.people.services.persons import (
    NOT_REGISTRABLE,
    person_find_or_create,
    resident_create,
    resident_move_out,
    resident_update,
)
from wangge.people.services.social import (
    social_activity_add,
    social_member_add,
    social_organisation_create,
)
from wangge.people.services.staff import post_add, post_remove, staff_member_add
from wangge.people.services.unmask import resident_unmask, staff_unmask
from wangge.people.workbooks import WorkbookRefused, kind_get, workbook_import

from .ids import id_number
from .test_workbooks import RESIDENT_HEADINGS, _xlsx

MARK = "权限测试写入"
REASON = "入户走访核对"
MODELS = (Person, Household, Building, GridPost, PartyOrganisation, PartyMembership, SocialOrganisation, SocialMembership, SocialActivity)


def _written() -> dict:
    """What any of the actions below would change."""
    return {
        **{model.__name__: model.objects.count() for model in MODELS},
        "residents": Person.objects.filter(household__isnull=False).count(),
        "leaders": SocialMembership.objects.filter(role=SocialMembership.Role.LEADER).count(),
        "marked": [
            Person.objects.filter(name=MARK).count(),
            Building.objects.filter(name=MARK).count(),
            PartyOrganisation.objects.filter(name=MARK).count(),
            SocialActivity.objects.filter(title=MARK).count(),
        ],
        "unmasked": AuditRecord.objects.filter(action="pii.unmasked").count(),
    }


# --- the objects of a grid ------------------------------------------------------------------

def _resident(grid: Grid) -> Person:
    return Person.objects.filter(household__building__grid_code=grid.code).select_related("household__building").order_by("pk").first()


@pytest.fixture(autouse=True)
def _empty_buildings(people):
    """A building without residents in each grid, made before anything is counted, so that
    deleting it may succeed."""
    for grid in (people.home_grid, people.other_grid):
        Building.objects.create(community=grid.community, grid_code=grid.code, name="空楼", address="空楼", **_point_in(grid))


def _building(grid: Grid) -> Building:
    return Building.objects.get(grid_code=grid.code, name="空楼")


def _point_in(grid: Grid) -> dict:
    point = shapes.from_geojson(grid.geometry).representative_point()
    return {"lon": point.x, "lat": point.y}


def _social(grid: Grid) -> SocialOrganisation:
    return SocialOrganisation.objects.filter(grids=grid, community=grid.community).order_by("pk").first()


def _party(grid: Grid) -> PartyOrganisation:
    candidates = PartyOrganisation.objects.filter(grids=grid).order_by("pk")
    return next((o for o in candidates if not organisation_rule_errors(o)), candidates.first())


def _group_duty() -> Duty:
    return Duty.objects.filter(kind=GridPost.Role.GROUP).order_by("pk").first()


# --- the actions: (people, actor, grid, scope handed to the service) -------------------------

def _resident_create(people, actor, grid, scope):
    return resident_create(scope=scope, building=_building(grid), unit="9", room="909", id_number=id_number(), name=MARK, actor=actor)


def _resident_update(people, actor, grid, scope):
    return resident_update(scope=scope, person=_resident(grid), name=MARK, actor=actor)


def _resident_move_out(people, actor, grid, scope):
    return resident_move_out(person=_resident(grid), actor=actor)


def _resident_unmask(people, actor, grid, scope):
    return resident_unmask(person=_resident(grid), reason=REASON, actor=actor)


def _building_create(people, actor, grid, scope):
    return building_create(scope=scope, community=grid.community, name=MARK, actor=actor, **_point_in(grid))


def _building_update(people, actor, grid, scope):
    return building_update(scope=scope, building=_building(grid), name=MARK, actor=actor)


def _building_delete(people, actor, grid, scope):
    return building_delete(building=_building(grid), actor=actor)


def _post_add(people, actor, grid, scope):
    person = Person.objects.filter(household__building__grid_code=grid.code).exclude(posts__grid=grid).order_by("pk").first()
    return post_add(scope=scope, grid=grid, person=person, role=GridPost.Role.GROUP, duty=_group_duty(), actor=actor)


def _post_remove(people, actor, grid, scope):
    return post_remove(post=GridPost.objects.filter(grid=grid).order_by("pk").first(), actor=actor)


def _staff_member_add(people, actor, grid, scope):
    # The person is one the actor knows (a resident of their own grid): only the grid is out of scope.
    person = _resident(people.home_grid)
    return staff_member_add(
        scope=scope, grid=grid, role=GridPost.Role.GROUP, duty=_group_duty(), id_number=person.id_number, name=person.name, actor=actor
    )


def _staff_unmask(people, actor, grid, scope):
    return staff_unmask(post=GridPost.objects.filter(grid=grid).order_by("pk").first(), reason=REASON, actor=actor)


def _social_organisation_create(people, actor, grid, scope):
    return social_organisation_create(scope=scope, name=MARK, bond="interest", status="filed", community=grid.community, grids=[grid], actor=actor)


def _social_member_add(people, actor, grid, scope):
    organisation = _social(grid)
    person = Person.objects.filter(household__building__grid_code=grid.code).exclude(social_memberships__organisation=organisation).order_by("pk").first()
    return social_member_add(organisation=organisation, person=person, role=SocialMembership.Role.LEADER, actor=actor)


def _social_activity_add(people, actor, grid, scope):
    return social_activity_add(organisation=_social(grid), held_on=date.today(), title=MARK, participants=3, actor=actor)


def _party_organisation_save(people, actor, grid, scope):
    organisation = _party(grid)
    return party_organisation_save(
        scope=scope, name=MARK, kind=organisation.kind, grids=list(organisation.grids.select_related("layer")),
        secretary=organisation.secretary, members=list(organisation.members.all()), organisation=organisation, actor=actor,
    )


def _party_organisation_delete(people, actor, grid, scope):
    return party_organisation_delete(organisation=_party(grid), actor=actor)


@dataclass(frozen=True)
class Action:
    run: object
    refused: str  # the persona without the right (their scope covers the home grid)
    keeper: str  # a persona with the right, in the home grid's scope and not the other's
    refusal: str


RESIDENTS = ("department_handler", "grid_worker", "没有权限维护居民信息")
BUILDINGS = ("department_handler", "grid_worker", "没有权限维护楼栋")
UNMASK = ("department_handler", "grid_worker", "没有权限查看完整个人信息")
STAFF = ("grid_worker", "community_official", "没有权限维护网格力量")
SOCIAL = ("grid_worker", "community_official", "没有权限维护社会组织")
PARTY = ("grid_worker", "community_official", "没有权限维护党组织")

ACTIONS = {
    "resident_create": Action(_resident_create, *RESIDENTS),
    "resident_update": Action(_resident_update, *RESIDENTS),
    "resident_move_out": Action(_resident_move_out, *RESIDENTS),
    "resident_unmask": Action(_resident_unmask, *UNMASK),
    "building_create": Action(_building_create, *BUILDINGS),
    "building_update": Action(_building_update, *BUILDINGS),
    "building_delete": Action(_building_delete, *BUILDINGS),
    "post_add": Action(_post_add, *STAFF),
    "post_remove": Action(_post_remove, *STAFF),
    "staff_member_add": Action(_staff_member_add, *STAFF),
    "staff_unmask": Action(_staff_unmask, *UNMASK),
    "social_organisation_create": Action(_social_organisation_create, *SOCIAL),
    "social_member_add": Action(_social_member_add, *SOCIAL),
    "social_activity_add": Action(_social_activity_add, *SOCIAL),
    "party_organisation_save": Action(_party_organisation_save, *PARTY),
    "party_organisation_delete": Action(_party_organisation_delete, *PARTY),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_it_writes_for_a_keeper_in_scope(people, name):
    """The control: the same call by someone with the right, in their own grid, does write."""
    action = ACTIONS[name]
    actor = getattr(people, action.keeper).user
    before = _written()
    action.run(people, actor, people.home_grid, scope_of(actor))
    assert _written() != before


@pytest.mark.parametrize("name", ACTIONS)
def test_it_refuses_an_actor_without_the_right(people, name):
    action = ACTIONS[name]
    actor = getattr(people, action.refused).user
    assert scope_of(actor).covers(people.home_grid.code)  # refused for the right alone, not the scope
    before = _written()
    with pytest.raises(PermissionDenied) as refused:
        action.run(people, actor, people.home_grid, scope_of(actor))
    assert str(refused.value) == action.refusal
    assert _written() == before


@pytest.mark.parametrize("handed", ["own", "district"])
@pytest.mark.parametrize("name", ACTIONS)
def test_it_does_not_find_an_object_out_of_scope(people, name, handed):
    """Out of scope reads as not found, in the API's words, even when the caller hands the
    service the whole district as scope."""
    action = ACTIONS[name]
    actor = getattr(people, action.keeper).user
    assert not scope_of(actor).covers(people.other_grid.code)
    before = _written()
    with pytest.raises(Http404) as refused:
        action.run(people, actor, people.other_grid, scope_of(actor) if handed == "own" else Scope.district())
    assert str(refused.value) == "未找到该对象"
    assert _written() == before


def test_the_system_keeps_every_right(people):
    before = _written()
    _resident_update(people, None, people.other_grid, Scope.district())
    _social_activity_add(people, None, people.other_grid, Scope.district())
    assert _written() != before


# --- persons named outside the scope --------------------------------------------------------

def _stranger(people) -> Person:
    """A resident of the other grid: unknown to the community official."""
    return _resident(people.other_grid)


def test_a_post_is_not_given_to_a_person_out_of_scope(people):
    actor = people.community_official.user
    before = _written()
    with pytest.raises(Http404):
        post_add(scope=scope_of(actor), grid=people.home_grid, person=_stranger(people), role=GridPost.Role.GROUP, duty=_group_duty(), actor=actor)
    assert _written() == before


def test_an_organisation_does_not_take_a_member_out_of_scope(people):
    actor = people.community_official.user
    before = _written()
    with pytest.raises(Http404):
        social_member_add(organisation=_social(people.home_grid), person=_stranger(people), actor=actor)
    organisation = _party(people.home_grid)
    with pytest.raises(Http404):
        party_organisation_save(
            scope=scope_of(actor), name=organisation.name, kind=organisation.kind, grids=list(organisation.grids.all()),
            secretary=organisation.secretary, members=[*organisation.members.all(), _stranger(people)], organisation=organisation, actor=actor,
        )
    assert _written() == before


@pytest.mark.parametrize("held", [True, False])
def test_a_wider_scope_handed_along_registers_no_one_beyond_the_actors(people, held):
    """Below the district a number not found in scope is refused, held elsewhere or not, and the
    person elsewhere is neither returned nor named."""
    actor = people.community_official.user
    number = _stranger(people).id_number if held else id_number()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        person_find_or_create(scope=Scope.district(), id_number=number, name=MARK, actor=actor)
    assert refused.value.message_dict == {"id_number": [NOT_REGISTRABLE]}
    assert _written() == before


def test_registering_a_person_needs_the_right(people):
    before = _written()
    with pytest.raises(PermissionDenied) as refused:
        person_find_or_create(scope=Scope.district(), id_number=id_number(), name=MARK, actor=people.grid_worker.user)
    assert str(refused.value) == "没有权限登记人员"
    assert _written() == before


# --- workbook imports -------------------------------------------------------------------------

def _resident_rows(grid: Grid) -> bytes:
    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    row = {"姓名": MARK, "身份证号": id_number(), "人口类型": "户籍人口", "网格编码": grid.code, "街路巷或小区": building.compound, "楼栋": building.name, "户室": "909"}
    return _xlsx(RESIDENT_HEADINGS, [row])


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("居民.xlsx", content)


def test_an_import_needs_the_right_to_keep_that_kind(people):
    actor = people.department_handler.user
    before = _written()
    with pytest.raises(PermissionDenied) as refused:
        workbook_import(kind=kind_get("residents"), file=_file(_resident_rows(people.home_grid)), scope=scope_of(actor), actor=actor)
    assert str(refused.value) == "没有权限导入居民"
    assert _written() == before


def test_an_import_writes_nothing_beyond_the_actors_scope(people):
    actor = people.grid_worker.user
    imported = workbook_import(kind=kind_get("residents"), file=_file(_resident_rows(people.home_grid)), scope=Scope.district(), actor=actor)
    assert imported.count == 1  # the control: the worker's own grid is written
    before = _written()
    with pytest.raises(WorkbookRefused) as refused:
        workbook_import(kind=kind_get("residents"), file=_file(_resident_rows(people.other_grid)), scope=Scope.district(), actor=actor)
    assert [p.reason for p in refused.value.problems] == [f"网格 {people.other_grid.code} 不存在或不在您负责的范围内"]
    assert _written() == before

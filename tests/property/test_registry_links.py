"""The registry's people and buildings that property names: a resident who owns a dwelling and
moves out stays known (without a home); a building the registry removes leaves its compound."""

from wangge.people.models import Building, Person
from wangge.people.services.buildings import building_delete
from wangge.people.services.persons import resident_move_out
from wangge.property.models import CompoundBuilding, DwellingOwner


def test_a_dwelling_owner_who_moves_out_stays_known(db):
    ownership = DwellingOwner.objects.filter(
        person__posts__isnull=True, person__party_memberships__isnull=True, person__social_memberships__isnull=True, person__committee_posts__isnull=True,
    ).select_related("person").first()
    resident_move_out(person=ownership.person, actor=None)
    person = Person.objects.get(pk=ownership.person_id)
    assert person.household is None and DwellingOwner.objects.filter(pk=ownership.pk).exists()


def test_a_building_the_registry_removes_leaves_its_compound(db):
    template = CompoundBuilding.objects.select_related("building", "compound").first()
    old = template.building
    empty = Building.objects.create(community=old.community, compound=old.compound, name="空楼", lon=old.lon, lat=old.lat, grid_code=old.grid_code)
    CompoundBuilding.objects.create(compound=template.compound, building=empty)
    building_delete(building=empty, actor=None)
    assert not template.compound.buildings.filter(pk=empty.pk).exists() and template.compound.buildings.filter(pk=old.pk).exists()

"""The grid worker's pages and the officials' staffing and party reports, server-side.

Pages are read as a signed-in persona with Django's test client against the demo district;
whatever a test changes goes through the services and is rolled back after it.
"""

import re

import pytest
from django.test import Client

from wangge.geo.scope import scope_of
from wangge.people.models import Building, GridPost, PartyOrganisation, Person
from wangge.people.selectors.staff import staffing_by_grid
from wangge.people.services.party import party_organisation_delete
from wangge.people.services.staff import post_add, post_remove

MOBILE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\d.])\d{17}[\dX](?!\d)")


def _page(user, url: str):
    client = Client()
    client.force_login(user)
    return client.get(url)


def _html(user, url: str) -> str:
    response = _page(user, url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _section(html: str, section_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert found, f"no section #{section_id}"
    return found.group(0)


def _assert_nothing_unmasked(html: str, people) -> None:
    for person in people:
        if person.phone:
            assert person.phone not in html
        assert person.id_number not in html
    assert not MOBILE.search(html), MOBILE.search(html).group(0)
    assert not ID_NUMBER.search(html), ID_NUMBER.search(html).group(0)


def _inhabited_building(grid) -> Building:
    return Building.objects.filter(grid_code=grid.code, dwellings__members__isnull=False).distinct().order_by("pk").first()


def test_it_shows_the_grid_worker_their_grid(people):
    grid = people.home_grid
    html = _html(people.grid_worker.user, "/my-grid")

    cadre = GridPost.objects.get(grid=grid, role=GridPost.Role.FULL_TIME).person
    organisation = PartyOrganisation.objects.get(grids=grid)
    assert grid.name in html and grid.code in html
    assert cadre.name in _section(html, "staff")
    assert organisation.name in _section(html, "party")
    buildings = _section(html, "buildings")
    for building in Building.objects.filter(grid_code=grid.code):
        assert f'href="/my-grid/buildings/{building.pk}"' in buildings
    assert 'id="my-grid-data"' in html  # the map's data, for my_grid.js


def test_it_masks_the_phones_of_staff(people):
    html = _html(people.grid_worker.user, "/my-grid")
    staff = [post.person for post in GridPost.objects.filter(grid=people.home_grid).select_related("person")]
    assert staff
    _assert_nothing_unmasked(html, staff)
    with_phone = next(p for p in staff if p.phone)
    assert f"{with_phone.phone[:3]}****{with_phone.phone[-4:]}" in html


def test_it_shows_a_buildings_residents_masked(people):
    building = _inhabited_building(people.home_grid)
    html = _html(people.grid_worker.user, f"/my-grid/buildings/{building.pk}")

    residents = list(Person.objects.filter(household__building=building))
    assert residents
    _assert_nothing_unmasked(html, residents)
    dwellings = _section(html, "dwellings")
    for resident in residents:
        assert f"{resident.name[0]}{'*' * (len(resident.name) - 1)}" in dwellings
        assert f">{resident.name}<" not in dwellings
    with_phone = next(p for p in residents if p.phone)
    assert f"{with_phone.phone[:3]}****{with_phone.phone[-4:]}" in dwellings


def test_it_answers_404_outside_the_scope(people):
    worker = people.grid_worker.user
    other_building = Building.objects.filter(grid_code=people.other_grid.code).first()
    assert _page(worker, f"/my-grid/buildings/{other_building.pk}").status_code == 404
    assert _page(worker, f"/my-grid?grid={people.other_grid.code}").status_code == 404
    assert _page(worker, "/my-grid?grid=nonsense").status_code == 404
    official = people.community_official.user
    assert _page(official, f"/my-grid?grid={people.other_grid.code}").status_code == 404
    assert _page(official, f"/my-grid/buildings/{other_building.pk}").status_code == 404


def test_it_lets_an_official_choose_a_grid_in_scope(people):
    official = people.community_official.user
    choice = _html(official, "/my-grid")
    assert f"/my-grid?grid={people.home_grid.code}" in choice
    assert people.other_grid.code not in choice
    html = _html(official, f"/my-grid?grid={people.home_grid.code}")
    assert PartyOrganisation.objects.get(grids=people.home_grid).name in html
    building = _inhabited_building(people.home_grid)
    assert _page(official, f"/my-grid/buildings/{building.pk}").status_code == 200


@pytest.mark.parametrize("url", ["/my-grid", "/people/staffing", "/people/party"])
def test_it_refuses_people_without_a_part_in_the_grid(people, url):
    assert _page(people.resident.user, url).status_code == 403
    assert _page(people.department_handler.user, url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page


def test_it_keeps_the_reports_for_officials(people):
    assert _page(people.grid_worker.user, "/people/staffing").status_code == 403
    assert _page(people.grid_worker.user, "/people/party").status_code == 403


def test_it_lists_a_grid_short_of_its_cadre_until_one_is_posted(people):
    official = people.subdistrict_official.user
    scope = scope_of(official)
    grid_code = next(row.code for row in staffing_by_grid(scope) if not row.problems)
    link = f"/my-grid?grid={grid_code}"
    assert link not in _section(_html(official, "/people/staffing"), "breaking")

    post = GridPost.objects.select_related("grid", "person").get(grid__code=grid_code, grid__layer__is_active=True, role=GridPost.Role.FULL_TIME)
    post_remove(post=post, actor=official)
    breaking = _section(_html(official, "/people/staffing"), "breaking")
    assert link in breaking
    row = breaking[breaking.index(link):]
    assert "没有专职网格员" in row[: row.index("</tr>")]
    assert "没有专职网格员 1</span>" in _section(_html(official, "/people/staffing"), "rollup")

    post_add(scope=scope, grid=post.grid, person=post.person, role=GridPost.Role.FULL_TIME, actor=official)
    assert link not in _section(_html(official, "/people/staffing"), "breaking")


def test_it_lists_a_grid_whose_party_organisation_was_dissolved(people):
    official = people.community_official.user
    grid = people.home_grid
    link = f"/my-grid?grid={grid.code}"
    assert link not in _section(_html(official, "/people/party"), "grids-without-organisation")

    party_organisation_delete(organisation=PartyOrganisation.objects.get(grids=grid), actor=official)
    assert link in _section(_html(official, "/people/party"), "grids-without-organisation")
    assert "本网格尚未建立党组织" in _html(people.grid_worker.user, "/my-grid")

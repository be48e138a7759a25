"""The back office's pages of supply and demand: each shows what the selectors let the user see."""

import pytest

from tests.matching.making import need_in, provider, resource_in


@pytest.mark.parametrize(("page", "allowed", "refused"), [
    ("/matching/resources", ("community_official", "district_official"), ("grid_worker", "resident", "department_handler")),
    ("/matching/needs", ("community_official", "grid_worker"), ("resident", "department_handler")),
    ("/matching/fairs", ("subdistrict_official",), ("grid_worker", "resident")),
    ("/matching/proposals", ("community_official",), ("grid_worker", "resident")),
])
def test_each_page_opens_for_its_readers_only(client, people, page, allowed, refused):
    for persona in allowed:
        client.force_login(getattr(people, persona).user)
        assert client.get(page).status_code == 200, (page, persona)
    for persona in refused:
        client.force_login(getattr(people, persona).user)
        assert client.get(page).status_code == 403, (page, persona)


def test_a_provider_lands_on_its_own_resources_and_sees_no_others(client, people):
    mine, theirs = provider("provider_a"), provider("provider_b")
    resource_in(people.home_grid, owner=mine.user, name="爱心食堂")
    resource_in(people.home_grid, owner=theirs.user, name="法律服务站")
    client.force_login(mine.user)
    page = client.get("/matching/resources").content.decode()
    assert "爱心食堂" in page and "法律服务站" not in page and "每天 08:00–18:00" in page


def test_the_proposals_page_shows_each_pair_with_its_reason(client, people):
    resource_in(people.home_grid, name="社区活动室", capacity=1)
    need = need_in(people.home_grid, urgency=5)
    client.force_login(people.community_official.user)
    page = client.get("/matching/proposals", {"distance": "5000"}).content.decode()
    assert need.number in page and "「社区活动室」" in page and "剩余容量 0/1" in page

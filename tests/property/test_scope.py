"""Who sees which compounds and companies: officials their subtree, a company its own; anything
else answers 404, over the API and on the pages alike."""

from wangge.people.models import Building


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def test_it_shows_a_company_only_its_own_compounds_and_company(api, people, estate):
    token = estate.manager.token
    compounds = _ids(api.get("/api/property/compounds?limit=1000", token=token))
    assert estate.compound.pk in compounds and estate.other_compound.pk not in compounds
    assert compounds == set(estate.company.services.filter(ended_on__isnull=True).values_list("compound_id", flat=True))
    assert _ids(api.get("/api/property/companies", token=token)) == {estate.company.pk}


def test_it_answers_404_for_another_companys_compound_and_company(api, estate):
    token = estate.manager.token
    for path in (f"/api/property/compounds/{estate.other_compound.pk}", f"/api/property/companies/{estate.other_company.pk}", "/api/property/compounds/999999"):
        response = api.get(path, token=token)
        assert response.status_code == 404 and response.json()["detail"] == "未找到该对象"
    assert api.get(f"/api/property/compounds/{estate.compound.pk}", token=token).json()["company_name"] == estate.company.name


def test_it_gives_a_company_account_no_part_of_the_map(api, estate):
    """A company sees its own records only: every geo-scoped list is empty to it."""
    assert Building.objects.exists()
    buildings = api.get("/api/buildings", token=estate.manager.token)
    assert buildings.status_code in (200, 403)
    if buildings.status_code == 200:
        assert buildings.json()["count"] == 0


def test_it_shows_officials_their_subtree_only(api, people, estate):
    community_view = _ids(api.get("/api/property/compounds?limit=1000", token=people.community_official.token))
    assert estate.compound.pk in community_view and estate.other_compound.pk not in community_view
    refused = api.get(f"/api/property/compounds/{estate.other_compound.pk}", token=people.community_official.token)
    assert refused.status_code == 404
    assert api.get(f"/api/property/compounds/{estate.other_compound.pk}", token=people.district_official.token).status_code == 200


def test_it_refuses_grid_workers_and_residents(api, people, estate):
    for persona in (people.grid_worker, people.resident, people.department_handler):
        assert api.get("/api/property/compounds", token=persona.token).status_code == 403


def test_the_pages_answer_404_out_of_scope(client, estate):
    client.force_login(estate.manager.user)
    assert client.get(f"/property/compounds/{estate.compound.pk}").status_code == 200
    assert client.get(f"/property/compounds/{estate.other_compound.pk}").status_code == 404
    assert client.get(f"/property/companies/{estate.other_company.pk}").status_code == 404
    landing = client.get("/property/my-company")
    assert landing.status_code == 302 and landing["Location"] == f"/property/companies/{estate.company.pk}"

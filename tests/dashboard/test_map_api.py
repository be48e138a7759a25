"""GET /api/stats/grids and /api/stats/case-points: a figure per grid, added up the grid tree,
within the caller's scope; computed from the data at request time."""

from django.db.models import Sum

from tests.cases.factories import case_in
from tests.dashboard.helpers import closed_case
from wangge.cases.models import Department
from wangge.geo.models import Grid
from wangge.people.models import Building


def values(api, token, figure="households", parent=None) -> dict:
    params = {"figure": figure, **({"parent": parent} if parent else {})}
    response = api.get("/api/stats/grids", token=token, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    return {f["properties"]["code"]: f["properties"] for f in body["features"]} | {"_body": body}


def households_of(grid_code: str) -> int:
    return Building.objects.filter(grid_code=grid_code).aggregate(n=Sum("households"))["n"] or 0


def test_it_drills_down_from_the_district_to_level_3_with_households_summed(api, people):
    token = people.district_official.token
    home = people.home_grid
    community_grid, street = home.parent, home.parent.parent
    top = values(api, token)
    assert len(top) - 1 == Grid.objects.filter(layer__is_active=True, level=1).count() == 13
    level_2 = values(api, token, parent=street.code)
    assert set(level_2) - {"_body"} == set(street.children.values_list("code", flat=True))
    level_3 = values(api, token, parent=community_grid.code)
    assert set(level_3) - {"_body"} == set(community_grid.children.values_list("code", flat=True))
    for code in community_grid.children.values_list("code", flat=True):
        assert level_3[code]["value"] == households_of(code)
        assert level_3[code]["level"] == 3
    # A parent's value is its children's sum, at every level.
    assert level_2[community_grid.code]["value"] == sum(households_of(c) for c in community_grid.children.values_list("code", flat=True))
    assert top[street.code]["value"] == level_2["_body"]["total"]["value"] == sum(p["value"] for k, p in level_2.items() if k != "_body")
    assert [t["code"] for t in level_3["_body"]["trail"]] == [street.code, community_grid.code]


def test_a_community_official_sees_only_their_community(api, people):
    token = people.community_official.token
    home, other = people.home_grid, people.other_grid
    top = values(api, token)
    assert set(top) - {"_body"} == {home.parent.parent.code}
    assert set(values(api, token, parent=home.parent.parent.code)) - {"_body"} == {home.parent.code}
    level_3 = values(api, token, parent=home.parent.code)
    assert set(level_3) - {"_body"} == set(Grid.objects.filter(layer__is_active=True, level=3, community=home.community).values_list("code", flat=True))
    for code in (other.parent.code, other.parent.parent.code):
        assert api.get("/api/stats/grids", token=token, params={"parent": code}).status_code == 404


def test_a_grid_worker_sees_only_their_grid(api, people):
    token = people.grid_worker.token
    home, other = people.home_grid, people.other_grid
    assert set(values(api, token, parent=home.parent.code)) - {"_body"} == {home.code}
    top = values(api, token, figure="cases_open")
    assert set(top) - {"_body"} == {home.parent.parent.code}
    assert api.get("/api/stats/grids", token=token, params={"parent": other.parent.code}).status_code == 404
    case_in(people, home)
    case_in(people, other)
    assert values(api, token, figure="cases_open")["_body"]["total"]["value"] == 1


def test_open_cases_follow_the_cases(api, people):
    token, home = people.district_official.token, people.home_grid
    before = values(api, token, figure="cases_open", parent=home.parent.code)[home.code]["value"]
    top_before = values(api, token, figure="cases_open")["_body"]["total"]["value"]
    case_in(people, home, client_id="a")
    case_in(people, home, client_id="b")
    assert values(api, token, figure="cases_open", parent=home.parent.code)[home.code]["value"] == before + 2
    top = values(api, token, figure="cases_open")
    assert top["_body"]["total"]["value"] == top_before + 2
    assert top[home.parent.parent.code]["value"] >= 2
    assert top["_body"]["total"]["value"] == api.get("/api/stats/headline", token=token).json()["cases_open"]


def test_the_on_time_rate_adds_up_parts_not_rates(api, people):
    token, home = people.district_official.token, people.home_grid
    sibling = home.parent.children.exclude(pk=home.pk).order_by("code").first()
    department = Department.objects.create(code="city_management", name="城市管理局")
    closed_case(home, on_time=True, department=department)
    closed_case(sibling, on_time=True, department=department)
    closed_case(sibling, on_time=False, department=department)
    closed_case(sibling, on_time=False, department=department)
    level_3 = values(api, token, figure="on_time_rate", parent=home.parent.code)
    assert level_3[home.code]["value"] == 1.0
    assert level_3[sibling.code]["value"] == round(1 / 3, 4)
    level_2 = values(api, token, figure="on_time_rate", parent=home.parent.parent.code)
    assert level_2[home.parent.code]["parts"] == [2, 4]
    assert level_2[home.parent.code]["value"] == 0.5  # not the mean of the rates, 0.6667
    top = values(api, token, figure="on_time_rate")
    assert top["_body"]["total"]["value"] == api.get("/api/stats/headline", token=token).json()["on_time_rate"] == 0.5


def test_staffing_gaps_count_grids_breaking_the_rule(api, people):
    from wangge.geo.scope import Scope
    from wangge.people.selectors.staff import staffing_by_grid

    token, home = people.district_official.token, people.home_grid
    breaking = {row.code for row in staffing_by_grid(Scope(home.community.code)) if row.problems}
    level_3 = values(api, token, figure="staffing_gaps", parent=home.parent.code)
    assert {code for code, p in level_3.items() if code != "_body" and p["value"]} == breaking
    assert level_3["_body"]["total"]["value"] == len(breaking)


def test_it_refuses_an_unknown_figure_naming_the_field(api, people):
    response = api.get("/api/stats/grids", token=people.district_official.token, params={"figure": "nonsense"})
    assert response.status_code in (400, 422)
    assert "figure" in response.json()["detail"]


def test_residents_and_department_handlers_have_no_dashboards(api, people):
    for person in (people.resident, people.department_handler):
        for path in ("/api/stats/grids", "/api/stats/case-points", "/api/stats/charts"):
            response = api.get(path, token=person.token)
            assert response.status_code == 403, (person.user.username, path)
            assert "数据看板" in response.json()["detail"]


def test_case_points_are_the_open_cases_in_scope(api, people):
    home, other = people.home_grid, people.other_grid
    mine, theirs = case_in(people, home), case_in(people, other)
    closed_case(home, on_time=True)
    points = api.get("/api/stats/case-points", token=people.grid_worker.token).json()["features"]
    assert [p["properties"]["number"] for p in points] == [mine.number]
    assert points[0]["geometry"]["coordinates"] == [mine.lon, mine.lat]
    assert "reporter" not in points[0]["properties"] and "address" not in points[0]["properties"]
    under = api.get("/api/stats/case-points", token=people.district_official.token, params={"parent": other.parent.code}).json()["features"]
    assert [p["properties"]["number"] for p in under] == [theirs.number]
    assert api.get("/api/stats/case-points", token=people.grid_worker.token, params={"parent": other.parent.code}).status_code == 404

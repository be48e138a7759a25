"""Supply and demand's figures in /api/stats/headline: resources, needs and facilities, each a
total and a count per kind, computed from the records at request time, scoped to the caller,
each with the records behind it on /dashboard."""

import pytest

from tests.matching.making import need_in, provider, resource_in
from wangge.matching.facilities.services import facility_kind_create, facility_save
from wangge.matching.kinds import Kind
from wangge.matching.models import Facility, FacilityKind, Need, Resource
from wangge.matching.resources import resource_withdraw
from wangge.people.models import Building

pytestmark = pytest.mark.django_db


def _facility(grid, kind: str, name: str) -> Facility:
    building = Building.objects.filter(grid_code=grid.code).order_by("pk").first()
    return facility_save(actor=None, kind_code=kind, name=name, community_code=grid.community.code, lon=building.lon, lat=building.lat,
                         address=building.address, hours="每天 08:00–20:00", capacity=30)


@pytest.fixture
def records(people):
    home, other = people.home_grid, people.other_grid
    return {
        "resources": [resource_in(home, kind="venue"), resource_in(home, kind="expertise", name="家门口的法律咨询"), resource_in(other, kind="venue", name="远处的活动室")],
        "withdrawn": resource_withdraw(actor=None, resource_id=resource_in(home, kind="service").pk),
        "needs": [need_in(home, kind="venue"), need_in(home, kind="manpower", category="环境改善"), need_in(other, kind="service", category="养老服务")],
        "facilities": [_facility(home, "children_park", "家门口微游园"), _facility(home, "tcm_room", "家门口理疗室"), _facility(other, "children_park", "远处微游园")],
    }


def _split(rows, field: str, keys) -> dict:
    by_kind = {key: sum(1 for r in rows if field(r) == key) for key in keys}
    return {"total": len(rows), "by_kind": by_kind}


def _direct(prefix: str) -> dict:
    """The same figures counted straight from the records, without the figures module."""
    resources = [r for r in Resource.objects.all() if r.active and r.community_code.startswith(prefix)]
    needs = [n for n in Need.objects.all() if n.community_code.startswith(prefix)]
    facilities = [f for f in Facility.objects.select_related("kind") if f.community_code.startswith(prefix)]
    return {
        "resources": _split(resources, lambda r: r.kind, Kind.values),
        "needs": _split(needs, lambda n: n.kind, Kind.values),
        "facilities": _split(facilities, lambda f: f.kind.code, FacilityKind.objects.values_list("code", flat=True)),
    }


def _headline(api, token=None) -> dict:
    figures = api.get("/api/stats/headline", token=token).json()
    return {key: figures[key] for key in ("resources", "needs", "facilities")}


def test_it_counts_from_the_records_and_an_added_record_counts(api, people, records):
    district = _headline(api)
    assert district == _direct("")
    assert district["resources"]["total"] >= 3 and district["facilities"]["by_kind"]["children_park"] >= 2
    assert set(district["resources"]["by_kind"]) == set(Kind.values)  # every kind, zero where none
    facility_kind_create(actor=None, code="t-kiosk", name="测试便民亭")
    resource_in(people.other_grid, kind="materials", name="新增的轮椅")
    need_in(people.other_grid, kind="expertise", category="法律服务")
    after = _headline(api)
    assert after["resources"]["by_kind"]["materials"] == district["resources"]["by_kind"]["materials"] + 1
    assert after["needs"]["by_kind"]["expertise"] == district["needs"]["by_kind"]["expertise"] + 1
    assert after["facilities"]["by_kind"]["t-kiosk"] == 0  # a kind the district added is present with zero
    assert after == _direct("")


def test_a_withdrawn_resource_is_not_counted(api, people, records):
    before = _headline(api, people.community_official.token)["resources"]["by_kind"]["service"]
    resource_withdraw(actor=None, resource_id=records["resources"][0].pk)
    after = _headline(api, people.community_official.token)["resources"]
    assert after["by_kind"]["venue"] == _direct(people.home_grid.community.code)["resources"]["by_kind"]["venue"]
    assert after["by_kind"]["service"] == before


def test_it_scopes_every_figure_to_the_caller(api, people, records):
    home = people.home_grid.community.code
    community = _headline(api, people.community_official.token)
    assert community == _direct(home)
    assert community["facilities"]["by_kind"]["children_park"] == 1 and community["facilities"]["by_kind"]["tcm_room"] == 1
    assert community["resources"]["by_kind"]["expertise"] == 1
    assert _headline(api, people.subdistrict_official.token) == _direct(people.subdistrict_official.user.scope_code[:9])
    nobody = _headline(api, provider("t_provider").token)  # a provider's scope is its own records, not an area
    assert nobody["resources"]["total"] == nobody["needs"]["total"] == nobody["facilities"]["total"] == 0


def test_the_records_behind_a_figure_are_the_callers_own(client, people, records):
    client.force_login(people.community_official.user)
    page = client.get("/dashboard/records", {"figure": "resources.by_kind.expertise"}).content.decode()
    assert "家门口的法律咨询" in page
    page = client.get("/dashboard/records", {"figure": "resources.by_kind.venue"}).content.decode()
    assert "远处的活动室" not in page
    page = client.get("/dashboard/records", {"figure": "facilities.by_kind.children_park"}).content.decode()
    assert "家门口微游园" in page and "远处微游园" not in page and "儿童微游园" in page
    home_need = records["needs"][0]
    page = client.get("/dashboard/records", {"figure": "needs.total"}).content.decode()
    assert home_need.number in page and records["needs"][2].number not in page
    assert "张三" not in page and "13800138000" not in page  # who stated a need is not shown
    dashboard = client.get("/dashboard").content.decode()
    assert "需要人力的需求" in dashboard and "中医理疗室" in dashboard

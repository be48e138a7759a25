"""Keeping service facilities: each inside its community, within the keeper's scope, in the
district's kinds; bad input refused by field and nothing saved."""

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.matching.facilities import services
from wangge.matching.models import Facility, FacilityKind


def _save(actor, community, point, **fields):
    lon, lat = point
    return services.facility_save(
        actor=actor, kind_code=fields.pop("kind_code", "children_park"), name=fields.pop("name", "幸福里儿童微游园"), community_code=community, lon=lon, lat=lat,
        address=fields.pop("address", "幸福里小区3号楼南侧"), **fields,
    )


def test_the_district_seeds_the_five_kinds(db):
    assert list(FacilityKind.objects.values_list("name", flat=True)) == ["儿童微游园", "老年人活动区", "残疾人康复站", "庭院微美化", "中医理疗室"]


def test_an_official_adds_a_facility_in_the_community(people, spots):
    f = _save(people.community_official.user, spots["community"], spots["home"][0], hours="8:00-20:00", capacity=40, project_number="XM20260001")
    f.refresh_from_db()
    assert (f.kind.code, f.community_code, f.capacity, f.status) == ("children_park", spots["community"], 40, "open")
    assert (f.lon, f.lat) == spots["home"][0]


@pytest.mark.parametrize(
    ("point", "field", "message"),
    [
        ((113.0, 10.0), "lon", "不在本区任何网格内"),
        ((math.nan, 34.7), "lon", "经度应为"),
        ((113.7, math.inf), "lat", "纬度应为"),
        ((200.0, 34.7), "lon", "经度应为"),
    ],
)
def test_it_refuses_a_point_outside_the_district_or_not_a_number(people, spots, point, field, message):
    with pytest.raises(ValidationError) as refused:
        _save(people.community_official.user, spots["community"], point)
    assert message in refused.value.message_dict[field][0]
    assert not Facility.objects.exists()


def test_it_refuses_a_point_in_another_community(people, spots):
    lon, lat, _ = spots["away"][0]
    with pytest.raises(ValidationError, match="不在所选社区内"):
        _save(people.community_official.user, spots["community"], (lon, lat))


def test_it_refuses_bad_fields_by_name(people, spots):
    official = people.community_official.user
    for fields, field in (({"kind_code": "zoo"}, "kind_code"), ({"name": " "}, "name"), ({"capacity": 0}, "capacity"), ({"status": "gone"}, "status")):
        with pytest.raises(ValidationError) as refused:
            _save(official, spots["community"], spots["home"][0], **fields)
        assert field in refused.value.message_dict
    assert not Facility.objects.exists()


def test_a_community_out_of_scope_reads_as_unknown(people, spots):
    lon, lat, grid = spots["away"][0]
    with pytest.raises(ValidationError) as refused:
        _save(people.community_official.user, grid[:12], (lon, lat))
    assert refused.value.message_dict == {"community_code": ["请选择所辖社区"]}
    theirs = _save(None, grid[:12], (lon, lat))
    with pytest.raises(PermissionDenied):
        _save(people.community_official.user, spots["community"], spots["home"][0], facility=theirs)
    assert Facility.objects.get(pk=theirs.pk).community_code == grid[:12]


def test_only_the_district_adds_kinds(people):
    with pytest.raises(PermissionDenied, match="区级"):
        services.facility_kind_create(actor=people.community_official.user, code="library", name="社区书屋")
    kind = services.facility_kind_create(actor=people.district_official.user, code="library", name="社区书屋")
    assert kind.pk and FacilityKind.objects.filter(name="社区书屋").exists()
    with pytest.raises(ValidationError, match="已存在"):
        services.facility_kind_create(actor=people.district_official.user, code="library2", name="社区书屋")

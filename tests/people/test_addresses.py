"""Typed addresses resolve to the demo district's registered buildings, or say why not."""

import time

import pytest
from django.core.exceptions import ValidationError

from wangge.people.models import Building
from wangge.people.selectors import addresses
from wangge.people.selectors.addresses import resolve_address

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture
def building(db) -> Building:
    """A demo building numbered 12 or more, so that 十二号楼-style numerals can be tried."""
    return Building.objects.select_related("community__parent__parent").filter(name="12号楼").order_by("pk").first()


def _parts(building: Building) -> tuple[str, str, str, str]:
    community = building.community
    return community.parent.parent.name, community.parent.name, community.name, building.compound + building.name


def _refusal(text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        resolve_address(text)
    (message,) = caught.value.message_dict["address"]
    assert message.startswith(f"无法识别地址「{text.strip()}」：")
    return message


def test_the_demo_addresses_are_composed_as_the_resolver_expects(building):
    district, subdistrict, community, tail = _parts(building)
    assert building.address == district + subdistrict + community + tail
    assert district == "管城回族区" and subdistrict.endswith("街道") and community.endswith("社区") and tail.endswith("号院12号楼")


def test_it_resolves_the_registered_address_to_its_building(building):
    match = resolve_address(building.address)
    assert match.building == building and match.address == building.address
    assert (match.lon, match.lat, match.grid_code) == (building.lon, building.lat, building.grid_code)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda a: a.replace("号", "號"), id="traditional-hao"),
        pytest.param(lambda a: a.replace("区", "區").replace("号楼", "號樓"), id="traditional-district-and-building"),
        pytest.param(lambda a: a.translate(FULL_WIDTH), id="full-width-digits"),
        pytest.param(lambda a: a.replace("管城回族区", ""), id="no-district"),
        pytest.param(lambda a: a.replace("管城回族区", "管城区"), id="short-district-name"),
        pytest.param(lambda a: "河南省郑州市" + a, id="province-and-city"),
        pytest.param(lambda a: "郑州市" + a.replace("管城回族区", "管城区"), id="city-and-short-district"),
        pytest.param(lambda a: " ".join(a.replace("号院", "号院 ").replace("社区", "社区，")), id="spaces-and-punctuation"),
        pytest.param(lambda a: a.replace("12号楼", "十二号楼"), id="chinese-numeral"),
        pytest.param(lambda a: a.replace("12号楼", "12栋"), id="dong-for-haolou"),
        pytest.param(lambda a: a.replace("12号楼", "１２幢"), id="full-width-zhuang"),
    ],
)
def test_it_tolerates_the_usual_variations(building, variant):
    typed = variant(building.address)
    assert typed != building.address
    match = resolve_address(typed)
    assert match.building == building and match.address == building.address


def test_it_allows_the_subdistrict_and_community_to_be_missing(building):
    district, subdistrict, community, tail = _parts(building)
    for typed in (tail, community + tail, subdistrict + tail, district + community + tail, "郑州市管城区" + subdistrict + tail):
        assert resolve_address(typed).building == building, typed


@pytest.mark.parametrize(("suffix", "label"), [("3单元502", "3单元502室"), ("3单元502室", "3单元502室"), ("-3-502", "3502室"), ("502室", "502室"), ("2单元", "2单元")])
def test_it_keeps_a_unit_and_room_but_matches_the_building(building, suffix, label):
    match = resolve_address(building.address + suffix)
    assert match.building == building and match.address == building.address + label


def test_it_does_not_read_building_1_where_building_11_is_meant(db):
    eleven = Building.objects.filter(name="11号楼").order_by("pk").first()
    one = Building.objects.get(community=eleven.community, compound=eleven.compound, name="1号楼")
    assert resolve_address(eleven.compound + "11号楼").building == eleven
    assert resolve_address(one.compound + "1号楼").building == one
    assert resolve_address(one.compound + "1号楼1101").building == one


def test_it_refuses_a_building_that_is_not_registered(building):
    assert "未找到该楼栋" in _refusal(building.address.replace("12号楼", "999号楼"))
    assert "未找到该楼栋" in _refusal("陇海路 1 号")


def test_it_refuses_a_subdistrict_that_contradicts_the_building(building):
    _, subdistrict, _, tail = _parts(building)
    other = Building.objects.exclude(community__parent=building.community.parent).select_related("community__parent").first()
    assert "未找到该楼栋" in _refusal(other.community.parent.name + tail)
    assert resolve_address(subdistrict + tail).building == building


def test_it_says_when_the_building_number_is_missing(building):
    assert "缺少楼号" in _refusal(building.address.removesuffix(building.name))
    assert "缺少小区" in _refusal("河南省郑州市管城区" + building.community.parent.name)


def test_it_lists_a_few_candidates_when_the_address_is_ambiguous(db):
    message = _refusal("1号院3号楼")
    listed = message.split("有多处楼栋符合：")[1].split("等")[0].split("，")[0].split("、")
    assert len(listed) == 3 and all(a.endswith("1号院3号楼") for a in listed)
    assert Building.objects.filter(address__in=listed).count() == 3
    assert f"等 {Building.objects.filter(compound__endswith='1号院', name='3号楼').count()} 处" in message


def test_it_tells_apart_same_named_buildings_by_their_community(building):
    twin_community = Building.objects.exclude(community=building.community).select_related("community").first().community
    twin = Building.objects.create(
        community=twin_community, compound=building.compound, name=building.name, lon=building.lon, lat=building.lat,
        address=twin_community.parent.parent.name + twin_community.parent.name + twin_community.name + building.compound + building.name,
    )
    assert "有多处楼栋符合" in _refusal(building.compound + building.name)
    assert resolve_address(twin_community.name + building.compound + building.name).building == twin
    assert resolve_address(building.address).building == building


@pytest.mark.parametrize("empty", ["", "   ", "，。"])
def test_it_refuses_an_empty_address(db, empty):
    assert "地址为空" in _refusal(empty)


def test_it_sees_an_edit_that_keeps_the_number_of_buildings(building):
    resolve_address(building.address)  # the index is built
    Building.objects.filter(pk=building.pk).update(name="新12号楼", address=building.address.replace("12号楼", "新12号楼"))
    assert resolve_address(building.address.replace("12号楼", "新12号楼")).building == building
    assert "未找到" in _refusal(building.address)


def test_it_sees_an_edit_of_the_same_length_once_the_index_is_old(building, monkeypatch):
    resolve_address(building.address)  # the index is built
    renamed = building.address.replace("12号楼", "甲12楼")
    Building.objects.filter(pk=building.pk).update(name="甲12楼", address=renamed)
    assert "未找到" in _refusal(renamed)  # a fresh index is not rebuilt for every typo
    monkeypatch.setattr(addresses, "REFRESH_SECONDS", 0)
    assert resolve_address(renamed).building == building
    # Put it back as the rollback will, so that later tests do not meet this edit in the index.
    Building.objects.filter(pk=building.pk).update(name=building.name, address=building.address)
    assert resolve_address(building.address).building == building


def test_it_sees_an_edit_to_the_building_it_found(building):
    resolve_address(building.address)  # the index is built
    other = Building.objects.get(community=building.community, compound=building.compound, name="11号楼")
    Building.objects.filter(pk=building.pk).update(name="11号楼", address=building.address.replace("12号楼", "11号楼"))
    Building.objects.filter(pk=other.pk).update(name="12号楼", address=building.address)
    assert resolve_address(building.address).building == other


def test_it_resolves_quickly_once_warm(building):
    resolve_address(building.address)
    timings = []
    for typed in (building.address, "河南省郑州市管城区" + building.compound + building.name + "3单元502", building.address.replace("号", "號")):
        start = time.perf_counter()
        resolve_address(typed)
        timings.append(time.perf_counter() - start)
    assert max(timings) < 0.05, timings

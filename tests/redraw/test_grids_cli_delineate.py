"""`wangge grids delineate` end to end on GeoJSON files, and on the platform's own data."""

import json

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import mapping, shape

from wangge.geo.delineation.synthetic import synthetic_district
from wangge.geo.models import Division, GridLayer
from wangge.people.models import Building

GRID_KEYS = {"code", "community", "households", "population", "polsby_popper", "crossings", "in_bounds", "flag"}
TOTAL_KEYS = {"grids", "households", "within_bounds_share", "moved_share", "mean_polsby_popper", "crossings"}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture
def inputs(db, tmp_path):
    """A small synthetic district written as the three GeoJSON files the command reads (the
    command looks the communities' names up in the platform's divisions)."""
    buildings, communities, barriers = synthetic_district(500, 7)
    files = {
        "buildings": _collection([
            {"type": "Feature", "properties": {"id": b.id, "households": b.households, "population": b.population},
             "geometry": {"type": "Point", "coordinates": [b.lon, b.lat]}}
            for b in buildings
        ]),
        "communities": _collection([{"type": "Feature", "properties": {"code": c.code}, "geometry": mapping(c.geometry)} for c in communities]),
        "barriers": _collection([{"type": "Feature", "properties": {}, "geometry": mapping(line)} for line in barriers]),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.geojson"
        paths[name].write_text(json.dumps(data), encoding="utf-8")
    paths["community_count"] = len(communities)
    return paths


def _run(inputs, out, report, *extra):
    call_command(
        "grids", "delineate", "--buildings", str(inputs["buildings"]), "--communities", str(inputs["communities"]),
        "--barriers", str(inputs["barriers"]), "--min", "300", "--max", "500", "--seed", "5", "--out", str(out), "--report", str(report), *extra,
    )


def test_it_writes_valid_geojson_and_a_report_byte_identical_on_a_second_run(inputs, tmp_path, capsys):
    first, second = tmp_path / "a.geojson", tmp_path / "b.geojson"
    _run(inputs, first, tmp_path / "a.json")
    summary = capsys.readouterr().out
    _run(inputs, second, tmp_path / "b.json")

    assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    collection = json.loads(first.read_bytes())
    assert collection["type"] == "FeatureCollection" and collection["features"]
    level3 = [f for f in collection["features"] if f["properties"]["level"] == 3]
    for feature in collection["features"]:
        assert shape(feature["geometry"]).is_valid
        assert len(feature["properties"]["code"]) == 15 and feature["properties"]["level"] in (1, 2, 3)
    report = json.loads((tmp_path / "a.json").read_bytes())
    assert set(report["totals"]) >= TOTAL_KEYS and report["totals"]["grids"] == len(level3)
    assert all(set(row) >= GRID_KEYS for row in report["grids"])
    assert "infeasible" in report and report["totals"]["moved_share"] is None
    assert f"网格 {len(level3)} 个" in summary and "户数在范围内的网格占" in summary


def test_it_carries_codes_over_from_an_existing_file(inputs, tmp_path):
    first = tmp_path / "first.geojson"
    _run(inputs, first, tmp_path / "first.json")
    _run(inputs, tmp_path / "again.geojson", tmp_path / "again.json", "--existing", str(first), "--repair")

    report = json.loads((tmp_path / "again.json").read_bytes())
    codes_before = {f["properties"]["code"] for f in json.loads(first.read_bytes())["features"]}
    kept = [g for g in report["grids"] if g["in_bounds"]]
    assert report["totals"]["moved_share"] == 0.0
    assert {g["code"] for g in kept} <= codes_before


def test_it_exits_non_zero_naming_the_row_of_a_broken_file(inputs, tmp_path):
    data = json.loads(inputs["buildings"].read_text(encoding="utf-8"))
    data["features"][1]["properties"]["households"] = "很多"
    inputs["buildings"].write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out.geojson"

    with pytest.raises(CommandError, match="楼栋第 2 条：households 应为非负整数"):
        _run(inputs, out, tmp_path / "r.json")
    assert not out.exists()


def test_it_refuses_a_file_that_is_not_json_or_missing(inputs, tmp_path):
    inputs["communities"].write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="社区文件 .* 不是有效的 JSON"):
        _run(inputs, tmp_path / "o.geojson", tmp_path / "r.json")
    inputs["buildings"].unlink()
    with pytest.raises(CommandError, match="无法读取楼栋文件"):
        _run(inputs, tmp_path / "o.geojson", tmp_path / "r.json")


def test_it_refuses_bounds_the_wrong_way_round(inputs, tmp_path):
    with pytest.raises(CommandError, match="max：每格户数上限应为不小于下限的整数"):
        _run(inputs, tmp_path / "o.geojson", tmp_path / "r.json", "--min", "600")


def test_it_delineates_the_platforms_own_buildings(db, tmp_path, capsys):
    out, report = tmp_path / "platform.geojson", tmp_path / "platform.json"
    call_command("grids", "delineate", "--from-platform", "--out", str(out), "--report", str(report))

    totals = json.loads(report.read_bytes())["totals"]
    features = json.loads(out.read_bytes())["features"]
    assert len({f["properties"]["community"] for f in features if f["properties"]["level"] == 3}) == 138  # every demo community
    assert totals["moved_share"] is not None  # the active layer's grids are the existing net
    assert totals["within_bounds_share"] == 1.0
    assert "无法满足要求的社区 0 个" in capsys.readouterr().out


def _names_follow_the_communities(features: list[dict]) -> None:
    names = dict(Division.objects.filter(kind=Division.Kind.COMMUNITY).values_list("code", "name"))
    numbered: dict[str, int] = {}
    for feature in sorted((f for f in features if f["properties"]["level"] == 3), key=lambda f: f["properties"]["code"]):
        community = feature["properties"]["community"]
        numbered[community] = numbered.get(community, 0) + 1
        assert feature["properties"]["name"] == f"{names[community]}第{numbered[community]}网格"


def test_it_writes_a_layer_that_check_takes_from_a_small_input(db, tmp_path, capsys):
    communities = Division.objects.filter(kind=Division.Kind.COMMUNITY).order_by("code")
    buildings = Building.objects.order_by("pk")[:40]
    files = {
        "communities": _collection([{"type": "Feature", "properties": {"code": c.code}, "geometry": c.geometry} for c in communities]),
        "buildings": _collection([
            {"type": "Feature", "properties": {"id": str(b.pk), "households": b.households, "population": b.population},
             "geometry": {"type": "Point", "coordinates": [b.lon, b.lat]}}
            for b in buildings
        ]),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.geojson").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "small.geojson"
    call_command("grids", "delineate", "--buildings", str(tmp_path / "buildings.geojson"),
                 "--communities", str(tmp_path / "communities.geojson"), "--out", str(out))
    capsys.readouterr()

    call_command("grids", "check", str(out))
    assert "无缝覆盖" in capsys.readouterr().out
    _names_follow_the_communities(json.loads(out.read_bytes())["features"])


def test_it_writes_a_layer_that_check_takes_from_the_platform(db, tmp_path, capsys):
    out = tmp_path / "platform.geojson"
    call_command("grids", "delineate", "--from-platform", "--out", str(out))
    capsys.readouterr()

    call_command("grids", "check", str(out))
    assert "无缝覆盖" in capsys.readouterr().out
    features = json.loads(out.read_bytes())["features"]
    _names_follow_the_communities(features)
    active = GridLayer.objects.get(is_active=True)
    upper = {(g.code, g.name, g.level) for g in active.grids.filter(level__lt=3)}
    assert {(f["properties"]["code"], f["properties"]["name"], f["properties"]["level"]) for f in features if f["properties"]["level"] < 3} == upper

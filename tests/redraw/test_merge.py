"""`wangge grids merge`: each legacy grid's households shared out over the new grids."""

import json

import pytest
from django.core.management import CommandError, call_command

from wangge.geo.models import GridLayer
from wangge.redraw.inputs import RunOptions, platform_run
from wangge.redraw.mapping import MapGrid, legacy_mapping
from wangge.redraw.save import proposal_save


@pytest.fixture
def layers(db):
    old = GridLayer.objects.get(is_active=True)
    result, _ = platform_run(options=RunOptions(min=600, max=1000))
    return old, proposal_save(result=result, name="合并后的图层", from_layer=old)


def test_it_maps_the_old_layer_onto_the_new_one_with_shares_summing_to_one(layers, tmp_path, capsys):
    old, new = layers
    out = tmp_path / "mapping.json"
    call_command("grids", "merge", str(old.pk), "--onto", str(new.pk), "--out", str(out))

    report = json.loads(out.read_text(encoding="utf-8"))
    [mapped] = report["layers"]
    assert report["onto"] == new.pk and len(mapped["grids"]) == old.grids.filter(level=3).count()
    households = dict(old.grids.filter(level=3).values_list("code", "households"))
    new_codes = set(new.grids.filter(level=3).values_list("code", flat=True))
    for entry in mapped["grids"]:
        assert entry["households"] == households[entry["legacy"]]
        if entry["households"]:
            assert entry["basis"] == "households"
            assert sum(o["share"] for o in entry["overlaps"]) == pytest.approx(1.0)
            assert sum(o["households"] for o in entry["overlaps"]) == entry["households"]
            assert {o["grid"] for o in entry["overlaps"]} <= new_codes
    # Fewer, larger grids: some old grid is split no further, but many new grids take two old ones.
    takers = [o["grid"] for e in mapped["grids"] for o in e["overlaps"] if o["share"] > 0.5]
    assert len(takers) > len(set(takers))


def test_a_legacy_file_maps_like_the_stored_layer(layers, tmp_path, capsys):
    old, new = layers
    exported = tmp_path / "old.geojson"
    call_command("grids", "export", str(old.pk), "--out", str(exported))
    call_command("grids", "merge", str(exported), str(old.name), "--onto", str(new.pk), "--out", str(tmp_path / "m.json"))

    from_file, from_layer = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["layers"]
    assert from_file["grids"] == from_layer["grids"]
    capsys.readouterr()
    call_command("grids", "merge", str(exported), "--onto", str(new.pk))
    first = from_file["grids"][0]
    assert f"{first['legacy']}（{first['households']} 户）→ {first['overlaps'][0]['grid']}" in capsys.readouterr().out


def test_a_legacy_grid_without_households_is_shared_by_area():
    def square(x0, x1):
        return {"type": "Polygon", "coordinates": [[[x0, 34.70], [x1, 34.70], [x1, 34.71], [x0, 34.71], [x0, 34.70]]]}

    legacy = [MapGrid("旧1", "旧网格", square(113.60, 113.62))]
    new = [MapGrid("A", "A", square(113.60, 113.61)), MapGrid("B", "B", square(113.61, 113.62))]

    [entry] = legacy_mapping(legacy, new, buildings=[])

    assert entry["basis"] == "area" and entry["note"] == "无住户，按面积分摊"
    assert [o["grid"] for o in entry["overlaps"]] == ["A", "B"]
    assert [o["share"] for o in entry["overlaps"]] == [pytest.approx(0.5, abs=1e-3)] * 2


def test_it_names_the_feature_of_a_broken_legacy_file(db, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X1"}, "geometry": {"type": "Point", "coordinates": [113.6, 34.7]}},
    ]}), encoding="utf-8")
    with pytest.raises(CommandError, match="旧图层第 1 个要素：geometry 应为 Polygon 或 MultiPolygon"):
        call_command("grids", "merge", str(path))
    with pytest.raises(CommandError, match="网格图层 没有这个图层 不存在"):
        call_command("grids", "merge", "没有这个图层")
